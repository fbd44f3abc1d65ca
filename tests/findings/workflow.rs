//! The workflow with history and audit; a closed finding and stale revisions refused.

use super::*;

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
