//! The pages of one document → one [`ExtractedDoc`] (issue 12, item 4):
//! vbpl.vn shows a document on several pages (toàn văn, thuộc tính, lược
//! đồ, văn bản liên quan, lịch sử), all with the same `ItemID`
//! ([`Stated::key`]). Each page gives what it has:
//!
//! - the text: the full text first, then the other pages' texts (the
//!   properties table, the relation lists) in a fixed order, so that the
//!   relations they list are citations with real spans;
//! - the title: the properties page's (kind + subject), else the full
//!   text's heading, else any page's;
//! - the properties: each from the first page that states it, the
//!   properties page first; the related documents of every page, in the
//!   order of the texts.
use super::{Attachment, ExtractedDoc, Stated};

/// Order of the texts: the full text first.
fn text_rank(page: Option<&str>) -> u8 {
    match page.unwrap_or("") {
        p if p == "toanvan" || p.starts_with("van-ban-goc") || p.starts_with("print") => 0,
        p if p.starts_with("thuoctinh") => 1,
        p if p.starts_with("luocdo") => 2,
        p if p.starts_with("vanbanlienquan") => 3,
        p if p.starts_with("lichsu") => 4,
        _ => 5,
    }
}

/// Order in which properties are believed: the properties page first.
fn property_rank(page: Option<&str>) -> u8 {
    match text_rank(page) {
        1 => 0,
        0 => 1,
        r => r,
    }
}

fn page_of(d: &ExtractedDoc) -> Option<&str> {
    d.stated.as_ref().and_then(|s| s.page.as_deref())
}

/// Merges the pages of one document (in any order; at least one). With
/// one page, that page as it is.
pub fn merge_pages(mut pages: Vec<ExtractedDoc>) -> Option<ExtractedDoc> {
    if pages.len() <= 1 {
        return pages.pop();
    }
    pages.sort_by_key(|d| text_rank(page_of(d)));
    let mut by_props: Vec<&ExtractedDoc> = pages.iter().collect();
    by_props.sort_by_key(|d| property_rank(page_of(d)));
    let stated = merge_stated(&by_props, &pages);
    let title = by_props
        .iter()
        .find_map(|d| d.stated.as_ref().and_then(|s| s.title.clone()))
        .unwrap_or_else(|| pages[0].title.clone());
    let mut body = String::new();
    for d in &pages {
        let b = d.body.trim();
        if b.is_empty() || body.contains(b) {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(b);
    }
    let mut attachments: Vec<Attachment> = Vec::new();
    for a in pages.iter().flat_map(|d| &d.attachments) {
        if !attachments.iter().any(|x| x.url == a.url) {
            attachments.push(a.clone());
        }
    }
    let mut metadata = serde_json::Map::new();
    for d in &by_props {
        for (k, v) in &d.metadata {
            metadata.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Some(ExtractedDoc {
        title,
        body,
        published: pages.iter().find_map(|d| d.published),
        attachments,
        id_hint: pages[0].id_hint.clone(),
        metadata,
        stated: Some(stated),
    })
}

/// Each property from the first page (in `by_props` order) stating it;
/// the relations of all pages in text order (`pages`).
fn merge_stated(by_props: &[&ExtractedDoc], pages: &[ExtractedDoc]) -> Stated {
    let all: Vec<&Stated> = by_props.iter().filter_map(|d| d.stated.as_ref()).collect();
    macro_rules! first {
        ($f:ident) => {
            all.iter().find_map(|s| s.$f.clone())
        };
    }
    macro_rules! first_list {
        ($f:ident) => {
            all.iter()
                .map(|s| s.$f.clone())
                .find(|l| !l.is_empty())
                .unwrap_or_default()
        };
    }
    Stated {
        key: first!(key),
        item_id: first!(item_id),
        page: pages
            .first()
            .and_then(|d| d.stated.as_ref())
            .and_then(|s| s.page.clone()),
        breadcrumb: first!(breadcrumb),
        title: first!(title),
        subject: first!(subject),
        number: first!(number),
        kind: first!(kind),
        issuers: first_list!(issuers),
        signers: first_list!(signers),
        issued: first!(issued),
        effective: first!(effective),
        expires: first!(expires),
        gazette: first!(gazette),
        validity: first!(validity),
        relations: {
            // One entry per list and document (the lược đồ and the related
            // documents' page list the same cited documents).
            let mut out: Vec<crate::extract::StatedRelation> = Vec::new();
            for r in pages
                .iter()
                .filter_map(|d| d.stated.as_ref())
                .flat_map(|s| &s.relations)
            {
                if !out
                    .iter()
                    .any(|o| o.label == r.label && o.item_id == r.item_id)
                {
                    out.push(r.clone());
                }
            }
            out
        },
    }
}
