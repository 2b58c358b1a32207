//! `unres-synth DIR [--count N] [--seed S] [--series K]`: writes a synthetic corpus for
//! benchmarks and the comparison script (`benches/compare.sh`), and with `--series K` also
//! K series of one resolution over 20 sessions (61–80, numbers 500, 501 …) beside it.

use std::path::PathBuf;
use std::process::ExitCode;
use unres_synth::{write_corpus, SynthConfig};

const USAGE: &str = "usage: unres-synth DIR [--count N] [--seed S] [--series K]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut config = SynthConfig::default();
    let mut series = 0usize;
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
            "--series" => number("--series").map(|n| series = n as usize),
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
    let written = write_corpus(&config, &dir).and_then(|s| {
        let more = unres_synth::series::write_series(&dir, series, config.seed)?;
        Ok((s.files + more.files, s.bytes + more.bytes))
    });
    match written {
        Ok((files, bytes)) => {
            println!("{files} files, {bytes} bytes in {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("unres-synth: {e}");
            ExitCode::from(2)
        }
    }
}
