//! SMT-LIB 2 input (`*.smt2`): a script of commands whose every `(check-sat)` becomes a
//! claim, "no point of the box satisfies the assertions" (see `docs/smtlib.md`).
//!
//! The subset: `set-logic` (QF_NRA, QF_NRAT, QF_LRA, QF_RA, ALL), `set-info` (`:status`
//! sets the next claim's expectation: `unsat` = proved, `sat` = refuted), `set-option`
//! (ignored, with a note), `declare-fun` of arity 0 and `declare-const` of sort `Real`,
//! `define-fun` (inlined; no recursion), `assert`, `check-sat`, `get-model`, `echo`,
//! `push`/`pop`, `exit`; terms over `Real` with numerals, decimals, `+ - * /`, `^` with an
//! integer or `0.5` exponent, `abs`, `sqrt`, `min`, `max`, the transcendental names (see
//! [`transcendental`]), `let`, `ite`, `!` annotations, and the Boolean `and`, `or`, `not`,
//! `=>`, `xor`, `=`, `distinct`, `ite` over the comparisons `< <= > >= =`. Anything else is a
//! positioned error naming the construct.
//!
//! Variables need bounds: top-level conjuncts `x op c` or `c op x` (`c` a constant, chains
//! like `(<= 0 x 1)` included) become the box, the tightest on each side; the rest of the
//! assertions become the claim's formula `not (A_1 and ... and A_n)`. A variable of the
//! formula without both bounds makes the claim `unknown` ([`StopReason::Unbounded`]).
//!
//! [`StopReason::Unbounded`]: crate::prover::StopReason::Unbounded

pub mod export;
mod sexp;

use crate::claim::{Binding, Claim, Cond, Expect, Formula, RelOp, MAX_CLAUSES};
use crate::expr::Expr;
use crate::lang::{Diagnostic, Document, LineIndex};
use rug::Rational;
use sexp::{Kind, Sexp};
use std::collections::HashMap;
use std::path::Path;

/// Most `ite` cases a real term may split into.
const MAX_CASES: usize = 64;
/// Deepest expression after `let` and `define-fun` expansion (as for `.stab` claims).
const MAX_EXPR_DEPTH: usize = 2_000;
/// Most expression nodes built for one file.
const MAX_NODES: usize = 2_000_000;
/// Deepest nesting of term translation (terms within terms, through `define-fun` bodies).
const MAX_NESTING: usize = 20_000;

/// What `stabcert solve` does, command by command.
#[derive(Clone, Debug)]
pub enum Step {
    /// `(check-sat)`: decide claim `k` of [`Script::claims`].
    CheckSat(usize),
    /// `(get-model)`: print the model of the last `check-sat` (if it was `sat`).
    GetModel,
    /// `(echo "text")`: print the text.
    Echo(String),
}

/// A script: its claims (one per `check-sat`), its steps, notes on ignored commands, and
/// the declared variables with their bounds (to complete a model).
#[derive(Clone, Debug, Default)]
pub struct Script {
    /// One claim per `check-sat`, in order.
    pub claims: Vec<Claim>,
    /// The commands with output, in order.
    pub steps: Vec<Step>,
    /// `file:line:col: note: ...` for ignored commands.
    pub notes: Vec<String>,
    /// Per claim: every declared variable in scope, its value when absent from the claim
    /// (satisfying its one-sided bounds), and the assertions to re-check a model against.
    pub scopes: Vec<ModelScope>,
}

/// What a model of a claim must cover.
#[derive(Clone, Debug, Default)]
pub struct ModelScope {
    /// Declared variables in scope: name, and the value when the claim does not bind it.
    pub vars: Vec<(String, Rational)>,
    /// Every assertion, over the declared variables (`Var(i)` is `vars[i]`).
    pub assertions: Vec<Formula>,
    /// For each claim variable, its index in `vars`.
    pub claim_vars: Vec<usize>,
}

/// Whether `path` is read as SMT-LIB (`*.smt2`).
pub fn is_smtlib(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "smt2")
}

/// Reads an SMT-LIB file's claims (for `stabcert check`).
pub fn parse_document_bytes(file: &Path, bytes: &[u8]) -> Result<Document, Diagnostic> {
    parse_script_bytes(file, bytes).map(|s| Document {
        claims: s.claims,
        systems: Vec::new(),
    })
}

/// Reads an SMT-LIB file: text must be UTF-8 without NUL bytes.
pub fn parse_script_bytes(file: &Path, bytes: &[u8]) -> Result<Script, Diagnostic> {
    let src = match std::str::from_utf8(bytes) {
        Ok(src) => src,
        Err(e) => {
            let nul = bytes.iter().position(|&b| b == 0);
            let at = nul.map_or(e.valid_up_to(), |n| n.min(e.valid_up_to()));
            return Err(Diagnostic::at_byte(
                file,
                bytes,
                at,
                "binary or non-UTF-8 file",
            ));
        }
    };
    // Translation recurses over the terms (bounded by the limits above): a large stack.
    let parsed = std::thread::scope(|s| {
        let worker = std::thread::Builder::new().stack_size(1 << 29);
        match worker.spawn_scoped(s, || parse_script(file, src)) {
            Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Err(_) => Err(Err0 {
                at: 0,
                message: "cannot start the parser's thread".into(),
            }),
        }
    });
    let lines = LineIndex::new(src);
    parsed.map_err(|e| lines.diagnostic(file, e.at, e.message))
}

/// An error at a byte offset.
struct Err0 {
    at: usize,
    message: String,
}

fn fail<T>(at: usize, message: impl Into<String>) -> Result<T, Err0> {
    Err(Err0 {
        at,
        message: message.into(),
    })
}

fn parse_script(file: &Path, src: &str) -> Result<Script, Err0> {
    let items = sexp::parse(src).map_err(|e| Err0 {
        at: e.at,
        message: e.message,
    })?;
    if items.is_empty() {
        return fail(0, "empty file: no commands");
    }
    let lines = LineIndex::new(src);
    let mut st = State {
        file,
        src,
        lines: &lines,
        vars: Vec::new(),
        var_index: HashMap::new(),
        defs: HashMap::new(),
        def_order: Vec::new(),
        assertions: Vec::new(),
        levels: Vec::new(),
        status: None,
        nodes: 0,
        script: Script::default(),
    };
    for item in &items {
        if !st.command(item)? {
            break;
        }
    }
    let mut script = st.script;
    let n = script.claims.len();
    if n > 1 {
        for (k, c) in script.claims.iter_mut().enumerate() {
            c.name = format!("{}#{}", c.name, k + 1);
        }
    }
    Ok(script)
}

/// A value of a term: a real (split into `ite` cases, each with its guard) or a formula.
#[derive(Clone, Debug)]
enum Value {
    Real(Vec<(Prop, Expr)>),
    Bool(Prop),
}

/// A Boolean term as read: kept as a tree until its polarity is known, so that `ite` cases
/// can be written in the form whose conjunctive normal form is small either way
/// ([`Prop::formula`]).
#[derive(Clone, Debug)]
enum Prop {
    Atom(Cond),
    And(Vec<Prop>),
    Or(Vec<Prop>),
    Not(Box<Prop>),
    /// Boolean `ite`: condition, then, else.
    Ite(Box<(Prop, Prop, Prop)>),
    /// A comparison of terms with `ite` cases: one comparison per pair of cases, with the
    /// guard under which it is the comparison's value. The guards of one term are exhaustive
    /// and mutually exclusive at every point (each `ite` splits on `c` and `not c`; sums,
    /// products and functions of terms take the pairs of their cases).
    Cases(Vec<(Prop, Cond)>),
}

impl Prop {
    fn negated(&self) -> Prop {
        match self {
            Prop::Not(p) => (**p).clone(),
            p => Prop::Not(Box::new(p.clone())),
        }
    }

    /// The term (`positive`) or its negation in negation normal form. A comparison over
    /// `ite` cases is `and` over the cases of `not guard or comparison` (or `not comparison`
    /// for the negation): since the guards are exhaustive and mutually exclusive, this is
    /// exactly `or` over the cases of `guard and comparison`, and its clauses are those of
    /// the negated guards, each with one more literal, where the `or` form would multiply
    /// out into a clause per choice of one literal from every case (500 clauses for a
    /// Flyspeck inequality with four nested `ite`, 8 in this form). Boolean `ite` alike:
    /// `(not c or a) and (c or b)`.
    fn formula(&self, positive: bool) -> Formula {
        let all = |ps: &[Prop], pol: bool| ps.iter().map(|p| p.formula(pol)).collect();
        match self {
            Prop::Atom(c) if positive => Formula::Atom(c.clone()),
            Prop::Atom(c) => Formula::Atom(c.negated()),
            Prop::And(ps) if positive => Formula::And(all(ps, true)),
            Prop::And(ps) => Formula::Or(all(ps, false)),
            Prop::Or(ps) if positive => Formula::Or(all(ps, true)),
            Prop::Or(ps) => Formula::And(all(ps, false)),
            Prop::Not(p) => p.formula(!positive),
            Prop::Ite(cab) => {
                let (c, a, b) = &**cab;
                Formula::And(vec![
                    Formula::Or(vec![c.formula(false), a.formula(positive)]),
                    Formula::Or(vec![c.formula(true), b.formula(positive)]),
                ])
            }
            Prop::Cases(cases) => {
                let atom = |c: &Cond| Formula::Atom(if positive { c.clone() } else { c.negated() });
                if let [(g, c)] = cases.as_slice() {
                    if g.is_true() {
                        return atom(c);
                    }
                }
                Formula::And(
                    cases
                        .iter()
                        .map(|(g, c)| match g.is_true() {
                            true => atom(c),
                            false => Formula::Or(vec![g.formula(false), atom(c)]),
                        })
                        .collect(),
                )
            }
        }
    }

    fn is_true(&self) -> bool {
        matches!(self, Prop::And(v) if v.is_empty())
    }

    /// The top-level conjuncts of the term (`positive`) or of its negation, through `and`,
    /// `not or` and `not not`; each as the conjunct and its negation in negation normal form.
    fn conjuncts(&self, positive: bool, out: &mut Vec<(Formula, Formula)>) {
        match self {
            Prop::And(ps) if positive => ps.iter().for_each(|p| p.conjuncts(true, out)),
            Prop::Or(ps) if !positive => ps.iter().for_each(|p| p.conjuncts(false, out)),
            Prop::Not(p) => p.conjuncts(!positive, out),
            p => out.push((p.formula(positive), p.formula(!positive))),
        }
    }
}

#[derive(Clone, Debug)]
struct Def {
    params: Vec<(String, bool)>,
    real: bool,
    body: Sexp,
}

/// What a `push` saves.
#[derive(Clone, Debug, Default)]
struct Level {
    vars: usize,
    defs: Vec<String>,
    assertions: usize,
}

struct State<'a> {
    file: &'a Path,
    src: &'a str,
    lines: &'a LineIndex<'a>,
    vars: Vec<String>,
    var_index: HashMap<String, usize>,
    defs: HashMap<String, Def>,
    def_order: Vec<String>,
    assertions: Vec<Prop>,
    levels: Vec<Level>,
    status: Option<Expect>,
    nodes: usize,
    script: Script,
}

fn atom_true() -> Prop {
    Prop::And(Vec::new())
}

fn is_true(f: &Prop) -> bool {
    f.is_true()
}

/// `a and b`, without trivial parts.
fn and2(a: Prop, b: Prop) -> Prop {
    match (is_true(&a), is_true(&b)) {
        (true, _) => b,
        (_, true) => a,
        _ => Prop::And(vec![a, b]),
    }
}

impl State<'_> {
    fn note(&mut self, at: usize, message: &str) {
        let pos = self.lines.pos(at);
        let f = self.file.display();
        let note = format!("{f}:{}:{}: note: {message}", pos.line, pos.col);
        self.script.notes.push(note);
    }

    /// One command; `false` after `(exit)`.
    fn command(&mut self, item: &Sexp) -> Result<bool, Err0> {
        let Some(parts) = item.list() else {
            return fail(item.at, "expected a command in parentheses");
        };
        let Some(head) = parts.first() else {
            return fail(item.at, "empty command `()`");
        };
        let Some(name) = head.symbol() else {
            return fail(head.at, "expected a command name");
        };
        let args = &parts[1..];
        match name {
            "set-logic" => {
                let logic = args.first().and_then(Sexp::symbol).unwrap_or("");
                const LOGICS: [&str; 7] = [
                    "QF_NRA", "QF_NRAT", "QF_NLR", "QF_LRA", "QF_RA", "NRA", "ALL",
                ];
                if !LOGICS.contains(&logic) {
                    let at = args.first().map_or(head.at, |a| a.at);
                    return fail(
                        at,
                        format!(
                            "unsupported logic `{logic}`: stabcert reads QF_NRA, QF_NRAT, \
                             QF_NLR, QF_LRA, QF_RA, NRA (without quantifiers) and ALL"
                        ),
                    );
                }
            }
            "set-info" => {
                if matches!(args.first().map(|a| &a.kind), Some(Kind::Keyword(k)) if k == ":status")
                {
                    self.status = match args.get(1).and_then(Sexp::symbol) {
                        Some("unsat") => Some(Expect::Unsat),
                        Some("sat") => Some(Expect::Refuted),
                        Some("unknown") => None,
                        _ => {
                            let at = args.get(1).map_or(head.at, |a| a.at);
                            return fail(at, "`:status` must be `sat`, `unsat` or `unknown`");
                        }
                    };
                }
            }
            "set-option" => self.note(item.at, "set-option is ignored"),
            "get-info" | "get-option" => self.note(item.at, &format!("{name} is ignored")),
            "declare-fun" | "declare-const" => self.declare(name, item, args)?,
            "define-fun" => self.define(item, args)?,
            "assert" => {
                let [t] = args else {
                    return fail(item.at, "`assert` takes one term");
                };
                let f = self.boolean(t, &Env::default(), 0)?;
                self.assertions.push(f);
            }
            "check-sat" => {
                if !args.is_empty() {
                    return fail(args[0].at, "`check-sat` takes no arguments");
                }
                self.check_sat(item)?;
            }
            "get-model" => self.script.steps.push(Step::GetModel),
            "echo" => {
                let text = match args.first().map(|a| &a.kind) {
                    Some(Kind::Other(t)) if t.starts_with('"') => {
                        t[1..t.len() - 1].replace("\"\"", "\"")
                    }
                    _ => return fail(item.at, "`echo` takes a string"),
                };
                self.script.steps.push(Step::Echo(text));
            }
            "push" | "pop" => {
                let n = match args.first().map(|a| &a.kind) {
                    None => 1,
                    Some(Kind::Numeral(n)) => n.to_usize().unwrap_or(usize::MAX),
                    Some(_) => return fail(args[0].at, format!("`{name}` takes a numeral")),
                };
                for _ in 0..n {
                    if name == "push" {
                        if self.levels.len() >= 100_000 {
                            return fail(item.at, "more than 100000 `push` levels");
                        }
                        self.levels.push(Level {
                            vars: self.vars.len(),
                            defs: Vec::new(),
                            assertions: self.assertions.len(),
                        });
                    } else {
                        let Some(level) = self.levels.pop() else {
                            return fail(item.at, "`pop` without a matching `push`");
                        };
                        for v in self.vars.drain(level.vars..) {
                            self.var_index.remove(&v);
                        }
                        for d in level.defs {
                            self.defs.remove(&d);
                        }
                        self.def_order.retain(|d| self.defs.contains_key(d));
                        self.assertions.truncate(level.assertions);
                    }
                }
            }
            "exit" => return Ok(false),
            "declare-sort" | "define-sort" | "declare-datatype" | "declare-datatypes" => {
                return fail(
                    head.at,
                    format!("unsupported: `{name}` (only the sort Real)"),
                )
            }
            "define-fun-rec" | "define-funs-rec" => {
                return fail(
                    head.at,
                    format!("unsupported: `{name}` (recursive definitions)"),
                )
            }
            _ => {
                return fail(
                    head.at,
                    format!("unsupported command `{name}` (outside stabcert's SMT-LIB subset)"),
                )
            }
        }
        Ok(true)
    }

    fn fresh_name(&self, s: &Sexp) -> Result<String, Err0> {
        let Some(name) = s.symbol() else {
            return fail(s.at, "expected a symbol");
        };
        if self.var_index.contains_key(name) || self.defs.contains_key(name) {
            return fail(s.at, format!("`{name}` is already declared"));
        }
        Ok(name.to_string())
    }

    fn declare(&mut self, cmd: &str, item: &Sexp, args: &[Sexp]) -> Result<(), Err0> {
        let (name, sort) = match (cmd, args) {
            ("declare-const", [n, sort]) => (n, sort),
            ("declare-fun", [n, params, sort]) => {
                if params.list().is_none_or(|p| !p.is_empty()) {
                    return fail(
                        params.at,
                        "unsupported: uninterpreted function (declare-fun with arguments)",
                    );
                }
                (n, sort)
            }
            _ => return fail(item.at, format!("malformed `{cmd}`")),
        };
        sort_is_real(sort, "a variable")?;
        let name = self.fresh_name(name)?;
        self.var_index.insert(name.clone(), self.vars.len());
        self.vars.push(name);
        Ok(())
    }

    fn define(&mut self, item: &Sexp, args: &[Sexp]) -> Result<(), Err0> {
        let [name, params, sort, body] = args else {
            return fail(
                item.at,
                "malformed `define-fun`: (define-fun f ((x Real) ...) Real t)",
            );
        };
        let name = self.fresh_name(name)?;
        let Some(ps) = params.list() else {
            return fail(params.at, "expected the parameter list");
        };
        let mut out = Vec::new();
        for p in ps {
            let (Some(n), Some(sort)) = (
                p.list().and_then(|l| l.first()).and_then(Sexp::symbol),
                p.list().and_then(|l| l.get(1)),
            ) else {
                return fail(p.at, "expected a parameter `(x Real)`");
            };
            out.push((n.to_string(), sort_of(sort)?));
        }
        let real = sort_of(sort)?;
        self.defs.insert(
            name.clone(),
            Def {
                params: out,
                real,
                body: body.clone(),
            },
        );
        self.def_order.push(name.clone());
        if let Some(level) = self.levels.last_mut() {
            level.defs.push(name);
        }
        Ok(())
    }

    /// The claim of a `check-sat`: bounds from the top-level conjuncts, the rest negated.
    fn check_sat(&mut self, item: &Sexp) -> Result<(), Err0> {
        let n = self.vars.len();
        // Each top-level conjunct with its negation (see `Prop::formula`).
        let mut conjuncts = Vec::new();
        for a in &self.assertions {
            a.conjuncts(true, &mut conjuncts);
        }
        // (value, open) per side and variable.
        let mut lo: Vec<Option<(Rational, bool)>> = vec![None; n];
        let mut hi: Vec<Option<(Rational, bool)>> = vec![None; n];
        let mut rest = Vec::new();
        for (f, not_f) in conjuncts {
            match &f {
                Formula::Atom(c) if bound(c).is_some() => {
                    let Some((v, upper, q, open)) = bound(c) else {
                        continue;
                    };
                    let side = if upper { &mut hi[v] } else { &mut lo[v] };
                    let tighter = match side {
                        None => true,
                        Some((q0, o0)) => {
                            (upper && q < *q0) || (!upper && q > *q0) || (q == *q0 && open && !*o0)
                        }
                    };
                    if tighter {
                        *side = Some((q, open));
                    }
                }
                _ => rest.push((f, not_f)),
            }
        }
        // Constant bounds implied by affine atoms over bounded variables (`y > x` with
        // `x >= 1/10` gives `y > 1/10`): the box then holds exactly the same solutions.
        derive_bounds(&rest, &mut lo, &mut hi, n);
        // Bounds over other variables (`y <= x`, `z > 1 - x - y`) go into the box as
        // dependent ends when the variables can be ordered so that every end uses only
        // earlier ones; the rest stay in the formula (see `dependent_ends`).
        let (dep, rest) = dependent_ends(rest, &lo, &hi, n);
        // not (A_1 and ... and A_n), each `not A_i` in the form read for it.
        let goal = Formula::Or(rest.into_iter().map(|(_, not_f)| not_f).collect());
        let mut used = vec![false; n];
        for a in goal.atoms() {
            mark_vars(&a.lhs, &mut used);
            mark_vars(&a.rhs, &mut used);
        }
        for (e, _) in dep.lo.iter().chain(&dep.hi).flatten() {
            mark_vars(e, &mut used);
        }
        let has_lo = |v: usize| lo[v].is_some() || dep.lo[v].is_some();
        let has_hi = |v: usize| hi[v].is_some() || dep.hi[v].is_some();
        let mut claim_vars = Vec::new();
        let mut unbounded = Vec::new();
        for &v in &dep.order {
            if used[v] || (has_lo(v) && has_hi(v)) {
                if used[v] && !(has_lo(v) && has_hi(v)) {
                    unbounded.push(self.vars[v].clone());
                }
                claim_vars.push(v);
            }
        }
        let mut remap = vec![Expr::Const(Rational::new()); n];
        for (k, &v) in claim_vars.iter().enumerate() {
            remap[v] = Expr::Var(k);
        }
        let remap_cond = |c: &Cond| Cond {
            lhs: c.lhs.substitute(&remap),
            rhs: c.rhs.substitute(&remap),
            ..c.clone()
        };
        let formula = map_atoms(&goal, &remap_cond);
        if formula.clause_count().is_none() {
            return fail(
                item.at,
                format!("the assertions have more than {MAX_CLAUSES} clauses in conjunctive normal form"),
            );
        }
        // One end: the dependent one, else the constant, else none (an unbounded variable).
        let end = |d: &Option<(Expr, bool)>, c: &Option<(Rational, bool)>| match (d, c) {
            (Some((e, open)), _) => Some((e.substitute(&remap), *open)),
            (None, Some((q, open))) => Some((Expr::Const(q.clone()), *open)),
            (None, None) => None,
        };
        let bindings = claim_vars
            .iter()
            .map(
                |&v| match (end(&dep.lo[v], &lo[v]), end(&dep.hi[v], &hi[v])) {
                    (Some((l, lo_open)), Some((h, hi_open))) => Binding {
                        name: self.vars[v].clone(),
                        lo: l,
                        lo_closed: !lo_open,
                        hi: h,
                        hi_closed: !hi_open,
                    },
                    _ => Binding {
                        name: self.vars[v].clone(),
                        lo: Expr::Const(Rational::new()),
                        lo_closed: true,
                        hi: Expr::Const(Rational::new()),
                        hi_closed: true,
                    },
                },
            )
            .collect();
        let k = self.script.claims.len();
        let stem = self
            .file
            .file_stem()
            .map_or("smt".into(), |s| s.to_string_lossy().to_string());
        let claim = Claim {
            file: self.file.to_path_buf(),
            pos: self.lines.pos(item.at),
            name: stem,
            description: Some(format!("check-sat {} of an SMT-LIB script: unsat", k + 1)),
            expect: self.status.take().unwrap_or(Expect::Proved),
            bindings,
            hyps: Vec::new(),
            goals: Vec::new(),
            source: self.src[..item.end].to_string(),
            formula: Some(formula),
            unbounded,
        };
        // A model gives declared variables outside the claim a value within their bounds.
        let vars = (0..n)
            .map(|v| (self.vars[v].clone(), free_value(&lo[v], &hi[v])))
            .collect();
        self.script.scopes.push(ModelScope {
            vars,
            assertions: self.assertions.iter().map(|a| a.formula(true)).collect(),
            claim_vars,
        });
        self.script.claims.push(claim);
        self.script.steps.push(Step::CheckSat(k));
        Ok(())
    }

    // ---- terms ----

    fn boolean(&mut self, t: &Sexp, env: &Env, depth: usize) -> Result<Prop, Err0> {
        match self.term(t, env, depth)? {
            Value::Bool(f) => Ok(f),
            Value::Real(_) => fail(t.at, "expected a Boolean term, found a real one"),
        }
    }

    fn real(&mut self, t: &Sexp, env: &Env, depth: usize) -> Result<Vec<(Prop, Expr)>, Err0> {
        match self.term(t, env, depth)? {
            Value::Real(r) => Ok(r),
            Value::Bool(_) => fail(t.at, "expected a real term, found a Boolean one"),
        }
    }

    fn charge(&mut self, at: usize, e: &Expr) -> Result<(), Err0> {
        self.nodes = self.nodes.saturating_add(e.size());
        if self.nodes > MAX_NODES {
            return fail(
                at,
                format!(
                    "more than {MAX_NODES} expression nodes after expanding let and define-fun"
                ),
            );
        }
        if depth_of(e) > MAX_EXPR_DEPTH {
            return fail(
                at,
                format!("expression nested deeper than {MAX_EXPR_DEPTH} after expansion"),
            );
        }
        Ok(())
    }

    fn term(&mut self, t: &Sexp, env: &Env, depth: usize) -> Result<Value, Err0> {
        if depth > MAX_NESTING {
            return fail(
                t.at,
                format!("terms nested deeper than {MAX_NESTING} (through define-fun)"),
            );
        }
        let d = depth + 1;
        match &t.kind {
            Kind::Numeral(n) => Ok(constant(Rational::from(n.clone()))),
            Kind::Decimal(q) => Ok(constant(q.clone())),
            Kind::Keyword(k) => fail(t.at, format!("unexpected keyword `{k}`")),
            Kind::Other(o) => fail(
                t.at,
                format!(
                    "unsupported literal `{}` (only numerals and decimals)",
                    short(o)
                ),
            ),
            Kind::Symbol(s) => self.symbol(t, s, env, d),
            Kind::List(items) => {
                let Some(head) = items.first() else {
                    return fail(t.at, "empty term `()`");
                };
                let args = &items[1..];
                let Some(op) = head.symbol() else {
                    return fail(head.at, "unsupported: indexed or qualified identifier");
                };
                self.apply(t, op, args, env, d)
            }
        }
    }

    fn symbol(&mut self, t: &Sexp, s: &str, env: &Env, d: usize) -> Result<Value, Err0> {
        if let Some(v) = env.get(s) {
            if let Value::Real(cases) = v {
                for (_, e) in cases {
                    self.charge(t.at, e)?;
                }
            }
            return Ok(v.clone());
        }
        if let Some(&i) = self.var_index.get(s) {
            return Ok(Value::Real(vec![(atom_true(), Expr::Var(i))]));
        }
        match s {
            "true" => return Ok(Value::Bool(atom_true())),
            "false" => return Ok(Value::Bool(Prop::Or(Vec::new()))),
            _ => {}
        }
        if self.defs.contains_key(s) {
            return self.apply(t, s, &[], env, d);
        }
        if matches!(s, "pi" | "real.pi") {
            return Ok(Value::Real(vec![(atom_true(), Expr::Pi)]));
        }
        if transcendental(s, &[]).is_some() {
            return fail(t.at, format!("`{s}` is a function: apply it, `({s} x)`"));
        }
        // dReal reads `-2` and `-0.5` as numbers (SMT-LIB would have `(- 2)`): so do we.
        if let Some(digits) = s.strip_prefix('-') {
            let numeric = digits.starts_with(|c: char| c.is_ascii_digit())
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
            if let Some(q) = numeric.then(|| crate::lang::decimal(digits).ok()).flatten() {
                return Ok(constant(-q));
            }
        }
        fail(t.at, format!("unknown symbol `{s}`"))
    }

    fn reals(
        &mut self,
        args: &[Sexp],
        env: &Env,
        d: usize,
    ) -> Result<Vec<Vec<(Prop, Expr)>>, Err0> {
        args.iter().map(|a| self.real(a, env, d)).collect()
    }

    fn apply(
        &mut self,
        t: &Sexp,
        op: &str,
        args: &[Sexp],
        env: &Env,
        d: usize,
    ) -> Result<Value, Err0> {
        let at = t.at;
        let arity = |n: usize| -> Result<(), Err0> {
            if args.len() == n {
                Ok(())
            } else {
                fail(
                    at,
                    format!("`{op}` takes {n} argument(s), not {}", args.len()),
                )
            }
        };
        let at_least = |n: usize| -> Result<(), Err0> {
            if args.len() >= n {
                Ok(())
            } else {
                fail(at, format!("`{op}` takes at least {n} argument(s)"))
            }
        };
        let text = self.src[t.at..t.end].to_string();
        match op {
            "let" => {
                arity(2)?;
                let Some(binds) = args[0].list() else {
                    return fail(args[0].at, "expected the bindings of `let`");
                };
                let mut inner = env.clone();
                let mut new = Vec::new();
                for b in binds {
                    let (Some(n), Some(v)) = (
                        b.list().and_then(|l| l.first()).and_then(Sexp::symbol),
                        b.list().filter(|l| l.len() == 2).and_then(|l| l.get(1)),
                    ) else {
                        return fail(b.at, "expected a binding `(name term)`");
                    };
                    new.push((n.to_string(), self.term(v, env, d)?));
                }
                for (n, v) in new {
                    inner.insert(n, v);
                }
                self.term(&args[1], &inner, d)
            }
            "!" => {
                at_least(1)?;
                self.term(&args[0], env, d)
            }
            "forall" | "exists" => fail(at, format!("unsupported: quantifier `{op}`")),
            "and" | "or" => {
                let fs = args
                    .iter()
                    .map(|a| self.boolean(a, env, d))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::Bool(if op == "and" {
                    Prop::And(fs)
                } else {
                    Prop::Or(fs)
                }))
            }
            "not" => {
                arity(1)?;
                Ok(Value::Bool(self.boolean(&args[0], env, d)?.negated()))
            }
            "=>" => {
                at_least(2)?;
                // Right-associative: a => b => c is a => (b => c).
                let mut fs = args
                    .iter()
                    .map(|a| self.boolean(a, env, d))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut acc = fs.pop().unwrap_or_else(atom_true);
                while let Some(f) = fs.pop() {
                    acc = Prop::Or(vec![f.negated(), acc]);
                }
                Ok(Value::Bool(acc))
            }
            "xor" => {
                at_least(2)?;
                let mut fs = args
                    .iter()
                    .map(|a| self.boolean(a, env, d))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut acc = fs.remove(0);
                for f in fs {
                    acc = Prop::Or(vec![
                        Prop::And(vec![acc.clone(), f.negated()]),
                        Prop::And(vec![acc.negated(), f]),
                    ]);
                }
                Ok(Value::Bool(acc))
            }
            "ite" => {
                arity(3)?;
                let c = self.boolean(&args[0], env, d)?;
                match (self.term(&args[1], env, d)?, self.term(&args[2], env, d)?) {
                    (Value::Bool(a), Value::Bool(b)) => {
                        Ok(Value::Bool(Prop::Ite(Box::new((c, a, b)))))
                    }
                    (Value::Real(a), Value::Real(b)) => {
                        let mut out: Vec<(Prop, Expr)> = Vec::new();
                        for (g, e) in a {
                            out.push((and2(c.clone(), g), e));
                        }
                        for (g, e) in b {
                            out.push((and2(c.negated(), g), e));
                        }
                        if out.len() > MAX_CASES {
                            return fail(
                                at,
                                format!("more than {MAX_CASES} `ite` cases in one term"),
                            );
                        }
                        Ok(Value::Real(out))
                    }
                    _ => fail(at, "`ite` branches of different sorts"),
                }
            }
            "=" | "distinct" => {
                at_least(2)?;
                let vals = args
                    .iter()
                    .map(|a| self.term(a, env, d))
                    .collect::<Result<Vec<_>, _>>()?;
                let bools = vals.iter().all(|v| matches!(v, Value::Bool(_)));
                if !bools && vals.iter().any(|v| matches!(v, Value::Bool(_))) {
                    return fail(at, format!("`{op}` over terms of different sorts"));
                }
                let mut parts = Vec::new();
                let pairs: Vec<(usize, usize)> = if op == "=" {
                    (1..vals.len()).map(|i| (i - 1, i)).collect()
                } else {
                    (0..vals.len())
                        .flat_map(|i| (i + 1..vals.len()).map(move |j| (i, j)))
                        .collect()
                };
                for (i, j) in pairs {
                    let f = match (&vals[i], &vals[j]) {
                        (Value::Bool(a), Value::Bool(b)) => Prop::Or(vec![
                            Prop::And(vec![a.clone(), b.clone()]),
                            Prop::And(vec![a.negated(), b.negated()]),
                        ]),
                        (Value::Real(a), Value::Real(b)) => Prop::And(vec![
                            compare(a, RelOp::Le, b, &text),
                            compare(a, RelOp::Ge, b, &text),
                        ]),
                        _ => unreachable!("sorts checked above"),
                    };
                    parts.push(if op == "=" { f } else { f.negated() });
                }
                Ok(Value::Bool(Prop::And(parts)))
            }
            "<" | "<=" | ">" | ">=" => {
                at_least(2)?;
                let rel = match op {
                    "<" => RelOp::Lt,
                    "<=" => RelOp::Le,
                    ">" => RelOp::Gt,
                    _ => RelOp::Ge,
                };
                let vals = self.reals(args, env, d)?;
                let parts: Vec<Prop> = vals
                    .windows(2)
                    .map(|w| compare(&w[0], rel, &w[1], &text))
                    .collect();
                Ok(Value::Bool(match parts.len() {
                    1 => parts.into_iter().next().unwrap_or_else(atom_true),
                    _ => Prop::And(parts),
                }))
            }
            "+" | "*" => {
                at_least(1)?;
                let vals = self.reals(args, env, d)?;
                let f = if op == "+" { Expr::add } else { Expr::mul };
                let r = balanced(vals, f, at)?;
                self.charge_cases(at, &r)?;
                Ok(Value::Real(r))
            }
            "-" | "/" => {
                at_least(1)?;
                let mut vals = self.reals(args, env, d)?.into_iter();
                let first = vals.next().unwrap_or_default();
                let r = if args.len() == 1 {
                    if op == "-" {
                        map1(first, |e| Expr::Neg(Box::new(e)))
                    } else {
                        map1(first, |e| {
                            Expr::Div(Box::new(Expr::Const(Rational::from(1))), Box::new(e))
                        })
                    }
                } else {
                    let f = if op == "-" { Expr::sub } else { div };
                    let mut acc = first;
                    for v in vals {
                        acc = map2(acc, v, f, at)?;
                    }
                    acc
                };
                self.charge_cases(at, &r)?;
                Ok(Value::Real(r))
            }
            "^" | "pow" => {
                arity(2)?;
                let base = self.real(&args[0], env, d)?;
                let expo = self.real(&args[1], env, d)?;
                let q = match expo.as_slice() {
                    [(g, e)] if is_true(g) && e.is_constant() => {
                        crate::prover::exact::eval_rational(e, &[]).ok()
                    }
                    _ => None,
                };
                let Some(q) = q else {
                    // A real exponent: `x^y = exp(y log x)`, undefined where `x <= 0`.
                    let r = map2(base, expo, |a, b| Expr::PowR(Box::new(a), Box::new(b)), at)?;
                    self.charge_cases(at, &r)?;
                    return Ok(Value::Real(r));
                };
                let r = if q == Rational::from((1, 2)) {
                    map1(base, |e| Expr::Sqrt(Box::new(e)))
                } else if let Some(k) = q.is_integer().then(|| q.numer().to_i32()).flatten() {
                    if !(-1000..=1000).contains(&k) {
                        return fail(args[1].at, "exponent outside [-1000, 1000]");
                    }
                    map1(base, |e| Expr::Pow(Box::new(e), k))
                } else {
                    let q = Expr::Const(q);
                    map1(base, |e| Expr::PowR(Box::new(e), Box::new(q.clone())))
                };
                self.charge_cases(at, &r)?;
                Ok(Value::Real(r))
            }
            "abs" | "sqrt" => {
                arity(1)?;
                let a = self.real(&args[0], env, d)?;
                let f = if op == "abs" { Expr::Abs } else { Expr::Sqrt };
                Ok(Value::Real(map1(a, |e| f(Box::new(e)))))
            }
            "min" | "max" => {
                arity(2)?;
                let vals = self.reals(args, env, d)?;
                let mut it = vals.into_iter();
                let (a, b) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
                let f = if op == "min" { Expr::Min } else { Expr::Max };
                Ok(Value::Real(map2(
                    a,
                    b,
                    |x, y| f(Box::new(x), Box::new(y)),
                    at,
                )?))
            }
            "to_real" | "to_int" | "is_int" | "div" | "mod" => {
                fail(at, format!("unsupported: `{op}` (the sort Int)"))
            }
            "select" | "store" => fail(at, format!("unsupported: `{op}` (arrays)")),
            _ if self.defs.contains_key(op) => {
                let def = self.defs.get(op).cloned().ok_or_else(|| Err0 {
                    at,
                    message: "internal".into(),
                })?;
                if def.params.len() != args.len() {
                    return fail(
                        at,
                        format!(
                            "`{op}` takes {} argument(s), not {}",
                            def.params.len(),
                            args.len()
                        ),
                    );
                }
                let mut inner = Env::default();
                for ((p, real), a) in def.params.iter().zip(args) {
                    let v = self.term(a, env, d)?;
                    if matches!(v, Value::Real(_)) != *real {
                        return fail(a.at, format!("argument `{p}` of `{op}` has the wrong sort"));
                    }
                    inner.insert(p.clone(), v);
                }
                let v = self.term(&def.body, &inner, d)?;
                if matches!(v, Value::Real(_)) != def.real {
                    return fail(
                        def.body.at,
                        format!("the body of `{op}` does not have its declared sort"),
                    );
                }
                Ok(v)
            }
            _ => {
                let vals = self.reals(args, env, d);
                if transcendental(op, &[]).is_some() {
                    // Functions of reals, applied case by case.
                    let mut cases: Vec<(Prop, Vec<Expr>)> = vec![(atom_true(), Vec::new())];
                    for v in vals? {
                        let mut next = Vec::new();
                        for (g, es) in &cases {
                            for (g2, e2) in &v {
                                let mut es = es.clone();
                                es.push(e2.clone());
                                next.push((and2(g.clone(), g2.clone()), es));
                            }
                        }
                        if next.len() > MAX_CASES {
                            return fail(
                                at,
                                format!("more than {MAX_CASES} `ite` cases in one term"),
                            );
                        }
                        cases = next;
                    }
                    let mut out = Vec::new();
                    for (g, es) in cases {
                        match transcendental(op, &es) {
                            Some(Ok(e)) => out.push((g, e)),
                            Some(Err(m)) => return fail(at, m),
                            None => return fail(at, format!("unknown function `{op}`")),
                        }
                    }
                    return Ok(Value::Real(out));
                }
                if self.var_index.contains_key(op) {
                    return fail(at, format!("`{op}` is a constant, not a function"));
                }
                fail(at, format!("unsupported: unknown function `{op}` (uninterpreted functions are outside stabcert's SMT-LIB subset)"))
            }
        }
    }

    fn charge_cases(&mut self, at: usize, r: &[(Prop, Expr)]) -> Result<(), Err0> {
        for (_, e) in r {
            self.charge(at, e)?;
        }
        Ok(())
    }
}

/// The SMT-LIB names of the transcendental functions and constants, in ONE place:
/// `Some(Ok(expr))` for a supported name applied to `args` (with no `args`, only whether
/// the name is one), `Some(Err(why))` for a wrong number of arguments, `None` for other
/// names. dReal's names (`arcsin`, `arctan`, ...) and the short ones (`asin`, `atan`) both
/// work; `atan2` takes y first; `pi` and `real.pi` are the constant.
pub fn transcendental(name: &str, args: &[Expr]) -> Option<Result<Expr, String>> {
    use crate::expr::Fun;
    let unary = match name {
        "exp" => Some(Fun::Exp),
        "log" => Some(Fun::Log),
        "sin" => Some(Fun::Sin),
        "cos" => Some(Fun::Cos),
        "tan" => Some(Fun::Tan),
        "arcsin" | "asin" => Some(Fun::Asin),
        "arccos" | "acos" => Some(Fun::Acos),
        "arctan" | "atan" => Some(Fun::Atan),
        "sinh" => Some(Fun::Sinh),
        "cosh" => Some(Fun::Cosh),
        "tanh" => Some(Fun::Tanh),
        _ => None,
    };
    let arity = |n: usize| -> Result<(), String> {
        if args.is_empty() || args.len() == n {
            Ok(())
        } else {
            Err(format!(
                "`{name}` takes {n} argument(s), not {}",
                args.len()
            ))
        }
    };
    let boxed = |i: usize| Box::new(args[i].clone());
    if let Some(f) = unary {
        return Some(arity(1).map(|()| match args {
            [] => Expr::Pi,
            _ => Expr::Fun(f, boxed(0)),
        }));
    }
    match name {
        "atan2" | "arctan2" => Some(arity(2).map(|()| match args {
            [] => Expr::Pi,
            _ => Expr::Atan2(boxed(0), boxed(1)),
        })),
        "pi" | "real.pi" => Some(if args.is_empty() {
            Ok(Expr::Pi)
        } else {
            Err(format!("`{name}` is a constant"))
        }),
        _ => None,
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

fn sort_of(sort: &Sexp) -> Result<bool, Err0> {
    match sort.symbol() {
        Some("Real") => Ok(true),
        Some("Bool") => Ok(false),
        Some("Int") => fail(sort.at, "unsupported: the sort Int (integers)"),
        _ if sort.list().and_then(|l| l.first()).and_then(Sexp::symbol) == Some("Array") => {
            fail(sort.at, "unsupported: the sort Array (arrays)")
        }
        _ => fail(sort.at, "unsupported sort (only Real and Bool)"),
    }
}

fn sort_is_real(sort: &Sexp, what: &str) -> Result<(), Err0> {
    match sort_of(sort)? {
        true => Ok(()),
        false => fail(
            sort.at,
            format!("unsupported: {what} of sort Bool (only Real)"),
        ),
    }
}

fn constant(q: Rational) -> Value {
    Value::Real(vec![(atom_true(), Expr::Const(q))])
}

fn div(a: Expr, b: Expr) -> Expr {
    Expr::Div(Box::new(a), Box::new(b))
}

fn map1(a: Vec<(Prop, Expr)>, f: impl Fn(Expr) -> Expr) -> Vec<(Prop, Expr)> {
    a.into_iter().map(|(g, e)| (g, f(e))).collect()
}

fn map2(
    a: Vec<(Prop, Expr)>,
    b: Vec<(Prop, Expr)>,
    f: impl Fn(Expr, Expr) -> Expr,
    at: usize,
) -> Result<Vec<(Prop, Expr)>, Err0> {
    if a.len() * b.len() > MAX_CASES {
        return fail(at, format!("more than {MAX_CASES} `ite` cases in one term"));
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for (ga, ea) in &a {
        for (gb, eb) in &b {
            out.push((and2(ga.clone(), gb.clone()), f(ea.clone(), eb.clone())));
        }
    }
    Ok(out)
}

/// An n-ary sum or product as a balanced tree (depth log n, not n).
fn balanced(
    mut vals: Vec<Vec<(Prop, Expr)>>,
    f: fn(Expr, Expr) -> Expr,
    at: usize,
) -> Result<Vec<(Prop, Expr)>, Err0> {
    while vals.len() > 1 {
        let mut next = Vec::with_capacity(vals.len().div_ceil(2));
        let mut it = vals.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(map2(a, b, f, at)?),
                None => next.push(a),
            }
        }
        vals = next;
    }
    Ok(vals.pop().unwrap_or_default())
}

/// `a op b` over the cases of both sides: `or` over the pairs of `guards and a op b`.
fn compare(a: &[(Prop, Expr)], op: RelOp, b: &[(Prop, Expr)], text: &str) -> Prop {
    let mut parts = Vec::new();
    for (ga, ea) in a {
        for (gb, eb) in b {
            let atom = Cond {
                lhs: ea.clone(),
                op,
                rhs: eb.clone(),
                text: text.to_string(),
            };
            parts.push((and2(ga.clone(), gb.clone()), atom));
        }
    }
    match parts.as_slice() {
        [(g, c)] if g.is_true() => Prop::Atom(c.clone()),
        _ => Prop::Cases(parts),
    }
}

/// Dependent ends of the box, per variable and side (the end over other variables, open?),
/// and an order of all variables in which every end uses only earlier ones.
struct DependentEnds {
    lo: Vec<Option<(Expr, bool)>>,
    hi: Vec<Option<(Expr, bool)>>,
    order: Vec<usize>,
}

/// Takes from `rest` the top-level atoms `x op e` / `e op x` (`op` one of `< <= > >=`, `e` a
/// term over other variables) that can be ends of `x`'s range: at most one per side, the
/// variables kept in an order where each end uses only earlier ones (no cycle), every
/// variable of `e` bounded by constants on both sides, and `x` bounded on the other side
/// too. Where `x` also has a constant bound on that side, the dependent end is taken only if
/// it implies the constant one on the whole box (shown exactly: the Bernstein coefficients of
/// `e`, a polynomial, over the constant bounds of its variables); the constant bound then
/// adds nothing. Otherwise the atom stays in the formula, as every atom that is not taken.
fn dependent_ends(
    rest: Vec<(Formula, Formula)>,
    lo: &[Option<(Rational, bool)>],
    hi: &[Option<(Rational, bool)>],
    n: usize,
) -> (DependentEnds, Vec<(Formula, Formula)>) {
    let mut dep = DependentEnds {
        lo: vec![None; n],
        hi: vec![None; n],
        order: (0..n).collect(),
    };
    // deps[v]: the variables v's ends use.
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut taken: Vec<Option<usize>> = vec![None; rest.len()];
    let boxed = |v: usize| lo[v].is_some() && hi[v].is_some();
    for (k, (f, _)) in rest.iter().enumerate() {
        let Formula::Atom(c) = f else { continue };
        for (v, upper, e, open) in dependent_bound(c) {
            let side = if upper { &dep.hi[v] } else { &dep.lo[v] };
            let mut vars = vec![false; n];
            mark_vars(&e, &mut vars);
            let uses: Vec<usize> = (0..n).filter(|&u| vars[u]).collect();
            if side.is_some() || !uses.iter().all(|&u| boxed(u)) || reaches(&deps, &uses, v) {
                continue;
            }
            let constant = if upper { &hi[v] } else { &lo[v] };
            if let Some((q, q_open)) = constant {
                if !implies(&e, open, upper, q, *q_open, lo, hi) {
                    continue;
                }
            }
            let slot = if upper {
                &mut dep.hi[v]
            } else {
                &mut dep.lo[v]
            };
            *slot = Some((e, open));
            deps[v].extend(&uses);
            taken[k] = Some(v);
            break;
        }
    }
    // A variable with a dependent end but nothing on its other side keeps its atoms in the
    // formula (and so is reported unbounded, as before).
    for v in 0..n {
        let two_sided =
            (lo[v].is_some() || dep.lo[v].is_some()) && (hi[v].is_some() || dep.hi[v].is_some());
        if !two_sided && (dep.lo[v].is_some() || dep.hi[v].is_some()) {
            dep.lo[v] = None;
            dep.hi[v] = None;
            deps[v].clear();
            for t in taken.iter_mut().filter(|t| **t == Some(v)) {
                *t = None;
            }
        }
    }
    // Declaration order, each variable after the ones its ends use (no cycles, by `reaches`).
    let mut placed = vec![false; n];
    dep.order.clear();
    while dep.order.len() < n {
        let next = (0..n).find(|&v| !placed[v] && deps[v].iter().all(|&u| placed[u]));
        let Some(v) = next else { break };
        placed[v] = true;
        dep.order.push(v);
    }
    let rest = rest
        .into_iter()
        .zip(taken)
        .filter_map(|(f, t)| t.is_none().then_some(f))
        .collect();
    (dep, rest)
}

/// The readings of `c` as an end of a variable's range: (variable, upper?, end, open?); for
/// `x op y` both `x` and `y` (the first that fits is taken).
fn dependent_bound(c: &Cond) -> Vec<(usize, bool, Expr, bool)> {
    let strict = matches!(c.op, RelOp::Lt | RelOp::Gt);
    let below = matches!(c.op, RelOp::Lt | RelOp::Le);
    let free_of = |e: &Expr, v: usize| {
        let mut used = vec![false; v + 1];
        mark_vars(e, &mut used);
        !e.is_constant() && !used[v]
    };
    let mut out = Vec::new();
    if let Expr::Var(v) = c.lhs {
        if free_of(&c.rhs, v) {
            out.push((v, below, c.rhs.clone(), strict));
        }
    }
    if let Expr::Var(v) = c.rhs {
        if free_of(&c.lhs, v) {
            out.push((v, !below, c.lhs.clone(), strict));
        }
    }
    out
}

/// Whether `u` is reachable from any of `from` along `deps` (a new edge `u -> from` would
/// close a cycle).
fn reaches(deps: &[Vec<usize>], from: &[usize], u: usize) -> bool {
    let mut seen = vec![false; deps.len()];
    let mut stack = from.to_vec();
    while let Some(w) = stack.pop() {
        if w == u {
            return true;
        }
        if !std::mem::replace(&mut seen[w], true) {
            stack.extend(&deps[w]);
        }
    }
    false
}

/// Whether the end `x op e` (`op` is `<`/`<=` when `upper`, open when `open`) implies the
/// constant bound `x op' q` on the box of `e`'s variables' constant bounds: `sup e < q` (or
/// `<= q` when the constant bound is closed or the end open), mirrored for lower ends. Shown
/// with the Bernstein coefficients of `e` (they enclose its range); `false` when `e` is no
/// polynomial or too large to expand.
fn implies(
    e: &Expr,
    open: bool,
    upper: bool,
    q: &Rational,
    q_open: bool,
    lo: &[Option<(Rational, bool)>],
    hi: &[Option<(Rational, bool)>],
) -> bool {
    if let Some((m, m_open)) = affine_extreme(e, upper, lo, hi) {
        let touch_ok = !q_open || open || m_open;
        return if upper {
            m < *q || (m == *q && touch_ok)
        } else {
            m > *q || (m == *q && touch_ok)
        };
    }
    let n = lo.len();
    let Some(p) = crate::expr::poly::Poly::from_expr(e, n) else {
        return false;
    };
    let ends = |b: &[Option<(Rational, bool)>]| -> Vec<Rational> {
        b.iter()
            .map(|s| s.as_ref().map_or_else(Rational::new, |(q, _)| q.clone()))
            .collect()
    };
    let Some(exp) = crate::prover::bernstein::Expansion::new(&p, &ends(lo), &ends(hi)) else {
        return false;
    };
    let touch_ok = !q_open || open;
    if upper {
        let Some(max) = exp.coeffs.iter().max() else {
            return false;
        };
        *max < *q || (*max == *q && touch_ok)
    } else {
        let Some(min) = exp.coeffs.iter().min() else {
            return false;
        };
        *min > *q || (*min == *q && touch_ok)
    }
}

/// Tightens the constant bounds with those implied by top-level atoms `x op e`, `e` affine
/// over variables bounded on the sides it needs: `x <= e <= sup e`, so `x <= sup e` (strict
/// when the atom is or the supremum is not attained), mirrored for lower bounds. Every point
/// satisfying the assertions satisfies the new bounds, so the claim is unchanged. Rounds
/// repeat while something tightens, at most once per variable (chains `x < y < z`).
fn derive_bounds(
    rest: &[(Formula, Formula)],
    lo: &mut [Option<(Rational, bool)>],
    hi: &mut [Option<(Rational, bool)>],
    n: usize,
) {
    for _ in 0..n {
        let mut changed = false;
        for (f, _) in rest {
            let Formula::Atom(c) = f else { continue };
            for (v, upper, e, open) in dependent_bound(c) {
                let Some((q, q_open)) = affine_extreme(&e, upper, lo, hi) else {
                    continue;
                };
                let strict = open || q_open;
                let side = if upper { &mut hi[v] } else { &mut lo[v] };
                let tighter = match side {
                    None => true,
                    Some((q0, o0)) => {
                        (upper && q < *q0) || (!upper && q > *q0) || (q == *q0 && strict && !*o0)
                    }
                };
                if tighter {
                    *side = Some((q, strict));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// `sup e` (`upper`) or `inf e` of an affine `e` over the constant bounds, exactly, with
/// whether it is not attained (an open end used); `None` if `e` is not affine or a needed
/// bound is missing.
fn affine_extreme(
    e: &Expr,
    upper: bool,
    lo: &[Option<(Rational, bool)>],
    hi: &[Option<(Rational, bool)>],
) -> Option<(Rational, bool)> {
    let p = crate::expr::poly::Poly::from_expr(e, lo.len())?;
    let mut value = Rational::new();
    let mut open = false;
    for (exps, c) in p.terms() {
        let mut vars = exps.iter().enumerate().filter(|(_, k)| **k > 0);
        match (vars.next(), vars.next()) {
            (None, _) => value += c,
            (Some((i, 1)), None) => {
                // The end that makes `c x_i` largest (`upper`) or least.
                let (q, o) = if (*c > 0) == upper { &hi[i] } else { &lo[i] }.as_ref()?;
                value += Rational::from(c * q);
                open |= *o;
            }
            _ => return None,
        }
    }
    Some((value, open))
}

/// `x op c` or `c op x` with `c` a rational constant: (variable, upper?, c, open?).
fn bound(c: &Cond) -> Option<(usize, bool, Rational, bool)> {
    let value = |e: &Expr| {
        e.is_constant()
            .then(|| crate::prover::exact::eval_rational(e, &[]).ok())
            .flatten()
    };
    let strict = matches!(c.op, RelOp::Lt | RelOp::Gt);
    // `x < c` / `x <= c`: upper; `x > c` / `x >= c`: lower.
    let below = matches!(c.op, RelOp::Lt | RelOp::Le);
    match (&c.lhs, &c.rhs) {
        (Expr::Var(v), r) => value(r).map(|q| (*v, below, q, strict)),
        (l, Expr::Var(v)) => value(l).map(|q| (*v, !below, q, strict)),
        _ => None,
    }
}

fn mark_vars(e: &Expr, used: &mut [bool]) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if let Expr::Var(i) = e {
            if let Some(u) = used.get_mut(*i) {
                *u = true;
            }
        }
        stack.extend(e.children());
    }
}

fn depth_of(e: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        stack.extend(e.children().into_iter().map(|c| (c, d + 1)));
    }
    max
}

fn map_atoms(f: &Formula, g: &dyn Fn(&Cond) -> Cond) -> Formula {
    match f {
        Formula::Atom(c) => Formula::Atom(g(c)),
        Formula::And(fs) => Formula::And(fs.iter().map(|f| map_atoms(f, g)).collect()),
        Formula::Or(fs) => Formula::Or(fs.iter().map(|f| map_atoms(f, g)).collect()),
    }
}

/// A value within one-sided (or no) bounds, for a variable the claim does not need.
fn free_value(lo: &Option<(Rational, bool)>, hi: &Option<(Rational, bool)>) -> Rational {
    match (lo, hi) {
        (Some((l, _)), Some((h, _))) => crate::prover::simplest_between(l, h),
        (Some((l, open)), None) => Rational::from(l + u8::from(*open)),
        (None, Some((h, open))) => Rational::from(h - u8::from(*open)),
        (None, None) => Rational::new(),
    }
}

/// Let-bound names, innermost last.
#[derive(Clone, Debug, Default)]
struct Env(HashMap<String, Value>);

impl Env {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    fn insert(&mut self, name: String, v: Value) {
        self.0.insert(name, v);
    }
}

/// An exact rational as an SMT-LIB term: `2.0`, `(- 2.0)`, `(/ 1 3)`, `(- (/ 1 3))`.
pub fn rational_term(q: &Rational) -> String {
    let (n, d) = (q.numer().clone().abs(), q.denom().clone());
    let body = if d == 1 {
        format!("{n}.0")
    } else {
        format!("(/ {n} {d})")
    };
    if *q < 0 {
        format!("(- {body})")
    } else {
        body
    }
}

/// The answer to one `check-sat`, as a solver prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// No point of the box satisfies the assertions (proved).
    Unsat,
    /// A model: every declared variable's exact value, each assertion re-checked true there.
    Sat(Vec<(String, Rational)>),
    /// Neither (with the reason).
    Unknown(String),
}

/// Decides claim `k` of the script as a solver: `unsat` when the claim is proved, `sat` with
/// a model when it is refuted and every assertion is re-checked true at the model in exact
/// arithmetic (MPFR intervals where irrational), `unknown` otherwise.
pub fn answer(script: &Script, k: usize, budget: &crate::prover::Budget) -> Answer {
    use crate::prover::{formula::value_at, prove_conclusions, Status};
    let (Some(claim), Some(scope)) = (script.claims.get(k), script.scopes.get(k)) else {
        return Answer::Unknown("no such check-sat".into());
    };
    match prove_conclusions(claim, budget).status {
        Status::Proved(_) => Answer::Unsat,
        Status::Unknown(why) => Answer::Unknown(why.to_string()),
        Status::Refuted(w) if w.surd.is_some() => {
            Answer::Unknown("the model is at an irrational point".into())
        }
        Status::Refuted(w) => {
            let mut values: Vec<Rational> = scope.vars.iter().map(|(_, q)| q.clone()).collect();
            for (&v, (_, q)) in scope.claim_vars.iter().zip(&w.values) {
                values[v] = q.clone();
            }
            let all = scope
                .assertions
                .iter()
                .all(|a| value_at(a, &values) == Some(true));
            if !all {
                return Answer::Unknown("the witness is not confirmed as a model".into());
            }
            let names = scope.vars.iter().map(|(n, _)| n.clone());
            Answer::Sat(names.zip(values).collect())
        }
    }
}

/// A symbol as SMT-LIB writes it: `|...|` unless it is a simple symbol.
pub fn symbol_text(name: &str) -> String {
    let simple = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "~!@$%^&*_-+=<>.?/".contains(c));
    if simple {
        name.to_string()
    } else {
        format!("|{name}|")
    }
}

/// Runs a script as a solver does: `sat`/`unsat`/`unknown` per `check-sat`, the model for
/// `get-model` after `sat` (`(error ...)` otherwise), the text of `echo`; each line is given
/// to `emit` as soon as it is known.
pub fn solve(script: &Script, budget: &crate::prover::Budget, emit: &mut dyn FnMut(&str)) {
    let mut last: Option<Answer> = None;
    for step in &script.steps {
        match step {
            Step::CheckSat(k) => {
                let a = answer(script, *k, budget);
                emit(match &a {
                    Answer::Unsat => "unsat",
                    Answer::Sat(_) => "sat",
                    Answer::Unknown(_) => "unknown",
                });
                last = Some(a);
            }
            Step::GetModel => match &last {
                Some(Answer::Sat(model)) => {
                    let mut text = String::from("(\n");
                    for (name, q) in model {
                        let (n, v) = (symbol_text(name), rational_term(q));
                        text.push_str(&format!("  (define-fun {n} () Real {v})\n"));
                    }
                    text.push(')');
                    emit(&text);
                }
                _ => emit("(error \"no model: the last check-sat did not answer sat\")"),
            },
            Step::Echo(text) => emit(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prover::formula::value_at;

    /// dReal writes a function with sign cases as nested `ite` (here
    /// `1 + (if |x| < y then x y else if x > 0 then y - x else if x < 0 then x + y else 3)`,
    /// the shape of its Flyspeck arctangents). The claim's formula has the value of the
    /// assertion's negation at every point, boundaries of the cases included, and few
    /// clauses (the `or` of guarded cases had 500 on the Flyspeck files, this shape over
    /// 100 here).
    #[test]
    fn ite_cases_give_few_clauses_and_exact_values() {
        let src = "(declare-fun x () Real)(declare-fun y () Real)
            (assert (<= -2 x 2)) (assert (<= 1 y 2))
            (assert (not (> (+ 1 (ite (< (ite (<= 0 x) x (- x)) y) (* x y)
                (ite (< 0 x) (- y x) (ite (< x 0) (+ x y) 3)))) (* x x))))
            (check-sat)";
        let script = parse_script_bytes(Path::new("t.smt2"), src.as_bytes()).expect("parses");
        let f = script.claims[0].formula.as_ref().expect("a formula");
        let count = f.clause_count().expect("a count");
        assert!(count <= 8, "{count} clauses");
        let assertion = &script.scopes[0].assertions[2];
        for xi in -8..=8 {
            for yi in 4..=8 {
                let (x, y) = (Rational::from((xi, 4)), Rational::from((yi, 4)));
                let t = if Rational::from(x.abs_ref()) < y {
                    Rational::from(&x * &y)
                } else if x > 0 {
                    Rational::from(&y - &x)
                } else if x < 0 {
                    Rational::from(&x + &y)
                } else {
                    Rational::from(3)
                };
                let holds = 1 + t > Rational::from(&x * &x);
                let point = [x, y];
                assert_eq!(value_at(f, &point), Some(holds), "at {point:?}");
                assert_eq!(value_at(assertion, &point), Some(!holds), "at {point:?}");
            }
        }
    }
}
