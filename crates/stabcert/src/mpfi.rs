//! MPFR interval arithmetic: closed intervals of `rug::Float`s with every end rounded outward.
//!
//! Used where `f64` intervals are too coarse: deciding signs at exact points (`prover::exact`)
//! and enclosing sharp constants to tens of digits (`audit`). Each operation returns an
//! interval that contains every value of the real operation on the arguments' intervals; an
//! operation that may be undefined on its arguments (division by an interval holding 0, `sqrt`
//! of one reaching below 0) says so rather than guessing. [`eval_dual`] also encloses the
//! gradient (forward mode), for mean-value forms and monotonicity tests.

use crate::expr::{Expr, Fun};
use rug::float::{Constant, Round};
use rug::ops::PowAssignRound;
use rug::{Float, Rational};

/// A closed interval `[lo, hi]` of MPFR floats, `lo <= hi`.
#[derive(Clone, Debug)]
pub struct Ball {
    /// The lower end: every value enclosed is `>= lo`.
    pub lo: Float,
    /// The upper end: every value enclosed is `<= hi`.
    pub hi: Float,
}

/// Why an interval operation has no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallError {
    /// Certainly undefined (e.g. `sqrt` of an interval below 0).
    Undefined,
    /// Possibly undefined: not decided at this precision.
    Maybe,
}

impl Ball {
    /// The smallest interval of precision `prec` holding `q`.
    pub fn of_rational(q: &Rational, prec: u32) -> Ball {
        Ball {
            lo: Float::with_val_round(prec, q, Round::Down).0,
            hi: Float::with_val_round(prec, q, Round::Up).0,
        }
    }

    /// `[lo, hi]` rounded outward to precision `prec`.
    pub fn of_ends(lo: &Rational, hi: &Rational, prec: u32) -> Ball {
        Ball {
            lo: Float::with_val_round(prec, lo, Round::Down).0,
            hi: Float::with_val_round(prec, hi, Round::Up).0,
        }
    }

    /// The point interval `[x, x]`.
    pub fn point(x: &Float) -> Ball {
        Ball {
            lo: x.clone(),
            hi: x.clone(),
        }
    }

    /// The point interval `[0, 0]` at precision `prec`.
    pub fn zero(prec: u32) -> Ball {
        Ball::point(&Float::new(prec))
    }

    /// The midpoint, rounded to nearest (any point of the interval would do).
    pub fn mid(&self) -> Float {
        let prec = self.lo.prec().max(self.hi.prec());
        let mut m = Float::with_val(prec + 1, &self.lo + &self.hi);
        m /= 2;
        m
    }

    /// `hi - lo`, rounded up.
    pub fn width(&self) -> Float {
        let prec = self.lo.prec().max(self.hi.prec());
        Float::with_val_round(prec, &self.hi - &self.lo, Round::Up).0
    }

    /// `-self` (exact: negation does not round).
    pub fn neg(&self) -> Ball {
        Ball {
            lo: -self.hi.clone(),
            hi: -self.lo.clone(),
        }
    }

    /// `self + b`, ends rounded outward to `prec` bits.
    pub fn add(&self, b: &Ball, prec: u32) -> Ball {
        Ball {
            lo: Float::with_val_round(prec, &self.lo + &b.lo, Round::Down).0,
            hi: Float::with_val_round(prec, &self.hi + &b.hi, Round::Up).0,
        }
    }

    /// `self - b`, ends rounded outward to `prec` bits.
    pub fn sub(&self, b: &Ball, prec: u32) -> Ball {
        Ball {
            lo: Float::with_val_round(prec, &self.lo - &b.hi, Round::Down).0,
            hi: Float::with_val_round(prec, &self.hi - &b.lo, Round::Up).0,
        }
    }

    /// Interval product: the extremes of the four end products, each rounded outward.
    pub fn mul(&self, b: &Ball, prec: u32) -> Ball {
        let ends = [
            (&self.lo, &b.lo),
            (&self.lo, &b.hi),
            (&self.hi, &b.lo),
            (&self.hi, &b.hi),
        ];
        let lo = ends
            .iter()
            .map(|(x, y)| Float::with_val_round(prec, *x * *y, Round::Down).0);
        let hi = ends
            .iter()
            .map(|(x, y)| Float::with_val_round(prec, *x * *y, Round::Up).0);
        Ball {
            lo: lo.reduce(|p, q| p.min(&q)).expect("four products"),
            hi: hi.reduce(|p, q| p.max(&q)).expect("four products"),
        }
    }

    /// `1 / b` for `b` excluding 0; `[0, 0]` is certainly undefined, a `b` straddling 0 maybe.
    pub fn recip(&self, prec: u32) -> Result<Ball, BallError> {
        if self.lo == 0 && self.hi == 0 {
            return Err(BallError::Undefined);
        }
        if self.lo <= 0 && self.hi >= 0 {
            return Err(BallError::Maybe);
        }
        // 1/x is decreasing on each side of 0.
        Ok(Ball {
            lo: Float::with_val_round(prec, self.hi.recip_ref(), Round::Down).0,
            hi: Float::with_val_round(prec, self.lo.recip_ref(), Round::Up).0,
        })
    }

    /// `self / b`, rounded outward; an error where `b` is or may be 0 (see [`Ball::recip`]).
    pub fn div(&self, b: &Ball, prec: u32) -> Result<Ball, BallError> {
        Ok(self.mul(&b.recip(prec)?, prec))
    }

    /// `b^n`: monotone on `|b|` for even `n`, monotone for odd `n`.
    pub fn pow(&self, n: i32, prec: u32) -> Result<Ball, BallError> {
        let m = n.unsigned_abs();
        let pw = |v: &Float, rnd| {
            let mut f = Float::with_val_round(prec, v, rnd).0;
            f.pow_assign_round(m, rnd);
            f
        };
        let p = if m % 2 == 1 || self.lo >= 0 {
            Ball {
                lo: pw(&self.lo, Round::Down),
                hi: pw(&self.hi, Round::Up),
            }
        } else if self.hi <= 0 {
            Ball {
                lo: pw(&self.hi, Round::Down),
                hi: pw(&self.lo, Round::Up),
            }
        } else {
            let mag = self.magnitude();
            Ball {
                lo: Float::with_val(prec, 0),
                hi: pw(&mag, Round::Up),
            }
        };
        if n < 0 {
            p.recip(prec)
        } else {
            Ok(p)
        }
    }

    /// `√self`, ends rounded outward; `Undefined` below 0, `Maybe` if `self` straddles 0.
    pub fn sqrt(&self, prec: u32) -> Result<Ball, BallError> {
        if self.hi < 0 {
            return Err(BallError::Undefined);
        }
        if self.lo < 0 {
            return Err(BallError::Maybe);
        }
        Ok(Ball {
            lo: Float::with_val_round(prec, self.lo.sqrt_ref(), Round::Down).0,
            hi: Float::with_val_round(prec, self.hi.sqrt_ref(), Round::Up).0,
        })
    }

    /// `max(|lo|, |hi|)`.
    pub fn magnitude(&self) -> Float {
        let neg_lo = -self.lo.clone();
        if neg_lo > self.hi {
            neg_lo
        } else {
            self.hi.clone()
        }
    }

    /// `|self|`, exact (`prec` is the precision of a 0 lower end).
    pub fn abs(&self, prec: u32) -> Ball {
        if self.lo >= 0 {
            self.clone()
        } else if self.hi <= 0 {
            self.neg()
        } else {
            Ball {
                lo: Float::with_val(prec, 0),
                hi: self.magnitude(),
            }
        }
    }

    /// The interval of `min(x, y)` for `x` in `self`, `y` in `b` (exact).
    pub fn min(&self, b: &Ball) -> Ball {
        Ball {
            lo: self.lo.clone().min(&b.lo),
            hi: self.hi.clone().min(&b.hi),
        }
    }

    /// The interval of `max(x, y)` for `x` in `self`, `y` in `b` (exact).
    pub fn max(&self, b: &Ball) -> Ball {
        Ball {
            lo: self.lo.clone().max(&b.lo),
            hi: self.hi.clone().max(&b.hi),
        }
    }

    /// The smallest interval holding both.
    pub fn hull(&self, b: &Ball) -> Ball {
        Ball {
            lo: self.lo.clone().min(&b.lo),
            hi: self.hi.clone().max(&b.hi),
        }
    }
}

/// `f(x)` rounded to `prec` bits in direction `r` (MPFR's correctly rounded functions).
fn fun_round(f: Fun, x: &Float, prec: u32, r: Round) -> Float {
    match f {
        Fun::Exp => Float::with_val_round(prec, x.exp_ref(), r).0,
        Fun::Log => Float::with_val_round(prec, x.ln_ref(), r).0,
        Fun::Sin => Float::with_val_round(prec, x.sin_ref(), r).0,
        Fun::Cos => Float::with_val_round(prec, x.cos_ref(), r).0,
        Fun::Tan => Float::with_val_round(prec, x.tan_ref(), r).0,
        Fun::Atan => Float::with_val_round(prec, x.atan_ref(), r).0,
        Fun::Asin => Float::with_val_round(prec, x.asin_ref(), r).0,
        Fun::Acos => Float::with_val_round(prec, x.acos_ref(), r).0,
        Fun::Sinh => Float::with_val_round(prec, x.sinh_ref(), r).0,
        Fun::Cosh => Float::with_val_round(prec, x.cosh_ref(), r).0,
        Fun::Tanh => Float::with_val_round(prec, x.tanh_ref(), r).0,
    }
}

/// Which integers lie in `[lo, hi]`: none, exactly one (`Some(k is even)`), or at least two.
enum Integers {
    None,
    One(bool),
    Several,
}

fn integers_in(lo: &Float, hi: &Float) -> Integers {
    let (Some(a), Some(b)) = (
        lo.clone().ceil().to_integer(),
        hi.clone().floor().to_integer(),
    ) else {
        return Integers::Several;
    };
    if a > b {
        Integers::None
    } else if a == b {
        Integers::One(a.is_even())
    } else {
        Integers::Several
    }
}

impl Ball {
    /// `[pi, pi]` rounded outward to `prec` bits.
    pub fn pi(prec: u32) -> Ball {
        Ball {
            lo: Float::with_val_round(prec, Constant::Pi, Round::Down).0,
            hi: Float::with_val_round(prec, Constant::Pi, Round::Up).0,
        }
    }

    /// An outward enclosure of `x / pi - shift` for every `x` in `self`.
    fn over_pi(&self, shift: &Rational, prec: u32) -> Ball {
        let p = prec + 16;
        let pi = Ball::pi(p);
        let s = Ball::of_rational(shift, p);
        // pi > 0: the division is always defined.
        let t = self.div(&pi, p).unwrap_or_else(|_| Ball {
            lo: Float::with_val(p, f64::NEG_INFINITY),
            hi: Float::with_val(p, f64::INFINITY),
        });
        t.sub(&s, p)
    }

    /// `f` applied to the interval, ends rounded outward; `Undefined` if no point of it is in
    /// `f`'s domain, `Maybe` if some point may be outside (or, for `tan`, a pole may be inside).
    pub fn fun(&self, f: Fun, prec: u32) -> Result<Ball, BallError> {
        let r = self.fun_unchecked(f, prec)?;
        // An overflow to infinity may leave a NaN (inf - inf) downstream: refuse it here.
        if r.lo.is_nan() || r.hi.is_nan() || self.lo.is_nan() || self.hi.is_nan() {
            return Err(BallError::Maybe);
        }
        Ok(r)
    }

    fn fun_unchecked(&self, f: Fun, prec: u32) -> Result<Ball, BallError> {
        let up = |x: &Float| fun_round(f, x, prec, Round::Up);
        let down = |x: &Float| fun_round(f, x, prec, Round::Down);
        let inc = || Ball {
            lo: down(&self.lo),
            hi: up(&self.hi),
        };
        let dec = || Ball {
            lo: down(&self.hi),
            hi: up(&self.lo),
        };
        let one = Float::with_val(prec, 1);
        Ok(match f {
            Fun::Exp | Fun::Atan | Fun::Sinh | Fun::Tanh => inc(),
            Fun::Log => {
                if self.hi <= 0 {
                    return Err(BallError::Undefined);
                }
                if self.lo <= 0 {
                    return Err(BallError::Maybe);
                }
                inc()
            }
            Fun::Asin | Fun::Acos => {
                if self.hi < -1 || self.lo > 1 {
                    return Err(BallError::Undefined);
                }
                if self.lo < -1 || self.hi > 1 {
                    return Err(BallError::Maybe);
                }
                if f == Fun::Asin {
                    inc()
                } else {
                    dec()
                }
            }
            Fun::Cosh => {
                if self.lo >= 0 {
                    inc()
                } else if self.hi <= 0 {
                    dec()
                } else {
                    Ball {
                        lo: one,
                        hi: up(&self.lo).max(&up(&self.hi)),
                    }
                }
            }
            Fun::Sin | Fun::Cos => {
                // Extremes at x / pi - shift = k: a maximum for even k, a minimum for odd k.
                let shift = Rational::from((i32::from(f == Fun::Sin), 2));
                let (a, b) = (self.over_pi(&shift, prec).lo, self.over_pi(&shift, prec).hi);
                let (lo_end, hi_end) = (
                    down(&self.lo).min(&down(&self.hi)),
                    up(&self.lo).max(&up(&self.hi)),
                );
                let (lo, hi) = match integers_in(&a, &b) {
                    Integers::None => (lo_end, hi_end),
                    Integers::One(true) => (lo_end, one),
                    Integers::One(false) => (-one, hi_end),
                    Integers::Several => (-one.clone(), one),
                };
                let m1 = Float::with_val(prec, -1);
                Ball {
                    lo: lo.max(&m1),
                    hi: hi.min(&Float::with_val(prec, 1)),
                }
            }
            Fun::Tan => {
                let t = self.over_pi(&Rational::from((1, 2)), prec);
                match integers_in(&t.lo, &t.hi) {
                    Integers::None => inc(),
                    _ => return Err(BallError::Maybe),
                }
            }
        })
    }

    /// `atan2(self, x)`, the angle of `(x, self)`, and whether it is continuous on the box
    /// (it jumps from `-pi` to `pi` across the negative `x` axis).
    pub fn atan2(&self, x: &Ball, prec: u32) -> Result<(Ball, bool), BallError> {
        let y = self;
        if x.lo <= 0 && x.hi >= 0 && y.lo <= 0 && y.hi >= 0 {
            let origin = x.lo == 0 && x.hi == 0 && y.lo == 0 && y.hi == 0;
            return Err(if origin {
                BallError::Undefined
            } else {
                BallError::Maybe
            });
        }
        let upper_left = x.hi < 0 && y.lo >= 0;
        if !(x.lo > 0 || y.lo > 0 || y.hi < 0 || upper_left) {
            // x < 0 and y on both sides of 0: the box crosses the cut.
            let pi = Ball::pi(prec);
            return Ok((pi.neg().hull(&pi), false));
        }
        // Off the cut the angle is quasi-linear on the box (its level sets are rays from the
        // origin): its extremes over the box are at corners. A zero y is +0 (angle pi, not -pi).
        let plus = |v: &Float| if *v == 0 { Float::new(prec) } else { v.clone() };
        let mut lo: Option<Float> = None;
        let mut hi: Option<Float> = None;
        for yv in [&y.lo, &y.hi] {
            for xv in [&x.lo, &x.hi] {
                let yv = plus(yv);
                let d = Float::with_val_round(prec, yv.atan2_ref(xv), Round::Down).0;
                let u = Float::with_val_round(prec, yv.atan2_ref(xv), Round::Up).0;
                lo = Some(lo.map_or(d.clone(), |l| l.min(&d)));
                hi = Some(hi.map_or(u.clone(), |h| h.max(&u)));
            }
        }
        let (lo, hi) = (lo.expect("four corners"), hi.expect("four corners"));
        Ok((Ball { lo, hi }, true))
    }

    /// `pow(self, y) = exp(y log self)`, for `self > 0`.
    pub fn powr(&self, y: &Ball, prec: u32) -> Result<Ball, BallError> {
        let l = self.fun(Fun::Log, prec)?;
        l.mul(y, prec).fun(Fun::Exp, prec)
    }
}

/// Encloses `e` over the box `x` (one interval per variable).
pub fn eval(e: &Expr, x: &[Ball], prec: u32) -> Result<Ball, BallError> {
    let ev = |a: &Expr| eval(a, x, prec);
    Ok(match e {
        Expr::Const(q) => Ball::of_rational(q, prec),
        Expr::Var(i) => x[*i].clone(),
        Expr::Neg(a) => ev(a)?.neg(),
        Expr::Add(a, b) => ev(a)?.add(&ev(b)?, prec),
        Expr::Sub(a, b) => ev(a)?.sub(&ev(b)?, prec),
        Expr::Mul(a, b) => ev(a)?.mul(&ev(b)?, prec),
        Expr::Div(a, b) => ev(a)?.div(&ev(b)?, prec)?,
        Expr::Pow(a, n) => ev(a)?.pow(*n, prec)?,
        Expr::Sqrt(a) => ev(a)?.sqrt(prec)?,
        Expr::Abs(a) => ev(a)?.abs(prec),
        Expr::Min(a, b) => ev(a)?.min(&ev(b)?),
        Expr::Max(a, b) => ev(a)?.max(&ev(b)?),
        Expr::Fun(f, a) => ev(a)?.fun(*f, prec)?,
        Expr::Atan2(a, b) => ev(a)?.atan2(&ev(b)?, prec)?.0,
        Expr::PowR(a, b) => ev(a)?.powr(&ev(b)?, prec)?,
        Expr::Pi => Ball::pi(prec),
    })
}

/// A value and its gradient with respect to the box's variables, both enclosed; `grad` is
/// `None` where the expression is not known to be differentiable on the box (a kink of `abs`,
/// `min` or `max` inside it, or `sqrt` reaching 0).
#[derive(Clone, Debug)]
pub struct Dual {
    /// An enclosure of the expression's value over the box.
    pub value: Ball,
    /// Enclosures of the partial derivatives, one a variable; `None` if not known differentiable.
    pub grad: Option<Vec<Ball>>,
}

/// Encloses `e` and its gradient over the box `x`.
pub fn eval_dual(e: &Expr, x: &[Ball], prec: u32) -> Result<Dual, BallError> {
    let n = x.len();
    let ev = |a: &Expr| eval_dual(a, x, prec);
    // Combines two gradients entrywise: `f(da_i, db_i)`.
    let zip =
        |a: &Option<Vec<Ball>>, b: &Option<Vec<Ball>>, f: &dyn Fn(&Ball, &Ball) -> Ball| match (
            a, b,
        ) {
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(p, q)| f(p, q)).collect()),
            _ => None,
        };
    let scale = |g: &Option<Vec<Ball>>, k: &Ball| -> Option<Vec<Ball>> {
        g.as_ref()
            .map(|g| g.iter().map(|d| d.mul(k, prec)).collect())
    };
    Ok(match e {
        Expr::Const(q) => Dual {
            value: Ball::of_rational(q, prec),
            grad: Some(vec![Ball::zero(prec); n]),
        },
        Expr::Var(i) => {
            let mut g = vec![Ball::zero(prec); n];
            g[*i] = Ball::point(&Float::with_val(prec, 1));
            Dual {
                value: x[*i].clone(),
                grad: Some(g),
            }
        }
        Expr::Neg(a) => {
            let a = ev(a)?;
            Dual {
                value: a.value.neg(),
                grad: a.grad.map(|g| g.iter().map(Ball::neg).collect()),
            }
        }
        Expr::Add(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Dual {
                value: a.value.add(&b.value, prec),
                grad: zip(&a.grad, &b.grad, &|p, q| p.add(q, prec)),
            }
        }
        Expr::Sub(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Dual {
                value: a.value.sub(&b.value, prec),
                grad: zip(&a.grad, &b.grad, &|p, q| p.sub(q, prec)),
            }
        }
        Expr::Mul(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            let (va, vb) = (&a.value, &b.value);
            Dual {
                value: va.mul(vb, prec),
                grad: zip(&a.grad, &b.grad, &|p, q| {
                    p.mul(vb, prec).add(&q.mul(va, prec), prec)
                }),
            }
        }
        Expr::Div(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            let inv = b.value.recip(prec)?;
            let value = a.value.mul(&inv, prec);
            // (a/b)' = (a' - (a/b) b') / b
            let grad = zip(&a.grad, &b.grad, &|p, q| {
                p.sub(&value.mul(q, prec), prec).mul(&inv, prec)
            });
            Dual { value, grad }
        }
        Expr::Pow(a, k) => {
            let a = ev(a)?;
            let value = a.value.pow(*k, prec)?;
            let grad = if *k == 0 {
                Some(vec![Ball::zero(prec); n])
            } else {
                let k_ball = Ball::point(&Float::with_val(prec, *k));
                let d = a.value.pow(*k - 1, prec)?.mul(&k_ball, prec);
                scale(&a.grad, &d)
            };
            Dual { value, grad }
        }
        Expr::Sqrt(a) => {
            let a = ev(a)?;
            let value = a.value.sqrt(prec)?;
            let grad = if value.lo > 0 {
                let two = Ball::point(&Float::with_val(prec, 2));
                let d = two.mul(&value, prec).recip(prec)?;
                scale(&a.grad, &d)
            } else {
                None
            };
            Dual { value, grad }
        }
        Expr::Abs(a) => {
            let a = ev(a)?;
            let grad = if a.value.lo > 0 {
                a.grad.clone()
            } else if a.value.hi < 0 {
                a.grad.as_ref().map(|g| g.iter().map(Ball::neg).collect())
            } else {
                None
            };
            Dual {
                value: a.value.abs(prec),
                grad,
            }
        }
        Expr::Min(a, b) | Expr::Max(a, b) => {
            let is_min = matches!(e, Expr::Min(..));
            let (a, b) = (ev(a)?, ev(b)?);
            let value = if is_min {
                a.value.min(&b.value)
            } else {
                a.value.max(&b.value)
            };
            // The active argument is known where the two ranges do not overlap.
            let a_below = a.value.hi < b.value.lo;
            let b_below = b.value.hi < a.value.lo;
            let grad = match (is_min, a_below, b_below) {
                (true, true, _) | (false, _, true) => a.grad,
                (true, _, true) | (false, true, _) => b.grad,
                _ => None,
            };
            Dual { value, grad }
        }
        Expr::Fun(f, a) => {
            let a = ev(a)?;
            let value = a.value.fun(*f, prec)?;
            let d = fun_slope(*f, &a.value, &value, prec);
            let grad = d.and_then(|d| scale(&a.grad, &d));
            Dual { value, grad }
        }
        Expr::Atan2(a, b) => {
            let (y, x) = (ev(a)?, ev(b)?);
            let (value, continuous) = y.value.atan2(&x.value, prec)?;
            // d atan2(y, x) = (x dy - y dx) / (x^2 + y^2), away from the origin and the cut.
            let r2 = x.value.pow(2, prec)?.add(&y.value.pow(2, prec)?, prec);
            let grad = match (continuous, r2.recip(prec)) {
                (true, Ok(inv)) => zip(&y.grad, &x.grad, &|dy, dx| {
                    dy.mul(&x.value, prec)
                        .sub(&dx.mul(&y.value, prec), prec)
                        .mul(&inv, prec)
                }),
                _ => None,
            };
            Dual { value, grad }
        }
        Expr::PowR(a, b) => {
            let (x, y) = (ev(a)?, ev(b)?);
            let value = x.value.powr(&y.value, prec)?;
            // d x^y = x^y (y dx / x + log(x) dy).
            let inv = x.value.recip(prec)?;
            let l = x.value.fun(Fun::Log, prec)?;
            let grad = zip(&x.grad, &y.grad, &|dx, dy| {
                let t = y.value.mul(dx, prec).mul(&inv, prec);
                t.add(&l.mul(dy, prec), prec).mul(&value, prec)
            });
            Dual { value, grad }
        }
        Expr::Pi => Dual {
            value: Ball::pi(prec),
            grad: Some(vec![Ball::zero(prec); n]),
        },
    })
}

/// `f'` over `x` (`v` encloses `f(x)`), `None` where it is unbounded (`asin`, `acos` at ±1).
fn fun_slope(f: Fun, x: &Ball, v: &Ball, prec: u32) -> Option<Ball> {
    let one = Ball::point(&Float::with_val(prec, 1));
    let sq = |b: &Ball| b.pow(2, prec).ok();
    let asin = || {
        let d = one.sub(&sq(x)?, prec);
        (d.lo > 0)
            .then(|| d.sqrt(prec).ok()?.recip(prec).ok())
            .flatten()
    };
    match f {
        Fun::Exp => Some(v.clone()),
        Fun::Log => x.recip(prec).ok(),
        Fun::Sin => x.fun(Fun::Cos, prec).ok(),
        Fun::Cos => x.fun(Fun::Sin, prec).ok().map(|s| s.neg()),
        Fun::Tan => Some(one.add(&sq(v)?, prec)),
        Fun::Atan => one.add(&sq(x)?, prec).recip(prec).ok(),
        Fun::Asin => asin(),
        Fun::Acos => asin().map(|d| d.neg()),
        Fun::Sinh => x.fun(Fun::Cosh, prec).ok(),
        Fun::Cosh => x.fun(Fun::Sinh, prec).ok(),
        Fun::Tanh => Some(one.sub(&sq(v)?, prec)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        s.parse().unwrap()
    }

    #[test]
    fn sqrt_two_is_enclosed_tightly_at_high_precision() {
        let two = Ball::of_rational(&q("2"), 200);
        let r = two.sqrt(200).unwrap();
        // lo^2 <= 2 <= hi^2, and the interval is a few ulps wide.
        assert!(Float::with_val(400, &r.lo * &r.lo) <= 2);
        assert!(Float::with_val(400, &r.hi * &r.hi) >= 2);
        assert!(r.width() < Float::with_val(200, 1e-58));
    }

    #[test]
    fn division_by_an_interval_holding_zero_is_refused() {
        let a = Ball::of_ends(&q("-1"), &q("1"), 64);
        assert_eq!(a.recip(64).unwrap_err(), BallError::Maybe);
        assert_eq!(Ball::zero(64).recip(64).unwrap_err(), BallError::Undefined);
    }

    #[test]
    fn even_powers_of_straddling_intervals_start_at_zero() {
        let a = Ball::of_ends(&q("-2"), &q("1"), 64);
        let p = a.pow(2, 64).unwrap();
        assert_eq!(p.lo, 0);
        assert_eq!(p.hi, 4);
    }

    #[test]
    fn gradients_enclose_the_derivative() {
        // f(u, g) = u + g u (1 - u^2) at u in [0.5, 0.6], g = 1.25: df/du = 1 + g - 3 g u^2.
        let e = crate::lang::parse_source(
            std::path::Path::new("t.stab"),
            "claim c: forall u in (0, 1), g in (1, 2) => u + g*u*(1 - u^2) > 0",
        )
        .unwrap()[0]
            .goals[0]
            .lhs
            .clone();
        let x = [
            Ball::of_ends(&q("1/2"), &q("3/5"), 128),
            Ball::of_rational(&q("5/4"), 128),
        ];
        let d = eval_dual(&e, &x, 128).unwrap();
        let g = d.grad.unwrap();
        // 1 + 1.25 - 3.75 u^2 on [0.5, 0.6] is [0.9, 1.3125]; interval arithmetic may widen.
        assert!(g[0].lo <= 0.9 && g[0].hi >= 1.3125);
        // df/dg = u (1 - u^2) in [0.375, 0.384]
        assert!(g[1].lo <= 0.375 && g[1].hi >= 0.384);
        assert!(g[1].lo > 0.2);
    }

    #[test]
    fn kinks_inside_the_box_drop_the_gradient() {
        let e = Expr::Abs(Box::new(Expr::Var(0)));
        let x = [Ball::of_ends(&q("-1"), &q("1"), 64)];
        assert!(eval_dual(&e, &x, 64).unwrap().grad.is_none());
        let x = [Ball::of_ends(&q("1/2"), &q("1"), 64)];
        assert!(eval_dual(&e, &x, 64).unwrap().grad.is_some());
    }
}
