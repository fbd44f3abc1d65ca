//! Duplicate ID numbers and stale revisions are refused; a commit's audit and change log.

use super::*;

#[test]
fn second_person_with_the_same_id_number_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let world = World::new();
    let first = world.person(0, Some(0));
    let saved = store
        .commit(&world.change().put(first.clone()))
        .expect("first holder");
    assert_eq!(saved.len(), 1);
    let before = common::snapshot(&store);

    // A multi-write change whose *second* write collides: the first must not land either.
    let innocent = world.person(1, Some(1));
    let second = world.person(1, Some(0));
    let change = world.change().put(innocent.clone()).put(second.clone());
    let err = store.commit(&change).expect_err("duplicate refused");
    match &err {
        StoreError::Duplicate {
            index: Index::PersonByIdNumber,
            value,
            existing,
        } => {
            assert_eq!(value, world.id_numbers[0].as_str());
            assert_eq!(*existing, Some(first.meta.id));
        }
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert!(err
        .localize(Lang::En)
        .contains("already belongs to another person"));
    assert!(err.localize(Lang::Zh).contains("已登记在另一人名下"));
    assert_eq!(common::snapshot(&store), before);
    assert_eq!(store.get::<Person>(innocent.meta.id).expect("read"), None);
    assert_eq!(store.get::<Person>(second.meta.id).expect("read"), None);
    assert_eq!(
        store
            .person_by_id_number(&world.id_numbers[1])
            .expect("read"),
        None,
        "the first write's index entry was rolled back too"
    );

    // Two new persons with the same number in one change: refused, naming the first.
    let a = world.person(2, Some(3));
    let b = world.person(2, Some(3));
    match store.commit(&world.change().put(a.clone()).put(b)) {
        Err(StoreError::Duplicate { existing, .. }) => assert_eq!(existing, Some(a.meta.id)),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_eq!(common::snapshot(&store), before);

    // Once the holder drops the number, another person may take it.
    let mut holder: Person = store.get(first.meta.id).expect("read").expect("stored");
    holder.id_number = None;
    store
        .commit(&world.change().put(holder))
        .expect("number removed");
    store
        .commit(&world.change().put(second.clone()))
        .expect("number free again");
    assert_eq!(
        store
            .person_by_id_number(&world.id_numbers[0])
            .expect("read")
            .map(|p| p.meta.id),
        Some(second.meta.id)
    );
    assert_indexes_ok(&store);
    assert_audit_ok(&store);
}

#[test]
fn stale_revisions_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let world = World::new();
    let v = world.visit(0, 0, 1, 0, None);
    let saved = store.commit(&world.change().put(v.clone())).expect("saved");
    let AnyRecord::Visit(v1) = &saved[0] else {
        panic!("a visit");
    };
    assert_eq!(v1.meta.revision, 1);
    // Writer 1 and writer 2 both read revision 1; writer 1 saves first.
    let mut w1 = v1.clone();
    w1.due = base_date() + Duration::days(3);
    store.commit(&world.change().put(w1)).expect("first save");
    let before = common::snapshot(&store);
    let mut w2 = v1.clone();
    w2.status = VisitStatus::Done;
    let err = store
        .commit(&world.change().put(w2))
        .expect_err("second save is stale");
    assert!(
        matches!(err, StoreError::Conflict { kind: Kind::Visit, id } if id == v.meta.id),
        "{err:?}"
    );
    assert!(err.localize(Lang::En).contains("changed this record"));
    assert_eq!(common::snapshot(&store), before);
    let stored: Visit = store.get(v.meta.id).expect("read").expect("stored");
    assert_eq!(stored.meta.revision, 2);
    assert_eq!(stored.status, VisitStatus::Scheduled);
    assert_eq!(stored.due, base_date() + Duration::days(3));
    // A delete at a stale revision is refused and the record stays.
    let mut del = world.change();
    del.writes.push(Write::Delete {
        kind: Kind::Visit,
        id: v.meta.id,
        revision: 1,
    });
    assert!(matches!(
        store.commit(&del),
        Err(StoreError::Conflict { .. })
    ));
    assert!(store.get::<Visit>(v.meta.id).expect("read").is_some());
    assert_indexes_ok(&store);
    assert_audit_ok(&store);
}

#[test]
fn commits_record_bookkeeping_audit_and_change_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let world = World::new();
    let p = world.person(0, Some(2));
    let created_at = p.meta.created_at;
    let saved = store.commit(&world.change().put(p.clone())).expect("saved");
    let AnyRecord::Person(mut p1) = saved[0].clone() else {
        panic!("a person");
    };
    assert_eq!(p1.meta.revision, 1);
    assert_eq!(p1.meta.changed_by, world.actor.id);
    let later = now() + Duration::hours(2);
    let other = Actor {
        id: Id::new(),
        name: "other".into(),
    };
    p1.meta.created_at = later; // callers cannot rewrite history
    p1.notes = "更新".into();
    let saved = store
        .commit(&Change::new("person.update", &other, later).put(p1))
        .expect("update");
    let p2 = saved[0].meta().clone();
    assert_eq!(p2.revision, 2);
    assert_eq!(p2.created_at, created_at);
    assert_eq!(p2.updated_at, later);
    assert_eq!(p2.changed_by, other.id);

    // A change without writes (e.g. a login) still leaves one audit entry, no change entry.
    store
        .commit(&Change::new("login", &other, later).detail("no writes"))
        .expect("empty change");
    let entries = common::audit(&store);
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.seq, e.action.as_str(), e.record))
            .collect::<Vec<_>>(),
        vec![
            (1, "test.write", Some(p.meta.id)),
            (2, "person.update", Some(p.meta.id)),
            (3, "login", None),
        ]
    );
    assert_eq!(entries[1].actor, other.id);
    assert_eq!(entries[1].actor_name, "other");
    assert_eq!(entries[1].prev_hash, entries[0].hash);
    assert_eq!(store.verify_audit().expect("audit"), Ok(3));
    assert_eq!(store.verify_audit_tail(2).expect("audit"), Ok(2));
    let changes: Vec<_> = store
        .changes_since(0)
        .collect::<Result<Vec<_>, _>>()
        .expect("changes");
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.seq, c.id, c.revision))
            .collect::<Vec<_>>(),
        vec![(1, p.meta.id, 1), (2, p.meta.id, 2)]
    );
    assert_eq!(store.changes_since(2).count(), 0);
}

/// Saves made one at a time add one key to each log; settling the store after an open
/// packs them into blocks. The entries, their order and the chain stay as they were, and a
/// later save follows the block.
#[test]
fn entries_saved_one_by_one_are_packed_when_the_store_settles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let world = World::new();
    for _ in 0..40 {
        store
            .commit(&world.change().put(world.person(0, None)))
            .expect("saved");
    }
    let keys = |store: &Store, name: &str| {
        store
            .tree_sizes()
            .expect("sizes")
            .into_iter()
            .find(|t| t.name == name)
            .map_or(0, |t| t.entries)
    };
    assert_eq!((keys(&store, "audit"), keys(&store, "changes")), (40, 40));
    let audit = common::audit(&store);
    let changes = common::changes(&store);

    store.settle().expect("settles");
    assert!(keys(&store, "audit") <= 4, "{}", keys(&store, "audit"));
    assert_eq!(keys(&store, "changes"), 1);
    assert_eq!(common::audit(&store), audit);
    assert_eq!(common::changes(&store), changes);
    assert_eq!(store.changes_since(25).count(), 15);
    store
        .commit(&world.change().put(world.person(0, None)))
        .expect("saved after the pack");
    assert_eq!(store.audit_entries().count(), 41);
    assert_eq!(store.changes_since(40).count(), 1);
    assert_audit_ok(&store);
    assert_eq!(store.verify_audit_tail(5).expect("reads"), Ok(5));
}
