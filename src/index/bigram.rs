//! Syllable bigrams: "công tác dân vận" → `cong_tac`, `tac_dan`, `dan_van`
//! (folded). Vietnamese words are one to four syllables, so adjacent pairs
//! carry much of their meaning; indexing the pairs as terms lets every
//! query reward syllables that stand together with cheap term lookups
//! instead of phrase queries over positions.
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Joins the syllables of a pair.
pub const JOINER: char = '_';

/// The bigram of two folded tokens.
pub fn bigram(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a);
    s.push(JOINER);
    s.push_str(b);
    s
}

/// Turns a token stream into the stream of its adjacent pairs.
#[derive(Debug, Clone, Copy)]
pub struct Bigrams;

impl TokenFilter for Bigrams {
    type Tokenizer<T: Tokenizer> = BigramFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> BigramFilter<T> {
        BigramFilter { inner: tokenizer }
    }
}

/// The tokenizer made by [`Bigrams`].
#[derive(Debug, Clone)]
pub struct BigramFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for BigramFilter<T> {
    type TokenStream<'a> = BigramTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BigramTokenStream {
            inner: self.inner.token_stream(text),
            prev: None,
            token: Token::default(),
        }
    }
}

/// The stream of [`BigramFilter`].
pub struct BigramTokenStream<S> {
    inner: S,
    prev: Option<Token>,
    token: Token,
}

impl<S: TokenStream> TokenStream for BigramTokenStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.inner.advance() {
                return false;
            }
            let cur = self.inner.token();
            let Some(prev) = self.prev.as_mut() else {
                self.prev = Some(cur.clone());
                continue;
            };
            self.token.text.clear();
            self.token.text.push_str(&prev.text);
            self.token.text.push(JOINER);
            self.token.text.push_str(&cur.text);
            self.token.offset_from = prev.offset_from;
            self.token.offset_to = cur.offset_to;
            self.token.position = prev.position;
            self.token.position_length = 2;
            prev.clone_from(cur);
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use crate::index::analyzer::bigram_analyzer;

    fn pairs(text: &str) -> Vec<String> {
        let mut a = bigram_analyzer();
        let mut s = a.token_stream(text);
        let mut got = Vec::new();
        while s.advance() {
            got.push(s.token().text.clone());
        }
        got
    }

    #[test]
    fn pairs_of_folded_syllables_and_numbers() {
        assert_eq!(
            pairs("Công tác dân vận theo 23 - QĐ/TW"),
            [
                "cong_tac",
                "tac_dan",
                "dan_van",
                "van_theo",
                "theo_23-qd/tw"
            ]
        );
        assert!(pairs("một").is_empty(), "a single syllable has no pair");
    }
}
