//! beatbook — dispute register, watch list and follow-up visits for community police
//! stations. The layers (DESIGN.md): `tui` → `service` → `rules`/`search` → `model`, with
//! `store` the only module that touches sled.

pub mod cli;
pub mod config;
pub mod i18n;
pub mod import;
pub mod model;
pub mod report;
pub mod rules;
pub mod search;
pub mod service;
pub mod store;
pub mod tui;
