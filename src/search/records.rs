//! Pages of records: the records matching a query, in relevance or date order, one page of
//! them with the total, each loaded from the doc store with its highlights. Relevance is the
//! word layer's BM25 with ties in the index's stable order (newer session first, then
//! paragraph order); a broad query's first page is settled by [`crate::search::first_page`]
//! and date order by [`crate::search::listing`]'s date windows. Also the look-ups a hit is
//! printed with: a record's related footnotes or paragraphs, a resolution's records.

use crate::error::{Error, Result};
use crate::index::packed::Unpacker;
use crate::index::{self, stored, Index};
use crate::model::{Kind, Record};
use crate::reference::Reference;
use crate::search::compile::{term_s, term_u, Compiled, EXACT_SCORE};
use crate::search::first_page::{self, TOTAL_BOUND};
use crate::search::highlight::highlight;
use crate::search::ordered::first_bounded;
use crate::search::query::{Atom, Query};
use crate::search::request::{SearchOptions, Sort};
use crate::text::normalize;
use std::cmp::Reverse;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::{DocAddress, Searcher};

/// One record found.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The record, as exported.
    pub record: Record,
    /// The ranking score.
    pub score: f32,
    /// Character ranges `[start, end)` of `record.text` that match the query's text.
    pub highlights: Vec<(usize, usize)>,
}

/// The hits of one page and the total number of matching records.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// How many records match in all, or at least, when `total_exact` is false.
    pub total: usize,
    /// Whether `total` counts every match (always, below [`crate::TOTAL_BOUND`]).
    pub total_exact: bool,
    /// The hits asked for, best first.
    pub hits: Vec<Hit>,
}

/// The offset and limit of a page: no page reaches past the last record, however large the
/// numbers asked for, and at least one hit is collected (so that the total is counted).
pub(crate) fn page(searcher: &Searcher, opts: SearchOptions) -> (usize, usize) {
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let offset = opts.offset.min(docs);
    (offset, opts.limit.min(docs - offset).max(1))
}

impl Index {
    /// One page of the records matching `query` (already expanded), in the order asked
    /// for, with the total; with `limit: 0` and exact totals, the count alone.
    pub(crate) fn record_page(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<SearchResults> {
        if opts.limit == 0 && opts.exact_total {
            let searcher = self.reader.searcher();
            let total = searcher.search(&self.compile(&searcher, query)?, &Count)?;
            return Ok(SearchResults {
                total,
                total_exact: true,
                hits: Vec::new(),
            });
        }
        if sort != Sort::Relevance {
            return self.dated_page(query, opts, sort);
        }
        self.relevance_page(query, opts)
    }

    /// One page of the records matching `query` (already expanded), best first.
    fn relevance_page(&self, query: &Query, opts: SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Compiled { scan: tq, lookup } = self.compile_both(&searcher, query)?;
        let (offset, limit) = page(&searcher, opts);
        let words = self.required_words(&searcher, query)?;
        if words.is_empty() {
            // Every match scores the same: the stable order alone ranks them, and each
            // segment's first matches are its first in that order (a one-character query
            // matches a third of the records; neither scores nor order keys are read).
            // Unless an exact total is asked for, counting stops at [`TOTAL_BOUND`].
            let k = offset.saturating_add(limit);
            let bound = if opts.exact_total || k > TOTAL_BOUND {
                usize::MAX
            } else {
                TOTAL_BOUND
            };
            let found = first_bounded(&searcher, &*tq, k, bound)?;
            let page = found
                .first
                .into_iter()
                .skip(offset)
                .map(|(_, addr)| (EXACT_SCORE, addr));
            let hits = self.hits(&searcher, query, page, opts)?;
            return Ok(SearchResults {
                total: found.total,
                total_exact: found.exact,
                hits,
            });
        }
        if !opts.exact_total {
            let scan = first_page::Scan::run(&searcher, &*tq, TOTAL_BOUND)?;
            let found = if scan.complete {
                Some((
                    scan.matches.len(),
                    true,
                    scan.page(&searcher, &self.columns, offset, limit),
                ))
            } else {
                first_page::page(&searcher, self, &*lookup, words, offset, limit)?
                    .map(|page| (TOTAL_BOUND, false, page))
            };
            if let Some((total, total_exact, page)) = found {
                let hits = self.hits(&searcher, query, page.into_iter(), opts)?;
                return Ok(SearchResults {
                    total,
                    total_exact,
                    hits,
                });
            }
        }
        let orders = self.columns.clone();
        let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let order = orders.order(segment);
                move |doc: tantivy::DocId, score: tantivy::Score| (score, Reverse(order.get(doc)))
            },
        );
        let (top, total) = searcher.search(&tq, &(top, Count))?;
        let page = top.into_iter().map(|((score, _), addr)| (score, addr));
        let hits = self.hits(&searcher, query, page, opts)?;
        Ok(SearchResults {
            total,
            total_exact: true,
            hits,
        })
    }

    /// Loads and highlights the records of a page (none when no hit was asked for).
    pub(crate) fn hits(
        &self,
        searcher: &Searcher,
        query: &Query,
        page: impl Iterator<Item = (tantivy::Score, DocAddress)>,
        opts: SearchOptions,
    ) -> Result<Vec<Hit>> {
        if opts.limit == 0 {
            return Ok(Vec::new());
        }
        let needles: Vec<Vec<char>> = query
            .positive_texts()
            .map(|t| normalize::fold(t).chars().collect())
            .collect();
        let mut reader = self.reader(searcher)?;
        page.map(|(score, addr)| {
            let record = reader.load(addr)?;
            let highlights = highlight(&record.text, &needles);
            Ok(Hit {
                record,
                score,
                highlights,
            })
        })
        .collect()
    }

    /// Every record matching `query` (already expanded), in the stable order (resolution,
    /// then record order).
    pub(crate) fn records(&self, query: &Query) -> Result<Vec<Record>> {
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let n = searcher.search(&tq, &Count)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        let top =
            TopDocs::with_limit(n).order_by_u64_field(index::order::ORDER, tantivy::Order::Asc);
        let docs = searcher.search(&tq, &top)?;
        let mut reader = self.reader(&searcher)?;
        docs.into_iter()
            .map(|(_, addr)| reader.load(addr))
            .collect()
    }

    /// [`Index::records_of`]'s work.
    pub(crate) fn records_of_symbol(&self, symbol: &str) -> Result<Vec<Record>> {
        let mut query = Query::default();
        query.require(Atom::Symbol(symbol.to_string()));
        self.records(&query)
    }

    /// [`Index::records_at`]'s work.
    pub(crate) fn records_named(&self, reference: &Reference) -> Result<Vec<Record>> {
        let all = self.records_of(&reference.symbol)?;
        let missing = |message: String| Err(Error::NotFound { message });
        let Some(first) = all.first() else {
            return missing(format!("no resolution {} in the index", reference.symbol));
        };
        let symbol = first.symbol.clone();
        let mut records = all;
        if let Some(p) = &reference.part {
            records.retain(|r| r.part.as_ref() == Some(p));
            if records.is_empty() {
                return missing(format!("{symbol} has no part {p}"));
            }
        }
        if let Some(w) = reference.record {
            records.retain(|r| r.kind == w.kind && r.para == w.number);
            if records.is_empty() {
                return missing(format!("{symbol} has no {w}"));
            }
        }
        Ok(records)
    }

    /// [`Index::related`]'s work.
    pub(crate) fn related_records(&self, record: &Record) -> Result<Vec<Record>> {
        let wanted: Vec<(Kind, u32)> = if record.kind == Kind::Footnote {
            record.cited_by.iter().map(|c| (c.kind, c.number)).collect()
        } else {
            record
                .footnotes
                .iter()
                .map(|&n| (Kind::Footnote, n))
                .collect()
        };
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut reader = self.reader(&searcher)?;
        let mut out = Vec::new();
        for (kind, para) in wanted {
            let q = BooleanQuery::new(vec![
                (Occur::Must, term_u(f.kind, kind.code())),
                (Occur::Must, term_u(f.para, u64::from(para))),
                (Occur::Must, term_s(f.symbol, &record.symbol.to_lowercase())),
            ]);
            let docs = searcher.search(&q, &TopDocs::with_limit(16).order_by_score())?;
            for (_, addr) in docs {
                let r = reader.load(addr)?;
                if r.part == record.part && r.file == record.file {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// A reader of `searcher`'s stored records (see [`crate::index::stored`]); one serves
    /// one answer.
    pub(crate) fn reader<'s>(&'s self, searcher: &'s Searcher) -> Result<stored::Reader<'s>> {
        let dictionary = self.dictionary.as_ref().map_err(|detail| Error::Damaged {
            path: self.dir.clone(),
            detail: detail.clone(),
        })?;
        Ok(stored::Reader::new(
            searcher,
            self.fields.record,
            &self.dir,
            Unpacker::new(dictionary.as_ref()),
            &self.columns,
        ))
    }
}
