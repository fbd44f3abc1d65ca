//! The journal's entries, and undoing through them: chunk entries newest first, and the
//! one-record entries earlier versions wrote.

use super::*;
use beatbook_model::{Meta, Person, PersonDraft};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("store opens");
    (dir, store)
}

fn person(station: Id, name: &str) -> Person {
    let draft = PersonDraft {
        name: name.into(),
        ..Default::default()
    };
    let valid = draft
        .validate(Utc::now().date_naive())
        .expect("a name is enough");
    Person::new(Meta::new(station, Utc::now(), Id::SYSTEM), valid)
}

fn put(store: &Store, person: Person) -> Person {
    let change = Change::new("test", &Actor::system(), Utc::now()).put(person);
    match store.commit(&change).expect("committed").pop() {
        Some(AnyRecord::Person(p)) => p,
        other => panic!("a person, got {other:?}"),
    }
}

fn stored(store: &Store, id: Id) -> Option<Person> {
    store.get::<Person>(id).expect("readable")
}

/// A store holding one person, with an import of two rows begun on its station.
fn import_begun() -> (tempfile::TempDir, Store, Person, ImportJournal) {
    let (dir, store) = store();
    let station = Id::new();
    let original = put(&store, person(station, "李明"));
    let journal = ImportJournal::new(2, station, &Actor::system(), Utc::now());
    store.begin_import(&journal).expect("opens");
    (dir, store, original, journal)
}

#[test]
fn a_chunk_entry_keeps_the_first_version_of_each_record_and_reads_back() {
    let (a, b) = (Id::new(), Id::new());
    let replaced: Vec<Replaced> = vec![
        (Kind::Person, a, None),
        (Kind::Flag, b, Some(sled::IVec::from(&b"old flag"[..]))),
        (
            Kind::Person,
            a,
            Some(sled::IVec::from(&b"written by this chunk"[..])),
        ),
    ];
    let value = encode_chunk(&replaced);
    let back = decode_chunk(&value).expect("readable");
    assert_eq!(
        back,
        vec![
            (Kind::Person, a, None),
            (Kind::Flag, b, Some(&b"old flag"[..]))
        ]
    );
    for cut in 1..value.len() {
        if decode_chunk(&value[..cut]).is_ok() {
            // Only a cut between two records reads (as fewer records).
            assert!(cut == 18, "cut at {cut} read as whole");
        }
    }
}

#[test]
fn an_undo_takes_a_record_two_chunks_wrote_back_to_its_version_before_the_import() {
    let (_dir, store, original, journal) = import_begun();
    let (station, actor) = (original.meta.station, Actor::system());
    let mut first = original.clone();
    first.address = "东街1号".into();
    let created = person(station, "王芳");
    let chunk = Change::new("import.persons", &actor, Utc::now())
        .put(first)
        .put(created.clone());
    let saved = store.commit_journaled(&journal, &chunk).expect("chunk 1");
    let Some(AnyRecord::Person(mut second)) = saved.into_iter().next() else {
        panic!("the person as stored");
    };
    second.address = "西街2号".into();
    let chunk = Change::new("import.persons", &actor, Utc::now()).put(second);
    store.commit_journaled(&journal, &chunk).expect("chunk 2");

    let undone = store
        .undo_import()
        .expect("undone")
        .expect("an import was open");
    assert_eq!(undone.records, 3, "put back twice, removed once");
    let back = stored(&store, original.meta.id).expect("still there");
    assert_eq!(back.address, original.address);
    assert!(stored(&store, created.meta.id).is_none());
    assert_eq!(store.open_import().expect("meta"), None);
    assert_eq!(
        store.meta().scan_prefix(ENTRY).count(),
        0,
        "entries dropped"
    );
}

/// The one-record entries an import by an earlier version left are undone as before.
#[test]
fn an_undo_reads_the_one_record_entries_of_earlier_versions() {
    fn entry_key(import: Id, kind: Kind, id: Id) -> Vec<u8> {
        let mut key = entry_prefix(import);
        key.push(kind.position() as u8);
        key.extend_from_slice(&id.to_bytes());
        key
    }
    let (_dir, store, original, journal) = import_begun();
    let (station, actor) = (original.meta.station, Actor::system());
    let before = store
        .kind_tree(Kind::Person)
        .get(original.meta.id.to_bytes())
        .expect("read")
        .expect("stored");
    let mut previous = vec![1];
    previous.extend_from_slice(&before);
    let meta = store.meta();
    meta.insert(
        entry_key(journal.id, Kind::Person, original.meta.id),
        previous,
    )
    .expect("entry");
    let created = person(station, "王芳");
    meta.insert(
        entry_key(journal.id, Kind::Person, created.meta.id),
        vec![0],
    )
    .expect("entry");
    let mut changed = original.clone();
    changed.address = "东街1号".into();
    store
        .commit_unflushed(
            &Change::new("import.persons", &actor, Utc::now())
                .put(changed)
                .put(created.clone()),
        )
        .expect("written");

    let undone = store
        .undo_import()
        .expect("undone")
        .expect("an import was open");
    assert_eq!(undone.records, 2);
    let back = stored(&store, original.meta.id).expect("still there");
    assert_eq!(back.address, original.address);
    assert!(stored(&store, created.meta.id).is_none());
}
