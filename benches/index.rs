//! Indexing throughput (a full build from scratch with 1 and with 2 threads) and parsing
//! throughput alone (`unres::parse_str` over file texts held in memory), in bytes of
//! corpus files a second, on a 300-resolution synthetic corpus (about 6 MB) so that the
//! whole `cargo bench` stays short.
//!
//! Note on threads: `BuildOptions { threads: 1 }` still runs one rayon worker (read, parse,
//! jieba) and one tantivy indexing thread next to it, so "1 thread" already uses up to two
//! cores; on a 2-core machine 2 threads cannot be twice as fast as 1.
//!
//! Every iteration asserts what it produced (records indexed, resolutions parsed).

mod common;

use criterion::{
    black_box, criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput,
};
use std::path::{Path, PathBuf};
use std::time::Duration;
use unres::BuildOptions;

/// Resolutions in the corpus indexed here.
const RESOLUTIONS: usize = 300;

fn indexing(c: &mut Criterion) {
    let corpus = common::corpus("corpus-300", RESOLUTIONS);
    // What one build must report: records counted by parsing the files directly.
    let parsed = unres::parse_paths(std::slice::from_ref(&corpus.dir));
    let (mut paragraphs, mut footnotes) = (0, 0);
    for p in &parsed {
        for r in p.result.as_ref().expect("every corpus file parses") {
            paragraphs += r.paragraphs.len();
            footnotes += r.footnotes.len();
        }
    }
    let roots = [corpus.dir.clone()];

    let mut group = c.benchmark_group("index");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Bytes(corpus.bytes));
    for threads in [1, 2] {
        let dir = common::data_dir().join(format!("index-300-t{threads}"));
        let opts = BuildOptions {
            threads,
            rebuild: false,
            ..BuildOptions::default()
        };
        group.bench_function(format!("build_{threads}_thread{}", plural(threads)), |b| {
            b.iter_batched(
                || empty(&dir),
                |dir| {
                    let report = unres::build_index(&dir, &roots, &opts, &|_, _| {})
                        .expect("build the index");
                    assert!(report.committed && report.failed.is_empty());
                    assert_eq!(report.reindexed, corpus.files);
                    assert_eq!(
                        (report.paragraphs, report.footnotes),
                        (paragraphs, footnotes),
                        "every record indexed"
                    );
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();

    let texts: Vec<(PathBuf, String)> = parsed
        .iter()
        .map(|p| {
            let text = unres::read_text(&p.path).expect("read a corpus file");
            (p.path.clone(), text)
        })
        .collect();
    let mut group = c.benchmark_group("parse");
    group
        .sample_size(10)
        .throughput(Throughput::Bytes(corpus.bytes));
    group.bench_function("parse_str_1_thread", |b| {
        b.iter(|| {
            let (mut resolutions, mut records) = (0, 0);
            for (path, text) in &texts {
                let parsed = unres::parse_str(path, black_box(text)).expect("parses");
                resolutions += parsed.len();
                records += parsed
                    .iter()
                    .map(|r| r.paragraphs.len() + r.footnotes.len())
                    .sum::<usize>();
            }
            assert!(resolutions >= corpus.files, "one resolution or more a file");
            assert_eq!(records, paragraphs + footnotes, "every record parsed");
        })
    });
    group.finish();
}

/// An empty folder for a build from scratch (emptying it is not timed).
fn empty(dir: &Path) -> PathBuf {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the previous index");
    }
    std::fs::create_dir_all(dir).expect("create the index folder");
    dir.to_path_buf()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

criterion_group!(benches, indexing);
criterion_main!(benches);
