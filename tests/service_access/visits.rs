//! Visit transitions that schedule follow-ups, and the Today list.

use super::*;

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
