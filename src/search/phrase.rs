//! A phrase of the exact layer found inside words of the word layer: words it starts
//! (`联合国` in `联合国`, `联合国大会`) and words of the disarmament dictionary holding it
//! further on (`核武器` in `不扩散核武器条约`). A record holding such a word holds the phrase
//! (each word is a piece of the record's folded text), so [`WordPhrase`] reads a record's
//! bigram positions only when none of those words is among its words. A frequent phrase is
//! mostly found in such words: counting its records (`--by-session`, `--by-resolution`,
//! `--count`) then reads a part of the positions that tantivy's phrase query reads for every
//! record holding all its bigrams. The words' lists are opened only once a segment has had
//! [`POSITIONS_FIRST`] records' positions read, so a page that stops after its first
//! matches seldom pays for them; then they are read a window of documents at a time
//! ([`CharQuery`]).

use crate::search::prefix::{constant_explanation, CharQuery, LazyUnion};
use crate::text::normalize::fold;
use crate::text::tokenize::{query_bigrams, DOMAIN_TERMS};
use std::sync::OnceLock;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, Score, Searcher, SegmentReader, Term, COLLECT_BLOCK_BUFFER_LEN, TERMINATED,
};

/// The records whose folded text holds a phrase: those holding one of `words` in the word
/// layer (the words starting with the phrase, and the domain dictionary's words holding it
/// further on), and those holding the phrase's bigrams at their places, `grams` (each with
/// its place in the phrase, as [`query_bigrams`] gives them). At a constant score.
#[derive(Debug, Clone)]
pub(crate) struct WordPhrase {
    grams: Vec<(usize, Term)>,
    words: CharQuery,
    /// Whether the domain dictionary has words holding the phrase after their start.
    within: bool,
    /// See [`POSITIONS_FIRST`].
    positions_first: u32,
}

impl WordPhrase {
    /// The phrase `folded` (three characters or more) in the exact layer `exact`, with its
    /// words in the word layer `words`.
    pub(crate) fn of(exact: Field, words: Field, folded: &str) -> WordPhrase {
        let chars: Vec<char> = folded.chars().collect();
        let grams = query_bigrams(&chars)
            .into_iter()
            .map(|(place, g)| (place, Term::from_field_text(exact, &g)))
            .collect();
        let within = domain_words_holding(folded);
        WordPhrase {
            grams,
            within: !within.is_empty(),
            words: CharQuery::new(words, folded.to_string()).with(within),
            positions_first: POSITIONS_FIRST,
        }
    }

    /// Whether any record can hold one of its words in the index `searcher` reads: a word
    /// of the domain dictionary holds it, or a word of the word layer starts with it.
    pub(crate) fn has_words(&self, searcher: &Searcher) -> tantivy::Result<bool> {
        if self.within {
            return Ok(true);
        }
        let prefix = self.words.prefix().as_bytes();
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(self.words.field())?;
            let mut stream = inverted.terms().range().ge(prefix).into_stream()?;
            if stream.advance() && stream.key().starts_with(prefix) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The words of the shipped domain dictionary holding `text` after their first character
/// (`核武器` in `不扩散核武器条约`): jieba keeps them whole, so the word layer holds them
/// where the phrase is found inside them.
fn domain_words_holding(text: &str) -> Vec<String> {
    // Folded once a process, not once a query.
    static FOLDED: OnceLock<Vec<String>> = OnceLock::new();
    FOLDED
        .get_or_init(|| {
            DOMAIN_TERMS
                .lines()
                .filter_map(|line| line.split_whitespace().next())
                .map(fold)
                .collect()
        })
        .iter()
        .filter(|word| word.contains(text) && !word.starts_with(text))
        .cloned()
        .collect()
}

impl Query for WordPhrase {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.grams {
            visitor(term, true);
        }
    }
}

impl Weight for WordPhrase {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut grams = Vec::with_capacity(self.grams.len());
        for (place, term) in &self.grams {
            let inverted = reader.inverted_index(term.field())?;
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(postings) => grams.push((*place as u32, postings)),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        let words = Words::Later(Box::new(reader.clone()), self.words.clone());
        let docs = Docs::new(grams, words, self.positions_first);
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        constant_explanation(self.scorer(reader, 1.0)?, doc, "WordPhrase")
    }
}

/// How many records of a segment have their positions read before the words' lists are
/// opened: a page that stops after its first matches seldom opens them (opening them costs
/// a look-up of each word in the segment); a count over many records soon does. 1,024
/// before: a count by session of 核武器 or 联合国 at 50,000 files read 12,000 records'
/// positions instead of 1,500, for 5-7% of its time (docs/BENCHMARKS.md).
const POSITIONS_FIRST: u32 = 128;

/// The records holding one of the words: not yet opened (with what opens them), open, or
/// none (when opening them failed, every record has its positions read).
enum Words {
    Later(Box<SegmentReader>, CharQuery),
    Open(Box<LazyUnion>),
    None,
}

/// The matching documents of one segment.
struct Docs {
    /// The bigrams' postings with their places in the phrase, rarest first.
    grams: Vec<(u32, SegmentPostings)>,
    words: Words,
    /// How many records had their positions read, and how many before the words are opened.
    checked: u32,
    positions_first: u32,
    doc: DocId,
    starts: Vec<u32>,
    scratch: Vec<u32>,
}

impl Docs {
    fn new(mut grams: Vec<(u32, SegmentPostings)>, words: Words, positions_first: u32) -> Docs {
        grams.sort_by_key(|(_, p)| p.doc_freq());
        let mut docs = Docs {
            grams,
            words,
            checked: 0,
            positions_first,
            doc: 0,
            starts: Vec::new(),
            scratch: Vec::new(),
        };
        docs.doc = docs.first_from(0);
        docs
    }

    /// Whether `doc`, where every bigram's postings stand, has them at their places.
    fn positions_line_up(&mut self) -> bool {
        self.checked += 1;
        self.starts.clear();
        for (i, (place, postings)) in self.grams.iter_mut().enumerate() {
            self.scratch.clear();
            postings.positions(&mut self.scratch);
            let place = *place;
            let starts = self.scratch.iter().filter_map(|&p| p.checked_sub(place));
            if i == 0 {
                self.starts.extend(starts);
            } else {
                let mut starts = starts.peekable();
                self.starts.retain(|&s| {
                    while starts.next_if(|&t| t < s).is_some() {}
                    starts.peek() == Some(&s)
                });
            }
            if self.starts.is_empty() {
                return false;
            }
        }
        true
    }

    /// Whether `doc` holds one of the words, once enough records had their positions read.
    fn holds_a_word(&mut self, doc: DocId) -> bool {
        if self.checked == self.positions_first {
            if let Words::Later(reader, query) = &self.words {
                self.words = match query.union(reader) {
                    Ok(union) => Words::Open(Box::new(union)),
                    Err(_) => Words::None,
                };
            }
        }
        match &mut self.words {
            Words::Open(words) => words.holds(doc),
            _ => false,
        }
    }

    /// The next matching document, the rarest bigram's postings standing on the current
    /// one. Most records of a frequent phrase hold one of its words: once the words are
    /// open, the rarest bigram's next document is taken as soon as it holds one, without
    /// the rest of [`Docs::first_from`] (a count by session of `联合国` at 50,000 files
    /// steps through 360,000 of them).
    #[inline]
    fn next(&mut self) -> DocId {
        let doc = self.grams[0].1.advance();
        if let Words::Open(words) = &mut self.words {
            if doc != TERMINATED && words.holds(doc) {
                return doc;
            }
        }
        self.first_from(doc)
    }

    /// The first matching document at or after `from`. A document of the rarest bigram
    /// holding one of the words holds the phrase, so the other bigrams' postings are moved
    /// to it only when it holds none: they then skip ahead, past the records of the words.
    #[inline(never)]
    fn first_from(&mut self, from: DocId) -> DocId {
        let mut from = from;
        'next: loop {
            let doc = seek(&mut self.grams[0].1, from);
            if doc == TERMINATED || self.holds_a_word(doc) {
                return doc;
            }
            for (_, postings) in &mut self.grams[1..] {
                let other = seek(postings, doc);
                if other != doc {
                    from = other;
                    continue 'next;
                }
            }
            if self.positions_line_up() {
                return doc;
            }
            from = doc + 1;
        }
    }
}

/// Moves `postings` to its first document at or after `target` (not back). The next
/// document is stepped to (a seek searches its block for it).
#[inline]
fn seek(postings: &mut SegmentPostings, target: DocId) -> DocId {
    let doc = postings.doc();
    if doc >= target {
        doc
    } else if doc + 1 == target {
        postings.advance()
    } else {
        postings.seek(target)
    }
}

impl DocSet for Docs {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.next();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.first_from(target);
        }
        self.doc
    }

    /// As tantivy's own, with [`Docs::next`] inlined: counts read their matches this way.
    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        let mut n = 0;
        while n < buffer.len() && self.doc != TERMINATED {
            buffer[n] = self.doc;
            n += 1;
            self.doc = self.next();
        }
        n
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.grams[0].1.doc_freq()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::PhraseQuery;

    /// Every phrase of three to six characters of the seed found inside a word, matched
    /// with its words opened at once, against tantivy's own phrase query on the bigrams.
    #[test]
    fn word_phrases_match_what_the_bigrams_positions_match() {
        let seed = std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/A-RES-78-46.zh.txt"
        ));
        let dir = tempfile::tempdir().unwrap();
        let roots = vec![seed.clone()];
        crate::build_index(dir.path(), &roots, &Default::default(), &|_, _| {}).unwrap();
        let index = crate::open_index(dir.path()).unwrap();
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
}
