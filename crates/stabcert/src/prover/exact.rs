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
            // pow(1, y) = 1 for every defined y, rational or not.
            let y = match ev(b) {
                Err(ExactError::Undefined) => return Err(ExactError::Undefined),
                _ if x == 1 => return Ok(Rational::from(1)),
                y => y?,
            };
            if y == 0 {
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
pub(super) fn fun_rational(f: Fun, x: Rational) -> Result<Rational, ExactError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fun: Fun, q: i64) -> Expr {
        Expr::Fun(fun, Box::new(Expr::constant(q)))
    }

    #[test]
    fn special_values_are_exact_and_undefined_points_are_undefined() {
        let one = Ok(Rational::from(1));
        let zero = Ok(Rational::new());
        for fun in [Fun::Exp, Fun::Cos, Fun::Cosh] {
            assert_eq!(eval_rational(&f(fun, 0), &[]), one, "{fun:?}");
        }
        for fun in [
            Fun::Sin,
            Fun::Tan,
            Fun::Atan,
            Fun::Asin,
            Fun::Sinh,
            Fun::Tanh,
        ] {
            assert_eq!(eval_rational(&f(fun, 0), &[]), zero, "{fun:?}");
        }
        assert_eq!(eval_rational(&f(Fun::Log, 1), &[]), zero);
        assert_eq!(eval_rational(&f(Fun::Acos, 1), &[]), zero);
        for (fun, q) in [
            (Fun::Log, 0),
            (Fun::Log, -1),
            (Fun::Asin, 2),
            (Fun::Acos, -2),
        ] {
            let e = f(fun, q);
            assert_eq!(eval_rational(&e, &[]), Err(ExactError::Undefined), "{e}");
            assert_eq!(sign_at(&e, &[]), Sign::Undefined, "{e}");
        }
        // Off the special values a function of a rational is irrational: MPFR decides.
        assert_eq!(
            eval_rational(&f(Fun::Exp, 1), &[]),
            Err(ExactError::Irrational)
        );
        let e_minus_2 = Expr::sub(f(Fun::Exp, 1), Expr::constant(2));
        assert_eq!(sign_at(&e_minus_2, &[]), Sign::Is(Ordering::Greater));
        let pow = |x: i64, y: Expr| Expr::PowR(Box::new(Expr::constant(x)), Box::new(y));
        assert_eq!(eval_rational(&pow(1, Expr::Pi), &[]), one);
        assert_eq!(
            eval_rational(&pow(2, Expr::constant(3)), &[]),
            Ok(Rational::from(8))
        );
        assert_eq!(
            eval_rational(&pow(0, Expr::constant(2)), &[]),
            Err(ExactError::Undefined)
        );
        let atan2 =
            |y: i64, x: i64| Expr::Atan2(Box::new(Expr::constant(y)), Box::new(Expr::constant(x)));
        assert_eq!(eval_rational(&atan2(0, 3), &[]), zero);
        assert_eq!(eval_rational(&atan2(0, 0), &[]), Err(ExactError::Undefined));
    }

    #[test]
    fn a_zero_at_a_point_is_decided_through_mpfr_too() {
        // sin(0) * sqrt(2): not rational arithmetic (sqrt(2)), yet exactly 0.
        let e = Expr::mul(
            Expr::Fun(Fun::Sin, Box::new(Expr::Var(0))),
            Expr::Sqrt(Box::new(Expr::constant(2))),
        );
        assert_eq!(sign_at(&e, &[Rational::new()]), Sign::Is(Ordering::Equal));
        // pi is no rational: pi - 355/113 < 0 only at high precision (2.7e-7).
        let d = Expr::sub(Expr::Pi, Expr::constant(Rational::from((355, 113))));
        assert_eq!(sign_at(&d, &[]), Sign::Is(Ordering::Less));
    }
}
