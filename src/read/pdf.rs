//! A PDF's text with its positions (read by `content` over lopdf: CJK Type0/CID fonts
//! through their ToUnicode maps), laid out as an extractor prints a page: lines by their
//! baseline, top to bottom, a form feed between pages, a paragraph's first line indented,
//! a superscript footnote marker kept on its line, the space glyphs the typesetter drew
//! kept and no space invented from a justified line's gaps. The parser reads that text
//! as it reads `pdftotext -layout` output (`parse::extracted`).

use super::content::{self, Glyph};
use crate::error::{Error, Result};
use std::path::Path;

/// Does `bytes` hold a PDF (`%PDF-` in its first kilobyte, as readers accept it)?
pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// The text of the PDF `bytes` (read from `path`), laid out line by line.
pub(crate) fn pdf_text(path: &Path, bytes: &[u8]) -> Result<String> {
    let fail = |message: String| Error::Decode {
        path: path.into(),
        line: 1,
        message,
    };
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        fail(format!(
            "not a readable PDF ({e}); the file is damaged or truncated"
        ))
    })?;
    check_streams(&doc).map_err(fail)?;
    if doc.is_encrypted() {
        return Err(fail(
            "an encrypted PDF; unres reads PDFs without a password (save a decrypted copy: `qpdf --decrypt IN OUT`)".into(),
        ));
    }
    // A malformed font or content stream must not take the run down: the file fails,
    // the run goes on.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| content::pages(&doc)));
    let pages = match run {
        Ok(Ok(pages)) => Pages { pages },
        Ok(Err(e)) => return Err(fail(format!("a PDF whose text cannot be read ({e})"))),
        Err(_) => {
            return Err(fail(
                "a PDF whose text cannot be read (malformed content)".into(),
            ))
        }
    };
    let text = pages.layout();
    if text
        .trim_start_matches(crate::parse::extracted::DRAWN)
        .trim()
        .is_empty()
    {
        return Err(fail(
            "a PDF with no text layer (a scan?); unres reads the text a PDF holds, it does no OCR"
                .into(),
        ));
    }
    Ok(text)
}

/// The most a PDF's streams may expand to, each and all together: a resolution's PDF
/// holds fonts and page contents of some megabytes; a compressed stream that expands past
/// this is a decompression bomb, refused before any is expanded in full.
const MAX_STREAM_BYTES: u64 = 64 << 20;
const MAX_STREAMS_BYTES: u64 = 256 << 20;

/// Refuses a PDF whose Flate streams expand past [`MAX_STREAM_BYTES`] each or
/// [`MAX_STREAMS_BYTES`] together, reading at most that much of each.
fn check_streams(doc: &lopdf::Document) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut total = 0u64;
    for object in doc.objects.values() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let flate = match stream.dict.get(b"Filter") {
            Ok(lopdf::Object::Name(n)) => n == b"FlateDecode",
            Ok(lopdf::Object::Array(a)) => a
                .iter()
                .any(|f| matches!(f, lopdf::Object::Name(n) if n == b"FlateDecode")),
            _ => false,
        };
        if !flate {
            continue;
        }
        let mut inflated =
            flate2::read::ZlibDecoder::new(&stream.content[..]).take(MAX_STREAM_BYTES + 1);
        let n = std::io::copy(&mut inflated, &mut std::io::sink()).unwrap_or(0);
        total += n;
        if n > MAX_STREAM_BYTES || total > MAX_STREAMS_BYTES {
            return Err(format!(
                "a PDF whose compressed streams expand past {} MiB; not read",
                if n > MAX_STREAM_BYTES {
                    MAX_STREAM_BYTES >> 20
                } else {
                    MAX_STREAMS_BYTES >> 20
                }
            ));
        }
    }
    Ok(())
}

/// The glyphs of every page, as the PDF draws them.
struct Pages {
    pages: Vec<Vec<Glyph>>,
}

/// A line of a page: its glyphs left to right, its baseline and its main size.
struct Line {
    glyphs: Vec<Glyph>,
    y: f64,
    size: f64,
}

impl Pages {
    /// The pages as text: each line of each page, a form feed between pages.
    fn layout(&self) -> String {
        let lines: Vec<Vec<Line>> = self.pages.iter().map(|p| lines_of(p)).collect();
        // The body's left margin and size: those of most characters.
        let margin = most_common(lines.iter().flatten().filter_map(|l| {
            let first = l.glyphs.iter().find(|g| !g.text.trim().is_empty())?;
            Some((first.x * 2.0).round() as i64)
        }))
        .map_or(0.0, |m| m as f64 / 2.0);
        // The body's size: that of most glyphs. Smaller lines are the footnote area's (and
        // the page furniture's), marked for the reader.
        let body = most_common(
            self.pages
                .iter()
                .flatten()
                .filter(|g| !g.text.trim().is_empty())
                .map(|g| (g.size * 2.0).round() as i64),
        )
        .map_or(0.0, |m| m as f64 / 2.0);
        let mut out = String::from(crate::parse::extracted::DRAWN);
        for (i, page) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\u{c}');
            }
            for line in page {
                if line.size < body * 0.9 {
                    out.push(crate::parse::extracted::SMALL_TYPE);
                }
                out.push_str(&line_text(line, margin));
                out.push('\n');
            }
        }
        out
    }
}

/// The value met most often.
fn most_common(values: impl Iterator<Item = i64>) -> Option<i64> {
    let mut counts = std::collections::HashMap::new();
    for v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, std::cmp::Reverse(v)))
        .map(|(v, _)| v)
}

/// A page's glyphs grouped into lines: a glyph joins the line whose baseline is within
/// half its size (a superscript marker, raised by about a third, stays on its line).
fn lines_of(glyphs: &[Glyph]) -> Vec<Line> {
    let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for g in sorted {
        let size = g.size.max(1.0);
        match lines.last_mut() {
            Some(l) if (g.y - l.y).abs() <= 0.5 * size.max(l.size) => {
                if g.size > l.size {
                    l.size = g.size;
                    l.y = g.y;
                }
                l.glyphs.push(g.clone());
            }
            _ => lines.push(Line {
                glyphs: vec![g.clone()],
                y: g.y,
                size,
            }),
        }
    }
    for l in &mut lines {
        l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line's text: indented by six spaces when it starts past the margin by a third of its
/// size (a paragraph's first line, a footnote's wrapped line), glyphs in order, a space
/// where a gap wider than nine tenths of the size has no space glyph (a tab, the gap after a
/// footnote's number). A run of superscript digits (smaller, raised) is marked as one
/// ([`crate::parse::extracted::SUPERSCRIPT`]); at a line's start (a footnote's number set
/// as superscript) it is a number followed by a gap.
fn line_text(line: &Line, margin: f64) -> String {
    use crate::parse::extracted::SUPERSCRIPT;
    let mut out = String::new();
    let Some(first) = line.glyphs.iter().find(|g| !g.text.trim().is_empty()) else {
        return out;
    };
    if first.x > margin + line.size / 3.0 {
        out.push_str("      ");
    }
    let superscript = |g: &Glyph| {
        g.size < line.size * 0.8
            && g.y < line.y - line.size * 0.15
            && !g.text.is_empty()
            && g.text.chars().all(|c| c.is_ascii_digit())
    };
    let mut last_end: Option<f64> = None;
    let mut in_super = false;
    let glyphs: Vec<&Glyph> = line
        .glyphs
        .iter()
        .skip_while(|g| g.text.trim().is_empty())
        .collect();
    for (i, g) in glyphs.iter().enumerate() {
        if let Some(end) = last_end {
            if g.x - end > line.size * 0.9 && !out.ends_with(' ') && !g.text.starts_with(' ') {
                out.push_str("  ");
            }
        }
        let sup = superscript(g);
        if sup && !in_super && i > 0 {
            out.push(SUPERSCRIPT);
        }
        if in_super && !sup && i > 0 && out.trim_end().chars().all(|c| c.is_ascii_digit()) {
            // A line opened by a superscript number: a footnote's number.
            out.push_str("  ");
        }
        in_super = sup;
        out.push_str(&g.text);
        last_end = Some(g.end);
    }
    out.trim_end().to_string()
}
