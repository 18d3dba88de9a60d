//! Query understanding: reading a query the way people type it (issue
//! 11). Each part is a pure function of the query text and a table, with
//! its own tests:
//!
//! - `typing.rs`: Telex and VNI typed with the input method off
//!   ("nghij quyeets" → "nghị quyết"), decided on the whole query;
//! - `lookup.rs`: partial document numbers ("Nghị định 01/2021", "QĐ
//!   312", "chỉ thị 05 bộ chính trị", "nghị quyết 25 khóa XI"), read with
//!   the tables `kinds.rs` (kind names, abbreviations, type codes) and
//!   `issuers.rs` (issuer names and codes);
//! - `abbrev.rs`: the one table of abbreviations and full forms, expanded
//!   both ways;
//! - `suggest.rs`: did-you-mean from the index's own vocabulary.
//!
//! Where it stops: it says what the query means; `search` turns that
//! into tantivy queries and ranking.
pub mod abbrev;
pub mod issuers;
pub mod kinds;
pub mod lookup;
pub mod suggest;
pub mod typing;

pub use lookup::NumberLookup;
pub use suggest::Vocabulary;

use super::query::{QueryTerm, analyze};

/// Alternatives for the abbreviations and full forms among `terms` (the
/// query's words in order): "nq" → the words of "nghị quyết", "bộ chính
/// trị" → "bct". Each alternative is a phrase.
pub fn expansions(terms: &[QueryTerm], raw_upper: &[String]) -> Vec<Vec<QueryTerm>> {
    let mut out: Vec<Vec<QueryTerm>> = Vec::new();
    let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
    let mut i = 0;
    while i < terms.len() {
        // Abbreviation → full form. One that is also a syllable ("tu") only
        // when typed in capitals.
        if let Some(full) = abbrev::full_form(folded[i]) {
            let syllable = crate::text::is_syllable(folded[i]);
            if !syllable || raw_upper.iter().any(|u| crate::text::fold(u) == folded[i]) {
                let words = analyze(full);
                if !words.is_empty() && !out.contains(&words) {
                    out.push(words);
                }
            }
        }
        // "Trung ương 4", "TW 4" → "lần thứ tư" (the plenum's full name).
        let number_at = match (folded[i], folded.get(i + 1)) {
            ("tw", _) => Some(i + 1),
            ("trung", Some(&"uong")) => Some(i + 2),
            _ => None,
        };
        if let Some(n) = number_at
            .and_then(|j| folded.get(j))
            .and_then(|n| n.parse::<usize>().ok())
            && let Some(full) = abbrev::plenum(n)
        {
            out.push(analyze(&full));
        }
        // Full form → abbreviation (never one that is also a syllable).
        if let Some(&(abbr, n)) = abbrev::abbreviations_at(&folded[i..]).first()
            && !crate::text::is_syllable(abbr)
        {
            let words = analyze(abbr);
            if !words.is_empty() && !out.contains(&words) {
                out.push(words);
            }
            i += n;
            continue;
        }
        i += 1;
    }
    out
}

/// The number of words of `name` (words joined by single spaces) when
/// `words` starts with them.
fn starts_with_name(words: &[&str], name: &str) -> Option<usize> {
    let mut n = 0;
    for part in name.split(' ') {
        if words.get(n) != Some(&part) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(q: &str) -> Vec<String> {
        let terms = analyze(q);
        let upper: Vec<String> = q
            .split_whitespace()
            .filter(|w| w.chars().all(|c| !c.is_lowercase()))
            .map(str::to_string)
            .collect();
        expansions(&terms, &upper)
            .iter()
            .map(|e| {
                e.iter()
                    .map(|t| t.exact.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn names_match_whole_words() {
        assert_eq!(
            starts_with_name(&["bo", "chinh", "tri", "x"], "bo chinh tri"),
            Some(3)
        );
        assert_eq!(starts_with_name(&["bo", "chinh"], "bo chinh tri"), None);
        assert_eq!(starts_with_name(&["bo", "chinhtri"], "bo chinh"), None);
        assert_eq!(starts_with_name(&["nq"], "nq"), Some(1));
    }

    #[test]
    fn both_ways_and_plenums() {
        assert_eq!(exp("NQ dân vận"), ["nghị quyết"]);
        assert_eq!(exp("Bộ Chính trị"), ["bct"]);
        assert_eq!(
            exp("nghị quyết trung ương 4 khóa XII"),
            ["nq", "lần thứ tư", "tw"]
        );
        // "tu" is a syllable: expanded only in capitals, never produced.
        assert!(exp("tu 2020").is_empty());
        assert_eq!(exp("chỉ thị TU"), ["ct", "tỉnh ủy"]);
        assert!(exp("tỉnh ủy").is_empty());
        assert!(exp("dan van").is_empty());
    }
}
