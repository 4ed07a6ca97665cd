//! Vacuous claims, end to end: a claim whose domain is empty is `proved` with
//! `"vacuous": true` and `proved (vacuous: ...)`, unmet unless it says `expect vacuous`; a
//! thin but non-empty domain is not vacuous; a domain neither shown non-empty nor proved
//! empty is `"vacuous": "unknown"` and unmet; certificates carry and recheck the emptiness.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

/// Writes `src` as `dir/v.stab`.
fn file(dir: &TempDir, src: &str) -> PathBuf {
    let path = dir.path().join("v.stab");
    std::fs::write(&path, src).unwrap();
    path
}

/// `stabcert check ARGS... FILE` on `src`: (exit code, stdout).
fn run(src: &str, args: &[&str]) -> (i32, String) {
    let dir = TempDir::new().unwrap();
    let path = file(&dir, src);
    let out = cargo_bin_cmd!("stabcert")
        .arg("check")
        .args(args)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (out.status.code().unwrap(), stdout)
}

/// The JSON entry of the one claim in `src`, and the exit code.
fn json(src: &str) -> (i32, Value) {
    let (code, out) = run(src, &["--format", "json"]);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    (code, v["claims"][0].clone())
}

/// `claim c [expect E]: forall BODY`.
fn claim(expect: &str, body: &str) -> String {
    format!("claim c{expect}:\n  forall {body}\n")
}

/// The empty domains of the issue, with what the text report must say of each.
const EMPTY: [(&str, &str); 5] = [
    ("x in [1, 0] => x > 5", "x in [1, 0] is empty"),
    ("x in [0, 1], y in (x, x] => y > 5", "y in (x, x] is empty"),
    (
        "x in [0, 1], y in [x + 1, x] => y > 5",
        "y in [x + 1, x] is empty",
    ),
    (
        "x in [-1, 1] where x^2 < 0 => x > 5",
        "the hypothesis `x^2 < 0` never holds",
    ),
    (
        "x in [0, 1] where x > 2 => x < 0",
        "the hypothesis `x > 2` never holds",
    ),
];

#[test]
fn empty_domains_are_proved_vacuous_and_unmet_without_the_expectation() {
    for (body, why) in EMPTY {
        let src = claim("", body);
        let (code, c) = json(&src);
        assert_eq!(code, 1, "{body}: a vacuous claim expected proved is unmet");
        assert_eq!(c["verdict"], "proved", "{body}");
        assert_eq!(c["vacuous"], true, "{body}");
        assert_eq!(c["vacuous_reason"], why, "{body}");
        assert_eq!(c["met"], false, "{body}");
        let (code, text) = run(&src, &[]);
        assert_eq!(code, 1);
        let line = format!("proved (vacuous: {why}) c");
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.trim_start().starts_with(&line)),
            "{body}: {text}"
        );
        assert!(text.contains("UNMET: expected proved"), "{text}");
        assert!(text.contains("1 claim: 1 proved, 0 refuted, 0 unknown; 1 unmet"));
    }
}

#[test]
fn empty_domains_meet_expect_vacuous() {
    for (body, why) in EMPTY {
        let src = claim(" expect vacuous", body);
        let (code, c) = json(&src);
        assert_eq!(code, 0, "{body}");
        assert_eq!(
            (&c["expect"], &c["verdict"], &c["vacuous"], &c["met"]),
            (
                &"vacuous".into(),
                &"proved".into(),
                &true.into(),
                &true.into()
            ),
            "{body}"
        );
        let (code, text) = run(&src, &[]);
        assert_eq!(code, 0);
        assert!(text.contains(&format!("proved (vacuous: {why})")), "{text}");
        assert!(!text.contains("UNMET"), "{text}");
    }
}

#[test]
fn a_non_vacuous_claim_expecting_vacuous_is_unmet() {
    let src = claim(" expect vacuous", "x in [0, 1] => x <= 1");
    let (code, c) = json(&src);
    assert_eq!(code, 1);
    assert_eq!(
        (&c["verdict"], &c["vacuous"]),
        (&"proved".into(), &false.into())
    );
    assert_eq!(c["met"], false);
    let (_, text) = run(&src, &[]);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.trim_start().starts_with("proved   c")),
        "{text}"
    );
    assert!(text.contains("UNMET: expected vacuous"), "{text}");
    // Refuted is not vacuous either: its witness is a point of the domain.
    let (code, c) = json(&claim(" expect vacuous", "x in [0, 1] => x < 1"));
    assert_eq!(code, 1);
    assert_eq!(
        (&c["verdict"], &c["vacuous"]),
        (&"refuted".into(), &false.into())
    );
}

#[test]
fn thin_domains_are_not_vacuous() {
    // [x, x] is one point for every x; `where x <= 0` on [0, 1] leaves x = 0.
    for body in [
        "x in [0, 1], y in [x, x] => y <= 1",
        "x in [0, 1], y in [x^2, x^2] => y <= x",
        "x in [0, 1] where x <= 0 => x < 1/2",
        "x in [1, 1] => x >= 1",
    ] {
        let (code, c) = json(&claim("", body));
        assert_eq!(code, 0, "{body}: {c}");
        assert_eq!(
            (&c["verdict"], &c["vacuous"]),
            (&"proved".into(), &false.into())
        );
        let (code, _) = json(&claim(" expect vacuous", body));
        assert_eq!(code, 1, "{body}");
    }
}

#[test]
fn an_undecided_domain_is_unmet_either_way() {
    // The only point of the domain is sqrt(2): no rational point, and not empty.
    let body = "x in [0, 2] where x^2 >= 2, x^2 <= 2 => x > 1";
    for expect in ["", " expect vacuous"] {
        let src = claim(expect, body);
        let (code, c) = json(&src);
        assert_eq!(code, 1, "{expect}");
        assert_eq!(
            (&c["verdict"], &c["vacuous"]),
            (&"proved".into(), &"unknown".into())
        );
        let reason = c["vacuous_reason"].as_str().unwrap();
        assert!(reason.contains("no point of the domain found"), "{reason}");
        let (_, text) = run(&src, &[]);
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.trim_start().starts_with("proved (vacuity unknown) c")),
            "{text}"
        );
    }
}

#[test]
fn junit_names_the_vacuity() {
    let (code, xml) = run(&claim("", EMPTY[1].0), &["--format", "junit"]);
    assert_eq!(code, 1);
    assert!(
        xml.contains(r#"message="expected proved, got proved (vacuous: y in (x, x] is empty)""#),
        "{xml}"
    );
    let (code, xml) = run(
        &claim(" expect vacuous", "x in [0, 1] => x <= 1"),
        &["--format", "junit"],
    );
    assert_eq!(code, 1);
    assert!(
        xml.contains(r#"message="expected vacuous, got proved""#),
        "{xml}"
    );
    let (code, xml) = run(
        &claim(" expect vacuous", EMPTY[1].0),
        &["--format", "junit"],
    );
    assert_eq!(code, 0);
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn certificates_carry_the_emptiness_and_recheck() {
    let dir = TempDir::new().unwrap();
    let src: String = EMPTY
        .iter()
        .enumerate()
        .map(|(k, (body, _))| format!("claim e{k} expect vacuous: forall {body}\n"))
        .collect();
    let path = file(&dir, &src);
    let certs = dir.path().join("certs");
    cargo_bin_cmd!("stabcert")
        .args(["check", "--certificates"])
        .arg(&certs)
        .arg(&path)
        .assert()
        .code(0);
    for k in 0..EMPTY.len() {
        let cert = certs.join(format!("e{k}.cert.json"));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
        assert_eq!(v["empty_domain"], true, "e{k}");
        assert_eq!(v["proofs"], Value::Array(vec![]), "e{k}");
        // A constant empty range is seen by the kernel itself; the others carry a tree.
        assert_eq!(v.get("emptiness").is_some(), k > 0, "e{k}: {v}");
        cargo_bin_cmd!("stabcert")
            .arg("recheck")
            .arg(&cert)
            .assert()
            .code(0);
    }
}

#[test]
fn vacuous_is_a_keyword_only_after_expect() {
    let (code, c) = json("claim c: forall vacuous in [0, 1] => vacuous <= 1\n");
    assert_eq!((code, &c["vacuous"]), (0, &false.into()));
    let out = cargo_bin_cmd!("stabcert")
        .arg("check")
        .arg(file(
            &TempDir::new().unwrap(),
            "claim c expect vacuously: forall x in [0, 1] => x <= 1\n",
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("`vacuous`") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn systems_prove_edges_out_of_an_empty_region_vacuously() {
    // B = (a, b) with b = a is empty for every parameter: its edges are absent vacuously
    // (and A, B, C still partition the state space: A = (0, a], C = (a, 1)).
    let src = r#"
system s "shrink":
  params a in [1/4, 1/2], b in [a, a]
  noise g in [1, 2]
  state u in (0, 1)
  next u*g/8
  regions A = (0, a], B = (a, b), C = (b, 1)
  target A
  exceptional B
"#;
    let (code, out) = run(src, &["--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let s = &v["systems"][0];
    assert_eq!(s["holds"], true);
    let from_b: Vec<&Value> = s["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"].as_str().unwrap().starts_with("s::B->"))
        .collect();
    assert!(!from_b.is_empty());
    for c in from_b {
        assert_eq!(
            (&c["verdict"], &c["vacuous"]),
            (&"proved".into(), &true.into()),
            "{c}"
        );
    }
}
