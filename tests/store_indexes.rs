//! Store invariants under random write sequences: every index equals what a full scan of
//! the records implies, range queries through the indexes equal a filtered full scan, the
//! unique ID-number index refuses a second holder without writing anything, stale
//! revisions are refused, and every write leaves one audit entry (chain verified) and one
//! change-log entry in order.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Gender, Id, Meta, Person, ResidentId, Visit, VisitStatus, VisitSubject};
use beatbook::store::{Actor, AnyRecord, Change, Index, Kind, Store, StoreError, Write};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{assert_audit_ok, assert_indexes_ok, date, resident_id};
use proptest::prelude::*;
use std::collections::BTreeMap;

const STATIONS: usize = 3;
const OFFICERS: usize = 4;
const ID_POOL: usize = 5;

fn base_date() -> NaiveDate {
    date(2026, 11, 25)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
        .single()
        .expect("instant")
}

fn actor() -> Actor {
    Actor {
        id: Id::new(),
        name: "prop".into(),
    }
}

/// The fixed population a case draws from: station and officer ids and a small pool of ID
/// numbers, so that collisions happen often.
struct World {
    stations: Vec<Id>,
    officers: Vec<Id>,
    id_numbers: Vec<ResidentId>,
    actor: Actor,
}

impl World {
    fn new() -> World {
        World {
            stations: (0..STATIONS).map(|_| Id::new()).collect(),
            officers: (0..OFFICERS).map(|_| Id::new()).collect(),
            id_numbers: (0..ID_POOL)
                .map(|i| {
                    let s = resident_id(date(1960 + i as i32, 3, 1 + i as u32), 21 + i as u16);
                    ResidentId::parse(&s).expect("valid pool number")
                })
                .collect(),
            actor: actor(),
        }
    }

    fn person(&self, station: usize, id_number: Option<usize>) -> Person {
        Person {
            meta: Meta::new(self.stations[station], now(), self.actor.id),
            name: "测试人".into(),
            gender: Gender::Unknown,
            birth_date: None,
            id_number: id_number.map(|i| self.id_numbers[i].clone()),
            phone: None,
            address: String::new(),
            village: "东关村".into(),
            notes: String::new(),
        }
    }

    fn visit(
        &self,
        station: usize,
        officer: usize,
        due: i64,
        status: usize,
        person: Option<Id>,
    ) -> Visit {
        let mut visit = Visit::planned(
            Meta::new(self.stations[station], now(), self.actor.id),
            VisitSubject {
                person,
                dispute: None,
            },
            self.officers[officer],
            base_date() + Duration::days(due),
            "定期走访",
        );
        visit.status = VisitStatus::ALL[status];
        visit
    }

    fn change(&self) -> Change {
        Change::new("test.write", &self.actor, now())
    }
}

#[derive(Clone, Debug)]
enum Op {
    CreatePerson {
        station: usize,
        id_number: Option<usize>,
    },
    UpdatePerson {
        which: usize,
        station: Option<usize>,
        /// Some(None) removes the ID number.
        id_number: Option<Option<usize>>,
    },
    DeletePerson {
        which: usize,
    },
    /// Two new persons in one change; the second write may collide with the first or with
    /// a stored person, in which case neither may be written.
    CreatePair {
        station: usize,
        first: Option<usize>,
        second: Option<usize>,
    },
    CreateVisit {
        station: usize,
        officer: usize,
        due: i64,
        status: usize,
        person: usize,
    },
    UpdateVisit {
        which: usize,
        station: Option<usize>,
        officer: Option<usize>,
        due: Option<i64>,
        status: Option<usize>,
    },
    DeleteVisit {
        which: usize,
    },
    /// A put or delete at a revision that is not the stored one.
    Stale {
        which: usize,
        visit: bool,
        delete: bool,
    },
    /// Range queries through both visit indexes against a filtered full scan.
    Query {
        from: Option<i64>,
        until: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let station = 0..STATIONS;
    let id_number = proptest::option::weighted(0.7, 0..ID_POOL);
    prop_oneof![
        3 => (station.clone(), id_number.clone())
            .prop_map(|(station, id_number)| Op::CreatePerson { station, id_number }),
        2 => (
            any::<usize>(),
            proptest::option::of(0..STATIONS),
            proptest::option::of(proptest::option::weighted(0.7, 0..ID_POOL)),
        )
            .prop_map(|(which, station, id_number)| Op::UpdatePerson {
                which,
                station,
                id_number
            }),
        1 => any::<usize>().prop_map(|which| Op::DeletePerson { which }),
        1 => (0..STATIONS, id_number.clone(), id_number)
            .prop_map(|(station, first, second)| Op::CreatePair { station, first, second }),
        4 => (0..STATIONS, 0..OFFICERS, -15i64..15, 0..4usize, any::<usize>()).prop_map(
            |(station, officer, due, status, person)| Op::CreateVisit {
                station,
                officer,
                due,
                status,
                person
            }
        ),
        3 => (
            any::<usize>(),
            proptest::option::of(0..STATIONS),
            proptest::option::of(0..OFFICERS),
            proptest::option::of(-15i64..15),
            proptest::option::of(0..4usize),
        )
            .prop_map(|(which, station, officer, due, status)| Op::UpdateVisit {
                which,
                station,
                officer,
                due,
                status
            }),
        1 => any::<usize>().prop_map(|which| Op::DeleteVisit { which }),
        1 => (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(which, visit, delete)| Op::Stale { which, visit, delete }),
        1 => (proptest::option::of(-20i64..20), -20i64..20)
            .prop_map(|(from, until)| Op::Query { from, until }),
    ]
}

/// What the store should hold, kept beside it.
#[derive(Default)]
struct Model {
    persons: BTreeMap<Id, Person>,
    visits: BTreeMap<Id, Visit>,
    /// (kind, id, revision, deleted) per write, in commit order.
    log: Vec<(Kind, Id, u64, bool)>,
}

impl Model {
    fn holder(&self, number: &ResidentId, except: Option<Id>) -> Option<Id> {
        self.persons
            .values()
            .find(|p| Some(p.meta.id) != except && p.id_number.as_ref() == Some(number))
            .map(|p| p.meta.id)
    }

    fn nth_person(&self, which: usize) -> Option<Person> {
        let n = self.persons.len();
        if n == 0 {
            return None;
        }
        self.persons.values().nth(which % n).cloned()
    }

    fn nth_visit(&self, which: usize) -> Option<Visit> {
        let n = self.visits.len();
        if n == 0 {
            return None;
        }
        self.visits.values().nth(which % n).cloned()
    }

    fn saved(&mut self, records: Vec<AnyRecord>) {
        for r in records {
            let m = r.meta().clone();
            self.log.push((r.kind(), m.id, m.revision, false));
            match r {
                AnyRecord::Person(p) => {
                    self.persons.insert(m.id, p);
                }
                AnyRecord::Visit(v) => {
                    self.visits.insert(m.id, v);
                }
                other => panic!("unexpected record {other:?}"),
            }
        }
    }
}

/// Commits `change` expecting a unique-index refusal naming `existing`; checks nothing of
/// the change reached the store.
fn expect_duplicate(store: &Store, change: &Change, existing: Id) {
    let before = common::snapshot(store);
    match store.commit(change) {
        Err(StoreError::Duplicate {
            index: Index::PersonByIdNumber,
            existing: Some(found),
            ..
        }) => assert_eq!(found, existing, "the error names the holder"),
        other => panic!("expected a duplicate ID number refusal, got {other:?}"),
    }
    assert_eq!(
        common::snapshot(store),
        before,
        "a refused change writes nothing"
    );
    for w in &change.writes {
        if let Write::Put(r) = w {
            if r.meta().revision == 0 {
                assert!(
                    store.get::<Person>(r.meta().id).expect("read").is_none(),
                    "no write of a refused change may land"
                );
            }
        }
    }
}

fn expect_conflict(store: &Store, change: &Change, kind: Kind, id: Id) {
    let before = common::snapshot(store);
    match store.commit(change) {
        Err(StoreError::Conflict { kind: k, id: i }) => {
            assert_eq!((k, i), (kind, id));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        common::snapshot(store),
        before,
        "a refused change writes nothing"
    );
}

fn commit_ok(store: &Store, model: &mut Model, change: &Change) {
    let saved = store
        .commit(change)
        .unwrap_or_else(|e| panic!("commit {change:?}: {e}"));
    assert_eq!(saved.len(), change.writes.len());
    model.saved(saved);
}

fn sorted_scan(store: &Store, keep: impl Fn(&Visit) -> bool) -> Vec<Visit> {
    let mut v: Vec<Visit> = store
        .all::<Visit>()
        .collect::<Result<Vec<_>, _>>()
        .expect("scan")
        .into_iter()
        .filter(|v| keep(v))
        .collect();
    v.sort_by_key(|v| (v.due, v.meta.id));
    v
}

/// Both visit indexes, for every owner and status, against a filtered full scan.
fn check_queries(store: &Store, world: &World, from: Option<NaiveDate>, until: NaiveDate) {
    let in_range = |v: &Visit| v.due <= until && from.map_or(true, |f| v.due >= f);
    for status in VisitStatus::ALL {
        for &station in &world.stations {
            let got = store
                .station_visits(station, status, from, until)
                .expect("station query");
            let want = sorted_scan(store, |v| {
                v.meta.station == station && v.status == status && in_range(v)
            });
            assert_eq!(
                got, want,
                "station_visits({station}, {status:?}, {from:?}, {until})"
            );
        }
        for &officer in &world.officers {
            let got = store
                .officer_visits(officer, status, from, until)
                .expect("officer query");
            let want = sorted_scan(store, |v| {
                v.assigned_to == officer && v.status == status && in_range(v)
            });
            assert_eq!(
                got, want,
                "officer_visits({officer}, {status:?}, {from:?}, {until})"
            );
        }
    }
}

fn run(ops: Vec<Op>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let world = World::new();
    let mut model = Model::default();
    let mut audit_expected = 0usize;

    for op in ops {
        let log_before = model.log.len();
        match op {
            Op::CreatePerson { station, id_number } => {
                let p = world.person(station, id_number);
                let change = world.change().put(p.clone());
                match p.id_number.as_ref().and_then(|n| model.holder(n, None)) {
                    Some(holder) => expect_duplicate(&store, &change, holder),
                    None => commit_ok(&store, &mut model, &change),
                }
            }
            Op::UpdatePerson {
                which,
                station,
                id_number,
            } => {
                let Some(mut p) = model.nth_person(which) else {
                    continue;
                };
                if let Some(s) = station {
                    p.meta.station = world.stations[s];
                }
                if let Some(n) = id_number {
                    p.id_number = n.map(|i| world.id_numbers[i].clone());
                }
                p.name = format!("改名{}", p.meta.revision);
                let change = world.change().put(p.clone());
                match p
                    .id_number
                    .as_ref()
                    .and_then(|n| model.holder(n, Some(p.meta.id)))
                {
                    Some(holder) => expect_duplicate(&store, &change, holder),
                    None => commit_ok(&store, &mut model, &change),
                }
            }
            Op::DeletePerson { which } => {
                let Some(p) = model.nth_person(which) else {
                    continue;
                };
                let mut change = world.change();
                change.writes.push(Write::Delete {
                    kind: Kind::Person,
                    id: p.meta.id,
                    revision: p.meta.revision,
                });
                store.commit(&change).expect("delete person");
                model.persons.remove(&p.meta.id);
                model
                    .log
                    .push((Kind::Person, p.meta.id, p.meta.revision + 1, true));
            }
            Op::CreatePair {
                station,
                first,
                second,
            } => {
                let a = world.person(station, first);
                let b = world.person(station, second);
                let change = world.change().put(a.clone()).put(b.clone());
                let clash_a = a.id_number.as_ref().and_then(|n| model.holder(n, None));
                let clash_b = b.id_number.as_ref().and_then(|n| {
                    model
                        .holder(n, None)
                        .or_else(|| (a.id_number.as_ref() == Some(n)).then_some(a.meta.id))
                });
                match clash_a.or(clash_b) {
                    Some(holder) => expect_duplicate(&store, &change, holder),
                    None => commit_ok(&store, &mut model, &change),
                }
            }
            Op::CreateVisit {
                station,
                officer,
                due,
                status,
                person,
            } => {
                let subject = model.nth_person(person).map(|p| p.meta.id);
                let v = world.visit(station, officer, due, status, subject);
                commit_ok(&store, &mut model, &world.change().put(v));
            }
            Op::UpdateVisit {
                which,
                station,
                officer,
                due,
                status,
            } => {
                let Some(mut v) = model.nth_visit(which) else {
                    continue;
                };
                if let Some(s) = station {
                    v.meta.station = world.stations[s];
                }
                if let Some(o) = officer {
                    v.assigned_to = world.officers[o];
                }
                if let Some(d) = due {
                    v.due = base_date() + Duration::days(d);
                }
                if let Some(s) = status {
                    v.status = VisitStatus::ALL[s];
                }
                commit_ok(&store, &mut model, &world.change().put(v));
            }
            Op::DeleteVisit { which } => {
                let Some(v) = model.nth_visit(which) else {
                    continue;
                };
                let mut change = world.change();
                change.writes.push(Write::Delete {
                    kind: Kind::Visit,
                    id: v.meta.id,
                    revision: v.meta.revision,
                });
                store.commit(&change).expect("delete visit");
                model.visits.remove(&v.meta.id);
                model
                    .log
                    .push((Kind::Visit, v.meta.id, v.meta.revision + 1, true));
            }
            Op::Stale {
                which,
                visit,
                delete,
            } => {
                let (kind, record): (Kind, Option<AnyRecord>) = if visit {
                    (Kind::Visit, model.nth_visit(which).map(Into::into))
                } else {
                    (Kind::Person, model.nth_person(which).map(Into::into))
                };
                let Some(mut record) = record else {
                    // Nothing stored yet: a "new" record claiming a revision is refused too.
                    let mut p = world.person(0, None);
                    p.meta.revision = 3;
                    let id = p.meta.id;
                    expect_conflict(&store, &world.change().put(p), Kind::Person, id);
                    continue;
                };
                let id = record.meta().id;
                let stored = record.meta().revision;
                let mut change = world.change();
                if delete {
                    change.writes.push(Write::Delete {
                        kind,
                        id,
                        revision: stored + 1,
                    });
                } else {
                    record.meta_mut().revision = stored - 1;
                    change.writes.push(Write::Put(Box::new(record)));
                }
                expect_conflict(&store, &change, kind, id);
            }
            Op::Query { from, until } => {
                check_queries(
                    &store,
                    &world,
                    from.map(|f| base_date() + Duration::days(f)),
                    base_date() + Duration::days(until),
                );
            }
        }
        if model.log.len() > log_before {
            audit_expected += model.log.len() - log_before;
        }
        assert_indexes_ok(&store);
    }

    // The records are exactly the model's.
    let persons: Vec<Person> = store.all().collect::<Result<_, _>>().expect("persons");
    assert_eq!(persons, model.persons.values().cloned().collect::<Vec<_>>());
    let visits: Vec<Visit> = store.all().collect::<Result<_, _>>().expect("visits");
    assert_eq!(visits, model.visits.values().cloned().collect::<Vec<_>>());
    for p in model.persons.values() {
        if let Some(n) = &p.id_number {
            let found = store.person_by_id_number(n).expect("lookup");
            assert_eq!(found.as_ref(), Some(p), "person_by_id_number");
        }
    }
    for n in &world.id_numbers {
        if model.holder(n, None).is_none() {
            assert_eq!(store.person_by_id_number(n).expect("lookup"), None);
        }
    }
    for &station in &world.stations {
        let ids: Vec<Id> = store
            .station_person_ids(station)
            .collect::<Result<_, _>>()
            .expect("station persons");
        let want: Vec<Id> = model
            .persons
            .values()
            .filter(|p| p.meta.station == station)
            .map(|p| p.meta.id)
            .collect();
        assert_eq!(ids, want, "station_person_ids");
    }
    check_queries(&store, &world, None, base_date() + Duration::days(30));

    // One audit entry per write, chained; one change-log entry per write, in order.
    assert_eq!(store.audit_entries().count(), audit_expected);
    assert_eq!(
        store.verify_audit().expect("audit readable"),
        Ok(audit_expected as u64)
    );
    let audited: Vec<(Option<Id>, bool)> = common::audit(&store)
        .into_iter()
        .map(|e| (e.record, e.deleted))
        .collect();
    let written: Vec<(Option<Id>, bool)> = model
        .log
        .iter()
        .map(|(_, id, _, d)| (Some(*id), *d))
        .collect();
    assert_eq!(audited, written, "audit entries follow the writes");
    let changes: Vec<_> = store
        .changes_since(0)
        .collect::<Result<Vec<_>, _>>()
        .expect("change log");
    assert_eq!(changes.len(), model.log.len());
    for (i, (c, (kind, id, revision, deleted))) in changes.iter().zip(&model.log).enumerate() {
        assert_eq!(c.seq, i as u64 + 1, "change-log sequence increases by one");
        assert_eq!(
            (c.kind, c.id, c.revision, c.deleted),
            (*kind, *id, *revision, *deleted)
        );
    }
    let half = changes.len() as u64 / 2;
    let tail: Vec<u64> = store
        .changes_since(half)
        .map(|c| c.expect("entry").seq)
        .collect();
    assert_eq!(
        tail,
        ((half + 1)..=changes.len() as u64).collect::<Vec<_>>()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_writes_keep_indexes_equal_to_a_full_scan(ops in proptest::collection::vec(op(), 1..30)) {
        run(ops);
    }
}

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
