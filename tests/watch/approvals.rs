//! Approvals: a red removal or lowering by an officer waits for the chief; the flag form.

use super::*;

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
