//! The stable order of records, encoded in one fast field: newer session first, then
//! resolution number, part and the record's place in its file. Encoded and decoded here,
//! with the adoption date's key.

use crate::index::columns::{Columns, Dense};
use crate::model::Record;

/// The order key's low bits, below the resolution: the record's place in its part.
const PLACE_BITS: u32 = 20;
/// The name of the order key's fast field, read per document when ranking.
pub(crate) const ORDER: &str = "order";
/// The order key of a document that has none (an index this version did not write):
/// it sorts last.
pub(crate) const NO_ORDER: u64 = u64::MAX;

/// A segment's stable-order column: each record's [`order_key`], [`NO_ORDER`] for a record
/// without one (or a segment without the column).
#[derive(Clone)]
pub(crate) struct OrderColumn(Option<Dense>);

impl Columns {
    /// The order column of `segment` ([`NO_ORDER`] for every record when it has none).
    pub(crate) fn order(&self, segment: &tantivy::SegmentReader) -> OrderColumn {
        OrderColumn(self.dense(segment, ORDER, NO_ORDER).ok())
    }
}

impl OrderColumn {
    /// The order key of record `doc`.
    pub(crate) fn get(&self, doc: tantivy::DocId) -> u64 {
        self.0.as_ref().map_or(NO_ORDER, |c| c.get_val(doc))
    }
}

/// The stable order of a record: newer session first, then resolution number, part and
/// the record's place in its part. Bits, high to low: 1000 − session (20), resolution
/// number (20), part (4), place (20).
pub(crate) fn order_key(rec: &Record, seq: usize) -> u64 {
    (resolution_key(&rec.symbol, rec.session, rec.part.as_deref()) << PLACE_BITS)
        | (seq as u64).min(0xFFFFF)
}

/// The order key's high bits, which name one resolution (part): [`resolution_of`] of its
/// records' order keys. The part counts from its letter (none 0, `A` 1, `B` 2 … up to 15),
/// not from its place in a file, so that the parts of one resolution read from separate
/// files stay apart.
pub(crate) fn resolution_key(symbol: &str, session: u32, part: Option<&str>) -> u64 {
    let session = 1000u64.saturating_sub(u64::from(session)).min(1023);
    let number = symbol_number(symbol).unwrap_or(NO_NUMBER);
    let part = match part.and_then(|p| p.bytes().next()) {
        None => 0,
        Some(b @ b'A'..=b'Z') => u64::from(b - b'A' + 1).min(0xF),
        Some(_) => 0xF,
    };
    (session << 24) | (number << 4) | part
}

/// The key's resolution number of a symbol without a number it can hold.
const NO_NUMBER: u64 = 0xFFFFF;

/// The number a symbol ends with (`A/RES/78/46` → 46), when the order key can hold it.
fn symbol_number(symbol: &str) -> Option<u64> {
    symbol
        .rsplit('/')
        .next()
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|&n| n < NO_NUMBER)
}

/// Whether no other resolution of an index can have the [`resolution_key`] of the one of
/// symbol `symbol`, session `session` and part `part`: its symbol is written
/// `A/RES/{session}/{number}` with a number the key holds, and its part is none or one of
/// the letters `A`–`N` the key tells apart. An index keeps one resolution of a symbol and
/// part ([`crate::parse::duplicates`]), and the key of such a one names no other symbol.
pub(crate) fn key_is_unique(symbol: &str, session: u32, part: Option<&str>) -> bool {
    let number = symbol_number(symbol);
    let part_told = match part.map(str::as_bytes) {
        None => true,
        Some([b'A'..=b'N']) => true,
        Some(_) => false,
    };
    session < 1000 && part_told && number.is_some_and(|n| symbol == format!("A/RES/{session}/{n}"))
}

/// The first place of `lo..hi` where `before` is false, `before` being true up to some place
/// and false from there (a binary search over what is sorted in the stable order: a
/// segment's order column, the links table's keys, a segment's sessions).
pub(crate) fn bisect(lo: usize, hi: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The order key of the first record of the resolution whose record has order key `order`.
pub(crate) fn first_of(order: u64) -> u64 {
    order & !((1u64 << PLACE_BITS) - 1)
}

/// The resolution (session, number and part) an order key belongs to.
pub(crate) fn resolution_of(order: u64) -> u64 {
    order >> PLACE_BITS
}

/// A date `YYYY-MM-DD` as the number YYYYMMDD the date field holds (0 when unknown).
pub(crate) fn date_key(date: Option<&str>) -> u64 {
    date.map(|d| d.replace('-', ""))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}
