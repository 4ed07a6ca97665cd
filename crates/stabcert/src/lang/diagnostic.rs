//! Input errors as `file:line:col: message`, the offending line and a caret.

use crate::claim::Pos;
use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};

/// An input error, rendered by `Display` as
///
/// ```text
/// file:line:col: message
/// <the offending line>
///         ^
/// ```
///
/// or as `file: message` when it has no position (a missing file, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or directory) the error is about, as given.
    pub file: PathBuf,
    /// Where in the file; `None` for an error about the whole file.
    pub pos: Option<Pos>,
    /// What is wrong, one line without the position.
    pub message: String,
    /// The source line `pos` points into, without its line ending.
    pub line_text: Option<String>,
}

impl std::error::Error for Diagnostic {}

impl Diagnostic {
    /// An error about a whole file or path.
    pub fn unpositioned(file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            pos: None,
            message: message.into(),
            line_text: None,
        }
    }

    /// An error at byte `offset` of `bytes`, which need not be valid UTF-8 (a binary file).
    pub(crate) fn at_byte(
        file: &Path,
        bytes: &[u8],
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let offset = offset.min(bytes.len());
        let line_start = bytes[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        let line_end = bytes[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| offset + n);
        let line = 1 + bytes[..line_start].iter().filter(|&&b| b == b'\n').count();
        // Everything before `offset` is valid UTF-8 for the callers, so the lossy decoding of
        // the prefix counts exactly its characters.
        let col = 1 + String::from_utf8_lossy(&bytes[line_start..offset])
            .chars()
            .count();
        let text = String::from_utf8_lossy(&bytes[line_start..line_end]);
        Diagnostic {
            file: file.to_path_buf(),
            pos: Some(Pos { line, col }),
            message: message.into(),
            line_text: Some(text.trim_end_matches('\r').to_string()),
        }
    }
}

/// How many characters of a long line are shown around the caret.
const EXCERPT_WIDTH: usize = 120;
const ELLIPSIS: &str = "...";

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(pos) = &self.pos else {
            return write!(f, "{}: {}", self.file.display(), self.message);
        };
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            pos.line,
            pos.col,
            self.message
        )?;
        if let Some(line) = &self.line_text {
            let (shown, caret) = excerpt(line, pos.col.saturating_sub(1));
            write!(f, "\n{shown}\n{}^", caret_padding(&shown, caret))?;
        }
        Ok(())
    }
}

/// The part of `line` to print and the caret's char index in it. A 10 MB line is cut to a
/// window around the caret; control characters are replaced so that a hostile file cannot
/// drive the terminal.
fn excerpt(line: &str, target: usize) -> (String, usize) {
    let len = line.chars().count();
    let start = if len <= EXCERPT_WIDTH {
        0
    } else {
        target
            .saturating_sub(EXCERPT_WIDTH / 2)
            .min(len - EXCERPT_WIDTH)
    };
    let mut shown = String::new();
    let mut caret = target - start;
    if start > 0 {
        shown.push_str(ELLIPSIS);
        caret += ELLIPSIS.len();
    }
    shown.extend(line.chars().skip(start).take(EXCERPT_WIDTH).map(printable));
    if start + EXCERPT_WIDTH < len {
        shown.push_str(ELLIPSIS);
    }
    (shown, caret)
}

fn printable(c: char) -> char {
    if c.is_control() && c != '\t' {
        char::REPLACEMENT_CHARACTER
    } else {
        c
    }
}

/// Blanks under the first `caret` chars of `shown`, keeping its tabs so that the caret lines
/// up in a terminal whatever its tab width.
fn caret_padding(shown: &str, caret: usize) -> String {
    let mut pad: String = shown
        .chars()
        .take(caret)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let missing = caret.saturating_sub(pad.chars().count());
    pad.extend(std::iter::repeat_n(' ', missing));
    pad
}

/// Byte offsets to line and column, for one source text.
pub(crate) struct LineIndex<'s> {
    src: &'s str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
    /// The last position computed, `(offset, line, col)`: claims are located in file order,
    /// and without it a file of many claims on one long line would take quadratic time to
    /// count columns.
    last: Cell<(usize, usize, usize)>,
}

impl<'s> LineIndex<'s> {
    pub fn new(src: &'s str) -> LineIndex<'s> {
        let newlines = src.match_indices('\n').map(|(i, _)| i + 1);
        LineIndex {
            src,
            starts: std::iter::once(0).chain(newlines).collect(),
            last: Cell::new((0, 1, 1)),
        }
    }

    /// 1-based line and column (in chars) of byte `offset`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = self.floor(offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let (last_offset, last_line, last_col) = self.last.get();
        let col = if last_line == line && last_offset <= offset {
            last_col + self.src[last_offset..offset].chars().count()
        } else {
            1 + self.src[start..offset].chars().count()
        };
        self.last.set((offset, line, col));
        Pos { line, col }
    }

    /// `line:col` of byte `offset`, for messages that point elsewhere.
    pub fn pos_str(&self, offset: usize) -> String {
        let p = self.pos(offset);
        format!("{}:{}", p.line, p.col)
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &'s str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.src[start..]
            .find('\n')
            .map_or(self.src.len(), |n| start + n);
        self.src[start..end].trim_end_matches('\r')
    }

    /// A diagnostic at byte `offset`.
    pub fn diagnostic(&self, file: &Path, offset: usize, message: impl Into<String>) -> Diagnostic {
        let pos = self.pos(offset);
        let line_text = Some(self.line_text(pos.line).to_string());
        Diagnostic {
            file: file.to_path_buf(),
            pos: Some(pos),
            message: message.into(),
            line_text,
        }
    }

    /// The nearest char boundary at or before `offset`, clamped to the text.
    fn floor(&self, offset: usize) -> usize {
        let mut o = offset.min(self.src.len());
        while !self.src.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}
