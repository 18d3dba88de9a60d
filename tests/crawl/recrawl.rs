//! Recrawls: conditional requests, unchanged and gone pages.
use super::*;

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
