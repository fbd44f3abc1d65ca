//! Supervision findings (执法巡查) through the service on a real store: the workflow
//! open → rectified → returned → rectified → accepted with its history, every refused
//! role and station, overdue, the month counts, the editable dictionary and bad input.

use crate::common;

use beatbook::config::{FindingsConfig, Settings};
use beatbook::i18n::{Lang, Localize};
use beatbook::model::{
    Field, FindingChangeKind, FindingStatus, RiskLevel, TargetKind, ValidationError,
};
use beatbook::service::{FindingFilter, FixedClock, FlagForm, NewFinding, ServiceError, Session};
use beatbook::store::Kind;
use common::disputes::{fresh_pair, register};
use common::{assert_audit_ok, assert_indexes_ok, at, audit, date, start_time, Bureau};
use std::path::Path;
use std::sync::Arc;

fn new_on_dispute(id: beatbook::model::Id, deadline: &str) -> NewFinding {
    NewFinding {
        target: TargetKind::Dispute,
        target_id: id,
        problem: Some("deadline_missed".into()),
        description: "调解期限已过仍未办结，卷内无延期审批".into(),
        deadline: deadline.into(),
    }
}

/// A dispute of station A, registered by its officer.
fn dispute_a(b: &Bureau) -> beatbook::model::Dispute {
    let (p1, p2) = fresh_pair(b, &b.officer_a);
    register(&b.service, &b.officer_a, "宅基地边界纠纷", &[&p1, &p2], &[])
}

fn both(e: &ServiceError) -> (String, String) {
    (e.localize(Lang::Zh), e.localize(Lang::En))
}

#[test]
fn workflow_with_history_and_audit() {
    let b = Bureau::new();
    let s = &b.service;
    let d = dispute_a(&b);
    let f = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+10"))
        .expect("supervisor records");
    assert_eq!(f.status, FindingStatus::Open);
    assert_eq!(
        f.meta.station, b.station_a.meta.id,
        "owned by the target's station"
    );
    assert_eq!(f.target_label, "宅基地边界纠纷");
    assert_eq!(f.deadline, date(2026, 12, 5));

    // The station sees it on Today; the supervisor has nothing to decide yet.
    let today = s.today_findings(&b.chief_a).expect("chief today");
    assert_eq!(today.len(), 1);
    assert!(s.today_findings(&b.officer_a2).expect("colleague").len() == 1);
    assert!(s
        .today_findings(&b.chief_b)
        .expect("other station")
        .is_empty());
    assert!(s.today_findings(&b.supervisor).expect("sup").is_empty());

    let f = s
        .rectify_finding(
            &b.officer_a,
            f.meta.id,
            f.meta.revision,
            "已补办延期审批手续",
        )
        .expect("officer answers");
    assert_eq!(f.status, FindingStatus::Rectified);
    assert_eq!(s.today_findings(&b.supervisor).expect("sup").len(), 1);
    assert!(s.today_findings(&b.chief_a).expect("chief").is_empty());

    let f = s
        .return_finding(
            &b.supervisor,
            f.meta.id,
            f.meta.revision,
            "审批表缺所长签字",
        )
        .expect("supervisor returns");
    assert_eq!(f.status, FindingStatus::Returned);
    assert_eq!(
        s.today_findings(&b.chief_a).expect("back on Today").len(),
        1
    );

    let f = s
        .rectify_finding(&b.chief_a, f.meta.id, f.meta.revision, "已补签")
        .expect("chief answers");
    let f = s
        .accept_finding(&b.supervisor, f.meta.id, f.meta.revision, "")
        .expect("supervisor accepts");
    assert_eq!(f.status, FindingStatus::Accepted);
    assert_eq!(f.rectification.as_deref(), Some("已补签"));

    let detail = s.finding_detail(&b.chief_a, f.meta.id).expect("detail");
    let steps: Vec<_> = detail.finding.history.iter().map(|c| c.kind).collect();
    use FindingChangeKind::*;
    assert_eq!(steps, [Opened, Rectified, Returned, Rectified, Accepted]);
    assert_eq!(detail.finding.history[2].text, "审批表缺所长签字");
    assert_eq!(
        detail.history_names,
        ["刘法制", "王建国", "刘法制", "赵所长", "刘法制"]
    );
    assert!(!detail.may_rectify && !detail.may_decide, "closed for good");

    // Every step is one audited write under the finding's station.
    let actions: Vec<_> = audit(b.store())
        .into_iter()
        .filter(|e| e.kind == Some(Kind::Finding))
        .map(|e| (e.action, e.actor_name, e.station))
        .collect();
    let a = Some(b.station_a.meta.id);
    assert_eq!(
        actions,
        [
            ("finding.create".to_string(), "fa.zhi".to_string(), a),
            ("finding.rectify".into(), "wang.a".into(), a),
            ("finding.return".into(), "fa.zhi".into(), a),
            ("finding.rectify".into(), "zhao.chief".into(), a),
            ("finding.accept".into(), "fa.zhi".into(), a),
        ]
    );
    // Listed by target, too.
    assert_eq!(
        s.target_findings(&b.chief_a, d.meta.id)
            .expect("by target")
            .len(),
        1
    );
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

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
fn answering_a_closed_finding_and_stale_revisions_are_refused() {
    let b = Bureau::new();
    let s = &b.service;
    let d = dispute_a(&b);
    let f = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+5"))
        .expect("recorded");
    let e = s
        .accept_finding(&b.supervisor, f.meta.id, f.meta.revision, "")
        .expect_err("nothing to accept yet");
    assert!(both(&e).0.contains("待整改"), "{:?}", both(&e));
    let f = s
        .rectify_finding(&b.officer_a, f.meta.id, f.meta.revision, "已整改")
        .expect("answered");
    let f = s
        .accept_finding(&b.supervisor, f.meta.id, f.meta.revision, "同意")
        .expect("accepted");
    let before = b.snapshot();
    let e = s
        .rectify_finding(&b.officer_a, f.meta.id, f.meta.revision, "再补充")
        .expect_err("accepted is closed");
    let (zh, en) = both(&e);
    assert!(zh.contains("已验收") && zh.contains("不能答复整改"), "{zh}");
    assert!(
        en.contains("accepted") && en.contains("cannot answer"),
        "{en}"
    );
    // A stale revision (two screens open) is a conflict, not an overwrite.
    let g = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+5"))
        .expect("second");
    s.rectify_finding(&b.officer_a, g.meta.id, g.meta.revision, "a")
        .expect("first answer");
    let e = s
        .rectify_finding(&b.officer_a2, g.meta.id, g.meta.revision, "b")
        .expect_err("stale");
    assert!(
        matches!(e, ServiceError::Finding(_) | ServiceError::Store(_)),
        "{e:?}"
    );
    assert_eq!(b.snapshot().disputes, before.disputes);
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

#[test]
fn findings_on_visits_and_flags_and_overdue_first() {
    let b = Bureau::new();
    let s = &b.service;
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    let flag = s
        .flag_person(
            &b.officer_a,
            b.person_a.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                subcategories: Vec::new(),
                level: Some(RiskLevel::Orange),
                basis: "多次扬言上访".into(),
                source: String::new(),
                responsible: None,
                next_review: String::new(),
            },
        )
        .expect("flagged");
    let on = |target, id, deadline: &str| NewFinding {
        target,
        target_id: id,
        problem: Some("visit_not_made".into()),
        description: "走访记录缺失".into(),
        deadline: deadline.into(),
    };
    let fv = s
        .create_finding(&b.supervisor, &on(TargetKind::Visit, v.meta.id, "+2"))
        .expect("on a visit");
    assert!(fv.target_label.starts_with("张三丰"), "{}", fv.target_label);
    let ff = s
        .create_finding(&b.supervisor, &on(TargetKind::Flag, flag.meta.id, "+9"))
        .expect("on a flag");
    assert_eq!(ff.target_label, "张三丰");
    assert_eq!(
        s.target_findings(&b.supervisor, flag.meta.id)
            .expect("flag's")
            .len(),
        1
    );

    // Five days on, the visit finding is overdue and leads Today; the flag one is not.
    let b = b.reopen_fixed(at(2026, 11, 30, 9, 0));
    let s = &b.service;
    let rows = s.today_findings(&b.chief_a).expect("today");
    assert_eq!(rows.len(), 2);
    assert!(rows[0].overdue && rows[0].finding.meta.id == fv.meta.id);
    assert_eq!(rows[0].days_overdue, 3);
    assert!(!rows[1].overdue);
    let overdue = s
        .station_findings(
            &b.supervisor,
            Some(b.station_a.meta.id),
            &FindingFilter {
                overdue_only: true,
                ..Default::default()
            },
        )
        .expect("overdue only");
    assert_eq!(overdue.len(), 1);
    // Answered, it is no longer overdue even though the date has passed.
    let r = s
        .rectify_finding(&b.officer_a, fv.meta.id, fv.meta.revision, "已补走访")
        .expect("answer");
    assert!(!r.is_overdue(date(2026, 11, 30)));
    let rectified = s
        .station_findings(
            &b.supervisor,
            None,
            &FindingFilter {
                status: Some(FindingStatus::Rectified),
                ..Default::default()
            },
        )
        .expect("by status");
    assert_eq!(rectified.len(), 1);
    assert_indexes_ok(b.store());
}

#[test]
fn month_counts_use_local_dates_and_history() {
    // 2026-11-30 23:30 in China is still November there (UTC says 15:30 the same day;
    // 2026-12-01 07:00 local is 2026-11-30 23:00 UTC and must count in December).
    let b = Bureau::new_at(at(2026, 11, 2, 9, 0));
    let d = dispute_a(&b);
    let s = &b.service;
    let f1 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "2026-11-10"))
        .expect("early November, deadline passes in November");
    let f2 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "2026-12-20"))
        .expect("deadline in December");
    b.clock.set(at(2026, 11, 30, 23, 30));
    let f2 = s
        .rectify_finding(&b.officer_a, f2.meta.id, f2.meta.revision, "已整改")
        .expect("answered in November");
    b.clock.set(at(2026, 12, 1, 7, 0));
    let f2 = s
        .return_finding(&b.supervisor, f2.meta.id, f2.meta.revision, "不完整")
        .expect("returned on 1 December local time");
    let _ = f2;
    b.clock.set(at(2026, 12, 3, 9, 0));
    let f3 = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+1"))
        .expect("December finding");
    let f3 = s
        .rectify_finding(&b.chief_a, f3.meta.id, f3.meta.revision, "ok")
        .expect("answered");
    s.accept_finding(&b.supervisor, f3.meta.id, f3.meta.revision, "")
        .expect("accepted");

    let nov = s
        .findings_counts(&b.supervisor, Some(b.station_a.meta.id), 2026, 11)
        .expect("november");
    assert_eq!(nov.opened, 2);
    assert_eq!(nov.rectified, 1);
    assert_eq!(nov.returned, 0, "the return was on 1 December local time");
    assert_eq!(nov.accepted, 0);
    assert_eq!(
        nov.overdue, 1,
        "f1 owed past 10 November at the month's end"
    );
    assert_eq!(nov.unresolved, 2);

    let dec = s
        .findings_counts(&b.chief_a, None, 2026, 12)
        .expect("december so far, chief's own station");
    assert_eq!(dec.opened, 1);
    assert_eq!(dec.rectified, 1);
    assert_eq!(dec.returned, 1);
    assert_eq!(dec.accepted, 1);
    assert_eq!(
        dec.overdue, 1,
        "f1 still owed; f2 returned but due 20 December"
    );
    assert_eq!(dec.unresolved, 2);
    let _ = f1;

    // Other stations have nothing; a chief cannot count another station; bad months fail.
    let other = s
        .findings_counts(&b.supervisor, Some(b.station_b.meta.id), 2026, 11)
        .expect("station B");
    assert_eq!(other, Default::default());
    assert!(s
        .findings_counts(&b.chief_b, Some(b.station_a.meta.id), 2026, 11)
        .is_err());
    let e = s
        .findings_counts(&b.supervisor, None, 2026, 13)
        .expect_err("no month 13");
    assert_eq!(e.field(), Some(Field::Month));
}

#[test]
fn dictionary_override_changes_the_choices() {
    let custom = FindingsConfig::with_user_text(
        Path::new("/etc/beatbook/findings.toml"),
        "[[problems]]\ncode = \"late_report\"\nzh = \"迟报漏报\"\nen = \"late report\"\n",
    )
    .expect("valid override");
    let b = Bureau::with_settings(
        start_time(),
        Settings {
            findings: custom,
            ..Settings::default()
        },
    );
    let s = &b.service;
    let d = dispute_a(&b);
    let e = s
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+3"))
        .expect_err("shipped code no longer offered");
    assert_eq!(e.field(), Some(Field::ProblemType));
    let mut form = new_on_dispute(d.meta.id, "+3");
    form.problem = Some("late_report".into());
    let f = s.create_finding(&b.supervisor, &form).expect("custom code");
    assert_eq!(
        s.settings().findings.problem_label(&f.problem, Lang::Zh),
        "迟报漏报"
    );
}

#[test]
fn findings_survive_reopen_and_export() {
    let b = Bureau::new();
    let d = dispute_a(&b);
    let f = b
        .service
        .create_finding(&b.supervisor, &new_on_dispute(d.meta.id, "+3"))
        .expect("recorded");
    let b = b.reopen_with(Arc::new(FixedClock(start_time())));
    let rows = b
        .service
        .today_findings(&b.officer_a)
        .expect("after reopen");
    assert_eq!(rows[0].finding.meta.id, f.meta.id);
    let mut out = Vec::new();
    let summary = b
        .service
        .export_jsonl_as(&b.chief_b, &mut out)
        .expect("export");
    assert!(
        summary.counts.contains(&(Kind::Finding, 0)),
        "other station's stay out"
    );
    let mut out = Vec::new();
    let summary = b
        .service
        .export_jsonl_as(&b.supervisor, &mut out)
        .expect("export");
    assert!(summary.counts.contains(&(Kind::Finding, 1)));
    let _: &Session = &b.officer_a;
}

#[test]
fn demo_has_findings_in_every_state_for_chief_and_supervisor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = common::open_service(dir.path(), Arc::new(FixedClock(start_time())));
    beatbook::demo::load_demo(&service).expect("demo loads");
    let pw = beatbook::demo::DEMO_PASSWORD;
    let chief = service.login("chief", pw).expect("chief");
    let officer = service.login("officer", pw).expect("officer");
    let supervisor = service.login("supervisor", pw).expect("supervisor");
    let today = service.today_findings(&chief).expect("chief's Today");
    assert!(today.len() >= 2, "{today:?}");
    assert!(today[0].overdue, "the overdue one leads");
    assert_eq!(
        service.today_findings(&officer).expect("officer").len(),
        today.len()
    );
    let all = service
        .station_findings(&supervisor, None, &FindingFilter::default())
        .expect("supervisor's list");
    for status in FindingStatus::ALL {
        assert!(
            all.iter().any(|r| r.finding.status == status),
            "a demo finding is {status:?}"
        );
    }
    assert!(all.iter().all(|r| r.station_name == "城关派出所"));
    assert_eq!(
        service.today_findings(&supervisor).expect("to judge").len(),
        1
    );
    for kind in [TargetKind::Dispute, TargetKind::Visit, TargetKind::Flag] {
        assert!(all.iter().any(|r| r.finding.target == kind), "{kind:?}");
    }
    assert_indexes_ok(service.store());
    assert_audit_ok(service.store());
}
