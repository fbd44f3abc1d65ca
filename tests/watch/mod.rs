//! The watch list at the service level, on a real store (GLOSSARY.md, Watch list, Visits;
//! issue 4): approvals of red removals and lowerings, history and audit, rolling
//! visits by level, missed-visit and review alerts, alerts from disputes, roles, and
//! masked personal data with audited reveals.

use crate::common;

use beatbook::model::{
    AlertReason, DisputeDraft, DisputeScale, DisputeSource, Field, FlagChangeKind, FlagStatus, Id,
    Party, PartyRole, Person, RiskLevel, Role, ValidationError, Visit, VisitOutcome, VisitStatus,
};
use beatbook::rules::watch::{FlagAction, WatchRefusal};
use beatbook::service::{
    DoneForm, FlagForm, Forbidden, MissedForm, NewVisitForm, ServiceError, Session, VisitSaved,
    WatchFilter,
};
use beatbook::store::{AuditEntry, Kind};
use chrono::{Duration, NaiveDate};
use common::watch::{flag, stored_flag};
use common::*;
use RiskLevel::{Blue, Orange, Red, Yellow};

mod alerts;
mod approvals;
mod personal_data;
mod roles;
mod visits;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn form(level: RiskLevel, categories: &[&str], basis: &str) -> FlagForm {
    FlagForm {
        categories: categories.iter().map(|c| c.to_string()).collect(),
        level: Some(level),
        basis: basis.into(),
        ..Default::default()
    }
}

/// Every visit about a person, oldest due first.
fn visits_of(b: &Bureau, person: Id) -> Vec<Visit> {
    let mut out: Vec<Visit> = b
        .store()
        .person_visit_summaries(person)
        .expect("summaries")
        .into_iter()
        .map(|s| b.store().get::<Visit>(s.id).expect("read").expect("visit"))
        .collect();
    out.sort_by_key(|v| (v.due, v.meta.id));
    out
}

/// The person's owed visits.
fn owed(b: &Bureau, person: Id) -> Vec<Visit> {
    visits_of(b, person)
        .into_iter()
        .filter(|v| v.status == VisitStatus::Scheduled)
        .collect()
}

/// The single owed visit of a person (fails when there is none or several).
fn the_owed(b: &Bureau, person: Id) -> Visit {
    let owed = owed(b, person);
    assert_eq!(owed.len(), 1, "exactly one owed visit: {owed:#?}");
    owed.into_iter().next().expect("one")
}

fn done_form(next_due: &str) -> DoneForm {
    DoneForm {
        outcome: Some(VisitOutcome::Stable),
        notes: "情绪稳定".into(),
        next_due: next_due.into(),
        ..Default::default()
    }
}

/// Records the person's single owed visit done (no next date) and returns the save.
fn visit_done(b: &Bureau, s: &Session, person: Id) -> VisitSaved {
    let v = the_owed(b, person);
    b.service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form(""))
        .expect("visit done")
}

/// Records the person's single owed visit missed (no next date).
fn visit_missed(b: &Bureau, s: &Session, person: Id) -> VisitSaved {
    let v = the_owed(b, person);
    b.service
        .record_visit_missed(
            s,
            v.meta.id,
            v.meta.revision,
            &MissedForm {
                reason: "家中无人".into(),
                next_due: String::new(),
            },
        )
        .expect("visit missed")
}

/// Moves the test clock to 09:00 of `day`.
fn set_day(b: &Bureau, day: NaiveDate) {
    use chrono::Datelike;
    b.clock.set(at(day.year(), day.month(), day.day(), 9, 0));
}

fn audit_of(b: &Bureau, action: &str) -> Vec<AuditEntry> {
    audit(b.store())
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// Asserts the audit chain verifies and the indexes match the records.
fn assert_store_ok(b: &Bureau) {
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

fn is_pending_exists(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Watch(WatchRefusal::PendingExists))
}

fn is_reason_required(e: &ServiceError) -> bool {
    matches!(
        e,
        ServiceError::Invalid(ValidationError::Required(Field::Reason))
    )
}

fn dispute_draft(title: &str, parties: &[Id]) -> DisputeDraft {
    DisputeDraft {
        title: title.into(),
        category: "02".into(),
        village: "东关村".into(),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        description: "因排水沟发生争执".into(),
        parties: parties
            .iter()
            .enumerate()
            .map(|(i, p)| Party {
                person: *p,
                role: if i == 0 {
                    PartyRole::Applicant
                } else {
                    PartyRole::Respondent
                },
            })
            .collect(),
        ..Default::default()
    }
}

/// Open alerts for `s` of one person.
fn alerts_for(b: &Bureau, s: &Session, person: Id) -> Vec<AlertReason> {
    b.service
        .watch_alerts(s)
        .expect("alerts")
        .into_iter()
        .filter(|r| r.alert.person == person)
        .map(|r| r.alert.reason)
        .collect()
}

fn in_dispute(reasons: &[AlertReason], dispute: Id) -> usize {
    reasons
        .iter()
        .filter(
            |r| matches!(r, AlertReason::WatchedPartyInDispute { dispute: d, .. } if *d == dispute),
        )
        .count()
}

fn repeats(reasons: &[AlertReason]) -> usize {
    reasons
        .iter()
        .filter(|r| matches!(r, AlertReason::RepeatDisputes { .. }))
        .count()
}
