//! The audit viewer's use case: who may read the log and what each sees. Chiefs read
//! their own station's entries only, supervisors every station's; officers and
//! administrators are refused. Reading personal data (reveals, exports) shows up.

use crate::common;

use beatbook::service::{AuditFilter, Forbidden, ServiceError, AUDIT_PAGE};
use beatbook::store::Kind;

fn refused(r: Result<beatbook::service::AuditPage, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Forbidden(Forbidden::AuditLog)))
}

#[test]
fn officers_and_administrators_cannot_read_the_audit_log() {
    let b = common::Bureau::new();
    let all = AuditFilter::default();
    assert!(refused(b.service.audit_page(&b.officer_a, &all, None)));
    assert!(refused(b.service.audit_page(&b.officer_b, &all, None)));
    assert!(refused(b.service.audit_page(&b.admin, &all, None)));
    assert!(b.service.audit_page(&b.chief_a, &all, None).is_ok());
    assert!(b.service.audit_page(&b.supervisor, &all, None).is_ok());
}

#[test]
fn a_chief_sees_only_the_own_station_and_a_supervisor_sees_all() {
    let b = common::Bureau::new();
    // Reads of personal data at both stations: the supervisor reveals a person of B.
    b.service
        .reveal_person(&b.officer_a, b.person_a.meta.id)
        .expect("reveal A");
    b.service
        .reveal_person(&b.supervisor, b.person_b.meta.id)
        .expect("reveal B");
    let mut sink = Vec::new();
    b.service
        .export_jsonl_as(&b.chief_b, &mut sink)
        .expect("export B");

    let all = AuditFilter::default();
    let a = station_rows(&b, &b.chief_a, &all);
    assert!(!a.is_empty());
    assert!(a
        .iter()
        .all(|r| r.entry.station == Some(b.station_a.meta.id)));
    // Even when the chief asks for the other station, the service keeps them home.
    let other = AuditFilter {
        station: Some(b.station_b.meta.id),
        ..AuditFilter::default()
    };
    let a_again = station_rows(&b, &b.chief_a, &other);
    assert!(a_again
        .iter()
        .all(|r| r.entry.station == Some(b.station_a.meta.id)));

    let reveals = AuditFilter {
        action: "reveal".into(),
        ..AuditFilter::default()
    };
    let chief_a_reveals = station_rows(&b, &b.chief_a, &reveals);
    assert_eq!(chief_a_reveals.len(), 1, "only the reveal at station A");
    assert_eq!(chief_a_reveals[0].entry.actor_name, "wang.a");
    // A reveal writes no record: whose data was read is in the detail, which the record
    // filter searches.
    assert!(chief_a_reveals[0]
        .entry
        .detail
        .contains(&b.person_a.meta.id.to_string()));
    let chief_b_reveals = station_rows(&b, &b.chief_b, &reveals);
    assert_eq!(
        chief_b_reveals.len(),
        1,
        "the supervisor's reveal of a B person"
    );
    assert_eq!(chief_b_reveals[0].entry.actor_name, "fa.zhi");

    let sup = station_rows(&b, &b.supervisor, &reveals);
    assert_eq!(sup.len(), 2);
    // Newest first.
    assert!(sup[0].entry.seq > sup[1].entry.seq);

    let exports = AuditFilter {
        action: "export".into(),
        ..AuditFilter::default()
    };
    // An export is audited when it starts and when it ends.
    let rows = station_rows(&b, &b.chief_b, &exports);
    let actions: Vec<&str> = rows.iter().map(|r| r.entry.action.as_str()).collect();
    assert_eq!(actions, ["export", "export.started"]);
    assert!(station_rows(&b, &b.chief_a, &exports).is_empty());
}

#[test]
fn filters_by_officer_record_and_date_and_pages_newest_first() {
    let b = common::Bureau::new();
    for _ in 0..(AUDIT_PAGE + 5) {
        b.service
            .reveal_person(&b.officer_a, b.person_a.meta.id)
            .expect("reveal");
    }
    let by = AuditFilter {
        officer: "WANG.A".into(),
        ..AuditFilter::default()
    };
    let first = b.service.audit_page(&b.chief_a, &by, None).expect("page 1");
    assert_eq!(first.rows.len(), AUDIT_PAGE);
    let below = first.next_below.expect("more to read");
    let second = b
        .service
        .audit_page(&b.chief_a, &by, Some(below))
        .expect("page 2");
    assert!(second.rows.len() >= 5);
    assert!(second.rows[0].entry.seq < first.rows[AUDIT_PAGE - 1].entry.seq);
    assert!(second.next_below.is_none(), "the log is done");

    let record = AuditFilter {
        record: b.person_a.meta.id.to_string(),
        ..AuditFilter::default()
    };
    let rows = station_rows(&b, &b.chief_a, &record);
    assert!(rows
        .iter()
        .all(|r| r.entry.record == Some(b.person_a.meta.id)
            || r.entry.detail.contains(&b.person_a.meta.id.to_string())));
    let kind = AuditFilter {
        record: "person".into(),
        action: "person.create".into(),
        ..AuditFilter::default()
    };
    let created = station_rows(&b, &b.chief_a, &kind);
    assert!(created.iter().all(|r| r.entry.kind == Some(Kind::Person)));

    let tomorrow = AuditFilter {
        from: Some(common::date(2026, 11, 26)),
        ..AuditFilter::default()
    };
    assert!(station_rows(&b, &b.chief_a, &tomorrow).is_empty());
    let today = AuditFilter {
        from: Some(common::date(2026, 11, 25)),
        to: Some(common::date(2026, 11, 25)),
        ..AuditFilter::default()
    };
    assert!(!station_rows(&b, &b.chief_a, &today).is_empty());
}

#[test]
fn backups_from_the_service_are_for_administrators_and_audited() {
    let b = common::Bureau::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("b.bbk");
    for s in [&b.officer_a, &b.chief_a, &b.supervisor] {
        assert!(matches!(
            b.service.backup_to(s, &file),
            Err(ServiceError::Forbidden(Forbidden::AdminOnly))
        ));
    }
    assert!(!file.exists());
    let summary = b.service.backup_to(&b.admin, &file).expect("backup");
    assert!(summary.bytes > 0 && file.is_file());
    let header = beatbook::store::verify_archive(&file).expect("verifies");
    assert_eq!(header, summary.header);
    let last = common::audit(b.store()).pop().expect("entry");
    assert_eq!(last.action, "backup");
    assert_eq!(last.actor_name, "admin");
    common::assert_audit_ok(b.store());
}

/// Every matching row, reading page after page.
fn station_rows(
    b: &common::Bureau,
    session: &beatbook::service::Session,
    filter: &AuditFilter,
) -> Vec<beatbook::service::AuditRow> {
    let mut rows = Vec::new();
    let mut below = None;
    loop {
        let page = b.service.audit_page(session, filter, below).expect("page");
        rows.extend(page.rows);
        match page.next_below {
            Some(n) => below = Some(n),
            None => return rows,
        }
    }
}
