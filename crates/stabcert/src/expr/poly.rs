//! Exact multivariate polynomials over the rationals.
//!
//! Used to settle claims exactly where intervals cannot (margins that vanish on an excluded
//! face): a margin that is a polynomial is expanded here, then its Bernstein coefficients over
//! a box are computed exactly (`prover::bernstein`).

use super::Expr;
use rug::ops::Pow;
use rug::Rational;
use std::collections::BTreeMap;

/// Limits beyond which a polynomial is not expanded (the prover then uses intervals only).
const MAX_TERMS: usize = 4096;
const MAX_DEGREE: u32 = 48;
/// Most products of terms one multiplication in an expansion may take: two factors of 512
/// terms. An expansion past it would take seconds only to exceed the size limits.
pub const MAX_PRODUCTS: usize = 1 << 18;

/// A polynomial in `nvars` variables: exponent vectors to non-zero rational coefficients.
#[derive(Clone, Debug, PartialEq)]
pub struct Poly {
    nvars: usize,
    terms: BTreeMap<Vec<u32>, Rational>,
}

impl Poly {
    /// The zero polynomial in `nvars` variables.
    pub fn zero(nvars: usize) -> Poly {
        Poly {
            nvars,
            terms: BTreeMap::new(),
        }
    }

    /// The constant `q` as a polynomial in `nvars` variables.
    pub fn constant(nvars: usize, q: Rational) -> Poly {
        let mut p = Poly::zero(nvars);
        if q != 0 {
            p.terms.insert(vec![0; nvars], q);
        }
        p
    }

    /// The variable `x_i` as a polynomial in `nvars` variables (`i < nvars`).
    pub fn var(nvars: usize, i: usize) -> Poly {
        let mut e = vec![0; nvars];
        e[i] = 1;
        let mut p = Poly::zero(nvars);
        p.terms.insert(e, Rational::from(1));
        p
    }

    /// The monomial `c · x^e` (zero if `c` is).
    pub fn monomial(e: Vec<u32>, c: Rational) -> Poly {
        let mut p = Poly::zero(e.len());
        if c != 0 {
            p.terms.insert(e, c);
        }
        p
    }

    /// The number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms, as (exponents, coefficient).
    pub fn terms(&self) -> impl Iterator<Item = (&Vec<u32>, &Rational)> {
        self.terms.iter()
    }

    /// The highest exponent of each variable.
    pub fn degrees(&self) -> Vec<u32> {
        let mut d = vec![0; self.nvars];
        for e in self.terms.keys() {
            for (di, ei) in d.iter_mut().zip(e) {
                *di = (*di).max(*ei);
            }
        }
        d
    }

    fn add_term(&mut self, e: Vec<u32>, c: Rational) {
        use std::collections::btree_map::Entry;
        match self.terms.entry(e) {
            Entry::Occupied(mut o) => {
                *o.get_mut() += c;
                if *o.get() == 0 {
                    o.remove();
                }
            }
            Entry::Vacant(v) => {
                if c != 0 {
                    v.insert(c);
                }
            }
        }
    }

    /// The sum, exact.
    pub fn add(&self, o: &Poly) -> Poly {
        let mut r = self.clone();
        for (e, c) in &o.terms {
            r.add_term(e.clone(), c.clone());
        }
        r
    }

    /// The negation, exact.
    pub fn neg(&self) -> Poly {
        let terms = self
            .terms
            .iter()
            .map(|(e, c)| (e.clone(), Rational::from(-c)))
            .collect();
        Poly {
            nvars: self.nvars,
            terms,
        }
    }

    /// `self * o`, or `None` if that takes more than [`MAX_PRODUCTS`] products of terms
    /// (the size limits are checked on results, so this bounds the work before it is done).
    pub fn mul_bounded(&self, o: &Poly) -> Option<Poly> {
        let work = self.terms.len().saturating_mul(o.terms.len());
        (work <= MAX_PRODUCTS).then(|| self.mul(o))
    }

    /// The product, exact (no size limit is applied).
    pub fn mul(&self, o: &Poly) -> Poly {
        let mut r = Poly::zero(self.nvars);
        for (e1, c1) in &self.terms {
            for (e2, c2) in &o.terms {
                let e: Vec<u32> = e1.iter().zip(e2).map(|(a, b)| a + b).collect();
                let slot = r.terms.entry(e).or_default();
                *slot += Rational::from(c1 * c2);
            }
        }
        r.terms.retain(|_, v| *v != 0);
        r
    }

    /// Past the size limits. The degree bound is checked through the total degree of the
    /// last term in the map's order (the highest power of the first variable) and, at the
    /// end of an expansion, in full; products and powers multiply term counts first.
    fn too_big(&self) -> bool {
        self.terms.len() > MAX_TERMS
            || self
                .terms
                .keys()
                .next_back()
                .is_some_and(|e| e.iter().sum::<u32>() > MAX_DEGREE * 4)
    }

    fn degree_too_big(&self) -> bool {
        self.degrees().iter().any(|d| *d > MAX_DEGREE)
    }

    /// `self^n` by repeated squaring, or `None` past the size limits.
    pub fn pow(&self, n: u32) -> Option<Poly> {
        let mut result = Poly::constant(self.nvars, Rational::from(1));
        let mut base = self.clone();
        let mut k = n;
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul_bounded(&base)?;
                if result.too_big() {
                    return None;
                }
            }
            k >>= 1;
            if k > 0 {
                base = base.mul_bounded(&base)?;
                if base.too_big() {
                    return None;
                }
            }
        }
        Some(result)
    }

    /// The constant value, if the polynomial is constant.
    pub fn as_constant(&self) -> Option<Rational> {
        match self.terms.len() {
            0 => Some(Rational::new()),
            1 => self.terms.get(&vec![0; self.nvars]).cloned(),
            _ => None,
        }
    }

    /// Expands `e` exactly, or `None` if it is not a polynomial (sqrt, abs, min, max,
    /// division by a non-constant, negative powers) or exceeds the size limits.
    pub fn from_expr(e: &Expr, nvars: usize) -> Option<Poly> {
        let p = Poly::expand(e, nvars)?;
        (!p.degree_too_big()).then_some(p)
    }

    fn expand(e: &Expr, nvars: usize) -> Option<Poly> {
        let p = |a: &Expr| Poly::expand(a, nvars);
        let r = match e {
            Expr::Const(q) => Poly::constant(nvars, q.clone()),
            Expr::Var(i) => Poly::var(nvars, *i),
            Expr::Neg(a) => p(a)?.neg(),
            Expr::Add(a, b) => p(a)?.add(&p(b)?),
            Expr::Sub(a, b) => p(a)?.add(&p(b)?.neg()),
            Expr::Mul(a, b) => p(a)?.mul_bounded(&p(b)?)?,
            Expr::Div(a, b) => {
                let d = p(b)?.as_constant()?;
                if d == 0 {
                    return None;
                }
                p(a)?.mul(&Poly::constant(nvars, d.recip()))
            }
            Expr::Pow(a, n) => {
                let n = u32::try_from(*n).ok()?;
                p(a)?.pow(n)?
            }
            Expr::Sqrt(_)
            | Expr::Abs(_)
            | Expr::Min(..)
            | Expr::Max(..)
            | Expr::Fun(..)
            | Expr::Atan2(..)
            | Expr::PowR(..)
            | Expr::Pi => return None,
        };
        (!r.too_big()).then_some(r)
    }

    /// The exact value at a rational point.
    pub fn eval(&self, x: &[Rational]) -> Rational {
        let mut sum = Rational::new();
        for (e, c) in &self.terms {
            let mut t = c.clone();
            for (xi, ei) in x.iter().zip(e) {
                if *ei > 0 {
                    t *= Rational::from(xi.pow(*ei));
                }
            }
            sum += t;
        }
        sum
    }
}

impl Poly {
    /// The partial derivative with respect to variable `i`.
    pub fn derivative(&self, i: usize) -> Poly {
        let mut r = Poly::zero(self.nvars);
        for (e, c) in &self.terms {
            if e[i] > 0 {
                let mut e2 = e.clone();
                e2[i] -= 1;
                r.add_term(e2, Rational::from(c * e[i]));
            }
        }
        r
    }
}

/// A rational function `num / den` with every denominator of the expression kept in `den`,
/// so that `den != 0` at a point implies the expression is defined there.
#[derive(Clone, Debug)]
pub struct RationalFn {
    /// The numerator.
    pub num: Poly,
    /// The denominator: the product of every denominator of the expression, so never cancelled.
    pub den: Poly,
}

impl RationalFn {
    /// Expands `e` (no `sqrt`, `abs`, `min`, `max`), or `None` past the size limits.
    pub fn from_expr(e: &Expr, nvars: usize) -> Option<RationalFn> {
        let r = RationalFn::expand(e, nvars)?;
        let small = |p: &Poly| !p.too_big() && !p.degree_too_big();
        (small(&r.num) && small(&r.den)).then_some(r)
    }

    fn poly(p: Poly) -> RationalFn {
        let n = p.nvars;
        RationalFn {
            num: p,
            den: Poly::constant(n, Rational::from(1)),
        }
    }

    fn expand(e: &Expr, n: usize) -> Option<RationalFn> {
        let r = |a: &Expr| RationalFn::expand(a, n);
        let out = match e {
            Expr::Const(q) => RationalFn::poly(Poly::constant(n, q.clone())),
            Expr::Var(i) => RationalFn::poly(Poly::var(n, *i)),
            Expr::Neg(a) => {
                let a = r(a)?;
                RationalFn {
                    num: a.num.neg(),
                    den: a.den,
                }
            }
            Expr::Add(a, b) | Expr::Sub(a, b) => {
                let (a, mut b) = (r(a)?, r(b)?);
                if matches!(e, Expr::Sub(..)) {
                    b.num = b.num.neg();
                }
                RationalFn {
                    num: a.num.mul_bounded(&b.den)?.add(&b.num.mul_bounded(&a.den)?),
                    den: a.den.mul_bounded(&b.den)?,
                }
            }
            Expr::Mul(a, b) => {
                let (a, b) = (r(a)?, r(b)?);
                RationalFn {
                    num: a.num.mul_bounded(&b.num)?,
                    den: a.den.mul_bounded(&b.den)?,
                }
            }
            // a / (p/q) = a q^2 / (p q): q stays a factor of the denominator.
            Expr::Div(a, b) => {
                let (a, b) = (r(a)?, r(b)?);
                let num = a.num.mul_bounded(&b.den)?.mul_bounded(&b.den)?;
                RationalFn {
                    num,
                    den: a.den.mul_bounded(&b.num)?.mul_bounded(&b.den)?,
                }
            }
            Expr::Pow(a, k) => {
                let a = r(a)?;
                let m = k.unsigned_abs();
                if *k == 0 {
                    // a^0 = 1 only where a is defined: keep a's denominator, as q/q.
                    RationalFn {
                        num: a.den.clone(),
                        den: a.den,
                    }
                } else if *k > 0 {
                    RationalFn {
                        num: a.num.pow(m)?,
                        den: a.den.pow(m)?,
                    }
                } else {
                    // (p/q)^-m = q^m q^m / (p^m q^m).
                    let qm = a.den.pow(m)?;
                    RationalFn {
                        num: qm.mul_bounded(&qm)?,
                        den: a.num.pow(m)?.mul_bounded(&qm)?,
                    }
                }
            }
            Expr::Sqrt(_)
            | Expr::Abs(_)
            | Expr::Min(..)
            | Expr::Max(..)
            | Expr::Fun(..)
            | Expr::Atan2(..)
            | Expr::PowR(..)
            | Expr::Pi => return None,
        };
        (!out.num.too_big() && !out.den.too_big()).then_some(out)
    }
}

impl Poly {
    /// The polynomial in `names`, terms by increasing degree: `1 + 12*e + 36*e^2`.
    pub fn display_with(&self, names: &[String]) -> String {
        if self.terms.is_empty() {
            return "0".into();
        }
        let mut terms: Vec<(&Vec<u32>, &Rational)> = self.terms.iter().collect();
        terms.sort_by_key(|(e, _)| e.iter().sum::<u32>());
        let mut out = String::new();
        for (k, (e, c)) in terms.into_iter().enumerate() {
            let monomial: Vec<String> = e
                .iter()
                .enumerate()
                .filter(|(_, p)| **p > 0)
                .map(|(i, p)| {
                    let v = names.get(i).cloned().unwrap_or_else(|| format!("x{i}"));
                    if *p == 1 {
                        v
                    } else {
                        format!("{v}^{p}")
                    }
                })
                .collect();
            let magnitude = Expr::Const(c.clone().abs()).display_with(names);
            let body = match (monomial.is_empty(), c.clone().abs() == 1) {
                (true, _) => magnitude,
                (false, true) => monomial.join("*"),
                (false, false) => format!("{magnitude}*{}", monomial.join("*")),
            };
            let sign = if *c < 0 { "-" } else { "+" };
            match (k, sign) {
                (0, "-") => out.push_str(&format!("-{body}")),
                (0, _) => out.push_str(&body),
                _ => out.push_str(&format!(" {sign} {body}")),
            }
        }
        out
    }
}
