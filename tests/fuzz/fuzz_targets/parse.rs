//! Fuzz target: arbitrary bytes read as `unres index` reads a corpus file, decoded (UTF-8,
//! UTF-16 with a byte-order mark, GB18030, binaries refused) and parsed into resolutions.
//! Nothing may panic, and what parses keeps the invariants the index relies on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.txt");
    let text = match unres::decode(path, bytes) {
        Ok(text) => text,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.txt:"), "{e}");
            return;
        }
    };
    assert!(!text.contains('\r'), "line ends are normalised");
    match unres::parse_str(path, &text) {
        Ok(resolutions) => {
            assert!(!resolutions.is_empty());
            for r in &resolutions {
                assert!(r.symbol.starts_with("A/RES/"), "{}", r.symbol);
                for rec in r.records() {
                    assert!(rec.line >= 1);
                }
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.txt:"), "{e}"),
    }
});
