//! Systems: the transition graph between the regions of a one-dimensional random map, each
//! edge proved absent or shown present by an exact witness, and the cycles of that graph
//! checked against the declared target cycle, exceptional sets and escape lemmas.
//!
//! Everything is reduced to ordinary claims decided by the prover; the graph logic on top is
//! finite and exact. For regions `R_i`, `R_j` the edge `R_i -> R_j` is
//! - absent if `next` is proved to stay below `R_j` (or above it) for every state in `R_i`,
//!   every parameter and noise value, or if the claim "`next` in R_j's lower side implies
//!   `next` beyond R_j's upper end" is proved;
//! - present if that last claim is refuted: its witness is a state of `R_i` mapped into `R_j`.

mod graph;
pub mod render;

use crate::claim::{Binding, Claim, Cond, EscapeRule, Expect, Region, RelOp, System};
use crate::expr::Expr;
use crate::prover::{self, Budget, Outcome, Verdict};
use serde::Serialize;

/// A claim the analysis generated, with its outcome.
#[derive(Clone, Debug)]
pub struct Generated {
    pub claim: Claim,
    pub outcome: Outcome,
}

/// What is known of one edge.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EdgeStatus {
    Absent,
    Present,
    Unknown,
}

#[derive(Clone, Debug, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub status: EdgeStatus,
    /// The generated claim that decided the edge (proved: absent; refuted: present).
    pub claim: String,
    /// For a present edge: the exact witness, `variable = value`.
    #[serde(serialize_with = "witness_as_map")]
    pub witness: Option<Vec<(String, String)>>,
}

/// How a cyclic strongly connected component of the graph is accounted for.
#[derive(Clone, Debug, Serialize)]
pub struct Cycle {
    pub regions: Vec<String>,
    /// `target`, `exceptional`, `escaped` or `undischarged`.
    pub kind: String,
    /// For an escape: the lemma, the hitting-time bound.
    pub detail: String,
    pub ok: bool,
}

/// The analysis of one system.
#[derive(Clone, Debug)]
pub struct Report {
    pub system: System,
    pub generated: Vec<Generated>,
    pub edges: Vec<Edge>,
    pub cycles: Vec<Cycle>,
    pub problems: Vec<String>,
}

impl Report {
    /// Whether the system's claim holds: all edges decided, every cycle accounted for.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Analyses `sys` with the given per-claim budget.
pub fn analyse(sys: &System, budget: &Budget) -> Report {
    let mut a = Analysis {
        sys,
        budget,
        generated: Vec::new(),
        problems: Vec::new(),
    };
    a.check_invariance();
    let edges = a.edges();
    let cycles = a.cycles(&edges);
    Report {
        system: sys.clone(),
        generated: a.generated,
        edges,
        cycles,
        problems: a.problems,
    }
}

struct Analysis<'a> {
    sys: &'a System,
    budget: &'a Budget,
    generated: Vec<Generated>,
    problems: Vec<String>,
}

impl Analysis<'_> {
    fn prove(&mut self, claim: Claim) -> Outcome {
        let outcome = prover::prove(&claim, self.budget);
        self.generated.push(Generated {
            claim,
            outcome: outcome.clone(),
        });
        outcome
    }

    fn np(&self) -> usize {
        self.sys.params.len()
    }

    fn nq(&self) -> usize {
        self.sys.noise.len()
    }

    /// Bindings for `steps` steps from `state in lo..hi`: params, one noise copy per step,
    /// then the state.
    fn bindings(&self, steps: usize, state: Binding) -> Vec<Binding> {
        let mut b = self.sys.params.clone();
        for k in 0..steps {
            for n in &self.sys.noise {
                b.push(Binding {
                    name: format!("{}{}", n.name, suffix(steps, k)),
                    ..n.clone()
                });
            }
        }
        b.push(state);
        b
    }

    /// `next` iterated `steps` times, over the variables of [`Analysis::bindings`].
    fn next_iterated(&self, steps: usize) -> Expr {
        let (p, q) = (self.np(), self.nq());
        let state = p + steps * q;
        let mut e = Expr::Var(state);
        for k in 0..steps {
            let mut subst: Vec<Expr> = (0..p).map(Expr::Var).collect();
            subst.extend((0..q).map(|j| Expr::Var(p + k * q + j)));
            subst.push(e);
            e = self.sys.next.substitute(&subst);
        }
        e
    }

    /// The state variable as an expression, for `steps` steps.
    fn state_var(&self, steps: usize) -> Expr {
        Expr::Var(self.np() + steps * self.nq())
    }

    fn region_binding(&self, r: &Region) -> Binding {
        Binding {
            name: self.sys.state.name.clone(),
            lo: r.lo.clone(),
            lo_closed: r.lo_closed,
            hi: r.hi.clone(),
            hi_closed: r.hi_closed,
        }
    }

    fn claim(
        &self,
        name: String,
        description: String,
        bindings: Vec<Binding>,
        hyps: Vec<Cond>,
        goals: Vec<Cond>,
    ) -> Claim {
        let source = format!("generated by system {}", self.sys.name);
        Claim {
            file: self.sys.file.clone(),
            pos: self.sys.pos.clone(),
            name: format!("{}::{}", self.sys.name, name),
            description: Some(description),
            expect: Expect::Proved,
            bindings,
            hyps,
            goals,
            source,
        }
    }

    fn names(&self, bindings: &[Binding]) -> Vec<String> {
        bindings.iter().map(|b| b.name.clone()).collect()
    }

    fn cond(&self, names: &[String], lhs: Expr, op: RelOp, rhs: Expr) -> Cond {
        let text = format!(
            "{} {} {}",
            lhs.display_with(names),
            op.symbol(),
            rhs.display_with(names)
        );
        Cond { lhs, op, rhs, text }
    }

    /// The state space is invariant: `next` maps it into itself.
    fn check_invariance(&mut self) {
        let s = self.sys.state.clone();
        let bindings = self.bindings(1, s.clone());
        let names = self.names(&bindings);
        let next = self.next_iterated(1);
        let goals = vec![
            self.cond(
                &names,
                s.lo.clone(),
                if s.lo_closed { RelOp::Le } else { RelOp::Lt },
                next.clone(),
            ),
            self.cond(
                &names,
                next,
                if s.hi_closed { RelOp::Le } else { RelOp::Lt },
                s.hi.clone(),
            ),
        ];
        let c = self.claim(
            "invariant".into(),
            "next maps the state space into itself".into(),
            bindings,
            vec![],
            goals,
        );
        if self.prove(c).verdict() != Verdict::Proved {
            self.problems
                .push("the state space is not proved invariant under next".into());
        }
    }

    fn edges(&mut self) -> Vec<Edge> {
        let regions = self.sys.regions.clone();
        let mut edges = Vec::new();
        for from in &regions {
            for to in &regions {
                let e = self.edge(from, to);
                if e.status == EdgeStatus::Unknown {
                    self.problems
                        .push(format!("edge {} -> {} is undecided", e.from, e.to));
                }
                edges.push(e);
            }
        }
        edges
    }

    fn edge(&mut self, from: &Region, to: &Region) -> Edge {
        let bindings = self.bindings(1, self.region_binding(from));
        let names = self.names(&bindings);
        let next = self.next_iterated(1);
        // Region ends use only the parameters, numbered alike in every layout.
        let (lo, hi) = (to.lo.clone(), to.hi.clone());
        // `next` below `to`, `next` above `to`: either proves the edge absent.
        let below_op = if to.lo_closed { RelOp::Lt } else { RelOp::Le };
        let above_op = if to.hi_closed { RelOp::Gt } else { RelOp::Ge };
        let tag = format!("{}->{}", from.name, to.name);
        let status = |a: &mut Self, kind: &str, hyps: Vec<Cond>, goal: Cond| {
            let desc = format!(
                "no state of {} is mapped into {} ({kind})",
                from.name, to.name
            );
            let c = a.claim(
                format!("{tag}:{kind}"),
                desc,
                bindings.clone(),
                hyps,
                vec![goal],
            );
            let name = c.name.clone();
            (a.prove(c), name)
        };
        for (kind, op, bound) in [("below", below_op, &lo), ("above", above_op, &hi)] {
            let goal = self.cond(&names, next.clone(), op, bound.clone());
            let (o, name) = status(self, kind, vec![], goal);
            if o.verdict() == Verdict::Proved {
                return edge(from, to, EdgeStatus::Absent, name, None);
            }
        }
        let inside_lo = if to.lo_closed { RelOp::Ge } else { RelOp::Gt };
        let hyp = self.cond(&names, next.clone(), inside_lo, lo);
        let goal = self.cond(&names, next, above_op, hi);
        let (o, name) = status(self, "into", vec![hyp], goal);
        match o.verdict() {
            Verdict::Proved => edge(from, to, EdgeStatus::Absent, name, None),
            Verdict::Refuted => {
                let w = o.witness().map(|w| {
                    w.values
                        .iter()
                        .map(|(n, v)| (n.clone(), v.to_string()))
                        .collect()
                });
                edge(from, to, EdgeStatus::Present, name, w)
            }
            Verdict::Unknown => edge(from, to, EdgeStatus::Unknown, name, None),
        }
    }

    fn cycles(&mut self, edges: &[Edge]) -> Vec<Cycle> {
        let names: Vec<String> = self.sys.regions.iter().map(|r| r.name.clone()).collect();
        let g = graph::Graph::new(&names, edges);
        let mut out = Vec::new();
        for scc in g.cyclic_components() {
            let regions: Vec<String> = scc.iter().map(|i| names[*i].clone()).collect();
            let cycle = self.account(&g, &scc, regions);
            if !cycle.ok {
                self.problems.push(format!(
                    "cycle {{{}}}: {}",
                    cycle.regions.join(", "),
                    cycle.detail
                ));
            }
            out.push(cycle);
        }
        for scc in g.terminal_components() {
            let regions: Vec<String> = scc.iter().map(|i| names[*i].clone()).collect();
            let declared = same_set(&regions, &self.sys.target)
                || regions.iter().all(|r| self.sys.exceptional.contains(r));
            if !declared {
                self.problems.push(format!(
                    "terminal set {{{}}} is neither the target nor exceptional",
                    regions.join(", ")
                ));
            }
        }
        out
    }

    fn account(&mut self, g: &graph::Graph, scc: &[usize], regions: Vec<String>) -> Cycle {
        let mk = |kind: &str, detail: String, ok: bool| Cycle {
            regions: regions.clone(),
            kind: kind.into(),
            detail,
            ok,
        };
        if same_set(&regions, &self.sys.target) {
            return if g.is_terminal(scc) {
                mk(
                    "target",
                    "the terminal cycle: no edge leaves it".into(),
                    true,
                )
            } else {
                mk(
                    "target",
                    "declared target, but an edge leaves it".into(),
                    false,
                )
            };
        }
        if regions.iter().all(|r| self.sys.exceptional.contains(r)) {
            return mk(
                "exceptional",
                "declared exceptional: trajectories that reach it are set aside".into(),
                true,
            );
        }
        let esc = self
            .sys
            .escapes
            .iter()
            .find(|e| regions.contains(&e.region))
            .cloned();
        let Some(esc) = esc else {
            let why = "no escape lemma, target or exceptional declaration covers it";
            return mk("undischarged", why.into(), false);
        };
        let r = g
            .index(&esc.region)
            .expect("escape regions are checked by the parser");
        let steps = match &esc.rule {
            EscapeRule::Grow(_) => 1,
            EscapeRule::Expand { steps, .. } => *steps as usize,
        };
        if !g.returns_only_after(scc, r, steps) {
            let why = format!(
                "escape from {} needs every return to it to take exactly {steps} steps",
                esc.region
            );
            return mk("undischarged", why, false);
        }
        match self.escape_lemma(&esc) {
            Ok(bound) => mk("escaped", bound, true),
            Err(why) => mk("undischarged", why, false),
        }
    }

    /// Proves the escape lemma's claim for `region`; returns its name.
    fn prove_escape(
        &mut self,
        region: &Region,
        desc: String,
        bindings: Vec<Binding>,
        goals: Vec<Cond>,
    ) -> Result<String, String> {
        let claim = self.claim(
            format!("escape:{}", region.name),
            desc,
            bindings,
            vec![],
            goals,
        );
        let name = claim.name.clone();
        match self.prove(claim).verdict() {
            Verdict::Proved => Ok(name),
            _ => Err(format!("escape lemma {name} is not proved")),
        }
    }

    /// Proves the escape lemma; returns the hitting-time bound it gives.
    fn escape_lemma(&mut self, esc: &crate::claim::Escape) -> Result<String, String> {
        let region = self
            .sys
            .regions
            .iter()
            .find(|r| r.name == esc.region)
            .cloned()
            .expect("known region");
        let pnames: Vec<String> = self.sys.params.iter().map(|b| b.name.clone()).collect();
        match &esc.rule {
            EscapeRule::Grow(c) => {
                let bindings = self.bindings(1, self.region_binding(&region));
                let names = self.names(&bindings);
                let u = self.state_var(1);
                let goals = vec![
                    self.cond(
                        &names,
                        self.next_iterated(1),
                        RelOp::Gt,
                        Expr::mul(c.clone(), u.clone()),
                    ),
                    self.cond(&names, c.clone(), RelOp::Gt, Expr::constant(1)),
                    self.cond(&names, u, RelOp::Gt, Expr::constant(0)),
                ];
                let desc = format!(
                    "on {}, next grows by the factor {}",
                    region.name,
                    c.pretty_with(&names)
                );
                let name = self.prove_escape(&region, desc, bindings, goals)?;
                let hi = region.hi.pretty_with(&pnames);
                Ok(format!(
                    "{name}: {} is left within ceil(log({hi}/u0) / log({})) steps",
                    region.name,
                    c.pretty_with(&pnames)
                ))
            }
            EscapeRule::Expand {
                steps,
                factor,
                anchor,
            } => self.expand_lemma(&region, *steps as usize, factor, anchor),
        }
    }

    fn expand_lemma(
        &mut self,
        region: &Region,
        steps: usize,
        factor: &Expr,
        anchor: &Expr,
    ) -> Result<String, String> {
        let pnames: Vec<String> = self.sys.params.iter().map(|b| b.name.clone()).collect();
        let bindings = self.bindings(steps, self.region_binding(region));
        let names = self.names(&bindings);
        let u = self.state_var(steps);
        let a = anchor.clone();
        // Which side of the anchor the region lies on decides the sign of the distance.
        let below = self.cond(&names, u.clone(), RelOp::Lt, a.clone());
        let side = self.claim(
            format!("escape:{}:side", region.name),
            "the region lies below its anchor".into(),
            bindings.clone(),
            vec![],
            vec![below],
        );
        let upper = self.prove(side).verdict() == Verdict::Proved;
        let dist = |x: Expr| {
            if upper {
                Expr::sub(a.clone(), x)
            } else {
                Expr::sub(x, a.clone())
            }
        };
        let goals = vec![
            self.cond(
                &names,
                dist(self.next_iterated(steps)),
                RelOp::Ge,
                Expr::mul(factor.clone(), dist(u.clone())),
            ),
            self.cond(&names, factor.clone(), RelOp::Gt, Expr::constant(1)),
            self.cond(&names, dist(u), RelOp::Gt, Expr::constant(0)),
        ];
        let desc = format!(
            "after {steps} steps from {}, the distance to {} grows by {}",
            region.name,
            anchor.pretty_with(&pnames),
            factor.pretty_with(&pnames)
        );
        let name = self.prove_escape(region, desc, bindings, goals)?;
        let far = if upper { &region.lo } else { &region.hi };
        let width = if upper {
            Expr::sub(anchor.clone(), far.clone())
        } else {
            Expr::sub(far.clone(), anchor.clone())
        };
        Ok(format!(
            "{name}: {} is left within {steps}*ceil(log({}/d0) / log({})) steps, d0 = |{} - u0|",
            region.name,
            width.pretty_with(&pnames),
            factor.pretty_with(&pnames),
            anchor.pretty_with(&pnames)
        ))
    }
}

fn edge(
    from: &Region,
    to: &Region,
    status: EdgeStatus,
    claim: String,
    witness: Option<Vec<(String, String)>>,
) -> Edge {
    Edge {
        from: from.name.clone(),
        to: to.name.clone(),
        status,
        claim,
        witness,
    }
}

/// `1`, `2`, ... appended to noise names when several steps are taken.
fn suffix(steps: usize, k: usize) -> String {
    if steps == 1 {
        String::new()
    } else {
        (k + 1).to_string()
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

#[cfg(test)]
mod tests;

/// Whether a claim name is one a system generated (`system::...`; user names cannot hold `::`).
pub fn is_generated_name(name: &str) -> bool {
    name.contains("::")
}

/// A witness as a JSON object `{"u": "3/5", ...}`, variables in binding order.
fn witness_as_map<S: serde::Serializer>(
    w: &Option<Vec<(String, String)>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match w {
        Some(pairs) => s.collect_map(pairs.iter().map(|(k, v)| (k, v))),
        None => s.serialize_none(),
    }
}
