//! Permissions per role and station: who may read, record and manage what.

use super::*;

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
