//! The watch list at the service level, on a real store (GLOSSARY.md, Watch list, Visits;
//! issue 4): approvals of red removals and lowerings, history and audit, rolling
//! visits by level, missed-visit and review alerts, alerts from disputes, roles, and
//! masked personal data with audited reveals.

use crate::common;

use beatbook::model::{
    AlertReason, DisputeDraft, DisputeScale, DisputeSource, Field, FlagChangeKind, FlagStatus, Id,
    Party, PartyRole, Person, RiskLevel, Role, ValidationError, Visit, VisitOutcome, VisitStatus,
};
use beatbook::rules::watch::{FlagAction, WatchRefusal};
use beatbook::service::{
    DoneForm, FlagForm, Forbidden, MissedForm, NewVisitForm, ServiceError, Session, VisitSaved,
    WatchFilter,
};
use beatbook::store::{AuditEntry, Kind};
use chrono::{Duration, NaiveDate};
use common::watch::{flag, stored_flag};
use common::*;
use RiskLevel::{Blue, Orange, Red, Yellow};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn form(level: RiskLevel, categories: &[&str], basis: &str) -> FlagForm {
    FlagForm {
        categories: categories.iter().map(|c| c.to_string()).collect(),
        level: Some(level),
        basis: basis.into(),
        ..Default::default()
    }
}

/// Every visit about a person, oldest due first.
fn visits_of(b: &Bureau, person: Id) -> Vec<Visit> {
    let mut out: Vec<Visit> = b
        .store()
        .person_visit_summaries(person)
        .expect("summaries")
        .into_iter()
        .map(|s| b.store().get::<Visit>(s.id).expect("read").expect("visit"))
        .collect();
    out.sort_by_key(|v| (v.due, v.meta.id));
    out
}

/// The person's owed visits.
fn owed(b: &Bureau, person: Id) -> Vec<Visit> {
    visits_of(b, person)
        .into_iter()
        .filter(|v| v.status == VisitStatus::Scheduled)
        .collect()
}

/// The single owed visit of a person (fails when there is none or several).
fn the_owed(b: &Bureau, person: Id) -> Visit {
    let owed = owed(b, person);
    assert_eq!(owed.len(), 1, "exactly one owed visit: {owed:#?}");
    owed.into_iter().next().expect("one")
}

fn done_form(next_due: &str) -> DoneForm {
    DoneForm {
        outcome: Some(VisitOutcome::Stable),
        notes: "情绪稳定".into(),
        next_due: next_due.into(),
        ..Default::default()
    }
}

/// Records the person's single owed visit done (no next date) and returns the save.
fn visit_done(b: &Bureau, s: &Session, person: Id) -> VisitSaved {
    let v = the_owed(b, person);
    b.service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form(""))
        .expect("visit done")
}

/// Records the person's single owed visit missed (no next date).
fn visit_missed(b: &Bureau, s: &Session, person: Id) -> VisitSaved {
    let v = the_owed(b, person);
    b.service
        .record_visit_missed(
            s,
            v.meta.id,
            v.meta.revision,
            &MissedForm {
                reason: "家中无人".into(),
                next_due: String::new(),
            },
        )
        .expect("visit missed")
}

/// Moves the test clock to 09:00 of `day`.
fn set_day(b: &Bureau, day: NaiveDate) {
    use chrono::Datelike;
    b.clock.set(at(day.year(), day.month(), day.day(), 9, 0));
}

fn audit_of(b: &Bureau, action: &str) -> Vec<AuditEntry> {
    audit(b.store())
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// Asserts the audit chain verifies and the indexes match the records.
fn assert_store_ok(b: &Bureau) {
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

fn is_pending_exists(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Watch(WatchRefusal::PendingExists))
}

fn is_reason_required(e: &ServiceError) -> bool {
    matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::Reason))
    )
}

fn dispute_draft(title: &str, parties: &[Id]) -> DisputeDraft {
    DisputeDraft {
        title: title.into(),
        category: "02".into(),
        village: "东关村".into(),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        description: "因排水沟发生争执".into(),
        parties: parties
            .iter()
            .enumerate()
            .map(|(i, p)| Party {
                person: *p,
                role: if i == 0 {
                    PartyRole::Applicant
                } else {
                    PartyRole::Respondent
                },
            })
            .collect(),
        ..Default::default()
    }
}

/// Open alerts for `s` of one person.
fn alerts_for(b: &Bureau, s: &Session, person: Id) -> Vec<AlertReason> {
    b.service
        .watch_alerts(s)
        .expect("alerts")
        .into_iter()
        .filter(|r| r.alert.person == person)
        .map(|r| r.alert.reason)
        .collect()
}

fn in_dispute(reasons: &[AlertReason], dispute: Id) -> usize {
    reasons
        .iter()
        .filter(
            |r| matches!(r, AlertReason::WatchedPartyInDispute { dispute: d, .. } if *d == dispute),
        )
        .count()
}

fn repeats(reasons: &[AlertReason]) -> usize {
    reasons
        .iter()
        .filter(|r| matches!(r, AlertReason::RepeatDisputes { .. }))
        .count()
}

// ---------------------------------------------------------------------------------------
// Approvals: removing or lowering a red flag
// ---------------------------------------------------------------------------------------

#[test]
fn red_removal_by_an_officer_waits_for_the_chief_who_approves_or_rejects() {
    let b = Bureau::new();
    let officer = &b.officer_a;
    let chief = &b.chief_a;
    let p = &b.person_a;
    let f = flag(&b, officer, p, Red);
    let first = the_owed(&b, p.meta.id);
    assert_eq!(first.due, date(2026, 12, 2), "red: first visit a week on");

    // No reason: refused, nothing written.
    let before = b.snapshot();
    for reason in ["", "  \t "] {
        let e = b
            .service
            .remove_flag(officer, f.meta.id, f.meta.revision, reason)
            .expect_err("no reason");
        assert!(is_reason_required(&e), "{e:?}");
        let e = b
            .service
            .change_flag_level(officer, f.meta.id, f.meta.revision, Blue, reason)
            .expect_err("no reason");
        assert!(is_reason_required(&e), "{e:?}");
    }
    assert_eq!(b.snapshot(), before, "refusals write nothing");

    // The officer asks: pending, still red, still active, the visit still owed.
    b.clock.advance(Duration::hours(1));
    let f = b
        .service
        .remove_flag(officer, f.meta.id, f.meta.revision, "已迁出本辖区")
        .expect("removal requested");
    assert!(f.is_active());
    assert_eq!(f.level, Red);
    let pending = f.pending.clone().expect("pending");
    assert_eq!(pending.to_level, None);
    assert_eq!(pending.reason, "已迁出本辖区");
    assert_eq!(pending.requested_by, officer.officer());
    assert_eq!(owed(&b, p.meta.id), vec![first.clone()], "visits untouched");

    // A second request while one waits: refused, both kinds.
    let e = b
        .service
        .remove_flag(officer, f.meta.id, f.meta.revision, "再次申请")
        .expect_err("pending");
    assert!(is_pending_exists(&e), "{e:?}");
    let e = b
        .service
        .change_flag_level(officer, f.meta.id, f.meta.revision, Yellow, "降级")
        .expect_err("pending");
    assert!(is_pending_exists(&e), "{e:?}");
    // Even the chief decides the request first instead of acting beside it.
    let e = b
        .service
        .remove_flag(chief, f.meta.id, f.meta.revision, "直接撤销")
        .expect_err("pending");
    assert!(is_pending_exists(&e), "{e:?}");

    // Officers cannot decide, their own request or anyone's.
    for s in [officer, &b.officer_a2] {
        let e = b
            .service
            .decide_flag(s, f.meta.id, f.meta.revision, true, "同意")
            .expect_err("officer decides");
        assert!(
            matches!(
                e,
                ServiceError::Watch(WatchRefusal::RoleMayNot {
                    action: FlagAction::Decide,
                    role: Role::Officer
                })
            ),
            "{e:?}"
        );
    }
    // Another station's chief cannot either.
    let e = b
        .service
        .decide_flag(&b.chief_b, f.meta.id, f.meta.revision, true, "同意")
        .expect_err("other station");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    // A rejection must say why.
    let e = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, false, " ")
        .expect_err("rejection without remarks");
    assert!(
        matches!(
            e,
            ServiceError::Invalid(ValidationError::Required(Field::Remarks))
        ),
        "{e:?}"
    );

    // The chief rejects: unchanged, the request gone.
    b.clock.advance(Duration::hours(1));
    let f = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, false, "仍有现实危险")
        .expect("rejected");
    assert!(f.is_active());
    assert_eq!(f.level, Red);
    assert!(f.pending.is_none());
    assert_eq!(owed(&b, p.meta.id), vec![first.clone()], "visits untouched");
    // Deciding again: nothing waits.
    let e = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, true, "")
        .expect_err("nothing pending");
    assert!(
        matches!(e, ServiceError::Watch(WatchRefusal::NothingPending)),
        "{e:?}"
    );

    // Ask again; the chief approves: removed, the rolling visit cancelled with the reason.
    b.clock.advance(Duration::hours(1));
    let f = b
        .service
        .remove_flag(
            officer,
            f.meta.id,
            f.meta.revision,
            "已迁出本辖区，户籍转出",
        )
        .expect("asked again");
    assert!(f.pending.is_some());
    b.clock.advance(Duration::hours(1));
    let f = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, true, "")
        .expect("approved");
    assert_eq!(f.status, FlagStatus::Removed);
    assert!(!f.is_active());
    assert!(f.pending.is_none());
    assert!(owed(&b, p.meta.id).is_empty(), "no visit owed any more");
    let cancelled = b
        .store()
        .get::<Visit>(first.meta.id)
        .expect("read")
        .expect("visit");
    assert_eq!(cancelled.status, VisitStatus::Cancelled);
    assert!(
        cancelled.status_reason.contains("已迁出本辖区，户籍转出"),
        "{}",
        cancelled.status_reason
    );
    // Removed: off the list, and no more changes.
    let list = b
        .service
        .watch_list(officer, &WatchFilter::default())
        .expect("list");
    assert!(list.iter().all(|r| r.flag.person != p.meta.id));
    let e = b
        .service
        .change_flag_level(officer, f.meta.id, f.meta.revision, Orange, "再列")
        .expect_err("removed");
    assert!(
        matches!(e, ServiceError::Watch(WatchRefusal::NotActive)),
        "{e:?}"
    );

    // History: every step, who, when, kind, levels, reason, in order.
    let kinds: Vec<_> = f
        .history
        .iter()
        .map(|h| (h.kind, h.by, h.from_level, h.to_level))
        .collect();
    let (o, c) = (officer.officer(), chief.officer());
    assert_eq!(
        kinds,
        vec![
            (FlagChangeKind::Added, o, None, Some(Red)),
            (FlagChangeKind::RemovalRequested, o, Some(Red), None),
            (FlagChangeKind::Rejected, c, Some(Red), None),
            (FlagChangeKind::RemovalRequested, o, Some(Red), None),
            (FlagChangeKind::Approved, c, Some(Red), None),
            (FlagChangeKind::Removed, c, Some(Red), None),
        ]
    );
    let reasons: Vec<&str> = f.history.iter().map(|h| h.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "多次扬言报复",
            "已迁出本辖区",
            "仍有现实危险",
            "已迁出本辖区，户籍转出",
            "",
            "已迁出本辖区，户籍转出"
        ]
    );
    let start = start_time().with_timezone(&chrono::Utc);
    let times: Vec<_> = f.history.iter().map(|h| h.at).collect();
    assert_eq!(
        times,
        [0, 1, 2, 3, 4, 4].map(|h| start + Duration::hours(h)),
        "each change is stamped with its time"
    );

    // Audited: each step by its actor on the flag record.
    let flag_entries: Vec<(String, Id)> = audit(b.store())
        .into_iter()
        .filter(|e| e.kind == Some(Kind::Flag) && e.record == Some(f.meta.id))
        .map(|e| (e.action, e.actor))
        .collect();
    assert_eq!(
        flag_entries,
        vec![
            ("watch.flag".to_string(), o),
            ("watch.remove".to_string(), o),
            ("watch.decide".to_string(), c),
            ("watch.remove".to_string(), o),
            ("watch.decide".to_string(), c),
        ]
    );
    let visit_cancel = audit(b.store())
        .into_iter()
        .filter(|e| e.record == Some(first.meta.id) && e.action == "watch.decide")
        .count();
    assert_eq!(
        visit_cancel, 1,
        "the cancelled visit is in the same audited change"
    );
    assert_store_ok(&b);
}

#[test]
fn red_lowering_by_an_officer_waits_then_re_plans_on_approval() {
    let b = Bureau::new();
    let officer = &b.officer_a;
    let chief = &b.chief_a;
    let p = &b.person_a;
    let f = flag(&b, officer, p, Red);
    // A visit made on 11-27: the next is owed on 12-04.
    set_day(&b, date(2026, 11, 27));
    let saved = visit_done(&b, officer, p.meta.id);
    assert_eq!(saved.next.as_ref().map(|v| v.due), Some(date(2026, 12, 4)));
    let owed_red = the_owed(&b, p.meta.id);
    assert_eq!(owed_red.due, date(2026, 12, 4));
    let f = stored_flag(&b, f.meta.id);

    // Lowering red to yellow: pending, red rhythm kept.
    let f = b
        .service
        .change_flag_level(
            officer,
            f.meta.id,
            f.meta.revision,
            Yellow,
            "情绪稳定三个月",
        )
        .expect("asked");
    assert_eq!(f.level, Red);
    assert_eq!(
        f.pending.as_ref().map(|p| (p.to_level, p.reason.as_str())),
        Some((Some(Yellow), "情绪稳定三个月"))
    );
    assert_eq!(owed(&b, p.meta.id), vec![owed_red.clone()]);
    let last = f.history.last().expect("history");
    assert_eq!(
        (last.kind, last.from_level, last.to_level),
        (FlagChangeKind::LoweringRequested, Some(Red), Some(Yellow))
    );

    // The chief rejects: still red, same visit.
    let f = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, false, "再观察一个月")
        .expect("rejected");
    assert_eq!((f.level, f.pending.is_none()), (Red, true));
    assert_eq!(owed(&b, p.meta.id), vec![owed_red.clone()]);

    // Ask again, approved on 11-28: yellow, the red visit cancelled, the next one 30 days
    // from the last contact (11-27).
    set_day(&b, date(2026, 11, 28));
    let f = b
        .service
        .change_flag_level(
            officer,
            f.meta.id,
            f.meta.revision,
            Yellow,
            "情绪稳定，已就业",
        )
        .expect("asked again");
    let f = b
        .service
        .decide_flag(chief, f.meta.id, f.meta.revision, true, "同意降为黄色")
        .expect("approved");
    assert_eq!(f.level, Yellow);
    assert!(f.pending.is_none() && f.is_active());
    let cancelled = b
        .store()
        .get::<Visit>(owed_red.meta.id)
        .expect("read")
        .expect("visit");
    assert_eq!(cancelled.status, VisitStatus::Cancelled);
    assert!(!cancelled.status_reason.is_empty());
    let new = the_owed(&b, p.meta.id);
    assert_eq!(new.due, date(2026, 12, 27), "yellow: 30 days after 11-27");
    assert_eq!(new.assigned_to, officer.officer());
    assert!(new.purpose.contains('黄'), "{}", new.purpose);
    let tail: Vec<_> = f
        .history
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|h| (h.kind, h.by, h.from_level, h.to_level, h.reason.clone()))
        .collect();
    let (o, c) = (officer.officer(), chief.officer());
    assert_eq!(
        tail,
        vec![
            (
                FlagChangeKind::LoweringRequested,
                o,
                Some(Red),
                Some(Yellow),
                "情绪稳定，已就业".to_string()
            ),
            (
                FlagChangeKind::Approved,
                c,
                Some(Red),
                Some(Yellow),
                "同意降为黄色".to_string()
            ),
            (
                FlagChangeKind::LevelChanged,
                c,
                Some(Red),
                Some(Yellow),
                "情绪稳定，已就业".to_string()
            ),
        ]
    );
    // Below red an officer changes the level at once.
    let f = b
        .service
        .change_flag_level(officer, f.meta.id, f.meta.revision, Blue, "长期稳定")
        .expect("yellow to blue");
    assert_eq!((f.level, f.pending.is_none()), (Blue, true));
    assert_eq!(
        the_owed(&b, p.meta.id).due,
        date(2027, 2, 25),
        "blue: 90 days after 11-27"
    );
    // The same level again: refused.
    let e = b
        .service
        .change_flag_level(officer, f.meta.id, f.meta.revision, Blue, "不变")
        .expect_err("same");
    assert!(
        matches!(e, ServiceError::Watch(WatchRefusal::SameLevel)),
        "{e:?}"
    );
    // A stale revision: refused as a conflict.
    let e = b
        .service
        .change_flag_level(officer, f.meta.id, f.meta.revision - 1, Red, "扬言报复")
        .expect_err("stale");
    assert!(matches!(e, ServiceError::Store(_)), "{e:?}");
    assert_store_ok(&b);
}

#[test]
fn the_chief_lowers_and_removes_red_directly() {
    let b = Bureau::new();
    let chief = &b.chief_a;
    let p = &b.person_a;
    let q = create_person(&b.service, &b.officer_a, "王红梅", "东关村");
    // Flagged by the chief for the officer: the officer is responsible and visits.
    let f = b
        .service
        .flag_person(
            chief,
            p.meta.id,
            &FlagForm {
                responsible: Some(b.officer_a.officer()),
                ..form(Red, &["mental", "six_loss"], "易肇事肇祸")
            },
        )
        .expect("flag");
    assert_eq!(f.responsible, b.officer_a.officer());
    assert_eq!(f.categories, ["mental", "six_loss"]);
    assert_eq!(the_owed(&b, p.meta.id).assigned_to, b.officer_a.officer());

    let f = b
        .service
        .change_flag_level(chief, f.meta.id, f.meta.revision, Orange, "病情稳定")
        .expect("chief lowers");
    assert_eq!((f.level, f.pending.is_none()), (Orange, true));
    assert_eq!(
        the_owed(&b, p.meta.id).due,
        date(2026, 12, 9),
        "orange: 14 days"
    );
    let last = f.history.last().expect("history");
    assert_eq!(
        (last.kind, last.by, last.from_level, last.to_level),
        (
            FlagChangeKind::LevelChanged,
            chief.officer(),
            Some(Red),
            Some(Orange)
        )
    );

    let g = flag(&b, chief, &q, Red);
    let g = b
        .service
        .remove_flag(chief, g.meta.id, g.meta.revision, "已死亡")
        .expect("chief removes");
    assert_eq!(g.status, FlagStatus::Removed);
    assert!(owed(&b, q.meta.id).is_empty());
    let cancelled: Vec<_> = visits_of(&b, q.meta.id)
        .into_iter()
        .filter(|v| v.status == VisitStatus::Cancelled)
        .collect();
    assert_eq!(cancelled.len(), 1);
    assert!(cancelled[0].status_reason.contains("已死亡"));
    let last = g.history.last().expect("history");
    assert_eq!(
        (last.kind, last.by, last.reason.as_str()),
        (FlagChangeKind::Removed, chief.officer(), "已死亡")
    );
    // Raising by an officer needs nobody.
    let f = b
        .service
        .change_flag_level(&b.officer_a, f.meta.id, f.meta.revision, Red, "病情反复")
        .expect("raise");
    assert_eq!((f.level, f.pending.is_none()), (Red, true));
    // Listed again after a removal: the history continues on the same flag.
    let g2 = flag(&b, &b.officer_a, &q, Yellow);
    assert_eq!(g2.meta.id, g.meta.id);
    assert!(g2.is_active());
    assert_eq!(
        g2.history.iter().map(|h| h.kind).collect::<Vec<_>>(),
        [
            FlagChangeKind::Added,
            FlagChangeKind::Removed,
            FlagChangeKind::Added
        ]
    );
    assert_eq!(
        the_owed(&b, q.meta.id).due,
        date(2026, 12, 25),
        "yellow: 30 days"
    );
    // Flagging someone already listed: refused.
    let e = b
        .service
        .flag_person(&b.officer_a, q.meta.id, &form(Red, &["other"], "x"))
        .expect_err("twice");
    assert!(matches!(e, ServiceError::AlreadyFlagged), "{e:?}");
    assert_store_ok(&b);
}

#[test]
fn flag_form_is_checked() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = b.person_a.meta.id;
    let before = b.snapshot();
    let flags_before = b.store().count(Kind::Flag);
    let cases: Vec<(FlagForm, &str)> = vec![
        (form(Red, &[], "x"), "no category"),
        (form(Red, &["nonsense"], "x"), "unknown category"),
        (
            FlagForm {
                level: None,
                ..form(Red, &["drugs"], "x")
            },
            "no level",
        ),
        (form(Red, &["drugs"], "  "), "no basis"),
        (
            FlagForm {
                next_review: "2026-11-24".into(),
                ..form(Red, &["drugs"], "x")
            },
            "review in the past",
        ),
        (
            FlagForm {
                responsible: Some(b.officer_a2.officer()),
                ..form(Red, &["drugs"], "x")
            },
            "an officer assigns someone else",
        ),
    ];
    for (f, why) in cases {
        assert!(b.service.flag_person(s, p, &f).is_err(), "{why}");
    }
    assert_eq!(b.snapshot(), before);
    assert_eq!(b.store().count(Kind::Flag), flags_before);
    // A typed review date wins over the level's interval; none: red 30 days.
    let f = b
        .service
        .flag_person(
            s,
            p,
            &FlagForm {
                next_review: "2026-12-10".into(),
                source: "社区网格员上报".into(),
                ..form(Red, &["drugs"], "复吸嫌疑")
            },
        )
        .expect("flag");
    assert_eq!(f.next_review, date(2026, 12, 10));
    assert_eq!(f.source, "社区网格员上报");
    assert_eq!(f.added_on, date(2026, 11, 25));
    let q = create_person(&b.service, s, "周小燕", "东关村");
    let g = flag(&b, s, &q, Red);
    assert_eq!(g.next_review, date(2026, 12, 25));
}

// ---------------------------------------------------------------------------------------
// Rolling visits
// ---------------------------------------------------------------------------------------

#[test]
fn rhythm_per_level_across_month_ends_and_a_leap_day() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let people: Vec<Person> = ["红一", "橙二", "黄三", "蓝四"]
        .iter()
        .map(|n| create_person(&b.service, s, n, "南街"))
        .collect();
    let levels = [Red, Orange, Yellow, Blue];
    // The first visit after flagging on 2026-11-25.
    let first = [
        date(2026, 12, 2),
        date(2026, 12, 9),
        date(2026, 12, 25),
        date(2027, 2, 23),
    ];
    for ((p, level), due) in people.iter().zip(levels).zip(first) {
        flag(&b, s, p, level);
        assert_eq!(the_owed(&b, p.meta.id).due, due, "{level:?}");
    }
    // (person index, day done, next due), in time order.
    let steps = [
        (0, date(2026, 11, 28), date(2026, 12, 5)), // red across November's end
        (3, date(2027, 12, 1), date(2028, 2, 29)),  // blue: 90 days onto the leap day
        (2, date(2028, 1, 30), date(2028, 2, 29)),  // yellow: 30 days onto the leap day
        (1, date(2028, 2, 20), date(2028, 3, 5)),   // orange across the leap day
        (0, date(2028, 2, 22), date(2028, 2, 29)),  // red onto the leap day
        (0, date(2028, 2, 29), date(2028, 3, 7)),   // red from the leap day
        (2, date(2028, 2, 29), date(2028, 3, 30)),  // yellow from the leap day
        (1, date(2028, 3, 5), date(2028, 3, 19)),   // orange
        (3, date(2028, 2, 29), date(2028, 5, 29)),  // blue from the leap day
        (2, date(2028, 12, 31), date(2029, 1, 30)), // yellow across the year's end
    ];
    let mut by_time = steps.to_vec();
    by_time.sort_by_key(|s| s.1);
    for (i, day, want) in by_time {
        set_day(&b, day);
        let p = &people[i];
        let saved = visit_done(&b, s, p.meta.id);
        let next = saved.next.expect("the next visit is scheduled by the save");
        assert_eq!(next.due, want, "{:?} done {day}", levels[i]);
        assert_eq!(next.subject.person, Some(p.meta.id));
        assert_eq!(next.subject.dispute, None);
        assert_eq!(next.status, VisitStatus::Scheduled);
        assert_eq!(next.assigned_to, s.officer());
        assert_eq!(
            the_owed(&b, p.meta.id).meta.id,
            next.meta.id,
            "exactly one owed"
        );
        let f = b.store().flag_of(p.meta.id).expect("read").expect("flag");
        assert_eq!(f.last_contact, Some(day));
        assert_eq!(f.missed_in_a_row, 0);
    }
    // The watch list: days since contact and the next visit.
    set_day(&b, date(2029, 1, 1));
    let rows = b
        .service
        .watch_list(s, &WatchFilter::default())
        .expect("list");
    let row = rows
        .iter()
        .find(|r| r.flag.person == people[2].meta.id)
        .expect("yellow row");
    assert_eq!(row.days_since_contact, Some(1));
    assert_eq!(row.next_visit, Some(date(2029, 1, 30)));
    assert_store_ok(&b);
}

#[test]
fn the_next_visit_always_exists() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    // A visit already owed serves as the first one: no second visit.
    let already = b.visit(s, p, "2026-11-27");
    flag(&b, s, p, Red);
    assert_eq!(the_owed(&b, p.meta.id).meta.id, already.meta.id);
    // Done without a next date: exactly one rolling visit owed, a week on.
    let saved = visit_done(&b, s, p.meta.id);
    assert_eq!(saved.visit.status, VisitStatus::Done);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 2));
    // Done with a next date: that one, and no rolling one beside it.
    b.clock.advance(Duration::days(1));
    let v = the_owed(&b, p.meta.id);
    let saved = b
        .service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form("+3"))
        .expect("done with a date");
    let next = saved.next.expect("follow-up");
    assert_eq!(next.due, date(2026, 11, 29));
    assert_eq!(the_owed(&b, p.meta.id).meta.id, next.meta.id);
    // Missed without a date: still one owed.
    b.clock.advance(Duration::days(3));
    let saved = visit_missed(&b, s, p.meta.id);
    assert_eq!(saved.visit.status, VisitStatus::Missed);
    let again = the_owed(&b, p.meta.id);
    // Counted from the last contact (11-26): due 12-03.
    assert_eq!(again.due, date(2026, 12, 3));
    // Long overdue: owed today, never in the past.
    set_day(&b, date(2027, 1, 15));
    visit_missed(&b, s, p.meta.id);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2027, 1, 15));
    assert_store_ok(&b);
}

#[test]
fn any_visit_made_with_the_person_counts_as_contact_and_a_level_change_resets_the_review() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    let f = flag(&b, s, p, Blue);
    assert_eq!(f.last_contact, None);
    let d = b
        .service
        .register_dispute(
            s,
            &dispute_draft("排水沟纠纷", &[p.meta.id, other.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    let follow_up = b
        .service
        .schedule_visit(
            s,
            &NewVisitForm {
                person: Some(p.meta.id),
                due: "2026-11-28".into(),
                purpose: "调解后回访（第3天）".into(),
                dispute: Some(d.meta.id),
                ..Default::default()
            },
        )
        .expect("dispute follow-up");
    set_day(&b, date(2026, 11, 28));
    b.service
        .record_visit_done(
            s,
            follow_up.meta.id,
            follow_up.meta.revision,
            &done_form(""),
        )
        .expect("follow-up made");
    let f = stored_flag(&b, f.meta.id);
    assert_eq!(
        f.last_contact,
        Some(date(2026, 11, 28)),
        "a made dispute visit is contact"
    );
    // The rolling visit stays: the follow-up does not stand in for the level's rhythm.
    assert_eq!(owed(&b, p.meta.id).iter().filter(|v| v.rolling).count(), 1);
    // Raising the level is a review: the next one falls due by red's interval from today.
    let config = b.service.settings().watch.clone();
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Red, "扬言报复")
        .expect("raise");
    assert_eq!(
        f.next_review,
        date(2026, 11, 28) + Duration::days(i64::from(config.review_every_days(Red)))
    );
    assert_store_ok(&b);
}

#[test]
fn a_dispute_follow_up_does_not_replace_the_rolling_visit() {
    // The rolling visit of a red person is weekly; a follow-up of one of their disputes
    // (due in a month) is a different visit and must not stand in for it.
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    flag(&b, s, p, Red);
    let d = b
        .service
        .register_dispute(
            s,
            &dispute_draft("排水沟纠纷", &[p.meta.id, other.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    let follow_up = b
        .service
        .schedule_visit(
            s,
            &NewVisitForm {
                person: Some(p.meta.id),
                due: "2026-12-25".into(),
                purpose: "调解后回访（第30天）".into(),
                dispute: Some(d.meta.id),
                ..Default::default()
            },
        )
        .expect("dispute follow-up");
    let rolling: Vec<_> = owed(&b, p.meta.id)
        .into_iter()
        .filter(|v| v.subject.dispute.is_none())
        .collect();
    assert_eq!(rolling.len(), 1);
    b.service
        .record_visit_done(
            s,
            rolling[0].meta.id,
            rolling[0].meta.revision,
            &done_form(""),
        )
        .expect("done");
    let owed_now = owed(&b, p.meta.id);
    let rolling: Vec<_> = owed_now
        .iter()
        .filter(|v| v.subject.dispute.is_none())
        .collect();
    assert_eq!(
        rolling.len(),
        1,
        "the next weekly visit exists beside the dispute follow-up: {owed_now:#?}"
    );
    assert_eq!(rolling[0].due, date(2026, 12, 2));
    assert!(owed_now.iter().any(|v| v.meta.id == follow_up.meta.id));
    assert_store_ok(&b);
}

#[test]
fn level_change_re_plans_and_removal_cancels_with_the_reason() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let f = flag(&b, s, p, Yellow);
    let yellow = the_owed(&b, p.meta.id);
    assert_eq!(yellow.due, date(2026, 12, 25));
    // Raised to orange: the yellow visit cancelled, a new one 14 days from the day added.
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "扬言上访")
        .expect("raise");
    let old = b
        .store()
        .get::<Visit>(yellow.meta.id)
        .expect("read")
        .expect("visit");
    assert_eq!(old.status, VisitStatus::Cancelled);
    assert_eq!(old.status_reason, "等级调整，重新安排回访");
    assert_eq!(
        old.history.last().map(|h| h.kind),
        Some(beatbook::model::VisitChangeKind::Cancelled)
    );
    let orange = the_owed(&b, p.meta.id);
    assert_eq!(orange.due, date(2026, 12, 9));
    // A visit made, then raised to red: 7 days from that contact.
    set_day(&b, date(2026, 12, 1));
    visit_done(&b, s, p.meta.id);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 15));
    let f = stored_flag(&b, f.meta.id);
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Red, "持刀威胁")
        .expect("raise to red");
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 8));
    // A visit arranged by hand beside the rolling one: a level change re-plans only the
    // rolling visit and leaves the officer's own visit as it was.
    let manual = b.visit(s, p, "2026-12-20");
    assert!(!manual.rolling);
    assert_eq!(owed(&b, p.meta.id).len(), 2);
    let red_rolling = owed(&b, p.meta.id)
        .into_iter()
        .find(|v| v.rolling)
        .expect("rolling visit");
    let f = b
        .service
        .change_flag_level(&b.chief_a, f.meta.id, f.meta.revision, Blue, "已稳定")
        .expect("chief lowers");
    let old = b
        .store()
        .get::<Visit>(red_rolling.meta.id)
        .expect("read")
        .expect("v");
    assert_eq!(old.status, VisitStatus::Cancelled);
    // Re-planned: one new rolling visit (blue, 90 days from 12-01) beside the manual one.
    let now_owed = owed(&b, p.meta.id);
    assert_eq!(now_owed.len(), 2, "{now_owed:#?}");
    assert!(now_owed.iter().any(|v| v.meta.id == manual.meta.id));
    let rolling = now_owed.iter().find(|v| v.rolling).expect("rolling");
    assert_eq!(rolling.due, date(2027, 3, 1));
    // Removal cancels the rolling visit with the reason; the manual one stays owed.
    let f = b
        .service
        .remove_flag(s, f.meta.id, f.meta.revision, "已迁出")
        .expect("blue removed by the officer at once");
    assert_eq!(f.status, FlagStatus::Removed);
    let left = owed(&b, p.meta.id);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].meta.id, manual.meta.id);
    let cancelled = b
        .store()
        .get::<Visit>(rolling.meta.id)
        .expect("read")
        .expect("v");
    assert_eq!(cancelled.status, VisitStatus::Cancelled);
    assert!(
        cancelled.status_reason.contains("已迁出"),
        "{}",
        cancelled.status_reason
    );
    b.service
        .record_visit_done(s, manual.meta.id, left[0].meta.revision, &done_form(""))
        .expect("manual visit done");
    assert!(owed(&b, p.meta.id).is_empty());
    // A visit of a removed person: no rolling visit any more.
    let v = b.visit(s, p, "+1");
    b.service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form(""))
        .expect("done");
    assert!(owed(&b, p.meta.id).is_empty());
    assert_store_ok(&b);
}

// ---------------------------------------------------------------------------------------
// Alerts: missed visits, overdue reviews
// ---------------------------------------------------------------------------------------

#[test]
fn two_missed_visits_in_a_row_alert_the_responsible_officer_and_the_chief() {
    let b = Bureau::new();
    let chief = &b.chief_a;
    let resp = &b.officer_a2; // responsible; the flag is made by the chief
    let p = &b.person_a;
    b.service
        .flag_person(
            chief,
            p.meta.id,
            &FlagForm {
                responsible: Some(resp.officer()),
                ..form(Red, &["released"], "刑满释放不满一年")
            },
        )
        .expect("flag");
    let missed_alerts = |s: &Session| {
        alerts_for(&b, s, p.meta.id)
            .into_iter()
            .filter(|r| matches!(r, AlertReason::MissedVisits { .. }))
            .count()
    };
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 0, "one miss is no alert");
    // A visit made resets the count.
    visit_done(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 0, "the count started again");
    assert_eq!(
        b.store()
            .flag_of(p.meta.id)
            .expect("r")
            .expect("f")
            .missed_in_a_row,
        1
    );
    visit_missed(&b, resp, p.meta.id);
    let rows = b.service.watch_alerts(resp).expect("alerts");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert_eq!(row.alert.reason, AlertReason::MissedVisits { count: 2 });
    assert_eq!(row.alert.officer, resp.officer());
    assert_eq!(row.alert.raised_on, date(2026, 11, 25));
    assert_eq!(row.person_name, p.name);
    assert_eq!(row.officer_name, "李卫东");
    assert_eq!(row.level, Some(Red));
    assert_eq!(missed_alerts(chief), 1, "the chief sees it");
    assert_eq!(missed_alerts(&b.officer_a), 0, "another officer does not");
    assert!(b.service.watch_alerts(&b.officer_b).expect("b").is_empty());
    assert!(b.service.watch_alerts(&b.chief_b).expect("b").is_empty());
    assert!(b
        .service
        .watch_alerts(&b.supervisor)
        .expect("sup")
        .is_empty());
    // A third miss in a row: no second alert.
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 1);
    assert_eq!(missed_alerts(chief), 1);
    // The person screen lists it.
    let detail = b.service.person_detail(chief, p.meta.id).expect("detail");
    assert_eq!(detail.alerts.len(), 1);
    // Another officer may not acknowledge it; the responsible one does, audited.
    let alert = rows[0].alert.clone();
    let e = b
        .service
        .acknowledge_alert(&b.officer_a, alert.meta.id, alert.meta.revision)
        .expect_err("not theirs");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NotAssigned)),
        "{e:?}"
    );
    let e = b
        .service
        .acknowledge_alert(&b.chief_b, alert.meta.id, alert.meta.revision)
        .expect_err("other station");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    b.clock.advance(Duration::hours(2));
    let acked = b
        .service
        .acknowledge_alert(resp, alert.meta.id, alert.meta.revision)
        .expect("acknowledged");
    assert_eq!(acked.acknowledged_by, Some(resp.officer()));
    assert_eq!(
        acked.acknowledged_at,
        Some((start_time() + Duration::hours(2)).with_timezone(&chrono::Utc))
    );
    assert_eq!(missed_alerts(resp), 0, "acknowledged alerts leave the list");
    assert_eq!(missed_alerts(chief), 0);
    let entries = audit_of(&b, "alert.acknowledge");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, resp.officer());
    assert_eq!(entries[0].record, Some(alert.meta.id));
    assert_eq!(entries[0].kind, Some(Kind::Alert));
    // Twice: a conflict on the old revision.
    assert!(b
        .service
        .acknowledge_alert(resp, alert.meta.id, alert.meta.revision)
        .is_err());
    // After a visit made, two more misses raise a new one.
    visit_done(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 1);
    assert_store_ok(&b);
}

#[test]
fn overdue_review_raises_an_alert_at_login_until_acknowledged() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let f = flag(&b, s, p, Red);
    assert_eq!(f.next_review, date(2026, 12, 25));
    let review_alerts = |s: &Session| {
        alerts_for(&b, s, p.meta.id)
            .into_iter()
            .filter(|r| matches!(r, AlertReason::ReviewOverdue { .. }))
            .count()
    };
    // On the review date: due, not yet overdue.
    set_day(&b, date(2026, 12, 25));
    b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(s), 0);
    // A day later, at login.
    set_day(&b, date(2026, 12, 26));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    let rows = b.service.watch_alerts(&s).expect("alerts");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(
        rows[0].alert.reason,
        AlertReason::ReviewOverdue {
            due: date(2026, 12, 25)
        }
    );
    assert_eq!(rows[0].alert.officer, s.officer());
    assert_eq!(review_alerts(&b.chief_a), 1);
    assert_eq!(review_alerts(&b.officer_a2), 0);
    // The overdue filter of the watch list shows the flag.
    let overdue = b
        .service
        .watch_list(
            &s,
            &WatchFilter {
                overdue_only: true,
                ..Default::default()
            },
        )
        .expect("list");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].review_overdue, Some(1));
    // Logging in again (anyone of the station) raises no second one.
    b.service.login("zhao.chief", PASSWORD).expect("login");
    b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(&s), 1);
    // Other stations' logins do not touch it.
    b.service.login("chen.b", PASSWORD).expect("login");
    assert!(b.service.watch_alerts(&b.officer_b).expect("b").is_empty());
    // Acknowledged: gone, audited; a later login does not bring it back for the same
    // review date.
    let a = rows[0].alert.clone();
    b.service
        .acknowledge_alert(&s, a.meta.id, a.meta.revision)
        .expect("ack");
    assert_eq!(review_alerts(&s), 0);
    assert_eq!(audit_of(&b, "alert.acknowledge").len(), 1);
    set_day(&b, date(2026, 12, 27));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(
        review_alerts(&s),
        0,
        "an acknowledged review alert must not come back at every login"
    );
    // The review done: the next one 30 days on, no alert.
    let f = stored_flag(&b, f.meta.id);
    let f = b
        .service
        .review_flag(&s, f.meta.id, f.meta.revision, "维持红色")
        .expect("review");
    assert_eq!(f.next_review, date(2027, 1, 26));
    assert_eq!(
        f.history.last().map(|h| (h.kind, h.by)),
        Some((FlagChangeKind::Reviewed, s.officer()))
    );
    set_day(&b, date(2027, 1, 27));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(&s), 1, "the next review's own alert");
    assert_store_ok(&b);
}

// ---------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------

#[test]
fn roles_and_stations() {
    let b = Bureau::new();
    let p = &b.person_a;
    let before = b.snapshot();
    for s in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .flag_person(s, p.meta.id, &form(Red, &["other"], "x"))
            .expect_err("read-only role");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(r)) if r == s.role()),
            "{e:?}"
        );
    }
    for s in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .flag_person(s, p.meta.id, &form(Red, &["other"], "x"))
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
    }
    assert_eq!(b.snapshot(), before);

    let f = flag(&b, &b.officer_a, p, Red);
    // The colleague of the same station may work on it.
    let f = b
        .service
        .review_flag(&b.officer_a2, f.meta.id, f.meta.revision, "")
        .expect("colleague reviews");
    // Others may not touch it.
    for s in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "x")
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b
            .service
            .remove_flag(s, f.meta.id, f.meta.revision, "x")
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b
            .service
            .person_detail(s, p.meta.id)
            .expect_err("other station reads");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let list = b
            .service
            .watch_list(s, &WatchFilter::default())
            .expect("own list");
        assert!(list.is_empty(), "station B sees none of A's flags");
    }
    for s in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "x")
            .expect_err("read-only");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(_))),
            "{e:?}"
        );
        let e = b
            .service
            .decide_flag(s, f.meta.id, f.meta.revision, true, "x")
            .expect_err("read-only");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    // The supervisor reads every station's list; the admin no case data.
    let sup = b
        .service
        .watch_list(&b.supervisor, &WatchFilter::default())
        .expect("supervisor reads");
    assert_eq!(sup.len(), 1);
    assert_eq!(sup[0].person_name, p.name);
    let e = b
        .service
        .watch_list(&b.admin, &WatchFilter::default())
        .expect_err("admin");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NoCaseData)),
        "{e:?}"
    );
    let e = b
        .service
        .person_detail(&b.admin, p.meta.id)
        .expect_err("admin");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NoCaseData)),
        "{e:?}"
    );
    // Filters.
    let q = create_person(&b.service, &b.officer_a2, "钱七", "西关村");
    flag(&b, &b.officer_a2, &q, Blue);
    let list = |f: WatchFilter| -> Vec<String> {
        b.service
            .watch_list(&b.chief_a, &f)
            .expect("list")
            .into_iter()
            .map(|r| r.person_name)
            .collect()
    };
    assert_eq!(
        list(WatchFilter::default()),
        [p.name.clone(), "钱七".into()]
    );
    assert_eq!(
        list(WatchFilter {
            level: Some(Blue),
            ..Default::default()
        }),
        ["钱七"]
    );
    assert_eq!(
        list(WatchFilter {
            officer: Some(b.officer_a.officer()),
            ..Default::default()
        }),
        [p.name.as_str()]
    );
    assert_eq!(
        list(WatchFilter {
            category: Some("drugs".into()),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        list(WatchFilter {
            text: "qian".into(),
            ..Default::default()
        }),
        ["钱七"]
    );
    assert_store_ok(&b);
}

// ---------------------------------------------------------------------------------------
// Alerts from disputes
// ---------------------------------------------------------------------------------------

#[test]
fn a_watch_listed_party_in_a_new_dispute_alerts_their_officer_and_the_chief_only() {
    let b = Bureau::new();
    let p = &b.person_a;
    let x = create_person(&b.service, &b.officer_a, "孙八", "东关村");
    flag(&b, &b.officer_a, p, Orange);
    // The colleague registers the dispute: the alert goes to the flag's officer.
    let d = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("宅基地边界纠纷", &[x.meta.id, p.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    assert_eq!(d.implied_indicators, ["watch_list"]);
    assert_eq!(d.fired_rules, ["watch_listed"]);
    assert_eq!(d.risk, Orange, "the watch_listed rule sets orange");
    let mine = alerts_for(&b, &b.officer_a, p.meta.id);
    assert_eq!(in_dispute(&mine, d.meta.id), 1, "{mine:?}");
    assert_eq!(
        mine,
        [AlertReason::WatchedPartyInDispute {
            dispute: d.meta.id,
            title: "宅基地边界纠纷".into()
        }]
    );
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.chief_a, p.meta.id), d.meta.id),
        1
    );
    assert!(
        b.service
            .watch_alerts(&b.officer_a2)
            .expect("a2")
            .is_empty(),
        "not the officer who registered it"
    );
    for s in [&b.officer_b, &b.chief_b] {
        assert!(b.service.watch_alerts(s).expect("b").is_empty());
    }
    // The party who is not listed raises nothing.
    assert!(alerts_for(&b, &b.chief_a, x.meta.id).is_empty());
    // Editing the dispute: no second alert for the same dispute and person.
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("宅基地边界纠纷（补充）", &[x.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.chief_a, p.meta.id), d.meta.id),
        1
    );
    // Acknowledged, then edited again: still once per dispute and person.
    let row = b
        .service
        .watch_alerts(&b.officer_a)
        .expect("alerts")
        .remove(0);
    b.service
        .acknowledge_alert(&b.officer_a, row.alert.meta.id, row.alert.meta.revision)
        .expect("ack");
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("宅基地边界纠纷（再补充）", &[x.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert!(
        alerts_for(&b, &b.chief_a, p.meta.id).is_empty(),
        "an acknowledged alert is not raised again by an edit"
    );
    // A higher ticked indicator wins over the implied one.
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &DisputeDraft {
                indicators: vec!["weapons".into()],
                ..dispute_draft("宅基地边界纠纷", &[x.meta.id, p.meta.id])
            },
        )
        .expect("edit");
    assert_eq!(d.risk, Red);
    assert_eq!(d.fired_rules, ["weapons_or_threats", "watch_listed"]);
    assert_store_ok(&b);
}

#[test]
fn adding_a_watch_listed_party_to_an_existing_dispute_alerts_and_raises_the_risk() {
    let b = Bureau::new();
    let p = &b.person_a;
    let x = create_person(&b.service, &b.officer_a, "孙八", "东关村");
    let y = create_person(&b.service, &b.officer_a, "周九", "东关村");
    let z = create_person(&b.service, &b.officer_a, "吴十", "东关村");
    flag(&b, &b.officer_a, p, Red);
    let d = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    assert!(d.implied_indicators.is_empty());
    assert_eq!(d.risk, Blue);
    assert!(b.service.watch_alerts(&b.chief_a).expect("a").is_empty());
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id, p.meta.id]),
        )
        .expect("party added");
    assert_eq!(d.implied_indicators, ["watch_list"]);
    assert_eq!(d.risk, Orange);
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(in_dispute(&chief, d.meta.id), 1, "{chief:?}");
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.officer_a, p.meta.id), d.meta.id),
        1
    );
    assert!(b
        .service
        .watch_alerts(&b.officer_a2)
        .expect("a2")
        .is_empty());
    assert!(b.service.watch_alerts(&b.chief_b).expect("b").is_empty());
    // A second dispute for the same person within 12 months: a repeat alert, once.
    let d2 = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("借款纠纷", &[p.meta.id, z.meta.id]),
            None,
            None,
        )
        .expect("second dispute");
    assert!(d2.implied_indicators.contains(&"watch_list".to_string()));
    assert!(d2.implied_indicators.contains(&"repeat_party".to_string()));
    assert_eq!(d2.risk, Orange);
    assert!(d2.fired_rules.contains(&"recurring".to_string()));
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(in_dispute(&chief, d2.meta.id), 1);
    assert_eq!(repeats(&chief), 1, "{chief:?}");
    assert_eq!(repeats(&alerts_for(&b, &b.officer_a, p.meta.id)), 1);
    assert!(b
        .service
        .watch_alerts(&b.officer_a2)
        .expect("a2")
        .is_empty());
    // A third dispute: one repeat alert still (it is open), one more party alert.
    let d3 = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("土地纠纷", &[p.meta.id, y.meta.id]),
            None,
            None,
        )
        .expect("third");
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(repeats(&chief), 1);
    assert_eq!(in_dispute(&chief, d3.meta.id), 1);
    assert_eq!(chief.len(), 4, "{chief:?}");
    // The flag removed: a later edit no longer implies the indicator.
    let f = b.store().flag_of(p.meta.id).expect("r").expect("f");
    b.service
        .remove_flag(&b.chief_a, f.meta.id, f.meta.revision, "已迁出")
        .expect("removed");
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert!(!d.implied_indicators.contains(&"watch_list".to_string()));
    assert!(!d.fired_rules.contains(&"watch_listed".to_string()));
    assert_store_ok(&b);
}

#[test]
fn repeat_disputes_alert_once_for_a_person_not_on_the_list() {
    let b = Bureau::new();
    let s = &b.officer_a2;
    let x = create_person(&b.service, s, "孙八", "东关村");
    let y = create_person(&b.service, s, "周九", "东关村");
    let z = create_person(&b.service, s, "吴十", "东关村");
    let d1 = b
        .service
        .register_dispute(s, &dispute_draft("一", &[x.meta.id, y.meta.id]), None, None)
        .expect("d1");
    assert!(b.service.watch_alerts(&b.chief_a).expect("a").is_empty());
    b.service
        .register_dispute(s, &dispute_draft("二", &[x.meta.id, z.meta.id]), None, None)
        .expect("d2");
    let chief = b.service.watch_alerts(&b.chief_a).expect("a");
    let rep: Vec<_> = chief
        .iter()
        .filter(|r| r.alert.person == x.meta.id)
        .collect();
    assert_eq!(rep.len(), 1, "{chief:#?}");
    assert_eq!(
        rep[0].alert.reason,
        AlertReason::RepeatDisputes { count: 2 }
    );
    // Not listed: the dispute's officer is told, with no level.
    assert_eq!(rep[0].alert.officer, s.officer());
    assert_eq!(rep[0].level, None);
    assert_eq!(b.service.watch_alerts(s).expect("a2").len(), 1);
    assert!(b.service.watch_alerts(&b.officer_a).expect("a").is_empty());
    // Acknowledged; an edit of the first dispute does not raise it again.
    let a = rep[0].alert.clone();
    b.service
        .acknowledge_alert(s, a.meta.id, a.meta.revision)
        .expect("ack");
    let d1 = b
        .store()
        .get::<beatbook::model::Dispute>(d1.meta.id)
        .expect("r")
        .expect("d");
    b.service
        .edit_dispute(
            s,
            d1.meta.id,
            d1.meta.revision,
            &dispute_draft("一（补）", &[x.meta.id, y.meta.id]),
        )
        .expect("edit");
    assert!(
        b.service.watch_alerts(&b.chief_a).expect("a").is_empty(),
        "no new repeat alert for the same disputes"
    );
    // Outside the 12-month window: none for a pair of disputes a year and more apart.
    set_day(&b, date(2027, 12, 1));
    let u = create_person(&b.service, s, "郑十一", "东关村");
    b.service
        .register_dispute(s, &dispute_draft("三", &[u.meta.id, z.meta.id]), None, None)
        .expect("d3");
    let alerts = b.service.watch_alerts(&b.chief_a).expect("a");
    assert!(
        alerts.iter().all(|r| r.alert.person != z.meta.id),
        "z's previous dispute was two years ago: {alerts:#?}"
    );
    assert_store_ok(&b);
}

// ---------------------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------------------

#[test]
fn personal_data_is_masked_and_every_reveal_is_audited() {
    let b = Bureau::new();
    let s = &b.officer_a;
    // A valid number (check character 4) that masks to the documented example.
    let p = b
        .service
        .create_person(
            s,
            &beatbook::model::PersonDraft {
                name: "高秀兰".into(),
                id_number: "220182198001081234".into(),
                phone: "13812345678".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let full_id = p.id_number.clone().map(String::from).expect("id number");
    assert_eq!(full_id, "220182198001081234");
    let masked_id = "220182********1234";
    flag(&b, s, &p, Red);

    for reader in [s, &b.officer_a2, &b.chief_a, &b.supervisor] {
        let card = b.service.person_card(reader, p.meta.id).expect("card");
        assert_eq!(card.masked_id, masked_id);
        assert_eq!(card.masked_phone, "138****5678");
        let detail = b.service.person_detail(reader, p.meta.id).expect("detail");
        assert_eq!(detail.card.masked_id, masked_id);
        assert_eq!(detail.card.masked_phone, "138****5678");
        let shown = format!("{:?}", detail.card);
        assert!(!shown.contains(&full_id), "{shown}");
        assert!(!shown.contains("13812345678"), "{shown}");
    }
    // Reading, listing and the detail write no reveal.
    assert!(audit_of(&b, "person.reveal").is_empty());

    let before = audit(b.store()).len();
    b.clock.advance(Duration::minutes(5));
    let r = b
        .service
        .reveal_person(&b.chief_a, p.meta.id)
        .expect("reveal");
    assert_eq!(r.id_number, full_id);
    assert_eq!(r.phone, "13812345678");
    let new = audit_after(b.store(), before);
    assert_eq!(new.len(), 1, "{new:#?}");
    let e = &new[0];
    assert_eq!(e.action, "person.reveal");
    assert_eq!(e.actor, b.chief_a.officer());
    assert_eq!(e.actor_name, "zhao.chief");
    assert_eq!(e.station, Some(b.station_a.meta.id));
    assert_eq!(
        e.at,
        (start_time() + Duration::minutes(5)).with_timezone(&chrono::Utc)
    );
    assert!(
        e.detail.contains(&p.meta.id.to_string()),
        "the entry names whose data: {}",
        e.detail
    );
    assert!(
        !e.detail.contains(&full_id),
        "the audit log does not copy the number"
    );
    // Each reveal is another entry; the supervisor may, with an entry of their own.
    b.service.reveal_person(s, p.meta.id).expect("reveal");
    b.service
        .reveal_person(&b.supervisor, p.meta.id)
        .expect("supervisor reveals");
    let reveals = audit_of(&b, "person.reveal");
    assert_eq!(
        reveals.iter().map(|e| e.actor).collect::<Vec<_>>(),
        [b.chief_a.officer(), s.officer(), b.supervisor.officer()]
    );
    // Another station, or the admin: refused, nothing written.
    let before = audit(b.store()).len();
    for other in [&b.officer_b, &b.chief_b, &b.admin] {
        let e = b
            .service
            .reveal_person(other, p.meta.id)
            .expect_err("may not reveal");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
        assert!(b.service.person_card(other, p.meta.id).is_err());
    }
    assert_eq!(
        audit(b.store()).len(),
        before,
        "refused reveals write nothing"
    );
    // The edit form shows the full numbers: it is a reveal too.
    let (draft, _) = b.service.person_draft(s, p.meta.id).expect("draft");
    assert_eq!(draft.id_number, full_id);
    assert_eq!(audit_of(&b, "person.reveal").len(), 4);
    assert_store_ok(&b);
}

#[test]
fn masked_everywhere_for_people_without_numbers_and_for_short_phones() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let none = b
        .service
        .create_person(
            s,
            &beatbook::model::PersonDraft {
                name: "无证人".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let card = b.service.person_card(s, none.meta.id).expect("card");
    assert_eq!(
        (card.masked_id.as_str(), card.masked_phone.as_str()),
        ("", "")
    );
    let r = b.service.reveal_person(s, none.meta.id).expect("reveal");
    assert_eq!((r.id_number.as_str(), r.phone.as_str()), ("", ""));
    // The fixture person: 18-character ID masked to 6 + 8 stars + 4.
    let card = b.service.person_card(s, b.person_a.meta.id).expect("card");
    assert_eq!(card.masked_id.chars().count(), 18);
    assert_eq!(&card.masked_id[6..14], "********");
    assert_eq!(Role::Officer, s.role());
}

#[test]
fn profile_updates_obey_roles_and_stay_masked() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let (draft, revision) = b.service.person_draft(s, p.meta.id).expect("draft");
    assert_eq!(
        audit_of(&b, "person.reveal").len(),
        1,
        "the edit form is a reveal"
    );
    let changed = beatbook::model::PersonDraft {
        phone: "13900001111".into(),
        notes: "已搬至东关村3组".into(),
        ..draft.clone()
    };
    let before = b.snapshot();
    for other in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .update_person(other, p.meta.id, revision, &changed)
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b.service.person_draft(other, p.meta.id).expect_err("other");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    for ro in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .update_person(ro, p.meta.id, revision, &changed)
            .expect_err("read-only");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(_))),
            "{e:?}"
        );
    }
    assert_eq!(b.snapshot(), before, "refusals write nothing");
    let updated = b
        .service
        .update_person(&b.officer_a2, p.meta.id, revision, &changed)
        .expect("a colleague updates");
    let e = b
        .service
        .update_person(s, p.meta.id, revision, &changed)
        .expect_err("stale revision");
    assert!(matches!(e, ServiceError::Store(_)), "{e:?}");
    assert_eq!(updated.notes, "已搬至东关村3组");
    let card = b.service.person_card(s, p.meta.id).expect("card");
    assert_eq!(card.masked_phone, "139****1111");
    let entry = audit_of(&b, "person.update").pop().expect("audited");
    assert_eq!(entry.actor, b.officer_a2.officer());
    assert!(!entry.detail.contains("13900001111"), "{}", entry.detail);
    assert!(!entry.detail.contains(&draft.id_number), "{}", entry.detail);
    // Someone else's ID number: refused, naming them only to a reader of their station.
    let q = create_person(&b.service, s, "钱七", "西关村");
    let (qd, qrev) = b.service.person_draft(s, q.meta.id).expect("draft");
    let e = b
        .service
        .update_person(
            s,
            q.meta.id,
            qrev,
            &beatbook::model::PersonDraft {
                id_number: draft.id_number.clone(),
                birth_date: String::new(),
                ..qd
            },
        )
        .expect_err("duplicate");
    assert!(
        matches!(e, ServiceError::DuplicateIdNumber { ref name, .. } if name == &p.name),
        "{e:?}"
    );
    assert_store_ok(&b);
}

#[test]
fn the_station_scan_and_the_per_person_lookup_of_owed_visits_agree() {
    // The watch list reads owed visits by one station scan with many flags and person by
    // person with few: both must give every person's earliest owed visit at the station.
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    let third = create_person(&b.service, s, "钱七", "西关村");
    flag(&b, s, p, Red);
    flag(&b, s, &other, Blue);
    b.visit(s, p, "2026-12-20");
    b.visit(s, &other, "2026-11-27");
    let cancelled = b.visit(s, &third, "2026-11-30");
    b.service
        .cancel_visit(s, cancelled.meta.id, cancelled.meta.revision, "搬走了")
        .expect("cancel");
    b.visit(&b.officer_b, &b.person_b, "2026-11-26");
    let station = b.station_a.meta.id;
    let go_on = std::sync::atomic::AtomicBool::new(false);
    let scanned = b
        .store()
        .next_owed_by_person(station, &go_on)
        .expect("scan")
        .expect("not stopped");
    for person in [p.meta.id, other.meta.id, third.meta.id, b.person_b.meta.id] {
        assert_eq!(
            scanned.get(&person).copied(),
            b.store().next_owed_of(station, person).expect("lookup"),
            "person {person}"
        );
    }
    assert_eq!(
        scanned.get(&p.meta.id),
        Some(&date(2026, 12, 2)),
        "red: weekly"
    );
    assert_eq!(scanned.get(&third.meta.id), None, "cancelled is not owed");
    assert_eq!(
        scanned.get(&b.person_b.meta.id),
        None,
        "another station's visit"
    );
    let stop = std::sync::atomic::AtomicBool::new(true);
    assert_eq!(
        b.store().next_owed_by_person(station, &stop).expect("scan"),
        None
    );
}
