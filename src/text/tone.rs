//! Canonical tone placement in one syllable (see the module docs of
//! [`crate::text`] for the convention).
//!
//! A syllable is parsed into onset, nucleus and coda; the tone (at most one)
//! is taken off whatever letter carries it and put back on the letter the
//! rule names. Anything that does not parse as a Vietnamese syllable is left
//! alone: foreign words, abbreviations, letters mixed with digits or marks,
//! more than one tone.
use super::letters::{self, DD};
use super::structure::{Letter, is_vowel, letter, target};

/// Longest syllable considered ("nghiêng" has 7 letters).
const MAX_LETTERS: usize = 8;

/// Whether output keeps the case of the input or lowercases it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Case preserved (for `normalize`).
    Keep,
    /// Lowercased (for `exact`).
    Lower,
}

/// The letters of a syllable made only of letters (ASCII or precomposed
/// Vietnamese), at most [`MAX_LETTERS`] of them.
struct Letters {
    ls: [Letter; MAX_LETTERS],
    n: usize,
    /// Number of letters with a tone, and the last of them.
    tones: u8,
    toned: usize,
    vowels: u8,
    /// Whether any letter is upper case, and whether Ð/ð occurs.
    upper: bool,
    eth: bool,
}

impl Letters {
    fn new() -> Letters {
        Letters {
            ls: [Letter::default(); MAX_LETTERS],
            n: 0,
            tones: 0,
            toned: 0,
            vowels: 0,
            upper: false,
            eth: false,
        }
    }

    /// Parses `syl` into a fresh [`Letters::new`]; false if it holds
    /// anything but letters, or too many. (Filled in place: returning the
    /// struct by value cost a store-forwarding stall per syllable.)
    #[inline]
    fn parse(&mut self, syl: &str) -> bool {
        for c in syl.chars() {
            let Some(l) = letter(c) else { return false };
            let Some(slot) = self.ls.get_mut(self.n) else {
                return false;
            };
            *slot = l;
            if l.tone != 0 {
                self.tones += 1;
                self.toned = self.n;
            }
            self.vowels += is_vowel(l.kind) as u8;
            self.upper |= l.upper;
            self.eth |= matches!(c, 'Ð' | 'ð');
            self.n += 1;
        }
        true
    }

    fn letters(&self) -> &[Letter] {
        self.ls.get(..self.n).unwrap_or_default()
    }

    /// Moves the tone to its canonical place; returns whether it moved.
    /// Nothing moves without exactly one tone or in an implausible syllable.
    fn retone(&mut self) -> bool {
        // With one vowel the tone can only be on it.
        if self.tones != 1 || self.vowels < 2 {
            return false;
        }
        let ls = self.letters();
        let from = self.toned;
        let marked = |i: usize| ls.get(i).is_some_and(|l| letters::has_vowel_mark(l.kind));
        // A marked vowel keeps the tone unless another follows it (ư of ươ).
        if marked(from) && !marked(from + 1) {
            return false;
        }
        let Some(to) = target(ls).filter(|&to| to != from) else {
            return false;
        };
        let tone = self.ls.get_mut(from).map(|l| std::mem::take(&mut l.tone));
        match (tone, self.ls.get_mut(to)) {
            (Some(tone), Some(l)) => {
                l.tone = tone;
                true
            }
            _ => false,
        }
    }

    /// Appends the letters; `syl` is what they were parsed from, copied
    /// as it is when nothing changes.
    fn write(&self, syl: &str, moved: bool, case: Case, out: &mut String) {
        let lower = case == Case::Lower;
        let recase = lower && self.upper;
        if !(moved || self.eth || recase) {
            out.push_str(syl);
            return;
        }
        for l in self.letters() {
            let upper = l.upper && !lower;
            out.push(match l.kind {
                k if is_vowel(k) || k == DD => letters::encode(k, l.tone, upper),
                b if upper => b.to_ascii_uppercase() as char,
                b => b as char,
            });
        }
    }
}

/// Whether [`write_syllable`] with [`Case::Keep`] would change `syl`.
pub(crate) fn changes(syl: &str) -> bool {
    if syl.is_ascii() {
        return false;
    }
    let mut ls = Letters::new();
    if ls.parse(syl) {
        ls.eth || ls.retone()
    } else {
        syl.contains(['Ð', 'ð'])
    }
}

/// If `s` is made only of letters (so it is NFC and one syllable), appends
/// its normalized form and returns true; otherwise appends nothing.
#[inline]
pub(crate) fn write_letters_only(s: &str, case: Case, out: &mut String) -> bool {
    let mut ls = Letters::new();
    if !ls.parse(s) {
        return false;
    }
    let moved = ls.retone();
    ls.write(s, moved, case, out);
    true
}

/// Appends the normalized form of one syllable (NFC input): tone in its
/// canonical place, Ð/ð as Đ/đ, lowercased if `case` says so. Returns
/// whether a char outside ASCII and the Vietnamese letters was lowercased
/// into something else (the output may then need NFC again: İ → i̇).
pub(crate) fn write_syllable(syl: &str, case: Case, out: &mut String) -> bool {
    let lower = case == Case::Lower;
    if syl.is_ascii() {
        let at = out.len();
        out.push_str(syl);
        if lower && let Some(tail) = out.get_mut(at..) {
            tail.make_ascii_lowercase();
        }
        return false;
    }
    if write_letters_only(syl, case, out) {
        return false;
    }
    // A syllable with marks beyond Vietnamese letters: a capital lowercased
    // beside them may compose anew ("J\u{30c}" becomes "j\u{30c}", whose
    // NFC is "ǰ"), so any change of case here asks the caller to check NFC.
    let mut exotic = false;
    for c in syl.chars() {
        if c.is_ascii() {
            exotic |= lower && c.is_ascii_uppercase();
            out.push(if lower { c.to_ascii_lowercase() } else { c });
        } else if let Some(i) = letters::info(c) {
            exotic |= lower && i.upper;
            out.push(letters::encode(i.base, i.tone, i.upper && !lower));
        } else if lower {
            exotic |= push_lowercase(c, out);
        } else {
            out.push(c);
        }
    }
    exotic
}

/// Pushes `c` lowercased; returns whether that changed it.
pub(crate) fn push_lowercase(c: char, out: &mut String) -> bool {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.len()) {
        (Some(l), 0) if l == c => {
            out.push(c);
            false
        }
        (first, _) => {
            out.extend(first);
            out.extend(lower);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn write(s: &str, case: Case) -> String {
        let mut out = String::new();
        let _ = write_syllable(s, case, &mut out);
        out
    }

    fn upper(s: &str) -> String {
        s.chars().flat_map(char::to_uppercase).collect()
    }

    fn title(s: &str) -> String {
        let mut cs = s.chars();
        cs.next()
            .map(|c| c.to_uppercase().chain(cs).collect())
            .unwrap_or_default()
    }

    /// Checks one syllable in lower, UPPER and Title case: `input` becomes
    /// `want`, `want` stays, the lowercasing mode agrees, fold is untouched.
    #[track_caller]
    fn check(input: &str, want: &str) {
        type CaseFn = fn(&str) -> String;
        let cases: [(&str, CaseFn); 3] = [
            ("lower", |s| s.to_string()),
            ("UPPER", upper),
            ("Title", title),
        ];
        for (name, f) in cases {
            let (input, want) = (f(input), f(want));
            let got = write(&input, Case::Keep);
            assert_eq!(
                got, want,
                "{name}: {input:?} should normalize to {want:?} but gave {got:?}; \
                 check the onset/nucleus/coda parse and the placement rule"
            );
            let again = write(&want, Case::Keep);
            assert_eq!(
                again, want,
                "{name}: canonical {want:?} must stay as it is, got {again:?}"
            );
            assert_eq!(
                changes(&input),
                input != want,
                "{name}: changes({input:?}) disagrees with write"
            );
            let lower = write(&input, Case::Lower);
            let lower_want = want.to_lowercase();
            assert_eq!(
                lower, lower_want,
                "{name}: Case::Lower of {input:?} should be {lower_want:?}"
            );
            assert_eq!(
                fold(&input),
                fold(&want),
                "{name}: tone placement must not change the folded form"
            );
        }
    }

    /// `test_tone!(name: [(input, want), ...])`: a table-driven test; each
    /// pair is checked in three cases by [`check`]. A pair with equal sides
    /// asserts the syllable is left alone.
    macro_rules! test_tone {
        ($name:ident: [$(($input:expr, $want:expr)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(check($input, $want);)*
            }
        };
    }

    test_tone!(oa_oe_uy_open_take_tone_on_first: [
        ("hoà", "hòa"), ("khoá", "khóa"), ("loà", "lòa"), ("toả", "tỏa"), ("hoạ", "họa"),
        ("xoã", "xõa"), ("oà", "òa"), ("hoè", "hòe"), ("khoẻ", "khỏe"), ("toé", "tóe"),
        ("loẽ", "lõe"), ("hoẹ", "họe"), ("thuỷ", "thủy"), ("uỷ", "ủy"), ("luỹ", "lũy"),
        ("tuỵ", "tụy"), ("huỷ", "hủy"), ("thuý", "thúy"), ("tuỳ", "tùy"),
    ]);

    test_tone!(chosen_forms_stay: [
        ("hòa", "hòa"), ("khóa", "khóa"), ("hòe", "hòe"), ("khỏe", "khỏe"), ("thủy", "thủy"),
        ("ủy", "ủy"), ("mùa", "mùa"), ("của", "của"), ("tía", "tía"), ("lúa", "lúa"),
        ("gửi", "gửi"), ("túi", "túi"), ("tài", "tài"), ("đào", "đào"), ("cáu", "cáu"),
        ("máy", "máy"), ("chịu", "chịu"), ("kéo", "kéo"), ("gói", "gói"), ("mây", "mây"),
    ]);

    test_tone!(qu_and_gi_onsets: [
        ("quý", "quý"), ("quả", "quả"), ("quyết", "quyết"), ("quyền", "quyền"), ("quốc", "quốc"),
        ("quỳnh", "quỳnh"), ("quạu", "quạu"), ("quái", "quái"), ("quày", "quày"), ("quê", "quê"),
        ("qúy", "quý"), ("qủa", "quả"), ("giữa", "giữa"), ("giải", "giải"), ("giường", "giường"),
        ("giá", "giá"), ("gía", "giá"), ("gìn", "gìn"), ("gì", "gì"), ("giết", "giết"),
        ("giọng", "giọng"), ("giũa", "giũa"),
    ]);

    test_tone!(vowel_mark_takes_the_tone: [
        ("người", "người"), ("ngừơi", "người"), ("nước", "nước"), ("nứơc", "nước"),
        ("được", "được"), ("đựơc", "được"), ("việc", "việc"), ("vịêc", "việc"),
        ("thuở", "thuở"), ("thủơ", "thuở"), ("khuyến", "khuyến"), ("khuýên", "khuyến"),
        ("oẳn", "oẳn"), ("ỏăn", "oẳn"), ("hoặc", "hoặc"), ("tuấn", "tuấn"), ("thuế", "thuế"),
        ("cừu", "cừu"), ("rượu", "rượu"), ("khuấy", "khuấy"), ("yêu", "yêu"), ("tiếu", "tiếu"),
        ("cửa", "cửa"), ("mưa", "mưa"), ("tối", "tối"), ("mới", "mới"), ("nghiêng", "nghiêng"),
        ("Nguyễn", "Nguyễn"), ("chuyện", "chuyện"), ("xoắn", "xoắn"),
    ]);

    test_tone!(coda_puts_tone_on_last_vowel: [
        ("hoàn", "hoàn"), ("hòan", "hoàn"), ("toán", "toán"), ("tóan", "toán"),
        ("huỳnh", "huỳnh"), ("hùynh", "huỳnh"), ("hoạch", "hoạch"), ("họach", "hoạch"),
        ("huýt", "huýt"), ("húyt", "huýt"), ("soóc", "soóc"), ("khoèn", "khoèn"),
    ]);

    test_tone!(three_vowels_open_take_the_middle: [
        ("ngoài", "ngoài"), ("ngòai", "ngoài"), ("hoài", "hoài"), ("hoaì", "hoài"),
        ("khuỷu", "khuỷu"), ("khủyu", "khuỷu"), ("xoáy", "xoáy"), ("xóay", "xoáy"),
        ("ngoẹo", "ngoẹo"), ("ngọeo", "ngoẹo"), ("ngoáo", "ngoáo"),
    ]);

    test_tone!(two_vowels_open_take_the_first: [
        ("muà", "mùa"), ("cuả", "của"), ("tiá", "tía"), ("gưỉ", "gửi"), ("taì", "tài"),
    ]);

    test_tone!(not_a_vietnamese_syllable_is_left_alone: [
        ("café", "café"), ("Raúl", "Raúl"), ("Aída", "Aída"), ("Zoë", "Zoë"), ("señor", "señor"),
        ("hoàà", "hoàà"), ("hoà1", "hoà1"), ("a\u{301}\u{301}", "a\u{301}\u{301}"),
        ("Đắk", "Đắk"), ("Lắk", "Lắk"), ("kroá", "kroá"), ("qá", "qá"), ("qu", "qu"),
        ("đ", "đ"), ("TP", "TP"), ("UBND", "UBND"), ("HĐND", "HĐND"), ("oaoà", "oaoà"),
        ("fà", "fà"), ("hoàs", "hoàs"), ("nghiêngngà", "nghiêngngà"), ("ý", "ý"), ("à", "à"),
    ]);

    #[test]
    fn mixed_case_keeps_each_letter_case() {
        assert_eq!(write("HOà", Case::Keep), "HÒa");
        assert_eq!(write("hOÀ", Case::Keep), "hÒA");
        assert_eq!(write("UỶ", Case::Keep), "ỦY");
        assert_eq!(write("ThuỶ", Case::Lower), "thủy");
    }

    #[test]
    fn eth_and_d_stroke() {
        assert_eq!(write("Ðảng", Case::Keep), "Đảng");
        assert_eq!(write("ðoà", Case::Keep), "đòa");
        assert_eq!(write("ÐOÀN", Case::Lower), "đoàn");
        assert!(changes("Ðảng"));
        assert!(!changes("Đảng"));
    }
}
