//! Exact trajectories in `rug::Rational`, beside the float ones on the same `γ` sequence:
//! exact counterexamples (a trajectory landing exactly on the fixed point 1) and the float
//! simulation's rounding drift.
//!
//! Sizes grow like `3ᵗ` (each step cubes `u`), so the horizon is capped at [`MAX_EXACT_STEPS`].

use super::law::GammaLaw;
use super::regions::{classify_with, Region, Regions, Track};
use super::rng::{mix64, stream_state, unit_open, xorshift64};
use crate::case_study::{nearest, Evaluator, Model};
use rug::Rational;
use serde::Serialize;

/// Longest exact horizon: `u_t` has about `3ᵗ` times the bits of `u₀` and `γ` (for a cubic map).
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
    /// `fixed_point` (lands exactly on the fixed point and stays), `escaped` or `left_band`.
    pub event: &'static str,
    /// The step of the event (0 is `u₀`).
    pub step: u64,
    /// What the float run of the same `γ` sequence did there: its `u` at that step.
    pub float_u: f64,
}

/// What the exact and float runs saw.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    /// Trajectories that entered `I₁ ∪ I₂ ∪ I₃` (`(low, top)`).
    pub entered: u64,
    /// Trajectories that reached `I₁`, where the 2-cycle band starts.
    pub entered_band: u64,
    /// Trajectories that left the band after entering it.
    pub left_band: u64,
    /// Trajectories that left the state space `(0, top)`.
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
        *q < c.fixed,
        *q == c.fixed,
        *q > c.above_one,
        *q < c.top,
    )
}

struct ExactRegions {
    eps: Rational,
    low: Rational,
    below_one: Rational,
    fixed: Rational,
    above_one: Rational,
    top: Rational,
}

impl ExactRegions {
    /// The model's regions for the exact `ε` of `γ_min` (`None` if it has none).
    fn new(model: &Model, gamma_min: &Rational) -> Option<ExactRegions> {
        let eps = model.param_exact(gamma_min)?;
        let fixed = model.fixed.clone();
        Some(ExactRegions {
            below_one: Rational::from(&fixed - &eps),
            above_one: Rational::from(&fixed + &eps),
            eps,
            low: model.low.clone(),
            fixed,
            top: model.top.clone(),
        })
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

/// Runs the exact and float trajectories of `model` side by side; `None` if the model's
/// parameter has no rational value at the law's smallest `γ`.
pub fn exact(model: &Model, cfg: &ExactConfig) -> Option<ExactReport> {
    let gmin = cfg.gamma_min();
    let exact_regions = ExactRegions::new(model, &gmin)?;
    let regions = Regions::with_eps(model, nearest(&exact_regions.eps));
    let ev = model.evaluator();
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
        run_one(model, cfg, k, (&ev, &regions, &exact_regions), &mut rep);
    }
    Some(rep)
}

fn run_one(
    model: &Model,
    cfg: &ExactConfig,
    k: u64,
    (ev, fr, er): (&Evaluator, &Regions, &ExactRegions),
    rep: &mut ExactReport,
) {
    let mut scratch = Vec::new();
    let mut s = stream_state(cfg.seed, k);
    let q0 = cfg
        .u0
        .clone()
        .unwrap_or_else(|| dyadic(unit_open(mix64(s))));
    let (mut q, mut f) = (Some(q0.clone()), q0.to_f64());
    let (mut exact, mut float) = (Track::default(), Track::default());
    let mut gammas = Vec::new();
    let mut event = None;
    for t in 0..=cfg.steps {
        // A state where the map is undefined (or irrational) has left the state space.
        let region = match &q {
            Some(q) => classify_exact(q, er),
            None => Region::Outside,
        };
        let qf = q.as_ref().map_or(f64::NAN, Rational::to_f64);
        exact.record(t, region, qf);
        float.record(t, fr.classify(f), f);
        if let (Some(q), Some(fq)) = (&q, Rational::from_f64(f)) {
            rep.max_drift = rep.max_drift.max((fq - q).abs().to_f64());
            rep.max_bits = rep.max_bits.max(u64::from(
                q.numer().significant_bits() + q.denom().significant_bits(),
            ));
        }
        event = event.or_else(|| first_event(&exact).map(|e| (e, t, f)));
        if t == cfg.steps {
            break;
        }
        s = xorshift64(s);
        let g = cfg.draw(s);
        f = ev.next(fr.eps, g.to_f64(), f, &mut scratch);
        q = q.and_then(|q| model.next_exact(&er.eps, &g, &q));
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

    fn model() -> Model {
        crate::case_study::flagship().model
    }

    #[test]
    fn three_fifths_lands_on_one_with_gamma_25_24() {
        let m = model();
        let (e, g) = (Rational::from((1, 72)), Rational::from((25, 24)));
        let u = m.next_exact(&e, &g, &Rational::from((3, 5)));
        assert_eq!(u, Some(Rational::from(1)));
        let cfg = ExactConfig {
            gamma: ExactGamma::Atoms(vec![Rational::from((25, 24))]),
            u0: Some(Rational::from((3, 5))),
            trajectories: 2,
            steps: 6,
            seed: 1,
        };
        let rep = exact(&m, &cfg).unwrap();
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
