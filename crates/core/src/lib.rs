//! Domain logic that needs neither the store nor a screen: the bureau's settings and
//! dictionaries (`config`), the workflow, schedule and risk rules (`rules`), person search
//! (`search`), monthly reports (`report`) and spreadsheet import parsing (`import`).
//! Everything here is a pure function of its inputs, so it is tested without a store.

pub mod config;
pub mod import;
pub mod report;
pub mod rules;
pub mod search;
