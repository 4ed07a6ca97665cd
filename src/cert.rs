//! Certificates: a proved claim and its proof trees as JSON (`docs/certificates.md`), for the
//! independent kernel to re-check. This module only writes them; it checks nothing.

use crate::claim::{Claim, Cond};
use crate::expr::Expr;
use crate::prover::{Branch, Leaf, Method, Outcome, ProofNode};
use rug::Rational;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The certificate format's name and version.
pub const FORMAT: &str = "stabcert-certificate";
pub const VERSION: u32 = 1;

/// Hex SHA-256 of a claim's source text.
pub fn source_hash(claim: &Claim) -> String {
    let digest = Sha256::digest(claim.source.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The certificate of a proved claim (`outcome.proofs` one tree per conclusion).
pub fn certificate(claim: &Claim, outcome: &Outcome) -> Value {
    json!({
        "format": FORMAT,
        "version": VERSION,
        "claim": claim_json(claim),
        "empty_domain": outcome.proofs().is_empty() && !claim.goals.is_empty(),
        "proofs": outcome.proofs().iter().enumerate()
            .map(|(goal, tree)| json!({"goal": goal, "tree": node_json(tree)}))
            .collect::<Vec<_>>(),
    })
}

/// The normalised claim: bindings, hypotheses and conclusions as expression trees.
pub fn claim_json(claim: &Claim) -> Value {
    let cond =
        |c: &Cond| json!({"lhs": expr_json(&c.lhs), "op": c.op.symbol(), "rhs": expr_json(&c.rhs)});
    json!({
        "name": claim.name,
        "file": claim.file.display().to_string(),
        "source_sha256": source_hash(claim),
        "variables": claim.var_names(),
        "bindings": claim.bindings.iter().map(|b| json!({
            "lo": expr_json(&b.lo), "lo_closed": b.lo_closed,
            "hi": expr_json(&b.hi), "hi_closed": b.hi_closed,
        })).collect::<Vec<_>>(),
        "hyps": claim.hyps.iter().map(cond).collect::<Vec<_>>(),
        "goals": claim.goals.iter().map(cond).collect::<Vec<_>>(),
    })
}

/// An expression as the JSON tree of the certificate format.
pub fn expr_json(e: &Expr) -> Value {
    let two = |k: &str, a: &Expr, b: &Expr| json!({ k: [expr_json(a), expr_json(b)] });
    match e {
        Expr::Const(q) => json!({"q": q.to_string()}),
        Expr::Var(i) => json!({"var": i}),
        Expr::Neg(a) => json!({"neg": expr_json(a)}),
        Expr::Sqrt(a) => json!({"sqrt": expr_json(a)}),
        Expr::Abs(a) => json!({"abs": expr_json(a)}),
        Expr::Pow(a, n) => json!({"pow": [expr_json(a), n]}),
        Expr::Add(a, b) => two("add", a, b),
        Expr::Sub(a, b) => two("sub", a, b),
        Expr::Mul(a, b) => two("mul", a, b),
        Expr::Div(a, b) => two("div", a, b),
        Expr::Min(a, b) => two("min", a, b),
        Expr::Max(a, b) => two("max", a, b),
    }
}

/// An f64 cut or centre as an exact rational string.
fn exact(v: f64) -> String {
    Rational::from_f64(v).map_or_else(|| "nan".to_string(), |q| q.to_string())
}

fn node_json(node: &ProofNode) -> Value {
    match node {
        ProofNode::Leaf(leaf) => json!({"leaf": leaf_json(leaf)}),
        ProofNode::Branch(Branch::Split { axis, at }, kids) => json!({"split": {
            "axis": axis, "at": exact(*at), "lo": node_json(&kids[0]), "hi": node_json(&kids[1]),
        }}),
        ProofNode::Branch(Branch::Pin { pins, strict }, kids) => json!({"pin": {
            "pins": pins.iter().map(|(i, upper)| json!([i, if *upper { "hi" } else { "lo" }])).collect::<Vec<_>>(),
            "strict": strict,
            "face": node_json(&kids[0]),
        }}),
    }
}

fn leaf_json(leaf: &Leaf) -> Value {
    let method = serde_json::to_value(leaf.method).unwrap_or(Value::Null);
    match leaf.method {
        Method::Pruned => json!({"method": method, "hyp": leaf.hyp}),
        Method::SProcedure => json!({"method": method, "hyp": leaf.hyp,
            "lambda": leaf.multiplier.as_ref().map(|l| l.to_string())}),
        Method::MeanValue => json!({"method": method, "centre": leaf.centre.as_ref().map(|c| {
            c.iter().map(|v| v.map(exact)).collect::<Vec<_>>()
        })}),
        _ => json!({"method": method}),
    }
}
