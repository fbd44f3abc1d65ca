//! A dispute as lists show it: the register's row, the guard against registering one
//! twice, a person's disputes. The store keeps one per dispute in its (station, status)
//! index, so a list is read without decoding whole disputes; the short field names are that
//! index's encoding.

use crate::{Dispute, DisputeStatus, Id, RiskLevel};
use serde::{Deserialize, Serialize};

/// What a (station, status) dispute index entry carries: a register row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    /// Filled from the key when read.
    #[serde(skip, default = "crate::Id::new")]
    pub id: Id,
    #[serde(rename = "r")]
    pub revision: u64,
    #[serde(rename = "s")]
    pub station: Id,
    #[serde(rename = "st")]
    pub status: DisputeStatus,
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "c")]
    pub category: String,
    #[serde(rename = "k")]
    pub risk: RiskLevel,
    #[serde(rename = "a")]
    pub assigned_to: Id,
    #[serde(rename = "v")]
    pub village: String,
    #[serde(rename = "p")]
    pub parties: Vec<Id>,
    #[serde(rename = "rd")]
    pub reported_on: chrono::NaiveDate,
    #[serde(rename = "ad")]
    pub accepted_on: Option<chrono::NaiveDate>,
    #[serde(rename = "dl")]
    pub deadline: Option<chrono::NaiveDate>,
    #[serde(rename = "fd")]
    pub feedback_due: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(rename = "fg")]
    pub feedback_given: bool,
    /// Last visit or mediation session (for the no-contact alert).
    #[serde(rename = "lc")]
    pub last_contact: Option<chrono::NaiveDate>,
    #[serde(rename = "x")]
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
