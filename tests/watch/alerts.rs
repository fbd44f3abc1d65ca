//! Alerts: missed visits, overdue reviews, and alerts raised by disputes.

use super::*;

#[test]
fn two_missed_visits_in_a_row_alert_the_responsible_officer_and_the_chief() {
    let b = Bureau::new();
    let chief = &b.chief_a;
    let resp = &b.officer_a2; // responsible; the flag is made by the chief
    let p = &b.person_a;
    b.service
        .flag_person(
            chief,
            p.meta.id,
            &FlagForm {
                responsible: Some(resp.officer()),
                ..form(Red, &["released"], "刑满释放不满一年")
            },
        )
        .expect("flag");
    let missed_alerts = |s: &Session| {
        alerts_for(&b, s, p.meta.id)
            .into_iter()
            .filter(|r| matches!(r, AlertReason::MissedVisits { .. }))
            .count()
    };
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 0, "one miss is no alert");
    // A visit made resets the count.
    visit_done(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 0, "the count started again");
    assert_eq!(
        b.store()
            .flag_of(p.meta.id)
            .expect("r")
            .expect("f")
            .missed_in_a_row,
        1
    );
    visit_missed(&b, resp, p.meta.id);
    let rows = b.service.watch_alerts(resp).expect("alerts");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert_eq!(row.alert.reason, AlertReason::MissedVisits { count: 2 });
    assert_eq!(row.alert.officer, resp.officer());
    assert_eq!(row.alert.raised_on, date(2026, 11, 25));
    assert_eq!(row.person_name, p.name);
    assert_eq!(row.officer_name, "李卫东");
    assert_eq!(row.level, Some(Red));
    assert_eq!(missed_alerts(chief), 1, "the chief sees it");
    assert_eq!(missed_alerts(&b.officer_a), 0, "another officer does not");
    assert!(b.service.watch_alerts(&b.officer_b).expect("b").is_empty());
    assert!(b.service.watch_alerts(&b.chief_b).expect("b").is_empty());
    assert!(b
        .service
        .watch_alerts(&b.supervisor)
        .expect("sup")
        .is_empty());
    // A third miss in a row: no second alert.
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 1);
    assert_eq!(missed_alerts(chief), 1);
    // The person screen lists it.
    let detail = b.service.person_detail(chief, p.meta.id).expect("detail");
    assert_eq!(detail.alerts.len(), 1);
    // Another officer may not acknowledge it; the responsible one does, audited.
    let alert = rows[0].alert.clone();
    let e = b
        .service
        .acknowledge_alert(&b.officer_a, alert.meta.id, alert.meta.revision)
        .expect_err("not theirs");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NotAssigned)),
        "{e:?}"
    );
    let e = b
        .service
        .acknowledge_alert(&b.chief_b, alert.meta.id, alert.meta.revision)
        .expect_err("other station");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    b.clock.advance(Duration::hours(2));
    let acked = b
        .service
        .acknowledge_alert(resp, alert.meta.id, alert.meta.revision)
        .expect("acknowledged");
    assert_eq!(acked.acknowledged_by, Some(resp.officer()));
    assert_eq!(
        acked.acknowledged_at,
        Some((start_time() + Duration::hours(2)).with_timezone(&chrono::Utc))
    );
    assert_eq!(missed_alerts(resp), 0, "acknowledged alerts leave the list");
    assert_eq!(missed_alerts(chief), 0);
    let entries = audit_of(&b, "alert.acknowledge");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, resp.officer());
    assert_eq!(entries[0].record, Some(alert.meta.id));
    assert_eq!(entries[0].kind, Some(Kind::Alert));
    // Twice: a conflict on the old revision.
    assert!(b
        .service
        .acknowledge_alert(resp, alert.meta.id, alert.meta.revision)
        .is_err());
    // After a visit made, two more misses raise a new one.
    visit_done(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    visit_missed(&b, resp, p.meta.id);
    assert_eq!(missed_alerts(resp), 1);
    assert_store_ok(&b);
}

#[test]
fn overdue_review_raises_an_alert_at_login_until_acknowledged() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let f = flag(&b, s, p, Red);
    assert_eq!(f.next_review, date(2026, 12, 25));
    let review_alerts = |s: &Session| {
        alerts_for(&b, s, p.meta.id)
            .into_iter()
            .filter(|r| matches!(r, AlertReason::ReviewOverdue { .. }))
            .count()
    };
    // On the review date: due, not yet overdue.
    set_day(&b, date(2026, 12, 25));
    b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(s), 0);
    // A day later, at login.
    set_day(&b, date(2026, 12, 26));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    let rows = b.service.watch_alerts(&s).expect("alerts");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(
        rows[0].alert.reason,
        AlertReason::ReviewOverdue {
            due: date(2026, 12, 25)
        }
    );
    assert_eq!(rows[0].alert.officer, s.officer());
    assert_eq!(review_alerts(&b.chief_a), 1);
    assert_eq!(review_alerts(&b.officer_a2), 0);
    // The overdue filter of the watch list shows the flag.
    let overdue = b
        .service
        .watch_list(
            &s,
            &WatchFilter {
                overdue_only: true,
                ..Default::default()
            },
        )
        .expect("list");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].review_overdue, Some(1));
    // Logging in again (anyone of the station) raises no second one.
    b.service.login("zhao.chief", PASSWORD).expect("login");
    b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(&s), 1);
    // Other stations' logins do not touch it.
    b.service.login("chen.b", PASSWORD).expect("login");
    assert!(b.service.watch_alerts(&b.officer_b).expect("b").is_empty());
    // Acknowledged: gone, audited; a later login does not bring it back for the same
    // review date.
    let a = rows[0].alert.clone();
    b.service
        .acknowledge_alert(&s, a.meta.id, a.meta.revision)
        .expect("ack");
    assert_eq!(review_alerts(&s), 0);
    assert_eq!(audit_of(&b, "alert.acknowledge").len(), 1);
    set_day(&b, date(2026, 12, 27));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(
        review_alerts(&s),
        0,
        "an acknowledged review alert must not come back at every login"
    );
    // The review done: the next one 30 days on, no alert.
    let f = stored_flag(&b, f.meta.id);
    let f = b
        .service
        .review_flag(&s, f.meta.id, f.meta.revision, "维持红色")
        .expect("review");
    assert_eq!(f.next_review, date(2027, 1, 26));
    assert_eq!(
        f.history.last().map(|h| (h.kind, h.by)),
        Some((FlagChangeKind::Reviewed, s.officer()))
    );
    set_day(&b, date(2027, 1, 27));
    let s = b.service.login("wang.a", PASSWORD).expect("login");
    assert_eq!(review_alerts(&s), 1, "the next review's own alert");
    assert_store_ok(&b);
}

#[test]
fn a_watch_listed_party_in_a_new_dispute_alerts_their_officer_and_the_chief_only() {
    let b = Bureau::new();
    let p = &b.person_a;
    let x = create_person(&b.service, &b.officer_a, "孙八", "东关村");
    flag(&b, &b.officer_a, p, Orange);
    // The colleague registers the dispute: the alert goes to the flag's officer.
    let d = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("宅基地边界纠纷", &[x.meta.id, p.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    assert_eq!(d.implied_indicators, ["watch_list"]);
    assert_eq!(d.fired_rules, ["watch_listed"]);
    assert_eq!(d.risk, Orange, "the watch_listed rule sets orange");
    let mine = alerts_for(&b, &b.officer_a, p.meta.id);
    assert_eq!(in_dispute(&mine, d.meta.id), 1, "{mine:?}");
    assert_eq!(
        mine,
        [AlertReason::WatchedPartyInDispute {
            dispute: d.meta.id,
            title: "宅基地边界纠纷".into()
        }]
    );
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.chief_a, p.meta.id), d.meta.id),
        1
    );
    assert!(
        b.service
            .watch_alerts(&b.officer_a2)
            .expect("a2")
            .is_empty(),
        "not the officer who registered it"
    );
    for s in [&b.officer_b, &b.chief_b] {
        assert!(b.service.watch_alerts(s).expect("b").is_empty());
    }
    // The party who is not listed raises nothing.
    assert!(alerts_for(&b, &b.chief_a, x.meta.id).is_empty());
    // Editing the dispute: no second alert for the same dispute and person.
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("宅基地边界纠纷（补充）", &[x.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.chief_a, p.meta.id), d.meta.id),
        1
    );
    // Acknowledged, then edited again: still once per dispute and person.
    let row = b
        .service
        .watch_alerts(&b.officer_a)
        .expect("alerts")
        .remove(0);
    b.service
        .acknowledge_alert(&b.officer_a, row.alert.meta.id, row.alert.meta.revision)
        .expect("ack");
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("宅基地边界纠纷（再补充）", &[x.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert!(
        alerts_for(&b, &b.chief_a, p.meta.id).is_empty(),
        "an acknowledged alert is not raised again by an edit"
    );
    // A higher ticked indicator wins over the implied one.
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &DisputeDraft {
                indicators: vec!["weapons".into()],
                ..dispute_draft("宅基地边界纠纷", &[x.meta.id, p.meta.id])
            },
        )
        .expect("edit");
    assert_eq!(d.risk, Red);
    assert_eq!(d.fired_rules, ["weapons_or_threats", "watch_listed"]);
    assert_store_ok(&b);
}

#[test]
fn adding_a_watch_listed_party_to_an_existing_dispute_alerts_and_raises_the_risk() {
    let b = Bureau::new();
    let p = &b.person_a;
    let x = create_person(&b.service, &b.officer_a, "孙八", "东关村");
    let y = create_person(&b.service, &b.officer_a, "周九", "东关村");
    let z = create_person(&b.service, &b.officer_a, "吴十", "东关村");
    flag(&b, &b.officer_a, p, Red);
    let d = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    assert!(d.implied_indicators.is_empty());
    assert_eq!(d.risk, Blue);
    assert!(b.service.watch_alerts(&b.chief_a).expect("a").is_empty());
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id, p.meta.id]),
        )
        .expect("party added");
    assert_eq!(d.implied_indicators, ["watch_list"]);
    assert_eq!(d.risk, Orange);
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(in_dispute(&chief, d.meta.id), 1, "{chief:?}");
    assert_eq!(
        in_dispute(&alerts_for(&b, &b.officer_a, p.meta.id), d.meta.id),
        1
    );
    assert!(b
        .service
        .watch_alerts(&b.officer_a2)
        .expect("a2")
        .is_empty());
    assert!(b.service.watch_alerts(&b.chief_b).expect("b").is_empty());
    // A second dispute for the same person within 12 months: a repeat alert, once.
    let d2 = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("借款纠纷", &[p.meta.id, z.meta.id]),
            None,
            None,
        )
        .expect("second dispute");
    assert!(d2.implied_indicators.contains(&"watch_list".to_string()));
    assert!(d2.implied_indicators.contains(&"repeat_party".to_string()));
    assert_eq!(d2.risk, Orange);
    assert!(d2.fired_rules.contains(&"recurring".to_string()));
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(in_dispute(&chief, d2.meta.id), 1);
    assert_eq!(repeats(&chief), 1, "{chief:?}");
    assert_eq!(repeats(&alerts_for(&b, &b.officer_a, p.meta.id)), 1);
    assert!(b
        .service
        .watch_alerts(&b.officer_a2)
        .expect("a2")
        .is_empty());
    // A third dispute: one repeat alert still (it is open), one more party alert.
    let d3 = b
        .service
        .register_dispute(
            &b.officer_a2,
            &dispute_draft("土地纠纷", &[p.meta.id, y.meta.id]),
            None,
            None,
        )
        .expect("third");
    let chief = alerts_for(&b, &b.chief_a, p.meta.id);
    assert_eq!(repeats(&chief), 1);
    assert_eq!(in_dispute(&chief, d3.meta.id), 1);
    assert_eq!(chief.len(), 4, "{chief:?}");
    // The flag removed: a later edit no longer implies the indicator.
    let f = b.store().flag_of(p.meta.id).expect("r").expect("f");
    b.service
        .remove_flag(&b.chief_a, f.meta.id, f.meta.revision, "已迁出")
        .expect("removed");
    let d = b
        .service
        .edit_dispute(
            &b.officer_a2,
            d.meta.id,
            d.meta.revision,
            &dispute_draft("噪音扰民", &[x.meta.id, y.meta.id, p.meta.id]),
        )
        .expect("edit");
    assert!(!d.implied_indicators.contains(&"watch_list".to_string()));
    assert!(!d.fired_rules.contains(&"watch_listed".to_string()));
    assert_store_ok(&b);
}

#[test]
fn repeat_disputes_alert_once_for_a_person_not_on_the_list() {
    let b = Bureau::new();
    let s = &b.officer_a2;
    let x = create_person(&b.service, s, "孙八", "东关村");
    let y = create_person(&b.service, s, "周九", "东关村");
    let z = create_person(&b.service, s, "吴十", "东关村");
    let d1 = b
        .service
        .register_dispute(s, &dispute_draft("一", &[x.meta.id, y.meta.id]), None, None)
        .expect("d1");
    assert!(b.service.watch_alerts(&b.chief_a).expect("a").is_empty());
    b.service
        .register_dispute(s, &dispute_draft("二", &[x.meta.id, z.meta.id]), None, None)
        .expect("d2");
    let chief = b.service.watch_alerts(&b.chief_a).expect("a");
    let rep: Vec<_> = chief
        .iter()
        .filter(|r| r.alert.person == x.meta.id)
        .collect();
    assert_eq!(rep.len(), 1, "{chief:#?}");
    assert_eq!(
        rep[0].alert.reason,
        AlertReason::RepeatDisputes { count: 2 }
    );
    // Not listed: the dispute's officer is told, with no level.
    assert_eq!(rep[0].alert.officer, s.officer());
    assert_eq!(rep[0].level, None);
    assert_eq!(b.service.watch_alerts(s).expect("a2").len(), 1);
    assert!(b.service.watch_alerts(&b.officer_a).expect("a").is_empty());
    // Acknowledged; an edit of the first dispute does not raise it again.
    let a = rep[0].alert.clone();
    b.service
        .acknowledge_alert(s, a.meta.id, a.meta.revision)
        .expect("ack");
    let d1 = b
        .store()
        .get::<beatbook::model::Dispute>(d1.meta.id)
        .expect("r")
        .expect("d");
    b.service
        .edit_dispute(
            s,
            d1.meta.id,
            d1.meta.revision,
            &dispute_draft("一（补）", &[x.meta.id, y.meta.id]),
        )
        .expect("edit");
    assert!(
        b.service.watch_alerts(&b.chief_a).expect("a").is_empty(),
        "no new repeat alert for the same disputes"
    );
    // Outside the 12-month window: none for a pair of disputes a year and more apart.
    set_day(&b, date(2027, 12, 1));
    let u = create_person(&b.service, s, "郑十一", "东关村");
    b.service
        .register_dispute(s, &dispute_draft("三", &[u.meta.id, z.meta.id]), None, None)
        .expect("d3");
    let alerts = b.service.watch_alerts(&b.chief_a).expect("a");
    assert!(
        alerts.iter().all(|r| r.alert.person != z.meta.id),
        "z's previous dispute was two years ago: {alerts:#?}"
    );
    assert_store_ok(&b);
}
