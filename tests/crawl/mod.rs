//! The crawler against an in-process HTTP server on 127.0.0.1 (random
//! port) serving `fixtures/site/` plus scripted paths. No request ever
//! leaves the loopback range: every seed is the test server's own URL and
//! the crawl's scope is its host.
mod faults;
mod layouts;
mod politeness;
mod recrawl;
pub mod server;
mod site;
mod transport;
mod vbpl;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use server::{Handler, Reply, Server};
use vanban::crawl::{self, Config, HttpFetcher, Report};
use vanban::store::Store;
use vanban::store::frontier::State;

use crate::util::{Data, repo};

fn site() -> PathBuf {
    repo("fixtures/site")
}

/// The fixture robots.txt without its Crawl-delay (fast tests); the
/// spacing test serves the real one.
fn fast_robots() -> Handler {
    Arc::new(|req, _| {
        (req.path == "/robots.txt").then(|| Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"User-agent: *\nDisallow: /private/\nSitemap: {{origin}}/sitemap.xml\n".to_vec(),
        })
    })
}

fn config(seeds: &[String]) -> Config {
    let mut c = Config::new(
        seeds
            .iter()
            .map(|s| crawl::url::parse(s).expect("seed URL"))
            .collect(),
    );
    c.delay = Duration::from_millis(0);
    c.timeout = Duration::from_secs(5);
    c.backoff_base = Duration::from_millis(20);
    c
}

fn run(data: &Data, c: &Config) -> Report {
    let lock = data.dd.lock(false, |_| {}).unwrap();
    let fetcher = HttpFetcher::new(&c.user_agent, c.timeout).unwrap();
    crawl::run(&data.dd, &lock, c, fetcher, &mut |_| {}).unwrap()
}

fn store(data: &Data) -> Store {
    Store::open(&data.dd.store_path()).unwrap()
}

/// (path, title, date, a phrase of its text)
const ARTICLES: &[(&str, &str, &str, &str)] = &[
    (
        "/tin-tuc/chi-thi-05-ct-tw-1001.html",
        "Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng Hồ Chí Minh",
        "2016-05-15",
        "đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "/tin-tuc/ket-luan-114-kl-tw-1002.html",
        "Kết luận số 114-KL/TW về nâng cao hiệu quả công tác dân vận",
        "2015-07-14",
        "cơ quan nhà nước, chính quyền các cấp",
    ),
    (
        "/tin-tuc/nghi-quyet-25-nq-tw-1004.html",
        "Nghị quyết số 25-NQ/TW về tăng cường công tác dân vận của Đảng",
        "2013-06-03",
        "củng cố vững chắc lòng tin",
    ),
    (
        "/tin-tuc/quy-che-dan-van-1003.html",
        "Quy chế công tác dân vận của hệ thống chính trị",
        "2018-02-20",
        "chỉ tìm thấy qua sơ đồ trang",
    ),
    (
        "/index.php/vi/news/chi-dao/quyet-dinh-99-qd-tw-2001/",
        "Quyết định số 99-QĐ/TW về khung nội dung công tác dân vận",
        "2022-05-30",
        "trong các cơ quan, đơn vị",
    ),
    (
        "/index.php/vi/news/chi-dao/huong-dan-12-hd-bdvtw-2002/",
        "Hướng dẫn số 12-HD/BDVTW về phong trào thi đua dân vận khéo",
        "2021-03-10",
        "triển khai phong trào thi đua",
    ),
    (
        "/legacy/chi-thi-49-cp1258.html",
        "Chỉ thị số 49-CT/TW về xây dựng gia đình thời kỳ công nghiệp hóa",
        "2005-02-21",
        "gia đình no ấm, tiến bộ, hạnh phúc",
    ),
    (
        "/legacy/thong-bao-160-tcvn3.html",
        "Thông báo số 160-TB/TW về công tác dân vận",
        "2008-03-12",
        "phông chữ ABC theo bảng mã TCVN3",
    ),
    (
        "/legacy/chi-thi-07-vni.html",
        "Chỉ thị số 07-CT/TW về công tác dân vận vùng đồng bào dân tộc",
        "2001-10-01",
        "vùng đồng bào dân tộc thiểu số",
    ),
];

fn tiny_site(
    extra: impl Fn(&server::Req, usize) -> Option<Reply> + Send + Sync + 'static,
) -> Handler {
    Arc::new(move |req, n| {
        if let Some(r) = extra(req, n) {
            return Some(r);
        }
        match req.path.as_str() {
            "/robots.txt" => Some(Reply::status(404)),
            "/sitemap.xml" => Some(Reply::status(404)),
            _ => None,
        }
    })
}

fn vanban(data_dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.arg("--data-dir").arg(data_dir).arg("crawl").args(args);
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// Pages stored so far, read without disturbing the running writer.
fn stored_count(dir: &std::path::Path) -> usize {
    let p = dir.join("store.sqlite");
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(&p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row(
        "SELECT COUNT(DISTINCT url) FROM pages WHERE kind = 'page' AND status = 200",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as usize)
    .unwrap_or(0)
}

/// A transport that answers from memory: the crawl logic runs unchanged.
struct MemoryFetcher {
    seen: Mutex<Vec<String>>,
}

impl crawl::Fetch for MemoryFetcher {
    async fn fetch(&self, req: &crawl::FetchRequest) -> Result<crawl::FetchedPage, crawl::Error> {
        self.seen.lock().unwrap().push(req.url.to_string());
        let (status, body): (u16, &[u8]) = match req.url.path() {
            "/" => (
                200,
                b"<a href=/a>a</a> <a href=/b>b</a> <a href=/a?utm_source=x>again</a>",
            ),
            "/a" | "/b" => (200, b"<p>page</p>"),
            _ => (404, b""),
        };
        Ok(crawl::FetchedPage {
            url: req.url.clone(),
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            fetched_at: 0,
            body: body.to_vec(),
            body_skipped: false,
        })
    }
}

/// A scripted in-memory transport: `(url) -> (status, headers, body)`.
struct Scripted<F>(F, Mutex<Vec<String>>);

impl<F> crawl::Fetch for Scripted<F>
where
    F: Fn(&str) -> (u16, Vec<(String, String)>, Vec<u8>) + Send + Sync + 'static,
{
    async fn fetch(&self, req: &crawl::FetchRequest) -> Result<crawl::FetchedPage, crawl::Error> {
        self.1.lock().unwrap().push(req.url.to_string());
        let (status, headers, body) = (self.0)(req.url.as_str());
        Ok(crawl::FetchedPage {
            url: req.url.clone(),
            status,
            headers,
            fetched_at: 0,
            body,
            body_skipped: false,
        })
    }
}
