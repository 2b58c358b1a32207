//! The library's one way to ask an index ([`unres::Index::search`] with a
//! [`unres::Request`]), wrapped the ways the tests ask it: every matching record, a count, a
//! page of records or of paragraphs with a given page and order.
#![allow(dead_code)]

use unres::{Answer, CollapsedResults, Index, Query, Record, Request, SearchResults, Sort, View};

/// A page as the tests ask for it: where it starts, how long it is, and whether totals must
/// count every match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
    pub exact_total: bool,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 10,
            exact_total: false,
        }
    }
}

/// The options of one page twice: as a search takes them (a broad query's totals may be
/// lower bounds, its page settled without every match) and counting every match.
pub fn quick_and_full(offset: usize, limit: usize) -> (Page, Page) {
    let quick = Page {
        offset,
        limit,
        exact_total: false,
    };
    (
        quick,
        Page {
            exact_total: true,
            ..quick
        },
    )
}

fn ask(idx: &Index, query: &Query, view: View, sort: Sort, page: Page) -> Answer {
    idx.search(&Request {
        query: query.clone(),
        view,
        sort,
        offset: page.offset,
        limit: page.limit,
        exact_total: page.exact_total,
    })
    .unwrap_or_else(|e| panic!("{query:?}: {e}"))
}

/// A page of records in the order asked for.
pub fn page(idx: &Index, query: &Query, page: Page, sort: Sort) -> SearchResults {
    match ask(idx, query, View::Records, sort, page) {
        Answer::Records(r) => r,
        other => panic!("records asked, {other:?} answered"),
    }
}

/// A page of paragraphs, one a series, in the order asked for.
pub fn collapsed(idx: &Index, query: &Query, page: Page, sort: Sort) -> CollapsedResults {
    match ask(idx, query, View::Paragraphs, sort, page) {
        Answer::Paragraphs(r) => r,
        other => panic!("paragraphs asked, {other:?} answered"),
    }
}

/// The number of records matching.
pub fn count(idx: &Index, query: &Query) -> usize {
    let counts = Page {
        offset: 0,
        limit: 0,
        exact_total: true,
    };
    let answer = ask(idx, query, View::Records, Sort::Relevance, counts);
    assert!(answer.total_exact());
    answer.total()
}

/// The number of paragraphs matching, one a series.
pub fn count_collapsed(idx: &Index, query: &Query) -> usize {
    let counts = Page {
        offset: 0,
        limit: 0,
        exact_total: true,
    };
    collapsed(idx, query, counts, Sort::Relevance).total
}

/// Every record matching; a query without text of its own gives them in the index's stable
/// order (resolution, then record order).
pub fn records(idx: &Index, query: &Query) -> Vec<Record> {
    let all = Page {
        offset: 0,
        limit: usize::MAX,
        exact_total: true,
    };
    page(idx, query, all, Sort::Relevance)
        .hits
        .into_iter()
        .map(|h| h.record)
        .collect()
}
