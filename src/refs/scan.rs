//! The number grammar and the scanner: finds every document number in a
//! text, with its byte span as written.
//!
//! One `regex` (linear time, no backtracking engine) finds candidates:
//! a serial followed by one of the shapes
//!
//! ```text
//! n/yyyy/CODE[-CODE...]       03/2019/NĐ-CP, 57/2020/QH14
//! n-TYPE/ISSUER[-ISSUER...]   25-NQ/TW, 04-CTr/BDVTW-TCCT
//! n/CODE[-CODE...]            33/CT-TTg, 299/TTg, 19046/BTC-TCHQ
//! n TYPE/ISSUER               số 84 QĐ/TWĐTN (only after "số")
//! n-CODE                      169-CP, 15-CT (old state numbers)
//! ```
//!
//! with up to three spaces and one line break around each separator and
//! any dash variant. The regex is deliberately loose; the checks after it
//! decide: what comes before the serial (a digit, "/", "," or a letter
//! other than a glued "số" rejects it), the letter case of each code
//! (a code running into a lowercase word, as in "70-TB/TWngày", is cut
//! where the word begins), the strict rules for the weak shapes (`n-CODE`
//! and `n/CODE`), and form references ("Mẫu số 03/ĐK") which are not
//! documents.
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::is_combining_mark;

use super::NumberMatch;
use super::norm::{fold_key, is_dash};
use super::number::DocNumber;
use super::shapes::{old_number, party_number, state_number};

/// Words before a heading or article number ("Chương 3-...").
const HEADING_WORDS: &[&str] = &[
    "chuong", "phan", "muc", "dieu", "khoan", "diem", "buoc", "tiet", "bai", "luc", "so do",
    "bang", "bieu", "hinh", "trang", "tap", "quyen",
];

/// Whitespace allowed around a separator: a few spaces, one line break.
const WS: &str = r"[ \t\u{a0}]{0,3}(?:\r?\n[ \t\u{a0}]{0,3})?";
/// Any dash variant (`text`'s dash set).
const DASH: &str = crate::text::DASH_CLASS;
/// One code: starts with a letter; ASCII, Đ/Ð, Ư (also as U + horn).
const SEG: &str = r"[A-Za-zĐđÐðƯư][A-Za-z0-9ĐđÐðƯư&\u{31b}]{0,15}";

static NUMBER_RE: LazyLock<Regex> = LazyLock::new(|| {
    let chain = "<SEG>(?:<WS><DASH><WS><SEG>){0,8}";
    // A year-form chain may also read "NQ.HĐTP" (a typo seen in the Bộ
    // Pháp điển); `accept_chain` allows the dot only after a type code.
    let dotted_chain = r"<SEG>(?:(?:<WS><DASH><WS>|\.)<SEG>){0,8}";
    let pattern = [
        r"(?P<ser>[0-9]{1,6}[a-zA-Z]?)(?:",
        r"<WS>/<WS>(?P<year>(?:19|20)[0-9]{2})<WS>/<WS>(?P<ychain><DCHAIN>)",
        r"(?:<WS>/<WS>(?P<ychain2><CHAIN>))?",
        r"|<WS><DASH><WS>(?P<ptype><SEG>)<WS>/<WS>(?P<pchain><CHAIN>)",
        r"|<WS>/<WS>(?P<schain><CHAIN>)",
        r"|[ \t\u{a0}]{1,3}(?P<stype><SEG>)<WS>/<WS>(?P<spchain><CHAIN>)",
        r"|<WS><DASH><WS>(?P<old><SEG>)",
        r")",
    ]
    .concat()
    .replace("<DCHAIN>", dotted_chain)
    .replace("<CHAIN>", chain)
    .replace("<SEG>", SEG)
    .replace("<WS>", WS)
    .replace("<DASH>", DASH);
    Regex::new(&pattern).expect("the number pattern is valid")
});

/// Serials sharing the code of the number after them: "số 217, 218-QĐ/TW".
static SHARED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<w>[\p{L}\p{M}]+)[ \t\u{a0}]*:?[ \t\u{a0}]*(?P<list>(?:[0-9]{1,6}[a-z]?[ \t\u{a0}]*(?:,|;|&|và)[ \t\u{a0}]*)+)$",
    )
    .expect("the shared-serial pattern is valid")
});

static SERIAL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{1,6}[a-z]?").expect("the serial pattern is valid"));

/// Every document number in `text`, in order, with byte spans.
pub(crate) fn scan(text: &str, lenient: bool) -> Vec<NumberMatch> {
    let mut out: Vec<NumberMatch> = Vec::new();
    let mut pos = 0;
    let mut last_form_end: Option<usize> = None;
    while pos < text.len() {
        let Some(caps) = NUMBER_RE.captures_at(text, pos) else {
            break;
        };
        let ser = caps.name("ser").map_or(pos..pos, |m| m.range());
        let whole_end = caps.get(0).map_or(ser.end, |m| m.end());
        match candidate(text, &caps, lenient, last_form_end) {
            Verdict::Accept(span, number) => {
                let floor = out.last().map_or(0, |m| m.span.end);
                push_shared(text, floor, &span, &number, &mut out);
                pos = span.end;
                out.push(NumberMatch { span, number });
            }
            Verdict::Form => {
                last_form_end = Some(whole_end);
                pos = whole_end;
            }
            Verdict::Reject => pos = ser.end.max(pos + 1),
        }
        while pos < text.len() && !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    out
}

/// Parses a string that is exactly one number (see `FromStr`).
pub(crate) fn parse_one(s: &str) -> Option<DocNumber> {
    let t = s.trim();
    let body = strip_so(t).trim_start();
    let mut found = scan(body, true);
    if found.len() == 1 && found[0].span == (0..body.len()) {
        found.pop().map(|m| m.number)
    } else {
        None
    }
}

/// `t` without a leading "Số:" / "số" / "So".
fn strip_so(t: &str) -> &str {
    let word_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || is_combining_mark(c)))
        .map_or(t.len(), |(i, _)| i);
    if word_end > 0 && fold_key(&t[..word_end]) == "so" {
        t[word_end..].trim_start_matches([' ', '\t', ':', '\u{a0}', '\n', '\r'])
    } else {
        t
    }
}

enum Verdict {
    Accept(Range<usize>, DocNumber),
    /// A form, table or appendix reference ("Mẫu số 03/ĐK").
    Form,
    Reject,
}

/// What the text before a serial says about it.
struct Before {
    /// Right after the word "số" (possibly glued: "số31-QĐ/TW").
    after_so: bool,
    /// Glued to a lowercase word other than "số" ("Nghị định101/2024/
    /// NĐ-CP"): only the strong shapes are accepted.
    glued_word: bool,
}

fn candidate(
    text: &str,
    caps: &regex::Captures<'_>,
    lenient: bool,
    last_form_end: Option<usize>,
) -> Verdict {
    let Some(ser) = caps.name("ser") else {
        return Verdict::Reject;
    };
    let Some(before) = check_before(text, ser.start()) else {
        return Verdict::Reject;
    };
    if is_form_reference(text, ser.start(), last_form_end) {
        return Verdict::Form;
    }
    let after_so = lenient || before.after_so;
    let glued = before.glued_word;
    // A known code in lower case ("nghị định 169-cp", "chỉ thị 299/ttg")
    // is read after a kind noun, as after "số".
    let lower = caps
        .get(0)
        .is_some_and(|m| m.as_str().chars().any(char::is_lowercase));
    let after_kind = lower && super::citation::kind_before(text, ser.start()).is_some();
    let serial = ser.as_str().to_ascii_lowercase();
    let parsed = if let (Some(y), Some(ch)) = (caps.name("year"), caps.name("ychain")) {
        let year: u16 = y.as_str().parse().unwrap_or(0);
        let more = caps.name("ychain2").map(|m| m.range());
        state_number(
            text,
            serial,
            Some(year),
            ch.range(),
            more,
            after_so,
            after_kind,
        )
    } else if let (Some(ty), Some(ch)) = (caps.name("ptype"), caps.name("pchain")) {
        party_number(text, serial, ty.range(), ch.range(), false)
    } else if let Some(ch) = caps.name("schain") {
        state_number(text, serial, None, ch.range(), None, after_so, after_kind)
            .filter(|(_, n)| !glued || (n.type_code().is_some() && !n.issuers().is_empty()))
    } else if glued {
        None
    } else if let (Some(ty), Some(ch)) = (caps.name("stype"), caps.name("spchain")) {
        if after_so {
            party_number(text, serial, ty.range(), ch.range(), true)
        } else {
            None
        }
    } else if let Some(code) = caps.name("old") {
        let spaced = text[ser.end()..code.start()]
            .chars()
            .any(char::is_whitespace);
        // "CHƯƠNG 3-QUY ĐỊNH", "Điều 2-UBND": a heading or article
        // number, not an old number.
        let heading = prev_word(text, ser.start())
            .is_some_and(|(_, w)| HEADING_WORDS.contains(&fold_key(w).as_str()));
        if heading && !lenient {
            return Verdict::Reject;
        }
        old_number(text, serial, code.range(), spaced, after_so, after_kind)
    } else {
        None
    };
    match parsed {
        Some((end, number)) => Verdict::Accept(ser.start()..end, number),
        None => Verdict::Reject,
    }
}

/// Checks the character before a serial; `None` rejects the candidate.
fn check_before(text: &str, start: usize) -> Option<Before> {
    let head = &text[..start];
    let mut rev = head.chars().rev();
    let prev = rev.next();
    let after_so = prev_word(text, start).is_some_and(|(_, w)| fold_key(w) == "so");
    match prev {
        None => {}
        Some(c) if c.is_alphanumeric() || is_combining_mark(c) => {
            // A glued "số" may touch the serial ("số31-QĐ/TW"); another
            // lowercase word only before a strong shape.
            if c.is_numeric() || !(after_so || c.is_lowercase() || is_combining_mark(c)) {
                return None;
            }
            return Some(Before {
                after_so,
                glued_word: !after_so,
            });
        }
        // "QCVN 01:2018/BYT", "QCVN 8-3: 2012/BYT"
        Some(':') if rev.next().is_some_and(|c| c.is_numeric()) => return None,
        Some(c)
            if c.is_whitespace() && {
                let t = head.trim_end();
                t.ends_with(':')
                    && t[..t.len() - 1]
                        .trim_end()
                        .ends_with(|d: char| d.is_ascii_digit())
            } =>
        {
            return None;
        }
        Some(c)
            if is_dash(c)
                || matches!(
                    c,
                    '.' | ','
                        | '/'
                        | '\\'
                        | '_'
                        | '+'
                        | '='
                        | '@'
                        | '#'
                        | '%'
                        | '&'
                        | '*'
                        | '^'
                        | '~'
                        | '|'
                        | '$'
                        | '€'
                ) =>
        {
            return None;
        }
        Some(_) => {}
    }
    Some(Before {
        after_so,
        glued_word: false,
    })
}

/// The word ending just before `end`, skipping a few spaces and colons.
fn prev_word(text: &str, end: usize) -> Option<(usize, &str)> {
    let mut i = end;
    for (skipped, (idx, c)) in text[..end].char_indices().rev().enumerate() {
        if !matches!(c, ' ' | '\t' | ':' | '\u{a0}' | '\n' | '\r') {
            break;
        }
        if skipped >= 6 {
            return None;
        }
        i = idx;
    }
    let mut start = i;
    for (n, (idx, c)) in text[..i].char_indices().rev().enumerate() {
        if !(c.is_alphabetic() || is_combining_mark(c)) || n >= 16 {
            break;
        }
        start = idx;
    }
    (start < i).then(|| (start, &text[start..i]))
}

/// "Mẫu số 03/ĐK", "Bảng 11/CLĐ", "phụ lục 02/BVĐ", and the items of a
/// list that started with one ("các mẫu số 24a/QĐC, 24b/QĐC").
fn is_form_reference(text: &str, start: usize, last_form_end: Option<usize>) -> bool {
    if let Some(end) = last_form_end.filter(|&e| e <= start) {
        let gap = text[end..start].trim_matches([' ', '\t', '\u{a0}']);
        if matches!(gap, "," | ";" | "và" | "hoặc") {
            return true;
        }
    }
    let Some((w1_start, w1)) = prev_word(text, start) else {
        return false;
    };
    let mut word = fold_key(w1);
    let mut word_start = w1_start;
    if word == "so" {
        match prev_word(text, w1_start) {
            Some((s, w)) => {
                word = fold_key(w);
                word_start = s;
            }
            None => return false,
        }
    }
    let prev_is = |w: &str| prev_word(text, word_start).is_some_and(|(_, p)| fold_key(p) == w);
    match word.as_str() {
        "mau" | "bieu" | "bang" | "hinh" | "ma" => true,
        // "theomẫu số 01/TBVMT": a word glued to "mẫu".
        w if w.ends_with("mau") && w.len() > 3 => true,
        "luc" => prev_is("phu"),
        "do" => prev_is("so"),
        _ => false,
    }
}

/// Emits the serials listed before a number that share its code:
/// "Quyết định số 217, 218-QĐ/TW" → 217-QĐ/TW and 218-QĐ/TW.
fn push_shared(
    text: &str,
    floor: usize,
    span: &Range<usize>,
    number: &DocNumber,
    out: &mut Vec<NumberMatch>,
) {
    let head = text[floor..span.start].trim_end_matches([' ', '\t', '\u{a0}']);
    if !(head.ends_with(',') || head.ends_with(';') || head.ends_with('&') || head.ends_with("và"))
    {
        return;
    }
    let mut from = span.start.saturating_sub(96).max(floor);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..span.start];
    let Some(caps) = SHARED_RE.captures(window) else {
        return;
    };
    let (Some(w), Some(list)) = (caps.name("w"), caps.name("list")) else {
        return;
    };
    // "số 217, 218-QĐ/TW", and with the kind noun alone: "Quyết định
    // 217, 218-QĐ/TW", "các Chỉ thị 05, 06-CT/TW".
    let list_at = from + list.start();
    if fold_key(w.as_str()) != "so" && super::citation::kind_before(text, list_at).is_none() {
        return;
    }
    for m in SERIAL_RE.find_iter(list.as_str()) {
        let start = from + list.start() + m.start();
        let end = from + list.start() + m.end();
        out.push(NumberMatch {
            span: start..end,
            number: number.with_serial(m.as_str()),
        });
    }
}
