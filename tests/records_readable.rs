//! Issue 10, records an officer can read back: a done or missed visit opened shows what
//! was recorded and by whom; the person screen lists past visits; the dispute detail shows
//! the agreement, each session, the resolution and the recurrence link both ways, and
//! scrolls to its last line at 80×24; a resolved dispute's follow-ups cover every party,
//! and "met" counts as contact for each one met.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{
    Dispute, Field, Id, Person, RiskLevel, ValidationError, Visit, VisitMethod, VisitOutcome,
};
use beatbook::report::Month;
use beatbook::service::{DoneForm, MissedForm, ServiceError};
use beatbook::tui::screens::disputes::detail as dispute;
use beatbook::tui::screens::visits::detail;
use beatbook::tui::screens::watch::person;
use chrono::Duration;
use common::disputes::*;
use common::tui::{key, lines, login, press};
use common::watch::{flag, stored_flag};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn text(rows: &[String]) -> String {
    rows.join("\n")
}

/// A two-party dispute, accepted, one mediation session, resolved today.
fn resolved_pair(b: &Bureau) -> (Person, Person, Dispute, Vec<Visit>) {
    let (p, q) = fresh_pair(b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "张某与李某宅基地纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let d = s
        .record_session(&b.officer_a, d.meta.id, d.meta.revision, &session_form("0"))
        .expect("session");
    let (d, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    (p, q, d, visits)
}

fn done_met(met: Option<Vec<Id>>) -> DoneForm {
    DoneForm {
        met,
        method: VisitMethod::InPerson,
        ..done_form()
    }
}

// ---------------------------------------------------------------------------------------
// Follow-ups for every party
// ---------------------------------------------------------------------------------------

#[test]
fn resolving_a_two_party_dispute_plans_follow_ups_covering_both() {
    let b = Bureau::new();
    let (p, q, d, visits) = resolved_pair(&b);
    assert!(!visits.is_empty());
    for v in &visits {
        assert_eq!(v.persons(), vec![p.meta.id, q.meta.id], "{}", v.purpose);
        assert_eq!(v.subject.dispute, Some(d.meta.id));
    }
    // One visit per follow-up date: the plan is not doubled.
    let mut dues: Vec<_> = visits.iter().map(|v| v.due).collect();
    dues.dedup();
    assert_eq!(dues.len(), visits.len());
    // Both parties' screens list the follow-ups.
    for person in [&p, &q] {
        let detail = b
            .service
            .person_detail(&b.officer_a, person.meta.id)
            .expect("person");
        assert_eq!(detail.visits.len(), visits.len(), "{}", person.name);
    }
    assert_indexes_ok(b.store());
}

#[test]
fn met_both_counts_as_contact_for_both_and_statistics_count_one_visit() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let (fp, fq) = (
        flag(&b, &b.officer_a, &p, RiskLevel::Yellow),
        flag(&b, &b.officer_a, &q, RiskLevel::Yellow),
    );
    let s = &b.service;
    let d = register(s, &b.officer_a, "邻里噪音纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let (_, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    b.clock.advance(Duration::days(1));
    let first = &visits[0];
    assert_eq!(first.due, s.today());
    let saved = s
        .record_visit_done(
            &b.officer_a,
            first.meta.id,
            first.meta.revision,
            &done_met(Some(vec![p.meta.id, q.meta.id])),
        )
        .expect("done");
    assert_eq!(saved.visit.met, Some(vec![p.meta.id, q.meta.id]));
    for f in [&fp, &fq] {
        assert_eq!(
            stored_flag(&b, f.meta.id).last_contact,
            Some(s.today()),
            "a party met is contact"
        );
    }
    // The watch list shows the contact for both.
    let rows = s
        .watch_list(&b.officer_a, &Default::default())
        .expect("watch list");
    for person in [&p, &q] {
        let row = rows
            .iter()
            .find(|r| r.flag.person == person.meta.id)
            .expect("listed");
        assert_eq!(row.days_since_contact, Some(0), "{}", person.name);
    }
    // Statistics count the visit once, not once per party; indexes and audit agree.
    let stats = s
        .station_statistics(&b.chief_a, b.station_a.meta.id, Month::of(s.today()))
        .expect("statistics");
    assert_eq!(stats.stats.visits.total.made, 1);
    assert_indexes_ok(b.store());
    assert_audit_ok(b.store());
}

#[test]
fn only_the_party_met_gets_the_contact() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let (fp, fq) = (
        flag(&b, &b.officer_a, &p, RiskLevel::Yellow),
        flag(&b, &b.officer_a, &q, RiskLevel::Yellow),
    );
    let s = &b.service;
    let d = register(s, &b.officer_a, "债务纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let (_, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    let before_q = stored_flag(&b, fq.meta.id).last_contact;
    s.record_visit_done(
        &b.officer_a,
        v.meta.id,
        v.meta.revision,
        &done_met(Some(vec![q.meta.id])),
    )
    .expect("done");
    assert_eq!(stored_flag(&b, fq.meta.id).last_contact, Some(s.today()));
    assert_eq!(
        stored_flag(&b, fp.meta.id).last_contact,
        fp.last_contact,
        "not met: no contact"
    );
    assert_ne!(before_q, Some(s.today()));
}

#[test]
fn met_must_name_covered_parties_and_somebody_unless_not_reached() {
    let b = Bureau::new();
    let (_, _, _, visits) = resolved_pair(&b);
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    let s = &b.service;
    let stranger = b.person_a.meta.id;
    let err = s
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &done_met(Some(vec![stranger])),
        )
        .expect_err("not a party of the visit");
    assert!(
        matches!(
            err,
            ServiceError::Invalid(ValidationError::UnknownChoice {
                field: Field::Met,
                ..
            })
        ),
        "{err:?}"
    );
    let err = s
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &done_met(Some(vec![])),
        )
        .expect_err("stable, but nobody met?");
    assert!(
        matches!(
            err,
            ServiceError::Invalid(ValidationError::Required(Field::Met))
        ),
        "{err:?}"
    );
    let saved = s
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &DoneForm {
                outcome: Some(VisitOutcome::NotReached),
                met: Some(vec![]),
                ..Default::default()
            },
        )
        .expect("nobody reached, nobody met");
    assert!(saved.visit.contacted().is_empty());
}

// ---------------------------------------------------------------------------------------
// Past visits read back
// ---------------------------------------------------------------------------------------

#[test]
fn a_done_visit_shows_outcome_method_notes_parties_met_and_recorder() {
    let b = Bureau::new();
    let (p, q, _, visits) = resolved_pair(&b);
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    b.service
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &DoneForm {
                method: VisitMethod::Phone,
                next_due: "+7".into(),
                met: Some(vec![q.meta.id]),
                ..done_form()
            },
        )
        .expect("done");
    let detail = b
        .service
        .visit_detail(&b.officer_a, v.meta.id)
        .expect("detail");
    let (by, _) = detail.recorded.clone().expect("recorded");
    assert_eq!(by, "王建国");
    assert_eq!(
        detail
            .parties
            .iter()
            .map(|(c, met)| (c.id, *met))
            .collect::<Vec<_>>(),
        vec![(p.meta.id, false), (q.meta.id, true)]
    );
    for (lang, w, h) in [
        (Lang::Zh, 80, 24),
        (Lang::Zh, 120, 40),
        (Lang::En, 80, 24),
        (Lang::En, 120, 40),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        detail::open(&mut app, v.meta.id);
        let shown = text(&lines(&app, w, h));
        let want: &[&str] = match lang {
            Lang::Zh => &[
                "情况稳定",
                "电话",
                "协议履行良好",
                "记录人",
                "王建国",
                "下次回访",
                &format!("{}（未见到）", p.name),
                &format!("{}（见到）", q.name),
            ],
            Lang::En => &[
                "stable",
                "phone",
                "协议履行良好",
                "Recorded by",
                "王建国",
                "Next visit",
                &format!("{} (not met)", p.name),
                &format!("{} (met)", q.name),
            ],
        };
        for w_ in want {
            assert!(
                shown.contains(w_),
                "{lang} {w}x{h}: {w_:?} missing\n{shown}"
            );
        }
    }
}

#[test]
fn a_missed_visit_shows_the_reason_and_who_recorded_it() {
    let b = Bureau::new();
    let v = b.visit(&b.officer_a, &b.person_a, "0");
    b.service
        .record_visit_missed(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &MissedForm {
                reason: "家中无人，邻居称外出务工".into(),
                next_due: String::new(),
            },
        )
        .expect("missed");
    for (lang, w, h) in [(Lang::Zh, 80, 24), (Lang::En, 120, 40)] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        detail::open(&mut app, v.meta.id);
        let shown = text(&lines(&app, w, h));
        let (status, recorder) = match lang {
            Lang::Zh => ("未访", "记录人"),
            Lang::En => ("missed", "Recorded by"),
        };
        for want in [status, recorder, "王建国", "家中无人，邻居称外出务工"] {
            assert!(shown.contains(want), "{lang}: {want:?} missing\n{shown}");
        }
    }
}

#[test]
fn the_person_screen_lists_past_visits_aligned_and_enter_opens_one() {
    let b = Bureau::new();
    let s = &b.service;
    let done = b.visit(&b.officer_a, &b.person_a, "0");
    s.record_visit_done(&b.officer_a, done.meta.id, done.meta.revision, &done_form())
        .expect("done");
    let missed = b.visit(&b.officer_a, &b.person_a, "0");
    s.record_visit_missed(
        &b.officer_a,
        missed.meta.id,
        missed.meta.revision,
        &MissedForm::default(),
    )
    .expect("missed");
    let _owed = b.visit(&b.officer_a, &b.person_a, "+3");
    for (lang, w, h) in [
        (Lang::Zh, 80, 24),
        (Lang::Zh, 120, 40),
        (Lang::En, 80, 24),
        (Lang::En, 120, 40),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        person::open(&mut app, b.person_a.meta.id);
        let rows = lines(&app, w, h);
        let (done_s, missed_s, owed_s) = match lang {
            Lang::Zh => ("已访", "未访", "待访"),
            Lang::En => ("done", "missed", "scheduled"),
        };
        // Each visit row: the date starts at the same display column on every row.
        let mut date_columns = Vec::new();
        for status in [done_s, missed_s, owed_s] {
            let row = rows
                .iter()
                .find(|r| r.contains(&format!(" {status} ")) && r.contains("2026-"))
                .unwrap_or_else(|| panic!("{lang} {w}x{h}: no {status} row\n{}", text(&rows)));
            let at = row.find("2026-").expect("date");
            date_columns.push(row[..at].width());
        }
        assert!(
            date_columns.windows(2).all(|p| p[0] == p[1]),
            "{lang} {w}x{h}: dates at {date_columns:?}\n{}",
            text(&rows)
        );
    }
    // Enter on a past visit opens it (the person has no disputes: the first row is the
    // newest visit by due date).
    let mut app = login(&b.service, Lang::Zh, "wang.a", PASSWORD);
    person::open(&mut app, b.person_a.meta.id);
    press(&mut app, "<Down><Enter>");
    let shown = text(&lines(&app, 80, 24));
    assert!(shown.contains("记录人"), "{shown}");
    assert!(shown.contains("回访"), "{shown}");
    key(&mut app, KeyCode::Esc);
    let back = text(&lines(&app, 80, 24));
    assert!(
        back.contains(&b.person_a.name),
        "Esc returns to the person\n{back}"
    );
}

// ---------------------------------------------------------------------------------------
// Dispute detail
// ---------------------------------------------------------------------------------------

#[test]
fn dispute_detail_shows_agreement_sessions_resolution_and_follow_up_met() {
    let b = Bureau::new();
    let (p, q, d, visits) = resolved_pair(&b);
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    b.service
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &done_met(Some(vec![p.meta.id, q.meta.id])),
        )
        .expect("done");
    for (lang, w, h) in [
        (Lang::Zh, 80, 24),
        (Lang::Zh, 120, 40),
        (Lang::En, 80, 24),
        (Lang::En, 120, 40),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        dispute::open(&mut app, d.meta.id);
        // Everything, read by scrolling to the end a line at a time.
        let mut seen = String::new();
        for _ in 0..60 {
            seen.push_str(&text(&lines(&app, w, h)));
            key(&mut app, KeyCode::Down);
        }
        let want: Vec<String> = match lang {
            Lang::Zh => vec![
                "协议内容".into(),
                "以原界桩为准".into(),
                "调解记录".into(),
                "双方当事人、村调解员".into(),
                "当面调解".into(),
                "双方签订协议，重新埋设界桩".into(),
                format!("见到：{}、{}", p.name, q.name),
            ],
            Lang::En => vec![
                "Agreement".into(),
                "以原界桩为准".into(),
                "Mediation sessions".into(),
                "双方当事人、村调解员".into(),
                "Resolution".into(),
                "双方签订协议，重新埋设界桩".into(),
                format!("met: {}, {}", p.name, q.name),
            ],
        };
        for w_ in &want {
            assert!(
                seen.contains(w_.as_str()),
                "{lang} {w}x{h}: {w_:?} missing\n{seen}"
            );
        }
    }
}

#[test]
fn the_recurrence_link_opens_the_earlier_dispute_and_the_earlier_shows_the_later() {
    let b = Bureau::new();
    let (p, q, first, _) = resolved_pair(&b);
    let s = &b.service;
    let later = s
        .register_dispute(
            &b.officer_a,
            &land_draft("张某与李某宅基地纠纷再起", &[&p, &q], &[]),
            None,
            Some(first.meta.id),
        )
        .expect("recurrence");
    let detail = s
        .dispute_detail(&b.officer_a, later.meta.id)
        .expect("detail");
    assert_eq!(
        detail.recurrence_of.as_ref().map(|l| l.id),
        Some(first.meta.id)
    );
    let earlier = s
        .dispute_detail(&b.officer_a, first.meta.id)
        .expect("detail");
    assert_eq!(
        earlier.recurrences.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![later.meta.id]
    );
    for (lang, w, h) in [
        (Lang::Zh, 80, 24),
        (Lang::Zh, 120, 40),
        (Lang::En, 80, 24),
        (Lang::En, 120, 40),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        dispute::open(&mut app, later.meta.id);
        let shown = text(&lines(&app, w, h));
        let link = match lang {
            Lang::Zh => "复发，前案",
            Lang::En => "recurrence of",
        };
        assert!(shown.contains(link), "{lang} {w}x{h}\n{shown}");
        // Two parties, then the link: Enter on it opens the earlier dispute.
        press(&mut app, "<Down><Down><Enter>");
        let opened = text(&lines(&app, w, h));
        let back_link = match lang {
            Lang::Zh => "此后复发",
            Lang::En => "recurred as",
        };
        assert!(opened.contains(back_link), "{lang} {w}x{h}\n{opened}");
        assert!(opened.contains("张某与李某宅基地纠纷再起"), "{opened}");
        // Esc returns to the later one.
        key(&mut app, KeyCode::Esc);
        let back = text(&lines(&app, w, h));
        assert!(back.contains(link), "{back}");
    }
}

#[test]
fn at_80x24_the_last_timeline_line_is_reachable_and_never_under_the_hints() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "长期土地纠纷", &[&p, &q], &[]);
    let mut d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    for n in 0..10 {
        let mut form = session_form("0");
        form.notes = format!("第{}次调解，双方仍有分歧，约定下次再谈", n + 1);
        form.result = Some(beatbook::model::SessionResult::NoAgreement);
        d = s
            .record_session(&b.officer_a, d.meta.id, d.meta.revision, &form)
            .expect("session");
    }
    let (d, _) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    for lang in [Lang::Zh, Lang::En] {
        let last_owed = s
            .dispute_detail(&b.officer_a, d.meta.id)
            .expect("detail")
            .visits
            .iter()
            .rev()
            .find(|v| v.is_open())
            .map(|v| v.purpose.clone())
            .expect("owed");
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        dispute::open(&mut app, d.meta.id);
        let first = lines(&app, 80, 24);
        assert!(
            !text(&first).contains("第10次调解"),
            "long enough to need scrolling\n{}",
            text(&first)
        );
        // The End key scrolls to the end; so does pressing down long enough.
        key(&mut app, KeyCode::End);
        let end = lines(&app, 80, 24);
        let hint_row = end
            .iter()
            .rposition(|r| r.contains("Esc"))
            .expect("hints shown");
        let last_row = end
            .iter()
            .position(|r| r.contains(last_owed.as_str()))
            .unwrap_or_else(|| panic!("{lang}: last line not reached\n{}", text(&end)));
        assert!(
            last_row < hint_row - 1,
            "above both hint lines\n{}",
            text(&end)
        );
        // Further keys do not scroll past the end.
        for _ in 0..20 {
            key(&mut app, KeyCode::Down);
        }
        assert_eq!(lines(&app, 80, 24), end, "{lang}");
        // Up comes back to the start.
        key(&mut app, KeyCode::Home);
        assert_eq!(lines(&app, 80, 24), first, "{lang}");
    }
}

// ---------------------------------------------------------------------------------------
// The done form asks who was met
// ---------------------------------------------------------------------------------------

#[test]
fn the_done_form_of_a_two_party_follow_up_ticks_who_was_met() {
    let b = Bureau::new();
    let (p, q, _, visits) = resolved_pair(&b);
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    for (lang, w, h, label) in [
        (Lang::Zh, 80, 24, "见到"),
        (Lang::Zh, 120, 40, "见到"),
        (Lang::En, 80, 24, "Met"),
        (Lang::En, 120, 40, "Met"),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        detail::open(&mut app, v.meta.id);
        key(&mut app, KeyCode::Char('d'));
        let form = text(&lines(&app, w, h));
        assert!(form.contains(label), "{lang} {w}x{h}\n{form}");
    }
    let mut app = login(&b.service, Lang::Zh, "wang.a", PASSWORD);
    detail::open(&mut app, v.meta.id);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Right); // outcome: 情况稳定
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab); // method, agreement, notes, next visit, met
    }
    // Saving with nobody ticked is refused: the answer is the officer's.
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let stored = |b: &Bureau| {
        b.store()
            .get::<Visit>(v.meta.id)
            .expect("readable")
            .expect("visit")
    };
    assert!(stored(&b).is_open(), "refused: {:?}", app.message());
    press(&mut app, " <Right> ");
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let saved = stored(&b);
    assert_eq!(
        saved.met,
        Some(vec![p.meta.id, q.meta.id]),
        "{:?}",
        app.message()
    );
    assert_indexes_ok(b.store());
}

#[test]
fn a_long_visit_history_keeps_its_newest_lines_and_the_hints_at_80x24() {
    let b = Bureau::new();
    let s = &b.service;
    let mut v = b.visit(&b.officer_a, &b.person_a, "+1");
    for n in 2..12 {
        v = s
            .reschedule_visit(
                &b.officer_a,
                v.meta.id,
                v.meta.revision,
                &beatbook::service::RescheduleForm {
                    new_due: format!("+{n}"),
                    reason: format!("当事人外出第{n}次"),
                },
            )
            .expect("reschedule");
    }
    s.record_visit_done(&b.officer_a, v.meta.id, v.meta.revision, &done_form())
        .expect("done");
    for (lang, newest, earlier, hint) in [
        (Lang::Zh, "完成回访", "更早", "Esc 返回"),
        (Lang::En, "done", "earlier", "Esc back"),
    ] {
        let mut app = login(&b.service, lang, "wang.a", PASSWORD);
        detail::open(&mut app, v.meta.id);
        let rows = lines(&app, 80, 24);
        let shown = text(&rows);
        let last = rows
            .iter()
            .rposition(|r| r.contains("王建国") && r.contains(newest))
            .unwrap_or_else(|| panic!("{lang}: newest history line hidden\n{shown}"));
        let hint_row = rows
            .iter()
            .position(|r| r.contains(hint))
            .unwrap_or_else(|| panic!("{lang}: hints hidden\n{shown}"));
        assert!(last < hint_row, "{shown}");
        assert!(
            shown.contains(earlier),
            "{lang}: the cut is marked\n{shown}"
        );
        assert!(shown.contains("当事人外出第11次"), "{shown}");
    }
}

#[test]
fn on_the_person_screen_the_highlighted_visit_stays_on_screen_at_80x24() {
    let b = Bureau::new();
    for n in 1..=15 {
        b.visit(&b.officer_a, &b.person_a, &format!("+{n}"));
    }
    let mut app = login(&b.service, Lang::Zh, "wang.a", PASSWORD);
    person::open(&mut app, b.person_a.meta.id);
    assert!(
        !text(&lines(&app, 80, 24)).contains("2026-11-26"),
        "the oldest visit starts below the screen"
    );
    // Newest first: the last row is the visit due tomorrow.
    for _ in 0..14 {
        key(&mut app, KeyCode::Down);
    }
    let shown = text(&lines(&app, 80, 24));
    assert!(
        shown.contains("2026-11-26"),
        "highlight scrolled into view\n{shown}"
    );
    key(&mut app, KeyCode::Enter);
    let opened = text(&lines(&app, 80, 24));
    assert!(opened.contains("应访日期  2026-11-26"), "{opened}");
    // Back up to the top: the profile shows again.
    key(&mut app, KeyCode::Esc);
    for _ in 0..30 {
        key(&mut app, KeyCode::Up);
    }
    let top = text(&lines(&app, 80, 24));
    assert!(top.contains("身份证"), "{top}");
}

#[test]
fn a_missed_follow_up_is_a_miss_for_every_party_it_was_owed_to() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let (fp, fq) = (
        flag(&b, &b.officer_a, &p, RiskLevel::Yellow),
        flag(&b, &b.officer_a, &q, RiskLevel::Yellow),
    );
    let s = &b.service;
    let d = register(s, &b.officer_a, "合同纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let (_, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    b.clock.advance(Duration::days(1));
    let v = &visits[0];
    s.record_visit_missed(
        &b.officer_a,
        v.meta.id,
        v.meta.revision,
        &MissedForm::default(),
    )
    .expect("missed");
    for f in [&fp, &fq] {
        assert_eq!(stored_flag(&b, f.meta.id).missed_in_a_row, 1);
    }
    assert_indexes_ok(b.store());
}
