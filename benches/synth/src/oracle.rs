//! The exact-scan oracle: how many records match a query, found by scanning the parsed
//! records without any index. Every test and benchmark that checks the index's counts
//! asks this one module.

use rayon::prelude::*;
use unres::{fold, Atom, Kind, Query, Record};

/// One record as the scan sees it.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// Kind of record.
    pub kind: Kind,
    /// Folded text (NFKC, lower case, no whitespace): what the exact layer matches.
    pub folded: String,
    /// Cited symbols, folded like the `cites:` filter folds them.
    pub cites: Vec<String>,
}

impl Scanned {
    /// The scan's view of a record.
    pub fn of(r: &Record) -> Scanned {
        Scanned {
            kind: r.kind,
            folded: fold(&r.text),
            cites: r.cites.iter().map(|c| fold(c)).collect(),
        }
    }
}

/// Every record's scan view, folded in parallel.
pub fn scan_all(records: &[Record]) -> Vec<Scanned> {
    records.par_iter().map(Scanned::of).collect()
}

/// The folded texts a text query matches: as typed, and in simplified characters when it
/// holds traditional ones (`著` is also searched as `着`), as the index searches it.
pub fn needles(text: &str) -> Vec<String> {
    let mut out = vec![fold(text)];
    out.extend(unres::to_simplified(text).iter().map(|s| fold(s)));
    out
}

/// How many records hold `needle` (folded, or its simplified forms): the count the exact
/// layer must give.
pub fn count_text(records: &[Record], needle: &str) -> usize {
    let needles = needles(needle);
    records
        .par_iter()
        .filter(|r| {
            let folded = fold(&r.text);
            needles.iter().any(|n| folded.contains(n.as_str()))
        })
        .count()
}

/// How many records match `query`: the number the index must return. Text is matched as
/// a folded substring (as typed or in simplified characters); `kind:` and `cites:` as the query language says (`cites:` holds for
/// paragraphs, not footnotes).
///
/// # Panics
///
/// On a filter the scan does not model (`session:`, `year:`, `symbol:`).
pub fn expected(records: &[Scanned], query: &Query) -> usize {
    let atom_holds = |r: &Scanned, a: &Atom| match a {
        Atom::Text(t) => needles(t).iter().any(|n| r.folded.contains(n.as_str())),
        Atom::Kind(k) => r.kind == *k,
        Atom::Cites(s) => r.kind != Kind::Footnote && r.cites.contains(&fold(s)),
        other => panic!("the exact scan does not handle {other}"),
    };
    records
        .par_iter()
        .filter(|r| {
            query
                .clauses
                .iter()
                .all(|c| c.any_of.iter().any(|a| atom_holds(r, a)) != c.negated)
        })
        .count()
}
