//! Personal data: masking, audited reveals, and profile updates by role.

use super::*;

#[test]
fn personal_data_is_masked_and_every_reveal_is_audited() {
    let b = Bureau::new();
    let s = &b.officer_a;
    // A valid number (check character 4) that masks to the documented example.
    let p = b
        .service
        .create_person(
            s,
            &beatbook::model::PersonDraft {
                name: "高秀兰".into(),
                id_number: "220182198001081234".into(),
                phone: "13812345678".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let full_id = p.id_number.clone().map(String::from).expect("id number");
    assert_eq!(full_id, "220182198001081234");
    let masked_id = "220182********1234";
    flag(&b, s, &p, Red);

    for reader in [s, &b.officer_a2, &b.chief_a, &b.supervisor] {
        let card = b.service.person_card(reader, p.meta.id).expect("card");
        assert_eq!(card.masked_id, masked_id);
        assert_eq!(card.masked_phone, "138****5678");
        let detail = b.service.person_detail(reader, p.meta.id).expect("detail");
        assert_eq!(detail.card.masked_id, masked_id);
        assert_eq!(detail.card.masked_phone, "138****5678");
        let shown = format!("{:?}", detail.card);
        assert!(!shown.contains(&full_id), "{shown}");
        assert!(!shown.contains("13812345678"), "{shown}");
    }
    // Reading, listing and the detail write no reveal.
    assert!(audit_of(&b, "person.reveal").is_empty());

    let before = audit(b.store()).len();
    b.clock.advance(Duration::minutes(5));
    let r = b
        .service
        .reveal_person(&b.chief_a, p.meta.id)
        .expect("reveal");
    assert_eq!(r.id_number, full_id);
    assert_eq!(r.phone, "13812345678");
    let new = audit_after(b.store(), before);
    assert_eq!(new.len(), 1, "{new:#?}");
    let e = &new[0];
    assert_eq!(e.action, "person.reveal");
    assert_eq!(e.actor, b.chief_a.officer());
    assert_eq!(e.actor_name, "zhao.chief");
    assert_eq!(e.station, Some(b.station_a.meta.id));
    assert_eq!(
        e.at,
        (start_time() + Duration::minutes(5)).with_timezone(&chrono::Utc)
    );
    assert!(
        e.detail.contains(&p.meta.id.to_string()),
        "the entry names whose data: {}",
        e.detail
    );
    assert!(
        !e.detail.contains(&full_id),
        "the audit log does not copy the number"
    );
    // Each reveal is another entry; the supervisor may, with an entry of their own.
    b.service.reveal_person(s, p.meta.id).expect("reveal");
    b.service
        .reveal_person(&b.supervisor, p.meta.id)
        .expect("supervisor reveals");
    let reveals = audit_of(&b, "person.reveal");
    assert_eq!(
        reveals.iter().map(|e| e.actor).collect::<Vec<_>>(),
        [b.chief_a.officer(), s.officer(), b.supervisor.officer()]
    );
    // Another station, or the admin: refused, nothing written.
    let before = audit(b.store()).len();
    for other in [&b.officer_b, &b.chief_b, &b.admin] {
        let e = b
            .service
            .reveal_person(other, p.meta.id)
            .expect_err("may not reveal");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
        assert!(b.service.person_card(other, p.meta.id).is_err());
    }
    assert_eq!(
        audit(b.store()).len(),
        before,
        "refused reveals write nothing"
    );
    // The edit form shows the full numbers: it is a reveal too.
    let (draft, _) = b.service.person_draft(s, p.meta.id).expect("draft");
    assert_eq!(draft.id_number, full_id);
    assert_eq!(audit_of(&b, "person.reveal").len(), 4);
    assert_store_ok(&b);
}

#[test]
fn masked_everywhere_for_people_without_numbers_and_for_short_phones() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let none = b
        .service
        .create_person(
            s,
            &beatbook::model::PersonDraft {
                name: "无证人".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let card = b.service.person_card(s, none.meta.id).expect("card");
    assert_eq!(
        (card.masked_id.as_str(), card.masked_phone.as_str()),
        ("", "")
    );
    let r = b.service.reveal_person(s, none.meta.id).expect("reveal");
    assert_eq!((r.id_number.as_str(), r.phone.as_str()), ("", ""));
    // The fixture person: 18-character ID masked to 6 + 8 stars + 4.
    let card = b.service.person_card(s, b.person_a.meta.id).expect("card");
    assert_eq!(card.masked_id.chars().count(), 18);
    assert_eq!(&card.masked_id[6..14], "********");
    assert_eq!(Role::Officer, s.role());
}

#[test]
fn profile_updates_obey_roles_and_stay_masked() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let p = &b.person_a;
    let (draft, revision) = b.service.person_draft(s, p.meta.id).expect("draft");
    assert_eq!(
        audit_of(&b, "person.reveal").len(),
        1,
        "the edit form is a reveal"
    );
    let changed = beatbook::model::PersonDraft {
        phone: "13900001111".into(),
        notes: "已搬至东关村3组".into(),
        ..draft.clone()
    };
    let before = b.snapshot();
    for other in [&b.officer_b, &b.chief_b] {
        let e = b
            .service
            .update_person(other, p.meta.id, revision, &changed)
            .expect_err("other station");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
            "{e:?}"
        );
        let e = b.service.person_draft(other, p.meta.id).expect_err("other");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    for ro in [&b.supervisor, &b.admin] {
        let e = b
            .service
            .update_person(ro, p.meta.id, revision, &changed)
            .expect_err("read-only");
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::ReadOnlyRole(_))),
            "{e:?}"
        );
    }
    assert_eq!(b.snapshot(), before, "refusals write nothing");
    let updated = b
        .service
        .update_person(&b.officer_a2, p.meta.id, revision, &changed)
        .expect("a colleague updates");
    let e = b
        .service
        .update_person(s, p.meta.id, revision, &changed)
        .expect_err("stale revision");
    assert!(matches!(e, ServiceError::Store(_)), "{e:?}");
    assert_eq!(updated.notes, "已搬至东关村3组");
    let card = b.service.person_card(s, p.meta.id).expect("card");
    assert_eq!(card.masked_phone, "139****1111");
    let entry = audit_of(&b, "person.update").pop().expect("audited");
    assert_eq!(entry.actor, b.officer_a2.officer());
    assert!(!entry.detail.contains("13900001111"), "{}", entry.detail);
    assert!(!entry.detail.contains(&draft.id_number), "{}", entry.detail);
    // Someone else's ID number: refused, naming them only to a reader of their station.
    let q = create_person(&b.service, s, "钱七", "西关村");
    let (qd, qrev) = b.service.person_draft(s, q.meta.id).expect("draft");
    let e = b
        .service
        .update_person(
            s,
            q.meta.id,
            qrev,
            &beatbook::model::PersonDraft {
                id_number: draft.id_number.clone(),
                birth_date: String::new(),
                ..qd
            },
        )
        .expect_err("duplicate");
    assert!(
        matches!(e, ServiceError::DuplicateIdNumber { ref name, .. } if name == &p.name),
        "{e:?}"
    );
    assert_store_ok(&b);
}
