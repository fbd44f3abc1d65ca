//! Conflicts decided by a person, against a real hub: a record changed in the same field
//! on two terminals of a station while both were offline is one conflict, shown to the
//! chief on every terminal of the station (ID numbers and phones masked), both versions
//! kept whole at the hub; the chief keeps the version set aside, the hub's, or some fields
//! of each; after the next rounds every terminal holds the decided record, the conflict is
//! gone everywhere, the hub records the decision and the deciding terminal audits it. A
//! workflow clash is decided whole; officers and supervisors cannot decide.

use super::cg_person;
use crate::common::disputes::{done_form, land_draft, register};
use crate::common::hub::{station_id, Terminal, TestHub};
use crate::common::{assert_audit_ok, assert_indexes_ok, audit, date, resident_id, schedule};
use beatbook::model::{
    Dispute, Id, Kind, Person, PersonDraft, RiskLevel, Visit, VisitStatus, WatchFlag,
};
use beatbook::service::{
    ConflictChoice, ConflictView, FieldDifference, FlagForm, Forbidden, JoinAs, RescheduleForm,
    ServiceError, Session,
};
use beatbook::store::ConflictReason;
use serde_json::Value;
use std::collections::BTreeSet;

fn cg() -> JoinAs {
    JoinAs::Station("CG".into())
}

/// A fresh demo hub and two CG terminals joined to it.
fn two_terminals() -> Option<(TestHub, Terminal, Terminal)> {
    let hub = TestHub::with_demo()?;
    let a1 = hub.terminal(cg());
    let a2 = hub.terminal(cg());
    Some((hub, a1, a2))
}

/// A CG person with no watch flag and in no dispute (so that changing them, or visiting
/// them, touches no other record), the `nth` of them in id order.
fn plain_cg_person(t: &Terminal, nth: usize) -> Person {
    super::plain_cg_persons(t.service.store())
        .into_iter()
        .nth(nth)
        .expect("a plain CG person")
}

/// Terminal 1 pushes first (its version becomes the hub's), terminal 2's push meets it and
/// is kept aside, terminal 1 syncs again (and so hears of the conflict).
fn clash_rounds(a1: &Terminal, a2: &Terminal, conflicts: usize) {
    let first = a1.sync();
    assert_eq!(first.conflicts, 0, "terminal 1 pushes first: {first:?}");
    let second = a2.sync();
    assert_eq!(
        second.conflicts, conflicts,
        "terminal 2's versions are kept aside: {second:?}"
    );
    a1.sync();
}

/// The conflicts the session reads on `t`.
fn conflicts(t: &Terminal, session: &Session) -> Vec<ConflictView> {
    t.service.conflicts(session).expect("conflicts readable")
}

/// The one conflict the chief sees on `t`: about `record` of `kind`, theirs to decide.
fn the_conflict(t: &Terminal, chief: &Session, kind: Kind, record: Id) -> ConflictView {
    let all = conflicts(t, chief);
    assert_eq!(all.len(), 1, "exactly one conflict: {all:#?}");
    let c = all.into_iter().next().expect("one");
    assert_eq!((c.kind, c.record), (kind, record), "{c:#?}");
    assert_eq!(c.reason, ConflictReason::Revision);
    assert!(c.may_decide, "the chief decides: {c:#?}");
    assert!(c.kept.present && c.hub.present, "{c:#?}");
    assert_eq!(t.service.conflicts_to_decide(chief).expect("count"), 1);
    assert_eq!(t.service.sync_status().conflicts, 1);
    c
}

fn field<'a>(c: &'a ConflictView, name: &str) -> &'a FieldDifference {
    c.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} listed among {:#?}", c.fields))
}

/// `name` is listed as changed on both sides, the kept and the hub's value as shown.
fn assert_clash(c: &ConflictView, name: &str, kept: &str, hub: &str) {
    let f = field(c, name);
    assert!(f.clash, "{name} changed on both sides: {f:#?}");
    assert_eq!(
        (f.kept.en.as_str(), f.hub.en.as_str()),
        (kept, hub),
        "{name} as the chief reads it"
    );
    assert!(!f.label.zh.is_empty() && !f.label.en.is_empty(), "{f:#?}");
}

/// The same conflict on both terminals (same key, same fields), terminal 2 named as the
/// one whose version was set aside on terminal 1; returns the view on terminal 1.
fn seen_on_both(a1: &Terminal, a2: &Terminal, kind: Kind, record: Id) -> ConflictView {
    let on1 = the_conflict(a1, &a1.login("chief"), kind, record);
    let on2 = the_conflict(a2, &a2.login("chief"), kind, record);
    assert_eq!(on1.key, on2.key, "one conflict, one key");
    assert_eq!(on1.fields, on2.fields);
    assert_eq!(on2.terminal, None, "terminal 2's own version was set aside");
    assert_eq!(
        on1.terminal.as_deref(),
        Some(a2.credential.role.as_str()),
        "terminal 1 is told which terminal's version waits"
    );
    on1
}

/// One conflict row at the hub.
#[derive(Debug)]
struct HubConflict {
    mine: Option<Value>,
    head: Option<Value>,
    fields: Vec<String>,
    resolved: bool,
    resolution: Option<String>,
}

fn hub_conflicts(hub: &TestHub, record: Id) -> Vec<HubConflict> {
    hub.sql()
        .query(
            "SELECT mine, head, fields, resolved_at IS NOT NULL, resolution \
             FROM conflicts WHERE record = $1 ORDER BY id",
            &[&record.to_string()],
        )
        .expect("conflict rows")
        .into_iter()
        .map(|row| HubConflict {
            mine: row.get(0),
            head: row.get(1),
            fields: row.get(2),
            resolved: row.get(3),
            resolution: row.get(4),
        })
        .collect()
}

/// The one open conflict row about `record`, both versions whole: `mine` holds terminal
/// 2's `kept` values, `head` terminal 1's `hub` values.
fn assert_hub_keeps_both(hub: &TestHub, record: Id, name: &str, kept: &Value, theirs: &Value) {
    let rows = hub_conflicts(hub, record);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert!(!row.resolved && row.resolution.is_none(), "{row:#?}");
    assert!(row.fields.iter().any(|f| f == name), "{row:#?}");
    let (mine, head) = (
        row.mine.as_ref().expect("mine kept"),
        row.head.as_ref().expect("head kept"),
    );
    assert_eq!(&mine[name], kept, "the version set aside, whole");
    assert_eq!(&head[name], theirs, "the hub's version, whole");
}

/// The hub's current body of `record`.
fn hub_head(hub: &TestHub, record: Id) -> Value {
    hub.sql()
        .query_one(
            "SELECT body FROM records WHERE id = $1",
            &[&record.to_string()],
        )
        .expect("head")
        .get(0)
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("json")
}

/// The chief decides on terminal 1; then rounds on terminals 1, 2, 1. The conflict is gone
/// everywhere, both terminals hold the same records, the hub recorded the decision (both
/// versions still kept), terminal 1 audited it, and deciding again is refused.
fn decide_and_converge(
    hub: &TestHub,
    a1: &Terminal,
    a2: &Terminal,
    view: &ConflictView,
    choice: ConflictChoice,
    resolution: &str,
) {
    let chief = a1.login("chief");
    let audited = audit(a1.service.store()).len();
    a1.service
        .resolve_conflict(&chief, &view.key, &choice)
        .unwrap_or_else(|e| panic!("the chief decides {choice:?}: {e:?}"));
    assert!(
        conflicts(a1, &chief).is_empty(),
        "closed on the deciding terminal at once"
    );
    assert!(matches!(
        a1.service.resolve_conflict(&chief, &view.key, &choice),
        Err(ServiceError::ConflictDecided)
    ));

    // Audited on the deciding terminal: who, which record, how.
    let entries: Vec<_> = audit(a1.service.store())
        .into_iter()
        .skip(audited)
        .filter(|e| e.action == "conflict.resolve")
        .collect();
    assert!(!entries.is_empty(), "conflict.resolve audited");
    for e in &entries {
        assert_eq!(e.actor, chief.officer(), "{e:?}");
        assert!(e.detail.contains(&view.record.to_string()), "{e:?}");
        assert!(e.detail.contains(resolution), "{e:?}");
        assert_eq!(
            e.station.map(|s| s.to_string()),
            Some(station_id(a1.service.store(), "CG")),
            "{e:?}"
        );
    }

    let round = a1.sync();
    assert_eq!(round.resolved, 1, "{round:?}");
    assert_eq!(round.conflicts, 0, "{round:?}");
    a2.sync();
    a1.sync();
    let cg_id = station_id(a1.service.store(), "CG");
    for t in [a1, a2] {
        let chief = t.login("chief");
        assert!(
            conflicts(t, &chief).is_empty(),
            "{:#?}",
            conflicts(t, &chief)
        );
        assert_eq!(t.service.conflicts_to_decide(&chief).expect("count"), 0);
        let status = t.service.sync_status();
        assert_eq!((status.conflicts, status.waiting), (0, 0), "{status:?}");
        assert_indexes_ok(t.service.store());
        assert_audit_ok(t.service.store());
    }
    assert_eq!(
        a1.records(&[cg_id.as_str()]),
        a2.records(&[cg_id.as_str()]),
        "both terminals hold the same records"
    );
    let rows = hub_conflicts(hub, view.record);
    assert_eq!(
        rows.len(),
        1,
        "the decision made no new conflict: {rows:#?}"
    );
    assert!(rows[0].resolved, "{rows:#?}");
    assert_eq!(rows[0].resolution.as_deref(), Some(resolution));
    assert!(
        rows[0].mine.is_some() && rows[0].head.is_some(),
        "both versions stay on record"
    );
    // Deciding it again on the other terminal, from a stale screen.
    assert!(matches!(
        a2.service
            .resolve_conflict(&a2.login("chief"), &view.key, &ConflictChoice::Kept),
        Err(ServiceError::ConflictDecided)
    ));
}

/// The decisions audited on `t`.
fn decisions(t: &Terminal) -> usize {
    audit(t.service.store())
        .iter()
        .filter(|e| e.action == "conflict.resolve")
        .count()
}

fn person_on(t: &Terminal, id: Id) -> Person {
    t.service.store().get(id).expect("read").expect("person")
}

fn update_person(
    t: &Terminal,
    session: &Session,
    id: Id,
    edit: impl FnOnce(&mut PersonDraft),
) -> Person {
    let (mut draft, revision) = t.service.person_draft(session, id).expect("person draft");
    edit(&mut draft);
    t.service
        .update_person(session, id, revision, &draft)
        .expect("person saved")
}

#[test]
fn a_person_changed_in_the_same_fields_on_two_terminals_is_one_conflict_and_kept_wins() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let x = plain_cg_person(&a1, 0);
    let (id1, id2) = (
        resident_id(date(1981, 3, 4), 15),
        resident_id(date(1982, 5, 6), 17),
    );
    let officer = a1.login("officer");
    let one = update_person(&a1, &officer, x.meta.id, |d| {
        d.notes = "一号终端的备注".into();
        d.phone = "13900000001".into();
        d.id_number = id1.clone();
        d.birth_date = String::new();
        d.gender = String::new();
    });
    let zhao = a2.login("cg.zhaolei");
    let two = update_person(&a2, &zhao, x.meta.id, |d| {
        d.notes = "二号终端的备注".into();
        d.phone = "13900000002".into();
        d.id_number = id2.clone();
        d.birth_date = String::new();
        d.gender = String::new();
    });
    clash_rounds(&a1, &a2, 1);

    let view = seen_on_both(&a1, &a2, Kind::Person, x.meta.id);
    assert_clash(&view, "notes", "二号终端的备注", "一号终端的备注");
    assert_clash(&view, "phone", "139****0002", "139****0001");
    let masked = |id: &str| format!("{}********{}", &id[..6], &id[14..]);
    assert_clash(&view, "id_number", &masked(&id2), &masked(&id1));
    assert_eq!(view.title, x.name);
    assert!(!view.workflow);
    for f in &view.fields {
        for secret in [
            &id1,
            &id2,
            &"13900000001".to_string(),
            &"13900000002".to_string(),
        ] {
            assert!(
                ![&f.kept.zh, &f.kept.en, &f.hub.zh, &f.hub.en]
                    .iter()
                    .any(|v| v.contains(secret.as_str())),
                "{} shows a whole number: {f:#?}",
                f.name
            );
        }
    }
    assert_eq!(view.hub.changed_by, "王志强", "{view:#?}");
    assert_eq!(view.kept.changed_by, "赵磊", "{view:#?}");
    // Nothing of either version lost: the hub holds both whole, unmasked.
    let (one, two) = (json(&one), json(&two));
    for name in ["notes", "phone", "id_number", "birth_date"] {
        assert_hub_keeps_both(&hub, x.meta.id, name, &two[name], &one[name]);
    }
    for t in [&a1, &a2] {
        assert_eq!(person_on(t, x.meta.id).notes, "一号终端的备注");
    }

    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Kept, "kept");
    for t in [&a1, &a2] {
        let p = person_on(t, x.meta.id);
        assert_eq!(p.notes, "二号终端的备注");
        assert_eq!(json(&p.phone), two["phone"]);
        assert_eq!(json(&p.id_number), two["id_number"]);
        assert_eq!(json(&p.birth_date), two["birth_date"]);
        // Found by the kept number, not by the other.
        let chief = t.login("chief");
        let hits = t
            .service
            .search_persons(&chief, &id2, 10, false)
            .expect("search");
        assert!(
            hits.iter().any(|h| h.id == x.meta.id),
            "found by the kept ID"
        );
        let hits = t
            .service
            .search_persons(&chief, &id1, 10, false)
            .expect("search");
        assert!(hits.iter().all(|h| h.id != x.meta.id), "not by the other");
    }
    assert_eq!(hub_head(&hub, x.meta.id)["notes"], "二号终端的备注");
}

#[test]
fn a_person_conflict_decided_for_the_hub_keeps_the_hub_version_everywhere() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let x = cg_person(&a1, 4);
    let officer = a1.login("officer");
    update_person(&a1, &officer, x.meta.id, |d| d.notes = "甲的版本".into());
    let zhao = a2.login("cg.zhaolei");
    update_person(&a2, &zhao, x.meta.id, |d| d.notes = "乙的版本".into());
    clash_rounds(&a1, &a2, 1);
    let view = seen_on_both(&a1, &a2, Kind::Person, x.meta.id);
    assert_clash(&view, "notes", "乙的版本", "甲的版本");
    assert_hub_keeps_both(
        &hub,
        x.meta.id,
        "notes",
        &Value::from("乙的版本"),
        &Value::from("甲的版本"),
    );
    let revision = person_on(&a1, x.meta.id).meta.revision;

    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Hub, "hub");
    for t in [&a1, &a2] {
        let p = person_on(t, x.meta.id);
        assert_eq!(p.notes, "甲的版本");
        assert_eq!(
            p.meta.revision, revision,
            "the hub's version stands unchanged"
        );
    }
    assert_eq!(hub_head(&hub, x.meta.id)["notes"], "甲的版本");
}

#[test]
fn a_dispute_described_differently_on_two_terminals_is_one_conflict_and_kept_wins() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let officer = a1.login("officer");
    let (p, q) = (plain_cg_person(&a1, 1), plain_cg_person(&a1, 2));
    let d = register(&a1.service, &officer, "两户宅基地边界纠纷", &[&p, &q], &[]);
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    let edit = |t: &Terminal, s: &Session, description: &str| {
        let mut draft = land_draft("两户宅基地边界纠纷", &[&p, &q], &[]);
        draft.description = description.into();
        t.service
            .edit_dispute(s, d.meta.id, d.meta.revision, &draft)
            .expect("dispute edited")
    };
    let one = edit(&a1, &officer, "一号终端：东侧界桩被移动");
    let two = edit(&a2, &on_a2, "二号终端：西侧围墙越界");
    clash_rounds(&a1, &a2, 1);

    let view = seen_on_both(&a1, &a2, Kind::Dispute, d.meta.id);
    assert_clash(
        &view,
        "description",
        "二号终端：西侧围墙越界",
        "一号终端：东侧界桩被移动",
    );
    assert_eq!(view.title, "两户宅基地边界纠纷");
    assert!(!view.workflow);
    assert_hub_keeps_both(
        &hub,
        d.meta.id,
        "description",
        &json(&two)["description"],
        &json(&one)["description"],
    );

    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Kept, "kept");
    for t in [&a1, &a2] {
        let d: Dispute = t.service.store().get(d.meta.id).expect("read").expect("d");
        assert_eq!(d.description, "二号终端：西侧围墙越界");
        assert_eq!(d.status, one.status);
    }
}

#[test]
fn a_visit_rescheduled_differently_on_two_terminals_is_one_conflict_and_the_hub_stands() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let officer = a1.login("officer");
    let person = plain_cg_person(&a1, 3);
    let visit = schedule(&a1.service, &officer, person.meta.id, "2026-11-26", None);
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    let reschedule = |t: &Terminal, s: &Session, due: &str, reason: &str| {
        t.service
            .reschedule_visit(
                s,
                visit.meta.id,
                visit.meta.revision,
                &RescheduleForm {
                    new_due: due.into(),
                    reason: reason.into(),
                },
            )
            .expect("rescheduled")
    };
    reschedule(&a1, &officer, "2026-11-30", "当事人外出");
    reschedule(&a2, &on_a2, "2026-12-02", "当事人住院");
    clash_rounds(&a1, &a2, 1);

    let view = seen_on_both(&a1, &a2, Kind::Visit, visit.meta.id);
    assert_clash(&view, "due", "2026-12-02", "2026-11-30");
    assert_clash(&view, "status_reason", "当事人住院", "当事人外出");
    assert!(!view.workflow, "both still scheduled: {view:#?}");
    assert_hub_keeps_both(
        &hub,
        visit.meta.id,
        "due",
        &Value::from("2026-12-02"),
        &Value::from("2026-11-30"),
    );

    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Hub, "hub");
    for t in [&a1, &a2] {
        let v: Visit = t
            .service
            .store()
            .get(visit.meta.id)
            .expect("read")
            .expect("v");
        assert_eq!(v.status, VisitStatus::Scheduled);
        assert_eq!(v.due, date(2026, 11, 30));
        assert_eq!(v.status_reason, "当事人外出");
    }
}

/// A CG person flagged yellow on terminal 1 (both terminals synced), then raised to
/// orange on terminal 1 and to red on terminal 2 while both are offline; the rounds run.
fn flag_raised_both_ways(a1: &Terminal, a2: &Terminal) -> (Person, WatchFlag) {
    let officer = a1.login("officer");
    let person = plain_cg_person(a1, 4);
    let flag = a1
        .service
        .flag_person(
            &officer,
            person.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(RiskLevel::Yellow),
                basis: "多次扬言报复".into(),
                ..Default::default()
            },
        )
        .expect("flagged");
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    a1.service
        .change_flag_level(
            &officer,
            flag.meta.id,
            flag.meta.revision,
            RiskLevel::Orange,
            "近期多次上访",
        )
        .expect("raised on terminal 1");
    a2.service
        .change_flag_level(
            &on_a2,
            flag.meta.id,
            flag.meta.revision,
            RiskLevel::Red,
            "扬言过激行为",
        )
        .expect("raised on terminal 2");
    clash_rounds(a1, a2, 1);
    (person, flag)
}

fn flag_on(t: &Terminal, id: Id) -> WatchFlag {
    t.service.store().get(id).expect("read").expect("flag")
}

#[test]
fn a_watch_flag_raised_to_different_levels_is_one_conflict_decided_by_the_chief() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let (person, flag) = flag_raised_both_ways(&a1, &a2);

    let view = seen_on_both(&a1, &a2, Kind::Flag, flag.meta.id);
    let level = field(&view, "level");
    assert!(level.clash, "{level:#?}");
    assert!(
        (level.kept.en.to_lowercase().contains("red") && level.kept.zh.contains('红'))
            && (level.hub.en.to_lowercase().contains("orange") && level.hub.zh.contains('橙')),
        "both levels readable: {level:#?}"
    );
    assert!(!view.workflow);
    assert_hub_keeps_both(
        &hub,
        flag.meta.id,
        "level",
        &Value::from("red"),
        &Value::from("orange"),
    );

    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Kept, "kept");
    for t in [&a1, &a2] {
        assert_eq!(flag_on(t, flag.meta.id).level, RiskLevel::Red);
    }
    // The list names whose flag it is (a flag has no name of its own: its person's).
    assert!(
        view.title.contains(&person.name),
        "the conflict on {}'s flag is listed with the title {:?}",
        person.name,
        view.title
    );
}

#[test]
fn deciding_a_flag_conflict_whole_keeps_the_history_both_terminals_wrote() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let (_, flag) = flag_raised_both_ways(&a1, &a2);
    let view = seen_on_both(&a1, &a2, Kind::Flag, flag.meta.id);
    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Kept, "kept");
    for t in [&a1, &a2] {
        let f = flag_on(t, flag.meta.id);
        assert_eq!(f.level, RiskLevel::Red);
        let raised: Vec<_> = f.history.iter().filter_map(|h| h.to_level).collect();
        assert!(
            raised.contains(&RiskLevel::Orange) && raised.contains(&RiskLevel::Red),
            "the flag's history still tells both level changes that were made (an \
             append-only list the hub merges item by item), got {raised:?}"
        );
    }
}

#[test]
fn a_person_decided_field_by_field_takes_the_chosen_fields_from_the_kept_version() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let x = cg_person(&a1, 6);
    let officer = a1.login("officer");
    update_person(&a1, &officer, x.meta.id, |d| {
        d.notes = "一号终端的备注".into();
        d.address = "一号终端的地址1号".into();
    });
    let zhao = a2.login("cg.zhaolei");
    update_person(&a2, &zhao, x.meta.id, |d| {
        d.notes = "二号终端的备注".into();
        d.address = "二号终端的地址2号".into();
    });
    clash_rounds(&a1, &a2, 1);
    let view = seen_on_both(&a1, &a2, Kind::Person, x.meta.id);
    assert_clash(&view, "notes", "二号终端的备注", "一号终端的备注");
    assert_clash(&view, "address", "二号终端的地址2号", "一号终端的地址1号");

    let choice = ConflictChoice::Fields(BTreeSet::from(["notes".to_string()]));
    decide_and_converge(&hub, &a1, &a2, &view, choice, "fields");
    for t in [&a1, &a2] {
        let p = person_on(t, x.meta.id);
        assert_eq!(p.notes, "二号终端的备注", "notes from the kept version");
        assert_eq!(p.address, "一号终端的地址1号", "address as the hub had it");
        assert_eq!(
            (p.name.as_str(), p.village.as_str()),
            (x.name.as_str(), x.village.as_str())
        );
    }
    let head = hub_head(&hub, x.meta.id);
    assert_eq!(
        (head["notes"].as_str(), head["address"].as_str()),
        (Some("二号终端的备注"), Some("一号终端的地址1号"))
    );
}

#[test]
fn a_workflow_clash_is_decided_whole_never_mixed() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let officer = a1.login("officer");
    let kept_visit = schedule(
        &a1.service,
        &officer,
        plain_cg_person(&a1, 5).meta.id,
        "2026-11-26",
        None,
    );
    let hub_visit = schedule(
        &a1.service,
        &officer,
        plain_cg_person(&a1, 6).meta.id,
        "2026-11-26",
        None,
    );
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    for v in [&kept_visit, &hub_visit] {
        a1.service
            .record_visit_done(&officer, v.meta.id, v.meta.revision, &done_form())
            .expect("done");
        a2.service
            .reschedule_visit(
                &on_a2,
                v.meta.id,
                v.meta.revision,
                &RescheduleForm {
                    new_due: "2026-11-30".into(),
                    reason: "当事人外出".into(),
                },
            )
            .expect("rescheduled");
    }
    clash_rounds(&a1, &a2, 2);

    let cg_id = station_id(a1.service.store(), "CG");
    let chief = a1.login("chief");
    let views = conflicts(&a1, &chief);
    assert_eq!(views.len(), 2, "{views:#?}");
    assert_eq!(conflicts(&a2, &a2.login("chief")).len(), 2);
    let view_of = |id: Id| {
        views
            .iter()
            .find(|c| c.record == id)
            .cloned()
            .unwrap_or_else(|| panic!("a conflict on {id}: {views:#?}"))
    };
    let (keep, stand) = (view_of(kept_visit.meta.id), view_of(hub_visit.meta.id));
    for view in [&keep, &stand] {
        assert!(view.workflow, "{view:#?}");
        assert!(view.may_decide);
        let status = field(view, "status");
        // The statuses in words, in both languages.
        let words = |s: beatbook::model::VisitStatus| beatbook::i18n::Bi::of(&s);
        assert_eq!(
            (&status.kept, &status.hub),
            (
                &words(beatbook::model::VisitStatus::Scheduled),
                &words(beatbook::model::VisitStatus::Done)
            ),
            "{status:#?}"
        );
        assert_eq!(field(view, "due").kept.en, "2026-11-30");
        // Mixed field by field: refused, nothing written.
        let before = (a1.records(&[cg_id.as_str()]), decisions(&a1));
        let mixes: [&[&str]; 3] = [&["due"], &["due", "status_reason"], &["status"]];
        for fields in mixes {
            let choice = ConflictChoice::Fields(fields.iter().map(|f| f.to_string()).collect());
            assert!(
                matches!(
                    a1.service.resolve_conflict(&chief, &view.key, &choice),
                    Err(ServiceError::ConflictWholeOnly)
                ),
                "{fields:?} refused"
            );
        }
        assert_eq!(
            (a1.records(&[cg_id.as_str()]), decisions(&a1)),
            before,
            "a refused decision writes nothing"
        );
        assert_eq!(conflicts(&a1, &chief).len(), 2, "still waiting");
    }

    a1.service
        .resolve_conflict(&chief, &keep.key, &ConflictChoice::Kept)
        .expect("kept");
    a1.service
        .resolve_conflict(&chief, &stand.key, &ConflictChoice::Hub)
        .expect("hub");
    let round = a1.sync();
    assert_eq!((round.resolved, round.conflicts), (2, 0), "{round:?}");
    a2.sync();
    a1.sync();
    for t in [&a1, &a2] {
        let v: Visit = t
            .service
            .store()
            .get(kept_visit.meta.id)
            .expect("read")
            .expect("v");
        assert_eq!(
            (v.status, v.due, v.outcome, v.completed_at),
            (VisitStatus::Scheduled, date(2026, 11, 30), None, None),
            "the rescheduled version, whole"
        );
        let v: Visit = t
            .service
            .store()
            .get(hub_visit.meta.id)
            .expect("read")
            .expect("v");
        assert_eq!(v.status, VisitStatus::Done, "the done version, whole");
        assert_eq!(v.due, date(2026, 11, 26));
        assert!(v.completed_at.is_some());
        assert!(conflicts(t, &t.login("chief")).is_empty());
        assert_eq!(t.service.sync_status().conflicts, 0);
        assert_indexes_ok(t.service.store());
    }
    assert_eq!(a1.records(&[cg_id.as_str()]), a2.records(&[cg_id.as_str()]));
    for (id, resolution) in [(kept_visit.meta.id, "kept"), (hub_visit.meta.id, "hub")] {
        let rows = hub_conflicts(&hub, id);
        assert_eq!(rows.len(), 1, "{rows:#?}");
        assert_eq!(
            (rows[0].resolved, rows[0].resolution.as_deref()),
            (true, Some(resolution))
        );
    }
}

#[test]
fn only_the_chief_decides_officers_and_the_supervisor_are_refused() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let bureau = hub.terminal(JoinAs::Bureau);
    let x = cg_person(&a1, 5);
    let officer = a1.login("officer");
    update_person(&a1, &officer, x.meta.id, |d| d.notes = "甲的版本".into());
    let zhao = a2.login("cg.zhaolei");
    update_person(&a2, &zhao, x.meta.id, |d| d.notes = "乙的版本".into());
    clash_rounds(&a1, &a2, 1);
    bureau.sync();
    let key = seen_on_both(&a1, &a2, Kind::Person, x.meta.id).key;
    let cg_id = station_id(a1.service.store(), "CG");
    let before = (
        a1.records(&[cg_id.as_str()]),
        a2.records(&[cg_id.as_str()]),
        decisions(&a1),
        decisions(&a2),
    );

    // Officers read the conflict but may not decide it, on either terminal.
    for (t, session) in [(&a1, &officer), (&a2, &zhao)] {
        let seen = conflicts(t, session);
        assert_eq!(seen.len(), 1, "{seen:#?}");
        assert!(!seen[0].may_decide);
        assert_eq!(t.service.conflicts_to_decide(session).expect("count"), 0);
        for choice in [
            ConflictChoice::Kept,
            ConflictChoice::Hub,
            ConflictChoice::Fields(BTreeSet::from(["notes".to_string()])),
        ] {
            let refused = t.service.resolve_conflict(session, &key, &choice);
            assert!(
                matches!(refused, Err(ServiceError::Forbidden(_))),
                "an officer deciding {choice:?}: {refused:?}"
            );
        }
    }

    // The supervisor, on a bureau terminal, reads it and may not decide.
    let supervisor = bureau.login("supervisor");
    let seen = conflicts(&bureau, &supervisor);
    assert_eq!(seen.len(), 1, "the bureau lists CG's conflict: {seen:#?}");
    assert_eq!((seen[0].record, &seen[0].key), (x.meta.id, &key));
    assert!(!seen[0].may_decide);
    assert_eq!(field(&seen[0], "notes").kept.zh, "乙的版本");
    assert_eq!(
        bureau
            .service
            .conflicts_to_decide(&supervisor)
            .expect("count"),
        0
    );
    let refused = bureau
        .service
        .resolve_conflict(&supervisor, &key, &ConflictChoice::Kept);
    assert!(
        matches!(
            refused,
            Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(_)))
        ),
        "{refused:?}"
    );

    // The administrator does not see case conflicts at all.
    let admin = a1.login("admin");
    assert!(conflicts(&a1, &admin).is_empty());
    assert!(matches!(
        a1.service
            .resolve_conflict(&admin, &key, &ConflictChoice::Kept),
        Err(ServiceError::Forbidden(_))
    ));

    // Nothing changed anywhere, and rounds change nothing either.
    for t in [&a1, &a2, &bureau] {
        let round = t.sync();
        assert_eq!((round.pushed, round.resolved), (0, 0), "{round:?}");
    }
    assert_eq!(
        (
            a1.records(&[cg_id.as_str()]),
            a2.records(&[cg_id.as_str()]),
            decisions(&a1),
            decisions(&a2),
        ),
        before
    );
    for t in [&a1, &a2] {
        assert_eq!(conflicts(t, &t.login("chief")).len(), 1, "still waiting");
        assert_eq!(person_on(t, x.meta.id).notes, "甲的版本");
    }
    assert_eq!(conflicts(&bureau, &supervisor).len(), 1);
    let rows = hub_conflicts(&hub, x.meta.id);
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].resolved && rows[0].resolution.is_none());
}

#[test]
fn two_chiefs_deciding_differently_before_syncing_end_in_one_recorded_decision() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let x = cg_person(&a1, 3);
    let officer = a1.login("officer");
    update_person(&a1, &officer, x.meta.id, |d| d.notes = "甲的版本".into());
    let zhao = a2.login("cg.zhaolei");
    update_person(&a2, &zhao, x.meta.id, |d| d.notes = "乙的版本".into());
    clash_rounds(&a1, &a2, 1);
    let key = seen_on_both(&a1, &a2, Kind::Person, x.meta.id).key;

    // Both terminals offline again: the chief keeps the hub's version on one, the version
    // set aside on the other; neither can know of the other decision yet.
    a1.service
        .resolve_conflict(&a1.login("chief"), &key, &ConflictChoice::Hub)
        .expect("decided on terminal 1");
    a2.service
        .resolve_conflict(&a2.login("chief"), &key, &ConflictChoice::Kept)
        .expect("decided on terminal 2");
    a1.sync();
    a2.sync();
    a1.sync();
    a2.sync();

    let cg_id = station_id(a1.service.store(), "CG");
    assert_eq!(a1.records(&[cg_id.as_str()]), a2.records(&[cg_id.as_str()]));
    let notes = person_on(&a1, x.meta.id).notes;
    assert_eq!(hub_head(&hub, x.meta.id)["notes"], notes.as_str());
    // Whatever stands, nothing waits unseen and the hub's record of the decision says
    // what the record holds: either the second decision waits for a person as a new
    // conflict, or the hub's recorded resolution matches the version that stands.
    let rows = hub_conflicts(&hub, x.meta.id);
    let open: Vec<_> = rows.iter().filter(|r| !r.resolved).collect();
    for t in [&a1, &a2] {
        assert_eq!(
            conflicts(t, &t.login("chief")).len(),
            open.len(),
            "each terminal shows the hub's open conflicts"
        );
        assert_indexes_ok(t.service.store());
    }
    if open.is_empty() {
        let decided = &rows[0];
        let expected = if notes == "乙的版本" {
            "kept"
        } else {
            "hub"
        };
        assert_eq!(
            decided.resolution.as_deref(),
            Some(expected),
            "the hub records the conflict as decided '{:?}' but the record holds {notes:?}; \
             the other decision was applied silently: {rows:#?}",
            decided.resolution
        );
    }
}

/// A supervision finding answered differently on two terminals of the station (the
/// supervisor's terminal made it): one conflict on both, naming the answer; the hub's
/// answer stands after the decision and both terminals agree.
#[test]
fn a_finding_answered_differently_on_two_terminals_is_one_conflict_and_the_hub_stands() {
    let Some((hub, a1, a2)) = two_terminals() else {
        return;
    };
    let officer = a1.login("officer");
    let (p, q) = (plain_cg_person(&a1, 1), plain_cg_person(&a1, 2));
    let d = register(&a1.service, &officer, "鱼塘承包纠纷", &[&p, &q], &[]);
    a1.sync();
    let bureau = hub.terminal(JoinAs::Bureau);
    let supervisor = bureau.login("supervisor");
    let finding = bureau
        .service
        .create_finding(
            &supervisor,
            &beatbook::service::NewFinding {
                target: beatbook::model::TargetKind::Dispute,
                target_id: d.meta.id,
                problem: Some("record_incomplete".into()),
                description: "调解笔录缺少签名".into(),
                deadline: "+10".into(),
            },
        )
        .expect("finding");
    bureau.sync();
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    a1.service
        .rectify_finding(
            &officer,
            finding.meta.id,
            finding.meta.revision,
            "一号终端：已补签名",
        )
        .expect("answered on 1");
    a2.service
        .rectify_finding(
            &on_a2,
            finding.meta.id,
            finding.meta.revision,
            "二号终端：已重新调解",
        )
        .expect("answered on 2");
    clash_rounds(&a1, &a2, 1);

    let view = seen_on_both(&a1, &a2, Kind::Finding, finding.meta.id);
    let answer = field(&view, "rectification");
    assert_eq!(
        (answer.kept.zh.as_str(), answer.hub.zh.as_str()),
        ("二号终端：已重新调解", "一号终端：已补签名"),
        "{view:#?}"
    );
    decide_and_converge(&hub, &a1, &a2, &view, ConflictChoice::Hub, "hub");
    bureau.sync();
    for t in [&a1, &a2, &bureau] {
        let f: beatbook::model::Finding = t
            .service
            .store()
            .get(finding.meta.id)
            .expect("read")
            .expect("finding");
        assert_eq!(f.rectification.as_deref(), Some("一号终端：已补签名"));
    }
}
