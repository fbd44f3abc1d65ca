//! Visit forms: typing Chinese, recording, refusals that keep the input, scheduling.

use super::*;

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
