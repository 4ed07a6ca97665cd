//! Second-order enclosures for the `tangent` leaf: a value, the gradient and the Hessian of
//! an expression over a box, in forward mode with rational intervals.
//!
//! `None` means "possibly undefined, or not twice differentiable, somewhere on the box":
//! `abs`, `min`, `max` and `atan2` are declined, `sqrt` needs its argument `> 0`, `asin`
//! and `acos` need it inside `(-1, 1)`. Where `Some`, the expression is twice continuously
//! differentiable on the box and each enclosure contains the true value at every point.

use super::expr::Expr::{self, *};
use super::interval::{zero, Ext, Iv};
use super::trans::{self, Fun};

/// Value, gradient and (full, symmetric) Hessian enclosures over a box.
#[derive(Clone, Debug)]
pub struct Second {
    pub v: Iv,
    pub g: Vec<Iv>,
    pub h: Vec<Vec<Iv>>,
}

#[cfg(test)]
thread_local! {
    /// Deliberate breakage for the tests: `exp''` taken as `0`.
    static BREAK_EXP2: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Breaks (or restores) the rule `exp'' = exp` on this thread (for the breakage test).
#[cfg(test)]
pub fn break_exp2(on: bool) {
    BREAK_EXP2.with(|b| b.set(on));
}

fn constant(v: Iv, n: usize) -> Second {
    Second {
        v,
        g: vec![Iv::point(0); n],
        h: vec![vec![Iv::point(0); n]; n],
    }
}

/// `f(u)` from enclosures of `f`, `f'`, `f''` over the range of `u`:
/// `∇f(u) = f'(u) ∇u`, `∇²f(u) = f''(u) ∇u ∇uᵀ + f'(u) ∇²u`.
fn chain(f0: Iv, f1: &Iv, f2: &Iv, u: &Second) -> Second {
    let n = u.g.len();
    let g = u.g.iter().map(|gi| f1.mul(gi)).collect();
    let h = (0..n)
        .map(|i| {
            let row = |j: usize| f2.mul(&u.g[i].mul(&u.g[j])).add(&f1.mul(&u.h[i][j]));
            (0..n).map(row).collect()
        })
        .collect();
    Second { v: f0, g, h }
}

fn lin(a: &Second, b: &Second, op: fn(&Iv, &Iv) -> Iv) -> Second {
    let zip = |x: &[Iv], y: &[Iv]| x.iter().zip(y).map(|(p, q)| op(p, q)).collect::<Vec<_>>();
    Second {
        v: op(&a.v, &b.v),
        g: zip(&a.g, &b.g),
        h: a.h.iter().zip(&b.h).map(|(x, y)| zip(x, y)).collect(),
    }
}

fn mul(a: &Second, b: &Second) -> Second {
    let n = a.g.len();
    let g = (0..n)
        .map(|i| a.g[i].mul(&b.v).add(&a.v.mul(&b.g[i])))
        .collect();
    let entry = |i: usize, j: usize| {
        let cross = a.g[i].mul(&b.g[j]).add(&a.g[j].mul(&b.g[i]));
        a.h[i][j].mul(&b.v).add(&cross).add(&a.v.mul(&b.h[i][j]))
    };
    let h = (0..n)
        .map(|i| (0..n).map(|j| entry(i, j)).collect())
        .collect();
    Second {
        v: a.v.mul(&b.v),
        g,
        h,
    }
}

/// Encloses `e`, its gradient and its Hessian over `b` (every axis differentiated).
pub fn eval2(e: &Expr, b: &[Iv], prec: u32) -> Option<Second> {
    let n = b.len();
    let ev = |a: &Expr| eval2(a, b, prec);
    let (one, two) = (Iv::point(1), Iv::point(2));
    Some(match e {
        Q(q) => constant(Iv::point(q.0.clone()), n),
        Pi => constant(trans::pi(prec)?, n),
        Var(i) => {
            let mut s = constant(b.get(*i)?.clone(), n);
            s.g[*i] = one;
            s
        }
        Neg(a) => {
            let a = ev(a)?;
            lin(&constant(Iv::point(0), n), &a, Iv::sub)
        }
        Add(a, c) => lin(&ev(a)?, &ev(c)?, Iv::add),
        Sub(a, c) => lin(&ev(a)?, &ev(c)?, Iv::sub),
        Mul(a, c) => mul(&ev(a)?, &ev(c)?),
        Div(a, c) => {
            // a · (1/c): 1/y has derivatives -1/y², 2/y³ (y excluding 0).
            let (a, c) = (ev(a)?, ev(c)?);
            let r = c.v.recip()?;
            let r2 = r.pow(2)?;
            let inv = chain(r.clone(), &r2.neg(), &two.mul(&r2.mul(&r)), &c);
            let mut q = mul(&a, &inv);
            q.v = a.v.div(&c.v)?;
            q
        }
        Pow(a, p) => {
            let (a, p) = (ev(a)?, *p);
            let d1 = match p {
                0 => Iv::point(0),
                _ => Iv::point(p).mul(&a.v.pow(p.checked_sub(1)?)?),
            };
            let d2 = match p {
                0 | 1 => Iv::point(0),
                _ => Iv::point(p)
                    .mul(&Iv::point(p.checked_sub(1)?))
                    .mul(&a.v.pow(p.checked_sub(2)?)?),
            };
            chain(a.v.pow(p)?, &d1, &d2, &a)
        }
        Sqrt(a) => {
            // sqrt' = 1/(2r), sqrt'' = -1/(4r³) with r = sqrt(a) > 0.
            let a = ev(a)?;
            if a.v.lo <= zero() {
                return None;
            }
            let r = a.v.sqrt(prec)?;
            let ri = r.recip()?;
            let d1 = ri.mul(&Iv::point(rug::Rational::from((1, 2))));
            let d2 = ri.pow(3)?.mul(&Iv::point(rug::Rational::from((-1, 4))));
            chain(r, &d1, &d2, &a)
        }
        Powr(x, y) => {
            // x^y = exp(y log x).
            let (x, y) = (ev(x)?, ev(y)?);
            let l = fun(Fun::Log, &x, prec)?;
            fun(Fun::Exp, &mul(&y, &l), prec)?
        }
        Exp(a) => fun(Fun::Exp, &ev(a)?, prec)?,
        Log(a) => fun(Fun::Log, &ev(a)?, prec)?,
        Sin(a) => fun(Fun::Sin, &ev(a)?, prec)?,
        Cos(a) => fun(Fun::Cos, &ev(a)?, prec)?,
        Tan(a) => fun(Fun::Tan, &ev(a)?, prec)?,
        Atan(a) => fun(Fun::Atan, &ev(a)?, prec)?,
        Asin(a) => fun(Fun::Asin, &ev(a)?, prec)?,
        Acos(a) => fun(Fun::Acos, &ev(a)?, prec)?,
        Sinh(a) => fun(Fun::Sinh, &ev(a)?, prec)?,
        Cosh(a) => fun(Fun::Cosh, &ev(a)?, prec)?,
        Tanh(a) => fun(Fun::Tanh, &ev(a)?, prec)?,
        Abs(_) | Min(..) | Max(..) | Atan2(..) => return None,
    })
}

/// A transcendental function of `u` with its second derivative over `u`'s range `x`:
/// `exp'' = exp`, `log'' = -1/x²`, `sin'' = -sin`, `cos'' = -cos`, `tan'' = 2 tan (1 + tan²)`,
/// `atan'' = -2x/(1+x²)²`, `asin'' = x (1-x²)^(-3/2) = -acos''`, `sinh'' = sinh`,
/// `cosh'' = cosh`, `tanh'' = -2 tanh (1 - tanh²)`.
fn fun(f: Fun, u: &Second, prec: u32) -> Option<Second> {
    let x = &u.v;
    let (v, d1) = trans::apply(f, x, prec, true)?;
    let one = Iv::point(1);
    let two = Iv::point(2);
    let asin2 = || -> Option<Iv> {
        let w = one.sub(&x.pow(2)?);
        if w.lo <= zero() {
            return None;
        }
        Some(x.mul(&w.mul(&w.sqrt(prec)?).recip()?))
    };
    let d2 = match f {
        Fun::Exp => exp2(&v),
        Fun::Log => x.pow(-2)?.neg(),
        Fun::Sin | Fun::Cos => v.neg(),
        Fun::Tan => two.mul(&v).mul(&one.add(&v.pow(2)?)),
        Fun::Atan => two.mul(x).mul(&one.add(&x.pow(2)?).pow(-2)?).neg(),
        Fun::Asin => asin2()?,
        Fun::Acos => asin2()?.neg(),
        Fun::Sinh | Fun::Cosh => v.clone(),
        Fun::Tanh => two.mul(&v).mul(&one.sub(&v.pow(2)?)).neg(),
    };
    // asin and acos have unbounded slopes at ±1: not twice differentiable there.
    if matches!(d1.lo, Ext::NegInf) || matches!(d1.hi, Ext::PosInf) {
        return None;
    }
    Some(chain(v, &d1, &d2, u))
}

#[cfg(not(test))]
fn exp2(v: &Iv) -> Iv {
    v.clone()
}

#[cfg(test)]
fn exp2(v: &Iv) -> Iv {
    match BREAK_EXP2.with(|b| b.get()) {
        true => Iv::point(0),
        false => v.clone(),
    }
}
