//! The kernel's own expressions (as certificates spell them) and their enclosures over a
//! box: values with definedness, and forward-mode derivative enclosures.

use super::interval::{iv, zero, Ext, Iv};
use super::trans::{self, Fun};
use rug::Rational;
use serde::Deserialize;

/// An exact rational written `"p/q"` or `"n"`.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(try_from = "String")]
pub struct Num(pub Rational);

impl std::fmt::Debug for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<String> for Num {
    type Error = String;

    fn try_from(s: String) -> Result<Num, String> {
        let e = |e| format!("`{s}` is not an exact rational ({e})");
        s.parse::<Rational>().map(Num).map_err(e)
    }
}

/// An expression tree: `{"q": "1/2"}`, `{"var": 0}`, `{"add": [A, B]}`, `{"pow": [E, 2]}`,
/// `{"exp": E}`, `{"atan2": [Y, X]}`, `{"powr": [X, Y]}` (`X^Y`, `X > 0`), `"pi"`...
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expr {
    Q(Num),
    Var(usize),
    Neg(Box<Expr>),
    Sqrt(Box<Expr>),
    Abs(Box<Expr>),
    Pow(Box<Expr>, i32),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Min(Box<Expr>, Box<Expr>),
    Max(Box<Expr>, Box<Expr>),
    Exp(Box<Expr>),
    Log(Box<Expr>),
    Sin(Box<Expr>),
    Cos(Box<Expr>),
    Tan(Box<Expr>),
    Atan(Box<Expr>),
    Asin(Box<Expr>),
    Acos(Box<Expr>),
    Sinh(Box<Expr>),
    Cosh(Box<Expr>),
    Tanh(Box<Expr>),
    Atan2(Box<Expr>, Box<Expr>),
    Powr(Box<Expr>, Box<Expr>),
    Pi,
}
use Expr::*;

pub fn bin(f: fn(Box<Expr>, Box<Expr>) -> Expr, a: Expr, b: Expr) -> Expr {
    f(Box::new(a), Box::new(b))
}

impl Expr {
    /// The transcendental function of one argument this node applies, and the argument.
    pub(crate) fn fun(&self) -> Option<(Fun, &Expr)> {
        Some(match self {
            Exp(a) => (Fun::Exp, a),
            Log(a) => (Fun::Log, a),
            Sin(a) => (Fun::Sin, a),
            Cos(a) => (Fun::Cos, a),
            Tan(a) => (Fun::Tan, a),
            Atan(a) => (Fun::Atan, a),
            Asin(a) => (Fun::Asin, a),
            Acos(a) => (Fun::Acos, a),
            Sinh(a) => (Fun::Sinh, a),
            Cosh(a) => (Fun::Cosh, a),
            Tanh(a) => (Fun::Tanh, a),
            _ => return None,
        })
    }

    /// Whether every variable index is below `k`.
    pub fn vars_below(&self, k: usize) -> bool {
        if let Some((_, a)) = self.fun() {
            return a.vars_below(k);
        }
        match self {
            Q(_) | Pi => true,
            Var(i) => *i < k,
            Neg(a) | Sqrt(a) | Abs(a) | Pow(a, _) => a.vars_below(k),
            Add(a, b) | Sub(a, b) | Mul(a, b) | Div(a, b) | Min(a, b) | Max(a, b) => {
                a.vars_below(k) && b.vars_below(k)
            }
            Atan2(a, b) | Powr(a, b) => a.vars_below(k) && b.vars_below(k),
            _ => false,
        }
    }

    /// Replaces `Var(i)` by `xs[i]` (indices checked by [`Expr::vars_below`] beforehand).
    pub fn subst(&self, xs: &[Expr]) -> Expr {
        let s = |a: &Expr| Box::new(a.subst(xs));
        match self {
            Q(q) => Q(q.clone()),
            Var(i) => xs[*i].clone(),
            Neg(a) => Neg(s(a)),
            Sqrt(a) => Sqrt(s(a)),
            Abs(a) => Abs(s(a)),
            Pow(a, n) => Pow(s(a), *n),
            Add(a, b) => Add(s(a), s(b)),
            Sub(a, b) => Sub(s(a), s(b)),
            Mul(a, b) => Mul(s(a), s(b)),
            Div(a, b) => Div(s(a), s(b)),
            Min(a, b) => Min(s(a), s(b)),
            Max(a, b) => Max(s(a), s(b)),
            Exp(a) => Exp(s(a)),
            Log(a) => Log(s(a)),
            Sin(a) => Sin(s(a)),
            Cos(a) => Cos(s(a)),
            Tan(a) => Tan(s(a)),
            Atan(a) => Atan(s(a)),
            Asin(a) => Asin(s(a)),
            Acos(a) => Acos(s(a)),
            Sinh(a) => Sinh(s(a)),
            Cosh(a) => Cosh(s(a)),
            Tanh(a) => Tanh(s(a)),
            Atan2(a, b) => Atan2(s(a), s(b)),
            Powr(a, b) => Powr(s(a), s(b)),
            Pi => Pi,
        }
    }

    /// The exact value of a variable-free expression that is rational with `sqrt` only of
    /// exact squares; `None` if it has a variable, is undefined, or is not such a rational.
    pub fn exact(&self) -> Option<Rational> {
        // On points every operation is exact, and `sqrt` at precision 0 only takes squares.
        let v = enclose(self.vars_below(0).then_some(self)?, &[], 0)?;
        match (v.lo, v.hi) {
            (Ext::Fin(a), Ext::Fin(b)) if a == b => Some(a),
            _ => None,
        }
    }
}

/// Encloses `e` over the box `b`; `None` if it may be undefined somewhere on `b`.
pub fn enclose(e: &Expr, b: &[Iv], prec: u32) -> Option<Iv> {
    eval(e, b, 0, prec).map(|(v, _)| v)
}

/// A value enclosure and enclosures of the derivatives `∂/∂y_k`.
pub type Grad = (Iv, Vec<Iv>);

/// Encloses `e` over `b` and, for the first `nd` axes, its derivatives (forward mode);
/// `None` if `e` may be undefined on `b`.
///
/// Each value enclosure is the exact hull of the operation over its operands' enclosures,
/// so it contains every value `e` takes on `b`. A derivative enclosure contains the
/// derivative wherever it exists, and is `entire` where nothing better is known. At the kinks
/// of `abs`, `min`, `max` it contains the hull of the branches' derivatives (Clarke's
/// generalised gradient: the mean value theorem holds for these Lipschitz functions);
/// `sqrt(a)` with `a` touching 0 has one only along axes where `∂a` has a strict sign (then
/// each line along that axis meets `a = 0` at most once and the theorem holds piecewise).
///
/// With derivatives (`nd > 0`), every node's value enclosure is also met with its mean-value
/// form about the box's midpoint `c` (`centred`): the node is defined and its derivatives are
/// enclosed on the whole box as above, so by the mean value theorem, one axis after another,
/// its values lie in `value(c) + Σ ∂_k (B_k - c_k)`. The nodes above then see the tighter
/// enclosures (in six variables, gradients ten times narrower: `docs/kernel.md`).
pub fn eval(e: &Expr, b: &[Iv], nd: usize, prec: u32) -> Option<Grad> {
    if nd == 0 || nd != b.len() {
        return natural(e, b, nd, prec);
    }
    let mid = |x: &Iv| match (&x.lo, &x.hi) {
        (Ext::Fin(l), Ext::Fin(h)) => Some(Iv::point(Rational::from(l + h) / 2u32)),
        _ => None,
    };
    match b.iter().map(mid).collect::<Option<Vec<Iv>>>() {
        Some(c) => centred(e, b, &c, prec).map(|(g, _)| g),
        None => natural(e, b, nd, prec),
    }
}

/// [`eval`] with `e`'s enclosure at the centre `c` (`None` where none was found).
fn centred(e: &Expr, b: &[Iv], c: &[Iv], prec: u32) -> Option<(Grad, Option<Iv>)> {
    let nd = b.len();
    let ev = |a: &Expr| centred(a, b, c, prec);
    let at = |v: Option<Iv>| v.map(|v| (v, Vec::new()));
    let (mut node, at_c) = if let Some((f, a)) = e.fun() {
        let (g, ca) = ev(a)?;
        (fun(f, g, prec)?, at(ca).and_then(|x| fun(f, x, prec)))
    } else {
        match e {
            Neg(a) | Sqrt(a) | Abs(a) | Pow(a, _) => {
                let (g, ca) = ev(a)?;
                (unary(e, g, prec)?, at(ca).and_then(|x| unary(e, x, prec)))
            }
            Add(a, d) | Sub(a, d) | Mul(a, d) | Div(a, d) | Min(a, d) | Max(a, d) => {
                let ((ga, ca), (gd, cd)) = (ev(a)?, ev(d)?);
                let here = at(ca).zip(at(cd)).and_then(|(x, y)| binary(e, x, y));
                (binary(e, ga, gd)?, here)
            }
            Atan2(y, x) => {
                let ((gy, cy), (gx, cx)) = (ev(y)?, ev(x)?);
                let here = at(cy).zip(at(cx)).and_then(|(y, x)| atan2(y, x, prec));
                (atan2(gy, gx, prec)?, here)
            }
            // Constants, variables, pi, and `pow` (whose exponent rule re-evaluates `x`):
            // natural enclosures below.
            _ => (natural(e, b, nd, prec)?, natural(e, c, 0, prec)),
        }
    };
    let at_c = at_c.map(|(v, _)| v);
    if let Some(v) = &at_c {
        let form = (0..nd).fold(v.clone(), |s, k| s.add(&node.1[k].mul(&b[k].sub(&c[k]))));
        // Both enclose every value; they cannot be disjoint.
        node.0 = node.0.meet(&form)?;
    }
    Some((node, at_c))
}

/// [`eval`] without the centred forms: each node's natural enclosure.
fn natural(e: &Expr, b: &[Iv], nd: usize, prec: u32) -> Option<Grad> {
    let ev = |a: &Expr| natural(a, b, nd, prec);
    if let Some((f, a)) = e.fun() {
        return fun(f, ev(a)?, prec);
    }
    match e {
        Q(q) => Some((Iv::point(q.0.clone()), vec![Iv::point(0); nd])),
        Var(i) => {
            let unit = |k| Iv::point(u8::from(k == *i));
            Some((b[*i].clone(), (0..nd).map(unit).collect()))
        }
        Neg(a) | Sqrt(a) | Abs(a) | Pow(a, _) => unary(e, ev(a)?, prec),
        Add(a, c) | Sub(a, c) | Mul(a, c) | Div(a, c) | Min(a, c) | Max(a, c) => {
            binary(e, ev(a)?, ev(c)?)
        }
        Pi => Some((trans::pi(prec)?, vec![Iv::point(0); nd])),
        Atan2(y, x) => atan2(ev(y)?, ev(x)?, prec),
        Powr(x, y) => {
            // x^y = exp(y log x): the product rule between the two chain rules.
            let ((xv, gx), (y, gy)) = (ev(x)?, ev(y)?);
            let (l, gl) = fun(Fun::Log, (xv.clone(), gx), prec)?;
            let g = gy.iter().zip(&gl).map(|(p, q)| p.mul(&l).add(&y.mul(q)));
            let (v, d) = fun(Fun::Exp, (y.mul(&l), g.collect()), prec)?;
            // A constant integer exponent: exactly x^n (x > 0 here), as in `pow(2, 3) = 8`.
            match (&y.lo, &y.hi) {
                (Ext::Fin(n), Ext::Fin(m)) if n == m && *n.denom() == 1 => {
                    Some((xv.pow(n.numer().to_i32()?)?, d))
                }
                // A constant exponent c: (x^c)' = c x^(c-1) x', without the dependency of
                // x^c · c/x (both enclose the same derivative).
                (Ext::Fin(n), Ext::Fin(m)) if n == m => {
                    let c1 = Iv::point(Rational::from(n - 1u32));
                    let (p, _) = fun(Fun::Exp, (c1.mul(&l), Vec::new()), prec)?;
                    let k = y.mul(&p);
                    let gx = natural(x, b, nd, prec)?.1;
                    Some((v, gx.iter().map(|g| k.mul(g)).collect()))
                }
                _ => Some((v, d)),
            }
        }
        _ => None,
    }
}

/// A function of one argument with the chain rule: `f(a)' = f'(a) a'`.
fn fun(f: Fun, (x, g): Grad, prec: u32) -> Option<Grad> {
    let (v, k) = trans::apply(f, &x, prec, !g.is_empty())?;
    Some((v, g.iter().map(|ga| k.mul(ga)).collect()))
}

/// `atan2(y, x)` with `∂ = (x ∂y - y ∂x) / (x^2 + y^2)` where it is continuous on the box;
/// across its jump (the negative `x` axis) the mean value theorem fails, so `entire`.
fn atan2((y, gy): Grad, (x, gx): Grad, prec: u32) -> Option<Grad> {
    let (v, continuous) = trans::atan2(&y, &x, prec)?;
    let r = x.pow(2)?.add(&y.pow(2)?).recip()?;
    let d = |(p, q): (&Iv, &Iv)| match continuous {
        true => x.mul(p).sub(&y.mul(q)).mul(&r),
        false => Iv::entire(),
    };
    Some((v, gy.iter().zip(&gx).map(d).collect()))
}

fn unary(e: &Expr, (x, g): Grad, prec: u32) -> Option<Grad> {
    let d = |f: &dyn Fn(&Iv) -> Iv| g.iter().map(f).collect();
    Some(match e {
        Neg(_) => (x.neg(), d(&Iv::neg)),
        Abs(_) => {
            // The derivative of |a| is a' times the sign of a, or within ±a' at a = 0.
            let s = match (x.lo >= zero(), x.hi <= zero()) {
                (true, _) => Iv::point(1),
                (_, true) => Iv::point(-1),
                _ => Iv::new(Rational::from(-1), Rational::from(1)),
            };
            (x.abs(), d(&|ga| s.mul(ga)))
        }
        Pow(_, p) => {
            let dp = match *p {
                0 => Iv::point(0),
                p => Iv::point(p).mul(&x.pow(p.checked_sub(1)?)?),
            };
            (x.pow(*p)?, d(&|ga| dp.mul(ga)))
        }
        _ => {
            let r = x.sqrt(prec)?;
            (r.clone(), d(&|ga| sqrt_slope(&x, &r, ga)))
        }
    })
}

fn binary(e: &Expr, (x, g): Grad, (y, h): Grad) -> Option<Grad> {
    let d = |f: &dyn Fn(&Iv, &Iv) -> Iv| g.iter().zip(&h).map(|(p, q)| f(p, q)).collect();
    // Where one operand of min/max is the active one on all of the box, its derivative.
    let pick = |a_only: bool, c_only: bool| {
        move |p: &Iv, q: &Iv| match (a_only, c_only) {
            (true, _) => p.clone(),
            (_, true) => q.clone(),
            _ => p.hull(q),
        }
    };
    Some(match e {
        Add(..) => (x.add(&y), d(&|p, q| p.add(q))),
        Sub(..) => (x.sub(&y), d(&|p, q| p.sub(q))),
        Mul(..) => (x.mul(&y), d(&|p, q| p.mul(&y).add(&x.mul(q)))),
        Div(..) => {
            // (x/y)' = (x' - v y') / y with v = x/y, y excluding 0 on the box.
            let (v, r) = (x.div(&y)?, y.recip()?);
            (v.clone(), d(&|p, q| p.sub(&v.mul(q)).mul(&r)))
        }
        Min(..) => (x.endwise(&y, Ext::min), d(&pick(x.hi < y.lo, y.hi < x.lo))),
        _ => (x.endwise(&y, Ext::max), d(&pick(x.lo > y.hi, y.lo > x.hi))),
    })
}

/// `∂ sqrt(a)` from `∂a` (`ga`), with `x` enclosing `a` and `r` enclosing `sqrt(a)`.
fn sqrt_slope(x: &Iv, r: &Iv, ga: &Iv) -> Iv {
    let (two, strict_sign) = (Iv::point(2), ga.lo > zero() || ga.hi < zero());
    if x.lo > zero() {
        // 1/(2 sqrt a) lies in 1/(2 r), r excluding 0.
        two.mul(r).recip().map_or_else(Iv::entire, |k| ga.mul(&k))
    } else if x.hi > zero() && strict_sign {
        // Where a > 0: 1/(2 sqrt a) >= 1/(2 sqrt(sup a)) >= 1/(2 r.hi), unbounded above.
        let top = iv(r.hi.clone(), r.hi.clone());
        let k = two.mul(&top).recip().map(|k| iv(k.lo, Ext::PosInf));
        k.map_or_else(Iv::entire, |k| ga.mul(&k))
    } else {
        Iv::entire()
    }
}
