//! What one query's walks of the word layer have read, kept for its next walk of the same
//! words: a union walks the lists its intersection read whole, and a first page cut through
//! by ties walks the words again for every record above a floor. Each list is read once a
//! query, into a bitset a segment; one word's shortest records are kept with their ties.

use crate::error::Result;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, InvertedIndexReader, Term};

/// The lists read whole and one word's shortest records, for one query.
#[derive(Default)]
pub(crate) struct Walked {
    /// (segment, word, a bit for each record holding it).
    lists: Vec<(u32, Term, Vec<u64>)>,
    /// One word's records of the smallest norms.
    shortest: Option<Shortest>,
}

/// Every record holding `word` of a norm below `below`, with its norm, in document order.
struct Shortest {
    word: Term,
    below: u16,
    records: Vec<(u8, DocAddress)>,
}

impl Walked {
    /// Reads `term`'s list in segment `segment` (`inverted`, `words` 64-bit words of
    /// records) whole into a bitset, unless it was read already.
    pub(super) fn read(
        &mut self,
        segment: u32,
        inverted: &InvertedIndexReader,
        term: &Term,
        words: usize,
    ) -> Result<()> {
        if self.has(segment, term) {
            return Ok(());
        }
        let mut bits = vec![0u64; words];
        let io = |e: std::io::Error| tantivy::TantivyError::from(e);
        if let Some(info) = inverted.get_term_info(term).map_err(io)? {
            let mut list = inverted
                .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(io)?;
            while !list.docs().is_empty() {
                for &doc in list.docs() {
                    bits[doc as usize / 64] |= 1u64 << (doc % 64);
                }
                list.advance();
            }
        }
        self.lists.push((segment, term.clone(), bits));
        Ok(())
    }

    /// Whether `term`'s list in segment `segment` is held.
    pub(super) fn has(&self, segment: u32, term: &Term) -> bool {
        self.position(segment, term).is_some()
    }

    /// The bitset of `term`'s records in segment `segment`, read with [`Walked::read`].
    pub(super) fn list(&self, segment: u32, term: &Term) -> &[u64] {
        let at = self
            .position(segment, term)
            .expect("a list is read before it is walked");
        &self.lists[at].2
    }

    fn position(&self, segment: u32, term: &Term) -> Option<usize> {
        self.lists
            .iter()
            .position(|(s, t, _)| *s == segment && t == term)
    }

    /// Keeps `term`'s records of a norm below `below` (every one, with its norm, in
    /// document order).
    pub(super) fn keep_shortest(&mut self, term: &Term, below: u16, whole: Vec<(u8, DocAddress)>) {
        self.shortest = Some(Shortest {
            word: term.clone(),
            below,
            records: whole,
        });
    }

    /// The records kept by [`Walked::keep_shortest`] for `term`, and the norm they are
    /// below.
    pub(crate) fn shortest(&self, term: &Term) -> Option<(u16, &[(u8, DocAddress)])> {
        match &self.shortest {
            Some(kept) if kept.word == *term => Some((kept.below, &kept.records)),
            _ => None,
        }
    }
}
