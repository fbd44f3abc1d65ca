//! Three-way merge of two versions of a record against the version they share, field by
//! field, done by the hub when a push meets a head that moved on.
//!
//! - A field changed on one side only takes that side's value.
//! - A list (visit history, dispute timeline, mediation sessions, extensions, flag history,
//!   parties…) merges item by item: what either side added is kept, what one side removed
//!   and the other left alone goes; items are ordered by their time (`at`, `date`) when
//!   they have one. Lists made only by appending therefore never clash.
//! - A field changed on both sides to different values is a clash: the record waits for a
//!   person, both versions kept.
//! - The workflow is not second-guessed: when one side changed the record's `status`, the
//!   other side may only have added to lists, else the whole record waits (a visit done on
//!   one terminal and rescheduled on another must not become a done visit with a new date).
//!
//! `meta` is bookkeeping, not content: the merged record carries the head's `meta`.

use serde_json::{Map, Value};

/// The outcome of a three-way merge.
#[derive(Debug, PartialEq)]
pub enum Merged {
    /// One record holding both sides' changes.
    Clean(Value),
    /// Fields changed on both sides (or a status change meeting other changes): a person
    /// decides.
    Clash(Vec<String>),
}

/// Merges `mine` and `theirs`, both descended from `base`.
pub fn three_way(base: &Value, mine: &Value, theirs: &Value) -> Merged {
    let (Some(b), Some(m), Some(t)) = (base.as_object(), mine.as_object(), theirs.as_object())
    else {
        return Merged::Clash(vec!["record".into()]);
    };
    let mut keys: Vec<&String> = b.keys().chain(m.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    let null = Value::Null;
    let mut out = Map::new();
    let mut clashes = Vec::new();
    let changed = |side: &Map<String, Value>, key: &str| {
        side.get(key).unwrap_or(&null) != b.get(key).unwrap_or(&null)
    };
    for key in keys {
        if key == "meta" {
            out.insert(key.clone(), t.get(key).cloned().unwrap_or(Value::Null));
            continue;
        }
        let (bv, mv, tv) = (
            b.get(key).unwrap_or(&null),
            m.get(key).unwrap_or(&null),
            t.get(key).unwrap_or(&null),
        );
        let value = if mv == tv || mv == bv {
            tv.clone()
        } else if tv == bv {
            mv.clone()
        } else {
            match (bv, mv, tv) {
                (Value::Array(ba), Value::Array(ma), Value::Array(ta)) => {
                    match merge_lists(ba, ma, ta) {
                        Some(list) => Value::Array(list),
                        None => {
                            clashes.push(key.clone());
                            continue;
                        }
                    }
                }
                _ => {
                    clashes.push(key.clone());
                    continue;
                }
            }
        };
        if !value.is_null() || m.contains_key(key) || t.contains_key(key) {
            out.insert(key.clone(), value);
        }
    }
    // A status change meets only additions to lists on the other side.
    let scalar_changes = |side: &Map<String, Value>| {
        side.keys()
            .chain(b.keys())
            .filter(|k| *k != "meta" && changed(side, k))
            .filter(|k| !side.get(*k).is_some_and(Value::is_array))
            .count()
    };
    for (one, other) in [(m, t), (t, m)] {
        if changed(one, "status") && changed(other, "status") {
            continue; // both moved it: a clash on `status` itself unless equal
        }
        if changed(one, "status")
            && scalar_changes(other) > 0
            && !clashes.contains(&"status".to_string())
        {
            clashes.push("status".into());
        }
    }
    if clashes.is_empty() {
        Merged::Clean(Value::Object(out))
    } else {
        clashes.sort();
        clashes.dedup();
        Merged::Clash(clashes)
    }
}

/// The lists records only ever append to (status histories, mediation sessions,
/// extension requests): whatever a person decides about the rest of a record, what
/// either side appended is kept.
pub const APPEND_ONLY: &[&str] = &["history", "sessions", "extensions"];

/// Every item of `preferred` and of `other`, once by identity (`preferred`'s version of
/// an item both hold), in time order when every item has a time.
pub fn unite(preferred: &[Value], other: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = preferred.to_vec();
    for item in other {
        let id = identity(item);
        if !out.iter().any(|i| identity(i) == id) {
            out.push(item.clone());
        }
    }
    if out.iter().all(|i| time_of(i).is_some()) {
        out.sort_by(|a, b| time_of(a).cmp(&time_of(b)));
    }
    out
}

/// Item identity in a list: its `id` when it has one, else the whole item.
fn identity(item: &Value) -> Value {
    item.get("id").cloned().unwrap_or_else(|| item.clone())
}

/// When an item happened, for ordering (`at`, else `date`).
fn time_of(item: &Value) -> Option<&str> {
    item.get("at")
        .or_else(|| item.get("date"))
        .and_then(Value::as_str)
}

/// Three-way merge of a list; None when one item was changed differently on both sides.
fn merge_lists(base: &[Value], mine: &[Value], theirs: &[Value]) -> Option<Vec<Value>> {
    let find = |list: &[Value], id: &Value| list.iter().find(|i| identity(i) == *id).cloned();
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<Value> = Vec::new();
    // Theirs first (the head's order), then what only mine added.
    for item in theirs.iter().chain(mine.iter()) {
        let id = identity(item);
        if seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        let (b, m, t) = (find(base, &id), find(mine, &id), find(theirs, &id));
        let kept = match (b, m, t) {
            // Removed on one side, untouched on the other: gone.
            (Some(b), None, Some(t)) if b == t => None,
            (Some(b), Some(m), None) if b == m => None,
            (Some(_), None, Some(_)) | (Some(_), Some(_), None) => return None,
            (_, Some(m), Some(t)) if m == t => Some(t),
            (Some(b), Some(m), Some(t)) if b == m => Some(t),
            (Some(b), Some(m), Some(t)) if b == t => Some(m),
            (_, Some(_), Some(_)) => return None,
            (_, Some(m), None) => Some(m),
            (_, None, Some(t)) => Some(t),
            (_, None, None) => None,
        };
        if let Some(item) = kept {
            out.push(item);
        }
    }
    if out.iter().all(|i| time_of(i).is_some()) {
        // RFC 3339 UTC times and ISO dates sort as text; the sort is stable.
        out.sort_by(|a, b| time_of(a).cmp(&time_of(b)));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clean(m: Merged) -> Value {
        match m {
            Merged::Clean(v) => v,
            Merged::Clash(f) => panic!("clash on {f:?}"),
        }
    }

    #[test]
    fn disjoint_fields_merge_and_the_head_meta_is_kept() {
        let base = json!({"meta": {"revision": 3}, "notes": "a", "phone": "1", "village": "x"});
        let mine = json!({"meta": {"revision": 4}, "notes": "mine", "phone": "1", "village": "x"});
        let theirs = json!({"meta": {"revision": 4}, "notes": "a", "phone": "2", "village": "x"});
        let merged = clean(three_way(&base, &mine, &theirs));
        assert_eq!(merged["notes"], "mine");
        assert_eq!(merged["phone"], "2");
        assert_eq!(merged["meta"]["revision"], 4);
    }

    #[test]
    fn the_same_field_changed_both_ways_clashes() {
        let base = json!({"notes": "a", "phone": "1"});
        let mine = json!({"notes": "b", "phone": "1"});
        let theirs = json!({"notes": "c", "phone": "1"});
        assert_eq!(
            three_way(&base, &mine, &theirs),
            Merged::Clash(vec!["notes".into()])
        );
        // The same change on both sides is no clash.
        let same = json!({"notes": "b", "phone": "1"});
        assert_eq!(clean(three_way(&base, &mine, &same))["notes"], "b");
    }

    #[test]
    fn uniting_keeps_every_item_once_the_preferred_version_and_time_order() {
        let a = json!({"at": "2026-11-20T01:00:00Z", "to": "yellow"});
        let b = json!({"at": "2026-11-21T01:00:00Z", "to": "orange"});
        let c = json!({"at": "2026-11-22T01:00:00Z", "to": "red"});
        let united = unite(&[a.clone(), c.clone()], &[a.clone(), b.clone()]);
        assert_eq!(united, vec![a, b, c]);
        let x1 = json!({"id": 1, "decision": null});
        let x2 = json!({"id": 1, "decision": "approved"});
        assert_eq!(unite(std::slice::from_ref(&x2), &[x1]), vec![x2]);
    }

    #[test]
    fn appended_lists_are_united_in_time_order() {
        let h0 = json!({"at": "2026-11-20T01:00:00Z", "to": "accepted"});
        let h1 = json!({"at": "2026-11-21T01:00:00Z", "to": "mediating"});
        let h2 = json!({"at": "2026-11-22T01:00:00Z", "to": "mediating", "reason": "x"});
        let s1 = json!({"date": "2026-11-21", "result": "partial"});
        let s2 = json!({"date": "2026-11-19", "result": "none"});
        let base = json!({"history": [h0], "sessions": []});
        let mine = json!({"history": [h0, h2], "sessions": [s1]});
        let theirs = json!({"history": [h0, h1], "sessions": [s2]});
        let merged = clean(three_way(&base, &mine, &theirs));
        assert_eq!(merged["history"], json!([h0, h1, h2]));
        assert_eq!(merged["sessions"], json!([s2, s1]));
    }

    #[test]
    fn a_status_change_meets_only_additions_to_lists() {
        let base = json!({"status": "planned", "due": "2026-11-25", "history": []});
        let done = json!({"status": "done", "due": "2026-11-25", "history": [{"at": "2026-11-25T02:00:00Z"}]});
        let moved = json!({"status": "planned", "due": "2026-11-30", "history": []});
        assert_eq!(
            three_way(&base, &done, &moved),
            Merged::Clash(vec!["status".into()])
        );
        assert_eq!(
            three_way(&base, &moved, &done),
            Merged::Clash(vec!["status".into()])
        );
        let noted = json!({"status": "planned", "due": "2026-11-25", "history": [{"at": "2026-11-24T02:00:00Z"}]});
        let merged = clean(three_way(&base, &done, &noted));
        assert_eq!(merged["status"], "done");
        assert_eq!(merged["history"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn an_item_removed_on_one_side_and_changed_on_the_other_clashes() {
        let p1 = json!({"id": "p1", "role": "a"});
        let p1b = json!({"id": "p1", "role": "b"});
        let p2 = json!({"id": "p2", "role": "a"});
        let base = json!({"parties": [p1, p2]});
        let mine = json!({"parties": [p2]});
        let theirs = json!({"parties": [p1b, p2]});
        assert_eq!(
            three_way(&base, &mine, &theirs),
            Merged::Clash(vec!["parties".into()])
        );
        let untouched = json!({"parties": [p1, p2], "notes": "n"});
        let merged = clean(three_way(&base, &mine, &untouched));
        assert_eq!(merged["parties"], json!([p2]));
    }
}
