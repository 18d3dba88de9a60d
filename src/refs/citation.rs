//! Citations: for each number occurrence, what the text around it says
//! about the cited document: the kind noun before it ("Nghị quyết số
//! ..."), the date, issuer, khóa and subject after it ("ngày 03/6/2013
//! của Ban Chấp hành Trung ương Đảng (khóa XI) về ..."), and the relation
//! its clause gives it. Short forms and unnumbered references are in
//! `short.rs`.
use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use super::bodies::starts_with_body;
use super::date::date_at_start;
use super::norm::{fold_key, folded_prefix_len, word_starts};
use super::patterns::KIND_NOUNS_FOLDED;
use super::relation::{Relation, relation_of};
use super::{DocNumber, NumberMatch, scan_numbers};

/// One citation of a numbered document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Byte offset of the number (or short form) in the text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The text as written (`&text[start..end]`).
    pub raw: String,
    /// The cited number, canonical ("25-NQ/TW"); for a short form no
    /// earlier citation resolves ("Nghị quyết 26"), its serial ("26").
    pub number: String,
    /// Its match key ("25-nq/tw"); `None` for an unresolved short form.
    pub key: Option<String>,
    /// The kind noun written before it, in sentence case ("Nghị quyết").
    pub kind: Option<String>,
    /// The date written after it.
    pub date: Option<NaiveDate>,
    /// The issuer written after it ("của Bộ Chính trị").
    pub issuer: Option<String>,
    /// The khóa (term) as a Roman numeral ("XIII").
    pub term: Option<String>,
    /// The subject: "về ..." to the end of its clause.
    pub subject: Option<String>,
    /// What the citing document does with it.
    pub relation: Relation,
    /// For a short form ("Nghị quyết 25", an alias), the index in
    /// `RefSet::refs` of the full citation it stands for.
    pub resolved_from: Option<usize>,
    /// The cited number, parsed; `None` for an unresolved short form.
    #[serde(skip)]
    pub target: Option<DocNumber>,
}

/// A reference to a document without a number ("Nghị quyết Đại hội XIII",
/// "Nghị quyết Trung ương 6 khóa XII").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unnumbered {
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The text as written.
    pub raw: String,
}

/// Every reference of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RefSet {
    /// Numbered citations and resolved short forms, in text order.
    pub refs: Vec<Citation>,
    /// References without a number, in text order.
    pub unnumbered: Vec<Unnumbered>,
}

static TERM_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t\u{a0},]*\(?[ \t\u{a0}]*(?:khóa|khoá|Khóa|Khoá|KHÓA|KHOÁ)[ \t\u{a0}]+(?P<t>[IVXL]+)\b[ \t\u{a0}]*\)?")
        .expect("the term pattern is valid")
});

/// The citations of `text`; `own` is the document's own number, whose
/// occurrences get the relation `self`.
pub(crate) fn citations(text: &str, own: Option<&DocNumber>) -> RefSet {
    let matches = scan_numbers(text);
    // Where each citation's head (its kind noun, else its number) starts.
    let kinds: Vec<Option<(String, usize)>> = matches
        .iter()
        .map(|m| kind_before(text, m.span.start))
        .collect();
    let heads: Vec<usize> = matches
        .iter()
        .zip(&kinds)
        .map(|(m, k)| k.as_ref().map_or(m.span.start, |(_, at)| *at))
        .collect();
    let mut refs: Vec<Citation> = Vec::with_capacity(matches.len());
    for (i, m) in matches.iter().enumerate() {
        let next_start = matches.get(i + 1).map_or(text.len(), |n| n.span.start);
        let mut c = full_citation(text, m, next_start, &heads[i + 1..]);
        c.kind = kinds[i].as_ref().map(|(k, _)| k.clone());
        if c.kind.is_none()
            && let Some(prev) = refs.last()
            && is_list_gap(&text[prev.end..c.start])
        {
            c.kind = prev.kind.clone();
        }
        if own.is_some_and(|o| is_own(o, &m.number)) {
            c.relation = Relation::OwnNumber;
        }
        refs.push(c);
    }
    // "Căn cứ A; B;", "quán triệt ... như: A; B; C": an item of a list
    // after ";" with no verb of its own shares the relation before it.
    for i in 1..refs.len() {
        let clause = clause_before(text, heads[i]);
        let lead = text[clause..heads[i]].trim_matches(|c: char| c.is_whitespace() || c == '-');
        if refs[i].relation == Relation::Mentions
            && lead.is_empty()
            && text[..clause].ends_with(';')
            && refs[i - 1].end <= clause
            && refs[i - 1].relation != Relation::OwnNumber
        {
            refs[i].relation = refs[i - 1].relation;
        }
    }
    // "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày ... về
    // ...": what follows the last of a list is said of all of them.
    for i in (0..refs.len().saturating_sub(1)).rev() {
        let (a, b) = (&refs[i], &refs[i + 1]);
        let bare = a.date.is_none() && a.issuer.is_none() && a.subject.is_none();
        if bare && heads[i + 1] >= a.end && is_list_gap(&text[a.end..heads[i + 1]]) {
            let (date, issuer, term, subject) =
                (b.date, b.issuer.clone(), b.term.clone(), b.subject.clone());
            let a = &mut refs[i];
            (a.date, a.issuer, a.term, a.subject) = (date, issuer, term, subject);
        }
    }
    let (refs, unnumbered) = super::short::add_short_forms(text, refs);
    RefSet { refs, unnumbered }
}

/// ", ", " và ", "; ": the gap between two numbers of one list.
fn is_list_gap(gap: &str) -> bool {
    let g = gap.trim();
    matches!(g, "," | ";" | "và" | ", và" | "&")
}

fn full_citation(text: &str, m: &NumberMatch, next_start: usize, next_heads: &[usize]) -> Citation {
    let Range { start, end } = m.span.clone();
    let clause = clause_before(text, start);
    let relation = relation_of(&text[clause..start]);
    let tail = Tail::read(text, end, next_start, next_heads);
    Citation {
        start,
        end,
        raw: text[start..end].to_string(),
        key: Some(m.number.key()),
        number: m.number.to_string(),
        kind: None,
        date: tail.date,
        issuer: tail.issuer,
        term: tail.term,
        subject: tail.subject,
        relation,
        resolved_from: None,
        target: Some(m.number.clone()),
    }
}

/// Whether `n` is the document's own number `own`, or its truncated
/// spelling: the serial and type code alone, as in a site's attachment
/// line "File: Chương trình số 04-Ctr" under 04-CTr/BDVTW-TCCT.
fn is_own(own: &DocNumber, n: &DocNumber) -> bool {
    if own.key() == n.key() {
        return true;
    }
    n.shape() == super::Shape::Old
        && n.serial() == own.serial()
        && n.issuers().is_empty()
        && n.type_code().is_some()
        && n.type_code() == own.type_code()
}

/// The start of the clause a position is in: after the last ";", ".",
/// "(" or line break before it (at most 300 bytes back). A colon does not
/// end a clause: "quán triệt ... như: Quyết định số 23-QĐ/TW".
pub(crate) fn clause_before(text: &str, at: usize) -> usize {
    let mut floor = at.saturating_sub(300);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let window = &text[floor..at];
    let mut cut = floor;
    for (i, c) in window.char_indices() {
        let sentence_end = c == '.'
            && window[i + 1..].starts_with(|n: char| n.is_whitespace())
            && !window[..i].ends_with(|p: char| p.is_ascii_digit());
        if matches!(c, ';' | '(' | '\n') || sentence_end {
            cut = floor + i + c.len_utf8();
        }
    }
    cut
}

/// The kind noun written just before a number ("Nghị quyết số ",
/// "NGHỊ QUYẾT ", "Luật Đất đai số "), in sentence case, with the byte
/// offset where it starts in `text`.
pub(crate) fn kind_before(text: &str, start: usize) -> Option<(String, usize)> {
    let mut floor = start.saturating_sub(160);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let window = &text[floor..start];
    let trimmed = window.trim_end_matches(|c: char| c.is_whitespace() || c == ':');
    let (head, with_so) = match trimmed.char_indices().rev().nth(1) {
        Some((i, _)) if fold_key(&trimmed[i..]) == "so" => (&trimmed[..i], true),
        _ => (trimmed, false),
    };
    let head = head.trim_end();
    if let Some((noun, at)) = noun_ending(head) {
        return Some((noun.to_string(), floor + at));
    }
    if !with_so {
        return None;
    }
    // "Luật Đất đai số 31/2024/QH15", "Quyết định giao đất số 15/QĐ-UBND":
    // the nearest noun in the same phrase, at most eight words back.
    let phrase_start = head
        .rfind([',', ';', '(', ')', '.', '\n', '“', '"', ':'])
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
    let phrase = &head[phrase_start..];
    let starts = word_starts(phrase);
    starts.iter().rev().take(8).find_map(|&at| {
        let candidate = &phrase[at..];
        noun_starting(candidate)
            .filter(|_| candidate.starts_with(char::is_uppercase))
            .map(|noun| (noun.to_string(), floor + phrase_start + at))
    })
}

/// The kind noun `s` ends with (compared folded, on a word boundary),
/// with the byte offset where it starts in `s`.
fn noun_ending(s: &str) -> Option<(&'static str, usize)> {
    let starts = word_starts(s);
    KIND_NOUNS_FOLDED
        .iter()
        .find_map(|(noun, _, folded, words)| {
            let at = *starts
                .len()
                .checked_sub(*words)
                .and_then(|i| starts.get(i))?;
            (folded_prefix_len(&s[at..], folded) == Some(s.len() - at)).then_some((*noun, at))
        })
}

/// The kind noun `s` starts with (compared folded, on a word boundary).
fn noun_starting(s: &str) -> Option<&'static str> {
    KIND_NOUNS_FOLDED
        .iter()
        .find(|(_, _, folded, _)| folded_prefix_len(s, folded).is_some())
        .map(|(noun, _, _, _)| *noun)
}

/// What follows a number: date, issuer, khóa, subject.
#[derive(Default)]
struct Tail {
    date: Option<NaiveDate>,
    issuer: Option<String>,
    term: Option<String>,
    subject: Option<String>,
}

impl Tail {
    fn read(text: &str, from: usize, limit: usize, next_heads: &[usize]) -> Tail {
        let mut t = Tail::default();
        let mut at = from;
        let region = |at: usize| &text[at..limit.max(at)];
        for _ in 0..4 {
            let rest = region(at);
            let skip = rest.len() - rest.trim_start_matches([' ', '\t', ',']).len();
            let rest_trim = &rest[skip..];
            if t.date.is_none()
                && let Some((d, len)) = date_at_start(rest)
            {
                t.date = Some(d);
                at += len;
                continue;
            }
            if t.term.is_none()
                && let Some(c) = TERM_RE.captures(rest)
            {
                t.term = c.name("t").map(|m| m.as_str().to_string());
                at += c.get(0).map_or(0, |m| m.end());
                continue;
            }
            if t.issuer.is_none()
                && let Some(after) = rest_trim.strip_prefix("của ")
            {
                let name = issuer_phrase(after);
                if !name.is_empty() && starts_with_body(name) && name.split(' ').count() <= 14 {
                    t.issuer = Some(name.to_string());
                    at += skip + "của ".len() + name.len();
                    continue;
                }
            }
            break;
        }
        t.subject = subject_at(text, at, next_heads);
        t
    }
}

/// The issuer phrase at the start of `s` (after "của"): bodies joined by
/// "và" / "với" / ",", up to "về", "khóa", a date or punctuation.
fn issuer_phrase(s: &str) -> &str {
    let s = &s[..issuer_end(s)];
    let mut end = s.len();
    for (i, _) in s.match_indices(" và ").chain(s.match_indices(" với ")) {
        let next = s[i..].trim_start().split_once(' ').map_or("", |(_, r)| r);
        if !starts_with_body(next) {
            end = end.min(i);
        }
    }
    s[..end].trim_end()
}

/// Where an issuer phrase ends: before "về", "khóa", a date, or
/// punctuation.
fn issuer_end(s: &str) -> usize {
    let mut end = s.len();
    for stop in [
        " về ",
        " về\n",
        " V/v",
        " v/v",
        " khóa ",
        " khoá ",
        " ngày ",
        " ban hành",
        " thực hiện",
        " tại ",
        " nhằm ",
        " đã ",
        " năm ",
        ",",
        ";",
        "(",
        ")",
        "“",
        "”",
        "\"",
        ".",
        "\n",
    ] {
        if let Some(i) = s.find(stop) {
            end = end.min(i);
        }
    }
    end
}

/// "về ..." (or a quoted title) at `at`, to the end of its clause: ";",
/// a sentence end, an unbalanced closing quote or parenthesis, a line
/// break, or a following citation joined by "và" or "," (its head among
/// `next_heads`).
fn subject_at(text: &str, at: usize, next_heads: &[usize]) -> Option<String> {
    let s = &text[at..];
    let t = s.trim_start_matches([' ', '\t', ',']);
    let lead = s.len() - t.len();
    let lower: String = t.chars().take(4).collect::<String>().to_lowercase();
    let skip = if lower.starts_with("về") {
        "về".len()
    } else if lower.starts_with("v/v") {
        "v/v".len()
    } else if t.starts_with(['“', '"']) {
        0
    } else {
        return None;
    };
    if skip > 0 && t[skip..].starts_with(|c: char| c.is_alphanumeric()) {
        return None; // "vềnh", not "về"
    }
    let body_at = at + lead + skip;
    let body = text[body_at..].trim_start_matches([' ', '\t']);
    let body_at = text.len() - body.len();
    let mut end = body.len().min(600);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let quoted_title = skip == 0;
    let mut depth = 0i32;
    let mut ascii_open = false;
    for (i, c) in body[..end].char_indices() {
        let abs = body_at + i;
        if next_heads.contains(&abs) && coordinated(&body[..i]) {
            end = i;
            break;
        }
        let prev_word_char = body[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_alphanumeric() || p == '.');
        let (stop, after) = match c {
            '“' => {
                depth += 1;
                (false, false)
            }
            '”' => {
                depth -= 1;
                (depth < 0, quoted_title && depth == 0)
            }
            // An ASCII quote after a word closes; otherwise it opens.
            '"' if prev_word_char => {
                if ascii_open {
                    ascii_open = false;
                    (false, quoted_title && depth == 0)
                } else {
                    (depth <= 0, false)
                }
            }
            '"' => {
                ascii_open = true;
                (false, false)
            }
            ';' | ')' | '(' | '\n' => (depth <= 0 && !ascii_open, false),
            '.' => {
                let rest = body[i..].trim_start_matches('.');
                let ends = rest.chars().next().is_none_or(char::is_whitespace);
                (depth <= 0 && !ascii_open && ends, false)
            }
            _ => (false, false),
        };
        if stop {
            end = i;
            break;
        }
        if after {
            end = i + c.len_utf8();
            break;
        }
    }
    let mut subject = body[..end].trim();
    // A title given in quotes only: drop the quotes.
    for (open, close) in [('“', '”'), ('"', '"')] {
        if let Some(inner) = subject
            .strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            && !inner.contains([open, close])
        {
            subject = inner;
        }
    }
    let subject = subject.trim_end_matches([',', ' ']);
    let subject = subject.strip_prefix("về ").unwrap_or(subject);
    let subject = trim_connector(subject);
    (!subject.is_empty()).then(|| subject.to_string())
}

/// Whether a subject so far ends with a coordinating "và" or ",".
fn coordinated(before: &str) -> bool {
    let t = before.trim_end();
    t.ends_with(',') || t.ends_with(" và") || t.ends_with(';')
}

/// Drops a trailing "và" or "," left where a subject was cut.
fn trim_connector(s: &str) -> &str {
    let mut s = s.trim_end();
    loop {
        let t = s.trim_end_matches([',', ' ']);
        let t = t.strip_suffix(" và").unwrap_or(t);
        if t.len() == s.len() {
            return s;
        }
        s = t.trim_end();
    }
}
