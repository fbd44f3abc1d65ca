//! The first run: set-up offered, the station and administrator created, demo search.

use super::*;

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

/// The first run as a station sees it: the demo data is loaded on the still empty
/// store, then the officer logs in. The persons it brought must be found at once by `n`
/// on Today — not only after a restart.
#[test]
fn search_finds_demo_persons_on_the_first_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = TestClock::new(at(2026, 11, 25, 9, 0));
    let service = Service::new(store, clock, Settings::default());
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
