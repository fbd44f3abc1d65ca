//! Service use cases on a real store: permissions per role and station, login lockout,
//! the audit trail of every write, visit transitions, bad input, and the Today list.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{
    Field, Officer, PersonDraft, Role, ValidationError, Visit, VisitChangeKind, VisitMethod,
    VisitOutcome, VisitStatus,
};
use beatbook::rules::visits::Urgency;
use beatbook::service::{
    DoneForm, Forbidden, MissedForm, NewOfficer, NewVisitForm, RescheduleForm, Scope, ServiceError,
    Session,
};
use beatbook::store::{Index, Kind, StoreError};
use chrono::Duration;
use common::{
    assert_audit_ok, assert_indexes_ok, at, audit_after, create_person, date, refusal,
    refused_without_writes, Bureau, PASSWORD,
};
use std::fmt::Debug;

fn done_form() -> DoneForm {
    DoneForm {
        outcome: Some(VisitOutcome::Stable),
        method: VisitMethod::Phone,
        agreement_honoured: Some(true),
        notes: "情况稳定，无新矛盾".into(),
        next_due: String::new(),
        met: None,
    }
}

fn reschedule_form(new_due: &str) -> RescheduleForm {
    RescheduleForm {
        new_due: new_due.into(),
        reason: "当事人外出务工".into(),
    }
}

fn new_visit(person: &beatbook::model::Person, due: &str) -> NewVisitForm {
    NewVisitForm {
        person: Some(person.meta.id),
        due: due.into(),
        method: VisitMethod::InPerson,
        purpose: "调解后回访".into(),
        assigned_to: None,
        notes: String::new(),
        dispute: None,
    }
}

/// The permission refusal of a call that must be forbidden.
fn forbidden<T: Debug>(what: &str, r: Result<T, ServiceError>) -> Forbidden {
    match refusal(what, r) {
        ServiceError::Forbidden(f) => f,
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    }
}

fn stored_visit(b: &Bureau, v: &Visit) -> Visit {
    b.store()
        .get::<Visit>(v.meta.id)
        .expect("read")
        .expect("visit stored")
}

#[test]
fn officer_of_station_a_cannot_read_or_change_station_b() {
    let b = Bureau::new();
    let vb = b.visit(&b.officer_b, &b.person_b, "+1");
    let (id, rev) = (vb.meta.id, vb.meta.revision);
    // Station B's own officer reads it (positive control).
    assert!(b.service.visit_detail(&b.officer_b, id).is_ok());
    assert!(b
        .service
        .person_card(&b.officer_b, b.person_b.meta.id)
        .is_ok());

    for s in [&b.officer_a, &b.chief_a] {
        let who = s.username();
        let before = b.snapshot();
        assert_eq!(
            forbidden(who, b.service.visit_detail(s, id)),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(who, b.service.person_card(s, b.person_b.meta.id)),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(who, b.service.record_visit_done(s, id, rev, &done_form())),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(
                who,
                b.service
                    .record_visit_missed(s, id, rev, &MissedForm::default())
            ),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(
                who,
                b.service
                    .reschedule_visit(s, id, rev, &reschedule_form("+3"))
            ),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(who, b.service.cancel_visit(s, id, rev, "不再需要")),
            Forbidden::OtherStation
        );
        assert_eq!(
            forbidden(
                who,
                b.service.schedule_visit(s, &new_visit(&b.person_b, "+2"))
            ),
            Forbidden::OtherStation
        );
        assert_eq!(b.snapshot(), before, "{who}: refusals write nothing");
    }
    // B's visit never shows in A's lists.
    let a_list = b
        .service
        .today_list(&b.chief_a, Scope::Station)
        .expect("A's list");
    assert!(a_list.rows.iter().all(|r| r.visit != id));
    assert_eq!(stored_visit(&b, &vb), vb, "B's visit is untouched");

    let msg = ServiceError::Forbidden(Forbidden::OtherStation);
    assert!(msg.localize(Lang::En).contains("another station"));
    assert!(msg.localize(Lang::Zh).contains("其他派出所"));
}

#[test]
fn officer_cannot_record_a_colleagues_visit_but_the_chief_can() {
    let b = Bureau::new();
    let colleague = b.visit(&b.officer_a2, &b.person_a, "+1");
    let (id, rev) = (colleague.meta.id, colleague.meta.revision);

    // The officer may read the colleague's visit (same station) but not change it.
    let detail = b
        .service
        .visit_detail(&b.officer_a, id)
        .expect("same station reads");
    assert!(!detail.may_change);
    assert_eq!(detail.officer_name, "李卫东");
    let before = b.snapshot();
    let s = &b.officer_a;
    assert_eq!(
        forbidden(
            "done",
            b.service.record_visit_done(s, id, rev, &done_form())
        ),
        Forbidden::NotAssigned
    );
    assert_eq!(
        forbidden(
            "missed",
            b.service
                .record_visit_missed(s, id, rev, &MissedForm::default())
        ),
        Forbidden::NotAssigned
    );
    assert_eq!(
        forbidden(
            "reschedule",
            b.service
                .reschedule_visit(s, id, rev, &reschedule_form("+3"))
        ),
        Forbidden::NotAssigned
    );
    assert_eq!(
        forbidden("cancel", b.service.cancel_visit(s, id, rev, "重复安排")),
        Forbidden::NotAssigned
    );
    // Officers schedule only for themselves.
    let mut form = new_visit(&b.person_a, "+2");
    form.assigned_to = Some(b.officer_a2.officer());
    assert_eq!(
        forbidden("assign", b.service.schedule_visit(s, &form)),
        Forbidden::AssignOthers
    );
    assert_eq!(b.snapshot(), before);

    // The chief of the same station may.
    assert!(
        b.service
            .visit_detail(&b.chief_a, id)
            .expect("chief reads")
            .may_change
    );
    let audit_before = b.snapshot().audit;
    let saved = b
        .service
        .record_visit_done(&b.chief_a, id, rev, &done_form())
        .expect("chief records the colleague's visit");
    assert_eq!(saved.visit.status, VisitStatus::Done);
    assert_eq!(saved.visit.meta.changed_by, b.chief_a.officer());
    assert_eq!(
        saved.visit.assigned_to,
        b.officer_a2.officer(),
        "still the colleague's visit"
    );
    let entries = audit_after(b.store(), audit_before);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, b.chief_a.officer());
    assert_eq!(entries[0].action, "visit.done");

    // The chief assigns visits to officers of the station, but not to anyone else.
    let mut form = new_visit(&b.person_a, "+2");
    form.assigned_to = Some(b.officer_a.officer());
    let v = b
        .service
        .schedule_visit(&b.chief_a, &form)
        .expect("chief assigns");
    assert_eq!(v.assigned_to, b.officer_a.officer());
    for other in [
        b.officer_b.officer(),
        b.supervisor.officer(),
        b.admin.officer(),
    ] {
        form.assigned_to = Some(other);
        let e = refused_without_writes(&b, "assign outside", || {
            b.service.schedule_visit(&b.chief_a, &form)
        });
        assert!(matches!(e, ServiceError::BadAssignee), "{e:?}");
        assert_eq!(e.field(), Some(Field::Officer));
    }
    // Who can be assigned: the station's officers and chief only.
    let mut names: Vec<String> = b
        .service
        .station_officers(&b.chief_a)
        .expect("options")
        .into_iter()
        .map(|o| o.display_name)
        .collect();
    names.sort();
    let mut want = vec!["王建国", "李卫东", "赵所长"];
    want.sort();
    assert_eq!(names, want);
    assert_audit_ok(b.store());
}

#[test]
fn supervisor_reads_all_stations_but_records_nothing() {
    let b = Bureau::new();
    let va = b.visit(&b.officer_a, &b.person_a, "+1");
    let vb = b.visit(&b.officer_b, &b.person_b, "+2");

    let view = b
        .service
        .today_list(&b.supervisor, Scope::Bureau)
        .expect("bureau view");
    let ids: Vec<_> = view.rows.iter().map(|r| r.visit).collect();
    assert_eq!(ids, vec![va.meta.id, vb.meta.id]);
    assert!(view.rows.iter().all(|r| !r.may_change && !r.mine));
    assert_eq!(view.rows[0].station_name, "城关派出所");
    assert_eq!(view.rows[1].station_name, "河西派出所");
    let detail = b
        .service
        .visit_detail(&b.supervisor, vb.meta.id)
        .expect("reads another station");
    assert!(!detail.may_change);
    assert_eq!(
        b.service
            .person_card(&b.supervisor, b.person_b.meta.id)
            .expect("reads B's person")
            .name,
        "李秀英"
    );

    let before = b.snapshot();
    let s = &b.supervisor;
    let ro = Forbidden::ReadOnlyRole(Role::Supervisor);
    for v in [&va, &vb] {
        let (id, rev) = (v.meta.id, v.meta.revision);
        assert_eq!(
            forbidden(
                "done",
                b.service.record_visit_done(s, id, rev, &done_form())
            ),
            ro
        );
        assert_eq!(
            forbidden(
                "missed",
                b.service
                    .record_visit_missed(s, id, rev, &MissedForm::default())
            ),
            ro
        );
        assert_eq!(
            forbidden(
                "reschedule",
                b.service
                    .reschedule_visit(s, id, rev, &reschedule_form("+3"))
            ),
            ro
        );
        assert_eq!(
            forbidden("cancel", b.service.cancel_visit(s, id, rev, "监督")),
            ro
        );
    }
    assert_eq!(
        forbidden(
            "schedule",
            b.service.schedule_visit(s, &new_visit(&b.person_a, "+2"))
        ),
        ro
    );
    assert_eq!(
        forbidden(
            "create person",
            b.service.create_person(
                s,
                &PersonDraft {
                    name: "赵六".into(),
                    ..Default::default()
                }
            )
        ),
        ro
    );
    assert_eq!(
        forbidden("station", b.service.create_station(s, "新所", "XS")),
        Forbidden::AdminOnly
    );
    assert_eq!(b.snapshot(), before);
    assert!(ServiceError::Forbidden(ro)
        .localize(Lang::En)
        .contains("supervisors read records"));

    // Only a supervisor sees all stations at once.
    for s in [&b.officer_a, &b.chief_a] {
        assert_eq!(
            forbidden("bureau", b.service.today_list(s, Scope::Bureau)),
            Forbidden::BureauView
        );
    }
}

#[test]
fn admin_manages_accounts_but_sees_no_case_data_and_others_manage_nothing() {
    let b = Bureau::new();
    let va = b.visit(&b.officer_a, &b.person_a, "+1");
    let before = b.snapshot();
    assert_eq!(
        forbidden("today", b.service.today_list(&b.admin, Scope::Mine)),
        Forbidden::NoCaseData
    );
    assert_eq!(
        forbidden("today", b.service.today_list(&b.admin, Scope::Station)),
        Forbidden::NoCaseData
    );
    assert_eq!(
        forbidden("detail", b.service.visit_detail(&b.admin, va.meta.id)),
        Forbidden::NoCaseData
    );
    forbidden("card", b.service.person_card(&b.admin, b.person_a.meta.id));
    forbidden(
        "done",
        b.service
            .record_visit_done(&b.admin, va.meta.id, va.meta.revision, &done_form()),
    );
    assert_eq!(
        forbidden(
            "schedule",
            b.service
                .schedule_visit(&b.admin, &new_visit(&b.person_a, "+2"))
        ),
        Forbidden::ReadOnlyRole(Role::Admin)
    );
    assert_eq!(
        forbidden(
            "person",
            b.service.create_person(
                &b.admin,
                &PersonDraft {
                    name: "赵六".into(),
                    ..Default::default()
                }
            )
        ),
        Forbidden::ReadOnlyRole(Role::Admin)
    );
    assert_eq!(b.snapshot(), before);

    // Non-admins cannot create stations or accounts.
    let account = NewOfficer {
        station: b.station_a.meta.id,
        username: "new.one".into(),
        display_name: "新民警".into(),
        role: Role::Officer,
        password: PASSWORD.into(),
    };
    for s in [&b.officer_a, &b.chief_a, &b.supervisor, &b.officer_b] {
        assert_eq!(
            forbidden("station", b.service.create_station(s, "新所", "XS")),
            Forbidden::AdminOnly
        );
        assert_eq!(
            forbidden("account", b.service.create_officer(s, &account)),
            Forbidden::AdminOnly
        );
    }
    assert_eq!(b.snapshot(), before);
    assert!(ServiceError::Forbidden(Forbidden::AdminOnly)
        .localize(Lang::Zh)
        .contains("只有管理员"));

    // The admin's own account work: usernames are unique, passwords long enough.
    let mut taken = account.clone();
    taken.username = "Wang.A".into(); // normalised to an existing name
    let e = refused_without_writes(&b, "taken username", || {
        b.service.create_officer(&b.admin, &taken)
    });
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Duplicate {
                index: Index::OfficerByUsername,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(
        e.localize(Lang::En).contains("taken"),
        "{}",
        e.localize(Lang::En)
    );
    let mut short = account.clone();
    short.password = "short".into();
    let e = refused_without_writes(&b, "short password", || {
        b.service.create_officer(&b.admin, &short)
    });
    assert_eq!(e.field(), Some(Field::Password));
    let mut nowhere = account.clone();
    nowhere.station = beatbook::model::Id::new();
    let e = refused_without_writes(&b, "unknown station", || {
        b.service.create_officer(&b.admin, &nowhere)
    });
    assert!(matches!(e, ServiceError::NotFound(Kind::Station)), "{e:?}");
    let created = b
        .service
        .create_officer(&b.admin, &account)
        .expect("admin creates the account");
    assert_eq!(created.meta.station, b.station_a.meta.id);
    let session = b
        .service
        .login("new.one", PASSWORD)
        .expect("new account logs in");
    assert_eq!(session.role(), Role::Officer);
    assert_eq!(session.station_name(), "城关派出所");
    assert_audit_ok(b.store());
}

fn login_err(b: &Bureau, user: &str, password: &str) -> ServiceError {
    refusal(user, b.service.login(user, password))
}

fn officer_record(b: &Bureau, username: &str) -> Officer {
    b.store()
        .officer_by_username(username)
        .expect("lookup")
        .expect("account exists")
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let b = Bureau::new();
    let user = "wang.a";
    let id = b.officer_a.officer();
    let audit_before = b.snapshot().audit;

    for left in [4, 3, 2, 1] {
        match login_err(&b, user, "wrong-password") {
            ServiceError::WrongPassword { tries_left } => assert_eq!(tries_left, left),
            other => panic!("expected WrongPassword, got {other:?}"),
        }
        b.clock.advance(Duration::seconds(10));
    }
    assert_eq!(officer_record(&b, user).failed_logins, 4);
    let wrong = ServiceError::WrongPassword { tries_left: 1 };
    // Told like an unknown username: the words must not reveal that the account exists.
    assert!(wrong.localize(Lang::Zh).contains("用户名或密码错误"));
    assert!(wrong
        .localize(Lang::En)
        .contains("wrong username or password"));

    match login_err(&b, user, "wrong-password") {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 15),
        other => panic!("the 5th failure locks, got {other:?}"),
    }
    let locked_at = b.service.now_utc();
    assert_eq!(
        officer_record(&b, user).locked_until,
        Some(locked_at + Duration::minutes(15))
    );
    // The right password is refused while locked, with the time left (rounded up).
    b.clock.advance(Duration::seconds(30));
    match login_err(&b, user, PASSWORD) {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 15),
        other => panic!("locked account refused, got {other:?}"),
    }
    b.clock.advance(Duration::minutes(5));
    let e = login_err(&b, user, PASSWORD);
    match e {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 10),
        ref other => panic!("still locked, got {other:?}"),
    }
    assert!(e.localize(Lang::En).contains("10 min"));
    assert!(e.localize(Lang::Zh).contains("10 分钟"));
    // Other accounts are not affected.
    b.service
        .login("li.a", PASSWORD)
        .expect("a colleague logs in meanwhile");
    // Still locked one second before the end.
    b.clock
        .advance(Duration::minutes(9) + Duration::seconds(29));
    assert!(matches!(
        login_err(&b, user, PASSWORD),
        ServiceError::Locked { minutes_left: 1 }
    ));
    // 15 minutes after the lock: the right password works and the count is reset.
    b.clock.advance(Duration::seconds(1));
    assert_eq!(b.service.now_utc(), locked_at + Duration::minutes(15));
    let session = b.service.login(user, PASSWORD).expect("lock expired");
    assert_eq!(session.officer(), id);
    let o = officer_record(&b, user);
    assert_eq!(o.failed_logins, 0);
    assert_eq!(o.locked_until, None);
    match login_err(&b, user, "wrong-again") {
        ServiceError::WrongPassword { tries_left } => assert_eq!(tries_left, 4, "count reset"),
        other => panic!("expected WrongPassword, got {other:?}"),
    }

    // Unknown users are refused by name.
    match login_err(&b, "nobody", PASSWORD) {
        ServiceError::UnknownUser(name) => assert_eq!(name, "nobody"),
        other => panic!("expected UnknownUser, got {other:?}"),
    }

    // Every failure, the lock, the refusals and the logins are audited.
    let entries = audit_after(b.store(), audit_before);
    let mine: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor == id)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        mine,
        vec![
            "login.failed",
            "login.failed",
            "login.failed",
            "login.failed",
            "login.locked",
            "login.refused_locked",
            "login.refused_locked",
            "login.refused_locked",
            "login",
            "login.failed",
        ]
    );
    let lock = entries
        .iter()
        .find(|e| e.action == "login.locked")
        .expect("lock audited");
    assert_eq!(lock.record, Some(id), "the lock is written on the account");
    assert_eq!(lock.actor_name, user);
    assert_eq!(lock.station, Some(b.station_a.meta.id));
    let unknown = entries
        .iter()
        .find(|e| e.action == "login.unknown_user")
        .expect("unknown user audited");
    assert!(unknown.detail.contains("nobody"));
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn every_write_is_audited_with_its_actor_and_action() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let mut seen = b.snapshot().audit;
    let station = b.station_a.meta.id;
    let mut expect = |what: &str, record: beatbook::model::Id, writes: usize| {
        let entries = audit_after(b.store(), seen);
        assert!(
            entries.len() >= writes.max(1),
            "{what}: {} new audit entries",
            entries.len()
        );
        assert!(entries.iter().all(|e| e.actor == s.officer()
            && e.actor_name == "wang.a"
            && e.action == what
            && e.station == Some(station)));
        assert!(
            entries.iter().any(|e| e.record == Some(record)),
            "{what}: the entry names the record"
        );
        seen += entries.len();
    };

    let p = create_person(&b.service, s, "王小二", "东关村");
    expect("person.create", p.meta.id, 1);
    let v = b.visit(s, &p, "+1");
    expect("visit.schedule", v.meta.id, 1);
    let mut form = done_form();
    form.next_due = "+7".into();
    let done = b
        .service
        .record_visit_done(s, v.meta.id, v.meta.revision, &form)
        .expect("done");
    let next = done.next.expect("next visit scheduled");
    expect("visit.done", v.meta.id, 2);
    let missed = b
        .service
        .record_visit_missed(
            s,
            next.meta.id,
            next.meta.revision,
            &MissedForm {
                reason: "家中无人".into(),
                next_due: "+3".into(),
            },
        )
        .expect("missed");
    expect("visit.missed", next.meta.id, 2);
    let retry = missed.next.expect("retry scheduled");
    let moved = b
        .service
        .reschedule_visit(
            s,
            retry.meta.id,
            retry.meta.revision,
            &reschedule_form("+5"),
        )
        .expect("rescheduled");
    expect("visit.reschedule", retry.meta.id, 1);
    b.service
        .cancel_visit(s, moved.meta.id, moved.meta.revision, "当事人已搬离")
        .expect("cancelled");
    expect("visit.cancel", moved.meta.id, 1);

    // The records carry the writer too.
    let stored = stored_visit(&b, &moved);
    assert_eq!(stored.status, VisitStatus::Cancelled);
    assert_eq!(stored.meta.changed_by, s.officer());
    assert_eq!(stored.status_reason, "当事人已搬离");
    let kinds: Vec<VisitChangeKind> = stored.history.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        vec![
            VisitChangeKind::Scheduled,
            VisitChangeKind::Rescheduled,
            VisitChangeKind::Cancelled
        ]
    );
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn done_with_a_next_date_schedules_the_linked_follow_up() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let v = b.visit(s, &b.person_a, "0");
    let mut form = done_form();
    form.next_due = "+7".into();
    let saved = b
        .service
        .record_visit_done(s, v.meta.id, v.meta.revision, &form)
        .expect("done");
    let next = saved.next.clone().expect("next visit");
    assert_eq!(saved.visit.status, VisitStatus::Done);
    assert_eq!(saved.visit.outcome, Some(VisitOutcome::Stable));
    assert_eq!(saved.visit.method, VisitMethod::Phone);
    assert_eq!(saved.visit.completed_at, Some(b.service.now_utc()));
    assert_eq!(next.due, date(2026, 12, 2), "7 days after today");
    assert_eq!(next.status, VisitStatus::Scheduled);
    assert_eq!(saved.visit.next_visit, Some(next.meta.id));
    assert_eq!(next.previous_visit, Some(v.meta.id));
    assert_eq!(next.subject, v.subject);
    assert_eq!(next.assigned_to, v.assigned_to);
    assert_eq!(next.meta.station, v.meta.station);
    assert_eq!(next.purpose, v.purpose);
    // As stored, both ways.
    assert_eq!(stored_visit(&b, &v), saved.visit);
    assert_eq!(stored_visit(&b, &next), next);
    let detail = b.service.visit_detail(s, v.meta.id).expect("detail");
    assert_eq!(detail.next_due, Some(date(2026, 12, 2)));
    assert_eq!(
        detail.history.iter().map(|h| h.kind).collect::<Vec<_>>(),
        vec![VisitChangeKind::Scheduled, VisitChangeKind::Done]
    );
    assert_eq!(detail.history[1].by_name, "王建国");
    assert_eq!(detail.person.expect("person card").name, "张三丰");

    // A done visit cannot be done (or anything else) again.
    let rev = saved.visit.meta.revision;
    let id = v.meta.id;
    for (what, e) in [
        (
            "done",
            refused_without_writes(&b, "done again", || {
                b.service.record_visit_done(s, id, rev, &done_form())
            }),
        ),
        (
            "missed",
            refused_without_writes(&b, "missed after done", || {
                b.service
                    .record_visit_missed(s, id, rev, &MissedForm::default())
            }),
        ),
        (
            "reschedule",
            refused_without_writes(&b, "reschedule after done", || {
                b.service
                    .reschedule_visit(s, id, rev, &reschedule_form("+3"))
            }),
        ),
        (
            "cancel",
            refused_without_writes(&b, "cancel after done", || {
                b.service.cancel_visit(s, id, rev, "晚了")
            }),
        ),
    ] {
        assert!(
            matches!(e, ServiceError::VisitNotOpen(VisitStatus::Done)),
            "{what}: {e:?}"
        );
    }

    // A stale revision (the screen read the visit before someone else changed it).
    let stale = next.meta.revision;
    let moved = b
        .service
        .reschedule_visit(&b.chief_a, next.meta.id, stale, &reschedule_form("+9"))
        .expect("chief moves it");
    assert_eq!(moved.meta.revision, stale + 1);
    let e = refused_without_writes(&b, "stale", || {
        b.service
            .record_visit_done(s, next.meta.id, stale, &done_form())
    });
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Conflict {
                kind: Kind::Visit,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(e.localize(Lang::En).contains("Refresh"));
    assert_eq!(stored_visit(&b, &next), moved);

    // Missed with a retry date links the same way.
    let missed = b
        .service
        .record_visit_missed(
            s,
            moved.meta.id,
            moved.meta.revision,
            &MissedForm {
                reason: "电话未接".into(),
                next_due: "2026-11-27".into(),
            },
        )
        .expect("missed");
    let retry = missed.next.expect("retry");
    assert_eq!(missed.visit.status, VisitStatus::Missed);
    assert_eq!(missed.visit.status_reason, "电话未接");
    assert_eq!(retry.due, date(2026, 11, 27));
    assert_eq!(retry.previous_visit, Some(moved.meta.id));
    assert_eq!(missed.visit.next_visit, Some(retry.meta.id));
    // Done without a next date schedules nothing.
    let before = b.snapshot();
    let last = b
        .service
        .record_visit_done(s, retry.meta.id, retry.meta.revision, &done_form())
        .expect("done");
    assert!(last.next.is_none());
    assert_eq!(last.visit.next_visit, None);
    assert_eq!(b.snapshot().visits, before.visits);
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

/// Checks that a validation refusal names `field`, in both languages for the errors
/// whose message is about the field.
fn assert_names_field(what: &str, e: &ServiceError, field: Field) {
    assert_eq!(e.field(), Some(field), "{what}: {e:?}");
    if let ServiceError::Invalid(
        ValidationError::Required(_)
        | ValidationError::TooLong { .. }
        | ValidationError::ControlCharacters(_)
        | ValidationError::ControlCharacter { .. }
        | ValidationError::InvalidDate { .. }
        | ValidationError::DateInPast { .. },
    ) = e
    {
        for lang in [Lang::En, Lang::Zh] {
            let msg = e.localize(lang);
            assert!(
                msg.contains(&field.localize(lang)),
                "{what}: '{msg}' names {field:?}"
            );
        }
    }
}

#[test]
fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let v = b.visit(s, &b.person_a, "+1");
    let (id, rev) = (v.meta.id, v.meta.revision);
    let long = "字".repeat(10_000);

    let done_with = |f: fn(&mut DoneForm)| {
        let mut form = done_form();
        f(&mut form);
        form
    };
    let done_cases: Vec<(&str, DoneForm, Field)> = vec![
        (
            "empty outcome",
            done_with(|f| f.outcome = None),
            Field::Outcome,
        ),
        (
            "10,000-character note",
            DoneForm {
                notes: long.clone(),
                ..done_form()
            },
            Field::Notes,
        ),
        (
            "control characters in the note",
            done_with(|f| f.notes = "情况\u{7}稳定\u{1b}[31m".into()),
            Field::Notes,
        ),
        (
            "impossible next date",
            done_with(|f| f.next_due = "2026-02-30".into()),
            Field::NextVisit,
        ),
        (
            "next date in the past",
            done_with(|f| f.next_due = "-1".into()),
            Field::NextVisit,
        ),
    ];
    for (what, form, field) in done_cases {
        let e = refused_without_writes(&b, what, || b.service.record_visit_done(s, id, rev, &form));
        assert_names_field(what, &e, field);
    }
    let e = refused_without_writes(&b, "long miss reason", || {
        b.service.record_visit_missed(
            s,
            id,
            rev,
            &MissedForm {
                reason: long.clone(),
                next_due: String::new(),
            },
        )
    });
    assert_names_field("long miss reason", &e, Field::Reason);

    let reschedule_cases: Vec<(&str, RescheduleForm, Field)> = vec![
        (
            "reschedule without reason",
            RescheduleForm {
                new_due: "+3".into(),
                reason: "   ".into(),
            },
            Field::Reason,
        ),
        (
            "reschedule to an impossible date",
            reschedule_form("2026-02-30"),
            Field::DueDate,
        ),
        (
            "reschedule into the past",
            reschedule_form("2026-11-24"),
            Field::DueDate,
        ),
        (
            "reschedule to the same day",
            reschedule_form("2026-11-26"),
            Field::DueDate,
        ),
        (
            "control characters in the reason",
            RescheduleForm {
                new_due: "+3".into(),
                reason: "\u{1b}[2J改期".into(),
            },
            Field::Reason,
        ),
    ];
    for (what, form, field) in reschedule_cases {
        let e = refused_without_writes(&b, what, || b.service.reschedule_visit(s, id, rev, &form));
        assert_names_field(what, &e, field);
    }
    let e = refused_without_writes(&b, "cancel without reason", || {
        b.service.cancel_visit(s, id, rev, "")
    });
    assert_names_field("cancel without reason", &e, Field::Reason);
    assert_eq!(stored_visit(&b, &v), v, "the visit is untouched");

    let visit_with = |f: fn(&mut NewVisitForm)| {
        let mut form = new_visit(&b.person_a, "+2");
        f(&mut form);
        form
    };
    let schedule_cases: Vec<(&str, NewVisitForm, Field)> = vec![
        (
            "due in the past",
            visit_with(|f| f.due = "-1".into()),
            Field::DueDate,
        ),
        (
            "due yesterday as a date",
            visit_with(|f| f.due = "2026-11-24".into()),
            Field::DueDate,
        ),
        (
            "impossible due date",
            visit_with(|f| f.due = "2026-02-30".into()),
            Field::DueDate,
        ),
        (
            "no due date",
            visit_with(|f| f.due = " ".into()),
            Field::DueDate,
        ),
        (
            "due 800 years ahead (typed as days)",
            visit_with(|f| f.due = "+300000".into()),
            Field::DueDate,
        ),
        ("no person", visit_with(|f| f.person = None), Field::Person),
        (
            "empty purpose",
            visit_with(|f| f.purpose = "".into()),
            Field::Purpose,
        ),
        (
            "control characters in the purpose",
            visit_with(|f| f.purpose = "走访\u{0}".into()),
            Field::Purpose,
        ),
        (
            "10,000-character note",
            NewVisitForm {
                notes: long.clone(),
                ..new_visit(&b.person_a, "+2")
            },
            Field::Notes,
        ),
    ];
    for (what, form, field) in schedule_cases {
        let e = refused_without_writes(&b, what, || b.service.schedule_visit(s, &form));
        assert_names_field(what, &e, field);
    }

    let person = |f: fn(&mut PersonDraft)| {
        let mut d = PersonDraft {
            name: "赵六".into(),
            village: "东关村".into(),
            ..Default::default()
        };
        f(&mut d);
        d
    };
    let person_cases: Vec<(&str, PersonDraft, Field)> = vec![
        ("empty name", person(|d| d.name = " ".into()), Field::Name),
        (
            "control characters in the name",
            person(|d| d.name = "赵\u{7}六".into()),
            Field::Name,
        ),
        (
            "10,000-character note",
            PersonDraft {
                notes: long.clone(),
                ..person(|_| {})
            },
            Field::Notes,
        ),
        (
            "wrong check character",
            person(|d| d.id_number = "110105194912310021".into()),
            Field::IdNumber,
        ),
        (
            "impossible birth date",
            person(|d| d.birth_date = "2026-02-30".into()),
            Field::BirthDate,
        ),
        ("bad phone", person(|d| d.phone = "12".into()), Field::Phone),
        (
            "birth date in the future",
            person(|d| d.birth_date = "+1".into()),
            Field::BirthDate,
        ),
        (
            "ID number of someone born after today",
            person(|d| d.id_number = common::resident_id(date(2027, 3, 1), 11)),
            Field::IdNumber,
        ),
    ];
    for (what, draft, field) in person_cases {
        let e = refused_without_writes(&b, what, || b.service.create_person(s, &draft));
        assert_names_field(what, &e, field);
    }
    // The far date and the future-born ID number are refused for what they are.
    let e = refusal(
        "far due",
        b.service
            .schedule_visit(s, &new_visit(&b.person_a, "+300000")),
    );
    assert!(
        matches!(
            e,
            ServiceError::Invalid(ValidationError::InvalidDate {
                field: Field::DueDate,
                ..
            })
        ),
        "{e:?}"
    );
    let e = refusal(
        "future-born",
        b.service.create_person(
            s,
            &PersonDraft {
                name: "赵六".into(),
                id_number: common::resident_id(date(2026, 11, 26), 11),
                ..Default::default()
            },
        ),
    );
    assert!(
        matches!(e, ServiceError::Invalid(ValidationError::IdNumberBirthDate)),
        "{e:?}"
    );
    // Born today is fine.
    let p = b
        .service
        .create_person(
            s,
            &PersonDraft {
                name: "新生儿".into(),
                id_number: common::resident_id(date(2026, 11, 25), 12),
                ..Default::default()
            },
        )
        .expect("born today");
    assert_eq!(p.birth_date, Some(date(2026, 11, 25)));
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn duplicate_id_number_names_the_existing_person() {
    let b = Bureau::new();
    let number = b
        .person_a
        .id_number
        .clone()
        .expect("fixture person has an ID number");
    // Typed differently (spaces, lower-case x) it is still the same number.
    let typed = format!(
        " {} {} ",
        &number.as_str()[..6],
        number.as_str()[6..].to_lowercase()
    );
    let e = refused_without_writes(&b, "duplicate", || {
        b.service.create_person(
            &b.officer_a,
            &PersonDraft {
                name: "张三".into(),
                id_number: typed.clone(),
                ..Default::default()
            },
        )
    });
    match &e {
        ServiceError::DuplicateIdNumber {
            name,
            birth_year,
            village,
        } => {
            assert_eq!(name, "张三丰");
            assert_eq!(*birth_year, b.person_a.birth_year());
            assert_eq!(village, "东关村");
        }
        other => panic!("expected DuplicateIdNumber, got {other:?}"),
    }
    assert_eq!(e.field(), Some(Field::IdNumber));
    assert!(e.localize(Lang::Zh).contains("张三丰"));
    assert!(e.localize(Lang::En).contains("张三丰"));
    // The number is unique across the whole bureau, not per station.
    let e = refused_without_writes(&b, "duplicate elsewhere", || {
        b.service.create_person(
            &b.officer_b,
            &PersonDraft {
                name: "张三".into(),
                id_number: number.to_string(),
                ..Default::default()
            },
        )
    });
    // …and an officer of another station learns that, but not who holds it.
    assert!(
        matches!(e, ServiceError::DuplicateIdNumberElsewhere),
        "{e:?}"
    );
    assert!(!e.localize(Lang::Zh).contains("张三丰"));
    assert!(!e.localize(Lang::En).contains("东关村"));
    // Gender and birth date come from the number.
    let p = create_person(&b.service, &b.officer_a, "新人", "西关村");
    let n = p.id_number.clone().expect("number");
    assert_eq!(p.birth_date, n.birth_date());
    assert_eq!(p.gender, n.gender());
    assert_eq!(
        b.store()
            .person_by_id_number(&n)
            .expect("lookup")
            .map(|q| q.meta.id),
        Some(p.meta.id)
    );
    assert_indexes_ok(b.store());
}

fn row_dues(view: &beatbook::service::TodayView) -> Vec<(chrono::NaiveDate, Urgency, i64)> {
    view.rows
        .iter()
        .map(|r| (r.due, r.urgency, r.days_overdue))
        .collect()
}

#[test]
fn today_list_buckets_window_and_scopes() {
    // Visits are scheduled on 2026-11-20, then the list is read on 2026-11-25 through a
    // FixedClock.
    let b = Bureau::new_at(at(2026, 11, 20, 9, 0));
    let a = &b.officer_a;
    for due in [
        "2026-11-20",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-12-02",
        "2026-12-03",
    ] {
        b.visit(a, &b.person_a, due);
    }
    for due in ["2026-11-23", "2026-11-27"] {
        b.visit(&b.officer_a2, &b.person_a, due);
    }
    // History is not owed: a done and a cancelled visit stay off the list.
    let done = b.visit(a, &b.person_a, "2026-11-21");
    b.service
        .record_visit_done(a, done.meta.id, done.meta.revision, &done_form())
        .expect("done");
    let cancelled = b.visit(a, &b.person_a, "2026-11-25");
    b.service
        .cancel_visit(a, cancelled.meta.id, cancelled.meta.revision, "重复")
        .expect("cancelled");
    let vb = b.visit(&b.officer_b, &b.person_b, "2026-11-25");

    let b = b.reopen_fixed(at(2026, 11, 25, 9, 0));
    let d = |m, day| date(2026, m, day);
    let mine = b
        .service
        .today_list(&b.officer_a, Scope::Mine)
        .expect("mine");
    assert_eq!(mine.today, d(11, 25));
    assert_eq!(mine.until, d(12, 2), "7-day window");
    assert_eq!(
        row_dues(&mine),
        vec![
            (d(11, 20), Urgency::Overdue, 5),
            (d(11, 24), Urgency::Overdue, 1),
            (d(11, 25), Urgency::DueToday, 0),
            (d(11, 26), Urgency::Upcoming, 0),
            (d(12, 2), Urgency::Upcoming, 0),
        ]
    );
    assert_eq!(mine.count(Urgency::Overdue), 2);
    assert_eq!(mine.count(Urgency::DueToday), 1);
    assert_eq!(mine.count(Urgency::Upcoming), 2);
    assert!(mine.rows.iter().all(|r| r.mine && r.may_change));
    assert!(mine
        .rows
        .iter()
        .all(|r| r.person_name == "张三丰" && r.village == "东关村" && r.officer_name == "王建国"));

    let station = b
        .service
        .today_list(&b.officer_a, Scope::Station)
        .expect("station");
    assert_eq!(
        station.rows.iter().map(|r| r.due).collect::<Vec<_>>(),
        vec![
            d(11, 20),
            d(11, 23),
            d(11, 24),
            d(11, 25),
            d(11, 26),
            d(11, 27),
            d(12, 2)
        ]
    );
    let colleague: Vec<_> = station.rows.iter().filter(|r| !r.mine).collect();
    assert_eq!(colleague.len(), 2);
    assert!(colleague
        .iter()
        .all(|r| !r.may_change && r.officer_name == "李卫东"));
    assert!(station.rows.iter().all(|r| r.visit != vb.meta.id));

    let chief = b
        .service
        .today_list(&b.chief_a, Scope::Station)
        .expect("chief");
    assert_eq!(chief.rows.len(), 7);
    assert!(chief.rows.iter().all(|r| r.may_change && !r.mine));
    assert!(b
        .service
        .today_list(&b.chief_a, Scope::Mine)
        .expect("chief's own")
        .rows
        .is_empty());
    let other = b
        .service
        .today_list(&b.officer_b, Scope::Station)
        .expect("B");
    assert_eq!(
        other.rows.iter().map(|r| r.visit).collect::<Vec<_>>(),
        vec![vb.meta.id]
    );
    let bureau = b
        .service
        .today_list(&b.supervisor, Scope::Bureau)
        .expect("bureau");
    assert_eq!(bureau.rows.len(), 8);
    assert!(bureau.rows.windows(2).all(|w| w[0].due <= w[1].due));

    // A day later the window moves: 11-25 is overdue, 12-03 comes in.
    let b = b.reopen_fixed(at(2026, 11, 26, 8, 0));
    let mine = b
        .service
        .today_list(&b.officer_a, Scope::Mine)
        .expect("mine");
    assert_eq!(
        row_dues(&mine),
        vec![
            (d(11, 20), Urgency::Overdue, 6),
            (d(11, 24), Urgency::Overdue, 2),
            (d(11, 25), Urgency::Overdue, 1),
            (d(11, 26), Urgency::DueToday, 0),
            (d(12, 2), Urgency::Upcoming, 0),
            (d(12, 3), Urgency::Upcoming, 0),
        ]
    );
    // Recording a row takes it off the list.
    let row = &mine.rows[0];
    b.service
        .record_visit_done(&b.officer_a, row.visit, row.revision, &done_form())
        .expect("done from the list");
    let after = b
        .service
        .today_list(&b.officer_a, Scope::Mine)
        .expect("mine");
    assert_eq!(after.rows.len(), 5);
    assert!(after.rows.iter().all(|r| r.visit != row.visit));
}

#[test]
fn export_writes_every_record_without_password_hashes_and_is_audited() {
    let b = Bureau::new();
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    b.service
        .record_visit_done(&b.officer_a, v.meta.id, v.meta.revision, &done_form())
        .expect("done");
    let audit_before = b.snapshot().audit;
    let mut out = Vec::new();
    let summary = b.service.export_jsonl(&mut out, "admin").expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let snap = b.snapshot();
    assert_eq!(
        lines.len(),
        snap.stations + snap.officers + snap.persons + snap.visits
    );
    assert_eq!(summary.total(), lines.len());
    assert!(!text.contains("password_hash") && !text.contains("$argon2"));
    let visit = lines
        .iter()
        .find(|l| l["kind"] == "visit" && l["meta"]["id"] == v.meta.id.to_string())
        .expect("the visit is exported");
    assert_eq!(visit["status"], "done");
    assert_eq!(visit["outcome"], "stable");
    let officers = lines.iter().filter(|l| l["kind"] == "officer").count();
    assert_eq!(officers, 7);
    // Audited before the first byte and at the end (issue 11).
    let entries = audit_after(b.store(), audit_before);
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export.started", "export"]);
    assert!(entries.iter().all(|e| e.detail.contains("admin")));
    assert_audit_ok(b.store());
}

#[test]
fn sessions_carry_role_and_station() {
    let b = Bureau::new();
    let check = |s: &Session, user: &str, role: Role, station: &str| {
        assert_eq!(s.username(), user);
        assert_eq!(s.role(), role);
        assert_eq!(s.station_name(), station);
        assert!(!s.must_change_password());
    };
    check(&b.officer_a, "wang.a", Role::Officer, "城关派出所");
    check(&b.chief_b, "sun.chief", Role::Chief, "河西派出所");
    check(&b.supervisor, "fa.zhi", Role::Supervisor, "城关派出所");
    check(&b.admin, "admin", Role::Admin, "城关派出所");
    // Usernames are case- and space-insensitive at login.
    let s = b.service.login("  WANG.A ", PASSWORD).expect("login");
    assert_eq!(s.officer(), b.officer_a.officer());
    // The first-run setup is refused once a station exists.
    let e = refusal(
        "setup again",
        b.service
            .set_up_first_station(&beatbook::service::FirstStation {
                station_name: "另一个所".into(),
                station_code: "LY".into(),
                admin_username: "root".into(),
                admin_display_name: String::new(),
                password: PASSWORD.into(),
                password_again: PASSWORD.into(),
            }),
    );
    assert!(matches!(e, ServiceError::AlreadySetUp), "{e:?}");
}

#[test]
fn first_run_setup_refuses_bad_input_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = common::open_service(
        dir.path(),
        std::sync::Arc::new(beatbook::service::FixedClock(common::start_time())),
    );
    assert!(service.needs_setup());
    let good = beatbook::service::FirstStation {
        station_name: "城关派出所".into(),
        station_code: "CG".into(),
        admin_username: "admin".into(),
        admin_display_name: String::new(),
        password: PASSWORD.into(),
        password_again: PASSWORD.into(),
    };
    let cases: Vec<(&str, beatbook::service::FirstStation, Field)> = vec![
        (
            "passwords differ",
            beatbook::service::FirstStation {
                password_again: "something-else".into(),
                ..good.clone()
            },
            Field::PasswordAgain,
        ),
        (
            "short password",
            beatbook::service::FirstStation {
                password: "short".into(),
                password_again: "short".into(),
                ..good.clone()
            },
            Field::Password,
        ),
        (
            "Chinese username",
            beatbook::service::FirstStation {
                admin_username: "王警官".into(),
                ..good.clone()
            },
            Field::Username,
        ),
        (
            "empty station name",
            beatbook::service::FirstStation {
                station_name: " ".into(),
                ..good.clone()
            },
            Field::StationName,
        ),
    ];
    for (what, form, field) in cases {
        let e = refusal(what, service.set_up_first_station(&form));
        assert_eq!(e.field(), Some(field), "{what}: {e:?}");
        assert!(service.needs_setup(), "{what}: nothing written");
        assert_eq!(service.store().audit_entries().count(), 0, "{what}");
    }
    let (station, admin) = service.set_up_first_station(&good).expect("set up");
    assert!(!service.needs_setup());
    assert_eq!(admin.meta.station, station.meta.id);
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(
        admin.display_name, "admin",
        "display name defaults to the username"
    );
    let entries = common::audit(service.store());
    assert_eq!(entries.len(), 2, "one entry per record written");
    assert!(entries
        .iter()
        .all(|e| e.action == "setup.first_station" && e.actor == beatbook::model::Id::SYSTEM));
    let session = service.login("admin", PASSWORD).expect("admin logs in");
    assert_eq!(session.station(), station.meta.id);
    assert_audit_ok(service.store());
}
