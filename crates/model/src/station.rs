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

    /// Checks a list of villages as typed (one per entry, or several separated by
    /// commas/、/；): trimmed, blanks dropped, each at most a short text, repeats kept
    /// once in the order first given.
    pub fn validate_villages<S: AsRef<str>>(entries: &[S]) -> Result<Vec<String>, ValidationError> {
        let mut out: Vec<String> = Vec::new();
        for entry in entries {
            for part in entry.as_ref().split([',', '，', '、', ';', '；', '\n']) {
                let v = clean(Field::Villages, part, limits::SHORT, false, false)?;
                if !v.is_empty() && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn villages_are_split_trimmed_and_kept_once() {
        let v =
            Station::validate_villages(&["城关村， 东关社区", "", "城关村、西街"]).expect("valid");
        assert_eq!(v, vec!["城关村", "东关社区", "西街"]);
    }
}
