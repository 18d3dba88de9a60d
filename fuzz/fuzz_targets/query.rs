//! The query parser (`vanban::search::query::parse`) on arbitrary UTF-8:
//! no panic, over-long queries refused, and no empty terms or phrases.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban::search::query::{self, QueryError};

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    match query::parse(q) {
        Ok(p) => {
            for t in p
                .terms
                .iter()
                .chain(p.phrases.iter().flatten())
                .chain(p.excluded.iter().flatten())
            {
                assert!(
                    !t.exact.is_empty() && !t.folded.is_empty(),
                    "{t:?} in {q:?}"
                );
            }
            assert!(p.phrases.iter().chain(&p.excluded).all(|ph| !ph.is_empty()));
        }
        Err(QueryError::TooLong(n)) => assert!(n > query::MAX_QUERY_CHARS),
        Err(QueryError::BadCites) => {}
    }
});
