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
    let ((k, (r, p)), div) = match e {
        Expr::Sqrt(a) => {
            let r = a.exact().filter(|r| *r > 0)?;
            let square = r.numer().is_perfect_square() && r.denom().is_perfect_square();
            return (!square).then_some((r, true));
        }
        Expr::Neg(a) => return root(a).map(|(r, p)| (r, !p)),
        Expr::Mul(a, b) => (k(a).zip(root(b)).or_else(|| k(b).zip(root(a)))?, false),
        Expr::Div(a, b) => match k(a).zip(root(b)) {
            Some((k, (r, p))) => return Some((k.clone().square() / r, p == (k > 0))),
            None => (k(b).zip(root(a))?, true),
        },
        _ => return None,
    };
    let k2 = k.clone().square();
    Some((if div { r / k2 } else { r * k2 }, p == (k > 0)))
}

/// Whether the ends are the same `±sqrt(r)` (then an open end makes the range empty).
pub fn same(lo: &Expr, hi: &Expr) -> bool {
    root(lo).is_some_and(|r| root(hi) == Some(r))
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
        Rational::from((s.clone(), &den)),
        Rational::from((s + 1, den)),
    );
    [(lo.clone(), hi.clone()), (-hi, -lo)][usize::from(!positive)].clone()
}

/// A binding's box side `(lo, hi, lo excluded, hi excluded)` and hidden conditions `(margin
/// in variable i, strict)` when its ends are rational or `±sqrt(r)`, at least one the latter
/// (then that box end is closed); `None` where no rule applies.
#[allow(clippy::type_complexity)]
pub fn ends(
    i: usize,
    (lo, hi): (&Expr, &Expr),
    (lc, hc): (bool, bool),
) -> Option<(Rational, Rational, bool, bool, Vec<(Expr, bool)>)> {
    let (l, h) = (root(lo), root(hi));
    let sq = |r: &Rational, up: bool| {
        let (x2, q) = (
            Expr::Pow(Box::new(Expr::Var(i)), 2),
            Expr::Q(Num(r.clone())),
        );
        [bin(Expr::Sub, q.clone(), x2.clone()), bin(Expr::Sub, x2, q)][usize::from(up)].clone()
    };
    let bl = l
        .as_ref()
        .map_or_else(|| lo.exact(), |(r, p)| Some(bounds(r, *p).0))?;
    let bh = h
        .as_ref()
        .map_or_else(|| hi.exact(), |(r, p)| Some(bounds(r, *p).1))?;
    let ex = (l.is_none() && !lc, h.is_none() && !hc);
    let mut hyps = Vec::new();
    match (&l, &h) {
        (None, None) => return None,
        (Some((a, false)), Some((b, true))) if a == b && lc == hc => hyps.push((sq(a, false), !lc)),
        _ => {
            if let Some((r, p)) = &l {
                let (cl, cu) = bounds(r, *p);
                let below = Rational::from(&bh + &cu) < 0;
                (*p && cl > 0 || below).then_some(())?;
                hyps.push((sq(r, !below || *p && cl > 0), !lc));
            }
            if let Some((r, p)) = &h {
                let (cl, cu) = bounds(r, *p);
                let above = Rational::from(&bl + &cl) > 0;
                (above || cu < 0).then_some(())?;
                hyps.push((sq(r, !above), !hc));
            }
        }
    }
    Some((bl, bh, ex.0, ex.1, hyps))
}
