//! The real `beatbook` binary, run as the command-line tests need it: one clean
//! environment, and the few ways of running it that every such test uses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_beatbook");

/// The binary with a clean environment: the data folder given, config read from an empty
/// folder (never the developer's), a fixed clock and English, and none of beatbook's own
/// variables inherited from the caller (password, language, log filter, test switches).
pub fn beatbook(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("BEATBOOK_DATA", data)
        .env("XDG_CONFIG_HOME", data.join("config-home"))
        .env("BEATBOOK_NOW", "2026-11-25T09:00:00+08:00")
        .env("LANG", "en_US.UTF-8")
        .env_remove("BEATBOOK_LANG")
        .env_remove("BEATBOOK_PASSWORD")
        .env_remove("BEATBOOK_LOG")
        .env_remove("BEATBOOK_RESTORE_PAUSE")
        .env_remove("BEATBOOK_SKIP_SPACE_CHECK");
    cmd
}

/// Runs `cmd` to its end.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

/// A stream's bytes as text (lossy: a test message must show whatever was written).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs and insists on success, showing what it printed otherwise.
pub fn ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "failed ({:?}): {}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// A refusal: exit 1, a message, no panic. Returns stdout and stderr together.
pub fn refused(cmd: &mut Command) -> String {
    let out = run(cmd);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "should be refused: {all}");
    assert!(
        !all.contains("panicked"),
        "panic instead of a message: {all}"
    );
    all
}

/// Every record of a full `export`, one JSON line each, sorted (so two stores compare
/// equal whatever order their trees are read in).
pub fn exported_records(data: &Path) -> Vec<String> {
    let out = ok(beatbook(data).arg("export"));
    let mut lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    lines.sort();
    lines
}

/// A fresh data folder holding the demo bureau.
pub fn demo_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path()).arg("demo"));
    dir
}

/// A backup of `data` written into the folder `into` as `station.bbk`, checked to be
/// complete (the message said so, no temp file left).
pub fn archive_of(data: &Path, into: &Path) -> PathBuf {
    let file = into.join("station.bbk");
    let out = ok(beatbook(data).arg("backup").arg(&file));
    assert!(
        text(&out.stdout).contains("Backup written"),
        "{}",
        text(&out.stdout)
    );
    assert!(file.is_file());
    assert!(!into.join("station.bbk.tmp").exists(), "no temp file left");
    file
}

/// `beatbook restore FILE --user USER` with the password in the environment (a restore
/// needs an administrator of the archive since issue 11).
pub fn restore(data: &Path, file: &Path, user: &str, password: &str) -> Command {
    let mut cmd = beatbook(data);
    cmd.env("BEATBOOK_PASSWORD", password)
        .arg("restore")
        .arg(file)
        .args(["--user", user]);
    cmd
}

/// The bureau key of a data folder, for restoring its archives elsewhere.
pub fn bureau_key(data: &Path) -> PathBuf {
    data.join("keys").join("archive.key")
}

/// Runs `cmd` with its standard output closed before it writes (a pipe whose reader went
/// away), for the tests that a closed output is a message, not a panic.
pub fn with_closed_stdout(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("the binary ends")
}

/// Waits until `child` (spawned with its stderr piped and `BEATBOOK_RESTORE_PAUSE` set to
/// `stage`) says it paused there, then kills it: a restore or compaction cut off at
/// that stage.
pub fn kill_when_paused(mut child: std::process::Child, stage: &str) {
    use std::io::{BufRead, BufReader};
    let stderr = child.stderr.take().expect("stderr piped");
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        seen.push_str(&line);
        if line.contains("restore paused at") {
            break;
        }
    }
    assert!(seen.contains(stage), "did not reach {stage}: {seen}");
    child.kill().expect("kill");
    let _ = child.wait();
}
