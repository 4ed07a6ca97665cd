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
