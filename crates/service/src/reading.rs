//! Reading a record on behalf of a session: the one place that turns "not there", "not
//! yours to see", "not yours to change" and "changed since the screen showed it" into the
//! service's refusals, so that every use case refuses the same way.

use super::{Forbidden, Service, ServiceError, Session};
use beatbook_core::rules::access;
use beatbook_model::{Id, Role};
use beatbook_store::{Record, StoreError};

impl Service {
    /// The stored record `id`, or [`ServiceError::NotFound`] of its kind.
    pub(super) fn record<R: Record>(&self, id: Id) -> Result<R, ServiceError> {
        self.store
            .get::<R>(id)?
            .ok_or(ServiceError::NotFound(R::KIND))
    }

    /// The record `id` if the session may read its station's case data; refused otherwise
    /// (an administrator sees no case data at all, others no other station's).
    pub(super) fn readable<R: Record>(&self, session: &Session, id: Id) -> Result<R, ServiceError> {
        let r = self.record::<R>(id)?;
        check_readable(session, r.meta().station)?;
        Ok(r)
    }
}

/// Refuses a read of `station`'s case data the session may not make: an administrator
/// sees no case data at all, others no other station's.
pub(super) fn check_readable(session: &Session, station: Id) -> Result<(), ServiceError> {
    if access::can_read_station(&session.principal(), station) {
        return Ok(());
    }
    Err(ServiceError::Forbidden(match session.role {
        Role::Admin => Forbidden::NoCaseData,
        _ => Forbidden::OtherStation,
    }))
}

/// Refuses a change of `station`'s records the session may not make: a read-only role
/// (supervisor, administrator) is told so, an officer or chief that it is another station's.
pub(super) fn check_writable(session: &Session, station: Id) -> Result<(), ServiceError> {
    if access::can_write_station(&session.principal(), station) {
        return Ok(());
    }
    Err(ServiceError::Forbidden(match session.role {
        Role::Supervisor | Role::Admin => Forbidden::ReadOnlyRole(session.role),
        _ => Forbidden::OtherStation,
    }))
}

/// Refuses a change based on an older revision than the stored one: someone else saved
/// the record since the screen showed it.
pub(super) fn check_revision<R: Record>(record: &R, revision: u64) -> Result<(), ServiceError> {
    let meta = record.meta();
    if meta.revision != revision {
        return Err(StoreError::Conflict {
            kind: R::KIND,
            id: meta.id,
        }
        .into());
    }
    Ok(())
}
