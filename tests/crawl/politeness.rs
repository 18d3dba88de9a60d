//! Politeness: Crawl-delay and --delay-ms spacing, one request per host,
//! the concurrency cap, robots.txt answering 5xx.
use super::*;

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
