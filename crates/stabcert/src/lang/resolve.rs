//! Name resolution: parse trees of items to [`Claim`]s.
//!
//! Items are resolved in file order, so a name must be defined before it is used (which also
//! rules out recursive `def`s). `let` constants and `def` bodies are kept as expressions and
//! copied into every use; the size and depth of every expression are known before it is
//! built, so nested `def`s that would expand to billions of nodes are refused instead of
//! allocated.

use super::diagnostic::LineIndex;
use super::number;
use super::syntax::Rule;
use super::SrcError;
use crate::claim::{
    Binding, Claim, Cond, Escape, EscapeRule, Expect, Formula, Region, RelOp, System, MAX_CLAUSES,
};
use crate::expr::{Expr, Fun};
use pest::iterators::Pair;
use std::collections::HashMap;
use std::path::Path;

/// Most expression nodes of one claim (all its expressions together) after expansion.
pub const MAX_NODES: usize = 200_000;

/// Most expression nodes of all the claims of one file: a `def` expands a few characters
/// into up to `MAX_NODES` nodes, and a file of many such claims must not take all memory.
pub const MAX_FILE_NODES: usize = 2_000_000;

/// Deepest expression tree after expansion. Consumers (the prover's tape compiler, printing)
/// recurse over the tree on worker threads with ordinary stacks; a sum of n terms is n deep.
pub const MAX_DEPTH: usize = 2_000;

const BUILTINS: [(&str, usize); 6] = [
    ("sqrt", 1),
    ("abs", 1),
    ("min", 2),
    ("max", 2),
    ("atan2", 2),
    ("pow", 2),
];

/// The built-in constant `pi`: a name no item, variable or parameter may take.
const PI: &str = "pi";

type Node<'i> = Pair<'i, Rule>;

/// An expression with its node count and depth, so that combining them can be checked
/// before anything is allocated.
#[derive(Clone)]
struct Built {
    e: Expr,
    size: usize,
    depth: usize,
}

impl Built {
    fn leaf(e: Expr) -> Built {
        Built {
            e,
            size: 1,
            depth: 1,
        }
    }
}

/// A `def`: its body over `Var(i)` = the i-th parameter.
struct Def {
    params: Vec<String>,
    body: Built,
    /// For each parameter, how often it occurs in the body and the deepest level (1 = root)
    /// at which it does; this gives the size and depth of an expansion before it is made.
    uses: Vec<(usize, usize)>,
}

enum Item {
    Let(Built),
    Def(Def),
    Claim,
}

/// Claim variables or def parameters, in order, with an index by name (a claim may have
/// tens of thousands of them).
#[derive(Default)]
struct Vars {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Vars {
    fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    fn push(&mut self, name: &str) {
        self.index.insert(name.to_string(), self.names.len());
        self.names.push(name.to_string());
    }
}

/// Where expression names are looked up.
#[derive(Clone, Copy)]
struct Scope<'a> {
    vars: &'a Vars,
    /// `vars[..visible]` may be used; the rest are bound later (binding endpoints).
    visible: usize,
    /// The def being defined, for a better message on recursion.
    def_name: Option<&'a str>,
}

/// Resolves the items of one file, in order.
pub struct Resolver<'s> {
    file: &'s Path,
    lines: &'s LineIndex<'s>,
    /// Every item name of the file and where it is first declared, for "defined later".
    declared: HashMap<String, usize>,
    items: HashMap<String, (Item, usize)>,
    claims: Vec<Claim>,
    systems: Vec<System>,
    /// Expression nodes of the claims so far.
    file_nodes: usize,
    /// Offset of the current segment in `src`: pest spans are relative to it.
    base: usize,
}

impl<'s> Resolver<'s> {
    pub fn new(
        file: &'s Path,
        lines: &'s LineIndex<'s>,
        declared: HashMap<String, usize>,
    ) -> Resolver<'s> {
        Resolver {
            file,
            lines,
            declared,
            items: HashMap::new(),
            claims: Vec::new(),
            systems: Vec::new(),
            file_nodes: 0,
            base: 0,
        }
    }

    pub fn finish(self) -> (Vec<Claim>, Vec<System>) {
        (self.claims, self.systems)
    }

    /// Resolves one item; `base` is the offset of its segment in the file.
    pub fn item(&mut self, base: usize, node: Node<'_>) -> Result<(), SrcError> {
        self.base = base;
        match node.as_rule() {
            Rule::let_item => self.let_item(node),
            Rule::def_item => self.def_item(node),
            Rule::claim_item => self.claim_item(node),
            Rule::system_item => self.system_item(node),
            _ => Ok(()),
        }
    }

    fn at(&self, node: &Node<'_>) -> usize {
        self.base + node.as_span().start()
    }

    fn err(&self, node: &Node<'_>, message: impl Into<String>) -> SrcError {
        SrcError::new(self.at(node), message)
    }

    // ---- items ----

    fn let_item(&mut self, node: Node<'_>) -> Result<(), SrcError> {
        let parts = Parts::of(node);
        let name = parts.one(Rule::name)?;
        self.check_item_name(&name)?;
        let none = Vars::default();
        let scope = Scope {
            vars: &none,
            visible: 0,
            def_name: None,
        };
        let value = self.expr(parts.one(Rule::expr)?, scope)?;
        self.define(&name, Item::Let(value));
        Ok(())
    }

    fn def_item(&mut self, node: Node<'_>) -> Result<(), SrcError> {
        let parts = Parts::of(node);
        let name = parts.one(Rule::name)?;
        self.check_item_name(&name)?;
        let mut params = Vars::default();
        for p in Parts::of(parts.one(Rule::params)?).all(Rule::name) {
            self.check_var_name(&p, &params, "parameter")?;
            params.push(p.as_str());
        }
        let scope = Scope {
            vars: &params,
            visible: params.names.len(),
            def_name: Some(name.as_str()),
        };
        let body = self.expr(parts.one(Rule::expr)?, scope)?;
        let mut uses = vec![(0, 0); params.names.len()];
        param_uses(&body.e, 1, &mut uses);
        let params = params.names;
        self.define(&name, Item::Def(Def { params, body, uses }));
        Ok(())
    }

    fn claim_item(&mut self, node: Node<'_>) -> Result<(), SrcError> {
        let source =
            node.as_span().get_input()[node.as_span().start()..text_end(&node)].to_string();
        let parts = Parts::of(node);
        let keyword = parts.one(Rule::kw_claim)?;
        let name = parts.one(Rule::name)?;
        self.check_item_name(&name)?;
        let mut budget = Budget::new(name.as_str());
        let (vars, bindings) = self.bindings(&parts, &mut budget)?;
        let scope = Scope {
            vars: &vars,
            visible: vars.names.len(),
            def_name: None,
        };
        let (hyps, hyp_formula) = match parts.opt(Rule::hyps) {
            Some(h) => self.conds(Parts::of(h), scope, &mut budget)?,
            None => (Vec::new(), None),
        };
        let goals_node = parts.one(Rule::goals)?;
        let (goals, goal_formula) =
            self.conds(Parts::of(goals_node.clone()), scope, &mut budget)?;
        // Connectives make the claim a formula: `where` without them stays hypotheses.
        let (hyps, goals, formula) = match (hyp_formula, goal_formula) {
            (None, None) => (hyps, goals, None),
            (None, Some(g)) => (hyps, Vec::new(), Some(g)),
            (Some(h), g) => {
                let g = g.unwrap_or_else(|| Formula::all(&goals));
                (
                    Vec::new(),
                    Vec::new(),
                    Some(Formula::Or(vec![h.negated(), g])),
                )
            }
        };
        if formula.as_ref().is_some_and(|f| f.clauses().is_none()) {
            let msg = format!(
                "the conditions have more than {MAX_CLAUSES} clauses in conjunctive normal form"
            );
            return Err(self.err(&goals_node, msg));
        }
        self.file_nodes = self.file_nodes.saturating_add(budget.used);
        if self.file_nodes > MAX_FILE_NODES {
            let msg = format!(
                "file too large: more than {MAX_FILE_NODES} expression nodes in all its claims \
                 after expanding lets and defs"
            );
            return Err(self.err(&keyword, msg));
        }
        let claim = Claim {
            file: self.file.to_path_buf(),
            pos: self.lines.pos(self.at(&keyword)),
            name: name.as_str().to_string(),
            description: parts.opt(Rule::description).map(|d| description(&d)),
            expect: expectation(&parts),
            bindings,
            hyps,
            goals,
            source,
            formula,
            unbounded: Vec::new(),
        };
        self.define(&name, Item::Claim);
        self.claims.push(claim);
        Ok(())
    }

    /// A `system` block: bindings numbered params, noise, state; regions and escape
    /// factors over the params only.
    fn system_item(&mut self, node: Node<'_>) -> Result<(), SrcError> {
        let source =
            node.as_span().get_input()[node.as_span().start()..text_end(&node)].to_string();
        let parts = Parts::of(node.clone());
        let keyword = parts.one(Rule::kw_system)?;
        let name = parts.one(Rule::name)?;
        self.check_item_name(&name)?;
        let mut budget = Budget::new(name.as_str());
        let (vars, mut bindings) = self.bindings(&parts, &mut budget)?;
        let np = count_before(&parts, Rule::kw_noise);
        let nq = count_before(&parts, Rule::kw_state) - np;
        let binding_nodes = parts.all(Rule::binding);
        for (i, b) in bindings.iter().enumerate().skip(np) {
            if [&b.lo, &b.hi]
                .iter()
                .any(|e| (np..vars.names.len()).any(|v| e.uses_var(v)))
            {
                let msg = "the ends of noise and state ranges may use only the params";
                return Err(self.err(&binding_nodes[i], msg));
            }
        }
        let all = Scope {
            vars: &vars,
            visible: vars.names.len(),
            def_name: None,
        };
        let next_node = parts.one(Rule::expr)?;
        let next_at = self.at(&next_node);
        let next = budget.charge(self.expr(next_node, all)?, next_at)?.e;
        let mut regions: Vec<Region> = Vec::new();
        let only_params = |e: &Expr| (np..vars.names.len()).all(|v| !e.uses_var(v));
        for r in parts.all(Rule::region) {
            let region = self.region(r.clone(), all, &mut budget)?;
            if !only_params(&region.lo) || !only_params(&region.hi) {
                return Err(self.err(&r, "region ends may use only the params"));
            }
            if regions.iter().any(|q| q.name == region.name)
                || vars.position(&region.name).is_some()
            {
                return Err(self.err(&r, format!("region name `{}` is already used", region.name)));
            }
            regions.push(region);
        }
        let known = |n: &Node<'_>| -> Result<String, SrcError> {
            match regions.iter().any(|r| r.name == n.as_str()) {
                true => Ok(n.as_str().to_string()),
                false => Err(self.err(n, format!("unknown region `{}`", n.as_str()))),
            }
        };
        let mut escapes = Vec::new();
        for e in parts.all(Rule::escape_clause) {
            let p = Parts::of(e.clone());
            let region = known(&p.one(Rule::name)?)?;
            let rule = self.escape_rule(&p, all, &mut budget)?;
            let exprs = match &rule {
                EscapeRule::Grow(c) => vec![c],
                EscapeRule::Expand { factor, anchor, .. } => vec![factor, anchor],
            };
            if !exprs.into_iter().all(only_params) {
                return Err(self.err(&e, "escape factors and anchors may use only the params"));
            }
            escapes.push(Escape {
                region,
                rule,
                pos: self.lines.pos(self.at(&e)),
            });
        }
        let names_of = |rule: Rule| -> Result<Vec<String>, SrcError> {
            let mut out = Vec::new();
            for clause in parts.all(rule) {
                for n in Parts::of(clause).all(Rule::name) {
                    out.push(known(&n)?);
                }
            }
            Ok(out)
        };
        let (target, exceptional) = (
            names_of(Rule::target_clause)?,
            names_of(Rule::exceptional_clause)?,
        );
        let state = bindings.pop().ok_or_else(|| internal(self.at(&keyword)))?;
        let noise = bindings.split_off(np);
        debug_assert_eq!(noise.len(), nq);
        self.systems.push(System {
            file: self.file.to_path_buf(),
            pos: self.lines.pos(self.at(&keyword)),
            name: name.as_str().to_string(),
            description: parts.opt(Rule::description).map(|d| description(&d)),
            params: bindings,
            noise,
            state,
            next,
            regions,
            escapes,
            target,
            exceptional,
            source,
        });
        self.define(&name, Item::Claim);
        Ok(())
    }

    fn region(
        &self,
        node: Node<'_>,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<Region, SrcError> {
        let parts = Parts::of(node);
        let name = parts.one(Rule::name)?;
        let b = self.binding(parts, name.as_str(), scope, budget)?;
        Ok(Region {
            name: b.name,
            lo: b.lo,
            lo_closed: b.lo_closed,
            hi: b.hi,
            hi_closed: b.hi_closed,
        })
    }

    fn escape_rule(
        &self,
        p: &Parts<'_>,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<EscapeRule, SrcError> {
        let mut expr = |n: Node<'_>| -> Result<Expr, SrcError> {
            let at = self.at(&n);
            Ok(budget.charge(self.expr(n, scope)?, at)?.e)
        };
        if let Some(g) = p.opt(Rule::grow_rule) {
            return Ok(EscapeRule::Grow(expr(Parts::of(g).one(Rule::expr)?)?));
        }
        let rule = Parts::of(p.one(Rule::expand_rule)?);
        let steps_node = rule.one(Rule::steps)?;
        let steps = match steps_node.as_str().parse::<u32>() {
            Ok(k) if (1..=16).contains(&k) => k,
            _ => return Err(self.err(&steps_node, "the number of steps must be between 1 and 16")),
        };
        let mut ends = rule.all(Rule::expr).into_iter();
        let (Some(factor), Some(anchor)) = (ends.next(), ends.next()) else {
            return Err(internal(self.at(&steps_node)));
        };
        Ok(EscapeRule::Expand {
            steps,
            factor: expr(factor)?,
            anchor: expr(anchor)?,
        })
    }

    fn define(&mut self, name: &Node<'_>, item: Item) {
        let at = self.at(name);
        self.items.insert(name.as_str().to_string(), (item, at));
    }

    /// The claim's variables and bindings; endpoints see only the variables before them.
    fn bindings(
        &self,
        parts: &Parts<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<(Vars, Vec<Binding>), SrcError> {
        let nodes = parts.all(Rule::binding);
        let mut vars = Vars::default();
        for b in &nodes {
            let name = Parts::of(b.clone()).one(Rule::name)?;
            self.check_var_name(&name, &vars, "variable")?;
            vars.push(name.as_str());
        }
        let mut bindings = Vec::new();
        for (i, b) in nodes.into_iter().enumerate() {
            let scope = Scope {
                vars: &vars,
                visible: i,
                def_name: None,
            };
            bindings.push(self.binding(Parts::of(b), &vars.names[i], scope, budget)?);
        }
        Ok((vars, bindings))
    }

    fn binding(
        &self,
        parts: Parts<'_>,
        name: &str,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<Binding, SrcError> {
        let ends = parts.all(Rule::expr);
        let [lo, hi] = <[Node<'_>; 2]>::try_from(ends).map_err(|_| internal(self.base))?;
        let lo_at = self.at(&lo);
        let hi_at = self.at(&hi);
        let lo = budget.charge(self.expr(lo, scope)?, lo_at)?;
        let hi = budget.charge(self.expr(hi, scope)?, hi_at)?;
        Ok(Binding {
            name: name.to_string(),
            lo: lo.e,
            lo_closed: parts.one(Rule::lbound)?.as_str() == "[",
            hi: hi.e,
            hi_closed: parts.one(Rule::rbound)?.as_str() == "]",
        })
    }

    /// The conditions of a `where` or `=>` list; a chain gives one condition per link. With
    /// `and`, `or` or `not` anywhere in the list, also the whole list as a formula.
    fn conds(
        &self,
        parts: Parts<'_>,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<(Vec<Cond>, Option<Formula>), SrcError> {
        let mut plain = Vec::new();
        let mut formulas = Vec::new();
        let mut connectives = false;
        for b in parts.all(Rule::bcond) {
            match plain_cond(&b) {
                Some(cond) => {
                    let links = self.links(cond, scope, budget)?;
                    formulas.extend(links.iter().cloned().map(Formula::Atom));
                    plain.extend(links);
                }
                None => {
                    connectives = true;
                    formulas.push(self.formula(b, scope, budget)?);
                }
            }
        }
        let formula = connectives.then(|| match formulas.len() {
            1 => formulas.remove(0),
            _ => Formula::And(formulas),
        });
        Ok((plain, formula))
    }

    /// A `bcond`, `bterm` or `bfactor` as a formula (brackets nest at most 256 deep).
    fn formula(
        &self,
        node: Node<'_>,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<Formula, SrcError> {
        let rule = node.as_rule();
        let mut parts = Vec::new();
        let mut negations = 0usize;
        for p in node.into_inner() {
            match p.as_rule() {
                Rule::kw_not => negations += 1,
                Rule::bcond | Rule::bterm | Rule::bfactor => {
                    parts.push(self.formula(p, scope, budget)?);
                }
                Rule::cond => {
                    let links = self.links(p, scope, budget)?;
                    parts.push(match links.len() {
                        1 => Formula::Atom(links.into_iter().next().ok_or_else(|| internal(0))?),
                        _ => Formula::And(links.into_iter().map(Formula::Atom).collect()),
                    });
                }
                _ => {}
            }
        }
        let mut f = match (rule, parts.len()) {
            (_, 1) => parts.remove(0),
            (Rule::bcond, _) => Formula::Or(parts),
            _ => Formula::And(parts),
        };
        if negations % 2 == 1 {
            f = f.negated();
        }
        Ok(f)
    }

    /// The links of one comparison chain.
    fn links(
        &self,
        cond: Node<'_>,
        scope: Scope<'_>,
        budget: &mut Budget<'_>,
    ) -> Result<Vec<Cond>, SrcError> {
        let mut out = Vec::new();
        let mut terms: Vec<(Node<'_>, Built)> = Vec::new();
        let mut ops = Vec::new();
        for p in cond.into_inner() {
            match p.as_rule() {
                Rule::relop => ops.push(relop(p.as_str())),
                _ => {
                    let built = self.expr(p.clone(), scope)?;
                    terms.push((p, built));
                }
            }
        }
        for (i, op) in ops.into_iter().enumerate() {
            let ((l_node, lhs), (r_node, rhs)) = (&terms[i], &terms[i + 1]);
            let lhs = budget.charge(lhs.clone(), self.at(l_node))?;
            let rhs = budget.charge(rhs.clone(), self.at(r_node))?;
            let (start, end) = (l_node.as_span().start(), text_end(r_node));
            let text = l_node.as_span().get_input()[start..end].to_string();
            out.push(Cond {
                lhs: lhs.e,
                op,
                rhs: rhs.e,
                text,
            });
        }
        Ok(out)
    }

    // ---- names ----

    /// Item names are unique in a file and do not shadow built-ins.
    fn check_item_name(&self, name: &Node<'_>) -> Result<(), SrcError> {
        let n = name.as_str();
        if builtin_arity(n).is_some() {
            return Err(self.err(
                name,
                format!("`{n}` is a built-in function and cannot be redefined"),
            ));
        }
        if n == PI {
            return Err(self.err(name, "`pi` is a built-in constant and cannot be redefined"));
        }
        if let Some((_, at)) = self.items.get(n) {
            let msg = format!(
                "duplicate name `{n}`: already defined at {}",
                self.lines.pos_str(*at)
            );
            return Err(self.err(name, msg));
        }
        Ok(())
    }

    /// Variables and parameters shadow neither built-ins nor `let`s and `def`s, nor each other.
    fn check_var_name(&self, name: &Node<'_>, earlier: &Vars, kind: &str) -> Result<(), SrcError> {
        let n = name.as_str();
        if builtin_arity(n).is_some() {
            return Err(self.err(
                name,
                format!("{kind} `{n}` would shadow the built-in function `{n}`"),
            ));
        }
        if n == PI {
            return Err(self.err(
                name,
                format!("{kind} `pi` would shadow the built-in constant `pi`"),
            ));
        }
        let shadowed = match self.items.get(n) {
            Some((Item::Let(_), at)) => Some(("let", at)),
            Some((Item::Def(_), at)) => Some(("def", at)),
            // Claims are never referred to by name, so a variable may share one's name.
            Some((Item::Claim, _)) | None => None,
        };
        if let Some((what, at)) = shadowed {
            let msg = format!(
                "{kind} `{n}` would shadow the {what} `{n}` defined at {}",
                self.lines.pos_str(*at)
            );
            return Err(self.err(name, msg));
        }
        if earlier.position(n).is_some() {
            return Err(self.err(name, format!("duplicate {kind} `{n}`")));
        }
        Ok(())
    }

    /// "unknown name", with a hint when the name is defined further down the file.
    fn unknown(&self, node: &Node<'_>, what: &str) -> SrcError {
        let n = node.as_str();
        let mut msg = format!("unknown {what} `{n}`");
        if let Some(&at) = self.declared.get(n) {
            if at > self.at(node) {
                msg += &format!(
                    " (it is defined later, at {}; names must be defined before they are used)",
                    self.lines.pos_str(at)
                );
            }
        }
        self.err(node, msg)
    }

    // ---- expressions ----

    /// An `expr` node: a flat list of operands and infix operators, folded with `* /`
    /// before `+ -`, both left-associative. Iterative, so a long sum costs no stack.
    fn expr(&self, node: Node<'_>, scope: Scope<'_>) -> Result<Built, SrcError> {
        let mut fold = Fold::default();
        let mut operand = Operand::default();
        for p in node.into_inner() {
            match p.as_rule() {
                Rule::neg => operand.negs.push(self.at(&p)),
                Rule::power => operand.value = Some(self.power(&mut operand, p)?),
                Rule::add | Rule::sub | Rule::mul | Rule::div => {
                    let value = self.finish_operand(std::mem::take(&mut operand))?;
                    fold.operand(value)?;
                    fold.operator(p.as_rule(), self.at(&p))?;
                }
                _ => operand.value = Some(self.primary(p, scope)?),
            }
        }
        let value = self.finish_operand(operand)?;
        fold.operand(value)?;
        fold.finish()?.ok_or_else(|| internal(self.base))
    }

    /// Applies the unary minus signs of an operand, innermost last (`-x^2` is -(x^2)).
    fn finish_operand(&self, operand: Operand) -> Result<Built, SrcError> {
        let mut value = operand.value.ok_or_else(|| internal(self.base))?;
        for &at in operand.negs.iter().rev() {
            value = unary(Expr::Neg, value, at)?;
        }
        Ok(value)
    }

    /// `^ n` applied to the operand so far; one `^` per operand.
    fn power(&self, operand: &mut Operand, node: Node<'_>) -> Result<Built, SrcError> {
        let parts = Parts::of(node);
        let caret = parts.one(Rule::caret)?;
        if operand.powers > 0 {
            return Err(self.err(
                &caret,
                "chained `^` is ambiguous: add parentheses, like (a^b)^c",
            ));
        }
        operand.powers += 1;
        let exponent = parts.one(Rule::exponent)?;
        let n = number::integer_exponent(exponent.as_str()).map_err(|m| self.err(&exponent, m))?;
        let base = operand.value.take().ok_or_else(|| internal(self.base))?;
        unary(|b| Expr::Pow(b, n), base, self.at(&caret))
    }

    fn primary(&self, node: Node<'_>, scope: Scope<'_>) -> Result<Built, SrcError> {
        match node.as_rule() {
            Rule::number => {
                let q = number::decimal(node.as_str()).map_err(|m| self.err(&node, m))?;
                Ok(Built::leaf(Expr::Const(q)))
            }
            Rule::name => self.name(&node, scope),
            Rule::call => self.call(node, scope),
            Rule::paren => self.expr(Parts::of(node).one(Rule::expr)?, scope),
            _ => Err(internal(self.at(&node))),
        }
    }

    fn name(&self, node: &Node<'_>, scope: Scope<'_>) -> Result<Built, SrcError> {
        let n = node.as_str();
        if n == PI {
            return Ok(Built::leaf(Expr::Pi));
        }
        if let Some(i) = scope.vars.position(n) {
            return self.variable(node, i, scope);
        }
        match self.items.get(n) {
            Some((Item::Let(value), _)) => Ok(value.clone()),
            Some((Item::Def(d), _)) => {
                let params = d.params.join(", ");
                Err(self.err(
                    node,
                    format!("`{n}` is a function: call it as {n}({params})"),
                ))
            }
            Some((Item::Claim, _)) => Err(self.err(node, format!("`{n}` is a claim, not a value"))),
            None if builtin_arity(n).is_some() => Err(self.err(
                node,
                format!("`{n}` is a built-in function: call it as {n}(...)"),
            )),
            None => Err(self.unknown(node, "name")),
        }
    }

    /// Variable `i` of the scope, if it is bound before the endpoint being read.
    fn variable(&self, node: &Node<'_>, i: usize, scope: Scope<'_>) -> Result<Built, SrcError> {
        if i < scope.visible {
            return Ok(Built::leaf(Expr::Var(i)));
        }
        let n = node.as_str();
        let current = &scope.vars.names[scope.visible];
        let msg = if i == scope.visible {
            format!("variable `{n}` is used in its own bounds")
        } else {
            format!(
                "variable `{n}` is used in the bounds of `{current}` but bound after it (bindings are read left to right)"
            )
        };
        Err(self.err(node, msg))
    }

    fn call(&self, node: Node<'_>, scope: Scope<'_>) -> Result<Built, SrcError> {
        let parts = Parts::of(node);
        let fname = parts.one(Rule::name)?;
        let arg_nodes = Parts::of(parts.one(Rule::args)?).all(Rule::expr);
        let n = fname.as_str();
        let expected = match (builtin_arity(n), self.items.get(n)) {
            (Some(k), _) => k,
            (None, Some((Item::Def(d), _))) => d.params.len(),
            (None, Some(_)) => return Err(self.err(&fname, format!("`{n}` is not a function"))),
            (None, None) if n == PI => {
                return Err(self.err(&fname, "`pi` is a built-in constant, not a function"))
            }
            (None, None) if scope.def_name == Some(n) => {
                let msg = format!("def `{n}` cannot call itself: a def may use only earlier defs");
                return Err(self.err(&fname, msg));
            }
            (None, None) if scope.vars.position(n).is_some() => {
                return Err(self.err(&fname, format!("`{n}` is a variable, not a function")))
            }
            (None, None) => return Err(self.unknown(&fname, "function")),
        };
        if arg_nodes.len() != expected {
            let msg = format!(
                "`{n}` takes {expected} argument{}, but {} {} given",
                if expected == 1 { "" } else { "s" },
                arg_nodes.len(),
                if arg_nodes.len() == 1 { "was" } else { "were" }
            );
            return Err(self.err(&fname, msg));
        }
        let mut args = Vec::with_capacity(arg_nodes.len());
        for a in arg_nodes {
            args.push(self.expr(a, scope)?);
        }
        let at = self.at(&fname);
        match self.items.get(n) {
            Some((Item::Def(d), _)) if builtin_arity(n).is_none() => expand(d, args, at),
            _ => builtin(n, args, at),
        }
    }
}

// ---- building with limits ----

fn check_limits(size: usize, depth: usize, at: usize) -> Result<(), SrcError> {
    if size > MAX_NODES {
        let msg = format!(
            "expression too large: more than {MAX_NODES} nodes after expanding lets and defs"
        );
        return Err(SrcError::new(at, msg));
    }
    if depth > MAX_DEPTH {
        let msg = format!(
            "expression nested too deeply: more than {MAX_DEPTH} levels after expanding lets and defs \
             (a sum or product of n terms is n levels deep)"
        );
        return Err(SrcError::new(at, msg));
    }
    Ok(())
}

fn unary(f: impl FnOnce(Box<Expr>) -> Expr, a: Built, at: usize) -> Result<Built, SrcError> {
    let (size, depth) = (a.size + 1, a.depth + 1);
    check_limits(size, depth, at)?;
    Ok(Built {
        e: f(Box::new(a.e)),
        size,
        depth,
    })
}

fn binary(
    f: fn(Box<Expr>, Box<Expr>) -> Expr,
    a: Built,
    b: Built,
    at: usize,
) -> Result<Built, SrcError> {
    let size = a.size.saturating_add(b.size).saturating_add(1);
    let depth = a.depth.max(b.depth) + 1;
    check_limits(size, depth, at)?;
    Ok(Built {
        e: f(Box::new(a.e), Box::new(b.e)),
        size,
        depth,
    })
}

fn builtin(name: &str, args: Vec<Built>, at: usize) -> Result<Built, SrcError> {
    let mut args = args.into_iter();
    let (Some(a), b) = (args.next(), args.next()) else {
        return Err(internal(at));
    };
    match (name, b) {
        ("sqrt", None) => unary(Expr::Sqrt, a, at),
        ("abs", None) => unary(Expr::Abs, a, at),
        ("min", Some(b)) => binary(Expr::Min, a, b, at),
        ("max", Some(b)) => binary(Expr::Max, a, b, at),
        ("atan2", Some(b)) => binary(Expr::Atan2, a, b, at),
        ("pow", Some(b)) => binary(Expr::PowR, a, b, at),
        (f, None) => match Fun::from_name(f) {
            Some(fun) => unary(|a| Expr::Fun(fun, a), a, at),
            None => Err(internal(at)),
        },
        _ => Err(internal(at)),
    }
}

/// A def call: the body with its parameters replaced by the arguments, after checking that
/// the result stays within the limits.
fn expand(def: &Def, args: Vec<Built>, at: usize) -> Result<Built, SrcError> {
    let mut size = def.body.size;
    let mut depth = def.body.depth;
    for (&(count, level), arg) in def.uses.iter().zip(&args) {
        if count > 0 {
            size = size
                .saturating_add(count.saturating_mul(arg.size))
                .saturating_sub(count);
            depth = depth.max(level - 1 + arg.depth);
        }
    }
    check_limits(size, depth, at)?;
    let args: Vec<Expr> = args.into_iter().map(|a| a.e).collect();
    Ok(Built {
        e: def.body.e.substitute(&args),
        size,
        depth,
    })
}

/// Counts the uses of each parameter (`Var`) in a def body and their deepest level.
fn param_uses(e: &Expr, level: usize, uses: &mut [(usize, usize)]) {
    if let Expr::Var(i) = e {
        if let Some(u) = uses.get_mut(*i) {
            u.0 += 1;
            u.1 = u.1.max(level);
        }
    }
    for c in e.children() {
        param_uses(c, level + 1, uses);
    }
}

fn builtin_arity(name: &str) -> Option<usize> {
    if Fun::from_name(name).is_some() {
        return Some(1);
    }
    BUILTINS.iter().find(|(n, _)| *n == name).map(|&(_, k)| k)
}

/// `+ - * /` folded with precedence: `sum (add_op term)?` where `term` collects `* /`.
#[derive(Default)]
struct Fold {
    sum: Option<Built>,
    add_op: Option<(Rule, usize)>,
    term: Option<Built>,
    mul_op: Option<(Rule, usize)>,
}

impl Fold {
    fn operand(&mut self, value: Built) -> Result<(), SrcError> {
        self.term = Some(match (self.term.take(), self.mul_op.take()) {
            (Some(t), Some((op, at))) => binary(arith(op), t, value, at)?,
            _ => value,
        });
        Ok(())
    }

    fn operator(&mut self, op: Rule, at: usize) -> Result<(), SrcError> {
        if matches!(op, Rule::mul | Rule::div) {
            self.mul_op = Some((op, at));
            return Ok(());
        }
        self.fold_term()?;
        self.add_op = Some((op, at));
        Ok(())
    }

    fn fold_term(&mut self) -> Result<(), SrcError> {
        let Some(term) = self.term.take() else {
            return Ok(());
        };
        self.sum = Some(match (self.sum.take(), self.add_op.take()) {
            (Some(s), Some((op, at))) => binary(arith(op), s, term, at)?,
            _ => term,
        });
        Ok(())
    }

    /// The folded expression; the last `+ -` may still exceed the limits.
    fn finish(mut self) -> Result<Option<Built>, SrcError> {
        self.fold_term()?;
        Ok(self.sum)
    }
}

fn arith(op: Rule) -> fn(Box<Expr>, Box<Expr>) -> Expr {
    match op {
        Rule::add => Expr::Add,
        Rule::sub => Expr::Sub,
        Rule::mul => Expr::Mul,
        _ => Expr::Div,
    }
}

/// One operand of an `expr` as it is read: minus signs, value, number of `^`.
#[derive(Default)]
struct Operand {
    negs: Vec<usize>,
    value: Option<Built>,
    powers: usize,
}

/// The node count of one claim, all expressions together.
struct Budget<'n> {
    claim: &'n str,
    used: usize,
}

impl<'n> Budget<'n> {
    fn new(claim: &'n str) -> Budget<'n> {
        Budget { claim, used: 0 }
    }

    fn charge(&mut self, b: Built, at: usize) -> Result<Built, SrcError> {
        self.used = self.used.saturating_add(b.size);
        if self.used > MAX_NODES {
            let msg = format!(
                "claim `{}` too large: more than {MAX_NODES} expression nodes in all after expanding lets and defs",
                self.claim
            );
            return Err(SrcError::new(at, msg));
        }
        Ok(b)
    }
}

fn relop(text: &str) -> RelOp {
    match text {
        "<" => RelOp::Lt,
        "<=" => RelOp::Le,
        ">" => RelOp::Gt,
        _ => RelOp::Ge,
    }
}

fn expectation(parts: &Parts<'_>) -> Expect {
    let word = parts.opt(Rule::expectation).and_then(|e| {
        e.into_inner().flatten().find_map(|p| match p.as_rule() {
            Rule::kw_refuted => Some(Expect::Refuted),
            Rule::kw_vacuous => Some(Expect::Vacuous),
            _ => None,
        })
    });
    word.unwrap_or(Expect::Proved)
}

/// The text of a `description` node without quotes, `\"` and `\\` unescaped.
fn description(node: &Node<'_>) -> String {
    let raw = node.as_str();
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('"' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Where the last token of `node` ends. pest's spans also take in the blank space and
/// comments after a rule that ends in a repetition (`a ~ b*` skips blanks before trying
/// `b`), but tokens, the leaves of the tree, never do.
fn text_end(node: &Node<'_>) -> usize {
    node.clone()
        .into_inner()
        .flatten()
        .last()
        .map_or(node.as_span().end(), |leaf| leaf.as_span().end())
}

/// A grammar/front-end mismatch: a bug, reported as an error rather than a panic.
/// How many bindings come before the first child of kind `rule`.
fn count_before(parts: &Parts<'_>, rule: Rule) -> usize {
    parts
        .children
        .iter()
        .take_while(|c| c.as_rule() != rule)
        .filter(|c| c.as_rule() == Rule::binding)
        .count()
}

fn internal(at: usize) -> SrcError {
    SrcError::new(
        at,
        "internal error: unexpected parse tree (please report this)",
    )
}

/// The children of a node, looked up by rule.
/// The comparison chain a `bcond` is, if it has no connective and no brackets around it.
fn plain_cond<'i>(bcond: &Node<'i>) -> Option<Node<'i>> {
    let only = |n: &Node<'i>| {
        let mut kids = n.clone().into_inner();
        let first = kids.next()?;
        kids.next().is_none().then_some(first)
    };
    let factor = only(&only(bcond)?)?;
    let cond = only(&factor)?;
    (cond.as_rule() == Rule::cond).then_some(cond)
}

struct Parts<'i> {
    at: usize,
    children: Vec<Node<'i>>,
}

impl<'i> Parts<'i> {
    fn of(node: Node<'i>) -> Parts<'i> {
        Parts {
            at: node.as_span().start(),
            children: node.into_inner().collect(),
        }
    }

    fn opt(&self, rule: Rule) -> Option<Node<'i>> {
        self.children.iter().find(|c| c.as_rule() == rule).cloned()
    }

    fn one(&self, rule: Rule) -> Result<Node<'i>, SrcError> {
        self.opt(rule).ok_or_else(|| internal(self.at))
    }

    fn all(&self, rule: Rule) -> Vec<Node<'i>> {
        self.children
            .iter()
            .filter(|c| c.as_rule() == rule)
            .cloned()
            .collect()
    }
}
