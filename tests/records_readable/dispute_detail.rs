//! The dispute detail: agreement, sessions, resolution, recurrence links, 80x24 scrolling.

use super::*;

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
