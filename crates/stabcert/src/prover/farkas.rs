//! Affine margins under affine hypotheses (what a case split of `abs`/`min`/`max` leaves):
//! `m = c + Σ λ_k g_k` with `c, λ_k >= 0` and `g_k` box sides or hypotheses, found exactly.
//!
//! The best `c` for given factors is a linear programme; an optimal vertex uses at most as
//! many factors as there are variables, with independent linear parts. So every set of up to
//! `n` factors is tried: its `λ` solved exactly from the linear parts (Gaussian elimination
//! over rationals), kept if `λ >= 0` and `c >= 0` (`> 0`, or a `λ > 0` on a factor that is
//! positive on the domain, for a strict conclusion). The result is an `sos` leaf of constant
//! blocks, which the kernel re-checks like any other.

use super::domain::Problem;
use super::sos::{Block, Factor, SosCert};
use crate::expr::poly::Poly;
use rug::Rational;

/// Most factors combined (sets tried grow as `factors^n`).
const MAX_FACTORS: usize = 16;
const MAX_VARS: usize = 4;

/// `[a_0, ..., a_{n-1}, b]` for `Σ a_i y_i + b`; `None` if `p` is not affine.
fn affine(p: &Poly, n: usize) -> Option<Vec<Rational>> {
    let mut v = vec![Rational::new(); n + 1];
    for (e, c) in p.terms() {
        match e.iter().sum::<u32>() {
            0 => v[n] += c,
            1 => v[e.iter().position(|d| *d == 1)?] += c,
            _ => return None,
        }
    }
    Some(v)
}

/// The unique `λ` with `Σ λ_j cols_j = rhs` (first `n` entries), if the columns are
/// independent and the system consistent.
fn solve(cols: &[&Vec<Rational>], rhs: &[Rational], n: usize) -> Option<Vec<Rational>> {
    let s = cols.len();
    let mut a: Vec<Vec<Rational>> = (0..n)
        .map(|i| {
            let mut row: Vec<Rational> = cols.iter().map(|c| c[i].clone()).collect();
            row.push(rhs[i].clone());
            row
        })
        .collect();
    let mut r = 0;
    for c in 0..s {
        let p = (r..n).find(|i| a[*i][c] != 0)?;
        a.swap(r, p);
        for i in (0..n).filter(|i| *i != r) {
            if a[i][c] != 0 {
                let f = Rational::from(&a[i][c] / &a[r][c]);
                for j in c..=s {
                    let d = Rational::from(&f * &a[r][j]);
                    a[i][j] -= d;
                }
            }
        }
        r += 1;
    }
    if a[r..].iter().any(|row| row[s] != 0) {
        return None;
    }
    Some(
        (0..s)
            .map(|i| Rational::from(&a[i][s] / &a[i][i]))
            .collect(),
    )
}

/// An exact certificate for conclusion `goal` when its margin and enough factors are affine.
pub(super) fn prove(p: &Problem, goal: usize) -> Option<SosCert> {
    let g = &p.goals[goal];
    let n = p.dim();
    let m = affine(g.poly()?, n)?;
    if n == 0 || n > MAX_VARS {
        return None;
    }
    // (factor, [a; b], positive on the domain)
    let mut factors: Vec<(Factor, Vec<Rational>, bool)> = Vec::new();
    for (i, ax) in p.axes.iter().enumerate().filter(|(_, a)| a.lo < a.hi) {
        let mut lo = vec![Rational::new(); n + 1];
        (lo[i], lo[n]) = (Rational::from(1), Rational::from(-&ax.lo));
        let mut hi = vec![Rational::new(); n + 1];
        (hi[i], hi[n]) = (Rational::from(-1), ax.hi.clone());
        factors.push((Factor::Lo(i), lo, ax.lo_open));
        factors.push((Factor::Hi(i), hi, ax.hi_open));
    }
    for (k, h) in p.hyps.iter().enumerate() {
        if let Some(v) = h.poly().and_then(|q| affine(q, n)) {
            factors.push((Factor::Hyp(k), v, h.strict));
        }
    }
    if factors.len() > MAX_FACTORS {
        return None;
    }
    let mut set = Vec::new();
    search(&factors, &m, n, g.strict, 0, &mut set)
}

/// Tries every set of factors that extends `set` with indices from `from` on.
fn search(
    factors: &[(Factor, Vec<Rational>, bool)],
    m: &[Rational],
    n: usize,
    strict: bool,
    from: usize,
    set: &mut Vec<usize>,
) -> Option<SosCert> {
    let cols: Vec<&Vec<Rational>> = set.iter().map(|k| &factors[*k].1).collect();
    if let Some(lambda) = solve(&cols, m, n) {
        let mut c = m[n].clone();
        for (l, col) in lambda.iter().zip(&cols) {
            c -= Rational::from(l * &col[n]);
        }
        let positive = set
            .iter()
            .zip(&lambda)
            .any(|(k, l)| *l > 0 && factors[*k].2);
        if lambda.iter().all(|l| *l >= 0) && (c > 0 || (c == 0 && (!strict || positive))) {
            let blocks = set
                .iter()
                .zip(lambda)
                .filter(|(_, l)| *l > 0)
                .map(|(k, l)| Block {
                    times: vec![factors[*k].0],
                    basis: vec![vec![0; n]],
                    gram: vec![vec![l]],
                })
                .collect();
            return Some(SosCert { eps: c, blocks });
        }
    }
    if set.len() == n {
        return None;
    }
    for k in from..factors.len() {
        set.push(k);
        let found = search(factors, m, n, strict, k + 1, set);
        set.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}
