//! Text that is not in NFC (decomposed diacritics, as in saved pages and
//! windows-1258 files) read as NFC, with the byte offsets of the NFC form
//! mapped back to the text as given: the grammar and the citation
//! patterns are written for precomposed letters ("và", "của", "về"), and
//! every span reported must slice the caller's own text.
//!
//! Only the combining diacritical marks (U+0300–U+036F) are looked for:
//! they are what decomposed Vietnamese is made of, and a byte scan for
//! them is much cheaper than a full NFC quick check (compatibility
//! singletons such as "Å" and other scripts' marks are left as they are;
//! the grammar does not read them).
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
    /// `text` in NFC with its offset map, or `None` when it has no
    /// combining mark.
    pub(crate) fn of(text: &str) -> Option<Normalized> {
        if !has_marks(text) {
            return None;
        }
        let mut n = Normalized {
            text: String::with_capacity(text.len()),
            segments: Vec::new(),
            original_len: text.len(),
        };
        // Only the clusters around combining marks are rewritten; the
        // text between them is copied.
        let mut copied = 0;
        let mut from = 0;
        while let Some(mark) = next_mark(text.as_bytes(), from) {
            // The cluster: the letter before the mark and every mark after.
            let start = text[copied..mark]
                .char_indices()
                .next_back()
                .map_or(mark, |(i, _)| copied + i);
            let end = mark
                + text[mark..]
                    .chars()
                    .take_while(|&c| is_combining_mark(c))
                    .map(char::len_utf8)
                    .sum::<usize>();
            let end = end.max(mark + 2);
            n.push(&text[copied..start], copied, false);
            n.push_cluster(&text[start..end], start);
            copied = end;
            from = end;
        }
        n.push(&text[copied..], copied, false);
        Some(n)
    }

    /// Appends one cluster (a starter and the marks after it) in NFC.
    fn push_cluster(&mut self, cluster: &str, from: usize) {
        // Vietnamese letters compose mark by mark ("e" + "̂" + "̣" → "ệ").
        let mut chars = cluster.chars();
        let composed = chars
            .next()
            .and_then(|first| chars.try_fold(first, unicode_normalization::char::compose));
        match composed {
            Some(c) => {
                let mut buf = [0u8; 4];
                let c = c.encode_utf8(&mut buf);
                self.push(c, from, c != cluster);
            }
            None => {
                let nfc: String = cluster.nfc().collect();
                let changed = nfc != cluster;
                self.push(&nfc, from, changed);
            }
        }
    }

    /// Appends `s`, found at `from` in the original; `changed`: whether
    /// it differs from the original there.
    fn push(&mut self, s: &str, from: usize, changed: bool) {
        if s.is_empty() {
            return;
        }
        let merge = !changed && self.segments.last().is_some_and(|&(_, _, c)| !c);
        if !merge {
            self.segments.push((self.text.len(), from, changed));
        }
        self.text.push_str(s);
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

/// Whether `s` has a combining diacritical mark (U+0300–U+036F, the
/// marks decomposed Vietnamese is written with).
fn has_marks(s: &str) -> bool {
    next_mark(s.as_bytes(), 0).is_some()
}

/// The byte offset of the first combining diacritical mark at or after
/// `from`: U+0300–U+033F encode as 0xCC 0x80–0xBF and U+0340–U+036F as
/// 0xCD 0x80–0xAF. 64 bytes are tested at a time with no early exit (the
/// compiler vectorizes it), then the chunk that has one exactly.
fn next_mark(b: &[u8], from: usize) -> Option<usize> {
    let is_mark_at =
        |i: usize| b[i] == 0xCC || (b[i] == 0xCD && b.get(i + 1).is_some_and(|&y| y <= 0xAF));
    let mut at = from;
    while at < b.len() {
        let end = (at + 64).min(b.len());
        if b[at..end]
            .iter()
            .fold(false, |acc, &x| acc | (x & 0xFE == 0xCC))
            && let Some(i) = (at..end).find(|&i| is_mark_at(i))
        {
            return Some(i);
        }
        at = end;
    }
    None
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
        // A mark with no letter before it stays.
        let n = Normalized::of("\u{301}25-NQ/TW").expect("a mark");
        assert_eq!(n.text, "\u{301}25-NQ/TW");
        assert_eq!(n.original(3, false), 3);
    }
}
