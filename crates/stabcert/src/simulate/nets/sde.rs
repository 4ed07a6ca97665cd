//! The seed's label-noise SDE for the diagonal linear network, beside SGD:
//! `du = −∇_u L dτ + √(κηδ) v ⊙ [Xᵀ dB]`, `dv = −∇_v L dτ + √(κηδ) u ⊙ [Xᵀ dB]` (one
//! Brownian motion `B` in `ℝⁿ` for both), by Euler–Maruyama with `dτ = η_t`, the step size
//! of SGD's step `t` (the seed's "Euler discretization with step size η"): step `t` of the SDE
//! stands for step `t` of SGD.
//!
//! `δ` is the SGD run's stabilised loss. The seed writes the noise as `√(ηδ) φᵀ dB` "up to
//! constants"; `κ` is the constant that gives one Euler step the covariance of SGD's
//! minibatch noise when the squared residuals are `2δ` on average:
//! `η² (n − b)/(b(n − 1)) · (2δ/n) φᵀφ`, i.e. `κ = 2(n − b)/(n b (n − 1))` (`2/n` for
//! single-sample SGD). The noise acts during the stabilisation phase (the steps before the
//! decay); after the decay the SDE is plain gradient descent with the decayed step size.

use super::dln::{self, initial, Data, DlnConfig, Recorder};
use super::{normal, par_runs, NetRun};
use crate::simulate::rng::Stream;
use serde::Serialize;

/// An SDE run: the DLN configuration (its first step size is the one simulated), the
/// noise constant and the tolerance of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct SdeConfig {
    /// The DLN, data and schedule (its one step size is the one simulated).
    pub dln: DlnConfig,
    /// `κ`; `None`: `2(n − b)/(n b (n − 1))`.
    pub noise_constant: Option<f64>,
    /// Largest accepted `|δ_SDE − δ_SGD| / δ_SGD`.
    pub tolerance: f64,
}

/// `κ = 2(n − b)/(n b (n − 1))`: the SGD noise covariance at residuals of mean square `2δ`.
pub fn matched_constant(n: usize, b: usize) -> f64 {
    let (n, b) = (n as f64, b.min(n) as f64);
    2.0 * (n - b) / (n * b * (n - 1.0))
}

/// The Euler–Maruyama run with noise level `delta`, Brownian increments from stream
/// `(seed, stream)`.
pub fn euler_maruyama(
    cfg: &DlnConfig,
    data: &Data,
    eta: f64,
    delta: f64,
    kappa: f64,
    stream: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> NetRun {
    let (n, d) = (cfg.n, cfg.d);
    let (mut u, mut v) = initial(cfg);
    let mut s = Stream::new(cfg.seed, stream);
    let (mut r, mut g, mut xi, mut beta) = (vec![0.0; n], vec![0.0; d], vec![0.0; d], vec![0.0; d]);
    let mut rec = Recorder::new(data, cfg.steps, cfg.records, cfg.threshold);
    let mut diverged = !rec.after(0, &u, &v);
    let noisy_until = cfg.schedule.decay_at.unwrap_or(cfg.steps);
    let mut last = 0;
    for t in 0..cfg.steps {
        if diverged {
            break;
        }
        let dt = cfg.schedule.eta_at(eta, t);
        beta.iter_mut()
            .zip(u.iter().zip(&v))
            .for_each(|(b, (p, q))| *b = p * q);
        data.full_gradient(&beta, &mut r, &mut g);
        // ξ = √(κ η δ) Xᵀ ΔB, ΔB ~ N(0, dτ I_n).
        xi.iter_mut().for_each(|x| *x = 0.0);
        if t < noisy_until && delta > 0.0 && kappa > 0.0 {
            let scale = (kappa * dt * delta).sqrt() * dt.sqrt();
            for i in 0..n {
                let db = scale * normal(&mut s);
                xi.iter_mut()
                    .zip(data.row(i))
                    .for_each(|(x, xk)| *x += db * xk);
            }
        }
        for j in 0..d {
            let (uj, vj) = (u[j], v[j]);
            u[j] = uj - dt * g[j] * vj + vj * xi[j];
            v[j] = vj - dt * g[j] * uj + uj * xi[j];
        }
        if rec.is_record(t + 1) {
            diverged = !rec.after(t + 1, &u, &v);
            progress(t + 1 - last);
            last = t + 1;
        }
    }
    progress(cfg.steps - last);
    rec.finish("sde", eta, &cfg.schedule, cfg.steps, diverged)
}

/// The report of `stabcert simulate sde`.
#[derive(Clone, Debug, Serialize)]
pub struct SdeReport {
    /// The model in words.
    pub model: &'static str,
    /// Every setting of the run.
    pub config: SdeConfig,
    /// The schedule in words.
    pub schedule: String,
    /// `κ` used.
    pub noise_constant: f64,
    /// The SDE and its discretisation.
    pub noise_definition: &'static str,
    /// What `stabilised_loss` is.
    pub stabilised_loss_definition: &'static str,
    /// What `test_loss` is.
    pub test_loss_definition: &'static str,
    /// What `sparsity_coefficient` is.
    pub sparsity_definition: &'static str,
    /// `[sgd run, sde run]`.
    pub runs: Vec<NetRun>,
    /// `δ`: the SGD run's stabilised loss, the SDE's noise level.
    pub sgd_stabilised_loss: f64,
    /// The SDE run's stabilised loss over the same window.
    pub sde_stabilised_loss: f64,
    /// `|sde − sgd| / sgd`.
    pub relative_difference: f64,
    /// The largest accepted relative difference.
    pub tolerance: f64,
    /// `relative_difference ≤ tolerance` (and neither run diverged).
    pub agree: bool,
}

/// SGD at `cfg.dln.etas[0]`, then the SDE at the same step size with `δ` its stabilised loss.
pub fn sde(cfg: &SdeConfig, progress: &(dyn Fn(u64) + Sync)) -> SdeReport {
    let c = &cfg.dln;
    let eta = c.etas[0];
    let data = Data::draw(c);
    let sgd = dln::train(c, &data, eta, 1, progress);
    let delta = sgd.stabilised_loss;
    let kappa = cfg
        .noise_constant
        .unwrap_or_else(|| matched_constant(c.n, c.batch));
    let delta_ok = if delta.is_finite() { delta } else { 0.0 };
    let mut runs = par_runs(1, |_| {
        euler_maruyama(c, &data, eta, delta_ok, kappa, 2, progress)
    });
    let sde = runs.remove(0);
    let rel = (sde.stabilised_loss - delta).abs() / delta;
    let agree = !sgd.diverged && !sde.diverged && rel <= cfg.tolerance;
    SdeReport {
        model: "diagonal linear network h(x) = <u ⊙ v, x>: SGD and the label-noise SDE",
        schedule: c.schedule.describe(),
        noise_constant: kappa,
        noise_definition: "du = −∇_u L dτ + √(κηδ) v ⊙ [Xᵀ dB], dv likewise with u; Euler–Maruyama with dτ = η_t; noise before the decay only; κ = 2(n − b)/(n b (n − 1)) unless given",
        stabilised_loss_definition: dln::STABILISED_LOSS,
        test_loss_definition: "‖β − β*‖², β = u ⊙ v",
        sparsity_definition: "fraction of coordinates j with |(u ⊙ v)_j| > threshold",
        sgd_stabilised_loss: delta,
        sde_stabilised_loss: sde.stabilised_loss,
        relative_difference: rel,
        tolerance: cfg.tolerance,
        agree,
        runs: vec![sgd, sde],
        config: cfg.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matched_constant() {
        assert!((matched_constant(20, 1) - 0.1).abs() < 1e-15);
        assert_eq!(matched_constant(20, 20), 0.0);
    }
}
