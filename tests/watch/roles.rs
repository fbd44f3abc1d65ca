//! Who may flag, approve and see what: roles and stations.

use super::*;

#[test]
fn roles_and_stations() {
    let b = Bureau::new();
    let p = &b.person_a;
    let before = b.snapshot();
    for s in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .flag_person(s, p.meta.id, &form(Red, &["other"], "x"))
            .expect_err("read-only role");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(r)) if r == s.role()),
            "{e:?}"
        );
    }
    for s in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .flag_person(s, p.meta.id, &form(Red, &["other"], "x"))
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
    }
    assert_eq!(b.snapshot(), before);

    let f = flag(&b, &b.officer_a, p, Red);
    // The colleague of the same station may work on it.
    let f = b
        .service
        .review_flag(&b.officer_a2, f.meta.id, f.meta.revision, "")
        .expect("colleague reviews");
    // Others may not touch it.
    for s in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "x")
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b
            .service
            .remove_flag(s, f.meta.id, f.meta.revision, "x")
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b
            .service
            .person_detail(s, p.meta.id)
            .expect_err("other station reads");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let list = b
            .service
            .watch_list(s, &WatchFilter::default())
            .expect("own list");
        assert!(list.is_empty(), "station B sees none of A's flags");
    }
    for s in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .change_flag_level(s, f.meta.id, f.meta.revision, Orange, "x")
            .expect_err("read-only");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(_))),
            "{e:?}"
        );
        let e = b
            .service
            .decide_flag(s, f.meta.id, f.meta.revision, true, "x")
            .expect_err("read-only");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    // The supervisor reads every station's list; the admin no case data.
    let sup = b
        .service
        .watch_list(&b.supervisor, &WatchFilter::default())
        .expect("supervisor reads");
    assert_eq!(sup.len(), 1);
    assert_eq!(sup[0].person_name, p.name);
    let e = b
        .service
        .watch_list(&b.admin, &WatchFilter::default())
        .expect_err("admin");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NoCaseData)),
        "{e:?}"
    );
    let e = b
        .service
        .person_detail(&b.admin, p.meta.id)
        .expect_err("admin");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::NoCaseData)),
        "{e:?}"
    );
    // Filters.
    let q = create_person(&b.service, &b.officer_a2, "钱七", "西关村");
    flag(&b, &b.officer_a2, &q, Blue);
    let list = |f: WatchFilter| -> Vec<String> {
        b.service
            .watch_list(&b.chief_a, &f)
            .expect("list")
            .into_iter()
            .map(|r| r.person_name)
            .collect()
    };
    assert_eq!(
        list(WatchFilter::default()),
        [p.name.clone(), "钱七".into()]
    );
    assert_eq!(
        list(WatchFilter {
            level: Some(Blue),
            ..Default::default()
        }),
        ["钱七"]
    );
    assert_eq!(
        list(WatchFilter {
            officer: Some(b.officer_a.officer()),
            ..Default::default()
        }),
        [p.name.as_str()]
    );
    assert_eq!(
        list(WatchFilter {
            category: Some("drugs".into()),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        list(WatchFilter {
            text: "qian".into(),
            ..Default::default()
        }),
        ["钱七"]
    );
    assert_store_ok(&b);
}
