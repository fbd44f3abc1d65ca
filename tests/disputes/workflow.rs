//! The whole workflow end to end, and every allowed and every refused transition.

use super::*;

#[test]
fn a_land_dispute_from_report_to_close_with_history_audit_and_follow_ups() {
    let b = Bureau::new_at(at(2026, 1, 30, 9, 0));
    let s = &b.service;
    let (officer, chief) = (&b.officer_a, &b.chief_a);
    let (p1, p2) = fresh_pair(&b, officer);
    let title = "东关村宅基地边界纠纷";

    // Registered: reported, blue, the officer's own.
    let n = audit(b.store()).len();
    let d = register(s, officer, title, &[&p1, &p2], &[]);
    assert_eq!(d.status, Reported);
    assert_eq!(d.reported_on, date(2026, 1, 30));
    assert_eq!(d.assigned_to, officer.officer());
    assert_eq!(d.mediation_deadline, None);
    assert_eq!(
        audit_lines(&b, n),
        [(
            "dispute.register".to_string(),
            officer.officer(),
            Some(Kind::Dispute)
        )]
    );
    let mut expected_history = vec![(None, Reported, officer.officer(), now(&b), String::new())];

    // Accepted an hour later: 5-day deadline over the month end, feedback in 24 h.
    b.clock.advance(Duration::hours(1));
    let n = audit(b.store()).len();
    let d = s
        .accept_dispute(officer, d.meta.id, d.meta.revision)
        .expect("accept");
    assert_eq!(d.status, Accepted);
    assert_eq!(d.accepted_on, Some(date(2026, 1, 30)));
    assert_eq!(d.mediation_deadline, Some(date(2026, 2, 4)));
    assert_eq!(d.feedback_due, Some(utc(at(2026, 1, 31, 10, 0))));
    assert_eq!(audit_lines(&b, n)[0].0, "dispute.accept");
    expected_history.push((
        Some(Reported),
        Accepted,
        officer.officer(),
        now(&b),
        String::new(),
    ));
    assert!(alerts(&b, officer, &d, true).contains(&AlertKind::FeedbackDue));

    // Feedback given: no status change, no history line, the alert goes.
    let d = s
        .record_feedback(officer, d.meta.id, d.meta.revision)
        .expect("feedback");
    assert_eq!(d.feedback_given, Some(now(&b)));
    assert_eq!(d.history.len(), 2);
    assert!(!alerts(&b, officer, &d, true).contains(&AlertKind::FeedbackDue));

    // Two mediation sessions, the second by the colleague: mediating once.
    morning(&b, date(2026, 2, 2));
    let d = s
        .record_session(officer, d.meta.id, d.meta.revision, &session_form("today"))
        .expect("session");
    assert_eq!(d.status, Mediating);
    assert_eq!(d.last_contact, Some(date(2026, 2, 2)));
    expected_history.push((
        Some(Accepted),
        Mediating,
        officer.officer(),
        now(&b),
        String::new(),
    ));
    morning(&b, date(2026, 2, 3));
    let d = s
        .record_session(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &session_form("2026-02-03"),
        )
        .expect("second session");
    assert_eq!(d.sessions.len(), 2);
    assert_eq!(d.sessions[1].recorded_by, b.officer_a2.officer());
    assert_eq!(d.history.len(), 3, "a second session changes no status");

    // The deadline day: due within 24 h; the day after: overdue, in the overdue view.
    morning(&b, date(2026, 2, 4));
    assert_eq!(alerts(&b, officer, &d, true), [AlertKind::DeadlineSoon]);
    morning(&b, date(2026, 2, 5));
    assert_eq!(
        alerts(&b, officer, &d, true),
        [AlertKind::DeadlineOverdue { days: 1 }]
    );
    let overdue = RegisterFilter {
        overdue_only: true,
        ..Default::default()
    };
    assert_eq!(
        row(&b, chief, &d, &overdue).and_then(|r| r.deadline),
        Some(DeadlineState::Overdue { days: 1 })
    );

    // Resolved: four follow-ups on day 1, 3, 7 and 30 (across February), for the
    // dispute's officer, about the dispute; one transaction, audited record by record.
    let n = audit(b.store()).len();
    let (d, visits) = s
        .resolve_dispute(officer, d.meta.id, d.meta.revision, &resolve_form("today"))
        .expect("resolve");
    assert_eq!(d.status, Resolved);
    expected_history.push((
        Some(Mediating),
        Resolved,
        officer.officer(),
        now(&b),
        String::new(),
    ));
    let dues: Vec<NaiveDate> = visits.iter().map(|v| v.due).collect();
    assert_eq!(
        dues,
        [
            date(2026, 2, 6),
            date(2026, 2, 8),
            date(2026, 2, 12),
            date(2026, 3, 7)
        ]
    );
    for v in &visits {
        assert_eq!(v.assigned_to, officer.officer());
        assert_eq!(v.subject.dispute, Some(d.meta.id));
        assert_eq!(v.subject.person, Some(p1.meta.id));
        assert_eq!(v.status, VisitStatus::Scheduled);
        assert!(v.purpose.contains(title), "{}", v.purpose);
    }
    assert_eq!(
        visits_of(&b, &d),
        visits,
        "the visits are returned as stored"
    );
    assert!(visits.iter().all(|v| v.meta.revision == 1));
    let lines = audit_lines(&b, n);
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|l| l.0 == "dispute.resolve"));
    assert_eq!(lines[0].2, Some(Kind::Dispute));
    assert!(lines[1..].iter().all(|l| l.2 == Some(Kind::Visit)));
    assert!(
        alerts(&b, officer, &d, true).is_empty(),
        "no deadline once resolved"
    );

    // Today lists the follow-ups due within the window, the day-30 one not yet.
    let today = s.today_list(officer, Scope::Mine).expect("today");
    let listed: Vec<NaiveDate> = today
        .rows
        .iter()
        .filter(|r| r.purpose.contains(title))
        .map(|r| r.due)
        .collect();
    assert_eq!(listed, &dues[..3]);
    assert!(today
        .rows
        .iter()
        .filter(|r| r.purpose.contains(title))
        .all(|r| r.person_name == p1.name));

    // Closing is refused while follow-ups are owed (with the count), and never the
    // officer's to do; nothing is written.
    let before = b.snapshot();
    let e = refusal(
        "close with 4 open",
        s.close_dispute(chief, d.meta.id, d.meta.revision, ""),
    );
    assert!(matches!(e, ServiceError::OpenFollowUps(4)), "{e:?}");
    let (zh, en) = both(&e);
    assert!(zh.contains("4 次回访"), "{zh}");
    assert!(en.contains("4 follow-up visits"), "{en}");
    let e = refusal(
        "officer closes",
        s.close_dispute(officer, d.meta.id, d.meta.revision, ""),
    );
    assert!(
        matches!(
            e,
            ServiceError::Workflow(Refusal::RoleMayNot {
                action: Close,
                role: Role::Officer
            })
        ),
        "{e:?}"
    );
    assert_eq!(b.snapshot(), before);

    // The first follow-up done: following up, with a history line by the officer.
    morning(&b, date(2026, 2, 6));
    let n = audit(b.store()).len();
    visit_done(&b, officer, &visits[0]);
    let d = reload(&b, &d);
    assert_eq!(d.status, FollowingUp);
    assert_eq!(d.last_contact, Some(date(2026, 2, 6)));
    expected_history.push((
        Some(Resolved),
        FollowingUp,
        officer.officer(),
        now(&b),
        String::new(),
    ));
    let lines = audit_lines(&b, n);
    assert_eq!(
        lines
            .iter()
            .map(|l| (l.0.as_str(), l.2))
            .collect::<Vec<_>>(),
        [
            ("visit.done", Some(Kind::Visit)),
            ("visit.done", Some(Kind::Dispute))
        ]
    );
    assert_eq!(
        row(&b, chief, &d, &RegisterFilter::default()).map(|r| r.closable),
        Some(false)
    );

    // The day-3 visit is missed and tried again the next day: the retry is owed too.
    morning(&b, visits[1].due);
    let missed = s
        .record_visit_missed(
            officer,
            visits[1].meta.id,
            visits[1].meta.revision,
            &beatbook::service::MissedForm {
                reason: "当事人外出".into(),
                next_due: "+1".into(),
            },
        )
        .expect("missed");
    let retry = missed.next.expect("retry scheduled");
    assert_eq!(retry.subject.dispute, Some(d.meta.id));
    assert_eq!(
        reload(&b, &d).last_contact,
        Some(date(2026, 2, 6)),
        "no contact"
    );
    morning(&b, retry.due);
    visit_done(&b, officer, &retry);

    // The next ones change no status; the last one makes the dispute closable.
    for v in &visits[2..] {
        morning(&b, v.due);
        if v.due == date(2026, 3, 7) {
            let listed = s.today_list(officer, Scope::Mine).expect("today");
            assert!(
                listed.rows.iter().any(|r| r.visit == v.meta.id),
                "the day-30 visit is listed when due"
            );
            assert!(!alerts(&b, chief, &d, false).contains(&AlertKind::Closable));
        }
        visit_done(&b, officer, v);
    }
    let d = reload(&b, &d);
    assert_eq!(d.status, FollowingUp);
    assert_eq!(d.history.len(), expected_history.len());
    assert_eq!(
        row(&b, chief, &d, &RegisterFilter::default()).map(|r| r.closable),
        Some(true)
    );
    let detail = s.dispute_detail(chief, d.meta.id).expect("detail");
    assert!(detail.closable);
    assert_eq!(detail.open_follow_ups, 0);
    assert!(alerts(&b, chief, &d, false).contains(&AlertKind::Closable));
    assert!(
        !alerts(&b, officer, &d, false).contains(&AlertKind::Closable),
        "closing is the chief's"
    );

    // The chief closes it: evaluation, history, audit; it leaves the open register.
    let n = audit(b.store()).len();
    let d = s
        .close_dispute(chief, d.meta.id, d.meta.revision, "回访均稳定")
        .expect("close");
    assert_eq!(d.status, Closed);
    assert_eq!(
        d.evaluation.as_ref().map(|e| (e.date, e.remarks.as_str())),
        Some((date(2026, 3, 7), "回访均稳定"))
    );
    expected_history.push((
        Some(FollowingUp),
        Closed,
        chief.officer(),
        now(&b),
        String::new(),
    ));
    assert_eq!(
        audit_lines(&b, n),
        [(
            "dispute.close".to_string(),
            chief.officer(),
            Some(Kind::Dispute)
        )]
    );
    assert!(row(&b, chief, &d, &RegisterFilter::default()).is_none());
    let all = RegisterFilter {
        all_statuses: true,
        ..Default::default()
    };
    assert_eq!(
        row(&b, chief, &d, &all).map(|r| r.summary.status),
        Some(Closed)
    );

    // The whole history: who, when, from, to, why.
    let got: Vec<_> = d
        .history
        .iter()
        .map(|h| (h.from, h.to, h.by, h.at, h.reason.clone()))
        .collect();
    assert_eq!(got, expected_history);

    // The timeline names who did what.
    let detail = s.dispute_detail(officer, d.meta.id).expect("detail");
    let whats: Vec<&str> = detail.timeline.iter().map(|t| t.what.zh.as_str()).collect();
    assert!(whats.iter().any(|w| w.contains("已办结")), "{whats:?}");
    assert!(whats.iter().any(|w| w.starts_with("调解")), "{whats:?}");
    assert!(detail.timeline.iter().any(|t| t.who == "赵所长"));
    assert!(detail.timeline.windows(2).all(|w| w[0].date <= w[1].date));

    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn every_allowed_transition_through_the_service() {
    let b = Bureau::new();
    let chief = &b.chief_a;
    for (action, from, to) in &allowed() {
        let mut d = dispute_in(&b, *from);
        match action {
            // Closing needs every follow-up done or cancelled.
            Close => {
                cancel_open_follow_ups(&b, &b.officer_a, &d);
                d = reload(&b, &d);
            }
            // A decision needs a request.
            DecideExtension => {
                d = act(&b, &b.officer_a, &d, RequestExtension).expect("request");
            }
            _ => {}
        }
        b.clock.advance(Duration::minutes(1));
        let n = audit(b.store()).len();
        let history = d.history.len();
        let got =
            act(&b, chief, &d, *action).unwrap_or_else(|e| panic!("{action:?} from {from:?}: {e}"));
        assert_eq!(got.status, *to, "{action:?} from {from:?}");
        assert_eq!(got, reload(&b, &got), "{action:?}: stored as returned");
        assert_eq!(got.meta.revision, d.meta.revision + 1);
        if from == to {
            assert_eq!(got.history.len(), history, "{action:?} from {from:?}");
        } else {
            assert_eq!(got.history.len(), history + 1, "{action:?} from {from:?}");
            let last = got.history.last().expect("history line");
            assert_eq!(
                (last.from, last.to, last.by, last.at),
                (Some(*from), *to, chief.officer(), now(&b)),
                "{action:?} from {from:?}"
            );
        }
        let lines = audit_lines(&b, n);
        assert!(!lines.is_empty(), "{action:?} audited");
        assert!(
            lines
                .iter()
                .all(|l| l.0 == audit_action(*action) && l.1 == chief.officer()),
            "{action:?} from {from:?}: {lines:?}"
        );
        assert!(lines.iter().any(|l| l.2 == Some(Kind::Dispute)));
    }
    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn every_refused_transition_is_refused_and_writes_nothing() {
    let b = Bureau::new();
    let statuses = DisputeStatus::ALL;
    let disputes: Vec<Dispute> = statuses.iter().map(|s| dispute_in(&b, *s)).collect();
    let before = b.snapshot();
    let allowed = allowed();
    let mut refused = 0;
    for d in &disputes {
        for action in ACTIONS {
            if allowed
                .iter()
                .any(|(a, from, _)| *a == action && *from == d.status)
            {
                continue;
            }
            // The chief may do everything: only the state refuses.
            let e = refusal(
                &format!("{action:?} from {:?}", d.status),
                act(&b, &b.chief_a, d, action),
            );
            match &e {
                ServiceError::Workflow(Refusal::WrongState { action: a, status }) => {
                    assert_eq!((*a, *status), (action, d.status));
                }
                other => panic!("{action:?} from {:?}: {other:?}", d.status),
            }
            let (zh, en) = both(&e);
            assert!(zh.contains(&d.status.localize(Lang::Zh)), "{zh}");
            assert!(en.starts_with("cannot "), "{en}");
            assert!(en.contains(&d.status.localize(Lang::En)), "{en}");
            refused += 1;
        }
        assert_eq!(&reload(&b, d), d, "{:?} untouched", d.status);
    }
    assert_eq!(refused, ACTIONS.len() * statuses.len() - allowed.len());
    assert_eq!(b.snapshot(), before, "no refusal wrote anything");
}
