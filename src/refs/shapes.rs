//! The shapes of a number after the scanner's regex has found a
//! candidate: the letter-case checks of each code, the chains of codes
//! ("NĐ - CP", "BDVTW-TCCT") and the rules of each shape (`state_number`,
//! `party_number`, `old_number`). Each returns the end of the number as
//! accepted (possibly cut short of the regex match) and the parsed
//! [`DocNumber`].
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::norm::{CaseShape, canonical_code, case_shape, fold_key, is_code_char, mixed_case_code};
use super::number::{DocNumber, Shape};
use super::patterns::{MIXED_CASE_CODES, is_type_code};

enum SegCheck {
    Ok(CaseShape),
    /// The code runs into a lowercase word; it ends at this byte.
    Cut(usize),
    Bad,
}

/// Checks one code of a number against its letter case and what
/// follows it.
fn check_seg(text: &str, r: Range<usize>) -> SegCheck {
    let s = &text[r.clone()];
    // "BGD&ĐT": an ampersand joins letters, never ends a code.
    if s.ends_with('&') {
        let end = r.start + s.trim_end_matches('&').len();
        return match check_seg(text, r.start..end) {
            SegCheck::Bad => SegCheck::Bad,
            _ if end > r.start => SegCheck::Cut(end),
            _ => SegCheck::Bad,
        };
    }
    let next = text[r.end..].chars().next();
    let glued = next.is_some_and(|c| c.is_alphanumeric() || is_combining_mark(c));
    let glued_lower = next.is_some_and(char::is_lowercase);
    if s.chars().count() > 12 {
        return SegCheck::Bad;
    }
    match case_shape(s) {
        CaseShape::Upper if !glued => SegCheck::Ok(CaseShape::Upper),
        // "NQ/TWở": the code ends where the lowercase word begins.
        CaseShape::Upper if glued_lower && s.chars().count() >= 2 => SegCheck::Ok(CaseShape::Upper),
        CaseShape::Upper => SegCheck::Bad,
        shape @ (CaseShape::Lower | CaseShape::Title) if !glued => SegCheck::Ok(shape),
        CaseShape::UpperThenLower { upper_len } => {
            if !glued && mixed_case_code(&fold_key(s)).is_some() {
                return SegCheck::Ok(CaseShape::Upper);
            }
            // "TTgngày" → "TTg"; "TWngày" → "TW".
            for (_, mixed) in MIXED_CASE_CODES {
                if let Some(rest) = s.strip_prefix(mixed)
                    && rest.chars().all(char::is_lowercase)
                {
                    return SegCheck::Cut(r.start + mixed.len());
                }
            }
            if s[..upper_len].chars().count() >= 2 {
                SegCheck::Cut(r.start + upper_len)
            } else {
                SegCheck::Bad
            }
        }
        _ => SegCheck::Bad,
    }
}

/// The codes of a chain ("NĐ - CP", "BDVTW-TCCT") with whether
/// whitespace surrounds the dash before each.
fn lex_chain(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut seg_start: Option<usize> = None;
    for (i, c) in text[r.clone()].char_indices() {
        let at = r.start + i;
        if is_code_char(c) {
            seg_start.get_or_insert(at);
        } else if let Some(s) = seg_start.take() {
            out.push(s..at);
        }
    }
    if let Some(s) = seg_start {
        out.push(s..r.end);
    }
    out
}

/// Accepts the codes of a chain left to right, stopping at the first that
/// fails. A dash with whitespace on both sides ("TW - BAN") is allowed
/// only before the codes with index `< spaced_ok_until`; one-sided
/// spacing ("BNV- BTC") is a typo and allowed anywhere.
fn accept_chain(text: &str, r: Range<usize>, spaced_ok_until: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut seen_upper = false;
    let mut prev_end: Option<usize> = None;
    for (i, seg) in lex_chain(text, r).into_iter().enumerate() {
        let gap = prev_end.map_or("", |e| &text[e..seg.start]);
        prev_end = Some(seg.end);
        let both_sided = gap.starts_with(char::is_whitespace) && gap.ends_with(char::is_whitespace);
        if i > 0 && both_sided && i >= spaced_ok_until && !joint_code(text, seg.clone()) {
            break;
        }
        if let Some(prev) = out.last()
            && text[prev.end..seg.start].contains('.')
            && !(i == 1 && is_type_code(&fold_key(&text[prev.clone()])))
        {
            break;
        }
        match check_seg(text, seg.clone()) {
            SegCheck::Ok(shape) => {
                if i > 0 && seen_upper && matches!(shape, CaseShape::Title | CaseShape::Lower) {
                    break;
                }
                if i > 0 && seg.len() < 2 {
                    break; // "15/QĐ- U BND": an issuer is never one letter
                }
                seen_upper |= shape == CaseShape::Upper;
                out.push(seg);
            }
            SegCheck::Cut(end) => {
                out.push(seg.start..end);
                break;
            }
            SegCheck::Bad => break,
        }
    }
    out
}

/// Whether a code after a dash spaced on both sides still belongs to the
/// number: a joint or suffixed issuer code in capitals ("79-CTr/BDVTW –
/// BCSĐCP"), three to eight letters, ending the number: not followed by
/// another word in capitals, as a heading goes on ("05-CT/TW - BAN BÍ
/// THƯ").
fn joint_code(text: &str, seg: Range<usize>) -> bool {
    let s = &text[seg.clone()];
    let n = s.chars().count();
    let letters = s
        .chars()
        .all(|c| c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ð' | 'Ư' | '&'));
    if !(3..=8).contains(&n) || !letters {
        return false;
    }
    let rest = &text[seg.end..];
    let mut cs = rest.chars();
    match cs.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || is_combining_mark(c) => false,
        Some(c) if c.is_whitespace() => !cs
            .as_str()
            .trim_start()
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A type code, a mixed-case code, or an issuer code common enough to be
/// read in lower case after "số" or a kind noun ("cp", "ttg").
fn is_known_code(raw: &str) -> bool {
    let folded = fold_key(raw);
    is_type_code(&folded)
        || mixed_case_code(&folded).is_some()
        || matches!(folded.as_str(), "cp" | "hdbt" | "tw" | "ubnd" | "qh")
}

/// Roman numerals in either case: "5/cc" after "số" would otherwise pass
/// while its canonical form "5/CC" does not (found by fuzzing, issue 9).
fn is_roman(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c.to_ascii_uppercase(), 'I' | 'V' | 'X' | 'L' | 'C' | 'M'))
}

fn letters_only(s: &str) -> bool {
    s.chars().all(|c| !c.is_ascii_digit())
}

/// `n[/yyyy]/CODE[-CODE...]`; `more` is a chain after a type and a
/// slash ("141/2010/TTLT/BQP-BTP").
pub(crate) fn state_number(
    text: &str,
    serial: String,
    year: Option<u16>,
    chain: Range<usize>,
    more: Option<Range<usize>>,
    after_so: bool,
    after_kind: bool,
) -> Option<(usize, DocNumber)> {
    let mut segs = accept_chain(text, chain.clone(), 2);
    let first = segs.first()?.clone();
    let first_raw = &text[first.clone()];
    if let Some(more) = more
        && segs.len() == 1
        && first.end == chain.end
        && is_type_code(&fold_key(first_raw))
    {
        segs.extend(accept_chain(text, more, 1));
    }
    if year.is_none() && segs.len() == 1 {
        // The weak shape `n/CODE`: "299/TTg", "09/CP"; not "3/s", "19/XII",
        // nor the form codes of a table ("01/CT/XĐTXX/GSQL").
        let exact_mixed = MIXED_CASE_CODES.iter().any(|(_, m)| *m == first_raw);
        let upper = case_shape(first_raw) == CaseShape::Upper;
        if first_raw.chars().count() < 2 || is_roman(first_raw) {
            return None;
        }
        if !(after_so || upper || exact_mixed || (after_kind && is_known_code(first_raw))) {
            return None;
        }
        let rest = &text[first.end..];
        let mut after = rest.chars();
        if after.next() == Some('/') && after.next().is_some_and(char::is_alphabetic) {
            return None;
        }
        let head: String = rest.chars().take(20).collect();
        if fold_key(&head)
            .trim_start()
            .trim_start_matches("cua ")
            .starts_with("phu luc")
        {
            return None; // "07/ONĐ của Phụ lục IV"
        }
    }
    let mut end = segs.last()?.end;
    // "75/2006/QH 11": the term of the Quốc hội written apart.
    let mut term = String::new();
    if text[segs.last()?.clone()].ends_with("QH") {
        let rest = &text[end..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let digits = rest[spaces..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let glued = rest[spaces + digits..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if (1..=2).contains(&spaces) && (1..=2).contains(&digits) && !glued {
            term = rest[spaces..spaces + digits].to_string();
            end += spaces + digits;
        }
    }
    let mut codes: Vec<String> = Vec::with_capacity(segs.len());
    let first_canon = canonical_code(first_raw, true);
    let type_code = if is_type_code(&fold_key(&first_canon)) && segs.len() > 1 {
        Some(first_canon)
    } else {
        codes.push(canonical_code(first_raw, false));
        None
    };
    codes.extend(
        segs[1..]
            .iter()
            .map(|r| canonical_code(&text[r.clone()], false)),
    );
    if let Some(last) = codes.last_mut() {
        last.push_str(&term);
    }
    Some((
        end,
        DocNumber::from_parts(Shape::State, serial, year, type_code, codes),
    ))
}

/// `n-TYPE/ISSUER[-ISSUER...]`, or `n TYPE/ISSUER` after "số".
pub(crate) fn party_number(
    text: &str,
    serial: String,
    type_r: Range<usize>,
    chain: Range<usize>,
    spaced_form: bool,
) -> Option<(usize, DocNumber)> {
    let type_raw = &text[type_r.clone()];
    if !matches!(check_seg(text, type_r), SegCheck::Ok(_))
        || type_raw.chars().count() > 6
        || !letters_only(type_raw)
    {
        return None;
    }
    // "số 84 QĐ/TWĐTN", and "số 60 TC/TCT" (an old state number, read
    // as 60/TC-TCT below) when its first code is in capitals.
    let upper = type_raw
        .chars()
        .all(|c| c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ð'));
    if spaced_form && !is_type_code(&fold_key(type_raw)) && !upper {
        return None;
    }
    let segs = accept_chain(text, chain, 0);
    let end = segs.last()?.end;
    let issuers = segs
        .iter()
        .map(|r| canonical_code(&text[r.clone()], false))
        .collect();
    let type_code = canonical_code(type_raw, true);
    if !is_type_code(&fold_key(&type_code)) {
        // Party numbers always name a kind ("NQ", "CT", "QĐ" ...). "89-TC/TCT"
        // (Bộ Tài chính, Tổng cục Thuế) is an old state number in the Party
        // layout, also written "89/TC-TCT": both get the state form, so one
        // document keeps one canonical number and one key.
        // The state form never has a one-letter issuer ("05-n/C" would
        // become "05/N-C", which does not read back: found by fuzzing,
        // issue 9).
        if segs.iter().any(|r| text[r.clone()].chars().count() < 2) {
            return None;
        }
        let mut codes = vec![canonical_code(type_raw, false)];
        codes.extend(issuers);
        return Some((
            end,
            DocNumber::from_parts(Shape::State, serial, None, None, codes),
        ));
    }
    Some((
        end,
        DocNumber::from_parts(Shape::Party, serial, None, Some(type_code), issuers),
    ))
}

/// `n-CODE` ("169-CP"): upper-case letters, tight dash; after "số" also
/// spaced or in another case when the code is a known one.
pub(crate) fn old_number(
    text: &str,
    serial: String,
    code_r: Range<usize>,
    spaced: bool,
    after_so: bool,
    after_kind: bool,
) -> Option<(usize, DocNumber)> {
    let raw = &text[code_r.clone()];
    if spaced && !after_so {
        return None;
    }
    let shape = match check_seg(text, code_r.clone()) {
        SegCheck::Ok(shape) => shape,
        _ => return None,
    };
    let glued = text[code_r.end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    let len = raw.chars().count();
    if glued || !letters_only(raw) || !(2..=8).contains(&len) || is_roman(raw) {
        return None;
    }
    let known = is_known_code(raw);
    let plain_upper = shape == CaseShape::Upper
        && raw
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ð'));
    if !(plain_upper || ((after_so || after_kind) && known)) {
        return None;
    }
    let canon = canonical_code(raw, true);
    let (type_code, issuers) = if is_type_code(&fold_key(&canon)) {
        (Some(canon), Vec::new())
    } else {
        (None, vec![canonical_code(raw, false)])
    };
    Some((
        code_r.end,
        DocNumber::from_parts(Shape::Old, serial, None, type_code, issuers),
    ))
}
