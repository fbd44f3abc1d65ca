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
use beatbook::rules::disputes::{next_status, DisputeAction, Refusal};
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

mod clocks;
mod handovers;
mod register;
mod roles;
mod workflow;

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

/// Every allowed (action, from, to), from the workflow's one table in the rules
/// (`DisputeAction::allowed_from`, `next_status`; its unit tests hold the table to the
/// domain); these tests hold the service to it: each is accepted end to end, every other
/// pair is refused.
fn allowed() -> Vec<(DisputeAction, DisputeStatus, DisputeStatus)> {
    let mut out = Vec::new();
    for action in ACTIONS {
        for from in action.allowed_from() {
            let to = next_status(*from, action).expect("the table allows what it lists");
            out.push((action, *from, to));
        }
    }
    out
}

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
