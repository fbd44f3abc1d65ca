//! Officers and their roles.

use super::text::{clean, limits};
use super::{Field, Meta, Phone, ValidationError};
use beatbook_i18n::{Lang, Localize};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an account may see and change (GLOSSARY.md, Roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 民警: own station's records, own visits.
    Officer,
    /// 所长: everything of the own station, approvals.
    Chief,
    /// 法制监督: reads all stations, writes supervision findings only.
    Supervisor,
    /// 管理员: stations and accounts, no case data.
    Admin,
}

impl Role {
    /// All roles, for pick lists.
    pub const ALL: [Role; 4] = [Role::Officer, Role::Chief, Role::Supervisor, Role::Admin];

    /// Parses a role as typed on the command line (`officer`, `民警`, …).
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_lowercase().as_str() {
            "officer" | "民警" => Some(Role::Officer),
            "chief" | "所长" => Some(Role::Chief),
            "supervisor" | "法制监督" => Some(Role::Supervisor),
            "admin" | "管理员" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl Localize for Role {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Role::Officer => ("民警", "officer"),
            Role::Chief => ("所长", "chief"),
            Role::Supervisor => ("法制监督", "supervisor"),
            Role::Admin => ("管理员", "admin"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// A login account. The password hash is an argon2 PHC string and never leaves the store
/// (export drops it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub meta: Meta,
    /// Login name: lower-case ASCII, unique across the bureau.
    pub username: String,
    /// Name shown on screens, e.g. 王建国.
    pub display_name: String,
    pub role: Role,
    /// Disabled accounts cannot log in; they stay for the record.
    pub active: bool,
    pub password_hash: String,
    /// Wrong passwords since the last successful login.
    #[serde(default)]
    pub failed_logins: u32,
    /// Set when too many wrong passwords lock the account.
    #[serde(default)]
    pub locked_until: Option<DateTime<Utc>>,
    /// Set after a password reset: the next login must choose a new one.
    #[serde(default)]
    pub must_change_password: bool,
    /// Police number (警号): how the bureau's own papers name the officer.
    #[serde(default)]
    pub police_number: String,
    /// A work phone, shown masked on lists.
    #[serde(default)]
    pub phone: Option<Phone>,
}

impl std::fmt::Debug for Officer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Officer")
            .field("id", &self.meta.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

impl Officer {
    /// Normalises and checks a username.
    pub fn validate_username(input: &str) -> Result<String, ValidationError> {
        let name = clean(Field::Username, input, 32, true, false)?.to_lowercase();
        if name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            Ok(name)
        } else {
            Err(ValidationError::UsernameCharacters)
        }
    }

    /// Checks a display name.
    pub fn validate_display_name(input: &str) -> Result<String, ValidationError> {
        clean(Field::DisplayName, input, limits::NAME, true, false)
    }

    /// Checks a police number (警号): optional, letters and digits only (bureaus mix
    /// both, e.g. `A012345`), upper-cased so the same number is never kept two ways.
    pub fn validate_police_number(input: &str) -> Result<String, ValidationError> {
        let s = clean(Field::PoliceNumber, input, 16, false, false)?;
        let s: String = s
            .chars()
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                other => other,
            })
            .collect::<String>()
            .to_uppercase();
        if s.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(s)
        } else {
            Err(ValidationError::PoliceNumberCharacters)
        }
    }

    /// Checks an account's phone: optional, otherwise a valid number.
    pub fn validate_phone(input: &str) -> Result<Option<Phone>, ValidationError> {
        if input.trim().is_empty() {
            Ok(None)
        } else {
            Phone::parse(input).map(Some)
        }
    }

    /// Checks a new password (and its repetition, when the form asks twice).
    pub fn validate_new_password(
        password: &str,
        again: Option<&str>,
    ) -> Result<(), ValidationError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValidationError::PasswordTooShort {
                min: MIN_PASSWORD_CHARS,
            });
        }
        if password.chars().any(char::is_control) {
            return Err(ValidationError::ControlCharacters(Field::Password));
        }
        if let Some(again) = again {
            if again != password {
                return Err(ValidationError::PasswordMismatch);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Officer::validate_username(" Wang.JG "),
            Ok("wang.jg".into())
        );
        assert_eq!(
            Officer::validate_username("王警官"),
            Err(ValidationError::UsernameCharacters)
        );
        assert_eq!(
            Officer::validate_username(""),
            Err(ValidationError::Required(Field::Username))
        );
    }

    #[test]
    fn police_numbers() {
        assert_eq!(
            Officer::validate_police_number(" a012345 "),
            Ok("A012345".into())
        );
        assert_eq!(Officer::validate_police_number("０１２"), Ok("012".into()));
        assert_eq!(Officer::validate_police_number(""), Ok(String::new()));
        assert_eq!(
            Officer::validate_police_number("01-23"),
            Err(ValidationError::PoliceNumberCharacters)
        );
        assert_eq!(
            Officer::validate_police_number("警号1"),
            Err(ValidationError::PoliceNumberCharacters)
        );
        assert!(Officer::validate_phone("13812345678").is_ok_and(|p| p.is_some()));
        assert!(Officer::validate_phone("12").is_err());
    }

    #[test]
    fn passwords() {
        assert!(Officer::validate_new_password("demo1234", Some("demo1234")).is_ok());
        assert_eq!(
            Officer::validate_new_password("short", None),
            Err(ValidationError::PasswordTooShort { min: 8 })
        );
        assert_eq!(
            Officer::validate_new_password("longenough", Some("longenougH")),
            Err(ValidationError::PasswordMismatch)
        );
    }
}
