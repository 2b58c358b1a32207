//! The word layer's best records found by their field norms. The layer keeps no
//! frequencies, so a record's score for a set of words is the sum, over the words it holds,
//! of each word's score at the record's norm (one byte): one table of 256 scores a word
//! gives every score without tantivy scoring records one by one. Records holding every
//! word are the shortest of the intersection ([`best_of_intersection`]), and those holding
//! one word the shortest holding it ([`best_of_one_word`]); otherwise the union's records
//! are scored from the tables as the words' lists, read whole into one bitset each, are
//! walked together ([`best_of_union`], or [`union_above`] for every record above a floor).

use crate::error::Result;
use crate::index::statistics::Statistics;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::SegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::InvertedIndexReader;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term, TERMINATED};

pub(crate) use keep::Best;
pub(crate) use keep::Walked;
use keep::{Above, Keep, Kept, Shortest};

/// The `k` best records holding every word of `distinct` (each with the times the query
/// names it), best first, found without scoring each. The word layer keeps no frequencies,
/// so a record holding every word scores one function of its length (its field norm, one
/// byte), which decreases as the length grows: the best are the shortest. Each segment's
/// intersection is walked keeping the records whose norm is among the `k` smallest met so
/// far, and scores are read from a table of the 256 norms, each the sum tantivy makes (up
/// to the order of adding, which the first page's `above` allows for). Ties are taken in
/// document order.
pub(super) fn best_of_intersection(
    searcher: &Searcher,
    stats: &Statistics,
    distinct: &[(&Term, u32)],
    (k, ties): (usize, usize),
    walked: &mut Walked,
) -> Result<Vec<(Score, DocAddress)>> {
    let tables = tables(stats, distinct)?;
    let table: Vec<Score> = (0..256)
        .map(|norm| tables.iter().map(|t| t[norm]).sum())
        .collect();
    let mut shortest = Shortest::new(k, ties);
    let field = distinct[0].0.field();
    let terms: Vec<&Term> = distinct.iter().map(|(t, _)| *t).collect();
    let mut bits = Bits::default();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let norms = match reader.fieldnorms_readers().get_field(field)? {
            Some(norms) => norms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let alive = reader.alive_bitset();
        let inverted = reader.inverted_index(field)?;
        each_holding_all(&inverted, &terms, reader.max_doc(), &mut bits, |doc| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                shortest.offer(norms.fieldnorm_id(doc), DocAddress::new(ord as u32, doc));
            }
        })?;
    }
    let (below, whole) = shortest.whole();
    walked.keep_shortest(&terms, below, whole);
    Ok(shortest
        .into_best()
        .into_iter()
        .map(|(norm, addr)| (table[usize::from(norm)], addr))
        .collect())
}

/// The `k` best records holding `word` (with the times the query names it), best first,
/// ties in document order, and the `k`th score (0 when fewer hold it): the shortest, as in
/// [`best_of_intersection`], found in one read of the word's list and its records' norms.
/// The records tied with the `k`th, up to `ties` more, are kept in `walked` for
/// [`union_above`].
pub(super) fn best_of_one_word(
    searcher: &Searcher,
    stats: &Statistics,
    word: (&Term, u32),
    k: usize,
    ties: usize,
    walked: &mut Walked,
) -> Result<Best> {
    let table = tables(stats, &[word])?[0];
    let mut shortest = Shortest::new(k, ties);
    each_holding(searcher, word.0, |norm, addr| shortest.offer(norm, addr))?;
    let (below, whole) = shortest.whole();
    walked.keep_shortest(&[word.0], below, whole);
    let best: Vec<(Score, DocAddress)> = shortest
        .into_best()
        .into_iter()
        .map(|(norm, addr)| (table[usize::from(norm)], addr))
        .collect();
    let floor = match best.last() {
        Some(&(last, _)) if best.len() == k => last,
        _ => 0.0,
    };
    Ok((best, floor))
}

/// Gives `each` the norm and address of every record alive holding `word`, in document
/// order, its list read block by block.
fn each_holding(
    searcher: &Searcher,
    word: &Term,
    mut each: impl FnMut(u8, DocAddress),
) -> Result<()> {
    let io = |e: std::io::Error| tantivy::TantivyError::from(e);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let norms = match reader.fieldnorms_readers().get_field(word.field())? {
            Some(norms) => norms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let alive = reader.alive_bitset();
        let inverted = reader.inverted_index(word.field())?;
        let Some(info) = inverted.get_term_info(word).map_err(io)? else {
            continue;
        };
        let mut list = inverted
            .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
            .map_err(io)?;
        while !list.docs().is_empty() {
            for &doc in list.docs() {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    each(norms.fieldnorm_id(doc), DocAddress::new(ord as u32, doc));
                }
            }
            list.advance();
        }
    }
    Ok(())
}

/// A list this many times rarer than the next rarest leads the walk of an intersection,
/// seeking the others; denser lists are read whole.
pub(super) const RARE: u64 = 16;

/// Gives `each`, in document order, the records of one segment holding every term of
/// `terms` (two or more, each once), deleted ones included. When the rarest list holds at least a
/// [`RARE`]th of the next, each list is read whole, block by block, against a bitset of the
/// records holding the ones before (two words each in a fifth of the records: a seek for
/// every record of the rarer cost more than reading both); else the rarest leads and the
/// others are sought.
fn each_holding_all(
    inverted: &InvertedIndexReader,
    terms: &[&Term],
    max_doc: DocId,
    bits: &mut Bits,
    mut each: impl FnMut(DocId),
) -> Result<()> {
    let io = |e: std::io::Error| tantivy::TantivyError::from(e);
    let mut infos = Vec::with_capacity(terms.len());
    for term in terms {
        match inverted.get_term_info(term).map_err(io)? {
            Some(info) => infos.push(info),
            None => return Ok(()),
        }
    }
    infos.sort_by_key(|i| i.doc_freq);
    let basic = IndexRecordOption::Basic;
    if u64::from(infos[0].doc_freq) * RARE < u64::from(infos[1].doc_freq) {
        let mut lists = Vec::with_capacity(infos.len());
        for info in &infos {
            lists.push(
                inverted
                    .read_postings_from_terminfo(info, basic)
                    .map_err(io)?,
            );
        }
        walk_rarest(&mut lists, each);
        return Ok(());
    }
    let words = (max_doc as usize).div_ceil(64);
    let Bits { held, next } = bits;
    held.clear();
    held.resize(words, 0);
    if infos.len() > 2 {
        next.clear();
        next.resize(words, 0);
    }
    for (i, info) in infos.iter().enumerate() {
        let last = i + 1 == infos.len();
        let mut list = inverted
            .read_block_postings_from_terminfo(info, basic)
            .map_err(io)?;
        while !list.docs().is_empty() {
            for &doc in list.docs() {
                let (word, bit) = (doc as usize / 64, 1u64 << (doc % 64));
                if i == 0 {
                    held[word] |= bit;
                } else if held[word] & bit != 0 {
                    if last {
                        each(doc);
                    } else {
                        next[word] |= bit;
                    }
                }
            }
            list.advance();
        }
        if i > 0 && !last {
            std::mem::swap(held, next);
            next.fill(0);
        }
    }
    Ok(())
}

/// Gives `each` the documents of the first of `lists` (the rarest) that every other holds,
/// seeking the others to each.
fn walk_rarest(lists: &mut [SegmentPostings], mut each: impl FnMut(DocId)) {
    let (rarest, others) = lists.split_first_mut().expect("two words or more");
    let mut doc = rarest.doc();
    'walk: while doc != TERMINATED {
        for other in others.iter_mut() {
            let at = if other.doc() < doc {
                other.seek(doc)
            } else {
                other.doc()
            };
            if at > doc {
                doc = if at == TERMINATED {
                    at
                } else {
                    rarest.seek(at)
                };
                continue 'walk;
            }
        }
        each(doc);
        doc = rarest.advance();
    }
}

/// The bitsets [`each_holding_all`] reads lists into, kept from one segment to the next
/// (fresh zeroed pages for each segment cost the kernel more than clearing them): the
/// records holding the words read so far, and, with three words or more, the next ones.
#[derive(Default)]
struct Bits {
    held: Vec<u64>,
    next: Vec<u64>,
}

/// Each word's score in a record of each of the 256 norms, once for each time the query
/// names it, with the statistics `stats`.
fn tables(stats: &Statistics, distinct: &[(&Term, u32)]) -> Result<Vec<[Score; 256]>> {
    let mut tables = Vec::with_capacity(distinct.len());
    for (term, n) in distinct {
        let weight = Bm25Weight::for_terms(stats, std::slice::from_ref(*term))?;
        let mut table = [0.0; 256];
        for (norm, score) in (0..=u8::MAX).zip(table.iter_mut()) {
            *score = (0..*n).map(|_| weight.score(norm, 1)).sum();
        }
        tables.push(table);
    }
    Ok(tables)
}

/// The `k` best records holding any word of `distinct` (each with the times the query names
/// it), best first, ties in document order, and the most a record left out scores (0 when
/// fewer than `k` records hold one). A record scores the sum of its words' tables at its
/// norm, added in the order the words were first named (tantivy adds the same scores in
/// the order of its scorers: the first page's `above` allows for the difference). Each
/// segment's lists are read whole into one bitset a word, then its records are walked in
/// document order, 64 at a time; a record is kept only when it scores above the `k`th
/// kept. With `holding_all`, the `k` best records holding every word (or all of them,
/// best first), those are kept from the start and the walk leaves out the records holding
/// every word: only records lacking a word and able to score above the `k`th kept are
/// looked at.
pub(super) fn best_of_union(
    searcher: &Searcher,
    stats: &Statistics,
    distinct: &[(&Term, u32)],
    k: usize,
    holding_all: Option<&[(Score, DocAddress)]>,
) -> Result<Best> {
    let scores = Scores::new(tables(stats, distinct)?);
    let mut best = Kept::new(k);
    for &(score, addr) in holding_all.unwrap_or_default() {
        best.offer(score, addr);
    }
    walk_union(
        searcher,
        &scores,
        distinct,
        holding_all.is_some(),
        &mut best,
    )?;
    Ok(best.into_best())
}

/// Every record holding a word of `distinct` (each with the times the query names it) that
/// scores above `floor`, as [`best_of_union`] scores them, in document order; `None` when
/// there are more than `bound`. One word's records are taken from its shortest kept in
/// `walked` when those hold every norm above `floor`, instead of reading its list again.
pub(super) fn union_above(
    searcher: &Searcher,
    stats: &Statistics,
    distinct: &[(&Term, u32)],
    floor: Score,
    bound: usize,
    walked: &Walked,
) -> Result<Option<Vec<(Score, DocAddress)>>> {
    let mut above = Above::new(floor, bound);
    if let [word] = distinct {
        // One word's score falls as the norm grows: a table says which norms are above.
        let table = tables(stats, &[*word])?[0];
        let mut offer = |norm: u8, addr| {
            let score = table[usize::from(norm)];
            if above.takes(score) {
                above.offer(score, addr);
            }
        };
        match walked.shortest(&[word.0]) {
            Some((below, whole)) if table[usize::from(below)..].iter().all(|&s| s <= floor) => {
                whole.iter().for_each(|&(norm, addr)| offer(norm, addr));
            }
            _ => each_holding(searcher, word.0, offer)?,
        }
    } else {
        let scores = Scores::new(tables(stats, distinct)?);
        let terms: Vec<&Term> = distinct.iter().map(|(t, _)| *t).collect();
        // Only records holding every word above the floor: those the intersection's walk
        // kept, when it kept every one of the norms above the floor.
        let kept = scores.only_all_above(floor).zip(walked.shortest(&terms));
        match kept {
            Some((all, (below, whole)))
                if all[usize::from(below)..].iter().all(|&s| s <= floor) =>
            {
                for &(norm, addr) in whole {
                    let score = all[usize::from(norm)];
                    if above.takes(score) {
                        above.offer(score, addr);
                    }
                }
            }
            _ => walk_union(searcher, &scores, distinct, false, &mut above)?,
        }
    }
    Ok(above.into_records())
}

/// Offers `keep` the records holding a word of `distinct` (but not every one with
/// `skip_all`), scored by `scores`, segment by segment in document order: each word's list
/// read whole into a bitset, then the bitsets walked 64 records at a time, skipping records
/// whose set of words cannot score above the worst `keep` takes.
fn walk_union(
    searcher: &Searcher,
    scores: &Scores,
    distinct: &[(&Term, u32)],
    skip_all: bool,
    best: &mut impl Keep,
) -> Result<()> {
    let mut held: Vec<Vec<u64>> = vec![Vec::new(); distinct.len()];
    // The `k`th score kept (its bits), and the sets of words that can score above it.
    let mut hopeful: (u32, Option<u64>) = (u32::MAX, None);
    if let Some(worst) = best.worst() {
        hopeful = (worst, scores.hopeful(worst));
    }
    let Some(&(first, _)) = distinct.first() else {
        return Ok(());
    };
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        if best.done() {
            break;
        }
        let norms = match reader.fieldnorms_readers().get_field(first.field())? {
            Some(norms) => norms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let alive = reader.alive_bitset();
        let inverted = reader.inverted_index(first.field())?;
        let words = (reader.max_doc() as usize).div_ceil(64);
        for ((term, _), bits) in distinct.iter().zip(held.iter_mut()) {
            read_whole(&inverted, term, words, bits)?;
        }
        let mut at = vec![0u64; held.len()];
        for word in 0..words {
            for (at, bits) in at.iter_mut().zip(&held) {
                *at = bits[word];
            }
            let mut any = at.iter().fold(0, |any, bits| any | bits);
            if skip_all {
                any &= !at.iter().fold(u64::MAX, |all, bits| all & bits);
            }
            if any == 0 {
                continue;
            }
            // Only records holding a set of words that can score above the `k`th kept.
            if let Some(sets) = hopeful.1 {
                let (mut sets, mut held) = (sets, 0);
                while sets != 0 {
                    held |= exactly(sets.trailing_zeros() as usize, &at);
                    sets &= sets - 1;
                }
                any &= held;
            }
            while any != 0 {
                let bit = any.trailing_zeros();
                any &= any - 1;
                let doc = word as DocId * 64 + bit;
                let score = scores.of(&at, bit, norms.fieldnorm_id(doc));
                if best.takes(score) && alive.is_none_or(|a| a.is_alive(doc)) {
                    best.offer(score, DocAddress::new(ord as u32, doc));
                    if let Some(worst) = best.worst().filter(|&w| w != hopeful.0) {
                        hopeful = (worst, scores.hopeful(worst));
                    }
                }
            }
        }
    }
    Ok(())
}

const _: () = assert!(1 << Scores::SETS_UP_TO <= u64::BITS);

/// A record's score from the words it holds and its norm: with few words, from a table of
/// every set of them (2^words × 256 sums, each added in the words' order); with more, added
/// up word by word in the same order.
struct Scores {
    tables: Vec<[Score; 256]>,
    /// By set of words (bit `i`: word `i`), when there are at most [`Scores::SETS_UP_TO`].
    sets: Vec<[Score; 256]>,
    /// The most a record holding each set scores (at its shortest).
    most: Vec<Score>,
}

impl Scores {
    /// At most this many words have a table for each set of them: the sets that can still
    /// score above the `k`th kept are one bit each of a `u64`.
    const SETS_UP_TO: usize = 5;

    fn new(tables: Vec<[Score; 256]>) -> Scores {
        let sets = if tables.len() <= Self::SETS_UP_TO {
            (0..1usize << tables.len())
                .map(|set| {
                    let mut sums = [0.0; 256];
                    for (norm, sum) in sums.iter_mut().enumerate() {
                        *sum = (0..tables.len())
                            .filter(|i| set >> i & 1 == 1)
                            .map(|i| tables[i][norm])
                            .sum();
                    }
                    sums
                })
                .collect()
        } else {
            Vec::new()
        };
        let most = sets
            .iter()
            .map(|sums| sums.iter().copied().fold(0.0, Score::max))
            .collect();
        Scores { tables, sets, most }
    }

    /// The sets of words a record can hold and score above the score of bits `worst` (bit
    /// `set` of the answer); `None` when the sets are not tabled.
    fn hopeful(&self, worst: u32) -> Option<u64> {
        (!self.sets.is_empty()).then(|| {
            (1..self.most.len())
                .filter(|&set| self.most[set].to_bits() > worst)
                .fold(0, |sets, set| sets | 1 << set)
        })
    }

    /// The scores of a record holding every word, by norm, when no record lacking one
    /// scores above `floor`; `None` when some may (or the sets are not tabled).
    fn only_all_above(&self, floor: Score) -> Option<&[Score; 256]> {
        let (all, lacking) = self.sets.split_last()?;
        let most = &self.most[1..lacking.len()];
        most.iter().all(|&m| m <= floor).then_some(all)
    }

    /// The score of the record at bit `bit` of the words' bitsets `at`, of norm `norm`.
    #[inline]
    fn of(&self, at: &[u64], bit: u32, norm: u8) -> Score {
        let norm = usize::from(norm);
        if self.sets.is_empty() {
            let mut score = 0.0;
            for (bits, table) in at.iter().zip(&self.tables) {
                if bits >> bit & 1 == 1 {
                    score += table[norm];
                }
            }
            return score;
        }
        let set = at
            .iter()
            .enumerate()
            .fold(0, |set, (i, bits)| set | ((bits >> bit & 1) as usize) << i);
        self.sets[set][norm]
    }
}

/// The records of a word of the bitsets `at` holding exactly the words of `set`.
#[inline]
fn exactly(set: usize, at: &[u64]) -> u64 {
    at.iter().enumerate().fold(u64::MAX, |held, (i, &bits)| {
        held & if set >> i & 1 == 1 { bits } else { !bits }
    })
}

/// Sets in `bits` (cleared to `words` words first) the records holding `term`, its list
/// read whole, block by block.
fn read_whole(
    inverted: &InvertedIndexReader,
    term: &Term,
    words: usize,
    bits: &mut Vec<u64>,
) -> Result<()> {
    bits.clear();
    bits.resize(words, 0);
    let io = |e: std::io::Error| tantivy::TantivyError::from(e);
    let Some(info) = inverted.get_term_info(term).map_err(io)? else {
        return Ok(());
    };
    let mut list = inverted
        .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
        .map_err(io)?;
    while !list.docs().is_empty() {
        for &doc in list.docs() {
            bits[doc as usize / 64] |= 1u64 << (doc % 64);
        }
        list.advance();
    }
    Ok(())
}

mod keep;
