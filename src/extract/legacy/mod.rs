//! The legacy Vietnamese font encodings still found on old government
//! pages: TCVN3 (ABC, fonts `.VnTime`, `.VnArial`, capitals in
//! `.VnTimeH`) and VNI (fonts `VNI-Times`, `VNI-Helve`, ...). Such pages
//! declare a Western charset (or none) and rely on the font to show
//! Vietnamese; read as windows-1252 they look like `B¶o Th¾ng` or
//! `Vieät Nam`.
//!
//! What is here: the two tables with their conversions ([`tcvn3`],
//! [`vni`]), the font names that announce them ([`font_encoding`]),
//! detection when no font says it ([`detect`]), and the page-level entry
//! points: [`decode_legacy`] for raw bytes and [`convert_html`] for a
//! decoded page, which converts each text run by the font in force there
//! (a `.VnTimeH` heading becomes capitals, an Arial run is left alone).
//! Everything returns NFC. Nothing here panics on any input.
pub mod detect;
pub mod tcvn3;
pub mod vni;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

pub use detect::Reading;

/// A legacy font encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    /// TCVN3; `caps` in a capitals font (`.VnTimeH`).
    Tcvn3 {
        /// The font shows every letter as a capital.
        caps: bool,
    },
    /// VNI.
    Vni,
}

/// The windows-1252 byte of `c`, for characters a windows-1252 (or
/// Latin-1) reading produces from 0x80..=0xFF.
pub fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    (!unmappable && bytes.len() == 1 && bytes[0] >= 0x80).then(|| bytes[0])
}

/// The character windows-1252 reads for byte `b`.
pub fn cp1252_char(b: u8) -> char {
    let bytes = [b];
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes)
        .0
        .chars()
        .next()
        .unwrap_or('\u{FFFD}')
}

/// Encodes `text` as windows-1258 the way Vietnamese pages were written:
/// letters windows-1258 has precomposed stay one byte, and the tone of any
/// other letter is written as a combining mark after its base (the
/// encoder of `encoding_rs` would write `&#7843;` instead). For fixtures
/// and tests.
pub fn encode_1258(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let enc = encoding_rs::WINDOWS_1258;
    let mut buf = [0u8; 4];
    for c in text.nfc() {
        let (bytes, _, unmappable) = enc.encode(c.encode_utf8(&mut buf));
        if !unmappable {
            out.extend_from_slice(&bytes);
            continue;
        }
        let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
        let (tones, rest): (Vec<char>, Vec<char>) = decomposed
            .into_iter()
            .partition(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'));
        let base: String = rest.into_iter().collect::<String>().nfc().collect();
        for part in base.chars().chain(tones) {
            let (bytes, _, unmappable) = enc.encode(part.encode_utf8(&mut buf));
            if unmappable {
                out.push(b'?');
            } else {
                out.extend_from_slice(&bytes);
            }
        }
    }
    out
}

/// Reads `bytes` as windows-1252.
pub fn decode_1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// The encoding a CSS `font-family` list (or a `<font face>`) announces:
/// `Some(Some(_))` for a legacy font, `Some(None)` for another named font
/// (a Unicode font: text in it is left alone), `None` when empty.
pub fn font_encoding(family: &str) -> Option<Option<Legacy>> {
    let first = family
        .split(',')
        .map(|f| f.trim().trim_matches(|c| c == '"' || c == '\'').trim())
        .find(|f| !f.is_empty())?;
    let lower = first.to_ascii_lowercase();
    if lower.starts_with(".vn") {
        // `.VnTimeH`, `.VnArialH`, `.VnBook-AntiquaH`: the H fonts hold
        // capitals only.
        let caps = first.ends_with('H');
        return Some(Some(Legacy::Tcvn3 { caps }));
    }
    if lower.starts_with("vni-") || lower.starts_with("vni ") || lower.starts_with("vn-") {
        return Some(Some(Legacy::Vni));
    }
    Some(None)
}

/// Converts `text` (read as windows-1252) from `enc` to Unicode NFC.
pub fn convert(text: &str, enc: Legacy) -> String {
    match enc {
        Legacy::Tcvn3 { caps } => tcvn3::convert(text, caps).nfc().collect(),
        Legacy::Vni => vni::convert(text),
    }
}

static CSS_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)([^{}]{1,300})\{[^{}]*?font-family\s*:\s*([^;}]{1,200})")
        .expect("static regex")
});
static FONT_DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:font-family\s*:\s*|\bface\s*=\s*["']?)([^;"'>}]{1,200})"#)
        .expect("static regex")
});

/// Fonts set by `<style>` rules: by class and by tag name.
#[derive(Debug, Default)]
struct StyleFonts {
    classes: HashMap<String, Option<Legacy>>,
    tags: HashMap<String, Option<Legacy>>,
}

impl StyleFonts {
    fn from_html(html: &str) -> StyleFonts {
        let mut out = StyleFonts::default();
        let bytes = html.as_bytes();
        let mut from = 0;
        while let Some(i) = detect::find_ci(&bytes[from..], b"<style") {
            let start = from + i;
            let end = detect::find_ci(&bytes[start..], b"</style")
                .map(|j| start + j)
                .unwrap_or(bytes.len());
            let css = html.get(start..end).unwrap_or("");
            for cap in CSS_RULE.captures_iter(css) {
                let Some(font) = font_encoding(&cap[2]) else {
                    continue;
                };
                for sel in cap[1].split(',') {
                    let sel = sel
                        .trim()
                        .trim_start_matches("<style")
                        .trim_start_matches(|c| c != '.' && !char::is_alphabetic(c));
                    let last = sel.split_whitespace().last().unwrap_or("");
                    if let Some(class) = last.rsplit('.').next().filter(|_| last.contains('.')) {
                        out.classes.insert(class.to_ascii_lowercase(), font);
                    } else if !last.is_empty() && last.chars().all(|c| c.is_ascii_alphanumeric()) {
                        out.tags.insert(last.to_ascii_lowercase(), font);
                    }
                }
            }
            from = end.max(start + 1);
        }
        out
    }
}

/// Whether the page names a legacy font anywhere (inline, `<font face>`
/// or in a `<style>` rule); the most named one.
pub fn page_fonts(html: &str) -> Option<Legacy> {
    let mut counts: HashMap<Legacy, usize> = HashMap::new();
    for cap in FONT_DECL.captures_iter(html) {
        if let Some(Some(enc)) = font_encoding(&cap[1]) {
            // Count the small-letter font: a page's default is rarely caps.
            let key = match enc {
                Legacy::Tcvn3 { .. } => Legacy::Tcvn3 { caps: false },
                v => v,
            };
            *counts.entry(key).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(e, _)| e)
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

struct Open {
    name: String,
    font: Option<Option<Legacy>>,
}

/// Converts the text runs of a decoded page by the font in force around
/// each: the innermost element naming a font decides; runs under no font
/// use `default`. A run is only converted when the conversion reads as
/// better Vietnamese than the run as it is (so Unicode text in a
/// `.VnTime` element survives). Tags, comments, scripts and styles are
/// copied unchanged. The result is NFC.
pub fn convert_html(html: &str, default: Option<Legacy>) -> String {
    let styles = StyleFonts::from_html(html);
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < html.len() {
        let next_tag = html[i..].find('<').map(|j| i + j).unwrap_or(html.len());
        if next_tag > i {
            let font = stack.iter().rev().find_map(|o| o.font).unwrap_or(default);
            push_run(&mut out, &html[i..next_tag], font);
        }
        if next_tag >= html.len() {
            break;
        }
        let rest = &bytes[next_tag..];
        // Comments, scripts and styles: copied as they are.
        let raw_end = if rest.starts_with(b"<!--") {
            detect::find_ci(rest, b"-->").map(|j| next_tag + j + 3)
        } else if detect::starts_ci(rest, b"<script") || detect::starts_ci(rest, b"<style") {
            let close: &[u8] = if detect::starts_ci(rest, b"<script") {
                b"</script"
            } else {
                b"</style"
            };
            detect::find_ci(rest, close).and_then(|j| {
                let k = next_tag + j;
                html[k..].find('>').map(|m| k + m + 1)
            })
        } else {
            None
        };
        if let Some(end) = raw_end {
            out.push_str(&html[next_tag..end]);
            i = end;
            continue;
        }
        let end = match html[next_tag..].find('>') {
            Some(j) => next_tag + j + 1,
            None => {
                out.push_str(&html[next_tag..]);
                break;
            }
        };
        let tag = &html[next_tag..end];
        out.push_str(tag);
        track_tag(tag, &styles, &mut stack);
        i = end;
    }
    out.nfc().collect()
}

fn push_run(out: &mut String, run: &str, font: Option<Legacy>) {
    match font {
        Some(enc) if !run.is_ascii() || matches!(enc, Legacy::Tcvn3 { caps: true }) => {
            let converted = convert(run, enc);
            if run.is_ascii() || detect::score(&converted) >= detect::score(run) {
                out.push_str(&converted);
            } else {
                out.push_str(run);
            }
        }
        _ => out.push_str(run),
    }
}

static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)\b(face|style|class)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
        .expect("static regex")
});

fn track_tag(tag: &str, styles: &StyleFonts, stack: &mut Vec<Open>) {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return;
    }
    if closing {
        if let Some(pos) = stack.iter().rposition(|o| o.name == name) {
            stack.truncate(pos);
        }
        return;
    }
    if VOID.contains(&name.as_str()) || inner.ends_with('/') || stack.len() >= 512 {
        return;
    }
    let mut font = styles.tags.get(&name).copied();
    for cap in ATTR.captures_iter(inner) {
        let value = cap
            .get(2)
            .or(cap.get(3))
            .or(cap.get(4))
            .map(|m| m.as_str())
            .unwrap_or("");
        match cap[1].to_ascii_lowercase().as_str() {
            "class" => {
                for class in value.split_whitespace() {
                    if let Some(f) = styles.classes.get(&class.to_ascii_lowercase()) {
                        font = Some(*f);
                    }
                }
            }
            "face" => {
                if let Some(f) = font_encoding(value) {
                    font = Some(f);
                }
            }
            _ => {
                if let Some(c) = FONT_DECL.captures(value)
                    && let Some(f) = font_encoding(&c[1])
                {
                    font = Some(f);
                }
            }
        }
    }
    stack.push(Open { name, font });
}

/// Decodes a page whose bytes are in a legacy font encoding: `Some` (NFC
/// Unicode) when it names a TCVN3 or VNI font or reads best as one, `None`
/// when it is not legacy (decode it as windows-1258 or as declared).
/// Meant for pages that declare a Western single-byte charset or none.
pub fn decode_legacy(bytes: &[u8]) -> Option<String> {
    let text = decode_1252(bytes);
    let default = match page_fonts(&text) {
        Some(f) => Some(f),
        None => match detect::detect(bytes) {
            Reading::Tcvn3 => Some(Legacy::Tcvn3 { caps: false }),
            Reading::Vni => Some(Legacy::Vni),
            Reading::Windows1258 => None,
        },
    }?;
    Some(convert_html(&text, Some(default)))
}

/// For a page already decoded to Unicode (a UTF-8 page that kept the
/// legacy glyph characters under a `.VnTime` or `VNI-` font): converts
/// the runs in legacy fonts; `None` when the page names none.
pub fn fix_decoded(html: &str) -> Option<String> {
    page_fonts(html)?;
    Some(convert_html(html, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_names() {
        assert_eq!(
            font_encoding(".VnTime"),
            Some(Some(Legacy::Tcvn3 { caps: false }))
        );
        assert_eq!(
            font_encoding("'.VnTimeH', serif"),
            Some(Some(Legacy::Tcvn3 { caps: true }))
        );
        assert_eq!(
            font_encoding(".VnArialH"),
            Some(Some(Legacy::Tcvn3 { caps: true }))
        );
        assert_eq!(font_encoding("VNI-Times"), Some(Some(Legacy::Vni)));
        assert_eq!(font_encoding("Times New Roman"), Some(None));
        assert_eq!(font_encoding("  "), None);
    }

    #[test]
    fn html_runs_follow_their_fonts() {
        let html = "<html><head><title>ChØ thÞ</title><style>.h{font-family:.VnTimeH}</style></head>\
            <body><p class=h>chØ thÞ</p><p><font face=\".VnTime\">B¶o Th¾ng</font></p>\
            <p style=\"font-family: Arial\">Vi\u{1EC7}t Nam</p></body></html>";
        let out = convert_html(html, Some(Legacy::Tcvn3 { caps: false }));
        assert!(out.contains("<title>Chỉ thị</title>"), "{out}");
        assert!(out.contains("<p class=h>CHỈ THỊ</p>"), "{out}");
        assert!(out.contains("Bảo Thắng"), "{out}");
        assert!(out.contains("Việt Nam"), "{out}");
        assert!(
            out.contains("font-family:.VnTimeH"),
            "styles are copied: {out}"
        );
    }

    #[test]
    fn decode_legacy_pages() {
        let tcvn3 =
            b"<html><body><font face=\".VnTime\">\xa7\xb6ng C\xe9ng s\xb6n</font></body></html>";
        let out = decode_legacy(tcvn3).unwrap();
        assert!(out.contains("Đảng Cộng sản"), "{out}");
        let vni = encoding_rs::WINDOWS_1252
            .encode("<p style='font-family:VNI-Times'>Ñaûng Coäng saûn Vieät Nam</p>")
            .0
            .into_owned();
        assert!(
            decode_legacy(&vni)
                .unwrap()
                .contains("Đảng Cộng sản Việt Nam")
        );
        let w1258 = encode_1258("<p>Đảng Cộng sản Việt Nam</p>");
        assert_eq!(decode_legacy(&w1258), None);
    }

    #[test]
    fn windows_1258_round_trip() {
        let text = "Chỉ thị về công tác dân vận của Đảng";
        let bytes = encode_1258(text);
        assert!(bytes.contains(&0xD2), "hook above as a combining byte");
        let back: String = encoding_rs::WINDOWS_1258
            .decode_without_bom_handling(&bytes)
            .0
            .nfc()
            .collect();
        assert_eq!(back, text);
    }

    #[test]
    fn never_panics_on_junk() {
        for s in [
            "<",
            "<<>>",
            "<font face=",
            "<style>.a{font-family:.VnTime",
            "<p class='a",
            "\u{FFFD}<!--",
            "<script>",
        ] {
            let _ = convert_html(s, Some(Legacy::Vni));
            let _ = decode_legacy(s.as_bytes());
            let _ = fix_decoded(s);
        }
        let _ = decode_legacy(&(0u8..=255).collect::<Vec<u8>>());
    }
}
