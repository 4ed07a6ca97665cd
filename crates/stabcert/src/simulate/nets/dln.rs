//! A diagonal linear network `h_{u,v}(x) = ⟨u ⊙ v, x⟩` trained by (minibatch) SGD on a
//! noiseless sparse regression `y = Xβ*` with Gaussian inputs and `n < d`, as on the seed's
//! "Diagonal Linear Networks" and "DLN Results" slides.
//!
//! One step on the minibatch `B` (drawn without replacement; `|B| = n` is GD):
//! `g = (1/|B|) Σ_{i∈B} (⟨β, x_i⟩ − y_i) x_i`, `u ← u − η g ⊙ v`, `v ← v − η g ⊙ u`
//! (simultaneously), `β = u ⊙ v`. Test loss `‖β − β*‖²`; feature sparsity coefficient: the
//! fraction of coordinates of `β` with `|β_j| > threshold`.

use super::{
    method, minibatch, normal, par_runs, record_steps, stabilisation_window, window_mean, Curves,
    NetRun, Schedule,
};
use crate::simulate::rng::Stream;
use serde::Serialize;

/// The initialisation of `(u, v)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// `u = √2 α 1`, `v = 0` (`β₀ = 0`; Pesme et al. 2021, Andriushchenko et al. 2023):
    /// reaches predictors of either sign; `β*` has random signs.
    Sqrt2,
    /// `u = v = α 1`: the updates are symmetric, so `u = v` and `β = u² ≥ 0` forever;
    /// `β*` is then non-negative.
    Equal,
}

/// A DLN run.
#[derive(Clone, Debug, Serialize)]
pub struct DlnConfig {
    /// Training samples.
    pub n: usize,
    /// Input dimension.
    pub d: usize,
    /// Non-zero coordinates of `β*` (each ±1, or 1 with `Init::Equal`).
    pub k: usize,
    /// Initialisation scale `α`.
    pub alpha: f64,
    /// Initialisation.
    pub init: Init,
    /// The base step sizes, one run each.
    pub etas: Vec<f64>,
    /// The step-size schedule of every run.
    pub schedule: Schedule,
    /// Steps a run.
    pub steps: u64,
    /// Minibatch size (`n`: full-batch GD).
    pub batch: usize,
    /// `|β_j|` above this counts as a used feature.
    pub threshold: f64,
    /// About this many points a curve.
    pub records: u64,
    /// The data come from stream `(seed, 0)`, run `i`'s minibatches from `(seed, 1 + i)`.
    pub seed: u64,
}

/// The training set and the teacher.
#[derive(Clone, Debug)]
pub struct Data {
    /// `n × d`, row-major.
    pub x: Vec<f64>,
    /// The labels `y = Xβ*`.
    pub y: Vec<f64>,
    /// The teacher `β*`.
    pub beta_star: Vec<f64>,
    /// Training samples.
    pub n: usize,
    /// Input dimension.
    pub d: usize,
}

impl Data {
    /// Gaussian inputs, a `k`-sparse `β*` on a random support, `y = Xβ*`.
    pub fn draw(cfg: &DlnConfig) -> Data {
        let (n, d) = (cfg.n, cfg.d);
        let mut s = Stream::new(cfg.seed, 0);
        let x: Vec<f64> = (0..n * d).map(|_| normal(&mut s)).collect();
        let mut support: Vec<usize> = (0..d).collect();
        minibatch(&mut support, cfg.k, &mut s);
        let mut beta_star = vec![0.0; d];
        for &j in &support[..cfg.k.min(d)] {
            beta_star[j] = match (cfg.init, s.index(2)) {
                (Init::Sqrt2, 0) => -1.0,
                _ => 1.0,
            };
        }
        let y = (0..n)
            .map(|i| dot(&x[i * d..(i + 1) * d], &beta_star))
            .collect();
        Data {
            x,
            y,
            beta_star,
            n,
            d,
        }
    }

    /// Input `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }

    /// `(1/2n) Σ (⟨β, x_i⟩ − y_i)²`.
    pub fn train_loss(&self, beta: &[f64]) -> f64 {
        let sq: f64 = (0..self.n)
            .map(|i| (dot(self.row(i), beta) - self.y[i]).powi(2))
            .sum();
        sq / (2 * self.n) as f64
    }

    /// `‖β − β*‖²`.
    pub fn test_loss(&self, beta: &[f64]) -> f64 {
        beta.iter()
            .zip(&self.beta_star)
            .map(|(b, s)| (b - s) * (b - s))
            .sum()
    }

    /// The residuals `r_i = ⟨β, x_i⟩ − y_i` into `r`, and the full gradient
    /// `(1/n) Σ r_i x_i` of the loss in `β` into `g`.
    pub fn full_gradient(&self, beta: &[f64], r: &mut [f64], g: &mut [f64]) {
        g.iter_mut().for_each(|v| *v = 0.0);
        for (i, ri) in r.iter_mut().enumerate().take(self.n) {
            let row = self.row(i);
            *ri = dot(row, beta) - self.y[i];
            let c = *ri / self.n as f64;
            g.iter_mut().zip(row).for_each(|(gj, xj)| *gj += c * xj);
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// The fraction of coordinates with `|β_j| > threshold`.
pub fn sparsity(beta: &[f64], threshold: f64) -> f64 {
    beta.iter().filter(|b| b.abs() > threshold).count() as f64 / beta.len() as f64
}

/// The initial `(u, v)`.
pub fn initial(cfg: &DlnConfig) -> (Vec<f64>, Vec<f64>) {
    match cfg.init {
        Init::Sqrt2 => (
            vec![std::f64::consts::SQRT_2 * cfg.alpha; cfg.d],
            vec![0.0; cfg.d],
        ),
        Init::Equal => (vec![cfg.alpha; cfg.d], vec![cfg.alpha; cfg.d]),
    }
}

/// Records the curves of a run as it steps: `step(t, eta_t, u, v)` advances one step.
pub(crate) struct Recorder<'a> {
    data: &'a Data,
    threshold: f64,
    at: Vec<u64>,
    next: usize,
    pub curves: Curves,
    beta: Vec<f64>,
}

impl<'a> Recorder<'a> {
    /// Steps a run.
    pub fn new(data: &'a Data, steps: u64, records: u64, threshold: f64) -> Recorder<'a> {
        Recorder {
            data,
            threshold,
            at: record_steps(steps, records),
            next: 0,
            curves: Curves::default(),
            beta: vec![0.0; data.d],
        }
    }

    /// Records after step `t` (the state after `t` steps) if `t` is a recording point;
    /// returns whether the state is still finite.
    pub fn after(&mut self, t: u64, u: &[f64], v: &[f64]) -> bool {
        if self.at.get(self.next) != Some(&t) {
            return true;
        }
        self.next += 1;
        self.beta
            .iter_mut()
            .zip(u.iter().zip(v))
            .for_each(|(b, (p, q))| *b = p * q);
        let train = self.data.train_loss(&self.beta);
        if !train.is_finite() {
            return false;
        }
        let test = self.data.test_loss(&self.beta);
        let sp = sparsity(&self.beta, self.threshold);
        self.curves.push(t, train, test, sp);
        true
    }

    pub fn is_record(&self, t: u64) -> bool {
        self.at.get(self.next) == Some(&t)
    }

    /// The run's report from its curves.
    pub fn finish(
        self,
        method: &'static str,
        eta: f64,
        schedule: &Schedule,
        steps: u64,
        diverged: bool,
    ) -> NetRun {
        finish(self.curves, method, eta, schedule, steps, diverged)
    }
}

/// A run's report from its curves: final values are the last recorded point.
pub(crate) fn finish(
    curves: Curves,
    method: &'static str,
    eta: f64,
    schedule: &Schedule,
    steps: u64,
    diverged: bool,
) -> NetRun {
    let last = |c: &Vec<f64>| match diverged {
        true => f64::NAN,
        false => c.last().copied().unwrap_or(f64::NAN),
    };
    NetRun {
        method,
        eta,
        schedule: schedule.describe(),
        train_loss: last(&curves.train_loss),
        test_loss: last(&curves.test_loss),
        sparsity_coefficient: last(&curves.sparsity_coefficient),
        stabilised_loss: window_mean(&curves, stabilisation_window(schedule, steps)),
        fitted: super::fitted(&curves, diverged),
        diverged,
        curves,
    }
}

/// One SGD run with base step size `eta`, minibatches from stream `(seed, stream)`.
pub fn train(
    cfg: &DlnConfig,
    data: &Data,
    eta: f64,
    stream: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> NetRun {
    let (mut u, mut v) = initial(cfg);
    let mut s = Stream::new(cfg.seed, stream);
    let mut idx: Vec<usize> = (0..cfg.n).collect();
    let b = cfg.batch.min(cfg.n);
    let mut g = vec![0.0; cfg.d];
    let mut rec = Recorder::new(data, cfg.steps, cfg.records, cfg.threshold);
    let mut diverged = !rec.after(0, &u, &v);
    let mut last = 0;
    for t in 0..cfg.steps {
        if diverged {
            break;
        }
        let e = cfg.schedule.eta_at(eta, t);
        minibatch(&mut idx, b, &mut s);
        g.iter_mut().for_each(|x| *x = 0.0);
        for &i in &idx[..b] {
            let row = data.row(i);
            let mut p = 0.0;
            for j in 0..cfg.d {
                p += u[j] * v[j] * row[j];
            }
            let c = (p - data.y[i]) / b as f64;
            g.iter_mut().zip(row).for_each(|(gj, xj)| *gj += c * xj);
        }
        for j in 0..cfg.d {
            let (uj, vj) = (u[j], v[j]);
            u[j] = uj - e * g[j] * vj;
            v[j] = vj - e * g[j] * uj;
        }
        if rec.is_record(t + 1) {
            diverged = !rec.after(t + 1, &u, &v);
            progress(t + 1 - last);
            last = t + 1;
        }
    }
    progress(cfg.steps - last);
    rec.finish(method(b, cfg.n), eta, &cfg.schedule, cfg.steps, diverged)
}

/// Large steps against small ones: the bar of the seed's DLN picture.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// The smallest step size.
    pub small_eta: f64,
    /// The largest step size whose run fitted the data (see [`NetRun::fitted`]).
    pub large_eta: f64,
    /// Final test loss of the small-step run over that of the large-step run.
    pub test_loss_ratio: f64,
    /// Final sparsity coefficients (small, large).
    pub sparsity_small: f64,
    /// Final sparsity coefficient of the large-step run.
    pub sparsity_large: f64,
    /// The large-step run's stabilised loss `δ` and the small-step run's mean loss over
    /// the same window.
    pub stabilised_loss_large: f64,
    /// The small-step run's mean training loss over the same window.
    pub stabilised_loss_small: f64,
    /// At least 2× lower test loss and a lower sparsity coefficient for the large step.
    pub as_in_the_seed: bool,
}

/// Compares the smallest step size with the largest, among the runs that fitted the data
/// (`None` with fewer than two such runs).
pub fn compare(runs: &[NetRun]) -> Option<Comparison> {
    let ok: Vec<&NetRun> = runs.iter().filter(|r| r.fitted).collect();
    let small = ok.iter().min_by(|a, b| a.eta.total_cmp(&b.eta))?;
    let large = ok.iter().max_by(|a, b| a.eta.total_cmp(&b.eta))?;
    if small.eta >= large.eta {
        return None;
    }
    let ratio = small.test_loss / large.test_loss;
    Some(Comparison {
        small_eta: small.eta,
        large_eta: large.eta,
        test_loss_ratio: ratio,
        sparsity_small: small.sparsity_coefficient,
        sparsity_large: large.sparsity_coefficient,
        stabilised_loss_large: large.stabilised_loss,
        stabilised_loss_small: small.stabilised_loss,
        as_in_the_seed: ratio >= 2.0 && large.sparsity_coefficient < small.sparsity_coefficient,
    })
}

/// The report of `stabcert simulate dln`.
#[derive(Clone, Debug, Serialize)]
pub struct DlnReport {
    /// The model in words.
    pub model: &'static str,
    /// Every setting of the run.
    pub config: DlnConfig,
    /// The schedule in words.
    pub schedule: String,
    /// The support of `β*` (0-based) and its values there.
    pub beta_star_support: Vec<usize>,
    /// The values of `β*` on its support.
    pub beta_star_values: Vec<f64>,
    /// What `train_loss` is.
    pub train_loss_definition: &'static str,
    /// What `test_loss` is.
    pub test_loss_definition: &'static str,
    /// What `sparsity_coefficient` is.
    pub sparsity_definition: &'static str,
    /// What `stabilised_loss` is.
    pub stabilised_loss_definition: &'static str,
    /// One run per step size, in the order given.
    pub runs: Vec<NetRun>,
    /// The smallest step size against the largest that fitted.
    pub comparison: Option<Comparison>,
}

/// The training loss, in words.
pub const TRAIN_LOSS: &str = "(1/2n) Σ_i (h(x_i) − y_i)² over the training set";
/// The stabilised loss, in words.
pub const STABILISED_LOSS: &str =
    "mean training loss over the recorded points of [T/2, T), T the decay step (or the last)";

/// Runs every step size on the current rayon pool.
pub fn dln(cfg: &DlnConfig, progress: &(dyn Fn(u64) + Sync)) -> DlnReport {
    let data = Data::draw(cfg);
    let runs = par_runs(cfg.etas.len(), |i| {
        train(cfg, &data, cfg.etas[i], 1 + i as u64, progress)
    });
    let support: Vec<usize> = (0..cfg.d).filter(|&j| data.beta_star[j] != 0.0).collect();
    DlnReport {
        model: "diagonal linear network h(x) = <u ⊙ v, x>, Gaussian inputs, y = X β*",
        schedule: cfg.schedule.describe(),
        beta_star_values: support.iter().map(|&j| data.beta_star[j]).collect(),
        beta_star_support: support,
        train_loss_definition: TRAIN_LOSS,
        test_loss_definition: "‖β − β*‖², β = u ⊙ v",
        sparsity_definition: "fraction of coordinates j with |(u ⊙ v)_j| > threshold",
        stabilised_loss_definition: STABILISED_LOSS,
        comparison: compare(&runs),
        runs,
        config: cfg.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn small(etas: Vec<f64>) -> DlnConfig {
        DlnConfig {
            n: 20,
            d: 30,
            k: 3,
            alpha: 0.3,
            init: Init::Sqrt2,
            etas,
            schedule: Schedule {
                warmup: 0,
                decay_at: Some(5000),
                decay_factor: 10.0,
            },
            steps: 10000,
            batch: 1,
            threshold: 0.01,
            records: 100,
            seed: 0,
        }
    }

    #[test]
    fn full_gradient_matches_a_difference_quotient() {
        let cfg = small(vec![0.1]);
        let data = Data::draw(&cfg);
        let beta: Vec<f64> = (0..cfg.d).map(|j| 0.01 * j as f64).collect();
        let (mut r, mut g) = (vec![0.0; cfg.n], vec![0.0; cfg.d]);
        data.full_gradient(&beta, &mut r, &mut g);
        let h = 1e-6;
        for j in 0..cfg.d {
            let mut b = beta.clone();
            b[j] += h;
            let dq = (data.train_loss(&b) - data.train_loss(&beta)) / h;
            assert!(
                (dq - g[j]).abs() < 1e-4 * (1.0 + g[j].abs()),
                "{j}: {dq} {}",
                g[j]
            );
        }
    }

    #[test]
    fn the_data_are_k_sparse_and_interpolated_by_the_teacher() {
        let cfg = small(vec![0.1]);
        let data = Data::draw(&cfg);
        assert_eq!(data.beta_star.iter().filter(|b| **b != 0.0).count(), 3);
        assert_eq!(data.train_loss(&data.beta_star), 0.0);
    }
}
