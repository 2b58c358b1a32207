//! Property tests: the parser and the query parser never panic, whatever they are given,
//! and the page-layout parser keeps every paragraph's text whatever the page breaks.

use proptest::prelude::*;
use std::path::Path;

/// Text built from the pieces the parser reacts to, so that arbitrary input reaches deep.
fn layout_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("  78/46. 标题 \n\n".to_string()),
        Just(" 大会， \n\n".to_string()),
        Just(" 1. 决定".to_string()),
        Just("__________________ \n\n".to_string()),
        Just(" 1 A/78/126。 \n\n".to_string()),
        Just("https://undocs.org/ch/A/78/126\n".to_string()),
        Just("2023 年 12 月 4 日 \n\n".to_string()),
        Just("第 42 次全体会议 \n\n".to_string()),
        Just("附件 \n\n".to_string()),
        Just(" (a) 项\n\n".to_string()),
        Just("，2 ".to_string()),
        Just("同上".to_string()),
        Just("第 77/71 号决议".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        "[\\PC]{0,12}",
        "[0-9 ./A-Z]{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_never_panics_on_arbitrary_text(s in "\\PC{0,400}") {
        let _ = unres::parse_str(Path::new("x.txt"), &s);
    }

    #[test]
    fn the_parser_never_panics_on_layout_like_text(s in layout_soup()) {
        if let Ok(parts) = unres::parse_str(Path::new("x.txt"), &s) {
            for r in parts {
                prop_assert!(r.symbol.starts_with("A/RES/"));
                for p in r.paragraphs {
                    prop_assert!(!p.text.contains('\r'));
                }
            }
        }
    }

    #[test]
    fn decoding_never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(t) = unres::decode(Path::new("x.txt"), &b) {
            let _ = unres::parse_str(Path::new("x.txt"), &t);
        }
    }

    #[test]
    fn the_query_parser_never_panics(s in "\\PC{0,200}") {
        let _ = unres::parse_query(&s);
    }

    #[test]
    fn the_query_parser_never_panics_on_query_like_text(
        s in prop::collection::vec(prop_oneof![
            Just("OR"), Just("-"), Just("\""), Just("kind:"), Just("cites:"), Just("session:x"),
            Just(" "), Just("小武器"), Just("：")
        ], 0..30).prop_map(|v| v.concat())
    ) {
        let _ = unres::parse_query(&s);
    }
}
