//! Whether a claim's domain is empty, decided like a claim of its own.
//!
//! The domain (every binding and `where` hypothesis) is empty exactly when the *domain
//! question* `forall bindings, where hyps => false` holds. The prover decides it with its
//! usual machinery, the conclusion being `0 < 0`:
//!
//! - *non-empty*: a point of the domain, confirmed in exact arithmetic by `check_exact` (the
//!   question's "witness"), or the witness of a refutation of the claim itself;
//! - *empty*: constant ends with `lo > hi` (or `lo = hi` with an open end), exactly; or a
//!   branch and bound on the question in which every box is pruned because a hypothesis
//!   (a range's hidden `hi - lo >= 0`, or a `where` condition) certainly fails on it. Such a
//!   tree has only splits and pruned leaves (no method can show `0 > 0`), so it is also a
//!   proof of every conclusion, and the kernel checks it as the certificate's `emptiness`;
//! - *undecided*: neither within the budget.

use super::bnb::{self, Branch, GoalStatus, Method, ProofNode};
use super::domain::Problem;
use super::{refute, Witness};
use crate::claim::{Binding, Claim, Cond, RelOp};
use crate::expr::Expr;
use rug::Rational;
use std::time::Instant;

/// What is known of a claim's domain.
#[derive(Clone, Debug)]
pub enum Vacuity {
    /// Not vacuous: an exact point of the domain (every binding and hypothesis holds there).
    NonEmpty {
        /// `(variable, exact value)` in binding order; empty where the point is a
        /// refutation's witness at an irrational point (`Witness::surd`).
        point: Vec<(String, Rational)>,
    },
    /// Vacuous: the domain is proved empty. `why` names what excludes every point;
    /// `proof` is the pruning tree of the domain question (`None` when a binding with
    /// constant ends is empty, which the kernel sees itself).
    Empty {
        /// What excludes every point, in the user's words (`x in [1, 0] is empty`).
        why: String,
        /// The pruning tree of the domain question, for the certificate.
        proof: Option<ProofNode>,
    },
    /// Neither a point of the domain nor a proof of its emptiness was found.
    Undecided {
        /// Which limit stopped the search, and where.
        why: String,
    },
}

impl Vacuity {
    /// `Some(true)` if proved empty, `Some(false)` if shown non-empty, `None` if undecided.
    pub fn is_empty(&self) -> Option<bool> {
        match self {
            Vacuity::NonEmpty { .. } => Some(false),
            Vacuity::Empty { .. } => Some(true),
            Vacuity::Undecided { .. } => None,
        }
    }

    /// The point of the domain a refutation's witness is.
    pub fn of_witness(w: &Witness) -> Vacuity {
        Vacuity::NonEmpty {
            // (An irrational witness shows the domain non-empty without a rational point.)
            point: w
                .rational_point()
                .map_or_else(Vec::new, |_| w.values.clone()),
        }
    }
}

/// The domain question of `claim`: same bindings and hypotheses, the one conclusion `0 < 0`.
pub fn domain_claim(claim: &Claim) -> Claim {
    let zero = Expr::Const(Rational::new());
    let never = Cond {
        lhs: zero.clone(),
        op: RelOp::Lt,
        rhs: zero,
        text: "false".into(),
    };
    Claim {
        goals: vec![never],
        formula: None,
        ..claim.clone()
    }
}

/// The emptiness of a binding with constant ends, exactly (see `domain`).
pub fn constant_empty(claim: &Claim, problem: &Problem) -> Option<Vacuity> {
    let i = problem.empty?;
    let why = format!("{} is empty", binding_text(claim, i));
    Some(Vacuity::Empty { why, proof: None })
}

/// A point of the domain, if a short search finds one (no boxes spent).
pub fn find_point(claim: &Claim) -> Option<Vacuity> {
    let question = domain_claim(claim);
    let problem = Problem::new(&question);
    let w = refute::domain_point(&problem, &question)?;
    Some(Vacuity::of_witness(&w))
}

/// Decides the domain question by branch and bound with at most `max_boxes` boxes; returns
/// the answer and the boxes spent.
pub fn decide(claim: &Claim, max_boxes: u64, deadline: Option<Instant>) -> (Vacuity, u64) {
    let question = domain_claim(claim);
    let problem = Problem::new(&question);
    if let Some(v) = constant_empty(claim, &problem) {
        return (v, 0);
    }
    let r = bnb::run(&problem, &question, 0, max_boxes, deadline, true, None);
    let v = match r.status {
        GoalStatus::Proved(proof) => {
            let why = why_empty(claim, &problem, &proof);
            Vacuity::Empty {
                why,
                proof: Some(proof),
            }
        }
        GoalStatus::Refuted(w) => Vacuity::of_witness(&w),
        GoalStatus::Unknown(why) => {
            let reason = why.reason(&problem, &question, 0);
            Vacuity::Undecided {
                why: format!(
                    "no point of the domain found, and its emptiness not proved: {reason}"
                ),
            }
        }
    };
    (v, r.boxes)
}

/// `x in [1, 0]`: binding `i` as written (ends rendered from the resolved claim).
fn binding_text(claim: &Claim, i: usize) -> String {
    let names = claim.var_names();
    let b: &Binding = &claim.bindings[i];
    format!(
        "{} in {}{}, {}{}",
        b.name,
        if b.lo_closed { "[" } else { "(" },
        b.lo.plain_with(&names),
        b.hi.plain_with(&names),
        if b.hi_closed { "]" } else { ")" },
    )
}

/// What the pruned leaves of an emptiness proof rest on, in words.
fn why_empty(claim: &Claim, problem: &Problem, proof: &ProofNode) -> String {
    let mut used = Vec::new();
    pruning_hyps(proof, &mut used);
    used.sort_unstable();
    used.dedup();
    let hidden = problem.hidden.len();
    let ranges: Vec<String> = used
        .iter()
        .filter(|&&k| k < hidden)
        .map(|&k| binding_text(claim, problem.hidden[k]))
        .collect();
    let hyps: Vec<String> = used
        .iter()
        .filter(|&&k| k >= hidden)
        .map(|&k| format!("`{}`", claim.hyps[k - hidden].text))
        .collect();
    match (ranges.as_slice(), hyps.as_slice()) {
        ([range], []) => format!("{range} is empty"),
        ([], [hyp]) => format!("the hypothesis {hyp} never holds"),
        ([], _) => format!("the hypotheses {} never hold together", hyps.join(", ")),
        _ => {
            let all: Vec<String> = ranges.into_iter().chain(hyps).collect();
            format!("no point satisfies {}", all.join(", "))
        }
    }
}

/// The hypotheses the pruned leaves of `node` use.
fn pruning_hyps(node: &ProofNode, out: &mut Vec<usize>) {
    match node {
        ProofNode::Leaf(l) => {
            if let (Method::Pruned, Some(k)) = (l.method, l.hyp) {
                out.push(k);
            }
        }
        ProofNode::Branch(Branch::Split { .. } | Branch::Pin { .. }, kids) => {
            kids.iter().for_each(|k| pruning_hyps(k, out));
        }
        // A rewrite's children have hypotheses of their own.
        ProofNode::Branch(Branch::Rewrite(_), _) => {}
    }
}
