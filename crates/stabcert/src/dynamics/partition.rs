//! The regions must partition the state space: they cover it and are pairwise disjoint.
//!
//! Both are reduced to generated claims the prover decides, over every parameter value:
//!
//! - **Disjoint.** For each pair `A, B` (in the order written), `SYS::disjoint:A,B:below`
//!   (every state of `A` lies below `B`) or `:above`, else `SYS::disjoint:A,B`: "a state of
//!   `A` at or past `B`'s lower end is past its upper end". A refutation of the last is a
//!   parameter and state value in both regions.
//! - **Cover.** The regions are put in a candidate order `R1, ..., Rn` (their ends at one
//!   sample parameter value; the order is not trusted, the claims decide). Then
//!   `SYS::cover:start` says every state is at or past `R1`'s lower end; `SYS::cover:Rk,Rk+1`
//!   says every state past `R1`, ..., `Rk` is at or past `Rk+1`'s lower end; `SYS::cover:end`
//!   says no state is past all of them. If all are proved, every state lies in some region:
//!   take the first `Rk` it is not past; it is at or past `Rk`'s lower end, so it lies in `Rk`.
//!   A refutation is a state past some regions and before the next; it is a gap only if no
//!   region contains it, which is checked exactly before it is reported as one.
//!
//! With the state space invariant (`SYS::invariant`) and covered, every image of a region
//! lies in the union of the regions. Where a gap is found, each region's image is checked
//! against it too (`SYS::R->cover:...`, the cover claim with `next` for the state), so that a
//! map sending a region into the gap is reported with its witness.

use super::{witness_strings, Analysis, EdgeStatus};
use crate::claim::{Binding, Claim, Cond, Region, RelOp};
use crate::expr::Expr;
use crate::mpfi;
use crate::prover::exact::sign_at;
use crate::prover::{check_exact, simplest_between, Status, Verdict, Witness};
use rug::Rational;
use serde::Serialize;
use std::cmp::Ordering;

/// Boxes for a check that only explains a failure already found (an image in a gap).
const DIAGNOSTIC_BOXES: u64 = 1_000;

/// What the partition claims established.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Partition {
    /// The regions from lowest to highest: the order the cover claims follow.
    pub order: Vec<String>,
    /// Every cover and disjointness claim proved: the regions partition the state space.
    pub proved: bool,
    /// Gaps, overlaps and images in gaps, each with its exact witness.
    pub findings: Vec<Finding>,
}

/// A partition failure with its exact witness.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// `gap` (a state in no region), `overlap` (a state in two regions) or `image` (a state
    /// mapped into no region).
    pub kind: String,
    /// The refuted generated claim.
    pub claim: String,
    /// `variable = exact value`, in the claim's binding order.
    #[serde(serialize_with = "super::witness_as_map")]
    pub witness: Option<Vec<(String, String)>>,
    /// What the witness shows, e.g. `y = 1/2 lies in no region`.
    pub detail: String,
}

/// Which regions contain `value` at `point`, decided exactly; `None` if some end or the
/// value is undefined or undecided there.
fn regions_containing(regions: &[Region], value: &Expr, point: &[Rational]) -> Option<Vec<usize>> {
    let mut inside = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        let above_lo = side(&Expr::sub(value.clone(), r.lo.clone()), r.lo_closed, point)?;
        let below_hi = side(&Expr::sub(r.hi.clone(), value.clone()), r.hi_closed, point)?;
        if above_lo && below_hi {
            inside.push(i);
        }
    }
    Some(inside)
}

/// `m > 0` (`>= 0` if `closed`) exactly at `point`.
fn side(m: &Expr, closed: bool, point: &[Rational]) -> Option<bool> {
    match sign_at(m, point) {
        crate::prover::exact::Sign::Is(o) => Some(o == Ordering::Greater || (closed && o.is_eq())),
        _ => None,
    }
}

/// `a = 1/4, y = 1/2`.
fn at(w: &[(String, String)]) -> String {
    let parts: Vec<String> = w.iter().map(|(n, v)| format!("{n} = {v}")).collect();
    parts.join(", ")
}

/// A witness split into its state (the last variable) and the rest: `("y = 1/2", "a = 1/4")`.
fn state_and_rest(w: &[(String, String)]) -> (String, String) {
    match w.split_last() {
        Some((last, rest)) => (at(std::slice::from_ref(last)), at(rest)),
        None => (String::new(), String::new()),
    }
}

/// An approximate value of `e` at `point` (for ordering only; never trusted).
fn approx(e: &Expr, point: &[Rational]) -> Option<f64> {
    const PREC: u32 = 128;
    let balls: Vec<mpfi::Ball> = point
        .iter()
        .map(|q| mpfi::Ball::of_rational(q, PREC))
        .collect();
    let v = mpfi::eval(e, &balls, PREC).ok()?.mid().to_f64();
    v.is_finite().then_some(v)
}

impl Analysis<'_> {
    /// Generates and decides the claims that the regions partition the state space.
    pub(super) fn check_partition(&mut self) {
        let order = self.candidate_order();
        self.partition.order = order
            .iter()
            .map(|&i| self.sys.regions[i].name.clone())
            .collect();
        let problems = self.problems.len();
        self.check_disjoint(&order);
        let gaps = self.check_cover(&order);
        self.partition.proved = self.problems.len() == problems;
        if !gaps.is_empty() {
            self.check_images(&order, &gaps);
        }
    }

    /// One parameter value inside the parameter ranges (the middle of each range in turn).
    fn sample_params(&self) -> Option<Vec<Rational>> {
        let mut point = Vec::new();
        for b in &self.sys.params {
            let (lo, hi) = (approx(&b.lo, &point)?, approx(&b.hi, &point)?);
            point.push(Rational::from_f64(lo + (hi - lo) / 2.0)?);
        }
        Some(point)
    }

    /// Region indices sorted by their ends at a sample parameter value (lower end, a closed
    /// lower end first, then upper end); the order the user wrote if that fails.
    fn candidate_order(&self) -> Vec<usize> {
        let regions = &self.sys.regions;
        let mut order: Vec<usize> = (0..regions.len()).collect();
        let Some(p) = self.sample_params() else {
            return order;
        };
        let keys: Option<Vec<(f64, bool, f64)>> = regions
            .iter()
            .map(|r| Some((approx(&r.lo, &p)?, !r.lo_closed, approx(&r.hi, &p)?)))
            .collect();
        if let Some(keys) = keys {
            order.sort_by(|&a, &b| {
                let (ka, kb) = (keys[a], keys[b]);
                ka.0.total_cmp(&kb.0)
                    .then(ka.1.cmp(&kb.1))
                    .then(ka.2.total_cmp(&kb.2))
            });
        }
        order
    }

    /// `SYS::disjoint:A,B` for every pair, in the order written.
    fn check_disjoint(&mut self, order: &[usize]) {
        let regions = self.sys.regions.clone();
        let position = |i: usize| order.iter().position(|&k| k == i);
        for (i, a) in regions.iter().enumerate() {
            for (j, b) in regions.iter().enumerate().skip(i + 1) {
                let bindings = self.g.bindings(0, self.g.region_binding(a));
                let state = self.g.state_var(0);
                let tag = format!("disjoint:{},{}", a.name, b.name);
                let what = format!("no state of {} lies in {}", a.name, b.name);
                let above_first = position(i) > position(j);
                let (status, name, _) =
                    self.separate(bindings, state, b, &tag, &tag, &what, above_first);
                match status {
                    EdgeStatus::Absent => {}
                    EdgeStatus::Present => self.overlap((a, b), (i, j), name),
                    EdgeStatus::Unknown => self.problems.push(format!(
                        "regions {} and {} are not proved disjoint ({name} is unknown)",
                        a.name, b.name
                    )),
                }
            }
        }
    }

    /// Reports a refuted `disjoint` claim if its witness lies in both regions (checked
    /// exactly).
    fn overlap(&mut self, (a, b): (&Region, &Region), pair: (usize, usize), claim: String) {
        let (sys, state) = (self.sys, self.g.state_var(0));
        let both = |p: &[Rational]| {
            regions_containing(&sys.regions, &state, p)
                .is_some_and(|v| v.contains(&pair.0) && v.contains(&pair.1))
        };
        match self.confirmed_witness(both) {
            Some(w) => {
                let w = witness_strings(w);
                let (state, rest) = state_and_rest(&w);
                let detail = format!("{state} lies in {} and in {}", a.name, b.name);
                self.problems.push(format!(
                    "regions {} and {} overlap: {detail} (at {rest}; {claim})",
                    a.name, b.name
                ));
                self.finding("overlap", claim, detail, w);
            }
            None => self.problems.push(format!(
                "regions {} and {} are not proved disjoint ({claim} is refuted where an end is undefined)",
                a.name, b.name
            )),
        }
    }

    fn finding(&mut self, kind: &str, claim: String, detail: String, w: Vec<(String, String)>) {
        self.partition.findings.push(Finding {
            kind: kind.into(),
            claim,
            detail,
            witness: Some(w),
        });
    }

    /// The witness of the claim generated last, if it is refuted and `keep` holds at its
    /// witness exactly; made simpler (and stored so) while both still hold.
    fn confirmed_witness(&mut self, keep: impl Fn(&[Rational]) -> bool) -> Option<Witness> {
        let g = self.generated.last_mut()?;
        let w = g.outcome.witness()?.clone();
        if !keep(&w.rational_point()?) {
            return None;
        }
        let w = tidy(&g.claim, w, &keep);
        g.outcome.status = Status::Refuted(w.clone());
        Some(w)
    }

    /// `value` past region `r`: above its upper end (or at it, if `r` is open there).
    fn past(&self, names: &[String], value: &Expr, r: &Region) -> Cond {
        let op = if r.hi_closed { RelOp::Gt } else { RelOp::Ge };
        self.g.cond(names, value.clone(), op, r.hi.clone())
    }

    /// `value` at or past region `r`'s lower end, as a state of `r` is.
    fn reaches(&self, names: &[String], value: &Expr, r: &Region) -> Cond {
        let op = if r.lo_closed { RelOp::Ge } else { RelOp::Gt };
        self.g.cond(names, value.clone(), op, r.lo.clone())
    }

    /// The cover claim for slot `k` of `order` (0: below the first region, `n`: above the
    /// last, else between regions `k - 1` and `k`) about `value` over `bindings`: its name
    /// suffix, hypotheses and conclusion.
    fn slot(
        &self,
        order: &[usize],
        k: usize,
        bindings: &[Binding],
        value: &Expr,
    ) -> (String, String, Vec<Cond>, Cond) {
        let regions = &self.sys.regions;
        let names = self.g.names(bindings);
        let n = order.len();
        let r = |i: usize| &regions[order[i]];
        // Past every region before the slot (all but the last one for the end slot).
        let before = if k == n { n - 1 } else { k };
        let hyps: Vec<Cond> = (0..before)
            .map(|i| self.past(&names, value, r(i)))
            .collect();
        if k == n {
            let last = r(n - 1);
            let op = if last.hi_closed { RelOp::Le } else { RelOp::Lt };
            let goal = self.g.cond(&names, value.clone(), op, last.hi.clone());
            let place = format!("above {}, the highest region", last.name);
            return ("end".into(), place, hyps, goal);
        }
        let goal = self.reaches(&names, value, r(k));
        if k == 0 {
            let place = format!("below {}, the lowest region", r(0).name);
            return ("start".into(), place, hyps, goal);
        }
        let (a, b) = (&r(k - 1).name, &r(k).name);
        (
            format!("{a},{b}"),
            format!("between {a} and {b}"),
            hyps,
            goal,
        )
    }

    /// `SYS::cover:...` for every slot of `order`; returns the slots with a confirmed gap.
    fn check_cover(&mut self, order: &[usize]) -> Vec<usize> {
        if order.is_empty() {
            return Vec::new();
        }
        let bindings = self.g.bindings(0, self.sys.state.clone());
        let state = self.g.state_var(0);
        let mut gaps = Vec::new();
        for k in 0..=order.len() {
            let (suffix, place, hyps, goal) = self.slot(order, k, &bindings, &state);
            let c = self.g.claim(
                format!("cover:{suffix}"),
                format!("no state lies {place}"),
                bindings.clone(),
                hyps,
                vec![goal],
            );
            let name = c.name.clone();
            let verdict = self.prove(c).verdict();
            let sys = self.sys;
            let in_none = |p: &[Rational]| {
                regions_containing(&sys.regions, &state, p).is_some_and(|v| v.is_empty())
            };
            match (verdict, self.confirmed_witness(in_none)) {
                (Verdict::Proved, _) => {}
                (_, Some(w)) => {
                    let w = witness_strings(w);
                    let (state, rest) = state_and_rest(&w);
                    let detail = format!("{state} lies in no region");
                    self.problems.push(format!(
                        "the regions leave a gap in the state space: {detail} (at {rest}; {name})"
                    ));
                    self.finding("gap", name, detail, w);
                    gaps.push(k);
                }
                (Verdict::Refuted, None) => self.problems.push(format!(
                    "the regions are not proved to cover the state space ({name} is refuted, but \
                     its witness lies in some region: the regions' order may change with the parameters)"
                )),
                (Verdict::Unknown, None) => self.problems.push(format!(
                    "the regions are not proved to cover the state space ({name} is unknown)"
                )),
            }
        }
        gaps
    }

    /// `SYS::R->cover:...`: `next` from `R` does not land in slot `k` of `order`.
    fn image_claim(&self, order: &[usize], k: usize, r: &Region) -> Claim {
        let next = self.g.next_iterated(1);
        let bindings = self.g.bindings(1, self.g.region_binding(r));
        let (suffix, place, hyps, goal) = self.slot(order, k, &bindings, &next);
        self.g.claim(
            format!("{}->cover:{suffix}", r.name),
            format!("next maps no state of {} {place}", r.name),
            bindings,
            hyps,
            vec![goal],
        )
    }

    /// Every image claim [`Analysis::check_images`] may generate, one a region and slot of
    /// the candidate order (they are generated only where a gap is found, but a proved one
    /// gets a certificate, which a recheck must recognise).
    pub(super) fn image_candidates(&self) -> Vec<Claim> {
        let order = self.candidate_order();
        let mut out = Vec::new();
        for k in 0..=order.len() {
            for r in &self.sys.regions {
                out.push(self.image_claim(&order, k, r));
            }
        }
        out
    }

    /// For each gap slot and each region: `SYS::R->cover:...`, the slot's cover claim about
    /// `next` from `R`, with a small budget (the system already fails; this says why it
    /// matters).
    fn check_images(&mut self, order: &[usize], gaps: &[usize]) {
        let regions = self.sys.regions.clone();
        let next = self.g.next_iterated(1);
        for &k in gaps {
            for r in &regions {
                let bindings = self.g.bindings(1, self.g.region_binding(r));
                let c = self.image_claim(order, k, r);
                let name = c.name.clone();
                self.prove_within(c, Some(DIAGNOSTIC_BOXES));
                let (sys, next) = (self.sys, &next);
                let in_none = |p: &[Rational]| {
                    regions_containing(&sys.regions, next, p).is_some_and(|v| v.is_empty())
                };
                let Some(w) = self.confirmed_witness(in_none) else {
                    continue;
                };
                let image = crate::prover::exact::eval_rational(next, &exact_values(&w))
                    .map_or_else(
                        |_| next.pretty_with(&self.g.names(&bindings)),
                        |q| q.to_string(),
                    );
                let w = witness_strings(w);
                let (state, rest) = state_and_rest(&w);
                let detail = format!("next maps {state} to {image}, in no region");
                self.problems.push(format!(
                    "{} is mapped into a gap: {detail} (at {rest}; {name})",
                    r.name
                ));
                self.finding("image", name, detail, w);
            }
        }
    }
}

/// A simpler witness of `claim`: each variable in turn is replaced by the simplest rational
/// within a relative distance 1/10 (else 1/100, ...) of its value where the claim still fails
/// exactly and `keep` still holds. Floats guide nothing here; every step is re-checked.
fn tidy(claim: &Claim, w: Witness, keep: impl Fn(&[Rational]) -> bool) -> Witness {
    let mut point = exact_values(&w);
    let mut failing = w.failing;
    for i in 0..point.len() {
        for digits in 1..=6u32 {
            let x = point[i].clone();
            let r = x.clone().abs().max(Rational::from(1)) / Rational::from(10u32.pow(digits));
            let simpler = simplest_between(&Rational::from(&x - &r), &Rational::from(&x + &r));
            if simpler == x {
                break;
            }
            let mut p = point.clone();
            p[i] = simpler;
            if let Some(f) = check_exact(claim, &p).filter(|_| keep(&p)) {
                point = p;
                failing = f;
                break;
            }
        }
    }
    let names = w.values.into_iter().map(|(n, _)| n);
    Witness {
        values: names.zip(point).collect(),
        failing,
        surd: None,
    }
}

/// The witness's values, in binding order.
fn exact_values(w: &Witness) -> Vec<Rational> {
    w.values.iter().map(|(_, v)| v.clone()).collect()
}
