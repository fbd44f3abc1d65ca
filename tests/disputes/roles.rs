//! Roles and other stations are refused, writing nothing.

use super::*;

#[test]
fn roles_and_other_stations_are_refused() {
    let b = Bureau::new();
    let s = &b.service;
    // One dispute ready to close, one with an extension waiting for the chief.
    let closable = dispute_in(&b, Resolved);
    cancel_open_follow_ups(&b, &b.officer_a, &closable);
    let closable = reload(&b, &closable);
    let waiting = dispute_in(&b, Accepted);
    let waiting = act(&b, &b.officer_a, &waiting, RequestExtension).expect("request");
    let wang_wu = common::create_person(s, &b.officer_a, "王五", "东关村");
    let before = b.snapshot();

    // Officers do the daily work but neither close nor decide extensions.
    let e = refusal("officer closes", act(&b, &b.officer_a, &closable, Close));
    assert!(
        matches!(
            e,
            ServiceError::Workflow(Refusal::RoleMayNot {
                action: Close,
                role: Role::Officer
            })
        ),
        "{e:?}"
    );
    let (zh, en) = both(&e);
    assert!(zh.contains("民警不能办结"), "{zh}");
    assert!(en.contains("an officer may not close"), "{en}");
    let e = refusal(
        "officer decides",
        act(&b, &b.officer_a2, &waiting, DecideExtension),
    );
    assert!(
        matches!(
            e,
            ServiceError::Workflow(Refusal::RoleMayNot {
                action: DecideExtension,
                role: Role::Officer
            })
        ),
        "{e:?}"
    );

    // Supervisors and administrators change nothing; other stations nothing either —
    // whatever the state allows.
    for d in [&closable, &waiting] {
        for action in ACTIONS {
            let who = [
                (&b.supervisor, Forbidden::ReadOnlyRole(Role::Supervisor)),
                (&b.admin, Forbidden::NoCaseData),
                (&b.officer_b, Forbidden::OtherStation),
                (&b.chief_b, Forbidden::OtherStation),
            ];
            for (session, expected) in who {
                let e = refusal(
                    &format!("{} {action:?}", session.username()),
                    act(&b, session, d, action),
                );
                assert!(
                    matches!(e, ServiceError::Forbidden(f) if f == expected),
                    "{} {action:?}: {e:?}",
                    session.username()
                );
                assert!(!e.localize(Lang::Zh).is_empty());
            }
        }
    }
    // Registering: read-only roles and other stations' persons are refused.
    let draft = common::disputes::land_draft("越权登记", &[&b.person_a, &wang_wu], &[]);
    for (session, role) in [(&b.supervisor, Role::Supervisor), (&b.admin, Role::Admin)] {
        let e = refusal("register", s.register_dispute(session, &draft, None, None));
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(r)) if r == role),
            "{e:?}"
        );
    }
    let e = refusal(
        "other station's parties",
        s.register_dispute(&b.officer_b, &draft, None, None),
    );
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    // An officer assigns disputes only to themselves.
    let e = refusal(
        "officer assigns a colleague",
        s.register_dispute(&b.officer_a, &draft, Some(b.officer_a2.officer()), None),
    );
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::AssignOthers)),
        "{e:?}"
    );

    // Reading: the supervisor reads every station, the admin no case data, station B
    // nothing of station A.
    assert!(s.dispute_detail(&b.supervisor, closable.meta.id).is_ok());
    assert!(row(&b, &b.supervisor, &closable, &RegisterFilter::default()).is_some());
    assert!(matches!(
        s.dispute_detail(&b.officer_b, closable.meta.id),
        Err(ServiceError::Forbidden(Forbidden::OtherStation))
    ));
    assert!(row(&b, &b.chief_b, &closable, &RegisterFilter::default()).is_none());
    assert!(alerts(&b, &b.chief_b, &waiting, false).is_empty());
    assert!(matches!(
        s.dispute_detail(&b.admin, closable.meta.id),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
    assert!(matches!(
        s.dispute_register(&b.admin, &RegisterFilter::default(), RegisterSort::Risk),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
    assert!(matches!(
        s.dispute_alerts(&b.admin, false),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));

    // A screen that showed an older revision is refused.
    let e = refusal(
        "stale revision",
        s.accept_dispute(&b.chief_a, waiting.meta.id, waiting.meta.revision - 1),
    );
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Conflict {
                kind: Kind::Dispute,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(b.snapshot(), before, "no refusal wrote anything");

    // The chief of the station may do both.
    let closed = act(&b, &b.chief_a, &closable, Close).expect("chief closes");
    assert_eq!(closed.status, Closed);
    let decided = act(&b, &b.chief_a, &waiting, DecideExtension).expect("chief decides");
    assert!(decided.pending_extension().is_none());
}
