//! Follow-up rules decided after review: a missed follow-up must be retried (or the retry
//! cancelled with a reason) before closing; reopening cancels the old plan; the no-contact
//! alert stops once the plan sets the rhythm; feedback is recorded once.

use crate::common;

use beatbook::model::{DisputeStatus, VisitStatus};
use beatbook::service::{AlertKind, MissedForm, ServiceError};
use common::disputes::*;
use common::Bureau;

#[test]
fn a_missed_follow_up_without_a_retry_blocks_closing() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "张某与李某宅基地纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let (d, _) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    // Miss every follow-up, without retries.
    for v in open_visits_of(&b, &d) {
        s.record_visit_missed(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &MissedForm::default(),
        )
        .expect("missed");
    }
    let d = reload(&b, &d);
    let err = s
        .close_dispute(&b.chief_a, d.meta.id, d.meta.revision, "")
        .expect_err("misses are not visits made");
    assert!(
        matches!(err, ServiceError::OpenFollowUps(n) if n > 0),
        "{err:?}"
    );
}

#[test]
fn reopening_cancels_the_old_plan() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "邻里噪音纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let (d, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    assert!(!visits.is_empty());
    let d = s
        .reopen_dispute(&b.officer_a, d.meta.id, d.meta.revision, "又发生争吵")
        .expect("reopen");
    assert_eq!(d.status, DisputeStatus::Reopened);
    assert!(
        open_visits_of(&b, &d).is_empty(),
        "old follow-ups cancelled"
    );
    assert!(visits_of(&b, &d)
        .iter()
        .all(|v| v.status == VisitStatus::Cancelled && !v.status_reason.is_empty()));
}

#[test]
fn no_contact_alert_stops_once_resolved_and_feedback_is_recorded_once() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "持刀威胁纠纷", &[&p, &q], &["weapons"]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let d = s
        .record_feedback(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("feedback");
    let again = s.record_feedback(&b.officer_a, d.meta.id, d.meta.revision);
    assert!(
        matches!(again, Err(ServiceError::FeedbackAlreadyGiven)),
        "{again:?}"
    );
    b.clock.advance(chrono::Duration::days(4));
    let no_contact = |b: &Bureau| {
        s.dispute_alerts(&b.officer_a, true)
            .expect("alerts")
            .iter()
            .any(|a| matches!(a.kind, AlertKind::NoContact { .. }))
    };
    assert!(no_contact(&b), "red, accepted, four days without contact");
    let d = reload(&b, &d);
    s.resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    b.clock.advance(chrono::Duration::days(2));
    assert!(!no_contact(&b), "the follow-up plan sets the rhythm now");
}
