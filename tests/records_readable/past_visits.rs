//! Past visits read back: a done or missed visit opened, the person screen's history.

use super::*;

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
