//! Monthly statistics against hand-computed fixtures: disputes, visits and flags written
//! with timestamps straddling month boundaries and the UTC / +08:00 boundary (an event at
//! 2026-10-31T20:00Z is November 1st at the station), refusals, and the report text.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{
    Dispute, DisputeStatus, FlagChange, FlagChangeKind, FlagPerson, FlagStatus, Id, Meta,
    RiskLevel, StatusChange, Visit, VisitStatus, WatchFlag,
};
use beatbook::report::{Format, Month};
use beatbook::service::{Forbidden, ServiceError, Session};
use beatbook::store::{Actor, Change};
use chrono::{DateTime, Utc};
use common::disputes::{fresh_pair, register};
use common::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instant")
}

fn nov() -> Month {
    Month::new(2026, 11).expect("month")
}

fn put(b: &Bureau, record: impl Into<beatbook::store::AnyRecord>) {
    let change = Change::new(
        "test.fixture",
        &Actor::system(),
        utc("2026-11-25T00:00:00Z"),
    )
    .put(record);
    b.store().commit(&change).expect("fixture written");
}

/// A dispute of station A with the given history (`from` None first) and deadline.
fn dispute(
    b: &Bureau,
    template: &Dispute,
    category: &str,
    reported_on: (i32, u32, u32),
    history: &[(&str, DisputeStatus)],
    deadline: Option<(i32, u32, u32)>,
) {
    let mut d = template.clone();
    d.meta = Meta::new(b.station_a.meta.id, utc(history[0].0), Id::SYSTEM);
    d.category = category.into();
    d.reported_on = date(reported_on.0, reported_on.1, reported_on.2);
    d.reported_at = utc(history[0].0);
    d.mediation_deadline = deadline.map(|(y, m, dd)| date(y, m, dd));
    let mut from = None;
    d.history = history
        .iter()
        .map(|(at, to)| {
            let h = StatusChange {
                at: utc(at),
                by: Id::SYSTEM,
                from,
                to: *to,
                reason: String::new(),
            };
            from = Some(*to);
            h
        })
        .collect();
    d.status = history[history.len() - 1].1;
    put(b, d);
}

fn visit(b: &Bureau, session: &Session, due: (i32, u32, u32), status: VisitStatus) {
    let mut v: Visit = b.visit(session, &b.person_a, "+1");
    v.due = date(due.0, due.1, due.2);
    v.status = status;
    put(b, v);
}

fn flag(b: &Bureau, categories: &[&str], history: &[(&str, FlagChangeKind, Option<RiskLevel>)]) {
    let person = create_person(&b.service, &b.officer_a, "周列管", "东关村");
    let mut level = RiskLevel::Blue;
    let mut status = FlagStatus::Active;
    let mut lines = Vec::new();
    for (at, kind, to) in history {
        lines.push(FlagChange {
            at: utc(at),
            by: Id::SYSTEM,
            kind: *kind,
            from_level: Some(level),
            to_level: *to,
            reason: "测试".into(),
        });
        match kind {
            FlagChangeKind::Removed => status = FlagStatus::Removed,
            _ => level = to.unwrap_or(level),
        }
    }
    put(
        b,
        WatchFlag {
            meta: Meta::new(b.station_a.meta.id, utc(history[0].0), Id::SYSTEM),
            person: person.meta.id,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            subcategories: Vec::new(),
            level,
            basis: "测试".into(),
            source: String::new(),
            responsible: b.officer_a.officer(),
            added_on: date(2026, 1, 1),
            next_review: date(2027, 1, 1),
            status,
            pending: None,
            last_contact: None,
            missed_in_a_row: 0,
            history: lines,
            listed_as: FlagPerson::of(&person),
        },
    );
}

/// The fixture of station A; the expected figures are in the test below, worked out by
/// hand from these lines.
fn fixture() -> Bureau {
    use DisputeStatus::*;
    let b = Bureau::new();
    // The template dispute lies outside every window the tests look at.
    b.clock.set(at(2025, 1, 10, 9, 0));
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let template = register(&b.service, &b.officer_a, "模板纠纷", &[&p, &q], &[]);
    b.clock.set(start_time());
    // D1 (03): reported 2026-10-31T20:00Z = Nov 1 04:00 local; resolved Nov 5 (4 days);
    // deadline Nov 6 met.
    dispute(
        &b,
        &template,
        "03",
        (2026, 11, 1),
        &[
            ("2026-10-31T20:00:00Z", Reported),
            ("2026-11-01T02:00:00Z", Accepted),
            ("2026-11-05T03:00:00Z", Resolved),
        ],
        Some((2026, 11, 6)),
    );
    // D2 (03): reported Oct 31 23:00 local (15:00Z): October. Still mediating past its
    // Nov 5 deadline: overdue in November.
    dispute(
        &b,
        &template,
        "03",
        (2026, 10, 31),
        &[
            ("2026-10-31T15:00:00Z", Reported),
            ("2026-10-31T15:30:00Z", Accepted),
            ("2026-11-01T01:00:00Z", Mediating),
        ],
        Some((2026, 11, 5)),
    );
    // D3 (04): received and referred in November; deadline met.
    dispute(
        &b,
        &template,
        "04",
        (2026, 11, 10),
        &[
            ("2026-11-10T01:00:00Z", Reported),
            ("2026-11-10T02:00:00Z", Accepted),
            ("2026-11-12T01:00:00Z", Referred),
        ],
        Some((2026, 11, 15)),
    );
    // D4 (04): received and resolved in September, reopened in November; its new
    // deadline is today, not yet missed.
    dispute(
        &b,
        &template,
        "04",
        (2026, 9, 1),
        &[
            ("2026-09-01T01:00:00Z", Reported),
            ("2026-09-01T02:00:00Z", Accepted),
            ("2026-09-10T01:00:00Z", Resolved),
            ("2026-11-20T01:00:00Z", Reopened),
        ],
        Some((2026, 11, 25)),
    );
    // D5 (03): received and escalated in November.
    dispute(
        &b,
        &template,
        "03",
        (2026, 11, 2),
        &[
            ("2026-11-02T01:00:00Z", Reported),
            ("2026-11-02T02:00:00Z", Accepted),
            ("2026-11-03T01:00:00Z", Escalated),
        ],
        Some((2026, 11, 7)),
    );
    // D6 (04): received Nov 3, resolved Nov 13 (10 days) — after its Nov 8 deadline.
    dispute(
        &b,
        &template,
        "04",
        (2026, 11, 3),
        &[
            ("2026-11-03T00:00:00Z", Reported),
            ("2026-11-03T01:00:00Z", Accepted),
            ("2026-11-13T00:00:00Z", Resolved),
        ],
        Some((2026, 11, 8)),
    );
    // Visits: officer A owes 4 in November (1 made, 2 missed, 1 pending; 1 cancelled does
    // not count), the colleague 1 (made); one of October is outside.
    visit(&b, &b.officer_a, (2026, 11, 3), VisitStatus::Done);
    visit(&b, &b.officer_a, (2026, 11, 10), VisitStatus::Missed);
    visit(&b, &b.officer_a, (2026, 11, 20), VisitStatus::Scheduled);
    visit(&b, &b.officer_a, (2026, 11, 28), VisitStatus::Scheduled);
    visit(&b, &b.officer_a, (2026, 11, 15), VisitStatus::Cancelled);
    visit(&b, &b.officer_a2, (2026, 11, 5), VisitStatus::Done);
    visit(&b, &b.officer_a2, (2026, 10, 31), VisitStatus::Done);
    // Flags.
    use FlagChangeKind::*;
    flag(
        &b,
        &["drugs"],
        &[
            ("2026-10-05T00:00:00Z", Added, Some(RiskLevel::Yellow)),
            ("2026-11-10T00:00:00Z", LevelChanged, Some(RiskLevel::Red)),
        ],
    );
    flag(
        &b,
        &["drugs", "petition"],
        &[("2026-10-31T20:00:00Z", Added, Some(RiskLevel::Orange))],
    );
    flag(
        &b,
        &["petition"],
        &[
            ("2026-09-01T00:00:00Z", Added, Some(RiskLevel::Blue)),
            ("2026-11-15T00:00:00Z", Removed, None),
        ],
    );
    flag(
        &b,
        &["petition"],
        &[("2026-11-30T17:00:00Z", Added, Some(RiskLevel::Red))],
    );
    flag(
        &b,
        &["drugs"],
        &[
            ("2026-08-01T00:00:00Z", Added, Some(RiskLevel::Red)),
            (
                "2026-11-20T00:00:00Z",
                LevelChanged,
                Some(RiskLevel::Orange),
            ),
        ],
    );
    assert_indexes_ok(b.store());
    b
}

fn counts(s: &beatbook::report::StationStats, category: &str) -> [u32; 6] {
    let c = s
        .disputes
        .by_category
        .iter()
        .find(|c| c.category == category)
        .expect("category row");
    [
        c.received,
        c.resolved,
        c.referred,
        c.escalated,
        c.reopened,
        c.overdue,
    ]
}

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

#[test]
fn refusals_unknown_station_and_future_month() {
    let b = fixture();
    let a = b.station_a.meta.id;
    let snapshot = b.snapshot();
    for session in [&b.officer_a, &b.admin] {
        let e = b.service.station_statistics(session, a, nov()).unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::StatisticsRole(_))),
            "{e:?}"
        );
        assert!(b.service.bureau_statistics(session, nov()).is_err());
    }
    let e = b
        .service
        .station_statistics(&b.chief_b, a, nov())
        .unwrap_err();
    assert!(matches!(
        e,
        ServiceError::Forbidden(Forbidden::OtherStation)
    ));
    let e = b.service.bureau_statistics(&b.chief_a, nov()).unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden(Forbidden::BureauView)));
    let dec = Month::new(2026, 12).expect("month");
    let e = b
        .service
        .station_statistics(&b.chief_a, a, dec)
        .unwrap_err();
    assert!(matches!(e, ServiceError::FutureMonth(_)));
    use beatbook::i18n::Localize;
    assert!(e.localize(Lang::Zh).contains("2026-12"));
    assert!(e.localize(Lang::En).contains("has not begun"));
    let e = b.service.station_by_code_or_name("XX").unwrap_err();
    assert!(e.localize(Lang::Zh).contains("XX"));
    assert_eq!(
        b.service
            .station_by_code_or_name("hx")
            .expect("by code")
            .meta
            .id,
        b.station_b.meta.id
    );
    let e = b
        .service
        .station_statistics(&b.supervisor, Id::new(), nov())
        .unwrap_err();
    assert!(matches!(e, ServiceError::NotFound(_)));
    assert_eq!(b.snapshot(), snapshot, "reading statistics writes nothing");
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
fn report_snapshots_zh_en_md_csv_and_zero_report() {
    let b = fixture();
    let a = Some(b.station_a.meta.id);
    for lang in [Lang::Zh, Lang::En] {
        for format in [Format::Markdown, Format::Csv] {
            let text = b
                .service
                .monthly_report(&b.chief_a, a, nov(), format, lang)
                .expect("report");
            insta::assert_snapshot!(
                format!("report_station_{lang}_{}", format.extension()),
                text
            );
            let text = b
                .service
                .monthly_report(&b.supervisor, None, nov(), format, lang)
                .expect("bureau report");
            insta::assert_snapshot!(format!("report_bureau_{lang}_{}", format.extension()), text);
        }
    }
    let zero = b
        .service
        .monthly_report(
            &b.chief_b,
            Some(b.station_b.meta.id),
            nov(),
            Format::Markdown,
            Lang::Zh,
        )
        .expect("zero report");
    assert!(zero.contains("零报告"), "{zero}");
    let zero_en = b
        .service
        .monthly_report(
            &b.chief_b,
            Some(b.station_b.meta.id),
            nov(),
            Format::Markdown,
            Lang::En,
        )
        .expect("zero report");
    assert!(zero_en.contains("Zero report"), "{zero_en}");
}

#[test]
fn the_report_file_lands_in_the_data_folder() {
    let b = fixture();
    let path = b
        .service
        .write_monthly_report(&b.chief_a, Some(b.station_a.meta.id), nov(), Lang::En)
        .expect("written");
    assert!(path.starts_with(b.dir.path()) || path.to_string_lossy().contains("reports"));
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("Monthly report"));
    assert!(b
        .service
        .write_monthly_report(&b.officer_a, Some(b.station_a.meta.id), nov(), Lang::En)
        .is_err());
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
