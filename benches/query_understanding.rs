//! Finding a document the way people type it (issue 11): top-1 accuracy
//! of queries naming a document by kind and number, abbreviation, Telex,
//! VNI, or title and year.
//!
//! Corpus: the 214 texts of `corpus/tvpl` (shared) and the demo Party
//! documents (`fixtures/demo`), ingested as a user would. Ground truth
//! comes from outside the parser: the tvpl FILE NAMES
//! (`Nghị_định_01_2021_NĐ-CP.txt` is Nghị định, serial 01, year 2021) and
//! hand labels for the demo. A query is right when its first hit is a file
//! whose name fits what the query names (same kind and serial, and year
//! when the query gives one; for laws, same name and year).
//!
//! Families marked "held out" were not looked at while tuning.
//!
//! Run: `cargo bench --bench query_understanding` (set VANBAN_SHARED to
//! move the data).
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use vanban::datadir::DataDir;
use vanban::ingest::{self, Options};
use vanban::search::{Engine, Request};

/// A tvpl file read from its name alone.
#[derive(Debug, Clone)]
struct Named {
    stem: String,
    /// Kind as in the name, with diacritics ("Nghị định").
    kind: String,
    serial: Option<String>,
    year: Option<u16>,
    /// Law name after the kind ("Đất đai"), for laws without a number.
    name: Option<String>,
    /// The codes after the number in the name ("NĐ-CP", "TTg").
    code: String,
}

/// Issuer names of the codes in file names (hand table).
fn issuer_name(code: &str) -> Option<&'static str> {
    let last = code.rsplit('-').next()?;
    let last = last.trim_end_matches(|c: char| c.is_ascii_digit());
    Some(match last {
        "CP" => "chính phủ",
        "TTg" => "thủ tướng",
        "BTC" => "bộ tài chính",
        "QH" => "quốc hội",
        "BTNMT" => "bộ tài nguyên và môi trường",
        "BNV" => "bộ nội vụ",
        "BTP" => "bộ tư pháp",
        "VPQH" => "văn phòng quốc hội",
        "UBTVQH" => "ủy ban thường vụ quốc hội",
        _ => return None,
    })
}

const KINDS: &[(&str, &str)] = &[
    ("Thông tư liên tịch", "TTLT"),
    ("Văn bản hợp nhất", "VBHN"),
    ("Nghị định", "NĐ"),
    ("Nghị quyết", "NQ"),
    ("Thông tư", "TT"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Công văn", "CV"),
    ("Bộ luật", "BL"),
    ("Luật", "L"),
];

/// Every diacritic removed, đ → d, lowercase.
fn plain(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' | 'Ð' => 'd',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

fn parse_name(stem: &str) -> Option<Named> {
    let mut s: String = stem.nfc().collect::<String>().replace('_', " ");
    if !stem.contains('_') {
        s = s.replace('-', " ");
    }
    if s.starts_with("Dự thảo") || s.starts_with("Văn bản Luat") || s.starts_with("Văn bản Quyet")
    {
        return None;
    }
    let folded = plain(&s);
    let (kind, rest) = KINDS.iter().find_map(|(k, _)| {
        folded.strip_prefix(&format!("{} ", plain(k))).map(|_| {
            let rest: String = s.chars().skip(k.chars().count()).collect();
            (k.to_string(), rest.trim_start().to_string())
        })
    })?;
    let rest = rest.as_str();
    let rest = rest.strip_prefix("số ").unwrap_or(rest);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && (kind != "Luật" && kind != "Bộ luật") {
        let after = &rest[digits.len()..];
        let after = after.trim_start_matches([' ', '-']);
        let y: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        let mut year = (y.len() == 4).then(|| y.parse().ok()).flatten();
        if year.is_none()
            && let Some(i) = s.find("năm ")
        {
            let y: String = s[i + 4..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            year = (y.len() == 4).then(|| y.parse().ok()).flatten();
        }
        let code = after
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '-')
            .split(' ')
            .next()
            .unwrap_or("")
            .to_string();
        return Some(Named {
            stem: stem.to_string(),
            kind,
            serial: Some(digits),
            year,
            name: None,
            code,
        });
    }
    // A law: "Luật Đất đai 2024", "Bộ luật Lao động 2019".
    let words: Vec<&str> = rest.split(' ').collect();
    let year = words.last()?.parse::<u16>().ok().filter(|y| *y > 1900)?;
    let name = words[..words.len() - 1].join(" ");
    (!name.is_empty()).then(|| Named {
        stem: stem.to_string(),
        kind,
        serial: None,
        year: Some(year),
        name: Some(name),
        code: String::new(),
    })
}

fn abbreviation(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, a)| *a)
}

/// Telex keys for a text typed with the input method off.
fn telex(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(' ') {
        let mut tone = None;
        for c in word.nfd() {
            match c {
                '\u{302}' => {
                    if let Some(last) = out.chars().last() {
                        out.push(last);
                    }
                }
                '\u{306}' | '\u{31b}' => out.push('w'),
                '\u{300}' => tone = Some('f'),
                '\u{301}' => tone = Some('s'),
                '\u{309}' => tone = Some('r'),
                '\u{303}' => tone = Some('x'),
                '\u{323}' => tone = Some('j'),
                'đ' | 'Đ' => out.push_str("dd"),
                c => out.extend(c.to_lowercase()),
            }
        }
        out.extend(tone);
        out.push(' ');
    }
    out.trim_end().to_string()
}

/// VNI keys: marks right after their vowel, the tone at the word's end.
fn vni(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(' ') {
        let mut tone = None;
        for c in word.nfd() {
            match c {
                '\u{302}' => out.push('6'),
                '\u{306}' => out.push('8'),
                '\u{31b}' => out.push('7'),
                '\u{300}' => tone = Some('2'),
                '\u{301}' => tone = Some('1'),
                '\u{309}' => tone = Some('3'),
                '\u{303}' => tone = Some('4'),
                '\u{323}' => tone = Some('5'),
                'đ' | 'Đ' => out.push_str("d9"),
                c => out.extend(c.to_lowercase()),
            }
        }
        out.extend(tone);
        out.push(' ');
    }
    out.trim_end().to_string()
}

/// One query with the files that answer it.
struct Case {
    family: &'static str,
    query: String,
    relevant: HashSet<String>,
}

fn number_cases(files: &[Named]) -> Vec<Case> {
    let mut out = Vec::new();
    for n in files {
        let Some(serial) = &n.serial else { continue };
        // Relevant: same kind and serial (no leading zeros), same year
        // when the query gives one.
        let relevant = |with_year: bool| -> HashSet<String> {
            files
                .iter()
                .filter(|m| {
                    m.kind == n.kind
                        && m.serial.as_deref().map(|s| s.trim_start_matches('0'))
                            == Some(serial.trim_start_matches('0'))
                        && (!with_year || m.year == n.year)
                })
                .map(|m| m.stem.clone())
                .collect()
        };
        let num = match n.year {
            Some(y) => format!("{serial}/{y}"),
            None => serial.clone(),
        };
        let accented = format!("{} {num}", n.kind);
        let has_year = n.year.is_some();
        if n.year.is_some() {
            // Several documents may fit ("Nghị định 01" of 2015 and 2021):
            // any of them first is right.
            out.push(Case {
                family: "kind + serial, no year (held out)",
                query: format!("{} {serial}", plain(&n.kind)),
                relevant: relevant(false),
            });
        }
        let mut push = |family, query: String| {
            out.push(Case {
                family,
                query,
                relevant: relevant(has_year),
            })
        };
        push("kind+number", accented.clone());
        push("kind+number, no diacritics", plain(&accented));
        push("abbreviation", format!("{} {num}", abbreviation(&n.kind)));
        push("telex", format!("{} {num}", telex(&n.kind)));
        // Held out.
        push(
            "abbreviation lowercase, no zeros (held out)",
            format!(
                "{} {}{}",
                plain(abbreviation(&n.kind)),
                serial.trim_start_matches('0'),
                n.year.map(|y| format!("/{y}")).unwrap_or_default()
            ),
        );
        push("vni (held out)", format!("{} {num}", vni(&n.kind)));
        if let Some(name) = issuer_name(&n.code) {
            push(
                "kind + number + issuer name (held out)",
                format!("{} {num} {name}", plain(&n.kind)),
            );
        }
        if let Some(y) = n.year {
            push(
                "số ... năm ... (held out until run 2)",
                format!("{} số {serial} năm {y}", plain(&n.kind)),
            );
        }
    }
    out
}

fn title_cases(files: &[Named]) -> Vec<Case> {
    let mut out = Vec::new();
    for n in files {
        let (Some(name), Some(y)) = (&n.name, n.year) else {
            continue;
        };
        let title = format!("{} {name} {y}", n.kind);
        let relevant: HashSet<String> = files
            .iter()
            .filter(|m| {
                m.name.as_deref().is_some_and(|x| {
                    plain(&format!("{} {x}", m.kind)) == plain(&format!("{} {name}", n.kind))
                }) && m.year == n.year
            })
            .map(|m| m.stem.clone())
            .collect();
        out.push(Case {
            family: "title+year",
            query: title.clone(),
            relevant: relevant.clone(),
        });
        out.push(Case {
            family: "title+year, no diacritics",
            query: plain(&title),
            relevant: relevant.clone(),
        });
        out.push(Case {
            family: "title+year, telex (held out)",
            query: telex(&title),
            relevant,
        });
    }
    out
}

/// Hand labels on the demo Party documents (fixtures/demo/MANIFEST.md).
fn demo_cases() -> Vec<Case> {
    let labels: &[(&str, &str)] = &[
        ("quyet dinh 312", "qd-312-tu-2021"),
        ("Quyết định 312", "qd-312-tu-2021"),
        ("QĐ 312", "qd-312-tu-2021"),
        ("quyeets ddinhj 312", "qd-312-tu-2021"),
        ("QĐ 128", "qd-128-tu-2017"),
        ("quyết định số 128 năm 2017", "qd-128-tu-2017"),
        ("chỉ thị 47", "ct-47-tu-2016"),
        ("chi thi 47 tinh uy", "ct-47-tu-2016"),
        ("CT 08", "ct-08-ubnd-2018"),
        ("chi thi 08 ubnd tinh", "ct-08-ubnd-2018"),
        ("kết luận 86", "kl-86-tu-2019"),
        ("KL 86", "kl-86-tu-2019"),
        ("kế hoạch 15", "kh-15-tu-2021"),
        ("ke hoach 15/2021", "kh-15-tu-2021"),
        ("huong dan 09", "hd-09-bdvtu-2022"),
        ("HD 9", "hd-09-bdvtu-2022"),
        ("chương trình 58", "ctr-58-tu-2024"),
        ("chuong trinh hanh dong 58", "ctr-58-tu-2024"),
        ("quyết định 1875", "qd-1875-ubnd-2022"),
        ("qd 1875/2022", "qd-1875-ubnd-2022"),
        ("quyết định 2140 năm 2023", "qd-2140-ubnd-2023"),
        ("quyeets ddinhj 2140", "qd-2140-ubnd-2023"),
    ];
    labels
        .iter()
        .map(|(q, stem)| Case {
            family: "demo Party documents",
            query: q.to_string(),
            relevant: [stem.to_string()].into_iter().collect(),
        })
        .collect()
}

fn stem_of(source: &str) -> String {
    let p = Path::new(source.split('#').next().unwrap_or(source));
    p.file_stem()
        .map(|s| s.to_string_lossy().nfc().collect())
        .unwrap_or_default()
}

fn main() {
    let tvpl = vanban::testdata::shared("corpus/tvpl");
    let demo = vanban::testdata::fixture("demo");
    let mut files: Vec<Named> = Vec::new();
    let mut n_files = 0;
    for e in std::fs::read_dir(&tvpl).unwrap() {
        let p = e.unwrap().path();
        n_files += 1;
        let stem: String = p.file_stem().unwrap().to_string_lossy().nfc().collect();
        files.extend(parse_name(&stem));
    }
    assert_eq!(n_files, 214, "the tvpl corpus changed");

    let tmp = tempfile::tempdir().unwrap();
    let dd = DataDir::open(tmp.path().join("data")).unwrap();
    let lock = dd.lock(false, |_| {}).unwrap();
    let report =
        ingest::ingest(&dd, &lock, &[tvpl, demo], &Options::default(), &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    let engine = Engine::new(vanban::index::IndexHandle::open_live(&dd).unwrap().unwrap()).unwrap();

    let mut cases = number_cases(&files);
    cases.extend(title_cases(&files));
    cases.extend(demo_cases());
    let verbose = std::env::var_os("VERBOSE").is_some();
    let mut by_family: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut right, mut all) = (0, 0);
    let (mut right_tuned, mut all_tuned) = (0, 0);
    for c in &cases {
        let resp = engine
            .search(&Request {
                q: c.query.clone(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        let first = resp.hits.first().map(|h| stem_of(&h.source));
        let ok = first.as_ref().is_some_and(|s| c.relevant.contains(s));
        let e = by_family.entry(c.family).or_default();
        e.1 += 1;
        all += 1;
        if ok {
            e.0 += 1;
            right += 1;
        }
        if !c.family.contains("held out") {
            all_tuned += 1;
            right_tuned += usize::from(ok);
        }
        if !ok && verbose {
            println!(
                "MISS [{}] {:?} → {:?} (want {:?}){}",
                c.family,
                c.query,
                first,
                c.relevant,
                resp.interpreted_as
                    .map(|i| format!(" interpreted as {i:?}"))
                    .unwrap_or_default()
            );
        }
    }
    println!("{:<46} {:>5} {:>7}", "family", "n", "top-1");
    for (f, (r, n)) in &by_family {
        println!("{f:<46} {n:>5} {:>7.3}", *r as f64 / *n as f64);
    }
    println!(
        "{:<46} {:>5} {:>7.3}",
        "tuned families",
        all_tuned,
        right_tuned as f64 / all_tuned as f64
    );
    println!(
        "{:<46} {:>5} {:>7.3}",
        "overall",
        all,
        right as f64 / all as f64
    );
}
