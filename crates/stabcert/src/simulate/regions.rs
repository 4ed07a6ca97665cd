//! The proven constants of `proofs/loss_stabilization.stab`, the regions they define, and the
//! per-trajectory bookkeeping shared by the float, exact and sample code paths.
//!
//! Every constant names the claim that proves it; `tests::constants_still_occur_in_the_proofs`
//! reads the proof file so that the two cannot drift apart.

use serde::Serialize;

/// Lower end of `I₁` (and upper end of `I₀`); `step2_image`, `step4_cycle_even` land above it.
pub const LOW: f64 = 0.65;
/// Upper end of the state space `(0, 1.162)`, invariant by `step1_invariant`.
pub const TOP: f64 = 1.162;
/// Growth factor on `I₀` (`step1_growth`): `I₀` is left within `⌈log(0.65/u₀)/log 1.5775⌉` steps.
pub const GROWTH: f64 = 1.5775;
/// Cap on `ε₀ = min((γ_min − 1)/3, 0.02)` (`emax` in the proof file).
pub const EPS_MAX: f64 = 0.02;
/// Upper end of the step-size window `γ < 1.25` (`gmax` in the proof file).
pub const WINDOW_GMAX: f64 = 1.25;
/// Upper end of the loss band on the cycle, `(1 − 0.65²)²/4`, in units of `E[x²] θ*⁴`
/// (`loss_band_I1`, `loss_band_odd`).
pub const LOSS_HIGH: f64 = 0.083_376_562_5;
/// The audit's threshold: just above this `γ_max` the image of `(0, 1)` passes `1.162`.
pub const GMAX_THRESHOLD: f64 = 1.2503;

/// `ε₀ = min((γ_min − 1)/3, 0.02)`.
pub fn epsilon(gamma_min: f64) -> f64 {
    ((gamma_min - 1.0) / 3.0).min(EPS_MAX)
}

/// Lower end of the loss band on the cycle, `ε²(2 − ε)²/4` in units of `E[x²] θ*⁴`
/// (`loss_band_I1`, `loss_band_odd`).
pub fn loss_low(eps: f64) -> f64 {
    eps * eps * (2.0 - eps) * (2.0 - eps) / 4.0
}

/// Two steps from `I₂` multiply the distance to 1 by at least `λ(ε) = (1 + 6ε)²`
/// (`step3_expand`).
pub fn lambda(eps: f64) -> f64 {
    (1.0 + 6.0 * eps) * (1.0 + 6.0 * eps)
}

/// Steps within which a trajectory started at `u0` leaves `I₀` (`step1_growth`, the escape
/// of `I0` in system `sgd`): `⌈log(0.65/u₀)/log 1.5775⌉`, 0 outside `I₀`. A `1e-9` slack
/// keeps float rounding of the logarithms from shortening the bound.
pub fn i0_exit_bound(u0: f64) -> u64 {
    if u0 > LOW {
        return 0;
    }
    ((LOW / u0).ln() / GROWTH.ln() - 1e-9).ceil().max(0.0) as u64
}

/// Steps within which a trajectory in `I₂` at distance `d0 = 1 − u` reaches `I₁`
/// (`step3_expand`, the escape of `I2` in system `sgd`): `2k` with `k` the least integer
/// with `λᵏ d₀ > ε`, i.e. `⌊log(ε/d₀)/log λ⌋ + 1` (the printed `⌈·⌉` except when `λᵏ d₀ = ε`).
pub fn i2_exit_bound(d0: f64, eps: f64) -> u64 {
    let k = ((eps / d0).ln() / lambda(eps).ln() + 1e-9).floor().max(0.0) as u64 + 1;
    2 * k
}

/// The regions of the proof for one `ε`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Regions {
    /// `ε = ε₀` for the run's `γ_min` (see [`epsilon`]).
    pub eps: f64,
    /// `0.65`, lower end of `I₁` (upper end of `I₀`).
    pub low: f64,
    /// `1 − ε`, upper end of `I₁`.
    pub below_one: f64,
    /// `1 + ε`, lower end of the odd half of the cycle, `I₄ = (1 + ε, 1.162)`.
    pub above_one: f64,
    /// `1.162`, upper end of the state space.
    pub top: f64,
}

impl Regions {
    /// The regions for `γ_min` (`ε = ε₀`).
    pub fn new(gamma_min: f64) -> Regions {
        let eps = epsilon(gamma_min);
        Regions {
            eps,
            low: LOW,
            below_one: 1.0 - eps,
            above_one: 1.0 + eps,
            top: TOP,
        }
    }

    /// Where `u` lies.
    pub fn classify(&self, u: f64) -> Region {
        classify_with(
            u > 0.0,
            u > self.low,
            u < self.below_one,
            u < 1.0,
            u == 1.0,
            u > self.above_one,
            u < self.top,
        )
    }
}

/// The regions of system `sgd`: `I₃` of the seed is split into `{1}`, `(1, 1 + ε]` and `I₄`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Region {
    /// `(0, 0.65]`.
    I0,
    /// `(0.65, 1 − ε)`: the even half of the 2-cycle band.
    I1,
    /// `[1 − ε, 1)`.
    I2,
    /// The fixed point `{1}`.
    One,
    /// `(1, 1 + ε]`.
    I3,
    /// `(1 + ε, 1.162)`: the odd half of the 2-cycle band.
    I4,
    /// Outside the state space `(0, 1.162)`: a violation of `step1_invariant`.
    Outside,
}

/// Region from the comparisons `u > 0`, `u > 0.65`, `u < 1 − ε`, `u < 1`, `u = 1`,
/// `u > 1 + ε`, `u < 1.162` (floats and rationals share it).
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
    /// First step in `I₁ ∪ I₂ ∪ I₃` (`(0.65, 1.162)`).
    pub entered: Option<u64>,
    /// First step in `(0.65, 1)` and the state there.
    pub below_one_at: Option<(u64, f64)>,
    /// First step in `I₁`: the 2-cycle band starts there.
    pub band: Option<u64>,
    /// Left the band after entering it (an even step outside `I₁` or an odd one outside `I₄`).
    pub left_band: bool,
    /// Left `(0, 1.162)`.
    pub escaped: bool,
    /// Hit the fixed point `u = 1` exactly.
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

    #[test]
    fn constants_still_occur_in_the_proofs() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../proofs/loss_stabilization.stab"
        );
        let text = std::fs::read_to_string(path).unwrap();
        for needle in [
            "let low = 0.65",
            "let top = 1.162",
            "let gmax = 1.25",
            "let emax = 0.02",
            "h(u, g) > 1.5775*u",
            "claim step1_invariant",
            "1 - h(h(1 - d, g1), g2) >= (1 + 6*e)^2 * d",
            "e^2*(2 - e)^2/4 < (1 - u^2)^2/4 < (1 - low^2)^2/4",
            "0.0833765625",
            "escape I0 grow 1 + (1 - low^2)",
            "escape I2 in 2 expand (1 + 6*e)^2 from 1",
        ] {
            assert!(
                text.contains(needle),
                "proofs/loss_stabilization.stab lost `{needle}`"
            );
        }
        assert_eq!(LOW, 0.65);
        assert_eq!(TOP, 1.162);
        assert_eq!(GROWTH, 1.0 + (1.0 - 0.65 * 0.65));
        // 0.5775² / 4 = 0.33350625 / 4, exact in decimals, a double away in binary.
        assert!((LOSS_HIGH - (1.0 - LOW * LOW) * (1.0 - LOW * LOW) / 4.0).abs() < 1e-16);
    }

    #[test]
    fn escape_bounds() {
        assert_eq!(i0_exit_bound(0.7), 0);
        assert_eq!(i0_exit_bound(0.65), 0);
        assert_eq!(i0_exit_bound(0.65 / GROWTH), 1);
        assert_eq!(i0_exit_bound(0.3), 2);
        assert_eq!(i2_exit_bound(0.02, 0.02), 2);
        assert!(i2_exit_bound(1e-12, 0.001) > 1000);
    }

    #[test]
    fn track_sees_the_cycle_and_a_departure() {
        let r = Regions::new(1.06);
        let mut t = Track::default();
        for (i, u) in [0.3, 0.7, 1.1, 0.8, 1.05].into_iter().enumerate() {
            t.record(i as u64, r.classify(u), u);
        }
        assert_eq!((t.entered, t.band, t.left_band), (Some(1), Some(1), false));
        t.record(5, r.classify(1.05), 1.05);
        assert!(t.left_band);
    }
}
