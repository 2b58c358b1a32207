//! Wording history without an index: `diff_resolutions` of two consecutive members of a
//! generated series, and `history` of every operative paragraph of the newest member over
//! 20 sessions. Before timing, it prints how many paragraphs of generated series of 20
//! sessions are paired as the generator made them (the README's accuracy figure).
//!
//! Then on an index of 20 generated series written as files (400 resolutions, in a
//! temporary folder): `Index::history` over 20 sessions and a search of paragraphs one a
//! series (`--collapse`), whose paragraph total is checked against a full count of the
//! paragraphs and its record total against a count of the records at every iteration. The
//! whole-process figures on the 5,000-resolution corpus in docs/BENCHMARKS.md come from the
//! `unres` binary itself.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use unres::{diff_resolutions, history, Kind, Resolution};
use unres_synth::series::{series, SeriesConfig};

const SESSIONS: usize = 20;

fn accuracy() {
    let (mut right, mut total) = (0usize, 0usize);
    for seed in 100..120u64 {
        let s = series(&SeriesConfig {
            sessions: SESSIONS,
            first_session: 60,
            seed,
            number: None,
        });
        for k in 1..s.members.len() {
            for p in &diff_resolutions(&s.members[k - 1], &s.members[k]).paragraphs {
                total += 1;
                let ok = match (&p.old, &p.new) {
                    (old, Some(n)) => s.true_old(k, n.kind, n.para) == old.as_ref().map(|o| o.para),
                    (Some(o), None) => s
                        .id_of(k - 1, o.kind, o.para)
                        .is_some_and(|id| s.number_of(k, o.kind, id).is_none()),
                    (None, None) => false,
                };
                right += usize::from(ok);
            }
        }
    }
    eprintln!(
        "pairing: {right} of {total} paragraphs and footnotes paired as made ({:.2}%), 20 series of {SESSIONS} sessions",
        100.0 * right as f64 / total as f64
    );
}

fn bench(c: &mut Criterion) {
    accuracy();
    let s = series(&SeriesConfig {
        sessions: SESSIONS,
        first_session: 60,
        seed: 7,
        number: None,
    });
    let newest_first: Vec<Resolution> = s.members.iter().rev().cloned().collect();
    let last = &newest_first[0];
    let ops: Vec<u32> = last
        .paragraphs
        .iter()
        .filter(|p| p.kind == Kind::Operative)
        .map(|p| p.number)
        .collect();
    let mut group = c.benchmark_group("wording");
    group.bench_function("diff_two_sessions", |b| {
        b.iter(|| diff_resolutions(black_box(&newest_first[1]), black_box(last)))
    });
    group.bench_function("history_20_sessions", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % ops.len();
            history(black_box(&newest_first), Kind::Operative, ops[k])
        })
    });
    group.finish();
}

fn bench_index(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = dir.path().join("corpus");
    unres_synth::series::write_series(&corpus, 20, 46).expect("series written");
    let index_dir = dir.path().join("index");
    unres::build_index(
        &index_dir,
        &[corpus],
        &unres::BuildOptions::default(),
        &|_, _| {},
    )
    .expect("index built");
    let index = unres::open_index(&index_dir).expect("index opened");
    let newest = "A/RES/80/500";
    let ops: Vec<u32> = index.resolution(newest).expect("loaded")[0]
        .paragraphs
        .iter()
        .filter(|p| p.kind == Kind::Operative)
        .map(|p| p.number)
        .collect();
    let query = unres::parse_query("建立信任").expect("query");
    let counts = unres::Request {
        query: query.clone(),
        view: unres::View::Paragraphs,
        limit: 0,
        exact_total: true,
        ..unres::Request::default()
    };
    let Ok(unres::Answer::Paragraphs(all)) = index.search(&counts) else {
        panic!("paragraphs asked");
    };
    let plain = unres::Request {
        view: unres::View::Records,
        ..counts.clone()
    };
    let records = index.search(&plain).expect("count").total();
    let groups = all.total;
    let request = unres::Request {
        query,
        view: unres::View::Paragraphs,
        ..unres::Request::default()
    };
    let mut group = c.benchmark_group("wording_index");
    group.bench_function("history_20_sessions", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % ops.len();
            index
                .history(newest, Kind::Operative, ops[k])
                .expect("history")
        })
    });
    group.bench_function("search_collapsed", |b| {
        b.iter(|| {
            let Ok(unres::Answer::Paragraphs(r)) = index.search(&request) else {
                panic!("paragraphs asked");
            };
            assert_eq!((r.total, r.records), (groups, records));
            r
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_index);
criterion_main!(benches);
