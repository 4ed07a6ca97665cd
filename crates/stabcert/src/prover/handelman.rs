//! Handelman / Schmüdgen-type certificates found by an exact linear programme: the margin
//! `m` of a conclusion is written as
//!
//! `m - eps = Σ_j c_j · g_j · s_j`,  `c_j >= 0`, `eps >= 0`,
//!
//! with `g_j` a product of factors that are `>= 0` on the domain (box sides `y_i - lo_i`,
//! `hi_i - y_i`, polynomial hypotheses; repeats allowed) and `s_j` one of a few fixed
//! squares: `1`, a monomial squared, or `(u ± v)^2` for monomials `u`, `v` (what AM-GM and
//! claims tight on a `where` corner need: `x (y - z)^2`, `h_1 h_2`, `(1 - x)(1 - y) + h`).
//! The margin's coefficients give one linear equation per monomial; the `c_j` are found by
//! a two-phase simplex in exact rationals (Bland's rule), so no float is trusted and what is
//! found is exact. The result is an `sos` leaf (a block per term, Gram matrix `[[c]]` or
//! `c [[1, ±1], [±1, 1]]`), which the kernel re-checks like any other.
//!
//! Every term `g_j s_j` is `> 0` at the interior points where the factors are, so a margin
//! with interior zeros needs squares that vanish there; where no such fixed square exists
//! (Schur's, Robinson's forms) nothing is found and the next method is tried. The
//! programme's size is capped (degree, variables, columns) and the clock is watched.

use super::domain::Problem;
use super::sos::{total_degree, Block, Factor, SosCert};
use crate::expr::poly::Poly;
use rug::Rational;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// Most variables, highest degree, most candidate terms and monomials tried.
const MAX_VARS: usize = 4;
const MAX_DEGREE: u32 = 6;
const MAX_COLUMNS: usize = 800;
const MAX_ROWS: usize = 90;
/// Time the linear programme may take at most (within the claim's deadline).
const MAX_TIME: std::time::Duration = std::time::Duration::from_secs(1);
/// Most factors (box sides and hypotheses) multiplied.
const MAX_FACTORS: usize = 12;

/// A candidate term: factors, the square's basis and sign (`(u + sign v)^2`), the product.
struct Term {
    times: Vec<Factor>,
    basis: Vec<Vec<u32>>,
    sign: i32,
    poly: Poly,
}

/// An exact certificate that `goal`'s margin is `>= 0` (`> 0` if strict) on the domain.
pub(super) fn prove(p: &Problem, goal: usize, deadline: Option<Instant>) -> Option<SosCert> {
    let own = Instant::now() + MAX_TIME;
    let deadline = Some(deadline.map_or(own, |d| d.min(own)));
    let g = &p.goals[goal];
    let m = g.poly()?;
    let n = p.dim();
    let deg = total_degree(m);
    if n == 0 || n > MAX_VARS || deg == 0 || deg > MAX_DEGREE {
        return None;
    }
    // The monomials of degree <= deg, a bound on the rows (C(n + deg, n)).
    let all = (1..=n as u64).fold(1u64, |acc, i| acc * (u64::from(deg) + i) / i);
    if all > MAX_ROWS as u64 {
        return None;
    }
    // (factor, polynomial, degree, > 0 on the domain)
    let mut factors: Vec<(Factor, Poly, u32, bool)> = Vec::new();
    for (i, a) in p.axes.iter().enumerate().filter(|(_, a)| a.lo < a.hi) {
        let y = Poly::var(n, i);
        let lo = y.add(&Poly::constant(n, Rational::from(-&a.lo)));
        let hi = Poly::constant(n, a.hi.clone()).add(&y.neg());
        factors.push((Factor::Lo(i), lo, 1, a.lo_open));
        factors.push((Factor::Hi(i), hi, 1, a.hi_open));
    }
    for (k, h) in p.hyps.iter().enumerate() {
        if let Some(q) = h.poly() {
            let d = total_degree(q);
            if (1..=deg).contains(&d) {
                factors.push((Factor::Hyp(k), q.clone(), d, h.strict));
            }
        }
    }
    if factors.len() > MAX_FACTORS {
        return None;
    }
    // First the squares whose ends `u²`, `v²` are terms of the margin (AM-GM-like margins,
    // a small programme), then every term up to the cap.
    let support: HashSet<&Vec<u32>> = m.terms().map(|(e, _)| e).collect();
    for only in [Some(&support), None] {
        let terms = candidates(&factors, n, deg, only);
        if let Some(c) = certify(m, g.strict, &terms, &factors, deadline) {
            return Some(c);
        }
    }
    None
}

/// The certificate over the candidate `terms`, if the programme is feasible.
fn certify(
    m: &Poly,
    strict: bool,
    terms: &[Term],
    factors: &[(Factor, Poly, u32, bool)],
    deadline: Option<Instant>,
) -> Option<SosCert> {
    let n = m.nvars();
    // One row a monomial: Σ_j c_j coef_α(term_j) + [α = 0] eps = coef_α(m).
    let mut rows: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut row = |e: &Vec<u32>| {
        let k = rows.len();
        *rows.entry(e.clone()).or_insert(k)
    };
    row(&vec![0; n]);
    let mut cols: Vec<Vec<(usize, Rational)>> = terms
        .iter()
        .map(|t| t.poly.terms().map(|(e, c)| (row(e), c.clone())).collect())
        .collect();
    for (e, _) in m.terms() {
        row(e);
    }
    if rows.len() > MAX_ROWS {
        return None;
    }
    cols.push(vec![(0, Rational::from(1))]); // eps, the last column
    let mut b = vec![Rational::new(); rows.len()];
    for (e, c) in m.terms() {
        b[rows[e]] = c.clone();
    }
    let eps_col = cols.len() - 1;
    let x = simplex(&cols, &b, strict.then_some(eps_col), deadline)?;
    let eps = x[eps_col].clone();
    let strict_block = terms.iter().zip(&x).any(|(t, c)| {
        *c > 0 && t.sign == 0 && t.basis[0].iter().all(|d| *d == 0) && {
            t.times
                .iter()
                .all(|f| factors.iter().any(|(g, _, _, s)| g == f && *s))
        }
    });
    if strict && eps == 0 && !strict_block {
        return None;
    }
    let blocks = terms
        .iter()
        .zip(x)
        .filter(|(_, c)| *c > 0)
        .map(|(t, c)| {
            let gram = if t.basis.len() == 1 {
                vec![vec![c]]
            } else {
                let off = Rational::from(&c * t.sign);
                vec![vec![c.clone(), off.clone()], vec![off, c]]
            };
            Block {
                times: t.times.clone(),
                basis: t.basis.clone(),
                gram,
            }
        })
        .collect();
    Some(SosCert { eps, blocks })
}

/// Exponent vectors of total degree `<= d` in `n` variables.
fn monomials(n: usize, d: u32) -> Vec<Vec<u32>> {
    let mut out = vec![vec![0; n]];
    for i in 0..n {
        let mut more = Vec::new();
        for e in &out {
            let used: u32 = e.iter().sum();
            for k in 1..=d - used {
                let mut f = e.clone();
                f[i] = k;
                more.push(f);
            }
        }
        out.extend(more);
    }
    out
}

/// Products of factors of degree `<= deg` times fixed squares that keep the degree `<= deg`:
/// the squares alone first, then times products of growing length, up to the column cap.
/// With `only`: no factors, and only squares whose `u²`, `v²` are in `only`.
fn candidates(
    factors: &[(Factor, Poly, u32, bool)],
    n: usize,
    deg: u32,
    only: Option<&HashSet<&Vec<u32>>>,
) -> Vec<Term> {
    let factors = if only.is_some() { &[] } else { factors };
    let kept = |u: &Vec<u32>| {
        let square: Vec<u32> = u.iter().map(|d| 2 * d).collect();
        only.is_none_or(|s| s.contains(&square))
    };
    // Multisets of factor indices (non-decreasing), with their product and degree.
    let mut products: Vec<(Vec<usize>, Poly, u32)> =
        vec![(Vec::new(), Poly::constant(n, Rational::from(1)), 0)];
    let mut k = 0;
    while k < products.len() && products.len() < MAX_COLUMNS {
        let (set, poly, d) = products[k].clone();
        let from = set.last().copied().unwrap_or(0);
        for (f, (_, q, fd, _)) in factors.iter().enumerate().skip(from) {
            if d + fd <= deg {
                let mut s = set.clone();
                s.push(f);
                products.push((s, poly.mul(q), d + fd));
            }
        }
        k += 1;
    }
    // Squares: (basis, sign, polynomial, degree).
    let mut squares: Vec<(Vec<Vec<u32>>, i32, Poly, u32)> =
        vec![(vec![vec![0; n]], 0, Poly::constant(n, Rational::from(1)), 0)];
    let half = monomials(n, deg / 2);
    for (a, u) in half.iter().enumerate() {
        let pu = Poly::monomial(u.clone(), Rational::from(1));
        let du: u32 = u.iter().sum();
        if !kept(u) {
            continue;
        }
        if du > 0 {
            squares.push((vec![u.clone()], 0, pu.mul(&pu), 2 * du));
        }
        for v in half[a + 1..].iter().filter(|v| kept(v)) {
            let dv: u32 = v.iter().sum();
            let pv = Poly::monomial(v.clone(), Rational::from(1));
            for sign in [-1, 1] {
                let s = pu.add(&pv.mul(&Poly::constant(n, Rational::from(sign))));
                squares.push((vec![u.clone(), v.clone()], sign, s.mul(&s), 2 * du.max(dv)));
            }
        }
    }
    let mut terms = Vec::new();
    for (set, g, d) in &products {
        for (basis, sign, s, sd) in &squares {
            if d + sd <= deg {
                terms.push(Term {
                    times: set.iter().map(|f| factors[*f].0).collect(),
                    basis: basis.clone(),
                    sign: *sign,
                    poly: g.mul(s),
                });
                if terms.len() == MAX_COLUMNS {
                    return terms;
                }
            }
        }
    }
    terms
}

/// A point `x >= 0` with `Σ_j x_j col_j = b`, in exact rationals: a two-phase simplex with
/// Bland's rule (no cycling). With `maximize = Some(j)`, `x_j` is made as large as it goes.
/// `None`: infeasible, unbounded, or the deadline passed.
pub(super) fn simplex(
    cols: &[Vec<(usize, Rational)>],
    b: &[Rational],
    maximize: Option<usize>,
    deadline: Option<Instant>,
) -> Option<Vec<Rational>> {
    let (m, nc) = (b.len(), cols.len());
    // Tableau: m rows of [structural nc | artificial m | rhs]; rows with b < 0 negated.
    let width = nc + m + 1;
    let mut t = vec![vec![Rational::new(); width]; m];
    for (j, col) in cols.iter().enumerate() {
        for (i, c) in col {
            t[*i][j] += c;
        }
    }
    for i in 0..m {
        t[i][nc + i] = Rational::from(1);
        t[i][width - 1] = b[i].clone();
        if b[i] < 0 {
            for (j, v) in t[i].iter_mut().enumerate() {
                if j != nc + i {
                    *v = Rational::from(-&*v);
                }
            }
        }
    }
    let mut basis: Vec<usize> = (nc..nc + m).collect();
    // Phase 1: minimise the sum of the artificials, i.e. maximise -Σ a_i.
    let mut cost = vec![Rational::new(); width - 1];
    (nc..nc + m).for_each(|j| cost[j] = Rational::from(-1));
    run(&mut t, &mut basis, &cost, nc + m, deadline)?;
    if t.iter()
        .zip(&basis)
        .any(|(r, &j)| j >= nc && r[width - 1] != 0)
    {
        return None;
    }
    // Artificials left in the basis at level 0: pivot them out, or drop their (redundant) row.
    let mut i = 0;
    while i < t.len() {
        if basis[i] >= nc {
            match (0..nc).find(|&j| t[i][j] != 0) {
                Some(j) => pivot(&mut t, &mut basis, i, j),
                None => {
                    t.remove(i);
                    basis.remove(i);
                    continue;
                }
            }
        }
        i += 1;
    }
    if let Some(j) = maximize {
        let mut cost = vec![Rational::new(); width - 1];
        cost[j] = Rational::from(1);
        run(&mut t, &mut basis, &cost, nc, deadline)?;
    }
    let mut x = vec![Rational::new(); nc];
    for (r, &j) in t.iter().zip(&basis) {
        x[j] = r[width - 1].clone();
    }
    Some(x)
}

/// Primal simplex on the tableau maximising `cost · x` over the first `allowed` columns:
/// Dantzig's rule, then Bland's (which cannot cycle) after a run of degenerate pivots.
/// `None` if unbounded or late.
fn run(
    t: &mut Vec<Vec<Rational>>,
    basis: &mut [usize],
    cost: &[Rational],
    allowed: usize,
    deadline: Option<Instant>,
) -> Option<()> {
    let (m, rhs) = (t.len(), t.first().map_or(0, |r| r.len() - 1));
    // The reduced costs `cost_j - Σ_i cost_{basis_i} t_ij` as one more row, kept by `pivot`.
    let mut obj: Vec<Rational> = cost.iter().cloned().chain([Rational::new()]).collect();
    for (row, &bj) in t.iter().zip(basis.iter()) {
        if cost[bj] != 0 {
            for (o, v) in obj.iter_mut().zip(row) {
                *o -= Rational::from(&cost[bj] * v);
            }
        }
    }
    t.push(obj);
    let mut degenerate = 0;
    let done = loop {
        if deadline.is_some_and(|d| Instant::now() > d) {
            break None;
        }
        let obj = &t[m];
        let candidates = (0..allowed).filter(|&j| obj[j] > 0);
        let entering = if degenerate < 20 {
            candidates.max_by(|a, b| obj[*a].cmp(&obj[*b]).then(b.cmp(a)))
        } else {
            candidates.min()
        };
        let Some(j) = entering else {
            break Some(());
        };
        // Ratio test; ties to the smallest basic index (Bland).
        let mut best: Option<(usize, Rational)> = None;
        for (i, row) in t[..m].iter().enumerate() {
            if row[j] > 0 {
                let ratio = Rational::from(&row[rhs] / &row[j]);
                let better = best
                    .as_ref()
                    .is_none_or(|(k, r)| ratio < *r || (ratio == *r && basis[i] < basis[*k]));
                if better {
                    best = Some((i, ratio));
                }
            }
        }
        let Some((i, ratio)) = best else {
            break None;
        };
        degenerate = if ratio == 0 { degenerate + 1 } else { 0 };
        pivot(t, basis, i, j);
    };
    t.pop();
    done
}

/// Pivots on `t[i][j]` (every row of `t`, `basis` for the first rows).
fn pivot(t: &mut [Vec<Rational>], basis: &mut [usize], i: usize, j: usize) {
    let p = t[i][j].clone();
    for v in t[i].iter_mut() {
        *v /= &p;
    }
    let prow = t[i].clone();
    let nz: Vec<usize> = (0..prow.len()).filter(|&c| prow[c] != 0).collect();
    for (k, row) in t.iter_mut().enumerate() {
        if k != i && row[j] != 0 {
            let f = row[j].clone();
            for &c in &nz {
                row[c] -= Rational::from(&f * &prow[c]);
            }
        }
    }
    basis[i] = j;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(src: &str) -> Problem {
        let claims = crate::lang::parse_source(std::path::Path::new("t.stab"), src).unwrap();
        Problem::new(&claims[0])
    }

    fn cert(src: &str) -> Option<SosCert> {
        prove(&problem(src), 0, None)
    }

    /// `m - eps - Σ blocks` expanded: zero for a valid certificate.
    fn residual(p: &Problem, c: &SosCert) -> Poly {
        let n = p.dim();
        let factor = |f: &Factor| match *f {
            Factor::Hyp(k) => p.hyps[k].poly().unwrap().clone(),
            Factor::Lo(i) => Poly::var(n, i).add(&Poly::constant(n, -p.axes[i].lo.clone())),
            Factor::Hi(i) => Poly::constant(n, p.axes[i].hi.clone()).add(&Poly::var(n, i).neg()),
        };
        let mut r = p.goals[0]
            .poly()
            .unwrap()
            .add(&Poly::constant(n, -c.eps.clone()));
        for b in &c.blocks {
            assert!(super::super::sos::psd(b.gram.clone()));
            let mut t = Poly::zero(n);
            for (i, u) in b.basis.iter().enumerate() {
                for (j, v) in b.basis.iter().enumerate() {
                    let e: Vec<u32> = u.iter().zip(v).map(|(a, b)| a + b).collect();
                    t = t.add(&Poly::monomial(e, b.gram[i][j].clone()));
                }
            }
            for f in &b.times {
                t = t.mul(&factor(f));
            }
            r = r.add(&t.neg());
        }
        r
    }

    #[test]
    fn proves_where_corners_and_amgm() {
        for src in [
            "claim a: forall x in [0, 1], y in [0, 1] where x >= 0.5, y >= 0.5 => x*y >= 0.25",
            "claim a: forall x in [0, 1], y in [0, 1] where x + y >= 1.5 => x*y >= 0.5",
            "claim a: forall x in [0, 1], y in [0, 1], z in [0, 1] => x^3 + y^3 + z^3 - 3*x*y*z >= 0",
            "claim a: forall x in [0, 2], y in [0, 2], z in [0, 2] => (x + y + z)^3 >= 27*x*y*z",
            // AM-GM on x^2, y^2, z^2: squares of binomials (x^3 - x y^2, x y^2 - x z^2) alone.
            "claim a: forall x in [-1, 1], y in [-1, 1], z in [-1, 1] \
                => x^2*y^2*z^2 <= ((x^2 + y^2 + z^2)/3)^3",
        ] {
            let p = problem(src);
            let c = prove(&p, 0, None).unwrap_or_else(|| panic!("no certificate: {src}"));
            assert!(c.eps >= 0);
            assert!(residual(&p, &c).is_zero(), "{src}");
        }
        // Strict with slack: eps > 0, or a strict hypothesis's term.
        let c =
            cert("claim a: forall x in [0, 1], y in [0, 1] where x >= 0.5, y >= 0.5 => x*y > 0.2")
                .expect("slack");
        assert!(c.eps > 0);
        assert!(cert(
            "claim a: forall x in [0, 1], y in [0, 1] where x > 0.5, y >= 0.5 => x*y > 0.25"
        )
        .is_some());
    }

    #[test]
    fn finds_nothing_for_false_or_tight_strict_claims() {
        for src in [
            "claim a: forall x in [0, 1], y in [0, 1] where x >= 0.5, y >= 0.5 => x*y > 0.25",
            "claim a: forall x in [0, 1], y in [0, 1] where x + y >= 1.5 => x*y >= 0.51",
            "claim a: forall x in [0, 2], y in [0, 2], z in [0, 2] => (x + y + z)^3 >= 27.001*x*y*z",
            "claim a: forall x in [-1, 1], y in [-1, 1] => x*y >= 0",
        ] {
            assert!(cert(src).is_none(), "{src}");
        }
    }

    #[test]
    fn exact_simplex_solves_small_programmes() {
        let q = |v: i32| Rational::from(v);
        // x0 + x1 = 2, x0 - x1 = 0 → (1, 1); x0 + x1 = -1 has no x >= 0.
        let cols = vec![vec![(0, q(1)), (1, q(1))], vec![(0, q(1)), (1, q(-1))]];
        assert_eq!(
            simplex(&cols, &[q(2), q(0)], None, None),
            Some(vec![q(1), q(1)])
        );
        assert_eq!(simplex(&cols, &[q(-1), q(0)], None, None), None);
        // maximise x1 with x0 + x1 + x2 = 3 (x2 = slack): x1 = 3.
        let cols = vec![vec![(0, q(1))], vec![(0, q(1))], vec![(0, q(1))]];
        let x = simplex(&cols, &[q(3)], Some(1), None).unwrap();
        assert_eq!(x[1], q(3));
        // A redundant row (twice the same equation) is dropped.
        let cols = vec![vec![(0, q(1)), (1, q(2))], vec![(0, q(2)), (1, q(4))]];
        let x = simplex(&cols, &[q(4), q(8)], None, None).unwrap();
        assert_eq!(&x[0] + Rational::from(2 * &x[1]), 4);
    }
}
