//! Names looked up while building one view: a list touches the same few officers and
//! stations again and again, and each is read from the store once per view.

use super::Service;
use beatbook_model::{Id, Officer};
use std::collections::HashMap;

/// The cache of one view (a list, a page, a detail); dropped with it.
#[derive(Default)]
pub(super) struct Names {
    officers: HashMap<Id, Option<String>>,
    stations: HashMap<Id, String>,
}

impl Names {
    /// An account's display name, `None` when no such account exists (any more).
    pub(super) fn officer_known(&mut self, service: &Service, id: Id) -> Option<String> {
        self.officers
            .entry(id)
            .or_insert_with(|| match service.store.get::<Officer>(id) {
                Ok(Some(o)) => Some(o.display_name),
                _ => None,
            })
            .clone()
    }

    /// An account's display name for a list: "system" for beatbook's own changes, "?"
    /// for an account that is gone.
    pub(super) fn officer(&mut self, service: &Service, id: Id) -> String {
        match self.officer_known(service, id) {
            Some(name) => name,
            None if id == Id::SYSTEM => "system".into(),
            None => "?".into(),
        }
    }

    /// A station's name ("" when it is gone).
    pub(super) fn station(&mut self, service: &Service, id: Id) -> String {
        self.stations
            .entry(id)
            .or_insert_with(|| service.station_name(id))
            .clone()
    }
}
