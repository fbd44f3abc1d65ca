//! Random write sequences keep every index and range query equal to a full scan.

use super::*;

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

/// The station and officer indexes (owed visits only) for every station and officer,
/// against a filtered full scan.
fn check_queries(store: &Store, world: &World, from: Option<NaiveDate>, until: NaiveDate) {
    let owed = |v: &Visit| {
        v.status == VisitStatus::Scheduled && v.due <= until && from.map_or(true, |f| v.due >= f)
    };
    for &station in &world.stations {
        let got = store
            .station_visits(station, from, until)
            .expect("station query");
        let want = sorted_scan(store, |v| v.meta.station == station && owed(v));
        assert_eq!(got, want, "station_visits({station}, {from:?}, {until})");
    }
    for &officer in &world.officers {
        let got = store
            .officer_visits(officer, from, until)
            .expect("officer query");
        let want = sorted_scan(store, |v| v.assigned_to == officer && owed(v));
        assert_eq!(got, want, "officer_visits({officer}, {from:?}, {until})");
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
