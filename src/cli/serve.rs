//! `unres serve`: the search page and the JSON API over the index, on this machine. The
//! index is opened as the other commands open it (the default `index/` built or updated
//! from `corpus/`), then served by [`crate::serve::run`] until Ctrl-C or SIGTERM.

use super::defs::{ServeArgs, DEFAULT_CORPUS, DEFAULT_INDEX};
use super::open::open_index;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Runs the server until it is stopped.
pub(crate) fn serve(args: ServeArgs) -> Result<ExitCode> {
    let addr = listen_address(&args.addr)?;
    if !addr.ip().is_loopback() {
        if !args.public {
            bail!(
                "--addr {addr} is not a loopback address: anyone who can reach it could read the index; \
                 use --addr 127.0.0.1:PORT, or add --public to listen there anyway"
            );
        }
        eprintln!(
            "unres: warning: listening on {addr} (--public): the index is readable by anyone who can reach this address"
        );
    }
    // The default index is built or updated as the other commands do it (saying so, with
    // a progress bar), then kept current from ./corpus while serving.
    let corpus = Path::new(DEFAULT_CORPUS);
    let (dir, roots) = match &args.index {
        Some(dir) => (dir.clone(), Vec::new()),
        None => {
            open_index(None, |_| Ok(()))?;
            let roots = if corpus.is_dir() {
                vec![corpus.to_path_buf()]
            } else {
                Vec::new()
            };
            (PathBuf::from(DEFAULT_INDEX), roots)
        }
    };
    let served = Arc::new(crate::serve::Served::open(&dir, roots)?);
    let options = crate::serve::Options {
        public: args.public,
        ..crate::serve::Options::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's threads")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener
            .local_addr()
            .context("reading the address listened on")?;
        let url = format!("http://{local}/");
        {
            let mut out = std::io::stdout().lock();
            let dir = served.dir().display().to_string();
            let slash = if dir.ends_with('/') { "" } else { "/" };
            writeln!(out, "unres: serving {dir}{slash} at {url} (Ctrl-C stops)")?;
            out.flush()?;
        }
        if args.open {
            open_browser(&url);
        }
        crate::serve::run(listener, served, options, stopped(), |note| {
            eprintln!("unres: {note}")
        })
        .await
        .context("serving")?;
        eprintln!("unres: stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// `IP:PORT`, or `localhost:PORT` (127.0.0.1).
fn listen_address(s: &str) -> Result<SocketAddr> {
    if let Ok(addr) = s.parse() {
        return Ok(addr);
    }
    if let Some(port) = s.strip_prefix("localhost:") {
        if let Ok(port) = port.parse::<u16>() {
            return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
        }
    }
    bail!("--addr `{s}`: expected IP:PORT, e.g. 127.0.0.1:8080")
}

/// Completes on Ctrl-C, or on SIGTERM on Unix.
async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Opens `url` with xdg-open (or `open` on macOS); says so when it cannot, and goes on.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        // Reaped in the background: the browser may outlive the server.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("unres: cannot start {opener}; open {url} in a browser"),
    }
}
