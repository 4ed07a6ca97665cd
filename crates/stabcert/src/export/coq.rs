//! `stabcert export --coq`: every proved claim as a Coq proof that follows its certificate,
//! every refuted claim as a Coq proof of its negation at the exact witness (`docs/coq.md`).
//!
//! The exporter reads the certificate's JSON (`docs/certificates.md`), not the prover's
//! structures: a construct it does not know (an expression, a node, a leaf method) makes the
//! export of that claim fail with the construct named; it never writes a proof it cannot back.
//! Nothing here is trusted: Coq checks every file.

use crate::expr::poly::Poly;
use rug::{Integer, Rational};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The Coq library the exported proofs use (Bernstein expansions, monotonicity, box
/// coordinates), proved in Coq; written next to them as `StabcertLib.v`.
pub const LIBRARY: &str = include_str!("StabcertLib.v");

/// The monotonicity lemmas (Coquelicot's mean value theorem), apart so that only the proofs
/// with a pin load Coquelicot; written as `StabcertMono.v`.
pub const MONO: &str = include_str!("StabcertMono.v");

/// Why a claim cannot be exported.
pub type Unsupported = String;

type R<T> = Result<T, Unsupported>;

/// An expression of the certificate format.
#[derive(Clone, Debug, PartialEq)]
enum E {
    Q(Rational),
    Var(usize),
    Neg(Box<E>),
    Sqrt(Box<E>),
    Abs(Box<E>),
    Add(Box<E>, Box<E>),
    Sub(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Div(Box<E>, Box<E>),
    Min(Box<E>, Box<E>),
    Max(Box<E>, Box<E>),
    Pow(Box<E>, i32),
}

fn rat(v: &Value) -> R<Rational> {
    let s = v.as_str().ok_or("a rational is not a string")?;
    s.parse::<Rational>()
        .map_err(|_| format!("`{s}` is not an exact rational"))
}

fn expr(v: &Value) -> R<E> {
    let obj = v.as_object().ok_or("an expression is not an object")?;
    let (k, a) = obj.iter().next().ok_or("an empty expression")?;
    let one = |a: &Value| expr(a).map(Box::new);
    let two = |a: &Value| -> R<(Box<E>, Box<E>)> {
        match a.as_array().map(Vec::as_slice) {
            Some([x, y]) => Ok((Box::new(expr(x)?), Box::new(expr(y)?))),
            _ => Err(format!("`{k}` does not have two operands")),
        }
    };
    Ok(match k.as_str() {
        "q" => E::Q(rat(a)?),
        "var" => E::Var(a.as_u64().ok_or("a variable index is not a number")? as usize),
        "neg" => E::Neg(one(a)?),
        "sqrt" => E::Sqrt(one(a)?),
        "abs" => E::Abs(one(a)?),
        "add" => two(a).map(|(x, y)| E::Add(x, y))?,
        "sub" => two(a).map(|(x, y)| E::Sub(x, y))?,
        "mul" => two(a).map(|(x, y)| E::Mul(x, y))?,
        "div" => two(a).map(|(x, y)| E::Div(x, y))?,
        "min" => two(a).map(|(x, y)| E::Min(x, y))?,
        "max" => two(a).map(|(x, y)| E::Max(x, y))?,
        "pow" => match a.as_array().map(Vec::as_slice) {
            Some([x, n]) => E::Pow(
                Box::new(expr(x)?),
                n.as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or("a power's exponent is not an i32")?,
            ),
            _ => return Err("`pow` does not have two operands".into()),
        },
        other => {
            return Err(format!(
                "the expression construct `{other}` is not supported by the Coq export"
            ))
        }
    })
}

fn b(e: E) -> Box<E> {
    Box::new(e)
}

/// `e` with every variable `i` replaced by `by[i]`.
fn subst(e: &E, by: &[E]) -> E {
    let s = |a: &E| b(subst(a, by));
    match e {
        E::Q(q) => E::Q(q.clone()),
        E::Var(i) => by[*i].clone(),
        E::Neg(a) => E::Neg(s(a)),
        E::Sqrt(a) => E::Sqrt(s(a)),
        E::Abs(a) => E::Abs(s(a)),
        E::Add(x, y) => E::Add(s(x), s(y)),
        E::Sub(x, y) => E::Sub(s(x), s(y)),
        E::Mul(x, y) => E::Mul(s(x), s(y)),
        E::Div(x, y) => E::Div(s(x), s(y)),
        E::Min(x, y) => E::Min(s(x), s(y)),
        E::Max(x, y) => E::Max(s(x), s(y)),
        E::Pow(a, n) => E::Pow(s(a), *n),
    }
}

/// Whether `e` has no variable.
fn is_const(e: &E) -> bool {
    match e {
        E::Q(_) => true,
        E::Var(_) => false,
        E::Neg(a) | E::Sqrt(a) | E::Abs(a) | E::Pow(a, _) => is_const(a),
        E::Add(x, y) | E::Sub(x, y) | E::Mul(x, y) | E::Div(x, y) | E::Min(x, y) | E::Max(x, y) => {
            is_const(x) && is_const(y)
        }
    }
}

/// The exact value of a variable-free expression (`sqrt` only of exact squares), as the
/// kernel decides whether a binding's ends are constant.
fn value(e: &E) -> Option<Rational> {
    Some(match e {
        E::Q(q) => q.clone(),
        E::Var(_) => return None,
        E::Neg(a) => -value(a)?,
        E::Sqrt(a) => {
            let v = value(a)?;
            if v < 0 {
                return None;
            }
            let (n, d) = v.into_numer_denom();
            let (rn, rd) = (n.clone().sqrt(), d.clone().sqrt());
            if Integer::from(&rn * &rn) != n || Integer::from(&rd * &rd) != d {
                return None;
            }
            Rational::from((rn, rd))
        }
        E::Abs(a) => value(a)?.abs(),
        E::Add(x, y) => value(x)? + value(y)?,
        E::Sub(x, y) => value(x)? - value(y)?,
        E::Mul(x, y) => value(x)? * value(y)?,
        E::Div(x, y) => {
            let d = value(y)?;
            if d == 0 {
                return None;
            }
            value(x)? / d
        }
        E::Min(x, y) => value(x)?.min(value(y)?),
        E::Max(x, y) => value(x)?.max(value(y)?),
        E::Pow(a, n) => {
            let v = value(a)?;
            if *n < 0 && v == 0 {
                return None;
            }
            let p = pow_q(&v, n.unsigned_abs());
            if *n < 0 {
                p.recip()
            } else {
                p
            }
        }
    })
}

fn pow_q(q: &Rational, n: u32) -> Rational {
    let mut r = Rational::from(1);
    for _ in 0..n {
        r *= q;
    }
    r
}

/// A rational as a Coq real: `(p/q)`.
fn coq_q(q: &Rational) -> String {
    if *q.denom() == 1 {
        format!("({})", q.numer())
    } else {
        format!("({}/{})", q.numer(), q.denom())
    }
}

/// A rational as a Coq `Q`: `(p#q)`.
fn coq_qq(q: &Rational) -> String {
    format!("({}#{})", q.numer(), q.denom())
}

/// `e` as a Coq real term, variable `i` written `names[i]`.
fn coq(e: &E, names: &[String]) -> String {
    let c = |a: &E| coq(a, names);
    match e {
        E::Q(q) => coq_q(q),
        E::Var(i) => names[*i].clone(),
        E::Neg(a) => format!("(- {})", c(a)),
        E::Sqrt(a) => format!("(sqrt {})", c(a)),
        E::Abs(a) => format!("(Rabs {})", c(a)),
        E::Add(x, y) => format!("({} + {})", c(x), c(y)),
        E::Sub(x, y) => format!("({} - {})", c(x), c(y)),
        E::Mul(x, y) => format!("({} * {})", c(x), c(y)),
        E::Div(x, y) => format!("({} / {})", c(x), c(y)),
        E::Min(x, y) => format!("(Rmin {} {})", c(x), c(y)),
        E::Max(x, y) => format!("(Rmax {} {})", c(x), c(y)),
        E::Pow(a, n) if *n >= 0 => format!("({} ^ {})", c(a), n),
        E::Pow(a, n) => format!("(/ ({} ^ {}))", c(a), n.unsigned_abs()),
    }
}

/// `e` as a `StabcertLib.pe` term whose `evalR` is, by conversion, the real term [`coq`]
/// prints; variable `i` is `PV (pos[i])`. `None` for what the reflection does not cover.
fn coq_pe(e: &E, pos: &[Option<usize>]) -> Option<String> {
    let c = |a: &E| coq_pe(a, pos);
    Some(match e {
        E::Q(q) if *q.denom() == 1 => format!("(PCz ({}))", q.numer()),
        E::Q(q) => format!("(PCq ({}) {})", q.numer(), q.denom()),
        E::Var(i) => format!("(PV {})", pos[*i]?),
        E::Neg(a) => format!("(PNeg {})", c(a)?),
        E::Add(x, y) => format!("(PAdd {} {})", c(x)?, c(y)?),
        E::Sub(x, y) => format!("(PSub {} {})", c(x)?, c(y)?),
        E::Mul(x, y) => format!("(PMul {} {})", c(x)?, c(y)?),
        E::Div(x, y) => match &**y {
            E::Q(q) if *q == 0 => return None,
            E::Q(q) if *q.denom() == 1 => format!("(PDivz {} ({}))", c(x)?, q.numer()),
            E::Q(q) => format!("(PDivq {} ({}) {})", c(x)?, q.numer(), q.denom()),
            _ => return None,
        },
        E::Pow(a, n) if *n >= 0 => format!("(PPow {} {n})", c(a)?),
        _ => return None,
    })
}

/// `∂e/∂x_i`, or why not (`abs`, `min`, `max` have no derivative everywhere).
fn deriv(e: &E, i: usize) -> R<E> {
    let d = |a: &E| deriv(a, i);
    let zero = || E::Q(Rational::new());
    Ok(match e {
        E::Q(_) => zero(),
        E::Var(j) => E::Q(Rational::from(u8::from(*j == i))),
        E::Neg(a) => simp_neg(d(a)?),
        E::Add(x, y) => simp_add(d(x)?, d(y)?),
        E::Sub(x, y) => simp_sub(d(x)?, d(y)?),
        E::Mul(x, y) => simp_add(
            simp_mul(d(x)?, (**y).clone()),
            simp_mul((**x).clone(), d(y)?),
        ),
        E::Div(x, y) => {
            if is_const(y) {
                simp_div(d(x)?, (**y).clone())
            } else {
                simp_div(
                    simp_sub(
                        simp_mul(d(x)?, (**y).clone()),
                        simp_mul((**x).clone(), d(y)?),
                    ),
                    E::Pow(y.clone(), 2),
                )
            }
        }
        E::Pow(a, n) => match *n {
            0 => zero(),
            1 => d(a)?,
            _ => simp_mul(
                simp_mul(E::Q(Rational::from(*n)), E::Pow(a.clone(), n - 1)),
                d(a)?,
            ),
        },
        E::Sqrt(a) => {
            let da = d(a)?;
            if da == zero() {
                zero()
            } else {
                E::Div(b(da), b(E::Mul(b(E::Q(Rational::from(2))), b(e.clone()))))
            }
        }
        E::Abs(a) | E::Min(a, _) | E::Max(a, _) => {
            let name = match e {
                E::Abs(_) => "abs",
                E::Min(..) => "min",
                _ => "max",
            };
            if is_const(e) || d(a).is_ok_and(|x| x == zero()) && deriv_zero(e, i) {
                zero()
            } else {
                return Err(format!(
                    "a monotonicity pin through `{name}` (no derivative) is not supported by the Coq export"
                ));
            }
        }
    })
}

/// An enclosure `[lo, hi]` of `e` over the box `b` (per variable `[lo, hi]`), by rational
/// interval arithmetic; `None` where an operation may be undefined on the box. Crude (`sqrt`
/// is enclosed by `min(lo, 1)` and `max(hi, 1)`): it only has to show what Coq's `interval`
/// will show.
fn range(e: &E, b: &[(Rational, Rational)]) -> Option<(Rational, Rational)> {
    let mul = |(a, c): (Rational, Rational), (d, f): (Rational, Rational)| {
        let p = [&a * &d, &a * &f, &c * &d, &c * &f].map(Rational::from);
        let lo = p.iter().min().cloned().unwrap_or_default();
        let hi = p.iter().max().cloned().unwrap_or_default();
        (lo, hi)
    };
    let recip =
        |(lo, hi): (Rational, Rational)| (lo > 0 || hi < 0).then(|| (hi.recip(), lo.recip()));
    Some(match e {
        E::Q(q) => (q.clone(), q.clone()),
        E::Var(i) => b.get(*i)?.clone(),
        E::Neg(a) => {
            let (lo, hi) = range(a, b)?;
            (-hi, -lo)
        }
        E::Sqrt(a) => {
            let (lo, hi) = range(a, b)?;
            if lo < 0 {
                return None;
            }
            let one = Rational::from(1);
            (lo.min(one.clone()), hi.max(one))
        }
        E::Abs(a) => {
            let (lo, hi) = range(a, b)?;
            if lo >= 0 {
                (lo, hi)
            } else if hi <= 0 {
                (-hi, -lo)
            } else {
                (Rational::new(), hi.max(-lo))
            }
        }
        E::Add(x, y) => {
            let ((a, c), (d, f)) = (range(x, b)?, range(y, b)?);
            (a + d, c + f)
        }
        E::Sub(x, y) => {
            let ((a, c), (d, f)) = (range(x, b)?, range(y, b)?);
            (a - f, c - d)
        }
        E::Mul(x, y) => mul(range(x, b)?, range(y, b)?),
        E::Div(x, y) => mul(range(x, b)?, recip(range(y, b)?)?),
        E::Min(x, y) | E::Max(x, y) => {
            let ((a, c), (d, f)) = (range(x, b)?, range(y, b)?);
            if matches!(e, E::Min(..)) {
                (a.min(d), c.min(f))
            } else {
                (a.max(d), c.max(f))
            }
        }
        E::Pow(a, n) => {
            let r = range(a, b)?;
            let mut p = (Rational::from(1), Rational::from(1));
            for _ in 0..n.unsigned_abs() {
                p = mul(p, r.clone());
            }
            if n % 2 == 0 && r.0 < 0 && r.1 > 0 {
                p.0 = Rational::new();
            }
            if *n < 0 {
                recip(p)?
            } else {
                p
            }
        }
    })
}

/// Why a monotonicity pin along axis `i` cannot be exported for the margin `m` on the box
/// `b`: a `sqrt` whose argument moves with axis `i` and may vanish on the box (no derivative
/// there), or a denominator that moves with it and may vanish. Coq's `mono_*` lemmas need the
/// derivative on the closed interval.
fn pin_obstacle(m: &E, i: usize, b: &[(Rational, Rational)]) -> Option<String> {
    let positive = |a: &E| range(a, b).is_some_and(|(lo, _)| lo > 0);
    let nonzero = |a: &E| range(a, b).is_some_and(|(lo, hi)| lo > 0 || hi < 0);
    let denominator = match m {
        E::Div(_, y) => Some(y),
        E::Pow(y, k) if *k < 0 => Some(y),
        _ => None,
    };
    if denominator.is_some_and(|y| !deriv_zero(y, i) && !nonzero(y)) {
        return Some("a monotonicity pin through a denominator that may vanish on the box is not supported by the Coq export".into());
    }
    match m {
        E::Q(_) | E::Var(_) => None,
        E::Sqrt(a) if !deriv_zero(a, i) && !positive(a) => Some(
            "a monotonicity pin through `sqrt` of an argument that may vanish on the box (no derivative there) is not supported by the Coq export".into(),
        ),
        E::Neg(a) | E::Sqrt(a) | E::Abs(a) | E::Pow(a, _) => pin_obstacle(a, i, b),
        E::Add(x, y) | E::Sub(x, y) | E::Mul(x, y) | E::Div(x, y) | E::Min(x, y) | E::Max(x, y) => {
            pin_obstacle(x, i, b).or_else(|| pin_obstacle(y, i, b))
        }
    }
}

fn deriv_zero(e: &E, i: usize) -> bool {
    match e {
        E::Q(_) => true,
        E::Var(j) => *j != i,
        E::Neg(a) | E::Sqrt(a) | E::Abs(a) | E::Pow(a, _) => deriv_zero(a, i),
        E::Add(x, y) | E::Sub(x, y) | E::Mul(x, y) | E::Div(x, y) | E::Min(x, y) | E::Max(x, y) => {
            deriv_zero(x, i) && deriv_zero(y, i)
        }
    }
}

fn q_of(e: &E) -> Option<&Rational> {
    match e {
        E::Q(q) => Some(q),
        _ => None,
    }
}

fn simp_neg(a: E) -> E {
    match q_of(&a) {
        Some(q) => E::Q(Rational::from(-q)),
        None => E::Neg(b(a)),
    }
}
fn simp_add(x: E, y: E) -> E {
    match (q_of(&x), q_of(&y)) {
        (Some(p), Some(q)) => E::Q(Rational::from(p + q)),
        (Some(p), _) if *p == 0 => y,
        (_, Some(q)) if *q == 0 => x,
        _ => E::Add(b(x), b(y)),
    }
}
fn simp_sub(x: E, y: E) -> E {
    match (q_of(&x), q_of(&y)) {
        (Some(p), Some(q)) => E::Q(Rational::from(p - q)),
        (Some(p), _) if *p == 0 => simp_neg(y),
        (_, Some(q)) if *q == 0 => x,
        _ => E::Sub(b(x), b(y)),
    }
}
fn simp_mul(x: E, y: E) -> E {
    match (q_of(&x), q_of(&y)) {
        (Some(p), Some(q)) => E::Q(Rational::from(p * q)),
        (Some(p), _) | (_, Some(p)) if *p == 0 => E::Q(Rational::new()),
        (Some(p), _) if *p == 1 => y,
        (_, Some(q)) if *q == 1 => x,
        _ => E::Mul(b(x), b(y)),
    }
}
fn simp_div(x: E, y: E) -> E {
    match q_of(&x) {
        Some(p) if *p == 0 => E::Q(Rational::new()),
        _ => E::Div(b(x), b(y)),
    }
}

/// `e` as a polynomial in `n` variables, if it is one.
fn poly(e: &E, n: usize) -> Option<Poly> {
    Some(match e {
        E::Q(q) => Poly::constant(n, q.clone()),
        E::Var(i) => Poly::var(n, *i),
        E::Neg(a) => poly(a, n)?.neg(),
        E::Add(x, y) => poly(x, n)?.add(&poly(y, n)?),
        E::Sub(x, y) => poly(x, n)?.add(&poly(y, n)?.neg()),
        E::Mul(x, y) => poly(x, n)?.mul_bounded(&poly(y, n)?)?,
        E::Div(x, y) => {
            let d = value(y)?;
            if d == 0 {
                return None;
            }
            poly(x, n)?.mul(&Poly::constant(n, d.recip()))
        }
        E::Pow(a, k) if *k >= 0 => poly(a, n)?.pow(k.unsigned_abs())?,
        _ => Poly::constant(n, value(e)?),
    })
}

fn binom(n: u32, k: u32) -> Integer {
    let mut r = Integer::from(1);
    for j in 0..k {
        r *= n - j;
        r /= j + 1;
    }
    r
}

/// The expansion of a polynomial in the basis `Π (y_i - a_i)^k_i (b_i - y_i)^(n_i - k_i)`
/// over the box `[a, b]` (every `a_i < b_i`), `n` its degree in each variable: the
/// coefficient of every basis product, `(k, c)`.
fn bernstein(p: &Poly, lo: &[Rational], hi: &[Rational]) -> Option<Vec<(Vec<u32>, Rational)>> {
    let nv = lo.len();
    let deg = p.degrees();
    let count: usize = deg.iter().map(|d| *d as usize + 1).product();
    if count > 20_000 {
        return None;
    }
    // power coefficients in t, y_i = a_i + w_i t_i
    let w: Vec<Rational> = lo
        .iter()
        .zip(hi)
        .map(|(a, b)| Rational::from(b - a))
        .collect();
    let mut q: BTreeMap<Vec<u32>, Rational> = BTreeMap::new();
    for (e, c) in p.terms() {
        // expand Π (a_i + w_i t_i)^e_i
        let mut parts: Vec<(Vec<u32>, Rational)> = vec![(vec![0; nv], c.clone())];
        for i in 0..nv {
            let mut next = Vec::new();
            for (m, v) in &parts {
                for j in 0..=e[i] {
                    let coef =
                        Rational::from(binom(e[i], j)) * pow_q(&lo[i], e[i] - j) * pow_q(&w[i], j);
                    if coef == 0 {
                        continue;
                    }
                    let mut m2 = m.clone();
                    m2[i] = j;
                    next.push((m2, Rational::from(v * &coef)));
                }
            }
            parts = next;
        }
        for (m, v) in parts {
            *q.entry(m).or_default() += v;
        }
    }
    // Bernstein coefficients on [0,1]^n, then scaled to the (y - a), (b - y) basis
    let mut out = Vec::with_capacity(count);
    let mut k = vec![0u32; nv];
    loop {
        let mut bk = Rational::new();
        for (j, v) in &q {
            if j.iter().zip(&k).all(|(ji, ki)| ji <= ki) {
                let mut f = v.clone();
                for i in 0..nv {
                    f *= Rational::from((binom(k[i], j[i]), binom(deg[i], j[i])));
                }
                bk += f;
            }
        }
        for i in 0..nv {
            bk *= Rational::from(binom(deg[i], k[i]));
            bk /= pow_q(&w[i], deg[i]);
        }
        out.push((k.clone(), bk));
        // next multi-index
        let mut i = 0;
        loop {
            if i == nv {
                return Some(out);
            }
            if k[i] < deg[i] {
                k[i] += 1;
                break;
            }
            k[i] = 0;
            i += 1;
        }
    }
}

/// One axis of a box: its ends and whether each is excluded.
#[derive(Clone, Debug)]
struct Axis {
    lo: Rational,
    hi: Rational,
    lo_ex: bool,
    hi_ex: bool,
}

impl Axis {
    fn point(&self) -> bool {
        self.lo == self.hi
    }
}

/// Whether the strict Bernstein test passes, as `StabcertLib.strictb` computes it.
fn strict_ok(coefs: &[(Vec<u32>, Rational)], deg: &[u32], axes: &[&Axis]) -> bool {
    let kinds: Vec<Vec<u8>> = axes
        .iter()
        .map(|a| {
            let mut k = Vec::new();
            if !a.lo_ex {
                k.push(0);
            }
            k.push(1);
            if !a.hi_ex {
                k.push(2);
            }
            k
        })
        .collect();
    let mut all: Vec<Vec<u8>> = vec![vec![]];
    for ks in &kinds {
        all = all
            .iter()
            .flat_map(|v| {
                ks.iter().map(move |k| {
                    let mut w = v.clone();
                    w.push(*k);
                    w
                })
            })
            .collect();
    }
    all.iter().all(|kv| {
        coefs.iter().any(|(k, c)| {
            *c > 0
                && kv.iter().enumerate().all(|(i, kind)| match kind {
                    0 => k[i] == 0,
                    2 => k[i] == deg[i],
                    _ => true,
                })
        })
    })
}

/// A term of an expansion: its multi-index and coefficient.
type Term = (Vec<u32>, Rational);

/// The expansion `terms` (multi-indices of degree `deg`, sorted with axis 0 slowest) from
/// axis `axis` on as a `StabcertLib.btree`: terms grouped by their index on each axis in turn.
fn btree(terms: &[&Term], axis: usize, deg: &[u32]) -> String {
    if axis == deg.len() {
        return match terms {
            [(_, c)] => format!("(BLeaf {})", coq_qq(c)),
            _ => "BNil".into(),
        };
    }
    let mut groups: Vec<(u32, Vec<&Term>)> = Vec::new();
    for t in terms {
        match groups.iter_mut().find(|g| g.0 == t.0[axis]) {
            Some(g) => g.1.push(t),
            None => groups.push((t.0[axis], vec![t])),
        }
    }
    groups.sort_by_key(|g| g.0);
    let mut out = "BNil".to_string();
    for (k, g) in groups.iter().rev() {
        out = format!(
            "(BCons {k} {} {}\n {out})",
            deg[axis] - k,
            btree(g, axis + 1, deg)
        );
    }
    out
}

/// A margin to prove on a box: the tactic text proving `0 < m` (or `0 <= m`), in a context
/// where the free variables and their bounds are introduced.
struct Leaf<'a> {
    m: &'a E,
    strict: bool,
    /// Per axis: `Some(name)` if the axis is a variable of the lemma.
    names: &'a [String],
    free: &'a [usize],
    axes: &'a [Axis],
}

impl Leaf<'_> {
    /// Bernstein expansion in the lemma's variables, if the margin is a polynomial and the
    /// test passes on the box; point axes become constants first.
    fn bernstein_tactic(&self) -> Option<(String, usize)> {
        let n = self.names.len();
        let mut script = String::new();
        let mut by: Vec<E> = (0..n).map(E::Var).collect();
        for &i in self.free {
            if self.axes[i].point() {
                by[i] = E::Q(self.axes[i].lo.clone());
                let _ = write!(
                    script,
                    "replace {} with {} by lra; ",
                    self.names[i],
                    coq_q(&self.axes[i].lo)
                );
            }
        }
        let m = subst(self.m, &by);
        let vars: Vec<usize> = self
            .free
            .iter()
            .copied()
            .filter(|&i| !self.axes[i].point())
            .collect();
        // polynomial in the proper free variables, renumbered
        let mut renum: Vec<E> = (0..n).map(|_| E::Q(Rational::new())).collect();
        for (k, &i) in vars.iter().enumerate() {
            renum[i] = E::Var(k);
        }
        // `sqrt` of an exact square (or `abs`, `min`, `max` of constants) is a constant to
        // `poly`, an atom to Coq: state its value for `lra` where the margin is constant; leave
        // a polynomial to `interval`
        let mut roots = Vec::new();
        atoms(&m, &mut roots);
        let p = poly(&subst(&m, &renum), vars.len().max(1))?;
        if vars.is_empty() {
            let v = p.as_constant().unwrap_or_default();
            let ok = if self.strict { v > 0 } else { v >= 0 };
            script.push_str(&assert_roots(&roots, self.names, "", "; "));
            return ok.then(|| (format!("({script}lra)"), 0));
        }
        if !roots.is_empty() {
            return None;
        }
        let lo: Vec<Rational> = vars.iter().map(|&i| self.axes[i].lo.clone()).collect();
        let hi: Vec<Rational> = vars.iter().map(|&i| self.axes[i].hi.clone()).collect();
        let coefs = bernstein(&p, &lo, &hi)?;
        let deg = p.degrees();
        if coefs.iter().any(|(_, c)| *c < 0) {
            return None;
        }
        let axes: Vec<&Axis> = vars.iter().map(|&i| &self.axes[i]).collect();
        if self.strict && !strict_ok(&coefs, &deg, &axes) {
            return None;
        }
        let ys = format!(
            "[{}]",
            vars.iter()
                .map(|&i| self.names[i].clone())
                .collect::<Vec<_>>()
                .join("; ")
        );
        let mut pos = vec![None; n];
        for (k, &i) in vars.iter().enumerate() {
            pos[i] = Some(k + 1);
        }
        let pe = coq_pe(&m, &pos)?;
        let bx = format!(
            "[{}]",
            axes.iter()
                .map(|a| format!(
                    "({}, {}, {}, {})",
                    coq_qq(&a.lo),
                    coq_qq(&a.hi),
                    a.lo_ex,
                    a.hi_ex
                ))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let nz: Vec<&Term> = coefs.iter().filter(|(_, c)| *c != 0).collect();
        let tree = btree(&nz, 0, &deg);
        let rel = if self.strict { "<" } else { "<=" };
        // the computed tests are left to the kernel (`vm_cast_no_check`): it runs them once,
        // at `Qed`, instead of once more at tactic time; a test that fails fails the `Qed`.
        let fin = if self.strict {
            "bernstein_pos L PE BX T); [exact I | vm_cast_no_check (eq_refl true) | vm_cast_no_check (eq_refl true) | vm_cast_no_check (eq_refl true) | vm_cast_no_check (eq_refl true)])"
        } else {
            "bernstein_nonneg L PE BX T); [exact I | vm_cast_no_check (eq_refl true) | vm_cast_no_check (eq_refl true)])"
        };
        Some((
            format!(
                "({script}\n  let L := constr:({ys}) in\n  let PE := constr:({pe}) in\n  let BX := constr:({bx}) in\n  \
                 let T := constr:({tree}) in\n  \
                 change (0 {rel} evalR L PE);\n  \
                 assert (I : inbox L 1 BX) by (cbn [inbox lower upper var BinList.nth BinList.jump hd tl Pos.succ]; unfold Q2R; cbn [Qnum Qden]; repeat split; lra);\n  \
                 apply ({fin}"
            ),
            nz.len(),
        ))
    }

    /// The tactic for a leaf the kernel checks by `method`. Where the Bernstein test passes
    /// (decided here in exact arithmetic, as Coq decides it) the Bernstein checker alone, so
    /// that the file needs no `interval`; except for a large expansion of a leaf the
    /// certificate proved by an enclosure, where `interval` is tried first. Otherwise
    /// `interval`, with `extra` options next.
    fn tactic(&self, method: &str, extra: &[String]) -> String {
        let bern = self.bernstein_tactic();
        let interval_first = method != "bernstein" && (self.strict || method == "interval");
        match bern {
            Some((b, n)) if !interval_first || n <= BERNSTEIN_ALONE => return format!("{b}."),
            _ => {}
        }
        let mut alts: Vec<String> = vec!["interval".into(), "interval with (i_prec 120)".into()];
        alts.extend(extra.iter().map(|x| format!("interval with ({x})")));
        // the Bernstein checker last: its computed tests fail at `Qed`, not here
        alts.extend(bern.map(|b| b.0));
        // Coq.Interval has no min/max: their cases first (each case's condition is a premise
        // `lra` uses and `interval` may)
        let mut ms = Vec::new();
        atoms(self.m, &mut ms);
        if ms
            .iter()
            .any(|a| matches!(a, E::Min(..) | E::Max(..)) && value(a).is_none())
        {
            alts.insert(0, "lra".into());
            return format!(
                "unfold Rmin, Rmax; repeat match goal with |- context [Rle_dec ?a ?b] => destruct (Rle_dec a b) end;\n    first [{}].",
                alts.join("\n    | ")
            );
        }
        format!("first [{}].", alts.join("\n    | "))
    }
}

/// Up to this many terms a Bernstein expansion is the leaf's only proof even where the
/// certificate used an enclosure (checking it costs milliseconds; loading Coq.Interval for
/// it alone costs more).
const BERNSTEIN_ALONE: usize = 400;

/// A condition `lhs op rhs`.
#[derive(Clone, Debug)]
struct Cond {
    lhs: E,
    op: String,
    rhs: E,
}

impl Cond {
    fn strict(&self) -> bool {
        self.op == "<" || self.op == ">"
    }
    fn margin(&self) -> E {
        match self.op.as_str() {
            "<" | "<=" => E::Sub(b(self.rhs.clone()), b(self.lhs.clone())),
            _ => E::Sub(b(self.lhs.clone()), b(self.rhs.clone())),
        }
    }
    fn coq(&self, names: &[String]) -> String {
        format!(
            "{} {} {}",
            coq(&self.lhs, names),
            self.op,
            coq(&self.rhs, names)
        )
    }
    fn map(&self, f: impl Fn(&E) -> E) -> Cond {
        Cond {
            lhs: f(&self.lhs),
            op: self.op.clone(),
            rhs: f(&self.rhs),
        }
    }
}

fn cond(v: &Value) -> R<Cond> {
    let op = v["op"]
        .as_str()
        .ok_or("a condition without `op`")?
        .to_string();
    if !["<", "<=", ">", ">="].contains(&op.as_str()) {
        return Err(format!(
            "the comparison `{op}` is not supported by the Coq export"
        ));
    }
    Ok(Cond {
        lhs: expr(&v["lhs"])?,
        op,
        rhs: expr(&v["rhs"])?,
    })
}

struct Binding {
    lo: E,
    hi: E,
    lo_closed: bool,
    hi_closed: bool,
}

/// A claim, read from its certificate's `claim`.
struct Claim {
    name: String,
    vars: Vec<String>,
    bindings: Vec<Binding>,
    hyps: Vec<Cond>,
    goals: Vec<Cond>,
}

fn claim(v: &Value) -> R<Claim> {
    let vars: Vec<String> = v["variables"]
        .as_array()
        .ok_or("a claim without variables")?
        .iter()
        .map(|s| s.as_str().unwrap_or("x").to_string())
        .collect();
    let bindings = v["bindings"]
        .as_array()
        .ok_or("a claim without bindings")?
        .iter()
        .map(|b| {
            Ok(Binding {
                lo: expr(&b["lo"])?,
                hi: expr(&b["hi"])?,
                lo_closed: b["lo_closed"]
                    .as_bool()
                    .ok_or("a binding without lo_closed")?,
                hi_closed: b["hi_closed"]
                    .as_bool()
                    .ok_or("a binding without hi_closed")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let conds = |k: &str| -> R<Vec<Cond>> {
        v[k].as_array()
            .ok_or(format!("a claim without {k}"))?
            .iter()
            .map(cond)
            .collect()
    };
    Ok(Claim {
        name: v["name"].as_str().unwrap_or("claim").to_string(),
        vars,
        bindings,
        hyps: conds("hyps")?,
        goals: conds("goals")?,
    })
}

const COQ_RESERVED: &[&str] = &[
    "as", "at", "cofix", "else", "end", "exists", "exists2", "fix", "for", "forall", "fun", "if",
    "IF", "in", "let", "match", "mod", "Prop", "return", "Set", "then", "Type", "using", "where",
    "with", "R", "Q", "I", "t", "sqrt", "Rabs", "Rmin", "Rmax", "pow", "PI", "exp", "ln", "sin",
    "cos", "tan", "atan", "bsum", "bprod", "inbox", "lower", "upper",
];

/// Coq names for the claim's variables: the names as written where Coq accepts them.
fn var_names(vars: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, v) in vars.iter().enumerate() {
        let ok = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !COQ_RESERVED.contains(&v.as_str())
            && !v.starts_with('y')
            && !out.contains(v);
        out.push(if ok { v.clone() } else { format!("v{i}_") });
    }
    out
}

/// The Coq theorem statement of a claim.
fn statement(c: &Claim, names: &[String]) -> String {
    let mut s = format!(
        "forall {}",
        names
            .iter()
            .map(|n| format!("({n} : R)"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    s.push_str(",\n  ");
    for (i, bd) in c.bindings.iter().enumerate() {
        let _ = write!(
            s,
            "{} {} {} {} {} ->\n  ",
            coq(&bd.lo, names),
            if bd.lo_closed { "<=" } else { "<" },
            names[i],
            if bd.hi_closed { "<=" } else { "<" },
            coq(&bd.hi, names)
        );
    }
    for h in &c.hyps {
        let _ = write!(s, "{} ->\n  ", h.coq(names));
    }
    let goals: Vec<String> = c.goals.iter().map(|g| g.coq(names)).collect();
    s.push_str(&goals.join(" /\\\n  "));
    s
}

/// The box coordinates of a claim: per axis, constant ends or a reparametrisation.
struct Coords {
    /// `x_i` in box coordinates (`Var(j)` is `y_j`).
    x: Vec<E>,
    /// The root box.
    root: Vec<Axis>,
    /// Hidden hypotheses then the claim's, in box coordinates.
    hyps: Vec<Cond>,
    /// Whether axis `i` is reparametrised.
    reparam: Vec<bool>,
}

fn coords(c: &Claim) -> Coords {
    let mut x: Vec<E> = Vec::new();
    let mut root = Vec::new();
    let mut hidden = Vec::new();
    let mut reparam = Vec::new();
    for (i, bd) in c.bindings.iter().enumerate() {
        let (lo, hi) = (
            subst(&bd.lo, &x_pad(&x, c.bindings.len())),
            subst(&bd.hi, &x_pad(&x, c.bindings.len())),
        );
        let (lo_ex, hi_ex) = (!bd.lo_closed, !bd.hi_closed);
        match (value(&bd.lo), value(&bd.hi)) {
            (Some(a), Some(bv)) => {
                root.push(Axis {
                    lo: a,
                    hi: bv,
                    lo_ex,
                    hi_ex,
                });
                x.push(E::Var(i));
                reparam.push(false);
            }
            _ => {
                root.push(Axis {
                    lo: Rational::new(),
                    hi: Rational::from(1),
                    lo_ex,
                    hi_ex,
                });
                x.push(E::Add(
                    b(lo.clone()),
                    b(E::Mul(
                        b(E::Var(i)),
                        b(E::Sub(b(hi.clone()), b(lo.clone()))),
                    )),
                ));
                hidden.push(Cond {
                    lhs: E::Q(Rational::new()),
                    op: if lo_ex || hi_ex { "<" } else { "<=" }.into(),
                    rhs: E::Sub(b(hi), b(lo)),
                });
                reparam.push(true);
            }
        }
    }
    let hyps = hidden
        .into_iter()
        .chain(c.hyps.iter().map(|h| h.map(|e| subst(e, &x))))
        .collect();
    Coords {
        x,
        root,
        hyps,
        reparam,
    }
}

fn x_pad(x: &[E], n: usize) -> Vec<E> {
    let mut v = x.to_vec();
    while v.len() < n {
        v.push(E::Var(v.len()));
    }
    v
}

/// Writes the node lemmas of one proof tree.
struct Writer<'a> {
    out: String,
    prefix: String,
    count: usize,
    hyps: &'a [Cond],
    ynames: Vec<String>,
    /// What the lemmas written so far use.
    needs: Needs,
}

/// The state of a node: its box, which axes are pinned (to which value), strictness, and
/// whether the claim's hypotheses are premises (not under a pin).
#[derive(Clone)]
struct Node {
    axes: Vec<Axis>,
    pinned: Vec<Option<Rational>>,
    strict: bool,
    with_hyps: bool,
}

impl Writer<'_> {
    fn fresh(&mut self) -> String {
        self.count += 1;
        format!("{}_n{}", self.prefix, self.count)
    }

    /// Variable names at a node: pinned axes print as their constant.
    fn names(&self, n: &Node) -> Vec<String> {
        (0..n.axes.len())
            .map(|i| match &n.pinned[i] {
                Some(q) => coq_q(q),
                None => self.ynames[i].clone(),
            })
            .collect()
    }

    fn free(n: &Node) -> Vec<usize> {
        (0..n.axes.len())
            .filter(|&i| n.pinned[i].is_none())
            .collect()
    }

    /// `forall ys, bounds -> hyps -> concl` and the intro pattern.
    fn header(&self, n: &Node, concl: &str, closed: &[usize]) -> (String, String) {
        let names = self.names(n);
        let free = Self::free(n);
        let mut s = String::new();
        let mut intro = Vec::new();
        if !free.is_empty() {
            let _ = write!(
                s,
                "forall {}, ",
                free.iter()
                    .map(|&i| names[i].clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            intro.extend(free.iter().map(|&i| names[i].clone()));
        }
        for &i in &free {
            let a = &n.axes[i];
            let (lo_ex, hi_ex) = if closed.contains(&i) {
                (false, false)
            } else {
                (a.lo_ex, a.hi_ex)
            };
            let _ = write!(
                s,
                "{} {} {} -> {} {} {} -> ",
                coq_q(&a.lo),
                if lo_ex { "<" } else { "<=" },
                names[i],
                names[i],
                if hi_ex { "<" } else { "<=" },
                coq_q(&a.hi)
            );
            intro.push(format!("L{i}"));
            intro.push(format!("U{i}"));
        }
        if n.with_hyps {
            for (k, h) in self.hyps.iter().enumerate() {
                let _ = write!(s, "{} -> ", h.coq(&names));
                intro.push(format!("K{k}"));
            }
        }
        s.push_str(concl);
        (s, intro.join(" "))
    }

    fn lemma(&mut self, name: &str, stmt: &str, intro: &str, proof: &str) {
        // (a name containing `interval` only costs a needless import)
        self.needs.interval |= proof.contains("interval");
        self.needs.mono |= proof.contains("mono_");
        let _ = writeln!(
            self.out,
            "Lemma {name} :\n  {stmt}.\nProof.\n  {}{proof}\nQed.\n",
            if intro.is_empty() {
                String::new()
            } else {
                format!("intros {intro}.\n  ")
            }
        );
    }

    /// A lemma `0 < e` / `0 <= e` over the node's box (no hypotheses; axes `closed` with
    /// both ends included), proved by Bernstein or `interval`; returns its name.
    fn sub_lemma(
        &mut self,
        n: &Node,
        e: &E,
        strict: bool,
        closed: &[usize],
        bern_only: bool,
    ) -> R<String> {
        let name = self.fresh();
        let names = self.names(n);
        let mut sn = n.clone();
        sn.with_hyps = false;
        let concl = format!("0 {} {}", if strict { "<" } else { "<=" }, coq(e, &names));
        let (stmt, intro) = self.header(&sn, &concl, closed);
        let mut axes = n.axes.clone();
        for &i in closed {
            axes[i].lo_ex = false;
            axes[i].hi_ex = false;
        }
        let free = Self::free(n);
        let leaf = Leaf {
            m: e,
            strict,
            names: &names,
            free: &free,
            axes: &axes,
        };
        let tac = if bern_only {
            leaf.bernstein_tactic().map(|b| b.0).ok_or(
                "an S-procedure leaf whose remainder does not pass the Bernstein test here",
            )? + "."
        } else {
            leaf.tactic("interval", &[])
        };
        self.lemma(&name, &stmt, &intro, &tac);
        Ok(name)
    }

    fn apply_args(&self, n: &Node, names: &[String]) -> String {
        Self::free(n)
            .iter()
            .map(|&i| names[i].clone())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Writes the lemma for `tree` at node `n` proving `0 < m` / `0 <= m`; returns its name.
    fn node(&mut self, tree: &Value, n: &Node, m: &E) -> R<String> {
        let name = self.fresh();
        let names = self.names(n);
        let mc = subst_pins(m, n);
        let concl = format!(
            "0 {} {}",
            if n.strict { "<" } else { "<=" },
            coq(&mc, &names)
        );
        let (stmt, intro) = self.header(n, &concl, &[]);
        let obj = tree.as_object().ok_or("a proof node is not an object")?;
        let (kind, body) = obj.iter().next().ok_or("an empty proof node")?;
        let proof = match kind.as_str() {
            "split" => {
                let axis = body["axis"].as_u64().ok_or("a split without axis")? as usize;
                let at = rat(&body["at"])?;
                if axis >= n.axes.len() || n.pinned[axis].is_some() {
                    return Err("a split on a pinned or missing axis".into());
                }
                let mut lo = n.clone();
                lo.axes[axis].hi = at.clone();
                lo.axes[axis].hi_ex = false;
                let mut hi = n.clone();
                hi.axes[axis].lo = at.clone();
                hi.axes[axis].lo_ex = false;
                let l = self.node(&body["lo"], &lo, m)?;
                let h = self.node(&body["hi"], &hi, m)?;
                let args = self.apply_args(n, &names);
                format!(
                    "destruct (Rle_or_lt {} {}) as [C|C]; [apply ({l} {args}) | apply ({h} {args})]; first [assumption | lra].",
                    names[axis],
                    coq_q(&at)
                )
            }
            "pin" => self.pin(body, n, m, &names)?,
            "leaf" => self.leaf(body, n, &mc, &names)?,
            other => {
                return Err(format!(
                    "the proof node `{other}` is not supported by the Coq export"
                ))
            }
        };
        self.lemma(&name, &stmt, &intro, &proof);
        Ok(name)
    }

    fn pin(&mut self, body: &Value, n: &Node, m: &E, names: &[String]) -> R<String> {
        let pins: Vec<(usize, bool)> = body["pins"]
            .as_array()
            .ok_or("a pin without pins")?
            .iter()
            .map(|p| {
                let i = p[0].as_u64().ok_or("a pin without axis")? as usize;
                let upper = match p[1].as_str() {
                    Some("lo") => false,
                    Some("hi") => true,
                    _ => return Err("a pin end is neither lo nor hi".to_string()),
                };
                if i >= n.axes.len() || n.pinned[i].is_some() {
                    return Err("a pin on a pinned or missing axis".to_string());
                }
                Ok((i, upper))
            })
            .collect::<R<_>>()?;
        let s2 = body["strict"].as_bool().ok_or("a pin without strict")?;
        if s2 && !n.strict {
            // the face proves more than needed: fine
        }
        let mc = subst_pins(m, n);
        let bx: Vec<(Rational, Rational)> = n
            .axes
            .iter()
            .map(|a| (a.lo.clone(), a.hi.clone()))
            .collect();
        if let Some(why) = pins.iter().find_map(|&(i, _)| pin_obstacle(&mc, i, &bx)) {
            return Err(why);
        }
        // which pin carries strictness, if the face does not
        let mut strict_pin = None;
        if n.strict && !s2 {
            strict_pin = pins
                .iter()
                .position(|&(i, up)| if up { n.axes[i].hi_ex } else { n.axes[i].lo_ex });
            if strict_pin.is_none() {
                return Err("a pin drops strictness without a pin at an excluded end".into());
            }
        }
        // slope lemmas over the node's box (the pinned axis closed)
        let mut script = String::new();
        let mut face = n.clone();
        face.strict = s2;
        face.with_hyps = false;
        let free = Self::free(n);
        let mut prev_names = names.to_vec();
        for (j, &(i, upper)) in pins.iter().enumerate() {
            let d = deriv(&mc, i)?;
            let strict = strict_pin == Some(j);
            let dm = if upper {
                simp_neg(d.clone())
            } else {
                d.clone()
            };
            let closed: Vec<usize> = pins.iter().map(|p| p.0).collect();
            let sname = self.sub_lemma(n, &dm, strict, &closed, false)?;
            // the step: f(t) = m with earlier pins set and y_i = t
            let a = if upper { &n.axes[i].hi } else { &n.axes[i].lo };
            let mut tnames = prev_names.clone();
            tnames[i] = "t".into();
            let f = coq(&mc, &tnames);
            let df = coq(&d, &tnames);
            let lemma = match (upper, strict) {
                (false, false) => "mono_lo",
                (false, true) => "mono_lo_strict",
                (true, false) => "mono_hi",
                (true, true) => "mono_hi_strict",
            };
            let args: Vec<String> = free.iter().map(|&k| tnames[k].clone()).collect();
            let _ = write!(
                script,
                "pose proof ({lemma} (fun t => {f}) (fun t => {df}) {} {} {}) as E{j}.\n  \
                 cbv beta in E{j}.\n  \
                 assert (S{j} : forall t, {} <= t <= {} -> {}) by (intros t Ht; pose proof ({sname} {}) as Z; repeat (specialize (Z ltac:(lra))); lra).\n  \
                 assert (D{j} : forall t, {} <= t <= {} -> is_derive (fun t => {f}) t ({df})) by (intros t Ht; destruct Ht; auto_derive; repeat split; first [ring | (intro; lra) | interval | (field; repeat split; first [(intro; lra) | interval]) | lra]).\n  \
                 specialize (E{j} D{j} S{j} ltac:(split; lra)).\n  ",
                coq_q(&n.axes[i].lo),
                coq_q(&n.axes[i].hi),
                prev_names[i],
                coq_q(&n.axes[i].lo),
                coq_q(&n.axes[i].hi),
                match (upper, strict) {
                    (false, false) => format!("0 <= {df}"),
                    (false, true) => format!("0 < {df}"),
                    (true, false) => format!("{df} <= 0"),
                    (true, true) => format!("{df} < 0"),
                },
                args.join(" "),
                coq_q(&n.axes[i].lo),
                coq_q(&n.axes[i].hi),
            );
            face.pinned[i] = Some(a.clone());
            prev_names[i] = coq_q(a);
        }
        let fname = self.node_face(body, &face, m)?;
        let fargs = self.apply_args(&face, &prev_names);
        let _ = write!(
            script,
            "pose proof ({fname} {fargs}) as F. repeat (specialize (F ltac:(first [assumption | lra]))). lra."
        );
        Ok(script)
    }

    fn node_face(&mut self, body: &Value, face: &Node, m: &E) -> R<String> {
        self.node(&body["face"], face, m)
    }

    fn leaf(&mut self, body: &Value, n: &Node, mc: &E, names: &[String]) -> R<String> {
        let method = body["method"].as_str().ok_or("a leaf without method")?;
        let free = Self::free(n);
        let axes = n.axes.clone();
        let leaf = Leaf {
            m: mc,
            strict: n.strict,
            names,
            free: &free,
            axes: &axes,
        };
        Ok(match method {
            "interval" | "bernstein" => leaf.tactic(method, &[]),
            "mean_value" => {
                let vs: Vec<&String> = free
                    .iter()
                    .filter(|&&i| !n.axes[i].point())
                    .map(|&i| &names[i])
                    .collect();
                // first order along the first variable, then plain bisection along all
                let mut extra: Vec<String> = vs
                    .first()
                    .map(|v| format!("i_autodiff {v}, i_bisect {v}, i_depth 12"))
                    .into_iter()
                    .collect();
                if vs.len() > 1 {
                    let all: Vec<String> = vs.iter().map(|v| format!("i_bisect {v}")).collect();
                    extra.push(format!("{}, i_depth 12", all.join(", ")));
                }
                leaf.tactic(method, &extra)
            }
            "exact_point" => {
                let mut s = String::new();
                for &i in &free {
                    let _ = write!(
                        s,
                        "replace {} with {} by lra. ",
                        names[i],
                        coq_q(&n.axes[i].lo)
                    );
                }
                format!("{s}first [lra | nra | interval with (i_prec 200)].")
            }
            "pruned" | "s_procedure" => {
                if !n.with_hyps {
                    return Err(format!("a `{method}` leaf below a pin"));
                }
                let k = body["hyp"].as_u64().ok_or("a leaf without hyp")? as usize;
                let h = self.hyps.get(k).ok_or("a leaf's hyp is out of range")?;
                let hm = subst_pins(&h.margin(), n);
                let args = self.apply_args(n, names);
                if method == "pruned" {
                    let neg = simp_neg(hm);
                    let sub = self.sub_lemma(n, &neg, !h.strict(), &[], false)?;
                    format!("exfalso. pose proof ({sub} {args}) as X. repeat (specialize (X ltac:(first [assumption | lra]))). first [lra | nra].")
                } else {
                    let lambda = rat(&body["lambda"])?;
                    if lambda < 0 {
                        return Err("a negative S-procedure multiplier".into());
                    }
                    let inner_strict = n.strict && !(h.strict() && lambda > 0);
                    let r = E::Sub(b(mc.clone()), b(E::Mul(b(E::Q(lambda.clone())), b(hm))));
                    let sub = self.sub_lemma(n, &r, inner_strict, &[], true)?;
                    format!("pose proof ({sub} {args}) as X. repeat (specialize (X ltac:(first [assumption | lra]))). first [lra | nra].")
                }
            }
            other => {
                return Err(format!(
                    "the leaf method `{other}` is not supported by the Coq export"
                ))
            }
        })
    }
}

fn subst_pins(m: &E, n: &Node) -> E {
    let by: Vec<E> = n
        .pinned
        .iter()
        .enumerate()
        .map(|(i, p)| p.as_ref().map_or(E::Var(i), |q| E::Q(q.clone())))
        .collect();
    subst(m, &by)
}

/// A Coq identifier from a claim name.
pub fn ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "c_");
    }
    s
}

/// What a proof needs imported besides the reals and `lra`/`nra`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// `StabcertLib` (box coordinates, conclusions from margins, the Bernstein checker).
    pub lib: bool,
    /// Coquelicot and `StabcertMono` (monotonicity pins).
    pub mono: bool,
    /// Coq.Interval's `interval` tactic.
    pub interval: bool,
}

impl Needs {
    fn union(self, o: Needs) -> Needs {
        Needs {
            lib: self.lib || o.lib,
            mono: self.mono || o.mono,
            interval: self.interval || o.interval,
        }
    }
}

/// The claim's theorem and the lemmas it rests on, without the imports.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The Coq text: the node lemmas, then the theorem.
    pub text: String,
    /// The theorem's name.
    pub theorem: String,
    /// What it needs imported.
    pub needs: Needs,
}

/// The imports of a file: only what its proofs use (loading Coq.Interval or Coquelicot
/// costs more than most proofs).
fn prelude(n: Needs) -> String {
    let mut s = String::from("From Coq Require Import Reals Lra Psatz.\n");
    if n.mono {
        s.push_str("From Coquelicot Require Import Coquelicot.\n");
    }
    if n.interval {
        s.push_str("Require Import Interval.Tactic.\n");
    }
    if n.lib {
        s.push_str(
            "From Coq Require Import QArith Qreals List.\nFrom Stabcert Require Import StabcertLib.\nImport ListNotations.\n",
        );
    }
    if n.mono {
        s.push_str("From Stabcert Require Import StabcertMono.\n");
    }
    s.push_str("Local Open Scope R_scope.\n");
    s
}

/// A `.v` file holding `pieces`: one claim's proof as it is, or several, each in a module
/// named after its theorem (so that no claim's names can shadow another's).
pub fn file(pieces: &[&Piece]) -> String {
    let needs = pieces
        .iter()
        .fold(Needs::default(), |n, p| n.union(p.needs));
    let mut out = prelude(needs);
    match pieces {
        [p] => {
            out.push('\n');
            out.push_str(&p.text);
        }
        _ => {
            for p in pieces {
                let _ = write!(
                    out,
                    "\nModule {}.\n{}End {}.\n",
                    p.theorem, p.text, p.theorem
                );
            }
        }
    }
    out
}

/// The Coq proof of a proved claim, from its certificate: theorem `id` and its lemmas.
pub fn proved(cert: &Value, id: &str) -> R<Piece> {
    let c = claim(&cert["claim"])?;
    // Constant irrational ends (`sqrt(2)`) get rational box ends and polynomial conditions
    // in the prover's domain (prover/algebraic.rs), which `coords` does not reproduce.
    if c.bindings.iter().any(|bd| {
        let irrational = |e: &E| is_const(e) && value(e).is_none();
        irrational(&bd.lo) || irrational(&bd.hi)
    }) {
        return Err("irrational constant binding ends are not supported by the Coq export".into());
    }
    let names = var_names(&c.vars);
    let co = coords(&c);
    let id = id.to_string();
    let ynames: Vec<String> = (0..c.vars.len()).map(|i| format!("y{i}")).collect();
    let mut w = Writer {
        out: String::new(),
        prefix: id.clone(),
        count: 0,
        hyps: &co.hyps,
        ynames: ynames.clone(),
        needs: Needs::default(),
    };
    let root = Node {
        axes: co.root.clone(),
        pinned: vec![None; c.vars.len()],
        strict: false,
        with_hyps: true,
    };
    let empty = cert["empty_domain"].as_bool().unwrap_or(false);
    let mut roots = Vec::new();
    if empty {
        let zero = E::Q(Rational::new());
        match cert.get("emptiness") {
            Some(t) => {
                let n = Node {
                    strict: true,
                    ..root.clone()
                };
                roots.push(w.node(t, &n, &zero)?);
            }
            None => {
                if !co
                    .root
                    .iter()
                    .any(|a| a.lo > a.hi || (a.lo == a.hi && (a.lo_ex || a.hi_ex)))
                {
                    return Err("an empty domain without an emptiness proof".into());
                }
            }
        }
    } else {
        let proofs = cert["proofs"]
            .as_array()
            .ok_or("a certificate without proofs")?;
        if proofs.len() != c.goals.len() {
            return Err("the certificate does not have one proof per conclusion".into());
        }
        for (g, p) in c.goals.iter().zip(proofs) {
            let m = subst(&g.margin(), &co.x);
            let n = Node {
                strict: g.strict(),
                ..root.clone()
            };
            roots.push(w.node(&p["tree"], &n, &m)?);
        }
    }
    // main theorem
    let mut proof = String::new();
    let mut pat = names.join(" ");
    for i in 0..c.bindings.len() {
        let _ = write!(pat, " [L{i} U{i}]");
    }
    for k in 0..c.hyps.len() {
        let _ = write!(pat, " H{k}");
    }
    let _ = writeln!(proof, "intros {pat}.");
    for (i, bd) in c.bindings.iter().enumerate() {
        if co.reparam[i] {
            let _ = writeln!(
                proof,
                "  destruct (reparam {} {} _ _ {} L{i} U{i}) as ({} & L{i}' & U{i}' & -> & Z{i}). cbn [lower upper orb] in L{i}', U{i}', Z{i}. clear L{i} U{i}.",
                !bd.lo_closed,
                !bd.hi_closed,
                names[i],
                ynames[i]
            );
        } else {
            let _ = writeln!(proof, "  rename {} into {}.", names[i], ynames[i]);
        }
    }
    let args = ynames.join(" ");
    if empty {
        if roots.is_empty() {
            // the ends' exact roots (`sqrt(4) < x < 2`), for lra
            let mut ends = Vec::new();
            for bd in &c.bindings {
                atoms(&bd.lo, &mut ends);
                atoms(&bd.hi, &mut ends);
            }
            let _ = writeln!(
                proof,
                "  exfalso. {}lra.",
                assert_roots(&ends, &names, "", ". ")
            );
        } else {
            let _ = writeln!(
                proof,
                "  exfalso. pose proof ({} {args}) as F. repeat (specialize (F ltac:(first [assumption | lra]))). lra.",
                roots[0]
            );
        }
    } else {
        for (k, (g, r)) in c.goals.iter().zip(&roots).enumerate() {
            let lemma = match g.op.as_str() {
                "<" => "m_lt",
                "<=" => "m_le",
                ">" => "m_gt",
                _ => "m_ge",
            };
            if k + 1 < c.goals.len() {
                proof.push_str("  split.\n");
            }
            let _ = writeln!(
                proof,
                "  {{ apply {lemma}. apply ({r} {args}); first [assumption | lra]. }}"
            );
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "(* {}: proved by stabcert; this proof follows its certificate. *)\n",
        c.name
    );
    out.push_str(&w.out);
    let _ = writeln!(
        out,
        "Theorem {id} :\n  {}.\nProof.\n  {proof}Qed.",
        statement(&c, &names)
    );
    Ok(Piece {
        text: out,
        theorem: id,
        needs: Needs {
            lib: true,
            ..w.needs
        },
    })
}

/// The `sqrt`, `abs`, `min` and `max` subterms of `e`, each after those inside it, without
/// repeats: the atoms `lra` cannot see into.
fn atoms(e: &E, out: &mut Vec<E>) {
    let push = |e: &E, out: &mut Vec<E>| {
        if !out.contains(e) {
            out.push(e.clone());
        }
    };
    match e {
        E::Q(_) | E::Var(_) => {}
        E::Neg(a) | E::Pow(a, _) => atoms(a, out),
        E::Sqrt(a) | E::Abs(a) => {
            atoms(a, out);
            push(e, out);
        }
        E::Min(x, y) | E::Max(x, y) => {
            atoms(x, out);
            atoms(y, out);
            push(e, out);
        }
        E::Add(x, y) | E::Sub(x, y) | E::Mul(x, y) | E::Div(x, y) => {
            atoms(x, out);
            atoms(y, out);
        }
    }
}

/// `assert (a = v) by ...` for every atom `a` (see [`atoms`]) with an exact rational value,
/// innermost first, so that `lra`/`nra` can use it (`sqrt_lem_1`: 0 <= x -> 0 <= y -> y * y
/// = x -> sqrt x = y; `abs`, `min`, `max` by their two cases).
fn assert_roots(roots: &[E], names: &[String], before: &str, after: &str) -> String {
    let mut s = String::new();
    for r in roots {
        let Some(v) = value(r) else { continue };
        let by = match r {
            E::Sqrt(_) => "apply sqrt_lem_1; first [lra | nra]",
            E::Abs(_) => "unfold Rabs; destruct (Rcase_abs _); lra",
            E::Min(..) => "unfold Rmin; destruct (Rle_dec _ _); lra",
            _ => "unfold Rmax; destruct (Rle_dec _ _); lra",
        };
        let _ = write!(
            s,
            "{before}assert ({} = {}) by ({by}){after}",
            coq(r, names),
            coq_q(&v)
        );
    }
    s
}

/// The atoms (see [`atoms`]) of the premises and conclusions of `c` at the point `pt`.
fn claim_atoms(c: &Claim, pt: &[E]) -> Vec<E> {
    let mut out = Vec::new();
    let ends = c.bindings.iter().flat_map(|b| [&b.lo, &b.hi]);
    for e in ends.chain(c.hyps.iter().chain(&c.goals).flat_map(|g| [&g.lhs, &g.rhs])) {
        atoms(&subst(e, pt), &mut out);
    }
    out
}

/// The Coq proof of a refuted claim: theorem `{id}_refuted`, the negation of its statement
/// at the exact witness.
pub fn refuted(claim_json: &Value, witness: &[Rational], id: &str) -> R<Piece> {
    let c = claim(claim_json)?;
    let names = var_names(&c.vars);
    if witness.len() != c.vars.len() {
        return Err("the witness does not give every variable".into());
    }
    let pt: Vec<E> = witness.iter().map(|q| E::Q(q.clone())).collect();
    // the failing conclusion, decided exactly
    let failing = c
        .goals
        .iter()
        .position(|g| match value(&subst(&g.margin(), &pt)) {
            Some(v) => {
                if g.strict() {
                    v <= 0
                } else {
                    v < 0
                }
            }
            None => false,
        })
        .ok_or("no conclusion fails exactly at the witness (an undefined point, or sqrt)")?;
    let args = witness.iter().map(coq_q).collect::<Vec<_>>().join(" ");
    // the exact roots the witness makes, for `lra`
    let roots = claim_atoms(&c, &pt);
    let mut proof = format!("intros H.\n{}", assert_roots(&roots, &names, "  ", ".\n"));
    let _ = writeln!(proof, "  specialize (H {args}).");
    // a premise through an inexact root (`v <= sqrt (1 - x^2)` at a point near the circle) is
    // a comparison of constants: `interval` decides it
    let nprem = c.bindings.len() + c.hyps.len();
    let inexact = roots
        .iter()
        .any(|r| matches!(r, E::Sqrt(_)) && value(r).is_none());
    let numeric = if inexact {
        " | split; interval with (i_prec 200) | interval with (i_prec 200)"
    } else {
        ""
    };
    for _ in 0..nprem {
        let _ = writeln!(
            proof,
            "  specialize (H ltac:(first [split; lra | lra | nra | split; nra{numeric}]))."
        );
    }
    proof.push_str(
        "  repeat match goal with Hc : _ /\\ _ |- _ => destruct Hc end.\n  first [lra | nra].\n",
    );
    let _ = failing;
    Ok(Piece {
        text: format!(
            "(* {}: refuted by stabcert; the negation at the exact witness. *)\nTheorem {id}_refuted :\n  ~ ({}).\nProof.\n  {proof}Qed.\n",
            c.name,
            statement(&c, &names)
        ),
        theorem: format!("{id}_refuted"),
        needs: Needs {
            interval: inexact,
            ..Needs::default()
        },
    })
}
