//! How records are stored: each compressed on its own against a dictionary the index trains
//! on its corpus. An index first built too small to train one gets one when it grows, and
//! its older records stay readable beside the new ones; a rebuild trains anew and the old
//! dictionary goes; a dictionary file lost is an error that names it, and answers that
//! need no record still come.

use crate::support::*;
use crate::survive::{answers, copy_tree, fresh_answers, generated, write_files};
use std::path::{Path, PathBuf};

/// The dictionary files of an index folder.
fn dictionaries(index: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dict"))
        .collect();
    found.sort();
    found
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/A-RES-78-46.zh.txt")
}

/// The seed's records as `show` prints them, and a page of its footnotes' text.
fn seed_records(dir: &Path) -> String {
    let mut out = String::new();
    for args in [
        &["show", "A/RES/78/46", "--index", "index"][..],
        &[
            "search",
            "条约",
            "--symbol",
            "A/RES/78/46",
            "--index",
            "index",
        ],
    ] {
        let run = run_in(dir, args);
        run.succeeded("the seed's records");
        out.push_str(&run.stdout);
    }
    out
}

#[test]
fn an_index_grows_a_dictionary_and_keeps_reading_its_first_records() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(seed(), corpus.join("A-RES-78-46.zh.txt")).unwrap();
    run_in(dir.path(), ["index"]).succeeded("the seed alone");
    let index = dir.path().join("index");
    assert!(
        dictionaries(&index).is_empty(),
        "one resolution trains no dictionary"
    );
    let alone = seed_records(dir.path());
    assert!(alone.contains("武器贸易条约"), "{alone}");

    write_files(&corpus, &generated(60, 32));
    run_in(dir.path(), ["index"]).succeeded("60 files more");
    assert_eq!(dictionaries(&index).len(), 1, "the update trains one");
    // The seed's records, compressed without it, read back as before beside the new ones.
    assert_eq!(seed_records(dir.path()), alone);
    let fresh = fresh_answers(&corpus);
    assert_eq!(answers(dir.path(), Path::new("index")), fresh);

    // A rebuild trains on every file and leaves one dictionary, the new one.
    let before = dictionaries(&index);
    run_in(dir.path(), ["index", "--rebuild"]).succeeded("a rebuild");
    let after = dictionaries(&index);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after, before, "the seed is now among the samples");
    assert_eq!(seed_records(dir.path()), alone);
    assert_eq!(answers(dir.path(), Path::new("index")), fresh);

    // A copy of the project reads its own dictionary.
    let copy = tempdir();
    copy_tree(dir.path(), copy.path());
    assert_eq!(seed_records(copy.path()), alone);
}

#[test]
fn a_lost_dictionary_is_named_and_counts_still_come() {
    let dir = tempdir();
    write_files(&dir.path().join("corpus"), &generated(40, 33));
    run_in(dir.path(), ["index"]).succeeded("a build");
    let index = dir.path().join("index");
    let [dict] = &dictionaries(&index)[..] else {
        panic!("one dictionary: {:?}", dictionaries(&index))
    };
    std::fs::remove_file(dict).unwrap();
    let name = dict.file_name().unwrap().to_str().unwrap();
    let page = run_in(dir.path(), ["search", "妇女", "--index", "index"]);
    page.clear_error("a page without its dictionary");
    assert!(page.stderr.contains(name), "{}", page.stderr);
    run_in(
        dir.path(),
        ["search", "妇女", "--count", "--index", "index"],
    )
    .succeeded("a count needs no record");
    // A rebuild mends it.
    run_in(dir.path(), ["index", "--rebuild"]).succeeded("a rebuild");
    run_in(dir.path(), ["search", "妇女", "--index", "index"]).succeeded("a page again");
}
