//! Transcendental functions on rational intervals, without floating point.
//!
//! Every value comes from one power series with an explicit remainder bound ([`series`]),
//! after an argument reduction by enclosures of `ln 2` and `pi` that are series themselves.
//! Results are rounded outward to dyadic rationals of `prec + GUARD` significant bits, so
//! their size stays bounded; the enclosures shrink like `2^-prec` as `prec` grows.
//! `docs/kernel.md` ("Transcendental functions") states each method and its error bound.

use super::interval::{iv, sqrt_bounds, Ext, Iv};
use rug::{Integer, Rational};
use std::cell::RefCell;
use std::collections::HashMap;

/// The transcendental functions of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fun {
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Atan,
    Asin,
    Acos,
    Sinh,
    Cosh,
    Tanh,
}
use Fun::*;

/// Bits beyond `prec` at which series stop and beyond those at which terms are rounded.
const GUARD: u32 = 16;

/// Largest `|x|` whose `exp` (also `sinh`, `cosh`, `tanh`) is computed; beyond, declined.
const MAX_EXP_ARG: u32 = 1 << 16;

/// Largest `|x|` reduced modulo `pi/2`; beyond, `sin` and `cos` are only within `[-1, 1]`.
const MAX_TRIG_ARG: u32 = 1 << 20;

#[cfg(test)]
thread_local! {
    /// Deliberate breakage for the tests: drop the series' truncation remainder.
    pub static DROP_REMAINDER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn q(n: i64, d: u64) -> Rational {
    Rational::from((n, d))
}

fn point(x: impl Into<Rational>) -> Iv {
    Iv::point(x)
}

fn fin(e: &Ext) -> Option<&Rational> {
    match e {
        Ext::Fin(q) => Some(q),
        _ => None,
    }
}

/// `x` rounded down (or up) to a multiple of `2^-bits`.
fn dyadic(x: &Rational, bits: i32, up: bool) -> Rational {
    let s = Rational::from(x << bits);
    let n = if up { s.ceil() } else { s.floor() };
    n >> bits
}

/// `x` widened outward to ends of `bits` significant bits (`|x| ~ 2^e`, multiples of `2^(e-bits)`).
fn round(x: Iv, bits: u32) -> Iv {
    let end = |e: Ext, up: bool| match e {
        Ext::Fin(v) if v != 0 => {
            let e =
                i64::from(v.numer().significant_bits()) - i64::from(v.denom().significant_bits());
            let scale = i64::from(bits) - e;
            Ext::Fin(dyadic(&v, i32::try_from(scale).unwrap_or(i32::MAX), up))
        }
        e => e,
    };
    iv(end(x.lo, false), end(x.hi, true))
}

/// `Σ_k t_k` for `t_0 = first` and `t_(k+1) = t_k step(k)`, enclosed within about `2^-w`.
///
/// Needs `|step(k)| <= 1/2` for every `k`: each caller's argument range ensures it (those
/// computed are checked too; `None` otherwise). Terms are rounded down to multiples of
/// `u = 2^-(w+GUARD)`; a rounded term `s_k` errs by `e_k <= e_(k-1)/2 + u`, so `e_k <= 2u`,
/// and the summed terms err by at most `2 m u` in all for `m` inexact roundings (none before
/// the first). The sum stops at the first `|s_n| <= 2^-w`; the remainder `Σ_(k>=n) t_k` is at
/// most `|t_n| (1 + 1/2 + 1/4 + ...) <= 2 (|s_n| + e_n)`.
fn series(first: Rational, step: impl Fn(u32) -> Rational, w: u32) -> Option<Iv> {
    let g = i32::try_from(w + GUARD).ok()?;
    let mut inexact = 0u32;
    let mut rounded = |x: Rational| {
        let r = dyadic(&x, g, false);
        inexact += u32::from(r != x);
        r
    };
    let (stop, half) = (Rational::from(Integer::from(1)) >> w, q(1, 2));
    let (mut s, mut sum, mut k) = (rounded(first), Rational::new(), 0);
    while Rational::from(s.abs_ref()) > stop {
        sum += &s;
        let st = step(k);
        if Rational::from(st.abs_ref()) > half {
            return None;
        }
        s = rounded(s * st);
        k += 1;
    }
    let u = Rational::from(Integer::from(1)) >> g;
    let mut err = s.abs() * 2u32;
    #[cfg(test)]
    if DROP_REMAINDER.with(std::cell::Cell::get) {
        err = Rational::new();
    }
    if inexact > 0 {
        err += u * (2 * inexact + 4);
    }
    Some(Iv::new(Rational::from(&sum - &err), sum + err))
}

/// `atan z = Σ (-1)^k z^(2k+1)/(2k+1)`, for `|z| <= 1/2` (steps at most `z^2 <= 1/4`).
fn atan_series(z: &Rational, w: u32) -> Option<Iv> {
    let z2 = Rational::from(z * z);
    series(
        z.clone(),
        |k| -q(2 * i64::from(k) + 1, 2 * u64::from(k) + 3) * &z2,
        w,
    )
}

thread_local! {
    /// `ln 2` (`false`) and `pi` (`true`) by precision.
    static CONSTANTS: RefCell<HashMap<(bool, u32), Iv>> = RefCell::new(HashMap::new());
}

/// `ln 2` or `pi` within about `2^-w`, cached (at `w` rounded up to a multiple of 64).
fn constant(pi: bool, w: u32) -> Option<Iv> {
    let w = w.div_ceil(64) * 64;
    if let Some(c) = CONSTANTS.with(|c| c.borrow().get(&(pi, w)).cloned()) {
        return Some(c);
    }
    let c = if pi {
        // Machin: pi = 16 atan(1/5) - 4 atan(1/239).
        let a = atan_series(&q(1, 5), w + 5)?.mul(&point(16));
        a.sub(&atan_series(&q(1, 239), w + 5)?.mul(&point(4)))
    } else {
        // ln 2 = 2 atanh(1/3) = Σ 2/(3^(2k+1) (2k+1)): steps (2k+1)/(9(2k+3)) < 1/9.
        series(
            q(2, 3),
            |k| q(2 * i64::from(k) + 1, 18 * u64::from(k) + 27),
            w,
        )?
    };
    CONSTANTS.with(|cache| cache.borrow_mut().insert((pi, w), c.clone()));
    Some(c)
}

/// An enclosure of `pi` (the constant of the language).
pub fn pi(prec: u32) -> Option<Iv> {
    Some(round(constant(true, prec + GUARD)?, prec + GUARD))
}

/// The working precision of the series, `prec + GUARD`, stopping at `2^-w`.
fn wp(prec: u32) -> u32 {
    prec + GUARD
}

fn ends(x: &Iv) -> Option<(Rational, Rational)> {
    Some((fin(&x.lo)?.clone(), fin(&x.hi)?.clone()))
}

/// `exp q`: `q = k ln 2 + r` with `k` the integer nearest `q / ln 2`, `|r| <= 1/2`;
/// `exp r` by its series at both ends of `r`'s enclosure (steps `r/(j+1)`), times `2^k`.
fn exp_at(x: &Rational, prec: u32) -> Option<Iv> {
    if x.clone().abs() > MAX_EXP_ARG {
        return None;
    }
    // |k| < 2^17, so k times ln 2's width is below 2^-(prec+GUARD+30).
    let l = constant(false, wp(prec) + 48)?;
    let k = Rational::from(x / fin(&l.lo)?).round().numer().to_i32()?;
    let (lo, hi) = ends(&point(x.clone()).sub(&l.mul(&point(k))))?;
    let e = |r: &Rational| series(q(1, 1), |j| Rational::from(r / (j + 1)), wp(prec));
    let (a, b) = (ends(&e(&lo)?)?.0, ends(&e(&hi)?)?.1);
    Some(Iv::new(a << k, b << k))
}

/// `log x`, `x > 0`: `x = 2^e m` with `m` in `[2/3, 4/3]`, `log m = 2 atanh z` with
/// `z = (m-1)/(m+1)` in `[-1/5, 1/7]` (steps `z^2 (2k+1)/(2k+3) <= 1/25`), plus `e ln 2`.
fn log_at(x: &Rational, prec: u32) -> Option<Iv> {
    let mut e = i64::from(x.numer().significant_bits()) - i64::from(x.denom().significant_bits());
    let mut m = Rational::from(x >> i32::try_from(e).ok()?);
    if m > q(4, 3) {
        (m, e) = (m / 2u32, e + 1);
    } else if m < q(2, 3) {
        (m, e) = (m * 2u32, e - 1);
    }
    let z = Rational::from(&m - 1u32) / (m + 1u32);
    let z2 = Rational::from(&z * &z);
    let step = |k: u32| q(2 * i64::from(k) + 1, 2 * u64::from(k) + 3) * &z2;
    let s = series(z * 2u32, step, wp(prec))?;
    // |e| < 2^32: e times ln 2's width is below 2^-(prec+GUARD+16).
    Some(s.add(&constant(false, wp(prec) + 48)?.mul(&point(e))))
}

/// `atan x`: odd; `pi/2 - atan(1/x)` for `x > 1`; `atan(1/2) + atan((x - 1/2)/(1 + x/2))`
/// for `1/2 < x <= 1` (the argument is then in `(0, 1/5]`); the series for `|x| <= 1/2`.
fn atan_at(x: &Rational, prec: u32) -> Option<Iv> {
    let half = q(1, 2);
    if *x < 0 {
        Some(atan_at(&Rational::from(-x), prec)?.neg())
    } else if *x > 1 {
        let half_pi = constant(true, wp(prec) + 2)?.mul(&point(half));
        Some(half_pi.sub(&atan_at(&Rational::from(x.recip_ref()), prec)?))
    } else if *x > half {
        let y = Rational::from(x - &half) / (Rational::from(x / 2u32) + 1u32);
        Some(atan_at(&half, prec)?.add(&atan_at(&y, prec)?))
    } else {
        atan_series(x, wp(prec))
    }
}

/// `asin x` for `0 <= x <= 1` is `2 atan(x / (1 + sqrt(1 - x^2)))` (the half-angle
/// tangent), with `sqrt` bounded by integer square roots; odd.
fn asin_at(x: &Rational, prec: u32) -> Option<Iv> {
    if *x < 0 {
        return Some(asin_at(&Rational::from(-x), prec)?.neg());
    }
    let (down, up) = sqrt_bounds(&(1u32 - Rational::from(x * x)), wp(prec));
    let lo = atan_at(&(x / (up + 1u32)), prec)?;
    let hi = atan_at(&(x / (down + 1u32)), prec)?;
    Some(iv(lo.lo, hi.hi).mul(&point(2)))
}

/// `acos x = pi/2 - asin x` (exactly 0 at 1).
fn acos_at(x: &Rational, prec: u32) -> Option<Iv> {
    if *x == 1 {
        return Some(point(0));
    }
    let half_pi = constant(true, wp(prec) + 2)?.mul(&point(q(1, 2)));
    Some(half_pi.sub(&asin_at(x, prec)?))
}

/// `x = k pi/2 + r`: `k` the integer nearest `x / (pi/2)` and an enclosure of `r`
/// (`|r| < 0.8`); `None` beyond [`MAX_TRIG_ARG`].
fn reduce(x: &Rational, prec: u32) -> Option<(i64, Iv)> {
    if x.clone().abs() > MAX_TRIG_ARG {
        return None;
    }
    // |k| < 2^21: k times pi/2's width is below 2^-(prec+GUARD+25).
    let half_pi = constant(true, wp(prec) + 48)?.mul(&point(q(1, 2)));
    let k = Rational::from(x / fin(&half_pi.lo)?)
        .round()
        .numer()
        .to_i64()?;
    Some((k, point(x.clone()).sub(&half_pi.mul(&point(k)))))
}

/// `sin(x + s pi/2)`: with `x = k pi/2 + r`, `±sin` or `±cos` of `r` by `(k + s) mod 4`,
/// each by its series at the midpoint `c` of `r`'s enclosure (steps `c^2/((2j+2)(2j+3))`
/// and `c^2/((2j+1)(2j+2))`, below 1/3), widened by the half-width (both are 1-Lipschitz).
fn sin_at(x: &Rational, s: i64, prec: u32) -> Option<Iv> {
    let Some((k, r)) = reduce(x, prec) else {
        return Some(Iv::new(q(-1, 1), q(1, 1)));
    };
    let (a, b) = ends(&r)?;
    let (c, rad) = (
        Rational::from(&a + &b) / 2u32,
        Rational::from(&b - &a) / 2u32,
    );
    let c2 = Rational::from(&c * &c);
    let j = (k + s).rem_euclid(4);
    let v = if j % 2 == 0 {
        let den = |i: u32| u64::from(2 * i + 2) * u64::from(2 * i + 3);
        series(c, |i| -Rational::from(&c2 / den(i)), wp(prec))?
    } else {
        let den = |i: u32| u64::from(2 * i + 1) * u64::from(2 * i + 2);
        series(q(1, 1), |i| -Rational::from(&c2 / den(i)), wp(prec))?
    };
    let v = if j >= 2 { v.neg() } else { v };
    Some(unit(v.add(&Iv::new(-rad.clone(), rad))))
}

/// `x` within `[-1, 1]` (the range of `sin`, `cos` and `tanh`).
fn unit(x: Iv) -> Iv {
    iv(x.lo.max(Ext::Fin(q(-1, 1))), x.hi.min(Ext::Fin(q(1, 1))))
}

/// The multiples `m pi/2` (enclosed) that may lie in `[a, b]`, for `m` between the
/// reductions' `k_a - 1` and `k_b + 1` (every multiple in `[a, b]` is among them, as
/// `|a - k_a pi/2| < 0.8 < pi/2`); `None` if there are too many or `a`, `b` are too large.
fn multiples(a: &Rational, b: &Rational, prec: u32) -> Option<Vec<i64>> {
    let ((ka, _), (kb, _)) = (reduce(a, prec)?, reduce(b, prec)?);
    let half_pi = constant(true, wp(prec) + 48)?.mul(&point(q(1, 2)));
    let (a, b) = (Ext::Fin(a.clone()), Ext::Fin(b.clone()));
    let inside = |m: &i64| {
        let x = half_pi.mul(&point(*m));
        x.lo <= b && x.hi >= a
    };
    (kb - ka <= 8).then(|| (ka - 1..=kb + 1).filter(inside).collect())
}

/// `sin(x + s pi/2)` over `[a, b]`: the hull of the ends' values and of the extrema
/// `±1` at the multiples `m pi/2` with `m + s` odd that may lie inside.
fn sin_iv(a: &Rational, b: &Rational, s: i64, prec: u32) -> Option<Iv> {
    let full = Iv::new(q(-1, 1), q(1, 1));
    if a == b {
        return sin_at(a, s, prec);
    }
    let Some(ms) = multiples(a, b, prec) else {
        return Some(full);
    };
    let mut v = sin_at(a, s, prec)?.hull(&sin_at(b, s, prec)?);
    for m in ms.into_iter().filter(|m| (m + s) % 2 != 0) {
        v = v.hull(&point(if (m + s).rem_euclid(4) == 1 { 1 } else { -1 }));
    }
    Some(v)
}

/// `tan` over `[a, b]`: undefined if a pole (an odd multiple of `pi/2`) may lie inside;
/// otherwise increasing, from `sin/cos` at the ends.
fn tan_iv(a: &Rational, b: &Rational, prec: u32) -> Option<Iv> {
    if multiples(a, b, prec)?.iter().any(|m| m % 2 != 0) {
        return None;
    }
    let t = |x| sin_at(x, 0, prec)?.div(&sin_at(x, 1, prec)?);
    Some(iv(t(a)?.lo, t(b)?.hi))
}

/// `sinh x`: its series `Σ x^(2k+1)/(2k+1)!` for `|x| <= 1/2` (steps `x^2/((2k+2)(2k+3))`),
/// else `(e - 1/e)/2` with `e = exp x`.
fn sinh_at(x: &Rational, prec: u32) -> Option<Iv> {
    if x.clone().abs() <= q(1, 2) {
        let x2 = Rational::from(x * x);
        let den = |i: u32| u64::from(2 * i + 2) * u64::from(2 * i + 3);
        return series(x.clone(), |i| Rational::from(&x2 / den(i)), wp(prec));
    }
    let e = exp_at(x, prec)?;
    Some(e.sub(&e.recip()?).mul(&point(q(1, 2))))
}

/// `cosh x`: its series `Σ x^(2k)/(2k)!` for `|x| <= 1/2` (steps `x^2/((2k+1)(2k+2))`),
/// else `(e + 1/e)/2`; at least 1.
fn cosh_at(x: &Rational, prec: u32) -> Option<Iv> {
    let v = if x.clone().abs() <= q(1, 2) {
        let x2 = Rational::from(x * x);
        let den = |i: u32| u64::from(2 * i + 1) * u64::from(2 * i + 2);
        series(q(1, 1), |i| Rational::from(&x2 / den(i)), wp(prec))?
    } else {
        let e = exp_at(x, prec)?;
        e.add(&e.recip()?).mul(&point(q(1, 2)))
    };
    Some(iv(v.lo.max(Ext::Fin(q(1, 1))), v.hi))
}

/// `tanh x = sinh x / cosh x`, within `[-1, 1]`.
fn tanh_at(x: &Rational, prec: u32) -> Option<Iv> {
    Some(unit(sinh_at(x, prec)?.div(&cosh_at(x, prec)?)?))
}

/// `f` over `x` and, if `slope`, an enclosure of `f'` over `x` (else `0`); `None` where `f`
/// may be undefined on `x` (or its argument is too large to compute).
pub fn apply(f: Fun, x: &Iv, prec: u32, slope: bool) -> Option<(Iv, Iv)> {
    let (a, b) = ends(x)?;
    // An increasing (decreasing) function from its values at the ends.
    let inc = |at: &dyn Fn(&Rational, u32) -> Option<Iv>, up: bool| {
        let pa = at(&a, prec)?;
        let pb = if a == b { pa.clone() } else { at(&b, prec)? };
        Some(if up {
            iv(pa.lo, pb.hi)
        } else {
            iv(pb.lo, pa.hi)
        })
    };
    let in_unit = a >= -1 && b <= 1;
    let v = match f {
        Exp => inc(&exp_at, true),
        Log => (a > 0).then(|| inc(&log_at, true))?,
        Sin => sin_iv(&a, &b, 0, prec),
        Cos => sin_iv(&a, &b, 1, prec),
        Tan => tan_iv(&a, &b, prec),
        Atan => inc(&atan_at, true),
        Asin => in_unit.then(|| inc(&asin_at, true))?,
        Acos => in_unit.then(|| inc(&acos_at, false))?,
        Sinh => inc(&sinh_at, true),
        Cosh => {
            // Even, increasing on [0, inf): from |x|'s ends.
            let (lo, hi) = ends(&x.abs())?;
            Some(iv(cosh_at(&lo, prec)?.lo, cosh_at(&hi, prec)?.hi))
        }
        Tanh => inc(&tanh_at, true),
    };
    let v = round(v?, wp(prec) + GUARD);
    if !slope {
        return Some((v, point(0)));
    }
    let one = point(1);
    // asin' = 1/sqrt(1 - x^2), unbounded at ±1 (then nothing is known).
    let asin_slope = || {
        let d = one.sub(&x.pow(2)?);
        let r = (d.lo > Ext::Fin(Rational::new())).then(|| d.sqrt(prec)?.recip());
        Some(r.flatten().unwrap_or_else(Iv::entire))
    };
    let k = match f {
        Exp => v.clone(),
        Log => x.recip()?,
        Sin => apply(Cos, x, prec, false)?.0,
        Cos => apply(Sin, x, prec, false)?.0.neg(),
        Tan => one.add(&v.pow(2)?),
        Atan => one.add(&x.pow(2)?).recip()?,
        Asin => asin_slope()?,
        Acos => asin_slope()?.neg(),
        Sinh => apply(Cosh, x, prec, false)?.0,
        Cosh => apply(Sinh, x, prec, false)?.0,
        Tanh => one.sub(&v.pow(2)?),
    };
    Some((v, k))
}

/// `atan2(y, x)` over a box and whether it is continuous there; `None` if the box may
/// contain the origin. Off the negative `x` axis it is `atan(y/x)` (`x > 0`),
/// `±pi/2 - atan(x/y)` (`y` of one strict sign), `pi + atan(y/x)` (`x < 0 <= y`); a box
/// crossing the negative `x` axis (where it jumps from `-pi` to `pi`) gets `[-pi, pi]`.
pub fn atan2(y: &Iv, x: &Iv, prec: u32) -> Option<(Iv, bool)> {
    let zero = Ext::Fin(Rational::new());
    if x.contains_zero() && y.contains_zero() {
        return None;
    }
    let pi = constant(true, wp(prec) + 2)?;
    let atan = |t: Iv| apply(Atan, &t, prec, false).map(|(v, _)| v);
    let v = if x.lo > zero {
        atan(y.div(x)?)?
    } else if y.lo > zero || y.hi < zero {
        let sign = if y.lo > zero { 1 } else { -1 };
        pi.mul(&point(q(sign, 2))).sub(&atan(x.div(y)?)?)
    } else if y.lo == zero {
        pi.add(&atan(y.div(x)?)?)
    } else {
        return Some((round(iv(pi.neg().lo, pi.hi), wp(prec) + GUARD), false));
    };
    Some((round(v, wp(prec) + GUARD), true))
}
