//! Output formats of `stabcert check`: text, JSON, JUnit.
//!
//! Every format renders the same data, a list of [`Checked`] claims, into a string; the caller
//! decides where it goes (stdout or a file written atomically).

mod json;
pub mod junit;
mod text;

use crate::claim::{Claim, Expect};
use crate::dynamics::Report;
use crate::prover::{Outcome, Vacuity, Verdict, Witness};

/// The report formats of `stabcert check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One line a claim and a summary, for people.
    Text,
    /// The documented JSON shape (`"version": 1`), for scripts.
    Json,
    /// JUnit XML: one testsuite a file, one testcase a claim, for CI dashboards.
    Junit,
}

/// A claim together with what the prover said of it.
#[derive(Clone, Debug)]
pub struct Checked<'a> {
    /// The claim as resolved from its file.
    pub claim: &'a Claim,
    /// The prover's verdict on it, with its witness, reason or proofs.
    pub outcome: Outcome,
}

impl Checked<'_> {
    /// The verdict the claim asks for (`expect proved` by default; `expect vacuous` asks for
    /// `proved` too).
    pub fn expected(&self) -> Verdict {
        match self.claim.expect {
            Expect::Proved | Expect::Vacuous => Verdict::Proved,
            Expect::Refuted => Verdict::Refuted,
        }
    }

    /// Whether the outcome is what the claim expects; `unknown` is never met.
    ///
    /// `expect proved` needs a proof over a domain shown non-empty (a vacuous proof, or one
    /// whose domain's emptiness is undecided, is unmet); `expect vacuous` needs the domain
    /// proved empty; `expect refuted` needs a refutation.
    pub fn is_met(&self) -> bool {
        let empty = self.outcome.vacuous.as_ref().and_then(Vacuity::is_empty);
        match (self.claim.expect, self.outcome.verdict) {
            (Expect::Refuted, Verdict::Refuted) => true,
            (Expect::Proved, Verdict::Proved) => empty == Some(false),
            (Expect::Vacuous, Verdict::Proved) => empty == Some(true),
            _ => false,
        }
    }
}

/// Verdict counts of a run; `unmet` counts claims whose verdict differs from their expectation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Claims proved.
    pub proved: usize,
    /// Claims refuted (each with an exactly re-checked witness).
    pub refuted: usize,
    /// Claims left unknown within the budget.
    pub unknown: usize,
    /// Claims whose verdict is not the one they expect (an unknown is always unmet).
    pub unmet: usize,
}

impl Summary {
    /// Counts the verdicts of `results`.
    pub fn of(results: &[Checked]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            match r.outcome.verdict {
                Verdict::Proved => s.proved += 1,
                Verdict::Refuted => s.refuted += 1,
                Verdict::Unknown => s.unknown += 1,
            }
            s.unmet += usize::from(!r.is_met());
        }
        s
    }
}

/// Renders a report; each format is one implementation.
pub trait Exporter {
    /// The whole report, ending with a newline.
    fn render(&self, results: &[Checked], systems: &[Report]) -> crate::Result<String>;
}

/// The exporter of a format.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Text => Box::new(text::TextExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Junit => Box::new(junit::JunitExporter),
    }
}

/// Renders `results` and the systems' reports in `format`.
pub fn render(format: Format, results: &[Checked], systems: &[Report]) -> crate::Result<String> {
    exporter(format).render(results, systems)
}

/// The lowercase name of a verdict, as in the JSON output.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Proved => "proved",
        Verdict::Refuted => "refuted",
        Verdict::Unknown => "unknown",
    }
}

/// The verdict with what is known of the domain: `proved (vacuous: x in [1, 0] is empty)`,
/// `proved (vacuity unknown)`, or the bare verdict.
pub fn verdict_text(outcome: &Outcome) -> String {
    let verdict = verdict_name(outcome.verdict);
    match (&outcome.vacuous, outcome.verdict) {
        (Some(Vacuity::Empty { why, .. }), Verdict::Proved) => {
            format!("{verdict} (vacuous: {why})")
        }
        (Some(Vacuity::Undecided { .. }), Verdict::Proved) => {
            format!("{verdict} (vacuity unknown)")
        }
        _ => verdict.to_string(),
    }
}

/// A witness's assignment as `u = 3/5, g = 25/24` (exact values, lowest terms).
pub fn assignment_text(w: &Witness) -> String {
    let parts: Vec<String> = w.values.iter().map(|(n, q)| format!("{n} = {q}")).collect();
    parts.join(", ")
}

/// A one-line account of why a claim is unmet or refuted: the witness and failing condition,
/// the reason of an `unknown`, or why a proof's domain is not known to be non-empty.
pub fn detail_text(outcome: &Outcome) -> Option<String> {
    match (&outcome.witness, &outcome.reason, &outcome.vacuous) {
        (Some(w), _, _) => Some(format!("at {}: fails {}", assignment_text(w), w.failing)),
        (None, Some(reason), _) => Some(reason.clone()),
        (None, None, Some(Vacuity::Undecided { why })) => Some(why.clone()),
        (None, None, _) => None,
    }
}
