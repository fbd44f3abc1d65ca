//! Every write is audited with its actor; the export leaves password hashes out.

use super::*;

#[test]
fn every_write_is_audited_with_its_actor_and_action() {
    let b = Bureau::new();
    let s = &b.officer_a;
    let mut seen = b.snapshot().audit;
    let station = b.station_a.meta.id;
    let mut expect = |what: &str, record: beatbook::model::Id, writes: usize| {
        let entries = audit_after(b.store(), seen);
        assert!(
            entries.len() >= writes.max(1),
            "{what}: {} new audit entries",
            entries.len()
        );
        assert!(entries.iter().all(|e| e.actor == s.officer()
            && e.actor_name == "wang.a"
            && e.action == what
            && e.station == Some(station)));
        assert!(
            entries.iter().any(|e| e.record == Some(record)),
            "{what}: the entry names the record"
        );
        seen += entries.len();
    };

    let p = create_person(&b.service, s, "王小二", "东关村");
    expect("person.create", p.meta.id, 1);
    let v = b.visit(s, &p, "+1");
    expect("visit.schedule", v.meta.id, 1);
    let mut form = done_form();
    form.next_due = "+7".into();
    let done = b
        .service
        .record_visit_done(s, v.meta.id, v.meta.revision, &form)
        .expect("done");
    let next = done.next.expect("next visit scheduled");
    expect("visit.done", v.meta.id, 2);
    let missed = b
        .service
        .record_visit_missed(
            s,
            next.meta.id,
            next.meta.revision,
            &MissedForm {
                reason: "家中无人".into(),
                next_due: "+3".into(),
            },
        )
        .expect("missed");
    expect("visit.missed", next.meta.id, 2);
    let retry = missed.next.expect("retry scheduled");
    let moved = b
        .service
        .reschedule_visit(
            s,
            retry.meta.id,
            retry.meta.revision,
            &reschedule_form("+5"),
        )
        .expect("rescheduled");
    expect("visit.reschedule", retry.meta.id, 1);
    b.service
        .cancel_visit(s, moved.meta.id, moved.meta.revision, "当事人已搬离")
        .expect("cancelled");
    expect("visit.cancel", moved.meta.id, 1);

    // The records carry the writer too.
    let stored = stored_visit(&b, &moved);
    assert_eq!(stored.status, VisitStatus::Cancelled);
    assert_eq!(stored.meta.changed_by, s.officer());
    assert_eq!(stored.status_reason, "当事人已搬离");
    let kinds: Vec<VisitChangeKind> = stored.history.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        vec![
            VisitChangeKind::Scheduled,
            VisitChangeKind::Rescheduled,
            VisitChangeKind::Cancelled
        ]
    );
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn export_writes_every_record_without_password_hashes_and_is_audited() {
    let b = Bureau::new();
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    b.service
        .record_visit_done(&b.officer_a, v.meta.id, v.meta.revision, &done_form())
        .expect("done");
    let audit_before = b.snapshot().audit;
    let mut out = Vec::new();
    let summary = b.service.export_jsonl(&mut out, "admin").expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let snap = b.snapshot();
    assert_eq!(
        lines.len(),
        snap.stations + snap.officers + snap.persons + snap.visits
    );
    assert_eq!(summary.total(), lines.len());
    assert!(!text.contains("password_hash") && !text.contains("$argon2"));
    let visit = lines
        .iter()
        .find(|l| l["kind"] == "visit" && l["meta"]["id"] == v.meta.id.to_string())
        .expect("the visit is exported");
    assert_eq!(visit["status"], "done");
    assert_eq!(visit["outcome"], "stable");
    let officers = lines.iter().filter(|l| l["kind"] == "officer").count();
    assert_eq!(officers, 7);
    // Audited before the first byte and at the end (issue 11).
    let entries = audit_after(b.store(), audit_before);
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export.started", "export"]);
    assert!(entries.iter().all(|e| e.detail.contains("admin")));
    assert_audit_ok(b.store());
}
