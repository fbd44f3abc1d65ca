//! Conflicts from the hub in the TUI: the chief sees the count on Today, opens the list,
//! reads both versions field by field (side by side at 120 columns, stacked at 80) and
//! decides by keys, each decision asked once more; supervisors and officers only read.
//!
//! The conflict is put into the real store the way a sync round does (the station's open
//! conflicts as the hub lists them); the round trips through a real hub are in
//! `hub::resolving`.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::Person;
use beatbook::store::{ConflictReason, SyncConflict};
use common::tui::{app, press, screen};
use common::{at, Bureau};

/// Station A's person edited on two terminals at once: notes on both (a clash), the
/// address only on the other terminal (set aside with it).
fn fixture() -> Bureau {
    let b = Bureau::new();
    let store = b.service.store();
    let person: Person = store
        .get(b.person_a.meta.id)
        .expect("read")
        .expect("person");
    let mut theirs = serde_json::to_value(&person).expect("json");
    theirs["notes"] = "二号终端：已调解，双方同意".into();
    let mut mine = serde_json::to_value(&person).expect("json");
    mine["notes"] = "一号终端：仍有争执，需再访".into();
    mine["address"] = "城关镇东街 12 号".into();
    // The hub's version is what this terminal holds after the round.
    let (mut draft, revision) = b
        .service
        .person_draft(&b.chief_a, person.meta.id)
        .expect("draft");
    draft.notes = "二号终端：已调解，双方同意".into();
    b.service
        .update_person(&b.chief_a, person.meta.id, revision, &draft)
        .expect("hub's version held");
    let held: Person = store.get(person.meta.id).expect("read").expect("person");
    theirs["meta"] = serde_json::to_value(&held.meta).expect("meta");
    let conflict = SyncConflict {
        key: String::new(),
        hub_id: Some(7),
        terminal: Some("bb_cg_2".into()),
        fields: vec!["notes".into()],
        kind: beatbook::model::Kind::Person,
        id: person.meta.id,
        reason: ConflictReason::Revision,
        mine: Some(mine),
        theirs: Some(theirs),
        at: at(2026, 11, 25, 8, 30).to_utc(),
    };
    store
        .refresh_hub_conflicts(&[conflict])
        .expect("conflict kept");
    b
}

fn held(b: &Bureau) -> Person {
    b.service
        .store()
        .get(b.person_a.meta.id)
        .expect("read")
        .expect("person")
}

#[test]
fn the_chief_sees_the_count_on_today_and_both_versions_field_by_field() {
    let b = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&b.service, lang, &b.chief_a);
        let today = screen(&app, 120, 40);
        let count = match lang {
            Lang::Zh => "冲突 1 条待处理 (C)",
            Lang::En => "1 conflicts to decide (C)",
        };
        assert!(today.contains(count), "{today}");
        press(&mut app, "C");
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert!(s.contains("一号终端：仍有争执"), "{s}");
            assert!(s.contains("二号终端：已调解"), "{s}");
            assert!(s.contains("bb_cg_2"), "{s}");
            insta::assert_snapshot!(format!("conflicts_{lang}_{w}x{h}"), s);
        }
    }
    // Another station's chief has nothing waiting.
    let s = screen(&app(&b.service, Lang::Zh, &b.chief_b), 120, 40);
    assert!(!s.contains("冲突"), "{s}");
}

#[test]
fn taking_the_version_set_aside_asks_first_and_takes_every_listed_field() {
    let b = fixture();
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    press(&mut app, "Cm");
    let s = screen(&app, 80, 24);
    assert!(s.contains("列出的字段都采用搁置的版本"), "asks first:\n{s}");
    // No: nothing changes.
    press(&mut app, "n");
    assert_eq!(held(&b).notes, "二号终端：已调解，双方同意");
    press(&mut app, "my");
    let p = held(&b);
    assert_eq!(p.notes, "一号终端：仍有争执，需再访");
    assert_eq!(p.address, "城关镇东街 12 号");
    let store = b.service.store();
    assert!(store.sync_conflicts().expect("conflicts").is_empty());
    assert_eq!(
        store.resolutions_pending().expect("pending"),
        vec![(7, "kept".to_string())]
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("冲突已处理"), "{s}");
    assert!(s.contains("没有待处理的冲突"), "{s}");
    // Audited as a decision, by the chief.
    let page = b
        .service
        .audit_page(&b.chief_a, &Default::default(), None)
        .expect("audit");
    assert!(
        page.rows
            .iter()
            .any(|r| r.entry.action == "conflict.resolve" && r.entry.actor_name == "zhao.chief"),
        "no audit entry"
    );
}

#[test]
fn fields_marked_with_space_come_from_the_version_set_aside_the_rest_from_the_hub() {
    let b = fixture();
    let mut app = app(&b.service, Lang::En, &b.chief_a);
    press(&mut app, "C");
    // Fields are listed sorted: address, notes. Nothing marked: saving says what to do.
    press(&mut app, "<C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("mark the fields"), "{s}");
    press(&mut app, " ");
    let s = screen(&app, 120, 40);
    insta::assert_snapshot!("conflicts_marked_en_120x40", s);
    press(&mut app, "<C-s>y");
    let p = held(&b);
    assert_eq!(
        p.address, "城关镇东街 12 号",
        "marked: from the version set aside"
    );
    assert_eq!(p.notes, "二号终端：已调解，双方同意", "unmarked: the hub's");
    assert_eq!(
        b.service.store().resolutions_pending().expect("pending"),
        vec![(7, "fields".to_string())]
    );
}

#[test]
fn keeping_the_hubs_version_writes_nothing_but_closes_the_conflict() {
    let b = fixture();
    let before = held(&b);
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    press(&mut app, "Cty");
    assert_eq!(held(&b), before);
    assert!(b.service.store().sync_conflicts().expect("c").is_empty());
    assert_eq!(
        b.service.store().resolutions_pending().expect("pending"),
        vec![(7, "hub".to_string())]
    );
}

#[test]
fn supervisors_and_officers_read_but_do_not_decide() {
    let b = fixture();
    let before = held(&b);
    for session in [&b.supervisor, &b.officer_a] {
        let mut app = app(&b.service, Lang::Zh, session);
        press(&mut app, "C");
        let s = screen(&app, 80, 24);
        assert!(s.contains("一号终端：仍有争执"), "{s}");
        assert!(s.contains("只能查看"), "{s}");
        press(&mut app, "my");
        assert_eq!(held(&b), before);
        assert_eq!(b.service.store().sync_conflicts().expect("c").len(), 1);
        // The service refuses it too, whatever the screen offers.
        let key = b.service.store().sync_conflicts().expect("c")[0]
            .key
            .clone();
        assert!(b
            .service
            .resolve_conflict(session, &key, &beatbook::service::ConflictChoice::Kept)
            .is_err());
    }
    // Another station's officer does not even read it.
    assert!(b
        .service
        .conflicts(&b.officer_b)
        .expect("conflicts")
        .is_empty());
}

/// Two registrations of one resident at station A (same name and birth date).
fn twice_registered(b: &Bureau) -> (Person, Person) {
    let make = |notes: &str| {
        b.service
            .create_person(
                &b.officer_a,
                &beatbook::model::PersonDraft {
                    name: "王同名".into(),
                    birth_date: "1980-05-06".into(),
                    village: "东关村".into(),
                    notes: notes.into(),
                    ..Default::default()
                },
            )
            .expect("registered")
    };
    (make("第一次登记"), make("第二次登记"))
}

#[test]
fn possible_duplicates_are_listed_below_and_the_chief_merges_them_by_keys() {
    let b = Bureau::new();
    let (first, second) = twice_registered(&b);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&b.service, lang, &b.chief_a);
        press(&mut app, "C");
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert!(s.contains("王同名"), "{s}");
            insta::assert_snapshot!(format!("duplicates_{lang}_{w}x{h}"), s);
        }
    }
    // An officer is told to ask the chief; nothing is merged.
    let mut officer = app(&b.service, Lang::Zh, &b.officer_a);
    press(&mut officer, "C1");
    assert!(screen(&officer, 80, 24).contains("由本所所长操作"));
    let store = b.service.store();
    let p: Person = store.get(second.meta.id).expect("read").expect("p");
    assert_eq!(p.merged_into, None);
    // The chief merges into the first record after the question.
    let mut chief = app(&b.service, Lang::Zh, &b.chief_a);
    press(&mut chief, "C1");
    assert!(screen(&chief, 80, 24).contains("合并这两条人员记录，保留第 1 条"));
    press(&mut chief, "y");
    let p: Person = store.get(second.meta.id).expect("read").expect("p");
    assert_eq!(p.merged_into, Some(first.meta.id));
    let kept: Person = store.get(first.meta.id).expect("read").expect("p");
    assert_eq!(kept.merged[0].notes, "第二次登记");
    let s = screen(&chief, 80, 24);
    assert!(s.contains("已合并"), "{s}");
    assert!(
        !s.contains("王同名"),
        "the pair is gone from the list:\n{s}"
    );
}

#[test]
fn an_officers_merge_request_waits_for_the_chief_who_merges_or_turns_it_down() {
    let b = Bureau::new();
    let (first, second) = twice_registered(&b);
    let s = &b.service;
    assert_eq!(
        s.request_merge(&b.officer_a, first.meta.id, second.meta.id, "同一人")
            .expect("asked"),
        beatbook::service::MergeOutcome::Requested
    );
    assert!(s
        .request_merge(&b.supervisor, first.meta.id, second.meta.id, "")
        .is_err());
    let pairs = s.possible_duplicates(&b.chief_a).expect("pairs");
    assert_eq!(pairs.len(), 1, "one item, not two: {pairs:?}");
    assert!(matches!(
        &pairs[0].reason,
        beatbook::service::DuplicateReason::Requested { note, .. } if note == "同一人"
    ));
    assert_eq!(
        pairs[0].first.id, first.meta.id,
        "the record the officer keeps"
    );
    // The chief turns it down: the pair stays listed for what it is.
    let mut chief = app(s, Lang::Zh, &b.chief_a);
    press(&mut chief, "C");
    assert!(screen(&chief, 80, 24).contains("申请合并到第 1 条"));
    press(&mut chief, "xy");
    let p: Person = s.store().get(first.meta.id).expect("read").expect("p");
    assert_eq!(p.merge_request, None);
    let pairs = s.possible_duplicates(&b.chief_a).expect("pairs");
    assert_eq!(
        pairs[0].reason,
        beatbook::service::DuplicateReason::SameNameAndBirthDate
    );
    // Asked again, merged by the chief: the request goes with the merge.
    s.request_merge(&b.officer_a, second.meta.id, first.meta.id, "")
        .expect("asked");
    let mut chief = app(s, Lang::Zh, &b.chief_a);
    press(&mut chief, "C1y");
    let kept: Person = s.store().get(second.meta.id).expect("read").expect("p");
    assert_eq!(kept.merge_request, None);
    assert_eq!(kept.merged[0].id, first.meta.id);
    // The chief's own "same person" merges at once.
    let (x, y) = twice_registered(&b);
    assert!(matches!(
        s.request_merge(&b.chief_a, x.meta.id, y.meta.id, "")
            .expect("merged"),
        beatbook::service::MergeOutcome::Merged(_)
    ));
}

#[test]
fn the_current_side_shows_an_edit_made_after_the_conflict_arrived_and_other_fields_stay() {
    let b = fixture();
    let s = &b.service;
    let id = b.person_a.meta.id;
    // Edited here after the conflict arrived: the notes (a field of the conflict) and the
    // village (not one).
    let (mut draft, revision) = s.person_draft(&b.chief_a, id).expect("draft");
    draft.notes = "本机后来又改的备注".into();
    draft.village = "新村".into();
    s.update_person(&b.chief_a, id, revision, &draft)
        .expect("saved");
    let view = &s.conflicts(&b.chief_a).expect("conflicts")[0];
    let notes = view
        .fields
        .iter()
        .find(|f| f.name == "notes")
        .expect("notes listed");
    assert_eq!(
        notes.hub.zh, "本机后来又改的备注",
        "the value as it stands is shown"
    );
    assert!(
        view.fields.iter().all(|f| f.name != "village"),
        "a field outside the conflict is not offered: {view:#?}"
    );
    s.resolve_conflict(
        &b.chief_a,
        &view.key,
        &beatbook::service::ConflictChoice::Kept,
    )
    .expect("decided");
    let p = held(&b);
    assert_eq!(
        p.notes, "一号终端：仍有争执，需再访",
        "the shown value replaced by decision"
    );
    assert_eq!(
        p.village, "新村",
        "the later edit outside the conflict stays"
    );
    assert_eq!(p.address, "城关镇东街 12 号");
}
