//! Certificates: a proved claim and its proof trees as JSON (`docs/certificates.md`), for the
//! independent kernel to re-check. This module only writes them; it checks nothing.

use crate::claim::{Claim, Cond, Formula};
use crate::expr::Expr;
use crate::prover::{Branch, Leaf, Method, Outcome, ProofNode, Vacuity};
use rug::Rational;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The certificate format's name, written as every certificate's `format` field.
pub const FORMAT: &str = "stabcert-certificate";
/// The certificate format's version, written as every certificate's `version` field (the
/// kernel reads only this one).
pub const VERSION: u32 = 1;

/// The file name of a claim's certificate, without `.cert.json`: the name with every byte
/// other than `A-Z`, `a-z`, `0-9`, `_` and `-` written `%XX` (upper-case hex), so distinct
/// names give distinct files: `sgd::I0->I1:below` gives `sgd%3A%3AI0-%3EI1%3Abelow`, a user
/// claim `step4_odd` keeps its name.
pub fn file_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Hex SHA-256 of a claim's source text (a generated claim's is its system's).
pub fn source_hash(claim: &Claim) -> String {
    let digest = Sha256::digest(claim.source.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The certificate of a proved claim (`outcome.proofs()` one tree per conclusion). A claim
/// whose domain is proved empty gets `empty_domain: true` and no proofs, with the pruning
/// tree of its domain question as `emptiness` unless a range with constant ends is empty.
pub fn certificate(claim: &Claim, outcome: &Outcome) -> Value {
    let empty = match &outcome.vacuous {
        Some(Vacuity::Empty { proof, .. }) => Some(proof.as_ref().map(node_json)),
        _ => None,
    };
    let mut cert = json!({
        "format": FORMAT,
        "version": VERSION,
        "claim": claim_json(claim),
        "empty_domain": empty.is_some(),
        "proofs": outcome.proofs().iter().enumerate()
            .filter(|_| empty.is_none())
            .map(|(goal, tree)| json!({"goal": goal, "tree": node_json(tree)}))
            .collect::<Vec<_>>(),
    });
    let is_empty = empty.is_some();
    if let Some(Some(tree)) = empty {
        cert["emptiness"] = tree;
    }
    if claim.formula.is_some() && !is_empty {
        // One proof per clause of the formula (its conjunctive normal form), in order.
        let clauses = crate::prover::formula::clause_claims(claim).unwrap_or_default();
        cert["clauses"] = clauses
            .iter()
            .zip(outcome.proofs())
            .map(|(c, tree)| {
                json!({
                    "literals": c.literals.iter().map(cond_json).collect::<Vec<_>>(),
                    "goal": c.goal,
                    "tree": node_json(tree),
                })
            })
            .collect();
        cert["proofs"] = json!([]);
    }
    cert
}

fn cond_json(c: &Cond) -> Value {
    json!({"lhs": expr_json(&c.lhs), "op": c.op.symbol(), "rhs": expr_json(&c.rhs)})
}

/// A formula as the certificate's JSON tree: `{"atom": COND}`, `{"and": [..]}`, `{"or": [..]}`.
pub fn formula_json(f: &Formula) -> Value {
    match f {
        Formula::Atom(c) => json!({ "atom": cond_json(c) }),
        Formula::And(fs) => json!({ "and": fs.iter().map(formula_json).collect::<Vec<_>>() }),
        Formula::Or(fs) => json!({ "or": fs.iter().map(formula_json).collect::<Vec<_>>() }),
    }
}

/// The normalised claim: bindings, hypotheses and conclusions as expression trees.
pub fn claim_json(claim: &Claim) -> Value {
    let cond = cond_json;
    let mut out = json!({
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
    });
    if let Some(f) = &claim.formula {
        out["formula"] = formula_json(f);
    }
    out
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
        Expr::Fun(f, a) => json!({ f.name(): expr_json(a) }),
        Expr::Atan2(y, x) => two("atan2", y, x),
        Expr::PowR(x, y) => two("powr", x, y),
        Expr::Pi => json!("pi"),
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
        ProofNode::Branch(Branch::Rewrite(rule), kids) => json!({"rewrite": {
            "rule": rule.json(), "kids": kids.iter().map(node_json).collect::<Vec<_>>(),
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
        Method::Sos => leaf
            .sos
            .as_ref()
            .map_or(json!({"method": method}), |c| sos_json(c)),
        Method::Tangent => json!({"method": method, "at": leaf.centre.as_ref().map(|c| {
            c.iter().map(|v| v.map_or_else(|| "nan".to_string(), exact)).collect::<Vec<_>>()
        })}),
        _ => json!({"method": method}),
    }
}

/// An `sos` leaf: `eps` and the blocks `(times, basis, gram)`.
fn sos_json(c: &crate::prover::sos::SosCert) -> Value {
    use crate::prover::sos::Factor;
    let factor = |f: &Factor| match f {
        Factor::Hyp(k) => json!({"hyp": k}),
        Factor::Lo(i) => json!({"lo": i}),
        Factor::Hi(i) => json!({"hi": i}),
    };
    let blocks: Vec<Value> = c.blocks.iter().map(|b| json!({
        "times": b.times.iter().map(factor).collect::<Vec<_>>(),
        "basis": b.basis,
        "gram": b.gram.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()).collect::<Vec<_>>(),
    })).collect();
    json!({"method": "sos", "eps": c.eps.to_string(), "blocks": blocks})
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    /// Decodes [`file_stem`]; `None` if the text is not one of its outputs.
    fn decode(stem: &str) -> Option<String> {
        let (mut bytes, mut rest) = (Vec::new(), stem.as_bytes());
        while let Some((&b, tail)) = rest.split_first() {
            match b {
                b'%' => {
                    let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
                    let v = u8::from_str_radix(hex, 16).ok()?;
                    (hex == format!("{v:02X}")).then_some(())?;
                    bytes.push(v);
                    rest = &tail[2..];
                }
                b if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' => {
                    bytes.push(b);
                    rest = tail;
                }
                _ => return None,
            }
        }
        String::from_utf8(bytes).ok()
    }

    #[test]
    fn file_stems_are_injective_and_plain() {
        let names = [
            "s::escape:R",
            "s__escape_R",
            "s_escape_R",
            "sgd::I0->I1:below",
            "sgd__I0-to-I1_below",
            "a%3A",
            "a:",
            "stem#2",
            "é",
            "step4_odd",
        ];
        let stems: Vec<String> = names.iter().map(|n| file_stem(n)).collect();
        for (n, s) in names.iter().zip(&stems) {
            assert_eq!(decode(s).as_deref(), Some(*n), "{s}");
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-%".contains(&b)));
        }
        let mut unique = stems.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), stems.len(), "{stems:?}");
        assert_eq!(file_stem("step4_odd"), "step4_odd");
        assert_eq!(file_stem("sgd::I0->I1:below"), "sgd%3A%3AI0-%3EI1%3Abelow");
    }
}
