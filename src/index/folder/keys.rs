//! What the series links and the listings need of each resolution, kept in the manifest
//! file by file: its [`SeriesKey`] (symbol, part, session, folded title, the resolutions it
//! recalls, its order key) and its [`Facts`] (title, date, year, file, records of each kind).

use crate::index::order::resolution_key;
use crate::model::{Kind, Resolution};
use crate::text::normalize::fold;
use serde::{Deserialize, Serialize};

/// What the series links need of one resolution (one part of a file), kept in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SeriesKey {
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
    /// The resolution's order key ([`crate::index::order::resolution_key`]), which its records'
    /// fast fields carry.
    pub key: u64,
    /// What a listing shows of it.
    #[serde(default)]
    pub facts: Facts,
}

/// What listings and counts show of one resolution (one part of a file), kept once per
/// resolution so that they never open a stored record: its title as printed, date, year,
/// file, and how many records of each kind it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Facts {
    /// The title as printed.
    pub title: String,
    /// The adoption date (YYYY-MM-DD), if known.
    pub date: Option<String>,
    /// The year of adoption.
    pub year: u32,
    /// The file its records name.
    pub file: String,
    /// Its records of each kind, in the order of [`Kind::ALL`].
    pub counts: [u32; 4],
}

impl Facts {
    fn of(r: &Resolution) -> Facts {
        let mut counts = [0u32; 4];
        for p in &r.paragraphs {
            counts[p.kind.code() as usize] += 1;
        }
        counts[Kind::Footnote.code() as usize] += r.footnotes.len() as u32;
        Facts {
            title: r.title.clone(),
            date: r.date.clone(),
            year: r.year(),
            file: r.file.clone(),
            counts,
        }
    }
}

/// The series keys of the resolutions read from one file, in file order.
pub(crate) fn keys(resolutions: &[Resolution]) -> Vec<SeriesKey> {
    resolutions
        .iter()
        .map(|r| {
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
                key: resolution_key(&r.symbol, r.session, r.part.as_deref()),
                facts: Facts::of(r),
            }
        })
        .collect()
}
