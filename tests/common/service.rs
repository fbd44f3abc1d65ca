//! The service as the fixtures open and use it, with nothing but beatbook and std: the
//! crash child (`tests/bin/crash_child.rs`, a binary of its own, which cannot use the
//! dev-dependencies) includes this file too, so parent and child write alike.

use beatbook::config::Settings;
use beatbook::model::{Id, Visit, VisitMethod};
use beatbook::service::{Clock, NewVisitForm, Service, Session};
use beatbook::store::Store;
use std::path::Path;
use std::sync::Arc;

/// The password of every fixture account (≥ 8 characters).
pub const PASSWORD: &str = "correct-horse-9";

/// Opens a fresh service over the store in `dir` with `clock`.
pub fn open_service(dir: &Path, clock: Arc<dyn Clock>) -> Service {
    let store = Store::open(dir).expect("store opens");
    Service::new(store, clock, Settings::default())
}

/// Schedules a visit through the service.
pub fn schedule(
    service: &Service,
    session: &Session,
    person: Id,
    due: &str,
    assigned_to: Option<Id>,
) -> Visit {
    service
        .schedule_visit(
            session,
            &NewVisitForm {
                person: Some(person),
                due: due.into(),
                method: VisitMethod::InPerson,
                purpose: "重点人员定期走访".into(),
                assigned_to,
                notes: String::new(),
                dispute: None,
            },
        )
        .unwrap_or_else(|e| panic!("visit due {due}: {e}"))
}
