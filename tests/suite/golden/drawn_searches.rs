//! The searches drawn when recording: the records `export` prints, and from them query
//! words, filters (in the query or as flags), modes, orders, pages and colours, in a drawn
//! order.

use std::path::Path;

/// What the command lines are drawn from: one record as `export` prints it.
pub(super) struct Rec {
    /// The text without whitespace, as characters.
    pub(super) chars: Vec<char>,
    /// The text as printed, as characters.
    pub(super) raw: Vec<char>,
    pub(super) symbol: String,
    pub(super) session: u64,
    pub(super) year: u64,
    pub(super) kind: String,
    pub(super) para: u64,
    pub(super) cites: Vec<String>,
}

pub(super) fn records(bin: &Path, root: &Path) -> Vec<Rec> {
    let out = std::process::Command::new(bin)
        .arg("export")
        .current_dir(root)
        .output()
        .expect("unres export");
    assert!(out.status.success(), "unres export failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON record");
            let text = v["text"].as_str().unwrap();
            Rec {
                chars: text.chars().filter(|c| !c.is_whitespace()).collect(),
                raw: text.chars().collect(),
                symbol: v["symbol"].as_str().unwrap().to_string(),
                session: v["session"].as_u64().unwrap(),
                year: v["year"].as_u64().unwrap_or(0),
                kind: v["kind"].as_str().unwrap().to_string(),
                para: v["para"].as_u64().unwrap(),
                cites: v["cites"]
                    .as_array()
                    .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// `op.3`, `pre.2`, `fn.7`, `annex.1`.
pub(super) fn reference(r: &Rec) -> String {
    let k = match r.kind.as_str() {
        "operative" => "op",
        "preamble" => "pre",
        "footnote" => "fn",
        other => other,
    };
    format!("{k}.{}", r.para)
}

pub(super) fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Words frequent enough in the generated text that a query for them passes the bound of
/// an exactly counted first page.
pub(super) const BROAD: &[&str] = &[
    "国家",
    "武器",
    "执行",
    "会员国",
    "条约",
    "国际",
    "各国",
    "努力",
    "核武器",
    "的",
    "和",
    "包括",
];

pub(super) struct Drawer<'a> {
    pub(super) rng: fastrand::Rng,
    pub(super) recs: &'a [Rec],
    pub(super) all_cites: Vec<String>,
}

impl Drawer<'_> {
    pub(super) fn record(&mut self) -> usize {
        self.rng.usize(0..self.recs.len())
    }

    /// 1–`max` characters cut from record `r`'s text (spaces left out).
    pub(super) fn piece(&mut self, r: usize, max: usize) -> String {
        let t = &self.recs[r].chars;
        let len = self.rng.usize(1..=max).min(t.len());
        let start = self.rng.usize(0..=t.len() - len);
        t[start..start + len].iter().collect()
    }

    /// 2–8 characters cut from record `r`'s text as printed, spaces kept, in quotes.
    pub(super) fn quoted(&mut self, r: usize) -> String {
        let t = &self.recs[r].raw;
        let len = self.rng.usize(2..=8).min(t.len());
        let start = self.rng.usize(0..=t.len() - len);
        format!("\"{}\"", t[start..start + len].iter().collect::<String>())
    }

    /// The query words of a drawn search (possibly none).
    pub(super) fn query(&mut self, r: usize) -> Vec<String> {
        match self.rng.u8(0..14) {
            0..=4 => vec![self.piece(r, 6)],
            5 => vec![self.piece(r, 4), self.piece(r, 4)],
            6 => {
                let other = self.record();
                vec![format!("{} {}", self.piece(r, 4), self.piece(other, 4))]
            }
            7 => vec![self.quoted(r)],
            8 => {
                let other = self.record();
                vec![self.piece(r, 4), format!("-{}", self.piece(other, 3))]
            }
            9 => {
                let other = self.record();
                let (a, b) = (self.piece(r, 4), self.piece(other, 4));
                if self.rng.bool() {
                    vec![a, "OR".into(), b]
                } else {
                    vec![format!("{a} OR {b}")]
                }
            }
            10 => vec![],
            11 => vec![format!("-{}", self.piece(r, 3))],
            _ => vec![BROAD[self.rng.usize(0..BROAD.len())].to_string()],
        }
    }

    /// A filter of record `r`'s: in the query (`session:78`) or as a flag.
    pub(super) fn filter(
        &mut self,
        r: usize,
        query: &mut Vec<String>,
        flags: &mut Vec<Vec<String>>,
    ) {
        let rec = &self.recs[r];
        let (name, value) = match self.rng.u8(0..5) {
            0 => {
                let k = if self.rng.u8(0..4) == 0 {
                    reference(rec).split('.').next().unwrap().to_string()
                } else {
                    rec.kind.clone()
                };
                ("kind", k)
            }
            1 => ("session", rec.session.to_string()),
            2 => ("year", rec.year.to_string()),
            3 => ("symbol", rec.symbol.clone()),
            _ => {
                let c = if rec.cites.is_empty() || self.rng.u8(0..4) == 0 {
                    self.all_cites[self.rng.usize(0..self.all_cites.len())].clone()
                } else {
                    rec.cites[self.rng.usize(0..rec.cites.len())].clone()
                };
                ("cites", c)
            }
        };
        if self.rng.bool() {
            query.push(format!("{name}:{value}"));
        } else {
            flags.push(vec![format!("--{name}"), value]);
        }
    }

    /// `unres search …` with query words, filters, mode, order, paging and output drawn.
    pub(super) fn search(&mut self, words: Option<Vec<String>>, filtered: bool) -> Vec<String> {
        let r = self.record();
        let mut query = words.unwrap_or_else(|| self.query(r));
        let mut flags: Vec<Vec<String>> = Vec::new();
        let filters = if !filtered {
            0
        } else if query.is_empty() {
            self.rng.usize(1..=2)
        } else {
            [0, 0, 0, 1, 1, 2][self.rng.usize(0..6)]
        };
        for _ in 0..filters {
            self.filter(r, &mut query, &mut flags);
        }
        let mode = self.rng.u8(0..16);
        let (collapse, by_resolution, count) = match mode {
            0..=7 => (false, false, false),
            8..=10 => (true, false, false),
            11..=12 => (false, true, false),
            13..=14 => (false, false, true),
            _ => (true, false, true),
        };
        if collapse {
            flags.push(strings(&["--collapse"]));
        }
        if by_resolution {
            flags.push(strings(&["--by-resolution"]));
        }
        if count {
            flags.push(strings(&["--count"]));
        }
        let json = !count && self.rng.u8(0..10) < 3;
        if json {
            flags.push(strings(&["--json"]));
        }
        match self.rng.u8(0..8) {
            0..=2 => {}
            3..=4 => flags.push(strings(&["--sort", "relevance"])),
            5 => flags.push(strings(&["--sort", "newest"])),
            _ => flags.push(strings(&["--sort", "oldest"])),
        }
        if !count {
            let paging: &[&str] = match self.rng.u8(0..12) {
                0..=2 if !json => &[],
                0..=4 => &["--limit", "3"],
                5 => &["--limit", "1"],
                6 => &["--limit", "0"],
                7 => &["--limit", "4", "--offset", "4"],
                8 => &["--offset", "100000", "--limit", "3"],
                9 => &["--offset", "998", "--limit", "3"],
                10 => &["--offset", "20", "--limit", "2"],
                _ => &["--limit", "2", "--offset", "1"],
            };
            let mut p = paging.iter();
            while let (Some(f), Some(v)) = (p.next(), p.next()) {
                flags.push(strings(&[f, v]));
            }
        }
        match self.rng.u8(0..20) {
            0 => flags.push(strings(&["--color", "always"])),
            1 => {}
            _ => flags.push(strings(&["--color", "never"])),
        }
        self.rng.shuffle(&mut flags);
        let mut args = vec!["search".to_string()];
        match self.rng.u8(0..7) {
            0..=2 => {
                args.extend(query);
                args.extend(flags.into_iter().flatten());
            }
            3..=5 => {
                args.extend(flags.into_iter().flatten());
                args.extend(query);
            }
            _ => {
                // Words and options interleaved.
                let mut groups: Vec<Vec<String>> = query.into_iter().map(|w| vec![w]).collect();
                groups.extend(flags);
                self.rng.shuffle(&mut groups);
                args.extend(groups.into_iter().flatten());
            }
        }
        args
    }
}
