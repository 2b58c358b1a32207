//! What the index keeps: one file's records for each resolution (symbol and part) when
//! several files give it ([`crate::parse::duplicates`] says which), whatever the order the
//! files came in.
//!
//! The rule is applied to the whole manifest at every commit ([`Kept::of`]). The manifest
//! keeps every file, those left out included, so that a duplicate decided otherwise (the
//! kept file removed or changed) is settled without reading the corpus again: an update
//! compares the decision of its manifest with the one before and lists what it must still
//! do ([`Kept::settle`]): delete the records of a resolution newly left out, read again the
//! few unchanged files that hold a resolution newly kept.

use crate::index::folder::Manifest;
use crate::parse::duplicates::{decide, Duplicate, Member};
use std::collections::{BTreeMap, HashSet};

/// The rule applied to a manifest.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    /// For each file of the manifest, whether each of its resolutions is left out.
    left_out: BTreeMap<String, Vec<bool>>,
    /// The resolutions given by more than one file.
    pub(crate) duplicates: Vec<Duplicate>,
}

/// What the index holds: resolutions, paragraphs, footnotes, and the records' total length
/// in the word layer.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) resolutions: usize,
    pub(crate) paragraphs: usize,
    pub(crate) footnotes: usize,
    pub(crate) words: u64,
}

/// What an update must still do, once the changed files are ingested, for the index to hold
/// the kept resolutions and only them.
#[derive(Debug, Default)]
pub(crate) struct Settle {
    /// Resolutions to delete: a file, and the place of the resolution in it.
    pub(crate) delete: Vec<(String, usize)>,
    /// Files to read again, with which of their resolutions to index.
    pub(crate) reread: Vec<(String, Vec<bool>)>,
}

impl Kept {
    /// Applies the rule to every resolution of `manifest`.
    pub(crate) fn of(manifest: &Manifest) -> Kept {
        let mut members = Vec::new();
        let mut owners = Vec::new();
        for (key, state) in &manifest.files {
            for (i, (s, p)) in state.series.iter().zip(&state.parts).enumerate() {
                members.push(Member {
                    file: &state.shown,
                    symbol: &s.symbol,
                    part: s.part.as_deref(),
                    text: p.text,
                });
                owners.push((key, i));
            }
        }
        let decision = decide(&members);
        let mut left_out: BTreeMap<String, Vec<bool>> = manifest
            .files
            .iter()
            .map(|(k, s)| (k.clone(), vec![false; s.series.len().min(s.parts.len())]))
            .collect();
        for ((key, i), out) in owners.into_iter().zip(decision.left_out) {
            left_out.get_mut(key).expect("a file of the manifest")[i] = out;
        }
        Kept {
            left_out,
            duplicates: decision.duplicates,
        }
    }

    /// Whether resolution `i` of file `key` is indexed (false for a file not in the
    /// manifest).
    pub(crate) fn is_kept(&self, key: &str, i: usize) -> bool {
        self.left_out
            .get(key)
            .and_then(|v| v.get(i))
            .is_some_and(|&out| !out)
    }

    /// `manifest` with the series keys of the kept resolutions only: what the series
    /// links are computed from.
    pub(crate) fn linked(&self, manifest: &Manifest) -> Manifest {
        let mut out = manifest.clone();
        for (key, state) in &mut out.files {
            let mut i = 0;
            state.series.retain(|_| {
                i += 1;
                self.is_kept(key, i - 1)
            });
        }
        out
    }

    /// What the index holds of `manifest`.
    pub(crate) fn counts(&self, manifest: &Manifest) -> Counts {
        let mut counts = Counts::default();
        for (key, state) in &manifest.files {
            for (i, p) in state.parts.iter().enumerate() {
                if self.is_kept(key, i) {
                    counts.resolutions += 1;
                    counts.paragraphs += p.paragraphs;
                    counts.footnotes += p.footnotes;
                    counts.words += p.words;
                }
            }
        }
        counts
    }

    /// What is left to do for the index to hold what `self` keeps of `manifest`, when the
    /// records of the files `written` are all in the index (they were just ingested) and
    /// those of every other file are what `before` kept.
    pub(crate) fn settle(
        &self,
        manifest: &Manifest,
        before: &Kept,
        written: &HashSet<&str>,
    ) -> Settle {
        let mut settle = Settle::default();
        for (key, state) in &manifest.files {
            let n = state.parts.len();
            let present = |i: usize| written.contains(key.as_str()) || before.is_kept(key, i);
            let wanted: Vec<bool> = (0..n).map(|i| self.is_kept(key, i)).collect();
            if (0..n).any(|i| wanted[i] && !present(i)) {
                settle.reread.push((key.clone(), wanted));
            } else {
                settle.delete.extend(
                    (0..n)
                        .filter(|&i| present(i) && !wanted[i])
                        .map(|i| (key.clone(), i)),
                );
            }
        }
        settle
    }
}
