//! The researcher page in a real browser: headless Chromium driven through
//! chromedriver (WebDriver over HTTP on 127.0.0.1; a minimal client below,
//! no extra crates). It types a query without diacritics, sees highlighted
//! results, filters and pages, opens a document, follows a "cited by" link
//! and a "cites" link, checks the hostile pages stay inert text, and that
//! the page fits a phone-width screen. Screenshots go to
//! `target/screenshots/`.
//!
//! A missing browser is a failure: `scripts/test.sh` installs Debian's
//! `chromium` and `chromium-driver` when `chromium` is absent.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use vanban::server::{AppState, Limits};

use crate::util::{Data, repo};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(20);

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 exchange with chromedriver on loopback (it keeps the
/// connection open, so the body is read by its length).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Value> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut r = BufReader::new(s);
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(std::io::Error::other("connection closed in the header"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "content-length" {
                length = v.parse::<usize>().ok();
            } else if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut payload = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(std::io::Error::other)?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            payload.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        payload.resize(n, 0);
        r.read_exact(&mut payload)?;
    } else {
        r.read_to_end(&mut payload)?;
    }
    serde_json::from_slice(&payload).map_err(std::io::Error::other)
}

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let chromium = tool("VANBAN_CHROMIUM", "/usr/bin/chromium", "chromium");
        let chromedriver = tool(
            "VANBAN_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromium-driver",
        );
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + WAIT;
        while http(port, "GET", "/status", None)
            .map(|v| v["value"]["ready"] != true)
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
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
            &format!("--user-data-dir={}", b._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let v = http(port, "POST", "/session", Some(&caps)).expect("new session");
        b.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let v = http(self.port, method, &path, body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if let Some(err) = v["value"].get("error") {
            panic!("{method} {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap().to_string()
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Polls `script` until it returns something truthy.
    fn wait(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == false || v == 0 || v == "") {
                return v;
            }
            if Instant::now() > deadline {
                let page = self.js("return document.body.innerText");
                panic!("timed out waiting for {what}; page shows:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn find(&self, xpath: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let path = format!("/session/{}/element", self.session);
            let v = http(
                self.port,
                "POST",
                &path,
                Some(&json!({"using": "xpath", "value": xpath})),
            )
            .unwrap();
            if let Some(id) = v["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            if Instant::now() > deadline {
                let page = self.js("return document.body.innerText");
                panic!("no element {xpath}; page shows:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, xpath: &str) {
        let e = self.find(xpath);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, xpath: &str, text: &str) {
        let e = self.find(xpath);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
        eprintln!("browser: screenshot {}", path.display());
    }

    fn doc_title(&self) -> String {
        self.wait(
            "a document",
            "const h = document.getElementById('doc-title'); \
             return h && !document.getElementById('doc-view').hidden ? h.textContent : ''",
        )
        .as_str()
        .unwrap()
        .to_string()
    }

    /// Waits for the document whose title contains `number`.
    fn wait_doc(&self, number: &str) {
        let script = format!(
            "const h = document.getElementById('doc-title'); \
             return !!h && !document.getElementById('doc-view').hidden \
                    && h.textContent.includes({})",
            Value::from(number)
        );
        self.wait(&format!("the document {number}"), &script);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
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

fn assert_inert(b: &Browser, when: &str) {
    let v: Value = serde_json::from_str(b.js(INERT).as_str().unwrap()).unwrap();
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

#[test]
fn researcher_page_in_headless_chromium() {
    let d = Data::new();
    let r = d.ingest(&[repo("fixtures/demo"), repo("fixtures/hostile")]);
    assert_eq!(r.failed, 0, "{r:?}");
    let server = Server::start(&d);
    let base = format!("http://{}/", server.addr);
    let b = Browser::start();

    // Type a query without diacritics; see highlighted results.
    b.goto(&base);
    b.wait(
        "the page",
        "return !document.getElementById('search-view').hidden",
    );
    b.type_into("//input[@id='q']", "quyet dinh 312\u{E007}");
    let marks = b.wait(
        "highlighted results",
        "return document.querySelectorAll('#results .hit .snippet mark').length",
    );
    assert!(marks.as_u64().unwrap() > 0);
    let marked: Vec<String> = serde_json::from_value(
        b.js("return [...document.querySelectorAll('#results mark')].map(m => m.textContent)"),
    )
    .unwrap();
    assert!(
        marked
            .iter()
            .any(|m| m == "Quyết" || m == "quyết" || m == "QUYẾT"),
        "accented words highlighted for an unaccented query: {marked:?}"
    );
    // The query lives in the address bar.
    let shared = b.url();
    assert!(shared.contains("q=quyet+dinh+312"), "{shared}");
    // Facets with counts.
    let kinds = b
        .js("return document.querySelector('#facet-kind .facet-list').innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        kinds.contains("Quyết định") && kinds.contains('2'),
        "{kinds}"
    );
    b.screenshot(&screenshots().join("results.png"));

    // A shared URL shows the same results.
    let first = b.js("return document.querySelector('#results .hit-title').textContent");
    b.goto(&shared);
    b.wait(
        "results again",
        "return document.querySelectorAll('#results .hit').length",
    );
    assert_eq!(
        b.js("return document.querySelector('#results .hit-title').textContent"),
        first
    );
    assert_eq!(
        b.js("return document.getElementById('q').value"),
        "quyet dinh 312"
    );

    // Open 312-QĐ/TU.
    b.click("//ol[@id='results']//h3/a[contains(., '312-QĐ/TU')]");
    b.wait_doc("312-QĐ/TU");
    let page = b.js("return document.getElementById('doc-view').innerText");
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
    assert!(b.url().contains("doc="), "the document is in the URL");

    // Follow a "cited by" link: Hướng dẫn 09-HD/BDVTU cites it.
    b.click("//section[@id='cited-by']//a[contains(., '09-HD/BDVTU')]");
    b.wait_doc("09-HD/BDVTU");
    // …and a "cites" link back to 312-QĐ/TU, then on to what it replaces.
    b.click("//section[@id='cites']//a[contains(., '312-QĐ/TU')]");
    b.wait_doc("312-QĐ/TU");
    let rel = b.js(
        "const a = [...document.querySelectorAll('#cites a')].find(a => a.textContent.includes('128-QĐ/TU')); \
         return a ? a.closest('li').querySelector('.rel').textContent : ''",
    );
    assert_eq!(rel, "Thay thế", "the relation in words");
    b.click("//section[@id='cites']//a[contains(., '128-QĐ/TU')]");
    b.wait_doc("128-QĐ/TU");
    // The back button walks the same way back.
    b.cmd("POST", "/back", Some(json!({})));
    b.wait_doc("312-QĐ/TU");

    // Filters and pages.
    b.goto(&format!("{base}?q=dan+van"));
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length === 10",
    );
    b.click("//div[@id='facet-year']//button[.//span[text()='2022']]");
    b.wait(
        "the year filter",
        "return location.search.includes('year=2022') && \
                document.querySelectorAll('#results .hit').length > 0 && \
                [...document.querySelectorAll('#results .hit-meta')].every(m => m.textContent.includes('2022'))",
    );
    b.goto(&format!("{base}?q=dan+van"));
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length === 10",
    );
    b.click("//nav[@id='pager']//a[text()='2']");
    b.wait(
        "page 2",
        "return location.search.includes('page=2') && document.getElementById('results').start === 11",
    );

    // The hostile pages: inert text in the results and the document.
    b.goto(&format!("{base}?q=%22ma+doc+kiem+thu%22"));
    b.wait(
        "the hostile hits",
        "return document.querySelectorAll('#results .hit').length === 2",
    );
    assert_inert(&b, "hostile results");
    let titles = b.js(
        "return [...document.querySelectorAll('#results .hit-title')].map(t => t.textContent).join('\\n')",
    );
    assert!(
        titles.as_str().unwrap().contains("</mark><script>"),
        "{titles}"
    );
    let snippets = b.js(
        "return [...document.querySelectorAll('#results .snippet')].map(t => t.textContent).join('\\n')",
    );
    assert!(
        snippets
            .as_str()
            .unwrap()
            .contains("<script>window.__pwned="),
        "{snippets}"
    );
    b.screenshot(&screenshots().join("hostile-results.png"));
    b.click("//ol[@id='results']//h3/a[contains(., 'Thông báo')]");
    let title = b.doc_title();
    assert!(
        title.contains("<script>window.__pwned='h1'</script>"),
        "{title}"
    );
    b.wait(
        "the body",
        "return document.querySelector('#doc-view .body') !== null",
    );
    assert_inert(&b, "hostile document");
    let body = b.js("return document.querySelector('#doc-view .body').textContent");
    assert!(
        body.as_str()
            .unwrap()
            .contains("<img src=x onerror=\"window.__pwned='body-img'\">"),
        "{body}"
    );
    // Its citation of 312-QĐ/TU is a link; so is it in 312's "cited by".
    b.click("//section[@id='cites']//a[contains(., '312-QĐ/TU')]");
    b.wait_doc("312-QĐ/TU");
    b.wait(
        "the hostile citer",
        "return [...document.querySelectorAll('#cited-by a')].some(a => a.textContent.includes('<script>'))",
    );
    assert_inert(&b, "hostile title in cited-by");

    // A phone-width screen: nothing wider than the viewport.
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 390, "height": 844})),
    );
    b.goto(&format!("{base}?q=quyet+dinh+312"));
    b.wait(
        "results",
        "return document.querySelectorAll('#results .hit').length",
    );
    let fits = b.js("return [document.documentElement.scrollWidth, window.innerWidth]");
    let (w, vw) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
    assert!(vw < 600, "the window is phone-sized: {vw}");
    assert!(w <= vw, "no sideways scrolling at {vw}px: content is {w}px");
    b.screenshot(&screenshots().join("results-phone.png"));
    b.click("//ol[@id='results']//h3/a[contains(., '312-QĐ/TU')]");
    b.wait_doc("312-QĐ/TU");
    let fits = b.js("return document.documentElement.scrollWidth <= window.innerWidth");
    assert_eq!(fits, true, "the document view fits a phone");
    b.screenshot(&screenshots().join("document-phone.png"));
}
