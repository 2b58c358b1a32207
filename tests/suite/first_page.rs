//! The first page of a broad query, ranked without evaluating every match, against the
//! same page ranked from every match: the same hits in the same order, and a total that is
//! exact or a true lower bound.

use std::path::Path;
use unres::{BuildOptions, Query, SearchOptions, UnresIndex};

/// A generated corpus big enough for common words to match thousands of records.
fn generated_index(root: &Path) -> UnresIndex {
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let config = unres_synth::SynthConfig {
        resolutions: 150,
        seed: 11,
    };
    for i in 0..config.resolutions {
        let f = unres_synth::resolution(&config, i);
        std::fs::write(corpus.join(&f.name), &f.text).unwrap();
    }
    let dir = root.join("index");
    unres::build_index(&dir, &[corpus], &BuildOptions::default(), &|_, _| {}).unwrap();
    unres::open_index(&dir).unwrap()
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
    let tmp = tempfile::tempdir().unwrap();
    let idx = generated_index(tmp.path());
    let texts: Vec<Vec<char>> = idx
        .records(&Query::default())
        .unwrap()
        .iter()
        .map(|r| r.text.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    assert!(texts.len() > 5000, "{} records", texts.len());
    let mut rng = fastrand::Rng::with_seed(5);
    let (mut bounded, mut checked) = (0, 0);
    for k in 0..400 {
        // Pieces of real records, one or two of them, two to four characters each.
        let mut piece = || {
            let t = &texts[rng.usize(0..texts.len())];
            let len = rng.usize(2..=4).min(t.len());
            let start = rng.usize(0..=t.len() - len);
            t[start..start + len].iter().collect::<String>()
        };
        let text = if k % 3 == 0 {
            format!("{} {}", piece(), piece())
        } else {
            piece()
        };
        let Ok(q) = unres::parse_query(&text) else {
            continue;
        };
        for offset in [0, 30] {
            let quick = SearchOptions {
                limit: 10,
                offset,
                ..SearchOptions::default()
            };
            let full = SearchOptions {
                exact_total: true,
                ..quick
            };
            let (a, b) = (
                idx.search(&q, quick).unwrap(),
                idx.search(&q, full).unwrap(),
            );
            assert_eq!(places(&a.hits), places(&b.hits), "{text:?} from {offset}");
            assert!(b.total_exact);
            assert_eq!(b.total, idx.count(&q).unwrap(), "{text:?}");
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
