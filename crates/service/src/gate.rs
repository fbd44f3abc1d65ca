//! The one check every use case on behalf of a session passes first.
//!
//! A [`Session`] is made at login and would otherwise carry that moment's rights until
//! logout. An administrator who disables an account, changes its role, moves it to
//! another station or resets its password means it *now*: the running session of that
//! officer (a terminal left logged in, or the administrator acting on their own account)
//! must not keep the old rights. So the gate re-reads the account — one point read —
//! at the entry of every use case, and the change takes effect at the officer's next
//! action rather than at their next login.

use super::session::credential_of;
use super::{Service, ServiceError, Session};
use beatbook_core::rules::access::Principal;
use beatbook_model::Officer;

impl Service {
    /// The session's rights, if the stored account still grants exactly them; otherwise
    /// [`ServiceError::SessionRevoked`] and the session is marked revoked for good (see
    /// [`Session::is_revoked`]): the officer must log in again and gets the new rights.
    ///
    /// Refused when the account is gone or disabled, its role or station differs from
    /// the session's, or its password was reset or changed elsewhere since the login.
    /// Nothing is written: a refusal is not an event of the account.
    ///
    /// A session that must still replace a temporary password (new account or reset)
    /// is refused with [`ServiceError::PasswordChangeRequired`] — it stays valid, but
    /// its only use case is [`Service::change_password`], which passes
    /// [`Service::authorize_password_change`] instead.
    pub fn authorize(&self, session: &Session) -> Result<Principal, ServiceError> {
        let principal = self.authorize_password_change(session)?;
        if session.must_change_password {
            return Err(ServiceError::PasswordChangeRequired);
        }
        Ok(principal)
    }

    /// [`Service::authorize`] for the one use case open to a session that must still
    /// change its password: changing it.
    pub(super) fn authorize_password_change(
        &self,
        session: &Session,
    ) -> Result<Principal, ServiceError> {
        if session.is_revoked() {
            return Err(ServiceError::SessionRevoked);
        }
        let officer = self.store.get::<Officer>(session.officer)?;
        match officer {
            Some(o) if still_grants(&o, session) => Ok(session.principal()),
            _ => {
                tracing::info!(
                    "session of {} refused: the account changed since login",
                    session.username
                );
                session.revoke();
                Err(ServiceError::SessionRevoked)
            }
        }
    }
}

/// Whether the stored account still matches what the session was opened with.
fn still_grants(o: &Officer, session: &Session) -> bool {
    o.active
        && o.role == session.role
        && o.meta.station == session.station
        // A reset sets the flag again; a session that already had to change keeps it.
        && (session.must_change_password || !o.must_change_password)
        && credential_of(&o.password_hash) == session.credential
}
