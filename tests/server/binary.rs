//! The binary: `vanban serve` and `vanban demo` on a loopback socket,
//! stopped by SIGTERM.
use super::*;

/// Starts `vanban ARGS`, reads the URL it prints, and returns both.
fn spawn_server(args: &[&str], data: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .env_remove("VANBAN_DATA_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("the server prints its URL").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// A GET on loopback with reqwest: (status, body).
fn http_get(url: &str, path: &str) -> (u16, String) {
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let url = format!("{}{path}", url.trim_end_matches('/'));
    let r = reqwest::blocking::get(&url).unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status().as_u16();
    (status, r.text().unwrap())
}

/// SIGTERM, then the exit status (a hang guard of 60 s, not a measure).
fn terminate(mut child: std::process::Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_listens_on_loopback_and_stops_on_sigterm() {
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("127.0.0.1:8080"),
        "loopback by default: {help}"
    );

    let d = Data::new();
    let (child, url) = spawn_server(&["serve", "--addr", "127.0.0.1:0"], d.dd.root());
    let (status, body) = http_get(&url, "/api/search?q=dan");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("no_index"), "{body}");
    assert_eq!(http_get(&url, "/healthz").0, 200);
    let status = terminate(child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn demo_builds_the_fixtures_and_serves_them() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    let (child, url) = spawn_server(
        &[
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--fixtures",
            repo("fixtures/demo").to_str().unwrap(),
        ],
        &data,
    );
    let (status, body) = http_get(&url, "/api/lookup?number=312-QD/TU");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["documents"][0]["number"], "312-QĐ/TU");
    let (status, page) = http_get(&url, "/");
    assert_eq!(status, 200);
    assert!(page.contains("Tra cứu văn bản"));
    assert!(terminate(child).success());
}
