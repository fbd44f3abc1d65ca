//! `beatbook hub demo`: a hub with the demo bureau and three enrolments whose printed
//! commands join two terminals of 城关派出所 and one bureau terminal, each showing the
//! DEMO DATA badge.

use crate::common::bin::{beatbook, ok, text};
use crate::common::hub::{service_in, station_id, TestHub};

#[test]
fn hub_demo_prints_join_commands_that_work() {
    let Some(hub) = TestHub::empty() else {
        return;
    };
    let out_dir = tempfile::tempdir().expect("tempdir");
    let enrolments = out_dir.path().join("enrol");
    let out = ok(beatbook(out_dir.path())
        .args(["hub", "demo"])
        .arg(hub.admin.to_string())
        .arg("--out")
        .arg(&enrolments));
    let printed = text(&out.stdout);
    let joins: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("beatbook --data"))
        .collect();
    assert_eq!(joins.len(), 3, "{printed}");
    for line in &joins {
        assert!(
            !line.contains("user="),
            "a terminal is not told the admin's user: {line}"
        );
        // beatbook --data 'F' hub join 'URL' --station CG --credential 'E'
        let quoted: Vec<&str> = line.split('\'').collect();
        let (folder, url, credential) = (quoted[1], quoted[3], quoted[5]);
        let scope: Vec<&str> = quoted[4].split_whitespace().take(2).collect();
        let mut cmd = beatbook(std::path::Path::new(folder));
        cmd.args(["hub", "join", url]);
        if scope[0] == "--station" {
            cmd.args(["--station", scope[1]]);
        } else {
            cmd.arg("--bureau");
        }
        ok(cmd.args(["--credential", credential]));
        let service = service_in(std::path::Path::new(folder));
        assert!(service.is_demo(), "{folder} shows DEMO DATA");
        let cg = station_id(service.store(), "CG");
        assert!(service.store().all::<beatbook::model::Person>().any(|p| p
            .expect("person")
            .meta
            .station
            .to_string()
            == cg));
    }
}
