//! Phone numbers: Chinese mobile numbers and landlines with area code.

use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated phone number, stored as typed minus spaces.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts an 11-digit mobile number starting with 1, or a landline of 7–8 digits with
    /// an optional 3–4 digit area code starting with 0 (`0731-1234567`).
    pub fn parse(input: &str) -> Result<Phone, ValidationError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' => '-',
                other => other,
            })
            .collect();
        let digits: String = s.chars().filter(|c| *c != '-').collect();
        let only_digits_and_dash = s.chars().all(|c| c.is_ascii_digit() || c == '-');
        let mobile = digits.len() == 11 && digits.starts_with('1') && !s.contains('-');
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len())
            || (!digits.starts_with('0')
                && !digits.starts_with('1')
                && (7..=8).contains(&digits.len()));
        if only_digits_and_dash && (mobile || landline) && s.matches('-').count() <= 1 {
            Ok(Phone(s))
        } else {
            Err(ValidationError::Phone(input.trim().to_string()))
        }
    }

    /// The number as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown in lists: first three and last four digits, e.g. `138****5678`.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let n = chars.len();
        if n <= 7 {
            return format!(
                "{}{}",
                "*".repeat(n.saturating_sub(2)),
                &self.0[n.saturating_sub(2)..]
            );
        }
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(n - 7))
    }

    /// The last `n` digits (search by phone tail).
    pub fn tail(&self, n: usize) -> &str {
        &self.0[self.0.len().saturating_sub(n)..]
    }
}

impl TryFrom<String> for Phone {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    /// Masked, so personal data never reaches a log by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_and_landline() {
        assert_eq!(
            Phone::parse("138 1234 5678").map(|p| p.masked()),
            Ok("138****5678".into())
        );
        assert!(Phone::parse("0731-1234567").is_ok());
        assert!(Phone::parse("07311234567").is_ok());
        assert!(Phone::parse("１３８１２３４５６７８").is_ok());
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("138123456789").is_err());
        assert!(Phone::parse("abc").is_err());
        assert!(Phone::parse("0731--1234567").is_err());
    }
}
