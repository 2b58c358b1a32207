//! Series links, computed when the index is committed and kept beside it.
//!
//! The manifest keeps, for each resolution (part) of each file, the few things a series
//! needs ([`SeriesKey`]: symbol, part, session, folded title, the resolutions its first
//! preamble paragraph recalls, and its order key). At every commit the links of the whole
//! index are computed again from the manifest ([`link`]: a few thousand entries, well under
//! a millisecond a thousand) and written to `unres-series-N.bin`, named after the commit's
//! manifest `unres-manifest-N.json.zst`, before the commit points at that manifest. An update
//! that adds a new session's resolution therefore links it into its series, and one that
//! removes a file unlinks it, whatever order the files came in. An open index maps the table of
//! its commit once ([`Table::read`]) and answers previous, next and series from it
//! without a query.
//!
//! A resolution's previous member is the earlier resolution its first preamble paragraph
//! recalls (`回顾其 2022 年 12 月 7 日第 77/71 号决议` → `A/RES/77/71`) when the index holds
//! it, else the latest resolution of the [`TITLE_GAP`] sessions before with the same folded
//! title (ties: the same part letter, then the lower symbol). Its next member is the
//! earliest resolution whose previous member it is (same ties). A series is a chain of
//! such links; its root is its oldest member.

use crate::error::{Error, Result};
use crate::index::folder::keys::{Facts, SeriesKey};
use crate::index::folder::{links_file_name as file_name, write_atomically, Manifest};
use crate::text::normalize::fold;
use std::collections::HashMap;
use std::path::Path;
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

/// How many sessions back a title is looked for when no recall links two members.
pub(crate) const TITLE_GAP: u32 = 5;
const HEADER: &str = "unres-series 5";
/// Bytes of one entry of the links file.
const RECORD: usize = 42;
/// No entry (no previous or next member).
const NONE: u32 = u32::MAX;

/// One resolution's place in its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// Its order key (see [`SeriesKey::key`]).
    pub key: u64,
    /// Its symbol.
    pub symbol: String,
    /// Its part letter.
    pub part: Option<String>,
    /// Its session.
    pub session: u32,
    /// The previous member (an index into the table).
    pub previous: Option<usize>,
    /// The next member.
    pub next: Option<usize>,
    /// The oldest member of its series (itself when it has no previous member).
    pub root: usize,
    /// What a listing shows of it.
    pub facts: Facts,
}

/// The links of every resolution of `keys` (same order). Deterministic: ties fall back to
/// the symbol, then to the order of `keys`.
pub(crate) fn link(keys: &[&SeriesKey]) -> Vec<Link> {
    let mut by_symbol: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_title: HashMap<(u32, &str), Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        by_symbol.entry(fold(&k.symbol)).or_default().push(i);
        if !k.title.is_empty() {
            by_title.entry((k.session, &k.title)).or_default().push(i);
        }
    }
    let best = |candidates: &mut dyn Iterator<Item = usize>, like: &SeriesKey| {
        candidates.min_by(|&a, &b| {
            let rank = |i: usize| (keys[i].part != like.part, &keys[i].symbol, i);
            rank(a).cmp(&rank(b))
        })
    };
    let previous: Vec<Option<usize>> = keys
        .iter()
        .map(|k| {
            for cited in &k.recalls {
                let Some(parts) = by_symbol.get(&fold(cited)) else {
                    continue;
                };
                let pick = parts
                    .iter()
                    .copied()
                    .find(|&p| keys[p].part == k.part)
                    .unwrap_or(parts[0]);
                if keys[pick].session < k.session {
                    return Some(pick);
                }
            }
            if k.title.is_empty() {
                return None;
            }
            (k.session.saturating_sub(TITLE_GAP)..k.session)
                .rev()
                .find_map(|s| {
                    let same = by_title.get(&(s, k.title.as_str()))?;
                    best(&mut same.iter().copied(), k)
                })
        })
        .collect();
    let children = children_of(&previous);
    // A previous member is always of an earlier session: roots follow in session order.
    let mut by_session: Vec<usize> = (0..keys.len()).collect();
    by_session.sort_by_key(|&i| keys[i].session);
    let mut root: Vec<usize> = (0..keys.len()).collect();
    for &i in &by_session {
        if let Some(p) = previous[i] {
            root[i] = root[p];
        }
    }
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let session_first = children[i].iter().map(|&c| keys[c].session).min();
            let next = best(
                &mut children[i]
                    .iter()
                    .copied()
                    .filter(|&c| Some(keys[c].session) == session_first),
                k,
            );
            Link {
                key: k.key,
                symbol: k.symbol.clone(),
                part: k.part.clone(),
                session: k.session,
                previous: previous[i],
                next,
                root: root[i],
                facts: k.facts.clone(),
            }
        })
        .collect()
}

/// The members whose previous member is each one.
fn children_of(previous: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); previous.len()];
    for (i, p) in previous.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    children
}

/// Computes the links of every resolution of `manifest` and writes them beside the manifest
/// `manifest_name` (atomically: a reader sees the old file or the new one).
pub(crate) fn write(dir: &Path, manifest_name: &str, manifest: &Manifest) -> Result<()> {
    let keys: Vec<&SeriesKey> = manifest.files.values().flat_map(|f| &f.series).collect();
    let links = link(&keys);
    write_atomically(&dir.join(file_name(manifest_name)), &encode(&links))
}

/// The links file: a header line, the number of entries, one fixed-size record an entry
/// in order of their order keys (little-endian key u64, session u32, previous, next and
/// root u32 with [`NONE`] for none, year u32, the offset of the entry's texts u32, the byte
/// lengths of symbol, part, title, date and file u16), then the symbols, parts, titles,
/// dates and files one after the other. A reader keeps the file's bytes as they are and
/// reads an entry when asked for it: opening the table costs one read of the file, whatever
/// the number of resolutions; sorted keys are found by a binary search.
fn encode(links: &[Link]) -> Vec<u8> {
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by_key(|&i| (links[i].key, i));
    let mut place = vec![0u32; links.len()];
    for (at, &i) in order.iter().enumerate() {
        place[i] = at as u32;
    }
    let slot = |i: Option<usize>| i.map_or(NONE, |i| place[i]);
    let mut out = Vec::with_capacity(RECORD * links.len() + 16 * links.len() + 32);
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&(links.len() as u32).to_le_bytes());
    let mut name_at = 0u32;
    for &i in &order {
        let l = &links[i];
        out.extend_from_slice(&l.key.to_le_bytes());
        out.extend_from_slice(&l.session.to_le_bytes());
        out.extend_from_slice(&slot(l.previous).to_le_bytes());
        out.extend_from_slice(&slot(l.next).to_le_bytes());
        out.extend_from_slice(&place[l.root].to_le_bytes());
        out.extend_from_slice(&l.facts.year.to_le_bytes());
        out.extend_from_slice(&name_at.to_le_bytes());
        for name in names(l) {
            let len = clip(name).len();
            out.extend_from_slice(&(len as u16).to_le_bytes());
            name_at += len as u32;
        }
    }
    for &i in &order {
        for name in names(&links[i]) {
            out.extend_from_slice(clip(name).as_bytes());
        }
    }
    out
}

/// `name` cut to the longest start a u16 length holds, at a character boundary.
fn clip(name: &str) -> &str {
    let mut end = name.len().min(usize::from(u16::MAX));
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The texts of an entry, in the file's order: symbol, part, title, date, file.
fn names(l: &Link) -> [&str; 5] {
    [
        &l.symbol,
        l.part.as_deref().unwrap_or(""),
        &l.facts.title,
        l.facts.date.as_deref().unwrap_or(""),
        &l.facts.file,
    ]
}

/// The links of one commit, in order of their order keys: look-ups by symbol (a
/// scan) and by order key (a binary search). It holds the file's bytes and reads each
/// entry in place, from the file mapped in memory (tantivy's own mapping, as it maps its
/// segments: a search touches the pages of the entries it reads, not the whole file).
#[derive(Debug)]
pub(crate) struct Table {
    bytes: OwnedBytes,
    /// Where the records start, and the texts.
    records_at: usize,
    names_at: usize,
    len: usize,
}

impl Table {
    /// Reads the links written with the manifest `manifest` (its commit's) in `dir`.
    pub(crate) fn read(dir: &Path, manifest: &str) -> Result<Table> {
        let damaged = |detail: String| Error::Damaged {
            path: dir.into(),
            detail,
        };
        let name = file_name(manifest);
        let path = dir.join(&name);
        let cannot =
            |e: &dyn std::fmt::Display| damaged(format!("cannot read {} ({e})", path.display()));
        // A links file is written once, under a new name, and never changed in place: a
        // mapping of it stays valid while a later commit writes the next one.
        let bytes = MmapDirectory::open(dir)
            .map_err(|e| cannot(&e))?
            .open_read(Path::new(&name))
            .map_err(|e| cannot(&e))?
            .read_bytes()
            .map_err(|e| cannot(&e))?;
        Table::parse(bytes).ok_or_else(|| damaged(format!("{} is unreadable", path.display())))
    }

    /// The table of a links file's bytes, if their shape is right: the header, as many
    /// records as it says, and the texts of exactly the length the last record ends at.
    fn parse(bytes: OwnedBytes) -> Option<Table> {
        let start = HEADER.len() + 1;
        if !bytes.starts_with(HEADER.as_bytes()) || bytes.get(start - 1) != Some(&b'\n') {
            return None;
        }
        let len = u32::from_le_bytes(bytes.get(start..start + 4)?.try_into().ok()?) as usize;
        let records_at = start + 4;
        let names_at = records_at.checked_add(len.checked_mul(RECORD)?)?;
        let table = Table {
            records_at,
            names_at,
            len,
            bytes,
        };
        let names_len = match len {
            0 => 0,
            n => {
                let r = table.record(n - 1);
                u32_at(r, 28) as usize
                    + (0..5)
                        .map(|k| usize::from(u16_at(r, 32 + 2 * k)))
                        .sum::<usize>()
            }
        };
        (table.bytes.len().checked_sub(names_at)? == names_len).then_some(table)
    }

    fn record(&self, i: usize) -> &[u8] {
        let at = self.records_at + i * RECORD;
        &self.bytes[at..at + RECORD]
    }

    fn key(&self, i: usize) -> u64 {
        u64::from_le_bytes(self.record(i)[..8].try_into().expect("8 bytes"))
    }

    /// An entry number read from the file, if it names an entry.
    fn entry(&self, v: u32) -> Option<usize> {
        (v != NONE && (v as usize) < self.len).then_some(v as usize)
    }

    /// The `k`th text of entry `i` (symbol, part, title, date, file); empty when the file
    /// holds no such text.
    fn name(&self, i: usize, k: usize) -> &str {
        let r = self.record(i);
        let lens = (0..5).map(|j| usize::from(u16_at(r, 32 + 2 * j)));
        let at = self.names_at + u32_at(r, 28) as usize + lens.clone().take(k).sum::<usize>();
        let len = lens.clone().nth(k).unwrap_or(0);
        self.bytes
            .get(at..at + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The symbol of entry `i`.
    pub(crate) fn symbol(&self, i: usize) -> &str {
        self.name(i, 0)
    }

    /// The part letter of entry `i`.
    pub(crate) fn part(&self, i: usize) -> Option<&str> {
        Some(self.name(i, 1)).filter(|p| !p.is_empty())
    }

    /// The title of entry `i`, as printed.
    pub(crate) fn title(&self, i: usize) -> &str {
        self.name(i, 2)
    }

    /// The adoption date of entry `i` (YYYY-MM-DD), if known.
    pub(crate) fn date(&self, i: usize) -> Option<&str> {
        Some(self.name(i, 3)).filter(|d| !d.is_empty())
    }

    /// The file entry `i`'s records name.
    pub(crate) fn file(&self, i: usize) -> &str {
        self.name(i, 4)
    }

    /// The year of adoption of entry `i`.
    pub(crate) fn year(&self, i: usize) -> u32 {
        u32_at(self.record(i), 24)
    }

    /// The session of entry `i`.
    pub(crate) fn session(&self, i: usize) -> u32 {
        u32_at(self.record(i), 8)
    }

    /// The previous member of entry `i`'s series.
    pub(crate) fn previous(&self, i: usize) -> Option<usize> {
        self.entry(u32_at(self.record(i), 12))
    }

    /// The next member of entry `i`'s series.
    pub(crate) fn next(&self, i: usize) -> Option<usize> {
        self.entry(u32_at(self.record(i), 16))
    }

    /// The oldest member of entry `i`'s series.
    pub(crate) fn root(&self, i: usize) -> usize {
        self.entry(u32_at(self.record(i), 20)).unwrap_or(i)
    }

    /// The resolution `symbol` with part `part` (else its first part). A scan: one
    /// look-up costs less than making a map of thousands of symbols.
    pub(crate) fn find(&self, symbol: &str, part: Option<&str>) -> Option<usize> {
        let key = symbol_key(symbol);
        let mut first = None;
        for i in 0..self.len {
            let s = self.symbol(i);
            let same = s.eq_ignore_ascii_case(&key) || (!s.is_ascii() && symbol_key(s) == key);
            if same {
                if self.part(i) == part {
                    return Some(i);
                }
                first.get_or_insert(i);
            }
        }
        first
    }

    /// The resolution whose records carry the order key `key` (see
    /// [`crate::index::order::resolution_key`]).
    pub(crate) fn by_key(&self, key: u64) -> Option<usize> {
        let at = crate::index::order::bisect(0, self.len, |i| self.key(i) < key);
        (at < self.len && self.key(at) == key).then_some(at)
    }
}

fn u32_at(r: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(r[at..at + 4].try_into().expect("4 bytes"))
}

fn u16_at(r: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(r[at..at + 2].try_into().expect("2 bytes"))
}

/// How a symbol is looked up: folded (an ASCII symbol, as the parser writes them, only
/// lower-cased: folding costs far more).
fn symbol_key(symbol: &str) -> String {
    if symbol.bytes().all(|b| b.is_ascii_graphic()) {
        symbol.to_ascii_lowercase()
    } else {
        fold(symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(symbol: &str, session: u32, title: &str, recalls: &[&str]) -> SeriesKey {
        SeriesKey {
            symbol: symbol.into(),
            part: None,
            session,
            title: title.into(),
            recalls: recalls.iter().map(|s| s.to_string()).collect(),
            key: u64::from(session),
            facts: Facts {
                title: format!("{title}（标题）"),
                date: session
                    .is_multiple_of(2)
                    .then(|| format!("{}-12-04", 1945 + session)),
                year: 1945 + session,
                file: format!("corpus/{session}.txt"),
                counts: [session, 1, 2, 3],
            },
        }
    }

    #[test]
    fn recalls_first_then_titles_within_the_gap() {
        let keys = [
            key("A/RES/70/1", 70, "甲", &[]),
            key("A/RES/71/9", 71, "乙", &["A/RES/70/1"]),
            key("A/RES/73/4", 73, "乙", &[]),
            key("A/RES/80/2", 80, "乙", &[]),
        ];
        let refs: Vec<&SeriesKey> = keys.iter().collect();
        let links = link(&refs);
        let prev: Vec<Option<usize>> = links.iter().map(|l| l.previous).collect();
        // 71/9 recalls 70/1 despite another title; 73/4 follows 71/9 by title; 80/2 is
        // more than five sessions after 73/4.
        assert_eq!(prev, [None, Some(0), Some(1), None]);
        let next: Vec<Option<usize>> = links.iter().map(|l| l.next).collect();
        assert_eq!(next, [Some(1), Some(2), None, None]);
        let roots: Vec<usize> = links.iter().map(|l| l.root).collect();
        assert_eq!(roots, [0, 0, 0, 3]);
    }

    #[test]
    fn the_table_reads_back() {
        let mut parted = key("A/RES/72/3", 72, "甲", &[]);
        parted.part = Some("B".into());
        let keys = [
            key("A/RES/70/1", 70, "甲", &[]),
            key("A/RES/71/9", 71, "甲", &[]),
            parted,
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = Manifest::default();
        let state = |k: &SeriesKey| crate::index::folder::FileState {
            size: 0,
            mtime: 0,
            hash: 0,
            resolutions: 1,
            paragraphs: 0,
            footnotes: 0,
            error: None,
            series: vec![k.clone()],
            shown: String::new(),
            parts: Vec::new(),
        };
        manifest.files.insert("a".into(), state(&keys[0]));
        manifest.files.insert("b".into(), state(&keys[1]));
        manifest.files.insert("c".into(), state(&keys[2]));
        write(dir.path(), "unres-manifest-7.json.zst", &manifest).unwrap();
        let bytes = std::fs::read(dir.path().join("unres-series-7.bin")).unwrap();
        let table = Table::parse(OwnedBytes::new(bytes.clone())).unwrap();
        let links = link(&keys.iter().collect::<Vec<_>>());
        assert_eq!(table.len, links.len());
        for (i, l) in links.iter().enumerate() {
            // The keys are in order already: the table keeps their places.
            assert_eq!(
                (table.symbol(i), table.part(i), table.session(i)),
                (l.symbol.as_str(), l.part.as_deref(), l.session)
            );
            assert_eq!(
                (table.previous(i), table.next(i), table.root(i)),
                (l.previous, l.next, l.root)
            );
        }
        for (i, k) in keys.iter().enumerate() {
            let f = &k.facts;
            assert_eq!(
                (table.title(i), table.date(i), table.year(i), table.file(i)),
                (f.title.as_str(), f.date.as_deref(), f.year, f.file.as_str())
            );
        }
        assert_eq!(table.find("a/res/71/9", None), Some(1));
        assert_eq!(table.part(2), Some("B"));
        assert_eq!(table.previous(2), Some(1));
        assert_eq!(table.by_key(71), Some(1));
        assert_eq!(table.by_key(69), None);
        assert!(
            Table::parse(OwnedBytes::new(bytes[..bytes.len() - 1].to_vec())).is_none(),
            "cut short"
        );
        assert_eq!(table.by_key(70), Some(0));
    }
}
