//! The JSON object a search hit is: what `unres search --json` prints one a line and what
//! the server's `/api/search` answers in its `hits`. One function, so that both say the
//! same thing the same way.

use crate::search::collapse::AlsoIn;
use crate::search::highlight::snippet;
use crate::search::records::Hit;

/// The width of a hit's snippet, in characters (as the terminal shows it).
const SNIPPET_CHARS: usize = 80;

/// A hit as one JSON object: the record as `unres export` prints it, plus `place` (`A/RES/78/46
/// 执行部分第 23 段`), `score`, `snippet` (about 80 characters around the first match) with
/// its `snippet_highlights`, the `highlights` of the whole text (character ranges, end
/// excluded) and, for a collapsed hit, `also_in`: the other resolutions of its series where
/// its text matches. Keys in name order.
pub fn hit_json(hit: &Hit, also_in: Option<&[AlsoIn]>) -> serde_json::Value {
    let snip = snippet(&hit.record.text, &hit.highlights, SNIPPET_CHARS);
    let mut v = serde_json::to_value(&hit.record).expect("a record is plain data");
    let obj = v.as_object_mut().expect("a record is an object");
    obj.insert("place".into(), hit.record.place().into());
    obj.insert("score".into(), serde_json::json!(hit.score));
    obj.insert("snippet".into(), snip.text.into());
    obj.insert(
        "snippet_highlights".into(),
        serde_json::json!(snip.highlights),
    );
    obj.insert("highlights".into(), serde_json::json!(hit.highlights));
    if let Some(also) = also_in {
        obj.insert("also_in".into(), serde_json::json!(also));
    }
    v
}
