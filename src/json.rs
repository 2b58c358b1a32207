//! The JSON objects of a search: a hit, what `unres search --json` prints one a line, and
//! a whole answer, what the server's `/api/search` answers and the Python package returns.
//! Built here once, so that every way in says the same thing the same way.

use crate::error::Result;
use crate::history::series::SeriesMember;
use crate::index::Index;
use crate::model::Record;
use crate::search::answer::Answer;
use crate::search::collapse::AlsoIn;
use crate::search::highlight::snippet;
use crate::search::listing::{ResolutionCount, SessionCount};
use crate::search::records::Hit;
use crate::search::request::Request;
use serde::Serialize;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

/// The width of a hit's snippet, in characters (as the terminal shows it).
const SNIPPET_CHARS: usize = 80;

/// A hit as one JSON object: the record as `unres export` prints it, plus `place` (`A/RES/78/46
/// 执行部分第 23 段`), `score`, `snippet` (about 80 characters around the first match) with
/// its `snippet_highlights`, the `highlights` of the whole text (character ranges, end
/// excluded) and, for a collapsed hit, `also_in`: the other resolutions of its series where
/// its text matches. Keys in name order.
pub fn hit_json(hit: &Hit, also_in: Option<&[AlsoIn]>) -> serde_json::Value {
    let snip = snippet(&hit.record.text, &hit.highlights, SNIPPET_CHARS);
    let mut v = serde_json::to_value(&hit.record).expect("a record is plain data");
    let obj = v.as_object_mut().expect("a record is an object");
    obj.insert("place".into(), hit.record.place().into());
    obj.insert("score".into(), serde_json::json!(hit.score));
    obj.insert("snippet".into(), snip.text.into());
    obj.insert(
        "snippet_highlights".into(),
        serde_json::json!(snip.highlights),
    );
    obj.insert("highlights".into(), serde_json::json!(hit.highlights));
    if let Some(also) = also_in {
        obj.insert("also_in".into(), serde_json::json!(also));
    }
    v
}

/// A search's answer as one JSON object: what the server's `/api/search` answers and what
/// the Python package's `Index.search` returns. The totals and the page asked for, then the
/// hits (as [`hit_json`] writes them) with, for each hit's resolution, the previous member
/// of its series; or a listing (`resolutions`, `sessions`). Absent fields are left out.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerPage<'a> {
    /// The number of matches: records, or paragraphs when collapsed; resolutions or
    /// sessions for a listing.
    pub total: usize,
    /// False when `total` is a lower bound (a first page counts no further than it must).
    pub total_exact: bool,
    /// For collapsed hits and the listing by resolution: the number of records matching.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<usize>,
    /// Whether `records` is exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records_exact: Option<bool>,
    /// The page's first hit, counted from 0.
    pub offset: usize,
    /// The page's size asked for.
    pub limit: usize,
    /// The time the index took, in milliseconds, where the caller measured it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took_ms: Option<f64>,
    /// The hits, as [`hit_json`] writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<serde_json::Value>>,
    /// For the resolution of each hit (its symbol, then a space and its part where it has
    /// one): the previous member of its series, or null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<BTreeMap<String, Option<SeriesMember>>>,
    /// The listing by resolution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<&'a [ResolutionCount]>,
    /// The listing by session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<&'a [SessionCount]>,
}

impl<'a> AnswerPage<'a> {
    /// The page of `answer`, which `index` gave for `request`.
    pub fn new(index: &Index, answer: &'a Answer, request: &Request) -> Result<AnswerPage<'a>> {
        let mut page = AnswerPage {
            total: answer.total(),
            total_exact: answer.total_exact(),
            records: None,
            records_exact: None,
            offset: request.offset,
            limit: request.limit,
            took_ms: None,
            hits: None,
            previous: None,
            resolutions: None,
            sessions: None,
        };
        let records: Vec<&Record> = match answer {
            Answer::Records(r) => {
                page.hits = Some(r.hits.iter().map(|h| hit_json(h, None)).collect());
                r.hits.iter().map(|h| &h.record).collect()
            }
            Answer::Paragraphs(r) => {
                page.records = Some(r.records);
                page.records_exact = Some(r.records_exact);
                page.hits = Some(
                    r.hits
                        .iter()
                        .map(|c| hit_json(&c.hit, Some(&c.also_in)))
                        .collect(),
                );
                r.hits.iter().map(|c| &c.hit.record).collect()
            }
            Answer::Resolutions(r) => {
                page.records = Some(r.records);
                page.records_exact = Some(true);
                page.resolutions = Some(&r.resolutions);
                return Ok(page);
            }
            Answer::Sessions(s) => {
                page.sessions = Some(&s.sessions);
                return Ok(page);
            }
        };
        let mut previous = BTreeMap::new();
        for r in records {
            let key = match &r.part {
                Some(part) => format!("{} {part}", r.symbol),
                None => r.symbol.clone(),
            };
            if let Entry::Vacant(e) = previous.entry(key) {
                e.insert(index.neighbours(&r.symbol, r.part.as_deref())?.0);
            }
        }
        page.previous = Some(previous);
        Ok(page)
    }

    /// The page with the time the index took.
    pub fn took(self, took_ms: f64) -> AnswerPage<'a> {
        AnswerPage {
            took_ms: Some(took_ms),
            ..self
        }
    }
}
