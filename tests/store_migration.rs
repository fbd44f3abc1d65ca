//! Migration on open: a version-1 store (older index layout, here simulated by emptied
//! index trees) has its indexes rebuilt and its schema version raised; a store written by
//! a newer beatbook is refused with a message in both languages.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Id, VisitStatus};
use beatbook::store::SCHEMA_VERSION;
use beatbook::store::{Store, StoreError};
use common::raw::{drop_json_field, open_raw};
use common::{assert_audit_ok, assert_indexes_ok, create_person, date, Bureau};
use std::path::Path;

/// Index tree names (src/store/records.rs, `Index::tree_name`).
const INDEX_TREES: [&str; 5] = [
    "idx_officer_username",
    "idx_person_id_number",
    "idx_person_station",
    "idx_visit_station_status_due",
    "idx_visit_officer_status_due",
];

const SCHEMA_KEY: &[u8] = b"schema_version";

fn schema_version(dir: &Path) -> Option<u32> {
    let db = open_raw(dir);
    let v = db
        .open_tree("meta")
        .expect("meta tree")
        .get(SCHEMA_KEY)
        .expect("read");
    v.map(|v| u32::from_be_bytes(v.as_ref().try_into().expect("4 bytes")))
}

/// Rewrites the store with sled directly: sets (or removes) the schema version and, when
/// asked, empties every index tree.
fn tamper(dir: &Path, version: Option<u32>, clear_indexes: bool) {
    let db = open_raw(dir);
    let meta = db.open_tree("meta").expect("meta tree");
    match version {
        Some(v) => {
            meta.insert(SCHEMA_KEY, v.to_be_bytes().as_slice())
                .expect("write version");
        }
        None => {
            meta.remove(SCHEMA_KEY).expect("remove version");
        }
    }
    if clear_indexes {
        let names: Vec<Vec<u8>> = db.tree_names().iter().map(|n| n.to_vec()).collect();
        for name in INDEX_TREES {
            assert!(
                names.iter().any(|n| n == name.as_bytes()),
                "index tree {name} exists in the store"
            );
            let tree = db.open_tree(name).expect("index tree");
            tree.clear().expect("clear");
            assert!(tree.is_empty());
        }
    }
    db.flush().expect("flush");
}

/// A store with stations, accounts, persons and visits in several states, closed.
/// Returns the temp dir, and the ids the queries below must find.
struct Fixture {
    dir: tempfile::TempDir,
    station_a: Id,
    officer_a: Id,
    open_visits: Vec<Id>,
    person_count: usize,
}

fn fixture() -> Fixture {
    let b = Bureau::new();
    let p2 = create_person(&b.service, &b.officer_a, "王小二", "东关村");
    let v1 = b.visit(&b.officer_a, &b.person_a, "+1");
    let v2 = b.visit(&b.officer_a, &p2, "+3");
    let v3 = b.visit(&b.officer_a, &p2, "+5");
    b.service
        .cancel_visit(&b.officer_a, v3.meta.id, v3.meta.revision, "搬走了")
        .expect("cancel");
    b.visit(&b.officer_b, &b.person_b, "+2");
    assert_indexes_ok(b.store());
    let f = Fixture {
        station_a: b.station_a.meta.id,
        officer_a: b.officer_a.officer(),
        open_visits: vec![v1.meta.id, v2.meta.id],
        person_count: b.store().count(beatbook::store::Kind::Person),
        dir: b.dir,
    };
    drop(b.service);
    f
}

fn assert_queries_work(store: &Store, f: &Fixture) {
    let until = date(2026, 12, 31);
    let ids = |v: Vec<beatbook::model::Visit>| v.into_iter().map(|v| v.meta.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store
            .station_visits(f.station_a, None, until)
            .expect("station query")),
        f.open_visits
    );
    assert_eq!(
        ids(store
            .officer_visits(f.officer_a, None, until)
            .expect("officer query")),
        f.open_visits
    );
    // The cancelled visit is no longer owed: out of both visit indexes, still stored.
    assert_eq!(
        store
            .all::<beatbook::model::Visit>()
            .filter(|v| v.as_ref().expect("visit").status == VisitStatus::Cancelled)
            .count(),
        1
    );
    assert!(store
        .officer_by_username("wang.a")
        .expect("lookup")
        .is_some());
    let persons = store
        .all::<beatbook::model::Person>()
        .collect::<Result<Vec<_>, _>>()
        .expect("persons");
    assert_eq!(persons.len(), f.person_count);
    for p in persons {
        let number = p
            .id_number
            .clone()
            .expect("fixture persons have ID numbers");
        assert_eq!(
            store
                .person_by_id_number(&number)
                .expect("lookup")
                .map(|found| found.meta.id),
            Some(p.meta.id)
        );
    }
}

#[test]
fn version_1_store_gets_its_indexes_rebuilt_on_open() {
    let f = fixture();
    assert_eq!(
        schema_version(f.dir.path()),
        Some(SCHEMA_VERSION),
        "a new store is at the current version"
    );
    tamper(f.dir.path(), Some(1), true);
    assert_eq!(schema_version(f.dir.path()), Some(1));

    let store = Store::open(f.dir.path()).expect("migrating open");
    assert_indexes_ok(&store);
    assert_queries_work(&store, &f);
    assert_audit_ok(&store);
    drop(store);
    assert_eq!(
        schema_version(f.dir.path()),
        Some(SCHEMA_VERSION),
        "version raised to the current one"
    );

    // And it stays sound across another open (no second migration needed).
    let store = Store::open(f.dir.path()).expect("reopen");
    assert_indexes_ok(&store);
    assert_queries_work(&store, &f);
}

#[test]
fn the_same_damage_without_the_version_change_is_detected_not_repaired() {
    // Shows that it is the migration that repairs the indexes above, and that
    // check_indexes sees emptied indexes at all.
    let f = fixture();
    tamper(f.dir.path(), Some(SCHEMA_VERSION), true);
    let store = Store::open(f.dir.path()).expect("open");
    let problems = store.check_indexes().expect("check");
    assert_eq!(problems.len(), INDEX_TREES.len(), "{problems:?}");
    assert!(problems.iter().all(|p| p.missing > 0 && p.stray == 0));
    store.rebuild_indexes().expect("rebuild");
    assert_indexes_ok(&store);
    assert_queries_work(&store, &f);
}

#[test]
fn store_with_records_but_no_version_is_treated_as_version_1() {
    let f = fixture();
    tamper(f.dir.path(), None, true);
    assert_eq!(schema_version(f.dir.path()), None);
    let store = Store::open(f.dir.path()).expect("migrating open");
    assert_indexes_ok(&store);
    assert_queries_work(&store, &f);
    drop(store);
    assert_eq!(schema_version(f.dir.path()), Some(SCHEMA_VERSION));
}

#[test]
fn empty_store_starts_at_the_current_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Store::open(dir.path()).expect("open"));
    assert_eq!(schema_version(dir.path()), Some(SCHEMA_VERSION));
}

#[test]
fn newer_schema_is_refused_with_a_localized_message() {
    let f = fixture();
    tamper(f.dir.path(), Some(99), false);
    let err = Store::open(f.dir.path()).expect_err("newer schema refused");
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 99,
                supported: SCHEMA_VERSION
            }
        ),
        "{err:?}"
    );
    let en = err.localize(Lang::En);
    assert!(en.contains("newer beatbook"), "{en}");
    assert!(en.contains("99") && en.contains("Upgrade"), "{en}");
    let zh = err.localize(Lang::Zh);
    assert!(zh.contains("更新版本"), "{zh}");
    assert!(zh.contains("99") && zh.contains("请升级"), "{zh}");
    // The refusal changed nothing: the version is still 99 and the data is intact.
    assert_eq!(schema_version(f.dir.path()), Some(99));
    tamper(f.dir.path(), Some(SCHEMA_VERSION), false);
    let store = Store::open(f.dir.path()).expect("opens again at the current version");
    assert_indexes_ok(&store);
    assert_queries_work(&store, &f);
}

/// Before version 6 visits did not say that the watch-list rhythm scheduled them: opening
/// such a store marks the rolling visits of flagged persons (by the purpose the service
/// gave them) and leaves visits arranged by hand alone.
#[test]
fn version_5_store_gets_its_rolling_visits_marked() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let manual = b.visit(s, &b.person_a, "+3");
    let other = create_person(&b.service, s, "王小二", "东关村");
    b.service
        .flag_person(
            s,
            other.meta.id,
            &beatbook::service::FlagForm {
                categories: vec!["stability".into()],
                level: Some(beatbook::model::RiskLevel::Red),
                basis: "扬言报复".into(),
                ..Default::default()
            },
        )
        .expect("flag");
    let rolling: Vec<Id> = b
        .store()
        .all::<beatbook::model::Visit>()
        .map(|v| v.expect("visit"))
        .filter(|v| v.rolling)
        .map(|v| v.meta.id)
        .collect();
    assert_eq!(rolling.len(), 1);
    let dir = b.dir;
    drop(b.service);
    // Write the visits back as version 5 wrote them: without the `rolling` field.
    {
        let db = open_raw(dir.path());
        drop_json_field(&db, "visits", "rolling");
        db.flush().expect("flush");
    }
    tamper(dir.path(), Some(5), false);
    let store = Store::open(dir.path()).expect("migrates");
    for v in store.all::<beatbook::model::Visit>() {
        let v = v.expect("visit");
        assert_eq!(v.rolling, rolling.contains(&v.meta.id), "{v:?}");
    }
    let manual = store
        .get::<beatbook::model::Visit>(manual.meta.id)
        .expect("read")
        .expect("manual visit");
    assert!(!manual.rolling);
    assert_indexes_ok(&store);
    assert_audit_ok(&store);
}

/// The dispute index trees (`Index::tree_name`), whose rows version 8 encodes in binary.
const DISPUTE_ROW_TREES: [&str; 2] = ["idx_dispute_station_status", "idx_dispute_party"];

/// Version 7 kept the dispute indexes' register rows as JSON. Opening such a store
/// rewrites those two indexes from the disputes, and the register reads every row back.
#[test]
fn version_7_store_gets_its_dispute_rows_rewritten() {
    let (dir, service) = common::demo();
    let store = service.store();
    let mut expected: Vec<beatbook::model::DisputeSummary> = store
        .all::<beatbook::model::Dispute>()
        .map(|d| beatbook::model::DisputeSummary::of(&d.expect("dispute")))
        .collect();
    assert!(expected.len() > 10, "the demo has disputes");
    let stations: Vec<Id> = store
        .all::<beatbook::model::Station>()
        .map(|s| s.expect("station").meta.id)
        .collect();
    drop(service);
    let path = dir.path().join("store");
    {
        let db = open_raw(&path);
        for name in DISPUTE_ROW_TREES {
            let tree = db.open_tree(name).expect("index tree");
            assert!(!tree.is_empty(), "{name} has entries");
            for key in tree.iter().keys() {
                tree.insert(
                    key.expect("key"),
                    br#"{"r":0,"t":"as version 7 wrote it"}"#.as_slice(),
                )
                .expect("write");
            }
        }
        db.flush().expect("flush");
    }
    tamper(&path, Some(7), false);
    let store = Store::open(&path).expect("migrates");
    assert_indexes_ok(&store);
    let mut read: Vec<beatbook::model::DisputeSummary> = Vec::new();
    for station in stations {
        read.extend(store.station_disputes(station, &[]).expect("register rows"));
    }
    read.sort_by_key(|s| s.id);
    expected.sort_by_key(|s| s.id);
    assert_eq!(read, expected);
    for summary in &expected {
        for party in &summary.parties {
            let theirs = store.person_disputes(*party).expect("party rows");
            assert!(
                theirs.contains(summary),
                "{party} is party to {}",
                summary.id
            );
        }
    }
    drop(store);
    assert_eq!(schema_version(&path), Some(SCHEMA_VERSION));
}

/// A migration rebuilds only the indexes whose layout changed, each from its own kind of
/// record: every index, rebuilt alone, must come back whole.
#[test]
fn every_index_rebuilt_alone_comes_back_whole() {
    let (dir, service) = common::demo();
    for index in beatbook::store::Index::ALL {
        service
            .store()
            .rebuild_these_indexes(&[index])
            .expect("rebuild");
        assert_indexes_ok(service.store());
    }
    drop(service);
    // Meaningful only if the demo fills every index.
    let db = open_raw(&dir.path().join("store"));
    for name in db.tree_names() {
        let name = String::from_utf8_lossy(&name).into_owned();
        if name.starts_with("idx_") || name.starts_with("tally_") {
            assert!(
                !db.open_tree(&name).expect("tree").is_empty(),
                "{name} is filled"
            );
        }
    }
}

/// The visit indexes by station and by officer (src/store/records.rs, `Index::tree_name`).
const VISIT_INDEXES: [&str; 2] = [
    "idx_visit_station_status_due",
    "idx_visit_officer_status_due",
];

/// Version 8 stored every audit and change-log entry under its own key, and indexed every
/// visit by station and by officer. Opening such a store packs both logs into blocks (the
/// same entries read back in the same order, the chain verifies, far fewer keys) and
/// keeps only the owed visits in those two indexes.
#[test]
fn version_8_store_gets_its_logs_packed() {
    let (dir, service) = common::demo();
    let store = service.store();
    let audit = common::audit(store);
    let changes = common::changes(store);
    assert!(
        audit.len() > 500 && changes.len() > 500,
        "the demo writes both logs"
    );
    drop(service);
    let path = dir.path().join("store");
    {
        // Back to version 8's layout: one key per entry.
        let db = open_raw(&path);
        for name in ["audit", "changes"] {
            let tree = db.open_tree(name).expect("log tree");
            let stored: Vec<(sled::IVec, sled::IVec)> =
                tree.iter().map(|r| r.expect("read")).collect();
            assert!(
                stored.iter().any(|(_, v)| v.first() == Some(&0)),
                "the demo's {name} was written in blocks"
            );
            for (key, value) in stored {
                tree.remove(&key).expect("remove");
                for (seq, bytes) in beatbook::store::packed_log::decode(&key, &value) {
                    tree.insert(seq.to_be_bytes(), bytes).expect("insert");
                }
            }
        }
        // Version 8 indexed every visit by station and by officer, done and cancelled
        // ones too.
        for name in VISIT_INDEXES {
            let index = db.open_tree(name).expect("visit index");
            let (key, value) = index.iter().next().expect("an entry").expect("read");
            let mut past = key.to_vec();
            past[16] = VisitStatus::Done.code();
            index.insert(past, value).expect("write");
        }
        db.flush().expect("flush");
    }
    let keys = |name: &str| open_raw(&path).open_tree(name).expect("tree").len();
    assert_eq!(keys("audit"), audit.len());
    tamper(&path, Some(8), false);

    let store = Store::open(&path).expect("migrates");
    assert_eq!(common::audit(&store), audit);
    assert_eq!(common::changes(&store), changes);
    assert_audit_ok(&store);
    assert_indexes_ok(&store);
    let owed = store
        .all::<beatbook::model::Visit>()
        .filter(|v| v.as_ref().expect("visit").status == VisitStatus::Scheduled)
        .count();
    drop(store);
    assert_eq!(schema_version(&path), Some(SCHEMA_VERSION));
    for name in VISIT_INDEXES {
        assert_eq!(keys(name), owed, "{name}: owed visits only");
    }
    assert!(keys("audit") * 5 < audit.len(), "{} keys", keys("audit"));
    assert!(
        keys("changes") * 10 < changes.len(),
        "{} keys",
        keys("changes")
    );
}

/// The check compares each index by a fingerprint of its entries and only then entry by
/// entry: a value changed under its own key (a payload, a tally's count) is as much a
/// mismatch as a key removed or added, and an index left alone is not named.
#[test]
fn a_changed_index_value_is_found_and_only_its_index_is_named() {
    let (dir, service) = common::demo();
    assert!(service.store().check_indexes().expect("check").is_empty());
    drop(service);
    let path = dir.path().join("store");
    {
        let db = open_raw(&path);
        for name in [
            "idx_person_station",
            "tally_visit_station_due_officer_status",
        ] {
            let tree = db.open_tree(name).expect("index tree");
            let (key, value) = tree.iter().next().expect("an entry").expect("read");
            let mut changed = value.to_vec();
            let last = changed.last_mut().expect("a value");
            *last = last.wrapping_add(1);
            tree.insert(key, changed).expect("write");
        }
        db.flush().expect("flush");
    }
    let store = Store::open(&path).expect("opens");
    let mut named: Vec<_> = store
        .check_indexes()
        .expect("check")
        .into_iter()
        .map(|m| (m.index, m.stray, m.missing))
        .collect();
    named.sort_by_key(|m| beatbook::store::Index::ALL.iter().position(|i| *i == m.0));
    assert_eq!(
        named,
        vec![
            (beatbook::store::Index::PersonByStation, 1, 1),
            (beatbook::store::Index::VisitTallyByStation, 1, 1),
        ]
    );
}

/// Records of the larger kinds are stored compressed against a dictionary of their kind.
/// One stored as JSON (by any earlier version) reads the same and is compressed when it
/// is next written, so an upgraded store needs no rewrite.
#[test]
fn a_record_stored_as_json_reads_the_same_and_is_compressed_when_next_written() {
    let (dir, service) = common::demo();
    let visit = service
        .store()
        .all::<beatbook::model::Visit>()
        .map(|v| v.expect("visit"))
        .find(|v| v.status == VisitStatus::Scheduled)
        .expect("an owed visit");
    drop(service);
    let path = dir.path().join("store");
    let key = visit.meta.id.to_bytes();
    {
        let db = open_raw(&path);
        let visits = db.open_tree("visits").expect("visits");
        let stored = visits.get(key).expect("read").expect("the visit");
        assert_ne!(stored.first(), Some(&b'{'), "stored compressed");
        let json = beatbook::store::record_bytes::json_of(&stored).expect("its JSON");
        assert!(
            json.len() > stored.len() * 2,
            "{} of {}",
            stored.len(),
            json.len()
        );
        visits.insert(key, json.as_ref()).expect("as JSON");
        db.flush().expect("flush");
    }
    let store = Store::open(&path).expect("opens");
    let read: beatbook::model::Visit = store.get(visit.meta.id).expect("reads").expect("there");
    assert_eq!(read, visit);
    let mut changed = read.clone();
    changed.purpose = "回访：双方已和好".into();
    store
        .commit(
            &beatbook::store::Change::new(
                "test.write",
                &beatbook::store::Actor::system(),
                chrono::Utc::now(),
            )
            .put(changed),
        )
        .expect("saved");
    assert_indexes_ok(&store);
    drop(store);
    let db = open_raw(&path);
    let stored = db
        .open_tree("visits")
        .expect("visits")
        .get(key)
        .expect("read")
        .expect("the visit");
    assert_ne!(stored.first(), Some(&b'{'), "compressed again");
}

/// The indexes stored as groups since version 10 (src/store/records.rs, `Index::tree_name`).
const GROUPED_INDEXES: [(&str, beatbook::store::Index); 3] = [
    ("idx_visit_person", beatbook::store::Index::VisitByPerson),
    ("idx_visit_dispute", beatbook::store::Index::VisitByDispute),
    (
        "idx_dispute_event_station_time",
        beatbook::store::Index::DisputeEventByStation,
    ),
];

/// Version 9 stored every entry of the person and dispute visit indexes and of the
/// dispute events under its own key. Opening such a store stores them as groups, far
/// fewer keys, and every list reads back the same.
#[test]
fn version_9_store_gets_its_visits_and_events_grouped() {
    use beatbook::model::{Dispute, Person, Station};
    let (dir, service) = common::demo();
    let store = service.store();
    let persons: Vec<Id> = store
        .all::<Person>()
        .map(|p| p.expect("person").meta.id)
        .collect();
    let disputes: Vec<Id> = store
        .all::<Dispute>()
        .map(|d| d.expect("dispute").meta.id)
        .collect();
    let stations: Vec<Id> = store
        .all::<Station>()
        .map(|s| s.expect("station").meta.id)
        .collect();
    let lists = |store: &Store| {
        let by_person: Vec<_> = persons
            .iter()
            .map(|p| store.person_visit_summaries(*p).expect("person's visits"))
            .collect();
        let by_dispute: Vec<_> = disputes
            .iter()
            .map(|d| store.dispute_visit_summaries(*d).expect("follow-ups"))
            .collect();
        let statuses: Vec<_> = disputes
            .iter()
            .map(|d| store.dispute_visit_statuses(*d).expect("statuses"))
            .collect();
        let events: Vec<_> = stations
            .iter()
            .map(|s| {
                store
                    .station_dispute_events(
                        *s,
                        chrono::DateTime::<chrono::Utc>::MIN_UTC,
                        chrono::DateTime::<chrono::Utc>::MAX_UTC,
                    )
                    .expect("events")
            })
            .collect();
        (by_person, by_dispute, statuses, events)
    };
    let before = lists(store);
    assert!(
        before.0.iter().filter(|v| v.len() > 1).count() > 10
            && before.1.iter().filter(|v| v.len() > 1).count() > 10
            && before.3.iter().map(Vec::len).sum::<usize>() > 100,
        "the demo has persons and disputes with several visits, and events"
    );
    drop(service);
    let path = dir.path().join("store");
    let keys = |name: &str| open_raw(&path).open_tree(name).expect("tree").len();
    let mut entries = Vec::new();
    {
        // Back to version 9's layout: one key per entry.
        let db = open_raw(&path);
        for (name, index) in GROUPED_INDEXES {
            let tree = db.open_tree(name).expect("index tree");
            let stored: Vec<(sled::IVec, sled::IVec)> =
                tree.iter().map(|r| r.expect("read")).collect();
            tree.clear().expect("clear");
            let mut count = 0;
            for (group, value) in stored {
                let body = beatbook::store::index_groups::unpack(index, &value).expect("a group");
                for (member, payload) in
                    beatbook::store::index_groups::members(index, &body).expect("members")
                {
                    let mut key = group.to_vec();
                    key.extend_from_slice(member);
                    tree.insert(key, payload).expect("insert");
                    count += 1;
                }
            }
            entries.push(count);
        }
        db.flush().expect("flush");
    }
    tamper(&path, Some(9), false);

    let store = Store::open(&path).expect("migrates");
    assert_indexes_ok(&store);
    assert!(lists(&store) == before, "every list reads back the same");
    drop(store);
    assert_eq!(schema_version(&path), Some(SCHEMA_VERSION));
    // The demo's events are sparse (a few a day per station); its persons and disputes
    // have several visits each.
    for ((name, _), entries) in GROUPED_INDEXES.iter().zip(entries) {
        let most = if name.contains("event") {
            entries - 1
        } else {
            entries / 2
        };
        assert!(
            keys(name) <= most,
            "{name}: {} keys for {entries} entries",
            keys(name)
        );
    }
}

/// A grouped index read by a time window gives exactly the entries of the whole list
/// within it, whichever slices the window's ends fall in (the statistics read months).
#[test]
fn dispute_events_of_a_window_are_those_of_the_whole_list_within_it() {
    use chrono::{DateTime, Duration, Utc};
    let (_dir, service) = common::demo();
    let store = service.store();
    let mut windows_checked = 0;
    for station in store.all::<beatbook::model::Station>() {
        let station = station.expect("station").meta.id;
        let all = store
            .station_dispute_events(station, DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC)
            .expect("events");
        let (Some(first), Some(last)) = (all.first(), all.last()) else {
            continue;
        };
        // Windows of several lengths, with ends on event instants and between them.
        for hours in [1, 5, 30, 24 * 7] {
            let mut from = first.at - Duration::minutes(7);
            while from <= last.at {
                let until = from + Duration::hours(hours);
                let read = store
                    .station_dispute_events(station, from, until)
                    .expect("window");
                let want: Vec<_> = all
                    .iter()
                    .filter(|e| e.at >= from && e.at < until)
                    .cloned()
                    .collect();
                assert_eq!(read, want, "{from} .. {until}");
                windows_checked += 1;
                from = until - Duration::minutes(13);
            }
        }
        for e in all.iter().take(20) {
            let read = store
                .station_dispute_events(station, e.at, e.at + Duration::milliseconds(1))
                .expect("one instant");
            assert!(read.contains(e), "the window starting at an event holds it");
        }
    }
    assert!(windows_checked > 100, "{windows_checked} windows");
}

/// A group of a grouped index that no longer parses (the file altered) is a mismatch of
/// its index like any damaged entry: the check names that index, and a rebuild of it
/// makes the store whole again.
#[test]
fn an_unreadable_group_is_found_by_the_check_and_repaired() {
    let (dir, service) = common::demo();
    assert!(service.store().check_indexes().expect("check").is_empty());
    drop(service);
    let path = dir.path().join("store");
    {
        let db = open_raw(&path);
        let tree = db.open_tree("idx_visit_person").expect("index tree");
        let (key, value) = tree
            .iter()
            .map(|r| r.expect("read"))
            .find(|(_, v)| v.len() > 40)
            .expect("a group of several visits");
        let mut cut = value.to_vec();
        cut.truncate(value.len() - 3);
        tree.insert(key, cut).expect("write");
        db.flush().expect("flush");
    }
    let store = Store::open(&path).expect("opens");
    let found: Vec<_> = store
        .check_indexes()
        .expect("the check runs through it")
        .into_iter()
        .map(|m| (m.index, m.stray, m.missing > 0))
        .collect();
    assert_eq!(
        found,
        vec![(beatbook::store::Index::VisitByPerson, 1, true)]
    );
    store
        .rebuild_these_indexes(&[beatbook::store::Index::VisitByPerson])
        .expect("rebuild");
    assert_indexes_ok(&store);
}

/// The length of the person summary at the front of a persons-by-station entry (birth
/// year, name, village, masked ID: `store::list_rows`), i.e. the whole of a schema-10 entry.
fn person_summary_len(entry: &[u8]) -> usize {
    let u16_at = |at: usize| usize::from(u16::from_be_bytes([entry[at], entry[at + 1]]));
    let village_at = 4 + 2 + u16_at(4);
    let masked_at = village_at + 2 + u16_at(village_at);
    masked_at + 1 + usize::from(entry[masked_at])
}

/// Schema 11: a version-10 store's persons-by-station entries (the summary alone) get
/// each person's search keys, and a person search built on the migrated store finds
/// persons by the end of their phone numbers.
#[test]
fn version_10_store_gets_search_keys_in_its_person_entries() {
    use beatbook::model::{Person, PersonSearchKeys};
    let (dir, service) = common::demo();
    let persons: Vec<Person> = service
        .store()
        .all::<Person>()
        .map(|p| p.expect("person"))
        .collect();
    assert!(persons.iter().filter(|p| p.phone.is_some()).count() > 10);
    drop(service);
    let path = dir.path().join("store");
    {
        let db = open_raw(&path);
        let tree = db.open_tree("idx_person_station").expect("index tree");
        for entry in tree.iter() {
            let (key, value) = entry.expect("read");
            let old = value[..person_summary_len(&value)].to_vec();
            assert!(old.len() < value.len(), "schema 11 entries carry more");
            tree.insert(key, old).expect("rewrite");
        }
        db.flush().expect("flush");
    }
    tamper(&path, Some(10), false);
    {
        let store = Store::open(&path).expect("migrates");
        assert_indexes_ok(&store);
        let mut read: Vec<PersonSearchKeys> = store
            .person_search_keys(None)
            .map(|k| k.expect("search keys"))
            .collect();
        read.sort_by_key(|k| k.id);
        let mut want: Vec<PersonSearchKeys> = persons.iter().map(PersonSearchKeys::of).collect();
        want.sort_by_key(|k| k.id);
        assert!(
            read == want,
            "every person's keys, read from the index alone"
        );
    }
    assert_eq!(schema_version(&path), Some(SCHEMA_VERSION));
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T09:00:00+08:00").expect("now");
    let clock = std::sync::Arc::new(beatbook::service::FixedClock(now));
    let service = common::open_service(&path, clock);
    let session = service
        .login("officer", "demo1234")
        .expect("officer logs in");
    let phoned = persons
        .iter()
        .find(|p| {
            p.meta.station == session.station() && p.phone.is_some() && p.merged_into.is_none()
        })
        .expect("a person of the officer's station with a phone");
    let phone = phoned.phone.as_ref().expect("phone").as_str();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let found = service
        .search_persons(&session, &digits[digits.len() - 8..], 50, false)
        .expect("search");
    assert!(found.iter().any(|c| c.id == phoned.meta.id));
}
