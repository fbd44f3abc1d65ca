//! Keys and hints: help from the keymap, quitting, the language switch, cut hints.

use super::*;

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
