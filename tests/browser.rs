//! The researcher page in a real browser: headless Chromium driven through
//! chromedriver with fantoccini (WebDriver on 127.0.0.1). It types a query
//! without diacritics, sees highlighted results, filters and pages, opens
//! a document, follows a "cited by" link and a "cites" link, checks the
//! hostile pages stay inert text, and that the page fits a phone-width
//! screen. Screenshots go to `target/screenshots/`.
//!
//! Waits are events: each one runs in the page as a promise that a
//! `MutationObserver` (and navigation) re-checks, so the test never sleeps.
//!
//! A missing browser is a failure: `scripts/test.sh` installs Debian's
//! `chromium` and `chromium-driver` when `chromium` is absent.
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use vanban::server::{AppState, Limits};

use crate::util::{Data, repo};

/// The longest a page may take to reach a state: a hang guard, never a
/// measure (a wait ends as soon as the page gets there).
const HANG_GUARD: Duration = Duration::from_secs(120);

fn tool(env: &str, default: &str, package: &str) -> PathBuf {
    let p = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        p.is_file(),
        "{} not found: the browser test needs Debian's `{package}` package \
         (`bash scripts/test.sh` installs it), or set {env}",
        p.display()
    );
    p
}

/// A chromedriver process on a free loopback port.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver and returns once it says it listens.
    fn start() -> Driver {
        let chromedriver = tool(
            "VANBAN_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromium-driver",
        );
        // Its own process group, so that the browsers it starts go with it.
        let mut child = Command::new(chromedriver)
            .arg("--port=0")
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        // "ChromeDriver was started successfully on port 41327."
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("chromedriver exited before it listened")
                .unwrap();
            if let Some(rest) = line.split("successfully on port ").nth(1) {
                break rest.trim_end_matches('.').trim().parse::<u16>().unwrap();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver and the Chromium processes it started (a killed
        // chromedriver leaves them running otherwise).
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process
            // group only; no memory is touched.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
struct Browser {
    c: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Browser {
        let chromium = tool("VANBAN_CHROMIUM", "/usr/bin/chromium", "chromium");
        let driver = Driver::start();
        let profile = tempfile::tempdir().unwrap();
        // The machine's network is closed: these flags keep Chromium from
        // trying to reach anything but the page under test.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a chromedriver session");
        c.update_timeouts(TimeoutConfiguration::new(
            Some(HANG_GUARD),
            Some(HANG_GUARD),
            Some(Duration::ZERO),
        ))
        .await
        .unwrap();
        Browser {
            c,
            _driver: driver,
            _profile: profile,
        }
    }

    async fn goto(&self, url: &str) {
        self.c
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    async fn url(&self) -> String {
        self.c.current_url().await.unwrap().to_string()
    }

    async fn js(&self, script: &str) -> Value {
        self.c
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    async fn page_text(&self) -> String {
        self.js("return document.body ? document.body.innerText : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the expression `cond` is truthy and returns its value:
    /// the page re-checks it on every DOM change and on history moves.
    async fn wait(&self, what: &str, cond: &str) -> Value {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const check = () => {{ try {{ return (() => {{ {cond} }})(); }} catch (e) {{ return null; }} }};
             const now = check();
             if (now) {{ done(now); return; }}
             const obs = new MutationObserver(() => {{
                 const v = check();
                 if (v) {{ obs.disconnect(); done(v); }}
             }});
             obs.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});
             addEventListener('popstate', () => {{ const v = check(); if (v) {{ obs.disconnect(); done(v); }} }});"
        );
        match self.c.execute_async(&script, vec![]).await {
            Ok(v) => v,
            Err(e) => panic!(
                "waiting for {what}: {e}; page shows:\n{}",
                self.page_text().await
            ),
        }
    }

    /// The element at `xpath`, once the page has it.
    async fn find(&self, xpath: &str) -> fantoccini::elements::Element {
        let cond = format!(
            "return document.evaluate({}, document, null, \
             XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue !== null",
            Value::from(xpath)
        );
        self.wait(&format!("the element {xpath}"), &cond).await;
        self.c
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("{xpath}: {e}"))
    }

    async fn click(&self, xpath: &str) {
        self.find(xpath)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
    }

    async fn type_into(&self, xpath: &str, text: &str) {
        let e = self.find(xpath).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn screenshot(&self, path: &Path) {
        let png = self.c.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
        eprintln!("browser: screenshot {}", path.display());
    }

    async fn doc_title(&self) -> String {
        self.wait(
            "a document",
            "const h = document.getElementById('doc-title'); \
             return h && !document.getElementById('doc-view').hidden ? h.textContent : ''",
        )
        .await
        .as_str()
        .unwrap()
        .to_string()
    }

    /// Waits for the document whose title contains `number`.
    async fn wait_doc(&self, number: &str) {
        let script = format!(
            "const h = document.getElementById('doc-title'); \
             return !!h && !document.getElementById('doc-view').hidden \
                    && h.textContent.includes({})",
            Value::from(number)
        );
        self.wait(&format!("the document {number}"), &script).await;
    }
}

/// The server over `d` on a free loopback port, in its own runtime.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(d: &Data) -> Server {
        let state = AppState::new(d.dd.clone(), Limits::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(l.local_addr().unwrap()).unwrap();
                vanban::server::serve(l, state, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        Server {
            addr: rx.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the page must never contain after showing hostile text.
const INERT: &str = "return JSON.stringify({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    img: document.querySelectorAll('img, iframe, object, embed').length,
    scripts: document.querySelectorAll('script').length,
    js_links: [...document.querySelectorAll('a[href]')]
        .filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
    handlers: [...document.querySelectorAll('*')]
        .filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
    marks_outside_snippets: [...document.querySelectorAll('mark')]
        .filter(m => !m.closest('.snippet')).length,
})";

async fn assert_inert(b: &Browser, when: &str) {
    let v: Value = serde_json::from_str(b.js(INERT).await.as_str().unwrap()).unwrap();
    assert_eq!(
        v,
        json!({"pwned": null, "img": 0, "scripts": 1, "js_links": 0, "handlers": 0,
               "marks_outside_snippets": 0}),
        "{when}"
    );
}

fn screenshots() -> PathBuf {
    repo("target/screenshots")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn researcher_page_in_headless_chromium() {
    let d = Data::new();
    let r = d.ingest(&[repo("fixtures/demo"), repo("fixtures/hostile")]);
    assert_eq!(r.failed, 0, "{r:?}");
    let server = Server::start(&d);
    let base = format!("http://{}/", server.addr);
    let b = Browser::start().await;

    // Type a query without diacritics; see highlighted results.
    b.goto(&base).await;
    b.wait(
        "the page",
        "return !document.getElementById('search-view').hidden",
    )
    .await;
    b.type_into("//input[@id='q']", "quyet dinh 312\u{E007}")
        .await;
    let marks = b
        .wait(
            "highlighted results",
            "return document.querySelectorAll('#results .hit .snippet mark').length",
        )
        .await;
    assert!(marks.as_u64().unwrap() > 0);
    let marked: Vec<String> = serde_json::from_value(
        b.js("return [...document.querySelectorAll('#results mark')].map(m => m.textContent)")
            .await,
    )
    .unwrap();
    assert!(
        marked
            .iter()
            .any(|m| m == "Quyết" || m == "quyết" || m == "QUYẾT"),
        "accented words highlighted for an unaccented query: {marked:?}"
    );
    // The query lives in the address bar.
    let shared = b.url().await;
    assert!(shared.contains("q=quyet+dinh+312"), "{shared}");
    // Facets with counts.
    let kinds = b
        .js("return document.querySelector('#facet-kind .facet-list').innerText")
        .await
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        kinds.contains("Quyết định") && kinds.contains('2'),
        "{kinds}"
    );
    b.screenshot(&screenshots().join("results.png")).await;

    // A shared URL shows the same results.
    let first = b
        .js("return document.querySelector('#results .hit-title').textContent")
        .await;
    b.goto(&shared).await;
    b.wait(
        "results again",
        "return document.querySelectorAll('#results .hit').length",
    )
    .await;
    assert_eq!(
        b.js("return document.querySelector('#results .hit-title').textContent")
            .await,
        first
    );
    assert_eq!(
        b.js("return document.getElementById('q').value").await,
        "quyet dinh 312"
    );

    // Open 312-QĐ/TU.
    b.click("//ol[@id='results']//h3/a[contains(., '312-QĐ/TU')]")
        .await;
    b.wait_doc("312-QĐ/TU").await;
    let page = b
        .js("return document.getElementById('doc-view').innerText")
        .await;
    let page = page.as_str().unwrap();
    for words in [
        "Văn bản được dẫn chiếu",
        "Văn bản dẫn chiếu đến",
        "Số hiệu",
        "Cơ quan ban hành",
        "Ngày ban hành",
        "20/12/2021",
        "Toàn văn",
        "Thay thế",
    ] {
        assert!(page.contains(words), "{words:?} on the document page");
    }
    assert!(b.url().await.contains("doc="), "the document is in the URL");

    // Follow a "cited by" link: Hướng dẫn 09-HD/BDVTU cites it.
    b.click("//section[@id='cited-by']//a[contains(., '09-HD/BDVTU')]")
        .await;
    b.wait_doc("09-HD/BDVTU").await;
    // …and a "cites" link back to 312-QĐ/TU, then on to what it replaces.
    b.click("//section[@id='cites']//a[contains(., '312-QĐ/TU')]")
        .await;
    b.wait_doc("312-QĐ/TU").await;
    let rel = b.js(
        "const a = [...document.querySelectorAll('#cites a')].find(a => a.textContent.includes('128-QĐ/TU')); \
         return a ? a.closest('li').querySelector('.rel').textContent : ''",
    ).await;
    assert_eq!(rel, "Thay thế", "the relation in words");
    b.click("//section[@id='cites']//a[contains(., '128-QĐ/TU')]")
        .await;
    b.wait_doc("128-QĐ/TU").await;
    // The back button walks the same way back.
    b.c.back().await.unwrap();
    b.wait_doc("312-QĐ/TU").await;

    // Filters and pages.
    b.goto(&format!("{base}?q=dan+van")).await;
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length === 10",
    )
    .await;
    b.click("//div[@id='facet-year']//button[.//span[text()='2022']]")
        .await;
    b.wait(
        "the year filter",
        "return location.search.includes('year=2022') && \
                document.querySelectorAll('#results .hit').length > 0 && \
                [...document.querySelectorAll('#results .hit-meta')].every(m => m.textContent.includes('2022'))",
    ).await;
    b.goto(&format!("{base}?q=dan+van")).await;
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length === 10",
    )
    .await;
    b.click("//nav[@id='pager']//a[text()='2']").await;
    b.wait(
        "page 2",
        "return location.search.includes('page=2') && document.getElementById('results').start === 11",
    ).await;

    // The hostile pages: inert text in the results and the document.
    b.goto(&format!("{base}?q=%22ma+doc+kiem+thu%22")).await;
    b.wait(
        "the hostile hits",
        "return document.querySelectorAll('#results .hit').length === 2",
    )
    .await;
    assert_inert(&b, "hostile results").await;
    let titles = b.js(
        "return [...document.querySelectorAll('#results .hit-title')].map(t => t.textContent).join('\\n')",
    ).await;
    assert!(
        titles.as_str().unwrap().contains("</mark><script>"),
        "{titles}"
    );
    let snippets = b.js(
        "return [...document.querySelectorAll('#results .snippet')].map(t => t.textContent).join('\\n')",
    ).await;
    assert!(
        snippets
            .as_str()
            .unwrap()
            .contains("<script>window.__pwned="),
        "{snippets}"
    );
    b.screenshot(&screenshots().join("hostile-results.png"))
        .await;
    b.click("//ol[@id='results']//h3/a[contains(., 'Thông báo')]")
        .await;
    let title = b.doc_title().await;
    assert!(
        title.contains("<script>window.__pwned='h1'</script>"),
        "{title}"
    );
    b.wait(
        "the body",
        "return document.querySelector('#doc-view .body') !== null",
    )
    .await;
    assert_inert(&b, "hostile document").await;
    let body = b
        .js("return document.querySelector('#doc-view .body').textContent")
        .await;
    assert!(
        body.as_str()
            .unwrap()
            .contains("<img src=x onerror=\"window.__pwned='body-img'\">"),
        "{body}"
    );
    // Its citation of 312-QĐ/TU is a link; so is it in 312's "cited by".
    b.click("//section[@id='cites']//a[contains(., '312-QĐ/TU')]")
        .await;
    b.wait_doc("312-QĐ/TU").await;
    b.wait(
        "the hostile citer",
        "return [...document.querySelectorAll('#cited-by a')].some(a => a.textContent.includes('<script>'))",
    ).await;
    assert_inert(&b, "hostile title in cited-by").await;

    // A phone-width screen: nothing wider than the viewport.
    b.c.set_window_size(390, 844).await.unwrap();
    b.goto(&format!("{base}?q=quyet+dinh+312")).await;
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length",
    )
    .await;
    let fits = b
        .js("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await;
    let (w, vw) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
    assert!(vw < 600, "the window is phone-sized: {vw}");
    assert!(w <= vw, "no sideways scrolling at {vw}px: content is {w}px");
    b.screenshot(&screenshots().join("results-phone.png")).await;
    b.click("//ol[@id='results']//h3/a[contains(., '312-QĐ/TU')]")
        .await;
    b.wait_doc("312-QĐ/TU").await;
    let fits = b
        .js("return document.documentElement.scrollWidth <= window.innerWidth")
        .await;
    assert_eq!(fits, true, "the document view fits a phone");
    b.screenshot(&screenshots().join("document-phone.png"))
        .await;
    b.c.close().await.expect("closing the browser session");
}
