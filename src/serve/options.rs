//! The server's bounds: the caps of a request's parameters, the time and the concurrency
//! of requests ([`Options`]), and the headers every answer carries.

use std::time::Duration;

/// The most bytes of a request's body (the API reads none).
pub(crate) const MAX_BODY_BYTES: usize = 1024;
/// The most connections open at once; more wait to be accepted.
pub(crate) const MAX_CONNECTIONS: usize = 1024;

/// The Content-Security-Policy of every answer: the page's own script and style sheet only,
/// no inline script, no plug-in, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// How the server bounds its work, and whom it answers.
#[derive(Debug, Clone)]
pub struct Options {
    /// Every request is answered within this time (a 503 past it). Default 10 s.
    pub timeout: Duration,
    /// At most this many requests are handled at once; more wait their turn (within their
    /// timeout). Default 64.
    pub max_in_flight: usize,
    /// At most this many requests work on the index at once, on tokio's blocking pool.
    /// Default: twice the number of cores.
    pub max_searches: usize,
    /// How often [`crate::serve::run`] checks for a newer commit (and, with corpus folders, for a
    /// changed corpus). Default 1 s.
    pub refresh_every: Duration,
    /// Answer requests for any host name. Off by default: only requests addressed to
    /// `localhost` or a loopback address are answered.
    pub public: bool,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Options {
            timeout: Duration::from_secs(10),
            max_in_flight: 64,
            max_searches: (2 * cores).max(2),
            refresh_every: Duration::from_secs(1),
            public: false,
        }
    }
}
