//! The command line of `stabcert simulate`: argument structs, validation (bad input is an
//! `InputError`, exit 2, never a panic), the progress bar, and dispatch.

use crate::cli::{emit, lib_error, thread_pool, InputError, EXIT_MET, EXIT_UNMET};
use clap::{Args, Subcommand, ValueEnum};
use rug::Rational;
use serde::Serialize;
use stabcert::case_study::{CaseStudy, NOISE, PARAM};
use stabcert::simulate::exact::{
    self, ExactConfig, ExactGamma, MAX_EXACT_STEPS, MAX_EXACT_TRAJECTORIES,
};
use stabcert::simulate::label_noise::{self, LabelNoiseConfig};
use stabcert::simulate::law::GammaLaw;
use stabcert::simulate::nets::{
    self,
    dln::{DlnConfig, Init},
    relu::{ReluConfig, ReluSetup},
    sde::SdeConfig,
    Schedule,
};
use stabcert::simulate::oscillation::{self, Bench, OscillationConfig, OscillationReport};
use stabcert::simulate::rng::Stream;
use stabcert::simulate::text;
use std::path::PathBuf;
use std::time::Instant;

/// Most trajectories a float run (about three hours of work at 1e9 steps/s with 1e4 steps).
const MAX_TRAJECTORIES: u64 = 10_000_000_000;
/// Longest float horizon.
const MAX_STEPS: u64 = 100_000_000;
/// Most trajectory-steps a run.
const MAX_WORK: f64 = 1e13;
/// Largest `γ` accepted (negative controls included).
const MAX_GAMMA: f64 = 2.0;
/// Runs with more trajectory-steps than this (about a second) show a progress bar.
const PROGRESS_WORK: f64 = 1e9;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(subcommand)]
    command: SimCommand,
}

#[derive(Subcommand, Debug)]
enum SimCommand {
    /// Monte Carlo of a case study's map (default: proofs/case-study.toml): entry into
    /// I1 ∪ I2 ∪ I3 and the 2-cycle band, entry times against the proven bounds, violations,
    /// the loss band.
    ///
    /// Exit status: 0 the run agrees with the proof (or is a negative control outside the
    /// window), 1 a violation or a missed proven bound inside the window, 2 bad input.
    Oscillation(Box<OscillationArgs>),
    /// The label-noise identities of the seed, exactly (rational arithmetic) and by Monte
    /// Carlo, for four models, each beside a deliberately wrong control.
    ///
    /// Exit status: 0 every identity as expected, 1 some identity or estimate not as
    /// expected, 2 bad input.
    LabelNoise(LabelNoiseArgs),
    /// A diagonal linear network h(x) = <u ⊙ v, x> trained by SGD on a sparse regression,
    /// one run a step size: train loss, test loss ‖β − β*‖², feature sparsity over time.
    ///
    /// Exit status: 0 the largest stable step reaches at least 2x lower test loss and a
    /// lower sparsity coefficient than the smallest (or fewer than two runs to compare),
    /// 1 it does not, 2 bad input.
    Dln(Box<DlnArgs>),
    /// ReLU networks trained by SGD, one run a step size: two layers on the seed's 1-D
    /// regression (12 points, 100 neurons), or three layers teacher–student (--setup three).
    ///
    /// Exit status: 0 the largest stable step ends with a lower sparsity coefficient than
    /// the smallest (or fewer than two runs), 1 it does not, 2 bad input.
    Relu(Box<ReluArgs>),
    /// The label-noise SDE dθ = −∇L dτ + √(κηδ) φ_θ(X)ᵀ dB for the diagonal linear network
    /// (Euler–Maruyama), δ the stabilised loss of an SGD run at the same step size, beside it.
    ///
    /// Exit status: 0 the SDE's stabilised loss is within --tolerance of SGD's, 1 it is
    /// not, 2 bad input.
    Sde(Box<SdeArgs>),
}

/// Report format of `stabcert simulate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum SimFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Distribution {
    /// Uniform on [x_min, x_max] (or γ uniform on [γ_min, γ_max]).
    Uniform,
    /// n atoms, drawn uniformly from the interval with --seed (or given with --gamma-atoms
    /// / --x-atoms), then sampled uniformly.
    Empirical,
    /// The two extremes, each with probability 1/2.
    TwoPoint,
}

#[derive(Args, Debug)]
struct Common {
    /// Seed: a run is a function of its arguments and this seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads [default: number of cores]. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = parse_threads, allow_negative_numbers = true)]
    threads: Option<usize>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = SimFormat::Text)]
    format: SimFormat,
    /// Write the report to FILE (atomically).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// No progress bar (it is also off when stderr is not a terminal).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct OscillationArgs {
    #[command(flatten)]
    common: Common,
    /// The case study: the map, its regions, escape factors, loss band and default run.
    #[arg(long, value_name = "FILE", default_value = "proofs/case-study.toml")]
    case_study: PathBuf,
    /// Number of trajectories [default: the case study's].
    #[arg(long, value_parser = parse_count, allow_negative_numbers = true)]
    trajectories: Option<u64>,
    /// Steps a trajectory [default: the case study's].
    #[arg(long, value_parser = parse_steps, allow_negative_numbers = true)]
    steps: Option<u64>,
    /// Law of x (unscaled) or γ (rescaled) [default: uniform; empirical with atoms given].
    #[arg(long, value_enum)]
    distribution: Option<Distribution>,
    /// Rescaled model: smallest γ [default: the case study's].
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    gamma_min: Option<f64>,
    /// Rescaled model: largest γ [default: the case study's]; outside its window is a
    /// negative control.
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    gamma_max: Option<f64>,
    /// Rescaled model: γ given directly as atoms, e.g. 25/24,1.1 (exact in --exact).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    gamma_atoms: Vec<String>,
    /// Unscaled model: smallest x.
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    x_min: Option<f64>,
    /// Unscaled model: largest x.
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    x_max: Option<f64>,
    /// Unscaled model: the data x_i given as atoms, e.g. 0.9,1,1.05.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    x_atoms: Vec<String>,
    /// Unscaled model: the teacher θ*.
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    theta_star: Option<f64>,
    /// Unscaled model: the step size η.
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    eta: Option<f64>,
    /// Atoms drawn for --distribution empirical.
    #[arg(long, default_value_t = 10, value_parser = parse_atoms)]
    atoms: usize,
    /// Initial u₀ = θ₀/θ* (e.g. 3/5) [default: uniform on (0, 1)].
    #[arg(long, conflicts_with = "theta0", allow_negative_numbers = true)]
    u0: Option<String>,
    /// Unscaled model: initial θ₀ [default: uniform on (0, θ*)].
    #[arg(long, value_parser = parse_finite, allow_negative_numbers = true)]
    theta0: Option<f64>,
    /// Exact rational trajectories beside the float ones (short horizons: at most 8 steps,
    /// 10000 trajectories): exact counterexamples and the float rounding drift.
    #[arg(long, conflicts_with = "bench")]
    exact: bool,
    /// Benchmark: time the run and print trajectory-steps per second.
    #[arg(long)]
    bench: bool,
}

#[derive(Args, Debug)]
struct LabelNoiseArgs {
    #[command(flatten)]
    common: Common,
    /// Samples (x_i, y_i) a model (at least 2).
    #[arg(long, default_value_t = 6, value_parser = parse_samples_n)]
    n: usize,
    /// Monte Carlo draws of i_t a model (too few to tell the controls apart is refused).
    #[arg(long, default_value_t = 200_000, value_parser = parse_mc_samples)]
    samples: usize,
}

/// Runs `stabcert simulate ...`; `Ok` carries the exit status.
pub fn run(args: &SimulateArgs) -> anyhow::Result<i32> {
    match &args.command {
        SimCommand::Oscillation(a) => run_oscillation(a),
        SimCommand::LabelNoise(a) => run_label_noise(a),
        SimCommand::Dln(a) => run_dln(a),
        SimCommand::Relu(a) => run_relu(a),
        SimCommand::Sde(a) => run_sde(a),
    }
}

fn input_error(msg: impl Into<String>) -> anyhow::Error {
    InputError(format!("error: {}", msg.into())).into()
}

fn render<T: Serialize>(
    c: &Common,
    report: &T,
    as_text: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    let out = match c.format {
        SimFormat::Json => serde_json::to_string_pretty(report)? + "\n",
        SimFormat::Text => as_text(report),
    };
    emit(&out, c.output.as_deref())
}

fn run_label_noise(a: &LabelNoiseArgs) -> anyhow::Result<i32> {
    let cfg = LabelNoiseConfig {
        n: a.n,
        samples: a.samples,
        seed: a.common.seed,
    };
    let report = label_noise::label_noise(&cfg).map_err(|e| input_error(e.to_string()))?;
    render(&a.common, &report, text::label_noise)?;
    Ok(if report.all_ok { EXIT_MET } else { EXIT_UNMET })
}

fn run_oscillation(a: &OscillationArgs) -> anyhow::Result<i32> {
    if !a.case_study.exists() {
        return Err(input_error(format!(
            "{}: no such case study (the map to simulate: give --case-study FILE, e.g. \
             proofs/case-study.toml of the stabcert repository)",
            a.case_study.display()
        )));
    }
    let cs = CaseStudy::load(&a.case_study).map_err(lib_error)?;
    let cfg = oscillation_config(a, &cs)?;
    if a.exact {
        return run_exact(a, &cfg, &cs);
    }
    let work = cfg.trajectories as f64 * cfg.steps as f64;
    if work > MAX_WORK {
        return Err(input_error(format!(
            "--trajectories × --steps = {work:e} exceeds {MAX_WORK:e} trajectory-steps"
        )));
    }
    let pool = thread_pool(a.common.threads)?;
    let bar = progress_bar(&a.common, cfg.trajectories, work);
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let report =
        pool.install(|| oscillation::oscillation_with_progress(&cs.model, &cfg, &|n| bar.inc(n)));
    let seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    if a.bench {
        let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
        let bench = Bench::of(&report, seconds, cpu, pool.current_num_threads());
        render(&a.common, &bench, text::bench)?;
        return Ok(EXIT_MET);
    }
    render(&a.common, &report, text::oscillation)?;
    Ok(exit_for(&report))
}

/// 1 only for a contradiction with the proof: a violation or missed bound inside the window.
fn exit_for(r: &OscillationReport) -> i32 {
    let over = r.entry_time.over_proven_bound + r.band_entry_time.over_proven_bound;
    match r.inside_window && (r.violations > 0 || over > 0) {
        true => EXIT_UNMET,
        false => EXIT_MET,
    }
}

fn progress_bar(c: &Common, trajectories: u64, work: f64) -> indicatif::ProgressBar {
    if c.quiet || work < PROGRESS_WORK {
        return indicatif::ProgressBar::hidden();
    }
    // Draws only when stderr is a terminal.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(trajectories),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} trajectories, eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// CPU time of this process so far, user plus system, all threads, from `/proc/self/stat`
/// (fields 14 and 15, in clock ticks of 1/100 s); `None` where that file does not exist.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 2..)?
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn run_exact(a: &OscillationArgs, cfg: &OscillationConfig, cs: &CaseStudy) -> anyhow::Result<i32> {
    if cfg.steps > MAX_EXACT_STEPS {
        return Err(input_error(format!(
            "--exact runs at most {MAX_EXACT_STEPS} steps (exact states grow like 3^t bits); \
             got --steps {}",
            cfg.steps
        )));
    }
    if cfg.trajectories > MAX_EXACT_TRAJECTORIES {
        return Err(input_error(format!(
            "--exact runs at most {MAX_EXACT_TRAJECTORIES} trajectories; got {}",
            cfg.trajectories
        )));
    }
    let gamma = match a.gamma_atoms.is_empty() {
        true => ExactGamma::Rounded(cfg.law.clone()),
        false => ExactGamma::Atoms(parse_list(&a.gamma_atoms, "--gamma-atoms")?),
    };
    let u0 = match (&a.u0, cfg.u0) {
        (Some(s), _) => Some(parse_rational(s).map_err(|e| input_error(format!("--u0: {e}")))?),
        (None, Some(u)) => Rational::from_f64(u),
        (None, None) => None,
    };
    let ecfg = ExactConfig {
        gamma,
        u0,
        trajectories: cfg.trajectories,
        steps: cfg.steps,
        seed: cfg.seed,
    };
    let Some(report) = exact::exact(&cs.model, &ecfg) else {
        return Err(input_error(format!(
            "{}: the parameter {} has no rational value at the smallest γ",
            cs.path.display(),
            cs.model.param_of_noise_min_text
        )));
    };
    render(&a.common, &report, text::exact)?;
    let (lo, hi) = cfg.law.support();
    let inside = cs.model.inside_window(lo, hi);
    let bad = report.exact.escaped + report.exact.left_band;
    Ok(if inside && bad > 0 {
        EXIT_UNMET
    } else {
        EXIT_MET
    })
}

/// Builds and validates the run's configuration from the flags and the case study.
fn oscillation_config(a: &OscillationArgs, cs: &CaseStudy) -> anyhow::Result<OscillationConfig> {
    let unscaled = a.eta.is_some() || a.theta_star.is_some() || a.x_min.is_some();
    let unscaled = unscaled || a.x_max.is_some() || !a.x_atoms.is_empty() || a.theta0.is_some();
    let (law, scale) = match unscaled {
        true => unscaled_law(a)?,
        false => (rescaled_law(a, cs)?, 1.0),
    };
    let (gmin, gmax) = law.support();
    let (m, eps) = (&cs.model, cs.model.param(gmin));
    if eps.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(input_error(format!(
            "γ_min = {gmin} gives {} = {eps}: the regions need {0} = {} > 0 ({} = γ_min; {})",
            m.names[PARAM],
            m.param_of_noise_min_text,
            m.names[NOISE],
            cs.path.display()
        )));
    }
    if gmax > MAX_GAMMA {
        return Err(input_error(format!("γ_max = {gmax} exceeds {MAX_GAMMA}")));
    }
    let theta_star = a.theta_star.unwrap_or(1.0);
    let u0 = match (&a.u0, a.theta0) {
        (Some(s), _) => Some(
            parse_rational(s)
                .map_err(|e| input_error(format!("--u0: {e}")))?
                .to_f64(),
        ),
        (None, Some(t)) => Some(t / theta_star),
        (None, None) => None,
    };
    let top = m.state_space()[1];
    if let Some(u) = u0.filter(|u| !(*u > 0.0 && *u < top)) {
        return Err(input_error(format!(
            "u₀ = θ₀/θ* = {u} must lie in the state space (0, {top})"
        )));
    }
    Ok(OscillationConfig {
        // E[x²]θ*² = E[γ]/η (η = θ* = 1 in the rescaled model).
        seed_scale: law.mean() / scale * theta_star * theta_star,
        law,
        u0,
        trajectories: a.trajectories.unwrap_or(cs.simulation.trajectories),
        steps: a.steps.unwrap_or(cs.simulation.steps),
        seed: a.common.seed,
    })
}

/// The γ law of the rescaled model.
fn rescaled_law(a: &OscillationArgs, cs: &CaseStudy) -> anyhow::Result<GammaLaw> {
    if !a.gamma_atoms.is_empty() {
        let atoms = parse_list(&a.gamma_atoms, "--gamma-atoms")?;
        return atoms_law(a, atoms.iter().map(Rational::to_f64).collect());
    }
    let run = &cs.simulation;
    let (min, max) = (
        a.gamma_min.unwrap_or(run.noise_min),
        a.gamma_max.unwrap_or(run.noise_max),
    );
    if min > max {
        return Err(input_error(format!(
            "--gamma-min {min} exceeds --gamma-max {max}"
        )));
    }
    Ok(match a.distribution.unwrap_or(Distribution::Uniform) {
        Distribution::Uniform => GammaLaw::Uniform { min, max },
        Distribution::TwoPoint => GammaLaw::Atoms {
            atoms: vec![min, max],
        },
        Distribution::Empirical => GammaLaw::Atoms {
            atoms: draw_atoms(a, min, max, |g| g),
        },
    })
}

/// The γ law of the unscaled model, and `η θ*²`.
fn unscaled_law(a: &OscillationArgs) -> anyhow::Result<(GammaLaw, f64)> {
    if a.gamma_min.is_some() || a.gamma_max.is_some() || !a.gamma_atoms.is_empty() {
        return Err(input_error(
            "give either the rescaled γ flags or the unscaled x, θ*, η flags, not both",
        ));
    }
    let (Some(eta), Some(theta_star)) = (a.eta, a.theta_star) else {
        return Err(input_error(
            "the unscaled model needs both --eta and --theta-star",
        ));
    };
    if !(eta > 0.0 && theta_star > 0.0) {
        return Err(input_error("--eta and --theta-star must be positive"));
    }
    let scale = eta * theta_star * theta_star;
    if !a.x_atoms.is_empty() {
        let xs: Vec<f64> = parse_list(&a.x_atoms, "--x-atoms")?
            .iter()
            .map(Rational::to_f64)
            .collect();
        positive_x(&xs)?;
        return Ok((
            atoms_law(a, xs.iter().map(|x| scale * x * x).collect())?,
            scale,
        ));
    }
    let (Some(x_min), Some(x_max)) = (a.x_min, a.x_max) else {
        return Err(input_error(
            "the unscaled model needs --x-min and --x-max (or --x-atoms)",
        ));
    };
    positive_x(&[x_min, x_max])?;
    if x_min > x_max {
        return Err(input_error(format!(
            "--x-min {x_min} exceeds --x-max {x_max}"
        )));
    }
    let law = match a.distribution.unwrap_or(Distribution::Uniform) {
        Distribution::Uniform => GammaLaw::UniformX {
            scale,
            x_min,
            x_max,
        },
        Distribution::TwoPoint => GammaLaw::Atoms {
            atoms: vec![scale * x_min * x_min, scale * x_max * x_max],
        },
        Distribution::Empirical => GammaLaw::Atoms {
            atoms: draw_atoms(a, x_min, x_max, |x| scale * x * x),
        },
    };
    Ok((law, scale))
}

fn positive_x(xs: &[f64]) -> anyhow::Result<()> {
    match xs
        .iter()
        .find(|x| x.partial_cmp(&&0.0) != Some(std::cmp::Ordering::Greater))
    {
        Some(x) => Err(input_error(format!(
            "x = {x}: the data must be positive (0 < x_min)"
        ))),
        None => Ok(()),
    }
}

/// Atoms given on the command line: only with the default or empirical distribution.
fn atoms_law(a: &OscillationArgs, atoms: Vec<f64>) -> anyhow::Result<GammaLaw> {
    match a.distribution {
        None | Some(Distribution::Empirical) => Ok(GammaLaw::Atoms { atoms }),
        Some(d) => Err(input_error(format!(
            "atoms were given, so --distribution {d:?} does not apply (use empirical)"
        ))),
    }
}

/// `--atoms` points uniform on `[lo, hi]` from a stream of `--seed` no trajectory uses.
fn draw_atoms(a: &OscillationArgs, lo: f64, hi: f64, to_gamma: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut s = Stream::new(a.common.seed, u64::MAX);
    (0..a.atoms)
        .map(|_| to_gamma(lo + (hi - lo) * s.open01()))
        .collect()
}

fn parse_list(items: &[String], flag: &str) -> anyhow::Result<Vec<Rational>> {
    items
        .iter()
        .map(|s| parse_rational(s).map_err(|e| input_error(format!("{flag}: {e}"))))
        .collect()
}

/// An exact number: `p/q`, a decimal `1.25`, or with an exponent `2.5e-3`.
pub fn parse_rational(s: &str) -> Result<Rational, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a number (expected e.g. 3/5, 1.25 or 2.5e-3)");
    if let Some((p, q)) = s.split_once('/') {
        let (p, q) = (parse_rational(p)?, parse_rational(q)?);
        return match q.cmp0().is_eq() {
            true => Err(format!("`{s}`: division by zero")),
            false => Ok(p / q),
        };
    }
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().map_err(|_| bad())?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let valid = !digits.trim_start_matches(['-', '+']).is_empty() && exp.abs() <= 1000;
    let numer = rug::Integer::from_str_radix(&digits, 10).map_err(|_| bad())?;
    if !valid || frac.contains(['-', '+']) {
        return Err(bad());
    }
    let shift = exp - frac.len() as i32;
    let ten = rug::Integer::from(rug::Integer::u_pow_u(10, shift.unsigned_abs()));
    Ok(match shift >= 0 {
        true => Rational::from(numer * ten),
        false => Rational::from((numer, ten)),
    })
}

fn parse_finite(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err("expected a finite number".into()),
    }
}

fn parse_bounded(s: &str, lo: u64, hi: u64) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from {lo} to {hi}")),
    }
}

fn parse_count(s: &str) -> Result<u64, String> {
    parse_bounded(s, 1, MAX_TRAJECTORIES)
}

fn parse_steps(s: &str) -> Result<u64, String> {
    parse_bounded(s, 1, MAX_STEPS)
}

fn parse_threads(s: &str) -> Result<usize, String> {
    parse_bounded(s, 1, 1024).map(|n| n as usize)
}

fn parse_atoms(s: &str) -> Result<usize, String> {
    parse_bounded(s, 1, 1_000_000).map(|n| n as usize)
}

fn parse_samples_n(s: &str) -> Result<usize, String> {
    parse_bounded(s, 2, 64).map(|n| n as usize)
}

fn parse_mc_samples(s: &str) -> Result<usize, String> {
    parse_bounded(s, 2, 100_000_000).map(|n| n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rationals_parse_exactly() {
        assert_eq!(parse_rational("3/5").unwrap(), Rational::from((3, 5)));
        assert_eq!(parse_rational("1.25").unwrap(), Rational::from((5, 4)));
        assert_eq!(parse_rational("2.5e-3").unwrap(), Rational::from((1, 400)));
        assert_eq!(parse_rational("-2").unwrap(), Rational::from(-2));
        for bad in ["", "x", "1/0", "NaN", "1e", "1.2.3", "--1", "1e99999"] {
            assert!(parse_rational(bad).is_err(), "{bad}");
        }
    }
}

// ---- `simulate dln`, `simulate relu`, `simulate sde`: networks trained with large steps ----

/// Most steps a network run.
const MAX_NET_STEPS: u64 = 100_000_000;
/// Most step sizes in one run.
const MAX_ETAS: usize = 64;
/// Most multiply-adds a run (about ten minutes): steps × runs × batch × parameters.
const MAX_NET_WORK: f64 = 1e12;

/// The step-size schedule of every run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ScheduleKind {
    /// The step size stays η.
    Constant,
    /// The step size is divided by --decay-factor from step --decay-at on.
    Decay,
}

#[derive(Args, Debug)]
struct NetFlags {
    /// Step sizes, one run each, e.g. 0.01,0.1,0.2 [default: the command's].
    #[arg(long, value_delimiter = ',', value_name = "LIST", value_parser = parse_finite, allow_negative_numbers = true)]
    eta: Vec<f64>,
    /// Step-size schedule [default: decay].
    #[arg(long, value_enum)]
    schedule: Option<ScheduleKind>,
    /// The decay step T [default: half of --steps].
    #[arg(long, value_name = "T", value_parser = parse_steps_or_zero, allow_negative_numbers = true)]
    decay_at: Option<u64>,
    /// The decay divides the step size by this.
    #[arg(long, value_name = "F", default_value_t = 10.0, value_parser = parse_finite, allow_negative_numbers = true)]
    decay_factor: f64,
    /// Steps a run [default: the command's].
    #[arg(long, value_parser = parse_net_steps, allow_negative_numbers = true)]
    steps: Option<u64>,
    /// Minibatch size, drawn without replacement (1: single-sample SGD; n: full-batch GD).
    #[arg(long, default_value_t = 1, value_parser = parse_size, allow_negative_numbers = true)]
    batch: usize,
    /// About this many recorded points a curve.
    #[arg(long, default_value_t = 200, value_parser = parse_records, allow_negative_numbers = true)]
    records: u64,
    /// Also draw the curves (train loss, test loss on log scales, sparsity coefficient, one
    /// line per run) as SVG files into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    figures: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct DlnFlags {
    #[command(flatten)]
    net: NetFlags,
    /// Training samples n.
    #[arg(long, default_value_t = 20, value_parser = parse_size, allow_negative_numbers = true)]
    n: usize,
    /// Input dimension d.
    #[arg(long, default_value_t = 30, value_parser = parse_size, allow_negative_numbers = true)]
    d: usize,
    /// Non-zero coordinates of β*.
    #[arg(long, default_value_t = 3, value_parser = parse_size, allow_negative_numbers = true)]
    k: usize,
    /// Initialisation scale α.
    #[arg(long, default_value_t = 0.3, value_parser = parse_finite, allow_negative_numbers = true)]
    alpha: f64,
    /// Initialisation: sqrt2 (u = √2α, v = 0, β* of either sign) or equal (u = v = α,
    /// β = u² ≥ 0, β* non-negative).
    #[arg(long, value_enum, default_value_t = InitKind::Sqrt2)]
    init: InitKind,
    /// A coordinate of u ⊙ v counts as a used feature above this magnitude.
    #[arg(long, default_value_t = 0.01, value_parser = parse_finite, allow_negative_numbers = true)]
    threshold: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum InitKind {
    Sqrt2,
    Equal,
}

#[derive(Args, Debug)]
struct DlnArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    dln: DlnFlags,
}

#[derive(Args, Debug)]
struct SdeArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    dln: DlnFlags,
    /// The constant κ of the noise √(κηδ) φᵀ dB [default: 2(n − b)/(n b (n − 1)), the SGD
    /// noise covariance at mean squared residual 2δ].
    #[arg(long, value_name = "K", value_parser = parse_finite, allow_negative_numbers = true)]
    noise_constant: Option<f64>,
    /// Largest accepted relative difference of the stabilised losses.
    #[arg(long, default_value_t = 0.25, value_parser = parse_finite, allow_negative_numbers = true)]
    tolerance: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReluSetupKind {
    /// Two layers, 1-D regression: 12 points, 100 neurons.
    Two,
    /// Three layers, teacher–student: teacher 2 neurons a layer, student 10, 50 samples,
    /// a step-size warm-up.
    Three,
}

#[derive(Args, Debug)]
struct ReluArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    net: NetFlags,
    /// The setup.
    #[arg(long, value_enum, default_value_t = ReluSetupKind::Two)]
    setup: ReluSetupKind,
    /// Training samples [default: 12 for two, 50 for three].
    #[arg(long, value_parser = parse_size, allow_negative_numbers = true)]
    n: Option<usize>,
    /// Student neurons a hidden layer [default: 100 for two, 10 for three].
    #[arg(long, value_parser = parse_size, allow_negative_numbers = true)]
    width: Option<usize>,
    /// Input dimension of the teacher–student setup.
    #[arg(long, default_value_t = 5, value_parser = parse_size, allow_negative_numbers = true)]
    input_dim: usize,
    /// Warm-up steps: the step size grows linearly to η over them [default: 0 for two,
    /// a tenth of --steps for three].
    #[arg(long, value_parser = parse_steps_or_zero, allow_negative_numbers = true)]
    warmup: Option<u64>,
    /// Initialisation scale of the student's weights (a multiple of He's √(2/fan-in)).
    #[arg(long, default_value_t = 1.0, value_parser = parse_finite, allow_negative_numbers = true)]
    init_scale: f64,
}

fn parse_size(s: &str) -> Result<usize, String> {
    parse_bounded(s, 1, 1_000_000).map(|n| n as usize)
}

fn parse_net_steps(s: &str) -> Result<u64, String> {
    parse_bounded(s, 1, MAX_NET_STEPS)
}

fn parse_steps_or_zero(s: &str) -> Result<u64, String> {
    parse_bounded(s, 0, MAX_NET_STEPS)
}

fn parse_records(s: &str) -> Result<u64, String> {
    parse_bounded(s, 1, 100_000)
}

/// The step sizes (positive, at most [`MAX_ETAS`]) and the schedule.
fn net_schedule(
    f: &NetFlags,
    default_etas: &[f64],
    steps: u64,
    warmup: u64,
) -> anyhow::Result<(Vec<f64>, Schedule)> {
    let etas = match f.eta.is_empty() {
        true => default_etas.to_vec(),
        false => f.eta.clone(),
    };
    if let Some(e) = etas.iter().find(|e| **e <= 0.0) {
        return Err(input_error(format!(
            "--eta {e}: step sizes must be positive"
        )));
    }
    if etas.len() > MAX_ETAS {
        return Err(input_error(format!(
            "--eta: at most {MAX_ETAS} step sizes (got {})",
            etas.len()
        )));
    }
    let kind = match (f.schedule, f.decay_at) {
        (Some(k), _) => k,
        (None, _) => ScheduleKind::Decay,
    };
    if kind == ScheduleKind::Constant && f.decay_at.is_some() {
        return Err(input_error("--decay-at needs --schedule decay"));
    }
    if f.decay_factor < 1.0 {
        return Err(input_error(format!(
            "--decay-factor {}: must be at least 1 (the step size is divided by it)",
            f.decay_factor
        )));
    }
    let decay_at = match kind {
        ScheduleKind::Constant => None,
        ScheduleKind::Decay => Some(f.decay_at.unwrap_or(steps / 2)),
    };
    if let Some(t) = decay_at.filter(|t| *t > steps) {
        return Err(input_error(format!(
            "--decay-at {t} is past the last step (--steps {steps})"
        )));
    }
    if warmup > decay_at.unwrap_or(steps) {
        return Err(input_error(format!(
            "--warmup {warmup} ends after the decay or the run ({})",
            decay_at.unwrap_or(steps)
        )));
    }
    Ok((
        etas,
        Schedule {
            warmup,
            decay_at,
            decay_factor: f.decay_factor,
        },
    ))
}

fn check_work(steps: u64, runs: usize, per_step: f64) -> anyhow::Result<()> {
    let work = steps as f64 * runs as f64 * per_step;
    if work > MAX_NET_WORK {
        return Err(input_error(format!(
            "the run needs about {work:.1e} multiply-adds (steps × step sizes × batch × \
             parameters), over the limit {MAX_NET_WORK:e}: use fewer --steps, a smaller --batch or \
             a smaller network"
        )));
    }
    Ok(())
}

fn dln_config(f: &DlnFlags, default_etas: &[f64], seed: u64) -> anyhow::Result<DlnConfig> {
    let steps = f.net.steps.unwrap_or(20_000);
    let (etas, schedule) = net_schedule(&f.net, default_etas, steps, 0)?;
    if f.k > f.d {
        return Err(input_error(format!(
            "--k {}: β* cannot have more non-zero coordinates than --d {}",
            f.k, f.d
        )));
    }
    if f.net.batch > f.n {
        return Err(input_error(format!(
            "--batch {} exceeds the training set (--n {})",
            f.net.batch, f.n
        )));
    }
    if (f.n as f64) * (f.d as f64) > 1e8 {
        return Err(input_error(format!(
            "--n × --d = {} exceeds 1e8 inputs",
            f.n as f64 * f.d as f64
        )));
    }
    if f.alpha <= 0.0 {
        return Err(input_error(format!(
            "--alpha {}: must be positive",
            f.alpha
        )));
    }
    if f.threshold < 0.0 {
        return Err(input_error(format!(
            "--threshold {}: must be at least 0",
            f.threshold
        )));
    }
    check_work(steps, etas.len(), (f.net.batch * f.d) as f64)?;
    Ok(DlnConfig {
        n: f.n,
        d: f.d,
        k: f.k,
        alpha: f.alpha,
        init: match f.init {
            InitKind::Sqrt2 => Init::Sqrt2,
            InitKind::Equal => Init::Equal,
        },
        etas,
        schedule,
        steps,
        batch: f.net.batch,
        threshold: f.threshold,
        records: f.net.records,
        seed,
    })
}

/// Writes the run's figures into `dir` (if asked), each file atomically.
fn write_figures(
    dir: Option<&std::path::Path>,
    name: &str,
    runs: &[nets::NetRun],
) -> anyhow::Result<()> {
    let Some(dir) = dir else { return Ok(()) };
    std::fs::create_dir_all(dir)
        .map_err(|e| input_error(format!("--figures {}: {e}", dir.display())))?;
    for (file, svg) in stabcert::report::net_figures(name, runs).map_err(lib_error)? {
        emit(&svg, Some(&dir.join(file)))?;
    }
    Ok(())
}

/// A bar over `steps` steps of every run.
fn net_bar(c: &Common, total: u64) -> indicatif::ProgressBar {
    if c.quiet {
        return indicatif::ProgressBar::hidden();
    }
    // Draws only when stderr is a terminal.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} steps, eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn run_dln(a: &DlnArgs) -> anyhow::Result<i32> {
    let cfg = dln_config(&a.dln, DLN_ETAS, a.common.seed)?;
    let pool = thread_pool(a.common.threads)?;
    let bar = net_bar(&a.common, cfg.steps * cfg.etas.len() as u64);
    let report = pool.install(|| nets::dln::dln(&cfg, &|k| bar.inc(k)));
    bar.finish_and_clear();
    write_figures(a.dln.net.figures.as_deref(), "dln", &report.runs)?;
    render(&a.common, &report, nets::text::dln)?;
    Ok(
        match report.comparison.as_ref().is_none_or(|c| c.as_in_the_seed) {
            true => EXIT_MET,
            false => EXIT_UNMET,
        },
    )
}

fn run_sde(a: &SdeArgs) -> anyhow::Result<i32> {
    let dln = dln_config(&a.dln, &[SDE_ETA], a.common.seed)?;
    if dln.etas.len() != 1 {
        return Err(input_error(format!(
            "--eta: the SDE runs one step size (got {})",
            dln.etas.len()
        )));
    }
    if let Some(k) = a.noise_constant.filter(|k| *k < 0.0) {
        return Err(input_error(format!(
            "--noise-constant {k}: must be at least 0"
        )));
    }
    if a.tolerance < 0.0 {
        return Err(input_error(format!(
            "--tolerance {}: must be at least 0",
            a.tolerance
        )));
    }
    let cfg = SdeConfig {
        // The SDE evaluates the full gradient every step.
        dln,
        noise_constant: a.noise_constant,
        tolerance: a.tolerance,
    };
    check_work(cfg.dln.steps, 2, (cfg.dln.n * cfg.dln.d) as f64)?;
    let pool = thread_pool(a.common.threads)?;
    let bar = net_bar(&a.common, 2 * cfg.dln.steps);
    let report = pool.install(|| nets::sde::sde(&cfg, &|k| bar.inc(k)));
    bar.finish_and_clear();
    write_figures(a.dln.net.figures.as_deref(), "sde", &report.runs)?;
    render(&a.common, &report, nets::text::sde)?;
    Ok(if report.agree { EXIT_MET } else { EXIT_UNMET })
}

fn run_relu(a: &ReluArgs) -> anyhow::Result<i32> {
    let setup = match a.setup {
        ReluSetupKind::Two => ReluSetup::Two,
        ReluSetupKind::Three => ReluSetup::Three,
    };
    let d = ReluConfig::defaults(setup);
    let steps = a.net.steps.unwrap_or(d.steps);
    let warmup = a
        .warmup
        .unwrap_or(d.schedule.warmup * steps / d.steps.max(1));
    let (etas, schedule) = net_schedule(&a.net, &d.etas, steps, warmup)?;
    let n = a.n.unwrap_or(d.n);
    if a.net.batch > n {
        return Err(input_error(format!(
            "--batch {} exceeds the training set (--n {n})",
            a.net.batch
        )));
    }
    if a.init_scale <= 0.0 {
        return Err(input_error(format!(
            "--init-scale {}: must be positive",
            a.init_scale
        )));
    }
    let cfg = ReluConfig {
        n,
        width: a.width.unwrap_or(d.width),
        input_dim: match setup {
            ReluSetup::Two => 1,
            ReluSetup::Three => a.input_dim,
        },
        etas,
        schedule,
        steps,
        batch: a.net.batch,
        records: a.net.records,
        init_scale: a.init_scale,
        seed: a.common.seed,
        ..d
    };
    check_work(steps, cfg.etas.len(), (cfg.batch * cfg.parameters()) as f64)?;
    if (cfg.n as f64) * (cfg.parameters() as f64) > 1e9 {
        return Err(input_error(format!(
            "--n × parameters = {:e} is too large",
            cfg.n as f64 * cfg.parameters() as f64
        )));
    }
    let pool = thread_pool(a.common.threads)?;
    let bar = net_bar(&a.common, cfg.steps * cfg.etas.len() as u64);
    let report = pool.install(|| nets::relu::relu(&cfg, &|k| bar.inc(k)));
    bar.finish_and_clear();
    let name = match setup {
        ReluSetup::Two => "relu2",
        ReluSetup::Three => "relu3",
    };
    write_figures(a.net.figures.as_deref(), name, &report.runs)?;
    render(&a.common, &report, nets::text::relu)?;
    Ok(
        match report
            .comparison
            .as_ref()
            .is_none_or(|c| c.lower_for_large_step)
        {
            true => EXIT_MET,
            false => EXIT_UNMET,
        },
    )
}

/// The DLN's default step sizes: small, medium, and large (just below divergence for the
/// default data).
const DLN_ETAS: &[f64] = &[0.01, 0.05, 0.11];
/// The SDE's default step size: large, stable for the default data.
const SDE_ETA: f64 = 0.12;
