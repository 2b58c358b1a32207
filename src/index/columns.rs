//! The columns of numbers an opened index has read (order, text hash, date), kept by
//! segment so that each is opened once: opening the order or date column reads the header
//! of each of its blocks, and several stages of one answer read the same columns.

/// A segment's column of numbers, one value a record (its first, or a default where it has
/// none).
pub(crate) type Dense = std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>;

/// The columns an index has opened (order, text hash, date), by segment, kept while it is
/// open. Opening the order or date column reads the header of each of its blocks: at
/// 50,000 files that was a tenth of a first page's instructions and a third of a collapsed
/// page's, each stage of an answer (ranking, checking candidates, grouping, reading
/// records) opening the same columns again. A segment's columns never change.
#[derive(Default)]
pub(crate) struct Columns(std::sync::Mutex<Vec<(ColumnKey, Dense)>>);

/// A column kept: its segment, its name and the value given to records without one.
type ColumnKey = (tantivy::index::SegmentId, &'static str, u64);

/// How many columns are kept: more are only met by a server whose index was updated many
/// times, and it starts again from none.
const KEPT_COLUMNS: usize = 512;

impl Columns {
    /// The column `name` of `segment`, opened once, each record's first value or `default`.
    pub(crate) fn dense(
        &self,
        segment: &tantivy::SegmentReader,
        name: &'static str,
        default: u64,
    ) -> tantivy::Result<Dense> {
        let key = (segment.segment_id(), name, default);
        let mut kept = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, column)) = kept.iter().find(|(k, _)| *k == key) {
            return Ok(column.clone());
        }
        let column = segment
            .fast_fields()
            .u64(name)?
            .first_or_default_col(default);
        if kept.len() >= KEPT_COLUMNS {
            kept.clear();
        }
        kept.push((key, column.clone()));
        Ok(column)
    }
}
