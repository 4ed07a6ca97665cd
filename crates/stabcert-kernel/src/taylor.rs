//! The `taylor` leaf: Taylor's theorem of order `k` along the one non-point axis `i` of the
//! box, about a rational point `c` of it, with the Lagrange remainder enclosed over the box.
//!
//! With `t = y_i - c_i`: `m(y) = Σ_{j<k} a_j t^j + r t^k`, `a_j` the Taylor coefficients of
//! `m` at `c` and `r` that of order `k` at some point between `c` and `y`. Coefficients come
//! from truncated power series (Taylor-mode arithmetic) in rational intervals: at the exact
//! point `c` (exact special values such as `exp(0) = 1` keep them exact), and over the box for
//! `r` (each operation encloses the coefficient at every point of the box). With `v` the first
//! `j` whose `a_j` is not exactly `0`, `m = t^v q(t)` and the leaf holds when `sign(t^v) q(T)`
//! is `>= 0` by Horner's rule over `T = B_i - c_i`. Strict: `> 0`, and if `v > 0` (`m(c) = 0`)
//! `c_i` must be an excluded end.

use super::expr::Expr::{self, *};
use super::interval::{zero, Iv};
use super::trans::{self, Fun};
use super::{need, undefined, Bx, Check, Fail, Num, Walk};
use rug::Rational;

/// Highest order a certificate may ask for.
const MAX_ORDER: usize = 12;

/// Coefficients `0..=k` of a truncated power series.
type S = Vec<Iv>;

fn p(n: i64) -> Iv {
    Iv::point(n)
}

fn mul(a: &S, b: &S) -> S {
    let coef = |n: usize| (0..=n).fold(p(0), |s, j| s.add(&a[j].mul(&b[n - j])));
    (0..a.len()).map(coef).collect()
}

fn div(a: &S, b: &S) -> Option<S> {
    let r = b[0].recip()?;
    let mut q: S = Vec::new();
    for n in 0..a.len() {
        let s = (1..=n).fold(a[n].clone(), |s, j| s.sub(&b[j].mul(&q[n - j])));
        q.push(s.mul(&r));
    }
    Some(q)
}

/// `f` with `f_0 = f0` and `f' = g(f) u'`: `f_n = (1/n) Σ_{j=1..n} j u_j g_{n-j}`, where `g`'s
/// coefficients below `n` depend on `f`'s below `n` only.
fn ode(f0: Iv, u: &S, g: &dyn Fn(&S) -> Option<S>) -> Option<S> {
    let mut f = vec![p(0); u.len()];
    f[0] = f0;
    for n in 1..u.len() {
        let g = g(&f)?;
        let s = (1..=n).fold(p(0), |s, j| s.add(&p(j as i64).mul(&u[j]).mul(&g[n - j])));
        f[n] = s.mul(&Iv::point(Rational::from((1, n as u64))));
    }
    Some(f)
}

/// `sin`/`cos` (`sign` -1) or `sinh`/`cosh` (`sign` 1) of `u`: `s' = c u'`, `c' = sign s u'`.
fn pair(u: &S, sign: i64, prec: u32) -> Option<(S, S)> {
    let (fs, fc) = if sign < 0 {
        (Fun::Sin, Fun::Cos)
    } else {
        (Fun::Sinh, Fun::Cosh)
    };
    let (mut s, mut c) = (vec![value(fs, &u[0], prec)?], vec![value(fc, &u[0], prec)?]);
    for n in 1..u.len() {
        let sum = |g: &S| (1..=n).fold(p(0), |a, j| a.add(&p(j as i64).mul(&u[j]).mul(&g[n - j])));
        let k = Iv::point(Rational::from((1, n as u64)));
        let (ds, dc) = (sum(&c).mul(&k), sum(&s).mul(&k).mul(&p(sign)));
        s.push(ds);
        c.push(dc);
    }
    Some((s, c))
}

/// `f(x)`, exactly at the special points (`exp(0) = 1`, `log(1) = 0`, ...).
fn value(f: Fun, x: &Iv, prec: u32) -> Option<Iv> {
    let (z, one) = (*x == p(0), *x == p(1));
    match f {
        Fun::Exp | Fun::Cos | Fun::Cosh if z => Some(p(1)),
        Fun::Sin | Fun::Tan | Fun::Atan | Fun::Asin | Fun::Sinh | Fun::Tanh if z => Some(p(0)),
        Fun::Log | Fun::Acos if one => Some(p(0)),
        _ => Some(trans::apply(f, x, prec, false)?.0),
    }
}

/// `sqrt(u)`: `f_n = (u_n - Σ_{j=1..n-1} f_j f_{n-j}) / (2 f_0)`, `f_0 > 0`.
fn sqrt(u: &S, prec: u32) -> Option<S> {
    let f0 = u[0].sqrt(prec)?;
    let r = p(2).mul(&f0).recip()?;
    let mut f = vec![f0];
    for n in 1..u.len() {
        let s = (1..n).fold(u[n].clone(), |s, j| s.sub(&f[j].mul(&f[n - j])));
        f.push(s.mul(&r));
    }
    Some(f)
}

fn fun(f: Fun, u: &S, prec: u32) -> Option<S> {
    let mut one = vec![p(0); u.len()];
    one[0] = p(1);
    // 1 + sign f².
    let sq = |f: &S, sign: i64| -> S {
        one.iter()
            .zip(mul(f, f))
            .map(|(a, b)| a.add(&b.mul(&p(sign))))
            .collect()
    };
    let v = value(f, &u[0], prec)?;
    let g = match f {
        Fun::Sin | Fun::Cos => {
            return pair(u, -1, prec).map(|(s, c)| if f == Fun::Sin { s } else { c })
        }
        Fun::Sinh | Fun::Cosh => {
            return pair(u, 1, prec).map(|(s, c)| if f == Fun::Sinh { s } else { c })
        }
        Fun::Exp => return ode(v, u, &|f| Some(f.clone())),
        Fun::Tan => return ode(v, u, &|t| Some(sq(t, 1))),
        Fun::Tanh => return ode(v, u, &|t| Some(sq(t, -1))),
        Fun::Log => div(&one, u)?,
        Fun::Atan => div(&one, &sq(u, 1))?,
        Fun::Asin => div(&one, &sqrt(&sq(u, -1), prec)?)?,
        Fun::Acos => div(&one.iter().map(Iv::neg).collect(), &sqrt(&sq(u, -1), prec)?)?,
    };
    ode(v, u, &|_| Some(g.clone()))
}

/// Coefficients `0..=k` of `e(y + t e_axis)` in `t`, each enclosing its value at every `y` of
/// `b`; `None` where `e` may be undefined or not analytic on `b`.
pub fn series(e: &Expr, b: &[Iv], axis: usize, k: usize, prec: u32) -> Option<S> {
    let ev = |a: &Expr| series(a, b, axis, k, prec);
    if let Some((f, a)) = e.fun() {
        return fun(f, &ev(a)?, prec);
    }
    let cst = |v: Iv| {
        let mut s = vec![p(0); k + 1];
        s[0] = v;
        s
    };
    let lin = |a: &S, c: &S, sign: i64| -> S {
        let k = p(sign);
        a.iter().zip(c).map(|(x, y)| x.add(&y.mul(&k))).collect()
    };
    Some(match e {
        Q(q) => cst(Iv::point(q.0.clone())),
        Pi => cst(trans::pi(prec)?),
        Var(i) => {
            let mut s = cst(b.get(*i)?.clone());
            if *i == axis && k > 0 {
                s[1] = p(1);
            }
            s
        }
        Neg(a) => ev(a)?.iter().map(Iv::neg).collect(),
        Add(a, c) => lin(&ev(a)?, &ev(c)?, 1),
        Sub(a, c) => lin(&ev(a)?, &ev(c)?, -1),
        Mul(a, c) => mul(&ev(a)?, &ev(c)?),
        Div(a, c) => div(&ev(a)?, &ev(c)?)?,
        Pow(a, n) if n.unsigned_abs() <= 64 => {
            let a = ev(a)?;
            let pw = (0..n.unsigned_abs()).fold(cst(p(1)), |s, _| mul(&s, &a));
            if *n < 0 {
                div(&cst(p(1)), &pw)?
            } else {
                pw
            }
        }
        Sqrt(a) => sqrt(&ev(a)?, prec)?,
        Powr(x, y) => fun(
            Fun::Exp,
            &mul(&ev(y)?, &fun(Fun::Log, &ev(x)?, prec)?),
            prec,
        )?,
        // Not analytic everywhere (abs, min, max) or not taken here (atan2, large powers).
        _ => return None,
    })
}

impl Walk<'_> {
    /// Checks a `taylor` leaf of order `k` at `at` on `b` (bounds at `prec` bits).
    pub(super) fn taylor(
        &self,
        at: &[Num],
        k: usize,
        b: &Bx,
        strict: bool,
        prec: u32,
    ) -> Result<(), Fail> {
        let n = b.lo.len();
        ensure!(at.len() == n, BadCentre => "{} taylor coordinates for {n} axes", at.len());
        ensure!((1..=MAX_ORDER).contains(&k), BadCentre => "order {k} is not in 1..={MAX_ORDER}");
        for (j, q) in at.iter().enumerate() {
            let inside = b.lo[j] <= q.0 && q.0 <= b.hi[j];
            ensure!(inside, BadCentre => "taylor coordinate {j} ({}) is outside the box", q.0);
        }
        let moving: Vec<usize> = (0..n).filter(|j| !b.is_point(*j)).collect();
        let [i] = moving[..] else {
            bail!(BadCentre => "a taylor leaf needs exactly one non-point axis, not {}", moving.len())
        };
        let point: Vec<Iv> = at.iter().map(|q| Iv::point(q.0.clone())).collect();
        let a = series(self.margin(), &point, i, k - 1, prec).ok_or_else(undefined)?;
        let r = series(self.margin(), &b.ivs(), i, k, prec).ok_or_else(undefined)?;
        let c = &at[i].0;
        let t = Iv::new(Rational::from(&b.lo[i] - c), Rational::from(&b.hi[i] - c));
        let v = a.iter().position(|x| *x != p(0)).unwrap_or(k);
        let q = a[v..]
            .iter()
            .rev()
            .fold(r[k].clone(), |acc, x| x.add(&t.mul(&acc)));
        // The sign of t^v on T (t^v with v odd changes sign across 0).
        let q = match (v % 2 == 1, t.lo >= zero(), t.hi <= zero()) {
            (false, ..) | (true, true, _) => q,
            (true, false, true) => q.neg(),
            _ => bail!(NotPositive => "t^{v} changes sign on the box (the point is interior)"),
        };
        let excluded = (*c == b.lo[i] && b.lo_ex[i]) || (*c == b.hi[i] && b.hi_ex[i]);
        let ok = q.positive(strict) && (!strict || v == 0 || excluded);
        ensure!(ok, NotPositive => "the order-{k} Taylor bound is t^{v} times {q}, not {} (m(c) = {})", need(strict), a[0]);
        Ok(())
    }
}
