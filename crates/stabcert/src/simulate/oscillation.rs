//! Monte Carlo of a case study's random map `u_{t+1} = map(ε, γ_t, u_t)` with the proof's
//! region checks at every step (`crate::case_study`).
//!
//! Two kernels compute the same thing. The lane kernel is for the cubic map
//! `u + γu(1 − u²)` only (selected when the case study's map is exactly that polynomial, see
//! [`lanes_apply`]): trajectories run in groups of [`LANES`] in lockstep, every lane's state in
//! a fixed-size array and every region check a select or a mask, so that LLVM vectorises a
//! group's step. The plain kernel evaluates any map through a compiled tape and records each
//! trajectory with [`Track`], the definition the lane kernel must agree with.
//! Trajectory `k` draws from its own stream `(seed, k)`, and chunks are reduced in order:
//! the report does not depend on the number of threads.

use super::law::{Atoms, Draw, GammaLaw, UniformGamma, UniformX};
use super::regions::{Regions, Track};
use super::rng::{mix64, stream_state, unit_open, xorshift64};
use crate::case_study::{nearest, Evaluator, Model};
use rayon::prelude::*;
use rug::Rational;
use serde::Serialize;

/// Trajectories in lockstep.
pub const LANES: usize = 16;
/// Trajectories a unit of parallel work (a multiple of [`LANES`]).
const CHUNK: u64 = 4096;

/// One Monte Carlo run.
#[derive(Clone, Debug, Serialize)]
pub struct OscillationConfig {
    /// How `γ` is drawn each step.
    pub law: GammaLaw,
    /// `u₀ = θ₀/θ*`; `None`: uniform on `(0, 1)`, i.e. `θ₀` uniform on `(0, θ*)`.
    pub u0: Option<f64>,
    /// Number of trajectories.
    pub trajectories: u64,
    /// Steps per trajectory: each is checked at `u_0, …, u_steps`.
    pub steps: u64,
    /// Seed of the random streams: trajectory `k` draws from its own stream of `(seed, k)`.
    pub seed: u64,
    /// The factor from the loss's unit to the stated band's unit (1 in the rescaled model).
    pub seed_scale: f64,
}

/// The initial state of trajectory `k`, and its generator state.
pub fn initial(cfg: &OscillationConfig, k: u64) -> (f64, u64) {
    let s = stream_state(cfg.seed, k);
    (cfg.u0.unwrap_or_else(|| unit_open(mix64(s))), s)
}

/// Trajectory `k` for `steps` steps: `(γ_t, u_t)` with `u_{t+1} = map(ε, γ_t, u_t)` (cobweb
/// plots), evaluated as the run evaluates it.
pub fn sample_path(model: &Model, cfg: &OscillationConfig, k: u64, steps: u64) -> Vec<(f64, f64)> {
    let ev = model.evaluator();
    let eps = model.param(cfg.law.support().0);
    let mut scratch = Vec::new();
    let (mut u, mut s) = initial(cfg, k);
    let mut path = Vec::with_capacity(steps as usize);
    for _ in 0..steps {
        s = xorshift64(s);
        let g = cfg.law.draw(s);
        path.push((g, u));
        u = ev.next(eps, g, u, &mut scratch);
    }
    path
}

/// The first `count` trajectories of the run, `steps` steps each (see [`sample_path`]).
pub fn sample_paths(
    model: &Model,
    cfg: &OscillationConfig,
    count: u64,
    steps: u64,
) -> Vec<Vec<(f64, f64)>> {
    (0..count)
        .map(|k| sample_path(model, cfg, k, steps))
        .collect()
}

/// Trajectory `k` recorded by the plain [`Track`] (what the lane kernel must agree with).
pub fn track_path(model: &Model, cfg: &OscillationConfig, k: u64) -> Track {
    let r = Regions::new(model, cfg.law.support().0);
    let (u0, s) = initial(cfg, k);
    let mut scratch = Vec::new();
    plain(
        &model.evaluator(),
        &cfg.law,
        &r,
        u0,
        s,
        cfg.steps,
        &mut scratch,
    )
    .0
}

/// One trajectory by the plain definition: the [`Track`] of `u_0 … u_steps`, and the range of
/// the loss over the states from the band's entry on (`(∞, 0)` if it never entered).
fn plain<D: Draw + ?Sized>(
    ev: &Evaluator,
    d: &D,
    r: &Regions,
    u0: f64,
    s0: u64,
    steps: u64,
    scratch: &mut Vec<f64>,
) -> (Track, f64, f64) {
    let mut track = Track::default();
    let (mut loss_min, mut loss_max) = (INF, 0.0);
    let (mut u, mut s) = (u0, s0);
    for t in 0..=steps {
        track.record(t, r.classify(u), u);
        if track.band.is_some() {
            let loss = ev.loss(u, scratch);
            loss_min = fmin(loss_min, loss);
            loss_max = fmax(loss_max, loss);
        }
        s = xorshift64(s);
        u = ev.next(r.eps, d.gamma(s), u, scratch);
    }
    (track, loss_min, loss_max)
}

/// A group of trajectories run one by one by [`plain`], in the lane kernel's [`Group`] shape.
fn plain_group<D: Draw>(
    ev: &Evaluator,
    d: &D,
    r: &Regions,
    u0: [f64; LANES],
    rng: [u64; LANES],
    steps: u64,
) -> Group {
    let mut scratch = Vec::new();
    let mut g = Group {
        u0,
        entered: [INF; LANES],
        below_one: [INF; LANES],
        u_below_one: [0.0; LANES],
        band: [INF; LANES],
        left_band: [0; LANES],
        escaped: [false; LANES],
        fixed_point: [false; LANES],
        loss_min: [INF; LANES],
        loss_max: [0.0; LANES],
    };
    let step = |t: Option<u64>| t.map_or(INF, |t| t as f64);
    for i in 0..LANES {
        let (t, lo, hi) = plain(ev, d, r, u0[i], rng[i], steps, &mut scratch);
        g.entered[i] = step(t.entered);
        g.below_one[i] = step(t.below_one_at.map(|b| b.0));
        g.u_below_one[i] = t.below_one_at.map_or(0.0, |b| b.1);
        g.band[i] = step(t.band);
        g.left_band[i] = t.left_band as u64;
        g.escaped[i] = t.escaped;
        g.fixed_point[i] = t.fixed_point;
        (g.loss_min[i], g.loss_max[i]) = (lo, hi);
    }
    g
}

/// Whether the lane kernel computes the run: the case study's map and loss are exactly the
/// cubic ones ([`Model::is_cubic`]), and every `γ` of the law keeps the map positive on the
/// state space (`γ ≥ 0` and `1 + γ_max (1 − top²) > 0`, exactly), so that a trajectory can
/// leave `(0, top)` only upward, which is all the lane kernel watches for.
pub fn lanes_apply(model: &Model, law: &GammaLaw) -> bool {
    let (lo, hi) = law.support();
    let (Some(lo), Some(hi)) = (Rational::from_f64(lo), Rational::from_f64(hi)) else {
        return false;
    };
    let top_sq = Rational::from(&model.top * &model.top);
    let positive = Rational::from(1) + hi * (Rational::from(1) - top_sq);
    model.is_cubic() && lo >= 0 && positive > 0
}

/// One group's outcome, lane by lane (steps as floats, `INF` for never).
struct Group {
    u0: [f64; LANES],
    entered: [f64; LANES],
    below_one: [f64; LANES],
    u_below_one: [f64; LANES],
    band: [f64; LANES],
    left_band: [u64; LANES],
    escaped: [bool; LANES],
    fixed_point: [bool; LANES],
    loss_min: [f64; LANES],
    loss_max: [f64; LANES],
}

#[inline(always)]
fn fmin(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn fmax(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

const INF: f64 = f64::INFINITY;

/// The lanes' state between steps.
struct Lanes {
    u: [f64; LANES],
    s: [u64; LANES],
    entered: [f64; LANES],
    below_one: [f64; LANES],
    u_below_one: [f64; LANES],
    band: [f64; LANES],
    /// +1 in I1, -1 in I4, 0 elsewhere, at the previous step.
    prev: [f64; LANES],
    left_band: [u64; LANES],
    /// Largest `u` met: under [`lanes_apply`] the map stays positive on `(0, top)`
    /// (`u + γu(1 − u²) > 0` iff `u² < 1 + 1/γ`), so leaving the state space means passing top.
    u_max: [f64; LANES],
    loss_min: [f64; LANES],
    loss_max: [f64; LANES],
}

impl Lanes {
    fn new(u0: [f64; LANES], s: [u64; LANES]) -> Lanes {
        Lanes {
            u: u0,
            s,
            entered: [INF; LANES],
            below_one: [INF; LANES],
            u_below_one: [0.0; LANES],
            band: [INF; LANES],
            prev: [0.0; LANES],
            left_band: [0; LANES],
            u_max: u0,
            loss_min: [INF; LANES],
            loss_max: [0.0; LANES],
        }
    }

    /// Checks `u_t` with the full bookkeeping of [`Track::record`], then steps.
    #[inline(always)]
    fn step_full<D: Draw>(&mut self, d: &D, r: &Regions, tf: f64) {
        for i in 0..LANES {
            let x = self.u[i];
            let w = 1.0 - x * x;
            let above_low = x > r.low;
            let below_top = x < r.top;
            let in1 = above_low & (x < r.below_one);
            let in4 = (x > r.above_one) & below_top;
            let entered = if above_low & below_top { tf } else { INF };
            self.entered[i] = fmin(self.entered[i], entered);
            // The cubic's fixed point is 1 (`lanes_apply` requires the model's to be 1).
            let first_below_one = above_low & (x < 1.0) & (self.below_one[i] == INF);
            self.u_below_one[i] = if first_below_one {
                x
            } else {
                self.u_below_one[i]
            };
            self.below_one[i] = if first_below_one {
                tf
            } else {
                self.below_one[i]
            };
            let in_band = self.band[i] < tf;
            self.band[i] = fmin(self.band[i], if in1 { tf } else { INF });
            let phase = if in1 {
                1.0
            } else if in4 {
                -1.0
            } else {
                0.0
            };
            // The band alternates iff consecutive phases are opposite and non-zero.
            let alternates = (phase + self.prev[i] == 0.0) & (phase != 0.0);
            self.left_band[i] |= (in_band & !alternates) as u64;
            self.prev[i] = phase;
            let on_cycle = self.band[i] <= tf;
            let loss = w * w;
            self.loss_min[i] = fmin(self.loss_min[i], if on_cycle { loss } else { INF });
            self.loss_max[i] = fmax(self.loss_max[i], if on_cycle { loss } else { 0.0 });
            self.advance(d, i, x, w);
        }
    }

    /// Checks `u_t` for lanes that are all in the band: `side[i]` is +1 where `u_t` must be
    /// in `I₁` (`ε < 1 − u < 1 − low`), −1 where it must be in `I₄` (`ε < u − 1 < top − 1`),
    /// `width[i]` the matching upper end (the fixed point of the cubic is 1).
    #[inline(always)]
    fn step_band<D: Draw>(
        &mut self,
        d: &D,
        r: &Regions,
        side: &[f64; LANES],
        width: &[f64; LANES],
    ) {
        for i in 0..LANES {
            let x = self.u[i];
            let w = 1.0 - x * x;
            let dist = side[i] * (1.0 - x);
            let ok = (dist > r.eps) & (dist < width[i]);
            self.left_band[i] |= (!ok) as u64;
            let loss = w * w;
            self.loss_min[i] = fmin(self.loss_min[i], loss);
            self.loss_max[i] = fmax(self.loss_max[i], loss);
            self.advance(d, i, x, w);
        }
    }

    /// `u ← u + γu(1 − u²)` with a fresh `γ`; tracks the range of `u` (for leaving `(0, top)`).
    #[inline(always)]
    fn advance<D: Draw>(&mut self, d: &D, i: usize, x: f64, w: f64) {
        self.u_max[i] = fmax(self.u_max[i], x);
        self.s[i] = xorshift64(self.s[i]);
        self.u[i] = (d.gamma(self.s[i]) * x).mul_add(w, x);
    }

    fn all_in_band(&self) -> bool {
        self.band.iter().all(|b| *b < INF)
    }

    fn finish(self, u0: [f64; LANES], r: &Regions) -> Group {
        // A trajectory that reaches 1 stays there exactly (fma(γ, 0, 1) = 1), and one that
        // leaves (0, top) for good ends as NaN or ±inf.
        let escaped = std::array::from_fn(|i| !(self.u_max[i] < r.top && self.u[i].is_finite()));
        Group {
            u0,
            entered: self.entered,
            below_one: self.below_one,
            u_below_one: self.u_below_one,
            band: self.band,
            left_band: self.left_band,
            escaped,
            fixed_point: self.u.map(|u| u == 1.0),
            // The loss (1 − u²)²/4: the squares were kept, a quarter is exact.
            loss_min: self.loss_min.map(|l| l * 0.25),
            loss_max: self.loss_max.map(|l| l * 0.25),
        }
    }
}

/// Steps between checks for "every lane is in the band".
const BAND_CHECK_EVERY: u64 = 4;

/// Runs one group of lanes for `steps` steps, checking `u_0 … u_steps`: full bookkeeping
/// (the same as [`Track::record`], with selects and masks) until every lane is in the band,
/// then only the band's alternation and the loss.
#[inline(never)]
fn run_group<D: Draw>(
    d: &D,
    r: &Regions,
    u0: [f64; LANES],
    rng: [u64; LANES],
    steps: u64,
) -> Group {
    let mut lanes = Lanes::new(u0, rng);
    let mut t = 0;
    while t <= steps {
        lanes.step_full(d, r, t as f64);
        t += 1;
        if t % BAND_CHECK_EVERY == 0 && lanes.all_in_band() {
            break;
        }
    }
    // Each lane's next state must be in the other half of the cycle from its last one; two
    // steps an iteration, so that each half keeps its own side and width.
    let side = lanes.prev.map(|p| if p > 0.0 { -1.0 } else { 1.0 });
    let width = |s: [f64; LANES]| {
        s.map(|e| {
            if e > 0.0 {
                r.fixed - r.low
            } else {
                r.top - r.fixed
            }
        })
    };
    let (other, w0) = (side.map(|s| -s), width(side));
    let w1 = width(other);
    while t < steps {
        lanes.step_band(d, r, &side, &w0);
        lanes.step_band(d, r, &other, &w1);
        t += 2;
    }
    if t == steps {
        lanes.step_band(d, r, &side, &w0);
    }
    lanes.finish(u0, r)
}

/// Counts over a set of trajectories; merged in chunk order.
#[derive(Clone, Debug, Default)]
struct Tally {
    trajectories: u64,
    entered: u64,
    entered_band: u64,
    left_band: u64,
    escaped: u64,
    violations: u64,
    fixed_point: u64,
    entry_over_bound: u64,
    band_over_bound: u64,
    entry_bound_max: u64,
    band_bound_max: u64,
    entry_hist: Vec<u64>,
    band_hist: Vec<u64>,
    loss_min: f64,
    loss_max: f64,
}

fn bump(hist: &mut Vec<u64>, t: u64) {
    let t = t as usize;
    if hist.len() <= t {
        hist.resize(t + 1, 0);
    }
    hist[t] += 1;
}

fn add_hist(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    into.iter_mut().zip(from).for_each(|(a, b)| *a += b);
}

fn step_of(t: f64) -> Option<u64> {
    t.is_finite().then_some(t as u64)
}

impl Tally {
    fn empty() -> Tally {
        Tally {
            loss_min: f64::INFINITY,
            ..Tally::default()
        }
    }

    /// Adds lane `i` of `g`, checking its entry times against the proven bounds.
    fn add_lane(&mut self, g: &Group, i: usize, r: &Regions, steps: u64) {
        self.trajectories += 1;
        let entry_bound = r.i0_exit_bound(g.u0[i]);
        self.entry_bound_max = self.entry_bound_max.max(entry_bound);
        let entered = step_of(g.entered[i]);
        match entered {
            Some(t) => {
                self.entered += 1;
                bump(&mut self.entry_hist, t);
                self.entry_over_bound += (t > entry_bound) as u64;
            }
            None => self.entry_over_bound += (entry_bound <= steps) as u64,
        }
        if let Some(t) = step_of(g.band[i]) {
            self.entered_band += 1;
            bump(&mut self.band_hist, t);
            self.loss_min = self.loss_min.min(g.loss_min[i]);
            self.loss_max = self.loss_max.max(g.loss_max[i]);
        }
        let fixed = g.fixed_point[i];
        self.fixed_point += fixed as u64;
        if let (Some(e), false) = (entered, fixed) {
            self.check_band_bound(g, i, e, r, steps);
        }
        let (left, escaped) = (g.left_band[i] != 0, g.escaped[i]);
        self.left_band += left as u64;
        self.escaped += escaped as u64;
        self.violations += (left || escaped) as u64;
    }

    /// `I₃ → I₁ ∪ I₂` in one step, then `I₂ → I₁` within [`Regions::i2_exit_bound`].
    fn check_band_bound(&mut self, g: &Group, i: usize, entered: u64, r: &Regions, steps: u64) {
        let bound = match step_of(g.below_one[i]) {
            Some(ta) if ta <= entered + 1 => {
                let ua = g.u_below_one[i];
                ta + if ua < r.below_one {
                    0
                } else {
                    r.i2_exit_bound(r.fixed - ua)
                }
            }
            _ => entered + 1,
        };
        self.band_bound_max = self.band_bound_max.max(bound);
        let band = step_of(g.band[i]).unwrap_or(u64::MAX);
        self.band_over_bound += (bound <= steps && band > bound) as u64;
    }

    fn merge(&mut self, o: &Tally) {
        self.trajectories += o.trajectories;
        self.entered += o.entered;
        self.entered_band += o.entered_band;
        self.left_band += o.left_band;
        self.escaped += o.escaped;
        self.violations += o.violations;
        self.fixed_point += o.fixed_point;
        self.entry_over_bound += o.entry_over_bound;
        self.band_over_bound += o.band_over_bound;
        self.entry_bound_max = self.entry_bound_max.max(o.entry_bound_max);
        self.band_bound_max = self.band_bound_max.max(o.band_bound_max);
        add_hist(&mut self.entry_hist, &o.entry_hist);
        add_hist(&mut self.band_hist, &o.band_hist);
        self.loss_min = self.loss_min.min(o.loss_min);
        self.loss_max = self.loss_max.max(o.loss_max);
    }
}

/// Runs trajectories `first .. first + count` (a chunk), a group of [`LANES`] at a time.
fn run_chunk<G>(cfg: &OscillationConfig, group: &G, r: &Regions, first: u64, count: u64) -> Tally
where
    G: Fn([f64; LANES], [u64; LANES]) -> Group,
{
    let mut tally = Tally::empty();
    for g0 in (0..count).step_by(LANES) {
        let mut u0 = [0.5; LANES];
        let mut s = [1u64; LANES];
        for i in 0..LANES {
            (u0[i], s[i]) = initial(cfg, first + g0 + i as u64);
        }
        let group = group(u0, s);
        for i in 0..LANES.min((count - g0) as usize) {
            tally.add_lane(&group, i, r, cfg.steps);
        }
    }
    tally
}

fn run_all<G>(
    cfg: &OscillationConfig,
    r: &Regions,
    group: &G,
    progress: &(dyn Fn(u64) + Sync),
) -> Tally
where
    G: Fn([f64; LANES], [u64; LANES]) -> Group + Sync,
{
    let chunks = cfg.trajectories.div_ceil(CHUNK);
    let parts: Vec<Tally> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let first = c * CHUNK;
            let count = CHUNK.min(cfg.trajectories - first);
            let t = run_chunk(cfg, group, r, first, count);
            progress(count);
            t
        })
        .collect();
    parts.iter().fold(Tally::empty(), |mut acc, p| {
        acc.merge(p);
        acc
    })
}

/// Entry-time statistics beside the proven bound.
#[derive(Clone, Debug, Serialize)]
pub struct EntryTimes {
    /// Trajectories that got there within the horizon.
    pub count: u64,
    /// Mean entry step over `count`; `None` if no trajectory got there.
    pub mean: Option<f64>,
    /// Median entry step; `None` if no trajectory got there.
    pub p50: Option<u64>,
    /// 90th percentile of the entry step; `None` if no trajectory got there.
    pub p90: Option<u64>,
    /// 99th percentile of the entry step; `None` if no trajectory got there.
    pub p99: Option<u64>,
    /// Latest entry step met; `None` if no trajectory got there.
    pub max: Option<u64>,
    /// The largest per-trajectory proven bound met in the run.
    pub proven_bound_max: u64,
    /// Trajectories that were not there by their own proven bound (0 inside the window).
    pub over_proven_bound: u64,
    /// `[from, to)` step ranges and counts.
    pub histogram: Vec<Bin>,
}

/// A histogram bin: steps `from ≤ t < to`.
#[derive(Clone, Debug, Serialize)]
pub struct Bin {
    /// First step of the bin.
    pub from: u64,
    /// First step past the bin.
    pub to: u64,
    /// Trajectories that got there at a step of the bin.
    pub count: u64,
}

const HIST_BINS: u64 = 12;

impl EntryTimes {
    fn of(hist: &[u64], bound_max: u64, over: u64) -> EntryTimes {
        let count: u64 = hist.iter().sum();
        let quantile = |q: f64| {
            let need = ((q * count as f64).ceil() as u64).max(1);
            let mut seen = 0;
            hist.iter().position(|&c| {
                seen += c;
                seen >= need
            })
        };
        let q = |p| (count > 0).then(|| quantile(p).unwrap_or(0) as u64);
        let total: f64 = hist
            .iter()
            .enumerate()
            .map(|(t, &c)| t as f64 * c as f64)
            .sum();
        let width = (hist.len() as u64).div_ceil(HIST_BINS).max(1);
        let histogram = (0..hist.len() as u64)
            .step_by(width as usize)
            .map(|from| Bin {
                from,
                to: from + width,
                count: hist[from as usize..(from + width).min(hist.len() as u64) as usize]
                    .iter()
                    .sum(),
            })
            .collect();
        EntryTimes {
            count,
            mean: (count > 0).then(|| total / count as f64),
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            max: (count > 0).then(|| hist.len() as u64 - 1),
            proven_bound_max: bound_max,
            over_proven_bound: over,
            histogram,
        }
    }
}

/// The loss observed on the cycle against the proven band (the case study's `[loss]`).
#[derive(Clone, Debug, Serialize)]
pub struct LossBand {
    /// The loss at a state, and its unit.
    pub expr: String,
    /// The unit of `expr`.
    pub unit: String,
    /// The loss observed on the cycle.
    pub observed: Option<[f64; 2]>,
    /// The band proven on the cycle, at this run's `ε`.
    pub proven: [f64; 2],
    /// Whether `observed` lies strictly inside `proven` (also true when nothing was observed).
    pub inside_proven: bool,
    /// The observed loss in the stated band's unit (times the run's `seed_scale`).
    pub observed_over_theta_star_sq: Option<[f64; 2]>,
    /// The band the statement gives, at this run's `ε`, its expressions and unit.
    pub seed_band: [f64; 2],
    /// The stated band's ends as the case study writes them.
    pub seed_band_form: [String; 2],
    /// The stated band's unit.
    pub seed_band_unit: String,
}

/// The report of one run.
#[derive(Clone, Debug, Serialize)]
pub struct OscillationReport {
    /// The run's configuration.
    pub config: OscillationConfig,
    /// The map, as the case study writes it.
    pub map: String,
    /// `lanes` (the vectorised kernel of the cubic map) or `plain` (any map).
    pub kernel: &'static str,
    /// The open window the noise support must lie in, and the state space.
    pub window: [f64; 2],
    /// The state space `(lo, hi)` of the map.
    pub state_space: [f64; 2],
    /// Trajectories run.
    pub trajectories: u64,
    /// Steps per trajectory.
    pub steps: u64,
    /// The smallest `γ` of the law's support.
    pub gamma_min: f64,
    /// The largest `γ` of the law's support.
    pub gamma_max: f64,
    /// `ε₀ = min((γ_min − 1)/3, 0.02)`, the width of the regions around 1.
    pub epsilon: f64,
    /// The support lies in the window.
    pub inside_window: bool,
    /// Trajectories that entered `I₁ ∪ I₂ ∪ I₃ = (low, top)`.
    pub entered: u64,
    /// Trajectories that entered the 2-cycle band (reached `I₁`).
    pub entered_band: u64,
    /// When trajectories entered `(low, top)`.
    pub entry_time: EntryTimes,
    /// When trajectories entered the 2-cycle band (reached `I₁`).
    pub band_entry_time: EntryTimes,
    /// Trajectories that left the band after entering it.
    pub left_band: u64,
    /// Trajectories that left the state space `(0, top)`.
    pub escaped: u64,
    /// Trajectories with either violation.
    pub violations: u64,
    /// Trajectories that hit the fixed point exactly (exceptional; stay there).
    pub fixed_point_hits: u64,
    /// The loss on the 2-cycle against its proven band.
    pub loss: LossBand,
    /// A plain sentence: what the run shows.
    pub verdict: String,
}

/// Runs the Monte Carlo of `model` on the current rayon pool.
pub fn oscillation(model: &Model, cfg: &OscillationConfig) -> OscillationReport {
    oscillation_with_progress(model, cfg, &|_| {})
}

/// As [`oscillation`], calling `progress(n)` as each chunk of `n` trajectories finishes.
pub fn oscillation_with_progress(
    model: &Model,
    cfg: &OscillationConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> OscillationReport {
    let r = Regions::new(model, cfg.law.support().0);
    let lanes = lanes_apply(model, &cfg.law);
    let tally = match &cfg.law {
        GammaLaw::Uniform { min, max } => run_law(
            model,
            cfg,
            &r,
            lanes,
            &UniformGamma::new(*min, *max),
            progress,
        ),
        GammaLaw::UniformX {
            scale,
            x_min,
            x_max,
        } => {
            let d = UniformX::new(*scale, *x_min, *x_max);
            run_law(model, cfg, &r, lanes, &d, progress)
        }
        GammaLaw::Atoms { atoms } => run_law(model, cfg, &r, lanes, &Atoms(atoms), progress),
    };
    report(model, cfg, &r, lanes, &tally)
}

/// The run with the lane kernel or the plain one.
fn run_law<D: Draw>(
    model: &Model,
    cfg: &OscillationConfig,
    r: &Regions,
    lanes: bool,
    d: &D,
    progress: &(dyn Fn(u64) + Sync),
) -> Tally {
    match lanes {
        true => run_all(cfg, r, &|u0, s| run_group(d, r, u0, s, cfg.steps), progress),
        false => {
            let ev = model.evaluator();
            let group = |u0, s| plain_group(&ev, d, r, u0, s, cfg.steps);
            run_all(cfg, r, &group, progress)
        }
    }
}

fn report(
    model: &Model,
    cfg: &OscillationConfig,
    r: &Regions,
    lanes: bool,
    t: &Tally,
) -> OscillationReport {
    let (gamma_min, gamma_max) = cfg.law.support();
    let eps = r.eps;
    let inside_window = model.inside_window(gamma_min, gamma_max);
    let proven = model.proven_band.clone().map(|e| model.at(&e, eps));
    let observed = (t.entered_band > 0).then_some([t.loss_min, t.loss_max]);
    let loss = LossBand {
        expr: model.loss_text.clone(),
        unit: model.loss_unit.clone(),
        observed,
        proven,
        inside_proven: observed.is_none_or(|[lo, hi]| lo > proven[0] && hi < proven[1]),
        observed_over_theta_star_sq: observed.map(|o| o.map(|l| l * cfg.seed_scale)),
        seed_band: model.stated_band.clone().map(|e| model.at(&e, eps)),
        seed_band_form: model.stated_band_text.clone(),
        seed_band_unit: model.stated_unit.clone(),
    };
    let mut r = OscillationReport {
        config: cfg.clone(),
        map: model.map_text.clone(),
        kernel: if lanes { "lanes" } else { "plain" },
        window: model.window.clone().map(|q| nearest(&q)),
        state_space: model.state_space(),
        trajectories: t.trajectories,
        steps: cfg.steps,
        gamma_min,
        gamma_max,
        epsilon: eps,
        inside_window,
        entered: t.entered,
        entered_band: t.entered_band,
        entry_time: EntryTimes::of(&t.entry_hist, t.entry_bound_max, t.entry_over_bound),
        band_entry_time: EntryTimes::of(&t.band_hist, t.band_bound_max, t.band_over_bound),
        left_band: t.left_band,
        escaped: t.escaped,
        violations: t.violations,
        fixed_point_hits: t.fixed_point,
        loss,
        verdict: String::new(),
    };
    r.verdict = verdict(&r);
    r
}

/// Why the run is outside the window: `γ_max = 1.3 ≥ 1.25`.
fn outside(r: &OscillationReport) -> String {
    match r.gamma_max >= r.window[1] {
        true => format!("γ_max = {} ≥ {}", r.gamma_max, r.window[1]),
        false => format!("γ_min = {} ≤ {}", r.gamma_min, r.window[0]),
    }
}

fn verdict(r: &OscillationReport) -> String {
    let over = r.entry_time.over_proven_bound + r.band_entry_time.over_proven_bound;
    let top = r.state_space[1];
    match (r.inside_window, r.violations, over) {
        (true, 0, 0) => format!(
            "inside the window: no violations; {} of {} trajectories reached the 2-cycle band, \
             every one within its proven bound",
            r.entered_band, r.trajectories
        ),
        (true, v, o) => format!(
            "inside the window, yet {v} trajectories violated the proven regions and {o} missed \
             a proven bound: this contradicts the proof (or the float rounding near a boundary)"
        ),
        (false, 0, _) => format!(
            "outside the window ({}): no violation observed in this run, which proves nothing \
             either way",
            outside(r)
        ),
        (false, v, _) => format!(
            "outside the window ({}): {v} of {} trajectories violated the proven regions ({} \
             left (0, {top}), {} left the 2-cycle band): the proposition does not extend here",
            outside(r),
            r.trajectories,
            r.escaped,
            r.left_band
        ),
    }
}

/// Benchmark figures of one run.
#[derive(Debug, Serialize)]
pub struct Bench {
    /// Trajectories run.
    pub trajectories: u64,
    /// Steps per trajectory.
    pub steps: u64,
    /// `trajectories × steps`: the work done.
    pub trajectory_steps: u64,
    /// Wall-clock time of the run, in seconds.
    pub seconds: f64,
    /// `trajectory_steps / seconds`.
    pub steps_per_second: f64,
    /// CPU time of the run, all threads (Linux only): the rate per CPU-second does not
    /// depend on what else the machine is running.
    pub cpu_seconds: Option<f64>,
    /// `trajectory_steps / cpu_seconds`; `None` without a positive CPU time.
    pub steps_per_cpu_second: Option<f64>,
    /// Worker threads the run used.
    pub threads: usize,
    /// Trajectories with a violation (see [`OscillationReport::violations`]).
    pub violations: u64,
    /// Trajectories that entered the 2-cycle band.
    pub entered_band: u64,
}

impl Bench {
    /// The figures of run `r`, which took `seconds` (and `cpu` CPU-seconds) on `threads` threads.
    pub fn of(r: &OscillationReport, seconds: f64, cpu: Option<f64>, threads: usize) -> Bench {
        let work = r.trajectories * r.steps;
        Bench {
            trajectories: r.trajectories,
            steps: r.steps,
            trajectory_steps: work,
            seconds,
            steps_per_second: work as f64 / seconds,
            cpu_seconds: cpu,
            steps_per_cpu_second: cpu.filter(|c| *c > 0.0).map(|c| work as f64 / c),
            threads,
            violations: r.violations,
            entered_band: r.entered_band,
        }
    }
}

#[cfg(test)]
mod tests;
