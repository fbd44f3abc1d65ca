//! Follow-ups for every party: who was met counts as contact, a miss for everyone owed.

use super::*;

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
