//! Fields for finding a document by the parts of its own number, the way
//! people type it (issue 11): the serial, the year, the type code and
//! the issuer codes of the own number, the khóa, the signing organ,
//! central or local, and the signers. All are indexed terms, stored too
//! so that ranking can read them back from a hit without parsing its text.
//!
//! Kept apart from the rest of the schema (`schema.rs` calls
//! [`add_fields`] and [`Facts::write`]) so that other field groups can
//! be added beside it.
use chrono::Datelike;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder, TantivyDocument,
    TextFieldIndexing, TextOptions, Value,
};

use super::analyzer::VI_FOLDED;
use crate::doc::Document;
use crate::refs::{self, DocNumber, Shape};
use crate::text;

/// Serial of the own number, leading zeros dropped, lowercase ("1",
/// "312", "12a").
pub const LK_SERIAL: &str = "lk_serial";
/// Year of the own number, else of the document's date.
pub const LK_YEAR: &str = "lk_year";
/// Type code of the own number, folded ("nd", "qd", "ctr").
pub const LK_TYPE: &str = "lk_type";
/// Issuer keys, folded: the own number's issuer codes ("tw", "ttg",
/// "qh14" and "qh"), the signing organ and the issuers.
pub const LK_ISSUER: &str = "lk_issuer";
/// Khóa as a Roman numeral ("XIII").
pub const LK_TERM: &str = "lk_term";
/// "central" or "local".
pub const LK_LEVEL: &str = "lk_level";
/// Signing organ as written in the signature block (stored).
pub const ORGAN: &str = "organ";
/// Signers' names, folded text, for queries naming a signer.
pub const SIGNERS_FOLDED: &str = "signers_folded";

/// Handles of the lookup fields.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct LookupFields {
    pub serial: Field,
    pub year: Field,
    pub type_code: Field,
    pub issuer: Field,
    pub term: Field,
    pub level: Field,
    pub organ: Field,
    pub signers: Field,
}

/// Adds the lookup fields to a schema.
pub fn add_fields(b: &mut SchemaBuilder) {
    b.add_text_field(LK_SERIAL, STRING | STORED);
    b.add_u64_field(LK_YEAR, INDEXED | STORED);
    b.add_text_field(LK_TYPE, STRING | STORED);
    b.add_text_field(LK_ISSUER, STRING | STORED);
    b.add_text_field(LK_TERM, STRING | STORED);
    b.add_text_field(LK_LEVEL, STRING | STORED);
    b.add_text_field(ORGAN, STORED);
    b.add_text_field(
        SIGNERS_FOLDED,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(VI_FOLDED)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
}

impl LookupFields {
    /// Resolves the handles.
    pub fn new(schema: &Schema) -> Result<LookupFields, tantivy::TantivyError> {
        let f = |name: &str| schema.get_field(name);
        Ok(LookupFields {
            serial: f(LK_SERIAL)?,
            year: f(LK_YEAR)?,
            type_code: f(LK_TYPE)?,
            issuer: f(LK_ISSUER)?,
            term: f(LK_TERM)?,
            level: f(LK_LEVEL)?,
            organ: f(ORGAN)?,
            signers: f(SIGNERS_FOLDED)?,
        })
    }
}

/// What a document is, for finding it by parts of its number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Serial, leading zeros dropped, lowercase; a second one when the
    /// title gives another number than the header.
    pub serials: Vec<String>,
    /// Year of the number, else of the date (and of the title's number).
    pub years: Vec<u64>,
    /// Type code, folded.
    pub type_code: Option<String>,
    /// Issuer keys, folded.
    pub issuers: Vec<String>,
    /// Khóa, Roman.
    pub term: Option<String>,
    /// Central (TW, Chính phủ, Quốc hội, ministries) rather than local.
    pub central: bool,
    /// Signing organ as written.
    pub organ: Option<String>,
}

/// A serial as matched: leading zeros dropped, lowercase ("01" → "1").
pub fn serial_key(s: &str) -> String {
    let t = s.trim_start_matches('0');
    let t = if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        s
    } else {
        t
    };
    t.to_lowercase()
}

fn folded(s: &str) -> String {
    text::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issuer codes that make a state number local: people's committees and
/// councils, departments.
fn local_code(c: &str) -> bool {
    c.contains("ubnd")
        || c.contains("hdnd")
        || c.ends_with("tu")
        || c.ends_with("hu")
        || c.ends_with("du")
        || (c.starts_with('s') && c.len() <= 4 && !c.starts_with("sl"))
}

impl Facts {
    /// The facts of `doc` (its own number, title, body, date, issuers).
    pub fn of(doc: &Document) -> Facts {
        let number: Option<DocNumber> = doc.number.as_deref().and_then(|n| n.parse().ok());
        let mut f = Facts::default();
        let date = doc.date();
        let codes: Vec<String> = number
            .as_ref()
            .map(|n| n.issuers().iter().map(|c| folded(c)).collect())
            .unwrap_or_default();
        if let Some(n) = &number {
            f.serials.push(serial_key(n.serial()));
            f.type_code = n.type_code().map(folded);
        }
        f.years.extend(
            number
                .as_ref()
                .and_then(DocNumber::year)
                .map(u64::from)
                .or_else(|| date.map(|d| d.year().max(0) as u64)),
        );
        // The title may name the document by another number than its
        // header (a copy filed under the wrong title): find it by both.
        if let Some(t) = refs::identify(&doc.title, "").number
            && number.as_ref().is_none_or(|n| n.key() != t.key())
        {
            f.serials.push(serial_key(t.serial()));
            f.years.extend(t.year().map(u64::from));
            if f.type_code.is_none() {
                f.type_code = t.type_code().map(folded);
            }
        }
        f.serials.dedup();
        f.years.dedup();
        for c in &codes {
            f.issuers.push(c.clone());
            let bare = c.trim_end_matches(|ch: char| ch.is_ascii_digit());
            if bare != c && !bare.is_empty() {
                f.issuers.push(bare.to_string());
            }
        }
        f.organ = refs::signing_organ(&doc.body);
        for name in f.organ.iter().chain(doc.issuers.iter()) {
            let k = folded(name);
            if !k.is_empty() {
                f.issuers.push(k);
            }
        }
        f.issuers.sort();
        f.issuers.dedup();
        // Khóa: stated in the title when the title names no other
        // document; else from the number (QH14); else from the date.
        let title_names_other = refs::scan_numbers(&doc.title)
            .iter()
            .any(|m| Some(m.number.key()) != number.as_ref().map(DocNumber::key));
        let assembly = codes
            .iter()
            .find(|c| c.starts_with("qh") || c.starts_with("ubtvqh"))
            .and_then(|c| {
                c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
                    .parse::<u32>()
                    .ok()
            })
            .and_then(refs::roman);
        let party = number.as_ref().is_some_and(|n| n.shape() == Shape::Party)
            || (number.is_none()
                && doc.issuers.iter().any(|i| {
                    let k = folded(i);
                    k.contains("trung uong") || k.contains("dang")
                }));
        let national_assembly = codes
            .iter()
            .any(|c| c.starts_with("qh") || c.contains("vpqh"))
            || f.issuers.iter().any(|i| i == "quoc hoi");
        f.term = (!title_names_other)
            .then(|| refs::stated_term(&doc.title))
            .flatten()
            .or(assembly)
            .or_else(|| {
                let d = date?;
                if party {
                    refs::party_term(d)
                } else if national_assembly {
                    refs::assembly_term(d)
                } else {
                    None
                }
            });
        f.central = match &number {
            Some(n) if n.shape() == Shape::Party => codes.iter().any(|c| c.ends_with("tw")),
            Some(_) => !codes.is_empty() && !codes.iter().any(|c| local_code(c)),
            None => f.issuers.iter().any(|i| {
                i.contains("trung uong")
                    || i.contains("chinh phu")
                    || i.contains("quoc hoi")
                    || i == "bo chinh tri"
                    || i == "ban bi thu"
            }),
        };
        f
    }

    /// Adds the facts (and the signers of `doc`) to a tantivy document.
    pub fn write(&self, lf: &LookupFields, doc: &Document, t: &mut TantivyDocument) {
        for s in &self.serials {
            t.add_text(lf.serial, s);
        }
        for y in &self.years {
            t.add_u64(lf.year, *y);
        }
        if let Some(c) = &self.type_code {
            t.add_text(lf.type_code, c);
        }
        for i in &self.issuers {
            t.add_text(lf.issuer, i);
        }
        if let Some(k) = &self.term {
            t.add_text(lf.term, k);
        }
        t.add_text(lf.level, if self.central { "central" } else { "local" });
        if let Some(o) = &self.organ {
            t.add_text(lf.organ, o);
        }
        if !doc.signers.is_empty() {
            t.add_text(lf.signers, doc.signers.join("\n"));
        }
    }

    /// The facts stored in a tantivy document.
    pub fn read(lf: &LookupFields, t: &TantivyDocument) -> Facts {
        let s = |f: Field| t.get_first(f).and_then(|v| v.as_str().map(str::to_string));
        Facts {
            serials: t
                .get_all(lf.serial)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            years: t.get_all(lf.year).filter_map(|v| v.as_u64()).collect(),
            type_code: s(lf.type_code),
            issuers: t
                .get_all(lf.issuer)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            term: s(lf.term),
            central: s(lf.level).as_deref() == Some("central"),
            organ: s(lf.organ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str, number: Option<&str>, date: Option<&str>) -> Document {
        Document {
            title: title.into(),
            body: body.into(),
            number: number.map(str::to_string),
            issued: date.map(|d| d.parse().unwrap()),
            ..Default::default()
        }
    }

    #[test]
    fn party_document_signed_by_the_politburo() {
        let d = doc(
            "Chỉ thị số 05-CT/TW",
            "BAN CHẤP HÀNH TRUNG ƯƠNG\n...\nT/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\nNguyễn Phú Trọng",
            Some("05-CT/TW"),
            Some("2016-05-15"),
        );
        let f = Facts::of(&d);
        assert_eq!(f.serials, ["5"]);
        assert_eq!(f.type_code.as_deref(), Some("ct"));
        assert_eq!(f.years, [2016]);
        assert_eq!(f.term.as_deref(), Some("XII"));
        assert!(f.central);
        assert!(f.issuers.contains(&"tw".to_string()), "{:?}", f.issuers);
        assert!(
            f.issuers.contains(&"bo chinh tri".to_string()),
            "{:?}",
            f.issuers
        );
    }

    #[test]
    fn state_and_local_numbers() {
        let f = Facts::of(&doc("Luật đất đai 2013", "", Some("45/2013/QH13"), None));
        assert_eq!(
            (f.serials.as_slice(), f.years.as_slice()),
            (&["45".to_string()][..], &[2013][..])
        );
        let g = Facts::of(&doc(
            "Văn bản hợp nhất 133/VBHN-VPQH năm 2025",
            "",
            Some("134/VBHN-VPQH"),
            Some("2025-09-04"),
        ));
        assert_eq!(g.serials, ["134", "133"]);
        assert_eq!(f.term.as_deref(), Some("XIII"));
        assert!(f.issuers.contains(&"qh".to_string()));
        assert!(f.central);
        let f = Facts::of(&doc("x", "", Some("1875/QĐ-UBND"), Some("2022-08-05")));
        assert!(!f.central);
        assert_eq!(f.type_code.as_deref(), Some("qd"));
        let f = Facts::of(&doc("x", "", Some("312-QĐ/TU"), Some("2021-12-20")));
        assert!(!f.central);
        assert_eq!(serial_key("0012a"), "12a");
        assert_eq!(serial_key("000"), "000");
    }
}
