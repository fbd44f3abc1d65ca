//! Roles and stations refused; bad input refused with the field named.

use super::*;

#[test]
fn roles_and_stations_are_refused() {
    let b = Bureau::new();
    let s = &b.service;
    let d = dispute_a(&b);
    let form = new_on_dispute(d.meta.id, "+10");
    let before = b.snapshot();
    for who in [&b.chief_a, &b.officer_a, &b.admin] {
        let e = s
            .create_finding(who, &form)
            .expect_err("only supervisors record");
        assert!(
            matches!(e, ServiceError::Finding(_) | ServiceError::Forbidden(_)),
            "{e:?}"
        );
    }
    let (zh, en) = both(&s.create_finding(&b.chief_a, &form).expect_err("chief"));
    assert!(zh.contains("所长不能记录巡查问题"), "{zh}");
    assert!(
        en.contains("chief may not record a supervision finding"),
        "{en}"
    );
    assert_eq!(b.snapshot(), before, "refusals write nothing");

    let f = s.create_finding(&b.supervisor, &form).expect("recorded");
    // Another station's officer or chief cannot answer; nor can the supervisor.
    for who in [&b.officer_b, &b.chief_b] {
        let e = s
            .rectify_finding(who, f.meta.id, f.meta.revision, "x")
            .expect_err("other station");
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    let e = s
        .rectify_finding(&b.supervisor, f.meta.id, f.meta.revision, "代为整改")
        .expect_err("supervisor cannot answer for the station");
    assert!(both(&e).0.contains("由该派出所的所长或民警答复"), "{e:?}");

    let f = s
        .rectify_finding(&b.officer_a, f.meta.id, f.meta.revision, "已整改")
        .expect("answered");
    for who in [&b.officer_a, &b.chief_a] {
        let e = s
            .accept_finding(who, f.meta.id, f.meta.revision, "")
            .expect_err("station cannot accept its own answer");
        assert!(matches!(e, ServiceError::Finding(_)), "{e:?}");
        let e = s
            .return_finding(who, f.meta.id, f.meta.revision, "no")
            .expect_err("nor return it");
        assert!(matches!(e, ServiceError::Finding(_)), "{e:?}");
    }
    let (zh, en) = both(
        &s.accept_finding(&b.officer_a, f.meta.id, f.meta.revision, "")
            .expect_err("officer"),
    );
    assert!(zh.contains("民警不能验收整改"), "{zh}");
    assert!(
        en.contains("officer may not accept a rectification"),
        "{en}"
    );

    // Reading: the other station sees none of it; the admin none at all.
    assert!(s.finding_detail(&b.chief_b, f.meta.id).is_err());
    assert!(s
        .station_findings(
            &b.chief_b,
            Some(b.station_a.meta.id),
            &FindingFilter::default()
        )
        .is_err());
    assert!(s
        .station_findings(&b.chief_b, None, &FindingFilter::default())
        .expect("own")
        .is_empty());
    assert!(s
        .station_findings(&b.admin, None, &FindingFilter::default())
        .is_err());
    assert_eq!(
        s.station_findings(&b.supervisor, None, &FindingFilter::default())
            .expect("all")
            .len(),
        1
    );
}

#[test]
fn bad_input_is_refused_with_the_field_named() {
    let b = Bureau::new();
    let s = &b.service;
    let d = dispute_a(&b);
    let before = b.snapshot();
    let mut form = new_on_dispute(d.meta.id, "+5");
    form.description = "   ".into();
    let e = s
        .create_finding(&b.supervisor, &form)
        .expect_err("empty description");
    assert_eq!(e.field(), Some(Field::Description));
    assert_eq!(both(&e).0, "请填写简要情况");

    let mut form = new_on_dispute(d.meta.id, "2026-11-24");
    let e = s
        .create_finding(&b.supervisor, &form)
        .expect_err("past deadline");
    assert_eq!(e.field(), Some(Field::RectifyBy));
    assert_eq!(
        both(&e),
        (
            "整改期限不能早于今天".into(),
            "Rectify by cannot lie in the past".into()
        )
    );
    form.deadline = "2026-13-01".into();
    let e = s
        .create_finding(&b.supervisor, &form)
        .expect_err("no such date");
    assert_eq!(e.field(), Some(Field::RectifyBy));
    form.deadline = "today".into();
    form.problem = None;
    let e = s
        .create_finding(&b.supervisor, &form)
        .expect_err("no problem type");
    assert_eq!(e.field(), Some(Field::ProblemType));
    form.problem = Some("made_up".into());
    let e = s
        .create_finding(&b.supervisor, &form)
        .expect_err("unknown type");
    assert!(matches!(
        e,
        ServiceError::Invalid(ValidationError::UnknownChoice {
            field: Field::ProblemType,
            ..
        })
    ));

    // Unknown targets of every kind, named by kind.
    for (target, zh) in [
        (TargetKind::Dispute, "找不到该纠纷"),
        (TargetKind::Visit, "找不到该回访"),
        (TargetKind::Flag, "找不到该重点人员列管记录"),
    ] {
        let mut form = new_on_dispute(beatbook::model::Id::new(), "+5");
        form.target = target;
        let e = s
            .create_finding(&b.supervisor, &form)
            .expect_err("unknown target");
        assert!(both(&e).0.starts_with(zh), "{:?}", both(&e));
    }
    // A dispute id passed as a visit is not a visit.
    let mut form = new_on_dispute(d.meta.id, "+5");
    form.target = TargetKind::Visit;
    assert!(s.create_finding(&b.supervisor, &form).is_err());
    assert_eq!(b.snapshot(), before, "nothing written");

    // The station's answer and the supervisor's return reason are required.
    let f = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+5"))
        .expect("recorded");
    let e = s
        .rectify_finding(&b.officer_a, f.meta.id, f.meta.revision, " \n ")
        .expect_err("empty answer");
    assert_eq!(e.field(), Some(Field::Rectification));
    let f = s
        .rectify_finding(&b.officer_a, f.meta.id, f.meta.revision, "已整改")
        .expect("answered");
    let e = s
        .return_finding(&b.supervisor, f.meta.id, f.meta.revision, "")
        .expect_err("return needs a reason");
    assert_eq!(e.field(), Some(Field::Reason));
    let e = s
        .rectify_finding(&b.officer_a, beatbook::model::Id::new(), 1, "x")
        .expect_err("unknown finding");
    assert!(
        both(&e).1.contains("supervision finding does not exist"),
        "{:?}",
        both(&e)
    );
}
