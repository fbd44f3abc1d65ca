//! The audit chain notices edits made behind beatbook's back, on open.

use crate::common;
use crate::common::raw::edit_log_entry;

use beatbook::i18n::{Lang, Localize};
use beatbook::store::{AuditProblem, Store};

#[test]
fn an_edited_audit_entry_is_named_on_open() {
    let bureau = common::Bureau::new();
    let dir = bureau.dir.path().to_path_buf();
    let entries = common::audit(bureau.store()).len() as u64;
    assert!(entries > 3);
    drop(bureau.service);

    // Edit entry 3 the way someone with the files and a sled library could.
    {
        // sled lets go of its lock a moment after the last handle is dropped.
        let db = (0..50)
            .find_map(|_| {
                sled::open(&dir)
                    .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(20)))
                    .ok()
            })
            .expect("sled opens");
        let audit = db.open_tree("audit").expect("audit tree");
        edit_log_entry(&audit, 3, |raw| {
            let mut entry: serde_json::Value = serde_json::from_slice(raw).expect("json");
            entry["actor_name"] = serde_json::Value::from("someone-else");
            *raw = serde_json::to_vec(&entry).expect("json");
        });
        db.flush().expect("flush");
    }

    let store = Store::open(&dir).expect("opens despite the problem");
    assert_eq!(
        store.audit_problem(),
        Some(&AuditProblem::Tampered { seq: 3 })
    );
    assert!(store
        .audit_problem()
        .map(|p| p.localize(Lang::Zh))
        .is_some_and(|m| m.contains("第 3 条")));
    assert_eq!(
        store.verify_audit().expect("reads"),
        Err(AuditProblem::Tampered { seq: 3 })
    );
}

#[test]
fn an_untouched_store_opens_without_warning() {
    let bureau = common::Bureau::new();
    assert_eq!(bureau.store().audit_problem(), None);
}
