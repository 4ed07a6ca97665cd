//! The prover: branch and bound over boxes with rigorous enclosures, exact refutation.
//!
//! What a `proved` rests on: inari's outward-rounded f64 interval operations (with
//! definedness tracked here, `tape`), rug's exact rationals (Bernstein, rational and convexity
//! steps, exact points), and the arguments written beside each step in `bnb` (mean value
//! theorem, monotonicity, Bernstein's range property, the S-procedure, tangent planes of a
//! convex function). What a `refuted` rests on: only `refute::check_exact`, which re-reads the
//! claim's bindings, hypotheses and conclusions at exact rationals (MPFR intervals of growing
//! precision through `sqrt`). Floats guide the search and never decide a verdict. Every
//! proof is also emitted as a tree (`ProofNode`) that the independent kernel re-checks.
//!
//! - `domain`: the claim as a box (dependent ranges reparametrised exactly);
//! - `tape`: compiled expressions, interval values and gradients;
//! - `bnb`: the branch and bound and its proof trees;
//! - `bernstein`, `exact`: exact expansions and evaluations;
//! - `refute`: witness search and exact confirmation;
//! - `rewrite`: exact rewrites (case splits of `abs`/`min`/`max`, squared `sqrt`
//!   comparisons, cleared denominators) into sub-claims, and `farkas`: affine margins as
//!   non-negative combinations of affine hypotheses; `handelman`: polynomial margins as
//!   non-negative combinations of products of box sides and hypotheses times fixed squares
//!   (an exact linear programme);
//! - `stop`: why a claim stays `unknown` ([`StopReason`]), in the claim's own variables;
//! - `vacuity`: whether the domain is empty, decided as a claim of its own.

mod algebraic;
pub(crate) mod bernstein;
mod bnb;
mod domain;
pub(crate) mod exact;
mod farkas;
pub mod formula;
mod handelman;
mod refute;
pub mod rewrite;
pub mod sos;
mod stop;
pub mod surd;
pub(crate) mod tape;
mod vacuity;

pub use bnb::{Branch, Leaf, Method, ProofNode};
pub use refute::{check_exact, simplest_between};
pub use stop::{Range, Remedy, Resisted, StopReason, VarRange};
pub use tape::enclose_rational;
pub use vacuity::{domain_claim, Vacuity};

use crate::claim::Claim;
use bnb::GoalStatus;
use domain::Problem;
use refute::Search;
use rug::Rational;
use std::time::{Duration, Instant};

/// Per-claim limits; exhausting one gives `unknown`.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Boxes the branch and bound may examine, summed over the claim's conclusions.
    pub max_boxes: u64,
    /// Wall-clock limit per claim.
    pub timeout: Option<Duration>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_boxes: 2_000_000,
            timeout: Some(Duration::from_secs(60)),
        }
    }
}

/// The three verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every conclusion holds on the whole domain, established rigorously.
    Proved,
    /// Some conclusion fails at an exact witness, re-checked in exact arithmetic.
    Refuted,
    /// Neither, within the budget.
    Unknown,
}

/// A refutation: exact values for every bound variable and the condition that fails there.
#[derive(Clone, Debug)]
pub struct Witness {
    /// `(variable name, exact value)` in binding order.
    pub values: Vec<(String, Rational)>,
    /// The source text of the conclusion that fails (or is undefined) at the witness.
    pub failing: String,
    /// For a witness at an irrational point, `(r, b)`: variable `i` is `values[i] + b[i]
    /// sqrt(r)` (`r > 0` not a rational square), confirmed exactly in `Q(sqrt(r))`
    /// (`surd`); `None` for a rational witness (`values` is the point).
    pub surd: Option<(Rational, Vec<Rational>)>,
}

impl Witness {
    /// The point, if it is rational.
    pub fn rational_point(&self) -> Option<Vec<Rational>> {
        let point = self.values.iter().map(|(_, q)| q.clone()).collect();
        self.surd.is_none().then_some(point)
    }

    /// `(name, exact value)`: `3/5`, or `1/2 + 3/2*sqrt(5)` at an irrational point.
    pub fn texts(&self) -> Vec<(String, String)> {
        let coeff = |i: usize| self.surd.as_ref().map(|(r, b)| (r, &b[i]));
        let text = |i: usize, a: &Rational| match coeff(i) {
            Some((r, b)) if *b != 0 => {
                let root = match (*b == 1, *b == -1) {
                    (true, _) => format!("sqrt({r})"),
                    (_, true) => format!("-sqrt({r})"),
                    _ => format!("{b}*sqrt({r})"),
                };
                match (*a == 0, root.strip_prefix('-')) {
                    (true, _) => root,
                    (false, Some(pos)) => format!("{a} - {pos}"),
                    (false, None) => format!("{a} + {root}"),
                }
            }
            _ => a.to_string(),
        };
        let values = self.values.iter().enumerate();
        values.map(|(i, (n, a))| (n.clone(), text(i, a))).collect()
    }

    /// The failing conclusion's text if the witness is one of `claim` (checked exactly).
    pub fn recheck(&self, claim: &Claim) -> Option<String> {
        match &self.surd {
            None => check_exact(claim, &self.rational_point()?),
            Some((r, b)) => {
                let x: Vec<surd::Surd> = (self.values.iter().zip(b))
                    .map(|((_, p), q)| surd::Surd {
                        p: p.clone(),
                        q: q.clone(),
                    })
                    .collect();
                surd::check(claim, &x, r)
            }
        }
    }
}

/// What the prover says of one claim.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The verdict with what it rests on; [`Outcome::verdict`] is read off it.
    pub status: Status,
    /// Boxes examined, summed over the conclusions.
    pub boxes: u64,
    /// Solve time in milliseconds.
    pub millis: f64,
    /// Whether the domain is empty: decided for `proved` claims (a refutation's witness
    /// shows it non-empty); `None` where not examined (`unknown`, or [`prove_conclusions`]).
    pub vacuous: Option<Vacuity>,
}

/// A verdict and what it rests on: an `unknown` always has its [`StopReason`], a `refuted`
/// its witness.
#[derive(Clone, Debug)]
pub enum Status {
    /// One proof tree per conclusion (none if the domain is empty).
    Proved(Vec<ProofNode>),
    /// The exact witness of a failing conclusion.
    Refuted(Witness),
    /// Which limit or obstacle stopped the search, on which conclusion, and where.
    Unknown(StopReason),
}

impl Outcome {
    /// The verdict, read off the status.
    pub fn verdict(&self) -> Verdict {
        match self.status {
            Status::Proved(_) => Verdict::Proved,
            Status::Refuted(_) => Verdict::Refuted,
            Status::Unknown(_) => Verdict::Unknown,
        }
    }

    /// For `refuted`: the witness.
    pub fn witness(&self) -> Option<&Witness> {
        match &self.status {
            Status::Refuted(w) => Some(w),
            _ => None,
        }
    }

    /// For `unknown`: which limit was hit and which box resisted.
    pub fn reason(&self) -> Option<&StopReason> {
        match &self.status {
            Status::Unknown(r) => Some(r),
            _ => None,
        }
    }

    /// For `proved`: one proof tree per conclusion (empty if the domain is empty).
    pub fn proofs(&self) -> &[ProofNode] {
        match &self.status {
            Status::Proved(p) => p,
            _ => &[],
        }
    }
}

/// Boxes of the first, short branch and bound of every conclusion.
const QUICK_BOXES: u64 = 4;

/// Boxes of the branch and bound before a sum-of-squares certificate is tried.
const SOS_AFTER: u64 = 300;

/// Decides one claim within the budget, and whether its domain is empty. Runs on the
/// current rayon pool.
///
/// The conclusions are decided by [`prove_conclusions`]. A refutation's witness is a point
/// of the domain; for a proof, the domain question of `vacuity` is decided: first a search
/// for an exact point of the domain (spends no boxes), then, if none is found, its branch
/// and bound with what is left of the budget (its boxes count in `boxes`).
pub fn prove(claim: &Claim, budget: &Budget) -> Outcome {
    let start = Instant::now();
    let mut outcome = prove_conclusions(claim, budget);
    outcome.vacuous = match &outcome.status {
        Status::Refuted(w) => Some(Vacuity::of_witness(w)),
        Status::Proved(_) if outcome.vacuous.is_none() => {
            let found = vacuity::find_point(claim);
            found.or_else(|| {
                let deadline = budget.timeout.and_then(|t| start.checked_add(t));
                let left = budget.max_boxes.saturating_sub(outcome.boxes);
                let (v, boxes) = vacuity::decide(claim, left, deadline);
                outcome.boxes += boxes;
                Some(v)
            })
        }
        _ => outcome.vacuous.take(),
    };
    outcome.millis = start.elapsed().as_secs_f64() * 1e3;
    outcome
}

/// Decides one claim within the budget, without examining whether its domain is empty
/// beyond constant ends (for callers that need only the verdict). Runs on the current
/// rayon pool.
///
/// Every conclusion is decided on its own: a short branch and bound, then a search for a
/// witness, then the branch and bound with the rest of the budget (it also probes for
/// witnesses). The claim is refuted if some conclusion is, proved if all are, and unknown
/// otherwise (with the first conclusion's reason). Every stage keeps to the claim's deadline.
pub fn prove_conclusions(claim: &Claim, budget: &Budget) -> Outcome {
    decide(claim, budget, 0, &mut None)
}

/// [`prove_conclusions`] for a claim with one conclusion, which a later call may continue:
/// where its last branch and bound stopped on the clock or the box budget, `paused` keeps
/// it, and a call with the same claim and `paused` goes on from there (the stages before
/// it, which ran in the first call, are skipped). `paused` is `None` after any other end.
pub(super) fn prove_resumable(
    claim: &Claim,
    budget: &Budget,
    paused: &mut Option<bnb::Paused>,
) -> Outcome {
    decide(claim, budget, 0, paused)
}

/// [`prove_conclusions`] inside `depth` rewrites (`rewrite`), resumable as
/// [`prove_resumable`].
fn decide(claim: &Claim, budget: &Budget, depth: u32, paused: &mut Option<bnb::Paused>) -> Outcome {
    let mut resumed = paused.take();
    let start = Instant::now();
    let deadline = budget.timeout.and_then(|t| start.checked_add(t));
    if !claim.unbounded.is_empty() {
        let why = StopReason::Unbounded(Resisted {
            conclusion: claim.unbounded.join(", "),
            region: Vec::new(),
            remedy: None,
        });
        return Outcome {
            status: Status::Unknown(why),
            boxes: 0,
            millis: start.elapsed().as_secs_f64() * 1e3,
            vacuous: None,
        };
    }
    let problem = Problem::new(claim);
    let resumable = problem.goals.len() == 1;
    resumed = resumed.filter(|_| resumable);
    let mut boxes = 0u64;
    let mut stop = None;
    let done = |status, boxes| Outcome {
        status,
        boxes,
        millis: start.elapsed().as_secs_f64() * 1e3,
        vacuous: None,
    };
    if let Some(empty) = vacuity::constant_empty(claim, &problem) {
        let mut outcome = done(Status::Proved(Vec::new()), 0);
        outcome.vacuous = Some(empty);
        return outcome;
    }
    if claim.formula.is_some() {
        return formula::prove(claim, budget, start);
    }
    // A short branch and bound with the cheap (float interval) steps settles most true
    // conclusions before a search for a witness is worth its cost; what it leaves open gets
    // the search, then the full branch and bound with the exact steps too.
    let mut proofs = Vec::new();
    let mut open = Vec::new();
    if resumed.is_some() {
        // The quick search and the witness search ran in the call that paused.
        open.push(0);
    } else {
        for goal in 0..problem.goals.len() {
            let quick = QUICK_BOXES.min(budget.max_boxes);
            let r = bnb::run(&problem, claim, goal, quick, deadline, false, None);
            boxes += r.boxes;
            match r.status {
                GoalStatus::Proved(p) => proofs.push((goal, p)),
                GoalStatus::Refuted(w) => return done(Status::Refuted(w), boxes),
                GoalStatus::Unknown(_) => open.push(goal),
            }
        }
        for &goal in &open {
            match refute::search(&problem, claim, goal, deadline) {
                Search::Found(w) => return done(Status::Refuted(w), boxes),
                Search::TimedOut => {
                    let sides = stop::whole_domain(&problem);
                    let at = stop::resisted(&problem, claim, goal, &sides);
                    return done(Status::Unknown(StopReason::Timeout(at)), boxes);
                }
                Search::NotFound => {}
            }
        }
    }
    for goal in open {
        // What a medium branch and bound leaves open gets a sum-of-squares attempt (a few
        // seconds at most), then the branch and bound goes on with the rest of the budget.
        // (Resumed: no boxes for the medium one, which ran in the call that paused; the
        // search stops at once, with the boxes to go on from.)
        let left = budget.max_boxes.saturating_sub(boxes);
        let medium = if resumed.is_some() {
            0
        } else {
            left.min(SOS_AFTER)
        };
        let from = resumed.take();
        let mut r = bnb::run(&problem, claim, goal, medium, deadline, true, from);
        boxes += r.boxes;
        if matches!(r.status, GoalStatus::Unknown(_)) {
            let affine = || farkas::prove(&problem, goal);
            let products = || handelman::prove(&problem, goal, deadline);
            let squares = || sos::prove(&problem, goal, deadline);
            // Handelman last: what the sum of squares proves keeps its certificate and time.
            let root_leaf = bnb::hyps_defined_on_root(&problem)
                .then(|| affine().or_else(squares).or_else(products));
            if let Some(c) = root_leaf.flatten() {
                proofs.push((goal, ProofNode::Leaf(Leaf::sos(c))));
                continue;
            }
            // An exact rewrite (case split, squaring, cleared denominator) gets half of
            // what is left, the branch and bound the rest.
            let left = budget.max_boxes.saturating_sub(boxes);
            let half = Budget {
                max_boxes: left / 2,
                timeout: deadline.map(|t| t.saturating_duration_since(Instant::now()) / 2),
            };
            match rewrite::attempt(&problem, claim, goal, &half, depth) {
                (rewrite::Attempt::Proved(p), b) => {
                    boxes += b;
                    proofs.push((goal, p));
                    continue;
                }
                (rewrite::Attempt::Refuted(w), b) => return done(Status::Refuted(w), boxes + b),
                (rewrite::Attempt::Open, b) => boxes += b,
            }
            let left = budget.max_boxes.saturating_sub(boxes);
            if left > 0 && deadline.is_none_or(|t| Instant::now() < t) {
                let from = r.paused.take();
                r = bnb::run(&problem, claim, goal, left, deadline, true, from);
                boxes += r.boxes;
            }
        }
        if resumable {
            *paused = r.paused.take();
        }
        if let GoalStatus::Unknown(why) = &r.status {
            // Where the boxes stalled, a witness at an irrational point.
            let x = problem.x_at(&why.centre());
            if let Some(w) = surd::search(claim, goal, &[x]) {
                return done(Status::Refuted(w), boxes);
            }
        }
        match r.status {
            GoalStatus::Refuted(w) => return done(Status::Refuted(w), boxes),
            GoalStatus::Unknown(why) if stop.is_none() => {
                stop = Some(why.reason(&problem, claim, goal));
            }
            GoalStatus::Unknown(_) => {}
            GoalStatus::Proved(p) => proofs.push((goal, p)),
        }
    }
    if let Some(why) = stop {
        return done(Status::Unknown(why), boxes);
    }
    proofs.sort_by_key(|(goal, _)| *goal);
    let proofs = proofs.into_iter().map(|(_, p)| p).collect();
    done(Status::Proved(proofs), boxes)
}

#[cfg(test)]
mod tests;
