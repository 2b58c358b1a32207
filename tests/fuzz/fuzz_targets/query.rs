//! Fuzz target: arbitrary text through the query parser. It must never panic, must keep its
//! limits, and every error must point at a column inside the query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unres::MAX_TERMS;

fuzz_target!(|input: &str| {
    match unres::parse_query(input) {
        Ok(q) => {
            assert!(!q.clauses.is_empty());
            let terms: usize = q.clauses.iter().map(|c| c.any_of.len()).sum();
            assert!(terms <= MAX_TERMS, "{terms} terms");
            let _ = q.positive_texts().count();
        }
        Err(e) => {
            assert!(e.column >= 1);
            assert!(e.column <= input.chars().count().max(unres::MAX_QUERY_CHARS) + 1);
            let _ = e.to_string();
        }
    }
});
