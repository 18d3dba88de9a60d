//! One integration test binary; one module per area.

// Helpers: temporary data directories, ingest and search (fixtures and the
// shared corpus through `vanban::testdata`). Tests over the whole shared
// corpus sit in modules named `corpus`, built with `--features corpus`.
mod util;

// Acceptance of the core pipeline on the four real seed pages.
mod seeds;

// Queries that must *not* return certain pages (fixtures/search).
mod negative;

// Ingest behaviour: store, hashes, updates, prune, bad input, the lock.
mod ingest;

// The `vanban` binary: flags, exit codes, JSON shapes.
mod cli;

// Independent oracles through the binary: search filters, export, stats,
// reindex --rollback, ingest --prune against fixtures/demo/MANIFEST.md.
mod oracles;

// Batch jobs: reindex (atomic switch, crash safety, versions), export, stats.
mod batch;
// The crawler against an in-process loopback server (fixtures/site).
mod crawl;
// The HTTP API through the router (no socket): endpoints, errors, limits,
// OpenAPI, the hostile fixture, live generation reload.
mod server;

// The researcher page in headless Chromium (fantoccini → chromedriver on
// loopback): search, highlights, filters, pages, citations both ways,
// hostile text, phone width; screenshots in target/screenshots/.
mod browser;
// `vanban refs`: golden files of the seeds, the Bộ Pháp điển key
// consistency, tvpl spans, adversarial input (issue 3).
mod refs;

// The citation graph on fixtures/demo: cites: queries, outgoing and
// incoming citations against MANIFEST.md, `vanban doc` (issue 3).
mod graph;

// Finding a document the way people type it: partial numbers,
// abbreviations, Telex/VNI, did-you-mean, and the negatives (issue 11).
mod query;
// Validity status and history on fixtures/status: each relation kind,
// --as-of, filters and facets, incremental state refresh (issue 12).
mod status;

// vbpl.vn pages (fixtures/vbpl) as files: stated state, dates, titles,
// relations; --status filters by them (issue 12, item 4).
mod vbpl;
