//! The text report: the claims grouped under their file's name, one line a claim, details of
//! refutations and unknowns, a summary.
//!
//! ```text
//! proofs/examples.stab:
//!   proved   step2      (37 boxes, 0.41 ms)
//!   refuted  seed_typo  (12 boxes, 0.90 ms)
//!       at u = 3/5, g = 25/24: fails 0 < u - g*u*(1 - u^2)
//!   proved (vacuous: x in [1, 0] is empty) empty  (0 boxes, 0.01 ms)  UNMET: expected proved (t.stab:9:1)
//! 3 claims: 2 proved, 1 refuted, 0 unknown; 0 unmet
//! ```

use super::{ClaimRow, Exporter, Summary, SystemRow};
use std::fmt::Write;

pub struct TextExporter;

impl Exporter for TextExporter {
    fn render(&self, results: &[ClaimRow], systems: &[SystemRow]) -> crate::Result<String> {
        let width = results.iter().map(|r| r.name.len()).max().unwrap_or(0);
        let mut out = String::new();
        let mut file = None;
        for r in results {
            // Claims come in file order: a header each time the file changes.
            if file != Some(&r.file) {
                file = Some(&r.file);
                writeln!(out, "{}:", r.file)?;
            }
            write_claim(&mut out, r, width)?;
        }
        for s in systems {
            out.push_str(&s.text);
        }
        writeln!(out, "{}", summary_line(&Summary::of_rows(results)))?;
        if !systems.is_empty() {
            let failing = systems.iter().filter(|s| !s.holds).count();
            let noun = if systems.len() == 1 {
                "system"
            } else {
                "systems"
            };
            writeln!(
                out,
                "{} {noun}: {} hold, {failing} fail",
                systems.len(),
                systems.len() - failing
            )?;
        }
        Ok(out)
    }
}

/// The claim's line under its file's header, then its detail on a further indented line when
/// there is one.
fn write_claim(out: &mut String, r: &ClaimRow, width: usize) -> std::fmt::Result {
    let verdict = r.verdict_text();
    let noun = if r.boxes == 1 { "box" } else { "boxes" };
    let cost = format!("({} {noun}, {})", r.boxes, format_millis(r.millis));
    write!(out, "  {verdict:<8} {:<width$}  {cost}", r.name)?;
    if !r.is_met() {
        write!(out, "  UNMET: expected {}", unmet_context(r))?;
    }
    writeln!(out)?;
    if let Some(detail) = r.detail() {
        writeln!(out, "      {detail}")?;
    }
    Ok(())
}

/// `proved (proofs/x.stab:3:1)`: the expectation and where the claim is.
fn unmet_context(r: &ClaimRow) -> String {
    format!("{} ({}:{}:{})", r.expect.name(), r.file, r.line, r.col)
}

/// A duration in milliseconds with about three significant digits.
fn format_millis(ms: f64) -> String {
    match ms {
        m if m < 10.0 => format!("{m:.2} ms"),
        m if m < 1000.0 => format!("{m:.1} ms"),
        m => format!("{:.2} s", m / 1000.0),
    }
}

/// `3 claims: 2 proved, 1 refuted, 0 unknown; 0 unmet`.
fn summary_line(s: &Summary) -> String {
    let total = s.proved + s.refuted + s.unknown;
    let noun = if total == 1 { "claim" } else { "claims" };
    format!(
        "{total} {noun}: {} proved, {} refuted, {} unknown; {} unmet",
        s.proved, s.refuted, s.unknown, s.unmet
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_keep_three_digits() {
        assert_eq!(format_millis(0.4123), "0.41 ms");
        assert_eq!(format_millis(12.345), "12.3 ms");
        assert_eq!(format_millis(61_234.0), "61.23 s");
    }

    #[test]
    fn summary_counts_every_verdict() {
        let s = Summary {
            proved: 2,
            refuted: 1,
            unknown: 0,
            unmet: 0,
        };
        assert_eq!(
            summary_line(&s),
            "3 claims: 2 proved, 1 refuted, 0 unknown; 0 unmet"
        );
    }
}
