//! ReLU networks trained by (minibatch) SGD, as on the seed's "ReLU networks" and "ReLU
//! Results" slides: a two-layer net `h(x) = Σ_j a_j relu(w_j x + b_j)` on a 1-D regression
//! with 12 points and 100 neurons, and a three-layer teacher–student setup (teacher with two
//! neurons a hidden layer, student with 10, 50 Gaussian samples, a step-size warm-up).
//!
//! Feature sparsity coefficient: for each hidden layer, the activation pattern of neuron `j`
//! is the set of training points on which its pre-activation is positive; the coefficient is
//! the number of distinct non-empty patterns divided by the width, averaged over the hidden
//! layers. Dead neurons (empty pattern) and neurons that duplicate another's pattern do not
//! count: a net whose neurons collapse onto few kinks (or die) has a low coefficient.

use super::{
    method, minibatch, normal, par_runs, record_steps, stabilisation_window, window_mean, Curves,
    NetRun, Schedule,
};
use crate::simulate::rng::Stream;
use serde::Serialize;
use std::collections::HashSet;

/// Which of the seed's two setups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReluSetup {
    /// Two layers, 1-D inputs equally spaced on `[−1, 1]`, labels `sin(πx)` plus a small
    /// fixed perturbation; test loss on a fine grid against `sin(πx)`.
    Two,
    /// Three layers (two hidden), teacher–student with Gaussian inputs; test loss on fresh
    /// samples from the teacher.
    Three,
}

/// A ReLU run.
#[derive(Clone, Debug, Serialize)]
pub struct ReluConfig {
    /// Which setup.
    pub setup: ReluSetup,
    /// Training samples.
    pub n: usize,
    /// Student neurons a hidden layer.
    pub width: usize,
    /// Teacher neurons a hidden layer (three layers only).
    pub teacher_width: usize,
    /// Input dimension (1 for the two-layer setup).
    pub input_dim: usize,
    /// The base step sizes, one run each.
    pub etas: Vec<f64>,
    /// The step-size schedule of every run.
    pub schedule: Schedule,
    /// Steps a run.
    pub steps: u64,
    /// Minibatch size (`n`: full-batch GD).
    pub batch: usize,
    /// About this many points a curve.
    pub records: u64,
    /// Student weights are `init_scale · N(0, 2/fan-in)` (He), output weights
    /// `init_scale · N(0, 1/width)`, biases 0 except the two-layer net's, `N(0, 1)`·scale.
    pub init_scale: f64,
    /// Fresh test samples (three layers) or grid points (two layers).
    pub test_points: usize,
    /// Data from stream `(seed, 0)`, the student's initialisation from `(seed, 1)` (the
    /// same for every step size), run `i`'s minibatches from `(seed, 2 + i)`.
    pub seed: u64,
}

impl ReluConfig {
    /// The seed's setups with step sizes and lengths that show the effect in seconds.
    pub fn defaults(setup: ReluSetup) -> ReluConfig {
        match setup {
            ReluSetup::Two => ReluConfig {
                setup,
                n: 12,
                width: 100,
                teacher_width: 0,
                input_dim: 1,
                etas: vec![0.005, 0.01, 0.03],
                schedule: Schedule {
                    warmup: 0,
                    decay_at: Some(50_000),
                    decay_factor: 10.0,
                },
                steps: 100_000,
                batch: 1,
                records: 200,
                init_scale: 1.0,
                test_points: 200,
                seed: 0,
            },
            ReluSetup::Three => ReluConfig {
                setup,
                n: 50,
                width: 10,
                teacher_width: 2,
                input_dim: 5,
                etas: vec![0.005, 0.1, 0.2],
                schedule: Schedule {
                    warmup: 10_000,
                    decay_at: Some(50_000),
                    decay_factor: 10.0,
                },
                steps: 100_000,
                batch: 1,
                records: 200,
                init_scale: 1.0,
                test_points: 1000,
                seed: 0,
            },
        }
    }

    fn hidden_layers(&self) -> usize {
        match self.setup {
            ReluSetup::Two => 1,
            ReluSetup::Three => 2,
        }
    }

    /// The student's parameter count.
    pub fn parameters(&self) -> usize {
        let (i, w, h) = (self.input_dim, self.width, self.hidden_layers());
        // First layer, the others, the output weights.
        i * w + w + (h - 1) * (w * w + w) + w
    }
}

/// A layer `z = W h + b`, `W` row-major `out × inp`.
#[derive(Clone, Debug)]
struct Layer {
    w: Vec<f64>,
    b: Vec<f64>,
    inp: usize,
    out: usize,
}

/// A ReLU network: hidden layers, then a linear output `⟨a, h⟩` without bias.
#[derive(Clone, Debug)]
pub struct Net {
    layers: Vec<Layer>,
    a: Vec<f64>,
}

impl Net {
    fn shape(input: usize, width: usize, hidden: usize) -> Net {
        let layers = (0..hidden)
            .map(|l| {
                let inp = if l == 0 { input } else { width };
                Layer {
                    w: vec![0.0; width * inp],
                    b: vec![0.0; width],
                    inp,
                    out: width,
                }
            })
            .collect();
        Net {
            layers,
            a: vec![0.0; width],
        }
    }

    /// He-initialised weights times `scale`; biases `N(0, 1)·scale` if `biases`.
    fn random(
        input: usize,
        width: usize,
        hidden: usize,
        scale: f64,
        biases: bool,
        s: &mut Stream,
    ) -> Net {
        let mut net = Net::shape(input, width, hidden);
        for l in &mut net.layers {
            let sd = scale * (2.0 / l.inp as f64).sqrt();
            l.w.iter_mut().for_each(|w| *w = sd * normal(s));
            if biases {
                l.b.iter_mut().for_each(|b| *b = scale * normal(s));
            }
        }
        let sd = scale / (width as f64).sqrt();
        net.a.iter_mut().for_each(|a| *a = sd * normal(s));
        net
    }

    /// The output at `x`; fills `zs[l]` with layer `l`'s pre-activations.
    fn forward(&self, x: &[f64], zs: &mut [Vec<f64>]) -> f64 {
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, rest) = zs.split_at_mut(l);
            let z = &mut rest[0];
            for (o, zo) in z.iter_mut().enumerate().take(layer.out) {
                let row = &layer.w[o * layer.inp..(o + 1) * layer.inp];
                let mut acc = layer.b[o];
                match l {
                    0 => acc += row.iter().zip(x).map(|(w, v)| w * v).sum::<f64>(),
                    _ => {
                        let h = &before[l - 1];
                        acc += row.iter().zip(h).map(|(w, v)| w * v.max(0.0)).sum::<f64>()
                    }
                }
                *zo = acc;
            }
        }
        let last = &zs[self.layers.len() - 1];
        self.a.iter().zip(last).map(|(a, z)| a * z.max(0.0)).sum()
    }

    /// Adds `c · ∇_θ h(x)` to `grad` (same shape), from the pre-activations of `forward(x)`.
    fn backward(&self, x: &[f64], zs: &[Vec<f64>], c: f64, grad: &mut Net, delta: &mut [Vec<f64>]) {
        let top = self.layers.len() - 1;
        for (j, z) in zs[top].iter().enumerate() {
            grad.a[j] += c * z.max(0.0);
            delta[top][j] = if *z > 0.0 { c * self.a[j] } else { 0.0 };
        }
        for l in (0..=top).rev() {
            let layer = &self.layers[l];
            let g = &mut grad.layers[l];
            for (o, &d) in delta[l].iter().enumerate().take(layer.out) {
                if d == 0.0 {
                    continue;
                }
                g.b[o] += d;
                let row = &mut g.w[o * layer.inp..(o + 1) * layer.inp];
                match l {
                    0 => row.iter_mut().zip(x).for_each(|(r, v)| *r += d * v),
                    _ => row
                        .iter_mut()
                        .zip(&zs[l - 1])
                        .for_each(|(r, v)| *r += d * v.max(0.0)),
                }
            }
            if l > 0 {
                let (lower, upper) = delta.split_at_mut(l);
                let prev = &mut lower[l - 1];
                for (i, p) in prev.iter_mut().enumerate() {
                    *p = match zs[l - 1][i] > 0.0 {
                        true => (0..layer.out)
                            .map(|o| layer.w[o * layer.inp + i] * upper[0][o])
                            .sum(),
                        false => 0.0,
                    };
                }
            }
        }
    }

    fn zero(&mut self) {
        self.a.iter_mut().for_each(|v| *v = 0.0);
        for l in &mut self.layers {
            l.w.iter_mut().for_each(|v| *v = 0.0);
            l.b.iter_mut().for_each(|v| *v = 0.0);
        }
    }

    /// `self −= eta · g`.
    fn step(&mut self, eta: f64, g: &Net) {
        let sub = |p: &mut [f64], q: &[f64]| p.iter_mut().zip(q).for_each(|(p, q)| *p -= eta * q);
        sub(&mut self.a, &g.a);
        for (l, gl) in self.layers.iter_mut().zip(&g.layers) {
            sub(&mut l.w, &gl.w);
            sub(&mut l.b, &gl.b);
        }
    }

    fn scratch(&self) -> Vec<Vec<f64>> {
        self.layers.iter().map(|l| vec![0.0; l.out]).collect()
    }
}

/// Inputs (row-major) and labels.
#[derive(Clone, Debug)]
pub struct Samples {
    x: Vec<f64>,
    y: Vec<f64>,
    dim: usize,
}

impl Samples {
    fn len(&self) -> usize {
        self.y.len()
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.dim..(i + 1) * self.dim]
    }

    /// `(1/2m) Σ (h(x_i) − y_i)²`.
    fn loss(&self, net: &Net, zs: &mut [Vec<f64>]) -> f64 {
        let sq: f64 = (0..self.len())
            .map(|i| (net.forward(self.row(i), zs) - self.y[i]).powi(2))
            .sum();
        sq / (2 * self.len()) as f64
    }
}

/// The training set, the test set and the student's initialisation.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The training set.
    pub train: Samples,
    /// The test set.
    pub test: Samples,
    /// The student's initialisation (shared by every step size).
    pub init: Net,
}

fn target(x: f64) -> f64 {
    (std::f64::consts::PI * x).sin()
}

impl Problem {
    /// The data (and teacher) from stream `(seed, 0)`, the student from `(seed, 1)`.
    pub fn draw(cfg: &ReluConfig) -> Problem {
        let mut s = Stream::new(cfg.seed, 0);
        let (train, test) = match cfg.setup {
            ReluSetup::Two => {
                let grid = |m: usize| -> Vec<f64> {
                    (0..m)
                        .map(|i| -1.0 + 2.0 * i as f64 / (m.max(2) - 1) as f64)
                        .collect()
                };
                let x = grid(cfg.n);
                let y = x
                    .iter()
                    .map(|&v| target(v) + 0.1 * normal(&mut s))
                    .collect();
                let tx = grid(cfg.test_points);
                let ty = tx.iter().map(|&v| target(v)).collect();
                (
                    Samples { x, y, dim: 1 },
                    Samples {
                        x: tx,
                        y: ty,
                        dim: 1,
                    },
                )
            }
            ReluSetup::Three => {
                let teacher = Net::random(cfg.input_dim, cfg.teacher_width, 2, 1.0, false, &mut s);
                let mut zs = teacher.scratch();
                let mut draw = |m: usize, s: &mut Stream| {
                    let x: Vec<f64> = (0..m * cfg.input_dim).map(|_| normal(s)).collect();
                    let y = (0..m)
                        .map(|i| {
                            teacher.forward(&x[i * cfg.input_dim..(i + 1) * cfg.input_dim], &mut zs)
                        })
                        .collect();
                    Samples {
                        x,
                        y,
                        dim: cfg.input_dim,
                    }
                };
                let train = draw(cfg.n, &mut s);
                let test = draw(cfg.test_points, &mut s);
                (train, test)
            }
        };
        let biases = cfg.setup == ReluSetup::Two;
        let init = Net::random(
            cfg.input_dim,
            cfg.width,
            cfg.hidden_layers(),
            cfg.init_scale,
            biases,
            &mut Stream::new(cfg.seed, 1),
        );
        Problem { train, test, init }
    }
}

/// The feature sparsity coefficient of `net` on `data` (see the module's documentation).
pub fn sparsity(net: &Net, data: &Samples) -> f64 {
    let mut zs = net.scratch();
    let width = net.a.len();
    let layers = net.layers.len();
    // patterns[l][j]: the training points where neuron j of layer l is active, as bits.
    let words = data.len().div_ceil(64);
    let mut patterns = vec![vec![vec![0u64; words]; width]; layers];
    for i in 0..data.len() {
        net.forward(data.row(i), &mut zs);
        for l in 0..layers {
            for j in 0..width {
                if zs[l][j] > 0.0 {
                    patterns[l][j][i / 64] |= 1 << (i % 64);
                }
            }
        }
    }
    let per_layer = patterns.iter().map(|ps| {
        let distinct: HashSet<&Vec<u64>> =
            ps.iter().filter(|p| p.iter().any(|w| *w != 0)).collect();
        distinct.len() as f64 / width as f64
    });
    per_layer.sum::<f64>() / layers as f64
}

/// One SGD run with base step size `eta`.
pub fn train(
    cfg: &ReluConfig,
    p: &Problem,
    eta: f64,
    stream: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> NetRun {
    let mut net = p.init.clone();
    let mut grad = p.init.clone();
    let (mut zs, mut delta) = (net.scratch(), net.scratch());
    let mut s = Stream::new(cfg.seed, stream);
    let n = p.train.len();
    let b = cfg.batch.min(n);
    let mut idx: Vec<usize> = (0..n).collect();
    let at = record_steps(cfg.steps, cfg.records);
    let mut curves = Curves::default();
    let record = |t: u64, net: &Net, zs: &mut Vec<Vec<f64>>, curves: &mut Curves| -> bool {
        let train = p.train.loss(net, zs);
        if !train.is_finite() {
            return false;
        }
        curves.push(t, train, p.test.loss(net, zs), sparsity(net, &p.train));
        true
    };
    let mut diverged = !record(0, &net, &mut zs, &mut curves);
    let (mut next, mut last) = (1, 0);
    for t in 0..cfg.steps {
        if diverged {
            break;
        }
        let e = cfg.schedule.eta_at(eta, t);
        minibatch(&mut idx, b, &mut s);
        grad.zero();
        for &i in &idx[..b] {
            let x = p.train.row(i);
            let r = net.forward(x, &mut zs) - p.train.y[i];
            net.backward(x, &zs, r / b as f64, &mut grad, &mut delta);
        }
        net.step(e, &grad);
        if at.get(next) == Some(&(t + 1)) {
            next += 1;
            diverged = !record(t + 1, &net, &mut zs, &mut curves);
            progress(t + 1 - last);
            last = t + 1;
        }
    }
    progress(cfg.steps - last);
    let final_of = |c: &Vec<f64>| match diverged {
        true => f64::NAN,
        false => c.last().copied().unwrap_or(f64::NAN),
    };
    NetRun {
        method: method(b, n),
        eta,
        schedule: cfg.schedule.describe(),
        train_loss: final_of(&curves.train_loss),
        test_loss: final_of(&curves.test_loss),
        sparsity_coefficient: final_of(&curves.sparsity_coefficient),
        stabilised_loss: window_mean(&curves, stabilisation_window(&cfg.schedule, cfg.steps)),
        fitted: super::fitted(&curves, diverged),
        diverged,
        curves,
    }
}

/// The smallest step size against the largest, among the runs that fitted the data.
#[derive(Clone, Debug, Serialize)]
pub struct ReluComparison {
    /// The smallest step size.
    pub small_eta: f64,
    /// The largest step size among the runs that fitted.
    pub large_eta: f64,
    /// Final sparsity coefficient of the small-step run.
    pub sparsity_small: f64,
    /// Final sparsity coefficient of the large-step run.
    pub sparsity_large: f64,
    /// Final test loss of the small-step run.
    pub test_loss_small: f64,
    /// Final test loss of the large-step run.
    pub test_loss_large: f64,
    /// The large step's final coefficient is below the small step's.
    pub lower_for_large_step: bool,
}

/// Compares the smallest step size with the largest among the runs that fitted.
pub fn compare(runs: &[NetRun]) -> Option<ReluComparison> {
    let ok: Vec<&NetRun> = runs.iter().filter(|r| r.fitted).collect();
    let small = ok.iter().min_by(|a, b| a.eta.total_cmp(&b.eta))?;
    let large = ok.iter().max_by(|a, b| a.eta.total_cmp(&b.eta))?;
    if small.eta >= large.eta {
        return None;
    }
    Some(ReluComparison {
        small_eta: small.eta,
        large_eta: large.eta,
        sparsity_small: small.sparsity_coefficient,
        sparsity_large: large.sparsity_coefficient,
        test_loss_small: small.test_loss,
        test_loss_large: large.test_loss,
        lower_for_large_step: large.sparsity_coefficient < small.sparsity_coefficient,
    })
}

/// The report of `stabcert simulate relu`.
#[derive(Clone, Debug, Serialize)]
pub struct ReluReport {
    /// The model in words.
    pub model: &'static str,
    /// Every setting of the run.
    pub config: ReluConfig,
    /// The schedule in words.
    pub schedule: String,
    /// The student's parameter count.
    pub parameters: usize,
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
    pub comparison: Option<ReluComparison>,
}

/// Runs every step size on the current rayon pool (all from the same initialisation).
pub fn relu(cfg: &ReluConfig, progress: &(dyn Fn(u64) + Sync)) -> ReluReport {
    let p = Problem::draw(cfg);
    let runs = par_runs(cfg.etas.len(), |i| {
        train(cfg, &p, cfg.etas[i], 2 + i as u64, progress)
    });
    let (model, test) = match cfg.setup {
        ReluSetup::Two => (
            "two-layer ReLU net h(x) = Σ_j a_j relu(w_j x + b_j) on 1-D points equally spaced on [−1, 1], y = sin(πx) + 0.1 N(0, 1)",
            "(1/2m) Σ (h(x) − sin(πx))² over m points equally spaced on [−1, 1]",
        ),
        ReluSetup::Three => (
            "three-layer ReLU net h(x) = ⟨a, relu(W₂ relu(W₁x + b₁) + b₂)⟩, teacher–student, Gaussian inputs",
            "(1/2m) Σ (h(x) − teacher(x))² over m fresh Gaussian inputs",
        ),
    };
    ReluReport {
        model,
        schedule: cfg.schedule.describe(),
        parameters: cfg.parameters(),
        train_loss_definition: super::dln::TRAIN_LOSS,
        test_loss_definition: test,
        sparsity_definition: "per hidden layer: distinct non-empty activation patterns (the training points where a neuron's pre-activation is > 0) / width; averaged over the hidden layers",
        stabilised_loss_definition: super::dln::STABILISED_LOSS,
        comparison: compare(&runs),
        runs,
        config: cfg.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_match_difference_quotients() {
        for setup in [ReluSetup::Two, ReluSetup::Three] {
            let cfg = ReluConfig::defaults(setup);
            let p = Problem::draw(&cfg);
            let net = p.init.clone();
            let x = p.train.row(3);
            let mut zs = net.scratch();
            let mut delta = net.scratch();
            let mut g = net.clone();
            g.zero();
            net.forward(x, &mut zs);
            net.backward(x, &zs, 1.0, &mut g, &mut delta);
            let h = 1e-7;
            let base = net.forward(x, &mut zs);
            let mut check = |get: &dyn Fn(&mut Net) -> &mut f64, analytic: f64| {
                let mut q = net.clone();
                *get(&mut q) += h;
                let dq = (q.forward(x, &mut zs) - base) / h;
                assert!(
                    (dq - analytic).abs() < 1e-4 * (1.0 + analytic.abs()),
                    "{setup:?}: {dq} vs {analytic}"
                );
            };
            for j in 0..3 {
                check(&|n: &mut Net| &mut n.a[j], g.a[j]);
                for l in 0..net.layers.len() {
                    check(&|n: &mut Net| &mut n.layers[l].w[j], g.layers[l].w[j]);
                    check(&|n: &mut Net| &mut n.layers[l].b[j], g.layers[l].b[j]);
                }
            }
        }
    }

    #[test]
    fn parameter_counts() {
        for setup in [ReluSetup::Two, ReluSetup::Three] {
            let cfg = ReluConfig::defaults(setup);
            let net = Problem::draw(&cfg).init;
            let count = net.a.len()
                + net
                    .layers
                    .iter()
                    .map(|l| l.w.len() + l.b.len())
                    .sum::<usize>();
            assert_eq!(cfg.parameters(), count, "{setup:?}");
        }
    }

    #[test]
    fn duplicate_and_dead_neurons_do_not_count() {
        let cfg = ReluConfig::defaults(ReluSetup::Two);
        let p = Problem::draw(&cfg);
        let mut net = p.init.clone();
        let full = sparsity(&net, &p.train);
        // Every neuron a copy of neuron 0: one pattern.
        let (w0, b0) = (net.layers[0].w[0], net.layers[0].b[0]);
        net.layers[0].w.iter_mut().for_each(|w| *w = w0);
        net.layers[0].b.iter_mut().for_each(|b| *b = b0);
        let one = sparsity(&net, &p.train);
        assert_eq!(one, 1.0 / cfg.width as f64);
        assert!(full > one);
        // Every neuron dead: none.
        net.layers[0].b.iter_mut().for_each(|b| *b = -10.0);
        net.layers[0].w.iter_mut().for_each(|w| *w = 1.0);
        assert_eq!(sparsity(&net, &p.train), 0.0);
    }
}
