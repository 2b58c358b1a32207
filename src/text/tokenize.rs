//! Tokenizers. The exact layer: character bigrams of folded text with sequential positions
//! (a phrase of bigrams is an exact substring match) and a closing unigram so that the last
//! character is found too. The word layer: jieba (search mode, with the domain dictionary)
//! run once per process, its words written space-separated for tantivy's whitespace tokenizer.
//! Only whole words are kept (jieba's default mode), so that a whole-word match outranks a
//! part-of-word match (`武器` alone over `武器` inside `小武器`): the part-of-word matches are
//! found by the exact layer alone. Words of one character are left out of the word layer: they
//! rank little, they are the most frequent tokens by far, and the exact layer finds them.
//! The most frequent characters ([`FREQUENT`]) are also kept one term each per record, so
//! that a search for one of them reads one posting list instead of thousands of bigrams'.

use jieba_rs::Jieba;
use std::sync::OnceLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name under which the bigram tokenizer is registered; the schema's exact field uses it.
pub(crate) const BIGRAM: &str = "unres_bigram";
/// The name under which the words tokenizer (whitespace split) is registered.
pub(crate) const WORDS: &str = "unres_words";

/// The disarmament vocabulary shipped with `unres` (jieba's `word freq tag` format).
pub(crate) const DOMAIN_TERMS: &str = include_str!("terms.txt");

/// The process-wide jieba segmenter with the domain dictionary: built on first use, shared,
/// never cloned. Only indexing needs it; searching never loads it.
pub(crate) fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        j.load_dict(&mut DOMAIN_TERMS.as_bytes())
            .expect("the shipped domain dictionary parses");
        j
    })
}

/// Segments folded text into words, written space-separated. Punctuation and
/// one-character words are left out.
pub(crate) fn words(jieba: &Jieba, folded: &str, out: &mut String) {
    for token in jieba.cut(folded, false) {
        let word = token.word;
        if word.chars().nth(1).is_none() || !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Character bigrams of folded text with sequential positions, then the last character alone.
#[derive(Clone, Default)]
pub(crate) struct BigramTokenizer {
    token: Token,
}

/// The token stream of [`BigramTokenizer`].
pub(crate) struct BigramStream<'a> {
    text: &'a str,
    /// Byte offset of the next bigram's first character.
    at: usize,
    done: bool,
    token: &'a mut Token,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        self.token.reset();
        BigramStream {
            text,
            at: 0,
            done: text.is_empty(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        if self.done {
            return false;
        }
        let rest = &self.text[self.at..];
        let mut chars = rest.chars();
        let first = chars.next().expect("not done, so a character is left");
        let first_len = first.len_utf8();
        let end = match chars.next() {
            Some(second) => self.at + first_len + second.len_utf8(),
            None => {
                self.done = true;
                self.at + first_len
            }
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[self.at..end]);
        self.token.offset_from = self.at;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.at += first_len;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The folded characters found in the most records of UN resolutions (from the commas and
/// 的 found in over four records in five down to characters in about one in three). A record
/// holding one is indexed under it in the `chars` field: a search for one of these
/// characters reads that one list, where the exact layer would unite the lists of every
/// bigram starting with it (thousands for 的). Other characters are in fewer records, and
/// their union costs less. Each adds about a third of a byte a record to the index.
pub(crate) const FREQUENT: &str = ",的和国各会议、《》;在有面方行";

/// The place of `c` in [`FREQUENT`], if it is one of those characters.
#[inline]
pub(crate) fn frequent(c: char) -> Option<u32> {
    static TABLE: OnceLock<Box<[u8]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![0u8; 0x10000].into_boxed_slice();
        for (i, f) in FREQUENT.chars().enumerate() {
            t[f as usize] = i as u8 + 1;
        }
        t
    });
    match table.get(c as usize) {
        Some(&i) if i > 0 => Some(u32::from(i) - 1),
        _ => None,
    }
}

/// The [`FREQUENT`] characters `folded` holds, each once, in the order of that list.
pub(crate) fn frequent_in(folded: &str) -> impl Iterator<Item = char> {
    let mut mask = 0u64;
    for c in folded.chars() {
        if let Some(i) = frequent(c) {
            mask |= 1 << i;
        }
    }
    FREQUENT
        .chars()
        .enumerate()
        .filter(move |&(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| c)
}

/// The exact-layer terms of a folded query and their positions: bigrams at positions
/// 0, 2, 4 … and, when the length is odd, one more bigram ending at the last character.
/// A single character has no bigram of its own: it returns that character alone.
pub(crate) fn query_bigrams(folded: &[char]) -> Vec<(usize, String)> {
    match folded.len() {
        0 => Vec::new(),
        1 => vec![(0, folded[0].to_string())],
        n => {
            let mut out: Vec<(usize, String)> = (0..n - 1)
                .step_by(2)
                .map(|i| (i, folded[i..i + 2].iter().collect()))
                .collect();
            if n % 2 == 1 {
                out.push((n - 2, folded[n - 2..].iter().collect()));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut t = BigramTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            let tok = s.token();
            out.push((
                tok.text.clone(),
                tok.position,
                tok.offset_from,
                tok.offset_to,
            ));
        }
        out
    }

    #[test]
    fn bigrams_have_sequential_positions_and_byte_offsets() {
        assert_eq!(
            tokens("小武器"),
            [
                ("小武".to_string(), 0, 0, 6),
                ("武器".to_string(), 1, 3, 9),
                ("器".to_string(), 2, 6, 9)
            ]
        );
        assert_eq!(tokens("a"), [("a".to_string(), 0, 0, 1)]);
        assert!(tokens("").is_empty());
    }

    #[test]
    fn frequent_characters_are_folded_distinct_and_found_once_each() {
        let list: Vec<char> = FREQUENT.chars().collect();
        assert!(list.len() <= 64);
        assert_eq!(crate::text::normalize::fold(FREQUENT), FREQUENT);
        let mut sorted = list.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), list.len());
        for (i, &c) in list.iter().enumerate() {
            assert_eq!(frequent(c), Some(i as u32));
        }
        assert_eq!(frequent('裁'), None);
        assert_eq!(frequent('\u{20000}'), None);
        let found: String = frequent_in("各国的,各国和大会").collect();
        assert_eq!(found, ",的和国各会");
    }

    #[test]
    fn query_bigrams_cover_every_character() {
        let q: Vec<char> = "行动纲领".chars().collect();
        assert_eq!(query_bigrams(&q), [(0, "行动".into()), (2, "纲领".into())]);
        let q: Vec<char> = "小武器".chars().collect();
        assert_eq!(query_bigrams(&q), [(0, "小武".into()), (1, "武器".into())]);
        let q: Vec<char> = "器".chars().collect();
        assert_eq!(query_bigrams(&q), [(0, "器".into())]);
    }

    #[test]
    fn only_whole_words_of_two_characters_or_more() {
        let mut out = String::new();
        words(jieba(), "小武器和轻武器非法贸易，", &mut out);
        let w: Vec<&str> = out.split(' ').collect();
        assert!(
            w.contains(&"小武器和轻武器") || w.contains(&"小武器"),
            "{out}"
        );
        assert!(!w.contains(&"，") && !w.contains(&"和"), "{out}");
        // A word inside a longer word is not a word of its own here.
        assert!(!w.contains(&"武器"), "{out}");
    }
}
