//! Faults: retries and Retry-After, failures recorded with their reason,
//! the exit code, kill -9 and resume.
use super::*;

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
