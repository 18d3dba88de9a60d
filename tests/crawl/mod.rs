//! The crawler against an in-process HTTP server on 127.0.0.1 (random
//! port) serving `fixtures/site/` plus scripted paths. No request ever
//! leaves the loopback range: every seed is the test server's own URL and
//! the crawl's scope is its host.
mod layouts;
pub mod server;

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

// The acceptance crawl: every allowed article of both layouts (and the
// legacy-encoded ones) searchable with its title, date and text; robots
// and skip rules obeyed; duplicates merged; attachments recorded.
#[test]
fn fixture_site_ends_up_searchable() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let paths = srv.paths();
    for (path, title, date, phrase) in ARTICLES {
        assert!(paths.iter().any(|p| p == path), "{path} was not fetched");
        let resp = data.search(&format!("\"{phrase}\""));
        let hit = resp
            .hits
            .iter()
            .find(|h| h.source == srv.url(path))
            .unwrap_or_else(|| {
                panic!(
                    "{path}: no hit for {phrase:?}: {:?}",
                    resp.hits.iter().map(|h| &h.source).collect::<Vec<_>>()
                )
            });
        assert_eq!(hit.title, *title, "{path}");
        assert_eq!(
            hit.published.map(|d| d.to_string()).as_deref(),
            Some(*date),
            "{path}"
        );
    }
    // Disallowed, skipped and attachment URLs are never requested.
    for p in &paths {
        assert!(!p.starts_with("/private/"), "disallowed {p} requested");
        assert!(
            !p.contains("/print/") && !p.contains("/sendmail/") && !p.contains("/rss/"),
            "skipped link {p} requested"
        );
        assert!(
            !p.contains("in-bai-viet") && !p.contains("gui-email"),
            "skipped link {p} requested"
        );
        assert!(
            !p.ends_with(".pdf") && !p.ends_with(".docx"),
            "attachment {p} fetched without --attachments"
        );
        assert!(!p.contains("utm_"), "tracking parameters kept: {p}");
    }
    // One request per URL: the utm_ link and the canonical one are one.
    let mut sorted = paths.clone();
    sorted.sort();
    let before = sorted.len();
    sorted.dedup();
    assert_eq!(before, sorted.len(), "a URL was requested twice: {paths:?}");
    assert!(srv.requests().iter().all(|r| {
        r.header("user-agent")
            .is_some_and(|ua| ua.contains("vanban"))
    }));
    // The same article under two URLs: both fetched and stored, one document.
    let st = store(&data);
    let alias = srv.url("/bai-viet/1001");
    assert!(st.stored_page_urls().unwrap().contains(&alias));
    let resp = data.search("\"đạo đức, phong cách Hồ Chí Minh\"");
    let same: Vec<_> = resp
        .hits
        .iter()
        .filter(|h| h.title == ARTICLES[0].1)
        .map(|h| &h.source)
        .collect();
    assert_eq!(same, [&srv.url(ARTICLES[0].0)], "duplicate not merged");
    // Listing pages are not documents.
    assert!(
        data.search("\"Tin tức\"")
            .hits
            .iter()
            .all(|h| !h.source.ends_with("/tin-tuc/"))
    );
    // Attachments recorded against their pages.
    let atts = st
        .attachments_of(&srv.url("/tin-tuc/chi-thi-05-ct-tw-1001.html"))
        .unwrap();
    assert_eq!(
        atts,
        vec![(
            srv.url("/files/ct05-ct-tw.pdf"),
            "Chỉ thị 05 (PDF)".to_string()
        )]
    );
    let atts = st
        .attachments_of(&srv.url("/index.php/vi/news/chi-dao/quyet-dinh-99-qd-tw-2001/"))
        .unwrap();
    assert_eq!(atts.len(), 1);
    // TCVN3 capitals font: the .VnTimeH heading reads as capitals.
    assert!(data.search("\"BAN CHẤP HÀNH TRUNG ƯƠNG\"").total >= 1);
    // A second crawl within a day requests nothing but robots.txt (reused
    // from the store) – nothing, in fact.
    let n = srv.requests().len();
    let again = run(&data, &config(&[srv.url("/")]));
    assert_eq!(again.fetched, 0);
    assert_eq!(srv.requests().len(), n, "stored pages requested again");
}

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

// robots.txt Crawl-delay spaces requests to one host (server-side
// timestamps), the larger of it and --delay-ms.
#[test]
fn crawl_delay_spaces_requests() {
    let handler: Handler = Arc::new(|req, _| match req.path.as_str() {
        "/robots.txt" => Some(
            Reply::html("User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n")
                .with_header("Content-Type", "text/plain"),
        ),
        "/" => Some(Reply::html("<a href=/a>a</a> <a href=/private/x>x</a>")),
        "/a" => Some(Reply::html("<p>a</p>")),
        "/sitemap.xml" => Some(Reply::status(404)),
        _ => Some(Reply::status(404)),
    });
    let srv = Server::start("127.0.0.1", None, handler);
    let data = Data::new();
    let mut c = config(&[srv.url("/")]);
    c.delay = Duration::from_millis(200);
    let report = run(&data, &c);
    let reqs = srv.requests();
    assert_eq!(report.failed, 0);
    assert!(reqs.iter().all(|r| !r.path.starts_with("/private/")));
    assert!(reqs.len() >= 3, "{:?}", srv.paths());
    for w in reqs.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(990),
            "{} then {} only {gap:?} apart",
            w[0].path,
            w[1].path
        );
    }
}

// --delay-ms spaces requests when robots.txt has no Crawl-delay; one
// request in flight per host.
#[test]
fn delay_ms_spaces_requests() {
    let srv = Server::start(
        "127.0.0.1",
        None,
        tiny_site(|req, _| match req.path.as_str() {
            "/" => Some(Reply::html(
                "<a href=/a>a</a><a href=/b>b</a><a href=/c>c</a>",
            )),
            "/a" | "/b" | "/c" => Some(Reply::html("<p>x</p>")),
            _ => None,
        }),
    );
    let data = Data::new();
    let mut c = config(&[srv.url("/")]);
    c.delay = Duration::from_millis(300);
    run(&data, &c);
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 6, "{:?}", srv.paths());
    for w in reqs.windows(2) {
        assert!(w[1].at.duration_since(w[0].at) >= Duration::from_millis(295));
    }
}

// A page that answers 500 twice then 200 is stored; 429 with
// Retry-After is honoured before the next request to that host.
#[test]
fn retries_and_retry_after() {
    let srv = Server::start(
        "127.0.0.1",
        None,
        tiny_site(|req, n| match (req.path.as_str(), n) {
            ("/", _) => Some(Reply::html("<a href=/flaky>f</a> <a href=/busy>b</a>")),
            ("/flaky", 0 | 1) => Some(Reply::status(500)),
            ("/flaky", _) => Some(Reply::html("<p>flaky ok</p>")),
            ("/busy", 0) => Some(Reply::status(429).with_header("Retry-After", "2")),
            ("/busy", _) => Some(Reply::html("<p>busy ok</p>")),
            _ => None,
        }),
    );
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let st = store(&data);
    for p in ["/flaky", "/busy"] {
        let row = st
            .latest_page(&srv.url(p), vanban::store::pages::PageKind::Page)
            .unwrap()
            .unwrap();
        assert_eq!(row.status, Some(200), "{p}");
        assert!(row.body.unwrap().ends_with(b"ok</p>"));
    }
    let reqs = srv.requests();
    assert_eq!(reqs.iter().filter(|r| r.path == "/flaky").count(), 3);
    let busy: Vec<_> = reqs.iter().filter(|r| r.path == "/busy").collect();
    assert_eq!(busy.len(), 2);
    let i = reqs.iter().position(|r| r.path == "/busy").unwrap();
    if let Some(next) = reqs.get(i + 1) {
        assert!(
            next.at.duration_since(busy[0].at) >= Duration::from_millis(1990),
            "Retry-After not honoured"
        );
    }
}

// A redirect loop, a 20 MB body, a slow drip, a connection reset and
// redirects off the crawl are each recorded as failures with their
// reason; the crawl goes on and stores the good page.
#[test]
fn failures_are_recorded_and_the_crawl_goes_on() {
    let other = Server::start(
        "127.0.0.2",
        None,
        Arc::new(|_, _| Some(Reply::html("<p>other</p>"))),
    );
    let other_url = other.url("/");
    let srv = Server::start(
        "127.0.0.1",
        None,
        tiny_site(move |req, _| match req.path.as_str() {
            "/" => Some(Reply::html(
                "<a href=/loop/a>l</a><a href=/huge>h</a><a href=/slow>s</a><a href=/reset>r</a>\
                 <a href=/off>o</a><a href=/ftp>f</a><a href=/ok>ok</a><a href=/missing>m</a>",
            )),
            "/loop/a" => Some(Reply::redirect(302, "/loop/b")),
            "/loop/b" => Some(Reply::redirect(301, "/loop/a")),
            "/huge" => Some(Reply::Huge {
                size: 20 * 1024 * 1024,
            }),
            "/slow" => Some(Reply::Drip {
                interval: Duration::from_millis(200),
                chunks: 40,
                chunk: b"<p>.</p>".to_vec(),
            }),
            "/reset" => Some(Reply::Reset),
            "/off" => Some(Reply::redirect(302, &other_url)),
            "/ftp" => Some(Reply::redirect(302, "ftp://127.0.0.1/file")),
            "/ok" => Some(Reply::html("<p>fine</p>")),
            _ => None,
        }),
    );
    let data = Data::new();
    let mut c = config(&[srv.url("/")]);
    c.timeout = Duration::from_secs(1);
    let report = run(&data, &c);
    let st = store(&data);
    let reason = |p: &str| {
        let e = st.frontier_entry(&srv.url(p)).unwrap().unwrap();
        assert_eq!(e.state, State::Failed, "{p}");
        e.error.unwrap_or_default()
    };
    assert!(
        reason("/loop/a").contains("too many redirects"),
        "{}",
        reason("/loop/a")
    );
    assert!(reason("/huge").contains("too large"), "{}", reason("/huge"));
    assert!(reason("/slow").contains("timed out"), "{}", reason("/slow"));
    assert!(
        reason("/reset").contains("connection"),
        "{}",
        reason("/reset")
    );
    assert!(
        reason("/off").contains("outside the crawl"),
        "{}",
        reason("/off")
    );
    assert!(reason("/ftp").contains("not http"), "{}", reason("/ftp"));
    assert!(reason("/missing").contains("404"));
    assert_eq!(report.failed, 7, "{:?}", report.failures);
    assert_eq!(
        st.frontier_entry(&srv.url("/ok")).unwrap().unwrap().state,
        State::Done
    );
    // The failed fetch is stored with its reason, nothing indexed for it.
    let row = st
        .latest_page(&srv.url("/huge"), vanban::store::pages::PageKind::Page)
        .unwrap()
        .unwrap();
    assert!(row.error.unwrap().contains("too large") && row.body.is_none());
    let reqs = srv.paths();
    assert_eq!(
        reqs.iter().filter(|p| *p == "/slow").count(),
        2,
        "a timeout is retried once"
    );
    assert_eq!(
        reqs.iter().filter(|p| *p == "/reset").count(),
        4,
        "connection errors: 3 retries"
    );
    assert!(reqs.iter().filter(|p| p.starts_with("/loop/")).count() <= 6);
    assert!(
        other.requests().is_empty(),
        "a redirect left the crawl's hosts"
    );
}

// Recrawl: conditional requests; 304 and unchanged pages are not
// reindexed; a page that now answers 410 leaves the index, its history
// stays in the store.
#[test]
fn recrawl_is_conditional_and_removes_gone_pages() {
    let gone = Arc::new(AtomicBool::new(false));
    let g = gone.clone();
    let srv = Server::start(
        "127.0.0.1",
        Some(site()),
        tiny_site(move |req, _| {
            (g.load(Ordering::SeqCst) && req.path == "/tin-tuc/ket-luan-114-kl-tw-1002.html")
                .then(|| Reply::status(410))
        }),
    );
    let data = Data::new();
    let seeds = [srv.url("/tin-tuc/")];
    let mut c = config(&seeds);
    c.max_depth = Some(1);
    let first = run(&data, &c);
    assert!(first.pages.indexed >= 2, "{first:?}");
    let has_kl114 = |data: &Data| {
        data.search("\"cơ quan nhà nước, chính quyền các cấp\"")
            .hits
            .iter()
            .any(|h| h.source.ends_with("/ket-luan-114-kl-tw-1002.html"))
    };
    assert!(has_kl114(&data));
    c.recrawl_after = Duration::ZERO;
    let n = srv.requests().len();
    let second = run(&data, &c);
    let later: Vec<_> = srv.requests().into_iter().skip(n).collect();
    assert!(
        later
            .iter()
            .filter(|r| r.path != "/robots.txt")
            .all(|r| r.header("if-none-match").is_some()),
        "not conditional"
    );
    assert_eq!(second.not_modified, second.fetched, "{second:?}");
    assert_eq!(second.pages.indexed, 0);
    gone.store(true, Ordering::SeqCst);
    let third = run(&data, &c);
    assert_eq!(third.gone, 1, "{third:?}");
    assert_eq!(third.pages.removed, 1);
    assert!(!has_kl114(&data));
    let history = store(&data)
        .page_history(&srv.url("/tin-tuc/ket-luan-114-kl-tw-1002.html"))
        .unwrap();
    assert_eq!(
        history.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Some(200), Some(304), Some(410)]
    );
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

// A crawl killed (SIGKILL) mid-way and run again ends with exactly the
// stored set of an uninterrupted crawl, and fetches no stored page twice.
#[test]
fn killed_crawl_resumes_to_the_same_stored_set() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let seed = srv.url("/");
    let args = ["--delay-ms", "150", "--timeout", "5", seed.as_str()];
    let whole = tempfile::tempdir().unwrap();
    let status = vanban(whole.path(), &args).status().unwrap();
    assert_eq!(status.code(), Some(0), "uninterrupted crawl exit code");
    let expected = Store::open(&whole.path().join("store.sqlite"))
        .unwrap()
        .stored_page_urls()
        .unwrap();
    assert!(expected.len() >= 15, "{expected:?}");

    let killed = tempfile::tempdir().unwrap();
    let mut child = vanban(killed.path(), &args).spawn().unwrap();
    let t0 = Instant::now();
    while stored_count(killed.path()) < 5 && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = stored_count(killed.path());
    assert!(
        partial >= 5 && partial < expected.len(),
        "killed after {partial} pages"
    );
    let status = vanban(killed.path(), &args).status().unwrap();
    assert_eq!(status.code(), Some(0));
    let st = Store::open(&killed.path().join("store.sqlite")).unwrap();
    assert_eq!(st.stored_page_urls().unwrap(), expected);
    // No stored page was fetched twice: one good fetch per URL.
    for url in &expected {
        let good = st
            .page_history(url)
            .unwrap()
            .iter()
            .filter(|r| r.status == Some(200))
            .count();
        assert_eq!(good, 1, "{url} fetched {good} times");
    }
}

// Exit code 2 when a page failed permanently (the rest is kept).
#[test]
fn exit_code_two_on_permanent_failure() {
    let srv = Server::start(
        "127.0.0.1",
        None,
        tiny_site(|req, _| match req.path.as_str() {
            "/" => Some(Reply::html("<a href=/gone>x</a><a href=/fine>y</a>")),
            "/fine" => Some(Reply::html("<p>fine</p>")),
            _ => None,
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    let status = vanban(
        dir.path(),
        &["--delay-ms", "0", "--no-index", &srv.url("/")],
    )
    .status()
    .unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(
        Store::open(&dir.path().join("store.sqlite"))
            .unwrap()
            .stored_page_urls()
            .unwrap()
            .contains(&srv.url("/fine"))
    );
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

// The Fetch trait swaps the transport without touching the crawl logic.
#[test]
fn fetch_trait_swaps_the_transport() {
    let data = Data::new();
    let c = config(&["http://127.0.0.1:9/".to_string()]);
    let lock = data.dd.lock(false, |_| {}).unwrap();
    let f = MemoryFetcher {
        seen: Mutex::new(vec![]),
    };
    let report = crawl::run(&data.dd, &lock, &c, f, &mut |_| {}).unwrap();
    assert_eq!(report.new, 3);
    assert_eq!(report.failed, 0);
}

// robots.txt answering 5xx: the host is disallowed for now (nothing else
// is requested), its URLs stay queued for a later crawl.
#[test]
fn robots_5xx_defers_the_host() {
    let srv = Server::start(
        "127.0.0.1",
        None,
        Arc::new(|req, _| {
            Some(if req.path == "/robots.txt" {
                Reply::status(503)
            } else {
                Reply::html("<p>x</p>")
            })
        }),
    );
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.deferred_hosts, 1);
    assert!(
        srv.paths().iter().all(|p| p == "/robots.txt"),
        "{:?}",
        srv.paths()
    );
    assert_eq!(srv.paths().len(), 4, "robots.txt retried 3 times");
    assert_eq!(
        store(&data)
            .frontier_entry(&srv.url("/"))
            .unwrap()
            .unwrap()
            .state,
        State::Queued
    );
}

// --include/--exclude filter the links followed; --attachments fetches
// attachment files (still recorded against their page).
#[test]
fn filters_and_attachments() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let mut c = config(&[srv.url("/tin-tuc/")]);
    c.include
        .push(regex::Regex::new("/tin-tuc/|/files/").unwrap());
    c.exclude.push(regex::Regex::new("ket-luan").unwrap());
    c.attachments = true;
    let report = run(&data, &c);
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let paths = srv.paths();
    assert!(
        paths.iter().any(|p| p == "/files/ct05-ct-tw.pdf"),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("ket-luan")), "{paths:?}");
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("/index.php") || p.starts_with("/legacy")),
        "{paths:?}"
    );
    let st = store(&data);
    let pdf = st
        .latest_page(
            &srv.url("/files/ct05-ct-tw.pdf"),
            vanban::store::pages::PageKind::Page,
        )
        .unwrap()
        .unwrap();
    assert_eq!(pdf.body.as_deref(), Some(&b"%PDF-1.4 fixture\n"[..]));
}

// At most --concurrency requests in flight across hosts, one per host:
// every page answers slowly (300 ms), three hosts, concurrency 2.
#[test]
fn concurrency_across_hosts_and_one_per_host() {
    let slow = || -> Handler {
        Arc::new(|req, _| match req.path.as_str() {
            "/robots.txt" | "/sitemap.xml" => Some(Reply::status(404)),
            "/" => Some(Reply::html(
                "<a href=/1>1</a><a href=/2>2</a><a href=/3>3</a>",
            )),
            _ => Some(Reply::Drip {
                interval: Duration::from_millis(150),
                chunks: 2,
                chunk: b"<p>slow</p>".to_vec(),
            }),
        })
    };
    let servers: Vec<Server> = ["127.0.0.1", "127.0.0.3", "127.0.0.4"]
        .iter()
        .map(|ip| Server::start(ip, None, slow()))
        .collect();
    let data = Data::new();
    let mut c = config(&servers.iter().map(|s| s.url("/")).collect::<Vec<_>>());
    c.concurrency = 2;
    let report = run(&data, &c);
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let mut spans = Vec::new();
    for s in &servers {
        let slow: Vec<Instant> = s
            .requests()
            .iter()
            .filter(|r| r.path.len() == 2)
            .map(|r| r.at)
            .collect();
        assert_eq!(slow.len(), 3);
        for w in slow.windows(2) {
            assert!(
                w[1].duration_since(w[0]) >= Duration::from_millis(290),
                "two requests in flight on one host"
            );
        }
        spans.extend(slow);
    }
    // No instant is covered by more than two slow responses.
    for &t in &spans {
        let overlapping = spans
            .iter()
            .filter(|&&s| s <= t && t < s + Duration::from_millis(280))
            .count();
        assert!(
            overlapping <= 2,
            "{overlapping} requests in flight with --concurrency 2"
        );
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

// The www. twin of a seed's host is in the crawl (a redirect to it is
// followed, with its own robots.txt), other hosts are not; --max-pages
// stops the crawl. In memory: no request is made at all.
#[test]
fn www_twin_redirects_and_max_pages() {
    let html = |b: &str| {
        (
            200,
            vec![("content-type".to_string(), "text/html".to_string())],
            b.as_bytes().to_vec(),
        )
    };
    let fetcher = Scripted(
        move |url: &str| match url {
            "http://x.vn/" => (
                301,
                vec![("location".into(), "http://www.x.vn/".into())],
                vec![],
            ),
            "http://www.x.vn/" => html(
                "<a href=/a>a</a><a href=http://evil.vn/>e</a><a href=/b>b</a><a href=/c>c</a>",
            ),
            u if u.ends_with("/robots.txt") || u.ends_with("/sitemap.xml") => (404, vec![], vec![]),
            _ => html("<p>page</p>"),
        },
        Mutex::new(vec![]),
    );
    let data = Data::new();
    let mut c = config(&["http://x.vn/".to_string()]);
    c.max_pages = Some(3);
    let lock = data.dd.lock(false, |_| {}).unwrap();
    let report = crawl::run(&data.dd, &lock, &c, fetcher, &mut |_| {}).unwrap();
    assert_eq!(report.fetched, 3, "{report:?}");
    let st = store(&data);
    let seed = st.frontier_entry("http://x.vn/").unwrap().unwrap();
    assert_eq!(seed.state, State::Done);
    assert_eq!(
        st.frontier_entry("http://www.x.vn/")
            .unwrap()
            .unwrap()
            .state,
        State::Done
    );
    assert!(st.frontier_entry("http://evil.vn/").unwrap().is_none());
    assert!(st.frontier_entry("http://www.x.vn/a").unwrap().is_some());
}

/// Crawled documents have no ingest record: a full reindex rebuilds them
/// from the stored pages, and an incremental one keeps them.
#[test]
fn reindex_keeps_crawled_documents() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let docs = data.engine().num_docs();
    assert!(docs >= ARTICLES.len() as u64);
    let (_, _, _, phrase) = ARTICLES[0];
    let before = data.search(&format!("\"{phrase}\"")).total;
    assert!(before > 0);
    let reindex = |full| {
        let lock = data.dd.lock(false, |_| {}).unwrap();
        let opts = vanban::reindex::Options {
            full,
            ..Default::default()
        };
        vanban::reindex::reindex(&data.dd, &lock, &opts, &mut |_| {}).unwrap()
    };
    let r = reindex(false);
    assert_eq!(r.removed, 0, "{r:?}");
    assert_eq!(data.engine().num_docs(), docs);
    let r = reindex(true);
    assert!(r.switched, "{r:?}");
    assert_eq!(r.crawled, docs, "{r:?}");
    assert_eq!(data.engine().num_docs(), docs);
    assert_eq!(data.search(&format!("\"{phrase}\"")).total, before);
}
