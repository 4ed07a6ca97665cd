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
mod partition;
pub mod render;

use crate::claim::{Binding, Claim, Cond, EscapeRule, Expect, Region, RelOp, System};
use crate::expr::Expr;
use crate::prover::{self, Budget, Outcome, Resisted, Status, StopReason, Verdict};
use serde::Serialize;

pub use partition::{Finding, Partition};

/// A claim the analysis generated, with its outcome.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The claim, as the prover received it.
    pub claim: Claim,
    /// What the prover said of it.
    pub outcome: Outcome,
}

/// What is known of one edge.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EdgeStatus {
    /// Proved absent: no state of the source region is mapped into the target region, for any
    /// parameter and noise value.
    Absent,
    /// Shown present by an exact witness.
    Present,
    /// Neither, within the budget.
    Unknown,
}

/// An edge `from -> to` of the transition graph and what is known of it.
#[derive(Clone, Debug, Serialize)]
pub struct Edge {
    /// The source region's name.
    pub from: String,
    /// The target region's name.
    pub to: String,
    /// What is known of the edge.
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
    /// The regions of the component.
    pub regions: Vec<String>,
    /// `target`, `exceptional`, `escaped` or `undischarged`.
    pub kind: String,
    /// For an escape: the lemma, the hitting-time bound.
    pub detail: String,
    /// Whether the component is accounted for (if not, `detail` says why).
    pub ok: bool,
}

/// The analysis of one system.
#[derive(Clone, Debug)]
pub struct Report {
    /// The system analysed.
    pub system: System,
    /// Every claim the analysis generated, in order, with its outcome.
    pub generated: Vec<Generated>,
    /// Every pair of regions, including self-loops, and what is known of its edge.
    pub edges: Vec<Edge>,
    /// The cyclic strongly connected components of the graph (edges not proved absent count).
    pub cycles: Vec<Cycle>,
    /// Why the system's claim does not hold, one sentence each (empty when it does).
    /// Whether the regions partition the state space; gaps and overlaps found.
    pub partition: Partition,
    /// Why the system's claim does not hold, one sentence each (empty when it does).
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
    let mut prove = |claim: &Claim, max_boxes: Option<u64>| {
        let budget = Budget {
            max_boxes: max_boxes.map_or(budget.max_boxes, |m| m.min(budget.max_boxes)),
            timeout: budget.timeout,
        };
        prover::prove(claim, &budget)
    };
    let mut a = Analysis::new(sys, &mut prove, true);
    a.check_invariance();
    a.check_partition();
    let edges = a.edges();
    let cycles = a.cycles(&edges);
    Report {
        system: sys.clone(),
        generated: a.generated,
        edges,
        cycles,
        partition: a.partition,
        problems: a.problems,
    }
}

/// A system's conclusion re-derived from claims proved elsewhere (by checked certificates):
/// nothing is proved here.
#[derive(Clone, Debug)]
pub struct Rederived {
    /// Every edge: absent where a certificate proves it, otherwise taken as present.
    pub edges: Vec<Edge>,
    /// The cyclic components and how each is accounted for.
    pub cycles: Vec<Cycle>,
    /// Why the conclusion does not follow; empty if it does.
    pub problems: Vec<String>,
}

impl Rederived {
    /// Whether the system's claim follows: every cycle accounted for.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs the analysis of [`analyse`] without proving anything: a generated claim counts as
/// proved exactly when `proved` says so of it (as generated: same name, same statement).
///
/// The claims are generated in the same order and from the same outcomes as in [`analyse`]
/// (an `expand` escape lemma depends on whether its `:side` claim is proved). An edge not
/// shown absent is taken as present: the graph only gains edges, so a cycle or terminal set
/// accounted for here is accounted for in the real graph too.
pub fn rederive(sys: &System, proved: &mut dyn FnMut(&Claim) -> bool) -> Rederived {
    let mut decide = |claim: &Claim, _max_boxes: Option<u64>| assumed(claim, proved(claim));
    let mut a = Analysis::new(sys, &mut decide, false);
    a.check_invariance();
    a.check_partition();
    let edges = a.edges();
    let cycles = a.cycles(&edges);
    Rederived {
        edges,
        cycles,
        problems: a.problems,
    }
}

/// Every claim the analysis of `sys` may generate, whatever the outcomes: the invariance
/// claim, the three claims of every edge, and for every escape line its lemma (an `expand`
/// lemma in both of its variants, one for each outcome of its `:side` claim) and `:side`.
pub fn candidates(sys: &System) -> Vec<Claim> {
    let g = Gen { sys };
    let mut out = vec![g.invariant()];
    out.extend(partition_claims(sys));
    for from in &sys.regions {
        for to in &sys.regions {
            out.extend(g.edge_claims(from, to));
        }
    }
    for esc in &sys.escapes {
        let Some(region) = sys.regions.iter().find(|r| r.name == esc.region) else {
            continue; // the parser checks escape regions
        };
        match &esc.rule {
            EscapeRule::Grow(c) => out.push(g.grow(region, c).0),
            EscapeRule::Expand {
                steps,
                factor,
                anchor,
            } => {
                let steps = *steps as usize;
                out.push(g.side(region, steps, anchor));
                for upper in [true, false] {
                    out.push(g.expand(region, steps, factor, anchor, upper));
                }
            }
        }
    }
    out
}

/// The claims the partition check generates: every one it may try, whichever way each
/// comes out (the order of the regions is read off the system's text, so it is the same in
/// every run).
fn partition_claims(sys: &System) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for answer in [true, false] {
        let mut decide = |claim: &Claim, _: Option<u64>| assumed(claim, answer);
        let mut a = Analysis::new(sys, &mut decide, false);
        a.check_partition();
        let images = a.image_candidates();
        let generated = a.generated.into_iter().map(|g| g.claim).chain(images);
        for claim in generated {
            if out.iter().all(|c| c.name != claim.name) {
                out.push(claim);
            }
        }
    }
    out
}

/// An outcome taken as given rather than decided here: proved (with no proof trees), or
/// unknown for the reason [`StopReason::NotDecided`].
fn assumed(claim: &Claim, proved: bool) -> Outcome {
    let status = match proved {
        true => Status::Proved(Vec::new()),
        false => Status::Unknown(StopReason::NotDecided(Resisted {
            conclusion: claim.name.clone(),
            region: Vec::new(),
            remedy: None,
        })),
    };
    Outcome {
        status,
        boxes: 0,
        millis: 0.0,
        vacuous: None,
    }
}

/// Builds the generated claims of a system (deciding nothing).
struct Gen<'a> {
    sys: &'a System,
}

struct Analysis<'a> {
    g: Gen<'a>,
    sys: &'a System,
    decide: &'a mut dyn FnMut(&Claim, Option<u64>) -> Outcome,
    /// Whether an edge neither proved absent nor shown present is a problem ([`analyse`]),
    /// or only taken as present ([`rederive`]).
    undecided_fails: bool,
    generated: Vec<Generated>,
    partition: Partition,
    problems: Vec<String>,
}

impl<'a> Analysis<'a> {
    fn new(
        sys: &'a System,
        decide: &'a mut dyn FnMut(&Claim, Option<u64>) -> Outcome,
        undecided_fails: bool,
    ) -> Self {
        Analysis {
            g: Gen { sys },
            sys,
            decide,
            undecided_fails,
            generated: Vec::new(),
            partition: Partition::default(),
            problems: Vec::new(),
        }
    }

    fn prove(&mut self, claim: Claim) -> Outcome {
        self.prove_within(claim, None)
    }

    /// Decides `claim` (with at most `max_boxes` boxes if given) and records it.
    fn prove_within(&mut self, claim: Claim, max_boxes: Option<u64>) -> Outcome {
        let outcome = (self.decide)(&claim, max_boxes);
        self.generated.push(Generated {
            claim,
            outcome: outcome.clone(),
        });
        outcome
    }
}

impl Gen<'_> {
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

    /// `next` iterated `steps` times, over the variables of [`Gen::bindings`].
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

    /// A generated claim `SYSTEM::name`; its source text is the system's.
    fn claim(
        &self,
        name: String,
        description: String,
        bindings: Vec<Binding>,
        hyps: Vec<Cond>,
        goals: Vec<Cond>,
    ) -> Claim {
        Claim {
            file: self.sys.file.clone(),
            pos: self.sys.pos.clone(),
            name: format!("{}::{}", self.sys.name, name),
            description: Some(description),
            expect: Expect::Proved,
            bindings,
            hyps,
            goals,
            source: self.sys.source.clone(),
            formula: None,
            unbounded: Vec::new(),
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

    /// `SYSTEM::invariant`: `next` maps the state space into itself.
    fn invariant(&self) -> Claim {
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
        self.claim(
            "invariant".into(),
            "next maps the state space into itself".into(),
            bindings,
            vec![],
            goals,
        )
    }

    /// `F->T:below`, `F->T:above` (`next` stays below, above `T`) and `F->T:into` (`next`
    /// in `T`'s lower side implies beyond its upper end): each proved shows the edge absent.
    fn edge_claims(&self, from: &Region, to: &Region) -> [Claim; 3] {
        let bindings = self.bindings(1, self.region_binding(from));
        let names = self.names(&bindings);
        let next = self.next_iterated(1);
        // Region ends use only the parameters, numbered alike in every layout.
        let (lo, hi) = (to.lo.clone(), to.hi.clone());
        let below_op = if to.lo_closed { RelOp::Lt } else { RelOp::Le };
        let above_op = if to.hi_closed { RelOp::Gt } else { RelOp::Ge };
        let inside_lo = if to.lo_closed { RelOp::Ge } else { RelOp::Gt };
        let claim = |kind: &str, hyps: Vec<Cond>, goal: Cond| {
            let desc = format!(
                "no state of {} is mapped into {} ({kind})",
                from.name, to.name
            );
            let name = format!("{}->{}:{kind}", from.name, to.name);
            self.claim(name, desc, bindings.clone(), hyps, vec![goal])
        };
        [
            claim(
                "below",
                vec![],
                self.cond(&names, next.clone(), below_op, lo.clone()),
            ),
            claim(
                "above",
                vec![],
                self.cond(&names, next.clone(), above_op, hi.clone()),
            ),
            claim(
                "into",
                vec![self.cond(&names, next.clone(), inside_lo, lo)],
                self.cond(&names, next, above_op, hi),
            ),
        ]
    }

    /// `escape:R` of `escape R grow C`, and the hitting-time bound it gives.
    fn grow(&self, region: &Region, c: &Expr) -> (Claim, String) {
        let pnames: Vec<String> = self.sys.params.iter().map(|b| b.name.clone()).collect();
        let bindings = self.bindings(1, self.region_binding(region));
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
        let claim = self.claim(
            format!("escape:{}", region.name),
            desc,
            bindings,
            vec![],
            goals,
        );
        let hi = region.hi.pretty_with(&pnames);
        let bound = format!(
            "{}: {} is left within ceil(log({hi}/u0) / log({})) steps",
            claim.name,
            region.name,
            c.pretty_with(&pnames)
        );
        (claim, bound)
    }

    /// `escape:R:side`: the region lies below its anchor (decides the sign of the distance).
    fn side(&self, region: &Region, steps: usize, anchor: &Expr) -> Claim {
        let bindings = self.bindings(steps, self.region_binding(region));
        let names = self.names(&bindings);
        let below = self.cond(&names, self.state_var(steps), RelOp::Lt, anchor.clone());
        self.claim(
            format!("escape:{}:side", region.name),
            "the region lies below its anchor".into(),
            bindings,
            vec![],
            vec![below],
        )
    }

    /// `escape:R` of `escape R in K expand L from A`, for the region below the anchor
    /// (`upper`: the distance is `A - u`) or above it (`u - A`).
    fn expand(
        &self,
        region: &Region,
        steps: usize,
        factor: &Expr,
        anchor: &Expr,
        upper: bool,
    ) -> Claim {
        let pnames: Vec<String> = self.sys.params.iter().map(|b| b.name.clone()).collect();
        let bindings = self.bindings(steps, self.region_binding(region));
        let names = self.names(&bindings);
        let u = self.state_var(steps);
        let a = anchor.clone();
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
        self.claim(
            format!("escape:{}", region.name),
            desc,
            bindings,
            vec![],
            goals,
        )
    }
}

impl Analysis<'_> {
    /// The state space is invariant: `next` maps it into itself.
    fn check_invariance(&mut self) {
        let c = self.g.invariant();
        let name = c.name.clone();
        if self.prove(c).verdict() != Verdict::Proved {
            self.problems.push(format!(
                "the state space is not proved invariant under next ({name})"
            ));
        }
    }

    fn edges(&mut self) -> Vec<Edge> {
        let regions = self.sys.regions.clone();
        let mut edges = Vec::new();
        for from in &regions {
            for to in &regions {
                let e = self.edge(from, to);
                if e.status == EdgeStatus::Unknown && self.undecided_fails {
                    self.problems
                        .push(format!("edge {} -> {} is undecided", e.from, e.to));
                }
                edges.push(e);
            }
        }
        edges
    }

    fn edge(&mut self, from: &Region, to: &Region) -> Edge {
        let [below, above, into] = self.g.edge_claims(from, to);
        // `next` below `to`, `next` above `to`: either proves the edge absent.
        for c in [below, above] {
            let name = c.name.clone();
            if self.prove(c).verdict() == Verdict::Proved {
                return edge(from, to, EdgeStatus::Absent, name, None);
            }
        }
        let name = into.name.clone();
        let o = self.prove(into);
        match o.verdict() {
            Verdict::Proved => edge(from, to, EdgeStatus::Absent, name, None),
            Verdict::Refuted => {
                let w = o.witness().cloned().map(witness_strings);
                edge(from, to, EdgeStatus::Present, name, w)
            }
            Verdict::Unknown => edge(from, to, EdgeStatus::Unknown, name, None),
        }
    }

    /// Decides whether `value` (an expression over `bindings`) can lie in `to`: proved to
    /// stay below `to` (claim `TAG:below`), above it (`TAG:above`; tried first if
    /// `above_first`), or, failing both, the claim `INTO` "`value` in `to`'s lower side
    /// implies `value` beyond its upper end": proved gives `Absent`, refuted `Present` with
    /// the witness (a point where `value` lies in `to`).
    #[allow(clippy::too_many_arguments)]
    fn separate(
        &mut self,
        bindings: Vec<Binding>,
        value: Expr,
        to: &Region,
        tag: &str,
        into: &str,
        what: &str,
        above_first: bool,
    ) -> (EdgeStatus, String, Option<prover::Witness>) {
        let names = self.g.names(&bindings);
        // Region ends use only the parameters, numbered alike in every layout.
        let (lo, hi) = (to.lo.clone(), to.hi.clone());
        // `value` below `to`, `value` above `to`: either proves it never lies in `to`.
        let below_op = if to.lo_closed { RelOp::Lt } else { RelOp::Le };
        let above_op = if to.hi_closed { RelOp::Gt } else { RelOp::Ge };
        let status = |a: &mut Self, name: String, kind: &str, hyps: Vec<Cond>, goal: Cond| {
            let c = a.g.claim(
                name,
                format!("{what} ({kind})"),
                bindings.clone(),
                hyps,
                vec![goal],
            );
            let name = c.name.clone();
            (a.prove(c), name)
        };
        let mut sides = [("below", below_op, &lo), ("above", above_op, &hi)];
        if above_first {
            sides.reverse();
        }
        for (kind, op, bound) in sides {
            let goal = self.g.cond(&names, value.clone(), op, bound.clone());
            let (o, name) = status(self, format!("{tag}:{kind}"), kind, vec![], goal);
            if o.verdict() == Verdict::Proved {
                return (EdgeStatus::Absent, name, None);
            }
        }
        let inside_lo = if to.lo_closed { RelOp::Ge } else { RelOp::Gt };
        let hyp = self.g.cond(&names, value.clone(), inside_lo, lo);
        let goal = self.g.cond(&names, value, above_op, hi);
        let (o, name) = status(self, into.to_string(), "into", vec![hyp], goal);
        match o.verdict() {
            Verdict::Proved => (EdgeStatus::Absent, name, None),
            Verdict::Refuted => (EdgeStatus::Present, name, o.witness().cloned()),
            Verdict::Unknown => (EdgeStatus::Unknown, name, None),
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

    /// Proves an escape lemma's claim; returns its name.
    fn prove_escape(&mut self, claim: Claim) -> Result<String, String> {
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
        match &esc.rule {
            EscapeRule::Grow(c) => {
                let (claim, bound) = self.g.grow(&region, c);
                self.prove_escape(claim)?;
                Ok(bound)
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
        // Which side of the anchor the region lies on decides the sign of the distance.
        let side = self.g.side(region, steps, anchor);
        let upper = self.prove(side).verdict() == Verdict::Proved;
        let claim = self.g.expand(region, steps, factor, anchor, upper);
        let name = self.prove_escape(claim)?;
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

/// A witness as `(variable, exact value)` strings, in binding order.
fn witness_strings(w: prover::Witness) -> Vec<(String, String)> {
    w.texts()
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
