//! References as people write them: a record of a resolution ([`RecordRef`]: `op.3`,
//! `pre.5`, `fn.2`, `annex.1`) and a resolution or one of its records ([`Reference`]:
//! `A/RES/78/46`, `A/RES/78/47 A`, `A/RES/78/46 op.3`, `A/RES/78/47 A op.3`). Each is read
//! with `FromStr` and written with `Display`, so that the command line, the API and the
//! page read and write them alike.

use crate::error::Error;
use crate::model::Kind;
use std::fmt;
use std::str::FromStr;

/// One record of a resolution: its kind and its number (`op.3`; also `operative.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordRef {
    /// Preamble, operative, footnote or annex.
    pub kind: Kind,
    /// The paragraph's or footnote's number.
    pub number: u32,
}

impl FromStr for RecordRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |message: String| Error::Param {
            name: "ref",
            message: format!("record reference `{}`: {message}", shorten(s)),
        };
        let Some((k, n)) = s.split_once('.') else {
            return Err(bad("expected op.N, pre.N, fn.N or annex.N".into()));
        };
        let kind = Kind::parse(k).ok_or_else(|| {
            bad(format!(
                "unknown kind `{}` (op, pre, fn, annex)",
                shorten(k)
            ))
        })?;
        let number = n
            .parse()
            .map_err(|e| bad(format!("`{}` is not a number: {e}", shorten(n))))?;
        Ok(RecordRef { kind, number })
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.kind.short(), self.number)
    }
}

/// A resolution (its symbol, and its part where it has several), or one record of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The symbol, `A/RES/78/47`.
    pub symbol: String,
    /// The part letter (`A`), written after the symbol.
    pub part: Option<String>,
    /// The record, written last (`op.3`).
    pub record: Option<RecordRef>,
}

impl FromStr for Reference {
    type Err = Error;

    /// Reads `SYMBOL [PART] [REF]`, the words split by whitespace: a part is one to three
    /// Latin letters (not a kind such as `op`), a record reference holds a full stop.
    fn from_str(s: &str) -> Result<Self, Error> {
        let mut words = s.split_whitespace();
        let Some(symbol) = words.next() else {
            return Err(Error::Param {
                name: "symbol",
                message: "a resolution's symbol is needed, such as A/RES/78/46".into(),
            });
        };
        let mut reference = Reference {
            symbol: symbol.to_string(),
            part: None,
            record: None,
        };
        for word in words {
            // `op` alone is a record reference lacking its number, not a part.
            let is_kind = Kind::parse(word).is_some();
            let is_part = (1..=3).contains(&word.len())
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && !is_kind;
            if is_part && reference.part.is_none() && reference.record.is_none() {
                reference.part = Some(word.to_string());
            } else if reference.record.is_none() && (word.contains('.') || is_kind) {
                reference.record = Some(word.parse()?);
            } else {
                return Err(Error::Param {
                    name: "symbol",
                    message: format!(
                        "`{}`: expected a symbol, a part letter and a record reference (A/RES/78/47 A op.3)",
                        shorten(s)
                    ),
                });
            }
        }
        Ok(reference)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.symbol)?;
        if let Some(part) = &self.part {
            write!(f, " {part}")?;
        }
        if let Some(record) = &self.record {
            write!(f, " {record}")?;
        }
        Ok(())
    }
}

fn shorten(v: &str) -> String {
    crate::search::params::shorten(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_back_as_they_are_written() {
        for s in [
            "A/RES/78/46",
            "A/RES/78/47 A",
            "A/RES/78/46 op.3",
            "A/RES/78/47 B pre.12",
            "A/RES/78/46 fn.2",
            "A/RES/78/46 annex.1",
        ] {
            let r: Reference = s.parse().unwrap();
            assert_eq!(r.to_string(), s);
        }
        let r: Reference = "  A/RES/78/47   A  operative.3 ".parse().unwrap();
        assert_eq!(r.part.as_deref(), Some("A"));
        assert_eq!(
            r.record,
            Some(RecordRef {
                kind: Kind::Operative,
                number: 3
            })
        );
        assert_eq!(r.to_string(), "A/RES/78/47 A op.3");
    }

    #[test]
    fn a_kind_without_its_number_is_a_bad_record_not_a_part() {
        let message = |s: &str| s.parse::<Reference>().unwrap_err().to_string();
        assert_eq!(
            message("A/RES/78/46 op"),
            "record reference `op`: expected op.N, pre.N, fn.N or annex.N"
        );
        assert_eq!(
            message("A/RES/78/47 B fn"),
            "record reference `fn`: expected op.N, pre.N, fn.N or annex.N"
        );
        let r: Reference = "A/RES/78/47 B op.3".parse().unwrap();
        assert_eq!(r.part.as_deref(), Some("B"));
    }

    #[test]
    fn bad_references_say_what_is_wrong() {
        let message = |s: &str| s.parse::<RecordRef>().unwrap_err().to_string();
        assert_eq!(
            message("op"),
            "record reference `op`: expected op.N, pre.N, fn.N or annex.N"
        );
        assert_eq!(
            message("xx.1"),
            "record reference `xx.1`: unknown kind `xx` (op, pre, fn, annex)"
        );
        assert!(message("op.-1").starts_with("record reference `op.-1`: `-1` is not a number"));
        assert!("".parse::<Reference>().is_err());
        assert!("A/RES/78/46 op.3 op.4".parse::<Reference>().is_err());
        assert!("A/RES/78/46 op.x".parse::<Reference>().is_err());
    }
}
