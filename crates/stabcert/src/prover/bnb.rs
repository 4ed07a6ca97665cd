//! Branch and bound over boxes for one conclusion `m > 0` (or `m >= 0`).
//!
//! Each box is closed by the first method that succeeds, cheapest first:
//! 1. a hypothesis certainly fails on it (pruned);
//! 2. the natural interval extension of `m` is positive;
//! 3. the mean-value form `m(c) + Σ ∂m/∂y_i (Y_i − c_i)` is positive;
//! 4. monotonicity: where `∂m/∂y_i` keeps its sign, the minimum lies on one face, and the
//!    box is replaced by that face (one dimension less; see [`pin_monotone`] for strictness);
//! 5. exact Bernstein expansion of a polynomial `m` (see `bernstein`);
//! 6. convexity of a polynomial `m` on the box (tangent planes at exact points).
//!
//! Otherwise the box is split in two. Boxes are processed a generation at a time, in
//! parallel, and merged in order, so the outcome does not depend on the number of threads.

use super::bernstein::{Estimate, Expansion};
use super::domain::{Axis, Problem};
use super::exact::{sign_at, Sign};
use super::refute;
use super::stop::{self, Kind, Side, StopReason};
use super::tape::{enclose_rational, midpoint, GradWork};
use super::Witness;

mod tangent;
mod taylor;
use crate::claim::Claim;
use inari::Interval;
use rayon::prelude::*;
use rug::Rational;
use std::cmp::Ordering;
use std::time::Instant;

/// Which end of its axis a box coordinate's end is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// A bisection point: an exact f64, interior to the domain, included.
    Cut,
    /// The domain's lower end (exact value `Axis::lo`).
    DomLo,
    /// The domain's upper end (exact value `Axis::hi`).
    DomHi,
}

#[derive(Clone, Debug)]
struct Coord {
    lo: f64,
    hi: f64,
    lo_end: End,
    hi_end: End,
    /// Fixed to one end by a monotonicity step: the face is part of this sub-problem.
    pinned: bool,
}

impl Coord {
    fn interval(&self) -> Interval {
        Interval::try_from((self.lo, self.hi)).unwrap_or(Interval::ENTIRE)
    }

    fn is_point(&self) -> bool {
        self.pinned || self.lo == self.hi
    }

    fn exact(end: End, v: f64, axis: &Axis) -> Rational {
        match end {
            End::Cut => Rational::from_f64(v).expect("cuts are finite"),
            End::DomLo => axis.lo.clone(),
            End::DomHi => axis.hi.clone(),
        }
    }

    fn exact_lo(&self, axis: &Axis) -> Rational {
        Coord::exact(self.lo_end, self.lo, axis)
    }

    fn exact_hi(&self, axis: &Axis) -> Rational {
        Coord::exact(self.hi_end, self.hi, axis)
    }

    /// Whether the lower face belongs to the domain (an open domain end does not).
    fn lo_included(&self, axis: &Axis) -> bool {
        self.pinned || !(self.lo_end == End::DomLo && axis.lo_open)
    }

    fn hi_included(&self, axis: &Axis) -> bool {
        self.pinned || !(self.hi_end == End::DomHi && axis.hi_open)
    }

    /// Fixes the coordinate at its lower (or upper) end.
    fn pin(&self, upper: bool, axis: &Axis) -> Coord {
        let end = if upper { self.hi_end } else { self.lo_end };
        let (lo, hi) = match end {
            End::Cut => {
                let v = if upper { self.hi } else { self.lo };
                (v, v)
            }
            // A domain end may not be an f64: keep its enclosure; `end` keeps it exact.
            End::DomLo | End::DomHi => {
                let e = enclose_rational(&Coord::exact(end, 0.0, axis));
                (e.inf(), e.sup())
            }
        };
        Coord {
            lo,
            hi,
            lo_end: end,
            hi_end: end,
            pinned: true,
        }
    }
}

/// A box with the hypotheses still undecided on it and the strictness still required.
#[derive(Clone, Debug)]
struct Item {
    coords: Vec<Coord>,
    hyps: Vec<usize>,
    strict: bool,
}

/// How a box was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A hypothesis certainly fails on the box (`Leaf::hyp`), so no point of it is in the domain.
    Pruned,
    /// The margin's interval enclosure is positive (non-negative if not strict).
    Interval,
    /// The mean-value form about `Leaf::centre` is positive (non-negative if not strict).
    MeanValue,
    /// The margin is a polynomial whose Bernstein coefficients on the box pass the sign test.
    Bernstein,
    /// The margin is a rational function `p/q`: `q²` and `p·q` pass the Bernstein test.
    Rational,
    /// `m - λ·h` (`λ` = `Leaf::multiplier`, `h` hypothesis `Leaf::hyp`) passes the Bernstein test.
    SProcedure,
    /// The margin is convex on the box (Hessian PSD) and its tangent bound is positive.
    Convex,
    /// Every coordinate is a point and the margin is positive there in exact arithmetic.
    ExactPoint,
    /// `margin - eps` is a sum of squares plus squares times non-negative factors (`sos`).
    Sos,
    /// Taylor's theorem at the corner `Leaf::centre` with a Hessian enclosure over the box.
    Tangent,
    /// Taylor's theorem of order `k` along the one moving axis at the end `c` (`Leaf::taylor`).
    Taylor,
}

enum Step {
    Closed(Leaf),
    Children(Branch, Vec<Item>),
    Refuted(Witness),
    Stuck(Kind),
}

impl Step {
    fn closed(method: Method) -> Step {
        Step::Closed(Leaf {
            method,
            hyp: None,
            centre: None,
            multiplier: None,
            sos: None,
            taylor: None,
        })
    }

    fn pruned(hyp: usize) -> Step {
        Step::Closed(Leaf {
            method: Method::Pruned,
            hyp: Some(hyp),
            centre: None,
            multiplier: None,
            sos: None,
            taylor: None,
        })
    }
}

/// How a box was closed, with what a checker needs to redo it.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// Which test closed the box.
    pub method: Method,
    /// For `pruned`: the hypothesis (index in the problem's list) that fails on the box.
    pub hyp: Option<usize>,
    /// For `mean_value`: the centre (`None` on point coordinates).
    pub centre: Option<Vec<Option<f64>>>,
    /// For `s_procedure`: the multiplier of hypothesis `hyp`.
    pub multiplier: Option<Rational>,
    /// For `sos`: the sum-of-squares identity.
    pub sos: Option<std::sync::Arc<super::sos::SosCert>>,
    /// For `taylor`: the point `c` (exact, one coordinate per axis) and the order `k`.
    pub taylor: Option<std::sync::Arc<(Vec<Rational>, usize)>>,
}

impl Leaf {
    /// A leaf closed by a sum-of-squares identity.
    pub fn sos(c: super::sos::SosCert) -> Leaf {
        Leaf {
            method: Method::Sos,
            hyp: None,
            centre: None,
            multiplier: None,
            sos: Some(std::sync::Arc::new(c)),
            taylor: None,
        }
    }
}

/// How a box was replaced by smaller ones.
#[derive(Clone, Debug)]
pub enum Branch {
    /// Bisection of `axis` at the f64 `at` (both halves include it).
    Split {
        /// The box coordinate cut.
        axis: usize,
        /// Where the cut is, in box coordinates (both halves include it).
        at: f64,
    },
    /// Monotonicity: each `(axis, upper)` pinned to that end; `strict` is what the face needs.
    Pin {
        /// `(axis, upper)`: the coordinate pinned, to its upper end if `upper`, else its lower.
        pins: Vec<(usize, bool)>,
        /// Whether the margin must be strictly positive on the face.
        strict: bool,
    },
    /// The margin replaced by the rule's children (`rewrite`), one proof each.
    Rewrite(super::rewrite::Rule),
}

/// A proof over the box coordinates: branches down to closed leaves.
#[derive(Clone, Debug)]
pub enum ProofNode {
    /// A box closed by one test.
    Leaf(Leaf),
    /// A box replaced by smaller ones, each with its own proof (two for a split, one face for a
    /// pin).
    Branch(Branch, Vec<ProofNode>),
}

enum Flat {
    Leaf(Leaf),
    Branch(Branch, Vec<usize>),
}

/// Nodes as they are created generation by generation, assembled into a tree at the end.
#[derive(Default)]
struct TreeBuilder {
    nodes: Vec<Option<Flat>>,
}

impl TreeBuilder {
    fn fresh(&mut self) -> usize {
        self.nodes.push(None);
        self.nodes.len() - 1
    }

    fn build(&mut self, id: usize) -> ProofNode {
        match self.nodes[id]
            .take()
            .expect("every node of a finished proof is closed")
        {
            Flat::Leaf(l) => ProofNode::Leaf(l),
            Flat::Branch(b, kids) => {
                ProofNode::Branch(b, kids.into_iter().map(|k| self.build(k)).collect())
            }
        }
    }
}

/// The result of the search for one conclusion.
pub struct GoalResult {
    pub status: GoalStatus,
    pub boxes: u64,
    /// For a search stopped by its clock or its box budget: where it stopped, to be
    /// resumed ([`run`]) instead of started again.
    pub paused: Option<Paused>,
}

/// A branch and bound stopped by its clock or box budget: the open boxes and the proof
/// built so far. Resumed only for the same claim and conclusion.
pub struct Paused {
    frontier: Vec<(usize, Item)>,
    tree: TreeBuilder,
}

/// What the search found for one conclusion.
pub enum GoalStatus {
    /// The proof tree over the box coordinates.
    Proved(ProofNode),
    Refuted(Witness),
    Unknown(Stopped),
}

/// Why and where the search for one conclusion stopped, in box coordinates.
pub struct Stopped {
    kind: Kind,
    sides: Vec<Side>,
}

impl Stopped {
    /// The centre of the box that resisted, in box coordinates.
    pub fn centre(&self) -> Vec<f64> {
        let mid = |s: &stop::Side| {
            s.point
                .as_ref()
                .map_or(0.5 * (s.lo + s.hi), Rational::to_f64)
        };
        self.sides.iter().map(mid).collect()
    }

    /// The reason in the claim's own variables (conclusion `goal` of `problem`).
    pub fn reason(&self, problem: &Problem, claim: &Claim, goal: usize) -> StopReason {
        self.kind
            .with(stop::resisted(problem, claim, goal, &self.sides))
    }
}

struct Ctx<'a> {
    problem: &'a Problem,
    claim: &'a Claim,
    goal: usize,
    deadline: Option<Instant>,
    /// Whether the exact (rational, costlier) polynomial steps are tried.
    exact: bool,
}

impl Ctx<'_> {
    /// Whether the claim's deadline has passed.
    fn late(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() > d)
    }
}

/// Runs the branch and bound for conclusion `goal` with at most `max_boxes` boxes (`exact`
/// enables the exact polynomial steps) over the whole domain, or (`from`) on from where an
/// earlier search for the same conclusion of the same claim stopped.
pub fn run(
    problem: &Problem,
    claim: &Claim,
    goal: usize,
    max_boxes: u64,
    deadline: Option<Instant>,
    exact: bool,
    from: Option<Paused>,
) -> GoalResult {
    let ctx = Ctx {
        problem,
        claim,
        goal,
        deadline,
        exact,
    };
    let Paused {
        mut frontier,
        mut tree,
    } = from.unwrap_or_else(|| {
        let root = Item {
            coords: problem.axes.iter().map(root_coord).collect(),
            hyps: (0..problem.hyps.len()).collect(),
            strict: problem.goals[goal].strict,
        };
        let mut tree = TreeBuilder::default();
        tree.nodes.push(None);
        Paused {
            frontier: vec![(0usize, root)],
            tree,
        }
    });
    let mut boxes = 0u64;
    // Out of boxes or time: the reason at the box that resists most, and the search kept.
    let pause = |boxes, kind, frontier: Vec<(usize, Item)>, tree| {
        let mut r = unknown(boxes, kind, &ctx, resisting(&ctx, &frontier));
        r.paused = Some(Paused { frontier, tree });
        r
    };
    while !frontier.is_empty() {
        if boxes + frontier.len() as u64 > max_boxes {
            return pause(boxes, Kind::BoxBudget, frontier, tree);
        }
        if ctx.late() {
            return pause(boxes, Kind::Timeout, frontier, tree);
        }
        boxes += frontier.len() as u64;
        let steps: Vec<Step> = frontier
            .par_iter()
            .map(|(_, it)| process(&ctx, it))
            .collect();
        let mut next = Vec::new();
        let mut stuck: Option<(Kind, &Item)> = None;
        let mut timed_out = Vec::new();
        for ((id, item), step) in frontier.iter().zip(steps) {
            match step {
                Step::Closed(leaf) => tree.nodes[*id] = Some(Flat::Leaf(leaf)),
                Step::Children(branch, c) => {
                    let ids: Vec<usize> = c.iter().map(|_| tree.fresh()).collect();
                    tree.nodes[*id] = Some(Flat::Branch(branch, ids.clone()));
                    next.extend(ids.into_iter().zip(c));
                }
                Step::Refuted(w) => {
                    let status = GoalStatus::Refuted(w);
                    let paused = None;
                    return GoalResult {
                        status,
                        boxes,
                        paused,
                    };
                }
                // The first obstacle that is not the deadline says most.
                Step::Stuck(kind) => {
                    if kind == Kind::Timeout {
                        timed_out.push((*id, item.clone()));
                    }
                    match stuck {
                        Some((Kind::Timeout, _)) | None if kind != Kind::Timeout => {
                            stuck = Some((kind, item));
                        }
                        None => stuck = Some((kind, item)),
                        _ => {}
                    }
                }
            }
        }
        match stuck {
            Some((Kind::Timeout, _)) => {
                // The boxes the clock stopped wait with the children of the others.
                let at = resisting(&ctx, &frontier);
                let mut r = unknown(boxes, Kind::Timeout, &ctx, at);
                next.extend(timed_out);
                r.paused = Some(Paused {
                    frontier: next,
                    tree,
                });
                return r;
            }
            Some((kind, item)) => return unknown(boxes, kind, &ctx, item),
            None => {}
        }
        frontier = next;
    }
    GoalResult {
        status: GoalStatus::Proved(tree.build(0)),
        boxes,
        paused: None,
    }
}

/// Whether every hypothesis is defined on the root box: the kernel rejects a leaf (sum of
/// squares, Farkas) on a box where a hypothesis may be undefined, such as the `sqrt(y) >= 0`
/// a `sqrt` rewrite adds for `y in [x, x]`, with `y = x + t (x - x)` and `x - x` enclosed as
/// `[-w, w]`.
pub(super) fn hyps_defined_on_root(problem: &Problem) -> bool {
    let bx: Vec<Interval> = problem
        .axes
        .iter()
        .map(|a| root_coord(a).interval())
        .collect();
    let mut scratch = Vec::new();
    problem
        .hyps
        .iter()
        .all(|h| h.tape.eval_interval(&bx, &mut scratch).1)
}

fn root_coord(a: &Axis) -> Coord {
    let coord = Coord {
        lo: a.lo_f,
        hi: a.hi_f,
        lo_end: End::DomLo,
        hi_end: End::DomHi,
        pinned: false,
    };
    // A one-point axis (`y4 in [3.01, 3.01]`) is a point, as the kernel reads it, even
    // where its value is no f64 (its float ends then differ): it is never split, pinned or
    // given a mean-value centre (which the kernel rejected on Flyspeck 50 and 52).
    if a.lo == a.hi {
        return coord.pin(false, a);
    }
    coord
}

fn unknown(boxes: u64, kind: Kind, ctx: &Ctx, item: &Item) -> GoalResult {
    let sides = item
        .coords
        .iter()
        .zip(&ctx.problem.axes)
        .map(|(c, a)| Side {
            lo: c.lo,
            hi: c.hi,
            point: c.is_point().then(|| c.exact_lo(a)),
            at_lo_end: c.lo_end == End::DomLo,
            at_hi_end: c.hi_end == End::DomHi,
            lo_open: !c.lo_included(a),
            hi_open: !c.hi_included(a),
        })
        .collect();
    GoalResult {
        status: GoalStatus::Unknown(Stopped { kind, sides }),
        boxes,
        paused: None,
    }
}

/// Boxes of a frontier looked at for the one that resists most.
const RESISTING_SCAN: usize = 4096;

/// The box of the frontier that resists most: the least margin at its centre (undefined
/// counts as least), the first such in order.
fn resisting<'f>(ctx: &Ctx, frontier: &'f [(usize, Item)]) -> &'f Item {
    let goal = &ctx.problem.goals[ctx.goal];
    let mut scratch = Vec::new();
    let mut best: Option<(f64, &Item)> = None;
    for (_, item) in frontier.iter().take(RESISTING_SCAN) {
        let centre: Vec<f64> = item
            .coords
            .iter()
            .map(|c| c.lo + (c.hi - c.lo) / 2.0)
            .collect();
        let m = goal.tape.eval_f64(&centre, &mut scratch);
        let m = if m.is_nan() { f64::NEG_INFINITY } else { m };
        if best.is_none_or(|(b, _)| m < b) {
            best = Some((m, item));
        }
    }
    best.map_or(&frontier[0].1, |(_, item)| item)
}

/// `iv > 0` (or `>= 0` when not strict) for every value it encloses.
fn positive(iv: Interval, strict: bool) -> bool {
    iv.inf() > 0.0 || (!strict && iv.inf() >= 0.0)
}

/// `iv <= 0` (`< 0` when not strict) for every value: the condition fails everywhere.
fn fails(iv: Interval, strict: bool) -> bool {
    iv.sup() < 0.0 || (strict && iv.sup() <= 0.0)
}

fn process(ctx: &Ctx, item: &Item) -> Step {
    if ctx.late() {
        return Step::Stuck(Kind::Timeout);
    }
    let bx: Vec<Interval> = item.coords.iter().map(Coord::interval).collect();
    let mut scratch = Vec::new();
    let mut work = GradWork::default();
    let mut active = Vec::new();
    let mut hyps_defined = true;
    for &h in &item.hyps {
        let hyp = &ctx.problem.hyps[h];
        let (iv, def) = hyp.tape.eval_interval(&bx, &mut scratch);
        let iv = if def && !fails(iv, hyp.strict) && !positive(iv, hyp.strict) {
            hyp_mean_value(hyp, &bx, &mut work, &mut scratch)
                .map(|mv| iv.intersection(mv))
                .filter(|both| !both.is_empty())
                .unwrap_or(iv)
        } else {
            iv
        };
        if def && fails(iv, hyp.strict) {
            return Step::pruned(h);
        }
        if !(def && positive(iv, hyp.strict)) {
            active.push(h);
            hyps_defined &= def;
        }
    }
    let goal = &ctx.problem.goals[ctx.goal];
    let (iv, def) = goal.tape.eval_interval(&bx, &mut scratch);
    if def && hyps_defined && positive(iv, item.strict) {
        return Step::closed(Method::Interval);
    }
    if item.coords.iter().all(Coord::is_point) {
        return exact_point(ctx, item, &active);
    }
    let item = Item {
        coords: item.coords.clone(),
        hyps: active,
        strict: item.strict,
    };
    let (centred, grad, gdef) = goal.tape.eval_gradient(&bx, &mut work);
    if gdef && hyps_defined {
        // The gradient pass's value is the natural enclosure met with the mean-value form
        // about the midpoint, node by node (the kernel meets every form with it too).
        let mut centre = midpoint_centre(&item);
        let mut form = centred;
        if !positive(form, item.strict) {
            // Baumann's centre, the best lower bound of all mean-value forms.
            let lower = lower_optimal_centre(ctx, &item, &grad);
            form = mean_value(ctx, &item, &grad, &lower).intersection(centred);
            centre = lower;
        }
        if positive(form, item.strict) {
            let centre = Some(centre);
            return Step::Closed(Leaf {
                method: Method::MeanValue,
                hyp: None,
                centre,
                multiplier: None,
                sos: None,
                taylor: None,
            });
        }
        if item.hyps.is_empty() {
            if let Some((pins, face)) = pin_monotone(ctx.problem, &item, &grad) {
                let strict = face.strict;
                return Step::Children(Branch::Pin { pins, strict }, vec![face]);
            }
        }
    }
    if ctx.exact {
        if let Some(h) = never_holds(ctx, &item, &bx) {
            return Step::pruned(h);
        }
    }
    if ctx.exact && hyps_defined {
        if let Some(method) = polynomial_step(ctx, &item) {
            return Step::closed(method);
        }
        if let Some((hyp, lambda)) = s_procedure(ctx, &item, &bx) {
            let (method, hyp, multiplier) = (Method::SProcedure, Some(hyp), Some(lambda));
            return Step::Closed(Leaf {
                method,
                hyp,
                centre: None,
                multiplier,
                sos: None,
                taylor: None,
            });
        }
    }
    // Margins that are rational functions have the exact steps above (and a Coq export);
    // the second-order leaf is for the rest (sqrt, transcendental functions).
    let beyond_rational = ctx.problem.goals[ctx.goal].rational().is_none();
    let mut square = false;
    if hyps_defined && beyond_rational {
        match tangent::try_leaf(ctx, &item) {
            Ok(leaf) => return Step::Closed(leaf),
            Err(tight) => square = tight,
        }
        if let Some(leaf) = taylor::try_leaf(ctx, &item) {
            return Step::Closed(leaf);
        }
    }
    if let Some(w) = probe_center(ctx, &item) {
        return Step::Refuted(w);
    }
    split(ctx, item, &grad, square)
}

/// The mean-value form of the goal over the box, centred at `centre` (a point of the box for
/// each coordinate that is not a point; `None` on point coordinates).
fn mean_value(ctx: &Ctx, item: &Item, grad: &[Interval], centre: &[Option<f64>]) -> Interval {
    let at: Vec<Interval> = item
        .coords
        .iter()
        .zip(centre)
        .map(|(c, m)| m.map_or(c.interval(), point))
        .collect();
    let goal = &ctx.problem.goals[ctx.goal];
    let (mut acc, def) = goal.tape.eval_interval(&at, &mut Vec::new());
    if !def {
        return Interval::ENTIRE;
    }
    for ((c, g), m) in item.coords.iter().zip(grad).zip(&at) {
        acc += *g * (c.interval() - *m);
    }
    acc
}

/// The box's midpoint as a mean-value centre: point coordinates keep their (exact) value.
fn midpoint_centre(item: &Item) -> Vec<Option<f64>> {
    item.coords
        .iter()
        .map(|c| (!c.is_point()).then(|| c.lo + (c.hi - c.lo) / 2.0))
        .collect()
}

/// Baumann's lower-optimal centre: per coordinate with derivative enclosure `[l, u]`, the
/// lower end where `l >= 0`, the upper where `u <= 0`, else `(u lo - l hi) / (u - l)`;
/// the midpoint where that is not an f64 inside the exact box (a domain end that is no f64).
/// Any centre in the box gives a valid mean-value form; this one maximises its lower end
/// (for `m(c)` fixed), which for margins that grow along an axis is worth a factor of two
/// in that axis's share.
fn lower_optimal_centre(ctx: &Ctx, item: &Item, grad: &[Interval]) -> Vec<Option<f64>> {
    item.coords
        .iter()
        .zip(grad)
        .zip(&ctx.problem.axes)
        .map(|((c, g), axis)| {
            if c.is_point() {
                return None;
            }
            let mid = c.lo + (c.hi - c.lo) / 2.0;
            let (l, u) = (g.inf(), g.sup());
            let v = if g.is_empty() || !l.is_finite() || !u.is_finite() {
                mid
            } else if l >= 0.0 {
                c.lo
            } else if u <= 0.0 {
                c.hi
            } else {
                ((u * c.lo - l * c.hi) / (u - l)).clamp(c.lo, c.hi)
            };
            let inside = |v: f64| {
                Rational::from_f64(v)
                    .is_some_and(|q| q >= c.exact_lo(axis) && q <= c.exact_hi(axis))
            };
            // A domain end that is no f64: a point just inside it.
            let nudged = v + (mid - v) * f64::EPSILON.sqrt();
            Some([v, nudged].into_iter().find(|v| inside(*v)).unwrap_or(mid))
        })
        .collect()
}

/// A hypothesis's mean-value form about the box's midpoint, for the boxes where its natural
/// enclosure leaves the sign open (the guards of a clause, such as `|N| < S` in dReal's
/// Flyspeck files, cut through the domain, and their natural enclosures of a degree-4
/// polynomial in six variables decide them only on tiny boxes). The kernel drops and
/// prunes by the same form about the exact midpoint, which the interval centre encloses.
/// `None` where the hypothesis may be undefined on the box.
fn hyp_mean_value(
    hyp: &super::domain::Margin,
    bx: &[Interval],
    work: &mut GradWork,
    scratch: &mut Vec<Interval>,
) -> Option<Interval> {
    let (_, grad, def) = hyp.tape.eval_gradient(bx, work);
    let mid: Vec<Interval> = bx.iter().map(|b| midpoint(*b)).collect();
    let (mut acc, at_mid) = hyp.tape.eval_interval(&mid, scratch);
    if !(def && at_mid) {
        return None;
    }
    for ((b, g), m) in bx.iter().zip(&grad).zip(&mid) {
        acc += *g * (*b - *m);
    }
    Some(acc)
}

fn point(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE)
}

/// Replaces the box by the face where the goal is smallest along every axis on which its
/// derivative keeps a sign.
///
/// Soundness: with `∂m/∂y_i >= 0` on the box, `m(y) >= m(y with y_i = lower end)` (mean
/// value theorem along the axis; the box is convex and `m` is defined on it). If moreover
/// `∂m/∂y_i > 0` and the lower end is an excluded face, every domain point has `y_i` above
/// it and the inequality is strict, so the face only needs `m >= 0`; otherwise the face
/// needs what the box needed.
fn pin_monotone(
    problem: &Problem,
    item: &Item,
    grad: &[Interval],
) -> Option<(Vec<(usize, bool)>, Item)> {
    let mut coords = item.coords.clone();
    let mut strict = item.strict;
    let mut pins = Vec::new();
    for (i, (c, g)) in item.coords.iter().zip(grad).enumerate() {
        if c.is_point() || g.is_empty() {
            continue;
        }
        let axis = &problem.axes[i];
        let (upper, strict_slope, excluded) = if g.inf() >= 0.0 {
            (false, g.inf() > 0.0, !c.lo_included(axis))
        } else if g.sup() <= 0.0 {
            (true, g.sup() < 0.0, !c.hi_included(axis))
        } else {
            continue;
        };
        if item.strict && excluded && !strict_slope {
            // The face would need `m > 0` where tight claims have `m = 0`: split instead.
            continue;
        }
        coords[i] = c.pin(upper, axis);
        strict &= !(strict_slope && excluded);
        pins.push((i, upper));
    }
    let face = Item {
        coords,
        hyps: Vec::new(),
        strict,
    };
    (!pins.is_empty()).then_some((pins, face))
}

/// Decides a box whose every coordinate is a single exact value.
fn exact_point(ctx: &Ctx, item: &Item, active: &[usize]) -> Step {
    let y: Vec<Rational> = item
        .coords
        .iter()
        .zip(&ctx.problem.axes)
        .map(|(c, a)| c.exact_lo(a))
        .collect();
    for &h in active {
        let hyp = &ctx.problem.hyps[h];
        match sign_at(&hyp.expr, &y) {
            Sign::Is(Ordering::Less) => return Step::pruned(h),
            Sign::Is(Ordering::Equal) if hyp.strict => return Step::pruned(h),
            Sign::Is(_) => {}
            Sign::Undefined | Sign::Unknown => return Step::Stuck(Kind::UndecidedHypothesis),
        }
    }
    match sign_at(&ctx.problem.goals[ctx.goal].expr, &y) {
        Sign::Is(Ordering::Greater) => Step::closed(Method::ExactPoint),
        Sign::Is(Ordering::Equal) if !item.strict => Step::closed(Method::ExactPoint),
        _ => {
            // The point may be a witness (a face that belongs to the domain): confirm() decides.
            let at: Option<Vec<f64>> = y.iter().map(|q| Some(q.to_f64())).collect();
            match at.and_then(|at| refute::confirm(ctx.problem, ctx.claim, &at, ctx.deadline)) {
                Some(w) => Step::Refuted(w),
                None if ctx.late() => Step::Stuck(Kind::Timeout),
                None => Step::Stuck(Kind::UndecidedPoint),
            }
        }
    }
}

/// A hypothesis that fails at every point of the box by Bernstein's range property: a
/// polynomial margin whose coefficients are all `< 0` (`<= 0` if the hypothesis is strict)
/// is so on the whole box. This prunes what intervals cannot, such as the hidden
/// hypothesis `x - x > 0` of `y in (x, x]` (an interval encloses `x - x` as `[-w, w]`).
/// Only hypotheses that seem to fail at the box's centre are expanded.
fn never_holds(ctx: &Ctx, item: &Item, bx: &[Interval]) -> Option<usize> {
    let centre: Vec<f64> = bx.iter().map(|iv| iv.mid()).collect();
    let axes = &ctx.problem.axes;
    let ends = |f: fn(&Coord, &Axis) -> Rational| -> Vec<Rational> {
        item.coords.iter().zip(axes).map(|(c, a)| f(c, a)).collect()
    };
    let mut scratch = Vec::new();
    let mut box_ends = None;
    item.hyps.iter().copied().find(|&k| {
        let hyp = &ctx.problem.hyps[k];
        let at_centre = hyp.tape.eval_f64(&centre, &mut scratch);
        if at_centre > 0.0 || (!hyp.strict && at_centre == 0.0) {
            return false;
        }
        let Some(poly) = hyp.poly() else {
            return false;
        };
        let (lo, hi) =
            box_ends.get_or_insert_with(|| (ends(Coord::exact_lo), ends(Coord::exact_hi)));
        // The expansion of `-h` in interval arithmetic first: every coefficient certainly
        // positive settles it (the exact ones are inside), a certainly negative one (with no
        // tight vertex) rules the exact test out.
        let iv = |q: &Vec<Rational>| q.iter().map(enclose_rational).collect::<Vec<_>>();
        match super::bernstein::interval_estimate(&poly.neg(), &iv(lo), &iv(hi)) {
            Some(Estimate::Positive) => return true,
            Some(Estimate::Hopeless) => return false,
            Some(Estimate::Open) | None => {}
        }
        Expansion::new_until(poly, lo, hi, ctx.deadline)
            .is_some_and(|e| e.coeffs.iter().all(|c| *c < 0 || (hyp.strict && *c == 0)))
    })
}

/// The exact polynomial steps over the box (hypotheses ignored, so they prove a superset):
/// Bernstein's test, then convexity where a vertex value is exactly 0 (the case it is for:
/// an interior zero of a non-negative polynomial that a cut has put on a vertex).
fn polynomial_step(ctx: &Ctx, item: &Item) -> Option<Method> {
    let goal = &ctx.problem.goals[ctx.goal];
    let axes = &ctx.problem.axes;
    let ends = |f: fn(&Coord, &Axis) -> Rational| -> Vec<Rational> {
        item.coords.iter().zip(axes).map(|(c, a)| f(c, a)).collect()
    };
    let (lo, hi) = (ends(Coord::exact_lo), ends(Coord::exact_hi));
    let faces = |f: fn(&Coord, &Axis) -> bool| -> Vec<bool> {
        item.coords.iter().zip(axes).map(|(c, a)| f(c, a)).collect()
    };
    let (lo_in, hi_in) = (faces(Coord::lo_included), faces(Coord::hi_included));
    let sign_ok = |p: &crate::expr::poly::Poly, strict: bool| {
        Expansion::new_until(p, &lo, &hi, ctx.deadline).map(|exp| {
            let ok = if strict {
                exp.proves_positive(&lo_in, &hi_in)
            } else {
                exp.proves_nonnegative()
            };
            (ok, exp)
        })
    };
    // The expansion in interval arithmetic first: it settles the test where every
    // coefficient is certainly positive, and shows it failing where one is certainly
    // negative and no vertex is tight (for the convexity step), without the thousands of
    // exact operations per box the exact expansion costs in many variables.
    let iv = |q: &Vec<Rational>| q.iter().map(enclose_rational).collect::<Vec<_>>();
    let (lo_i, hi_i) = (iv(&lo), iv(&hi));
    let Some(poly) = goal.poly() else {
        // A rational function p/q: where q != 0 it has the sign of p q. q^2 > 0 at every
        // domain point of the box (excluded faces may hold its zeros) makes it defined there.
        let r = goal.rational()?;
        let defined = sign_ok(&r.den.mul_bounded(&r.den)?, true)?.0;
        let signed = defined && sign_ok(&r.num.mul_bounded(&r.den)?, item.strict)?.0;
        return signed.then_some(Method::Rational);
    };
    match super::bernstein::interval_estimate(poly, &lo_i, &hi_i) {
        Some(Estimate::Positive) => return Some(Method::Bernstein),
        Some(Estimate::Hopeless) => return None,
        Some(Estimate::Open) | None => {}
    }
    let (proved, exp) = sign_ok(poly, item.strict)?;
    if proved {
        return Some(Method::Bernstein);
    }
    let tight_vertex = exp.min_vertex_value() == 0 && !ctx.late();
    (tight_vertex && convexity_proves(poly, &lo, &hi, item.strict)).then_some(Method::Convex)
}

/// The S-procedure with one hypothesis `h >= 0` still active on the box: if
/// `m - λ h >= 0` on the whole box for a constant `λ >= 0`, then `m >= λ h >= 0` wherever
/// `h` holds (`> 0` if `m - λ h > 0`, or if `h > 0` is required and `λ > 0`). This settles
/// conclusions tight on a `where` boundary once a cut puts the tight point on a vertex. `λ`
/// is read off the gradients at the box's centre (Lagrange's condition), then checked exactly.
fn s_procedure(ctx: &Ctx, item: &Item, bx: &[Interval]) -> Option<(usize, Rational)> {
    let goal = &ctx.problem.goals[ctx.goal];
    let m = goal.poly()?;
    let centre: Vec<Interval> = bx.iter().map(|iv| point(iv.mid())).collect();
    let mut work = GradWork::default();
    let (_, gm, _) = goal.tape.eval_gradient(&centre, &mut work);
    let axes = &ctx.problem.axes;
    let pairs = item.coords.iter().zip(axes);
    let (lo, hi): (Vec<Rational>, Vec<Rational>) = pairs
        .clone()
        .map(|(c, a)| (c.exact_lo(a), c.exact_hi(a)))
        .unzip();
    let (lo_in, hi_in): (Vec<bool>, Vec<bool>) = pairs
        .map(|(c, a)| (c.lo_included(a), c.hi_included(a)))
        .unzip();
    let dot = |a: &[Interval], b: &[Interval]| {
        a.iter().zip(b).map(|(x, y)| x.mid() * y.mid()).sum::<f64>()
    };
    for &k in &item.hyps {
        let hyp = &ctx.problem.hyps[k];
        let Some(h) = hyp.poly() else { continue };
        let (_, gh, _) = hyp.tape.eval_gradient(&centre, &mut work);
        let lambda = dot(&gm, &gh) / dot(&gh, &gh);
        if !(lambda.is_finite() && lambda > 0.0) {
            continue;
        }
        for tol in [1e-2, 1e-4, 0.0] {
            let a = Rational::from_f64(lambda * (1.0 - tol))?;
            let b = Rational::from_f64(lambda * (1.0 + tol))?;
            let l = refute::simplest_between(&a, &b);
            let scaled = h.mul(&crate::expr::poly::Poly::constant(h.nvars(), -l.clone()));
            let exp = Expansion::new_until(&m.add(&scaled), &lo, &hi, ctx.deadline)?;
            // With `h > 0` required and `λ > 0`, `m >= λ h > 0` needs only `m - λ h >= 0`.
            let strict = item.strict && !hyp.strict;
            let ok = if strict {
                exp.proves_positive(&lo_in, &hi_in)
            } else {
                exp.proves_nonnegative()
            };
            if ok {
                return Some((k, l));
            }
        }
    }
    None
}

/// Convexity: if the Hessian of a polynomial margin is positive semidefinite on the box, the
/// margin lies above its tangent plane at any point `c` of the box, so
/// `m(x) >= m(c) + Σ ∂m/∂x_i(c) (x_i - c_i) >= m(c) + Σ min over the box of each term`.
/// PSD is shown by Gershgorin on exact Bernstein bounds of the Hessian entries; `m(c)` and
/// the gradient at `c` (box vertices and centre) are exact. This settles non-negative
/// polynomials with interior zeros once a cut puts the zero on a vertex (e.g. Motzkin's).
fn convexity_proves(
    poly: &crate::expr::poly::Poly,
    lo: &[Rational],
    hi: &[Rational],
    strict: bool,
) -> bool {
    let n = lo.len();
    if n > 4 || !hessian_is_psd(poly, lo, hi) {
        return false;
    }
    let grads: Vec<_> = (0..n).map(|i| poly.derivative(i)).collect();
    let mut candidates: Vec<Vec<Rational>> = (0..1usize << n)
        .map(|mask| {
            (0..n)
                .map(|i| {
                    if mask >> i & 1 == 1 {
                        hi[i].clone()
                    } else {
                        lo[i].clone()
                    }
                })
                .collect()
        })
        .collect();
    candidates.push(
        lo.iter()
            .zip(hi)
            .map(|(a, b)| Rational::from(a + b) / 2)
            .collect(),
    );
    candidates.iter().any(|c| {
        let mut bound = poly.eval(c);
        for (i, g) in grads.iter().enumerate() {
            let d = g.eval(c);
            let (to_lo, to_hi) = (
                Rational::from(&lo[i] - &c[i]),
                Rational::from(&hi[i] - &c[i]),
            );
            bound += Rational::from(&d * &to_lo).min(d * to_hi);
        }
        bound > 0 || (!strict && bound == 0)
    })
}

/// Gershgorin with exact Bernstein bounds: every symmetric matrix with entries in the
/// Hessian's ranges over the box has `H_ii >= Σ_{j != i} |H_ij|`, hence is PSD.
fn hessian_is_psd(poly: &crate::expr::poly::Poly, lo: &[Rational], hi: &[Rational]) -> bool {
    let n = lo.len();
    let range = |p: &crate::expr::poly::Poly| {
        let e = Expansion::new(p, lo, hi)?;
        let min = e.coeffs.iter().min()?.clone();
        let max = e.coeffs.iter().max()?.clone();
        Some((min, max))
    };
    let first: Vec<_> = (0..n).map(|i| poly.derivative(i)).collect();
    (0..n).all(|i| {
        let Some((diag, _)) = range(&first[i].derivative(i)) else {
            return false;
        };
        let mut off = Rational::new();
        for j in (0..n).filter(|&j| j != i) {
            let Some((a, b)) = range(&first[i].derivative(j)) else {
                return false;
            };
            off += a.abs().max(b.abs());
        }
        diag >= off
    })
}

/// Tries the box's centre as a witness when the float margin there is not positive.
fn probe_center(ctx: &Ctx, item: &Item) -> Option<Witness> {
    let y: Vec<f64> = item
        .coords
        .iter()
        .map(|c| c.lo + (c.hi - c.lo) / 2.0)
        .collect();
    let mut s = Vec::new();
    let m = ctx.problem.goals[ctx.goal].tape.eval_f64(&y, &mut s);
    // Within rounding of 0 too: a violation exactly on a curve is found by confirm()'s exact
    // solve from a nearby point.
    if m > 1e-10 {
        return None;
    }
    let holds = |v: f64, strict: bool| v > 0.0 || (!strict && v == 0.0);
    let hyps_hold = ctx
        .problem
        .hyps
        .iter()
        .all(|h| holds(h.tape.eval_f64(&y, &mut s), h.strict));
    if !hyps_hold {
        return None;
    }
    refute::confirm(ctx.problem, ctx.claim, &y, ctx.deadline)
}

/// Bisects the coordinate with the largest `|∂m/∂y_i| · width` (widest if no gradient).
fn split(ctx: &Ctx, item: Item, grad: &[Interval], square: bool) -> Step {
    let axes = &ctx.problem.axes;
    // Scores compare smear first, then width relative to the domain's; at a tight corner
    // (`square`) the relative width alone, so that the box shrinks towards the corner on
    // every side and the tangent leaf's Hessian enclosure with it.
    let mut best: Option<((f64, f64), usize, f64)> = None;
    for (i, c) in item.coords.iter().enumerate() {
        let Some(m) = split_point(c, &axes[i]) else {
            continue;
        };
        let rel = (c.hi - c.lo) / (axes[i].hi_f - axes[i].lo_f).max(f64::MIN_POSITIVE);
        let smear = grad.get(i).map_or(0.0, |g| g.mag() * (c.hi - c.lo));
        let smear = if smear.is_nan() || square { 0.0 } else { smear };
        let score = (smear, rel);
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, i, m));
        }
    }
    let Some((_, i, m)) = best else {
        return Step::Stuck(Kind::NoProgress);
    };
    let mut left = item.clone();
    let mut right = item;
    left.coords[i].hi = m;
    left.coords[i].hi_end = End::Cut;
    right.coords[i].lo = m;
    right.coords[i].lo_end = End::Cut;
    Step::Children(Branch::Split { axis: i, at: m }, vec![left, right])
}

/// A cut strictly inside the coordinate and inside the exact domain: the dyadic with the
/// fewest bits in its middle half. Short cuts land on small rationals such as 0 or 1, where
/// interior zeros of a margin then sit on a vertex (Bernstein settles those exactly), and
/// keep certificates short.
fn split_point(c: &Coord, axis: &Axis) -> Option<f64> {
    if c.is_point() {
        return None;
    }
    let w = c.hi - c.lo;
    let tiny = 1e-13 * c.lo.abs().max(c.hi.abs()).max(1.0);
    if !w.is_finite() || w < tiny {
        return None;
    }
    let m = short_dyadic(c.lo + w / 4.0, c.hi - w / 4.0);
    if !(m > c.lo && m < c.hi) {
        return None;
    }
    let q = Rational::from_f64(m)?;
    let inside = (c.lo_end != End::DomLo || q > axis.lo) && (c.hi_end != End::DomHi || q < axis.hi);
    inside.then_some(m)
}

/// The multiple of the largest power of two that lies in `[a, b]` (0 if it does).
fn short_dyadic(a: f64, b: f64) -> f64 {
    if a <= 0.0 && b >= 0.0 {
        return 0.0;
    }
    let mut step = 2f64.powi((b - a).log2().floor() as i32 + 1);
    loop {
        let m = (a / step).ceil() * step;
        if m <= b || step < f64::MIN_POSITIVE {
            return m;
        }
        step /= 2.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::poly::Poly;
    use crate::expr::Expr;

    fn poly(e: &Expr, n: usize) -> Poly {
        Poly::from_expr(e, n).expect("polynomial")
    }

    fn r(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn concave_margins_are_not_taken_for_convex() {
        // 1/5 - (x - 1/2)^2: its tangent at 1/2 is 1/5 > 0, yet it is -1/20 at 0.
        let x = Expr::sub(Expr::Var(0), Expr::constant(r(1, 2)));
        let e = Expr::sub(Expr::constant(r(1, 5)), Expr::Pow(Box::new(x), 2));
        assert!(!hessian_is_psd(&poly(&e, 1), &[r(0, 1)], &[r(1, 1)]));
        // x^2 y^2 - x y is not convex near 0 (off-diagonal beats diagonal).
        let (x, y) = (Expr::Var(0), Expr::Var(1));
        let e = Expr::sub(
            Expr::mul(
                Expr::Pow(Box::new(x.clone()), 2),
                Expr::Pow(Box::new(y.clone()), 2),
            ),
            Expr::mul(x, y),
        );
        assert!(!hessian_is_psd(
            &poly(&e, 2),
            &[r(0, 1), r(0, 1)],
            &[r(1, 10), r(1, 10)]
        ));
    }

    #[test]
    fn convex_margins_are_recognised() {
        let (x, y) = (Expr::Var(0), Expr::Var(1));
        let e = Expr::add(
            Expr::Pow(Box::new(x.clone()), 2),
            Expr::add(Expr::Pow(Box::new(y.clone()), 2), Expr::mul(x, y)),
        );
        assert!(hessian_is_psd(
            &poly(&e, 2),
            &[r(-1, 1), r(-1, 1)],
            &[r(1, 1), r(1, 1)]
        ));
    }

    #[test]
    fn short_dyadics_prefer_small_numbers() {
        assert_eq!(short_dyadic(-1.0, 3.0), 0.0);
        assert_eq!(short_dyadic(0.75, 2.25), 2.0);
        assert_eq!(short_dyadic(0.5, 1.5), 1.0);
        assert_eq!(short_dyadic(0.3, 0.45), 0.375);
    }
}
