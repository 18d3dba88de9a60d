//! The user's query language, parsed by hand: never hand raw user text to
//! tantivy's `QueryParser`, whose syntax ("-", ":", quotes) collides with
//! document numbers.
//!
//! In order: document numbers in any spelling are found first (with `refs`),
//! `cites:NUMBER` asks for documents citing a number, `"quoted phrases"`
//! must match as phrases, `-word`, `-"phrase"` and `-NUMBER` exclude, and
//! everything else is words. Words and phrases are analyzed with the same
//! analyzers as the index, in both forms.
use super::understand::{self, NumberLookup};
use crate::index::analyzer::{Form, tokens};
use crate::refs::{self, DocNumber};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// A query that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Longer than [`MAX_QUERY_CHARS`].
    #[error("query too long: {0} characters, at most {MAX_QUERY_CHARS}")]
    TooLong(usize),
    /// `cites:` without a document number after it.
    #[error("`cites:` needs a document number after it, e.g. cites:25-NQ/TW")]
    BadCites,
}

/// One query syllable (or number) in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// Exact form.
    pub exact: String,
    /// Folded form.
    pub folded: String,
}

impl QueryTerm {
    /// Whether the user typed diacritics on it (so the exact form counts).
    pub fn accented(&self) -> bool {
        self.exact != self.folded
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Document numbers to find.
    pub numbers: Vec<DocNumber>,
    /// Free words, as syllables in order.
    pub terms: Vec<QueryTerm>,
    /// Quoted phrases (each at least one syllable).
    pub phrases: Vec<Vec<QueryTerm>>,
    /// Numbers whose documents are excluded.
    pub excluded_numbers: Vec<DocNumber>,
    /// Excluded words and phrases.
    pub excluded: Vec<Vec<QueryTerm>>,
    /// `cites:` targets.
    pub cites: Vec<DocNumber>,
    /// Parts of a document number (kind, serial, year, issuer, khóa) the
    /// words name (issue 11).
    pub lookup: Option<NumberLookup>,
    /// Weaker alternatives: abbreviations and full forms of the words.
    pub expansions: Vec<Vec<QueryTerm>>,
    /// The query as decoded from Telex or VNI, when it was typed so.
    pub interpreted_as: Option<String>,
}

impl ParsedQuery {
    /// Whether nothing positive was asked (filters may still apply).
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
            && self.terms.is_empty()
            && self.phrases.is_empty()
            && self.cites.is_empty()
    }
}

/// The syllables of `s` in both forms.
pub fn analyze(s: &str) -> Vec<QueryTerm> {
    let exact = tokens(s, Form::Exact);
    let folded = tokens(s, Form::Folded);
    exact
        .into_iter()
        .zip(folded)
        .map(|(e, f)| QueryTerm {
            exact: e.text,
            folded: f.text,
        })
        .collect()
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Parses `q`.
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong(chars));
    }
    let mut out = ParsedQuery::default();
    // Telex or VNI typed with the input method off: search the decoded
    // query (and say so).
    let decoded = understand::typing::interpret(q);
    let q = decoded.as_deref().unwrap_or(q);
    out.interpreted_as = decoded.clone();
    // Numbers first: blank them out of the text so that the words pass
    // does not see their pieces.
    let mut rest = q.to_string();
    // A "-" that starts a word negates it; hide it from the number scanner,
    // which will not start a number right after a dash.
    let mut scan = q.to_string();
    let negations: Vec<usize> = q
        .char_indices()
        .filter(|&(i, c)| {
            c == '-'
                && q[..i].chars().next_back().is_none_or(char::is_whitespace)
                && q[i + 1..].starts_with(|d: char| d.is_ascii_digit())
        })
        .map(|(i, _)| i)
        .collect();
    for &i in &negations {
        scan.replace_range(i..i + 1, " ");
    }
    for m in refs::scan_numbers(&scan) {
        // A number without an issuer ("312-QĐ") is a partial number:
        // left to the words, where the lookup reads it.
        let codes_only = m.number.type_code().is_none()
            && m.number
                .issuers()
                .iter()
                .all(|c| understand::kinds::row_of_code(&crate::text::fold(c)).is_some());
        if m.number.issuers().is_empty() || codes_only {
            continue;
        }
        let before = q[..m.span.start].trim_end_matches(' ');
        let blank_from;
        if let Some(b) = strip_suffix_ci(before, "cites:") {
            out.cites.push(m.number);
            blank_from = b.len();
        } else if m.span.start > 0 && negations.contains(&(m.span.start - 1)) {
            out.excluded_numbers.push(m.number);
            blank_from = m.span.start - 1;
        } else {
            out.numbers.push(m.number);
            blank_from = m.span.start;
        }
        blank(&mut rest, blank_from..m.span.end);
    }
    if rest.to_ascii_lowercase().contains("cites:") {
        return Err(QueryError::BadCites);
    }
    // Phrases and words.
    let mut it = rest.char_indices().peekable();
    let mut word_start: Option<usize> = None;
    let mut words: Vec<(bool, &str)> = Vec::new();
    let mut phrases: Vec<(bool, String)> = Vec::new();
    let text = rest.as_str();
    let mut negate_next = false;
    while let Some((i, c)) = it.next() {
        if is_quote(c) {
            if let Some(s) = word_start.take() {
                words.push(split_negation(&text[s..i]));
            }
            let start = i + c.len_utf8();
            let mut end = text.len();
            for (j, d) in it.by_ref() {
                if is_quote(d) {
                    end = j;
                    break;
                }
            }
            phrases.push((negate_next, text[start..end].to_string()));
            negate_next = false;
        } else if c.is_whitespace() {
            if let Some(s) = word_start.take() {
                words.push(split_negation(&text[s..i]));
            }
            negate_next = false;
        } else if word_start.is_none() {
            if c == '-' && it.peek().is_some_and(|(_, d)| is_quote(*d)) {
                negate_next = true;
            } else {
                word_start = Some(i);
            }
        }
    }
    if let Some(s) = word_start {
        words.push(split_negation(&text[s..]));
    }
    let positive: Vec<&str> = words.iter().filter(|(n, _)| !n).map(|(_, w)| *w).collect();
    out.lookup = understand::lookup::detect(&positive, &[]);
    let upper: Vec<String> = positive
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2 && w.chars().all(|c| !c.is_lowercase()))
        .map(str::to_string)
        .collect();
    for (negated, w) in words {
        let terms = analyze(w);
        if terms.is_empty() {
            continue;
        }
        if negated {
            out.excluded.push(terms);
        } else {
            out.terms.extend(terms);
        }
    }
    out.expansions = understand::expansions(&out.terms, &upper);
    for (negated, p) in phrases {
        let terms = analyze(&p);
        if terms.is_empty() {
            continue;
        }
        if negated {
            out.excluded.push(terms);
        } else {
            out.phrases.push(terms);
        }
    }
    Ok(out)
}

fn split_negation(w: &str) -> (bool, &str) {
    match w.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, w),
    }
}

fn blank(s: &mut String, range: std::ops::Range<usize>) {
    let spaces = " ".repeat(range.len());
    s.replace_range(range, &spaces);
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let n = suffix.len();
    if s.len() >= n
        && s.is_char_boundary(s.len() - n)
        && s[s.len() - n..].eq_ignore_ascii_case(suffix)
    {
        Some(&s[..s.len() - n])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(ts: &[QueryTerm]) -> Vec<&str> {
        ts.iter().map(|t| t.folded.as_str()).collect()
    }

    #[test]
    fn numbers_words_phrases_exclusions_and_cites() {
        let p = parse("Tỉnh uỷ \"dân vận\" -bạn 23 - QĐ/TW -47-CT/TU cites:25-NQ/TW").unwrap();
        assert_eq!(
            p.numbers.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            ["23-QĐ/TW"]
        );
        assert_eq!(
            p.excluded_numbers
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>(),
            ["47-CT/TU"]
        );
        assert_eq!(
            p.cites.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            ["25-NQ/TW"]
        );
        assert_eq!(folded(&p.terms), ["tinh", "uy"]);
        assert_eq!(p.terms[1].exact, "ủy", "tone placement normalized");
        assert_eq!(p.phrases.len(), 1);
        assert_eq!(folded(&p.phrases[0]), ["dan", "van"]);
        assert_eq!(p.excluded.len(), 1);
        assert_eq!(p.excluded[0][0].exact, "bạn");
    }

    #[test]
    fn a_spaced_dash_is_not_an_exclusion() {
        let p = parse("công tác - dân vận").unwrap();
        assert_eq!(folded(&p.terms), ["cong", "tac", "dan", "van"]);
        assert!(p.excluded.is_empty());
    }

    #[test]
    fn negated_phrase_and_unbalanced_quote() {
        let p = parse("-\"Các tin khác\" \"dân vận").unwrap();
        assert_eq!(folded(&p.excluded[0]), ["cac", "tin", "khac"]);
        assert_eq!(folded(&p.phrases[0]), ["dan", "van"]);
    }

    #[test]
    fn limits_and_bad_cites() {
        assert_eq!(parse(&"a".repeat(1001)), Err(QueryError::TooLong(1001)));
        assert_eq!(parse("cites: dân vận"), Err(QueryError::BadCites));
        assert!(parse("").unwrap().is_empty());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_query_syntax(s in "[-\"“” :a-zđĐạấ0-9/QĐTWcites]{0,80}") {
            let _ = parse(&s);
        }
    }
}
