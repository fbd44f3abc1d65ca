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
/// did not have the field yet wrote them.
pub fn drop_json_field(db: &sled::Db, tree: &str, field: &str) {
    let tree = db.open_tree(tree).expect("record tree");
    for item in tree.iter() {
        let (key, value) = item.expect("entry");
        let mut json: serde_json::Value = serde_json::from_slice(&value).expect("json");
        json.as_object_mut().expect("object").remove(field);
        tree.insert(key, serde_json::to_vec(&json).expect("encode"))
            .expect("write");
    }
}
