//! Exact Bernstein expansion of a polynomial over a box, and the positivity test it gives.
//!
//! On the box `[a, b]` write `x_i = a_i + (b_i - a_i) t_i`, `t ∈ [0, 1]^n`; then
//! `p(x) = Σ_α c_α B_α(t)` with `B_α(t) = Π_i C(d_i, α_i) t_i^α_i (1 - t_i)^(d_i - α_i)`.
//! Every `B_α` is `>= 0` on the box and they sum to 1, so `min c_α <= p <= max c_α`; the
//! coefficients at the vertices (`α_i ∈ {0, d_i}`) are the exact values of `p` there.
//! All arithmetic is exact (`rug::Rational`), so the test is a proof, not an estimate.

use super::tape::enclose_rational;
use crate::expr::poly::Poly;
use inari::Interval;
use rug::{Integer, Rational};
use std::time::Instant;

/// Bernstein coefficients of `p` over `[lo, hi]`, dense, last variable fastest.
pub struct Expansion {
    pub degrees: Vec<u32>,
    pub coeffs: Vec<Rational>,
}

/// Dense coefficient arrays larger than this are not expanded.
pub const MAX_DENSE: usize = 1 << 14;

impl Expansion {
    /// Expands `p` over the box with exact ends `lo[i] <= hi[i]`, or `None` if too large.
    pub fn new(p: &Poly, lo: &[Rational], hi: &[Rational]) -> Option<Expansion> {
        Self::new_until(p, lo, hi, None)
    }

    /// As [`Expansion::new`], but gives up (`None`) once `deadline` has passed: a large
    /// expansion (thousands of exact coefficients) must not outlast a claim's `--timeout`.
    pub fn new_until(
        p: &Poly,
        lo: &[Rational],
        hi: &[Rational],
        deadline: Option<Instant>,
    ) -> Option<Expansion> {
        let degrees = p.degrees();
        let size = dense_size(&degrees)?;
        let strides = strides(&degrees);
        let mut coeffs = vec![Rational::new(); size];
        for (e, c) in p.terms() {
            let idx: usize = e.iter().zip(&strides).map(|(ei, s)| *ei as usize * s).sum();
            coeffs[idx] = c.clone();
        }
        for axis in 0..degrees.len() {
            let width = Rational::from(&hi[axis] - &lo[axis]);
            if !transform_axis(
                &mut coeffs,
                &degrees,
                &strides,
                axis,
                &lo[axis],
                &width,
                deadline,
            ) {
                return None;
            }
        }
        Some(Expansion { degrees, coeffs })
    }

    /// Multi-indices of the coefficients, in storage order.
    fn index_of(&self, mut k: usize) -> Vec<u32> {
        let mut alpha = vec![0; self.degrees.len()];
        for i in (0..self.degrees.len()).rev() {
            let n = self.degrees[i] as usize + 1;
            alpha[i] = (k % n) as u32;
            k /= n;
        }
        alpha
    }

    /// The least value of `p` at a vertex of the box (vertex coefficients are exact values).
    pub fn min_vertex_value(&self) -> Rational {
        let n = self.degrees.len();
        let vertex = |mask: usize| {
            (0..n).fold(0, |acc, i| {
                let d = self.degrees[i] as usize;
                acc * (d + 1) + if mask >> i & 1 == 1 { d } else { 0 }
            })
        };
        let count = 1usize << n.min(24);
        let values = (0..count).map(|m| &self.coeffs[vertex(m)]);
        values.min().cloned().unwrap_or_default()
    }

    /// Whether `p >= 0` (all coefficients non-negative) on the box.
    pub fn proves_nonnegative(&self) -> bool {
        self.coeffs.iter().all(|c| *c >= 0)
    }

    /// Whether `p > 0` at every point of the box that lies on no excluded face.
    ///
    /// `lo_in[i]` / `hi_in[i]` say whether the face `t_i = 0` / `t_i = 1` belongs to the
    /// domain. With all `c_α >= 0`, `p(t) > 0` iff some `c_α > 0` has `B_α(t) > 0`. `B_α`
    /// vanishes on `t_i = 0` unless `α_i = 0`, and on `t_i = 1` unless `α_i = d_i`; so the
    /// points split into at most `3^n` kinds (each coordinate interior, on an included lower
    /// face, or on an included upper face), and each kind needs a positive coefficient whose
    /// index fits it.
    pub fn proves_positive(&self, lo_in: &[bool], hi_in: &[bool]) -> bool {
        if !self.proves_nonnegative() {
            return false;
        }
        if self.coeffs.iter().all(|c| *c > 0) {
            return true;
        }
        // An axis of degree 0 has one index, both its lower and upper one: its faces are
        // covered whenever the interior is, so only the other axes are enumerated.
        let faces = |included: &[bool]| -> Vec<bool> {
            let moving = self.degrees.iter().map(|d| *d > 0);
            moving.zip(included).map(|(m, i)| m && *i).collect()
        };
        let (lo_in, hi_in) = (&faces(lo_in)[..], &faces(hi_in)[..]);
        let positive: Vec<Vec<u32>> = (0..self.coeffs.len())
            .filter(|k| self.coeffs[*k] > 0)
            .map(|k| self.index_of(k))
            .collect();
        let n = self.degrees.len();
        let mut kind = vec![Kind::Interior; n];
        loop {
            let covered = positive.iter().any(|alpha| {
                (0..n).all(|i| match kind[i] {
                    Kind::Interior => true,
                    Kind::Lower => alpha[i] == 0,
                    Kind::Upper => alpha[i] == self.degrees[i],
                })
            });
            if !covered {
                return false;
            }
            if !next_kind(&mut kind, lo_in, hi_in) {
                return true;
            }
        }
    }
}

/// What the expansion in outward-rounded interval arithmetic shows, before (or instead of)
/// the exact one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Estimate {
    /// Every coefficient is certainly positive: `p > 0` on the whole closed box (the exact
    /// coefficients lie in the intervals, so the exact test passes too).
    Positive,
    /// Some coefficient is negative and the least vertex value is not 0 (certainly, or
    /// beyond the float pass's bound on its rounding error): the exact test fails, and no
    /// vertex is tight (so no convexity step either).
    Hopeless,
    /// Neither: the exact expansion decides.
    Open,
}

/// The Bernstein expansion of `p` over the box with ends enclosed by `lo[i]` and `hi[i]`,
/// in interval arithmetic (inari: outward rounding), so every interval holds the exact
/// coefficient; `None` if too large. Thousands of exact rational operations per box are
/// saved where this settles the test (a sound proof in itself, re-done exactly by the
/// kernel) or shows that the exact one would fail.
pub fn interval_estimate(p: &Poly, lo: &[Interval], hi: &[Interval]) -> Option<Estimate> {
    let degrees = p.degrees();
    // too large to expand: no estimate
    dense_size(&degrees)?;
    // A float pass first (several times cheaper): a coefficient below `-tol` with no vertex
    // value within `tol` of 0 is taken as hopeless. `tol` is `1e-8 M`, `M = Σ |c_α| Π
    // max(1, |lo_i| + w_i)^α_i`, which bounds every coefficient of `p(lo + w t)`; an expanded
    // coefficient sums at most `Π (d_i + 1) <= 2^14` of those with weights at most 1 in a
    // few hundred rounded steps, so its rounding error is below `2 · 10^-9 M`. (A filter:
    // it only decides to skip the exact test.)
    let (lo_f, hi_f): (Vec<f64>, Vec<f64>) =
        lo.iter().zip(hi).map(|(l, h)| (l.mid(), h.mid())).unzip();
    let mut magnitude = 0f64;
    for (e, c) in p.terms() {
        let reach = e.iter().enumerate().fold(c.to_f64().abs(), |acc, (i, ei)| {
            acc * (lo_f[i].abs() + (hi_f[i] - lo_f[i]).abs())
                .max(1.0)
                .powi(*ei as i32)
        });
        magnitude += reach;
    }
    let tol = 1e-8 * magnitude;
    let guess = expand_in(p, &degrees, &lo_f, &hi_f, |q| q.to_f64(), 0.0, 1.0);
    let min = guess.iter().copied().fold(f64::INFINITY, f64::min);
    let vertex = least_vertex(&degrees, &guess, |c| (*c, *c));
    if tol.is_finite() && min < -tol && (vertex.1 < -tol || vertex.0 > tol) {
        return Some(Estimate::Hopeless);
    }
    let zero = Interval::try_from((0.0, 0.0)).ok()?;
    let one = Interval::try_from((1.0, 1.0)).ok()?;
    let coeffs = expand_in(p, &degrees, lo, hi, enclose_rational, zero, one);
    if coeffs.iter().all(|c| c.inf() > 0.0) {
        return Some(Estimate::Positive);
    }
    // The least vertex value lies in [min of the infima, min of the suprema].
    let (v_inf, v_sup) = least_vertex(&degrees, &coeffs, |c| (c.inf(), c.sup()));
    let negative = coeffs.iter().any(|c| c.sup() < 0.0);
    let not_tight = v_sup < 0.0 || v_inf > 0.0;
    Some(if negative && not_tight {
        Estimate::Hopeless
    } else {
        Estimate::Open
    })
}

/// The number of coefficients of a dense expansion of these degrees, `None` beyond
/// [`MAX_DENSE`].
fn dense_size(degrees: &[u32]) -> Option<usize> {
    degrees
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d as usize + 1))
        .filter(|&size| size <= MAX_DENSE)
}

/// `(min of the lower ends, min of the upper ends)` over the vertex coefficients.
fn least_vertex<T>(degrees: &[u32], coeffs: &[T], ends: impl Fn(&T) -> (f64, f64)) -> (f64, f64) {
    let n = degrees.len();
    let vertex = |mask: usize| {
        (0..n).fold(0, |acc, i| {
            let d = degrees[i] as usize;
            acc * (d + 1) + if mask >> i & 1 == 1 { d } else { 0 }
        })
    };
    (0..1usize << n.min(24))
        .map(|m| ends(&coeffs[vertex(m)]))
        .fold((f64::INFINITY, f64::INFINITY), |(i, s), (l, h)| {
            (i.min(l), s.min(h))
        })
}

/// The dense Bernstein coefficients of `p` over `[lo, hi]` computed in `T` (f64 for a
/// guess, inari intervals for enclosures), as [`Expansion::new`] does exactly.
fn expand_in<T>(
    p: &Poly,
    degrees: &[u32],
    lo: &[T],
    hi: &[T],
    num: impl Fn(&Rational) -> T,
    zero: T,
    one: T,
) -> Vec<T>
where
    T: Copy + std::ops::Add<Output = T> + std::ops::Sub<Output = T> + std::ops::Mul<Output = T>,
{
    let strides = strides(degrees);
    let size: usize = degrees.iter().map(|d| *d as usize + 1).product();
    let mut coeffs = vec![zero; size];
    for (e, c) in p.terms() {
        let idx: usize = e.iter().zip(&strides).map(|(ei, s)| *ei as usize * s).sum();
        coeffs[idx] = num(c);
    }
    for axis in 0..degrees.len() {
        let d = degrees[axis] as usize;
        if d == 0 {
            continue;
        }
        let (a, w, stride) = (lo[axis], hi[axis] - lo[axis], strides[axis]);
        let weights: Vec<Vec<T>> = basis_weights(d)
            .iter()
            .map(|row| row.iter().map(&num).collect())
            .collect();
        let mut fibre = vec![zero; d + 1];
        for start in 0..size {
            if !(start / stride).is_multiple_of(d + 1) {
                continue;
            }
            for (k, f) in fibre.iter_mut().enumerate() {
                *f = coeffs[start + k * stride];
            }
            for i in 0..d {
                for j in (i..d).rev() {
                    fibre[j] = fibre[j] + a * fibre[j + 1];
                }
            }
            let mut pw = one;
            for f in fibre.iter_mut().skip(1) {
                pw = pw * w;
                *f = *f * pw;
            }
            for j in 0..=d {
                let mut b = zero;
                for (k, f) in fibre.iter().enumerate().take(j + 1) {
                    b = b + weights[j][k] * *f;
                }
                coeffs[start + j * stride] = b;
            }
        }
    }
    coeffs
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Interior,
    Lower,
    Upper,
}

/// Advances to the next combination of point kinds allowed by the included faces.
fn next_kind(kind: &mut [Kind], lo_in: &[bool], hi_in: &[bool]) -> bool {
    for i in 0..kind.len() {
        let next = match kind[i] {
            Kind::Interior if lo_in[i] => Some(Kind::Lower),
            Kind::Interior | Kind::Lower if hi_in[i] => Some(Kind::Upper),
            _ => None,
        };
        match next {
            Some(k) => {
                kind[i] = k;
                return true;
            }
            None => kind[i] = Kind::Interior,
        }
    }
    false
}

fn strides(degrees: &[u32]) -> Vec<usize> {
    let mut s = vec![1; degrees.len()];
    for i in (0..degrees.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * (degrees[i + 1] as usize + 1);
    }
    s
}

/// On every fibre along `axis`: shift to `x = a + w t`, then change to the Bernstein basis;
/// `false` (coefficients left half done) once `deadline` has passed.
fn transform_axis(
    coeffs: &mut [Rational],
    degrees: &[u32],
    strides: &[usize],
    axis: usize,
    a: &Rational,
    w: &Rational,
    deadline: Option<Instant>,
) -> bool {
    let d = degrees[axis] as usize;
    if d == 0 {
        return true;
    }
    let stride = strides[axis];
    let weights = basis_weights(d);
    let mut fibre = vec![Rational::new(); d + 1];
    for start in 0..coeffs.len() {
        if !(start / stride).is_multiple_of(d + 1) {
            continue;
        }
        if start % 256 == 0 && deadline.is_some_and(|t| Instant::now() > t) {
            return false;
        }
        for (k, f) in fibre.iter_mut().enumerate() {
            *f = coeffs[start + k * stride].clone();
        }
        taylor_shift(&mut fibre, a);
        scale(&mut fibre, w);
        for j in 0..=d {
            let mut b = Rational::new();
            for (k, f) in fibre.iter().enumerate().take(j + 1) {
                b += Rational::from(&weights[j][k] * f);
            }
            coeffs[start + j * stride] = b;
        }
    }
    true
}

/// `c` becomes the coefficients of `p(x + a)` (Horner-style, exact).
fn taylor_shift(c: &mut [Rational], a: &Rational) {
    let d = c.len() - 1;
    for i in 0..d {
        for j in (i..d).rev() {
            let t = Rational::from(a * &c[j + 1]);
            c[j] += t;
        }
    }
}

/// `c_k` becomes `c_k w^k`.
fn scale(c: &mut [Rational], w: &Rational) {
    let mut p = Rational::from(1);
    for ck in c.iter_mut().skip(1) {
        p *= w;
        *ck *= &p;
    }
}

/// `weights[j][k] = C(j, k) / C(d, k)`: monomial `t^k` in the degree-`d` Bernstein basis.
fn basis_weights(d: usize) -> Vec<Vec<Rational>> {
    let binom = |n: usize, k: usize| Integer::from(Integer::binomial_u(n as u32, k as u32));
    (0..=d)
        .map(|j| {
            (0..=j)
                .map(|k| Rational::from((binom(j, k), binom(d, k))))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;

    fn expansion(e: &Expr, n: usize) -> Expansion {
        let p = Poly::from_expr(e, n).expect("a polynomial");
        let (lo, hi) = (vec![Rational::new(); n], vec![Rational::from(1); n]);
        Expansion::new(&p, &lo, &hi).expect("small")
    }

    #[test]
    fn strict_positivity_follows_the_included_faces() {
        // x on [0, 1] x [0, 1] (y of degree 0): 0 on the face x = 0, positive elsewhere.
        let x = expansion(&Expr::Var(0), 2);
        assert!(!x.proves_positive(&[true, false], &[true, true]));
        assert!(!x.proves_positive(&[true, true], &[true, true]));
        assert!(x.proves_positive(&[false, true], &[true, true]));
        // x + y: 0 only at the corner (0, 0).
        let xy = expansion(
            &Expr::Add(Box::new(Expr::Var(0)), Box::new(Expr::Var(1))),
            2,
        );
        assert!(!xy.proves_positive(&[true, true], &[true, true]));
        assert!(xy.proves_positive(&[true, false], &[true, true]));
    }

    #[test]
    fn the_interval_estimate_agrees_with_the_exact_expansion() {
        // x^2 - x + c over [lo, 1/2] x [0, 1] (y of degree 1 through 2 y x): positive,
        // certainly negative somewhere, or tight at a vertex, as the exact coefficients say.
        let (x, y) = (Expr::Var(0), Expr::Var(1));
        let c = |n, d| Expr::Const(Rational::from((n, d)));
        let p = |k: Expr| {
            let e = Expr::add(
                Expr::add(Expr::sub(Expr::Pow(Box::new(x.clone()), 2), x.clone()), k),
                Expr::mul(c(2, 1), Expr::mul(x.clone(), y.clone())),
            );
            Poly::from_expr(&e, 2).expect("a polynomial")
        };
        let iv = |q: &Rational| enclose_rational(q);
        let check = |poly: &Poly, lo: [Rational; 2], hi: [Rational; 2], want: Estimate| {
            let exact = Expansion::new(poly, &lo, &hi).expect("small");
            let (lo_i, hi_i): (Vec<_>, Vec<_>) =
                (lo.iter().map(iv).collect(), hi.iter().map(iv).collect());
            let got = interval_estimate(poly, &lo_i, &hi_i).expect("small");
            assert_eq!(got, want);
            match got {
                Estimate::Positive => assert!(exact.coeffs.iter().all(|c| *c > 0)),
                Estimate::Hopeless => {
                    assert!(!exact.proves_nonnegative() && exact.min_vertex_value() != 0)
                }
                Estimate::Open => {}
            }
        };
        let r = |n, d| Rational::from((n, d));
        // x^2 - x + 1 + 2xy on [1/10, 1/2] x [0, 1]: the least coefficient 1 - 1/10 ... > 0.
        check(
            &p(c(1, 1)),
            [r(1, 10), r(0, 1)],
            [r(1, 2), r(1, 1)],
            Estimate::Positive,
        );
        // x^2 - x + 1/10 + 2xy on [-1, 1/2] x [0, 1]: negative inside, no vertex at 0.
        check(
            &p(c(1, 10)),
            [r(-1, 1), r(0, 1)],
            [r(1, 2), r(1, 1)],
            Estimate::Hopeless,
        );
        // x^2 - xy + y^2 on [0, 1]^2: a coefficient -1/2, and 0 at the vertex (0, 0): left
        // to the exact steps (the convexity step looks at tight vertices).
        let sq = |e: &Expr| Expr::Pow(Box::new(e.clone()), 2);
        let e = Expr::add(Expr::sub(sq(&x), Expr::mul(x.clone(), y.clone())), sq(&y));
        let q = Poly::from_expr(&e, 2).expect("a polynomial");
        check(&q, [r(0, 1), r(0, 1)], [r(1, 1), r(1, 1)], Estimate::Open);
        // x - 1/3 - 10^-30 on [1/3, 1] x [0, 1]: its coefficient at x = 1/3 is -10^-30, inside
        // the rounding of 1/3, so neither sign is certain: the exact steps decide (an estimate
        // that called it positive would prove a false claim).
        let tiny = Expr::Const(Rational::from((1, Integer::from(Integer::u_pow_u(10, 30)))));
        let e = Expr::sub(Expr::sub(x.clone(), c(1, 3)), tiny);
        let t = Poly::from_expr(&e, 2).expect("a polynomial");
        check(&t, [r(1, 3), r(0, 1)], [r(1, 1), r(1, 1)], Estimate::Open);
    }

    #[test]
    fn a_positive_constant_in_many_variables_is_answered_at_once() {
        // 3^16 face kinds if every axis were enumerated.
        let c = expansion(&Expr::Const(Rational::from(16)), 16);
        assert!(c.proves_positive(&[true; 16], &[true; 16]));
        assert!(
            !expansion(&Expr::Const(Rational::new()), 16).proves_positive(&[true; 16], &[true; 16])
        );
    }
}
