//! Bad input is refused naming the field, writing nothing; duplicate id numbers.

use super::*;

/// Checks that a validation refusal names `field`, in both languages for the errors
/// whose message is about the field.
fn assert_names_field(what: &str, e: &ServiceError, field: Field) {
    assert_eq!(e.field(), Some(field), "{what}: {e:?}");
    if let ServiceError::Invalid(
        ValidationError::Required(_)
        | ValidationError::TooLong { .. }
        | ValidationError::ControlCharacters(_)
        | ValidationError::ControlCharacter { .. }
        | ValidationError::InvalidDate { .. }
        | ValidationError::DateInPast { .. },
    ) = e
    {
        for lang in [Lang::En, Lang::Zh] {
            let msg = e.localize(lang);
            assert!(
                msg.contains(&field.localize(lang)),
                "{what}: '{msg}' names {field:?}"
            );
        }
    }
}

#[test]
fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let v = b.visit(s, &b.person_a, "+1");
    let (id, rev) = (v.meta.id, v.meta.revision);
    let long = "字".repeat(10_000);

    let done_with = |f: fn(&mut DoneForm)| {
        let mut form = done_form();
        f(&mut form);
        form
    };
    let done_cases: Vec<(&str, DoneForm, Field)> = vec![
        (
            "empty outcome",
            done_with(|f| f.outcome = None),
            Field::Outcome,
        ),
        (
            "10,000-character note",
            DoneForm {
                notes: long.clone(),
                ..done_form()
            },
            Field::Notes,
        ),
        (
            "control characters in the note",
            done_with(|f| f.notes = "情况\u{7}稳定\u{1b}[31m".into()),
            Field::Notes,
        ),
        (
            "impossible next date",
            done_with(|f| f.next_due = "2026-02-30".into()),
            Field::NextVisit,
        ),
        (
            "next date in the past",
            done_with(|f| f.next_due = "-1".into()),
            Field::NextVisit,
        ),
    ];
    for (what, form, field) in done_cases {
        let e = refused_without_writes(&b, what, || b.service.record_visit_done(s, id, rev, &form));
        assert_names_field(what, &e, field);
    }
    let e = refused_without_writes(&b, "long miss reason", || {
        b.service.record_visit_missed(
            s,
            id,
            rev,
            &MissedForm {
                reason: long.clone(),
                next_due: String::new(),
            },
        )
    });
    assert_names_field("long miss reason", &e, Field::Reason);

    let reschedule_cases: Vec<(&str, RescheduleForm, Field)> = vec![
        (
            "reschedule without reason",
            RescheduleForm {
                new_due: "+3".into(),
                reason: "   ".into(),
            },
            Field::Reason,
        ),
        (
            "reschedule to an impossible date",
            reschedule_form("2026-02-30"),
            Field::DueDate,
        ),
        (
            "reschedule into the past",
            reschedule_form("2026-11-24"),
            Field::DueDate,
        ),
        (
            "reschedule to the same day",
            reschedule_form("2026-11-26"),
            Field::DueDate,
        ),
        (
            "control characters in the reason",
            RescheduleForm {
                new_due: "+3".into(),
                reason: "\u{1b}[2J改期".into(),
            },
            Field::Reason,
        ),
    ];
    for (what, form, field) in reschedule_cases {
        let e = refused_without_writes(&b, what, || b.service.reschedule_visit(s, id, rev, &form));
        assert_names_field(what, &e, field);
    }
    let e = refused_without_writes(&b, "cancel without reason", || {
        b.service.cancel_visit(s, id, rev, "")
    });
    assert_names_field("cancel without reason", &e, Field::Reason);
    assert_eq!(stored_visit(&b, &v), v, "the visit is untouched");

    let visit_with = |f: fn(&mut NewVisitForm)| {
        let mut form = new_visit(&b.person_a, "+2");
        f(&mut form);
        form
    };
    let schedule_cases: Vec<(&str, NewVisitForm, Field)> = vec![
        (
            "due in the past",
            visit_with(|f| f.due = "-1".into()),
            Field::DueDate,
        ),
        (
            "due yesterday as a date",
            visit_with(|f| f.due = "2026-11-24".into()),
            Field::DueDate,
        ),
        (
            "impossible due date",
            visit_with(|f| f.due = "2026-02-30".into()),
            Field::DueDate,
        ),
        (
            "no due date",
            visit_with(|f| f.due = " ".into()),
            Field::DueDate,
        ),
        (
            "due 800 years ahead (typed as days)",
            visit_with(|f| f.due = "+300000".into()),
            Field::DueDate,
        ),
        ("no person", visit_with(|f| f.person = None), Field::Person),
        (
            "empty purpose",
            visit_with(|f| f.purpose = "".into()),
            Field::Purpose,
        ),
        (
            "control characters in the purpose",
            visit_with(|f| f.purpose = "走访\u{0}".into()),
            Field::Purpose,
        ),
        (
            "10,000-character note",
            NewVisitForm {
                notes: long.clone(),
                ..new_visit(&b.person_a, "+2")
            },
            Field::Notes,
        ),
    ];
    for (what, form, field) in schedule_cases {
        let e = refused_without_writes(&b, what, || b.service.schedule_visit(s, &form));
        assert_names_field(what, &e, field);
    }

    let person = |f: fn(&mut PersonDraft)| {
        let mut d = PersonDraft {
            name: "赵六".into(),
            village: "东关村".into(),
            ..Default::default()
        };
        f(&mut d);
        d
    };
    let person_cases: Vec<(&str, PersonDraft, Field)> = vec![
        ("empty name", person(|d| d.name = " ".into()), Field::Name),
        (
            "control characters in the name",
            person(|d| d.name = "赵\u{7}六".into()),
            Field::Name,
        ),
        (
            "10,000-character note",
            PersonDraft {
                notes: long.clone(),
                ..person(|_| {})
            },
            Field::Notes,
        ),
        (
            "wrong check character",
            person(|d| d.id_number = "110105194912310021".into()),
            Field::IdNumber,
        ),
        (
            "impossible birth date",
            person(|d| d.birth_date = "2026-02-30".into()),
            Field::BirthDate,
        ),
        ("bad phone", person(|d| d.phone = "12".into()), Field::Phone),
        (
            "birth date in the future",
            person(|d| d.birth_date = "+1".into()),
            Field::BirthDate,
        ),
        (
            "ID number of someone born after today",
            person(|d| d.id_number = common::resident_id(date(2027, 3, 1), 11)),
            Field::IdNumber,
        ),
    ];
    for (what, draft, field) in person_cases {
        let e = refused_without_writes(&b, what, || b.service.create_person(s, &draft));
        assert_names_field(what, &e, field);
    }
    // The far date and the future-born ID number are refused for what they are.
    let e = refusal(
        "far due",
        b.service
            .schedule_visit(s, &new_visit(&b.person_a, "+300000")),
    );
    assert!(
        matches!(
            e,
            ServiceError::Invalid(ValidationError::InvalidDate {
                field: Field::DueDate,
                ..
            })
        ),
        "{e:?}"
    );
    let e = refusal(
        "future-born",
        b.service.create_person(
            s,
            &PersonDraft {
                name: "赵六".into(),
                id_number: common::resident_id(date(2026, 11, 26), 11),
                ..Default::default()
            },
        ),
    );
    assert!(
        matches!(e, ServiceError::Invalid(ValidationError::IdNumberBirthDate)),
        "{e:?}"
    );
    // Born today is fine.
    let p = b
        .service
        .create_person(
            s,
            &PersonDraft {
                name: "新生儿".into(),
                id_number: common::resident_id(date(2026, 11, 25), 12),
                ..Default::default()
            },
        )
        .expect("born today");
    assert_eq!(p.birth_date, Some(date(2026, 11, 25)));
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn duplicate_id_number_names_the_existing_person() {
    let b = Bureau::new();
    let number = b
        .person_a
        .id_number
        .clone()
        .expect("fixture person has an ID number");
    // Typed differently (spaces, lower-case x) it is still the same number.
    let typed = format!(
        " {} {} ",
        &number.as_str()[..6],
        number.as_str()[6..].to_lowercase()
    );
    let e = refused_without_writes(&b, "duplicate", || {
        b.service.create_person(
            &b.officer_a,
            &PersonDraft {
                name: "张三".into(),
                id_number: typed.clone(),
                ..Default::default()
            },
        )
    });
    match &e {
        ServiceError::DuplicateIdNumber {
            name,
            birth_year,
            village,
        } => {
            assert_eq!(name, "张三丰");
            assert_eq!(*birth_year, b.person_a.birth_year());
            assert_eq!(village, "东关村");
        }
        other => panic!("expected DuplicateIdNumber, got {other:?}"),
    }
    assert_eq!(e.field(), Some(Field::IdNumber));
    assert!(e.localize(Lang::Zh).contains("张三丰"));
    assert!(e.localize(Lang::En).contains("张三丰"));
    // The number is unique across the whole bureau, not per station.
    let e = refused_without_writes(&b, "duplicate elsewhere", || {
        b.service.create_person(
            &b.officer_b,
            &PersonDraft {
                name: "张三".into(),
                id_number: number.to_string(),
                ..Default::default()
            },
        )
    });
    // …and an officer of another station learns that, but not who holds it.
    assert!(
        matches!(e, ServiceError::DuplicateIdNumberElsewhere),
        "{e:?}"
    );
    assert!(!e.localize(Lang::Zh).contains("张三丰"));
    assert!(!e.localize(Lang::En).contains("东关村"));
    // Gender and birth date come from the number.
    let p = create_person(&b.service, &b.officer_a, "新人", "西关村");
    let n = p.id_number.clone().expect("number");
    assert_eq!(p.birth_date, n.birth_date());
    assert_eq!(p.gender, n.gender());
    assert_eq!(
        b.store()
            .person_by_id_number(&n)
            .expect("lookup")
            .map(|q| q.meta.id),
        Some(p.meta.id)
    );
    assert_indexes_ok(b.store());
}
