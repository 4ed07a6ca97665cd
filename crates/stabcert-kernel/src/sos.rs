//! `sos` leaves: the margin written as a sum of squares, plus squares times factors that are
//! non-negative on the box (`docs/certificates.md`, "sos").
//!
//! The certificate gives `eps` and blocks `(times, basis, gram)`. With `z` the vector of the
//! basis monomials and `g` the product of the factors (`y_i - lo_i`, `hi_i - y_i` of the
//! leaf's box, or a hypothesis's margin `h_k`, all `>= 0` at every point of the box where
//! the hypotheses hold), the kernel checks, in exact rationals:
//!
//! 1. every Gram matrix `Q` is square, symmetric and positive semi-definite (`LDL^T` with
//!    exact pivots: a zero pivot needs a zero row), so `z^T Q z >= 0` everywhere;
//! 2. `margin - eps = Σ g · z^T Q z` as polynomials (expanded and compared term by term);
//! 3. `eps >= 0`, and where the leaf must show `margin > 0`: `eps > 0`, or some block is a
//!    positive constant (basis the monomial 1, `Q > 0`) times factors that are each `> 0` at
//!    every point of the domain (a strict hypothesis, the side of an excluded end).
//!
//! Then `margin >= eps` at every point of the box where the hypotheses hold (and `> 0` with
//! such a block: it is `> 0`, the others `>= 0`).

// Matrices are indexed in step with their basis monomials.
#![allow(clippy::needless_range_loop)]

use super::expr::{bin, Expr, Num};
use super::poly::Poly;
use super::Check;
use rug::Rational;
use serde::Deserialize;

/// A factor of a block's multiplier.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Factor {
    /// The margin of hypothesis `k` (hidden ones first).
    Hyp(usize),
    /// `y_i - lo_i` on the leaf's box.
    Lo(usize),
    /// `hi_i - y_i` on the leaf's box.
    Hi(usize),
}

/// One term `g · z^T Q z` of the identity.
#[derive(Debug, Deserialize)]
pub struct Block {
    /// The factors whose product is `g` (none: `g = 1`).
    pub times: Vec<Factor>,
    /// The monomials of `z`, as exponent vectors.
    pub basis: Vec<Vec<u32>>,
    /// `Q`, row by row.
    pub gram: Vec<Vec<Num>>,
}

type Fail = (Check, String);

/// Largest Gram matrix and most blocks accepted.
const MAX_BASIS: usize = 128;
const MAX_BLOCKS: usize = 256;

/// Whether the symmetric matrix `a` is positive semi-definite: exact `LDL^T`.
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
            for j in k + 1..n {
                let d = Rational::from(&f * &a[k][j]);
                a[i][j] -= d;
            }
        }
    }
    true
}

/// Checks `margin - eps = Σ g · z^T Q z` with every `Q` PSD; `hyp(k)` is hypothesis `k`'s
/// margin as a polynomial (`None`: none or not a polynomial).
/// `positive(f)` says whether factor `f` is `> 0` at every point of the domain in the box.
pub fn check(
    margin: &Poly,
    eps: &Rational,
    strict: bool,
    blocks: &[Block],
    (lo, hi): (&[Rational], &[Rational]),
    hyp: &dyn Fn(usize) -> Option<Poly>,
    positive: &dyn Fn(&Factor) -> bool,
) -> Result<(), Fail> {
    let n = lo.len();
    let bad = |c: Check, s: String| Err((c, s));
    let constant = |b: &Block| b.basis.len() == 1 && b.basis[0].iter().all(|d| *d == 0);
    let positive_block = |b: &Block| {
        constant(b)
            && b.gram
                .first()
                .and_then(|r| r.first())
                .is_some_and(|q| q.0 > 0)
    };
    let strict_block = blocks
        .iter()
        .any(|b| positive_block(b) && b.times.iter().all(positive));
    if *eps < 0 || (strict && *eps == 0 && !strict_block) {
        return bad(
            Check::NotPositive,
            format!("sos: eps {eps} is not > 0 (>= 0 if not strict)"),
        );
    }
    if blocks.len() > MAX_BLOCKS {
        return bad(Check::NotPolynomial, "sos: too many blocks".into());
    }
    let too_large = || {
        (
            Check::NotPolynomial,
            "sos: the identity is too large".to_string(),
        )
    };
    let mut rest = margin
        .clone()
        .plus(&Poly::monomial(&vec![0; n], Rational::from(-eps)));
    for (b, block) in blocks.iter().enumerate() {
        let k = block.basis.len();
        let square = block.gram.len() == k && block.gram.iter().all(|r| r.len() == k);
        let shaped = block
            .basis
            .iter()
            .all(|e| e.len() == n && e.iter().all(|d| *d <= 32));
        if !square || !shaped || k > MAX_BASIS {
            return bad(
                Check::NotPsd,
                format!("sos block {b}: malformed basis or Gram matrix"),
            );
        }
        let q: Vec<Vec<Rational>> = block
            .gram
            .iter()
            .map(|r| r.iter().map(|x| x.0.clone()).collect())
            .collect();
        let symmetric = (0..k).all(|i| (0..i).all(|j| q[i][j] == q[j][i]));
        if !symmetric || !psd(q.clone()) {
            return bad(
                Check::NotPsd,
                format!("sos block {b}: the Gram matrix is not PSD"),
            );
        }
        let mut g = Poly::monomial(&vec![0; n], Rational::from(1));
        for f in &block.times {
            let factor = match *f {
                Factor::Hyp(h) => hyp(h),
                Factor::Lo(i) if i < n => {
                    Poly::from_expr(&bin(Expr::Sub, Expr::Var(i), q_of(&lo[i])), n)
                }
                Factor::Hi(i) if i < n => {
                    Poly::from_expr(&bin(Expr::Sub, q_of(&hi[i]), Expr::Var(i)), n)
                }
                _ => None,
            };
            let Some(factor) = factor else {
                return bad(
                    Check::NotPolynomial,
                    format!("sos block {b}: factor {f:?} is not a polynomial"),
                );
            };
            g = g.times(&factor).ok_or_else(too_large)?;
        }
        let mut square_form = Poly::monomial(&vec![0; n], Rational::new());
        for i in 0..k {
            for j in 0..k {
                let e: Vec<u32> = (0..n)
                    .map(|v| block.basis[i][v] + block.basis[j][v])
                    .collect();
                square_form = square_form.plus(&Poly::monomial(&e, q[i][j].clone()));
            }
        }
        let term = g.times(&square_form).ok_or_else(too_large)?;
        rest = rest.minus(&term);
    }
    if !rest.is_zero() {
        return bad(
            Check::NotSos,
            "sos: margin - eps differs from the sum of the blocks".into(),
        );
    }
    Ok(())
}

fn q_of(x: &Rational) -> Expr {
    Expr::Q(Num(x.clone()))
}
