//! The trusted kernel: re-verifies a certificate (`docs/certificates.md`) with exact rational
//! arithmetic, sharing no code with the prover.
//!
//! # What it trusts
//!
//! - `rug`'s `Integer` and `Rational` (GMP): exact arithmetic and comparison, integer square
//!   roots, binomial coefficients, parsing `"p/q"`;
//! - `serde_json` (with `serde`'s derive) to turn the certificate's text into the structs
//!   below;
//! - the Rust compiler and standard library.
//!
//! Nothing else: no floating point (`clippy::float_arithmetic` is denied here), no `inari`,
//! nothing of the rest of the crate. A certificate is only data: every bound it relies on is
//! recomputed here, and the only output is `Ok` or the first failed check, with its goal,
//! its path in the proof tree, its box and the reason.
//!
//! # What it checks
//!
//! 1. The claim's domain becomes a box (`Problem::new`): bindings with constant rational
//!    ends keep their variable, the others are reparametrised over `[0, 1]` with a hidden
//!    hypothesis `hi - lo >= 0`, and every margin is written in these box coordinates.
//! 2. The claim has at least one conclusion. An empty domain (`empty_domain: true`) is
//!    recognised by the kernel itself where a range with constant ends is empty; otherwise
//!    the certificate's `emptiness` tree must prove the conclusion `0 > 0` on the domain,
//!    which only an empty domain allows. Nothing but whitespace may follow the JSON.
//! 3. Every conclusion has a proof tree whose root is the domain box. On every node the
//!    active hypotheses are re-examined on the node's box; then a split must cut strictly
//!    inside the box, a pin must have signed slopes (and relax strictness only with a strict
//!    slope at an excluded end), and a leaf's method must prove the margin on its box. A
//!    rewrite's children (margins and hypotheses) are computed here from its rule
//!    (`rewrite`), each proved by its own tree on the node's box.
//!
//! Enclosures are exact hulls over rational boxes, with definedness: division by an interval
//! containing 0, `sqrt` of an interval with a negative part, negative powers of an interval
//! containing 0, `log` or `powr` of a base reaching 0, `asin`/`acos` beyond `[-1, 1]`, `tan`
//! at a possible pole and `atan2` at a possible origin count as possibly undefined. `sqrt`
//! and the transcendental functions (and `pi`) are the operations that round, outward:
//! `interval::sqrt_bounds`, and power series with explicit rational remainders in `trans`.
#![deny(clippy::float_arithmetic)]
#![warn(missing_docs)]

mod algebraic;
mod expr;
mod hess;
mod interval;
mod poly;
mod rewrite;
mod sos;
#[cfg(test)]
mod tests;
mod trans;
#[cfg(test)]
mod trans_tests;

use expr::{bin, enclose, eval, Expr, Num};
use interval::{zero, Iv};
use poly::{Bernstein, Poly};
use rug::Rational;
use serde::Deserialize;
use std::cell::OnceCell;

/// The certificate format's name (the `format` field of every certificate).
pub const FORMAT: &str = "stabcert-certificate";
/// The certificate format's version, the one this kernel reads (the `version` field).
pub const VERSION: u64 = 1;

/// Precisions (bits) of `sqrt` and transcendental bounds: the first everywhere, the others
/// to retry a leaf.
const PRECS: [u32; 3] = [128, 512, 4096];

/// A certificate that checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The claim's name, as the certificate gives it.
    pub name: String,
    /// The hex SHA-256 of the claim's source text, as the certificate gives it (not recomputed).
    pub source_sha256: String,
    /// The number of conclusions of the claim (each proved, or the domain empty).
    pub goals: usize,
    /// Proof-tree nodes checked, over all goals.
    pub nodes: usize,
}

/// Which claim a certificate is about (for `--against` checks).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CertClaim {
    /// The claim's name.
    pub name: String,
    /// The file the claim came from, as the certificate gives it; empty if absent.
    #[serde(default)]
    pub file: String,
    /// The hex SHA-256 of the claim's source text, as the certificate gives it.
    pub source_sha256: String,
}

/// Why a certificate is not accepted.
#[derive(Debug)]
pub enum KernelError {
    /// Not JSON, not a certificate, not version 1, or a field missing or malformed.
    Unreadable(String),
    /// The claim is ill-formed, or the proofs do not match its conclusions or its domain.
    Claim {
        /// The claim's name, as the certificate gives it.
        name: String,
        /// What is wrong.
        why: String,
    },
    /// A node of a proof tree does not check.
    Rejected {
        /// The conclusion (index, from 0) whose proof tree fails.
        goal: usize,
        /// The nodes from the root to the failing one, separated by ` / `.
        path: String,
        /// The failing node's box, in the claim's variables.
        bx: String,
        /// Which check failed.
        check: Check,
        /// What failed, with the values involved.
        detail: String,
    },
}

impl std::fmt::Display for KernelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KernelError::Unreadable(why) => write!(f, "unreadable certificate: {why}"),
            KernelError::Claim { name, why } => write!(f, "claim `{name}`: {why}"),
            KernelError::Rejected {
                goal,
                path,
                bx,
                detail,
                ..
            } => write!(f, "goal {goal} / {path}: {detail}; box: {bx}"),
        }
    }
}

impl std::error::Error for KernelError {}

/// The check that failed on a node (the error's `detail` gives the values involved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// A split or pin lacks one of its children.
    MissingChild,
    /// A split or pin names an axis the box does not have.
    NoSuchAxis,
    /// A split point is not strictly inside its axis.
    SplitOutside,
    /// A pin has no axis, repeats one, or pins an axis that is already a point.
    BadPin,
    /// A pin leaves a hypothesis active (a pin needs none).
    ActiveHypothesis,
    /// A pinned axis's slope is not of the sign its end needs.
    SlopeSign,
    /// A pin relaxes strictness without a strict slope at an excluded end.
    RelaxedStrictness,
    /// A leaf names a hypothesis that is not active on the box (or does not exist).
    NotActive,
    /// A hypothesis may be undefined on the box.
    HypothesisUndefined,
    /// A `pruned` leaf's hypothesis may hold somewhere on the box.
    HypothesisMayHold,
    /// An `exact_point` leaf's hypothesis is not shown to hold at the point.
    HypothesisNotShown,
    /// The conclusion's margin may be undefined on the box.
    MarginUndefined,
    /// The margin's bound by the leaf's method is not `> 0` (`>= 0` if not strict) on the box.
    NotPositive,
    /// A `mean_value` centre has the wrong length, or a coordinate outside the box or null.
    BadCentre,
    /// An `exact_point` leaf's box has an axis that is not a point.
    NotAPoint,
    /// The margin or a hypothesis is not a polynomial (or is too large to expand).
    NotPolynomial,
    /// A Bernstein coefficient, or an S-procedure multiplier, is negative.
    NegativeCoefficient,
    /// A strict Bernstein test has no positive coefficient for some kind of point.
    UncoveredKind,
    /// The Hessian is not shown positive semi-definite (Gershgorin) on the box.
    NotConvex,
    /// No vertex or centre gives a positive tangent bound for `convex`.
    NoTangent,
    /// An `sos` Gram matrix is malformed, not symmetric or not positive semi-definite.
    NotPsd,
    /// An `sos` identity does not hold: `margin - eps` differs from the sum of the blocks.
    NotSos,
    /// A rewrite rule that does not apply to the margin, or the wrong number of children.
    BadRewrite,
}

/// A failed check and its details; every check fails through `bail!` or `ensure!`.
type Fail = (Check, String);

/// `bail!(Check => "format", args...)`: fails the check, with a formatted detail.
macro_rules! bail {
    ($check:ident => $($detail:tt)+) => {
        return Err((Check::$check, format!($($detail)+)))
    };
}

/// `ensure!(condition, Check => "format", args...)`: fails the check unless the condition holds.
macro_rules! ensure {
    ($ok:expr, $check:ident => $($detail:tt)+) => {
        if !$ok {
            bail!($check => $($detail)+)
        }
    };
}

// The `tangent` leaf (after the macros, which it uses).
mod tangent;
#[cfg(test)]
mod tangent_tests;
// The `taylor` leaf.
mod taylor;
#[cfg(test)]
mod taylor_tests;

// ---- The certificate as JSON ----

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u64,
}

#[derive(Deserialize)]
struct Certificate {
    claim: ClaimJson,
    empty_domain: bool,
    proofs: Vec<ProofJson>,
    /// With `empty_domain` where no constant range is empty: a proof tree of the domain
    /// question, the claim with the one conclusion `0 > 0` (absent: `None`).
    emptiness: Option<Node>,
    /// For a formula claim: one proof per clause of the formula's conjunctive normal form.
    #[serde(default)]
    clauses: Option<Vec<ClauseJson>>,
}

/// A clause `l_0 or ... or l_k` proved as `where HYPS, not l_i (i != goal) => l_goal`.
#[derive(Deserialize)]
struct ClauseJson {
    literals: Vec<Cond>,
    goal: usize,
    tree: Node,
}

/// A formula in negation normal form over comparisons.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum FormulaJson {
    Atom(Cond),
    And(Vec<FormulaJson>),
    Or(Vec<FormulaJson>),
}

#[derive(Deserialize)]
struct ClaimHead {
    claim: CertClaim,
}

#[derive(Deserialize)]
struct ClaimJson {
    #[serde(flatten)]
    head: CertClaim,
    variables: Vec<String>,
    bindings: Vec<Binding>,
    hyps: Vec<Cond>,
    goals: Vec<Cond>,
    /// What must hold on the domain in place of `goals` (then empty), for a claim with
    /// Boolean structure.
    #[serde(default)]
    formula: Option<FormulaJson>,
}

#[derive(Clone, Deserialize)]
struct Binding {
    lo: Expr,
    lo_closed: bool,
    hi: Expr,
    hi_closed: bool,
}

#[derive(Clone, PartialEq, Deserialize)]
struct Cond {
    lhs: Expr,
    op: String,
    rhs: Expr,
}

impl Cond {
    /// The negated comparison (`not (a < b)` is `a >= b`); `None` for an unknown operator.
    fn negated(&self) -> Option<Cond> {
        let op = match self.op.as_str() {
            "<" => ">=",
            "<=" => ">",
            ">" => "<=",
            ">=" => "<",
            _ => return None,
        };
        Some(Cond {
            op: op.into(),
            ..self.clone()
        })
    }

    /// `0 < 0`, false everywhere: the conclusion of an empty clause.
    fn never() -> Cond {
        let zero = || Expr::Q(Num(Rational::new()));
        Cond {
            lhs: zero(),
            op: "<".into(),
            rhs: zero(),
        }
    }
}

/// Most clauses of a formula's conjunctive normal form the kernel computes.
const MAX_CLAUSES: usize = 4096;

/// The conjunctive normal form by distribution, in the engine's order; `None` if too large.
fn cnf(f: &FormulaJson) -> Option<Vec<Vec<&Cond>>> {
    match f {
        FormulaJson::Atom(c) => Some(vec![vec![c]]),
        FormulaJson::And(fs) => {
            let mut out = Vec::new();
            for f in fs {
                out.extend(cnf(f)?);
                if out.len() > MAX_CLAUSES {
                    return None;
                }
            }
            Some(out)
        }
        FormulaJson::Or(fs) => {
            let mut out: Vec<Vec<&Cond>> = vec![Vec::new()];
            for f in fs {
                let part = cnf(f)?;
                if out.len().saturating_mul(part.len()) > MAX_CLAUSES {
                    return None;
                }
                let mut next = Vec::new();
                for a in &out {
                    for b in &part {
                        next.push(a.iter().chain(b).copied().collect());
                    }
                }
                out = next;
            }
            Some(out)
        }
    }
}

#[derive(Deserialize)]
struct ProofJson {
    goal: usize,
    tree: Node,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Node {
    Split {
        axis: usize,
        at: Num,
        lo: Option<Box<Node>>,
        hi: Option<Box<Node>>,
    },
    Pin {
        pins: Vec<(usize, End)>,
        strict: bool,
        face: Option<Box<Node>>,
    },
    Leaf(Leaf),
    /// The margin replaced by the children of a rule (`rewrite`), each with its own tree.
    Rewrite {
        rule: rewrite::Rule,
        kids: Vec<Node>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum End {
    Lo,
    Hi,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
enum Leaf {
    Pruned { hyp: usize },
    Interval,
    MeanValue { centre: Vec<Option<Num>> },
    Bernstein,
    Rational,
    SProcedure { hyp: usize, lambda: Num },
    Convex,
    ExactPoint,
    Sos { eps: Num, blocks: Vec<sos::Block> },
    Tangent { at: Vec<Num> },
    Taylor { at: Vec<Num>, order: usize },
}

/// Parses `json` as `T` after checking the format and version.
fn read<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, KernelError> {
    let unreadable = |e: serde_json::Error| KernelError::Unreadable(e.to_string());
    let depth = json_depth(json);
    if depth > MAX_JSON_DEPTH {
        let why = format!("nested {depth} deep, more than {MAX_JSON_DEPTH}");
        return Err(KernelError::Unreadable(why));
    }
    // Deep proof trees are legitimate: serde_json's default limit (128) is lifted, the
    // bound above and the kernel's own large stack keep the recursion safe.
    // Nothing may follow the certificate but whitespace.
    let parse = |json: &'a str| {
        let mut de = serde_json::Deserializer::from_str(json);
        de.disable_recursion_limit();
        let t = T::deserialize(&mut de).map_err(unreadable)?;
        de.end().map_err(unreadable)?;
        Ok(t)
    };
    let h: Header = {
        let mut de = serde_json::Deserializer::from_str(json);
        de.disable_recursion_limit();
        Header::deserialize(&mut de).map_err(unreadable)?
    };
    if h.format != FORMAT || h.version != VERSION {
        let (f, v) = (h.format, h.version);
        let why = format!("`{f}` version {v}; this kernel reads `{FORMAT}` version {VERSION}");
        return Err(KernelError::Unreadable(why));
    }
    parse(json)
}

/// Deepest JSON nesting accepted (a proof tree node is two levels).
const MAX_JSON_DEPTH: usize = 20_000;

/// Stack of the thread the kernel runs on: enough for [`MAX_JSON_DEPTH`] levels of
/// deserialisation and of the proof-tree walk.
const KERNEL_STACK: usize = 1 << 30;

/// The deepest nesting of `[`/`{` outside strings.
fn json_depth(json: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                max = max.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Runs `f` on a thread with 1 GiB of stack (also for callers that walk a
/// certificate's JSON as deep as the kernel reads it).
pub fn on_kernel_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new().stack_size(KERNEL_STACK);
        match worker.spawn_scoped(s, f) {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Err(_) => panic!("cannot start the kernel's thread"),
        }
    })
}

// ---- Public API ----

/// Re-verifies a certificate: `Ok` only if every check of `docs/certificates.md` passes.
pub fn check_certificate(json: &str) -> Result<Checked, KernelError> {
    on_kernel_stack(|| check_on_this_stack(json))
}

fn check_on_this_stack(json: &str) -> Result<Checked, KernelError> {
    let cert: Certificate = read(json)?;
    let claim = &cert.claim;
    if claim.formula.is_some() {
        return check_formula(&cert);
    }
    if cert.clauses.is_some() {
        let why = "clauses are given, but the claim has no formula".into();
        let name = claim.head.name.clone();
        return Err(KernelError::Claim { name, why });
    }
    let in_order = cert.proofs.iter().enumerate().all(|(k, pr)| pr.goal == k);
    let trees = cert.proofs.iter().map(|pr| &pr.tree).collect::<Vec<_>>();
    let emptiness = cert.emptiness.as_ref();
    check_claim(claim, cert.empty_domain, trees, in_order, emptiness)
}

/// A formula claim: each clause's tree proves `where HYPS, not l_i (i != goal) => l_goal`,
/// so every clause holds on the domain; every clause of the formula's own conjunctive
/// normal form (computed here) contains the literals of a proved clause, so it holds too,
/// and so does the formula. An empty domain is checked as for any claim.
fn check_formula(cert: &Certificate) -> Result<Checked, KernelError> {
    let claim = &cert.claim;
    let claim_err = |why: &str| KernelError::Claim {
        name: claim.head.name.clone(),
        why: why.into(),
    };
    let Some(formula) = &claim.formula else {
        return Err(claim_err("no formula"));
    };
    if !claim.goals.is_empty() || !cert.proofs.is_empty() {
        return Err(claim_err(
            "a formula claim has no separate conclusions or proofs",
        ));
    }
    let sub = |hyps: Vec<Cond>, goal: Cond| ClaimJson {
        head: claim.head.clone(),
        variables: claim.variables.clone(),
        bindings: claim.bindings.clone(),
        hyps,
        goals: vec![goal],
        formula: None,
    };
    if cert.empty_domain {
        if cert.clauses.as_ref().is_some_and(|c| !c.is_empty()) {
            return Err(claim_err("empty_domain, yet clauses are given"));
        }
        let question = sub(claim.hyps.clone(), Cond::never());
        let emptiness = cert.emptiness.as_ref();
        let mut checked = check_claim(&question, true, Vec::new(), true, emptiness)?;
        checked.goals = 0;
        return Ok(checked);
    }
    if cert.emptiness.is_some() {
        return Err(claim_err("emptiness is given beside empty_domain: false"));
    }
    let clauses = cert.clauses.as_deref().unwrap_or_default();
    let Some(needed) = cnf(formula) else {
        return Err(claim_err("the formula has too many clauses"));
    };
    let mut checked = Checked {
        name: claim.head.name.clone(),
        source_sha256: claim.head.source_sha256.clone(),
        goals: clauses.len(),
        nodes: 0,
    };
    for (k, c) in clauses.iter().enumerate() {
        let goal = match (c.literals.get(c.goal), c.literals.is_empty() && c.goal == 0) {
            (Some(l), _) => l.clone(),
            (None, true) => Cond::never(),
            (None, false) => return Err(claim_err(&format!("clause {k}: no literal {}", c.goal))),
        };
        let mut hyps = claim.hyps.clone();
        for (i, l) in c.literals.iter().enumerate().filter(|(i, _)| *i != c.goal) {
            let Some(n) = l.negated() else {
                return Err(claim_err(&format!(
                    "clause {k}: literal {i}: unknown comparison"
                )));
            };
            hyps.push(n);
        }
        let one =
            check_claim(&sub(hyps, goal), false, vec![&c.tree], true, None).map_err(
                |e| match e {
                    KernelError::Rejected {
                        path,
                        bx,
                        check,
                        detail,
                        ..
                    } => KernelError::Rejected {
                        goal: k,
                        path: format!("clause {k} / {path}"),
                        bx,
                        check,
                        detail,
                    },
                    e => e,
                },
            )?;
        checked.nodes += one.nodes;
    }
    for (j, need) in needed.iter().enumerate() {
        let covered = clauses
            .iter()
            .any(|c| c.literals.iter().all(|l| need.contains(&l)));
        if !covered {
            let why = format!("clause {j} of the formula's normal form has no proof");
            return Err(claim_err(&why));
        }
    }
    Ok(checked)
}

/// Checks a claim's proof trees (one per conclusion; `emptiness` with `empty_domain`).
fn check_claim<'n>(
    claim: &ClaimJson,
    empty_domain: bool,
    mut trees: Vec<&'n Node>,
    in_order: bool,
    emptiness: Option<&'n Node>,
) -> Result<Checked, KernelError> {
    let head = &claim.head;
    let claim_err = |why: &str| KernelError::Claim {
        name: head.name.clone(),
        why: why.into(),
    };
    let p = Problem::new(claim).map_err(|why| claim_err(&why))?;
    if p.goals.is_empty() {
        return Err(claim_err("no conclusion to prove"));
    }
    let (name, source_sha256) = (head.name.clone(), head.source_sha256.clone());
    let mut checked = Checked {
        name,
        source_sha256,
        goals: p.goals.len(),
        nodes: 0,
    };
    let mut p = p;
    match (empty_domain, p.empty, trees.is_empty()) {
        (true, _, false) => return Err(claim_err("empty_domain, yet proofs are given")),
        (true, true, true) => return Ok(checked),
        // An emptiness tree shows `0 > 0` at every point of the domain: there is none.
        (true, false, true) => p.goals = vec![(Expr::Q(Num(Rational::new())), true)],
        (false, true, _) if !p.goals.is_empty() => {
            return Err(claim_err("the domain is empty, but empty_domain is false"));
        }
        _ => {}
    }
    trees.extend(emptiness);
    if trees.len() != p.goals.len() || !in_order {
        return Err(claim_err("not one proof per conclusion, in order"));
    }
    for (goal, tree) in trees.into_iter().enumerate() {
        let mut walk = Walk {
            p: &p,
            goal,
            nodes: 0,
            poly: OnceCell::new(),
        };
        let root = stand(p.root.clone(), (0..p.hyps.len()).collect(), p.goals[goal].1);
        walk.node(tree, root, &mut Vec::new())?;
        checked.nodes += walk.nodes;
    }
    Ok(checked)
}

/// The name, file and source hash of the claim a certificate is about (format checked).
pub fn claim_of_certificate(json: &str) -> Result<CertClaim, KernelError> {
    on_kernel_stack(|| read::<ClaimHead>(json).map(|h| h.claim))
}

/// Non-blank, non-comment lines of the kernel's own source (counted at compile time).
pub fn kernel_size_lines() -> usize {
    KERNEL_LINES
}

const KERNEL_LINES: usize = code_lines(include_str!("lib.rs"))
    + code_lines(include_str!("expr.rs"))
    + code_lines(include_str!("interval.rs"))
    + code_lines(include_str!("poly.rs"))
    + code_lines(include_str!("trans.rs"))
    + code_lines(include_str!("sos.rs"))
    + code_lines(include_str!("hess.rs"))
    + code_lines(include_str!("tangent.rs"))
    + code_lines(include_str!("rewrite.rs"))
    + code_lines(include_str!("taylor.rs"))
    + code_lines(include_str!("algebraic.rs"));

/// Lines that, after trimming, are neither empty nor start with `//`.
const fn code_lines(src: &str) -> usize {
    let b = src.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r') {
            i += 1;
        }
        let comment = i + 1 < b.len() && b[i] == b'/' && b[i + 1] == b'/';
        if i < b.len() && b[i] != b'\n' && !comment {
            n += 1;
        }
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
        i += 1;
    }
    n
}

// ---- The claim over a box ----

/// A condition in box coordinates: its margin `m`, and whether `m > 0` (else `m >= 0`).
type Margin = (Expr, bool);

/// The mean-value form `e(c) + Σ ∂e/∂y_i (B_i - c_i)` about `c` (a point of `b`): it
/// encloses every value `e` takes on `b` by the mean value theorem, the gradient being
/// enclosed over the whole box (`eval`). It is met with `eval`'s value enclosure (the
/// centred one, computed with the gradient), which encloses those values too. `None` where
/// `e` may be undefined on `b`.
fn mean_value_form(e: &Expr, b: &Bx, c: &[Rational], prec: u32) -> Option<Iv> {
    let (value, grad) = eval(e, &b.ivs(), b.lo.len(), prec)?;
    let point: Vec<Iv> = c.iter().map(|q| Iv::point(q.clone())).collect();
    let mut acc = enclose(e, &point, prec)?;
    let gap = |end: &Rational, i: usize| Rational::from(end - &c[i]);
    for (i, g) in grad.iter().enumerate() {
        acc = acc.add(&g.mul(&Iv::new(gap(&b.lo[i], i), gap(&b.hi[i], i))));
    }
    // Both hold every value of `e` on `b`: disjoint ones would be a fault (rejected).
    acc.meet(&value)
}

/// A hypothesis's mean-value form about the box's exact midpoint, for where its natural
/// enclosure leaves the sign open (both enclose every value, so the sign tests may read
/// either). `None` where it may be undefined on `b`.
fn hyp_mean_value(h: &Expr, b: &Bx, prec: u32) -> Option<Iv> {
    let mid: Vec<Rational> =
        b.lo.iter()
            .zip(&b.hi)
            .map(|(l, u)| Rational::from(l + u) / 2u32)
            .collect();
    mean_value_form(h, b, &mid, prec)
}

/// A box with exact ends. An end is excluded (`*_ex`) if it is an open end of the domain and
/// the axis is not pinned; cuts, closed ends and pinned values are included.
#[derive(Clone, Default)]
struct Bx {
    lo: Vec<Rational>,
    hi: Vec<Rational>,
    lo_ex: Vec<bool>,
    hi_ex: Vec<bool>,
}

impl Bx {
    fn ivs(&self) -> Vec<Iv> {
        let iv = |(a, b): (&Rational, &Rational)| Iv::new(a.clone(), b.clone());
        self.lo.iter().zip(&self.hi).map(iv).collect()
    }

    fn is_point(&self, i: usize) -> bool {
        self.lo[i] == self.hi[i]
    }

    /// Axis `i` narrowed to `[lo, hi]`: a new end is a cut or a pin, hence included.
    fn with(&self, i: usize, lo: &Rational, hi: &Rational) -> Bx {
        let mut b = self.clone();
        (b.lo[i], b.hi[i]) = (lo.clone(), hi.clone());
        b.lo_ex[i] = self.lo_ex[i] && *lo == self.lo[i] && lo != hi;
        b.hi_ex[i] = self.hi_ex[i] && *hi == self.hi[i] && lo != hi;
        b
    }

    fn show(&self, names: &[String]) -> String {
        let axis = |i: usize| {
            let (lo, hi, name) = (&self.lo[i], &self.hi[i], &names[i]);
            let l = if self.lo_ex[i] { "(" } else { "[" };
            let r = if self.hi_ex[i] { ")" } else { "]" };
            match lo == hi {
                true => format!("{name} = {lo}"),
                false => format!("{name} in {l}{lo}, {hi}{r}"),
            }
        };
        (0..self.lo.len()).map(axis).collect::<Vec<_>>().join(", ")
    }
}

/// The claim in box coordinates: hypotheses (hidden ones first), conclusions, the domain.
#[derive(Clone)]
struct Problem {
    names: Vec<String>,
    hyps: Vec<Margin>,
    goals: Vec<Margin>,
    root: Bx,
    empty: bool,
}

impl Problem {
    fn new(c: &ClaimJson) -> Result<Problem, String> {
        let n = c.bindings.len();
        if c.variables.len() != n {
            return Err(format!("{} variables but {n} bindings", c.variables.len()));
        }
        let (mut xs, mut root, mut names) = (Vec::new(), Bx::default(), Vec::new());
        let (mut hyps, mut empty) = (Vec::new(), false);
        for (i, b) in c.bindings.iter().enumerate() {
            if !b.lo.vars_below(i) || !b.hi.vars_below(i) {
                return Err(format!("binding {i} uses a variable not bound before it"));
            }
            let open = !b.lo_closed || !b.hi_closed;
            let name = &c.variables[i];
            let (ex_lo, ex_hi) = (!b.lo_closed, !b.hi_closed);
            let (lo, hi, ex_lo, ex_hi) = if let (Some(l), Some(h)) = (b.lo.exact(), b.hi.exact()) {
                empty |= l > h || (l == h && open);
                names.push(name.clone());
                xs.push(Expr::Var(i));
                (l, h, ex_lo, ex_hi)
            } else if let Some((l, h, ex_lo, ex_hi, conds)) =
                algebraic::ends(i, (&b.lo, &b.hi), (b.lo_closed, b.hi_closed))
            {
                // Ends `±sqrt(r)`: rational box ends, exact polynomial conditions.
                empty |= l > h || (open && algebraic::same(&b.lo, &b.hi));
                hyps.extend(conds);
                names.push(name.clone());
                xs.push(Expr::Var(i));
                (l, h, ex_lo, ex_hi)
            } else {
                // x_i = lo_i + y_i (hi_i - lo_i) with y_i in [0, 1], where hi_i - lo_i >= 0.
                let (lo, hi) = (b.lo.subst(&xs), b.hi.subst(&xs));
                let width = bin(Expr::Sub, hi, lo.clone());
                hyps.push((width.clone(), open));
                names.push(format!("t_{name}"));
                xs.push(bin(Expr::Add, lo, bin(Expr::Mul, Expr::Var(i), width)));
                (Rational::new(), Rational::from(1), ex_lo, ex_hi)
            };
            root.lo.push(lo);
            root.hi.push(hi);
            root.lo_ex.push(ex_lo);
            root.hi_ex.push(ex_hi);
        }
        let margin = |cond: &Cond| -> Result<Margin, String> {
            if !cond.lhs.vars_below(n) || !cond.rhs.vars_below(n) {
                return Err("a condition uses an unbound variable".into());
            }
            let (l, r) = (cond.lhs.subst(&xs), cond.rhs.subst(&xs));
            match cond.op.as_str() {
                "<" | "<=" => Ok((bin(Expr::Sub, r, l), cond.op == "<")),
                ">" | ">=" => Ok((bin(Expr::Sub, l, r), cond.op == ">")),
                op => Err(format!("unknown comparison `{op}`")),
            }
        };
        for h in &c.hyps {
            hyps.push(margin(h)?);
        }
        let goals = c.goals.iter().map(margin).collect::<Result<_, _>>()?;
        Ok(Problem {
            names,
            hyps,
            goals,
            root,
            empty,
        })
    }
}

/// Whether the polynomial margin `h` is `< 0` (`<= 0` if strict) on all of `b`: a
/// polynomial lies within the range of its Bernstein coefficients on the box.
fn bernstein_fails(h: &Expr, strict: bool, b: &Bx) -> bool {
    let e = Poly::from_expr(h, b.lo.len()).and_then(|p| Bernstein::new(&p, &b.lo, &b.hi));
    e.is_some_and(|e| e.range().1 < 0 || (strict && e.range().1 == 0))
}

// ---- The proof-tree walk ----

/// Where a node stands: its box, the hypotheses active on it, whether it needs `m > 0`, and
/// (once re-examined) the first active hypothesis that may be undefined on the box.
#[derive(Clone)]
struct Stand {
    b: Bx,
    hyps: Vec<usize>,
    strict: bool,
    undefined: Option<usize>,
}

fn stand(b: Bx, hyps: Vec<usize>, strict: bool) -> Stand {
    Stand {
        b,
        hyps,
        strict,
        undefined: None,
    }
}

/// A child to check: the node, which child it is, and where it stands.
type Kid<'n> = (&'n Node, &'static str, Stand);

fn kid<'n>(n: &'n Option<Box<Node>>, side: &'static str, s: Stand) -> Result<Kid<'n>, Fail> {
    let Some(node) = n.as_deref() else {
        bail!(MissingChild => "missing child `{side}`")
    };
    Ok((node, side, s))
}

fn need(strict: bool) -> &'static str {
    ["`>= 0`", "`> 0`"][usize::from(strict)]
}

fn undefined() -> Fail {
    let why = "the conclusion may be undefined on the box";
    (Check::MarginUndefined, why.into())
}

fn label(node: &Node) -> String {
    match node {
        Node::Split { axis, at, .. } => format!("split axis {axis} at {}", at.0),
        Node::Pin { pins, .. } => format!("pin {pins:?}"),
        Node::Leaf(leaf) => format!("leaf {leaf:?}"),
        Node::Rewrite { rule, .. } => format!("rewrite {rule:?}"),
    }
}

/// Checks one conclusion's tree.
struct Walk<'a> {
    p: &'a Problem,
    goal: usize,
    nodes: usize,
    /// The conclusion's margin as a polynomial, expanded once.
    poly: OnceCell<Option<Poly>>,
}

impl Walk<'_> {
    fn margin(&self) -> &Expr {
        &self.p.goals[self.goal].0
    }

    /// Checks `node` standing at `at` (hypotheses as active on its parent), then its children.
    fn node(&mut self, node: &Node, s: Stand, path: &mut Vec<String>) -> Result<(), KernelError> {
        self.nodes += 1;
        let here = label(node);
        let reject = |(check, detail): Fail| {
            let path = path.iter().chain([&here]).cloned().collect::<Vec<_>>();
            let (goal, bx) = (self.goal, s.b.show(&self.p.names));
            KernelError::Rejected {
                goal,
                path: path.join(" / "),
                bx,
                check,
                detail,
            }
        };
        if let Node::Rewrite { rule, kids } = node {
            // Each child proves the rule's margin under the rule's added hypotheses.
            let (m, n) = (self.margin(), s.b.lo.len());
            let positive = |p: &Poly| self.bernstein_of(p, &s.b, true).is_ok();
            let children =
                rewrite::children(rule, m, s.strict, &self.p.hyps, n, &positive).map_err(reject)?;
            if kids.len() != children.len() {
                let why = format!("{} children, not {}", kids.len(), children.len());
                return Err(reject((Check::BadRewrite, why)));
            }
            for (k, ((all, margin, strict), kid)) in children.into_iter().zip(kids).enumerate() {
                let mut p = self.p.clone();
                let mut hyps = s.hyps.clone();
                // Indices past a shorter list of the child's hypotheses are no longer there.
                hyps.retain(|&k| k < all.len());
                hyps.extend(p.hyps.len()..all.len());
                p.hyps = all;
                p.goals[self.goal] = (margin, strict);
                let mut walk = Walk {
                    p: &p,
                    goal: self.goal,
                    nodes: 0,
                    poly: OnceCell::new(),
                };
                path.push(format!("{here} (child {k})"));
                walk.node(kid, stand(s.b.clone(), hyps, strict), path)?;
                path.pop();
                self.nodes += walk.nodes;
            }
            return Ok(());
        }
        let kids = self.step(node, s.clone()).map_err(reject)?;
        for (kid, side, kid_at) in kids {
            path.push(format!("{here} ({side})"));
            self.node(kid, kid_at, path)?;
            path.pop();
        }
        Ok(())
    }

    /// Re-examines the hypotheses, checks the node's own step, and returns its children.
    fn step<'n>(&self, node: &'n Node, mut s: Stand) -> Result<Vec<Kid<'n>>, Fail> {
        // A hypothesis certainly true and defined on the box is dropped.
        let (b, mut kept) = (s.b.clone(), Vec::new());
        for &k in &s.hyps {
            let (h, strict) = &self.p.hyps[k];
            let holds = |iv: &Iv| {
                iv.positive(*strict)
                    || hyp_mean_value(h, &b, PRECS[0]).is_some_and(|m| m.positive(*strict))
            };
            match enclose(h, &b.ivs(), PRECS[0]) {
                Some(iv) if holds(&iv) => {}
                iv => {
                    s.undefined = s.undefined.or(iv.is_none().then_some(k));
                    kept.push(k);
                }
            }
        }
        s.hyps = kept;
        match node {
            Node::Split { axis, at, lo, hi } => {
                let (i, c) = (*axis, &at.0);
                ensure!(i < b.lo.len(), NoSuchAxis => "axis {i} does not exist");
                let inside = b.lo[i] < *c && *c < b.hi[i];
                ensure!(inside, SplitOutside => "split point {c} is not strictly inside axis {i}");
                let (lo_box, hi_box) = (b.with(i, &b.lo[i], c), b.with(i, c, &b.hi[i]));
                let lo = kid(lo, "lo", stand(lo_box, s.hyps.clone(), s.strict))?;
                Ok(vec![lo, kid(hi, "hi", stand(hi_box, s.hyps, s.strict))?])
            }
            Node::Pin { pins, strict, face } => {
                let face_box = self.pin(pins, *strict, &s)?;
                let face = kid(face, "face", stand(face_box, Vec::new(), *strict))?;
                Ok(vec![face])
            }
            Node::Rewrite { .. } => bail!(BadRewrite => "a rewrite is not a step"),
            Node::Leaf(leaf) => {
                let check = |prec| self.leaf(leaf, &s, prec);
                let retry = || PRECS[1..].iter().find_map(|p| check(*p).ok());
                check(PRECS[0]).or_else(|e| retry().ok_or(e))?;
                Ok(Vec::new())
            }
        }
    }

    /// Checks a monotonicity step and returns the face.
    ///
    /// With `∂m/∂y_i >= 0` on the box (and `m` defined there), `m(y) >= m(y with y_i = lo_i)`
    /// by the mean value theorem along the axis; pins compose since every slope is enclosed
    /// over the whole box. If moreover `∂m/∂y_i > 0` and `lo_i` is excluded, every point of
    /// the domain has `y_i > lo_i` and `m(y) > m(face)`: the face then only needs `m >= 0`.
    fn pin(&self, pins: &[(usize, End)], face_strict: bool, s: &Stand) -> Result<Bx, Fail> {
        let b = &s.b;
        if let Some(k) = s.hyps.first() {
            bail!(ActiveHypothesis => "hypothesis {k} is still active (a pin needs none)");
        }
        let m = self.margin();
        let (_, grad) = eval(m, &b.ivs(), b.lo.len(), PRECS[0]).ok_or_else(undefined)?;
        let (mut face, mut relax_ok) = (b.clone(), pins.is_empty());
        ensure!(!pins.is_empty(), BadPin => "a pin with no axis");
        for (n, &(i, end)) in pins.iter().enumerate() {
            let fresh = i < b.lo.len() && pins[..n].iter().all(|(j, _)| *j != i);
            ensure!(fresh && !b.is_point(i), BadPin => "pin axis {i}: none, repeated, or a point");
            let g = &grad[i];
            let (signed, strict_slope, excluded, v, need) = match end {
                End::Lo => (g.lo >= zero(), g.lo > zero(), b.lo_ex[i], &b.lo[i], ">= 0"),
                End::Hi => (g.hi <= zero(), g.hi < zero(), b.hi_ex[i], &b.hi[i], "<= 0"),
            };
            ensure!(signed, SlopeSign => "∂m/∂y{i} over the box is {g}, not {need}");
            relax_ok |= strict_slope && excluded;
            face = face.with(i, v, v);
        }
        let ok = !s.strict || face_strict || relax_ok;
        ensure!(ok, RelaxedStrictness => "face not strict, yet no strict slope at an excluded end");
        Ok(face)
    }

    /// Checks that a leaf's method closes the box (`sqrt` bounds at `prec` bits).
    fn leaf(&self, leaf: &Leaf, s: &Stand, prec: u32) -> Result<(), Fail> {
        let (b, strict, ivs) = (&s.b, s.strict, s.b.ivs());
        if let (Some(k), false) = (s.undefined, matches!(leaf, Leaf::Pruned { .. })) {
            bail!(HypothesisUndefined => "hypothesis {k} may be undefined on the box");
        }
        let positive = |what: &str, iv: Iv| -> Result<(), Fail> {
            ensure!(iv.positive(strict), NotPositive => "{what} is {iv}, not {}", need(strict));
            Ok(())
        };
        let margin_on = |pt: &[Iv]| enclose(self.margin(), pt, prec).ok_or_else(undefined);
        match leaf {
            Leaf::Pruned { hyp: k } => {
                // Every point of the box fails hypothesis `k`: nothing to prove there.
                ensure!(s.hyps.contains(k), NotActive => "hypothesis {k} is not active on the box");
                let (h, h_strict) = &self.p.hyps[*k];
                let fails = |iv: &Iv| {
                    iv.fails(*h_strict)
                        || hyp_mean_value(h, b, prec).is_some_and(|m| m.fails(*h_strict))
                        || bernstein_fails(h, *h_strict, b)
                };
                match enclose(h, &ivs, prec) {
                    None => bail!(HypothesisUndefined => "hypothesis {k} may be undefined"),
                    Some(iv) if fails(&iv) => Ok(()),
                    Some(iv) => bail!(HypothesisMayHold => "hypothesis {k} may hold: margin {iv}"),
                }
            }
            Leaf::Interval => positive("the margin's enclosure", margin_on(&ivs)?),
            Leaf::MeanValue { centre } => {
                positive("the mean-value form", self.mean_value(centre, b, prec)?)
            }
            Leaf::Bernstein => self.bernstein(b, strict),
            Leaf::Rational => self.rational(b, strict),
            Leaf::SProcedure { hyp: k, lambda } => {
                // m - λ h >= 0 on b and h >= 0 where it is assumed: m >= λ h >= 0 there (also
                // if h was dropped as certainly true on b).
                ensure!(*k < self.p.hyps.len(), NotActive => "no hypothesis {k}");
                ensure!(lambda.0 >= 0, NegativeCoefficient => "multiplier {} < 0", lambda.0);
                let (h, h_strict) = &self.p.hyps[*k];
                let n = self.p.root.lo.len();
                let Some(hp) = Poly::from_expr(h, n) else {
                    bail!(NotPolynomial => "hypothesis {k} is not a polynomial")
                };
                let scaled = Poly::from_expr(&Expr::Q(Num(Rational::from(-&lambda.0))), n)
                    .and_then(|c| hp.times(&c));
                let Some(diff) = scaled.map(|t| self.poly().map(|m| m.clone().plus(&t))) else {
                    bail!(NotPolynomial => "the S-procedure polynomial is too large")
                };
                // Strictness comes from `h > 0` when `λ > 0`.
                let needs_strict = strict && !(*h_strict && lambda.0 > 0);
                self.bernstein_of(&diff?, b, needs_strict)
            }
            Leaf::Convex => self.convex(b, strict),
            Leaf::Sos { eps, blocks } => {
                // margin - eps = Σ g z^T Q z >= 0 where the hypotheses hold (`sos`).
                let n = self.p.root.lo.len();
                let hyp = |k: usize| self.p.hyps.get(k).and_then(|h| Poly::from_expr(&h.0, n));
                let positive = |f: &sos::Factor| match *f {
                    sos::Factor::Hyp(k) => self.p.hyps.get(k).is_some_and(|h| h.1),
                    sos::Factor::Lo(i) => b.lo_ex.get(i) == Some(&true),
                    sos::Factor::Hi(i) => b.hi_ex.get(i) == Some(&true),
                };
                let ends = (&b.lo[..], &b.hi[..]);
                sos::check(self.poly()?, &eps.0, strict, blocks, ends, &hyp, &positive)
            }
            Leaf::Tangent { at } => self.tangent(at, b, strict, prec),
            Leaf::Taylor { at, order } => self.taylor(at, *order, b, strict, prec),
            Leaf::ExactPoint => {
                if let Some(i) = (0..ivs.len()).find(|i| !b.is_point(*i)) {
                    bail!(NotAPoint => "axis {i} is not a point");
                }
                for &k in &s.hyps {
                    let (h, h_strict) = &self.p.hyps[k];
                    let iv = enclose(h, &ivs, prec).filter(|iv| iv.positive(*h_strict));
                    ensure!(iv.is_some(), HypothesisNotShown => "hypothesis {k} not shown to hold");
                }
                positive("the margin at the point", margin_on(&ivs)?)
            }
        }
    }

    /// `m(c) + Σ ∂m/∂y_i(b) (b_i - c_i)`, which contains `m(y)` for every `y` in `b` (mean
    /// value theorem along the axes one after the other).
    fn mean_value(&self, centre: &[Option<Num>], b: &Bx, prec: u32) -> Result<Iv, Fail> {
        let n = b.lo.len();
        ensure!(centre.len() == n, BadCentre => "{} centre coordinates for {n} axes", centre.len());
        let mut c = Vec::new();
        for (i, ci) in centre.iter().enumerate() {
            c.push(match ci {
                Some(q) if b.lo[i] <= q.0 && q.0 <= b.hi[i] => q.0.clone(),
                None if b.is_point(i) => b.lo[i].clone(),
                _ => bail!(BadCentre => "centre coordinate {i} is outside the box, or null"),
            });
        }
        mean_value_form(self.margin(), b, &c, prec).ok_or_else(undefined)
    }

    fn poly(&self) -> Result<&Poly, Fail> {
        let n = self.p.root.lo.len();
        let Some(p) = self.poly.get_or_init(|| Poly::from_expr(self.margin(), n)) else {
            bail!(NotPolynomial => "the margin is not a polynomial (or too large)")
        };
        Ok(p)
    }

    /// Bernstein coefficients over `b`, or `NotPolynomial` if too many.
    fn expand(&self, p: &Poly, b: &Bx) -> Result<Bernstein, Fail> {
        let Some(e) = Bernstein::new(p, &b.lo, &b.hi) else {
            bail!(NotPolynomial => "the Bernstein expansion is too large")
        };
        Ok(e)
    }

    /// A rational margin `p/q` (every denominator a factor of `q`): `q² > 0` at every point
    /// of the box off its excluded ends, so the margin is defined there and has the sign of
    /// `p q`, which must pass the test for `strict`.
    fn rational(&self, b: &Bx, strict: bool) -> Result<(), Fail> {
        let n = self.p.root.lo.len();
        let Some((p, q)) = Poly::fraction_from_expr(self.margin(), n) else {
            bail!(NotPolynomial => "the margin is not a rational function (or too large)")
        };
        let (Some(qq), Some(pq)) = (q.times(&q), p.times(&q)) else {
            bail!(NotPolynomial => "the rational margin is too large")
        };
        self.bernstein_of(&qq, b, true)?;
        self.bernstein_of(&pq, b, strict)
    }

    /// All Bernstein coefficients `>= 0`; if strict, every kind of point of the box that
    /// belongs to the domain has a positive coefficient that fits it.
    fn bernstein(&self, b: &Bx, strict: bool) -> Result<(), Fail> {
        self.bernstein_of(self.poly()?, b, strict)
    }

    fn bernstein_of(&self, p: &Poly, b: &Bx, strict: bool) -> Result<(), Fail> {
        let e = self.expand(p, b)?;
        if let Some(k) = (0..e.coeffs.len()).find(|k| e.coeffs[*k] < 0) {
            let (index, value) = (e.index(k), &e.coeffs[k]);
            bail!(NegativeCoefficient => "Bernstein coefficient {index:?} is {value} < 0");
        }
        let incl = |ex: &[bool]| ex.iter().map(|x| !x).collect::<Vec<_>>();
        if let Some(kind) = strict.then(|| e.uncovered_kind(&incl(&b.lo_ex), &incl(&b.hi_ex))) {
            let kind = kind.map_or(String::new(), |k| format!("{k:?}"));
            ensure!(kind.is_empty(), UncoveredKind => "no positive coefficient fits points {kind}");
        }
        Ok(())
    }

    /// Convexity: a Hessian that is diagonally dominant with a non-negative diagonal on `b`
    /// (entries bounded by their exact Bernstein ranges) is PSD, so `m` lies above its
    /// tangent plane at any `c` in `b`: `m(y) >= m(c) + Σ min over b_i of ∂_i m(c)(y_i - c_i)`.
    fn convex(&self, b: &Bx, strict: bool) -> Result<(), Fail> {
        let (p, n) = (self.poly()?, b.lo.len());
        let first: Vec<Poly> = (0..n).map(|i| p.derivative(i)).collect();
        for (i, d) in first.iter().enumerate() {
            let (diag, _) = self.expand(&d.derivative(i), b)?.range();
            let mut off = Rational::new();
            for j in (0..n).filter(|j| *j != i) {
                let (lo, hi) = self.expand(&d.derivative(j), b)?.range();
                off += lo.abs().max(hi.abs());
            }
            ensure!(diag >= off, NotConvex => "Hessian row {i}: diagonal {diag} < {off}");
        }
        // Candidates: the vertices, then the centre.
        let vertex = |mask: usize| (0..n).map(move |i| [&b.lo[i], &b.hi[i]][mask >> i & 1].clone());
        let mut candidates: Vec<Vec<Rational>> =
            (0..1 << n.min(16)).map(|m| vertex(m).collect()).collect();
        let mid = |i: usize| Rational::from(&b.lo[i] + &b.hi[i]) / 2;
        candidates.push((0..n).map(mid).collect());
        let tangent_ok = |c: &Vec<Rational>| {
            let mut bound = p.eval(c);
            for (i, g) in first.iter().enumerate() {
                let (d, to_lo) = (g.eval(c), Rational::from(&b.lo[i] - &c[i]));
                bound += (to_lo * &d).min(Rational::from(&b.hi[i] - &c[i]) * d);
            }
            bound > 0 || (!strict && bound == 0)
        };
        let ok = candidates.iter().any(tangent_ok);
        ensure!(ok, NoTangent => "no vertex or centre gives a tangent bound {}", need(strict));
        Ok(())
    }
}
