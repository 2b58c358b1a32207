//! Wording history's core, with no index: two versions of a resolution are compared
//! paragraph by paragraph. Paragraphs are paired by content, kind by kind (identical texts
//! first, then the most similar pairs by character bigrams), so that paragraphs can be
//! added, dropped, renumbered and swapped; a pair whose place among the other pairs changed
//! is `moved`. Changed pairs get a character-level diff from `dissimilar` (diff-match-patch
//! with semantic clean-up), merged into readable spans. Footnotes are compared by the
//! sources they cite: two footnotes citing the same documents are paired before any others.

use crate::history::chars::{char_diff, Change, Op};
use crate::model::{Kind, Resolution};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

/// Two paragraphs whose bigram similarity (Dice) is below this are never paired.
const MIN_SIMILARITY: f64 = 0.45;

/// What became of a paragraph from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The same text (spaces aside) in both versions.
    Unchanged,
    /// Paired with a paragraph of the other version whose wording differs.
    Changed,
    /// Only in the newer version.
    New,
    /// Only in the older version.
    Dropped,
}

impl Status {
    /// The lowercase name used in JSON and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Changed => "changed",
            Status::New => "new",
            Status::Dropped => "dropped",
        }
    }
}

/// One version of a paragraph or footnote: where it stands and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The resolution's symbol with its part letter, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// The session.
    pub session: u32,
    /// Preamble, operative, footnote or annex.
    pub kind: Kind,
    /// The paragraph's or footnote's number.
    pub para: u32,
    /// The text.
    pub text: String,
    /// The document symbols it cites.
    pub cites: Vec<String>,
}

/// A paragraph (or footnote) of either version, with its counterpart in the other one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParagraphDiff {
    /// Unchanged, changed, new or dropped.
    pub status: Status,
    /// Paired, but its place among the other paired paragraphs changed.
    pub moved: bool,
    /// The older version's paragraph, if any.
    pub old: Option<Version>,
    /// The newer version's paragraph, if any.
    pub new: Option<Version>,
    /// The character-level diff from `old` to `new`: one `=` span when unchanged, one `+`
    /// span when new, one `-` span when dropped.
    pub changes: Vec<Change>,
}

impl ParagraphDiff {
    /// The kind of the paragraph (the newer version's when there is one).
    pub fn kind(&self) -> Kind {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .map(|v| v.kind)
            .expect("a paragraph diff has at least one side")
    }
}

/// The comparison of two versions of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolutionDiff {
    /// The older version's symbol (with its part letter).
    pub old: String,
    /// The newer version's symbol (with its part letter).
    pub new: String,
    /// Every paragraph and footnote of either version: kind by kind in document order
    /// (preamble, operative, annex, footnotes), each kind in the newer version's order with
    /// dropped paragraphs where they stood.
    pub paragraphs: Vec<ParagraphDiff>,
}

/// How many paragraphs of one kind are unchanged, changed, new, dropped and moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindSummary {
    /// The kind counted.
    pub kind: Kind,
    /// Unchanged paragraphs.
    pub unchanged: usize,
    /// Changed paragraphs.
    pub changed: usize,
    /// New paragraphs.
    pub new: usize,
    /// Dropped paragraphs.
    pub dropped: usize,
    /// Paired paragraphs whose place changed.
    pub moved: usize,
}

impl fmt::Display for KindSummary {
    /// `operative: 29 unchanged, 4 changed, 1 new, 1 dropped` (`, 2 moved` when some moved).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} unchanged, {} changed, {} new, {} dropped",
            self.kind, self.unchanged, self.changed, self.new, self.dropped
        )?;
        if self.moved > 0 {
            write!(f, ", {} moved", self.moved)?;
        }
        Ok(())
    }
}

impl ResolutionDiff {
    /// The counts of each kind present in either version, in document order.
    pub fn summary(&self) -> Vec<KindSummary> {
        let mut out: Vec<KindSummary> = Vec::new();
        for p in &self.paragraphs {
            let kind = p.kind();
            if out.last().is_none_or(|s| s.kind != kind) {
                out.push(KindSummary {
                    kind,
                    unchanged: 0,
                    changed: 0,
                    new: 0,
                    dropped: 0,
                    moved: 0,
                });
            }
            let s = out.last_mut().expect("just pushed");
            match p.status {
                Status::Unchanged => s.unchanged += 1,
                Status::Changed => s.changed += 1,
                Status::New => s.new += 1,
                Status::Dropped => s.dropped += 1,
            }
            s.moved += usize::from(p.moved);
        }
        out
    }

    /// The entry of the newer version's paragraph `kind` `para`, if it has one.
    pub fn find_new(&self, kind: Kind, para: u32) -> Option<&ParagraphDiff> {
        self.paragraphs.iter().find(|p| {
            p.new
                .as_ref()
                .is_some_and(|v| v.kind == kind && v.para == para)
        })
    }
}

/// Compares two versions of a resolution (the older first), paragraph by paragraph and
/// footnote by footnote.
///
/// ```
/// let seed = unres::parse_file("corpus/A-RES-78-46.zh.txt".as_ref()).unwrap().remove(0);
/// let mut next = seed.clone();
/// next.paragraphs.swap(1, 2);
/// let diff = unres::diff_resolutions(&seed, &next);
/// let preamble = &diff.summary()[0];
/// assert_eq!(preamble.to_string(), "preamble: 24 unchanged, 0 changed, 0 new, 0 dropped, 1 moved");
/// ```
pub fn diff_resolutions(old: &Resolution, new: &Resolution) -> ResolutionDiff {
    let mut paragraphs = Vec::new();
    for kind in [Kind::Preamble, Kind::Operative, Kind::Annex, Kind::Footnote] {
        let a = versions(old, kind);
        let b = versions(new, kind);
        paragraphs.extend(diff_kind(a, b));
    }
    ResolutionDiff {
        old: old.full_symbol(),
        new: new.full_symbol(),
        paragraphs,
    }
}

/// The entry of [`diff_resolutions`] of paragraph `kind` `para` of `new` when it is paired
/// with a paragraph of `old` (what one step of a history needs), without the character
/// diffs of the other paragraphs.
pub(crate) fn paired_one(
    old: &Resolution,
    new: &Resolution,
    kind: Kind,
    para: u32,
) -> Option<ParagraphDiff> {
    let (old, new) = (versions(old, kind), versions(new, kind));
    let j = new.iter().position(|v| v.para == para)?;
    let squeezed_old: Vec<String> = old.iter().map(|v| squeeze(&v.text)).collect();
    let squeezed_new: Vec<String> = new.iter().map(|v| squeeze(&v.text)).collect();
    let pairing = pair(&old, &new, &squeezed_old, &squeezed_new);
    let i = pairing[j]?;
    let moved = moved_pairs(&pairing).contains(&j);
    Some(paired(
        &old[i],
        &new[j],
        squeezed_old[i] == squeezed_new[j],
        moved,
    ))
}

/// The paragraphs (or footnotes) of one kind of a resolution, in order.
fn versions(r: &Resolution, kind: Kind) -> Vec<Version> {
    let symbol = r.full_symbol();
    let version = |para, text: &str, cites: &[String]| Version {
        symbol: symbol.clone(),
        session: r.session,
        kind,
        para,
        text: text.to_string(),
        cites: cites.to_vec(),
    };
    if kind == Kind::Footnote {
        return r
            .footnotes
            .iter()
            .map(|f| version(f.number, &f.text, &f.cites))
            .collect();
    }
    r.paragraphs
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| version(p.number, &p.text, &p.cites))
        .collect()
}

/// The text without its spaces: what "the same wording" compares.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split(char::is_whitespace) {
        out.push_str(piece);
    }
    out
}

/// Diffs the paragraphs of one kind: pairs them, then lays them out in the newer order.
fn diff_kind(old: Vec<Version>, new: Vec<Version>) -> Vec<ParagraphDiff> {
    // Each text squeezed once: pairing and the unchanged test both compare them.
    let squeezed_old: Vec<String> = old.iter().map(|v| squeeze(&v.text)).collect();
    let squeezed_new: Vec<String> = new.iter().map(|v| squeeze(&v.text)).collect();
    let pairing = pair(&old, &new, &squeezed_old, &squeezed_new);
    let moved = moved_pairs(&pairing);
    let mut keyed: Vec<((i64, u8, usize), ParagraphDiff)> = Vec::new();
    let mut old_used = vec![false; old.len()];
    for (j, b) in new.iter().enumerate() {
        let entry = match pairing[j] {
            Some(i) => {
                old_used[i] = true;
                let unchanged = squeezed_old[i] == squeezed_new[j];
                paired(&old[i], b, unchanged, moved.contains(&j))
            }
            None => alone(Status::New, b.clone()),
        };
        keyed.push(((j as i64, 0, 0), entry));
    }
    // A dropped paragraph stands after the newer place of the closest older paragraph
    // before it that was kept.
    let mut new_of_old: Vec<Option<usize>> = vec![None; old.len()];
    for (j, i) in pairing.iter().enumerate() {
        if let Some(i) = *i {
            new_of_old[i] = Some(j);
        }
    }
    for (i, a) in old.iter().enumerate() {
        if old_used[i] {
            continue;
        }
        let anchor = new_of_old[..i]
            .iter()
            .rev()
            .find_map(|j| *j)
            .map_or(-1, |j| j as i64);
        keyed.push(((anchor, 1, i), alone(Status::Dropped, a.clone())));
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, d)| d).collect()
}

fn alone(status: Status, v: Version) -> ParagraphDiff {
    let (op, old, new) = match status {
        Status::Dropped => (Op::Delete, Some(v.clone()), None),
        _ => (Op::Insert, None, Some(v.clone())),
    };
    ParagraphDiff {
        status,
        moved: false,
        old,
        new,
        changes: vec![Change(op, v.text)],
    }
}

fn paired(a: &Version, b: &Version, unchanged: bool, moved: bool) -> ParagraphDiff {
    ParagraphDiff {
        status: if unchanged {
            Status::Unchanged
        } else {
            Status::Changed
        },
        moved,
        old: Some(a.clone()),
        new: Some(b.clone()),
        changes: if unchanged {
            vec![Change(Op::Equal, b.text.clone())]
        } else {
            char_diff(&a.text, &b.text)
        },
    }
}

/// Pairs older and newer paragraphs of one kind: for each newer paragraph, the index of
/// its older one. Identical texts pair first (in order), then the most similar remaining
/// pairs above [`MIN_SIMILARITY`], best first; two footnotes citing the same sources come
/// before any pair that does not. Ties go to the pair whose relative places are closest,
/// then to the earlier paragraphs.
fn pair(
    old: &[Version],
    new: &[Version],
    squeezed_old: &[String],
    squeezed_new: &[String],
) -> Vec<Option<usize>> {
    let mut of_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, a) in squeezed_old.iter().enumerate().rev() {
        by_text.entry(a.as_str()).or_default().push(i);
    }
    for (j, b) in squeezed_new.iter().enumerate() {
        if let Some(i) = by_text.get_mut(b.as_str()).and_then(Vec::pop) {
            of_new[j] = Some(i);
            taken[i] = true;
        }
    }
    pair_by_similarity(old, new, &mut of_new, &mut taken);
    of_new
}

/// The greedy best-first assignment of the paragraphs left unpaired.
fn pair_by_similarity(
    old: &[Version],
    new: &[Version],
    of_new: &mut [Option<usize>],
    taken: &mut [bool],
) {
    // Bigrams of the paragraphs left unpaired only.
    let grams_old: Vec<Vec<u64>> = old
        .iter()
        .zip(taken.iter())
        .map(|(v, &t)| if t { Vec::new() } else { bigrams(&v.text) })
        .collect();
    let grams_new: Vec<Vec<u64>> = new
        .iter()
        .zip(of_new.iter())
        .map(|(v, o)| {
            if o.is_some() {
                Vec::new()
            } else {
                bigrams(&v.text)
            }
        })
        .collect();
    let place = |k: usize, n: usize| k as f64 / n.max(1) as f64;
    let mut candidates: Vec<(f64, f64, usize, usize)> = Vec::new();
    for (j, gb) in grams_new.iter().enumerate() {
        if of_new[j].is_some() {
            continue;
        }
        for (i, ga) in grams_old.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let sim = dice(ga, gb);
            let b = &new[j];
            let same_sources =
                b.kind == Kind::Footnote && !b.cites.is_empty() && b.cites == old[i].cites;
            if sim >= MIN_SIMILARITY || same_sources {
                let sim = sim + f64::from(u8::from(same_sources));
                let distance = (place(i, old.len()) - place(j, new.len())).abs();
                candidates.push((sim, distance, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(x.1.total_cmp(&y.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
    for (_, _, i, j) in candidates {
        if !taken[i] && of_new[j].is_none() {
            taken[i] = true;
            of_new[j] = Some(i);
        }
    }
}

/// The character bigrams of a text without its spaces, sorted (a multiset).
fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut grams: Vec<u64> = chars
        .windows(2)
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect();
    if chars.len() == 1 {
        grams.push(u64::from(chars[0]));
    }
    grams.sort_unstable();
    grams
}

/// Dice's coefficient of two sorted bigram multisets.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The newer indices of the pairs that are not in the longest run of pairs kept in the
/// same order (a longest increasing subsequence of the older indices in newer order).
fn moved_pairs(of_new: &[Option<usize>]) -> Vec<usize> {
    let pairs: Vec<(usize, usize)> = of_new
        .iter()
        .enumerate()
        .filter_map(|(j, i)| i.map(|i| (j, i)))
        .collect();
    // Patience sorting: tails[k] is the pair index ending the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, i)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < i);
        before[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut kept = vec![false; pairs.len()];
    let mut at = tails.last().copied();
    while let Some(p) = at {
        kept[p] = true;
        at = before[p];
    }
    pairs
        .iter()
        .zip(kept)
        .filter(|(_, k)| !k)
        .map(|((j, _), _)| *j)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_diff_merges_spans() {
        let d = char_diff(
            "回顾其 2022 年 12 月 7 日第 77/71 号决议",
            "回顾其 2023 年 12 月 4 日第 78/46 号决议",
        );
        let old: String = d
            .iter()
            .filter(|c| c.0 != Op::Insert)
            .map(|c| c.1.as_str())
            .collect();
        let new: String = d
            .iter()
            .filter(|c| c.0 != Op::Delete)
            .map(|c| c.1.as_str())
            .collect();
        assert_eq!(old, "回顾其 2022 年 12 月 7 日第 77/71 号决议");
        assert_eq!(new, "回顾其 2023 年 12 月 4 日第 78/46 号决议");
        let edits: Vec<&str> = d
            .iter()
            .filter(|c| c.0 != Op::Equal)
            .map(|c| c.1.as_str())
            .collect();
        assert_eq!(edits, ["2022", "2023", "7", "4", "77/71", "78/46"]);
    }

    #[test]
    fn moved_is_what_breaks_the_order() {
        assert_eq!(
            moved_pairs(&[Some(0), Some(2), Some(1), None, Some(3)]),
            vec![1]
        );
        assert_eq!(moved_pairs(&[Some(3), Some(0), Some(1), Some(2)]), vec![0]);
        assert!(moved_pairs(&[Some(0), None, Some(1)]).is_empty());
    }

    #[test]
    fn dice_of_equal_and_disjoint() {
        assert_eq!(dice(&bigrams("小武器"), &bigrams("小 武器")), 1.0);
        assert_eq!(dice(&bigrams("小武器"), &bigrams("核裁军")), 0.0);
    }
}
