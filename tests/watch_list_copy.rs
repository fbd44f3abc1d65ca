//! The watch list is built from the flag index alone: every flag carries a copy of its
//! person's name, village, birth year and masked ID number. These tests prove that every
//! write path keeps the copy in step with the person in the same commit (profile edits,
//! flagging, import, demo, seed), that `check` reports a stale copy and `check --repair`
//! refreshes it, and that a store written at schema 6 gets the copies filled on open.

use crate::common;

use beatbook::demo::SeedSpec;
use beatbook::model::{FlagPerson, Id, Person, PersonDraft, RiskLevel, WatchFlag};
use beatbook::service::FixedClock;
use beatbook::service::{ImportOptions, Session, WatchFilter, WatchRow};
use beatbook::store::{Actor, Change, Kind, Store, SCHEMA_VERSION};
use common::raw::{drop_json_field, open_raw};
use common::watch::flag;
use common::*;
use std::sync::Arc;

/// The watch-list rows of the session, filtered by `text`.
fn rows(b: &Bureau, s: &Session, text: &str) -> Vec<WatchRow> {
    b.service
        .watch_list(
            s,
            &WatchFilter {
                text: text.into(),
                ..Default::default()
            },
        )
        .expect("watch list")
}

fn row_of(b: &Bureau, s: &Session, person: Id) -> WatchRow {
    rows(b, s, "")
        .into_iter()
        .find(|r| r.flag.person == person)
        .expect("the person is on the watch list")
}

fn person(store: &Store, id: Id) -> Person {
    store.get::<Person>(id).expect("read").expect("person")
}

/// Asserts that no flag's copy differs from its person.
fn assert_copies_fresh(store: &Store) {
    let stale = store.stale_flag_copies().expect("check");
    assert!(stale.is_empty(), "stale flag copies: {stale:?}");
}

#[test]
fn a_flag_starts_with_its_person_and_the_list_shows_it() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let f = flag(&b, s, &b.person_a, RiskLevel::Orange);
    assert_eq!(f.listed_as, FlagPerson::of(&b.person_a));
    assert!(f
        .listed_as
        .masked_id
        .as_deref()
        .is_some_and(|m| m.contains('*')));
    let row = row_of(&b, s, b.person_a.meta.id);
    assert_eq!(row.person_name, b.person_a.name);
    assert_eq!(row.village, b.person_a.village);
    assert_eq!(row.birth_year, b.person_a.birth_year());
    assert_eq!(
        row.masked_id.as_deref(),
        Some(b.person_a.masked_id().as_str())
    );
    assert_copies_fresh(b.store());
}

#[test]
fn editing_a_flagged_person_shows_on_the_watch_list_in_the_same_commit() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    flag(&b, s, p, RiskLevel::Orange);
    let (draft, revision) = b.service.person_draft(s, p.meta.id).expect("draft");
    let new_number = resident_id(date(1985, 5, 6), 77);
    let edited = PersonDraft {
        name: "李新名".into(),
        village: "新华村".into(),
        id_number: new_number.clone(),
        birth_date: String::new(),
        gender: String::new(),
        ..draft
    };
    let audit_before = audit(b.store()).len();
    let updated = b
        .service
        .update_person(s, p.meta.id, revision, &edited)
        .expect("update");
    let row = row_of(&b, s, p.meta.id);
    assert_eq!(row.person_name, "李新名");
    assert_eq!(row.village, "新华村");
    assert_eq!(row.birth_year, Some(1985));
    assert_eq!(row.masked_id, Some(updated.masked_id()));
    assert!(!row
        .masked_id
        .unwrap_or_default()
        .contains(&new_number[6..14]));
    // The text filter uses the copy: the new name and village find the row, the old
    // name no longer does.
    assert_eq!(rows(&b, s, "李新").len(), 1);
    assert_eq!(rows(&b, s, "新华").len(), 1);
    assert!(rows(&b, s, &p.name).is_empty(), "old name");
    // One commit: the person and the flag under the same audited action.
    let written: Vec<(Option<Kind>, String)> = audit_after(b.store(), audit_before)
        .into_iter()
        .filter(|e| e.action == "person.update")
        .map(|e| (e.kind, e.action))
        .collect();
    assert_eq!(
        written.iter().map(|w| w.0).collect::<Vec<_>>(),
        vec![Some(Kind::Person), Some(Kind::Flag)]
    );
    // Notes and phone are not on the list: editing them leaves the flag alone.
    let (draft, revision) = b.service.person_draft(s, p.meta.id).expect("draft");
    let flag_revision = b.store().flag_of(p.meta.id).expect("read").expect("flag");
    b.service
        .update_person(
            s,
            p.meta.id,
            revision,
            &PersonDraft {
                notes: "已搬家".into(),
                phone: "13900001111".into(),
                ..draft
            },
        )
        .expect("update");
    let after = b.store().flag_of(p.meta.id).expect("read").expect("flag");
    assert_eq!(after.meta.revision, flag_revision.meta.revision);
    assert_copies_fresh(b.store());
    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn editing_an_unflagged_person_writes_no_flag() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let q = create_person(&b.service, s, "钱七", "西关村");
    let (draft, revision) = b.service.person_draft(s, q.meta.id).expect("draft");
    let audit_before = audit(b.store()).len();
    b.service
        .update_person(
            s,
            q.meta.id,
            revision,
            &PersonDraft {
                name: "钱八".into(),
                ..draft
            },
        )
        .expect("update");
    let kinds: Vec<Option<Kind>> = audit_after(b.store(), audit_before)
        .into_iter()
        .filter(|e| e.action == "person.update")
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec![Some(Kind::Person)]);
    assert_eq!(b.store().count(Kind::Flag), 0);
}

fn roster(rows: &[String]) -> String {
    let mut s = String::from(
        "姓名,性别,出生日期,身份证号码,联系电话,现住址,村（社区）,人员类别,风险等级,纳入依据,责任民警\r\n",
    );
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

#[test]
fn import_that_completes_a_flagged_person_refreshes_the_flag() {
    let b = Bureau::new();
    let s = &b.officer_a;
    // Two flagged persons known by name and birth date only, no ID number or village.
    let known = |name: &str| {
        b.service
            .create_person(
                s,
                &PersonDraft {
                    name: name.into(),
                    birth_date: "1990-07-07".into(),
                    ..Default::default()
                },
            )
            .expect("person")
    };
    let chen = known("陈志强");
    let zhou = known("周建华");
    flag(&b, s, &chen, RiskLevel::Orange);
    flag(&b, s, &zhou, RiskLevel::Orange);
    assert_eq!(row_of(&b, s, chen.meta.id).masked_id, None);
    let chen_number = resident_id(date(1990, 7, 7), 345);
    let zhou_number = resident_id(date(1990, 7, 7), 457);
    let new_number = resident_id(date(1982, 1, 9), 568);
    let rows_in_file = vec![
        // Fills 陈志强's ID number and village; no category: the flag read from the store
        // is refreshed.
        format!("陈志强,,1990-07-07,{chen_number},,白云村二组,白云村,,,,"),
        // Fills 周建华's and adds a category: the flag the import changes anyway.
        format!(
            "周建华,,1990-07-07,{zhou_number},,东街12号,东街社区,刑满释放,橙色,2025年刑满释放,"
        ),
        // A new person, flagged by the import.
        format!("王建国,,,{new_number},,城关镇东街12号,东街社区,涉稳,红色,多次扬言上访,"),
    ];
    let report = import(
        &b,
        roster(&rows_in_file).as_bytes(),
        ImportOptions::default(),
    );
    assert!(report.rejected.is_empty() && report.written, "{report:?}");
    assert_eq!(report.completed, 2, "{report:?}");
    for (id, village) in [(chen.meta.id, "白云村"), (zhou.meta.id, "东街社区")] {
        let p = person(b.store(), id);
        let row = row_of(&b, s, id);
        assert_eq!(row.village, village);
        assert_eq!(row.masked_id, Some(p.masked_id()));
    }
    let wang = rows(&b, s, "王建国");
    assert_eq!(wang.len(), 1);
    assert_eq!(wang[0].birth_year, Some(1982));
    assert_eq!(
        rows(&b, s, "白云").len(),
        1,
        "the filter finds the new village"
    );
    assert_copies_fresh(b.store());
    // Re-importing the same file changes nothing, flags included.
    let before = b.snapshot();
    let again = import(
        &b,
        roster(&rows_in_file).as_bytes(),
        ImportOptions::default(),
    );
    assert_eq!(again.changed, 0, "{again:?}");
    assert_eq!(b.snapshot(), before);
    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn demo_and_seed_flags_carry_their_persons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = open_service(dir.path(), Arc::new(FixedClock(start_time())));
    beatbook::demo::load_demo(&service).expect("demo loads");
    assert!(service.store().count(Kind::Flag) > 10);
    assert_copies_fresh(service.store());
    beatbook::demo::seed(
        &service,
        &SeedSpec {
            persons: 300,
            watch: 120,
            ..Default::default()
        },
        &mut |_| {},
    )
    .expect("seed");
    assert_copies_fresh(service.store());
    let flags: Vec<WatchFlag> = service
        .store()
        .all::<WatchFlag>()
        .map(|f| f.expect("flag"))
        .collect();
    assert!(flags.len() > 120);
    assert!(flags.iter().all(|f| !f.listed_as.name.is_empty()));
}

/// With hundreds of flags the watch list reads the station's owed visits in one scan
/// bounded to a few entries per flag, and asks for the persons it did not reach one by
/// one: every row must still show its person's earliest owed visit at the station, and
/// a person who owes none must show none.
#[test]
fn a_long_watch_list_shows_every_persons_earliest_owed_visit() {
    let (_dir, service) = seeded_demo(&SeedSpec {
        persons: 3600,
        visits: 50000,
        watch: 3300,
        ..Default::default()
    });
    let chief = service.login("chief", "demo1234").expect("chief logs in");
    let station = chief.station();
    // Two flagged persons the bounded scan cannot reach: one owes nothing (the scan
    // cannot tell that unless it read all), one owes only the station's latest visit.
    let rows = service
        .watch_list(&chief, &WatchFilter::default())
        .expect("list");
    let owed = |person| service.store().next_owed_of(station, person).expect("owed");
    let mut with_visit = rows.iter().filter(|r| r.next_visit.is_some());
    let cleared = with_visit
        .next()
        .expect("a row with an owed visit")
        .flag
        .person;
    let late = with_visit.next().expect("another").flag.person;
    let owed_visits = |service: &beatbook::service::Service| {
        service
            .store()
            .station_visits(station, None, chrono::NaiveDate::MAX)
            .expect("owed")
    };
    for visit in owed_visits(&service) {
        if visit.persons().iter().any(|p| *p == cleared || *p == late) {
            service
                .cancel_visit(&chief, visit.meta.id, visit.meta.revision, "搬走了")
                .expect("cancel");
        }
    }
    let last_due = owed_visits(&service)
        .last()
        .expect("owed visits")
        .due
        .format("%Y-%m-%d")
        .to_string();
    common::schedule(&service, &chief, late, &last_due, None);
    let rows = service
        .watch_list(&chief, &WatchFilter::default())
        .expect("list");
    assert!(
        rows.len() >= 500,
        "the scan path needs many flags, got {}",
        rows.len()
    );
    let owed_at_station = owed_visits(&service).len();
    assert!(
        owed_at_station > rows.len() * 4,
        "the scan must be cut short for this test to mean anything: {} flags, {owed_at_station} owed",
        rows.len()
    );
    for row in &rows {
        assert_eq!(row.next_visit, owed(row.flag.person), "{}", row.person_name);
    }
    let row_of = |person| rows.iter().find(|r| r.flag.person == person).expect("row");
    assert_eq!(
        row_of(cleared).next_visit,
        None,
        "its visits were cancelled"
    );
    assert!(
        row_of(late).next_visit.is_some(),
        "its one visit is the latest"
    );
    // The same long list's open alerts are many: their levels are read from the flag
    // rows at once (`watch_alerts`), and must be what each flag says.
    let alerts = service.watch_alerts(&chief).expect("alerts");
    assert!(
        alerts.len() >= 32,
        "many alerts needed, got {}",
        alerts.len()
    );
    for row in &alerts {
        let flag = service.store().flag_of(row.alert.person).expect("flag");
        let level = flag.filter(|f| f.is_active()).map(|f| f.level);
        assert_eq!(row.level, level, "{}", row.person_name);
    }
}

#[test]
fn check_reports_a_stale_copy_and_repair_refreshes_it() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let f = flag(&b, s, &b.person_a, RiskLevel::Orange);
    assert!(b.service.check_store().expect("check").is_clean());
    // A write that bypassed the service: the flag shows a name the person does not have.
    let mut stale = b
        .store()
        .get::<WatchFlag>(f.meta.id)
        .expect("read")
        .expect("flag");
    stale.listed_as.name = "旧名字".into();
    b.store()
        .commit(&Change::new("test.stale", &Actor::system(), chrono::Utc::now()).put(stale))
        .expect("write");
    assert_eq!(rows(&b, s, "旧名字").len(), 1);
    let report = b.service.check_store().expect("check");
    assert_eq!(report.stale_flags, 1);
    assert!(!report.is_clean());
    assert_eq!(b.service.repair_flag_copies("test").expect("repair"), 1);
    let report = b.service.check_store().expect("check");
    assert!(report.is_clean(), "{report:?}");
    assert!(rows(&b, s, "旧名字").is_empty());
    assert_eq!(
        row_of(&b, s, b.person_a.meta.id).person_name,
        b.person_a.name
    );
    assert_eq!(b.service.repair_flag_copies("test").expect("again"), 0);
    assert!(audit(b.store())
        .iter()
        .any(|e| e.action == "store.repair_flag_copies" && e.kind == Some(Kind::Flag)));
    assert_audit_ok(b.store());
}

/// A store written at schema 6 (flags without a copy of their person) gets every copy
/// filled from the person on open, audited as a system change.
#[test]
fn version_6_store_gets_its_flag_copies_filled() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let other = create_person(&b.service, s, "王小二", "东关村");
    flag(&b, s, &b.person_a, RiskLevel::Orange);
    flag(&b, s, &other, RiskLevel::Orange);
    let (station, person_a) = (b.station_a.meta.id, b.person_a.clone());
    let dir = b.dir;
    drop(b.service);
    // Write the flags back as version 6 wrote them: without `listed_as`.
    {
        let db = open_raw(dir.path());
        drop_json_field(&db, "flags", "listed_as");
        db.open_tree("meta")
            .expect("meta")
            .insert(b"schema_version", 6u32.to_be_bytes().as_slice())
            .expect("version");
        db.flush().expect("flush");
    }
    const { assert!(SCHEMA_VERSION >= 7) };
    let store = Store::open(dir.path()).expect("migrates");
    assert_copies_fresh(&store);
    let flags: Vec<WatchFlag> = store.all::<WatchFlag>().map(|f| f.expect("flag")).collect();
    assert_eq!(flags.len(), 2);
    for f in &flags {
        assert_eq!(f.listed_as, FlagPerson::of(&person(&store, f.person)));
    }
    let rows = store
        .station_flags(station, beatbook::model::FlagStatus::Active)
        .expect("rows");
    let row = rows
        .iter()
        .find(|r| r.person == person_a.meta.id)
        .expect("row");
    assert_eq!(row.listed_as.name, person_a.name);
    let migrated = audit(&store)
        .into_iter()
        .filter(|e| e.action == "store.migrate.flag_person_copies")
        .count();
    assert_eq!(migrated, 2);
    assert_indexes_ok(&store);
    assert_audit_ok(&store);
    drop(store);
    // Opening again finds nothing to do.
    let store = Store::open(dir.path()).expect("reopens");
    assert_eq!(
        audit(&store)
            .into_iter()
            .filter(|e| e.action == "store.migrate.flag_person_copies")
            .count(),
        2
    );
}
