//! The GD label-noise identities of section 6 of the proposition, for four models: exactly in
//! rational arithmetic (the expectation over `i_t` as a finite sum) and by Monte Carlo.
//!
//! Residuals `r_i = h_θ(x_i) − y_i`, `L = (1/2n) Σ r_i²`, `ξ_i = r_i (1 − n·1{i = i_t})`.
//! Each identity is checked as stated (expected to hold) and beside a deliberately wrong
//! variant (expected to fail), so that a checker that always said "holds" would be caught.
//!
//! A draw on which a control cannot fail (every residual 0, or the noise 0 for every `i_t`,
//! e.g. every gradient 0) is redrawn, at most [`MAX_DRAWS`] times; past that the model is
//! reported degenerate, its controls "not checked" and the run not all ok.
//!
//! The Monte Carlo intervals are Hoeffding's: each quantity takes one known value per `i_t`,
//! so its range `R` is known, and `mean ± R √(ln(2/δ) / 2k)` covers the expectation with
//! probability at least `1 − δ` for every sample count `k` (no normal approximation, and no
//! zero-width interval when the `k` draws happen to agree). `δ` is the family-wise 1%
//! divided among the intervals (Bonferroni). The control `L` is tested against the interval
//! of `2L`; a sample count too small for that interval to exclude `L` whenever it covers
//! `2L` is refused ([`TooFewSamples`]) rather than reported as a failed control.

use super::rng::Stream;
use rug::Rational;
use serde::Serialize;

type Vector = Vec<Rational>;

/// The models of the seed's section 6. ReLU's derivative at 0 is taken as 0 (the data are
/// drawn so that no pre-activation is exactly 0, so the convention never matters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// `h_θ(x) = x θ²`, `θ ∈ ℚ`, `x ∈ ℚ`.
    ScalarToy,
    /// `h_w(x) = ⟨w, x⟩`, `w, x ∈ ℚ³`.
    LinearRegression,
    /// `h_{u,v}(x) = ⟨u ⊙ v, x⟩`, `u, v, x ∈ ℚ³`.
    DiagonalLinear,
    /// `h_{W,a}(x) = Σ_j a_j relu(⟨w_j, x⟩)`, 3 hidden units, `x ∈ ℚ²`.
    TwoLayerRelu,
}

/// Input dimension and hidden width of the small models.
const DIM: usize = 3;
const RELU_DIM: usize = 2;
const HIDDEN: usize = 3;

pub(crate) const MODELS: [Model; 4] = [
    Model::ScalarToy,
    Model::LinearRegression,
    Model::DiagonalLinear,
    Model::TwoLayerRelu,
];

impl Model {
    fn input_dim(self) -> usize {
        match self {
            Model::ScalarToy => 1,
            Model::LinearRegression | Model::DiagonalLinear => DIM,
            Model::TwoLayerRelu => RELU_DIM,
        }
    }

    fn parameters(self) -> usize {
        match self {
            Model::ScalarToy => 1,
            Model::LinearRegression => DIM,
            Model::DiagonalLinear => 2 * DIM,
            Model::TwoLayerRelu => HIDDEN * RELU_DIM + HIDDEN,
        }
    }

    /// `h_θ(x)`.
    fn predict(self, th: &[Rational], x: &[Rational]) -> Rational {
        match self {
            Model::ScalarToy => Rational::from(&th[0] * &th[0]) * &x[0],
            Model::LinearRegression => dot(th, x),
            Model::DiagonalLinear => (0..DIM)
                .map(|k| Rational::from(&th[k] * &th[DIM + k]) * &x[k])
                .sum(),
            Model::TwoLayerRelu => (0..HIDDEN)
                .map(|j| relu(pre_activation(th, x, j)) * &th[HIDDEN * RELU_DIM + j])
                .sum(),
        }
    }

    /// `∇_θ h_θ(x)`.
    fn grad(self, th: &[Rational], x: &[Rational]) -> Vector {
        match self {
            Model::ScalarToy => vec![Rational::from(&th[0] * &x[0]) * 2u32],
            Model::LinearRegression => x.to_vec(),
            Model::DiagonalLinear => {
                let du = (0..DIM).map(|k| Rational::from(&th[DIM + k] * &x[k]));
                let dv = (0..DIM).map(|k| Rational::from(&th[k] * &x[k]));
                du.chain(dv).collect()
            }
            Model::TwoLayerRelu => relu_grad(th, x),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Model::ScalarToy => "scalar toy h(x) = x θ²",
            Model::LinearRegression => "linear regression h(x) = <w, x>, d = 3",
            Model::DiagonalLinear => "diagonal linear network h(x) = <u ⊙ v, x>, d = 3",
            Model::TwoLayerRelu => "two-layer ReLU network, 2 inputs, 3 hidden units, relu'(0) = 0",
        }
    }
}

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter().zip(b).map(|(p, q)| Rational::from(p * q)).sum()
}

fn relu(z: Rational) -> Rational {
    if z.cmp0().is_gt() {
        z
    } else {
        Rational::new()
    }
}

fn pre_activation(th: &[Rational], x: &[Rational], j: usize) -> Rational {
    dot(&th[j * RELU_DIM..(j + 1) * RELU_DIM], x)
}

/// `∂h/∂w_j = a_j 1{⟨w_j, x⟩ > 0} x`, `∂h/∂a_j = relu(⟨w_j, x⟩)`.
fn relu_grad(th: &[Rational], x: &[Rational]) -> Vector {
    let mut g = Vec::with_capacity(HIDDEN * (RELU_DIM + 1));
    for j in 0..HIDDEN {
        let active = pre_activation(th, x, j).cmp0().is_gt();
        let a = &th[HIDDEN * RELU_DIM + j];
        g.extend(x.iter().map(|xk| match active {
            true => Rational::from(a * xk),
            false => Rational::new(),
        }));
    }
    g.extend((0..HIDDEN).map(|j| relu(pre_activation(th, x, j))));
    g
}

/// A random rational `p/q`, `|p| ≤ 9`, `1 ≤ q ≤ 8`.
fn small_rational(s: &mut Stream) -> Rational {
    let p = s.index(19) as i64 - 9;
    let q = s.index(8) as i64 + 1;
    Rational::from((p, q))
}

fn small_vector(s: &mut Stream, len: usize) -> Vector {
    (0..len).map(|_| small_rational(s)).collect()
}

/// Parameters, data and step size of one model.
#[derive(Clone, Debug)]
pub(crate) struct Instance {
    pub model: Model,
    pub theta: Vector,
    pub xs: Vec<Vector>,
    pub ys: Vector,
    pub eta: Rational,
}

impl Instance {
    /// Random rational parameters, `n` samples and a step size (one draw; see [`draw`]).
    pub fn random(model: Model, n: usize, s: &mut Stream) -> Instance {
        Instance {
            model,
            theta: small_vector(s, model.parameters()),
            xs: (0..n).map(|_| small_vector(s, model.input_dim())).collect(),
            ys: small_vector(s, n),
            eta: Rational::from((s.index(9) as i64 + 1, 10)),
        }
    }

    /// Why this instance cannot check the identities against their controls, if so: a
    /// control that is true here could not fail, whatever the checker did.
    pub fn degenerate(&self) -> Option<&'static str> {
        if self.model == Model::TwoLayerRelu && !self.no_relu_kinks() {
            return Some("a pre-activation is exactly 0, where relu' is only a convention");
        }
        let r = self.residuals();
        if r.iter().all(|ri| ri.cmp0().is_eq()) {
            return Some("every residual is 0: ξ = 0 and L = 2L = 0");
        }
        // SGD − GD at i_t is η ((1/n) Σ_i r_i ∇h(x_i) − r_{i_t} ∇h(x_{i_t})).
        let scaled: Vec<Vector> = r
            .iter()
            .zip(self.grads())
            .map(|(ri, g)| g.iter().map(|gk| Rational::from(gk * ri)).collect())
            .collect();
        if scaled.iter().all(|v| *v == scaled[0]) {
            return Some(
                "r_i ∇h(x_i) is the same for every i (e.g. every gradient is 0): the SGD step \
                 equals the GD step, the noise is 0 whatever its sign",
            );
        }
        None
    }

    fn no_relu_kinks(&self) -> bool {
        let zero =
            |x: &Vector| (0..HIDDEN).any(|j| pre_activation(&self.theta, x, j).cmp0().is_eq());
        !self.xs.iter().any(zero)
    }

    fn n(&self) -> usize {
        self.xs.len()
    }

    fn residuals(&self) -> Vector {
        let predict = |(x, y): (&Vector, &Rational)| self.model.predict(&self.theta, x) - y;
        self.xs.iter().zip(&self.ys).map(predict).collect()
    }

    fn grads(&self) -> Vec<Vector> {
        self.xs
            .iter()
            .map(|x| self.model.grad(&self.theta, x))
            .collect()
    }
}

/// Instances drawn at most for one model before it is reported degenerate. A draw is cheap,
/// and for the largest `--n` about one in fifty ReLU draws avoids every kink.
pub const MAX_DRAWS: usize = 10_000;

/// An instance, the number of draws it took, and why it is degenerate if the last allowed
/// draw still was.
#[derive(Clone, Debug)]
pub(crate) struct Drawn {
    pub inst: Instance,
    pub draws: usize,
    pub degenerate: Option<&'static str>,
}

/// The first instance of at most `max` from `next` that is not degenerate, or the last one.
pub(crate) fn draw(max: usize, mut next: impl FnMut() -> Instance) -> Drawn {
    let mut draws = 0;
    loop {
        let inst = next();
        draws += 1;
        let degenerate = inst.degenerate();
        if degenerate.is_none() || draws >= max {
            return Drawn {
                inst,
                draws,
                degenerate,
            };
        }
    }
}

/// `ξ_t` for `i_t = it`: `ξ_i = r_i (1 − n·1{i = it})`.
pub(crate) fn xi(r: &[Rational], it: usize) -> Vector {
    let n = r.len() as u32;
    let one_minus = |i: usize| {
        if i == it {
            Rational::from(1) - n
        } else {
            Rational::from(1)
        }
    };
    r.iter()
        .enumerate()
        .map(|(i, ri)| one_minus(i) * ri)
        .collect()
}

/// `θ − Σ_i c_i g_i`.
fn step(theta: &[Rational], coeffs: &[Rational], grads: &[Vector]) -> Vector {
    let mut out = theta.to_vec();
    for (c, g) in coeffs.iter().zip(grads) {
        for (o, gk) in out.iter_mut().zip(g) {
            *o -= Rational::from(c * gk);
        }
    }
    out
}

fn norm_sq(v: &[Rational]) -> Rational {
    dot(v, v)
}

/// Rank of the rows `rows` by exact Gaussian elimination.
fn rank(mut rows: Vec<Vector>) -> usize {
    let cols = rows.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows.len()).find(|&i| rows[i][c].cmp0().is_ne()) else {
            continue;
        };
        rows.swap(r, p);
        for i in r + 1..rows.len() {
            let f = Rational::from(&rows[i][c] / &rows[r][c]);
            let pivot = rows[r].clone();
            rows[i]
                .iter_mut()
                .zip(&pivot)
                .for_each(|(a, b)| *a -= Rational::from(&f * b));
        }
        r += 1;
    }
    r
}

/// One identity's exact check.
#[derive(Clone, Debug, Serialize)]
pub struct IdentityCheck {
    /// The identity's identifier (`noise_has_mean_zero`, ...; `control_...` for a wrong variant).
    pub name: &'static str,
    /// The identity in mathematical notation.
    pub statement: &'static str,
    /// `holds` for the seed's identities, `fails` for the deliberately wrong controls.
    pub expected: &'static str,
    /// `holds` or `fails`: what the exact check found.
    pub result: &'static str,
    /// Whether `result` is `expected`.
    pub ok: bool,
}

fn identity(
    name: &'static str,
    statement: &'static str,
    expect_holds: bool,
    holds: bool,
) -> IdentityCheck {
    let word = |b: bool| if b { "holds" } else { "fails" };
    IdentityCheck {
        name,
        statement,
        expected: word(expect_holds),
        result: word(holds),
        ok: holds == expect_holds,
    }
}

/// The noise part of one SGD step written in the gradients, for the report.
#[derive(Clone, Debug, Serialize)]
pub struct SpanWitness {
    /// `i_t` of the example (0-based).
    pub i_t: usize,
    /// `c_i = η ξ_i / n`: the noise (SGD step minus GD step) is `Σ_i c_i ∇h(x_i)`.
    pub coefficients: Vec<String>,
    /// `rank [∇h(x_1) … ∇h(x_n)]`.
    pub gradient_rank: usize,
    /// The largest rank of the gradients with one draw's noise vector appended, over every `i_t`.
    pub rank_with_noise: usize,
    /// The number of model parameters (the length of `θ`).
    pub parameters: usize,
}

/// What one draw `i_t` shows: identities 1 and 4 (and their controls) for that draw.
struct DrawCheck {
    xi: Vector,
    /// `c_i = η ξ_i / n`.
    coeffs: Vector,
    /// SGD step = GD step on labels `y + ξ` (resp. `y − ξ`).
    plus: bool,
    minus: bool,
    /// SGD − GD = `Σ c_i ∇h(x_i)` (resp. `−Σ c_i ∇h(x_i)`).
    span: bool,
    wrong_sign: bool,
    /// Rank of the gradients with the noise vector appended.
    rank_with_noise: usize,
}

/// The data of an instance that every draw shares.
struct Shared<'a> {
    inst: &'a Instance,
    r: Vector,
    g: Vec<Vector>,
    /// `η/n`.
    eta_n: Rational,
    /// The full-batch GD step on the true labels.
    gd: Vector,
}

impl Shared<'_> {
    fn new(inst: &Instance) -> Shared<'_> {
        let (r, g) = (inst.residuals(), inst.grads());
        let eta_n = Rational::from(&inst.eta / inst.n() as u32);
        let coeffs: Vector = r.iter().map(|ri| Rational::from(&eta_n * ri)).collect();
        let gd = step(&inst.theta, &coeffs, &g);
        Shared {
            inst,
            r,
            g,
            eta_n,
            gd,
        }
    }

    /// `θ − (η/n) Σ (r_i − sign·ξ_i) ∇h(x_i)`: GD on labels `y + sign·ξ`.
    fn gd_on_labels(&self, xi: &[Rational], sign: i32) -> Vector {
        let c = self.r.iter().zip(xi);
        let c: Vector = c
            .map(|(ri, x)| (ri - Rational::from(x * sign)) * &self.eta_n)
            .collect();
        step(&self.inst.theta, &c, &self.g)
    }

    fn check_draw(&self, it: usize) -> DrawCheck {
        let xi = xi(&self.r, it);
        let eta_r = Rational::from(&self.inst.eta * &self.r[it]);
        let sgd = step(&self.inst.theta, &[eta_r], &self.g[it..=it]);
        let noise: Vector = sgd
            .iter()
            .zip(&self.gd)
            .map(|(a, b)| Rational::from(a - b))
            .collect();
        let coeffs: Vector = xi.iter().map(|x| Rational::from(x * &self.eta_n)).collect();
        let neg: Vector = coeffs.iter().map(|c| Rational::from(-c)).collect();
        // step(0, c, g) = −Σ c_i g_i: noise = Σ c_i g_i  ⇔  step(0, −c, g) = noise.
        let zero = vec![Rational::new(); noise.len()];
        let mut rows = self.g.clone();
        rows.push(noise.clone());
        DrawCheck {
            plus: sgd == self.gd_on_labels(&xi, 1),
            minus: sgd == self.gd_on_labels(&xi, -1),
            span: step(&zero, &neg, &self.g) == noise,
            wrong_sign: step(&zero, &coeffs, &self.g) == noise,
            rank_with_noise: rank(rows),
            xi,
            coeffs,
        }
    }
}

/// The exact checks of the four identities (and their controls) for one instance: every
/// draw `i_t`, and the expectations as finite sums over them.
fn exact_checks(inst: &Instance) -> (Vec<IdentityCheck>, SpanWitness) {
    let shared = Shared::new(inst);
    let n = inst.n();
    let draws: Vec<DrawCheck> = (0..n).map(|it| shared.check_draw(it)).collect();
    let all = |f: fn(&DrawCheck) -> bool| draws.iter().all(f);
    let sum_xi = (0..n).map(|i| draws.iter().map(|d| &d.xi[i]).sum::<Rational>());
    let mean_zero = sum_xi.into_iter().all(|m| m.cmp0().is_eq());
    let sq: Rational = draws.iter().map(|d| norm_sq(&d.xi)).sum();
    // (1/(n(n−1))) · (1/n) Σ_{i_t} ‖ξ‖²
    let lhs3 = sq / (n as u32 * n as u32 * (n as u32 - 1));
    let loss = norm_sq(&shared.r) / (2 * n as u32);
    let two_l = Rational::from(&loss * 2u32);
    let gradient_rank = rank(shared.g.clone());
    let rank_with_noise = draws.iter().map(|d| d.rank_with_noise).max().unwrap_or(0);
    let in_span = all(|d| d.span) && rank_with_noise == gradient_rank;
    let checks = vec![
        identity("sgd_step_is_gd_on_noisy_labels", "θ − η r_{i_t} ∇h(x_{i_t}) = θ − (η/n) Σ_i (h(x_i) − y_i − ξ_i) ∇h(x_i)   (labels y + ξ)", true, all(|d| d.plus)),
        identity("control_labels_y_minus_xi", "the same with labels y − ξ", false, all(|d| d.minus)),
        identity("noise_has_mean_zero", "E_{i_t} ξ = 0 (finite sum over i_t)", true, mean_zero),
        identity("noise_second_moment", "(1/(n(n−1))) E‖ξ‖² = 2L", true, lhs3 == two_l),
        identity("control_second_moment_is_l", "(1/(n(n−1))) E‖ξ‖² = L", false, lhs3 == loss),
        identity("noise_in_gradient_span", "SGD step − GD step = +(η/n) Σ_i ξ_i ∇h(x_i), in span{∇h(x_i)}", true, in_span),
        identity("control_noise_with_minus_sign", "SGD step − GD step = −(η/n) Σ_i ξ_i ∇h(x_i)", false, all(|d| d.wrong_sign)),
    ];
    let witness = SpanWitness {
        i_t: 0,
        coefficients: draws[0].coeffs.iter().map(Rational::to_string).collect(),
        gradient_rank,
        rank_with_noise,
        parameters: inst.model.parameters(),
    };
    (checks, witness)
}

/// A Monte Carlo estimate beside its exact value.
#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    /// What is estimated (`E xi_1`, ..., `E|xi|^2/(n(n-1)) = 2L`, and the control).
    pub quantity: String,
    /// The value compared with: the exact one (rounded once to f64), or the wrong one for a
    /// control.
    pub exact: f64,
    /// The sample mean.
    pub estimate: f64,
    /// The least and the greatest value the quantity takes (one value per `i_t`).
    pub range: [f64; 2],
    /// Hoeffding's interval, within `range`.
    pub ci: [f64; 2],
    /// Whether `ci` contains `exact`.
    pub covers: bool,
    /// `true` for the deliberately wrong value, which must not be covered.
    pub control: bool,
    /// Whether the outcome is as expected: covered, or not covered for a control.
    pub ok: bool,
}

/// Hoeffding's half-width for the mean of `k` independent draws of a quantity whose values
/// span `width`: it covers the expectation with probability at least `1 − delta`, for every
/// `k` (`P(|mean − E| ≥ t) ≤ 2 exp(−2 k t² / width²)`).
pub fn hoeffding_half_width(width: f64, k: u64, delta: f64) -> f64 {
    width * ((2.0 / delta).ln() / (2.0 * k as f64)).sqrt()
}

/// The least `k` whose Hoeffding half-width is at most `0.49 gap`: then an interval that
/// covers one value excludes any value `gap` away from it (the rest of `gap / 2` absorbs
/// the conversion slack of `estimate`).
pub fn samples_to_separate(width: f64, gap: f64, delta: f64) -> u64 {
    let target = 0.49 * gap;
    let mut k = (width * width * (2.0 / delta).ln() / (2.0 * target * target)).ceil();
    k = k.max(1.0);
    // The float division may land one short.
    while hoeffding_half_width(width, k as u64, delta) > target {
        k += 1.0;
    }
    k as u64
}

/// The estimate of a quantity that takes `values[it]` when `i_t = it`, from `counts[it]`
/// draws of each `it`, with its Hoeffding interval at level `1 − delta`.
fn estimate(
    quantity: String,
    exact: f64,
    values: &[f64],
    counts: &[u64],
    delta: f64,
    control: bool,
) -> Estimate {
    let k: u64 = counts.iter().sum();
    let total: f64 = values.iter().zip(counts).map(|(v, c)| v * *c as f64).sum();
    let mean = total / k as f64;
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let half = hoeffding_half_width(hi - lo, k, delta);
    // Exact values are rational, converted once; a few ulps of slack for that conversion.
    let slack = 1e-12 * exact.abs().max(mean.abs());
    let ci = [(mean - half).max(lo) - slack, (mean + half).min(hi) + slack];
    let covers = ci[0] <= exact && exact <= ci[1];
    Estimate {
        quantity,
        exact,
        estimate: mean,
        range: [lo, hi],
        ci,
        covers,
        control,
        ok: covers != control,
    }
}

/// The Monte Carlo quantities of an instance: `values[q][it]`, quantity `q` (`ξ_1 … ξ_n`,
/// then `‖ξ‖² / (n(n−1))`) when `i_t = it`, as the sampler computes them in f64; and `2L`.
fn quantities(inst: &Instance) -> (Vec<Vec<f64>>, f64) {
    let r: Vec<f64> = inst.residuals().iter().map(Rational::to_f64).collect();
    let n = r.len();
    let scale = 1.0 / (n * (n - 1)) as f64;
    let mut values = vec![Vec::with_capacity(n); n + 1];
    for it in 0..n {
        let xi: Vec<f64> = (0..n)
            .map(|i| r[i] * if i == it { 1.0 - n as f64 } else { 1.0 })
            .collect();
        values.iter_mut().zip(&xi).for_each(|(v, x)| v.push(*x));
        values[n].push(scale * xi.iter().map(|x| x * x).sum::<f64>());
    }
    let two_l = r.iter().map(|x| x * x).sum::<f64>() / n as f64;
    (values, two_l)
}

/// Draws needed for the control of `inst` to be excluded whenever `2L` is covered.
fn samples_needed(inst: &Instance, delta: f64) -> u64 {
    let (values, two_l) = quantities(inst);
    let norms = values.last().expect("n ≥ 2");
    let lo = norms.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = norms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    samples_to_separate(hi - lo, two_l / 2.0, delta)
}

/// Monte Carlo of `E ξ_i` and `(1/(n(n−1))) E‖ξ‖²` over `samples` draws of `i_t`; the
/// control `L` beside `2L` unless `control` is false (a degenerate instance).
fn monte_carlo(
    inst: &Instance,
    samples: usize,
    delta: f64,
    control: bool,
    s: &mut Stream,
) -> Vec<Estimate> {
    let (values, two_l) = quantities(inst);
    let n = inst.n();
    let mut counts = vec![0u64; n];
    for _ in 0..samples {
        counts[s.index(n)] += 1;
    }
    let mut out: Vec<Estimate> = values[..n]
        .iter()
        .enumerate()
        .map(|(i, v)| estimate(format!("E xi_{}", i + 1), 0.0, v, &counts, delta, false))
        .collect();
    let norms = &values[n];
    out.push(estimate(
        "E|xi|^2/(n(n-1)) = 2L".into(),
        two_l,
        norms,
        &counts,
        delta,
        false,
    ));
    if control {
        out.push(estimate(
            "control: E|xi|^2/(n(n-1)) = L".into(),
            two_l / 2.0,
            norms,
            &counts,
            delta,
            true,
        ));
    }
    out
}

/// Label-noise run: `n` samples a model, `samples` Monte Carlo draws of `i_t`.
#[derive(Clone, Debug, Serialize)]
pub struct LabelNoiseConfig {
    /// Data points per model (at least 2: the second moment divides by `n(n − 1)`).
    pub n: usize,
    /// Monte Carlo draws of `i_t` per model.
    pub samples: usize,
    /// Seed: model `k` draws its instance and its Monte Carlo samples from the stream `(seed, k)`.
    pub seed: u64,
}

/// One model's results.
#[derive(Clone, Debug, Serialize)]
pub struct ModelReport {
    /// The model.
    pub model: Model,
    /// The model in words, with its formula.
    pub description: &'static str,
    /// The number of parameters (the length of `θ`).
    pub parameters: usize,
    /// Instances drawn to find one on which the controls can fail (1 almost always).
    pub draws: usize,
    /// Why the controls could not be checked, if every allowed draw was degenerate.
    pub degenerate: Option<&'static str>,
    /// Exact `L(θ)` as a fraction.
    pub loss: String,
    /// The exact checks of the identities and their controls, over every draw `i_t`.
    pub identities: Vec<IdentityCheck>,
    /// The noise of the draw `i_t = 0` written in the gradients.
    pub span: SpanWitness,
    /// The Monte Carlo estimates: `E ξ_i` for each `i`, the second moment and its control.
    pub monte_carlo: Vec<Estimate>,
}

/// The report of `stabcert simulate label-noise`.
#[derive(Clone, Debug, Serialize)]
pub struct LabelNoiseReport {
    /// The run's configuration.
    pub config: LabelNoiseConfig,
    /// Family-wise confidence of all Monte Carlo intervals together (Bonferroni).
    pub confidence: f64,
    /// How each interval is made.
    pub interval: &'static str,
    /// `δ` of each interval: `(1 − confidence) / intervals`.
    pub delta: f64,
    /// The least `--samples` at which every control is excluded whenever its identity's
    /// interval covers (this seed and `n`).
    pub min_samples: u64,
    /// The sign convention under which identity 1 holds.
    pub sign_convention: &'static str,
    /// One report per model, in the order of [`Model`]'s variants.
    pub models: Vec<ModelReport>,
    /// Every identity and estimate as expected (and every control checked).
    pub all_ok: bool,
}

/// Family-wise confidence of the Monte Carlo intervals.
pub const CONFIDENCE: f64 = 0.99;

/// Too few Monte Carlo draws for the intervals to tell a control from its identity.
#[derive(Debug, thiserror::Error)]
#[error(
    "--samples {samples}: too few Monte Carlo draws to tell the control L from 2L: the \
     {}% family-wise Hoeffding intervals exclude L whenever they cover 2L only from \
     {needed} draws on, for this seed and n (model: {model}); use --samples {needed} or more",
    CONFIDENCE * 100.0
)]
pub struct TooFewSamples {
    /// The `--samples` asked for.
    pub samples: usize,
    /// The smallest sample count that separates the control from the identity.
    pub needed: u64,
    /// The model that needs the most samples.
    pub model: &'static str,
}

/// Runs every model (deterministic in `seed`); refuses a sample count too small for the
/// intervals to exclude the controls.
pub fn label_noise(cfg: &LabelNoiseConfig) -> Result<LabelNoiseReport, TooFewSamples> {
    let intervals = MODELS.len() * (cfg.n + 1);
    let delta = (1.0 - CONFIDENCE) / intervals as f64;
    let drawn: Vec<(Drawn, Stream)> = MODELS
        .iter()
        .enumerate()
        .map(|(k, &m)| {
            let mut s = Stream::new(cfg.seed, k as u64);
            let d = draw(MAX_DRAWS, || Instance::random(m, cfg.n, &mut s));
            (d, s)
        })
        .collect();
    let needed = drawn
        .iter()
        .filter(|(d, _)| d.degenerate.is_none())
        .map(|(d, _)| (samples_needed(&d.inst, delta), d.inst.model))
        .max_by_key(|(k, _)| *k);
    let min_samples = needed.map_or(1, |(k, _)| k);
    if let Some((k, model)) = needed.filter(|(k, _)| *k > cfg.samples as u64) {
        return Err(TooFewSamples {
            samples: cfg.samples,
            needed: k,
            model: model.describe(),
        });
    }
    let models: Vec<ModelReport> = drawn
        .into_iter()
        .map(|(d, mut s)| model_report(&d, cfg.samples, delta, &mut s))
        .collect();
    let all_ok = models.iter().all(|m| {
        m.degenerate.is_none()
            && m.identities.iter().all(|i| i.ok)
            && m.monte_carlo.iter().all(|e| e.ok)
    });
    Ok(LabelNoiseReport {
        config: cfg.clone(),
        confidence: CONFIDENCE,
        interval: "Hoeffding: mean ± R √(ln(2/δ) / 2k), R the known range of the quantity over i_t, within that range",
        delta,
        min_samples,
        sign_convention: "y^t = y + ξ_t (the seed's): h(x_i) − y^t_i = r_i − ξ_i",
        models,
        all_ok,
    })
}

/// The exact checks and the Monte Carlo of one drawn instance; on a degenerate one the
/// controls are "not checked" (they could not have failed).
fn model_report(d: &Drawn, samples: usize, delta: f64, s: &mut Stream) -> ModelReport {
    let inst = &d.inst;
    let (mut identities, span) = exact_checks(inst);
    if d.degenerate.is_some() {
        for i in identities.iter_mut().filter(|i| i.expected == "fails") {
            i.result = "not checked";
            i.ok = false;
        }
    }
    let loss = norm_sq(&inst.residuals()) / (2 * inst.n() as u32);
    ModelReport {
        model: inst.model,
        description: inst.model.describe(),
        parameters: inst.model.parameters(),
        draws: d.draws,
        degenerate: d.degenerate,
        loss: loss.to_string(),
        identities,
        span,
        monte_carlo: monte_carlo(inst, samples, delta, d.degenerate.is_none(), s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> LabelNoiseConfig {
        LabelNoiseConfig {
            n: 5,
            samples: 20_000,
            seed: 3,
        }
    }

    #[test]
    fn every_identity_and_control_as_expected() {
        let rep = label_noise(&cfg()).unwrap();
        for m in &rep.models {
            for i in &m.identities {
                assert!(i.ok, "{:?} {}: {}", m.model, i.name, i.result);
            }
        }
        assert!(rep.all_ok);
    }

    #[test]
    fn a_wrong_second_moment_is_not_covered() {
        let rep = label_noise(&cfg()).unwrap();
        for m in &rep.models {
            let control = m.monte_carlo.iter().find(|e| e.control).unwrap();
            assert!(!control.covers, "{:?}", m.model);
        }
    }

    #[test]
    fn rank() {
        let q = |a: i32| Rational::from(a);
        assert_eq!(super::rank(vec![vec![q(1), q(2)], vec![q(2), q(4)]]), 1);
        assert_eq!(super::rank(vec![vec![q(1), q(2)], vec![q(0), q(4)]]), 2);
    }

    #[test]
    fn hoeffding_intervals_have_width_when_the_draws_agree() {
        // Ten draws, none of them i_t = 1: every sample of ξ_1 is r_1 = 2, so the sample
        // variance is 0; the interval must still reach the true mean 0.
        let n = 6.0;
        let values = [2.0 * (1.0 - n), 2.0, 2.0, 2.0, 2.0, 2.0];
        let counts = [0, 2, 2, 2, 2, 2];
        let e = estimate("E xi_1".into(), 0.0, &values, &counts, 0.01 / 28.0, false);
        assert_eq!(e.estimate, 2.0);
        assert!(e.ci[0] < 0.0 && e.ci[1] >= 2.0 && e.covers, "{:?}", e.ci);
        // Within the known range, and shrinking like 1/√k.
        assert!(e.ci[0] >= values[0] - 1e-9);
        let (w, d) = (12.0, 1e-3);
        let ratio = hoeffding_half_width(w, 100, d) / hoeffding_half_width(w, 400, d);
        assert!((ratio - 2.0).abs() < 1e-12);
    }

    #[test]
    fn samples_to_separate_is_the_least_that_does() {
        for (w, gap, d) in [(12.0, 1.0, 1e-3), (0.5, 2.0, 0.01), (3.0, 0.01, 1e-4)] {
            let k = samples_to_separate(w, gap, d);
            assert!(hoeffding_half_width(w, k, d) <= 0.49 * gap);
            assert!(k == 1 || hoeffding_half_width(w, k - 1, d) > 0.49 * gap);
        }
    }

    /// A scalar toy instance at θ = 0: every gradient 2θx is 0.
    fn flat() -> Instance {
        let mut s = Stream::new(1, 0);
        let mut inst = Instance::random(Model::ScalarToy, 4, &mut s);
        inst.theta = vec![Rational::new()];
        inst.ys[0] += 1; // some residual is not 0
        inst
    }

    #[test]
    fn a_degenerate_draw_is_redrawn_then_reported_not_failed() {
        assert!(flat().degenerate().is_some());
        // Redrawn: the second draw is usable.
        let mut first = true;
        let mut s = Stream::new(4, 0);
        let d = draw(10, || match std::mem::take(&mut first) {
            true => flat(),
            false => Instance::random(Model::LinearRegression, 4, &mut s),
        });
        assert_eq!((d.draws, d.degenerate), (2, None));
        // Degenerate every time: reported so after the bound, controls not checked.
        let d = draw(7, flat);
        assert_eq!(d.draws, 7);
        assert!(d.degenerate.is_some());
        let rep = model_report(&d, 1000, 1e-3, &mut Stream::new(2, 0));
        for i in &rep.identities {
            match i.expected {
                "holds" => assert!(i.ok && i.result == "holds", "{}", i.name),
                _ => assert!(!i.ok && i.result == "not checked", "{}", i.name),
            }
        }
        assert!(rep.monte_carlo.iter().all(|e| e.ok && !e.control));
    }

    #[test]
    fn too_few_samples_are_refused_with_the_number_needed() {
        let err = label_noise(&LabelNoiseConfig {
            n: 5,
            samples: 10,
            seed: 3,
        })
        .unwrap_err();
        let ok = label_noise(&LabelNoiseConfig {
            n: 5,
            samples: err.needed as usize,
            seed: 3,
        })
        .unwrap();
        assert_eq!(ok.min_samples, err.needed);
        assert!(err
            .to_string()
            .contains(&format!("--samples {}", err.needed)));
    }

    #[test]
    fn relu_gradient_matches_a_difference_quotient() {
        let mut s = Stream::new(9, 0);
        let inst = Instance::random(Model::TwoLayerRelu, 3, &mut s);
        let x = &inst.xs[0];
        let g = Model::TwoLayerRelu.grad(&inst.theta, x);
        let hq = Rational::from((1, 1_000_000));
        for k in 0..inst.theta.len() {
            let mut th = inst.theta.clone();
            th[k] += &hq;
            let dq = (Model::TwoLayerRelu.predict(&th, x)
                - Model::TwoLayerRelu.predict(&inst.theta, x))
                / &hq;
            assert!(
                (dq - &g[k]).abs() < Rational::from((1, 1000)),
                "parameter {k}"
            );
        }
    }
}
