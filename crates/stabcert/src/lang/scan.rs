//! A cheap lexical pre-pass over a whole file, before pest sees any of it.
//!
//! pest recurses once per bracket level and keeps a token queue proportional to its input, so
//! hostile input (100 000 nested parentheses, a 10 MB sum) must be refused here, in constant
//! stack and without building anything big. The pass also splits the file into items at the
//! keywords `let`, `def` and `claim`, so that each item is parsed on its own.

use super::SrcError;

/// Deepest bracket nesting accepted (`(` and `[` together).
pub const MAX_BRACKET_DEPTH: usize = 256;

/// Most tokens in one item; the limit after expansion (`MAX_NODES`) is about half of it,
/// since every binary operator is a token but also joins two nodes.
pub const MAX_ITEM_TOKENS: usize = 400_000;

const ITEM_KEYWORDS: [&str; 4] = ["let", "def", "claim", "system"];

/// The result of the pre-pass: byte ranges of the items, in order.
#[derive(Debug)]
pub struct Scanned {
    /// `(start, end)` byte offsets; the first one holds whatever precedes the first item
    /// keyword (normally only comments and blank space) and may be empty.
    pub segments: Vec<(usize, usize)>,
    /// Whether the file holds anything but blank space and comments.
    pub has_tokens: bool,
}

/// Rejects NUL bytes, which mark a binary file even when it happens to be valid UTF-8.
pub fn check_text(src: &str) -> Result<(), SrcError> {
    match src.find('\0') {
        Some(at) => Err(SrcError::new(at, "binary or non-UTF-8 file")),
        None => Ok(()),
    }
}

/// Checks nesting and item sizes and finds the item boundaries.
pub fn scan(src: &str) -> Result<Scanned, SrcError> {
    let mut scanner = Scanner {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        depth: 0,
        segments: Vec::new(),
        segment_start: 0,
        segment_tokens: 0,
        has_tokens: false,
    };
    scanner.run()?;
    scanner.segments.push((scanner.segment_start, src.len()));
    Ok(Scanned {
        segments: scanner.segments,
        has_tokens: scanner.has_tokens,
    })
}

struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    segments: Vec<(usize, usize)>,
    segment_start: usize,
    segment_tokens: usize,
    has_tokens: bool,
}

impl Scanner<'_> {
    fn run(&mut self) -> Result<(), SrcError> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'#' => self.skip_line(),
                b'"' => self.token(|s| s.skip_string())?,
                _ if is_word_byte(b) => self.word()?,
                _ if b.is_ascii_whitespace() => self.pos += 1,
                // A byte-order mark is blank space to the grammar too.
                0xEF if self.src[self.pos..].starts_with('\u{FEFF}') => self.pos += 3,
                _ => self.token(|s| s.punctuation())?,
            }
        }
        Ok(())
    }

    /// Counts one token that starts here, then lets `advance` step over it.
    fn token(
        &mut self,
        advance: impl FnOnce(&mut Self) -> Result<(), SrcError>,
    ) -> Result<(), SrcError> {
        self.has_tokens = true;
        self.segment_tokens += 1;
        if self.segment_tokens > MAX_ITEM_TOKENS {
            let msg = format!("item too large: more than {MAX_ITEM_TOKENS} tokens");
            return Err(SrcError::new(self.segment_start, msg));
        }
        advance(self)
    }

    fn skip_line(&mut self) {
        self.pos = memchr_newline(self.bytes, self.pos);
    }

    /// A description runs to the closing quote or, if unterminated, to the end of the line
    /// (pest reports the missing quote).
    fn skip_string(&mut self) -> Result<(), SrcError> {
        self.pos += 1;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                // Only ASCII is skipped two at a time, so `pos` stays on a char boundary.
                b'\\' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'\\')) => {
                    self.pos += 2
                }
                b'\n' => return Ok(()),
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        Ok(())
    }

    /// Names, keywords and numbers: a maximal run of word bytes. An item keyword starts a new
    /// segment.
    fn word(&mut self) -> Result<(), SrcError> {
        let start = self.pos;
        let end = self.bytes[start..]
            .iter()
            .position(|&b| !is_word_byte(b) && b != b'.')
            .map_or(self.bytes.len(), |n| start + n);
        if ITEM_KEYWORDS.contains(&&self.src[start..end]) {
            self.segments.push((self.segment_start, start));
            self.segment_start = start;
            self.segment_tokens = 0;
        }
        self.token(|s| {
            s.pos = end;
            Ok(())
        })
    }

    /// One operator or punctuation character (or any other character, which pest rejects).
    fn punctuation(&mut self) -> Result<(), SrcError> {
        let at = self.pos;
        let b = self.bytes[at];
        match b {
            b'(' | b'[' => {
                self.depth += 1;
                if self.depth > MAX_BRACKET_DEPTH {
                    let msg = format!(
                        "expression nested too deeply (more than {MAX_BRACKET_DEPTH} levels of brackets)"
                    );
                    return Err(SrcError::new(at, msg));
                }
            }
            b')' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        // Step over a whole UTF-8 character so that segment boundaries stay on char
        // boundaries.
        let len = self.src[at..].chars().next().map_or(1, char::len_utf8);
        self.pos = at + len;
        Ok(())
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}
