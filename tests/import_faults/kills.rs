//! A killed import leaves all or nothing; an unfinished one is undone on the next open.

use super::*;

/// What `export` shows of the store, and the export's stderr. Per record: its kind and
/// content with the revision, time and author of its last change left out (undoing an
/// import puts records back at a new revision), and every id not in `known` written as
/// `NEW` (each run of an import makes its own ids). Officers are left out: logging in
/// to import changes the account (last login).
fn contents(data: &Path, known: &HashSet<String>) -> (Contents, String) {
    let out = ok(beatbook(data, "en_US.UTF-8").arg("export"));
    let mut records = Vec::new();
    let mut c = Contents::default();
    for line in text(&out.stdout).lines() {
        let mut v: Value = serde_json::from_str(line).expect("each line is JSON");
        match v["kind"].as_str() {
            Some("person") => c.persons += 1,
            Some("flag") => c.flags += 1,
            Some("visit") => c.visits += 1,
            Some("officer") => continue,
            _ => {}
        }
        if let Some(meta) = v.get_mut("meta").and_then(Value::as_object_mut) {
            for field in ["revision", "updated_at", "changed_by"] {
                meta.remove(field);
            }
        }
        new_ids(&mut v, known);
        records.push(v.to_string());
    }
    records.sort();
    c.records = records;
    (c, text(&out.stderr))
}

/// Whether a string is a record id (a ULID: 26 Crockford base-32 characters).
fn is_id(s: &str) -> bool {
    s.len() == 26
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// Writes every id not in `known` as `NEW`.
fn new_ids(v: &mut Value, known: &HashSet<String>) {
    match v {
        Value::String(s) if is_id(s) && !known.contains(s.as_str()) => *s = "NEW".into(),
        Value::Array(items) => items.iter_mut().for_each(|i| new_ids(i, known)),
        Value::Object(map) => map.values_mut().for_each(|i| new_ids(i, known)),
        _ => {}
    }
}

/// Every id in an export.
fn ids_of(data: &Path) -> HashSet<String> {
    let out = ok(beatbook(data, "en_US.UTF-8").arg("export"));
    let mut ids = HashSet::new();
    fn walk(v: &Value, ids: &mut HashSet<String>) {
        match v {
            Value::String(s) if is_id(s) => {
                ids.insert(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, ids)),
            Value::Object(map) => map.values().for_each(|i| walk(i, ids)),
            _ => {}
        }
    }
    for line in text(&out.stdout).lines() {
        walk(&serde_json::from_str(line).expect("JSON"), &mut ids);
    }
    ids
}

#[derive(Default, PartialEq, Eq)]
struct Contents {
    persons: usize,
    flags: usize,
    visits: usize,
    records: Vec<String>,
}

impl std::fmt::Debug for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} persons, {} flags, {} visits, {} records",
            self.persons,
            self.flags,
            self.visits,
            self.records.len()
        )
    }
}

/// A roster of `rows` distinct, valid, flagged persons (each row writes a person, a flag
/// and a visit), with or without their village.
fn big_roster(rows: usize, village: bool) -> String {
    const GIVEN: [&str; 12] = [
        "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "杰", "娟", "涛",
    ];
    let mut csv = String::from("姓名,身份证号,联系电话,村（社区）,类别,等级,责任民警\n");
    let village = if village { "东风村" } else { "" };
    for i in 0..rows {
        let birth = date(1950, 1, 1) + chrono::Duration::days(i as i64);
        let id = resident_id(birth, (i % 900 + 11) as u16);
        let level = ["红", "橙", "黄", "蓝"][i % 4];
        csv.push_str(&format!(
            "段{}{},{id},139{:08},{village},涉毒,{level},officer\n",
            GIVEN[i % 12],
            GIVEN[(i / 12) % 12],
            i
        ));
    }
    csv
}

/// Copies a data folder (no beatbook holds it).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The number of records the undo notice says it removed or put back.
fn undone_records(stderr: &str) -> Option<usize> {
    let at = stderr.find("was undone: ")?;
    let rest = &stderr[at + "was undone: ".len()..];
    rest.split_whitespace().next()?.parse().ok()
}

const KILL_ROWS: usize = 20_000;
/// Rows of the roster already on record (without their village) before the import that
/// is killed: it completes them, so an undo must put records back, not only remove.
const KNOWN_ROWS: usize = 3_000;
const KILLS: usize = 12;

/// SIGKILL at random moments of a 20,000-row import that creates 17,000 persons and
/// completes 3,000: every time, the next command finds the store exactly as before the
/// import or exactly as after it, the indexes and the audit chain intact, and tells the
/// user once that an interrupted import was undone.
#[cfg(unix)]
#[test]
fn a_killed_import_leaves_all_or_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let root = tempfile::tempdir().expect("tempdir");
    let base = root.path().join("base");
    ok(beatbook(&base, "en_US.UTF-8").arg("demo"));
    let known = root.path().join("known.csv");
    std::fs::write(&known, big_roster(KNOWN_ROWS, false)).expect("write roster");
    ok(&mut import_cmd(&base, &known, "en_US.UTF-8"));
    let file = root.path().join("roster.csv");
    std::fs::write(&file, big_roster(KILL_ROWS, true)).expect("write roster");
    let known_ids = ids_of(&base);
    let (before, _) = contents(&base, &known_ids);

    // One uninterrupted run: what "all" looks like, and how long the import takes, to
    // spread the kills over it.
    let full = root.path().join("full");
    copy_dir(&base, &full);
    let started = Instant::now();
    let out = ok(&mut import_cmd(&full, &file, "en_US.UTF-8"));
    let took = started.elapsed();
    let summary = text(&out.stdout);
    assert!(
        summary.contains(&format!(
            "{} created, {KNOWN_ROWS} completed",
            KILL_ROWS - KNOWN_ROWS
        )),
        "{summary}"
    );
    let (all, _) = contents(&full, &known_ids);
    let new = KILL_ROWS - KNOWN_ROWS;
    assert_eq!(
        (all.persons, all.flags, all.visits),
        (
            before.persons + new,
            before.flags + new,
            before.visits + new
        ),
        "the import adds a person, a flag and a visit per new row"
    );

    let mut rng = fastrand::Rng::with_seed(11);
    let (mut killed, mut mid_write, mut none, mut whole) = (0, 0, 0, 0);
    // The machine's load changes while the test runs (other tests, other jobs): when an
    // import finishes before its kill, later kills come sooner, so that KILLS of them land.
    let mut pace = 1.0;
    let mut round = 0;
    while killed < KILLS && round < 3 * KILLS {
        let data = root.path().join(format!("round{round}"));
        copy_dir(&base, &data);
        // Spread over the whole run: the first kill early, the last near the end.
        let fraction = (killed as f64 + rng.f64()) / KILLS as f64;
        let wait = took.mul_f64(fraction.clamp(0.02, 0.98) * pace);
        let mut child = import_cmd(&data, &file, "en_US.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the import starts");
        std::thread::sleep(wait);
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reaped");
        if status.signal() == Some(9) {
            killed += 1;
        } else {
            assert!(status.success(), "round {round}: {status:?}");
            pace *= 0.8;
        }

        let (now, stderr) = contents(&data, &known_ids);
        let told = undone_records(&stderr);
        if now == before {
            none += 1;
        } else if now == all {
            whole += 1;
            assert_eq!(told, None, "round {round}: nothing to undo: {stderr}");
        } else {
            panic!(
                "round {round}: killed after {wait:?}, the store holds part of the file: \
                 {now:?} (before {before:?}, all {all:?})"
            );
        }
        if told.is_some_and(|n| n > 0) {
            mid_write += 1;
        }
        // Told once, and the indexes and the audit chain agree with the records.
        let check = run(beatbook(&data, "en_US.UTF-8").arg("check"));
        let said = text(&check.stderr);
        assert!(
            check.status.success(),
            "round {round}: check after the kill: {}{said}",
            text(&check.stdout)
        );
        assert_eq!(
            undone_records(&said),
            None,
            "round {round}: told twice: {said}"
        );
        round += 1;
    }
    eprintln!(
        "kills survived {killed}/{killed} in {round} runs ({mid_write} while records were \
         being written; {none} left nothing, {whole} everything; the full import took \
         {took:?})"
    );
    assert!(
        killed >= 10,
        "at least 10 real kills: {killed} in {round} runs"
    );
    assert!(
        mid_write >= KILLS / 3,
        "kills must land while records are being written: {mid_write} of {killed}"
    );

    // After an undo the same file imports whole.
    let data = root.path().join("round0");
    ok(&mut import_cmd(&data, &file, "en_US.UTF-8"));
    assert_eq!(contents(&data, &known_ids).0, all);
}

/// The undo itself, step by step: an import cut off after a chunk that changed a person
/// on record and created another (journal open, nothing finished) is undone by the next
/// open — the person back as it was, the new one gone with its index entries, the change
/// log telling the search index, the audit chain intact with the undo in it — and the
/// user is told once.
#[test]
fn an_unfinished_import_is_undone_on_the_next_open_and_told_once() {
    use beatbook::model::{Gender, Meta, Person, ResidentId};
    use beatbook::store::{Actor, Change, ImportJournal, Store};
    let b = Bureau::new();
    let station = b.station_a.meta.id;
    let original = b.person_a.clone();
    let before = b.snapshot();
    let seq_before = b.store().last_change_seq().expect("seq");
    let now = chrono::Utc::now();
    let actor = Actor::system();
    let mut changed = original.clone();
    changed.address = "城关镇东街12号".into();
    let new_id = resident_id(date(1990, 7, 7), 345);
    let created = Person {
        meta: Meta::new(station, now, actor.id),
        name: "陈志强".into(),
        gender: Gender::Male,
        birth_date: Some(date(1990, 7, 7)),
        id_number: Some(ResidentId::parse(&new_id).expect("valid number")),
        phone: None,
        address: String::new(),
        village: String::new(),
        notes: String::new(),
        ethnicity: String::new(),
        occupation: String::new(),
        merged_into: None,
        held_id_number: None,
        merged: Vec::new(),
        merge_request: None,
    };
    let created_id = created.meta.id;
    let journal = ImportJournal::new(2, station, &actor, now);
    {
        let store = b.store();
        store.begin_import(&journal).expect("journal opens");
        let chunk = Change::new("import.persons", &actor, now)
            .station(station)
            .put(changed)
            .put(created);
        store
            .commit_journaled(&journal, &chunk)
            .expect("chunk written");
        store.flush().expect("flushed");
        assert!(store.get::<Person>(created_id).expect("read").is_some());
    }
    // The process ends here without finishing the import.
    let Bureau { dir, service, .. } = b;
    drop(service);

    let store = Store::open(dir.path()).expect("reopens");
    assert_eq!(store.open_import().expect("meta"), None, "journal closed");
    let back: Person = store
        .get(original.meta.id)
        .expect("read")
        .expect("still there");
    assert_eq!(back.address, original.address, "put back as it was");
    assert_eq!(back.name, original.name);
    assert!(store.get::<Person>(created_id).expect("read").is_none());
    assert!(store
        .person_by_id_number(&ResidentId::parse(&new_id).expect("valid number"))
        .expect("index")
        .is_none());
    let after = common::snapshot(&store);
    assert_eq!(
        (after.persons, after.visits),
        (before.persons, before.visits),
        "no record of the import left"
    );
    common::assert_indexes_ok(&store);
    common::assert_audit_ok(&store);
    let actions: Vec<String> = common::audit(&store)
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.iter().any(|a| a == "import.persons"),
        "the import's own entries stay"
    );
    assert_eq!(
        actions.last().map(String::as_str),
        Some("import.undone"),
        "the undo is audited last"
    );
    let deleted: Vec<_> = store
        .changes_since(seq_before)
        .map(|c| c.expect("change"))
        .filter(|c| c.deleted)
        .map(|c| c.id)
        .collect();
    assert_eq!(deleted, vec![created_id], "the change log tells followers");
    let told = store.take_undone_import().expect("meta").expect("told");
    assert_eq!((told.rows, told.records), (2, 2));
    assert_eq!(store.take_undone_import().expect("meta"), None, "told once");
}
