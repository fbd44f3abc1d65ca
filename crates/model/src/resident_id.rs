//! Resident identity card numbers (GB 11643-1999).

use super::{Gender, ValidationError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A validated resident ID number: 18 characters with a correct check character, or a
/// legacy 15-digit number (2-digit year in the 1900s, no check character). Stored
/// normalised: ASCII digits, upper-case `X`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

/// The check character for the first 17 digits of an 18-character number.
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

impl ResidentId {
    /// Validates and normalises an ID number as typed or imported. Full-width digits and
    /// spaces (common in pasted text) are normalised before the check.
    pub fn parse(input: &str) -> Result<ResidentId, ValidationError> {
        let normalised: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'x' | 'Ｘ' | 'ｘ' => 'X',
                other => other,
            })
            .collect();
        let len = normalised.chars().count();
        let bytes = normalised.as_bytes();
        match len {
            18 => {
                if !normalised.is_ascii()
                    || !bytes[..17].iter().all(u8::is_ascii_digit)
                    || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
                {
                    return Err(ValidationError::IdNumberCharacters);
                }
                birth_date_of(&normalised[6..14]).ok_or(ValidationError::IdNumberBirthDate)?;
                let expected =
                    check_char(&bytes[..17]).ok_or(ValidationError::IdNumberCharacters)?;
                if char::from(bytes[17]) != expected {
                    return Err(ValidationError::IdNumberCheck { expected });
                }
            }
            15 => {
                if !normalised.is_ascii() || !bytes.iter().all(u8::is_ascii_digit) {
                    return Err(ValidationError::IdNumberCharacters);
                }
                birth_date_of(&format!("19{}", &normalised[6..12]))
                    .ok_or(ValidationError::IdNumberBirthDate)?;
            }
            n => return Err(ValidationError::IdNumberLength(n)),
        }
        Ok(ResidentId(normalised))
    }

    /// The number as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date the number encodes.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        if self.0.len() == 18 {
            birth_date_of(&self.0[6..14])
        } else {
            birth_date_of(&format!("19{}", &self.0[6..12]))
        }
    }

    /// The gender the sequence number encodes: odd male, even female.
    pub fn gender(&self) -> Gender {
        let pos = if self.0.len() == 18 { 16 } else { 14 };
        match self.0.as_bytes()[pos].wrapping_sub(b'0') % 2 {
            1 => Gender::Male,
            _ => Gender::Female,
        }
    }

    /// The form shown in lists: address code and the last four characters, e.g.
    /// `110105********002X`.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        format!("{}{}{}", &self.0[..6], "*".repeat(n - 10), &self.0[n - 4..])
    }

    /// The last `n` characters (search by ID tail).
    pub fn tail(&self, n: usize) -> &str {
        &self.0[self.0.len().saturating_sub(n)..]
    }
}

fn birth_date_of(yyyymmdd: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d").ok()?;
    // People alive and registered: born after 1880 and not in the future of any clock we run.
    (date >= NaiveDate::from_ymd_opt(1880, 1, 1)?).then_some(date)
}

impl TryFrom<String> for ResidentId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ResidentId::parse(&s)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> String {
        id.0
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ResidentId {
    /// Debug output is masked so that personal data never lands in logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_examples_from_the_standard() {
        let a = ResidentId::parse("11010519491231002X").expect("valid");
        assert_eq!(a.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(a.gender(), Gender::Female);
        assert_eq!(a.masked(), "110105********002X");
        let b = ResidentId::parse("440524188001010014").expect("valid");
        assert_eq!(b.gender(), Gender::Male);
        assert_eq!(b.birth_date(), NaiveDate::from_ymd_opt(1880, 1, 1));
    }

    #[test]
    fn lower_case_x_full_width_and_spaces_are_normalised() {
        let a = ResidentId::parse(" 110105 19491231 002x ").expect("valid");
        assert_eq!(a.as_str(), "11010519491231002X");
        let b = ResidentId::parse("１１０１０５１９４９１２３１００２Ｘ").expect("valid");
        assert_eq!(b.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ValidationError::IdNumberCheck { expected: 'X' })
        );
    }

    #[test]
    fn impossible_birth_dates_refused() {
        // 2026-02-30 does not exist; the check digit does not even get looked at.
        let mut s = String::from("11010520260230001");
        let c = check_char(s.as_bytes()).expect("digits");
        s.push(c);
        assert_eq!(
            ResidentId::parse(&s),
            Err(ValidationError::IdNumberBirthDate)
        );
        assert_eq!(
            ResidentId::parse("110105491331002"),
            Err(ValidationError::IdNumberBirthDate)
        );
    }

    #[test]
    fn legacy_fifteen_digit_numbers() {
        let a = ResidentId::parse("110105491231002").expect("valid legacy");
        assert_eq!(a.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(a.gender(), Gender::Female);
        assert_eq!(a.masked(), "110105*****1002");
    }

    #[test]
    fn lengths_and_characters() {
        assert_eq!(
            ResidentId::parse("1234"),
            Err(ValidationError::IdNumberLength(4))
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y"),
            Err(ValidationError::IdNumberCharacters)
        );
        assert_eq!(
            ResidentId::parse("X10105194912310021"),
            Err(ValidationError::IdNumberCharacters)
        );
        assert_eq!(
            ResidentId::parse(""),
            Err(ValidationError::IdNumberLength(0))
        );
    }

    #[test]
    fn serde_refuses_invalid_numbers() {
        let ok: Result<ResidentId, _> = serde_json::from_str("\"11010519491231002X\"");
        assert!(ok.is_ok());
        let bad: Result<ResidentId, _> = serde_json::from_str("\"110105194912310021\"");
        assert!(bad.is_err());
    }
}
