//! Tampering with real certificates: every corruption is either rejected by the kernel, or
//! the corrupted certificate still proves a true claim, which the test confirms on its own
//! (the claim is unchanged, or the prover proves the altered claim afresh).

use proptest::prelude::*;
use rug::Rational;
use serde_json::Value;
use stabcert::claim::{Binding, Claim, Cond, Expect, Pos, RelOp};
use stabcert::expr::Expr;
use stabcert::prover::{prove, Budget, Verdict};
use stabcert::{cert, lang};
use stabcert_kernel as kernel;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

const SOURCES: &str = r#"
def h(u, g) = u + g*u*(1 - u^2)
claim t_step2: forall u in (1, 1.162), g in (1, 1.25] => 0.65 < h(u, g) < 1
claim t_odd: forall e in (0, 0.02], g in [1 + 3*e, 1.25), u in (0.65, 1 - e) => 1 + e < h(u, g) < 1.162
claim t_sqrt: forall x in (0, 1) => sqrt(x) > x
claim t_where: forall x in [0, 2], y in [0, 2] where x + y <= 1 => x*y <= 1/4
claim t_abs: forall x in [-1, 1] => abs(x) - x^2 >= 0
claim t_motzkin: forall x in [-2, 2], y in [-2, 2] => x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1 >= 0
claim t_recip: forall x in (0, 1] => 1/x >= 1
claim t_empty_range: forall x in [0, 1], y in (x, x] => y > 5
claim t_empty_where: forall x in [0, 1], y in [0, 1] where x + y > 3 => x*y > 5
"#;

fn budget() -> Budget {
    Budget {
        max_boxes: 200_000,
        timeout: Some(Duration::from_secs(20)),
    }
}

/// The certificates of the claims above, made once.
fn certificates() -> &'static Vec<Value> {
    static CERTS: OnceLock<Vec<Value>> = OnceLock::new();
    CERTS.get_or_init(|| {
        let claims = lang::parse_source(&PathBuf::from("tamper.stab"), SOURCES).unwrap();
        claims
            .iter()
            .map(|c| {
                let o = prove(c, &budget());
                assert_eq!(o.verdict(), Verdict::Proved, "{}: {:?}", c.name, o.reason());
                cert::certificate(c, &o)
            })
            .collect()
    })
}

#[test]
fn untouched_certificates_recheck() {
    for c in certificates() {
        let checked = kernel::check_certificate(&c.to_string());
        assert!(
            checked.is_ok(),
            "{}: {:?}",
            c["claim"]["name"],
            checked.err()
        );
    }
}

/// Paths (as key/index lists) to every leaf of a JSON value.
fn leaves(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            path.push(Step::Key(k.clone()));
            leaves(x, path, out);
            path.pop();
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
            path.push(Step::Index(i));
            leaves(x, path, out);
            path.pop();
        }),
        _ => out.push(path.clone()),
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Subtrees (objects) holding the given key, e.g. every `split` node.
fn nodes_with(v: &Value, key: &str, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if let Value::Object(m) = v {
        if m.contains_key(key) {
            out.push(path.clone());
        }
        for (k, x) in m {
            path.push(Step::Key(k.clone()));
            nodes_with(x, key, path, out);
            path.pop();
        }
    } else if let Value::Array(a) = v {
        for (i, x) in a.iter().enumerate() {
            path.push(Step::Index(i));
            nodes_with(x, key, path, out);
            path.pop();
        }
    }
}

/// One corruption, chosen by `kind` and `pick`; `None` if the certificate has no such part.
fn corrupt(cert: &Value, kind: u8, pick: usize, value: i64) -> Option<Value> {
    let mut c = cert.clone();
    let mut found = Vec::new();
    match kind {
        // Change any number or string (a rational, an index, a method, an operator, a flag).
        0 => {
            leaves(&c, &mut Vec::new(), &mut found);
            let path = found.get(pick % found.len().max(1))?.clone();
            let leaf = at(&mut c, &path);
            *leaf = match leaf.clone() {
                Value::String(s) if s.parse::<Rational>().is_ok() => {
                    let q: Rational = s.parse().unwrap();
                    Value::String((q + Rational::from((value, 7))).to_string())
                }
                Value::String(s) if s == "<" || s == "<=" => {
                    Value::String(if s == "<" { "<=" } else { ">" }.into())
                }
                Value::String(_) => Value::String(
                    [
                        "interval",
                        "mean_value",
                        "bernstein",
                        "convex",
                        "pruned",
                        "exact_point",
                        "lo",
                        "hi",
                    ][pick % 8]
                        .into(),
                ),
                Value::Number(n) => Value::from(n.as_i64().unwrap_or(0) + value.signum().max(1)),
                Value::Bool(b) => Value::Bool(!b),
                other => other,
            };
        }
        // Drop a box: a split keeps only one half.
        1 => {
            nodes_with(&c, "split", &mut Vec::new(), &mut found);
            let path = found.get(pick % found.len().max(1))?.clone();
            let node = at(&mut c, &path);
            let half = node["split"][if value % 2 == 0 { "lo" } else { "hi" }].clone();
            *node = half;
        }
        // Duplicate a box: both halves of a split get the same proof.
        2 => {
            nodes_with(&c, "split", &mut Vec::new(), &mut found);
            let path = found.get(pick % found.len().max(1))?.clone();
            let node = at(&mut c, &path);
            node["split"]["hi"] = node["split"]["lo"].clone();
        }
        // Swap a method on a leaf.
        3 => {
            nodes_with(&c, "leaf", &mut Vec::new(), &mut found);
            let path = found.get(pick % found.len().max(1))?.clone();
            let methods = [
                "interval",
                "mean_value",
                "bernstein",
                "convex",
                "exact_point",
                "rational",
            ];
            at(&mut c, &path)["leaf"] = match methods.get(value.unsigned_abs() as usize % 7) {
                Some(m) => serde_json::json!({"method": m}),
                None => {
                    serde_json::json!({"method": "s_procedure", "hyp": 0, "lambda": format!("{}/4", pick % 9)})
                }
            };
        }
        // Widen the domain: move a binding's end outwards.
        _ => {
            let bindings = c["claim"]["bindings"].as_array()?.len();
            let b = &mut c["claim"]["bindings"][pick % bindings];
            let end = if value % 2 == 0 { "lo" } else { "hi" };
            let shift = if end == "lo" { -1 } else { 1 };
            let old = b[end].clone();
            b[end] = serde_json::json!({"add": [old, {"q": Rational::from((shift * (1 + value.abs() % 5), 10)).to_string()}]});
        }
    }
    (c != *cert).then_some(c)
}

// ---- an independent reading of the certificate's claim, to re-prove it ----

fn expr(v: &Value) -> Option<Expr> {
    let (k, x) = v.as_object()?.iter().next()?;
    let one = |x: &Value| expr(x).map(Box::new);
    let two = |x: &Value| Some((one(&x[0])?, one(&x[1])?));
    Some(match k.as_str() {
        "q" => Expr::Const(x.as_str()?.parse().ok()?),
        "var" => Expr::Var(x.as_u64()? as usize),
        "neg" => Expr::Neg(one(x)?),
        "sqrt" => Expr::Sqrt(one(x)?),
        "abs" => Expr::Abs(one(x)?),
        "pow" => Expr::Pow(one(&x[0])?, i32::try_from(x[1].as_i64()?).ok()?),
        "add" => two(x).map(|(a, b)| Expr::Add(a, b))?,
        "sub" => two(x).map(|(a, b)| Expr::Sub(a, b))?,
        "mul" => two(x).map(|(a, b)| Expr::Mul(a, b))?,
        "div" => two(x).map(|(a, b)| Expr::Div(a, b))?,
        "min" => two(x).map(|(a, b)| Expr::Min(a, b))?,
        "max" => two(x).map(|(a, b)| Expr::Max(a, b))?,
        _ => return None,
    })
}

fn claim_of(cert: &Value) -> Option<Claim> {
    let c = &cert["claim"];
    let names: Vec<String> = c["variables"]
        .as_array()?
        .iter()
        .map(|n| n.as_str().unwrap_or("?").to_string())
        .collect();
    let bindings = c["bindings"]
        .as_array()?
        .iter()
        .zip(&names)
        .map(|(b, n)| {
            Some(Binding {
                name: n.clone(),
                lo: expr(&b["lo"])?,
                lo_closed: b["lo_closed"].as_bool()?,
                hi: expr(&b["hi"])?,
                hi_closed: b["hi_closed"].as_bool()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let conds = |k: &str| {
        c[k].as_array()?
            .iter()
            .map(|x| {
                let op = match x["op"].as_str()? {
                    "<" => RelOp::Lt,
                    "<=" => RelOp::Le,
                    ">" => RelOp::Gt,
                    ">=" => RelOp::Ge,
                    _ => return None,
                };
                Some(Cond {
                    lhs: expr(&x["lhs"])?,
                    op,
                    rhs: expr(&x["rhs"])?,
                    text: "c".into(),
                })
            })
            .collect::<Option<Vec<_>>>()
    };
    Some(Claim {
        file: "tamper.stab".into(),
        pos: Pos::default(),
        name: c["name"].as_str()?.to_string(),
        description: None,
        expect: Expect::Proved,
        bindings,
        hyps: conds("hyps")?,
        goals: conds("goals")?,
        source: String::new(),
        formula: None,
        unbounded: Vec::new(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn corrupted_certificates_are_rejected_or_still_prove_a_true_claim(
        which in 0usize..9, kind in 0u8..5, pick in 0usize..10_000, value in -50i64..50,
    ) {
        let certs = certificates();
        let original = &certs[which % certs.len()];
        let Some(bad) = corrupt(original, kind, pick, value) else { return Ok(()) };
        let Ok(_) = kernel::check_certificate(&bad.to_string()) else { return Ok(()) };
        // Accepted: the claim it speaks of must still be true.
        if bad["claim"] == original["claim"] {
            return Ok(());
        }
        let claim = claim_of(&bad);
        prop_assert!(claim.is_some(), "the kernel accepted a claim the test cannot read: {}", bad["claim"]);
        let outcome = prove(&claim.unwrap(), &budget());
        prop_assert_eq!(outcome.verdict(), Verdict::Proved,
            "kernel accepted an altered claim that is not proved afresh (kind {}): {}", kind, bad["claim"]);
    }
}
