//! Facet counts (kind, issuer, year) from the fast fields of the matching
//! documents. Each facet reflects the query with the *other* filters
//! applied, so a researcher sees what choosing another value would give.
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

use super::{Engine, Error, Request, build_query, query};
use crate::index::schema;

/// Counts per value of each facet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Facets {
    /// Documents per kind.
    pub kind: BTreeMap<String, u64>,
    /// Documents per issuer (a document counts once for each issuer).
    pub issuer: BTreeMap<String, u64>,
    /// Documents per year of their date.
    pub year: BTreeMap<String, u64>,
    /// Documents per validity state ("in_force", "replaced" ...; issue 12).
    #[serde(default)]
    pub status: BTreeMap<String, u64>,
}

/// Which facets a collector counts.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    kind: bool,
    issuer: bool,
    year: bool,
    status: bool,
}

struct FacetCollector {
    wanted: Wanted,
}

struct SegmentFacets {
    kind: Option<StrColumn>,
    issuer: Option<StrColumn>,
    year: Option<Column<u64>>,
    status: Option<StrColumn>,
    status_counts: HashMap<u64, u64>,
    kind_counts: HashMap<u64, u64>,
    issuer_counts: HashMap<u64, u64>,
    year_counts: HashMap<u64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let ff = reader.fast_fields();
        Ok(SegmentFacets {
            kind: if self.wanted.kind {
                ff.str(schema::KIND)?
            } else {
                None
            },
            issuer: if self.wanted.issuer {
                ff.str(schema::ISSUERS)?
            } else {
                None
            },
            year: if self.wanted.year {
                ff.column_opt::<u64>(schema::YEAR)?
            } else {
                None
            },
            status: if self.wanted.status {
                ff.str(schema::STATUS)?
            } else {
                None
            },
            status_counts: HashMap::new(),
            kind_counts: HashMap::new(),
            issuer_counts: HashMap::new(),
            year_counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out = Facets::default();
        for f in fruits {
            for (k, v) in f.kind {
                *out.kind.entry(k).or_default() += v;
            }
            for (k, v) in f.issuer {
                *out.issuer.entry(k).or_default() += v;
            }
            for (k, v) in f.year {
                *out.year.entry(k).or_default() += v;
            }
            for (k, v) in f.status {
                *out.status.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(c) = &self.kind {
            for ord in c.term_ords(doc) {
                *self.kind_counts.entry(ord).or_default() += 1;
            }
        }
        if let Some(c) = &self.issuer {
            for ord in c.term_ords(doc) {
                *self.issuer_counts.entry(ord).or_default() += 1;
            }
        }
        if let Some(c) = &self.status {
            for ord in c.term_ords(doc) {
                *self.status_counts.entry(ord).or_default() += 1;
            }
        }
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.year_counts.entry(y).or_default() += 1;
        }
    }

    fn harvest(self) -> Facets {
        let names = |col: &Option<StrColumn>, counts: HashMap<u64, u64>| {
            let mut out = BTreeMap::new();
            let Some(col) = col else { return out };
            let mut s = String::new();
            for (ord, n) in counts {
                s.clear();
                if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                    *out.entry(s.clone()).or_default() += n;
                }
            }
            out
        };
        Facets {
            kind: names(&self.kind, self.kind_counts),
            issuer: names(&self.issuer, self.issuer_counts),
            status: names(&self.status, self.status_counts),
            year: self
                .year_counts
                .into_iter()
                .map(|(y, n)| (y.to_string(), n))
                .collect(),
        }
    }
}

impl Engine {
    /// Facet counts for `req`: each facet with every filter but its own.
    pub fn facets(&self, req: &Request) -> Result<Facets, Error> {
        let parsed = query::parse(&req.q)?;
        let f = &self.handle.fields;
        let searcher = self.reader.searcher();
        let run = |r: &Request, wanted: Wanted| -> Result<Facets, Error> {
            let q = build_query(f, &parsed, r);
            Ok(searcher.search(&q, &FacetCollector { wanted })?)
        };
        let none = Wanted {
            kind: false,
            issuer: false,
            year: false,
            status: false,
        };
        let has_date_filter = req.year.is_some();
        if req.kind.is_none() && req.issuer.is_none() && !has_date_filter && req.status.is_none() {
            return run(
                req,
                Wanted {
                    kind: true,
                    issuer: true,
                    year: true,
                    status: true,
                },
            );
        }
        let kind = run(
            &Request {
                kind: None,
                ..req.clone()
            },
            Wanted { kind: true, ..none },
        )?
        .kind;
        let issuer = run(
            &Request {
                issuer: None,
                ..req.clone()
            },
            Wanted {
                issuer: true,
                ..none
            },
        )?
        .issuer;
        let year = run(
            &Request {
                year: None,
                ..req.clone()
            },
            Wanted { year: true, ..none },
        )?
        .year;
        let status = run(
            &Request {
                status: None,
                ..req.clone()
            },
            Wanted {
                status: true,
                ..none
            },
        )?
        .status;
        Ok(Facets {
            kind,
            issuer,
            year,
            status,
        })
    }
}
