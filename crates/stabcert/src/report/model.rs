//! What a report is made of: the check's results (claims, systems, certificates and their
//! recheck), and the input sections other subcommands fill (audit, simulation).

use crate::cert;
use crate::dynamics;
use crate::output::{detail_text, verdict_name, Checked};
use crate::prover::{Method, Outcome, ProofNode, Verdict};
use serde::Serialize;
use sha2::{Digest, Sha256};
use stabcert_kernel as kernel;
use std::collections::BTreeMap;

/// Everything a report shows. Without a case study there is no proposition, map figure or
/// simulation section; without an audit no audit section. With a case study, `simulation` is
/// `None` when it was not run, and the report says so.
pub struct ReportInput<'a> {
    /// The claims, systems and certificates of the check.
    pub check: CheckSection<'a>,
    /// The case study the report is about, if any.
    pub case_study: Option<CaseSection>,
    /// The proposition as corrected by the audit, Markdown; `None`: not available.
    pub corrected_md: Option<String>,
    /// The audit's JSON; `None` if no audit was run.
    pub audit: Option<AuditSection>,
    /// The simulation's summary; `None` if no simulation was run.
    pub simulation: Option<SimulationSection>,
    /// Where and how the report was made.
    pub environment: Environment,
    /// No timings, no timestamps: identical inputs give byte-identical files.
    pub reproducible: bool,
    /// Failures outside the check (the audit's problems, simulated violations): they go to
    /// the banner at the top and make the report fail.
    pub problems: Vec<String>,
}

impl ReportInput<'_> {
    /// Every claim met, system holding, certificate rechecked, and no other problem.
    pub fn all_ok(&self) -> bool {
        self.check.all_ok() && self.problems.is_empty()
    }
}

/// The audit's JSON (`stabcert audit --format json`), rendered generically:
///
/// `{"version": 1, "digits": 30, "constants": [{"name", "stated", "role", "sharp": {"lower",
/// "upper"}, "sharp_form"?, "verdict", "slack", "claim"?, "note"}], "clauses": [{"id", "text",
/// "verdict", "witness": {var: "p/q"} | null, "correction": text | null, "claim"?}],
/// "gamma_max": [{"case", "lower", "upper", "proved_at", "claim"}]}`, every number an exact
/// string. Missing keys show as empty cells; the errata are the clauses whose verdict is
/// `"false"`.
#[derive(Clone, Debug)]
pub struct AuditSection {
    /// The audit's JSON document as `stabcert audit --format json` prints it.
    pub value: serde_json::Value,
}

/// What a report shows of its case study (`crate::case_study`).
#[derive(Clone, Debug)]
pub struct CaseSection {
    /// The case study's name.
    pub name: String,
    /// The case study's file, as given.
    pub path: String,
    /// The proposition as stated, Markdown.
    pub stated_md: String,
    /// The map for several noise values, with the regions.
    pub figure: MapFigure,
    /// The figure's caption.
    pub caption: String,
}

/// A family of curves `y = f(x)` with shaded bands along the x axis and marked values: a
/// case study's map for several noise values, its regions and constants.
#[derive(Clone, Debug)]
pub struct MapFigure {
    /// The figure's title.
    pub title: String,
    /// The label of the x axis.
    pub x_label: String,
    /// The label of the y axis.
    pub y_label: String,
    /// The axes: `x ∈ [0, x_max]`, `y ∈ [0, y_max]`.
    pub x_max: f64,
    /// See `x_max`.
    pub y_max: f64,
    /// `(label, points)`, drawn in order.
    pub curves: Vec<(String, Vec<(f64, f64)>)>,
    /// `(name, lo, hi)` along the x axis.
    pub bands: Vec<(String, f64, f64)>,
    /// Values marked on both axes.
    pub marks: Vec<f64>,
}

/// A simulation of a case study's map `u' = map(γ, u)`, γ drawn in `[gamma_min, gamma_max]`.
#[derive(Clone, Debug, Serialize)]
pub struct SimulationSection {
    /// The map, as the case study writes it.
    pub map: String,
    /// The simulation's seed.
    pub seed: u64,
    /// Number of trajectories simulated.
    pub trajectories: u64,
    /// Steps per trajectory.
    pub steps: u64,
    /// The smallest `γ` drawn.
    pub gamma_min: f64,
    /// The largest `γ` drawn.
    pub gamma_max: f64,
    /// Trajectories that entered the terminal 2-cycle `I1 ∪ I4`.
    pub entered: u64,
    /// Trajectories that contradicted a proven lemma (should be 0).
    pub violations: u64,
    /// Entry times of the trajectories that entered, as histogram bins `(from, to, count)`:
    /// `count` trajectories entered at a step `t` with `from <= t < to`.
    pub entry_histogram: Vec<(u64, u64, u64)>,
    /// The proven bound on the entry time for these parameters, if one applies.
    pub proven_entry_bound: Option<u64>,
    /// Sample trajectories: per step `(γ_t, u_t)`, so that `u_{t+1} = map(γ_t, u_t)`.
    pub samples: Vec<Vec<(f64, f64)>>,
    /// The loss along each sample trajectory.
    pub sample_losses: Vec<Vec<f64>>,
    /// What the loss is (`(1 - u^2)^2/4 in units of ...`).
    pub loss_label: String,
    /// The proven band of the loss on the 2-cycle.
    pub loss_band_proven: (f64, f64),
    /// The map at `gamma_min` and `gamma_max`, sampled over `[0, state_max]`, for the cobwebs.
    #[serde(skip)]
    pub curves: Vec<(f64, Vec<(f64, f64)>)>,
    /// The largest state plotted.
    #[serde(skip)]
    pub state_max: f64,
}

/// Lines describing where and how the report was made, in order.
#[derive(Clone, Debug, Serialize)]
pub struct Environment {
    /// `(label, value)` pairs, e.g. `("stabcert", version)`, `("git commit", hash)`.
    pub lines: Vec<(String, String)>,
}

/// The check part: claims proved, systems analysed, certificates written and rechecked.
pub struct CheckSection<'a> {
    /// The claims of the files, each with the prover's outcome.
    pub results: Vec<Checked<'a>>,
    /// The analyses of the systems of the files.
    pub systems: Vec<dynamics::Report>,
    /// The claims of the files, then those the systems generated.
    pub lemmas: Vec<Lemma>,
    /// `(file name, JSON text)` of every certificate, for `certificates/`.
    pub certificates: Vec<(String, String)>,
}

/// One claim's line in the report.
#[derive(Clone, Debug, Serialize)]
pub struct Lemma {
    /// The claim's name.
    pub name: String,
    /// The file the claim was read from, as given.
    pub file: String,
    /// The line of its `claim` keyword, from 1.
    pub line: usize,
    /// The claim's description; empty if it has none.
    pub description: String,
    /// The system that generated the claim, if one did.
    pub system: Option<String>,
    /// The verdict the claim expects.
    pub expect: Verdict,
    /// The verdict the prover returned.
    pub verdict: Verdict,
    /// Verdict equals expectation; always true for a system's generated claims (the system
    /// reads their verdicts, and its own verdict is what may fail).
    pub met: bool,
    /// Leaves of the proof trees by the method that closed them.
    pub methods: BTreeMap<String, usize>,
    /// Boxes the prover examined, over all conclusions.
    pub boxes: u64,
    /// Solve time; `None` with `--reproducible`.
    pub millis: Option<f64>,
    /// The witness and failing condition, or the reason of an `unknown`.
    pub detail: Option<String>,
    /// The claim's certificate if it was proved; `None` otherwise.
    pub certificate: Option<CertRecord>,
}

/// A certificate written for a proved claim, and what the kernel said of it.
#[derive(Clone, Debug, Serialize)]
pub struct CertRecord {
    /// Path relative to the report directory.
    pub file: String,
    /// Hex SHA-256 of the certificate's text.
    pub sha256: String,
    /// Whether the kernel accepted the certificate.
    pub recheck_ok: bool,
    /// `ok (N nodes)` or the kernel's rejection.
    pub recheck: String,
}

impl<'a> CheckSection<'a> {
    /// Writes (in memory) and rechecks a certificate for every proved claim.
    pub fn new(
        results: Vec<Checked<'a>>,
        systems: Vec<dynamics::Report>,
        reproducible: bool,
    ) -> crate::Result<CheckSection<'a>> {
        let mut lemmas = Vec::new();
        let mut certificates = Vec::new();
        let own = results.iter().map(|r| (r.claim, &r.outcome, None));
        let generated = systems.iter().flat_map(|s| {
            let name = Some(s.system.name.as_str());
            s.generated
                .iter()
                .map(move |g| (&g.claim, &g.outcome, name))
        });
        for (claim, outcome, system) in own.chain(generated) {
            let checked = Checked {
                claim,
                outcome: outcome.clone(),
            };
            let mut lemma = lemma_of(&checked, system, reproducible);
            if outcome.verdict() == Verdict::Proved {
                let text = serde_json::to_string(&cert::certificate(claim, outcome))?;
                let file = format!("certificates/{}.cert.json", cert::file_stem(&claim.name));
                lemma.certificate = Some(recheck(&file, &text));
                certificates.push((file, text));
            }
            lemmas.push(lemma);
        }
        Ok(CheckSection {
            results,
            systems,
            lemmas,
            certificates,
        })
    }

    /// Claims of the files whose verdict differs from their expectation.
    pub fn unmet(&self) -> Vec<&Lemma> {
        self.lemmas
            .iter()
            .filter(|l| l.system.is_none() && !l.met)
            .collect()
    }

    /// The systems whose analysis does not hold.
    pub fn failing_systems(&self) -> Vec<&dynamics::Report> {
        self.systems.iter().filter(|s| !s.ok()).collect()
    }

    /// The claims whose certificate the kernel rejected.
    pub fn rejected(&self) -> Vec<&Lemma> {
        let bad = |l: &&Lemma| l.certificate.as_ref().is_some_and(|c| !c.recheck_ok);
        self.lemmas.iter().filter(bad).collect()
    }

    /// Every claim met, every system holds, every certificate checks.
    pub fn all_ok(&self) -> bool {
        self.unmet().is_empty() && self.failing_systems().is_empty() && self.rejected().is_empty()
    }
}

fn lemma_of(r: &Checked, system: Option<&str>, reproducible: bool) -> Lemma {
    let o = &r.outcome;
    Lemma {
        name: r.claim.name.clone(),
        file: r.claim.file.display().to_string(),
        line: r.claim.pos.line,
        description: r.claim.description.clone().unwrap_or_default(),
        system: system.map(str::to_string),
        expect: r.expected(),
        verdict: o.verdict(),
        // A generated claim has no expectation of its own: its system's verdict uses it.
        met: system.is_some() || r.is_met(),
        methods: methods_of(o),
        boxes: o.boxes,
        millis: (!reproducible).then_some(o.millis),
        detail: detail_text(o),
        certificate: None,
    }
}

/// The certificate's hash and the kernel's verdict on it.
fn recheck(file: &str, text: &str) -> CertRecord {
    let digest = Sha256::digest(text.as_bytes());
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    let (recheck_ok, recheck) = match kernel::check_certificate(text) {
        Ok(c) if c.nodes == 1 => (true, "ok (1 node)".to_string()),
        Ok(c) => (true, format!("ok ({} nodes)", c.nodes)),
        Err(e) => (false, format!("rejected: {e}")),
    };
    CertRecord {
        file: file.to_string(),
        sha256,
        recheck_ok,
        recheck,
    }
}

/// The snake_case name of a method, as in certificates.
pub fn method_name(m: Method) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{m:?}"))
}

fn methods_of(o: &Outcome) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut stack: Vec<&ProofNode> = o.proofs().iter().collect();
    while let Some(node) = stack.pop() {
        match node {
            ProofNode::Leaf(leaf) => *counts.entry(method_name(leaf.method)).or_insert(0) += 1,
            ProofNode::Branch(_, kids) => stack.extend(kids),
        }
    }
    counts
}

impl Lemma {
    /// `interval ×3, bernstein ×1`, or `-`.
    pub fn methods_text(&self) -> String {
        let parts: Vec<String> = self
            .methods
            .iter()
            .map(|(m, n)| format!("{m} ×{n}"))
            .collect();
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join(", ")
        }
    }

    /// `proved`, or `refuted (expected proved)` when unmet.
    pub fn verdict_text(&self) -> String {
        let v = verdict_name(self.verdict);
        match self.met {
            true => v.to_string(),
            false => format!("{v} (UNMET: expected {})", verdict_name(self.expect)),
        }
    }

    /// The solve time as `12.34 ms`, or `-` with `--reproducible`.
    pub fn time_text(&self) -> String {
        self.millis.map_or("-".into(), |ms| format!("{ms:.2} ms"))
    }
}
