//! Where an index lives on disk: tantivy's memory-mapped directory, made readable on a
//! read-only file system (searching takes no lock there, since nothing can write), and the
//! `unres` writer lock that one `unres index` holds for a whole build.

use crate::error::{Error, Result};
use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// The name of the writer lock file inside an index folder.
pub(crate) const LOCK_FILE: &str = ".unres-writer.lock";

/// A memory-mapped index folder for readers: where the file system is read-only (or the
/// folder not writable), the locks tantivy takes to protect files from a concurrent writer
/// are skipped, since no writer can exist there.
#[derive(Clone, Debug)]
pub(crate) struct ReaderDirectory {
    inner: MmapDirectory,
}

impl ReaderDirectory {
    /// Opens the folder.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let inner = MmapDirectory::open(path).map_err(|e| Error::Damaged {
            path: path.into(),
            detail: format!("cannot open the folder: {e}"),
        })?;
        Ok(ReaderDirectory { inner })
    }
}

fn cannot_write(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

impl Directory for ReaderDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e)) if cannot_write(&e) => Ok(DirectoryLock::from(Box::new(()))),
            other => other,
        }
    }
}

/// The writer lock of an index folder, held until dropped. Taken before anything in the
/// folder is read or changed, so that two `unres index` never work on one index at once.
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

impl Drop for WriterLock {
    /// Releases the lock explicitly before the file is closed: a process forked by this one
    /// in the meantime shares the lock until it runs its program, and closing this copy of
    /// the file alone would leave the lock held that long.
    fn drop(&mut self) {
        let _ = self._file.unlock();
    }
}

impl WriterLock {
    /// Takes the lock without waiting: [`Error::Locked`] when another process holds it.
    pub(crate) fn acquire(dir: &Path) -> Result<Self> {
        let path: PathBuf = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked { path: dir.into() }),
            Err(TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// Is the lock of `dir` held by someone right now? (False when it cannot be told.)
    pub(crate) fn is_held(dir: &Path) -> bool {
        let Ok(file) = File::options().write(true).open(dir.join(LOCK_FILE)) else {
            return false;
        };
        matches!(file.try_lock(), Err(TryLockError::WouldBlock))
    }
}
