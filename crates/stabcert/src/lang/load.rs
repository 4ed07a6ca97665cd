//! `stabcert check PATH...`: files and directories of `.stab` files, one run's claims.

use super::{parse_document_bytes, Diagnostic, Document};
use crate::claim::{Claim, Pos};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Loads every claim of `paths`: files (`*.smt2` read as SMT-LIB, anything else as the claim
/// language) and directories, searched recursively for `*.stab` and `*.smt2` files in path
/// order. A file reached twice is read once. Claim
/// names must be unique across all files.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<Claim>, Diagnostic> {
    load_documents(paths).map(|d| d.claims)
}

/// Like [`load_paths`], with the systems too; claim and system names share one namespace.
pub fn load_documents(paths: &[PathBuf]) -> Result<Document, Diagnostic> {
    let mut all = Document::default();
    let mut first: HashMap<String, (PathBuf, Pos)> = HashMap::new();
    for file in files(paths)? {
        let bytes = fs::read(&file).map_err(|e| io_error(&file, "cannot read file", &e))?;
        let doc = parse_document_bytes(&file, &bytes)?;
        let names = doc.claims.iter().map(|c| (&c.name, &c.file, &c.pos));
        let names = names.chain(doc.systems.iter().map(|s| (&s.name, &s.file, &s.pos)));
        for (name, f, pos) in names {
            if let Some((f0, p0)) = first.get(name) {
                return Err(duplicate(name, f, pos, f0, p0, &bytes));
            }
            first.insert(name.clone(), (f.clone(), pos.clone()));
        }
        all.claims.extend(doc.claims);
        all.systems.extend(doc.systems);
    }
    Ok(all)
}

/// The files to read, in order, without repeats.
fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| io_error(path, "cannot open", &e))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            let mut visited = HashSet::new();
            walk(path, &mut found, &mut visited)?;
            found.sort();
        } else {
            found.push(path.clone());
        }
        for f in found {
            // Canonical paths catch `proofs proofs/a.stab` and symlinks; on failure the
            // plain path will do.
            let key = fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if seen.insert(key) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Collects the `*.stab` files under `dir`; `visited` (canonical directories) stops symlink
/// loops.
fn walk(
    dir: &Path,
    found: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
) -> Result<(), Diagnostic> {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(canonical) {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, "cannot read directory", &e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| io_error(dir, "cannot read directory", &e))?
            .path();
        // `metadata` follows symlinks; a dangling one is skipped like any non-.stab entry.
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, found, visited)?;
        } else if meta.is_file() && path.extension().is_some_and(|e| e == "stab" || e == "smt2") {
            found.push(path);
        }
    }
    Ok(())
}

fn io_error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    let message = match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => format!("{what}: {e}"),
    };
    Diagnostic::unpositioned(path, message)
}

/// A claim name already used in another file (or earlier in a repeated one).
fn duplicate(
    name: &str,
    file: &Path,
    pos: &Pos,
    first_file: &Path,
    first_pos: &Pos,
    bytes: &[u8],
) -> Diagnostic {
    let message = format!(
        "duplicate claim name `{}`: already defined at {}:{}:{}",
        name,
        first_file.display(),
        first_pos.line,
        first_pos.col
    );
    let line_text = String::from_utf8_lossy(bytes)
        .lines()
        .nth(pos.line.saturating_sub(1))
        .map(|l| l.trim_end_matches('\r').to_string());
    Diagnostic {
        file: file.to_path_buf(),
        pos: Some(pos.clone()),
        message,
        line_text,
    }
}
