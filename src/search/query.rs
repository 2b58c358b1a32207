//! The query language: plain text matched literally (whitespace-insensitive, folded),
//! space-separated terms all required, `"..."` keeping its spaces, `-term` excluding,
//! `a OR b`, and filters `kind:`, `session:`, `year:`, `symbol:`, `cites:`. Parsing is a
//! single linear pass with hard limits, so no input can make it slow; errors point at the
//! offending part by column.

use crate::model::Kind;
use std::borrow::Cow;
use std::fmt;

/// At most this many characters in a query.
pub const MAX_QUERY_CHARS: usize = 4096;
/// At most this many characters in one text term.
pub const MAX_TERM_CHARS: usize = 512;
/// At most this many terms (counting each side of every OR).
pub const MAX_TERMS: usize = 256;

/// A query that could not be understood: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at column {column}{}: {message}", fragment_note(.fragment))]
pub struct QueryError {
    /// 1-based column (in characters) of the offending part.
    pub column: usize,
    /// The offending part, as typed.
    pub fragment: String,
    /// What is wrong and what was expected.
    pub message: String,
}

fn fragment_note(fragment: &str) -> String {
    if fragment.is_empty() {
        String::new()
    } else {
        let shown: String = fragment.chars().take(40).collect();
        let more = if fragment.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        format!(" (`{shown}{more}`)")
    }
}

/// One thing a record must (or must not) match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// Text the record must contain (as typed; folded when matched).
    Text(String),
    /// `kind:operative`
    Kind(Kind),
    /// `session:78`
    Session(u32),
    /// `session:70-78`: a range of sessions, both ends included.
    Sessions(u32, u32),
    /// `year:2023`
    Year(u32),
    /// `symbol:A/RES/78/46`
    Symbol(String),
    /// `cites:A/RES/77/71`
    Cites(String),
}

/// Atoms joined by OR, possibly negated as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// True for `-term`: records matching it are excluded.
    pub negated: bool,
    /// At least one must match (a single atom without OR).
    pub any_of: Vec<Atom>,
}

/// A parsed query: every clause must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The clauses, in the order typed.
    pub clauses: Vec<Clause>,
}

impl Query {
    /// The text atoms that are not negated: what to highlight.
    pub fn positive_texts(&self) -> impl Iterator<Item = &str> {
        self.clauses
            .iter()
            .filter(|c| !c.negated)
            .flat_map(|c| c.any_of.iter())
            .filter_map(|a| match a {
                Atom::Text(t) => Some(t.as_str()),
                _ => None,
            })
    }

    /// Whether a record's kind and folded text alone decide if it matches (every atom is a
    /// text or a kind, negated or not): then every record of the same kind and text (the
    /// same `text_hash`) matches when one does.
    pub(crate) fn decided_by_text(&self) -> bool {
        self.clauses
            .iter()
            .flat_map(|c| &c.any_of)
            .all(|a| matches!(a, Atom::Text(_) | Atom::Kind(_)))
    }

    /// Adds a clause that must hold (used for filters given as flags).
    pub fn require(&mut self, atom: Atom) {
        self.clauses.push(Clause {
            negated: false,
            any_of: vec![atom],
        });
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Atom::Text(t) => write!(f, "{t:?}"),
            Atom::Kind(k) => write!(f, "kind:{k}"),
            Atom::Session(s) => write!(f, "session:{s}"),
            Atom::Sessions(a, b) => write!(f, "session:{a}-{b}"),
            Atom::Year(y) => write!(f, "year:{y}"),
            Atom::Symbol(s) => write!(f, "symbol:{s}"),
            Atom::Cites(s) => write!(f, "cites:{s}"),
        }
    }
}

/// The filter fields the language knows.
pub(crate) const FIELDS: [&str; 5] = ["kind", "session", "year", "symbol", "cites"];

/// A piece of the query as typed: a word or a quoted string, with its column.
struct Piece {
    column: usize,
    raw: String,
    negated: bool,
    quoted: bool,
    /// `field:` when the piece is a filter.
    field: Option<String>,
    value: String,
}

fn err(column: usize, fragment: &str, message: impl Into<String>) -> QueryError {
    QueryError {
        column,
        fragment: fragment.into(),
        message: message.into(),
    }
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let n = input.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(err(
            MAX_QUERY_CHARS + 1,
            "",
            format!("the query is too long ({n} characters; at most {MAX_QUERY_CHARS})"),
        ));
    }
    let pieces = split(input)?;
    if pieces.is_empty() {
        return Err(err(
            1,
            "",
            "the query is empty; type some text or a filter such as kind:operative",
        ));
    }
    let mut query = Query::default();
    let mut terms = 0usize;
    let mut i = 0;
    while i < pieces.len() {
        let p = &pieces[i];
        if is_or(p) {
            return Err(err(p.column, &p.raw, "OR needs a term on each side"));
        }
        let mut clause = Clause {
            negated: p.negated,
            any_of: vec![atom(p)?],
        };
        i += 1;
        while i < pieces.len() && is_or(&pieces[i]) {
            let or = &pieces[i];
            let Some(next) = pieces.get(i + 1).filter(|n| !is_or(n)) else {
                return Err(err(or.column, &or.raw, "OR needs a term on each side"));
            };
            if next.negated || clause.negated {
                let at = if next.negated { next } else { p };
                return Err(err(
                    at.column,
                    &at.raw,
                    "a negated term (-term) cannot be part of OR",
                ));
            }
            clause.any_of.push(atom(next)?);
            i += 2;
        }
        terms += clause.any_of.len();
        if terms > MAX_TERMS {
            return Err(err(
                p.column,
                &p.raw,
                format!("too many terms (at most {MAX_TERMS})"),
            ));
        }
        query.clauses.push(clause);
    }
    Ok(query)
}

fn is_or(p: &Piece) -> bool {
    !p.quoted && !p.negated && p.field.is_none() && p.value == "OR"
}

/// A range of sessions `a-b` (first ≤ last), or one session when both ends are the same.
fn sessions(a: &str, b: &str) -> Option<Atom> {
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Some(Atom::Sessions(a, b)),
        std::cmp::Ordering::Equal => Some(Atom::Session(a)),
        std::cmp::Ordering::Greater => None,
    }
}

/// Reads a session filter's value as the query language does (`78`, `70-78`): what the
/// `--session` flag and the server's `session` parameter take. The error says what was
/// expected, with the column counted in `value`.
pub fn parse_sessions(value: &str) -> Result<Atom, QueryError> {
    const PREFIX: usize = "session:".len();
    let query = parse(&format!("session:{value}")).map_err(|e| QueryError {
        column: e.column.saturating_sub(PREFIX).max(1),
        fragment: value.to_string(),
        message: e.message.replace("`session:` takes", "it takes"),
    })?;
    match query.clauses.as_slice() {
        [clause] if !clause.negated && clause.any_of.len() == 1 => Ok(clause.any_of[0].clone()),
        _ => Err(err(
            1,
            value,
            "expected one session or a range (e.g. 78 or 70-78)",
        )),
    }
}

fn atom(p: &Piece) -> Result<Atom, QueryError> {
    let Some(field) = &p.field else {
        if crate::text::normalize::fold(&p.value).is_empty() {
            return Err(err(
                p.column,
                &p.raw,
                "this term is empty once spaces are removed",
            ));
        }
        if p.value.chars().count() > MAX_TERM_CHARS {
            return Err(err(
                p.column,
                &p.raw,
                format!("this term is too long (at most {MAX_TERM_CHARS} characters)"),
            ));
        }
        return Ok(Atom::Text(p.value.clone()));
    };
    let v = p.value.trim();
    if v.is_empty() {
        return Err(err(p.column, &p.raw, format!("`{field}:` needs a value")));
    }
    let number = |what: &str| -> Result<u32, QueryError> {
        v.parse::<u32>().map_err(|_| {
            err(
                p.column,
                &p.raw,
                format!("`{field}:` takes a number ({what}), not `{v}`"),
            )
        })
    };
    match field.as_str() {
        "kind" => Kind::parse(v).map(Atom::Kind).ok_or_else(|| {
            err(
                p.column,
                &p.raw,
                format!("unknown kind `{v}`; expected preamble, operative, footnote or annex"),
            )
        }),
        "session" => match v
            .split_once(['-', '–'])
            .filter(|(a, b)| !a.trim().is_empty() && !b.trim().is_empty())
        {
            Some((a, b)) => sessions(a, b).ok_or_else(|| {
                err(
                    p.column,
                    &p.raw,
                    format!(
                        "`session:` takes a range of two sessions, first to last (e.g. 70-78), not `{v}`"
                    ),
                )
            }),
            None => number("e.g. 78").map(Atom::Session),
        },
        "year" => number("e.g. 2023").map(Atom::Year),
        "symbol" => Ok(Atom::Symbol(v.to_string())),
        "cites" => Ok(Atom::Cites(v.to_string())),
        other => Err(err(
            p.column,
            &p.raw,
            format!(
                "unknown field `{other}:`; known fields are {} (quote the text to search it literally)",
                FIELDS.map(|f| format!("{f}:")).join(", ")
            ),
        )),
    }
}

/// The value of a piece starting at `i`: a quoted string whole, or the text up to the
/// next space; whether it was quoted, and where it ends.
fn value_at(chars: &[char], i: usize) -> Result<(String, bool, usize), QueryError> {
    if i < chars.len() && matches!(chars[i], '"' | '“' | '”') {
        let open = i;
        let close = chars[open + 1..]
            .iter()
            .position(|c| matches!(c, '"' | '“' | '”'))
            .map(|p| open + 1 + p);
        let Some(close) = close else {
            let rest: String = chars[open..].iter().collect();
            return Err(err(open + 1, &rest, "unbalanced quote: no closing \""));
        };
        Ok((
            chars[open + 1..close].iter().collect::<String>(),
            true,
            close + 1,
        ))
    } else {
        let end = chars[i..]
            .iter()
            .position(|c| c.is_whitespace())
            .map_or(chars.len(), |p| i + p);
        let v: String = chars[i..end].iter().collect();
        if v.contains(['"', '“', '”']) {
            let at = i + chars[i..end]
                .iter()
                .position(|c| matches!(c, '"' | '“' | '”'))
                .unwrap_or(0);
            return Err(err(at + 1, &v, "a quote must open or close a whole term"));
        }
        Ok((v, false, end))
    }
}

/// Splits the input into pieces on whitespace, keeping quoted strings whole.
fn split(input: &str) -> Result<Vec<Piece>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let negated = chars[i] == '-';
        if negated {
            i += 1;
        }
        // `field:` prefix: ASCII letters then a colon.
        let mut field = None;
        let word_end = chars[i..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(chars.len(), |p| i + p);
        if word_end > i && word_end < chars.len() && matches!(chars[word_end], ':' | '：') {
            field = Some(
                chars[i..word_end]
                    .iter()
                    .collect::<String>()
                    .to_ascii_lowercase(),
            );
            i = word_end + 1;
        }
        let (value, quoted, end) = value_at(&chars, i)?;
        i = end;
        let raw: String = chars[start..i].iter().collect();
        if value.is_empty() && field.is_none() && !quoted {
            return Err(err(
                start + 1,
                &raw,
                "a lone `-` excludes nothing; write -term",
            ));
        }
        if i < chars.len() && !chars[i].is_whitespace() {
            let rest_end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |p| i + p);
            let frag: String = chars[start..rest_end].iter().collect();
            return Err(err(
                i + 1,
                &frag,
                "text right after a closing quote; add a space",
            ));
        }
        pieces.push(Piece {
            column: start + 1,
            raw,
            negated,
            quoted,
            field,
            value,
        });
    }
    Ok(pieces)
}

/// The query with every text that holds traditional characters searched as typed OR in
/// simplified characters; borrowed unchanged when there are none.
pub(crate) fn expand(query: &Query) -> Cow<'_, Query> {
    let any = query.clauses.iter().any(|c| {
        c.any_of.iter().any(
            |a| matches!(a, Atom::Text(t) if t.chars().any(crate::text::traditional::converts)),
        )
    });
    if !any {
        return Cow::Borrowed(query);
    }
    let mut out = query.clone();
    for clause in &mut out.clauses {
        let mut atoms = Vec::with_capacity(clause.any_of.len());
        for atom in clause.any_of.drain(..) {
            let simplified = match &atom {
                Atom::Text(t) => crate::text::traditional::to_simplified(t),
                _ => Vec::new(),
            };
            atoms.push(atom);
            atoms.extend(simplified.into_iter().map(Atom::Text));
        }
        clause.any_of = atoms;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Atom {
        Atom::Text(s.into())
    }

    #[test]
    fn plain_terms_filters_negation_and_or() {
        let q = parse("小武器 kind:operative -妇女 行动纲领 OR 国际追查文书").unwrap();
        assert_eq!(q.clauses.len(), 4);
        assert_eq!(q.clauses[0].any_of, [text("小武器")]);
        assert_eq!(q.clauses[1].any_of, [Atom::Kind(Kind::Operative)]);
        assert!(q.clauses[2].negated);
        assert_eq!(
            q.clauses[3].any_of,
            [text("行动纲领"), text("国际追查文书")]
        );
    }

    #[test]
    fn quotes_keep_spaces_and_fields_take_values() {
        let q = parse("\"2022 年 6 月\" cites:A/RES/77/71 session:78 year:2023 symbol:A/RES/78/46")
            .unwrap();
        assert_eq!(q.clauses[0].any_of, [text("2022 年 6 月")]);
        assert_eq!(q.clauses[1].any_of, [Atom::Cites("A/RES/77/71".into())]);
        assert_eq!(q.clauses[2].any_of, [Atom::Session(78)]);
        assert_eq!(q.clauses[3].any_of, [Atom::Year(2023)]);
        assert_eq!(q.clauses[4].any_of, [Atom::Symbol("A/RES/78/46".into())]);
    }

    #[test]
    fn errors_point_at_the_offending_part() {
        let e = parse("小武器 \"行动纲领").unwrap_err();
        assert_eq!(e.column, 5);
        assert!(e.message.contains("unbalanced quote"));
        let e = parse("小武器 colour:red").unwrap_err();
        assert_eq!((e.column, e.fragment.as_str()), (5, "colour:red"));
        assert!(e.message.contains("unknown field `colour:`"));
        assert!(parse("").unwrap_err().message.contains("empty"));
        assert!(parse("   ").unwrap_err().message.contains("empty"));
        assert!(parse("OR 小武器").unwrap_err().message.contains("OR needs"));
        assert!(parse("小武器 OR").unwrap_err().message.contains("OR needs"));
        assert!(parse("kind:weapon")
            .unwrap_err()
            .message
            .contains("unknown kind"));
        assert!(parse("session:seventy")
            .unwrap_err()
            .message
            .contains("takes a number"));
        assert!(parse("\"  \"").unwrap_err().message.contains("empty"));
        assert!(parse("a -b OR c").unwrap_err().message.contains("negated"));
        let long = "武".repeat(MAX_QUERY_CHARS + 1);
        assert!(parse(&long).unwrap_err().message.contains("too long"));
        let many = vec!["a"; MAX_TERMS + 1].join(" OR ");
        assert!(parse(&many).unwrap_err().message.contains("too many"));
    }

    #[test]
    fn error_messages_name_column_and_fragment() {
        let e = parse("小武器 colour:red").unwrap_err().to_string();
        assert!(
            e.starts_with("query error at column 5 (`colour:red`): unknown field"),
            "{e}"
        );
    }

    #[test]
    fn expand_adds_the_simplified_form_beside_the_typed_one() {
        let q = parse("輕武器 -婦女 小武器").unwrap();
        let e = expand(&q);
        assert_eq!(
            e.clauses[0].any_of,
            [Atom::Text("輕武器".into()), Atom::Text("轻武器".into())]
        );
        assert!(e.clauses[1].negated);
        assert_eq!(
            e.clauses[1].any_of,
            [Atom::Text("婦女".into()), Atom::Text("妇女".into())]
        );
        assert_eq!(e.clauses[2].any_of, [Atom::Text("小武器".into())]);
        let simple = parse("轻武器").unwrap();
        assert!(matches!(expand(&simple), Cow::Borrowed(_)));
    }
}
