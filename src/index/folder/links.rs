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
        std::str::from_utf8(self.name_bytes(i, k)).unwrap_or("")
    }

    /// The bytes of the `k`th text of entry `i`; empty when the file holds no such text.
    fn name_bytes(&self, i: usize, k: usize) -> &[u8] {
        let r = self.record(i);
        let lens = (0..5).map(|j| usize::from(u16_at(r, 32 + 2 * j)));
        let at = self.names_at + u32_at(r, 28) as usize + lens.clone().take(k).sum::<usize>();
        let len = lens.clone().nth(k).unwrap_or(0);
        self.bytes.get(at..at + len).unwrap_or(&[])
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

    /// The resolution `symbol` with part `part` (else its first part). A symbol written
    /// `A/RES/{session}/{number}` is looked for first among the entries of that session and
    /// number (a binary search: every hit of a page asks for its resolution's neighbours);
    /// any other symbol, a part the index lacks, or an entry filed under another session is
    /// found by a scan of every entry.
    pub(crate) fn find(&self, symbol: &str, part: Option<&str>) -> Option<usize> {
        let key = symbol_key(symbol);
        self.find_keyed(&key, part)
            .or_else(|| self.find_scanning(&key, part))
    }

    /// [`Table::find`] among the entries whose order key the folded symbol `key` gives.
    fn find_keyed(&self, key: &str, part: Option<&str>) -> Option<usize> {
        let (session, number) = key.strip_prefix("a/res/")?.split_once('/')?;
        let canonical =
            |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0');
        if !canonical(session) || !canonical(number) {
            return None;
        }
        let session: u32 = session.parse().ok()?;
        // The key's bits above the part (4 bits) name the session and the number.
        let resolution = crate::index::order::resolution_key(key, session, None) >> 4;
        let start = crate::index::order::bisect(0, self.len, |i| self.key(i) >> 4 < resolution);
        (start..self.len)
            .take_while(|&i| self.key(i) >> 4 == resolution)
            .find(|&i| self.same_symbol(i, key) && self.part(i) == part)
    }

    /// [`Table::find`] by a scan of every entry, in order.
    fn find_scanning(&self, key: &str, part: Option<&str>) -> Option<usize> {
        let mut first = None;
        for i in 0..self.len {
            if self.same_symbol(i, key) {
                if self.part(i) == part {
                    return Some(i);
                }
                first.get_or_insert(i);
            }
        }
        first
    }

    /// Whether entry `i`'s symbol folds to `key` (an ASCII symbol is compared as bytes).
    fn same_symbol(&self, i: usize, key: &str) -> bool {
        let s = self.name_bytes(i, 0);
        s.eq_ignore_ascii_case(key.as_bytes())
            || (!s.is_ascii() && std::str::from_utf8(s).is_ok_and(|s| symbol_key(s) == key))
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
mod tests;
