//! The records holding one character, read lazily. A record holds a character when the
//! exact layer has a bigram starting with it (or the character alone, last in the record),
//! so a one-character query is the union of every term with that prefix: thousands of
//! posting lists in a large index. tantivy's range query reads them all into one bitset
//! before it yields a match; [`CharQuery`] reads them a window of documents at a time, so a
//! page that stops after its first matches (see [`crate::search::ordered`]) reads only the
//! start of each list, and a full count costs what the bitset did.

use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, COLLECT_BLOCK_BUFFER_LEN, TERMINATED};

/// Documents the first window covers: a small part of a large segment, which is all a page's
/// first matches of a frequent character need. A window costs a visit to every list, so
/// each window is [`GROWTH`] times as wide as the one before: a full count reads each list
/// in a few steps, nearly as cheaply as tantivy's bitset.
const WINDOW: DocId = 1 << 12;
/// How much wider each window is than the one before.
const GROWTH: DocId = 16;

/// The records whose `field` holds a term starting with `prefix`, or one of the terms
/// `also`, at a constant score.
#[derive(Debug, Clone)]
pub(crate) struct CharQuery {
    field: Field,
    prefix: String,
    also: Vec<String>,
}

impl CharQuery {
    /// Every term of `field` starting with `prefix`.
    pub(crate) fn new(field: Field, prefix: String) -> CharQuery {
        CharQuery {
            field,
            prefix,
            also: Vec::new(),
        }
    }

    /// The field.
    pub(crate) fn field(&self) -> Field {
        self.field
    }

    /// The prefix.
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The same, and the terms `also` (those starting with the prefix are already in).
    pub(crate) fn with(mut self, also: Vec<String>) -> CharQuery {
        self.also = also;
        self
    }
}

impl Query for CharQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl CharQuery {
    /// The records of one segment holding one of the terms, as a union read a window at a
    /// time.
    pub(crate) fn union(&self, reader: &SegmentReader) -> tantivy::Result<LazyUnion> {
        let inverted = reader.inverted_index(self.field)?;
        let prefix = self.prefix.as_bytes();
        let mut stream = inverted.terms().range().ge(prefix).into_stream()?;
        let mut lists = Vec::new();
        while stream.advance() {
            if !stream.key().starts_with(prefix) {
                break;
            }
            let postings = inverted
                .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            lists.push(List { postings, at: 0 });
        }
        for term in self.also.iter().filter(|t| !t.starts_with(&self.prefix)) {
            let term = tantivy::Term::from_field_text(self.field, term);
            if let Some(info) = inverted.get_term_info(&term)? {
                let postings =
                    inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                lists.push(List { postings, at: 0 });
            }
        }
        Ok(LazyUnion::new(lists, reader.max_doc()))
    }
}

impl Weight for CharQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ConstScorer::new(self.union(reader)?, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        constant_explanation(self.scorer(reader, 1.0)?, doc, "CharQuery")
    }
}

/// The explanation of a constant-score match of `doc` by `scorer`, named `name`, or an
/// error when it does not match.
pub(crate) fn constant_explanation(
    mut scorer: Box<dyn Scorer>,
    doc: DocId,
    name: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.seek(doc) != doc {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match"
        )));
    }
    Ok(Explanation::new(name, 1.0))
}

/// One posting list and the place in its current block of the first document not yet put
/// in a window.
struct List {
    postings: BlockSegmentPostings,
    at: usize,
}

impl List {
    /// Sets the bits of the documents below `end` (none below `base` is left) and tells
    /// whether the list has documents left.
    fn fill(&mut self, base: DocId, end: DocId, bits: &mut [u64]) -> bool {
        loop {
            let docs = self.postings.docs();
            if docs.is_empty() {
                return false;
            }
            let rest = &docs[self.at..];
            if rest.last().is_some_and(|&last| last < end) {
                // The whole rest of the block is in the window (TERMINATED is not below it).
                for &doc in rest {
                    let i = doc - base;
                    bits[(i / 64) as usize] |= 1 << (i % 64);
                }
                self.at = docs.len();
            }
            while self.at < docs.len() {
                let doc = docs[self.at];
                if doc == TERMINATED {
                    return false;
                }
                if doc >= end {
                    return true;
                }
                let i = doc - base;
                bits[(i / 64) as usize] |= 1 << (i % 64);
                self.at += 1;
            }
            self.postings.advance();
            self.at = 0;
        }
    }

    /// The list's next document (TERMINATED when none is left).
    fn next_doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Skips the documents below `target`.
    fn skip_to(&mut self, target: DocId) {
        if self.next_doc() < target {
            self.at = self.postings.seek(target);
        }
    }
}

/// The union of the lists, one window of documents at a time.
pub(crate) struct LazyUnion {
    lists: Vec<List>,
    bits: Vec<u64>,
    /// The first document of the window, and the first past it.
    base: DocId,
    end: DocId,
    /// The width of the last window filled.
    width: DocId,
    max_doc: DocId,
    doc: DocId,
    size_hint: u32,
}

impl LazyUnion {
    fn new(lists: Vec<List>, max_doc: DocId) -> LazyUnion {
        let size_hint = lists
            .iter()
            .map(|l| l.postings.doc_freq())
            .fold(0u32, u32::saturating_add)
            .min(max_doc);
        let mut union = LazyUnion {
            lists,
            bits: Vec::new(),
            base: 0,
            end: 0,
            width: 0,
            max_doc,
            doc: 0,
            size_hint,
        };
        union.doc = union.first_from(0);
        union
    }

    /// Fills the window starting at the window of `from`, or the next one holding a
    /// document, and returns its first document at or after `from`.
    fn first_from(&mut self, from: DocId) -> DocId {
        let mut from = from;
        loop {
            self.lists.iter_mut().for_each(|l| l.skip_to(from));
            self.lists.retain(|l| l.next_doc() != TERMINATED);
            let Some(next) = self.lists.iter().map(List::next_doc).min() else {
                self.bits.clear();
                return TERMINATED;
            };
            self.base = next - next % 64;
            self.width = if self.width == 0 {
                WINDOW
            } else {
                self.width.saturating_mul(GROWTH)
            };
            self.end = self
                .base
                .saturating_add(self.width)
                .min(self.max_doc.max(next + 1));
            self.bits.clear();
            self.bits
                .resize((self.end - self.base).div_ceil(64) as usize, 0);
            let (base, end, bits) = (self.base, self.end, &mut self.bits[..]);
            self.lists.retain_mut(|l| l.fill(base, end, bits));
            if let Some(doc) = self.next_set(next) {
                return doc;
            }
            from = end;
        }
    }

    /// Whether `doc` is in the union, `doc` being past every document asked about or moved
    /// to before: a bit of the window when the window holds it.
    #[inline]
    pub(crate) fn holds(&mut self, doc: DocId) -> bool {
        if doc <= self.doc {
            return doc == self.doc;
        }
        if doc < self.end {
            // `self.doc` is in the window (it is not TERMINATED), and `doc` after it.
            let i = doc - self.base;
            return self.bits[(i / 64) as usize] >> (i % 64) & 1 == 1;
        }
        self.seek(doc) == doc
    }

    /// The window filled last: its first document, its width and its bits (those of the
    /// union's documents in it).
    #[inline]
    pub(crate) fn window(&self) -> (DocId, DocId, &[u64]) {
        (self.base, self.end - self.base, &self.bits)
    }

    /// The first document of the window at or after `from` whose bit is set.
    fn next_set(&self, from: DocId) -> Option<DocId> {
        let i = from.checked_sub(self.base)?;
        let mut word = (i / 64) as usize;
        if word >= self.bits.len() {
            return None;
        }
        let mut bits = self.bits[word] & (u64::MAX << (i % 64));
        loop {
            if bits != 0 {
                return Some(self.base + word as DocId * 64 + bits.trailing_zeros());
            }
            word += 1;
            if word == self.bits.len() {
                return None;
            }
            bits = self.bits[word];
        }
    }
}

impl DocSet for LazyUnion {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc = match self.next_set(self.doc + 1) {
            Some(doc) => doc,
            None => self.first_from(self.end),
        };
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.doc = match self.next_set(target) {
            Some(doc) => doc,
            None => self.first_from(target.max(self.end)),
        };
        self.doc
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        let mut n = 0;
        while n < buffer.len() && self.doc != TERMINATED {
            buffer[n] = self.doc;
            n += 1;
            // The rest of the current word, without going through `advance`.
            let i = self.doc - self.base;
            let (word, bit) = ((i / 64) as usize, i % 64);
            let mut rest = if bit == 63 {
                0
            } else {
                self.bits[word] & (u64::MAX << (bit + 1))
            };
            while rest != 0 && n < buffer.len() {
                let doc = self.base + word as DocId * 64 + rest.trailing_zeros();
                buffer[n] = doc;
                n += 1;
                self.doc = doc;
                rest &= rest - 1;
            }
            self.advance();
        }
        n
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.size_hint
    }
}
