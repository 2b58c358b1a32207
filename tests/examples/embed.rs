//! A program embedding `unres`: opens an index of `corpus/` in a folder of its own (built or
//! updated first when the corpus changed), searches it for the words given, and prints each
//! hit with its footnotes.
//!
//! Run with `cargo run --release --example embed -- 国际追查文书 kind:operative`.

use std::process::ExitCode;
use unres::{Answer, BuildOptions, Request};

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("embed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let query = unres::parse_query(&words.join(" "))?;
    let dir = std::env::temp_dir().join("unres-embed-example");
    // Opens the index, building or updating it first when corpus/ changed.
    let (index, fresh) = unres::open_or_update(
        &dir,
        &["corpus".into()],
        &BuildOptions::default(),
        &|_, _| {},
        &|_| {},
    )?;
    if let Some(report) = fresh.updated.filter(|r| r.committed) {
        eprintln!(
            "indexed: {} resolutions, {} paragraphs, {} footnotes in {}",
            report.resolutions,
            report.paragraphs,
            report.footnotes,
            dir.display()
        );
    }
    // One request: what matches, what comes back (records, the default), the page.
    let request = Request {
        query,
        ..Request::default()
    };
    let Answer::Records(results) = index.search(&request)? else {
        unreachable!("records were asked for");
    };
    for hit in &results.hits {
        println!("{}  (score {:.2})", hit.record.place(), hit.score);
        println!("  {}", hit.record.text);
        for note in index.related(&hit.record)? {
            println!("  [{}] {}", note.short_ref(), note.text);
        }
    }
    let at_least = if results.total_exact { "" } else { "at least " };
    println!("{at_least}{} records match", results.total);
    Ok(results.total > 0)
}
