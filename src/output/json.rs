//! The JSON report, in the shape documented in `claim-language.md`:
//! `{"version": 1, "claims": [...], "summary": {...}}`.
//!
//! Each claim object carries the documented keys first (`file`, `name`, `description`,
//! `expect`, `verdict`, `witness`, `boxes`, `millis`), then extras: `met`, `failing`, `reason`,
//! `line`, `col`. Witness variables keep their binding order; values are exact (`"3/5"`, `"2"`).

use super::{Checked, Exporter, Summary};
use crate::claim::Expect;
use crate::dynamics::Report as SystemReport;
use crate::prover::{Verdict, Witness};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn render(&self, results: &[Checked], systems: &[SystemReport]) -> anyhow::Result<String> {
        let report = Report {
            version: 1,
            claims: results.iter().map(ClaimEntry::from).collect(),
            summary: Summary::of(results),
            systems: systems.iter().map(system_json).collect(),
        };
        Ok(serde_json::to_string_pretty(&report)? + "\n")
    }
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    claims: Vec<ClaimEntry<'a>>,
    summary: Summary,
    /// One object a system: `name`, `file`, `holds`, `edges`, `cycles`, `problems`, `claims`.
    systems: Vec<serde_json::Value>,
}

/// A system's analysis: its graph, cycles, problems and the claims it generated.
fn system_json(s: &SystemReport) -> serde_json::Value {
    let claims: Vec<serde_json::Value> = s
        .generated
        .iter()
        .map(|g| {
            let witness = g.outcome.witness().map(|w| {
                w.values
                    .iter()
                    .map(|(n, v)| (n.clone(), serde_json::Value::from(v.to_string())))
                    .collect::<serde_json::Map<_, _>>()
            });
            serde_json::json!({
                "name": g.claim.name, "description": g.claim.description,
                "verdict": g.outcome.verdict(), "witness": witness,
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
        "problems": s.problems,
        "claims": claims,
    })
}

#[derive(Serialize)]
struct ClaimEntry<'a> {
    file: String,
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
    reason: Option<String>,
    line: usize,
    col: usize,
}

impl<'a> From<&'a Checked<'a>> for ClaimEntry<'a> {
    fn from(r: &'a Checked<'a>) -> Self {
        let (c, o) = (r.claim, &r.outcome);
        ClaimEntry {
            file: c.file.display().to_string(),
            name: &c.name,
            description: c.description.as_deref().unwrap_or(""),
            expect: c.expect,
            verdict: o.verdict(),
            witness: o.witness().map(WitnessMap),
            boxes: o.boxes,
            millis: round_micros(o.millis),
            met: r.is_met(),
            failing: o.witness().map(|w| w.failing.as_str()),
            reason: o.reason().map(ToString::to_string),
            line: c.pos.line,
            col: c.pos.col,
        }
    }
}

/// Milliseconds rounded to the microsecond: finer digits are noise.
fn round_micros(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// A witness as a JSON object `{"u": "3/5", ...}` in binding order.
struct WitnessMap<'a>(&'a Witness);

impl Serialize for WitnessMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let values = &self.0.values;
        let mut map = serializer.serialize_map(Some(values.len()))?;
        for (name, q) in values {
            // rug prints a Rational in lowest terms: `-3/5`, or `7` when it is an integer.
            map.serialize_entry(name, &q.to_string())?;
        }
        map.end()
    }
}
