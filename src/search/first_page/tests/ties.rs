//! First pages cut through by ties, on the seed's text adopted again under 320 symbols:
//! plain and collapsed pages against a full evaluation, and what a first walk keeps for
//! the tie path's second against a walk from nothing.

use super::*;

/// A resolution adopted again session after session repeats its paragraphs: with the
/// seed's text under 320 symbols, every paragraph has 320 records of one length and the
/// same words, which score alike, and the word layer's best records (200 for a page of ten)
/// cut through them. Every page of words and phrases of the seed, alone and in pairs, that
/// the candidates hold (enough of them match) then stands with the ties taken (the
/// candidates alone settle almost none) and is the full evaluation's page, scores and
/// records.
#[test]
fn pages_cut_through_by_ties_stand_as_a_full_evaluation_ranks_them() {
    let (_root, index) = repeated_index();
    let searcher = index.reader.searcher();
    let (mut held, mut cut) = (0, 0);
    for q in &seed_queries() {
        let query = crate::search::query::parse(q).unwrap();
        let both = index.compile_both(&searcher, &query).unwrap();
        let words = index.required_words(&searcher, &query).unwrap();
        for (offset, limit) in [(0, 10), (0, 1), (3, 5)] {
            let k = (offset + limit).max(10) * CANDIDATES_PER_HIT;
            let mut alone = candidates(
                &searcher,
                &index,
                &*both.lookup,
                words.clone(),
                k,
                &mut Reads::default(),
            )
            .unwrap();
            if alone.verified.len() < offset + limit {
                // Too few of the word layer's best match the whole query: not a tie.
                continue;
            }
            held += 1;
            cut += usize::from(settled(&mut alone.verified, alone.floor, offset, limit).is_none());
            let full = Scan::run(&searcher, &*both.scan, usize::MAX).unwrap();
            let full = full.page(&searcher, &index.columns, offset, limit);
            let quick = page(
                &searcher,
                &index,
                &*both.lookup,
                words.clone(),
                offset,
                limit,
            );
            let quick = quick.unwrap();
            assert_eq!(quick, Some(full), "{q} {offset}..{}", offset + limit);
        }
    }
    assert!(
        held >= 50 && cut * 10 >= held * 9,
        "{held} pages held by the candidates, {cut} of them cut through by ties"
    );
}

/// Collapsed, on the same corpus whose dates (each year) differ from copy to copy: a
/// paragraph citing a year is a paragraph of its own in each copy, 320 paragraphs of one
/// score, and a collapsed page cut through by them stands with the ties taken (its totals
/// lower bounds) and is the page grouped from every match.
#[test]
fn collapsed_pages_cut_through_by_ties_stand_as_grouping_every_match_does() {
    let (_root, index) = repeated_index();
    let mut stood = 0;
    for q in &seed_queries() {
        let query = crate::search::query::parse(q).unwrap();
        let ask = |exact_total| {
            let request = crate::Request {
                query: query.clone(),
                view: crate::View::Paragraphs,
                sort: crate::Sort::Relevance,
                offset: 0,
                limit: 10,
                exact_total,
            };
            match index.search(&request).unwrap() {
                crate::Answer::Paragraphs(r) => r,
                other => panic!("paragraphs asked, {other:?} answered"),
            }
        };
        let (quick, full) = (ask(false), ask(true));
        let page = |r: &crate::CollapsedResults| -> Vec<(String, u32, Vec<crate::AlsoIn>)> {
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
        };
        assert_eq!(page(&quick), page(&full), "{q}");
        stood += usize::from(!quick.total_exact);
    }
    assert!(stood >= 20, "{stood} collapsed pages stood on candidates");
}

/// What one word's first walk keeps for the next (its shortest records with their ties)
/// gives the records above a floor that a walk from nothing gives: floors at, just under and
/// well under the `k`th, on the 320-copy corpus (ties of hundreds of records) and the
/// generated one, with room for 0, 50 or [`TIED_BOUND`] ties. Many floors are served from
/// the records kept; the others read the list again.
#[test]
fn records_above_a_floor_kept_from_the_first_walk_are_those_read_again() {
    let mut served = 0;
    each_word_set(|searcher, stats, set| {
        let word = (&set[1], 1);
        let weight = Bm25Weight::for_terms(stats, std::slice::from_ref(word.0)).unwrap();
        for (k, ties) in WALKS {
            let mut walked = Walked::default();
            let (best, _) =
                norms::best_of_one_word(searcher, stats, word, k, ties, &mut walked).unwrap();
            let Some(&(kth, _)) = best.last() else {
                continue;
            };
            for floor in floors(kth) {
                let above = |walked: &Walked| {
                    norms::union_above(searcher, stats, &[word], floor, TIED_BOUND, walked).unwrap()
                };
                let what = format!("{:?} k={k} ties={ties} above {floor}", word.0);
                assert_eq!(above(&walked), above(&Walked::default()), "{what}");
                served += usize::from(walked.shortest(&[word.0]).is_some_and(|(below, _)| {
                    (below..256).all(|norm| weight.score(norm as u8, 1) <= floor)
                }));
            }
        }
    });
    assert!(
        served >= 500,
        "{served} one-word floors served from the records kept"
    );
}

/// The `k` and the room for ties the first walks of the tie tests take.
const WALKS: [(usize, usize); 9] = [
    (1, 0),
    (1, 50),
    (1, TIED_BOUND),
    (10, 0),
    (10, 50),
    (10, TIED_BOUND),
    (200, 0),
    (200, 50),
    (200, TIED_BOUND),
];

/// The floors tried under a `k`th score: at it, just under it, and well under it.
fn floors(kth: Score) -> [Score; 4] {
    [kth, beneath(kth).unwrap_or(0.0), kth * 0.9, kth * 0.5]
}

/// Gives `each` the searcher and statistics of the 320-copy corpus (ties of hundreds of
/// records) and of the generated one, with each of their first 40 sets of words.
fn each_word_set(mut each: impl FnMut(&Searcher, &Statistics, &[Term])) {
    for (_root, index) in [repeated_index(), generated_index()] {
        let searcher = index.reader.searcher();
        let stats = Statistics::of(&searcher, (index.commit.records, index.commit.words));
        for set in word_sets(&searcher).iter().take(40) {
            each(&searcher, &stats, set);
        }
    }
}

/// Words and phrases of the seed, alone and in pairs.
fn seed_queries() -> Vec<String> {
    let pieces = [
        "小武器",
        "非法贸易",
        "国际",
        "执行",
        "秘书长",
        "行动纲领",
        "追查文书",
        "会员国",
        "决议",
    ];
    let mut queries: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
    for (i, a) in pieces.iter().enumerate() {
        queries.extend(pieces[i + 1..].iter().map(|b| format!("{a} {b}")));
    }
    queries
}

/// An index of the seed's text under 320 symbols (78/100 to 78/419), each copy's years
/// (four digits before 年) all made its own, 1600 + its number.
fn repeated_index() -> (tempfile::TempDir, crate::Index) {
    let seed = include_str!("../../../../corpus/A-RES-78-46.zh.txt");
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for n in 100..420 {
        let mut text = seed.replacen("78/46.", &format!("78/{n}."), 1);
        for year in 1990..2040 {
            text = text.replace(&format!("{year} 年"), &format!("{} 年", 1600 + n));
        }
        std::fs::write(corpus.join(format!("A-RES-78-{n}.zh.txt")), text).unwrap();
    }
    let dir = root.path().join("index");
    crate::build_index(&dir, &[corpus], &Default::default(), &|_, _| {}).unwrap();
    let index = crate::open_index(&dir).unwrap();
    (root, index)
}

/// What the intersection's first walk keeps (the shortest records holding every word, with
/// their ties) gives the records above a floor that a walk of the union from nothing gives:
/// pairs of words on the 320-copy corpus and the generated one, floors at, just under and
/// under the `k`th, with room for 0, 50 or [`TIED_BOUND`] ties. The floors above every
/// record lacking a word and above the norms not kept are served from the records kept
/// (many are); the others walk the union.
#[test]
fn records_above_a_floor_kept_from_the_intersection_are_those_the_union_gives() {
    let mut served = 0;
    each_word_set(|searcher, stats, set| {
        let words = distinct(set);
        let terms: Vec<&Term> = words.iter().map(|w| w.0).collect();
        // Each word's score by norm; a record lacking a word scores at most the others'
        // best (at norm 0).
        let scores: Vec<Vec<Score>> = terms
            .iter()
            .map(|t| {
                let weight = Bm25Weight::for_terms(stats, std::slice::from_ref(*t)).unwrap();
                (0..=u8::MAX).map(|norm| weight.score(norm, 1)).collect()
            })
            .collect();
        let lacking_one = scores.iter().map(|s| s[0]).sum::<Score>()
            - scores.iter().map(|s| s[0]).fold(Score::MAX, Score::min);
        for (k, ties) in WALKS {
            let mut walked = Walked::default();
            let best = norms::best_of_intersection(searcher, stats, &words, (k, ties), &mut walked)
                .unwrap();
            let Some(&(kth, _)) = best.last() else {
                continue;
            };
            for floor in floors(kth) {
                let records_above = |walked: &Walked| {
                    norms::union_above(searcher, stats, &words, floor, usize::MAX, walked).unwrap()
                };
                let what = format!("{terms:?} k={k} ties={ties} above {floor}");
                assert_eq!(
                    records_above(&walked),
                    records_above(&Walked::default()),
                    "{what}"
                );
                served += usize::from(
                    above(floor, lacking_one)
                        && walked.shortest(&terms).is_some_and(|(below, _)| {
                            (usize::from(below)..256)
                                .all(|n| scores.iter().map(|s| s[n]).sum::<Score>() <= floor)
                        }),
                );
            }
        }
    });
    assert!(
        served >= 100,
        "{served} floors of pairs served from the intersection's records"
    );
}
