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
use beatbook::model::{Dispute, Id, Person, WatchFlag};
use beatbook::service::Session;
use beatbook::store::Store;

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

/// The CG persons with no watch flag and in no dispute (changing or visiting them touches
/// no other record), in id order.
fn plain_cg_persons(store: &Store) -> Vec<Person> {
    let cg: Id = station_id(store, "CG").parse().expect("id");
    let mut busy: Vec<Id> = store
        .all::<WatchFlag>()
        .map(|f| f.expect("flag").person)
        .collect();
    for d in store.all::<Dispute>() {
        busy.extend(d.expect("dispute").parties.iter().map(|p| p.person));
    }
    store
        .all::<Person>()
        .map(|p| p.expect("person"))
        .filter(|p| p.meta.station == cg && !busy.contains(&p.meta.id))
        .collect()
}
