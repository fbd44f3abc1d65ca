//! Watch-list fixtures shared by the service and TUI tests: a flag made through the
//! service, and the flag as the store holds it afterwards.

use super::Bureau;
use beatbook::model::{Id, Person, RiskLevel, WatchFlag};
use beatbook::service::{FlagForm, Session};

/// Flags `person` at `level` (category "stability", a short basis) for the session's
/// officer.
pub fn flag(b: &Bureau, s: &Session, person: &Person, level: RiskLevel) -> WatchFlag {
    b.service
        .flag_person(
            s,
            person.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(level),
                basis: "多次扬言报复".into(),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("flag {}: {e}", person.name))
}

/// The flag as stored now.
pub fn stored_flag(b: &Bureau, id: Id) -> WatchFlag {
    b.store()
        .get::<WatchFlag>(id)
        .expect("readable")
        .expect("flag exists")
}
