//! Crash test: a child process schedules visits and prints each id once its save
//! returned; it is killed with SIGKILL mid-stream. On reopen every printed id is there,
//! the indexes agree with the records and the audit chain verifies. Repeated on the same
//! folder, which keeps growing.
//!
//! The child is a program of its own, `beatbook-crash-child` (tests/bin/crash_child.rs),
//! given the folder as its argument.

use crate::common;

use beatbook::model::{Id, Visit, VisitStatus};
use beatbook::service::SystemClock;
use common::crash::SAVED;
use common::{assert_audit_ok, assert_indexes_ok, open_service, Bureau};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// Runs one child until it reported `kill_after` saves (or ended), kills it with SIGKILL,
/// and returns every id it reported.
fn run_child_and_kill(dir: &Path, kill_after: usize) -> Vec<Id> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beatbook-crash-child"))
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("child stdout");
    let mut reader = BufReader::new(stdout);
    let mut ids = Vec::new();
    let mut line = String::new();
    let mut read_line = |reader: &mut BufReader<_>, ids: &mut Vec<Id>| -> bool {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => false,
            Ok(_) => {
                // A line cut short by the kill has no newline: it was never fully reported.
                if let Some(rest) = line.strip_prefix(SAVED) {
                    if let Some(id) = rest.strip_suffix('\n') {
                        ids.push(id.parse().expect("child prints ids"));
                    }
                }
                true
            }
        }
    };
    while ids.len() < kill_after {
        if !read_line(&mut reader, &mut ids) {
            break;
        }
    }
    // std's Child::kill sends SIGKILL on Unix: no destructor, no flush, no lock release
    // by the program itself.
    child.kill().expect("SIGKILL");
    // Whatever the child printed before dying was reported saved too.
    while read_line(&mut reader, &mut ids) {}
    let status = child.wait().expect("child reaped");
    assert!(!status.success(), "the child was killed, not finished");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
    }
    ids
}

#[test]
fn every_reported_save_survives_sigkill() {
    // Set up the bureau (accounts, a person) and close it.
    let bureau = Bureau::new();
    let path = bureau.dir.path().to_path_buf();
    let Bureau { dir, service, .. } = bureau;
    drop(service);

    let mut rng = fastrand::Rng::with_seed(0x5eed_bea7);
    let mut reported: BTreeSet<Id> = BTreeSet::new();
    for round in 0..6 {
        let kill_after = rng.usize(20..=200);
        let ids = run_child_and_kill(&path, kill_after);
        assert!(
            ids.len() >= kill_after.min(20),
            "round {round}: the child reported only {} saves",
            ids.len()
        );
        eprintln!(
            "round {round}: kill after {kill_after}, reported {}",
            ids.len()
        );
        reported.extend(ids.iter().copied());

        let service = open_service(&path, Arc::new(SystemClock));
        let store = service.store();
        for id in &reported {
            let v: Option<Visit> = store.get(*id).expect("readable after crash");
            let v = v.unwrap_or_else(|| panic!("round {round}: reported visit {id} lost"));
            assert_eq!(v.status, VisitStatus::Scheduled);
            assert_eq!(v.meta.revision, 1);
        }
        assert_indexes_ok(store);
        assert_audit_ok(store);
        // The reported visits are reachable through the index the Today list uses.
        let officer = store
            .officer_by_username("wang.a")
            .expect("lookup")
            .expect("officer");
        let far = chrono::NaiveDate::from_ymd_opt(2200, 1, 1).expect("date");
        let listed: BTreeSet<Id> = store
            .officer_visits(officer.meta.id, None, far)
            .expect("index query")
            .into_iter()
            .map(|v| v.meta.id)
            .collect();
        assert!(
            reported.is_subset(&listed),
            "round {round}: every reported visit is in the officer index"
        );
        // Beyond what was reported, only the saves in flight around each kill: a save
        // whose flush completed while the parent was already killing. This bounds
        // phantom writes; it is not a durability promise (those are the checks above).
        assert!(
            listed.len() <= reported.len() + 2 * (round + 1),
            "round {round}: {} visits stored, {} reported",
            listed.len(),
            reported.len()
        );
    }
    drop(dir);
}
