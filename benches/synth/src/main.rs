//! `unres-synth DIR [--count N] [--seed S]`: writes a synthetic corpus for benchmarks and the
//! comparison script (`benches/compare.sh`).

use std::path::PathBuf;
use std::process::ExitCode;
use unres_synth::{write_corpus, SynthConfig};

const USAGE: &str = "usage: unres-synth DIR [--count N] [--seed S]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut config = SynthConfig::default();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = args.next().ok_or(format!("{name} needs a value"))?;
            value
                .parse()
                .map_err(|_| format!("{name}: `{value}` is not a number"))
        };
        let parsed = match arg.as_str() {
            "--count" => number("--count").map(|n| config.resolutions = n as usize),
            "--seed" => number("--seed").map(|n| config.seed = n),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if dir.is_none() && !arg.starts_with('-') => {
                dir = Some(arg.into());
                Ok(())
            }
            _ => Err(format!("unexpected argument `{arg}`")),
        };
        if let Err(e) = parsed {
            eprintln!("unres-synth: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let Some(dir) = dir else {
        eprintln!("unres-synth: no folder given\n{USAGE}");
        return ExitCode::from(2);
    };
    match write_corpus(&config, &dir) {
        Ok(s) => {
            println!("{} files, {} bytes in {}", s.files, s.bytes, dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("unres-synth: {e}");
            ExitCode::from(2)
        }
    }
}
