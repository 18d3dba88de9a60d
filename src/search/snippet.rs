//! Snippets: a window of the stored text around the best cluster of
//! matches, HTML-escaped, with the matched words in `<mark>...</mark>`.
//!
//! Matching works on the analyzer's tokens of the stored text, so a word
//! that matched only through folding ("dan van" → "dân vận") is
//! highlighted in the original accented text.
use std::ops::Range;

use super::query::{ParsedQuery, QueryTerm};
use crate::index::analysis::Pieces;
use crate::index::analyzer::{Form, MAX_TOKEN_BYTES};
use crate::text;

/// Characters of context in a snippet.
pub const SNIPPET_CHARS: usize = 240;
/// Only this much of a long body is scanned for matches.
const MAX_SCAN_BYTES: usize = 512 * 1024;

/// What the highlighter looks for.
#[derive(Debug, Default, Clone)]
pub struct Highlighter {
    /// Folded forms that match any spelling.
    folded: Vec<String>,
    /// (exact, folded) of accented query words: a token matches when its
    /// exact form is the query's, or it is written without diacritics.
    accented: Vec<(String, String)>,
}

impl Highlighter {
    /// The highlighter for a parsed query.
    pub fn new(q: &ParsedQuery) -> Highlighter {
        let mut h = Highlighter::default();
        let mut add = |t: &QueryTerm| {
            if t.accented() {
                h.accented.push((t.exact.clone(), t.folded.clone()));
            } else {
                h.folded.push(t.folded.clone());
            }
        };
        q.terms.iter().for_each(&mut add);
        q.phrases.iter().flatten().for_each(&mut add);
        for n in q.numbers.iter().chain(&q.cites) {
            h.folded.push(n.key());
        }
        h
    }

    fn matches(&self, raw: &str, folded: &str) -> bool {
        if self.folded.iter().any(|f| f == folded) {
            return true;
        }
        self.accented.iter().any(|(e, f)| {
            f == folded && {
                let exact = text::exact(raw);
                exact == *e || exact == *f
            }
        })
    }

    /// Byte ranges in `body` of matching tokens.
    pub fn matches_in(&self, body: &str) -> Vec<Range<usize>> {
        if self.folded.is_empty() && self.accented.is_empty() {
            return Vec::new();
        }
        let scan = &body[..floor_char_boundary(body, MAX_SCAN_BYTES)];
        // The folded analyzer's tokens, one at a time into one buffer (its
        // pieces without the exact forms it also computes and keeps).
        let mut folded = String::new();
        let mut out = Vec::new();
        for piece in Pieces::new(scan) {
            folded.clear();
            piece.write_form(scan, Form::Folded, &mut folded);
            let span = piece.span();
            if folded.len() < MAX_TOKEN_BYTES && self.matches(&scan[span.clone()], &folded) {
                out.push(span);
            }
        }
        out
    }

    /// The snippet of `body`: HTML with matches in `<mark>`.
    pub fn snippet(&self, body: &str) -> String {
        let hits = self.matches_in(body);
        let window = best_window(body, &hits);
        render(body, window, &hits)
    }

    /// `text` escaped, with every match in `<mark>` (for titles).
    pub fn highlight_all(&self, text: &str) -> String {
        let hits = self.matches_in(text);
        render(text, 0..text.len(), &hits)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The window of about [`SNIPPET_CHARS`] holding the most matches, widened
/// to whole words.
fn best_window(body: &str, hits: &[Range<usize>]) -> Range<usize> {
    let span = SNIPPET_CHARS * 2; // bytes: Vietnamese letters are 1–3 bytes
    let (mut best_start, mut best_count) = (0usize, 0usize);
    let mut j = 0;
    for i in 0..hits.len() {
        while j < hits.len() && hits[j].end <= hits[i].start + span {
            j += 1;
        }
        if j - i > best_count {
            best_count = j - i;
            best_start = hits[i].start;
        }
    }
    let start = if best_count == 0 {
        0
    } else {
        // Some context before the first match, from a word start.
        let back = floor_char_boundary(body, best_start.saturating_sub(span / 4));
        match body[back..best_start]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            Some((k, c)) if back > 0 => back + k + c.len_utf8(),
            _ => back,
        }
    };
    let end = floor_char_boundary(body, start + span);
    let end = if end < body.len() {
        match body[start..end].rfind(char::is_whitespace) {
            Some(k) if k > 0 => start + k,
            _ => end,
        }
    } else {
        end
    };
    start..end.max(start)
}

fn render(body: &str, window: Range<usize>, hits: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(window.len() + 64);
    if window.start > 0 {
        out.push('…');
    }
    let mut pos = window.start;
    for h in hits
        .iter()
        .filter(|h| h.start >= window.start && h.end <= window.end)
    {
        escape_into(&body[pos..h.start], &mut out);
        out.push_str("<mark>");
        escape_into(&body[h.clone()], &mut out);
        out.push_str("</mark>");
        pos = h.end;
    }
    escape_into(&body[pos..window.end], &mut out);
    if window.end < body.len() {
        out.push('…');
    }
    out
}

/// Escapes `s` for HTML text and attribute values; whitespace runs become
/// one space.
pub fn escape_into(s: &str, out: &mut String) {
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn snip(q: &str, body: &str) -> String {
        Highlighter::new(&parse(q).unwrap()).snippet(body)
    }

    #[test]
    fn folded_query_highlights_the_accented_original() {
        let s = snip("dan van", "Công tác dân vận của Đảng.");
        assert_eq!(s, "Công tác <mark>dân</mark> <mark>vận</mark> của Đảng.");
    }

    #[test]
    fn accented_query_skips_other_accented_words() {
        let s = snip("bán", "bạn bán ban");
        assert_eq!(s, "bạn <mark>bán</mark> <mark>ban</mark>");
    }

    #[test]
    fn numbers_are_highlighted_whole_and_everything_is_escaped() {
        let s = snip("23-QD/TW", "<b>Quyết định số 23 - QĐ/TW</b> & \"x\"");
        assert_eq!(
            s,
            "&lt;b&gt;Quyết định số <mark>23 - QĐ/TW</mark>&lt;/b&gt; &amp; &quot;x&quot;"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(q in "\\PC{0,40}", pad in 0usize..600, body in "[ \u{a0}\u{2003}a-zđâ\u{300}0-9/-]{0,200}") {
            let body = format!("{}{body}{}", "\u{a0}ư ".repeat(pad), " x\u{a0}".repeat(pad));
            if let Ok(p) = parse(&q) {
                let h = Highlighter::new(&p);
                let _ = h.snippet(&body);
                let _ = h.highlight_all(&body);
            }
        }
    }

    #[test]
    fn window_edges_next_to_wide_spaces() {
        let body = format!("{}dân vận{}", "ư\u{a0}".repeat(300), "\u{a0}ơ".repeat(300));
        let s = snip("dan van", &body);
        assert!(s.contains("<mark>dân</mark> <mark>vận</mark>"), "{s}");
    }

    #[test]
    fn long_bodies_get_a_window_around_the_matches() {
        let body = format!(
            "{} công tác dân vận {}",
            "mở đầu ".repeat(200),
            "kết thúc ".repeat(200)
        );
        let s = snip("dân vận", &body);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>dân</mark> <mark>vận</mark>"), "{s}");
        assert!(s.chars().count() < SNIPPET_CHARS * 2, "{}", s.len());
    }
}
