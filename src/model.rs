//! The data model: a resolution, its paragraphs and footnotes, and the flat record that
//! `unres export` prints and the index stores (one per paragraph or footnote).

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a record is: a preamble or operative paragraph, a footnote, or an annex paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A preambular paragraph (回顾…, 强调…), numbered from 1 in order.
    Preamble,
    /// An operative paragraph, numbered as printed (`23.`).
    Operative,
    /// A footnote, numbered as printed.
    Footnote,
    /// A paragraph of an annex (附件), numbered from 1 in order.
    Annex,
}

impl Kind {
    /// All kinds, in document order.
    pub const ALL: [Kind; 4] = [Kind::Preamble, Kind::Operative, Kind::Footnote, Kind::Annex];

    /// The lowercase name used in JSON, filters and `show` references.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Preamble => "preamble",
            Kind::Operative => "operative",
            Kind::Footnote => "footnote",
            Kind::Annex => "annex",
        }
    }

    /// Parses a kind name (`preamble`, `operative`, `footnote`, `annex`; also `pre`, `op`, `fn`).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "preamble" | "pre" => Some(Kind::Preamble),
            "operative" | "op" => Some(Kind::Operative),
            "footnote" | "fn" => Some(Kind::Footnote),
            "annex" => Some(Kind::Annex),
            _ => None,
        }
    }

    /// How the UN's Chinese texts name the place: 序言部分 / 执行部分 / 脚注 / 附件.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Preamble => "序言部分",
            Kind::Operative => "执行部分",
            Kind::Footnote => "脚注",
            Kind::Annex => "附件",
        }
    }

    /// The kind's prefix in references (`op.3`): `pre`, `op`, `fn`, `annex`.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Preamble => "pre",
            Kind::Operative => "op",
            Kind::Footnote => "fn",
            Kind::Annex => "annex",
        }
    }

    /// Where record `number` of this kind stands, as the UN's Chinese texts say it:
    /// `执行部分第 3 段`, `脚注 2`.
    pub fn place(self, number: u32) -> String {
        match self {
            Kind::Footnote => format!("脚注 {number}"),
            k => format!("{}第 {number} 段", k.chinese()),
        }
    }

    /// A small integer for the index's fast field (document order).
    pub fn code(self) -> u64 {
        match self {
            Kind::Preamble => 0,
            Kind::Operative => 1,
            Kind::Footnote => 2,
            Kind::Annex => 3,
        }
    }

    /// The kind of code `code` ([`Kind::code`]).
    pub(crate) fn from_code(code: u64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A paragraph of a resolution: preamble, operative or annex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Preamble, operative or annex.
    pub kind: Kind,
    /// Preamble and annex: counted from 1 in order; operative: as printed.
    pub number: u32,
    /// The text, wrapped lines joined, footnote markers removed, the source's spaces kept.
    pub text: String,
    /// The footnote numbers whose markers stood in this paragraph, in order.
    pub footnotes: Vec<u32>,
    /// Document symbols cited by the text itself or through its footnotes, first citation first.
    pub cites: Vec<String>,
    /// 1-based line of the source file where the paragraph starts.
    pub line: usize,
}

/// Where a paragraph stands in its resolution: its kind and number. JSON writes it as the
/// text `preamble 2`, as `unres export` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParaRef {
    /// Preamble, operative or annex.
    pub kind: Kind,
    /// The paragraph's number (see [`Paragraph::number`]).
    pub number: u32,
}

impl fmt::Display for ParaRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.number)
    }
}

impl std::str::FromStr for ParaRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a paragraph reference such as `preamble 2`");
        let (kind, number) = s.split_once(' ').ok_or_else(bad)?;
        Ok(ParaRef {
            kind: Kind::parse(kind).ok_or_else(bad)?,
            number: number.parse().map_err(|_| bad())?,
        })
    }
}

impl Serialize for ParaRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ParaRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A footnote of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    /// The footnote number as printed (1, 2, 3 … through the document).
    pub number: u32,
    /// The footnote's text, wrapped lines joined.
    pub text: String,
    /// The paragraphs whose markers refer to it, e.g. `preamble 2`.
    pub cited_by: Vec<ParaRef>,
    /// Document symbols the footnote cites; a footnote reading 同上 cites what the one before cites.
    pub cites: Vec<String>,
    /// 1-based line of the source file where the footnote starts.
    pub line: usize,
}

/// One resolution (or one part of a multi-part resolution such as 78/47 A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The source file: the corpus folder's name and the path inside it (`corpus/x.txt`,
    /// whatever form the folder was given in) when read by [`crate::parse_file`],
    /// [`crate::parse_paths`] or the index; the path given to [`crate::parse_str`].
    pub file: String,
    /// The document symbol, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// The part letter of a multi-part resolution (`A` in 78/47 A).
    pub part: Option<String>,
    /// The General Assembly session (78).
    pub session: u32,
    /// The resolution number within the session, as printed (`46`).
    pub number: String,
    /// The title.
    pub title: String,
    /// Adoption date as `YYYY-MM-DD`, when the text gives it.
    pub date: Option<String>,
    /// The plenary meeting at which it was adopted, when the text gives it.
    pub meeting: Option<u32>,
    /// Document symbols of the link lines (`https://undocs.org/ch/SYMBOL`), in order, once each.
    pub links: Vec<String>,
    /// Preamble, operative and annex paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Footnotes in order.
    pub footnotes: Vec<Footnote>,
}

impl Resolution {
    /// The year used for filtering: the adoption date's year, else the session's opening year.
    pub fn year(&self) -> u32 {
        self.date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
            .unwrap_or(1945 + self.session)
    }

    /// The symbol with its part letter, e.g. `A/RES/78/47 A`.
    pub fn full_symbol(&self) -> String {
        match &self.part {
            Some(p) => format!("{} {}", self.symbol, p),
            None => self.symbol.clone(),
        }
    }

    /// Every paragraph and footnote as a flat record, paragraphs first, in document order.
    pub fn records(&self) -> Vec<Record> {
        let record = |kind, para, text: &str, line| Record {
            file: self.file.clone(),
            symbol: self.symbol.clone(),
            part: self.part.clone(),
            session: self.session,
            year: self.year(),
            title: self.title.clone(),
            date: self.date.clone(),
            meeting: self.meeting,
            kind,
            para,
            text: text.to_string(),
            footnotes: Vec::new(),
            cites: Vec::new(),
            cited_by: Vec::new(),
            line,
        };
        let paragraphs = self.paragraphs.iter().map(|p| Record {
            footnotes: p.footnotes.clone(),
            cites: p.cites.clone(),
            ..record(p.kind, p.number, &p.text, p.line)
        });
        let footnotes = self.footnotes.iter().map(|f| Record {
            cites: f.cites.clone(),
            cited_by: f.cited_by.clone(),
            ..record(Kind::Footnote, f.number, &f.text, f.line)
        });
        paragraphs.chain(footnotes).collect()
    }
}

/// One paragraph or footnote with its resolution's metadata: what `export` prints and the
/// index stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The source file (see [`Resolution::file`]).
    pub file: String,
    /// The resolution's symbol, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// The part letter of a multi-part resolution.
    pub part: Option<String>,
    /// The session.
    pub session: u32,
    /// The year (adoption date's, else the session's opening year).
    pub year: u32,
    /// The resolution's title.
    pub title: String,
    /// Adoption date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Plenary meeting number.
    pub meeting: Option<u32>,
    /// Preamble, operative, footnote or annex.
    pub kind: Kind,
    /// The paragraph or footnote number.
    pub para: u32,
    /// The text.
    pub text: String,
    /// Footnote numbers cited by a paragraph.
    pub footnotes: Vec<u32>,
    /// Document symbols cited.
    pub cites: Vec<String>,
    /// For a footnote: the paragraphs citing it (`preamble 2`).
    pub cited_by: Vec<ParaRef>,
    /// 1-based source line where the record starts.
    pub line: usize,
}

impl Record {
    /// The place in human terms: `A/RES/78/46 执行部分第 23 段` or `A/RES/78/46 脚注 4`.
    pub fn place(&self) -> String {
        let symbol = match &self.part {
            Some(p) => format!("{} {}", self.symbol, p),
            None => self.symbol.clone(),
        };
        format!("{symbol} {}", self.kind.place(self.para))
    }

    /// The short reference used by `show` and in `cited_by`: `op.23`, `pre.5`, `fn.3`, `annex.2`.
    pub fn short_ref(&self) -> String {
        format!("{}.{}", self.kind.short(), self.para)
    }
}
