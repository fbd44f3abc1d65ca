//! `beatbook backup` / `restore` / `check` / `audit verify` with the real binary on temp
//! data folders: round trips equal the export, bad archives and busy or non-empty targets
//! are refused with nothing changed, a restore killed at any stage leaves a complete store
//! and can be retried, a broken index is found and repaired, an edited audit entry named.

use crate::common::bin::{
    archive_of, beatbook, bureau_key, demo_folder, exported_records, kill_when_paused, ok, refused,
    restore, text,
};
use crate::common::raw::{edit_log_entry, open_raw};
use std::path::Path;
use std::process::Stdio;

#[test]
fn backup_then_restore_into_an_empty_folder_equals_the_export() {
    let source = demo_folder();
    let before = exported_records(source.path());
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());

    let target = work.path().join("restored");
    let out = ok(restore(&target, &file, "admin", "demo1234")
        .arg("--key")
        .arg(bureau_key(source.path())));
    assert!(
        text(&out.stdout).contains("Restored"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(exported_records(&target), before);
    ok(beatbook(&target).args(["audit", "verify"]));
    ok(beatbook(&target).arg("check"));
    // The source is untouched by its backup (apart from the audit entry saying so).
    assert_eq!(exported_records(source.path()), before);
}

#[test]
fn restore_over_data_needs_force_and_keeps_the_old_data_aside() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let before = exported_records(source.path());

    // Another store, with different data.
    let other = tempfile::tempdir().expect("tempdir");
    ok(beatbook(other.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "Elsewhere", "--admin", "boss"]));
    let other_before = exported_records(other.path());

    let msg = refused(&mut restore(other.path(), &file, "boss", "secret-pass-1"));
    assert!(msg.contains("--force"), "{msg}");
    assert_eq!(
        exported_records(other.path()),
        other_before,
        "nothing changed"
    );

    let out = ok(restore(other.path(), &file, "boss", "secret-pass-1")
        .arg("--force")
        .arg("--key")
        .arg(bureau_key(source.path())));
    let said = text(&out.stdout);
    assert!(said.contains("moved to"), "{said}");
    assert_eq!(exported_records(other.path()), before);
    let aside: Vec<_> = std::fs::read_dir(other.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("store.replaced-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the replaced data is kept aside");
    // The data aside is a whole store: open it as a data folder of its own.
    let aside_data = work.path().join("aside-data");
    std::fs::create_dir_all(&aside_data).expect("mkdir");
    std::fs::rename(aside[0].path(), aside_data.join("store")).expect("move");
    assert_eq!(exported_records(&aside_data), other_before);
}

#[test]
fn truncated_damaged_and_foreign_archives_are_refused_and_nothing_changes() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let bytes = std::fs::read(&file).expect("read");
    let before = exported_records(source.path());

    let truncated = work.path().join("truncated.bbk");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let damaged = work.path().join("damaged.bbk");
    std::fs::write(&damaged, &flipped).expect("write");
    let foreign = work.path().join("export.jsonl");
    std::fs::write(&foreign, "{\"kind\":\"station\"}\n").expect("write");
    let empty = work.path().join("empty.bbk");
    std::fs::write(&empty, b"").expect("write");

    for (file, says) in [
        (&truncated, "truncated or damaged"),
        (&damaged, "truncated or damaged"),
        (&foreign, "not a beatbook backup"),
        (&empty, "not a beatbook backup"),
    ] {
        let msg = refused(restore(source.path(), file, "admin", "demo1234").arg("--force"));
        assert!(msg.contains(says), "{}: {msg}", file.display());
        assert_eq!(exported_records(source.path()), before, "nothing changed");
    }
    let missing = refused(
        restore(
            source.path(),
            &work.path().join("nope.bbk"),
            "admin",
            "demo1234",
        )
        .arg("--force"),
    );
    assert!(missing.contains("cannot read"), "{missing}");
}

#[test]
fn restore_into_the_folder_of_a_running_app_is_refused() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let before = exported_records(source.path());
    // This process holds the store as the running app does.
    let held = beatbook::store::Store::open(&source.path().join("store")).expect("open");
    let msg = refused(restore(source.path(), &file, "admin", "demo1234").arg("--force"));
    assert!(msg.contains("in use by another beatbook"), "{msg}");
    let msg = refused(
        beatbook(source.path())
            .arg("backup")
            .arg(work.path().join("b2.bbk")),
    );
    assert!(msg.contains("in use by another beatbook"), "{msg}");
    drop(held);
    assert_eq!(exported_records(source.path()), before);
}

/// Starts a restore that stops at `stage`, waits until it says so, and kills it.
fn kill_restore_at(data: &Path, file: &Path, key: &Path, stage: &str) {
    let child = restore(data, file, "boss", "secret-pass-1")
        .arg("--force")
        .arg("--key")
        .arg(key)
        .env("BEATBOOK_RESTORE_PAUSE", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    kill_when_paused(child, stage);
}

#[test]
fn a_restore_killed_at_any_stage_leaves_a_whole_store_and_can_be_retried() {
    let new = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(new.path(), work.path());
    let new_export = exported_records(new.path());

    let data = work.path().join("station");
    ok(beatbook(&data)
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "Old station", "--admin", "boss"]));
    let old_export = exported_records(&data);

    // Killed while unpacking or after verifying: the old store is in place.
    for stage in ["extracting", "verified"] {
        kill_restore_at(&data, &file, &bureau_key(new.path()), stage);
        assert_eq!(
            exported_records(&data),
            old_export,
            "old store intact after a kill at {stage}"
        );
        ok(beatbook(&data).arg("check"));
    }
    // Killed between moving the old store aside and moving the new one in: the next
    // open completes the swap with the verified new store.
    kill_restore_at(&data, &file, &bureau_key(new.path()), "aside");
    assert_eq!(
        exported_records(&data),
        new_export,
        "new store in place after a kill at aside"
    );
    ok(beatbook(&data).arg("check"));
    // The completed swap took the recorded audit head with it.
    ok(beatbook(&data).args(["audit", "verify"]));

    // A retry (by the new store's administrator) succeeds and leaves the archive's content.
    ok(restore(&data, &file, "admin", "demo1234")
        .arg("--force")
        .arg("--key")
        .arg(bureau_key(new.path())));
    assert_eq!(exported_records(&data), new_export);
    let leftovers: Vec<String> = std::fs::read_dir(&data)
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".restoring") || n.ends_with(".restored"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_finds_a_broken_index_and_repair_fixes_it() {
    let data = demo_folder();
    ok(beatbook(data.path()).arg("check"));
    {
        let db = open_raw(&data.path().join("store"));
        let index = "idx_visit_station_status_due";
        let tree = db.open_tree(index).expect("tree");
        let (k, _) = tree.first().expect("read").expect("an entry");
        tree.remove(k).expect("remove");
        tree.insert(b"stray-key", b"stray-value".as_slice())
            .expect("insert");
        db.flush().expect("flush");
    }
    let msg = refused(beatbook(data.path()).arg("check"));
    assert!(msg.contains("disagrees with the records"), "{msg}");
    assert!(msg.contains("--repair"), "{msg}");
    let out = ok(beatbook(data.path()).args(["check", "--repair"]));
    assert!(
        text(&out.stdout).contains("rebuilt every index"),
        "{}",
        text(&out.stdout)
    );
    ok(beatbook(data.path()).arg("check"));
    ok(beatbook(data.path()).args(["audit", "verify"]));
}

#[test]
fn audit_verify_names_the_edited_entry_in_a_copy_of_the_store() {
    let data = demo_folder();
    let out = ok(beatbook(data.path()).args(["audit", "verify"]));
    assert!(
        text(&out.stdout).contains("audit chain intact"),
        "{}",
        text(&out.stdout)
    );

    // Tamper with entry 5 in a copy; the original stays intact.
    let copy = tempfile::tempdir().expect("tempdir");
    copy_dir(&data.path().join("store"), &copy.path().join("store"));
    {
        let db = open_raw(&copy.path().join("store"));
        let audit = db.open_tree("audit").expect("audit");
        edit_log_entry(&audit, 5, |raw| {
            let mut entry: serde_json::Value = serde_json::from_slice(raw).expect("json");
            entry["detail"] = serde_json::Value::from("nothing to see here");
            *raw = serde_json::to_vec(&entry).expect("json");
        });
        db.flush().expect("flush");
    }
    let msg = refused(beatbook(copy.path()).args(["audit", "verify"]));
    assert!(msg.contains("#5, at "), "{msg}");
    assert!(msg.contains("entry 5 was edited"), "{msg}");
    let zh = refused(beatbook(copy.path()).args(["--lang", "zh", "audit", "verify"]));
    assert!(zh.contains("第 5 条"), "{zh}");
    // check reports it too, and a backup of the copy cannot be restored.
    let msg = refused(beatbook(copy.path()).arg("check"));
    assert!(msg.contains("entry 5"), "{msg}");
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("tampered.bbk");
    ok(beatbook(copy.path()).arg("backup").arg(&file));
    let target = work.path().join("target");
    let msg = refused(
        restore(&target, &file, "admin", "demo1234")
            .arg("--key")
            .arg(bureau_key(copy.path())),
    );
    assert!(msg.contains("does not verify (entry 5)"), "{msg}");
    assert!(!target.join("store").exists(), "nothing restored");

    ok(beatbook(data.path()).args(["audit", "verify"]));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Rewrites an unsigned format-3 archive (laid out as format 2) in the first layout (tree
/// counts in the header, no trailer), checksum and all, as a beatbook before the trailer
/// wrote it.
fn as_format_1(v2: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let magic = &v2[..17];
    let u32_at = |i: usize| u32::from_le_bytes([v2[i], v2[i + 1], v2[i + 2], v2[i + 3]]) as usize;
    let header_len = u32_at(17);
    let body_start = 21 + header_len;
    let mut header: serde_json::Value =
        serde_json::from_slice(&v2[21..body_start]).expect("header json");
    assert_eq!(header["format"], 3);
    assert!(header.get("key_id").is_none(), "unsigned");
    assert!(
        header.get("trees").is_none(),
        "format 2 counts are in the trailer"
    );
    let n = v2.len();
    let trailer_len = u32_at(n - 36);
    let body_end = n - 36 - trailer_len;
    let trailer: serde_json::Value =
        serde_json::from_slice(&v2[body_end..n - 36]).expect("trailer json");
    header["format"] = 1.into();
    header["trees"] = trailer["trees"].clone();
    let header = serde_json::to_vec(&header).expect("json");
    let mut v1 = magic.to_vec();
    v1.extend_from_slice(&(header.len() as u32).to_le_bytes());
    v1.extend_from_slice(&header);
    v1.extend_from_slice(&v2[body_start..body_end]);
    let digest = Sha256::digest(&v1);
    v1.extend_from_slice(&digest);
    v1
}

#[test]
fn an_archive_of_the_first_format_is_still_restored() {
    let source = demo_folder();
    let before = exported_records(source.path());
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let unsigned = work.path().join("unsigned.bbk");
    let content = beatbook::store::read_archive(&file).expect("reads");
    beatbook::store::write_archive_content(&unsigned, &content, None).expect("writes");
    let old = work.path().join("old.bbk");
    std::fs::write(&old, as_format_1(&std::fs::read(&unsigned).expect("read"))).expect("write");
    let v1 = beatbook::store::verify_archive(&old).expect("format 1 verifies");
    let v3 = beatbook::store::verify_archive(&file).expect("format 3 verifies");
    assert_eq!((v1.format, v3.format), (1, 3));
    assert_eq!(v1.trees, v3.trees);

    let target = work.path().join("restored");
    // Unsigned: only when an administrator accepts it (audited).
    let msg = refused(&mut restore(&target, &old, "admin", "demo1234"));
    assert!(msg.contains("--accept-unsigned"), "{msg}");
    ok(restore(&target, &old, "admin", "demo1234").arg("--accept-unsigned"));
    assert_eq!(exported_records(&target), before);
    ok(beatbook(&target).arg("check"));
}

/// An archive made before the current schema restores: the unpacked store is migrated
/// when it is opened, and the migration may keep the same entries under fewer keys (a
/// schema 9 archive's grouped indexes: one key per entry then, one per group now). Only
/// the entries as unpacked are held to the header's counts.
#[test]
fn an_archive_of_an_older_schema_is_restored_and_migrated() {
    use beatbook::store::{index_groups, BureauKey, Index};
    let source = demo_folder();
    let before = exported_records(source.path());
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let mut content = beatbook::store::read_archive(&file).expect("reads");
    let grouped = [
        ("idx_visit_person", Index::VisitByPerson),
        ("idx_visit_dispute", Index::VisitByDispute),
        (
            "idx_dispute_event_station_time",
            Index::DisputeEventByStation,
        ),
    ];
    let mut ungrouped = 0;
    for (name, entries) in &mut content.trees {
        if name == "meta" {
            for (key, value) in entries.iter_mut() {
                if key.as_slice() == b"schema_version" {
                    *value = 9u32.to_be_bytes().to_vec();
                }
            }
        }
        let Some((_, index)) = grouped.iter().find(|(n, _)| n == name) else {
            continue;
        };
        // Schema 9's layout: one key per entry.
        let mut flat = Vec::new();
        for (group, value) in entries.iter() {
            let body = index_groups::unpack(*index, value).expect("a group");
            for (member, payload) in index_groups::members(*index, &body).expect("members") {
                let mut key = group.clone();
                key.extend_from_slice(member);
                flat.push((key, payload.to_vec()));
            }
        }
        ungrouped += flat.len() - entries.len();
        *entries = flat;
    }
    assert!(ungrouped > 100, "the demo's groups hold several entries");
    let key = BureauKey::load(&bureau_key(source.path())).expect("the bureau key");
    let older = work.path().join("schema9.bbk");
    beatbook::store::write_archive_content(&older, &content, Some(&key)).expect("writes");

    let target = work.path().join("restored");
    ok(restore(&target, &older, "admin", "demo1234")
        .arg("--key")
        .arg(bureau_key(source.path())));
    assert_eq!(exported_records(&target), before);
    ok(beatbook(&target).arg("check"));
}
