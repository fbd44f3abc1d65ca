//! The logged-in officer. Only [`super::Service::login`] makes one, so a screen cannot
//! forge its way past the permission rules.
//!
//! A session is a snapshot of the account taken at login; [`super::Service::authorize`]
//! compares it with the stored account at every use, so that an administrator's change
//! (disable, new role, transfer, password reset) takes effect at the officer's next
//! action rather than at their next login.

use beatbook_core::rules::access::Principal;
use beatbook_model::{Id, Role};
use beatbook_store::Actor;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Session {
    pub(super) officer: Id,
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) role: Role,
    pub(super) station: Id,
    pub(super) station_name: String,
    pub(super) must_change_password: bool,
    /// Digest of the password hash the session was opened (or last re-keyed) with: a
    /// reset or a change elsewhere gives the account a new hash (fresh salt), which this
    /// no longer matches. A digest rather than the hash itself, so that a `Debug` print
    /// of a session never carries password material.
    pub(super) credential: [u8; 32],
    /// Set once the gate refuses the session; shared by its clones, so the screen that
    /// holds the session learns of it whichever copy a call was made with, and a
    /// refused session stays refused even if the account is changed back.
    pub(super) revoked: Arc<AtomicBool>,
}

/// Sessions are equal when they describe the same login state; the shared revocation
/// flag is bookkeeping, not identity.
impl PartialEq for Session {
    fn eq(&self, other: &Session) -> bool {
        self.officer == other.officer
            && self.username == other.username
            && self.display_name == other.display_name
            && self.role == other.role
            && self.station == other.station
            && self.station_name == other.station_name
            && self.must_change_password == other.must_change_password
            && self.credential == other.credential
    }
}

impl Eq for Session {}

/// The digest a session keeps of a password hash (see [`Session::credential`]).
pub(super) fn credential_of(password_hash: &str) -> [u8; 32] {
    Sha256::digest(password_hash.as_bytes()).into()
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
    /// True once the service refused this session because the account changed under
    /// it; the screens then go back to the login.
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(Ordering::Relaxed)
    }

    pub(super) fn revoke(&self) {
        self.revoked.store(true, Ordering::Relaxed);
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
