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

mod figures;
mod report;
mod trend;

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
