//! beatbook's integration tests, as one test binary: each file of this folder is a module
//! (one area of the app each), `common` holds the helpers they share. One binary links
//! the library once; tests of every module run in one `cargo test` process.

mod common;

mod accounts;
mod archive_forgery;
mod audit_viewer;
mod backup;
mod cli;
mod compact;
mod disk_faults;
mod disputes;
mod disputes_followups;
mod disputes_input;
mod disputes_risk;
mod durability;
mod e2e;
mod e2e_disputes;
mod e2e_watch;
mod export_roles;
mod findings;
mod hostile_text;
mod hub;
mod import;
mod import_faults;
mod paper;
mod person_search;
mod records_readable;
mod residents;
mod service_access;
mod session_revalidation;
mod statistics;
mod store_audit;
mod store_indexes;
mod store_lock;
mod store_migration;
mod tui;
mod tui_accounts;
mod tui_conflicts;
mod tui_findings;
mod tui_print;
mod tui_reading;
mod tui_register;
mod tui_selection;
mod tui_statistics;
mod tui_today;
mod tui_watch;
mod watch;
mod watch_list_copy;
