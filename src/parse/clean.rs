//! The clean layout: one paragraph per line, optional footnotes after a separator line.
//! Cut here into logical units and raw footnotes, for [`super::structure`].

use super::page::{is_rule, link_symbol};
use super::units::*;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn segment_clean(lines: &[&str]) -> Segmented {
    static NOTE: OnceLock<Regex> = OnceLock::new();
    let note_re = re(&NOTE, r"^\s*(\d{1,4})(?:[.．、)）]\s*|\s+)(\S.*)$");
    let mut seg = Segmented::default();
    let mut in_notes = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(sym) = link_symbol(raw) {
            if !seg.links.contains(&sym) {
                seg.links.push(sym);
            }
            continue;
        }
        if is_rule(raw) || matches!(t, "脚注" | "注释" | "脚注：" | "注：") {
            in_notes = true;
            continue;
        }
        if in_notes {
            if let Some(c) = note_re.captures(t) {
                if let Ok(number) = c[1].parse() {
                    seg.notes.push(RawNote {
                        number,
                        text: c[2].trim().to_string(),
                        line,
                        after_units: seg.units.len(),
                        page: None,
                    });
                    continue;
                }
            }
            if let Some(n) = seg.notes.last_mut() {
                join(&mut n.text, t);
                continue;
            }
        }
        seg.units.push(Unit {
            text: t.to_string(),
            line,
            page: None,
        });
    }
    seg
}
