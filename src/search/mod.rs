//! Searching: `query` reads the query language, `request` is the one question an index is
//! asked ([`crate::Request`] → [`crate::Answer`]), `compile` turns a query into tantivy
//! queries over the index's two layers (exact bigrams decide, jieba words rank), and the
//! views answer it: `records` (pages of records, with `first_page` settling a broad
//! query's first page without visiting every match), `listing` (by resolution, by session,
//! by date) and `collapse` (one paragraph a series). `highlight` marks the matches. Takes an
//! open [`crate::Index`]; hands answers to the command line and the server.

pub(crate) mod answer;
pub(crate) mod collapse;
pub(crate) mod compile;
pub(crate) mod exclusion;
pub(crate) mod first_page;
pub(crate) mod highlight;
pub(crate) mod listing;
pub(crate) mod ordered;
pub(crate) mod params;
pub(crate) mod phrase;
pub(crate) mod prefix;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod request;

use crate::error::Result;
use crate::index::Index;
use answer::Answer;
use request::{Request, View};

impl Index {
    /// [`Index::search`]'s work.
    pub(crate) fn answer(&self, request: &Request) -> Result<Answer> {
        let query = &*crate::search::query::expand(&request.query);
        let opts = request.options();
        // A total that is a lower bound is never below the hits already shown: a page past
        // the bound says "at least 1103", not "at least 1000 … showing 1101–1103".
        let shown = |n: usize| request.offset.saturating_add(n);
        Ok(match request.view {
            View::Records => {
                let mut page = self.record_page(query, opts, request.sort)?;
                if !page.total_exact {
                    page.total = page.total.max(shown(page.hits.len()));
                }
                Answer::Records(page)
            }
            View::Paragraphs => {
                let mut page = self.paragraph_page(query, opts, request.sort)?;
                if !page.total_exact {
                    page.total = page.total.max(shown(page.hits.len()));
                }
                Answer::Paragraphs(page)
            }
            View::Resolutions => {
                Answer::Resolutions(self.resolutions(query, opts, request.sort)?)
            }
            View::Sessions => Answer::Sessions(self.sessions(query, opts, request.sort)?),
        })
    }
}
