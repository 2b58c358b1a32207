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
//! ([`CharQuery`]), and the rarest bigram's list a block at a time beside them ([`Lead`]):
//! a count takes a block's documents holding a word in one loop.

use crate::search::prefix::{constant_explanation, CharQuery, LazyUnion};
use crate::text::normalize::fold;
use crate::text::tokenize::{query_bigrams, DOMAIN_TERMS};
use std::sync::OnceLock;
use tantivy::postings::{BlockSegmentPostings, Postings, SegmentPostings, TermInfo};
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
            let Some(info) = inverted.get_term_info(term)? else {
                return Ok(Box::new(EmptyScorer));
            };
            let postings = inverted
                .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions)?;
            grams.push(Gram {
                place: *place as u32,
                postings,
                info,
            });
        }
        let opener = Opener {
            reader: reader.clone(),
            words: self.words.clone(),
            exact: self.grams[0].1.field(),
        };
        let docs = Docs::new(grams, Words::Later(Box::new(opener)), self.positions_first);
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

/// What opens a segment's words and the rarest bigram's blocks once enough records had
/// their positions read.
struct Opener {
    reader: SegmentReader,
    words: CharQuery,
    /// The exact layer's field.
    exact: Field,
}

impl Opener {
    /// The words' union and the blocks of the bigram whose list is `lead`, standing on its
    /// document `doc`.
    fn open(&self, lead: &TermInfo, doc: DocId) -> tantivy::Result<Lead> {
        let words = self.words.union(&self.reader)?;
        let blocks = self
            .reader
            .inverted_index(self.exact)?
            .read_block_postings_from_terminfo(lead, IndexRecordOption::Basic)?;
        let mut lead = Lead {
            blocks,
            at: 0,
            words,
        };
        lead.at = lead.blocks.seek(doc);
        Ok(lead)
    }
}

/// The records holding one of the words: not yet opened (with what opens them), open
/// beside the rarest bigram's blocks, or none (when opening them failed, every record has
/// its positions read).
enum Words {
    Later(Box<Opener>),
    Led(Box<Lead>),
    None,
}

/// A bigram of the phrase: its place in the phrase, its postings with positions, and where
/// its list is (to read its blocks of documents alone).
struct Gram {
    place: u32,
    postings: SegmentPostings,
    info: TermInfo,
}

/// The rarest bigram's documents a block at a time (without frequencies), beside the
/// union of the words: each of its documents is looked up in the union, and only those
/// holding none of the words move the bigrams' postings and read positions.
struct Lead {
    blocks: BlockSegmentPostings,
    /// The place of the current document in the block.
    at: usize,
    words: LazyUnion,
}

impl Lead {
    /// The current document (TERMINATED past the last).
    #[inline]
    fn doc(&self) -> DocId {
        self.blocks
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// The next document.
    #[inline]
    fn advance(&mut self) -> DocId {
        self.at += 1;
        if self.at >= self.blocks.block_len() {
            self.blocks.advance();
            self.at = 0;
        }
        self.doc()
    }

    /// Moves on over the block's next documents as long as each holds one of the words
    /// in the union's window, writing them to `out` (at most its length); the lead stands
    /// on the last one written. Tells how many.
    #[inline]
    fn take_held(&mut self, out: &mut [DocId]) -> usize {
        let next = self.at + 1;
        let docs = self.blocks.docs().get(next..).unwrap_or_default();
        let (base, width, bits) = self.words.window();
        let mut n = 0;
        for (&doc, slot) in docs.iter().zip(out) {
            let i = doc.wrapping_sub(base);
            if i >= width || bits[(i / 64) as usize] >> (i % 64) & 1 == 0 {
                break;
            }
            *slot = doc;
            n += 1;
        }
        self.at += n;
        n
    }

    /// The first document at or after `target` (where it stands when that is behind it:
    /// it catches up with a seek of the phrase's documents).
    #[inline]
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at = self.blocks.seek(target);
        }
        self.doc()
    }
}

/// The bigrams of one segment and what checking their positions needs.
struct Bigrams {
    /// Rarest first.
    grams: Vec<Gram>,
    /// How many records had their positions read.
    checked: u32,
    starts: Vec<u32>,
    scratch: Vec<u32>,
}

impl Bigrams {
    /// Whether the document where every bigram's postings stand has them at their places.
    fn positions_line_up(&mut self) -> bool {
        self.checked += 1;
        self.starts.clear();
        for (i, gram) in self.grams.iter_mut().enumerate() {
            self.scratch.clear();
            gram.postings.positions(&mut self.scratch);
            let place = gram.place;
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

    /// Whether `doc`, a document of the rarest bigram, holds every bigram at its place.
    fn line_up_at(&mut self, doc: DocId) -> bool {
        for gram in &mut self.grams {
            if seek(&mut gram.postings, doc) != doc {
                return false;
            }
        }
        self.positions_line_up()
    }
}

/// The matching documents of one segment.
struct Docs {
    bigrams: Bigrams,
    words: Words,
    /// How many records have their positions read before the words are opened.
    positions_first: u32,
    doc: DocId,
}

impl Docs {
    fn new(mut grams: Vec<Gram>, words: Words, positions_first: u32) -> Docs {
        grams.sort_by_key(|g| g.postings.doc_freq());
        let bigrams = Bigrams {
            grams,
            checked: 0,
            starts: Vec::new(),
            scratch: Vec::new(),
        };
        let mut docs = Docs {
            bigrams,
            words,
            positions_first,
            doc: 0,
        };
        docs.doc = docs.first_from(0);
        docs
    }

    /// Whether `doc`, a document of the rarest bigram, holds one of the words: the words
    /// and the rarest bigram's blocks are opened there once [`POSITIONS_FIRST`] records
    /// had their positions read.
    fn holds_a_word(&mut self, doc: DocId) -> bool {
        if self.bigrams.checked == self.positions_first {
            if let Words::Later(opener) = &self.words {
                self.words = match opener.open(&self.bigrams.grams[0].info, doc) {
                    Ok(lead) => Words::Led(Box::new(lead)),
                    Err(_) => Words::None,
                };
            }
        }
        match &mut self.words {
            Words::Led(lead) => lead.words.holds(doc),
            _ => false,
        }
    }

    /// The next matching document. Once the words are open, the rarest bigram's blocks
    /// are read (caught up with the current document when a seek moved past them), and
    /// its next document is taken as soon as it holds one of the words (a count by
    /// session of `联合国` at 50,000 files steps through 360,000 of them, a comparison and
    /// a bit each).
    #[inline]
    fn next(&mut self) -> DocId {
        if let Words::Led(lead) = &mut self.words {
            lead.seek(self.doc);
            let doc = lead.advance();
            if doc == TERMINATED || lead.words.holds(doc) {
                return doc;
            }
            return self.led_from(doc);
        }
        let doc = self.bigrams.grams[0].postings.advance();
        self.first_from(doc)
    }

    /// The first matching document from `doc` on, a document of the rarest bigram's
    /// blocks, the words open: its documents in turn, each holding one of the words or
    /// checked by positions.
    #[inline(never)]
    fn led_from(&mut self, doc: DocId) -> DocId {
        let Words::Led(lead) = &mut self.words else {
            unreachable!("called once the words are open")
        };
        let mut doc = doc;
        while doc != TERMINATED && !lead.words.holds(doc) && !self.bigrams.line_up_at(doc) {
            doc = lead.advance();
        }
        doc
    }

    /// The first matching document at or after `from` (a seek, or the next before the
    /// words are open): the rarest bigram's postings moved there, the other bigrams' moved
    /// to each of its documents holding none of the words, skipping ahead past documents
    /// any of them lacks.
    #[inline(never)]
    fn first_from(&mut self, from: DocId) -> DocId {
        let mut from = from;
        'next: loop {
            let doc = seek(&mut self.bigrams.grams[0].postings, from);
            if doc == TERMINATED || self.holds_a_word(doc) {
                return doc;
            }
            for gram in &mut self.bigrams.grams[1..] {
                let other = seek(&mut gram.postings, doc);
                if other != doc {
                    from = other;
                    continue 'next;
                }
            }
            if self.bigrams.positions_line_up() {
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

    /// As tantivy's own, with [`Docs::next`] inlined, and once the words are open, the
    /// rarest bigram's documents of the block that hold one of them taken in one loop:
    /// counts read their matches this way.
    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        let mut n = 0;
        while n < buffer.len() && self.doc != TERMINATED {
            buffer[n] = self.doc;
            n += 1;
            if let Words::Led(lead) = &mut self.words {
                lead.seek(self.doc);
                n += lead.take_held(&mut buffer[n..]);
            }
            self.doc = self.next();
        }
        n
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.bigrams.grams[0].postings.doc_freq()
    }
}

#[cfg(test)]
mod tests;
