//! Text that is not in NFC (decomposed diacritics, as in saved pages and
//! windows-1258 files) read as NFC, with the byte offsets of the NFC form
//! mapped back to the text as given: the grammar and the citation
//! patterns are written for precomposed letters ("và", "của", "về"), and
//! every span reported must slice the caller's own text.
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A text put into NFC, cluster by cluster (a starter and the marks after
/// it), with where each cluster came from.
pub(crate) struct Normalized {
    /// The text in NFC.
    pub(crate) text: String,
    /// Segments in order: (start in `text`, start in the original, whether
    /// the segment was rewritten). Offsets inside an unchanged segment map
    /// one to one; inside a rewritten cluster, to the cluster's start.
    segments: Vec<(usize, usize, bool)>,
    /// The original length.
    original_len: usize,
}

impl Normalized {
    /// `text` in NFC with its offset map, or `None` when it already is NFC.
    pub(crate) fn of(text: &str) -> Option<Normalized> {
        if matches!(is_nfc_quick(text.chars()), IsNormalized::Yes) {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut segments: Vec<(usize, usize, bool)> = Vec::new();
        let mut cluster_start = 0;
        let mut push_cluster = |out: &mut String, from: usize, to: usize| {
            let cluster = &text[from..to];
            let nfc: std::borrow::Cow<'_, str> = if cluster.len() == 1 {
                cluster.into()
            } else {
                cluster.nfc().collect::<String>().into()
            };
            let changed = nfc != cluster;
            let merge = !changed && segments.last().is_some_and(|&(_, _, c)| !c);
            if !merge {
                segments.push((out.len(), from, changed));
            }
            out.push_str(&nfc);
        };
        for (i, c) in text.char_indices() {
            if i > 0 && canonical_combining_class(c) == 0 {
                push_cluster(&mut out, cluster_start, i);
                cluster_start = i;
            }
        }
        if !text.is_empty() {
            push_cluster(&mut out, cluster_start, text.len());
        }
        Some(Normalized {
            text: out,
            segments,
            original_len: text.len(),
        })
    }

    /// The offset in the original text of `at` (a char boundary of
    /// [`Normalized::text`]); `end` says whether it ends a span (an end
    /// inside a rewritten cluster maps past the cluster).
    pub(crate) fn original(&self, at: usize, end: bool) -> usize {
        let i = self.segments.partition_point(|&(s, _, _)| s <= at);
        let Some(&(nfc_start, orig_start, changed)) =
            i.checked_sub(1).and_then(|i| self.segments.get(i))
        else {
            return 0;
        };
        let next_orig = self
            .segments
            .get(i)
            .map_or(self.original_len, |&(_, o, _)| o);
        if !changed {
            return (orig_start + (at - nfc_start)).min(next_orig);
        }
        if at == nfc_start || !end {
            orig_start
        } else {
            next_orig
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_nfc_offsets_back() {
        let text = "Nghi\u{323} quyê\u{301}t số 25 và Chỉ thị";
        let n = Normalized::of(text).expect("not NFC");
        assert_eq!(n.text, "Nghị quyết số 25 và Chỉ thị");
        let at = n.text.find("25").unwrap();
        let (s, e) = (n.original(at, false), n.original(at + 2, true));
        assert_eq!(&text[s..e], "25");
        let q = n.text.find("quyết").unwrap();
        let (s, e) = (n.original(q, false), n.original(q + "quyết".len(), true));
        assert_eq!(&text[s..e], "quyê\u{301}t");
        let w = n.text.find("Nghị").unwrap();
        let e = n.original(w + "Nghị".len(), true);
        assert_eq!(&text[..e], "Nghi\u{323}");
        assert!(Normalized::of("Nghị quyết").is_none());
        assert_eq!(n.original(n.text.len(), true), text.len());
    }
}
