//! A font's ToUnicode map read leniently: the `bfchar` and `bfrange` sections wherever they
//! stand, whatever the header around them says, each source code keyed by its length in
//! bytes. What a typesetter writes (Word, LibreOffice, Ghostscript) and a hand-made map with
//! no header alike give their mappings; what cannot be read is passed over.

use std::collections::HashMap;

/// The longest range a map may give (a two-byte font's whole code space).
const MAX_RANGE: u32 = 0xFFFF;

/// A ToUnicode map: single codes and ranges of codes, each to its text.
#[derive(Default, Debug)]
pub(super) struct ToUnicode {
    chars: HashMap<(u8, u32), String>,
    ranges: Vec<Range>,
}

/// Codes `lo..=hi` of `len` bytes.
#[derive(Debug)]
struct Range {
    lo: u32,
    hi: u32,
    len: u8,
    to: Target,
}

#[derive(Debug)]
enum Target {
    /// The first code's UTF-16 text; each next code adds one to its last unit.
    Start(Vec<u16>),
    /// Each code's own text.
    Each(Vec<String>),
}

/// A token of a CMap: a hex string's bytes, an array's bracket, or any other word.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(&'a [u8]),
}

/// The tokens of `data`, comments and literal strings passed over.
fn tokens(data: &[u8]) -> impl Iterator<Item = Token<'_>> {
    let mut i = 0;
    std::iter::from_fn(move || loop {
        let &b = data.get(i)?;
        match b {
            b'%' => {
                while data.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' => i += 1,
            b'<' => {
                let end = data[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(data.len(), |n| i + n);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .filter_map(|c| (*c as char).to_digit(16).map(|d| d as u8))
                    .collect();
                i = end + 1;
                let bytes = digits
                    .chunks(2)
                    .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
                    .collect();
                return Some(Token::Hex(bytes));
            }
            b'(' => {
                let mut depth = 0;
                while let Some(&c) = data.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            b'[' => {
                i += 1;
                return Some(Token::Open);
            }
            b']' => {
                i += 1;
                return Some(Token::Close);
            }
            c if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let start = i;
                while data.get(i).is_some_and(|&c| {
                    !c.is_ascii_whitespace() && !b"%<>[]()".contains(&c) && c != 0
                }) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                return Some(Token::Word(&data[start..i]));
            }
        }
    })
}

/// A code (1 to 4 bytes) and its length.
fn code(bytes: &[u8]) -> Option<(u32, u8)> {
    (1..=4).contains(&bytes.len()).then(|| {
        let c = bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
        (c, bytes.len() as u8)
    })
}

/// UTF-16BE bytes as units.
fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| u16::from(p[0]) << 8 | u16::from(p.get(1).copied().unwrap_or(0)))
        .collect()
}

impl ToUnicode {
    /// The map the stream `data` holds.
    pub(super) fn parse(data: &[u8]) -> ToUnicode {
        let mut map = ToUnicode::default();
        let mut tokens = tokens(data);
        while let Some(t) = tokens.next() {
            match t {
                Token::Word(b"beginbfchar") => {
                    while let Some(Token::Hex(src)) = tokens.next() {
                        let Some(Token::Hex(dst)) = tokens.next() else {
                            break;
                        };
                        if let Some((c, len)) = code(&src) {
                            map.chars
                                .insert((len, c), String::from_utf16_lossy(&units(&dst)));
                        }
                    }
                }
                Token::Word(b"beginbfrange") => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.next(), tokens.next())
                    {
                        let to = match tokens.next() {
                            Some(Token::Hex(dst)) => Target::Start(units(&dst)),
                            Some(Token::Open) => {
                                let mut each = Vec::new();
                                while let Some(Token::Hex(dst)) = tokens.next() {
                                    each.push(String::from_utf16_lossy(&units(&dst)));
                                }
                                Target::Each(each)
                            }
                            _ => break,
                        };
                        if let (Some((lo, len)), Some((hi, _))) = (code(&lo), code(&hi)) {
                            if lo <= hi && hi - lo <= MAX_RANGE {
                                map.ranges.push(Range { lo, hi, len, to });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        map
    }

    /// The text of `code` of `len` bytes, if the map gives one.
    pub(super) fn get(&self, code: u32, len: u8) -> Option<String> {
        if let Some(t) = self.chars.get(&(len, code)) {
            return Some(t.clone());
        }
        let r = self
            .ranges
            .iter()
            .rev()
            .find(|r| r.len == len && (r.lo..=r.hi).contains(&code))?;
        let k = (code - r.lo) as usize;
        match &r.to {
            Target::Start(start) => {
                let mut u = start.clone();
                let last = u.last_mut()?;
                *last = last.wrapping_add(k as u16);
                Some(String::from_utf16_lossy(&u))
            }
            Target::Each(each) => each.get(k).cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_and_ranges_in_either_form_with_or_without_a_header() {
        let text = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            % a comment <0009> <0041>\n\
            2 beginbfchar <0001> <6838> <0002><D83DDE00> endbfchar\n\
            2 beginbfrange <0010> <0012> <0031>\n<0020> <0021> [<0066006C> <6B66>] endbfrange\n\
            1 beginbfchar <41> <0061> endbfchar endcmap";
        let map = ToUnicode::parse(text);
        assert_eq!(map.get(1, 2).as_deref(), Some("核"));
        assert_eq!(map.get(2, 2).as_deref(), Some("😀"));
        assert_eq!(map.get(0x11, 2).as_deref(), Some("2"));
        assert_eq!(map.get(0x12, 2).as_deref(), Some("3"));
        assert_eq!(map.get(0x13, 2), None);
        assert_eq!(map.get(0x20, 2).as_deref(), Some("fl"));
        assert_eq!(map.get(0x21, 2).as_deref(), Some("武"));
        assert_eq!(map.get(9, 2), None, "a comment maps nothing");
        // One byte and two are different codes.
        assert_eq!(map.get(0x41, 1).as_deref(), Some("a"));
        assert_eq!(map.get(0x41, 2), None);
        // The same sections with nothing around them.
        let bare = ToUnicode::parse(b"beginbfchar <0001> <6838> endbfchar");
        assert_eq!(bare.get(1, 2).as_deref(), Some("核"));
    }

    #[test]
    fn what_cannot_be_read_is_passed_over() {
        for junk in [
            &b""[..],
            b"beginbfchar <0001>",
            b"beginbfrange <0001> <0000> <0041> endbfrange",
            b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange",
            b"beginbfrange [ ] ] << >> ( ( ) endbfrange",
            b"beginbfchar <> <0041> <0102030405> <0041> endbfchar",
        ] {
            let map = ToUnicode::parse(junk);
            assert!(
                map.chars.is_empty() && map.ranges.is_empty(),
                "{junk:?}: {map:?}"
            );
        }
    }
}
