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

fn roster(rows: &[String]) -> String {
    let mut s = String::from(
        "姓名,性别,出生日期,身份证号码,联系电话,现住址,人员类别,风险等级,责任民警\r\n",
    );
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

/// The problems of one line, in a language.
fn problems_of(report: &ImportReport, line: usize, lang: Lang) -> Vec<String> {
    report
        .rejected
        .iter()
        .filter(|p| p.line == line)
        .map(|p| p.problem.localize(lang))
        .collect()
}

/// One ID number under two names — twice in one file, or in the file and on record — is
/// rejected naming the row and both names; nothing is merged into the person on record.
#[test]
fn the_same_id_number_under_another_name_is_a_conflict_never_a_merge() {
    let b = Bureau::new();
    let id = resident_id(date(1980, 3, 15), 123);
    let before = b.snapshot();
    let twice = roster(&[
        format!("王建国,男,,{id},13812345678,,,,"),
        format!("王建华,男,,{id},,城关镇东街12号,,,"),
    ]);
    let report = import(&b, twice.as_bytes(), ImportOptions::default());
    assert!(!report.written, "{report:?}");
    assert_eq!(b.snapshot(), before, "nothing written");
    let zh = problems_of(&report, 3, Lang::Zh);
    assert!(
        zh.iter()
            .any(|m| m.contains("王建国") && m.contains("王建华") && m.contains("第 2 行")),
        "line 3 names both and line 2: {zh:?}"
    );

    // On record as 王建国; the file says 王建华 and brings an address.
    let first = roster(&[format!("王建国,男,,{id},13812345678,,,,")]);
    assert!(import(&b, first.as_bytes(), ImportOptions::default()).written);
    let other = roster(&[format!("王建华,男,,{id},,城关镇东街12号,,,")]);
    let report = import(&b, other.as_bytes(), ImportOptions::default());
    let en = problems_of(&report, 2, Lang::En);
    assert!(
        en.iter()
            .any(|m| m.contains("王建国") && m.contains("王建华")),
        "{report:?}"
    );
    let person = b
        .store()
        .all::<beatbook::model::Person>()
        .map(|p| p.expect("person"))
        .find(|p| p.id_number.as_ref().map(|n| n.as_str()) == Some(id.as_str()))
        .expect("on record");
    assert_eq!(person.name, "王建国");
    assert_eq!(
        person.address, "",
        "the other name's address was not merged in"
    );
}

/// A birth date after today is told as one, with the date — in the birth-date column
/// and inside an ID number — not as an impossible or invalid date.
#[test]
fn a_birth_date_in_the_future_is_told_as_such() {
    let b = Bureau::new();
    // The fixtures' today is 2026-11-25.
    let future_id = resident_id(date(2030, 5, 6), 125);
    let report = import(
        &b,
        roster(&[
            "李四,男,2027-03-01,,,,,,".to_string(),
            format!("王五,男,,{future_id},,,,,"),
        ])
        .as_bytes(),
        ImportOptions::default(),
    );
    for (line, date) in [(2, "2027-03-01"), (3, "2030-05-06")] {
        let en = problems_of(&report, line, Lang::En);
        assert!(
            en.iter()
                .any(|m| m.contains("in the future") && m.contains(date)),
            "line {line}: {en:?}"
        );
        let zh = problems_of(&report, line, Lang::Zh);
        assert!(
            zh.iter()
                .any(|m| m.contains("晚于今天") && m.contains(date)),
            "line {line}: {zh:?}"
        );
    }
}

/// "N rows rejected" counts rows: a row with three problems is one row, and all three
/// problems are listed.
#[test]
fn a_row_with_three_problems_is_one_rejected_row() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    let file = root.path().join("bad.csv");
    let good = resident_id(date(1980, 3, 15), 123);
    std::fs::write(
        &file,
        format!(
            "姓名,出生日期,身份证号,联系电话\n段伟,,{good},\n合计:3,45000,1.10105E+17,13812345678.0\n"
        ),
    )
    .expect("write");
    let out = run(&mut import_cmd(&data, &file, "en_US.UTF-8"));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 rows rejected"), "{stdout}");
    let listed = stdout.lines().filter(|l| l.starts_with("  line 3")).count();
    assert!(listed >= 3, "every problem of the row listed: {stdout}");
}

/// A file with a header and no rows, or with nothing at all, is refused with exit 1
/// saying there are no rows, in either language.
#[test]
fn a_file_without_rows_exits_1_saying_no_rows() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    for (name, content) in [
        ("header.csv", "姓名,身份证号,联系电话\n"),
        ("header_blank.csv", "姓名,身份证号,联系电话\r\n\r\n,,\r\n"),
        ("empty.csv", ""),
    ] {
        let file = root.path().join(name);
        std::fs::write(&file, content).expect("write");
        for (lang, says) in [("en_US.UTF-8", "no rows"), ("zh_CN.UTF-8", "没有数据行")] {
            let out = run(&mut import_cmd(&data, &file, lang));
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {lang}: {stderr}");
            assert!(stderr.contains(says), "{name} {lang}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

/// A conflict's values are words of the reader's language: 女 and 蓝, never the Rust
/// names `Female` and `Blue`.
#[test]
fn conflicts_show_gender_and_level_in_the_readers_language() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    let id = resident_id(date(1975, 11, 2), 234);
    let first = root.path().join("first.csv");
    std::fs::write(
        &first,
        format!("姓名,性别,出生日期,身份证号,类别,等级,责任民警\n刘秀兰,女,,{id},涉毒,蓝,officer\n赵敏,女,1988-02-03,,,,\n"),
    )
    .expect("write");
    ok(&mut import_cmd(&data, &first, "zh_CN.UTF-8"));
    let second = root.path().join("second.csv");
    std::fs::write(
        &second,
        format!("姓名,性别,出生日期,身份证号,类别,等级,责任民警\n刘秀兰,女,,{id},涉毒,红,officer\n赵敏,男,1988-02-03,,,,\n"),
    )
    .expect("write");
    let out = ok(&mut import_cmd(&data, &second, "zh_CN.UTF-8"));
    let stdout = text(&out.stdout);
    for shown in ["「蓝」", "「红」", "「女」", "「男」"] {
        assert!(stdout.contains(shown), "{shown}: {stdout}");
    }
    for debug in ["Female", "Male", "Blue", "Red"] {
        assert!(!stdout.contains(debug), "{debug}: {stdout}");
    }
}

/// `config.toml` numbers outside their range are refused naming the file, the line and
/// the allowed range (a huge `lock_minutes` was accepted and overflowed the lock's end).
#[test]
fn configured_numbers_out_of_range_are_refused_with_file_line_and_range() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    let config = data.join("config-home").join("beatbook");
    std::fs::create_dir_all(&config).expect("mkdir");
    for (text_of_file, range) in [
        (
            "[login]\nlock_minutes = 9999999999999\n",
            "1 to 1440 minutes",
        ),
        ("[login]\nmax_failures = 5000\n", "1 to 100"),
    ] {
        std::fs::write(config.join("config.toml"), text_of_file).expect("write");
        let out = run(beatbook(&data, "en_US.UTF-8").arg("check"));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text_of_file}: {stderr}");
        assert!(
            stderr.contains("config.toml:2:") && stderr.contains(range),
            "{text_of_file}: {stderr}"
        );
    }
}

/// `report --month` takes years 2000 to 2100 only, with a message saying so.
#[test]
fn report_month_years_are_2000_to_2100() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    for month in ["1999-12", "2101-01", "0001-01", "9999-12"] {
        let out = run(beatbook(&data, "en_US.UTF-8").args(["report", "--month", month]));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{month}: {stderr}");
        assert!(stderr.contains("2000 to 2100"), "{month}: {stderr}");
        let out = run(beatbook(&data, "zh_CN.UTF-8").args(["report", "--month", month]));
        assert!(
            text(&out.stderr).contains("2000 年至 2100 年"),
            "{month}: {}",
            text(&out.stderr)
        );
    }
    ok(beatbook(&data, "en_US.UTF-8").args(["report", "--month", "2000-01"]));
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
