//! A site generator for the held-out-layout tests (issue 10): the fixture
//! articles rendered with templates that no site profile knows, drawn from
//! a seed. Class names and ids are random, nesting differs, some families
//! lay pages out with tables, none uses semantic tags (`article`, `main`,
//! `nav`, `header`, `footer`, `time`), and every page carries the chrome of
//! Vietnamese portals: menus, breadcrumbs, "Gửi cho bạn bè", "Các tin
//! khác", "Xem nhiều nhất", visitor counters, rating lines, footers. Beside
//! the articles each site has listing, category, tag, search and
//! pagination pages (with teasers), a home page and a contact page.
//!
//! The families are numbered; [`TUNED_FAMILIES`] are the ones the generic
//! extractor was developed against, the others were only run once it was
//! done (held out).
mod articles;
mod chrome;

pub use articles::{Article, articles};
pub use chrome::CHROME;
use chrome::{Names, esc};

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fastrand::Rng;

/// What a generated page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Article `i` of the article list.
    Article(usize),
    /// A listing, category, tag, search, pagination or home page.
    Listing,
    /// A page with little text (contact).
    Other,
}

/// A generated page.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: Kind,
    pub html: String,
}

/// A generated site: path → page.
#[derive(Debug, Clone)]
pub struct Site {
    pub family: u32,
    pub pages: BTreeMap<String, Page>,
}

/// Layout families.
pub const FAMILIES: u32 = 6;
/// Families the extractor was tuned on; the others are held out.
pub const TUNED_FAMILIES: &[u32] = &[0, 1, 2];

struct Tpl {
    family: u32,
    names: Names,
    site_name: String,
    title_style: u8,
    heading: u8,
    date_style: u8,
    body_style: u8,
    lead_apart: bool,
    sidebar_first: bool,
    related_inside: bool,
    toolbar_top: bool,
    og: bool,
    meta_date: bool,
    wrappers: usize,
    menu: Vec<(String, String)>,
}

const SITE_NAMES: &[&str] = &[
    "Ban Dân vận Tỉnh ủy Sơn Giang",
    "Cổng thông tin điện tử Đảng bộ tỉnh Sơn Giang",
    "Trang thông tin Ban Tuyên giáo và Dân vận",
    "Báo điện tử Dân vận Sơn Giang",
    "Huyện ủy Tân Lập",
];

const MENU: &[&str] = &[
    "Trang chủ",
    "Giới thiệu chung",
    "Tin tức - Sự kiện",
    "Văn bản chỉ đạo điều hành",
    "Dân vận khéo",
    "Gương điển hình",
    "Thư viện ảnh",
    "Liên hệ",
];

const WEEKDAYS: &[&str] = &[
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
];

impl Tpl {
    fn new(seed: u64, family: u32) -> Tpl {
        let mut rng = Rng::with_seed(seed);
        let names = Names {
            rng: Rng::with_seed(seed.wrapping_mul(31).wrapping_add(7)),
        };
        let hrefs = [
            "/",
            "/gioi-thieu/",
            "/tin-tuc-su-kien/",
            "/van-ban-chi-dao-dieu-hanh/",
            "/tag/dan-van/",
            "/tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn",
            "/hoat-dong/",
            "/lien-he/",
        ];
        let menu = MENU
            .iter()
            .zip(hrefs)
            .map(|(m, h)| (m.to_string(), h.to_string()))
            .collect();
        Tpl {
            family,
            site_name: SITE_NAMES[rng.usize(..SITE_NAMES.len())].to_string(),
            title_style: rng.u8(..5),
            heading: rng.u8(..6),
            date_style: rng.u8(..6),
            body_style: rng.u8(..3),
            lead_apart: rng.bool(),
            sidebar_first: rng.bool(),
            related_inside: rng.bool(),
            toolbar_top: rng.bool(),
            og: rng.u8(..3) == 0,
            meta_date: rng.u8(..3) == 0,
            wrappers: rng.usize(0..4),
            names,
            menu,
        }
    }

    fn n(&mut self) -> String {
        self.names.attrs()
    }

    fn page_title(&self, head: &str) -> String {
        match self.title_style {
            0 => format!("{head} - {}", self.site_name),
            1 => format!("{} | {head}", self.site_name),
            2 => head.to_string(),
            3 => self.site_name.clone(),
            _ => format!("{head} | {}", self.site_name),
        }
    }

    fn head(&mut self, title: &str, extra: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title>\
             <link rel=\"stylesheet\" href=\"/css/{}.css\"><script>var {} = {{a: 1, b: \"Trang chủ\"}};</script>{extra}</head>",
            esc(&self.page_title(title)),
            self.names.name(),
            self.names.name().replace('-', "_"),
        )
    }

    fn date_text(&mut self, d: (u32, u32, u32)) -> String {
        let (y, m, day) = d;
        let wd = WEEKDAYS[((y + m + day) % 7) as usize];
        match self.date_style {
            0 => format!("{wd}, {day}/{m}/{y}"),
            1 => format!("{day:02}/{m:02}/{y} 08:50"),
            2 => format!("Ngày {day} tháng {m} năm {y}"),
            3 => format!("{wd} - {day:02}/{m:02}/{y} 10:20"),
            4 => format!("Cập nhật lúc 09:15 ngày {day:02}/{m:02}/{y}"),
            _ => format!("Đăng ngày: {day:02}-{m:02}-{y}"),
        }
    }

    fn heading(&mut self, title: &str) -> String {
        let t = esc(title);
        match self.heading {
            0 => format!("<h1{}>{t}</h1>", self.n()),
            1 => format!("<h2{}>{t}</h2>", self.n()),
            2 => format!("<div{}><b>{t}</b></div>", self.n()),
            3 => format!(
                "<div{}><font size=\"4\" color=\"#003399\"><strong>{t}</strong></font></div>",
                self.n()
            ),
            4 => format!(
                "<p{}><span style=\"font-size:18pt;font-weight:bold\">{t}</span></p>",
                self.n()
            ),
            _ => format!("<h3{}>{t}</h3>", self.n()),
        }
    }

    fn paragraphs(&mut self, ps: &[String]) -> String {
        let mut s = String::new();
        match self.body_style {
            0 => {
                for p in ps {
                    let _ = write!(s, "<p{}>{}</p>", self.n(), esc(p));
                }
            }
            1 => {
                for p in ps {
                    let _ = write!(s, "<div{}>{}</div>", self.n(), esc(p));
                }
            }
            _ => {
                let _ = write!(s, "<span{}>", self.n());
                for (i, p) in ps.iter().enumerate() {
                    if i > 0 {
                        s.push_str("<br><br>");
                    }
                    s.push_str(&esc(p));
                }
                s.push_str("</span>");
            }
        }
        s
    }

    /// Wraps `inner` in `n` anonymous containers.
    fn wrap(&mut self, inner: String, n: usize) -> String {
        let mut s = inner;
        for _ in 0..n {
            s = format!("<div{}>{s}</div>", self.n());
        }
        s
    }

    fn sidebar(&mut self, others: &[(String, String)]) -> String {
        let most = self.link_box("Xem nhiều nhất", &others[..others.len().min(5)]);
        let counter = self.counter();
        let poll = format!(
            "<div{}><div>Thăm dò ý kiến</div><div>Bạn biết đến website qua kênh nào?</div><form><input type=radio name=q> Báo chí <input type=radio name=q> Bạn bè <button>Bình chọn</button></form></div>",
            self.n()
        );
        format!("{most}{poll}{counter}")
    }

    /// Puts the main column and the sidebar into the family's frame.
    fn frame(
        &mut self,
        title: &str,
        extra_head: &str,
        main: String,
        others: &[(String, String)],
    ) -> String {
        let head = self.head(title, extra_head);
        let menu = self.menu();
        let footer = self.footer();
        let side = self.sidebar(others);
        let banner = format!(
            "<div{}><img src=\"/logo.png\" alt=\"logo\"><div>{}</div></div>",
            self.n(),
            esc(&self.site_name)
        );
        let body = match self.family {
            // Tables for layout: banner row, menu row, two or three cells.
            1 | 4 => {
                let (l, r) = if self.sidebar_first {
                    (side, main)
                } else {
                    (main, side)
                };
                format!(
                    "<table width=\"100%\"{}><tr><td colspan=2>{banner}</td></tr><tr><td colspan=2>{menu}</td></tr>\
                     <tr><td valign=top{}>{l}</td><td valign=top{}>{r}</td></tr><tr><td colspan=2>{footer}</td></tr></table>",
                    self.n(),
                    self.n(),
                    self.n()
                )
            }
            _ => {
                let cols = if self.sidebar_first {
                    format!("<div{}>{side}</div><div{}>{main}</div>", self.n(), self.n())
                } else {
                    format!("<div{}>{main}</div><div{}>{side}</div>", self.n(), self.n())
                };
                let w = self.wrappers;
                let cols = self.wrap(cols, w);
                format!("{banner}{menu}{cols}{footer}")
            }
        };
        format!("{head}<body>{body}</body></html>")
    }

    fn article(
        &mut self,
        a: &Article,
        date: (u32, u32, u32),
        others: &[(String, String)],
    ) -> String {
        let mut extra = String::new();
        if self.og {
            let _ = write!(
                extra,
                "<meta property=\"og:title\" content=\"{}\">",
                esc(&a.title)
            );
        }
        if self.meta_date {
            let _ = write!(
                extra,
                "<meta property=\"article:published_time\" content=\"{:04}-{:02}-{:02}T08:00:00+07:00\">",
                date.0, date.1, date.2
            );
        }
        let crumb = self.breadcrumb();
        let heading = self.heading(&a.title);
        let date_line = format!("<div{}>{}</div>", self.n(), self.date_text(date));
        let views = 100 + self.names.rng.u32(..5000);
        let toolbar = self.toolbar(views);
        // A lead set apart is a sentence or two (a sapo), never a header line.
        let (lead, rest) = if self.lead_apart
            && a.paragraphs.len() > 1
            && a.paragraphs[0].chars().count() >= 100
        {
            (
                format!(
                    "<div{}><strong>{}</strong></div>",
                    self.n(),
                    esc(&a.paragraphs[0])
                ),
                &a.paragraphs[1..],
            )
        } else {
            (String::new(), &a.paragraphs[..])
        };
        let text = self.paragraphs(rest);
        let body = match self.family {
            // Family 4: the text in a table cell of its own.
            4 => format!("<table{}><tr><td>{text}</td></tr></table>", self.n()),
            _ => format!("<div{}>{text}</div>", self.n()),
        };
        let related = self.link_box("Các tin khác", others);
        let rating = self.rating();
        let top = if self.toolbar_top {
            toolbar.clone()
        } else {
            String::new()
        };
        let bottom = if self.toolbar_top {
            String::new()
        } else {
            toolbar
        };
        let date_first = self.date_style.is_multiple_of(2);
        let (d1, d2) = if date_first {
            (date_line, String::new())
        } else {
            (String::new(), date_line)
        };
        let main = match self.family {
            // Family 2: everything in one container, no inner structure.
            2 | 5 => {
                let tail = if self.related_inside {
                    related
                } else {
                    String::new()
                };
                format!(
                    "<div{}>{crumb}{d1}{heading}{d2}{top}{lead}{body}{bottom}{rating}{tail}</div>",
                    self.n()
                )
            }
            _ => {
                let inner = format!(
                    "<div{}>{d1}{heading}{d2}{top}</div><div{}>{lead}{body}</div>{bottom}{rating}",
                    self.n(),
                    self.n()
                );
                if self.related_inside {
                    format!("{crumb}<div{}>{inner}{related}</div>", self.n())
                } else {
                    format!("{crumb}<div{}>{inner}</div>{related}", self.n())
                }
            }
        };
        self.frame(&a.title, &extra, main, others)
    }

    fn listing(
        &mut self,
        heading: &str,
        items: &[(String, String, String)],
        pages: usize,
        others: &[(String, String)],
    ) -> String {
        let mut list = String::new();
        for (title, href, teaser) in items {
            let item = match self.family % 3 {
                0 => format!(
                    "<div{}><div{}><a href=\"{href}\"><img src=\"/t.jpg\"></a></div><div{}><a href=\"{href}\">{}</a></div><div{}>{}</div><div{}>{}</div></div>",
                    self.n(),
                    self.n(),
                    self.n(),
                    esc(title),
                    self.n(),
                    self.date_text((2022, 3, 12)),
                    self.n(),
                    esc(teaser)
                ),
                1 => format!(
                    "<tr><td><a href=\"{href}\"><b>{}</b></a><br>{}<br><span>{}</span> <a href=\"{href}\">Xem tiếp</a></td></tr>",
                    esc(title),
                    self.date_text((2021, 7, 3)),
                    esc(teaser)
                ),
                _ => format!(
                    "<p{}><a href=\"{href}\">{}</a></p><p{}>{}</p>",
                    self.n(),
                    esc(title),
                    self.n(),
                    esc(teaser)
                ),
            };
            list.push_str(&item);
        }
        if self.family % 3 == 1 {
            list = format!("<table{}>{list}</table>", self.n());
        }
        let mut pager = format!("<div{}>", self.n());
        for p in 1..=pages {
            let _ = write!(pager, "<a href=\"?page={p}\">{p}</a> ");
        }
        pager.push_str("<a href=\"?page=2\">Sau »</a></div>");
        let crumb = self.breadcrumb();
        let h = format!("<div{}>{}</div>", self.n(), esc(heading));
        let main = format!("{crumb}{h}<div{}>{list}</div>{pager}", self.n());
        self.frame(heading, "", main, others)
    }

    fn contact(&mut self, others: &[(String, String)]) -> String {
        let main = format!(
            "<div{}><div>Liên hệ</div><form><div>Họ và tên <input name=n></div><div>Email <input name=e></div><textarea></textarea><button>Gửi</button></form></div>",
            self.n()
        );
        self.frame("Liên hệ", "", main, others)
    }
}

fn teaser(a: &Article) -> String {
    let first = a
        .paragraphs
        .iter()
        .find(|p| p.chars().count() > 60)
        .unwrap_or(&a.paragraphs[0]);
    let t: String = first.chars().take(220).collect();
    format!("{t}…")
}

/// A listing entry: title, link and teaser.
type Item = (String, String, String);

/// The site of `seed`: family `seed % FAMILIES` unless `family` is given.
pub fn site(seed: u64, articles: &[Article]) -> Site {
    let family = (seed % u64::from(FAMILIES)) as u32;
    let mut t = Tpl::new(seed, family);
    let mut pages = BTreeMap::new();
    let hrefs: Vec<String> = (0..articles.len())
        .map(|i| format!("/tin-tuc/bai-{}-{i}.html", seed % 1000))
        .collect();
    let all: Vec<(String, String)> = articles
        .iter()
        .zip(&hrefs)
        .map(|(a, h)| (a.title.clone(), h.clone()))
        .collect();
    for (i, a) in articles.iter().enumerate() {
        let others: Vec<(String, String)> = all
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| x.clone())
            .take(6)
            .collect();
        let date = (
            2016 + (i as u32 % 8),
            1 + (i as u32 % 12),
            1 + (i as u32 * 3 % 28),
        );
        let html = t.article(a, date, &others);
        pages.insert(
            hrefs[i].clone(),
            Page {
                kind: Kind::Article(i),
                html,
            },
        );
    }
    let items: Vec<Item> = articles
        .iter()
        .zip(&hrefs)
        .map(|(a, h)| (a.title.clone(), h.clone(), teaser(a)))
        .collect();
    let half = items.len() / 2;
    let listings: Vec<(String, &str, Vec<Item>)> = vec![
        (
            "/tin-tuc-su-kien/".into(),
            "Tin tức - Sự kiện",
            items.clone(),
        ),
        (
            "/tin-tuc-su-kien/?page=2".into(),
            "Tin tức - Sự kiện",
            items[half..].to_vec(),
        ),
        ("/hoat-dong/".into(), "Hoạt động", items[..half].to_vec()),
        (
            "/tag/dan-van/".into(),
            "Tag: dân vận",
            items.iter().step_by(2).cloned().collect(),
        ),
        (
            "/tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn".into(),
            "Kết quả tìm kiếm: dân vận",
            items.iter().rev().cloned().collect(),
        ),
        (
            "/van-ban-chi-dao-dieu-hanh/".into(),
            "Văn bản chỉ đạo điều hành",
            items.iter().skip(1).step_by(2).cloned().collect(),
        ),
    ];
    for (path, heading, its) in listings {
        let html = t.listing(heading, &its, 3, &all[..6.min(all.len())]);
        pages.insert(
            path,
            Page {
                kind: Kind::Listing,
                html,
            },
        );
    }
    // The home page: boxes of the newest items.
    let home = t.listing(
        &t.site_name.clone(),
        &items[..items.len().min(8)],
        1,
        &all[..6.min(all.len())],
    );
    pages.insert(
        "/".into(),
        Page {
            kind: Kind::Listing,
            html: home,
        },
    );
    let contact = t.contact(&all[..6.min(all.len())]);
    pages.insert(
        "/lien-he/".into(),
        Page {
            kind: Kind::Other,
            html: contact,
        },
    );
    Site { family, pages }
}
