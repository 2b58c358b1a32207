//! The links: how they are computed, and the table read back from their file.

use super::*;

fn key(symbol: &str, session: u32, title: &str, recalls: &[&str]) -> SeriesKey {
    SeriesKey {
        symbol: symbol.into(),
        part: None,
        session,
        title: title.into(),
        recalls: recalls.iter().map(|s| s.to_string()).collect(),
        key: u64::from(session),
        facts: Facts {
            title: format!("{title}（标题）"),
            date: session
                .is_multiple_of(2)
                .then(|| format!("{}-12-04", 1945 + session)),
            year: 1945 + session,
            file: format!("corpus/{session}.txt"),
            counts: [session, 1, 2, 3],
        },
    }
}

#[test]
fn recalls_first_then_titles_within_the_gap() {
    let keys = [
        key("A/RES/70/1", 70, "甲", &[]),
        key("A/RES/71/9", 71, "乙", &["A/RES/70/1"]),
        key("A/RES/73/4", 73, "乙", &[]),
        key("A/RES/80/2", 80, "乙", &[]),
    ];
    let refs: Vec<&SeriesKey> = keys.iter().collect();
    let links = link(&refs);
    let prev: Vec<Option<usize>> = links.iter().map(|l| l.previous).collect();
    // 71/9 recalls 70/1 despite another title; 73/4 follows 71/9 by title; 80/2 is
    // more than five sessions after 73/4.
    assert_eq!(prev, [None, Some(0), Some(1), None]);
    let next: Vec<Option<usize>> = links.iter().map(|l| l.next).collect();
    assert_eq!(next, [Some(1), Some(2), None, None]);
    let roots: Vec<usize> = links.iter().map(|l| l.root).collect();
    assert_eq!(roots, [0, 0, 0, 3]);
}

/// The table written for `keys` (one file each), and its file's bytes.
fn table_of(keys: &[SeriesKey]) -> (Table, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = Manifest::default();
    for (i, k) in keys.iter().enumerate() {
        let state = crate::index::folder::FileState {
            size: 0,
            mtime: 0,
            hash: 0,
            resolutions: 1,
            paragraphs: 0,
            footnotes: 0,
            error: None,
            series: vec![k.clone()],
            shown: String::new(),
            parts: Vec::new(),
        };
        manifest.files.insert(format!("{i:03}"), state);
    }
    write(dir.path(), "unres-manifest-7.json.zst", &manifest).unwrap();
    let bytes = std::fs::read(dir.path().join("unres-series-7.bin")).unwrap();
    (Table::parse(OwnedBytes::new(bytes.clone())).unwrap(), bytes)
}

#[test]
fn a_symbol_is_found_by_its_key_as_by_a_scan() {
    // Real order keys; 73/4 is filed under session 74 and ES-10/2 has no number the key
    // holds: the scan finds those.
    let real = |symbol: &str, session: u32, part: Option<&str>| {
        let mut k = key(symbol, session, "甲", &[]);
        k.part = part.map(str::to_string);
        k.key = crate::index::order::resolution_key(symbol, session, part);
        k
    };
    let keys = [
        real("A/RES/70/1", 70, None),
        real("A/RES/72/3", 72, Some("B")),
        real("A/RES/72/3", 72, Some("A")),
        real("A/RES/72/30", 72, None),
        real("A/RES/71/9", 71, None),
        real("A/RES/73/4", 74, None),
        real("A/RES/ES-10/2", 10, None),
    ];
    let (table, _) = table_of(&keys);
    let found = |symbol: &str, part: Option<&str>| {
        let i = table.find(symbol, part)?;
        Some((table.symbol(i), table.part(i)))
    };
    // (symbol asked, part asked, entry found, found by its key)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<(&'a str, Option<&'a str>)>,
        bool,
    );
    let cases: [Case; 9] = [
        (
            "A/RES/72/3",
            Some("B"),
            Some(("A/RES/72/3", Some("B"))),
            true,
        ),
        (
            "a/res/72/3",
            Some("A"),
            Some(("A/RES/72/3", Some("A"))),
            true,
        ),
        ("A/RES/72/3", None, Some(("A/RES/72/3", Some("A"))), false),
        (
            "A/RES/72/3",
            Some("C"),
            Some(("A/RES/72/3", Some("A"))),
            false,
        ),
        ("A/RES/72/30", None, Some(("A/RES/72/30", None)), true),
        ("A/RES/71/9", None, Some(("A/RES/71/9", None)), true),
        ("A/RES/73/4", None, Some(("A/RES/73/4", None)), false),
        ("A/RES/ES-10/2", None, Some(("A/RES/ES-10/2", None)), false),
        ("A/RES/72/03", None, None, false),
    ];
    for (symbol, part, want, keyed) in cases {
        assert_eq!(found(symbol, part), want, "{symbol} {part:?}");
        let folded = symbol_key(symbol);
        assert_eq!(
            table.find(symbol, part),
            table.find_scanning(&folded, part),
            "{symbol} {part:?}: the key and the scan disagree"
        );
        assert_eq!(
            table.find_keyed(&folded, part).is_some(),
            keyed,
            "{symbol} {part:?}: found by its key"
        );
    }
}

#[test]
fn the_table_reads_back() {
    let mut parted = key("A/RES/72/3", 72, "甲", &[]);
    parted.part = Some("B".into());
    let keys = [
        key("A/RES/70/1", 70, "甲", &[]),
        key("A/RES/71/9", 71, "甲", &[]),
        parted,
    ];
    let (table, bytes) = table_of(&keys);
    let links = link(&keys.iter().collect::<Vec<_>>());
    assert_eq!(table.len, links.len());
    for (i, l) in links.iter().enumerate() {
        // The keys are in order already: the table keeps their places.
        assert_eq!(
            (table.symbol(i), table.part(i), table.session(i)),
            (l.symbol.as_str(), l.part.as_deref(), l.session)
        );
        assert_eq!(
            (table.previous(i), table.next(i), table.root(i)),
            (l.previous, l.next, l.root)
        );
    }
    for (i, k) in keys.iter().enumerate() {
        let f = &k.facts;
        assert_eq!(
            (table.title(i), table.date(i), table.year(i), table.file(i)),
            (f.title.as_str(), f.date.as_deref(), f.year, f.file.as_str())
        );
    }
    assert_eq!(table.find("a/res/71/9", None), Some(1));
    assert_eq!(table.part(2), Some("B"));
    assert_eq!(table.previous(2), Some(1));
    assert_eq!(table.by_key(71), Some(1));
    assert_eq!(table.by_key(69), None);
    assert!(
        Table::parse(OwnedBytes::new(bytes[..bytes.len() - 1].to_vec())).is_none(),
        "cut short"
    );
    assert_eq!(table.by_key(70), Some(0));
}
