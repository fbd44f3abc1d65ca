//! The bureau hub: station terminals exchange their stores' changes through PostgreSQL.
//!
//! Each terminal keeps its sled store and works offline; its change log is the outbox.
//! A round pushes the outbox (idempotent per `(terminal, seq)`, gaps refused, conflicts kept
//! whole on the hub) and pulls, by cursor, the changes its role may read. The only crate
//! that knows postgres; it reaches the store only through the store's sync API.

mod connect;
mod enrol;
mod error;
pub mod folder;
pub mod merge;
mod push;
mod round;
mod schema;
mod upload;

pub use connect::{Credential, HubAddress};
pub use enrol::{add_terminal, Enrolled, Scope};
pub use error::HubError;
pub use round::{Progress, RecordedHead, RoundSummary, Session, BATCH, PULL_BATCH};
pub use schema::{group_role, init, InitOutcome, HUB_SCHEMA_VERSION};
pub use upload::{mark_demo, upload};
