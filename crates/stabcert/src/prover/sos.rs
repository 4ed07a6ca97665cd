//! Sum-of-squares certificates for polynomial margins that are tight along curves, where
//! interval branch and bound cannot close the boxes around the zeros.
//!
//! The margin `m` of a conclusion (a polynomial in box coordinates) is written as
//! `m - eps = σ0 + Σ σ_g g`, with `σ` sums of squares `z^T Q z` (Gram matrices `Q` over
//! monomial bases `z`) and `g` products of factors non-negative on the domain: the box
//! sides `y_i - lo_i`, `hi_i - y_i` and the polynomial hypotheses (Putinar / S-procedure
//! multipliers). A float search finds the Gram matrices (a log-barrier Newton method: the
//! analytic centre of the feasible set, so the matrices are of full rank on their face);
//! they are rounded to rationals, `σ0` is corrected exactly so the identity holds term by
//! term (Peyrl and Parrilo's projection), and every `Q` is checked positive semi-definite by
//! exact `LDL^T`. Only an identity that holds exactly is returned; the kernel re-checks it
//! (`sos` leaf, docs/certificates.md). Floats only search.

// Matrices are indexed in step with their basis monomials.
#![allow(clippy::needless_range_loop)]

use super::domain::Problem;
use crate::expr::poly::Poly;
use rug::Rational;
use std::collections::HashMap;
use std::time::Instant;

/// A factor of a multiplier: non-negative at every point of the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// The margin of hypothesis `k` of the problem (hidden ones first).
    Hyp(usize),
    /// `y_i - lo_i`.
    Lo(usize),
    /// `hi_i - y_i`.
    Hi(usize),
}

/// One term `g · z^T Q z` of the identity, `g` the product of `times`.
#[derive(Clone, Debug)]
pub struct Block {
    /// The factors whose product multiplies the square form (none: 1).
    pub times: Vec<Factor>,
    /// The monomials of `z`, as exponent vectors.
    pub basis: Vec<Vec<u32>>,
    /// `Q`, exact and PSD.
    pub gram: Vec<Vec<Rational>>,
}

/// `margin - eps = Σ blocks`, every Gram matrix PSD.
#[derive(Clone, Debug)]
pub struct SosCert {
    /// `eps >= 0` (`> 0` for a strict conclusion).
    pub eps: Rational,
    /// The terms of the identity; the first is the plain sum of squares.
    pub blocks: Vec<Block>,
}

/// Most variables and highest degree tried.
const MAX_VARS: usize = 6;
const MAX_DEGREE: u32 = 8;
/// Most unknowns (Gram entries) and constraints (monomials) of the float search.
const MAX_UNKNOWNS: usize = 2500;
const MAX_MONOMIALS: usize = 220;
/// Time the whole attempt may take at most (within the claim's deadline).
const MAX_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// A certificate that `goal`'s margin is `>= 0` (`> 0` if strict) on the problem's domain.
pub fn prove(p: &Problem, goal: usize, deadline: Option<Instant>) -> Option<SosCert> {
    let own = Instant::now() + MAX_TIME;
    let deadline = Some(deadline.map_or(own, |d| d.min(own)));
    let g = &p.goals[goal];
    let m = g.poly()?;
    if let Some(c) = direct(p, m, g.strict) {
        return Some(c);
    }
    let n = p.dim();
    let deg = total_degree(m);
    if n == 0 || n > MAX_VARS || deg == 0 || deg > MAX_DEGREE {
        return None;
    }
    let d = deg.div_ceil(2) * 2;
    let hyps: Vec<(usize, &Poly)> = p
        .hyps
        .iter()
        .enumerate()
        .filter_map(|(k, h)| Some((k, h.poly()?)))
        .filter(|(_, h)| (1..=d).contains(&total_degree(h)))
        .collect();
    let factor_poly = |f: Factor| -> Poly {
        match f {
            Factor::Hyp(k) => hyps
                .iter()
                .find(|(j, _)| *j == k)
                .map(|(_, h)| (*h).clone())
                .unwrap_or_else(|| Poly::zero(n)),
            Factor::Lo(i) => {
                Poly::var(n, i).add(&Poly::constant(n, Rational::from(-&p.axes[i].lo)))
            }
            Factor::Hi(i) => Poly::constant(n, p.axes[i].hi.clone()).add(&Poly::var(n, i).neg()),
        }
    };
    // Stage 1: a plain sum of squares, basis cut by the margin's degrees. Stage 2: with
    // multipliers for the box and the hypotheses.
    let degs = m.degrees();
    let low = min_total_degree(m);
    let plain = monomials(n, d / 2).into_iter().filter(|e| {
        let t: u32 = e.iter().sum();
        2 * t >= low && e.iter().zip(&degs).all(|(a, b)| 2 * a <= *b)
    });
    let mut stages = vec![vec![(Vec::new(), plain.collect::<Vec<_>>())]];
    let mut multi = vec![(Vec::new(), monomials(n, d / 2))];
    let mut factors: Vec<Vec<Factor>> = Vec::new();
    for i in (0..n).filter(|i| p.axes[*i].lo < p.axes[*i].hi) {
        factors.push(vec![Factor::Lo(i)]);
        factors.push(vec![Factor::Hi(i)]);
        factors.push(vec![Factor::Lo(i), Factor::Hi(i)]);
    }
    factors.extend(hyps.iter().map(|(k, _)| vec![Factor::Hyp(*k)]));
    for f in factors {
        let gd: u32 = f.iter().map(|x| total_degree(&factor_poly(*x))).sum();
        if gd <= d {
            multi.push((f, monomials(n, (d - gd) / 2)));
        }
    }
    stages.push(multi);
    for stage in stages {
        if deadline.is_some_and(|t| Instant::now() > t) {
            return None;
        }
        let blocks: Vec<Spec> = stage
            .into_iter()
            .filter(|(_, b)| !b.is_empty())
            .map(|(f, b)| {
                let g = f
                    .iter()
                    .fold(Poly::constant(n, Rational::from(1)), |acc, x| {
                        acc.mul(&factor_poly(*x))
                    });
                (f, g, b)
            })
            .collect();
        if let Some(c) = attempt(m, g.strict, &blocks, n, deadline) {
            return Some(c);
        }
    }
    None
}

/// The margin as `c · g` with `c > 0` and `g` one factor or a product of two (a conclusion
/// that restates a hypothesis or a binding): `>= 0`, and `> 0` when every factor is `> 0` on
/// the domain (a strict hypothesis, the side of an excluded end).
fn direct(p: &Problem, m: &Poly, strict: bool) -> Option<SosCert> {
    let n = p.dim();
    let (lead, lc) = m.terms().last()?;
    let mut factors: Vec<(Factor, Poly, bool)> = Vec::new();
    for (i, a) in p.axes.iter().enumerate().filter(|(_, a)| a.lo < a.hi) {
        let y = Poly::var(n, i);
        factors.push((
            Factor::Lo(i),
            y.add(&Poly::constant(n, Rational::from(-&a.lo))),
            a.lo_open,
        ));
        factors.push((
            Factor::Hi(i),
            Poly::constant(n, a.hi.clone()).add(&y.neg()),
            a.hi_open,
        ));
    }
    for (k, h) in p.hyps.iter().enumerate() {
        if let Some(hp) = h.poly().filter(|hp| !hp.is_zero()) {
            factors.push((Factor::Hyp(k), hp.clone(), h.strict));
        }
    }
    let mut candidates: Vec<(Vec<Factor>, Poly, bool)> = factors
        .iter()
        .map(|(f, g, s)| (vec![*f], g.clone(), *s))
        .collect();
    for (a, (fa, ga, sa)) in factors.iter().enumerate() {
        for (fb, gb, sb) in &factors[a..] {
            candidates.push((vec![*fa, *fb], ga.mul(gb), *sa && *sb));
        }
    }
    for (times, g, positive) in candidates {
        if strict && !positive {
            continue;
        }
        let Some((glead, gc)) = g.terms().last() else {
            continue;
        };
        if glead != lead {
            continue;
        }
        let c = Rational::from(lc / gc);
        if c > 0 && g.mul(&Poly::constant(n, c.clone())) == *m {
            let basis = vec![vec![0; n]];
            let blocks = vec![Block {
                times,
                basis,
                gram: vec![vec![c]],
            }];
            return Some(SosCert {
                eps: Rational::new(),
                blocks,
            });
        }
    }
    None
}

/// The highest total degree of a term of `p`.
pub(super) fn total_degree(p: &Poly) -> u32 {
    p.terms().map(|(e, _)| e.iter().sum()).max().unwrap_or(0)
}

fn min_total_degree(p: &Poly) -> u32 {
    p.terms().map(|(e, _)| e.iter().sum()).min().unwrap_or(0)
}

/// All exponent vectors in `n` variables of total degree `<= d`, by degree.
fn monomials(n: usize, d: u32) -> Vec<Vec<u32>> {
    let mut out = vec![vec![0; n]];
    let mut last = vec![vec![0u32; n]];
    for _ in 0..d {
        let mut next = Vec::new();
        for e in &last {
            let start = e.iter().rposition(|x| *x > 0).unwrap_or(0);
            for i in start..n {
                let mut f = e.clone();
                f[i] += 1;
                next.push(f);
            }
        }
        out.extend(next.iter().cloned());
        last = next;
    }
    out
}

/// A block to search: its factors, their product `g`, its basis.
type Spec = (Vec<Factor>, Poly, Vec<Vec<u32>>);

/// Constraint entries `(α, p, q, c)`.
type Entries = Vec<(usize, usize, usize, f64)>;

/// The float problem: find PSD `X_b` with `Σ_b <A_αb, X_b> = c_α` for every monomial `α`.
struct Sdp {
    /// Per block: its size and its constraint entries `(α, p, q, c)` (both `(p,q)` and `(q,p)`).
    blocks: Vec<(usize, Entries)>,
    rhs: Vec<f64>,
}

fn attempt(
    m: &Poly,
    strict: bool,
    blocks: &[Spec],
    n: usize,
    deadline: Option<Instant>,
) -> Option<SosCert> {
    let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut idx = |e: Vec<u32>| {
        let k = index.len();
        *index.entry(e).or_insert(k)
    };
    for (e, _) in m.terms() {
        idx(e.clone());
    }
    let mut sdp = Sdp {
        blocks: Vec::new(),
        rhs: Vec::new(),
    };
    let mut unknowns = 0;
    for (_, g, basis) in blocks {
        let k = basis.len();
        unknowns += k * k;
        if unknowns > MAX_UNKNOWNS {
            return None;
        }
        let mut entries = Vec::new();
        for p in 0..k {
            for q in 0..k {
                for (e, c) in g.terms() {
                    let a: Vec<u32> = (0..n).map(|v| e[v] + basis[p][v] + basis[q][v]).collect();
                    entries.push((idx(a), p, q, c.to_f64()));
                }
            }
        }
        sdp.blocks.push((k, entries));
    }
    if strict {
        // `eps`: a 1×1 block on the constant monomial.
        sdp.blocks.push((1, vec![(idx(vec![0; n]), 0, 0, 1.0)]));
    }
    if index.len() > MAX_MONOMIALS {
        return None;
    }
    sdp.rhs = vec![0.0; index.len()];
    for (e, c) in m.terms() {
        sdp.rhs[index[e]] = c.to_f64();
    }
    let late = || deadline.is_some_and(|t| Instant::now() > t);
    let mut try_round = |x: &[Mat]| {
        [1e-4, 1e-6, 1e-8].into_iter().find_map(|tol| {
            (!late())
                .then(|| round(m, strict, blocks, x, tol, n))
                .flatten()
        })
    };
    solve(&sdp, index.len(), deadline, &mut try_round)
}

/// Rounds the float solution at tolerance `tol`, corrects `σ0` (block 0) exactly, and checks.
fn round(
    m: &Poly,
    strict: bool,
    blocks: &[Spec],
    x: &[Vec<f64>],
    tol: f64,
    n: usize,
) -> Option<SosCert> {
    let rmat = |k: usize, v: &[f64]| -> Vec<Vec<Rational>> {
        let mut q = vec![vec![Rational::new(); k]; k];
        for i in 0..k {
            for j in i..k {
                let r = approx((v[i * k + j] + v[j * k + i]) / 2.0, tol);
                q[i][j] = r.clone();
                q[j][i] = r;
            }
        }
        q
    };
    let eps = if strict {
        let e = approx(x[blocks.len()][0], tol);
        if e <= 0 {
            return None;
        }
        e
    } else {
        Rational::new()
    };
    let mut rest = m.add(&Poly::constant(n, Rational::from(-&eps)));
    let mut out = Vec::new();
    for (b, (times, g, basis)) in blocks.iter().enumerate() {
        let k = basis.len();
        let q = rmat(k, &x[b]);
        if b > 0 {
            if q.iter().all(|r| r.iter().all(|v| *v == 0)) {
                continue;
            }
            rest = rest.add(&g.mul(&gram_poly(basis, &q, n)).neg());
        }
        out.push(Block {
            times: times.clone(),
            basis: basis.clone(),
            gram: q,
        });
    }
    // σ0 must equal `rest`: spread each coefficient's error over the entries that make it.
    let Block { basis, gram: q, .. } = &mut out[0];
    let basis = &*basis;
    let k = basis.len();
    let mut pairs: HashMap<Vec<u32>, Vec<(usize, usize)>> = HashMap::new();
    for i in 0..k {
        for j in 0..k {
            let e: Vec<u32> = (0..n).map(|v| basis[i][v] + basis[j][v]).collect();
            pairs.entry(e).or_default().push((i, j));
        }
    }
    if rest.terms().any(|(e, _)| !pairs.contains_key(e)) {
        return None;
    }
    let target: HashMap<&Vec<u32>, &Rational> = rest.terms().collect();
    for (e, ps) in &pairs {
        let mut cur = Rational::new();
        for (i, j) in ps {
            cur += &q[*i][*j];
        }
        let want = target.get(e).map_or_else(Rational::new, |c| (*c).clone());
        let fix = (want - cur) / Rational::from(ps.len());
        if fix != 0 {
            for (i, j) in ps {
                q[*i][*j] += &fix;
            }
        }
    }
    if !out.iter().all(|b| psd(b.gram.clone())) {
        return None;
    }
    // The identity, checked once more in full.
    let mut check = m.add(&Poly::constant(n, Rational::from(-&eps)));
    for b in &out {
        let g = &blocks.iter().find(|(t, _, _)| *t == b.times)?.1;
        check = check.add(&g.mul(&gram_poly(&b.basis, &b.gram, n)).neg());
    }
    check.is_zero().then_some(SosCert { eps, blocks: out })
}

/// `z^T Q z` as a polynomial.
fn gram_poly(basis: &[Vec<u32>], q: &[Vec<Rational>], n: usize) -> Poly {
    let mut r = Poly::zero(n);
    for (i, bi) in basis.iter().enumerate() {
        for (j, bj) in basis.iter().enumerate() {
            if q[i][j] != 0 {
                let e: Vec<u32> = (0..n).map(|v| bi[v] + bj[v]).collect();
                r = r.add(&Poly::monomial(e, q[i][j].clone()));
            }
        }
    }
    r
}

/// Whether the symmetric matrix is positive semi-definite: exact `LDL^T`.
pub fn psd(mut a: Vec<Vec<Rational>>) -> bool {
    let n = a.len();
    for k in 0..n {
        let p = a[k][k].clone();
        if p < 0 || (p == 0 && a[k][k + 1..].iter().any(|x| *x != 0)) {
            return false;
        }
        if p == 0 {
            continue;
        }
        for i in k + 1..n {
            let f = Rational::from(&a[i][k] / &p);
            if f == 0 {
                continue;
            }
            for j in k + 1..n {
                let d = Rational::from(&f * &a[k][j]);
                a[i][j] -= d;
            }
        }
    }
    true
}

/// The simplest rational within `tol` of `v` (continued fractions), 0 if `|v| <= tol`.
fn approx(v: f64, tol: f64) -> Rational {
    if !v.is_finite() || v.abs() <= tol {
        return Rational::new();
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0i128, 1i128, 1i128, 0i128);
    let mut x = v;
    for _ in 0..40 {
        let a = x.floor();
        if a.abs() > 1e15 {
            break;
        }
        let ai = a as i128;
        let (h, k) = (ai * h1 + h0, ai * k1 + k0);
        (h0, h1, k0, k1) = (h1, h, k1, k);
        if k > 1 << 50 || h.abs() > 1 << 60 {
            break;
        }
        if ((h as f64) / (k as f64) - v).abs() <= tol {
            return Rational::from((h, k));
        }
        let frac = x - a;
        if frac == 0.0 {
            break;
        }
        x = 1.0 / frac;
    }
    Rational::from_f64(v).unwrap_or_default()
}

// ---- The float search ----

/// Dense symmetric `k×k` matrices, row-major.
type Mat = Vec<f64>;

/// Lower Cholesky factor, or `None` if not positive definite.
fn chol(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let mut d = a[j * k + j];
        for t in 0..j {
            d -= l[j * k + t] * l[j * k + t];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for t in 0..j {
                s -= l[i * k + t] * l[j * k + t];
            }
            l[i * k + j] = s / d;
        }
    }
    Some(l)
}

fn chol_solve(l: &[f64], k: usize, b: &mut [f64]) {
    for i in 0..k {
        let mut s = b[i];
        for t in 0..i {
            s -= l[i * k + t] * b[t];
        }
        b[i] = s / l[i * k + i];
    }
    for i in (0..k).rev() {
        let mut s = b[i];
        for t in i + 1..k {
            s -= l[t * k + i] * b[t];
        }
        b[i] = s / l[i * k + i];
    }
}

impl Sdp {
    /// `A(X)`.
    fn apply(&self, x: &[Mat], mcount: usize) -> Vec<f64> {
        let mut r = vec![0.0; mcount];
        for ((k, entries), xb) in self.blocks.iter().zip(x) {
            for &(a, p, q, c) in entries {
                r[a] += c * xb[p * k + q];
            }
        }
        r
    }

    /// `Aᵀ(v)`, block by block.
    fn adjoint(&self, v: &[f64]) -> Vec<Mat> {
        self.blocks
            .iter()
            .map(|(k, entries)| {
                let mut m = vec![0.0; k * k];
                for &(a, p, q, c) in entries {
                    m[p * k + q] += c * v[a];
                }
                m
            })
            .collect()
    }

    /// `½|A(X) - b|² - μ Σ log det X_b`, `None` if some `X_b` is not positive definite.
    fn objective(&self, x: &[Mat], mu: f64, mcount: usize) -> Option<f64> {
        let r = self.apply(x, mcount);
        let mut f: f64 = r
            .iter()
            .zip(&self.rhs)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            / 2.0;
        for ((k, _), xb) in self.blocks.iter().zip(x) {
            let l = chol(xb, *k)?;
            f -= mu * 2.0 * (0..*k).map(|i| l[i * k + i].ln()).sum::<f64>();
        }
        Some(f)
    }
}

fn sandwich(x: &[f64], a: &[f64], k: usize) -> Vec<f64> {
    let mut t = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            let v = a[i * k + j];
            if v != 0.0 {
                for r in 0..k {
                    t[r * k + j] += x[r * k + i] * v;
                }
            }
        }
    }
    let mut out = vec![0.0; k * k];
    for r in 0..k {
        for j in 0..k {
            let v = t[r * k + j];
            if v != 0.0 {
                for s in 0..k {
                    out[r * k + s] += v * x[j * k + s];
                }
            }
        }
    }
    out
}

/// Newton's method on `½|A(X) - b|² - μ log det X` for decreasing `μ`: `X` tends to the
/// analytic centre of `{X ⪰ 0, A(X) = b}`. `None` if that set looks empty.
/// Every few steps once the residual is small, `found` tries to round `X` to a certificate.
fn solve(
    sdp: &Sdp,
    mcount: usize,
    deadline: Option<Instant>,
    found: &mut dyn FnMut(&[Mat]) -> Option<SosCert>,
) -> Option<SosCert> {
    let scale = sdp.rhs.iter().fold(1.0f64, |a, b| a.max(b.abs()));
    let mut x: Vec<Mat> = sdp
        .blocks
        .iter()
        .map(|(k, _)| {
            let mut m = vec![0.0; k * k];
            (0..*k).for_each(|i| m[i * k + i] = 1.0);
            m
        })
        .collect();
    let mut mu = scale;
    for round_at in 0..80 {
        for _ in 0..30 {
            if deadline.is_some_and(|t| Instant::now() > t) {
                return None;
            }
            let ax = sdp.apply(&x, mcount);
            let r: Vec<f64> = ax.iter().zip(&sdp.rhs).map(|(a, b)| a - b).collect();
            // K_{αβ} = <A_α, X A_β X>, column by column.
            let mut kmat = vec![0.0; mcount * mcount];
            for ((k, entries), xb) in sdp.blocks.iter().zip(&x) {
                let mut by_beta: HashMap<usize, Vec<(usize, usize, f64)>> = HashMap::new();
                for &(a, p, q, c) in entries {
                    by_beta.entry(a).or_default().push((p, q, c));
                }
                for (beta, es) in &by_beta {
                    let mut ab = vec![0.0; k * k];
                    for &(p, q, c) in es {
                        ab[p * k + q] += c;
                    }
                    let pb = sandwich(xb, &ab, *k);
                    for (alpha, es2) in &by_beta {
                        let v: f64 = es2.iter().map(|&(p, q, c)| c * pb[p * k + q]).sum();
                        kmat[alpha * mcount + beta] += v;
                    }
                }
            }
            let kr: Vec<f64> = (0..mcount)
                .map(|i| (0..mcount).map(|j| kmat[i * mcount + j] * r[j]).sum())
                .collect();
            let mut w: Vec<f64> = (0..mcount).map(|i| -(kr[i] - mu * ax[i])).collect();
            let mut sys = kmat.clone();
            (0..mcount).for_each(|i| sys[i * mcount + i] += mu);
            let l = chol(&sys, mcount)?;
            chol_solve(&l, mcount, &mut w);
            let rw: Vec<f64> = r.iter().zip(&w).map(|(a, b)| a + b).collect();
            let at = sdp.adjoint(&rw);
            let delta: Vec<Mat> = x
                .iter()
                .zip(&at)
                .zip(&sdp.blocks)
                .map(|((xb, ab), (k, _))| {
                    let s = sandwich(xb, ab, *k);
                    xb.iter().zip(&s).map(|(a, b)| a - b / mu).collect()
                })
                .collect();
            let f0 = sdp.objective(&x, mu, mcount)?;
            let mut t = 1.0;
            let mut moved = false;
            while t > 1e-10 {
                let cand: Vec<Mat> = x
                    .iter()
                    .zip(&delta)
                    .map(|(a, d)| a.iter().zip(d).map(|(u, v)| u + t * v).collect())
                    .collect();
                if let Some(f) = sdp.objective(&cand, mu, mcount) {
                    if f <= f0 {
                        x = cand;
                        moved = true;
                        break;
                    }
                }
                t /= 2.0;
            }
            let size: f64 = delta.iter().flatten().map(|v| v * v).sum::<f64>().sqrt();
            if !moved || t * size < 1e-12 * (1.0 + scale) {
                break;
            }
        }
        let r: f64 = sdp
            .apply(&x, mcount)
            .iter()
            .zip(&sdp.rhs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        if r < 1e-5 * scale && mu < 1e-7 * scale && round_at % 4 == 0 {
            if let Some(c) = found(&x) {
                return Some(c);
            }
        }
        if mu < 1e-20 * scale {
            return None;
        }
        if mu < 1e-6 * scale && r > 1e-2 * scale {
            return None;
        }
        mu *= 0.2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(src: &str) -> Problem {
        let claims = crate::lang::parse_source(std::path::Path::new("t.stab"), src).unwrap();
        Problem::new(&claims[0])
    }

    fn sos(src: &str) -> Option<SosCert> {
        prove(&problem(src), 0, None)
    }

    #[test]
    fn proves_margins_tight_along_curves() {
        let lagrange = "claim a: forall x in [-1, 1], y in [-1, 1], z in [-1, 1], w in [-1, 1] \
            => (x^2 + y^2)*(z^2 + w^2) >= (x*z + y*w)^2";
        assert!(sos(lagrange).is_some());
        let disk =
            "claim a: forall x in [-1, 1], y in [-1, 1] where x^2 + y^2 <= 1 => 3*x + 4*y <= 5";
        let c = sos(disk).expect("a multiplier of the disk");
        assert!(c.blocks.iter().any(|b| b.times.contains(&Factor::Hyp(0))));
        let line = "claim a: forall x in [-2, 2], y in [-2, 2] => x^2 + y^2 - 2*x*y >= 0";
        let c = sos(line).expect("(x - y)^2");
        assert!(c.blocks.iter().all(|b| psd(b.gram.clone())));
        // Strict: eps > 0 is found where there is slack.
        let strict = "claim a: forall x in [-1, 1], y in [-1, 1] => x^2 + y^2 - x*y + 1/10 > 0";
        assert!(sos(strict).is_some_and(|c| c.eps > 0));
    }

    #[test]
    fn proves_conclusions_implied_by_bindings_and_hypotheses() {
        // y = x + t (1 - x): the margin t (1 - x) is > 0 by t > 0 and the hidden 1 - x > 0.
        let c = sos("claim a: forall x in [0, 1], y in (x, 1] => y > x").expect("direct");
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.blocks[0].times.len(), 2);
        let restated = "claim a: forall x in [-3, 3] where x^2 > 9/4 => 2*x^2 - 9/2 > 0";
        assert!(sos(restated).is_some());
        // A closed end gives only `>= 0`.
        assert!(sos("claim a: forall x in [0, 1], y in [x, 1] => y > x").is_none());
        assert!(sos("claim a: forall x in [0, 1], y in [x, 1] => y >= x").is_some());
    }

    #[test]
    fn finds_nothing_for_false_claims() {
        for src in [
            "claim a: forall x in [-1, 1], y in [-1, 1] => x*y >= 0",
            "claim a: forall x in [-1, 1], y in [-1, 1] where x^2 + y^2 <= 1 => 3*x + 4*y <= 49/10",
            "claim a: forall x in [-2, 2], y in [-2, 2] => x^2 + y^2 - 2*x*y > 0",
        ] {
            assert!(sos(src).is_none(), "{src}");
        }
    }

    #[test]
    fn exact_ldlt_detects_indefinite_and_semidefinite_matrices() {
        let m = |rows: &[&[i32]]| -> Vec<Vec<Rational>> {
            rows.iter()
                .map(|r| r.iter().map(|v| Rational::from(*v)).collect())
                .collect()
        };
        assert!(psd(m(&[&[1, -1], &[-1, 1]])));
        assert!(psd(m(&[&[0, 0], &[0, 3]])));
        assert!(!psd(m(&[&[0, 1], &[1, 0]])));
        assert!(!psd(m(&[&[1, 2], &[2, 1]])));
        assert!(!psd(m(&[&[1, 1, 0], &[1, 1, 1], &[0, 1, 1]])));
    }
}
