//! `beatbook compact --user ADMIN` with the real binary: the store written anew through
//! its own archive holds the same records in less space, its audit chain and indexes
//! verify, the replaced folder is gone and the archive stays as a backup; only an
//! administrator may compact (a refusal is audited and changes nothing); a compaction
//! killed between its swaps leaves a whole store.

use crate::common::bin::{
    beatbook, exported_records, kill_when_paused, ok, refused, restore, text,
};
use beatbook::store::folder_size;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A demo bureau with a small seed on top: enough random writes to leave sled's
/// fragments behind, as months of use do.
fn used_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path()).arg("demo"));
    ok(beatbook(dir.path()).args([
        "seed",
        "--persons",
        "2000",
        "--disputes",
        "1000",
        "--visits",
        "10000",
        "--watch",
        "200",
    ]));
    dir
}

fn compact(data: &Path, user: &str) -> Command {
    let mut cmd = beatbook(data);
    cmd.env("BEATBOOK_PASSWORD", "demo1234")
        .arg("compact")
        .args(["--user", user]);
    cmd
}

/// The audit log's last entry: its action, actor and detail.
fn last_audited(data: &Path) -> (String, String, String) {
    let store = beatbook::store::Store::open(&data.join("store")).expect("opens");
    let last = store
        .audit_entries()
        .filter_map(Result::ok)
        .last()
        .expect("an audit log");
    (last.action, last.actor_name, last.detail)
}

/// The files and folders of the data folder whose names start with `prefix`.
fn named(data: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(data)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect()
}

#[test]
fn compacting_keeps_every_record_in_less_space_and_leaves_a_backup() {
    let data = used_folder();
    let before = exported_records(data.path());
    let bytes_before = folder_size(&data.path().join("store"));

    let out = ok(&mut compact(data.path(), "admin"));
    let said = text(&out.stdout);
    assert!(said.contains("rewritten compactly"), "{said}");
    let (action, actor, detail) = last_audited(data.path());
    assert_eq!(
        (action.as_str(), actor.as_str()),
        ("compact", "admin"),
        "{detail}"
    );

    assert_eq!(exported_records(data.path()), before, "the same records");
    // The audit chain goes on unbroken, the indexes agree with the records; the space
    // line says what the store takes, and a store this small is not told to compact.
    let checked = text(&ok(beatbook(data.path()).arg("check")).stdout);
    assert!(checked.contains("MB of entries"), "{checked}");
    assert!(!checked.contains("beatbook compact"), "{checked}");
    let bytes_after = folder_size(&data.path().join("store"));
    assert!(
        bytes_after < bytes_before,
        "{bytes_after} bytes after, {bytes_before} before"
    );
    assert!(
        named(data.path(), "store.").is_empty(),
        "no replaced or half-built store left"
    );
    let archives = named(data.path(), "compact-");
    assert_eq!(archives.len(), 1, "{archives:?}");
    assert!(said.contains(&archives[0].display().to_string()), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archives[0])
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the backup is private: {mode:o}");
    }
    // The archive left behind is a backup like any other: it restores the same records.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let target = elsewhere.path().join("restored");
    ok(restore(&target, &archives[0], "admin", "demo1234")
        .arg("--key")
        .arg(data.path().join("keys").join("archive.key")));
    assert_eq!(exported_records(&target), before);
}

#[test]
fn only_an_administrator_compacts_and_a_refusal_changes_nothing() {
    let data = crate::common::bin::demo_folder();
    let before = exported_records(data.path());

    let msg = refused(&mut compact(data.path(), "chief"));
    assert!(msg.contains("only an administrator"), "{msg}");
    let (action, actor, _) = last_audited(data.path());
    assert_eq!(
        (action.as_str(), actor.as_str()),
        ("compact.refused", "chief")
    );
    assert_eq!(exported_records(data.path()), before);
    assert!(
        named(data.path(), "compact-").is_empty(),
        "no archive written"
    );

    // Without --user: told how, in the user's language, nothing done.
    let out = beatbook(data.path())
        .args(["--lang", "zh", "compact"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("管理员"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(exported_records(data.path()), before);
}

#[test]
fn a_compaction_killed_between_its_swaps_leaves_the_whole_store() {
    let data = used_folder();
    let before = exported_records(data.path());
    let child = compact(data.path(), "admin")
        .env("BEATBOOK_RESTORE_PAUSE", "aside")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    kill_when_paused(child, "aside");
    // The old store is aside and the verified new one not yet in: the next open puts it
    // in place.
    assert_eq!(exported_records(data.path()), before);
    ok(beatbook(data.path()).arg("check"));
    ok(beatbook(data.path()).args(["audit", "verify"]));
    // Compacting again works and cleans up after itself; the first compaction's backup
    // is kept, not overwritten (the test clock stands still: same time, another name).
    ok(&mut compact(data.path(), "admin"));
    assert_eq!(exported_records(data.path()), before);
    assert!(named(data.path(), "store.restor").is_empty());
    assert_eq!(named(data.path(), "compact-").len(), 2);
}
