//! `stabcert report`: its arguments and their translation into [`stabcert::report::Options`].

use crate::cli::{self, lib_error, EXIT_MET, EXIT_UNMET};
use stabcert::report;
use std::path::PathBuf;
use std::time::Duration;

/// Found in a directory among the paths, these are used unless a flag says otherwise.
const AUDIT_FILE: &str = "audit.toml";
const CASE_STUDY_FILE: &str = "case-study.toml";

/// `stabcert report [PATH ...] [--out DIR] [--reproducible]`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Files, or directories searched for *.stab files.
    #[arg(value_name = "PATH", default_value = "proofs/")]
    paths: Vec<PathBuf>,

    /// Directory to write the report into: created, or replaced when the report is complete if it
    /// is empty or holds a previous report (its .stabcert-report marker); anything else is refused.
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

    /// The audit specification to run [default: audit.toml in a directory among the paths;
    /// none if there is none].
    #[arg(long, value_name = "SPEC", conflicts_with = "no_audit")]
    audit: Option<PathBuf>,

    /// Do not run the audit.
    #[arg(long)]
    no_audit: bool,

    /// The case study the report is about: its stated proposition, its map and a simulation
    /// [default: case-study.toml in a directory among the paths; none if there is none].
    #[arg(long, value_name = "FILE", conflicts_with = "no_case_study")]
    case_study: Option<PathBuf>,

    /// No case study: report on the files only.
    #[arg(long)]
    no_case_study: bool,

    /// Seed of the case study's simulation.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,

    /// Trajectories of the case study's simulation [default: the case study's] (0: none).
    #[arg(long, value_name = "N")]
    trajectories: Option<u64>,
}

/// Runs `stabcert report`; `Ok` carries the exit status.
pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let opts = report::Options {
        paths: args.paths.clone(),
        out: args.out.clone(),
        reproducible: args.reproducible,
        jobs: args.jobs,
        budget: cli::budget(args.max_boxes, args.timeout),
        audit: found(&args.audit, args.no_audit, &args.paths, AUDIT_FILE),
        case_study: found(
            &args.case_study,
            args.no_case_study,
            &args.paths,
            CASE_STUDY_FILE,
        ),
        seed: args.seed,
        trajectories: args.trajectories,
    };
    let written = report::run(&opts).map_err(lib_error)?;
    println!("{}", written.summary);
    Ok(if written.ok { EXIT_MET } else { EXIT_UNMET })
}

/// The file given, else `name` in a directory among the paths, unless refused.
fn found(given: &Option<PathBuf>, refused: bool, paths: &[PathBuf], name: &str) -> Option<PathBuf> {
    match refused {
        true => None,
        false => given.clone().or_else(|| report::discover(paths, name)),
    }
}
