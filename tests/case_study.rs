//! The engine is general: nothing of the SGD case study is written into its source. The
//! map, its constants and the stated proposition live in `proofs/case-study.toml` and `docs/`;
//! tests may use them.

use std::path::{Path, PathBuf};

/// The case study's distinctive constants and the name of its map.
const DISTINCTIVE: [&str; 5] = ["1.162", "1.5775", "0.65", "h_γ", "h_g"];

/// Every file under `dir`, recursively, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            match p.is_dir() {
                true => stack.push(p),
                false => out.push(p),
            }
        }
    }
    out.sort();
    out
}

/// Whether a file holds tests only: `tests.rs`, or anything in a `tests` directory.
fn test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// `text` with its inline test modules blanked (so that line numbers stay): from a
/// `#[cfg(test)]` line followed by `mod NAME {` to the `}` that closes it at the start of a
/// line (rustfmt's layout). A `#[cfg(test)]` item of any other shape is kept, so that nothing
/// is hidden by accident.
fn outside_tests(text: &str) -> String {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let opens_module = lines
            .peek()
            .is_some_and(|next| next.starts_with("mod ") && next.trim_end().ends_with('{'));
        if line.trim() == "#[cfg(test)]" && opens_module {
            out.push("");
            for skipped in lines.by_ref() {
                out.push("");
                if skipped == "}" {
                    break;
                }
            }
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}

#[test]
fn the_stripper_drops_test_modules_only() {
    let text = "fn a() { 1.162 }\n#[cfg(test)]\nmod tests {\n    fn t() { 0.65 }\n}\nfn b() {}\n";
    assert_eq!(outside_tests(text), "fn a() { 1.162 }\n\n\n\n\nfn b() {}");
    let declared = "#[cfg(test)]\nmod tests;\nconst X: f64 = 0.65;\n";
    assert!(outside_tests(declared).contains("0.65"));
}

#[test]
fn the_engine_source_has_nothing_of_the_case_study() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut scanned = 0;
    for dir in ["crates/stabcert/src", "crates/stabcert-kernel/src"] {
        for path in files(&root.join(dir)).into_iter().filter(|p| !test_file(p)) {
            let text = std::fs::read_to_string(&path).unwrap();
            scanned += 1;
            for (n, line) in outside_tests(&text).lines().enumerate() {
                for needle in DISTINCTIVE.iter().filter(|d| line.contains(*d)) {
                    let shown = path.strip_prefix(root).unwrap().display();
                    found.push(format!("{shown}:{}: `{needle}` in {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(scanned > 40, "only {scanned} files scanned");
    assert!(
        found.is_empty(),
        "case-study text in the engine:\n{}",
        found.join("\n")
    );
}
