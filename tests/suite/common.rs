//! Shared helpers of the integration tests: the real binary, a temporary folder holding a
//! copy of the seed corpus, and an index built from it once per test binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The seed resolution shipped in corpus/.
pub const SEED: &str = "corpus/A-RES-78-46.zh.txt";

/// The `unres` binary, run in `dir`.
pub fn unres(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("unres").expect("binary built");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// A temporary folder with `corpus/` holding the seed.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::copy(SEED, dir.path().join(SEED)).unwrap();
    dir
}

/// A workspace whose `index/` was built from the seed, shared by the tests of one binary.
pub fn indexed() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = workspace();
        unres(dir.path()).args(["index"]).assert().success();
        let path = dir.path().to_path_buf();
        (dir, path)
    });
    path
}

/// Runs a search in the shared workspace and returns the places (`A/RES/78/46 执行部分第 23 段`)
/// of the JSON hits, and the exit code.
pub fn places(args: &[&str]) -> (Vec<String>, i32) {
    let out = unres(indexed())
        .args(["search", "--json", "--limit", "100"])
        .args(args)
        .output()
        .unwrap();
    let places = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["place"].as_str().unwrap().to_string()
        })
        .collect();
    (places, out.status.code().unwrap())
}

/// `A/RES/78/46 执行部分第 N 段` and friends.
pub fn op(n: u32) -> String {
    format!("A/RES/78/46 执行部分第 {n} 段")
}
/// A preamble place.
pub fn pre(n: u32) -> String {
    format!("A/RES/78/46 序言部分第 {n} 段")
}
/// A footnote place.
pub fn note(n: u32) -> String {
    format!("A/RES/78/46 脚注 {n}")
}

/// A collapsed page as two of them are compared: each paragraph's place, its score's bits
/// and the other sessions where it matches.
pub fn collapsed_page(r: &unres::CollapsedResults) -> Vec<(String, u32, Vec<unres::AlsoIn>)> {
    r.hits
        .iter()
        .map(|h| {
            (
                h.hit.record.place(),
                h.hit.score.to_bits(),
                h.also_in.clone(),
            )
        })
        .collect()
}
