//! The directory a report is written into, and what may be replaced.
//!
//! `stabcert report --out DIR` replaces `DIR` as a whole, so it must never take a directory
//! it did not write: `DIR` is replaced only if it does not exist, is empty, or holds the
//! marker file [`MARKER`] that every report directory gets. Anything else (a file, a
//! symbolic link, a directory of the user's files) is refused before any work is done, and
//! checked again just before the replacement.

use std::path::{Path, PathBuf};

/// The marker file in every report directory.
pub const MARKER: &str = ".stabcert-report";

/// The marker's contents: one version line.
pub const MARKER_TEXT: &str = "stabcert report 1\n";

/// The first words of the version line of a marker from any version.
const MARKER_PREFIX: &str = "stabcert report ";

/// Entries named when a directory is refused.
const SHOWN_ENTRIES: usize = 3;

/// Why `--out DIR` may not be replaced.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    /// `.`, `..` or `/`: no directory name to replace.
    #[error("--out {}: name a directory to create or replace", .0.display())]
    NoName(PathBuf),
    /// A file or something else that is not a directory.
    #[error("--out {}: exists and is not a directory; refusing to replace it", .0.display())]
    NotADirectory(PathBuf),
    /// A symbolic link (replacing it would not replace what it points to).
    #[error(
        "--out {}: is a symbolic link; refusing to replace it (name the directory itself)",
        .0.display()
    )]
    Symlink(PathBuf),
    /// A directory with other files and no report marker, and a few of its entries.
    #[error(
        "--out {}: is not empty and is not a stabcert report (no {MARKER} file; it holds {}); \
         refusing to replace it: name a new or empty directory, or a previous report",
        .0.display(), .1
    )]
    Foreign(PathBuf, String),
    /// The directory could not be listed.
    #[error("--out {}: cannot read it: {}", .0.display(), .1)]
    Unreadable(PathBuf, std::io::Error),
}

/// Whether the report may be written to `out`, replacing it: `Ok` if `out` does not exist,
/// is an empty directory, or is a directory holding a report marker.
pub fn check_replaceable(out: &Path) -> Result<(), OutDirError> {
    if out.file_name().is_none() {
        return Err(OutDirError::NoName(out.to_path_buf()));
    }
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutDirError::Unreadable(out.to_path_buf(), e)),
    };
    if meta.file_type().is_symlink() {
        return Err(OutDirError::Symlink(out.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutDirError::NotADirectory(out.to_path_buf()));
    }
    if is_report(out) {
        return Ok(());
    }
    let unreadable = |e| OutDirError::Unreadable(out.to_path_buf(), e);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(out).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let more = match names.len().saturating_sub(SHOWN_ENTRIES) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    names.truncate(SHOWN_ENTRIES);
    Err(OutDirError::Foreign(
        out.to_path_buf(),
        format!("{}{more}", names.join(", ")),
    ))
}

/// Whether `dir` holds a report marker: a regular file whose first line names a report.
fn is_report(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    let regular = std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
    regular && std::fs::read(&marker).is_ok_and(|bytes| bytes.starts_with(MARKER_PREFIX.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_missing_empty_and_marked_directories_are_replaceable() {
        let tmp = tempfile::TempDir::new().unwrap();
        let at = |p: &str| tmp.path().join(p);
        assert!(check_replaceable(&at("new")).is_ok());
        std::fs::create_dir(at("empty")).unwrap();
        assert!(check_replaceable(&at("empty")).is_ok());
        std::fs::create_dir(at("user")).unwrap();
        std::fs::write(at("user/notes.txt"), "mine").unwrap();
        let err = check_replaceable(&at("user")).unwrap_err().to_string();
        assert!(err.contains("notes.txt") && err.contains(MARKER), "{err}");
        // A marker that is not one (another tool's file of that name, or a directory).
        std::fs::write(at("user").join(MARKER), "something else\n").unwrap();
        assert!(check_replaceable(&at("user")).is_err());
        std::fs::create_dir(at("fake")).unwrap();
        std::fs::create_dir(at("fake").join(MARKER)).unwrap();
        assert!(check_replaceable(&at("fake")).is_err());
        std::fs::write(at("user").join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_replaceable(&at("user")).is_ok());
        std::fs::write(at("file"), "x").unwrap();
        assert!(matches!(
            check_replaceable(&at("file")),
            Err(OutDirError::NotADirectory(_))
        ));
        for p in [".", "..", "/", "a/.."] {
            assert!(
                matches!(check_replaceable(Path::new(p)), Err(OutDirError::NoName(_))),
                "{p}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(at("empty"), at("link")).unwrap();
            assert!(matches!(
                check_replaceable(&at("link")),
                Err(OutDirError::Symlink(_))
            ));
        }
    }
}
