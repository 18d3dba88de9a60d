//! A bundle: the stored bytes of the pages that make one document (the
//! pages of one vbpl.vn `ItemID`, issue 12 item 4), kept in one store
//! record so that the document can be rebuilt from the store alone, like
//! any other (`reindex --full` reads one record per document).
//!
//! Format: a header line, then per page its URL line, its content type
//! line (empty when unknown), its length in bytes and a newline, and its
//! bytes.
use crate::extract::{self, ExtractedDoc};

const MAGIC: &[u8] = b"vanban-bundle 1\n";
/// Most pages read from one bundle.
const MAX_PAGES: usize = 64;

/// One page of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Its URL.
    pub url: String,
    /// Its `Content-Type` header.
    pub content_type: Option<String>,
    /// Its bytes as fetched.
    pub bytes: Vec<u8>,
}

/// The bytes of a bundle of `members`.
pub fn encode(members: &[Member]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for m in members {
        let url = m.url.replace('\n', " ");
        let ct = m.content_type.as_deref().unwrap_or("").replace('\n', " ");
        out.extend_from_slice(format!("{url}\n{ct}\n{}\n", m.bytes.len()).as_bytes());
        out.extend_from_slice(&m.bytes);
    }
    out
}

fn line<'a>(raw: &'a [u8], at: &mut usize) -> Option<&'a str> {
    let rest = raw.get(*at..)?;
    let end = rest.iter().position(|&b| b == b'\n')?;
    *at += end + 1;
    std::str::from_utf8(&rest[..end]).ok()
}

/// The members of a bundle; `None` when `raw` is not one (or is cut).
pub fn decode(raw: &[u8]) -> Option<Vec<Member>> {
    let mut at = MAGIC.len();
    if !raw.starts_with(MAGIC) {
        return None;
    }
    let mut out = Vec::new();
    while at < raw.len() && out.len() < MAX_PAGES {
        let url = line(raw, &mut at)?.to_string();
        let ct = line(raw, &mut at)?;
        let len: usize = line(raw, &mut at)?.parse().ok()?;
        let bytes = raw.get(at..at.checked_add(len)?)?.to_vec();
        at += len;
        out.push(Member {
            url,
            content_type: (!ct.is_empty()).then(|| ct.to_string()),
            bytes,
        });
    }
    Some(out)
}

/// The document of a bundle: each page extracted, then merged.
pub fn extract(raw: &[u8]) -> Result<ExtractedDoc, extract::Error> {
    let members =
        decode(raw).ok_or_else(|| extract::Error::Empty("a bundle that does not decode".into()))?;
    let pages: Vec<ExtractedDoc> = members
        .iter()
        .map(|m| {
            extract::extract_page(extract::PageInput {
                bytes: &m.bytes,
                content_type: m.content_type.as_deref(),
            })
            .doc
        })
        .filter(|d| !d.body.is_empty() || !d.title.is_empty())
        .collect();
    extract::merge_pages(pages).ok_or_else(|| extract::Error::Empty("an empty bundle".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_garbage() {
        let m = vec![
            Member {
                url: "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1".into(),
                content_type: Some("text/html; charset=utf-8".into()),
                bytes: b"<html>\n1\n</html>".to_vec(),
            },
            Member {
                url: "u2".into(),
                content_type: None,
                bytes: vec![0, 10, 255],
            },
        ];
        let raw = encode(&m);
        assert_eq!(decode(&raw), Some(m));
        assert_eq!(decode(b"<html>"), None);
        // Cut short: not a bundle.
        assert_eq!(decode(&raw[..raw.len() - 1]), None);
        let mut bad = MAGIC.to_vec();
        bad.extend_from_slice(b"u\n\n99999999999999999999999\n");
        assert_eq!(decode(&bad), None);
        assert!(extract(b"nothing").is_err());
    }
}
