//! The register form of a dispute: what an officer types, and the checks that turn it
//! into a [`ValidDispute`] a record can be made from ([`super::Dispute::reported`]).

use super::{Complexity, DisputeScale, DisputeSource, Party};
use crate::text::{clean, limits};
use crate::{Field, ValidationError};
use chrono::NaiveDate;

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
            crate::dates::parse_optional_date(Field::HappenedOn, &self.happened_on, today)?;
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
