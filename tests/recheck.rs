//! `stabcert recheck --against`: certificates bound to the statements they prove.
//!
//! The fixtures are in `tests/fixtures/certs/`: `proofs.stab` and its certificates `good/`
//! (as `stabcert check --certificates` writes them), and forged or broken certificates made
//! from them by `forge.py` (see its comments). Exit status: 0 all checked, 1 some certificate
//! rejected or missing or some system's conclusion not following, 2 a path that cannot be read.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const FIXTURES: &str = "tests/fixtures/certs";
/// Certificate files of `good/`, by claim.
const C1: &str = "c1.cert.json";
const INVARIANT: &str = "s%3A%3Ainvariant.cert.json";
const ESCAPE: &str = "s%3A%3Aescape%3AL.cert.json";

fn stabcert() -> Command {
    cargo_bin_cmd!("stabcert")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// The certificates of `good/` but those named in `except`, sorted.
fn good_except(except: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture("good"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !except.iter().any(|x| p.ends_with(x)))
        .collect();
    files.sort();
    assert!(files.len() >= 4 - except.len(), "{files:?}");
    files
}

/// `stabcert recheck FILES... --against PROOFS`: exit status and stdout.
fn recheck(files: &[PathBuf], proofs: &str) -> (i32, String) {
    let out = stabcert()
        .arg("recheck")
        .args(files)
        .arg("--against")
        .arg(fixture(proofs))
        .assert()
        .stderr(predicate::str::contains("panicked").not());
    let code = out.get_output().status.code().unwrap();
    (
        code,
        String::from_utf8_lossy(&out.get_output().stdout).into(),
    )
}

/// Rechecks `good/` without `drop` and with `add` against `proofs.stab`: exit 1, and `add`
/// (if any) rejected; returns stdout.
fn rejected(drop: &[&str], add: Option<&str>) -> String {
    let mut files = good_except(drop);
    files.extend(add.map(fixture));
    let (code, out) = recheck(&files, "proofs.stab");
    assert_eq!(code, 1, "{out}");
    if let Some(add) = add {
        let line = format!("REJECTED  {}:", fixture(add).display());
        assert!(out.contains(&line), "{out}");
    }
    out
}

#[test]
fn good_certificates_recheck_against_their_proof_file() {
    let (code, out) = recheck(&good_except(&[]), "proofs.stab");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok        system s"), "{out}");
    assert!(
        out.contains("0 rejected; 0 missing; 1 of 1 systems follow"),
        "{out}"
    );
}

#[test]
fn a_forged_system_lemma_is_rejected() {
    // `s::invariant` on `1 > 0`: the kernel accepts it, the system does not generate it.
    let out = rejected(&[INVARIANT], Some("forged-system-lemma.cert.json"));
    assert!(out.contains("stale: claim `s::invariant`"), "{out}");
    assert!(
        out.contains("FAILS     system s") && out.contains("(s::invariant)"),
        "{out}"
    );
}

#[test]
fn deep_nesting_does_not_hide_a_forged_claim() {
    let out = rejected(&[C1], Some("deep-nesting.cert.json"));
    assert!(out.contains("stale: claim `c1`"), "{out}");
    assert!(out.contains("MISSING   c1"), "{out}");
}

#[test]
fn trailing_bytes_make_a_certificate_unreadable() {
    let out = rejected(&[C1], Some("trailing-bytes.cert.json"));
    assert!(out.contains("unreadable certificate: trailing"), "{out}");
}

#[test]
fn an_unpaired_surrogate_makes_a_certificate_unreadable() {
    let out = rejected(&[C1], Some("unpaired-surrogate.cert.json"));
    assert!(out.contains("unreadable certificate"), "{out}");
}

#[test]
fn certificates_with_nothing_to_prove_are_rejected() {
    for (file, why) in [
        ("zero-goals.cert.json", "no conclusion"),
        ("zero-goals-empty-domain.cert.json", "no conclusion"),
        ("no-proofs.cert.json", "not one proof per conclusion"),
    ] {
        let out = stabcert()
            .arg("recheck")
            .arg(fixture(file))
            .assert()
            .code(1);
        let out = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            out.contains("REJECTED") && out.contains(why),
            "{file}: {out}"
        );
    }
}

#[test]
fn an_edited_system_makes_its_certificates_stale() {
    // A region bound changed, or only the system's description: every certificate of its
    // generated claims is stale (the statement, or the source hash, differs).
    for proofs in ["edited-system.stab", "edited-system-text.stab"] {
        let (code, out) = recheck(&good_except(&[]), proofs);
        assert_eq!(code, 1, "{proofs}: {out}");
        for name in ["s::invariant", "s::escape:L", "s::H->L:above"] {
            let stale = format!("stale: claim `{name}`");
            assert!(out.contains(&stale), "{proofs}: {out}");
        }
        // The claims outside the system are unchanged.
        assert!(out.contains("ok        c1 "), "{proofs}: {out}");
        assert!(out.contains("FAILS     system s"), "{proofs}: {out}");
    }
}

#[test]
fn missing_certificates_are_reported() {
    let out = rejected(&[C1], None);
    assert!(out.contains("MISSING   c1 ("), "{out}");
    assert!(out.contains("1 missing"), "{out}");
    // r1 expects refuted: it needs no certificate.
    assert!(!out.contains("MISSING   r1"), "{out}");
    // The system needs its escape lemma.
    let out = rejected(&[ESCAPE], None);
    assert!(
        out.contains("FAILS     system s")
            && out.contains("escape lemma s::escape:L is not proved"),
        "{out}"
    );
}

#[test]
fn a_certificate_of_an_unknown_claim_is_rejected() {
    let out = rejected(&[], Some("unknown-system.cert.json"));
    assert!(out.contains("no claim `t::invariant`"), "{out}");
}

#[test]
fn two_certificates_for_one_claim_are_rejected() {
    let out = rejected(&[], Some("duplicate-c1.cert.json"));
    let line = format!("REJECTED  {}:", fixture("good").join(C1).display());
    assert!(out.contains(&line), "both are rejected: {out}");
    assert!(out.contains("has another certificate"), "{out}");
}

#[test]
fn unreadable_certificate_content_is_a_rejection() {
    let dir = TempDir::new().unwrap();
    let junk = dir.path().join("junk.cert.json");
    std::fs::write(&junk, "not json").unwrap();
    let latin1 = dir.path().join("latin1.cert.json");
    std::fs::write(&latin1, b"{\"claim\": \"\xe9\"}").unwrap();
    for file in [&junk, &latin1] {
        let out = stabcert().arg("recheck").arg(file).assert().code(1);
        let out = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            out.contains("REJECTED") && out.contains("unreadable"),
            "{out}"
        );
    }
    // A path that does not exist is an input error.
    stabcert()
        .arg("recheck")
        .arg(dir.path().join("nothing.cert.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn certificate_file_names_do_not_collide() {
    // `s::escape:L` and the user claim `s__escape_L` once wrote the same file.
    let dir = TempDir::new().unwrap();
    let certs = dir.path().join("certs");
    stabcert()
        .arg("check")
        .arg("--certificates")
        .arg(&certs)
        .arg(fixture("proofs.stab"))
        .assert()
        .code(0);
    let mut names: Vec<String> = std::fs::read_dir(&certs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = good_except(&[])
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(names.contains(&"s__escape_L.cert.json".to_string()));
    assert!(names.contains(&ESCAPE.to_string()));
    let (code, out) = recheck(&[certs], "proofs.stab");
    assert_eq!(code, 0, "{out}");
}

#[test]
fn check_then_recheck_in_the_natural_order() {
    // `--against` takes one value: the certificates may follow it.
    let dir = TempDir::new().unwrap();
    let certs = dir.path().join("certs");
    stabcert()
        .args(["check", "--certificates"])
        .arg(&certs)
        .arg("proofs/")
        .assert()
        .code(0);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&certs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for args in [files, vec![certs.clone()]] {
        let out = stabcert()
            .args(["recheck", "--against", "proofs/"])
            .args(&args)
            .assert()
            .code(0);
        let out = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            out.contains("0 rejected; 0 missing; 1 of 1 systems follow"),
            "{out}"
        );
    }
}
