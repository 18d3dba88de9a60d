//! The transport and the frontier's reach: the Fetch trait, the www.
//! twin, --max-pages, --include/--exclude, --attachments.
use super::*;

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
