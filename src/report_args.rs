//! `stabcert report`: its arguments and their translation into [`stabcert::report::Options`].

use crate::cli::{self, lib_error, EXIT_MET, EXIT_UNMET};
use stabcert::report;
use std::path::PathBuf;
use std::time::Duration;

/// The default audit specification, run when present.
const DEFAULT_AUDIT: &str = "proofs/audit.toml";

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

/// Runs `stabcert report`; `Ok` carries the exit status.
pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let opts = report::Options {
        paths: args.paths.clone(),
        out: args.out.clone(),
        reproducible: args.reproducible,
        jobs: args.jobs,
        budget: cli::budget(args.max_boxes, args.timeout),
        audit: audit_spec(args),
        seed: args.seed,
        trajectories: args.trajectories,
    };
    let written = report::run(&opts).map_err(lib_error)?;
    println!("{}", written.summary);
    Ok(if written.ok { EXIT_MET } else { EXIT_UNMET })
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
