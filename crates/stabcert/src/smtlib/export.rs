//! `stabcert export --smtlib DIR`: every `.stab` claim as an SMT-LIB 2 script whose
//! `(check-sat)` is `unsat` exactly when the claim holds (see `docs/smtlib.md`).
//!
//! The script declares one `Real` per variable, asserts the bounds (a dependent end also
//! gets a constant outer bound when rational interval arithmetic finds one, so that
//! `stabcert check` reads the box back), the `where` hypotheses and the negation of the
//! conclusion. `:status` is `unsat` for `expect proved` and `expect vacuous`, `sat` for
//! `expect refuted`. Systems (and their generated lemmas) are not exported.

use crate::claim::{Claim, Cond, Expect, Formula, RelOp};
use crate::expr::Expr;
use rug::Rational;
use std::fmt::Write;

/// The SMT-LIB script of a claim.
pub fn script(claim: &Claim) -> String {
    let names: Vec<String> = claim.bindings.iter().map(|b| symbol(&b.name)).collect();
    let p = |e: &Expr| term(e, &names);
    let mut body = String::new();
    let mut line = |s: String| {
        body.push_str(&s);
        body.push('\n');
    };
    for n in &names {
        line(format!("(declare-const {n} Real)"));
    }
    let mut outer: Vec<(Option<Rational>, Option<Rational>)> = Vec::new();
    for (b, n) in claim.bindings.iter().zip(&names) {
        let lo_op = if b.lo_closed { "<=" } else { "<" };
        let hi_op = if b.hi_closed { "<=" } else { "<" };
        line(format!("(assert ({lo_op} {} {n}))", p(&b.lo)));
        line(format!("(assert ({hi_op} {n} {}))", p(&b.hi)));
        let lo = range(&b.lo, &outer).map(|r| r.0);
        let hi = range(&b.hi, &outer).map(|r| r.1);
        if !b.lo.is_constant() {
            if let Some(l) = &lo {
                line(format!("(assert (<= {} {n})) ; implied", constant(l)));
            }
        }
        if !b.hi.is_constant() {
            if let Some(h) = &hi {
                line(format!("(assert (<= {n} {})) ; implied", constant(h)));
            }
        }
        outer.push((lo, hi));
    }
    for h in &claim.hyps {
        line(format!("(assert {})", atom(h, &names)));
    }
    let goal = match &claim.formula {
        Some(f) => formula(f, &names),
        None => formula(&Formula::all(&claim.goals), &names),
    };
    line(format!("(assert (not {goal}))"));
    let transcendental = uses_transcendental(claim);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; claim {} ({}:{}:{}), exported by stabcert",
        claim.name.replace(['\n', '\r'], " "),
        claim.file.display().to_string().replace(['\n', '\r'], " "),
        claim.pos.line,
        claim.pos.col
    );
    let logic = if transcendental { "QF_NRAT" } else { "QF_NRA" };
    let _ = writeln!(out, "(set-logic {logic})");
    let status = match claim.expect {
        Expect::Proved | Expect::Vacuous | Expect::Unsat => "unsat",
        Expect::Refuted => "sat",
    };
    let _ = writeln!(out, "(set-info :status {status})");
    out.push_str(&body);
    out.push_str("(check-sat)\n(exit)\n");
    out
}

/// Whether a claim uses `exp`, `log`, the trigonometric functions, real powers or `pi`.
fn uses_transcendental(claim: &Claim) -> bool {
    fn t(e: &Expr) -> bool {
        matches!(
            e,
            Expr::Fun(..) | Expr::Atan2(..) | Expr::PowR(..) | Expr::Pi
        ) || e.children().into_iter().any(t)
    }
    let conds = claim
        .hyps
        .iter()
        .chain(&claim.goals)
        .chain(claim.formula.iter().flat_map(Formula::atoms));
    claim.bindings.iter().any(|b| t(&b.lo) || t(&b.hi))
        || conds.into_iter().any(|c| t(&c.lhs) || t(&c.rhs))
}

/// A variable's name as an SMT-LIB symbol: plain when it is a simple identifier that is
/// no function name, else `|quoted|`.
fn symbol(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "pi", "e", "exp", "log", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "asin", "acos",
        "atan", "atan2", "sinh", "cosh", "tanh", "abs", "sqrt", "min", "max", "let", "ite", "and",
        "or", "not", "xor", "true", "false", "distinct", "pow", "div", "mod", "exit", "assert",
        "par", "forall", "exists", "match", "_", "as",
    ];
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name);
    if plain {
        name.to_string()
    } else {
        format!("|{}|", name.replace(['|', '\\'], "_"))
    }
}

/// An exact rational: `3`, `(- 3)`, `(/ 1 3)`, `(- (/ 1 3))`.
fn constant(q: &Rational) -> String {
    let abs = Rational::from(q.abs_ref());
    let mag = if abs.denom() == &1 {
        abs.numer().to_string()
    } else {
        format!("(/ {} {})", abs.numer(), abs.denom())
    };
    if *q < 0 {
        format!("(- {mag})")
    } else {
        mag
    }
}

/// An expression as an SMT-LIB term.
fn term(e: &Expr, names: &[String]) -> String {
    let t = |e: &Expr| term(e, names);
    match e {
        Expr::Const(q) => constant(q),
        Expr::Var(i) => names[*i].clone(),
        Expr::Neg(a) => format!("(- {})", t(a)),
        Expr::Add(a, b) => format!("(+ {} {})", t(a), t(b)),
        Expr::Sub(a, b) => format!("(- {} {})", t(a), t(b)),
        Expr::Mul(a, b) => format!("(* {} {})", t(a), t(b)),
        Expr::Div(a, b) => format!("(/ {} {})", t(a), t(b)),
        Expr::Pow(a, k) if *k < 0 => format!("(^ {} (- {}))", t(a), -i64::from(*k)),
        Expr::Pow(a, k) => format!("(^ {} {k})", t(a)),
        Expr::Sqrt(a) => format!("(^ {} 0.5)", t(a)),
        Expr::Abs(a) => format!("(abs {})", t(a)),
        Expr::Min(a, b) => format!("(min {} {})", t(a), t(b)),
        Expr::Max(a, b) => format!("(max {} {})", t(a), t(b)),
        Expr::Fun(f, a) => format!("({} {})", fun_name(*f), t(a)),
        Expr::Atan2(y, x) => format!("(atan2 {} {})", t(y), t(x)),
        Expr::PowR(a, b) => format!("(^ {} {})", t(a), t(b)),
        Expr::Pi => "real.pi".into(),
    }
}

/// dReal's names (read by stabcert's SMT-LIB front end too).
fn fun_name(f: crate::expr::Fun) -> &'static str {
    use crate::expr::Fun;
    match f {
        Fun::Exp => "exp",
        Fun::Log => "log",
        Fun::Sin => "sin",
        Fun::Cos => "cos",
        Fun::Tan => "tan",
        Fun::Atan => "arctan",
        Fun::Asin => "arcsin",
        Fun::Acos => "arccos",
        Fun::Sinh => "sinh",
        Fun::Cosh => "cosh",
        Fun::Tanh => "tanh",
    }
}

fn atom(c: &Cond, names: &[String]) -> String {
    let op = match c.op {
        RelOp::Lt => "<",
        RelOp::Le => "<=",
        RelOp::Gt => ">",
        RelOp::Ge => ">=",
    };
    format!("({op} {} {})", term(&c.lhs, names), term(&c.rhs, names))
}

fn formula(f: &Formula, names: &[String]) -> String {
    match f {
        Formula::Atom(c) => atom(c, names),
        Formula::And(fs) if fs.is_empty() => "true".into(),
        Formula::Or(fs) if fs.is_empty() => "false".into(),
        Formula::And(fs) | Formula::Or(fs) if fs.len() == 1 => formula(&fs[0], names),
        Formula::And(fs) | Formula::Or(fs) => {
            let op = if matches!(f, Formula::And(_)) {
                "and"
            } else {
                "or"
            };
            let parts: Vec<String> = fs.iter().map(|g| formula(g, names)).collect();
            format!("({op} {})", parts.join(" "))
        }
    }
}

/// Exact rational bounds of `e` over the box of the earlier variables' constant bounds
/// (`None` where unknown): `+ - *`, division by a constant, integer powers, `abs`,
/// `min`, `max`.
fn range(e: &Expr, vars: &[(Option<Rational>, Option<Rational>)]) -> Option<(Rational, Rational)> {
    let mul = |a: (Rational, Rational), b: (Rational, Rational)| {
        let ps = [
            Rational::from(&a.0 * &b.0),
            Rational::from(&a.0 * &b.1),
            Rational::from(&a.1 * &b.0),
            Rational::from(&a.1 * &b.1),
        ];
        let lo = ps.iter().min().cloned().unwrap_or_default();
        let hi = ps.iter().max().cloned().unwrap_or_default();
        (lo, hi)
    };
    let r = |x: &Expr| range(x, vars);
    Some(match e {
        Expr::Const(q) => (q.clone(), q.clone()),
        Expr::Var(i) => {
            let (lo, hi) = vars.get(*i)?;
            (lo.clone()?, hi.clone()?)
        }
        Expr::Neg(a) => {
            let (l, h) = r(a)?;
            (-h, -l)
        }
        Expr::Add(a, b) => {
            let (a, b) = (r(a)?, r(b)?);
            (a.0 + b.0, a.1 + b.1)
        }
        Expr::Sub(a, b) => {
            let (a, b) = (r(a)?, r(b)?);
            (a.0 - b.1, a.1 - b.0)
        }
        Expr::Mul(a, b) => mul(r(a)?, r(b)?),
        Expr::Div(a, b) => {
            let (l, h) = r(b)?;
            if l != h || l == 0 {
                return None;
            }
            let inv = Rational::from(l.recip_ref());
            mul(r(a)?, (inv.clone(), inv))
        }
        Expr::Pow(a, k) if (0..=64).contains(k) => {
            let base = r(a)?;
            let mut acc = (Rational::from(1), Rational::from(1));
            for _ in 0..*k {
                acc = mul(acc, base.clone());
            }
            acc
        }
        Expr::Abs(a) => {
            let (l, h) = r(a)?;
            let hi = Rational::from(l.abs_ref()).max(Rational::from(h.abs_ref()));
            let lo = if l <= 0 && h >= 0 {
                Rational::new()
            } else {
                Rational::from(l.abs_ref()).min(Rational::from(h.abs_ref()))
            };
            (lo, hi)
        }
        Expr::Min(a, b) => {
            let (a, b) = (r(a)?, r(b)?);
            (a.0.min(b.0), a.1.min(b.1))
        }
        Expr::Max(a, b) => {
            let (a, b) = (r(a)?, r(b)?);
            (a.0.max(b.0), a.1.max(b.1))
        }
        _ => return None,
    })
}

/// Writes `DIR/STEM.smt2` for every claim of `doc` read from a `.stab` file
/// ([`crate::cert::file_stem`] of the claim's name), each file replaced atomically; returns
/// how many were written.
pub fn write_all(dir: &std::path::Path, doc: &crate::lang::Document) -> crate::Result<usize> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io("cannot create", dir, e))?;
    let mut n = 0;
    for claim in doc.claims.iter().filter(|c| !super::is_smtlib(&c.file)) {
        let file = dir.join(format!("{}.smt2", crate::cert::file_stem(&claim.name)));
        crate::run::write_atomically(&file, script(claim).as_bytes())
            .map_err(|e| crate::Error::io("cannot write", &file, e))?;
        n += 1;
    }
    Ok(n)
}
