//! The chrome of the generated pages: random class names, menus,
//! breadcrumbs, toolbars, link boxes, ratings, counters and footers.
use std::fmt::Write as _;

use fastrand::Rng;

use super::Tpl;

/// Strings of the generated chrome that must never reach an indexed body.
pub const CHROME: &[&str] = &[
    "Gửi cho bạn bè",
    "Các tin khác",
    "Xem nhiều nhất",
    "Đang truy cập",
    "Tổng lượt truy cập",
    "Tổng số điểm của bài viết",
    "Click để đánh giá",
    "Giới thiệu chung",
    "Văn bản chỉ đạo điều hành",
    "Ghi rõ nguồn",
    "Lượt xem",
    "In bài viết",
    "Bản quyền thuộc về",
];

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Random names: letters and digits, sometimes a word that says nothing.
pub(super) struct Names {
    pub(super) rng: Rng,
}

impl Names {
    pub(super) fn name(&mut self) -> String {
        const NEUTRAL: &[&str] = &[
            "box", "wrap", "col", "khung", "o", "blk", "x", "pn", "ct", "row", "cell", "kv", "vung",
        ];
        let rng = &mut self.rng;
        let letters = "abcdefghijklmnopqrstuvwxyz";
        let mut s = String::new();
        if rng.bool() {
            s.push_str(NEUTRAL[rng.usize(..NEUTRAL.len())]);
            s.push(['-', '_'][rng.usize(..2)]);
        }
        for _ in 0..rng.usize(3..7) {
            let i = rng.usize(..letters.len());
            s.push_str(&letters[i..=i]);
        }
        if rng.bool() {
            let _ = write!(s, "{}", rng.u32(..100));
        }
        s
    }

    pub(super) fn attrs(&mut self) -> String {
        match self.rng.u8(..4) {
            0 => String::new(),
            1 => format!(" class=\"{}\"", self.name()),
            2 => format!(" id=\"{}\"", self.name()),
            _ => format!(
                " class=\"{} {}\" id=\"{}\"",
                self.name(),
                self.name(),
                self.name()
            ),
        }
    }
}

impl Tpl {
    pub(super) fn menu(&mut self) -> String {
        let a = self.n();
        let mut s = format!("<div{a}><ul{}>", self.n());
        let items = self.menu.clone();
        for (label, href) in items {
            let _ = write!(s, "<li><a href=\"{href}\">{}</a></li>", esc(&label));
        }
        s.push_str("</ul></div>");
        s
    }

    pub(super) fn breadcrumb(&mut self) -> String {
        format!(
            "<div{}><a href=\"/\">Trang chủ</a> » <a href=\"/tin-tuc-su-kien/\">Tin tức - Sự kiện</a> » <a href=\"/hoat-dong/\">Hoạt động</a></div>",
            self.n()
        )
    }

    pub(super) fn toolbar(&mut self, views: u32) -> String {
        match self.names.rng.u8(..3) {
            0 => format!(
                "<div{}><a href=\"/print/1\">In bài viết</a> | <a href=\"/sendmail/1\">Gửi cho bạn bè</a> | Lượt xem: {views}</div>",
                self.n()
            ),
            1 => format!(
                "<table{}><tr><td><img src=\"/i/print.gif\"> <a href=\"/print/1\">In bài viết</a></td><td><a href=\"/sendmail/1\">Gửi cho bạn bè</a></td><td>Lượt xem: {views}</td></tr></table>",
                self.n()
            ),
            _ => format!(
                "<div{}><span>Lượt xem: {views}</span><span><a href=\"/sendmail/1\">Gửi cho bạn bè</a></span></div>",
                self.n()
            ),
        }
    }

    pub(super) fn link_box(&mut self, label: &str, items: &[(String, String)]) -> String {
        let head = match self.names.rng.u8(..3) {
            0 => format!("<div{}><b>{label}</b></div>", self.n()),
            1 => format!("<h3{}>{label}</h3>", self.n()),
            _ => format!("<div{}>{label}</div>", self.n()),
        };
        let mut s = format!("<div{}>{head}<ul{}>", self.n(), self.n());
        for (t, href) in items {
            let _ = write!(
                s,
                "<li><a href=\"{href}\">{}</a> <span>(12/03/2022)</span></li>",
                esc(t)
            );
        }
        s.push_str("</ul></div>");
        s
    }

    pub(super) fn rating(&mut self) -> String {
        format!(
            "<div{}><div>Tổng số điểm của bài viết là: 15 trong 3 đánh giá</div><div>Click để đánh giá bài viết</div></div>",
            self.n()
        )
    }

    pub(super) fn counter(&mut self) -> String {
        format!(
            "<div{}><div>Thống kê</div><ul><li>Đang truy cập: 12</li><li>Hôm nay: 2.004</li><li>Tổng lượt truy cập: 2.345.678</li></ul></div>",
            self.n()
        )
    }

    pub(super) fn footer(&mut self) -> String {
        format!(
            "<div{}><p>Bản quyền thuộc về {}. Địa chỉ: số 12 đường Trần Hưng Đạo, thành phố Vĩnh Sơn, tỉnh Sơn Giang. Điện thoại: 0203.3825.123. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></div>",
            self.n(),
            esc(&self.site_name)
        )
    }
}
