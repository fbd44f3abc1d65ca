//! Civil disputes (矛盾纠纷): the register an officer keeps from the first report to the
//! last follow-up visit (GLOSSARY.md, Disputes).

use super::{Id, Meta};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

mod draft;
pub use draft::{parse_amount, DisputeDraft, ValidDispute};

/// Where a dispute stands (GLOSSARY.md, Disputes: status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    Reported,
    Accepted,
    Mediating,
    Resolved,
    FollowingUp,
    Closed,
    /// Handed to a people's mediation committee, judicial office, court or department.
    Referred,
    /// A criminal or administrative case was opened.
    Escalated,
    /// Resolved once, flared up again (复发); mediation starts over.
    Reopened,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 9] = [
        DisputeStatus::Reported,
        DisputeStatus::Accepted,
        DisputeStatus::Mediating,
        DisputeStatus::Resolved,
        DisputeStatus::FollowingUp,
        DisputeStatus::Closed,
        DisputeStatus::Referred,
        DisputeStatus::Escalated,
        DisputeStatus::Reopened,
    ];

    /// One byte for index keys.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Still the station's business: not closed, referred or escalated.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            DisputeStatus::Closed | DisputeStatus::Referred | DisputeStatus::Escalated
        )
    }

    /// The mediation clock runs (deadline applies).
    pub fn mediation_running(self) -> bool {
        matches!(
            self,
            DisputeStatus::Accepted | DisputeStatus::Mediating | DisputeStatus::Reopened
        )
    }
}

impl Localize for DisputeStatus {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            DisputeStatus::Reported => ("已登记", "reported"),
            DisputeStatus::Accepted => ("已受理", "accepted"),
            DisputeStatus::Mediating => ("调解中", "mediating"),
            DisputeStatus::Resolved => ("已化解", "resolved"),
            DisputeStatus::FollowingUp => ("回访中", "following up"),
            DisputeStatus::Closed => ("已办结", "closed"),
            DisputeStatus::Referred => ("已移交", "referred"),
            DisputeStatus::Escalated => ("已转案件", "escalated"),
            DisputeStatus::Reopened => ("复发", "reopened"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// How the dispute reached the station.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeSource {
    #[default]
    WalkIn,
    Call110,
    Screening,
    Referral,
    Petition,
}

impl DisputeSource {
    pub const ALL: [DisputeSource; 5] = [
        DisputeSource::WalkIn,
        DisputeSource::Call110,
        DisputeSource::Screening,
        DisputeSource::Referral,
        DisputeSource::Petition,
    ];
}

impl Localize for DisputeSource {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            DisputeSource::WalkIn => ("来访", "walk-in"),
            DisputeSource::Call110 => ("110 警情", "110 call"),
            DisputeSource::Screening => ("排查", "screening"),
            DisputeSource::Referral => ("移交", "referral"),
            DisputeSource::Petition => ("信访", "petition"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// How many people the dispute involves, as a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeScale {
    #[default]
    Individual,
    Group,
    MajorGroup,
}

impl DisputeScale {
    pub const ALL: [DisputeScale; 3] = [
        DisputeScale::Individual,
        DisputeScale::Group,
        DisputeScale::MajorGroup,
    ];
}

impl Localize for DisputeScale {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            DisputeScale::Individual => ("个体", "individual"),
            DisputeScale::Group => ("一般群体性", "group"),
            DisputeScale::MajorGroup => ("重大群体性", "major group"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Ordinary disputes get the short mediation deadline, complex ones the long one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    #[default]
    Ordinary,
    Complex,
}

impl Localize for Complexity {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Complexity::Ordinary => ("一般", "ordinary"),
            Complexity::Complex => ("复杂", "complex"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// A party's side in the dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Applicant,
    Respondent,
    Other,
}

impl PartyRole {
    pub const ALL: [PartyRole; 3] = [
        PartyRole::Applicant,
        PartyRole::Respondent,
        PartyRole::Other,
    ];
}

impl Localize for PartyRole {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            PartyRole::Applicant => ("申请人", "applicant"),
            PartyRole::Respondent => ("被申请人", "respondent"),
            PartyRole::Other => ("其他当事人", "other party"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Escalation risk, four-colour scheme; ordered from latent to highest.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    #[default]
    Blue,
    Yellow,
    Orange,
    Red,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [
        RiskLevel::Blue,
        RiskLevel::Yellow,
        RiskLevel::Orange,
        RiskLevel::Red,
    ];

    /// Highest first, as lists and reports show them.
    pub const DESCENDING: [RiskLevel; 4] = [
        RiskLevel::Red,
        RiskLevel::Orange,
        RiskLevel::Yellow,
        RiskLevel::Blue,
    ];

    /// 0 (blue) to 3 (red): the level's place in [`RiskLevel::ALL`], for count tables
    /// and compact encodings.
    pub fn rank(self) -> usize {
        match self {
            RiskLevel::Blue => 0,
            RiskLevel::Yellow => 1,
            RiskLevel::Orange => 2,
            RiskLevel::Red => 3,
        }
    }

    pub fn parse(s: &str) -> Option<RiskLevel> {
        match s.trim().to_lowercase().as_str() {
            "blue" | "蓝" | "蓝色" => Some(RiskLevel::Blue),
            "yellow" | "黄" | "黄色" => Some(RiskLevel::Yellow),
            "orange" | "橙" | "橙色" => Some(RiskLevel::Orange),
            "red" | "红" | "红色" => Some(RiskLevel::Red),
            _ => None,
        }
    }

    /// Red and orange disputes need close contact (alerts, weekly visits).
    pub fn is_high(self) -> bool {
        self >= RiskLevel::Orange
    }
}

impl Localize for RiskLevel {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            RiskLevel::Blue => ("蓝", "blue"),
            RiskLevel::Yellow => ("黄", "yellow"),
            RiskLevel::Orange => ("橙", "orange"),
            RiskLevel::Red => ("红", "red"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One party: a person record and their side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub person: Id,
    pub role: PartyRole,
}

/// How a mediation session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionResult {
    Agreement,
    PartialAgreement,
    NoAgreement,
}

impl SessionResult {
    pub const ALL: [SessionResult; 3] = [
        SessionResult::Agreement,
        SessionResult::PartialAgreement,
        SessionResult::NoAgreement,
    ];
}

impl Localize for SessionResult {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            SessionResult::Agreement => ("达成协议", "agreement"),
            SessionResult::PartialAgreement => ("部分达成", "partial agreement"),
            SessionResult::NoAgreement => ("未达成", "no agreement"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One mediation session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationSession {
    pub date: NaiveDate,
    /// Who took part (free text: names and roles).
    pub participants: String,
    /// How: face to face, by phone, with the village committee…
    pub method: String,
    pub result: SessionResult,
    #[serde(default)]
    pub agreement: String,
    #[serde(default)]
    pub notes: String,
    pub recorded_by: Id,
    pub recorded_at: DateTime<Utc>,
}

/// How the dispute was resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub date: NaiveDate,
    /// E.g. 当场调解, 人民调解委员会调解, 协商和解.
    pub method: String,
    pub officer: Id,
    pub success: bool,
    /// What was agreed or done.
    pub how: String,
}

/// The closing evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub date: NaiveDate,
    pub remarks: String,
}

/// One line of the status history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub by: Id,
    pub from: Option<DisputeStatus>,
    pub to: DisputeStatus,
    #[serde(default)]
    pub reason: String,
}

/// A request to extend the mediation deadline (延期), decided by the chief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub requested_at: DateTime<Utc>,
    pub requested_by: Id,
    pub days: u32,
    pub reason: String,
    #[serde(default)]
    pub decision: Option<ExtensionDecision>,
}

/// The chief's answer to an extension request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDecision {
    pub approved: bool,
    pub by: Id,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub remarks: String,
}

/// Where a referred or escalated dispute went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// Receiving body (referral) or case type (escalation).
    pub to: String,
    /// Their reference or case number.
    pub reference: String,
    pub date: NaiveDate,
}

/// A dispute record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub meta: Meta,
    pub title: String,
    /// Category code from the dictionary (e.g. `03`).
    pub category: String,
    #[serde(default)]
    pub subcategory: String,
    /// Village, community or grid.
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub place: String,
    pub happened_on: Option<NaiveDate>,
    /// Set on acceptance.
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    pub reported_at: DateTime<Utc>,
    /// The station's local date of the report (lists and 12-month windows use dates).
    pub reported_on: NaiveDate,
    pub source: DisputeSource,
    pub scale: DisputeScale,
    pub people_involved: u32,
    /// Amount at stake in fen (1/100 yuan), so sums are exact.
    #[serde(default)]
    pub amount_fen: Option<u64>,
    #[serde(default)]
    pub description: String,
    pub parties: Vec<Party>,
    pub assigned_to: Id,
    #[serde(default)]
    pub complexity: Complexity,
    pub status: DisputeStatus,
    /// Indicator codes the officer ticked.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Indicator codes the data implies (watch list, repeated disputes), computed on save.
    #[serde(default)]
    pub implied_indicators: Vec<String>,
    pub risk: RiskLevel,
    /// Ids of the risk rules that fired, for the detail screen.
    #[serde(default)]
    pub fired_rules: Vec<String>,
    #[serde(default)]
    pub mediation_deadline: Option<NaiveDate>,
    /// Feedback to the reporting party is due 24 hours after acceptance.
    #[serde(default)]
    pub feedback_due: Option<DateTime<Utc>>,
    #[serde(default)]
    pub feedback_given: Option<DateTime<Utc>>,
    #[serde(default)]
    pub sessions: Vec<MediationSession>,
    #[serde(default)]
    pub resolution: Option<Resolution>,
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    #[serde(default)]
    pub extensions: Vec<Extension>,
    #[serde(default)]
    pub handover: Option<Handover>,
    /// The last visit made about this dispute (sessions count too; see `summary`).
    #[serde(default)]
    pub last_contact: Option<NaiveDate>,
    /// The earlier dispute between the same parties this one recurs.
    #[serde(default)]
    pub recurrence_of: Option<Id>,
    #[serde(default)]
    pub history: Vec<StatusChange>,
    /// The printed mediation agreement: its number and what the paper says about
    /// performance. Set when it is first printed; reprints keep the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_paper: Option<AgreementPaper>,
}

/// What the printed 人民调解协议书 of a dispute carries beyond the dispute itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementPaper {
    /// The year of the number (（2026）城关调字第 17 号).
    pub year: i32,
    /// The number within the station and year, from 1.
    pub number: u32,
    /// How the agreed terms are performed (a payment in two instalments, say).
    #[serde(default)]
    pub manner: String,
    /// By when.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

impl Dispute {
    /// A dispute just reported, as the register form and the demo make one: status
    /// reported (one history line at `meta.created_at` by `meta.changed_by`), risk blue
    /// until the rules assess it, nothing else recorded yet.
    pub fn reported(
        meta: Meta,
        v: ValidDispute,
        assigned_to: Id,
        reported_on: NaiveDate,
        recurrence_of: Option<Id>,
    ) -> Dispute {
        let reported = StatusChange {
            at: meta.created_at,
            by: meta.changed_by,
            from: None,
            to: DisputeStatus::Reported,
            reason: String::new(),
        };
        Dispute {
            reported_at: meta.created_at,
            meta,
            title: v.title,
            category: v.category,
            subcategory: v.subcategory,
            village: v.village,
            place: v.place,
            happened_on: v.happened_on,
            accepted_on: None,
            reported_on,
            source: v.source,
            scale: v.scale,
            people_involved: v.people_involved,
            amount_fen: v.amount_fen,
            description: v.description,
            parties: v.parties,
            assigned_to,
            complexity: v.complexity,
            status: DisputeStatus::Reported,
            indicators: v.indicators,
            implied_indicators: Vec::new(),
            risk: RiskLevel::Blue,
            fired_rules: Vec::new(),
            mediation_deadline: None,
            feedback_due: None,
            feedback_given: None,
            sessions: Vec::new(),
            resolution: None,
            evaluation: None,
            extensions: Vec::new(),
            handover: None,
            last_contact: None,
            recurrence_of,
            history: vec![reported],
            agreement_paper: None,
        }
    }

    /// The persons involved.
    pub fn party_ids(&self) -> impl Iterator<Item = Id> + '_ {
        self.parties.iter().map(|p| p.person)
    }

    /// The extension request still waiting for the chief, if any.
    pub fn pending_extension(&self) -> Option<&Extension> {
        self.extensions.iter().rev().find(|e| e.decision.is_none())
    }

    /// The amount in yuan, for display.
    pub fn amount_yuan(&self) -> Option<String> {
        self.amount_fen.map(|f| {
            if f % 100 == 0 {
                format!("{}", f / 100)
            } else {
                format!("{}.{:02}", f / 100, f % 100)
            }
        })
    }
}

#[cfg(test)]
mod tests;
