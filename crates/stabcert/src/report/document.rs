//! The report as a list of format-neutral blocks, built once and rendered by `html` and
//! `markdown`. The order is the reading order: the verdict banner first.

use super::model::{CheckSection, Lemma, ReportInput, SimulationSection};
use crate::dynamics::{self, EdgeStatus};
use serde_json::Value;

/// One piece of the report.
#[derive(Clone, Debug)]
pub enum Block {
    /// A heading of level 1 to 3, with an anchor id.
    Heading(u8, String, String),
    Para(String),
    /// Trusted Markdown source (the proposition).
    Markdown(String),
    /// The verdict of the whole run: `ok` or not, a title, one line per failure.
    Banner {
        ok: bool,
        title: String,
        lines: Vec<String>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A figure file (relative path) and its caption.
    Figure(String, String),
    /// Preformatted text.
    Code(String),
    /// A block shown folded, under a one-line summary.
    Details(String, Box<Block>),
}

/// A figure to be written beside the report.
pub struct FigureFile {
    pub path: String,
    pub svg: String,
}

/// Builds the report's blocks and the figures they refer to.
pub fn build(input: &ReportInput) -> crate::Result<Doc> {
    let mut doc = Doc::default();
    doc.heading(1, "top", "stabcert verification report");
    doc.push(banner(&input.check, &input.problems));
    proposition(input, &mut doc);
    lemmas(&input.check, &mut doc);
    systems(&input.check, &mut doc)?;
    proof_figures(input, &mut doc)?;
    if input.case_study.is_some() {
        simulation(input.simulation.as_ref(), &mut doc)?;
    }
    if let Some(a) = &input.audit {
        audit(&a.value, &mut doc);
    }
    doc.heading(2, "environment", "Environment");
    let rows = input.environment.lines.iter();
    doc.push(table(
        &["item", "value"],
        rows.map(|(k, v)| vec![k.clone(), v.clone()]),
    ));
    Ok(doc)
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Block {
    Block::Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows.collect(),
    }
}

/// The blocks built so far and the figure files they refer to.
#[derive(Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
    pub figures: Vec<FigureFile>,
}

impl Doc {
    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    fn heading(&mut self, level: u8, id: &str, text: &str) {
        self.push(Block::Heading(level, id.into(), text.into()));
    }

    /// A figure file beside the report, and its place in the text.
    fn figure(&mut self, path: String, svg: String, caption: &str) {
        self.push(Block::Figure(path.clone(), caption.into()));
        self.figures.push(FigureFile { path, svg });
    }

    /// A figure shown folded under `summary`.
    fn folded_figure(&mut self, summary: String, path: String, svg: String, caption: &str) {
        let figure = Block::Figure(path.clone(), caption.into());
        self.push(Block::Details(summary, Box::new(figure)));
        self.figures.push(FigureFile { path, svg });
    }
}

/// "All 30 claims met ..." or one line per unmet claim, failing system, rejected certificate.
pub fn banner(check: &CheckSection, problems: &[String]) -> Block {
    let own = check.lemmas.iter().filter(|l| l.system.is_none()).count();
    let certs = check.certificates.len();
    let unmet = check.unmet();
    let failing = check.failing_systems();
    let rejected = check.rejected();
    if check.all_ok() && problems.is_empty() {
        let systems = check.systems.len();
        return Block::Banner {
            ok: true,
            title: format!(
                "All {} met; {} {}; {} rechecked by the kernel",
                count(own, "claim"),
                count(systems, "system"),
                if systems == 1 { "holds" } else { "hold" },
                count(certs, "certificate")
            ),
            lines: Vec::new(),
        };
    }
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    if !unmet.is_empty() {
        let names: Vec<&str> = unmet.iter().map(|l| l.name.as_str()).collect();
        let unmet_count = count(unmet.len(), "claim");
        parts.push(format!("{unmet_count} unmet: {}", names.join(", ")));
        lines.extend(unmet.iter().map(|l| unmet_line(l)));
    }
    if !failing.is_empty() {
        parts.push(format!("{} failing", count(failing.len(), "system")));
        for s in &failing {
            lines.push(format!(
                "system {} fails: {}",
                s.system.name,
                s.problems.join("; ")
            ));
        }
    }
    if !rejected.is_empty() {
        parts.push(format!("{} rejected", count(rejected.len(), "certificate")));
        for l in &rejected {
            let why = l.certificate.as_ref().map_or("", |c| c.recheck.as_str());
            lines.push(format!("certificate of {}: {why}", l.name));
        }
    }
    if !problems.is_empty() {
        parts.push(count(problems.len(), "other problem"));
        lines.extend(problems.iter().cloned());
    }
    Block::Banner {
        ok: false,
        title: format!("FAILED: {}", parts.join("; ")),
        lines,
    }
}

/// `1 claim`, `3 claims`.
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

fn unmet_line(l: &Lemma) -> String {
    let detail = l
        .detail
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    format!(
        "{} ({}:{}): {}{detail}",
        l.name,
        l.file,
        l.line,
        l.verdict_text()
    )
}

/// The statement as the case study states it and as the audit corrects it; nothing when
/// there is neither.
fn proposition(input: &ReportInput, doc: &mut Doc) {
    let case = input.case_study.as_ref();
    if case.is_none() && input.corrected_md.is_none() {
        return;
    }
    doc.heading(2, "proposition", "The proposition");
    if let Some(c) = case {
        doc.heading(3, "stated", "As stated");
        doc.push(Block::Para(format!(
            "The case study {} ({}).",
            c.name, c.path
        )));
        doc.push(Block::Markdown(c.stated_md.clone()));
    }
    doc.heading(3, "corrected", "As corrected");
    doc.push(match &input.corrected_md {
        Some(md) => Block::Markdown(md.clone()),
        None => {
            Block::Para("Not available: the audit was not run, so no corrected statement.".into())
        }
    });
}

/// Where `time` is in [`LEMMA_HEADER`].
const TIME_COLUMN: usize = 6;

const LEMMA_HEADER: [&str; 9] = [
    "claim",
    "description",
    "where",
    "verdict",
    "method(s)",
    "boxes",
    "time",
    "certificate sha256",
    "recheck",
];

fn lemma_row(l: &Lemma) -> Vec<String> {
    let (sha, recheck) = match &l.certificate {
        Some(c) => (c.sha256.clone(), c.recheck.clone()),
        None => ("-".into(), "-".into()),
    };
    vec![
        l.name.clone(),
        l.description.clone(),
        format!("{}:{}", l.file, l.line),
        l.verdict_text(),
        l.methods_text(),
        l.boxes.to_string(),
        l.time_text(),
        sha,
        recheck,
    ]
}

/// The lemma table; the time column only when there are timings (not `--reproducible`).
fn lemma_table<'a>(lemmas: impl Iterator<Item = &'a Lemma>) -> Block {
    let rows: Vec<Vec<String>> = lemmas.map(lemma_row).collect();
    let timed = rows.iter().any(|r| r[TIME_COLUMN] != "-");
    let keep = |i: usize| timed || i != TIME_COLUMN;
    let header = LEMMA_HEADER.iter().enumerate().filter(|(i, _)| keep(*i));
    let drop_time = |r: Vec<String>| r.into_iter().enumerate().filter(|(i, _)| keep(*i));
    Block::Table {
        header: header.map(|(_, h)| h.to_string()).collect(),
        rows: rows
            .into_iter()
            .map(|r| drop_time(r).map(|(_, c)| c).collect())
            .collect(),
    }
}

fn lemmas(check: &CheckSection, doc: &mut Doc) {
    doc.heading(2, "lemmas", "Lemmas");
    let own: Vec<&Lemma> = check.lemmas.iter().filter(|l| l.system.is_none()).collect();
    let count = |v| own.iter().filter(|l| l.verdict == v).count();
    use crate::prover::Verdict::*;
    doc.push(Block::Para(format!(
        "{} claims: {} proved, {} refuted, {} unknown; {} unmet. Each proved claim's certificate \
         is in certificates/ and was rechecked by the exact kernel.",
        own.len(),
        count(Proved),
        count(Refuted),
        count(Unknown),
        check.unmet().len()
    )));
    doc.push(lemma_table(own.iter().copied()));
    let details = own.iter().filter_map(|l| {
        let d = l.detail.as_ref()?;
        Some(vec![l.name.clone(), d.clone()])
    });
    doc.heading(3, "witnesses", "Witnesses and reasons");
    doc.push(table(&["claim", "detail"], details));
}

fn systems(check: &CheckSection, doc: &mut Doc) -> crate::Result<()> {
    doc.heading(2, "systems", "Systems: the region transition graph");
    if check.systems.is_empty() {
        doc.push(Block::Para("The proof files declare no system.".into()));
    }
    for s in &check.systems {
        system(s, check, doc)?;
    }
    Ok(())
}

fn system(s: &dynamics::Report, check: &CheckSection, doc: &mut Doc) -> crate::Result<()> {
    let name = &s.system.name;
    let status = if s.ok() { "holds" } else { "FAILS" };
    doc.heading(
        3,
        &format!("system-{name}"),
        &format!("system {name}: {status}"),
    );
    let path = format!("figures/graph-{name}.svg");
    let svg = s
        .to_svg()
        .map_err(|e| crate::Error::Internal(format!("cannot lay out the graph of {name}: {e}")))?;
    let caption = "Region transition graph: target regions green, escaped orange, exceptional \
                   grey, undischarged red; dashed red edges are undecided.";
    doc.figure(path, svg, caption);
    let cycles = s.cycles.iter().map(|c| {
        let ok = if c.ok { "ok" } else { "NOT OK" };
        vec![
            c.regions.join(", "),
            c.kind.clone(),
            c.detail.clone(),
            ok.into(),
        ]
    });
    doc.push(table(&["regions", "kind", "detail", "status"], cycles));
    let edges = s
        .edges
        .iter()
        .filter(|e| e.status != EdgeStatus::Absent)
        .map(|e| {
            let w = e.witness.as_ref().map_or("-".into(), |w| {
                let parts: Vec<String> = w.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                parts.join(", ")
            });
            vec![
                format!("{} → {}", e.from, e.to),
                format!("{:?}", e.status).to_lowercase(),
                w,
            ]
        });
    doc.push(table(&["edge", "status", "witness"], edges));
    let absent = s
        .edges
        .iter()
        .filter(|e| e.status == EdgeStatus::Absent)
        .count();
    let generated: Vec<&Lemma> = check
        .lemmas
        .iter()
        .filter(|l| l.system.as_deref() == Some(name))
        .collect();
    doc.push(Block::Para(format!("{absent} edges proved absent.")));
    let summary = format!(
        "The {} claims the system generated (a refuted A->B:into claim shows an edge present; a refuted cover or disjoint claim without :below or :above, a gap or an overlap)",
        generated.len()
    );
    doc.push(Block::Details(
        summary,
        Box::new(lemma_table(generated.into_iter())),
    ));
    if !s.problems.is_empty() {
        doc.push(Block::Code(s.problems.join("\n")));
    }
    Ok(())
}

/// Pavings shown unfolded; the others are folded under a one-line summary.
const PAVINGS_OPEN: usize = 3;

fn proof_figures(input: &ReportInput, doc: &mut Doc) -> crate::Result<()> {
    let check = &input.check;
    doc.heading(2, "figures", "Figures");
    if let Some(c) = &input.case_study {
        let svg = super::figures::map_family(&c.figure)?;
        doc.figure("figures/map-family.svg".into(), svg, &c.caption);
    }
    doc.heading(3, "pavings", "Box pavings of the two-variable claims");
    let mut shown = 0;
    for r in &check.results {
        let Some(svg) = super::figures::paving(r.claim, &r.outcome) else {
            continue;
        };
        let path = format!(
            "figures/paving-{}.svg",
            crate::cert::file_stem(&r.claim.name)
        );
        let caption = format!(
            "{}: every leaf box of its proof, coloured by the method that closed it.",
            r.claim.name
        );
        // The first few open, the rest folded: a long proof file makes a long page.
        match shown < PAVINGS_OPEN {
            true => doc.figure(path, svg?, &caption),
            false => doc.folded_figure(format!("paving of {}", r.claim.name), path, svg?, &caption),
        }
        shown += 1;
    }
    if shown == 0 {
        doc.push(Block::Para(
            "No proved claim has exactly two variables.".into(),
        ));
    }
    Ok(())
}

fn simulation(sim: Option<&SimulationSection>, doc: &mut Doc) -> crate::Result<()> {
    doc.heading(2, "simulation", "Simulation");
    let Some(sim) = sim else {
        doc.push(Block::Para(
            "NOT RUN: no simulation was run for this report (--trajectories 0), so there are no \
             cobweb diagrams, entry-time histograms or loss curves."
                .into(),
        ));
        return Ok(());
    };
    let bound = sim.proven_entry_bound.map_or("-".into(), |b| b.to_string());
    let rows = [
        ("seed", sim.seed.to_string()),
        ("trajectories", sim.trajectories.to_string()),
        ("steps", sim.steps.to_string()),
        ("map", sim.map.clone()),
        ("γ range", format!("[{}, {}]", sim.gamma_min, sim.gamma_max)),
        ("entered the 2-cycle", sim.entered.to_string()),
        ("violations of a proven lemma", sim.violations.to_string()),
        ("largest proven entry bound met (steps)", bound),
        (
            "proven loss band",
            format!("({:e}, {})", sim.loss_band_proven.0, sim.loss_band_proven.1),
        ),
    ];
    doc.push(table(
        &["parameter", "value"],
        rows.into_iter().map(|(k, v)| vec![k.into(), v]),
    ));
    for i in 0..sim.samples.len().min(3) {
        let caption = format!(
            "Cobweb of sample trajectory {}: u_(t+1) against u_t.",
            i + 1
        );
        doc.figure(
            format!("figures/cobweb-{}.svg", i + 1),
            super::figures::cobweb(sim, i)?,
            &caption,
        );
    }
    let caption = "Entry times into the 2-cycle; the red line is the proven bound.".to_string();
    doc.figure(
        "figures/entry_times.svg".into(),
        super::figures::entry_histogram(sim)?,
        &caption,
    );
    let caption = "Loss along the sample trajectories against the proven band.".to_string();
    doc.figure(
        "figures/loss.svg".into(),
        super::figures::loss_along(sim)?,
        &caption,
    );
    Ok(())
}

/// A JSON value as a table cell: strings bare, null as `-`, an enclosure `{lower, upper}` as
/// `[lower, upper]`, a claim check `{name, verdict, ok}` as `name verdict`, other objects as
/// `k = v, ...`, arrays joined by `; `.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "-".into(),
        // Exact values with hundreds of digits are shown approximately (report.json has them).
        Some(Value::String(s)) if s.len() > 40 && s.contains('/') => {
            match s.parse::<rug::Rational>() {
                Ok(q) => format!("≈ {:.15e}", q.to_f64()),
                Err(_) => s.clone(),
            }
        }
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => "-".into(),
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items.iter().map(|i| cell(Some(i))).collect();
            parts.join("; ")
        }
        Some(Value::Object(o)) if o.contains_key("name") => {
            let verdict = o.get("verdict").map(|v| format!(" {}", cell(Some(v))));
            let bad = o.get("ok") == Some(&Value::Bool(false));
            let mark = if bad { " (NOT AS NEEDED)" } else { "" };
            format!(
                "{}{}{mark}",
                cell(o.get("name")),
                verdict.unwrap_or_default()
            )
        }
        Some(Value::Object(o)) if o.keys().all(|k| k == "lower" || k == "upper") => {
            format!("[{}, {}]", cell(o.get("lower")), cell(o.get("upper")))
        }
        Some(Value::Object(o)) => {
            let parts: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{k} = {}", cell(Some(v))))
                .collect();
            parts.join(", ")
        }
        Some(other) => other.to_string(),
    }
}

/// The table of the objects in `value[key]`: one column per `(header, path)`, the path a
/// dotted key (`sharp.lower`) or alternatives (`claim|claims`: the first present).
fn json_table(value: &Value, key: &str, columns: &[(&str, &str)]) -> Block {
    let items = value
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let at = |item: &Value, paths: &str| {
        let found = paths
            .split('|')
            .find_map(|path| path.split('.').try_fold(item, |v, k| v.get(k)));
        cell(found)
    };
    let rows = items
        .iter()
        .map(|item| columns.iter().map(|(_, path)| at(item, path)).collect());
    let header: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
    table(&header, rows)
}

const CONSTANT_COLUMNS: [(&str, &str); 8] = [
    ("constant", "name"),
    ("role", "role"),
    ("verdict", "verdict"),
    ("sharp ≥", "sharp.lower"),
    ("sharp ≤", "sharp.upper"),
    ("sharp form", "sharp_form"),
    ("slack", "slack"),
    ("claims", "claim|claims"),
];

const CLAUSE_COLUMNS: [(&str, &str); 7] = [
    ("id", "id"),
    ("text", "text"),
    ("verdict", "verdict"),
    ("witness", "witness"),
    ("condition", "condition"),
    ("correction", "correction"),
    ("claims", "claim|claims"),
];

const GAMMA_MAX_COLUMNS: [(&str, &str); 6] = [
    ("case", "case"),
    ("lower", "lower"),
    ("upper", "upper"),
    ("binding condition", "binding"),
    ("proved at", "proved_at"),
    ("claims", "claim|claims"),
];

fn audit(v: &Value, doc: &mut Doc) {
    doc.heading(2, "audit", "Audit");
    let digits = cell(v.get("digits"));
    let status = match v.get("ok") {
        Some(Value::Bool(false)) => "the audit reports problems (below)",
        Some(Value::Bool(true)) => "every verdict is backed by its claims",
        _ => "no overall status given",
    };
    doc.push(Block::Para(format!(
        "Sharp values to {digits} digits; {status}."
    )));
    if let Some(Value::Array(problems)) = v.get("problems").filter(|p| p != &&Value::Array(vec![]))
    {
        let lines: Vec<String> = problems.iter().map(|p| cell(Some(p))).collect();
        doc.push(Block::Code(lines.join("\n")));
    }
    doc.heading(3, "constants", "Constants");
    doc.push(json_table(v, "constants", &CONSTANT_COLUMNS));
    doc.heading(3, "clauses", "Clauses");
    doc.push(json_table(v, "clauses", &CLAUSE_COLUMNS));
    doc.heading(
        3,
        "errata",
        "Errata: the clauses that are false, with their witnesses",
    );
    let false_only = |c: &&Value| c.get("verdict").and_then(Value::as_str) == Some("false");
    let errata: Vec<Value> = v
        .get("clauses")
        .and_then(Value::as_array)
        .map(|cs| cs.iter().filter(false_only).cloned().collect())
        .unwrap_or_default();
    match errata.is_empty() {
        true => doc.push(Block::Para("No clause is false.".into())),
        false => doc.push(json_table(
            &serde_json::json!({ "errata": errata }),
            "errata",
            &CLAUSE_COLUMNS,
        )),
    }
    doc.heading(3, "gamma-max", "The largest γ_max");
    doc.push(json_table(v, "gamma_max", &GAMMA_MAX_COLUMNS));
}
