//! Exact trajectories in `rug::Rational`, beside the float ones on the same `γ` sequence:
//! exact counterexamples (a trajectory landing exactly on the fixed point 1) and the float
//! simulation's rounding drift.
//!
//! Sizes grow like `3ᵗ` (each step cubes `u`), so the horizon is capped at [`MAX_EXACT_STEPS`].

use super::law::GammaLaw;
use super::oscillation::h;
use super::regions::{classify_with, Region, Regions, Track};
use super::rng::{mix64, stream_state, unit_open, xorshift64};
use rug::Rational;
use serde::Serialize;

/// Longest exact horizon: `u_t` has about `3ᵗ` times the bits of `u₀` and `γ`.
pub const MAX_EXACT_STEPS: u64 = 8;
/// Most exact trajectories a run.
pub const MAX_EXACT_TRAJECTORIES: u64 = 10_000;
/// Random `u₀` and drawn `γ` are rounded to multiples of `2^-DYADIC_BITS` (exact in both).
const DYADIC_BITS: i32 = 20;
/// Counterexamples printed at most.
const MAX_SHOWN: usize = 5;

/// How the exact run draws `γ`.
#[derive(Clone, Debug)]
pub enum ExactGamma {
    /// The float law's draw, rounded to a short dyadic (the same number in both arithmetics).
    Rounded(GammaLaw),
    /// Uniform over rational atoms; the float run uses their nearest doubles.
    Atoms(Vec<Rational>),
}

/// One exact run.
#[derive(Clone, Debug)]
pub struct ExactConfig {
    /// How `γ` is drawn each step.
    pub gamma: ExactGamma,
    /// Exact `u₀`; `None`: uniform on `(0, 1)` rounded to a short dyadic.
    pub u0: Option<Rational>,
    /// Number of trajectories, at most [`MAX_EXACT_TRAJECTORIES`].
    pub trajectories: u64,
    /// Steps per trajectory, at most [`MAX_EXACT_STEPS`].
    pub steps: u64,
    /// Seed of the random streams: trajectory `k` draws from its own stream of `(seed, k)`.
    pub seed: u64,
}

/// An exact trajectory that does what the proposition's "almost surely" sets aside, or worse.
#[derive(Clone, Debug, Serialize)]
pub struct Counterexample {
    /// The trajectory's index in the run, from 0.
    pub trajectory: u64,
    /// The exact `u₀` (an integer or `p/q`).
    pub u0: String,
    /// `γ_0, γ_1, …` up to the event.
    pub gammas: Vec<String>,
    /// `fixed_point` (lands exactly on 1 and stays), `escaped` or `left_band`.
    pub event: &'static str,
    /// The step of the event (0 is `u₀`).
    pub step: u64,
    /// What the float run of the same `γ` sequence did there: its `u` at that step.
    pub float_u: f64,
}

/// What the exact and float runs saw.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    /// Trajectories that entered `I₁ ∪ I₂ ∪ I₃` (`(0.65, 1.162)`).
    pub entered: u64,
    /// Trajectories that reached `I₁`, where the 2-cycle band starts.
    pub entered_band: u64,
    /// Trajectories that left the band after entering it.
    pub left_band: u64,
    /// Trajectories that left the state space `(0, 1.162)`.
    pub escaped: u64,
    /// Trajectories that hit the fixed point `u = 1` exactly.
    pub fixed_point_hits: u64,
}

impl Counts {
    fn add(&mut self, t: &Track) {
        self.entered += t.entered.is_some() as u64;
        self.entered_band += t.band.is_some() as u64;
        self.left_band += t.left_band as u64;
        self.escaped += t.escaped as u64;
        self.fixed_point_hits += t.fixed_point as u64;
    }
}

/// The report of an exact run.
#[derive(Clone, Debug, Serialize)]
pub struct ExactReport {
    /// Number of trajectories run.
    pub trajectories: u64,
    /// Steps per trajectory.
    pub steps: u64,
    /// What the exact trajectories saw.
    pub exact: Counts,
    /// What the float trajectories of the same `γ` sequences saw.
    pub float: Counts,
    /// Trajectories whose float bookkeeping differs from the exact one.
    pub disagreements: u64,
    /// `max |u_float − u_exact|` over all trajectories and steps.
    pub max_drift: f64,
    /// Largest exact state met, in bits (numerator plus denominator).
    pub max_bits: u64,
    /// The first exact counterexamples met (at most five), in trajectory order.
    pub counterexamples: Vec<Counterexample>,
}

/// The region of an exact `u` (the same comparisons as the float [`Regions::classify`]).
fn classify_exact(q: &Rational, c: &ExactRegions) -> Region {
    classify_with(
        q.cmp0().is_gt(),
        *q > c.low,
        *q < c.below_one,
        *q < 1,
        *q == 1,
        *q > c.above_one,
        *q < c.top,
    )
}

struct ExactRegions {
    low: Rational,
    below_one: Rational,
    above_one: Rational,
    top: Rational,
}

impl ExactRegions {
    /// `ε = min((γ_min − 1)/3, 1/50)` in exact arithmetic.
    fn new(gamma_min: &Rational) -> ExactRegions {
        let eps = ((gamma_min.clone() - 1u32) / 3u32).min(Rational::from((1, 50)));
        ExactRegions {
            low: Rational::from((13, 20)),
            below_one: Rational::from(1) - &eps,
            above_one: Rational::from(1) + &eps,
            top: Rational::from((581, 500)),
        }
    }
}

/// `x` rounded down to a multiple of `2^-DYADIC_BITS`.
fn dyadic(x: f64) -> Rational {
    let scale = f64::from(1u32 << DYADIC_BITS);
    Rational::from(((x * scale).floor() as i64, 1i64 << DYADIC_BITS))
}

impl ExactConfig {
    fn gamma_min(&self) -> Rational {
        match &self.gamma {
            ExactGamma::Rounded(law) => dyadic(law.support().0),
            ExactGamma::Atoms(a) => a.iter().min().cloned().unwrap_or_default(),
        }
    }

    fn draw(&self, bits: u64) -> Rational {
        match &self.gamma {
            ExactGamma::Rounded(law) => dyadic(law.draw(bits)),
            ExactGamma::Atoms(a) => a[super::rng::below(bits, a.len() as u64)].clone(),
        }
    }
}

/// Runs the exact and float trajectories side by side.
pub fn exact(cfg: &ExactConfig) -> ExactReport {
    let gmin = cfg.gamma_min();
    let regions = Regions::new(gmin.to_f64());
    let exact_regions = ExactRegions::new(&gmin);
    let mut rep = ExactReport {
        trajectories: cfg.trajectories,
        steps: cfg.steps,
        exact: Counts::default(),
        float: Counts::default(),
        disagreements: 0,
        max_drift: 0.0,
        max_bits: 0,
        counterexamples: Vec::new(),
    };
    for k in 0..cfg.trajectories {
        run_one(cfg, k, &regions, &exact_regions, &mut rep);
    }
    rep
}

fn run_one(cfg: &ExactConfig, k: u64, fr: &Regions, er: &ExactRegions, rep: &mut ExactReport) {
    let mut s = stream_state(cfg.seed, k);
    let q0 = cfg
        .u0
        .clone()
        .unwrap_or_else(|| dyadic(unit_open(mix64(s))));
    let (mut q, mut f) = (q0.clone(), q0.to_f64());
    let (mut exact, mut float) = (Track::default(), Track::default());
    let mut gammas = Vec::new();
    let mut event = None;
    for t in 0..=cfg.steps {
        exact.record(t, classify_exact(&q, er), q.to_f64());
        float.record(t, fr.classify(f), f);
        let drift = (Rational::from_f64(f).unwrap_or_default() - &q)
            .abs()
            .to_f64();
        rep.max_drift = rep.max_drift.max(drift);
        rep.max_bits = rep.max_bits.max(u64::from(
            q.numer().significant_bits() + q.denom().significant_bits(),
        ));
        event = event.or_else(|| first_event(&exact).map(|e| (e, t, f)));
        if t == cfg.steps {
            break;
        }
        s = xorshift64(s);
        let g = cfg.draw(s);
        f = h(f, g.to_f64());
        q = step_exact(&q, &g);
        gammas.push(g);
    }
    rep.exact.add(&exact);
    rep.float.add(&float);
    rep.disagreements += !exact.same_events(&float) as u64;
    if let (Some((event, step, float_u)), true) = (event, rep.counterexamples.len() < MAX_SHOWN) {
        rep.counterexamples.push(Counterexample {
            trajectory: k,
            u0: q0.to_string(),
            gammas: gammas
                .iter()
                .take(step as usize)
                .map(|g| g.to_string())
                .collect(),
            event,
            step,
            float_u,
        });
    }
}

/// `u + γu(1 − u²)` exactly.
pub fn step_exact(u: &Rational, g: &Rational) -> Rational {
    let sq = Rational::from(u * u);
    let one_minus = Rational::from(1) - sq;
    let gu = Rational::from(g * u);
    Rational::from(&gu * &one_minus) + u
}

fn first_event(t: &Track) -> Option<&'static str> {
    match () {
        _ if t.fixed_point => Some("fixed_point"),
        _ if t.escaped => Some("escaped"),
        _ if t.left_band => Some("left_band"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_fifths_lands_on_one_with_gamma_25_24() {
        let u = step_exact(&Rational::from((3, 5)), &Rational::from((25, 24)));
        assert_eq!(u, 1);
        let cfg = ExactConfig {
            gamma: ExactGamma::Atoms(vec![Rational::from((25, 24))]),
            u0: Some(Rational::from((3, 5))),
            trajectories: 2,
            steps: 6,
            seed: 1,
        };
        let rep = exact(&cfg);
        assert_eq!(rep.exact.fixed_point_hits, 2);
        assert_eq!(rep.float.fixed_point_hits, 0);
        assert_eq!(rep.counterexamples[0].event, "fixed_point");
        assert_eq!(rep.counterexamples[0].step, 1);
        assert_eq!(rep.counterexamples[0].gammas, ["25/24"]);
    }

    #[test]
    fn dyadic_rounding_is_exact_in_floats() {
        let q = dyadic(1.123_456_789);
        assert_eq!(Rational::from_f64(q.to_f64()).unwrap(), q);
    }
}
