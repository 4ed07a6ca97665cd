//! Exact evaluation at rational points, for confirming witnesses.
//!
//! Rational arithmetic decides every sign exactly while no `sqrt` of a non-square appears;
//! past that, MPFR intervals with directed rounding at growing precision decide the sign
//! rigorously or give up (`Unknown`), never guess.

use crate::expr::{Expr, Fun};
use crate::mpfi::{self, Ball, BallError};
use rug::ops::Pow;
use rug::Rational;
use std::cmp::Ordering;

/// Why an exact value is not available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExactError {
    /// Division by zero, `sqrt` of a negative number, or `0^-n`: the expression is undefined.
    Undefined,
    /// A `sqrt` of a non-square (or a transcendental function off its special values): not
    /// known to be a rational number.
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
        Expr::Fun(f, a) => fun_rational(*f, ev(a)?)?,
        Expr::Atan2(a, b) => {
            let (y, x) = (ev(a)?, ev(b)?);
            match (y.cmp0(), x.cmp0()) {
                (Ordering::Equal, Ordering::Equal) => return Err(ExactError::Undefined),
                (Ordering::Equal, Ordering::Greater) => Rational::new(),
                _ => return Err(ExactError::Irrational),
            }
        }
        Expr::PowR(a, b) => {
            let x = ev(a)?;
            if x <= 0 {
                return Err(ExactError::Undefined);
            }
            let y = ev(b)?;
            if y == 0 || x == 1 {
                Rational::from(1)
            } else if let Some(n) = (*y.denom() == 1).then(|| y.numer().to_i32()).flatten() {
                pow_rational(x, n)?
            } else {
                return Err(ExactError::Irrational);
            }
        }
        Expr::Pi => return Err(ExactError::Irrational),
    })
}

/// The exact special values of the functions (`exp(0) = 1`, `log(1) = 0`, `acos(1) = 0`,
/// ...); anywhere else a function of a rational is irrational (Lindemann–Weierstrass) or not
/// decided here, and undefined points are `Undefined`.
fn fun_rational(f: Fun, x: Rational) -> Result<Rational, ExactError> {
    let zero = x == 0;
    match f {
        Fun::Log if x <= 0 => Err(ExactError::Undefined),
        Fun::Asin | Fun::Acos if !(-1..=1).contains(&x) => Err(ExactError::Undefined),
        Fun::Exp | Fun::Cos | Fun::Cosh if zero => Ok(Rational::from(1)),
        Fun::Sin | Fun::Tan | Fun::Atan | Fun::Asin | Fun::Sinh | Fun::Tanh if zero => {
            Ok(Rational::new())
        }
        Fun::Log | Fun::Acos if x == 1 => Ok(Rational::new()),
        _ => Err(ExactError::Irrational),
    }
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
            // A point enclosure is the value itself (MPFR is exact where it can be).
            Ok(b) if b.lo == 0 && b.hi == 0 => return Sign::Is(Ordering::Equal),
            Err(BallError::Undefined) => return Sign::Undefined,
            _ => {}
        }
    }
    Sign::Unknown
}

/// `e` at the rational point `x`, as an MPFR interval of precision `prec`.
fn eval_ball(e: &Expr, x: &[Rational], prec: u32) -> Result<Ball, BallError> {
    let point: Vec<Ball> = x.iter().map(|q| Ball::of_rational(q, prec)).collect();
    mpfi::eval(e, &point, prec)
}
