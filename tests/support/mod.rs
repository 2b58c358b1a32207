//! The harness both integration-test binaries share (`tests/suite/` and
//! `tests/reliability/`): the `unres` binary run as a real process, what one run printed and
//! the checks made of it ([`Run`]), this process's scratch folder, and the seed workspace;
//! and in [`site`], the indexed corpora the server's tests and the front-door tests ask.
//!
//! Scratch folders live under Cargo's temporary folder for tests, one per binary and test
//! process (`target/tmp/suite/<pid>/`, `target/tmp/reliability/<pid>/`). Fixtures built once
//! per process (an indexed workspace, a generated corpus) are never dropped, so each run
//! first removes the folders of the runs that have ended.
#![allow(dead_code)]

pub mod site;

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

/// The seed resolution shipped in corpus/.
pub const SEED: &str = "corpus/A-RES-78-46.zh.txt";

// ---------------------------------------------------------------------------------------
// Running the binary.

/// The `unres` binary, run in `dir`, with colour left to its options.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unres"));
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// [`command`] with assert_cmd's checks (`.assert().success()`, `.code(1)`, `.stdout(..)`).
pub fn unres(dir: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(command(dir))
}

/// What one run of the binary printed, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(out: Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts that the process ended by itself, with 0, 1 or 2, and did not panic.
    pub fn no_crash(&self, what: &str) -> &Run {
        assert!(
            matches!(self.code, Some(0..=2)),
            "{what}: ended with {:?}\nstderr: {}",
            self.code,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "{what}: panicked\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that the process ended with `code` (0 found, 1 nothing found or some files
    /// skipped, 2 an error) and did not panic.
    pub fn ended_with(&self, code: i32, what: &str) -> &Run {
        self.no_crash(what);
        assert_eq!(self.code, Some(code), "{what}: {self:?}");
        self
    }

    /// Asserts success (exit 0) with something printed on stdout: what a later comparison
    /// of two runs, or a check that something is absent from the output, relies on.
    pub fn succeeded(&self, what: &str) -> &Run {
        self.ended_with(0, what);
        assert!(
            !self.stdout.trim().is_empty(),
            "{what}: nothing on stdout: {self:?}"
        );
        self
    }

    /// Asserts a clear error: exit 2, a message on stderr that is not a debug dump, nothing
    /// presented as a result on stdout.
    pub fn clear_error(&self, what: &str) -> &Run {
        self.ended_with(2, what);
        let first = self.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("unres: ") || first.starts_with("error: "),
            "{what}: no error message: {self:?}"
        );
        for dump in ["Os {", "IoError(", "Custom {"] {
            assert!(
                !self.stderr.contains(dump),
                "{what}: the message is a debug dump: {}",
                self.stderr
            );
        }
        assert!(
            !self.stdout.contains(" failed; "),
            "{what}: a build summary on stdout after an error: {self:?}"
        );
        self
    }
}

/// Runs the binary in `dir` with `args` and waits for it.
pub fn run_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Run::of(command(dir).args(args).output().expect("run unres"))
}

/// Runs the binary in this process's scratch folder (so that no `index/` or `corpus/` of the
/// repository is ever touched); every path it needs is given in `args`.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_in(scratch(), args)
}

/// Starts the binary in the scratch folder, stdout discarded and stderr kept.
pub fn spawn<I, S>(args: I) -> Child
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    command(scratch())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start unres")
}

/// Prints a note to the terminal, past the test harness's output capture.
pub fn print_note(text: &str) {
    let _ = writeln!(std::io::stderr(), "note: {text}");
}

// ---------------------------------------------------------------------------------------
// Scratch folders and the seed workspace.

/// This process's folder under `target/tmp/<test binary>/`; folders of processes that have
/// ended are removed first.
pub fn scratch() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(env!("CARGO_CRATE_NAME"));
        std::fs::create_dir_all(&base).expect("scratch folder");
        for entry in std::fs::read_dir(&base).expect("scratch folder").flatten() {
            let pid = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok());
            if !pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = base.join(std::process::id().to_string());
        std::fs::create_dir_all(&root).expect("scratch folder");
        root
    })
}

/// A new empty folder in the scratch folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in(scratch()).expect("temp dir")
}

/// A temporary folder with `corpus/` holding the seed.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::copy(SEED, dir.path().join(SEED)).unwrap();
    dir
}

/// A workspace whose `index/` was built from the seed by `unres index`, shared by the tests
/// of one binary.
pub fn indexed() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = workspace();
        unres(dir.path()).args(["index"]).assert().success();
        let path = dir.path().to_path_buf();
        (dir, path)
    });
    path
}
