//! Series links, computed when the index is committed and kept beside it.
//!
//! The manifest keeps, for each resolution (part) of each file, the few things a series
//! needs ([`SeriesKey`]: symbol, part, session, folded title, the resolutions its first
//! preamble paragraph recalls, and its order key). At every commit the links of the whole
//! index are computed again from the manifest ([`link`]: a few thousand entries, well under
//! a millisecond a thousand) and written to `unres-series-N.bin`, named after the commit's
//! manifest `unres-manifest-N.json`, before the commit points at that manifest. An update
//! that adds a new session's resolution therefore links it into its series, and one that
//! removes a file unlinks it, whatever order the files came in. Readers load the table of
//! the last commit once ([`Table::read`]) and answer previous, next and series from it
//! without a query.
//!
//! A resolution's previous member is the earlier resolution its first preamble paragraph
//! recalls (`回顾其 2022 年 12 月 7 日第 77/71 号决议` → `A/RES/77/71`) when the index holds
//! it, else the latest resolution of the [`TITLE_GAP`] sessions before with the same folded
//! title (ties: the same part letter, then the lower symbol). Its next member is the
//! earliest resolution whose previous member it is (same ties). A series is a chain of
//! such links; its root is its oldest member.

use crate::error::{Error, Result};
use crate::index::{resolution_key, Manifest};
use crate::model::{Kind, Resolution};
use crate::normalize::fold;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// How many sessions back a title is looked for when no recall links two members.
pub const TITLE_GAP: u32 = 5;
const HEADER: &str = "unres-series 2";
/// Bytes of one entry of the links file.
const RECORD: usize = 28;
/// No entry (no previous or next member).
const NONE: u32 = u32::MAX;
const MANIFEST_PREFIX: &str = "unres-manifest-";
const SERIES_PREFIX: &str = "unres-series-";

/// What the series links need of one resolution (one part of a file), kept in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesKey {
    /// The symbol, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// The part letter of a multi-part resolution.
    pub part: Option<String>,
    /// The session.
    pub session: u32,
    /// The folded title.
    pub title: String,
    /// The resolutions (`A/RES/…`) its first preamble paragraph cites, itself left out.
    pub recalls: Vec<String>,
    /// The resolution's order key ([`crate::index::resolution_key`]), which its records'
    /// fast fields carry.
    pub key: u64,
}

/// The series keys of the resolutions read from one file, in file order.
pub fn keys(resolutions: &[Resolution]) -> Vec<SeriesKey> {
    resolutions
        .iter()
        .enumerate()
        .map(|(pi, r)| {
            let opening = r
                .paragraphs
                .iter()
                .find(|p| p.kind == Kind::Preamble && p.number == 1);
            let recalls = opening
                .map(|p| p.cites.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|c| c.starts_with("A/RES/") && **c != r.symbol)
                .cloned()
                .collect();
            SeriesKey {
                symbol: r.symbol.clone(),
                part: r.part.clone(),
                session: r.session,
                title: fold(&r.title),
                recalls,
                key: resolution_key(&r.symbol, r.session, pi),
            }
        })
        .collect()
}

/// One resolution's place in its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
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
}

/// The links of every resolution of `keys` (same order). Deterministic: ties fall back to
/// the symbol, then to the order of `keys`.
pub fn link(keys: &[&SeriesKey]) -> Vec<Link> {
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
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    for (i, p) in previous.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
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
            }
        })
        .collect()
}

/// The name of the links file written with the manifest `manifest_name`.
pub fn file_name(manifest_name: &str) -> String {
    let generation = manifest_name
        .strip_prefix(MANIFEST_PREFIX)
        .and_then(|g| g.strip_suffix(".json"))
        .unwrap_or(manifest_name);
    format!("{SERIES_PREFIX}{generation}.bin")
}

/// Computes the links of every resolution of `manifest` and writes them beside the manifest
/// `manifest_name` (atomically: a reader sees the old file or the new one).
pub fn write(dir: &Path, manifest_name: &str, manifest: &Manifest) -> Result<()> {
    let keys: Vec<&SeriesKey> = manifest.files.values().flat_map(|f| &f.series).collect();
    let links = link(&keys);
    crate::index::write_atomically(&dir.join(file_name(manifest_name)), &encode(&links))
}

/// The links file: a header line, the number of entries, one fixed-size record an entry
/// (little-endian key u64, session u32, previous, next and root u32 with [`NONE`] for
/// none, the byte lengths of symbol and part u16), then the symbols and parts one after
/// the other. Fixed sizes make reading it a few copies, which every search that needs
/// series pays.
fn encode(links: &[Link]) -> Vec<u8> {
    let mut out = Vec::with_capacity(RECORD * links.len() + 16 * links.len() + 32);
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&(links.len() as u32).to_le_bytes());
    let slot = |i: Option<usize>| i.map_or(NONE, |i| i as u32);
    for l in links {
        out.extend_from_slice(&l.key.to_le_bytes());
        out.extend_from_slice(&l.session.to_le_bytes());
        out.extend_from_slice(&slot(l.previous).to_le_bytes());
        out.extend_from_slice(&slot(l.next).to_le_bytes());
        out.extend_from_slice(&(l.root as u32).to_le_bytes());
        let part = l.part.as_deref().unwrap_or("");
        out.extend_from_slice(&(l.symbol.len().min(u16::MAX as usize) as u16).to_le_bytes());
        out.extend_from_slice(&(part.len().min(u16::MAX as usize) as u16).to_le_bytes());
    }
    for l in links {
        let part = l.part.as_deref().unwrap_or("");
        out.extend_from_slice(&l.symbol.as_bytes()[..l.symbol.len().min(u16::MAX as usize)]);
        out.extend_from_slice(&part.as_bytes()[..part.len().min(u16::MAX as usize)]);
    }
    out
}

/// The links of the last commit, with look-ups by symbol and by order key.
#[derive(Debug, Default)]
pub struct Table {
    /// Every resolution's links.
    pub links: Vec<Link>,
    /// Order key → entry, made when first asked for (only `--collapse` needs it).
    by_key: std::sync::OnceLock<HashMap<u64, usize>>,
}

impl Table {
    /// Reads the links of the index in `dir` as of its last commit.
    pub fn read(dir: &Path) -> Result<Table> {
        let damaged = |detail: String| Error::Damaged {
            path: dir.into(),
            detail,
        };
        let manifest = crate::fresh::committed_manifest(dir)
            .ok_or_else(|| damaged("the last commit names no manifest".into()))?;
        let path = dir.join(file_name(&manifest));
        let bytes = std::fs::read(&path)
            .map_err(|e| damaged(format!("cannot read {} ({e})", path.display())))?;
        Table::parse(&bytes).ok_or_else(|| damaged(format!("{} is unreadable", path.display())))
    }

    fn parse(bytes: &[u8]) -> Option<Table> {
        let rest = bytes.strip_prefix(HEADER.as_bytes())?.strip_prefix(b"\n")?;
        let n = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let records = rest.get(4..4 + n.checked_mul(RECORD)?)?;
        let mut names = &rest[4 + n * RECORD..];
        let mut table = Table::default();
        table.links.reserve(n);
        let u32_at = |r: &[u8], at: usize| u32::from_le_bytes(r[at..at + 4].try_into().unwrap());
        let u16_at = |r: &[u8], at: usize| u16::from_le_bytes(r[at..at + 2].try_into().unwrap());
        let slot = |v: u32| (v != NONE).then_some(v as usize);
        for r in records.chunks_exact(RECORD) {
            let (symbol_len, part_len) = (usize::from(u16_at(r, 24)), usize::from(u16_at(r, 26)));
            let symbol = std::str::from_utf8(names.get(..symbol_len)?)
                .ok()?
                .to_string();
            let part = names.get(symbol_len..symbol_len + part_len)?;
            let part = (!part.is_empty())
                .then(|| std::str::from_utf8(part).map(str::to_string))
                .transpose()
                .ok()?;
            names = &names[symbol_len + part_len..];
            table.links.push(Link {
                key: u64::from_le_bytes(r[..8].try_into().ok()?),
                symbol,
                part,
                session: u32_at(r, 8),
                previous: slot(u32_at(r, 12)),
                next: slot(u32_at(r, 16)),
                root: u32_at(r, 20) as usize,
            });
        }
        let n = table.links.len();
        if table.links.iter().any(|l| {
            l.root >= n || l.previous.is_some_and(|p| p >= n) || l.next.is_some_and(|x| x >= n)
        }) {
            return None;
        }
        Some(table)
    }

    /// The resolution `symbol` with part `part` (else its first part). A scan: one
    /// look-up costs less than making a map of thousands of symbols.
    pub fn find(&self, symbol: &str, part: Option<&str>) -> Option<usize> {
        let key = symbol_key(symbol);
        let mut first = None;
        for (i, l) in self.links.iter().enumerate() {
            let same = l.symbol.eq_ignore_ascii_case(&key)
                || (!l.symbol.is_ascii() && symbol_key(&l.symbol) == key);
            if same {
                if l.part.as_deref() == part {
                    return Some(i);
                }
                first.get_or_insert(i);
            }
        }
        first
    }

    /// The resolution whose records carry the order key `key` (see
    /// [`crate::index::resolution_key`]).
    pub fn by_key(&self, key: u64) -> Option<usize> {
        let map = self.by_key.get_or_init(|| {
            let mut map = HashMap::with_capacity(self.links.len());
            for (i, l) in self.links.iter().enumerate() {
                map.entry(l.key).or_insert(i);
            }
            map
        });
        map.get(&key).copied()
    }
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
        let state = |k: &SeriesKey| crate::index::FileState {
            size: 0,
            mtime: 0,
            hash: 0,
            resolutions: 1,
            paragraphs: 0,
            footnotes: 0,
            error: None,
            series: vec![k.clone()],
        };
        manifest.files.insert("a".into(), state(&keys[0]));
        manifest.files.insert("b".into(), state(&keys[1]));
        manifest.files.insert("c".into(), state(&keys[2]));
        write(dir.path(), "unres-manifest-7.json", &manifest).unwrap();
        let bytes = std::fs::read(dir.path().join("unres-series-7.bin")).unwrap();
        let table = Table::parse(&bytes).unwrap();
        assert_eq!(table.links, link(&keys.iter().collect::<Vec<_>>()));
        assert_eq!(table.find("a/res/71/9", None), Some(1));
        assert_eq!(table.links[2].part.as_deref(), Some("B"));
        assert_eq!(table.links[2].previous, Some(1));
        assert!(
            Table::parse(&bytes[..bytes.len() - 1]).is_none(),
            "cut short"
        );
        assert_eq!(table.by_key(70), Some(0));
    }
}
