//! The Today list: snapshots, the chief's and supervisor's views, filtering, midnight, scrolling.

use super::*;

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
