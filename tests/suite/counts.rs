//! The counts that come from the per-resolution facts and the fast fields, against a plain
//! count over the parsed records: matches by resolution (with each resolution's title,
//! date, year, file and session), matches by session, and the index's statistics.

use crate::ask;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use unres::{Answer, Index, Kind, Query, Record, Request, Sort, View};
use unres_synth::oracle::{needles, Scanned};

/// A generated corpus with two series, indexed, and its records as parsed.
fn corpus() -> &'static (tempfile::TempDir, Index, Vec<Record>) {
    static CORPUS: OnceLock<(tempfile::TempDir, Index, Vec<Record>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        let config = unres_synth::SynthConfig {
            resolutions: 80,
            seed: 20,
        };
        unres_synth::write_corpus(&config, &corpus).unwrap();
        unres_synth::series::write_series(&corpus, 2, 20).unwrap();
        std::fs::copy(crate::common::SEED, corpus.join("seed.txt")).unwrap();
        let dir = root.path().join("index");
        let roots: Vec<PathBuf> = vec![corpus.clone()];
        unres::build_index(&dir, &roots, &unres::BuildOptions::default(), &|_, _| {}).unwrap();
        let records: Vec<Record> = unres::parse_paths(&roots)
            .into_iter()
            .flat_map(|p| p.result.unwrap())
            .flat_map(|r| r.records())
            .collect();
        (root, unres::open_index(&dir).unwrap(), records)
    })
}

/// Does the record match the query (text as folded substrings, kind filters)?
fn matches(r: &Scanned, query: &Query) -> bool {
    query.clauses.iter().all(|c| {
        c.any_of.iter().any(|a| match a {
            unres::Atom::Text(t) => needles(t).iter().any(|n| r.folded.contains(n.as_str())),
            unres::Atom::Kind(k) => r.kind == *k,
            other => panic!("not modelled here: {other:?}"),
        }) != c.negated
    })
}

/// Queries: pieces of one to four characters cut from the records, some with a kind.
fn queries(records: &[Record]) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut out: Vec<String> = vec!["的".into(), "妇女".into(), "小武器".into()];
    while out.len() < 60 {
        let r = &records[rng.usize(0..records.len())];
        let chars: Vec<char> = r.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            continue;
        }
        let len = rng.usize(1..=4).min(chars.len());
        let start = rng.usize(0..=chars.len() - len);
        let piece: String = chars[start..start + len].iter().collect();
        if unres::parse_query(&piece).is_err() {
            continue;
        }
        out.push(match out.len() % 3 {
            0 => format!("{piece} kind:operative"),
            1 => format!("{piece} -kind:footnote"),
            _ => piece,
        });
    }
    out
}

fn everything(view: View, query: &Query) -> Request {
    Request {
        query: query.clone(),
        view,
        sort: Sort::Relevance,
        offset: 0,
        limit: usize::MAX,
        exact_total: true,
    }
}

#[test]
fn matches_by_resolution_and_by_session_are_plain_counts_over_the_records() {
    let (_, index, records) = corpus();
    let scanned: Vec<Scanned> = records.iter().map(Scanned::of).collect();
    let mut listed = 0;
    for text in queries(records) {
        let query = unres::parse_query(&text).unwrap();
        type Line = (u32, Option<String>, u32, String, String, usize);
        let mut by_resolution: BTreeMap<(String, Option<String>), Line> = BTreeMap::new();
        let mut by_session: BTreeMap<u32, usize> = BTreeMap::new();
        for (r, s) in records.iter().zip(&scanned) {
            if !matches(s, &query) {
                continue;
            }
            let line = by_resolution
                .entry((r.symbol.clone(), r.part.clone()))
                .or_insert((
                    r.session,
                    r.date.clone(),
                    r.year,
                    r.title.clone(),
                    r.file.clone(),
                    0,
                ));
            line.5 += 1;
            *by_session.entry(r.session).or_default() += 1;
        }
        let Answer::Resolutions(list) = index
            .search(&everything(View::Resolutions, &query))
            .unwrap()
        else {
            panic!("resolutions asked");
        };
        let got: BTreeMap<(String, Option<String>), Line> = list
            .resolutions
            .iter()
            .map(|r| {
                (
                    (r.symbol.clone(), r.part.clone()),
                    (
                        r.session,
                        r.date.clone(),
                        r.year,
                        r.title.clone(),
                        r.file.clone(),
                        r.count,
                    ),
                )
            })
            .collect();
        assert_eq!(
            got.len(),
            list.resolutions.len(),
            "{text}: a resolution twice"
        );
        assert_eq!(got, by_resolution, "{text}");
        assert_eq!(list.total, by_resolution.len(), "{text}");
        assert_eq!(list.records, ask::count(index, &query), "{text}");
        let Answer::Sessions(sessions) = index.search(&everything(View::Sessions, &query)).unwrap()
        else {
            panic!("sessions asked");
        };
        let got: BTreeMap<u32, usize> = sessions
            .sessions
            .iter()
            .map(|s| (s.session, s.count))
            .collect();
        assert_eq!(got, by_session, "{text}");
        assert!(sessions
            .sessions
            .windows(2)
            .all(|w| w[0].session < w[1].session));
        listed += by_resolution.len();
    }
    assert!(listed > 1000, "only {listed} resolution lines compared");
}

#[test]
fn statistics_are_a_plain_count_over_the_records() {
    let (_, index, records) = corpus();
    let mut by_session: BTreeMap<u32, [usize; 4]> = BTreeMap::new();
    let mut resolutions = std::collections::BTreeSet::new();
    for r in records {
        let k = Kind::ALL.iter().position(|k| *k == r.kind).unwrap();
        by_session.entry(r.session).or_default()[k] += 1;
        resolutions.insert((r.symbol.clone(), r.part.clone()));
    }
    let stats = index.stats().unwrap();
    assert_eq!(stats.by_session, by_session);
    assert_eq!(stats.records, records.len());
    assert_eq!(stats.resolutions, resolutions.len());
    assert_eq!(stats.records, ask::count(index, &Query::default()));
}

/// Phrases that start words of the word layer (`安全理事会`, `联合国大会`) are matched by
/// their words where a record holds one, and by their bigrams' positions elsewhere: the
/// records found are those whose folded text holds the phrase, no more (records holding
/// every bigram of `安全理事会` apart are among the corpus's) and no fewer.
#[test]
fn phrases_starting_words_find_exactly_the_records_holding_them() {
    let (_, index, records) = corpus();
    let scanned: Vec<Scanned> = records.iter().map(Scanned::of).collect();
    let (mut apart, mut found) = (0, 0);
    for phrase in [
        "安全理事会",
        "联合国",
        "联合国大会",
        "核武器",
        "裁军谈判会议",
        "国际原子能机构",
        "大规模毁灭性武器",
        "人权理事会",
        "小武器和轻武器",
    ] {
        let folded = unres::fold(phrase);
        let chars: Vec<char> = folded.chars().collect();
        let mut want = std::collections::BTreeSet::new();
        for (r, s) in records.iter().zip(&scanned) {
            if s.folded.contains(&folded) {
                want.insert((r.file.clone(), r.line));
            } else if chars
                .windows(2)
                .all(|g| s.folded.contains(&g.iter().collect::<String>()))
            {
                apart += 1;
            }
        }
        let query = unres::parse_query(phrase).unwrap();
        let got: std::collections::BTreeSet<(String, usize)> = ask::records(index, &query)
            .into_iter()
            .map(|r| (r.file, r.line))
            .collect();
        assert_eq!(got, want, "{phrase}");
        found += want.len();
    }
    assert!(apart > 0, "no record holds a phrase's bigrams apart");
    assert!(found > 100, "only {found} records hold the phrases");
}
