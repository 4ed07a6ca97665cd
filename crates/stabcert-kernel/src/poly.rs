//! Exact polynomials over the rationals and their Bernstein coefficients over a box.

use super::expr::Expr;
use rug::ops::Pow;
use rug::{Integer, Rational};
use std::collections::BTreeMap;

/// Expansions past these sizes are declined (the margin then counts as no polynomial).
const MAX_TERMS: usize = 1 << 13;
const MAX_DEGREE: u32 = 64;
const MAX_DENSE: usize = 1 << 16;

/// A polynomial in `n` variables: exponent vectors to non-zero coefficients.
#[derive(Clone, Debug)]
pub struct Poly {
    n: usize,
    pub(crate) terms: BTreeMap<Vec<u32>, Rational>,
}

impl Poly {
    /// `c · y_i` (or the constant `c` when `i` is `None`).
    fn mono(n: usize, i: Option<usize>, c: Rational) -> Poly {
        let mut p = Poly {
            n,
            terms: BTreeMap::new(),
        };
        let e = (0..n).map(|k| u32::from(Some(k) == i)).collect();
        p.add_term(e, c);
        p
    }

    fn add_term(&mut self, e: Vec<u32>, c: Rational) {
        let slot = self.terms.entry(e.clone()).or_default();
        *slot += c;
        if *slot == 0 {
            self.terms.remove(&e);
        }
    }

    fn add(mut self, o: &Poly, sign: i32) -> Poly {
        for (e, c) in &o.terms {
            self.add_term(e.clone(), Rational::from(c * sign));
        }
        self
    }

    fn mul(&self, o: &Poly) -> Option<Poly> {
        let mut r = Poly::mono(self.n, None, Rational::new());
        for (e1, c1) in &self.terms {
            for (e2, c2) in &o.terms {
                let e = e1.iter().zip(e2).map(|(a, b)| a + b).collect();
                r.add_term(e, Rational::from(c1 * c2));
            }
        }
        let big = r.terms.len() > MAX_TERMS || r.degrees().iter().any(|d| *d > MAX_DEGREE);
        (!big).then_some(r)
    }

    fn pow(&self, k: u32) -> Option<Poly> {
        // Past this exponent only constants stay small: declined.
        let one = Poly::mono(self.n, None, Rational::from(1));
        (k <= 4 * MAX_DEGREE).then(|| (0..k).try_fold(one, |acc, _| acc.mul(self)))?
    }

    /// The exact expansion of `e` in `n` variables, if `e` is a polynomial: `sqrt`, `abs`,
    /// `min`, `max`, the transcendental functions, negative powers and division by a
    /// non-constant are not.
    pub fn from_expr(e: &Expr, n: usize) -> Option<Poly> {
        let p = |a: &Expr| Poly::from_expr(a, n);
        let zero = || Poly::mono(n, None, Rational::new());
        match e {
            Expr::Q(q) => Some(Poly::mono(n, None, q.0.clone())),
            Expr::Var(i) => Some(Poly::mono(n, Some(*i), Rational::from(1))),
            Expr::Neg(a) => Some(zero().add(&p(a)?, -1)),
            Expr::Add(a, b) => Some(p(a)?.add(&p(b)?, 1)),
            Expr::Sub(a, b) => Some(p(a)?.add(&p(b)?, -1)),
            Expr::Mul(a, b) => p(a)?.mul(&p(b)?),
            Expr::Div(a, b) => {
                // A divisor that expands to a non-zero constant is that constant everywhere.
                let d = p(b)?;
                let c = d.terms.get(&vec![0; n]).filter(|_| d.terms.len() == 1)?;
                p(a)?.mul(&Poly::mono(n, None, Rational::from(c.recip_ref())))
            }
            Expr::Pow(a, k) => p(a)?.pow(u32::try_from(*k).ok()?),
            _ => None,
        }
    }

    /// The expansion of `e` as `num / den`, every denominator of `e` kept as a factor of
    /// `den` (so `den != 0` at a point makes `e` defined there): `a/(p/q) = a q² / (p q)`,
    /// `(p/q)^-k = q^2k / (p^k q^k)`. `None` with `sqrt`, `abs`, `min`, `max`, the
    /// transcendental functions, or too large.
    pub fn fraction_from_expr(e: &Expr, n: usize) -> Option<(Poly, Poly)> {
        let f = |a: &Expr| Poly::fraction_from_expr(a, n);
        let one = || Poly::mono(n, None, Rational::from(1));
        Some(match e {
            Expr::Q(_) | Expr::Var(_) => (Poly::from_expr(e, n)?, one()),
            Expr::Neg(a) => {
                let (p, q) = f(a)?;
                (Poly::mono(n, None, Rational::new()).add(&p, -1), q)
            }
            Expr::Add(a, b) | Expr::Sub(a, b) => {
                let sign = if matches!(e, Expr::Sub(..)) { -1 } else { 1 };
                let ((p1, q1), (p2, q2)) = (f(a)?, f(b)?);
                (p1.mul(&q2)?.add(&p2.mul(&q1)?, sign), q1.mul(&q2)?)
            }
            Expr::Mul(a, b) => {
                let ((p1, q1), (p2, q2)) = (f(a)?, f(b)?);
                (p1.mul(&p2)?, q1.mul(&q2)?)
            }
            Expr::Div(a, b) => {
                let ((p1, q1), (p2, q2)) = (f(a)?, f(b)?);
                (p1.mul(&q2)?.mul(&q2)?, q1.mul(&p2)?.mul(&q2)?)
            }
            Expr::Pow(a, k) => {
                let (p, q) = f(a)?;
                let m = k.unsigned_abs();
                if *k == 0 {
                    // `a^0 = 1` is defined only where `a` is: keep `q` (as `q/q`).
                    (q.clone(), q)
                } else if *k > 0 {
                    (p.pow(m)?, q.pow(m)?)
                } else {
                    let qm = q.pow(m)?;
                    (qm.mul(&qm)?, p.pow(m)?.mul(&qm)?)
                }
            }
            _ => return None,
        })
    }

    /// The monomial `c · y^e` in `e.len()` variables (zero if `c` is).
    pub fn monomial(e: &[u32], c: Rational) -> Poly {
        let mut p = Poly::mono(e.len(), None, Rational::new());
        p.add_term(e.to_vec(), c);
        p
    }

    /// The difference.
    pub fn minus(self, o: &Poly) -> Poly {
        self.add(o, -1)
    }

    /// Whether every coefficient is zero.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The sum.
    pub fn plus(self, o: &Poly) -> Poly {
        self.add(o, 1)
    }

    /// The product, or `None` past the size limits.
    pub fn times(&self, o: &Poly) -> Option<Poly> {
        self.mul(o)
    }

    /// The highest exponent of each variable (zero terms are never stored).
    pub fn degrees(&self) -> Vec<u32> {
        let mut d = vec![0; self.n];
        for e in self.terms.keys() {
            d.iter_mut()
                .zip(e)
                .for_each(|(di, ei)| *di = (*di).max(*ei));
        }
        d
    }

    pub fn derivative(&self, i: usize) -> Poly {
        let mut r = Poly::mono(self.n, None, Rational::new());
        for (e, c) in self.terms.iter().filter(|(e, _)| e[i] > 0) {
            let mut e2 = e.clone();
            e2[i] -= 1;
            r.add_term(e2, Rational::from(c * e[i]));
        }
        r
    }

    pub fn eval(&self, x: &[Rational]) -> Rational {
        let term = |(e, c): (&Vec<u32>, &Rational)| {
            let pows = x.iter().zip(e).map(|(xi, ei)| Rational::from(xi.pow(*ei)));
            pows.fold(c.clone(), |acc, p| acc * p)
        };
        self.terms.iter().map(term).sum()
    }
}

/// Bernstein coefficients of a polynomial over a box, dense, last axis fastest.
///
/// With `y_i = lo_i + w_i t_i`, `p = Σ_α c_α Π_i C(d_i, α_i) t_i^α_i (1 - t_i)^(d_i - α_i)`;
/// the basis polynomials are `>= 0` on `[0, 1]^n` and sum to 1, so `min c <= p <= max c`.
pub struct Bernstein {
    pub degrees: Vec<u32>,
    pub coeffs: Vec<Rational>,
}

fn binom(n: u32, k: u32) -> Integer {
    Integer::from(Integer::binomial_u(n, k))
}

/// `y^k` in the degree-`d` Bernstein basis of `[a, a + w]`:
/// `(a + w t)^k = Σ_m C(k, m) a^(k-m) w^m t^m` and `t^m = Σ_{j >= m} C(j, m)/C(d, m) B_j(t)`.
pub(crate) fn monomial(k: u32, d: u32, a: &Rational, w: &Rational) -> Vec<Rational> {
    let coeff = |j: u32, m: u32| {
        let c = Rational::from(a.pow(k - m)) * Rational::from(w.pow(m)) * binom(k, m);
        c * Rational::from((binom(j, m), binom(d, m)))
    };
    (0..=d)
        .map(|j| (0..=j.min(k)).map(|m| coeff(j, m)).sum())
        .collect()
}

impl Bernstein {
    /// Expands `p` over `[lo, hi]` (`lo <= hi`), or `None` past the size limit.
    ///
    /// `y^e = Π_i y_i^(e_i)` and each `y_i^k = Σ_j M_i[k][j] B_j(t_i)` (`monomial`), so the
    /// coefficients are `c_α = Σ_e p_e Π_i M_i[e_i][α_i]`: the dense array of `p`'s
    /// coefficients with the matrix `M_i` applied along each axis in turn (exact sums, so in
    /// any order), `Σ_i size · (d_i + 1)` products instead of `size · n` per term.
    pub fn new(p: &Poly, lo: &[Rational], hi: &[Rational]) -> Option<Bernstein> {
        let degrees = p.degrees();
        let size = degrees
            .iter()
            .try_fold(1usize, |s, d| s.checked_mul(*d as usize + 1));
        let mut b = Bernstein {
            coeffs: vec![Rational::new(); size.filter(|s| *s <= MAX_DENSE)?],
            degrees,
        };
        for (e, c) in &p.terms {
            let k = b.offset(e);
            b.coeffs[k] += c;
        }
        // Axis i has stride Π_{l > i} (d_l + 1) (last axis fastest).
        let mut stride = b.coeffs.len();
        for i in 0..p.n {
            let len = b.degrees[i] as usize + 1;
            stride /= len;
            let w = Rational::from(&hi[i] - &lo[i]);
            let m: Vec<Vec<Rational>> = (0..len as u32)
                .map(|k| monomial(k, b.degrees[i], &lo[i], &w))
                .collect();
            let mut out = vec![Rational::new(); b.coeffs.len()];
            for outer in (0..b.coeffs.len()).step_by(len * stride) {
                for base in outer..outer + stride {
                    for (k, row) in m.iter().enumerate() {
                        let c = &b.coeffs[base + k * stride];
                        if *c == 0 {
                            continue;
                        }
                        for (j, mkj) in row.iter().enumerate() {
                            out[base + j * stride] += Rational::from(c * mkj);
                        }
                    }
                }
            }
            b.coeffs = out;
        }
        Some(b)
    }

    /// The position of multi-index `alpha` (the inverse of `index`).
    fn offset(&self, alpha: &[u32]) -> usize {
        let axes = self.degrees.iter().zip(alpha);
        axes.fold(0, |k, (d, a)| k * (*d as usize + 1) + *a as usize)
    }

    /// The multi-index of the `k`-th coefficient.
    pub fn index(&self, mut k: usize) -> Vec<u32> {
        let mut alpha = vec![0; self.degrees.len()];
        for i in (0..self.degrees.len()).rev() {
            let len = self.degrees[i] as usize + 1;
            (alpha[i], k) = ((k % len) as u32, k / len);
        }
        alpha
    }

    /// `(min, max)` of the coefficients: bounds of the polynomial over the box.
    pub fn range(&self) -> (Rational, Rational) {
        let min = self.coeffs.iter().min().cloned().unwrap_or_default();
        (min, self.coeffs.iter().max().cloned().unwrap_or_default())
    }

    /// With all coefficients `>= 0`, `p > 0` at a point iff some `c_α > 0` has `B_α > 0`
    /// there. `B_α` vanishes at `t_i = 0` unless `α_i = 0` and at `t_i = 1` unless
    /// `α_i = d_i`; so each kind of point (per axis 0 interior, 1 at an included lower end,
    /// 2 at an included upper end) needs a positive coefficient whose index fits. Returns
    /// the first kind without one.
    pub fn uncovered_kind(&self, lo_in: &[bool], hi_in: &[bool]) -> Option<Vec<u8>> {
        let positive: Vec<Vec<u32>> = (0..self.coeffs.len())
            .filter(|k| self.coeffs[*k] > 0)
            .map(|k| self.index(k))
            .collect();
        let fits = |alpha: &Vec<u32>, kind: &[u8]| {
            let mut axes = kind.iter().zip(alpha).zip(&self.degrees);
            axes.all(|((k, a), d)| *k == 0 || (*k == 1 && *a == 0) || (*k == 2 && a == d))
        };
        let mut kind = vec![0u8; self.degrees.len()];
        'kinds: loop {
            if !positive.iter().any(|a| fits(a, &kind)) {
                return Some(kind);
            }
            // The next kind, counting in base 3 over the allowed digits.
            for i in 0..kind.len() {
                kind[i] += if kind[i] == 0 && !lo_in[i] { 2 } else { 1 };
                if kind[i] == 2 && !hi_in[i] {
                    kind[i] = 3;
                }
                if kind[i] < 3 {
                    continue 'kinds;
                }
                kind[i] = 0;
            }
            return None;
        }
    }
}
