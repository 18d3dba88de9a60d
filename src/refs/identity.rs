//! A document's own identity: number, kind, date of issue, issuing bodies
//! and signers, read from its title, its formal header ("Số: ...",
//! "Hà Nội, ngày ...", the issuer and kind lines in capitals) and its
//! signature blocks ("TM. BỘ CHÍNH TRỊ / (đã ký) / Name").
//!
//! The header wins over the title for number and date; the title wins for
//! kind (it is written in sentence case) and issuers ("của Ban Dân vận
//! Trung ương", "giữa A và B"). A title that does not start with a kind
//! noun (a news report: "Tổng kết Chương trình phối hợp ...") gives
//! nothing: a number it mentions is not the document's own.
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::bodies::{display_body, starts_with_body};
use super::date::{date_at_start, find_date};
use super::norm::{fold_key, folded_prefix_len};
use super::patterns::KIND_NOUNS_FOLDED;
use super::{DocNumber, Identity, scan_numbers};
use crate::text::nfc;

/// How far into the text the formal header may reach (bytes).
const HEADER_LEN: usize = 1500;

/// The national motto and Party name lines of a header; not issuers.
static MOTTO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)cộng\s+hoà\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|đảng\s+cộng\s+sản\s+việt\s+nam|độc\s+lập\s*[-–]\s*tự\s+do\s*[-–]\s*hạnh\s+phúc",
    )
    .expect("the motto pattern is valid")
});

/// The formal date line: "Hà Nội, ngày 08 tháng 10 năm 2021" (the
/// comma is sometimes missing; "NGÀY" in capitals belongs to a title).
static PLACE_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:,|\s)\s*ngày\s+[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}")
        .expect("the place-date pattern is valid")
});

/// Where the issuer lines of a header end at the latest: the "Số:" label
/// or a date line (even one left blank: "ngày     tháng     năm 2015").
static ISSUER_STOP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Số|SỐ|số)\s*:|(?:,|\s)\s*ngày\s").expect("the issuer-stop pattern is valid")
});

/// The identity of a document from its title and body.
pub(crate) fn identify(title: &str, body: &str) -> Identity {
    // No offsets leave this function: read NFD input as NFC.
    let title = nfc(title);
    let body = nfc(body);
    let (title, body) = (title.trim(), body.as_ref());
    let header = header_of(body);
    let from_title = TitleFacts::read(title);
    let from_header = HeaderFacts::read(header);
    let number = from_header
        .number
        .clone()
        .or_else(|| from_title.number.clone());
    let kind = from_title
        .kind
        .clone()
        .or_else(|| from_header.kind.clone())
        .or_else(|| {
            number
                .as_ref()
                .and_then(|n| n.kind_hint().map(str::to_string))
        });
    let issued = from_header.date.or(from_title.date);
    let mut issuers = from_title.issuers.clone();
    if issuers.is_empty() {
        issuers = from_header.issuers.clone();
    }
    let signatures = super::signature::signatures(body);
    if issuers.is_empty() && (number.is_some() || from_header.date.is_some()) {
        issuers = signatures.bodies.clone();
    }
    Identity {
        number,
        kind,
        issued,
        issuers,
        signers: signatures.names,
    }
}

/// The start of the body where a formal header may be: at most
/// `HEADER_LEN` bytes, and nothing from the first "Căn cứ" on.
fn header_of(body: &str) -> &str {
    let mut end = body.len().min(HEADER_LEN);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let head = &body[..end];
    match head.find("Căn cứ") {
        Some(i) => &head[..i],
        None => head,
    }
}

/// The kind noun `s` starts with, as (kind, byte length).
pub(crate) fn kind_prefix(s: &str) -> Option<(&'static str, usize)> {
    KIND_NOUNS_FOLDED
        .iter()
        .find_map(|(_, kind, folded, _)| folded_prefix_len(s, folded).map(|len| (*kind, len)))
}

/// Whether a kind noun agrees with the kind a number's type code names.
fn kinds_agree(noun_kind: &str, number: &DocNumber) -> bool {
    let Some(hint) = number.kind_hint() else {
        return true;
    };
    let (a, b) = (fold_key(noun_kind), fold_key(hint));
    let first_two = |s: &str| s.split(' ').take(2).collect::<Vec<_>>().join(" ");
    first_two(&a) == first_two(&b)
        || (a.starts_with("quy dinh") && number.type_code() == Some("QĐ"))
}

#[derive(Default)]
struct TitleFacts {
    number: Option<DocNumber>,
    kind: Option<String>,
    date: Option<NaiveDate>,
    issuers: Vec<String>,
}

impl TitleFacts {
    fn read(title: &str) -> TitleFacts {
        let mut facts = TitleFacts::default();
        // A draft is read as the document it drafts.
        let title = match title.strip_prefix("Dự thảo ") {
            Some(rest) if kind_prefix(rest).is_some() => rest,
            _ => title,
        };
        let Some((kind, kind_len)) = kind_prefix(title) else {
            return facts;
        };
        facts.kind = Some(kind.to_string());
        let mut rest_at = kind_len;
        // "Kế hoạch số 1600-KH/BDVTW", "Chỉ thị 299/TTg", "Chương trình
        // phối hợp số 04-CTr/...": the number comes right after the noun.
        if let Some(m) = scan_numbers(&title[kind_len..]).into_iter().next() {
            let between = fold_key(&title[kind_len..kind_len + m.span.start]);
            let words: Vec<&str> = between.split_whitespace().collect();
            let near = words.len() <= 3
                && words
                    .iter()
                    .all(|w| !matches!(*w, "cua" | "ve" | "ngay" | "thuc" | "trien"));
            if near && kinds_agree(kind, &m.number) {
                facts.number = Some(m.number);
                rest_at = kind_len + m.span.end;
            }
        }
        let mut rest = &title[rest_at..];
        if facts.number.is_some()
            && let Some((date, len)) = date_at_start(rest)
        {
            facts.date = Some(date);
            rest = &rest[len..];
        }
        facts.issuers = title_issuers(rest);
        facts
    }
}

/// "của Ban Dân vận Trung ương về ...", "giữa A và B giai đoạn ...",
/// "... do Bộ Kế hoạch và Đầu tư ban hành".
fn title_issuers(rest: &str) -> Vec<String> {
    let trimmed = rest.trim_start_matches([' ', ',', '\t']);
    if let Some(after) = trimmed.strip_prefix("của ") {
        let end = clause_end(
            after,
            &[
                " về ",
                " V/v ",
                " v/v ",
                " thực hiện ",
                " triển khai ",
                " hướng dẫn ",
                " ban hành ",
                " sửa đổi",
            ],
        );
        let name = after[..end].trim();
        if !name.is_empty() && starts_with_body(name) {
            return vec![name.to_string()];
        }
    }
    if let Some(i) = rest.find(" giữa ") {
        let after = &rest[i + " giữa ".len()..];
        let end = clause_end(after, &[" giai đoạn", " năm ", " về ", " trong "]);
        let list = split_bodies(&after[..end]);
        if list.len() >= 2 {
            return list;
        }
    }
    if let Some(i) = rest.rfind(" do ")
        && let Some(j) = rest[i + 4..].find(" ban hành")
        && starts_with_body(&rest[i + 4..i + 4 + j])
    {
        return vec![rest[i + 4..i + 4 + j].trim().to_string()];
    }
    Vec::new()
}

/// The end of a clause: the first of `stops`, ",", ";", "(", or the end.
fn clause_end(s: &str, stops: &[&str]) -> usize {
    let mut end = s.len();
    for stop in stops.iter().copied().chain([",", ";", "(", "\n"]) {
        if let Some(i) = s.find(stop) {
            end = end.min(i);
        }
    }
    end
}

/// "A và B, C với D" → bodies; "và" inside a name ("Bộ Kế hoạch và Đầu
/// tư") does not split it because "Đầu tư" is not a body.
fn split_bodies(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_end_matches(',');
        let sep = matches!(w, "và" | "với") || words[i].ends_with(',');
        if sep {
            let next = words[i + 1..].join(" ");
            if starts_with_body(&next) {
                if words[i].ends_with(',') && !matches!(w, "và" | "với") {
                    current.push(' ');
                    current.push_str(w);
                }
                out.push(current.trim().to_string());
                current.clear();
                i += 1;
                continue;
            }
        }
        current.push(' ');
        current.push_str(words[i]);
        i += 1;
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out.retain(|b| starts_with_body(b));
    out
}

#[derive(Default)]
struct HeaderFacts {
    number: Option<DocNumber>,
    kind: Option<String>,
    date: Option<NaiveDate>,
    issuers: Vec<String>,
}

impl HeaderFacts {
    fn read(header: &str) -> HeaderFacts {
        let mut facts = HeaderFacts::default();
        // "Số: 03/2019/NĐ-CP", "Luật số: 58/2010/QH12", "Số 05-CT/TW" at a
        // line start.
        for m in scan_numbers(header) {
            let before = header[..m.span.start].trim_end_matches([' ', '\t', '\u{a0}', '\n', '\r']);
            let colon = before.strip_suffix(':').map(str::trim_end);
            let labelled = colon.is_some_and(|b| fold_key(tail_word(b)) == "so");
            let line_start = fold_key(tail_word(before)) == "so"
                && tail_word(before).starts_with('S')
                && before[..before.len() - tail_word(before).len()]
                    .trim_end_matches([' ', '\t'])
                    .ends_with(['\n', '*', '-'])
                || before == "Số";
            if labelled || line_start {
                facts.number = Some(m.number);
                break;
            }
        }
        let place_date = PLACE_DATE_RE
            .find_iter(header)
            .find(|m| is_place_date_line(header, m.start()));
        if let Some(pd) = place_date {
            facts.date = find_date(pd.as_str()).map(|(d, _)| d);
            // The kind line in capitals follows the date: "NGHỊ QUYẾT".
            let after = header[pd.end()..].trim_start();
            if let Some((kind, len)) = kind_prefix(after)
                && after[..len].chars().all(|c| !c.is_lowercase())
            {
                facts.kind = Some(kind.to_string());
            }
        }
        facts.issuers = header_issuers(header, place_date.map(|m| m.start()));
        facts
    }
}

/// Whether the date line at `at` is the header's ("Sơn Giang, ngày 05
/// tháng 8 năm 2022", "299/TTg Hà Nội, ngày 10 ..."), not the date of a
/// number written just before it ("... kèm theo Quyết định số
/// 1875/QĐ-UBND ngày 05 tháng 8 năm 2022").
fn is_place_date_line(header: &str, at: usize) -> bool {
    let line_start = header[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = header[line_start..at].trim_end();
    scan_numbers(before)
        .last()
        .is_none_or(|m| m.span.end != before.len())
}

/// The last word of `s`.
fn tail_word(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphabetic() && !unicode_normalization::char::is_combining_mark(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &s[start..]
}

/// The issuer lines in capitals of a formal header, before the date
/// line, leaving out the motto ("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN -------
/// CỘNG HÒA ..." → "Bộ Tài chính", "Tổng cục Hải quan").
fn header_issuers(header: &str, stop: Option<usize>) -> Vec<String> {
    if !MOTTO_RE.is_match(header) {
        return Vec::new(); // no formal header
    }
    let label = ISSUER_STOP_RE.find(header).map(|m| m.start());
    let end = [stop, label]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(header.len());
    let region = &header[..end];
    let mut words: Vec<Option<&str>> = Vec::new();
    let mut at = 0;
    for m in MOTTO_RE.find_iter(region) {
        push_words(&region[at..m.start()], &mut words);
        words.push(None);
        at = m.end();
    }
    push_words(&region[at..], &mut words);
    let mut out = Vec::new();
    for run in words.split(Option::is_none) {
        let run: Vec<&str> = run.iter().flatten().copied().collect();
        for body in split_run(&run) {
            if body.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                out.push(display_body(&body));
            }
        }
    }
    out
}

/// Appends the words of `s` in capitals, with `None` for every break
/// (a line end, a separator, a word in lower case or with digits).
fn push_words<'a>(s: &'a str, words: &mut Vec<Option<&'a str>>) {
    for line in s.lines() {
        for word in line.split_whitespace() {
            let caps = word.chars().any(char::is_alphabetic)
                && word
                    .chars()
                    .all(|c| !c.is_lowercase() && !c.is_ascii_digit() && c != '/');
            words.push(caps.then_some(word));
        }
        words.push(None);
    }
}

/// The number of words of the longest known body `words` starts with.
fn known_len(words: &[&str]) -> usize {
    (1..=words.len())
        .rev()
        .find(|&n| super::bodies::is_known_body(&fold_key(&words[..n].join(" "))))
        .unwrap_or(0)
}

/// Splits a run of words in capitals where a sub-unit begins ("BỘ TÀI
/// CHÍNH | TỔNG CỤC HẢI QUAN", "TỈNH ỦY KON TUM | BAN DÂN VẬN").
fn split_run(run: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (i, w) in run.iter().enumerate() {
        let f = fold_key(w);
        let prev = i.checked_sub(1).map(|p| fold_key(run[p]));
        let next = run.get(i + 1).map(|n| fold_key(n));
        // A sub-unit head needs a name after it ("BỘ NỘI VỤ" is one body).
        let named = run.len() > i + 1;
        let sub_unit = named
            && match f.as_str() {
                "tong" => next.as_deref() == Some("cuc") && run.len() > i + 2,
                "cuc" => prev.as_deref() != Some("tong"),
                "vu" => prev.as_deref() != Some("thuong"),
                "so" => true,
                "ban" => prev.as_deref() != Some("uy"),
                "van" => next.as_deref() == Some("phong") && run.len() > i + 2,
                _ => false,
            };
        let known_here = known_len(&run[i - current.len()..]) > current.len();
        if sub_unit && !current.is_empty() && current.len() >= 2 && !known_here {
            out.push(current.join(" "));
            current.clear();
        }
        current.push(w);
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}
