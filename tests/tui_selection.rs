//! The selection of every list screen (except Today) after its rows change: a `/` filter,
//! a reload, a save. Keys are replayed into the whole app, the screen is drawn on a
//! `TestBackend`, and the store says which record an action really reached: it must be
//! the one the officer sees highlighted, and a record just created is the one selected.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{Dispute, DisputeStatus, Person, RiskLevel, TargetKind};
use beatbook::service::{FlagForm, NewFinding};
use beatbook::tui::app::App;
use common::disputes::{fresh_pair, land_draft, register};
use common::tui::{app, draw_with_highlight as draw, key, press, type_str};
use common::{create_person, Bureau};
use ratatui::crossterm::event::KeyCode;

fn highlighted(app: &App) -> String {
    let (s, row) = draw(app, 120, 40);
    row.unwrap_or_else(|| panic!("no row is highlighted:\n{s}"))
}

/// Asserts the highlighted row shows `needle` (written without spaces).
fn assert_highlighted(app: &App, needle: &str) {
    let (s, row) = draw(app, 120, 40);
    match row {
        Some(row) => assert!(row.contains(needle), "highlighted: {row}\n{s}"),
        None => panic!("no row is highlighted, {needle} expected:\n{s}"),
    }
}

fn status(b: &Bureau, d: &Dispute) -> DisputeStatus {
    b.store()
        .get::<Dispute>(d.meta.id)
        .expect("read")
        .expect("dispute")
        .status
}

/// Asserts the only reveal in the audit log is of `person` (the entry names it).
fn assert_revealed(b: &Bureau, person: &Person) {
    let details: Vec<String> = b
        .store()
        .audit_entries()
        .filter_map(Result::ok)
        .filter(|e| e.action == "person.reveal")
        .map(|e| e.detail)
        .collect();
    assert_eq!(details.len(), 1, "{details:?}");
    assert!(
        details[0].contains(&person.meta.id.to_string()),
        "{} expected: {details:?}",
        person.name
    );
}

/// Three disputes of station A by the officer, in register order (same risk: by id).
fn three_disputes(b: &Bureau) -> [Dispute; 3] {
    ["甲村宅基地纠纷", "乙村借款纠纷", "丙村邻里纠纷"].map(|title| {
        let (p, q) = fresh_pair(b, &b.officer_a);
        register(&b.service, &b.officer_a, title, &[&p, &q], &[])
    })
}

#[test]
fn register_filter_then_act_hits_the_highlighted_dispute() {
    let b = Bureau::new();
    let [first, second, third] = three_disputes(&b);
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab); // the register
    assert_highlighted(&app, "甲村宅基地纠纷");
    // The filter moves the selection into the rows it leaves: the only one listed.
    press(&mut app, "/丙村<Enter>");
    assert_highlighted(&app, "丙村邻里纠纷");
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(
        status(&b, &third),
        DisputeStatus::Accepted,
        "{:?}",
        app.message()
    );
    assert_eq!(status(&b, &first), DisputeStatus::Reported);
    assert_eq!(status(&b, &second), DisputeStatus::Reported);
    // Widening the filter keeps the same dispute highlighted, not the row at its index.
    press(&mut app, "/<BS><BS>村<Enter>");
    assert_highlighted(&app, "丙村邻里纠纷");
    // A filter that leaves nothing: `a` says so and touches nothing.
    press(&mut app, "/没有这件<Enter>a");
    let (s, row) = draw(&app, 120, 40);
    assert_eq!(row, None, "{s}");
    assert!(s.contains("没有选中的纠纷"), "{s}");
    assert_eq!(status(&b, &first), DisputeStatus::Reported);
    assert_eq!(status(&b, &second), DisputeStatus::Reported);
}

#[test]
fn the_dispute_overlay_steps_from_the_dispute_it_shows() {
    let b = Bureau::new();
    // 甲 and 丙 share a party; 乙 follows 甲 on the register.
    let (shared, x) = fresh_pair(&b, &b.officer_a);
    let (y, z) = fresh_pair(&b, &b.officer_a);
    let first = register(
        &b.service,
        &b.officer_a,
        "甲村宅基地纠纷",
        &[&shared, &x],
        &[],
    );
    let second = register(&b.service, &b.officer_a, "乙村借款纠纷", &[&y, &z], &[]);
    let third = register(
        &b.service,
        &b.officer_a,
        "丙村邻里纠纷",
        &[&shared, &z],
        &[],
    );
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab);
    // 丙 is listed first (its shared party raises the risk), then 甲, then 乙.
    assert_highlighted(&app, "丙村邻里纠纷");
    key(&mut app, KeyCode::Enter); // 丙
    key(&mut app, KeyCode::Enter); // its applicant, also a party of 甲
                                   // The person's disputes, newest first: 丙, then 甲.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter); // 甲
    assert!(draw(&app, 120, 40).0.contains("甲村宅基地纠纷"));
    // "Next" from 甲 is 乙, whatever row the list had selected when 甲 was opened.
    press(&mut app, "<PgDn>a");
    assert_eq!(
        status(&b, &second),
        DisputeStatus::Accepted,
        "{:?}",
        app.message()
    );
    assert_eq!(status(&b, &first), DisputeStatus::Reported);
    assert_eq!(status(&b, &third), DisputeStatus::Reported);
    while app.mode() != beatbook::tui::keymap::Mode::Register {
        key(&mut app, KeyCode::Esc);
    }
    assert_highlighted(&app, "乙村借款纠纷");
}

/// Two parties the register form's picker finds by pinyin initials, and a red dispute
/// that sorts above anything new.
fn register_fixture(b: &Bureau) -> (Dispute, Person, Person) {
    let (p, q) = fresh_pair(b, &b.officer_a);
    let red = b
        .service
        .register_dispute(
            &b.officer_a,
            &land_draft(
                "红色风险宅基地纠纷",
                &[&p, &q],
                &["prior_violence", "alcohol"],
            ),
            None,
            None,
        )
        .expect("red dispute");
    assert_eq!(red.risk, RiskLevel::Red);
    let zhang = create_person(&b.service, &b.officer_a, "张三丰", "西山村");
    let li = create_person(&b.service, &b.officer_a, "李四光", "西山村");
    (red, zhang, li)
}

/// Registers "西山村土地承包纠纷" between 张三丰 and 李四光 through the form.
fn register_by_keys(app: &mut App) {
    press(app, "n西山村土地承包纠纷<Tab>");
    type_str(app, "3"); // land
    press(app, "<Tab><Right>");
    key(app, KeyCode::Tab); // parties
    press(app, "zsf<Enter>lsg<Enter><C-s>");
}

fn the_new_dispute(b: &Bureau) -> Dispute {
    b.service
        .dispute_register(
            &b.officer_a,
            &beatbook::service::RegisterFilter::default(),
            beatbook::service::RegisterSort::Risk,
        )
        .expect("register")
        .into_iter()
        .find(|r| r.summary.title == "西山村土地承包纠纷")
        .and_then(|r| b.store().get::<Dispute>(r.summary.id).expect("read"))
        .expect("the new dispute is stored")
}

#[test]
fn a_registered_dispute_is_selected_and_a_accepts_it() {
    let b = Bureau::new();
    let (red, _, _) = register_fixture(&b);
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab);
    assert_highlighted(&app, "红色风险宅基地纠纷");
    register_by_keys(&mut app);
    let (s, row) = draw(&app, 120, 40);
    assert!(s.contains("已登记：西山村土地承包纠纷"), "{s}");
    let row = row.unwrap_or_else(|| panic!("nothing highlighted:\n{s}"));
    assert!(row.contains("西山村土地承包纠纷"), "{row}\n{s}");
    // The status line promised: a accepts it.
    key(&mut app, KeyCode::Char('a'));
    let new = the_new_dispute(&b);
    assert_eq!(new.status, DisputeStatus::Accepted, "{:?}", app.message());
    assert_eq!(status(&b, &red), DisputeStatus::Reported);
}

#[test]
fn a_registered_dispute_hidden_by_the_filters_is_shown_and_selected() {
    let b = Bureau::new();
    let (red, _, _) = register_fixture(&b);
    let mut app = app(&b.service, Lang::En, &b.officer_a);
    press(&mut app, "<Tab>/红色<Enter>");
    key(&mut app, KeyCode::Char('r')); // risk ≥ yellow: hides a blue one
    register_by_keys(&mut app);
    let (s, row) = draw(&app, 120, 40);
    assert!(s.contains("filters were cleared"), "{s}");
    let row = row.unwrap_or_else(|| panic!("nothing highlighted:\n{s}"));
    assert!(row.contains("西山村土地承包纠纷"), "{row}\n{s}");
    assert!(!s.contains("Filter:"), "the text filter is gone:\n{s}");
    press(&mut app, "<Enter>a");
    assert_eq!(the_new_dispute(&b).status, DisputeStatus::Accepted);
    assert_eq!(status(&b, &red), DisputeStatus::Reported);
}

/// Three persons of station A on the watch list, red first.
fn watch_fixture(b: &Bureau) -> Vec<Person> {
    let category = b.service.settings().watch.categories[0].code.clone();
    [
        ("高秀兰", RiskLevel::Red),
        ("马德明", RiskLevel::Orange),
        ("赵春生", RiskLevel::Yellow),
    ]
    .into_iter()
    .map(|(name, level)| {
        let p = create_person(&b.service, &b.officer_a, name, "北岭村");
        b.service
            .flag_person(
                &b.officer_a,
                p.meta.id,
                &FlagForm {
                    categories: vec![category.clone()],
                    level: Some(level),
                    basis: "多次扬言报复".into(),
                    source: "社区排查".into(),
                    ..Default::default()
                },
            )
            .expect("flag");
        p
    })
    .collect()
}

#[test]
fn watch_filter_then_open_hits_the_highlighted_person() {
    let b = Bureau::new();
    let persons = watch_fixture(&b);
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab); // the watch list
    key(&mut app, KeyCode::Char('j')); // 马德明
    key(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "zcs"); // 赵春生 by initials
    key(&mut app, KeyCode::Enter);
    assert_highlighted(&app, "赵春生");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('v')); // reveal: audited with the person it is about
    assert_revealed(&b, &persons[2]);
    // Nothing listed: Enter says so and opens nobody.
    press(&mut app, "<Esc>/没有这个人<Enter><Enter>");
    let (s, row) = draw(&app, 120, 40);
    assert_eq!(row, None, "{s}");
    assert!(s.contains("没有选中的人员"), "{s}");
}

#[test]
fn a_new_flag_is_selected_on_the_watch_list() {
    let b = Bureau::new();
    watch_fixture(&b);
    let (p, q) = fresh_pair(&b, &b.officer_a);
    register(&b.service, &b.officer_a, "东关村债务纠纷", &[&p, &q], &[]);
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab); // register
    key(&mut app, KeyCode::Enter); // the dispute
    key(&mut app, KeyCode::Enter); // its applicant
    press(&mut app, "f <Tab>");
    type_str(&mut app, "4"); // blue: listed last
    press(&mut app, "<Tab>债务纠纷激化风险<C-s>");
    let (s, _) = draw(&app, 120, 40);
    assert!(s.contains("已列为重点人员"), "{s}");
    press(&mut app, "<Esc><Esc>");
    key(&mut app, KeyCode::Tab); // the watch list
    assert_highlighted(&app, &p.name);
    press(&mut app, "<Enter>v");
    assert_revealed(&b, &p);
}

#[test]
fn a_flag_made_over_the_watch_list_is_selected_there_at_once() {
    let b = Bureau::new();
    let persons = watch_fixture(&b);
    let (p, q) = fresh_pair(&b, &b.officer_a);
    // 高秀兰 (listed, red) is a party with an unlisted person.
    register(
        &b.service,
        &b.officer_a,
        "北岭村纠纷",
        &[&persons[0], &p],
        &[],
    );
    let _ = q;
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab); // the watch list, 高秀兰 highlighted
    key(&mut app, KeyCode::Enter); // 高秀兰
    key(&mut app, KeyCode::Enter); // her dispute
    key(&mut app, KeyCode::Char('j')); // its respondent
    press(&mut app, "<Enter>f <Tab>4<Tab>纠纷当事人<C-s>");
    while app.mode() != beatbook::tui::keymap::Mode::Watch {
        key(&mut app, KeyCode::Esc);
    }
    assert_highlighted(&app, &p.name);
}

#[test]
fn a_finding_a_supervisor_records_is_selected_in_the_findings_list() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let d = register(&b.service, &b.officer_a, "宅基地边界纠纷", &[&p, &q], &[]);
    for description in ["调解笔录缺少当事人签名", "未按时反馈报告人"] {
        b.service
            .create_finding(
                &b.supervisor,
                &NewFinding {
                    target: TargetKind::Dispute,
                    target_id: d.meta.id,
                    problem: Some("record_incomplete".into()),
                    description: description.into(),
                    deadline: "+2".into(),
                },
            )
            .expect("finding");
    }
    let mut app = app(&b.service, Lang::Zh, &b.supervisor);
    key(&mut app, KeyCode::Tab); // the register
    press(&mut app, "<Enter>i2<Tab>卷宗未附协议书<Tab>+20<C-s><Esc>");
    key(&mut app, KeyCode::Tab); // watch list
    key(&mut app, KeyCode::Tab); // residents
    key(&mut app, KeyCode::Tab); // findings
    let row = highlighted(&app);
    assert!(row.contains("12-15"), "the new one (due in 20 days): {row}");
}

#[test]
fn admin_new_account_and_station_are_selected() {
    let b = Bureau::new();
    let mut app = app(&b.service, Lang::En, &b.admin);
    assert_highlighted(&app, "城关派出所");
    key(&mut app, KeyCode::Char('n')); // at the selected station
    press(
        &mut app,
        "qian.a<Tab>钱新民<Tab><Tab><Tab>initial-pass-1<Tab>initial-pass-1<C-s>",
    );
    let (s, row) = draw(&app, 120, 40);
    assert!(s.contains("qian.a"), "{s}");
    let row = row.unwrap_or_else(|| panic!("nothing highlighted:\n{s}"));
    assert!(row.contains("qian.a"), "{row}\n{s}");
    press(&mut app, "s南关派出所<Tab>NG<C-s>");
    let row = highlighted(&app);
    assert!(row.contains("南关派出所"), "{row}");
}

#[test]
fn the_audit_viewer_keeps_the_selected_entry_through_refresh_and_filter() {
    let b = Bureau::new();
    three_disputes(&b);
    let mut app = app(&b.service, Lang::En, &b.chief_a);
    key(&mut app, KeyCode::Char('A')); // the audit log, newest first
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    let before = highlighted(&app);
    key(&mut app, KeyCode::F(5));
    assert_eq!(highlighted(&app), before, "refresh keeps the entry");
    // A filter that still lists it (every entry since January) keeps it too.
    press(&mut app, "/from:2026-01-01<Enter>");
    assert_eq!(highlighted(&app), before, "the filter keeps the entry");
    // One that does not list it falls to the newest entry it lists.
    key(&mut app, KeyCode::Char('/'));
    for _ in 0.."from:2026-01-01".len() {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "to:2026-01-01<Enter>");
    let (s, row) = draw(&app, 120, 40);
    assert_eq!(row, None, "nothing that old:\n{s}");
    key(&mut app, KeyCode::Enter);
    let (s, _) = draw(&app, 120, 40);
    assert!(s.contains("No entry is selected"), "{s}");
}
