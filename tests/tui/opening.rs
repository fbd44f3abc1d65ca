//! The login screen shown while the store opens (`tui::opening`): what the officer types
//! there is taken over by the app, and a login submitted early goes ahead once it is open.

use super::*;
use beatbook::tui::opening::Early;
use common::tui::parse_keys;

fn typed(keys: &str) -> Early {
    let mut keymap = keymap();
    let mut early = Early::new(Lang::Zh);
    for ev in parse_keys(keys) {
        early.on_key(&mut keymap, ev);
    }
    early
}

#[test]
fn a_login_submitted_while_the_store_opened_goes_ahead_once_it_is_open() {
    let early = typed("officer<Tab>demo1234<Enter>");
    assert!(early.submitted.is_some(), "Enter on the password submits");
    assert!(!early.quit);
    let (_dir, service) = common::demo();
    let app = App::after_opening(&service, keymap(), early, None);
    let session = app.session().expect("logged in with what was typed");
    assert_eq!(session.role(), Role::Officer);
    let s = screen(&app, 80, 24);
    assert!(s.contains("今日回访"), "{s}");
}

#[test]
fn typing_goes_on_in_the_app_when_the_store_opens_before_the_submit() {
    let early = typed("offi");
    assert!(early.submitted.is_none());
    let (_dir, service) = common::demo();
    let mut app = App::after_opening(&service, keymap(), early, None);
    assert!(app.session().is_none());
    press(&mut app, "cer<Tab>demo1234<Enter>");
    assert!(app.session().is_some(), "{:?}", app.message());
}

#[test]
fn a_wrong_password_typed_early_is_refused_like_any_other() {
    let early = typed("officer<Tab>wrong<Enter>");
    let (_dir, service) = common::demo();
    let app = App::after_opening(&service, keymap(), early, None);
    assert!(app.session().is_none());
    let s = screen(&app, 80, 24);
    assert!(s.contains("用户名或密码"), "{s}");
}

#[test]
fn keys_after_the_submit_wait_and_esc_quits() {
    // Typing after the submit would change what is being logged in with.
    let early = typed("officer<Tab>demo1234<Enter>xyz");
    assert_eq!(
        early.login.form.text(beatbook::model::Field::Password),
        "demo1234"
    );
    assert!(typed("off<Esc>").quit);
}
