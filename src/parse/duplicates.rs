//! One symbol and part, one resolution. A corpus folder sooner or later holds the same
//! resolution twice (downloaded again, saved in two encodings, an advance version beside the
//! final one). The rule, the same for `unres index` and `unres export`: of the files giving
//! one resolution, the one with the shortest path is read (the first in byte order among
//! equally long paths), and the others are left out and named. Paths are compared as the
//! records name them ([`crate::read`]'s shown paths), so the choice depends on the files
//! alone, never on the order they were met in or on their times.

use crate::model::Resolution;
use crate::parse::corpus::Parsed;
use std::collections::BTreeMap;
use std::fmt;

/// Several files giving the same resolution (symbol and part), and which one was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    /// The symbol, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// The part letter of a multi-part resolution.
    pub part: Option<String>,
    /// The file read, as records name it.
    pub kept: String,
    /// The files left out, in the order of the rule.
    pub others: Vec<String>,
    /// Whether every file left out gives the same text as the one kept (records equal but
    /// for their file and line).
    pub identical: bool,
}

/// The files a line names at most; the others are counted.
const NAMED_AT_MOST: usize = 10;

impl fmt::Display for Duplicate {
    /// `A/RES/78/46 is in 2 files; kept corpus/a.txt, left out corpus/b.txt (identical text)`;
    /// a file giving the resolution more than once is named once, with the count
    /// (`corpus/b.txt (3 times)`; `is 3 times in corpus/a.txt; kept the first` when it is
    /// the only one), and past ten files left out the rest are counted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.symbol)?;
        if let Some(p) = &self.part {
            write!(f, " {p}")?;
        }
        // The files left out in the rule's order, each once, with how often.
        let mut files: Vec<(&str, usize)> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for o in &self.others {
            match at.get(o.as_str()) {
                Some(&i) => files[i].1 += 1,
                None => {
                    at.insert(o, files.len());
                    files.push((o, 1));
                }
            }
        }
        let in_kept = files
            .iter()
            .position(|(file, _)| *file == self.kept)
            .map(|i| files.remove(i).1);
        let times = |n: usize| {
            if n > 1 {
                format!(" ({n} times)")
            } else {
                String::new()
            }
        };
        let copies = self.others.len() + 1;
        match in_kept {
            Some(_) if files.is_empty() => {
                write!(f, " is {copies} times in {}; kept the first", self.kept)?;
            }
            _ => {
                write!(f, " is in {} files; kept {}", files.len() + 1, self.kept)?;
                if let Some(n) = in_kept {
                    write!(f, " (the first of {} there)", n + 1)?;
                }
                let named: Vec<String> = files
                    .iter()
                    .take(NAMED_AT_MOST)
                    .map(|(file, n)| format!("{file}{}", times(*n)))
                    .collect();
                write!(f, ", left out {}", named.join(", "))?;
                if files.len() > NAMED_AT_MOST {
                    write!(f, " and {} more", files.len() - NAMED_AT_MOST)?;
                }
            }
        }
        write!(
            f,
            " ({})",
            match (self.identical, self.others.len()) {
                (true, _) => "identical text",
                (false, 1) => "different text",
                (false, _) => "texts differ",
            }
        )
    }
}

/// One resolution read from a file, as the rule sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Member<'a> {
    /// The file, as its records name it.
    pub file: &'a str,
    /// The symbol.
    pub symbol: &'a str,
    /// The part letter.
    pub part: Option<&'a str>,
    /// [`text_hash`] of the resolution.
    pub text: u64,
}

/// What the rule decided for some members: which are left out (same order), and the
/// duplicates in order of symbol and part.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    /// `left_out[i]` for member `i`.
    pub left_out: Vec<bool>,
    /// Every resolution given by more than one member.
    pub duplicates: Vec<Duplicate>,
}

/// Applies the rule to `members`: in each group of one symbol and part (symbols compared
/// without regard to case, width or spaces), the member with the shortest file path is
/// kept, the first in byte order among equally long ones, and the first in `members`
/// among equal paths.
pub(crate) fn decide(members: &[Member<'_>]) -> Decision {
    let mut groups: BTreeMap<(String, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        groups
            .entry((crate::text::normalize::fold(m.symbol), m.part))
            .or_default()
            .push(i);
    }
    let mut decision = Decision {
        left_out: vec![false; members.len()],
        duplicates: Vec::new(),
    };
    for group in groups.into_values().filter(|g| g.len() > 1) {
        let mut group = group;
        group.sort_by_key(|&i| (members[i].file.chars().count(), members[i].file, i));
        let kept = &members[group[0]];
        for &i in &group[1..] {
            decision.left_out[i] = true;
        }
        decision.duplicates.push(Duplicate {
            symbol: kept.symbol.to_string(),
            part: kept.part.map(str::to_string),
            kept: kept.file.to_string(),
            others: group[1..]
                .iter()
                .map(|&i| members[i].file.to_string())
                .collect(),
            identical: group[1..].iter().all(|&i| members[i].text == kept.text),
        });
    }
    decision
}

/// A hash of what a resolution says: everything but the file it came from and the lines
/// its records start on (a copy in another encoding, or with other line ends, hashes the
/// same).
pub(crate) fn text_hash(r: &Resolution) -> u64 {
    let mut r = r.clone();
    r.file.clear();
    for p in &mut r.paragraphs {
        p.line = 0;
    }
    for n in &mut r.footnotes {
        n.line = 0;
    }
    xxhash_rust::xxh3::xxh3_64(&serde_json::to_vec(&r).expect("a resolution serializes"))
}

/// Leaves out of `parsed` the resolutions that the rule leaves out of an index of the same
/// files (what `unres export` does), and returns the duplicates found.
pub fn drop_duplicates(parsed: &mut [Parsed]) -> Vec<Duplicate> {
    let hashes: Vec<Vec<u64>> = parsed
        .iter()
        .map(|p| match &p.result {
            Ok(rs) => rs.iter().map(text_hash).collect(),
            Err(_) => Vec::new(),
        })
        .collect();
    let mut members = Vec::new();
    for (p, hashes) in parsed.iter().zip(&hashes) {
        if let Ok(rs) = &p.result {
            members.extend(rs.iter().zip(hashes).map(|(r, &text)| Member {
                file: &r.file,
                symbol: &r.symbol,
                part: r.part.as_deref(),
                text,
            }));
        }
    }
    let decision = decide(&members);
    let mut left_out = decision.left_out.into_iter();
    for p in parsed.iter_mut() {
        if let Ok(rs) = &mut p.result {
            rs.retain(|_| !left_out.next().expect("one flag a resolution"));
        }
    }
    decision.duplicates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member<'a>(file: &'a str, symbol: &'a str, part: Option<&'a str>, text: u64) -> Member<'a> {
        Member {
            file,
            symbol,
            part,
            text,
        }
    }

    #[test]
    fn a_file_giving_a_resolution_again_is_named_once_with_the_count() {
        let dup = |kept: &str, others: &[&str]| {
            Duplicate {
                symbol: "A/RES/78/47".into(),
                part: Some("A".into()),
                kept: kept.into(),
                others: others.iter().map(|s| s.to_string()).collect(),
                identical: false,
            }
            .to_string()
        };
        assert_eq!(
            dup("a.txt", &["a.txt", "a.txt"]),
            "A/RES/78/47 A is 3 times in a.txt; kept the first (texts differ)"
        );
        assert_eq!(
            dup("a.txt", &["a.txt", "b.txt", "c.txt", "b.txt"]),
            "A/RES/78/47 A is in 3 files; kept a.txt (the first of 2 there), left out b.txt (2 times), c.txt (texts differ)"
        );
        assert_eq!(
            dup("a.txt", &["b.txt"]),
            "A/RES/78/47 A is in 2 files; kept a.txt, left out b.txt (different text)"
        );
        let many: Vec<String> = (0..12).map(|i| format!("f{i:02}.txt")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let line = dup("a.txt", &many);
        assert!(
            line.starts_with("A/RES/78/47 A is in 13 files; kept a.txt, left out f00.txt, ")
                && line.ends_with("f09.txt and 2 more (texts differ)"),
            "{line}"
        );
    }

    #[test]
    fn the_shortest_path_then_the_first_in_byte_order_is_kept() {
        let members = [
            member("corpus/A_RES_78_46 (1).txt", "A/RES/78/46", None, 1),
            member("corpus/A_RES_78_46.txt", "A/RES/78/46", None, 1),
            member("corpus/b.txt", "A/RES/78/47", Some("A"), 2),
            member("corpus/a.txt", "A/RES/78/47", Some("B"), 3),
            member("corpus/z.txt", "A/RES/78/48", None, 4),
            member("corpus/y.txt", "a/res/78/48", None, 5),
        ];
        let d = decide(&members);
        assert_eq!(d.left_out, [true, false, false, false, true, false]);
        assert_eq!(d.duplicates.len(), 2);
        assert_eq!(
            d.duplicates[0].to_string(),
            "A/RES/78/46 is in 2 files; kept corpus/A_RES_78_46.txt, left out corpus/A_RES_78_46 (1).txt (identical text)"
        );
        assert_eq!(
            d.duplicates[1].to_string(),
            "a/res/78/48 is in 2 files; kept corpus/y.txt, left out corpus/z.txt (different text)"
        );
    }
}
