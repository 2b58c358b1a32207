//! Text preparation, shared by indexing and searching: `normalize` folds text (width,
//! case, spaces) so that what a user types finds what the PDF printed, `tokenize` cuts
//! folded text for the two index layers (character bigrams; jieba's words), and
//! `traditional` maps traditional characters to simplified ones. Hands folded text and
//! tokens to the index and to the search stage.

pub(crate) mod normalize;
pub(crate) mod tokenize;
pub(crate) mod traditional;
