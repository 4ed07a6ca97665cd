//! The audit as text (a terminal) and Markdown (a review, a report).

use super::{Audit, ClaimCheck, Enclosure};
use std::collections::BTreeMap;
use std::fmt::Write;

fn enclosure(e: &Enclosure) -> String {
    match (&e.lower, &e.upper) {
        (Some(l), Some(u)) => format!("[{l}, {u}]"),
        (Some(l), None) => format!(">= {l} (no threshold in the range searched)"),
        (None, Some(u)) => format!("<= {u} (no threshold in the range searched)"),
        (None, None) => "not computed".into(),
    }
}

fn valid_range(v: &super::ValidRange) -> String {
    match (&v.lower, &v.upper) {
        (Some(l), Some(u)) => format!("from {} to {}", enclosure(l), enclosure(u)),
        (None, Some(u)) => format!("up to {}", enclosure(u)),
        (Some(l), None) => format!("from {} up", enclosure(l)),
        (None, None) => "not computed".into(),
    }
}

/// A point for reading: long exact values shortened to `≈` decimals (the JSON keeps them).
fn point(w: &BTreeMap<String, String>) -> String {
    w.iter()
        .map(|(k, v)| match v.parse::<rug::Rational>() {
            Ok(q) if v.len() > 24 => {
                let approx = super::decimal(&q, 16, super::Dir::Down);
                format!("{k} ≈ {approx}")
            }
            _ => format!("{k} = {v}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn claims_line(cs: &[ClaimCheck]) -> String {
    cs.iter()
        .map(|c| {
            let v = format!("{:?}", c.verdict).to_lowercase();
            let mark = if c.ok { "" } else { " (NOT AS NEEDED)" };
            format!("{} {v}{mark}", c.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A clause's witness, trajectory, condition, correction and claims, one line each.
fn clause_details(s: &mut String, c: &super::ClauseReport, line: &dyn Fn(String) -> String) {
    let mut lines = Vec::new();
    if let (Some(w), Some(n)) = (&c.witness, &c.witness_claim) {
        lines.push(format!("witness ({n}): {}", point(w)));
    }
    if let Some(t) = &c.trajectory {
        lines.push(format!("exact trajectory: {}", t.join(", ")));
    }
    if let Some(x) = &c.condition {
        lines.push(format!("condition: {x}"));
    }
    if let Some(x) = &c.correction {
        lines.push(format!("corrected: {x}"));
    }
    if !c.claims.is_empty() {
        lines.push(format!("claims: {}", claims_line(&c.claims)));
    }
    for l in lines {
        let _ = writeln!(s, "{}", line(l));
    }
}

/// The terminal report.
pub fn to_text(a: &Audit) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "constants ({} significant digits)", a.digits);
    for c in &a.constants {
        let _ = writeln!(s, "  {:<6} {}: {}", c.name, c.verdict.text(), c.role);
        let _ = writeln!(
            s,
            "         sharp ({} end of the valid range) {}",
            c.sharp_end,
            enclosure(&c.sharp)
        );
        if let Some(f) = &c.sharp_form {
            let _ = writeln!(s, "         closed form {f}");
        }
        if let Some(r) = &c.sharp_root {
            let _ = writeln!(
                s,
                "         root of {} = 0 (interval Newton): [{}, {}]",
                r.equation, r.lower, r.upper
            );
        }
        let _ = writeln!(s, "         valid range {}", valid_range(&c.valid));
        if let Some(sl) = &c.slack {
            let _ = writeln!(s, "         slack {}", enclosure(sl));
        }
        if let (Some(w), Some(n)) = (&c.witness, &c.witness_claim) {
            let _ = writeln!(s, "         beyond it {n} fails at {}", point(w));
        }
        if let Some(x) = &c.condition {
            let _ = writeln!(s, "         condition: {x}");
        }
        if let Some(x) = &c.correction {
            let _ = writeln!(s, "         corrected: {x}");
        }
        if !c.claims.is_empty() {
            let _ = writeln!(s, "         claims: {}", claims_line(&c.claims));
        }
    }
    let _ = writeln!(s, "clauses");
    for c in &a.clauses {
        let _ = writeln!(s, "  {:<22} {}: {}", c.id, c.verdict.text(), c.text);
        clause_details(&mut s, c, &|w| format!("         {w}"));
    }
    let _ = writeln!(s, "gamma_max");
    for g in &a.gamma_max {
        let _ = writeln!(s, "  {}: [{}, {}]", g.case, g.lower, g.upper);
        if let Some(r) = &g.sharp_root {
            let _ = writeln!(
                s,
                "         root of {} = 0 (interval Newton): [{}, {}]",
                r.equation, r.lower, r.upper
            );
        }
        let _ = writeln!(
            s,
            "         binding: {}; proved at {}: {}",
            g.binding,
            g.proved_at,
            claims_line(&g.claims)
        );
    }
    if a.ok {
        let _ = writeln!(s, "audit: every verdict backed by its claims");
    } else {
        let _ = writeln!(s, "audit: {} problem(s)", a.problems.len());
        for p in &a.problems {
            let _ = writeln!(s, "  {p}");
        }
    }
    s
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report: tables of constants, clauses and γ_max, then any problems.
pub fn to_markdown(a: &Audit) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Audit of `{}`\n", a.spec);
    let _ = writeln!(
        s,
        "Enclosures to {} significant digits, rounded outward.\n",
        a.digits
    );
    let _ = writeln!(s, "## Constants\n");
    let _ = writeln!(
        s,
        "| constant | role | verdict | sharp value | valid range | slack |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for c in &a.constants {
        let slack = c.slack.as_ref().map_or(String::new(), enclosure);
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.stated,
            md_cell(&c.role),
            c.verdict.text(),
            md_cell(&enclosure(&c.sharp)),
            md_cell(&valid_range(&c.valid)),
            md_cell(&slack)
        );
    }
    let _ = writeln!(s, "\n## Clauses\n");
    for c in &a.clauses {
        let _ = writeln!(s, "- **{}** ({}): {}", c.id, c.verdict.text(), c.text);
        clause_details(&mut s, c, &|w| format!("  - {w}"));
    }
    let _ = writeln!(s, "\n## Largest step-size window\n");
    let _ = writeln!(s, "| case | γ_max | binding condition | proved at |");
    let _ = writeln!(s, "|---|---|---|---|");
    for g in &a.gamma_max {
        let _ = writeln!(
            s,
            "| {} | [{}, {}] | `{}` | {} |",
            md_cell(&g.case),
            g.lower,
            g.upper,
            g.binding,
            g.proved_at
        );
    }
    if !a.ok {
        let _ = writeln!(s, "\n## Problems\n");
        for p in &a.problems {
            let _ = writeln!(s, "- {}", md_cell(p));
        }
    }
    s
}
