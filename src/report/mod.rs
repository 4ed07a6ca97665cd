//! `stabcert report`: check every claim (certificates written and rechecked by the kernel),
//! analyse the systems, and write one verification report into a directory:
//!
//! ```text
//! DIR/index.html          self-contained page (inline CSS, no scripts, no network)
//! DIR/report.md           the same content as Markdown
//! DIR/report.json         the data: check results, lemma rows, audit, simulation, environment
//! DIR/junit.xml           the check's JUnit report, certificate rechecks, audit, simulation
//! DIR/figures/*.svg       region graphs, h_γ, box pavings, simulation figures
//! DIR/certificates/*.cert.json
//! DIR/.stabcert-report    marker: this directory is a report (one version line)
//! ```
//!
//! The report is built as format-neutral blocks (`document`) rendered by `html` and
//! `markdown`; figures are drawn by `figures`. The audit and the simulation are inputs
//! ([`AuditSection`], [`SimulationSection`] in [`ReportInput`]) that [`run`] fills from
//! `audit::run` and `simulate::oscillation`; when absent their sections say that they were
//! not run.
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
    AuditSection, CertRecord, CheckSection, Environment, Lemma, ReportInput, SimulationSection,
    STATED_MD,
};

use crate::cli::{self, InputError, EXIT_MET, EXIT_UNMET};
use crate::output::{self, Checked, Format};
use crate::prover::Budget;
use crate::{audit, dynamics, lang};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `stabcert report [PATH ...] [--out DIR] [--reproducible]`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Files, or directories searched for *.stab files.
    #[arg(value_name = "PATH", default_value = "proofs/")]
    paths: Vec<PathBuf>,

    /// Directory to write the report into (replaced as a whole when the report is complete).
    #[arg(long, value_name = "DIR", default_value = "report")]
    out: PathBuf,

    /// Byte-identical output for identical inputs: no timings, no timestamps.
    #[arg(long)]
    reproducible: bool,

    /// Worker threads [default: number of cores]. Verdicts do not depend on it.
    #[arg(long, short, value_name = "N", value_parser = cli::parse_jobs, allow_negative_numbers = true)]
    jobs: Option<usize>,

    /// Boxes the prover may examine per claim [default: 2000000]; exhausting it gives unknown.
    #[arg(long, value_name = "N", value_parser = cli::parse_max_boxes, allow_negative_numbers = true)]
    max_boxes: Option<u64>,

    /// Wall-clock limit per claim, in seconds [default: 60]; exhausting it gives unknown.
    #[arg(long, value_name = "S", value_parser = cli::parse_timeout, allow_negative_numbers = true)]
    timeout: Option<Duration>,

    /// The audit specification to run [default: proofs/audit.toml, skipped if absent].
    #[arg(long, value_name = "SPEC", conflicts_with = "no_audit")]
    audit: Option<PathBuf>,

    /// Do not run the audit.
    #[arg(long)]
    no_audit: bool,

    /// Seed of the default simulation (rescaled SGD, γ uniform on [1.06, 1.24]).
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,

    /// Trajectories of the default simulation (0: no simulation).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    trajectories: u64,
}

/// The default audit specification, run when present.
const DEFAULT_AUDIT: &str = "proofs/audit.toml";
/// The default simulation: steps per trajectory, sample paths drawn, and their length.
const SIM_STEPS: u64 = 1000;
const SIM_SAMPLES: u64 = 3;
const SIM_SAMPLE_STEPS: u64 = 40;

/// Runs `stabcert report`; `Ok` carries the exit status.
pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let progress = Progress::new();
    let doc = cli::load(&args.paths)?;
    outdir::check_replaceable(&args.out).map_err(|e| InputError(e.to_string()))?;
    let budget = Budget {
        max_boxes: args.max_boxes.unwrap_or(Budget::default().max_boxes),
        timeout: args.timeout.or(Budget::default().timeout),
    };
    let pool = cli::thread_pool(args.jobs)?;
    let (results, systems) = pool.install(|| check_all(&doc, &budget, &progress));
    progress.stage("writing certificates and rechecking them with the kernel");
    let check = CheckSection::new(results, systems, args.reproducible)?;
    let mut problems = Vec::new();
    let audit = match audit_spec(args) {
        Some(spec) => {
            progress.stage(&format!("auditing ({})", spec.display()));
            let a = pool
                .install(|| audit::run(&spec, &audit::Options::default()))
                .map_err(|e| InputError(e.0))?;
            problems.extend(a.problems.iter().map(|p| format!("audit: {p}")));
            Some(a)
        }
        None => None,
    };
    let simulation = (args.trajectories > 0).then(|| {
        progress.stage(&format!("simulating {} trajectories", args.trajectories));
        pool.install(|| simulate_default(args.seed, args.trajectories))
    });
    if let Some((_, problem)) = &simulation {
        problems.extend(problem.clone());
    }
    let input = ReportInput {
        environment: environment(args, &budget, simulation.as_ref().map(|_| args.seed)),
        check,
        stated_md: STATED_MD.to_string(),
        corrected_md: audit.as_ref().and_then(|a| a.corrected_md.clone()),
        audit: audit
            .map(|a| serde_json::to_value(&a).map(|value| AuditSection { value }))
            .transpose()?,
        simulation: simulation.map(|(s, _)| s),
        reproducible: args.reproducible,
        problems,
    };
    progress.stage("drawing figures and writing the report");
    let files = render(&input)?;
    write_tree(&args.out, &files)?;
    progress.done();
    println!("{}", summary_line(&input, &args.out));
    Ok(if input.all_ok() { EXIT_MET } else { EXIT_UNMET })
}

/// The audit specification to run: the one given, else the default one if it exists.
fn audit_spec(args: &ReportArgs) -> Option<PathBuf> {
    if args.no_audit {
        return None;
    }
    match &args.audit {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(DEFAULT_AUDIT)).filter(|p| p.is_file()),
    }
}

/// The default simulation (rescaled SGD, γ uniform on [1.06, 1.24], `u₀` uniform on (0, 1))
/// and, if it contradicts the proof, why.
fn simulate_default(seed: u64, trajectories: u64) -> (SimulationSection, Option<String>) {
    use crate::simulate::{law::GammaLaw, oscillation};
    let cfg = oscillation::OscillationConfig {
        law: GammaLaw::Uniform {
            min: 1.06,
            max: 1.24,
        },
        u0: None,
        trajectories,
        steps: SIM_STEPS,
        seed,
        seed_scale: 1.0,
    };
    let r = oscillation::oscillation(&cfg);
    let late = r.band_entry_time.over_proven_bound + r.entry_time.over_proven_bound;
    let problem = (r.violations > 0 || late > 0).then(|| {
        format!(
            "simulation: {} violations, {late} entries later than their proven bound ({})",
            r.violations, r.verdict
        )
    });
    let section = SimulationSection {
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
        samples: oscillation::sample_paths(&cfg, SIM_SAMPLES, SIM_SAMPLE_STEPS),
        loss_band_proven: (r.loss.proven[0], r.loss.proven[1]),
    };
    (section, problem)
}

/// Proves the claims and analyses the systems, showing progress.
fn check_all<'a>(
    doc: &'a lang::Document,
    budget: &Budget,
    progress: &Progress,
) -> (Vec<Checked<'a>>, Vec<dynamics::Report>) {
    let n = doc.claims.len();
    progress.stage(&format!("checking {n} claims"));
    let mut results = Vec::with_capacity(n);
    for (i, claim) in doc.claims.iter().enumerate() {
        progress.step(i + 1, n, &claim.name);
        results.extend(cli::prove_all(std::slice::from_ref(claim), budget));
    }
    let mut systems = Vec::new();
    for (i, s) in doc.systems.iter().enumerate() {
        progress.stage(&format!(
            "analysing system {} ({}/{})",
            s.name,
            i + 1,
            doc.systems.len()
        ));
        systems.push(dynamics::analyse(s, budget));
    }
    (results, systems)
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
pub fn render(input: &ReportInput) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let document::Doc {
        blocks: doc,
        figures,
    } = document::build(input)?;
    let results = timed_results(input);
    let mut junit = output::junit::report(&results, &input.check.systems);
    junit.add_test_suite(certificate_suite(&input.check));
    junit.add_test_suite(runs_suite(input));
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
fn report_json(input: &ReportInput) -> anyhow::Result<String> {
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
    let value = serde_json::json!({
        "version": 1,
        "ok": input.all_ok(),
        "problems": input.problems,
        "check": check,
        "lemmas": input.check.lemmas,
        "proposition": {"stated": input.stated_md, "corrected": input.corrected_md},
        "audit": input.audit.as_ref().map(|a| &a.value),
        "simulation": input.simulation,
        "environment": input.environment.lines,
    });
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
pub fn environment(args: &ReportArgs, budget: &Budget, seed: Option<u64>) -> Environment {
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
            args.paths
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
        (
            "simulation seed".into(),
            seed.map_or("no simulation run".into(), |s| s.to_string()),
        ),
    ];
    let when = match args.reproducible {
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
pub fn write_tree(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    outdir::check_replaceable(out).map_err(|e| InputError(e.to_string()))?;
    let name = out
        .file_name()
        .map_or("report".into(), |n| n.to_string_lossy());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fill_dir(&tmp, files).and_then(|()| replace_dir(&tmp, out));
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    written.with_context(|| format!("cannot write the report into {}", out.display()))
}

fn fill_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
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
fn replace_dir(new: &Path, out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(std::fs::rename(new, out)?);
    }
    let old = new.with_extension("old");
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e.into());
    }
    Ok(std::fs::remove_dir_all(&old)?)
}

/// Progress on stderr: one updating line on a terminal, stage lines otherwise.
struct Progress {
    tty: bool,
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

    fn step(&self, i: usize, n: usize, name: &str) {
        if self.tty {
            eprint!("\r\x1b[2Kreport: [{i}/{n}] {name}");
        }
    }

    fn done(&self) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}
