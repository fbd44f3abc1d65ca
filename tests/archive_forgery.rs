//! Forged archives, restore rights, the audit head kept outside the store and exports cut
//! short (issue 11), with the real binary on real data folders.
//!
//! Each forgery is made the way an attacker with beatbook's code but not the bureau key
//! would: a real archive from `backup`, decoded with the archive module's own reader,
//! edited, the audit chain and the file digest recomputed, written back with the module's
//! own writer and signed with a key of the attacker's — then the bureau's key id is put
//! back into the header and the digest recomputed, so that only the tag gives it away.
//! The same forgery restores when the attacker's key is named (so it is consistent: the
//! tag is what refuses it), and is refused under the bureau's key.

use crate::common::bin::{
    archive_of, beatbook, bureau_key, demo_folder, exported_records, ok, refused, restore, text,
};
use crate::common::raw::unpacked_log;
use beatbook::store::{
    audit_entry_hash, read_archive, write_archive_content, ArchiveContent, AuditEntry, BureauKey,
};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const PASSWORD: &str = "demo1234";

/// The attacker's own key, in a file of theirs.
fn attacker_key(dir: &Path) -> (PathBuf, BureauKey) {
    let path = dir.join("attacker.key");
    std::fs::write(&path, format!("{}\n", "5a".repeat(32))).expect("write key");
    let key = BureauKey::load(&path).expect("a key");
    (path, key)
}

fn tree<'a>(content: &'a mut ArchiveContent, name: &str) -> &'a mut Vec<(Vec<u8>, Vec<u8>)> {
    &mut content
        .trees
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("tree {name} in the archive"))
        .1
}

/// A stored record's JSON (records of the larger kinds are stored compressed; JSON written
/// back is read as it is).
fn json(bytes: &[u8]) -> serde_json::Value {
    let json = beatbook::store::record_bytes::json_of(bytes).expect("a stored record");
    serde_json::from_slice(&json).expect("a JSON record")
}

/// Re-hashes the audit chain from entry `from` on and sets the stored head, as beatbook
/// would have written it.
fn rehash_audit(audit: &mut [(Vec<u8>, Vec<u8>)], meta: &mut Vec<(Vec<u8>, Vec<u8>)>, from: usize) {
    let mut prev: Option<String> = None;
    let mut last = (0u64, [0u8; 32]);
    for (i, (_, value)) in audit.iter_mut().enumerate() {
        let mut entry: AuditEntry = serde_json::from_slice(value).expect("an audit entry");
        if i >= from {
            if let Some(p) = &prev {
                entry.prev_hash = p.clone();
            }
            let hash = audit_entry_hash(&entry).expect("hash");
            entry.hash = hex(&hash);
            *value = serde_json::to_vec(&entry).expect("encode");
        }
        let hash: [u8; 32] = unhex(&entry.hash);
        prev = Some(entry.hash.clone());
        last = (entry.seq, hash);
    }
    let mut head = last.0.to_be_bytes().to_vec();
    head.extend_from_slice(&last.1);
    match meta.iter_mut().find(|(k, _)| k == b"audit_head") {
        Some((_, v)) => *v = head,
        None => meta.push((b"audit_head".to_vec(), head)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

/// Writes `content` signed with the attacker's key (`consistent`, restorable with that
/// key) and a copy whose header names the bureau's key instead (`forged`), the digest
/// recomputed: as close to a genuine archive as one can get without the key.
fn forge(content: &ArchiveContent, bureau_key_id: &str, dir: &Path) -> (PathBuf, PathBuf) {
    let (_, key) = attacker_key(dir);
    let consistent = dir.join("consistent.bbk");
    write_archive_content(&consistent, content, Some(&key)).expect("the attacker writes");
    let mut bytes = std::fs::read(&consistent).expect("read");
    let theirs = key.id();
    assert_eq!(theirs.len(), bureau_key_id.len());
    let at = bytes
        .windows(theirs.len())
        .position(|w| w == theirs.as_bytes())
        .expect("the key id in the header");
    bytes[at..at + theirs.len()].copy_from_slice(bureau_key_id.as_bytes());
    let n = bytes.len();
    let digest = Sha256::digest(&bytes[..n - 32]);
    bytes[n - 32..].copy_from_slice(&digest);
    let forged = dir.join("forged.bbk");
    std::fs::write(&forged, bytes).expect("write");
    let header = beatbook::store::verify_archive(&forged).expect("its digest verifies");
    assert_eq!(header.key_id.as_deref(), Some(bureau_key_id));
    (consistent, forged)
}

fn bureau_key_id(data: &Path) -> String {
    BureauKey::load(&bureau_key(data))
        .expect("the folder's key")
        .id()
}

/// Checks a forgery both ways: refused under the bureau key (restoring over the source,
/// by its administrator, and into an empty folder with a copy of the key), restored when
/// the attacker's key is named; returns the folder it was restored into.
fn refused_but_consistent(source: &Path, content: &ArchiveContent, work: &Path) -> PathBuf {
    let (consistent, forged) = forge(content, &bureau_key_id(source), work);
    let before = exported_records(source);
    let msg = refused(restore(source, &forged, "admin", PASSWORD).arg("--force"));
    assert!(msg.contains("altered"), "{msg}");
    assert_eq!(exported_records(source), before, "nothing changed");
    // The attacker's archive under its own name: wrong key.
    let msg = refused(restore(source, &consistent, "admin", PASSWORD).arg("--force"));
    assert!(msg.contains("signed with key"), "{msg}");
    assert_eq!(exported_records(source), before, "nothing changed");
    // Elsewhere, with a copy of the bureau key.
    let empty = work.join("empty");
    let msg = refused(
        restore(&empty, &forged, "admin", PASSWORD)
            .arg("--key")
            .arg(bureau_key(source)),
    );
    assert!(msg.contains("altered"), "{msg}");
    assert!(!empty.join("store").exists(), "no store was made");
    // The forgery is consistent: only the key tells.
    let theirs = work.join("theirs");
    let (attacker_key_path, _) = attacker_key(work);
    ok(restore(&theirs, &consistent, "admin", PASSWORD)
        .arg("--key")
        .arg(attacker_key_path));
    theirs
}

#[test]
fn an_archive_with_an_edited_and_rehashed_audit_entry_is_refused() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let mut content = read_archive(&file).expect("the module reads its archive");
    let audit = tree(&mut content, "audit");
    *audit = unpacked_log(std::mem::take(audit));
    let at = audit.len() / 2;
    let mut entry: AuditEntry = serde_json::from_slice(&audit[at].1).expect("entry");
    let original = entry.actor_name.clone();
    entry.actor_name = "nobody".into();
    entry.detail = "nothing happened here".into();
    audit[at].1 = serde_json::to_vec(&entry).expect("encode");
    let mut audit = std::mem::take(audit);
    let mut meta = std::mem::take(tree(&mut content, "meta"));
    rehash_audit(&mut audit, &mut meta, at);
    *tree(&mut content, "audit") = audit;
    *tree(&mut content, "meta") = meta;

    let theirs = refused_but_consistent(source.path(), &content, work.path());
    // It verifies by itself: the edit is only caught by the tag.
    ok(beatbook(&theirs).args(["audit", "verify"]));
    let store = beatbook::store::Store::open(&theirs.join("store")).expect("opens");
    let edited = store
        .audit_entries()
        .filter_map(Result::ok)
        .find(|e| e.seq == entry.seq)
        .expect("the entry");
    assert_eq!(edited.actor_name, "nobody");
    assert_ne!(original, "nobody");
}

#[test]
fn an_archive_with_a_changed_phone_and_no_audit_entry_is_refused() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let mut content = read_archive(&file).expect("reads");
    let persons = tree(&mut content, "persons");
    let (i, mut person) = persons
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (i, json(v)))
        .find(|(_, p)| p["phone"].is_string())
        .expect("a person with a phone");
    let old_phone = person["phone"].as_str().expect("phone").as_bytes().to_vec();
    person["phone"] = serde_json::Value::String("13900000000".into());
    persons[i].1 = serde_json::to_vec(&person).expect("encode");
    // A careful forger keeps the archive consistent: the person's entry in the station
    // index carries the phone too (for the search), as its last field (length, bytes).
    let entry = tree(&mut content, "idx_person_station")
        .iter_mut()
        .find(|(_, v)| {
            v.ends_with(&old_phone) && v.len() > old_phone.len() && {
                let len_at = v.len() - old_phone.len() - 1;
                usize::from(v[len_at]) == old_phone.len()
            }
        })
        .expect("the person's station index entry");
    let keep = entry.1.len() - old_phone.len() - 1;
    entry.1.truncate(keep);
    entry.1.push(11);
    entry.1.extend_from_slice(b"13900000000");
    let audit_len = unpacked_log(tree(&mut content, "audit").clone()).len();

    let theirs = refused_but_consistent(source.path(), &content, work.path());
    let lines = exported_records(&theirs);
    assert!(
        lines.iter().any(|l| l.contains("13900000000")),
        "phone edited"
    );
    let store = beatbook::store::Store::open(&theirs.join("store")).expect("opens");
    // The archive's audit entries, then only the restore's and the export's: no trace
    // of the phone's change.
    let after: Vec<String> = store
        .audit_entries()
        .filter_map(Result::ok)
        .skip(audit_len)
        .map(|e| e.action)
        .collect();
    assert_eq!(after, ["restore", "export.started", "export"]);
}

#[test]
fn an_archive_promoting_an_officer_with_the_admin_hash_swapped_is_refused() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let mut content = read_archive(&file).expect("reads");
    let officers = tree(&mut content, "officers");
    let mut records: Vec<serde_json::Value> = officers.iter().map(|(_, v)| json(v)).collect();
    let officer_hash = records
        .iter()
        .find(|o| o["username"] == "officer")
        .map(|o| o["password_hash"].clone())
        .expect("the officer");
    for (n, o) in records.iter_mut().enumerate() {
        if o["username"] == "officer" {
            o["role"] = "supervisor".into();
        }
        if o["username"] == "admin" {
            o["password_hash"] = officer_hash.clone();
        }
        officers[n].1 = serde_json::to_vec(o).expect("encode");
    }

    let theirs = refused_but_consistent(source.path(), &content, work.path());
    let promoted = exported_records(&theirs)
        .into_iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .find(|o| o["username"] == "officer")
        .expect("the officer");
    assert_eq!(promoted["role"], "supervisor");
}

#[test]
fn an_untouched_archive_restores_by_an_administrator_and_is_audited() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let before = exported_records(source.path());

    // Over its own folder, by its administrator.
    let out = ok(restore(source.path(), &file, "admin", PASSWORD).arg("--force"));
    assert!(
        text(&out.stdout).contains("signature verified"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(exported_records(source.path()), before);
    ok(beatbook(source.path()).args(["audit", "verify"]));

    // On another machine: a copy of the key, the archive's administrator.
    let elsewhere = work.path().join("elsewhere");
    let msg = refused(&mut restore(&elsewhere, &file, "admin", PASSWORD));
    assert!(msg.contains("--key"), "{msg}");
    let out = ok(restore(&elsewhere, &file, "admin", PASSWORD)
        .arg("--key")
        .arg(bureau_key(source.path())));
    assert!(text(&out.stdout).contains("now this data folder's key"));
    assert_eq!(exported_records(&elsewhere), before);
    assert_eq!(
        std::fs::read(bureau_key(&elsewhere)).expect("installed"),
        std::fs::read(bureau_key(source.path())).expect("original")
    );
    let verify = ok(beatbook(&elsewhere).args(["audit", "verify"]));
    assert!(text(&verify.stdout).contains("kept outside the store"));

    let store = beatbook::store::Store::open(&elsewhere.join("store")).expect("opens");
    let last = store
        .audit_newest_first(None)
        .filter_map(Result::ok)
        .find(|e| e.action == "restore")
        .expect("the restore is audited");
    assert_eq!(last.actor_name, "admin");
    assert!(last.detail.contains("station.bbk"), "{}", last.detail);
    assert!(
        last.detail.contains("signed with bureau key"),
        "{}",
        last.detail
    );
}

#[test]
fn restore_without_administrator_rights_is_refused() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let before = exported_records(source.path());

    // Without naming anyone: bad usage (exit 2), nothing done.
    let out = beatbook(source.path())
        .args(["restore", "--force"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--user"),
        "{}",
        text(&out.stderr)
    );
    // An officer of the data being replaced.
    let msg = refused(restore(source.path(), &file, "officer", PASSWORD).arg("--force"));
    assert!(msg.contains("only an administrator"), "{msg}");
    // The administrator with a wrong password.
    refused(restore(source.path(), &file, "admin", "wrong-password").arg("--force"));
    // Nothing was replaced (the failed login counts on the admin's account, audited).
    let cases = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .filter(|l| !l.contains("\"kind\":\"officer\""))
            .collect()
    };
    assert!(
        cases(exported_records(source.path())) == cases(before),
        "nothing changed"
    );
    let store = beatbook::store::Store::open(&source.path().join("store")).expect("opens");
    let actions: Vec<String> = store
        .audit_entries()
        .filter_map(Result::ok)
        .map(|e| e.action)
        .collect();
    assert!(
        actions.iter().any(|a| a == "restore.refused"),
        "{actions:?}"
    );
    drop(store);

    // Into an empty folder: the archive's officer, and its admin with a wrong password.
    let empty = work.path().join("empty");
    for (user, password) in [
        ("officer", PASSWORD),
        ("admin", "wrong-password"),
        ("ghost", PASSWORD),
    ] {
        let msg = refused(
            restore(&empty, &file, user, password)
                .arg("--key")
                .arg(bureau_key(source.path())),
        );
        assert!(msg.contains("only an administrator"), "{user}: {msg}");
        assert!(!empty.join("store").exists(), "{user}: no store made");
    }
}

#[test]
fn an_unsigned_archive_needs_accept_unsigned_from_an_administrator_and_is_audited() {
    let source = demo_folder();
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(source.path(), work.path());
    let content = read_archive(&file).expect("reads");
    let unsigned = work.path().join("unsigned.bbk");
    write_archive_content(&unsigned, &content, None).expect("writes");
    let before = exported_records(source.path());

    let msg = refused(restore(source.path(), &unsigned, "admin", PASSWORD).arg("--force"));
    assert!(msg.contains("--accept-unsigned"), "{msg}");
    refused(
        restore(source.path(), &unsigned, "officer", PASSWORD)
            .args(["--force", "--accept-unsigned"]),
    );
    assert_eq!(exported_records(source.path()), before);
    ok(restore(source.path(), &unsigned, "admin", PASSWORD).args(["--force", "--accept-unsigned"]));
    let store = beatbook::store::Store::open(&source.path().join("store")).expect("opens");
    let last = store
        .audit_newest_first(None)
        .filter_map(Result::ok)
        .next()
        .expect("entries");
    // Restored, and the last word in the log is the restore.
    assert_eq!(last.action, "restore");
    assert!(last.detail.contains("UNSIGNED"), "{}", last.detail);
}

/// Opens the store folder with sled directly, as someone with the files could.
fn raw_db(store: &Path) -> sled::Db {
    crate::common::raw::open_raw(store)
}

/// Rewrites the store's audit chain from entry `from` (1-based seq) on: `edit` changes
/// the entries (it may drop some from the end), then everything is re-hashed.
fn rewrite_store_chain(data: &Path, edit: impl FnOnce(&mut Vec<(Vec<u8>, Vec<u8>)>)) {
    let db = raw_db(&data.join("store"));
    let audit_tree = db.open_tree("audit").expect("audit");
    let meta_tree = db.open_tree("meta").expect("meta");
    let mut audit = unpacked_log(
        audit_tree
            .iter()
            .map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).expect("entry"))
            .collect(),
    );
    let mut meta = vec![];
    let original_len = audit.len();
    edit(&mut audit);
    rehash_audit(&mut audit, &mut meta, 0);
    audit_tree.clear().expect("clear");
    for (k, v) in &audit {
        audit_tree
            .insert(k.as_slice(), v.as_slice())
            .expect("insert");
    }
    for (k, v) in meta {
        meta_tree.insert(k, v).expect("head");
    }
    assert!(audit.len() <= original_len);
    db.flush().expect("flush");
}

#[test]
fn a_rewritten_and_rehashed_audit_chain_in_the_store_is_found() {
    let data = demo_folder();
    // Something after the demo, so the recorded head is past the demo's entries.
    ok(beatbook(data.path()).args(["audit", "verify"]));
    ok(beatbook(data.path()).arg("export"));
    ok(beatbook(data.path()).args(["audit", "verify"]));

    rewrite_store_chain(data.path(), |audit| {
        let mid = audit.len() / 2;
        let mut entry: AuditEntry = serde_json::from_slice(&audit[mid].1).expect("entry");
        entry.detail = "rewritten".into();
        audit[mid].1 = serde_json::to_vec(&entry).expect("encode");
    });
    // The chain verifies by itself...
    let store = beatbook::store::Store::open(&data.path().join("store")).expect("opens");
    assert!(store.verify_audit().expect("reads").is_ok());
    drop(store);
    // ...but not against the head kept outside the store, and writing does not launder it.
    ok(beatbook(data.path()).arg("export"));
    let out = beatbook(data.path())
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}{}", text(&out.stderr));
    assert!(
        said.contains("differs from the one recorded outside the store"),
        "{said}"
    );
    // Every other command warns too.
    let out = ok(beatbook(data.path()).arg("check"));
    let warned = text(&out.stderr);
    assert!(warned.contains("Run `beatbook audit verify`"), "{warned}");
}

#[test]
fn a_chain_cut_shorter_than_recorded_is_found() {
    let data = demo_folder();
    ok(beatbook(data.path()).arg("export"));
    rewrite_store_chain(data.path(), |audit| {
        let keep = audit.len() - 3;
        audit.truncate(keep);
    });
    let out = beatbook(data.path())
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("its tail was cut off"), "{said}");
}

#[cfg(unix)]
#[test]
fn the_key_and_the_recorded_head_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let data = demo_folder();
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    let keys = data.path().join("keys");
    assert_eq!(mode(&keys), 0o700);
    assert_eq!(mode(&keys.join("archive.key")), 0o600);
    assert_eq!(mode(&keys.join("audit.head")), 0o600);
    // Not inside the store, nor inside an archive.
    let work = tempfile::tempdir().expect("tempdir");
    let file = archive_of(data.path(), work.path());
    let secret = std::fs::read_to_string(keys.join("archive.key")).expect("key");
    let mut bytes = Vec::new();
    std::fs::File::open(&file)
        .expect("archive")
        .read_to_end(&mut bytes)
        .expect("read");
    let content = read_archive(&file).expect("reads");
    assert!(content
        .trees
        .iter()
        .flat_map(|(_, e)| e)
        .all(|(_, v)| !String::from_utf8_lossy(v).contains(secret.trim())));
    assert!(!String::from_utf8_lossy(&bytes).contains(secret.trim()));
}

#[test]
fn an_export_cut_short_by_its_reader_is_audited_before_the_first_byte() {
    let data = demo_folder();
    let mut child = beatbook(data.path())
        .env("BEATBOOK_PASSWORD", PASSWORD)
        .args(["export", "--user", "chief"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = [0u8; 100];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // The pipe is closed here, long before the export's end.
    let status = child.wait().expect("ends");
    assert!(!String::from_utf8_lossy(&first).is_empty());
    assert!(status.code().is_some(), "ended by itself, not by a signal");
    let store = beatbook::store::Store::open(&data.path().join("store")).expect("opens");
    let entries: Vec<AuditEntry> = store.audit_entries().filter_map(Result::ok).collect();
    let started = entries
        .iter()
        .find(|e| e.action == "export.started")
        .expect("the export was audited when it started");
    assert_eq!(started.actor_name, "chief");
    assert!(started.detail.contains("unmasked"), "{}", started.detail);
    assert!(
        entries
            .iter()
            .any(|e| e.action == "export.failed" && e.detail.contains("not completed")),
        "the cut-short end is audited too"
    );
}

/// The hub vouches for the audit trail: a terminal's chain rewritten and re-hashed, with
/// the head file outside the store rewritten to match, verifies locally — but not against
/// the head the hub recorded at the terminal's last push.
#[test]
fn a_rewritten_chain_that_verifies_locally_is_caught_by_the_hub() {
    let Some(hub) = crate::common::hub::TestHub::with_demo() else {
        return;
    };
    let t = hub.terminal(beatbook::service::JoinAs::Station("CG".into()));
    let officer = t.login("officer");
    crate::common::create_person(&t.service, &officer, "审计核对", "南门社区");
    t.sync();
    let folder = t.dir.path().to_path_buf();
    drop(t.service);
    let out = ok(beatbook(&folder).args(["audit", "verify"]));
    assert!(
        text(&out.stdout).contains("Checked against the hub"),
        "{}",
        text(&out.stdout)
    );

    rewrite_store_chain(&folder, |audit| {
        let mid = audit.len() / 2;
        let mut entry: AuditEntry = serde_json::from_slice(&audit[mid].1).expect("entry");
        entry.detail = "rewritten".into();
        audit[mid].1 = serde_json::to_vec(&entry).expect("encode");
    });
    // The forger also re-records the head kept outside the store.
    beatbook::store::Store::open(&folder.join("store"))
        .expect("opens")
        .reset_recorded_head()
        .expect("head re-recorded");
    let out = beatbook(&folder)
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    let said = text(&out.stdout);
    eprintln!("{said}");
    assert!(!said.contains("is in this chain unchanged"), "{said}");
    assert!(said.contains("Does not match the hub"), "{said}");
    assert_eq!(out.status.code(), Some(1), "{said}");
}
