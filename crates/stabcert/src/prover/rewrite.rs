//! Exact rewrites of a conclusion the branch and bound cannot close as it stands: case splits
//! that remove `abs`, `min` and `max`, squaring of `sqrt(a)` compared with `b` where
//! `b >= 0`, `sqrt(a) sqrt(b) = sqrt(a b)` where `a, b >= 0`, and denominators multiplied out
//! where a strict `where` hypothesis makes them positive.
//!
//! A rule turns the conclusion into children, each an ordinary claim (the claim's hypotheses,
//! perhaps a sign condition added, one conclusion) decided on its own; the proof is a
//! `rewrite` node over the children's trees. The kernel computes the children from the rule
//! itself (`stabcert-kernel`'s `rewrite.rs` is the reference; this is its mirror over the
//! claim's own variables), so a child proved here for another margin is rejected there. A
//! child's witness is a witness of the claim only once `check_exact` confirms it on the claim.

use super::bernstein::Expansion;
use super::domain::Problem;
use super::{decide, Branch, Budget, ProofNode, Status, Witness};
use crate::claim::{Claim, Cond, RelOp};
use crate::expr::poly::Poly;
use crate::expr::Expr;
use rug::Rational;
use serde_json::{json, Value};
use std::time::Instant;

/// Rewrites nested at most this deep (each removes one operation).
pub(super) const MAX_DEPTH: u32 = 6;

/// A rewrite rule, as the certificate names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The `at`-th `abs`/`min`/`max` of the margin then the hypotheses (pre-order): children
    /// `d <= 0`, `d >= 0`.
    Cases {
        /// Which one.
        at: usize,
    },
    /// `sqrt(a) - b` or `b - sqrt(a)` squared where `b >= 0`.
    Sqrt,
    /// The `at`-th `sqrt(a) * sqrt(b)` or `sqrt(a)^2` replaced by `sqrt(a b)` or `a`.
    Unsqrt {
        /// Which one.
        at: usize,
    },
    /// Divisions by the strict hypothesis `hyp`'s margin (kernel numbering) multiplied out.
    Clear {
        /// The hypothesis.
        hyp: usize,
    },
    /// Denominators equal to the `at`-th divisor of the margin (pre-order) multiplied out, a
    /// polynomial `> 0` on the domain.
    Divide {
        /// Which one.
        at: usize,
    },
    /// Denominators equal to the `at`-th divisor `d` of the margin (box coordinates, any
    /// expression) multiplied out; `d > 0` is a second child.
    DivideBy {
        /// Which one.
        at: usize,
    },
}

impl Rule {
    /// The rule as the certificate spells it.
    pub fn json(&self) -> Value {
        match *self {
            Rule::Cases { at } => json!({"cases": {"at": at}}),
            Rule::Sqrt => json!("sqrt"),
            Rule::Unsqrt { at } => json!({"unsqrt": {"at": at}}),
            Rule::Clear { hyp } => json!({"clear": {"hyp": hyp}}),
            Rule::Divide { at } => json!({"divide": {"at": at}}),
            Rule::DivideBy { at } => json!({"divide_by": {"at": at}}),
        }
    }
}

/// One child: how its hypotheses differ, its margin, and its strictness.
type Child = (Hyps, Expr, bool);

/// A child's hypotheses: the claim's with `from` replaced by `to` (a case), then `added`.
struct Hyps {
    swap: Option<(Expr, Expr)>,
    added: Vec<(Expr, bool)>,
}

fn plus(added: Vec<(Expr, bool)>) -> Hyps {
    Hyps { swap: None, added }
}

fn zero() -> Expr {
    Expr::Const(Rational::new())
}

fn sub(a: &Expr, b: &Expr) -> Expr {
    Expr::sub(a.clone(), b.clone())
}

fn mul(a: &Expr, b: &Expr) -> Expr {
    Expr::mul(a.clone(), b.clone())
}

/// The `at`-th node (pre-order) of `e` that `pick` accepts.
fn nth<'e>(e: &'e Expr, at: &mut usize, pick: &dyn Fn(&Expr) -> bool) -> Option<&'e Expr> {
    if pick(e) {
        if *at == 0 {
            return Some(e);
        }
        *at -= 1;
    }
    match e {
        Expr::Neg(a) | Expr::Sqrt(a) | Expr::Abs(a) | Expr::Pow(a, _) => nth(a, at, pick),
        Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Mul(a, b)
        | Expr::Div(a, b)
        | Expr::Min(a, b)
        | Expr::Max(a, b) => nth(a, at, pick).or_else(|| nth(b, at, pick)),
        _ => None,
    }
}

/// `e` with every node equal to `from` replaced by `to`, through the operations the
/// kernel's rewrite walks (other nodes are kept whole).
fn replace(e: &Expr, from: &Expr, to: &Expr) -> Expr {
    if e == from {
        return to.clone();
    }
    let r = |a: &Expr| Box::new(replace(a, from, to));
    match e {
        Expr::Neg(a) => Expr::Neg(r(a)),
        Expr::Sqrt(a) => Expr::Sqrt(r(a)),
        Expr::Abs(a) => Expr::Abs(r(a)),
        Expr::Pow(a, n) => Expr::Pow(r(a), *n),
        Expr::Add(a, b) => Expr::Add(r(a), r(b)),
        Expr::Sub(a, b) => Expr::Sub(r(a), r(b)),
        Expr::Mul(a, b) => Expr::Mul(r(a), r(b)),
        Expr::Div(a, b) => Expr::Div(r(a), r(b)),
        Expr::Min(a, b) => Expr::Min(r(a), r(b)),
        Expr::Max(a, b) => Expr::Max(r(a), r(b)),
        _ => e.clone(),
    }
}

/// Whether `d` is a polynomial equal to `hp`.
fn same_poly(d: &Expr, hp: &Poly, n: usize) -> bool {
    Poly::from_expr(d, n).is_some_and(|p| p == *hp)
}

/// `e` times `h` (`h > 0`), divisions by a polynomial equal to `hp` (if given) or by `h`
/// itself cancelled (the kernel's `clear`). Without `hp` only divisions by `h` count, and
/// what holds none is multiplied whole.
fn clear(e: &Expr, h: &Expr, hp: Option<&Poly>, n: usize) -> Expr {
    let c = |a: &Expr| Box::new(clear(a, h, hp, n));
    let by = |x: &Expr| matches!(x, Expr::Div(_, d) if hp.is_some() || **d == *h);
    let has = |a: &Expr| nth(a, &mut 0, &by).is_some();
    match e {
        _ if hp.is_none() && !has(e) => mul(e, h),
        Expr::Add(a, b) => Expr::Add(c(a), c(b)),
        Expr::Sub(a, b) => Expr::Sub(c(a), c(b)),
        Expr::Neg(a) => Expr::Neg(c(a)),
        Expr::Mul(a, b) if !has(a) => Expr::Mul(a.clone(), c(b)),
        Expr::Mul(a, b) => Expr::Mul(c(a), b.clone()),
        Expr::Div(a, d) if **d == *h || hp.is_some_and(|hp| same_poly(d, hp, n)) => (**a).clone(),
        Expr::Div(a, d) => Expr::Div(c(a), d.clone()),
        _ => mul(e, h),
    }
}

fn is_div(e: &Expr) -> bool {
    matches!(e, Expr::Div(..))
}

fn is_case_op(e: &Expr) -> bool {
    matches!(e, Expr::Abs(_) | Expr::Min(..) | Expr::Max(..))
}

fn is_sqrt_product(e: &Expr) -> bool {
    match e {
        Expr::Mul(a, b) => matches!((&**a, &**b), (Expr::Sqrt(_), Expr::Sqrt(_))),
        Expr::Pow(a, 2) => matches!(**a, Expr::Sqrt(_)),
        _ => false,
    }
}

/// Whether a polynomial is `> 0` on the domain (as the kernel tests it on the root box).
type Positive<'a> = &'a dyn Fn(&Poly) -> bool;

/// The children of `rule` on the margin `m` (the kernel's `children`).
fn children(
    rule: Rule,
    m: &Expr,
    strict: bool,
    hyps: &[(Expr, bool)],
    n: usize,
    positive: Positive,
) -> Option<Vec<Child>> {
    let ge0 = |d: &Expr| (sub(d, &zero()), false);
    let lt0 = |d: &Expr| (sub(&zero(), d), true);
    match rule {
        Rule::Cases { at } => {
            let (mut at, mut all) = (at, std::iter::once(m).chain(hyps.iter().map(|h| &h.0)));
            let op = all.find_map(|e| nth(e, &mut at, &is_case_op))?;
            let (d, neg, pos) = match op {
                Expr::Abs(u) => ((**u).clone(), Expr::Neg(u.clone()), (**u).clone()),
                Expr::Min(a, b) => (sub(a, b), (**a).clone(), (**b).clone()),
                Expr::Max(a, b) => (sub(a, b), (**b).clone(), (**a).clone()),
                _ => return None,
            };
            let case = |to: &Expr, h: (Expr, bool)| {
                let swap = Some((op.clone(), to.clone()));
                let hyps = Hyps {
                    swap,
                    added: vec![h],
                };
                (hyps, replace(m, op, to), strict)
            };
            Some(vec![
                case(&neg, (sub(&zero(), &d), false)),
                case(&pos, ge0(&d)),
            ])
        }
        Rule::Sqrt => match m {
            Expr::Sub(s, b) if matches!(**s, Expr::Sqrt(_)) => {
                let Expr::Sqrt(a) = &**s else { return None };
                Some(vec![
                    (plus(vec![ge0(b)]), sub(a, &mul(b, b)), strict),
                    (plus(vec![lt0(b)]), sub(a, &zero()), false),
                ])
            }
            Expr::Sub(b, s) if matches!(**s, Expr::Sqrt(_)) => {
                let Expr::Sqrt(a) = &**s else { return None };
                Some(vec![
                    (plus(vec![ge0(b)]), sub(&mul(b, b), a), strict),
                    (plus(vec![ge0(b)]), sub(a, &zero()), false),
                    (plus(vec![lt0(b)]), m.clone(), strict),
                ])
            }
            _ => None,
        },
        Rule::Unsqrt { at } => {
            let op = nth(m, &mut at.clone(), &is_sqrt_product)?;
            let (a, b, to) = match op {
                Expr::Mul(x, y) => match (&**x, &**y) {
                    (Expr::Sqrt(a), Expr::Sqrt(b)) if a == b => (a, b, (**a).clone()),
                    (Expr::Sqrt(a), Expr::Sqrt(b)) => (a, b, Expr::Sqrt(Box::new(mul(a, b)))),
                    _ => return None,
                },
                Expr::Pow(x, _) => match &**x {
                    Expr::Sqrt(a) => (a, a, (**a).clone()),
                    _ => return None,
                },
                _ => return None,
            };
            let def = |a: &Expr| (plus(Vec::new()), sub(a, &zero()), false);
            Some(vec![
                (plus(Vec::new()), replace(m, op, &to), strict),
                def(a),
                def(b),
            ])
        }
        Rule::Clear { hyp } => {
            let (h, true) = hyps.get(hyp)? else {
                return None;
            };
            let hp = Poly::from_expr(h, n)?;
            Some(vec![(plus(Vec::new()), clear(m, h, Some(&hp), n), strict)])
        }
        Rule::Divide { at } => {
            let Expr::Div(_, d) = nth(m, &mut at.clone(), &is_div)? else {
                return None;
            };
            let dp = Poly::from_expr(d, n).filter(|p| positive(p))?;
            Some(vec![(plus(Vec::new()), clear(m, d, Some(&dp), n), strict)])
        }
        Rule::DivideBy { at } => {
            let Expr::Div(_, d) = nth(m, &mut at.clone(), &is_div)? else {
                return None;
            };
            let cleared = clear(m, d, None, n);
            Some(vec![
                (plus(Vec::new()), cleared, strict),
                (plus(Vec::new()), sub(d, &zero()), true),
            ])
        }
    }
}

/// Whether `e` has a division by a polynomial equal to `hp`.
fn divides_by(e: &Expr, hp: &Poly, n: usize) -> bool {
    match e {
        Expr::Div(a, d) => same_poly(d, hp, n) || divides_by(a, hp, n) || divides_by(d, hp, n),
        Expr::Neg(a) | Expr::Sqrt(a) | Expr::Abs(a) | Expr::Pow(a, _) => divides_by(a, hp, n),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Min(a, b) | Expr::Max(a, b) => {
            divides_by(a, hp, n) || divides_by(b, hp, n)
        }
        _ => false,
    }
}

/// The rule to try on margin `m`: squaring a `sqrt` at the top, clearing a guarded
/// denominator, a product of square roots, then a case split.
fn choose(m: &Expr, hyps: &[(Expr, bool)], n: usize, positive: Positive) -> Option<Rule> {
    if let Expr::Sub(a, b) = m {
        if matches!(**a, Expr::Sqrt(_)) || matches!(**b, Expr::Sqrt(_)) {
            return Some(Rule::Sqrt);
        }
    }
    for (k, (h, strict)) in hyps.iter().enumerate() {
        let hp = strict.then(|| Poly::from_expr(h, n)).flatten();
        if hp.is_some_and(|hp| divides_by(m, &hp, n)) {
            return Some(Rule::Clear { hyp: k });
        }
    }
    if nth(m, &mut 0, &is_sqrt_product).is_some() {
        return Some(Rule::Unsqrt { at: 0 });
    }
    let mut all = std::iter::once(m).chain(hyps.iter().map(|h| &h.0));
    if all.find_map(|e| nth(e, &mut 0, &is_case_op)).is_some() {
        return Some(Rule::Cases { at: 0 });
    }
    (0..)
        .map_while(|at| Some((at, nth(m, &mut at.clone(), &is_div)?)))
        .find(|(_, d)| {
            // A constant divisor only scales the margin: its child would be as hard.
            let Expr::Div(_, d) = d else { return false };
            !d.is_constant() && Poly::from_expr(d, n).is_some_and(|p| positive(&p))
        })
        .map(|(at, _)| Rule::Divide { at })
}

/// The condition whose margin is `m` (a difference) with its strictness.
fn cond(m: &Expr, strict: bool) -> Option<Cond> {
    let Expr::Sub(l, r) = m else { return None };
    let op = if strict { RelOp::Gt } else { RelOp::Ge };
    let text = format!("{l} {} {r}", if strict { ">" } else { ">=" });
    Some(Cond {
        lhs: (**l).clone(),
        op,
        rhs: (**r).clone(),
        text,
    })
}

/// Whether an expression holds an operation whose nodes the kernel counts (then the binding
/// ends would shift its pre-order indices in box coordinates).
fn counted(e: &Expr) -> bool {
    let mut at = 0;
    let any = |x: &Expr| is_case_op(x) || is_sqrt_product(x) || matches!(x, Expr::Sqrt(_));
    nth(e, &mut at, &any).is_some()
}

/// What a rewrite attempt gives: a proof tree, a confirmed witness, or nothing; and boxes.
pub(super) enum Attempt {
    Proved(ProofNode),
    Refuted(Witness),
    Open,
}

/// Tries one rewrite of conclusion `goal` and decides its children within `budget`.
pub(super) fn attempt(
    problem: &Problem,
    claim: &Claim,
    goal: usize,
    budget: &Budget,
    depth: u32,
) -> (Attempt, u64) {
    let n = claim.bindings.len();
    let ends = claim.bindings.iter().flat_map(|b| [&b.lo, &b.hi]);
    if depth >= MAX_DEPTH || claim.formula.is_some() {
        return (Attempt::Open, 0);
    }
    let (m, strict) = claim.goals[goal].margin();
    if ends.clone().any(counted) {
        return divide_by(problem, claim, goal, budget, depth);
    }
    // The kernel numbers the hidden width hypotheses first.
    let hidden = problem.hidden.len();
    let mut hyps: Vec<(Expr, bool)> = vec![(Expr::Const(Rational::from(1)), false); hidden];
    hyps.extend(claim.hyps.iter().map(Cond::margin));
    // Positivity on the root box, as the kernel tests it (constant ends only: the box is then
    // the claim's own domain).
    let lo: Vec<Rational> = problem.axes.iter().map(|a| a.lo.clone()).collect();
    let hi: Vec<Rational> = problem.axes.iter().map(|a| a.hi.clone()).collect();
    let lo_in: Vec<bool> = problem.axes.iter().map(|a| !a.lo_open).collect();
    let hi_in: Vec<bool> = problem.axes.iter().map(|a| !a.hi_open).collect();
    let positive = |p: &Poly| {
        let e = (hidden == 0).then(|| Expansion::new(p, &lo, &hi)).flatten();
        e.is_some_and(|e| e.proves_positive(&lo_in, &hi_in))
    };
    let Some(rule) = choose(&m, &hyps[hidden..], n, &positive) else {
        return divide_by(problem, claim, goal, budget, depth);
    };
    let rule = match rule {
        Rule::Clear { hyp } => Rule::Clear { hyp: hyp + hidden },
        r => r,
    };
    let Some(kids) = children(rule, &m, strict, &hyps, n, &positive) else {
        return (Attempt::Open, 0);
    };
    decide_children(claim, rule, kids, &m, budget, depth)
}

/// Points where a divisor is sampled before dividing by it: each axis at a quarter, the
/// middle and three quarters of the box.
const SAMPLES: [f64; 3] = [0.25, 0.5, 0.75];

/// The same under hypotheses, which only some points meet: tenths of the box.
const GUARDED_SAMPLES: [f64; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];

/// The first division of the margin (in box coordinates, as the kernel counts them) whose
/// divisor `d` is not constant and is `> 0` at the sample points where the hypotheses hold
/// (at least one), multiplied out by
/// the `divide_by` rule: `clear(m)` under `d > 0`, and `d > 0` as a claim of its own. Only
/// where the kernel's children, computed in box coordinates, are the claim's children carried
/// there (binding ends with divisions may shift the count or the shape).
fn divide_by(
    problem: &Problem,
    claim: &Claim,
    goal: usize,
    budget: &Budget,
    depth: u32,
) -> (Attempt, u64) {
    let n = claim.bindings.len();
    if n > 6 {
        return (Attempt::Open, 0);
    }
    let (m, strict) = claim.goals[goal].margin();
    let m_box = &problem.goals[goal].expr;
    let to_box = |e: &Expr| e.substitute(&problem.x_of_y);
    // where the hypotheses hold (a guard `x - y >= 0.1` makes `x - y` positive): a finer grid
    let samples: &[f64] = if problem.hyps.is_empty() {
        &SAMPLES
    } else {
        &GUARDED_SAMPLES
    };
    let positive_at_samples = |d: &Expr| {
        let tape = super::tape::Tape::compile(d, n);
        let mut scratch = Vec::new();
        let mut seen = false;
        let all = (0..samples.len().pow(n as u32)).all(|k| {
            let y: Vec<f64> = (0..n)
                .map(|i| {
                    let a = &problem.axes[i];
                    let f = samples[k / samples.len().pow(i as u32) % samples.len()];
                    a.lo_f + f * (a.hi_f - a.lo_f)
                })
                .collect();
            let holds = problem.hyps.iter().all(|h| {
                let v = h.tape.eval_f64(&y, &mut scratch);
                if h.strict {
                    v > 0.0
                } else {
                    v >= 0.0
                }
            });
            seen |= holds;
            !holds || tape.eval_f64(&y, &mut scratch) > 0.0
        });
        all && seen
    };
    for at in 0.. {
        let Some(Expr::Div(_, d_box)) = nth(m_box, &mut at.clone(), &is_div) else {
            return (Attempt::Open, 0);
        };
        if d_box.is_constant() || !positive_at_samples(d_box) {
            continue;
        }
        // The same division in the claim's own variables, and the kernel's children carried
        // back to them.
        let rule = Rule::DivideBy { at };
        let here = children(rule, m_box, strict, &[], n, &|_| false);
        let same_div = |j: &usize| match nth(&m, &mut j.clone(), &is_div) {
            Some(Expr::Div(_, d)) => to_box(d) == **d_box,
            _ => false,
        };
        let divs = (0..).take_while(|j| nth(&m, &mut j.clone(), &is_div).is_some());
        let Some(claim_at) = divs.clone().find(same_div) else {
            continue;
        };
        let kids = children(Rule::DivideBy { at: claim_at }, &m, strict, &[], n, &|_| {
            false
        });
        let (Some(here), Some(kids)) = (here, kids) else {
            continue;
        };
        let same = here.len() == kids.len()
            && here
                .iter()
                .zip(&kids)
                .all(|(a, b)| a.1 == to_box(&b.1) && a.2 == b.2);
        if same {
            return decide_children(claim, rule, kids, &m, budget, depth);
        }
    }
    (Attempt::Open, 0)
}

/// Decides the children of `rule` (in the claim's variables) as claims of their own.
fn decide_children(
    claim: &Claim,
    rule: Rule,
    kids: Vec<Child>,
    m: &Expr,
    budget: &Budget,
    depth: u32,
) -> (Attempt, u64) {
    let start = Instant::now();
    let (mut boxes, mut trees) = (0u64, Vec::new());
    let count = kids.len() as u32;
    for (k, (kid_hyps, margin, kid_strict)) in kids.into_iter().enumerate() {
        let added = kid_hyps.added.iter().map(|(h, s)| cond(h, *s));
        let conds: Option<Vec<Cond>> = added.collect();
        let (Some(conds), Some(concl)) = (conds, cond(&margin, kid_strict)) else {
            return (Attempt::Open, boxes);
        };
        let mut sub_claim = Claim {
            goals: vec![concl],
            formula: None,
            ..claim.clone()
        };
        if let Some((from, to)) = &kid_hyps.swap {
            for h in &mut sub_claim.hyps {
                h.lhs = replace(&h.lhs, from, to);
                h.rhs = replace(&h.rhs, from, to);
            }
        }
        sub_claim.hyps.extend(conds);
        let left = count - k as u32;
        let share = Budget {
            max_boxes: budget.max_boxes.saturating_sub(boxes) / u64::from(left),
            // The clock is not divided: a child that is quick leaves the rest to the next,
            // and verdicts depend on the boxes more than on the machine's load.
            timeout: budget.timeout.map(|t| t.saturating_sub(start.elapsed())),
        };
        // A child whose margin is unchanged is not rewritten again.
        let next = if margin == *m { MAX_DEPTH } else { depth + 1 };
        let o = decide(&sub_claim, &share, next, &mut None);
        boxes += o.boxes;
        match o.status {
            Status::Proved(mut p) if p.len() == 1 => trees.extend(p.pop()),
            Status::Refuted(w) => {
                let confirmed = w.recheck(claim).map(|failing| Witness { failing, ..w });
                return (confirmed.map_or(Attempt::Open, Attempt::Refuted), boxes);
            }
            _ => return (Attempt::Open, boxes),
        }
    }
    (
        Attempt::Proved(ProofNode::Branch(Branch::Rewrite(rule), trees)),
        boxes,
    )
}
