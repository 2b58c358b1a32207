//! The glyphs a PDF's pages draw: each page's content stream, and the forms it draws, run
//! through the text and graphics-state operators; each glyph's text from its font, its
//! place from the text and graphics matrices, its advance from the font's widths. Fonts are
//! read once per document (by their object), not once per page.

use super::font::{dict_at, number, resolve, Font};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// One glyph: its text, left edge and baseline (from the page's top), right edge and size.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub(super) text: String,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) end: f64,
    pub(super) size: f64,
}

/// The most operators one document may run (forms drawn many times included) and the most
/// glyphs it may draw: a hostile PDF's forms drawing each other, or a page of millions of
/// characters, cannot make the work and the memory grow without bound. A resolution of 30
/// pages runs some 30,000 operators and draws some 60,000 glyphs.
const MAX_OPERATIONS: usize = 5_000_000;
const MAX_GLYPHS: usize = 4_000_000;
/// How deep forms may draw forms.
const MAX_FORM_DEPTH: usize = 12;

/// A 2-D affine matrix `[a b c d e f]`, points as rows: `[x y 1] × M`.
#[derive(Clone, Copy, Debug)]
struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `then`.
    fn then(self, then: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn of(operands: &[Object]) -> Option<Matrix> {
        let mut m = [0.0; 6];
        for (slot, o) in m.iter_mut().zip(operands) {
            *slot = number(o)?;
        }
        (operands.len() >= 6).then_some(Matrix(m))
    }
}

/// What `q` saves and `Q` restores: the graphics matrix and the text state.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scaling: f64,
    leading: f64,
    rise: f64,
}

/// Where a font's dictionary is: its object, or (a direct dictionary) its address.
#[derive(Hash, PartialEq, Eq, Clone, Copy)]
enum FontKey {
    Object(ObjectId),
    Direct(usize),
}

/// Runs a document's content streams.
struct Reader<'a> {
    doc: &'a Document,
    fonts: HashMap<FontKey, Rc<Font>>,
    operations: usize,
    drawn: usize,
    height: f64,
    glyphs: Vec<Glyph>,
}

/// The glyphs of each page of `doc`, in page order.
pub(super) fn pages(doc: &Document) -> Result<Vec<Vec<Glyph>>, String> {
    let mut reader = Reader {
        doc,
        fonts: HashMap::new(),
        operations: 0,
        drawn: 0,
        height: 0.0,
        glyphs: Vec::new(),
    };
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let page = doc
            .get_dictionary(id)
            .map_err(|e| format!("page object {} {}: {e}", id.0, id.1))?;
        let media = inherited(doc, page, b"MediaBox")
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .filter_map(|o| resolve(doc, o).and_then(number))
                    .collect::<Vec<_>>()
            })
            .filter(|a| a.len() == 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 612.0, 792.0]);
        reader.height = media[3] - media[1];
        let resources = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
        let content = doc.get_page_content(id).map_err(|e| e.to_string())?;
        let state = State {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        reader.run(&content, resources, state, &mut Vec::new())?;
        out.push(std::mem::take(&mut reader.glyphs));
    }
    Ok(out)
}

/// A page's `key`, looked up the page tree if the page does not say (at most 32 levels).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(o) = node.get(key) {
            return resolve(doc, o);
        }
        node = dict_at(doc, node, b"Parent")?;
    }
    None
}

impl<'a> Reader<'a> {
    /// The font `name` of `resources`, read once per document.
    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = dict_at(self.doc, resources?, b"Font")?;
        let entry = fonts.get(name).ok()?;
        let key = match entry {
            Object::Reference(id) => FontKey::Object(*id),
            o => FontKey::Direct(o as *const Object as usize),
        };
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let dict = resolve(self.doc, entry)?.as_dict().ok()?;
        let font = Rc::new(Font::read(self.doc, dict));
        self.fonts.insert(key, font.clone());
        Some(font)
    }

    /// Runs one content stream with its resources; `forms` are the forms being drawn.
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        mut state: State,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), String> {
        let content = Content::decode(content).map_err(|e| format!("a page's content: {e}"))?;
        self.operations += content.operations.len();
        if self.operations > MAX_OPERATIONS {
            return Err(format!(
                "more than {MAX_OPERATIONS} drawing operations; not read"
            ));
        }
        let mut stack: Vec<State> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in &content.operations {
            let args = &op.operands;
            let num = |i: usize| args.get(i).and_then(number);
            match op.operator.as_str() {
                "q" => stack.push(state.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        state = s;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::of(args) {
                        state.ctm = m.then(state.ctm);
                    }
                }
                "Tf" => {
                    state.font = args
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| self.font(resources, n));
                    state.size = num(1).unwrap_or(0.0);
                }
                "Tj" | "'" | "\"" => {
                    if op.operator != "Tj" {
                        if op.operator == "\"" {
                            state.word_spacing = num(0).unwrap_or(state.word_spacing);
                            state.char_spacing = num(1).unwrap_or(state.char_spacing);
                        }
                        tlm = Matrix::translate(0.0, -state.leading).then(tlm);
                        tm = tlm;
                    }
                    if let Some(Object::String(s, _)) = args.last() {
                        self.show(&state, &mut tm, s)?;
                    }
                }
                "TJ" => {
                    let Some(Object::Array(items)) = args.first() else {
                        continue;
                    };
                    for item in items {
                        match item {
                            Object::String(s, _) => self.show(&state, &mut tm, s)?,
                            o => {
                                if let Some(n) = number(o) {
                                    let tx = -n / 1000.0 * state.size * state.scaling;
                                    tm = Matrix::translate(tx, 0.0).then(tm);
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    let Some(name) = args.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    self.form(resources, name, &state, forms)?;
                }
                _ => text_state(op.operator.as_str(), args, &mut state, &mut tm, &mut tlm),
            }
        }
        Ok(())
    }

    /// Draws the form XObject `name` (an image or an unknown name draws no text).
    fn form(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        state: &State,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), String> {
        let Some(xobjects) = resources.and_then(|r| dict_at(self.doc, r, b"XObject")) else {
            return Ok(());
        };
        let Ok(Object::Reference(id)) = xobjects.get(name) else {
            return Ok(());
        };
        let Ok(Object::Stream(form)) = self.doc.get_object(*id) else {
            return Ok(());
        };
        if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form")
            || forms.contains(id)
            || forms.len() >= MAX_FORM_DEPTH
        {
            return Ok(());
        }
        let Ok(content) = form.decompressed_content() else {
            return Ok(());
        };
        let mut inner = state.clone();
        if let Some(m) = form
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| Matrix::of(a))
        {
            inner.ctm = m.then(inner.ctm);
        }
        let own = dict_at(self.doc, &form.dict, b"Resources").or(resources);
        forms.push(*id);
        let run = self.run(&content, own, inner, forms);
        forms.pop();
        run
    }

    /// Draws the string `s` in the current font, moving the text matrix past each glyph.
    fn show(&mut self, state: &State, tm: &mut Matrix, s: &[u8]) -> Result<(), String> {
        let Some(font) = state.font.clone() else {
            return Ok(());
        };
        let size = state.size;
        for (code, len) in font.codes(s) {
            self.drawn += 1;
            if self.drawn > MAX_GLYPHS {
                return Err(format!("more than {MAX_GLYPHS} characters drawn; not read"));
            }
            let trm = Matrix([state.scaling, 0.0, 0.0, 1.0, 0.0, state.rise])
                .then(*tm)
                .then(state.ctm);
            let w0 = font.width(code);
            let mut spacing = state.char_spacing;
            if code == 32 && len == 1 {
                spacing += state.word_spacing;
            }
            let [a, b, c, d, e, f] = trm.0;
            let (sx, sy) = (size * (a + c), size * (b + d));
            let glyph_size = (sx * sy).abs().sqrt();
            self.glyphs.push(Glyph {
                text: font.text(code, len),
                x: e,
                y: self.height - f,
                end: e + w0 * glyph_size,
                size: glyph_size,
            });
            let tx = state.scaling * (w0 * size + spacing);
            *tm = Matrix::translate(tx, 0.0).then(*tm);
        }
        Ok(())
    }
}

/// The text-state and text-positioning operators (`BT`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`,
/// `Td`, `TD`, `Tm`, `T*`); any other operator changes nothing.
fn text_state(op: &str, args: &[Object], state: &mut State, tm: &mut Matrix, tlm: &mut Matrix) {
    let num = |i: usize| args.get(i).and_then(number);
    match op {
        "BT" => {
            *tm = Matrix::IDENTITY;
            *tlm = Matrix::IDENTITY;
        }
        "Tc" => state.char_spacing = num(0).unwrap_or(0.0),
        "Tw" => state.word_spacing = num(0).unwrap_or(0.0),
        "Tz" => state.scaling = num(0).unwrap_or(100.0) / 100.0,
        "TL" => state.leading = num(0).unwrap_or(0.0),
        "Ts" => state.rise = num(0).unwrap_or(0.0),
        "Td" | "TD" => {
            let (x, y) = (num(0).unwrap_or(0.0), num(1).unwrap_or(0.0));
            if op == "TD" {
                state.leading = -y;
            }
            *tlm = Matrix::translate(x, y).then(*tlm);
            *tm = *tlm;
        }
        "Tm" => {
            if let Some(m) = Matrix::of(args) {
                *tlm = m;
                *tm = m;
            }
        }
        "T*" => {
            *tlm = Matrix::translate(0.0, -state.leading).then(*tlm);
            *tm = *tlm;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A document whose pages draw `contents`, with a simple font `/L` (WinAnsi, widths from
    /// code 32) and a composite font `/C` (Identity-H, a ToUnicode map, `/W` in both forms),
    /// and the forms `forms` (name, content) as XObjects.
    fn doc(contents: &[&str], forms: &[(&str, &str)]) -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let latin = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Latin",
            "Encoding" => "WinAnsiEncoding", "FirstChar" => 32,
            "Widths" => vec![250.into(), 300.into(), 400.into(), 500.into()],
        });
        let map = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
            1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
            2 beginbfchar\n<0001> <6838>\n<0002> <6B66>\nendbfchar\n\
            1 beginbfrange\n<0010> <0012> <0031>\nendbfrange\n\
            endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, map.as_bytes().to_vec()));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "CJK", "DW" => 1000,
            "W" => vec![1.into(), vec![Object::Integer(1000), 800.into()].into(), 16.into(), 18.into(), 500.into()],
        });
        let cjk = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "CJK",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => to_unicode,
        });
        let mut xobjects = Dictionary::new();
        let form_ids: Vec<ObjectId> = forms.iter().map(|_| doc.new_object_id()).collect();
        for ((name, _), id) in forms.iter().zip(&form_ids) {
            xobjects.set(name.as_bytes().to_vec(), Object::Reference(*id));
        }
        let resources = doc.add_object(dictionary! {
            "Font" => dictionary! { "L" => latin, "C" => cjk },
            "XObject" => xobjects,
        });
        for ((_, content), id) in forms.iter().zip(&form_ids) {
            let form = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => resources },
                content.as_bytes().to_vec(),
            );
            doc.objects.insert(*id, Object::Stream(form));
        }
        let kids: Vec<Object> = contents
            .iter()
            .map(|c| {
                let content = doc.add_object(Stream::new(dictionary! {}, c.as_bytes().to_vec()));
                doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                })
                .into()
            })
            .collect();
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count,
                "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    /// Each glyph as (text, x, baseline from the top, right edge, size), rounded to 0.01.
    fn drawn(page: &[Glyph]) -> Vec<(String, f64, f64, f64, f64)> {
        let r = |v: f64| (v * 100.0).round() / 100.0;
        page.iter()
            .map(|g| (g.text.clone(), r(g.x), r(g.y), r(g.end), r(g.size)))
            .collect()
    }

    fn g(t: &str, x: f64, y: f64, end: f64, size: f64) -> (String, f64, f64, f64, f64) {
        (t.to_string(), x, y, end, size)
    }

    #[test]
    fn a_composite_fonts_codes_map_and_advance_by_its_widths_on_every_page() {
        let page = "BT /C 10 Tf 100 700 Td <00010002> Tj [<0010> -1000 <0012>] TJ <0003> Tj ET";
        let d = doc(&[page, page], &[]);
        let pages = pages(&d).unwrap();
        let expected = vec![
            g("核", 100.0, 100.0, 110.0, 10.0),
            g("武", 110.0, 100.0, 118.0, 10.0),
            g("1", 118.0, 100.0, 123.0, 10.0),
            // The TJ adjustment of -1000 moves one em right.
            g("3", 133.0, 100.0, 138.0, 10.0),
            // Code 3 is not in the map (no text) and takes the default width.
            g("", 138.0, 100.0, 148.0, 10.0),
        ];
        assert_eq!(drawn(&pages[0]), expected);
        assert_eq!(
            drawn(&pages[1]),
            expected,
            "the font read once serves page 2"
        );
    }

    #[test]
    fn a_simple_fonts_spacing_operators_and_line_moves() {
        // `"` sets word spacing 2 and character spacing 1, then moves a line down (leading 12).
        let page = "BT /L 10 Tf 12 TL 50 700 Td (! ) Tj 2 1 (\" !) \" 0 0 Td (#) ' ET";
        let pages = pages(&doc(&[page], &[])).unwrap();
        assert_eq!(
            drawn(&pages[0]),
            vec![
                g("!", 50.0, 100.0, 53.0, 10.0),
                g(" ", 53.0, 100.0, 55.5, 10.0),
                // Next line: `"` → 3 + 1 (char spacing) after `"`, the space gets 2.5 + 1 + 2.
                g("\"", 50.0, 112.0, 54.0, 10.0),
                g(" ", 55.0, 112.0, 57.5, 10.0),
                g("!", 60.5, 112.0, 63.5, 10.0),
                g("#", 50.0, 124.0, 55.0, 10.0),
            ]
        );
    }

    #[test]
    fn the_graphics_matrix_scales_and_q_restores_it() {
        let page =
            "q 2 0 0 2 0 0 cm BT /L 10 Tf 10 10 Td (!) Tj ET Q BT /L 10 Tf 10 10 Td (!) Tj ET \
                    BT /L 1 Tf 10 0 0 10 300 400 Tm 50 Tz 3 Ts (!) Tj ET";
        let pages = pages(&doc(&[page], &[])).unwrap();
        assert_eq!(
            drawn(&pages[0]),
            vec![
                g("!", 20.0, 780.0, 26.0, 20.0),
                g("!", 10.0, 790.0, 13.0, 10.0),
                // Horizontal scaling narrows the glyph; the rise lifts it by 3 × 10.
                g("!", 300.0, 370.0, 302.12, 7.07),
            ]
        );
    }

    #[test]
    fn forms_are_drawn_and_a_form_that_draws_itself_ends() {
        let forms = [
            ("Fa", "BT /L 10 Tf 0 0 Td (!) Tj ET /Fa Do /Fb Do"),
            ("Fb", "BT /L 10 Tf 20 0 Td (#) Tj ET /Fa Do"),
        ];
        let pages = pages(&doc(&["1 0 0 1 100 100 cm /Fa Do /Nothing Do"], &forms)).unwrap();
        let texts: Vec<String> = pages[0].iter().map(|g| g.text.clone()).collect();
        assert_eq!(texts, ["!", "#"]);
        assert_eq!((pages[0][0].x, pages[0][1].x), (100.0, 120.0));
    }

    #[test]
    fn forms_drawing_each_other_many_times_cost_bounded_work() {
        // Each form draws the next ten times: 10^12 drawings, refused once the operations
        // pass the bound.
        let names: Vec<String> = (0..13).map(|i| format!("F{i}")).collect();
        let contents: Vec<String> = (0..13)
            .map(|i| match names.get(i + 1) {
                Some(next) => format!("/{next} Do ").repeat(10),
                None => "BT /L 10 Tf (!) Tj ET".into(),
            })
            .collect();
        let forms: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(contents.iter().map(String::as_str))
            .collect();
        let err = pages(&doc(&["/F0 Do"], &forms)).unwrap_err();
        assert!(err.contains("drawing operations"), "{err}");
    }

    #[test]
    fn a_page_of_millions_of_characters_is_refused() {
        let page = format!("BT /L 1 Tf ({}) Tj ET", "!".repeat(MAX_GLYPHS + 1));
        let err = pages(&doc(&[&page], &[])).unwrap_err();
        assert!(err.contains("characters drawn"), "{err}");
    }
}
