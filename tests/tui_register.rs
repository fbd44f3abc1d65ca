//! The dispute register names its rows' parties as the officer reaches them: the rows
//! come without names (a chief's register runs to thousands of disputes, issue 16), the
//! rows around the selection are named after every step, and the first text filter names
//! them all. Wherever the officer goes, the highlighted row shows its parties, and a
//! filter finds a dispute by a party's name however far down the list it sits.

use crate::common;

use beatbook::demo::SeedSpec;
use beatbook::i18n::Lang;
use beatbook::model::DisputeStatus;
use beatbook::service::{RegisterFilter, RegisterRow, RegisterSort};
use beatbook::tui::screens::disputes::register::RegisterState;
use common::tui::{draw_with_highlight, key, login, press};
use ratatui::crossterm::event::KeyCode;

/// The highlighted row's text (spaces dropped).
fn highlighted(app: &beatbook::tui::app::App) -> String {
    let (screen, row) = draw_with_highlight(app, 120, 40);
    row.unwrap_or_else(|| panic!("no row is highlighted:\n{screen}"))
}

/// The first party's name of a named register row.
fn first_party(row: &RegisterRow) -> &str {
    row.party_names.first().map(String::as_str).unwrap_or("")
}

/// The chief's register by keys, every status shown, its first row highlighted.
fn register_of_every_status(service: &beatbook::service::Service) -> beatbook::tui::app::App<'_> {
    let mut app = login(service, Lang::Zh, "chief", "demo1234");
    key(&mut app, KeyCode::Tab);
    // The status filter: open ones, each status, then all of them.
    for _ in 0..10 {
        key(&mut app, KeyCode::Char('f'));
    }
    // The filter kept the dispute that was highlighted; to the top.
    key(&mut app, KeyCode::Home);
    app
}

#[test]
fn a_long_register_names_the_rows_the_officer_reaches() {
    let (_dir, service) = common::seeded_demo(&SeedSpec {
        persons: 1500,
        disputes: 4000,
        ..Default::default()
    });
    let chief = service.login("chief", "demo1234").expect("chief logs in");
    let every_status = RegisterFilter {
        all_statuses: true,
        ..RegisterFilter::default()
    };
    let named = service
        .dispute_register(&chief, &every_status, RegisterSort::Risk)
        .expect("register");
    // Far more rows than are named around the selection at the start.
    assert!(named.len() > 600, "{} rows", named.len());

    let mut app = register_of_every_status(&service);
    let top = highlighted(&app);
    let title: String = named[0].summary.title.chars().take(5).collect();
    assert!(top.contains(&title), "{title} expected in {top}");
    assert!(top.contains(first_party(&named[0])), "{top}");
    // Down the list a page at a time, past the rows named at the start.
    for _ in 0..45 {
        key(&mut app, KeyCode::PageDown);
    }
    let at = &named[450];
    assert!(
        highlighted(&app).contains(first_party(at)),
        "{} expected in {}",
        first_party(at),
        highlighted(&app)
    );
    key(&mut app, KeyCode::End);
    let last = named.last().expect("rows");
    assert!(highlighted(&app).contains(first_party(last)));

    // The closed disputes: nothing far down that list has been named yet (the dispute
    // highlighted before is not among them, so the list opens at its first row). A
    // filter by its last row's party still finds that row.
    let closed = service
        .dispute_register(
            &chief,
            &RegisterFilter {
                status: Some(DisputeStatus::Closed),
                ..RegisterFilter::default()
            },
            RegisterSort::Risk,
        )
        .expect("closed");
    assert!(closed.len() > 300, "{} closed", closed.len());
    let far = closed.last().expect("rows");
    let mut app = login(&service, Lang::Zh, "chief", "demo1234");
    key(&mut app, KeyCode::Tab);
    // Open ones, then reported, accepted, mediating, resolved, following up, closed.
    for _ in 0..6 {
        key(&mut app, KeyCode::Char('f'));
    }
    assert!(highlighted(&app).contains("已办结"));
    press(&mut app, &format!("/{}<Enter>", first_party(far)));
    let (screen, _) = draw_with_highlight(&app, 120, 40);
    assert!(
        screen.contains(&far.summary.title),
        "{} expected:\n{screen}",
        far.summary.title
    );
}

/// The first text filter names every row, not only those shown so far: a dispute far
/// down the register, whose parties are party to nothing else, is found by a party's name
/// although its row was never near the selection.
#[test]
fn the_first_filter_finds_a_row_by_a_party_never_shown() {
    let (_dir, service) = common::seeded_demo(&SeedSpec {
        persons: 1500,
        disputes: 4000,
        ..Default::default()
    });
    let chief = service.login("chief", "demo1234").expect("chief logs in");
    let p = common::create_person(&service, &chief, "欧阳娜娜", "北岭村");
    let q = common::create_person(&service, &chief, "司马光明", "北岭村");
    // Blue, no deadline, the newest id: the register's last row by risk.
    let far = common::disputes::register(&service, &chief, "林地界桩纠纷", &[&p, &q], &[]);

    let mut register = RegisterState::default();
    register.filter.all_statuses = true;
    register.reload(&service, &chief).expect("register");
    let at = register
        .rows
        .iter()
        .position(|r| r.summary.id == far.meta.id)
        .expect("listed");
    assert!(at > 400, "row {at} of {}", register.rows.len());
    register.text.insert_str("司马光明");
    register.apply_text(&service, &chief).expect("filter");
    let found: Vec<_> = register.rows.iter().map(|r| r.summary.id).collect();
    assert_eq!(found, [far.meta.id]);
}
