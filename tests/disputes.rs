//! The dispute workflow through the service on a real store: every allowed transition and
//! every refused one (wrong state, wrong role, other station, closing with follow-ups
//! still owed), the status history and audit trail of each, the clocks (mediation
//! deadline, 24-hour feedback, follow-up visits) across month ends and leap years, the
//! alerts Today shows, extensions, handovers and reopening.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{
    Complexity, Dispute, DisputeDraft, DisputeStatus, Field, Role, ValidationError, Visit,
    VisitStatus,
};
use beatbook::rules::disputes::{DisputeAction, Refusal};
use beatbook::rules::schedule::DeadlineState;
use beatbook::service::{
    AlertKind, Forbidden, RegisterFilter, RegisterRow, RegisterSort, Scope, ServiceError, Session,
};
use beatbook::store::{Kind, StoreError};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use common::disputes::{
    done_form, fresh_pair, handover_form, history_statuses, open_visits_of, register, reload,
    resolve_form, session_form, visits_of,
};
use common::{assert_audit_ok, assert_indexes_ok, at, audit, audit_after, date, refusal, Bureau};

use DisputeAction::{
    Accept, Close, DecideExtension, Edit, Escalate, Evaluate, RecordFeedback, RecordSession, Refer,
    Reopen, RequestExtension, Resolve,
};
use DisputeStatus::{
    Accepted, Closed, Escalated, FollowingUp, Mediating, Referred, Reopened, Reported, Resolved,
};

/// The actions the service offers a call for (Evaluate is part of closing).
const ACTIONS: [DisputeAction; 11] = [
    Accept,
    RecordSession,
    Resolve,
    Close,
    Refer,
    Escalate,
    Reopen,
    RequestExtension,
    DecideExtension,
    Edit,
    RecordFeedback,
];

/// Every allowed (action, from, to), written out from the workflow (GLOSSARY.md,
/// Disputes) and the issue; all other pairs must be refused.
const ALLOWED: &[(DisputeAction, DisputeStatus, DisputeStatus)] = &[
    (Accept, Reported, Accepted),
    (RecordSession, Accepted, Mediating),
    (RecordSession, Mediating, Mediating),
    (RecordSession, Reopened, Mediating),
    (Resolve, Accepted, Resolved),
    (Resolve, Mediating, Resolved),
    (Resolve, Reopened, Resolved),
    (Close, Resolved, Closed),
    (Close, FollowingUp, Closed),
    (Refer, Reported, Referred),
    (Refer, Accepted, Referred),
    (Refer, Mediating, Referred),
    (Refer, Reopened, Referred),
    (Escalate, Reported, Escalated),
    (Escalate, Accepted, Escalated),
    (Escalate, Mediating, Escalated),
    (Escalate, Resolved, Escalated),
    (Escalate, FollowingUp, Escalated),
    (Escalate, Reopened, Escalated),
    (Reopen, Resolved, Reopened),
    (Reopen, FollowingUp, Reopened),
    (Reopen, Closed, Reopened),
    (RequestExtension, Accepted, Accepted),
    (RequestExtension, Mediating, Mediating),
    (RequestExtension, Reopened, Reopened),
    (DecideExtension, Accepted, Accepted),
    (DecideExtension, Mediating, Mediating),
    (DecideExtension, Reopened, Reopened),
    (Edit, Reported, Reported),
    (Edit, Accepted, Accepted),
    (Edit, Mediating, Mediating),
    (Edit, Resolved, Resolved),
    (Edit, FollowingUp, FollowingUp),
    (Edit, Reopened, Reopened),
    (RecordFeedback, Reported, Reported),
    (RecordFeedback, Accepted, Accepted),
    (RecordFeedback, Mediating, Mediating),
    (RecordFeedback, Resolved, Resolved),
    (RecordFeedback, FollowingUp, FollowingUp),
    (RecordFeedback, Reopened, Reopened),
];

/// The audit action each call writes.
fn audit_action(action: DisputeAction) -> &'static str {
    match action {
        Accept => "dispute.accept",
        RecordSession => "dispute.session",
        Resolve => "dispute.resolve",
        Close => "dispute.close",
        Refer => "dispute.refer",
        Escalate => "dispute.escalate",
        Reopen => "dispute.reopen",
        RequestExtension => "dispute.extension_request",
        DecideExtension => "dispute.extension_decision",
        Edit => "dispute.edit",
        RecordFeedback => "dispute.feedback",
        Evaluate => unreachable!("no separate call"),
    }
}

/// The register form of an existing dispute, title amended.
fn draft_of(d: &Dispute) -> DisputeDraft {
    DisputeDraft {
        title: format!("{}（补充）", d.title),
        category: d.category.clone(),
        subcategory: d.subcategory.clone(),
        village: d.village.clone(),
        place: d.place.clone(),
        parties: d.parties.clone(),
        complexity: d.complexity,
        indicators: d.indicators.clone(),
        description: "补充情况".into(),
        ..Default::default()
    }
}

/// Performs `action` on `d` (at the revision read) as `who`, with valid input.
fn act(
    b: &Bureau,
    who: &Session,
    d: &Dispute,
    action: DisputeAction,
) -> Result<Dispute, ServiceError> {
    let s = &b.service;
    let (id, rev) = (d.meta.id, d.meta.revision);
    match action {
        Accept => s.accept_dispute(who, id, rev),
        RecordSession => s.record_session(who, id, rev, &session_form("today")),
        Resolve => s
            .resolve_dispute(who, id, rev, &resolve_form("today"))
            .map(|(d, _)| d),
        Close => s.close_dispute(who, id, rev, "回访均稳定，予以办结"),
        Refer => s.hand_over_dispute(
            who,
            id,
            rev,
            false,
            &handover_form(
                "东关村人民调解委员会",
                "东调〔2026〕12号",
                "today",
                "双方同意",
            ),
        ),
        Escalate => s.hand_over_dispute(
            who,
            id,
            rev,
            true,
            &handover_form("刑事案件", "城公刑〔2026〕101号", "today", "一方持刀伤人"),
        ),
        Reopen => s.reopen_dispute(who, id, rev, "双方再次因界桩争吵"),
        RequestExtension => s.request_extension(who, id, rev, "3", "当事人外出务工"),
        DecideExtension => s.decide_extension(who, id, rev, true, ""),
        Edit => s.edit_dispute(who, id, rev, &draft_of(d)),
        RecordFeedback => s.record_feedback(who, id, rev),
        Evaluate => unreachable!("no separate call"),
    }
}

/// A dispute of station A brought to `status` by its officer (the chief closes).
fn dispute_in(b: &Bureau, status: DisputeStatus) -> Dispute {
    let o = &b.officer_a;
    let (p, q) = fresh_pair(b, o);
    let d = register(
        &b.service,
        o,
        &format!("{status:?} 宅基地纠纷"),
        &[&p, &q],
        &[],
    );
    let step = |d: &Dispute, who: &Session, action| {
        act(b, who, d, action).unwrap_or_else(|e| panic!("{action:?} towards {status:?}: {e}"))
    };
    if status == Reported {
        return d;
    }
    if status == Referred {
        return step(&d, o, Refer);
    }
    let d = step(&d, o, Accept);
    match status {
        Accepted => return d,
        Escalated => return step(&d, o, Escalate),
        _ => {}
    }
    let d = step(&d, o, RecordSession);
    if status == Mediating {
        return d;
    }
    let d = step(&d, o, Resolve);
    match status {
        Resolved => return d,
        Reopened => return step(&d, o, Reopen),
        _ => {}
    }
    let first = open_visits_of(b, &d).remove(0);
    b.service
        .record_visit_done(o, first.meta.id, first.meta.revision, &done_form())
        .expect("first follow-up done");
    let d = reload(b, &d);
    assert_eq!(d.status, FollowingUp);
    if status == FollowingUp {
        return d;
    }
    cancel_open_follow_ups(b, o, &d);
    let d = step(&d, &b.chief_a, Close);
    assert_eq!(d.status, status);
    d
}

/// Cancels every follow-up still owed on `d`, with a reason.
fn cancel_open_follow_ups(b: &Bureau, who: &Session, d: &Dispute) {
    for v in open_visits_of(b, d) {
        b.service
            .cancel_visit(who, v.meta.id, v.meta.revision, "当事人已搬离本村")
            .expect("follow-up cancelled");
    }
}

/// Both languages of a refusal.
fn both(e: &ServiceError) -> (String, String) {
    (e.localize(Lang::Zh), e.localize(Lang::En))
}

/// UTC instant of the service's clock now.
fn now(b: &Bureau) -> DateTime<Utc> {
    b.service.now_utc()
}

fn utc(t: DateTime<FixedOffset>) -> DateTime<Utc> {
    t.with_timezone(&Utc)
}

/// (action, actor, kind, record) of the audit entries after the first `skip`.
fn audit_lines(b: &Bureau, skip: usize) -> Vec<(String, beatbook::model::Id, Option<Kind>)> {
    audit_after(b.store(), skip)
        .into_iter()
        .map(|e| (e.action, e.actor, e.kind))
        .collect()
}

/// The alert kinds `who` sees on dispute `d`.
fn alerts(b: &Bureau, who: &Session, d: &Dispute, mine_only: bool) -> Vec<AlertKind> {
    b.service
        .dispute_alerts(who, mine_only)
        .expect("alerts")
        .into_iter()
        .filter(|a| a.dispute == d.meta.id)
        .map(|a| a.kind)
        .collect()
}

/// The register row of `d` as `who` sees it with `filter`.
fn row(b: &Bureau, who: &Session, d: &Dispute, filter: &RegisterFilter) -> Option<RegisterRow> {
    b.service
        .dispute_register(who, filter, RegisterSort::Risk)
        .expect("register")
        .into_iter()
        .find(|r| r.summary.id == d.meta.id)
}

/// Moves the clock to 09:00 of `day` (+08:00).
fn morning(b: &Bureau, day: NaiveDate) {
    use chrono::Datelike;
    b.clock.set(at(day.year(), day.month(), day.day(), 9, 0));
}

/// Records a visit done by `who`.
fn visit_done(b: &Bureau, who: &Session, v: &Visit) {
    let v = b
        .store()
        .get::<Visit>(v.meta.id)
        .expect("readable")
        .expect("visit exists");
    b.service
        .record_visit_done(who, v.meta.id, v.meta.revision, &done_form())
        .unwrap_or_else(|e| panic!("visit due {} done: {e}", v.due));
}

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
    for (action, from, to) in ALLOWED {
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
    let mut refused = 0;
    for d in &disputes {
        for action in ACTIONS {
            if ALLOWED
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
    assert_eq!(refused, ACTIONS.len() * statuses.len() - ALLOWED.len());
    assert_eq!(b.snapshot(), before, "no refusal wrote anything");
}

#[test]
fn roles_and_other_stations_are_refused() {
    let b = Bureau::new();
    let s = &b.service;
    // One dispute ready to close, one with an extension waiting for the chief.
    let closable = dispute_in(&b, Resolved);
    cancel_open_follow_ups(&b, &b.officer_a, &closable);
    let closable = reload(&b, &closable);
    let waiting = dispute_in(&b, Accepted);
    let waiting = act(&b, &b.officer_a, &waiting, RequestExtension).expect("request");
    let wang_wu = common::create_person(s, &b.officer_a, "王五", "东关村");
    let before = b.snapshot();

    // Officers do the daily work but neither close nor decide extensions.
    let e = refusal("officer closes", act(&b, &b.officer_a, &closable, Close));
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
    let (zh, en) = both(&e);
    assert!(zh.contains("民警不能办结"), "{zh}");
    assert!(en.contains("an officer may not close"), "{en}");
    let e = refusal(
        "officer decides",
        act(&b, &b.officer_a2, &waiting, DecideExtension),
    );
    assert!(
        matches!(
            e,
            ServiceError::Workflow(Refusal::RoleMayNot {
                action: DecideExtension,
                role: Role::Officer
            })
        ),
        "{e:?}"
    );

    // Supervisors and administrators change nothing; other stations nothing either —
    // whatever the state allows.
    for d in [&closable, &waiting] {
        for action in ACTIONS {
            let who = [
                (&b.supervisor, Forbidden::ReadOnlyRole(Role::Supervisor)),
                (&b.admin, Forbidden::NoCaseData),
                (&b.officer_b, Forbidden::OtherStation),
                (&b.chief_b, Forbidden::OtherStation),
            ];
            for (session, expected) in who {
                let e = refusal(
                    &format!("{} {action:?}", session.username()),
                    act(&b, session, d, action),
                );
                assert!(
                    matches!(e, ServiceError::Forbidden(f) if f == expected),
                    "{} {action:?}: {e:?}",
                    session.username()
                );
                assert!(!e.localize(Lang::Zh).is_empty());
            }
        }
    }
    // Registering: read-only roles and other stations' persons are refused.
    let draft = common::disputes::land_draft("越权登记", &[&b.person_a, &wang_wu], &[]);
    for (session, role) in [(&b.supervisor, Role::Supervisor), (&b.admin, Role::Admin)] {
        let e = refusal("register", s.register_dispute(session, &draft, None, None));
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(r)) if r == role),
            "{e:?}"
        );
    }
    let e = refusal(
        "other station's parties",
        s.register_dispute(&b.officer_b, &draft, None, None),
    );
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    // An officer assigns disputes only to themselves.
    let e = refusal(
        "officer assigns a colleague",
        s.register_dispute(&b.officer_a, &draft, Some(b.officer_a2.officer()), None),
    );
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::AssignOthers)),
        "{e:?}"
    );

    // Reading: the supervisor reads every station, the admin no case data, station B
    // nothing of station A.
    assert!(s.dispute_detail(&b.supervisor, closable.meta.id).is_ok());
    assert!(row(&b, &b.supervisor, &closable, &RegisterFilter::default()).is_some());
    assert!(matches!(
        s.dispute_detail(&b.officer_b, closable.meta.id),
        Err(ServiceError::Forbidden(Forbidden::OtherStation))
    ));
    assert!(row(&b, &b.chief_b, &closable, &RegisterFilter::default()).is_none());
    assert!(alerts(&b, &b.chief_b, &waiting, false).is_empty());
    assert!(matches!(
        s.dispute_detail(&b.admin, closable.meta.id),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
    assert!(matches!(
        s.dispute_register(&b.admin, &RegisterFilter::default(), RegisterSort::Risk),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
    assert!(matches!(
        s.dispute_alerts(&b.admin, false),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));

    // A screen that showed an older revision is refused.
    let e = refusal(
        "stale revision",
        s.accept_dispute(&b.chief_a, waiting.meta.id, waiting.meta.revision - 1),
    );
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Conflict {
                kind: Kind::Dispute,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(b.snapshot(), before, "no refusal wrote anything");

    // The chief of the station may do both.
    let closed = act(&b, &b.chief_a, &closable, Close).expect("chief closes");
    assert_eq!(closed.status, Closed);
    let decided = act(&b, &b.chief_a, &waiting, DecideExtension).expect("chief decides");
    assert!(decided.pending_extension().is_none());
}

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

#[test]
fn the_register_filters_and_sorts_from_its_index() {
    let b = Bureau::new();
    let s = &b.service;
    let (o, chief) = (&b.officer_a, &b.chief_a);
    let zhang = common::create_person(s, o, "张三", "东关村");
    let li = common::create_person(s, o, "李四", "东关村");
    let (p, q) = fresh_pair(&b, o);
    let (x, y) = fresh_pair(&b, o);

    // D1: land, blue, reported. D2: debt, red, accepted (deadline 11-30). D3: land,
    // yellow, the colleague's, accepted next day as complex (deadline 12-11).
    let d1 = register(s, o, "宅基地边界纠纷", &[&zhang, &li], &[]);
    let mut debt = common::disputes::land_draft("民间借贷纠纷", &[&p, &q], &["weapons"]);
    debt.category = "04".into();
    debt.subcategory.clear();
    debt.village = "西街社区".into();
    let d2 = s.register_dispute(o, &debt, None, None).expect("debt");
    let d2 = act(&b, o, &d2, Accept).expect("accept");
    b.clock.advance(Duration::days(1));
    let mut big = common::disputes::land_draft("承包地流转纠纷", &[&x, &y], &["large_amount"]);
    big.complexity = Complexity::Complex;
    let d3 = s
        .register_dispute(chief, &big, Some(b.officer_a2.officer()), None)
        .expect("for the colleague");
    let d3 = act(&b, chief, &d3, Accept).expect("accept");
    // Station B's dispute stays out of station A's register.
    let (u, v) = fresh_pair(&b, &b.officer_b);
    let d5 = register(s, &b.officer_b, "河西纠纷", &[&u, &v], &[]);

    let ids = |who: &Session, filter: RegisterFilter, sort: RegisterSort| {
        s.dispute_register(who, &filter, sort)
            .expect("register")
            .into_iter()
            .map(|r| r.summary.id)
            .collect::<Vec<_>>()
    };
    let (i1, i2, i3, i5) = (d1.meta.id, d2.meta.id, d3.meta.id, d5.meta.id);
    let all = RegisterFilter::default();
    assert_eq!(ids(chief, all.clone(), RegisterSort::Risk), [i2, i3, i1]);
    assert_eq!(
        ids(chief, all.clone(), RegisterSort::Deadline),
        [i2, i3, i1]
    );
    assert_eq!(ids(chief, all.clone(), RegisterSort::Reported)[0], i3);
    let by = |f: RegisterFilter| ids(chief, f, RegisterSort::Risk);
    assert_eq!(
        by(RegisterFilter {
            category: Some("04".into()),
            ..Default::default()
        }),
        [i2]
    );
    assert_eq!(
        by(RegisterFilter {
            min_risk: Some(beatbook::model::RiskLevel::Yellow),
            ..Default::default()
        }),
        [i2, i3]
    );
    assert_eq!(
        by(RegisterFilter {
            officer: Some(b.officer_a2.officer()),
            ..Default::default()
        }),
        [i3]
    );
    assert_eq!(
        by(RegisterFilter {
            status: Some(Accepted),
            ..Default::default()
        }),
        [i2, i3]
    );
    // Free text: title, village, or a party's name — also in pinyin.
    for (text, want) in [
        ("借贷", vec![i2]),
        ("西街", vec![i2]),
        ("zs", vec![i1]),
        ("李四", vec![i1]),
        ("chengbao", vec![i3]),
    ] {
        assert_eq!(
            by(RegisterFilter {
                text: text.into(),
                ..Default::default()
            }),
            want,
            "{text}"
        );
    }
    // Officers read the whole station, supervisors every station.
    assert_eq!(ids(o, all.clone(), RegisterSort::Risk), [i2, i3, i1]);
    assert!(!ids(chief, all.clone(), RegisterSort::Risk).contains(&i5));
    let everyone = ids(&b.supervisor, all, RegisterSort::Risk);
    assert!([i1, i2, i3, i5].iter().all(|i| everyone.contains(i)));
    // The row names parties and officer.
    let r = row(&b, chief, &d3, &RegisterFilter::default()).expect("row");
    assert_eq!(r.officer_name, "李卫东");
    assert_eq!(r.party_names, [x.name.clone(), y.name.clone()]);
    assert_eq!(r.summary.deadline, Some(date(2026, 12, 11)));
}
