//! Rolling visits: rhythm per level, the always-next visit, re-planning and cancelling.

use super::*;

#[test]
fn rhythm_per_level_across_month_ends_and_a_leap_day() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let people: Vec<Person> = ["红一", "橙二", "黄三", "蓝四"]
        .iter()
        .map(|n| create_person(&b.service, s, n, "南街"))
        .collect();
    let levels = [Red, Orange, Yellow, Blue];
    // The first visit after flagging on 2026-11-25.
    let first = [
        date(2026, 12, 2),
        date(2026, 12, 9),
        date(2026, 12, 25),
        date(2027, 2, 23),
    ];
    for ((p, level), due) in people.iter().zip(levels).zip(first) {
        flag(&b, s, p, level);
        assert_eq!(the_owed(&b, p.meta.id).due, due, "{level:?}");
    }
    // (person index, day done, next due), in time order.
    let steps = [
        (0, date(2026, 11, 28), date(2026, 12, 5)), // red across November's end
        (3, date(2027, 12, 1), date(2028, 2, 29)),  // blue: 90 days onto the leap day
        (2, date(2028, 1, 30), date(2028, 2, 29)),  // yellow: 30 days onto the leap day
        (1, date(2028, 2, 20), date(2028, 3, 5)),   // orange across the leap day
        (0, date(2028, 2, 22), date(2028, 2, 29)),  // red onto the leap day
        (0, date(2028, 2, 29), date(2028, 3, 7)),   // red from the leap day
        (2, date(2028, 2, 29), date(2028, 3, 30)),  // yellow from the leap day
        (1, date(2028, 3, 5), date(2028, 3, 19)),   // orange
        (3, date(2028, 2, 29), date(2028, 5, 29)),  // blue from the leap day
        (2, date(2028, 12, 31), date(2029, 1, 30)), // yellow across the year's end
    ];
    let mut by_time = steps.to_vec();
    by_time.sort_by_key(|s| s.1);
    for (i, day, want) in by_time {
        set_day(&b, day);
        let p = &people[i];
        let saved = visit_done(&b, s, p.meta.id);
        let next = saved.next.expect("the next visit is scheduled by the save");
        assert_eq!(next.due, want, "{:?} done {day}", levels[i]);
        assert_eq!(next.subject.person, Some(p.meta.id));
        assert_eq!(next.subject.dispute, None);
        assert_eq!(next.status, VisitStatus::Scheduled);
        assert_eq!(next.assigned_to, s.officer());
        assert_eq!(
            the_owed(&b, p.meta.id).meta.id,
            next.meta.id,
            "exactly one owed"
        );
        let f = b.store().flag_of(p.meta.id).expect("read").expect("flag");
        assert_eq!(f.last_contact, Some(day));
        assert_eq!(f.missed_in_a_row, 0);
    }
    // The watch list: days since contact and the next visit.
    set_day(&b, date(2029, 1, 1));
    let rows = b
        .service
        .watch_list(s, &WatchFilter::default())
        .expect("list");
    let row = rows
        .iter()
        .find(|r| r.flag.person == people[2].meta.id)
        .expect("yellow row");
    assert_eq!(row.days_since_contact, Some(1));
    assert_eq!(row.next_visit, Some(date(2029, 1, 30)));
    assert_store_ok(&b);
}

#[test]
fn the_next_visit_always_exists() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    // A visit already owed serves as the first one: no second visit.
    let already = b.visit(s, p, "2026-11-27");
    flag(&b, s, p, Red);
    assert_eq!(the_owed(&b, p.meta.id).meta.id, already.meta.id);
    // Done without a next date: exactly one rolling visit owed, a week on.
    let saved = visit_done(&b, s, p.meta.id);
    assert_eq!(saved.visit.status, VisitStatus::Done);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 2));
    // Done with a next date: that one, and no rolling one beside it.
    b.clock.advance(Duration::days(1));
    let v = the_owed(&b, p.meta.id);
    let saved = b
        .service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form("+3"))
        .expect("done with a date");
    let next = saved.next.expect("follow-up");
    assert_eq!(next.due, date(2026, 11, 29));
    assert_eq!(the_owed(&b, p.meta.id).meta.id, next.meta.id);
    // Missed without a date: still one owed.
    b.clock.advance(Duration::days(3));
    let saved = visit_missed(&b, s, p.meta.id);
    assert_eq!(saved.visit.status, VisitStatus::Missed);
    let again = the_owed(&b, p.meta.id);
    // Counted from the last contact (11-26): due 12-03.
    assert_eq!(again.due, date(2026, 12, 3));
    // Long overdue: owed today, never in the past.
    set_day(&b, date(2027, 1, 15));
    visit_missed(&b, s, p.meta.id);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2027, 1, 15));
    assert_store_ok(&b);
}

#[test]
fn any_visit_made_with_the_person_counts_as_contact_and_a_level_change_resets_the_review() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    let f = flag(&b, s, p, Blue);
    assert_eq!(f.last_contact, None);
    let d = b
        .service
        .register_dispute(
            s,
            &dispute_draft("排水沟纠纷", &[p.meta.id, other.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    let follow_up = b
        .service
        .schedule_visit(
            s,
            &NewVisitForm {
                person: Some(p.meta.id),
                due: "2026-11-28".into(),
                purpose: "调解后回访（第3天）".into(),
                dispute: Some(d.meta.id),
                ..Default::default()
            },
        )
        .expect("dispute follow-up");
    set_day(&b, date(2026, 11, 28));
    b.service
        .record_visit_done(
            s,
            follow_up.meta.id,
            follow_up.meta.revision,
            &done_form(""),
        )
        .expect("follow-up made");
    let f = stored_flag(&b, f.meta.id);
    assert_eq!(
        f.last_contact,
        Some(date(2026, 11, 28)),
        "a made dispute visit is contact"
    );
    // The rolling visit stays: the follow-up does not stand in for the level's rhythm.
    assert_eq!(owed(&b, p.meta.id).iter().filter(|v| v.rolling).count(), 1);
    // Raising the level is a review: the next one falls due by red's interval from today.
    let config = b.service.settings().watch.clone();
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Red, "扬言报复")
        .expect("raise");
    assert_eq!(
        f.next_review,
        date(2026, 11, 28) + Duration::days(i64::from(config.review_every_days(Red)))
    );
    assert_store_ok(&b);
}

#[test]
fn a_dispute_follow_up_does_not_replace_the_rolling_visit() {
    // The rolling visit of a red person is weekly; a follow-up of one of their disputes
    // (due in a month) is a different visit and must not stand in for it.
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    flag(&b, s, p, Red);
    let d = b
        .service
        .register_dispute(
            s,
            &dispute_draft("排水沟纠纷", &[p.meta.id, other.meta.id]),
            None,
            None,
        )
        .expect("dispute");
    let follow_up = b
        .service
        .schedule_visit(
            s,
            &NewVisitForm {
                person: Some(p.meta.id),
                due: "2026-12-25".into(),
                purpose: "调解后回访（第30天）".into(),
                dispute: Some(d.meta.id),
                ..Default::default()
            },
        )
        .expect("dispute follow-up");
    let rolling: Vec<_> = owed(&b, p.meta.id)
        .into_iter()
        .filter(|v| v.subject.dispute.is_none())
        .collect();
    assert_eq!(rolling.len(), 1);
    b.service
        .record_visit_done(
            s,
            rolling[0].meta.id,
            rolling[0].meta.revision,
            &done_form(""),
        )
        .expect("done");
    let owed_now = owed(&b, p.meta.id);
    let rolling: Vec<_> = owed_now
        .iter()
        .filter(|v| v.subject.dispute.is_none())
        .collect();
    assert_eq!(
        rolling.len(),
        1,
        "the next weekly visit exists beside the dispute follow-up: {owed_now:#?}"
    );
    assert_eq!(rolling[0].due, date(2026, 12, 2));
    assert!(owed_now.iter().any(|v| v.meta.id == follow_up.meta.id));
    assert_store_ok(&b);
}

#[test]
fn level_change_re_plans_and_removal_cancels_with_the_reason() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let f = flag(&b, s, p, Yellow);
    let yellow = the_owed(&b, p.meta.id);
    assert_eq!(yellow.due, date(2026, 12, 25));
    // Raised to orange: the yellow visit cancelled, a new one 14 days from the day added.
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "扬言上访")
        .expect("raise");
    let old = b
        .store()
        .get::<Visit>(yellow.meta.id)
        .expect("read")
        .expect("visit");
    assert_eq!(old.status, VisitStatus::Cancelled);
    assert_eq!(old.status_reason, "等级调整，重新安排回访");
    assert_eq!(
        old.history.last().map(|h| h.kind),
        Some(beatbook::model::VisitChangeKind::Cancelled)
    );
    let orange = the_owed(&b, p.meta.id);
    assert_eq!(orange.due, date(2026, 12, 9));
    // A visit made, then raised to red: 7 days from that contact.
    set_day(&b, date(2026, 12, 1));
    visit_done(&b, s, p.meta.id);
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 15));
    let f = stored_flag(&b, f.meta.id);
    let f = b
        .service
        .change_flag_level(s, f.meta.id, f.meta.revision, Red, "持刀威胁")
        .expect("raise to red");
    assert_eq!(the_owed(&b, p.meta.id).due, date(2026, 12, 8));
    // A visit arranged by hand beside the rolling one: a level change re-plans only the
    // rolling visit and leaves the officer's own visit as it was.
    let manual = b.visit(s, p, "2026-12-20");
    assert!(!manual.rolling);
    assert_eq!(owed(&b, p.meta.id).len(), 2);
    let red_rolling = owed(&b, p.meta.id)
        .into_iter()
        .find(|v| v.rolling)
        .expect("rolling visit");
    let f = b
        .service
        .change_flag_level(&b.chief_a, f.meta.id, f.meta.revision, Blue, "已稳定")
        .expect("chief lowers");
    let old = b
        .store()
        .get::<Visit>(red_rolling.meta.id)
        .expect("read")
        .expect("v");
    assert_eq!(old.status, VisitStatus::Cancelled);
    // Re-planned: one new rolling visit (blue, 90 days from 12-01) beside the manual one.
    let now_owed = owed(&b, p.meta.id);
    assert_eq!(now_owed.len(), 2, "{now_owed:#?}");
    assert!(now_owed.iter().any(|v| v.meta.id == manual.meta.id));
    let rolling = now_owed.iter().find(|v| v.rolling).expect("rolling");
    assert_eq!(rolling.due, date(2027, 3, 1));
    // Removal cancels the rolling visit with the reason; the manual one stays owed.
    let f = b
        .service
        .remove_flag(s, f.meta.id, f.meta.revision, "已迁出")
        .expect("blue removed by the officer at once");
    assert_eq!(f.status, FlagStatus::Removed);
    let left = owed(&b, p.meta.id);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].meta.id, manual.meta.id);
    let cancelled = b
        .store()
        .get::<Visit>(rolling.meta.id)
        .expect("read")
        .expect("v");
    assert_eq!(cancelled.status, VisitStatus::Cancelled);
    assert!(
        cancelled.status_reason.contains("已迁出"),
        "{}",
        cancelled.status_reason
    );
    b.service
        .record_visit_done(s, manual.meta.id, left[0].meta.revision, &done_form(""))
        .expect("manual visit done");
    assert!(owed(&b, p.meta.id).is_empty());
    // A visit of a removed person: no rolling visit any more.
    let v = b.visit(s, p, "+1");
    b.service
        .record_visit_done(s, v.meta.id, v.meta.revision, &done_form(""))
        .expect("done");
    assert!(owed(&b, p.meta.id).is_empty());
    assert_store_ok(&b);
}

#[test]
fn the_station_scan_and_the_per_person_lookup_of_owed_visits_agree() {
    // The watch list reads owed visits by one station scan with many flags and person by
    // person with few: both must give every person's earliest owed visit at the station.
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let other = create_person(&b.service, s, "赵六", "东关村");
    let third = create_person(&b.service, s, "钱七", "西关村");
    flag(&b, s, p, Red);
    flag(&b, s, &other, Blue);
    b.visit(s, p, "2026-12-20");
    b.visit(s, &other, "2026-11-27");
    let cancelled = b.visit(s, &third, "2026-11-30");
    b.service
        .cancel_visit(s, cancelled.meta.id, cancelled.meta.revision, "搬走了")
        .expect("cancel");
    b.visit(&b.officer_b, &b.person_b, "2026-11-26");
    let station = b.station_a.meta.id;
    let whole = std::sync::atomic::AtomicUsize::new(usize::MAX);
    let scan = b
        .store()
        .next_owed_by_person(station, &whole)
        .expect("scan");
    assert!(scan.complete, "nothing stopped it");
    let scanned = &scan.earliest;
    for person in [p.meta.id, other.meta.id, third.meta.id, b.person_b.meta.id] {
        assert_eq!(
            scan.next_owed(person),
            Some(b.store().next_owed_of(station, person).expect("lookup")),
            "person {person}"
        );
    }
    assert_eq!(
        scanned.get(&p.meta.id),
        Some(&date(2026, 12, 2)),
        "red: weekly"
    );
    assert_eq!(scanned.get(&third.meta.id), None, "cancelled is not owed");
    assert_eq!(
        scanned.get(&b.person_b.meta.id),
        None,
        "another station's visit"
    );
    // Bounded to one entry: the earliest owed visit of the station (the other person's
    // on 11-27) is known exactly, the later ones are not known at all.
    let one = std::sync::atomic::AtomicUsize::new(1);
    let bounded = b.store().next_owed_by_person(station, &one).expect("scan");
    assert!(!bounded.complete);
    assert_eq!(
        bounded.next_owed(other.meta.id),
        Some(Some(date(2026, 11, 27)))
    );
    assert_eq!(bounded.next_owed(p.meta.id), None, "not reached");
    assert_eq!(
        bounded.next_owed(third.meta.id),
        None,
        "not known to owe none"
    );
    let stopped = std::sync::atomic::AtomicUsize::new(0);
    let none = b
        .store()
        .next_owed_by_person(station, &stopped)
        .expect("scan");
    assert!(none.earliest.is_empty() && !none.complete);
}
