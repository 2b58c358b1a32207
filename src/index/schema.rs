//! The index's schema: its fields (the exact layer, the word layer, filters and fast
//! fields), the tokenizers they use, and the tantivy document made of each record.

use crate::index::order::{date_key, key_is_unique, order_key, ORDER};
use crate::index::packed::Packer;
use crate::index::stored::{self, KIND, LINE, PARA};
use crate::model::{Record, Resolution};
use crate::text::normalize;
use crate::text::tokenize::{self, BigramTokenizer, BIGRAM, WORDS};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index as TantivyIndex, TantivyDocument};

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// The export record as JSON, its resolution's facts in its first record only (stored
    /// only; see [`crate::index::stored`]).
    pub record: Field,
    /// Folded text as character bigrams with positions.
    pub exact: Field,
    /// jieba's whole words of two characters or more, without frequencies.
    pub words: Field,
    /// The [`tokenize::FREQUENT`] characters the folded text holds, one token each.
    pub chars: Field,
    /// Cited document symbols, lower-cased, one token each.
    pub cites: Field,
    /// The resolution's symbol, lower-cased, one token.
    pub symbol: Field,
    /// The source file's key (its path from the index folder, [`file_key`]), one token (to delete its records),
    /// and the token of its resolution in the file ([`part_term`]).
    pub file: Field,
    /// Session number.
    pub session: Field,
    /// Year.
    pub year: Field,
    /// Kind code (see [`crate::Kind::code`]).
    pub kind: Field,
    /// Stable order: newer session first, then resolution number, part, record order.
    pub order: Field,
    /// Paragraph or footnote number (also a fast field: a record is read back with it).
    pub para: Field,
    /// The record's line in its file (fast field only: a record is read back with it).
    pub line: Field,
    /// Adoption date as the number YYYYMMDD (0 when unknown).
    pub date: Field,
    /// xxh3 hash of the folded text, seeded with the kind code (fast field: `search
    /// --collapse` groups on it).
    pub text_hash: Field,
}

/// Builds the schema.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Only the word layer is scored by BM25, so only it keeps field norms: the exact layer
    // decides at a constant score, and the other fields are filters.
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic),
    );
    let token = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    // One value a record, the characters separated by spaces (one value is cheaper to index
    // than one each).
    let chars = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    let filter = NumericOptions::default().set_indexed();
    let fields = Fields {
        record: b.add_bytes_field("record", STORED),
        exact: b.add_text_field("exact", exact),
        words: b.add_text_field(WORDS_FIELD, words),
        chars: b.add_text_field("chars", chars),
        cites: b.add_text_field("cites", token.clone()),
        symbol: b.add_text_field("symbol", token.clone()),
        file: b.add_text_field("file", token),
        session: b.add_u64_field("session", filter.clone().set_fast()),
        year: b.add_u64_field("year", filter.clone()),
        kind: b.add_u64_field(KIND, filter.clone().set_fast()),
        order: b.add_u64_field(ORDER, FAST),
        para: b.add_u64_field(PARA, filter.clone().set_fast()),
        line: b.add_u64_field(LINE, FAST),
        date: b.add_u64_field(DATE, filter.set_fast()),
        text_hash: b.add_u64_field(TEXT_HASH, FAST),
    };
    (b.build(), fields)
}

pub(crate) fn register_tokenizers(index: &TantivyIndex) {
    index
        .tokenizers()
        .register(BIGRAM, TextAnalyzer::from(BigramTokenizer::default()));
    index
        .tokenizers()
        .register(WORDS, TextAnalyzer::from(WhitespaceTokenizer::default()));
}

/// The name of the word layer's field.
pub(crate) const WORDS_FIELD: &str = "words";
/// The name of the date's fast field, read per document when sorting by date.
pub(crate) const DATE: &str = "date";
/// The name of the folded text's hash, read per document by `search --collapse`.
pub(crate) const TEXT_HASH: &str = "text_hash";

/// The documents of some resolutions of one file, those `wanted` says (by their place in
/// the file): one per paragraph and footnote. `source` identifies the file in the index
/// (see [`file_key`]).
pub(crate) fn documents<'a>(
    fields: &'a Fields,
    packer: &'a Packer,
    jieba: &'a jieba_rs::Jieba,
    source: &'a str,
    resolutions: &'a [Resolution],
    wanted: &'a dyn Fn(usize) -> bool,
) -> impl Iterator<Item = TantivyDocument> + 'a {
    resolutions
        .iter()
        .enumerate()
        .filter(move |&(pi, _)| wanted(pi))
        .flat_map(move |(pi, r)| {
            let part = part_term(source, pi);
            let res = stored::resolution_id(&part);
            let unique = key_is_unique(&r.symbol, r.session, r.part.as_deref());
            let mut compressor = packer.compressor();
            r.records().into_iter().enumerate().map(move |(seq, rec)| {
                let order = order_key(&rec, seq);
                let stored = stored::encode(&rec, res, seq == 0, unique);
                let stored = packer.pack(&mut compressor, &stored);
                let mut doc = document(fields, jieba, source, &rec, order, stored);
                doc.add_text(fields.file, &part);
                doc
            })
        })
}

/// The `file` term of the records of one resolution of a file (the one at `place` in it),
/// beside the file's own term: what deletes them alone when the file's other resolutions
/// stay (see [`crate::index::build`] on duplicates). A path holds no NUL.
pub(crate) fn part_term(source: &str, place: usize) -> String {
    format!("{source}\u{0}{place}")
}

/// A document's length in the word layer, in words, as tantivy counts it (tokens split at
/// ASCII whitespace; a token over [`tantivy::tokenizer::MAX_TOKEN_LEN`] bytes is dropped).
pub(crate) fn word_count(fields: &Fields, doc: &TantivyDocument) -> u64 {
    use tantivy::schema::Value;
    doc.get_first(fields.words)
        .and_then(|v| v.as_str())
        .map_or(0, |words| {
            words
                .split_ascii_whitespace()
                .filter(|w| w.len() <= tantivy::tokenizer::MAX_TOKEN_LEN)
                .count() as u64
        })
}

fn document(
    fields: &Fields,
    jieba: &jieba_rs::Jieba,
    source: &str,
    rec: &Record,
    order: u64,
    stored: Vec<u8>,
) -> TantivyDocument {
    let folded = normalize::fold(&rec.text);
    // The kind is the seed: records of two kinds never share a hash for the same text.
    let text_hash = xxhash_rust::xxh3::xxh3_64_with_seed(folded.as_bytes(), rec.kind.code());
    let mut words = String::with_capacity(folded.len() + folded.len() / 4);
    tokenize::words(jieba, &folded, &mut words);
    let mut doc = TantivyDocument::default();
    doc.add_bytes(fields.record, &stored);
    let mut chars = String::with_capacity(64);
    for c in tokenize::frequent_in(&folded) {
        chars.push(c);
        chars.push(' ');
    }
    doc.add_text(fields.chars, chars);
    doc.add_text(fields.exact, folded);
    doc.add_text(fields.words, words);
    for c in &rec.cites {
        doc.add_text(fields.cites, crate::text::normalize::fold(c));
    }
    doc.add_text(fields.symbol, crate::text::normalize::fold(&rec.symbol));
    doc.add_text(fields.file, source);
    doc.add_u64(fields.session, u64::from(rec.session));
    doc.add_u64(fields.year, u64::from(rec.year));
    doc.add_u64(fields.kind, rec.kind.code());
    doc.add_u64(fields.order, order);
    doc.add_u64(fields.para, u64::from(rec.para));
    doc.add_u64(fields.line, rec.line as u64);
    doc.add_u64(fields.date, date_key(rec.date.as_deref()));
    doc.add_u64(fields.text_hash, text_hash);
    doc
}
