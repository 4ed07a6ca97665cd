//! The second-order ("tangent") leaf: a box whose margin touches 0 at one of its corners
//! with a zero (or inward) slope there, closed by Taylor's theorem with a Hessian
//! enclosure over the box (the kernel's `tangent` leaf, `docs/certificates.md`).
//!
//! `m(y) = m(c) + ∇m(c)·d + ½ dᵀ ∇²m(ξ) d` with `d = y - c`, `ξ` in the box: the leaf holds
//! when `m(c) >= 0`, each `∂_i m(c) d_i >= 0` over the box, and the interval value of the
//! quadratic form `Σ H_ii d_i² + 2 Σ_{i<j} H_ij d_i d_j >= 0`. Enclosures are inari's,
//! outward; `None` wherever the margin may be undefined or not twice differentiable
//! (`abs`, `min`, `max`, `atan2`, `sqrt` or `asin`/`acos` at the edge of their domain).

use super::super::tape::{enclose_rational, fun_checked, fun_slope, pow_checked};
use super::{Coord, Ctx, Item, Leaf, Method};
use crate::expr::{Expr, Fun};
use inari::{const_interval, Interval};
use rug::Rational;

/// Value, gradient and Hessian enclosures over a box.
struct Second {
    v: Interval,
    g: Vec<Interval>,
    h: Vec<Vec<Interval>>,
}

fn zero() -> Interval {
    const_interval!(0.0, 0.0)
}

fn num(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE)
}

fn constant(v: Interval, n: usize) -> Second {
    Second {
        v,
        g: vec![zero(); n],
        h: vec![vec![zero(); n]; n],
    }
}

/// `f(u)` from enclosures `f0`, `f1`, `f2` of `f`, `f'`, `f''` over `u`'s range.
fn chain(f0: Interval, f1: Interval, f2: Interval, u: &Second) -> Second {
    let n = u.g.len();
    let g = u.g.iter().map(|gi| f1 * *gi).collect();
    let h = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| f2 * (u.g[i] * u.g[j]) + f1 * u.h[i][j])
                .collect()
        })
        .collect();
    Second { v: f0, g, h }
}

fn lin(a: &Second, b: &Second, sign: f64) -> Second {
    let s = num(sign);
    let zip = |x: &[Interval], y: &[Interval]| {
        x.iter()
            .zip(y)
            .map(|(p, q)| *p + s * *q)
            .collect::<Vec<_>>()
    };
    Second {
        v: a.v + s * b.v,
        g: zip(&a.g, &b.g),
        h: a.h.iter().zip(&b.h).map(|(x, y)| zip(x, y)).collect(),
    }
}

fn mul(a: &Second, b: &Second) -> Second {
    let n = a.g.len();
    let g = (0..n).map(|i| a.g[i] * b.v + a.v * b.g[i]).collect();
    let entry = |i: usize, j: usize| {
        a.h[i][j] * b.v + (a.g[i] * b.g[j] + a.g[j] * b.g[i]) + a.v * b.h[i][j]
    };
    let h = (0..n)
        .map(|i| (0..n).map(|j| entry(i, j)).collect())
        .collect();
    Second { v: a.v * b.v, g, h }
}

fn defined(iv: Interval, ok: bool) -> Option<Interval> {
    (ok && !iv.is_empty() && !iv.is_entire()).then_some(iv)
}

/// Encloses `e`, its gradient and Hessian over `b`.
fn second(e: &Expr, b: &[Interval]) -> Option<Second> {
    let n = b.len();
    let ev = |a: &Expr| second(a, b);
    let one = num(1.0);
    Some(match e {
        Expr::Const(q) => constant(enclose_rational(q), n),
        Expr::Pi => constant(Interval::PI, n),
        Expr::Var(i) => {
            let mut s = constant(*b.get(*i)?, n);
            s.g[*i] = one;
            s
        }
        Expr::Neg(a) => lin(&constant(zero(), n), &ev(a)?, -1.0),
        Expr::Add(a, c) => lin(&ev(a)?, &ev(c)?, 1.0),
        Expr::Sub(a, c) => lin(&ev(a)?, &ev(c)?, -1.0),
        Expr::Mul(a, c) => mul(&ev(a)?, &ev(c)?),
        Expr::Div(a, c) => {
            let (a, c) = (ev(a)?, ev(c)?);
            let (r, ok) = pow_checked(c.v, -1);
            let r = defined(r, ok)?;
            let inv = chain(r, -(r * r), num(2.0) * r * r * r, &c);
            let mut q = mul(&a, &inv);
            q.v = defined(a.v / c.v, true)?;
            q
        }
        Expr::Pow(a, p) => {
            let (a, p) = (ev(a)?, *p);
            let (v, ok) = pow_checked(a.v, p);
            let v = defined(v, ok)?;
            let d1 = match p {
                0 => zero(),
                _ => num(f64::from(p)) * defined(a.v.powi(p.checked_sub(1)?), true)?,
            };
            let d2 = match p {
                0 | 1 => zero(),
                _ => {
                    num(f64::from(p) * (f64::from(p) - 1.0))
                        * defined(a.v.powi(p.checked_sub(2)?), true)?
                }
            };
            chain(v, d1, d2, &a)
        }
        Expr::Sqrt(a) => {
            let a = ev(a)?;
            if a.v.inf() <= 0.0 {
                return None;
            }
            let r = a.v.sqrt();
            let ri = one / r;
            chain(r, num(0.5) * ri, num(-0.25) * ri * ri * ri, &a)
        }
        Expr::PowR(x, y) => {
            let (x, y) = (ev(x)?, ev(y)?);
            let l = fun(Fun::Log, &x)?;
            fun(Fun::Exp, &mul(&y, &l))?
        }
        Expr::Fun(f, a) => fun(*f, &ev(a)?)?,
        Expr::Abs(_) | Expr::Min(..) | Expr::Max(..) | Expr::Atan2(..) => return None,
    })
}

/// `f(u)` with `f'' `: `exp'' = exp`, `log'' = -1/x²`, `sin'' = -sin`, `cos'' = -cos`,
/// `tan'' = 2 tan (1 + tan²)`, `atan'' = -2x/(1+x²)²`, `asin'' = x (1-x²)^(-3/2) = -acos''`,
/// `sinh'' = sinh`, `cosh'' = cosh`, `tanh'' = -2 tanh (1 - tanh²)`.
fn fun(f: Fun, u: &Second) -> Option<Second> {
    let x = u.v;
    let (v, ok) = fun_checked(f, x);
    let v = defined(v, ok)?;
    let d1 = defined(fun_slope(f, x, v), true)?;
    let (one, two) = (num(1.0), num(2.0));
    let asin2 = || {
        let w = one - x.sqr();
        (w.inf() > 0.0).then(|| x / (w * w.sqrt()))
    };
    let d2 = match f {
        Fun::Exp | Fun::Sinh | Fun::Cosh => v,
        Fun::Log => -(one / x.sqr()),
        Fun::Sin | Fun::Cos => -v,
        Fun::Tan => two * v * (one + v.sqr()),
        Fun::Atan => -(two * x / (one + x.sqr()).sqr()),
        Fun::Asin => asin2()?,
        Fun::Acos => -asin2()?,
        Fun::Tanh => -(two * v * (one - v.sqr())),
    };
    Some(chain(v, d1, defined(d2, true)?, u))
}

/// Most variables for which the corners are tried.
const MAX_AXES: usize = 4;

/// A corner `c` of the box (exact f64 coordinates) at which the tangent leaf closes it; or
/// `Err(true)` if the margin is exactly 0 at a corner with the slopes there fine and only
/// the Hessian's term fails (its enclosure over a box shrinks with the box's widest sides).
pub(super) fn try_leaf(ctx: &Ctx, item: &Item) -> Result<Leaf, bool> {
    try_corners(ctx, item).ok_or(false)?
}

fn try_corners(ctx: &Ctx, item: &Item) -> Option<Result<Leaf, bool>> {
    let n = item.coords.len();
    if n > MAX_AXES {
        return None;
    }
    let axes = &ctx.problem.axes;
    // Each axis's candidate values: its ends that are exact f64s (one for a point).
    let mut ends: Vec<Vec<(f64, bool)>> = Vec::new();
    for (c, a) in item.coords.iter().zip(axes) {
        let exact = |v: f64, q: Rational| Rational::from_f64(v).is_some_and(|f| f == q);
        let mut e = Vec::new();
        if exact(c.lo, c.exact_lo(a)) {
            e.push((c.lo, !c.lo_included(a)));
        }
        if !c.is_point() && exact(c.hi, c.exact_hi(a)) {
            e.push((c.hi, !c.hi_included(a)));
        }
        if e.is_empty() {
            return None;
        }
        ends.push(e);
    }
    let tangent_at = |corner: &[(f64, bool)]| Leaf {
        method: Method::Tangent,
        hyp: None,
        centre: Some(corner.iter().map(|(v, _)| Some(*v)).collect()),
        multiplier: None,
        sos: None,
        taylor: None,
    };
    let margin = &ctx.problem.goals[ctx.goal].expr;
    let bx: Vec<Interval> = item.coords.iter().map(Coord::interval).collect();
    let mut over: Option<Option<Second>> = None;
    let mut tight = false;
    let count: usize = ends.iter().map(Vec::len).product();
    // Every corner, then the centre (a dyadic point; the whole bound only).
    for k in 0..=count {
        let (mut rest, mut corner) = (k, Vec::new());
        for (e, c) in ends.iter().zip(&item.coords) {
            let mid = (c.lo + (c.hi - c.lo) / 2.0, false);
            corner.push(if k == count { mid } else { e[rest % e.len()] });
            rest /= e.len();
        }
        let at: Vec<Interval> = corner.iter().map(|(v, _)| num(*v)).collect();
        let Some(here) = second(margin, &at) else {
            continue;
        };
        let d: Vec<Interval> = bx.iter().zip(&at).map(|(x, c)| *x - *c).collect();
        let terms_fine = here.v.inf() >= 0.0 && (0..n).all(|i| (here.g[i] * d[i]).inf() >= 0.0);
        // With slack at the point, the whole bound m(c) + ∇m(c)·d + ½ dᵀHd may close the box
        // where some term is negative.
        if !terms_fine && here.v.inf() <= 0.0 {
            continue;
        }
        let Some(h) = over.get_or_insert_with(|| second(margin, &bx)) else {
            return None;
        };
        let mut q = zero();
        for i in 0..n {
            q += h.h[i][i] * d[i].sqr();
            for j in i + 1..n {
                q += num(2.0) * h.h[i][j] * (d[i] * d[j]);
            }
        }
        let whole = (0..n).fold(here.v + num(0.5) * q, |s, i| s + here.g[i] * d[i]);
        if whole.inf() > 0.0 || (!item.strict && whole.inf() >= 0.0) {
            return Some(Ok(tangent_at(&corner)));
        }
        if !terms_fine || k == count {
            continue;
        }
        let strict_fine = !item.strict
            || here.v.inf() > 0.0
            || strict_ok(&corner, &here, item)
            || curved(&corner, h, item);
        tight |= q.inf() < 0.0 && here.v.inf() == 0.0 && here.v.sup() == 0.0;
        if q.inf() >= 0.0 && strict_fine {
            return Some(Ok(tangent_at(&corner)));
        }
    }
    Some(Err(tight))
}

/// A strict slope pointing inward at an excluded end of some axis (`m > 0` off that end).
fn strict_ok(corner: &[(f64, bool)], here: &Second, item: &Item) -> bool {
    corner
        .iter()
        .zip(&item.coords)
        .zip(&here.g)
        .any(|(((v, excluded), c), g)| {
            *excluded
                && !c.is_point()
                && ((*v == c.lo && g.inf() > 0.0) || (*v == c.hi && g.sup() < 0.0))
        })
}

/// One moving axis, its corner coordinate excluded, and a curvature `> 0` along it.
fn curved(corner: &[(f64, bool)], h: &Second, item: &Item) -> bool {
    let moving: Vec<usize> = (0..corner.len())
        .filter(|i| !item.coords[*i].is_point())
        .collect();
    matches!(moving[..], [i] if corner[i].1 && h.h[i][i].inf() > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var() -> Expr {
        Expr::Var(0)
    }

    /// Every function's second derivative, composed with `u = x²/2 + x/3` (so the chain
    /// rule's both terms count), at sample points: the central difference lies in the Hessian
    /// enclosure over a small box around the point. A wrong rule (`log'' = +1/x²`, say) is far
    /// off.
    #[test]
    fn hessians_contain_central_differences() {
        let third = Expr::Const(Rational::from((1, 3)));
        let half = Expr::Const(Rational::from((1, 2)));
        let u = Expr::Add(
            Box::new(Expr::Mul(
                Box::new(half),
                Box::new(Expr::Pow(Box::new(var()), 2)),
            )),
            Box::new(Expr::Mul(Box::new(third), Box::new(var()))),
        );
        let uf = |x: f64| x * x / 2.0 + x / 3.0;
        for f in Fun::ALL {
            for x0 in [0.2, 0.45, 0.7] {
                let e = Expr::Fun(f, Box::new(u.clone()));
                let b = [Interval::try_from((x0 - 1e-4, x0 + 1e-4)).unwrap()];
                let s = second(&e, &b).unwrap_or_else(|| panic!("{f:?} at {x0}"));
                let h = 1e-4;
                let g = |x: f64| crate::prover::tape::fun_f64(f, uf(x));
                let fd = (g(x0 + h) - 2.0 * g(x0) + g(x0 - h)) / (h * h);
                let (lo, hi) = (s.h[0][0].inf(), s.h[0][0].sup());
                let slack = 1e-4 * (1.0 + fd.abs());
                assert!(
                    lo - slack <= fd && fd <= hi + slack,
                    "{f:?}'' at {x0}: {fd} not in [{lo}, {hi}]"
                );
                let d1 = (g(x0 + h) - g(x0 - h)) / (2.0 * h);
                assert!(
                    s.g[0].inf() - slack <= d1 && d1 <= s.g[0].sup() + slack,
                    "{f:?}' at {x0}"
                );
            }
        }
    }

    /// Products, quotients, powers and square roots in two variables: the mixed partial of
    /// `x y / (1 + x²) + sqrt(x + y)` against a central difference.
    #[test]
    fn mixed_partials_contain_central_differences() {
        let (x, y) = (Expr::Var(0), Expr::Var(1));
        let one = Expr::Const(Rational::from(1));
        let e = Expr::Add(
            Box::new(Expr::Div(
                Box::new(Expr::Mul(Box::new(x.clone()), Box::new(y.clone()))),
                Box::new(Expr::Add(
                    Box::new(one),
                    Box::new(Expr::Pow(Box::new(x.clone()), 2)),
                )),
            )),
            Box::new(Expr::Sqrt(Box::new(Expr::Add(Box::new(x), Box::new(y))))),
        );
        let g = |x: f64, y: f64| x * y / (1.0 + x * x) + (x + y).sqrt();
        let (x0, y0, h) = (0.6, 0.3, 1e-4);
        let b = [
            Interval::try_from((x0 - 1e-4, x0 + 1e-4)).unwrap(),
            Interval::try_from((y0 - 1e-4, y0 + 1e-4)).unwrap(),
        ];
        let s = second(&e, &b).unwrap();
        let fd = (g(x0 + h, y0 + h) - g(x0 + h, y0 - h) - g(x0 - h, y0 + h) + g(x0 - h, y0 - h))
            / (4.0 * h * h);
        let fxx = (g(x0 + h, y0) - 2.0 * g(x0, y0) + g(x0 - h, y0)) / (h * h);
        for (iv, v) in [(s.h[0][1], fd), (s.h[1][0], fd), (s.h[0][0], fxx)] {
            assert!(
                iv.inf() - 1e-4 <= v && v <= iv.sup() + 1e-4,
                "{v} not in {iv:?}"
            );
        }
        // Not twice differentiable: abs, and sqrt at 0.
        assert!(second(&Expr::Abs(Box::new(Expr::Var(0))), &b).is_none());
        let at0 = [Interval::try_from((0.0, 1.0)).unwrap(); 2];
        assert!(second(&Expr::Sqrt(Box::new(Expr::Var(0))), &at0).is_none());
    }
}
