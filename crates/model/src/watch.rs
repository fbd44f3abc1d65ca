//! The watch list of key persons (重点人员): flags on persons, with a level, the basis for
//! listing them, a responsible officer, review dates and the history of every change.

use super::{Id, Meta, Person, RiskLevel};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Whether a flag is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagStatus {
    Active,
    Removed,
}

impl FlagStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A change waiting for the chief (removing or lowering a red flag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChange {
    /// None: removal; Some(level): lowering to that level.
    pub to_level: Option<RiskLevel>,
    pub reason: String,
    pub requested_by: Id,
    pub requested_at: DateTime<Utc>,
}

/// What happened to a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagChangeKind {
    Added,
    LevelChanged,
    DetailsChanged,
    Reviewed,
    RemovalRequested,
    LoweringRequested,
    Approved,
    Rejected,
    Removed,
}

impl Localize for FlagChangeKind {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FlagChangeKind::Added => ("列管", "listed"),
            FlagChangeKind::LevelChanged => ("调整等级", "level changed"),
            FlagChangeKind::DetailsChanged => ("修改信息", "details changed"),
            FlagChangeKind::Reviewed => ("复核", "reviewed"),
            FlagChangeKind::RemovalRequested => ("申请撤销列管", "removal requested"),
            FlagChangeKind::LoweringRequested => ("申请降级", "lowering requested"),
            FlagChangeKind::Approved => ("所长批准", "approved by the chief"),
            FlagChangeKind::Rejected => ("所长不批准", "rejected by the chief"),
            FlagChangeKind::Removed => ("撤销列管", "removed"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One line of a flag's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagChange {
    pub at: DateTime<Utc>,
    pub by: Id,
    pub kind: FlagChangeKind,
    #[serde(default)]
    pub from_level: Option<RiskLevel>,
    #[serde(default)]
    pub to_level: Option<RiskLevel>,
    #[serde(default)]
    pub reason: String,
}

/// A person's watch-list flag. One flag per person; it carries all their categories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchFlag {
    pub meta: Meta,
    pub person: Id,
    /// Category codes from the watch dictionary (a person can have several).
    pub categories: Vec<String>,
    /// Sub-category codes (e.g. which of the "six losses").
    #[serde(default)]
    pub subcategories: Vec<String>,
    pub level: RiskLevel,
    /// 纳入依据: why the person is listed.
    pub basis: String,
    /// 列管来源: who or what put them on the list.
    #[serde(default)]
    pub source: String,
    pub responsible: Id,
    pub added_on: NaiveDate,
    pub next_review: NaiveDate,
    pub status: FlagStatus,
    #[serde(default)]
    pub pending: Option<PendingChange>,
    /// The last visit made (the rhythm counts from it).
    #[serde(default)]
    pub last_contact: Option<NaiveDate>,
    /// Missed visits since the last one made.
    #[serde(default)]
    pub missed_in_a_row: u32,
    #[serde(default)]
    pub history: Vec<FlagChange>,
    /// The person as the watch list shows them, copied onto the flag so that the list of
    /// a station with 5,000 flags opens from the flag index alone, without 5,000 person
    /// reads. The service refreshes it in the same change as every write of the person's
    /// name, village, birth date or ID number (see [`WatchFlag::list_person_from`]);
    /// `check` reports a copy that differs from the person. Empty in stores written before
    /// schema 7 until the migration fills it.
    #[serde(default)]
    pub listed_as: FlagPerson,
}

impl WatchFlag {
    pub fn is_active(&self) -> bool {
        self.status == FlagStatus::Active
    }

    /// Copies what the watch list shows of `person` onto the flag (the one mapping every
    /// write path uses). Returns whether it changed, so callers write the flag only then.
    pub fn list_person_from(&mut self, person: &Person) -> bool {
        let now = FlagPerson::of(person);
        if self.listed_as == now {
            return false;
        }
        self.listed_as = now;
        true
    }

    /// Whether the flag's copy of the person still matches the person.
    pub fn lists_person_as(&self, person: &Person) -> bool {
        self.listed_as == FlagPerson::of(person)
    }
}

/// The fields of a person the watch list shows and filters on, as copied onto their flag.
/// Only the masked ID number: the full one never leaves the person record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagPerson {
    pub name: String,
    /// Village, community or grid.
    pub village: String,
    /// Birth year and masked ID number: many people share a name.
    pub birth_year: Option<i32>,
    pub masked_id: Option<String>,
}

impl FlagPerson {
    pub fn of(person: &Person) -> FlagPerson {
        FlagPerson {
            name: person.name.clone(),
            village: person.village.clone(),
            birth_year: person.birth_year(),
            masked_id: person.id_number.as_ref().map(|n| n.masked()),
        }
    }
}

/// What the watch list shows of a flag. The station index carries it (no basis or
/// history, in a compact binary layout: see `store::flag_rows`) so that the list of a
/// station with thousands of flags opens without decoding whole flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagRow {
    /// The flag's id (from the index key).
    pub id: Id,
    pub person: Id,
    pub station: Id,
    pub categories: Vec<String>,
    pub level: RiskLevel,
    pub responsible: Id,
    pub next_review: NaiveDate,
    pub last_contact: Option<NaiveDate>,
    /// A lowering or removal waits for the chief.
    pub pending: bool,
    /// The flag's copy of the person (name, village, birth year, masked ID).
    pub listed_as: FlagPerson,
}

impl FlagRow {
    pub fn of(flag: &WatchFlag) -> FlagRow {
        FlagRow {
            id: flag.meta.id,
            person: flag.person,
            station: flag.meta.station,
            categories: flag.categories.clone(),
            level: flag.level,
            responsible: flag.responsible,
            next_review: flag.next_review,
            last_contact: flag.last_contact,
            pending: flag.pending.is_some(),
            listed_as: flag.listed_as.clone(),
        }
    }
}

/// Why an alert was raised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertReason {
    /// A watch-listed person became party to a dispute.
    WatchedPartyInDispute { dispute: Id, title: String },
    /// A person is party to two or more disputes within the window.
    RepeatDisputes { count: u32 },
    /// Two (configurable) visits in a row were missed.
    MissedVisits { count: u32 },
    /// The flag's review date passed.
    ReviewOverdue { due: NaiveDate },
}

/// Something the responsible officer and the chief must see until they acknowledge it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub meta: Meta,
    pub person: Id,
    pub reason: AlertReason,
    /// The officer responsible (the chief of the station sees every alert).
    pub officer: Id,
    pub raised_on: NaiveDate,
    #[serde(default)]
    pub acknowledged_by: Option<Id>,
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
}

impl Alert {
    pub fn is_open(&self) -> bool {
        self.acknowledged_at.is_none()
    }
}
