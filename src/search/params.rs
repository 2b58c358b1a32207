//! How people ask, in their own words: [`SearchParams`] holds a search's parameters by the
//! names the JSON API's query string gives them (`q`, `kind`, `session`, `year`, `symbol`,
//! `cites`, `sort`, `collapse`, `by`, `limit`, `offset`, `exact`), and
//! [`SearchParams::to_request`] is the one place that turns them into a [`Request`]: the
//! defaults, the caps ([`Limits`]) and the error messages. The command line fills them from
//! its flags, the server from its query string, a program from its own values.

use crate::error::{Error, Result};
use crate::model::Kind;
use crate::search::query::{parse as parse_query, parse_sessions, Atom, Query};
use crate::search::request::{Request, Sort, View};

/// Hits a page holds when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// The most hits one page of the server answers (`limit`).
pub const MAX_LIMIT: usize = 100;
/// The most resolutions or sessions one listing of the server answers (`limit` with `by`),
/// and its default there.
pub const MAX_LISTING: usize = 1000;
/// The most hits a search of the server skips (`offset`).
pub const MAX_OFFSET: usize = 10_000;

/// The caps of a request's page: a server bounds what one request may cost
/// ([`Limits::SERVER`]); a program asking its own index in its own process does not
/// ([`Limits::NONE`]). A listing's default is its cap: every resolution or session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most hits of a page.
    pub limit: usize,
    /// The most resolutions or sessions of a listing.
    pub listing: usize,
    /// The most hits skipped.
    pub offset: usize,
}

impl Limits {
    /// No caps: the command line, the library and the Python package.
    pub const NONE: Limits = Limits {
        limit: usize::MAX,
        listing: usize::MAX,
        offset: usize::MAX,
    };
    /// The HTTP API's caps: [`MAX_LIMIT`], [`MAX_LISTING`], [`MAX_OFFSET`].
    pub const SERVER: Limits = Limits {
        limit: MAX_LIMIT,
        listing: MAX_LISTING,
        offset: MAX_OFFSET,
    };
}

/// A search's parameters as a person gives them. Every field may be left out
/// (`..SearchParams::default()`); a filter given alone searches every record it allows.
///
/// ```
/// let params = unres::SearchParams {
///     q: "小武器".into(),
///     kind: Some("operative".into()),
///     by: Some("session".into()),
///     ..unres::SearchParams::default()
/// };
/// let request = params.to_request().unwrap();
/// assert_eq!(request.view, unres::View::Sessions);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchParams {
    /// The query, in the query language (`小武器 -妇女 kind:operative`).
    pub q: String,
    /// `preamble`, `operative`, `footnote` or `annex`.
    pub kind: Option<String>,
    /// A session (`78`) or a range of sessions (`70-78`).
    pub session: Option<String>,
    /// A year of adoption (`2023`).
    pub year: Option<String>,
    /// A resolution's symbol (`A/RES/78/46`).
    pub symbol: Option<String>,
    /// A symbol the records cite, directly or through their footnotes.
    pub cites: Option<String>,
    /// `relevance` (the default), `newest` or `oldest`.
    pub sort: Option<String>,
    /// One paragraph a series ([`View::Paragraphs`]).
    pub collapse: bool,
    /// `resolution` or `session`: a listing instead of hits.
    pub by: Option<String>,
    /// How many hits (or listed resolutions or sessions); `0` asks for the exact totals
    /// alone.
    pub limit: Option<usize>,
    /// How many hits to skip.
    pub offset: Option<usize>,
    /// Count every match for the totals, however many there are.
    pub exact: bool,
}

impl SearchParams {
    /// The request these parameters ask, without caps ([`Limits::NONE`]).
    pub fn to_request(&self) -> Result<Request> {
        self.to_request_within(&Limits::NONE)
    }

    /// The request these parameters ask, within `limits`. A parameter that cannot be read
    /// or passes its cap is an [`Error::Param`] naming it; a query that cannot be read is an
    /// [`Error::Query`] with its column.
    pub fn to_request_within(&self, limits: &Limits) -> Result<Request> {
        let view = match (self.collapse, self.by.as_deref()) {
            (false, None) => View::Records,
            (true, None) => View::Paragraphs,
            (false, Some("resolution" | "resolutions")) => View::Resolutions,
            (false, Some("session" | "sessions")) => View::Sessions,
            (true, Some(_)) => {
                return Err(param(
                    "by",
                    "collapse and by cannot be combined: by lists resolutions or sessions".into(),
                ))
            }
            (_, Some(v)) => {
                return Err(param(
                    "by",
                    format!("by must be resolution or session (got `{}`)", shorten(v)),
                ))
            }
        };
        let listing = matches!(view, View::Resolutions | View::Sessions);
        let (default_limit, max_limit) = if listing {
            (limits.listing, limits.listing)
        } else {
            (DEFAULT_LIMIT, limits.limit)
        };
        let limit = capped("limit", self.limit, default_limit, max_limit)?;
        let offset = capped("offset", self.offset, 0, limits.offset)?;
        let sort = match self.sort.as_deref() {
            None => Sort::Relevance,
            Some(s) => Sort::parse(s).ok_or_else(|| {
                param(
                    "sort",
                    format!(
                        "sort must be relevance, newest or oldest (got `{}`)",
                        shorten(s)
                    ),
                )
            })?,
        };
        Ok(Request {
            query: self.query()?,
            view,
            sort,
            offset,
            limit,
            // `limit: 0` asks for the totals alone, counted exactly.
            exact_total: self.exact || limit == 0,
        })
    }

    /// The query typed, with the filters added as required atoms. A filter left empty (a
    /// form's empty field) is no filter.
    fn query(&self) -> Result<Query> {
        let given = |f: &Option<String>| -> Option<String> {
            f.as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(str::to_string)
        };
        let kind_ = given(&self.kind);
        let session_ = given(&self.session);
        let year_ = given(&self.year);
        let symbol_ = given(&self.symbol);
        let cites_ = given(&self.cites);
        let has_filters = [&kind_, &session_, &year_, &symbol_, &cites_]
            .iter()
            .any(|f| f.is_some());
        let mut q = if has_filters && self.q.trim().is_empty() {
            Query::default()
        } else {
            parse_query(&self.q)?
        };
        if let Some(k) = kind_ {
            q.require(Atom::Kind(kind(&k)?));
        }
        if let Some(s) = session_ {
            q.require(session(&s)?);
        }
        if let Some(y) = year_ {
            q.require(Atom::Year(year(&y)?));
        }
        if let Some(s) = symbol_ {
            q.require(Atom::Symbol(s));
        }
        if let Some(c) = cites_ {
            q.require(Atom::Cites(c));
        }
        Ok(q)
    }
}

/// Reads a `kind` parameter.
fn kind(s: &str) -> Result<Kind> {
    Kind::parse(s).ok_or_else(|| {
        param(
            "kind",
            format!(
                "kind must be preamble, operative, footnote or annex (got `{}`)",
                shorten(s)
            ),
        )
    })
}

/// Reads a `session` parameter: a session (`78`) or a range (`70-78`).
fn session(s: &str) -> Result<Atom> {
    parse_sessions(s).map_err(|e| param("session", format!("session: {}", e.message)))
}

/// Reads a `year` parameter.
fn year(s: &str) -> Result<u32> {
    s.trim().parse().map_err(|_| {
        param(
            "year",
            format!("year must be a year such as 2023 (got `{}`)", shorten(s)),
        )
    })
}

fn capped(name: &'static str, given: Option<usize>, default: usize, max: usize) -> Result<usize> {
    match given {
        None => Ok(default.min(max)),
        Some(n) if n > max => Err(param(
            name,
            format!("{name} must be at most {max} (got {n})"),
        )),
        Some(n) => Ok(n),
    }
}

fn param(name: &'static str, message: String) -> Error {
    Error::Param { name, message }
}

/// A value as every error message quotes it (the command line's, the server's, Python's):
/// at most 40 characters of it, then `…`.
pub fn shorten(v: &str) -> String {
    if v.chars().count() <= 40 {
        v.to_string()
    } else {
        format!("{}…", v.chars().take(40).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SearchParams {
        SearchParams {
            q: "小武器".into(),
            ..SearchParams::default()
        }
    }

    fn request(p: SearchParams) -> Result<Request> {
        p.to_request_within(&Limits::SERVER)
    }

    #[test]
    fn defaults_and_caps_depend_on_the_view() {
        let r = request(base()).unwrap();
        assert_eq!(
            (r.view, r.limit, r.offset, r.exact_total),
            (View::Records, 10, 0, false)
        );
        let by = |b: &str| SearchParams {
            by: Some(b.into()),
            ..base()
        };
        assert_eq!(request(by("session")).unwrap().limit, MAX_LISTING);
        assert_eq!(by("resolutions").to_request().unwrap().limit, usize::MAX);
        let count = SearchParams {
            limit: Some(0),
            ..base()
        };
        assert!(request(count).unwrap().counts_only());
        let err = request(SearchParams {
            limit: Some(101),
            ..base()
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "limit must be at most 100 (got 101)");
        assert!(SearchParams {
            limit: Some(101),
            ..base()
        }
        .to_request()
        .is_ok());
    }

    #[test]
    fn each_parameter_names_itself_in_its_error() {
        let cases = [
            (
                SearchParams {
                    kind: Some("x".into()),
                    ..base()
                },
                "kind",
            ),
            (
                SearchParams {
                    session: Some("7a".into()),
                    ..base()
                },
                "session",
            ),
            (
                SearchParams {
                    year: Some("二〇二三".into()),
                    ..base()
                },
                "year",
            ),
            (
                SearchParams {
                    sort: Some("best".into()),
                    ..base()
                },
                "sort",
            ),
            (
                SearchParams {
                    by: Some("year".into()),
                    ..base()
                },
                "by",
            ),
            (
                SearchParams {
                    by: Some("session".into()),
                    collapse: true,
                    ..base()
                },
                "by",
            ),
        ];
        for (p, name) in cases {
            match p.to_request() {
                Err(Error::Param { name: n, message }) => {
                    assert_eq!(n, name);
                    assert!(message.contains(name), "{message}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let q = SearchParams {
            q: "小武器 kind:".into(),
            ..base()
        };
        let empty = SearchParams::default();
        assert!(matches!(empty.to_request(), Err(Error::Query(_))));
        assert!(matches!(q.to_request(), Err(Error::Query(_))));
    }

    #[test]
    fn filters_alone_search_what_they_allow() {
        let r = SearchParams {
            kind: Some("operative".into()),
            session: Some("70-78".into()),
            ..SearchParams::default()
        }
        .to_request()
        .unwrap();
        let typed = parse_query("kind:operative session:70-78").unwrap();
        assert_eq!(r.query, typed);
    }
}
