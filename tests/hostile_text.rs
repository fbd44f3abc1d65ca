//! Hostile text and messages a person can act on (issue 11): usernames told alike and
//! audited cut and visible; escape sequences, bidi overrides and zero-width characters
//! kept out of names and never sent to a terminal or a report raw; no Rust debug text or
//! English clap error under `--lang zh`; every printing command survives a closed pipe.
//!
//! Library tests run on a real sled store in a temp dir; the rest run the real binary.

use crate::common;
use crate::common::bin::{beatbook, demo_folder, ok, text, with_closed_stdout};

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Person, PersonDraft, Station};
use beatbook::service::ServiceError;
use beatbook::store::{Actor, Change, Store};
use beatbook::tui::app::App;
use common::tui::{keymap, login, press, terminal};
use common::{audit, id_number, Bureau, PASSWORD};
use std::path::Path;
use std::process::{Command, Output};

/// Characters that must never reach a terminal or a report raw.
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t' && c != '\r'
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{200b}'..='\u{200d}'
                | '\u{2060}'
                | '\u{feff}'
        )
}

fn assert_safe(text: &str, what: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} carries {bad:?} raw: {text:?}");
}

// ---------------------------------------------------------------------------------------
// Usernames

#[test]
fn an_unknown_username_is_told_like_a_wrong_password_and_lockout_still_works() {
    let b = Bureau::new();
    let unknown = b.service.login("nobody", PASSWORD).expect_err("unknown");
    let wrong = b.service.login("wang.a", "not-it-1").expect_err("wrong");
    for lang in [Lang::Zh, Lang::En] {
        assert_eq!(unknown.localize(lang), wrong.localize(lang), "{lang}");
    }
    assert!(unknown
        .localize(Lang::En)
        .contains("wrong username or password"));
    assert!(unknown.localize(Lang::Zh).contains("用户名或密码错误"));
    assert!(!unknown.localize(Lang::En).contains("nobody"));
    // Four more wrong passwords still lock the account.
    for _ in 0..4 {
        let _ = b.service.login("wang.a", "not-it-1");
    }
    assert!(matches!(
        b.service.login("wang.a", PASSWORD),
        Err(ServiceError::Locked { .. })
    ));
}

#[test]
fn a_failed_login_audits_the_username_cut_and_visible() {
    let b = Bureau::new();
    let before = audit(b.store()).len();
    let _ = b.service.login(&"x".repeat(100_000), PASSWORD);
    let _ = b.service.login("ad\u{1b}[2J\u{202e}nim\u{200b}", PASSWORD);
    let entries = common::audit_after(b.store(), before);
    assert_eq!(entries.len(), 2, "both attempts audited");
    for e in &entries {
        assert_eq!(e.action, "login.unknown_user");
        assert!(e.detail.chars().count() < 200, "{} chars", e.detail.len());
        assert_safe(&e.detail, "audit detail");
    }
    assert!(entries[0].detail.contains('…'), "{}", entries[0].detail);
    assert!(
        entries[1].detail.contains("\\u202E") && entries[1].detail.contains("\\u001B"),
        "shown visibly: {}",
        entries[1].detail
    );
}

// ---------------------------------------------------------------------------------------
// Names: stored without bidi and zero-width characters; Chinese untouched

#[test]
fn names_are_stored_without_bidi_or_zero_width_characters_and_chinese_stays_exact() {
    let b = Bureau::new();
    let create = |name: &str| {
        b.service
            .create_person(
                &b.officer_a,
                &PersonDraft {
                    name: name.into(),
                    village: "东\u{2067}关村\u{2069}".into(),
                    ..Default::default()
                },
            )
            .expect("person saved")
    };
    let p = create("\u{202e}张\u{200b}三\u{feff}\u{200f}");
    assert_eq!(p.name, "张三");
    assert_eq!(p.village, "东关村");
    for name in ["张三", "𠮷", "堃", "买买提·吐尔逊"] {
        assert_eq!(create(name).name, name);
    }
    // An escape sequence is refused, not stored.
    let e = b
        .service
        .create_person(
            &b.officer_a,
            &PersonDraft {
                name: "张\u{1b}[31m三".into(),
                ..Default::default()
            },
        )
        .expect_err("ESC refused");
    // ... naming the character visibly, so it can be found in the text it came from.
    let zh = e.localize(Lang::Zh);
    assert!(zh.contains("控制字符") && zh.contains("\\u001B"), "{zh}");
}

// ---------------------------------------------------------------------------------------
// No Rust debug text in what a person reads: the audit viewer shows these details

#[test]
fn audit_details_name_roles_levels_and_targets_in_words_not_variant_names() {
    use beatbook::model::{RiskLevel, Role, TargetKind};
    use beatbook::service::{FlagForm, NewFinding, NewOfficer};
    let b = Bureau::new();
    let before = audit(b.store()).len();
    let o = b
        .service
        .create_officer(
            &b.admin,
            &NewOfficer {
                station: b.station_a.meta.id,
                username: "zhou.a".into(),
                display_name: "周民警".into(),
                role: Role::Officer,
                password: common::FIRST_PASSWORD.into(),
            },
        )
        .expect("account");
    b.service
        .change_role(&b.admin, o.meta.id, o.meta.revision, Role::Chief)
        .expect("role");
    let (p1, p2) = common::disputes::fresh_pair(&b, &b.officer_a);
    let d =
        common::disputes::register(&b.service, &b.officer_a, "宅基地边界纠纷", &[&p1, &p2], &[]);
    b.service
        .flag_person(
            &b.officer_a,
            p1.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(RiskLevel::Orange),
                basis: "多次上访".into(),
                ..Default::default()
            },
        )
        .expect("flag");
    b.service
        .create_finding(
            &b.supervisor,
            &NewFinding {
                target: TargetKind::Dispute,
                target_id: d.meta.id,
                problem: Some("deadline_missed".into()),
                description: "调解期限已过".into(),
                deadline: "+10".into(),
            },
        )
        .expect("finding");
    let details: Vec<String> = common::audit_after(b.store(), before)
        .into_iter()
        .map(|e| format!("{}: {}", e.action, e.detail))
        .collect();
    for action in [
        "account.create",
        "account.role",
        "dispute.register",
        "watch.flag",
        "finding.create",
    ] {
        assert!(
            details.iter().any(|d| d.starts_with(action)),
            "{action} audited: {details:?}"
        );
    }
    for debug in [
        "(Officer)",
        "Officer ->",
        "-> Chief",
        "(Orange)",
        "(Blue)",
        "(Red)",
        "(Yellow)",
        "on Dispute",
    ] {
        assert!(
            details.iter().all(|d| !d.contains(debug)),
            "{debug} in {details:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The screens: an old store holding such text cannot drive the terminal

fn plant_person_name(store: &Store, person: &Person, name: &str) {
    let mut p: Person = store
        .get(person.meta.id)
        .expect("read")
        .expect("person exists");
    p.name = name.into();
    let change = Change::new("test.plant", &Actor::system(), chrono::Utc::now()).put(p);
    store.commit(&change).expect("planted past validation");
}

#[test]
fn a_stored_name_with_escapes_and_bidi_is_drawn_visibly_never_raw() {
    let b = Bureau::new();
    b.visit(&b.officer_a, &b.person_a, "2026-11-25");
    plant_person_name(b.store(), &b.person_a, "\u{202e}张三丰\u{1b}[2J\u{200b}");
    let app = login(&b.service, Lang::Zh, "wang.a", PASSWORD);
    assert!(app.session().is_some(), "logged in");
    let terminal = terminal(&app, 120, 40);
    let cells: String = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert_safe(&cells, "the Today screen");
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("\\u202E"),
        "the override is shown, the name kept:\n{screen}"
    );
}

#[test]
fn typed_and_pasted_bidi_characters_never_enter_a_field() {
    let b = Bureau::new();
    let mut app = App::new(&b.service, Lang::Zh, keymap());
    press(&mut app, "wa\u{202e}ng\u{200b}.a<Tab>");
    app.on_paste(&format!("{PASSWORD}\u{2066}"));
    press(&mut app, "<Enter>");
    assert!(
        app.session().is_some(),
        "the invisible characters were dropped at the field: {:?}",
        app.message()
    );
}

// ---------------------------------------------------------------------------------------
// The real binary

/// Runs `cmd`, again while sled has not yet let go of a store the test just closed.
fn ok_when_free(cmd: &mut Command) -> Output {
    for _ in 0..100 {
        let out = cmd.output().expect("the binary runs");
        if out.status.success() || !text(&out.stderr).contains("in use") {
            return out;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    ok(cmd)
}

/// A demo folder whose first station's name carries an OSC title sequence, a bell and
/// a right-to-left override, written past validation as an old version might have.
fn demo_with_hostile_station(data: &Path) {
    ok(beatbook(data).arg("demo"));
    let store = Store::open(&data.join("store")).expect("store");
    let mut station: Station = store
        .all::<Station>()
        .next()
        .expect("a station")
        .expect("readable");
    station.name = format!("{}\u{1b}]0;pwned\u{7}\u{202e}X", station.name);
    let change = Change::new("test.plant", &Actor::system(), chrono::Utc::now()).put(station);
    store.commit(&change).expect("planted");
}

#[test]
fn reports_and_command_output_show_hostile_text_visibly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    demo_with_hostile_station(&data);
    for format in ["md", "csv"] {
        let out = ok_when_free(
            beatbook(&data).args(["report", "--month", "2026-11", "--format", format]),
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report = text(&out.stdout);
        assert_safe(&report, "the report");
        assert!(
            report.contains("\\u001B]0;pwned\\u0007\\u202EX"),
            "{report}"
        );
    }
    let file = dir.path().join("report.md");
    ok(beatbook(&data)
        .args(["report", "--month", "2026-11", "--out"])
        .arg(&file));
    assert_safe(
        &std::fs::read_to_string(&file).expect("report file"),
        "the report file",
    );
    // The audit chain quotes the planted write; the check prints it only visibly.
    let out = ok(beatbook(&data).arg("check"));
    assert_safe(&text(&out.stdout), "check");
}

#[test]
fn an_imported_roster_loses_bidi_characters_and_quotes_escapes_visibly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    ok(beatbook(&data).arg("demo"));
    let file = dir.path().join("roster.csv");
    let mut csv = String::from("姓名,身份证号,联系电话,类别,等级,责任民警\n");
    let id = id_number("43052119310101011");
    csv.push_str(&format!(
        "\u{202e}段\u{2066}伟\u{200f},{id},13900000001,涉毒,红,officer\n"
    ));
    std::fs::write(&file, &csv).expect("roster");
    let import = |file: &Path| {
        beatbook(&data)
            .env("BEATBOOK_PASSWORD", "demo1234")
            .args(["import", "persons"])
            .arg(file)
            .args(["--user", "officer"])
            .output()
            .expect("runs")
    };
    let out = import(&file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export = text(&ok(beatbook(&data).arg("export")).stdout);
    let person: serde_json::Value = export
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["kind"] == "person" && v["id_number"] == id.as_str())
        .expect("the imported person");
    assert_eq!(person["name"], "段伟", "{person}");
    assert_safe(&export, "the export");
    // A cell with an escape sequence is rejected, and quoted only visibly — on the
    // terminal and in the rejected-rows file.
    let bad = dir.path().join("bad.csv");
    let id2 = id_number("43052119310101013");
    std::fs::write(
        &bad,
        format!("姓名,身份证号,联系电话,类别,等级,责任民警\n张\u{1b}]0;x\u{7}\u{1b}[31m三,{id2},13900000002,涉毒,红,officer\n"),
    )
    .expect("bad roster");
    let out = import(&bad);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_safe(&text(&out.stdout), "import's summary");
    assert_safe(&text(&out.stderr), "import's messages");
    let rejected =
        std::fs::read_to_string(dir.path().join("bad.rejected.csv")).expect("rejected rows");
    assert_safe(
        rejected.trim_start_matches('\u{feff}'),
        "the rejected-rows file",
    );
}

#[test]
fn the_command_line_tells_unknown_user_and_wrong_password_alike() {
    let dir = demo_folder();
    let refusal = |user: &str, password: &str| {
        let out = beatbook(dir.path())
            .args(["--lang", "zh", "export", "--user", user])
            .env("BEATBOOK_PASSWORD", password)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        // The message after "cannot log in as USER：".
        err.split_once(user)
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(err)
    };
    let unknown = refusal("nobody", "demo1234");
    let wrong = refusal("officer", "wrong-one-1");
    assert_eq!(unknown, wrong);
    assert!(unknown.contains("用户名或密码错误"), "{unknown}");
}

#[test]
fn usage_errors_under_lang_zh_are_chinese_and_name_the_argument() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| beatbook(dir.path()).args(args).output().expect("runs");
    let out = run(&["--lang", "zh", "report", "--mnth", "2026-11"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--mnth") && err.contains("不认识"), "{err}");
    assert!(err.contains("--month"), "clap's suggestion kept: {err}");
    assert!(
        !err.contains("unexpected argument") && !err.contains("Usage:"),
        "{err}"
    );
    let out = run(&["--lang", "zh", "bench", "--runs", "many"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("--runs") && err.contains("many") && err.contains("无效"),
        "{err}"
    );
    assert!(!err.contains("invalid digit"), "{err}");
    let out = run(&["--lang", "zh", "exprot"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("子命令"),
        "{}",
        text(&out.stderr)
    );
    // Help stays the English reference, with a Chinese pointer to the README.
    let out = beatbook(dir.path())
        .env("BEATBOOK_LANG", "zh")
        .arg("--help")
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("README"),
        "{}",
        text(&out.stdout)
    );
    // English keeps clap's own message.
    let out = run(&["report", "--mnth", "2026-11"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--mnth"));
}

#[test]
fn bench_skip_reasons_carry_no_debug_text() {
    let dir = demo_folder();
    // The administrator sees no case data: today's lists are skipped, with a reason.
    let out = ok(beatbook(dir.path()).args([
        "bench",
        "--user",
        "admin",
        "--runs",
        "1",
        "--import-rows",
        "0",
        "--only",
        "today",
    ]));
    let lines = text(&out.stdout);
    let reasons: Vec<String> = lines
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["skipped"].as_str().map(str::to_string))
        .collect();
    assert!(!reasons.is_empty(), "the admin's today is skipped: {lines}");
    for r in reasons {
        assert!(
            !r.contains("NoCaseData") && !r.contains("ReadOnlyRole"),
            "{r}"
        );
        assert!(r.contains("not allowed"), "{r}");
    }
}

// ---------------------------------------------------------------------------------------
// Pipes: every command that prints, with its reader gone before the first line

fn quietly(out: &Output, what: &str, code: i32) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{what} panicked: {err}");
    assert_eq!(out.status.code(), Some(code), "{what}: {err}");
}

fn persons(data: &Path) -> usize {
    text(&ok(beatbook(data).arg("export")).stdout)
        .lines()
        .filter(|l| l.contains("\"kind\":\"person\""))
        .count()
}

#[test]
fn every_printing_command_ends_quietly_on_a_closed_pipe_after_its_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("fresh");
    for (args, code) in [
        (vec!["--help"], 0),
        (vec!["--version"], 0),
        (vec!["--lang", "zh", "--help"], 0),
        (vec!["report", "--help"], 0),
        (vec!["--lang", "zh", "report", "--bogus"], 2),
    ] {
        quietly(
            &with_closed_stdout(beatbook(&fresh).args(&args)),
            &args.join(" "),
            code,
        );
    }
    // init: the store is set up although nobody read the summary.
    let out = with_closed_stdout(
        beatbook(&fresh)
            .env("BEATBOOK_PASSWORD", "admin-pass-1")
            .args(["init", "--station", "城关派出所", "--admin", "boss"]),
    );
    quietly(&out, "init", 0);
    assert!(
        text(&ok(beatbook(&fresh).arg("export")).stdout).contains("城关派出所"),
        "init saved"
    );

    let data = dir.path().join("data");
    quietly(&with_closed_stdout(beatbook(&data).arg("demo")), "demo", 0);
    let demo_persons = persons(&data);
    assert!(demo_persons > 0, "demo saved");
    quietly(
        &with_closed_stdout(beatbook(&data).args(["seed", "--persons", "30", "--visits", "10"])),
        "seed",
        0,
    );
    assert_eq!(persons(&data), demo_persons + 30, "seed saved");
    for args in [
        vec!["audit", "verify"],
        vec!["check"],
        vec!["check", "--repair"],
        vec!["export"],
        vec!["report", "--month", "2026-11"],
        vec!["report", "--month", "2026-11", "--format", "csv"],
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
        quietly(
            &with_closed_stdout(beatbook(&data).args(&args)),
            &args.join(" "),
            0,
        );
    }
    // A refusal keeps its exit code with nobody reading.
    quietly(
        &with_closed_stdout(beatbook(&data).args(["report", "--month", "2026-13"])),
        "report with a bad month",
        2,
    );
    // backup and restore: the archive is written and restored.
    let archive = dir.path().join("a.bbk");
    quietly(
        &with_closed_stdout(beatbook(&data).arg("backup").arg(&archive)),
        "backup",
        0,
    );
    assert!(archive.exists(), "backup written");
    let other = dir.path().join("other");
    quietly(
        &with_closed_stdout(
            beatbook(&other)
                .env("BEATBOOK_PASSWORD", "demo1234")
                .args(["restore", "--user", "admin", "--key"])
                .arg(data.join("keys").join("archive.key"))
                .arg(&archive),
        ),
        "restore",
        0,
    );
    assert_eq!(persons(&other), persons(&data), "restore done");
    // import --dry-run writes nothing; the import itself saves.
    let file = dir.path().join("roster.csv");
    let mut csv = String::from("姓名,身份证号,联系电话,类别,等级,责任民警\n");
    for (i, name) in ["段伟", "段芳", "段敏"].into_iter().enumerate() {
        let id = id_number(&format!("43052119310101{:03}", 11 + 2 * i));
        csv.push_str(&format!("{name},{id},1390000000{i},涉毒,红,officer\n"));
    }
    std::fs::write(&file, csv).expect("roster");
    let before = persons(&data);
    for (extra, added) in [(vec!["--dry-run"], 0), (vec![], 3)] {
        let out = with_closed_stdout(
            beatbook(&data)
                .env("BEATBOOK_PASSWORD", "demo1234")
                .args(["import", "persons"])
                .arg(&file)
                .args(["--user", "officer"])
                .args(&extra),
        );
        quietly(&out, &format!("import {extra:?}"), 0);
        assert_eq!(persons(&data), before + added, "import {extra:?}");
    }
}
