//! Follow-up visits (回访 / 走访): the daily work list of a station.

use super::{Id, Meta};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How a visit is (to be) made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitMethod {
    #[default]
    InPerson,
    Phone,
    Messaging,
    AtStation,
}

impl VisitMethod {
    pub const ALL: [VisitMethod; 4] = [
        VisitMethod::InPerson,
        VisitMethod::Phone,
        VisitMethod::Messaging,
        VisitMethod::AtStation,
    ];
}

impl Localize for VisitMethod {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            VisitMethod::InPerson => ("上门", "in person"),
            VisitMethod::Phone => ("电话", "phone"),
            VisitMethod::Messaging => ("微信", "messaging"),
            VisitMethod::AtStation => ("来所", "at station"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Where a visit stands. Only `Scheduled` visits are owed; the others are history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Scheduled,
    Done,
    Missed,
    Cancelled,
}

impl VisitStatus {
    /// One byte for index keys; grouping by status first keeps owed visits contiguous.
    pub fn code(self) -> u8 {
        match self {
            VisitStatus::Scheduled => 0,
            VisitStatus::Done => 1,
            VisitStatus::Missed => 2,
            VisitStatus::Cancelled => 3,
        }
    }

    pub const ALL: [VisitStatus; 4] = [
        VisitStatus::Scheduled,
        VisitStatus::Done,
        VisitStatus::Missed,
        VisitStatus::Cancelled,
    ];
}

impl Localize for VisitStatus {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            VisitStatus::Scheduled => ("待访", "scheduled"),
            VisitStatus::Done => ("已访", "done"),
            VisitStatus::Missed => ("未访", "missed"),
            VisitStatus::Cancelled => ("已取消", "cancelled"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// What the officer found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    Stable,
    Improved,
    Worsened,
    NotReached,
}

impl VisitOutcome {
    pub const ALL: [VisitOutcome; 4] = [
        VisitOutcome::Stable,
        VisitOutcome::Improved,
        VisitOutcome::Worsened,
        VisitOutcome::NotReached,
    ];
}

impl Localize for VisitOutcome {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            VisitOutcome::Stable => ("情况稳定", "stable"),
            VisitOutcome::Improved => ("有所好转", "improved"),
            VisitOutcome::Worsened => ("有所恶化", "worsened"),
            VisitOutcome::NotReached => ("未联系上", "not reached"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Who or what the visit is about: a person, a dispute, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSubject {
    pub person: Option<Id>,
    pub dispute: Option<Id>,
}

/// What happened to a visit, kept on the record for its detail screen (the audit log
/// keeps the same facts for the bureau).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitChangeKind {
    Scheduled,
    Rescheduled,
    Done,
    Missed,
    Cancelled,
}

impl Localize for VisitChangeKind {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            VisitChangeKind::Scheduled => ("安排回访", "scheduled"),
            VisitChangeKind::Rescheduled => ("改期", "rescheduled"),
            VisitChangeKind::Done => ("完成回访", "done"),
            VisitChangeKind::Missed => ("记为未访", "missed"),
            VisitChangeKind::Cancelled => ("取消", "cancelled"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One line of a visit's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitChange {
    pub at: DateTime<Utc>,
    pub by: Id,
    pub kind: VisitChangeKind,
    /// For reschedules: the due date before the change.
    #[serde(default)]
    pub from_due: Option<NaiveDate>,
    /// For reschedules: the new due date.
    #[serde(default)]
    pub to_due: Option<NaiveDate>,
    #[serde(default)]
    pub reason: String,
}

impl VisitChange {
    /// A history line with no dates and no reason.
    pub fn new(at: DateTime<Utc>, by: Id, kind: VisitChangeKind) -> VisitChange {
        VisitChange {
            at,
            by,
            kind,
            from_due: None,
            to_due: None,
            reason: String::new(),
        }
    }

    /// With the due date before and after (reschedules, scheduling).
    pub fn dates(mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> VisitChange {
        self.from_due = from;
        self.to_due = to;
        self
    }

    /// With the reason given.
    pub fn reason(mut self, reason: impl Into<String>) -> VisitChange {
        self.reason = reason.into();
        self
    }
}

/// A follow-up visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub meta: Meta,
    pub subject: VisitSubject,
    /// The officer who owes the visit.
    pub assigned_to: Id,
    pub due: NaiveDate,
    /// Planned method; on completion, the method actually used.
    pub method: VisitMethod,
    /// Why the visit is owed, e.g. 重点人员定期走访 or 调解后第 3 天回访.
    #[serde(default)]
    pub purpose: String,
    pub status: VisitStatus,
    #[serde(default)]
    pub outcome: Option<VisitOutcome>,
    /// Whether a mediation agreement is being honoured (None: not asked / no agreement).
    #[serde(default)]
    pub agreement_honoured: Option<bool>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    /// Reason given for the last reschedule, miss or cancellation.
    #[serde(default)]
    pub status_reason: String,
    /// The visit scheduled when this one was done ("next visit").
    #[serde(default)]
    pub next_visit: Option<Id>,
    /// The visit whose completion scheduled this one.
    #[serde(default)]
    pub previous_visit: Option<Id>,
    #[serde(default)]
    pub history: Vec<VisitChange>,
    /// Scheduled by the watch-list rhythm of the person's level. Only these are re-planned
    /// when the level changes and cancelled when the flag is removed: a visit an officer
    /// arranged by hand stays as it was.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rolling: bool,
    /// Every party a dispute follow-up covers (the subject person first). One visit per
    /// follow-up date reaches all parties: the officer often meets them together, and
    /// "owed / made" stays one count per date. Empty for a visit to one person.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Id>,
    /// Who was met, recorded when the visit is done. `None` on visits recorded before the
    /// choice existed (and on one-person visits recorded without it): the subject person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<Vec<Id>>,
}

impl Visit {
    /// A visit owed on `due`, as every path that plans one (a use case, a follow-up, the
    /// watch rhythm, the demo and the seed) makes it: scheduled, in person, nothing
    /// recorded yet, and one history line "scheduled for `due`" at `meta.created_at` by
    /// `meta.changed_by`. The `with_…` methods and struct update set what differs.
    pub fn planned(
        meta: Meta,
        subject: VisitSubject,
        assigned_to: Id,
        due: NaiveDate,
        purpose: impl Into<String>,
    ) -> Visit {
        let scheduled =
            VisitChange::new(meta.created_at, meta.changed_by, VisitChangeKind::Scheduled)
                .dates(None, Some(due));
        Visit {
            meta,
            subject,
            assigned_to,
            due,
            method: VisitMethod::InPerson,
            purpose: purpose.into(),
            status: VisitStatus::Scheduled,
            outcome: None,
            agreement_honoured: None,
            notes: String::new(),
            completed_at: None,
            status_reason: String::new(),
            next_visit: None,
            previous_visit: None,
            history: vec![scheduled],
            rolling: false,
            parties: Vec::new(),
            met: None,
        }
    }

    /// The `n`th follow-up of a resolved dispute, due `days` after its resolution: subject
    /// the dispute and its first party, covering every party (who was met is recorded when
    /// it is done).
    pub fn dispute_follow_up(
        meta: Meta,
        d: &crate::Dispute,
        due: NaiveDate,
        days: i64,
        n: usize,
    ) -> Visit {
        let subject = VisitSubject {
            person: d.parties.first().map(|p| p.person),
            dispute: Some(d.meta.id),
        };
        let purpose = format!("{}：化解后第{days}天回访（{n}）", d.title);
        Visit::planned(meta, subject, d.assigned_to, due, purpose)
            .with_parties(d.party_ids().collect())
    }

    /// With the planned method.
    pub fn with_method(mut self, method: VisitMethod) -> Visit {
        self.method = method;
        self
    }

    /// Scheduled by the watch-list rhythm (or keeping a rolling visit's rhythm).
    pub fn with_rolling(mut self, rolling: bool) -> Visit {
        self.rolling = rolling;
        self
    }

    /// Covering these parties (a dispute follow-up).
    pub fn with_parties(mut self, parties: Vec<Id>) -> Visit {
        self.parties = parties;
        self
    }

    /// With notes written when it was planned.
    pub fn with_notes(mut self, notes: impl Into<String>) -> Visit {
        self.notes = notes.into();
        self
    }

    /// Scheduled when `previous` was done.
    pub fn following(mut self, previous: Id) -> Visit {
        self.previous_visit = Some(previous);
        self
    }

    /// Whether the visit is still owed.
    pub fn is_open(&self) -> bool {
        self.status == VisitStatus::Scheduled
    }

    /// Every person the visit is about: the subject person, then the other parties it
    /// covers, each once.
    pub fn persons(&self) -> Vec<Id> {
        let mut out: Vec<Id> = self.subject.person.into_iter().collect();
        for p in &self.parties {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        out
    }

    /// The persons this visit made contact with: on a done visit, those recorded as met
    /// (the subject person when nobody was recorded); nobody otherwise.
    pub fn contacted(&self) -> Vec<Id> {
        if self.status != VisitStatus::Done {
            return Vec::new();
        }
        match &self.met {
            Some(met) => met.clone(),
            None => self.subject.person.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Meta;

    fn visit(person: Option<Id>, parties: Vec<Id>) -> Visit {
        let subject = VisitSubject {
            person,
            dispute: None,
        };
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        Visit::planned(
            Meta::new(Id::new(), Utc::now(), Id::new()),
            subject,
            Id::new(),
            due,
            "",
        )
        .with_parties(parties)
    }

    #[test]
    fn persons_lists_the_subject_first_and_each_party_once() {
        let (a, b) = (Id::new(), Id::new());
        assert_eq!(visit(Some(a), vec![a, b]).persons(), vec![a, b]);
        assert_eq!(visit(Some(a), vec![]).persons(), vec![a]);
        assert_eq!(visit(None, vec![b]).persons(), vec![b]);
    }

    #[test]
    fn contact_is_made_only_by_a_done_visit_with_whoever_was_met() {
        let (a, b) = (Id::new(), Id::new());
        let mut v = visit(Some(a), vec![a, b]);
        assert!(v.contacted().is_empty(), "scheduled: no contact yet");
        v.status = VisitStatus::Done;
        assert_eq!(v.contacted(), vec![a], "nothing recorded: the subject");
        v.met = Some(vec![b]);
        assert_eq!(v.contacted(), vec![b]);
        v.met = Some(Vec::new());
        assert!(v.contacted().is_empty(), "recorded: nobody met");
        v.status = VisitStatus::Missed;
        v.met = Some(vec![a, b]);
        assert!(v.contacted().is_empty());
    }

    #[test]
    fn an_old_record_without_parties_or_met_loads() {
        let v = visit(Some(Id::new()), vec![]);
        let json = serde_json::to_string(&v).expect("encode");
        assert!(!json.contains("parties") && !json.contains("\"met\""));
        let back: Visit = serde_json::from_str(&json).expect("decode");
        assert_eq!(back, v);
    }
}
