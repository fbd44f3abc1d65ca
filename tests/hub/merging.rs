//! Concurrent edits over two terminals: fields changed on one side only merge by
//! themselves at the hub (no conflict, both terminals end with both changes); fields
//! changed on both sides wait, both versions kept; a visit done on one terminal and
//! rescheduled on the other waits (the workflow is not merged into an impossible state).

use super::{cg_person, edit_notes};
use crate::common::disputes::done_form;
use crate::common::hub::{station_id, TestHub};
use crate::common::{assert_indexes_ok, schedule};
use beatbook::model::{Person, Visit, VisitStatus};
use beatbook::service::{JoinAs, RescheduleForm};

fn cg() -> JoinAs {
    JoinAs::Station("CG".into())
}

#[test]
fn a_person_edited_in_different_fields_on_two_terminals_merges_by_itself() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let (a1, a2) = (hub.terminal(cg()), hub.terminal(cg()));
    let officer = a1.login("officer");
    let zhao = a2.login("cg.zhaolei");
    let x = cg_person(&a1, 3);
    edit_notes(&a1, &officer, x.meta.id, "一号终端的备注");
    let (mut draft, revision) = a2.service.person_draft(&zhao, x.meta.id).expect("draft");
    draft.address = "二号终端改的地址8号".into();
    a2.service
        .update_person(&zhao, x.meta.id, revision, &draft)
        .expect("saved");

    assert_eq!(a1.sync().conflicts, 0);
    let second = a2.sync();
    assert_eq!((second.conflicts, second.merged), (0, 1), "{second:?}");
    a1.sync();
    for t in [&a1, &a2] {
        let p: Person = t.service.store().get(x.meta.id).expect("read").expect("x");
        assert_eq!(p.notes, "一号终端的备注");
        assert_eq!(p.address, "二号终端改的地址8号");
        assert_eq!(t.service.sync_status().conflicts, 0);
        assert_eq!(t.service.sync_status().waiting, 0);
        assert_indexes_ok(t.service.store());
    }
    let cg_id = station_id(a1.service.store(), "CG");
    assert_eq!(a1.records(&[cg_id.as_str()]), a2.records(&[cg_id.as_str()]));
    // The hub shows the merge as such.
    let merged: i64 = hub
        .sql()
        .query_one(
            "SELECT count(*) FROM changes WHERE id = $1 AND outcome = 'merged'",
            &[&x.meta.id.to_string()],
        )
        .expect("count")
        .get(0);
    assert_eq!(merged, 1);
}

#[test]
fn a_visit_done_on_one_terminal_and_rescheduled_on_the_other_waits_for_a_person() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let (a1, a2) = (hub.terminal(cg()), hub.terminal(cg()));
    let officer = a1.login("officer");
    let person = cg_person(&a1, 5);
    let visit = schedule(&a1.service, &officer, person.meta.id, "2026-11-26", None);
    a1.sync();
    a2.sync();
    let on_a2 = a2.login("officer");
    a1.service
        .record_visit_done(&officer, visit.meta.id, visit.meta.revision, &done_form())
        .expect("done");
    a2.service
        .reschedule_visit(
            &on_a2,
            visit.meta.id,
            visit.meta.revision,
            &RescheduleForm {
                new_due: "2026-11-30".into(),
                reason: "当事人外出".into(),
            },
        )
        .expect("rescheduled");
    a1.sync();
    let second = a2.sync();
    assert_eq!(second.conflicts, 1, "{second:?}");
    a1.sync();
    // Both terminals show the hub's version (done); the rescheduled one is kept aside.
    for t in [&a1, &a2] {
        let v: Visit = t
            .service
            .store()
            .get(visit.meta.id)
            .expect("read")
            .expect("v");
        assert_eq!(v.status, VisitStatus::Done);
    }
    let kept = a2.service.sync_conflicts().expect("conflicts");
    assert_eq!(kept.len(), 1);
    let mine = kept[0].mine.as_ref().expect("mine");
    assert_eq!(mine["due"], "2026-11-30");
    let fields: Vec<String> = hub
        .sql()
        .query_one(
            "SELECT fields FROM conflicts WHERE record = $1",
            &[&visit.meta.id.to_string()],
        )
        .expect("conflict")
        .get(0);
    assert!(fields.contains(&"status".to_string()), "{fields:?}");
}
