//! Referral and escalation hand the dispute over; reopening restarts mediation.

use super::*;

#[test]
fn referral_and_escalation_record_the_handover_and_cancel_owed_follow_ups() {
    let b = Bureau::new();
    let s = &b.service;
    let o = &b.officer_a;

    // Escalated while following up: the owed visits are cancelled with the reason, the
    // one made stays made.
    let d = dispute_in(&b, FollowingUp);
    let owed = open_visits_of(&b, &d);
    assert_eq!(owed.len(), 3);
    let e = refusal(
        "escalate without a receiver",
        s.hand_over_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            true,
            &handover_form(" ", "", "today", ""),
        ),
    );
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::HandoverTo))
    ));
    // A handover is recorded once it happened, not ahead.
    let e = refusal(
        "escalate tomorrow",
        s.hand_over_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            true,
            &handover_form("刑事案件", "城公刑〔2026〕101号", "+1", ""),
        ),
    );
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::DateInFuture {
            field: Field::HandoverDate
        })
    ));
    assert_eq!(e.localize(Lang::Zh), "移交日期不能晚于今天");
    assert_eq!(reload(&b, &d), d);
    assert_eq!(open_visits_of(&b, &d).len(), 3, "nothing cancelled");
    // The chief escalates it an hour later.
    b.clock.advance(Duration::hours(1));
    let chief = &b.chief_a;
    let n = audit(b.store()).len();
    let d = s
        .hand_over_dispute(
            chief,
            d.meta.id,
            d.meta.revision,
            true,
            &handover_form(
                "刑事案件",
                "城公刑〔2026〕101号",
                "2026-11-25",
                "一方持刀伤人",
            ),
        )
        .expect("escalate");
    assert_eq!(d.status, Escalated);
    let h = d.handover.as_ref().expect("handover");
    assert_eq!(
        (h.to.as_str(), h.reference.as_str(), h.date),
        ("刑事案件", "城公刑〔2026〕101号", date(2026, 11, 25))
    );
    let last = d.history.last().expect("history");
    assert_eq!(
        (last.from, last.to, last.by, last.at, last.reason.as_str()),
        (
            Some(FollowingUp),
            Escalated,
            chief.officer(),
            now(&b),
            "一方持刀伤人"
        )
    );
    let lines = audit_lines(&b, n);
    assert_eq!(lines.len(), 4, "the dispute and three visits: {lines:?}");
    assert!(lines.iter().all(|l| l.0 == "dispute.escalate"));
    let all = visits_of(&b, &d);
    assert_eq!(
        all.iter().filter(|v| v.status == VisitStatus::Done).count(),
        1
    );
    for v in all.iter().filter(|v| v.status != VisitStatus::Done) {
        assert_eq!(v.status, VisitStatus::Cancelled);
        assert!(!v.status_reason.is_empty());
    }
    // The timeline shows the cancellations when and by whom they happened — not on
    // the visits' due dates weeks ahead, nor under the assigned officer's name.
    let detail = s.dispute_detail(o, d.meta.id).expect("detail");
    let cancelled: Vec<_> = detail
        .timeline
        .iter()
        .filter(|t| t.what.en == "visit cancelled")
        .map(|t| (t.date, t.who.as_str()))
        .collect();
    assert_eq!(cancelled, [(date(2026, 11, 25), "赵所长"); 3]);
    assert_eq!(
        detail.timeline.last().map(|t| t.what.zh.as_str()),
        Some("回访已取消")
    );
    assert!(s
        .today_list(o, Scope::Mine)
        .expect("today")
        .rows
        .iter()
        .all(|r| !owed.iter().any(|v| v.meta.id == r.visit)));
    assert!(row(&b, o, &d, &RegisterFilter::default()).is_none());
    let escalated = RegisterFilter {
        status: Some(Escalated),
        ..Default::default()
    };
    assert!(row(&b, o, &d, &escalated).is_some());

    // Referred while mediating: where to and the reference number are kept.
    let m = dispute_in(&b, Mediating);
    let m = s
        .hand_over_dispute(
            o,
            m.meta.id,
            m.meta.revision,
            false,
            &handover_form("东关村人民调解委员会", "东调〔2026〕12号", "today", ""),
        )
        .expect("refer");
    assert_eq!(m.status, Referred);
    assert_eq!(
        m.handover.as_ref().map(|h| h.to.as_str()),
        Some("东关村人民调解委员会")
    );
    assert_eq!(
        audit_lines(&b, audit(b.store()).len() - 1)[0].0,
        "dispute.refer"
    );

    // A resolved dispute is not referred (it is escalated or reopened).
    let r = dispute_in(&b, Resolved);
    let e = refusal("refer resolved", act(&b, o, &r, Refer));
    assert!(matches!(
        e,
        ServiceError::Workflow(Refusal::WrongState {
            action: Refer,
            status: Resolved
        })
    ));
    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn reopening_restarts_mediation_with_a_new_deadline() {
    let b = Bureau::new_at(at(2026, 12, 20, 9, 0));
    let s = &b.service;
    let o = &b.officer_a;

    // A complex dispute, closed, flares up again on 2026-12-20.
    let (p, q) = fresh_pair(&b, o);
    let mut draft = common::disputes::land_draft("山林权属纠纷", &[&p, &q], &[]);
    draft.complexity = Complexity::Complex;
    let d = s.register_dispute(o, &draft, None, None).expect("register");
    let d = act(&b, o, &d, Accept).expect("accept");
    let d = act(&b, o, &d, Resolve).expect("resolve");
    cancel_open_follow_ups(&b, o, &d);
    let d = act(&b, &b.chief_a, &reload(&b, &d), Close).expect("close");
    assert_eq!(d.mediation_deadline, Some(date(2027, 1, 4)));

    // A reason is required; nothing is written without it.
    let before = b.snapshot();
    let e = refusal(
        "reopen without reason",
        s.reopen_dispute(o, d.meta.id, d.meta.revision, "  "),
    );
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::Reason))
    ));
    assert!(e.localize(Lang::Zh).contains("原因"));
    assert_eq!(b.snapshot(), before);

    // Reopened ten days later: a fresh 15-day deadline over the year end.
    morning(&b, date(2026, 12, 30));
    let n = audit(b.store()).len();
    let d = s
        .reopen_dispute(o, d.meta.id, d.meta.revision, "对方重新砍伐争议林木")
        .expect("reopen");
    assert_eq!(d.status, Reopened);
    assert_eq!(d.mediation_deadline, Some(date(2027, 1, 14)));
    let last = d.history.last().expect("history");
    assert_eq!(
        (last.from, last.to, last.reason.as_str()),
        (Some(Closed), Reopened, "对方重新砍伐争议林木")
    );
    assert_eq!(audit_lines(&b, n)[0].0, "dispute.reopen");
    assert_eq!(
        row(&b, o, &d, &RegisterFilter::default()).and_then(|r| r.deadline),
        Some(DeadlineState::Running { days_left: 15 })
    );
    let detail = s.dispute_detail(o, d.meta.id).expect("detail");
    assert!(detail
        .timeline
        .iter()
        .any(|t| t.what.zh == "复发：对方重新砍伐争议林木"));

    // Mediation runs again the same day, and the new resolution plans new follow-ups.
    b.clock.advance(Duration::hours(2));
    let d = act(&b, o, &d, RecordSession).expect("session");
    assert_eq!(d.status, Mediating);
    b.clock.advance(Duration::hours(3));
    let (d, visits) = s
        .resolve_dispute(o, d.meta.id, d.meta.revision, &resolve_form("today"))
        .expect("resolve again");
    assert_eq!(
        visits.iter().map(|v| v.due).collect::<Vec<_>>(),
        [
            date(2026, 12, 31),
            date(2027, 1, 2),
            date(2027, 1, 6),
            date(2027, 1, 29)
        ]
    );
    assert_eq!(
        history_statuses(&d),
        [
            (None, Reported),
            (Some(Reported), Accepted),
            (Some(Accepted), Resolved),
            (Some(Resolved), Closed),
            (Some(Closed), Reopened),
            (Some(Reopened), Mediating),
            (Some(Mediating), Resolved),
        ]
    );
    // The timeline of that day in the order things happened: the session before the
    // resolution it led to.
    let detail = s.dispute_detail(o, d.meta.id).expect("detail");
    let that_day: Vec<&str> = detail
        .timeline
        .iter()
        .filter(|t| t.date == date(2026, 12, 30))
        .map(|t| t.what.zh.as_str())
        .collect();
    assert_eq!(
        that_day,
        [
            "复发：对方重新砍伐争议林木",
            "调解中",
            "调解：达成协议（双方当事人、村调解员）",
            "已化解"
        ]
    );
    assert_indexes_ok(b.store());
}
