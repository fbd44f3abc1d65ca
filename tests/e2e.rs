//! End-to-end: the real `beatbook` binary in a pseudo-terminal, driven by keys, checked on
//! screen (through a vt100 parser) and in the store afterwards (through `export`).

use crate::common;

use common::tty::Tty;
use portable_pty::CommandBuilder;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-25T09:00:00+08:00";

fn beatbook(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beatbook"));
    cmd.arg("--data")
        .arg(data)
        .env("BEATBOOK_NOW", NOW)
        .env_remove("BEATBOOK_LANG")
        .env_remove("BEATBOOK_DATA");
    cmd
}

/// The app on a `cols`×`rows` terminal, at the fixed time, in `lang`.
fn start_tty(data: &Path, lang: &str, cols: u16, rows: u16) -> Tty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_beatbook"));
    cmd.arg("--data");
    cmd.arg(data);
    cmd.arg("--lang");
    cmd.arg(lang);
    cmd.env("BEATBOOK_NOW", NOW);
    cmd.env_remove("BEATBOOK_LANG");
    Tty::spawn(cmd, cols, rows)
}

fn export(data: &Path) -> Vec<serde_json::Value> {
    let out = beatbook(data).arg("export").output().expect("export runs");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn visits(lines: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    lines.iter().filter(|l| l["kind"] == "visit").collect()
}

#[test]
fn officer_records_the_first_visit_done_and_export_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = beatbook(&data)
        .args(["--lang", "en", "demo"])
        .output()
        .expect("demo");
    assert!(
        demo.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let before = export(&data);
    let done_before: Vec<String> = visits(&before)
        .iter()
        .filter(|v| v["status"] == "done")
        .map(|v| v["meta"]["id"].to_string())
        .collect();

    let mut tty = start_tty(&data, "zh", 100, 30);
    tty.wait_for("登录");
    tty.send("officer\t");
    tty.send("demo1234\r");
    tty.wait_for("今日回访");
    tty.wait_for("超期未访");
    tty.send("d");
    tty.wait_for("记录已访");
    tty.send("\x1b[C"); // Right: outcome 情况稳定
    tty.wait_for("情况稳定");
    tty.send("\t\t\t"); // method, agreement, notes
    tty.send("双方情绪平稳");
    tty.send("\t+7");
    tty.send("\x13"); // Ctrl-S
    tty.wait_for("已记录");
    tty.wait_for("下次回访 2026-12-02");

    // While the app holds the folder, a second beatbook is told so, in plain words.
    let second = beatbook(&data)
        .args(["--lang", "en", "export"])
        .output()
        .expect("second");
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("in use by another beatbook"), "{err}");

    tty.send("q");
    assert!(
        tty.wait_exit(),
        "app did not quit cleanly:\n{}",
        tty.contents()
    );

    let after = export(&data);
    let all = visits(&after);
    let newly_done: Vec<_> = all
        .iter()
        .filter(|v| v["status"] == "done" && !done_before.contains(&v["meta"]["id"].to_string()))
        .collect();
    assert_eq!(newly_done.len(), 1, "exactly one visit recorded done");
    let done = newly_done[0];
    assert_eq!(done["outcome"], "stable");
    assert_eq!(done["notes"], "双方情绪平稳");
    let next_id = &done["next_visit"];
    let next = all
        .iter()
        .find(|v| &v["meta"]["id"] == next_id)
        .expect("the next visit is in the export");
    assert_eq!(next["status"], "scheduled");
    assert_eq!(next["due"], "2026-12-02");
    assert_eq!(next["subject"], done["subject"]);
    assert!(
        after.iter().all(|l| l.get("password_hash").is_none()),
        "export must not carry password hashes"
    );
}

#[test]
fn wrong_password_then_lockout_message_in_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = beatbook(&data).arg("demo").output().expect("demo");
    assert!(demo.status.success());
    let mut tty = start_tty(&data, "en", 80, 24);
    tty.wait_for("beatbook login");
    tty.send("officer\twrong-one\r");
    tty.wait_for("wrong username or password");
    for _ in 0..4 {
        tty.send("wrong-one\r");
    }
    tty.wait_for("locked");
    tty.send("\x1b"); // Esc quits from the login screen
    assert!(tty.wait_exit(), "{}", tty.contents());
}
