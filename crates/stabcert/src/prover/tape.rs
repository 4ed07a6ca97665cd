//! A compiled expression: a straight-line tape with shared sub-expressions, evaluated over
//! boxes with outward-rounded intervals (value, and value with gradient) and over f64 points
//! (for the search, never for a verdict).
//!
//! Soundness contract of the interval evaluators: for every point `x` of the box at which the
//! expression is defined, the exact real value lies in the returned interval; and when
//! `defined` is returned true, the expression is defined at every point of the box.
//! inari's bare operations silently restrict to the domain (`sqrt([-1, 4]) = [0, 2]`,
//! `x / [0, 0] = ∅`), so definedness is tracked here, beside the intervals.

use crate::expr::{Expr, Fun};
use inari::{DecInterval, Decoration, Interval};
use rug::Rational;
use std::collections::HashMap;

/// One instruction; operands are indices of earlier instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Op {
    Const(usize),
    Var(usize),
    Neg(usize),
    Add(usize, usize),
    Sub(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    Pow(usize, i32),
    Sqrt(usize),
    Abs(usize),
    Min(usize, usize),
    Max(usize, usize),
    Fun(Fun, usize),
    /// `atan2(y, x)`: operands `y`, then `x`.
    Atan2(usize, usize),
    PowR(usize, usize),
    Pi,
}

/// A compiled expression in `nvars` variables.
#[derive(Clone, Debug)]
pub struct Tape {
    ops: Vec<Op>,
    /// Each constant as an exact rational, its tightest f64 enclosure and its nearest f64.
    consts: Vec<(Rational, Interval, f64)>,
    nvars: usize,
}

/// The smallest interval with f64 ends that contains `q` (rounded outward).
pub fn enclose_rational(q: &Rational) -> Interval {
    use rug::float::Round;
    let lo = rug::Float::with_val_round(53, q, Round::Down).0;
    let hi = rug::Float::with_val_round(53, q, Round::Up).0;
    let lo = lo.to_f64_round(Round::Down);
    let hi = hi.to_f64_round(Round::Up);
    Interval::try_from((lo, hi)).unwrap_or(Interval::ENTIRE)
}

impl Tape {
    /// Compiles `e`, sharing identical sub-expressions.
    pub fn compile(e: &Expr, nvars: usize) -> Tape {
        let mut b = Builder::default();
        b.push_expr(e);
        Tape {
            ops: b.ops,
            consts: b.consts,
            nvars,
        }
    }

    /// Instructions on the tape: the cost of one evaluation.
    pub fn size(&self) -> usize {
        self.ops.len()
    }

    /// Encloses the expression over `bx`; the flag says it is defined on all of `bx`.
    pub fn eval_interval(&self, bx: &[Interval], scratch: &mut Vec<Interval>) -> (Interval, bool) {
        scratch.clear();
        let mut defined = true;
        for op in &self.ops {
            let v = |i: &usize| scratch[*i];
            let r = match op {
                Op::Const(k) => self.consts[*k].1,
                Op::Var(i) => bx[*i],
                Op::Neg(a) => -v(a),
                Op::Add(a, b) => v(a) + v(b),
                Op::Sub(a, b) => v(a) - v(b),
                Op::Mul(a, b) => v(a) * v(b),
                Op::Div(a, b) => {
                    let (x, ok) = div_checked(v(a), v(b));
                    defined &= ok;
                    x
                }
                Op::Pow(a, n) => {
                    let (x, ok) = pow_checked(v(a), *n);
                    defined &= ok;
                    x
                }
                Op::Sqrt(a) => {
                    let (x, ok) = sqrt_checked(v(a));
                    defined &= ok;
                    x
                }
                Op::Abs(a) => v(a).abs(),
                Op::Min(a, b) => v(a).min(v(b)),
                Op::Max(a, b) => v(a).max(v(b)),
                Op::Fun(f, a) => {
                    let (x, ok) = fun_checked(*f, v(a));
                    defined &= ok;
                    x
                }
                Op::Atan2(a, b) => {
                    let (x, ok, _) = atan2_checked(v(a), v(b));
                    defined &= ok;
                    x
                }
                Op::PowR(a, b) => {
                    let (x, ok) = powr_checked(v(a), v(b));
                    defined &= ok;
                    x
                }
                Op::Pi => Interval::PI,
            };
            defined &= !r.is_empty();
            scratch.push(if r.is_empty() { Interval::ENTIRE } else { r });
        }
        (*scratch.last().expect("non-empty tape"), defined)
    }

    /// Encloses the value and the gradient over `bx` (forward mode).
    ///
    /// `grad[i]` encloses `∂f/∂x_i` at every point of the box where it exists; it is
    /// `ENTIRE` where no useful enclosure is known (then no sign is read from it). Points where
    /// `f` is not differentiable are either covered by a generalised gradient (`abs`, `min`,
    /// `max`: Lipschitz, Clarke's gradient hull) or, for `sqrt(a)` with `a` touching 0, finitely
    /// many on each line parallel to axis `i` because `∂a/∂x_i` keeps a strict sign; the mean
    /// value theorem then still holds piecewise on such lines.
    pub fn eval_gradient(
        &self,
        bx: &[Interval],
        work: &mut GradWork,
    ) -> (Interval, Vec<Interval>, bool) {
        let n = self.nvars;
        work.val.clear();
        work.grad.clear();
        let mut defined = true;
        let zero = Interval::try_from((0.0, 0.0)).expect("0 is an interval");
        // Every node's value is also met with its mean-value form about the box's midpoint
        // (an enclosure of the exact one, as the kernel takes it): the node is defined and
        // its derivatives enclosed on the whole box, so its values lie in
        // `value(c) + Σ ∂_k (B_k - c_k)`; the nodes above then work from the tighter value.
        // On dReal's Flyspeck dihedral files this narrows gradients tenfold.
        work.mid.clear();
        work.mid.extend(bx.iter().map(|b| midpoint(*b)));
        work.offset.clear();
        work.offset
            .extend(bx.iter().zip(&work.mid).map(|(b, m)| *b - *m));
        let mut at_mid = std::mem::take(&mut work.at_mid);
        self.eval_interval(&work.mid, &mut at_mid);
        for (j, op) in self.ops.iter().enumerate() {
            let base = work.grad.len();
            let (mut val, ok) = self.grad_step(op, bx, n, zero, work);
            // An empty enclosure would read as "every sign at once": never let one through.
            for d in &mut work.grad[base..] {
                if d.is_empty() {
                    *d = Interval::ENTIRE;
                }
            }
            if ok && !val.is_empty() && at_mid.get(j).is_some_and(|v| !v.is_empty()) {
                let slopes = work.grad[base..].iter().zip(&work.offset);
                let form = slopes.fold(at_mid[j], |s, (g, d)| add0(s, mul0(*g, *d)));
                let both = val.intersection(form);
                if !both.is_empty() {
                    val = both;
                }
            }
            defined &= ok && !val.is_empty();
            work.val.push(if val.is_empty() {
                Interval::ENTIRE
            } else {
                val
            });
            debug_assert_eq!(work.grad.len(), base + n);
        }
        work.at_mid = at_mid;
        let last = self.ops.len() - 1;
        let g = work.grad[last * n..(last + 1) * n].to_vec();
        (work.val[last], g, defined)
    }

    fn grad_step(
        &self,
        op: &Op,
        bx: &[Interval],
        n: usize,
        zero: Interval,
        w: &mut GradWork,
    ) -> (Interval, bool) {
        let val = |i: usize, w: &GradWork| w.val[i];
        let gr = |i: usize, k: usize, w: &GradWork| w.grad[i * n + k];
        let mut ok = true;
        let v = match *op {
            Op::Const(k) => {
                w.grad.extend(std::iter::repeat_n(zero, n));
                self.consts[k].1
            }
            Op::Var(i) => {
                let one = Interval::try_from((1.0, 1.0)).expect("1 is an interval");
                w.grad
                    .extend((0..n).map(|k| if k == i { one } else { zero }));
                bx[i]
            }
            Op::Neg(a) => {
                for k in 0..n {
                    let d = -gr(a, k, w);
                    w.grad.push(d);
                }
                -val(a, w)
            }
            Op::Add(a, b) | Op::Sub(a, b) => {
                let sub = matches!(op, Op::Sub(..));
                for k in 0..n {
                    let (da, db) = (gr(a, k, w), gr(b, k, w));
                    let d = if is_zero(db) {
                        da
                    } else if sub {
                        da - db
                    } else {
                        add0(da, db)
                    };
                    w.grad.push(d);
                }
                if sub {
                    val(a, w) - val(b, w)
                } else {
                    val(a, w) + val(b, w)
                }
            }
            Op::Mul(a, b) => {
                let (x, y) = (val(a, w), val(b, w));
                for k in 0..n {
                    let d = add0(mul0(gr(a, k, w), y), mul0(x, gr(b, k, w)));
                    w.grad.push(d);
                }
                x * y
            }
            Op::Div(a, b) => {
                let (x, y) = (val(a, w), val(b, w));
                let (q, def) = div_checked(x, y);
                ok = def;
                // (x/y)' = (x' - q y') / y, with q = x/y enclosed over the same box.
                for k in 0..n {
                    let (da, db) = (gr(a, k, w), gr(b, k, w));
                    let d = if def && is_zero(da) && is_zero(db) {
                        zero
                    } else if def {
                        (da - q * db) / y
                    } else {
                        Interval::ENTIRE
                    };
                    w.grad.push(d);
                }
                q
            }
            Op::Pow(a, p) => {
                let x = val(a, w);
                let (r, def) = pow_checked(x, p);
                ok = def;
                let pf = Interval::try_from((p as f64, p as f64)).expect("exponent is finite");
                let dp = if p == 0 {
                    zero
                } else {
                    pf * pow_checked(x, p - 1).0
                };
                for k in 0..n {
                    let d = if def {
                        mul0(dp, gr(a, k, w))
                    } else {
                        Interval::ENTIRE
                    };
                    w.grad.push(d);
                }
                r
            }
            Op::Sqrt(a) => {
                let x = val(a, w);
                let (r, def) = sqrt_checked(x);
                ok = def;
                let two = Interval::try_from((2.0, 2.0)).expect("2 is an interval");
                for k in 0..n {
                    let da = gr(a, k, w);
                    let d = if !def || r.sup() <= 0.0 {
                        Interval::ENTIRE
                    } else if x.inf() > 0.0 {
                        da / (two * r)
                    } else if da.inf() > 0.0 || da.sup() < 0.0 {
                        // a touches 0 but is strictly monotone along x_k: where a > 0 the
                        // derivative is a'/(2 sqrt a) with 2 sqrt a in (0, 2 sqrt(sup a)].
                        let inv = Interval::try_from((1.0, f64::INFINITY)).expect("[1, inf]")
                            / (two * r.sup_interval());
                        da * inv
                    } else {
                        Interval::ENTIRE
                    };
                    w.grad.push(d);
                }
                r
            }
            Op::Abs(a) => {
                let x = val(a, w);
                let s = sign_hull(x);
                for k in 0..n {
                    let d = s * gr(a, k, w);
                    w.grad.push(d);
                }
                x.abs()
            }
            Op::Min(a, b) | Op::Max(a, b) => {
                let (x, y) = (val(a, w), val(b, w));
                let is_min = matches!(op, Op::Min(..));
                // Which operand is active; where both may be, Clarke's gradient is the hull.
                let (a_only, b_only) = if is_min {
                    (x.sup() < y.inf(), y.sup() < x.inf())
                } else {
                    (x.inf() > y.sup(), y.inf() > x.sup())
                };
                for k in 0..n {
                    let d = if a_only {
                        gr(a, k, w)
                    } else if b_only {
                        gr(b, k, w)
                    } else {
                        gr(a, k, w).convex_hull(gr(b, k, w))
                    };
                    w.grad.push(d);
                }
                if is_min {
                    x.min(y)
                } else {
                    x.max(y)
                }
            }
            Op::Fun(f, a) => {
                let x = val(a, w);
                let (r, def) = fun_checked(f, x);
                ok = def;
                // ENTIRE where the slope is unbounded (asin, acos at ±1): no sign read.
                let d = if def {
                    fun_slope(f, x, r)
                } else {
                    Interval::ENTIRE
                };
                for k in 0..n {
                    let dk = mul0(d, gr(a, k, w));
                    w.grad.push(dk);
                }
                r
            }
            Op::Atan2(a, b) => {
                let (y, x) = (val(a, w), val(b, w));
                let (r, def, continuous) = atan2_checked(y, x);
                ok = def;
                // (x y' - y x') / (x^2 + y^2), where atan2 is continuous on the box (the
                // origin is then outside it, so x^2 + y^2 > 0).
                let r2 = x.sqr() + y.sqr();
                for k in 0..n {
                    let d = if def && continuous && r2.inf() > 0.0 {
                        (x * gr(a, k, w) - y * gr(b, k, w)) / r2
                    } else {
                        Interval::ENTIRE
                    };
                    w.grad.push(d);
                }
                r
            }
            Op::PowR(a, b) => {
                let (x, y) = (val(a, w), val(b, w));
                let (r, def) = powr_checked(x, y);
                ok = def;
                // (x^y)' = x^y (y x' / x + log(x) y'), x > 0 on the box when defined (the
                // kernel's form: its slopes must not be wider than these).
                let l = x.ln();
                for k in 0..n {
                    let d = if def {
                        r * (y * gr(a, k, w) / x + l * gr(b, k, w))
                    } else {
                        Interval::ENTIRE
                    };
                    w.grad.push(d);
                }
                r
            }
            Op::Pi => {
                w.grad.extend(std::iter::repeat_n(zero, n));
                Interval::PI
            }
        };
        (v, ok)
    }

    /// Evaluates at an f64 point in round-to-nearest: a guide for the search, not a bound.
    pub fn eval_f64(&self, x: &[f64], scratch: &mut Vec<f64>) -> f64 {
        scratch.clear();
        for op in &self.ops {
            let v = |i: &usize| scratch[*i];
            let r = match op {
                Op::Const(k) => self.consts[*k].2,
                Op::Var(i) => x[*i],
                Op::Neg(a) => -v(a),
                Op::Add(a, b) => v(a) + v(b),
                Op::Sub(a, b) => v(a) - v(b),
                Op::Mul(a, b) => v(a) * v(b),
                Op::Div(a, b) => {
                    if v(b) == 0.0 {
                        f64::NAN
                    } else {
                        v(a) / v(b)
                    }
                }
                Op::Pow(a, n) => v(a).powi(*n),
                Op::Sqrt(a) => v(a).sqrt(),
                Op::Abs(a) => v(a).abs(),
                Op::Min(a, b) => v(a).min(v(b)),
                Op::Max(a, b) => v(a).max(v(b)),
                Op::Fun(f, a) => fun_f64(*f, v(a)),
                Op::Atan2(a, b) => {
                    if v(a) == 0.0 && v(b) == 0.0 {
                        f64::NAN
                    } else {
                        v(a).atan2(v(b))
                    }
                }
                Op::PowR(a, b) => {
                    if v(a) > 0.0 {
                        v(a).powf(v(b))
                    } else {
                        f64::NAN
                    }
                }
                Op::Pi => std::f64::consts::PI,
            };
            scratch.push(r);
        }
        *scratch.last().expect("non-empty tape")
    }
}

/// Scratch space for [`Tape::eval_gradient`].
#[derive(Default)]
pub struct GradWork {
    val: Vec<Interval>,
    grad: Vec<Interval>,
    /// The box's midpoint and every node's value there.
    mid: Vec<Interval>,
    at_mid: Vec<Interval>,
    /// The box less its midpoint, `B_k - c_k`, per coordinate.
    offset: Vec<Interval>,
}

// Forward-mode gradients are sparse (a node depends on few of the variables): the exact
// zeros are passed through without interval operations, with the results those operations
// give (`{0} * y = {0}` for every nonempty `y`, `{0} + y = y`).

fn is_zero(x: Interval) -> bool {
    x.inf() == 0.0 && x.sup() == 0.0
}

/// `x * y`, without the multiplication where one factor is `{0}` and the other nonempty.
fn mul0(x: Interval, y: Interval) -> Interval {
    if (is_zero(x) && !y.is_empty()) || (is_zero(y) && !x.is_empty()) {
        Interval::try_from((0.0, 0.0)).expect("0 is an interval")
    } else {
        x * y
    }
}

/// `x + y`, without the addition where one term is `{0}`.
fn add0(x: Interval, y: Interval) -> Interval {
    if is_zero(x) {
        y
    } else if is_zero(y) {
        x
    } else {
        x + y
    }
}

trait SupInterval {
    fn sup_interval(self) -> Interval;
}

impl SupInterval for Interval {
    /// The point interval at the upper end.
    fn sup_interval(self) -> Interval {
        Interval::try_from((self.sup(), self.sup())).unwrap_or(Interval::ENTIRE)
    }
}

/// The derivative hull of `abs` over `x`: its sign, or `[-1, 1]` where `x` may vanish.
fn sign_hull(x: Interval) -> Interval {
    let (lo, hi) = if x.inf() >= 0.0 {
        (1.0, 1.0)
    } else if x.sup() <= 0.0 {
        (-1.0, -1.0)
    } else {
        (-1.0, 1.0)
    };
    Interval::try_from((lo, hi)).expect("valid sign interval")
}

/// `x / y`, defined only where `y` excludes 0.
fn div_checked(x: Interval, y: Interval) -> (Interval, bool) {
    if y.contains(0.0) || y.is_empty() || x.is_empty() {
        (Interval::ENTIRE, false)
    } else {
        (x / y, true)
    }
}

/// `sqrt(x)`, defined only where `x >= 0` on the whole interval.
fn sqrt_checked(x: Interval) -> (Interval, bool) {
    if x.is_empty() || x.inf() < 0.0 {
        // inari would clip to the domain; a negative part means undefined points.
        let clipped = if x.sup() < 0.0 {
            Interval::ENTIRE
        } else {
            x.sqrt()
        };
        (clipped.convex_hull(Interval::ENTIRE), false)
    } else {
        (x.sqrt(), true)
    }
}

/// `x^n`, defined only where `x` excludes 0 when `n < 0`.
pub(super) fn pow_checked(x: Interval, n: i32) -> (Interval, bool) {
    if x.is_empty() {
        return (Interval::ENTIRE, false);
    }
    if n < 0 && x.contains(0.0) {
        return (Interval::ENTIRE, false);
    }
    (x.powi(n), true)
}

/// `f(x)`, defined only where every point of `x` is in `f`'s domain (inari's decoration
/// says so: `def` or better).
pub(super) fn fun_checked(f: Fun, x: Interval) -> (Interval, bool) {
    if x.is_empty() {
        return (Interval::ENTIRE, false);
    }
    let d = DecInterval::new(x);
    let r = match f {
        Fun::Exp => d.exp(),
        Fun::Log => d.ln(),
        Fun::Sin => d.sin(),
        Fun::Cos => d.cos(),
        Fun::Tan => d.tan(),
        Fun::Atan => d.atan(),
        Fun::Asin => d.asin(),
        Fun::Acos => d.acos(),
        Fun::Sinh => d.sinh(),
        Fun::Cosh => d.cosh(),
        Fun::Tanh => d.tanh(),
    };
    decorated(r)
}

/// The interval of a decorated result and whether it is defined on the whole input.
fn decorated(r: DecInterval) -> (Interval, bool) {
    match r.interval() {
        Some(v) if r.decoration() >= Decoration::Def && !v.is_empty() => (v, true),
        _ => (Interval::ENTIRE, false),
    }
}

/// `atan2(y, x)`, whether it is defined on the whole box (the origin outside it) and whether
/// it is continuous there (the box does not cross the negative `x` axis).
fn atan2_checked(y: Interval, x: Interval) -> (Interval, bool, bool) {
    if x.is_empty() || y.is_empty() {
        return (Interval::ENTIRE, false, false);
    }
    let r = DecInterval::new(y).atan2(DecInterval::new(x));
    let (v, defined) = decorated(r);
    (v, defined, defined && r.decoration() >= Decoration::Dac)
}

/// `pow(x, y)` for `x > 0` on the whole interval.
fn powr_checked(x: Interval, y: Interval) -> (Interval, bool) {
    if x.is_empty() || y.is_empty() || x.inf() <= 0.0 {
        return (Interval::ENTIRE, false);
    }
    decorated(DecInterval::new(x).pow(DecInterval::new(y)))
}

/// `f'` over `x`, where `r` encloses `f(x)` and `f` is defined on `x`; `ENTIRE` where it
/// is unbounded (`asin`, `acos` reaching ±1).
pub(super) fn fun_slope(f: Fun, x: Interval, r: Interval) -> Interval {
    let one = Interval::try_from((1.0, 1.0)).expect("1 is an interval");
    let asin = || {
        let d = one - x.sqr();
        if d.inf() > 0.0 {
            one / d.sqrt()
        } else {
            Interval::ENTIRE
        }
    };
    match f {
        Fun::Exp => r,
        Fun::Log => one / x,
        Fun::Sin => x.cos(),
        Fun::Cos => -x.sin(),
        Fun::Tan => one + r.sqr(),
        Fun::Atan => one / (one + x.sqr()),
        Fun::Asin => asin(),
        Fun::Acos => -asin(),
        Fun::Sinh => x.cosh(),
        Fun::Cosh => x.sinh(),
        Fun::Tanh => one - r.sqr(),
    }
}

/// `f(x)` in round-to-nearest, NaN outside the domain (a guide, never a bound).
pub(super) fn fun_f64(f: Fun, x: f64) -> f64 {
    match f {
        Fun::Exp => x.exp(),
        Fun::Log if x <= 0.0 => f64::NAN,
        Fun::Log => x.ln(),
        Fun::Sin => x.sin(),
        Fun::Cos => x.cos(),
        Fun::Tan => x.tan(),
        Fun::Atan => x.atan(),
        Fun::Asin => x.asin(),
        Fun::Acos => x.acos(),
        Fun::Sinh => x.sinh(),
        Fun::Cosh => x.cosh(),
        Fun::Tanh => x.tanh(),
    }
}

/// An enclosure of the exact midpoint of `b` (inside `b`: `inf + sup` rounded down is at
/// least `2 inf`, up at most `2 sup`).
pub(super) fn midpoint(b: Interval) -> Interval {
    let point = |v: f64| Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE);
    let half = Interval::try_from((0.5, 0.5)).expect("1/2 is an interval");
    (point(b.inf()) + point(b.sup())) * half
}

/// Builds a tape with hash-consing of identical instructions.
#[derive(Default)]
struct Builder {
    ops: Vec<Op>,
    consts: Vec<(Rational, Interval, f64)>,
    memo: HashMap<Op, usize>,
    const_index: HashMap<Rational, usize>,
}

impl Builder {
    fn push(&mut self, op: Op) -> usize {
        if let Some(&i) = self.memo.get(&op) {
            return i;
        }
        self.ops.push(op);
        self.memo.insert(op, self.ops.len() - 1);
        self.ops.len() - 1
    }

    fn push_const(&mut self, q: &Rational) -> usize {
        let k = match self.const_index.get(q) {
            Some(&k) => k,
            None => {
                self.consts
                    .push((q.clone(), enclose_rational(q), q.to_f64()));
                self.const_index.insert(q.clone(), self.consts.len() - 1);
                self.consts.len() - 1
            }
        };
        self.push(Op::Const(k))
    }

    fn push_expr(&mut self, e: &Expr) -> usize {
        if let Expr::Const(q) = e {
            return self.push_const(q);
        }
        let mut p = |x: &Expr| self.push_expr(x);
        let op = match e {
            Expr::Const(_) => unreachable!("handled above"),
            Expr::Var(i) => Op::Var(*i),
            Expr::Neg(a) => Op::Neg(p(a)),
            Expr::Add(a, b) => Op::Add(p(a), p(b)),
            Expr::Sub(a, b) => Op::Sub(p(a), p(b)),
            Expr::Mul(a, b) => Op::Mul(p(a), p(b)),
            Expr::Div(a, b) => Op::Div(p(a), p(b)),
            Expr::Pow(a, n) => Op::Pow(p(a), *n),
            Expr::Sqrt(a) => Op::Sqrt(p(a)),
            Expr::Abs(a) => Op::Abs(p(a)),
            Expr::Min(a, b) => Op::Min(p(a), p(b)),
            Expr::Max(a, b) => Op::Max(p(a), p(b)),
            Expr::Fun(f, a) => Op::Fun(*f, p(a)),
            Expr::Atan2(a, b) => Op::Atan2(p(a), p(b)),
            Expr::PowR(a, b) => Op::PowR(p(a), p(b)),
            Expr::Pi => Op::Pi,
        };
        self.push(op)
    }
}

#[cfg(test)]
mod tests {
    //! Soundness of the enclosures against exact evaluation at rational points.
    use super::*;
    use crate::expr::poly::Poly;
    use crate::prover::exact::{eval_rational, sign_at, ExactError, Sign};
    use proptest::prelude::*;
    use std::cmp::Ordering;

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0usize..2).prop_map(Expr::Var),
            (-40i32..40, 1u32..9).prop_map(|(n, d)| Expr::constant(Rational::from((n, d)))),
        ];
        leaf.prop_recursive(5, 40, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::add(a, b)),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::sub(a, b)),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::mul(a, b)),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Div(Box::new(a), Box::new(b))),
                (inner.clone(), -3i32..5).prop_map(|(a, n)| Expr::Pow(Box::new(a), n)),
                inner.clone().prop_map(|a| Expr::Sqrt(Box::new(a))),
                inner.clone().prop_map(|a| Expr::Abs(Box::new(a))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Min(Box::new(a), Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Expr::Max(Box::new(a), Box::new(b))),
            ]
        })
    }

    /// A box `[lo, lo + w]` per variable and a point in it, all exact f64 dyadics.
    fn arb_box_point() -> impl Strategy<Value = (Vec<(f64, f64)>, Vec<f64>)> {
        proptest::collection::vec((-3.0f64..3.0, 0.0f64..2.0, 0.0f64..=1.0), 2).prop_map(|v| {
            let bx: Vec<(f64, f64)> = v.iter().map(|(lo, w, _)| (*lo, lo + w)).collect();
            let pt = v
                .iter()
                .zip(&bx)
                .map(|((_, _, t), (a, b))| (a + t * (b - a)).clamp(*a, *b))
                .collect();
            (bx, pt)
        })
    }

    /// Whether `lo <= e(x) <= hi`, decided exactly (MPFR intervals through `sqrt`).
    fn inside(e: &Expr, x: &[Rational], iv: Interval) -> bool {
        let above = |bound: f64, want: Ordering| {
            if !bound.is_finite() {
                return true;
            }
            let d = Expr::sub(
                e.clone(),
                Expr::constant(Rational::from_f64(bound).unwrap()),
            );
            match sign_at(&d, x) {
                Sign::Is(o) => o == want || o == Ordering::Equal,
                Sign::Undefined | Sign::Unknown => true,
            }
        };
        above(iv.inf(), Ordering::Greater) && above(iv.sup(), Ordering::Less)
    }

    /// Whether `lo <= e(x) <= hi` for an MPFR interval, decided exactly.
    fn inside_ball(e: &Expr, x: &[Rational], b: &crate::mpfi::Ball) -> bool {
        let side = |bound: &rug::Float, want: Ordering| {
            // An infinite end encloses everything on its side.
            let Some(bound) = bound.to_rational() else {
                return true;
            };
            let d = Expr::sub(e.clone(), Expr::constant(bound));
            match sign_at(&d, x) {
                Sign::Is(o) => o == want || o == Ordering::Equal,
                Sign::Undefined | Sign::Unknown => true,
            }
        };
        side(&b.lo, Ordering::Greater) && side(&b.hi, Ordering::Less)
    }

    /// The box as MPFR intervals of a precision low enough that every rounding matters.
    fn balls(bx: &[(f64, f64)]) -> Vec<crate::mpfi::Ball> {
        bx.iter()
            .map(|(a, b)| {
                let (a, b) = (
                    Rational::from_f64(*a).unwrap(),
                    Rational::from_f64(*b).unwrap(),
                );
                crate::mpfi::Ball::of_ends(&a, &b, MPFI_PREC)
            })
            .collect()
    }

    const MPFI_PREC: u32 = 12;

    /// `x^2 - x` on `[0.375, 0.625]`: the gradient pass meets the natural enclosure
    /// `[0.140625 - 0.625, 0.390625 - 0.375]` with the mean-value form about 0.5,
    /// `-0.25 + [-0.25, 0.25] [-0.125, 0.125] = [-0.28125, -0.21875]`, which holds the true
    /// range `[-0.25, -0.234375]` (fails if the centred forms are dropped or a term of them is).
    #[test]
    fn gradient_pass_values_are_centred() {
        let x = Expr::Var(0);
        let e = Expr::Sub(Box::new(Expr::Pow(Box::new(x.clone()), 2)), Box::new(x));
        let tape = Tape::compile(&e, 1);
        let bx = [Interval::try_from((0.375, 0.625)).unwrap()];
        let (natural, _) = tape.eval_interval(&bx, &mut Vec::new());
        assert_eq!((natural.inf(), natural.sup()), (-0.484375, 0.015625));
        let (v, g, ok) = tape.eval_gradient(&bx, &mut GradWork::default());
        assert!(ok);
        assert_eq!((v.inf(), v.sup()), (-0.28125, -0.21875));
        assert_eq!((g[0].inf(), g[0].sup()), (-0.25, 0.25));
    }

    /// The shortcuts for exact zeros give what inari's operations give, on the intervals
    /// where that is least obvious (`{0} * ENTIRE = {0}`, products with the empty set).
    #[test]
    fn sparse_shortcuts_agree_with_interval_operations() {
        let iv = |a: f64, b: f64| Interval::try_from((a, b)).unwrap();
        let all = [
            iv(0.0, 0.0),
            iv(-0.0, 0.0),
            Interval::ENTIRE,
            Interval::EMPTY,
            iv(-1.0, 2.0),
            iv(0.0, 3.0),
            iv(f64::NEG_INFINITY, 0.0),
        ];
        for x in all {
            for y in all {
                let same = |a: Interval, b: Interval| a == b || (a.is_empty() && b.is_empty());
                assert!(same(mul0(x, y), x * y), "{x} * {y}");
                assert!(same(add0(x, y), x + y), "{x} + {y}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn mpfr_interval_encloses_exact_value(e in arb_expr(), (bx, pt) in arb_box_point()) {
            let r = crate::mpfi::eval(&e, &balls(&bx), MPFI_PREC);
            let x: Vec<Rational> = pt.iter().map(|v| Rational::from_f64(*v).unwrap()).collect();
            match (eval_rational(&e, &x), r) {
                (Err(ExactError::Undefined), r) => prop_assert!(r.is_err(), "undefined at {:?} but enclosed", pt),
                (_, Err(_)) | (Err(ExactError::TooLarge), _) => {}
                (_, Ok(b)) => prop_assert!(inside_ball(&e, &x, &b), "{} at {:?} not in [{}, {}]", e, pt, b.lo, b.hi),
            }
        }

        #[test]
        fn mpfr_gradient_encloses_exact_derivative(e in arb_expr(), (bx, pt) in arb_box_point()) {
            let Some(p) = Poly::from_expr(&e, 2) else { return Ok(()) };
            let Ok(d) = crate::mpfi::eval_dual(&e, &balls(&bx), MPFI_PREC) else { return Ok(()) };
            let x: Vec<Rational> = pt.iter().map(|v| Rational::from_f64(*v).unwrap()).collect();
            prop_assert!(inside_ball(&Expr::constant(p.eval(&x)), &x, &d.value));
            for (i, g) in d.grad.iter().flatten().enumerate() {
                let di = p.derivative(i).eval(&x);
                prop_assert!(inside_ball(&Expr::constant(di.clone()), &x, g), "d/dx{} of {} = {} not in [{}, {}]", i, e, di, g.lo, g.hi);
            }
        }

        #[test]
        fn interval_encloses_exact_value(e in arb_expr(), (bx, pt) in arb_box_point()) {
            let tape = Tape::compile(&e, 2);
            let ivs: Vec<Interval> = bx.iter().map(|(a, b)| Interval::try_from((*a, *b)).unwrap()).collect();
            let (iv, defined) = tape.eval_interval(&ivs, &mut Vec::new());
            let x: Vec<Rational> = pt.iter().map(|v| Rational::from_f64(*v).unwrap()).collect();
            match eval_rational(&e, &x) {
                Err(ExactError::Undefined) => prop_assert!(!defined, "undefined at {:?} but flagged defined", pt),
                Err(ExactError::TooLarge) => {}
                Ok(_) | Err(ExactError::Irrational) => prop_assert!(inside(&e, &x, iv), "{} at {:?} not in {:?}", e, pt, iv),
            }
        }

        #[test]
        fn gradient_encloses_exact_derivative(e in arb_expr(), (bx, pt) in arb_box_point()) {
            let Some(p) = Poly::from_expr(&e, 2) else { return Ok(()) };
            let tape = Tape::compile(&e, 2);
            let ivs: Vec<Interval> = bx.iter().map(|(a, b)| Interval::try_from((*a, *b)).unwrap()).collect();
            let (val, grad, _) = tape.eval_gradient(&ivs, &mut GradWork::default());
            let x: Vec<Rational> = pt.iter().map(|v| Rational::from_f64(*v).unwrap()).collect();
            prop_assert!(inside(&Expr::constant(p.eval(&x)), &x, val));
            for (i, g) in grad.iter().enumerate() {
                let d = p.derivative(i).eval(&x);
                prop_assert!(inside(&Expr::constant(d.clone()), &x, *g), "d/dx{} of {} = {} not in {:?}", i, e, d, g);
            }
        }
    }

    /// Expressions over the transcendental functions (with `+ - * /` between them).
    fn arb_trans_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0usize..2).prop_map(Expr::Var),
            (-12i32..12, 1u32..5).prop_map(|(n, d)| Expr::constant(Rational::from((n, d)))),
            Just(Expr::Pi),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (0usize..11, inner.clone()).prop_map(|(f, a)| Expr::Fun(Fun::ALL[f], Box::new(a))),
                (0usize..11, inner.clone()).prop_map(|(f, a)| Expr::Fun(Fun::ALL[f], Box::new(a))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Atan2(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::PowR(Box::new(a), Box::new(b))),
                inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::add(a, b)),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::mul(a, b)),
                (inner.clone(), inner).prop_map(|(a, b)| Expr::Div(Box::new(a), Box::new(b))),
            ]
        })
    }

    /// `∂e/∂x_i` at `x` by a central difference at 400 bits (`h = 2^-100`): within about
    /// `1e-55` of the derivative for the tame values kept; `None` near a singularity.
    fn difference(e: &Expr, x: &[f64], i: usize) -> Option<rug::Float> {
        const P: u32 = 400;
        let at = |sign: i32| {
            let pt: Vec<crate::mpfi::Ball> = x
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let mut q = Rational::from_f64(*v).unwrap();
                    if k == i {
                        q += Rational::from((sign, 1))
                            / Rational::from(rug::Integer::from(1) << 100);
                    }
                    crate::mpfi::Ball::of_rational(&q, P)
                })
                .collect();
            let b = crate::mpfi::eval(e, &pt, P).ok()?;
            (b.width() < 1e-80).then(|| b.mid())
        };
        let (up, down) = (at(1)?, at(-1)?);
        let mut d = rug::Float::with_val(P, &up - &down);
        d <<= 99;
        (d.is_finite() && d.clone().abs() < 1e6).then_some(d)
    }

    /// Whether `d` lies in `[lo, hi]` up to a relative `1e-9` (the difference's own error is
    /// far below; a wrong formula is off by far more).
    fn near(d: &rug::Float, lo: f64, hi: f64) -> bool {
        let tol = 1e-9 * (1.0 + d.to_f64().abs());
        d.to_f64() >= lo - tol && d.to_f64() <= hi + tol
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn transcendental_intervals_enclose_the_value(e in arb_trans_expr(), (bx, pt) in arb_box_point()) {
            let tape = Tape::compile(&e, 2);
            let ivs: Vec<Interval> = bx.iter().map(|(a, b)| Interval::try_from((*a, *b)).unwrap()).collect();
            let (iv, defined) = tape.eval_interval(&ivs, &mut Vec::new());
            let x: Vec<Rational> = pt.iter().map(|v| Rational::from_f64(*v).unwrap()).collect();
            match sign_at(&e, &x) {
                Sign::Undefined => prop_assert!(!defined, "{} undefined at {:?} but flagged defined", e, pt),
                _ => prop_assert!(inside(&e, &x, iv), "{} at {:?} not in {:?}", e, pt, iv),
            }
            let r = crate::mpfi::eval(&e, &balls(&bx), MPFI_PREC);
            match (sign_at(&e, &x), r) {
                (Sign::Undefined, r) => prop_assert!(r.is_err(), "{} undefined at {:?} but enclosed", e, pt),
                (_, Err(_)) => {}
                (_, Ok(b)) => prop_assert!(inside_ball(&e, &x, &b), "{} at {:?} not in [{}, {}]", e, pt, b.lo, b.hi),
            }
        }

        #[test]
        fn transcendental_slopes_enclose_the_derivative(e in arb_trans_expr(), (_, pt) in arb_box_point()) {
            let tape = Tape::compile(&e, 2);
            let ivs: Vec<Interval> = pt.iter().map(|v| Interval::try_from((*v, *v)).unwrap()).collect();
            let (_, grad, defined) = tape.eval_gradient(&ivs, &mut GradWork::default());
            let balls: Vec<crate::mpfi::Ball> = pt.iter().map(|v| crate::mpfi::Ball::of_rational(&Rational::from_f64(*v).unwrap(), 128)).collect();
            let dual = crate::mpfi::eval_dual(&e, &balls, 128).ok().and_then(|d| d.grad);
            for i in 0..2 {
                let Some(d) = difference(&e, &pt, i) else { continue };
                if defined {
                    prop_assert!(near(&d, grad[i].inf(), grad[i].sup()), "d/dx{} of {} at {:?} = {} not in {:?}", i, e, pt, d, grad[i]);
                }
                if let Some(g) = &dual {
                    prop_assert!(near(&d, g[i].lo.to_f64(), g[i].hi.to_f64()), "MPFR d/dx{} of {} at {:?} = {} not in [{}, {}]", i, e, pt, d, g[i].lo, g[i].hi);
                }
            }
        }
    }
}
