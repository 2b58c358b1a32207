//! The index being served, kept current: requests share an [`Arc`] of the open index, and
//! [`Served::refresh`] (run on a timer) swaps in a newly opened one when the index folder
//! holds a newer commit, first updating the index when the corpus it is built from changed.
//! A request holds the index it started with until it ends, so a swap never fails one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use unres::{is_fresh, open_index as open, open_or_update, BuildOptions, Index, Result};

/// An open index.
pub(crate) struct Current {
    /// The index.
    pub(crate) index: Index,
}

/// The index a server answers from, reopened when a newer commit exists.
///
/// Made with [`Served::open`] (or [`Served::new`] from an open index), with the corpus
/// folders the index is built from when it should be kept current from them, as `search`
/// keeps the default index.
pub struct Served {
    dir: PathBuf,
    roots: Vec<PathBuf>,
    current: RwLock<Arc<Current>>,
    /// Held while a refresh runs: a second one at the same time returns at once.
    refreshing: Mutex<()>,
    /// Whether the last refresh found the corpus changed while another process was
    /// writing the index (said once, not at every refresh while it lasts).
    stale: Mutex<bool>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served")
            .field("dir", &self.dir)
            .field("roots", &self.roots)
            .finish_non_exhaustive()
    }
}

impl Served {
    /// Serves the index in `dir`; [`Served::refresh`] reopens it when another process
    /// (`unres index`) has committed to it. With `roots`, the corpus folders it is built
    /// from, [`Served::refresh`] also brings the index up to date when they change
    /// ([`unres::open_or_update`]).
    pub fn open(dir: &Path, roots: Vec<PathBuf>) -> Result<Served> {
        Ok(Served::new(open(dir)?, roots))
    }

    /// Serves `index`, an index already open, as [`Served::open`] does.
    pub fn new(index: Index, roots: Vec<PathBuf>) -> Served {
        Served {
            dir: index.dir().to_path_buf(),
            roots,
            current: RwLock::new(Arc::new(Current { index })),
            refreshing: Mutex::new(()),
            stale: Mutex::new(false),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The index as it is now; a request keeps it until it ends.
    pub(crate) fn current(&self) -> Arc<Current> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Checks once whether the index changed: with corpus folders, updates the index when
    /// they changed (unless another process is writing it); then reopens the index when its
    /// folder holds a newer commit than the one served. Returns a line saying what changed,
    /// if anything did. Cheap when nothing
    /// changed: a `stat` per corpus folder and a read of the commit's small `meta.json`.
    ///
    /// Runs file-system work and possibly an index update: call it off the async workers
    /// (the server runs it on the blocking pool). A refresh while another runs returns
    /// `Ok(None)` at once.
    pub fn refresh(&self) -> Result<Option<String>> {
        let Ok(_guard) = self.refreshing.try_lock() else {
            return Ok(None);
        };
        let mut note = None;
        let mut stale = false;
        if self.corpus_changed() {
            // The index is updated (or, when another process is writing it, left as it is);
            // the index it opens is dropped and the commit check below opens the result.
            let (_, fresh) = open_or_update(
                &self.dir,
                &self.roots,
                &BuildOptions::default(),
                &|_, _| {},
                &|_| {},
            )?;
            // The library words what happened, as the command line says it.
            let notes = fresh.notes(&self.corpus_name()).join("; ");
            stale = fresh.disk_full.is_some() || fresh.stale_while_locked;
            let mut said = self.stale.lock().unwrap_or_else(PoisonError::into_inner);
            // Waiting on another writer is said once, not at every refresh.
            let repeated = fresh.stale_while_locked && fresh.disk_full.is_none() && *said;
            if !notes.is_empty() && !repeated {
                note = Some(notes);
            }
            *said = stale;
        }
        if self.current().index.superseded() {
            let index = open(&self.dir)?;
            *self.current.write().unwrap_or_else(PoisonError::into_inner) =
                Arc::new(Current { index });
            if note.is_none() {
                note = Some("the index has a newer commit; reopened it".to_string());
            }
        }
        if !stale {
            *self.stale.lock().unwrap_or_else(PoisonError::into_inner) = false;
        }
        Ok(note)
    }

    /// The corpus folders as notes name them: `corpus/`, or `a/, b/`.
    fn corpus_name(&self) -> String {
        let names: Vec<String> = self
            .roots
            .iter()
            .map(|r| format!("{}/", r.display()))
            .collect();
        names.join(", ")
    }

    /// Whether the corpus folders (if any) changed since the index was last brought up to
    /// date, by the index's freshness record.
    fn corpus_changed(&self) -> bool {
        !self.roots.is_empty()
            && self.roots.iter().all(|r| r.exists())
            && !is_fresh(&self.dir, &self.roots)
    }
}
