//! Sharded runs end to end: `stabcert check --shard K/N` on separate processes, then
//! `stabcert merge`, compared with one run of the same files (timings aside).
//!
//! The files: the SGD proof (claims and the system `sgd`), the documented examples, and a
//! temporary file with a false claim (so the JUnit and text reports have a failure and every
//! run exits 1).

use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const PROOFS: [&str; 2] = ["proofs/loss_stabilization.stab", "proofs/examples.stab"];

/// Refuted (at x = 1/2) though expected proved: unmet.
const FALSE_CLAIM: &str = "claim half \"x stays below 1/2\": forall x in [0, 1] => x < 1/2\n";

fn stabcert() -> Command {
    cargo_bin_cmd!("stabcert")
}

/// The proof files and a file with a false claim in `dir`.
fn files(dir: &TempDir) -> Vec<PathBuf> {
    let unmet = dir.path().join("unmet.stab");
    std::fs::write(&unmet, FALSE_CLAIM).unwrap();
    PROOFS.iter().map(PathBuf::from).chain([unmet]).collect()
}

/// Runs `stabcert ARGS...`, asserts the exit status, returns stdout.
fn run(args: &[&str], paths: &[PathBuf], code: i32) -> String {
    let out = stabcert().args(args).args(paths).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Runs `stabcert ARGS...` expecting a usage or input error: exit 2, a message, no panic.
fn input_error(args: &[&str]) -> String {
    let out = stabcert()
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::is_empty().not())
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Runs shards `1/n` to `n/n` at the same time, one process each, writing
/// `dir/shard-K.json` and certificates into `dir/certs-K`; returns the JSON files.
fn run_shards(dir: &Path, n: usize, paths: &[PathBuf]) -> Vec<PathBuf> {
    let children: Vec<_> = (1..=n)
        .map(|k| {
            let json = dir.join(format!("shard-{k}.json"));
            let child = std::process::Command::new(cargo_bin!("stabcert"))
                .args(["check", "--format", "json", "-o"])
                .arg(&json)
                .arg("--certificates")
                .arg(dir.join(format!("certs-{k}")))
                .arg("--shard")
                .arg(format!("{k}/{n}"))
                .args(paths)
                .spawn()
                .unwrap();
            (json, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(json, mut child)| {
            let status = child.wait().unwrap();
            // A shard holding the false claim exits 1, the others 0.
            assert!(matches!(status.code(), Some(0 | 1)), "{status}");
            json
        })
        .collect()
}

fn path_args(paths: &[PathBuf]) -> Vec<&str> {
    paths.iter().map(|p| p.to_str().unwrap()).collect()
}

/// The JSON with every `millis` removed (the only thing a merge may change).
fn without_millis(mut v: Value) -> Value {
    match &mut v {
        Value::Object(o) => {
            o.remove("millis");
            for x in o.values_mut() {
                *x = without_millis(x.take());
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                *x = without_millis(x.take());
            }
        }
        _ => {}
    }
    v
}

/// JUnit with `time="..."` attributes emptied.
fn without_times(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find(" time=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 7..];
        rest = &after[after.find('"').unwrap() + 1..];
    }
    out + rest
}

/// Text with the `, 0.41 ms` of every claim line dropped.
fn without_durations(text: &str) -> String {
    let lines = text.lines().map(|line| {
        let cost = [" box, ", " boxes, "]
            .iter()
            .find_map(|m| line.find(m).map(|at| at + m.len()));
        match cost {
            Some(at) => {
                let close = at + line[at..].find(')').unwrap();
                format!("{}{}", &line[..at], &line[close..])
            }
            None => line.to_string(),
        }
    });
    lines.collect::<Vec<_>>().join("\n")
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn names(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

fn cert_names(dir: &Path) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

#[test]
fn merged_shards_report_exactly_what_one_run_reports() {
    let dir = TempDir::new().unwrap();
    let paths = files(&dir);
    let shards = run_shards(dir.path(), 2, &paths);
    let shard_args = path_args(&shards);

    let one = run(&["check", "--format", "json"], &paths, 1);
    let merged = run(&[&["merge"], &shard_args[..]].concat(), &[], 1);
    let one: Value = serde_json::from_str(&one).unwrap();
    let merged: Value = serde_json::from_str(&merged).unwrap();
    assert!(one["claims"].as_array().unwrap().len() > 20);
    assert_eq!(one["systems"].as_array().unwrap().len(), 1);
    assert_eq!(without_millis(merged), without_millis(one));

    // Given in any order, to a file, as JUnit and as text: still one run's report.
    let reversed: Vec<&str> = shard_args.iter().rev().copied().collect();
    let junit_one = run(&["check", "--format", "junit"], &paths, 1);
    let junit = run(
        &[&["merge", "--format", "junit"], &reversed[..]].concat(),
        &[],
        1,
    );
    assert!(junit_one.contains("<failure"));
    assert_eq!(without_times(&junit), without_times(&junit_one));
    let text_one = run(&["check"], &paths, 1);
    let out = dir.path().join("merged.txt");
    let out_arg = out.to_str().unwrap();
    let args = [
        &["merge", "--format", "text", "-o", out_arg],
        &shard_args[..],
    ]
    .concat();
    run(&args, &[], 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text_one.contains("UNMET"));
    assert_eq!(without_durations(&text), without_durations(&text_one));
}

#[test]
fn every_claim_is_in_exactly_one_shard_and_the_split_is_stable() {
    let dir = TempDir::new().unwrap();
    let paths = files(&dir);
    let one = run(&["check", "--format", "json"], &paths, 1);
    let one: Value = serde_json::from_str(&one).unwrap();

    let first = TempDir::new().unwrap();
    let shards: Vec<Value> = run_shards(first.path(), 3, &paths)
        .iter()
        .map(|p| json(p))
        .collect();
    let mut seen = Vec::new();
    for (k, s) in shards.iter().enumerate() {
        assert_eq!(s["shard"]["k"], k + 1);
        assert_eq!(s["shard"]["n"], 3);
        assert_eq!(
            s["shard"]["total_claims"],
            one["claims"].as_array().unwrap().len()
        );
        assert!(
            !s["claims"].as_array().unwrap().is_empty(),
            "shard {k} is empty"
        );
        seen.extend(names(s, "claims"));
        seen.extend(names(s, "systems"));
    }
    let mut all = [names(&one, "claims"), names(&one, "systems")].concat();
    all.sort();
    seen.sort();
    assert_eq!(seen, all, "every claim and system exactly once");

    // Again, one thread each: the same split.
    for k in 1..=3 {
        let s = shard_json(&paths, k, 3, &["-j", "1"]);
        assert_eq!(names(&s, "claims"), names(&shards[k - 1], "claims"));
        assert_eq!(names(&s, "systems"), names(&shards[k - 1], "systems"));
        assert_eq!(s["shard"], shards[k - 1]["shard"]);
    }

    // A shard's certificates are its proved claims' (and its systems'): together, one run's.
    let whole = dir.path().join("certs");
    let whole_arg = whole.to_str().unwrap();
    run(&["check", "--certificates", whole_arg], &paths, 1);
    let parts: Vec<BTreeSet<String>> = (1..=3)
        .map(|k| cert_names(&first.path().join(format!("certs-{k}"))))
        .collect();
    assert_eq!(
        parts.iter().map(BTreeSet::len).sum::<usize>(),
        cert_names(&whole).len()
    );
    let union: BTreeSet<String> = parts.iter().flatten().cloned().collect();
    assert_eq!(union, cert_names(&whole));
}

/// The JSON report of shard `k/n` of `paths` (exit 0 or 1).
fn shard_json(paths: &[PathBuf], k: usize, n: usize, extra: &[&str]) -> Value {
    let shard = format!("{k}/{n}");
    let out = stabcert()
        .args(["check", "--format", "json", "--shard", &shard])
        .args(extra)
        .args(paths)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", out.status);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Whether shard `k` of `n` of `paths` holds the claim `name`.
fn holds(paths: &[PathBuf], k: usize, n: usize, name: &str) -> bool {
    names(&shard_json(paths, k, n, &[]), "claims")
        .iter()
        .any(|c| c == name)
}

#[test]
fn a_shard_exits_1_only_when_it_holds_an_unmet_claim() {
    let dir = TempDir::new().unwrap();
    let paths = files(&dir);
    let with = (1..=2)
        .filter(|&k| holds(&paths, k, 2, "half"))
        .collect::<Vec<_>>();
    assert_eq!(with.len(), 1);
    let (k_with, k_without) = (with[0], 3 - with[0]);
    run(&["check", "--shard", &format!("{k_with}/2")], &paths, 1);
    run(&["check", "--shard", &format!("{k_without}/2")], &paths, 0);
}

#[test]
fn merged_certificates_are_one_runs_and_conflicts_are_refused() {
    let dir = TempDir::new().unwrap();
    let paths = files(&dir);
    let shards = run_shards(dir.path(), 2, &paths);
    let shard_args = path_args(&shards);
    let whole = dir.path().join("whole");
    run(
        &["check", "--certificates", whole.to_str().unwrap()],
        &paths,
        1,
    );

    let out = dir.path().join("merged-certs");
    let (c1, c2) = (dir.path().join("certs-1"), dir.path().join("certs-2"));
    let certs = [
        "--certificates",
        out.to_str().unwrap(),
        "--certificates-from",
        c1.to_str().unwrap(),
        c2.to_str().unwrap(),
    ];
    // The directories after the reports: `--certificates-from` takes every value up to the
    // next option.
    let args = [&["merge", "-o", "/dev/null"], &shard_args[..], &certs[..]].concat();
    run(&args, &[], 1);
    let files_of = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = cert_names(d)
            .into_iter()
            .map(|n| (n.clone(), std::fs::read(d.join(n)).unwrap()))
            .collect();
        v.sort();
        v
    };
    assert!(!files_of(&out).is_empty());
    assert_eq!(files_of(&out), files_of(&whole));
    // Merging again into the same directory changes nothing.
    run(&args, &[], 1);
    stabcert().arg("recheck").arg(&out).assert().code(0);

    // The same name with different content in two shards' directories: refused, nothing
    // written.
    let name = cert_names(&c2).into_iter().next().unwrap();
    let mut other = std::fs::read(c2.join(&name)).unwrap();
    other.push(b'\n');
    std::fs::write(c1.join(&name), other).unwrap();
    let fresh = dir.path().join("fresh");
    let report = dir.path().join("report.json");
    let conflict = [
        &["merge", "-o", report.to_str().unwrap()][..],
        &shard_args[..],
        &[
            "--certificates",
            fresh.to_str().unwrap(),
            "--certificates-from",
        ],
        &[c1.to_str().unwrap(), c2.to_str().unwrap()],
    ]
    .concat();
    let err = input_error(&conflict);
    assert!(err.contains(&name), "{err}");
    assert!(!fresh.exists() && !report.exists());

    // A file already in the target with other content is not replaced.
    std::fs::remove_file(c1.join(&name)).unwrap();
    std::fs::write(out.join(&name), "{}").unwrap();
    let err = input_error(&args);
    assert!(err.contains("not replaced"), "{err}");
    assert_eq!(std::fs::read(out.join(&name)).unwrap(), b"{}");
}

#[test]
fn bad_shard_values_are_usage_errors() {
    for bad in ["0/2", "3/2", "1/0", "x", "1/", "2", "-1/2", "1/2/3"] {
        let err = input_error(&["check", "--shard", bad, PROOFS[1]]);
        let says = format!("invalid value '{bad}' for '--shard <K/N>'");
        assert!(err.contains(&says), "{bad}: {err}");
    }
    let err = input_error(&["check", "--shard", "3/2", PROOFS[1]]);
    assert!(err.contains("K must be from 1 to 2"), "{err}");
    // One shard of one is the whole run.
    run(&["check", "--shard", "1/1", PROOFS[1]], &[], 0);
}

#[test]
fn inconsistent_shards_are_refused() {
    let dir = TempDir::new().unwrap();
    let paths = files(&dir);
    let shards = run_shards(dir.path(), 3, &paths);
    let [s1, s2, s3] = [0, 1, 2].map(|i| shards[i].to_str().unwrap());
    let out = dir.path().join("all.json");
    let out_arg = out.to_str().unwrap();
    let merge = |args: &[&str]| input_error(&[&["merge", "-o", out_arg], args].concat());

    let err = merge(&[s1, s2, s2, s3]);
    assert!(err.contains("shard 2/3 given twice"), "{err}");
    let err = merge(&[s1, s3]);
    assert!(err.contains("shard 2/3 missing"), "{err}");

    // Shards of other files, or of another split.
    let others = TempDir::new().unwrap();
    let other_shards = run_shards(others.path(), 3, &paths[..2]);
    let err = merge(&[s1, other_shards[1].to_str().unwrap(), s3]);
    assert!(err.contains("different claim files"), "{err}");
    let halves = TempDir::new().unwrap();
    let half_shards = run_shards(halves.path(), 2, &paths);
    let err = merge(&[s1, half_shards[1].to_str().unwrap(), s3]);
    assert!(err.contains("same split"), "{err}");

    // A plain report is no shard; a shard edited to hold another's claim is refused.
    let plain = dir.path().join("plain.json");
    std::fs::write(&plain, run(&["check", "--format", "json"], &paths, 1)).unwrap();
    let err = merge(&[s1, plain.to_str().unwrap(), s3]);
    assert!(err.contains("not a shard's report"), "{err}");
    let mut edited = json(&shards[1]);
    let stolen = json(&shards[0])["claims"][0].clone();
    edited["claims"]
        .as_array_mut()
        .unwrap()
        .push(stolen.clone());
    let edited_path = dir.path().join("edited.json");
    std::fs::write(&edited_path, edited.to_string()).unwrap();
    let err = merge(&[s1, edited_path.to_str().unwrap(), s3]);
    assert!(err.contains("two shards"), "{err}");
    assert!(err.contains(stolen["name"].as_str().unwrap()), "{err}");
    let mut dropped = json(&shards[1]);
    dropped["claims"].as_array_mut().unwrap().pop();
    std::fs::write(&edited_path, dropped.to_string()).unwrap();
    let err = merge(&[s1, edited_path.to_str().unwrap(), s3]);
    assert!(err.contains("in no shard"), "{err}");
    assert!(!out.exists(), "nothing is written when merge refuses");
}
