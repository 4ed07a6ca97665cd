//! Exports of checked claims to other proof systems: `stabcert export --coq DIR`.

pub mod coq;

use crate::run::{write_atomically, CheckRun};
use crate::{cert, prover, Error, Result};
use std::collections::BTreeSet;
use std::path::Path;

/// What an export wrote and what it could not.
#[derive(Debug, Default)]
pub struct Summary {
    /// `(claim, file, "proved" or "refuted")`, one per file written.
    pub written: Vec<(String, String, &'static str)>,
    /// `(claim, reason)` for every claim not exported.
    pub skipped: Vec<(String, String)>,
}

/// Writes into `dir` one Coq file per proved or refuted claim of `run` (the systems'
/// generated claims included), the library `StabcertLib.v` and `_CoqProject`.
/// A claim that is unknown, or uses a construct the export does not support, is listed in
/// [`Summary::skipped`] and gets no file.
pub fn coq(dir: &Path, run: &CheckRun) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    let generated = run
        .systems
        .iter()
        .flat_map(|s| s.generated.iter().map(|g| (&g.claim, &g.outcome)));
    let all = run
        .results
        .iter()
        .map(|r| (r.claim, &r.outcome))
        .chain(generated);
    let mut summary = Summary::default();
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    for (claim, outcome) in all {
        let text = match outcome.verdict() {
            prover::Verdict::Proved => coq::proved_file(&cert::certificate(claim, outcome)),
            prover::Verdict::Refuted => match outcome.witness() {
                Some(w) => {
                    let pt: Vec<_> = w.values.iter().map(|(_, q)| q.clone()).collect();
                    coq::refuted_file(&cert::claim_json(claim), &pt)
                }
                None => Err("a refutation without a witness".into()),
            },
            prover::Verdict::Unknown => Err("not proved or refuted (unknown)".into()),
        };
        let text = match text {
            Ok(t) => t,
            Err(why) => {
                summary.skipped.push((claim.name.clone(), why));
                continue;
            }
        };
        let mut stem = coq::ident(&claim.name);
        let mut k = 2;
        while !used.insert(stem.to_lowercase()) || stem == "StabcertLib" {
            stem = format!("{}_{k}", coq::ident(&claim.name));
            k += 1;
        }
        let file = format!("{stem}.v");
        let path = dir.join(&file);
        write_atomically(&path, text.as_bytes())
            .map_err(|e| Error::io("cannot write", &path, e))?;
        let kind = if outcome.verdict() == prover::Verdict::Proved {
            "proved"
        } else {
            "refuted"
        };
        summary
            .written
            .push((claim.name.clone(), file.clone(), kind));
        files.push(file);
    }
    let lib = dir.join("StabcertLib.v");
    write_atomically(&lib, coq::LIBRARY.as_bytes())
        .map_err(|e| Error::io("cannot write", &lib, e))?;
    let mut project = String::from("-Q . Stabcert\n-arg -w -arg -ambiguous-paths\nStabcertLib.v\n");
    for f in &files {
        project.push_str(f);
        project.push('\n');
    }
    let p = dir.join("_CoqProject");
    write_atomically(&p, project.as_bytes()).map_err(|e| Error::io("cannot write", &p, e))?;
    Ok(summary)
}
