//! `unres serve`: the search page and a read-only JSON API over an open index, for a browser
//! and for other programs on this machine (feature `serve`). A front end of the binary
//! beside the command line (`src/main.rs` declares both), not a module of the library: it
//! asks the library's public API only, as any program embedding it would.
//!
//! The stack: [axum](https://docs.rs/axum) routes requests on [tokio](https://tokio.rs);
//! [tower-http](https://docs.rs/tower-http) middleware catches panics, compresses answers,
//! limits request bodies and adds the security headers; a middleware of its own bounds the
//! time of each request and the requests in flight; connections are served by hyper with a
//! timeout on reading a request's headers. Index work runs on tokio's blocking pool, a
//! bounded number of searches at a time, so that the async workers only move bytes.
//!
//! The page (`/`, `/app.js`, `/style.css`) is built into the binary: nothing is fetched
//! from elsewhere and no file is read to serve it. `/` answers the page whatever its query
//! string (`/?q=小武器&session=70-78` opens with its hits shown).
//!
//! # The API
//!
//! Every endpoint is a GET answering JSON; an unknown parameter, one given twice, a
//! malformed value or one past its cap is a 400, an unknown resolution or record a 404,
//! a failure of the server a 500, and all of them answer
//! `{"error": {"message": "…", "column": N or null}}` (`column`: where in `q` a query
//! could not be read, 1-based in characters; the message is the one the terminal gives).
//!
//! - `/api/search?q=…`: `kind` (`preamble`, `operative`, `footnote`, `annex`), `session`
//!   (`78` or `70-78`), `year`, `symbol`, `cites` (filters; `q` may then be left out),
//!   `sort` (`relevance`, `newest`, `oldest`), `collapse=true` (one paragraph a series),
//!   `by=resolution` or `by=session` (listings), `limit` (default 10, at most
//!   [`unres::MAX_LIMIT`]; listings default to and at most [`unres::MAX_LISTING`]; `limit=0` counts
//!   exactly and lists nothing), `offset` (at most [`unres::MAX_OFFSET`]) and `exact=true` (totals
//!   count every match). The answer:
//!   `{"total": N, "total_exact": bool, "offset": N, "limit": N, "took_ms": 0.412,
//!   "hits": [...]}`, each hit the object `unres search --json` prints
//!   ([`unres::hit_json`]), and `previous`: each hit's resolution (symbol, then its part)
//!   with the previous member of its series or null ([`unres::Index::neighbours`]);
//!   collapsed pages add `records` and `records_exact`;
//!   `by=resolution` answers `"resolutions": [{"symbol", "part", "session", "year",
//!   "date", "title", "file", "count"}, …]` (`total`: resolutions; `records`: matching
//!   records), `by=session` answers `"sessions": [{"session": 78, "count": 34}, …]`
//!   (`total`: matching records). A total past [`unres::TOTAL_BOUND`] matches may be a
//!   lower bound: `total_exact` says.
//! - `/api/resolution?symbol=A/RES/78/46` (`part=A` for one part of a multi-part
//!   resolution): `{"symbol", "part", "parts", "session", "year", "date", "title",
//!   "meeting", "file", "previous", "next", "records": [...]}`, each record as `unres
//!   export` prints it; `previous` and `next` are the neighbours in its series
//!   (`{"symbol", "part", "session"}` or null).
//! - `/api/record?symbol=…&ref=op.23` (`pre.N`, `fn.N`, `annex.N`; `part`): the record as
//!   `unres export` prints it, with `place`, `ref` and `related` (its footnotes, or for a
//!   footnote the paragraphs citing it).
//! - `/api/diff?old=…&new=…` (or `new` alone: against the previous member of its series;
//!   `changed=true`: only what changed): `{"old": {…}, "new": {…}, "summary": [...],
//!   "paragraphs": [...]}`: each side's `symbol`, `part`, `session`, `year`, `date`,
//!   `title` and `previous` (its own previous member, or null), each paragraph as `unres
//!   diff --json` prints it and each summary a kind's counts.
//! - `/api/history?symbol=…&ref=…` (`part`): `{"symbol", "part", "ref", "versions":
//!   [...]}`, newest first, each version as `unres history --json` prints it.
//! - `/api/stats`: what `unres stats --json` prints.
//!
//! # Bounds
//!
//! `q` at most [`unres::MAX_QUERY_CHARS`] characters and other values at most 200; `limit`
//! and `offset` capped; every request answered within [`Options::timeout`] (a 503 past
//! it); at most [`Options::max_in_flight`] requests handled at once (others wait) and
//! [`Options::max_searches`] of them working on the index; a panic while answering is a
//! 500 and the server goes on. Every answer carries a Content-Security-Policy without
//! inline scripts ([`CONTENT_SECURITY_POLICY`]), `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer`. Unless [`Options::public`], a request naming a host
//! other than `localhost` or a loopback address is refused (403), so that a web page
//! elsewhere cannot read the index through a name that resolves to this machine.

mod api;
mod app;
mod assets;
mod error;
mod options;
mod params;
mod router;
mod run;
mod served;

pub use options::Options;
pub use run::run;
pub use served::Served;

// What the server's tests reach besides the binary's entry points (they compile these files
// as a module of theirs and ask the router in process); the binary itself does not.
#[cfg(test)]
#[allow(unused_imports)]
pub(crate) use assets::page_bytes;
#[allow(unused_imports)]
pub(crate) use {
    options::CONTENT_SECURITY_POLICY,
    router::{harden, router},
};
