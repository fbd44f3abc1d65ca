//! The app with a hub: the status bar says where the terminal stands, and a record pulled
//! from another terminal appears on the open list at the next tick, without a key press.

use super::cg_person;
use crate::common::hub::TestHub;
use crate::common::schedule;
use crate::common::tui::{login, screen_text};
use beatbook::i18n::Lang;
use beatbook::service::JoinAs;

#[test]
fn the_status_bar_tells_the_sync_state_and_pulled_visits_appear_on_today() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let a1 = hub.terminal(JoinAs::Station("CG".into()));
    let a2 = hub.terminal(JoinAs::Station("CG".into()));
    let mut app = login(
        &a1.service,
        Lang::En,
        "officer",
        beatbook::demo::DEMO_PASSWORD,
    );
    app.on_tick();
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("synced just now"), "{text}");

    // On the other terminal, the same officer plans a visit due today for a person whose
    // name is not on Today yet.
    let officer = a2.login("officer");
    let person = (0..60)
        .map(|n| cg_person(&a2, n))
        .find(|p| !text.contains(&p.name))
        .expect("a person not on Today");
    schedule(&a2.service, &officer, person.meta.id, "2026-11-25", None);
    assert_eq!(a2.service.sync_status().waiting, 1);
    let a2_app = login(
        &a2.service,
        Lang::Zh,
        "officer",
        beatbook::demo::DEMO_PASSWORD,
    );
    let mut a2_app = a2_app;
    a2_app.on_tick();
    let zh = screen_text(&a2_app, 80, 24);
    assert!(zh.contains("待发1"), "{zh}");
    a2.sync();

    // Terminal 1's background round pulls it; the open Today follows at the next tick.
    a1.sync();
    assert!(!screen_text(&app, 120, 40).contains(&person.name));
    app.on_tick();
    let after = screen_text(&app, 120, 40);
    assert!(after.contains(&person.name), "{after}");
}
