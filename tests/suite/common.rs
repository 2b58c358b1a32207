//! The suite's own helpers, over the harness both test binaries share (`tests/support/`,
//! re-exported here): searches of the indexed seed by place, the seed's places, and the
//! options and pages the library tests compare.
#![allow(dead_code)]

pub use crate::support::*;

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
