//! `stabcert export --coq`: the files it writes, and (when `coqc` is on PATH) that Coq
//! accepts them, and rejects a hand-broken one. Without `coqc` the Coq runs are skipped with
//! a printed note (CI installs `coq libcoq-interval`).

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// Proved claims with a split-free leaf, a dependent bound (a reparametrised axis), a
/// Bernstein leaf that touches 0, an `interval` leaf (sqrt), a monotonicity pin (the strict
/// margin vanishes at the excluded end), a hypothesis (S-procedure and pruned leaves), and
/// two refuted ones (sharing `refuted.v`, one module each).
const CLAIMS: &str = r#"
claim simple "x^2 stays below 2": forall x in [0, 1] => x^2 < 2
claim dep "the tight corner": forall e in (0, 1/50], u in [1 - e, 1] => (1 - u)*(1 + u) >= 0
claim tight "x(1 - x) >= 0 on [0, 1]": forall x in [0, 1] => x*(1 - x) >= 0
claim root "sqrt stays below 3": forall x in [1, 4] => sqrt(x) <= 3
claim gt0 "x > 0 on (0, 1]": forall x in (0, 1] => x > 0
claim hyp "a hypothesis": forall x in [0, 1], y in [0, 1] where x + y <= 1 => x*y <= 1/4
claim r "x + y reaches 2" expect refuted: forall x in [0, 1], y in [0, 1] => x + y < 3/2
claim r2 "x reaches 1" expect refuted: forall x in [0, 1] => x < 1
claim r3 "sqrt(x) - x reaches 1/4, at 1/4" expect refuted: forall x in [0, 4] => sqrt(x) - x <= 1/4 - 1/1000
"#;

fn have_coq() -> bool {
    let ok = Command::new("coqc")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("note: coqc not on PATH, Coq runs skipped (apt-get install coq libcoq-interval)");
    }
    ok
}

fn make(dir: &Path) -> bool {
    let mk = Command::new("coq_makefile")
        .args(["-f", "_CoqProject", "-o", "Makefile"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        mk.status.success(),
        "{}",
        String::from_utf8_lossy(&mk.stderr)
    );
    let out = Command::new("make").current_dir(dir).output().unwrap();
    if !out.status.success() {
        println!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

fn export(dir: &TempDir, text: &str) -> (std::path::PathBuf, String, i32) {
    let file = dir.path().join("claims.stab");
    std::fs::write(&file, text).unwrap();
    let out_dir = dir.path().join("coq");
    let out = cargo_bin_cmd!("stabcert")
        .arg("export")
        .arg("--coq")
        .arg(&out_dir)
        .arg(&file)
        .output()
        .unwrap();
    (
        out_dir,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn export_writes_every_decided_claim_and_coq_accepts_them() {
    let dir = TempDir::new().unwrap();
    let (out, stdout, code) = export(&dir, CLAIMS);
    assert_eq!(code, 0, "{stdout}");
    for f in [
        "simple.v",
        "dep.v",
        "tight.v",
        "refuted.v",
        "StabcertLib.v",
        "StabcertMono.v",
        "_CoqProject",
    ] {
        assert!(out.join(f).exists(), "{f} missing: {stdout}");
    }
    for entry in std::fs::read_dir(&out).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "v") {
            let text = std::fs::read_to_string(&p).unwrap();
            for bad in ["Admitted", "admit", "Axiom", "Parameter", "Abort"] {
                assert!(!text.contains(bad), "{} contains {bad}", p.display());
            }
        }
    }
    let r = std::fs::read_to_string(out.join("refuted.v")).unwrap();
    assert!(r.contains("Theorem r_refuted :\n  ~ ("), "{r}");
    assert!(r.contains("Module r2_refuted."), "{r}");
    // the exact root the witness makes, stated for lra (which sees `sqrt (1/4)` as an atom)
    assert!(
        r.contains("assert ((sqrt (1/4)) = (1/2)) by (apply sqrt_lem_1"),
        "{r}"
    );
    // each file imports what its proofs use, no more: Coq.Interval only for `interval`,
    // Coquelicot only for a pin, the library not for a refutation (make checks no less)
    let imports = |f: &str| {
        let t = std::fs::read_to_string(out.join(f)).unwrap();
        ["Interval.Tactic", "Coquelicot", "StabcertLib"].map(|m| t.contains(m))
    };
    assert_eq!(imports("tight.v"), [false, false, true]);
    assert_eq!(imports("root.v"), [true, false, true]);
    assert_eq!(imports("gt0.v")[1..], [true, true]);
    assert_eq!(imports("refuted.v"), [false, false, false]);
    if have_coq() {
        assert!(make(&out), "coq rejected the export");
    }
}

#[test]
fn export_refuses_an_undecided_claim_and_a_broken_proof_does_not_compile() {
    let dir = TempDir::new().unwrap();
    // false, expected proved: refuted, so exported as a negation; the unknown one is not
    let (_, stdout, code) = export(
        &dir,
        "claim u: forall x in [0, 1], y in [0, 1] => (x - y)^2 >= 0\nclaim f: forall x in [0, 1] => x < 1/2\n",
    );
    assert!(stdout.contains("f  (refuted)"), "{stdout}");
    let _ = code;
    // a tampered proof: the conclusion of a proved claim made false, the proof kept
    let dir = TempDir::new().unwrap();
    let (out, stdout, code) = export(&dir, CLAIMS);
    assert_eq!(code, 0, "{stdout}");
    let path = out.join("simple.v");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace("< (2)", "< (1)");
    assert_ne!(broken, text, "the tamper must change the file");
    std::fs::write(&path, broken).unwrap();
    if have_coq() {
        assert!(!make(&out), "coq accepted a tampered proof");
    }
}

/// The Bernstein checker's computed tests run only when Coq checks the proof term
/// (`vm_cast_no_check`, at `Qed`): a wrong coefficient must still make `make` fail.
#[test]
fn a_tampered_bernstein_expansion_does_not_compile() {
    let dir = TempDir::new().unwrap();
    let (out, stdout, code) = export(&dir, "claim tight: forall x in [0, 1] => x*(1 - x) >= 0\n");
    assert_eq!(code, 0, "{stdout}");
    let path = out.join("tight.v");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("vm_cast_no_check"), "{text}");
    if !have_coq() {
        return;
    }
    assert!(make(&out), "coq rejected the export");
    // the expansion of x(1 - x) on [0, 1] is 1 * x^1 (1 - x)^1: make it 2 * ...
    let broken = text.replace("(BLeaf (1#1))", "(BLeaf (2#1))");
    assert_ne!(broken, text, "the tamper must change the file");
    std::fs::write(&path, broken).unwrap();
    assert!(!make(&out), "coq accepted a wrong Bernstein expansion");
}

/// Monotonicity pins Coq can follow (through a quotient whose denominator moves with the
/// pinned variable: `auto_derive` leaves `t + y <> 0`); a refutation whose witness meets a
/// binding through an inexact root, one through `abs`, a leaf through min/max, an empty domain
/// behind an exact root. What Coq could not follow is refused, not written for `make` to fail
/// on: a pin through `sqrt` at 0 (no derivative at the end, `mono_*` needs one).
#[test]
fn pins_roots_and_min_max_compile_and_a_pin_at_a_sqrt_zero_is_not_exported() {
    let dir = TempDir::new().unwrap();
    let (out, stdout, code) = export(
        &dir,
        "claim quot: forall x in [1, 2], y in [1, 2] => x/(x + y) <= 2/3\n\
         claim touch: forall x in [0, 1] => sqrt(x) - x/2 >= 0\n\
         claim disk: forall x in [-1, 1], y in [-sqrt(1 - x^2), sqrt(1 - x^2)] => x + y <= 7071/5000\n\
         claim clamp: forall x in [-3, 3] => min(max(x, 0), 1) >= 0\n\
         claim abs_false: forall x in [-1, 1], y in [-1, 1] => abs(x + y) <= abs(x) + abs(y) - 1/100\n\
         claim empty: forall x in (sqrt(4), 2) => x > 5\n",
    );
    assert!(stdout.contains("quot  (proved)"), "{stdout}");
    assert!(
        stdout.contains("not exported  touch: a monotonicity pin through `sqrt`"),
        "{stdout}"
    );
    assert_ne!(code, 0, "{stdout}");
    assert!(!out.join("touch.v").exists());
    let pins = std::fs::read_to_string(out.join("quot.v")).unwrap();
    assert!(
        pins.contains("mono_hi"),
        "the claim must go through a pin: {pins}"
    );
    // refuted at a point whose binding `y <= sqrt(1 - x^2)` is a comparison with an inexact root
    assert!(stdout.contains("disk  (refuted)"), "{stdout}");
    // an `interval` leaf through min/max (Coq.Interval has neither: split into cases), a
    // refutation through abs at the witness, an empty domain whose end is an exact root
    for c in ["clamp  (proved)", "abs_false  (refuted)", "empty  (proved)"] {
        assert!(stdout.contains(c), "{c}: {stdout}");
    }
    if have_coq() {
        assert!(make(&out), "coq rejected the export");
    }
}
