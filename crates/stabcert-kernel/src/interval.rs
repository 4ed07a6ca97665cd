//! Exact rational intervals, possibly unbounded (derivative enclosures may be half-lines).
//!
//! Every operation returns the exact hull of the operation over its arguments; the only
//! rounding is in `sqrt`, outward. `None` from an operation means "possibly undefined
//! somewhere on the arguments".

use rug::ops::Pow;
use rug::{Integer, Rational};
use std::fmt;

/// An interval end. The derived order is that of the extended reals, since variants compare
/// by position first: `NegInf < Fin(q) < PosInf`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ext {
    NegInf,
    Fin(Rational),
    PosInf,
}
use Ext::*;

/// Powers whose result would exceed this many bits are declined (treated as undefined).
const MAX_POW_BITS: u64 = 1 << 22;

pub fn zero() -> Ext {
    Fin(Rational::new())
}

/// The interval `[lo, hi]` (`lo <= hi`, `lo` not `+inf`, `hi` not `-inf`).
pub fn iv(lo: Ext, hi: Ext) -> Iv {
    Iv { lo, hi }
}

impl Ext {
    fn neg(&self) -> Ext {
        match self {
            NegInf => PosInf,
            PosInf => NegInf,
            Fin(q) => Fin(Rational::from(-q)),
        }
    }

    /// Sum of two lower ends (`up` false) or two upper ends: an infinite summand there is
    /// `-inf` (resp. `+inf`), and so is the sum.
    fn add(&self, o: &Ext, up: bool) -> Ext {
        match (self, o, up) {
            (Fin(a), Fin(b), _) => Fin(Rational::from(a + b)),
            (.., true) => PosInf,
            _ => NegInf,
        }
    }

    /// Product with `0 · ∞ = 0`: the hull of the four end products of two intervals of
    /// reals is then the hull of all products (the rule of IEEE 1788).
    fn mul(&self, o: &Ext) -> Ext {
        match (self, o) {
            (Fin(a), Fin(b)) => Fin(Rational::from(a * b)),
            _ if *self == zero() || *o == zero() => zero(),
            _ if (*self > zero()) == (*o > zero()) => PosInf,
            _ => NegInf,
        }
    }

    /// `1/q`, and `1/±∞ = 0` (only used on intervals that exclude 0).
    fn recip(&self) -> Ext {
        match self {
            Fin(q) => Fin(Rational::from(q.recip_ref())),
            _ => zero(),
        }
    }
}

impl fmt::Display for Ext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NegInf => write!(f, "-inf"),
            PosInf => write!(f, "+inf"),
            Fin(q) => write!(f, "{q}"),
        }
    }
}

/// A non-empty interval `[lo, hi]` of extended rationals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iv {
    pub lo: Ext,
    pub hi: Ext,
}

impl fmt::Display for Iv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.lo, self.hi)
    }
}

impl Iv {
    pub fn new(lo: Rational, hi: Rational) -> Iv {
        iv(Fin(lo), Fin(hi))
    }

    pub fn point(q: impl Into<Rational>) -> Iv {
        let q = q.into();
        Iv::new(q.clone(), q)
    }

    pub fn entire() -> Iv {
        iv(NegInf, PosInf)
    }

    pub fn contains_zero(&self) -> bool {
        self.lo <= zero() && self.hi >= zero()
    }

    /// Every value is `> 0` (`>= 0` when not `strict`).
    pub fn positive(&self, strict: bool) -> bool {
        self.lo > zero() || (!strict && self.lo >= zero())
    }

    /// Every value is `< 0` (`<= 0` when `strict`): a condition with this margin fails.
    pub fn fails(&self, strict: bool) -> bool {
        self.hi < zero() || (strict && self.hi <= zero())
    }

    pub fn neg(&self) -> Iv {
        iv(self.hi.neg(), self.lo.neg())
    }

    pub fn add(&self, o: &Iv) -> Iv {
        iv(self.lo.add(&o.lo, false), self.hi.add(&o.hi, true))
    }

    pub fn sub(&self, o: &Iv) -> Iv {
        self.add(&o.neg())
    }

    pub fn mul(&self, o: &Iv) -> Iv {
        let (a, b) = (&self.lo, &self.hi);
        let p = [a.mul(&o.lo), a.mul(&o.hi), b.mul(&o.lo), b.mul(&o.hi)];
        let (lo, hi) = (p.iter().min().cloned(), p.iter().max().cloned());
        iv(lo.unwrap_or(NegInf), hi.unwrap_or(PosInf))
    }

    /// `1/x`, defined where the interval excludes 0; decreasing there, so the ends swap.
    pub fn recip(&self) -> Option<Iv> {
        (!self.contains_zero()).then(|| iv(self.hi.recip(), self.lo.recip()))
    }

    pub fn div(&self, o: &Iv) -> Option<Iv> {
        Some(self.mul(&o.recip()?))
    }

    /// The common part of two intervals, `None` if they are disjoint.
    pub fn meet(&self, o: &Iv) -> Option<Iv> {
        let (lo, hi) = (
            self.lo.clone().max(o.lo.clone()),
            self.hi.clone().min(o.hi.clone()),
        );
        (lo <= hi).then(|| iv(lo, hi))
    }

    pub fn hull(&self, o: &Iv) -> Iv {
        iv(
            self.lo.clone().min(o.lo.clone()),
            self.hi.clone().max(o.hi.clone()),
        )
    }

    /// `min`/`max` of two intervals: both are increasing in each argument, so end-wise.
    pub fn endwise(&self, o: &Iv, f: fn(Ext, Ext) -> Ext) -> Iv {
        iv(
            f(self.lo.clone(), o.lo.clone()),
            f(self.hi.clone(), o.hi.clone()),
        )
    }

    pub fn abs(&self) -> Iv {
        if self.lo >= zero() {
            self.clone()
        } else if self.hi <= zero() {
            self.neg()
        } else {
            iv(zero(), self.lo.neg().max(self.hi.clone()))
        }
    }

    /// `x^n`; a negative `n` needs `x` to exclude 0 (`x^-k = (1/x)^k`).
    pub fn pow(&self, n: i32) -> Option<Iv> {
        let x = if n < 0 { self.recip()? } else { self.clone() };
        let k = n.unsigned_abs();
        let (Fin(lo), Fin(hi)) = (&x.lo, &x.hi) else {
            return Some(if k == 0 { Iv::point(1) } else { Iv::entire() });
        };
        let bits = |q: &Rational| {
            q.numer()
                .significant_bits()
                .max(q.denom().significant_bits())
        };
        if u64::from(bits(lo).max(bits(hi))) * u64::from(k) > MAX_POW_BITS {
            return None;
        }
        let p = |q: Rational| q.pow(k);
        let (a, b) = (Rational::from(lo.abs_ref()), Rational::from(hi.abs_ref()));
        Some(if k % 2 == 1 {
            // Odd powers are increasing.
            Iv::new(p(lo.clone()), p(hi.clone()))
        } else if x.contains_zero() {
            // Even powers are |x|^k: least at 0, greatest at the end farthest from 0.
            Iv::new(p(Rational::new()), p(a.max(b)))
        } else {
            Iv::new(p(a.clone().min(b.clone())), p(a.max(b)))
        })
    }

    /// `sqrt(x)`, defined where `x >= 0` on all of the interval; increasing, so the ends
    /// map to the ends, rounded outward to `prec` bits. With `prec` 0, only exact squares.
    pub fn sqrt(&self, prec: u32) -> Option<Iv> {
        let (Fin(lo), Fin(hi)) = (&self.lo, &self.hi) else {
            return None;
        };
        if *lo < 0 {
            return None;
        }
        let ((a, a_up), (b_down, b)) = (sqrt_bounds(lo, prec), sqrt_bounds(hi, prec));
        (prec > 0 || (a == a_up && b == b_down)).then(|| Iv::new(a, b))
    }
}

/// Rationals `(down, up)` with `down <= sqrt(q) <= up` for `q >= 0`, equal when `q` is an
/// exact square.
///
/// `sqrt(n/d) = sqrt(n d 4^p) / (d 2^p)`, and the integer square root `r` of `n d 4^p` has
/// `r <= sqrt(n d 4^p) < r + 1`: relative width at most `2^-p` (as `n d >= 1`, or `q = 0`).
pub fn sqrt_bounds(q: &Rational, prec: u32) -> (Rational, Rational) {
    let scaled = Integer::from(q.numer() * q.denom()) << (2 * prec);
    let r = Integer::from(scaled.sqrt_ref());
    let den = Integer::from(q.denom() << prec);
    let exact = Integer::from(r.square_ref()) == scaled;
    let up = Integer::from(&r + u8::from(!exact));
    (Rational::from((r, den.clone())), Rational::from((up, den)))
}
