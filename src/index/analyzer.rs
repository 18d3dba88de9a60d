//! The tantivy analyzers: vanban's own tokenizer, which emits every
//! document number (found by `refs`) as one token in canonical form and
//! every other syllable (found by `text`) in the exact or folded form.
//!
//! A `SimpleTokenizer` plus filters cannot do this: it splits "23 - QĐ/TW"
//! into pieces no filter can join again. Offsets always point into the
//! text as given (the stored body), so snippets and spans line up. The
//! pieces and both forms of a text are computed once per thread and text
//! ([`super::analysis`]): the exact and folded fields of one body share
//! them.
use std::rc::Rc;

use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};

use super::analysis::{self, Analysis, Pieces};

/// Name of the exact-form analyzer (normalized, lowercased).
pub const VI_EXACT: &str = "vi_exact";
/// Name of the folded-form analyzer (no diacritics, đ → d, lowercased).
pub const VI_FOLDED: &str = "vi_folded";

/// Tokens longer than this (in bytes) are dropped: no real syllable or
/// document number is that long, and tantivy caps term length.
pub const MAX_TOKEN_BYTES: usize = 120;

/// Which form a [`VietnameseTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `text::exact`; numbers as their canonical form lowercased.
    Exact,
    /// `text::fold`; numbers as their match key.
    Folded,
}

/// Syllables and document numbers, in the given [`Form`].
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    form: Form,
}

impl VietnameseTokenizer {
    /// A tokenizer emitting `form`.
    pub fn new(form: Form) -> Self {
        VietnameseTokenizer { form }
    }
}

/// The token stream of [`VietnameseTokenizer`].
pub struct VietnameseTokenStream<'a> {
    text: &'a str,
    form: Form,
    source: Source<'a>,
    token: Token,
}

/// Where the pieces come from: this thread's cached analysis of the text
/// (the same text read for another field), or a scan of a text too long
/// to keep.
enum Source<'a> {
    Cached(Rc<Analysis>, usize),
    Streamed(Pieces<'a>),
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let source = match analysis::cached(text) {
            Some(a) => Source::Cached(a, 0),
            None => Source::Streamed(Pieces::new(text)),
        };
        VietnameseTokenStream {
            text,
            form: self.form,
            source,
            token: Token::default(),
        }
    }
}

impl TokenStream for VietnameseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let span = match &mut self.source {
            Source::Cached(a, i) => {
                let Some((span, form)) = a.piece(*i, self.form) else {
                    return false;
                };
                *i += 1;
                self.token.text.push_str(form);
                span
            }
            Source::Streamed(pieces) => {
                let Some(p) = pieces.next() else {
                    return false;
                };
                p.write_form(self.text, self.form, &mut self.token.text);
                p.span()
            }
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The analyzer registered under [`VI_EXACT`] or [`VI_FOLDED`].
pub fn analyzer(form: Form) -> TextAnalyzer {
    TextAnalyzer::builder(VietnameseTokenizer::new(form))
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .build()
}

/// Registers vanban's analyzers on `index`. Call after every
/// `Index::open_in_dir` / `create_in_dir`: tantivy stores only their names.
pub fn register_analyzers(index: &tantivy::Index) {
    index.tokenizers().register(VI_EXACT, analyzer(Form::Exact));
    index
        .tokenizers()
        .register(VI_FOLDED, analyzer(Form::Folded));
}

/// The tokens of `text` in `form`, with offsets into `text`.
pub fn tokens(text: &str, form: Form) -> Vec<Token> {
    let mut a = analyzer(form);
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(s: &str, form: Form) -> Vec<String> {
        tokens(s, form).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn numbers_are_single_tokens_in_both_forms() {
        for s in [
            "23-QĐ/TW",
            "23 - QĐ/TW",
            "23–QĐ/TW",
            "23-QD/TW",
            "23 – qđ/tw",
        ] {
            assert_eq!(texts(s, Form::Exact), ["23-qđ/tw"], "{s}");
            assert_eq!(texts(s, Form::Folded), ["23-qd/tw"], "{s}");
        }
        for s in ["03/2019/NĐ-CP", "03/2019/NĐ - CP"] {
            assert_eq!(texts(s, Form::Folded), ["03/2019/nd-cp"], "{s}");
        }
        assert_eq!(texts("33/CT-TTg", Form::Exact), ["33/ct-ttg"]);
        assert_eq!(texts("01/CT - TTg", Form::Folded), ["01/ct-ttg"]);
    }

    #[test]
    fn syllables_positions_and_offsets() {
        let s = "Căn cứ Quyết định số 23 - QĐ/TW của Bộ Chính trị";
        let toks = tokens(s, Form::Folded);
        let got: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "can", "cu", "quyet", "dinh", "so", "23-qd/tw", "cua", "bo", "chinh", "tri"
            ]
        );
        for (i, t) in toks.iter().enumerate() {
            assert_eq!(t.position, i);
        }
        let n = &toks[5];
        assert_eq!(&s[n.offset_from..n.offset_to], "23 - QĐ/TW");
        assert_eq!(&s[toks[0].offset_from..toks[0].offset_to], "Căn");
    }

    #[test]
    fn exact_and_folded_forms_of_words() {
        let s = "Tỉnh uỷ HOÀ BÌNH khoá";
        assert_eq!(texts(s, Form::Exact), ["tỉnh", "ủy", "hòa", "bình", "khóa"]);
        assert_eq!(
            texts(s, Form::Folded),
            ["tinh", "uy", "hoa", "binh", "khoa"]
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_offsets_slice(s in "\\PC{0,300}") {
            for form in [Form::Exact, Form::Folded] {
                let toks = tokens(&s, form);
                let mut last = 0;
                for t in &toks {
                    prop_assert!(t.offset_from <= t.offset_to);
                    prop_assert!(t.offset_from >= last);
                    prop_assert!(s.get(t.offset_from..t.offset_to).is_some());
                    last = t.offset_to;
                }
            }
        }

        #[test]
        fn forms_align(s in "[ a-zA-Zàáạảãđêếệôơưụủ0-9/–-]{0,120}") {
            let e = tokens(&s, Form::Exact);
            let f = tokens(&s, Form::Folded);
            prop_assert_eq!(e.len(), f.len());
        }
    }
}
