//! `stabcert audit`: a statement checked as it is written, constant by constant and clause by
//! clause.
//!
//! The audit is driven by a specification (`spec`, a TOML file beside the proofs) that names,
//! for each constant, the parametric claims whose thresholds bound its valid range, and for
//! each clause, the claims that refute it as written and prove it as corrected. Nothing about
//! the statement is built in: the verdicts come from the prover (`proved` and exactly
//! re-checked `refuted`), the sharp values from `threshold` (MPFR branch and bound and
//! bisection, each failing point re-checked exactly), and a declared verdict is accepted only
//! when the claims it names come out as it says.

pub mod newton;
mod render;
pub mod spec;
pub mod threshold;

use crate::claim::{Claim, System};
use crate::expr::Expr;
use crate::lang;
use crate::mpfi;
use crate::prover::{self, exact::eval_rational, Budget, Verdict as ProverVerdict};
use rayon::prelude::*;
use rug::{Float, Integer, Rational};

use serde::Serialize;
use spec::{Condition, End, SideName, Spec, Verdict};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use threshold::Threshold;

pub use render::{to_markdown, to_text};

/// Most significant digits `--digits` accepts.
pub const MAX_DIGITS: u32 = 200;

/// Limits of an audit run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Significant digits of every enclosure.
    pub digits: u32,
    /// Boxes per decision of a threshold bisection.
    pub max_boxes: u64,
    /// The prover's budget for each named claim.
    pub budget: Budget,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            digits: 30,
            max_boxes: 200_000,
            budget: Budget::default(),
        }
    }
}

/// A bad specification or proof file: the message is complete (file, position, what).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

/// The audit's result; every exact number is a string (an integer, `p/q` or a decimal).
#[derive(Debug, Serialize)]
pub struct Audit {
    /// Version of this JSON layout (1).
    pub version: u32,
    /// Significant digits of every enclosure (`Options::digits`).
    pub digits: u32,
    /// Path of the specification, as given.
    pub spec: String,
    /// One report per `[[constant]]` of the specification, in its order.
    pub constants: Vec<ConstantReport>,
    /// One report per `[[clause]]` of the specification, in its order.
    pub clauses: Vec<ClauseReport>,
    /// One report per `[[gamma_max]]` case of the specification, in its order.
    pub gamma_max: Vec<GammaMaxReport>,
    /// The corrected statement named by the specification (Markdown), for reports.
    #[serde(skip)]
    pub corrected_md: Option<String>,
    /// Whether every verdict is backed by its claims and every enclosure is complete.
    pub ok: bool,
    /// Why `ok` is false, one complete sentence each (empty when `ok`).
    pub problems: Vec<String>,
}

/// `lower <= value <= upper`; a missing end is unbounded (the claim held on the whole
/// range searched).
#[derive(Clone, Debug, Serialize)]
pub struct Enclosure {
    /// A decimal rounded down (a rigorous lower bound); `None` when unbounded below.
    pub lower: Option<String>,
    /// A decimal rounded up (a rigorous upper bound); `None` when unbounded above.
    pub upper: Option<String>,
}

/// What the audit found for one `[[constant]]` of the specification.
#[derive(Debug, Serialize)]
pub struct ConstantReport {
    /// The constant's name in the specification.
    pub name: String,
    /// The value as the statement gives it (a decimal or `p/q`, as written).
    pub stated: String,
    /// What the constant is in the statement (free text from the specification).
    pub role: String,
    /// Where the statement uses it (free text from the specification), if given.
    pub seed: Option<String>,
    /// The verdict shown: the specification's declared one if any, else `range_verdict`.
    pub verdict: Verdict,
    /// The verdict the valid range alone implies for the stated value.
    pub range_verdict: Verdict,
    /// Enclosure of the sharp value (the `sharp_end` end of the valid range); both ends `None` if
    /// no threshold was found.
    pub sharp: Enclosure,
    /// Which end of the valid range is the sharp value: `"lower"` or `"upper"`.
    pub sharp_end: &'static str,
    /// The specification's closed form of the sharp value, checked against `sharp` in MPFR.
    pub sharp_form: Option<String>,
    /// The root of the specification's equation by interval Newton, if one was given and found.
    pub sharp_root: Option<RootReport>,
    /// Enclosures of both ends of the range of values for which the constant's conditions hold.
    pub valid: ValidRange,
    /// `|stated - sharp|`.
    pub slack: Option<Enclosure>,
    /// A point just beyond the sharp value where its claim fails, re-checked exactly.
    pub witness: Option<BTreeMap<String, String>>,
    /// The name of the claim that `witness` refutes.
    pub witness_claim: Option<String>,
    /// The condition under which the constant holds (free text from the specification).
    pub condition: Option<String>,
    /// The corrected value or wording (free text from the specification).
    pub correction: Option<String>,
    /// The named claims the verdict rests on, with what the prover said of each.
    pub claims: Vec<ClaimCheck>,
    /// A note from the specification, shown as is.
    pub note: Option<String>,
}

/// The range of values of a constant for which its conditions hold.
#[derive(Debug, Serialize)]
pub struct ValidRange {
    /// Enclosure of the lower end (the largest lower threshold); `None` if no condition bounds it
    /// below.
    pub lower: Option<Enclosure>,
    /// Enclosure of the upper end (the smallest upper threshold); `None` if no condition bounds it
    /// above.
    pub upper: Option<Enclosure>,
}

/// What the audit found for one `[[clause]]` of the specification.
#[derive(Debug, Serialize)]
pub struct ClauseReport {
    /// The clause's identifier in the specification.
    pub id: String,
    /// The clause as the statement words it.
    pub text: String,
    /// The verdict the specification declares (backed by `claims` and `systems`, else a problem).
    pub verdict: Verdict,
    /// The condition under which the clause holds (free text from the specification).
    pub condition: Option<String>,
    /// The exact witness (variable name to integer or `p/q`) of the first refuted claim that has
    /// one.
    pub witness: Option<BTreeMap<String, String>>,
    /// The name of the claim that `witness` refutes.
    pub witness_claim: Option<String>,
    /// The exact trajectory from the witness, `u_0, u_1, ...`, the noise held at its value.
    pub trajectory: Option<Vec<String>>,
    /// The corrected wording (free text from the specification).
    pub correction: Option<String>,
    /// The named claims the verdict rests on, with what the prover said of each.
    pub claims: Vec<ClaimCheck>,
    /// The systems whose analysis must hold, and whether it did.
    pub systems: Vec<SystemCheck>,
    /// A note from the specification, shown as is.
    pub note: Option<String>,
}

/// What the audit found for one `[[gamma_max]]` case: the largest step size the conditions allow.
#[derive(Debug, Serialize)]
pub struct GammaMaxReport {
    /// The case's name in the specification.
    pub case: String,
    /// Lower end of the threshold's enclosure, a decimal rounded down (empty if none was found).
    pub lower: String,
    /// Upper end of the threshold's enclosure, a decimal rounded up (empty if none was found).
    pub upper: String,
    /// The condition whose threshold is the smallest.
    pub binding: String,
    /// The specification's closed form of the threshold, checked against the enclosure in MPFR.
    pub sharp_form: Option<String>,
    /// The root of the specification's equation by interval Newton, if one was given and found.
    pub sharp_root: Option<RootReport>,
    /// The step size (as the specification writes it) at which `claims` must be proved, just below
    /// the threshold.
    pub proved_at: String,
    /// The claims that must be proved at `proved_at`, with what the prover said of each.
    pub claims: Vec<ClaimCheck>,
    /// A note from the specification, shown as is.
    pub note: Option<String>,
}

/// The root of a specification's equation by interval Newton (existence and uniqueness in
/// the range proved), beside the threshold's enclosure.
#[derive(Clone, Debug, Serialize)]
pub struct RootReport {
    /// The equation's left-hand side, as the specification writes it (`= 0` is implied).
    pub equation: String,
    /// Lower end of the root's enclosure, a decimal rounded down.
    pub lower: String,
    /// Upper end of the root's enclosure, a decimal rounded up.
    pub upper: String,
    /// Whether the root's enclosure meets the threshold's.
    pub agrees: bool,
}

/// A named claim, what the audit needs of it and what the prover said.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimCheck {
    /// The claim's name in the proof files.
    pub name: String,
    /// The verdict the audit needs (`Proved` or `Refuted`).
    pub expected: ProverVerdict,
    /// The verdict the prover returned under `Options::budget`.
    pub verdict: ProverVerdict,
    /// Whether `verdict` is `expected`.
    pub ok: bool,
    /// The exact witness (variable name to integer or `p/q`) when the claim is refuted.
    pub witness: Option<BTreeMap<String, String>>,
}

/// A system named by a clause and whether its analysis holds.
#[derive(Clone, Debug, Serialize)]
pub struct SystemCheck {
    /// The system's name in the proof files.
    pub name: String,
    /// Whether `dynamics::analyse` found the system holding: every edge decided, every cycle
    /// accounted for.
    pub holds: bool,
}

/// Reads the specification at `path`, runs it and returns the audit. `Err` only for input
/// errors (unreadable or invalid specification or proof files, unknown names).
pub fn run(path: &Path, opts: &Options) -> Result<Audit, SpecError> {
    let spec = read_spec(path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let files: Vec<PathBuf> = spec.files.iter().map(|f| base.join(f)).collect();
    let doc = lang::load_documents(&files).map_err(|d| SpecError(d.to_string()))?;
    let ctx = Context::new(path, &doc.claims, &doc.systems, opts);
    ctx.check_names(&spec)?;
    for c in &spec.constants {
        parse_number(&c.stated).ok_or_else(|| {
            SpecError(format!(
                "{}: constant `{}`: `stated` must be a decimal or p/q, not `{}`",
                path.display(),
                c.name,
                c.stated
            ))
        })?;
    }
    let forms: HashMap<String, Expr> = spec
        .constants
        .iter()
        .filter_map(|c| c.sharp_form.as_ref())
        .chain(spec.gamma_max.iter().filter_map(|g| g.sharp_form.as_ref()))
        .map(|f| Ok((f.clone(), parse_form(path, f)?)))
        .collect::<Result<_, SpecError>>()?;
    let roots: HashMap<String, (Expr, Rational, Rational)> = spec
        .constants
        .iter()
        .filter_map(|c| c.sharp_root.as_ref())
        .chain(spec.gamma_max.iter().filter_map(|g| g.sharp_root.as_ref()))
        .map(|r| Ok((r.equation.clone(), parse_root(path, r)?)))
        .collect::<Result<_, SpecError>>()?;
    let corrected_md = match &spec.corrected {
        Some(f) => Some(std::fs::read_to_string(base.join(f)).map_err(|e| {
            SpecError(format!(
                "{}: corrected = {f:?}: cannot read: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let mut audit = ctx.audit(&spec, &forms, &roots);
    audit.corrected_md = corrected_md;
    Ok(audit)
}

/// An equation in one variable and its range.
fn parse_root(path: &Path, r: &spec::RootSpec) -> Result<(Expr, Rational, Rational), SpecError> {
    let bad = |what: String| SpecError(format!("{}: sharp_root: {what}", path.display()));
    let (Some(lo), Some(hi)) = (parse_number(&r.lower), parse_number(&r.upper)) else {
        return Err(bad("lower and upper must be numbers".into()));
    };
    if lo >= hi {
        return Err(bad("lower must be below upper".into()));
    }
    let e = parse_expr(&r.equation, &r.var).map_err(|m| {
        bad(format!(
            "`{}` is not an equation in {}: {m}",
            r.equation, r.var
        ))
    })?;
    Ok((e, lo, hi))
}

fn read_spec(path: &Path) -> Result<Spec, SpecError> {
    let bytes = std::fs::read(path)
        .map_err(|e| SpecError(format!("{}: cannot read: {e}", path.display())))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let d = lang::Diagnostic::at_byte(
                path,
                &bytes,
                at,
                "not UTF-8 text: is this a binary file?",
            );
            return Err(SpecError(d.to_string()));
        }
    };
    if text.trim().is_empty() {
        return Err(SpecError(format!(
            "{}: empty audit specification",
            path.display()
        )));
    }
    let spec: Spec = toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_string();
        let d = match e.span() {
            Some(span) => lang::Diagnostic::at_byte(path, &bytes, span.start, message),
            None => lang::Diagnostic::unpositioned(path, message),
        };
        SpecError(d.to_string())
    })?;
    if spec.version != 1 {
        return Err(SpecError(format!(
            "{}: unsupported audit specification version {} (this stabcert reads version 1)",
            path.display(),
            spec.version
        )));
    }
    Ok(spec)
}

/// Parses `text` as an expression of the claim language in the variable `var` (`Var(0)`),
/// through a one-line claim; the error is the parser's message.
fn parse_expr(text: &str, var: &str) -> Result<Expr, String> {
    let src = format!("claim e: forall {var} in [0, 1] => {text} > 0\n");
    let mut claims = lang::parse_source(Path::new("expression"), &src).map_err(|d| d.message)?;
    Ok(claims.remove(0).goals.remove(0).lhs)
}

/// A closed form (an expression without variables).
fn parse_form(path: &Path, form: &str) -> Result<Expr, SpecError> {
    let bad = |what: String| SpecError(format!("{}: sharp_form `{form}` {what}", path.display()));
    let e = parse_expr(form, "z_").map_err(|m| bad(format!("is not an expression: {m}")))?;
    if e.uses_var(0) {
        return Err(bad("must be a constant".into()));
    }
    Ok(e)
}

/// Decimal `1.25`, integer or `p/q`.
fn parse_number(s: &str) -> Option<Rational> {
    let s = s.trim();
    if let Some((p, q)) = s.split_once('/') {
        let (p, q): (Integer, Integer) = (p.trim().parse().ok()?, q.trim().parse().ok()?);
        return (q != 0).then(|| Rational::from((p, q)));
    }
    lang::decimal(s).ok()
}

struct Context<'a> {
    spec_path: &'a Path,
    claims: HashMap<&'a str, &'a Claim>,
    systems: HashMap<&'a str, &'a System>,
    opts: &'a Options,
}

impl<'a> Context<'a> {
    fn new(
        spec_path: &'a Path,
        claims: &'a [Claim],
        systems: &'a [System],
        opts: &'a Options,
    ) -> Self {
        Context {
            spec_path,
            claims: claims.iter().map(|c| (c.name.as_str(), c)).collect(),
            systems: systems.iter().map(|s| (s.name.as_str(), s)).collect(),
            opts,
        }
    }

    /// Every name in the specification exists (an input error otherwise).
    fn check_names(&self, spec: &Spec) -> Result<(), SpecError> {
        let unknown = |what: &str, owner: &str, name: &str| {
            SpecError(format!(
                "{}: {owner}: no {what} named `{name}` in the proof files",
                self.spec_path.display()
            ))
        };
        let conds = |owner: &str, cs: &[Condition]| -> Result<(), SpecError> {
            for c in cs {
                let claim = self
                    .claims
                    .get(c.claim.as_str())
                    .ok_or_else(|| unknown("claim", owner, &c.claim))?;
                if !claim.bindings.iter().any(|b| b.name == c.param) {
                    return Err(SpecError(format!(
                        "{}: {owner}: claim `{}` has no variable `{}`",
                        self.spec_path.display(),
                        c.claim,
                        c.param
                    )));
                }
            }
            Ok(())
        };
        let names = |owner: &str, ns: &[String]| -> Result<(), SpecError> {
            match ns.iter().find(|n| !self.claims.contains_key(n.as_str())) {
                Some(n) => Err(unknown("claim", owner, n)),
                None => Ok(()),
            }
        };
        for c in &spec.constants {
            let owner = format!("constant `{}`", c.name);
            conds(&owner, &c.lower)?;
            conds(&owner, &c.upper)?;
            names(&owner, &c.proved)?;
            names(&owner, &c.refuted)?;
            let sharp_end = match c.sharp {
                End::Lower => &c.lower,
                End::Upper => &c.upper,
            };
            if sharp_end.is_empty() {
                return Err(SpecError(format!(
                    "{}: {owner}: the sharp end has no condition",
                    self.spec_path.display()
                )));
            }
        }
        for c in &spec.clauses {
            let owner = format!("clause `{}`", c.id);
            names(&owner, &c.proved)?;
            names(&owner, &c.refuted)?;
            if let Some(s) = c
                .systems
                .iter()
                .chain(c.trajectory.as_ref().map(|t| &t.system))
                .find(|s| !self.systems.contains_key(s.as_str()))
            {
                return Err(unknown("system", &owner, s));
            }
            if c.verdict == Verdict::False && c.refuted.is_empty() {
                return Err(SpecError(format!(
                    "{}: {owner}: a false clause needs a refuted claim (its witness)",
                    self.spec_path.display()
                )));
            }
            if c.trajectory.as_ref().is_some_and(|t| t.steps > 16) {
                return Err(SpecError(format!(
                    "{}: {owner}: at most 16 trajectory steps (exact sizes grow 3^t)",
                    self.spec_path.display()
                )));
            }
        }
        for g in &spec.gamma_max {
            let owner = format!("gamma_max `{}`", g.case);
            conds(&owner, &g.conditions)?;
            names(&owner, &g.proved)?;
            if g.conditions.is_empty() || parse_number(&g.proved_at).is_none() {
                return Err(SpecError(format!(
                    "{}: {owner}: needs conditions and a numeric proved_at",
                    self.spec_path.display()
                )));
            }
        }
        Ok(())
    }

    fn audit(
        &self,
        spec: &Spec,
        forms: &HashMap<String, Expr>,
        roots: &HashMap<String, (Expr, Rational, Rational)>,
    ) -> Audit {
        // Every claim and threshold once, in parallel; then the reports read the tables.
        let mut named: Vec<&str> = Vec::new();
        let mut conds: Vec<&Condition> = Vec::new();
        for c in &spec.constants {
            named.extend(c.proved.iter().chain(&c.refuted).map(String::as_str));
            conds.extend(c.lower.iter().chain(&c.upper));
        }
        for c in &spec.clauses {
            named.extend(c.proved.iter().chain(&c.refuted).map(String::as_str));
        }
        for g in &spec.gamma_max {
            named.extend(g.proved.iter().map(String::as_str));
            conds.extend(&g.conditions);
        }
        named.sort_unstable();
        named.dedup();
        let outcomes: HashMap<&str, prover::Outcome> = named
            .par_iter()
            .map(|n| (*n, prover::prove(self.claims[n], &self.opts.budget)))
            .collect();
        let keys: Vec<(String, String, SideName)> = {
            let mut k: Vec<_> = conds
                .iter()
                .map(|c| (c.claim.clone(), c.param.clone(), c.side))
                .collect();
            k.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            k.dedup();
            k
        };
        let thresholds: HashMap<(String, String), Result<Threshold, String>> = keys
            .par_iter()
            .map(|(claim, param, side)| {
                let t = threshold::threshold(
                    self.claims[claim.as_str()],
                    param,
                    (*side).into(),
                    self.opts.digits,
                    self.opts.max_boxes,
                )
                .map_err(|e| e.to_string());
                ((claim.clone(), param.clone()), t)
            })
            .collect();
        let mut run = Run {
            ctx: self,
            outcomes,
            thresholds,
            forms,
            roots,
            problems: Vec::new(),
        };
        let constants = spec.constants.iter().map(|c| run.constant(c)).collect();
        let clauses = spec.clauses.iter().map(|c| run.clause(c)).collect();
        let gamma_max = spec.gamma_max.iter().map(|g| run.gamma_max(g)).collect();
        Audit {
            version: 1,
            digits: self.opts.digits,
            spec: self.spec_path.display().to_string(),
            constants,
            clauses,
            gamma_max,
            corrected_md: None,
            ok: run.problems.is_empty(),
            problems: run.problems,
        }
    }
}

struct Run<'r, 'a> {
    ctx: &'r Context<'a>,
    outcomes: HashMap<&'a str, prover::Outcome>,
    thresholds: HashMap<(String, String), Result<Threshold, String>>,
    forms: &'r HashMap<String, Expr>,
    roots: &'r HashMap<String, (Expr, Rational, Rational)>,
    problems: Vec<String>,
}

/// The combined threshold of several conditions bounding one end of a range.
struct Combined {
    lower: Rational,
    upper: Rational,
    /// Unbounded on the far side (every condition held on its whole range).
    open: bool,
    witness: Option<(String, Vec<(String, Rational)>)>,
}

impl Run<'_, '_> {
    fn digits(&self) -> u32 {
        self.ctx.opts.digits
    }

    fn check(&mut self, owner: &str, names: &[String], expected: ProverVerdict) -> Vec<ClaimCheck> {
        names
            .iter()
            .map(|n| {
                let o = &self.outcomes[n.as_str()];
                let ok = o.verdict() == expected;
                if !ok {
                    self.problems.push(format!(
                        "{owner}: claim `{n}` is {:?}, the audit needs it {:?}",
                        o.verdict(),
                        expected
                    ));
                }
                ClaimCheck {
                    name: n.clone(),
                    expected,
                    verdict: o.verdict(),
                    ok,
                    witness: o.witness().map(|w| w.texts().into_iter().collect()),
                }
            })
            .collect()
    }

    fn claims(&mut self, owner: &str, proved: &[String], refuted: &[String]) -> Vec<ClaimCheck> {
        let mut v = self.check(owner, proved, ProverVerdict::Proved);
        v.extend(self.check(owner, refuted, ProverVerdict::Refuted));
        v
    }

    /// The thresholds of `conds` combined: the most restrictive one counts (the largest for
    /// a lower end of a valid range, the smallest for an upper end).
    fn combine(&mut self, owner: &str, conds: &[Condition], end: End) -> Option<Combined> {
        let mut acc: Option<Combined> = None;
        for c in conds {
            let t = match &self.thresholds[&(c.claim.clone(), c.param.clone())] {
                Ok(t) => t.clone(),
                Err(why) => {
                    self.problems.push(format!("{owner}: {why}"));
                    return None;
                }
            };
            if !t.complete {
                self.problems.push(format!(
                    "{owner}: the threshold of `{}` stopped before {} digits (box budget)",
                    c.claim,
                    self.digits()
                ));
            }
            let this = Combined {
                lower: t.lower.clone(),
                upper: t.upper.clone(),
                open: t.whole_range,
                witness: t.witness.clone().map(|w| (c.claim.clone(), w)),
            };
            acc = Some(match acc {
                None => this,
                Some(a) => {
                    let this_wins = match end {
                        End::Lower => this.upper > a.upper,
                        End::Upper => this.lower < a.lower,
                    };
                    let (lower, upper) = match end {
                        End::Lower => (
                            a.lower.clone().max(this.lower.clone()),
                            a.upper.clone().max(this.upper.clone()),
                        ),
                        End::Upper => (
                            a.lower.clone().min(this.lower.clone()),
                            a.upper.clone().min(this.upper.clone()),
                        ),
                    };
                    let winner = if this_wins { this } else { a };
                    Combined {
                        lower,
                        upper,
                        open: winner.open,
                        witness: winner.witness,
                    }
                }
            });
        }
        acc
    }

    fn enclosure(&self, c: &Combined, end: End) -> Enclosure {
        let d = self.digits();
        // A condition that held on its whole range bounds the end only on one side.
        let (lo, hi) = match (c.open, end) {
            (true, End::Upper) => (Some(&c.lower), None),
            (true, End::Lower) => (None, Some(&c.upper)),
            (false, _) => (Some(&c.lower), Some(&c.upper)),
        };
        Enclosure {
            lower: lo.map(|q| decimal(q, d, Dir::Down)),
            upper: hi.map(|q| decimal(q, d, Dir::Up)),
        }
    }

    fn constant(&mut self, c: &spec::Constant) -> ConstantReport {
        let owner = format!("constant `{}`", c.name);
        let stated = parse_number(&c.stated).expect("checked when loading");
        let lower = self.combine(&owner, &c.lower, End::Lower);
        let upper = self.combine(&owner, &c.upper, End::Upper);
        let sharp = match c.sharp {
            End::Lower => lower.as_ref(),
            End::Upper => upper.as_ref(),
        };
        // Where the stated value lies against the valid range.
        let above_lower = lower.as_ref().map(|l| l.open || stated > l.upper);
        let below_lower = lower.as_ref().map(|l| !l.open && stated < l.lower);
        let below_upper = upper.as_ref().map(|u| u.open || stated < u.lower);
        let above_upper = upper.as_ref().map(|u| !u.open && stated > u.upper);
        let range_verdict = if below_lower == Some(true) || above_upper == Some(true) {
            Verdict::False
        } else if above_lower != Some(false) && below_upper != Some(false) {
            Verdict::HoldsWithSlack
        } else {
            Verdict::Holds
        };
        let verdict = c.verdict.unwrap_or(range_verdict);
        // A conditional constant is compared with its sharp value only under the condition.
        let slack = sharp.filter(|s| !s.open && c.condition.is_none()).map(|s| {
            let a = Rational::from(&stated - &s.lower).abs();
            let b = Rational::from(&stated - &s.upper).abs();
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let d = self.digits();
            Enclosure {
                lower: Some(decimal(&lo, d, Dir::Down)),
                upper: Some(decimal(&hi, d, Dir::Up)),
            }
        });
        if let (Some(form), Some(s)) = (&c.sharp_form, sharp) {
            self.check_form(&owner, form, s);
        }
        let sharp_root = match (&c.sharp_root, sharp) {
            (Some(r), Some(s)) => self.check_root(&owner, r, s),
            _ => None,
        };
        let claims = self.claims(&owner, &c.proved, &c.refuted);
        let (witness_claim, witness) = match sharp.and_then(|s| s.witness.as_ref()) {
            Some((name, w)) => (Some(name.clone()), Some(exact_map(w))),
            None => (None, None),
        };
        ConstantReport {
            name: c.name.clone(),
            stated: c.stated.clone(),
            role: c.role.clone(),
            seed: c.seed.clone(),
            verdict,
            range_verdict,
            sharp: sharp.map_or(
                Enclosure {
                    lower: None,
                    upper: None,
                },
                |s| self.enclosure(s, c.sharp),
            ),
            sharp_end: match c.sharp {
                End::Lower => "lower",
                End::Upper => "upper",
            },
            sharp_form: c.sharp_form.clone(),
            sharp_root,
            valid: ValidRange {
                lower: lower.as_ref().map(|l| self.enclosure(l, End::Lower)),
                upper: upper.as_ref().map(|u| self.enclosure(u, End::Upper)),
            },
            slack,
            witness,
            witness_claim,
            condition: c.condition.clone(),
            correction: c.correction.clone(),
            claims,
            note: c.note.clone(),
        }
    }

    /// The closed form, evaluated in MPFR, must meet the enclosure.
    fn check_form(&mut self, owner: &str, form: &str, s: &Combined) {
        let prec = self.digits() * 4 + 64;
        match mpfi::eval(&self.forms[form], &[], prec) {
            Ok(v) => {
                let below = !s.open && v.hi < Float::with_val(prec, &s.lower);
                let above = v.lo > Float::with_val(prec, &s.upper);
                if below || (!s.open && above) {
                    self.problems.push(format!(
                        "{owner}: the closed form {form} = {} lies outside the enclosure",
                        v.lo.to_f64()
                    ));
                }
            }
            Err(_) => self
                .problems
                .push(format!("{owner}: the closed form {form} is undefined")),
        }
    }

    /// Solves the specification's equation by interval Newton; its root must meet the
    /// threshold's enclosure.
    fn check_root(&mut self, owner: &str, r: &spec::RootSpec, s: &Combined) -> Option<RootReport> {
        let (e, lo, hi) = &self.roots[&r.equation];
        match newton::root(e, lo, hi, self.digits()) {
            Ok(root) => {
                let agrees = root.upper >= s.lower && (s.open || root.lower <= s.upper);
                if !agrees {
                    self.problems.push(format!(
                        "{owner}: the root of {} (interval Newton) lies outside the enclosure",
                        r.equation
                    ));
                }
                let d = self.digits();
                Some(RootReport {
                    equation: r.equation.clone(),
                    lower: decimal(&root.lower, d, Dir::Down),
                    upper: decimal(&root.upper, d, Dir::Up),
                    agrees,
                })
            }
            Err(why) => {
                self.problems
                    .push(format!("{owner}: interval Newton on {}: {why}", r.equation));
                None
            }
        }
    }

    fn clause(&mut self, c: &spec::Clause) -> ClauseReport {
        let owner = format!("clause `{}`", c.id);
        let claims = self.claims(&owner, &c.proved, &c.refuted);
        let systems: Vec<SystemCheck> = c
            .systems
            .iter()
            .map(|s| {
                let holds =
                    crate::dynamics::analyse(self.ctx.systems[s.as_str()], &self.ctx.opts.budget)
                        .ok();
                if !holds {
                    self.problems
                        .push(format!("{owner}: system `{s}` does not hold"));
                }
                SystemCheck {
                    name: s.clone(),
                    holds,
                }
            })
            .collect();
        let witnessed = c
            .refuted
            .iter()
            .find_map(|n| self.outcomes[n.as_str()].witness().map(|w| (n, w)));
        let trajectory = match (&c.trajectory, witnessed) {
            (Some(t), Some((_, w))) if w.surd.is_none() => {
                let sys = self.ctx.systems[t.system.as_str()];
                let traj = trajectory(sys, &w.values, t.steps);
                if traj.is_none() {
                    self.problems.push(format!(
                        "{owner}: the witness does not give every variable of system `{}`",
                        t.system
                    ));
                }
                traj
            }
            _ => None,
        };
        ClauseReport {
            id: c.id.clone(),
            text: c.text.clone(),
            verdict: c.verdict,
            condition: c.condition.clone(),
            witness: witnessed.map(|(_, w)| w.texts().into_iter().collect()),
            witness_claim: witnessed.map(|(n, _)| n.clone()),
            trajectory,
            correction: c.correction.clone(),
            claims,
            systems,
            note: c.note.clone(),
        }
    }

    /// Whether every condition is proved from `value` to its valid end.
    fn valid_at(&self, conds: &[Condition], value: &Rational) -> bool {
        conds.iter().all(|c| {
            let claim = self.ctx.claims[c.claim.as_str()];
            threshold::valid_from(claim, &c.param, c.side.into(), value) == Some(true)
        })
    }

    fn gamma_max(&mut self, g: &spec::GammaMax) -> GammaMaxReport {
        let owner = format!("gamma_max `{}`", g.case);
        let combined = self.combine(&owner, &g.conditions, End::Upper);
        let proved_at = parse_number(&g.proved_at).expect("checked when loading");
        let claims = self.check(&owner, &g.proved, ProverVerdict::Proved);
        let d = self.digits();
        let sharp_root = match (&g.sharp_root, &combined) {
            (Some(r), Some(c)) => self.check_root(&owner, r, c),
            _ => None,
        };
        let (lower, upper, binding) = match &combined {
            Some(c) if !c.open => {
                // A coarse enclosure (few --digits) may not settle it: the prover does.
                if proved_at >= c.lower && !self.valid_at(&g.conditions, &proved_at) {
                    self.problems.push(format!(
                        "{owner}: proved_at {} is not below the threshold",
                        g.proved_at
                    ));
                }
                if let Some(form) = &g.sharp_form {
                    self.check_form(&owner, form, c);
                }
                let binding = c.witness.as_ref().map_or(String::new(), |w| w.0.clone());
                (
                    decimal(&c.lower, d, Dir::Down),
                    decimal(&c.upper, d, Dir::Up),
                    binding,
                )
            }
            _ => {
                self.problems
                    .push(format!("{owner}: no threshold found in the ranges given"));
                (String::new(), String::new(), String::new())
            }
        };
        GammaMaxReport {
            case: g.case.clone(),
            lower,
            upper,
            binding,
            sharp_form: g.sharp_form.clone(),
            sharp_root,
            proved_at: g.proved_at.clone(),
            claims,
            note: g.note.clone(),
        }
    }
}

/// The exact trajectory of `sys` from a witness naming its parameters, noise and state: the
/// noise is held at the witness's values (a one-atom distribution, or every draw equal).
fn trajectory(sys: &System, values: &[(String, Rational)], steps: usize) -> Option<Vec<String>> {
    let get = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut vars: Vec<Rational> = Vec::new();
    for b in sys.params.iter().chain(&sys.noise) {
        vars.push(get(&b.name).unwrap_or_default());
    }
    let state = sys.noise.len() + sys.params.len();
    vars.push(get(&sys.state.name)?);
    if sys.noise.iter().any(|b| get(&b.name).is_none()) {
        return None;
    }
    let mut out = vec![vars[state].to_string()];
    for _ in 0..steps {
        let next = eval_rational(&sys.next, &vars).ok()?;
        out.push(next.to_string());
        vars[state] = next;
    }
    Some(out)
}

fn exact_map(values: &[(String, Rational)]) -> BTreeMap<String, String> {
    values
        .iter()
        .map(|(n, v)| (n.clone(), v.to_string()))
        .collect()
}

#[derive(Clone, Copy)]
enum Dir {
    Down,
    Up,
}

/// `q` as a decimal of `digits` significant digits, rounded in the direction given (so the
/// decimal is a rigorous bound), exact when `q` is.
fn decimal(q: &Rational, digits: u32, dir: Dir) -> String {
    if *q == 0 {
        return "0".into();
    }
    let neg = *q < 0;
    let a = Rational::from(q.abs_ref());
    // The exponent e with 10^e <= a < 10^(e+1).
    let mut e = (a.to_f64().log10().floor()) as i64;
    let ten = |k: i64| -> Rational {
        let p = Integer::from(Integer::u_pow_u(10, k.unsigned_abs() as u32));
        if k >= 0 {
            Rational::from(p)
        } else {
            Rational::from((Integer::from(1), p))
        }
    };
    while ten(e) > a {
        e -= 1;
    }
    while ten(e + 1) <= a {
        e += 1;
    }
    let shift = i64::from(digits) - 1 - e;
    let scaled = Rational::from(&a * &ten(shift));
    // Rounding |q| down is rounding q toward zero: up for negative q, rounded down.
    let away = matches!((dir, neg), (Dir::Up, false) | (Dir::Down, true));
    let (_, fl) = scaled.clone().fract_floor(Integer::new());
    let digits_int = if away && fl != scaled { fl + 1u32 } else { fl };
    let s = digits_int.to_string();
    // digits_int * 10^-shift as a plain decimal.
    let body = if shift <= 0 {
        format!("{s}{}", "0".repeat((-shift) as usize))
    } else {
        let shift = shift as usize;
        if s.len() > shift {
            let (i, f) = s.split_at(s.len() - shift);
            format!("{i}.{f}")
        } else {
            format!("0.{}{s}", "0".repeat(shift - s.len()))
        }
    };
    let body = if body.contains('.') {
        body.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        body
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests;
