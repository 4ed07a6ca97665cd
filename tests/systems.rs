//! A system's regions must partition its state space: `stabcert check` on the fixtures of
//! `tests/fixtures/systems/`, end to end.
//!
//! Each bad fixture is a system whose edges and cycles all check out; only its regions are
//! wrong (a gap, an overlap, the map's fixed point left out, the target mapped into a gap).
//! The witnesses the tool prints are re-checked here in exact rationals against the
//! fixture's regions and map, written out again below, independently of the tool.

use assert_cmd::cargo::cargo_bin_cmd;
use rug::Rational;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/systems")
        .join(name)
}

/// `stabcert check ARGS FILE`: asserts the exit status, returns stdout.
fn check(file: &str, args: &[&str], code: i32) -> String {
    let out = cargo_bin_cmd!("stabcert")
        .arg("check")
        .arg(fixture(file))
        .args(args)
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The only system of `file`, from `--format json`.
fn system_json(file: &str, code: i32) -> Value {
    let out = check(file, &["--format", "json"], code);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["systems"].as_array().unwrap().len(), 1, "{out}");
    v["systems"][0].clone()
}

fn q(s: &str) -> Rational {
    s.parse()
        .unwrap_or_else(|_| panic!("not an exact rational: {s:?}"))
}

/// An interval `lo..hi` with open or closed ends.
struct Iv {
    lo: Rational,
    lo_closed: bool,
    hi: Rational,
    hi_closed: bool,
}

fn iv(lb: char, lo: &str, hi: &str, rb: char) -> Iv {
    Iv {
        lo: q(lo),
        lo_closed: lb == '[',
        hi: q(hi),
        hi_closed: rb == ']',
    }
}

impl Iv {
    fn contains(&self, x: &Rational) -> bool {
        let above = *x > self.lo || (self.lo_closed && *x == self.lo);
        let below = *x < self.hi || (self.hi_closed && *x == self.hi);
        above && below
    }
}

/// The regions containing `x`, by index.
fn containing(regions: &[Iv], x: &Rational) -> Vec<usize> {
    (0..regions.len())
        .filter(|&i| regions[i].contains(x))
        .collect()
}

/// The single finding of `kind`, its claim name and its witness as exact values by name.
fn finding(sys: &Value, kind: &str) -> (String, Vec<(String, Rational)>) {
    assert_eq!(sys["partition"]["proved"], false);
    let found: Vec<&Value> = sys["partition"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect();
    assert!(!found.is_empty(), "no {kind} found: {sys:#}");
    let f = found[0];
    let witness = f["witness"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), q(v.as_str().unwrap())))
        .collect();
    (f["claim"].as_str().unwrap().to_string(), witness)
}

fn value(w: &[(String, Rational)], name: &str) -> Rational {
    w.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the witness {w:?}"))
        .1
        .clone()
}

/// The generated claim `name` as the JSON reports it.
fn claim<'a>(sys: &'a Value, name: &str) -> &'a Value {
    sys["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no generated claim {name}: {sys:#}"))
}

/// The text report fails the system and prints the problem with the witness's state value.
fn assert_text_names(file: &str, system: &str, problem: &str, claim: &str, state: &Rational) {
    let text = check(file, &[], 1);
    assert!(text.contains(&format!("system {system}: FAILS")), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("problem:") && l.contains(problem))
        .unwrap_or_else(|| panic!("no problem line with {problem:?}: {text}"));
    assert!(line.contains(claim), "{line}");
    assert!(line.contains(&format!("y = {state}")), "{line}");
}

#[test]
fn a_gap_between_the_regions_fails_the_system_with_a_state_in_no_region() {
    let sys = system_json("gap.stab", 1);
    assert_eq!(sys["holds"], false);
    let (name, w) = finding(&sys, "gap");
    assert_eq!(name, "gap::cover:C,F");
    assert_eq!(claim(&sys, &name)["verdict"], "refuted");
    let y = value(&w, "y");
    let state = iv('[', "0", "1", ']');
    let regions = [iv('[', "0", "1/4", ']'), iv('[', "3/4", "1", ']')];
    assert!(
        state.contains(&y) && containing(&regions, &y).is_empty(),
        "y = {y}"
    );
    assert_text_names("gap.stab", "gap", "gap", &name, &y);
}

#[test]
fn overlapping_regions_fail_the_system_with_a_state_in_both() {
    let sys = system_json("overlap.stab", 1);
    assert_eq!(sys["holds"], false);
    let (name, w) = finding(&sys, "overlap");
    assert_eq!(name, "overlap::disjoint:C,F");
    assert_eq!(claim(&sys, &name)["verdict"], "refuted");
    let y = value(&w, "y");
    let regions = [iv('[', "0", "3/5", ']'), iv('[', "2/5", "1", ']')];
    assert_eq!(containing(&regions, &y), [0, 1], "y = {y}");
    assert_text_names("overlap.stab", "overlap", "overlap", &name, &y);
}

#[test]
fn a_fixed_point_left_out_of_the_regions_fails_the_system() {
    let sys = system_json("uncovered_fixed_point.stab", 1);
    assert_eq!(sys["holds"], false);
    let (name, w) = finding(&sys, "gap");
    assert_eq!(name, "fixed::cover:C,F");
    // The regions leave out exactly y = 1/2, the fixed point of y -> (1 + g)/2 - g*y.
    let y = value(&w, "y");
    assert_eq!(y, q("1/2"));
    let regions = [iv('[', "0", "1/2", ')'), iv('(', "1/2", "1", ']')];
    assert!(containing(&regions, &y).is_empty());
    for g in ["9/10", "1"] {
        let g = q(g);
        let next = (Rational::from(1) + &g) / 2 - g * &y;
        assert_eq!(next, y);
    }
    assert_text_names("uncovered_fixed_point.stab", "fixed", "gap", &name, &y);
}

#[test]
fn a_target_mapped_into_a_gap_fails_the_system_with_the_state_and_its_image() {
    let sys = system_json("image_gap.stab", 1);
    assert_eq!(sys["holds"], false);
    let regions = [iv('[', "0", "3/10", ']'), iv('[', "3/5", "1", ']')];
    let (gap, w) = finding(&sys, "gap");
    assert_eq!(gap, "image_gap::cover:C,F");
    assert!(containing(&regions, &value(&w, "y")).is_empty());
    // The image: a state of F whose image 0.9 - g*y lies in no region, for a noise value g
    // in [0.8 - a, 0.8] and a parameter a in [0, 0.1].
    let (name, w) = finding(&sys, "image");
    assert_eq!(name, "image_gap::F->cover:C,F");
    assert_eq!(claim(&sys, &name)["verdict"], "refuted");
    let (a, g, y) = (value(&w, "a"), value(&w, "g"), value(&w, "y"));
    assert!(iv('[', "0", "1/10", ']').contains(&a), "a = {a}");
    assert!(
        iv('[', "0", "4/5", ']').contains(&g) && g >= q("4/5") - &a,
        "g = {g}"
    );
    assert!(regions[1].contains(&y), "y = {y}");
    let next = q("9/10") - g * &y;
    assert!(containing(&regions, &next).is_empty(), "next = {next}");
    let text = check("image_gap.stab", &[], 1);
    let line = text
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("F is mapped into a gap"), "{line}");
    assert!(line.contains(&format!("y = {y} to {next}")), "{line}");
}

#[test]
fn a_partition_written_out_of_order_holds_and_its_claims_are_certified() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().to_str().unwrap();
    let text = check("partition.stab", &["--certificates", certs], 0);
    assert!(text.contains("system partition: holds"), "{text}");
    let sys = system_json("partition.stab", 0);
    assert_eq!(sys["holds"], true);
    assert_eq!(sys["partition"]["proved"], true);
    assert_eq!(sys["partition"]["findings"], Value::Array(vec![]));
    let order = ["L", "M", "P", "N", "H"];
    assert_eq!(sys["partition"]["order"], serde_json::json!(order));
    assert!(
        text.contains("partition: L < M < P < N < H cover the state space"),
        "{text}"
    );
    // Sorted: L = [0, a], M = (a, 1/2), P = [1/2, 1/2], N = (1/2, 1 - a), H = [1 - a, 1].
    for name in ["start", "L,M", "M,P", "P,N", "N,H", "end"] {
        let name = format!("partition::cover:{name}");
        assert_eq!(claim(&sys, &name)["verdict"], "proved", "{name}");
        let stem = stabcert::cert::file_stem(&name);
        assert!(
            dir.path().join(format!("{stem}.cert.json")).exists(),
            "no certificate for {name}"
        );
    }
    let regions = ["H", "M", "L", "P", "N"];
    for (i, a) in regions.iter().enumerate() {
        for b in &regions[i + 1..] {
            let decided = ["", ":below", ":above"]
                .iter()
                .filter_map(|k| {
                    let name = format!("partition::disjoint:{a},{b}{k}");
                    sys["claims"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|c| c["name"] == name.as_str())
                })
                .any(|c| c["verdict"] == "proved");
            assert!(decided, "{a}, {b} not proved disjoint");
        }
    }
}

#[test]
fn certificates_of_a_failing_partition_are_all_recognised_by_recheck() {
    // Where a gap is found, the image claims (`SYS::R->cover:...`) are generated too; those
    // proved get certificates, and a recheck against the same file must know their statements
    // (it reports the system as not following, but rejects no certificate).
    let dir = tempfile::tempdir().unwrap();
    check(
        "image_gap.stab",
        &["--certificates", dir.path().to_str().unwrap()],
        1,
    );
    let out = cargo_bin_cmd!("stabcert")
        .arg("recheck")
        .arg("--against")
        .arg(fixture("image_gap.stab"))
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("->cover:"),
        "no image claim certified: {text}"
    );
    assert!(!text.contains("REJECTED"), "{text}");
    assert!(text.contains("FAILS     system image_gap"), "{text}");
    assert_eq!(out.status.code(), Some(1), "{text}");
}
