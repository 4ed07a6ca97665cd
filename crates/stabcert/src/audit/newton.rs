//! The interval Newton method in MPFR: a root of `f(x) = 0` in `[a, b]`, proved to exist and
//! to be unique there, enclosed to many digits.
//!
//! `N(X) = m - f(m) / f'(X)` with `m` the midpoint of `X` and `f'(X)` an enclosure of the
//! derivative over `X` (forward mode, `mpfi::eval_dual`). If `N(X)` lies inside the interior
//! of `X` and `0 ∉ f'(X)`, then `f` has exactly one root in `X` and it lies in `N(X)`
//! (mean value theorem and strict monotonicity); iterating `X ← X ∩ N(X)` keeps the root and
//! converges quadratically. The audit uses it as an independent check of a threshold: the
//! specification may give an equation whose root is the sharp value.

use crate::expr::Expr;
use crate::mpfi::{self, Ball};
use rug::{Float, Rational};

/// A root and its enclosure.
#[derive(Clone, Debug)]
pub struct Root {
    /// Lower end of the root's enclosure: the root is `>= lower`.
    pub lower: Rational,
    /// Upper end of the root's enclosure: the root is `<= upper`.
    pub upper: Rational,
    /// Newton steps taken.
    pub steps: u32,
}

/// Why no root was certified.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NewtonError {
    /// The derivative's enclosure holds 0 (or `f` is not known differentiable) on the interval.
    #[error("f' may vanish on the interval (the root is not certified unique there)")]
    Derivative,
    /// The first Newton image is not strictly inside the interval.
    #[error("the Newton image does not fall inside the interval (no root certified there)")]
    NotContracting,
    /// `f` or its derivative may be undefined somewhere on the interval.
    #[error("the equation is undefined on the interval")]
    Undefined,
    /// No convergence to the digits asked for (the enclosure stopped narrowing, or 200 steps ran
    /// out).
    #[error("no convergence to the digits asked for")]
    Stalled,
}

/// The unique root of `f` (an expression in `Var(0)`) in `[a, b]`, to `digits` significant
/// digits.
pub fn root(f: &Expr, a: &Rational, b: &Rational, digits: u32) -> Result<Root, NewtonError> {
    let prec = digits * 4 + 64;
    let mut x = Ball::of_ends(a, b, prec);
    let tol = Float::with_val(prec, 10f64.powi(-(digits as i32) - 1))
        * Float::with_val(prec, x.magnitude());
    let mut certified = false;
    for steps in 1..=200 {
        let n = newton_image(f, &x, prec)?;
        if !certified {
            // Existence and uniqueness: N(X) strictly inside X.
            if !(n.lo > x.lo && n.hi < x.hi) {
                return Err(NewtonError::NotContracting);
            }
            certified = true;
        }
        let next = Ball {
            lo: n.lo.max(&x.lo),
            hi: n.hi.min(&x.hi),
        };
        let stuck = next.lo == x.lo && next.hi == x.hi;
        x = next;
        if x.width() <= tol {
            return Ok(Root {
                lower: x.lo.to_rational().expect("finite"),
                upper: x.hi.to_rational().expect("finite"),
                steps,
            });
        }
        if stuck {
            return Err(NewtonError::Stalled);
        }
    }
    Err(NewtonError::Stalled)
}

fn newton_image(f: &Expr, x: &Ball, prec: u32) -> Result<Ball, NewtonError> {
    let d =
        mpfi::eval_dual(f, std::slice::from_ref(x), prec).map_err(|_| NewtonError::Undefined)?;
    let slope = d.grad.ok_or(NewtonError::Derivative)?.remove(0);
    if slope.lo <= 0 && slope.hi >= 0 {
        return Err(NewtonError::Derivative);
    }
    let m = Ball::point(&x.mid());
    let fm = mpfi::eval(f, std::slice::from_ref(&m), prec).map_err(|_| NewtonError::Undefined)?;
    let step = fm.div(&slope, prec).map_err(|_| NewtonError::Derivative)?;
    Ok(m.sub(&step, prec))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> Expr {
        super::super::parse_expr(src, "x").unwrap()
    }

    #[test]
    fn the_square_root_of_two_to_fifty_digits() {
        let r = root(&expr("x^2 - 2"), &Rational::from(1), &Rational::from(2), 50).unwrap();
        let s2 = Float::with_val(400, 2).sqrt();
        assert!(Float::with_val(400, &r.lower) <= s2 && s2 <= Float::with_val(400, &r.upper));
        assert!(Float::with_val(400, Rational::from(&r.upper - &r.lower)) < 1e-50);
        assert!(r.steps < 20, "quadratic convergence: {} steps", r.steps);
    }

    #[test]
    fn two_roots_in_the_interval_are_not_certified() {
        // x^2 - 1/4 on [-1, 1]: f' vanishes at 0.
        let e = expr("x^2 - 1/4");
        let err = root(&e, &Rational::from(-1), &Rational::from(1), 30).unwrap_err();
        assert_eq!(err, NewtonError::Derivative);
    }

    #[test]
    fn no_root_in_the_interval_is_not_certified() {
        let e = expr("x - 3");
        let err = root(&e, &Rational::from(1), &Rational::from(2), 30).unwrap_err();
        assert_eq!(err, NewtonError::NotContracting);
    }
}
