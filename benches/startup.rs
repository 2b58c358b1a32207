//! Start-up: a fresh `unres search --index DIR 小武器 --limit 10` process per iteration
//! (process start, opening the index, one query, printing, exit) on the 5,000-resolution
//! synthetic corpus, with the same index as `benches/search.rs`.
//!
//! Each iteration checks the exit status and the total the command prints against an exact
//! scan of the parsed records.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use std::time::Duration;

const RESOLUTIONS: usize = 5000;
const QUERY: &str = "小武器";

fn startup(c: &mut Criterion) {
    let corpus = common::corpus("corpus", RESOLUTIONS);
    let dir = common::index("index", &corpus);
    let records = common::records(&corpus);
    let want = common::expected(&records, &unres::parse_query(QUERY).expect("parses"));
    assert!(want > 10, "`{QUERY}` fills a page");
    drop(records);
    let exe = env!("CARGO_BIN_EXE_unres");
    let mut group = c.benchmark_group("startup");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("search_process", |b| {
        b.iter(|| {
            let out = Command::new(exe)
                .args(["search", "--index"])
                .arg(&dir)
                .args([QUERY, "--limit", "10", "--color", "never"])
                .output()
                .expect("run unres");
            assert!(out.status.success(), "unres search failed: {out:?}");
            let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
            let last = stdout.lines().last().unwrap_or_default();
            common::check_printed_total(last, want);
            assert!(last.contains("showing 1–10"), "a full page: `{last}`");
        })
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
