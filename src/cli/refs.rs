//! `vanban refs`: every document number in one file, with what the text
//! says about each citation, and the file's own identity.
//!
//! Offsets are byte offsets into the file's text as read: for a text file
//! (and stdin), the bytes decoded (a byte-order mark dropped, UTF-8, else
//! windows-1258) and nothing else changed, not even NFC, so `start..end`
//! slices the file's own characters. For an HTML file, the text as read is
//! the document text extraction gives (markup and site chrome removed,
//! NFC): there is no other text in an HTML file to point into. The
//! identity (`document`) comes from extraction's title and body either
//! way; the whole text is scanned with the own number known, so the title
//! line and the "Số:" header come out as `self`.
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use encoding_rs::{Encoding, WINDOWS_1258};
use serde::Serialize;

use super::term::{bold, colour, dim, truncate};
use crate::extract;
use crate::refs::{self, Citation, Identity, RefSet, Unnumbered};

/// Arguments of `vanban refs`.
#[derive(Debug, Args)]
pub struct RefsArgs {
    /// A .txt, .html or .htm file; "-" or nothing reads text from stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Read the input as HTML whatever its name (stdin included).
    #[arg(long)]
    pub html: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The output of `vanban refs --json`.
#[derive(Debug, Serialize)]
pub struct RefsReport {
    /// The file's own identity.
    pub document: DocumentIdentity,
    /// Every number occurrence and short form, in text order.
    pub refs: Vec<Citation>,
    /// References without a number, in text order.
    pub unnumbered: Vec<Unnumbered>,
}

/// The file's own identity, as `vanban refs --json` prints it.
#[derive(Debug, Serialize)]
pub struct DocumentIdentity {
    /// Own number, canonical.
    pub number: Option<String>,
    /// Its match key.
    pub key: Option<String>,
    /// Kind noun.
    pub kind: Option<String>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Issuing bodies.
    pub issuers: Vec<String>,
    /// Signers.
    pub signers: Vec<String>,
}

impl From<Identity> for DocumentIdentity {
    fn from(id: Identity) -> Self {
        DocumentIdentity {
            key: id.number.as_ref().map(refs::DocNumber::key),
            number: id.number.map(|n| n.to_string()),
            kind: id.kind,
            issued: id.issued,
            issuers: id.issuers,
            signers: id.signers,
        }
    }
}

/// Decodes a text file as read: a byte-order mark dropped, UTF-8 if it
/// validates, else windows-1258 (the legacy Vietnamese code page); no
/// normalization, so offsets point at the file's own characters.
fn decode_as_read(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => WINDOWS_1258
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The report for one input: `html` says how to read `bytes`.
pub fn report(bytes: &[u8], html: bool) -> RefsReport {
    let (text, identity) = if html {
        match extract::extract_html(bytes, None) {
            Ok(doc) => {
                let id = refs::identify(&doc.title, &doc.body);
                (doc.body, id)
            }
            Err(_) => (String::new(), Identity::default()),
        }
    } else {
        let text = decode_as_read(bytes);
        let id = match extract::extract_text(bytes) {
            Ok(doc) => refs::identify(&doc.title, &doc.body),
            Err(_) => refs::identify("", &text),
        };
        (text, id)
    };
    let RefSet { refs, unnumbered } = refs::citations(&text, identity.number.as_ref());
    RefsReport {
        document: identity.into(),
        refs,
        unnumbered,
    }
}

/// `vanban refs`.
pub fn run(a: &RefsArgs) -> anyhow::Result<ExitCode> {
    let stdin = a.file.as_ref().is_none_or(|f| f.as_os_str() == "-");
    let bytes = if stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        buf
    } else {
        let path = a.file.as_deref().unwrap_or(Path::new("-"));
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    let html = a.html || a.file.as_deref().is_some_and(is_html);
    let r = report(&bytes, html);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if a.json {
        serde_json::to_writer(&mut out, &r)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &r, colour())?;
    }
    out.flush()?;
    Ok(if r.refs.is_empty() && r.unnumbered.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_table(out: &mut impl Write, r: &RefsReport, colour: bool) -> std::io::Result<()> {
    let d = &r.document;
    let mut head = vec![d.number.clone().unwrap_or_else(|| "(no number)".into())];
    head.extend(d.kind.clone());
    head.extend(d.issued.map(|i| i.format("%d/%m/%Y").to_string()));
    if !d.issuers.is_empty() {
        head.push(d.issuers.join("; "));
    }
    if !d.signers.is_empty() {
        head.push(format!("signed {}", d.signers.join(", ")));
    }
    writeln!(out, "{}", bold(&head.join(" · "), colour))?;
    writeln!(
        out,
        "{} references, {} without a number",
        r.refs.len(),
        r.unnumbered.len()
    )?;
    for (i, c) in r.refs.iter().enumerate() {
        let target = match c.resolved_from {
            Some(t) => format!("{} (= #{t})", c.number),
            None if c.key.is_none() => format!("{} (unresolved)", c.number),
            None => c.number.clone(),
        };
        let relation = c.relation.as_str();
        writeln!(
            out,
            "{i:>4}  {:<10} {:<24} {:<20} {}",
            relation,
            target,
            format!("{:?}", c.raw),
            dim(&format!("{}..{}", c.start, c.end), colour),
        )?;
        let mut facts = Vec::new();
        if let Some(k) = &c.kind {
            facts.push(k.clone());
        }
        if let Some(date) = c.date {
            facts.push(date.format("%d/%m/%Y").to_string());
        }
        if let Some(iss) = &c.issuer {
            facts.push(format!("của {iss}"));
        }
        if let Some(t) = &c.term {
            facts.push(format!("khóa {t}"));
        }
        if !facts.is_empty() || c.subject.is_some() {
            let subject = c
                .subject
                .as_deref()
                .map(|s| format!(" về {}", truncate(s, 90)));
            writeln!(
                out,
                "      {}{}",
                facts.join(" · "),
                subject.unwrap_or_default()
            )?;
        }
    }
    for u in &r.unnumbered {
        writeln!(
            out,
            "   -  {:<10} {:?} {}",
            "unnumbered",
            u.raw,
            dim(&format!("{}..{}", u.start, u.end), colour)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_offsets_point_into_the_text_as_read() {
        // NFD and a BOM: the spans slice the decoded text, not its NFC.
        let text = "Thứ Hai, 6/2/2023\nKế hoạch số 15-KH/TU ngày 2/3/2021 của Tỉnh ủy\n\nCăn cứ Nghi\u{323} quyê\u{301}t số 25 – NQ/TW;\n";
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        let r = report(&bytes, false);
        assert_eq!(r.document.number.as_deref(), Some("15-KH/TU"));
        let raws: Vec<_> = r
            .refs
            .iter()
            .map(|c| (c.raw.as_str(), c.relation))
            .collect();
        assert_eq!(
            raws,
            [
                ("15-KH/TU", refs::Relation::OwnNumber),
                ("25 – NQ/TW", refs::Relation::Basis)
            ]
        );
        for c in &r.refs {
            assert_eq!(&text[c.start..c.end], c.raw);
        }
    }

    #[test]
    fn windows_1258_is_decoded() {
        let (bytes, _, _) = WINDOWS_1258.encode("Căn cứ Chỉ thị số 05-CT/TW;");
        let r = report(&bytes, false);
        assert_eq!(r.refs[0].number, "05-CT/TW");
    }
}
