//! `unres._unres`: the native half of the Python package `unres`. It opens, builds and asks
//! the index through the library's own front door ([`unres::SearchParams`],
//! [`unres::AnswerPage`], [`unres::Reference`]) and hands Python the JSON objects the
//! command line's `--json` and the HTTP API print, as dicts and lists. The GIL is released
//! while the library works. The typed classes and `to_pandas` live in `unres/__init__.py`.

mod convert;
mod corpus;
mod index;

use pyo3::prelude::*;

/// The native module, imported by `unres/__init__.py`.
#[pymodule]
fn _unres(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<index::Index>()?;
    m.add_class::<corpus::Records>()?;
    m.add_function(wrap_pyfunction!(corpus::build, m)?)?;
    m.add_function(wrap_pyfunction!(corpus::export, m)?)?;
    m.add_function(wrap_pyfunction!(index::open_or_update, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
