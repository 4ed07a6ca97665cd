//! The `tangent` leaf: a second-order Taylor bound around a rational point `c` of the box.
//!
//! Where the margin `m` is twice continuously differentiable on the box `B` (convex),
//! `m(y) = m(c) + ∇m(c)·d + ½ dᵀ ∇²m(ξ) d` with `d = y - c` and `ξ` on the segment `[c, y]`.
//! The leaf checks (i) `m(c) >= 0` (enclosed at the exact point), (ii) `∂_i m(c) d_i >= 0`
//! over `B` for each axis, (iii) the interval value of `½ Σ H_ij d_i d_j >= 0` with `H`
//! the Hessian enclosure over `B` and `d_i` the intervals `B_i - c_i` (diagonal terms as
//! `d_i²`). Then every term is `>= 0`, so `m >= 0` on `B`.
//!
//! Strict conclusions (`m > 0`) need one of: `m(c) > 0`; or `c_i` on an excluded end of
//! some axis `i` (no point of the domain has `y_i = c_i`) with `∂_i m(c) d_i > 0` for
//! every `d_i != 0` (a strict slope pointing inward); or `B` has one non-point axis `i`,
//! `c_i` on an excluded end of it and `H_ii > 0` on `B` (then `d_i != 0` and the quadratic
//! term is `> 0`).
//!
//! Otherwise the leaf also holds when the whole bound `m(c) + Σ ∂_i m(c) d_i + ½ Σ H_ij d_i d_j`
//! (one interval, the same enclosures) is `>= 0` (`> 0` if strict): it encloses `m(y)` for
//! every `y` of `B`, so a slack `m(c) > 0` may pay for negative terms.

use super::hess::eval2;
use super::interval::{zero, Iv};
use super::{need, undefined, Bx, Check, Fail, Num, Walk};
use rug::Rational;

impl Walk<'_> {
    /// Checks a `tangent` leaf at `at` on `b` (bounds at `prec` bits).
    pub(super) fn tangent(&self, at: &[Num], b: &Bx, strict: bool, prec: u32) -> Result<(), Fail> {
        let n = b.lo.len();
        ensure!(at.len() == n, BadCentre => "{} tangent coordinates for {n} axes", at.len());
        for (i, q) in at.iter().enumerate() {
            let inside = b.lo[i] <= q.0 && q.0 <= b.hi[i];
            ensure!(inside, BadCentre => "tangent coordinate {i} ({}) is outside the box", q.0);
        }
        let m = self.margin();
        let over = eval2(m, &b.ivs(), prec).ok_or_else(no_second)?;
        let point: Vec<Iv> = at.iter().map(|q| Iv::point(q.0.clone())).collect();
        let here = eval2(m, &point, prec).ok_or_else(no_second)?;
        let d: Vec<Iv> = (0..n)
            .map(|i| {
                Iv::new(
                    Rational::from(&b.lo[i] - &at[i].0),
                    Rational::from(&b.hi[i] - &at[i].0),
                )
            })
            .collect();
        let mut q = Iv::point(0);
        for i in 0..n {
            q = q.add(&over.h[i][i].mul(&d[i].pow(2).ok_or_else(undefined)?));
            for j in i + 1..n {
                q = q.add(&Iv::point(2).mul(&over.h[i][j]).mul(&d[i].mul(&d[j])));
            }
        }
        let half = q.mul(&Iv::point(Rational::from((1, 2))));
        let whole = (0..n).fold(here.v.add(&half), |s, i| s.add(&here.g[i].mul(&d[i])));
        if whole.positive(strict) {
            return Ok(());
        }
        // (i) the value at the point.
        ensure!(here.v.positive(false), NotPositive => "the margin at the tangent point is {}, not >= 0", here.v);
        // (ii) the linear terms.
        let mut inward = vec![false; n];
        for i in 0..n {
            let t = here.g[i].mul(&d[i]);
            ensure!(t.positive(false), NotPositive => "the linear term of axis {i} is {t} (slope {}), not >= 0", here.g[i]);
            let at_lo = at[i].0 == b.lo[i] && b.lo_ex[i] && here.g[i].lo > zero();
            let at_hi = at[i].0 == b.hi[i] && b.hi_ex[i] && here.g[i].hi < zero();
            inward[i] = at_lo || at_hi;
        }
        // (iii) the quadratic form.
        ensure!(q.positive(false), NotPositive => "the quadratic term is {half}, not >= 0");
        if strict {
            let moving: Vec<usize> = (0..n).filter(|i| !b.is_point(*i)).collect();
            let excluded =
                |i: usize| (at[i].0 == b.lo[i] && b.lo_ex[i]) || (at[i].0 == b.hi[i] && b.hi_ex[i]);
            let curved = matches!(moving[..], [i] if excluded(i) && over.h[i][i].lo > zero());
            let ok = here.v.positive(true) || inward.iter().any(|x| *x) || curved;
            ensure!(ok, NotPositive => "the tangent bound is not {}: m(c) = {}, and no strict term at an excluded end", need(true), here.v);
        }
        Ok(())
    }
}

fn no_second() -> Fail {
    let why = "the margin may be undefined or not twice differentiable on the box";
    (Check::MarginUndefined, why.into())
}
