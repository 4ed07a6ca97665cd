//! `stabcert report`: check every claim (certificates written and rechecked by the kernel),
//! analyse the systems, and write one verification report into a directory:
//!
//! ```text
//! DIR/index.html          self-contained page (inline CSS, no scripts, no network)
//! DIR/report.md           the same content as Markdown
//! DIR/report.json         the data: check results, lemma rows, audit, simulation, environment
//! DIR/junit.xml           the check's JUnit report, certificate rechecks, audit, simulation
//! DIR/figures/*.svg       region graphs, box pavings; with a case study its map and the
//!                         simulation's figures
//! DIR/certificates/*.cert.json
//! DIR/.stabcert-report    marker: this directory is a report (one version line)
//! ```
//!
//! The report is built as format-neutral blocks (`document`) rendered by `html` and
//! `markdown`; figures are drawn by `figures`. A report is about the files it is given; the
//! case study (`crate::case_study`: the proposition as stated, the map figure, the
//! simulation) and the audit are inputs ([`CaseSection`], [`SimulationSection`],
//! [`AuditSection`] in [`ReportInput`]) that [`run()`] fills from `CaseStudy::load`,
//! `simulate::oscillation` and `audit::run` when [`Options`] name them; without them the
//! report has no such sections.
//!
//! The directory is written as a temporary sibling and renamed into place at the end, so an
//! error leaves `DIR` as it was. Only a missing or empty directory or a previous report (its
//! marker file, see [`outdir`]) is replaced; anything else is refused, touching nothing.

mod document;
mod figures;
mod html;
mod markdown;
mod model;
pub mod outdir;
#[cfg(test)]
mod tests;

pub use model::{
    AuditSection, CaseSection, CertRecord, CheckSection, Environment, Lemma, MapFigure,
    ReportInput, SimulationSection,
};

use crate::case_study::{self, CaseStudy};
use crate::claim::Claim;
use crate::output::{self, Checked, Format};
use crate::prover::Budget;
use crate::{audit, run, Error, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What [`run()`] does: which files, where the report goes, the budget, the audit and the
/// simulation.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files, or directories searched for claim files.
    pub paths: Vec<PathBuf>,
    /// The directory to write (replaced as a whole when the report is complete).
    pub out: PathBuf,
    /// Byte-identical output for identical inputs: no timings, no timestamps.
    pub reproducible: bool,
    /// Worker threads (default: one a core).
    pub jobs: Option<usize>,
    /// The prover's budget per claim.
    pub budget: Budget,
    /// The audit specification to run, if any.
    pub audit: Option<PathBuf>,
    /// The case study the report is about, if any: its proposition, map and simulation.
    pub case_study: Option<PathBuf>,
    /// Seed of the case study's simulation.
    pub seed: u64,
    /// Trajectories of the case study's simulation (0: none; default: the case study's).
    pub trajectories: Option<u64>,
}

/// `DIR/name` for the first directory `DIR` among `paths` that has a file `name`: how a
/// report finds `case-study.toml` and `audit.toml` among the paths it is given.
pub fn discover(paths: &[PathBuf], name: &str) -> Option<PathBuf> {
    paths
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| p.join(name))
        .find(|f| f.is_file())
}

/// What [`run()`] wrote: whether everything was met, and the one-line summary.
#[derive(Clone, Debug)]
pub struct Written {
    /// Every claim met, every system holds, every certificate rechecked, no audit problem,
    /// no simulated violation.
    pub ok: bool,
    /// `report written to DIR/index.html: ...`.
    pub summary: String,
}

/// Sample paths the simulation draws, and their length.
const SIM_SAMPLES: u64 = 3;
const SIM_SAMPLE_STEPS: u64 = 40;

/// Runs a report: checks, certificates and their recheck, the audit, the simulation, the
/// figures, then writes the directory.
pub fn run(opts: &Options) -> Result<Written> {
    if opts.out.file_name().is_none() {
        let shown = opts.out.display();
        return Err(Error::Input(format!(
            "--out {shown}: name a directory to create or replace"
        )));
    }
    if opts.out.exists() && !opts.out.is_dir() {
        let shown = opts.out.display();
        return Err(Error::Input(format!(
            "{shown}: exists and is not a directory"
        )));
    }
    let progress = Progress::new();
    let doc = run::load(&opts.paths)?;
    outdir::check_replaceable(&opts.out).map_err(|e| Error::Input(e.to_string()))?;
    let case = opts
        .case_study
        .as_deref()
        .map(CaseStudy::load)
        .transpose()?;
    let pool = run::thread_pool(opts.jobs)?;
    let checked = pool.install(|| run::check(&doc, &opts.budget, &progress));
    progress.stage("writing certificates and rechecking them with the kernel");
    let check = CheckSection::new(checked.results, checked.systems, opts.reproducible)?;
    let mut problems = Vec::new();
    let audit = match &opts.audit {
        Some(spec) => {
            progress.stage(&format!("auditing ({})", spec.display()));
            let a = pool
                .install(|| audit::run(spec, &audit::Options::default()))
                .map_err(|e| Error::Input(e.0))?;
            problems.extend(a.problems.iter().map(|p| format!("audit: {p}")));
            Some(a)
        }
        None => None,
    };
    let trajectories = case.as_ref().map_or(0, |c| {
        opts.trajectories.unwrap_or(c.simulation.trajectories)
    });
    let simulation = case.as_ref().filter(|_| trajectories > 0).map(|c| {
        progress.stage(&format!("simulating {trajectories} trajectories"));
        pool.install(|| simulate_default(c, opts.seed, trajectories))
    });
    if let Some((_, problem)) = &simulation {
        problems.extend(problem.clone());
    }
    let seed = simulation.as_ref().map(|_| opts.seed);
    let input = ReportInput {
        environment: environment(opts, case.as_ref(), seed),
        check,
        case_study: case.as_ref().map(case_section),
        corrected_md: audit.as_ref().and_then(|a| a.corrected_md.clone()),
        audit: audit
            .map(|a| serde_json::to_value(&a).map(|value| AuditSection { value }))
            .transpose()?,
        simulation: simulation.map(|(s, _)| s),
        reproducible: opts.reproducible,
        problems,
    };
    progress.stage("drawing figures and writing the report");
    let files = render(&input)?;
    write_tree(&opts.out, &files)?;
    progress.done();
    Ok(Written {
        ok: input.all_ok(),
        summary: summary_line(&input, &opts.out),
    })
}

/// The case study's default run (its noise law, `u₀` uniform on (0, 1)) and, if it
/// contradicts the proof, why.
fn simulate_default(
    cs: &CaseStudy,
    seed: u64,
    trajectories: u64,
) -> (SimulationSection, Option<String>) {
    use crate::simulate::{law::GammaLaw, oscillation};
    let (model, run) = (&cs.model, &cs.simulation);
    let cfg = oscillation::OscillationConfig {
        law: GammaLaw::Uniform {
            min: run.noise_min,
            max: run.noise_max,
        },
        u0: None,
        trajectories,
        steps: run.steps,
        seed,
        seed_scale: 1.0,
    };
    let r = oscillation::oscillation(model, &cfg);
    let late = r.band_entry_time.over_proven_bound + r.entry_time.over_proven_bound;
    let problem = (r.violations > 0 || late > 0).then(|| {
        format!(
            "simulation: {} violations, {late} entries later than their proven bound ({})",
            r.violations, r.verdict
        )
    });
    let ev = model.evaluator();
    let mut scratch = Vec::new();
    let samples = oscillation::sample_paths(model, &cfg, SIM_SAMPLES, SIM_SAMPLE_STEPS);
    let sample_losses = samples
        .iter()
        .map(|p| p.iter().map(|&(_, u)| ev.loss(u, &mut scratch)).collect())
        .collect();
    let state_max = plot_top(model);
    let curves = [r.gamma_min, r.gamma_max]
        .map(|g| {
            (
                g,
                curve(state_max, |u| ev.next(r.epsilon, g, u, &mut scratch)),
            )
        })
        .to_vec();
    let section = SimulationSection {
        map: model.map_text.clone(),
        seed,
        trajectories: r.trajectories,
        steps: r.steps,
        gamma_min: r.gamma_min,
        gamma_max: r.gamma_max,
        entered: r.entered_band,
        violations: r.violations,
        entry_histogram: r
            .band_entry_time
            .histogram
            .iter()
            .map(|b| (b.from, b.to, b.count))
            .collect(),
        proven_entry_bound: Some(r.band_entry_time.proven_bound_max),
        samples,
        sample_losses,
        loss_label: format!("{} (in units of {})", model.loss_text, model.loss_unit),
        loss_band_proven: (r.loss.proven[0], r.loss.proven[1]),
        curves,
        state_max,
    };
    (section, problem)
}

/// Points plotted a curve.
const CURVE_POINTS: usize = 250;

/// The right end of a plot of the state space: a little beyond its top.
fn plot_top(model: &case_study::Model) -> f64 {
    case_study::nearest(&model.top) * 1.075
}

/// `f` sampled over `[0, x_max]`, its values kept within a few plot heights.
fn curve(x_max: f64, mut f: impl FnMut(f64) -> f64) -> Vec<(f64, f64)> {
    (0..=CURVE_POINTS)
        .map(|i| x_max * i as f64 / CURVE_POINTS as f64)
        .map(|x| (x, f(x)))
        .filter(|(_, y)| y.is_finite())
        .map(|(x, y)| (x, y.clamp(-2.0 * x_max, 3.0 * x_max)))
        .collect()
}

/// `1.05`, `1.2`: at most four decimals.
fn short(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The case study as the report shows it: its statement and its map across the window.
fn case_section(cs: &CaseStudy) -> CaseSection {
    let m = &cs.model;
    let [state, noise, param] = [
        &m.names[case_study::STATE],
        &m.names[case_study::NOISE],
        &m.names[case_study::PARAM],
    ];
    let [lo, hi] = m.window.clone().map(|q| case_study::nearest(&q));
    // The regions at the parameter of the window's top.
    let eps = m.param(hi);
    let [low, fixed, top] = [&m.low, &m.fixed, &m.top].map(case_study::nearest);
    let ev = m.evaluator();
    let mut scratch = Vec::new();
    let x_max = plot_top(m);
    const CURVES: usize = 6;
    let curves = (0..CURVES)
        .map(|i| lo + (hi - lo) * i as f64 / (CURVES - 1) as f64)
        .map(|g| {
            let points = curve(x_max, |u| ev.next(eps, g, u, &mut scratch));
            (format!("{noise} = {}", short(g)), points)
        })
        .collect();
    let band = |name: &str, a: f64, b: f64| (name.to_string(), a, b);
    let figure = MapFigure {
        title: format!(
            "{state}' = {}, {noise} ∈ [{}, {}]",
            m.map_text,
            short(lo),
            short(hi)
        ),
        x_label: state.clone(),
        y_label: format!("{state}'"),
        x_max,
        y_max: top * 1.12,
        curves,
        bands: vec![
            band("I0", 0.0, low),
            band("I1", low, fixed - eps),
            band("I2", fixed - eps, fixed),
            band("I3", fixed, top),
        ],
        marks: vec![low, fixed, top],
    };
    let caption = format!(
        "The map {state}' = {} for {noise} from {} to {}, the regions I0 to I3 ({param} = {}) \
         shaded along the {state} axis, the constants {low}, {fixed} and {top}, and the diagonal.",
        m.map_text,
        short(lo),
        short(hi),
        short(eps)
    );
    CaseSection {
        name: cs.name.clone(),
        path: cs.path.display().to_string(),
        stated_md: cs.stated_md.clone(),
        figure,
        caption,
    }
}

/// `report written to DIR/index.html: ...`.
fn summary_line(input: &ReportInput, out: &Path) -> String {
    let verdict = match document::banner(&input.check, &input.problems) {
        document::Block::Banner { title, .. } => title,
        _ => String::new(),
    };
    format!(
        "report written to {}: {verdict}",
        out.join("index.html").display()
    )
}

/// Every file of the report: `(path relative to DIR, contents)`, sorted by path.
pub fn render(input: &ReportInput) -> Result<Vec<(String, Vec<u8>)>> {
    let document::Doc {
        blocks: doc,
        figures,
    } = document::build(input)?;
    let results = timed_results(input);
    let mut junit = output::junit::report(&results, &input.check.systems);
    junit.add_test_suite(certificate_suite(&input.check));
    if input.audit.is_some() || input.simulation.is_some() {
        junit.add_test_suite(runs_suite(input));
    }
    let mut files = vec![
        ("index.html".to_string(), html::render(&doc).into_bytes()),
        ("report.md".to_string(), markdown::render(&doc).into_bytes()),
        ("report.json".to_string(), report_json(input)?.into_bytes()),
        ("junit.xml".to_string(), junit.to_string()?.into_bytes()),
    ];
    files.extend(figures.into_iter().map(|f| (f.path, f.svg.into_bytes())));
    let certs = input.check.certificates.iter();
    files.extend(certs.map(|(p, text)| (p.clone(), text.clone().into_bytes())));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The audit and the simulation, one test case each when they ran; a problem fails its case.
fn runs_suite(input: &ReportInput) -> quick_junit::TestSuite {
    use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus};
    let mut suite = quick_junit::TestSuite::new("audit and simulation");
    let ran = [
        ("audit", input.audit.is_some()),
        ("simulation", input.simulation.is_some()),
    ];
    for (name, _) in ran.iter().filter(|(_, ran)| *ran) {
        let prefix = format!("{name}: ");
        let problems: Vec<&str> = input
            .problems
            .iter()
            .filter_map(|p| p.strip_prefix(prefix.as_str()))
            .collect();
        let status = match problems.is_empty() {
            true => TestCaseStatus::success(),
            false => {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                st.set_message(problems.join("; "));
                st
            }
        };
        suite.add_test_case(TestCase::new(*name, status));
    }
    suite
}

/// One test case a certificate: its recheck by the kernel.
fn certificate_suite(check: &CheckSection) -> quick_junit::TestSuite {
    use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus};
    let mut suite = quick_junit::TestSuite::new("certificates (kernel recheck)");
    for (lemma, c) in check
        .lemmas
        .iter()
        .filter_map(|l| Some((l, l.certificate.as_ref()?)))
    {
        let status = match c.recheck_ok {
            true => TestCaseStatus::success(),
            false => {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                st.set_type("rejected").set_message(c.recheck.as_str());
                st
            }
        };
        let mut case = TestCase::new(lemma.name.as_str(), status);
        case.set_classname(c.file.as_str());
        case.set_system_out(format!("sha256 {}: {}", c.sha256, c.recheck));
        suite.add_test_case(case);
    }
    suite
}

/// The check's results, with timings zeroed when the report must be reproducible.
fn timed_results<'a>(input: &ReportInput<'a>) -> Vec<Checked<'a>> {
    let mut results = input.check.results.clone();
    if input.reproducible {
        results.iter_mut().for_each(|r| r.outcome.millis = 0.0);
    }
    results
}

/// `report.json`: the check's own JSON, the lemma rows, audit, simulation, environment.
fn report_json(input: &ReportInput) -> Result<String> {
    let results = timed_results(input);
    let check: serde_json::Value = serde_json::from_str(&output::render(
        Format::Json,
        &results,
        &input.check.systems,
    )?)?;
    let mut check = check;
    if input.reproducible {
        strip_key(&mut check, "millis");
    }
    let mut value = serde_json::json!({
        "version": 1,
        "ok": input.all_ok(),
        "problems": input.problems,
        "check": check,
        "lemmas": input.check.lemmas,
        "audit": input.audit.as_ref().map(|a| &a.value),
        "simulation": input.simulation,
        "environment": input.environment.lines,
    });
    let case = input.case_study.as_ref();
    if case.is_some() || input.corrected_md.is_some() {
        value["case_study"] = serde_json::json!(
            case.map(|c| { serde_json::json!({"name": c.name, "path": c.path}) })
        );
        value["proposition"] = serde_json::json!({
            "stated": case.map(|c| &c.stated_md),
            "corrected": input.corrected_md,
        });
    }
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

fn strip_key(v: &mut serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove(key);
            o.values_mut().for_each(|v| strip_key(v, key));
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|v| strip_key(v, key)),
        _ => {}
    }
}

/// The environment lines; with `--reproducible` only those stable across runs.
pub fn environment(opts: &Options, case: Option<&CaseStudy>, seed: Option<u64>) -> Environment {
    let budget = &opts.budget;
    let mut lines = vec![
        (
            "stabcert".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("git commit".into(), git_commit()),
        (
            "rustc (on PATH when the report was written)".into(),
            command_line("rustc", &["--version"]),
        ),
        (
            "proof files".into(),
            opts.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "budget per claim".into(),
            format!(
                "{} boxes, {:?}",
                budget.max_boxes,
                budget.timeout.unwrap_or_default()
            ),
        ),
    ];
    if let Some(c) = case {
        lines.push(("case study".into(), c.path.display().to_string()));
        lines.push((
            "simulation seed".into(),
            seed.map_or("no simulation run".into(), |s| s.to_string()),
        ));
    }
    let when = match opts.reproducible {
        true => "omitted (--reproducible): no timestamps, no timings".to_string(),
        false => utc_now(),
    };
    lines.push(("written at".into(), when));
    Environment { lines }
}

/// `git rev-parse HEAD` here, marked when tracked files differ from it.
fn git_commit() -> String {
    let head = command_line("git", &["rev-parse", "HEAD"]);
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output();
    match status {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => {
            format!("{head} (tracked files modified)")
        }
        _ => head,
    }
}

/// The first line a command prints, or why there is none.
fn command_line(program: &str, args: &[&str]) -> String {
    match std::process::Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            text.lines().next().unwrap_or("").trim().to_string()
        }
        _ => format!("unknown (`{program} {}` failed)", args.join(" ")),
    }
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02} UTC")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Writes `files` and the report marker into a temporary sibling of `out`, then puts it in
/// place of `out` (refused unless `out` is missing, empty or a previous report).
pub fn write_tree(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    outdir::check_replaceable(out).map_err(|e| Error::Input(e.to_string()))?;
    let name = out
        .file_name()
        .map_or("report".into(), |n| n.to_string_lossy());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io("cannot create", &parent, e))?;
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fill_dir(&tmp, files).and_then(|()| replace_dir(&tmp, out));
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    written.map_err(|e| Error::io("cannot write the report into", out, e))
}

fn fill_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(outdir::MARKER), outdir::MARKER_TEXT)?;
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

/// Renames `new` to `out`; an existing `out` is moved aside first and removed after.
fn replace_dir(new: &Path, out: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(new, out);
    }
    let old = new.with_extension("old");
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::remove_dir_all(&old)
}

/// Progress on stderr: one updating line on a terminal, stage lines otherwise.
struct Progress {
    tty: bool,
}

impl run::Progress for Progress {
    fn claim(&self, index: usize, total: usize, claim: &Claim) {
        if index == 0 {
            self.stage(&format!("checking {total} claims"));
        }
        if self.tty {
            eprint!("\r\x1b[2Kreport: [{}/{total}] {}", index + 1, claim.name);
        }
    }

    fn system(&self, index: usize, total: usize, name: &str) {
        self.stage(&format!("analysing system {name} ({}/{total})", index + 1));
    }
}

impl Progress {
    fn new() -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn stage(&self, what: &str) {
        match self.tty {
            true => eprint!("\r\x1b[2Kreport: {what}"),
            false => eprintln!("report: {what}"),
        }
    }

    fn done(&self) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The figures of a network simulation (`stabcert simulate dln|relu|sde --figures DIR`), as
/// `(file name, SVG)`: the training loss, the test loss (log scales) and the sparsity
/// coefficient against the step, one line per run.
pub fn net_figures(
    name: &str,
    runs: &[crate::simulate::nets::NetRun],
) -> Result<Vec<(String, String)>> {
    Ok(vec![
        (
            format!("{name}-train-loss.svg"),
            figures::net_curves(
                &format!("{name}: training loss"),
                "train loss (log scale)",
                runs,
                |c| &c.train_loss,
                true,
            )?,
        ),
        (
            format!("{name}-test-loss.svg"),
            figures::net_curves(
                &format!("{name}: test loss"),
                "test loss (log scale)",
                runs,
                |c| &c.test_loss,
                true,
            )?,
        ),
        (
            format!("{name}-sparsity.svg"),
            figures::net_curves(
                &format!("{name}: feature sparsity coefficient"),
                "sparsity coefficient",
                runs,
                |c| &c.sparsity_coefficient,
                false,
            )?,
        ),
    ])
}
