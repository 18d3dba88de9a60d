//! [`DocNumber`]: one document number, its parts, canonical form and
//! match key. The grammar itself lives in `scan.rs`; this file only
//! builds and prints parsed numbers.
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Error;
use super::norm::fold_key;
use super::patterns::kind_of_code;

/// The layout of a document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Party form `n-TYPE/ISSUER[-ISSUER2...]` ("25-NQ/TW",
    /// "04-CTr/BDVTW-TCCT").
    Party,
    /// State form `n[/yyyy]/[TYPE-]ISSUER[-...]` ("03/2019/NĐ-CP",
    /// "57/2020/QH14", "33/CT-TTg", "299/TTg").
    State,
    /// Old state form `n-CODE` ("169-CP", "15-CT").
    Old,
}

/// A document number in canonical form, with its parts.
///
/// ```
/// use vanban::refs::DocNumber;
/// let n: DocNumber = "Số: 03/2019/NĐ - CP".parse().unwrap();
/// assert_eq!(n.as_str(), "03/2019/NĐ-CP");
/// assert_eq!(n.key(), "03/2019/nd-cp");
/// assert_eq!(n.year(), Some(2019));
/// assert_eq!(n.type_code(), Some("NĐ"));
/// assert_eq!(n.issuers(), ["CP"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNumber {
    canonical: String,
    serial: String,
    year: Option<u16>,
    type_code: Option<String>,
    issuers: Vec<String>,
    shape: Shape,
}

impl DocNumber {
    /// Builds a number from canonical parts (codes already canonical).
    pub(crate) fn from_parts(
        shape: Shape,
        serial: String,
        year: Option<u16>,
        type_code: Option<String>,
        issuers: Vec<String>,
    ) -> DocNumber {
        let mut canonical = serial.clone();
        let codes = type_code.iter().chain(issuers.iter());
        match shape {
            Shape::Party => {
                canonical.push('-');
                canonical.push_str(type_code.as_deref().unwrap_or(""));
                canonical.push('/');
                canonical.push_str(&issuers.join("-"));
            }
            Shape::State => {
                if let Some(y) = year {
                    canonical.push('/');
                    canonical.push_str(&y.to_string());
                }
                canonical.push('/');
                canonical.push_str(&codes.cloned().collect::<Vec<_>>().join("-"));
            }
            Shape::Old => {
                canonical.push('-');
                canonical.push_str(&codes.cloned().collect::<Vec<_>>().join("-"));
            }
        }
        DocNumber {
            canonical,
            serial,
            year,
            type_code,
            issuers,
            shape,
        }
    }

    /// The same number with another serial ("217" in "217, 218-QĐ/TW").
    pub(crate) fn with_serial(&self, serial: &str) -> DocNumber {
        DocNumber::from_parts(
            self.shape,
            serial.to_string(),
            self.year,
            self.type_code.clone(),
            self.issuers.clone(),
        )
    }

    /// The match key: the canonical form lowercased, diacritics removed,
    /// đ → d ("23-qd/tw").
    pub fn key(&self) -> String {
        fold_key(&self.canonical)
    }

    /// A looser key: [`key`](Self::key) with every '/' read as '-', so
    /// that a Party number written in the state layout ("23/QĐ-TW") meets
    /// its canonical spelling ("23-qd-tw"). Old state numbers in the Party
    /// layout ("89-TC/TCT") already get the state form, and so the same
    /// [`key`](Self::key) as "89/TC-TCT".
    pub fn loose_key(&self) -> String {
        self.key().replace('/', "-")
    }

    /// The canonical display form ("23-QĐ/TW").
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// The serial ("23", "217", "12a").
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The year written in the number ("03/2019/NĐ-CP" → 2019); Party
    /// numbers carry none.
    pub fn year(&self) -> Option<u16> {
        self.year
    }

    /// The type code, canonical ("QĐ", "CTr", "NĐ"); `None` when the
    /// number names no kind ("57/2020/QH14", "19046/BTC-TCHQ").
    pub fn type_code(&self) -> Option<&str> {
        self.type_code.as_deref()
    }

    /// The issuer codes, canonical (["BDVTW", "TCCT"], ["CP"]).
    pub fn issuers(&self) -> &[String] {
        &self.issuers
    }

    /// The layout of the number.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The kind noun its type code stands for ("NQ" → "Nghị quyết").
    /// Party "QĐ" numbers are either "Quyết định" or "Quy định"; this
    /// says "Quyết định".
    pub fn kind_hint(&self) -> Option<&'static str> {
        self.type_code
            .as_deref()
            .and_then(|c| kind_of_code(&fold_key(c)))
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl FromStr for DocNumber {
    type Err = Error;
    /// Parses a string that is exactly one number, tolerating surrounding
    /// whitespace and a leading "Số:" / "số".
    fn from_str(s: &str) -> Result<Self, Error> {
        super::scan::parse_one(s).ok_or_else(|| Error::NotANumber(s.to_string()))
    }
}

impl Serialize for DocNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical)
    }
}

impl<'de> Deserialize<'de> for DocNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
