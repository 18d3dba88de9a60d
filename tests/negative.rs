//! Queries that must not return certain pages. The seeds share most of
//! their vocabulary, so these use small pages written for the purpose
//! (fixtures/search, described in its README).
use std::sync::OnceLock;

use crate::util::{Data, names, repo};

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let d = Data::new();
        let r = d.ingest(&[repo("fixtures/search")]);
        assert_eq!(r.failed, 0, "{r:?}");
        d
    })
}

fn hits(q: &str) -> Vec<String> {
    names(&data().search(q))
}

#[test]
fn quoted_phrase_needs_the_words_together() {
    let h = hits("\"công tác dân vận\"");
    assert!(h.contains(&"phrase_together".to_string()), "{h:?}");
    assert!(!h.contains(&"phrase_apart".to_string()), "{h:?}");
    let h = hits("\"cong tac dan van\"");
    assert!(h.contains(&"phrase_together".to_string()), "{h:?}");
    assert!(!h.contains(&"phrase_apart".to_string()), "{h:?}");
}

#[test]
fn unquoted_words_rank_the_phrase_first() {
    let h = hits("cong tac dan van");
    let together = h
        .iter()
        .position(|n| n == "phrase_together")
        .expect("found");
    if let Some(apart) = h.iter().position(|n| n == "phrase_apart") {
        assert!(together < apart, "{h:?}");
    }
}

#[test]
fn accented_word_does_not_match_another_accented_word() {
    let h = hits("bán");
    assert!(h.contains(&"ban_dat".to_string()), "{h:?}");
    assert!(
        !h.contains(&"ban_friend".to_string()),
        "'bán' matched 'bạn': {h:?}"
    );
    let h = hits("bạn");
    assert!(h.contains(&"ban_friend".to_string()), "{h:?}");
    assert!(!h.contains(&"ban_dat".to_string()), "{h:?}");
}

#[test]
fn accented_query_ranks_exact_above_unaccented_and_other_words() {
    let h = hits("bán đất");
    assert_eq!(h.first().map(String::as_str), Some("ban_dat"), "{h:?}");
    let pos = |n: &str| h.iter().position(|x| x == n);
    // Pages written without accents still match, below the exact page.
    assert!(pos("ban_plain").is_some(), "{h:?}");
    if let Some(friend) = pos("ban_friend") {
        assert!(friend > 0, "{h:?}");
    }
}

#[test]
fn quoted_accented_phrase_matches_its_spellings_only() {
    // The exact fields keep no positions: the phrase comes from the folded
    // field, its syllables from the exact one.
    let h = hits("\"bán đất\"");
    assert_eq!(h.first().map(String::as_str), Some("ban_dat"), "{h:?}");
    assert!(h.contains(&"ban_plain".to_string()), "{h:?}");
    assert!(!h.contains(&"ban_friend".to_string()), "{h:?}");
    assert_eq!(h.len(), 2, "{h:?}");
    // Accented syllables that are not adjacent anywhere do not match.
    assert!(!hits("\"công tác dân vận\"").contains(&"phrase_apart".to_string()));
    // Another accented spelling of the same folded phrase matches only the
    // page typed without accents.
    assert_eq!(hits("\"bạn đất\""), ["ban_plain"]);
    assert_eq!(hits("\"bán đạt\""), ["ban_plain"]);
}

#[test]
fn unaccented_query_finds_every_spelling() {
    let h = hits("ban dat");
    for n in ["ban_dat", "ban_plain", "ban_friend"] {
        assert!(h.contains(&n.to_string()), "{n} missing from {h:?}");
    }
}

#[test]
fn numbers_do_not_match_their_neighbours() {
    let mut h = hits("23-QĐ/TW");
    h.sort();
    assert_eq!(
        h,
        ["num_23_qd", "num_23_qd_nodiacritic", "num_23_qd_spaced"]
    );
    assert_eq!(hits("23-CT/TW"), ["num_23_ct"]);
    assert_eq!(hits("230-QĐ/TW"), ["num_230_qd"]);
    let mut h = hits("23 - QD/TW");
    h.sort();
    assert_eq!(
        h,
        ["num_23_qd", "num_23_qd_nodiacritic", "num_23_qd_spaced"]
    );
}

#[test]
fn excluded_number_and_word() {
    let h = hits("quyết định -23-QĐ/TW");
    assert!(!h.iter().any(|n| n.starts_with("num_23_qd")), "{h:?}");
    let h = hits("ban dat -bạn");
    assert!(!h.contains(&"ban_friend".to_string()), "{h:?}");
    assert!(h.contains(&"ban_dat".to_string()), "{h:?}");
}

#[test]
fn tone_placement_is_one_convention() {
    for (old, new) in [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("khoá", "khóa"),
        ("Tỉnh uỷ", "Tỉnh ủy"),
    ] {
        let (a, b) = (hits(old), hits(new));
        assert_eq!(a, b, "{old} vs {new}");
        for n in ["tone_old", "tone_new"] {
            assert!(a.contains(&n.to_string()), "{old}: {n} missing from {a:?}");
        }
    }
}
