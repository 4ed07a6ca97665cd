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
use std::cell::Cell;

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

fn mul(a: &[C], b: &[C]) -> S {
    let coef = |n: usize| (0..=n).fold(C::int(0), |s, j| s.add(&a[j].mul(&b[n - j])));
    (0..a.len().min(b.len())).map(coef).collect()
}

fn div(a: &[C], b: &[C]) -> Option<S> {
    let r = b.first()?.recip()?;
    let mut q: S = Vec::new();
    for n in 0..a.len().min(b.len()) {
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

/// Coefficients of `e(y + t e_axis)` in `t` at `y = c` (`pt`) and at every `y` of the box
/// (`bx`), to order `k`; `None` where `e` may be undefined or not analytic on the box. A
/// quotient whose numerator and denominator vanish to order `v` at `c` (exactly) is divided by
/// `t^v` first (the box coefficients shift: `f(x)/t = ∫_0^1 f'(c + τ t) dτ`), and `cut` is
/// set: the quotient is then `0/0` at `c`, which must be outside the domain.
fn series(e: &Expr, pt: &[C], bx: &[C], axis: usize, k: usize, cut: &Cell<bool>) -> Option<(S, S)> {
    let ev = |a: &Expr| series(a, pt, bx, axis, k, cut);
    let both = |(x, y): (S, S), f: &dyn Fn(&S) -> Option<S>| Some((f(&x)?, f(&y)?));
    let zip = |(x, y): (S, S), (u, w): (S, S), f: &dyn Fn(&S, &S) -> Option<S>| {
        Some((f(&x, &u)?, f(&y, &w)?))
    };
    let cst = |v: C| {
        let mut s = vec![C::int(0); k + 1];
        s[0] = v;
        s
    };
    let lin = |sign: i64| {
        move |a: &S, c: &S| -> Option<S> {
            let s = C::int(sign);
            Some(a.iter().zip(c).map(|(x, y)| x.add(&y.mul(&s))).collect())
        }
    };
    match e {
        Expr::Const(q) => Some((cst(C::Q(q.clone())), cst(C::Q(q.clone())))),
        Expr::Pi => Some((cst(C::I(Interval::PI)), cst(C::I(Interval::PI)))),
        Expr::Var(i) => {
            let (mut x, mut y) = (cst(pt.get(*i)?.clone()), cst(bx.get(*i)?.clone()));
            if *i == axis && k > 0 {
                (x[1], y[1]) = (C::int(1), C::int(1));
            }
            Some((x, y))
        }
        Expr::Neg(a) => both(ev(a)?, &|s| Some(s.iter().map(C::neg).collect())),
        Expr::Add(a, c) => zip(ev(a)?, ev(c)?, &lin(1)),
        Expr::Sub(a, c) => zip(ev(a)?, ev(c)?, &lin(-1)),
        Expr::Mul(a, c) => zip(ev(a)?, ev(c)?, &|x, y| Some(mul(x, y))),
        Expr::Div(a, c) => {
            let ((pa, ba), (pc, bc)) = (ev(a)?, ev(c)?);
            let v = pc.iter().take_while(|x| x.is_zero()).count();
            if v > 0 {
                pa.get(..v)?.iter().all(C::is_zero).then_some(())?;
                cut.set(true);
            }
            Some((div(&pa[v..], &pc[v..])?, div(&ba[v..], &bc[v..])?))
        }
        Expr::Pow(a, n) if n.unsigned_abs() <= 64 => both(ev(a)?, &|a| {
            let pw = (0..n.unsigned_abs()).fold(cst(C::int(1)), |s, _| mul(&s, a));
            if *n < 0 {
                div(&cst(C::int(1)), &pw)
            } else {
                Some(pw)
            }
        }),
        Expr::Sqrt(a) => both(ev(a)?, &|s| sqrt(s)),
        Expr::PowR(x, y) => {
            let l = both(ev(x)?, &|s| fun(Fun::Log, s))?;
            both(zip(ev(y)?, l, &|a, b| Some(mul(a, b)))?, &|s| {
                fun(Fun::Exp, s)
            })
        }
        Expr::Fun(f, a) => both(ev(a)?, &|s| fun(*f, s)),
        _ => None,
    }
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
        let cut = Cell::new(false);
        // Two orders to spare for quotients divided by t^v (as the kernel computes them).
        let Some((here, over)) = series(margin, &point, &bx, i, MAX_ORDER + 2, &cut) else {
            continue;
        };
        let finite = over.iter().all(|c| c.iv().is_common_interval());
        if !finite || (cut.get() && !excluded) {
            continue;
        }
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
        for k in (1..=MAX_ORDER).filter(|k| here.len() > *k && over.len() > *k) {
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
        let zero = [C::int(0)];
        let s = series(&m, &zero, &zero, 0, 6, &Cell::new(false)).unwrap().0;
        for (n, c) in s.iter().enumerate() {
            assert_eq!(c.is_zero(), n != 5, "{n}: {c:?}");
        }
        assert!(matches!(&s[5], C::Q(q) if *q == Rational::from((1, 120))));
        // At 1/3 the value is only enclosed: not taken for 0.
        let third = [C::Q(Rational::from((1, 3)))];
        let s = series(&m, &third, &third, 0, 2, &Cell::new(false))
            .unwrap()
            .0;
        assert!(!s[0].is_zero() && s[0].iv().inf() > 0.0);
    }
}
