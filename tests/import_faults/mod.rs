//! Faults and hostile input around `import persons` (issue 11): a kill at any moment
//! leaves all of the file or none of it; conflicts, rejected rows, empty files and future
//! birth dates are told as such, in the user's language, without Rust debug text; and
//! configured numbers and `report --month` stay within their bounds.
//!
//! The kill test runs the real `beatbook` binary (never this test binary: a child that is
//! a test could pass by doing nothing) and kills it with SIGKILL.

use crate::common;
use crate::common::bin::{self, ok, run, text};

use beatbook::i18n::{Lang, Localize};
use beatbook::service::{ImportOptions, ImportReport};
use common::{date, import, resident_id, Bureau};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

mod bounds;
mod kills;
mod rows;

/// The binary with a clean environment: the data folder given, config read from a folder
/// of the test (never the developer's), a fixed clock and the language asked for.
fn beatbook(data: &Path, lang: &str) -> Command {
    let mut cmd = bin::beatbook(data);
    cmd.env("LANG", lang).env("BEATBOOK_PASSWORD", "demo1234");
    cmd
}

/// `import persons FILE --user officer` on the demo store.
fn import_cmd(data: &Path, file: &Path, lang: &str) -> Command {
    let mut cmd = beatbook(data, lang);
    cmd.args(["import", "persons"])
        .arg(file)
        .args(["--user", "officer"]);
    cmd
}
