//! Wording history: pairing and diffs against the truth, on generated series of many
//! sessions and on a hand-edited 79th-session version of the seed.

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
                let id = s.id_of(k - 1, o.kind, o.para).expect("an old paragraph has an id");
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
        });
        let newest_first: Vec<Resolution> = s.members.iter().rev().cloned().collect();
        let last = s.members.len() - 1;
        let (mut right, mut total) = (0, 0);
        for p in &s.members[last].paragraphs {
            let id = s.id_of(last, p.kind, p.number).unwrap();
            let truth: Vec<(u32, u32)> = (0..=last)
                .rev()
                .map_while(|k| s.number_of(k, p.kind, id).map(|n| (s.members[k].session, n)))
                .collect();
            let steps = history(&newest_first, p.kind, p.number);
            let got: Vec<(u32, u32)> = steps.iter().map(|h| (h.session, h.para)).collect();
            total += 1;
            if got == truth {
                right += 1;
                assert_eq!(steps.last().unwrap().status, Status::New);
            } else {
                eprintln!("seed {seed} {} {}: {got:?} truly {truth:?}", p.kind, p.number);
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
    });
    for pair in s.members.windows(2) {
        let opening = &pair[1].paragraphs[0];
        assert_eq!(opening.cites, vec![pair[0].symbol.clone()]);
        assert_eq!(pair[1].session, pair[0].session + 1);
    }
}

#[test]
fn a_resolution_against_itself_is_unchanged() {
    let seed = unres::parse_file("corpus/A-RES-78-46.zh.txt".as_ref()).unwrap().remove(0);
    let d = diff_resolutions(&seed, &seed);
    assert!(d.paragraphs.iter().all(|p| p.status == Status::Unchanged && !p.moved));
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
