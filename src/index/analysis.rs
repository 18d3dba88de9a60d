//! One analysis per text (issue 13): the pieces of a text (document
//! numbers and the syllables outside them) with both their exact and
//! folded forms, computed once and shared by every analyzer that reads the
//! same text on the same thread.
//!
//! An indexing thread tokenizes each title and body twice: for the exact
//! field and the folded field. Each pass used to scan for numbers, split
//! syllables and normalize them again. A small per-thread cache of the
//! last few texts' analyses makes the second pass a copy of what the
//! first computed; the tokens are the same
//! (see the tests). Texts longer than [`MAX_CACHED_BYTES`] are streamed as
//! before, so a huge text never holds its whole analysis in memory.
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use super::analyzer::Form;
use crate::refs::{self, NumberMatch};
use crate::text;

/// Longest text whose analysis is kept (bytes).
pub const MAX_CACHED_BYTES: usize = 64 * 1024;
/// Analyses kept per thread: the title and body of a document (and a
/// short field such as the issuers) are read back to back.
const CACHED_TEXTS: usize = 3;

/// One piece of a text: a document number or a syllable.
#[derive(Debug, Clone)]
pub enum Piece {
    /// A document number (one token).
    Number(NumberMatch),
    /// A syllable outside every number.
    Syllable(Range<usize>),
}

impl Piece {
    /// Its byte span in the text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Piece::Number(n) => n.span.clone(),
            Piece::Syllable(s) => s.clone(),
        }
    }

    /// Appends its `form` to `out`: numbers as their canonical form
    /// lowercased (exact) or their match key (folded), syllables through
    /// `text::exact_into` or `text::fold_into`.
    pub fn write_form(&self, text: &str, form: Form, out: &mut String) {
        match (self, form) {
            (Piece::Number(n), Form::Exact) => out.push_str(&n.number.as_str().to_lowercase()),
            (Piece::Number(n), Form::Folded) => out.push_str(&n.number.key()),
            (Piece::Syllable(s), Form::Exact) => text::exact_into(&text[s.clone()], out),
            (Piece::Syllable(s), Form::Folded) => text::fold_into(&text[s.clone()], out),
        }
    }
}

/// The pieces of a text in order: every document number found by `refs`
/// (one that overlaps an earlier number is left out), and every syllable
/// found by `text` that does not start inside a number.
pub struct Pieces<'a> {
    numbers: std::vec::IntoIter<NumberMatch>,
    next_number: Option<NumberMatch>,
    syllables: Box<dyn Iterator<Item = Range<usize>> + 'a>,
    next_syllable: Option<Range<usize>>,
    skip_until: usize,
}

impl<'a> Pieces<'a> {
    /// The pieces of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut numbers = refs::scan_numbers(text).into_iter();
        let next_number = numbers.next();
        let mut syllables: Box<dyn Iterator<Item = _> + 'a> = Box::new(text::syllables(text));
        let next_syllable = syllables.next();
        Pieces {
            numbers,
            next_number,
            syllables,
            next_syllable,
            skip_until: 0,
        }
    }
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        loop {
            let number_first = match (&self.next_number, &self.next_syllable) {
                (Some(n), Some(s)) => n.span.start <= s.start,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if number_first {
                let n = self.next_number.take()?;
                self.next_number = self.numbers.next();
                if n.span.start < self.skip_until {
                    continue; // overlaps the previous number: never emitted twice
                }
                self.skip_until = n.span.end;
                return Some(Piece::Number(n));
            }
            let s = self.next_syllable.take()?;
            self.next_syllable = self.syllables.next();
            if s.start < self.skip_until {
                continue; // part of a number already emitted
            }
            return Some(Piece::Syllable(s));
        }
    }
}

/// One analyzed piece: its span and where its two forms are in
/// [`Analysis::forms`].
#[derive(Debug, Clone)]
struct Analyzed {
    span: Range<u32>,
    exact: Range<u32>,
    folded: Range<u32>,
}

/// The pieces of one text with both forms.
#[derive(Debug)]
pub struct Analysis {
    text: String,
    forms: String,
    pieces: Vec<Analyzed>,
}

impl Analysis {
    /// Analyzes `text` (at most [`MAX_CACHED_BYTES`] long, so that every
    /// offset fits in a `u32`).
    fn new(text: &str) -> Analysis {
        let mut forms = String::with_capacity(text.len() * 2);
        // About one piece per five bytes of Vietnamese text.
        let mut pieces = Vec::with_capacity(text.len() / 5 + 1);
        let at = |s: &String| s.len() as u32;
        SYLLABLE_FORMS.with_borrow_mut(|memo| {
            for p in Pieces::new(text) {
                let span = p.span();
                let e0 = at(&forms);
                let f0 = match &p {
                    Piece::Syllable(s) => memo.write(&text[s.clone()], &mut forms),
                    Piece::Number(_) => {
                        p.write_form(text, Form::Exact, &mut forms);
                        let f0 = at(&forms);
                        p.write_form(text, Form::Folded, &mut forms);
                        f0
                    }
                };
                pieces.push(Analyzed {
                    span: span.start as u32..span.end as u32,
                    exact: e0..f0,
                    folded: f0..at(&forms),
                });
            }
        });
        Analysis {
            text: text.to_string(),
            forms,
            pieces,
        }
    }

    /// The number of pieces.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Whether there is no piece.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Piece `i`: its byte span and its `form`.
    pub fn piece(&self, i: usize, form: Form) -> Option<(Range<usize>, &str)> {
        let p = self.pieces.get(i)?;
        let r = match form {
            Form::Exact => &p.exact,
            Form::Folded => &p.folded,
        };
        let s = self.forms.get(r.start as usize..r.end as usize)?;
        Some((p.span.start as usize..p.span.end as usize, s))
    }
}

thread_local! {
    static CACHE: RefCell<VecDeque<Rc<Analysis>>> = const { RefCell::new(VecDeque::new()) };
    static SYLLABLE_FORMS: RefCell<SyllableForms> = RefCell::default();
}

/// Longest syllable whose forms [`SyllableForms`] keeps (bytes).
const MAX_MEMO_SYLLABLE_BYTES: usize = 32;
/// Syllables [`SyllableForms`] keeps before it starts over: the texts of a
/// language repeat a few thousand syllables (and their spellings), so the
/// bound only matters for text that is not.
const MAX_MEMO_SYLLABLES: usize = 1 << 16;

/// The exact and folded forms of the syllables this thread has analyzed,
/// by their spelling in the text (issue 13): one lookup instead of
/// normalizing and folding each occurrence again. The forms are those of
/// `text::exact_into` and `text::fold_into`, functions of the spelling
/// alone.
#[derive(Default)]
struct SyllableForms {
    /// Spelling → its exact form followed by its folded form, and where
    /// the folded form starts.
    map: rustc_hash::FxHashMap<Box<str>, (Box<str>, usize)>,
}

impl SyllableForms {
    /// Appends the exact then the folded form of `syllable` to `out`;
    /// returns where the folded form starts in `out`.
    fn write(&mut self, syllable: &str, out: &mut String) -> u32 {
        if let Some((both, split)) = self.map.get(syllable) {
            let f0 = out.len() + split;
            out.push_str(both);
            return f0 as u32;
        }
        let at = out.len();
        text::exact_into(syllable, out);
        let f0 = out.len();
        text::fold_into(syllable, out);
        if syllable.len() <= MAX_MEMO_SYLLABLE_BYTES {
            if self.map.len() >= MAX_MEMO_SYLLABLES {
                self.map.clear();
            }
            let both = out.get(at..).unwrap_or_default().into();
            self.map.insert(syllable.into(), (both, f0 - at));
        }
        f0 as u32
    }
}

/// The analysis of `text` from this thread's cache, computed and kept if
/// it is not there; `None` for a text longer than [`MAX_CACHED_BYTES`].
pub fn cached(text: &str) -> Option<Rc<Analysis>> {
    if text.len() > MAX_CACHED_BYTES {
        return None;
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(a) = c.iter().find(|a| a.text == text) {
            return Some(Rc::clone(a));
        }
        let a = Rc::new(Analysis::new(text));
        if c.len() >= CACHED_TEXTS {
            c.pop_front();
        }
        c.push_back(Rc::clone(&a));
        Some(a)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str, form: Form) -> Vec<(Range<usize>, String)> {
        let a = Analysis::new(text);
        (0..a.len())
            .filter_map(|i| a.piece(i, form))
            .map(|(r, s)| (r, s.to_string()))
            .collect()
    }

    fn streamed(text: &str, form: Form) -> Vec<(Range<usize>, String)> {
        Pieces::new(text)
            .map(|p| {
                let mut s = String::new();
                p.write_form(text, form, &mut s);
                (p.span(), s)
            })
            .collect()
    }

    #[test]
    fn analysis_holds_both_forms_of_each_piece() {
        let s = "Căn cứ Nghị định số 15/2020/NĐ - CP, Tỉnh uỷ HOÀ BÌNH";
        let exact: Vec<String> = both(s, Form::Exact).into_iter().map(|p| p.1).collect();
        let folded: Vec<String> = both(s, Form::Folded).into_iter().map(|p| p.1).collect();
        assert_eq!(
            exact,
            [
                "căn",
                "cứ",
                "nghị",
                "định",
                "số",
                "15/2020/nđ-cp",
                "tỉnh",
                "ủy",
                "hòa",
                "bình"
            ]
        );
        assert_eq!(
            folded,
            [
                "can",
                "cu",
                "nghi",
                "dinh",
                "so",
                "15/2020/nd-cp",
                "tinh",
                "uy",
                "hoa",
                "binh"
            ]
        );
        let (span, _) = Analysis::new(s).piece(5, Form::Folded).unwrap();
        assert_eq!(&s[span], "15/2020/NĐ - CP");
    }

    #[test]
    fn cache_returns_the_same_analysis_for_the_same_text() {
        let a = cached("Chỉ thị 05-CT/TW").unwrap();
        let b = cached("Chỉ thị 05-CT/TW").unwrap();
        assert!(Rc::ptr_eq(&a, &b));
        let c = cached("Chỉ thị 06-CT/TW").unwrap();
        assert!(!Rc::ptr_eq(&a, &c));
        assert_eq!(c.piece(2, Form::Folded).unwrap().1, "06-ct/tw");
        assert!(cached(&"a ".repeat(MAX_CACHED_BYTES)).is_none());
    }

    #[test]
    fn real_texts_analyze_as_they_stream() {
        // Whole files (tvpl texts run past the cache limit: `Analysis::new`
        // is not limited) and Pháp điển lines.
        for name in [
            "fixtures/phapdien/sample.jsonl",
            "fixtures/tvpl",
            "fixtures/demo",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
            let texts: Vec<String> = if path.is_dir() {
                std::fs::read_dir(&path)
                    .unwrap()
                    .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
                    .collect()
            } else {
                std::fs::read_to_string(&path)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect()
            };
            assert!(!texts.is_empty(), "{name}");
            for t in &texts {
                for form in [Form::Exact, Form::Folded] {
                    assert_eq!(both(t, form), streamed(t, form), "{name}");
                }
            }
        }
    }

    #[test]
    fn memo_repeats_the_forms_of_a_syllable_in_every_spelling() {
        // The second text hits the memo for each syllable of the first.
        let s = "Tỉnh uỷ HOÀ BÌNH, tỉnh ủy Hòa Bình, Ð ð ĐĐ, hoa\u{300} 23-QĐ/TW";
        for _ in 0..2 {
            for form in [Form::Exact, Form::Folded] {
                assert_eq!(both(s, form), streamed(s, form));
            }
        }
        let long = "Ngh\u{1ecb}".repeat(20);
        assert_eq!(both(&long, Form::Exact), streamed(&long, Form::Exact));
    }

    /// The analyses (with the syllable memo) over the whole shared corpus
    /// are the streamed pieces.
    #[cfg(feature = "corpus")]
    #[test]
    fn corpus_texts_analyze_as_they_stream() {
        let path = crate::testdata::shared("corpus/phapdien/articles.jsonl");
        let mut n = 0;
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for key in ["title", "text", "demuc"] {
                if let Some(t) = v[key].as_str() {
                    for form in [Form::Exact, Form::Folded] {
                        assert_eq!(both(t, form), streamed(t, form), "{t}");
                    }
                    n += 1;
                }
            }
        }
        assert!(n > 180_000, "only {n} texts");
    }

    proptest::proptest! {
        #[test]
        fn analysis_equals_streaming(s in "[ a-zA-Zàáạảãđêếệôơưụủ0-9/.,–-]{0,160}") {
            for form in [Form::Exact, Form::Folded] {
                proptest::prop_assert_eq!(both(&s, form), streamed(&s, form));
            }
        }
    }
}
