//! Refutation: look for a violating point in floating point, then snap it to short rationals
//! and confirm it exactly in the claim's own variables. Nothing here can make a claim
//! `refuted` without [`confirm`] succeeding in exact arithmetic.

use super::domain::Problem;
use super::exact::{eval_rational, sign_at, Sign};
use super::Witness;
use crate::claim::{Binding, Claim};
use crate::expr::poly::Poly;
use crate::expr::Expr;
use rug::Rational;
use std::cmp::Ordering;
use std::time::Instant;

/// A float point in box coordinates and how badly it seems to violate the goal.
#[derive(Clone, Debug)]
struct Probe {
    y: Vec<f64>,
    score: f64,
}

/// What the search for a witness came to.
#[derive(Debug)]
pub enum Search {
    Found(Witness),
    /// No witness confirmed within the search's budget.
    NotFound,
    /// The claim's deadline passed during the search.
    TimedOut,
}

/// Tape instructions the float search of one conclusion may evaluate. Small claims need a
/// few million; a claim whose expressions have tens of thousands of nodes gets fewer probes
/// instead of a search that runs for minutes. Fixed, so the search does not depend on the
/// machine.
pub const SEARCH_WORK: u64 = 1 << 26;

/// The search's limits: the work budget and the claim's deadline.
struct Limits {
    work_left: u64,
    /// Work per probe: every hypothesis and the goal evaluated once.
    probe_cost: u64,
    deadline: Option<Instant>,
    timed_out: bool,
}

impl Limits {
    /// [`SEARCH_WORK`] for probes that evaluate every hypothesis and, if given, `goal`.
    fn new(problem: &Problem, goal: Option<usize>, deadline: Option<Instant>) -> Limits {
        let hyps = problem.hyps.iter().map(|h| &h.tape);
        let probe_cost = hyps
            .chain(goal.map(|g| &problem.goals[g].tape))
            .map(|t| t.size() as u64)
            .sum::<u64>()
            .max(1);
        Limits {
            work_left: SEARCH_WORK,
            probe_cost,
            deadline,
            timed_out: false,
        }
    }

    /// Takes one probe's work; `false` once the budget or the time is used up.
    fn take(&mut self) -> bool {
        if self.timed_out || self.work_left < self.probe_cost {
            return false;
        }
        self.work_left -= self.probe_cost;
        // The clock is read every 64 probes' worth of work.
        if (self.work_left / self.probe_cost).is_multiple_of(64) && self.past_deadline() {
            return false;
        }
        true
    }

    fn past_deadline(&mut self) -> bool {
        self.timed_out |= self.deadline.is_some_and(|d| Instant::now() > d);
        self.timed_out
    }
}

/// Deterministic search for a witness of `goal` failing, within [`SEARCH_WORK`] and the
/// claim's deadline.
pub fn search(problem: &Problem, claim: &Claim, goal: usize, deadline: Option<Instant>) -> Search {
    let mut limits = Limits::new(problem, Some(goal), deadline);
    let mut probes = Vec::new();
    for y in starting_points(problem) {
        if !limits.take() {
            break;
        }
        probes.extend(probe(problem, goal, y));
    }
    probes.sort_by(|a, b| a.score.total_cmp(&b.score));
    probes.truncate(2);
    let mut tight = Vec::new();
    for p in probes {
        let best = descend(problem, goal, p, &mut limits);
        if limits.past_deadline() {
            return Search::TimedOut;
        }
        if best.score.abs() <= 1e-6 {
            tight.push(problem.x_at(&best.y));
        }
        // Within rounding of 0 (a tight true claim also gets here, and confirm() says no), or
        // a division whose zeros confirm() solves for.
        if best.score <= 1e-12 || problem.divides() {
            if let Some(w) = confirm(problem, claim, &best.y, deadline) {
                return Search::Found(w);
            }
        }
    }
    // A violation where a hypothesis is tight (on a circle, a line, a pair of hypotheses
    // that make an equality) is out of reach of probes that need every hypothesis to hold in
    // floats: minimise the merit instead, then snap (solving a hypothesis for a variable).
    if let Some(w) = search_merit(problem, claim, goal, deadline, &mut limits) {
        return Search::Found(w);
    }
    // Tight only at an irrational point: a witness in `Q(sqrt(r))`.
    if let Some(w) = super::surd::search(claim, goal, &tight) {
        return Search::Found(w);
    }
    match limits.past_deadline() {
        true => Search::TimedOut,
        false => Search::NotFound,
    }
}

/// The larger of the goal's margin and the hypotheses' largest violation at `y`: `< 0`
/// where the goal fails and every hypothesis holds strictly, about 0 where the goal fails
/// on a hypothesis's boundary. An undefined goal counts as failing.
fn merit(problem: &Problem, goal: usize, y: &[f64]) -> f64 {
    let m = problem.goals[goal].tape.eval_f64(y, &mut Vec::new());
    let m = if m.is_nan() { f64::NEG_INFINITY } else { m };
    m.max(violation(problem, y))
}

/// Minimises the goal's margin over points projected onto the hypotheses (so the search
/// follows a hypothesis's boundary, where pattern moves on [`merit`] stall), from the
/// starting points of least [`merit`]; confirms exactly the end points within rounding of a
/// violation, and the points just inside towards a strictly feasible start (a violation in
/// a thin lens by a tight inequality).
fn search_merit(
    problem: &Problem,
    claim: &Claim,
    goal: usize,
    deadline: Option<Instant>,
    limits: &mut Limits,
) -> Option<Witness> {
    if problem.hyps.is_empty() {
        return None;
    }
    let mut starts = Vec::new();
    for y in starting_points(problem) {
        if !limits.take() {
            return None;
        }
        let score = merit(problem, goal, &y);
        if score.is_finite() {
            starts.push(Probe { y, score });
        }
    }
    starts.sort_by(|a, b| a.score.total_cmp(&b.score));
    let inside = starts
        .iter()
        .find(|p| violation(problem, &p.y) < 0.0)
        .map(|p| p.y.clone());
    starts.truncate(1);
    let goal_at = |z: &[f64]| {
        let g = problem.goals[goal].tape.eval_f64(z, &mut Vec::new());
        (!g.is_nan()).then_some(g)
    };
    for p in starts {
        let score = |y: &[f64]| project(problem, y).and_then(|z| goal_at(&z));
        let Some(first) = score(&p.y) else { continue };
        let start = Probe {
            y: p.y,
            score: first,
        };
        let best = descend_by(problem, start, score, limits);
        let Some(y) = project(problem, &best.y) else {
            continue;
        };
        if limits.past_deadline() {
            return None;
        }
        let mut candidates = vec![y.clone()];
        if let Some(y0) = &inside {
            for t in [1e-12, 1e-10, 1e-8, 1e-6, 1e-4] {
                let yt: Vec<f64> = y.iter().zip(y0).map(|(a, b)| a + t * (b - a)).collect();
                if merit(problem, goal, &yt) < 0.0 {
                    candidates.push(yt);
                }
            }
        }
        for c in candidates {
            if merit(problem, goal, &c) <= 1e-9 {
                if let Some(w) = confirm(problem, claim, &c, deadline) {
                    return Some(w);
                }
            }
        }
    }
    None
}

/// Deterministic search for a point of the domain (every binding and hypothesis holds),
/// confirmed exactly; `claim` must be the domain question of [`super::vacuity`] (its one
/// conclusion is false everywhere, so `confirm` accepts exactly the points of the domain).
///
/// Floats only guide: the search minimises the largest violation of a hypothesis, which
/// drives it into the domain and then away from its boundary, where snapping to short
/// rationals is safe.
pub fn domain_point(problem: &Problem, claim: &Claim) -> Option<Witness> {
    let mut probes: Vec<Probe> = starting_points(problem)
        .into_iter()
        .map(|y| Probe {
            score: violation(problem, &y),
            y,
        })
        .collect();
    probes.sort_by(|a, b| a.score.total_cmp(&b.score));
    probes.truncate(3);
    for p in probes {
        if let Some(w) = confirm(problem, claim, &p.y, None) {
            return Some(w);
        }
        // The domain question's search: bounded like a witness search, without a deadline
        // (its caller bounds the boxes and time that follow).
        let mut limits = Limits::new(problem, None, None);
        let best = descend_by(problem, p, |y| Some(violation(problem, y)), &mut limits);
        if best.score <= 0.0 {
            if let Some(w) = confirm(problem, claim, &best.y, None) {
                return Some(w);
            }
        }
    }
    None
}

/// The largest violation `-h(y)` over the hypotheses (a NaN counts as `+inf`); `<= 0` where
/// every hypothesis seems to hold (`< 0` inside strict ones); `-inf` without hypotheses.
fn violation(problem: &Problem, y: &[f64]) -> f64 {
    let mut s = Vec::new();
    problem
        .hyps
        .iter()
        .map(|h| {
            let v = h.tape.eval_f64(y, &mut s);
            if v.is_nan() {
                f64::INFINITY
            } else {
                -v
            }
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The goal's float margin at `y`, if every hypothesis seems to hold there.
fn probe(problem: &Problem, goal: usize, y: Vec<f64>) -> Option<Probe> {
    let mut s = Vec::new();
    for h in &problem.hyps {
        let v = h.tape.eval_f64(&y, &mut s);
        if v.is_nan() || v < 0.0 || (h.strict && v == 0.0) {
            return None;
        }
    }
    let m = problem.goals[goal].tape.eval_f64(&y, &mut s);
    // An undefined goal is as good as a violated one: confirm() decides exactly.
    let score = if m.is_nan() { f64::NEG_INFINITY } else { m };
    Some(Probe { y, score })
}

/// `y` moved onto the hypotheses: Newton steps `z -= h(z) ∇h / |∇h|^2` (central
/// differences) on the most violated one, clamped to the box, until every hypothesis holds
/// within rounding; `None` where one is undefined or flat.
fn project(problem: &Problem, y: &[f64]) -> Option<Vec<f64>> {
    let mut z = y.to_vec();
    let mut s = Vec::new();
    for _ in 0..12 {
        let mut worst: Option<(usize, f64)> = None;
        for (k, h) in problem.hyps.iter().enumerate() {
            let v = h.tape.eval_f64(&z, &mut s);
            if v.is_nan() {
                return None;
            }
            if worst.is_none_or(|(_, w)| v < w) {
                worst = Some((k, v));
            }
        }
        let Some((k, v)) = worst.filter(|(_, v)| *v < -1e-13) else {
            return Some(z);
        };
        let tape = &problem.hyps[k].tape;
        let mut grad = vec![0.0; z.len()];
        for i in 0..z.len() {
            let e = 1e-7 * z[i].abs().max(1.0);
            let (mut up, mut down) = (z.clone(), z.clone());
            up[i] += e;
            down[i] -= e;
            grad[i] = (tape.eval_f64(&up, &mut s) - tape.eval_f64(&down, &mut s)) / (2.0 * e);
        }
        let norm: f64 = grad.iter().map(|g| g * g).sum();
        if !norm.is_normal() {
            return None;
        }
        for (i, a) in problem.axes.iter().enumerate() {
            z[i] = (z[i] - v * grad[i] / norm).clamp(a.lo_f, a.hi_f);
        }
    }
    None
}

/// Center, corners (pulled just inside open faces) and pseudo-random points of the box.
fn starting_points(problem: &Problem) -> Vec<Vec<f64>> {
    let n = problem.dim();
    let inside = |i: usize, t: f64| {
        let a = &problem.axes[i];
        let (lo, hi) = (a.lo.to_f64(), a.hi.to_f64());
        let x = lo + t * (hi - lo);
        let eps = 1e-9 * (hi - lo);
        x.clamp(
            lo + if a.lo_open { eps } else { 0.0 },
            hi - if a.hi_open { eps } else { 0.0 },
        )
    };
    let mut pts = vec![(0..n).map(|i| inside(i, 0.5)).collect::<Vec<_>>()];
    if n <= 10 {
        for mask in 0..(1usize << n) {
            pts.push((0..n).map(|i| inside(i, (mask >> i & 1) as f64)).collect());
        }
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..(16 * n.max(1)) {
        pts.push((0..n).map(|i| inside(i, next_unit(&mut state))).collect());
    }
    pts
}

/// xorshift64*: a fixed sequence, so searches are reproducible.
fn next_unit(state: &mut u64) -> f64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

/// Pattern search: move along each axis while the margin decreases, halving the step, as
/// long as `limits` allow.
fn descend(problem: &Problem, goal: usize, best: Probe, limits: &mut Limits) -> Probe {
    let score = |y: &[f64]| probe(problem, goal, y.to_vec()).map(|p| p.score);
    descend_by(problem, best, score, limits)
}

/// Pattern search minimising `score` (`None`: the point is not admissible), as long as
/// `limits` allow.
fn descend_by(
    problem: &Problem,
    mut best: Probe,
    score: impl Fn(&[f64]) -> Option<f64>,
    limits: &mut Limits,
) -> Probe {
    let n = problem.dim();
    let mut step: Vec<f64> = problem
        .axes
        .iter()
        .map(|a| (a.hi.to_f64() - a.lo.to_f64()) / 4.0)
        .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..200 {
        // Moves along each axis, and along one pseudo-random direction (which follows
        // violations that lie on a diagonal, e.g. along a `where` boundary).
        let random: Vec<f64> = (0..n).map(|_| 2.0 * next_unit(&mut state) - 1.0).collect();
        let mut directions: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|k| f64::from(u8::from(k == i))).collect())
            .collect();
        directions.push(random);
        let mut moved = false;
        for d in &directions {
            for sign in [-1.0, 1.0] {
                if !limits.take() {
                    return best;
                }
                let y: Vec<f64> = (0..n)
                    .map(|i| {
                        let a = &problem.axes[i];
                        (best.y[i] + sign * d[i] * step[i]).clamp(a.lo.to_f64(), a.hi.to_f64())
                    })
                    .collect();
                if let Some(score) = score(&y) {
                    if score < best.score {
                        best = Probe { y, score };
                        moved = true;
                    }
                }
            }
        }
        if !moved {
            step.iter_mut().for_each(|s| *s /= 2.0);
            if step
                .iter()
                .zip(&problem.axes)
                .all(|(s, a)| *s < 1e-15 * (a.hi_f - a.lo_f))
            {
                break;
            }
        }
    }
    best
}

/// Snaps `y` (box coordinates) to exact rationals in the claim's variables and confirms that
/// every binding and hypothesis holds and some conclusion fails there. Gives up (`None`)
/// once `deadline` has passed: exact values of large expressions are not cheap.
pub fn confirm(
    problem: &Problem,
    claim: &Claim,
    y: &[f64],
    deadline: Option<Instant>,
) -> Option<Witness> {
    let late = || deadline.is_some_and(|d| Instant::now() > d);
    let mut s = Vec::new();
    let x: Vec<f64> = problem
        .x_tapes
        .iter()
        .map(|t| t.eval_f64(y, &mut s))
        .collect();
    if x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let witness = |point: Vec<Rational>| {
        let failing = check_exact(claim, &point)?;
        let values = claim
            .bindings
            .iter()
            .map(|b| b.name.clone())
            .zip(point)
            .collect();
        Some(Witness {
            values,
            failing,
            surd: None,
        })
    };
    for tol in TOLERANCES {
        if late() {
            return None;
        }
        if let Some(w) = snap(problem, claim, y, &x, tol, None).and_then(witness) {
            return Some(w);
        }
    }
    // A violation only on the boundary `margin = 0` (a strict conclusion that is tight), or
    // where a denominator vanishes, is missed by rounding; where the margin (denominator) is
    // affine in one variable, solve for that variable exactly.
    // A hypothesis tight at the point (an equality written as two), affine in a variable,
    // is solved for it the same way.
    let hidden = problem.hidden.len();
    let hyp_polys: Vec<Option<Poly>> = claim
        .hyps
        .iter()
        .enumerate()
        .filter(|(k, _)| problem.hyps[hidden + k].tape.eval_f64(y, &mut s).abs() <= 1e-6)
        .map(|(_, h)| Poly::from_expr(&h.margin().0, claim.bindings.len()))
        .collect();
    for poly in problem.x_goal_polys().iter().chain(&hyp_polys) {
        let Some(poly) = poly else { continue };
        for i in (0..claim.bindings.len()).filter(|&i| solvable_for(claim, poly, i)) {
            for tol in SOLVE_TOLERANCES {
                if late() {
                    return None;
                }
                let solve = Solve { var: i, poly };
                if let Some(w) = snap(problem, claim, y, &x, tol, Some(&solve)).and_then(witness) {
                    return Some(w);
                }
            }
        }
    }
    None
}

/// Relative distances within which a float point is snapped to short rationals.
const TOLERANCES: [f64; 9] = [1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14, 0.0];
const SOLVE_TOLERANCES: [f64; 4] = [1e-3, 1e-6, 1e-9, 0.0];

/// Solve a conclusion's margin, a polynomial affine in variable `var`, for `var`.
struct Solve<'a> {
    var: usize,
    poly: &'a Poly,
}

/// Whether `poly` is affine in variable `i` and no later binding's range depends on `i`.
fn solvable_for(claim: &Claim, poly: &Poly, i: usize) -> bool {
    poly.degrees()[i] == 1
        && claim.bindings[i + 1..]
            .iter()
            .all(|b| !b.lo.uses_var(i) && !b.hi.uses_var(i))
}

/// Chooses, variable by variable, the simplest rational within `tol` (relative) of its
/// target that lies in its binding's range given the values already chosen; with `solve`,
/// that variable is then set to the exact root of the margin, affine in it.
///
/// The target of a reparametrised variable is recomputed from the exact values already
/// chosen (`lo + t (hi - lo)` with the search's `t`), so that snapping an earlier variable
/// does not push a later one out of its moving range.
fn snap(
    p: &Problem,
    claim: &Claim,
    y: &[f64],
    x: &[f64],
    tol: f64,
    solve: Option<&Solve>,
) -> Option<Vec<Rational>> {
    let mut point: Vec<Rational> = Vec::with_capacity(x.len());
    for (i, b) in claim.bindings.iter().enumerate() {
        let l = eval_rational(&b.lo, &point).ok();
        let h = eval_rational(&b.hi, &point).ok();
        let reparametrised = p.x_of_y[i] != Expr::Var(i);
        let target = match (&l, &h) {
            (Some(l), Some(h)) if reparametrised => {
                let t = Rational::from_f64(y[i])?;
                Rational::from(h - l) * t + l
            }
            _ => Rational::from_f64(x[i])?,
        };
        let r = Rational::from_f64(tol)? * target.clone().abs().max(Rational::from(1));
        let (mut lo, mut hi) = (Rational::from(&target - &r), Rational::from(&target + &r));
        // Clip to the binding's range where its ends are rational at this point.
        if let Some(l) = l {
            lo = lo.max(l);
        }
        if let Some(h) = h {
            hi = hi.min(h);
        }
        if lo > hi {
            return None;
        }
        let q = simplest_between(&lo, &hi);
        point.push(pull_inside(q, &lo, &hi, b, &point));
    }
    if let Some(s) = solve {
        // margin = a * x_var + b with a, b free of x_var.
        point[s.var] = Rational::new();
        let b = s.poly.eval(&point);
        let a = s.poly.derivative(s.var).eval(&point);
        if a == 0 {
            return None;
        }
        point[s.var] = -b / a;
    }
    Some(point)
}

/// If `q` sits on an open end of the binding, takes the simplest rational of the middle half
/// of `[lo, hi]` instead.
fn pull_inside(
    q: Rational,
    lo: &Rational,
    hi: &Rational,
    b: &Binding,
    prefix: &[Rational],
) -> Rational {
    let on = |e: &Expr| eval_rational(e, prefix).is_ok_and(|v| v == q);
    if ((!b.lo_closed && on(&b.lo)) || (!b.hi_closed && on(&b.hi))) && lo < hi {
        let quarter = Rational::from(hi - lo) / 4;
        return simplest_between(
            &Rational::from(lo + &quarter),
            &Rational::from(hi - &quarter),
        );
    }
    q
}

/// The failing conclusion's text if `point` satisfies every binding and hypothesis exactly
/// and some conclusion is false or undefined there.
pub fn check_exact(claim: &Claim, point: &[Rational]) -> Option<String> {
    for (i, b) in claim.bindings.iter().enumerate() {
        let below = Expr::sub(Expr::Var(i), b.lo.clone());
        let above = Expr::sub(b.hi.clone(), Expr::Var(i));
        if !holds(&below, !b.lo_closed, point)? || !holds(&above, !b.hi_closed, point)? {
            return None;
        }
    }
    for h in &claim.hyps {
        let (m, strict) = h.margin();
        if !holds(&m, strict, point)? {
            return None;
        }
    }
    claim.goals.iter().find_map(|g| {
        let (m, strict) = g.margin();
        match sign_at(&m, point) {
            Sign::Undefined => Some(format!("{} (undefined here)", g.text)),
            Sign::Is(Ordering::Less) => Some(g.text.clone()),
            Sign::Is(Ordering::Equal) if strict => Some(g.text.clone()),
            _ => None,
        }
    })
}

/// `Some(true)` if `m > 0` (`>= 0` when not strict) exactly at `point`; `Some(false)` if it
/// certainly fails; `None` if undecided or undefined (then the point is not a witness).
fn holds(m: &Expr, strict: bool, point: &[Rational]) -> Option<bool> {
    match sign_at(m, point) {
        Sign::Is(Ordering::Greater) => Some(true),
        Sign::Is(Ordering::Equal) => Some(!strict),
        Sign::Is(Ordering::Less) => Some(false),
        Sign::Undefined | Sign::Unknown => None,
    }
}

/// The rational with the smallest denominator (then numerator) in `[a, b]` (in `[b, a]` if
/// the ends come reversed: an empty range read from a user's bounds must not divide by zero).
pub fn simplest_between(a: &Rational, b: &Rational) -> Rational {
    if a > b {
        return simplest_between(b, a);
    }
    if *a <= 0 && *b >= 0 {
        return Rational::new();
    }
    if *b < 0 {
        return -simplest_between(&Rational::from(-b), &Rational::from(-a));
    }
    let fl = Rational::from(a.floor_ref());
    if fl == *a {
        return fl;
    }
    let next = Rational::from(&fl + 1);
    if next <= *b {
        return next;
    }
    // a, b lie in (fl, fl + 1): recurse on the reciprocals of the fractional parts.
    let inner = simplest_between(
        &Rational::from(b - &fl).recip(),
        &Rational::from(a - &fl).recip(),
    );
    fl + inner.recip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplest_between_takes_reversed_ends() {
        let q = |n: i64, d: u64| Rational::from((n, d));
        assert_eq!(simplest_between(&q(1, 2), &q(1, 3)), q(1, 2));
        assert_eq!(simplest_between(&q(-1, 3), &q(-1, 2)), q(-1, 2));
        assert_eq!(simplest_between(&q(1, 3), &q(1, 2)), q(1, 2));
    }

    #[test]
    fn limits_allow_the_work_budget_and_no_more() {
        let mut l = Limits {
            work_left: 1000,
            probe_cost: 10,
            deadline: None,
            timed_out: false,
        };
        assert_eq!((0..1000).take_while(|_| l.take()).count(), 100);
        // A passed deadline is noticed within 64 probes.
        let mut l = Limits {
            work_left: 1 << 20,
            probe_cost: 1,
            deadline: Some(Instant::now()),
            timed_out: false,
        };
        assert!((0..1000).take_while(|_| l.take()).count() < 64);
        assert!(l.timed_out && !l.take());
    }
}
