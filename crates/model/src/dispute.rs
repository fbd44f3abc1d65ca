//! Civil disputes (矛盾纠纷): the register an officer keeps from the first report to the
//! last follow-up visit (GLOSSARY.md, Disputes).

use super::{Id, Meta};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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
}

impl Dispute {
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

/// A dispute as typed into the register form: text as typed, choices already made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisputeDraft {
    pub title: String,
    pub category: String,
    pub subcategory: String,
    pub village: String,
    pub place: String,
    pub happened_on: String,
    pub source: DisputeSource,
    pub scale: DisputeScale,
    pub people_involved: String,
    pub amount: String,
    pub description: String,
    pub parties: Vec<Party>,
    pub complexity: Complexity,
    pub indicators: Vec<String>,
}

/// The checked content of a [`DisputeDraft`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDispute {
    pub title: String,
    pub category: String,
    pub subcategory: String,
    pub village: String,
    pub place: String,
    pub happened_on: Option<NaiveDate>,
    pub source: DisputeSource,
    pub scale: DisputeScale,
    pub people_involved: u32,
    pub amount_fen: Option<u64>,
    pub description: String,
    pub parties: Vec<Party>,
    pub complexity: Complexity,
    pub indicators: Vec<String>,
}

use super::text::{clean, limits};
use super::{Field, ValidationError};

/// One trillion yuan: anything above is a typing mistake, not a dispute.
const MAX_AMOUNT_FEN: u64 = 100_000_000_000_000;

/// Parses an amount in yuan: `12000`, `12,000.50`, `1.5万`, full-width digits. Returns fen.
pub fn parse_amount(field: Field, input: &str) -> Result<Option<u64>, ValidationError> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '元' | '¥' | '￥'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    let invalid = || ValidationError::InvalidAmount {
        field,
        input: input.trim().to_string(),
    };
    if s.starts_with('-') {
        return Err(ValidationError::Negative { field });
    }
    let (number, factor) = match s.strip_suffix('万') {
        Some(n) => (n, 10_000u64),
        None => (s.as_str(), 1),
    };
    let (whole, frac) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 6
    {
        return Err(invalid());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    // Fractional yuan as fen (times the factor), exact to the fen.
    let frac_scaled: u64 = {
        let digits = format!("{frac:0<6}");
        let micro: u64 = digits.parse().map_err(|_| invalid())?;
        micro
            .checked_mul(factor)
            .map(|m| m / 10_000)
            .ok_or_else(invalid)?
    };
    whole
        .checked_mul(factor)
        .and_then(|y| y.checked_mul(100))
        .and_then(|f| f.checked_add(frac_scaled))
        .filter(|f| *f <= MAX_AMOUNT_FEN)
        .map(Some)
        .ok_or_else(invalid)
}

impl DisputeDraft {
    /// Checks every field that needs no dictionary (the service checks the category).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDispute, ValidationError> {
        let title = clean(Field::Title, &self.title, limits::SHORT, true, false)?;
        let category = clean(Field::Category, &self.category, 16, true, false)?;
        let happened_on =
            super::dates::parse_optional_date(Field::HappenedOn, &self.happened_on, today)?;
        if happened_on.is_some_and(|d| d > today) {
            return Err(ValidationError::DateInFuture {
                field: Field::HappenedOn,
            });
        }
        let people = self.people_involved.trim();
        let people_involved = if people.is_empty() {
            self.parties.len() as u32
        } else if people.starts_with('-') {
            return Err(ValidationError::Negative {
                field: Field::PeopleInvolved,
            });
        } else {
            people
                .parse::<u32>()
                .map_err(|_| ValidationError::InvalidNumber {
                    field: Field::PeopleInvolved,
                    input: people.to_string(),
                })?
        };
        if self.parties.len() < 2 {
            return Err(ValidationError::TooFewParties);
        }
        for (i, p) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|q| q.person == p.person) {
                return Err(ValidationError::PartyTwice);
            }
        }
        let mut indicators: Vec<String> = self
            .indicators
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        indicators.sort();
        indicators.dedup();
        indicators.retain(|s| !s.is_empty());
        Ok(ValidDispute {
            title,
            category,
            subcategory: clean(Field::Subcategory, &self.subcategory, 16, false, false)?,
            village: clean(Field::Village, &self.village, limits::SHORT, false, false)?,
            place: clean(Field::Place, &self.place, limits::ADDRESS, false, false)?,
            happened_on,
            source: self.source,
            scale: self.scale,
            people_involved: people_involved.max(self.parties.len() as u32),
            amount_fen: parse_amount(Field::Amount, &self.amount)?,
            description: clean(
                Field::Description,
                &self.description,
                limits::NOTES,
                false,
                true,
            )?,
            parties: self.parties.clone(),
            complexity: self.complexity,
            indicators,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    fn two_parties() -> Vec<Party> {
        vec![
            Party {
                person: Id::new(),
                role: PartyRole::Applicant,
            },
            Party {
                person: Id::new(),
                role: PartyRole::Respondent,
            },
        ]
    }

    #[test]
    fn amounts() {
        let f = Field::Amount;
        assert_eq!(parse_amount(f, ""), Ok(None));
        assert_eq!(parse_amount(f, "12000"), Ok(Some(1_200_000)));
        assert_eq!(parse_amount(f, "12,000.50元"), Ok(Some(1_200_050)));
        assert_eq!(parse_amount(f, "1.5万"), Ok(Some(1_500_000)));
        assert_eq!(parse_amount(f, "０.０１"), Ok(Some(1)));
        assert_eq!(
            parse_amount(f, "-5"),
            Err(ValidationError::Negative { field: f })
        );
        assert!(parse_amount(f, "abc").is_err());
        assert!(parse_amount(f, "1.2.3").is_err());
        assert!(parse_amount(f, "99999999999999999999").is_err());
    }

    #[test]
    fn parties_and_dates() {
        let mut d = DisputeDraft {
            title: "宅基地边界纠纷".into(),
            category: "03".into(),
            parties: two_parties(),
            ..Default::default()
        };
        let v = d.validate(today()).expect("valid");
        assert_eq!(v.people_involved, 2);
        d.parties.truncate(1);
        assert_eq!(d.validate(today()), Err(ValidationError::TooFewParties));
        let p = d.parties[0];
        d.parties.push(p);
        assert_eq!(d.validate(today()), Err(ValidationError::PartyTwice));
        d.parties = two_parties();
        d.happened_on = "2026-12-01".into();
        assert!(matches!(
            d.validate(today()),
            Err(ValidationError::DateInFuture { .. })
        ));
        d.happened_on = String::new();
        d.people_involved = "-3".into();
        assert!(matches!(
            d.validate(today()),
            Err(ValidationError::Negative { .. })
        ));
        d.people_involved = "many".into();
        assert!(matches!(
            d.validate(today()),
            Err(ValidationError::InvalidNumber { .. })
        ));
    }
}
