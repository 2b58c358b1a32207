//! The other commands' lines: `show`, `diff`, `history`, `stats` and `export`, fixed ones
//! (good and bad symbols, references and flags) and drawn ones.

use super::drawn_searches::{reference, strings, Drawer};

/// `show`, `diff`, `history`, `stats` and `export` command lines.
pub(super) fn others(d: &mut Drawer) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let fixed: &[&[&str]] = &[
        &["show", "A/RES/78/46"],
        &["show", "a/res/78/46", "op.23"],
        &["show", "A/RES/78/46", "pre.5"],
        &["show", "A/RES/78/46", "fn.3"],
        &["show", "A/RES/78/46", "fn.99"],
        &["show", "A/RES/78/46", "annex.1"],
        &["show", "A/RES/78/46", "op"],
        &["show", "A/RES/78/46", "op.x"],
        &["show", "A/RES/78/46", "xx.1"],
        &["show", "A/RES/78/46", "OP.1"],
        &["show", "A/RES/78/46", "op.-1"],
        &["show", "Ａ/ＲＥＳ/78/46", "op.1"],
        &["show", "A/RES/99/999"],
        &["show"],
        &["show", "A/RES/80/500"],
        &["show", "A/RES/61/501", "op.2"],
        &["show", "--index", "index", "A/RES/78/46", "op.1"],
        &["show", "--index", "missing", "A/RES/78/46"],
        &["diff", "A/RES/80/500"],
        &["diff", "--changed", "A/RES/80/500"],
        &["diff", "--json", "A/RES/80/500"],
        &["diff", "--changed", "--json", "A/RES/79/501"],
        &["diff", "--changed", "--color", "always", "A/RES/72/500"],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/70/500",
            "A/RES/75/500",
        ],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/75/500",
            "A/RES/70/500",
        ],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/80/500",
            "A/RES/80/501",
        ],
        &["diff", "--color", "never", "A/RES/61/500"],
        &["diff", "--color", "never", "A/RES/78/46"],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/78/46",
            "A/RES/80/500",
        ],
        &["diff", "--color", "never", "A/RES/78/46", "A/RES/78/46"],
        &["diff", "--color", "never", "A/RES/99/999"],
        &["diff", "--color", "never", "A/RES/99/999", "A/RES/80/500"],
        &[
            "diff",
            "--color",
            "never",
            "A/RES/61/500",
            "A/RES/62/500",
            "A/RES/63/500",
        ],
        &["diff"],
        &["diff", "--index", "missing", "A/RES/80/500"],
        &["history", "--color", "never", "A/RES/80/500", "op.1"],
        &["history", "--color", "never", "A/RES/80/500", "pre.2"],
        &["history", "--color", "never", "A/RES/80/501", "op.3"],
        &["history", "--json", "A/RES/80/500", "op.2"],
        &["history", "--color", "always", "A/RES/77/501", "op.1"],
        &["history", "--color", "never", "A/RES/80/500", "op.999"],
        &["history", "--color", "never", "A/RES/80/500", "op"],
        &["history", "--color", "never", "A/RES/80/500", "zz.1"],
        &["history", "--color", "never", "A/RES/99/999", "op.1"],
        &["history", "--color", "never", "A/RES/78/46", "op.23"],
        &["history", "--color", "never", "A/RES/80/500"],
        &["stats", "--json"],
        &["stats", "--index", "index"],
        &["stats", "--index", "index", "--json"],
        &["stats", "--index", "missing"],
        &["export"],
        &["export", "corpus"],
        &["export", "corpus/A-RES-78-46.zh.txt"],
        &["export", "corpus/A-RES-80-500.zh.txt"],
        &["export", "missing.txt"],
        &["export", "corpus/A-RES-78-46.zh.txt", "corpus/missing.txt"],
    ];
    out.extend(fixed.iter().map(|a| strings(a)));
    // Drawn: resolutions shown whole and one record of each, with its history; a resolution
    // compared with its previous member and with another one; one file exported.
    for k in 0..12 {
        let r = d.record();
        let (symbol, rf) = (d.recs[r].symbol.clone(), reference(&d.recs[r]));
        if k < 4 {
            out.push(vec!["show".into(), symbol.clone()]);
        }
        out.push(vec!["show".into(), symbol.clone(), rf.clone()]);
        let mut h = strings(&["history", "--color", "never"]);
        if k % 4 == 0 {
            h = strings(&["history", "--json"]);
        }
        h.extend([symbol.clone(), rf]);
        out.push(h);
        let mut diff = strings(&["diff", "--color", "never"]);
        if k % 2 == 0 {
            diff.push("--changed".into());
        }
        if k % 5 == 0 {
            diff.push("--json".into());
        }
        if k % 3 == 0 {
            let other = d.recs[d.record()].symbol.clone();
            diff.push(other);
        }
        diff.push(symbol.clone());
        out.push(diff);
        if k < 3 {
            let file = format!("corpus/{}.zh.txt", symbol.replace('/', "-"));
            out.push(vec!["export".into(), file]);
        }
    }
    out
}
