//! The crash child of the durability test (tests/durability.rs): given a store folder set
//! up by the test's bureau, it logs in as the officer `wang.a` and schedules visits
//! forever, printing `SAVED <id>` for each only after `schedule_visit` returned (the
//! store flushed), until the test kills it with SIGKILL.
//!
//! A binary of its own (not the test binary re-run) so that `cargo test` never runs it as
//! a test that passes by doing nothing.

#[path = "../common/crash.rs"]
mod crash;
#[path = "../common/service.rs"]
mod service;

use beatbook::service::SystemClock;
use crash::SAVED;
use service::{open_service, schedule, PASSWORD};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

fn main() {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .expect("usage: beatbook-crash-child STORE_FOLDER")
        .into();
    let service = open_service(&dir, Arc::new(SystemClock));
    let officer = service.login("wang.a", PASSWORD).expect("child logs in");
    let account = service
        .store()
        .officer_by_username("wang.a")
        .expect("lookup")
        .expect("officer exists");
    let person_id = service
        .store()
        .station_person_ids(account.meta.station)
        .next()
        .expect("a person")
        .expect("readable");
    let stdout = std::io::stdout();
    for i in 0u64.. {
        let v = schedule(&service, &officer, person_id, &format!("+{}", i % 60), None);
        let mut out = stdout.lock();
        writeln!(out, "{SAVED}{}", v.meta.id).expect("stdout");
        out.flush().expect("flush stdout");
    }
}
