//! Refutation at a quadratic irrational point: a claim such as `(x^2 - 2)^2 > 0` on `[1, 2]`
//! fails only at `x = sqrt(2)`, where no rational witness exists. The witness then gives each
//! variable as `a + b sqrt(r)` (`a`, `b` rational, one `r > 0` not a rational square) and is
//! confirmed by exact arithmetic in the field `Q(sqrt(r))`, where every sign is decidable:
//! `p + q sqrt(r)` has the sign of `p` and `q` where they agree, and otherwise the sign of the
//! one with the larger square (`p^2` against `q^2 r`, never equal since `r` is no square).
//! `sqrt` of an element is taken only where it is exactly an element (`sqrt(27/20)` in
//! `Q(sqrt(60))`); anything else leaves the point undecided, never guessed.
//!
//! Candidates come from floats (they only guide): with every variable but one snapped to a
//! short rational, the free one is refined to a zero of the margin's derivative along it (a
//! double root, an extremum) or of a denominator, by the secant method, then recognised as a
//! root of `c2 t^2 + c1 t + c0` with small integers.

use super::domain::denominators;
use super::exact::{fun_rational, ExactError};
use super::refute::{check_exact, simplest_between};
use super::Witness;
use crate::claim::Claim;
use crate::expr::{Expr, Fun};
use rug::ops::Pow;
use rug::{Integer, Rational};
use std::cmp::Ordering;

/// `p + q sqrt(r)` for the field's `r`.
#[derive(Clone, Debug, PartialEq)]
pub struct Surd {
    /// The rational part.
    pub p: Rational,
    /// The coefficient of `sqrt(r)`.
    pub q: Rational,
}

impl Surd {
    fn rational(p: Rational) -> Surd {
        Surd {
            p,
            q: Rational::new(),
        }
    }

    /// The exact sign of `p + q sqrt(r)` (`r > 0` not a square).
    pub fn sign(&self, r: &Rational) -> Ordering {
        let (sp, sq) = (self.p.cmp0(), self.q.cmp0());
        if sq == Ordering::Equal || sp == sq {
            return if sp == Ordering::Equal { sq } else { sp };
        }
        if sp == Ordering::Equal {
            return sq;
        }
        let q2r = self.q.clone().square() * r;
        match self.p.clone().square().cmp(&q2r) {
            Ordering::Greater => sp,
            _ => sq,
        }
    }

    fn add(&self, o: &Surd) -> Surd {
        Surd {
            p: Rational::from(&self.p + &o.p),
            q: Rational::from(&self.q + &o.q),
        }
    }

    fn neg(&self) -> Surd {
        Surd {
            p: -self.p.clone(),
            q: -self.q.clone(),
        }
    }

    fn mul(&self, o: &Surd, r: &Rational) -> Surd {
        let qq = Rational::from(&self.q * &o.q) * r;
        Surd {
            p: Rational::from(&self.p * &o.p) + qq,
            q: Rational::from(&self.p * &o.q) + Rational::from(&self.q * &o.p),
        }
    }

    /// `1 / self`: `(p - q sqrt(r)) / (p^2 - q^2 r)`; the norm is 0 only at 0.
    fn recip(&self, r: &Rational) -> Result<Surd, ExactError> {
        let norm = self.p.clone().square() - self.q.clone().square() * r;
        if norm == 0 {
            return Err(ExactError::Undefined);
        }
        Ok(Surd {
            p: Rational::from(&self.p / &norm),
            q: -Rational::from(&self.q / &norm),
        })
    }

    /// The square root, if it is an element of the field.
    fn sqrt(&self, r: &Rational) -> Result<Surd, ExactError> {
        if self.sign(r) == Ordering::Less {
            return Err(ExactError::Undefined);
        }
        let root = |q: &Rational| {
            let square = *q >= 0 && q.numer().is_perfect_square() && q.denom().is_perfect_square();
            square.then(|| Rational::from((q.numer().clone().sqrt(), q.denom().clone().sqrt())))
        };
        if self.q == 0 {
            if let Some(s) = root(&self.p) {
                return Ok(Surd::rational(s));
            }
            let k = Rational::from(&self.p / r);
            return root(&k)
                .map(|k| Surd {
                    p: Rational::new(),
                    q: k,
                })
                .ok_or(ExactError::Irrational);
        }
        // (u + v sqrt(r))^2 = u^2 + v^2 r + 2uv sqrt(r): u^2 = (p ± sqrt(p^2 - q^2 r)) / 2.
        let disc = self.p.clone().square() - self.q.clone().square() * r;
        let n = root(&disc).ok_or(ExactError::Irrational)?;
        for u2 in [(&self.p + n.clone()) / 2u32, (&self.p - n.clone()) / 2u32] {
            let Some(u) = root(&u2).filter(|u| *u != 0) else {
                continue;
            };
            let v = &self.q / (Rational::from(2) * &u);
            let s = Surd { p: u, q: v };
            if s.mul(&s, r) == *self {
                return Ok(if s.sign(r) == Ordering::Less {
                    s.neg()
                } else {
                    s
                });
            }
        }
        Err(ExactError::Irrational)
    }
}

/// Bits beyond which a power is not computed.
const MAX_BITS: u64 = 1 << 20;

/// The exact value of `e` at `x` in `Q(sqrt(r))`.
pub fn eval(e: &Expr, x: &[Surd], r: &Rational) -> Result<Surd, ExactError> {
    let ev = |a: &Expr| eval(a, x, r);
    let big = |s: &Surd| {
        [&s.p, &s.q]
            .iter()
            .map(|q| u64::from(q.numer().significant_bits() + q.denom().significant_bits()))
            .sum::<u64>()
    };
    Ok(match e {
        Expr::Const(q) => Surd::rational(q.clone()),
        Expr::Var(i) => x[*i].clone(),
        Expr::Neg(a) => ev(a)?.neg(),
        Expr::Add(a, b) => ev(a)?.add(&ev(b)?),
        Expr::Sub(a, b) => ev(a)?.add(&ev(b)?.neg()),
        Expr::Mul(a, b) => ev(a)?.mul(&ev(b)?, r),
        Expr::Div(a, b) => ev(a)?.mul(&ev(b)?.recip(r)?, r),
        Expr::Pow(a, n) => {
            let base = ev(a)?;
            if big(&base).saturating_mul(u64::from(n.unsigned_abs())) > MAX_BITS {
                return Err(ExactError::TooLarge);
            }
            let mut acc = Surd::rational(Rational::from(1));
            for _ in 0..n.unsigned_abs() {
                acc = acc.mul(&base, r);
            }
            if *n < 0 {
                acc.recip(r)?
            } else {
                acc
            }
        }
        Expr::Sqrt(a) => ev(a)?.sqrt(r)?,
        Expr::Abs(a) => {
            let v = ev(a)?;
            if v.sign(r) == Ordering::Less {
                v.neg()
            } else {
                v
            }
        }
        Expr::Min(a, b) | Expr::Max(a, b) => {
            let (u, v) = (ev(a)?, ev(b)?);
            let less = u.add(&v.neg()).sign(r) == Ordering::Less;
            if less == matches!(e, Expr::Min(..)) {
                u
            } else {
                v
            }
        }
        Expr::Fun(f, a) => {
            let v = ev(a)?;
            if v.q != 0 {
                return Err(ExactError::Irrational);
            }
            Surd::rational(fun_rational(*f, v.p)?)
        }
        Expr::Atan2(..) | Expr::PowR(..) | Expr::Pi => return Err(ExactError::Irrational),
    })
}

/// The sign of `m` at `x`, `None` where undecided; `Some(None)` where undefined.
fn sign(m: &Expr, x: &[Surd], r: &Rational) -> Option<Option<Ordering>> {
    match eval(m, x, r) {
        Ok(v) => Some(Some(v.sign(r))),
        Err(ExactError::Undefined) => Some(None),
        Err(_) => None,
    }
}

/// The failing conclusion's text if `x` (in `Q(sqrt(r))`, `r > 0` not a square) satisfies
/// every binding and hypothesis exactly and some conclusion is false or undefined there: the
/// irrational counterpart of [`check_exact`].
pub fn check(claim: &Claim, x: &[Surd], r: &Rational) -> Option<String> {
    let square = r.numer().is_perfect_square() && r.denom().is_perfect_square();
    if *r <= 0 || square || x.len() != claim.bindings.len() {
        return None;
    }
    let holds = |m: &Expr, strict: bool| match sign(m, x, r)?? {
        Ordering::Greater => Some(()),
        Ordering::Equal if !strict => Some(()),
        _ => None,
    };
    for (i, b) in claim.bindings.iter().enumerate() {
        holds(&Expr::sub(Expr::Var(i), b.lo.clone()), !b.lo_closed)?;
        holds(&Expr::sub(b.hi.clone(), Expr::Var(i)), !b.hi_closed)?;
    }
    for h in &claim.hyps {
        let (m, strict) = h.margin();
        holds(&m, strict)?;
    }
    claim.goals.iter().find_map(|g| {
        let (m, strict) = g.margin();
        match sign(&m, x, r)? {
            None => Some(format!("{} (undefined here)", g.text)),
            Some(Ordering::Less) => Some(g.text.clone()),
            Some(Ordering::Equal) if strict => Some(g.text.clone()),
            _ => None,
        }
    })
}

/// `e` and its derivative along variable `i` at `x`, in floats (NaN where undefined).
fn dual(e: &Expr, x: &[f64], i: usize) -> (f64, f64) {
    let d = |a: &Expr| dual(a, x, i);
    match e {
        Expr::Const(q) => (q.to_f64(), 0.0),
        Expr::Var(j) => (x[*j], f64::from(u8::from(*j == i))),
        Expr::Pi => (std::f64::consts::PI, 0.0),
        Expr::Neg(a) => {
            let (v, dv) = d(a);
            (-v, -dv)
        }
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            let ((u, du), (v, dv)) = (d(a), d(b));
            let s = if matches!(e, Expr::Add(..)) {
                1.0
            } else {
                -1.0
            };
            (u + s * v, du + s * dv)
        }
        Expr::Mul(a, b) => {
            let ((u, du), (v, dv)) = (d(a), d(b));
            (u * v, du * v + u * dv)
        }
        Expr::Div(a, b) => {
            let ((u, du), (v, dv)) = (d(a), d(b));
            (u / v, (du * v - u * dv) / (v * v))
        }
        Expr::Pow(a, n) => {
            let (u, du) = d(a);
            (u.powi(*n), f64::from(*n) * u.powi(n - 1) * du)
        }
        Expr::Sqrt(a) => {
            let (u, du) = d(a);
            let s = u.sqrt();
            (s, du / (2.0 * s))
        }
        Expr::Abs(a) => {
            let (u, du) = d(a);
            (u.abs(), du * u.signum())
        }
        Expr::Min(a, b) | Expr::Max(a, b) => {
            let ((u, du), (v, dv)) = (d(a), d(b));
            if (u < v) == matches!(e, Expr::Min(..)) {
                (u, du)
            } else {
                (v, dv)
            }
        }
        Expr::Fun(f, a) => {
            let (u, du) = d(a);
            let (v, dv) = match f {
                Fun::Exp => (u.exp(), u.exp()),
                Fun::Log => (u.ln(), 1.0 / u),
                Fun::Sin => (u.sin(), u.cos()),
                Fun::Cos => (u.cos(), -u.sin()),
                Fun::Tan => (u.tan(), 1.0 + u.tan().powi(2)),
                Fun::Atan => (u.atan(), 1.0 / (1.0 + u * u)),
                Fun::Asin => (u.asin(), 1.0 / (1.0 - u * u).sqrt()),
                Fun::Acos => (u.acos(), -1.0 / (1.0 - u * u).sqrt()),
                Fun::Sinh => (u.sinh(), u.cosh()),
                Fun::Cosh => (u.cosh(), u.sinh()),
                Fun::Tanh => (u.tanh(), 1.0 - u.tanh().powi(2)),
            };
            (v, dv * du)
        }
        Expr::Atan2(a, b) => {
            let ((y, dy), (xx, dx)) = (d(a), d(b));
            (y.atan2(xx), (xx * dy - y * dx) / (xx * xx + y * y))
        }
        Expr::PowR(a, b) => {
            let ((u, du), (v, dv)) = (d(a), d(b));
            let p = u.powf(v);
            (p, p * (dv * u.ln() + v * du / u))
        }
    }
}

/// A zero of `f` near `t0` by the secant method (`None` if it does not settle).
fn secant(f: impl Fn(f64) -> f64, t0: f64) -> Option<f64> {
    let (mut a, mut b) = (t0, t0 + 1e-7 * t0.abs().max(1.0));
    let (mut fa, mut fb) = (f(a), f(b));
    for _ in 0..100 {
        if !fa.is_finite() || !fb.is_finite() {
            return None;
        }
        if fb == 0.0 || (b - a).abs() <= 1e-16 * b.abs().max(1e-300) {
            return Some(b);
        }
        if fb == fa {
            return (fb.abs() < 1e-12).then_some(b);
        }
        let c = b - fb * (b - a) / (fb - fa);
        (a, fa, b) = (b, fb, c);
        fb = f(b);
    }
    None
}

/// Small integers `(c2 > 0, c1, c0)` with `c2 t^2 + c1 t + c0 ≈ 0`, fewest first.
fn quadratics(t: f64) -> Vec<(i64, i64, i64)> {
    const C: i64 = 200;
    let mut found = Vec::new();
    for c2 in 1..=C {
        for c1 in -C..=C {
            let y = c2 as f64 * t * t + c1 as f64 * t;
            let c0 = (-y).round();
            let scale = (c2 as f64 * t * t).abs() + (c1 as f64 * t).abs() + c0.abs() + 1.0;
            if c0.abs() < 1e12 && (y + c0).abs() <= 1e-10 * scale {
                found.push((c2, c1, c0 as i64));
                if found.len() >= 4 {
                    return found;
                }
            }
        }
    }
    found
}

/// The roots `-c1/(2 c2) ± sqrt(D)/(2 c2)` of `c2 t^2 + c1 t + c0` (`D = c1^2 - 4 c2 c0`)
/// nearest `t`, as `(a, b, D)`; `b = 0` when `D` is a square (a rational root).
fn root_near(t: f64, (c2, c1, c0): (i64, i64, i64)) -> Option<(Rational, Rational, Rational)> {
    let disc = Integer::from(c1).pow(2) - Integer::from(4) * c2 * c0;
    if disc < 0 {
        return None;
    }
    let den = Rational::from(2 * c2);
    let a = Rational::from(-c1) / &den;
    let half = Rational::from(1) / &den;
    if disc.is_perfect_square() {
        let s = Rational::from(disc.sqrt());
        let (r1, r2) = (&a + &s * half.clone(), a - s * half);
        let near = |q: &Rational| (q.to_f64() - t).abs();
        let q = if near(&r1) <= near(&r2) { r1 } else { r2 };
        return Some((q, Rational::new(), Rational::new()));
    }
    let s = disc.to_f64().sqrt();
    let up =
        (a.to_f64() + s * half.to_f64() - t).abs() <= (a.to_f64() - s * half.to_f64() - t).abs();
    // sqrt(k^2 s) = k sqrt(s): small square factors moved out, for a readable witness.
    let (mut k, mut rest, mut f) = (Integer::from(1), disc, Integer::from(2));
    while f <= 10_000 && Integer::from(&f * &f) <= rest {
        let f2 = Integer::from(&f * &f);
        if rest.is_divisible(&f2) {
            rest /= &f2;
            k *= &f;
        } else {
            f += 1;
        }
    }
    let b = half * Rational::from(k);
    Some((a, if up { b } else { -b }, Rational::from(rest)))
}

/// Looks for a witness near the float points `xs` (claim variables) where conclusion `goal`
/// seems tight: one variable at a quadratic irrational, the others at short rationals.
pub fn search(claim: &Claim, goal: usize, xs: &[Vec<f64>]) -> Option<Witness> {
    let n = claim.bindings.len();
    let (m, _) = claim.goals[goal].margin();
    let mut dens = Vec::new();
    denominators(&m, &mut dens);
    let mut tried: Vec<(usize, Vec<Rational>, u64)> = Vec::new();
    for x in xs
        .iter()
        .filter(|x| x.len() == n && x.iter().all(|v| v.is_finite()))
    {
        for free in 0..n {
            for tol in [1e-6, 1e-9] {
                let Some(point) = snap_others(x, free, tol) else {
                    continue;
                };
                // Each (free variable, snapped others, start) once.
                let mut others = point.clone();
                others[free] = Rational::new();
                let key = (free, others, x[free].to_bits());
                if tried.contains(&key) {
                    continue;
                }
                tried.push(key);
                let at = |t: f64| {
                    let mut y: Vec<f64> = point.iter().map(Rational::to_f64).collect();
                    y[free] = t;
                    y
                };
                let mut zeros = Vec::new();
                zeros.extend(secant(|t| dual(&m, &at(t), free).1, x[free]));
                for d in &dens {
                    zeros.extend(secant(|t| dual(d, &at(t), free).0, x[free]));
                }
                zeros.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * a.abs().max(1.0));
                for t in zeros {
                    if let Some(w) = confirm_at(claim, &point, free, t) {
                        return Some(w);
                    }
                }
            }
        }
    }
    None
}

/// Every variable but `free` at the simplest rational within `tol` (relative) of `x`.
fn snap_others(x: &[f64], free: usize, tol: f64) -> Option<Vec<Rational>> {
    x.iter()
        .enumerate()
        .map(|(i, v)| {
            let t = Rational::from_f64(*v)?;
            if i == free {
                return Some(t);
            }
            let r = Rational::from_f64(tol * v.abs().max(1.0))?;
            Some(simplest_between(
                &Rational::from(&t - &r),
                &Rational::from(&t + &r),
            ))
        })
        .collect()
}

/// Recognises `t` as a quadratic irrational (or rational) and checks the point exactly.
fn confirm_at(claim: &Claim, point: &[Rational], free: usize, t: f64) -> Option<Witness> {
    for quad in quadratics(t) {
        let Some((a, b, r)) = root_near(t, quad) else {
            continue;
        };
        let names = claim.bindings.iter().map(|b| b.name.clone());
        if b == 0 {
            let mut p = point.to_vec();
            p[free] = a;
            let failing = check_exact(claim, &p)?;
            let values = names.zip(p).collect();
            return Some(Witness {
                values,
                failing,
                surd: None,
            });
        }
        let mut x: Vec<Surd> = point.iter().cloned().map(Surd::rational).collect();
        x[free] = Surd {
            p: a.clone(),
            q: b.clone(),
        };
        if let Some(failing) = check(claim, &x, &r) {
            let values = names.zip(x.iter().map(|s| s.p.clone())).collect();
            let coeffs = x.into_iter().map(|s| s.q).collect();
            return Some(Witness {
                values,
                failing,
                surd: Some((r, coeffs)),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: i64, q: i64) -> Surd {
        Surd {
            p: Rational::from(p),
            q: Rational::from(q),
        }
    }

    fn claim(src: &str) -> Claim {
        let path = std::path::Path::new("t.stab");
        crate::lang::parse_source(path, src)
            .expect("parses")
            .remove(0)
    }

    #[test]
    fn signs_are_exact_where_the_parts_disagree() {
        let two = Rational::from(2);
        // 3 - 2 sqrt(2) = 0.17 > 0 (9 > 8); 1 - sqrt(2) < 0; -3 + 2 sqrt(2) < 0.
        assert_eq!(s(3, -2).sign(&two), Ordering::Greater);
        assert_eq!(s(1, -1).sign(&two), Ordering::Less);
        assert_eq!(s(-3, 2).sign(&two), Ordering::Less);
        assert_eq!(s(-1, 1).sign(&two), Ordering::Greater);
        assert_eq!(s(0, -1).sign(&two), Ordering::Less);
        assert_eq!(s(0, 0).sign(&two), Ordering::Equal);
    }

    #[test]
    fn arithmetic_in_the_field_is_exact() {
        let two = Rational::from(2);
        let x = [s(0, 1)];
        let c = claim("claim a: forall x in [0, 2] => (x^2 - 2)/(x - 1) + sqrt(3 + 2*sqrt(2)) > 0");
        let (m, _) = c.goals[0].margin();
        let Expr::Sub(lhs, _) = m else { panic!() };
        let Expr::Add(q, root) = *lhs else { panic!() };
        // (x^2 - 2)/(x - 1) is 0 at sqrt(2); sqrt(3 + 2 sqrt(2)) = 1 + sqrt(2).
        assert_eq!(eval(&q, &x, &two), Ok(s(0, 0)));
        assert_eq!(eval(&root, &x, &two), Ok(s(1, 1)));
        let pole = Expr::Div(
            Box::new(Expr::Var(0)),
            Box::new(Expr::sub(
                Expr::Pow(Box::new(Expr::Var(0)), 2),
                Expr::Const(two.clone()),
            )),
        );
        assert_eq!(eval(&pole, &x, &two), Err(ExactError::Undefined));
        // sqrt(27/20) = 3/10 sqrt(15); sqrt(sqrt(2)) is not in Q(sqrt(2)).
        let k = Expr::Sqrt(Box::new(Expr::Const(Rational::from((27, 20)))));
        let third = Rational::from((3, 10));
        assert_eq!(eval(&k, &[], &Rational::from(15)).map(|v| v.q), Ok(third));
        let nested = Expr::Sqrt(Box::new(Expr::Var(0)));
        assert_eq!(eval(&nested, &x, &two), Err(ExactError::Irrational));
        let neg = Expr::Sqrt(Box::new(Expr::Neg(Box::new(Expr::Var(0)))));
        assert_eq!(eval(&neg, &x, &two), Err(ExactError::Undefined));
    }

    #[test]
    fn a_point_is_a_witness_only_where_everything_checks() {
        let two = Rational::from(2);
        let root2 = [s(0, 1)];
        let strict = claim("claim a: forall x in [1, 2] => (x^2 - 2)^2 > 0");
        assert!(check(&strict, &root2, &two).is_some());
        let weak = claim("claim a: forall x in [1, 2] => (x^2 - 2)^2 >= 0");
        assert_eq!(check(&weak, &root2, &two), None);
        // sqrt(2) = 1.414... lies outside [1.5, 2] and beyond the where condition.
        let outside = claim("claim a: forall x in [1.5, 2] => (x^2 - 2)^2 > 0");
        assert_eq!(check(&outside, &root2, &two), None);
        let guarded = claim("claim a: forall x in [1, 2] where x > 1.42 => (x^2 - 2)^2 > 0");
        assert_eq!(check(&guarded, &root2, &two), None);
        // r must not be a square (else 1/(x - 2) at x = sqrt(4) would pass as defined).
        assert_eq!(check(&strict, &[s(0, 1)], &Rational::from(4)), None);
    }

    #[test]
    fn the_prover_refutes_at_a_quadratic_irrational() {
        let c = claim(
            "claim a: forall u in (0, 1], g in (1, 1.25] => u*(1 + g*(1 - u^2)) < sqrt(1.35)",
        );
        let o = super::super::prove(&c, &super::super::Budget::default());
        let w = o.witness().expect("refuted");
        assert!(w.rational_point().is_none());
        assert!(w.recheck(&c).is_some());
        let texts: Vec<String> = w
            .texts()
            .into_iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        assert_eq!(texts, ["u = 1/5*sqrt(15)", "g = 5/4"]);
        // Where the bound holds (a little above the maximum sqrt(1.35)), no witness.
        let c =
            claim("claim a: forall u in (0, 1], g in (1, 1.25] => u*(1 + g*(1 - u^2)) < 1.1619");
        assert_eq!(
            super::super::prove(&c, &super::super::Budget::default()).verdict(),
            super::super::Verdict::Proved
        );
    }
}
