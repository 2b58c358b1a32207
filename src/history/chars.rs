//! Character-level diffs of two texts, made readable: `dissimilar` (diff-match-patch with
//! semantic clean-up), an edit inside a number or symbol widened to all of it, a lone
//! character kept between two edits folded into them, each edit one deletion then one
//! insertion. The spans ([`Change`]) that diffs and histories show.

use serde::{Serialize, Serializer};

/// One operation of a character-level diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Text in both versions (`=`).
    Equal,
    /// Text only in the older version (`-`).
    Delete,
    /// Text only in the newer version (`+`).
    Insert,
}

impl Op {
    /// `=`, `-` or `+`, as in the JSON output.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Equal => "=",
            Op::Delete => "-",
            Op::Insert => "+",
        }
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.symbol())
    }
}

/// A span of a character-level diff: its operation and its text. JSON writes `[op, text]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change(pub Op, pub String);

/// A run of the diff: text kept, or an edit (what was deleted, what was inserted).
enum Run {
    Keep(String),
    Edit(String, String),
}

/// Characters of numbers and symbols (`2022`, `77/71`, `A/CONF.192`): an edit inside one
/// is widened to the whole of it, so that `77/71` → `78/46` reads as one change.
fn in_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '/' || c == '.'
}

/// The character-level diff of two texts (`dissimilar`, with its semantic clean-up), made
/// readable: an edit inside a number or symbol covers all of it, a lone character kept
/// between two edits is folded into them, and each edit is one deletion then one insertion.
pub fn char_diff(old: &str, new: &str) -> Vec<Change> {
    let mut runs: Vec<Run> = Vec::new();
    for chunk in dissimilar::diff(old, new) {
        let (del, ins) = match chunk {
            dissimilar::Chunk::Equal(t) => {
                runs.push(Run::Keep(t.to_string()));
                continue;
            }
            dissimilar::Chunk::Delete(t) => (t, ""),
            dissimilar::Chunk::Insert(t) => ("", t),
        };
        match runs.last_mut() {
            Some(Run::Edit(d, i)) => {
                d.push_str(del);
                i.push_str(ins);
            }
            _ => runs.push(Run::Edit(del.to_string(), ins.to_string())),
        }
    }
    widen_tokens(&mut runs);
    let n = runs.len();
    let mut out: Vec<Change> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    for (k, run) in runs.into_iter().enumerate() {
        match run {
            Run::Edit(d, i) => {
                del.push_str(&d);
                ins.push_str(&i);
            }
            Run::Keep(t)
                if k > 0 && k + 1 < n && t.chars().count() == 1 && !t.trim().is_empty() =>
            {
                del.push_str(&t);
                ins.push_str(&t);
            }
            Run::Keep(t) => {
                flush(&mut out, &mut del, &mut ins);
                if !t.is_empty() {
                    out.push(Change(Op::Equal, t));
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Moves the ends of numbers and symbols cut by an edit from the kept text into the edit.
fn widen_tokens(runs: &mut [Run]) {
    for k in 0..runs.len() {
        let Run::Edit(d, i) = &runs[k] else {
            continue;
        };
        let starts =
            d.chars().next().is_some_and(in_token) || i.chars().next().is_some_and(in_token);
        let ends = d.chars().last().is_some_and(in_token) || i.chars().last().is_some_and(in_token);
        let mut head = String::new();
        if let (true, Some(Run::Keep(before))) = (starts, k.checked_sub(1).map(|p| &runs[p])) {
            let cut = before.trim_end_matches(in_token).len();
            head = before[cut..].to_string();
        }
        let mut tail = String::new();
        if let (true, Some(Run::Keep(after))) = (ends, runs.get(k + 1)) {
            tail = after[..after.len() - after.trim_start_matches(in_token).len()].to_string();
        }
        if let Some(Run::Keep(before)) = k.checked_sub(1).map(|p| &mut runs[p]) {
            before.truncate(before.len() - head.len());
        }
        if let Some(Run::Keep(after)) = runs.get_mut(k + 1) {
            after.replace_range(..tail.len(), "");
        }
        if let Run::Edit(d, i) = &mut runs[k] {
            *d = format!("{head}{d}{tail}");
            *i = format!("{head}{i}{tail}");
        }
    }
}

fn flush(out: &mut Vec<Change>, del: &mut String, ins: &mut String) {
    if !del.is_empty() {
        out.push(Change(Op::Delete, std::mem::take(del)));
    }
    if !ins.is_empty() {
        out.push(Change(Op::Insert, std::mem::take(ins)));
    }
}
