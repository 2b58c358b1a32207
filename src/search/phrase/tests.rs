//! Phrases found inside words against tantivy's own phrase query on the bigrams'
//! positions: on the seed, and on a generated corpus whose lists span many blocks.

use super::*;
use std::collections::BTreeSet;
use tantivy::collector::DocSetCollector;
use tantivy::query::PhraseQuery;

/// Every phrase of three to six characters of the seed found inside a word, matched
/// with its words opened at once, against tantivy's own phrase query on the bigrams.
#[test]
fn word_phrases_match_what_the_bigrams_positions_match() {
    let (_dir, index) = crate::search::first_page::tests::seed_index();
    let roots = [std::path::PathBuf::from(
        crate::search::first_page::tests::SEED,
    )];
    let searcher = index.reader.searcher();
    let (exact, words) = (index.fields.exact, index.fields.words);
    let mut phrases = BTreeSet::new();
    for r in crate::parse_paths(&roots)
        .into_iter()
        .flat_map(|p| p.result.unwrap())
        .flat_map(|r| r.records())
    {
        let chars: Vec<char> = fold(&r.text).chars().collect();
        for len in 3..=6 {
            for w in chars.windows(len) {
                phrases.insert(w.iter().collect::<String>());
            }
        }
    }
    let (mut tried, mut by_word) = (0, 0);
    for phrase in &phrases {
        let mut wp = WordPhrase::of(exact, words, phrase);
        if !wp.has_words(&searcher).unwrap() {
            continue;
        }
        wp.positions_first = 0;
        let got = searcher.search(&wp, &DocSetCollector).unwrap();
        let want = searcher
            .search(
                &PhraseQuery::new_with_offset(wp.grams.clone()),
                &DocSetCollector,
            )
            .unwrap();
        assert_eq!(got, want, "{phrase}");
        let only_words = searcher.search(&wp.words, &DocSetCollector).unwrap();
        assert!(
            only_words.is_subset(&want),
            "{phrase}: a word without the phrase"
        );
        tried += 1;
        by_word += usize::from(!only_words.is_empty() && only_words.len() < want.len());
    }
    // Phrases whose records are found both ways, by a word and by positions.
    assert!(
        tried > 100 && by_word > 10,
        "{tried} phrases, {by_word} found both ways"
    );
}

/// The most frequent phrases of three and four characters of a generated corpus (lists of
/// many blocks), matched with their words opened at once, after a few records and after
/// [`POSITIONS_FIRST`], read by blocks (as counts read them) and by seeks (as
/// intersections do), against tantivy's own phrase query on the bigrams.
#[test]
fn word_phrases_of_many_blocks_match_by_blocks_and_by_seeks() {
    let (root, index) = crate::search::first_page::tests::generated_index();
    let searcher = index.reader.searcher();
    let (exact, words) = (index.fields.exact, index.fields.words);
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for r in crate::parse_paths(&[root.path().join("corpus")])
        .into_iter()
        .flat_map(|p| p.result.unwrap())
        .flat_map(|r| r.records())
    {
        let chars: Vec<char> = fold(&r.text).chars().collect();
        let mut held = BTreeSet::new();
        for len in 3..=4 {
            held.extend(chars.windows(len).map(|w| w.iter().collect::<String>()));
        }
        for phrase in held {
            *counts.entry(phrase).or_default() += 1;
        }
    }
    let mut frequent: Vec<(usize, String)> = counts.into_iter().map(|(p, n)| (n, p)).collect();
    frequent.sort_unstable_by(|a, b| b.cmp(a));
    let mut tried = 0;
    for (_, phrase) in &frequent {
        let mut wp = WordPhrase::of(exact, words, phrase);
        if !wp.has_words(&searcher).unwrap() {
            continue;
        }
        let want = searcher
            .search(
                &PhraseQuery::new_with_offset(wp.grams.clone()),
                &DocSetCollector,
            )
            .unwrap();
        for first in [0, 5, POSITIONS_FIRST] {
            wp.positions_first = first;
            let got = searcher.search(&wp, &DocSetCollector).unwrap();
            assert_eq!(got, want, "{phrase}, words opened after {first}");
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let mut docs: Vec<DocId> = want
                    .iter()
                    .filter(|a| a.segment_ord as usize == ord)
                    .map(|a| a.doc_id)
                    .collect();
                docs.sort_unstable();
                let scoring = EnableScoring::disabled_from_searcher(&searcher);
                let weight = wp.weight(scoring).unwrap();
                let mut filled = Vec::new();
                weight
                    .for_each_no_score(reader, &mut |block| filled.extend_from_slice(block))
                    .unwrap();
                assert_eq!(filled, docs, "{phrase}, words opened after {first}, blocks");
                assert_eq!(
                    stepped(weight.scorer(reader, 1.0).unwrap()),
                    stepped_in(&docs),
                    "{phrase}, words opened after {first}, seeks"
                );
            }
        }
        tried += 1;
        if tried == 40 {
            break;
        }
    }
    let most = frequent.first().map_or(0, |f| f.0);
    assert!(
        tried == 40 && most > 4 * 128,
        "{tried} phrases, {most} records at most"
    );
}

/// The documents met stepping `docs` by advances and, every third step, a seek a few
/// documents ahead.
fn stepped(mut docs: Box<dyn Scorer>) -> Vec<DocId> {
    let mut met = Vec::new();
    let mut doc = docs.doc();
    while doc != TERMINATED {
        met.push(doc);
        doc = match ahead(met.len(), doc) {
            Some(target) => docs.seek(target),
            None => docs.advance(),
        };
    }
    met
}

/// What [`stepped`] meets in the ascending documents `docs`.
fn stepped_in(docs: &[DocId]) -> Vec<DocId> {
    let mut met = Vec::new();
    let mut at = 0;
    while let Some(&doc) = docs.get(at) {
        met.push(doc);
        let target = ahead(met.len(), doc).unwrap_or(doc + 1);
        at = docs.partition_point(|&d| d < target);
    }
    met
}

/// Where the `step`th step from `doc` seeks to: every third step, a few documents ahead.
fn ahead(step: usize, doc: DocId) -> Option<DocId> {
    step.is_multiple_of(3)
        .then(|| doc + 1 + (step % 7) as DocId)
}
