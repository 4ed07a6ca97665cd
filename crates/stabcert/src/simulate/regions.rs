//! The proven constants of `proofs/loss_stabilization.stab`, the regions they define, and the
//! per-trajectory bookkeeping shared by the float, exact and sample code paths.
//!
//! Every constant names the claim that proves it; `tests::constants_still_occur_in_the_proofs`
//! reads the proof file so that the two cannot drift apart.

//! The regions of a case study's proof, the proven escape bounds, and the per-trajectory
//! bookkeeping shared by the float, exact and sample code paths.
//!
//! The regions of a model with fixed point `f`, parameter `ε`, constants `low < f < top`:
//! `I₀ = (0, low]`, `I₁ = (low, f − ε)`, `I₂ = [f − ε, f)`, `{f}`, `I₃ = (f, f + ε]`,
//! `I₄ = (f + ε, top)`; the 2-cycle band alternates between `I₁` and `I₄`. Every constant
//! comes from the case study (`crate::case_study`).

use crate::case_study::{nearest, Model};
use serde::Serialize;

/// The regions of the proof for one `ε`, and the escape factors there.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Regions {
    /// `ε = ε₀` for the run's `γ_min` (the case study's `param_of_noise_min`).
    pub eps: f64,
    /// `low`, lower end of `I₁` (upper end of `I₀`).
    pub low: f64,
    /// `f − ε`, upper end of `I₁`.
    pub below_one: f64,
    /// The fixed point `f`.
    pub fixed: f64,
    /// `f + ε`, lower end of the odd half of the cycle, `I₄ = (f + ε, top)`.
    pub above_one: f64,
    /// `top`, upper end of the state space.
    pub top: f64,
    /// On `I₀` the map grows by at least this factor.
    pub growth: f64,
    /// Two steps from `I₂` multiply the distance to `f` by at least `λ(ε)`.
    pub lambda: f64,
}

impl Regions {
    /// The regions of `model` for a law whose smallest noise value is `noise_min`.
    pub fn new(model: &Model, noise_min: f64) -> Regions {
        Regions::with_eps(model, model.param(noise_min))
    }

    /// The regions of `model` for the parameter `eps`.
    pub fn with_eps(model: &Model, eps: f64) -> Regions {
        let fixed = nearest(&model.fixed);
        Regions {
            eps,
            low: nearest(&model.low),
            below_one: fixed - eps,
            fixed,
            above_one: fixed + eps,
            top: nearest(&model.top),
            growth: model.at(&model.growth, eps),
            lambda: model.at(&model.expand, eps),
        }
    }

    /// Where `u` lies.
    pub fn classify(&self, u: f64) -> Region {
        classify_with(
            u > 0.0,
            u > self.low,
            u < self.below_one,
            u < self.fixed,
            u == self.fixed,
            u > self.above_one,
            u < self.top,
        )
    }

    /// Steps within which a trajectory started at `u0` leaves `I₀` (the `grow` escape):
    /// `⌈log(low/u₀)/log growth⌉`, 0 outside `I₀`. A `1e-9` slack keeps float rounding of the
    /// logarithms from shortening the bound.
    pub fn i0_exit_bound(&self, u0: f64) -> u64 {
        if u0 > self.low {
            return 0;
        }
        ((self.low / u0).ln() / self.growth.ln() - 1e-9)
            .ceil()
            .max(0.0) as u64
    }

    /// Steps within which a trajectory in `I₂` at distance `d0 = f − u` reaches `I₁` (the
    /// `expand` escape): `2k` with `k` the least integer with `λᵏ d₀ > ε`, i.e.
    /// `⌊log(ε/d₀)/log λ⌋ + 1` (the printed `⌈·⌉` except when `λᵏ d₀ = ε`).
    pub fn i2_exit_bound(&self, d0: f64) -> u64 {
        let k = ((self.eps / d0).ln() / self.lambda.ln() + 1e-9)
            .floor()
            .max(0.0) as u64
            + 1;
        2 * k
    }
}

/// The regions of a trajectory's states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Region {
    /// `(0, low]`.
    I0,
    /// `(low, f − ε)`: the even half of the 2-cycle band.
    I1,
    /// `[1 − ε, 1)`.
    I2,
    /// The fixed point `{1}`.
    One,
    /// `(1, 1 + ε]`.
    I3,
    /// `(f + ε, top)`: the odd half of the 2-cycle band.
    I4,
    /// Outside the state space `(0, top)`: a violation of the invariance of the state space.
    Outside,
}

/// Region from the comparisons `u > 0`, `u > low`, `u < f − ε`, `u < f`, `u = f`,
/// `u > f + ε`, `u < top` (floats and rationals share it).
pub fn classify_with(
    pos: bool,
    above_low: bool,
    below_a: bool,
    below_one: bool,
    is_one: bool,
    above_b: bool,
    below_top: bool,
) -> Region {
    match () {
        _ if !pos || !below_top => Region::Outside,
        _ if !above_low => Region::I0,
        _ if below_a => Region::I1,
        _ if below_one => Region::I2,
        _ if is_one => Region::One,
        _ if above_b => Region::I4,
        _ => Region::I3,
    }
}

/// What one trajectory did, step by step (the slow, plain definition the lane kernel must match).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Track {
    /// First step in `(low, top)`.
    pub entered: Option<u64>,
    /// First step in `(low, f)` and the state there.
    pub below_one_at: Option<(u64, f64)>,
    /// First step in `I₁`: the 2-cycle band starts there.
    pub band: Option<u64>,
    /// Left the band after entering it (an even step outside `I₁` or an odd one outside `I₄`).
    pub left_band: bool,
    /// Left `(0, top)`.
    pub escaped: bool,
    /// Hit the fixed point exactly.
    pub fixed_point: bool,
    /// Previous region, while in the band.
    prev: Option<Region>,
}

impl Track {
    /// The same events at the same steps (the states recorded beside them may differ).
    pub fn same_events(&self, o: &Track) -> bool {
        let step = |t: &Track| t.below_one_at.map(|(s, _)| s);
        (
            self.entered,
            self.band,
            self.left_band,
            self.escaped,
            self.fixed_point,
        ) == (o.entered, o.band, o.left_band, o.escaped, o.fixed_point)
            && step(self) == step(o)
    }

    /// Records state `u` (in region `r`) at step `t`.
    pub fn record(&mut self, t: u64, r: Region, u: f64) {
        let in_state = !matches!(r, Region::Outside | Region::I0);
        if in_state && self.entered.is_none() {
            self.entered = Some(t);
        }
        if matches!(r, Region::I1 | Region::I2) && self.below_one_at.is_none() {
            self.below_one_at = Some((t, u));
        }
        if self.band.is_some() {
            let alternates = matches!(
                (self.prev, r),
                (Some(Region::I1), Region::I4) | (Some(Region::I4), Region::I1)
            );
            self.left_band |= !alternates;
        } else if r == Region::I1 {
            self.band = Some(t);
        }
        self.prev = Some(r);
        self.escaped |= r == Region::Outside;
        self.fixed_point |= r == Region::One;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        crate::case_study::flagship().model
    }

    #[test]
    fn escape_bounds() {
        let r = Regions::with_eps(&model(), 0.02);
        assert_eq!(r.i0_exit_bound(0.7), 0);
        assert_eq!(r.i0_exit_bound(0.65), 0);
        assert_eq!(r.i0_exit_bound(0.65 / r.growth), 1);
        assert_eq!(r.i0_exit_bound(0.3), 2);
        assert_eq!(r.i2_exit_bound(0.02), 2);
        assert!(Regions::with_eps(&model(), 0.001).i2_exit_bound(1e-12) > 1000);
    }

    #[test]
    fn track_sees_the_cycle_and_a_departure() {
        let r = Regions::new(&model(), 1.06);
        assert_eq!((r.low, r.top, r.fixed, r.eps), (0.65, 1.162, 1.0, 0.02));
        let mut t = Track::default();
        for (i, u) in [0.3, 0.7, 1.1, 0.8, 1.05].into_iter().enumerate() {
            t.record(i as u64, r.classify(u), u);
        }
        assert_eq!((t.entered, t.band, t.left_band), (Some(1), Some(1), false));
        t.record(5, r.classify(1.05), 1.05);
        assert!(t.left_band);
    }
}
