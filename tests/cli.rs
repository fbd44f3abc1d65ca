//! The real `beatbook` binary on temp data folders: set-up, demo, export, seed and bench,
//! and the bad cases (a second set-up, an unwritable or busy folder, an unknown language)
//! each end with a clear message and a non-zero exit, never a panic.

use crate::common::bin::{beatbook, demo_folder, ok, run, text, with_closed_stdout};
use crate::common::id_number;
use beatbook::model::{Gender, ResidentId};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Asserts a refusal: non-zero exit, a message, and no panic.
fn refused(out: &Output) -> String {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "should fail: {err}");
    assert!(
        !err.contains("panicked"),
        "panic instead of a message: {err}"
    );
    assert!(!err.trim().is_empty(), "no message");
    err
}

fn export_lines(data: &Path) -> Vec<Value> {
    let out = ok(beatbook(data).arg("export"));
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn count(lines: &[Value], kind: &str) -> usize {
    lines.iter().filter(|l| l["kind"] == kind).count()
}

#[test]
fn init_sets_up_once_and_refuses_a_second_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args([
            "init",
            "--station",
            "城关派出所",
            "--admin",
            "Admin",
            "--code",
            "CG",
        ]));
    let said = text(&out.stdout);
    assert!(
        said.contains("城关派出所") && said.contains("admin"),
        "{said}"
    );

    let again = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "其他派出所", "--admin", "other"]));
    let err = refused(&again);
    assert!(err.contains("already set up"), "{err}");

    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "station"), 1);
    assert_eq!(count(&lines, "officer"), 1);
}

#[test]
fn init_refuses_a_short_password_and_a_bad_username_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "short")
        .args([
            "--lang",
            "zh",
            "init",
            "--station",
            "城关派出所",
            "--admin",
            "admin",
        ]));
    let err = refused(&out);
    assert!(err.contains("错误"), "{err}");
    let out = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "long-enough-1")
        .args(["init", "--station", "城关派出所", "--admin", "王警官"]));
    refused(&out);
    assert!(export_lines(dir.path()).is_empty(), "nothing half-written");
}

#[test]
fn demo_loads_once_and_exports_every_kind_without_password_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).arg("demo"));
    let said = text(&out.stdout);
    for account in ["admin", "chief", "officer", "supervisor", "demo1234"] {
        assert!(said.contains(account), "{account} missing from: {said}");
    }
    let err = refused(&run(beatbook(dir.path()).arg("demo")));
    assert!(err.contains("already set up"), "{err}");

    let raw = text(&ok(beatbook(dir.path()).arg("export")).stdout);
    assert!(
        !raw.contains("password_hash"),
        "hashes leaked into the export"
    );
    assert!(!raw.contains("$argon2"), "hashes leaked into the export");
    let lines: Vec<Value> = raw
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(lines.iter().all(|l| l["kind"].is_string()));
    assert!(count(&lines, "station") >= 5);
    assert!(count(&lines, "officer") >= 4 + 5);
    assert!(count(&lines, "person") >= 200);
    assert!(count(&lines, "visit") >= 300);
}

#[test]
fn demo_persons_have_valid_id_numbers_matching_gender_and_birth() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let mut checked = 0;
    for person in lines.iter().filter(|l| l["kind"] == "person") {
        let Some(number) = person["id_number"].as_str() else {
            continue;
        };
        let id = ResidentId::parse(number).expect("valid resident ID number");
        assert_eq!(number.len(), 18, "{number}");
        let gender = match person["gender"].as_str() {
            Some("male") => Gender::Male,
            Some("female") => Gender::Female,
            other => panic!("gender {other:?}"),
        };
        assert_eq!(id.gender(), gender, "{number}");
        assert_eq!(
            id.birth_date().map(|d| d.to_string()).as_deref(),
            person["birth_date"].as_str(),
            "{number}"
        );
        checked += 1;
    }
    assert!(checked >= 200, "only {checked} ID numbers");
}

#[test]
fn demo_officer_has_overdue_today_and_upcoming_visits() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let officer = lines
        .iter()
        .find(|l| l["kind"] == "officer" && l["username"] == "officer")
        .and_then(|o| o["meta"]["id"].as_str())
        .expect("the officer account")
        .to_string();
    let owed: Vec<&str> = lines
        .iter()
        .filter(|l| {
            l["kind"] == "visit"
                && l["assigned_to"] == officer.as_str()
                && l["status"] == "scheduled"
        })
        .filter_map(|l| l["due"].as_str())
        .collect();
    let today = "2026-11-25";
    assert!(owed.iter().any(|d| *d < today), "overdue: {owed:?}");
    assert!(owed.contains(&today), "today: {owed:?}");
    assert!(owed.iter().any(|d| *d > today), "upcoming: {owed:?}");
}

/// Checks the dispute records of an export: parties exist (2 or more, none twice),
/// follow-up visits point at existing disputes of the same station with the dispute's
/// first party as subject, recurrences point at earlier disputes. Returns the disputes.
fn checked_disputes(lines: &[Value]) -> Vec<&Value> {
    let ids = |kind: &str| -> std::collections::HashMap<String, &Value> {
        lines
            .iter()
            .filter(|l| l["kind"] == kind)
            .map(|l| (l["meta"]["id"].as_str().unwrap_or_default().to_string(), l))
            .collect()
    };
    let persons = ids("person");
    let disputes = ids("dispute");
    for d in disputes.values() {
        let parties: Vec<&str> = d["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .filter_map(|p| p["person"].as_str())
            .collect();
        assert!(parties.len() >= 2, "{d}");
        let distinct: std::collections::HashSet<&&str> = parties.iter().collect();
        assert_eq!(distinct.len(), parties.len(), "a party twice: {d}");
        for p in &parties {
            let person = persons
                .get(*p)
                .unwrap_or_else(|| panic!("party {p} missing"));
            assert_eq!(person["meta"]["station"], d["meta"]["station"], "{d}");
        }
        if let Some(earlier) = d["recurrence_of"].as_str() {
            let e = disputes
                .get(earlier)
                .expect("recurrence of an existing dispute");
            assert!(e["reported_on"].as_str() < d["reported_on"].as_str(), "{d}");
        }
    }
    for v in lines.iter().filter(|l| l["kind"] == "visit") {
        let Some(id) = v["subject"]["dispute"].as_str() else {
            continue;
        };
        let d = disputes
            .get(id)
            .unwrap_or_else(|| panic!("visit of a missing dispute: {v}"));
        assert_eq!(v["meta"]["station"], d["meta"]["station"]);
        assert_eq!(v["subject"]["person"], d["parties"][0]["person"]);
        assert_eq!(v["assigned_to"], d["assigned_to"]);
    }
    disputes.into_values().collect()
}

#[test]
fn demo_has_disputes_in_every_status_and_category_between_existing_persons() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let disputes = checked_disputes(&lines);
    let field = |name: &str| -> std::collections::HashSet<String> {
        disputes
            .iter()
            .filter_map(|d| d[name].as_str().map(str::to_string))
            .collect()
    };
    let statuses = field("status");
    for want in [
        "reported",
        "accepted",
        "mediating",
        "resolved",
        "following_up",
        "closed",
        "referred",
        "escalated",
        "reopened",
    ] {
        assert!(statuses.contains(want), "no {want} dispute: {statuses:?}");
    }
    let categories = field("category");
    for want in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "99"] {
        assert!(
            categories.contains(want),
            "no category {want}: {categories:?}"
        );
    }
    let risks = field("risk");
    assert!(
        risks.contains("red") && risks.contains("orange"),
        "{risks:?}"
    );
    assert!(disputes.iter().any(|d| d["recurrence_of"].is_string()));
    for d in &disputes {
        if matches!(d["status"].as_str(), Some("referred" | "escalated")) {
            let reference = d["handover"]["reference"].as_str().unwrap_or_default();
            assert!(!reference.is_empty() && !reference.contains('{'), "{d}");
        }
        for text in ["title", "description", "place"] {
            let t = d[text].as_str().unwrap_or_default();
            assert!(!t.is_empty() && !t.contains('{'), "{text}: {d}");
        }
    }
    let follow_ups = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["subject"]["dispute"].is_string())
        .collect::<Vec<_>>();
    assert!(follow_ups.iter().any(|v| v["status"] == "done"));
    assert!(follow_ups.iter().any(|v| v["status"] == "scheduled"));
}

#[test]
fn seed_with_disputes_spreads_them_over_stations_with_their_visits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args([
        "seed",
        "--persons",
        "300",
        "--visits",
        "200",
        "--disputes",
        "120",
    ]));
    assert!(
        text(&out.stdout).contains("120 disputes"),
        "{}",
        text(&out.stdout)
    );
    let lines = export_lines(dir.path());
    let disputes = checked_disputes(&lines);
    assert_eq!(disputes.len(), 120);
    let stations: std::collections::HashSet<&str> = disputes
        .iter()
        .filter_map(|d| d["meta"]["station"].as_str())
        .collect();
    assert_eq!(stations.len(), 5);
    let statuses: std::collections::HashSet<&str> = disputes
        .iter()
        .filter_map(|d| d["status"].as_str())
        .collect();
    assert!(statuses.len() >= 6, "{statuses:?}");
    // Person visits as asked; dispute follow-ups on top.
    let visits = lines.iter().filter(|l| l["kind"] == "visit");
    let (of_disputes, of_persons): (Vec<&Value>, Vec<&Value>) =
        visits.partition(|v| v["subject"]["dispute"].is_string());
    assert_eq!(of_persons.len(), 200);
    assert!(!of_disputes.is_empty());

    // A second seed adds disputes between the persons already there.
    ok(beatbook(dir.path()).args(["seed", "--disputes", "10"]));
    assert_eq!(checked_disputes(&export_lines(dir.path())).len(), 130);
}

#[test]
fn seed_small_then_counts_in_export_and_bench_prints_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args([
        "seed",
        "--persons",
        "500",
        "--visits",
        "2000",
        "--disputes",
        "100",
    ]));
    assert!(text(&out.stdout).contains("demo1234"), "accounts printed");
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "station"), 5);
    assert_eq!(count(&lines, "person"), 500);
    assert_eq!(count(&lines, "dispute"), 100);
    let person_visits = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["subject"]["dispute"].is_null())
        .count();
    assert_eq!(person_visits, 2000);

    let out = ok(beatbook(dir.path()).args(["bench", "--runs", "3", "--import-rows", "50"]));
    let bench: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("bench line is JSON"))
        .collect();
    let names: Vec<&str> = bench.iter().filter_map(|l| l["name"].as_str()).collect();
    for want in [
        "store_open",
        "today_station",
        "today_mine",
        "visit_done_durable",
        "fsync_floor",
        "search_index_build",
        "search_station",
        "search_all",
        "fzf_filter_all",
        "search_vs_fzf_ratio",
        "dispute_save_durable",
        "store_size_bytes",
        "tui_redraw",
        "dispute_detail",
        "dispute_register",
        "dispute_alerts",
        "residents_open",
        "residents_search",
        "approvals",
        "watch_list_open",
        "watch_filter_keystroke",
        "import_100k",
        "import_100k_rerun",
    ] {
        assert!(names.contains(&want), "{want} missing: {names:?}");
    }
    for line in &bench {
        assert!(line["n"].is_u64(), "{line}");
        assert!(
            line["ms"].is_number() || line["skipped"].is_string(),
            "{line}"
        );
    }
    // fzf may be missing on the machine; everything else is measured on a seeded store.
    for line in bench.iter().filter(|l| {
        !matches!(
            l["name"].as_str(),
            Some("fzf_filter_all" | "search_vs_fzf_ratio")
        )
    }) {
        assert!(
            line["ms"].is_number(),
            "a seeded store is benchmarked: {line}"
        );
    }
    let search = bench
        .iter()
        .find(|l| l["name"] == "search_station")
        .expect("line");
    assert_eq!(search["queries"], 10, "{search}");
    // The benchmark's disputes were saved like any other.
    let after = export_lines(dir.path());
    assert_eq!(count(&after, "dispute"), 103);
    // The import benchmark imported its roster of 50 persons, each flagged, into a
    // scratch store: the benchmarked store does not grow from one run to the next.
    let import = bench
        .iter()
        .find(|l| l["name"] == "import_100k")
        .expect("line");
    assert_eq!(import["created"], 50, "{import}");
    assert_eq!(import["flagged"], 50, "{import}");
    assert_eq!(count(&after, "person"), 500);
    assert_eq!(count(&after, "flag"), 0);
}

#[test]
fn bench_never_writes_into_a_real_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "城关派出所", "--admin", "admin"]));
    let out = ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["bench", "--user", "admin", "--runs", "2"]));
    let said = text(&out.stdout);
    assert!(said.contains("store is not demo/seeded data"), "{said}");
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "visit"), 0);
    assert_eq!(count(&lines, "dispute"), 0);

    // Nor does seed mix synthetic data into it.
    let err = refused(&run(beatbook(dir.path()).args(["seed", "--persons", "5"])));
    assert!(err.contains("already set up"), "{err}");
    assert_eq!(count(&export_lines(dir.path()), "person"), 0);
}

#[test]
fn export_to_a_file_is_complete_or_absent() {
    let dir = demo_folder();
    let file = dir.path().join("backup.jsonl");
    let out = ok(beatbook(dir.path()).args(["export", "--out"]).arg(&file));
    assert!(text(&out.stderr).contains("Exported"), "counts on stderr");
    assert!(out.stdout.is_empty(), "nothing on stdout with --out");
    let written = std::fs::read_to_string(&file).expect("backup written");
    assert_eq!(written.lines().count(), export_lines(dir.path()).len());
    assert!(!dir.path().join("backup.jsonl.tmp").exists());

    let nowhere = dir.path().join("no-such-folder").join("backup.jsonl");
    refused(&run(beatbook(dir.path())
        .args(["export", "--out"])
        .arg(&nowhere)));
    assert!(!nowhere.exists());
}

#[test]
fn unknown_language_falls_back_to_the_locale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args(["--lang", "klingon", "demo"]));
    let err = text(&out.stderr);
    assert!(err.contains("unsupported language 'klingon'"), "{err}");
    assert!(text(&out.stdout).contains("Demo data loaded"));

    let out = run(beatbook(dir.path())
        .env("LANG", "zh_CN.UTF-8")
        .env("BEATBOOK_LANG", "xx")
        .arg("demo"));
    let err = refused(&out);
    assert!(err.contains("不支持的语言"), "{err}");
    assert!(err.contains("数据已初始化"), "{err}");
}

#[test]
fn unwritable_data_folder_is_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"not a folder").expect("write");
    let out = run(beatbook(&file.join("data"))
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("cannot write the data folder"), "{err}");
}

#[test]
fn a_folder_in_use_is_told_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let held = beatbook::store::Store::open(&dir.path().join("store")).expect("open in-process");
    let out = run(beatbook(dir.path()).arg("export"));
    let err = refused(&out);
    assert!(err.contains("in use by another beatbook"), "{err}");
    let out = run(beatbook(dir.path()).args(["--lang", "zh", "demo"]));
    let err = refused(&out);
    assert!(err.contains("正被另一个 beatbook 使用"), "{err}");
    drop(held);
    ok(beatbook(dir.path()).arg("export"));
}

#[test]
fn configuration_and_clock_errors_name_the_problem_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config-home").join("beatbook");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        "[today]\nwindow_days = 7\n[login]\nmax_failure = 3\n",
    )
    .expect("write config");
    let out = run(beatbook(dir.path()).arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("config.toml:4"), "{err}");
    std::fs::remove_file(config.join("config.toml")).expect("remove");

    let out = run(beatbook(dir.path())
        .env("BEATBOOK_NOW", "yesterday")
        .arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("BEATBOOK_NOW"), "{err}");
}

#[test]
fn a_broken_keymap_names_file_line_and_problem_before_anything_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keymap = dir.path().join("mine.toml");
    std::fs::write(
        &keymap,
        "[today]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"<Hyper-k>\", run = \"up\" },\n]\n",
    )
    .expect("write");
    let out = run(beatbook(&dir.path().join("data"))
        .args(["--lang", "en", "--keymap"])
        .arg(&keymap));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("mine.toml:4"), "{err}");
    assert!(err.contains("Hyper-k"), "{err}");
    // Nothing was opened: the store folder was not even created.
    assert!(!dir.path().join("data").join("store").exists());

    let out = run(beatbook(&dir.path().join("data")).args([
        "--lang",
        "zh",
        "--keymap",
        "no-such-keymap",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("default, vim"));
}

/// The demo's watch list: every level, at least five categories, open alerts for the
/// `officer` account, and one owed rolling visit per flagged person.
#[test]
fn demo_has_watch_listed_persons_with_alerts_and_owed_visits() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let flags: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "flag").collect();
    let levels: std::collections::BTreeSet<&str> =
        flags.iter().filter_map(|f| f["level"].as_str()).collect();
    assert_eq!(levels.len(), 4, "{levels:?}");
    let categories: std::collections::BTreeSet<&str> = flags
        .iter()
        .flat_map(|f| f["categories"].as_array().into_iter().flatten())
        .filter_map(|c| c.as_str())
        .collect();
    assert!(categories.len() >= 5, "{categories:?}");
    let officer = lines
        .iter()
        .find(|l| l["kind"] == "officer" && l["username"] == "officer")
        .and_then(|o| o["meta"]["id"].as_str())
        .expect("the officer account");
    let open_alerts = lines
        .iter()
        .filter(|l| l["kind"] == "alert" && l["officer"] == officer)
        .filter(|l| l["acknowledged_at"].is_null())
        .count();
    assert!(open_alerts >= 3, "officer's alerts: {open_alerts}");
    for f in &flags {
        let owed = lines
            .iter()
            .filter(|l| {
                l["kind"] == "visit"
                    && l["subject"]["person"] == f["person"]
                    && l["subject"]["dispute"].is_null()
                    && l["status"] == "scheduled"
            })
            .count();
        assert_eq!(owed, 1, "one owed rolling visit: {f}");
    }
}

#[test]
fn seed_watch_flags_persons_with_rolling_visits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args(["seed", "--persons", "100", "--watch", "40"]));
    assert!(
        text(&out.stdout).contains("40 persons flagged"),
        "{}",
        text(&out.stdout)
    );
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "flag"), 40);
    let stations: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter(|l| l["kind"] == "flag")
        .filter_map(|l| l["meta"]["station"].as_str())
        .collect();
    assert_eq!(stations.len(), 5);
    let owed = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["status"] == "scheduled")
        .count();
    assert_eq!(owed, 40, "one owed visit per flag");
}

fn roster(rows: usize) -> String {
    const GIVEN: [&str; 12] = [
        "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "杰", "娟", "涛",
    ];
    let mut csv = String::from("姓名,身份证号,联系电话,类别,等级,责任民警\n");
    for i in 0..rows {
        let id = id_number(&format!(
            "4305211931{:02}{:02}{:03}",
            1 + i % 12,
            1 + i % 28,
            11 + 2 * i
        ));
        let level = ["红", "橙", "黄", "蓝"][i % 4];
        csv.push_str(&format!(
            "段{}{},{id},1390000{i:04},涉毒,{level},officer\n",
            GIVEN[i % 12],
            GIVEN[(i / 12) % 12]
        ));
    }
    csv
}

#[test]
fn import_persons_end_to_end_is_idempotent_and_reports_bad_rows() {
    let dir = demo_folder();
    let before = export_lines(dir.path());
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, roster(12)).expect("write roster");
    let import = |path: &Path| {
        let mut cmd = beatbook(dir.path());
        cmd.env("BEATBOOK_PASSWORD", "demo1234")
            .args(["import", "persons"])
            .arg(path)
            .args(["--user", "officer"]);
        cmd
    };
    ok(&mut import(&file));
    let after = export_lines(dir.path());
    assert_eq!(count(&after, "person"), count(&before, "person") + 12);
    assert_eq!(count(&after, "flag"), count(&before, "flag") + 12);
    run(&mut import(&file));
    let again = export_lines(dir.path());
    for kind in ["person", "flag", "visit", "alert"] {
        assert_eq!(count(&again, kind), count(&after, kind), "{kind} changed");
    }
    let bad = dir.path().join("bad.csv");
    let mut text_bad = roster(3);
    text_bad.push_str("坏行,430521193101010010,,涉毒,紫,officer\n");
    std::fs::write(&bad, text_bad).expect("write bad roster");
    refused(&run(&mut import(&bad)));
    assert!(dir.path().join("bad.rejected.csv").exists());
    assert_eq!(
        count(&export_lines(dir.path()), "person"),
        count(&after, "person")
    );
}

/// Asserts the command ended as its work did (success), quietly: no panic, exit 0.
fn quietly_ok(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{what} panicked: {err}");
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {err}",
        out.status
    );
}

/// Every command that prints keeps going when its reader leaves: the work is done and
/// the exit code says so (an import saved, then reported failure before).
#[test]
fn output_to_a_closed_pipe_ends_quietly_after_the_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    quietly_ok(
        &with_closed_stdout(beatbook(dir.path()).arg("demo")),
        "demo",
    );
    assert!(
        count(&export_lines(dir.path()), "person") > 0,
        "demo loaded despite the closed pipe"
    );
    for args in [
        vec!["check"],
        vec!["audit", "verify"],
        vec!["report", "--month", "2026-11"],
        vec!["report", "--month", "2026-11", "--format", "csv"],
        vec!["export"],
        vec![
            "bench",
            "--runs",
            "1",
            "--import-rows",
            "0",
            "--only",
            "today",
        ],
    ] {
        let out = with_closed_stdout(beatbook(dir.path()).args(&args));
        quietly_ok(&out, &args.join(" "));
    }
    let before = count(&export_lines(dir.path()), "person");
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, roster(5)).expect("write roster");
    let out = with_closed_stdout(
        beatbook(dir.path())
            .env("BEATBOOK_PASSWORD", "demo1234")
            .args(["import", "persons"])
            .arg(&file)
            .args(["--user", "officer"]),
    );
    quietly_ok(&out, "import");
    assert_eq!(count(&export_lines(dir.path()), "person"), before + 5);
}

/// The store, the log, backups, exports and reports hold personal data: another account
/// on the station PC must not read them. A data folder found open to others is closed
/// and the user told.
#[cfg(unix)]
#[test]
fn files_beatbook_creates_are_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }
    fn assert_private_tree(path: &Path) {
        assert_eq!(
            mode(path) & 0o077,
            0,
            "{} is {:o}",
            path.display(),
            mode(path)
        );
        if path.is_dir() {
            for entry in std::fs::read_dir(path).expect("read dir") {
                assert_private_tree(&entry.expect("entry").path());
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // The temp dir itself is private; open it up so that only beatbook's own modes count.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data = dir.path().join("data");
    ok(beatbook(&data).arg("demo"));
    assert_eq!(mode(&data), 0o700);
    assert_private_tree(&data);
    let backup = dir.path().join("demo.bbk");
    ok(beatbook(&data).arg("backup").arg(&backup));
    let export = dir.path().join("demo.jsonl");
    ok(beatbook(&data).arg("export").arg("--out").arg(&export));
    let report = dir.path().join("report.md");
    ok(beatbook(&data)
        .args(["report", "--month", "2026-11", "--out"])
        .arg(&report));
    for file in [&backup, &export, &report] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    // A store an earlier version left open is closed and the user told; the data folder
    // itself (it may be one the user shares) is left as it is.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let store = data.join("store");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = ok(beatbook(&data).arg("check"));
    assert!(
        text(&out.stderr).contains("now private"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(mode(&store), 0o700);
    assert_eq!(mode(&data), 0o755);
}

/// Outputs are written only as plain files: a link, a pipe or a folder where the file
/// should go is refused and left as it was (the rename replaced them, `/dev/null`
/// included when run as root); a `FILE.tmp` left by a killed run is removed and said so.
#[cfg(unix)]
#[test]
fn outputs_refuse_links_pipes_and_folders_and_clean_up_leftovers() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    ok(beatbook(&data).arg("demo"));
    let outside = dir.path().join("elsewhere.txt");
    std::fs::write(&outside, "keep me").expect("outside");
    let link = dir.path().join("export.jsonl");
    std::os::unix::fs::symlink(&outside, &link).expect("symlink");
    let fifo = dir.path().join("report.md");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let folder = dir.path().join("backup.bbk");
    std::fs::create_dir(&folder).expect("folder");
    for (args, target) in [
        (vec!["export", "--out"], &link),
        (vec!["report", "--month", "2026-11", "--out"], &fifo),
        (vec!["backup"], &folder),
    ] {
        let err = refused(&run(beatbook(&data).args(&args).arg(target)));
        assert!(err.contains("not a plain file"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "keep me");
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    assert!(std::fs::symlink_metadata(&fifo)
        .expect("fifo")
        .file_type()
        .is_fifo());
    assert!(folder.is_dir());
    // `-` is standard output.
    let out = ok(beatbook(&data).args(["report", "--month", "2026-11", "--out", "-"]));
    assert!(!text(&out.stdout).trim().is_empty());

    let archive = dir.path().join("b.bbk");
    let leftover = dir.path().join("b.bbk.tmp");
    std::fs::write(&leftover, "half an archive").expect("leftover");
    let out = ok(beatbook(&data).arg("backup").arg(&archive));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
    assert!(!leftover.exists());
    assert!(archive.is_file());
}

/// Every cell of a CSV report is safe to open in a spreadsheet: a station (or officer,
/// or category) named like a formula is written as text, never as `=…` that Excel would
/// run; the screens keep the name as typed.
#[test]
fn csv_reports_never_start_a_spreadsheet_formula() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "=HYPERLINK(\"http://x\",\"y\")";
    ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args([
            "init",
            "--station",
            name,
            "--admin",
            "Admin",
            "--code",
            "CG",
        ]));
    let out = ok(beatbook(dir.path()).args(["report", "--month", "2026-11", "--format", "csv"]));
    let report = text(&out.stdout);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(report.trim_start_matches('\u{feff}').as_bytes());
    let mut station_cells = 0;
    for record in reader.records() {
        for cell in record.expect("a CSV record").iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "formula cell in the report: {cell:?}");
            station_cells += usize::from(cell == format!("'{name}"));
        }
    }
    assert!(
        station_cells > 0,
        "the station is named in the report:\n{report}"
    );
}
