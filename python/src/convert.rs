//! From the library to Python: a JSON value becomes dicts, lists, strings and numbers; an
//! [`unres::Error`] becomes the exception of `unres.errors` that names its kind, with the
//! command line's message (a query error keeps its column and fragment).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

/// `v` as a Python object: objects as dicts, arrays as lists.
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Anything serializable, as a Python object through its JSON form.
pub(crate) fn serde_to_py<'py>(
    py: Python<'py>,
    v: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    to_py(py, &value)
}

/// The class of `unres.errors` named `name`.
fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("unres.errors")?.getattr(name)
}

/// A Python exception of `unres.errors`, of the class `name`, with `message`.
pub(crate) fn raise(py: Python<'_>, name: &str, message: String) -> PyErr {
    match error_class(py, name).and_then(|c| c.call1((message,))) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// The library's error as the exception of its kind.
pub(crate) fn error(py: Python<'_>, e: unres::Error) -> PyErr {
    use unres::Error as E;
    let message = e.to_string();
    let name = match &e {
        E::Query(q) => {
            let made = error_class(py, "QueryError").and_then(|c| {
                let err = c.call1((message.clone(),))?;
                err.setattr("column", q.column)?;
                err.setattr("fragment", q.fragment.clone())?;
                Ok(err)
            });
            return match made {
                Ok(err) => PyErr::from_value(err),
                Err(err) => err,
            };
        }
        E::Param { .. } => "ParamError",
        E::NotFound { .. } => "NotFoundError",
        E::Io { .. } | E::TooLarge { .. } | E::Decode { .. } | E::Parse { .. } => "CorpusError",
        E::DiskFull { .. } => "DiskFullError",
        E::NoIndex { .. }
        | E::NotAFolder { .. }
        | E::NotAnIndex { .. }
        | E::FormatVersion { .. }
        | E::Damaged { .. }
        | E::Unfinished { .. }
        | E::Locked { .. } => "IndexUnavailableError",
        _ => "UnresError",
    };
    raise(py, name, message)
}

/// A warning of the class `unres.errors.UnresWarning`.
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let class = error_class(py, "UnresWarning")?;
    let text = std::ffi::CString::new(message.replace('\0', " "))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    PyErr::warn(py, &class, &text, 2)
}
