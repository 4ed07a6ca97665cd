//! Sharp constants: the threshold of a parametric claim, enclosed to many digits.
//!
//! A claim with a *parameter* binding `p in [lo, hi]` defines a set of valid parameter values,
//! those at which the rest of the claim holds. For a constant that works above its sharp value
//! (`Side::Above`, e.g. an upper bound on an image) the sharp value is the smallest `P` such
//! that the claim holds for every `p` in `[P, hi]`; for `Side::Below`, the largest `P` with the
//! claim true on `[lo, P]`. Quantifying over the whole half-range makes the valid set an
//! interval whatever the claim, so bisection is sound without any monotonicity assumption.
//!
//! Each bisection step decides the claim on a thin slice of parameter values: it is valid
//! (proved), invalid (a point where a conclusion fails, re-checked in exact arithmetic by
//! `prover::check_exact`: the witness), or undecided (the enclosure stops there and says so).
//! The first steps use the certified prover; the last ones, past what f64 intervals resolve,
//! an MPFR branch and bound near the binding point (see [`threshold`]). Its lower bounds on a
//! box are the best of the plain interval value, the value after pinning the variables in
//! which the margin is monotone (interval gradient of one sign; a vertex is evaluated
//! exactly), and the mean-value form on the pinned box; the last is second-order accurate,
//! which is what lets the bisection go on to 30 digits and more at touching minima.

use crate::claim::Claim;
use crate::expr::Expr;
use crate::mpfi::{self, Ball};
use crate::prover::exact::{eval_rational, sign_at, Sign};
use crate::prover::simplest_between;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Which side of the sharp value the valid parameter values lie on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The claim holds for parameter values above the threshold.
    Above,
    /// The claim holds for parameter values below the threshold.
    Below,
}

/// An enclosure of a threshold.
#[derive(Clone, Debug)]
pub struct Threshold {
    /// `lower <= sharp <= upper`.
    pub lower: Rational,
    /// Upper end of the enclosure (exact).
    pub upper: Rational,
    /// An exactly re-checked point where the claim fails, with its parameter value on the
    /// invalid side of the enclosure (`None` if the claim held on the whole range).
    pub witness: Option<Vec<(String, Rational)>>,
    /// Whether the claim held on the whole range of the parameter (then the enclosure is
    /// that end of the range and says only that the sharp value lies beyond it).
    pub whole_range: bool,
    /// Whether the requested width was reached (else a decision ran out of boxes).
    pub complete: bool,
    /// Boxes examined over all decisions.
    pub boxes: u64,
}

/// Why a threshold cannot be computed.
#[derive(Debug, thiserror::Error)]
pub enum ThresholdError {
    /// The claim (named) has `where` hypotheses, which a threshold claim may not have.
    #[error("claim `{0}`: hypotheses (`where`) are not supported in a threshold claim")]
    Hypotheses(String),
    /// The claim (first) has no binding named the parameter (second).
    #[error("claim `{0}` has no binding `{1}`")]
    NoParameter(String, String),
    /// The parameter's range has an end that is not a constant (claim, parameter).
    #[error("claim `{0}`: the range of `{1}` must have constant ends")]
    ParameterRange(String, String),
    /// The claim already fails at the valid end of the parameter's range (claim, parameter, end).
    #[error("claim `{0}` fails at the valid end of `{1}` ({2}): it has no valid value there")]
    NoValidEnd(String, String, String),
    /// The prover did not decide the claim at the valid end within the budget (claim, parameter).
    #[error("claim `{0}`: could not decide the valid end of `{1}` within the box budget")]
    Undecided(String, String),
}

/// Boxes the certified prover may spend on one slice of the first stage.
const GLOBAL_BOXES: u64 = 400_000;
/// The first stage stops at this relative width; the MPFR stage takes over.
const GLOBAL_DIGITS: u32 = 11;
/// The MPFR stage is tried once the bracket is this many digits narrow.
const STAGE2_FROM_DIGITS: u32 = 6;
/// Half-width, in unit coordinates, of the neighbourhood of the binding point that the MPFR
/// stage searches (everything outside it is proved once by the certified prover).
const LOCAL_RADII: [(u32, u32); 3] = [(1, 4096), (1, 64), (1, 8)];

/// Encloses the threshold of `claim` in its binding `param` to `digits` significant digits.
///
/// Two stages. The certified prover (`prover::prove`: f64 intervals and exact Bernstein
/// steps, which handle margins that vanish at a corner of the domain) bisects down to about
/// eleven digits and locates the binding point `x*` (where the failing slices fail). Then
/// the rest of the domain, outside a small box `N` around `x*`, is proved once for the whole
/// remaining bracket of parameter values, and the MPFR branch and bound bisects on `N` alone
/// to the digits asked for. If the outside cannot be proved, the enclosure stops at the first
/// stage (and says so).
pub fn threshold(
    claim: &Claim,
    param: &str,
    side: Side,
    digits: u32,
    max_boxes: u64,
) -> Result<Threshold, ThresholdError> {
    let (p, lo, hi) = parameter(claim, param)?;
    let mut boxes = 0u64;
    let global = |a: &Rational, b: &Rational, boxes: &mut u64| {
        let (d, n) = decide_certified(&slice(claim, p, a, b, None));
        *boxes += n;
        d
    };
    let (valid_end, other_end) = match side {
        Side::Above => (hi.clone(), lo.clone()),
        Side::Below => (lo.clone(), hi.clone()),
    };
    match global(&valid_end, &valid_end, &mut boxes) {
        Decision::Holds => {}
        Decision::Fails(_) => {
            return Err(ThresholdError::NoValidEnd(
                claim.name.clone(),
                param.into(),
                valid_end.to_string(),
            ))
        }
        Decision::Unknown => {
            return Err(ThresholdError::Undecided(claim.name.clone(), param.into()))
        }
    }
    let mut witness = match global(&lo, &hi, &mut boxes) {
        Decision::Holds => {
            return Ok(Threshold {
                lower: other_end.clone(),
                upper: other_end,
                witness: None,
                whole_range: true,
                complete: true,
                boxes,
            })
        }
        Decision::Fails(w) => w,
        Decision::Unknown => {
            return Ok(Threshold {
                lower: lo,
                upper: hi,
                witness: None,
                whole_range: false,
                complete: false,
                boxes,
            })
        }
    };
    let mut bracket = Bracket {
        good: valid_end,
        bad: witness[p].clone(),
        side,
    };
    // Stage 1: the certified prover.
    bracket.bisect(&mut witness, p, GLOBAL_DIGITS.min(digits), |a, b| {
        global(a, b, &mut boxes)
    });
    // Stage 2: MPFR on a neighbourhood of the binding point, the rest proved once. Also
    // tried when the certified prover gave up early, if the bracket is already narrow.
    if !bracket.settles(digits) && bracket.settles(STAGE2_FROM_DIGITS) {
        let unit = UnitCube::new(claim, p, &bracket.good, &bracket.bad);
        let (start, n) = local_box(claim, p, &unit, &witness, &bracket);
        boxes += n;
        let prec = (f64::from(digits) * 3.33).ceil() as u32 + 64;
        let decider = Decider {
            claim,
            param: p,
            prec,
            max_boxes,
            start,
        };
        bracket.bisect(&mut witness, p, digits, |a, b| {
            let (d, n) = decider.decide(a, b);
            boxes += n;
            d
        });
    }
    // Both ends are certified whatever stopped the bisection: complete means narrow enough.
    let complete = bracket.settles(digits);
    let names = claim.var_names();
    let (lower, upper) = match side {
        Side::Above => (bracket.bad, bracket.good),
        Side::Below => (bracket.good, bracket.bad),
    };
    Ok(Threshold {
        lower,
        upper,
        witness: Some(names.into_iter().zip(witness).collect()),
        whole_range: false,
        complete,
        boxes,
    })
}

/// The position of the binding `param` of a threshold claim and its constant range ends.
fn parameter(claim: &Claim, param: &str) -> Result<(usize, Rational, Rational), ThresholdError> {
    if !claim.hyps.is_empty() {
        return Err(ThresholdError::Hypotheses(claim.name.clone()));
    }
    let p = claim
        .bindings
        .iter()
        .position(|b| b.name == param)
        .ok_or_else(|| ThresholdError::NoParameter(claim.name.clone(), param.into()))?;
    let constant = |e: &Expr| eval_rational(e, &[]).ok();
    let b = &claim.bindings[p];
    match (constant(&b.lo), constant(&b.hi)) {
        (Some(lo), Some(hi)) => Ok((p, lo, hi)),
        _ => Err(ThresholdError::ParameterRange(
            claim.name.clone(),
            param.into(),
        )),
    }
}

/// Whether the claim holds for every parameter value from `value` to the valid end of the
/// range (`[value, hi]` for `Side::Above`, `[lo, value]` for `Side::Below`), decided by the
/// certified prover: `Some(true)` proved, `Some(false)` refuted by an exact witness, `None`
/// undecided or `value` outside the range. Settles on which side of the sharp value `value`
/// lies when an enclosure is too coarse to say.
pub fn valid_from(claim: &Claim, param: &str, side: Side, value: &Rational) -> Option<bool> {
    let (p, lo, hi) = parameter(claim, param).ok()?;
    if *value < lo || *value > hi {
        return None;
    }
    let (a, b) = match side {
        Side::Above => (value, &hi),
        Side::Below => (&lo, value),
    };
    match decide_certified(&slice(claim, p, a, b, None)).0 {
        Decision::Holds => Some(true),
        Decision::Fails(_) => Some(false),
        Decision::Unknown => None,
    }
}

/// `good`: a parameter value such that the claim holds from it to the valid end; `bad`: one
/// where it fails.
struct Bracket {
    good: Rational,
    bad: Rational,
    side: Side,
}

impl Bracket {
    fn width(&self) -> Rational {
        Rational::from(&self.good - &self.bad).abs()
    }

    /// Whether `digits` significant digits are settled: the width is at most
    /// `|good| / 10^(digits + 1)` (`good` at least 10⁻⁶ in magnitude). Measured against the
    /// current `good`, never a stale one: `good` moves during the bisection, and a width
    /// fixed from the first `good` is too wide or too narrow for the final enclosure.
    fn settles(&self, digits: u32) -> bool {
        let scale = Rational::from(self.good.abs_ref()).max(Rational::from((1, 1_000_000)));
        self.width() * Rational::from(Integer::u_pow_u(10, digits + 1)) <= scale
    }

    /// A short rational near the middle.
    fn mid(&self) -> Rational {
        let quarter = Rational::from(&self.good - &self.bad) / 4;
        let a = Rational::from(&self.bad + &quarter);
        let b = Rational::from(&self.good - &quarter);
        simplest_between(&a.clone().min(b.clone()), &a.max(b))
    }

    /// Halves the bracket until `digits` are settled, deciding the slice between the middle
    /// and `good` each time; stops early if a decision is unknown. `witness` follows `bad`.
    fn bisect(
        &mut self,
        witness: &mut Vec<Rational>,
        p: usize,
        digits: u32,
        mut decide: impl FnMut(&Rational, &Rational) -> Decision,
    ) {
        while !self.settles(digits) {
            let (a, b) = self.next_slice();
            match decide(&a, &b) {
                Decision::Holds => self.good = self.mid(),
                Decision::Fails(w) => {
                    self.bad = w[p].clone();
                    *witness = w;
                }
                Decision::Unknown => return,
            }
        }
    }

    /// The parameter values between the middle and `good`, as `(low, high)`.
    fn next_slice(&self) -> (Rational, Rational) {
        let mid = self.mid();
        match self.side {
            Side::Above => (mid, self.good.clone()),
            Side::Below => (self.good.clone(), mid),
        }
    }
}

/// The claim with the parameter restricted to `[a, b]` and, if `cut` is given, the binding
/// `i` restricted to the unit-coordinate range `cut = (i, t0, t1)` of its own range.
fn slice(
    claim: &Claim,
    p: usize,
    a: &Rational,
    b: &Rational,
    cut: Option<(usize, &Rational, &Rational)>,
) -> Claim {
    let mut c = claim.clone();
    let bp = &mut c.bindings[p];
    bp.lo = Expr::Const(a.clone());
    bp.hi = Expr::Const(b.clone());
    bp.lo_closed = true;
    bp.hi_closed = true;
    if let Some((i, t0, t1)) = cut {
        let bi = &mut c.bindings[i];
        let width = Expr::sub(bi.hi.clone(), bi.lo.clone());
        let at = |t: &Rational| {
            Expr::add(
                bi.lo.clone(),
                Expr::mul(Expr::Const(t.clone()), width.clone()),
            )
        };
        let (lo, hi) = (at(t0), at(t1));
        // Interior cuts are closed; the claim's own ends keep their kind.
        if *t0 != 0 {
            bi.lo_closed = true;
        }
        if *t1 != 1 {
            bi.hi_closed = true;
        }
        bi.lo = lo;
        bi.hi = hi;
    }
    c
}

/// The certified prover on a claim: proved, refuted with a witness, or unknown.
fn decide_certified(claim: &Claim) -> (Decision, u64) {
    let budget = crate::prover::Budget {
        max_boxes: GLOBAL_BOXES,
        timeout: Some(std::time::Duration::from_secs(20)),
    };
    let o = crate::prover::prove(claim, &budget);
    let d = match o.verdict() {
        crate::prover::Verdict::Proved => Decision::Holds,
        crate::prover::Verdict::Refuted => match o.witness() {
            Some(w) => w
                .rational_point()
                .map_or(Decision::Unknown, Decision::Fails),
            None => Decision::Unknown,
        },
        crate::prover::Verdict::Unknown => Decision::Unknown,
    };
    (d, o.boxes)
}

/// The box `N` (unit coordinates) around the binding point of `witness`, with a proof by the
/// certified prover that the claim holds outside it for every parameter value of the
/// bracket. Each coordinate is cut at the smallest radius whose two outer slabs are proved;
/// a coordinate that no radius cuts (the binding set is not a point in it, say) stays whole.
fn local_box(
    claim: &Claim,
    p: usize,
    unit: &UnitCube,
    witness: &[Rational],
    bracket: &Bracket,
) -> (Vec<(Rational, Rational)>, u64) {
    let (a, b) = match bracket.side {
        Side::Above => (bracket.bad.clone(), bracket.good.clone()),
        Side::Below => (bracket.good.clone(), bracket.bad.clone()),
    };
    let whole = (Rational::new(), Rational::from(1));
    let mut start = Vec::new();
    let mut boxes = 0;
    for i in 0..claim.bindings.len() {
        let Some(t) = unit.coordinate(i, witness).filter(|_| i != p) else {
            start.push(whole.clone());
            continue;
        };
        let mut cut = whole.clone();
        for r in LOCAL_RADII {
            let r = Rational::from(r);
            let t0 = Rational::from(&t - &r).max(Rational::new());
            let t1 = Rational::from(&t + &r).min(Rational::from(1));
            let slabs = [
                (Rational::new(), t0.clone()),
                (t1.clone(), Rational::from(1)),
            ];
            let proved = slabs.iter().filter(|(c0, c1)| c0 < c1).all(|(c0, c1)| {
                let (d, n) = decide_certified(&slice(claim, p, &a, &b, Some((i, c0, c1))));
                boxes += n;
                matches!(d, Decision::Holds)
            });
            if proved {
                cut = (t0, t1);
                break;
            }
        }
        start.push(cut);
    }
    (start, boxes)
}

#[derive(Debug)]
enum Decision {
    Holds,
    /// A point (one value per binding) where the claim exactly fails.
    Fails(Vec<Rational>),
    Unknown,
}

/// The MPFR branch and bound: decides the claim on a slice of parameter values, searching
/// the box `start` of the unit cube (see [`UnitCube`]).
struct Decider<'c> {
    claim: &'c Claim,
    param: usize,
    prec: u32,
    max_boxes: u64,
    /// The box searched, in unit coordinates (the parameter's own is `[0, 1]`).
    start: Vec<(Rational, Rational)>,
}

impl Decider<'_> {
    /// Decides the claim with the parameter restricted to `[a, b]`.
    fn decide(&self, a: &Rational, b: &Rational) -> (Decision, u64) {
        let unit = UnitCube::new(self.claim, self.param, a, b);
        let mut boxes = 0;
        for goal in &self.claim.goals {
            let (margin, strict) = goal.margin();
            let m = margin.substitute(&unit.x);
            let (d, n) = self.decide_goal(&unit, &m, strict, self.max_boxes.saturating_sub(boxes));
            boxes += n;
            match d {
                Decision::Holds => {}
                other => return (other, boxes),
            }
        }
        (Decision::Holds, boxes)
    }

    /// Best-first branch and bound on `m(t) > 0` over the unit cube.
    fn decide_goal(
        &self,
        unit: &UnitCube,
        m: &Expr,
        strict: bool,
        max_boxes: u64,
    ) -> (Decision, u64) {
        let prec = self.prec;
        let unit_box: Vec<Ball> = self
            .start
            .iter()
            .map(|(a, b)| Ball::of_ends(a, b, prec))
            .collect();
        let mut heap = BinaryHeap::new();
        heap.push(Queued {
            key: f64::NEG_INFINITY,
            cube: unit_box,
        });
        let mut boxes = 0u64;
        while let Some(Queued { cube, .. }) = heap.pop() {
            if boxes >= max_boxes {
                return (Decision::Unknown, boxes);
            }
            boxes += 1;
            if unit.vacuous(&cube, prec) {
                continue;
            }
            let bound = lower_bound(m, &cube, prec);
            if bound.lo > 0 {
                continue;
            }
            if bound.pinned.iter().all(|t| t.lo == t.hi) {
                // The minimum over the box is the value at this vertex: decide it exactly.
                let t: Vec<Rational> = bound.pinned.iter().map(|b| rat(&b.lo)).collect();
                match sign_at(m, &t) {
                    Sign::Is(Ordering::Greater) => continue,
                    Sign::Is(Ordering::Equal) if !strict || self.strict_open_pin(&cube, &bound) => {
                        continue
                    }
                    _ => {}
                }
            }
            for t in candidates(&cube, &bound.pinned, prec) {
                if let Some(x) = self.witness_at(unit, m, &t) {
                    return (Decision::Fails(x), boxes);
                }
            }
            let Some(dim) = split_dim(&cube, &bound) else {
                // The box is a point that is not a witness: harmless only outside the domain.
                let t: Vec<Rational> = cube.iter().map(|b| rat(&b.lo)).collect();
                match unit.point(&t) {
                    Some(x) if !self.in_domain(&x) => continue,
                    _ => return (Decision::Unknown, boxes),
                }
            };
            let (left, right) = split(&cube, dim);
            let key = bound.lo.to_f64();
            heap.push(Queued { key, cube: left });
            heap.push(Queued { key, cube: right });
        }
        (Decision::Holds, boxes)
    }

    /// The claim's variables at `t` if the margin is certainly not positive there (cheap
    /// MPFR test) and the claim exactly fails there (the re-check that counts).
    fn witness_at(&self, unit: &UnitCube, m: &Expr, t: &[Rational]) -> Option<Vec<Rational>> {
        let point: Vec<Ball> = t.iter().map(|q| Ball::of_rational(q, self.prec)).collect();
        match mpfi::eval(m, &point, self.prec) {
            Ok(v) if v.hi <= 0 => {}
            Ok(_) => return None,
            Err(_) => {}
        }
        let x = unit.point(t)?;
        crate::prover::check_exact(self.claim, &x).map(|_| x)
    }

    /// Whether some coordinate is pinned, with the margin strictly monotone, to a face of
    /// the box that is an excluded (open) end of its binding: then every point of the domain
    /// in the box has a margin strictly above the vertex value.
    fn strict_open_pin(&self, cube: &[Ball], bound: &Bound) -> bool {
        let Some(grad) = &bound.grad else {
            return false;
        };
        self.claim.bindings.iter().enumerate().any(|(i, b)| {
            if i == self.param {
                return false;
            }
            let (t, p, g) = (&cube[i], &bound.pinned[i], &grad[i]);
            let at_open_lo = !b.lo_closed && t.lo == 0 && p.hi == t.lo && g.lo > 0;
            let at_open_hi = !b.hi_closed && t.hi == 1 && p.lo == t.hi && g.hi < 0;
            at_open_lo || at_open_hi
        })
    }

    /// Whether `x` satisfies every binding of the claim exactly (the parameter's own range
    /// included).
    fn in_domain(&self, x: &[Rational]) -> bool {
        self.claim.bindings.iter().enumerate().all(|(i, b)| {
            let below = Expr::sub(Expr::Var(i), b.lo.clone());
            let above = Expr::sub(b.hi.clone(), Expr::Var(i));
            let ok = |e: &Expr, closed: bool| match sign_at(e, x) {
                Sign::Is(Ordering::Greater) => true,
                Sign::Is(Ordering::Equal) => closed,
                // Undecided counts as inside: the caller then gives up rather than skip.
                Sign::Is(Ordering::Less) => false,
                Sign::Undefined | Sign::Unknown => true,
            };
            ok(&below, b.lo_closed) && ok(&above, b.hi_closed)
        })
    }
}

/// The bindings as functions of unit-cube coordinates: binding `i` is `lo_i + t_i (hi_i - lo_i)`
/// with `t_i in [0, 1]`, the ends written in the `t` variables of the bindings before it.
struct UnitCube {
    /// `x[i]`: binding `i` in the `t` variables.
    x: Vec<Expr>,
    /// `hi_i - lo_i` in the `t` variables: a range that is certainly negative on a box makes
    /// the box vacuous.
    widths: Vec<Expr>,
    /// Each binding's lower end and width in the claim's own variables.
    lo: Vec<Expr>,
    widths_x: Vec<Expr>,
}

impl UnitCube {
    fn new(claim: &Claim, param: usize, a: &Rational, b: &Rational) -> Self {
        let mut x: Vec<Expr> = Vec::new();
        let mut widths = Vec::new();
        let (mut los, mut widths_x) = (Vec::new(), Vec::new());
        for (i, bnd) in claim.bindings.iter().enumerate() {
            let (lo_x, hi_x) = if i == param {
                (Expr::Const(a.clone()), Expr::Const(b.clone()))
            } else {
                (bnd.lo.clone(), bnd.hi.clone())
            };
            widths_x.push(Expr::sub(hi_x.clone(), lo_x.clone()));
            los.push(lo_x.clone());
            let (lo, hi) = (lo_x.substitute(&x), hi_x.substitute(&x));
            let width = Expr::sub(hi, lo.clone());
            x.push(Expr::add(lo, Expr::mul(Expr::Var(i), width.clone())));
            widths.push(width);
        }
        UnitCube {
            x,
            widths,
            lo: los,
            widths_x,
        }
    }

    /// The claim's variables at the unit-cube point `t`, exactly (`None` if irrational).
    fn point(&self, t: &[Rational]) -> Option<Vec<Rational>> {
        self.x.iter().map(|e| eval_rational(e, t).ok()).collect()
    }

    /// The unit coordinate of binding `i` at the point `x` (exact), if its range has width.
    fn coordinate(&self, i: usize, x: &[Rational]) -> Option<Rational> {
        let lo = eval_rational(&self.lo[i], x).ok()?;
        let w = eval_rational(&self.widths_x[i], x).ok()?;
        (w != 0)
            .then(|| (Rational::from(&x[i] - &lo) / w).clamp(&Rational::new(), &Rational::from(1)))
    }

    fn vacuous(&self, cube: &[Ball], prec: u32) -> bool {
        self.widths
            .iter()
            .any(|w| matches!(mpfi::eval(w, cube, prec), Ok(v) if v.hi < 0))
    }
}

/// A lower bound of the margin on a box and the box with the monotone variables pinned.
struct Bound {
    lo: Float,
    pinned: Vec<Ball>,
    /// `max |d margin / d t_i|` over the box, where known.
    weights: Option<Vec<Float>>,
    /// The gradient over the box, where known.
    grad: Option<Vec<Ball>>,
}

fn lower_bound(m: &Expr, cube: &[Ball], prec: u32) -> Bound {
    let neg_inf = || Float::with_val(prec, f64::NEG_INFINITY);
    let plain = mpfi::eval(m, cube, prec).map_or_else(|_| neg_inf(), |v| v.lo);
    let Ok(dual) = mpfi::eval_dual(m, cube, prec) else {
        return Bound {
            lo: plain,
            pinned: cube.to_vec(),
            weights: None,
            grad: None,
        };
    };
    let Some(grad) = dual.grad else {
        return Bound {
            lo: plain,
            pinned: cube.to_vec(),
            weights: None,
            grad: None,
        };
    };
    let weights = Some(grad.iter().map(Ball::magnitude).collect());
    // The minimum over the box is on the face where each monotone variable is least helpful.
    let pinned: Vec<Ball> = cube
        .iter()
        .zip(&grad)
        .map(|(t, g)| {
            if g.lo >= 0 {
                Ball::point(&t.lo)
            } else if g.hi <= 0 {
                Ball::point(&t.hi)
            } else {
                t.clone()
            }
        })
        .collect();
    let mut best = plain;
    if let Ok(v) = mpfi::eval(m, &pinned, prec) {
        best = best.max(&v.lo);
    }
    if let Some(mv) = mean_value_lower(m, &pinned, prec) {
        best = best.max(&mv);
    }
    Bound {
        lo: best,
        pinned,
        weights,
        grad: Some(grad),
    }
}

/// `m(c) + grad m(box) . (box - c)` at the centre `c`: a lower bound by the mean value theorem.
fn mean_value_lower(m: &Expr, cube: &[Ball], prec: u32) -> Option<Float> {
    let grad = mpfi::eval_dual(m, cube, prec).ok()?.grad?;
    let centre: Vec<Ball> = cube.iter().map(|t| Ball::point(&t.mid())).collect();
    let mut acc = mpfi::eval(m, &centre, prec).ok()?;
    for ((t, c), g) in cube.iter().zip(&centre).zip(&grad) {
        acc = acc.add(&g.mul(&t.sub(c, prec), prec), prec);
    }
    Some(acc.lo)
}

/// Points of the box worth testing as witnesses: its centre and points of the pinned face
/// moved inside by shrinking amounts (open ends exclude the face itself, and near a
/// threshold the margin there is within a hair of 0).
fn candidates(cube: &[Ball], pinned: &[Ball], prec: u32) -> Vec<Vec<Rational>> {
    let centre: Vec<Rational> = cube.iter().map(|t| exact_mid(&t.lo, &t.hi)).collect();
    let mut out = Vec::new();
    // Down to about the working precision: near a threshold the margin at the face is a
    // hair below 0, and the inset point must stay within that hair.
    let shifts = [10u32, 40, 80, 160, 320, 640, 1280];
    for shift in shifts.into_iter().filter(|&s| s <= 2 * prec.max(80)) {
        let face: Vec<Rational> = cube
            .iter()
            .zip(pinned)
            .map(|(t, p)| {
                let (lo, hi) = (rat(&t.lo), rat(&t.hi));
                let inset = Rational::from(&hi - &lo) >> shift;
                if p.lo == p.hi && p.lo == t.lo {
                    lo + inset
                } else if p.lo == p.hi && p.hi == t.hi {
                    hi - inset
                } else {
                    exact_mid(&t.lo, &t.hi)
                }
            })
            .collect();
        if face == centre {
            break;
        }
        out.push(face);
    }
    out.push(centre);
    out
}

fn rat(f: &Float) -> Rational {
    f.to_rational().expect("box ends are finite")
}

fn exact_mid(lo: &Float, hi: &Float) -> Rational {
    (rat(lo) + rat(hi)) / 2
}

/// The coordinate to halve: the one contributing most to the mean-value form's width
/// (`|grad_i| * width_i`), or the widest without a gradient; `None` if the box is a point.
fn split_dim(cube: &[Ball], bound: &Bound) -> Option<usize> {
    let best = |score: &dyn Fn(usize) -> Float| {
        let mut best: Option<(usize, Float)> = None;
        for i in 0..cube.len() {
            let s = score(i);
            if s > 0 && best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((i, s));
            }
        }
        best.map(|(i, _)| i)
    };
    // Pinned coordinates do not widen the bound: split the free ones by their share of the
    // mean-value term first; when all are pinned (the bound is a vertex value), the widest.
    let weighted = bound
        .weights
        .as_ref()
        .and_then(|g| best(&|i| Float::with_val(64, &bound.pinned[i].width() * &g[i])));
    weighted.or_else(|| best(&|i| cube[i].width()))
}

/// Halves the box along `dim` at the exact midpoint (the precision grows to hold it).
fn split(cube: &[Ball], dim: usize) -> (Vec<Ball>, Vec<Ball>) {
    let t = &cube[dim];
    let prec = t.lo.prec().max(t.hi.prec()) + 1;
    let mut mid = Float::with_val(prec, &t.lo + &t.hi);
    mid /= 2;
    let mut left = cube.to_vec();
    let mut right = cube.to_vec();
    left[dim].hi = mid.clone();
    right[dim].lo = mid;
    (left, right)
}

/// A box in the queue; the lowest bound of its parent comes out first.
struct Queued {
    key: f64,
    cube: Vec<Ball>,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.key.total_cmp(&other.key).is_eq()
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // BinaryHeap is a max-heap: the most negative bound is the greatest.
        other.key.total_cmp(&self.key)
    }
}
