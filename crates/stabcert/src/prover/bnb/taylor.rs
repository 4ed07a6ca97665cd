//! The higher-order Taylor leaf: a box with one moving axis whose margin is tight (or nearly
//! so) at one of its ends `c`, closed by Taylor's theorem of order `k` about `c` with the
//! Lagrange remainder enclosed over the box (the kernel's `taylor` leaf,
//! `docs/certificates.md`).
//!
//! With `t = y_i - c_i`, `m(y) = Σ_{j<k} a_j t^j + r t^k`, `a_j` the Taylor coefficients at
//! `c`, `r` the order-`k` one at a point of the box. Coefficients come from truncated power
//! series (Taylor-mode arithmetic). At `c` they are exact rationals as long as every step is
//! (polynomial arithmetic, and the special values `exp(0) = 1`, `sin(0) = 0`, `log(1) = 0`,
//! ...), so the coefficients that vanish are known to vanish; elsewhere, and over the box,
//! inari intervals. With `v` the first coefficient not exactly 0, `m = t^v q(t)` and the leaf
//! holds when `sign(t^v) q(T) >= 0` by Horner's rule over `T = B_i - c_i`.

use super::super::tape::{enclose_rational, fun_checked};
use super::{Ctx, Item, Leaf, Method};
use crate::expr::{Expr, Fun};
use inari::Interval;
use rug::Rational;

/// An exact rational, or an enclosure.
#[derive(Clone, Debug)]
enum C {
    Q(Rational),
    I(Interval),
}

impl C {
    fn iv(&self) -> Interval {
        match self {
            C::Q(q) => enclose_rational(q),
            C::I(i) => *i,
        }
    }

    fn int(n: i64) -> C {
        C::Q(Rational::from(n))
    }

    fn is_zero(&self) -> bool {
        matches!(self, C::Q(q) if *q == 0)
    }

    fn add(&self, o: &C) -> C {
        match (self, o) {
            (C::Q(a), C::Q(b)) => C::Q(Rational::from(a + b)),
            _ => C::I(self.iv() + o.iv()),
        }
    }

    fn mul(&self, o: &C) -> C {
        match (self, o) {
            (C::Q(a), C::Q(b)) => C::Q(Rational::from(a * b)),
            _ if self.is_zero() || o.is_zero() => C::int(0),
            _ => C::I(self.iv() * o.iv()),
        }
    }

    fn neg(&self) -> C {
        self.mul(&C::int(-1))
    }

    fn recip(&self) -> Option<C> {
        match self {
            C::Q(q) if *q != 0 => Some(C::Q(Rational::from(q.recip_ref()))),
            C::Q(_) => None,
            C::I(i) => (!i.contains(0.0) && !i.is_empty()).then(|| C::I(i.recip())),
        }
    }
}

type S = Vec<C>;

fn mul(a: &S, b: &S) -> S {
    let coef = |n: usize| (0..=n).fold(C::int(0), |s, j| s.add(&a[j].mul(&b[n - j])));
    (0..a.len()).map(coef).collect()
}

fn div(a: &S, b: &S) -> Option<S> {
    let r = b[0].recip()?;
    let mut q: S = Vec::new();
    for n in 0..a.len() {
        let s = (1..=n).fold(a[n].clone(), |s, j| s.add(&b[j].mul(&q[n - j]).neg()));
        q.push(s.mul(&r));
    }
    Some(q)
}

fn frac(n: usize) -> C {
    C::Q(Rational::from((1, n as u64)))
}

/// `f` with `f_0 = f0` and `f' = g(f) u'`: `f_n = (1/n) Σ_{j=1..n} j u_j g_{n-j}`.
fn ode(f0: C, u: &S, g: &dyn Fn(&S) -> Option<S>) -> Option<S> {
    let mut f = vec![C::int(0); u.len()];
    f[0] = f0;
    for n in 1..u.len() {
        let g = g(&f)?;
        let s = (1..=n).fold(C::int(0), |s, j| {
            s.add(&C::int(j as i64).mul(&u[j]).mul(&g[n - j]))
        });
        f[n] = s.mul(&frac(n));
    }
    Some(f)
}

/// `(sin, cos)` of `u` (`sign` -1) or `(sinh, cosh)` (`sign` 1).
fn pair(u: &S, sign: i64) -> Option<(S, S)> {
    let (fs, fc) = if sign < 0 {
        (Fun::Sin, Fun::Cos)
    } else {
        (Fun::Sinh, Fun::Cosh)
    };
    let (mut s, mut c) = (vec![value(fs, &u[0])?], vec![value(fc, &u[0])?]);
    for n in 1..u.len() {
        let sum = |g: &S| {
            (1..=n).fold(C::int(0), |a, j| {
                a.add(&C::int(j as i64).mul(&u[j]).mul(&g[n - j]))
            })
        };
        let (ds, dc) = (
            sum(&c).mul(&frac(n)),
            sum(&s).mul(&frac(n)).mul(&C::int(sign)),
        );
        s.push(ds);
        c.push(dc);
    }
    Some((s, c))
}

/// `f(x)`: exact at the special points, else inari's enclosure (`None` off the domain).
fn value(f: Fun, x: &C) -> Option<C> {
    if let C::Q(q) = x {
        let (z, one) = (*q == 0, *q == 1);
        match f {
            Fun::Exp | Fun::Cos | Fun::Cosh if z => return Some(C::int(1)),
            Fun::Sin | Fun::Tan | Fun::Atan | Fun::Asin | Fun::Sinh | Fun::Tanh if z => {
                return Some(C::int(0));
            }
            Fun::Log | Fun::Acos if one => return Some(C::int(0)),
            _ => {}
        }
    }
    let (v, ok) = fun_checked(f, x.iv());
    ok.then_some(C::I(v))
}

fn sqrt(u: &S) -> Option<S> {
    let x = u[0].iv();
    if x.is_empty() || x.inf() <= 0.0 {
        return None;
    }
    let f0 = match &u[0] {
        C::Q(q) if q.numer().is_perfect_square() && q.denom().is_perfect_square() => C::Q(
            Rational::from((q.numer().clone().sqrt(), q.denom().clone().sqrt())),
        ),
        _ => C::I(x.sqrt()),
    };
    let r = C::int(2).mul(&f0).recip()?;
    let mut f = vec![f0];
    for n in 1..u.len() {
        let s = (1..n).fold(u[n].clone(), |s, j| s.add(&f[j].mul(&f[n - j]).neg()));
        f.push(s.mul(&r));
    }
    Some(f)
}

fn fun(f: Fun, u: &S) -> Option<S> {
    let mut one = vec![C::int(0); u.len()];
    one[0] = C::int(1);
    let sq = |f: &S, sign: i64| -> S {
        let f2 = mul(f, f);
        one.iter()
            .zip(&f2)
            .map(|(a, b)| a.add(&b.mul(&C::int(sign))))
            .collect()
    };
    let v = value(f, &u[0])?;
    match f {
        Fun::Sin | Fun::Cos => pair(u, -1).map(|(s, c)| if f == Fun::Sin { s } else { c }),
        Fun::Sinh | Fun::Cosh => pair(u, 1).map(|(s, c)| if f == Fun::Sinh { s } else { c }),
        Fun::Exp => ode(v, u, &|f| Some(f.clone())),
        Fun::Tan => ode(v, u, &|f| Some(sq(f, 1))),
        Fun::Tanh => ode(v, u, &|f| Some(sq(f, -1))),
        Fun::Log | Fun::Atan | Fun::Asin | Fun::Acos => {
            let g = match f {
                Fun::Log => div(&one, u)?,
                Fun::Atan => div(&one, &sq(u, 1))?,
                _ => div(&one, &sqrt(&sq(u, -1))?)?,
            };
            let g: S = if f == Fun::Acos {
                g.iter().map(C::neg).collect()
            } else {
                g
            };
            ode(v, u, &|_| Some(g.clone()))
        }
    }
}

/// Coefficients `0..=k` of `e(y + t e_axis)` in `t` at every `y` of `b`; `None` where `e`
/// may be undefined or not analytic on `b`.
fn series(e: &Expr, b: &[C], axis: usize, k: usize) -> Option<S> {
    let ev = |a: &Expr| series(a, b, axis, k);
    let cst = |v: C| {
        let mut s = vec![C::int(0); k + 1];
        s[0] = v;
        s
    };
    let lin = |a: &S, c: &S, sign: i64| -> S {
        let s = C::int(sign);
        a.iter().zip(c).map(|(x, y)| x.add(&y.mul(&s))).collect()
    };
    Some(match e {
        Expr::Const(q) => cst(C::Q(q.clone())),
        Expr::Pi => cst(C::I(Interval::PI)),
        Expr::Var(i) => {
            let mut s = cst(b.get(*i)?.clone());
            if *i == axis && k > 0 {
                s[1] = C::int(1);
            }
            s
        }
        Expr::Neg(a) => ev(a)?.iter().map(C::neg).collect(),
        Expr::Add(a, c) => lin(&ev(a)?, &ev(c)?, 1),
        Expr::Sub(a, c) => lin(&ev(a)?, &ev(c)?, -1),
        Expr::Mul(a, c) => mul(&ev(a)?, &ev(c)?),
        Expr::Div(a, c) => div(&ev(a)?, &ev(c)?)?,
        Expr::Pow(a, n) if n.unsigned_abs() <= 64 => {
            let a = ev(a)?;
            let pw = (0..n.unsigned_abs()).fold(cst(C::int(1)), |s, _| mul(&s, &a));
            if *n < 0 {
                div(&cst(C::int(1)), &pw)?
            } else {
                pw
            }
        }
        Expr::Sqrt(a) => sqrt(&ev(a)?)?,
        Expr::PowR(x, y) => fun(Fun::Exp, &mul(&ev(y)?, &fun(Fun::Log, &ev(x)?)?))?,
        Expr::Fun(f, a) => fun(*f, &ev(a)?)?,
        _ => return None,
    })
}

/// Highest order tried.
const MAX_ORDER: usize = 8;

/// An end `c` of the box's one moving axis and an order `k` at which the Taylor bound closes
/// the box.
pub(super) fn try_leaf(ctx: &Ctx, item: &Item) -> Option<Leaf> {
    let axes = &ctx.problem.axes;
    let moving: Vec<usize> = (0..item.coords.len())
        .filter(|i| !item.coords[*i].is_point())
        .collect();
    let [i] = moving[..] else {
        return None;
    };
    let margin = &ctx.problem.goals[ctx.goal].expr;
    let bx: Vec<C> = item.coords.iter().map(|c| C::I(c.interval())).collect();
    let over = series(margin, &bx, i, MAX_ORDER)?;
    if over.iter().any(|c| !c.iv().is_common_interval()) {
        return None;
    }
    let (ci, a) = (&item.coords[i], &axes[i]);
    let ends = [
        (ci.exact_lo(a), !ci.lo_included(a)),
        (ci.exact_hi(a), !ci.hi_included(a)),
    ];
    for (c, excluded) in ends {
        let at: Vec<Rational> = item
            .coords
            .iter()
            .zip(axes)
            .enumerate()
            .map(|(j, (cj, aj))| if j == i { c.clone() } else { cj.exact_lo(aj) })
            .collect();
        let point: Vec<C> = at.iter().map(|q| C::Q(q.clone())).collect();
        let Some(here) = series(margin, &point, i, MAX_ORDER - 1) else {
            continue;
        };
        // `t = y_i - c` over the box: from 0 (c is the lower end) or up to 0 (the upper).
        let d = ci.interval() - enclose_rational(&c);
        let lower = c == ci.exact_lo(a);
        let ends = if lower {
            (0.0, d.sup())
        } else {
            (d.inf(), 0.0)
        };
        let Ok(t) = Interval::try_from(ends) else {
            continue;
        };
        for k in 1..=MAX_ORDER {
            if holds(&here[..k], &over[k], t, item.strict, excluded) {
                return Some(Leaf {
                    method: Method::Taylor,
                    hyp: None,
                    centre: None,
                    multiplier: None,
                    sos: None,
                    taylor: Some(std::sync::Arc::new((at, k))),
                });
            }
        }
    }
    None
}

/// The sign test of the kernel's `taylor` leaf: `a` the coefficients below `k` at `c`, `r`
/// the order-`k` one over the box, `t` the range of `y_i - c_i`.
fn holds(a: &[C], r: &C, t: Interval, strict: bool, excluded: bool) -> bool {
    let k = a.len();
    let v = a.iter().position(|x| !x.is_zero()).unwrap_or(k);
    let q = a[v..].iter().rev().fold(r.iv(), |acc, x| x.iv() + t * acc);
    let q = match (v % 2 == 1, t.inf() >= 0.0, t.sup() <= 0.0) {
        (false, ..) | (true, true, _) => q,
        (true, false, true) => -q,
        _ => return false,
    };
    let positive = q.inf() > 0.0 || (!strict && q.inf() >= 0.0);
    positive && (!strict || v == 0 || excluded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Box<Expr> {
        Box::new(Expr::Var(0))
    }

    /// The point coefficients of `sin x - x + x^3/6` at 0 vanish exactly up to order 4 (the
    /// cancellation `-1/6 + 1/6` is exact in rationals, not an f64 interval around 0).
    #[test]
    fn vanishing_coefficients_are_exact() {
        let cube = Expr::Div(Box::new(Expr::Pow(x(), 3)), Box::new(Expr::Const(6.into())));
        let m = Expr::Add(
            Box::new(Expr::Sub(Box::new(Expr::Fun(Fun::Sin, x())), x())),
            Box::new(cube),
        );
        let s = series(&m, &[C::int(0)], 0, 6).unwrap();
        for (n, c) in s.iter().enumerate() {
            assert_eq!(c.is_zero(), n != 5, "{n}: {c:?}");
        }
        assert!(matches!(&s[5], C::Q(q) if *q == Rational::from((1, 120))));
        // At 1/3 the value is only enclosed: not taken for 0.
        let s = series(&m, &[C::Q(Rational::from((1, 3)))], 0, 2).unwrap();
        assert!(!s[0].is_zero() && s[0].iv().inf() > 0.0);
    }
}
