//! Sharded runs: `stabcert check --shard K/N` decides one part of a document's claims and
//! systems; `stabcert merge` puts the parts' JSON reports back together into exactly what one
//! run gives (timings aside).
//!
//! The partition depends only on the loaded document. Every claim and every system is one
//! unit with a cost estimate ([`claim_cost`], [`system_cost`]); the units are dealt largest
//! cost first (equal costs in document order: claims, then systems) to the shard with the
//! least cost so far (equal loads: the lowest K). Within a shard, claims and systems run in
//! document order.
//!
//! A shard's JSON report carries a `shard` object ([`Header`]: K, N, the document's totals,
//! its [`fingerprint`] and the stabcert version) and each claim's and system's index in the
//! document, with what the text and JUnit formats print beyond the plain JSON report (a
//! claim's source, a system's text). [`merge`] refuses shards that do not make up one split of
//! one document.

use crate::claim::{Binding, Claim, EscapeRule, Expect, System};
use crate::output::{ClaimRow, SystemRow};
use crate::prover::Verdict;
use crate::run::{write_atomically, CheckRun};
use crate::{cert, lang, Error, Result};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Most shards a run may be split into.
pub const MAX_SHARDS: usize = 10_000;

/// `--shard K/N`: the part K (from 1) of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// The shard's number, from 1 to `n`.
    pub k: usize,
    /// The number of shards.
    pub n: usize,
}

impl FromStr for Shard {
    type Err = String;

    /// `2/4`; K from 1 to N, N from 1 to [`MAX_SHARDS`].
    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = "expected K/N with 1 <= K <= N, e.g. 2/4 for the second of four shards";
        let Some((k, n)) = s.split_once('/') else {
            return Err(usage.into());
        };
        let number = |part: &str| part.parse::<usize>().ok();
        let (Some(k), Some(n)) = (number(k), number(n)) else {
            return Err(usage.into());
        };
        if n == 0 {
            return Err("N must be at least 1 (the number of shards)".into());
        }
        if n > MAX_SHARDS {
            return Err(format!("at most {MAX_SHARDS} shards"));
        }
        if k == 0 || k > n {
            return Err(format!(
                "K must be from 1 to {n} (shards are numbered from 1)"
            ));
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// The claims and systems of one shard: their indices in the document, ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    /// Indices of the claims in this part, in document order.
    pub claims: Vec<usize>,
    /// Indices of the systems in this part, in document order.
    pub systems: Vec<usize>,
}

impl Part {
    /// The whole document.
    pub fn all(doc: &lang::Document) -> Part {
        Part {
            claims: (0..doc.claims.len()).collect(),
            systems: (0..doc.systems.len()).collect(),
        }
    }
}

/// The cost of `size` expression nodes searched `copies` times over `dims` dimensions: the
/// boxes of a branch and bound grow about as `2^dims`.
fn weight(size: usize, copies: usize, dims: usize) -> u64 {
    let dims = u32::try_from(dims).unwrap_or(u32::MAX).min(40);
    (size.max(1) as u64)
        .saturating_mul(copies.max(1) as u64)
        .saturating_mul(1 << dims)
}

/// Expression nodes of bindings' ends.
fn bindings_size<'a>(bindings: impl Iterator<Item = &'a Binding>) -> usize {
    bindings.map(|b| b.lo.size() + b.hi.size()).sum()
}

/// A claim's estimated cost: its expression nodes (bindings, hypotheses, conclusions) times its
/// conclusions times `2^(variables + dependent bindings)` (a binding whose ends use an earlier
/// variable makes a curved domain, harder to cover).
pub fn claim_cost(c: &Claim) -> u64 {
    let conds = c.hyps.iter().chain(&c.goals);
    let size = bindings_size(c.bindings.iter())
        + conds.map(|h| h.lhs.size() + h.rhs.size()).sum::<usize>();
    let dependent = c
        .bindings
        .iter()
        .enumerate()
        .filter(|(i, b)| (0..*i).any(|j| b.lo.uses_var(j) || b.hi.uses_var(j)))
        .count();
    weight(size, c.goals.len(), c.bindings.len() + dependent)
}

/// A system's estimated cost: one lemma a pair of regions and an escape, each over the map,
/// the regions and the bindings, in `2^(parameters + noise + 1)`.
pub fn system_cost(s: &System) -> u64 {
    let bindings = s
        .params
        .iter()
        .chain(&s.noise)
        .chain(std::iter::once(&s.state));
    let regions: usize = s.regions.iter().map(|r| r.lo.size() + r.hi.size()).sum();
    let escapes: usize = s
        .escapes
        .iter()
        .map(|e| match &e.rule {
            EscapeRule::Grow(c) => c.size(),
            EscapeRule::Expand { factor, anchor, .. } => factor.size() + anchor.size(),
        })
        .sum();
    let size = bindings_size(bindings) + s.next.size() + regions + escapes;
    let lemmas = s.regions.len() * s.regions.len() + s.escapes.len();
    weight(size, lemmas, s.params.len() + s.noise.len() + 1)
}

/// The document split into `n` parts (1 to [`MAX_SHARDS`]); part `k - 1` is shard `k/n`.
pub fn partition(doc: &lang::Document, n: usize) -> Vec<Part> {
    let n = n.clamp(1, MAX_SHARDS);
    // Units: the claims, then the systems, in document order.
    let costs: Vec<u64> = doc
        .claims
        .iter()
        .map(claim_cost)
        .chain(doc.systems.iter().map(system_cost))
        .collect();
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by_key(|&u| (Reverse(costs[u]), u));
    let mut loads: BinaryHeap<Reverse<(u64, usize)>> = (0..n).map(|k| Reverse((0, k))).collect();
    let mut parts = vec![Part::default(); n];
    for u in order {
        let Some(Reverse((load, k))) = loads.pop() else {
            break; // n >= 1 shards are always there
        };
        match u.checked_sub(doc.claims.len()) {
            None => parts[k].claims.push(u),
            Some(s) => parts[k].systems.push(s),
        }
        loads.push(Reverse((load.saturating_add(costs[u]), k)));
    }
    for p in &mut parts {
        p.claims.sort_unstable();
        p.systems.sort_unstable();
    }
    parts
}

/// The claims and systems shard `shard` decides.
pub fn part(doc: &lang::Document, shard: Shard) -> Part {
    partition(doc, shard.n).swap_remove(shard.k - 1)
}

/// Hex SHA-256 of the document: every claim as resolved (its normalised statement, with its
/// source's hash, file, position, expectation and description) and every system's resolved
/// definition, in order. Shards of different files have different fingerprints.
pub fn fingerprint(doc: &lang::Document) -> String {
    let mut hash = Sha256::new();
    for c in &doc.claims {
        let item = serde_json::json!({
            "claim": cert::claim_json(c), "expect": c.expect, "description": c.description,
            "line": c.pos.line, "col": c.pos.col,
        });
        hash.update(item.to_string());
        hash.update(b"\n");
    }
    for s in &doc.systems {
        hash.update(format!("system {s:?}\n"));
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The `shard` object of a shard's JSON report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// This shard's number, from 1.
    pub k: usize,
    /// The number of shards.
    pub n: usize,
    /// Claims of the whole document.
    pub total_claims: usize,
    /// Systems of the whole document.
    pub total_systems: usize,
    /// The document's [`fingerprint`].
    pub fingerprint: String,
    /// The version of stabcert that made the shard.
    pub stabcert: String,
}

/// The header of shard `shard` of `doc`.
pub fn header(doc: &lang::Document, shard: Shard) -> Header {
    Header {
        k: shard.k,
        n: shard.n,
        total_claims: doc.claims.len(),
        total_systems: doc.systems.len(),
        fingerprint: fingerprint(doc),
        stabcert: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The rows of a run of `part` ([`crate::run::check_part`]), numbered in the document.
pub fn rows(part: &Part, run: &CheckRun) -> (Vec<ClaimRow>, Vec<SystemRow>) {
    let claims = part.claims.iter().zip(&run.results);
    let systems = part.systems.iter().zip(&run.systems);
    (
        claims.map(|(&i, r)| ClaimRow::new(i, r)).collect(),
        systems.map(|(&i, s)| SystemRow::new(i, s)).collect(),
    )
}

/// A shard's JSON report: the JSON report of its claims and systems, with the header and the
/// indices [`merge`] needs.
pub fn render_json(header: &Header, part: &Part, run: &CheckRun) -> Result<String> {
    let (claims, systems) = rows(part, run);
    crate::output::json::render(Some(header), &claims, &systems)
}

/// A shard's report as read back.
#[derive(Clone, Debug)]
pub struct ShardFile {
    /// The file it was read from.
    pub path: PathBuf,
    /// Which shard of which split of which files.
    pub header: Header,
    /// Its claims' rows.
    pub claims: Vec<ClaimRow>,
    /// Its systems' rows.
    pub systems: Vec<SystemRow>,
}

/// A claim of a shard's JSON report.
#[derive(Deserialize)]
struct ClaimJson {
    file: String,
    name: String,
    description: String,
    expect: Expect,
    verdict: Verdict,
    witness: Option<Ordered>,
    failing: Option<String>,
    reason: Option<String>,
    #[serde(default)]
    vacuous: serde_json::Value,
    vacuous_reason: Option<String>,
    boxes: u64,
    millis: f64,
    line: usize,
    col: usize,
    index: Option<usize>,
    source: Option<String>,
}

#[derive(Deserialize)]
struct ReportJson {
    version: u32,
    shard: Option<Header>,
    claims: Vec<ClaimJson>,
    systems: Vec<serde_json::Value>,
}

/// A JSON object's entries in the file's order (a witness's variables in binding order).
struct Ordered(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ordered, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of variables and exact values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(Entries)
    }
}

/// Reads a shard's JSON report (`stabcert check --shard K/N --format json`).
pub fn read(path: &Path) -> Result<ShardFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
    parse(path, &text)
}

/// Parses the text of a shard's JSON report read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<ShardFile> {
    let shown = path.display();
    let bad = |why: String| Error::Input(format!("{shown}: {why}"));
    let report: ReportJson =
        serde_json::from_str(text).map_err(|e| bad(format!("not a stabcert JSON report: {e}")))?;
    if report.version != 1 {
        return Err(bad(format!(
            "report version {} (this stabcert reads version 1)",
            report.version
        )));
    }
    let Some(header) = report.shard else {
        return Err(bad(
            "not a shard's report (it has no \"shard\" object); make shards \
             with `stabcert check --shard K/N --format json`"
                .into(),
        ));
    };
    if !(1..=header.n).contains(&header.k) || header.n > MAX_SHARDS {
        return Err(bad(format!(
            "shard {}/{} is not a shard (1 <= K <= N <= {MAX_SHARDS})",
            header.k, header.n
        )));
    }
    let claims = report
        .claims
        .into_iter()
        .map(|c| {
            let (Some(index), Some(source)) = (c.index, c.source) else {
                return Err(bad(format!(
                    "claim `{}` has no \"index\" or \"source\": not a shard's report",
                    c.name
                )));
            };
            Ok(ClaimRow {
                index,
                file: c.file,
                name: c.name,
                description: c.description,
                expect: c.expect,
                verdict: c.verdict,
                witness: c.witness.map(|w| w.0),
                failing: c.failing,
                reason: c.reason,
                vacuous: c.vacuous,
                vacuous_reason: c.vacuous_reason,
                boxes: c.boxes,
                millis: c.millis,
                line: c.line,
                col: c.col,
                source,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let systems = report
        .systems
        .into_iter()
        .enumerate()
        .map(|(i, json)| system_row(json).ok_or_else(|| bad(format!("system {i} is incomplete"))))
        .collect::<Result<Vec<_>>>()?;
    Ok(ShardFile {
        path: path.to_path_buf(),
        header,
        claims,
        systems,
    })
}

/// A system of a shard's report: its JSON object without the shard's `index` and `text`.
fn system_row(mut json: serde_json::Value) -> Option<SystemRow> {
    let o = json.as_object_mut()?;
    let index = usize::try_from(o.remove("index")?.as_u64()?).ok()?;
    let text = o.remove("text")?.as_str()?.to_string();
    let name = o.get("name")?.as_str()?.to_string();
    let file = o.get("file")?.as_str()?.to_string();
    let holds = o.get("holds")?.as_bool()?;
    let problems = o.get("problems")?.as_array()?;
    let problems = problems
        .iter()
        .map(|p| p.as_str().map(str::to_string))
        .collect::<Option<Vec<_>>>()?;
    Some(SystemRow {
        index,
        name,
        file,
        holds,
        problems,
        text,
        json,
    })
}

/// The shards put back together: every claim and system of the document, in its order.
#[derive(Clone, Debug)]
pub struct Merged {
    /// Every claim's row, in document order.
    pub claims: Vec<ClaimRow>,
    /// Every system's row, in document order.
    pub systems: Vec<SystemRow>,
}

impl Merged {
    /// Whether every claim is met and every system holds.
    pub fn all_met(&self) -> bool {
        self.claims.iter().all(ClaimRow::is_met) && self.systems.iter().all(|s| s.holds)
    }
}

/// Puts the shards of one split of one document together; refuses shards of different
/// splits, documents or stabcert versions, a shard given twice or missing, and a claim or
/// system found twice or nowhere.
pub fn merge(shards: &[ShardFile]) -> Result<Merged> {
    let Some(first) = shards.first() else {
        return Err(Error::Input("merge: no shard reports given".into()));
    };
    let (h0, p0) = (&first.header, first.path.display());
    for s in &shards[1..] {
        let (h, p) = (&s.header, s.path.display());
        if h.stabcert != h0.stabcert {
            return Err(Error::Input(format!(
                "{p0} was made by stabcert {} but {p} by stabcert {}: make every shard with the \
                 same stabcert",
                h0.stabcert, h.stabcert
            )));
        }
        if h.n != h0.n {
            return Err(Error::Input(format!(
                "{p0} is shard {}/{} but {p} is shard {}/{}: every shard must come from the \
                 same split (the same N in --shard K/N)",
                h0.k, h0.n, h.k, h.n
            )));
        }
        let same_document = h.fingerprint == h0.fingerprint
            && h.total_claims == h0.total_claims
            && h.total_systems == h0.total_systems;
        if !same_document {
            return Err(Error::Input(format!(
                "{p0} and {p} were made from different claim files (document fingerprints \
                 {:.12} and {:.12}): every shard must check the same files",
                h0.fingerprint, h.fingerprint
            )));
        }
    }
    let mut by_k: BTreeMap<usize, &Path> = BTreeMap::new();
    for s in shards {
        if let Some(earlier) = by_k.insert(s.header.k, &s.path) {
            return Err(Error::Input(format!(
                "shard {}/{} given twice: {} and {}",
                s.header.k,
                h0.n,
                earlier.display(),
                s.path.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=h0.n)
        .filter(|k| !by_k.contains_key(k))
        .map(|k| format!("{k}/{}", h0.n))
        .collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 {
            "shard"
        } else {
            "shards"
        };
        return Err(Error::Input(format!(
            "{noun} {} missing: merge needs all {} shards of the split",
            missing.join(", "),
            h0.n
        )));
    }
    let claims = gather(
        shards,
        |s| &s.claims,
        |c| (c.index, c.name.as_str()),
        "claim",
        h0.total_claims,
    )?;
    let systems = gather(
        shards,
        |s| &s.systems,
        |c| (c.index, c.name.as_str()),
        "system",
        h0.total_systems,
    )?;
    Ok(Merged { claims, systems })
}

/// The items (claims or systems) of every shard in document order: each index below `total`
/// exactly once.
fn gather<T: Clone>(
    shards: &[ShardFile],
    items: impl Fn(&ShardFile) -> &Vec<T>,
    key: impl Fn(&T) -> (usize, &str),
    noun: &str,
    total: usize,
) -> Result<Vec<T>> {
    let mut found: BTreeMap<usize, (&T, &Path)> = BTreeMap::new();
    for s in shards {
        for item in items(s) {
            let (index, name) = key(item);
            if index >= total {
                return Err(Error::Input(format!(
                    "{}: {noun} `{name}` has index {index}, but the document has {total} {noun}s",
                    s.path.display()
                )));
            }
            if let Some((_, earlier)) = found.insert(index, (item, &s.path)) {
                return Err(Error::Input(format!(
                    "{noun} `{name}` (number {index}) is in two shards: {} and {}",
                    earlier.display(),
                    s.path.display()
                )));
            }
        }
    }
    if found.len() < total {
        let absent: Vec<String> = (0..total)
            .filter(|i| !found.contains_key(i))
            .take(5)
            .map(|i| i.to_string())
            .collect();
        return Err(Error::Input(format!(
            "{} of the document's {total} {noun}s are in no shard (numbers {}{})",
            total - found.len(),
            absent.join(", "),
            if total - found.len() > absent.len() {
                ", ..."
            } else {
                ""
            }
        )));
    }
    Ok(found.into_values().map(|(item, _)| item.clone()).collect())
}

/// Copies the certificates (`*.cert.json`) of the shards' directories `dirs` into `out`
/// (created if needed) and returns how many files there are. Two certificates of the same
/// name must be the same file, and a file already in `out` is never replaced by a different
/// one: either is an input error, found before anything is written.
pub fn merge_certificates(out: &Path, dirs: &[PathBuf]) -> Result<usize> {
    let mut files: BTreeMap<std::ffi::OsString, (PathBuf, Vec<u8>)> = BTreeMap::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            paths.push(entry.map_err(|e| Error::io("cannot read", dir, e))?.path());
        }
        paths.sort();
        for path in paths {
            let Some(name) = path.file_name() else {
                continue;
            };
            if !name.to_string_lossy().ends_with(".cert.json") || !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?;
            match files.get(name) {
                Some((first, earlier)) if *earlier != bytes => {
                    return Err(Error::Input(format!(
                        "{} and {} are different certificates of one name: not merged (shards \
                         of one split never write the same certificate)",
                        first.display(),
                        path.display()
                    )));
                }
                Some(_) => {}
                None => {
                    files.insert(name.to_owned(), (path, bytes));
                }
            }
        }
    }
    let mut writes = Vec::new();
    for (name, (from, bytes)) in &files {
        let to = out.join(name);
        match std::fs::read(&to) {
            Ok(existing) if existing == *bytes => {}
            Ok(_) => {
                return Err(Error::Input(format!(
                    "{} exists and differs from {}: not replaced (merge into an empty \
                     directory)",
                    to.display(),
                    from.display()
                )));
            }
            Err(_) => writes.push((to, bytes)),
        }
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io("cannot create", out, e))?;
    for (to, bytes) in writes {
        write_atomically(&to, bytes).map_err(|e| Error::io("cannot write", &to, e))?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_values_are_checked() {
        assert_eq!("2/4".parse(), Ok(Shard { k: 2, n: 4 }));
        assert_eq!("1/1".parse(), Ok(Shard { k: 1, n: 1 }));
        for bad in [
            "0/2", "3/2", "1/0", "x", "1/", "/2", "-1/2", "1/2/3", " 1/2", "1/20000",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    fn doc(src: &str) -> lang::Document {
        lang::parse_document(Path::new("t.stab"), src).unwrap()
    }

    #[test]
    fn every_unit_is_in_exactly_one_part_and_costly_ones_spread() {
        let d = doc(
            "claim a: forall x in [0, 1], y in [0, x], z in [0, 1] => x*y*z <= 1\n\
             claim b: forall x in [0, 1] => x <= 1\n\
             claim c: forall x in [0, 1], y in [0, 1] => x*y <= 1\n\
             claim d: forall x in [0, 1] => x*x <= 1\n",
        );
        let parts = partition(&d, 2);
        let mut all: Vec<usize> = parts.iter().flat_map(|p| p.claims.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, vec![0, 1, 2, 3]);
        // `a` (three variables, one dependent) costs most, `c` next: different shards.
        assert!(claim_cost(&d.claims[0]) > claim_cost(&d.claims[2]));
        assert!(claim_cost(&d.claims[2]) > claim_cost(&d.claims[3]));
        assert_ne!(parts[0].claims.contains(&0), parts[0].claims.contains(&2));
        // More shards than units: the extra shards are empty.
        let parts = partition(&d, 6);
        assert_eq!(parts.iter().filter(|p| p.claims.is_empty()).count(), 2);
    }
}
