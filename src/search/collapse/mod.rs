//! Search across sessions without the flood: the records matching a query, one per
//! paragraph of a series, each shown in its newest version with the other sessions where
//! the same text matches (`search --collapse`).
//!
//! Two matching records are one paragraph when their resolutions belong to the same series
//! ([`crate::index::folder::links`]), they are of the same kind, and their folded texts are the same (the
//! `text_hash` fast field, a hash of the folded text seeded with the kind); a text found
//! twice in one resolution (`同上。`) stays two paragraphs, its first occurrence grouped
//! with the first occurrence of the other sessions. Grouping reads fast fields only: the
//! stored records are loaded for the page shown, not for every match. A broad query's
//! first page is settled without grouping every match when it can be (candidates from the
//! word layer, or the first matches in the stable order), its totals then lower bounds.

use crate::error::Result;
use crate::index::folder::links::Table;
use crate::index::{self, Index};
use crate::search::compile::Compiled;
use crate::search::first_page::{self, TOTAL_BOUND};
use crate::search::listing::in_date_windows;
use crate::search::ordered::first_bounded;
use crate::search::query::Query;
use crate::search::records::Hit;
use crate::search::request::{SearchOptions, Sort};
use crate::text::normalize;
use tantivy::query::Query as TQuery;
use tantivy::{DocAddress, Searcher};

/// Another member of a series where a collapsed paragraph's text matches unchanged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlsoIn {
    /// The resolution's symbol, e.g. `A/RES/77/71`.
    pub symbol: String,
    /// Its part letter in a multi-part resolution.
    pub part: Option<String>,
    /// Its session.
    pub session: u32,
}

/// One paragraph of collapsed results.
#[derive(Debug, Clone)]
pub struct CollapsedHit {
    /// The paragraph's newest version among the matches.
    pub hit: Hit,
    /// The other resolutions of its series where the same text matches, newest first.
    pub also_in: Vec<AlsoIn>,
}

/// One page of collapsed results, with the totals.
#[derive(Debug, Clone)]
pub struct CollapsedResults {
    /// How many paragraphs (groups of records) match in all, or at least, when
    /// `total_exact` is false.
    pub total: usize,
    /// How many records match in all , or at least, when
    /// `total_exact` is false.
    pub records: usize,
    /// Whether both totals count every match.
    pub total_exact: bool,
    /// Whether `records` counts every match (also when `total_exact` is false: a query
    /// without words of its own visits every match to rank them).
    pub records_exact: bool,
    /// The paragraphs asked for, best first.
    pub hits: Vec<CollapsedHit>,
}

mod group;
mod rows;

use group::{ranked, Gather, Grouped, MixMap, Row};
use rows::{also_in, holders, rows_at, rows_of_texts, scan, with_hashes};

/// How many word-layer candidates are checked for each paragraph of a collapsed page:
/// more than for a page of records, since each version of a paragraph is a candidate.
const CANDIDATES_PER_PARAGRAPH: usize = 30;

/// How many of the first matches in the stable order are read for each paragraph of a page
/// of a query without word-layer terms.
const FIRST_PER_PARAGRAPH: usize = 4;

/// How many of the best paragraphs met in a window of dates are confirmed for each
/// paragraph of a page in date order: a few of them may prove to rank after the rest.
const CONFIRMED_PER_PARAGRAPH: usize = 2;

/// Pages reaching past this many paragraphs group every match: settling them from the
/// first records would read nearly as many.
const MAX_QUICK_PARAGRAPHS: usize = 100;

/// What the bounded path found.
enum Quick {
    /// The page, settled from the candidates, with lower bounds for the totals.
    Page(CollapsedResults),
    /// Every match (fewer than [`TOTAL_BOUND`]), scored.
    All(Vec<Row>),
    /// Nothing settled: every match must be grouped.
    Unsettled,
}

impl Index {
    /// One page of the paragraphs matching `query` (already expanded), each once in its
    /// newest version with the other sessions of its series where the same text matches, and
    /// the totals of paragraphs and records. Paragraphs are ordered as `sort` says: by their
    /// best record's relevance, or by their newest version's date; ties follow the index's
    /// stable order.
    ///
    /// Ranked by relevance, a query matching more than [`TOTAL_BOUND`] records has its
    /// page settled, when it can be, from the word layer's best records without grouping
    /// every match, as the records' first page is; both totals are then lower bounds
    /// ([`CollapsedResults::total_exact`]). `opts.exact_total` groups every match.
    pub(crate) fn paragraph_page(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<CollapsedResults> {
        let searcher = self.reader.searcher();
        let table = self.links()?;
        let relevance = sort == Sort::Relevance;
        let bounded = opts.offset.saturating_add(opts.limit) <= MAX_QUICK_PARAGRAPHS;
        let rows = if opts.limit == 0 && opts.exact_total {
            // The totals alone: neither scores nor dates are needed to group.
            self.gather(&searcher, query, false, false)?
        } else if !opts.exact_total && opts.limit > 0 && bounded {
            let quick = if relevance {
                self.quick(&searcher, query, opts, table)?
            } else {
                self.dated(&searcher, query, opts, sort, table)?
            };
            match quick {
                Quick::Page(results) => return Ok(results),
                Quick::All(rows) => rows,
                Quick::Unsettled => self.gather(&searcher, query, relevance, !relevance)?,
            }
        } else {
            self.gather(&searcher, query, relevance, !relevance)?
        };
        let all = Grouped::new(rows, table);
        let end = opts.offset.saturating_add(opts.limit);
        let page: Vec<u32> = ranked(&all.groups, 0..all.groups.len() as u32, sort, end)
            .into_iter()
            .skip(opts.offset)
            .collect();
        Ok(CollapsedResults {
            total: all.groups.len(),
            records: all.rows.len(),
            total_exact: true,
            records_exact: true,
            hits: self.collapsed_hits(&searcher, query, opts, &all, &page, table)?,
        })
    }

    /// The page's hits with the other resolutions where each matches.
    fn collapsed_hits(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        all: &Grouped,
        page: &[u32],
        table: &Table,
    ) -> Result<Vec<CollapsedHit>> {
        let hits = self.hits(
            searcher,
            query,
            page.iter().map(|&g| {
                let g = &all.groups[g as usize];
                (g.score, g.newest.addr)
            }),
            opts,
        )?;
        // The resolutions of the groups shown, from one pass over the rows.
        let mut members: MixMap<u32, Vec<u64>> = page.iter().map(|&g| (g, Vec::new())).collect();
        for (row, g) in all.rows.iter().zip(&all.of_row) {
            if let Some(m) = members.get_mut(g) {
                m.push(index::order::resolution_of(row.order));
            }
        }
        Ok(hits
            .into_iter()
            .zip(page)
            .map(|(hit, g)| {
                let newest = index::order::resolution_of(all.groups[*g as usize].newest.order);
                CollapsedHit {
                    hit,
                    also_in: also_in(&members[g], newest, table),
                }
            })
            .collect())
    }

    /// A relevance-ranked page without grouping every match.
    ///
    /// The matches are scanned up to [`TOTAL_BOUND`]; with fewer, they are all the rows.
    /// Otherwise the word layer's best records are checked against the query and grouped
    /// (see [`first_page::candidates`]), and the page stands when its last paragraph scores
    /// above the floor, the most any record left out can score. That settles it whole:
    /// the versions of one paragraph hold the same folded text, so they score the same
    /// (BM25 over the same words, the same length; the exact layer and the filters add a
    /// constant), and a paragraph above the floor has every version among the candidates.
    /// A paragraph left out scores at most the floor, below the page. The test
    /// `versions_of_a_paragraph_score_the_same` holds the premise.
    fn quick(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        table: &Table,
    ) -> Result<Quick> {
        let words = self.required_words(searcher, query)?;
        let Compiled { scan: tq, lookup } = self.compile_both(searcher, query)?;
        if words.is_empty() {
            return self.by_order(searcher, query, &*tq, opts, table);
        }
        let (scanned, complete) = scan(searcher, &self.columns, &*tq, TOTAL_BOUND)?;
        if complete {
            return Ok(Quick::All(scanned));
        }
        let want = opts.offset.saturating_add(opts.limit);
        let k = want.max(10).saturating_mul(CANDIDATES_PER_PARAGRAPH);
        let reads = &mut first_page::Reads::default();
        let found = first_page::candidates(searcher, self, &*lookup, words.clone(), k, reads)?;
        let settled = match settle(searcher, &self.columns, found, want, table) {
            // Records left out may tie the page's last paragraph (see
            // [`first_page::tied_candidates`]): every one that may is taken.
            Err(Some(last)) => {
                match first_page::tied_candidates(searcher, self, &*lookup, &words, last, reads)? {
                    Some(found) => settle(searcher, &self.columns, found, want, table),
                    None => Err(None),
                }
            }
            settled => settled,
        };
        let Ok(Settled {
            floor,
            candidates,
            page,
        }) = settled
        else {
            return Ok(Quick::Unsettled);
        };
        let page: Vec<u32> = page.into_iter().skip(opts.offset).collect();
        // Lower bounds: the paragraphs among the matches scanned, or the candidates' groups
        // above the floor (whole, as the page's are).
        let whole = candidates
            .groups
            .iter()
            .filter(|g| first_page::above(g.score, floor))
            .count();
        let records = scanned.len().max(candidates.rows.len());
        Ok(Quick::Page(CollapsedResults {
            total: Grouped::new(scanned, table).groups.len().max(whole),
            records,
            total_exact: false,
            records_exact: false,
            hits: self.collapsed_hits(searcher, query, opts, &candidates, &page, table)?,
        }))
    }

    /// A page of a query without word-layer terms, whose matches all score the same: its
    /// paragraphs rank by their newest version's place in the stable order. The first
    /// matches in that order are read (each segment's first ones, see [`first_bounded`]); a
    /// paragraph first met there is met in its newest version, so the first paragraphs met
    /// are the page, once there are enough of them. Their other versions are found by their
    /// texts' hashes among the records holding each text's rarest bigram (see [`holders`]).
    /// Both totals are lower bounds.
    fn by_order(
        &self,
        searcher: &Searcher,
        query: &Query,
        tq: &dyn TQuery,
        opts: SearchOptions,
        table: &Table,
    ) -> Result<Quick> {
        let want = opts.offset.saturating_add(opts.limit);
        let k = want.max(10).saturating_mul(FIRST_PER_PARAGRAPH);
        let found = first_bounded(searcher, tq, k, TOTAL_BOUND)?;
        if found.exact {
            return Ok(Quick::Unsettled);
        }
        let first = found.first;
        let mut first: Vec<DocAddress> = first.into_iter().map(|(_, addr)| addr).collect();
        // Document order: the rows are read segment by segment.
        first.sort_unstable();
        let met = Grouped::new(rows_at(searcher, &self.columns, &first)?, table);
        if met.groups.len() < want {
            return Ok(Quick::Unsettled);
        }
        let page = ranked(
            &met.groups,
            0..met.groups.len() as u32,
            Sort::Relevance,
            want,
        );
        // Every version of those texts: the page's paragraphs whole, and other paragraphs
        // of the same texts, which rank after them.
        let whole = Grouped::new(
            self.texts_versions(searcher, query, tq, &met, &page)?,
            table,
        );
        let page: Vec<u32> = ranked(
            &whole.groups,
            0..whole.groups.len() as u32,
            Sort::Relevance,
            want,
        )
        .into_iter()
        .skip(opts.offset)
        .collect();
        Ok(Quick::Page(CollapsedResults {
            total: met.groups.len().max(whole.groups.len()),
            records: found.total,
            total_exact: false,
            records_exact: false,
            hits: self.collapsed_hits(searcher, query, opts, &whole, &page, table)?,
        }))
    }

    /// A page in date order (of each paragraph's newest version) of a query with more than
    /// [`TOTAL_BOUND`] matches, from the records of a window of the latest (or earliest)
    /// dates (see [`crate::search::listing::in_date_windows`]), widened until it holds the page.
    /// A paragraph not met there ranks after every paragraph whose newest version is inside.
    /// A paragraph met there keeps its place when its newest version is inside; when that
    /// is outside (a newer session adopted on an earlier or unknown date), it ranks after
    /// those too. So the best paragraphs met are confirmed by every version of their texts
    /// (found by their hashes among the records holding each text's rarest bigram, see
    /// [`holders`]), and the page is the first confirmed ones, when they are enough.
    fn dated(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
        table: &Table,
    ) -> Result<Quick> {
        let want = opts.offset.saturating_add(opts.limit);
        let tq = self.compile(searcher, query)?;
        // Every match when at most [`TOTAL_BOUND`] (counted without scores, one past it).
        if first_bounded(searcher, &*tq, 0, TOTAL_BOUND + 1)?.exact {
            return Ok(Quick::Unsettled);
        }
        let page = in_date_windows(searcher, self.fields.date, sort, want, |dates| {
            let met = searcher.search(
                &dates.within(&*tq),
                &Gather {
                    scoring: false,
                    dates: true,
                    columns: self.columns.clone(),
                },
            )?;
            let met = Grouped::new(met, table);
            if met.groups.len() < want {
                return Ok(None);
            }
            // The best paragraphs met, some more than the page: those whose newest version
            // proves to be outside give their places to the next.
            let best = ranked(
                &met.groups,
                0..met.groups.len() as u32,
                sort,
                want.saturating_mul(CONFIRMED_PER_PARAGRAPH),
            );
            let whole = Grouped::new(
                self.texts_versions(searcher, query, &*tq, &met, &best)?,
                table,
            );
            let settled = ranked(&whole.groups, 0..whole.groups.len() as u32, sort, want);
            // Each paragraph of the page must be one of the best met, in its newest
            // version: then every paragraph ranking before it was met and confirmed.
            let newest: std::collections::HashSet<u64> = best
                .iter()
                .map(|&g| met.groups[g as usize].newest.order)
                .collect();
            if settled.len() < want
                || !settled
                    .iter()
                    .all(|&g| newest.contains(&whole.groups[g as usize].newest.order))
            {
                return Ok(Some(Quick::Unsettled));
            }
            let page: Vec<u32> = settled.into_iter().skip(opts.offset).collect();
            Ok(Some(Quick::Page(CollapsedResults {
                total: met.groups.len(),
                records: met.rows.len().max(TOTAL_BOUND),
                total_exact: false,
                records_exact: false,
                hits: self.collapsed_hits(searcher, query, opts, &whole, &page, table)?,
            })))
        })?;
        Ok(page.unwrap_or(Quick::Unsettled))
    }

    /// Every match of `tq` (compiled from `query`) holding the text of one of the `groups`
    /// of `met`, as rows to group. Each holds its text's rarest bigram: only the records
    /// holding one of those are read (see [`holders`]).
    fn texts_versions(
        &self,
        searcher: &Searcher,
        query: &Query,
        tq: &dyn TQuery,
        met: &Grouped,
        groups: &[u32],
    ) -> Result<Vec<Row>> {
        let mut folded = Vec::with_capacity(groups.len());
        let mut reader = self.reader(searcher)?;
        for &g in groups {
            let record = reader.load(met.groups[g as usize].newest.addr)?;
            folded.push(normalize::fold(&record.text));
        }
        let holders = holders(searcher, self.fields.exact, &folded)?;
        rows_of_texts(
            searcher,
            &self.columns,
            tq,
            &met.texts(groups),
            holders.as_deref(),
            query.decided_by_text(),
        )
    }

    /// Every record matching `query` (already expanded), as rows to group: scored and with
    /// dates only when asked.
    fn gather(
        &self,
        searcher: &Searcher,
        query: &Query,
        scoring: bool,
        dates: bool,
    ) -> Result<Vec<Row>> {
        let tq = self.compile(searcher, query)?;
        Ok(searcher.search(
            &tq,
            &Gather {
                scoring,
                dates,
                columns: self.columns.clone(),
            },
        )?)
    }
}

/// A collapsed first page settled by the word layer's candidates.
struct Settled {
    /// Every record left out scores at most this.
    floor: tantivy::Score,
    /// The candidates matching the query, grouped by paragraph.
    candidates: Grouped,
    /// The first paragraphs, best first, through the page's last.
    page: Vec<u32>,
}

/// The candidates `found` grouped, and the first `want` paragraphs when the last of them
/// scores above `found.floor`; else the `want`th paragraph's score, or `None` when fewer
/// paragraphs match.
fn settle(
    searcher: &Searcher,
    columns: &index::columns::Columns,
    found: first_page::Candidates,
    want: usize,
    table: &Table,
) -> std::result::Result<Settled, Option<tantivy::Score>> {
    let candidates = Grouped::new(with_hashes(searcher, columns, found.verified), table);
    let page = ranked(
        &candidates.groups,
        0..candidates.groups.len() as u32,
        Sort::Relevance,
        want,
    );
    let &last = page.get(want - 1).ok_or(None)?;
    let last = candidates.groups[last as usize].score;
    if !first_page::above(last, found.floor) {
        return Err(Some(last));
    }
    Ok(Settled {
        floor: found.floor,
        candidates,
        page,
    })
}
