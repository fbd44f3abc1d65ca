//! Supervision findings (执法巡查): a problem the bureau's legal-affairs brigade found in a
//! station's dispute, visit or watch-list flag, the rectification it asks for by a date,
//! and every step between (open → rectified → accepted, or returned back to open), each
//! with who, when and why, so a bulletin can say what was found and what was done.

use super::{Id, Meta};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What kind of record a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Dispute,
    Visit,
    Flag,
}

impl Localize for TargetKind {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            TargetKind::Dispute => ("纠纷", "dispute"),
            TargetKind::Visit => ("回访", "visit"),
            TargetKind::Flag => ("重点人员", "watch-list flag"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Where a finding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// Recorded; the station owes a rectification.
    Open,
    /// The station answered; the supervisor has to accept or return it.
    Rectified,
    /// The supervisor accepted the rectification: closed.
    Accepted,
    /// The supervisor returned the rectification: the station owes it again.
    Returned,
}

impl FindingStatus {
    pub const ALL: [FindingStatus; 4] = [
        FindingStatus::Open,
        FindingStatus::Rectified,
        FindingStatus::Accepted,
        FindingStatus::Returned,
    ];

    /// Index key byte (stable: stored in index keys).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Whether the station owes a rectification (open, or returned to it).
    pub fn awaits_station(self) -> bool {
        matches!(self, FindingStatus::Open | FindingStatus::Returned)
    }
}

impl Localize for FindingStatus {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FindingStatus::Open => ("待整改", "open"),
            FindingStatus::Rectified => ("已整改待验收", "rectified"),
            FindingStatus::Accepted => ("已验收", "accepted"),
            FindingStatus::Returned => ("退回重改", "returned"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One step of a finding's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingChangeKind {
    Opened,
    Rectified,
    Accepted,
    Returned,
}

impl Localize for FindingChangeKind {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FindingChangeKind::Opened => ("发现问题", "found"),
            FindingChangeKind::Rectified => ("答复整改", "rectification"),
            FindingChangeKind::Accepted => ("验收通过", "accepted"),
            FindingChangeKind::Returned => ("退回", "returned"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Who did what, when and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingChange {
    pub at: DateTime<Utc>,
    /// The local date of the terminal at the time: monthly counts use it, so a step taken
    /// at 07:00 on the 1st in China counts in that month although UTC says the day before.
    pub on: NaiveDate,
    pub by: Id,
    /// The username at the time (the history must not depend on later renames).
    #[serde(default)]
    pub by_name: String,
    pub kind: FindingChangeKind,
    /// The description, the rectification, the supervisor's reason or remarks.
    #[serde(default)]
    pub text: String,
}

/// A supervision finding. Owned by the station of the record it is about, so it travels
/// with that station's data; the supervisor is recorded in the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub meta: Meta,
    pub target: TargetKind,
    pub target_id: Id,
    /// What the target was called when the finding was made (dispute title, person's
    /// name): lists show it without reading the target.
    #[serde(default)]
    pub target_label: String,
    /// Problem type code from the findings dictionary.
    pub problem: String,
    pub description: String,
    /// 整改期限: the station rectifies by this date.
    pub deadline: NaiveDate,
    pub status: FindingStatus,
    pub opened_on: NaiveDate,
    /// The station's latest answer.
    #[serde(default)]
    pub rectification: Option<String>,
    #[serde(default)]
    pub history: Vec<FindingChange>,
}

impl Finding {
    /// Overdue: the station still owes the rectification (open or returned) and the
    /// deadline has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.awaits_station() && today > self.deadline
    }

    /// The status the finding had at the end of local date `day`, from its history (for
    /// month-end counts); `None` before it was opened.
    pub fn status_on(&self, day: NaiveDate) -> Option<FindingStatus> {
        if self.opened_on > day {
            return None;
        }
        let mut status = FindingStatus::Open;
        for change in self.history.iter().filter(|c| c.on <= day) {
            status = match change.kind {
                FindingChangeKind::Opened => FindingStatus::Open,
                FindingChangeKind::Rectified => FindingStatus::Rectified,
                FindingChangeKind::Accepted => FindingStatus::Accepted,
                FindingChangeKind::Returned => FindingStatus::Returned,
            };
        }
        Some(status)
    }
}
