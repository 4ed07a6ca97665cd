//! A claim's domain turned into a box.
//!
//! A binding whose ends are exact rational constants keeps its variable. A binding with an
//! end that depends on earlier variables (or is an irrational constant) is reparametrised
//! exactly as `x = lo + t (hi - lo)` with `t` in `[0, 1]` (same open/closed ends), and the
//! hidden hypothesis `hi - lo >= 0` (`> 0` if an end is open) removes the part where the
//! range is empty. The domain is then a box, its shape kept exactly at every edge; the
//! prover works in these box coordinates `y`, witnesses are confirmed in the original `x`,
//! and an `unknown`'s box is said in `x` too (`stop`).

use super::algebraic;
use super::exact::eval_rational;
use super::tape::{enclose_rational, Tape};
use crate::claim::{Claim, Cond};
use crate::expr::poly::{Poly, RationalFn};
use crate::expr::Expr;
use rug::Rational;
use std::sync::OnceLock;

/// One coordinate of the box.
#[derive(Clone, Debug)]
pub struct Axis {
    pub lo: Rational,
    pub hi: Rational,
    pub lo_open: bool,
    pub hi_open: bool,
    /// f64 ends of an outward enclosure of `[lo, hi]`.
    pub lo_f: f64,
    pub hi_f: f64,
}

/// A condition `m > 0` (strict) or `m >= 0` in box coordinates.
#[derive(Clone, Debug)]
pub struct Margin {
    pub expr: Expr,
    pub tape: Tape,
    poly: OnceLock<Option<Poly>>,
    rational: OnceLock<Option<RationalFn>>,
    nvars: usize,
    pub strict: bool,
    pub text: String,
}

impl Margin {
    fn new(expr: Expr, strict: bool, text: String, n: usize) -> Margin {
        Margin {
            tape: Tape::compile(&expr, n),
            poly: OnceLock::new(),
            rational: OnceLock::new(),
            nvars: n,
            expr,
            strict,
            text,
        }
    }

    /// The margin as an exact rational function (expanded on first use).
    pub fn rational(&self) -> Option<&RationalFn> {
        let r = || RationalFn::from_expr(&self.expr, self.nvars);
        self.rational.get_or_init(r).as_ref()
    }

    /// The margin as an exact polynomial, if it is one (expanded on first use).
    pub fn poly(&self) -> Option<&Poly> {
        self.poly
            .get_or_init(|| Poly::from_expr(&self.expr, self.nvars))
            .as_ref()
    }
}

/// The claim over a box: `forall y in box, where hyps => goals`.
#[derive(Clone, Debug)]
pub struct Problem {
    pub axes: Vec<Axis>,
    /// The original variables as expressions in `y`.
    pub x_of_y: Vec<Expr>,
    /// Compiled `x_of_y`, for mapping search points back.
    pub x_tapes: Vec<Tape>,
    pub hyps: Vec<Margin>,
    pub goals: Vec<Margin>,
    /// Lazily: each conclusion's margin, then each denominator in them, as a polynomial in
    /// the claim's own variables (`None` where not a polynomial).
    x_goal_polys: OnceLock<Vec<Option<Poly>>>,
    /// The conclusions' margins in the claim's own variables.
    x_goal_margins: Vec<Expr>,
    /// The first binding whose range is certainly empty (constant ends with `lo > hi`, or
    /// `lo = hi` with an open end): then so is the domain.
    pub empty: Option<usize>,
    /// For each hidden hypothesis (the first `hidden.len()` of `hyps`), its binding.
    pub hidden: Vec<usize>,
}

impl Problem {
    pub fn new(claim: &Claim) -> Problem {
        let n = claim.bindings.len();
        let mut axes = Vec::with_capacity(n);
        let mut x_of_y: Vec<Expr> = Vec::with_capacity(n);
        let mut hidden = Vec::new();
        let mut hidden_of = Vec::new();
        let mut empty = None;
        for (i, b) in claim.bindings.iter().enumerate() {
            let lo = b.lo.substitute(&x_of_y);
            let hi = b.hi.substitute(&x_of_y);
            let open = !b.lo_closed || !b.hi_closed;
            let alg = algebraic::ends(i, &lo, &hi, b.lo_closed, b.hi_closed);
            match (constant_value(&lo), constant_value(&hi), alg) {
                (Some(l), Some(h), _) => {
                    if l > h || (l == h && open) {
                        empty = empty.or(Some(i));
                    }
                    axes.push(axis(l, h, !b.lo_closed, !b.hi_closed));
                    x_of_y.push(Expr::Var(i));
                }
                (_, _, Some(e)) => {
                    // Ends `±sqrt(r)`: rational box ends and exact polynomial conditions.
                    // Ends the same `±sqrt(r)` with one open: `(sqrt(2), sqrt(2))` is empty.
                    let same = algebraic::signed_square(&lo)
                        .is_some_and(|r| algebraic::signed_square(&hi) == Some(r));
                    if e.lo > e.hi || ((e.lo == e.hi || same) && open) {
                        empty = empty.or(Some(i));
                    }
                    for (m, strict) in e.hyps {
                        let text = format!("{} within its range", b.name);
                        hidden.push(Margin::new(m, strict, text, n));
                        hidden_of.push(i);
                    }
                    axes.push(axis(e.lo, e.hi, e.lo_open, e.hi_open));
                    x_of_y.push(Expr::Var(i));
                }
                _ => {
                    let width = Expr::sub(hi.clone(), lo.clone());
                    let text = format!("range of {} is non-empty", b.name);
                    hidden.push(Margin::new(width.clone(), open, text, n));
                    hidden_of.push(i);
                    let (zero, one) = (Rational::new(), Rational::from(1));
                    axes.push(axis(zero, one, !b.lo_closed, !b.hi_closed));
                    x_of_y.push(Expr::add(lo, Expr::mul(Expr::Var(i), width)));
                }
            }
        }
        let to_y = |c: &Cond| {
            let (m, strict) = c.margin();
            Margin::new(m.substitute(&x_of_y), strict, c.text.clone(), n)
        };
        let mut hyps = hidden;
        hyps.extend(claim.hyps.iter().map(to_y));
        let goals = claim.goals.iter().map(to_y).collect();
        let x_tapes = x_of_y.iter().map(|e| Tape::compile(e, n)).collect();
        let x_goal_margins = claim.goals.iter().map(|c| c.margin().0).collect();
        Problem {
            axes,
            x_of_y,
            x_tapes,
            hyps,
            goals,
            x_goal_polys: OnceLock::new(),
            x_goal_margins,
            empty,
            hidden: hidden_of,
        }
    }

    /// The claim's variables at the box point `y`, in floats.
    pub fn x_at(&self, y: &[f64]) -> Vec<f64> {
        let mut s = Vec::new();
        self.x_tapes.iter().map(|t| t.eval_f64(y, &mut s)).collect()
    }

    pub fn dim(&self) -> usize {
        self.axes.len()
    }

    /// Each conclusion's margin as a polynomial in the claim's own variables, if it is one
    /// (used to solve for a witness exactly on the boundary `margin = 0`).
    pub fn x_goal_polys(&self) -> &[Option<Poly>] {
        let n = self.axes.len();
        self.x_goal_polys.get_or_init(|| {
            let mut polys: Vec<Option<Poly>> = self
                .x_goal_margins
                .iter()
                .map(|m| Poly::from_expr(m, n))
                .collect();
            let mut dens = Vec::new();
            self.x_goal_margins
                .iter()
                .for_each(|m| denominators(m, &mut dens));
            polys.extend(dens.iter().map(|d| Poly::from_expr(d, n)));
            polys
        })
    }

    /// Whether some conclusion divides (or takes a negative power): its zeros are witnesses.
    pub fn divides(&self) -> bool {
        let mut dens = Vec::new();
        self.x_goal_margins
            .iter()
            .for_each(|m| denominators(m, &mut dens));
        !dens.is_empty()
    }
}

fn axis(lo: Rational, hi: Rational, lo_open: bool, hi_open: bool) -> Axis {
    let lo_f = enclose_rational(&lo).inf();
    let hi_f = enclose_rational(&hi).sup();
    Axis {
        lo,
        hi,
        lo_open,
        hi_open,
        lo_f,
        hi_f,
    }
}

/// The exact value of a variable-free expression, if it is rational and defined.
fn constant_value(e: &Expr) -> Option<Rational> {
    if !e.is_constant() {
        return None;
    }
    // Undefined, irrational or too large: not a constant end.
    eval_rational(e, &[]).ok()
}

/// The denominators of `e`: right operands of `/` and bases of negative powers.
pub(super) fn denominators(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Div(_, b) => out.push((**b).clone()),
        Expr::Pow(a, n) if *n < 0 => out.push((**a).clone()),
        _ => {}
    }
    e.children().into_iter().for_each(|c| denominators(c, out));
}
