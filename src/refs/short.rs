//! Short forms and unnumbered references.
//!
//! - A short form names an earlier full citation by its kind and serial
//!   ("Nghị quyết 25", "(Kết luận số 114)"); it resolves to the nearest
//!   earlier full citation with that serial and a matching kind. With no
//!   such citation before it, a short form that reads as a name (kind
//!   noun capitalized, not a count: "Nghị quyết 26", not "Kế hoạch 5
//!   năm") is reported unresolved: its digits as the number, no key.
//! - An alias is introduced by "(sau đây gọi tắt là X)" after a full
//!   citation; later occurrences of X resolve to it.
//! - Unnumbered references ("Nghị quyết Đại hội XIII", "Nghị quyết Trung
//!   ương 6 khóa XII") are reported with their spans only.
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::is_combining_mark;

use super::citation::{Citation, Unnumbered, clause_before};
use super::norm::fold_key;
use super::relation::{Relation, relation_of};

/// How many "(sau đây gọi tắt là ...)" definitions a text may make.
const MAX_ALIASES: usize = 32;

/// "Nghị quyết 25", "Kết luận số 114", "Chỉ thị số 18".
static SHORT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<kind>(?i:nghị\squyết|chỉ\sthị|quyết\sđịnh|quy\sđịnh|kết\sluận|kế\shoạch|chương\strình(?:\shành\sđộng|\sphối\shợp)?|hướng\sdẫn|thông\sbáo|nghị\sđịnh|thông\stư|công\svăn))[ \t\u{a0}]+(?:(?i:số)[ \t\u{a0}]*)?(?P<serial>[0-9]{1,5}[a-z]?)",
    )
    .expect("the short-form pattern is valid")
});

/// "(sau đây gọi tắt là Nghị quyết 25)", "(sau đây gọi là “Quy chế”)".
static ALIAS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\((?:sau đây )?(?:được )?gọi (?:tắt )?là:?[ \t\u{a0}]*[“"]?(?P<alias>[^)”"\n]{2,80}?)[”"]?\)"#,
    )
    .expect("the alias pattern is valid")
});

/// "Nghị quyết Đại hội XIII", "Nghị quyết Đại hội Đảng toàn quốc lần
/// thứ XII", "Nghị quyết Trung ương 6 khóa XII", "Nghị quyết Hội nghị
/// Trung ương 4 (khóa XII)".
static UNNUMBERED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<kind>[Nn]ghị\squyết|NGHỊ\sQUYẾT|[Vv]ăn\skiện|[Cc]hỉ\sthị|[Kk]ết\sluận)[ \t\u{a0}]+(?:Đại\shội(?:[ \t\u{a0}]+[\p{L}]+){0,6}?[ \t\u{a0}]+[IVXL]+\b|(?:Hội\snghị[ \t\u{a0}]+)?(?:lần[ \t\u{a0}]+thứ[ \t\u{a0}]+[0-9]{1,2}[ \t\u{a0}]+)?(?:Ban\sChấp\shành[ \t\u{a0}]+)?Trung\sương(?:[ \t\u{a0}]+Đảng)?[ \t\u{a0}]+(?:lần[ \t\u{a0}]+thứ[ \t\u{a0}]+)?[0-9]{1,2}(?:[ \t\u{a0}]*\(?[ \t\u{a0}]*(?:khóa|khoá)[ \t\u{a0}]+[IVXL]+\b\)?)?)",
    )
    .expect("the unnumbered pattern is valid")
});

/// Adds short forms and aliases to `full` (the numbered citations, in
/// order) and finds the unnumbered references; returns the citations in
/// text order with `resolved_from` pointing into the returned vector.
pub(crate) fn add_short_forms(text: &str, full: Vec<Citation>) -> (Vec<Citation>, Vec<Unnumbered>) {
    // `full` is in text order with disjoint spans: overlap tests and the
    // search for an earlier citation are binary searches, so a text with
    // many numbers and many short forms stays near linear.
    let covered = |s: usize, e: usize| {
        let i = full.partition_point(|c| c.end <= s);
        full.get(i).is_some_and(|c| c.start < e)
    };
    let mut by_serial: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in full.iter().enumerate() {
        if let Some(n) = &c.target {
            by_serial.entry(serial_key(n.serial())).or_default().push(i);
        }
    }
    // (citation, index into `full` it resolves to)
    let mut short: Vec<(Citation, usize)> = Vec::new();
    // Short forms no earlier citation resolves.
    let mut bare: Vec<Citation> = Vec::new();
    for caps in SHORT_RE.captures_iter(text) {
        let (Some(whole), Some(kind), Some(serial)) =
            (caps.get(0), caps.name("kind"), caps.name("serial"))
        else {
            continue;
        };
        if continues_number(&text[whole.end()..]) {
            continue;
        }
        if text[..kind.start()].ends_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        if covered(whole.start(), whole.end()) {
            continue;
        }
        let kind_f = fold_key(kind.as_str());
        let candidates = by_serial
            .get(serial_key(serial.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let before = candidates.partition_point(|&i| full[i].end <= whole.start());
        let kind_agrees = |i: &usize| {
            full[*i].kind.as_deref().is_none_or(|k| {
                fold_key(k).starts_with(&kind_f) || kind_f.starts_with(&fold_key(k))
            })
        };
        let earlier = candidates[..before]
            .iter()
            .rev()
            .take(64)
            .copied()
            .find(kind_agrees);
        let start = kind.start();
        let bare_form = || bare_short(text, start, whole.end(), kind.as_str(), serial.as_str());
        let target = match earlier {
            Some(t) => t,
            None => {
                let Some(c) = bare_form() else { continue };
                // "Chỉ thị 05" written before its full form "Chỉ thị số
                // 05-CT/TW" (a title, a lead): the nearest later full
                // citation of that kind (its kind must be stated).
                let later = candidates[before..]
                    .iter()
                    .take(64)
                    .copied()
                    .find(|i| full[*i].kind.is_some() && kind_agrees(i));
                match later {
                    Some(t) => t,
                    None => {
                        bare.push(c);
                        continue;
                    }
                }
            }
        };
        let c = short_citation(text, start, whole.end(), &full[target], Some(kind.as_str()));
        short.push((c, target));
    }
    // An alias is looked for through the rest of the text: a few per
    // document at most.
    // Every alias definition contains "gọi ": without it there is none.
    let aliases = if text.contains("g\u{1ecd}i ") {
        ALIAS_RE
            .captures_iter(text)
            .take(MAX_ALIASES)
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    for caps in aliases {
        let (Some(whole), Some(alias)) = (caps.get(0), caps.name("alias")) else {
            continue;
        };
        let alias = alias.as_str().trim();
        if !alias.starts_with(char::is_uppercase) {
            continue; // a defined term ("hộ gia đình"), not a document
        }
        // The alias names the nearest full citation before it.
        let Some(target) = full
            .partition_point(|c| c.end <= whole.start())
            .checked_sub(1)
            .filter(|&i| whole.start() - full[i].end < 300)
        else {
            continue;
        };
        let mut from = whole.end();
        while let Some(i) = text[from..].find(alias) {
            let s = from + i;
            let e = s + alias.len();
            from = e;
            let bounded = !text[..s].ends_with(|c: char| c.is_alphanumeric())
                && !text[e..].starts_with(|c: char| c.is_alphanumeric());
            let taken = covered(s, e)
                || short
                    .iter()
                    .rev()
                    .take(256)
                    .any(|(c, _)| s < c.end && c.start < e);
            if bounded && !taken {
                short.push((short_citation(text, s, e, &full[target], None), target));
            }
        }
    }
    // Every unnumbered reference contains "Đại" or "Trung".
    let unnumbered = if text.contains("\u{110}\u{1ea1}i") || text.contains("Trung") {
        UNNUMBERED_RE.find_iter(text).collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let unnumbered = unnumbered
        .into_iter()
        .filter(|m| !covered(m.start(), m.end()))
        .map(|m| Unnumbered {
            start: m.start(),
            end: m.end(),
            raw: m.as_str().to_string(),
        })
        .collect();
    (merge(full, short, bare), unnumbered)
}

/// A serial as looked up: without leading zeros ("05" and "5" name the
/// same document).
fn serial_key(serial: &str) -> &str {
    let t = serial.trim_start_matches('0');
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        serial
    } else {
        t
    }
}

/// Whether the text after a serial goes on as a number ("25-NQ", "25/",
/// "25.5", "2018") rather than ending a short form.
fn continues_number(after: &str) -> bool {
    let mut cs = after.chars();
    match cs.next() {
        None => false,
        Some(c) if c.is_alphanumeric() || matches!(c, '/' | '-' | '–' | '—') => true,
        Some('.' | ',') => cs.next().is_some_and(|n| n.is_ascii_digit()),
        Some(' ') => {
            let t = after.trim_start_matches(' ');
            t.starts_with(['-', '–', '—', '/'])
        }
        _ => false,
    }
}

fn short_citation(
    text: &str,
    start: usize,
    end: usize,
    target: &Citation,
    kind: Option<&str>,
) -> Citation {
    let relation = if target.relation == Relation::OwnNumber {
        Relation::OwnNumber
    } else {
        relation_of(&text[clause_before(text, start)..start])
    };
    let kind = kind.map(sentence_case).or_else(|| target.kind.clone());
    Citation {
        start,
        end,
        raw: text[start..end].to_string(),
        number: target.number.clone(),
        key: target.key.clone(),
        kind,
        date: None,
        issuer: None,
        term: None,
        subject: None,
        relation,
        resolved_from: None,
        partial: false,
        target: target.target.clone(),
    }
}

/// Words that make "Kế hoạch 5 năm", "thông báo 3 lần" a count, not a
/// short form (folded).
const COUNTED: &[&str] = &[
    "nam", "thang", "ngay", "tuan", "gio", "phut", "lan", "dot", "ky", "nguoi", "ho", "dong",
    "trieu", "ty", "nghin", "ngan", "van", "ban", "trang", "diem", "muc", "noi", "nhiem", "giai",
    "tieu", "linh", "nhom", "chuong", "dieu", "khoan", "cap", "don", "xa", "huyen", "tinh", "cuoc",
    "loai", "phan", "buoc", "km",
];

/// A short form no earlier full citation resolves ("Nghị quyết 26" with
/// no "Nghị quyết số 26-..." before it): its digits only, no key. Only
/// when it reads as a name: the kind noun capitalized, not a count
/// ("Kế hoạch 5 năm", "Thông báo 3 lần") and not a year ("Chương trình
/// 2021"). "Nghị định 15 ngày 3/4/1995" and "Quyết định 15 năm 2020"
/// name documents.
fn bare_short(text: &str, start: usize, end: usize, kind: &str, serial: &str) -> Option<Citation> {
    if !kind.starts_with(char::is_uppercase) {
        return None;
    }
    if serial.len() == 4 && (serial.starts_with("19") || serial.starts_with("20")) {
        return None;
    }
    let next = text[end..].trim_start_matches([' ', '\t', '\u{a0}']);
    let word_end = next
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || is_combining_mark(c)))
        .map_or(next.len(), |(i, _)| i);
    let word = fold_key(&next[..word_end]);
    let dated = matches!(word.as_str(), "ngay" | "nam")
        && next[word_end..]
            .trim_start_matches([' ', '\t', '\u{a0}'])
            .starts_with(|c: char| c.is_ascii_digit())
        && !matches!(fold_key(kind).as_str(), "ke hoach" | "chuong trinh");
    if !dated && COUNTED.contains(&word.as_str()) {
        return None;
    }
    // "Nghị định số 3 5/2019/NĐ-CP" (a number cut by a space), a form's
    // blank "QUYẾT ĐỊNH 1....".
    if next.starts_with(['%', '/']) || next.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if text[end..].starts_with("..") {
        return None;
    }
    Some(Citation {
        start,
        end,
        raw: text[start..end].to_string(),
        number: serial.to_string(),
        key: None,
        kind: Some(sentence_case(kind)),
        date: None,
        issuer: None,
        term: None,
        subject: None,
        relation: relation_of(&text[clause_before(text, start)..start]),
        resolved_from: None,
        partial: false,
        target: None,
    })
}

fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut cs = lower.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// Merges full, short and unresolved short citations in text order (a
/// short one that overlaps one before it is dropped), pointing each short
/// one at its target's new index.
fn merge(full: Vec<Citation>, short: Vec<(Citation, usize)>, bare: Vec<Citation>) -> Vec<Citation> {
    let n_full = full.len();
    let mut all: Vec<(Citation, Option<usize>, Option<usize>)> = full
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, Some(i), None))
        .chain(short.into_iter().map(|(c, t)| (c, None, Some(t))))
        .chain(bare.into_iter().map(|c| (c, None, None)))
        .collect();
    // Full citations first at equal spans, so they win over short ones.
    all.sort_by_key(|(c, old, _)| (c.start, old.is_none(), c.end));
    let mut kept: Vec<(Citation, Option<usize>, Option<usize>)> = Vec::with_capacity(all.len());
    for item in all {
        let overlaps = kept
            .last()
            .is_some_and(|(prev, _, _)| item.0.start < prev.end);
        if overlaps && item.1.is_none() {
            continue;
        }
        kept.push(item);
    }
    let mut new_index = vec![0usize; n_full];
    for (pos, (_, old, _)) in kept.iter().enumerate() {
        if let Some(old) = old {
            new_index[*old] = pos;
        }
    }
    kept.into_iter()
        .map(|(mut c, _, target)| {
            if let Some(t) = target {
                c.resolved_from = Some(new_index[t]);
            }
            c
        })
        .collect()
}
