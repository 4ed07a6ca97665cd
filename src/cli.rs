//! Command-line interface: `stabcert check [PATH ...]`.
//!
//! [`main`] returns the exit status: `0` every claim met, `1` some claim unmet, `2` usage or
//! input error. Errors are printed once, to stderr, by [`main`]; nothing here panics on bad input.

use crate::claim::Claim;
use crate::lang;
use crate::output::{self, Checked, Format};
use crate::prover::{self, Budget};
use crate::{audit, cert, dynamics, kernel, simulate};
use anyhow::{anyhow, Context};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Exit status: every claim met.
pub const EXIT_MET: i32 = 0;
/// Exit status: some claim's verdict differs from its expectation.
pub const EXIT_UNMET: i32 = 1;
/// Exit status: usage or input error.
pub const EXIT_ERROR: i32 = 2;

/// Most worker threads `--jobs` accepts.
const MAX_JOBS: usize = 1024;
/// Longest per-claim `--timeout` accepted, in seconds (about 11.5 days).
const MAX_TIMEOUT_SECS: f64 = 1e6;

#[derive(Parser, Debug)]
#[command(name = "stabcert", version, about, propagate_version = true)]
#[command(subcommand_required = true, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the claims of .stab files (prove, refute with an exact witness, or say unknown)
    /// and their systems (region graph, cycles, escape lemmas).
    ///
    /// Exit status: 0 every claim met (verdict equals its expectation) and every system holds,
    /// 1 some claim unmet or some system fails, 2 usage or input error.
    Check(CheckArgs),
    /// Re-verify certificates with the independent exact kernel.
    ///
    /// Exit status: 0 every certificate checks (and matches the current claims with
    /// --against), 1 some certificate is rejected or stale, 2 unreadable input.
    Recheck(RecheckArgs),
    /// Audit a statement as written: the sharp value of every constant (an enclosure to
    /// --digits significant digits), every clause refuted with an exact witness or proved.
    ///
    /// Exit status: 0 every verdict is backed by its claims, 1 some claim or enclosure does
    /// not come out as the audit needs, 2 usage or input error.
    Audit(AuditArgs),
    /// Simulate the dynamics (Monte Carlo, exact trajectories) and check the label-noise
    /// identities.
    Simulate(simulate::SimulateArgs),
    /// Write a verification report (HTML, Markdown, JSON, JUnit) into a directory: every
    /// claim checked with certificates rechecked, the audit, a simulation, the region
    /// graphs, figures, environment.
    ///
    /// Exit status: 0 every claim met, every system holds and every certificate checks,
    /// 1 otherwise, 2 usage or input error (nothing is written then).
    Report(crate::report::ReportArgs),
}

#[derive(Args, Debug)]
struct AuditArgs {
    /// The audit specification (TOML): constants, clauses and the claims that settle them.
    #[arg(value_name = "SPEC", default_value = "proofs/audit.toml")]
    spec: PathBuf,

    /// Significant digits of every enclosure (1 to 200).
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = parse_digits)]
    digits: u32,

    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,

    /// Worker threads [default: number of cores].
    #[arg(long, short, value_name = "N", value_parser = parse_jobs, allow_negative_numbers = true)]
    jobs: Option<usize>,

    /// Write the report to FILE (atomically).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum AuditFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
struct RecheckArgs {
    /// Certificate files (NAME.cert.json), or directories holding them.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Also require each certificate's claim to be, exactly, the claim of that name in these
    /// proof files (catches proof files edited after their certificates were made).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    against: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files, or directories searched for *.stab files.
    #[arg(value_name = "PATH", default_value = "proofs/")]
    paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Worker threads [default: number of cores]. Verdicts do not depend on it.
    #[arg(long, short, value_name = "N", value_parser = parse_jobs, allow_negative_numbers = true)]
    jobs: Option<usize>,

    /// Boxes the prover may examine per claim [default: 2000000]; exhausting it gives unknown.
    #[arg(long, value_name = "N", value_parser = parse_max_boxes, allow_negative_numbers = true)]
    max_boxes: Option<u64>,

    /// Wall-clock limit per claim, in seconds [default: 60]; exhausting it gives unknown.
    #[arg(long, value_name = "S", value_parser = parse_timeout, allow_negative_numbers = true)]
    timeout: Option<Duration>,

    /// Write the report to FILE (atomically: an existing FILE is replaced only when complete).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Write a certificate for every proved claim into DIR (NAME.cert.json).
    #[arg(long, value_name = "DIR")]
    certificates: Option<PathBuf>,

    /// Write each system's region graph into DIR as NAME.dot and NAME.svg.
    #[arg(long, value_name = "DIR")]
    graph: Option<PathBuf>,
}

/// An input error whose text is already a complete diagnostic (`file:line:col: message`, the
/// line, a caret): printed as it is, without an `error:` prefix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InputError(pub(crate) String);

/// Runs the command line of this process and returns its exit status.
pub fn main() -> i32 {
    match run() {
        Ok(code) => code,
        Err(err) => {
            report_error(&err);
            EXIT_ERROR
        }
    }
}

fn report_error(err: &anyhow::Error) {
    match err.downcast_ref::<InputError>() {
        Some(diagnostic) => eprintln!("{}", diagnostic.0.trim_end()),
        None => eprintln!("error: {err:#}"),
    }
}

/// Parses the arguments and runs the subcommand; `Ok` carries the exit status.
pub fn run() -> anyhow::Result<i32> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return print_clap_error(&err),
    };
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Recheck(args) => recheck(&args),
        Command::Audit(args) => audit(&args),
        Command::Simulate(args) => simulate::cli::run(&args),
        Command::Report(args) => crate::report::run(&args),
    }
}

/// Prints clap's own message: help and version go to stdout and exit 0, usage errors exit 2.
fn print_clap_error(err: &clap::Error) -> anyhow::Result<i32> {
    // A closed stdout (`stabcert --help | head -1`) does not change the status.
    let _ = err.print();
    Ok(err.exit_code())
}

/// `stabcert check`: load every claim and system, prove the claims one after another,
/// analyse the systems, write the report (and certificates, graphs).
fn check(args: &CheckArgs) -> anyhow::Result<i32> {
    let doc = load(&args.paths)?;
    for dir in [&args.certificates, &args.graph].into_iter().flatten() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let pool = thread_pool(args.jobs)?;
    let budget = budget(args);
    let results: Vec<Checked> = pool.install(|| prove_all(&doc.claims, &budget));
    let systems: Vec<dynamics::Report> = pool.install(|| {
        doc.systems
            .iter()
            .map(|s| dynamics::analyse(s, &budget))
            .collect()
    });
    let report = output::render(args.format, &results, &systems)?;
    if let Some(dir) = &args.certificates {
        write_certificates(dir, &results, &systems)?;
    }
    if let Some(dir) = &args.graph {
        write_graphs(dir, &systems)?;
    }
    emit(&report, args.output.as_deref())?;
    let all_met = results.iter().all(Checked::is_met) && systems.iter().all(dynamics::Report::ok);
    Ok(if all_met { EXIT_MET } else { EXIT_UNMET })
}

/// `stabcert audit`: the specification's constants, clauses and windows, then the report.
fn audit(args: &AuditArgs) -> anyhow::Result<i32> {
    let pool = thread_pool(args.jobs)?;
    let opts = audit::Options {
        digits: args.digits,
        ..audit::Options::default()
    };
    let result = pool
        .install(|| audit::run(&args.spec, &opts))
        .map_err(|e| InputError(e.0))?;
    let report = match args.format {
        AuditFormat::Text => audit::to_text(&result),
        AuditFormat::Markdown => audit::to_markdown(&result),
        AuditFormat::Json => serde_json::to_string_pretty(&result)? + "\n",
    };
    emit(&report, args.output.as_deref())?;
    Ok(if result.ok { EXIT_MET } else { EXIT_UNMET })
}

fn parse_digits(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if (1..=audit::MAX_DIGITS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number of digits from 1 to {}",
            audit::MAX_DIGITS
        )),
    }
}

/// `stabcert recheck`: every certificate through the kernel, one line each.
fn recheck(args: &RecheckArgs) -> anyhow::Result<i32> {
    let files = certificate_files(&args.files)?;
    let current: Option<Vec<Claim>> = match args.against.is_empty() {
        true => None,
        false => Some(load(&args.against)?.claims),
    };
    let mut out = String::new();
    let mut failed = 0usize;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| InputError(format!("{}: cannot read certificate: {e}", file.display())))?;
        let verdict = match kernel::check_certificate(&text) {
            Err(kernel::KernelError::Unreadable(why)) => {
                return Err(InputError(format!("{}: {why}", file.display())).into());
            }
            Err(e) => Err(e.to_string()),
            Ok(c) => match current
                .as_deref()
                .map(|claims| stale(&text, &c.name, claims))
            {
                Some(Some(why)) => Err(why),
                _ => Ok(c),
            },
        };
        match verdict {
            Ok(c) => out.push_str(&format!(
                "ok        {}  ({} goals, {} nodes)\n",
                c.name, c.goals, c.nodes
            )),
            Err(why) => {
                failed += 1;
                out.push_str(&format!("REJECTED  {}: {why}\n", file.display()));
            }
        }
    }
    let lines = kernel::kernel_size_lines();
    out.push_str(&format!(
        "{} certificates: {} checked, {failed} rejected (kernel: {lines} lines)\n",
        files.len(),
        files.len() - failed
    ));
    write_stdout(&out)?;
    Ok(if failed == 0 { EXIT_MET } else { EXIT_UNMET })
}

/// Why a certificate's claim is not the current claim of that name, if it is not.
fn stale(cert_text: &str, name: &str, claims: &[Claim]) -> Option<String> {
    if dynamics::is_generated_name(name) {
        return None; // a system's claim: re-derived by running `check` on the system
    }
    let Some(claim) = claims.iter().find(|c| c.name == name) else {
        return Some(format!("no claim `{name}` in the given proof files"));
    };
    let cert: serde_json::Value = serde_json::from_str(cert_text).ok()?;
    // The same claim read through another path is the same claim: compare all but `file`.
    let without_file = |mut v: serde_json::Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("file");
        }
        v
    };
    (without_file(cert["claim"].clone()) != without_file(cert::claim_json(claim))).then(|| {
        format!(
            "claim `{name}` has changed since the certificate was made ({}:{})",
            claim.file.display(),
            claim.pos.line
        )
    })
}

/// The files named, and the `*.cert.json` files of the directories named, sorted.
fn certificate_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| InputError(format!("{}: {e}", p.display())))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.to_string_lossy().ends_with(".cert.json"))
                .collect();
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(InputError(format!("{}: no such file or directory", p.display())).into());
        }
    }
    if out.is_empty() {
        return Err(InputError("no certificates found".into()).into());
    }
    Ok(out)
}

/// Parses and resolves the claims and systems of `paths`; nothing at all is an input error.
pub(crate) fn load(paths: &[PathBuf]) -> anyhow::Result<lang::Document> {
    let doc = lang::load_documents(paths).map_err(|d| InputError(d.to_string()))?;
    if doc.claims.is_empty() && doc.systems.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(anyhow!("no claims found in {}", shown.join(", ")));
    }
    Ok(doc)
}

/// One certificate a proved claim, the systems' generated claims included.
fn write_certificates(
    dir: &Path,
    results: &[Checked],
    systems: &[dynamics::Report],
) -> anyhow::Result<()> {
    let generated = systems
        .iter()
        .flat_map(|s| s.generated.iter().map(|g| (&g.claim, &g.outcome)));
    let all = results
        .iter()
        .map(|r| (r.claim, &r.outcome))
        .chain(generated);
    for (claim, outcome) in all.filter(|(_, o)| o.verdict() == prover::Verdict::Proved) {
        let file = dir.join(format!("{}.cert.json", cert_file_stem(&claim.name)));
        let text = serde_json::to_string(&cert::certificate(claim, outcome))?;
        write_atomically(&file, text.as_bytes())?;
    }
    Ok(())
}

/// A file name for a claim's certificate: `sgd::I0->I1:below` gives `sgd__I0-to-I1_below`.
pub(crate) fn cert_file_stem(name: &str) -> String {
    name.replace("::", "__")
        .replace("->", "-to-")
        .replace(':', "_")
}

/// `NAME.dot` and `NAME.svg` for every system.
fn write_graphs(dir: &Path, systems: &[dynamics::Report]) -> anyhow::Result<()> {
    for s in systems {
        write_atomically(
            &dir.join(format!("{}.dot", s.system.name)),
            s.to_dot().as_bytes(),
        )?;
        let svg = s
            .to_svg()
            .map_err(|e| anyhow!("cannot lay out the graph of {}: {e}", s.system.name))?;
        write_atomically(&dir.join(format!("{}.svg", s.system.name)), svg.as_bytes())?;
    }
    Ok(())
}

/// Proves the claims in order; each claim's own search may use the whole current pool. A
/// claim running over a second gets a progress line on a terminal's stderr.
pub(crate) fn prove_all<'a>(claims: &'a [Claim], budget: &Budget) -> Vec<Checked<'a>> {
    let progress = output::Progress::on_stderr(claims.len());
    let prove_one = |(i, claim)| {
        progress.start(i, claim);
        let outcome = prover::prove(claim, budget);
        progress.finish();
        Checked { claim, outcome }
    };
    claims.iter().enumerate().map(prove_one).collect()
}

/// A pool of `jobs` threads, or one a core.
pub(crate) fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let jobs = jobs.unwrap_or_else(default_jobs);
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .with_context(|| format!("cannot start {jobs} worker threads"))
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The per-claim budget: the prover's defaults, overridden by `--max-boxes` and `--timeout`.
fn budget(args: &CheckArgs) -> Budget {
    let default = Budget::default();
    Budget {
        max_boxes: args.max_boxes.unwrap_or(default.max_boxes),
        timeout: args.timeout.or(default.timeout),
    }
}

/// `--jobs`: 1 to [`MAX_JOBS`].
pub(crate) fn parse_jobs(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| "expected a whole number of threads".to_string())?;
    match n {
        0 => Err("needs at least 1 thread".into()),
        n if n > MAX_JOBS => Err(format!("at most {MAX_JOBS} threads")),
        n => Ok(n),
    }
}

/// `--max-boxes`: a positive whole number.
pub(crate) fn parse_max_boxes(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("needs at least 1 box".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a positive whole number".into()),
    }
}

/// `--timeout`: seconds, finite, positive, at most [`MAX_TIMEOUT_SECS`].
pub(crate) fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| "expected seconds, e.g. 30 or 0.5".to_string())?;
    if !(secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
        return Err(format!(
            "must be more than 0 and at most {MAX_TIMEOUT_SECS:e} seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Writes the report to `path` atomically, or to stdout.
pub(crate) fn emit(report: &str, path: Option<&Path>) -> anyhow::Result<()> {
    match path {
        Some(path) if path.is_dir() => {
            Err(anyhow!("cannot write {}: is a directory", path.display()))
        }
        Some(path) => write_atomically(path, report.as_bytes())
            .with_context(|| format!("cannot write {}", path.display())),
        None => write_stdout(report),
    }
}

/// Prints to stdout; a closed pipe (`stabcert check | head`) is not an error.
fn write_stdout(report: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes a temporary file next to `path`, then renames it over `path`: readers see the old
/// file or the new one, never a half-written one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path_for(path);
    let written = write_new_file(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `dir/.name.PID.tmp`: same directory (so the rename stays on one filesystem), unique per run.
fn temp_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("report".into(), |n| n.to_string_lossy());
    let tmp_name = format!(".{name}.{}.tmp", std::process::id());
    path.with_file_name(tmp_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_out_of_range_are_rejected() {
        assert!(parse_jobs("0").is_err());
        assert!(parse_jobs("100000").is_err());
        assert!(parse_jobs("-1").is_err());
        assert_eq!(parse_jobs("4"), Ok(4));
    }

    #[test]
    fn max_boxes_must_be_positive() {
        assert!(parse_max_boxes("0").is_err());
        assert!(parse_max_boxes("-3").is_err());
        assert_eq!(parse_max_boxes("37"), Ok(37));
    }

    #[test]
    fn timeouts_must_be_finite_positive_and_bounded() {
        for bad in ["-1", "0", "NaN", "inf", "1e7", "1e400", "soon"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
    }

    #[test]
    fn help_states_the_prover_defaults() {
        // `--max-boxes` and `--timeout` help text quote these numbers.
        let default = Budget::default();
        assert_eq!(default.max_boxes, 2_000_000);
        assert_eq!(default.timeout, Some(Duration::from_secs(60)));
    }

    #[test]
    fn temp_file_is_a_sibling() {
        let tmp = temp_path_for(Path::new("out/report.json"));
        assert_eq!(tmp.parent(), Some(Path::new("out")));
        assert!(tmp
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".report.json."));
    }
}
