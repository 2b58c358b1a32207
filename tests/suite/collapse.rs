//! `search --collapse` on generated series written as files: paragraphs grouped by series,
//! kind and text, checked against groups made from the generator's members, and the series
//! links found on them.

use crate::ask;

use crate::ask::quick_and_full;
use crate::common::{collapsed_page, unres};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use unres::{fold, Kind, Resolution, Sort};
use unres_synth::series::{series, write_series, written_config};

const SERIES: usize = 3;
const SEED: u64 = 46;

/// A folder with `corpus/` (three generated series of 20 sessions) and its `index/`.
fn indexed() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = crate::common::tempdir();
        write_series(&dir.path().join("corpus"), SERIES, SEED).unwrap();
        unres(dir.path()).args(["index"]).assert().success();
        dir
    })
    .path()
}

fn members() -> Vec<Vec<Resolution>> {
    (0..SERIES)
        .map(|k| series(&written_config(SEED, k)).members)
        .collect()
}

/// The groups a query should give, from the members: (series, kind, folded text, the
/// text's occurrence in its resolution) → the sessions holding it, newest first.
fn expected(text: &str, kind: Option<Kind>) -> BTreeMap<(usize, Kind, String, usize), Vec<u32>> {
    let needle = fold(text);
    let mut groups: BTreeMap<_, Vec<u32>> = BTreeMap::new();
    for (k, members) in members().iter().enumerate() {
        for m in members {
            let mut seen: BTreeMap<(Kind, String), usize> = BTreeMap::new();
            for r in m.records() {
                let folded = fold(&r.text);
                if !folded.contains(&needle) || kind.is_some_and(|want| want != r.kind) {
                    continue;
                }
                let n = seen.entry((r.kind, folded.clone())).or_default();
                groups
                    .entry((k, r.kind, folded, *n))
                    .or_default()
                    .push(m.session);
                *n += 1;
            }
        }
    }
    for sessions in groups.values_mut() {
        sessions.sort_unstable_by(|a, b| b.cmp(a));
    }
    groups
}

#[test]
fn generated_series_are_linked_in_the_index() {
    let index = unres::open_index(&indexed().join("index")).unwrap();
    for members in members() {
        let want: Vec<&str> = members.iter().rev().map(|m| m.symbol.as_str()).collect();
        let oldest = &members[0].symbol;
        let got: Vec<String> = index
            .series_symbols(oldest)
            .unwrap()
            .into_iter()
            .map(|(symbol, _, _)| symbol)
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn collapsed_groups_are_the_texts_of_each_series() {
    let index = unres::open_index(&indexed().join("index")).unwrap();
    for (text, kind) in [
        ("国际合作", None),
        ("联合国宪章", Some(Kind::Operative)),
        ("建立信任", None),
        ("回顾其", None),
    ] {
        let mut q = unres::parse_query(text).unwrap();
        if let Some(k) = kind {
            q.require(unres::Atom::Kind(k));
        }
        let want = expected(text, kind);
        let records: usize = want.values().map(Vec::len).sum();
        assert!(
            records > want.len(),
            "{text}: the query repeats across sessions"
        );
        assert_eq!(ask::count_collapsed(&index, &q), want.len(), "{text}");
        let all = ask::Page {
            limit: 100_000,
            ..ask::Page::default()
        };
        for sort in [Sort::Relevance, Sort::Newest] {
            let got = ask::collapsed(&index, &q, all, sort);
            assert_eq!((got.total, got.records), (want.len(), records), "{text}");
            assert_eq!(got.records, ask::count(&index, &q));
            // Each group once, shown in its newest session, with the others where it
            // matches unchanged.
            let mut found: Vec<Vec<u32>> = got
                .hits
                .iter()
                .map(|h| {
                    let mut s = vec![h.hit.record.session];
                    s.extend(h.also_in.iter().map(|a| a.session));
                    s
                })
                .collect();
            for h in &got.hits {
                assert!(h.also_in.iter().all(|a| a.session < h.hit.record.session));
            }
            let mut truth: Vec<Vec<u32>> = want.values().cloned().collect();
            found.sort();
            truth.sort();
            assert_eq!(found, truth, "{text} {sort:?}");
        }
        // Pages of the collapsed list follow each other.
        let page = |offset| {
            let page = ask::Page {
                limit: 5,
                offset,
                ..ask::Page::default()
            };
            ask::collapsed(&index, &q, page, Sort::Relevance)
                .hits
                .into_iter()
                .map(|h| h.hit.record.place())
                .collect::<Vec<_>>()
        };
        let first_ten = ask::Page {
            limit: 10,
            ..ask::Page::default()
        };
        let whole: Vec<String> = ask::collapsed(&index, &q, first_ten, Sort::Relevance)
            .hits
            .into_iter()
            .map(|h| h.hit.record.place())
            .collect();
        assert_eq!([page(0), page(5)].concat(), whole, "{text}");
    }
}

#[test]
fn the_command_line_collapses() {
    let dir = indexed();
    let run = |args: &[&str]| {
        let out = unres(dir)
            .args(["search", "--index", "index"])
            .args(args)
            .output()
            .unwrap();
        (String::from_utf8(out.stdout).unwrap(), out.status.code())
    };
    let groups = expected("建立信任", None).len();
    let (count, code) = run(&["建立信任", "--collapse", "--count"]);
    assert_eq!(
        (count.trim().parse::<usize>().unwrap(), code),
        (groups, Some(0))
    );

    let (text, _) = run(&["建立信任", "--collapse", "--limit", "3", "--color", "never"]);
    assert!(text.contains("  also in "), "{text}");
    assert!(
        text.ends_with(&format!(
            " paragraphs match ({} records); showing 1–3\n",
            {
                let (n, _) = run(&["建立信任", "--count"]);
                n.trim().to_string()
            }
        )),
        "{text}"
    );

    let (json, _) = run(&["建立信任", "--collapse", "--json", "--limit", "1000"]);
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), groups);
    let also: usize = lines
        .iter()
        .map(|v| v["also_in"].as_array().unwrap().len())
        .sum();
    let (records, _) = run(&["建立信任", "--count"]);
    assert_eq!(lines.len() + also, records.trim().parse::<usize>().unwrap());
    assert!(lines.iter().all(|v| v["also_in"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["session"].as_u64() < v["session"].as_u64())));
    assert_eq!(run(&["没有这样的文字", "--collapse"]).1, Some(1));
}

/// Broad queries over series alone: a page settled without grouping every match (from
/// the best candidates, the first records in the stable order, or a window of dates) must
/// still name every session where its paragraphs match, though most of those sessions lie
/// outside what it read first.
#[test]
fn bounded_collapsed_pages_name_every_session() {
    let index = unres::open_index(&indexed().join("index")).unwrap();
    let (mut bounded, mut reaching) = (0, 0);
    for text in [
        "的",
        "国",
        "kind:operative",
        "kind:preamble",
        "国际",
        "裁军",
        "联合国",
        "会议",
        // Filters on other fields than the text: the other versions of a page's texts
        // must still be checked against the query (sessions outside the range left out).
        "的 session:65-74",
        "kind:operative session:70-79",
        "国 -联合国",
    ] {
        let q = unres::parse_query(text).unwrap();
        for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
            for (offset, limit) in [(0, 10), (10, 10)] {
                let a = settled_as_in_full(&index, &q, sort, (offset, limit), text);
                if !a.total_exact {
                    bounded += 1;
                    reaching += a.hits.iter().filter(|h| h.also_in.len() >= 10).count();
                }
            }
        }
    }
    assert!(bounded >= 20, "only {bounded} pages were settled early");
    assert!(
        reaching >= 20,
        "only {reaching} hits were also in ten other sessions"
    );
}

/// A collapsed page's lower bounds come from the first matches in the stable order, not
/// from whichever segment comes first: an index built in one pass and one built file by
/// file in two updates (other segments, in another order) print the same page and the
/// same "at least" figures for queries matching more records than the bound.
#[test]
fn collapsed_bounds_do_not_depend_on_the_segments() {
    use crate::survive::copy_tree;
    // Series: their members repeat texts, so the first matches hold fewer paragraphs than
    // records, and which records they are shows in the figures.
    let made = tempfile::tempdir().unwrap();
    write_series(made.path(), 12, 41).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(made.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let once = tempfile::tempdir().unwrap();
    copy_tree(made.path(), &once.path().join("corpus"));
    let twice = tempfile::tempdir().unwrap();
    let corpus = twice.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let put = |some: &[std::path::PathBuf]| {
        for f in some {
            std::fs::copy(f, corpus.join(f.file_name().unwrap())).unwrap();
        }
    };
    put(&files[files.len() / 2..]);
    let index = |dir: &Path, threads: &str| {
        let run = crate::support::run_in(dir, ["index", "--threads", threads]);
        run.succeeded("a build");
    };
    index(once.path(), "2");
    index(twice.path(), "1");
    put(&files[..files.len() / 2]);
    index(twice.path(), "2");
    for q in ["的", "国际", "各国"] {
        let page = |dir: &Path| {
            let args = [
                "search",
                q,
                "--collapse",
                "--index",
                "index",
                "--color",
                "never",
            ];
            let run = crate::support::run_in(dir, args);
            run.succeeded(q);
            run.stdout.clone()
        };
        let (a, b) = (page(once.path()), page(twice.path()));
        assert!(a.contains("at least"), "{q}: the bound is reached: {a}");
        assert_eq!(a, b, "{q}");
    }
}

/// A newer session adopted on an earlier date, or on no date the file gives: its paragraphs
/// rank by that version in date order, after the paragraphs whose newest version falls in
/// the window of dates a page is settled from. Every page agrees with every match grouped.
#[test]
fn dated_pages_rank_a_newest_version_adopted_earlier() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    write_series(&corpus, SERIES, SEED + 1).unwrap();
    let adopted = regex::Regex::new(r"^\s*\d{4} 年 \d{1,2} 月 \d{1,2} 日\s*$").unwrap();
    // The first series' session 79 adopted last of all and its session 80 in 1990: the
    // newest dates hold session 79's paragraphs, most of them also in session 80, whose
    // date ranks them far behind. The second series' session 79 on no date.
    let first = unres_synth::series::WRITTEN_FIRST_NUMBER;
    for (session, number, date) in [
        (79, first, " 2030 年 3 月 1 日 "),
        (80, first, " 1990 年 3 月 1 日 "),
        (79, first + 1, " "),
    ] {
        let path = corpus.join(format!("A-RES-{session}-{number}.zh.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .map(|line| if adopted.is_match(line) { date } else { line })
            .collect();
        let changed = lines.join("\n") + "\n";
        assert_ne!(changed, text, "{}", path.display());
        std::fs::write(&path, changed).unwrap();
    }
    unres(dir.path()).args(["index"]).assert().success();
    let index = unres::open_index(&dir.path().join("index")).unwrap();
    let mut settled = 0;
    for text in ["的", "国", "各国", "kind:operative"] {
        let q = unres::parse_query(text).unwrap();
        for sort in [Sort::Newest, Sort::Oldest] {
            for (offset, limit) in [(0, 10), (10, 10)] {
                let a = settled_as_in_full(&index, &q, sort, (offset, limit), text);
                settled += usize::from(!a.total_exact);
            }
        }
    }
    // The pages in oldest order (the newest order's window holds too few paragraphs
    // confirmed: those pages group every match).
    assert!(settled >= 8, "only {settled} pages were settled early");
}

/// The page `offset..offset + limit` of `q` collapsed in `sort` order, settled as quickly as
/// it can be, after checking it against the page grouped from every match.
fn settled_as_in_full(
    index: &unres::Index,
    q: &unres::Query,
    sort: Sort,
    (offset, limit): (usize, usize),
    text: &str,
) -> unres::CollapsedResults {
    let (quick, full) = quick_and_full(offset, limit);
    let a = ask::collapsed(index, q, quick, sort);
    let b = ask::collapsed(index, q, full, sort);
    assert_eq!(
        collapsed_page(&a),
        collapsed_page(&b),
        "{text} {sort:?} from {offset}"
    );
    a
}
