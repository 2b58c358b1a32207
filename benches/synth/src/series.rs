//! Series of one resolution over many sessions, with the edits real drafts get from one
//! year to the next, and the true pairing of their paragraphs.
//!
//! The first member is a generated resolution read back by the parser. Each later member
//! recalls the one before in its first preamble paragraph (session number and date moved
//! on), and gets some of: paragraphs reworded (a span replaced, a clause added or cut),
//! added, dropped, swapped with a neighbour, two neighbours merged into one, one split in
//! two, and footnotes added or dropped (the others renumbered). Every paragraph and footnote
//! carries a lineage id, so the truth of any pairing is "same id": a merged paragraph
//! continues the longer of its two sources (the other is dropped), and of a split paragraph
//! the longer piece continues it (the other is new).

use crate::{resolution, with_path, SynthConfig, SynthStats};
use std::fmt::Write as _;
use std::path::Path;
use unres::{Footnote, Kind, ParaRef, Paragraph, Resolution};

/// What series to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesConfig {
    /// Members of the series (sessions).
    pub sessions: usize,
    /// The first member's session.
    pub first_session: u32,
    /// Seed of all randomness.
    pub seed: u64,
    /// The resolution's number in every session (`A/RES/{session}/{number}`); drawn from
    /// the seed when `None`.
    pub number: Option<u32>,
}

/// A generated series, oldest member first.
#[derive(Debug, Clone)]
pub struct Series {
    /// The resolutions, oldest first, one per session.
    pub members: Vec<Resolution>,
    /// For each member, the lineage id of each paragraph (parallel to `paragraphs`).
    pub paragraph_ids: Vec<Vec<u64>>,
    /// For each member, the lineage id of each footnote (parallel to `footnotes`).
    pub footnote_ids: Vec<Vec<u64>>,
}

impl Series {
    /// The true predecessor in member `k - 1` of paragraph or footnote `kind` `para` of
    /// member `k`: its number there, or `None` when it is new in member `k`.
    pub fn true_old(&self, k: usize, kind: Kind, para: u32) -> Option<u32> {
        let id = self.id_of(k, kind, para)?;
        self.number_of(k - 1, kind, id)
    }

    /// The lineage id of `kind` `para` in member `k`.
    pub fn id_of(&self, k: usize, kind: Kind, para: u32) -> Option<u64> {
        let r = &self.members[k];
        if kind == Kind::Footnote {
            let at = r.footnotes.iter().position(|f| f.number == para)?;
            return Some(self.footnote_ids[k][at]);
        }
        let at = r
            .paragraphs
            .iter()
            .position(|p| p.kind == kind && p.number == para)?;
        Some(self.paragraph_ids[k][at])
    }

    /// The number of the paragraph (or footnote) of lineage `id` in member `k`.
    pub fn number_of(&self, k: usize, kind: Kind, id: u64) -> Option<u32> {
        let r = &self.members[k];
        if kind == Kind::Footnote {
            let at = self.footnote_ids[k].iter().position(|&i| i == id)?;
            return Some(r.footnotes[at].number);
        }
        let at = self.paragraph_ids[k].iter().position(|&i| i == id)?;
        (r.paragraphs[at].kind == kind).then_some(r.paragraphs[at].number)
    }
}

/// A paragraph being edited: kind, text, lineage id.
#[derive(Debug, Clone)]
struct Para {
    kind: Kind,
    text: String,
    cites: Vec<String>,
    id: u64,
}

/// The lineage id of the first preamble paragraph, the recall of the previous session.
const RECALL: u64 = 0;

/// Generates a series (a pure function of the config).
pub fn series(config: &SeriesConfig) -> Series {
    let mut rng = fastrand::Rng::with_seed(config.seed ^ 0x005e_41e5);
    let synth = SynthConfig {
        resolutions: 1000,
        seed: config.seed,
    };
    let base = parse_generated(&synth, rng.usize(0..1000));
    let mut pool = Pool {
        synth,
        next: 0,
        texts: Vec::new(),
    };
    let mut next_id = 0u64;
    let mut id = || {
        next_id += 1;
        next_id
    };
    let mut paras: Vec<Para> = base
        .paragraphs
        .iter()
        .filter(|p| p.kind != Kind::Annex)
        .map(|p| Para {
            kind: p.kind,
            text: p.text.clone(),
            cites: p.cites.clone(),
            id: id(),
        })
        .collect();
    let mut notes: Vec<(Footnote, u64)> =
        base.footnotes.iter().map(|f| (f.clone(), id())).collect();
    let drawn = 30 + rng.u32(0..200);
    let number = config.number.unwrap_or(drawn);
    let mut out = Series {
        members: Vec::new(),
        paragraph_ids: Vec::new(),
        footnote_ids: Vec::new(),
    };
    for k in 0..config.sessions {
        let session = config.first_session + k as u32;
        recall_previous(&mut paras, session, number);
        if k > 0 {
            edit(&mut rng, &mut paras, &mut pool, &mut id);
            edit_footnotes(&mut rng, &mut notes, session, &mut id);
        }
        out.paragraph_ids.push(paras.iter().map(|p| p.id).collect());
        out.footnote_ids
            .push(notes.iter().map(|(_, i)| *i).collect());
        out.members
            .push(member(&base, session, number, &paras, &notes));
    }
    out
}

fn parse_generated(synth: &SynthConfig, i: usize) -> Resolution {
    let file = resolution(synth, i);
    unres::parse_str(Path::new(&file.name), &file.text)
        .expect("generated resolutions parse")
        .remove(0)
}

/// Paragraphs of other generated resolutions: the wording of new paragraphs.
struct Pool {
    synth: SynthConfig,
    next: usize,
    texts: Vec<(Kind, String)>,
}

impl Pool {
    fn take(&mut self, kind: Kind) -> String {
        loop {
            if let Some(at) = self.texts.iter().position(|(k, _)| *k == kind) {
                return self.texts.remove(at).1;
            }
            self.next += 1;
            let r = parse_generated(&self.synth, (self.next * 7919) % self.synth.resolutions);
            self.texts
                .extend(r.paragraphs.into_iter().map(|p| (p.kind, p.text)));
        }
    }
}

/// The first preamble paragraph recalls last session's member, as real ones do. The
/// first member gets one too, recalling a resolution outside the series.
fn recall_previous(paras: &mut Vec<Para>, session: u32, number: u32) {
    let previous = format!("A/RES/{}/{number}", session - 1);
    let text = format!(
        "回顾其 {} 年 12 月 {} 日第 {}/{number} 号决议及以往所有有关决议，",
        1945 + session - 1,
        2 + session % 9,
        session - 1
    );
    match paras.iter_mut().find(|p| p.id == RECALL) {
        Some(p) => {
            p.text = text;
            p.cites = vec![previous];
        }
        None => paras.insert(
            0,
            Para {
                kind: Kind::Preamble,
                text,
                cites: vec![previous],
                id: RECALL,
            },
        ),
    }
}

/// One session's edits of the paragraphs (never the first preamble paragraph).
fn edit(
    rng: &mut fastrand::Rng,
    paras: &mut Vec<Para>,
    pool: &mut Pool,
    id: &mut impl FnMut() -> u64,
) {
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(1..paras.len());
        paras[at].text = reword(rng, &paras[at].text, pool);
    }
    for _ in 0..rng.usize(0..=2) {
        let kind = if rng.bool() {
            Kind::Preamble
        } else {
            Kind::Operative
        };
        let text = pool.take(kind);
        let at = place_in_kind(rng, paras, kind);
        paras.insert(
            at,
            Para {
                kind,
                text,
                cites: Vec::new(),
                id: id(),
            },
        );
    }
    if rng.u8(0..3) > 0 && paras.len() > 8 {
        let at = rng.usize(1..paras.len());
        paras.remove(at);
    }
    if rng.u8(0..3) == 0 {
        let at = rng.usize(1..paras.len() - 1);
        if paras[at].kind == paras[at + 1].kind {
            paras.swap(at, at + 1);
        }
    }
    if rng.u8(0..6) == 0 {
        merge(rng, paras);
    }
    if rng.u8(0..6) == 0 {
        split(rng, paras, id);
    }
}

/// Where a new paragraph of `kind` goes: anywhere among that kind's paragraphs (after the
/// first preamble paragraph).
fn place_in_kind(rng: &mut fastrand::Rng, paras: &[Para], kind: Kind) -> usize {
    let first = paras
        .iter()
        .position(|p| p.kind == kind)
        .unwrap_or(paras.len());
    let last = paras
        .iter()
        .rposition(|p| p.kind == kind)
        .map_or(first, |l| l + 1);
    let first = if kind == Kind::Preamble {
        first + 1
    } else {
        first
    };
    rng.usize(first.min(last)..=last)
}

/// A paragraph reworded: a span replaced with words from elsewhere, a clause added, or a
/// span cut; at most about a fifth of it changes.
fn reword(rng: &mut fastrand::Rng, text: &str, pool: &mut Pool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    if n < 12 {
        return format!("{text}并");
    }
    let len = rng.usize(2..=(n / 5).max(3));
    let at = rng.usize(0..n - len);
    let donor: Vec<char> = pool.take(Kind::Operative).chars().collect();
    let take = rng.usize(2..=len.max(3)).min(donor.len());
    let from = rng.usize(0..=donor.len() - take);
    let insert: String = donor[from..from + take].iter().collect();
    let head: String = chars[..at].iter().collect();
    let tail: String = chars[at + len..].iter().collect();
    let mid: String = chars[at..at + len].iter().collect();
    match rng.u8(0..3) {
        0 => format!("{head}{insert}{tail}"),
        1 => format!("{head}{mid}{insert}{tail}"),
        _ => format!("{head}{tail}"),
    }
}

/// Two neighbours of the same kind become one; the longer one's lineage continues.
fn merge(rng: &mut fastrand::Rng, paras: &mut Vec<Para>) {
    let at = rng.usize(1..paras.len() - 1);
    if paras[at].kind != paras[at + 1].kind {
        return;
    }
    let b = paras.remove(at + 1);
    let a = &mut paras[at];
    let head = a.text.trim_end_matches(['；', '，', '。', ' ']);
    let text = format!("{head}，并{}", b.text);
    if b.text.chars().count() > a.text.chars().count() {
        a.id = b.id;
    }
    a.text = text;
}

/// A long paragraph is cut in two at a comma near its middle; the longer piece continues.
fn split(rng: &mut fastrand::Rng, paras: &mut Vec<Para>, id: &mut impl FnMut() -> u64) {
    let at = rng.usize(1..paras.len());
    let chars: Vec<char> = paras[at].text.chars().collect();
    let n = chars.len();
    let Some(cut) = (n / 3..2 * n / 3).find(|&i| chars[i] == '，') else {
        return;
    };
    let first: String = chars[..=cut].iter().collect();
    let second: String = chars[cut + 1..].iter().collect();
    let (keep_first, kind) = (cut + 1 >= n - cut - 1, paras[at].kind);
    let fresh = Para {
        kind,
        text: String::new(),
        cites: Vec::new(),
        id: id(),
    };
    let (a, b) = if keep_first {
        (
            Para {
                text: first,
                ..paras[at].clone()
            },
            Para {
                text: second,
                ..fresh
            },
        )
    } else {
        (
            Para {
                text: first,
                ..fresh
            },
            Para {
                text: second,
                ..paras[at].clone()
            },
        )
    };
    paras[at] = a;
    paras.insert(at + 1, b);
}

/// A footnote may be added (citing a new report) or dropped; the others are renumbered.
fn edit_footnotes(
    rng: &mut fastrand::Rng,
    notes: &mut Vec<(Footnote, u64)>,
    session: u32,
    id: &mut impl FnMut() -> u64,
) {
    if rng.u8(0..3) == 0 {
        let symbol = format!("A/{session}/{}", 100 + rng.u32(0..800));
        let note = Footnote {
            number: 0,
            text: format!("{symbol}。"),
            cited_by: Vec::new(),
            cites: vec![symbol],
            line: 0,
        };
        let at = rng.usize(0..=notes.len());
        notes.insert(at, (note, id()));
    }
    if rng.u8(0..4) == 0 && notes.len() > 1 {
        let at = rng.usize(0..notes.len());
        notes.remove(at);
    }
}

/// The resolution of one session from its paragraphs and footnotes, numbered afresh.
fn member(
    base: &Resolution,
    session: u32,
    number: u32,
    paras: &[Para],
    notes: &[(Footnote, u64)],
) -> Resolution {
    let mut counts = [0u32; 4];
    let mut paragraphs: Vec<Paragraph> = paras
        .iter()
        .enumerate()
        .map(|(line, p)| {
            let n = &mut counts[p.kind.code() as usize];
            *n += 1;
            Paragraph {
                kind: p.kind,
                number: *n,
                text: p.text.clone(),
                footnotes: Vec::new(),
                cites: p.cites.clone(),
                line: line + 1,
            }
        })
        .collect();
    let mut footnotes: Vec<Footnote> = notes
        .iter()
        .enumerate()
        .map(|(k, (f, _))| Footnote {
            number: k as u32 + 1,
            cited_by: Vec::new(),
            ..f.clone()
        })
        .collect();
    place_markers(&mut paragraphs, &mut footnotes);
    Resolution {
        file: format!("A-RES-{session}-{number}.zh.txt"),
        symbol: format!("A/RES/{session}/{number}"),
        part: None,
        session,
        number: number.to_string(),
        title: base.title.clone(),
        date: Some(format!(
            "{}-12-{:02}",
            1945 + session,
            2 + (session + 1) % 9
        )),
        meeting: Some(40 + session % 20),
        links: Vec::new(),
        paragraphs,
        footnotes,
    }
}

/// A member as clean text, the way `unres` reads it: the symbol, the title line, one
/// paragraph a line (operative ones numbered) with its footnote markers glued to its end,
/// the date and meeting, then the footnotes after a rule. A number in a paragraph that
/// clean text would take for a marker is written with a space before it ([`unglued`]).
pub fn text(r: &Resolution) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.symbol);
    let _ = writeln!(out, "{}/{}. {}", r.session, r.number, r.title);
    out.push_str("大会，\n");
    for p in &r.paragraphs {
        if p.kind == Kind::Operative {
            let _ = write!(out, "{}. ", p.number);
        }
        out.push_str(&unglued(&p.text, r.footnotes.len()));
        for n in &p.footnotes {
            let _ = write!(out, "{n}");
        }
        out.push('\n');
    }
    if let Some(date) = &r.date {
        let mut ymd = date.split('-').map(|n| n.parse::<u32>().unwrap_or(0));
        let (y, m, d) = (ymd.next(), ymd.next(), ymd.next());
        if let (Some(y), Some(m), Some(d)) = (y, m, d) {
            let _ = writeln!(out, "{y} 年 {m} 月 {d} 日");
        }
    }
    if let Some(m) = r.meeting {
        let _ = writeln!(out, "第 {m} 次全体会议");
    }
    if !r.footnotes.is_empty() {
        out.push_str("__________________\n");
        for f in &r.footnotes {
            let _ = writeln!(out, "{} {}", f.number, f.text);
        }
    }
    out
}

/// The sessions of each series [`write_series`] writes.
pub const WRITTEN_SESSIONS: usize = 20;
/// The first session of each series [`write_series`] writes (the last is 80).
pub const WRITTEN_FIRST_SESSION: u32 = 61;
/// The number of the first series [`write_series`] writes (`A/RES/61/500` …). The numbers
/// from it to [`WRITTEN_LAST_NUMBER`] are never given by [`crate::write_corpus`], so that no
/// symbol is written twice and no series reaches back into an ordinary resolution.
pub const WRITTEN_FIRST_NUMBER: u32 = 500;
/// One past the number of the last series [`write_series`] can write (500 series).
pub const WRITTEN_LAST_NUMBER: u32 = 1000;

/// The configuration of series `k` of those [`write_series`] writes for `seed`.
pub fn written_config(seed: u64, k: usize) -> SeriesConfig {
    SeriesConfig {
        sessions: WRITTEN_SESSIONS,
        first_session: WRITTEN_FIRST_SESSION,
        seed: seed.wrapping_mul(1000).wrapping_add(k as u64),
        number: Some(WRITTEN_FIRST_NUMBER + k as u32),
    }
}

/// Writes `count` series of [`WRITTEN_SESSIONS`] sessions (sessions 61–80, numbers 500,
/// 501 …) into `dir` as clean text, one file a member (`A-RES-{session}-{number}.zh.txt`).
pub fn write_series(dir: &Path, count: usize, seed: u64) -> std::io::Result<SynthStats> {
    std::fs::create_dir_all(dir).map_err(|e| with_path(e, "creating the corpus directory", dir))?;
    let most = (WRITTEN_LAST_NUMBER - WRITTEN_FIRST_NUMBER) as usize;
    if count > most {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("at most {most} series can be written, not {count}"),
        ));
    }
    let mut stats = SynthStats::default();
    for k in 0..count {
        for member in &series(&written_config(seed, k)).members {
            let path = dir.join(&member.file);
            let text = text(member);
            std::fs::write(&path, &text).map_err(|e| with_path(e, "writing", &path))?;
            stats.files += 1;
            stats.bytes += text.len() as u64;
        }
    }
    Ok(stats)
}

/// Where footnote markers go: footnote k is cited at the end of a paragraph, the markers
/// spread evenly after the recall, one a paragraph and in document order, as real ones are.
/// Footnotes beyond the paragraphs stay uncited.
fn place_markers(paragraphs: &mut [Paragraph], footnotes: &mut [Footnote]) {
    let slots = paragraphs.len().saturating_sub(1);
    let cited = footnotes.len().min(slots);
    for (j, f) in footnotes.iter_mut().take(cited).enumerate() {
        let p = &mut paragraphs[1 + j * slots / cited];
        p.footnotes.push(f.number);
        f.cited_by.push(ParaRef {
            kind: p.kind,
            number: p.number,
        });
    }
}

/// A paragraph's text with a space before every number glued to the text before it that
/// could be read as a footnote marker (one to `notes`): the texts carry such numbers
/// (`每年投入2，`, `目标7、9`), and clean text tells a marker from them by its value alone.
/// Spaces are ignored when texts are compared and searched.
fn unglued(text: &str, notes: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() && i > 0 && !chars[i - 1].is_ascii_digit() {
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_ascii_digit())
                .unwrap_or(chars.len());
            let value: String = chars[i..end].iter().collect();
            let glued = !chars[i - 1].is_whitespace();
            if glued
                && value
                    .parse::<usize>()
                    .is_ok_and(|v| (1..=notes).contains(&v))
            {
                out.push(' ');
            }
            out.push_str(&value);
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}
