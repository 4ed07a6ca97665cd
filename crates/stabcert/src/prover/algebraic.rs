//! Binding ends that are irrational square roots of rationals (`x in [sqrt(2), 2]`,
//! `x in [0, sqrt(3))`, `x in [-sqrt(2), sqrt(2)]`, `sqrt(2)/2`...), turned into exact
//! polynomial conditions so that the prover can decide the claim where the end is tight.
//!
//! An end `c = ±sqrt(r)` (`r` rational, not a square) is replaced by a rational end `c⁻ < c`
//! (lower) or `c⁺ > c` (upper), both within `2^-40` of `c`, and a hidden hypothesis that is
//! equivalent to `x >= c` (`x <= c`) on the resulting box:
//!
//! - lower end, `x + c > 0` on the box (`c > 0` and `c⁻ > 0`): `x - c >= 0 <=> x^2 - r >= 0`;
//! - lower end, `x + c < 0` on the box (`H + c⁺ < 0`): `x - c >= 0 <=> r - x^2 >= 0`;
//! - upper end, `x + c > 0` on the box (`L + c⁻ > 0`): `c - x >= 0 <=> r - x^2 >= 0`;
//! - upper end, `x + c < 0` on the box (`c⁺ < 0`): `c - x >= 0 <=> x^2 - r >= 0`;
//! - ends `-sqrt(r)` and `sqrt(r)`, both closed or both open: `r - x^2 >= 0` (`> 0`).
//!
//! (multiply `x - c` by `x + c`, of constant sign on the box; strictness is kept since
//! `x - c = 0` exactly where the product is.) Other ends are reparametrised as before. The
//! kernel builds the same box and hypotheses by its own code (docs/certificates.md).

use super::exact::eval_rational;
use crate::expr::Expr;
use rug::{Integer, Rational};

/// Bits of the rational ends `c⁻`, `c⁺`.
const BITS: u32 = 40;

/// `Some((r, positive))` if the constant `e` is `sqrt(r)` (`positive`) or `-sqrt(r)`, `r > 0`
/// rational and not the square of a rational; recognises `sqrt(q)`, `-a`, `k*a`, `a*k`,
/// `a/k` and `k/a` with rational constants `k != 0`.
pub fn signed_square(e: &Expr) -> Option<(Rational, bool)> {
    let rational = |a: &Expr| {
        a.is_constant()
            .then(|| eval_rational(a, &[]).ok())
            .flatten()
    };
    match e {
        Expr::Sqrt(a) => {
            let r = rational(a)?;
            let square = r.numer().is_perfect_square() && r.denom().is_perfect_square();
            (r > 0 && !square).then_some((r, true))
        }
        Expr::Neg(a) => signed_square(a).map(|(r, p)| (r, !p)),
        Expr::Mul(a, b) => {
            let (k, (r, p)) = match rational(a) {
                Some(k) => (k, signed_square(b)?),
                None => (rational(b)?, signed_square(a)?),
            };
            (k != 0).then(|| (r * k.clone().square(), p == (k > 0)))
        }
        Expr::Div(a, b) => match rational(b) {
            Some(k) if k != 0 => {
                let (r, p) = signed_square(a)?;
                Some((r / k.clone().square(), p == (k > 0)))
            }
            Some(_) => None,
            None => {
                let k = rational(a).filter(|k| *k != 0)?;
                let (r, p) = signed_square(b)?;
                Some((k.clone().square() / r, p == (k > 0)))
            }
        },
        _ => None,
    }
}

/// Rationals `lo < ±sqrt(r) < hi` within `2^-BITS` (`r` not a square).
pub fn bounds(r: &Rational, positive: bool) -> (Rational, Rational) {
    let scale = Integer::from(1) << (2 * BITS);
    let floor = Rational::from(r * &scale).floor().into_numer_denom().0;
    let s = floor.sqrt();
    let den = Integer::from(1) << BITS;
    let lo = Rational::from((s.clone(), den.clone()));
    let hi = Rational::from((s + 1, den));
    if positive {
        (lo, hi)
    } else {
        (-hi, -lo)
    }
}

/// One end of a binding: rational, or `±sqrt(r)`.
enum End {
    Rational(Rational),
    Root(Rational, bool),
}

fn end(e: &Expr) -> Option<End> {
    if e.is_constant() {
        if let Ok(q) = eval_rational(e, &[]) {
            return Some(End::Rational(q));
        }
    }
    signed_square(e).map(|(r, p)| End::Root(r, p))
}

/// A box side with the hidden conditions that make it exact.
pub struct Ends {
    pub lo: Rational,
    pub hi: Rational,
    pub lo_open: bool,
    pub hi_open: bool,
    /// Margins `m` in the binding's variable `x`: `m > 0` (strict) or `m >= 0`.
    pub hyps: Vec<(Expr, bool)>,
}

/// The box side and hidden conditions of a binding `x in lo..hi` (variable `x`) whose ends
/// are constants, at least one of them `±sqrt(r)`; `None` if no rule above applies.
pub fn ends(x: usize, lo: &Expr, hi: &Expr, lo_closed: bool, hi_closed: bool) -> Option<Ends> {
    let (l, h) = (end(lo)?, end(hi)?);
    let sq = || Expr::Pow(Box::new(Expr::Var(x)), 2);
    let above = |r: &Rational| Expr::sub(sq(), Expr::Const(r.clone()));
    let below = |r: &Rational| Expr::sub(Expr::Const(r.clone()), sq());
    if let (End::Root(a, false), End::Root(b, true)) = (&l, &h) {
        if a == b && lo_closed == hi_closed {
            let (bl, bh) = (bounds(a, false).0, bounds(b, true).1);
            return Some(Ends {
                lo: bl,
                hi: bh,
                lo_open: false,
                hi_open: false,
                hyps: vec![(below(a), !lo_closed)],
            });
        }
    }
    let (bl, lo_open) = match &l {
        End::Rational(q) => (q.clone(), !lo_closed),
        End::Root(r, p) => (bounds(r, *p).0, false),
    };
    let (bh, hi_open) = match &h {
        End::Rational(q) => (q.clone(), !hi_closed),
        End::Root(r, p) => (bounds(r, *p).1, false),
    };
    let mut hyps = Vec::new();
    if let End::Root(r, p) = &l {
        let (cl, cu) = bounds(r, *p);
        if *p && cl > 0 {
            hyps.push((above(r), !lo_closed));
        } else if Rational::from(&bh + &cu) < 0 {
            hyps.push((below(r), !lo_closed));
        } else {
            return None;
        }
    }
    if let End::Root(r, p) = &h {
        let (cl, cu) = bounds(r, *p);
        if Rational::from(&bl + &cl) > 0 {
            hyps.push((below(r), !hi_closed));
        } else if cu < 0 {
            hyps.push((above(r), !hi_closed));
        } else {
            return None;
        }
    }
    Some(Ends {
        lo: bl,
        hi: bh,
        lo_open,
        hi_open,
        hyps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang;

    fn binding(src: &str) -> Option<Ends> {
        let c = lang::parse_source(
            std::path::Path::new("t.stab"),
            &format!("claim a: forall x in {src} => x > 0"),
        )
        .expect("parses")
        .remove(0);
        let b = &c.bindings[0];
        ends(0, &b.lo, &b.hi, b.lo_closed, b.hi_closed)
    }

    #[test]
    fn bounds_enclose_the_root_tightly() {
        for r in [2, 3, 5, 1000] {
            let r = Rational::from(r);
            for p in [true, false] {
                let (lo, hi) = bounds(&r, p);
                assert!(lo < hi && Rational::from(&hi - &lo) <= Rational::from((1, 1u64 << 39)));
                // lo < c < hi, so lo^2 and hi^2 lie on either side of r.
                let (a, b) = if p { (lo, hi) } else { (-hi, -lo) };
                assert!(a > 0 && a.clone().square() < r && b.square() > r);
            }
        }
    }

    #[test]
    fn recognises_signed_square_roots() {
        let sq = |src: &str| {
            let c = lang::parse_source(
                std::path::Path::new("t.stab"),
                &format!("claim a: forall x in [0, 1] => x < {src}"),
            )
            .expect("parses")
            .remove(0);
            let (m, _) = c.goals[0].margin();
            let Expr::Sub(a, _) = m else { panic!() };
            signed_square(&a)
        };
        let q = |n: i64, d: u64| Rational::from((n, d));
        assert_eq!(sq("sqrt(2)"), Some((q(2, 1), true)));
        assert_eq!(sq("-sqrt(2)"), Some((q(2, 1), false)));
        assert_eq!(sq("sqrt(2)/2"), Some((q(1, 2), true)));
        assert_eq!(sq("-3*sqrt(2)"), Some((q(18, 1), false)));
        assert_eq!(sq("1/sqrt(3)"), Some((q(1, 3), true)));
        assert_eq!(sq("sqrt(4)"), None);
        assert_eq!(sq("sqrt(2) + 1"), None);
    }

    #[test]
    fn conditions_follow_the_sign_of_x_plus_c() {
        let hyps = |src: &str| {
            binding(src).map(|e| {
                e.hyps
                    .iter()
                    .map(|(m, s)| format!("{} {}", m.plain_with(&["x".into()]), s))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(hyps("[sqrt(2), 2]"), Some(vec!["(x^2) - 2 false".into()]));
        assert_eq!(hyps("(sqrt(2), 2]"), Some(vec!["(x^2) - 2 true".into()]));
        assert_eq!(hyps("[0, sqrt(3))"), Some(vec!["3 - (x^2) true".into()]));
        assert_eq!(hyps("[-2, -sqrt(2)]"), Some(vec!["(x^2) - 2 false".into()]));
        assert_eq!(hyps("[-sqrt(3), -1]"), Some(vec!["3 - (x^2) false".into()]));
        assert_eq!(
            hyps("[-sqrt(2), sqrt(2)]"),
            Some(vec!["2 - (x^2) false".into()])
        );
        // x + c changes sign on the box: no rule.
        assert_eq!(hyps("[-sqrt(2), 3]"), None);
        assert_eq!(hyps("[-2, sqrt(3)]"), None);
        assert_eq!(hyps("[-sqrt(2), sqrt(3)]"), None);
        assert_eq!(hyps("[-sqrt(2), sqrt(2))"), None);
    }
}
