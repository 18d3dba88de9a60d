//! The query-side table of issuers: the names and codes a user types for
//! an issuing or signing organ ("Bộ Chính trị", "BCT", "TW", "TTg", "UBND
//! tỉnh") and the keys the index holds for them (`index::lookup`: folded
//! issuer codes of the own number, the signing organ and the issuers,
//! folded). Issue 11.
//!
//! Keys are folded; a query issuer matches a document holding any of its
//! keys.

/// (folded names as typed, index keys).
pub type IssuerRow = (&'static [&'static str], &'static [&'static str]);

/// Every issuer a query can name; longer names are matched first.
pub const ISSUERS: &[IssuerRow] = &[
    (&["bo chinh tri", "bct"], &["bo chinh tri"]),
    (&["ban bi thu", "bbt"], &["ban bi thu"]),
    (
        &[
            "ban chap hanh trung uong",
            "bch tw",
            "bchtw",
            "trung uong",
            "tw",
        ],
        &["tw"],
    ),
    (&["thu tuong chinh phu", "thu tuong", "ttg"], &["ttg"]),
    (&["chinh phu", "cp"], &["cp", "chinh phu"]),
    (&["uy ban thuong vu quoc hoi", "ubtvqh"], &["ubtvqh"]),
    (&["quoc hoi", "qh"], &["qh", "quoc hoi"]),
    (&["van phong quoc hoi", "vpqh"], &["vpqh"]),
    (&["van phong chinh phu", "vpcp"], &["vpcp"]),
    (&["hoi dong tham phan", "hdtp"], &["hdtp"]),
    (&["tinh uy", "tu"], &["tu", "tinh uy"]),
    (&["thanh uy"], &["tu", "thanh uy"]),
    (&["huyen uy", "hu"], &["hu", "huyen uy"]),
    (&["ban dan van trung uong", "bdvtw"], &["bdvtw"]),
    (&["ban dan van tinh uy", "bdvtu"], &["bdvtu"]),
    (
        &["ban thuong vu tinh uy", "btv tinh uy", "btvtu"],
        &["tu", "ban thuong vu"],
    ),
    (
        &[
            "ubnd tinh",
            "uy ban nhan dan tinh",
            "ubnd",
            "uy ban nhan dan",
        ],
        &["ubnd", "uy ban nhan dan"],
    ),
    (
        &["hdnd tinh", "hoi dong nhan dan", "hdnd"],
        &["hdnd", "hoi dong nhan dan"],
    ),
    (&["bo tai chinh", "btc"], &["btc", "bo tai chinh"]),
    (&["bo tu phap", "btp"], &["btp", "bo tu phap"]),
    (&["bo noi vu", "bnv"], &["bnv", "bo noi vu"]),
    (&["bo tai nguyen va moi truong", "btnmt"], &["btnmt"]),
    (&["bo ke hoach va dau tu", "bkhdt"], &["bkhdt"]),
    (&["bo cong thuong"], &["bct", "bo cong thuong"]),
    (&["bo cong an", "bca"], &["bca", "bo cong an"]),
    (&["bo quoc phong", "bqp"], &["bqp", "bo quoc phong"]),
    (&["bo y te", "byt"], &["byt", "bo y te"]),
    (&["bo giao duc va dao tao", "bgddt"], &["bgddt"]),
    (&["tong cuc hai quan", "tchq"], &["tchq"]),
];

/// The issuer a run of folded words starts with: (row, words used).
pub fn issuer_at(words: &[&str]) -> Option<(&'static IssuerRow, usize)> {
    let mut best: Option<(&'static IssuerRow, usize)> = None;
    for row in ISSUERS {
        for name in row.0 {
            if let Some(n) = super::starts_with_name(words, name)
                && best.is_none_or(|(_, m)| n > m)
            {
                best = Some((row, n));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_keys() {
        let keys = |s: &str| {
            let w: Vec<&str> = s.split(' ').collect();
            issuer_at(&w).map(|(r, n)| (r.1.to_vec(), n))
        };
        assert_eq!(keys("bo chinh tri"), Some((vec!["bo chinh tri"], 3)));
        assert_eq!(
            keys("ubnd tinh son giang"),
            Some((vec!["ubnd", "uy ban nhan dan"], 2))
        );
        assert_eq!(keys("ttg"), Some((vec!["ttg"], 1)));
        assert_eq!(keys("tw"), Some((vec!["tw"], 1)));
        assert_eq!(keys("dan van"), None);
        for (names, ks) in ISSUERS {
            for n in names.iter().chain(ks.iter()) {
                assert_eq!(crate::text::fold(n), *n, "{n} is not folded");
            }
        }
    }
}
