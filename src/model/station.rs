//! Police stations (派出所).

use super::text::{clean, limits};
use super::{Field, Meta, ValidationError};
use serde::{Deserialize, Serialize};

/// A police station: owns its officers, persons, visits and (later) disputes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub meta: Meta,
    /// Full name, e.g. 城关派出所.
    pub name: String,
    /// Short code used in reports and ids shown to people, e.g. `CG`.
    pub code: String,
    /// Villages and communities (grids) the station covers, for pick lists.
    #[serde(default)]
    pub villages: Vec<String>,
}

impl Station {
    /// Validates the station's name and code.
    pub fn validate_name(name: &str, code: &str) -> Result<(String, String), ValidationError> {
        let name = clean(Field::StationName, name, limits::SHORT, true, false)?;
        let code = clean(Field::StationCode, code, 16, false, false)?;
        Ok((name, code))
    }
}
