//! Service use cases on a real store: permissions per role and station, login lockout,
//! the audit trail of every write, visit transitions, bad input, and the Today list.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{
    Field, Officer, PersonDraft, Role, ValidationError, Visit, VisitChangeKind, VisitMethod,
    VisitOutcome, VisitStatus,
};
use beatbook::rules::visits::Urgency;
use beatbook::service::{
    DoneForm, Forbidden, MissedForm, NewOfficer, NewVisitForm, RescheduleForm, Scope, ServiceError,
    Session,
};
use beatbook::store::{Index, Kind, StoreError};
use chrono::Duration;
use common::{
    assert_audit_ok, assert_indexes_ok, at, audit_after, create_person, date, refusal,
    refused_without_writes, Bureau, PASSWORD,
};
use std::fmt::Debug;

mod accounts;
mod audit;
mod input;
mod roles;
mod visits;

fn done_form() -> DoneForm {
    DoneForm {
        outcome: Some(VisitOutcome::Stable),
        method: VisitMethod::Phone,
        agreement_honoured: Some(true),
        notes: "情况稳定，无新矛盾".into(),
        next_due: String::new(),
        met: None,
    }
}

fn reschedule_form(new_due: &str) -> RescheduleForm {
    RescheduleForm {
        new_due: new_due.into(),
        reason: "当事人外出务工".into(),
    }
}

fn new_visit(person: &beatbook::model::Person, due: &str) -> NewVisitForm {
    NewVisitForm {
        person: Some(person.meta.id),
        due: due.into(),
        method: VisitMethod::InPerson,
        purpose: "调解后回访".into(),
        assigned_to: None,
        notes: String::new(),
        dispute: None,
    }
}

/// The permission refusal of a call that must be forbidden.
fn forbidden<T: Debug>(what: &str, r: Result<T, ServiceError>) -> Forbidden {
    match refusal(what, r) {
        ServiceError::Forbidden(f) => f,
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    }
}

fn stored_visit(b: &Bureau, v: &Visit) -> Visit {
    b.store()
        .get::<Visit>(v.meta.id)
        .expect("read")
        .expect("visit stored")
}
