//! A property test through the library: generated resolutions, parsed, indexed and
//! searched, are stored whole and in order, and every record is found by a piece of its own
//! text, with exactly the other records of its resolution holding that piece.

use super::{scan, Parsed};
use crate::ask;
use crate::support::*;
use proptest::prelude::*;
use unres::BuildOptions;
use unres::{Atom, Clause, Query};
use unres_synth::{self as synth, SynthConfig};

fn text_and_symbol(text: &str, symbol: &str) -> Query {
    let clause = |atom| Clause {
        negated: false,
        any_of: vec![atom],
    };
    Query {
        clauses: vec![
            clause(Atom::Text(text.to_string())),
            clause(Atom::Symbol(symbol.to_string())),
        ],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn generated_resolutions_round_trip_through_parse_index_and_search(
        seed in any::<u64>(),
        count in 1usize..4,
        salt in any::<u64>(),
    ) {
        let tmp = tempdir();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let config = SynthConfig { resolutions: count, seed };
        let mut parsed = Vec::new();
        for i in 0..count {
            let f = synth::resolution(&config, i);
            let path = corpus.join(&f.name);
            std::fs::write(&path, &f.text).unwrap();
            parsed.push(Parsed::read(path));
        }
        let dir = tmp.path().join("index");
        let opts = BuildOptions { threads: 2, ..BuildOptions::default() };
        let report = unres::build_index(&dir, std::slice::from_ref(&corpus), &opts, &|_, _| {}).unwrap();
        prop_assert!(report.failed.is_empty(), "{:?}", report.failed);
        let idx = unres::open_index(&dir).unwrap();
        let mut rng = fastrand::Rng::with_seed(salt);
        for f in &parsed {
            let records = f.records();
            // Stored whole, in document order.
            let mut q = Query::default();
            q.require(Atom::Symbol(f.symbol().to_string()));
            prop_assert_eq!(&ask::records(&idx, &q), &records);
            // Every record is found by a piece of its own text, with exactly the others
            // of its resolution that hold that piece.
            for r in &records {
                let chars: Vec<char> = r.text.chars().collect();
                let len = rng.usize(1..=16);
                let start = rng.usize(0..chars.len().saturating_sub(len).max(1));
                let mut piece: String = chars[start..chars.len().min(start + len)].iter().collect();
                if unres::fold(&piece).is_empty() {
                    piece = r.text.clone();
                }
                let found = ask::records(&idx, &text_and_symbol(&piece, f.symbol()));
                prop_assert!(found.contains(r), "{:?} not found in {}", piece, r.place());
                prop_assert_eq!(found.len(), scan(&records, &piece), "{:?}", piece);
            }
        }
    }
}
