//! A PDF font as text extraction needs it: how its strings split into character codes
//! (one byte, two, or a CJK encoding's one-or-two), each code's Unicode text (its ToUnicode
//! map, else its simple encoding, else a UCS-2 CMap's own value) and its advance. A font is
//! read once per document and its codes' texts remembered, whatever page draws it.

use super::cmap::ToUnicode;
use lopdf::{Dictionary, Document, Object};
use std::cell::RefCell;
use std::collections::HashMap;

/// How a font's strings split into codes.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Codes {
    /// A simple font: one byte a code.
    One,
    /// A composite font with two-byte codes (`Identity-H`, the UCS-2 CMaps).
    Two,
    /// A composite font with a CJK multi-byte encoding: bytes below 0x80 alone, others in pairs.
    Euc,
}

/// One font of a document, ready to decode its strings.
pub(super) struct Font {
    codes: Codes,
    /// The font's ToUnicode map.
    map: Option<ToUnicode>,
    /// A simple font's text of each byte (empty: none known).
    simple: Vec<String>,
    /// The code is its own UTF-16 value (`UniGB-UCS2-H` and the like without a map).
    ucs2: bool,
    /// Advances in glyph space, by code; `default` for the others.
    widths: HashMap<u32, f64>,
    default: f64,
    /// Glyph space to text space (1/1000 but for Type 3 fonts).
    scale: f64,
    /// Composite codes' texts already looked up.
    seen: RefCell<HashMap<u32, String>>,
}

/// The number `o` holds (an integer or a real), if any.
pub(super) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// `o` with references followed.
pub(super) fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// The dictionary `dict[key]` names, references followed.
pub(super) fn dict_at<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match resolve(doc, dict.get(key).ok()?)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The array `dict[key]` names, references followed.
fn array_at<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    resolve(doc, dict.get(key).ok()?)?.as_array().ok()
}

/// The number `dict[key]` names, references followed.
fn number_at(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f64> {
    number(resolve(doc, dict.get(key).ok()?)?)
}

impl Font {
    /// The font the dictionary `dict` describes.
    pub(super) fn read(doc: &Document, dict: &Dictionary) -> Font {
        let mut font = Font {
            codes: Codes::One,
            map: to_unicode(doc, dict),
            simple: Vec::new(),
            ucs2: false,
            widths: HashMap::new(),
            default: 0.0,
            scale: 0.001,
            seen: RefCell::new(HashMap::new()),
        };
        match dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Type0") => font.read_composite(doc, dict),
            Ok(subtype) => font.read_simple(doc, dict, subtype == b"Type3"),
            Err(_) => font.read_simple(doc, dict, false),
        }
        font
    }

    /// A composite font's code length (from its CMap's name) and its CID font's widths.
    fn read_composite(&mut self, doc: &Document, dict: &Dictionary) {
        let encoding = dict
            .get(b"Encoding")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let name = String::from_utf8_lossy(encoding);
        self.codes = if name.contains("EUC") || name.starts_with("GBK") || name.starts_with("GBT") {
            Codes::Euc
        } else {
            Codes::Two
        };
        self.ucs2 = name.contains("UCS2") || name.contains("UTF16");
        self.default = 1000.0;
        let descendant = array_at(doc, dict, b"DescendantFonts")
            .and_then(|a| a.first())
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(cid) = descendant {
            if let Some(dw) = number_at(doc, cid, b"DW") {
                self.default = dw;
            }
            if let Some(w) = array_at(doc, cid, b"W") {
                self.widths = cid_widths(doc, w);
            }
        }
    }

    /// A simple font's text of each byte (its map, else its encoding) and its widths.
    fn read_simple(&mut self, doc: &Document, dict: &Dictionary, type3: bool) {
        let map = self.map.take();
        let encoding = dict.get_font_encoding(doc).ok();
        self.simple = (0..=255u8)
            .map(|b| {
                let from_map = map.as_ref().and_then(|m| m.get(u32::from(b), 1));
                from_map
                    .or_else(|| encoding.as_ref()?.bytes_to_string(&[b]).ok())
                    .filter(|s| !s.contains('\u{fffd}'))
                    .unwrap_or_default()
            })
            .collect();
        let first = number_at(doc, dict, b"FirstChar").unwrap_or(0.0) as u32;
        if let Some(w) = array_at(doc, dict, b"Widths") {
            for (i, o) in w.iter().enumerate() {
                let code = first.checked_add(i as u32);
                if let (Some(c), Some(n)) = (code, resolve(doc, o).and_then(number)) {
                    self.widths.insert(c, n);
                }
            }
        }
        self.default = dict_at(doc, dict, b"FontDescriptor")
            .and_then(|d| number_at(doc, d, b"MissingWidth"))
            .filter(|w| *w > 0.0)
            // A standard font drawn without its widths: about half an em.
            .unwrap_or(if self.widths.is_empty() { 500.0 } else { 0.0 });
        if type3 {
            if let Some(a) = array_at(doc, dict, b"FontMatrix").and_then(|m| m.first()) {
                self.scale = number(a).unwrap_or(0.001);
            }
        }
    }

    /// The codes of the string `bytes`, each with its length in bytes.
    pub(super) fn codes<'b>(&self, bytes: &'b [u8]) -> impl Iterator<Item = (u32, usize)> + 'b {
        let codes = self.codes;
        let mut i = 0;
        std::iter::from_fn(move || {
            let b = *bytes.get(i)?;
            let len = match codes {
                Codes::One => 1,
                Codes::Two => 2,
                Codes::Euc => {
                    if b < 0x80 {
                        1
                    } else {
                        2
                    }
                }
            }
            .min(bytes.len() - i);
            let code = bytes[i..i + len]
                .iter()
                .fold(0u32, |c, &b| c << 8 | u32::from(b));
            i += len;
            Some((code, len))
        })
    }

    /// The advance of `code` in text space units (before the font size).
    pub(super) fn width(&self, code: u32) -> f64 {
        self.widths.get(&code).copied().unwrap_or(self.default) * self.scale
    }

    /// The text of `code` (empty when the font does not say).
    pub(super) fn text(&self, code: u32, len: usize) -> String {
        if self.codes == Codes::One {
            return self.simple.get(code as usize).cloned().unwrap_or_default();
        }
        if let Some(t) = self.seen.borrow().get(&code) {
            return t.clone();
        }
        let from_map = self.map.as_ref().and_then(|m| m.get(code, len as u8));
        let text = from_map
            .or_else(|| {
                self.ucs2
                    .then(|| char::from_u32(code).map(String::from))
                    .flatten()
            })
            .filter(|s| !s.contains('\u{fffd}'))
            .unwrap_or_default();
        self.seen.borrow_mut().insert(code, text.clone());
        text
    }
}

/// The font's ToUnicode map, if it has one.
fn to_unicode(doc: &Document, dict: &Dictionary) -> Option<ToUnicode> {
    let stream = resolve(doc, dict.get(b"ToUnicode").ok()?)?
        .as_stream()
        .ok()?;
    Some(ToUnicode::parse(&stream.get_plain_content().ok()?))
}

/// A CID font's `/W` array: `c [w1 w2 …]` gives codes c, c+1, …; `c1 c2 w` gives c1..=c2.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = resolve(doc, &w[i]).and_then(number) else {
            break;
        };
        match w.get(i + 1).and_then(|o| resolve(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, o) in ws.iter().enumerate() {
                    let code = (first as u32).checked_add(k as u32);
                    if let (Some(c), Some(n)) = (code, resolve(doc, o).and_then(number)) {
                        out.insert(c, n);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(n)) = (
                    number(o),
                    w.get(i + 2).and_then(|o| resolve(doc, o)).and_then(number),
                ) else {
                    break;
                };
                // A range is at most a CID font's 65,536 codes.
                let (first, last) = (
                    first as u32,
                    (last as u32).min((first as u32).saturating_add(0xFFFF)),
                );
                for c in first..=last {
                    out.insert(c, n);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn widths_at_the_end_of_the_code_space_and_nonsense_ones_do_not_overflow() {
        let doc = Document::with_version("1.7");
        let top = Object::Integer(i64::from(u32::MAX));
        let simple = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "FirstChar" => top.clone(),
            "Widths" => vec![Object::Integer(250), Object::Integer(300)],
        };
        let font = Font::read(&doc, &simple);
        let w = |f: &Font, c: u32| (f.width(c) * 1000.0).round();
        assert_eq!(w(&font, u32::MAX), 250.0);
        let cid = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2",
            "W" => vec![
                top.clone(), vec![Object::Integer(400), Object::Integer(500)].into(),
                Object::Integer(-5), top, Object::Integer(700),
                Object::Real(f32::NAN), Object::Name(b"junk".to_vec()),
            ],
        };
        let composite = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(cid)],
        };
        let font = Font::read(&doc, &composite);
        assert_eq!(w(&font, u32::MAX), 400.0);
        assert_eq!(
            w(&font, 0xFFFF),
            700.0,
            "a range from -5 (0) to the top, cut at 65,536 codes"
        );
        assert_eq!(font.width(0x1_0000), 1.0, "past the cut: the default width");
        assert_eq!(
            font.codes(&[0x12, 0x34, 0x56]).collect::<Vec<_>>(),
            [(0x1234, 2), (0x56, 1)]
        );
    }
}
