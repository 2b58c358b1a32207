//! `unres show` takes the output flags the other printing commands take: `--json` prints one
//! object a record (the record as `export` prints it, with its place), `--color` colours
//! the headings as `search` colours a hit's place.

use crate::common::*;

fn show(args: &[&str]) -> (i32, String) {
    // The shared index, as it is (tests running at once would race to check it).
    let out = unres(indexed())
        .args(["show", "--index", "index"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn show_json_prints_one_record_a_line_as_export_does_with_its_place() {
    let (code, out) = show(&["A/RES/78/46", "--json"]);
    assert_eq!(code, 0);
    let export = unres(indexed()).arg("export").output().unwrap();
    let exported: Vec<serde_json::Value> = String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let shown: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown.len(), 72);
    for (s, e) in shown.iter().zip(&exported) {
        let mut s = s.clone();
        let place = s.as_object_mut().unwrap().remove("place").unwrap();
        assert_eq!(&s, e);
        assert!(
            place.as_str().unwrap().starts_with("A/RES/78/46 "),
            "{place}"
        );
    }
    let (code, out) = show(&["A/RES/78/46", "op.23", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
    assert_eq!(v["place"], "A/RES/78/46 执行部分第 23 段");
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn show_colours_its_headings_only_when_asked() {
    let (_, plain) = show(&["A/RES/78/46", "op.23", "--color", "never"]);
    assert!(!plain.contains('\x1b'));
    assert!(
        plain.starts_with("A/RES/78/46 执行部分第 23 段  第 78 届会议"),
        "{plain}"
    );
    let (_, coloured) = show(&["A/RES/78/46", "op.23", "--color", "always"]);
    assert!(
        coloured.starts_with("\x1b[1;36mA/RES/78/46 执行部分第 23 段\x1b[0m  第 78 届会议"),
        "{coloured}"
    );
    let (_, whole) = show(&["A/RES/78/46", "--color", "always"]);
    assert!(
        whole.starts_with("\x1b[1;36mA/RES/78/46\x1b[0m  "),
        "{whole}"
    );
    assert!(whole.contains("\x1b[1;36m[op.23] 执行部分第 23 段\x1b[0m"));
    // Without a terminal, `auto` is plain, as without the flag.
    assert_eq!(
        show(&["A/RES/78/46"]).1,
        show(&["A/RES/78/46", "--color", "never"]).1
    );
}
