//! Did you mean: for a query with few hits, the same query with each
//! word that the index does not know replaced by the closest syllable the
//! index does know (its own vocabulary, one edit away). Tone and
//! vowel-mark slips come first ("quyêt" → "quyết", "quyet" typed as
//! "quyêt"), then one edit of the letters ("nghi quyt" → "nghi quyet").
//! Shown to the user, never applied silently. Issue 11.
use std::collections::HashMap;

use tantivy::Searcher;

use crate::search::QueryTerm;
use crate::text;

/// The syllables of an index: every word of the exact body field, by its
/// folded form, with document frequencies.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Folded form → exact forms with their document frequency.
    by_fold: HashMap<String, Vec<(String, u64)>>,
    /// Folded form → summed document frequency.
    folded_df: HashMap<String, u64>,
}

/// Longest word kept, in bytes.
const MAX_WORD: usize = 24;

impl Vocabulary {
    /// Reads the term dictionaries of `field` (an exact-form text field).
    pub fn read(searcher: &Searcher, field: tantivy::schema::Field) -> Vocabulary {
        let mut exact: HashMap<String, u64> = HashMap::new();
        for seg in searcher.segment_readers() {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inv.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(w) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if w.len() > MAX_WORD || !w.chars().all(char::is_alphabetic) {
                    continue;
                }
                *exact.entry(w.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        Vocabulary::from_counts(exact)
    }

    /// A vocabulary from exact words and their document frequencies.
    pub fn from_counts(exact: HashMap<String, u64>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for (w, df) in exact {
            let f = text::fold(&w).into_owned();
            *v.folded_df.entry(f.clone()).or_default() += df;
            v.by_fold.entry(f).or_default().push((w, df));
        }
        for forms in v.by_fold.values_mut() {
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        v
    }

    /// Number of distinct exact words.
    pub fn len(&self) -> usize {
        self.by_fold.values().map(Vec::len).sum()
    }

    /// Whether it holds no word.
    pub fn is_empty(&self) -> bool {
        self.by_fold.is_empty()
    }

    fn knows_exact(&self, exact: &str, folded: &str) -> bool {
        self.by_fold
            .get(folded)
            .is_some_and(|forms| forms.iter().any(|(w, _)| w == exact))
    }

    /// The replacement for one query word, if it needs one.
    pub fn correct(&self, t: &QueryTerm) -> Option<String> {
        if !t.exact.chars().all(char::is_alphabetic) || t.exact.chars().count() < 2 {
            return None;
        }
        if t.accented() {
            if self.knows_exact(&t.exact, &t.folded) {
                return None;
            }
            // A tone or vowel-mark slip: same letters, other marks.
            if let Some(forms) = self.by_fold.get(&t.folded) {
                return forms
                    .iter()
                    .min_by_key(|(w, df)| (mark_distance(w, &t.exact), std::cmp::Reverse(*df)))
                    .map(|(w, _)| w.clone());
            }
            let f = self.one_edit(&t.folded)?;
            return self.by_fold.get(&f)?.first().map(|(w, _)| w.clone());
        }
        if self.folded_df.contains_key(&t.folded) {
            return None;
        }
        self.one_edit(&t.folded)
    }

    /// The most frequent known folded word one edit from `w` (deletion,
    /// insertion, substitution or swap of neighbours).
    fn one_edit(&self, w: &str) -> Option<String> {
        let chars: Vec<char> = w.chars().collect();
        if chars.len() < 3 || !w.is_ascii() {
            return None;
        }
        let mut best: Option<(u64, String)> = None;
        let mut consider = |cand: String| {
            if let Some(&df) = self.folded_df.get(&cand)
                && best
                    .as_ref()
                    .is_none_or(|(b, s)| df > *b || (df == *b && cand < *s))
            {
                best = Some((df, cand));
            }
        };
        let alphabet = 'a'..='z';
        for i in 0..=chars.len() {
            if i < chars.len() {
                let mut c = chars.clone();
                c.remove(i);
                consider(c.into_iter().collect());
                for l in alphabet.clone() {
                    if l != chars[i] {
                        let mut c = chars.clone();
                        c[i] = l;
                        consider(c.into_iter().collect());
                    }
                }
                if i + 1 < chars.len() {
                    let mut c = chars.clone();
                    c.swap(i, i + 1);
                    consider(c.into_iter().collect());
                }
            }
            for l in alphabet.clone() {
                let mut c = chars.clone();
                c.insert(i, l);
                consider(c.into_iter().collect());
            }
        }
        best.map(|(_, w)| w)
    }

    /// The query with every unknown word replaced; `None` when nothing
    /// changes. `words` are the query's words as typed, in order, with
    /// their analyzed forms.
    pub fn suggest(&self, q: &str) -> Option<String> {
        let mut out = String::with_capacity(q.len() + 4);
        let mut changed = false;
        let mut at = 0;
        for r in text::syllables(q) {
            let raw = &q[r.clone()];
            let terms = crate::search::query::analyze(raw);
            let [t] = terms.as_slice() else {
                continue;
            };
            if let Some(fix) = self.correct(t) {
                out.push_str(&q[at..r.start]);
                out.push_str(&fix);
                at = r.end;
                changed = true;
            }
        }
        out.push_str(&q[at..]);
        changed.then_some(out)
    }
}

/// How many letters differ between two words of the same folded form.
fn mark_distance(a: &str, b: &str) -> usize {
    let d = a.chars().zip(b.chars()).filter(|(x, y)| x != y).count();
    d + a.chars().count().abs_diff(b.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[(&str, u64)]) -> Vocabulary {
        Vocabulary::from_counts(words.iter().map(|(w, n)| (w.to_string(), *n)).collect())
    }

    #[test]
    fn mark_slips_first_then_one_edit() {
        let v = vocab(&[
            ("quyết", 50),
            ("quyệt", 1),
            ("nghị", 40),
            ("định", 40),
            ("dân", 30),
            ("vận", 30),
        ]);
        assert_eq!(v.suggest("quyêt").as_deref(), Some("quyết"));
        assert_eq!(v.suggest("nghị quyêt").as_deref(), Some("nghị quyết"));
        assert_eq!(v.suggest("nghi quyt").as_deref(), Some("nghi quyet"));
        assert_eq!(v.suggest("dân vân").as_deref(), Some("dân vận"));
        assert_eq!(v.suggest("dân vận"), None);
        assert_eq!(v.suggest("dan van"), None);
        assert_eq!(v.suggest("01/2021 xyzzyq"), None);
        assert_eq!(v.suggest(""), None);
        assert_eq!(v.len(), 6);
    }
}
