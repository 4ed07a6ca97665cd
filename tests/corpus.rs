//! The soundness corpus: `tests/corpus/*.stab`, claims whose truth is known independently
//! (each file argues it in comments; `expect` is the truth). The prover must never prove a
//! false claim nor refute a true one; every witness must violate its claim under this file's
//! own exact evaluator; every proof must recheck in the kernel; and enough must be decided
//! that a prover answering `unknown` everywhere fails. Vacuity is held to the same standard:
//! a claim `expect vacuous` (its domain is empty) must never be shown non-empty, no other
//! claim may be found vacuous, and every point offered as proof of non-emptiness must lie in
//! the domain under this file's evaluator.

use rug::Rational;
use stabcert::claim::{Claim, Cond, Expect, RelOp};
use stabcert::expr::Expr;
use stabcert::prover::{prove, Budget, Vacuity, Verdict};
use stabcert::{cert, lang};
use stabcert_kernel as kernel;
use std::cmp::Ordering;
use std::path::PathBuf;
use std::time::Duration;

/// An exact value, or why there is none.
#[derive(Debug)]
enum Value {
    Q(Rational),
    Undefined,
    /// `sqrt` of a rational that is not a square: not decided here.
    Irrational,
}

/// Exact evaluation, written again here so that witnesses are not checked by the code that
/// found them.
fn eval(e: &Expr, x: &[Rational]) -> Value {
    use Value::*;
    let two = |a: &Expr, b: &Expr| match (eval(a, x), eval(b, x)) {
        (Q(p), Q(q)) => Ok((p, q)),
        (Undefined, _) | (_, Undefined) => Err(Undefined),
        _ => Err(Irrational),
    };
    let one = |a: &Expr| match eval(a, x) {
        Q(p) => Ok(p),
        other => Err(other),
    };
    let r = |res: Result<Rational, Value>| res.map_or_else(|v| v, Q);
    match e {
        Expr::Const(q) => Q(q.clone()),
        Expr::Var(i) => Q(x[*i].clone()),
        Expr::Neg(a) => r(one(a).map(|p| -p)),
        Expr::Add(a, b) => r(two(a, b).map(|(p, q)| p + q)),
        Expr::Sub(a, b) => r(two(a, b).map(|(p, q)| p - q)),
        Expr::Mul(a, b) => r(two(a, b).map(|(p, q)| p * q)),
        Expr::Div(a, b) => match two(a, b) {
            Ok((_, q)) if q == 0 => Undefined,
            Ok((p, q)) => Q(p / q),
            Err(v) => v,
        },
        Expr::Pow(a, n) => match one(a) {
            Ok(p) if *n < 0 && p == 0 => Undefined,
            Ok(p) => {
                let mut acc = Rational::from(1);
                for _ in 0..n.unsigned_abs() {
                    acc *= &p;
                }
                Q(if *n < 0 { acc.recip() } else { acc })
            }
            Err(v) => v,
        },
        Expr::Sqrt(a) => match one(a) {
            Ok(p) if p < 0 => Undefined,
            Ok(p) => {
                let (n, d) = p.into_numer_denom();
                if n.is_perfect_square() && d.is_perfect_square() {
                    Q(Rational::from((n.sqrt(), d.sqrt())))
                } else {
                    Irrational
                }
            }
            Err(v) => v,
        },
        Expr::Abs(a) => r(one(a).map(|p| p.abs())),
        Expr::Min(a, b) => r(two(a, b).map(|(p, q)| p.min(q))),
        Expr::Max(a, b) => r(two(a, b).map(|(p, q)| p.max(q))),
        // Only the special values where a function of a rational is rational (or undefined).
        Expr::Fun(f, a) => match (f.name(), one(a)) {
            ("log", Ok(p)) if p <= 0 => Undefined,
            ("asin" | "acos", Ok(p)) if !(-1..=1).contains(&p) => Undefined,
            ("exp" | "cos" | "cosh", Ok(p)) if p == 0 => Q(Rational::from(1)),
            ("sin" | "tan" | "atan" | "asin" | "sinh" | "tanh", Ok(p)) if p == 0 => {
                Q(Rational::new())
            }
            ("log" | "acos", Ok(p)) if p == 1 => Q(Rational::new()),
            (_, Ok(_)) => Irrational,
            (_, Err(v)) => v,
        },
        Expr::Atan2(a, b) => match two(a, b) {
            Ok((p, q)) if p == 0 && q == 0 => Undefined,
            Ok((p, q)) if p == 0 && q > 0 => Q(Rational::new()),
            Ok(_) => Irrational,
            Err(v) => v,
        },
        Expr::PowR(a, b) => match two(a, b) {
            Ok((p, _)) if p <= 0 => Undefined,
            Ok((p, q)) if p == 1 || q == 0 => Q(Rational::from(1)),
            Ok(_) => Irrational,
            Err(v) => v,
        },
        Expr::Pi => Irrational,
    }
}

/// `Some(true)` if the comparison holds exactly at `x`, `Some(false)` if it fails or is
/// undefined, `None` if it cannot be decided here (irrational).
fn holds(lhs: &Expr, op: RelOp, rhs: &Expr, x: &[Rational]) -> Option<bool> {
    let d = match (eval(lhs, x), eval(rhs, x)) {
        (Value::Q(a), Value::Q(b)) => a.cmp(&b),
        (Value::Undefined, _) | (_, Value::Undefined) => return Some(false),
        _ => return None,
    };
    Some(meets(op, d))
}

/// Whether `lhs op rhs` holds when `lhs` compares to `rhs` as `d`.
fn meets(op: RelOp, d: Ordering) -> bool {
    match op {
        RelOp::Lt => d == Ordering::Less,
        RelOp::Le => d != Ordering::Greater,
        RelOp::Gt => d == Ordering::Greater,
        RelOp::Ge => d != Ordering::Less,
    }
}

/// Whether every condition holds at `x`.
fn all(cs: &[Cond], x: &[Rational]) -> Option<bool> {
    let mut ok = true;
    for c in cs {
        ok &= holds(&c.lhs, c.op, &c.rhs, x)?;
    }
    Some(ok)
}

/// Whether `x` satisfies every binding and hypothesis.
fn in_domain(claim: &Claim, x: &[Rational]) -> Option<bool> {
    let var = |i: usize| Expr::Var(i);
    for (i, b) in claim.bindings.iter().enumerate() {
        let lo = if b.lo_closed { RelOp::Le } else { RelOp::Lt };
        let hi = if b.hi_closed { RelOp::Le } else { RelOp::Lt };
        if !holds(&b.lo, lo, &var(i), x)? || !holds(&var(i), hi, &b.hi, x)? {
            return Some(false);
        }
    }
    all(&claim.hyps, x)
}

/// Whether the witness satisfies every binding and hypothesis and breaks a conclusion.
fn violates(claim: &Claim, x: &[Rational]) -> Option<bool> {
    Some(in_domain(claim, x)? && !all(&claim.goals, x)?)
}

/// `p + q sqrt(r)`: exact arithmetic in `Q(sqrt(r))` (`r` no square), written again here
/// for witnesses at irrational points; `Err(true)` undefined, `Err(false)` not decided here.
type S = (Rational, Rational);

fn eval_s(e: &Expr, x: &[S], r: &Rational) -> Result<S, bool> {
    let ev = |a: &Expr| eval_s(a, x, r);
    let mul = |(a, b): &S, (c, d): &S| -> S {
        (
            Rational::from(a * c) + Rational::from(b * d) * r,
            Rational::from(a * d) + Rational::from(b * c),
        )
    };
    let inv = |(a, b): &S| -> Result<S, bool> {
        let n = Rational::from(a * a) - Rational::from(b * b) * r;
        if n == 0 {
            return Err(true);
        }
        Ok((Rational::from(a / &n), -Rational::from(b / &n)))
    };
    Ok(match e {
        Expr::Const(q) => (q.clone(), Rational::new()),
        Expr::Var(i) => x[*i].clone(),
        Expr::Neg(a) => {
            let (p, q) = ev(a)?;
            (-p, -q)
        }
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            let ((p, q), (u, v)) = (ev(a)?, ev(b)?);
            match e {
                Expr::Add(..) => (p + u, q + v),
                _ => (p - u, q - v),
            }
        }
        Expr::Mul(a, b) => mul(&ev(a)?, &ev(b)?),
        Expr::Div(a, b) => mul(&ev(a)?, &inv(&ev(b)?)?),
        Expr::Pow(a, n) => {
            let base = ev(a)?;
            let mut acc = (Rational::from(1), Rational::new());
            for _ in 0..n.unsigned_abs() {
                acc = mul(&acc, &base);
            }
            if *n < 0 {
                inv(&acc)?
            } else {
                acc
            }
        }
        // Only the square roots of rationals: c^2 or c^2 r.
        Expr::Sqrt(a) => match ev(a)? {
            (p, q) if q == 0 && p < 0 => return Err(true),
            (p, q) if q == 0 => {
                let sq = |v: &Rational| {
                    (v.numer().is_perfect_square() && v.denom().is_perfect_square()).then(|| {
                        Rational::from((v.numer().clone().sqrt(), v.denom().clone().sqrt()))
                    })
                };
                match (sq(&p), sq(&Rational::from(&p / r))) {
                    (Some(c), _) => (c, Rational::new()),
                    (_, Some(c)) => (Rational::new(), c),
                    _ => return Err(false),
                }
            }
            _ => return Err(false),
        },
        _ => return Err(false),
    })
}

/// The sign of `p + q sqrt(r)`, by squares.
fn sign_s((p, q): &S, r: &Rational) -> Ordering {
    let p2 = Rational::from(p * p);
    let q2r = Rational::from(q * q) * r;
    match (p.cmp0(), q.cmp0()) {
        (a, b) if a == b || b == Ordering::Equal => a,
        (Ordering::Equal, b) => b,
        (a, b) => [b, a][usize::from(p2 > q2r)],
    }
}

/// Whether the witness `x` in `Q(sqrt(r))` satisfies every binding and hypothesis and breaks
/// a conclusion (`None`: not decided here).
fn violates_s(claim: &Claim, x: &[S], r: &Rational) -> Option<bool> {
    let holds = |l: &Expr, op: RelOp, rh: &Expr| -> Option<bool> {
        let d = match (eval_s(l, x, r), eval_s(rh, x, r)) {
            (Ok(a), Ok(b)) => sign_s(&(a.0 - b.0, a.1 - b.1), r),
            (Err(true), _) | (_, Err(true)) => return Some(false),
            _ => return None,
        };
        Some(meets(op, d))
    };
    for (i, b) in claim.bindings.iter().enumerate() {
        let lo = if b.lo_closed { RelOp::Le } else { RelOp::Lt };
        let hi = if b.hi_closed { RelOp::Le } else { RelOp::Lt };
        let v = Expr::Var(i);
        if !holds(&b.lo, lo, &v)? || !holds(&v, hi, &b.hi)? {
            return Some(false);
        }
    }
    for h in &claim.hyps {
        if !holds(&h.lhs, h.op, &h.rhs)? {
            return Some(false);
        }
    }
    for g in &claim.goals {
        if !holds(&g.lhs, g.op, &g.rhs)? {
            return Some(true);
        }
    }
    Some(false)
}

/// What is wrong with the prover's account of the claim's domain, if anything.
fn vacuity_error(c: &Claim, vacuous: Option<&Vacuity>) -> Option<String> {
    match vacuous {
        Some(Vacuity::Empty { why, .. }) if c.expect != Expect::Vacuous => Some(format!(
            "found vacuous ({why}), but its domain is not empty"
        )),
        Some(Vacuity::NonEmpty { .. }) if c.expect == Expect::Vacuous => {
            Some("shown non-empty, but its domain is empty".into())
        }
        // A refutation's witness at an irrational point (checked by `violates_s`).
        Some(Vacuity::NonEmpty { point }) if point.is_empty() && !c.bindings.is_empty() => None,
        Some(Vacuity::NonEmpty { point }) => {
            let x: Vec<Rational> = point.iter().map(|(_, q)| q.clone()).collect();
            // Irrational values (`sqrt`) are left to the prover's MPFR check.
            (in_domain(c, &x) == Some(false)).then(|| {
                format!("the point {point:?} offered as non-emptiness is not in the domain")
            })
        }
        _ => None,
    }
}

/// One test a corpus file, so that the files run in parallel and a failure names its file
/// and claims. The number is the share of the file's claims that must be decided correctly
/// (about 97% over the whole corpus; each number allows one claim fewer than decided today). The undecided rest are known gaps of the method,
/// listed by the test: claims tight along a curve inside a box that no certificate of the
/// prover's shapes covers (identities through sqrt, Robinson/Choi-Lam/Schur forms, which have
/// no Handelman/Schmüdgen certificate on their boxes) and claims tight on a non-polynomial
/// `where` boundary; claims false only at irrational points, which no exact rational witness
/// can refute, also stay `unknown` by design.
macro_rules! corpus_files {
    ($($file:ident: $min_share:expr,)*) => {
        $(
            #[test]
            fn $file() {
                check_corpus_file(stringify!($file), $min_share);
            }
        )*

        /// Every corpus file has its test above.
        const FILES: &[&str] = &[$(stringify!($file)),*];
    };
}

corpus_files! {
    builtins: 0.91,
    dependent: 0.9,
    division: 0.96,
    ends: 0.97,
    // Held out (issue 15): 92 of 100 decided.
    heldout: 0.91,
    hmap: 0.92,
    margins: 0.98,
    near_miss: 0.98,
    poly: 0.97,
    rewrites: 0.97,
    syntax: 0.94,
    user_claims: 1.0,
    tangent: 1.0,
    vacuous: 1.0,
    transcendental: 0.9,
    where_: 0.93,
    zeros: 0.85,
}

/// The claims of `tests/corpus/NAME.stab` (`where_` is `where.stab`).
fn corpus_claims(name: &str) -> Vec<Claim> {
    let path = PathBuf::from(format!("tests/corpus/{}.stab", name.trim_end_matches('_')));
    lang::load_paths(&[path]).expect("the corpus parses")
}

#[test]
fn every_corpus_file_is_tested_and_the_corpus_is_large() {
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/corpus")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".stab").map(str::to_string))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FILES
        .iter()
        .map(|f| f.trim_end_matches('_').to_string())
        .collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/corpus/*.stab and the corpus_files! list differ"
    );
    let claims = lang::load_paths(&[PathBuf::from("tests/corpus")]).expect("the corpus parses");
    assert!(claims.len() >= 300, "corpus too small: {}", claims.len());
}

/// No false claim proved, no true claim refuted, every witness violates its claim under this
/// file's evaluator, every proof rechecks in the kernel, and at least `min_share` decided.
fn check_corpus_file(name: &str, min_share: f64) {
    // One file at a time: the prover's stages have their own clocks (sum-of-squares,
    // Handelman), and 18 files sharing 2 cores starved them (builtins' max_sq ran out of boxes
    // in CI on a quiet machine); a poisoned lock (another file failed) still serialises.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let claims = corpus_claims(name);
    assert!(!claims.is_empty(), "tests/corpus/{name}.stab has no claims");
    // Decided claims here need at most ~17 000 boxes; the box limit, not the clock, decides
    // what stays unknown, so the verdicts do not depend on the machine's load (the timeout is
    // only a safety net, 7 times the slowest decided claim here).
    let budget = Budget {
        max_boxes: 25_000,
        timeout: Some(Duration::from_secs(10)),
    };
    let (mut decided, mut wrong, mut undecided) = (0usize, Vec::new(), Vec::new());
    for c in &claims {
        let o = prove(c, &budget);
        if let Some(why) = vacuity_error(c, o.vacuous.as_ref()) {
            wrong.push(format!(
                "{} ({}:{}): {why}",
                c.name,
                c.file.display(),
                c.pos.line
            ));
        }
        match (o.verdict(), c.expect) {
            (Verdict::Proved, Expect::Refuted)
            | (Verdict::Refuted, Expect::Proved | Expect::Vacuous) => {
                wrong.push(format!(
                    "{} ({}:{}): {:?}",
                    c.name,
                    c.file.display(),
                    c.pos.line,
                    o.verdict()
                ));
            }
            (Verdict::Unknown, _) => undecided.push(format!(
                "{}: {}",
                c.name,
                o.reason().map(ToString::to_string).unwrap_or_default()
            )),
            (Verdict::Refuted, _) => {
                let w = o.witness().expect("a refutation carries its witness");
                let x: Vec<Rational> = w.values.iter().map(|(_, q)| q.clone()).collect();
                // Irrational values (`sqrt`) are left to the prover's MPFR check; a witness
                // in Q(sqrt(r)) is checked exactly there, by this file's own arithmetic.
                let verdict = match &w.surd {
                    None => violates(c, &x),
                    Some((r, b)) => {
                        let xs: Vec<S> = x.into_iter().zip(b.iter().cloned()).collect();
                        violates_s(c, &xs, r)
                    }
                };
                assert_eq!(
                    verdict.or(w.surd.is_none().then_some(true)),
                    Some(true),
                    "{}: witness {:?} does not violate it",
                    c.name,
                    w.texts()
                );
                decided += 1;
            }
            (Verdict::Proved, _) => {
                let certificate = cert::certificate(c, &o).to_string();
                let rechecked = kernel::check_certificate(&certificate);
                assert!(
                    rechecked.is_ok(),
                    "{}: certificate rejected: {:?}",
                    c.name,
                    rechecked.err()
                );
                // A proof whose domain is neither shown non-empty nor proved empty is unmet.
                match o.vacuous.as_ref().and_then(Vacuity::is_empty) {
                    Some(_) => decided += 1,
                    None => undecided.push(format!("{}: proved, vacuity undecided", c.name)),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "WRONG VERDICTS (soundness bugs):\n{}",
        wrong.join("\n")
    );
    let share = decided as f64 / claims.len() as f64;
    eprintln!(
        "corpus {name}: {decided}/{} decided; undecided:\n  {}",
        claims.len(),
        undecided.join("\n  ")
    );
    assert!(
        share >= min_share,
        "tests/corpus/{name}.stab: only {decided} of {} claims decided (at least {min_share} needed)",
        claims.len()
    );
}
