//! The logged-in officer. Only [`super::Service::login`] makes one, so a screen cannot
//! forge its way past the permission rules.

use crate::model::{Id, Role};
use crate::rules::access::Principal;
use crate::store::Actor;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub(super) officer: Id,
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) role: Role,
    pub(super) station: Id,
    pub(super) station_name: String,
    pub(super) must_change_password: bool,
}

impl Session {
    pub fn officer(&self) -> Id {
        self.officer
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn station(&self) -> Id {
        self.station
    }
    pub fn station_name(&self) -> &str {
        &self.station_name
    }
    /// Set after a password reset: the UI must ask for a new password first.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    pub(crate) fn principal(&self) -> Principal {
        Principal {
            officer: self.officer,
            role: self.role,
            station: self.station,
        }
    }

    pub(crate) fn actor(&self) -> Actor {
        Actor {
            id: self.officer,
            name: self.username.clone(),
        }
    }
}
