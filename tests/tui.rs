//! Whole-app tests of the TUI: keys replayed into the app, screens drawn on a
//! `TestBackend` and compared with snapshots (zh and en, 80×24 and 120×40), and the store
//! checked afterwards.

use crate::common;

use beatbook::config::Settings;
use beatbook::i18n::Lang;
use beatbook::model::{PersonDraft, Role, VisitMethod, VisitOutcome, VisitStatus};
use beatbook::service::{NewOfficer, NewVisitForm, Service, Session};
use beatbook::store::Store;
use beatbook::tui::app::App;
use common::tui::{ctrl, key, keymap, login, press, screen, terminal, type_str};
use common::{at, one_station, OneStation, TestClock, STATION_PASSWORD as PASSWORD};
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;

struct Fixture {
    _dir: tempfile::TempDir,
    service: Service,
    clock: Arc<TestClock>,
}

/// A station with an officer (`wang`) and a chief (`zhao`), four persons and visits:
/// two overdue, one due today, two in the coming week, one beyond the window.
fn fixture() -> Fixture {
    let OneStation {
        dir,
        service,
        clock,
    } = one_station(at(2026, 11, 15, 9, 0));
    let wang = service.login("wang", PASSWORD).expect("wang");
    let zhao = service.login("zhao", PASSWORD).expect("zhao");
    let persons = [
        ("张三", "11010519491231002X", "东坪村"),
        ("李秀英", "", "西河村"),
        ("曾小明", "440524188001010014", "南山社区"),
        ("欧阳娜娜", "", "北岭村"),
    ];
    let mut ids = Vec::new();
    for (name, idn, village) in persons {
        let p = service
            .create_person(
                &wang,
                &PersonDraft {
                    name: name.into(),
                    id_number: idn.into(),
                    village: village.into(),
                    phone: "13812345678".into(),
                    ..Default::default()
                },
            )
            .expect("person");
        ids.push(p.meta.id);
    }
    // Scheduled on 11-15 for dates that are overdue by 11-25.
    let plan: [(usize, &str, &str, &Session); 7] = [
        (0, "2026-11-20", "矛盾纠纷调解后回访", &wang),
        (1, "2026-11-22", "重点人员定期走访", &wang),
        (2, "2026-11-25", "社区矫正人员走访", &wang),
        (3, "2026-11-27", "邻里纠纷回访", &wang),
        (0, "2026-12-01", "调解协议履行情况回访", &zhao),
        (1, "2026-12-20", "季度走访", &wang),
        (2, "2026-11-26", "电话回访", &zhao),
    ];
    for (person, due, purpose, who) in plan {
        service
            .schedule_visit(
                who,
                &NewVisitForm {
                    person: Some(ids[person]),
                    due: due.into(),
                    method: VisitMethod::InPerson,
                    purpose: purpose.into(),
                    assigned_to: None,
                    notes: String::new(),
                    dispute: None,
                },
            )
            .expect("visit");
    }
    clock.set(at(2026, 11, 25, 9, 0));
    Fixture {
        _dir: dir,
        service,
        clock,
    }
}

#[test]
fn login_and_today_snapshots_in_both_languages_and_sizes() {
    let fx = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let app = App::new(&fx.service, lang, keymap());
        let login_screen = screen(&app, 80, 24);
        insta::assert_snapshot!(format!("login_{lang}_80x24"), login_screen);
        let app = login(&fx.service, lang, "wang", PASSWORD);
        for (w, h) in [(80, 24), (120, 40)] {
            let today = screen(&app, w, h);
            insta::assert_snapshot!(format!("today_{lang}_{w}x{h}"), today);
        }
    }
}

#[test]
fn chief_sees_whole_station_and_can_toggle_to_mine() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "zhao", PASSWORD);
    let station = screen(&app, 120, 40);
    assert!(station.contains("王建国"), "{station}");
    assert!(station.contains("[全所]"), "{station}");
    key(&mut app, KeyCode::Char('m'));
    let mine = screen(&app, 120, 40);
    assert!(mine.contains("[我的]"), "{mine}");
    assert!(!mine.contains("王建国"), "{mine}");
    assert!(mine.contains("调解协议履行情况回访"), "{mine}");
}

#[test]
fn cursor_follows_display_width_after_typing_chinese() {
    let fx = fixture();
    let mut app = App::new(&fx.service, Lang::Zh, keymap());
    let mut before = terminal(&app, 80, 24);
    let start = before.get_cursor_position().expect("cursor");
    type_str(&mut app, "张三丰");
    let mut after = terminal(&app, 80, 24);
    let end = after.get_cursor_position().expect("cursor");
    assert_eq!(end.y, start.y);
    assert_eq!(
        end.x,
        start.x + 6,
        "three Chinese characters take six columns"
    );
}

#[test]
fn recording_a_visit_done_schedules_the_next_and_reaches_the_store() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    // The first row is the most overdue visit: 张三, due 11-20.
    key(&mut app, KeyCode::Char('d'));
    let form = screen(&app, 80, 24);
    assert!(form.contains("记录已访"), "{form}");
    insta::assert_snapshot!("done_form_zh_80x24", form);
    key(&mut app, KeyCode::Right); // outcome: 情况稳定
    key(&mut app, KeyCode::Tab); // method
    key(&mut app, KeyCode::Tab); // agreement
    key(&mut app, KeyCode::Tab); // notes
    type_str(&mut app, "双方已和好，无新矛盾");
    key(&mut app, KeyCode::Tab); // next visit
    press(&mut app, "+7<C-s>");
    let after = screen(&app, 80, 24);
    assert!(after.contains("已记录"), "{after}");
    assert!(after.contains("2026-12-02"), "{after}");

    let visits: Vec<_> = fx
        .service
        .store()
        .all::<beatbook::model::Visit>()
        .collect::<Result<_, _>>()
        .expect("visits");
    let done = visits
        .iter()
        .find(|v| v.status == VisitStatus::Done)
        .expect("a done visit");
    assert_eq!(done.outcome, Some(VisitOutcome::Stable));
    assert_eq!(done.notes, "双方已和好，无新矛盾");
    let next_id = done.next_visit.expect("next visit linked");
    let next = visits
        .iter()
        .find(|v| v.meta.id == next_id)
        .expect("next visit stored");
    assert_eq!(next.status, VisitStatus::Scheduled);
    assert_eq!(next.due.to_string(), "2026-12-02");
    assert_eq!(next.subject, done.subject);
}

#[test]
fn refused_save_keeps_what_was_typed_and_names_the_field() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    press(&mut app, "r2026-02-30<Tab>家属外出<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("2026-02-30"), "typed date kept: {s}");
    assert!(s.contains("家属外出"), "typed reason kept: {s}");
    assert!(s.contains("not a valid date"), "{s}");
    // Fix the date: the focus went back to it.
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "+3<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Rescheduled"), "{s}");
}

#[test]
fn officer_cannot_record_a_colleagues_visit() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Char('m')); // whole station
                                       // Move to the chief's visit on 11-26 (third row in due order after 11-20, 11-22, 11-25).
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("only the assigned officer or the chief"), "{s}");
}

#[test]
fn help_is_generated_from_the_keymap() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Record visit done"), "{s}");
    assert!(s.contains("d / F2"), "{s}");
    insta::assert_snapshot!("help_today_en_120x40", s);
    key(&mut app, KeyCode::Esc);
    let s = screen(&app, 120, 40);
    assert!(!s.contains("Record visit done"), "{s}");
}

#[test]
fn quitting_with_unsaved_input_asks_first() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    press(&mut app, "xnobody home<C-q>");
    assert!(!app.should_quit());
    let s = screen(&app, 80, 24);
    assert!(s.contains("Quit anyway?"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("nobody home"), "input kept: {s}");
    press(&mut app, "<C-q>y");
    assert!(app.should_quit());
}

#[test]
fn q_quits_at_once_from_the_list() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn filter_narrows_the_list_as_you_type() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    press(&mut app, "/xiu");
    let s = screen(&app, 120, 40);
    assert!(s.contains("李秀英"), "{s}");
    assert!(!s.contains("张三"), "{s}");
    key(&mut app, KeyCode::Esc);
    let s = screen(&app, 120, 40);
    assert!(s.contains("张三"), "{s}");
}

#[test]
fn schedule_a_visit_picking_the_person_by_pinyin_initials() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    press(&mut app, "nzxm");
    let s = screen(&app, 80, 24);
    assert!(s.contains("曾小明"), "{s}");
    key(&mut app, KeyCode::Enter); // pick
    type_str(&mut app, "+2");
    key(&mut app, KeyCode::Tab); // method
    key(&mut app, KeyCode::Tab); // purpose
    press(&mut app, "了解近况<C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("已安排 2026-11-27 回访 曾小明"), "{s}");
    assert!(s.contains("了解近况"), "{s}");
}

#[test]
fn new_visit_in_the_past_is_refused_with_a_message() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    press(&mut app, "nzhangsan<Enter>-1<Tab><Tab>check<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("cannot lie in the past"), "{s}");
}

#[test]
fn first_run_offers_setup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = TestClock::new(at(2026, 11, 25, 9, 0));
    let service = Service::new(store, clock, Settings::default());
    for lang in [Lang::Zh, Lang::En] {
        let app = App::new(&service, lang, keymap());
        let s = screen(&app, 80, 24);
        let needle = match lang {
            Lang::Zh => "载入演示数据",
            Lang::En => "Load demo data",
        };
        assert!(s.contains(needle), "{s}");
        // The data folder path differs per run; snapshot everything but that line.
        let stable: String = s
            .lines()
            .filter(|l| !l.contains("Data folder") && !l.contains("数据文件夹："))
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(format!("setup_{lang}_80x24"), stable);
    }
}

/// The first run as a station sees it: the screens prepare the person index as they
/// start (on the still empty store), then the demo data is loaded. The persons it brought
/// must be found at once by `n` on Today — not only after a restart.
#[test]
fn search_finds_demo_persons_on_the_first_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = TestClock::new(at(2026, 11, 25, 9, 0));
    let service = Service::new(store, clock, Settings::default());
    service.prepare_person_search().expect("index prepared");
    let mut app = App::new(&service, Lang::Zh, keymap());
    key(&mut app, KeyCode::Char('1')); // load demo data
    assert!(!service.needs_setup(), "{:?}", app.message());
    press(&mut app, "officer<Tab>demo1234<Enter>");
    let station = app.session().expect("logged in").station();
    // Someone Today does not show already, so that the name can only come from the search.
    let before = screen(&app, 120, 40);
    let person = service
        .store()
        .all::<beatbook::model::Person>()
        .map(|p| p.expect("person"))
        .find(|p| p.meta.station == station && !before.contains(&p.name))
        .expect("a demo person of the officer's station not on Today");
    key(&mut app, KeyCode::Char('n'));
    type_str(&mut app, &person.name);
    let s = screen(&app, 120, 40);
    assert!(
        s.matches(person.name.as_str()).count() >= 2,
        "{} typed but not offered:\n{s}",
        person.name
    );
}

/// A visit opened from a person's visits is that person's: Down must not swap in the
/// next visit of Today's list underneath (a different person), which the officer would
/// then record by mistake.
#[test]
fn a_visit_opened_from_the_person_screen_does_not_step_over_today() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Enter); // the visit detail of the selected Today row
    key(&mut app, KeyCode::Char('p')); // its person
    key(&mut app, KeyCode::Enter); // the person's first visit
    let before = screen(&app, 120, 40);
    key(&mut app, KeyCode::Char('j'));
    let after = screen(&app, 120, 40);
    assert_eq!(before, after, "the shown visit changed under the officer");
}

/// A choice's digit hint longer than the form ends with `…` at the form's edge; it was
/// cut mid-word ("4=not reac").
#[test]
fn a_choice_hint_too_long_for_the_form_ends_with_a_mark() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Char('d'));
    let form = screen(&app, 120, 40);
    let line = form
        .lines()
        .find(|l| l.contains("1=stable"))
        .unwrap_or_else(|| panic!("the outcome hint is shown:\n{form}"));
    let inside = line.split('│').nth(1).expect("a line inside the form");
    assert!(
        inside.trim_end().ends_with('…') || inside.contains("4=not reached"),
        "cut without a mark: {inside}"
    );
}

/// The audit viewer's filter hint is longer than 80 columns in Chinese: it ends with `…`
/// instead of stopping mid-word at the edge.
#[test]
fn the_audit_hint_at_80_columns_ends_with_a_mark() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "zhao", PASSWORD);
    key(&mut app, KeyCode::Char('A'));
    let s = screen(&app, 80, 24);
    let hint = s
        .lines()
        .find(|l| l.contains("筛选："))
        .unwrap_or_else(|| panic!("the filter hint is shown:\n{s}"));
    assert!(hint.contains('…'), "cut without a mark: {hint}");
}

#[test]
fn list_follows_the_clock_past_midnight() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    let s = screen(&app, 120, 40);
    assert!(s.contains("overdue 2"), "{s}");
    fx.clock.set(at(2026, 11, 26, 0, 5));
    app.on_tick();
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("overdue 3"),
        "yesterday's visit is now overdue: {s}"
    );
    assert!(s.contains("2026-11-26 Thu"), "{s}");
}

#[test]
fn first_run_creates_the_station_and_administrator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = TestClock::new(at(2026, 11, 25, 9, 0));
    let service = Service::new(store, clock, Settings::default());
    let mut app = App::new(&service, Lang::Zh, keymap());
    press(
        &mut app,
        "2青山派出所<Tab>QS<Tab>li.admin<Tab>李管理<Tab>secret-pass<Tab>secret-pasz<C-s>",
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("两次输入的密码不一致"), "{s}");
    press(&mut app, "<BS>s");
    key(&mut app, KeyCode::Enter); // Enter on the last field saves
    let s = screen(&app, 80, 24);
    assert!(s.contains("已创建 青山派出所"), "{s}");
    assert!(s.contains("登录"), "{s}");
    press(&mut app, "li.admin<Tab>secret-pass<Enter>");
    let s = screen(&app, 100, 30);
    assert!(s.contains("派出所与账号"), "{s}");
    assert!(s.contains("li.admin"), "{s}");
}

#[test]
fn supervisor_sees_all_stations_but_records_nothing() {
    let fx = fixture();
    let admin = fx.service.login("admin", "admin1234").expect("admin");
    fx.service
        .create_officer(
            &admin,
            &NewOfficer {
                station: admin.station(),
                username: "sun".into(),
                display_name: "孙监督".into(),
                role: Role::Supervisor,
                password: "first1234".into(),
            },
        )
        .expect("supervisor");
    let mut first = fx.service.login("sun", "first1234").expect("first login");
    fx.service
        .change_password(&mut first, "first1234", PASSWORD, PASSWORD)
        .expect("first password change");
    let mut app = login(&fx.service, Lang::En, "sun", PASSWORD);
    let s = screen(&app, 120, 40);
    assert!(s.contains("[all stations]"), "{s}");
    assert!(s.contains("Station"), "station column shown: {s}");
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("supervisors read records but do not change them"),
        "{s}"
    );
}

#[test]
fn language_switch_redraws_everything_including_open_forms() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    key(&mut app, KeyCode::Char('r'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Reschedule visit"), "{s}");
    key(&mut app, KeyCode::F(12));
    let s = screen(&app, 80, 24);
    assert!(s.contains("改期"), "{s}");
    assert!(s.contains("应访日期"), "{s}");
}

#[test]
fn register_accept_mediate_and_resolve_a_dispute_by_keyboard() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    key(&mut app, KeyCode::Tab); // dispute register
    let s = screen(&app, 100, 30);
    assert!(s.contains("纠纷台账"), "{s}");
    press(&mut app, "n张三与李秀英宅基地边界纠纷<Tab>");
    type_str(&mut app, "3"); // category 03 land
    key(&mut app, KeyCode::Tab); // sub-category
    key(&mut app, KeyCode::Right); // 土地承包
    key(&mut app, KeyCode::Tab); // parties
    type_str(&mut app, "zs");
    let s = screen(&app, 100, 30);
    assert!(s.contains("张三"), "{s}");
    press(&mut app, "<Enter>lxy<Enter>");
    let s = screen(&app, 100, 30);
    assert!(s.contains("张三（申请人）、李秀英（被申请人）"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&app, 100, 30);
    assert!(s.contains("已登记"), "{s}");
    assert!(s.contains("宅基地边界纠纷"), "{s}");
    let register_zh = screen(&app, 80, 24);
    insta::assert_snapshot!("register_zh_80x24", register_zh);
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 100, 30);
    assert!(s.contains("已登记"), "detail open: {s}");
    key(&mut app, KeyCode::F(12));
    let detail_en = screen(&app, 120, 40);
    insta::assert_snapshot!("dispute_detail_en_120x40", detail_en);
    press(&mut app, "<F12>a");
    let s = screen(&app, 100, 30);
    assert!(s.contains("已受理"), "{s}");
    press(&mut app, "s<Tab>张三、李秀英、村调委会主任<Tab><Tab>");
    type_str(&mut app, "1"); // agreement
    ctrl(&mut app, 's');
    let s = screen(&app, 100, 30);
    assert!(s.contains("已记录调解"), "{s}");
    press(
        &mut app,
        "v<Tab>当场调解<Tab><Tab>重新确定界址，双方签字<C-s>",
    );
    let s = screen(&app, 100, 30);
    assert!(s.contains("已化解"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab); // watch list
    key(&mut app, KeyCode::Tab); // residents
    key(&mut app, KeyCode::Tab); // supervision findings
    key(&mut app, KeyCode::Tab); // back to Today
    let s = screen(&app, 120, 40);
    assert!(s.contains("宅基地边界纠纷：化解后第1天回访"), "{s}");
}

#[test]
fn flag_a_person_red_from_a_visit_and_see_the_weekly_visit() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    // 欧阳娜娜's visit is the fourth of wang's; open it, then the person.
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, "<Enter>p");
    let s = screen(&app, 100, 30);
    assert!(s.contains("欧阳娜娜"), "{s}");
    assert!(s.contains("未列为重点人员"), "{s}");
    assert!(s.contains("138****5678"), "masked: {s}");
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&app, 100, 30);
    assert!(s.contains("13812345678"), "revealed: {s}");
    let reveals = fx
        .service
        .store()
        .audit_entries()
        .filter_map(Result::ok)
        .filter(|e| e.action == "person.reveal")
        .count();
    assert_eq!(reveals, 1, "the reveal is audited");
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char(' ')); // first category
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, "1"); // level: red (listed highest first)
    press(&mut app, "<Tab>多次扬言报复邻居<C-s>");
    let s = screen(&app, 100, 30);
    assert!(s.contains("已列为重点人员（红）"), "{s}");
    press(&mut app, "<Esc><Esc><Tab>");
    key(&mut app, KeyCode::Tab); // watch list
    let s = screen(&app, 100, 30);
    assert!(s.contains("欧阳娜娜"), "{s}");
    assert!(
        s.contains("11-27"),
        "the visit already owed is the next one: {s}"
    );
    // Make it (early) on Today: the next one is scheduled a week later by itself.
    key(&mut app, KeyCode::Tab); // residents
    key(&mut app, KeyCode::Tab); // supervision findings
    key(&mut app, KeyCode::Tab); // Today
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, "d<Right><C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("已记录：欧阳娜娜 已访"), "{s}");
    assert!(
        s.contains("12-02"),
        "the weekly visit appears on Today: {s}"
    );
    assert!(s.contains("重点人员定期走访（红）"), "{s}");
}

/// Today draws only the screenful around the selection (a chief's list can hold
/// thousands of rows): scrolling down one row at a time on a short terminal still shows
/// every row in turn, under its section heading, and the first screen keeps its head.
#[test]
fn a_long_today_list_scrolls_through_every_row() {
    let fx = fixture();
    let wang = fx.service.login("wang", PASSWORD).expect("wang");
    let person = fx
        .service
        .create_person(
            &wang,
            &PersonDraft {
                name: "长列表".into(),
                village: "东坪村".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let purposes: Vec<String> = (0..40).map(|i| format!("长列表回访{i:02}")).collect();
    for (i, purpose) in purposes.iter().enumerate() {
        fx.service
            .schedule_visit(
                &wang,
                &NewVisitForm {
                    person: Some(person.meta.id),
                    due: format!("2026-11-{:02}", 26 + i % 5),
                    method: VisitMethod::Phone,
                    purpose: purpose.clone(),
                    assigned_to: None,
                    notes: String::new(),
                    dispute: None,
                },
            )
            .expect("visit");
    }
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    let first = screen(&app, 80, 12);
    assert!(first.contains("超期未访 (2)"), "{first}");
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let text = screen(&app, 80, 12);
        for p in &purposes {
            if text.contains(p.as_str()) {
                seen.insert(p.clone());
            }
        }
        key(&mut app, KeyCode::Down);
    }
    let missing: Vec<_> = purposes.iter().filter(|p| !seen.contains(*p)).collect();
    assert!(missing.is_empty(), "never shown: {missing:?}");
    // At the bottom the last row is on screen and the top rows are not.
    let last = screen(&app, 80, 12);
    assert!(!last.contains("矛盾纠纷调解后回访"), "{last}");
}
