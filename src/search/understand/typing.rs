//! Whether a query was typed in Telex or VNI with the input method off,
//! and what it says then: "nghij quyeets" → "nghị quyết", "ddaats ddai"
//! → "đất đai", "nghi5 quye61t" → "nghị quyết". Issue 11.
//!
//! The rule: a query is decoded when most of its words are Vietnamese
//! syllables once decoded (or already are), and at least one word is not a
//! syllable as typed but decodes to one and is not an English word. A
//! lone word decodes only when it is long enough not to be a chance
//! ("as", "cos" stay as typed; in "cos nghij quyeets" the rest of the
//! query decides). Numbers, document numbers, codes in capitals and
//! abbreviations are never touched; words that are valid syllables as
//! typed ("dan van", "tran") stay as typed.
use crate::refs;
use crate::text::{decode_typed, is_syllable};

/// Common English words: never evidence for Telex, and a query with more
/// of them than Telex words stays as typed.
const ENGLISH: &[&str] = &[
    "a", "about", "act", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "but", "by", "can", "case", "code", "court", "decree", "do", "does", "for", "from",
    "get", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "law", "laws", "may", "me", "my", "new", "no", "not", "of", "on", "or", "our", "out",
    "over", "per", "rule", "rules", "see", "she", "so", "some", "tax", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "use",
    "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "you",
    "your", "cos", "sin", "tan", "ok", "email", "web", "file", "news", "search", "party", "state",
    "land", "vietnam", "viet", "nam", "hanoi",
];

/// The query as decoded, when it was typed in Telex or VNI; `None` when
/// it stays as typed.
///
/// ```
/// use vanban::search::understand::typing::interpret;
/// assert_eq!(interpret("nghij quyeets 25").as_deref(), Some("nghị quyết 25"));
/// assert_eq!(interpret("luaatj ddaats ddai 2013").as_deref(), Some("luật đất đai 2013"));
/// assert_eq!(interpret("dan van"), None);
/// assert_eq!(interpret("as"), None);
/// ```
pub fn interpret(q: &str) -> Option<String> {
    let numbers: Vec<std::ops::Range<usize>> =
        refs::scan_numbers(q).into_iter().map(|m| m.span).collect();
    // Words: maximal runs of letters and digits (ASCII or not).
    let mut words: Vec<(std::ops::Range<usize>, Option<String>)> = Vec::new();
    let (mut counted, mut good, mut signals, mut english) = (0usize, 0usize, 0usize, 0usize);
    let mut longest_signal = 0usize;
    for r in word_ranges(q) {
        let w = &q[r.clone()];
        if numbers.iter().any(|n| n.start <= r.start && r.end <= n.end)
            || w.bytes().all(|b| b.is_ascii_digit())
            || is_code(w)
        {
            continue;
        }
        counted += 1;
        let lower = w.to_lowercase();
        let is_english = ENGLISH.contains(&lower.as_str());
        english += usize::from(is_english);
        if is_syllable(w) {
            // Valid as typed; in a Telex query "coong" is still "công".
            good += 1;
            if let Some(d) = decode_typed(w) {
                words.push((r, Some(d)));
            }
            continue;
        }
        match decode_typed(w) {
            Some(d) => {
                good += 1;
                if !is_english {
                    signals += 1;
                    longest_signal = longest_signal.max(w.len());
                }
                words.push((r, Some(d)));
            }
            None => words.push((r, None)),
        }
    }
    let decoded = words.iter().filter(|(_, d)| d.is_some()).count();
    let lone_ok = counted > 1 || longest_signal >= 4;
    if signals == 0 || decoded == 0 || good * 2 <= counted || !lone_ok {
        return None;
    }
    if english > 0 && english >= signals {
        return None;
    }
    let mut out = String::with_capacity(q.len() + 8);
    let mut at = 0;
    for (r, d) in &words {
        if let Some(d) = d {
            out.push_str(&q[at..r.start]);
            out.push_str(d);
            at = r.end;
        }
    }
    out.push_str(&q[at..]);
    Some(out)
}

/// Byte ranges of the runs of alphanumeric chars of `q`.
fn word_ranges(q: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in q.char_indices() {
        let word = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..q.len());
    }
    out
}

/// Codes and abbreviations: words in capitals ("TW", "NQ", "UBND"), and
/// the abbreviations and type codes the tables know ("tw", "nd", "ttg").
fn is_code(w: &str) -> bool {
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return true;
    }
    let f = crate::text::fold(w);
    let f = f.as_ref();
    super::abbrev::full_form(f).is_some()
        || super::kinds::KINDS.iter().any(|(names, _, codes)| {
            codes.contains(&f) || (names.contains(&f) && names.first() != Some(&f))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn telex_and_vni_queries() {
        for (q, want) in [
            ("nghij quyeets", "nghị quyết"),
            ("ddaats ddai", "đất đai"),
            ("nghi5 quye61t", "nghị quyết"),
            ("nghij ddinhj 01/2021", "nghị định 01/2021"),
            ("luaatj ddaats ddai 2013", "luật đất đai 2013"),
            ("cos nghij quyeets", "có nghị quyết"),
            ("nghij quyeets 25-NQ/TW", "nghị quyết 25-NQ/TW"),
            ("coong tacs daan vaanj", "công tác dân vận"),
            ("nghij quyeets TW", "nghị quyết TW"),
        ] {
            assert_eq!(interpret(q).as_deref(), Some(want), "{q}");
        }
    }

    #[test]
    fn stays_as_typed() {
        for q in [
            "as",
            "cos",
            "dan van",
            "tran",
            "nghị quyết",
            "2021",
            "Điều 5",
            "0912345678",
            "as soon as possible",
            "the law on land",
            "tax law",
            "cong tac dan van",
            "25-NQ/TW",
            "TW",
            "nd 01/2021",
            "QĐ 312",
            "covid",
            "hello world",
            "",
        ] {
            assert_eq!(interpret(q), None, "{q}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,120}") {
            let _ = interpret(&s);
        }
    }
}
