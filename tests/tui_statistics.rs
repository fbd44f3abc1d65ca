//! The statistics screen on demo data: snapshots in zh and en at 80×24 and 120×40 (chief,
//! and the supervisor's bureau view), the month keys, the list cycle, the refusal for
//! officers and the report written from the screen.

use crate::common;
use beatbook::demo::DEMO_PASSWORD;
use beatbook::i18n::Lang;
use beatbook::service::Service;
use beatbook::tui::app::App;
use beatbook::tui::keymap::Keymap;
use common::demo;
use common::tui::{key, press, screen};
use ratatui::crossterm::event::KeyCode;

fn app<'s>(service: &'s Service, lang: Lang, user: &str) -> App<'s> {
    let session = service.login(user, DEMO_PASSWORD).expect("login");
    App::logged_in(
        service,
        lang,
        Keymap::shipped_default().expect("keymap"),
        session,
    )
}

#[test]
fn statistics_snapshots_chief_and_supervisor_zh_en() {
    let (_dir, service) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut chief = app(&service, lang, "chief");
        key(&mut chief, KeyCode::Char('t'));
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(
                format!("statistics_chief_{lang}_{w}x{h}"),
                screen(&chief, w, h)
            );
        }
        // 80×24 scrolls a section at a time: the watch list comes into view.
        press(&mut chief, "<Down><Down>");
        insta::assert_snapshot!(
            format!("statistics_chief_{lang}_80x24_scrolled"),
            screen(&chief, 80, 24)
        );
        let mut sup = app(&service, lang, "supervisor");
        key(&mut sup, KeyCode::Char('t'));
        insta::assert_snapshot!(
            format!("statistics_bureau_{lang}_120x40"),
            screen(&sup, 120, 40)
        );
    }
}

#[test]
fn months_stations_cycle_refusal_and_report_file() {
    let (dir, service) = demo();
    let mut chief = app(&service, Lang::En, "chief");
    key(&mut chief, KeyCode::Char('t'));
    assert!(screen(&chief, 120, 40).contains("2026-11"));
    key(&mut chief, KeyCode::Left);
    let october = screen(&chief, 120, 40);
    assert!(october.contains("2026-10"), "{october}");
    press(&mut chief, "<Right><Right>");
    let refused = screen(&chief, 120, 40);
    assert!(refused.contains("has not begun"), "{refused}");
    // The chief has one station: switching stays on it, never the bureau.
    key(&mut chief, KeyCode::Char('s'));
    assert!(!screen(&chief, 120, 40).contains("Stations ranked"));
    key(&mut chief, KeyCode::Char('w'));
    let written = screen(&chief, 200, 40);
    assert!(written.contains("Monthly report written to"), "{written}");
    let reports = dir.path().join("reports");
    let files: Vec<_> = std::fs::read_dir(&reports)
        .expect("reports folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    // Tab from the findings reaches the statistics for a chief, and the audit log after it.
    let mut chief = app(&service, Lang::En, "chief");
    // Today → register → watch list → residents → findings → statistics.
    for _ in 0..5 {
        key(&mut chief, KeyCode::Tab);
    }
    assert!(screen(&chief, 120, 40).contains("Statistics"));
    key(&mut chief, KeyCode::Tab);
    assert!(!screen(&chief, 120, 40).contains("Disputes by"));
    // Supervisors switch station, then back to the bureau after the last one.
    let mut sup = app(&service, Lang::En, "supervisor");
    key(&mut sup, KeyCode::Char('t'));
    assert!(screen(&sup, 120, 40).contains("Stations ranked"));
    key(&mut sup, KeyCode::Char('s'));
    assert!(!screen(&sup, 120, 40).contains("Stations ranked"));
    // Officers are refused with a message and stay on Today.
    let mut officer = app(&service, Lang::En, "officer");
    key(&mut officer, KeyCode::Char('t'));
    let s = screen(&officer, 120, 40);
    assert!(
        s.contains("statistics and monthly reports are for chiefs"),
        "{s}"
    );
}
