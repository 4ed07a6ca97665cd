//! The command line: every clap type, argument validation, and the subcommands' glue around
//! the library (`stabcert::run`, `audit`, `report`, `simulate`).
//!
//! [`main`] returns the exit status: `0` every claim met, `1` some claim unmet, `2` usage or
//! input error. Errors are printed once, to stderr, by [`main`]; nothing here panics on bad input.

use crate::report_args::ReportArgs;
use crate::simulate::{self, SimulateArgs};
use anyhow::{anyhow, Context};
use clap::{Args, Parser, Subcommand};
use stabcert::output::{self, Format};
use stabcert::prover::Budget;
use stabcert::run::{self, write_atomically, MAX_JOBS};
use stabcert::shard::{self, Shard};
use stabcert::{audit, dynamics};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Exit status: every claim met.
pub const EXIT_MET: i32 = 0;
/// Exit status: some claim's verdict differs from its expectation.
pub const EXIT_UNMET: i32 = 1;
/// Exit status: usage or input error.
pub const EXIT_ERROR: i32 = 2;

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
    /// Exit status: 0 every certificate checks (and, with --against, is bound to a claim of
    /// the proof files, and none is missing), 1 some certificate is rejected (unreadable,
    /// refuted by the kernel, stale, unknown or duplicate) or missing, or some system's
    /// conclusion does not follow, 2 usage error or a path that cannot be read.
    Recheck(RecheckArgs),
    /// Audit a statement as written: the sharp value of every constant (an enclosure to
    /// --digits significant digits), every clause refuted with an exact witness or proved.
    ///
    /// Exit status: 0 every verdict is backed by its claims, 1 some claim or enclosure does
    /// not come out as the audit needs, 2 usage or input error.
    Audit(AuditArgs),
    /// Simulate the dynamics (Monte Carlo, exact trajectories) and check the label-noise
    /// identities.
    Simulate(SimulateArgs),
    /// Merge the JSON reports of a sharded run (`check --shard K/N --format json`) into the
    /// report one run gives: the same claims and systems in the same order, the same summary.
    ///
    /// Exit status: 0 every claim met and every system holds, 1 some claim unmet or some
    /// system fails, 2 the shards are not one whole split of one set of files, or bad input.
    Merge(MergeArgs),
    /// Write a verification report (HTML, Markdown, JSON, JUnit) into a directory: every
    /// claim checked with certificates rechecked, the audit, a simulation, the region
    /// graphs, figures, environment.
    ///
    /// Exit status: 0 every claim met, every system holds and every certificate checks,
    /// 1 otherwise, 2 usage or input error (nothing is written then).
    Report(ReportArgs),
    /// Run an SMT-LIB 2 script as a solver: `sat`, `unsat` or `unknown` for every
    /// `(check-sat)`, the model of `(get-model)` in exact rationals (see docs/smtlib.md).
    ///
    /// Exit status: 0 the script ran (whatever the answers), 2 usage or input error
    /// (unsupported construct, syntax error: `file:line:col: message`).
    Solve(SolveArgs),
    /// Export claims for other tools: `--coq DIR` writes a Coq file per proved claim
    /// (following its certificate) and per refuted claim (the negation at its witness), with
    /// DIR/_CoqProject (`docs/coq.md`); `--smtlib DIR` one SMT-LIB 2 script per .stab claim
    /// (`DIR/NAME.smt2`, unsat exactly when the claim holds; `docs/smtlib.md`).
    ///
    /// Exit status: 0 everything asked was written (for `--coq`: every claim proved or refuted
    /// was exported), 1 some claim was not exported to Coq (unknown, or a construct the export
    /// does not support: each is listed), 2 usage or input error.
    Export(ExportArgs),
}

#[derive(Args, Debug)]
struct SolveArgs {
    /// The SMT-LIB 2 script.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Seconds per check-sat before `unknown`.
    #[arg(long, value_name = "SECS", value_parser = parse_timeout, allow_negative_numbers = true)]
    timeout: Option<Duration>,

    /// Boxes per check-sat before `unknown`.
    #[arg(long, value_name = "N")]
    max_boxes: Option<u64>,

    /// Worker threads [default: number of cores].
    #[arg(long, short, value_name = "N", value_parser = parse_jobs, allow_negative_numbers = true)]
    jobs: Option<usize>,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).multiple(true).args(["coq", "smtlib"])))]
struct ExportArgs {
    /// Write Coq proofs into DIR (created if needed; `cd DIR && coq_makefile -f _CoqProject
    /// -o Makefile && make` checks them).
    #[arg(long, value_name = "DIR")]
    coq: Option<PathBuf>,
    /// Write `DIR/NAME.smt2` for every .stab claim (existing files replaced atomically).
    #[arg(long, value_name = "DIR")]
    smtlib: Option<PathBuf>,
    /// Claim files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
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

/// `check --format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum CheckFormat {
    /// One line a claim and a summary, for people.
    Text,
    /// The documented JSON shape (`"version": 1`), for scripts.
    Json,
    /// JUnit XML: one testsuite a file, one testcase a claim, for CI dashboards.
    Junit,
}

impl From<CheckFormat> for Format {
    fn from(f: CheckFormat) -> Format {
        match f {
            CheckFormat::Text => Format::Text,
            CheckFormat::Json => Format::Json,
            CheckFormat::Junit => Format::Junit,
        }
    }
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

    /// Also bind the certificates to the claims and systems of these proof files (repeatable):
    /// each certificate's claim must be, exactly, a claim of theirs or one their systems
    /// generate, one certificate per claim, every claim expecting proved certified, and every
    /// system's conclusion must follow from the certificates.
    #[arg(long, value_name = "PATH")]
    against: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files, or directories searched for *.stab files.
    #[arg(value_name = "PATH", default_value = "proofs/")]
    paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,

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

    /// Decide only shard K of N (1 <= K <= N): a part of the claims and systems that depends
    /// only on the files, balanced by estimated cost. Merge the shards' JSON reports with
    /// `stabcert merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, allow_hyphen_values = true)]
    shard: Option<Shard>,
}

#[derive(Args, Debug)]
struct MergeArgs {
    /// The shards' reports (`stabcert check --shard K/N --format json`), one a shard.
    #[arg(value_name = "SHARD.json", required = true)]
    shards: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Json)]
    format: CheckFormat,

    /// Write the report to FILE (atomically).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Copy the certificates of the shards' directories (--certificates-from) into DIR.
    #[arg(long, value_name = "DIR", requires = "certificates_from")]
    certificates: Option<PathBuf>,

    /// The shards' certificate directories (`check --shard K/N --certificates DIR`), after
    /// the shards' reports; a certificate in two of them must be the same file.
    #[arg(long, value_name = "DIR", num_args = 1.., requires = "certificates")]
    certificates_from: Vec<PathBuf>,
}

/// An input error whose text is already a complete diagnostic (`file:line:col: message`, the
/// line, a caret): printed as it is, without an `error:` prefix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InputError(pub(crate) String);

impl From<stabcert::Error> for InputError {
    fn from(e: stabcert::Error) -> InputError {
        InputError(e.to_string())
    }
}

/// A library error as this command line reports it: bad input as a finished diagnostic
/// (exit 2, printed as it is), anything else with an `error:` prefix.
pub(crate) fn lib_error(e: stabcert::Error) -> anyhow::Error {
    match e {
        stabcert::Error::Input(text) => InputError(text).into(),
        other => other.into(),
    }
}

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
        Command::Merge(args) => merge(&args),
        Command::Audit(args) => audit(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Report(args) => crate::report_args::run(&args),
        Command::Solve(args) => solve(&args),
        Command::Export(args) => export(&args),
    }
}

/// `stabcert solve`: the script's answers on stdout, one per line as they come; notes on
/// ignored commands on stderr.
fn solve(args: &SolveArgs) -> anyhow::Result<i32> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| InputError(format!("{}: cannot read file: {e}", args.file.display())))?;
    let script = stabcert::smtlib::parse_script_bytes(&args.file, &bytes)
        .map_err(|d| InputError(d.to_string()))?;
    for note in &script.notes {
        eprintln!("{note}");
    }
    let pool = run::thread_pool(args.jobs).map_err(lib_error)?;
    let budget = budget(args.max_boxes, args.timeout);
    let mut failed = None;
    pool.install(|| {
        stabcert::smtlib::solve(&script, &budget, &mut |line| {
            if failed.is_none() {
                failed = write_stdout(&format!("{line}\n")).err();
            }
        })
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(EXIT_MET),
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
    let doc = run::load(&args.paths).map_err(lib_error)?;
    for dir in [&args.certificates, &args.graph].into_iter().flatten() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let pool = run::thread_pool(args.jobs).map_err(lib_error)?;
    let budget = budget(args.max_boxes, args.timeout);
    let part = match args.shard {
        Some(s) => shard::part(&doc, s),
        None => shard::Part::all(&doc),
    };
    let progress = output::Progress::on_stderr(part.claims.len());
    let checked = pool.install(|| run::check_part(&doc, &part, &budget, &progress));
    let report = match (args.shard, args.format) {
        (Some(s), CheckFormat::Json) => {
            shard::render_json(&shard::header(&doc, s), &part, &checked)?
        }
        _ => output::render(args.format.into(), &checked.results, &checked.systems)?,
    };
    if let Some(dir) = &args.certificates {
        run::write_certificates(dir, &checked)?;
    }
    if let Some(dir) = &args.graph {
        write_graphs(dir, &checked.systems)?;
    }
    emit(&report, args.output.as_deref())?;
    Ok(if checked.all_met() {
        EXIT_MET
    } else {
        EXIT_UNMET
    })
}

/// `stabcert export`: `--smtlib` writes every claim as a script; `--coq` checks every claim,
/// then writes the proofs of what was decided.
fn export(args: &ExportArgs) -> anyhow::Result<i32> {
    let doc = run::load(&args.paths).map_err(lib_error)?;
    if let Some(dir) = &args.smtlib {
        let n = stabcert::smtlib::export::write_all(dir, &doc).map_err(lib_error)?;
        eprintln!("wrote {n} SMT-LIB file(s) to {}", dir.display());
        if !doc.systems.is_empty() {
            eprintln!("note: systems (and their generated lemmas) are not exported to SMT-LIB");
        }
    }
    let Some(dir) = &args.coq else {
        return Ok(EXIT_MET);
    };
    let pool = run::thread_pool(None).map_err(lib_error)?;
    let checked = pool.install(|| run::check(&doc, &budget(None, None), &run::Quiet));
    let summary = stabcert::export::coq(dir, &checked).map_err(lib_error)?;
    let mut out = std::io::stdout().lock();
    for (name, file, theorem, kind) in &summary.written {
        writeln!(out, "exported      {name}  ({kind}) -> {file}: {theorem}")?;
    }
    for (name, why) in &summary.skipped {
        writeln!(out, "not exported  {name}: {why}")?;
    }
    writeln!(
        out,
        "{} claims exported to {}, {} not exported; check with: cd {} && coq_makefile -f _CoqProject -o Makefile && make",
        summary.written.len(),
        dir.display(),
        summary.skipped.len(),
        dir.display()
    )?;
    Ok(if summary.skipped.is_empty() {
        EXIT_MET
    } else {
        EXIT_UNMET
    })
}

/// `stabcert merge`: the shards' reports checked to be one whole split of one document, then
/// rendered as one run's report (and the certificate directories copied into one).
fn merge(args: &MergeArgs) -> anyhow::Result<i32> {
    let shards = args
        .shards
        .iter()
        .map(|p| shard::read(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(lib_error)?;
    let merged = shard::merge(&shards).map_err(lib_error)?;
    let report = output::render_rows(args.format.into(), &merged.claims, &merged.systems)?;
    if let Some(dir) = &args.certificates {
        shard::merge_certificates(dir, &args.certificates_from).map_err(lib_error)?;
    }
    emit(&report, args.output.as_deref())?;
    Ok(if merged.all_met() {
        EXIT_MET
    } else {
        EXIT_UNMET
    })
}

/// `--shard K/N`.
fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse()
}

/// `stabcert audit`: the specification's constants, clauses and windows, then the report.
fn audit(args: &AuditArgs) -> anyhow::Result<i32> {
    let pool = run::thread_pool(args.jobs).map_err(lib_error)?;
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

/// `stabcert recheck`: every certificate through the kernel (and against the proof files),
/// one line each.
fn recheck(args: &RecheckArgs) -> anyhow::Result<i32> {
    let files = certificate_files(&args.files, !args.against.is_empty())?;
    let doc = match args.against.is_empty() {
        true => None,
        false => Some(run::load(&args.against).map_err(lib_error)?),
    };
    let mut inputs = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file)
            .map_err(|e| InputError(format!("{}: cannot read certificate: {e}", file.display())))?;
        inputs.push(stabcert::recheck::Input { file, bytes });
    }
    let result = stabcert::recheck::recheck(&inputs, doc.as_ref());
    write_stdout(&result.to_text())?;
    Ok(if result.ok() { EXIT_MET } else { EXIT_UNMET })
}

/// The files named, and the `*.cert.json` files of the directories named, sorted, each once.
/// None at all is an input error unless `may_be_none` (then missing certificates are reported).
fn certificate_files(paths: &[PathBuf], may_be_none: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| InputError(format!("{}: {e}", p.display())))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.to_string_lossy().ends_with(".cert.json") && !f.is_dir())
                .collect();
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(InputError(format!("{}: no such file or directory", p.display())).into());
        }
    }
    // `DIR DIR/x.cert.json` names one file twice: it is one certificate.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    if out.is_empty() && !may_be_none {
        return Err(InputError("no certificates found".into()).into());
    }
    Ok(out)
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

/// The per-claim budget: the prover's defaults, overridden by `--max-boxes` and `--timeout`.
pub(crate) fn budget(max_boxes: Option<u64>, timeout: Option<Duration>) -> Budget {
    let default = Budget::default();
    Budget {
        max_boxes: max_boxes.unwrap_or(default.max_boxes),
        timeout: timeout.or(default.timeout),
    }
}

/// A pool of `jobs` threads, or one a core.
pub(crate) fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    run::thread_pool(jobs).map_err(lib_error)
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
pub(crate) fn write_stdout(report: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
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
}
