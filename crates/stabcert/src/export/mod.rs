//! Exports of checked claims to other proof systems: `stabcert export --coq DIR`.

pub mod coq;

use crate::run::{write_atomically, CheckRun};
use crate::{cert, prover, Error, Result};
use std::collections::BTreeSet;
use std::path::Path;

/// What an export wrote and what it could not.
#[derive(Debug, Default)]
pub struct Summary {
    /// `(claim, file, theorem, "proved" or "refuted")`, one per claim exported; `theorem` is
    /// the theorem's name in `file` (qualified by its module where the file holds several).
    pub written: Vec<(String, String, String, &'static str)>,
    /// `(claim, reason)` for every claim not exported.
    pub skipped: Vec<(String, String)>,
}

/// Which file a claim's proof goes to.
#[derive(Clone, PartialEq, Eq)]
enum Group {
    /// A proved claim of the document: a file of its own.
    Own(String),
    /// The proved claims a system generates: one file per system.
    System(String),
    /// Every refuted claim: one file.
    Refuted,
}

/// Writes into `dir` the Coq proofs of the proved and refuted claims of `run` (the systems'
/// generated claims included), the library (`StabcertLib.v`, `StabcertMono.v`) and
/// `_CoqProject`. A proved claim of the document gets a file of its own; the proved claims a
/// system generates share one file per system, and the refuted claims one file, each claim
/// in a module named after its theorem (every `.v` file costs Coq a second to start).
/// A claim that is unknown, or uses a construct the export does not support, is listed in
/// [`Summary::skipped`] and gets no proof.
pub fn coq(dir: &Path, run: &CheckRun) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    let generated = run.systems.iter().flat_map(|s| {
        s.generated
            .iter()
            .map(|g| (&g.claim, &g.outcome, Some(s.system.name.as_str())))
    });
    let all = run
        .results
        .iter()
        .map(|r| (r.claim, &r.outcome, None))
        .chain(generated);
    let mut summary = Summary::default();
    // (a module or theorem named like the library would clash with it)
    let mut ids = BTreeSet::from(["stabcertlib".to_string(), "stabcertmono".to_string()]);
    let mut pieces: Vec<(Group, String, coq::Piece, &'static str)> = Vec::new();
    for (claim, outcome, system) in all {
        let mut id = coq::ident(&claim.name);
        let mut k = 2;
        while ids.contains(&id.to_lowercase()) {
            id = format!("{}_{k}", coq::ident(&claim.name));
            k += 1;
        }
        let (piece, kind) = match outcome.verdict() {
            prover::Verdict::Proved => (
                coq::proved(&cert::certificate(claim, outcome), &id),
                "proved",
            ),
            prover::Verdict::Refuted => (
                match outcome.witness() {
                    Some(w) => match w.rational_point() {
                        Some(pt) => coq::refuted(&cert::claim_json(claim), &pt, &id),
                        None => Err("the witness is irrational".into()),
                    },
                    None => Err("a refutation without a witness".into()),
                },
                "refuted",
            ),
            prover::Verdict::Unknown => (Err("not proved or refuted (unknown)".into()), ""),
        };
        let piece = match piece {
            Ok(p) => p,
            Err(why) => {
                summary.skipped.push((claim.name.clone(), why));
                continue;
            }
        };
        ids.insert(id.to_lowercase());
        let group = match (kind, system) {
            ("refuted", _) => Group::Refuted,
            (_, Some(s)) => Group::System(s.to_string()),
            _ => Group::Own(id.clone()),
        };
        pieces.push((group, claim.name.clone(), piece, kind));
    }
    // the files, in order of first appearance, with distinct names
    let mut groups: Vec<Group> = Vec::new();
    for (g, ..) in &pieces {
        if !groups.contains(g) {
            groups.push(g.clone());
        }
    }
    let mut stems = BTreeSet::from(["stabcertlib".to_string(), "stabcertmono".to_string()]);
    let mut files: Vec<(String, String)> = Vec::new();
    for g in &groups {
        let base = match g {
            Group::Own(id) => id.clone(),
            Group::System(s) => format!("{}_lemmas", coq::ident(s)),
            Group::Refuted => "refuted".into(),
        };
        let mut stem = base.clone();
        let mut k = 2;
        while !stems.insert(stem.to_lowercase()) {
            stem = format!("{base}_{k}");
            k += 1;
        }
        let members: Vec<&(Group, String, coq::Piece, &str)> =
            pieces.iter().filter(|p| p.0 == *g).collect();
        let file = format!("{stem}.v");
        let several = members.len() > 1;
        for (_, name, piece, kind) in &members {
            let theorem = if several {
                format!("{}.{}", piece.theorem, piece.theorem)
            } else {
                piece.theorem.clone()
            };
            summary
                .written
                .push((name.clone(), file.clone(), theorem, kind));
        }
        let text = coq::file(&members.iter().map(|p| &p.2).collect::<Vec<_>>());
        files.push((file, text));
    }
    for (file, text) in &files {
        let path = dir.join(file);
        write_atomically(&path, text.as_bytes())
            .map_err(|e| Error::io("cannot write", &path, e))?;
    }
    for (name, text) in [
        ("StabcertLib.v", coq::LIBRARY),
        ("StabcertMono.v", coq::MONO),
    ] {
        let path = dir.join(name);
        write_atomically(&path, text.as_bytes())
            .map_err(|e| Error::io("cannot write", &path, e))?;
    }
    // the largest files first: `make -j2` then starts the long proofs early
    let mut order: Vec<&(String, String)> = files.iter().collect();
    order.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
    let mut project = String::from(
        "-Q . Stabcert\n-arg -w -arg -ambiguous-paths\nStabcertLib.v\nStabcertMono.v\n",
    );
    for (f, _) in order {
        project.push_str(f);
        project.push('\n');
    }
    let p = dir.join("_CoqProject");
    write_atomically(&p, project.as_bytes()).map_err(|e| Error::io("cannot write", &p, e))?;
    Ok(summary)
}
