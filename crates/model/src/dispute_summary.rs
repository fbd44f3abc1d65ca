//! A dispute as lists show it: the register's row, the guard against registering one
//! twice, a person's disputes. The store keeps one per dispute in its (station, status)
//! and (party) indexes, in a compact binary layout of its own, so a list is read without
//! decoding whole disputes.

use crate::{Dispute, DisputeStatus, Id, RiskLevel};

/// What a (station, status) dispute index entry carries: a register row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeSummary {
    /// Filled from the key when read.
    pub id: Id,
    pub revision: u64,
    pub station: Id,
    pub status: DisputeStatus,
    pub title: String,
    pub category: String,
    pub risk: RiskLevel,
    pub assigned_to: Id,
    pub village: String,
    pub parties: Vec<Id>,
    pub reported_on: chrono::NaiveDate,
    pub accepted_on: Option<chrono::NaiveDate>,
    pub deadline: Option<chrono::NaiveDate>,
    pub feedback_due: Option<chrono::DateTime<chrono::Utc>>,
    pub feedback_given: bool,
    /// Last visit or mediation session (for the no-contact alert).
    pub last_contact: Option<chrono::NaiveDate>,
    pub extension_pending: bool,
}

impl DisputeSummary {
    /// The register row for `dispute`.
    pub fn of(dispute: &Dispute) -> DisputeSummary {
        let last_session = dispute.sessions.iter().map(|s| s.date).max();
        DisputeSummary {
            id: dispute.meta.id,
            revision: dispute.meta.revision,
            station: dispute.meta.station,
            status: dispute.status,
            title: dispute.title.clone(),
            category: dispute.category.clone(),
            risk: dispute.risk,
            assigned_to: dispute.assigned_to,
            village: dispute.village.clone(),
            parties: dispute.party_ids().collect(),
            reported_on: dispute.reported_on,
            accepted_on: dispute.accepted_on,
            deadline: dispute.mediation_deadline,
            feedback_due: dispute.feedback_due,
            feedback_given: dispute.feedback_given.is_some(),
            last_contact: dispute.last_contact.max(last_session),
            extension_pending: dispute.pending_extension().is_some(),
        }
    }
}
