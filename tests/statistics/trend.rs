//! The trend by the terminal zone, its tally through updates, deletions, drift and repair.

use super::*;

/// The trend's (received, resolved) for September, October and November 2026.
fn autumn_trend(s: &beatbook::report::StationStats) -> Vec<(u32, u32)> {
    ["2026-09", "2026-10", "2026-11"]
        .iter()
        .map(|m| {
            s.trend
                .iter()
                .find(|p| p.month.to_string() == *m)
                .map_or((u32::MAX, u32::MAX), |p| (p.received, p.resolved))
        })
        .collect()
}

/// Whole-hour zones read the trend from the store's per-hour tally, others from the
/// status changes: both must put each change in its local month. West of UTC, D1
/// (2026-10-31T20:00Z) is received on October 31st and D4 (2026-09-01T01:00Z) on
/// August 31st, so October gains a dispute, November and September lose one.
#[test]
fn the_trend_follows_the_terminal_zone_on_both_paths() {
    let mut b = fixture();
    let nov_stats = |b: &Bureau| {
        b.service
            .station_statistics(&b.supervisor, b.station_a.meta.id, nov())
            .expect("supervisor reads any station")
            .stats
    };
    assert_eq!(autumn_trend(&nov_stats(&b)), [(1, 1), (1, 0), (4, 2)]);
    for zone in [-4 * 3600, -(3 * 3600 + 1800)] {
        let local = chrono::FixedOffset::east_opt(zone).expect("zone");
        b = b.reopen_fixed(utc("2026-11-25T12:00:00Z").with_timezone(&local));
        assert_eq!(
            autumn_trend(&nov_stats(&b)),
            [(0, 1), (2, 0), (3, 2)],
            "zone {local}"
        );
    }
}

/// The per-hour tally adds each write and subtracts what it replaces: after status
/// changes and a deletion it still equals the sum over the records, and the trend
/// follows.
#[test]
fn the_trend_tally_follows_updates_and_deletions() {
    use beatbook::store::{Kind, Write};
    let b = fixture();
    assert_indexes_ok(b.store());
    let nov_trend = |b: &Bureau| {
        let s = b
            .service
            .station_statistics(&b.supervisor, b.station_a.meta.id, nov())
            .expect("supervisor reads any station")
            .stats;
        autumn_trend(&s)
    };
    // Register one more dispute today and resolve it through the service.
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let d = register(&b.service, &b.officer_a, "新纠纷", &[&p, &q], &[]);
    assert_eq!(nov_trend(&b), [(1, 1), (1, 0), (5, 2)]);
    assert_indexes_ok(b.store());
    // Delete it again: the tally gives back exactly what it counted.
    let stored: Dispute = b.store().get(d.meta.id).expect("readable").expect("stored");
    let change = Change {
        writes: vec![Write::Delete {
            kind: Kind::Dispute,
            id: d.meta.id,
            revision: stored.meta.revision,
        }],
        ..Change::new("test.delete", &Actor::system(), utc("2026-11-25T01:00:00Z"))
    };
    b.store().commit(&change).expect("deleted");
    assert_eq!(nov_trend(&b), [(1, 1), (1, 0), (4, 2)]);
    assert_indexes_ok(b.store());
    // The visit tally: a visit scheduled for tomorrow is pending; marked missed, it moves.
    let visits = |b: &Bureau| {
        let t = b
            .service
            .station_statistics(&b.supervisor, b.station_a.meta.id, nov())
            .expect("supervisor reads any station")
            .stats
            .visits
            .total;
        (t.owed, t.made, t.missed, t.pending)
    };
    assert_eq!(visits(&b), (4, 2, 2, 1));
    let mut v = b.visit(&b.officer_a, &b.person_a, "+1");
    assert_eq!(visits(&b), (4, 2, 2, 2));
    v.status = VisitStatus::Missed;
    put(&b, v);
    assert_eq!(visits(&b), (5, 2, 3, 1));
    assert_indexes_ok(b.store());
}

/// A tally that drifted from the records (here: emptied behind the store's back) never
/// blocks an officer's save; `check` names the index and `check --repair` rebuilds it.
#[test]
fn a_drifted_tally_never_blocks_a_save_and_repair_restores_it() {
    use beatbook::model::{VisitMethod, VisitOutcome};
    use beatbook::service::DoneForm;
    use beatbook::store::Index;
    let mut b = fixture();
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    drop(b.service);
    {
        let db = common::raw::open_raw(b.dir.path());
        db.open_tree("tally_visit_station_due_officer_status")
            .expect("tally tree")
            .clear()
            .expect("cleared");
        db.flush().expect("flush");
    }
    b.service = open_service(b.dir.path(), b.clock.clone());
    b.service
        .record_visit_done(
            &b.officer_a,
            v.meta.id,
            v.meta.revision,
            &DoneForm {
                outcome: Some(VisitOutcome::Stable),
                method: VisitMethod::InPerson,
                agreement_honoured: None,
                notes: String::new(),
                next_due: String::new(),
                met: None,
            },
        )
        .expect("the save goes through");
    let report = b.service.check_store().expect("check runs");
    let bad: Vec<Index> = report.indexes.iter().map(|m| m.index).collect();
    assert_eq!(bad, [Index::VisitTallyByStation]);
    b.service.repair_indexes("test", &bad).expect("repaired");
    assert_indexes_ok(b.store());
    let t = b
        .service
        .station_statistics(&b.supervisor, b.station_a.meta.id, nov())
        .expect("supervisor reads any station")
        .stats
        .visits
        .total;
    assert_eq!((t.owed, t.made, t.missed, t.pending), (5, 3, 2, 1));
}
