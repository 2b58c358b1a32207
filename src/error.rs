//! Typed errors of the library: what failed, where (file and line), and what to do next.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in `unres`, from reading a corpus file to answering a query.
///
/// Each variant is a failure a caller can act on; its message says what failed, where, and
/// what to do next. New variants may come in later versions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error (part of the message, so not repeated as a source).
        error: std::io::Error,
    },
    /// A corpus file is larger than any resolution ([`crate::MAX_FILE_BYTES`]).
    #[error("{}: {size} bytes, more than the {max} a resolution file may hold; not read", path.display())]
    TooLarge {
        /// The file concerned.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The most a corpus file may hold.
        max: u64,
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
    /// There is no index in the folder (it does not exist): build one.
    #[error("{}: no index here; build one with `unres index` (or `unres index --index DIR PATH...`)", path.display())]
    NoIndex {
        /// The index folder.
        path: PathBuf,
    },
    /// The index path is a file, not a folder.
    #[error("{}: not a folder; an index is a folder", path.display())]
    NotAFolder {
        /// The path given.
        path: PathBuf,
    },
    /// The folder exists but holds no `unres` index (it may hold other files, which only
    /// `--rebuild` may replace).
    #[error("{}: {} that is not an unres index; {}", path.display(),
        if *.empty { "an empty folder" } else { "a folder" },
        if *.building { "choose an empty folder, or pass --rebuild to make it one" }
        else { "build one with `unres index --rebuild`" })]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
        /// The folder is empty.
        empty: bool,
        /// Reported by a build (which refuses to replace the folder's files).
        building: bool,
    },
    /// The index was written in another format version: rebuild it.
    #[error("{}: index format version {found} but this unres reads version {expected}; rebuild it with `unres index --rebuild`", path.display())]
    FormatVersion {
        /// The index folder.
        path: PathBuf,
        /// The version found.
        found: u32,
        /// The version this build of `unres` reads.
        expected: u32,
    },
    /// The index is damaged or incomplete (a file missing or unreadable, a field or the
    /// format record missing): rebuild it.
    #[error("{}: {detail}; rebuild it with `unres index --rebuild`", path.display())]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What was found damaged.
        detail: String,
    },
    /// A first build of the index has not committed yet: it is running, or it was
    /// interrupted and should be run again.
    #[error("{}: the index has no data yet: {}", path.display(),
        if *.running { "a first `unres index` is building it now" }
        else { "the first `unres index` into it was interrupted; run it again" })]
    Unfinished {
        /// The index folder.
        path: PathBuf,
        /// Whether a build holds the writer lock now.
        running: bool,
    },
    /// Another process holds the index's writer lock.
    #[error("{}: index is locked by another process (another `unres index` is running)", path.display())]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The disk holding the index filled up during an update. Nothing was committed: the
    /// index answers from its last commit, and the next update after space is freed
    /// finishes the work.
    #[error("{}: the disk is full ({detail}); nothing was committed and the index answers as before; free some space and run `unres index` again", path.display())]
    DiskFull {
        /// The index folder.
        path: PathBuf,
        /// The error met.
        detail: String,
    },
    /// The build's worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// A search parameter could not be read or passes its cap
    /// ([`crate::SearchParams::to_request`]).
    #[error("{message}")]
    Param {
        /// The parameter's name, as the JSON API gives it (`kind`, `limit`, …).
        name: &'static str,
        /// What was wrong, naming the parameter and quoting the value.
        message: String,
    },
    /// The index holds no such resolution, part or record (a reference's answer). The
    /// command line exits 1 with it, the server answers 404, Python raises `NotFoundError`.
    #[error("{message}")]
    NotFound {
        /// What is missing: `no resolution A/RES/1/1 in the index`, `A/RES/78/47 has no
        /// part C`, `A/RES/78/46 has no op.999`.
        message: String,
    },
    /// A query could not be understood.
    #[error(transparent)]
    Query(#[from] crate::search::query::QueryError),
    /// An error reported by the search engine library (part of the message).
    #[error("index engine: {}", engine_message(.0))]
    Engine(tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The file or folder the error concerns, where there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Io { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Decode { path, .. }
            | Error::Parse { path, .. }
            | Error::NoIndex { path }
            | Error::NotAFolder { path }
            | Error::NotAnIndex { path, .. }
            | Error::FormatVersion { path, .. }
            | Error::Damaged { path, .. }
            | Error::Unfinished { path, .. }
            | Error::Locked { path }
            | Error::DiskFull { path, .. } => Some(path),
            Error::Threads(_)
            | Error::Query(_)
            | Error::Param { .. }
            | Error::NotFound { .. }
            | Error::Engine(_) => None,
        }
    }

    /// Whether the error is a disk (or the user's quota) filling up.
    pub fn is_disk_full(&self) -> bool {
        match self {
            Error::Io { error, .. } => io_full(error),
            Error::Engine(e) => {
                let text = engine_message(e);
                text.contains("No space left on device")
                    || text.contains("os error 28")
                    || text.contains("Disk quota exceeded")
            }
            _ => false,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }
}

fn io_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error() == Some(28)
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Engine(e)
    }
}

/// A plain sentence for an error of the search engine library: the file and the operating
/// system's message where there are some, rather than the library's debug output.
pub(crate) fn engine_message(e: &tantivy::TantivyError) -> String {
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
