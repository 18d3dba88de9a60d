//! What a document says of its own validity: "Quyết định này có hiệu lực
//! kể từ ngày ký", "Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7
//! năm 2020", "Chỉ thị này hết hiệu lực kể từ ngày 31/12/2025", with the
//! sentence that says it. Only statements about the document itself
//! ("... này ...") count: "Chỉ thị số 05-CT/TW hết hiệu lực" is a citation
//! (relation `terminates`, see `citation.rs`).
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use super::date::date_at_start;
use super::norm::fold_key;

/// A date a document states about itself, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stated {
    /// The date.
    pub date: NaiveDate,
    /// The sentence that states it, as written.
    pub evidence: String,
}

/// What a document states about its own validity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validity {
    /// "có hiệu lực (thi hành) (kể) từ ngày ..." (the date of signing when
    /// it says "từ ngày ký" and `issued` is known).
    pub effective: Option<Stated>,
    /// "hết hiệu lực (kể) từ ngày ...", "có hiệu lực đến hết ngày ...".
    pub expires: Option<Stated>,
}

/// "có hiệu lực", "hết hiệu lực", "có hiệu lực đến": the verbs looked for.
static VALIDITY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<verb>có|hết)[ \t\u{a0}]+hiệu[ \t\u{a0}]+lực")
        .expect("the validity pattern is valid")
});

/// The most statements looked at (a long text repeats the phrase in its
/// annexes; the document's own statement comes first).
const MAX_STATEMENTS: usize = 64;

/// What `body` states about the validity of the document itself;
/// `issued` is its date of signing ("có hiệu lực kể từ ngày ký").
pub fn validity(body: &str, issued: Option<NaiveDate>) -> Validity {
    let mut v = Validity::default();
    for caps in VALIDITY_RE.captures_iter(body).take(MAX_STATEMENTS) {
        let (Some(whole), Some(verb)) = (caps.get(0), caps.name("verb")) else {
            continue;
        };
        if !about_itself(body, whole.start()) {
            continue;
        }
        let ends = fold_key(verb.as_str()) == "het";
        let after = &body[whole.end()..];
        let Some((date, until)) = date_after(after, issued) else {
            continue;
        };
        let evidence = sentence_around(body, whole.start(), whole.end());
        let stated = Stated { date, evidence };
        if ends || until {
            v.expires.get_or_insert(stated);
        } else {
            v.effective.get_or_insert(stated);
        }
        if v.effective.is_some() && v.expires.is_some() {
            break;
        }
    }
    v
}

/// Whether the statement at `at` is about the document itself: "này"
/// (or "Văn bản này", "Quyết định này") shortly before it in its sentence.
fn about_itself(body: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(80);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    let before = &body[from..at];
    let cut = before.rfind(['.', ';', '\n']).map_or(0, |i| i + 1);
    let f = fold_key(&before[cut..]);
    f.split(|c: char| !c.is_alphanumeric()).any(|w| w == "nay")
}

/// The date after "có hiệu lực": "(thi hành) (kể) từ ngày 01/7/2020",
/// "kể từ ngày ký" (→ `issued`), "đến (hết) ngày 31/12/2025" (then the
/// second value is true: the date it ends).
fn date_after(after: &str, issued: Option<NaiveDate>) -> Option<(NaiveDate, bool)> {
    let mut end = after.len().min(120);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let window = &after[..end];
    // Byte offsets of `f` and `window` differ; find the words in the
    // original by walking its words alongside their folded forms.
    let words: Vec<(usize, String)> = word_offsets(window)
        .into_iter()
        .map(|(at, w)| (at, fold_key(w)))
        .take(8)
        .collect();
    let mut until = false;
    for (i, (at, w)) in words.iter().enumerate() {
        match w.as_str() {
            "thi" | "hanh" | "ke" | "tu" | "vao" | "het" | "chung" => {}
            "den" => until = true,
            "ngay" => {
                let next = words.get(i + 1).map(|(_, n)| n.as_str());
                if matches!(next, Some("ky" | "ban")) {
                    return issued.map(|d| (d, until));
                }
                return date_at_start(&window[*at..]).map(|(d, _)| (d, until));
            }
            _ => return None,
        }
    }
    None
}

/// The words of `s` (letters and digits) with their byte offsets.
fn word_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// The sentence of `text` around the span `start..end`: from the last
/// sentence end (". ", ";", a line break) before it to the next one after
/// it, at most 300 bytes either side, trimmed.
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let (start, end) = (
        start.min(text.len()),
        end.min(text.len()).max(start.min(text.len())),
    );
    let mut lo = start.saturating_sub(300);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (end + 300).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let (Some(before), Some(after)) = (text.get(lo..start), text.get(end..hi)) else {
        return String::new();
    };
    let from = before
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == '\n' || c == ';' || (c == '.' && before[i + 1..].starts_with(char::is_whitespace))
        })
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let to = after
        .char_indices()
        .find(|&(i, c)| {
            c == '\n'
                || c == ';'
                || (c == '.'
                    && after[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace))
        })
        .map_or(hi, |(i, c)| end + i + c.len_utf8());
    text.get(from..to).unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn effective_and_expiry_stated_by_the_document() {
        let v = validity(
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
            Some(d(2021, 7, 30)),
        );
        assert_eq!(v.effective.as_ref().map(|s| s.date), Some(d(2021, 7, 30)));
        assert_eq!(
            v.effective.unwrap().evidence,
            "Quyết định này có hiệu lực kể từ ngày ký."
        );
        let v = validity(
            "Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2020.\nChỉ thị này hết hiệu lực kể từ ngày 31/12/2025.",
            None,
        );
        assert_eq!(v.effective.map(|s| s.date), Some(d(2020, 7, 1)));
        assert_eq!(v.expires.map(|s| s.date), Some(d(2025, 12, 31)));
        let v = validity("Nghị quyết này có hiệu lực đến hết ngày 31/12/2023.", None);
        assert_eq!(v.expires.map(|s| s.date), Some(d(2023, 12, 31)));
        assert!(v.effective.is_none());
    }

    #[test]
    fn statements_about_other_documents_do_not_count() {
        let v = validity(
            "Chỉ thị số 05-CT/TW hết hiệu lực kể từ ngày 01/01/2020; Luật Đất đai có hiệu lực từ ngày 1/8/2024.",
            None,
        );
        assert_eq!(v, Validity::default());
        // "kể từ ngày ký" with no date of signing gives nothing.
        assert_eq!(
            validity("Quyết định này có hiệu lực kể từ ngày ký.", None),
            Validity::default()
        );
    }

    #[test]
    fn sentences() {
        let t =
            "Một. Căn cứ Quyết định số 5-QĐ/TW; thay thế Chỉ thị số 3-CT/TW ngày 1/2/2003. Hai.";
        let at = t.find("3-CT/TW").unwrap();
        assert_eq!(
            sentence_around(t, at, at + "3-CT/TW".len()),
            "thay thế Chỉ thị số 3-CT/TW ngày 1/2/2003."
        );
        assert_eq!(sentence_around("", 0, 5), "");
        assert_eq!(sentence_around("abc", 2, 1), "abc");
    }
}
