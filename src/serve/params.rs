//! Reading a request's query string: each endpoint names the parameters it takes; an
//! unknown parameter, one given twice, a value that is not what it should be or one past
//! its cap is a 400 saying which and why.

use crate::serve::error::ApiError;

/// At most this many characters in a parameter other than `q` (a symbol, a reference).
pub(crate) const MAX_VALUE_CHARS: usize = 200;

/// The parameters of one request, as given (percent-decoded, invalid UTF-8 replaced).
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads `raw` (the query string, without `?`), refusing parameters not in `known` and
    /// parameters given twice.
    pub(crate) fn read(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if !known.contains(&k.as_ref()) {
                return Err(ApiError::bad(format!(
                    "unknown parameter `{}`; this endpoint takes {}",
                    shorten(&k),
                    known.join(", ")
                )));
            }
            if pairs.iter().any(|(seen, _)| *seen == k) {
                return Err(ApiError::bad(format!("parameter `{k}` given twice")));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// The value of `key` as given, if present.
    pub(crate) fn raw(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` without surrounding spaces; an empty value counts as absent.
    /// Values other than the query are capped at [`MAX_VALUE_CHARS`].
    pub(crate) fn get(&self, key: &str) -> Result<Option<&str>, ApiError> {
        let Some(v) = self.raw(key).map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let n = v.chars().count();
        if n > MAX_VALUE_CHARS {
            return Err(ApiError::bad(format!(
                "{key} is too long ({n} characters; at most {MAX_VALUE_CHARS})"
            )));
        }
        Ok(Some(v))
    }

    /// The value of `key`, which must be given.
    pub(crate) fn required(&self, key: &str) -> Result<&str, ApiError> {
        self.get(key)?
            .ok_or_else(|| ApiError::bad(format!("parameter `{key}` is required")))
    }

    /// A whole number, when given.
    pub(crate) fn whole(&self, key: &str) -> Result<Option<usize>, ApiError> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        v.parse().map(Some).map_err(|_| {
            ApiError::bad(format!(
                "{key} must be a whole number (got `{}`)",
                shorten(v)
            ))
        })
    }

    /// `true` / `false` (also `1` / `0`); false when absent.
    pub(crate) fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key)? {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(v) => Err(ApiError::bad(format!(
                "{key} must be true or false (got `{}`)",
                shorten(v)
            ))),
        }
    }
}

pub(crate) use unres::shorten;
