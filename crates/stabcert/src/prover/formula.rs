//! Claims with Boolean structure (`and`, `or`, `not`; SMT-LIB assertions).
//!
//! A formula claim says that a formula `F` (negation normal form over comparisons) holds at
//! every point of the domain. `F` is put in conjunctive normal form; each clause
//! `l_1 or ... or l_k` is the ordinary claim `where not l_1, ..., not l_{k-1} => l_k` (with
//! the claim's own hypotheses), which the branch and bound decides three-valued on every box:
//! a box is settled when a negated literal certainly fails on it (the clause is true there by
//! an earlier literal) or `l_k` certainly holds. `F` is proved when every clause is (the
//! conjunction of the clauses is `F`); refuted when some clause has an exact witness at which
//! `F` itself is re-evaluated exactly and found false, every comparison it depends on defined.

use super::bnb::Paused;
use super::exact::{sign_at, Sign};
use super::stop::{Resisted, StopReason};
use super::{prove_resumable, Budget, Outcome, Status, Witness};
use crate::claim::{Claim, Cond, Formula, RelOp};
use crate::expr::Expr;
use rug::Rational;
use std::cmp::Ordering;
use std::time::{Duration, Instant};

/// One clause of a formula claim as an ordinary claim.
#[derive(Clone, Debug)]
pub struct ClauseClaim {
    /// The clause's comparisons (at least one holds at every point of the domain).
    pub literals: Vec<Cond>,
    /// Which literal is the sub-claim's conclusion; the others are negated hypotheses.
    pub goal: usize,
    /// `where HYPS, not l_i (i != goal) => l_goal`; for an empty clause, `=> 0 < 0`.
    pub claim: Claim,
}

/// The constant comparison `0 < 0` (false everywhere).
pub fn never() -> Cond {
    let zero = Expr::Const(Rational::new());
    Cond {
        lhs: zero.clone(),
        op: RelOp::Lt,
        rhs: zero,
        text: "false".into(),
    }
}

/// The clauses of a formula claim, each as a claim; `None` for a claim without a formula or
/// with too many clauses.
pub fn clause_claims(claim: &Claim) -> Option<Vec<ClauseClaim>> {
    let clauses = claim.formula.as_ref()?.clauses()?;
    let template = bare(claim);
    let out = clauses
        .into_iter()
        .map(|literals| clause_claim(claim, &template, literals))
        .collect();
    Some(out)
}

/// The claim without hypotheses, conclusions and formula (cloned once, not per clause).
fn bare(claim: &Claim) -> Claim {
    Claim {
        hyps: Vec::new(),
        goals: Vec::new(),
        formula: None,
        ..claim.clone()
    }
}

/// One clause as a claim (`template` from [`bare`]).
fn clause_claim(claim: &Claim, template: &Claim, literals: Vec<Cond>) -> ClauseClaim {
    let goal = literals.len().saturating_sub(1);
    let mut hyps = claim.hyps.clone();
    hyps.extend(
        literals
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != goal)
            .map(|(_, l)| l.negated()),
    );
    let conclusion = literals.get(goal).cloned().unwrap_or_else(never);
    let sub = Claim {
        hyps,
        goals: vec![conclusion],
        ..template.clone()
    };
    ClauseClaim {
        literals,
        goal,
        claim: sub,
    }
}

/// Clause `k` of [`Formula::clauses`], built alone: the clauses of an `and` one after the
/// other; those of an `or` one per choice of a clause of every part, the last part's
/// choice varying fastest. `k` must be below the clause count.
fn clause_at(f: &Formula, k: usize) -> Vec<Cond> {
    let mut out = Vec::new();
    push_clause(f, k, &mut out);
    out
}

fn push_clause(f: &Formula, mut k: usize, out: &mut Vec<Cond>) {
    match f {
        Formula::Atom(c) => out.push(c.clone()),
        Formula::And(fs) => {
            for part in fs {
                let c = part.clause_count().unwrap_or(0);
                if k < c {
                    return push_clause(part, k, out);
                }
                k -= c;
            }
        }
        Formula::Or(fs) => {
            let mut choice = vec![0; fs.len()];
            for (i, part) in fs.iter().enumerate().rev() {
                let c = part.clause_count().unwrap_or(1).max(1);
                choice[i] = k % c;
                k /= c;
            }
            for (part, j) in fs.iter().zip(choice) {
                push_clause(part, j, out);
            }
        }
    }
}

/// The text of a clause's conclusion (its last literal, `false` if empty).
fn conclusion_text(literals: &[Cond]) -> String {
    literals
        .last()
        .map_or_else(|| never().text, |l| l.text.clone())
}

/// The formula's value at an exact point: `Some(true/false)`, or `None` where it depends on a
/// comparison that is undefined or undecided there (Kleene's three-valued logic).
pub fn value_at(f: &Formula, point: &[Rational]) -> Option<bool> {
    match f {
        Formula::Atom(c) => {
            let (m, strict) = c.margin();
            match sign_at(&m, point) {
                Sign::Is(Ordering::Greater) => Some(true),
                Sign::Is(Ordering::Equal) => Some(!strict),
                Sign::Is(Ordering::Less) => Some(false),
                Sign::Undefined | Sign::Unknown => None,
            }
        }
        Formula::And(fs) | Formula::Or(fs) => {
            let and = matches!(f, Formula::And(_));
            let mut all = Some(and);
            for part in fs {
                match value_at(part, point) {
                    Some(v) if v != and => return Some(v),
                    Some(_) => {}
                    None => all = None,
                }
            }
            all
        }
    }
}

/// Decides a formula claim (`claim.formula` is `Some`); see the module's documentation.
pub(super) fn prove(claim: &Claim, budget: &Budget, start: Instant) -> Outcome {
    let deadline = budget.timeout.and_then(|t| start.checked_add(t));
    let done = |status, boxes| Outcome {
        status,
        boxes,
        millis: start.elapsed().as_secs_f64() * 1e3,
        vacuous: None,
    };
    // Each clause becomes a claim only when its turn comes before the deadline: formulas
    // with thousands of clauses must not spend the whole timeout (or more) being set up.
    let formula = claim.formula.as_ref();
    let Some((formula, count)) = formula.and_then(|f| Some(f).zip(f.clause_count())) else {
        let why = StopReason::NotDecided(Resisted {
            conclusion: "the conditions have too many clauses in conjunctive normal form".into(),
            region: Vec::new(),
            remedy: None,
        });
        return done(Status::Unknown(why), 0);
    };
    let left = |boxes: u64, share: u32| Budget {
        max_boxes: budget.max_boxes.saturating_sub(boxes) / u64::from(share),
        timeout: match deadline {
            Some(d) => Some(d.saturating_duration_since(Instant::now()) / share),
            None => budget.timeout.map(|t| t / share),
        },
    };
    // A first pass gives every clause a share of the budget, so that a refutable clause
    // late in the list is reached; a second gives what is left to the clauses still open,
    // each going on from where its search stopped.
    let n = u32::try_from(count).unwrap_or(u32::MAX).max(1);
    let mut boxes = 0u64;
    let template = bare(claim);
    let mut built: Vec<Option<ClauseClaim>> = vec![None; count];
    let mut trees: Vec<Option<super::ProofNode>> = vec![None; count];
    let mut stop: Vec<Option<StopReason>> = vec![None; count];
    // Where the first pass stopped a clause's search, the second goes on.
    let mut paused: Vec<Option<Paused>> = (0..count).map(|_| None).collect();
    'passes: for pass in 0..2 {
        for k in 0..count {
            if trees[k].is_some() || (pass == 1 && stop[k].is_none()) {
                continue;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                // Past the deadline no further clause is even built (on large formulas
                // that alone took long): the first open one has the timeout as its reason,
                // unless it has one already (only the first reason is reported).
                if stop[k].is_none() {
                    let literals = clause_at(formula, k);
                    stop[k] = Some(StopReason::Timeout(Resisted {
                        conclusion: conclusion_text(&literals),
                        region: Vec::new(),
                        remedy: None,
                    }));
                }
                break 'passes;
            }
            let c = built[k]
                .get_or_insert_with(|| clause_claim(claim, &template, clause_at(formula, k)));
            let share = if pass == 0 && n > 1 {
                2 * (n - k as u32)
            } else {
                1
            };
            let mut b = left(boxes, share.max(1));
            if pass == 0 && n > 1 {
                b.max_boxes = b.max_boxes.max(1);
                b.timeout = b.timeout.map(|t| t.max(Duration::from_millis(1)));
            }
            let o = prove_resumable(&c.claim, &b, &mut paused[k]);
            boxes += o.boxes;
            match o.status {
                Status::Proved(p) if p.is_empty() => {
                    // The domain is empty (constant ends): every clause holds vacuously.
                    let mut out = done(Status::Proved(Vec::new()), boxes);
                    out.vacuous = o.vacuous;
                    return out;
                }
                Status::Proved(mut p) => {
                    trees[k] = p.pop();
                    stop[k] = None;
                }
                Status::Refuted(w) => {
                    // (An irrational witness is not evaluated here: no witness.)
                    let point = w.rational_point().unwrap_or_default();
                    if w.surd.is_none() && value_at(formula, &point) == Some(false) {
                        let mut failing = formula.text();
                        if failing.chars().count() > 200 {
                            failing = failing.chars().take(200).collect::<String>() + "...";
                        }
                        let w = Witness {
                            values: w.values,
                            failing,
                            surd: None,
                        };
                        return done(Status::Refuted(w), boxes);
                    }
                    // A point where the clause fails only by being undefined: no witness.
                    stop[k] = Some(StopReason::UndecidedPoint(Resisted {
                        conclusion: c.claim.goals[0].text.clone(),
                        region: Vec::new(),
                        remedy: None,
                    }));
                }
                Status::Unknown(why) => stop[k] = Some(why),
            }
        }
    }
    if let Some(why) = stop.into_iter().flatten().next() {
        return done(Status::Unknown(why), boxes);
    }
    done(Status::Proved(trees.into_iter().flatten().collect()), boxes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(k: i64) -> Formula {
        let c = Expr::Const(Rational::from(k));
        Formula::Atom(Cond {
            lhs: Expr::Var(0),
            op: RelOp::Lt,
            rhs: c,
            text: format!("x < {k}"),
        })
    }

    #[test]
    fn clauses_built_one_at_a_time_are_those_of_the_whole_form() {
        use Formula::{And, Or};
        let f = And(vec![
            Or(vec![
                And(vec![atom(1), atom(2), atom(3)]),
                atom(4),
                And(vec![
                    atom(5),
                    Or(vec![atom(6), And(vec![atom(7), atom(8)])]),
                ]),
            ]),
            atom(9),
            Or(vec![And(vec![]), atom(10)]),
            Or(vec![
                And(vec![atom(11), atom(12)]),
                And(vec![atom(13), atom(14)]),
            ]),
        ]);
        let all = f.clauses().expect("few clauses");
        assert_eq!(f.clause_count(), Some(all.len()));
        // 3 * 3 for the first or, 1, none for the or with `true` in it, 2 * 2.
        assert_eq!(all.len(), 14);
        for (k, clause) in all.iter().enumerate() {
            let texts = |c: &[Cond]| c.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
            assert_eq!(texts(&clause_at(&f, k)), texts(clause), "clause {k}");
        }
        // Over the limit: no count.
        let wide = Or((0..13).map(|_| And(vec![atom(1), atom(2)])).collect());
        assert_eq!(wide.clause_count(), None);
        assert!(wide.clauses().is_none());
    }
}
