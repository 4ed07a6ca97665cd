//! MPFR interval arithmetic: closed intervals of `rug::Float`s with every end rounded outward.
//!
//! Used where `f64` intervals are too coarse: deciding signs at exact points (`prover::exact`)
//! and enclosing sharp constants to tens of digits (`audit`). Each operation returns an
//! interval that contains every value of the real operation on the arguments' intervals; an
//! operation that may be undefined on its arguments (division by an interval holding 0, `sqrt`
//! of one reaching below 0) says so rather than guessing. [`eval_dual`] also encloses the
//! gradient (forward mode), for mean-value forms and monotonicity tests.

use crate::expr::Expr;
use rug::float::Round;
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
    })
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
