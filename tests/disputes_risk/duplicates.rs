//! The duplicate guard finds open and recent disputes of the same parties.

use super::*;

#[test]
fn the_duplicate_guard_finds_open_and_recent_disputes_of_the_same_parties() {
    let t0 = at(2025, 11, 25, 9, 0);
    let b = Bureau::new_at(t0);
    let s = &b.service;
    let o = &b.officer_a;
    let people: Vec<Person> = (0..7).map(|_| fresh_person(&b, o)).collect();
    let id = |i: usize| people[i].meta.id;
    let p = |i: usize| &people[i];
    let ids = |list: &[&Dispute]| -> Vec<Id> { list.iter().map(|d| d.meta.id).collect() };
    let found = |who, parties: &[Id]| -> Vec<Id> {
        s.similar_disputes(who, parties)
            .expect("similar")
            .into_iter()
            .map(|d| d.id)
            .collect()
    };

    // An open dispute of p0 and p1, and one closed the same day between p2 and p3.
    let open = register(s, o, "地界争执", &[p(0), p(1)], &[]);
    let closed = close_now(&b, register(s, o, "已办结的争执", &[p(2), p(3)], &[]));
    assert_eq!(closed.status, DisputeStatus::Closed);

    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&open]));
    assert_eq!(found(o, &[id(1), id(0), id(4)]), ids(&[&open]));
    assert!(
        found(o, &[id(0), id(4)]).is_empty(),
        "one shared party is not enough"
    );
    assert!(found(o, &[id(0)]).is_empty());
    assert_eq!(found(o, &[id(2), id(3)]), ids(&[&closed]), "recent");
    // Station scope: another station's officer is shown nothing, the supervisor all.
    assert!(found(&b.officer_b, &[id(0), id(1)]).is_empty());
    assert!(found(&b.chief_b, &[id(2), id(3)]).is_empty());
    assert_eq!(found(&b.supervisor, &[id(0), id(1)]), ids(&[&open]));

    // Registering as a recurrence links the new record to the old one.
    b.clock.set(t0 + Duration::days(20));
    let n = b.snapshot();
    let again = s
        .register_dispute(
            o,
            &land_draft("再次因地界争执", &[p(0), p(1)], &[]),
            None,
            Some(open.meta.id),
        )
        .expect("register as recurrence");
    assert_eq!(again.recurrence_of, Some(open.meta.id));
    assert_eq!(reload(&b, &again).recurrence_of, Some(open.meta.id));
    assert_eq!(b.snapshot().disputes, n.disputes + 1);
    // Newest first.
    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&again, &open]));
    let overview = s.person_overview(o, id(0)).expect("person card");
    assert_eq!(
        overview.disputes.iter().map(|d| d.id).collect::<Vec<_>>(),
        ids(&[&again, &open])
    );

    // Linking to a dispute that does not exist, or that the officer may not read, is
    // refused and writes nothing.
    let before = b.snapshot();
    let e = s
        .register_dispute(
            o,
            &land_draft("错误关联", &[p(4), p(5)], &[]),
            None,
            Some(Id::new()),
        )
        .expect_err("unknown dispute");
    assert!(matches!(e, ServiceError::NotFound(Kind::Dispute)), "{e:?}");
    let (x, y) = (
        create_person(s, &b.officer_b, "河西甲", "河西村"),
        create_person(s, &b.officer_b, "河西乙", "河西村"),
    );
    let before_b = b.snapshot();
    let e = s
        .register_dispute(
            &b.officer_b,
            &land_draft("跨所关联", &[&x, &y], &[]),
            None,
            Some(open.meta.id),
        )
        .expect_err("other station's dispute");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    assert_eq!(b.snapshot(), before_b);
    assert_eq!(before.disputes, before_b.disputes);

    // Thirteen months on: the closed one is no longer recent, the open one still shows.
    b.clock.set(at(2026, 12, 26, 9, 0));
    assert!(found(o, &[id(2), id(3)]).is_empty());
    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&again, &open]));
    // A dispute closed eleven months ago between p5 and p6 is recent.
    b.clock.set(at(2026, 1, 26, 9, 0));
    let recent = close_now(&b, register(s, o, "十一个月前办结", &[p(5), p(6)], &[]));
    b.clock.set(at(2026, 12, 26, 9, 0));
    assert_eq!(found(o, &[id(6), id(5)]), ids(&[&recent]));
}

/// Accepts, resolves, cancels the follow-ups and closes (chief) at the clock's time.
fn close_now(b: &Bureau, d: Dispute) -> Dispute {
    let s = &b.service;
    let o = &b.officer_a;
    let d = s
        .accept_dispute(o, d.meta.id, d.meta.revision)
        .expect("accept");
    let (d, visits) = s
        .resolve_dispute(o, d.meta.id, d.meta.revision, &resolve_form("today"))
        .expect("resolve");
    for v in visits {
        let v = b
            .store()
            .get::<beatbook::model::Visit>(v.meta.id)
            .expect("readable")
            .expect("visit");
        s.cancel_visit(o, v.meta.id, v.meta.revision, "当事人已和解")
            .expect("cancel");
    }
    s.close_dispute(&b.chief_a, d.meta.id, d.meta.revision, "")
        .expect("close")
}
