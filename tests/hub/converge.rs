//! Two terminals of one station and a bureau terminal, each changing records offline,
//! synced in every order: all three end with the same records, indexes and audit chains
//! intact, nothing lost; a record changed on both station terminals is applied once and
//! kept as a conflict once, both versions retrievable.

use super::{cg_person, edit_notes};
use crate::common::hub::{station_id, TestHub};
use crate::common::{assert_audit_ok, assert_indexes_ok, create_person};
use beatbook::model::{Person, TargetKind};
use beatbook::service::{JoinAs, NewFinding};
use beatbook::store::ConflictReason;

fn cg() -> JoinAs {
    JoinAs::Station("CG".into())
}

#[test]
fn three_terminals_converge_in_every_order() {
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let Some(hub) = TestHub::with_demo() else {
            return;
        };
        let terminals = [
            hub.terminal(cg()),
            hub.terminal(cg()),
            hub.terminal(JoinAs::Bureau),
        ];
        let [a1, a2, bureau] = &terminals;
        let cg_id = station_id(a1.service.store(), "CG");
        assert_eq!(
            a1.records(&[cg_id.as_str()]),
            bureau.records(&[cg_id.as_str()]),
            "after joining, the station terminal holds what the bureau holds of CG"
        );

        // Offline, each terminal changes something of its own.
        let officer = a1.login("officer");
        let p1 = create_person(&a1.service, &officer, "钱一", "南门社区");
        let x = cg_person(a1, 0);
        edit_notes(a1, &officer, x.meta.id, "一号终端改的备注");
        let zhao = a2.login("cg.zhaolei");
        let p2 = create_person(&a2.service, &zhao, "孙二", "北街社区");
        let y = cg_person(a2, 1);
        edit_notes(a2, &zhao, y.meta.id, "二号终端改的备注");
        let supervisor = bureau.login("supervisor");
        let visit = a1
            .service
            .store()
            .all::<beatbook::model::Visit>()
            .map(|v| v.expect("visit"))
            .find(|v| v.meta.station.to_string() == cg_id)
            .expect("a CG visit");
        let finding = bureau
            .service
            .create_finding(
                &supervisor,
                &NewFinding {
                    target: TargetKind::Visit,
                    target_id: visit.meta.id,
                    problem: Some("deadline_missed".into()),
                    description: "回访超期未做".into(),
                    deadline: "+10".into(),
                },
            )
            .expect("finding");

        // Sync in this order, twice over (the first to sync learns the others' changes on
        // the second pass).
        for _ in 0..2 {
            for &i in &order {
                terminals[i].sync();
            }
        }

        let scope = [cg_id.as_str()];
        let reference = a1.records(&scope);
        assert_eq!(
            reference,
            a2.records(&scope),
            "order {order:?}: CG terminals differ"
        );
        assert_eq!(
            reference,
            bureau.records(&scope),
            "order {order:?}: the bureau's copy of CG differs"
        );
        for t in &terminals {
            assert_indexes_ok(t.service.store());
            assert_audit_ok(t.service.store());
            let store = t.service.store();
            assert!(store.get::<Person>(p1.meta.id).expect("read").is_some());
            assert!(store.get::<Person>(p2.meta.id).expect("read").is_some());
            let x = store.get::<Person>(x.meta.id).expect("read").expect("x");
            assert_eq!(x.notes, "一号终端改的备注");
            let y = store.get::<Person>(y.meta.id).expect("read").expect("y");
            assert_eq!(y.notes, "二号终端改的备注");
            assert!(store
                .get::<beatbook::model::Finding>(finding.meta.id)
                .expect("read")
                .is_some());
            assert_eq!(t.service.sync_status().waiting, 0);
            assert_eq!(t.service.sync_status().conflicts, 0);
        }
        // The person search follows pulled records too.
        let found = a2
            .service
            .search_persons(&zhao, "钱一", 10, false)
            .expect("search");
        assert!(
            found.iter().any(|hit| hit.id == p1.meta.id),
            "a person made on terminal 1 is found on terminal 2"
        );
    }
}

#[test]
fn the_same_record_changed_on_two_terminals_keeps_both_versions() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let a1 = hub.terminal(cg());
    let a2 = hub.terminal(cg());
    let officer = a1.login("officer");
    let zhao = a2.login("cg.zhaolei");
    let x = cg_person(&a1, 2);
    edit_notes(&a1, &officer, x.meta.id, "甲的版本");
    edit_notes(&a2, &zhao, x.meta.id, "乙的版本");

    let first = a1.sync();
    assert_eq!((first.pushed, first.conflicts), (1, 0));
    let second = a2.sync();
    assert_eq!(second.conflicts, 1, "the later push is kept as a conflict");
    a1.sync();

    // Shown on the terminal whose version waits, both versions whole.
    let status = a2.service.sync_status();
    assert_eq!(status.conflicts, 1);
    let kept = a2.service.sync_conflicts().expect("conflicts");
    assert_eq!(kept.len(), 1);
    let conflict = &kept[0];
    assert_eq!(conflict.reason, ConflictReason::Revision);
    assert_eq!(conflict.id, x.meta.id);
    let notes = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .and_then(|b| b.get("notes"))
            .and_then(|n| n.as_str())
            .map(str::to_string)
    };
    assert_eq!(notes(&conflict.mine).as_deref(), Some("乙的版本"));
    assert_eq!(notes(&conflict.theirs).as_deref(), Some("甲的版本"));

    // The hub holds both too: its head is the first, the conflict row the second.
    let mut sql = hub.sql();
    let head: serde_json::Value = sql
        .query_one(
            "SELECT body FROM records WHERE id = $1",
            &[&x.meta.id.to_string()],
        )
        .expect("head")
        .get(0);
    assert_eq!(head["notes"], "甲的版本");
    let row = sql
        .query_one(
            "SELECT mine, head, reason FROM conflicts WHERE record = $1",
            &[&x.meta.id.to_string()],
        )
        .expect("conflict row");
    let mine: serde_json::Value = row.get(0);
    let theirs: serde_json::Value = row.get(1);
    let reason: String = row.get(2);
    assert_eq!(
        (mine["notes"].as_str(), theirs["notes"].as_str()),
        (Some("乙的版本"), Some("甲的版本"))
    );
    assert_eq!(reason, "revision");

    // Both terminals show the hub's version until a person decides; nothing else moved.
    let on = |t: &crate::common::hub::Terminal| {
        t.service
            .store()
            .get::<Person>(x.meta.id)
            .expect("read")
            .expect("x")
            .notes
    };
    assert_eq!(on(&a1), "甲的版本");
    assert_eq!(on(&a2), "甲的版本");
    let cg_id = station_id(a1.service.store(), "CG");
    assert_eq!(a1.records(&[cg_id.as_str()]), a2.records(&[cg_id.as_str()]));
    assert_indexes_ok(a2.service.store());
}
