//! The demo bureau (`beatbook demo`, the first-run offer) and the synthetic bureau-scale
//! seed (`beatbook seed`). Both sit above the service: they read settings and the clock
//! through it and write through the store's bulk-load API, so nothing below depends on them.

mod bulk;
mod demo;
mod loader;
mod seed;

pub use demo::{DemoAccount, DemoSummary, DEMO_PASSWORD};
pub use seed::{SeedProgress, SeedSpec, SeedSummary};

use beatbook_service::{Service, ServiceError};

/// Fills an empty store with the demo bureau and marks it as demo data. Refused with
/// [`ServiceError::AlreadySetUp`] when the store holds anything.
pub fn load_demo(service: &Service) -> Result<DemoSummary, ServiceError> {
    loader::Loader::new(service).load_demo()
}

/// Adds synthetic stations, persons, visits, disputes and watch-list flags at bureau scale
/// (see [`SeedSpec`]); only an empty, demo or seeded store is accepted.
pub fn seed(
    service: &Service,
    spec: &SeedSpec,
    progress: &mut dyn FnMut(SeedProgress),
) -> Result<SeedSummary, ServiceError> {
    loader::Loader::new(service).seed(spec, progress)
}
