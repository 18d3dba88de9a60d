//! JSON Lines records: one document per line, with `title` and `body` (or
//! `text`). The id is the line's `id` (string or number), else its `url`;
//! callers that have neither use [`fallback_id`] (file name and line
//! number). Every other field is kept, untouched, as metadata.
//!
//! Built for bulk ingest (the 137 MB Bộ Pháp điển dump): one serde_json
//! parse into a map, fields moved out without copying, and NFC applied
//! only when the quick check says a string is not already NFC.
use serde_json::{Map, Value};

use super::charset::nfc_owned;
use super::{Error, ExtractedDoc};

/// Options for [`super::extract_json_line_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonLineOptions {
    /// Accept a record whose `body`/`text` is present but blank (its body
    /// is then empty). The Bộ Pháp điển dump has 393 such articles: 19
    /// repealed ("Điều 14.3.LQ.7. (được bãi bỏ)") and many whose whole
    /// text sits in the title ("Điều 17.2.TT.11.3. Thông tư này có hiệu
    /// lực thi hành kể từ ngày 01/01/2016."). A missing field is still an
    /// error.
    pub allow_empty_body: bool,
}

/// The id of a record that has neither `id` nor `url`: `"{file}:{line}"`
/// with the 1-based line number, e.g. `"articles.jsonl:17"`.
pub fn fallback_id(file_name: &str, line_no: u64) -> String {
    format!("{file_name}:{line_no}")
}

/// Extracts one JSON line; see [`super::extract_json_line`].
pub(crate) fn extract(line: &str, opts: JsonLineOptions) -> Result<ExtractedDoc, Error> {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let value: Value =
        serde_json::from_str(line).map_err(|e| Error::Json(format!("not JSON: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(Error::Json("not a JSON object".into()));
    };
    let title = match map.remove("title") {
        Some(Value::String(t)) if !t.trim().is_empty() => t,
        Some(Value::String(_)) => return Err(Error::Json("empty `title`".into())),
        Some(_) => return Err(Error::Json("`title` is not a string".into())),
        None => return Err(Error::Json("no `title`".into())),
    };
    let body = take_body(&mut map, opts)?;
    let id_hint = match map.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
    .or_else(|| match map.get("url") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    });
    let title = if needs_collapse(&title) {
        title.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        title
    };
    Ok(ExtractedDoc {
        title: nfc_owned(title),
        body: nfc_owned(body),
        id_hint,
        metadata: map,
        ..Default::default()
    })
}

/// Moves `body` (preferred) or `text` out of the map; the other one is
/// dropped too, so neither lands in the metadata.
fn take_body(map: &mut Map<String, Value>, opts: JsonLineOptions) -> Result<String, Error> {
    let body = map.remove("body");
    let text = map.remove("text");
    let pick = |v: Option<Value>, name: &str| match v {
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Null) | None => Ok(None),
        Some(_) => Err(Error::Json(format!("`{name}` is not a string"))),
    };
    let body = pick(body, "body")?;
    let text = pick(text, "text")?;
    let (name, value) = match (body, text) {
        (Some(b), _) if !b.trim().is_empty() => ("body", b),
        (_, Some(t)) if !t.trim().is_empty() => ("text", t),
        (Some(b), _) => ("body", b),
        (None, Some(t)) => ("text", t),
        (None, None) => return Err(Error::Json("no `body` or `text`".into())),
    };
    if value.trim().is_empty() && !opts.allow_empty_body {
        return Err(Error::Json(format!("empty `{name}`")));
    }
    Ok(value)
}

/// Whether a title has whitespace other than single spaces between words.
fn needs_collapse(s: &str) -> bool {
    s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.contains("  ")
        || s.contains(|c: char| c.is_whitespace() && c != ' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use unicode_normalization::UnicodeNormalization;

    fn strict(line: &str) -> Result<ExtractedDoc, Error> {
        extract(line, JsonLineOptions::default())
    }

    #[test]
    fn fields_id_and_metadata() {
        let line = r#"{"id": 17, "url": "http://x/1", "title": " Điều  1.\n Phạm vi ", "text": "Nội dung", "source_url": "http://vbpl.vn/a", "vbpl_itemid": "142850", "related": []}"#;
        let doc = strict(line).unwrap();
        assert_eq!(doc.title, "Điều 1. Phạm vi");
        assert_eq!(doc.body, "Nội dung");
        assert_eq!(doc.id_hint.as_deref(), Some("17"));
        assert_eq!(doc.metadata.get("url"), Some(&json!("http://x/1")));
        assert_eq!(doc.metadata.get("vbpl_itemid"), Some(&json!("142850")));
        assert_eq!(doc.metadata.get("related"), Some(&json!([])));
        for gone in ["id", "title", "text", "body"] {
            assert!(!doc.metadata.contains_key(gone), "{gone}");
        }
    }

    #[test]
    fn url_is_the_fallback_id_and_body_beats_text() {
        let doc = strict(r#"{"url": "u", "title": "t", "body": "b", "text": "x"}"#).unwrap();
        assert_eq!(doc.id_hint.as_deref(), Some("u"));
        assert_eq!(doc.body, "b");
        assert!(!doc.metadata.contains_key("text"));
        let doc = strict(r#"{"title": "t", "body": " ", "text": "x"}"#).unwrap();
        assert_eq!(doc.body, "x");
        assert_eq!(
            strict(r#"{"title": "t", "text": "x"}"#).unwrap().id_hint,
            None
        );
        assert_eq!(fallback_id("articles.jsonl", 17), "articles.jsonl:17");
    }

    #[test]
    fn bom_and_nfc() {
        let nfd: String = "Nghị định".nfd().collect();
        let line = format!("\u{feff}{}", json!({"title": nfd, "text": nfd}));
        let doc = strict(&line).unwrap();
        assert_eq!(doc.title, "Nghị định");
        assert_eq!(doc.body, "Nghị định");
    }

    #[test]
    fn rejections_have_reasons() {
        for (line, reason) in [
            ("", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"text": "x"}"#, "no `title`"),
            (r#"{"title": 3, "text": "x"}"#, "not a string"),
            (r#"{"title": "  ", "text": "x"}"#, "empty `title`"),
            (r#"{"title": "t"}"#, "no `body` or `text`"),
            (r#"{"title": "t", "text": "  "}"#, "empty `text`"),
            (r#"{"title": "t", "body": ""}"#, "empty `body`"),
            (r#"{"title": "t", "body": 5}"#, "not a string"),
        ] {
            match strict(line) {
                Err(Error::Json(r)) => assert!(r.contains(reason), "{line}: {r}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn lenient_accepts_blank_body_only() {
        let opts = JsonLineOptions {
            allow_empty_body: true,
        };
        let doc = extract(
            r#"{"title": "Điều 14.3.LQ.7. (được bãi bỏ)", "text": ""}"#,
            opts,
        )
        .unwrap();
        assert_eq!(doc.body, "");
        assert!(extract(r#"{"title": "t"}"#, opts).is_err());
    }
}
