//! Findings on visits and flags, overdue first; month counts by local date and history.

use super::*;

#[test]
fn findings_on_visits_and_flags_and_overdue_first() {
    let b = Bureau::new();
    let s = &b.service;
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    let flag = s
        .flag_person(
            &b.officer_a,
            b.person_a.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                subcategories: Vec::new(),
                level: Some(RiskLevel::Orange),
                basis: "多次扬言上访".into(),
                source: String::new(),
                responsible: None,
                next_review: String::new(),
            },
        )
        .expect("flagged");
    let on = |target, id, deadline: &str| NewFinding {
        target,
        target_id: id,
        problem: Some("visit_not_made".into()),
        description: "走访记录缺失".into(),
        deadline: deadline.into(),
    };
    let fv = s
        .create_finding(&b.supervisor, &on(TargetKind::Visit, v.meta.id, "+2"))
        .expect("on a visit");
    assert!(fv.target_label.starts_with("张三丰"), "{}", fv.target_label);
    let ff = s
        .create_finding(&b.supervisor, &on(TargetKind::Flag, flag.meta.id, "+9"))
        .expect("on a flag");
    assert_eq!(ff.target_label, "张三丰");
    assert_eq!(
        s.target_findings(&b.supervisor, flag.meta.id)
            .expect("flag's")
            .len(),
        1
    );

    // Five days on, the visit finding is overdue and leads Today; the flag one is not.
    let b = b.reopen_fixed(at(2026, 11, 30, 9, 0));
    let s = &b.service;
    let rows = s.today_findings(&b.chief_a).expect("today");
    assert_eq!(rows.len(), 2);
    assert!(rows[0].overdue && rows[0].finding.meta.id == fv.meta.id);
    assert_eq!(rows[0].days_overdue, 3);
    assert!(!rows[1].overdue);
    let overdue = s
        .station_findings(
            &b.supervisor,
            Some(b.station_a.meta.id),
            &FindingFilter {
                overdue_only: true,
                ..Default::default()
            },
        )
        .expect("overdue only");
    assert_eq!(overdue.len(), 1);
    // Answered, it is no longer overdue even though the date has passed.
    let r = s
        .rectify_finding(&b.officer_a, fv.meta.id, fv.meta.revision, "已补走访")
        .expect("answer");
    assert!(!r.is_overdue(date(2026, 11, 30)));
    let rectified = s
        .station_findings(
            &b.supervisor,
            None,
            &FindingFilter {
                status: Some(FindingStatus::Rectified),
                ..Default::default()
            },
        )
        .expect("by status");
    assert_eq!(rectified.len(), 1);
    assert_indexes_ok(b.store());
}

#[test]
fn month_counts_use_local_dates_and_history() {
    // 2026-11-30 23:30 in China is still November there (UTC says 15:30 the same day;
    // 2026-12-01 07:00 local is 2026-11-30 23:00 UTC and must count in December).
    let b = Bureau::new_at(at(2026, 11, 2, 9, 0));
    let d = dispute_a(&b);
    let s = &b.service;
    let f1 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "2026-11-10"))
        .expect("early November, deadline passes in November");
    let f2 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "2026-12-20"))
        .expect("deadline in December");
    b.clock.set(at(2026, 11, 30, 23, 30));
    let f2 = s
        .rectify_finding(&b.officer_a, f2.meta.id, f2.meta.revision, "已整改")
        .expect("answered in November");
    b.clock.set(at(2026, 12, 1, 7, 0));
    let f2 = s
        .return_finding(&b.supervisor, f2.meta.id, f2.meta.revision, "不完整")
        .expect("returned on 1 December local time");
    let _ = f2;
    b.clock.set(at(2026, 12, 3, 9, 0));
    let f3 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+1"))
        .expect("December finding");
    let f3 = s
        .rectify_finding(&b.chief_a, f3.meta.id, f3.meta.revision, "ok")
        .expect("answered");
    s.accept_finding(&b.supervisor, f3.meta.id, f3.meta.revision, "")
        .expect("accepted");

    let nov = s
        .findings_counts(&b.supervisor, Some(b.station_a.meta.id), 2026, 11)
        .expect("november");
    assert_eq!(nov.opened, 2);
    assert_eq!(nov.rectified, 1);
    assert_eq!(nov.returned, 0, "the return was on 1 December local time");
    assert_eq!(nov.accepted, 0);
    assert_eq!(
        nov.overdue, 1,
        "f1 owed past 10 November at the month's end"
    );
    assert_eq!(nov.unresolved, 2);

    let dec = s
        .findings_counts(&b.chief_a, None, 2026, 12)
        .expect("december so far, chief's own station");
    assert_eq!(dec.opened, 1);
    assert_eq!(dec.rectified, 1);
    assert_eq!(dec.returned, 1);
    assert_eq!(dec.accepted, 1);
    assert_eq!(
        dec.overdue, 1,
        "f1 still owed; f2 returned but due 20 December"
    );
    assert_eq!(dec.unresolved, 2);
    let _ = f1;

    // Other stations have nothing; a chief cannot count another station; bad months fail.
    let other = s
        .findings_counts(&b.supervisor, Some(b.station_b.meta.id), 2026, 11)
        .expect("station B");
    assert_eq!(other, Default::default());
    assert!(s
        .findings_counts(&b.chief_b, Some(b.station_a.meta.id), 2026, 11)
        .is_err());
    let e = s
        .findings_counts(&b.supervisor, None, 2026, 13)
        .expect_err("no month 13");
    assert_eq!(e.field(), Some(Field::Month));
}
