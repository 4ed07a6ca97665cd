//! A claim after parsing and name resolution: what the prover receives.

use crate::expr::Expr;
use std::path::PathBuf;

/// The verdict a claim is expected to get (`expect proved|refuted`, default proved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Proved,
    Refuted,
}

/// A comparison operator of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelOp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl RelOp {
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
    pub lhs: Expr,
    pub op: RelOp,
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
    pub name: String,
    pub lo: Expr,
    pub lo_closed: bool,
    pub hi: Expr,
    pub hi_closed: bool,
}

/// Where an item starts in its file (1-based line and column).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A fully resolved claim: `forall bindings, where hyps => goals`.
#[derive(Clone, Debug)]
pub struct Claim {
    pub file: PathBuf,
    pub pos: Pos,
    pub name: String,
    pub description: Option<String>,
    pub expect: Expect,
    pub bindings: Vec<Binding>,
    pub hyps: Vec<Cond>,
    pub goals: Vec<Cond>,
    /// The claim's source text, from `claim` to the end of its last condition.
    pub source: String,
}

impl Claim {
    /// Variable names in binding order.
    pub fn var_names(&self) -> Vec<String> {
        self.bindings.iter().map(|b| b.name.clone()).collect()
    }
}

/// A region of a system's state space: `name = LB lo, hi RB`, ends in the parameters.
#[derive(Clone, Debug)]
pub struct Region {
    pub name: String,
    pub lo: Expr,
    pub lo_closed: bool,
    pub hi: Expr,
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
        steps: u32,
        factor: Expr,
        anchor: Expr,
    },
}

/// An `escape` line of a system.
#[derive(Clone, Debug)]
pub struct Escape {
    pub region: String,
    pub rule: EscapeRule,
    pub pos: Pos,
}

/// `system NAME: params ..., noise ..., state ..., next EXPR, regions ...`: a one-dimensional
/// random map `state' = next(params, noise, state)` with a partition of its state space.
///
/// Variables are numbered params first, then noise, then the state (binding order).
#[derive(Clone, Debug)]
pub struct System {
    pub file: PathBuf,
    pub pos: Pos,
    pub name: String,
    pub description: Option<String>,
    pub params: Vec<Binding>,
    pub noise: Vec<Binding>,
    pub state: Binding,
    pub next: Expr,
    pub regions: Vec<Region>,
    pub escapes: Vec<Escape>,
    /// Regions declared to be the terminal cycle (`target`).
    pub target: Vec<String>,
    /// Regions declared exceptional (`exceptional`): invariant sets the proof sets aside.
    pub exceptional: Vec<String>,
}
