//! `vanban doc`: one indexed document with its citations both ways.
//!
//! The argument is a document id or a document number in any spelling.
//! A number names every indexed document carrying it (the same directive
//! saved from several sites): each is shown, newest first. A number no
//! indexed document carries but others cite is an external node: its
//! citing documents are shown.
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::Cli;
use super::search::engine;
use super::term::{bold, colour, dim, truncate};
use crate::doc::Document;
use crate::refs::DocNumber;
use crate::search::{DocumentView, Engine, IncomingRef};

/// Arguments of `vanban doc`.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// A document id (from `vanban search`) or a document number in any
    /// spelling ("25-NQ/TW", "25 – nq/tw").
    #[arg(value_name = "ID_OR_NUMBER")]
    pub target: String,
    /// Print JSON: one object per document (JSON Lines when a number is
    /// carried by several), or the external node.
    #[arg(long)]
    pub json: bool,
    /// Also print the body.
    #[arg(long)]
    pub body: bool,
    /// The status and history on this past day (YYYY-MM-DD or
    /// DD/MM/YYYY) instead of today.
    #[arg(long, value_name = "DATE", value_parser = super::search::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

/// A cited number no indexed document carries.
#[derive(Debug, Serialize)]
pub struct ExternalNode {
    /// The number, canonical.
    pub number: String,
    /// Its match key.
    pub key: String,
    /// Always empty: no indexed document carries it.
    pub documents: Vec<String>,
    /// The documents citing it, newest first.
    pub cited_by: Vec<IncomingRef>,
    /// How many documents cite it.
    pub cited_by_count: usize,
}

/// What the argument names.
enum Found {
    Documents(Vec<DocumentView>),
    External(ExternalNode),
    Nothing,
}

fn find(engine: &Engine, target: &str, as_of: Option<chrono::NaiveDate>) -> anyhow::Result<Found> {
    let target = target.trim();
    if let Some(view) = engine.document_view_as_of(target, as_of)? {
        return Ok(Found::Documents(vec![view]));
    }
    let Ok(number) = target.parse::<DocNumber>() else {
        return Ok(Found::Nothing);
    };
    let key = number.key();
    let mut docs: Vec<Document> = engine.documents_numbered(&key)?;
    docs.sort_by(|a, b| b.date().cmp(&a.date()).then_with(|| a.id.cmp(&b.id)));
    let mut views = Vec::with_capacity(docs.len());
    for d in docs {
        views.extend(engine.document_view_as_of(&d.id, as_of)?);
    }
    if !views.is_empty() {
        return Ok(Found::Documents(views));
    }
    let (cited_by, cited_by_count) = engine.cited_by(&key, None)?;
    if cited_by_count == 0 {
        return Ok(Found::Nothing);
    }
    Ok(Found::External(ExternalNode {
        number: number.to_string(),
        key,
        documents: Vec::new(),
        cited_by,
        cited_by_count,
    }))
}

/// `vanban doc`.
pub fn run(cli: &Cli, a: &DocArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let engine = engine(&dd)?;
    let found = find(&engine, &a.target, a.as_of)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let colour = colour();
    match &found {
        Found::Documents(views) => {
            for v in views {
                if a.json {
                    serde_json::to_writer(&mut out, v)?;
                    writeln!(out)?;
                } else {
                    print_view(&mut out, &engine, v, a.body, colour)?;
                }
            }
        }
        Found::External(node) => {
            if a.json {
                serde_json::to_writer(&mut out, node)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{} · not indexed (an external node)",
                    bold(&node.number, colour)
                )?;
                print_incoming(&mut out, &node.cited_by, node.cited_by_count, colour)?;
            }
        }
        Found::Nothing => {}
    }
    out.flush()?;
    if matches!(found, Found::Nothing) {
        eprintln!(
            "vanban: no indexed document has id or number {:?}, and nothing cites it",
            a.target
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_view(
    out: &mut impl Write,
    engine: &Engine,
    v: &DocumentView,
    body: bool,
    colour: bool,
) -> anyhow::Result<()> {
    let d = &v.document;
    writeln!(out, "{}", bold(&d.title, colour))?;
    let mut meta = Vec::new();
    meta.extend(d.number.clone());
    meta.extend(d.kind.clone());
    if let Some(i) = d.issued {
        meta.push(format!("issued {}", i.format("%d/%m/%Y")));
    }
    if let Some(p) = d.published {
        meta.push(format!("published {}", p.format("%d/%m/%Y")));
    }
    if !d.issuers.is_empty() {
        meta.push(d.issuers.join("; "));
    }
    if !d.signers.is_empty() {
        meta.push(format!("signed {}", d.signers.join(", ")));
    }
    if !meta.is_empty() {
        writeln!(out, "{}", meta.join(" · "))?;
    }
    writeln!(
        out,
        "{}",
        dim(&format!("{}  id={}", d.source, d.id), colour)
    )?;
    print_status(out, v, colour)?;
    writeln!(out, "\nCites ({}):", v.outgoing.len())?;
    for r in &v.outgoing {
        let target = if r.target_ids.is_empty() {
            dim("external", colour)
        } else {
            let mut names = Vec::new();
            for id in &r.target_ids {
                let title = engine.document(id)?.map(|t| t.title).unwrap_or_default();
                names.push(format!("{id} {}", truncate(&title, 60)));
            }
            names.join("; ")
        };
        let number = r.cite.key.as_ref().map_or("", |_| r.cite.number.as_str());
        writeln!(
            out,
            "  {:<11} {:<20} {:<18} → {target}",
            r.cite.relation.as_str(),
            number,
            format!("{:?}", r.cite.raw)
        )?;
    }
    print_incoming(out, &v.cited_by, v.cited_by_count, colour)?;
    if body {
        writeln!(out, "\n{}", d.body)?;
    }
    writeln!(out)?;
    Ok(())
}

/// The status line and the statements behind it (issue 12).
fn print_status(out: &mut impl Write, v: &DocumentView, colour: bool) -> std::io::Result<()> {
    let st = &v.status;
    let mut line = format!("{} ({})", st.state.label(), st.state.as_str());
    if let Some(d) = st.effective {
        line.push_str(&format!(" · effective {}", d.format("%d/%m/%Y")));
    }
    if let Some(d) = st.expires {
        line.push_str(&format!(" · expires {}", d.format("%d/%m/%Y")));
    }
    if st.conflicting {
        line.push_str(" · conflicting statements");
    }
    writeln!(out, "\nStatus: {}", bold(&line, colour))?;
    for (head, list) in [("by", &st.by), ("amended by", &st.amended_by)] {
        for e in list.iter() {
            let date = e.date.map(|d| d.format("%d/%m/%Y").to_string());
            writeln!(
                out,
                "  {head} {} {} {}{}: {}",
                e.relation.as_str(),
                e.number.as_deref().unwrap_or("?"),
                date.as_deref().unwrap_or("—"),
                if e.partial { " (part)" } else { "" },
                dim(&truncate(&e.evidence, 140), colour)
            )?;
        }
    }
    Ok(())
}

fn print_incoming(
    out: &mut impl Write,
    incoming: &[IncomingRef],
    count: usize,
    colour: bool,
) -> std::io::Result<()> {
    writeln!(out, "\nCited by ({count}):")?;
    for r in incoming {
        let date = r.date.map(|d| d.format("%d/%m/%Y").to_string());
        let times = if r.count > 1 {
            format!(" ×{}", r.count)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:<11} {:<10} {}{}  {}",
            r.relations.join(", "),
            date.as_deref().unwrap_or("—"),
            truncate(&r.title, 70),
            times,
            dim(&format!("id={}", r.id), colour)
        )?;
    }
    Ok(())
}
