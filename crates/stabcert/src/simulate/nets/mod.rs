//! The seed's later slides: small networks trained by SGD with large step sizes, and the
//! label-noise SDE that models them during loss stabilisation.
//!
//! - [`dln`]: a diagonal linear network `h(x) = ⟨u ⊙ v, x⟩` on a sparse regression;
//! - [`relu`]: a two-layer ReLU net on a 1-D regression and a three-layer teacher–student;
//! - [`sde`]: Euler–Maruyama of `dθ = −∇L dτ + √(κηδ) φ_θ(X)ᵀ dB` for the DLN beside SGD.
//!
//! Every run (one step size) draws from its own streams of `(seed, ·)` and runs on one
//! thread; runs are spread over the rayon pool and collected in order, so a report depends
//! only on its configuration and seed, never on `--threads`.

pub mod dln;
pub mod relu;
pub mod sde;
pub mod text;

use super::rng::Stream;
use serde::Serialize;

/// How the step size changes over a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    /// Steps of a linear warm-up: step `t` uses `η · min(1, (t + 1)/warmup)` (0: none).
    pub warmup: u64,
    /// From this step on the step size is divided by `decay_factor` (`None`: constant).
    pub decay_at: Option<u64>,
    /// The divisor of the decay.
    pub decay_factor: f64,
}

impl Schedule {
    /// A constant step size.
    pub fn constant() -> Schedule {
        Schedule {
            warmup: 0,
            decay_at: None,
            decay_factor: 1.0,
        }
    }

    /// The step size at step `t` (0-based) for the base step size `eta`.
    pub fn eta_at(&self, eta: f64, t: u64) -> f64 {
        let mut e = eta;
        if self.warmup > 0 && t < self.warmup {
            e *= (t + 1) as f64 / self.warmup as f64;
        }
        if self.decay_at.is_some_and(|at| t >= at) {
            e /= self.decay_factor;
        }
        e
    }

    /// The schedule in words, e.g. `decay at 10000 by 10`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.warmup > 0 {
            parts.push(format!("warm-up over {}", self.warmup));
        }
        match self.decay_at {
            Some(at) => parts.push(format!("decay at {at} by {}", self.decay_factor)),
            None => parts.push("constant".into()),
        }
        parts.join(", then ")
    }
}

/// A run's curves, one entry per recorded step.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Curves {
    /// The step after which each point was recorded (0: the initialisation).
    pub step: Vec<u64>,
    /// The training loss `(1/2n) Σ (h(x_i) − y_i)²`.
    pub train_loss: Vec<f64>,
    /// The test loss (its definition is in the report's `test_loss_definition`).
    pub test_loss: Vec<f64>,
    /// The feature sparsity coefficient (definition in `sparsity_definition`).
    pub sparsity_coefficient: Vec<f64>,
}

impl Curves {
    fn push(&mut self, step: u64, train: f64, test: f64, sparsity: f64) {
        self.step.push(step);
        self.train_loss.push(train);
        self.test_loss.push(test);
        self.sparsity_coefficient.push(sparsity);
    }
}

/// One training run: its step size, schedule, final values and curves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetRun {
    /// `sgd`, `gd` (the batch is the whole training set) or `sde`.
    pub method: &'static str,
    /// The base step size.
    pub eta: f64,
    /// The schedule in words.
    pub schedule: String,
    /// Final training loss.
    pub train_loss: f64,
    /// Final test loss.
    pub test_loss: f64,
    /// Final feature sparsity coefficient.
    pub sparsity_coefficient: f64,
    /// The mean training loss over the recorded points of the stabilisation window (the
    /// second half of the steps before the decay, or of the run without one): the level `δ`.
    pub stabilised_loss: f64,
    /// Whether the parameters became non-finite (the run stopped there; its last finite
    /// point is the last one recorded).
    pub diverged: bool,
    /// Whether the run fitted the training set: it did not diverge and its final training
    /// loss is below a tenth of the initial one (a net whose neurons all died is not).
    pub fitted: bool,
    /// The curves over the run.
    pub curves: Curves,
}

/// Whether the curves end below a tenth of their initial training loss (and finite).
pub fn fitted(curves: &Curves, diverged: bool) -> bool {
    match (curves.train_loss.first(), curves.train_loss.last()) {
        (Some(first), Some(last)) => !diverged && *last < 0.1 * first,
        _ => false,
    }
}

/// The stabilisation window `[from, to)` of a run of `steps` steps.
pub fn stabilisation_window(schedule: &Schedule, steps: u64) -> (u64, u64) {
    let end = schedule.decay_at.unwrap_or(steps).min(steps);
    let start = schedule.warmup.max(end / 2).min(end);
    (start, end)
}

/// The mean of `curves.train_loss` over the points recorded in `[from, to)`; `NaN` if none.
pub fn window_mean(curves: &Curves, (from, to): (u64, u64)) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for (s, l) in curves.step.iter().zip(&curves.train_loss) {
        if (from..to).contains(s) {
            sum += l;
            count += 1;
        }
    }
    sum / count as f64
}

/// The steps after which a run of `steps` steps records, about `points` of them, always the
/// first (0) and the last.
pub fn record_steps(steps: u64, points: u64) -> Vec<u64> {
    let every = (steps / points.max(1)).max(1);
    let mut out: Vec<u64> = (0..=steps).step_by(every as usize).collect();
    if out.last() != Some(&steps) {
        out.push(steps);
    }
    out
}

/// A standard normal draw (Box–Muller, one of the pair).
pub fn normal(s: &mut Stream) -> f64 {
    let (a, b) = (s.open01(), s.open01());
    (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
}

/// `b` distinct indices of `0..n` into `idx[..b]` (a partial Fisher–Yates shuffle of `idx`,
/// which must hold a permutation of `0..n`); `b = n` is the whole set.
pub fn minibatch(idx: &mut [usize], b: usize, s: &mut Stream) {
    let n = idx.len();
    if b >= n {
        return;
    }
    for i in 0..b {
        let j = i + s.index(n - i);
        idx.swap(i, j);
    }
}

/// The "method" of a run with minibatch `b` of `n` samples.
pub fn method(b: usize, n: usize) -> &'static str {
    if b >= n {
        "gd"
    } else {
        "sgd"
    }
}

/// Runs `run(i)` for every `i < count` on the current rayon pool, in order.
pub fn par_runs<T: Send>(count: usize, run: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    use rayon::prelude::*;
    (0..count).into_par_iter().map(run).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let s = Schedule {
            warmup: 4,
            decay_at: Some(10),
            decay_factor: 5.0,
        };
        assert_eq!(s.eta_at(1.0, 0), 0.25);
        assert_eq!(s.eta_at(1.0, 3), 1.0);
        assert_eq!(s.eta_at(1.0, 9), 1.0);
        assert_eq!(s.eta_at(1.0, 10), 0.2);
        assert_eq!(Schedule::constant().eta_at(0.3, 1_000_000), 0.3);
        assert_eq!(stabilisation_window(&s, 100), (5, 10));
        assert_eq!(stabilisation_window(&Schedule::constant(), 100), (50, 100));
    }

    #[test]
    fn minibatches_are_distinct_indices() {
        let mut s = Stream::new(1, 2);
        let mut idx: Vec<usize> = (0..10).collect();
        for _ in 0..100 {
            minibatch(&mut idx, 4, &mut s);
            let mut b = idx[..4].to_vec();
            b.sort();
            b.dedup();
            assert_eq!(b.len(), 4);
            let mut all = idx.clone();
            all.sort();
            assert_eq!(all, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn normals_have_unit_variance() {
        let mut s = Stream::new(3, 0);
        let xs: Vec<f64> = (0..200_000).map(|_| normal(&mut s)).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64;
        assert!(m.abs() < 0.01 && (v - 1.0).abs() < 0.02, "{m} {v}");
    }

    #[test]
    fn record_steps_end_at_the_last() {
        assert_eq!(record_steps(10, 3), vec![0, 3, 6, 9, 10]);
        assert_eq!(record_steps(4, 100), vec![0, 1, 2, 3, 4]);
    }
}
