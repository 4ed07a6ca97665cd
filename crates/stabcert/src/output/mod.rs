//! Output formats of `stabcert check`: text, JSON, JUnit.
//!
//! Every format renders the same data into a string: the claims' results as [`ClaimRow`]s and
//! the systems' analyses as [`SystemRow`]s, plain data that a sharded run's JSON carries in full
//! (so `stabcert merge` prints exactly what one run prints). The caller decides where the
//! string goes (stdout or a file written atomically).

pub(crate) mod json;
pub mod junit;
mod text;

mod progress;
pub use progress::Progress;

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
        expected_verdict(self.claim.expect)
    }

    /// Whether the outcome is what the claim expects; `unknown` is never met.
    ///
    /// `expect proved` needs a proof over a domain shown non-empty (a vacuous proof, or one
    /// whose domain's emptiness is undecided, is unmet); `expect vacuous` needs the domain
    /// proved empty; `expect refuted` needs a refutation; an SMT-LIB `:status unsat` needs a
    /// proof, the domain empty or not.
    pub fn is_met(&self) -> bool {
        let empty = self.outcome.vacuous.as_ref().and_then(Vacuity::is_empty);
        meets(self.claim.expect, self.outcome.verdict(), empty)
    }
}

/// The verdict `expect` asks for (`expect vacuous` and `:status unsat` ask for `proved`).
pub fn expected_verdict(expect: Expect) -> Verdict {
    match expect {
        Expect::Proved | Expect::Vacuous | Expect::Unsat => Verdict::Proved,
        Expect::Refuted => Verdict::Refuted,
    }
}

/// Whether `verdict` is what `expect` asks for, `empty` saying whether the domain was proved
/// empty (`Some(true)`), shown non-empty (`Some(false)`) or neither (`None`).
fn meets(expect: Expect, verdict: Verdict, empty: Option<bool>) -> bool {
    match (expect, verdict) {
        (Expect::Refuted, Verdict::Refuted) => true,
        (Expect::Proved, Verdict::Proved) => empty == Some(false),
        (Expect::Vacuous, Verdict::Proved) => empty == Some(true),
        (Expect::Unsat, Verdict::Proved) => true,
        _ => false,
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
        Summary::count(results.iter().map(|r| (r.outcome.verdict(), r.is_met())))
    }

    /// Counts the verdicts of rows.
    pub fn of_rows(rows: &[ClaimRow]) -> Summary {
        Summary::count(rows.iter().map(|r| (r.verdict, r.is_met())))
    }

    /// Counts (verdict, met) pairs.
    fn count(verdicts: impl Iterator<Item = (Verdict, bool)>) -> Summary {
        let mut s = Summary::default();
        for (verdict, met) in verdicts {
            match verdict {
                Verdict::Proved => s.proved += 1,
                Verdict::Refuted => s.refuted += 1,
                Verdict::Unknown => s.unknown += 1,
            }
            s.unmet += usize::from(!met);
        }
        s
    }
}

/// A claim's result as plain data: everything any format prints of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    /// The claim's place in the document (from 0).
    pub index: usize,
    /// The file that states it.
    pub file: String,
    /// The claim's name.
    pub name: String,
    /// The claim's description, `""` when it has none.
    pub description: String,
    /// What the claim expects.
    pub expect: Expect,
    /// What the prover said.
    pub verdict: Verdict,
    /// The witness's exact values (`"3/5"`), in binding order.
    pub witness: Option<Vec<(String, String)>>,
    /// The conclusion that fails at the witness.
    pub failing: Option<String>,
    /// Why the verdict is `unknown`.
    pub reason: Option<String>,
    /// What is known of the domain, as the JSON report writes it: `true` (proved empty),
    /// `false` (shown non-empty), `"unknown"`, or `null` (not examined).
    pub vacuous: serde_json::Value,
    /// Why the domain is empty, or why its emptiness is undecided.
    pub vacuous_reason: Option<String>,
    /// Boxes examined.
    pub boxes: u64,
    /// Solve time in milliseconds.
    pub millis: f64,
    /// Line of the claim in its file (from 1).
    pub line: usize,
    /// Column of the claim in its line (from 1).
    pub col: usize,
    /// The claim's source text.
    pub source: String,
}

impl ClaimRow {
    /// The row of `r`, the claim number `index` of its document.
    pub fn new(index: usize, r: &Checked) -> ClaimRow {
        let (c, o) = (r.claim, &r.outcome);
        ClaimRow {
            index,
            file: c.file.display().to_string(),
            name: c.name.clone(),
            description: c.description.clone().unwrap_or_default(),
            expect: c.expect,
            verdict: o.verdict(),
            witness: o.witness().map(|w| {
                // rug prints a Rational in lowest terms: `-3/5`, or `7` when it is an integer.
                w.texts().into_iter().collect()
            }),
            failing: o.witness().map(|w| w.failing.clone()),
            reason: o.reason().map(ToString::to_string),
            vacuous: json::vacuous_json(o.vacuous.as_ref()),
            vacuous_reason: match &o.vacuous {
                Some(Vacuity::Empty { why, .. } | Vacuity::Undecided { why }) => Some(why.clone()),
                _ => None,
            },
            boxes: o.boxes,
            millis: o.millis,
            line: c.pos.line,
            col: c.pos.col,
            source: c.source.clone(),
        }
    }

    /// The verdict the claim asks for (`expect vacuous` asks for `proved`).
    pub fn expected(&self) -> Verdict {
        expected_verdict(self.expect)
    }

    /// Whether the outcome is what the claim expects, as [`Checked::is_met`] says.
    pub fn is_met(&self) -> bool {
        meets(self.expect, self.verdict, self.vacuous.as_bool())
    }

    /// The verdict with what is known of the domain, as [`verdict_text`] says.
    pub fn verdict_text(&self) -> String {
        let verdict = verdict_name(self.verdict);
        let why = self.vacuous_reason.as_deref().unwrap_or("");
        match (&self.vacuous, self.verdict) {
            (serde_json::Value::Bool(true), Verdict::Proved) => {
                format!("{verdict} (vacuous: {why})")
            }
            (serde_json::Value::String(_), Verdict::Proved) => {
                format!("{verdict} (vacuity unknown)")
            }
            _ => verdict.to_string(),
        }
    }

    /// Like [`detail_text`]: the witness and failing condition, or the reason.
    pub fn detail(&self) -> Option<String> {
        let witness = self.witness.as_ref().map(|w| {
            let values = w.iter().map(|(n, q)| (n.as_str(), q.to_string()));
            (values.collect(), self.failing.as_deref().unwrap_or(""))
        });
        let undecided = match self.vacuous {
            serde_json::Value::String(_) => self.vacuous_reason.as_deref(),
            _ => None,
        };
        detail(witness, self.reason.as_deref().or(undecided))
    }
}

/// The rows of `results`, numbered in order.
pub fn rows(results: &[Checked]) -> Vec<ClaimRow> {
    results
        .iter()
        .enumerate()
        .map(|(i, r)| ClaimRow::new(i, r))
        .collect()
}

/// A system's analysis as plain data: everything any format prints of it.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemRow {
    /// The system's place in the document (from 0).
    pub index: usize,
    /// The system's name.
    pub name: String,
    /// The file that states it.
    pub file: String,
    /// Whether the system's claim holds.
    pub holds: bool,
    /// Why it does not, one sentence each.
    pub problems: Vec<String>,
    /// The text report ([`Report::to_text`]).
    pub text: String,
    /// The JSON report's object (`name`, `file`, `holds`, `edges`, `cycles`, `problems`,
    /// `claims`).
    pub json: serde_json::Value,
}

impl SystemRow {
    /// The row of `s`, the system number `index` of its document.
    pub fn new(index: usize, s: &Report) -> SystemRow {
        SystemRow {
            index,
            name: s.system.name.clone(),
            file: s.system.file.display().to_string(),
            holds: s.ok(),
            problems: s.problems.clone(),
            text: s.to_text(),
            json: json::system_json(s),
        }
    }
}

/// The rows of `systems`, numbered in order.
pub fn system_rows(systems: &[Report]) -> Vec<SystemRow> {
    systems
        .iter()
        .enumerate()
        .map(|(i, s)| SystemRow::new(i, s))
        .collect()
}

/// Renders a report; each format is one implementation.
pub trait Exporter {
    /// The whole report, ending with a newline.
    fn render(&self, claims: &[ClaimRow], systems: &[SystemRow]) -> crate::Result<String>;
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
    render_rows(format, &rows(results), &system_rows(systems))
}

/// Renders rows in `format`: what [`render`] prints of the results the rows came from.
pub fn render_rows(
    format: Format,
    claims: &[ClaimRow],
    systems: &[SystemRow],
) -> crate::Result<String> {
    exporter(format).render(claims, systems)
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
    let verdict = verdict_name(outcome.verdict());
    match (&outcome.vacuous, outcome.verdict()) {
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
    let texts = w.texts();
    assignment(texts.iter().map(|(n, q)| (n.as_str(), q.clone())))
}

/// `u = 3/5, g = 25/24` of (name, value) pairs.
fn assignment<'n>(values: impl Iterator<Item = (&'n str, String)>) -> String {
    let parts: Vec<String> = values.map(|(n, q)| format!("{n} = {q}")).collect();
    parts.join(", ")
}

/// A one-line account of why a claim is unmet or refuted: the witness and failing condition,
/// the reason of an `unknown`, or why a proof's domain is not known to be non-empty.
pub fn detail_text(outcome: &Outcome) -> Option<String> {
    let texts = outcome.witness().map(Witness::texts);
    let witness = outcome.witness().zip(texts.as_ref()).map(|(w, t)| {
        let values = t.iter().map(|(n, q)| (n.as_str(), q.clone()));
        (values.collect(), w.failing.as_str())
    });
    let undecided = match &outcome.vacuous {
        Some(Vacuity::Undecided { why }) => Some(why.as_str()),
        _ => None,
    };
    let reason = outcome.reason().map(ToString::to_string);
    detail(witness, reason.as_deref().or(undecided))
}

/// `at u = 3/5: fails x < 1` from a witness's values and failing condition, else the reason
/// (of an `unknown`, or why a proof's domain is not known to be non-empty).
fn detail(witness: Option<(Vec<(&str, String)>, &str)>, reason: Option<&str>) -> Option<String> {
    match (witness, reason) {
        (Some((values, failing)), _) => Some(format!(
            "at {}: fails {failing}",
            assignment(values.into_iter())
        )),
        (None, Some(reason)) => Some(reason.to_string()),
        (None, None) => None,
    }
}
