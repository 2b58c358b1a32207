//! Typed errors of the library: what failed, where (file and line), and what to do next.

use std::path::PathBuf;

/// Everything that can go wrong in `unres`, from reading a corpus file to answering a query.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error (part of the message, so not repeated as a source).
        error: std::io::Error,
    },
    /// A file's bytes are not text in an encoding `unres` reads.
    #[error("{}:{line}: {message}", path.display())]
    Decode {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line of the first offending byte.
        line: usize,
        /// What was found and what was expected.
        message: String,
    },
    /// A file is text but not a resolution `unres` can read.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line where the problem was seen.
        line: usize,
        /// What was found and what was expected.
        message: String,
    },
    /// The index folder is missing, is not an index, or has another format version.
    #[error("{}: {message}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// Another process holds the index's writer lock.
    #[error("{}: index is locked by another process (another `unres index` is running)", path.display())]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// A query could not be understood.
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    /// An error reported by the search engine library (part of the message).
    #[error("index engine: {}", engine_message(.0))]
    Engine(tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Engine(e)
    }
}

/// A plain sentence for an error of the search engine library: the file and the operating
/// system's message where there are some, rather than the library's debug output.
pub fn engine_message(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError as T;
    match e {
        T::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("file {} is missing", p.display())
        }
        T::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("cannot read {}: {io_error}", filepath.display())
        }
        T::OpenReadError(OpenReadError::IncompatibleIndex(_)) | T::IncompatibleIndex(_) => {
            "the index was written by an incompatible version".to_string()
        }
        T::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
            format!("cannot write {}: {io_error}", filepath.display())
        }
        T::OpenWriteError(OpenWriteError::FileAlreadyExists(p)) => {
            format!("file {} already exists", p.display())
        }
        T::LockFailure(LockError::LockBusy, _) => "the index is locked".to_string(),
        T::LockFailure(LockError::IoError(io), _) => format!("cannot take a lock: {io}"),
        T::IoError(io) => io.to_string(),
        other => other.to_string(),
    }
}
