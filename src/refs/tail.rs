//! What follows a number: its date, issuer and khóa ("ngày 03/6/2013 của
//! Ban Chấp hành Trung ương Đảng (khóa XI)"), then what the document is
//! about: a subject ("về ...", "ban hành ...", a quoted title) or another
//! phrase describing it ("... của Tỉnh ủy thực hiện Nghị quyết số 43"),
//! whose extent tells which later numbers belong to this citation's
//! description rather than to the citing text.
use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::bodies::starts_with_body;
use super::date::date_at_start;
use super::norm::fold_key;

/// The longest subject read, in bytes.
const MAX_SUBJECT: usize = 600;
/// The most quoted titles read in a row ("về “A”, “B”").
const MAX_TITLES: usize = 8;

static TERM_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t\u{a0},]*\(?[ \t\u{a0}]*(?:khóa|khoá|Khóa|Khoá|KHÓA|KHOÁ)[ \t\u{a0}]+(?P<t>[IVXL]+)\b[ \t\u{a0}]*\)?")
        .expect("the term pattern is valid")
});

/// Verbs (folded) that start a phrase describing the cited document
/// ("Chương trình hành động số 58-CTr/TU ... của Tỉnh ủy thực hiện Nghị
/// quyết số 43-NQ/TW"): a number inside it is part of that description.
const DESCRIBING_VERBS: &[&str] = &[
    "thuc hien",
    "trien khai",
    "huong dan",
    "quy dinh",
    "sua doi",
    "bo sung",
    "thay the",
    "bai bo",
    "quan triet",
    "cu the hoa",
];

/// What follows a number.
#[derive(Debug, Default)]
pub(crate) struct Tail {
    pub(crate) date: Option<NaiveDate>,
    pub(crate) issuer: Option<String>,
    pub(crate) term: Option<String>,
    pub(crate) subject: Option<String>,
    /// Quoted titles given one after another ("về “A”, “B”"), when more
    /// than one: one per document of a list ("Quyết định số 217-QĐ/TW và
    /// Quyết định số 218-QĐ/TW ... về “A”, “B”").
    pub(crate) titles: Vec<String>,
    /// Where the subject or describing phrase ends (`None`: there is
    /// none); numbers before it belong to this citation's description.
    pub(crate) described_to: Option<usize>,
}

impl Tail {
    /// Reads what follows the number ending at `from`, up to `limit` (the
    /// next number's start) for the date, issuer and khóa; `next_heads`
    /// are where the following citations start.
    pub(crate) fn read(text: &str, from: usize, limit: usize, next_heads: &[usize]) -> Tail {
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
                && let Some((len, name)) = issuer_at(rest_trim)
            {
                t.issuer = Some(name);
                at += skip + len;
                continue;
            }
            break;
        }
        if let Some(s) = subject_at(text, at, next_heads) {
            t.described_to = Some(s.end);
            t.subject = s.text;
            t.titles = s.titles;
        }
        t
    }
}

/// The issuer stated at the start of `s`, with the bytes it takes:
/// "của Bộ Chính trị", "giữa Ban Tổ chức Trung ương và Ban Dân vận Trung
/// ương", "CỦA BAN BÍ THƯ TRUNG ƯƠNG ĐẢNG" (in capitals: given in its usual
/// spelling), and, with no "của", a known body after an optional
/// "Hội nghị lần thứ bảy": "ngày 3/6/2013 Hội nghị lần thứ bảy Ban Chấp
/// hành Trung ương khóa XI".
pub(crate) fn issuer_at(s: &str) -> Option<(usize, String)> {
    let word_end = s.find([' ', '\u{a0}']).unwrap_or(s.len());
    let lead = fold_key(&s[..word_end]);
    let (lead_len, needs_two) = match lead.as_str() {
        "cua" => (word_end + 1, false),
        "giua" => (word_end + 1, true),
        _ => (0, false),
    };
    let after_lead = s.get(lead_len..)?;
    let meeting = meeting_prefix(after_lead);
    let body_at = lead_len + meeting;
    let rest = s.get(body_at..)?;
    // With no "của", only a known body ("Ban Chấp hành Trung ương"),
    // never a word that merely starts like one ("Ban hành ...").
    if lead_len == 0 && !starts_with_known_body(rest) {
        return None;
    }
    let capitals = is_capitals(rest);
    let name = if capitals {
        // The stops ("về", "ngày" ...) are looked for in lower case.
        let lower = rest.to_lowercase();
        if lower.len() != rest.len() {
            return None;
        }
        let end = issuer_phrase(&lower).len();
        rest.get(..end)?
    } else {
        issuer_phrase(rest)
    };
    let bodies = name.split(" và ").count().max(name.split(" VÀ ").count());
    let enough = !needs_two || bodies >= 2;
    if !enough || name.is_empty() || !starts_with_body(name) || name.split(' ').count() > 14 {
        return None;
    }
    let shown = if capitals {
        super::bodies::display_body(name)
    } else {
        name.to_string()
    };
    Some((body_at + name.len(), shown))
}

/// "Hội nghị lần thứ bảy ", "Hội nghị Trung ương 7 ", "Hội nghị lần thứ
/// 4 " before a body: the bytes to skip.
fn meeting_prefix(s: &str) -> usize {
    static MEETING_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:hội\s+nghị)[ \t\u{a0}]+(?:(?i:lần\s+thứ)[ \t\u{a0}]+[\p{L}0-9]+|(?i:trung\s+ương)[ \t\u{a0}]+[0-9]{1,2})[ \t\u{a0}]+(?:(?i:của)[ \t\u{a0}]+)?")
            .expect("the meeting pattern is valid")
    });
    MEETING_RE.find(s).map_or(0, |m| m.end())
}

/// Whether `s` starts with one of the known bodies, compared folded.
fn starts_with_known_body(s: &str) -> bool {
    let mut end = s.len().min(80);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = fold_key(&s[..end]);
    super::bodies::known_body_prefix(&head)
}

/// Whether the first words of `s` are written in capitals ("BAN BÍ THƯ").
fn is_capitals(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).take(8).collect();
    letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase())
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

/// Where an issuer phrase ends: before "về", "khóa", a date, a verb, or
/// punctuation.
fn issuer_end(s: &str) -> usize {
    // The punctuation first, in one pass: it bounds the other searches.
    let mut end = s
        .find([',', ';', '(', ')', '“', '”', '"', '.', '\n'])
        .unwrap_or(s.len());
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
        " hướng dẫn",
        " triển khai",
        " quy định",
        " tại ",
        " nhằm ",
        " đã ",
        " năm ",
        " số ",
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
        // Only an occurrence before the earliest so far matters.
        let mut upto = s.len().min(end + stop.len());
        while !s.is_char_boundary(upto) {
            upto += 1;
        }
        if let Some(i) = s[..upto].find(stop) {
            end = end.min(i);
        }
    }
    end
}

/// A subject or describing phrase.
struct Subject {
    /// The subject to report; `None` for a describing phrase that is not
    /// one ("thực hiện Nghị quyết ...").
    text: Option<String>,
    titles: Vec<String>,
    /// Byte offset where it ends in the text.
    end: usize,
}

/// How a subject starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// "về ...", "V/v ...".
    About,
    /// "ban hành ...": kept in the subject.
    Issuing,
    /// A quoted title.
    Quoted,
    /// "thực hiện ...", "hướng dẫn ...": describes, is not a subject.
    Describing,
}

/// The subject at `at`, to the end of its clause: ";", a sentence end, an
/// unbalanced closing quote or parenthesis, a line break, or a following
/// citation joined by "và" or "," (its head among `next_heads`). A quoted
/// title ends with its closing quote.
fn subject_at(text: &str, at: usize, next_heads: &[usize]) -> Option<Subject> {
    let s = &text[at..];
    let t = s.trim_start_matches([' ', '\t', ',']);
    let lead_at = at + (s.len() - t.len());
    let head: String = t.chars().take(12).collect();
    let head_folded = fold_key(&head);
    let (lead, skip) = if head.starts_with("về") || head.starts_with("Về") {
        (Lead::About, "về".len())
    } else if head_folded.starts_with("v/v") {
        (Lead::About, "v/v".len())
    } else if t.starts_with(['“', '"']) {
        (Lead::Quoted, 0)
    } else if t.starts_with("ban hành ") && !t.starts_with("ban hành kèm") {
        (Lead::Issuing, 0)
    } else if DESCRIBING_VERBS.iter().any(|v| {
        head_folded.starts_with(v)
            && !head_folded[v.len()..].starts_with(|c: char| c.is_alphanumeric())
    }) {
        (Lead::Describing, 0)
    } else {
        return None;
    };
    if lead == Lead::About && t[skip..].starts_with(|c: char| c.is_alphanumeric()) {
        return None; // "vềnh", not "về"
    }
    let body_at = lead_at + skip;
    let body = text[body_at..].trim_start_matches([' ', '\t']);
    let body_at = text.len() - body.len();
    let mut limit = body.len().min(MAX_SUBJECT);
    while !body.is_char_boundary(limit) {
        limit -= 1;
    }
    let quoted = body.starts_with(['“', '"']);
    let mut titles: Vec<Range<usize>> = Vec::new();
    let end = if quoted {
        let mut end = match close_quote(&body[..limit]) {
            Some(e) => e,
            None => clause_end(body, limit, body_at, next_heads),
        };
        if let Some(first) = close_quote(&body[..limit]) {
            titles.push(0..first);
            // "“A”, “B”", "“A” và “B”": more titles of a list.
            while titles.len() < MAX_TITLES {
                let rest = &body[end..limit];
                let gap = rest.len() - rest.trim_start_matches([',', ' ', '\t']).len();
                let after = &rest[gap..];
                let gap = gap
                    + if after.starts_with("và ") {
                        "và ".len()
                    } else {
                        0
                    };
                let at_next = end + gap;
                let next = &body[at_next..limit];
                if gap == 0 || !next.starts_with(['“', '"']) {
                    break;
                }
                let Some(close) = close_quote(next) else {
                    break;
                };
                titles.push(at_next..at_next + close);
                end = at_next + close;
            }
        }
        end
    } else {
        clause_end(body, limit, body_at, next_heads)
    };
    let described_to = body_at + end;
    if lead == Lead::Describing {
        return Some(Subject {
            text: None,
            titles: Vec::new(),
            end: described_to,
        });
    }
    let subject = clean_subject(&body[..end]);
    let titles = if titles.len() > 1 {
        titles
            .iter()
            .map(|r| clean_subject(&body[r.clone()]))
            .collect()
    } else {
        Vec::new()
    };
    Some(Subject {
        text: (!subject.is_empty()).then_some(subject),
        titles,
        end: described_to,
    })
}

/// The end (after the closing quote) of the quoted title `s` starts
/// with, nested quotes allowed.
fn close_quote(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match (open, c) {
            ('“', '“') => depth += 1,
            ('“', '”') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + c.len_utf8());
                }
            }
            ('"', '"') if i > 0 => return Some(i + 1),
            ('"', '\n') | ('“', '\n') => return None,
            _ => {}
        }
    }
    None
}

/// Where an unquoted subject ends in `body` (at most `limit`).
fn clause_end(body: &str, limit: usize, body_at: usize, next_heads: &[usize]) -> usize {
    let mut end = limit;
    let mut depth = 0i32;
    let mut ascii_open = false;
    for (i, c) in body[..limit].char_indices() {
        let abs = body_at + i;
        if next_heads.binary_search(&abs).is_ok() && coordinated(&body[..i]) {
            end = i;
            break;
        }
        // "... ban hành Quy chế ... và triển khai Kế hoạch số 15-KH/TU": a
        // verb of relation after "và" or "," starts a clause of its own
        // when a citation follows it closely.
        if c == ' ' && coordinated(&body[..i]) && verb_then_head(body, i + 1, body_at, next_heads) {
            end = i;
            break;
        }
        let prev_word_char = body[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_alphanumeric() || p == '.');
        let stop = match c {
            '“' => {
                depth += 1;
                false
            }
            '”' => {
                depth -= 1;
                depth < 0
            }
            // An ASCII quote after a word closes; otherwise it opens.
            '"' if prev_word_char => {
                let unbalanced = !ascii_open && depth <= 0;
                ascii_open = false;
                unbalanced
            }
            '"' => {
                ascii_open = true;
                false
            }
            ';' | ')' | '(' | '\n' => depth <= 0 && !ascii_open,
            '.' => {
                let rest = body[i..].trim_start_matches('.');
                let ends = rest.chars().next().is_none_or(char::is_whitespace);
                depth <= 0 && !ascii_open && ends
            }
            _ => false,
        };
        if stop {
            end = i;
            break;
        }
    }
    end
}

/// A subject as reported: trimmed, a title given in quotes only without
/// its quotes, no trailing connector.
fn clean_subject(s: &str) -> String {
    let mut subject = s.trim();
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
    trim_connector(subject).to_string()
}

/// Whether a verb of relation starts at `at` in `body` ("triển khai",
/// "thực hiện" ...) with a following citation's head at most a few words
/// after it.
fn verb_then_head(body: &str, at: usize, body_at: usize, next_heads: &[usize]) -> bool {
    let rest = &body[at..];
    let mut probe = rest.len().min(40);
    while !rest.is_char_boundary(probe) {
        probe -= 1;
    }
    let folded = fold_key(&rest[..probe]);
    let verb = RELATION_VERBS
        .iter()
        .any(|v| folded.starts_with(v) && !folded[v.len()..].starts_with(char::is_alphanumeric));
    verb && next_heads
        .iter()
        .take_while(|&&h| h <= body_at + at + 80)
        .any(|&h| h > body_at + at)
}

/// Verbs (folded) that give a citation its relation.
const RELATION_VERBS: &[&str] = &[
    "thuc hien",
    "trien khai",
    "quan triet",
    "cu the hoa",
    "thay the",
    "sua doi",
    "bai bo",
    "huong dan",
    "can cu",
];

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
