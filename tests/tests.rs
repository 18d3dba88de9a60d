//! One integration test binary; one module per area.

// Helpers: the shared data, temporary data directories, ingest and search.
mod util;

// Acceptance of the core pipeline on the four real seed pages.
mod seeds;

// Queries that must *not* return certain pages (fixtures/search).
mod negative;

// Ingest behaviour: store, hashes, updates, prune, bad input, the lock.
mod ingest;

// The `vanban` binary: flags, exit codes, JSON shapes.
mod cli;

// `vanban refs`: golden files of the seeds, the Bộ Pháp điển key
// consistency, tvpl spans, adversarial input (issue 3).
mod refs;

// The citation graph on fixtures/demo: cites: queries, outgoing and
// incoming citations against MANIFEST.md, `vanban doc` (issue 3).
mod graph;
