//! Facet counts (kind, issuer, year, status) of the matching documents.
//! Each facet reflects the query with the *other* filters applied, so a
//! researcher sees what choosing another value would give.
//!
//! Counting is one array increment per matching document and facet
//! (issue 13): each segment's facet values are read once from the fast
//! fields into per-document ordinal arrays ([`SegmentOrdinals`], kept
//! per segment for as long as the segment is searched), the collector
//! counts into a `Vec<u32>` indexed by those ordinals, and only the
//! non-zero counts are turned into labels, once per segment. Reading the
//! columns per matching document instead (a rank in the column's optional
//! index, then a hash map per segment) took about half the server's time
//! on queries that miss the facet cache.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

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

/// The facets, in the order of [`SegmentOrdinals::columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Kind = 0,
    Issuer = 1,
    Year = 2,
    Status = 3,
}

const FACETS: [Facet; 4] = [Facet::Kind, Facet::Issuer, Facet::Year, Facet::Status];

impl Facet {
    fn field(self) -> &'static str {
        match self {
            Facet::Kind => schema::KIND,
            Facet::Issuer => schema::ISSUERS,
            Facet::Year => schema::YEAR,
            Facet::Status => schema::STATUS,
        }
    }

    fn slot(self, f: &mut Facets) -> &mut BTreeMap<String, u64> {
        match self {
            Facet::Kind => &mut f.kind,
            Facet::Issuer => &mut f.issuer,
            Facet::Year => &mut f.year,
            Facet::Status => &mut f.status,
        }
    }
}

/// Which facets a collector counts.
#[derive(Debug, Clone, Copy, Default)]
struct Wanted([bool; 4]);

impl Wanted {
    const ALL: Wanted = Wanted([true; 4]);

    fn only(f: Facet) -> Wanted {
        let mut w = Wanted::default();
        w.0[f as usize] = true;
        w
    }
}

/// Where each document's values are in [`OrdColumn::ords`].
#[derive(Debug)]
enum Ords {
    /// At most one value per document: its ordinal, or the column's
    /// `none` slot (one past the last label).
    Single(Vec<u32>),
    /// Any number: document `d`'s distinct ordinals are
    /// `ords[starts[d]..starts[d + 1]]`.
    Multi { starts: Vec<u32>, ords: Vec<u32> },
}

/// One facet of one segment: a label per ordinal, and the ordinals of
/// every document.
#[derive(Debug)]
struct OrdColumn {
    labels: Vec<String>,
    ords: Ords,
}

impl OrdColumn {
    fn empty(max_doc: DocId) -> OrdColumn {
        OrdColumn {
            labels: Vec::new(),
            ords: Ords::Single(vec![0; max_doc as usize]),
        }
    }

    /// From `values(doc, out)`, which appends a document's ordinals
    /// (below `labels.len()`) to `out`.
    fn build(
        labels: Vec<String>,
        max_doc: DocId,
        mut values: impl FnMut(DocId, &mut Vec<u32>),
    ) -> OrdColumn {
        let none = u32::try_from(labels.len()).unwrap_or(u32::MAX);
        let mut single = Vec::with_capacity(max_doc as usize);
        let mut multi: Option<(Vec<u32>, Vec<u32>)> = None;
        let mut buf = Vec::new();
        for doc in 0..max_doc {
            buf.clear();
            values(doc, &mut buf);
            buf.sort_unstable();
            buf.dedup();
            if multi.is_none() && buf.len() > 1 {
                // The first document with several values: switch to the
                // multi-valued layout, carrying the earlier documents over.
                let mut starts = Vec::with_capacity(max_doc as usize + 1);
                let mut ords = Vec::new();
                for &o in &single {
                    starts.push(ords.len() as u32);
                    if o != none {
                        ords.push(o);
                    }
                }
                multi = Some((starts, ords));
            }
            match &mut multi {
                Some((starts, ords)) => {
                    starts.push(ords.len() as u32);
                    ords.extend_from_slice(&buf);
                }
                None => single.push(buf.first().copied().unwrap_or(none)),
            }
        }
        let ords = match multi {
            Some((mut starts, ords)) => {
                starts.push(ords.len() as u32);
                Ords::Multi { starts, ords }
            }
            None => Ords::Single(single),
        };
        OrdColumn { labels, ords }
    }

    /// From a string fast field (`None`: the segment has no such column).
    fn from_str_column(col: Option<tantivy::columnar::StrColumn>, max_doc: DocId) -> OrdColumn {
        let Some(col) = col else {
            return OrdColumn::empty(max_doc);
        };
        let mut labels = Vec::with_capacity(col.num_terms());
        let mut s = String::new();
        for ord in 0..col.num_terms() as u64 {
            s.clear();
            // A term the dictionary cannot give back keeps an empty label
            // (its ordinal must stay in place).
            let _ = col.ord_to_str(ord, &mut s);
            labels.push(s.clone());
        }
        OrdColumn::build(labels, max_doc, |doc, out| {
            out.extend(col.term_ords(doc).map(|o| o as u32));
        })
    }

    /// From a u64 fast field: each distinct value is a label.
    fn from_u64_column(col: Option<tantivy::columnar::Column<u64>>, max_doc: DocId) -> OrdColumn {
        let Some(col) = col else {
            return OrdColumn::empty(max_doc);
        };
        let values: Vec<u64> = (0..max_doc)
            .flat_map(|doc| col.values_for_doc(doc))
            .collect::<BTreeSet<u64>>()
            .into_iter()
            .collect();
        let labels = values.iter().map(u64::to_string).collect();
        OrdColumn::build(labels, max_doc, |doc, out| {
            for v in col.values_for_doc(doc) {
                if let Ok(i) = values.binary_search(&v) {
                    out.push(i as u32);
                }
            }
        })
    }

    /// One count slot per label, plus the `none` slot.
    fn counts(&self) -> Vec<u32> {
        vec![0; self.labels.len() + 1]
    }

    fn count(&self, counts: &mut [u32], docs: &[DocId]) {
        match &self.ords {
            Ords::Single(ords) => {
                for &d in docs {
                    if let Some(&o) = ords.get(d as usize)
                        && let Some(c) = counts.get_mut(o as usize)
                    {
                        *c += 1;
                    }
                }
            }
            Ords::Multi { starts, ords } => {
                for &d in docs {
                    let d = d as usize;
                    let (Some(&a), Some(&b)) = (starts.get(d), starts.get(d + 1)) else {
                        continue;
                    };
                    for &o in ords.get(a as usize..b as usize).unwrap_or_default() {
                        if let Some(c) = counts.get_mut(o as usize) {
                            *c += 1;
                        }
                    }
                }
            }
        }
    }
}

/// Every facet of one segment as ordinal arrays: read from the fast
/// fields once per segment.
#[derive(Debug)]
pub struct SegmentOrdinals {
    segment: SegmentId,
    columns: [OrdColumn; 4],
}

impl SegmentOrdinals {
    /// Reads the facet columns of `reader`.
    pub fn read(reader: &SegmentReader) -> tantivy::Result<SegmentOrdinals> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        Ok(SegmentOrdinals {
            segment: reader.segment_id(),
            columns: [
                OrdColumn::from_str_column(ff.str(Facet::Kind.field())?, max_doc),
                OrdColumn::from_str_column(ff.str(Facet::Issuer.field())?, max_doc),
                OrdColumn::from_u64_column(ff.column_opt::<u64>(Facet::Year.field())?, max_doc),
                OrdColumn::from_str_column(ff.str(Facet::Status.field())?, max_doc),
            ],
        })
    }
}

/// The [`SegmentOrdinals`] of the segments searched, by segment: read when
/// a segment first shows up, dropped when it is no longer searched.
#[derive(Debug, Default)]
pub struct OrdinalCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentOrdinals>>>,
}

impl OrdinalCache {
    /// The ordinals of every segment of `searcher`, in its segment order.
    pub fn for_searcher(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<SegmentOrdinals>>> {
        let readers = searcher.segment_readers();
        let mut map = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if readers.iter().all(|r| map.contains_key(&r.segment_id())) {
            return Ok(readers
                .iter()
                .filter_map(|r| map.get(&r.segment_id()).cloned())
                .collect());
        }
        // A new segment (a commit or a merge): read it, forget the
        // segments no longer searched. Readers of an older searcher still
        // being served build theirs again in `FacetCollector::for_segment`.
        map.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
        let mut out = Vec::with_capacity(readers.len());
        for r in readers {
            let seg = match map.get(&r.segment_id()) {
                Some(s) => s.clone(),
                None => {
                    let s = Arc::new(SegmentOrdinals::read(r)?);
                    map.insert(r.segment_id(), s.clone());
                    s
                }
            };
            out.push(seg);
        }
        Ok(out)
    }
}

/// Counts the wanted facets of the documents a query matches (deleted
/// documents excluded, as for any collector).
pub struct FacetCollector {
    wanted: Wanted,
    /// The searcher's segments, in its order.
    segments: Vec<Arc<SegmentOrdinals>>,
}

impl FacetCollector {
    /// Every facet, over the segments of `searcher` read through `cache`.
    pub fn new(searcher: &Searcher, cache: &OrdinalCache) -> tantivy::Result<FacetCollector> {
        Ok(FacetCollector {
            wanted: Wanted::ALL,
            segments: cache.for_searcher(searcher)?,
        })
    }

    /// The same segments, counting `f` alone.
    fn only(&self, f: Facet) -> FacetCollector {
        FacetCollector {
            wanted: Wanted::only(f),
            segments: self.segments.clone(),
        }
    }
}

/// The per-segment side of [`FacetCollector`].
pub struct SegmentFacetCounter {
    ordinals: Arc<SegmentOrdinals>,
    /// Per facet: counts by ordinal (empty when not wanted).
    counts: [Vec<u32>; 4],
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let ordinals = match self.segments.get(segment_ord as usize) {
            Some(s) if s.segment == reader.segment_id() => s.clone(),
            // Not the searcher the collector was made for: read this one.
            _ => Arc::new(SegmentOrdinals::read(reader)?),
        };
        let counts = FACETS.map(|f| {
            if self.wanted.0[f as usize] {
                ordinals.columns[f as usize].counts()
            } else {
                Vec::new()
            }
        });
        Ok(SegmentFacetCounter { ordinals, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut fruits = fruits.into_iter();
        let mut out = fruits.next().unwrap_or_default();
        for mut f in fruits {
            for facet in FACETS {
                let into = facet.slot(&mut out);
                for (k, v) in std::mem::take(facet.slot(&mut f)) {
                    *into.entry(k).or_default() += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for (counts, column) in self.counts.iter_mut().zip(&self.ordinals.columns) {
            if !counts.is_empty() {
                column.count(counts, docs);
            }
        }
    }

    fn harvest(self) -> Facets {
        let mut out = Facets::default();
        for f in FACETS {
            let column = &self.ordinals.columns[f as usize];
            let slot = f.slot(&mut out);
            // The last slot counts documents without a value: no label.
            for (label, &n) in column.labels.iter().zip(&self.counts[f as usize]) {
                if n > 0 {
                    *slot.entry(label.clone()).or_default() += u64::from(n);
                }
            }
        }
        out
    }
}

/// Whether `req`'s facets are those of its own query: no facet filter is
/// set (each facet is counted with the other filters applied).
pub(super) fn single_pass(req: &Request) -> bool {
    req.kind.is_none() && req.issuer.is_none() && req.year.is_none() && req.status.is_none()
}

impl Engine {
    /// Facet counts for `req`: each facet with every filter but its own.
    pub fn facets(&self, req: &Request) -> Result<Facets, Error> {
        let parsed = query::parse(&req.q)?;
        let f = &self.handle.fields;
        let searcher = self.reader.searcher();
        let collector = FacetCollector::new(&searcher, &self.ordinals)?;
        let run = |r: &Request, c: FacetCollector| -> Result<Facets, Error> {
            let q = build_query(f, &parsed, r);
            Ok(searcher.search(&q, &c)?)
        };
        if single_pass(req) {
            return run(req, collector);
        }
        let own = |facet: Facet| -> Result<BTreeMap<String, u64>, Error> {
            let mut r = req.clone();
            match facet {
                Facet::Kind => r.kind = None,
                Facet::Issuer => r.issuer = None,
                Facet::Year => r.year = None,
                Facet::Status => r.status = None,
            }
            Ok(std::mem::take(
                facet.slot(&mut run(&r, collector.only(facet))?),
            ))
        };
        Ok(Facets {
            kind: own(Facet::Kind)?,
            issuer: own(Facet::Issuer)?,
            year: own(Facet::Year)?,
            status: own(Facet::Status)?,
        })
    }
}

#[cfg(test)]
mod tests;
