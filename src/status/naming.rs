//! Which indexed document a citation names, when several carry the cited
//! number: Party numbers restart each khóa, so a stated date or khóa
//! decides; a number naming no kind ("18/2008/QH12") names a document of
//! the kind stated before it. (Moved here from `search::graph` so that
//! the index writer can resolve validity statements too.)
use chrono::Datelike;

use crate::doc::{DocRef, Document};
use crate::refs::DocNumber;

/// The years of a khóa (term of the Party Central Committee), from its
/// Congress to the next one, both included (a document of the first
/// weeks of a Congress year may belong to either): "XI" → 2011..=2016.
fn term_years(term: &str) -> Option<(i32, i32)> {
    const CONGRESSES: [i32; 14] = [
        1935, 1951, 1960, 1976, 1982, 1986, 1991, 1996, 2001, 2006, 2011, 2016, 2021, 2026,
    ];
    let n = roman(term)?;
    let from = *CONGRESSES.get(n.checked_sub(1)?)?;
    let to = CONGRESSES.get(n).copied().unwrap_or(from + 5);
    Some((from, to))
}

/// The value of a Roman numeral of I, V, X, L ("XIII" → 13, "IX" → 9).
fn roman(s: &str) -> Option<usize> {
    let digit = |c| match c {
        'I' => Some(1i64),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let values: Vec<i64> = s.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    usize::try_from(total).ok().filter(|&t| t > 0)
}

/// Whether a citation can name `doc` (whose own number has the cited
/// key): Party numbers restart each khóa, so a stated date must fall in
/// the year `doc` was issued and a stated khóa must span it; a number
/// naming no kind ("18/2008/QH12": Luật and Nghị quyết of the Quốc hội
/// share the series) names a document of the kind stated before it. What
/// is not known on either side does not exclude.
pub fn may_name(cite: &DocRef, doc: &Document) -> bool {
    if let (Some(ck), Some(dk)) = (&cite.kind, &doc.kind)
        && cite
            .number
            .parse::<DocNumber>()
            .is_ok_and(|n| n.type_code().is_none())
        && !kinds_agree(ck, dk)
    {
        return false;
    }
    let Some(issued) = doc.issued else {
        return true;
    };
    let year_ok = cite.date.is_none_or(|d| d.year() == issued.year());
    let term_ok = cite
        .term
        .as_deref()
        .and_then(term_years)
        .is_none_or(|(from, to)| (from..=to).contains(&issued.year()));
    year_ok && term_ok
}

/// Whether two kind nouns name the same kind ("Luật" and "Bộ luật" do,
/// "Luật" and "Nghị quyết" do not).
fn kinds_agree(a: &str, b: &str) -> bool {
    let (a, b) = (crate::text::fold(a), crate::text::fold(b));
    a.ends_with(b.as_ref()) || b.ends_with(a.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn khoa_years() {
        assert_eq!(roman("IX"), Some(9));
        assert_eq!(roman("XIII"), Some(13));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("ABC"), None);
        assert_eq!(term_years("IX"), Some((2001, 2006)));
        assert_eq!(term_years("XI"), Some((2011, 2016)));
        assert_eq!(term_years("XIV"), Some((2026, 2031)));
        assert_eq!(term_years("L"), None);
    }
}
