//! The store's folder opened with sled directly, to write it as an older version of
//! beatbook did (migration tests): never through the product's own store.

use std::path::Path;

/// Opens the folder with sled directly. sled releases its file lock a moment after the
/// last handle is dropped (its flusher thread ends on its own), so retry briefly.
pub fn open_raw(dir: &Path) -> sled::Db {
    for _ in 0..50 {
        match sled::open(dir) {
            Ok(db) => return db,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    sled::open(dir).expect("sled opens")
}

/// Rewrites every record of `tree` without the JSON field `field`, as a version that
/// did not have the field yet wrote them (as JSON, not compressed, as they did).
pub fn drop_json_field(db: &sled::Db, tree: &str, field: &str) {
    let tree = db.open_tree(tree).expect("record tree");
    for item in tree.iter() {
        let (key, value) = item.expect("entry");
        let value = beatbook::store::record_bytes::json_of(&value).expect("a stored record");
        let mut json: serde_json::Value = serde_json::from_slice(&value).expect("json");
        json.as_object_mut().expect("object").remove(field);
        tree.insert(key, serde_json::to_vec(&json).expect("encode"))
            .expect("write");
    }
}

/// Edits log entry `seq` (audit chain or change log) where it is stored, single or inside
/// a block, as someone editing the store's files would.
pub fn edit_log_entry(tree: &sled::Tree, seq: u64, edit: impl FnOnce(&mut Vec<u8>)) {
    let (key, value) = tree
        .range(seq.to_be_bytes()..)
        .next()
        .expect("an entry at or after seq")
        .expect("read");
    let mut entries = beatbook::store::packed_log::decode(&key, &value);
    let entry = entries
        .iter_mut()
        .find(|(s, _)| *s == seq)
        .unwrap_or_else(|| panic!("entry {seq} stored"));
    edit(&mut entry.1);
    tree.insert(key, beatbook::store::packed_log::encode(&entries))
        .expect("write");
}

/// A log's stored keys and values (as sled or an archive holds them) as one key per
/// entry: the layout beatbook reads as well as its blocks, and the one a forger edits.
pub fn unpacked_log(stored: Vec<(Vec<u8>, Vec<u8>)>) -> Vec<(Vec<u8>, Vec<u8>)> {
    stored
        .iter()
        .flat_map(|(k, v)| beatbook::store::packed_log::decode(k, v))
        .map(|(seq, bytes)| (seq.to_be_bytes().to_vec(), bytes))
        .collect()
}
