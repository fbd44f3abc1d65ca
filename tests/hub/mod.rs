//! The bureau hub against a real PostgreSQL (issue 13): terminals converge, conflicts keep
//! both versions, the hub's own roles keep stations apart, accounts follow sync, errors
//! are told plainly, and kills at any point lose nothing.

mod accounts;
mod converge;
mod demo;
mod duplicates;
mod errors;
mod kills;
mod merging;
mod privilege;
mod property;
mod resolving;
mod restoring;
mod screens;
mod sequence;

use crate::common::hub::{station_id, Terminal};
use beatbook::model::{Id, Person};
use beatbook::service::Session;

/// A CG person (the first of the demo's CG persons, in id order).
fn cg_person(t: &Terminal, nth: usize) -> Person {
    let cg: Id = station_id(t.service.store(), "CG").parse().expect("id");
    t.service
        .store()
        .all::<Person>()
        .map(|p| p.expect("person"))
        .filter(|p| p.meta.station == cg)
        .nth(nth)
        .expect("a CG person")
}

/// Changes a person's notes through the service (the edit form's path).
fn edit_notes(t: &Terminal, session: &Session, person: Id, notes: &str) -> Person {
    let (mut draft, revision) = t
        .service
        .person_draft(session, person)
        .expect("person draft");
    draft.notes = notes.into();
    t.service
        .update_person(session, person, revision, &draft)
        .expect("person saved")
}
