//! Facet counts (kind, issuer, year, status) of the matching documents.
//! Each facet reflects the query with the *other* filters applied, so a
//! researcher sees what choosing another value would give.
//!
//! Counting is one array increment per matching document (issue 13):
//! each segment's facet values are read once from the fast fields
//! ([`SegmentOrdinals`], kept per segment for as long as the segment is
//! searched) and every document gets a class, shared by the documents with
//! the same values in all four facets (the articles of one law). The
//! collector counts matching documents per class, and at harvest spreads
//! the classes counted over their values and turns the non-zero counts
//! into labels, once per segment. Reading the columns per matching
//! document instead (a rank in the column's optional index, then a hash
//! map per segment) took about half the server's time on queries that miss
//! the facet cache; an ordinal array per facet, counted one facet after
//! another, still 8% of it on the 20,000 distinct queries.
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

/// The facets, in the order of [`FACETS`].
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

/// One facet column of one segment, as read from its fast field: a label
/// per ordinal, and each document's ordinals.
enum Column {
    /// The segment has no such column.
    Absent,
    Str(tantivy::columnar::StrColumn),
    /// Each distinct value is a label; `values` are those, sorted.
    U64 {
        col: tantivy::columnar::Column<u64>,
        values: Vec<u64>,
    },
}

impl Column {
    fn from_u64(col: Option<tantivy::columnar::Column<u64>>, max_doc: DocId) -> Column {
        let Some(col) = col else {
            return Column::Absent;
        };
        let values: Vec<u64> = (0..max_doc)
            .flat_map(|doc| col.values_for_doc(doc))
            .collect::<BTreeSet<u64>>()
            .into_iter()
            .collect();
        Column::U64 { col, values }
    }

    fn labels(&self) -> Vec<String> {
        match self {
            Column::Absent => Vec::new(),
            Column::Str(col) => {
                let mut labels = Vec::with_capacity(col.num_terms());
                let mut s = String::new();
                for ord in 0..col.num_terms() as u64 {
                    s.clear();
                    // A term the dictionary cannot give back keeps an empty
                    // label (its ordinal must stay in place).
                    let _ = col.ord_to_str(ord, &mut s);
                    labels.push(s.clone());
                }
                labels
            }
            Column::U64 { values, .. } => values.iter().map(u64::to_string).collect(),
        }
    }

    /// Appends `doc`'s ordinals to `out`.
    fn ords(&self, doc: DocId, out: &mut Vec<u32>) {
        match self {
            Column::Absent => {}
            Column::Str(col) => out.extend(col.term_ords(doc).map(|o| o as u32)),
            Column::U64 { col, values } => {
                for v in col.values_for_doc(doc) {
                    if let Ok(i) = values.binary_search(&v) {
                        out.push(i as u32);
                    }
                }
            }
        }
    }
}

/// Every facet of one segment, read from the fast fields once per segment.
/// Documents with the same values in every facet (the articles of one law,
/// say) share a *class*: counting is one increment per matching document,
/// in a count per class, and the classes counted are spread over the facet
/// values once, when the segment is harvested.
#[derive(Debug)]
pub struct SegmentOrdinals {
    segment: SegmentId,
    /// Per facet (in the order of [`FACETS`]), a label per ordinal.
    labels: [Vec<String>; 4],
    /// Each document's class.
    class_of: Vec<u32>,
    /// The values of class `c` are `values[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    /// (facet, ordinal) pairs, distinct within a class.
    values: Vec<(u8, u32)>,
}

impl SegmentOrdinals {
    /// Reads the facet columns of `reader`.
    pub fn read(reader: &SegmentReader) -> tantivy::Result<SegmentOrdinals> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let str_column = |f: Facet| -> tantivy::Result<Column> {
            Ok(ff.str(f.field())?.map_or(Column::Absent, Column::Str))
        };
        let columns = [
            str_column(Facet::Kind)?,
            str_column(Facet::Issuer)?,
            Column::from_u64(ff.column_opt::<u64>(Facet::Year.field())?, max_doc),
            str_column(Facet::Status)?,
        ];
        Ok(SegmentOrdinals::build(
            reader.segment_id(),
            &columns,
            max_doc,
        ))
    }

    fn build(segment: SegmentId, columns: &[Column; 4], max_doc: DocId) -> SegmentOrdinals {
        let mut ids: HashMap<Vec<(u8, u32)>, u32> = HashMap::new();
        let mut class_of = Vec::with_capacity(max_doc as usize);
        let mut key: Vec<(u8, u32)> = Vec::new();
        let mut buf = Vec::new();
        for doc in 0..max_doc {
            key.clear();
            for (f, column) in columns.iter().enumerate() {
                buf.clear();
                column.ords(doc, &mut buf);
                buf.sort_unstable();
                buf.dedup();
                key.extend(buf.iter().map(|&o| (f as u8, o)));
            }
            let class = match ids.get(&key) {
                Some(&c) => c,
                None => {
                    let c = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                    ids.insert(key.clone(), c);
                    c
                }
            };
            class_of.push(class);
        }
        let mut classes: Vec<(u32, Vec<(u8, u32)>)> =
            ids.into_iter().map(|(k, c)| (c, k)).collect();
        classes.sort_unstable_by_key(|(c, _)| *c);
        let mut starts = Vec::with_capacity(classes.len() + 1);
        let mut values = Vec::new();
        for (_, k) in classes {
            starts.push(values.len() as u32);
            values.extend(k);
        }
        starts.push(values.len() as u32);
        SegmentOrdinals {
            segment,
            labels: columns.each_ref().map(Column::labels),
            class_of,
            starts,
            values,
        }
    }

    fn classes(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The values of class `c`.
    fn values_of(&self, c: usize) -> &[(u8, u32)] {
        match (self.starts.get(c), self.starts.get(c + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
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
    wanted: Wanted,
    /// Matching documents per class.
    counts: Vec<u32>,
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
        let counts = vec![0; ordinals.classes()];
        Ok(SegmentFacetCounter {
            ordinals,
            wanted: self.wanted,
            counts,
        })
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

    #[inline]
    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(&c) = self.ordinals.class_of.get(doc as usize)
            && let Some(n) = self.counts.get_mut(c as usize)
        {
            *n += 1;
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(self) -> Facets {
        let labels = &self.ordinals.labels;
        // Per facet: counts by ordinal (empty when not wanted).
        let mut by_ord: [Vec<u64>; 4] = FACETS.map(|f| {
            if self.wanted.0[f as usize] {
                vec![0; labels[f as usize].len()]
            } else {
                Vec::new()
            }
        });
        for (c, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            for &(f, o) in self.ordinals.values_of(c) {
                if let Some(slot) = by_ord
                    .get_mut(f as usize)
                    .and_then(|v| v.get_mut(o as usize))
                {
                    *slot += u64::from(n);
                }
            }
        }
        let mut out = Facets::default();
        for f in FACETS {
            let slot = f.slot(&mut out);
            for (label, &n) in labels[f as usize].iter().zip(&by_ord[f as usize]) {
                if n > 0 {
                    *slot.entry(label.clone()).or_default() += n;
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
