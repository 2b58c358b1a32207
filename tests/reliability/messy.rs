//! A messy corpus: good files (UTF-8, GB18030, UTF-16) and bad ones (damaged, binary, empty,
//! odd names) in one folder. Every good record is indexed and found by a phrase of its own,
//! every bad file is reported once with its reason and exit status 1, and bad files change
//! no search result.

use super::{count, expected_state, index_args, state_of, Parsed};
use crate::support::*;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use unres::Record;
use unres_synth::{self as synth, SynthConfig};

/// The messy corpus, an index of its good files alone (built before the bad files were
/// added, so both indexes name the same paths), and an index of the whole folder.
pub(super) struct Messy {
    good: Vec<Parsed>,
    /// The original UTF-8 text of each file written in another encoding.
    encoded: Vec<(PathBuf, String)>,
    /// Each bad file's name and a fragment of the reason it must be given.
    bad: Vec<(String, &'static str)>,
    good_index: PathBuf,
    good_run: Run,
    pub(super) messy_index: PathBuf,
    messy_run: Run,
}

const GOOD_UTF8: usize = 200;

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

impl Messy {
    pub(super) fn get() -> &'static Messy {
        static MESSY: OnceLock<Messy> = OnceLock::new();
        MESSY.get_or_init(Messy::make)
    }

    fn make() -> Messy {
        let root = scratch().join("messy");
        let corpus = root.join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        // Six more resolutions than the UTF-8 ones, written in other encodings.
        let config = SynthConfig {
            resolutions: GOOD_UTF8 + 6,
            seed: 2024,
        };
        let files: Vec<synth::SynthFile> = (0..config.resolutions)
            .into_par_iter()
            .map(|i| synth::resolution(&config, i))
            .collect();
        let mut encoded = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let (name, bytes) = match i.checked_sub(GOOD_UTF8) {
                None => (f.name.clone(), f.text.clone().into_bytes()),
                Some(0..=2) => {
                    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&f.text);
                    assert!(!unmappable);
                    (format!("gb18030-{}", f.name), gb.into_owned())
                }
                Some(k) => (format!("utf16-{}", f.name), utf16(&f.text, k == 5)),
            };
            let path = corpus.join(&name);
            std::fs::write(&path, bytes).unwrap();
            if i >= GOOD_UTF8 {
                encoded.push((path, f.text.clone()));
            }
        }
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let good: Vec<Parsed> = paths.into_par_iter().map(Parsed::read).collect();

        let good_index = root.join("good-index");
        let good_run = run(index_args(&corpus, &good_index, &[]));

        let bad = Messy::add_bad_files(&corpus, &files[0].text, &files[1].text);
        let messy_index = root.join("messy-index");
        let messy_run = run(index_args(&corpus, &messy_index, &[]));
        // The 20 MB file has served; the indexes are what the tests use.
        let _ = std::fs::remove_file(corpus.join("bad-one-line.txt"));
        Messy {
            good,
            encoded,
            bad,
            good_index,
            good_run,
            messy_index,
            messy_run,
        }
    }

    fn add_bad_files(corpus: &Path, text: &str, other: &str) -> Vec<(String, &'static str)> {
        let mut bad = Vec::new();
        let mut put = |name: &str, bytes: &[u8], reason: &'static str| {
            std::fs::write(corpus.join(name), bytes).unwrap();
            bad.push((name.to_string(), reason));
        };
        // A good file cut in the middle of a three-byte character.
        let mut cut = text.len() / 2;
        while text.is_char_boundary(cut) || text.is_char_boundary(cut - 1) {
            cut += 1;
        }
        put("bad-truncated.txt", &text.as_bytes()[..cut], "truncated");
        let mut nul = other.as_bytes().to_vec();
        nul.insert(other.len() / 3, 0);
        put("bad-nul.txt", &nul, "binary file");
        put("bad-empty.txt", b"", "the file is empty");
        put("bad-blank.txt", b"  \n\n \r\n\t\n", "the file is empty");
        let line = "核裁军与不扩散，".repeat(20_000_000 / 24);
        put("bad-one-line.txt", line.as_bytes(), "no resolution title");
        let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length 4096 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        // No cross-reference table: a PDF that cannot be read, named as one.
        put("bad-scan.pdf", &pdf, "not a readable PDF");
        let html = "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
                    <title>A/RES/78/46 大会决议</title>\n</head>\n<body>\n\
                    <h1>78/46. 常规武器</h1>\n<p>大会，</p>\n<p>1. 决定将题为“常规武器”的项目列入临时议程；</p>\n\
                    </body>\n</html>\n";
        put("bad-page.html", html.as_bytes(), "no resolution title");
        std::os::unix::fs::symlink(".", corpus.join("loop")).unwrap();
        bad.push(("loop".into(), "symbolic link loop"));
        // A file nobody may read; the superuser reads it anyway, so it is left out then.
        let unreadable = corpus.join("bad-unreadable.txt");
        std::fs::write(&unreadable, text).unwrap();
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&unreadable).is_ok() {
            print_note("running as a user who reads mode-000 files (root): the unreadable-file case is skipped");
            std::fs::remove_file(&unreadable).unwrap();
        } else {
            bad.push(("bad-unreadable.txt".into(), "Permission denied"));
        }
        bad
    }

    pub(super) fn good_records(&self) -> Vec<Record> {
        self.good.iter().flat_map(|f| f.records()).collect()
    }
}

#[test]
fn every_good_record_of_a_messy_corpus_is_indexed() {
    let m = Messy::get();
    assert_eq!(
        m.good_run.code,
        Some(0),
        "good files alone: {:?}",
        m.good_run
    );
    let expected = expected_state(&m.good.iter().collect::<Vec<_>>());
    assert_eq!(m.good.len(), GOOD_UTF8 + 6);
    assert_eq!(state_of(&m.messy_index), expected);
    assert_eq!(state_of(&m.good_index), expected);
}

#[test]
fn every_bad_file_is_reported_once_with_its_reason_and_the_exit_status_is_1() {
    let m = Messy::get();
    let r = &m.messy_run;
    r.no_crash("index of the messy corpus");
    assert_eq!(r.code, Some(1), "{r:?}");
    let skipped: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("unres: skipped "))
        .collect();
    assert_eq!(skipped.len(), m.bad.len(), "{}", r.stderr);
    for (name, reason) in &m.bad {
        let lines: Vec<&&str> = skipped
            .iter()
            .filter(|l| l.contains(&format!("/{name}:")))
            .collect();
        assert_eq!(lines.len(), 1, "{name} reported once: {}", r.stderr);
        assert!(lines[0].contains(reason), "{name}: {}", lines[0]);
    }
    assert!(
        r.stdout.contains(&format!("{} resolutions", GOOD_UTF8 + 6))
            && r.stdout.contains(&format!("{} failed", m.bad.len())),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_files_change_no_search_result() {
    let m = Messy::get();
    let queries = [
        "武器",
        "大会 kind:operative",
        "核裁军 OR 不扩散",
        "-武器 kind:preamble",
        "决议 session:75",
        "\"联合国\" -大会",
    ];
    for q in queries {
        let search = |dir: &Path| {
            run([
                OsStr::new("search"),
                OsStr::new("--json"),
                OsStr::new("--limit"),
                OsStr::new("30"),
                OsStr::new("--index"),
                dir.as_os_str(),
                OsStr::new("--"),
                OsStr::new(q),
            ])
        };
        // Every query finds records: two empty answers, or two errors, would prove nothing.
        let good = search(&m.good_index);
        good.succeeded(q);
        assert_eq!(search(&m.messy_index), good, "{q}");
        let (n, code) = count(&m.good_index, q);
        assert!(n > 0 && code == Some(0), "{q}: {n} ({code:?})");
        assert_eq!(count(&m.messy_index, q), (n, code), "{q}");
    }
}

/// The longest run of CJK characters in the file's records, cut to at most 12 characters.
fn phrase_of(records: &[Record]) -> String {
    let is_cjk = |c: &char| ('\u{4E00}'..='\u{9FFF}').contains(c);
    let mut best: Vec<char> = Vec::new();
    for r in records {
        let chars: Vec<char> = r.text.chars().collect();
        for run in chars.split(|c| !is_cjk(c)) {
            if run.len() > best.len() {
                best = run.to_vec();
            }
        }
    }
    let from = best.len().saturating_sub(12) / 2;
    best[from..best.len().min(from + 12)].iter().collect()
}

#[test]
fn every_good_file_is_found_by_a_phrase_of_its_own() {
    let m = Messy::get();
    let failures = Mutex::new(Vec::new());
    m.good.par_iter().with_max_len(1).for_each(|f| {
        let records = f.records();
        let phrase = phrase_of(&records);
        let needle = unres::fold(&phrase);
        let expected: BTreeSet<(String, u64)> = records
            .iter()
            .filter(|r| unres::fold(&r.text).contains(&needle))
            .map(|r| (r.kind.to_string(), u64::from(r.para)))
            .collect();
        let query = format!("\"{phrase}\" symbol:{}", f.symbol());
        let r = run([
            OsStr::new("search"),
            OsStr::new("--json"),
            OsStr::new("--limit"),
            OsStr::new("100"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            OsStr::new(&query),
        ]);
        r.no_crash(&query);
        let found: BTreeSet<(String, u64)> = r
            .stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("JSON hit");
                (
                    v["kind"].as_str().unwrap().to_string(),
                    v["para"].as_u64().unwrap(),
                )
            })
            .collect();
        if expected.is_empty() || found != expected || r.code != Some(0) {
            failures.lock().unwrap().push(format!(
                "{}: {query}: expected {expected:?}, found {found:?} ({:?})",
                f.path.display(),
                r.code
            ));
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gb18030_and_utf16_files_read_like_their_utf8_originals() {
    let m = Messy::get();
    assert_eq!(m.encoded.len(), 6);
    for (path, original) in &m.encoded {
        let from_file = unres::parse_file(path).expect("an encoded file is read");
        // Records name a file from the folder holding it: `corpus/NAME`.
        let shown = Path::new("corpus").join(path.file_name().unwrap());
        let from_text = unres::parse_str(&shown, original).unwrap();
        assert_eq!(from_file, from_text, "{}", path.display());
        let symbol = &from_file[0].symbol;
        let n: usize = from_file.iter().map(|r| r.records().len()).sum();
        assert_eq!(
            count(&m.messy_index, &format!("symbol:{symbol}")),
            (n, Some(0)),
            "{}",
            path.display()
        );
    }
}
