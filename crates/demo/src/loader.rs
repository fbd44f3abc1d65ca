//! The one handle every part of the demo and the seed works through.

use beatbook_core::config::Settings;
use beatbook_service::Service;
use beatbook_store::Store;
use std::ops::Deref;

/// The service the data is loaded into, with its store and settings at hand: the demo and
/// the seed read the clock and the settings through the service's public API and write
/// through the store's bulk-load API (`Store::commit`, `commit_unflushed` + `flush`).
/// Dereferences to the service, so a builder reads `self.today()` like a use case would.
pub(crate) struct Loader<'s> {
    service: &'s Service,
    pub store: &'s Store,
    pub settings: &'s Settings,
}

impl<'s> Loader<'s> {
    pub fn new(service: &'s Service) -> Loader<'s> {
        Loader {
            service,
            store: service.store(),
            settings: service.settings(),
        }
    }
}

impl Deref for Loader<'_> {
    type Target = Service;

    fn deref(&self) -> &Service {
        self.service
    }
}

impl Loader<'_> {
    /// A person's name as the station's lists show it; "?" for one the store does not hold.
    pub fn person_name(
        &self,
        station: beatbook_model::Id,
        person: beatbook_model::Id,
    ) -> Result<String, beatbook_store::StoreError> {
        if let Some(summary) = self.store.person_summary(station, person)? {
            return Ok(summary.name);
        }
        Ok(self
            .store
            .get::<beatbook_model::Person>(person)?
            .map_or_else(|| "?".to_string(), |p| p.name))
    }
}
