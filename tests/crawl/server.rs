//! A small HTTP/1.1 server for the crawl tests and bench, on a loopback
//! address only: it serves a directory (with `{{origin}}` replaced in text
//! files, ETag/304 support), lets a test script any path (statuses,
//! redirects, slow drips, resets, huge bodies), and records every request
//! with its arrival time.
#![allow(dead_code)]
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A recorded request.
#[derive(Debug, Clone)]
pub struct Req {
    pub at: Instant,
    pub path: String,
    pub headers: HashMap<String, String>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// What to answer.
pub enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers at once, then `chunks` chunks, each after `interval`.
    Drip {
        interval: Duration,
        chunks: usize,
        chunk: Vec<u8>,
    },
    /// Reset the connection without answering.
    Reset,
    /// `size` bytes of HTML with no Content-Length, then close.
    Huge { size: usize },
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: format!("status {status}").into_bytes(),
        }
    }
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into(),
        }
    }
    pub fn redirect(status: u16, to: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Location".into(), to.into())],
            body: vec![],
        }
    }
    pub fn with_header(mut self, k: &str, v: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((k.into(), v.into()));
        }
        self
    }
}

/// Scripts a path: `(request, how many requests to that path came before)`
/// → a reply, or `None` to serve the directory.
pub type Handler = Arc<dyn Fn(&Req, usize) -> Option<Reply> + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Req>>>,
}

struct Shared {
    root: Option<PathBuf>,
    handler: Handler,
    log: Arc<Mutex<Vec<Req>>>,
    counts: Mutex<HashMap<String, usize>>,
    origin: String,
}

impl Server {
    /// Starts a server on `ip` (a 127.x.y.z address), port chosen by the
    /// system, serving `root` and `handler`.
    pub fn start(ip: &str, root: Option<PathBuf>, handler: Handler) -> Server {
        assert!(
            ip.starts_with("127."),
            "test servers listen on loopback only"
        );
        let std_listener = std::net::TcpListener::bind((ip, 0)).expect("bind loopback");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            root,
            handler,
            log: log.clone(),
            counts: Mutex::new(HashMap::new()),
            origin: format!("http://{addr}"),
        });
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("rt");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        let _ = serve_conn(stream, shared).await;
                    });
                }
            });
        });
        Server { addr, log }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin(), path)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }
}

async fn serve_conn(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).await? == 0 {
                return Ok(());
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let req = Req {
            at: Instant::now(),
            path: path.clone(),
            headers,
        };
        shared.log.lock().unwrap().push(req.clone());
        let n = {
            let mut c = shared.counts.lock().unwrap();
            let e = c.entry(path.clone()).or_insert(0);
            *e += 1;
            *e - 1
        };
        let mut reply = (shared.handler)(&req, n).unwrap_or_else(|| serve_file(&shared, &req));
        if let Reply::Full { body, .. } = &mut reply
            && body.windows(10).any(|w| w == b"{{origin}}")
        {
            *body = String::from_utf8_lossy(body)
                .replace("{{origin}}", &shared.origin)
                .into_bytes();
        }
        let stream = reader.get_mut();
        match reply {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let mut out = head.into_bytes();
                out.extend_from_slice(&body);
                stream.write_all(&out).await?;
                stream.flush().await?;
            }
            Reply::Drip {
                interval,
                chunks,
                chunk,
            } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                    chunks * chunk.len()
                );
                stream.write_all(head.as_bytes()).await?;
                for _ in 0..chunks {
                    tokio::time::sleep(interval).await;
                    stream.write_all(&chunk).await?;
                    stream.flush().await?;
                }
            }
            Reply::Reset => {
                let s = reader.into_inner();
                #[allow(deprecated)]
                let _ = s.set_linger(Some(Duration::ZERO));
                drop(s);
                return Ok(());
            }
            Reply::Huge { size } => {
                stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
                    )
                    .await?;
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < size {
                    stream.write_all(&chunk).await?;
                    sent += chunk.len();
                }
                return Ok(());
            }
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "text/html",
    }
}

fn serve_file(shared: &Shared, req: &Req) -> Reply {
    let Some(root) = &shared.root else {
        return Reply::status(404);
    };
    let path = req.path.split(['?', '#']).next().unwrap_or("/");
    if path.contains("..") {
        return Reply::status(400);
    }
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    let Ok(mut body) = std::fs::read(&file) else {
        return Reply::status(404);
    };
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ct = content_type(name);
    if (ct.starts_with("text/plain") || ct == "application/xml")
        && body.windows(10).any(|w| w == b"{{origin}}")
    {
        body = String::from_utf8_lossy(&body)
            .replace("{{origin}}", &shared.origin)
            .into_bytes();
    }
    let etag = format!(
        "\"{:x}\"",
        body.iter()
            .fold(5381u64, |h, &b| h.wrapping_mul(33) ^ b as u64)
    );
    if req.header("if-none-match") == Some(etag.as_str()) {
        return Reply::Full {
            status: 304,
            headers: vec![("ETag".into(), etag)],
            body: vec![],
        };
    }
    Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), ct.into()), ("ETag".into(), etag)],
        body,
    }
}
