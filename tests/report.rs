//! `stabcert report`, end to end: the files written, well-formed HTML whose references exist,
//! failures on top, exit codes, nothing written on input errors, `--reproducible`, and
//! snapshots of the Markdown and JUnit reports.

use assert_cmd::cargo::cargo_bin_cmd;
use quick_xml::events::Event;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Proved, and refuted as expected: every claim met. `p2` has two variables (a paving).
const MET_CLAIMS: &str = r#"
claim p "x stays below 2": forall x in [0, 1] => x < 2
claim p2 "a product below 1": forall x in [0, 1], y in (0, 1/2] => x*y < 1
claim r "x + y reaches 2" expect refuted:
  forall x in [0, 1], y in [0, 1]
  => x + y < 3/2
"#;
/// False on [1/2, 1]: refuted, though expected proved.
const FALSE_CLAIM: &str = "claim f \"false on [1/2, 1]\": forall x in [0, 1] => x < 1/2\n";

/// A temporary directory holding `name` with `contents`.
fn dir_with(name: &str, contents: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join(name), contents).unwrap();
    dir
}

/// Runs `stabcert report --out OUT ARGS...` in `dir`, asserts the exit code; returns stdout.
/// `stabcert report --out OUT ARGS` in `dir` (a small simulation unless ARGS sets one).
fn report(dir: &Path, out: &str, args: &[&str], code: i32) -> String {
    let small: &[&str] = match args.iter().any(|a| a.starts_with("--trajectories")) {
        true => &[],
        false => &["--trajectories", "2000"],
    };
    let run = cargo_bin_cmd!("stabcert")
        .current_dir(dir)
        .args(["report", "--out", out])
        .args(small)
        .args(args)
        .assert()
        .code(code);
    String::from_utf8(run.get_output().stdout.clone()).unwrap()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses `text` as XML; returns every `src` and `href` attribute value.
fn references_of_wellformed(text: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut refs = Vec::new();
    let mut open = Vec::new();
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => break,
            Event::Start(e) => {
                open.push(e.name().as_ref().to_vec());
                refs.extend(attribute_refs(&e));
            }
            Event::Empty(e) => refs.extend(attribute_refs(&e)),
            Event::End(e) => assert_eq!(open.pop().as_deref(), Some(e.name().as_ref())),
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    refs
}

fn attribute_refs(e: &quick_xml::events::BytesStart) -> Vec<String> {
    e.attributes()
        .map(|a| a.expect("well-formed attribute"))
        .filter(|a| matches!(a.key.as_ref(), b"src" | b"href"))
        .map(|a| a.unescape_value().unwrap().into_owned())
        .collect()
}

#[test]
fn html_is_wellformed_and_every_referenced_file_exists() {
    let dir = dir_with("met.stab", MET_CLAIMS);
    let stdout = report(dir.path(), "out", &["met.stab"], 0);
    assert!(stdout.contains("All 3 claims met"), "{stdout}");
    let out = dir.path().join("out");
    let html = read(out.join("index.html"));
    let refs = references_of_wellformed(&html);
    assert!(
        refs.iter().any(|r| r == "figures/paving-p2.svg"),
        "{refs:?}"
    );
    for r in refs.iter().filter(|r| !r.starts_with('#')) {
        assert!(!r.contains("://"), "no network: {r}");
        let file = out.join(r);
        assert!(file.is_file(), "{r} is referenced but missing");
        if r.ends_with(".svg") {
            references_of_wellformed(&read(file));
        }
    }
    for f in [
        "report.md",
        "report.json",
        "junit.xml",
        "certificates/p2.cert.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(out.join("report.json"))).unwrap();
    assert_eq!(json["ok"], true);
}

/// Every text file of the report directory `out`, with `dir` (a temporary directory, whose
/// random name could contain anything) replaced by `DIR`.
fn report_texts(out: &Path, dir: &Path) -> Vec<(PathBuf, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("certificates"))
        .map(|(p, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            (p, text.replace(dir.to_str().unwrap(), "DIR"))
        })
        .collect()
}

/// A report on a user's file, even run from the repository (where proofs/ has a case study
/// and an audit), is about that file only.
#[test]
fn a_report_on_a_users_file_is_about_that_file_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dir_with(
        "mine.stab",
        "claim mine \"a square\": forall x in [0, 1/2] => x^2 < 1/3\n",
    );
    let (file, out) = (dir.path().join("mine.stab"), dir.path().join("out"));
    let stdout = report(
        root,
        out.to_str().unwrap(),
        &["--reproducible", file.to_str().unwrap()],
        0,
    );
    assert!(stdout.contains("All 1 claim met"), "{stdout}");
    let texts = report_texts(&out, dir.path());
    let names: Vec<_> = texts.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            ".stabcert-report",
            "index.html",
            "junit.xml",
            "report.json",
            "report.md"
        ]
    );
    for (path, text) in &texts {
        let lower = text.to_lowercase();
        for word in [
            "h_γ",
            "h_g",
            "sgd",
            "proposition",
            "1.162",
            "0.65",
            "case study",
        ] {
            assert!(!lower.contains(word), "{} mentions {word}", path.display());
        }
    }
    let md = read(out.join("report.md"));
    assert!(md.contains("| mine | a square |"), "{md}");
    for heading in ["## Simulation", "## Audit", "## The proposition"] {
        assert!(!md.contains(heading), "{heading}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(out.join("report.json"))).unwrap();
    assert_eq!(json["audit"], serde_json::Value::Null);
    assert_eq!(json["simulation"], serde_json::Value::Null);
    assert!(!read(out.join("junit.xml")).contains("simulation"));
}

/// The same file with `--case-study`: the proposition, the map figure and a simulation of
/// the case study's default run (and still no audit).
#[test]
fn a_case_study_is_added_on_request() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dir_with(
        "mine.stab",
        "claim mine: forall x in [0, 1/2] => x^2 < 1/3\n",
    );
    let (file, out) = (dir.path().join("mine.stab"), dir.path().join("out"));
    let args = [
        "--reproducible",
        "--case-study",
        "proofs/case-study.toml",
        "--trajectories",
        "500",
        file.to_str().unwrap(),
    ];
    report(root, out.to_str().unwrap(), &args, 0);
    let md = read(out.join("report.md"));
    for heading in ["## The proposition", "## Simulation", "### As stated"] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(!md.contains("## Audit"));
    assert!(md.contains("1.162 θ*"), "the stated proposition");
    assert!(md.contains("| map | u + g\\*u\\*(1 - u^2) |"), "{md}");
    for f in [
        "figures/map-family.svg",
        "figures/cobweb-1.svg",
        "figures/loss.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(out.join("report.json"))).unwrap();
    assert_eq!(json["simulation"]["trajectories"], 500);
    assert_eq!(json["simulation"]["violations"], 0);
    assert_eq!(json["case_study"]["path"], "proofs/case-study.toml");
}

#[test]
fn a_bad_case_study_is_an_input_error_and_writes_nothing() {
    let dir = dir_with(
        "mine.stab",
        "claim mine: forall x in [0, 1/2] => x^2 < 1/3\n",
    );
    std::fs::write(dir.path().join("cs.toml"), "version = 1\nname = 3\n").unwrap();
    for (case_study, message) in [
        ("cs.toml", "cs.toml:2:8: "),
        ("none.toml", "none.toml: cannot read"),
    ] {
        let run = cargo_bin_cmd!("stabcert")
            .current_dir(dir.path())
            .args([
                "report",
                "--out",
                "out",
                "--case-study",
                case_study,
                "mine.stab",
            ])
            .assert()
            .code(2);
        let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        assert!(stderr.starts_with(message), "{stderr}");
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn a_broken_proof_file_shows_its_failure_at_the_top() {
    let dir = dir_with("broken.stab", &format!("{MET_CLAIMS}{FALSE_CLAIM}"));
    let stdout = report(dir.path(), "out", &["broken.stab"], 1);
    assert!(stdout.contains("FAILED: 1 claim unmet: f"), "{stdout}");
    let out = dir.path().join("out");
    let md = read(out.join("report.md"));
    let third = md.lines().nth(2).unwrap();
    assert_eq!(third, "> **FAILED**: 1 claim unmet: f");
    assert!(md.contains(
        "> - f (broken.stab:7): refuted (UNMET: expected proved) at x = 1: fails x < 1/2"
    ));
    let html = read(out.join("index.html"));
    let banner = html
        .find("class=\"banner fail\"")
        .expect("a failure banner");
    assert!(banner < html.find("<h2").unwrap(), "the banner comes first");
    assert!(read(out.join("junit.xml")).contains("<failure"));
}

#[test]
fn input_errors_write_nothing() {
    let dir = dir_with("bad.stab", "claim b: forall x in [0, 1 => x < 2\n");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/keep.txt"), "old").unwrap();
    let run = cargo_bin_cmd!("stabcert")
        .current_dir(dir.path())
        .args(["report", "--out", "out", "bad.stab"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(stderr.starts_with("bad.stab:1:"), "{stderr}");
    assert!(stderr.contains('^'), "a caret under the error: {stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary directory left: {left:?}");
    assert_eq!(read(dir.path().join("out/keep.txt")), "old");
    cargo_bin_cmd!("stabcert")
        .current_dir(dir.path())
        .args(["report", "--out", "bad.stab", "bad.stab"])
        .assert()
        .code(2);
    cargo_bin_cmd!("stabcert")
        .current_dir(dir.path())
        .args(["report", "--out", ".", "bad.stab"])
        .assert()
        .code(2);
}

/// `stabcert report --out OUT met.stab` in `dir` (no simulation): exit code and stderr.
fn report_into(dir: &Path, out: &str) -> (i32, String) {
    let run = cargo_bin_cmd!("stabcert")
        .current_dir(dir)
        .args(["report", "--trajectories", "0", "--out", out, "met.stab"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    (run.status.code().unwrap(), stderr)
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_directory_the_report_did_not_write_is_never_replaced() {
    let dir = dir_with("met.stab", MET_CLAIMS);
    // A directory of the user's files (say the proofs themselves): refused, untouched.
    std::fs::create_dir(dir.path().join("proofs")).unwrap();
    std::fs::write(dir.path().join("proofs/mine.stab"), MET_CLAIMS).unwrap();
    let (code, stderr) = report_into(dir.path(), "proofs");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--out proofs:") && stderr.contains("not a stabcert report"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mine.stab"),
        "names what it holds: {stderr}"
    );
    assert_eq!(names_in(&dir.path().join("proofs")), ["mine.stab"]);
    assert_eq!(read(dir.path().join("proofs/mine.stab")), MET_CLAIMS);
    // A file: refused, untouched.
    std::fs::write(dir.path().join("notes"), "keep").unwrap();
    let (code, stderr) = report_into(dir.path(), "notes");
    assert_eq!(code, 2);
    assert!(stderr.contains("not a directory"), "{stderr}");
    assert_eq!(read(dir.path().join("notes")), "keep");
    // Nothing else was written next to them (no report, no temporary directory).
    assert_eq!(names_in(dir.path()), ["met.stab", "notes", "proofs"]);
}

#[test]
fn an_empty_directory_or_a_previous_report_is_replaced() {
    let dir = dir_with("met.stab", MET_CLAIMS);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(report_into(dir.path(), "empty").0, 0);
    let marker = dir.path().join("empty/.stabcert-report");
    assert!(read(marker).starts_with("stabcert report "));
    // Run again into the report just written, and into a new directory.
    std::fs::write(dir.path().join("empty/stale.txt"), "x").unwrap();
    assert_eq!(report_into(dir.path(), "empty").0, 0);
    assert!(!dir.path().join("empty/stale.txt").exists());
    assert!(dir.path().join("empty/index.html").is_file());
    assert_eq!(report_into(dir.path(), "new/nested").0, 0);
    assert!(dir.path().join("new/nested/.stabcert-report").is_file());
    // With its marker removed, a report directory is the user's: refused.
    std::fs::remove_file(dir.path().join("empty/.stabcert-report")).unwrap();
    let before = tree(&dir.path().join("empty"));
    assert_eq!(report_into(dir.path(), "empty").0, 2);
    assert_eq!(tree(&dir.path().join("empty")), before);
}

/// Every file under `root`, relative, with its bytes, sorted.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// The case study of `proofs/`, by an absolute path.
const CASE_STUDY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proofs/case-study.toml");

#[test]
fn reproducible_reports_are_byte_identical_and_replace_the_old_one() {
    let dir = dir_with("met.stab", MET_CLAIMS);
    let args = ["--reproducible", "--case-study", CASE_STUDY, "met.stab"];
    report(dir.path(), "a", &args, 0);
    let mut one_thread = args.to_vec();
    one_thread.extend(["-j", "1"]);
    report(dir.path(), "b", &one_thread, 0);
    let (a, b) = (tree(&dir.path().join("a")), tree(&dir.path().join("b")));
    assert!(a.len() >= 13, "the simulation's figures too: {}", a.len());
    assert_eq!(a, b);
    let md = String::from_utf8(
        a.iter()
            .find(|(p, _)| p == Path::new("report.md"))
            .unwrap()
            .1
            .clone(),
    );
    assert!(!md.unwrap().contains(" ms |"), "no timings");
    // Writing again over `a` replaces it as a whole.
    std::fs::write(dir.path().join("a/stale.txt"), "x").unwrap();
    report(dir.path(), "a", &["--reproducible", "met.stab"], 0);
    assert!(!dir.path().join("a/stale.txt").exists());
}

/// The report's text with the line naming the machine's rustc replaced.
fn machine_independent(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| match l.starts_with("| rustc ") {
            true => "| rustc (redacted) |",
            false => l,
        })
        .collect();
    lines.join("\n") + "\n"
}

#[test]
fn markdown_and_junit_snapshots() {
    let dir = dir_with("broken.stab", &format!("{MET_CLAIMS}{FALSE_CLAIM}"));
    report(dir.path(), "out", &["--reproducible", "broken.stab"], 1);
    let out = dir.path().join("out");
    insta::assert_snapshot!(
        "report_md",
        machine_independent(&read(out.join("report.md")))
    );
    insta::assert_snapshot!("junit_xml", read(out.join("junit.xml")));
}

/// The default report (paths `proofs/`) finds the case study and the audit there.
#[test]
fn the_loss_stabilization_proofs_give_a_full_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("r");
    let stdout = report(root, out.to_str().unwrap(), &["--reproducible"], 0);
    assert!(stdout.contains(" claims met; 1 system holds"), "{stdout}");
    // The audit ran, with its corrected statement and errata.
    let json: serde_json::Value = serde_json::from_str(&read(out.join("report.json"))).unwrap();
    assert_eq!(json["audit"]["ok"], true);
    assert_eq!(json["simulation"]["trajectories"], 2000);
    assert_eq!(json["simulation"]["violations"], 0);
    let html = read(out.join("index.html"));
    assert!(html.contains("The loss-stabilization proposition, corrected"));
    assert!(html.contains("1.25033885316993177642766261751"));
    let md = read(out.join("report.md"));
    for heading in [
        "## The proposition",
        "### As stated",
        "## Simulation",
        "## Audit",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(
        md.contains("θ_{t+2k+1} ∈ ((1 − ε₀) θ*, 1.162 θ*)"),
        "the stated proposition"
    );
    for f in [
        "figures/graph-sgd.svg",
        "figures/map-family.svg",
        "figures/cobweb-1.svg",
        "figures/paving-step2.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let row = md
        .lines()
        .find(|l| l.starts_with("| step3_expand |"))
        .unwrap();
    assert!(
        row.contains("| proved |") && row.contains("| ok ("),
        "{row}"
    );
    assert!(!md.contains("rejected"));
}
