//! Exact evaluation at rational points, for confirming witnesses.
//!
//! Rational arithmetic decides every sign exactly while no `sqrt` of a non-square appears;
//! past that, MPFR intervals with directed rounding at growing precision decide the sign
//! rigorously or give up (`Unknown`), never guess.

use crate::expr::Expr;
use rug::float::Round;
use rug::ops::{Pow, PowAssignRound};
use rug::{Float, Rational};
use std::cmp::Ordering;

/// Why an exact value is not available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExactError {
    /// Division by zero, `sqrt` of a negative number, or `0^-n`: the expression is undefined.
    Undefined,
    /// A `sqrt` of a non-square: not a rational number.
    Irrational,
    /// The exact value would be too large to compute (e.g. a huge power).
    TooLarge,
}

/// Bits beyond which an exact power is not attempted.
const MAX_POW_BITS: u64 = 1 << 22;

/// The exact value of `e` at `x`.
pub fn eval_rational(e: &Expr, x: &[Rational]) -> Result<Rational, ExactError> {
    let ev = |a: &Expr| eval_rational(a, x);
    Ok(match e {
        Expr::Const(q) => q.clone(),
        Expr::Var(i) => x[*i].clone(),
        Expr::Neg(a) => -ev(a)?,
        Expr::Add(a, b) => ev(a)? + ev(b)?,
        Expr::Sub(a, b) => ev(a)? - ev(b)?,
        Expr::Mul(a, b) => ev(a)? * ev(b)?,
        Expr::Div(a, b) => {
            let d = ev(b)?;
            if d == 0 {
                return Err(ExactError::Undefined);
            }
            ev(a)? / d
        }
        Expr::Pow(a, n) => pow_rational(ev(a)?, *n)?,
        Expr::Sqrt(a) => sqrt_rational(ev(a)?)?,
        Expr::Abs(a) => ev(a)?.abs(),
        Expr::Min(a, b) => ev(a)?.min(ev(b)?),
        Expr::Max(a, b) => ev(a)?.max(ev(b)?),
    })
}

fn pow_rational(base: Rational, n: i32) -> Result<Rational, ExactError> {
    if n < 0 && base == 0 {
        return Err(ExactError::Undefined);
    }
    let bits = u64::from(
        base.numer()
            .significant_bits()
            .max(base.denom().significant_bits()),
    );
    if bits.saturating_mul(u64::from(n.unsigned_abs())) > MAX_POW_BITS {
        return Err(ExactError::TooLarge);
    }
    Ok(Rational::from((&base).pow(n)))
}

fn sqrt_rational(q: Rational) -> Result<Rational, ExactError> {
    if q < 0 {
        return Err(ExactError::Undefined);
    }
    let (n, d) = q.into_numer_denom();
    if n.is_perfect_square() && d.is_perfect_square() {
        Ok(Rational::from((n.sqrt(), d.sqrt())))
    } else {
        Err(ExactError::Irrational)
    }
}

/// The sign of `e` at `x`, decided rigorously.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Is(Ordering),
    Undefined,
    /// Not decided at the highest precision tried (or too large to compute).
    Unknown,
}

/// Decides the sign of `e` at the rational point `x`.
pub fn sign_at(e: &Expr, x: &[Rational]) -> Sign {
    match eval_rational(e, x) {
        Ok(q) => Sign::Is(q.cmp0()),
        Err(ExactError::Undefined) => Sign::Undefined,
        Err(ExactError::TooLarge) => Sign::Unknown,
        Err(ExactError::Irrational) => sign_by_mpfr(e, x),
    }
}

fn sign_by_mpfr(e: &Expr, x: &[Rational]) -> Sign {
    for prec in [128, 512, 4096] {
        match eval_ball(e, x, prec) {
            Ok(b) if b.lo > 0 => return Sign::Is(Ordering::Greater),
            Ok(b) if b.hi < 0 => return Sign::Is(Ordering::Less),
            Err(BallError::Undefined) => return Sign::Undefined,
            _ => {}
        }
    }
    Sign::Unknown
}

/// A closed interval `[lo, hi]` of MPFR floats.
#[derive(Clone, Debug)]
struct Ball {
    lo: Float,
    hi: Float,
}

#[derive(Debug)]
enum BallError {
    /// Certainly undefined (e.g. `sqrt` of an interval below 0).
    Undefined,
    /// Possibly undefined: not decided at this precision.
    Maybe,
}

fn eval_ball(e: &Expr, x: &[Rational], prec: u32) -> Result<Ball, BallError> {
    let ev = |a: &Expr| eval_ball(a, x, prec);
    let r = |q: &Rational| Ball {
        lo: Float::with_val_round(prec, q, Round::Down).0,
        hi: Float::with_val_round(prec, q, Round::Up).0,
    };
    let rd = |v| Float::with_val_round(prec, v, Round::Down).0;
    Ok(match e {
        Expr::Const(q) => r(q),
        Expr::Var(i) => r(&x[*i]),
        Expr::Neg(a) => {
            let b = ev(a)?;
            Ball {
                lo: -b.hi,
                hi: -b.lo,
            }
        }
        Expr::Add(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Ball {
                lo: Float::with_val_round(prec, &a.lo + &b.lo, Round::Down).0,
                hi: Float::with_val_round(prec, &a.hi + &b.hi, Round::Up).0,
            }
        }
        Expr::Sub(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Ball {
                lo: Float::with_val_round(prec, &a.lo - &b.hi, Round::Down).0,
                hi: Float::with_val_round(prec, &a.hi - &b.lo, Round::Up).0,
            }
        }
        Expr::Mul(a, b) => mul_ball(&ev(a)?, &ev(b)?, prec),
        Expr::Div(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            mul_ball(&a, &recip_ball(&b, prec)?, prec)
        }
        Expr::Pow(a, n) => pow_ball(ev(a)?, *n, prec)?,
        Expr::Sqrt(a) => {
            let b = ev(a)?;
            if b.hi < 0 {
                return Err(BallError::Undefined);
            }
            if b.lo < 0 {
                return Err(BallError::Maybe);
            }
            Ball {
                lo: Float::with_val_round(prec, b.lo.sqrt_ref(), Round::Down).0,
                hi: Float::with_val_round(prec, b.hi.sqrt_ref(), Round::Up).0,
            }
        }
        Expr::Abs(a) => {
            let b = ev(a)?;
            if b.lo >= 0 {
                b
            } else if b.hi <= 0 {
                Ball {
                    lo: -b.hi,
                    hi: -b.lo,
                }
            } else {
                let hi = if -b.lo.clone() > b.hi { -b.lo } else { b.hi };
                Ball { lo: rd(0), hi }
            }
        }
        Expr::Min(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Ball {
                lo: a.lo.min(&b.lo),
                hi: a.hi.min(&b.hi),
            }
        }
        Expr::Max(a, b) => {
            let (a, b) = (ev(a)?, ev(b)?);
            Ball {
                lo: a.lo.max(&b.lo),
                hi: a.hi.max(&b.hi),
            }
        }
    })
}

/// Interval product: the extreme of the four end products, each rounded outward.
fn mul_ball(a: &Ball, b: &Ball, prec: u32) -> Ball {
    let ends = [
        (&a.lo, &b.lo),
        (&a.lo, &b.hi),
        (&a.hi, &b.lo),
        (&a.hi, &b.hi),
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
fn recip_ball(b: &Ball, prec: u32) -> Result<Ball, BallError> {
    if b.lo == 0 && b.hi == 0 {
        return Err(BallError::Undefined);
    }
    if b.lo <= 0 && b.hi >= 0 {
        return Err(BallError::Maybe);
    }
    // 1/x is decreasing on each side of 0.
    Ok(Ball {
        lo: Float::with_val_round(prec, b.hi.recip_ref(), Round::Down).0,
        hi: Float::with_val_round(prec, b.lo.recip_ref(), Round::Up).0,
    })
}

/// `b^n`: monotone on `|b|` for even `n`, monotone for odd `n`.
fn pow_ball(b: Ball, n: i32, prec: u32) -> Result<Ball, BallError> {
    let m = n.unsigned_abs();
    let pw = |v: &Float, rnd| {
        let mut f = Float::with_val_round(prec, v, rnd).0;
        f.pow_assign_round(m, rnd);
        f
    };
    // Odd powers are increasing; even ones increasing on [0, inf), decreasing below.
    let p = if m % 2 == 1 || b.lo >= 0 {
        Ball {
            lo: pw(&b.lo, Round::Down),
            hi: pw(&b.hi, Round::Up),
        }
    } else if b.hi <= 0 {
        Ball {
            lo: pw(&b.hi, Round::Down),
            hi: pw(&b.lo, Round::Up),
        }
    } else {
        let mag = if -b.lo.clone() > b.hi {
            -b.lo.clone()
        } else {
            b.hi.clone()
        };
        Ball {
            lo: Float::with_val(prec, 0),
            hi: pw(&mag, Round::Up),
        }
    };
    if n < 0 {
        recip_ball(&p, prec)
    } else {
        Ok(p)
    }
}
