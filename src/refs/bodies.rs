//! Names of issuing bodies: turning the upper-case header lines of a
//! document ("BỘ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH KON TUM") into their
//! usual spelling ("Bộ Tài chính", "Ủy ban nhân dân tỉnh Kon Tum"), and
//! recognizing where a body's name begins in running text.
use std::sync::LazyLock;

use super::norm::fold_key;

/// Bodies whose usual spelling no rule derives, matched on the folded
/// form of the whole name or of its beginning.
const KNOWN_BODIES: &[&str] = &[
    "Ban Chấp hành Trung ương Đảng",
    "Ban Bí thư Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Quốc hội",
    "Ủy ban Thường vụ Quốc hội",
    "Chính phủ",
    "Thủ tướng Chính phủ",
    "Phủ Thủ tướng",
    "Hội đồng Chính phủ",
    "Hội đồng Bộ trưởng",
    "Chủ tịch nước",
    "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Kiểm toán nhà nước",
    "Ngân hàng Nhà nước Việt Nam",
    "Văn phòng Chính phủ",
    "Văn phòng Quốc hội",
    "Văn phòng Trung ương Đảng",
    "Ủy ban Kiểm tra Trung ương",
    "Quân ủy Trung ương",
    "Đảng ủy Công an Trung ương",
    "Ban cán sự đảng Chính phủ",
    "Tổng cục Chính trị Quân đội nhân dân Việt Nam",
    "Tổng cục Chính trị",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc Việt Nam",
    "Tổng Liên đoàn Lao động Việt Nam",
    "Hội Liên hiệp Phụ nữ Việt Nam",
    "Hội Nông dân Việt Nam",
    "Hội Cựu chiến binh Việt Nam",
    "Ban Chấp hành Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Học viện Chính trị quốc gia Hồ Chí Minh",
];

/// Head words of body names, in folded form, longest first: the word
/// after them starts the body's own name ("BỘ TÀI CHÍNH" → "Bộ Tài
/// chính").
const HEADS: &[&str] = &[
    "tong cuc",
    "hoc vien",
    "van phong",
    "uy ban",
    "toa an",
    "ngan hang",
    "hoi dong",
    "tap doan",
    "bo",
    "cuc",
    "vu",
    "so",
    "ban",
    "vien",
    "hoi",
    "dang uy",
];

/// Phrases spelled with capitals wherever they occur.
const PROPER: &[&str] = &[
    "Trung ương",
    "Việt Nam",
    "Quốc hội",
    "Chính phủ",
    "Nhà nước",
    "Hồ Chí Minh",
    "Quân đội nhân dân",
    "Công an nhân dân",
    "Tổ quốc",
];

/// Local levels written in lower case before a place name.
const LEVELS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "xã",
    "phường",
    "thị trấn",
];

/// The usual spelling of a body name written in capitals. Names not in
/// capitals are returned trimmed, as written.
pub(crate) fn display_body(name: &str) -> String {
    let name = crate::text::nfc(name);
    let name = name.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '*' | '_' | ',' | ':' | '.')
    });
    let name = collapse_ws(name);
    if name.chars().any(char::is_lowercase) {
        return name;
    }
    let folded = fold_key(&name);
    if let Some(i) = KNOWN_FOLDED.iter().position(|k| *k == folded) {
        return KNOWN_BODIES[i].to_string();
    }
    // "ỦY BAN NHÂN DÂN TỈNH KON TUM", "TỈNH ỦY KON TUM".
    for prefix in [
        "Ủy ban nhân dân",
        "Hội đồng nhân dân",
        "Tỉnh ủy",
        "Thành ủy",
        "Huyện ủy",
    ] {
        if let Some(rest) = strip_folded_prefix(&name, prefix) {
            return join_place(prefix, rest);
        }
    }
    let words: Vec<&str> = name.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut capitalize_next = true;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let lower = w.to_lowercase();
        if capitalize_next || w.starts_with(['-', ',']) {
            out.push(capitalize(&lower));
        } else {
            out.push(lower.clone());
        }
        capitalize_next = false;
        // The word after a head ("Bộ", "Tổng cục") or after "và", "-", ","
        // starts a name.
        let two = words
            .get(i + 1)
            .map(|n| format!("{} {}", fold_key(w), fold_key(n)));
        if i == 0 && two.as_deref().is_some_and(|t| HEADS.contains(&t)) {
            out.push(words[i + 1].to_lowercase());
            i += 1;
            capitalize_next = true;
        } else if (i == 0 && HEADS.contains(&fold_key(w).as_str()))
            || matches!(lower.as_str(), "và" | "-")
            || w.ends_with(',')
        {
            capitalize_next = true;
        }
        i += 1;
    }
    let mut s = out.join(" ");
    for p in PROPER {
        s = replace_folded(&s, p);
    }
    s
}

/// [`KNOWN_BODIES`] folded, computed once.
static KNOWN_FOLDED: LazyLock<Vec<String>> =
    LazyLock::new(|| KNOWN_BODIES.iter().map(|k| fold_key(k)).collect());

/// The longest folded known body, in bytes.
static KNOWN_FOLDED_MAX: LazyLock<usize> =
    LazyLock::new(|| KNOWN_FOLDED.iter().map(String::len).max().unwrap_or(0));

/// Whether a folded text starts with one of the known bodies (on a word
/// boundary).
pub(crate) fn known_body_prefix(folded: &str) -> bool {
    KNOWN_FOLDED.iter().any(|k| {
        folded.starts_with(k.as_str())
            && !folded[k.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

/// Whether a folded name is one of the known bodies.
pub(crate) fn is_known_body(folded: &str) -> bool {
    KNOWN_FOLDED.iter().any(|k| k == folded)
}

/// The start of `fold_key(s)`: at least its first `len` bytes (all of it
/// when shorter). Folding goes char by char, so this is a prefix of the
/// whole folded text.
fn folded_head(s: &str, len: usize) -> String {
    let mut out = String::with_capacity(len + 8);
    let mut rest = s;
    while out.len() < len && !rest.is_empty() {
        // A few chars at a time, cut on a char boundary.
        let mut cut = rest.len().min(len - out.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        crate::text::fold_into(&rest[..cut], &mut out);
        rest = &rest[cut..];
    }
    out
}

/// Whether `s` starts with a body name ("Ban Dân vận", "Bộ Công an"):
/// a capitalized head word.
pub(crate) fn starts_with_body(s: &str) -> bool {
    let mut words = s.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if !first.starts_with(char::is_uppercase) {
        return false;
    }
    let one = fold_key(first);
    let two = words.next().map(|n| format!("{one} {}", fold_key(n)));
    HEADS.contains(&one.as_str())
        || two.as_deref().is_some_and(|t| HEADS.contains(&t))
        || {
            let head = folded_head(s, *KNOWN_FOLDED_MAX);
            KNOWN_FOLDED.iter().any(|k| head.starts_with(k.as_str()))
        }
        || matches!(
            one.as_str(),
            "tinh" | "thanh" | "quan" | "trung" | "thu" | "chu" | "doan" | "mat"
        )
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capitalize(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// `s` without `prefix` if `s` starts with it, compared folded.
fn strip_folded_prefix<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.split(' ').count();
    let mut words = s.split(' ');
    let head: Vec<&str> = words.by_ref().take(n).collect();
    if fold_key(&head.join(" ")) != fold_key(prefix) {
        return None;
    }
    let used: usize = head.iter().map(|w| w.len() + 1).sum();
    Some(s.get(used.min(s.len())..).unwrap_or(""))
}

/// "Ủy ban nhân dân" + "TỈNH KON TUM" → "Ủy ban nhân dân tỉnh Kon Tum".
fn join_place(prefix: &str, rest: &str) -> String {
    let mut rest = rest.trim();
    let mut level = String::new();
    for l in LEVELS {
        if let Some(r) = strip_folded_prefix(rest, l) {
            level = (*l).to_string();
            rest = r;
            break;
        }
    }
    let place: Vec<String> = rest
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| capitalize(&w.to_lowercase()))
        .collect();
    [prefix.to_string(), level, place.join(" ")]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces `phrase` (compared case-insensitively, as whole words) by its
/// spelling.
fn replace_folded(s: &str, phrase: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let n = phrase.split(' ').count();
    let target = phrase.to_lowercase();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if i + n <= words.len() && words[i..i + n].join(" ").to_lowercase() == target {
            out.push(phrase.to_string());
            i += n;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_headers() {
        let cases = [
            ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
            ("CHÍNH PHỦ", "Chính phủ"),
            ("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban Chấp hành Trung ương"),
            ("BỘ TÀI CHÍNH", "Bộ Tài chính"),
            ("TỔNG CỤC HẢI QUAN", "Tổng cục Hải quan"),
            ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "Bộ Kế hoạch và Đầu tư"),
            (
                "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                "Bộ Lao động - Thương binh và Xã hội",
            ),
            (
                "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
                "Bộ Văn hóa, Thể thao và Du lịch",
            ),
            (
                "ỦY BAN NHÂN DÂN TỈNH KON TUM",
                "Ủy ban nhân dân tỉnh Kon Tum",
            ),
            (
                "HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO",
                "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
            ),
            ("BAN DÂN VẬN TRUNG ƯƠNG", "Ban Dân vận Trung ương"),
            ("QUỐC HỘI", "Quốc hội"),
            ("Ban Dân vận Trung ương", "Ban Dân vận Trung ương"),
        ];
        for (caps, want) in cases {
            assert_eq!(display_body(caps), want, "{caps:?}");
        }
    }
}
