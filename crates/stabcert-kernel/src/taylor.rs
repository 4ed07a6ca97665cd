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
use std::cell::Cell;

/// Highest order a certificate may ask for.
const MAX_ORDER: usize = 12;

/// Coefficients `0..=k` of a truncated power series.
type S = Vec<Iv>;

fn p(n: i64) -> Iv {
    Iv::point(n)
}

fn mul(a: &[Iv], b: &[Iv]) -> S {
    let coef = |n: usize| (0..=n).fold(p(0), |s, j| s.add(&a[j].mul(&b[n - j])));
    (0..a.len().min(b.len())).map(coef).collect()
}

/// `a + sign c`.
fn lin(a: &[Iv], c: &[Iv], sign: i64) -> S {
    a.iter()
        .zip(c)
        .map(|(x, y)| x.add(&y.mul(&p(sign))))
        .collect()
}

fn div(a: &[Iv], b: &[Iv]) -> Option<S> {
    let r = b.first()?.recip()?;
    let mut q: S = Vec::new();
    for n in 0..a.len().min(b.len()) {
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
    let (fs, fc) = [(Fun::Sin, Fun::Cos), (Fun::Sinh, Fun::Cosh)][usize::from(sign > 0)];
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
    let sq = |f: &S, sign: i64| lin(&one, &mul(f, f), sign);
    let v = value(f, &u[0], prec)?;
    let g = match f {
        Fun::Sin | Fun::Cos | Fun::Sinh | Fun::Cosh => {
            let (s, c) = pair(
                u,
                if matches!(f, Fun::Sin | Fun::Cos) {
                    -1
                } else {
                    1
                },
                prec,
            )?;
            return Some(if matches!(f, Fun::Sin | Fun::Sinh) {
                s
            } else {
                c
            });
        }
        Fun::Exp => return ode(v, u, &|f| Some(f.clone())),
        Fun::Tan => return ode(v, u, &|t| Some(sq(t, 1))),
        Fun::Tanh => return ode(v, u, &|t| Some(sq(t, -1))),
        Fun::Log => div(&one, u)?,
        Fun::Atan => div(&one, &sq(u, 1))?,
        Fun::Asin => div(&one, &sqrt(&sq(u, -1), prec)?)?,
        Fun::Acos => div(&lin(&one, &one, -2), &sqrt(&sq(u, -1), prec)?)?,
    };
    ode(v, u, &|_| Some(g.clone()))
}

/// Coefficients of `e(y + t e_axis)` in `t` at `y = c` (`pt`) and at every `y` of the box
/// `bx` (each enclosing its value there), computed to order `k`; `None` where `e` may be
/// undefined or not analytic on the box.
///
/// A quotient whose numerator and denominator both vanish to order `v` at `c` (their first
/// `v` coefficients there exactly 0) is divided by `t^v` first: for `f(c) = 0`,
/// `f(x)/t = ∫_0^1 f'(c + τ t) dτ`, whose `j`-th coefficient at `x` is an average of `f`'s
/// `(j+1)`-th over the segment from `c` (`∫ (j+1) τ^j dτ = 1`), so shifting the box
/// coefficients encloses it. The quotient is then only the analytic extension at `c` itself
/// (where it is `0/0`): `cut` is set, and the leaf needs `c` excluded.
pub fn series(
    e: &Expr,
    pt: &[Iv],
    bx: &[Iv],
    axis: usize,
    k: usize,
    prec: u32,
    cut: &Cell<bool>,
) -> Option<(S, S)> {
    let ev = |a: &Expr| series(a, pt, bx, axis, k, prec, cut);
    let both = |(x, y): (S, S), f: &dyn Fn(&S) -> Option<S>| Some((f(&x)?, f(&y)?));
    let zip = |(x, y): (S, S), (u, w): (S, S), f: &dyn Fn(&S, &S) -> Option<S>| {
        Some((f(&x, &u)?, f(&y, &w)?))
    };
    if let Some((f, a)) = e.fun() {
        return both(ev(a)?, &|s| fun(f, s, prec));
    }
    let cst = |v: Iv| {
        let mut s = vec![p(0); k + 1];
        s[0] = v;
        s
    };
    match e {
        Q(q) => Some((cst(Iv::point(q.0.clone())), cst(Iv::point(q.0.clone())))),
        Pi => Some((cst(trans::pi(prec)?), cst(trans::pi(prec)?))),
        Var(i) => {
            let (mut x, mut y) = (cst(pt.get(*i)?.clone()), cst(bx.get(*i)?.clone()));
            if *i == axis && k > 0 {
                (x[1], y[1]) = (p(1), p(1));
            }
            Some((x, y))
        }
        Neg(a) => both(ev(a)?, &|s| Some(s.iter().map(Iv::neg).collect())),
        Add(a, c) => zip(ev(a)?, ev(c)?, &|x, y| Some(lin(x, y, 1))),
        Sub(a, c) => zip(ev(a)?, ev(c)?, &|x, y| Some(lin(x, y, -1))),
        Mul(a, c) => zip(ev(a)?, ev(c)?, &|x, y| Some(mul(x, y))),
        Div(a, c) => {
            let ((pa, ba), (pc, bc)) = (ev(a)?, ev(c)?);
            let v = pc.iter().take_while(|x| **x == p(0)).count();
            if v > 0 {
                pa.get(..v)?.iter().all(|x| *x == p(0)).then_some(())?;
                cut.set(true);
            }
            Some((div(&pa[v..], &pc[v..])?, div(&ba[v..], &bc[v..])?))
        }
        Pow(a, n) if n.unsigned_abs() <= 64 => both(ev(a)?, &|a| {
            let pw = (0..n.unsigned_abs()).fold(cst(p(1)), |s, _| mul(&s, a));
            (*n >= 0)
                .then(|| pw.clone())
                .or_else(|| div(&cst(p(1)), &pw))
        }),
        Sqrt(a) => both(ev(a)?, &|s| sqrt(s, prec)),
        Powr(x, y) => {
            let l = both(ev(x)?, &|s| fun(Fun::Log, s, prec))?;
            both(zip(ev(y)?, l, &|a, b| Some(mul(a, b)))?, &|s| {
                fun(Fun::Exp, s, prec)
            })
        }
        // Not analytic everywhere (abs, min, max) or not taken here (atan2, large powers).
        _ => None,
    }
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
        let out = (0..n).find(|j| at[*j].0 < b.lo[*j] || at[*j].0 > b.hi[*j]);
        ensure!(out.is_none(), BadCentre => "taylor coordinate {out:?} is outside the box");
        let moving: Vec<usize> = (0..n).filter(|j| !b.is_point(*j)).collect();
        let [i] = moving[..] else {
            bail!(BadCentre => "a taylor leaf needs exactly one non-point axis, not {}", moving.len())
        };
        let point: Vec<Iv> = at.iter().map(|q| Iv::point(q.0.clone())).collect();
        let cut = Cell::new(false);
        // Two orders to spare for quotients divided by t^v.
        let s = series(self.margin(), &point, &b.ivs(), i, k + 2, prec, &cut);
        let (a, r) = s
            .filter(|(a, r)| a.len() > k && r.len() > k)
            .ok_or_else(undefined)?;
        let a = &a[..k];
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
        ensure!(excluded || !cut.get(), MarginUndefined => "a quotient is 0/0 at the point, which is not excluded");
        let ok = q.positive(strict) && (!strict || v == 0 || excluded);
        ensure!(ok, NotPositive => "the order-{k} Taylor bound is t^{v} times {q}, not {} (m(c) = {})", need(strict), a[0]);
        Ok(())
    }
}
