//! The class `unres._unres.Index`: an open index, shared freely between threads. Each
//! method reads its arguments as the command line does (a search through
//! [`unres::SearchParams`], a reference through [`unres::Reference`]), releases the GIL
//! while the library answers, and returns the command line's `--json` objects.

use crate::convert::{error, raise, serde_to_py, to_py, warn};
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::path::PathBuf;
use unres::{AnswerPage, Reference, SearchParams};

/// An open index. `Index(path)` opens the index in `path` and never builds or updates
/// it (as `unres search --index PATH`); `unres.open_or_update` builds or updates it from a
/// corpus first.
#[pyclass(frozen, module = "unres._unres")]
pub(crate) struct Index {
    inner: unres::Index,
    path: PathBuf,
    /// What `open_or_update` did, as a dict's items; empty for `Index(path)`.
    freshness: Vec<(&'static str, serde_json::Value)>,
}

#[pymethods]
impl Index {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| unres::open_index(&path))
            .map_err(|e| error(py, e))?;
        Ok(Index {
            inner,
            path,
            freshness: Vec::new(),
        })
    }

    /// The index folder.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// What `open_or_update` did: `built`, `updated` (the update's report), `stale_while_locked`,
    /// `disk_full`, `replaced_format`; an empty dict for `Index(path)`.
    #[getter]
    fn freshness<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .freshness
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        to_py(py, &serde_json::Value::Object(map))
    }

    fn __repr__(&self) -> String {
        format!("unres.Index({:?})", self.path.display().to_string())
    }

    /// One search: the page of `/api/search` as a dict (`total`, `total_exact`, `offset`,
    /// `limit`, `hits` and `previous`, or `resolutions` / `sessions` for `by`).
    #[pyo3(signature = (q, *, kind=None, session=None, year=None, symbol=None, cites=None,
        sort=None, collapse=false, by=None, limit=None, offset=None, exact=false))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        q: String,
        kind: Option<String>,
        session: Option<String>,
        year: Option<String>,
        symbol: Option<String>,
        cites: Option<String>,
        sort: Option<String>,
        collapse: bool,
        by: Option<String>,
        limit: Option<usize>,
        offset: Option<usize>,
        exact: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = SearchParams {
            q,
            kind,
            session,
            year,
            symbol,
            cites,
            sort,
            collapse,
            by,
            limit,
            offset,
            exact,
        };
        let request = params.to_request().map_err(|e| error(py, e))?;
        let page = py
            .detach(|| -> unres::Result<serde_json::Value> {
                let answer = self.inner.search(&request)?;
                let page = AnswerPage::new(&self.inner, &answer, &request)?;
                Ok(serde_json::to_value(&page).expect("a page is plain data"))
            })
            .map_err(|e| error(py, e))?;
        to_py(py, &page)
    }

    /// Every record of a resolution (`A/RES/78/46`, or one part: `A/RES/78/47 A`), as
    /// `unres show --json` prints them; raises `NotFoundError` when the index has none.
    fn records<'py>(&self, py: Python<'py>, reference: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = read_reference(py, reference)?;
        let records = py
            .detach(|| self.inner.records_at(&r))
            .map_err(|e| error(py, e))?;
        let list = PyList::empty(py);
        for x in &records {
            list.append(record_to_py(py, x)?)?;
        }
        Ok(list.into_any())
    }

    /// The resolution a reference names (its first part when it names none), with its
    /// metadata and `paragraphs` and `footnotes`, as the library holds it.
    fn resolution<'py>(&self, py: Python<'py>, reference: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = read_reference(py, reference)?;
        let found = py
            .detach(|| self.inner.resolution_named(&r))
            .map_err(|e| error(py, e))?;
        serde_to_py(py, &found)
    }

    /// One record (`A/RES/78/46 op.3`), as `unres show SYMBOL REF --json` prints it; of
    /// the first part that has it when the reference names no part.
    fn record<'py>(&self, py: Python<'py>, reference: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = read_reference(py, reference)?;
        if r.record.is_none() {
            return Err(raise(
                py,
                "ParamError",
                format!("`{reference}` names no record; add one such as `op.3`"),
            ));
        }
        let list = self.records(py, reference)?;
        list.get_item(0)
    }

    /// The paragraphs of two versions of a resolution, paired (as `unres diff --json`
    /// prints them); with one reference, against the previous member of its series.
    #[pyo3(signature = (old, new=None, *, changed=false))]
    fn diff<'py>(
        &self,
        py: Python<'py>,
        old: &str,
        new: Option<&str>,
        changed: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (old_ref, new_ref) = match new {
            Some(n) => (Some(read_reference(py, old)?), read_reference(py, n)?),
            None => (None, read_reference(py, old)?),
        };
        let (old, new) = py
            .detach(|| self.inner.versions(old_ref.as_ref(), &new_ref))
            .map_err(|e| error(py, e))?;
        let d = py.detach(|| unres::diff_resolutions(&old, &new));
        let paragraphs: Vec<&unres::ParagraphDiff> = d
            .paragraphs
            .iter()
            .filter(|p| !changed || p.status != unres::Status::Unchanged || p.moved)
            .collect();
        serde_to_py(py, &paragraphs)
    }

    /// A paragraph back through its resolution's series, newest first (`unres history
    /// --json`): `idx.history("A/RES/78/46 op.3")`.
    fn history<'py>(&self, py: Python<'py>, reference: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = read_reference(py, reference)?;
        let steps = py
            .detach(|| self.inner.history_at(&r))
            .map_err(|e| error(py, e))?;
        if steps.is_empty() {
            return Err(raise(py, "NotFoundError", format!("no {r} in the index")));
        }
        serde_to_py(py, &steps)
    }

    /// Records by session and kind (`unres stats --json`).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stats = py.detach(|| self.inner.stats()).map_err(|e| error(py, e))?;
        serde_to_py(py, &stats)
    }
}

/// A reference read by the library; its error as `ParamError`.
fn read_reference(py: Python<'_>, s: &str) -> PyResult<Reference> {
    s.parse::<Reference>().map_err(|e| error(py, e))
}

/// A record as `unres show --json` prints it: the record, plus `place`.
fn record_to_py<'py>(py: Python<'py>, r: &unres::Record) -> PyResult<Bound<'py, PyAny>> {
    let mut v = serde_json::to_value(r).expect("a record is plain data");
    v.as_object_mut()
        .expect("a record is an object")
        .insert("place".into(), r.place().into());
    to_py(py, &v)
}

/// `unres.open_or_update(corpus, index)`: the command line's default path. Builds the
/// index when there is none, updates it when the corpus changed, then opens it.
#[pyfunction]
#[pyo3(signature = (corpus, index, *, progress=None))]
pub(crate) fn open_or_update(
    py: Python<'_>,
    corpus: crate::corpus::Paths,
    index: PathBuf,
    progress: Option<Py<PyAny>>,
) -> PyResult<Index> {
    let roots = corpus.0;
    let opts = unres::BuildOptions::default();
    let callback = crate::corpus::Callback::new(progress);
    let opened = py.detach(|| {
        unres::open_or_update(&index, &roots, &opts, &|d, t| callback.call(d, t), &|_| {})
    });
    callback.raise_any()?;
    let (inner, fresh) = opened.map_err(|e| error(py, e))?;
    if let Some(message) = &fresh.disk_full {
        warn(py, message)?;
    }
    let mut freshness = vec![
        ("built", serde_json::json!(fresh.built)),
        (
            "stale_while_locked",
            serde_json::json!(fresh.stale_while_locked),
        ),
        ("disk_full", serde_json::json!(fresh.disk_full)),
        ("replaced_format", serde_json::json!(fresh.replaced_format)),
    ];
    if let Some(report) = &fresh.updated {
        crate::corpus::warn_report(py, report)?;
        freshness.push(("updated", crate::corpus::report_json(report)));
    }
    Ok(Index {
        inner,
        path: index,
        freshness,
    })
}
