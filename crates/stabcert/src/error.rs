//! The library's error type: what went wrong, as data; the binary renders it once and picks
//! the exit status.

use std::path::Path;

/// Why an operation of the library failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input (a file, an argument, a specification): the text is a complete diagnostic,
    /// `file:line:col: message` with the offending line and a caret where there is a
    /// position, printed as it is. The command line exits with status 2.
    #[error("{0}")]
    Input(String),
    /// Reading or writing a file or directory failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done, naming the path (`cannot write report/index.html`).
        what: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A failure of the environment or of stabcert itself (a thread pool that cannot start, a
    /// figure that cannot be drawn, JSON that cannot be produced).
    #[error("{0}")]
    Internal(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Io`] naming what was being done to `path`.
    pub fn io(what: &str, path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            what: format!("{what} {}", path.display()),
            source,
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::Internal(format!("cannot produce JSON: {e}"))
    }
}

impl From<std::fmt::Error> for Error {
    fn from(e: std::fmt::Error) -> Error {
        Error::Internal(format!("cannot format the report: {e}"))
    }
}

impl From<quick_junit::SerializeError> for Error {
    fn from(e: quick_junit::SerializeError) -> Error {
        Error::Internal(format!("cannot produce JUnit XML: {e}"))
    }
}
