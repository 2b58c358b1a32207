//! The word layer's best records taken from the words' intersection, against every record
//! of their union, on the seed.

use super::*;
use crate::index::schema::WORDS_FIELD;
use std::collections::HashSet;

/// For pairs of the seed's words (frequent with frequent, frequent with rare, a word named
/// twice), whenever the intersection settles the `k` best, no record it leaves out scores
/// above its floor (every record of the union is scored to check), and it does settle
/// some. Some pairs have a record holding one word alone that scores above the
/// intersection's `k`th: taking the intersection there would lose it.
#[test]
fn the_intersection_settles_only_what_the_union_would() {
    let seed = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/A-RES-78-46.zh.txt"
    ));
    let dir = tempfile::tempdir().unwrap();
    crate::build_index(dir.path(), &[seed], &Default::default(), &|_, _| {}).unwrap();
    let index = crate::open_index(dir.path()).unwrap();
    let searcher = index.reader.searcher();
    let (mut settled, mut lost_by_taking_all) = (0, 0);
    for words in &word_sets(&searcher) {
        let (every, _) = best_of_union(&searcher, &index.commit, words, 10_000).unwrap();
        let all = holding_all(&searcher, words);
        for k in [3, 5] {
            match best_holding_all(&searcher, &index.commit, words, k).unwrap() {
                Some((best, floor)) => {
                    settled += 1;
                    assert_eq!(best.len(), k);
                    let kept: HashSet<DocAddress> = best.iter().map(|b| b.1).collect();
                    for &(score, addr) in &every {
                        assert!(
                            kept.contains(&addr) || !above(score, floor),
                            "{words:?} k={k}: {addr:?} left out scores {score} > {floor}"
                        );
                    }
                }
                None => {
                    // Would the intersection's own `k` best have lost a better record?
                    let holding: Vec<Score> = every
                        .iter()
                        .filter(|(_, addr)| all.contains(addr))
                        .map(|b| b.0)
                        .collect();
                    if let Some(&kth) = holding.get(k - 1) {
                        lost_by_taking_all += usize::from(
                            every
                                .iter()
                                .any(|(score, addr)| above(*score, kth) && !all.contains(addr)),
                        );
                    }
                }
            }
        }
    }
    assert!(
        settled > 50 && lost_by_taking_all > 10,
        "{settled} settled by the intersection, {lost_by_taking_all} where it would lose a record"
    );
}

/// Sets of the seed's words held by two records or more: each of the 25 most frequent
/// with each other, with each of the 25 rarest, and named twice beside the next.
fn word_sets(searcher: &Searcher) -> Vec<Vec<Term>> {
    let field = searcher.schema().get_field(WORDS_FIELD).unwrap();
    let mut vocabulary: Vec<(u32, Term)> = Vec::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let df = stream.value().doc_freq;
            if df >= 2 {
                let word = std::str::from_utf8(stream.key()).unwrap();
                vocabulary.push((df, Term::from_field_text(field, word)));
            }
        }
    }
    vocabulary.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let frequent: Vec<Term> = vocabulary.iter().take(25).map(|w| w.1.clone()).collect();
    let rare: Vec<Term> = vocabulary
        .iter()
        .rev()
        .take(25)
        .map(|w| w.1.clone())
        .collect();
    let mut sets = Vec::new();
    for (i, a) in frequent.iter().enumerate() {
        for b in frequent[i + 1..].iter().chain(&rare) {
            sets.push(vec![a.clone(), b.clone()]);
        }
        sets.push(vec![a.clone(), a.clone(), frequent[(i + 1) % 25].clone()]);
    }
    sets
}

/// The records holding every word of `words`.
fn holding_all(searcher: &Searcher, words: &[Term]) -> HashSet<DocAddress> {
    let all = BooleanQuery::new(
        words
            .iter()
            .map(|t| -> (Occur, Box<dyn TQuery>) {
                let q = TermQuery::new(t.clone(), IndexRecordOption::Basic);
                (Occur::Must, Box::new(q))
            })
            .collect(),
    );
    searcher
        .search(&all, &tantivy::collector::DocSetCollector)
        .unwrap()
        .into_iter()
        .collect()
}
