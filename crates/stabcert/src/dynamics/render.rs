//! A system's report as text, DOT and SVG (laid out by the `layout-rs` crate).

use super::{EdgeStatus, Report};
use crate::claim::Region;
use std::fmt::Write;

/// Region `name = (lo, hi]` in the system's parameter names.
fn region_text(r: &Region, params: &[String]) -> String {
    format!(
        "{} = {}{}, {}{}",
        r.name,
        if r.lo_closed { "[" } else { "(" },
        tidy(&r.lo.display_with(params)),
        tidy(&r.hi.display_with(params)),
        if r.hi_closed { "]" } else { ")" }
    )
}

/// Drops the outermost parentheses the expression printer adds.
fn tidy(s: &str) -> String {
    s.strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .map_or(s.to_string(), str::to_string)
}

impl Report {
    fn param_names(&self) -> Vec<String> {
        self.system.params.iter().map(|b| b.name.clone()).collect()
    }

    /// The human-readable summary printed by `check`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let status = if self.ok() { "holds" } else { "FAILS" };
        let _ = writeln!(s, "system {}: {status}", self.system.name);
        if self.partition.proved {
            let _ = writeln!(
                s,
                "  partition: {} cover the state space, no two overlap",
                self.partition.order.join(" < ")
            );
        }
        let present: Vec<String> = self
            .edges
            .iter()
            .filter(|e| e.status != EdgeStatus::Absent)
            .map(|e| {
                format!(
                    "{} -> {}{}",
                    e.from,
                    e.to,
                    if e.status == EdgeStatus::Unknown {
                        " (?)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        let absent = self
            .edges
            .iter()
            .filter(|e| e.status == EdgeStatus::Absent)
            .count();
        let _ = writeln!(
            s,
            "  edges: {} ; {absent} proved absent",
            present.join(", ")
        );
        for c in &self.cycles {
            let _ = writeln!(
                s,
                "  {:<12} {{{}}}: {}",
                c.kind,
                c.regions.join(", "),
                c.detail
            );
        }
        // How trajectories reach an exceptional set: the exact witnesses of the edges into it.
        let into_exceptional = self
            .edges
            .iter()
            .filter(|e| e.from != e.to && self.system.exceptional.contains(&e.to));
        for e in into_exceptional {
            if let Some(w) = &e.witness {
                let at: Vec<String> = w.iter().map(|(n, v)| format!("{n} = {v}")).collect();
                let _ = writeln!(
                    s,
                    "  entry        {} -> {} at {}",
                    e.from,
                    e.to,
                    at.join(", ")
                );
            }
        }
        for p in &self.problems {
            let _ = writeln!(s, "  problem: {p}");
        }
        s
    }

    /// The graph in Graphviz DOT: present edges solid, undecided ones dashed red.
    pub fn to_dot(&self) -> String {
        let params = self.param_names();
        let mut s = format!(
            "digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box];\n",
            self.system.name
        );
        for r in &self.system.regions {
            let colour = self.colour_of(&r.name);
            let _ = writeln!(
                s,
                "  {} [label=\"{}\", style=filled, fillcolor=\"{colour}\"];",
                r.name,
                region_text(r, &params)
            );
        }
        for e in self.edges.iter().filter(|e| e.status != EdgeStatus::Absent) {
            let style = if e.status == EdgeStatus::Unknown {
                " [style=dashed, color=red]"
            } else {
                ""
            };
            let _ = writeln!(s, "  {} -> {}{style};", e.from, e.to);
        }
        s.push_str("}\n");
        s
    }

    fn colour_of(&self, region: &str) -> &'static str {
        let in_kind = |k: &str| {
            self.cycles
                .iter()
                .any(|c| c.kind == k && c.regions.iter().any(|r| r == region))
        };
        if in_kind("target") {
            "palegreen"
        } else if in_kind("exceptional") {
            "lightgrey"
        } else if in_kind("escaped") {
            "moccasin"
        } else if in_kind("undischarged") {
            "salmon"
        } else {
            "white"
        }
    }

    /// The graph as an SVG picture.
    pub fn to_svg(&self) -> Result<String, String> {
        use layout::backends::svg::SVGWriter;
        use layout::gv::{DotParser, GraphBuilder};
        let dot = self.to_dot();
        let graph = DotParser::new(&dot).process()?;
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut visual = builder.get();
        let mut svg = SVGWriter::new();
        visual.do_it(false, false, false, &mut svg);
        Ok(svg.finalize())
    }
}
