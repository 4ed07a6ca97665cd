//! The JSON report, in the shape documented in `claim-language.md`:
//! `{"version": 1, "claims": [...], "summary": {...}}`.
//!
//! Each claim object carries the documented keys first (`file`, `name`, `description`,
//! `expect`, `verdict`, `witness`, `boxes`, `millis`), then extras: `met`, `failing`, `reason`,
//! `vacuous`, `vacuous_reason`, `line`, `col`. Witness variables keep their binding order;
//! values are exact (`"3/5"`, `"2"`).
//!
//! `vacuous` says what is known of the domain: `true` (proved empty: the claim holds
//! vacuously), `false` (a point of the domain was found, or the witness is one), `"unknown"`
//! (a proof whose domain is neither shown non-empty nor proved empty), `null` (an `unknown`
//! verdict: not examined). `vacuous_reason` says why it is empty, or why that is undecided.
//!
//! A shard's report ([`crate::shard`]) also has a `shard` object after `version`, and each
//! claim and system its `index` in the document (and a claim its `source`, a system its
//! `text`): what `stabcert merge` needs to print exactly what one run prints.

use super::{ClaimRow, Exporter, Summary, SystemRow};
use crate::claim::Expect;
use crate::dynamics::Report as SystemReport;
use crate::prover::{Vacuity, Verdict};
use crate::shard;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn render(&self, results: &[ClaimRow], systems: &[SystemRow]) -> crate::Result<String> {
        render(None, results, systems)
    }
}

/// The JSON report of rows; with `shard`, a shard's report.
pub(crate) fn render(
    shard: Option<&shard::Header>,
    results: &[ClaimRow],
    systems: &[SystemRow],
) -> crate::Result<String> {
    let sharded = shard.is_some();
    let report = Report {
        version: 1,
        shard,
        claims: results
            .iter()
            .map(|r| ClaimEntry::new(r, sharded))
            .collect(),
        summary: Summary::of_rows(results),
        systems: systems.iter().map(|s| system_entry(s, sharded)).collect(),
    };
    Ok(serde_json::to_string_pretty(&report)? + "\n")
}

/// A system's object; a shard's also carries its `index` and `text`.
fn system_entry(s: &SystemRow, sharded: bool) -> serde_json::Value {
    let mut json = s.json.clone();
    if let (true, Some(o)) = (sharded, json.as_object_mut()) {
        o.insert("index".into(), s.index.into());
        o.insert("text".into(), s.text.clone().into());
    }
    json
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<&'a shard::Header>,
    claims: Vec<ClaimEntry<'a>>,
    summary: Summary,
    /// One object a system: `name`, `file`, `holds`, `edges`, `cycles`, `partition`,
    /// `problems`, `claims`.
    systems: Vec<serde_json::Value>,
}

/// A system's analysis: its graph, cycles, problems and the claims it generated.
pub(crate) fn system_json(s: &SystemReport) -> serde_json::Value {
    let claims: Vec<serde_json::Value> = s
        .generated
        .iter()
        .map(|g| {
            let witness = g.outcome.witness().as_ref().map(|w| {
                w.texts()
                    .into_iter()
                    .map(|(n, v)| (n, serde_json::Value::from(v)))
                    .collect::<serde_json::Map<_, _>>()
            });
            serde_json::json!({
                "name": g.claim.name, "description": g.claim.description,
                "verdict": g.outcome.verdict(), "witness": witness,
                "vacuous": vacuous_json(g.outcome.vacuous.as_ref()),
                "boxes": g.outcome.boxes, "millis": g.outcome.millis,
            })
        })
        .collect();
    serde_json::json!({
        "name": s.system.name,
        "file": s.system.file.display().to_string(),
        "holds": s.ok(),
        "edges": s.edges,
        "cycles": s.cycles,
        "partition": s.partition,
        "problems": s.problems,
        "claims": claims,
    })
}

#[derive(Serialize)]
struct ClaimEntry<'a> {
    file: &'a str,
    name: &'a str,
    /// The claim's description, `""` when it has none.
    description: &'a str,
    expect: Expect,
    verdict: Verdict,
    witness: Option<WitnessMap<'a>>,
    boxes: u64,
    millis: f64,
    met: bool,
    /// The conclusion that fails at the witness.
    failing: Option<&'a str>,
    /// Why the verdict is `unknown`: the limit hit and the box that resisted.
    reason: Option<&'a str>,
    /// `true`, `false`, `"unknown"` or `null`: see the module's documentation.
    vacuous: serde_json::Value,
    /// Why the domain is empty, or why its emptiness is undecided.
    vacuous_reason: Option<&'a str>,
    line: usize,
    col: usize,
    /// A shard's: the claim's place in the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    /// A shard's: the claim's source text (the JUnit report quotes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

impl<'a> ClaimEntry<'a> {
    fn new(r: &'a ClaimRow, sharded: bool) -> Self {
        ClaimEntry {
            file: &r.file,
            name: &r.name,
            description: &r.description,
            expect: r.expect,
            verdict: r.verdict,
            witness: r.witness.as_deref().map(WitnessMap),
            boxes: r.boxes,
            millis: round_micros(r.millis),
            met: r.is_met(),
            failing: r.failing.as_deref(),
            reason: r.reason.as_deref(),
            vacuous: r.vacuous.clone(),
            vacuous_reason: r.vacuous_reason.as_deref(),
            line: r.line,
            col: r.col,
            index: sharded.then_some(r.index),
            source: sharded.then_some(r.source.as_str()),
        }
    }
}

/// `vacuous` as JSON: `true`, `false`, `"unknown"`, or `null` when not examined.
pub(crate) fn vacuous_json(v: Option<&Vacuity>) -> serde_json::Value {
    match v.map(Vacuity::is_empty) {
        Some(Some(empty)) => empty.into(),
        Some(None) => "unknown".into(),
        None => serde_json::Value::Null,
    }
}

/// Milliseconds rounded to the microsecond: finer digits are noise.
fn round_micros(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// A witness as a JSON object `{"u": "3/5", ...}` in binding order.
struct WitnessMap<'a>(&'a [(String, String)]);

impl Serialize for WitnessMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, q) in self.0 {
            map.serialize_entry(name, q)?;
        }
        map.end()
    }
}
