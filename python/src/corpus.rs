//! Reading a corpus from Python: `build` (as `unres index`) and `export` (as `unres
//! export`, an iterator of dicts). A file that cannot be read is a warning naming it and
//! why; every good file's records are kept. A progress callback is called with the GIL
//! taken for it, and an exception it raises is raised when the work is done.

use crate::convert::{error, serde_to_py, to_py, warn};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

/// Corpus paths: one path (a `str` or `os.PathLike`) or a list of them.
pub(crate) struct Paths(pub(crate) Vec<PathBuf>);

impl<'a, 'py> FromPyObject<'a, 'py> for Paths {
    type Error = PyErr;

    fn extract(ob: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(one) = ob.extract::<PathBuf>() {
            return Ok(Paths(vec![one]));
        }
        if ob.is_instance_of::<pyo3::types::PyString>() {
            return Err(PyTypeError::new_err(
                "a corpus path must be a str or a path",
            ));
        }
        let mut paths = Vec::new();
        for item in ob.try_iter()? {
            paths.push(item?.extract::<PathBuf>()?);
        }
        Ok(Paths(paths))
    }
}

/// A Python progress callback `progress(done, total)` (bytes read of the files to read),
/// called from the library's worker threads.
pub(crate) struct Callback {
    function: Option<Py<PyAny>>,
    failed: Mutex<Option<PyErr>>,
}

impl Callback {
    pub(crate) fn new(function: Option<Py<PyAny>>) -> Callback {
        Callback {
            function,
            failed: Mutex::new(None),
        }
    }

    /// Calls the function, unless it raised before.
    pub(crate) fn call(&self, done: u64, total: u64) {
        let Some(f) = &self.function else { return };
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if failed.is_some() {
            return;
        }
        Python::attach(|py| {
            if let Err(e) = f.call1(py, (done, total)) {
                *failed = Some(e);
            }
        });
    }

    /// The callback's first exception, raised.
    pub(crate) fn raise_any(&self) -> PyResult<()> {
        match self.failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// A build's report as the dict `build` returns.
pub(crate) fn report_json(r: &unres::BuildReport) -> serde_json::Value {
    serde_json::json!({
        "files": r.files,
        "reindexed": r.reindexed,
        "removed": r.removed,
        "resolutions": r.resolutions,
        "paragraphs": r.paragraphs,
        "footnotes": r.footnotes,
        "failed": r.failed.iter().map(|f| serde_json::json!({"path": f.path, "reason": f.reason})).collect::<Vec<_>>(),
        "duplicates": r.duplicates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "bytes": r.bytes,
        "seconds": r.seconds,
        "committed": r.committed,
    })
}

/// The report's duplicates and skipped files, one warning each (the command line's lines).
pub(crate) fn warn_report(py: Python<'_>, r: &unres::BuildReport) -> PyResult<()> {
    for d in &r.duplicates {
        warn(py, &d.to_string())?;
    }
    for f in &r.failed {
        warn(py, &format!("skipped {}", f.reason))?;
    }
    if let Some(why) = &r.unmerged {
        warn(py, why)?;
    }
    Ok(())
}

/// `unres.build(paths, index)`: builds or updates the index in `index` from the files
/// under `paths` (as `unres index`), and returns its report as a dict.
#[pyfunction]
#[pyo3(signature = (paths, index, *, progress=None, rebuild=false, threads=None))]
pub(crate) fn build<'py>(
    py: Python<'py>,
    paths: Paths,
    index: PathBuf,
    progress: Option<Py<PyAny>>,
    rebuild: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut opts = unres::BuildOptions {
        rebuild,
        ..unres::BuildOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    let callback = Callback::new(progress);
    let built =
        py.detach(|| unres::build_index(&index, &paths.0, &opts, &|d, t| callback.call(d, t)));
    callback.raise_any()?;
    let report = built.map_err(|e| error(py, e))?;
    warn_report(py, &report)?;
    to_py(py, &report_json(&report))
}

/// The records `export` yields, one dict each, in the command line's order.
#[pyclass(module = "unres._unres")]
pub(crate) struct Records {
    records: std::vec::IntoIter<unres::Record>,
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.records.next() {
            Some(r) => Ok(Some(serde_to_py(py, &r)?)),
            None => Ok(None),
        }
    }
}

/// `unres.export(paths)`: the records of the files under `paths`, as `unres export`
/// prints them; each file that cannot be read is a warning naming it, each resolution
/// given again by another file too.
#[pyfunction]
pub(crate) fn export(py: Python<'_>, paths: Paths) -> PyResult<Records> {
    let (records, messages) = py.detach(|| {
        let mut parsed = unres::parse_paths(&paths.0);
        let mut messages: Vec<String> = unres::drop_duplicates(&mut parsed)
            .iter()
            .map(|d| d.to_string())
            .collect();
        let mut records = Vec::new();
        for p in parsed {
            match p.result {
                Ok(resolutions) => records.extend(resolutions.iter().flat_map(|r| r.records())),
                Err(e) => messages.push(e.to_string()),
            }
        }
        (records, messages)
    });
    for m in &messages {
        warn(py, m)?;
    }
    Ok(Records {
        records: records.into_iter(),
    })
}
