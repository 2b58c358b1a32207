//! The integration tests, one binary (each test binary links the whole search engine, so
//! one binary builds and links once): the parser on the seed and on fixtures, the index
//! against a plain scan, the command line as a real process, freshness, listings, shell
//! completions, wording history, collapsed search and the never-panic properties. The slow process-level reliability tests are
//! the other binary, `tests/reliability/`; both use the harness in `tests/support/`.

#[path = "../ask/mod.rs"]
mod ask;
mod common;
#[path = "../support/mod.rs"]
mod support;
// The server is a front end of the binary, not of the library: its tests compile its files
// as a module of their own to ask its router in process (it names the library as `unres::`
// only, as the binary does).
#[cfg(feature = "serve")]
#[path = "../../src/serve/mod.rs"]
#[allow(dead_code, unreachable_pub)]
mod serve;

#[cfg(feature = "serve")]
mod browser;
mod collapse;
mod completions;
mod counts;
mod diff;
mod docs;
mod duplicates;
mod export_cli;
mod first_page;
mod fresh;
mod front_door;
mod golden;
#[cfg(feature = "serve")]
mod http;
mod index;
mod layout;
mod listing;
mod never_panic;
mod parse;
mod pdf;
mod search_as_typed;
mod search_cli;
#[cfg(feature = "serve")]
mod serve_api;
mod show_cli;
mod store;
mod survive;
