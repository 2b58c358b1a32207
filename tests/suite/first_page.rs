//! The first page of a broad query, ranked without evaluating every match, against the
//! same page ranked from every match: the same hits in the same order, and a total that is
//! exact or a true lower bound; the same for collapsed pages.

use crate::ask;

use crate::ask::quick_and_full;
use crate::common::collapsed_page;
use std::collections::HashMap;
use std::sync::OnceLock;
use unres::{Index, Query, Sort};

/// A generated corpus big enough for common words to match thousands of records, with
/// three series of twenty sessions (paragraphs repeated across sessions), indexed once.
fn generated_index() -> &'static Index {
    static INDEX: OnceLock<(tempfile::TempDir, Index)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let root = crate::common::tempdir();
            let corpus = root.path().join("corpus");
            let config = unres_synth::SynthConfig {
                resolutions: 150,
                seed: 11,
            };
            unres_synth::write_corpus(&config, &corpus).unwrap();
            unres_synth::series::write_series(&corpus, 3, 11).unwrap();
            let dir = root.path().join("index");
            unres::build_index(&dir, &[corpus], &unres::BuildOptions::default(), &|_, _| {})
                .unwrap();
            let index = unres::open_index(&dir).unwrap();
            (root, index)
        })
        .1
}

/// Texts of two to four characters cut from the index's records, one or two of them to a
/// query, as `count` queries drawn with `seed`.
fn pieces(idx: &Index, count: usize, seed: u64) -> Vec<String> {
    let texts: Vec<Vec<char>> = ask::records(idx, &Query::default())
        .iter()
        .map(|r| r.text.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    assert!(texts.len() > 5000, "{} records", texts.len());
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut piece = || {
        let t = &texts[rng.usize(0..texts.len())];
        let len = rng.usize(2..=4).min(t.len());
        let start = rng.usize(0..=t.len() - len);
        t[start..start + len].iter().collect::<String>()
    };
    (0..count)
        .map(|k| {
            if k % 3 == 0 {
                format!("{} {}", piece(), piece())
            } else {
                piece()
            }
        })
        .collect()
}

fn places(hits: &[unres::Hit]) -> Vec<(String, unres::Kind, u32, u32)> {
    hits.iter()
        .map(|h| {
            let r = &h.record;
            (r.symbol.clone(), r.kind, r.para, h.score.to_bits())
        })
        .collect()
}

#[test]
fn broad_queries_rank_their_first_pages_as_a_full_evaluation_does() {
    let idx = generated_index();
    let (mut bounded, mut checked) = (0, 0);
    for text in pieces(idx, 400, 5) {
        let Ok(q) = unres::parse_query(&text) else {
            continue;
        };
        for offset in [0, 30] {
            let (quick, full) = quick_and_full(offset, 10);
            let (a, b) = (
                ask::page(idx, &q, quick, Sort::Relevance),
                ask::page(idx, &q, full, Sort::Relevance),
            );
            assert_eq!(places(&a.hits), places(&b.hits), "{text:?} from {offset}");
            assert!(b.total_exact);
            assert_eq!(b.total, ask::count(idx, &q), "{text:?}");
            if a.total_exact {
                assert_eq!(a.total, b.total, "{text:?}");
            } else {
                assert!(
                    a.total == unres::TOTAL_BOUND && a.total <= b.total,
                    "{text:?}"
                );
                bounded += 1;
            }
            checked += 1;
        }
    }
    assert!(checked > 600, "{checked} searches compared");
    assert!(
        bounded > 25,
        "only {bounded} searches were broad enough for a lower bound"
    );
}

/// Collapsed, the first page of a broad query settled from the word layer's candidates
/// against the page grouped from every match: the same paragraphs in the same order, with
/// the same scores and the same other sessions, and totals that are lower bounds.
#[test]
fn broad_queries_collapse_their_first_pages_as_grouping_every_match_does() {
    let idx = generated_index();
    let (mut bounded, mut by_order, mut by_date, mut checked) = (0, 0, 0, 0);
    let mut queries = pieces(idx, 300, 7);
    // Queries without words of their own: ranked by the stable order.
    let singles: Vec<String> = pieces(idx, 40, 8)
        .iter()
        .filter_map(|p| p.chars().next().map(String::from))
        .collect();
    queries.extend(singles);
    for filter in [
        "kind:operative",
        "kind:preamble",
        "kind:footnote",
        "session:80",
    ] {
        queries.push(filter.to_string());
    }
    for (i, text) in queries.iter().enumerate() {
        let Ok(q) = unres::parse_query(text) else {
            continue;
        };
        let words = text.chars().count() > 1 && !text.contains(':');
        // Every query by relevance, one in three in date order too.
        let sorts: &[Sort] = if i % 3 == 0 {
            &[Sort::Relevance, Sort::Newest, Sort::Oldest]
        } else {
            &[Sort::Relevance]
        };
        for (&sort, (offset, limit)) in sorts.iter().flat_map(|s| [(s, (0, 10)), (s, (20, 5))]) {
            let (quick, full) = quick_and_full(offset, limit);
            let a = ask::collapsed(idx, &q, quick, sort);
            let b = ask::collapsed(idx, &q, full, sort);
            assert_eq!(
                collapsed_page(&a),
                collapsed_page(&b),
                "{text:?} {sort:?} from {offset}"
            );
            assert!(b.total_exact);
            if a.total_exact {
                assert_eq!((a.total, a.records), (b.total, b.records), "{text:?}");
            } else {
                assert!(a.records >= unres::TOTAL_BOUND, "{text:?}");
                assert!(a.total <= b.total && a.records <= b.records, "{text:?}");
                if a.records_exact {
                    assert_eq!(a.records, b.records, "{text:?}");
                }
                if sort != Sort::Relevance {
                    by_date += 1;
                } else if words {
                    bounded += 1;
                } else {
                    by_order += 1;
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 800, "{checked} searches compared");
    assert!(
        bounded > 20,
        "only {bounded} searches were settled from candidates"
    );
    assert!(
        by_order > 20,
        "only {by_order} searches were settled in the stable order"
    );
    assert!(
        by_date > 20,
        "only {by_date} searches were settled from a window of dates"
    );
}

/// The premise of collapsing from candidates: records with the same kind and folded text
/// score the same for any query, in any resolution or segment.
#[test]
fn versions_of_a_paragraph_score_the_same() {
    let idx = generated_index();
    let all = ask::Page {
        limit: usize::MAX,
        exact_total: true,
        ..ask::Page::default()
    };
    let mut repeated = 0;
    for text in pieces(idx, 60, 9) {
        let Ok(q) = unres::parse_query(&text) else {
            continue;
        };
        let mut seen: HashMap<(unres::Kind, String), u32> = HashMap::new();
        for hit in ask::page(idx, &q, all, Sort::Relevance).hits {
            let key = (hit.record.kind, unres::fold(&hit.record.text));
            match seen.get(&key) {
                Some(&bits) => {
                    assert_eq!(bits, hit.score.to_bits(), "{text:?}: {}", key.1);
                    repeated += 1;
                }
                None => {
                    seen.insert(key, hit.score.to_bits());
                }
            }
        }
    }
    assert!(repeated > 1000, "only {repeated} repeated texts compared");
}

/// In date order, the first page of a broad query taken from the records of the latest (or
/// earliest) dates alone against the page sorted from every match.
#[test]
fn broad_queries_in_date_order_take_their_first_pages_from_a_window_of_dates() {
    let idx = generated_index();
    let (mut bounded, mut checked) = (0, 0);
    let mut queries = pieces(idx, 200, 13);
    queries.extend(["的", "国", "kind:operative", "session:80"].map(String::from));
    // Broad, but with no match among the latest (or earliest) dates: the first window of
    // dates holds none of the page and must be widened.
    let latest: String = (70..=80).map(|s| format!(" -session:{s}")).collect();
    let earliest: String = (1..=20).map(|s| format!(" -session:{s}")).collect();
    queries.extend([format!("的{latest}"), format!("的{earliest}")]);
    for text in queries {
        let Ok(q) = unres::parse_query(&text) else {
            continue;
        };
        for sort in [Sort::Newest, Sort::Oldest] {
            for (offset, limit) in [(0, 10), (30, 10)] {
                let (quick, full) = quick_and_full(offset, limit);
                let a = ask::page(idx, &q, quick, sort);
                let b = ask::page(idx, &q, full, sort);
                assert_eq!(
                    places(&a.hits),
                    places(&b.hits),
                    "{text:?} {sort:?} from {offset}"
                );
                assert!(b.total_exact);
                if a.total_exact {
                    assert_eq!(a.total, b.total, "{text:?}");
                } else {
                    assert!(a.total == unres::TOTAL_BOUND && a.total <= b.total);
                    bounded += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 700, "{checked} searches compared");
    assert!(
        bounded > 20,
        "only {bounded} searches were taken from a window of dates"
    );
}

/// A page past [`unres::TOTAL_BOUND`] of a broad query: a total that is a lower bound is
/// never below the hits already shown ("at least 1103 … showing 1101–1103", not "at least
/// 1000"), and never above the exact count.
#[test]
fn a_lower_bound_total_is_never_below_the_hits_shown() {
    let idx = generated_index();
    let mut past = 0;
    for text in ["的", "国家", "各国", "会议", "执行"] {
        let q = unres::parse_query(text).unwrap();
        let count = ask::count(idx, &q);
        for view in [unres::View::Records, unres::View::Paragraphs] {
            for (offset, limit) in [(990, 20), (1100, 3), (1500, 10)] {
                let request = unres::Request {
                    query: q.clone(),
                    view,
                    offset,
                    limit,
                    ..unres::Request::default()
                };
                let answer = idx.search(&request).unwrap();
                let shown = offset
                    + match &answer {
                        unres::Answer::Records(r) => r.hits.len(),
                        unres::Answer::Paragraphs(r) => r.hits.len(),
                        _ => unreachable!("a page was asked for"),
                    };
                assert!(answer.total() <= count, "{text:?} {view:?} from {offset}");
                assert!(
                    answer.total() >= shown,
                    "{text:?} {view:?}: a total of {} (exact: {}) with hits up to {shown}",
                    answer.total(),
                    answer.total_exact()
                );
                if !answer.total_exact() && shown > unres::TOTAL_BOUND {
                    past += 1;
                }
            }
        }
    }
    assert!(
        past >= 4,
        "only {past} pages past the bound with a lower-bound total"
    );
}
