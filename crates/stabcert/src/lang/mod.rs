//! The claim language (`.stab` files): parsing, name resolution, diagnostics.
//!
//! A file goes through three stages, each of which refuses hostile input cheaply:
//! 1. `scan`: a lexical pre-pass that rejects binary text, deep bracket nesting and huge
//!    items in constant stack, and splits the file into items;
//! 2. `syntax`: the pest grammar (`grammar.pest`), one item at a time;
//! 3. `resolve`: names to values, `def` expansion, variables to `Expr::Var(i)` in binding
//!    order, with the size and depth of every expression bounded.
//!
//! Every failure is a [`Diagnostic`] (`file:line:col: message`, the line, a caret); no input
//! makes the front end panic.
//!
//! Decisions beyond `docs/claim-language.md`:
//! - `^` binds tighter than unary minus (`-x^2` is -(x^2)); then `* /`, then `+ -`, both
//!   left-associative. The exponent is an integer literal in `i32` range, negative as `x^-2`
//!   or `x^(-2)` (both accepted). `x^n` with a named `n` and chained `2^3^2` are refused.
//! - Numbers: `DIGITS[.DIGITS][(e|E)[+|-]DIGITS]` (no `.5`, no `1.`), at most 10 000 digits,
//!   decimal exponent within ±10 000. `-1` is `Neg(1)`; `1/3` stays a `Div`.
//! - Names: ASCII letters, digits and `_`, not starting with a digit; the keywords are
//!   reserved. `vacuous` (as in `expect vacuous`), like a system's clause words, is a
//!   keyword only in its place and may still name a variable. Unicode belongs in comments and descriptions. A description is one line;
//!   `\"` and `\\` are its escapes.
//! - Items are read in order: a `let` or `def` must come before its uses, so a `def` can call
//!   only earlier defs (no recursion). `def one() = 1` is allowed. `let`, `def` and `claim`
//!   names share one namespace per file; lets and defs are local to their file, claim names
//!   unique across a run. Variables and parameters may not shadow built-ins, lets or defs
//!   (they may share a claim's name, which is never referred to).
//! - Limits: 256 levels of brackets, 400 000 tokens per item, 200 000 expression nodes per
//!   claim and depth 2 000 after expansion (a sum of n terms is n deep), 2 000 000 nodes per
//!   file.
//! - A byte-order mark and CRLF line ends are accepted.

mod diagnostic;
mod load;
mod number;
mod resolve;
mod scan;
mod syntax;

pub use diagnostic::Diagnostic;
pub use load::{load_documents, load_paths};
pub use number::decimal;

use crate::claim::{Claim, System};
pub(crate) use diagnostic::LineIndex;
use std::collections::HashMap;
use std::path::Path;

/// An error at a byte offset of the source, before it is given a file and a line.
#[derive(Debug)]
pub(crate) struct SrcError {
    at: usize,
    message: String,
}

impl SrcError {
    fn new(at: usize, message: impl Into<String>) -> SrcError {
        SrcError {
            at,
            message: message.into(),
        }
    }
}

const BINARY: &str = "binary or non-UTF-8 file";

/// What one or more files declare: claims and systems, in file order.
#[derive(Debug, Default)]
pub struct Document {
    /// The claims, in file order.
    pub claims: Vec<Claim>,
    /// The systems, in file order.
    pub systems: Vec<System>,
}

/// Parses the raw bytes of a file: text must be UTF-8 without NUL bytes.
pub fn parse_bytes(file: &Path, bytes: &[u8]) -> Result<Vec<Claim>, Diagnostic> {
    parse_document_bytes(file, bytes).map(|d| d.claims)
}

/// Like [`parse_bytes`], with the file's systems too.
pub fn parse_document_bytes(file: &Path, bytes: &[u8]) -> Result<Document, Diagnostic> {
    if crate::smtlib::is_smtlib(file) {
        return crate::smtlib::parse_document_bytes(file, bytes);
    }
    let nul = bytes.iter().position(|&b| b == 0);
    match std::str::from_utf8(bytes) {
        Ok(src) => parse_document(file, src),
        Err(e) => {
            let at = nul.map_or(e.valid_up_to(), |n| n.min(e.valid_up_to()));
            Err(Diagnostic::at_byte(file, bytes, at, BINARY))
        }
    }
}

/// Parses and resolves the claims of one file; `file` is only used in claims and messages.
pub fn parse_source(file: &Path, src: &str) -> Result<Vec<Claim>, Diagnostic> {
    parse_document(file, src).map(|d| d.claims)
}

/// Parses and resolves the claims and systems of one file.
pub fn parse_document(file: &Path, src: &str) -> Result<Document, Diagnostic> {
    let lines = LineIndex::new(src);
    document(file, src, &lines).map_err(|e| lines.diagnostic(file, e.at, e.message))
}

fn document(file: &Path, src: &str, lines: &LineIndex<'_>) -> Result<Document, SrcError> {
    scan::check_text(src)?;
    let scanned = scan::scan(src)?;
    if !scanned.has_tokens {
        return Err(SrcError::new(0, "empty file: no items"));
    }
    let declared = declared_names(src, &scanned.segments);
    let mut resolver = resolve::Resolver::new(file, lines, declared);
    for &(start, end) in &scanned.segments {
        // The tree of one item is dropped before the next is parsed.
        if let Some(item) = syntax::parse_segment(src, start, end)? {
            resolver.item(start, item)?;
        }
    }
    let (claims, systems) = resolver.finish();
    Ok(Document { claims, systems })
}

/// The name after each item keyword, and where it is, for "defined later" hints. A rough
/// textual look is enough: the parser checks the real thing.
fn declared_names(src: &str, segments: &[(usize, usize)]) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for &(start, end) in segments {
        let text = &src[start..end];
        let Some(after_kw) = text.find(|c: char| !c.is_ascii_alphanumeric() && c != '_') else {
            continue;
        };
        let rest = &text[after_kw..];
        let name_start = after_kw + (rest.len() - rest.trim_start().len());
        let name: String = text[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.entry(name).or_insert(start + name_start);
        }
    }
    names
}
