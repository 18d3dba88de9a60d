//! Tests of the refs module; one file per area.
mod citations; // citations() on the seeds and tvpl
mod fuzz; // inputs found by the refs fuzz target (fixtures/fuzz/refs)
mod grammar; // the number grammar: table of real numbers, negatives
mod identity; // identify() on the seeds and tvpl headers
mod labels; // citations() against hand-labelled texts (issue 12)
mod scanning; // scan_numbers on the seeds, the corpus, properties
mod shapes12; // the citation shapes of issue 12, one sentence each
