//! A station's month against hand-computed figures, the bureau ranking, cross-station visits.

use super::*;

#[test]
fn station_month_matches_the_hand_computed_figures() {
    let b = fixture();
    let r = b
        .service
        .station_statistics(&b.chief_a, b.station_a.meta.id, nov())
        .expect("chief reads own station");
    let s = &r.stats;
    assert!(s.partial);
    // received, resolved, referred, escalated, reopened, overdue
    assert_eq!(counts(s, "03"), [2, 1, 0, 1, 0, 1]);
    assert_eq!(counts(s, "04"), [2, 1, 1, 0, 1, 1]);
    assert_eq!(
        counts(s, "01"),
        [0; 6],
        "every dictionary category has a row"
    );
    let t = &s.disputes.total;
    assert_eq!(
        [
            t.received,
            t.resolved,
            t.referred,
            t.escalated,
            t.reopened,
            t.overdue
        ],
        [4, 2, 1, 1, 1, 2]
    );
    assert_eq!(s.disputes.resolution_rate(), Some(0.5));
    assert_eq!(s.disputes.median_days(), Some(7.0));
    // Visits.
    let a = s
        .visits
        .per_officer
        .iter()
        .find(|v| v.officer == b.officer_a.officer())
        .expect("officer A");
    assert_eq!((a.owed, a.made, a.missed, a.pending), (3, 1, 2, 1));
    assert_eq!(a.rate(), Some(1.0 / 3.0));
    let t = &s.visits.total;
    assert_eq!((t.owed, t.made, t.missed, t.pending), (4, 2, 2, 1));
    assert_eq!(t.rate(), Some(0.5));
    // Mid-month the rate runs to today; the month's total stands beside it (issue 10).
    assert_eq!(t.month_total, 5);
    // Watch list at the end of November: F1 red, F2 orange, F5 orange.
    assert_eq!(s.watch.persons, 3);
    assert_eq!(s.watch.by_level, [0, 0, 2, 1]);
    let drug = s.watch.by_category.iter().find(|(c, _)| c == "drugs");
    assert_eq!(drug.map(|(_, n)| *n), Some([0, 0, 2, 1]));
    let petition = s.watch.by_category.iter().find(|(c, _)| c == "petition");
    assert_eq!(petition.map(|(_, n)| *n), Some([0, 0, 1, 0]));
    let c = s.watch.changes;
    assert_eq!((c.added, c.removed, c.raised, c.lowered), (1, 1, 1, 1));
    // Trend: Sep 1/1, Oct 1/0, Nov 4/2; twelve months ending in November.
    assert_eq!(s.trend.len(), 12);
    assert_eq!(s.trend[0].month.to_string(), "2025-12");
    let point = |m: &str| {
        s.trend
            .iter()
            .find(|p| p.month.to_string() == m)
            .map(|p| (p.received, p.resolved))
    };
    assert_eq!(point("2026-09"), Some((1, 1)));
    assert_eq!(point("2026-10"), Some((1, 0)));
    assert_eq!(point("2026-11"), Some((4, 2)));
    assert_eq!(
        s.findings,
        beatbook::report::FindingsFigures::default(),
        "no findings in this fixture"
    );
    assert_eq!(s.overdue_items(), 4);
    assert!(!s.is_zero_report());
}

#[test]
fn october_sees_only_local_october() {
    let b = fixture();
    let oct = Month::new(2026, 10).expect("month");
    let s = b
        .service
        .station_statistics(&b.supervisor, b.station_a.meta.id, oct)
        .expect("supervisor reads any station")
        .stats;
    assert!(!s.partial);
    // Only D2 (Oct 31 23:00 local); D1 at 2026-10-31T20:00Z is November locally.
    assert_eq!(s.disputes.total.received, 1);
    assert_eq!(counts(&s, "03")[0], 1);
    assert_eq!(s.disputes.total.overdue, 0);
    assert_eq!(s.visits.total.owed, 1);
    // October's end: F1 yellow, F3 blue, F5 red; F2 (Nov 1 local) not yet.
    assert_eq!(s.watch.persons, 3);
    assert_eq!(s.watch.by_level, [1, 1, 0, 1]);
    assert_eq!(s.watch.changes.added, 1);
}

#[test]
fn bureau_ranks_stations_by_overdue_items() {
    let b = fixture();
    let r = b
        .service
        .bureau_statistics(&b.supervisor, nov())
        .expect("supervisor sees the bureau");
    let names: Vec<&str> = r.ranked.iter().map(|s| s.station_name.as_str()).collect();
    assert_eq!(names, ["城关派出所", "河西派出所"]);
    assert_eq!(r.ranked[0].overdue_items(), 4);
    assert!(r.ranked[1].is_zero_report());
    assert_eq!(r.total.disputes.total.received, 4);
    assert_eq!(r.total.disputes.median_days(), Some(7.0));
}

#[test]
fn a_visit_assigned_across_stations_still_counts_exactly() {
    let b = fixture();
    // A visit of station A assigned to station B's officer: the per-officer key counts no
    // longer add up to the station's, so the figures come from the visit summaries.
    let mut v: Visit = b.visit(&b.officer_a, &b.person_a, "+1");
    v.due = date(2026, 11, 2);
    v.status = VisitStatus::Done;
    v.assigned_to = b.officer_b.officer();
    put(&b, v);
    let s = b
        .service
        .station_statistics(&b.chief_a, b.station_a.meta.id, nov())
        .expect("statistics")
        .stats;
    let t = &s.visits.total;
    assert_eq!((t.owed, t.made, t.missed, t.pending), (5, 3, 2, 1));
    let other = s
        .visits
        .per_officer
        .iter()
        .find(|o| o.officer == b.officer_b.officer())
        .expect("station B's officer has a row");
    assert_eq!((other.owed, other.made), (1, 1));
}
