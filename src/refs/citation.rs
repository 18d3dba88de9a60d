//! Citations: for each number occurrence, what the text around it says
//! about the cited document: the kind noun before it ("Nghị quyết số
//! ..."), the date, issuer, khóa and subject after it ("ngày 03/6/2013
//! của Ban Chấp hành Trung ương Đảng (khóa XI) về ...", read in
//! `tail.rs`), and the relation its clause gives it (`relation.rs`).
//! Short forms and unnumbered references are in `short.rs`.
//!
//! The relation is the citing document's, so a number inside another
//! citation's description ("Chỉ thị số 18-CT/TW ... về tiếp tục thực hiện
//! Nghị quyết số 25-NQ/TW") is only mentioned, and a clause whose actor is
//! another document ("Quy chế mới ... thay thế Quyết định số 290-QĐ/TW")
//! reports what that one does.
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::norm::{fold_key, folded_prefix_len, word_starts};
use super::patterns::KIND_NOUNS_FOLDED;
use super::relation::{Relation, relation_of};
use super::tail::Tail;
use super::{DocNumber, NumberMatch, scan_numbers};

/// One citation of a numbered document: what `refs` finds, what the index
/// stores per document (`doc::DocRef` is this type) and what the API and
/// `vanban refs --json` print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
    /// The relation touches only part of the cited document ("bãi bỏ
    /// Điều 5 của Quyết định số ...", "khoản 2 Điều 3 Chỉ thị số ... hết
    /// hiệu lực"). Serialized only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The cited number, parsed; `None` for an unresolved short form
    /// (and after deserializing: parse `number` again).
    #[serde(skip)]
    #[schema(ignore)]
    pub target: Option<DocNumber>,
}

impl Citation {
    /// Whether this is a citation edge (not the document's own number,
    /// not an unresolved short form).
    pub fn is_edge(&self) -> bool {
        self.relation != Relation::OwnNumber && self.key.is_some()
    }
}

/// A reference to a document without a number ("Nghị quyết Đại hội XIII",
/// "Nghị quyết Trung ương 6 khóa XII").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unnumbered {
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The text as written.
    pub raw: String,
}

/// Every reference of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefSet {
    /// Numbered citations and resolved short forms, in text order.
    pub refs: Vec<Citation>,
    /// References without a number, in text order.
    pub unnumbered: Vec<Unnumbered>,
}

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
    let mut tails: Vec<Tail> = Vec::with_capacity(matches.len());
    for (i, m) in matches.iter().enumerate() {
        let next_start = matches.get(i + 1).map_or(text.len(), |n| n.span.start);
        let tail = Tail::read(text, m.span.end, next_start, &heads[i + 1..]);
        let mut c = full_citation(text, m, heads[i], &tail);
        c.kind = kinds[i].as_ref().map(|(k, _)| k.clone());
        if c.issuer.is_none() {
            c.issuer = issuer_between(text, heads[i], m.span.start)
                .or_else(|| issuer_before(text, heads[i]));
        }
        if c.kind.is_none()
            && let Some(prev) = refs.last()
            && is_list_gap(&text[prev.end..c.start])
        {
            c.kind = prev.kind.clone();
        }
        if own.is_some_and(|o| is_own(o, &m.number)) {
            c.relation = Relation::OwnNumber;
        } else if ends_validity(text, m.span.end, next_start) {
            c.relation = Relation::Terminates;
        }
        refs.push(c);
        tails.push(tail);
    }
    let nested = nested_in_descriptions(&refs, &tails, &heads);
    let aside = |i: usize| nested[i] || parenthesised(text, heads[i]);
    // "Căn cứ A; B;", "quán triệt ... như: A; B; C", "triển khai: (1) A;
    // (2) B": an item of a list after ";" with no verb of its own shares
    // the relation of the item before (a parenthesised short name or a
    // number inside the item's description is not an item).
    for i in 1..refs.len() {
        if refs[i].relation != Relation::Mentions || aside(i) {
            continue;
        }
        let clause = clause_before(text, heads[i]);
        if !strip_enumerators(&text[clause..heads[i]]).is_empty() || !text[..clause].ends_with(';')
        {
            continue;
        }
        let mut j = i - 1;
        while j > 0 && aside(j) {
            j -= 1;
        }
        if refs[j].end <= clause && refs[j].relation != Relation::OwnNumber {
            refs[i].relation = refs[j].relation;
        }
    }
    share_tails(text, &mut refs, &tails, &heads);
    for (c, nested) in refs.iter_mut().zip(&nested) {
        if *nested && c.relation != Relation::OwnNumber {
            c.relation = Relation::Mentions;
        }
    }
    for (c, &head) in refs.iter_mut().zip(&heads) {
        c.partial =
            acts_on_validity(c.relation) && names_a_part(&text[clause_before(text, head)..head]);
    }
    let (refs, unnumbered) = super::short::add_short_forms(text, refs);
    RefSet { refs, unnumbered }
}

/// Relations that change the cited document's validity.
fn acts_on_validity(r: Relation) -> bool {
    matches!(
        r,
        Relation::Replaces
            | Relation::Repeals
            | Relation::Suspends
            | Relation::Terminates
            | Relation::Amends
            | Relation::ReplacedBy
            | Relation::RepealedBy
            | Relation::SuspendedBy
    )
}

/// Whether a clause before a citation names a part of it: "Điều 5",
/// "khoản 2", "điểm a", "Chương II", "Mục 3", "Phần I", "một số điều".
fn names_a_part(clause: &str) -> bool {
    // The citing document's own article heading ("Điều 1. Bãi bỏ ...")
    // is not a part of the cited one.
    let t = clause.trim_start();
    let heading = t
        .char_indices()
        .take(24)
        .find(|&(_, c)| c == '.' || c == ':')
        .filter(|&(i, _)| {
            let f = fold_key(&t[..i]);
            let mut w = f.split_whitespace();
            w.next() == Some("dieu")
                && w.next()
                    .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
                && w.next().is_none()
        })
        .map_or(0, |(i, _)| i + 1);
    let f = fold_key(&t[heading..]);
    let words: Vec<&str> = f
        .split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| {
        matches!(w[0], "dieu" | "khoan" | "diem" | "chuong" | "muc" | "phan")
            && (w[1].starts_with(|c: char| c.is_ascii_digit())
                || w[1].chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l'))
                || (w[0] == "diem" && w[1].len() == 1))
    }) || f.contains("mot so dieu")
}

/// Whether the text after a citation (from `from` to the next number at
/// `limit`, within its sentence) says it ends: "Chỉ thị số 05-CT/TW ...
/// hết hiệu lực", "... không còn hiệu lực".
fn ends_validity(text: &str, from: usize, limit: usize) -> bool {
    let rest = &text[from.min(limit)..limit];
    let mut end = rest.len().min(240);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let window = &rest[..end];
    let sentence_end = window
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ';' | '\n')
                || (c == '.' && window[i + 1..].starts_with(char::is_whitespace))
        })
        .map_or(window.len(), |(i, _)| i);
    let f = fold_key(&window[..sentence_end]);
    ["het hieu luc", "khong con hieu luc"].iter().any(|p| {
        f.find(p).is_some_and(|at| {
            // "có hiệu lực ... hết hiệu lực" of another clause, "khi ...
            // hết hiệu lực" (a condition) do not count.
            let before = f[..at].trim_end();
            !before.ends_with("khi") && !before.ends_with("neu") && !before.contains("co hieu luc")
        })
    })
}

/// Which citations lie inside an earlier citation's subject or describing
/// phrase. Inside the document's own number's title ("Chương trình hành
/// động số 58-CTr/TU ... thực hiện Nghị quyết số 43-NQ/TW") they keep
/// their relation: that describes the citing document itself.
fn nested_in_descriptions(refs: &[Citation], tails: &[Tail], heads: &[usize]) -> Vec<bool> {
    let mut nested = vec![false; refs.len()];
    // The furthest description so far, and whether it is the own number's.
    let mut reach: Option<(usize, bool)> = None;
    for i in 0..refs.len() {
        if let Some((end, own)) = reach
            && heads[i] < end
        {
            nested[i] = !own;
        }
        if let Some(end) = tails[i].described_to
            && reach.is_none_or(|(e, _)| end > e)
        {
            reach = Some((end, refs[i].relation == Relation::OwnNumber));
        }
    }
    nested
}

/// Whether the citation starting at `head` opens a parenthesis: a short
/// name after a full citation ("(Quyết định số 99-QĐ/TW)").
fn parenthesised(text: &str, head: usize) -> bool {
    text[..head].trim_end().ends_with('(')
}

/// `lead` without list markers: dashes, bullets, "(2)", "2)", "b)".
fn strip_enumerators(lead: &str) -> &str {
    let mut s = lead.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '+' | '•'));
    loop {
        let inner = s.strip_prefix('(').unwrap_or(s);
        let marker_len = inner
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric())
            .count();
        match inner[marker_len..].strip_prefix(')') {
            Some(after) if (1..=2).contains(&marker_len) => {
                s = after.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '+'));
            }
            _ => return s,
        }
    }
}

/// "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày ... về
/// ...": what follows the last of a list is said of all of them, and
/// quoted titles one per document ("về “A”, “B”") go one to each.
fn share_tails(text: &str, refs: &mut [Citation], tails: &[Tail], heads: &[usize]) {
    let bare = |c: &Citation| c.date.is_none() && c.issuer.is_none() && c.subject.is_none();
    let mut owner = refs.len();
    while owner > 0 {
        owner -= 1;
        let mut first = owner;
        while first > 0
            && bare(&refs[first - 1])
            && heads[first] >= refs[first - 1].end
            && is_list_gap(&text[refs[first - 1].end..heads[first]])
        {
            first -= 1;
        }
        if first == owner {
            continue;
        }
        let o = refs[owner].clone();
        let titles = &tails[owner].titles;
        let one_each = titles.len() == owner - first + 1;
        for (k, c) in refs[first..=owner].iter_mut().enumerate() {
            (c.date, c.issuer, c.term) = (o.date, o.issuer.clone(), o.term.clone());
            c.subject = if one_each {
                Some(titles[k].clone())
            } else {
                o.subject.clone()
            };
        }
        owner = first;
    }
}

/// ", ", " và ", "; ": the gap between two numbers of one list.
fn is_list_gap(gap: &str) -> bool {
    let g = gap.trim();
    matches!(g, "," | ";" | "và" | ", và" | "&")
}

/// The citation of `m`, whose head (kind noun, else number) is at `head`:
/// the relation comes from its clause up to the head, so the kind noun
/// ("Hướng dẫn số ...") is not read as a verb.
fn full_citation(text: &str, m: &NumberMatch, head: usize, tail: &Tail) -> Citation {
    let Range { start, end } = m.span.clone();
    let head = head.min(start);
    let clause = clause_before(text, head);
    let relation = relation_of(&text[clause..head]);
    Citation {
        start,
        end,
        raw: text[start..end].to_string(),
        key: Some(m.number.key()),
        number: m.number.to_string(),
        kind: None,
        date: tail.date,
        issuer: tail.issuer.clone(),
        term: tail.term.clone(),
        subject: tail.subject.clone(),
        relation,
        resolved_from: None,
        partial: false,
        target: Some(m.number.clone()),
    }
}

/// The issuer written between the kind noun and the number: "Quyết định
/// của Bộ Chính trị số 31-QĐ/TW".
fn issuer_between(text: &str, head: usize, start: usize) -> Option<String> {
    if head >= start {
        return None;
    }
    let between = &text[head..start];
    let at = word_starts(between)
        .into_iter()
        .find(|&w| fold_key(between[w..].split(' ').next().unwrap_or("")) == "cua")?;
    super::tail::issuer_at(&between[at..]).map(|(_, name)| name)
}

/// The issuer written before the kind noun, as the subject of "ban
/// hành": "Bộ Chính trị vừa ban hành Chỉ thị 05-CT/TW", "Ban Bí thư đã
/// ban hành Quy định số ...".
fn issuer_before(text: &str, head: usize) -> Option<String> {
    let clause = clause_before(text, head);
    let seg = &text[clause..head];
    let starts = word_starts(seg);
    let word = |i: usize| {
        let w = &seg[starts[i]..];
        let end = w
            .find(|c: char| {
                !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c))
            })
            .unwrap_or(w.len());
        fold_key(&w[..end])
    };
    let n = starts.len();
    if n < 3 || word(n - 2) != "ban" || word(n - 1) != "hanh" {
        return None;
    }
    // What follows "ban hành" up to the kind noun is blank.
    if !seg[starts[n - 1]..]
        .trim_end()
        .chars()
        .all(char::is_alphabetic)
    {
        return None;
    }
    let mut end_word = n - 2;
    if matches!(word(end_word - 1).as_str(), "vua" | "da" | "moi" | "ky") {
        end_word -= 1;
    }
    let sub = &seg[..starts[end_word]];
    let sub_from = sub.rfind([',', ';', ':', '(', ')']).map_or(0, |i| i + 1);
    let first = starts.partition_point(|&w| w < sub_from);
    let lo = first.max(end_word.saturating_sub(12));
    (lo..end_word).find_map(|i| {
        let cand = sub[starts[i]..].trim_end();
        (!cand.is_empty()
            && super::bodies::starts_with_body(cand)
            && !cand.split_whitespace().any(|w| {
                w.starts_with(char::is_lowercase) && NOT_IN_NAMES.contains(&fold_key(w).as_str())
            })
            && cand.split(' ').count() <= 10)
            .then(|| cand.to_string())
    })
}

/// Words (folded, written in lower case) that a body's name does not
/// contain: "Tỉnh ủy yêu cầu các cấp ủy ban hành ..." names no issuer.
const NOT_IN_NAMES: &[&str] = &[
    "cac", "nhung", "cap", "yeu", "cau", "de", "nghi", "giao", "chi", "dao", "da", "duoc", "phai",
    "can", "se", "vua", "moi", "cho", "voi", "tai", "trong",
];

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

/// The start of the clause a position is in: after the last ";", "." or
/// line break before it (at most 400 bytes back), or after a "(" still
/// open there. A colon does not end a clause ("quán triệt ... như: Quyết
/// định số 23-QĐ/TW"), nor does a closed parenthesis ("... (khóa XI) và
/// Chỉ thị số 47-CT/TU", "(1) Quyết định số 99-QĐ/TW").
pub(crate) fn clause_before(text: &str, at: usize) -> usize {
    let mut floor = at.saturating_sub(400);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let window = &text[floor..at];
    let mut cut = floor;
    // The cut before each "(" still open.
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in window.char_indices() {
        let sentence_end = c == '.'
            && window[i + 1..].starts_with(|n: char| n.is_whitespace())
            && !window[..i].ends_with(|p: char| p.is_ascii_digit());
        match c {
            '(' => {
                open.push(cut);
                cut = floor + i + 1;
            }
            ')' => {
                if let Some(before) = open.pop() {
                    cut = before;
                }
            }
            ';' | '\n' => {
                open.clear();
                cut = floor + i + 1;
            }
            _ if sentence_end => {
                open.clear();
                cut = floor + i + 1;
            }
            _ => {}
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
/// with the byte offset where it starts in `s`. Only nouns whose last
/// word is the last word of `s` are compared in full.
fn noun_ending(s: &str) -> Option<(&'static str, usize)> {
    let starts = last_word_starts(s, MAX_NOUN_WORDS);
    let last = fold_key(&s[*starts.last()?..]);
    KIND_NOUNS_FOLDED
        .iter()
        .filter(|(_, _, folded, _)| {
            folded.ends_with(last.as_str())
                && folded[..folded.len() - last.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c == ' ')
        })
        .find_map(|(noun, _, folded, words)| {
            let at = *starts
                .len()
                .checked_sub(*words)
                .and_then(|i| starts.get(i))?;
            (folded_prefix_len(&s[at..], folded) == Some(s.len() - at)).then_some((*noun, at))
        })
}

/// The most words a kind noun has ("Chương trình hành động").
const MAX_NOUN_WORDS: usize = 4;

/// Where the last `n` words of `s` start (in order), when `s` ends with a
/// word; empty otherwise.
fn last_word_starts(s: &str, n: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(n);
    let mut in_word = false;
    let mut word_start = s.len();
    for (i, c) in s.char_indices().rev() {
        let word = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        if word {
            if !in_word && i + c.len_utf8() != s.len() && starts.is_empty() {
                return Vec::new(); // `s` does not end with a word
            }
            in_word = true;
            word_start = i;
        } else if in_word {
            starts.push(word_start);
            in_word = false;
            if starts.len() == n {
                break;
            }
        }
    }
    if in_word && starts.len() < n {
        starts.push(word_start);
    }
    starts.reverse();
    starts
}

/// The kind noun `s` starts with (compared folded, on a word boundary).
fn noun_starting(s: &str) -> Option<&'static str> {
    KIND_NOUNS_FOLDED
        .iter()
        .find(|(_, _, folded, _)| folded_prefix_len(s, folded).is_some())
        .map(|(noun, _, _, _)| *noun)
}
