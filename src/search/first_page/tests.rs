//! The word layer's best records taken from the words' intersection, against every record
//! of their union, on the seed.

use super::*;
use crate::index::schema::WORDS_FIELD;
use norms::RARE;
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;

/// For pairs of the seed's words (frequent with frequent, frequent with rare, a word named
/// twice), whenever the intersection settles the `k` best, no record it leaves out scores
/// above its floor (every record of the union is scored to check), and it does settle
/// some. Some pairs have a record holding one word alone that scores above the
/// intersection's `k`th: taking the intersection there would lose it.
#[test]
fn the_intersection_settles_only_what_the_union_would() {
    let (_dir, index) = seed_index();
    let searcher = index.reader.searcher();
    let stats = Statistics::of(&searcher, (index.commit.records, index.commit.words));
    let (mut settled, mut lost_by_taking_all) = (0, 0);
    for words in &word_sets(&searcher) {
        let every = scored_union(&searcher, &index.commit, words, 10_000);
        let all = holding_all(&searcher, words);
        for k in [3, 5] {
            match best_holding_all(
                &searcher,
                &stats,
                &distinct(words),
                k,
                &mut Walked::default(),
            )
            .unwrap()
            {
                Holding::Settled((best, floor)) => {
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
                Holding::Seed(_) => {
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

/// On a generated corpus (over 5,000 records, lists of many blocks), the records holding
/// every word that the norms pick are the ones tantivy's scored intersection ranks best,
/// with the same scores: for pairs of frequent words (read whole into a bitset), a frequent
/// and a rare word (the rare one leads, seeking the other), and a word named twice.
#[test]
fn the_shortest_holding_every_word_are_the_best_scored() {
    let (_root, index) = generated_index();
    let searcher = index.reader.searcher();
    let stats = Statistics::of(&searcher, (index.commit.records, index.commit.words));
    let (mut read_whole, mut sought) = (0, 0);
    for words in &word_sets(&searcher) {
        let distinct = distinct(words);
        let mut df: Vec<u64> = distinct
            .iter()
            .map(|(t, _)| searcher.doc_freq(t).unwrap())
            .collect();
        df.sort();
        if df[0] * RARE < df[1] {
            sought += 1;
        } else {
            read_whole += 1;
        }
        for k in [1, 7, 60, 400] {
            let walked = &mut Walked::default();
            let ours = best_of_intersection(&searcher, &stats, &distinct, (k, 0), walked).unwrap();
            let theirs = searcher
                .search_with_statistics_provider(
                    &each(words, Occur::Must),
                    &TopDocs::with_limit(k).order_by_score(),
                    &stats,
                )
                .unwrap();
            assert_eq!(ours.len(), theirs.len(), "{words:?} k={k}");
            for (o, t) in ours.iter().zip(&theirs) {
                assert!(
                    !above(o.0, t.0) && !above(t.0, o.0),
                    "{words:?} k={k}: {} against {}",
                    o.0,
                    t.0
                );
            }
            // Beyond ties at the last score, the same records.
            let Some(&(last, _)) = theirs.last() else {
                continue;
            };
            let clear = |best: &[(Score, DocAddress)]| -> HashSet<DocAddress> {
                best.iter()
                    .filter(|b| above(b.0, last))
                    .map(|b| b.1)
                    .collect()
            };
            assert_eq!(clear(&ours), clear(&theirs), "{words:?} k={k}");
        }
    }
    assert!(
        read_whole > 100 && sought > 100,
        "{read_whole} read whole, {sought} sought"
    );
}

/// On the generated corpus, the union's best picked from the words' tables of scores by
/// norm are the ones tantivy's scored union ranks best, with the same scores (up to the
/// order of adding) and the same floor, both alone and as a first page takes them (the
/// intersection first, its best then kept by the union's walk): pairs of words (frequent,
/// rare, between), a word named twice, three words (each set of them tabled), and seven
/// (scores added word by word).
#[test]
fn the_union_scored_by_norms_ranks_as_tantivy_does() {
    let (_root, index) = generated_index();
    let searcher = index.reader.searcher();
    let stats = Statistics::of(&searcher, (index.commit.records, index.commit.words));
    let mut sets = word_sets(&searcher);
    let frequent: Vec<Term> = sets.iter().take(24).map(|s| s[1].clone()).collect();
    for i in 0..20 {
        sets.push(frequent[i..i + 3].to_vec());
    }
    sets.push(frequent[..7].to_vec());
    sets.push(frequent[10..17].to_vec());
    for words in &sets {
        let distinct = distinct(words);
        for k in [1, 7, 60, 400] {
            let theirs = searcher
                .search_with_statistics_provider(
                    &each(words, Occur::Should),
                    &TopDocs::with_limit(k).order_by_score(),
                    &stats,
                )
                .unwrap();
            let alone = norms::best_of_union(&searcher, &stats, &distinct, k, None).unwrap();
            agree(
                &alone,
                &theirs,
                k,
                &format!("{words:?} k={k}, the union alone"),
            );
            // As a first page takes them: from the intersection when it settles, else from
            // the union, the intersection's best kept from the start.
            let taken =
                best_words(&searcher, &index.commit, words, k, &mut Walked::default()).unwrap();
            agree(&taken, &theirs, k, &format!("{words:?} k={k}, as taken"));
        }
    }
}

/// On the generated corpus, one word (named once or twice) picked by its norms alone gives
/// tantivy's best, and the records above a floor taken by norms are those tantivy scores
/// above it, for one word and for the union of several.
#[test]
fn one_word_and_the_records_above_a_floor_are_tantivy_s() {
    let (_root, index) = generated_index();
    let searcher = index.reader.searcher();
    let stats = Statistics::of(&searcher, (index.commit.records, index.commit.words));
    let sets = word_sets(&searcher);
    let mut words: Vec<Vec<Term>> = sets.iter().take(40).map(|s| vec![s[1].clone()]).collect();
    words.extend(
        sets.iter()
            .take(5)
            .map(|s| vec![s[1].clone(), s[1].clone()]),
    );
    words.extend(sets.iter().step_by(7).take(30).cloned());
    let mut cut_through = 0;
    for words in &words {
        for k in [1, 7, 60, 400] {
            let theirs = scored_union(&searcher, &index.commit, words, k);
            if words.len() == 1 || words[0] == words[1] {
                let taken =
                    best_words(&searcher, &index.commit, words, k, &mut Walked::default()).unwrap();
                agree(&taken, &theirs, k, &format!("{words:?} k={k}, one word"));
            }
            // A floor a little below the `k`th: more than `k` records may be above it.
            let Some(floor) = theirs.last().map(|t| t.0 * 0.95) else {
                continue;
            };
            let every = scored_union(&searcher, &index.commit, words, 100_000);
            let ours = norms::union_above(
                &searcher,
                &stats,
                &distinct(words),
                floor,
                100_000,
                &Walked::default(),
            )
            .unwrap()
            .unwrap();
            let ours: HashSet<DocAddress> = ours.iter().map(|o| o.1).collect();
            for (score, addr) in every {
                if above(score, floor) {
                    assert!(
                        ours.contains(&addr),
                        "{words:?} above {floor}: {addr:?} lost"
                    );
                } else if above(floor, score) {
                    assert!(
                        !ours.contains(&addr),
                        "{words:?} above {floor}: {addr:?} taken"
                    );
                }
            }
            cut_through += usize::from(ours.len() > k);
            let bounded = norms::union_above(
                &searcher,
                &stats,
                &distinct(words),
                floor,
                k,
                &Walked::default(),
            );
            assert_eq!(
                bounded.unwrap().is_none(),
                ours.len() > k,
                "{words:?} k={k}"
            );
        }
    }
    assert!(
        cut_through > 10,
        "{cut_through} floors with more records above them"
    );
}

/// Whether `ours` (the `k` best and their floor) are tantivy's `k` best `theirs`: as many,
/// the same scores (up to the order of adding), the same floor, and beyond ties at the last
/// score the same records.
fn agree(ours: &Best, theirs: &[(Score, DocAddress)], k: usize, what: &str) {
    let (ours, floor) = ours;
    assert_eq!(ours.len(), theirs.len(), "{what}");
    let close = |a: Score, b: Score| !above(a, b) && !above(b, a);
    for (o, t) in ours.iter().zip(theirs) {
        assert!(close(o.0, t.0), "{what}: {} against {}", o.0, t.0);
    }
    let last = theirs.last().map_or(0.0, |t| t.0);
    let their_floor = if theirs.len() < k { 0.0 } else { last };
    assert!(close(*floor, their_floor), "{what}: floor {floor}");
    let clear = |best: &[(Score, DocAddress)]| -> HashSet<DocAddress> {
        best.iter()
            .filter(|b| above(b.0, last))
            .map(|b| b.1)
            .collect()
    };
    assert_eq!(clear(ours), clear(theirs), "{what}");
}

/// The seed's text, the default corpus.
pub(crate) const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/A-RES-78-46.zh.txt");

/// An index of the seed alone.
pub(crate) fn seed_index() -> (tempfile::TempDir, crate::Index) {
    let dir = tempfile::tempdir().unwrap();
    let roots = [std::path::PathBuf::from(SEED)];
    crate::build_index(dir.path(), &roots, &Default::default(), &|_, _| {}).unwrap();
    let index = crate::open_index(dir.path()).unwrap();
    (dir, index)
}

/// An index of 150 generated resolutions (over 5,000 records, lists of many blocks).
pub(crate) fn generated_index() -> (tempfile::TempDir, crate::Index) {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    let config = unres_synth::SynthConfig {
        resolutions: 150,
        seed: 11,
    };
    unres_synth::write_corpus(&config, &corpus).unwrap();
    let dir = root.path().join("index");
    crate::build_index(&dir, &[corpus], &Default::default(), &|_, _| {}).unwrap();
    let index = crate::open_index(&dir).unwrap();
    (root, index)
}

/// The `k` best records of the union of `words` as tantivy scores them, with the index's
/// own statistics.
fn scored_union(
    searcher: &Searcher,
    commit: &Payload,
    words: &[Term],
    k: usize,
) -> Vec<(Score, DocAddress)> {
    let words = crate::index::statistics::Exact::new(Box::new(each(words, Occur::Should)), commit);
    searcher
        .search(&words, &TopDocs::with_limit(k).order_by_score())
        .unwrap()
}

/// Sets of the index's words held by two records or more: each of the 25 most frequent
/// with each other, with each of the 25 rarest, with 25 between, and named twice beside the
/// next.
fn word_sets(searcher: &Searcher) -> Vec<Vec<Term>> {
    let field = searcher.schema().get_field(WORDS_FIELD).unwrap();
    let mut counted: std::collections::BTreeMap<Vec<u8>, u32> = Default::default();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            *counted.entry(stream.key().to_vec()).or_default() += stream.value().doc_freq;
        }
    }
    let mut vocabulary: Vec<(u32, Term)> = counted
        .into_iter()
        .filter(|(_, df)| *df >= 2)
        .map(|(word, df)| {
            (
                df,
                Term::from_field_text(field, std::str::from_utf8(&word).unwrap()),
            )
        })
        .collect();
    vocabulary.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let frequent: Vec<Term> = vocabulary.iter().take(25).map(|w| w.1.clone()).collect();
    let rare: Vec<Term> = vocabulary
        .iter()
        .rev()
        .take(25)
        .map(|w| w.1.clone())
        .collect();
    // Rarer than the most frequent by more than `RARE`, yet held by many records: a walk
    // led by them meets the other list often.
    let top = vocabulary[0].0;
    let middle: Vec<Term> = vocabulary
        .iter()
        .filter(|w| w.0 * RARE as u32 * 4 > top && w.0 * (RARE as u32) < top)
        .take(25)
        .map(|w| w.1.clone())
        .collect();
    let mut sets = Vec::new();
    for (i, a) in frequent.iter().enumerate() {
        for b in frequent[i + 1..].iter().chain(&rare).chain(&middle) {
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

/// One boolean query of `words`, each a term query of the word layer joined by `occur`.
fn each(words: &[Term], occur: Occur) -> BooleanQuery {
    BooleanQuery::new(
        words
            .iter()
            .map(|t| {
                let q: Box<dyn TQuery> =
                    Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic));
                (occur, q)
            })
            .collect(),
    )
}

mod ties;
