//! TCVN3 (TCVN 5712:1993, the "ABC" font encoding of `.VnTime` and its
//! kin). One byte per letter; the toned capitals have no codes of their
//! own: capitals are written with the lowercase bytes in a capitals font
//! (`.VnTimeH`, `.VnArialH`, ...), so the font name decides the case.
//!
//! The table covers the VN3 letters (the 134 Vietnamese letters as 7
//! plain capitals, 7 plain small letters and 60 toned small letters), plus
//! the VN1 extras at the positions VN3 leaves empty (toned capitals and
//! the five combining tone marks at 0xB0-0xB4), as glibc's `TCVN5712-1`
//! decodes them. `gen_tcvn3.sh` regenerates the check table from glibc.

/// `(byte, letter)` for every mapped byte of 0xA1..=0xFF, in byte order.
#[rustfmt::skip]
pub const TABLE: &[(u8, char)] = &[
    (0xA1, 'Ă'), (0xA2, 'Â'), (0xA3, 'Ê'), (0xA4, 'Ô'), (0xA5, 'Ơ'), (0xA6, 'Ư'), (0xA7, 'Đ'),
    (0xA8, 'ă'), (0xA9, 'â'), (0xAA, 'ê'), (0xAB, 'ô'), (0xAC, 'ơ'), (0xAD, 'ư'), (0xAE, 'đ'),
    (0xAF, 'Ằ'),
    (0xB0, '\u{300}'), (0xB1, '\u{309}'), (0xB2, '\u{303}'), (0xB3, '\u{301}'), (0xB4, '\u{323}'),
    (0xB5, 'à'), (0xB6, 'ả'), (0xB7, 'ã'), (0xB8, 'á'), (0xB9, 'ạ'),
    (0xBA, 'Ẳ'), (0xBB, 'ằ'), (0xBC, 'ẳ'), (0xBD, 'ẵ'), (0xBE, 'ắ'), (0xBF, 'Ẵ'),
    (0xC0, 'Ắ'), (0xC1, 'Ầ'), (0xC2, 'Ẩ'), (0xC3, 'Ẫ'), (0xC4, 'Ấ'), (0xC5, 'Ề'),
    (0xC6, 'ặ'), (0xC7, 'ầ'), (0xC8, 'ẩ'), (0xC9, 'ẫ'), (0xCA, 'ấ'), (0xCB, 'ậ'),
    (0xCC, 'è'), (0xCD, 'Ể'), (0xCE, 'ẻ'), (0xCF, 'ẽ'), (0xD0, 'é'), (0xD1, 'ẹ'),
    (0xD2, 'ề'), (0xD3, 'ể'), (0xD4, 'ễ'), (0xD5, 'ế'), (0xD6, 'ệ'),
    (0xD7, 'ì'), (0xD8, 'ỉ'), (0xD9, 'Ễ'), (0xDA, 'Ế'), (0xDB, 'Ồ'),
    (0xDC, 'ĩ'), (0xDD, 'í'), (0xDE, 'ị'),
    (0xDF, 'ò'), (0xE0, 'Ổ'), (0xE1, 'ỏ'), (0xE2, 'õ'), (0xE3, 'ó'), (0xE4, 'ọ'),
    (0xE5, 'ồ'), (0xE6, 'ổ'), (0xE7, 'ỗ'), (0xE8, 'ố'), (0xE9, 'ộ'),
    (0xEA, 'ờ'), (0xEB, 'ở'), (0xEC, 'ỡ'), (0xED, 'ớ'), (0xEE, 'ợ'),
    (0xEF, 'ù'), (0xF0, 'Ỗ'), (0xF1, 'ủ'), (0xF2, 'ũ'), (0xF3, 'ú'), (0xF4, 'ụ'),
    (0xF5, 'ừ'), (0xF6, 'ử'), (0xF7, 'ữ'), (0xF8, 'ứ'), (0xF9, 'ự'),
    (0xFA, 'ỳ'), (0xFB, 'ỷ'), (0xFC, 'ỹ'), (0xFD, 'ý'), (0xFE, 'ỵ'), (0xFF, 'Ố'),
];

/// The letter a TCVN3 byte stands for (`None` for bytes that are not
/// Vietnamese letters: ASCII and 0x80..=0xA0 stay as they are).
pub fn byte(b: u8) -> Option<char> {
    TABLE
        .binary_search_by_key(&b, |&(k, _)| k)
        .ok()
        .map(|i| TABLE[i].1)
}

/// Converts text read as windows-1252 (or Latin-1, or a UTF-8 page that
/// kept the legacy glyph characters) from TCVN3 to Unicode; `caps` when
/// the text is set in a capitals font (`.VnTimeH`), where every letter is
/// a capital. The result is not yet NFC (0xB0..0xB4 are combining marks).
pub fn convert(text: &str, caps: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        let mapped = super::cp1252_byte(c).and_then(byte).unwrap_or(c);
        if caps {
            out.extend(mapped.to_uppercase());
        } else {
            out.push(mapped);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte 0xA1..=0xFF as glibc's iconv `TCVN5712-1` decodes it
    /// (`gen_tcvn3.sh`), an independent source for the table above.
    const GLIBC: &str = "ĂÂÊÔƠƯĐăâêôơưđẰ\u{300}\u{309}\u{303}\u{301}\u{323}àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ";

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(TABLE.len(), 0xFF - 0xA1 + 1);
    }

    /// One check per character of the table, against glibc.
    #[test]
    fn every_byte_matches_glibc() {
        let expected: Vec<char> = GLIBC.chars().collect();
        assert_eq!(expected.len(), TABLE.len());
        for (i, want) in expected.iter().enumerate() {
            let b = 0xA1 + i as u8;
            assert_eq!(byte(b), Some(*want), "TCVN3 byte {b:#04X}: fix TABLE");
        }
    }

    /// The 67 lowercase letters of Vietnamese, each written in TCVN3 and
    /// read back, small and in the capitals font.
    #[test]
    fn every_vietnamese_letter_round_trips() {
        let lower = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        for l in lower.chars() {
            let enc: Vec<u8> = if l.is_ascii() {
                vec![l as u8]
            } else {
                let b = TABLE.iter().find(|(_, c)| *c == l).map(|(b, _)| *b);
                vec![b.unwrap_or_else(|| panic!("{l} has no TCVN3 byte"))]
            };
            let as_1252: String = enc.iter().map(|&b| super::super::cp1252_char(b)).collect();
            assert_eq!(convert(&as_1252, false), l.to_string(), "small {l}");
            let upper: String = l.to_uppercase().collect();
            assert_eq!(convert(&as_1252, true), upper, "capital {l}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(convert("B¶o Th¾ng", false), "Bảo Thắng");
        assert_eq!(convert("M\u{AD}êng Kh\u{AD}¬ng", false), "Mường Khương");
        assert_eq!(convert("ChØ thÞ", false), "Chỉ thị");
        assert_eq!(convert("chØ thÞ", true), "CHỈ THỊ");
        assert_eq!(convert("§¶ng", false), "Đảng");
    }
}
