//! Binding ends `±sqrt(r)` (`r` rational, not a square): a rational box end within `2^-40`
//! of the end and a polynomial condition equivalent to the end's inequality on that box, as
//! `docs/certificates.md` ("Irrational ends") states. Since `x - c` and `(x - c)(x + c) =
//! x^2 - r` have the same sign where `x + c > 0` and opposite signs where `x + c < 0`:
//! lower end `x >= c` is `x^2 - r >= 0` if the box has `x + c > 0`, `r - x^2 >= 0` if it has
//! `x + c < 0`; upper end `x <= c` the other way round; ends `-sqrt(r)`, `sqrt(r)` both
//! closed (open) are `r - x^2 >= 0` (`> 0`).

use super::expr::{bin, Expr, Num};
use rug::{Integer, Rational};

/// `(r, c > 0)` if the constant `e` is `c = ±sqrt(r)`, `r > 0` not a rational square:
/// `sqrt(q)`, `-a`, `k*a`, `a*k`, `a/k`, `k/a` with rational constants `k != 0`.
fn root(e: &Expr) -> Option<(Rational, bool)> {
    let k = |a: &Expr| a.exact().filter(|k| *k != 0);
    match e {
        Expr::Sqrt(a) => {
            let r = a.exact()?;
            let square = r.numer().is_perfect_square() && r.denom().is_perfect_square();
            (r > 0 && !square).then_some((r, true))
        }
        Expr::Neg(a) => root(a).map(|(r, p)| (r, !p)),
        Expr::Mul(a, b) => {
            let (k, (r, p)) = match k(a) {
                Some(k) => (k, root(b)?),
                None => (k(b)?, root(a)?),
            };
            Some((r * k.clone().square(), p == (k > 0)))
        }
        Expr::Div(a, b) => match (k(a), k(b)) {
            (_, Some(k)) => root(a).map(|(r, p)| (r / k.clone().square(), p == (k > 0))),
            (Some(k), None) => root(b).map(|(r, p)| (k.clone().square() / r, p == (k > 0))),
            _ => None,
        },
        _ => None,
    }
}

/// Rationals `lo < ±sqrt(r) < hi`: `s/2^40 <= sqrt(r) < (s + 1)/2^40`, `s = isqrt(r 4^40)`.
fn bounds(r: &Rational, positive: bool) -> (Rational, Rational) {
    let scale: Integer = Integer::from(1) << 80;
    let s = Rational::from(r * scale)
        .floor()
        .into_numer_denom()
        .0
        .sqrt();
    let den: Integer = Integer::from(1) << 40;
    let (lo, hi) = (
        Rational::from((s.clone(), den.clone())),
        Rational::from((s + 1, den)),
    );
    if positive {
        (lo, hi)
    } else {
        (-hi, -lo)
    }
}

/// A binding's box side `(lo, hi, lo excluded, hi excluded)` and hidden conditions `(margin
/// in variable i, strict)` when its ends are rational or `±sqrt(r)`, at least one the latter
/// (then both box ends are closed); `None` where no rule applies.
#[allow(clippy::type_complexity)]
pub fn ends(
    i: usize,
    (lo, hi): (&Expr, &Expr),
    (lo_closed, hi_closed): (bool, bool),
) -> Option<(Rational, Rational, bool, bool, Vec<(Expr, bool)>)> {
    let (l, h) = (
        lo.exact().ok_or_else(|| root(lo)),
        hi.exact().ok_or_else(|| root(hi)),
    );
    let q = |r: &Rational| Expr::Q(Num(r.clone()));
    let above = |r: &Rational| bin(Expr::Sub, Expr::Pow(Box::new(Expr::Var(i)), 2), q(r));
    let below = |r: &Rational| bin(Expr::Sub, q(r), Expr::Pow(Box::new(Expr::Var(i)), 2));
    if let (Err(Some((a, false))), Err(Some((b, true)))) = (&l, &h) {
        if a == b && lo_closed == hi_closed {
            let (bl, bh) = (bounds(a, false).0, bounds(b, true).1);
            return Some((bl, bh, false, false, vec![(below(a), !lo_closed)]));
        }
    }
    let (bl, lo_ex) = match &l {
        Ok(q) => (q.clone(), !lo_closed),
        Err(r) => (bounds(&r.as_ref()?.0, r.as_ref()?.1).0, false),
    };
    let (bh, hi_ex) = match &h {
        Ok(q) => (q.clone(), !hi_closed),
        Err(r) => (bounds(&r.as_ref()?.0, r.as_ref()?.1).1, false),
    };
    if l.is_ok() && h.is_ok() {
        return None;
    }
    let mut hyps = Vec::new();
    if let Err(Some((r, p))) = &l {
        let (cl, cu) = bounds(r, *p);
        match () {
            _ if *p && cl > 0 => hyps.push((above(r), !lo_closed)),
            _ if Rational::from(&bh + &cu) < 0 => hyps.push((below(r), !lo_closed)),
            _ => return None,
        }
    }
    if let Err(Some((r, p))) = &h {
        let (cl, cu) = bounds(r, *p);
        match () {
            _ if Rational::from(&bl + &cl) > 0 => hyps.push((below(r), !hi_closed)),
            _ if cu < 0 => hyps.push((above(r), !hi_closed)),
            _ => return None,
        }
    }
    Some((bl, bh, lo_ex, hi_ex, hyps))
}
