//! Site chrome: the trailing blocks news portals put under an article
//! ("Gửi cho bạn bè", "Các tin khác", rating widgets, visitor counters,
//! link lists), the class and id names that mark menus and sidebars, and
//! the line tidying shared by the `.txt` and HTML paths.
//!
//! The trailing cut works on lines, so the same rules serve a page saved
//! as text and the text rendered from HTML. A marker only cuts when it sits
//! in the tail: nothing after it may look like article prose (see
//! [`chrome_start`]), so a directive that happens to contain a line "Liên
//! kết" keeps it.
use std::sync::LazyLock;

use regex::Regex;

/// Lines that never belong to an article when they stand alone: share and
/// feedback widgets, "other news" lists, rating and visitor counters.
const STRONG_MARKERS: &[&str] = &[
    "gửi cho bạn bè",
    "gửi bạn bè",
    "thông tin người gửi phản hồi",
    "gửi phản hồi",
    "ý kiến phản hồi",
    "ý kiến bạn đọc",
    "viết bình luận",
    "gửi bình luận",
    "các tin khác",
    "các tin đã đưa",
    "các tin đã đăng",
    "tin khác",
    "các bài viết khác",
    "bài viết khác",
    "tin cùng chuyên mục",
    "tin cùng chủ đề",
    "tin liên quan",
    "các tin liên quan",
    "bài viết liên quan",
    "những tin mới hơn",
    "những tin cũ hơn",
    "tin mới hơn",
    "tin cũ hơn",
    "tin mới nhất",
    "tin mới",
    "xem nhiều nhất",
    "đọc nhiều nhất",
    "tin xem nhiều",
    "tin đọc nhiều",
    "click để đánh giá bài viết",
    "đánh giá bài viết",
    "thống kê truy cập",
    "in bài viết",
    "chia sẻ bài viết",
    "lên đầu trang",
    "về đầu trang",
];

/// Prefixes of chrome lines that carry a value after the label (counters,
/// ratings, tag lists, the NukeViet session notice).
const STRONG_PREFIXES: &[&str] = &[
    "tổng số điểm của bài viết là",
    "click để đánh giá",
    "thống kê truy cập",
    "đang truy cập",
    "đang trực tuyến",
    "tổng lượt truy cập",
    "lượt truy cập",
    "số lượt truy cập",
    "bạn đã không sử dụng site",
    "bản quyền thuộc về",
    "bản quyền ©",
    "copyright ©",
    "ghi rõ nguồn",
    "từ khóa:",
    "từ khoá:",
    "tags:",
    "tag:",
    "lượt xem",
    "số lượt xem",
    "lượt đọc",
];

/// Short labels that are chrome at the end of a page but could be a
/// heading inside a document; they only cut in the page's tail.
const WEAK_MARKERS: &[&str] = &[
    "phản hồi",
    "bình luận",
    "liên kết",
    "liên kết website",
    "chia sẻ",
    "chia sẻ:",
    "bản in",
    "in",
    "gửi",
    "email",
    "facebook",
    "twitter",
    "zalo",
    "quay lại",
    "trở về",
    "trở lại",
    "đầu trang",
    "xem thêm",
];

/// A line this long is prose (a paragraph of the article), not chrome.
const PROSE_LINE_CHARS: usize = 150;
/// Chrome lines with a prefix marker are short; longer lines are prose that
/// happens to begin with the same words.
const MAX_PREFIX_LINE_CHARS: usize = 200;
/// A breadcrumb line is short, and so are its parts.
const MAX_CRUMB_CHARS: usize = 160;
const MAX_CRUMB_PART_CHARS: usize = 50;
/// A weak marker must be among the last this many non-blank lines.
const WEAK_TAIL_LINES: usize = 15;

/// Class and id tokens that always mark chrome: navigation, sidebars,
/// comments, advertising (after readability's "unlikely candidates").
static CHROME_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[\s_\-])(?:nav|navbar|navigation|menu\w*|\w*menu|footer\w*|",
        r"sidebar\w*|breadcrumbs?|comments?|binhluan|banner\w*|ads?|advert\w*|",
        r"quangcao|qc|sponsor\w*|widget\w*|popup|modal|cookie\w*|login|",
        r"pagination|pager|shoutbox|disqus|skyscraper)(?:$|[\s_\-])",
    ))
    .expect("static regex")
});

/// Class and id tokens that usually mark chrome, unless the same name also
/// says content ("article-header", "news-content tools" stay).
static MAYBE_CHROME_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[\s_\-])(?:share|sharing|social\w*|related\w*|tags?|keywords?|",
        r"rating|vote|counter|thongke|statistic\w*|search\w*|othernews|",
        r"other|tinkhac|lienquan|xemnhieu|mostview\w*|toolbar|tools?|print|",
        r"sendmail|header|topbar|copyright|rss)(?:$|[\s_\-])",
    ))
    .expect("static regex")
});

/// Names that say content.
static CONTENT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    // "doc-header" is a directive's own header table (số, ngày, cơ quan
    // ban hành), not the site's: issue 10.
    Regex::new(r"(?i)article|body|column|content|detail|chitiet|noidung|entry|(?:^|[\s_\-])doc(?:$|[\s_\-])|vanban|van-ban|sapo|lead")
        .expect("static regex")
});

/// Whether an element with this class and id is site chrome.
pub(crate) fn is_boilerplate_name(class: Option<&str>, id: Option<&str>) -> bool {
    let name = match (class, id) {
        (None, None) => return false,
        (Some(c), None) => c.to_owned(),
        (None, Some(i)) => i.to_owned(),
        (Some(c), Some(i)) => format!("{c} {i}"),
    };
    CHROME_NAME.is_match(&name)
        || (MAYBE_CHROME_NAME.is_match(&name) && !CONTENT_NAME.is_match(&name))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Marker {
    None,
    Weak,
    Strong,
}

fn marker(line: &str) -> Marker {
    let t = line
        .trim()
        .trim_start_matches(['•', '·', '-', '*', '»', '|'])
        .trim();
    // Bytes, not chars: a cheap bound before lowercasing long prose lines.
    if t.is_empty() || t.len() > 4 * MAX_PREFIX_LINE_CHARS {
        return Marker::None;
    }
    let lower = t.to_lowercase();
    let bare = lower.trim_end_matches([':', '»', '›', '.', '…']).trim_end();
    if STRONG_MARKERS.contains(&bare) {
        return Marker::Strong;
    }
    if lower.chars().count() <= MAX_PREFIX_LINE_CHARS
        && STRONG_PREFIXES.iter().any(|p| lower.starts_with(p))
    {
        return Marker::Strong;
    }
    if WEAK_MARKERS.contains(&bare) || WEAK_MARKERS.contains(&lower.as_str()) {
        return Marker::Weak;
    }
    // A breadcrumb: "Trang chủ » Tin tức » Hoạt động".
    if t.contains(['»', '›']) && t.chars().count() <= MAX_CRUMB_CHARS {
        let parts: Vec<&str> = t.split(['»', '›']).map(str::trim).collect();
        if parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().count() <= MAX_CRUMB_PART_CHARS)
        {
            return Marker::Strong;
        }
    }
    // A toolbar on one line: "In bài viết | Gửi cho bạn bè | Lượt xem: 12".
    if t.contains(['|', '•', '·']) {
        let parts: Vec<&str> = t
            .split(['|', '•', '·'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.contains(['|', '•', '·']) && marker(p) != Marker::None)
        {
            return Marker::Strong;
        }
    }
    Marker::None
}

fn is_prose(line: &str) -> bool {
    line.trim().chars().count() >= PROSE_LINE_CHARS
}

/// Index of the first line of trailing chrome, or `lines.len()` if there is
/// none. A strong marker cuts when the prose after it is less than the
/// prose before it; a weak marker cuts only when nothing after it is prose
/// and it is among the last [`WEAK_TAIL_LINES`] non-blank lines.
pub(crate) fn chrome_start<S: AsRef<str>>(lines: &[S]) -> usize {
    let lines: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    let n = lines.len();
    // prose_after[i]: prose characters in lines[i..].
    let mut prose_after = vec![0usize; n + 1];
    let mut nonblank_after = vec![0usize; n + 1];
    for i in (0..n).rev() {
        // A long chrome line (a copyright footer) is not prose.
        let len = if is_prose(lines[i]) && marker(lines[i]) == Marker::None {
            lines[i].chars().count()
        } else {
            0
        };
        prose_after[i] = prose_after[i + 1] + len;
        nonblank_after[i] = nonblank_after[i + 1] + usize::from(!lines[i].trim().is_empty());
    }
    let total = prose_after[0];
    // All characters, for pages of short lines only (a directive set line
    // by line has no "prose"): there a marker cuts only when what follows
    // it is not much more than what precedes it, so a toolbar under the
    // title does not take the text with it (issue 10).
    let mut chars_after = vec![0usize; n + 1];
    for i in (0..n).rev() {
        chars_after[i] = chars_after[i + 1] + lines[i].trim().chars().count();
    }
    for (i, line) in lines.iter().enumerate() {
        match marker(line) {
            Marker::Strong => {
                let before = total - prose_after[i];
                let chars_before = chars_after[0] - chars_after[i];
                if prose_after[i + 1] <= before
                    && (before > 0 || chars_before * 2 >= chars_after[i + 1])
                {
                    return i;
                }
            }
            Marker::Weak => {
                if prose_after[i + 1] == 0 && nonblank_after[i] <= WEAK_TAIL_LINES {
                    return i;
                }
            }
            Marker::None => {}
        }
    }
    n
}

/// Whether a line is a chrome marker of any strength (used to skip chrome
/// before a `.txt` page's title).
pub(crate) fn is_marker(line: &str) -> bool {
    marker(line) != Marker::None
}

/// Joins lines into a body: trailing whitespace trimmed (all of it with
/// `trim_start` too when `trim_start`), runs of blank lines collapsed to
/// one, no blank lines at either end.
pub(crate) fn join_lines<S: AsRef<str>>(lines: &[S], trim_start: bool) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    for line in lines {
        let line = line.as_ref().trim_end();
        let line = if trim_start { line.trim_start() } else { line };
        if line.trim().is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(marker("Gửi cho bạn bè"), Marker::Strong);
        assert_eq!(marker("  CÁC TIN KHÁC  "), Marker::Strong);
        assert_eq!(marker("Xem nhiều nhất:"), Marker::Strong);
        assert_eq!(
            marker("Tổng số điểm của bài viết là: 0 trong 0 đánh giá"),
            Marker::Strong
        );
        assert_eq!(marker("  • Đang truy cập8"), Marker::Strong);
        assert_eq!(marker("Phản hồi"), Marker::Weak);
        assert_eq!(marker("Liên kết"), Marker::Weak);
        assert_eq!(
            marker("Phản hồi của Chính phủ về kiến nghị cử tri"),
            Marker::None
        );
        assert_eq!(marker("Điều 1. Phạm vi điều chỉnh"), Marker::None);
        assert_eq!(
            marker("In bài viết | Gửi cho bạn bè | Lượt xem: 3449"),
            Marker::Strong
        );
        assert_eq!(marker("Hà Nội | Tân Lập"), Marker::None);
        assert_eq!(
            marker("Trang chủ » Tin tức - Sự kiện » Hoạt động"),
            Marker::Strong
        );
    }

    #[test]
    fn cut_keeps_body_and_drops_tail() {
        let long = "Nội dung ".repeat(30);
        let lines = [
            long.as_str(),
            "",
            "Nguồn tin: BDVTU",
            "",
            "Gửi cho bạn bè",
            "Các tin khác",
            "Tin A",
            "Tin B",
        ];
        assert_eq!(chrome_start(&lines), 4);
        // A marker followed by more prose than precedes it is not the tail.
        let lines = ["Các tin khác", long.as_str(), long.as_str()];
        assert_eq!(chrome_start(&lines), 3);
        // A toolbar under the title of a text of short lines stays out of
        // the cut (issue 10).
        let lines = [
            "Tiêu đề",
            "Lượt xem: 12",
            "Dòng một của văn bản.",
            "Dòng hai của văn bản.",
            "Dòng ba.",
        ];
        assert_eq!(chrome_start(&lines), 5);
        // A weak marker in the middle of a document stays.
        let lines = ["Liên kết", long.as_str(), "Phản hồi"];
        assert_eq!(chrome_start(&lines), 2);
        assert_eq!(chrome_start::<&str>(&[]), 0);
    }

    #[test]
    fn join_collapses_blank_runs() {
        let lines = ["", " a  ", "\u{a0}", "", "", "b", "", ""];
        assert_eq!(join_lines(&lines, false), " a\n\nb");
        assert_eq!(join_lines(&lines, true), "a\n\nb");
    }

    #[test]
    fn boilerplate_names() {
        assert!(is_boilerplate_name(Some("main-menu"), None));
        assert!(is_boilerplate_name(None, Some("footer")));
        assert!(is_boilerplate_name(Some("box sidebar-right"), None));
        assert!(is_boilerplate_name(Some("breadcrumb"), None));
        assert!(is_boilerplate_name(Some("content-menu-top"), None));
        assert!(is_boilerplate_name(Some("social-share"), None));
        assert!(!is_boilerplate_name(Some("article-header"), None));
        // A directive's header table is content (issue 10).
        assert!(!is_boilerplate_name(Some("doc-header"), None));
        assert!(is_boilerplate_name(Some("portal-header"), None));
        assert!(!is_boilerplate_name(Some("news_column panel"), None));
        assert!(!is_boilerplate_name(
            Some("bodytext"),
            Some("news-bodyhtml")
        ));
        assert!(!is_boilerplate_name(Some("MsoNormal"), None));
        assert!(!is_boilerplate_name(Some("canvas"), None));
        assert!(!is_boilerplate_name(None, None));
    }
}
