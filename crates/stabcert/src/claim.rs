//! A claim after parsing and name resolution: what the prover receives.

use crate::expr::Expr;
use std::path::PathBuf;

/// The verdict a claim is expected to get (`expect proved|refuted|vacuous`, default proved).
///
/// `Proved` asks for a proof over a domain shown non-empty; `Vacuous` for a proof because
/// the domain is empty (proved empty); `Unsat` (an SMT-LIB script's `:status unsat`) for a
/// proof whether or not the domain is empty: "no point satisfies the assertions" holds as
/// well when the bounds themselves are contradictory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The claim holds on its whole domain (the default).
    Proved,
    /// The claim fails somewhere: an exact witness is expected.
    Refuted,
    /// The claim holds because its domain is empty (`expect vacuous`).
    Vacuous,
    /// The claim holds, its domain empty or not (SMT-LIB `:status unsat`; no `.stab` syntax).
    Unsat,
}

impl Expect {
    /// The lowercase word, as written after `expect`.
    pub fn name(self) -> &'static str {
        match self {
            Expect::Proved => "proved",
            Expect::Refuted => "refuted",
            Expect::Vacuous => "vacuous",
            Expect::Unsat => "unsat",
        }
    }
}

/// A comparison operator of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl RelOp {
    /// The operator as the claim language writes it (`"<"`, `"<="`, `">"`, `">="`).
    pub fn symbol(self) -> &'static str {
        match self {
            RelOp::Lt => "<",
            RelOp::Le => "<=",
            RelOp::Gt => ">",
            RelOp::Ge => ">=",
        }
    }
}

/// One comparison `lhs op rhs`; a chain `a < b <= c` becomes two of them.
#[derive(Clone, Debug)]
pub struct Cond {
    /// The left-hand side, over the claim's variables (`Var(i)` is the `i`-th binding).
    pub lhs: Expr,
    /// The comparison.
    pub op: RelOp,
    /// The right-hand side, over the claim's variables.
    pub rhs: Expr,
    /// The source text of this comparison, for messages.
    pub text: String,
}

impl Cond {
    /// The margin `m` with the condition equivalent to `m > 0` (strict) or `m >= 0`.
    pub fn margin(&self) -> (Expr, bool) {
        match self.op {
            RelOp::Lt => (Expr::sub(self.rhs.clone(), self.lhs.clone()), true),
            RelOp::Le => (Expr::sub(self.rhs.clone(), self.lhs.clone()), false),
            RelOp::Gt => (Expr::sub(self.lhs.clone(), self.rhs.clone()), true),
            RelOp::Ge => (Expr::sub(self.lhs.clone(), self.rhs.clone()), false),
        }
    }
}

/// `name in LB lo, hi RB`: endpoints may use variables bound before this one.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The variable's name.
    pub name: String,
    /// The lower end, over the variables bound before this one.
    pub lo: Expr,
    /// Whether `lo` belongs to the range (`[`) or not (`(`).
    pub lo_closed: bool,
    /// The upper end, over the variables bound before this one.
    pub hi: Expr,
    /// Whether `hi` belongs to the range (`]`) or not (`)`).
    pub hi_closed: bool,
}

/// Where an item starts in its file (1-based line and column).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters (not bytes).
    pub col: usize,
}

/// A fully resolved claim: `forall bindings, where hyps => goals`.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The file the claim was read from, as given on the command line or found in a directory.
    pub file: PathBuf,
    /// Where the claim's `claim` keyword is.
    pub pos: Pos,
    /// The claim's name, unique across the files of a run.
    pub name: String,
    /// The quoted description, unescaped; `None` if the claim has none.
    pub description: Option<String>,
    /// The verdict the claim is expected to get.
    pub expect: Expect,
    /// The variables and their ranges, in order: `Var(i)` in the expressions is `bindings[i]`.
    pub bindings: Vec<Binding>,
    /// The `where` conditions, all assumed (empty if none).
    pub hyps: Vec<Cond>,
    /// The conclusions after `=>`, each of which must hold (a chain counts as several).
    pub goals: Vec<Cond>,
    /// The claim's source text, from `claim` to the end of its last condition.
    pub source: String,
    /// For a claim written with `and`/`or`/`not`: what must hold at every point of the
    /// domain (bindings and `hyps`), in place of `goals` (then empty). A `where` with
    /// connectives is folded in as `not where or conclusion`, and `hyps` is then empty.
    pub formula: Option<Formula>,
    /// Variables without bounds (an SMT-LIB problem's): the domain is no box, and the
    /// prover answers `unknown` naming them (their bindings are placeholders).
    pub unbounded: Vec<String>,
}

impl Claim {
    /// Variable names in binding order.
    pub fn var_names(&self) -> Vec<String> {
        self.bindings.iter().map(|b| b.name.clone()).collect()
    }
}

impl RelOp {
    /// The operator of the negated comparison (`not (a < b)` is `a >= b`).
    pub fn negated(self) -> RelOp {
        match self {
            RelOp::Lt => RelOp::Ge,
            RelOp::Le => RelOp::Gt,
            RelOp::Gt => RelOp::Le,
            RelOp::Ge => RelOp::Lt,
        }
    }
}

impl Cond {
    /// The negated comparison, exactly (`not (a < b)` is `a >= b`, where both are defined).
    pub fn negated(&self) -> Cond {
        Cond {
            op: self.op.negated(),
            text: format!("not ({})", self.text),
            ..self.clone()
        }
    }
}

/// A Boolean combination of comparisons in negation normal form: `not` is pushed into the
/// comparisons ([`Cond::negated`]); `a = b` is `a <= b and a >= b`, `a != b` is
/// `a < b or a > b`.
#[derive(Clone, Debug)]
pub enum Formula {
    /// One comparison.
    Atom(Cond),
    /// Every part holds (`And(vec![])` is true).
    And(Vec<Formula>),
    /// Some part holds (`Or(vec![])` is false).
    Or(Vec<Formula>),
}

/// Most clauses a formula may have in conjunctive normal form.
pub const MAX_CLAUSES: usize = 4096;

impl Formula {
    /// The negation, in negation normal form.
    pub fn negated(&self) -> Formula {
        match self {
            Formula::Atom(c) => Formula::Atom(c.negated()),
            Formula::And(fs) => Formula::Or(fs.iter().map(Formula::negated).collect()),
            Formula::Or(fs) => Formula::And(fs.iter().map(Formula::negated).collect()),
        }
    }

    /// The conjunction of a list of comparisons.
    pub fn all(conds: &[Cond]) -> Formula {
        Formula::And(conds.iter().cloned().map(Formula::Atom).collect())
    }

    /// How many clauses [`Formula::clauses`] gives, without building them; `None` above
    /// [`MAX_CLAUSES`].
    pub fn clause_count(&self) -> Option<usize> {
        let n = match self {
            Formula::Atom(_) => 1,
            Formula::And(fs) => fs.iter().try_fold(0usize, |acc, f| {
                acc.checked_add(f.clause_count()?)
                    .filter(|n| *n <= MAX_CLAUSES)
            })?,
            Formula::Or(fs) => fs.iter().try_fold(1usize, |acc, f| {
                acc.checked_mul(f.clause_count()?)
                    .filter(|n| *n <= MAX_CLAUSES)
            })?,
        };
        Some(n)
    }

    /// The conjunctive normal form: clauses (disjunctions of comparisons), by distribution,
    /// in a fixed order; `None` if there would be more than [`MAX_CLAUSES`].
    pub fn clauses(&self) -> Option<Vec<Vec<Cond>>> {
        match self {
            Formula::Atom(c) => Some(vec![vec![c.clone()]]),
            Formula::And(fs) => {
                let mut out = Vec::new();
                for f in fs {
                    out.extend(f.clauses()?);
                    if out.len() > MAX_CLAUSES {
                        return None;
                    }
                }
                Some(out)
            }
            Formula::Or(fs) => {
                let mut out: Vec<Vec<Cond>> = vec![Vec::new()];
                for f in fs {
                    let part = f.clauses()?;
                    if out.len().saturating_mul(part.len()) > MAX_CLAUSES {
                        return None;
                    }
                    let mut next = Vec::with_capacity(out.len() * part.len());
                    for a in &out {
                        for b in &part {
                            next.push(a.iter().chain(b).cloned().collect());
                        }
                    }
                    out = next;
                }
                Some(out)
            }
        }
    }

    /// Every comparison, in order.
    pub fn atoms(&self) -> Vec<&Cond> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(f) = stack.pop() {
            match f {
                Formula::Atom(c) => out.push(c),
                Formula::And(fs) | Formula::Or(fs) => stack.extend(fs.iter().rev()),
            }
        }
        out
    }

    /// The formula in the claim language's words (`and`, `or`, parentheses).
    pub fn text(&self) -> String {
        match self {
            Formula::Atom(c) => c.text.clone(),
            Formula::And(fs) if fs.is_empty() => "true".into(),
            Formula::Or(fs) if fs.is_empty() => "false".into(),
            Formula::And(fs) | Formula::Or(fs) => {
                let word = if matches!(self, Formula::And(_)) {
                    " and "
                } else {
                    " or "
                };
                let parts: Vec<String> = fs
                    .iter()
                    .map(|f| match f {
                        Formula::Atom(c) => c.text.clone(),
                        _ => format!("({})", f.text()),
                    })
                    .collect();
                parts.join(word)
            }
        }
    }
}

/// A region of a system's state space: `name = LB lo, hi RB`, ends in the parameters.
#[derive(Clone, Debug)]
pub struct Region {
    /// The region's name, unique in its system.
    pub name: String,
    /// The lower end, over the system's parameters.
    pub lo: Expr,
    /// Whether `lo` belongs to the region.
    pub lo_closed: bool,
    /// The upper end, over the system's parameters.
    pub hi: Expr,
    /// Whether `hi` belongs to the region.
    pub hi_closed: bool,
}

/// How a region's cycles are discharged.
#[derive(Clone, Debug)]
pub enum EscapeRule {
    /// `escape R grow C`: on R, `next > C * state` with `C > 1` (and `state > 0`), so R is
    /// left upward within `ceil(log(hi/u0) / log C)` steps.
    Grow(Expr),
    /// `escape R in K expand L from A`: after K steps from R, the distance to the anchor `A`
    /// (an end of R, in the parameters) has grown by the factor `L > 1`, whatever the noise.
    Expand {
        /// K: the number of steps, from 1 to 16.
        steps: u32,
        /// L: the expansion factor, over the parameters (must exceed 1).
        factor: Expr,
        /// A: the anchor the distance is measured from, over the parameters.
        anchor: Expr,
    },
}

/// An `escape` line of a system.
#[derive(Clone, Debug)]
pub struct Escape {
    /// The name of the region whose cycles the escape discharges.
    pub region: String,
    /// Why the region is left.
    pub rule: EscapeRule,
    /// Where the `escape` line is.
    pub pos: Pos,
}

/// `system NAME: params ..., noise ..., state ..., next EXPR, regions ...`: a one-dimensional
/// random map `state' = next(params, noise, state)` with a partition of its state space.
///
/// Variables are numbered params first, then noise, then the state (binding order).
#[derive(Clone, Debug)]
pub struct System {
    /// The file the system was read from.
    pub file: PathBuf,
    /// Where the system's `system` keyword is.
    pub pos: Pos,
    /// The system's name, unique across the files of a run (like a claim's).
    pub name: String,
    /// The quoted description, unescaped; `None` if the system has none.
    pub description: Option<String>,
    /// The parameters (variables `0..params.len()`), ranges over earlier parameters.
    pub params: Vec<Binding>,
    /// The noise variables, drawn afresh every step (variables after the parameters).
    pub noise: Vec<Binding>,
    /// The state variable (the last variable); its range is the whole state space.
    pub state: Binding,
    /// The next state, over the parameters, the noise and the state.
    pub next: Expr,
    /// The partition of the state space, in the system's order.
    pub regions: Vec<Region>,
    /// The `escape` lines, one per discharged region.
    pub escapes: Vec<Escape>,
    /// Regions declared to be the terminal cycle (`target`).
    pub target: Vec<String>,
    /// Regions declared exceptional (`exceptional`): invariant sets the proof sets aside.
    pub exceptional: Vec<String>,
    /// The system's source text, from `system` to the end of its last clause: the source of
    /// every claim it generates (so their certificates' hashes change with it).
    pub source: String,
}
