//! The default path against `--index`: a fresh `unres search 小武器 --limit 10` process run in
//! a folder holding `corpus/` (the 5,000-resolution synthetic corpus) and its `index/`, which
//! checks that the index is current before searching, against the same search with
//! `--index index`, which checks nothing. Also: the freshness check alone, in process, and
//! the cost of a query in traditional characters (the conversion tables are loaded) against
//! its simplified form (they are not).
//!
//! Each process iteration checks the exit status and the total printed against an exact
//! scan of the parsed records.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const RESOLUTIONS: usize = 5000;
const QUERY: &str = "小武器";

/// The last line `unres search` prints: its total and the page shown.
fn search(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_unres"))
        .current_dir(cwd)
        .arg("search")
        .args(args)
        .args(["--limit", "10", "--color", "never"])
        .output()
        .expect("run unres");
    assert!(out.status.success(), "unres search failed: {out:?}");
    assert!(
        out.stderr.is_empty(),
        "the index was not current: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().last().unwrap_or_default().to_string()
}

fn default_path(c: &mut Criterion) {
    let corpus = common::corpus("corpus", RESOLUTIONS);
    let index = common::index("index", &corpus);
    let data: PathBuf = common::data_dir();
    assert_eq!(index, data.join("index"));
    let records = common::records(&corpus);
    let want = common::expected(&records, &unres::parse_query(QUERY).expect("parses"));
    drop(records);
    // The first default-path search checks the corpus in full (the index was built from
    // the absolute path) and writes the freshness file; the later ones trust it.
    let roots = [PathBuf::from("corpus")];
    std::env::set_current_dir(&data).expect("enter bench-data");
    let (_, first) = unres::open_or_update(
        Path::new("index"),
        &roots,
        &unres::BuildOptions::default(),
        &|_, _| {},
        &|_| {},
    )
    .expect("open the default index");
    assert!(first.updated.is_none_or(|r| !r.committed), "index current");
    std::thread::sleep(Duration::from_millis(100));
    unres::open_or_update(
        Path::new("index"),
        &roots,
        &unres::BuildOptions::default(),
        &|_, _| {},
        &|_| {},
    )
    .expect("open the default index");
    assert!(
        unres::is_fresh(Path::new("index"), &roots),
        "the freshness file is written and trusted"
    );

    let mut group = c.benchmark_group("default_path");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("search_index_flag", |b| {
        b.iter(|| common::check_printed_total(&search(&data, &["--index", "index", QUERY]), want))
    });
    group.bench_function("search_default_path", |b| {
        b.iter(|| common::check_printed_total(&search(&data, &[QUERY]), want))
    });
    group.bench_function("freshness_check_in_process", |b| {
        b.iter(|| assert!(unres::is_fresh(Path::new("index"), &roots)))
    });
    group.finish();

    let mut group = c.benchmark_group("traditional");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    let traditional = "輕武器";
    let simplified = "轻武器";
    let n = search(&data, &["--index", "index", simplified]);
    assert!(n.contains("showing 1–10"), "{n}");
    group.bench_function("process_simplified_query", |b| {
        b.iter(|| assert_eq!(search(&data, &["--index", "index", simplified]), n))
    });
    group.bench_function("process_traditional_query", |b| {
        b.iter(|| assert_eq!(search(&data, &["--index", "index", traditional]), n))
    });
    group.bench_function("load_t2s_tables", |b| {
        b.iter(|| {
            ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
                .expect("tables load")
        })
    });
    group.bench_function("check_simplified_query", |b| {
        b.iter(|| {
            assert!(!std::hint::black_box("执行《行动纲领》国际追查文书")
                .chars()
                .any(unres::converts_to_simplified))
        })
    });
    group.finish();
}

criterion_group!(benches, default_path);
criterion_main!(benches);
