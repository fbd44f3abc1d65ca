//! Deadlines, follow-ups, alerts and extensions across month ends and leap years.

use super::*;

#[test]
fn acceptance_deadlines_across_month_ends_and_leap_years() {
    let b = Bureau::new();
    let s = &b.service;
    let o = &b.officer_a;
    // (accepted at, complexity, mediation deadline)
    let cases = [
        (
            at(2026, 1, 30, 9, 0),
            Complexity::Ordinary,
            date(2026, 2, 4),
        ),
        (
            at(2026, 1, 30, 9, 0),
            Complexity::Complex,
            date(2026, 2, 14),
        ),
        (
            at(2026, 1, 31, 23, 30),
            Complexity::Ordinary,
            date(2026, 2, 5),
        ),
        (
            at(2026, 2, 26, 8, 0),
            Complexity::Ordinary,
            date(2026, 3, 3),
        ),
        (
            at(2028, 2, 26, 8, 0),
            Complexity::Ordinary,
            date(2028, 3, 2),
        ),
        (at(2028, 2, 20, 8, 0), Complexity::Complex, date(2028, 3, 6)),
        (
            at(2026, 12, 29, 17, 0),
            Complexity::Complex,
            date(2027, 1, 13),
        ),
        (
            at(2026, 12, 31, 0, 5),
            Complexity::Ordinary,
            date(2027, 1, 5),
        ),
    ];
    for (when, complexity, deadline) in cases {
        b.clock.set(when);
        let (p, q) = fresh_pair(&b, o);
        let mut draft = common::disputes::land_draft("期限测试", &[&p, &q], &[]);
        draft.complexity = complexity;
        let d = s.register_dispute(o, &draft, None, None).expect("register");
        let d = s
            .accept_dispute(o, d.meta.id, d.meta.revision)
            .expect("accept");
        assert_eq!(d.accepted_on, Some(when.date_naive()), "{when}");
        assert_eq!(
            d.mediation_deadline,
            Some(deadline),
            "{when} {complexity:?}"
        );
        assert_eq!(
            d.feedback_due,
            Some(utc(when + Duration::hours(24))),
            "{when}"
        );
        let r = row(&b, o, &d, &RegisterFilter::default()).expect("listed");
        assert_eq!(r.summary.deadline, Some(deadline));
        // The deadline runs to the end of its day.
        b.clock.set(
            deadline
                .and_hms_opt(23, 59, 0)
                .expect("time")
                .and_local_timezone(FixedOffset::east_opt(8 * 3600).expect("+8"))
                .single()
                .expect("instant"),
        );
        assert_eq!(
            alerts(&b, o, &d, true).first(),
            Some(&AlertKind::DeadlineSoon)
        );
        b.clock.advance(Duration::minutes(2));
        assert_eq!(
            alerts(&b, o, &d, true).first(),
            Some(&AlertKind::DeadlineOverdue { days: 1 })
        );
    }
}

#[test]
fn follow_ups_across_leap_day_and_month_ends_for_the_disputes_officer() {
    let b = Bureau::new_at(at(2028, 2, 28, 9, 0));
    let s = &b.service;
    let chief = &b.chief_a;

    // The chief registers for the colleague and resolves: the visits are the
    // colleague's, written by the chief.
    let (p, q) = fresh_pair(&b, chief);
    let draft = common::disputes::land_draft("闰年宅基地纠纷", &[&p, &q], &[]);
    let d = s
        .register_dispute(chief, &draft, Some(b.officer_a2.officer()), None)
        .expect("register for a colleague");
    assert_eq!(d.assigned_to, b.officer_a2.officer());
    let d = act(&b, chief, &d, Accept).expect("accept");
    let (d, visits) = s
        .resolve_dispute(
            chief,
            d.meta.id,
            d.meta.revision,
            &resolve_form("2028-02-28"),
        )
        .expect("resolve");
    let dues: Vec<NaiveDate> = visits.iter().map(|v| v.due).collect();
    assert_eq!(
        dues,
        [
            date(2028, 2, 29),
            date(2028, 3, 2),
            date(2028, 3, 6),
            date(2028, 3, 29)
        ]
    );
    for v in &visits {
        assert_eq!(v.assigned_to, b.officer_a2.officer());
        assert_eq!(v.meta.changed_by, chief.officer());
        assert_eq!(v.subject.dispute, Some(d.meta.id));
    }
    let mine = s.today_list(&b.officer_a2, Scope::Mine).expect("today");
    let listed: Vec<NaiveDate> = mine
        .rows
        .iter()
        .filter(|r| r.purpose.contains("闰年宅基地纠纷"))
        .map(|r| r.due)
        .collect();
    assert_eq!(listed, &dues[..3]);
    assert!(s
        .today_list(&b.officer_a, Scope::Mine)
        .expect("today")
        .rows
        .iter()
        .all(|r| !r.purpose.contains("闰年宅基地纠纷")));

    // Red disputes are also visited weekly inside the plan.
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let red = register(
        s,
        &b.officer_a,
        "扬言持刀的宅基地纠纷",
        &[&p, &q],
        &["weapons"],
    );
    assert_eq!(red.risk, beatbook::model::RiskLevel::Red);
    let red = act(&b, &b.officer_a, &red, Accept).expect("accept");
    let (red, red_visits) = s
        .resolve_dispute(
            &b.officer_a,
            red.meta.id,
            red.meta.revision,
            &resolve_form("today"),
        )
        .expect("resolve red");
    let red_dues: Vec<NaiveDate> = red_visits.iter().map(|v| v.due).collect();
    assert_eq!(
        red_dues,
        [
            date(2028, 2, 29),
            date(2028, 3, 2),
            date(2028, 3, 6),
            date(2028, 3, 13),
            date(2028, 3, 20),
            date(2028, 3, 27),
            date(2028, 3, 29)
        ]
    );

    // Every planned visit made: a red dispute gets its next weekly visit, so it is not
    // closable until that one is made or cancelled.
    for v in &red_visits {
        morning(&b, v.due);
        visit_done(&b, &b.officer_a, v);
    }
    let open = open_visits_of(&b, &red);
    assert_eq!(
        open.iter().map(|v| v.due).collect::<Vec<_>>(),
        [date(2028, 4, 5)]
    );
    assert_eq!(open[0].subject.dispute, Some(red.meta.id));
    assert_eq!(open[0].assigned_to, b.officer_a.officer());
    assert_eq!(
        row(&b, chief, &red, &RegisterFilter::default()).map(|r| r.closable),
        Some(false)
    );
    cancel_open_follow_ups(&b, chief, &red);
    assert_eq!(
        row(&b, chief, &red, &RegisterFilter::default()).map(|r| r.closable),
        Some(true)
    );
    let red = act(&b, chief, &reload(&b, &red), Close).expect("close red");
    assert_eq!(red.status, Closed);

    // Blue disputes resolved at month and year ends.
    let cases = [
        (
            at(2026, 1, 31, 9, 0),
            [
                date(2026, 2, 1),
                date(2026, 2, 3),
                date(2026, 2, 7),
                date(2026, 3, 2),
            ],
        ),
        (
            at(2026, 12, 31, 9, 0),
            [
                date(2027, 1, 1),
                date(2027, 1, 3),
                date(2027, 1, 7),
                date(2027, 1, 30),
            ],
        ),
        (
            at(2027, 2, 28, 9, 0),
            [
                date(2027, 3, 1),
                date(2027, 3, 3),
                date(2027, 3, 7),
                date(2027, 3, 30),
            ],
        ),
    ];
    for (when, want) in cases {
        b.clock.set(when);
        let (p, q) = fresh_pair(&b, &b.officer_a);
        let d = register(s, &b.officer_a, "月末化解", &[&p, &q], &[]);
        let d = act(&b, &b.officer_a, &d, Accept).expect("accept");
        let (_, visits) = s
            .resolve_dispute(
                &b.officer_a,
                d.meta.id,
                d.meta.revision,
                &resolve_form("today"),
            )
            .expect("resolve");
        assert_eq!(
            visits.iter().map(|v| v.due).collect::<Vec<_>>(),
            want,
            "{when}"
        );
    }
    assert_indexes_ok(b.store());
}

#[test]
fn alerts_for_contact_deadlines_feedback_and_extensions() {
    let b = Bureau::new();
    let s = &b.service;
    let (o, chief) = (&b.officer_a, &b.chief_a);
    let (p, q) = fresh_pair(&b, o);
    let red = register(s, o, "扬言报复的纠纷", &[&p, &q], &["violence_threat"]);
    assert_eq!(red.risk, beatbook::model::RiskLevel::Red);
    let red = act(&b, o, &red, Accept).expect("accept");
    let red = act(&b, o, &red, RecordFeedback).expect("feedback");
    let (p, q) = fresh_pair(&b, o);
    let blue = register(s, o, "普通邻里纠纷", &[&p, &q], &[]);
    let blue = act(&b, o, &blue, Accept).expect("accept");

    // Feedback owed from acceptance until given.
    assert_eq!(alerts(&b, o, &blue, true), [AlertKind::FeedbackDue]);
    assert!(alerts(&b, o, &red, true).is_empty());

    // Red with no contact for 3 days (accepted 11-25): alert on 11-28, not on 11-27.
    morning(&b, date(2026, 11, 27));
    assert!(alerts(&b, o, &red, true).is_empty());
    morning(&b, date(2026, 11, 28));
    assert_eq!(
        alerts(&b, o, &red, true),
        [AlertKind::NoContact { days: 3 }]
    );
    assert!(!alerts(&b, o, &blue, true)
        .iter()
        .any(|k| matches!(k, AlertKind::NoContact { .. })));
    // The colleague sees it station-wide, not among their own.
    assert!(alerts(&b, &b.officer_a2, &red, true).is_empty());
    let wide = s.dispute_alerts(&b.officer_a2, false).expect("alerts");
    let a = wide
        .iter()
        .find(|a| a.dispute == red.meta.id)
        .expect("station-wide alert");
    assert!(!a.mine);
    assert_eq!(a.officer_name, "王建国");
    // A session is contact.
    let red = s
        .record_session(o, red.meta.id, red.meta.revision, &session_form("today"))
        .expect("session");
    assert!(alerts(&b, o, &red, true).is_empty());
    morning(&b, date(2026, 11, 29));
    assert!(alerts(&b, o, &red, true).is_empty());

    // Deadline 11-30: due within 24 h on the day, overdue after.
    morning(&b, date(2026, 11, 30));
    assert!(alerts(&b, o, &red, true).contains(&AlertKind::DeadlineSoon));
    assert!(alerts(&b, o, &blue, true).contains(&AlertKind::DeadlineSoon));
    morning(&b, date(2026, 12, 3));
    assert_eq!(
        alerts(&b, o, &blue, true),
        [
            AlertKind::DeadlineOverdue { days: 3 },
            AlertKind::FeedbackDue
        ]
    );
    assert!(alerts(&b, o, &red, true).contains(&AlertKind::DeadlineOverdue { days: 3 }));
    assert!(alerts(&b, o, &red, true).contains(&AlertKind::NoContact { days: 5 }));
    let overdue = RegisterFilter {
        overdue_only: true,
        ..Default::default()
    };
    let rows = s
        .dispute_register(chief, &overdue, RegisterSort::Deadline)
        .expect("overdue view");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].summary.id, red.meta.id, "same deadline: red first");

    // An extension request waits for the chief (and only the chief is told).
    let red = act(&b, o, &red, RequestExtension).expect("request");
    assert!(alerts(&b, chief, &red, false).contains(&AlertKind::ExtensionPending));
    assert!(!alerts(&b, o, &red, false).contains(&AlertKind::ExtensionPending));
}

#[test]
fn extension_requests_and_decisions_move_or_keep_the_deadline() {
    let b = Bureau::new();
    let s = &b.service;
    let (o, chief) = (&b.officer_a, &b.chief_a);
    let (p, q) = fresh_pair(&b, o);
    let d = register(s, o, "债务纠纷", &[&p, &q], &[]);
    let d = act(&b, o, &d, Accept).expect("accept");
    assert_eq!(d.mediation_deadline, Some(date(2026, 11, 30)));

    // Bad day counts are refused, naming the field; nothing written.
    let before = b.snapshot();
    for (days, zh_words) in [
        ("", "请填写延长天数"),
        ("0", "延长天数须为 1 到 90 之间的整数"),
        ("-2", "延长天数须为 1 到 90 之间的整数"),
        ("abc", "延长天数「abc」不是整数"),
        ("91", "延长天数须为 1 到 90 之间的整数"),
    ] {
        let e = refusal(
            days,
            s.request_extension(o, d.meta.id, d.meta.revision, days, "理由"),
        );
        assert_eq!(e.field(), Some(Field::Days), "{days}: {e:?}");
        assert!(e.localize(Lang::Zh).contains(zh_words), "{days}: {e:?}");
        assert!(e.localize(Lang::En).contains("Extra days"), "{days}: {e:?}");
    }
    let e = refusal(
        "no reason",
        s.request_extension(o, d.meta.id, d.meta.revision, "3", " "),
    );
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::Reason))
    ));
    let e = refusal(
        "nothing to decide",
        s.decide_extension(chief, d.meta.id, d.meta.revision, true, ""),
    );
    assert!(matches!(e, ServiceError::NoExtensionPending), "{e:?}");
    assert_eq!(b.snapshot(), before);

    // Requested: pending, the deadline unchanged; a second request is refused.
    let n = audit(b.store()).len();
    let d = s
        .request_extension(o, d.meta.id, d.meta.revision, "3", "当事人外出务工")
        .expect("request");
    assert_eq!(audit_lines(&b, n)[0].0, "dispute.extension_request");
    assert_eq!(d.mediation_deadline, Some(date(2026, 11, 30)));
    let pending = d.pending_extension().expect("pending");
    assert_eq!((pending.days, pending.requested_by), (3, o.officer()));
    let before = b.snapshot();
    let e = refusal(
        "second request",
        s.request_extension(o, d.meta.id, d.meta.revision, "5", "再延"),
    );
    assert!(matches!(e, ServiceError::ExtensionPending), "{e:?}");
    let (zh, en) = both(&e);
    assert!(zh.contains("等待所长审批"), "{zh}");
    assert!(en.contains("already waiting"), "{en}");
    // Officers do not decide.
    let e = refusal(
        "officer decides",
        s.decide_extension(o, d.meta.id, d.meta.revision, true, ""),
    );
    assert!(matches!(
        e,
        ServiceError::Workflow(Refusal::RoleMayNot {
            action: DecideExtension,
            ..
        })
    ));
    // Rejecting needs a reason.
    let e = refusal(
        "reject without remarks",
        s.decide_extension(chief, d.meta.id, d.meta.revision, false, ""),
    );
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::Remarks))
    ));
    assert_eq!(b.snapshot(), before);

    // Approved: the deadline moves over the month end.
    b.clock.advance(Duration::hours(2));
    let n = audit(b.store()).len();
    let d = s
        .decide_extension(chief, d.meta.id, d.meta.revision, true, "")
        .expect("approve");
    assert_eq!(d.mediation_deadline, Some(date(2026, 12, 3)));
    let decision = d.extensions[0].decision.as_ref().expect("decided");
    assert!(decision.approved);
    assert_eq!((decision.by, decision.at), (chief.officer(), now(&b)));
    assert_eq!(
        audit_lines(&b, n),
        [(
            "dispute.extension_decision".to_string(),
            chief.officer(),
            Some(Kind::Dispute)
        )]
    );
    assert_eq!(
        row(&b, chief, &d, &RegisterFilter::default()).map(|r| r.summary.extension_pending),
        Some(false)
    );

    // Requested again and rejected: the deadline stays.
    let d = s
        .request_extension(o, d.meta.id, d.meta.revision, "5", "需要等待评估")
        .expect("second request");
    let d = s
        .decide_extension(
            chief,
            d.meta.id,
            d.meta.revision,
            false,
            "期限已经延长过一次",
        )
        .expect("reject");
    assert_eq!(d.mediation_deadline, Some(date(2026, 12, 3)));
    assert_eq!(d.extensions.len(), 2);
    assert!(!d.extensions[1].decision.as_ref().expect("decided").approved);
    assert_eq!(d.status, Accepted, "extensions change no status");
    assert_eq!(d.history.len(), 2);

    // The timeline tells the story.
    let detail = s.dispute_detail(o, d.meta.id).expect("detail");
    let en: Vec<&str> = detail.timeline.iter().map(|t| t.what.en.as_str()).collect();
    assert!(
        en.contains(&"extension of 3 days requested: 当事人外出务工"),
        "{en:?}"
    );
    assert!(en.contains(&"extension approved"), "{en:?}");
    assert!(
        en.contains(&"extension rejected: 期限已经延长过一次"),
        "{en:?}"
    );
}
