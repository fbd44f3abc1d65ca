//! The editable dictionary, findings through reopen and export, the demo's findings.

use super::*;

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
