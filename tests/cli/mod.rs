//! The real `beatbook` binary on temp data folders: set-up, demo, export, seed and bench,
//! and the bad cases (a second set-up, an unwritable or busy folder, an unknown language)
//! each end with a clear message and a non-zero exit, never a panic.

use crate::common::bin::{beatbook, demo_folder, ok, run, text, with_closed_stdout};
use crate::common::id_number;
use beatbook::model::{Gender, ResidentId};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

mod demo;
mod outputs;
mod seed;
mod setup;

/// Asserts a refusal: non-zero exit, a message, and no panic.
fn refused(out: &Output) -> String {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "should fail: {err}");
    assert!(
        !err.contains("panicked"),
        "panic instead of a message: {err}"
    );
    assert!(!err.trim().is_empty(), "no message");
    err
}

fn export_lines(data: &Path) -> Vec<Value> {
    let out = ok(beatbook(data).arg("export"));
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn count(lines: &[Value], kind: &str) -> usize {
    lines.iter().filter(|l| l["kind"] == kind).count()
}

/// Checks the dispute records of an export: parties exist (2 or more, none twice),
/// follow-up visits point at existing disputes of the same station with the dispute's
/// first party as subject, recurrences point at earlier disputes. Returns the disputes.
fn checked_disputes(lines: &[Value]) -> Vec<&Value> {
    let ids = |kind: &str| -> std::collections::HashMap<String, &Value> {
        lines
            .iter()
            .filter(|l| l["kind"] == kind)
            .map(|l| (l["meta"]["id"].as_str().unwrap_or_default().to_string(), l))
            .collect()
    };
    let persons = ids("person");
    let disputes = ids("dispute");
    for d in disputes.values() {
        let parties: Vec<&str> = d["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .filter_map(|p| p["person"].as_str())
            .collect();
        assert!(parties.len() >= 2, "{d}");
        let distinct: std::collections::HashSet<&&str> = parties.iter().collect();
        assert_eq!(distinct.len(), parties.len(), "a party twice: {d}");
        for p in &parties {
            let person = persons
                .get(*p)
                .unwrap_or_else(|| panic!("party {p} missing"));
            assert_eq!(person["meta"]["station"], d["meta"]["station"], "{d}");
        }
        if let Some(earlier) = d["recurrence_of"].as_str() {
            let e = disputes
                .get(earlier)
                .expect("recurrence of an existing dispute");
            assert!(e["reported_on"].as_str() < d["reported_on"].as_str(), "{d}");
        }
    }
    for v in lines.iter().filter(|l| l["kind"] == "visit") {
        let Some(id) = v["subject"]["dispute"].as_str() else {
            continue;
        };
        let d = disputes
            .get(id)
            .unwrap_or_else(|| panic!("visit of a missing dispute: {v}"));
        assert_eq!(v["meta"]["station"], d["meta"]["station"]);
        assert_eq!(v["subject"]["person"], d["parties"][0]["person"]);
        assert_eq!(v["assigned_to"], d["assigned_to"]);
    }
    disputes.into_values().collect()
}
