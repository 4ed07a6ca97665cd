//! The `stabcert check` contract, end to end: exit codes, diagnostics, JSON, JUnit, `--output`.
//!
//! Claims are small `.stab` files written to a temporary directory.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use predicates::prelude::*;
use rug::Rational;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// False on [1/2, 1]: refuted, though expected proved.
const FALSE_CLAIM: &str = "claim f: forall x in [0, 1] => x < 1/2\n";
/// Proved, and refuted as expected: every claim met.
const MET_CLAIMS: &str = r#"
claim p "x stays below 2": forall x in [0, 1] => x < 2
claim r "x + y reaches 2" expect refuted:
  forall x in [0, 1], y in [0, 1]
  => x + y < 3/2
"#;

fn stabcert() -> Command {
    cargo_bin_cmd!("stabcert")
}

/// Writes `contents` to `dir/name` and returns its path.
fn write(dir: &TempDir, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Runs `stabcert check ARGS... PATH` and asserts the exit status; returns stdout.
fn check(args: &[&str], path: &Path, code: i32) -> String {
    let out = stabcert()
        .arg("check")
        .args(args)
        .arg(path)
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Runs `stabcert ARGS...`, asserts exit 2 with a message and no panic; returns stderr.
fn input_error(args: &[&str]) -> String {
    let out = stabcert()
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::is_empty().not())
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).expect("stdout is JSON")
}

// ---- exit status 0 and 1 ----

#[test]
fn the_example_proofs_are_all_met() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs/examples.stab");
    check(&[], &examples, 0);
}

#[test]
fn met_claims_exit_0_with_a_summary() {
    let dir = TempDir::new().unwrap();
    let stdout = check(&[], &write(&dir, "met.stab", MET_CLAIMS), 0);
    assert!(
        stdout.contains("2 claims: 1 proved, 1 refuted, 0 unknown; 0 unmet"),
        "{stdout}"
    );
}

#[test]
fn a_false_claim_expected_proved_exits_1() {
    let dir = TempDir::new().unwrap();
    let stdout = check(&[], &write(&dir, "f.stab", FALSE_CLAIM), 1);
    let claim = stdout.lines().nth(1).unwrap();
    assert!(
        claim.trim_start().starts_with("refuted") && claim.contains("UNMET"),
        "{stdout}"
    );
    assert!(stdout.contains("x = "), "the witness is shown: {stdout}");
    assert!(stdout.contains("1 unmet"), "{stdout}");
}

#[test]
fn a_directory_is_searched_for_stab_files() {
    let dir = TempDir::new().unwrap();
    write(&dir, "met.stab", MET_CLAIMS);
    write(&dir, "notes.txt", "not a claim file");
    check(&[], dir.path(), 0);
}

#[test]
fn verdicts_do_not_depend_on_jobs() {
    // The whole proof directory: verdicts, witnesses, box counts and system graphs alike.
    let run = |jobs: &str| {
        let report = json_of(&check(
            &["--format", "json", "--jobs", jobs],
            Path::new("proofs"),
            0,
        ));
        let claims: Vec<Value> = report["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| serde_json::json!([c["name"], c["verdict"], c["witness"], c["boxes"]]))
            .collect();
        (claims, report["systems"][0]["edges"].clone())
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

#[test]
fn systems_write_their_graph_and_fail_on_an_unaccounted_cycle() {
    let dir = TempDir::new().unwrap();
    let graphs = dir.path().join("graphs");
    let out = check(
        &["--graph", graphs.to_str().unwrap()],
        Path::new("proofs/loss_stabilization.stab"),
        0,
    );
    assert!(out.contains("system sgd: holds"), "{out}");
    let svg = std::fs::read_to_string(graphs.join("sgd.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("I0"), "{svg}");
    let dot = std::fs::read_to_string(graphs.join("sgd.dot")).unwrap();
    assert!(
        dot.contains("I1 -> I4;") && !dot.contains("I1 -> I2;"),
        "{dot}"
    );
    // Without `exceptional Ione`, the fixed point u = 1 is an unaccounted cycle: exit 1.
    let src = std::fs::read_to_string("proofs/loss_stabilization.stab").unwrap();
    let path = write(&dir, "no_exc.stab", src.replace("  exceptional Ione\n", ""));
    let out = check(&[], &path, 1);
    assert!(
        out.contains("system sgd: FAILS") && out.contains("{Ione}"),
        "{out}"
    );
}

// ---- exit status 2: input and usage errors ----

#[test]
fn a_missing_file_is_an_input_error() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("missing.stab");
    let stderr = input_error(&["check", missing.to_str().unwrap()]);
    assert!(stderr.contains("missing.stab"), "{stderr}");
}

#[test]
fn a_syntax_error_is_reported_at_file_line_col() {
    let dir = TempDir::new().unwrap();
    let bad = write(
        &dir,
        "bad.stab",
        "let a = 1\nclaim f: forall x in [0, 1] => x < < a\n",
    );
    let stderr = input_error(&["check", bad.to_str().unwrap()]);
    let at = predicate::str::is_match(r"bad\.stab:\d+:\d+: ").unwrap();
    assert!(at.eval(&stderr), "{stderr}");
    assert!(
        stderr.contains('^'),
        "a caret under the offending line: {stderr}"
    );
}

#[test]
fn an_empty_file_is_an_input_error() {
    let dir = TempDir::new().unwrap();
    let empty = write(&dir, "empty.stab", "");
    input_error(&["check", empty.to_str().unwrap()]);
}

#[test]
fn a_binary_file_is_an_input_error() {
    let dir = TempDir::new().unwrap();
    let binary = write(
        &dir,
        "binary.stab",
        [0u8, 159, 146, 150, 0xff, 0, 1, 2, b'\n'],
    );
    input_error(&["check", binary.to_str().unwrap()]);
}

#[test]
fn out_of_range_budgets_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "f.stab", FALSE_CLAIM);
    let path = path.to_str().unwrap();
    let bad: [&[&str]; 8] = [
        &["--max-boxes", "0"],
        &["--max-boxes", "-5"],
        &["--jobs", "0"],
        &["--jobs", "100000"],
        &["--timeout", "-1"],
        &["--timeout", "NaN"],
        &["--timeout", "1e9"],
        &["--format", "xml"],
    ];
    for flags in bad {
        let stderr = input_error(&[&["check"], flags, &[path]].concat());
        assert!(stderr.contains(flags[0]), "{flags:?}: {stderr}");
    }
}

#[test]
fn help_and_version_exit_0() {
    stabcert()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("stabcert"));
    stabcert()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--max-boxes"));
}

// ---- JSON ----

#[test]
fn json_has_the_documented_shape() {
    let dir = TempDir::new().unwrap();
    let report = json_of(&check(
        &["--format", "json"],
        &write(&dir, "met.stab", MET_CLAIMS),
        0,
    ));
    assert_eq!(report["version"], 1);
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 2);
    for claim in claims {
        for key in [
            "file",
            "name",
            "description",
            "expect",
            "verdict",
            "witness",
            "boxes",
            "millis",
        ] {
            assert!(claim.get(key).is_some(), "missing {key} in {claim}");
        }
        assert!(claim["file"].as_str().unwrap().ends_with("met.stab"));
        assert!(
            claim["boxes"].is_u64() && claim["millis"].is_number(),
            "{claim}"
        );
    }
    assert_eq!(claims[0]["name"], "p");
    assert_eq!(claims[0]["description"], "x stays below 2");
    assert_eq!(claims[0]["verdict"], "proved");
    assert!(claims[0]["witness"].is_null());
    assert_eq!(claims[1]["expect"], "refuted");
    assert_eq!(claims[1]["verdict"], "refuted");
    let summary = &report["summary"];
    let counts = ["proved", "refuted", "unknown", "unmet"].map(|k| summary[k].as_u64().unwrap());
    assert_eq!(counts, [1, 1, 0, 0]);
}

#[test]
fn json_witnesses_are_exact_rationals_in_binding_order() {
    let dir = TempDir::new().unwrap();
    let stdout = check(
        &["--format", "json"],
        &write(&dir, "met.stab", MET_CLAIMS),
        0,
    );
    let witness = json_of(&stdout)["claims"][1]["witness"].clone();
    let exact = predicate::str::is_match(r"^-?\d+(/\d+)?$").unwrap();
    for var in ["x", "y"] {
        let value = witness[var]
            .as_str()
            .unwrap_or_else(|| panic!("{var} in {witness}"));
        assert!(exact.eval(value), "{var} = {value}");
    }
    let (x, y) = (
        stdout.find(r#""x": "#).unwrap(),
        stdout.find(r#""y": "#).unwrap(),
    );
    assert!(x < y, "witness variables in binding order: {stdout}");
}

#[test]
fn json_counts_an_unmet_claim() {
    let dir = TempDir::new().unwrap();
    let report = json_of(&check(
        &["--format", "json"],
        &write(&dir, "f.stab", FALSE_CLAIM),
        1,
    ));
    assert_eq!(report["claims"][0]["verdict"], "refuted");
    assert!(report["claims"][0]["witness"]["x"].is_string());
    assert_eq!(report["summary"]["unmet"], 1);
}

// ---- JUnit ----

#[test]
fn junit_reports_an_unmet_claim_as_a_failure() {
    let dir = TempDir::new().unwrap();
    write(&dir, "f.stab", FALSE_CLAIM);
    write(&dir, "met.stab", MET_CLAIMS);
    let xml = check(&["--format", "junit"], dir.path(), 1);
    assert!(xml.starts_with("<?xml"), "{xml}");
    for tag in ["testsuites", "testsuite", "testcase"] {
        let opened = xml.matches(&format!("<{tag} ")).count();
        assert_eq!(
            opened,
            xml.matches(&format!("</{tag}>")).count(),
            "<{tag}> balanced: {xml}"
        );
    }
    assert_eq!(
        xml.matches("<testsuite ").count(),
        2,
        "one testsuite a file: {xml}"
    );
    assert_eq!(
        xml.matches("<testcase ").count(),
        3,
        "one testcase a claim: {xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains(r#"<testcase name="f""#), "{xml}");
    assert!(xml.contains("expected proved, got refuted"), "{xml}");
}

// ---- --output ----

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "met.stab", MET_CLAIMS);
    let out = dir.path().join("report.json");
    let stdout = check(
        &["--format", "json", "--output", out.to_str().unwrap()],
        &path,
        0,
    );
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(
        json_of(&std::fs::read_to_string(&out).unwrap())["version"],
        1
    );
}

#[test]
fn a_failed_run_leaves_an_existing_output_file_alone() {
    let dir = TempDir::new().unwrap();
    let bad = write(&dir, "bad.stab", "claim f: forall x in [0, 1] =>\n");
    let out = write(&dir, "report.json", "previous report\n");
    input_error(&[
        "check",
        "--output",
        out.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report\n");
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["bad.stab", "report.json"],
        "no temporary file left behind"
    );
}

// ---- certificates ----

#[test]
fn certificates_recheck_and_tampering_is_caught() {
    let dir = TempDir::new().unwrap();
    let certs = dir.path().join("certs");
    check(
        &["--certificates", certs.to_str().unwrap()],
        Path::new("proofs"),
        0,
    );
    let step = certs.join("step4_odd.cert.json");
    assert!(step.exists());
    let ok = stabcert()
        .arg("recheck")
        .arg(&certs)
        .args(["--against", "proofs"])
        .assert()
        .code(0);
    let out = String::from_utf8(ok.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("0 rejected") && out.contains("kernel:"),
        "{out}"
    );
    // A false conclusion (h < 1 on I1) must not recheck.
    let text = std::fs::read_to_string(&step).unwrap();
    let forged = write(
        &dir,
        "forged.cert.json",
        text.replace("\"581/500\"", "\"1\""),
    );
    let out = stabcert().arg("recheck").arg(&forged).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("REJECTED"));
    // A proof file edited after its certificates were made is caught by --against.
    let src = std::fs::read_to_string("proofs/examples.stab").unwrap();
    let edited = write(
        &dir,
        "edited.stab",
        src.replace("=> 1 + e < h(u, g)", "=> 1 + e/2 < h(u, g)"),
    );
    let out = stabcert()
        .arg("recheck")
        .arg(&step)
        .arg("--against")
        .arg(&edited)
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("stale: claim `step4_odd`"));
    // Garbage is a rejected certificate.
    let junk = write(&dir, "junk.cert.json", "not json");
    let out = stabcert().arg("recheck").arg(&junk).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("unreadable"));
}

// ---- text output, unknown reasons, timeouts ----

#[test]
fn text_output_groups_the_claims_under_their_file() {
    let dir = TempDir::new().unwrap();
    write(&dir, "a.stab", "claim pa: forall x in [0, 1] => x < 2\n");
    write(&dir, "b.stab", MET_CLAIMS);
    let stdout = check(&[], dir.path(), 0);
    let lines: Vec<&str> = stdout.lines().collect();
    let header = |name: &str| {
        let at = lines.iter().position(|l| l.ends_with(&format!("{name}:")));
        at.unwrap_or_else(|| panic!("no header for {name}: {stdout}"))
    };
    let (a, b) = (header("a.stab"), header("b.stab"));
    let claim = |name: &str| {
        let at = lines
            .iter()
            .position(|l| l.split_whitespace().nth(1) == Some(name));
        at.unwrap_or_else(|| panic!("no line for {name}: {stdout}"))
    };
    assert!(a < claim("pa") && claim("pa") < b, "{stdout}");
    assert!(b < claim("p") && claim("p") < claim("r"), "{stdout}");
    assert!(
        lines[a].starts_with(dir.path().to_str().unwrap()),
        "the header is the file's path: {stdout}"
    );
}

/// The `reason` of the only claim of a JSON report.
fn reason_of(stdout: &str) -> String {
    let report = json_of(stdout);
    assert_eq!(report["claims"][0]["verdict"], "unknown", "{stdout}");
    report["claims"][0]["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("an unknown has a reason: {stdout}"))
        .to_string()
}

#[test]
fn a_reason_says_the_box_in_the_claims_own_variables() {
    // `s` has a dependent end, so the prover works in `t = s / sqrt(r)`; the conclusion is
    // tight at that irrational end, where the search stops.
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "dep.stab",
        "claim dep: forall r in [0, 1], s in [0, sqrt(r)] => s^2 <= r\n",
    );
    let reason = reason_of(&check(
        &["--format", "json", "--max-boxes", "3000"],
        &path,
        1,
    ));
    assert!(!reason.contains("t_"), "{reason}");
    assert!(
        reason.starts_with("`s^2 <= r`: box budget exhausted"),
        "{reason}"
    );
    assert!(reason.contains("r in ["), "{reason}");
    assert!(reason.contains("s = sqrt(r) (its upper end"), "{reason}");
    assert!(reason.contains("`s in [0, 1] where s^2 <= r`"), "{reason}");
}

#[test]
fn an_irrational_end_gets_a_remedy_that_works() {
    let dir = TempDir::new().unwrap();
    // An end +-k*sqrt(r) is an exact condition (x^2 >= 2 here): decided.
    let path = write(
        &dir,
        "irr.stab",
        "claim irr: forall x in [sqrt(2), 2] => x^2 >= 2\n",
    );
    check(&[], &path, 0);
    // Other irrational ends are named, with a remedy that works.
    let path = write(
        &dir,
        "irr1.stab",
        "claim irr1: forall x in [sqrt(2) + 1, 3] => (x - 1)^2 >= 2\n",
    );
    let reason = reason_of(&check(&["--format", "json"], &path, 1));
    assert!(
        reason.contains("at x = sqrt(2) + 1 (its lower end")
            && reason.contains("hint: the lower end of `x`, sqrt(2) + 1, is irrational"),
        "{reason}"
    );
    // The claim as the hint says (a rational end, the bound as a polynomial hypothesis).
    let fixed = write(
        &dir,
        "fixed.stab",
        "claim fixed: forall x in [2, 3] where (x - 1)^2 >= 2 => (x - 1)^2 >= 2\n",
    );
    check(&[], &fixed, 0);
}

#[test]
fn a_timeout_is_honoured_promptly_in_a_long_search() {
    // AM-GM in 16 variables, tight on the whole diagonal: the search is long. Expanding
    // the power exactly used to take tens of seconds before the deadline was looked at.
    let vars: Vec<String> = (0..16).map(|i| format!("x{i}")).collect();
    let bindings: Vec<String> = vars.iter().map(|v| format!("{v} in [0, 1]")).collect();
    let src = format!(
        "claim amgm: forall {}\n  => (({})/16)^16 >= {}\n",
        bindings.join(", "),
        vars.join(" + "),
        vars.join("*")
    );
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "amgm.stab", src);
    let out = stabcert()
        .args(["check", "--format", "json", "--timeout", "0.5"])
        .arg(&path)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let reason = reason_of(&stdout);
    assert!(
        reason.contains("`: timeout; unresolved box: x0 in ["),
        "{reason}"
    );
}

#[test]
fn a_chain_of_doubling_defs_gets_the_size_message() {
    // Each def doubles the size through its last `+`: that sum passes the limit.
    let mut src = String::from("def a0(x) = x + x\n");
    for i in 1..20 {
        src += &format!("def a{i}(x) = a{j}(x) + a{j}(x)\n", j = i - 1);
    }
    src += "claim c: forall x in [0, 1] => a19(x) >= 0\n";
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "chain.stab", src);
    let stderr = input_error(&["check", path.to_str().unwrap()]);
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(
        stderr.contains(
            "chain.stab:17:21: expression too large: more than 200000 nodes after expanding \
             lets and defs\ndef a16(x) = a15(x) + a15(x)\n                    ^"
        ),
        "{stderr}"
    );
}

#[test]
fn transcendental_functions_outside_their_domain_are_refused_as_proofs() {
    let dir = TempDir::new().unwrap();
    let src = "claim log0: forall x in [0, 1] => log(x) <= x\n\
               claim asin2: forall x in [0, 2] => asin(x) <= 2\n\
               claim pow0: forall x in [-1, 1] => pow(x, 2) >= 0\n\
               claim fine: forall x in [1/100, 1] => log(x) <= x\n";
    let stdout = check(&["--format", "json"], &write(&dir, "t.stab", src), 1);
    let report = json_of(&stdout);
    let verdict = |i: usize| report["claims"][i]["verdict"].as_str().unwrap().to_string();
    let failing = |i: usize| {
        report["claims"][i]["failing"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    for i in 0..3 {
        assert_eq!(verdict(i), "refuted", "{stdout}");
    }
    assert_eq!(report["claims"][0]["witness"]["x"], "0", "{stdout}");
    assert!(failing(0).contains("log(x)"), "{stdout}");
    let w = report["claims"][1]["witness"]["x"].as_str().unwrap();
    let w: Rational = w.parse().unwrap();
    assert!(w > 1, "asin is undefined only beyond 1: {w}");
    let w: Rational = report["claims"][2]["witness"]["x"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(w <= 0, "pow needs x > 0: {w}");
    assert_eq!(verdict(3), "proved", "{stdout}");
}
