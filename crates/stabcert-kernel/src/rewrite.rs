//! Rewrite nodes: a box's margin replaced by simpler ones under added hypotheses
//! (`docs/certificates.md`, "Rewrites"). The kernel computes every child's margin and
//! hypotheses itself from the rule; the certificate only names the rule.
//!
//! What makes each rule sound is the meaning of an accepted proof of `where H => m`: at every
//! point of its box, some hypothesis is defined and false, or every hypothesis is defined
//! and `m` is defined and holds (a leaf other than `pruned` is refused while an active
//! hypothesis may be undefined). So a case hypothesis `d >= 0` also shows `d` defined.

use super::expr::{bin, Expr, Num};
use super::poly::Poly;
use super::{Check, Fail};
use rug::Rational;
use serde::Deserialize;
use Expr::*;

/// A rewrite rule as a certificate names it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The `at`-th `abs`/`min`/`max` of the margin then the hypotheses (pre-order): children
    /// `d <= 0`, `d >= 0`.
    Cases { at: usize },
    /// `sqrt(a) - b` or `b - sqrt(a)` by squaring where `b >= 0`.
    Sqrt,
    /// The `at`-th `sqrt(a) * sqrt(b)` or `sqrt(a)^2` replaced by `sqrt(a b)` or `a`.
    Unsqrt { at: usize },
    /// Denominators equal to the strict hypothesis `hyp`'s margin multiplied out.
    Clear { hyp: usize },
    /// Denominators equal to the `at`-th divisor of the margin multiplied out, a polynomial
    /// `> 0` on the box (off its excluded ends).
    Divide { at: usize },
    /// Denominators equal to the `at`-th divisor `d` of the margin (any expression) multiplied
    /// out, with `d > 0` a child of its own.
    DivideBy { at: usize },
}

/// One child: its hypotheses (`(margin, strict)`: the problem's, perhaps rewritten, then
/// those added), its margin, and its strictness.
pub type Child = (Vec<(Expr, bool)>, Expr, bool);

fn sub(a: &Expr, b: &Expr) -> Expr {
    bin(Sub, a.clone(), b.clone())
}
fn mul(a: &Expr, b: &Expr) -> Expr {
    bin(Mul, a.clone(), b.clone())
}

/// The `at`-th node (pre-order) of `e` that `pick` accepts.
fn nth<'e>(e: &'e Expr, at: &mut usize, pick: &dyn Fn(&Expr) -> bool) -> Option<&'e Expr> {
    if pick(e) && std::mem::replace(at, at.wrapping_sub(1)) == 0 {
        return Some(e);
    }
    match e {
        Neg(a) | Sqrt(a) | Abs(a) | Pow(a, _) => nth(a, at, pick),
        Add(a, b) | Sub(a, b) | Mul(a, b) | Div(a, b) | Min(a, b) | Max(a, b) => {
            nth(a, at, pick).or_else(|| nth(b, at, pick))
        }
        _ => None,
    }
}

/// `e` with every node equal to `from` replaced by `to`, through `+ - * / neg sqrt abs pow
/// min max` (other nodes are kept whole).
fn replace(e: &Expr, from: &Expr, to: &Expr) -> Expr {
    let r = |a: &Expr| Box::new(replace(a, from, to));
    match e {
        _ if e == from => to.clone(),
        Neg(a) => Neg(r(a)),
        Sqrt(a) => Sqrt(r(a)),
        Abs(a) => Abs(r(a)),
        Pow(a, n) => Pow(r(a), *n),
        Add(a, b) => Add(r(a), r(b)),
        Sub(a, b) => Sub(r(a), r(b)),
        Mul(a, b) => Mul(r(a), r(b)),
        Div(a, b) => Div(r(a), r(b)),
        Min(a, b) => Min(r(a), r(b)),
        Max(a, b) => Max(r(a), r(b)),
        _ => e.clone(),
    }
}

/// `e` times `h` where `h > 0`, with divisions by a polynomial equal to `hp` (if given) or by
/// `h` itself cancelled: the same sign and, where `h > 0`, defined only where `e` is.
/// Without `hp` only divisions by `h` count, and what holds none is multiplied whole.
fn clear(e: &Expr, h: &Expr, hp: Option<&Poly>, n: usize) -> Expr {
    let c = |a: &Expr| Box::new(clear(a, h, hp, n));
    let by = |x: &Expr| matches!(x, Div(_, d) if hp.is_some() || **d == *h);
    let has = |a: &Expr| nth(a, &mut 0, &by).is_some();
    match e {
        _ if hp.is_none() && !has(e) => mul(e, h),
        Add(a, b) => Add(c(a), c(b)),
        Sub(a, b) => Sub(c(a), c(b)),
        Neg(a) => Neg(c(a)),
        Mul(a, b) if !has(a) => Mul(a.clone(), c(b)),
        Mul(a, b) => Mul(c(a), b.clone()),
        Div(a, d)
            if **d == *h
                || Poly::from_expr(d, n)
                    .zip(hp)
                    .is_some_and(|(p, hp)| p.minus(hp).is_zero()) =>
        {
            *a.clone()
        }
        Div(a, d) => Div(c(a), d.clone()),
        _ => mul(e, h),
    }
}

/// The children of `rule` applied to the margin `m` (needing `> 0` if `strict`), with the
/// problem's hypotheses `hyps` over `n` variables.
pub fn children(
    rule: &Rule,
    m: &Expr,
    strict: bool,
    hyps: &[(Expr, bool)],
    n: usize,
    positive: &dyn Fn(&Poly) -> bool,
) -> Result<Vec<Child>, Fail> {
    let z = Q(Num(Rational::new()));
    // The problem's hypotheses with `d >= 0` or `d < 0` added.
    let ge0 = |d: &Expr| [hyps, &[(sub(d, &z), false)]].concat();
    let lt0 = |d: &Expr| [hyps, &[(sub(&z, d), true)]].concat();
    let bad = || (Check::BadRewrite, format!("{rule:?} does not apply"));
    match (rule, m) {
        (Rule::Cases { at }, _) => {
            let pick = |e: &Expr| matches!(e, Abs(_) | Min(..) | Max(..));
            // (d, the node where d <= 0, where d >= 0)
            // Counted through the margin, then the hypotheses.
            let (mut at, mut all) = (*at, std::iter::once(m).chain(hyps.iter().map(|h| &h.0)));
            let (op, d, neg, pos) =
                match all.find_map(|e| nth(e, &mut at, &pick)).ok_or_else(bad)? {
                    op @ Abs(u) => (op, *u.clone(), Neg(u.clone()), *u.clone()),
                    op @ Min(a, b) => (op, sub(a, b), *a.clone(), *b.clone()),
                    op @ Max(a, b) => (op, sub(a, b), *b.clone(), *a.clone()),
                    _ => return Err(bad()),
                };
            // The hypotheses too: equal to the problem's where the case holds.
            let case = |to: &Expr, h: (Expr, bool)| {
                let mut hs: Vec<_> = hyps.iter().map(|(e, s)| (replace(e, op, to), *s)).collect();
                hs.push(h);
                (hs, replace(m, op, to), strict)
            };
            Ok(vec![
                case(&neg, (sub(&z, &d), false)),
                case(&pos, (sub(&d, &z), false)),
            ])
        }
        // sqrt(a) >= b: where b >= 0, a >= b² (so a >= 0); where b < 0, a >= 0.
        (Rule::Sqrt, Sub(s, b)) if matches!(**s, Sqrt(_)) => {
            let Sqrt(a) = &**s else { return Err(bad()) };
            Ok(vec![
                (ge0(b), sub(a, &mul(b, b)), strict),
                (lt0(b), sub(a, &z), false),
            ])
        }
        // sqrt(a) <= b: where b >= 0, b² >= a and a >= 0; where b < 0, as it is.
        (Rule::Sqrt, Sub(b, s)) if matches!(**s, Sqrt(_)) => {
            let Sqrt(a) = &**s else { return Err(bad()) };
            Ok(vec![
                (ge0(b), sub(&mul(b, b), a), strict),
                (ge0(b), sub(a, &z), false),
                (lt0(b), m.clone(), strict),
            ])
        }
        // sqrt(a) sqrt(b) = sqrt(a b) where a, b >= 0 (`a` if b is a); sqrt(a)^2 = a.
        (Rule::Unsqrt { at }, _) => {
            let root = |e: &Expr| match e {
                Sqrt(a) => Some(*a.clone()),
                _ => None,
            };
            let pair = |e: &Expr| match e {
                Mul(x, y) => root(x).zip(root(y)),
                Pow(x, 2) => root(x).map(|a| (a.clone(), a)),
                _ => None,
            };
            let op = nth(m, &mut at.clone(), &|e| pair(e).is_some()).ok_or_else(bad)?;
            let (a, b) = pair(op).ok_or_else(bad)?;
            let to = if a == b {
                a.clone()
            } else {
                Sqrt(Box::new(mul(&a, &b)))
            };
            // No hypothesis added: the problem's are kept, as for the other rules.
            let def = |a: &Expr| (hyps.to_vec(), sub(a, &z), false);
            Ok(vec![
                (hyps.to_vec(), replace(m, op, &to), strict),
                def(&a),
                def(&b),
            ])
        }
        (Rule::Clear { hyp }, _) => {
            let Some((h, true)) = hyps.get(*hyp) else {
                return Err(bad());
            };
            let hp = Poly::from_expr(h, n).ok_or_else(bad)?;
            Ok(vec![(hyps.to_vec(), clear(m, h, Some(&hp), n), strict)])
        }
        (Rule::Divide { at }, _) => {
            let Some(Div(_, d)) = nth(m, &mut at.clone(), &|e| matches!(e, Div(..))) else {
                return Err(bad());
            };
            let dp = Poly::from_expr(d, n)
                .filter(|p| positive(p))
                .ok_or_else(bad)?;
            Ok(vec![(hyps.to_vec(), clear(m, d, Some(&dp), n), strict)])
        }
        // m = clear(m)/d where d > 0 (the second child), defined where clear(m) is.
        (Rule::DivideBy { at }, _) => {
            let Some(Div(_, d)) = nth(m, &mut at.clone(), &|e| matches!(e, Div(..))) else {
                return Err(bad());
            };
            let cleared = clear(m, d, None, n);
            Ok(vec![
                (hyps.to_vec(), cleared, strict),
                (hyps.to_vec(), sub(d, &z), true),
            ])
        }
        _ => Err(bad()),
    }
}
