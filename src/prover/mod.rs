//! The prover: branch and bound over boxes with rigorous enclosures, exact refutation.

use crate::claim::Claim;
use rug::Rational;
use std::time::Duration;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Proved,
    Refuted,
    Unknown,
}

/// A refutation: exact values for every bound variable and the condition that fails there.
#[derive(Clone, Debug)]
pub struct Witness {
    /// `(variable name, exact value)` in binding order.
    pub values: Vec<(String, Rational)>,
    /// The source text of the conclusion that fails (or is undefined) at the witness.
    pub failing: String,
}

/// What the prover says of one claim.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub verdict: Verdict,
    pub witness: Option<Witness>,
    /// Boxes examined, summed over the conclusions.
    pub boxes: u64,
    /// Solve time in milliseconds.
    pub millis: f64,
    /// For `unknown`: which limit was hit and which box resisted.
    pub reason: Option<String>,
}

/// Decides one claim within the budget. Runs on the current rayon pool.
pub fn prove(claim: &Claim, budget: &Budget) -> Outcome {
    let _ = (claim, budget);
    todo!("prover under construction")
}
