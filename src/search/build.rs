//! Building the tantivy query from a parsed query: words in both forms,
//! phrases, numbers, the number-part lookup clauses (issue 11), filters;
//! and the fit order of documents whose own number fits the lookup.
use super::*;

pub(super) fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

pub(super) fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(term(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// A phrase (or a single term) in one field.
pub(super) fn phrase_q(field: Field, words: &[&str], boost: f32) -> Box<dyn Query> {
    match words {
        [] => Box::new(BooleanQuery::new(vec![])),
        [w] => term_q(field, w, boost),
        _ => {
            let terms = words.iter().map(|w| term(field, w)).collect();
            Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
        }
    }
}

pub(super) fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|c| (Occur::Should, c)).collect(),
    ))
}

/// A sequence of syllables as a phrase in title or body. When every
/// syllable carries diacritics, it matches where the exact field holds
/// the phrase as typed (weighted most) or typed without diacritics (a page
/// typed without accents); else the folded phrase in the folded fields.
///
/// The exact fields keep no positions (issue 13: a third of the position
/// data of an ingest, for phrases alone), so an accented phrase of several
/// syllables is the folded phrase, from the folded field's positions,
/// in a document whose exact field holds each syllable in that form: the
/// folded phrase scores, the exact syllables only filter. It can match a
/// page that has the folded phrase in another accented spelling and the
/// typed syllables elsewhere; "bán đất" never matches a page without
/// "bán".
pub(super) fn phrase_query(f: &Fields, terms: &[QueryTerm], boost: f32) -> Box<dyn Query> {
    let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
    if terms.iter().all(QueryTerm::accented) {
        let exact: Vec<&str> = terms.iter().map(|t| t.exact.as_str()).collect();
        let (body, title) = (
            (f.body_folded, f.body_exact),
            (f.title_folded, f.title_exact),
        );
        any(vec![
            accented_phrase(body, &folded, &exact, boost),
            accented_phrase(title, &folded, &exact, boost * weight::TITLE),
            accented_phrase(body, &folded, &folded, boost * weight::UNACCENTED_SOURCE),
            accented_phrase(title, &folded, &folded, boost * weight::UNACCENTED_SOURCE),
        ])
    } else {
        any(vec![
            phrase_q(f.body_folded, &folded, boost),
            phrase_q(f.title_folded, &folded, boost * weight::TITLE),
        ])
    }
}

/// The phrase `folded` in the folded field of `(folded field, exact
/// field)`, where the exact field holds every one of `words`; one word is
/// a term of the exact field.
fn accented_phrase(
    (folded_field, exact_field): (Field, Field),
    folded: &[&str],
    words: &[&str],
    boost: f32,
) -> Box<dyn Query> {
    if let [w] = words {
        return term_q(exact_field, w, boost);
    }
    let held = all(words.iter().map(|w| raw_term(exact_field, w)).collect());
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, phrase_q(folded_field, folded, boost)),
        (Occur::Must, filter(held)),
    ]))
}

pub(super) fn number_query(f: &Fields, key: &str) -> Box<dyn Query> {
    any(vec![
        term_q(f.number_key, key, weight::OWN_NUMBER),
        term_q(f.mentions, key, weight::MENTION),
    ])
}

pub(super) fn all(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|c| (Occur::Must, c)).collect(),
    ))
}

pub(super) fn constant(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

pub(super) fn raw_term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(term(field, text), IndexRecordOption::Basic))
}

/// The kind named: the kind itself, or a type code of it.
pub(super) fn kind_clause(f: &Fields, l: &NumberLookup) -> Option<Box<dyn Query>> {
    let kind = l.kind?;
    let mut alts = vec![raw_term(f.kind_key, &schema::kind_key(kind))];
    for c in &l.codes {
        alts.push(raw_term(f.lookup.type_code, c));
    }
    Some(any(alts))
}

pub(super) fn year_clause(f: &Fields, year: u16) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(f.lookup.year, u64::from(year)),
        IndexRecordOption::Basic,
    ))
}

/// Clauses for the number parts a query names (issue 11): a document
/// whose own number fits (serial, kind or type code, year) scores
/// [`weight::FIT`], more with the issuer and khóa named, of the very kind
/// named, or central; without a serial, a kind with year, khóa or issuer
/// adds a little.
pub(super) fn lookup_clauses(f: &Fields, l: &NumberLookup) -> Vec<Box<dyn Query>> {
    let mut core: Vec<Box<dyn Query>> = Vec::new();
    if let Some(s) = &l.serial {
        core.push(raw_term(f.lookup.serial, s));
    }
    if let Some(k) = kind_clause(f, l) {
        core.push(k);
    }
    if let Some(y) = l.year {
        core.push(year_clause(f, y));
    }
    let mut extra: Vec<Box<dyn Query>> = Vec::new();
    if !l.issuers.is_empty() {
        extra.push(any(l
            .issuers
            .iter()
            .map(|k| raw_term(f.lookup.issuer, k))
            .collect()));
    }
    if let Some(t) = &l.term {
        extra.push(raw_term(f.lookup.term, t));
    }
    if core.is_empty() {
        return Vec::new();
    }
    if !l.is_number() {
        if l.is_soft() && !extra.is_empty() || l.is_soft() && l.year.is_some() {
            core.extend(extra);
            return vec![constant(all(core), weight::SOFT_LOOKUP)];
        }
        return Vec::new();
    }
    let core_q = || all(core.iter().map(|q| q.box_clone()).collect());
    let mut out = vec![constant(core_q(), weight::FIT)];
    if !extra.is_empty() {
        let mut strict = vec![core_q()];
        strict.extend(extra);
        out.push(constant(all(strict), weight::FIT_STRICT));
    }
    if let Some(k) = l.kind {
        out.push(constant(
            all(vec![core_q(), raw_term(f.kind_key, &schema::kind_key(k))]),
            weight::FIT_KIND,
        ));
    }
    out.push(constant(
        all(vec![core_q(), raw_term(f.lookup.level, "central")]),
        weight::FIT_CENTRAL,
    ));
    out
}

/// How a document fits a number lookup: `None` when its own number does
/// not; else (issuer and khóa fit too, kind is the one named).
pub(super) fn fit(l: &NumberLookup, facts: &Facts, kind_key: Option<&str>) -> Option<(bool, bool)> {
    if !l.serial.as_ref().is_some_and(|s| facts.serials.contains(s)) {
        return None;
    }
    let wanted = l.kind.map(schema::kind_key);
    let kind_exact = wanted.is_some() && wanted.as_deref() == kind_key;
    if l.kind.is_some()
        && !kind_exact
        && !facts
            .type_code
            .as_deref()
            .is_some_and(|c| l.codes.contains(&c))
    {
        return None;
    }
    if let Some(y) = l.year
        && !facts.years.contains(&u64::from(y))
    {
        return None;
    }
    let issuer = l.issuers.is_empty()
        || l.issuers
            .iter()
            .any(|k| facts.issuers.iter().any(|i| i == k));
    let term = l.term.is_none() || l.term == facts.term;
    Some((issuer && term, kind_exact))
}

/// Orders `docs` (best first by score): those whose own number fits `l`
/// first, by issuer and khóa fitting, kind named, central before local,
/// most cited, newest; then the rest as they were.
pub(super) fn order_fits(
    searcher: &tantivy::Searcher,
    f: &Fields,
    l: &NumberLookup,
    docs: Vec<(f32, TantivyDocument)>,
) -> Vec<(f32, TantivyDocument)> {
    let mut fits = Vec::new();
    let mut rest = Vec::new();
    for (score, t) in docs {
        let facts = Facts::read(&f.lookup, &t);
        let kind = schema::first_str(&t, f.kind).map(|k| schema::kind_key(&k));
        match fit(l, &facts, kind.as_deref()) {
            Some((strict, kind_exact)) => {
                let cited = schema::first_str(&t, f.number)
                    .and_then(|n| n.parse::<crate::refs::DocNumber>().ok())
                    .and_then(|n| searcher.doc_freq(&term(f.cites, &n.key())).ok())
                    .unwrap_or(0);
                let date = t.get_first(f.date).and_then(|v| {
                    use tantivy::schema::Value;
                    v.as_i64()
                });
                let date = date.or_else(|| {
                    schema::first_str(&t, f.issued)
                        .or_else(|| schema::first_str(&t, f.published))
                        .and_then(|d| d.parse::<NaiveDate>().ok())
                        .map(schema::date_value)
                });
                let key = (strict, kind_exact, facts.central, cited, date.unwrap_or(0));
                fits.push((key, score, t));
            }
            None => rest.push((score, t)),
        }
    }
    fits.sort_by_key(|b| std::cmp::Reverse(b.0));
    fits.into_iter()
        .map(|(_, s, t)| (s, t))
        .chain(rest)
        .collect()
}

/// A clause that must match and scores nothing.
pub(super) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// The positive part of a query, flat: every term clause of every word
/// and number in one list, merged by term (a term typed twice is one
/// clause with the boosts summed: a term query's BM25 score scales with its
/// boost, so the scores are those of the repeated clauses), then the
/// clauses that are not single terms (phrases, lookups), without repeats.
#[derive(Default)]
pub(super) struct Shoulds {
    terms: Vec<(Term, f32)>,
    seen: std::collections::HashMap<Term, usize>,
    other: Vec<Box<dyn Query>>,
}

impl Shoulds {
    fn term(&mut self, field: Field, text: &str, boost: f32) {
        let t = term(field, text);
        match self.seen.get(&t) {
            Some(&i) => self.terms[i].1 += boost,
            None => {
                self.seen.insert(t.clone(), self.terms.len());
                self.terms.push((t, boost));
            }
        }
    }

    /// One syllable in both forms, as described in the module docs.
    fn word(&mut self, f: &Fields, t: &QueryTerm) {
        use weight::*;
        if t.accented() {
            self.term(f.body_exact, &t.exact, EXACT);
            self.term(f.title_exact, &t.exact, EXACT * TITLE);
            self.term(f.body_exact, &t.folded, UNACCENTED_SOURCE);
            self.term(f.title_exact, &t.folded, UNACCENTED_SOURCE * TITLE);
        } else {
            self.term(f.body_folded, &t.folded, FOLDED);
            self.term(f.title_folded, &t.folded, FOLDED * TITLE);
        }
    }

    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.other.is_empty()
    }

    /// The term clauses, each a boosted term query.
    fn term_clauses(&self) -> Vec<Box<dyn Query>> {
        self.terms
            .iter()
            .map(|(t, b)| {
                let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
                Box::new(BoostQuery::new(Box::new(q), *b)) as Box<dyn Query>
            })
            .collect()
    }

    /// Every clause in one flat union.
    fn union(self) -> Box<dyn Query> {
        let mut all = self.term_clauses();
        all.extend(self.other);
        any(all)
    }
}

/// The positive part of `p`: any number, word or phrase may match.
pub(super) fn shoulds(f: &Fields, p: &ParsedQuery) -> Shoulds {
    let mut s = Shoulds::default();
    for n in &p.numbers {
        let key = n.key();
        s.term(f.number_key, &key, weight::OWN_NUMBER);
        s.term(f.mentions, &key, weight::MENTION);
    }
    for t in &p.terms {
        s.word(f, t);
    }
    if let Some(l) = &p.lookup {
        s.other.extend(lookup_clauses(f, l));
    }
    // A phrase scores about the sum of its words: divide by their number so
    // that an expansion stays below the words typed.
    for e in &p.expansions {
        s.other.push(phrase_query(
            f,
            e,
            weight::EXPANSION / e.len().max(1) as f32,
        ));
    }
    // A signer's name: two or three adjacent words in the signers field
    // (a repeated one once, its boost summed).
    let mut signers: Vec<(Vec<&str>, f32)> = Vec::new();
    for n in [2, 3] {
        for w in p.terms.windows(n) {
            let folded: Vec<&str> = w.iter().map(|t| t.folded.as_str()).collect();
            match signers.iter_mut().find(|(s, _)| *s == folded) {
                Some((_, boost)) => *boost += weight::SIGNER,
                None => signers.push((folded, weight::SIGNER)),
            }
        }
    }
    for (words, boost) in signers {
        s.other.push(phrase_q(f.lookup.signers, &words, boost));
    }
    s
}

/// The tantivy query for a parsed query and the request's filters.
pub fn build_query(f: &Fields, p: &ParsedQuery, req: &Request) -> Box<dyn Query> {
    build_query_with(f, p, req, &|_| true)
}

/// [`build_query`] with only the word and number terms `keep` keeps: a
/// term no document holds matches and scores nothing, and leaving it out
/// saves its lookup in every segment. Adjacent-word pairs are not part of
/// it: they score the top candidates afterwards ([`super::pairs`]).
pub(super) fn build_query_with(
    f: &Fields,
    p: &ParsedQuery,
    req: &Request,
    keep: &dyn Fn(&Term) -> bool,
) -> Box<dyn Query> {
    plan(f, p, req, keep).query()
}

/// A query as built: a flat union of term and other clauses (any may
/// match; `None` when nothing positive was asked), clauses every match
/// must match (quoted phrases, cites, filters) and clauses none may.
pub(super) struct Plan {
    /// The union's term clauses, merged, with their boosts.
    pub terms: Vec<(Term, f32)>,
    /// The union's other clauses; `None` when no word or number was asked.
    pub other: Option<Vec<Box<dyn Query>>>,
    /// Every match matches each (its score adds).
    pub must: Vec<Box<dyn Query>>,
    /// No match matches any.
    pub must_not: Vec<Box<dyn Query>>,
}

impl Plan {
    /// The tantivy query: every document when nothing must match.
    pub fn query(self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(other) = self.other {
            let union = Shoulds {
                terms: self.terms,
                other,
                ..Shoulds::default()
            };
            clauses.push((Occur::Must, union.union()));
        }
        clauses.extend(self.must.into_iter().map(|q| (Occur::Must, q)));
        clauses.extend(self.must_not.into_iter().map(|q| (Occur::MustNot, q)));
        if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// The [`Plan`] of [`build_query_with`].
pub(super) fn plan(
    f: &Fields,
    p: &ParsedQuery,
    req: &Request,
    keep: &dyn Fn(&Term) -> bool,
) -> Plan {
    let mut must: Vec<Box<dyn Query>> = Vec::new();
    let mut must_not: Vec<Box<dyn Query>> = Vec::new();
    // Positive part: any number, word or phrase may match; quoted phrases
    // and cites: must.
    let mut should = shoulds(f, p);
    // Words asked for that no document holds still make the query
    // positive: it then matches nothing (an empty union), not everything.
    let asked = !should.is_empty();
    should.terms.retain(|(t, _)| keep(t));
    for ph in &p.phrases {
        must.push(phrase_query(f, ph, 1.0));
    }
    for n in &p.cites {
        must.push(filter(term_q(f.cites, &n.key(), 1.0)));
    }
    // Exclusions.
    for n in &p.excluded_numbers {
        must_not.push(number_query(f, &n.key()));
    }
    for ex in &p.excluded {
        must_not.push(phrase_query(f, ex, 1.0));
    }
    // Filters.
    if let Some(k) = req.kind.as_deref().filter(|k| !k.trim().is_empty()) {
        must.push(filter(term_q(f.kind_key, &schema::kind_key(k), 1.0)));
    }
    if let Some(i) = req.issuer.as_deref() {
        let words = query::analyze(i);
        if !words.is_empty() {
            let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
            must.push(filter(phrase_q(f.issuers_folded, &folded, 1.0)));
        }
    }
    if let Some(y) = req.year {
        let y = u64::try_from(y).unwrap_or(0);
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_u64(f.year, y),
            IndexRecordOption::Basic,
        ))));
    }
    if req.from.is_some() || req.to.is_some() {
        let bound = |d: Option<NaiveDate>| match d {
            Some(d) => Bound::Included(Term::from_field_i64(f.date, schema::date_value(d))),
            None => Bound::Unbounded,
        };
        must.push(filter(Box::new(RangeQuery::new(
            bound(req.from),
            bound(req.to),
        ))));
    }
    // Validity state (issue 12).
    if let Some(st) = req.status {
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.status, st.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    Plan {
        terms: should.terms,
        other: asked.then_some(should.other),
        must,
        must_not,
    }
}
