//! beatbook — dispute register, watch list and follow-up visits for community police
//! stations. This crate is the command line (`beatbook …`) and the program; the layers live
//! in their own crates (see ARCHITECTURE.md) and are re-exported here under their old module
//! names, so that `beatbook::service::Service` names the same thing everywhere.

pub mod cli;

pub use beatbook_core::{config, import, report, rules, search};
pub use beatbook_demo as demo;
pub use beatbook_hub as hub;
pub use beatbook_model as model;
pub use beatbook_service as service;
pub use beatbook_store as store;
pub use beatbook_tui as tui;

/// Strings of every layer: the shared base plus each front end's own table.
pub mod i18n {
    pub use beatbook_i18n::*;
    pub use beatbook_tui::text as ui;

    pub use crate::cli::text as cli;
}
