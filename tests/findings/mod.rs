//! Supervision findings (执法巡查) through the service on a real store: the workflow
//! open → rectified → returned → rectified → accepted with its history, every refused
//! role and station, overdue, the month counts, the editable dictionary and bad input.

use crate::common;

use beatbook::config::{FindingsConfig, Settings};
use beatbook::i18n::{Lang, Localize};
use beatbook::model::{
    Field, FindingChangeKind, FindingStatus, RiskLevel, TargetKind, ValidationError,
};
use beatbook::service::{FindingFilter, FixedClock, FlagForm, NewFinding, ServiceError, Session};
use beatbook::store::Kind;
use common::disputes::{fresh_pair, register};
use common::{assert_audit_ok, assert_indexes_ok, at, audit, date, start_time, Bureau};
use std::path::Path;
use std::sync::Arc;

mod data;
mod lists;
mod refusals;
mod workflow;

fn new_on_dispute(id: beatbook::model::Id, deadline: &str) -> NewFinding {
    NewFinding {
        target: TargetKind::Dispute,
        target_id: id,
        problem: Some("deadline_missed".into()),
        description: "调解期限已过仍未办结，卷内无延期审批".into(),
        deadline: deadline.into(),
    }
}

/// A dispute of station A, registered by its officer.
fn dispute_a(b: &Bureau) -> beatbook::model::Dispute {
    let (p1, p2) = fresh_pair(b, &b.officer_a);
    register(&b.service, &b.officer_a, "宅基地边界纠纷", &[&p1, &p2], &[])
}

fn both(e: &ServiceError) -> (String, String) {
    (e.localize(Lang::Zh), e.localize(Lang::En))
}
