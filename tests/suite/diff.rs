//! Wording history: pairing and diffs against the truth, on generated series of many
//! sessions and on a hand-edited 79th-session version of the seed.

use std::path::{Path, PathBuf};
use unres::{diff_resolutions, history, Kind, Op, Resolution, Status};
use unres_synth::series::{series, Series, SeriesConfig};

/// How many paragraphs and footnotes of a diff of members `k - 1` → `k` are paired as the
/// generator made them, out of how many.
fn score(s: &Series, k: usize) -> (usize, usize, Vec<String>) {
    let d = diff_resolutions(&s.members[k - 1], &s.members[k]);
    let mut right = 0;
    let mut wrong = Vec::new();
    for p in &d.paragraphs {
        let ok = match (&p.old, &p.new) {
            (old, Some(n)) => s.true_old(k, n.kind, n.para) == old.as_ref().map(|o| o.para),
            (Some(o), None) => {
                let id = s
                    .id_of(k - 1, o.kind, o.para)
                    .expect("an old paragraph has an id");
                s.number_of(k, o.kind, id).is_none()
            }
            (None, None) => false,
        };
        if ok {
            right += 1;
        } else {
            wrong.push(format!("{:?}", (p.status, &p.old, &p.new)));
        }
    }
    (right, d.paragraphs.len(), wrong)
}

#[test]
fn generated_series_are_paired_as_made() {
    let (mut right, mut total) = (0, 0);
    for seed in 0..8u64 {
        let s = series(&SeriesConfig {
            sessions: 12,
            first_session: 66,
            seed,
            number: None,
        });
        for k in 1..s.members.len() {
            let (r, t, wrong) = score(&s, k);
            right += r;
            total += t;
            for w in wrong.iter().take(3) {
                eprintln!("seed {seed} member {k}: {w}");
            }
        }
    }
    let accuracy = right as f64 / total as f64;
    eprintln!("paired as made: {right}/{total} = {accuracy:.4}");
    assert!(total > 2000, "{total}");
    assert!(accuracy >= 0.99, "{right}/{total}");
}

/// Every paragraph of the newest member: its history is exactly its lineage.
#[test]
fn history_chains_follow_the_lineage() {
    for seed in 0..4u64 {
        let s = series(&SeriesConfig {
            sessions: 12,
            first_session: 66,
            seed,
            number: None,
        });
        let newest_first: Vec<Resolution> = s.members.iter().rev().cloned().collect();
        let last = s.members.len() - 1;
        let (mut right, mut total) = (0, 0);
        for p in &s.members[last].paragraphs {
            let id = s.id_of(last, p.kind, p.number).unwrap();
            let truth: Vec<(u32, u32)> = (0..=last)
                .rev()
                .map_while(|k| {
                    s.number_of(k, p.kind, id)
                        .map(|n| (s.members[k].session, n))
                })
                .collect();
            let steps = history(&newest_first, p.kind, p.number);
            let got: Vec<(u32, u32)> = steps.iter().map(|h| (h.session, h.para)).collect();
            total += 1;
            if got == truth {
                right += 1;
                assert_eq!(steps.last().unwrap().status, Status::New);
            } else {
                eprintln!(
                    "seed {seed} {} {}: {got:?} truly {truth:?}",
                    p.kind, p.number
                );
            }
        }
        assert!(right == total, "seed {seed}: {right}/{total} chains right");
    }
}

#[test]
fn a_generated_series_recalls_each_previous_member() {
    let s = series(&SeriesConfig {
        sessions: 10,
        first_session: 70,
        seed: 3,
        number: None,
    });
    for pair in s.members.windows(2) {
        let opening = &pair[1].paragraphs[0];
        assert_eq!(opening.cites, vec![pair[0].symbol.clone()]);
        assert_eq!(pair[1].session, pair[0].session + 1);
    }
}

#[test]
fn a_resolution_against_itself_is_unchanged() {
    let seed = unres::parse_file("corpus/A-RES-78-46.zh.txt".as_ref())
        .unwrap()
        .remove(0);
    let d = diff_resolutions(&seed, &seed);
    assert!(d
        .paragraphs
        .iter()
        .all(|p| p.status == Status::Unchanged && !p.moved));
    let summary: Vec<String> = d.summary().iter().map(ToString::to_string).collect();
    assert_eq!(
        summary,
        [
            "preamble: 24 unchanged, 0 changed, 0 new, 0 dropped",
            "operative: 34 unchanged, 0 changed, 0 new, 0 dropped",
            "footnote: 14 unchanged, 0 changed, 0 new, 0 dropped"
        ]
    );
    let _ = (Kind::Preamble, Op::Equal);
}

fn seed_and_next() -> (Resolution, Resolution) {
    let seed = unres::parse_file("corpus/A-RES-78-46.zh.txt".as_ref())
        .unwrap()
        .remove(0);
    let next = unres::parse_file("tests/fixtures/series/A-RES-79-40.zh.txt".as_ref())
        .unwrap()
        .remove(0);
    (seed, next)
}

/// The fixture is the seed made into a 79th-session version by hand: pre.1 recalls 78/46,
/// pre.22 (and its footnote) dropped, op.9, op.12 and op.34 reworded, op.20 and op.21
/// swapped, a new op.33.
#[test]
fn the_hand_edited_seed() {
    let (seed, next) = seed_and_next();
    let d = diff_resolutions(&seed, &next);
    let summary: Vec<String> = d.summary().iter().map(ToString::to_string).collect();
    assert_eq!(
        summary,
        [
            "preamble: 22 unchanged, 1 changed, 0 new, 1 dropped",
            "operative: 31 unchanged, 3 changed, 1 new, 0 dropped, 1 moved",
            "footnote: 13 unchanged, 0 changed, 0 new, 1 dropped"
        ]
    );
    let not_unchanged: Vec<(Status, bool, Option<u32>, Option<u32>)> = d
        .paragraphs
        .iter()
        .filter(|p| p.status != Status::Unchanged || p.moved)
        .map(|p| {
            let old = p.old.as_ref().map(|v| v.para);
            (p.status, p.moved, old, p.new.as_ref().map(|v| v.para))
        })
        .collect();
    assert_eq!(
        not_unchanged,
        [
            (Status::Changed, false, Some(1), Some(1)),
            (Status::Dropped, false, Some(22), None),
            (Status::Changed, false, Some(9), Some(9)),
            (Status::Changed, false, Some(12), Some(12)),
            (Status::Unchanged, true, Some(21), Some(20)),
            (Status::New, false, None, Some(33)),
            (Status::Changed, false, Some(34), Some(35)),
            (Status::Dropped, false, Some(6), None),
        ]
    );
    // The dropped preamble paragraph stands where it stood: after pre.21.
    let at = d
        .paragraphs
        .iter()
        .position(|p| p.status == Status::Dropped)
        .unwrap();
    assert_eq!(d.paragraphs[at - 1].new.as_ref().unwrap().para, 21);
    let recall = &d.paragraphs[0].changes;
    let edits: Vec<(Op, &str)> = recall
        .iter()
        .filter(|c| c.0 != Op::Equal)
        .map(|c| (c.0, c.1.as_str()))
        .collect();
    assert_eq!(
        edits,
        [
            (Op::Delete, "2022"),
            (Op::Insert, "2023"),
            (Op::Delete, "7"),
            (Op::Insert, "4"),
            (Op::Delete, "77/71"),
            (Op::Insert, "78/46")
        ]
    );
    // Every change spells out both texts.
    for p in &d.paragraphs {
        let old: String = p
            .changes
            .iter()
            .filter(|c| c.0 != Op::Insert)
            .map(|c| c.1.as_str())
            .collect();
        let new: String = p
            .changes
            .iter()
            .filter(|c| c.0 != Op::Delete)
            .map(|c| c.1.as_str())
            .collect();
        assert_eq!(
            old,
            p.old.as_ref().map(|v| v.text.clone()).unwrap_or_default()
        );
        assert_eq!(
            new,
            p.new.as_ref().map(|v| v.text.clone()).unwrap_or_default()
        );
    }
    let _ = Kind::Operative;
}

#[test]
fn history_of_the_fixture() {
    let (seed, next) = seed_and_next();
    let steps = history(&[next, seed], Kind::Operative, 35);
    let got: Vec<(&str, u32, Status)> = steps
        .iter()
        .map(|s| (s.symbol.as_str(), s.para, s.status))
        .collect();
    assert_eq!(
        got,
        [
            ("A/RES/79/40", 35, Status::Changed),
            ("A/RES/78/46", 34, Status::New)
        ]
    );
}

mod cli {
    use crate::common::{tempdir, unres};
    use std::path::Path;

    /// The repository's own folder, where `corpus/` and `tests/fixtures/` are.
    fn here() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn index() -> tempfile::TempDir {
        let dir = tempdir();
        unres(here())
            .args(["index", "corpus", "tests/fixtures/series", "--index"])
            .arg(dir.path())
            .assert()
            .success();
        dir
    }

    fn run(dir: &tempfile::TempDir, args: &[&str]) -> (String, i32) {
        let out = unres(here())
            .args(args)
            .arg("--index")
            .arg(dir.path())
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            out.status.code().unwrap(),
        )
    }

    #[test]
    fn diff_history_and_their_exit_codes() {
        let dir = index();
        // One symbol: the previous member of the series, found by the recall in pre.1.
        let (text, code) = run(&dir, &["diff", "A/RES/79/40", "--changed"]);
        assert_eq!(code, 0);
        assert!(text.starts_with("A/RES/78/46 → A/RES/79/40\n"), "{text}");
        assert!(
            text.contains("决定在大会第[-七十九-]{+八十+}届会议"),
            "{text}"
        );
        assert!(
            text.contains("op.20 (was op.21)  unchanged, moved"),
            "{text}"
        );
        assert!(text.ends_with("operative: 31 unchanged, 3 changed, 1 new, 0 dropped, 1 moved\nfootnote: 13 unchanged, 0 changed, 0 new, 1 dropped\n"), "{text}");
        assert!(
            !text.contains("pre.2 "),
            "--changed hides unchanged paragraphs"
        );
        let (two, _) = run(&dir, &["diff", "A/RES/78/46", "A/RES/79/40", "--changed"]);
        assert_eq!(two, text);

        let (json, code) = run(&dir, &["diff", "A/RES/79/40", "--json"]);
        assert_eq!(code, 0);
        let lines: Vec<serde_json::Value> = json
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 23 + 35 + 13 + 2);
        let new33 = lines
            .iter()
            .find(|v| v["new"]["para"] == 33 && v["new"]["kind"] == "operative")
            .unwrap();
        assert_eq!(new33["status"], "new");
        assert!(new33["old"].is_null());
        assert_eq!(new33["changes"][0][0], "+");

        let (hist, code) = run(&dir, &["history", "A/RES/79/40", "op.35", "--json"]);
        assert_eq!(code, 0);
        let steps: Vec<serde_json::Value> = hist
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(steps.len(), 2);
        assert_eq!(
            (steps[0]["session"].as_u64(), steps[0]["para"].as_u64()),
            (Some(79), Some(35))
        );
        assert_eq!(steps[1]["status"], "new");

        assert_eq!(
            run(&dir, &["diff", "A/RES/78/46"]).1,
            1,
            "no earlier member"
        );
        assert_eq!(run(&dir, &["diff", "A/RES/1/1"]).1, 1);
        assert_eq!(run(&dir, &["history", "A/RES/79/40", "op.99"]).1, 1);
        assert_eq!(run(&dir, &["history", "A/RES/79/40", "x.1"]).1, 2);
    }
}

/// The series from the index, both ways: 79/40 recalls 78/46 in its first preamble paragraph.
#[test]
fn series_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let roots = ["corpus".into(), "tests/fixtures/series".into()];
    unres::build_index(
        dir.path(),
        &roots,
        &unres::BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    let index = unres::open_index(dir.path()).unwrap();
    for symbol in ["A/RES/78/46", "A/RES/79/40"] {
        let series: Vec<String> = index
            .series(symbol)
            .unwrap()
            .iter()
            .map(|r| r.symbol.clone())
            .collect();
        assert_eq!(series, ["A/RES/79/40", "A/RES/78/46"], "{symbol}");
    }
    let seed = index.resolution("A/RES/78/46").unwrap().remove(0);
    assert!(index.previous(&seed).unwrap().is_none());
    assert_eq!(index.next(&seed).unwrap().unwrap().symbol, "A/RES/79/40");
    let steps = index.history("A/RES/79/40", Kind::Preamble, 1).unwrap();
    let got: Vec<(&str, Status)> = steps
        .iter()
        .map(|s| (s.symbol.as_str(), s.status))
        .collect();
    assert_eq!(
        got,
        [
            ("A/RES/79/40", Status::Changed),
            ("A/RES/78/46", Status::New)
        ]
    );
    assert!(index.series("A/RES/1/1").unwrap().is_empty());
}

/// Series links are computed at each commit: an update that adds a resolution links it
/// (and relinks the resolutions already indexed), one that removes a file unlinks it.
/// A folder `corpus` holding the seed, and where its index goes.
fn seed_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    let index_dir = work.path().join("index");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        "corpus/A-RES-78-46.zh.txt",
        corpus.join("A-RES-78-46.zh.txt"),
    )
    .unwrap();
    (work, corpus, index_dir)
}

/// Builds or updates the index in `index_dir` from `corpus`.
fn build_from(index_dir: &Path, corpus: &Path) -> unres::BuildReport {
    unres::build_index(
        index_dir,
        &[corpus.to_path_buf()],
        &unres::BuildOptions::default(),
        &|_, _| {},
    )
    .unwrap()
}

/// Writes a later resolution of the seed's title that recalls nothing (linked by its title).
fn write_80_12(corpus: &Path) {
    std::fs::write(
        corpus.join("A-RES-80-12.zh.txt"),
        "80/12. 小武器和轻武器非法贸易的各方面问题\n大会，\n注意到各国的努力，\n1. 决定继续审议这一问题。\n2025 年 12 月 1 日\n第 50 次全体会议\n",
    )
    .unwrap();
}

#[test]
fn updates_link_and_unlink_series_members() {
    let (_work, corpus, index_dir) = seed_corpus();
    write_80_12(&corpus);
    let build = || build_from(&index_dir, &corpus);
    let series = |symbol: &str| -> Vec<String> {
        let index = unres::open_index(&index_dir).unwrap();
        index
            .series(symbol)
            .unwrap()
            .iter()
            .map(|r| r.symbol.clone())
            .collect()
    };
    build();
    assert_eq!(series("A/RES/78/46"), ["A/RES/80/12", "A/RES/78/46"]);

    // 79/40 recalls 78/46, and is the latest of the same title before 80/12.
    std::fs::copy(
        "tests/fixtures/series/A-RES-79-40.zh.txt",
        corpus.join("A-RES-79-40.zh.txt"),
    )
    .unwrap();
    let report = build();
    assert_eq!(report.reindexed, 1, "only the new file is read");
    for symbol in ["A/RES/78/46", "A/RES/79/40", "A/RES/80/12"] {
        assert_eq!(
            series(symbol),
            ["A/RES/80/12", "A/RES/79/40", "A/RES/78/46"],
            "{symbol}"
        );
    }
    let index = unres::open_index(&index_dir).unwrap();
    let newest = index.resolution("A/RES/80/12").unwrap().remove(0);
    assert_eq!(
        index.previous(&newest).unwrap().unwrap().symbol,
        "A/RES/79/40"
    );
    drop(index);

    std::fs::remove_file(corpus.join("A-RES-79-40.zh.txt")).unwrap();
    let report = build();
    assert_eq!((report.reindexed, report.removed), (0, 1));
    assert_eq!(series("A/RES/80/12"), ["A/RES/80/12", "A/RES/78/46"]);
    assert!(series("A/RES/79/40").is_empty());
}

/// An index answers from the commit it was opened at, whatever commits land after: its
/// series, counts and facts are that commit's, even once later commits have deleted that
/// commit's files (as a server's index while `unres index` updates the folder).
#[test]
fn an_open_index_keeps_the_commit_it_was_opened_at() {
    let (_work, corpus, index_dir) = seed_corpus();
    let build = || build_from(&index_dir, &corpus);
    let series = |index: &unres::Index, symbol: &str| -> Vec<String> {
        let members = index.series(symbol).unwrap();
        members.iter().map(|r| r.symbol.clone()).collect()
    };
    build();
    let asked_at_once = unres::open_index(&index_dir).unwrap();
    let asked_later = unres::open_index(&index_dir).unwrap();
    let first = (
        series(&asked_at_once, "A/RES/78/46"),
        asked_at_once.stats().unwrap(),
    );
    assert_eq!(first.1.resolutions, 1);

    // Two more commits: 79/40 recalls 78/46, then 80/12 shares its title. The second
    // deletes the first commit's manifest and series files.
    std::fs::copy(
        "tests/fixtures/series/A-RES-79-40.zh.txt",
        corpus.join("A-RES-79-40.zh.txt"),
    )
    .unwrap();
    build();
    write_80_12(&corpus);
    build();
    let now = unres::open_index(&index_dir).unwrap();
    assert_eq!(now.stats().unwrap().resolutions, 3);
    assert_eq!(series(&now, "A/RES/78/46").len(), 3);

    let later = (
        series(&asked_later, "A/RES/78/46"),
        asked_later.stats().unwrap(),
    );
    assert_eq!(later, first);
    assert!(series(&asked_later, "A/RES/79/40").is_empty());
    let seed = asked_later.resolution("A/RES/78/46").unwrap().remove(0);
    assert!(asked_later.next(&seed).unwrap().is_none());
}

/// Generated series written as clean text read back as generated: every paragraph's text
/// (spaces aside: numbers that could pass for markers are written apart), its footnote
/// markers and every footnote.
#[test]
fn written_series_read_back_as_generated() {
    let mut markers = 0;
    for k in 0..6 {
        let s = series(&unres_synth::series::written_config(46, k));
        for m in &s.members {
            let text = unres_synth::series::text(m);
            let back = unres::parse_str(m.file.as_ref(), &text).unwrap().remove(0);
            assert_eq!(
                (
                    &back.symbol,
                    back.session,
                    &back.title,
                    &back.date,
                    back.meeting
                ),
                (&m.symbol, m.session, &m.title, &m.date, m.meeting)
            );
            let paragraphs = |r: &Resolution| -> Vec<(Kind, u32, String, Vec<u32>)> {
                r.paragraphs
                    .iter()
                    .map(|p| {
                        let text = p.text.chars().filter(|c| !c.is_whitespace()).collect();
                        (p.kind, p.number, text, p.footnotes.clone())
                    })
                    .collect()
            };
            let (got, want) = (paragraphs(&back), paragraphs(m));
            assert_eq!(got.len(), want.len(), "{}", m.symbol);
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g, w, "{}", m.symbol);
            }
            let notes = |r: &Resolution| -> Vec<(u32, String)> {
                r.footnotes
                    .iter()
                    .map(|f| (f.number, f.text.clone()))
                    .collect()
            };
            assert_eq!(notes(&back), notes(m), "{}", m.symbol);
            markers += m
                .paragraphs
                .iter()
                .map(|p| p.footnotes.len())
                .sum::<usize>();
        }
    }
    assert!(markers > 500, "{markers} markers");
}
