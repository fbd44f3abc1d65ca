//! Persons: parties to disputes, watch-listed people, anyone an officer visits.

use super::dates::parse_optional_date;
use super::text::{clean, clean_optional, limits};
use super::{Field, Id, Meta, Phone, ResidentId, ValidationError};
use beatbook_i18n::{Lang, Localize};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    #[default]
    Unknown,
}

impl Gender {
    /// Parses what an officer or a spreadsheet writes: 男/女, m/f, male/female.
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_lowercase().as_str() {
            "男" | "m" | "male" => Some(Gender::Male),
            "女" | "f" | "female" => Some(Gender::Female),
            "" | "?" | "未知" | "unknown" => Some(Gender::Unknown),
            _ => None,
        }
    }
}

impl Localize for Gender {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Gender::Male => ("男", "male"),
            Gender::Female => ("女", "female"),
            Gender::Unknown => ("未知", "unknown"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// A person record.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub meta: Meta,
    pub name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<ResidentId>,
    pub phone: Option<Phone>,
    #[serde(default)]
    pub address: String,
    /// Village, community or grid (村/社区/网格).
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub notes: String,
    /// 民族, as the mediation agreement names it (asked before printing when missing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ethnicity: String,
    /// 职业, as the mediation agreement names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub occupation: String,
    /// Set when this person was merged into another as a duplicate: the record stays
    /// (without its ID number) so that its history can be followed, but it is listed and
    /// found no more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<Id>,
    /// An ID number pulled from the hub that another person of this terminal already
    /// holds: kept here instead of in `id_number` (which must be unique) until the two
    /// are merged — the mark of a possible duplicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_id_number: Option<ResidentId>,
    /// The persons merged into this one, with their particulars as they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<MergedPerson>,
    /// An officer found that another record is this same person and asked the chief to
    /// merge it into this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_request: Option<MergeRequest>,
}

/// An officer's request to merge a duplicate into a person, waiting for the chief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRequest {
    pub duplicate: Id,
    pub by: Id,
    pub at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    pub note: String,
}

/// A duplicate merged into a person: what it held, kept for the record.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedPerson {
    pub id: Id,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<ResidentId>,
    pub phone: Option<Phone>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub notes: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Id,
}

impl std::fmt::Debug for MergedPerson {
    /// Masks personal data: Debug output may reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergedPerson")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Person {
    /// Masks personal data: Debug output may reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.meta.id)
            .field("name", &self.name)
            .field("id_number", &self.id_number)
            .field("phone", &self.phone)
            .field("village", &self.village)
            .finish_non_exhaustive()
    }
}

impl Person {
    /// Birth year for telling namesakes apart.
    pub fn birth_year(&self) -> Option<i32> {
        self.birth_date.map(|d| d.year())
    }

    /// ID number as shown in lists.
    pub fn masked_id(&self) -> String {
        self.id_number
            .as_ref()
            .map(ResidentId::masked)
            .unwrap_or_default()
    }

    /// Phone as shown in lists.
    pub fn masked_phone(&self) -> String {
        self.phone.as_ref().map(Phone::masked).unwrap_or_default()
    }

    /// A new person record holding a validated draft (a form, an imported row).
    pub fn new(meta: Meta, v: ValidPerson) -> Person {
        Person {
            meta,
            name: v.name,
            gender: v.gender,
            birth_date: v.birth_date,
            id_number: v.id_number,
            phone: v.phone,
            address: v.address,
            village: v.village,
            notes: v.notes,
            ethnicity: v.ethnicity,
            occupation: v.occupation,
            merged_into: None,
            held_id_number: None,
            merged: Vec::new(),
            merge_request: None,
        }
    }

    /// Replaces the person's data with a validated draft.
    pub fn apply(&mut self, v: ValidPerson) {
        self.name = v.name;
        self.gender = v.gender;
        self.birth_date = v.birth_date;
        self.id_number = v.id_number;
        self.phone = v.phone;
        self.address = v.address;
        self.village = v.village;
        self.notes = v.notes;
        self.ethnicity = v.ethnicity;
        self.occupation = v.occupation;
    }
}

/// What the person search needs of a person. The station's person index carries it
/// beside the list summary, so that the search of a station is built from that index's
/// range alone instead of reading every person record of the station, scattered over the
/// whole bureau's (issue 16: the reads filled the page cache with ~90 MB after a login).
/// No `Debug`: it holds the whole ID and phone numbers.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonSearchKeys {
    pub id: Id,
    pub station: Id,
    pub name: String,
    pub village: String,
    /// The whole ID number as stored (empty: none).
    pub id_number: String,
    /// The whole phone number as stored (empty: none).
    pub phone: String,
    /// Merged into another person: found as that person only.
    pub merged: bool,
}

impl PersonSearchKeys {
    pub fn of(person: &Person) -> PersonSearchKeys {
        PersonSearchKeys {
            id: person.meta.id,
            station: person.meta.station,
            name: person.name.clone(),
            village: person.village.clone(),
            id_number: person
                .id_number
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            phone: person
                .phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            merged: person.merged_into.is_some(),
        }
    }
}

/// A person as typed into a form or read from a spreadsheet row: all text, unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub village: String,
    pub notes: String,
    pub ethnicity: String,
    pub occupation: String,
}

/// The checked content of a [`PersonDraft`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPerson {
    pub name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<ResidentId>,
    pub phone: Option<Phone>,
    pub address: String,
    pub village: String,
    pub notes: String,
    pub ethnicity: String,
    pub occupation: String,
}

impl PersonDraft {
    /// Checks every field. Gender and birth date are taken from the ID number when left
    /// empty, and must agree with it when given.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPerson, ValidationError> {
        let name = clean(Field::Name, &self.name, limits::NAME, true, false)?;
        let id_number = match clean_optional(Field::IdNumber, &self.id_number, 40)? {
            Some(s) => Some(ResidentId::parse(&s)?),
            None => None,
        };
        let mut gender =
            Gender::parse(&self.gender).ok_or_else(|| ValidationError::UnknownChoice {
                field: Field::Gender,
                input: self.gender.trim().to_string(),
            })?;
        let mut birth_date = parse_optional_date(Field::BirthDate, &self.birth_date, today)?;
        if birth_date.is_some_and(|d| d > today) {
            return Err(ValidationError::DateInFuture {
                field: Field::BirthDate,
            });
        }
        if let Some(id) = &id_number {
            let from_id = id.gender();
            match gender {
                Gender::Unknown => gender = from_id,
                g if g != from_id => {
                    return Err(ValidationError::GenderMismatch { from_id });
                }
                _ => {}
            }
            if let Some(id_birth) = id.birth_date() {
                // Nobody registered was born after today: the number is mistyped.
                if id_birth > today {
                    return Err(ValidationError::IdNumberBirthDate);
                }
                match birth_date {
                    None => birth_date = Some(id_birth),
                    Some(given) if given != id_birth => {
                        return Err(ValidationError::BirthDateMismatch {
                            from_id: id_birth.to_string(),
                            given: given.to_string(),
                        });
                    }
                    _ => {}
                }
            }
        }
        let phone = match clean_optional(Field::Phone, &self.phone, 40)? {
            Some(s) => Some(Phone::parse(&s)?),
            None => None,
        };
        Ok(ValidPerson {
            name,
            gender,
            birth_date,
            id_number,
            phone,
            address: clean(Field::Address, &self.address, limits::ADDRESS, false, false)?,
            village: clean(Field::Village, &self.village, limits::SHORT, false, false)?,
            notes: clean(Field::Notes, &self.notes, limits::NOTES, false, true)?,
            ethnicity: clean(
                Field::Ethnicity,
                &self.ethnicity,
                limits::SHORT,
                false,
                false,
            )?,
            occupation: clean(
                Field::Occupation,
                &self.occupation,
                limits::SHORT,
                false,
                false,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    #[test]
    fn gender_and_birth_date_come_from_the_id_number() {
        let d = PersonDraft {
            name: "李秀英".into(),
            id_number: "11010519491231002X".into(),
            ..Default::default()
        };
        let v = d.validate(today()).expect("valid");
        assert_eq!(v.gender, Gender::Female);
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
    }

    #[test]
    fn disagreement_with_the_id_number_is_refused() {
        let d = PersonDraft {
            name: "李秀英".into(),
            gender: "男".into(),
            id_number: "11010519491231002X".into(),
            ..Default::default()
        };
        assert_eq!(
            d.validate(today()),
            Err(ValidationError::GenderMismatch {
                from_id: Gender::Female
            })
        );
        let d = PersonDraft {
            name: "李秀英".into(),
            birth_date: "1950-01-01".into(),
            id_number: "11010519491231002X".into(),
            ..Default::default()
        };
        assert!(matches!(
            d.validate(today()),
            Err(ValidationError::BirthDateMismatch { .. })
        ));
    }

    #[test]
    fn bad_fields_named() {
        let d = PersonDraft {
            name: " ".into(),
            ..Default::default()
        };
        assert_eq!(
            d.validate(today()),
            Err(ValidationError::Required(Field::Name))
        );
        let d = PersonDraft {
            name: "王五".into(),
            phone: "12".into(),
            ..Default::default()
        };
        assert_eq!(
            d.validate(today()).err().and_then(|e| e.field()),
            Some(Field::Phone)
        );
        let d = PersonDraft {
            name: "王五".into(),
            birth_date: "2030-01-01".into(),
            ..Default::default()
        };
        assert!(matches!(
            d.validate(today()),
            Err(ValidationError::DateInFuture { .. })
        ));
    }
}
