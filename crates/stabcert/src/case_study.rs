//! A case study: the model a proof is about, as data. stabcert is a general checker; what the
//! simulator and the report know of a particular model (its map, region constants, escape
//! factors, loss band, stated proposition, default simulation) comes from a TOML file such as
//! `proofs/case-study.toml`:
//!
//! ```toml
//! version = 1
//! name = "a one-dimensional random map"
//! proof = "model.stab"               # relative to this file
//! system = "m"                       # the system of that file this case study is about
//! stated = "stated.md"               # the proposition as stated (Markdown)
//!
//! [model]
//! param = "e"                        # the system's parameter, noise and state names
//! noise = "g"
//! state = "u"
//! map = "u + g*u*(1 - u^2)"          # the system's `next`, in the claim language
//! window = ["1", "5/4"]              # the noise support must lie in this open interval
//! param_of_noise_min = "min((g - 1)/3, 1/50)"   # e for a law whose smallest noise is g
//!
//! [regions]                          # I0 = (0, low], I1 = (low, fixed - e),
//! low = "13/20"                      # I2 = [fixed - e, fixed), {fixed}, I3 = (fixed, fixed + e],
//! fixed = "1"                        # I4 = (fixed + e, top); the state space is (0, top)
//! top = "581/500"
//!
//! [escape]
//! growth = "1 + (1 - (13/20)^2)"     # on I0: map > growth * state
//! expand = "(1 + 6*e)^2"             # two steps from I2 multiply the distance to fixed by it
//!
//! [loss]
//! expr = "(1 - u^2)^2/4"             # the loss at a state, in `unit`
//! unit = "E[x²] θ*⁴"
//! proven = ["e^2*(2 - e)^2/4", "(1 - (13/20)^2)^2/4"]   # the band proven on the 2-cycle
//! stated = ["e", "17/100"]           # the band the statement gives, in `stated_unit`
//! stated_unit = "θ*²"
//!
//! [simulation]                       # the default run: noise uniform on [noise_min, noise_max]
//! noise_min = "1.06"
//! noise_max = "1.24"
//! trajectories = 100000
//! steps = 1000
//! ```
//!
//! Numbers are exact (constant expressions with a rational value); every expression may use
//! only the names its field allows. [`CaseStudy::load`] checks the file against the system it
//! names: the map must be the system's `next` (the same expression, or the same polynomial),
//! the state space `(0, top)` its state range, the window's top its noise bound, and the
//! escape factors those of its `escape` lines on `(0, low]` and `[fixed - e, fixed)`. Every
//! failure is an [`Error::Input`] pointing into the file.

use crate::claim::{EscapeRule, System};
use crate::expr::poly::Poly;
use crate::expr::Expr;
use crate::lang::{self, Diagnostic};
use crate::prover::exact::eval_rational;
use crate::prover::tape::Tape;
use crate::{Error, Result};
use rug::Rational;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Index of the parameter among the model's variables (the system's binding order).
pub const PARAM: usize = 0;
/// Index of the noise.
pub const NOISE: usize = 1;
/// Index of the state.
pub const STATE: usize = 2;
const NVARS: usize = 3;

/// A case study, loaded and checked against its system.
#[derive(Clone, Debug)]
pub struct CaseStudy {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its name, for titles.
    pub name: String,
    /// The proof file and the system in it.
    pub proof: PathBuf,
    /// The name of the system the model must agree with.
    pub system: String,
    /// The proposition as stated, Markdown.
    pub stated_md: String,
    /// The model: map, regions, escape factors, loss.
    pub model: Model,
    /// The simulation run by default.
    pub simulation: DefaultRun,
}

/// The project's own case study, `proofs/case-study.toml`, for the engine's unit tests.
#[cfg(test)]
pub(crate) fn flagship() -> CaseStudy {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../proofs/case-study.toml");
    CaseStudy::load(Path::new(path)).unwrap()
}

/// The default simulation of a case study.
#[derive(Clone, Debug)]
pub struct DefaultRun {
    /// The noise is uniform on `[noise_min, noise_max]`.
    pub noise_min: f64,
    /// See `noise_min`.
    pub noise_max: f64,
    /// Trajectories simulated.
    pub trajectories: u64,
    /// Steps a trajectory.
    pub steps: u64,
}

/// The model: a one-dimensional random map `state' = map(param, noise, state)` with a fixed
/// point, its regions, escape factors and loss. Expressions are over the variables
/// [`PARAM`], [`NOISE`], [`STATE`].
#[derive(Clone, Debug)]
pub struct Model {
    /// The names of the parameter, the noise and the state.
    pub names: [String; NVARS],
    /// The map, over [`PARAM`], [`NOISE`], [`STATE`].
    pub map: Expr,
    /// The map as the file writes it.
    pub map_text: String,
    /// The parameter for a law whose smallest noise value is the noise variable.
    pub param_of_noise_min: Expr,
    /// `param_of_noise_min` as the file writes it.
    pub param_of_noise_min_text: String,
    /// The open interval the noise support must lie in.
    pub window: [Rational; 2],
    /// The upper end of the region left by growth, `(0, low]`.
    pub low: Rational,
    /// The map's fixed point.
    pub fixed: Rational,
    /// The upper end of the state space `(0, top)`.
    pub top: Rational,
    /// On `(0, low]`: `map > growth · state` (in the parameter).
    pub growth: Expr,
    /// Two steps from `[fixed − e, fixed)` multiply the distance to `fixed` by this.
    pub expand: Expr,
    /// The loss at a state, in [`Model::loss_unit`].
    pub loss: Expr,
    /// `loss` as the file writes it.
    pub loss_text: String,
    /// The unit the loss is measured in (text).
    pub loss_unit: String,
    /// The band proven on the 2-cycle (in the parameter).
    pub proven_band: [Expr; 2],
    /// The band the statement gives, in [`Model::stated_unit`] (in the parameter).
    pub stated_band: [Expr; 2],
    /// `stated_band` as the file writes it.
    pub stated_band_text: [String; 2],
    /// The unit of the stated band (text).
    pub stated_unit: String,
}

// ---- The file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    version: Spanned<u32>,
    name: String,
    proof: Spanned<String>,
    system: Spanned<String>,
    stated: Spanned<String>,
    model: RawModel,
    regions: RawRegions,
    escape: RawEscape,
    loss: RawLoss,
    simulation: RawSimulation,
}

type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    param: Text,
    noise: Text,
    state: Text,
    map: Text,
    window: [Text; 2],
    param_of_noise_min: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegions {
    low: Text,
    fixed: Text,
    top: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEscape {
    growth: Text,
    expand: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLoss {
    expr: Text,
    unit: String,
    proven: [Text; 2],
    stated: [Text; 2],
    stated_unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSimulation {
    noise_min: Text,
    noise_max: Text,
    trajectories: Spanned<u64>,
    steps: Spanned<u64>,
}

/// Most trajectories and steps a default run may ask for.
const MAX_DEFAULT_TRAJECTORIES: u64 = 1_000_000_000;
const MAX_DEFAULT_STEPS: u64 = 1_000_000;

/// The file being read: positioned errors.
struct Source<'a> {
    path: &'a Path,
    bytes: &'a [u8],
}

impl Source<'_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> Error {
        Error::Input(Diagnostic::at_byte(self.path, self.bytes, offset, message).to_string())
    }

    /// An error at a value of the file.
    fn error<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Error {
        self.error_at(at.span().start, message)
    }
}

impl CaseStudy {
    /// Reads the case study at `path`, its stated proposition and its proof file, and checks
    /// it against the system it names.
    pub fn load(path: &Path) -> Result<CaseStudy> {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::Input(format!(
                "{}: cannot read the case study: {e}",
                path.display()
            ))
        })?;
        let src = Source {
            path,
            bytes: &bytes,
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| src.error_at(e.valid_up_to(), "not UTF-8 text: is this a binary file?"))?;
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let message = e.message().trim_end().to_string();
            match e.span() {
                Some(span) => src.error_at(span.start, message),
                None => Error::Input(Diagnostic::unpositioned(path, message).to_string()),
            }
        })?;
        if *raw.version.get_ref() != 1 {
            return Err(src.error(
                &raw.version,
                format!(
                    "unsupported case study version {} (this stabcert reads version 1)",
                    raw.version.get_ref()
                ),
            ));
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let model = model(&src, &raw)?;
        let proof = base.join(raw.proof.get_ref());
        let doc = lang::load_documents(std::slice::from_ref(&proof)).map_err(|d| {
            src.error(
                &raw.proof,
                format!(
                    "cannot load the proof file: {}",
                    single_line(&d.to_string())
                ),
            )
        })?;
        let name = raw.system.get_ref();
        let system = doc
            .systems
            .iter()
            .find(|s| &s.name == name)
            .ok_or_else(|| {
                src.error(
                    &raw.system,
                    format!("no system `{name}` in {}", proof.display()),
                )
            })?;
        check_against(&src, &raw, &model, system)?;
        let stated_path = base.join(raw.stated.get_ref());
        let stated_md = std::fs::read_to_string(&stated_path).map_err(|e| {
            src.error(
                &raw.stated,
                format!("cannot read {}: {e}", stated_path.display()),
            )
        })?;
        Ok(CaseStudy {
            path: path.to_path_buf(),
            name: raw.name.clone(),
            proof,
            system: name.clone(),
            stated_md,
            model,
            simulation: default_run(&src, &raw.simulation)?,
        })
    }
}

/// The first line of a diagnostic, for quoting it inside another.
fn single_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn default_run(src: &Source, s: &RawSimulation) -> Result<DefaultRun> {
    let min = nearest(&constant(src, &s.noise_min)?);
    let max = nearest(&constant(src, &s.noise_max)?);
    if min > max {
        return Err(src.error(&s.noise_min, "noise_min exceeds noise_max"));
    }
    let count = |v: &Spanned<u64>, max: u64, what: &str| match *v.get_ref() {
        n @ 1.. if n <= max => Ok(n),
        _ => Err(src.error(v, format!("{what} must be from 1 to {max}"))),
    };
    Ok(DefaultRun {
        noise_min: min,
        noise_max: max,
        trajectories: count(&s.trajectories, MAX_DEFAULT_TRAJECTORIES, "trajectories")?,
        steps: count(&s.steps, MAX_DEFAULT_STEPS, "steps")?,
    })
}

fn model(src: &Source, raw: &Raw) -> Result<Model> {
    let m = &raw.model;
    let names = [&m.param, &m.noise, &m.state];
    for (i, n) in names.iter().enumerate() {
        check_name(src, n)?;
        if names[..i].iter().any(|o| o.get_ref() == n.get_ref()) {
            return Err(src.error(*n, "the parameter, noise and state need distinct names"));
        }
    }
    let names = names.map(|n| n.get_ref().clone());
    let ex = |t: &Text, allowed: &[usize]| expression(src, &names, t, allowed);
    let all = [PARAM, NOISE, STATE];
    let map = ex(&m.map, &all)?;
    if !map.uses_var(STATE) {
        return Err(src.error(&m.map, "the map must use the state"));
    }
    let [lo, hi] = [constant(src, &m.window[0])?, constant(src, &m.window[1])?];
    if lo >= hi {
        return Err(src.error(
            &m.window[0],
            "the window must be an interval [lo, hi], lo < hi",
        ));
    }
    let r = &raw.regions;
    let (low, fixed, top) = (
        constant(src, &r.low)?,
        constant(src, &r.fixed)?,
        constant(src, &r.top)?,
    );
    if !(0 < low && low < fixed && fixed < top) {
        return Err(src.error(&r.low, "the regions need 0 < low < fixed < top"));
    }
    let l = &raw.loss;
    let band =
        |b: &[Text; 2]| -> Result<[Expr; 2]> { Ok([ex(&b[0], &[PARAM])?, ex(&b[1], &[PARAM])?]) };
    Ok(Model {
        map_text: m.map.get_ref().clone(),
        map,
        param_of_noise_min: ex(&m.param_of_noise_min, &[NOISE])?,
        param_of_noise_min_text: m.param_of_noise_min.get_ref().clone(),
        window: [lo, hi],
        low,
        fixed,
        top,
        growth: ex(&raw.escape.growth, &[PARAM])?,
        expand: ex(&raw.escape.expand, &[PARAM])?,
        loss: ex(&l.expr, &[STATE])?,
        loss_text: l.expr.get_ref().clone(),
        loss_unit: l.unit.clone(),
        proven_band: band(&l.proven)?,
        stated_band: band(&l.stated)?,
        stated_band_text: [l.stated[0].get_ref().clone(), l.stated[1].get_ref().clone()],
        stated_unit: l.stated_unit.clone(),
        names,
    })
}

/// A variable name of the claim language.
fn check_name(src: &Source, name: &Text) -> Result<()> {
    let n = name.get_ref();
    let ident = n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let probe = format!("claim c: forall {n} in [0, 1] => {n} >= 0\n");
    match ident && lang::parse_source(Path::new("name"), &probe).is_ok() {
        true => Ok(()),
        false => Err(src.error(
            name,
            format!("`{n}` cannot name a variable (a name of letters, digits and _, not a keyword or built-in)"),
        )),
    }
}

/// Parses `text` as an expression of the claim language in the model's variables, through a
/// one-conclusion claim; only the variables `allowed` may occur.
fn expression(
    src: &Source,
    names: &[String; NVARS],
    text: &Text,
    allowed: &[usize],
) -> Result<Expr> {
    let t = text.get_ref();
    // The value's first character, after the opening quote (exact for strings without escapes).
    let start = text.span().start + 1;
    if t.contains(['\n', '\r']) {
        return Err(src.error(text, "an expression is one line"));
    }
    let bindings: Vec<String> = names.iter().map(|n| format!("{n} in [0, 1]")).collect();
    let prefix = format!("claim c: forall {} => ", bindings.join(", "));
    let claim = format!("{prefix}{t} > 0\n");
    let parsed = lang::parse_source(Path::new("expression"), &claim).map_err(|d| {
        // The column in the synthetic claim, back to a byte of `t`.
        let col = d.pos.map_or(0, |p| p.col.saturating_sub(1));
        let chars = col.saturating_sub(prefix.chars().count());
        let byte = t.char_indices().nth(chars).map_or(t.len(), |(b, _)| b);
        src.error_at(start + byte, format!("not an expression: {}", d.message))
    })?;
    let goal = match parsed.as_slice() {
        [c] if c.goals.len() == 1 && c.hyps.is_empty() => c.goals[0].lhs.clone(),
        _ => return Err(src.error(text, "not an expression (a single term, no comparison)")),
    };
    if let Some(v) = (0..NVARS).find(|v| goal.uses_var(*v) && !allowed.contains(v)) {
        let may: Vec<&str> = allowed.iter().map(|i| names[*i].as_str()).collect();
        let may = match may.is_empty() {
            true => "no variable".to_string(),
            false => may.join(", "),
        };
        return Err(src.error(
            text,
            format!(
                "`{}` may not occur here (this value may use {may})",
                names[v]
            ),
        ));
    }
    Ok(goal)
}

/// A constant expression with a rational value.
fn constant(src: &Source, text: &Text) -> Result<Rational> {
    let names = ["p_".to_string(), "n_".to_string(), "s_".to_string()];
    let e = expression(src, &names, text, &[])?;
    eval_rational(&e, &[Rational::new(), Rational::new(), Rational::new()])
        .map_err(|why| src.error(text, format!("not a rational number ({why:?})")))
}

/// The double nearest to `q` (`Rational::to_f64` rounds toward zero: 1.06 would become
/// 1.0599999999999998).
pub fn nearest(q: &Rational) -> f64 {
    rug::Float::with_val(53, q).to_f64()
}

/// Whether two expressions are the same function: the same tree, or the same polynomial.
pub fn same_function(a: &Expr, b: &Expr, nvars: usize) -> bool {
    if a == b {
        return true;
    }
    match (Poly::from_expr(a, nvars), Poly::from_expr(b, nvars)) {
        (Some(p), Some(q)) => p == q,
        _ => false,
    }
}

/// The value of a constant expression, if it has one.
fn value(e: &Expr) -> Option<Rational> {
    e.is_constant()
        .then(|| eval_rational(e, &[]).ok())
        .flatten()
}

/// The case study against the system it names.
fn check_against(src: &Source, raw: &Raw, m: &Model, sys: &System) -> Result<()> {
    let here = format!(
        "system `{}` ({}:{})",
        sys.name,
        sys.file.display(),
        sys.pos.line
    );
    let (params, noise) = (sys.params.as_slice(), sys.noise.as_slice());
    let [p, n] = [params, noise].map(|b| b.iter().map(|b| b.name.as_str()).collect::<Vec<_>>());
    let mm = &raw.model;
    if p != [m.names[PARAM].as_str()]
        || n != [m.names[NOISE].as_str()]
        || sys.state.name != m.names[STATE]
    {
        return Err(src.error(
            &mm.param,
            format!(
                "{here} binds parameters [{}], noise [{}] and state {}; the case study needs one \
                 parameter, one noise and the state, with the same names",
                p.join(", "),
                n.join(", "),
                sys.state.name
            ),
        ));
    }
    if !same_function(&m.map, &sys.next, NVARS) {
        return Err(src.error(
            &mm.map,
            format!(
                "the map is not {here}'s next state {}",
                sys.next.pretty_with(&m.names)
            ),
        ));
    }
    let zero = Rational::new();
    if value(&sys.state.lo) != Some(zero.clone()) || value(&sys.state.hi) != Some(m.top.clone()) {
        return Err(src.error(
            &raw.regions.top,
            format!("the state space (0, top) is not {here}'s state range"),
        ));
    }
    if value(&sys.noise[0].hi) != Some(m.window[1].clone()) {
        return Err(src.error(
            &mm.window[1],
            format!("the window's top is not {here}'s upper bound on the noise"),
        ));
    }
    let region = |lo: &Expr, hi: &Expr| {
        sys.regions
            .iter()
            .find(|r| same_function(&r.lo, lo, NVARS) && same_function(&r.hi, hi, NVARS))
    };
    let escape = |name: &str| sys.escapes.iter().find(|e| e.region == name);
    let c = |q: &Rational| Expr::Const(q.clone());
    let e = &raw.escape;
    let grow = region(&c(&zero), &c(&m.low)).and_then(|r| escape(&r.name));
    match grow.map(|g| &g.rule) {
        Some(EscapeRule::Grow(f)) if same_function(f, &m.growth, NVARS) => {}
        _ => {
            return Err(src.error(
                &e.growth,
                format!("{here} has no `escape R grow` with this factor on the region (0, low]"),
            ))
        }
    }
    let below = Expr::sub(c(&m.fixed), Expr::Var(PARAM));
    let expand = region(&below, &c(&m.fixed)).and_then(|r| escape(&r.name));
    match expand.map(|x| &x.rule) {
        Some(EscapeRule::Expand {
            steps: 2,
            factor,
            anchor,
        }) if same_function(factor, &m.expand, NVARS) && value(anchor) == Some(m.fixed.clone()) => {
        }
        _ => {
            return Err(src.error(
                &e.expand,
                format!(
                    "{here} has no `escape R in 2 expand` with this factor from fixed on the \
                     region [fixed - {0}, fixed)",
                    m.names[PARAM]
                ),
            ))
        }
    }
    Ok(())
}

/// `u + g·u·(1 − u²)`, the cubic map of the lane kernel, over the model's variables.
fn cubic_map() -> Expr {
    let (g, u) = (Expr::Var(NOISE), Expr::Var(STATE));
    let w = Expr::sub(Expr::constant(1), Expr::Pow(Box::new(u.clone()), 2));
    Expr::add(u.clone(), Expr::mul(Expr::mul(g, u), w))
}

/// `(1 − u²)²/4`, the loss the lane kernel computes.
fn cubic_loss() -> Expr {
    let w = Expr::sub(Expr::constant(1), Expr::Pow(Box::new(Expr::Var(STATE)), 2));
    Expr::Div(
        Box::new(Expr::Pow(Box::new(w), 2)),
        Box::new(Expr::constant(4)),
    )
}

/// How the map and the loss are evaluated in floats.
#[derive(Clone, Debug)]
pub enum Evaluator {
    /// The cubic map `u + g·u·(1 − u²)` as `fma(g·u, 1 − u², u)`, its loss `(1 − u²)²/4`.
    Cubic,
    /// Any map and loss, through compiled tapes (round to nearest at every operation).
    Tape {
        /// The map.
        map: Tape,
        /// The loss.
        loss: Tape,
    },
}

impl Evaluator {
    /// `map(e, g, u)`; `scratch` is working space for the tape.
    #[inline(always)]
    pub fn next(&self, e: f64, g: f64, u: f64, scratch: &mut Vec<f64>) -> f64 {
        match self {
            Evaluator::Cubic => (g * u).mul_add(1.0 - u * u, u),
            Evaluator::Tape { map, .. } => map.eval_f64(&[e, g, u], scratch),
        }
    }

    /// The loss at `u`.
    #[inline(always)]
    pub fn loss(&self, u: f64, scratch: &mut Vec<f64>) -> f64 {
        match self {
            Evaluator::Cubic => {
                let w = 1.0 - u * u;
                w * w * 0.25
            }
            Evaluator::Tape { loss, .. } => loss.eval_f64(&[0.0, 0.0, u], scratch),
        }
    }
}

impl Model {
    /// Whether the map is exactly the cubic `u + g·u·(1 − u²)` (as a polynomial over the
    /// rationals), the loss exactly `(1 − u²)²/4` and the fixed point 1: what the vectorised
    /// lane kernel computes.
    pub fn is_cubic(&self) -> bool {
        same_function(&self.map, &cubic_map(), NVARS)
            && same_function(&self.loss, &cubic_loss(), NVARS)
            && self.fixed == 1
    }

    /// The float evaluator: [`Evaluator::Cubic`] only when [`Model::is_cubic`].
    pub fn evaluator(&self) -> Evaluator {
        match self.is_cubic() {
            true => Evaluator::Cubic,
            false => Evaluator::Tape {
                map: Tape::compile(&self.map, NVARS),
                loss: Tape::compile(&self.loss, NVARS),
            },
        }
    }

    /// The exact next state, `None` where the map is undefined or not rational.
    pub fn next_exact(&self, e: &Rational, g: &Rational, u: &Rational) -> Option<Rational> {
        eval_rational(&self.map, &[e.clone(), g.clone(), u.clone()]).ok()
    }

    /// The parameter for a law whose smallest noise value is `noise_min`, exactly.
    pub fn param_exact(&self, noise_min: &Rational) -> Option<Rational> {
        let x = [Rational::new(), noise_min.clone(), Rational::new()];
        eval_rational(&self.param_of_noise_min, &x).ok()
    }

    /// The parameter for a law whose smallest noise value is `noise_min` (NaN if undefined).
    pub fn param(&self, noise_min: f64) -> f64 {
        Rational::from_f64(noise_min)
            .and_then(|g| self.param_exact(&g))
            .map_or(f64::NAN, |q| nearest(&q))
    }

    /// An expression in the parameter at `e` (NaN if undefined).
    pub fn at(&self, expr: &Expr, e: f64) -> f64 {
        let Some(e) = Rational::from_f64(e) else {
            return f64::NAN;
        };
        eval_rational(expr, &[e, Rational::new(), Rational::new()])
            .map_or(f64::NAN, |q| nearest(&q))
    }

    /// Whether `[lo, hi]` lies inside the open window.
    pub fn inside_window(&self, lo: f64, hi: f64) -> bool {
        match (Rational::from_f64(lo), Rational::from_f64(hi)) {
            (Some(lo), Some(hi)) => lo > self.window[0] && hi < self.window[1],
            _ => false,
        }
    }

    /// `(0, top)` as floats.
    pub fn state_space(&self) -> [f64; 2] {
        [0.0, nearest(&self.top)]
    }
}

#[cfg(test)]
mod tests;
