//! The real `beatbook` binary, run as the command-line tests need it: one clean
//! environment, and the few ways of running it that every such test uses.

use std::path::Path;
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
