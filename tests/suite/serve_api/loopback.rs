//! The real binary over loopback: its answers, a commit by `unres index` in another process
//! served, a clean stop on Ctrl-C, and an address other than loopback refused unless
//! `--public`.

use super::CSP;
use crate::http::{enc, seed_site};
use crate::support::site::{read, Site, NEXT, SEED};
use serde_json::Value;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// A GET over a fresh connection: status line, headers (lower-cased names) and body.
pub(crate) fn http_get(addr: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

/// `unres serve` started on a free port: the child and the address it printed.
pub(crate) fn start_binary(args: &[&str], dir: &Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    (child, addr)
}

#[test]
fn the_binary_serves_over_loopback_and_stops_on_ctrl_c() {
    let site = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let root = site.corpus.parent().unwrap().to_path_buf();
    let (mut child, addr) = start_binary(
        &[
            "--index",
            site.dir.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
        &root,
    );
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let (status, head, body) = http_get(&addr, "/api/stats");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("content-type: application/json"));
    let stats: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(stats["resolutions"], 1);
    let (status, head, body) = http_get(&addr, &format!("/?q={}&session=70-78", enc("小武器")));
    assert_eq!(status, 200);
    assert!(head.contains(&format!("content-security-policy: {}", CSP.to_lowercase())));
    assert!(String::from_utf8(body).unwrap().contains("/app.js"));

    // `unres index` in another process: its commit is served within a few refreshes, and
    // every request meanwhile is answered.
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["index", "--index"])
        .arg(&site.dir)
        .arg(&site.corpus)
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, body) = http_get(&addr, "/api/search?symbol=A/RES/79/40&limit=0");
        assert_eq!(status, 200);
        let v: Value = serde_json::from_slice(&body).unwrap();
        if v["total"].as_u64().unwrap() > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the new commit was never served");
        std::thread::sleep(Duration::from_millis(100));
    }

    // Ctrl-C: a clean stop.
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let code = wait_for(&mut child, Duration::from_secs(20));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("newer commit"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

fn wait_for(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("unres serve did not stop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_binary_refuses_an_address_other_than_loopback_unless_public() {
    let site = seed_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(&site.dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("--addr 0.0.0.0:0") && stderr.contains("--public"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["serve", "--addr", "somewhere", "--index"])
        .arg(&site.dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("--addr"));

    // With --public it listens, after a warning.
    let (mut child, addr) = start_binary(
        &[
            "--index",
            site.dir.to_str().unwrap(),
            "--addr",
            "0.0.0.0:0",
            "--public",
        ],
        &site.dir,
    );
    let port = addr.rsplit(':').next().unwrap();
    let (status, _, _) = http_get(&format!("127.0.0.1:{port}"), "/api/stats");
    assert_eq!(status, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("warning") && stderr.contains("readable by anyone"),
        "{stderr}"
    );
}
