//! Template: teaching `refs` a new document kind.
//!
//! 1. Its type code: add `("folded code", "Kind noun")` to
//!    `TYPE_CODES` in `patterns/mod.rs` (folded: lowercase, no
//!    diacritics, đ → d; "QĐ" is `"qd"`). A code listed there is read as
//!    the type in state numbers ("123/XX-BTC") and is accepted after
//!    "số" in old numbers ("số 15-XX").
//! 2. If its canonical spelling is mixed case (like "TTg", "CTr"), add
//!    `("folded", "Canonical")` to `MIXED_CASE_CODES`.
//! 3. Its noun as written before numbers: add `("Noun", "Kind")` to
//!    `KIND_NOUNS`, longest phrases first.
//! 4. Add a row to the table test in `refs/tests.rs` with a real
//!    example, and a negative if the code is also an ordinary word.
