//! SMT-LIB S-expressions: a lexical pre-pass in constant stack, then the pest grammar
//! (`sexp.pest`), then a tree with byte offsets.

use pest::error::InputLocation;
use pest::iterators::Pair;
use pest::Parser;
use rug::{Integer, Rational};

#[derive(pest_derive::Parser)]
#[grammar = "smtlib/sexp.pest"]
struct SexpParser;

/// Deepest bracket nesting accepted.
pub const MAX_DEPTH: usize = 1_000;

/// An error at a byte offset of the source.
#[derive(Debug)]
pub struct SexpError {
    /// Byte offset into the source.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

fn err(at: usize, message: impl Into<String>) -> SexpError {
    SexpError {
        at,
        message: message.into(),
    }
}

/// An S-expression and where it starts.
#[derive(Clone, Debug)]
pub struct Sexp {
    /// Byte offset of its first character.
    pub at: usize,
    /// Byte offset just after its last character.
    pub end: usize,
    /// What it is.
    pub kind: Kind,
}

/// The kinds of S-expressions.
#[derive(Clone, Debug)]
pub enum Kind {
    /// `( ... )`
    List(Vec<Sexp>),
    /// A simple or `|quoted|` symbol (without the bars).
    Symbol(String),
    /// `:name`
    Keyword(String),
    /// `123`
    Numeral(Integer),
    /// `1.25`, exactly.
    Decimal(Rational),
    /// `"text"`, or a `#x`/`#b` literal, kept as written.
    Other(String),
}

impl Sexp {
    /// The symbol's name, if it is one.
    pub fn symbol(&self) -> Option<&str> {
        match &self.kind {
            Kind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The list's items, if it is one.
    pub fn list(&self) -> Option<&[Sexp]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }
}

/// Refuses NUL bytes, unbalanced brackets, unterminated strings and quoted symbols, and
/// nesting deeper than [`MAX_DEPTH`], in one pass without recursion.
fn pre_pass(src: &str) -> Result<(), SexpError> {
    let b = src.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0 => return Err(err(i, "binary or non-UTF-8 file")),
            b';' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(err(start, "unterminated string literal")),
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 1,
                        Some(b'"') => break,
                        Some(_) => {}
                    }
                    i += 1;
                }
            }
            b'|' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'|' {
                    if b[i] == b'\\' {
                        return Err(err(i, "`\\` is not allowed in a quoted symbol"));
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return Err(err(start, "unterminated quoted symbol `|...`"));
                }
            }
            b'(' => {
                open.push(i);
                if open.len() > MAX_DEPTH {
                    return Err(err(i, format!("nested more than {MAX_DEPTH} deep")));
                }
            }
            b')' if open.pop().is_none() => return Err(err(i, "unmatched `)`")),
            _ => {}
        }
        i += 1;
    }
    match open.last() {
        Some(&at) => Err(err(at, "unclosed `(`")),
        None => Ok(()),
    }
}

/// Parses a whole file into its top-level S-expressions.
pub fn parse(src: &str) -> Result<Vec<Sexp>, SexpError> {
    pre_pass(src)?;
    let mut pairs = SexpParser::parse(Rule::file, src).map_err(|e| {
        let at = match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        let found = src[at..]
            .chars()
            .next()
            .map_or("end of file".to_string(), |c| {
                format!("`{}`", c.escape_debug())
            });
        err(at, format!("not an S-expression: unexpected {found}"))
    })?;
    let file = pairs.next().ok_or_else(|| err(0, "empty file"))?;
    file.into_inner()
        .filter(|p| p.as_rule() != Rule::EOI)
        .map(convert)
        .collect()
}

fn convert(p: Pair<'_, Rule>) -> Result<Sexp, SexpError> {
    let (at, end) = (p.as_span().start(), p.as_span().end());
    let text = p.as_str();
    let kind = match p.as_rule() {
        Rule::list => Kind::List(p.into_inner().map(convert).collect::<Result<_, _>>()?),
        Rule::symbol => Kind::Symbol(text.to_string()),
        Rule::quoted => Kind::Symbol(text[1..text.len() - 1].to_string()),
        Rule::keyword => Kind::Keyword(text.to_string()),
        Rule::numeral => {
            if text.len() > 10_000 {
                return Err(err(at, "number with more than 10000 digits"));
            }
            Kind::Numeral(text.parse().map_err(|_| err(at, "bad numeral"))?)
        }
        Rule::decimal => {
            if text.len() > 10_000 {
                return Err(err(at, "number with more than 10000 digits"));
            }
            Kind::Decimal(crate::lang::decimal(text).map_err(|m| err(at, m))?)
        }
        _ => Kind::Other(text.to_string()),
    };
    Ok(Sexp { at, end, kind })
}
