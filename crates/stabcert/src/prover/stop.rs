//! Why a claim stayed `unknown`: which limit or obstacle stopped the search, on which
//! conclusion, and the box that resisted, said in the claim's own variables (never in the
//! prover's box coordinates, such as the `t` of a reparametrised binding), with a remedy
//! where one is known.
//!
//! The reason is data ([`StopReason`]); its `Display` is the `reason` of the text and JSON
//! outputs.

use super::domain::Problem;
use super::exact::{eval_rational, ExactError};
use crate::claim::{Binding, Claim};
use crate::expr::Expr;
use inari::Interval;
use rug::{Integer, Rational};
use std::fmt;

/// Why the prover stopped short of a verdict, in the style of egg's `StopReason`: the limit
/// or obstacle, each with the conclusion and the box that resisted.
#[derive(Clone, Debug, PartialEq)]
pub enum StopReason {
    /// The claim's box budget (`--max-boxes`) was used up.
    BoxBudget(Resisted),
    /// The claim's deadline (`--timeout`) passed.
    Timeout(Resisted),
    /// No progress: a box reached the resolution of f64 and still could not be decided.
    NoProgress(Resisted),
    /// At a single point of the domain's boundary (a face left by a monotonicity step) the
    /// conclusion is false or its sign undecided, and the point is no confirmed witness
    /// (typically an irrational point).
    UndecidedPoint(Resisted),
    /// At a single point the sign of a hypothesis could not be decided.
    UndecidedHypothesis(Resisted),
    /// Not decided by the prover at all: a claim whose verdict comes from elsewhere (a
    /// system re-derived from certificates counts one without a certificate as this).
    NotDecided(Resisted),
    /// The domain is not a box: a variable of an SMT-LIB problem has no bound in the
    /// assertions (`conclusion` names it); stabcert, like dReal, needs bounded variables.
    Unbounded(Resisted),
}

/// The conclusion that resisted, the box where it did, and what may help.
#[derive(Clone, Debug, PartialEq)]
pub struct Resisted {
    /// The conclusion's source text.
    pub conclusion: String,
    /// The box in the claim's variables, one entry a variable in binding order.
    pub region: Vec<VarRange>,
    /// A known way round the obstacle, if any.
    pub remedy: Option<Remedy>,
}

/// A variable's part of a resisting box.
#[derive(Clone, Debug, PartialEq)]
pub struct VarRange {
    /// The variable's name.
    pub name: String,
    /// What it ranges over there.
    pub range: Range,
}

/// What a variable ranges over in a resisting box.
#[derive(Clone, Debug, PartialEq)]
pub enum Range {
    /// Exactly this value.
    Exact(Rational),
    /// Exactly at an end of its binding whose value is not known to be rational here
    /// (`sqrt(2)`, or `sqrt(r)` over a range of `r`): the end's text and an f64 enclosure of
    /// its values in the box.
    End {
        /// Whether it is the upper end.
        upper: bool,
        /// The end as written.
        text: String,
        /// A lower bound of the end's values in the box (rounded down).
        lo: f64,
        /// An upper bound of the end's values in the box (rounded up).
        hi: f64,
    },
    /// Within `[lo, hi]` (an enclosure with f64 ends); an open side is an excluded end of
    /// the binding.
    Within {
        /// Lower end of the enclosure.
        lo: f64,
        /// Upper end of the enclosure.
        hi: f64,
        /// Whether the lower end is excluded.
        lo_open: bool,
        /// Whether the upper end is excluded.
        hi_open: bool,
    },
}

/// A known way round the obstacle.
#[derive(Clone, Debug, PartialEq)]
pub enum Remedy {
    /// The search stopped at an end of a binding whose value is irrational (`x in [sqrt(2),
    /// 2]`, `s in [0, sqrt(r)]`), where a conclusion tight at that end cannot be decided
    /// exactly. `rewrite` is an equivalent binding with a whole-number end and a polynomial
    /// hypothesis, when one is known.
    IrrationalEnd {
        /// The variable whose end is irrational.
        var: String,
        /// Whether it is the upper end.
        upper: bool,
        /// The end as written.
        end: String,
        /// The equivalent binding and hypothesis, when one is known.
        rewrite: Option<String>,
    },
    /// The conclusion's margin is about 0 near `near` (the claim's variables): inside the
    /// domain, on the boundary of its box, or where the `where` hypothesis `hypothesis` is
    /// tight too.
    Tight {
        /// About where the margin vanishes, in the claim's variables.
        near: Vec<(String, f64)>,
        /// Whether that point is inside the domain (not on its boundary).
        interior: bool,
        /// The `where` hypothesis tight there too, if any.
        hypothesis: Option<String>,
    },
}

impl StopReason {
    /// The conclusion, box and remedy, whatever the limit.
    pub fn resisted(&self) -> &Resisted {
        match self {
            StopReason::BoxBudget(r)
            | StopReason::Timeout(r)
            | StopReason::NoProgress(r)
            | StopReason::UndecidedPoint(r)
            | StopReason::UndecidedHypothesis(r)
            | StopReason::NotDecided(r)
            | StopReason::Unbounded(r) => r,
        }
    }

    /// What stopped the search, as the output says it.
    pub fn kind_text(&self) -> &'static str {
        match self {
            StopReason::BoxBudget(_) => "box budget exhausted",
            StopReason::Timeout(_) => "timeout",
            StopReason::NoProgress(_) => "no progress: the box is too small to split further",
            StopReason::UndecidedPoint(_) => {
                "the conclusion fails or is undecided at this point of the domain's boundary, \
                 and it is no exact witness"
            }
            StopReason::UndecidedHypothesis(_) => "a hypothesis is undecided at this point",
            StopReason::NotDecided(_) => "not decided here (no accepted certificate proves it)",
            StopReason::Unbounded(_) => {
                "no bound for this variable in the assertions (a box is needed, as for dReal)"
            }
        }
    }
}

/// `` `x^2 >= 2`: timeout; unresolved box: x in [1.5, 2]; hint: ... ``
impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.resisted();
        write!(f, "`{}`: {}; ", r.conclusion, self.kind_text())?;
        let all_points = r
            .region
            .iter()
            .all(|v| !matches!(v.range, Range::Within { .. }));
        let parts: Vec<String> = r.region.iter().map(VarRange::to_string).collect();
        match (all_points, parts.is_empty()) {
            (_, true) => write!(f, "no variables")?,
            (true, false) => write!(f, "at {}", parts.join(", "))?,
            (false, false) => write!(f, "unresolved box: {}", parts.join(", "))?,
        }
        if let Some(remedy) = &r.remedy {
            write!(f, "; hint: {remedy}")?;
        }
        Ok(())
    }
}

impl fmt::Display for VarRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match &self.range {
            Range::Exact(q) => write!(f, "{name} = {q}"),
            Range::End {
                upper,
                text,
                lo,
                hi,
            } => {
                let which = if *upper { "upper" } else { "lower" };
                let narrow = hi - lo <= 1e-6 * lo.abs().max(hi.abs()).max(1.0);
                let value = match narrow {
                    true => format!("about {}", short(lo + (hi - lo) / 2.0)),
                    false => format!("in [{}, {}]", round_sig(*lo, false), round_sig(*hi, true)),
                };
                write!(f, "{name} = {text} (its {which} end, {value})")
            }
            Range::Within {
                lo,
                hi,
                lo_open,
                hi_open,
            } => {
                let lb = if *lo_open { '(' } else { '[' };
                let rb = if *hi_open { ')' } else { ']' };
                let (lo, hi) = (round_sig(*lo, false), round_sig(*hi, true));
                write!(f, "{name} in {lb}{lo}, {hi}{rb}")
            }
        }
    }
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remedy::IrrationalEnd {
                var,
                upper,
                end,
                rewrite,
            } => {
                let which = if *upper { "upper" } else { "lower" };
                write!(
                    f,
                    "the {which} end of `{var}`, {end}, is irrational, and the conclusion \
                     cannot be decided exactly there; "
                )?;
                match rewrite {
                    Some(r) => write!(
                        f,
                        "write the binding with a whole-number end and a polynomial \
                         hypothesis, `{r}`, or use a rational end"
                    ),
                    None => write!(
                        f,
                        "use a rational end, with the bound as a `where` hypothesis in \
                         polynomial form if it is needed"
                    ),
                }
            }
            Remedy::Tight {
                near,
                interior,
                hypothesis,
            } => {
                let at: Vec<String> = near
                    .iter()
                    .map(|(n, v)| format!("{n} ≈ {}", short(*v)))
                    .collect();
                let at = at.join(", ");
                let place = match (hypothesis, interior) {
                    (Some(h), _) => format!("near {at}, where the hypothesis `{h}` is tight too"),
                    (None, true) => format!("at an interior point near {at}"),
                    (None, false) => format!("at a point of the domain's boundary near {at}"),
                };
                write!(
                    f,
                    "the conclusion is tight (its margin is about 0) {place}; interval methods \
                     need slack there: weaken the bound slightly, or, if the point is rational, \
                     split the claim's range there so that it becomes an end"
                )
            }
        }
    }
}

/// A float with 6 significant digits, `-0` as `0`.
fn short(v: f64) -> String {
    let s = format!("{v:.5e}");
    s.parse::<f64>().map_or(s, plain)
}

/// `v` to at most 6 significant digits, rounded down (or up) so an enclosure stays one.
fn round_sig(v: f64, up: bool) -> String {
    if v == 0.0 || !v.is_finite() {
        return plain(v);
    }
    let exp = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(5 - exp);
    let scaled = v * scale;
    if !scale.is_finite() || scaled == scaled.round() {
        return plain(v);
    }
    plain(if up { scaled.ceil() } else { scaled.floor() } / scale)
}

/// `0.375`, `1.5e-14`, `0` (never `-0`).
fn plain(v: f64) -> String {
    match v.abs() {
        0.0 => "0".into(),
        a if (1e-4..1e15).contains(&a) || !a.is_finite() => v.to_string(),
        _ => format!("{v:e}"),
    }
}

/// Which [`StopReason`] a stop is, before its box is put in the claim's variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    BoxBudget,
    Timeout,
    NoProgress,
    UndecidedPoint,
    UndecidedHypothesis,
}

impl Kind {
    pub fn with(self, at: Resisted) -> StopReason {
        match self {
            Kind::BoxBudget => StopReason::BoxBudget(at),
            Kind::Timeout => StopReason::Timeout(at),
            Kind::NoProgress => StopReason::NoProgress(at),
            Kind::UndecidedPoint => StopReason::UndecidedPoint(at),
            Kind::UndecidedHypothesis => StopReason::UndecidedHypothesis(at),
        }
    }
}

/// One coordinate of a resisting box in the prover's coordinates.
#[derive(Clone, Debug)]
pub(super) struct Side {
    /// An f64 enclosure of the coordinate's range.
    pub lo: f64,
    pub hi: f64,
    /// The exact value when the coordinate is a single point.
    pub point: Option<Rational>,
    /// Whether the box reaches the domain's lower (upper) end on this axis.
    pub at_lo_end: bool,
    pub at_hi_end: bool,
    /// Whether that end is excluded from the domain.
    pub lo_open: bool,
    pub hi_open: bool,
}

/// Margins this close to 0 at a box's centre count as tight.
const TIGHT: f64 = 1e-9;

/// The conclusion `goal` resisting on the box `sides`, said in the claim's variables.
pub(super) fn resisted(problem: &Problem, claim: &Claim, goal: usize, sides: &[Side]) -> Resisted {
    let names = claim.var_names();
    let region = region(problem, claim, sides);
    let centre: Vec<f64> = sides.iter().map(|s| s.lo + (s.hi - s.lo) / 2.0).collect();
    let margin = problem.goals[goal].tape.eval_f64(&centre, &mut Vec::new());
    let tight = margin.abs() <= TIGHT;
    let at_irrational_end = claim.bindings.iter().enumerate().find_map(|(i, b)| {
        let s = &sides[i];
        let near = s.point.is_some() || tight;
        let lower = (s.at_lo_end && near && irrational(&b.lo)).then_some(false);
        let upper = (s.at_hi_end && near && irrational(&b.hi)).then_some(true);
        let upper = lower.or(upper)?;
        Some(irrational_end(problem, claim, i, upper))
    });
    let remedy = at_irrational_end.or_else(|| {
        // The claim's own hypotheses come after the hidden ones of reparametrised bindings.
        let own = &problem.hyps[problem.hyps.len() - claim.hyps.len()..];
        let mut scratch = Vec::new();
        let hypothesis = own
            .iter()
            .find(|h| h.tape.eval_f64(&centre, &mut scratch).abs() <= TIGHT)
            .map(|h| h.text.clone());
        tight.then(|| Remedy::Tight {
            near: names
                .iter()
                .cloned()
                .zip(centre_in_x(problem, &centre))
                .collect(),
            interior: sides.iter().all(|s| !s.at_lo_end && !s.at_hi_end),
            hypothesis,
        })
    });
    Resisted {
        conclusion: problem.goals[goal].text.clone(),
        region,
        remedy,
    }
}

/// The whole domain as a resisting box (a stop before any box was split).
pub(super) fn whole_domain(problem: &Problem) -> Vec<Side> {
    problem
        .axes
        .iter()
        .map(|a| Side {
            lo: a.lo_f,
            hi: a.hi_f,
            point: (a.lo == a.hi).then(|| a.lo.clone()),
            at_lo_end: true,
            at_hi_end: true,
            lo_open: a.lo_open,
            hi_open: a.hi_open,
        })
        .collect()
}

/// The box in the claim's variables: a reparametrised variable's range is enclosed through
/// `x = lo + t (hi - lo)`, and `t = 0` or `1` is its binding's end; single points are given
/// exactly when they are rational.
fn region(problem: &Problem, claim: &Claim, sides: &[Side]) -> Vec<VarRange> {
    let names = claim.var_names();
    let bx = intervals(sides);
    let exact: Vec<Rational> = sides
        .iter()
        .map(|s| s.point.clone().unwrap_or_default())
        .collect();
    let mut scratch = Vec::new();
    let mut out = Vec::with_capacity(sides.len());
    for (i, b) in claim.bindings.iter().enumerate() {
        let s = &sides[i];
        let x = &problem.x_of_y[i];
        let own = *x == Expr::Var(i);
        let points = (0..sides.len()).all(|j| !x.uses_var(j) || sides[j].point.is_some());
        let (lo, hi) = match own {
            true => (s.lo, s.hi),
            false => bounds(problem.x_tapes[i].eval_interval(&bx, &mut scratch).0),
        };
        // A reparametrised coordinate fixed at 0 or 1 is at its binding's lower or upper end.
        let end = s.point.as_ref().filter(|_| !own).and_then(|t| {
            let upper = *t == 1;
            (*t == 0 || upper).then_some(upper)
        });
        let exact = points.then(|| eval_rational(x, &exact).ok()).flatten();
        let range = match (exact, end) {
            (Some(q), _) => Range::Exact(q),
            (None, Some(upper)) => Range::End {
                upper,
                text: end_text(b, upper, &names[..i]),
                lo,
                hi,
            },
            (None, None) => Range::Within {
                lo,
                hi,
                lo_open: s.at_lo_end && s.lo_open,
                hi_open: s.at_hi_end && s.hi_open,
            },
        };
        out.push(VarRange {
            name: names[i].clone(),
            range,
        });
    }
    out
}

fn intervals(sides: &[Side]) -> Vec<Interval> {
    sides
        .iter()
        .map(|s| Interval::try_from((s.lo, s.hi)).unwrap_or(Interval::ENTIRE))
        .collect()
}

fn bounds(iv: Interval) -> (f64, f64) {
    match iv.is_empty() {
        true => (f64::NEG_INFINITY, f64::INFINITY),
        false => (iv.inf(), iv.sup()),
    }
}

/// The claim's variables at a point given in box coordinates (f64, for a hint).
fn centre_in_x(problem: &Problem, y: &[f64]) -> Vec<f64> {
    let mut s = Vec::new();
    problem
        .x_tapes
        .iter()
        .map(|t| t.eval_f64(y, &mut s))
        .collect()
}

/// An end whose value is irrational: a constant one, or one that takes a square root of
/// the earlier variables (irrational at most of their values).
fn irrational(end: &Expr) -> bool {
    fn has_sqrt(e: &Expr) -> bool {
        matches!(e, Expr::Sqrt(_)) || e.children().into_iter().any(has_sqrt)
    }
    match end.is_constant() {
        true => eval_rational(end, &[]) == Err(ExactError::Irrational),
        false => has_sqrt(end),
    }
}

fn end_text(b: &Binding, upper: bool, earlier: &[String]) -> String {
    let end = if upper { &b.hi } else { &b.lo };
    end.pretty_with(earlier)
}

/// The remedy for an irrational end of binding `i`. With an end `sqrt(E)`, the binding is
/// rewritten with a whole-number end `k` that bounds `sqrt(E)` over the whole domain and the
/// hypothesis `x^2 >= E` (`x^2 <= E` at an upper end), which is equivalent where `x >= 0`:
/// at a lower end `k >= 0` gives it; at an upper end the lower end must be `>= 0`.
fn irrational_end(problem: &Problem, claim: &Claim, i: usize, upper: bool) -> Remedy {
    let b = &claim.bindings[i];
    Remedy::IrrationalEnd {
        var: b.name.clone(),
        upper,
        end: end_text(b, upper, &claim.var_names()[..i]),
        rewrite: sqrt_rewrite(problem, claim, i, upper),
    }
}

/// `x in [1, 2] where x^2 >= 2` for `x in [sqrt(2), 2]`; see [`irrational_end`].
fn sqrt_rewrite(problem: &Problem, claim: &Claim, i: usize, upper: bool) -> Option<String> {
    let b = &claim.bindings[i];
    let earlier = &claim.var_names()[..i];
    let whole = intervals(&whole_domain(problem));
    // An enclosure of an end of binding `i` over the whole domain.
    let range = |e: &Expr| {
        let y = e.substitute(&problem.x_of_y);
        let tape = super::tape::Tape::compile(&y, problem.dim());
        bounds(tape.eval_interval(&whole, &mut Vec::new()).0)
    };
    let name = &b.name;
    let (lb, rb) = (
        if b.lo_closed { '[' } else { '(' },
        if b.hi_closed { ']' } else { ')' },
    );
    match (upper, if upper { &b.hi } else { &b.lo }) {
        (false, Expr::Sqrt(e)) => {
            let k = whole_number(range(&b.lo).0.max(0.0).floor())?;
            let op = if b.lo_closed { ">=" } else { ">" };
            let (hi, e) = (b.hi.pretty_with(earlier), e.pretty_with(earlier));
            Some(format!("{name} in [{k}, {hi}{rb} where {name}^2 {op} {e}"))
        }
        (true, Expr::Sqrt(e)) if range(&b.lo).0 >= 0.0 => {
            let k = whole_number(range(&b.hi).1.ceil())?;
            let op = if b.hi_closed { "<=" } else { "<" };
            let (lo, e) = (b.lo.pretty_with(earlier), e.pretty_with(earlier));
            Some(format!("{name} in {lb}{lo}, {k}] where {name}^2 {op} {e}"))
        }
        _ => None,
    }
}

/// `v` as a whole number, if it is one of modest size.
fn whole_number(v: f64) -> Option<Integer> {
    (v.is_finite() && v.abs() < 1e15 && v == v.trunc()).then(|| Integer::from(v as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(lo: f64, hi: f64) -> Range {
        Range::Within {
            lo,
            hi,
            lo_open: false,
            hi_open: false,
        }
    }

    fn resisted(region: Vec<(&str, Range)>, remedy: Option<Remedy>) -> Resisted {
        Resisted {
            conclusion: "x^2 >= 2".into(),
            region: region
                .into_iter()
                .map(|(n, range)| VarRange {
                    name: n.into(),
                    range,
                })
                .collect(),
            remedy,
        }
    }

    #[test]
    fn every_reason_names_its_limit_conclusion_and_box() {
        let r = resisted(vec![("x", within(0.5, 1.0))], None);
        let cases = [
            (StopReason::BoxBudget(r.clone()), "box budget exhausted"),
            (StopReason::Timeout(r.clone()), "timeout"),
            (StopReason::NoProgress(r.clone()), "no progress"),
            (StopReason::UndecidedPoint(r.clone()), "no exact witness"),
            (StopReason::UndecidedHypothesis(r.clone()), "hypothesis"),
        ];
        for (reason, kind) in cases {
            let text = reason.to_string();
            assert!(text.starts_with("`x^2 >= 2`: "), "{text}");
            assert!(text.contains(kind), "{text}");
            assert!(text.ends_with("unresolved box: x in [0.5, 1]"), "{text}");
            assert_eq!(reason.resisted(), &r);
        }
    }

    #[test]
    fn points_are_said_exactly_and_ends_by_their_text() {
        let r = resisted(
            vec![
                ("x", Range::Exact(Rational::from((3, 5)))),
                (
                    "y",
                    Range::End {
                        upper: false,
                        text: "sqrt(2)".into(),
                        lo: std::f64::consts::SQRT_2,
                        hi: std::f64::consts::SQRT_2,
                    },
                ),
                (
                    "s",
                    Range::End {
                        upper: true,
                        text: "sqrt(r)".into(),
                        lo: 0.5,
                        hi: 0.75,
                    },
                ),
            ],
            None,
        );
        assert_eq!(
            StopReason::UndecidedPoint(r).to_string(),
            "`x^2 >= 2`: the conclusion fails or is undecided at this point of the domain's \
             boundary, and it is no exact witness; at x = 3/5, y = sqrt(2) (its lower end, \
             about 1.41421), s = sqrt(r) (its upper end, in [0.5, 0.75])"
        );
    }

    #[test]
    fn enclosures_are_rounded_outward_and_keep_open_ends() {
        let range = Range::Within {
            lo: std::f64::consts::SQRT_2,
            hi: std::f64::consts::PI,
            lo_open: true,
            hi_open: false,
        };
        let v = VarRange {
            name: "u".into(),
            range,
        };
        assert_eq!(v.to_string(), "u in (1.41421, 3.1416]");
        assert_eq!(round_sig(-0.0, false), "0");
        assert_eq!(round_sig(0.375, true), "0.375");
        assert_eq!(round_sig(-1.0 / 3.0, false), "-0.333334");
    }

    /// The remedy for an irrational end of the first binding of `src`'s only claim.
    fn remedy_of(src: &str, var: usize, upper: bool) -> Remedy {
        let claims = crate::lang::parse_source(std::path::Path::new("t.stab"), src).unwrap();
        let problem = Problem::new(&claims[0]);
        irrational_end(&problem, &claims[0], var, upper)
    }

    #[test]
    fn a_sqrt_end_is_rewritten_with_a_whole_number_and_a_square() {
        let text = remedy_of("claim c: forall x in [sqrt(2), 2] => x^2 >= 2", 0, false);
        let text = text.to_string();
        assert!(
            text.starts_with("the lower end of `x`, sqrt(2), is irrational"),
            "{text}"
        );
        assert!(text.contains("`x in [1, 2] where x^2 >= 2`"), "{text}");
        // An open upper end sqrt(10) over x >= 0: a strict hypothesis.
        let r = remedy_of("claim c: forall x in [0, sqrt(10)) => x < 4", 0, true);
        assert!(
            r.to_string().contains("`x in [0, 4] where x^2 < 10`"),
            "{r}"
        );
        // A dependent end: the whole number bounds sqrt(r) over every r.
        let src = "claim c: forall r in [0, 3], s in [0, sqrt(r)] => s^2 <= r";
        let r = remedy_of(src, 1, true);
        assert!(
            r.to_string().contains("`s in [0, 2] where s^2 <= r`"),
            "{r}"
        );
        // Over a range reaching below 0 the square is no equivalent: no rewrite.
        let src = "claim c: forall x in [-5, sqrt(10)] => x < 4";
        let Remedy::IrrationalEnd { rewrite, .. } = remedy_of(src, 0, true) else {
            unreachable!()
        };
        assert_eq!(rewrite, None);
    }

    #[test]
    fn small_and_negative_zero_floats_read_well() {
        assert_eq!(plain(-0.0), "0");
        assert_eq!(plain(5.684341886080802e-14), "5.684341886080802e-14");
        assert_eq!(short(5.684341886080802e-14), "5.68434e-14");
        assert_eq!(round_sig(5.684341886080802e-14, true), "5.68435e-14");
        assert_eq!(short(std::f64::consts::FRAC_1_SQRT_2), "0.707107");
    }
}
