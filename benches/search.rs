//! Query latency on the 5,000-resolution synthetic corpus, in process: one query kind per
//! benchmark, the whole answer the server and Python give for two of them, hostile queries that must answer (error or hits) well under a second, and the
//! p50/p99 latency of a mixed query set run many times.
//!
//! Every timed iteration asserts the number of hits against an exact scan of the parsed
//! records (`common::expected`), so a benchmark that stops finding the right records fails
//! instead of getting faster. The corpus and index live in `bench-data/` and are reused.

mod common;

use common::{Corpus, Scanned};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use unres::{Answer, Index, Request};

/// Resolutions in the corpus searched here.
const RESOLUTIONS: usize = 5000;
/// Hits asked for, as `unres search` does by default.
const LIMIT: usize = 10;

/// One query of each kind the targets name: (benchmark name, query).
const QUERIES: [(&str, &str); 8] = [
    ("one_char", "器"),
    ("two_chars", "妇女"),
    ("long_phrase", "国际追查文书对于维护国际和平与安全的重要性"),
    ("several_terms", "小武器 妇女 行动纲领"),
    ("filter_kind", "kind:operative 小武器"),
    ("cites", "cites:A/CONF.192/15"),
    ("frequent", "国际合作和援助"),
    ("rare", "国际刑警组织"),
];

/// Runs of the whole mixed set (after warm-up) behind the printed percentiles.
const MIXED_RUNS: usize = 2000;
const MIXED_WARM_UP: usize = 50;

struct State {
    index: Index,
    records: Vec<Scanned>,
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let corpus: Corpus = common::corpus("corpus", RESOLUTIONS);
        let dir = common::index("index", &corpus);
        let index = unres::open_index(&dir).expect("open the benchmark index");
        let start = Instant::now();
        let records = common::records(&corpus);
        eprintln!(
            "bench: {} records parsed for the exact scan in {:.1} s",
            records.len(),
            start.elapsed().as_secs_f64()
        );
        State { index, records }
    })
}

/// What a query must give: a parse error, or this many hits (at least this many, when the
/// search reports a lower bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    ParseError,
    SearchError,
    Hits(usize),
    AtLeast(usize),
}

impl Outcome {
    /// Whether this search outcome agrees with the exact scan's `want`: the same, or a lower
    /// bound of [`unres::TOTAL_BOUND`] for at least that many records.
    fn agrees(self, want: Outcome) -> bool {
        match (self, want) {
            (Outcome::AtLeast(m), Outcome::Hits(n)) => m == unres::TOTAL_BOUND && m <= n,
            (got, want) => got == want,
        }
    }
}

fn expected(state: &State, text: &str) -> Outcome {
    match unres::parse_query(text) {
        Err(_) => Outcome::ParseError,
        Ok(q) => Outcome::Hits(common::expected(&state.records, &q)),
    }
}

/// Parses and runs one query as `unres search` does (first page of hits, and the total).
fn run(index: &Index, text: &str) -> Outcome {
    let Ok(q) = unres::parse_query(text) else {
        return Outcome::ParseError;
    };
    let request = Request {
        query: q,
        limit: LIMIT,
        ..Request::default()
    };
    match index.search(&request) {
        Ok(Answer::Records(r)) => {
            assert_eq!(r.hits.len(), r.total.min(LIMIT), "a full first page");
            if r.total_exact {
                Outcome::Hits(r.total)
            } else {
                Outcome::AtLeast(r.total)
            }
        }
        Ok(other) => panic!("records asked, {other:?} answered"),
        Err(_) => Outcome::SearchError,
    }
}

fn queries(c: &mut Criterion) {
    let mut group = c.benchmark_group("search");
    group.sampling_mode(SamplingMode::Flat).sample_size(50);
    for (name, text) in QUERIES {
        group.bench_function(name, |b| {
            let s = state();
            let want = expected(s, text);
            assert!(
                matches!(want, Outcome::Hits(n) if n > 0),
                "`{text}` must find records in the corpus (exact scan: {want:?})"
            );
            b.iter(|| {
                let got = run(&s.index, black_box(text));
                assert!(
                    got.agrees(want),
                    "hits of `{text}`: {got:?}, exact scan {want:?}"
                );
            })
        });
    }
    group.finish();
}

/// The answer the server and the Python package give: the first page as JSON objects,
/// with the previous member of each hit's resolution in its series.
fn answer_pages(c: &mut Criterion) {
    let mut group = c.benchmark_group("answer_page");
    group.sampling_mode(SamplingMode::Flat).sample_size(50);
    for (name, text) in [
        ("two_chars", "妇女"),
        ("several_terms", "小武器 妇女 行动纲领"),
    ] {
        group.bench_function(name, |b| {
            let s = state();
            let request = Request {
                query: unres::parse_query(text).expect("a query"),
                limit: LIMIT,
                ..Request::default()
            };
            b.iter(|| {
                let answer = s.index.search(black_box(&request)).expect("search");
                let page = unres::AnswerPage::new(&s.index, &answer, &request).expect("page");
                let hits = page.hits.as_ref().map_or(0, Vec::len);
                assert_eq!(hits, page.total.min(LIMIT), "a full first page of `{text}`");
                let previous = page.previous.as_ref().map_or(0, |p| p.len());
                assert!(
                    previous > 0,
                    "each hit's resolution looked up in its series"
                );
            })
        });
    }
    group.finish();
}

/// Inputs no user should be able to make slow: each must come back, with an error or with
/// hits, well under a second.
fn hostile_queries() -> Vec<(&'static str, String)> {
    let distinct: String = "器武核弹药枪支妇女和平安全条约裁军国际合作援助行动纲领"
        .chars()
        .collect();
    let one_char_ors = std::iter::repeat(distinct.chars())
        .flatten()
        .take(unres::MAX_TERMS)
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" OR ");
    let long_term = "国际追查文书对于维护国际和平与安全的重要性"
        .chars()
        .cycle()
        .take(unres::MAX_TERM_CHARS)
        .collect::<String>();
    vec![
        ("10k_chars", "武".repeat(10_000)),
        ("3000_ors", vec!["武器"; 3000].join(" OR ")),
        ("256_one_char_ors", one_char_ors),
        ("7_longest_terms", [long_term.as_str(); 7].join(" ")),
        (
            "punctuation_only",
            "，。、；：！？（）《》“”—…!?.,;:()[]{}".into(),
        ),
        (
            "ascii_punctuation_terms",
            "! ? . , ; : ( ) [ ] { } / \\ * ~ ^".into(),
        ),
        ("repeated_quotes", "\"".repeat(4000)),
        ("quoted_quotes", "\"\"\"小武器\"\"\"".repeat(400)),
        ("many_empty_quotes", "\"\" ".repeat(1300)),
    ]
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10);
    for (name, text) in hostile_queries() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            let s = state();
            let want = expected(s, text);
            let start = Instant::now();
            let first = run(&s.index, text);
            let took = start.elapsed();
            assert!(
                took < Duration::from_millis(500),
                "`{name}` took {took:?}: a hostile query must answer well under a second"
            );
            assert!(
                first.agrees(want)
                    || (first == Outcome::SearchError && want != Outcome::ParseError),
                "`{name}`: got {first:?}, the exact scan says {want:?}"
            );
            b.iter(|| {
                let got = run(&s.index, black_box(text));
                assert_eq!(got, first, "`{name}` answers the same every time");
            })
        });
    }
    group.finish();
}

/// The filter given on the command line, if any (criterion's own flags skipped).
fn filter() -> Option<String> {
    const TAKES_VALUE: [&str; 16] = [
        "--save-baseline",
        "-s",
        "--baseline",
        "-b",
        "--baseline-lenient",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--plotting-backend",
        "--output-format",
        "--color",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut skip = false;
    for a in &args {
        if skip {
            skip = false;
            continue;
        }
        if TAKES_VALUE.contains(&a.as_str()) || a == "-c" || a == "--profile-time" {
            skip = true;
            continue;
        }
        if !a.starts_with('-') {
            return Some(a.clone());
        }
    }
    None
}

/// The mixed set's latency percentiles: every query of [`QUERIES`] run [`MIXED_RUNS`]
/// times in turn, each run timed on its own with `Instant` (criterion gives no
/// percentiles). Printed to stdout; runs only when no filter excludes `mixed`.
fn mixed_percentiles(_: &mut Criterion) {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if filter().is_some_and(|f| !"mixed/percentiles".contains(f.as_str())) {
        return;
    }
    let quick = args.iter().any(|a| a == "--test");
    let (warm_up, runs) = if quick {
        (1, 3)
    } else {
        (MIXED_WARM_UP, MIXED_RUNS)
    };
    let s = state();
    let wants: Vec<Outcome> = QUERIES.iter().map(|(_, q)| expected(s, q)).collect();
    for _ in 0..warm_up {
        for ((_, q), want) in QUERIES.iter().zip(&wants) {
            assert!(run(&s.index, q).agrees(*want), "hits of `{q}`");
        }
    }
    let mut all: Vec<Duration> = Vec::with_capacity(runs * QUERIES.len());
    let mut each: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); QUERIES.len()];
    let total = Instant::now();
    for _ in 0..runs {
        for (i, ((_, q), want)) in QUERIES.iter().zip(&wants).enumerate() {
            let start = Instant::now();
            let got = run(&s.index, black_box(q));
            let took = start.elapsed();
            assert!(
                got.agrees(*want),
                "hits of `{q}`: {got:?}, exact scan {want:?}"
            );
            all.push(took);
            each[i].push(took);
        }
    }
    let total = total.elapsed();
    println!(
        "mixed/percentiles: {} queries ({} runs of {} queries) in {:.1} s",
        all.len(),
        runs,
        QUERIES.len(),
        total.as_secs_f64()
    );
    let (p50, p99, max) = percentiles(&mut all);
    println!(
        "mixed/percentiles: all      p50 {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms   (targets: p50 <= 0.5 ms, p99 <= 3 ms)",
        ms(p50),
        ms(p99),
        ms(max)
    );
    for (i, (name, q)) in QUERIES.iter().enumerate() {
        let (p50, p99, max) = percentiles(&mut each[i]);
        let hits = match wants[i] {
            Outcome::Hits(n) => n,
            _ => 0,
        };
        println!(
            "mixed/percentiles: {name:<14} p50 {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms   {hits:>6} hits  {q}",
            ms(p50),
            ms(p99),
            ms(max)
        );
    }
}

/// p50, p99 and maximum (nearest rank).
fn percentiles(d: &mut [Duration]) -> (Duration, Duration, Duration) {
    d.sort_unstable();
    let rank = |p: f64| d[((p * d.len() as f64).ceil() as usize).clamp(1, d.len()) - 1];
    (rank(0.50), rank(0.99), d[d.len() - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

criterion_group!(benches, queries, answer_pages, hostile, mixed_percentiles);
criterion_main!(benches);
