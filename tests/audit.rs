//! `stabcert audit` end to end: the audit of `proofs/audit.toml` against values computed
//! here independently (closed forms and root finding in 320-bit MPFR), every witness
//! re-checked against its claim, and bad specifications.

use assert_cmd::Command;
use rug::{Float, Rational};
use serde_json::Value;
use stabcert::claim::Claim;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PREC: u32 = 320;

fn stabcert() -> Command {
    Command::cargo_bin("stabcert").unwrap()
}

fn proofs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs")
}

/// The audit of the seed's proposition at `digits` (the default 30 if `None`); exit 0.
fn run_audit(digits: Option<u32>) -> Value {
    let mut cmd = stabcert();
    cmd.args(["audit", "--format", "json"])
        .arg(proofs().join("audit.toml"));
    if let Some(d) = digits {
        cmd.args(["--digits", &d.to_string()]);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "--digits {digits:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The audit at the default 30 digits, run once.
fn audit_json() -> &'static Value {
    static AUDIT: OnceLock<Value> = OnceLock::new();
    AUDIT.get_or_init(|| run_audit(None))
}

fn claims() -> &'static Vec<Claim> {
    static CLAIMS: OnceLock<Vec<Claim>> = OnceLock::new();
    CLAIMS.get_or_init(|| stabcert::lang::load_paths(&[proofs()]).unwrap())
}

fn claim(name: &str) -> &'static Claim {
    claims().iter().find(|c| c.name == name).unwrap()
}

fn f(x: impl Into<f64>) -> Float {
    Float::with_val(PREC, x.into())
}

fn q(s: &str) -> Float {
    let r: Rational = if s.contains('/') {
        s.parse().unwrap()
    } else {
        stabcert::lang::decimal(s).unwrap()
    };
    Float::with_val(PREC, r)
}

fn h(u: &Float, g: &Float) -> Float {
    let one_minus = f(1) - Float::with_val(PREC, u * u);
    Float::with_val(PREC, u + Float::with_val(PREC, g * u) * one_minus)
}

/// The root of `f` in `[a, b]` (a sign change) by 400 bisections.
fn root(mut a: Float, mut b: Float, fun: impl Fn(&Float) -> Float) -> Float {
    let fa_neg = fun(&a) < 0;
    assert_ne!(fa_neg, fun(&b) < 0, "no sign change");
    for _ in 0..400 {
        let m = Float::with_val(PREC, &a + &b) / 2;
        if (fun(&m) < 0) == fa_neg {
            a = m;
        } else {
            b = m;
        }
    }
    a
}

/// `max_u h(u, g) = (2/3)(1 + g) sqrt((1 + g)/(3 g))`.
fn max_h(g: &Float) -> Float {
    let one_g = Float::with_val(PREC, g + 1);
    let ratio = Float::with_val(PREC, &one_g / Float::with_val(PREC, g * 3));
    Float::with_val(PREC, &one_g * ratio.sqrt()) * 2 / 3
}

/// Checks `lower <= value <= upper` with a width of at most `10^(1 - digits) |value|`
/// (`value` is known to about 90 digits, so the ends are compared with that slack).
fn check_enclosure(what: &str, enc: &Value, value: &Float, digits: i32) {
    let lo = q(enc["lower"].as_str().unwrap());
    let hi = q(enc["upper"].as_str().unwrap());
    let slack = f(1e-80);
    let inside =
        lo <= Float::with_val(PREC, value + &slack) && Float::with_val(PREC, value - &slack) <= hi;
    assert!(inside, "{what}: [{lo}, {hi}] misses {value}");
    let width = Float::with_val(PREC, &hi - &lo);
    let tol = Float::with_val(PREC, value.abs_ref()) * f(10f64.powi(1 - digits));
    assert!(width <= tol, "{what}: [{lo}, {hi}] is not {digits} digits");
}

fn constant_of<'a>(audit: &'a Value, name: &str) -> &'a Value {
    audit["constants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no constant {name}"))
}

fn constant(name: &str) -> &'static Value {
    constant_of(audit_json(), name)
}

/// Every enclosure of an audit run at `digits` against the values computed here.
fn check_against_independent_values(audit: &Value, digits: i32) {
    let constant = |name: &str| constant_of(audit, name);
    let check = |what: &str, enc: &Value, value: &Float| check_enclosure(what, enc, value, digits);
    let phi = (Float::with_val(PREC, 5).sqrt() - 1u32) / 2u32;
    let sqrt15 = Float::with_val(PREC, 15).sqrt();
    let h_top = h(&q("1.162"), &q("1.25"));
    // 1.162: from max h(., 1.25) = 3 sqrt(15)/10 to the b with h(b, 1.25) = 0.65.
    let c = constant("1.162");
    check(
        "1.162 lower",
        &c["valid"]["lower"],
        &(sqrt15 * 3u32 / 10u32),
    );
    let b_max = root(q("1.16"), q("1.17"), |b| h(b, &q("1.25")) - q("0.65"));
    check("1.162 upper", &c["valid"]["upper"], &b_max);
    // 0.65: from (sqrt(5) - 1)/2 to h(1.162, 1.25).
    let c = constant("0.65");
    check("0.65 lower", &c["valid"]["lower"], &phi);
    check("0.65 upper", &c["valid"]["upper"], &h_top);
    check("0.652", &constant("0.652")["sharp"], &h_top);
    check("0.17", &constant("0.17")["sharp"], &q("0.0833765625"));
    check("1/3", &constant("1/3")["sharp"], &q("4851/7450"));
    // 1.25 (and gamma_max, stated constants): max h_g reaches 1.162.
    let g_a = root(q("1.25"), q("1.26"), |g| max_h(g) - q("1.162"));
    check("1.25", &constant("1.25")["sharp"], &g_a);
    // gamma_max, re-optimised: h(max h_g, g) reaches (sqrt(5) - 1)/2.
    let g_b = root(q("1.27"), q("1.28"), |g| h(&max_h(g), g) - phi.clone());
    let windows = audit["gamma_max"].as_array().unwrap();
    check("gamma_max a", &windows[0], &g_a);
    check("gamma_max b", &windows[1], &g_b);
    // The cap 0.02 binds nowhere below 1/12.
    let cap = &constant("0.02")["sharp"];
    assert_eq!(cap["upper"], Value::Null);
    let twelfth = q("1/12");
    let below = Float::with_val(PREC, &twelfth * f(10f64.powi(-digits)));
    assert!(q(cap["lower"].as_str().unwrap()) >= twelfth - below);
}

#[test]
fn every_sharp_constant_matches_an_independent_computation() {
    check_against_independent_values(audit_json(), 30);
}

#[test]
fn few_digits_complete_and_enclose_the_same_values() {
    // Each run exits 0 (no threshold stopped short, every check settled) and its coarser
    // enclosures still contain the values computed here.
    for digits in [1, 3, 5, 10] {
        let audit = run_audit(Some(digits));
        assert_eq!(
            audit["ok"], true,
            "--digits {digits}: {}",
            audit["problems"]
        );
        assert_eq!(audit["digits"], digits);
        check_against_independent_values(&audit, digits as i32);
    }
}

#[test]
fn the_verdicts_follow_from_the_enclosures_and_claims() {
    let a = audit_json();
    assert_eq!(a["version"], 1);
    assert_eq!(a["ok"], true, "{}", a["problems"]);
    let verdict = |n: &str| constant(n)["verdict"].as_str().unwrap().to_string();
    assert_eq!(verdict("1.25"), "holds with slack");
    assert_eq!(verdict("1.162"), "holds with slack");
    assert_eq!(verdict("0.652"), "false");
    assert_eq!(constant("0.652")["range_verdict"], "holds with slack");
    assert_eq!(verdict("0.17"), "holds only under a condition");
    for c in a["constants"].as_array().unwrap() {
        for k in c["claims"].as_array().unwrap() {
            assert_eq!(k["ok"], true, "{k}");
        }
    }
    // Every proposition-level clause of section 5 is there.
    let ids: Vec<&str> = a["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "step1_formula",
        "p2_odd_interval",
        "p1_for_all_t",
        "p1_dimension",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for id in ["any_theta0", "almost_surely", "exists_t_k", "step2_region"] {
        assert!(ids.contains(&id), "{id}");
    }
}

/// The witness as exact values in the claim's binding order.
fn point(claim: &Claim, w: &Value) -> Vec<Rational> {
    claim
        .bindings
        .iter()
        .map(|b| w[&b.name].as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn every_witness_really_violates_its_claim() {
    let a = audit_json();
    let mut seen = 0;
    let items = a["constants"]
        .as_array()
        .unwrap()
        .iter()
        .chain(a["clauses"].as_array().unwrap());
    for item in items {
        let (Some(w), Some(name)) = (item["witness"].as_object(), item["witness_claim"].as_str())
        else {
            continue;
        };
        let c = claim(name);
        let x = point(c, &Value::Object(w.clone()));
        assert!(
            stabcert::prover::check_exact(c, &x).is_some(),
            "{name}: the witness {w:?} does not violate the claim"
        );
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} witnesses");
}

#[test]
fn a_witness_moved_back_to_the_valid_side_is_not_a_witness() {
    // The 1.162 witness fails h(u, g) < c just below the sharp value; at the stated 1.162
    // the same (u, g) satisfies the claim, so the exact check must say so.
    let c = constant("1.162");
    let claim = claim(c["witness_claim"].as_str().unwrap());
    let mut w = c["witness"].clone();
    w["c"] = Value::from("581/500");
    assert!(stabcert::prover::check_exact(claim, &point(claim, &w)).is_none());
}

#[test]
fn the_exceptional_trajectory_is_exact() {
    let a = audit_json();
    let any = a["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "any_theta0")
        .unwrap();
    let u: Rational = any["witness"]["u"].as_str().unwrap().parse().unwrap();
    let g: Rational = any["witness"]["g"].as_str().unwrap().parse().unwrap();
    let gu = Rational::from(&g * &u);
    let next = &u + gu * (1 - Rational::from(&u * &u));
    assert_eq!(next, 1, "h({u}, {g}) = {next}");
    let traj: Vec<&str> = any["trajectory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(traj[0], u.to_string());
    assert!(traj[1..].iter().all(|s| *s == "1"), "{traj:?}");
}

fn spec_file(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("spec.toml");
    let files = format!(
        "version = 1\nfiles = [{:?}, {:?}]\n",
        proofs().join("seed_statement.stab"),
        proofs().join("loss_stabilization.stab")
    );
    std::fs::write(&p, files + body).unwrap();
    p
}

#[test]
fn a_declared_verdict_that_the_claims_contradict_fails_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    // step1_invariant is true: declaring a clause false on its strength must not pass.
    let spec = spec_file(
        dir.path(),
        "[[clause]]\nid = \"x\"\ntext = \"t\"\nverdict = \"false\"\nrefuted = [\"step1_invariant\"]\n",
    );
    let out = stabcert()
        .arg("audit")
        .arg(&spec)
        .arg("--format=json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["problems"][0]
        .as_str()
        .unwrap()
        .contains("step1_invariant"));
}

#[test]
fn bad_specifications_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: &Path, extra: &[&str]| {
        let out = stabcert()
            .arg("audit")
            .arg(path)
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, err) = run(&dir.path().join("missing.toml"), &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read"), "{err}");

    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "  \n").unwrap();
    assert_eq!(run(&empty, &[]).0, Some(2));

    let binary = dir.path().join("bin.toml");
    std::fs::write(&binary, b"version = 1\n\xff\xfe\x00").unwrap();
    let (code, err) = run(&binary, &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("bin.toml:2:1") && err.contains("binary"),
        "{err}"
    );

    let syntax = dir.path().join("syntax.toml");
    std::fs::write(&syntax, "version = 1\nfiles = [\"a.stab\"\n[[clause]]\n").unwrap();
    let (code, err) = run(&syntax, &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("syntax.toml:"), "{err}");

    let unknown = spec_file(
        dir.path(),
        "[[clause]]\nid = \"x\"\ntext = \"t\"\nverdict = \"holds\"\nproved = [\"no_such_claim\"]\n",
    );
    let (code, err) = run(&unknown, &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no_such_claim"), "{err}");

    for digits in ["0", "201", "x"] {
        assert_eq!(run(&unknown, &["--digits", digits]).0, Some(2), "{digits}");
    }
}

#[test]
fn the_corrected_statement_names_only_existing_claims() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/corrected-proposition.md"),
    )
    .unwrap();
    let mut named = 0;
    for (i, part) in doc.split('`').enumerate() {
        let is_name = i % 2 == 1
            && part.contains('_')
            && part.chars().all(|c| {
                c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                    || c == '_'
                    || c == 'I'
                    || c == 'A'
                    || c == 'B'
            });
        if is_name && !part.starts_with("x_") && !part.starts_with("u_") {
            assert!(
                claims().iter().any(|c| c.name == part),
                "docs/corrected-proposition.md names `{part}`, which no proof file has"
            );
            named += 1;
        }
    }
    assert!(named >= 20, "only {named} claims named");
}
