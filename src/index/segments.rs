//! The segments a build leaves behind. The writer's threads each write a segment whenever
//! their memory budget fills (a dozen at 50,000 files), and every search opens the files of
//! every segment; so once a build has committed, the segments it wrote are merged into one
//! a writer thread, the merges running side by side. The small segments of updates are
//! merged among themselves as tantivy's log merge policy says. tantivy starts no merge on
//! its own: what is merged, and when, is decided here (docs/ARCHITECTURE.md, "The stable
//! order in the segments").

use std::collections::HashSet;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergePolicy};
use tantivy::{IndexWriter, TantivyError};

/// Segments of more records than this are left to [`groups`] alone: the log merge policy
/// merges smaller ones among themselves.
const SMALL_BELOW_DOCS: usize = 100_000;

/// The policy for the small segments of updates: tantivy's log merge policy, below
/// [`SMALL_BELOW_DOCS`] records.
fn small() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(SMALL_BELOW_DOCS);
    policy
}

/// The groups of segments to merge once a build has committed `after`, the index having
/// held `before` when the build started: the segments the build wrote, when there are more
/// of them than `into`, dealt into `into` groups of about as many records (the most records
/// first, each to the group holding the fewest). A group of one segment is left out: it has
/// nothing to merge with.
pub(crate) fn groups(
    before: &HashSet<SegmentId>,
    after: &[SegmentMeta],
    into: usize,
) -> Vec<Vec<SegmentId>> {
    let mut candidates: Vec<&SegmentMeta> =
        after.iter().filter(|s| !before.contains(&s.id())).collect();
    let into = into.max(1);
    if candidates.len() <= into {
        return Vec::new();
    }
    // The order decides the groups alone: by records, then by id.
    candidates.sort_by_key(|s| (std::cmp::Reverse(s.num_docs()), s.id()));
    let mut groups: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); into];
    for s in candidates {
        let fewest = groups
            .iter_mut()
            .min_by_key(|(docs, _)| *docs)
            .expect("at least one group");
        fewest.0 += u64::from(s.num_docs());
        fewest.1.push(s.id());
    }
    groups
        .into_iter()
        .map(|(_, ids)| ids)
        .filter(|ids| ids.len() > 1)
        .collect()
}

/// Merges the groups of [`groups`], and the small segments the log merge policy picks among
/// the others, and waits for every merge (the writer runs one a merge thread at a time).
/// Each merge is committed on its own as it ends: a process killed meanwhile leaves the
/// index as the build committed it, with more segments.
pub(crate) fn merge(
    writer: &mut IndexWriter,
    before: &HashSet<SegmentId>,
    into: usize,
) -> Result<(), TantivyError> {
    // The metas are dropped before the merges end: tantivy keeps the files of every
    // segment whose meta is still held anywhere in the process.
    let mut groups = {
        let metas = writer.index().searchable_segment_metas()?;
        let mut groups = groups(before, &metas, into);
        let merged: HashSet<SegmentId> = groups.iter().flatten().copied().collect();
        let others: Vec<SegmentMeta> = metas
            .into_iter()
            .filter(|m| !merged.contains(&m.id()))
            .collect();
        groups.extend(
            small()
                .compute_merge_candidates(&others)
                .into_iter()
                .map(|c| c.0),
        );
        groups
    };
    groups.retain(|g| g.len() > 1);
    let merges: Vec<_> = groups.iter().map(|ids| writer.merge(ids)).collect();
    // Every merge is waited for, the first error kept.
    let mut result = Ok(());
    for m in merges {
        if let Err(e) = m.wait() {
            result = result.and(Err(e));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metas(docs: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        docs.iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn sizes(groups: &[Vec<SegmentId>], metas: &[SegmentMeta]) -> Vec<Vec<u32>> {
        let docs = |id: &SegmentId| metas.iter().find(|m| m.id() == *id).unwrap().num_docs();
        let mut out: Vec<Vec<u32>> = groups
            .iter()
            .map(|g| {
                let mut d: Vec<u32> = g.iter().map(docs).collect();
                d.sort_unstable();
                d
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_build_s_segments_are_dealt_into_groups_of_about_as_many_records() {
        let after = metas(&[265_000, 264_000, 263_000, 262_000, 206_000, 183_000]);
        let g = groups(&HashSet::new(), &after, 2);
        assert_eq!(
            sizes(&g, &after),
            vec![
                vec![183_000, 263_000, 264_000],
                vec![206_000, 262_000, 265_000]
            ]
        );
        // No more segments than groups: nothing to merge.
        assert!(groups(&HashSet::new(), &after[..2], 2).is_empty());
        assert!(groups(&HashSet::new(), &after[..1], 1).is_empty());
        // One group: everything into one segment.
        assert_eq!(groups(&HashSet::new(), &after, 1)[0].len(), 6);
    }

    #[test]
    fn only_the_segments_a_build_wrote_are_dealt() {
        let after = metas(&[1_500_000, 2_000, 5_000, 3_000, 1_000]);
        let before: HashSet<SegmentId> = after[..2].iter().map(|m| m.id()).collect();
        // Three new segments for two groups; the old ones, large or small, stay.
        let g = groups(&before, &after, 2);
        assert_eq!(sizes(&g, &after), vec![vec![1_000, 3_000]]);
        // Two for two: nothing.
        assert!(groups(&before, &after[..4], 2).is_empty());
        // The groups do not depend on the order the segments are listed in.
        let mut shuffled = after.clone();
        shuffled.reverse();
        assert_eq!(groups(&before, &shuffled, 2), g);
    }
}
