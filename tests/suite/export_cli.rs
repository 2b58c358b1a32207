//! `unres export`: one JSON object per paragraph and footnote; bad files reported, never
//! stopping the good ones.

use crate::common::*;

fn lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn export_prints_every_paragraph_and_footnote_of_the_default_corpus() {
    let ws = workspace();
    let out = unres(ws.path()).arg("export").output().unwrap();
    assert!(out.status.success());
    let recs = lines(&out.stdout);
    assert_eq!(recs.len(), 24 + 34 + 14);
    let first = &recs[0];
    assert_eq!(first["file"], "corpus/A-RES-78-46.zh.txt");
    assert_eq!(first["symbol"], "A/RES/78/46");
    assert_eq!(first["session"], 78);
    assert_eq!(first["title"], "小武器和轻武器非法贸易的各方面问题");
    assert_eq!(first["date"], "2023-12-04");
    assert_eq!(first["kind"], "preamble");
    assert_eq!(first["para"], 1);
    assert_eq!(
        first["cites"],
        serde_json::json!(["A/RES/77/71", "A/RES/56/24"])
    );
    let note4 = recs
        .iter()
        .find(|r| r["kind"] == "footnote" && r["para"] == 4)
        .unwrap();
    assert_eq!(note4["cited_by"], serde_json::json!(["preamble 20"]));
    assert_eq!(note4["cites"], serde_json::json!(["A/CONF.192/BMS/2022/1"]));
    let kinds: std::collections::BTreeSet<&str> =
        recs.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["footnote", "operative", "preamble"].into());
}

#[test]
fn export_of_a_folder_with_bad_files_prints_the_good_and_exits_1() {
    let ws = workspace();
    let c = ws.path().join("corpus");
    std::fs::write(c.join("a-empty.txt"), b"").unwrap();
    std::fs::write(c.join("b-binary.txt"), b"%PDF-1.7\n\x00\x00\xff").unwrap();
    std::fs::write(c.join("c-notitle.txt"), "大会，\n\n 回顾其决议， \n").unwrap();
    let seed = std::fs::read_to_string(ws.path().join(SEED)).unwrap();
    std::fs::write(
        c.join("d-gb18030.txt"),
        encoding_rs::GB18030.encode(&seed).0,
    )
    .unwrap();
    let mut utf16 = vec![0xFE, 0xFF];
    for u in seed.encode_utf16() {
        utf16.extend_from_slice(&u.to_be_bytes());
    }
    std::fs::write(c.join("e-utf16.txt"), utf16).unwrap();
    std::fs::write(
        c.join("f-crlf-bom.txt"),
        format!("\u{FEFF}{}", seed.replace('\n', "\r\n")),
    )
    .unwrap();
    let out = unres(ws.path()).arg("export").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = lines(&out.stdout);
    // The four copies are one resolution, as in the index: read from one of them.
    assert_eq!(recs.len(), 72, "seed, GB18030, UTF-16 and CRLF+BOM copies");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "A/RES/78/46 is in 4 files; kept corpus/e-utf16.txt, left out corpus/d-gb18030.txt, \
             corpus/f-crlf-bom.txt, corpus/A-RES-78-46.zh.txt (identical text)"
        ),
        "{err}"
    );
    assert!(err.contains("a-empty.txt:1: the file is empty"), "{err}");
    // Bytes that open as a PDF are read as one, whatever the name.
    assert!(err.contains("b-binary.txt:1: not a readable PDF"), "{err}");
    assert!(
        err.contains("c-notitle.txt:1: no resolution title"),
        "{err}"
    );
    assert!(err.contains("3 file(s) could not be read"), "{err}");
    // Each copy exported alone reads the same texts.
    let texts = |file: &str| -> Vec<String> {
        let out = unres(ws.path())
            .args(["export", &format!("corpus/{file}")])
            .output()
            .unwrap();
        lines(&out.stdout)
            .iter()
            .map(|r| r["text"].as_str().unwrap().to_string())
            .collect()
    };
    let original = texts("A-RES-78-46.zh.txt");
    assert_eq!(original.len(), 72);
    for f in ["d-gb18030.txt", "e-utf16.txt", "f-crlf-bom.txt"] {
        assert_eq!(texts(f), original, "{f}");
    }
}

#[test]
fn export_of_a_missing_path_is_reported_and_exits_1() {
    let ws = workspace();
    let out = unres(ws.path())
        .args(["export", "corpus", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out.stdout).len(), 72);
    assert!(String::from_utf8(out.stderr).unwrap().contains("nowhere"));
}

#[test]
fn export_usage_error_exits_2() {
    let ws = workspace();
    unres(ws.path())
        .args(["export", "--bogus"])
        .assert()
        .code(2);
}

#[test]
fn export_into_a_closed_pipe_is_not_an_error() {
    let ws = workspace();
    let mut child = command(ws.path())
        .arg("export")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}
