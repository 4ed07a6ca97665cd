//! Rechecking certificates (`stabcert recheck`): every certificate through the independent
//! kernel and, against proof files, bound to the statements of those files.
//!
//! Against a [`Document`] (`docs/certificates.md`, "Rechecking against proof files"):
//! - every certificate's claim must be, exactly (all but `file`), a claim of the document or
//!   a claim one of its systems may generate ([`dynamics::candidates`]): a name the document
//!   does not have is rejected, a statement that differs is stale;
//! - no two certificates may be about one claim;
//! - every claim of the document that expects `proved` needs an accepted certificate;
//! - every system's conclusion is re-derived ([`dynamics::rederive`]) from the accepted
//!   certificates alone: a generated claim counts as proved only if a certificate of exactly
//!   that claim is accepted, and an edge not certified absent is taken as present.
//!
//! A certificate that cannot be read (not UTF-8, not JSON, trailing content, too deep, an
//! invalid string escape) is rejected, never skipped.

use crate::cert;
use crate::claim::Claim;
use crate::dynamics::{self, EdgeStatus};
use crate::lang::Document;
use serde::Deserialize;
use serde_json::Value;
use stabcert_kernel as kernel;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A certificate file as read: its path and its bytes.
#[derive(Clone, Debug)]
pub struct Input {
    /// Where it was read from (for messages).
    pub file: PathBuf,
    /// Its contents, unparsed: reading them is part of the check.
    pub bytes: Vec<u8>,
}

/// What became of one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The kernel accepts it (and, against proof files, it is bound to one of their claims).
    Ok {
        /// The claim it proves.
        name: String,
        /// Conclusions proved.
        goals: usize,
        /// Proof-tree nodes checked, over all goals.
        nodes: usize,
    },
    /// Unreadable, rejected by the kernel, stale, unknown or duplicate: the reason.
    Rejected(String),
}

/// One certificate file and what became of it.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The file.
    pub file: PathBuf,
    /// Accepted, or why not.
    pub verdict: Verdict,
}

/// A claim of the proof files that expects `proved` but has no accepted certificate.
#[derive(Clone, Debug)]
pub struct Missing {
    /// The claim's name.
    pub name: String,
    /// The proof file that states it.
    pub file: PathBuf,
    /// Its line there.
    pub line: usize,
}

/// A system's conclusion, re-derived from the accepted certificates.
#[derive(Clone, Debug)]
pub struct SystemCheck {
    /// The system's name.
    pub name: String,
    /// The proof file that states it.
    pub file: PathBuf,
    /// Its line there.
    pub line: usize,
    /// Edges certified absent, out of all edges.
    pub absent: usize,
    /// All edges between its regions (`n²` for `n` regions).
    pub edges: usize,
    /// Edges not certified absent (taken as present), `A -> B`.
    pub not_absent: Vec<String>,
    /// Why the conclusion does not follow; empty if it does.
    pub problems: Vec<String>,
}

/// The outcome of a recheck.
#[derive(Clone, Debug)]
pub struct Recheck {
    /// Every certificate read, in the order given.
    pub certificates: Vec<Certificate>,
    /// Whether the certificates were checked against proof files.
    pub against: bool,
    /// Claims expecting `proved` without an accepted certificate (against proof files only).
    pub missing: Vec<Missing>,
    /// Each system of the proof files, re-derived from the accepted certificates.
    pub systems: Vec<SystemCheck>,
}

impl Recheck {
    /// How many certificates were rejected.
    pub fn rejected(&self) -> usize {
        let bad = |c: &&Certificate| matches!(c.verdict, Verdict::Rejected(_));
        self.certificates.iter().filter(bad).count()
    }

    /// Every certificate accepted, none missing, every system's conclusion follows.
    pub fn ok(&self) -> bool {
        self.rejected() == 0 && self.missing.is_empty() && self.systems.iter().all(|s| s.ok())
    }

    /// One line per certificate, missing claim and system, then a summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for c in &self.certificates {
            out.push_str(&match &c.verdict {
                Verdict::Ok { name, goals, nodes } => {
                    format!("ok        {name}  ({goals} goals, {nodes} nodes)\n")
                }
                Verdict::Rejected(why) => format!("REJECTED  {}: {why}\n", c.file.display()),
            });
        }
        for m in &self.missing {
            out.push_str(&format!(
                "MISSING   {} ({}:{}): no accepted certificate\n",
                m.name,
                m.file.display(),
                m.line
            ));
        }
        for s in &self.systems {
            let edges = format!("{} of {} edges certified absent", s.absent, s.edges);
            if s.ok() {
                out.push_str(&format!("ok        system {}  ({edges})\n", s.name));
                continue;
            }
            let at = format!("{}:{}", s.file.display(), s.line);
            for p in &s.problems {
                out.push_str(&format!("FAILS     system {} ({at}): {p}\n", s.name));
            }
            out.push_str(&format!(
                "          ({edges}; taken as present: {})\n",
                s.not_absent.join(", ")
            ));
        }
        let n = self.certificates.len();
        let rejected = self.rejected();
        let lines = kernel::kernel_size_lines();
        out.push_str(&format!(
            "{n} certificates: {} checked, {rejected} rejected",
            n - rejected
        ));
        if self.against {
            let follow = self.systems.iter().filter(|s| s.ok()).count();
            out.push_str(&format!(
                "; {} missing; {follow} of {} systems follow",
                self.missing.len(),
                self.systems.len()
            ));
        }
        out.push_str(&format!(" (kernel: {lines} lines)\n"));
        out
    }
}

impl SystemCheck {
    /// Whether the system's conclusion follows from the accepted certificates.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Rechecks `inputs` with the kernel and, if given, against the claims and systems of
/// `against`.
pub fn recheck(inputs: &[Input], against: Option<&Document>) -> Recheck {
    // Certificates are JSON up to the kernel's depth bound: parsing, comparing and dropping
    // their trees recurses that deep.
    kernel::on_kernel_stack(|| run(inputs, against))
}

/// A certificate the kernel accepted, with its claim (all but `file`).
struct Accepted {
    name: String,
    goals: usize,
    nodes: usize,
    claim: Value,
}

fn run(inputs: &[Input], against: Option<&Document>) -> Recheck {
    let read: Vec<Result<Accepted, String>> = inputs.iter().map(read_one).collect();
    let Some(doc) = against else {
        let certificates = inputs.iter().zip(read).map(|(i, r)| Certificate {
            file: i.file.clone(),
            verdict: r.map_or_else(Verdict::Rejected, |a| ok(&a)),
        });
        return Recheck {
            certificates: certificates.collect(),
            against: false,
            missing: Vec::new(),
            systems: Vec::new(),
        };
    };
    let expected = expected_claims(doc);
    // Which inputs are about each name.
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, r) in read.iter().enumerate() {
        if let Ok(a) = r {
            by_name.entry(&a.name).or_default().push(k);
        }
    }
    let mut certificates = Vec::new();
    let mut accepted: BTreeMap<&str, &Value> = BTreeMap::new();
    for (k, (input, r)) in inputs.iter().zip(&read).enumerate() {
        let verdict = match r {
            Err(why) => Verdict::Rejected(why.clone()),
            Ok(a) => match bind(a, k, &by_name, &expected, inputs) {
                Err(why) => Verdict::Rejected(why),
                Ok(()) => {
                    accepted.insert(&a.name, &a.claim);
                    ok(a)
                }
            },
        };
        certificates.push(Certificate {
            file: input.file.clone(),
            verdict,
        });
    }
    let missing = doc
        .claims
        .iter()
        .filter(|c| needs_certificate(c) && !accepted.contains_key(c.name.as_str()))
        .map(|c| Missing {
            name: c.name.clone(),
            file: c.file.clone(),
            line: c.pos.line,
        })
        .collect();
    let systems = doc
        .systems
        .iter()
        .map(|sys| {
            let mut proved = |c: &Claim| {
                let claim = accepted.get(c.name.as_str());
                claim.is_some_and(|v| **v == identity(c))
            };
            let r = dynamics::rederive(sys, &mut proved);
            let not_absent: Vec<String> = r
                .edges
                .iter()
                .filter(|e| e.status != EdgeStatus::Absent)
                .map(|e| format!("{} -> {}", e.from, e.to))
                .collect();
            SystemCheck {
                name: sys.name.clone(),
                file: sys.file.clone(),
                line: sys.pos.line,
                absent: r.edges.len() - not_absent.len(),
                edges: r.edges.len(),
                not_absent,
                problems: r.problems,
            }
        })
        .collect();
    Recheck {
        certificates,
        against: true,
        missing,
        systems,
    }
}

fn ok(a: &Accepted) -> Verdict {
    Verdict::Ok {
        name: a.name.clone(),
        goals: a.goals,
        nodes: a.nodes,
    }
}

/// Whether the proof files expect the claim to be proved, hence need its certificate.
fn needs_certificate(claim: &Claim) -> bool {
    crate::output::expected_verdict(claim.expect) == crate::prover::Verdict::Proved
}

/// The statements a certificate may be about: each claim of `doc`, and every claim its
/// systems may generate (an `expand` escape lemma has two variants under one name).
type Expected = BTreeMap<String, Vec<(Value, PathBuf, usize)>>;

fn expected_claims(doc: &Document) -> Expected {
    let mut out: Expected = BTreeMap::new();
    let generated = doc.systems.iter().flat_map(dynamics::candidates);
    for c in doc.claims.iter().cloned().chain(generated) {
        let entry = (identity(&c), c.file.clone(), c.pos.line);
        out.entry(c.name).or_default().push(entry);
    }
    out
}

/// Binds the accepted certificate `k` to its claim: the only certificate of that name, and
/// a statement of the proof files exactly.
fn bind(
    a: &Accepted,
    k: usize,
    by_name: &BTreeMap<&str, Vec<usize>>,
    expected: &Expected,
    inputs: &[Input],
) -> Result<(), String> {
    let name = &a.name;
    let others: Vec<String> = by_name
        .get(name.as_str())
        .into_iter()
        .flatten()
        .filter(|j| **j != k)
        .map(|j| inputs[*j].file.display().to_string())
        .collect();
    if !others.is_empty() {
        let others = others.join(", ");
        return Err(format!("claim `{name}` has another certificate: {others}"));
    }
    let Some(statements) = expected.get(name) else {
        return Err(format!("no claim `{name}` in the given proof files"));
    };
    if statements.iter().any(|(v, _, _)| *v == a.claim) {
        return Ok(());
    }
    let (_, file, line) = &statements[0];
    Err(format!(
        "stale: claim `{name}` is not the claim of that name at {}:{line}",
        file.display()
    ))
}

/// A claim as its certificate states it, but for `file` (the same claim read through
/// another path is the same claim).
fn identity(claim: &Claim) -> Value {
    without_file(cert::claim_json(claim))
}

fn without_file(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("file");
    }
    v
}

/// Reads one certificate: UTF-8, accepted by the kernel, and valid JSON throughout (the
/// kernel skips fields it does not know without reading them).
fn read_one(input: &Input) -> Result<Accepted, String> {
    let text = std::str::from_utf8(&input.bytes)
        .map_err(|e| format!("unreadable certificate: not UTF-8 text ({e})"))?;
    let checked = kernel::check_certificate(text).map_err(|e| e.to_string())?;
    let value = parse_whole(text).map_err(|e| format!("unreadable certificate: {e}"))?;
    #[derive(Deserialize)]
    struct Top {
        claim: Value,
    }
    let top = Top::deserialize(value).map_err(|e| format!("unreadable certificate: {e}"))?;
    Ok(Accepted {
        name: checked.name,
        goals: checked.goals,
        nodes: checked.nodes,
        claim: without_file(top.claim),
    })
}

/// `text` as one JSON value, without a depth limit (the kernel bounds it) and with nothing
/// after it.
fn parse_whole(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}
