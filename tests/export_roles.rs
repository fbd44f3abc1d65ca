//! `export --user`: what leaves the store follows the account's role, and is audited.

use crate::common::bin;
use std::path::Path;
use std::process::Command;

fn beatbook(data: &Path) -> Command {
    let mut cmd = bin::beatbook(data);
    cmd.env("BEATBOOK_PASSWORD", "demo1234");
    cmd
}

fn kinds(data: &Path, user: Option<&str>) -> Vec<serde_json::Value> {
    let mut cmd = beatbook(data);
    cmd.arg("export");
    if let Some(u) = user {
        cmd.args(["--user", u]);
    }
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

#[test]
fn export_follows_the_role_and_is_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    assert!(beatbook(&data)
        .arg("demo")
        .output()
        .expect("demo")
        .status
        .success());
    let all = kinds(&data, None);
    let stations = all.iter().filter(|l| l["kind"] == "station").count();
    assert!(stations >= 5);

    let officer = kinds(&data, Some("officer"));
    let own: Vec<_> = officer.iter().filter(|l| l["kind"] == "station").collect();
    assert_eq!(own.len(), 1, "an officer exports only their station");
    let station_id = own[0]["meta"]["id"].clone();
    assert!(officer
        .iter()
        .filter(|l| l["kind"] != "station")
        .all(|l| l["meta"]["station"] == station_id));
    assert!(officer.iter().any(|l| l["kind"] == "person"));

    let admin = kinds(&data, Some("admin"));
    assert!(admin
        .iter()
        .all(|l| l["kind"] == "station" || l["kind"] == "officer"));
    assert!(admin.iter().all(|l| l.get("password_hash").is_none()));

    let supervisor = kinds(&data, Some("supervisor"));
    assert_eq!(
        supervisor.iter().filter(|l| l["kind"] == "person").count(),
        all.iter().filter(|l| l["kind"] == "person").count(),
        "a supervisor reads every station"
    );
    // Personal data left the store: each export is in the audit log under its account.
    let store = beatbook::store::Store::open(&data.join("store")).expect("store opens");
    let exporters: Vec<String> = store
        .audit_entries()
        .filter_map(Result::ok)
        .filter(|e| e.action == "export")
        .map(|e| e.actor_name)
        .collect();
    for who in ["officer", "admin", "supervisor"] {
        assert!(
            exporters.iter().any(|n| n == who),
            "{who} export audited: {exporters:?}"
        );
    }
}
