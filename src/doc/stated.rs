//! What a page states about its document beside the text
//! ([`Stated`]: a vbpl.vn page's properties) over what `refs::identify`
//! reads from the text: the page's own statement wins, since the text's
//! header can be missing (a properties page) or name other documents.
use serde_json::{Map, Value, json};

use crate::extract::Stated;
use crate::refs::{DocNumber, Identity};
use crate::status::SELF_STATED;

/// Metadata key of the site's document key ([`Stated::key`]): pages with
/// the same key are one document.
pub const DOC_KEY: &str = "doc_key";

/// Whether a number as a page writes it says the document has none
/// ("Không số").
fn says_no_number(raw: &str) -> bool {
    crate::text::fold(raw.trim()) == "khong so"
}

/// Puts the page's statements into the identity and the metadata.
pub(crate) fn apply(st: &Stated, ident: &mut Identity, metadata: &mut Map<String, Value>) {
    match st.number.as_deref() {
        Some(raw) if says_no_number(raw) => ident.number = None,
        Some(raw) => {
            if let Ok(n) = raw.parse::<DocNumber>() {
                ident.number = Some(n);
            }
        }
        None => {}
    }
    if let Some(k) = &st.kind {
        ident.kind = Some(k.clone());
    }
    if !st.issuers.is_empty() {
        ident.issuers = st.issuers.clone();
    }
    if !st.signers.is_empty() {
        ident.signers = st.signers.clone();
    }
    if st.issued.is_some() {
        ident.issued = st.issued;
    }
    let mut put = |k: &str, v: Value| {
        metadata.insert(k.to_string(), v);
    };
    if let Some(v) = &st.validity {
        put(SELF_STATED[0], json!(v));
    }
    if let Some(d) = st.effective {
        put(SELF_STATED[1], json!(d.to_string()));
    }
    if let Some(d) = st.expires {
        put(SELF_STATED[2], json!(d.to_string()));
    }
    if let Some(k) = &st.key {
        put(DOC_KEY, json!(k));
    }
    if let Some(p) = &st.page {
        put("page_type", json!(p));
    }
    if let Some(n) = &st.number {
        put("number_stated", json!(n));
    }
    if let Some(d) = st.gazette {
        put("gazette_date", json!(d.to_string()));
    }
    if !st.relations.is_empty() {
        put(
            "listed_relations",
            serde_json::to_value(&st.relations).unwrap_or(Value::Null),
        );
    }
}
