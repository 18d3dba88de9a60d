//! Crawl throughput: a generated 20,000-page site served in-process on
//! eight loopback hosts (127.0.0.2 to 127.0.0.9), no robots.txt delay,
//! `--delay-ms 0`; the release `vanban crawl` binary runs against it and
//! the bench reports pages/s, CPU seconds and peak RSS (medians of the
//! runs), then the peak RSS of a crawl whose frontier holds 1,000,000
//! queued URLs. Only loopback addresses are ever used.
//!
//! `cargo bench --bench crawl [-- --pages N --runs N --frontier N]`
#[path = "../tests/crawl/server.rs"]
mod server;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use server::{Reply, Server};

const HOSTS: usize = 8;
const PER_LISTING: usize = 50;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const PARA: &str = "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tiếp tục quán triệt \
    Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương về tăng cường và đổi mới sự lãnh đạo \
    của Đảng đối với công tác dân vận trong tình hình mới; thực hiện tốt Quy chế dân chủ ở cơ sở.";

/// A generated site of `articles` articles per host, in listings of 50.
fn site(articles: usize) -> server::Handler {
    Arc::new(move |req, _| {
        let path = req.path.as_str();
        if path == "/robots.txt" {
            return Some(
                Reply::html("User-agent: *\nAllow: /\n").with_header("Content-Type", "text/plain"),
            );
        }
        let listings = articles.div_ceil(PER_LISTING);
        if let Some(k) = path
            .strip_prefix("/list/")
            .and_then(|k| k.parse::<usize>().ok())
        {
            let mut html = String::from(
                "<html><head><meta charset=utf-8><title>Tin tức</title></head><body><ul class=list-news>",
            );
            for j in k * PER_LISTING..((k + 1) * PER_LISTING).min(articles) {
                html.push_str(&format!("<li><a class=title href=/a/{j}>Chỉ thị số {j}-CT/TU về công tác dân vận</a></li>"));
            }
            html.push_str("</ul><div class=pagination>");
            if k + 1 < listings {
                html.push_str(&format!("<a href=/list/{}>Sau</a>", k + 1));
            }
            html.push_str("</div></body></html>");
            return Some(Reply::html(html));
        }
        if let Some(j) = path
            .strip_prefix("/a/")
            .and_then(|k| k.parse::<usize>().ok())
        {
            let mut html = format!(
                "<html><head><meta charset=utf-8><title>Chỉ thị {j}</title></head><body><div class=article-detail>\
                 <h1 class=article-title>Chỉ thị số {j}-CT/TU về công tác dân vận</h1><div class=article-date>0{}/03/2020</div>\
                 <div class=article-content>",
                1 + j % 9
            );
            for _ in 0..12 {
                html.push_str("<p>");
                html.push_str(PARA);
                html.push_str("</p>");
            }
            html.push_str(&format!(
                "</div><a href=/list/{}>Danh sách</a> <a href=/a/{}>Bài sau</a></div></body></html>",
                j / PER_LISTING,
                (j + 1) % articles
            ));
            return Some(Reply::html(html));
        }
        if let Some(i) = path.strip_prefix("/f/") {
            return Some(Reply::html(format!("<p>frontier page {i}</p>")));
        }
        Some(Reply::status(404))
    })
}

struct Measure {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: i64,
    code: i32,
}

/// Runs the binary, returning wall time, CPU time and peak RSS (wait4).
// The child is reaped by `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Measure {
    let t0 = Instant::now();
    let child = cmd.spawn().expect("spawn vanban");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let wall = t0.elapsed();
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Measure {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let pages = arg("--pages", 20_000);
    let runs = arg("--runs", 3);
    let frontier = arg("--frontier", 1_000_000);
    let per_host = pages / HOSTS;
    let articles = per_host - per_host.div_ceil(PER_LISTING + 1);
    let servers: Vec<Server> = (0..HOSTS)
        .map(|i| Server::start(&format!("127.0.0.{}", i + 2), None, site(articles)))
        .collect();
    let seeds: Vec<String> = servers.iter().map(|s| s.url("/list/0")).collect();
    let bin = env!("CARGO_BIN_EXE_vanban");
    println!(
        "crawl bench: {HOSTS} hosts, {} pages per host ({articles} articles), {runs} runs",
        articles + articles.div_ceil(PER_LISTING)
    );
    for (label, extra) in [
        ("crawl --no-index", vec!["--no-index"]),
        ("crawl + index", vec![]),
    ] {
        let mut rates = Vec::new();
        let mut cpus = Vec::new();
        let mut rss = Vec::new();
        let n = runs;
        for _ in 0..n {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut cmd = Command::new(bin);
            cmd.arg("--data-dir").arg(dir.path()).args([
                "crawl",
                "--delay-ms",
                "0",
                "--concurrency",
                "8",
                "--timeout",
                "10",
            ]);
            cmd.args(&extra).args(&seeds);
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            let before: usize = servers.iter().map(|s| s.requests().len()).sum();
            let m = measure(&mut cmd);
            let fetched: usize = servers.iter().map(|s| s.requests().len()).sum::<usize>() - before;
            assert_eq!(m.code, 0, "crawl failed");
            assert!(fetched >= pages * 9 / 10, "only {fetched} requests");
            let rate = fetched as f64 / m.wall.as_secs_f64();
            // What the crawl made of the pages: documents in the index. The
            // hosts serve the same articles, so the copies on other hosts
            // merge into one document each.
            let stats = Command::new(bin)
                .arg("--data-dir")
                .arg(dir.path())
                .args(["stats", "--json"])
                .output()
                .expect("vanban stats");
            let stats: serde_json::Value =
                serde_json::from_slice(&stats.stdout).unwrap_or_default();
            let docs = stats["documents"].as_u64().unwrap_or(0);
            if extra.is_empty() {
                assert!(
                    docs as usize >= articles * 9 / 10,
                    "only {docs} documents indexed of {articles} distinct articles"
                );
            }
            println!(
                "  {label}: {fetched} requests in {:.2}s = {rate:.0} pages/s, {docs} documents, CPU {:.2}s ({:.0}% of one core), peak RSS {:.1} MB",
                m.wall.as_secs_f64(),
                m.cpu.as_secs_f64(),
                100.0 * m.cpu.as_secs_f64() / m.wall.as_secs_f64(),
                m.max_rss_kb as f64 / 1024.0
            );
            rates.push(rate);
            cpus.push(m.cpu.as_secs_f64());
            rss.push(m.max_rss_kb as f64 / 1024.0);
        }
        println!(
            "{label}: median {:.0} pages/s, CPU {:.2}s, peak RSS {:.1} MB",
            median(rates),
            median(cpus),
            median(rss)
        );
    }
    // A frontier of `frontier` queued URLs, held in SQLite.
    let dir = tempfile::tempdir().expect("tempdir");
    let dd = vanban::datadir::DataDir::open(dir.path()).expect("data dir");
    {
        let mut st = vanban::store::Store::open(&dd.store_path()).expect("store");
        let origin = servers[0].origin();
        let t0 = Instant::now();
        st.begin().expect("begin");
        for i in 0..frontier {
            st.enqueue(&format!("{origin}/f/{i}"), &origin, "page", 1, None, 0)
                .expect("enqueue");
        }
        st.commit().expect("commit");
        println!(
            "frontier: {frontier} URLs queued in {:.1}s",
            t0.elapsed().as_secs_f64()
        );
    }
    let mut cmd = Command::new(bin);
    cmd.arg("--data-dir").arg(dir.path()).args([
        "crawl",
        "--delay-ms",
        "0",
        "--no-index",
        "--max-pages",
        "5000",
    ]);
    cmd.arg(servers[0].url("/f/0"));
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let m = measure(&mut cmd);
    println!(
        "frontier of {frontier}: crawl of 5000 pages took {:.2}s, peak RSS {:.1} MB (exit {})",
        m.wall.as_secs_f64(),
        m.max_rss_kb as f64 / 1024.0,
        m.code
    );
}
