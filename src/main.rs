//! The `unres` command: parses arguments, calls the library, prints, and exits like grep
//! (0 found / all good, 1 nothing found / some file failed, 2 error).

mod cli;
#[cfg(feature = "serve")]
mod serve;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

/// Transparent huge pages are turned off before the process's first allocation (the
/// allocator madvises its whole arena for them, and the kernel zeroes 2 MiB at the first
/// touch of each); [`cli::run`] turns them back on for the commands that fill much memory.
/// An entry of `.init_array` runs before the runtime's first allocation.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_PAGES_FROM_THE_START: extern "C" fn() = {
    extern "C" fn small_pages() {
        cli::huge_pages(false);
    }
    small_pages
};

fn main() -> ExitCode {
    let args = cli::Cli::parse_args();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("unres: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
