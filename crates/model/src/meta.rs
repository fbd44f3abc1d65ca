//! What every stored record carries so that terminals can later exchange changes.

use super::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bookkeeping common to all records. The store fills `revision`, `updated_at` and
/// `changed_by` on every write; callers never set them by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Sortable unique id.
    pub id: Id,
    /// The station that owns the record (a station owns itself).
    pub station: Id,
    /// When the record was first saved.
    pub created_at: DateTime<Utc>,
    /// When the record was last saved.
    pub updated_at: DateTime<Utc>,
    /// The officer who last changed it ([`Id::SYSTEM`] for setup and demo data).
    pub changed_by: Id,
    /// 0 before the first save, then +1 on every save.
    pub revision: u64,
}

impl Meta {
    /// Bookkeeping for a record not yet saved.
    pub fn new(station: Id, at: DateTime<Utc>, by: Id) -> Meta {
        Meta {
            id: Id::new(),
            station,
            created_at: at,
            updated_at: at,
            changed_by: by,
            revision: 0,
        }
    }
}
