//! Output formats of `stabcert check`: text, JSON, JUnit.
//!
//! Every format renders the same data, a list of [`Checked`] claims, into a string; the caller
//! decides where it goes (stdout or a file written atomically).

mod json;
pub mod junit;
mod progress;
mod text;

pub use progress::Progress;

use crate::claim::{Claim, Expect};
use crate::dynamics::Report;
use crate::prover::{Outcome, Verdict, Witness};

/// The report formats of `stabcert check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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
    pub claim: &'a Claim,
    pub outcome: Outcome,
}

impl Checked<'_> {
    /// The verdict the claim asks for (`expect proved` by default).
    pub fn expected(&self) -> Verdict {
        match self.claim.expect {
            Expect::Proved => Verdict::Proved,
            Expect::Refuted => Verdict::Refuted,
        }
    }

    /// Whether the verdict equals the expectation; `unknown` is never met.
    pub fn is_met(&self) -> bool {
        self.outcome.verdict() == self.expected()
    }
}

/// Verdict counts of a run; `unmet` counts claims whose verdict differs from their expectation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub proved: usize,
    pub refuted: usize,
    pub unknown: usize,
    pub unmet: usize,
}

impl Summary {
    /// Counts the verdicts of `results`.
    pub fn of(results: &[Checked]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            match r.outcome.verdict() {
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
    fn render(&self, results: &[Checked], systems: &[Report]) -> anyhow::Result<String>;
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
pub fn render(format: Format, results: &[Checked], systems: &[Report]) -> anyhow::Result<String> {
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

/// A witness's assignment as `u = 3/5, g = 25/24` (exact values, lowest terms).
pub fn assignment_text(w: &Witness) -> String {
    let parts: Vec<String> = w.values.iter().map(|(n, q)| format!("{n} = {q}")).collect();
    parts.join(", ")
}

/// A one-line account of why a claim is unmet or refuted: the witness and failing condition,
/// or the reason of an `unknown`.
pub fn detail_text(outcome: &Outcome) -> Option<String> {
    match (&outcome.witness(), &outcome.reason()) {
        (Some(w), _) => Some(format!("at {}: fails {}", assignment_text(w), w.failing)),
        (None, Some(reason)) => Some(reason.to_string()),
        (None, None) => None,
    }
}
