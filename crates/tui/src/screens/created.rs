//! A record just created is selected in its list, on every list the same way.
//!
//! After "registered — Enter to view, a to accept" the highlight must be on the record
//! the message speaks of: selecting any other row would make the next key act on the
//! wrong record. When the list's filters hide the new record they are cleared (the
//! caller says so) rather than leaving the highlight elsewhere.

use beatbook_model::Id;
use beatbook_service::{Service, ServiceError, Session};

/// A list of records that can be read again and filtered.
pub trait RecordList {
    /// Where record `id` stands among the rows shown now.
    fn position_of(&self, id: Id) -> Option<usize>;
    /// Puts the selection on row `at`.
    fn select_at(&mut self, at: usize);
    /// Whether a filter (text, status, "mine only", …) narrows the rows.
    fn is_filtered(&self) -> bool;
    /// Drops every filter.
    fn clear_filters(&mut self);
    /// Reads the rows again with the current filters.
    fn read(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError>;
}

/// Selects record `id` (one just created). If the filters hide it, they are cleared and
/// the list read again; true when that happened, so the caller can say why the list
/// changed.
pub fn show_created(
    list: &mut impl RecordList,
    service: &Service,
    session: &Session,
    id: Id,
) -> Result<bool, ServiceError> {
    if let Some(at) = list.position_of(id) {
        list.select_at(at);
        return Ok(false);
    }
    if !list.is_filtered() {
        return Ok(false);
    }
    list.clear_filters();
    list.read(service, session)?;
    match list.position_of(id) {
        Some(at) => {
            list.select_at(at);
            Ok(true)
        }
        None => Ok(false),
    }
}
