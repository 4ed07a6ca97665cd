//! The audit specification: a TOML file naming, for every constant and clause of a statement,
//! the claims (in `.stab` files) that settle it.
//!
//! ```toml
//! version = 1
//! files = ["model.stab", "audit.stab"]     # relative to this file
//!
//! [[constant]]
//! name = "b"
//! stated = "1.17"
//! role = "upper end of the state space (0, b)"
//! sharp = "lower"                  # which end of the valid range is the sharp value
//! lower = [{ claim = "top_min", param = "c", side = "above" }]
//! upper = [{ claim = "top_max", param = "c", side = "below" }]
//! sharp_form = "3*sqrt(15)/10"     # optional closed form, checked against the enclosure
//! # optional: an equation whose root (interval Newton) must agree with the enclosure
//! sharp_root = { equation = "x^2 - 27/20", lower = "1.16", upper = "1.17" }
//! proved = ["invariant"]           # claims that must be proved
//! refuted = []                     # claims that must be refuted (their witnesses are shown)
//!
//! [[clause]]
//! id = "formula"
//! text = "f(x) = x − gx(1 − x²) stays in (0, b)"
//! verdict = "false"
//! refuted = ["wrong_sign_invariant"]
//! correction = "f(x) = x + gx(1 − x²)"
//! proved = ["invariant"]
//! trajectory = { system = "m", steps = 6 }   # iterate the system from the witness
//!
//! [[gamma_max]]
//! case = "constants as stated"
//! conditions = [{ claim = "gmax_top", param = "gmax", side = "below" }]
//! proved_at = "1.25033"
//! proved = ["gmax_invariant"]
//! ```

use serde::Deserialize;

/// The whole specification.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spec {
    pub version: u32,
    /// Proof files, relative to the specification.
    pub files: Vec<String>,
    /// The corrected statement (Markdown), relative to the specification; shown by reports.
    #[serde(default)]
    pub corrected: Option<String>,
    #[serde(default, rename = "constant")]
    pub constants: Vec<Constant>,
    #[serde(default, rename = "clause")]
    pub clauses: Vec<Clause>,
    #[serde(default)]
    pub gamma_max: Vec<GammaMax>,
}

/// Which side of a threshold the valid values lie on (see `threshold::Side`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SideName {
    Above,
    Below,
}

impl From<SideName> for super::threshold::Side {
    fn from(s: SideName) -> Self {
        match s {
            SideName::Above => Self::Above,
            SideName::Below => Self::Below,
        }
    }
}

/// A parametric claim whose threshold bounds a constant's valid range.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Condition {
    pub claim: String,
    pub param: String,
    pub side: SideName,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum End {
    Lower,
    Upper,
}

/// A verdict as the specification may declare it.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
pub enum Verdict {
    /// The stated value is sharp: it lies within the enclosure of an end of the valid range
    /// (or the clause holds as written).
    #[serde(rename = "holds")]
    Holds,
    /// The stated value lies inside the valid range, clear of the enclosures of its ends.
    #[serde(rename = "holds with slack")]
    HoldsWithSlack,
    /// It holds only under the condition the specification states.
    #[serde(rename = "holds only under a condition")]
    HoldsUnderCondition,
    /// The stated value lies outside the valid range, or the clause is refuted as written.
    #[serde(rename = "false")]
    False,
}

impl Verdict {
    /// The verdict as the specification and the reports write it (`"holds with slack"`, ...).
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::HoldsWithSlack => "holds with slack",
            Verdict::HoldsUnderCondition => "holds only under a condition",
            Verdict::False => "false",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Constant {
    pub name: String,
    /// The value as the statement gives it (a decimal or `p/q`).
    pub stated: String,
    pub role: String,
    /// Where the statement uses it.
    #[serde(default)]
    pub seed: Option<String>,
    /// The sharp value is this end of the valid range.
    pub sharp: End,
    /// Thresholds bounding the valid range from below (the largest one counts) and above
    /// (the smallest one counts).
    #[serde(default)]
    pub lower: Vec<Condition>,
    #[serde(default)]
    pub upper: Vec<Condition>,
    /// A closed form of the sharp value, checked against the enclosure.
    #[serde(default)]
    pub sharp_form: Option<String>,
    /// An equation whose unique root in a range is the sharp value: solved independently by
    /// interval Newton and checked against the enclosure.
    #[serde(default)]
    pub sharp_root: Option<RootSpec>,
    /// Overrides the verdict the range implies (e.g. a value stated as an equality, or one
    /// that holds only under a condition); the claims listed must back it.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub correction: Option<String>,
    #[serde(default)]
    pub proved: Vec<String>,
    #[serde(default)]
    pub refuted: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Trajectory {
    pub system: String,
    pub steps: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Clause {
    pub id: String,
    pub text: String,
    pub verdict: Verdict,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub correction: Option<String>,
    #[serde(default)]
    pub proved: Vec<String>,
    #[serde(default)]
    pub refuted: Vec<String>,
    /// Systems whose analysis must hold.
    #[serde(default)]
    pub systems: Vec<String>,
    #[serde(default)]
    pub trajectory: Option<Trajectory>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GammaMax {
    pub case: String,
    /// The valid values lie below every condition's threshold: the smallest one counts.
    pub conditions: Vec<Condition>,
    /// Where the corrected argument is proved, just below the threshold.
    pub proved_at: String,
    pub proved: Vec<String>,
    #[serde(default)]
    pub sharp_form: Option<String>,
    #[serde(default)]
    pub sharp_root: Option<RootSpec>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `equation = 0` for `var` in `[lower, upper]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RootSpec {
    pub equation: String,
    #[serde(default = "default_var")]
    pub var: String,
    pub lower: String,
    pub upper: String,
}

fn default_var() -> String {
    "x".into()
}
