//! What a run of stabcert does, step by step, for every front end (the command line, the
//! report, a user's program): load the claim files, check every claim and system, write the
//! certificates of what was proved, and write files atomically.

use crate::claim::Claim;
use crate::output::Checked;
use crate::prover::{self, Budget};
use crate::{cert, dynamics, lang, shard, Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Most worker threads a run accepts.
pub const MAX_JOBS: usize = 1024;

/// The outcome of checking a document: one result a claim, one report a system.
pub struct CheckRun<'a> {
    /// The claims' outcomes, in the document's order.
    pub results: Vec<Checked<'a>>,
    /// The systems' analyses, in the document's order.
    pub systems: Vec<dynamics::Report>,
}

impl CheckRun<'_> {
    /// Whether every claim is met and every system holds.
    pub fn all_met(&self) -> bool {
        self.results.iter().all(Checked::is_met) && self.systems.iter().all(dynamics::Report::ok)
    }
}

/// What a long check reports as it goes (the command line draws a progress line with it).
pub trait Progress: Sync {
    /// The claim `index` (from 0) of `total` is about to be decided.
    fn claim(&self, _index: usize, _total: usize, _claim: &Claim) {}
    /// The claim announced last is decided.
    fn claim_done(&self) {}
    /// The system `index` (from 0) of `total` is about to be analysed.
    fn system(&self, _index: usize, _total: usize, _name: &str) {}
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// Parses and resolves the claims and systems of `paths` (files, or directories searched for
/// claim files). Finding nothing at all is an input error.
pub fn load(paths: &[PathBuf]) -> Result<lang::Document> {
    let doc = lang::load_documents(paths).map_err(|d| Error::Input(d.to_string()))?;
    if doc.claims.is_empty() && doc.systems.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Input(format!(
            "no claims found in {}",
            shown.join(", ")
        )));
    }
    Ok(doc)
}

/// Decides every claim (one after another, each search on the whole current rayon pool),
/// then analyses every system.
pub fn check<'a>(
    doc: &'a lang::Document,
    budget: &Budget,
    progress: &dyn Progress,
) -> CheckRun<'a> {
    check_part(doc, &shard::Part::all(doc), budget, progress)
}

/// Like [`check`], for the claims and systems of `part` only (a shard of a sharded run), in
/// the document's order.
pub fn check_part<'a>(
    doc: &'a lang::Document,
    part: &shard::Part,
    budget: &Budget,
    progress: &dyn Progress,
) -> CheckRun<'a> {
    let total = part.claims.len();
    let results = part
        .claims
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let claim = &doc.claims[c];
            progress.claim(i, total, claim);
            let checked = prove_one(claim, budget);
            progress.claim_done();
            checked
        })
        .collect();
    let systems = part
        .systems
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let system = &doc.systems[s];
            progress.system(i, part.systems.len(), &system.name);
            dynamics::analyse(system, budget)
        })
        .collect();
    CheckRun { results, systems }
}

/// Decides one claim on the current rayon pool.
pub fn prove_one<'a>(claim: &'a Claim, budget: &Budget) -> Checked<'a> {
    Checked {
        claim,
        outcome: prover::prove(claim, budget),
    }
}

/// Decides the claims in order; each claim's own search may use the whole current pool.
pub fn prove_all<'a>(claims: &'a [Claim], budget: &Budget) -> Vec<Checked<'a>> {
    claims.iter().map(|c| prove_one(c, budget)).collect()
}

/// A pool of `jobs` worker threads (1 to [`MAX_JOBS`]), or one a core.
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let jobs = jobs.unwrap_or_else(default_jobs);
    if !(1..=MAX_JOBS).contains(&jobs) {
        return Err(Error::Input(format!(
            "--jobs {jobs}: needs 1 to {MAX_JOBS} threads"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Internal(format!("cannot start {jobs} worker threads: {e}")))
}

/// The number of cores, or 1 when it cannot be known.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Writes `DIR/STEM.cert.json` for every proved claim of `run`, the systems' generated claims
/// included ([`cert::file_stem`] names the files).
pub fn write_certificates(dir: &Path, run: &CheckRun) -> Result<()> {
    let generated = run
        .systems
        .iter()
        .flat_map(|s| s.generated.iter().map(|g| (&g.claim, &g.outcome)));
    let all = run
        .results
        .iter()
        .map(|r| (r.claim, &r.outcome))
        .chain(generated);
    for (claim, outcome) in all.filter(|(_, o)| o.verdict() == prover::Verdict::Proved) {
        let file = dir.join(format!("{}.cert.json", cert::file_stem(&claim.name)));
        let text = serde_json::to_string(&cert::certificate(claim, outcome))?;
        write_atomically(&file, text.as_bytes())
            .map_err(|e| Error::io("cannot write", &file, e))?;
    }
    Ok(())
}

/// Writes a temporary file next to `path`, then renames it over `path`: readers see the old
/// file or the new one, never a half-written one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path_for(path);
    let written = write_new_file(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `dir/.name.PID.tmp`: same directory (so the rename stays on one filesystem), unique per run.
fn temp_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("report".into(), |n| n.to_string_lossy());
    let tmp_name = format!(".{name}.{}.tmp", std::process::id());
    path.with_file_name(tmp_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_file_is_a_sibling() {
        let tmp = temp_path_for(Path::new("out/report.json"));
        assert_eq!(tmp.parent(), Some(Path::new("out")));
        assert!(tmp
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".report.json."));
    }

    #[test]
    fn thread_counts_out_of_range_are_input_errors() {
        assert!(matches!(thread_pool(Some(0)), Err(Error::Input(_))));
        assert!(matches!(
            thread_pool(Some(MAX_JOBS + 1)),
            Err(Error::Input(_))
        ));
        assert!(thread_pool(Some(2)).is_ok());
    }
}
