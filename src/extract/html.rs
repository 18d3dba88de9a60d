//! HTML pages: title, publication date, the main text without the site's
//! chrome, and attachment links.
//!
//! The body region comes from a site profile (`profiles.rs`), else from a
//! well-known article selector, else from the generic scorer
//! (`score.rs`). It is rendered to lines (`render.rs`), put in NFC, cut
//! before the trailing chrome (`boilerplate.rs`), and stripped of a
//! leading copy of the title and of a date line next to it.
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use super::boilerplate::{chrome_start, is_marker, join_lines};
use super::charset::{clean, nfc_owned};
use super::date::{date_anywhere, date_line, place_date_line};
use super::nesting::limit_nesting;
use super::page::Signals;
use super::profiles::{self, Site, Source, sel};
use super::render::{inline_text, render_lines};
use super::score::{self, is_chrome_element, main_region};
use super::{Error, ExtractedDoc, attach, title};

/// Headings longer than this are not titles.
const MAX_TITLE_CHARS: usize = 600;
/// How many lines around the title may hold its date line.
const DATE_WINDOW_BEFORE: usize = 3;
const DATE_WINDOW_AFTER: usize = 6;
/// How many first lines of the body may hold the document's date line
/// ("Hà Nội, ngày 28 tháng 11 năm 2013").
const BODY_HEAD_DATE_LINES: usize = 15;
/// How many lines at the top of the text may be title, date and toolbar.
const MAX_HEAD_LINES: usize = 10;
/// How far into the rendered page the title is looked for.
const TITLE_SEARCH_LINES: usize = 500;
/// Forms with less text than this inside a generic region are widgets.
const MAX_WIDGET_FORM_CHARS: usize = 500;

static LD_DATE_PUBLISHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]*)""#).expect("static regex"));

/// Extracts a decoded page, and says what the page looks like (the
/// evidence `page::assess` judges article, listing or other by).
pub(crate) fn extract_with_signals(html: &str) -> Result<(ExtractedDoc, Signals), Error> {
    let doc = Html::parse_document(&limit_nesting(html));
    let site = profiles::detect(&doc);
    let profile_name = site.as_ref().and_then(|s| match s.source {
        Source::Profile(name) => Some(name),
        _ => None,
    });
    // A vbpl.vn page states its document's properties and real title.
    let stated = (profile_name == Some("vbpl"))
        .then(|| super::vbpl::read(&doc))
        .flatten();
    let profile_title = stated
        .as_ref()
        .and_then(|s| s.title.clone())
        .or_else(|| site.as_ref().and_then(|s| s.title.clone()));
    // A profile's region is authoritative, even when it renders empty (an
    // empty Bộ Pháp điển đề mục); without one, the generic scorer decides.
    // A well-known article selector only stands when it holds most of the
    // page's best text; the lead paragraph beside it is kept (issue 10:
    // the demo's sapo beside `.detail-content`).
    let (region, lines) = match site {
        Some(Site {
            source: source @ Source::Profile(_),
            body,
            drop,
            ..
        }) if !body.is_empty() => {
            let lines = region_lines(&body, source, drop);
            (body, lines)
        }
        Some(Site {
            source: Source::ArticleSelector,
            body,
            ..
        }) if !body.is_empty() => {
            let region = with_lead(body);
            let lines = region_lines(&region, Source::ArticleSelector, None);
            (region, lines)
        }
        _ => {
            let region = main_region(&doc);
            let lines = region_lines(&region, Source::Generic, None);
            (region, lines)
        }
    };
    let lines = &lines[..chrome_start(&lines)];

    let candidates = title::candidates(&doc);
    let page_lines: Vec<String> = render_lines(&[profiles::body_element(&doc)], |_| false)
        .into_iter()
        .map(nfc_owned)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let before = title::lines_before_body(&page_lines, lines, &candidates);
    let (title, title_confirmed) = find_title(&doc, profile_title, &candidates, before);
    let (mut skip_lines, head_date) = strip_head(lines, &title);
    if lines[skip_lines..].iter().all(|l| l.trim().is_empty()) {
        // The page is nothing but its title and date: keep them as the body.
        skip_lines = 0;
    }
    let lines = &lines[skip_lines..];
    let body = join_lines(lines, true);
    if body.is_empty() {
        return Err(Error::Empty("no body text in the page".into()));
    }
    let title = match title {
        Some(t) => t,
        None => body.lines().next().unwrap_or_default().trim().to_owned(),
    };
    let published = meta_date(&doc)
        .or_else(|| time_date(&doc, &region))
        .or(head_date)
        .or_else(|| date_near_title(&page_lines, &title))
        .or_else(|| {
            lines
                .iter()
                .take(BODY_HEAD_DATE_LINES)
                .find_map(|l| place_date_line(l))
        });
    let mut signals = Signals::measure(
        &doc,
        &region,
        &body,
        profile_name,
        title_confirmed,
        published.is_some(),
    );
    signals.names_document = stated.as_ref().is_some_and(|s| s.key.is_some());
    Ok((
        ExtractedDoc {
            title,
            body,
            published,
            attachments: attach::attachments(&doc),
            stated,
            ..Default::default()
        },
        signals,
    ))
}

/// The region and the lead paragraph just before it (a `sapo` block, a
/// bold first paragraph kept apart from the text).
fn with_lead(region: Vec<ElementRef<'_>>) -> Vec<ElementRef<'_>> {
    let Some(first) = region.first().copied() else {
        return region;
    };
    let mut lead = Vec::new();
    for sib in first.prev_siblings().filter_map(ElementRef::wrap).take(3) {
        if score::is_text_block(sib) {
            lead.push(sib);
        } else {
            break;
        }
    }
    lead.reverse();
    lead.extend(region);
    lead
}

/// The region rendered to NFC lines, without the chrome inside it: the
/// profile's own `drop` list, and for generic regions every chrome element
/// (menus, share bars, comment forms …).
fn region_lines(region: &[ElementRef<'_>], source: Source, drop: Option<&Selector>) -> Vec<String> {
    let skip = |el: ElementRef<'_>| {
        if region.iter().any(|r| r.id() == el.id()) {
            return false;
        }
        if drop.is_some_and(|d| d.matches(&el)) {
            return true;
        }
        match source {
            Source::Profile(_) => false,
            Source::ArticleSelector | Source::Generic => {
                is_chrome_element(el) || is_widget_form(el)
            }
        }
    };
    render_lines(region, skip)
        .into_iter()
        .map(nfc_owned)
        .collect()
}

fn is_widget_form(el: ElementRef<'_>) -> bool {
    el.value().name() == "form" && inline_text(el).chars().count() < MAX_WIDGET_FORM_CHARS
}

fn meta_content(doc: &Html, selector: &Selector) -> Option<String> {
    doc.select(selector)
        .filter_map(|m| m.value().attr("content"))
        .map(clean)
        .find(|c| !c.is_empty())
}

fn usable_heading(el: ElementRef<'_>) -> Option<String> {
    let text = clean(&inline_text(el));
    let chars = text.chars().count();
    if !(4..=MAX_TITLE_CHARS).contains(&chars) || is_marker(&text) {
        return None;
    }
    let in_chrome = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(is_chrome_element);
    (!in_chrome).then_some(text)
}

/// Heading selectors from most to least specific. A group selector yields
/// elements in document order, so each tier is tried on its own: a logo in
/// a bare `<h1>` must not beat the article's `h2.title`.
fn heading_tiers() -> [&'static Selector; 3] {
    [
        sel!(
            "[itemprop=headline], h1.title, h2.title, h1[class*=title], h2[class*=title], \
             .title h1, .title h2, .article-title, .detail-title, .news-title, .post-title, \
             .entry-title, [class*=tieude], [class*=tieu-de], [class*=tieu_de]"
        ),
        sel!("article h1, main h1, article h2"),
        sel!("h1"),
    ]
}

/// Whether `head` begins `full`, ignoring case ("Title" of "Title - Site").
fn begins(full: &str, head: &str) -> bool {
    full.to_lowercase().starts_with(&head.to_lowercase())
}

/// Whether a heading is the article's part of the page `<title>`: it
/// begins it ("Title - Site"), or the title is a truncation of it, or it
/// is most of it ("Site - Title"; a logo is the short part).
fn names_the_page(page_title: &str, heading: &str) -> bool {
    let (p, h) = (page_title.to_lowercase(), heading.to_lowercase());
    p.starts_with(&h)
        || h.starts_with(&p)
        || (p.contains(&h) && 2 * h.chars().count() >= p.chars().count())
}

/// Title, and whether the page confirms it: the profile's; `og:title`
/// (without the site name, cut where a heading says it ends); a heading
/// near the body that `<title>` names; an article heading that names the
/// page (see [`names_the_page`]); the nearest heading-like line before
/// the body; the `<title>` without the site name; any heading.
fn find_title(
    doc: &Html,
    profile_title: Option<String>,
    candidates: &title::Candidates,
    before_body: &[String],
) -> (Option<String>, bool) {
    if let Some(t) = profile_title.map(|t| clean(&t)).filter(|t| !t.is_empty()) {
        return (Some(t), true);
    }
    let tiers: Vec<Vec<String>> = heading_tiers()
        .iter()
        .map(|tier| doc.select(tier).filter_map(usable_heading).collect())
        .collect();
    if let Some(og) = meta_content(
        doc,
        sel!("meta[property='og:title'], meta[name='og:title']"),
    ) {
        let site = meta_content(doc, sel!("meta[property='og:site_name']"));
        let og = strip_site_name(&og, site.as_deref(), false);
        // "Title | Site" with a heading "Title": the heading says where the
        // site name starts.
        let confirmed = tiers
            .iter()
            .flatten()
            .chain(candidates.texts())
            .find(|h| h.len() < og.len() && begins(&og, h));
        return (Some(confirmed.cloned().unwrap_or(og)), true);
    }
    let page_title = doc
        .select(sel!("title"))
        .next()
        .map(|t| clean(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    // Nearest first: the article's heading sits right above its text, a
    // logo far above it.
    let near: Vec<&String> = before_body
        .iter()
        .rev()
        .filter(|l| candidates.is_title_like(l))
        .collect();
    if let Some(p) = &page_title
        && let Some(h) = near.iter().find(|h| names_the_page(p, h))
    {
        return (Some((*h).clone()), true);
    }
    for tier in &tiers {
        let found = match &page_title {
            Some(p) => tier.iter().find(|h| names_the_page(p, h)),
            None => None,
        };
        if let Some(h) = found {
            return (Some(h.clone()), true);
        }
    }
    if let Some(h) = near.first() {
        return (Some((*h).clone()), false);
    }
    if page_title.is_none()
        && let Some(h) = tiers.iter().flatten().next()
    {
        return (Some(h.clone()), false);
    }
    if let Some(p) = page_title {
        return (Some(strip_site_name(&p, None, true)), false);
    }
    (tiers.into_iter().flatten().next(), false)
}

/// "Title - Site name" → "Title": the given site name, or (with `guess`)
/// a suffix that looks like a name: a few words of letters and no digits
/// ("giai đoạn 2021 - 2025", "… - Luật số 31/2024/QH15" keep their dash).
fn strip_site_name(title: &str, site_name: Option<&str>, guess: bool) -> String {
    const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » "];
    if let Some(site) = site_name.filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                return rest.trim().to_owned();
            }
        }
    }
    if !guess {
        return title.to_owned();
    }
    let cut = SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| (i, sep.len())))
        .max();
    if let Some((i, len)) = cut {
        let (head, tail) = (title[..i].trim(), title[i + len..].trim());
        let words = tail.split_whitespace().count();
        let looks_like_name = tail.chars().any(char::is_alphabetic)
            && !tail.contains(|c: char| c.is_ascii_digit())
            && words <= 8
            && head.split_whitespace().count() >= 2;
        if looks_like_name {
            return head.to_owned();
        }
    }
    title.to_owned()
}

/// Lines to skip at the top of the body: a repeat of the title and a date
/// line before or after it (the date is returned).
fn strip_head(lines: &[String], title: &Option<String>) -> (usize, Option<NaiveDate>) {
    let title = title.as_deref().map(|t| t.to_lowercase());
    let mut skip = 0;
    let mut date = None;
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        seen += 1;
        if seen > MAX_HEAD_LINES {
            break;
        }
        if title
            .as_deref()
            .is_some_and(|title| clean(t).to_lowercase() == title)
        {
            skip = i + 1;
        } else if let Some(d) = date_line(t).filter(|_| date.is_none()) {
            date = Some(d);
            skip = i + 1;
        } else if is_marker(t) {
            // A toolbar or counter line between the title and the text.
            skip = i + 1;
        } else {
            break;
        }
    }
    (skip, date)
}

fn meta_date(doc: &Html) -> Option<NaiveDate> {
    let metas = sel!(
        "meta[property='article:published_time'], meta[name='article:published_time'], \
         meta[itemprop=datePublished], meta[property='og:published_time'], \
         meta[name=pubdate], meta[name=publishdate], meta[name='dc.date.issued'], \
         meta[name='DC.date.issued'], meta[name=date]"
    );
    if let Some(d) = doc
        .select(metas)
        .filter_map(|m| m.value().attr("content"))
        .find_map(date_anywhere)
    {
        return Some(d);
    }
    let item = doc.select(sel!("[itemprop=datePublished]")).find_map(|e| {
        let v = e.value();
        v.attr("content")
            .or(v.attr("datetime"))
            .and_then(date_anywhere)
            .or_else(|| {
                let text: String = e.text().collect();
                date_anywhere(&text)
            })
    });
    if item.is_some() {
        return item;
    }
    doc.select(sel!("script[type='application/ld+json']"))
        .find_map(|s| {
            let text: String = s.text().collect();
            LD_DATE_PUBLISHED
                .captures_iter(&text)
                .find_map(|c| date_anywhere(&c[1]))
        })
}

fn time_value(t: ElementRef<'_>) -> Option<NaiveDate> {
    match t.value().attr("datetime") {
        Some(dt) => date_anywhere(dt),
        None => date_line(&inline_text(t)),
    }
}

fn time_date(doc: &Html, region: &[ElementRef<'_>]) -> Option<NaiveDate> {
    let times = sel!("time");
    region
        .iter()
        .flat_map(|r| r.select(times))
        .find_map(time_value)
        .or_else(|| {
            doc.select(times)
                .filter(|t| {
                    !t.ancestors()
                        .filter_map(ElementRef::wrap)
                        .any(is_chrome_element)
                })
                .find_map(time_value)
        })
}

/// A date line within a few lines of the title in the rendered page.
fn date_near_title(lines: &[String], title: &str) -> Option<NaiveDate> {
    let title = clean(title).to_lowercase();
    if title.is_empty() {
        return None;
    }
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(TITLE_SEARCH_LINES)
        .collect();
    let at = lines
        .iter()
        .position(|l| clean(l).to_lowercase().contains(&title))?;
    let after = lines.iter().skip(at + 1).take(DATE_WINDOW_AFTER);
    let before = lines[at.saturating_sub(DATE_WINDOW_BEFORE)..at]
        .iter()
        .rev();
    after.chain(before).find_map(|l| date_line(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_suffixes() {
        assert_eq!(
            strip_site_name("Tin A - Ban Dân vận Tỉnh ủy", None, true),
            "Tin A"
        );
        assert_eq!(
            strip_site_name("Luật Đất đai - Luật số 31/2024/QH15", None, true),
            "Luật Đất đai - Luật số 31/2024/QH15"
        );
        assert_eq!(
            strip_site_name(
                "Tiếp tục đẩy mạnh công tác dân vận - Ban Dân vận Tỉnh ủy",
                None,
                true
            ),
            "Tiếp tục đẩy mạnh công tác dân vận"
        );
        assert_eq!(
            strip_site_name("Chương trình phối hợp giai đoạn 2022 - 2026", None, true),
            "Chương trình phối hợp giai đoạn 2022 - 2026"
        );
        assert_eq!(
            strip_site_name("Kế hoạch năm 2018 | Dân vận", Some("Dân vận"), false),
            "Kế hoạch năm 2018"
        );
    }

    fn title_of(doc: &Html) -> Option<String> {
        find_title(doc, None, &title::candidates(doc), &[]).0
    }

    #[test]
    fn title_prefers_the_article_heading_over_a_logo() {
        let page = "<html><head><title>Kế hoạch công tác năm 2023 - Ban Dân vận Trung ương</title>\
                    </head><body><div id='top'><h1>Ban Dân vận Trung ương</h1></div>\
                    <div class='detail'><h2 class='title'>Kế hoạch công tác năm 2023</h2></div>\
                    </body></html>";
        let doc = Html::parse_document(page);
        assert_eq!(
            title_of(&doc).as_deref(),
            Some("Kế hoạch công tác năm 2023")
        );
        let page = "<html><head><meta property='og:title' content='Kế hoạch năm 2023 | Dân vận'>\
                    </head><body><h1 class='title'>Kế hoạch năm 2023</h1></body></html>";
        let doc = Html::parse_document(page);
        assert_eq!(title_of(&doc).as_deref(), Some("Kế hoạch năm 2023"));
        let page = "<title>Chỉ thị 05 - Ban Dân vận</title><h1>Ban Dân vận</h1>";
        let doc = Html::parse_document(page);
        assert_eq!(title_of(&doc).as_deref(), Some("Chỉ thị 05"));
    }

    #[test]
    fn head_strip_title_and_date() {
        let lines: Vec<String> = ["", "Tiêu đề bài", "Chủ nhật - 13/03/2022 08:50", "Nội dung"]
            .map(String::from)
            .into();
        let (skip, date) = strip_head(&lines, &Some("Tiêu đề bài".into()));
        assert_eq!(skip, 3);
        assert_eq!(date, NaiveDate::from_ymd_opt(2022, 3, 13));
    }
}
