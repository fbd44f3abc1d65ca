use super::*;
use beatbook_core::config::Settings;
use beatbook_model::{Dispute, RiskLevel};
use beatbook_service::{AlertKind, FixedClock, RegisterFilter, RegisterSort, Service};
use beatbook_store::Store;
use std::sync::Arc;

/// A resolved dispute's follow-ups cover both parties, and the ones made in person
/// met both (issue 10); the person screen of the second party lists them too.
#[test]
fn follow_ups_cover_every_party_and_record_who_was_met() {
    use beatbook_model::{Visit, VisitStatus};
    let dir = tempfile::tempdir().expect("tempdir");
    let service = demo_service(dir.path());
    let visits: Vec<Visit> = service
        .store()
        .all::<Visit>()
        .collect::<Result<_, _>>()
        .expect("visits");
    let follow_ups: Vec<&Visit> = visits
        .iter()
        .filter(|v| v.subject.dispute.is_some() && v.parties.len() >= 2)
        .collect();
    assert!(!follow_ups.is_empty(), "follow-ups cover several parties");
    let both_met = follow_ups
        .iter()
        .find(|v| v.status == VisitStatus::Done && v.met.as_ref().is_some_and(|m| m.len() >= 2))
        .expect("a follow-up done with both parties met");
    let second = both_met.parties[1];
    let officer = service.login("officer", DEMO_PASSWORD).expect("officer");
    let detail = service
        .person_detail(&officer, second)
        .expect("second party");
    assert!(detail.visits.iter().any(|v| v.meta.id == both_met.meta.id));
    let problems = service.store().check_indexes().expect("indexes");
    assert!(problems.is_empty(), "{problems:?}");
}

fn demo_service(dir: &std::path::Path) -> Service {
    let store = Store::open(dir).expect("store");
    let clock = FixedClock::parse("2026-11-25T09:00:00+08:00").expect("clock");
    let service = Service::new(store, Arc::new(clock), Settings::default());
    crate::load_demo(&service).expect("demo loads");
    service
}

fn kinds(alerts: &[beatbook_service::DisputeAlert], mine: bool) -> Vec<AlertKind> {
    alerts
        .iter()
        .filter(|a| !mine || a.mine)
        .map(|a| match a.kind {
            AlertKind::DeadlineOverdue { .. } => AlertKind::DeadlineOverdue { days: 0 },
            AlertKind::NoContact { .. } => AlertKind::NoContact { days: 0 },
            k => k,
        })
        .collect()
}

/// Each demo account finds dispute work on Today: the officer deadlines overdue and
/// due within 24 hours, feedback owed and a red dispute without contact; the chief
/// the same for their own disputes, an extension to decide and a dispute to close.
#[test]
fn officer_and_chief_find_their_dispute_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = demo_service(dir.path());
    let officer = service.login("officer", DEMO_PASSWORD).expect("officer");
    let mine = kinds(
        &service.dispute_alerts(&officer, true).expect("alerts"),
        true,
    );
    for want in [
        AlertKind::DeadlineOverdue { days: 0 },
        AlertKind::DeadlineSoon,
        AlertKind::FeedbackDue,
        AlertKind::NoContact { days: 0 },
    ] {
        assert!(mine.contains(&want), "officer lacks {want:?}: {mine:?}");
    }
    let chief = service.login("chief", DEMO_PASSWORD).expect("chief");
    let alerts = service.dispute_alerts(&chief, false).expect("alerts");
    let all = kinds(&alerts, false);
    let own = kinds(&alerts, true);
    for want in [AlertKind::ExtensionPending, AlertKind::Closable] {
        assert!(all.contains(&want), "chief lacks {want:?}: {all:?}");
    }
    for want in [
        AlertKind::DeadlineOverdue { days: 0 },
        AlertKind::DeadlineSoon,
    ] {
        assert!(own.contains(&want), "chief's own lack {want:?}: {own:?}");
    }

    let filter = RegisterFilter {
        all_statuses: true,
        ..Default::default()
    };
    let rows = service
        .dispute_register(&chief, &filter, RegisterSort::Risk)
        .expect("register");
    assert!(rows.iter().any(|r| r.summary.risk == RiskLevel::Red));
    for row in &rows {
        let detail = service
            .dispute_detail(&chief, row.summary.id)
            .expect("detail");
        assert!(detail.parties.len() >= 2, "{}", detail.dispute.title);
        assert_eq!(detail.dispute.history[0].to, DisputeStatus::Reported);
        let d = &detail.dispute;
        if d.status.mediation_running() {
            assert!(d.mediation_deadline >= d.accepted_on);
        }
        if matches!(d.status, DisputeStatus::FollowingUp | DisputeStatus::Closed) {
            assert!(!detail.visits.is_empty(), "{}", d.title);
        }
        if d.status == DisputeStatus::Closed {
            assert_eq!(detail.open_follow_ups, 0, "{}", d.title);
            assert!(d.evaluation.is_some());
        }
    }
    // The recurrence between the same neighbours is red by the implied indicators.
    let recurrence = rows
        .iter()
        .filter_map(|r| service.store().get::<Dispute>(r.summary.id).ok().flatten())
        .find(|d| d.recurrence_of.is_some())
        .expect("a recurrence");
    assert!(recurrence
        .implied_indicators
        .contains(&"repeat_parties".to_string()));
    assert_eq!(recurrence.risk, RiskLevel::Red);
}

/// The watch list of the demo: every level at every station, several categories,
/// one owed rolling visit per flag, and alerts on Today for the officer and the chief
/// (two misses, an overdue review, a watch-listed dispute party); a red flag waits
/// for the chief.
#[test]
fn officer_and_chief_find_their_watch_list_work() {
    use beatbook_model::{AlertReason, WatchFlag};
    use beatbook_service::WatchFilter;
    let dir = tempfile::tempdir().expect("tempdir");
    let service = demo_service(dir.path());
    let officer = service.login("officer", DEMO_PASSWORD).expect("officer");
    let alerts = service.watch_alerts(&officer).expect("alerts");
    let has = |f: &dyn Fn(&AlertReason) -> bool| alerts.iter().any(|a| f(&a.alert.reason));
    assert!(
        has(&|r| matches!(r, AlertReason::MissedVisits { .. })),
        "{alerts:?}"
    );
    assert!(
        has(&|r| matches!(r, AlertReason::ReviewOverdue { .. })),
        "{alerts:?}"
    );
    assert!(
        has(&|r| matches!(r, AlertReason::WatchedPartyInDispute { .. })),
        "{alerts:?}"
    );
    let chief = service.login("chief", DEMO_PASSWORD).expect("chief");
    assert!(service.watch_alerts(&chief).expect("alerts").len() >= alerts.len());
    let rows = service
        .watch_list(&chief, &WatchFilter::default())
        .expect("list");
    assert!(rows.iter().any(|r| r.flag.pending));
    let flags: Vec<WatchFlag> = service
        .store()
        .all::<WatchFlag>()
        .map(|f| f.expect("flag"))
        .collect();
    let stations: std::collections::BTreeSet<Id> = flags.iter().map(|f| f.meta.station).collect();
    for station in stations {
        for level in RiskLevel::ALL {
            assert!(
                flags
                    .iter()
                    .any(|f| f.meta.station == station && f.level == level),
                "{level:?} missing at a station"
            );
        }
    }
    for f in &flags {
        let owed: Vec<_> = service
            .store()
            .person_visit_summaries(f.person)
            .expect("visits")
            .into_iter()
            .filter(|v| v.status == beatbook_model::VisitStatus::Scheduled)
            .filter_map(|v| {
                service
                    .store()
                    .get::<beatbook_model::Visit>(v.id)
                    .ok()
                    .flatten()
            })
            .filter(|v| v.subject.dispute.is_none())
            .collect();
        assert_eq!(owed.len(), 1, "one owed rolling visit per flag");
        assert!(f.last_contact.is_some_and(|d| d < service.today()));
        assert!(f.added_on <= service.today());
    }
    // A dispute with a watch-listed party carries the implied indicator.
    let watched: std::collections::HashSet<Id> = flags.iter().map(|f| f.person).collect();
    let disputes: Vec<Dispute> = service
        .store()
        .all::<Dispute>()
        .map(|d| d.expect("dispute"))
        .filter(|d| d.party_ids().any(|p| watched.contains(&p)))
        .collect();
    assert!(!disputes.is_empty());
    for d in disputes {
        assert!(
            d.implied_indicators.contains(&"watch_list".to_string()),
            "{}",
            d.title
        );
    }
}

/// The shortest time limits a bureau may configure squeeze the scripted story; it
/// still loads, with every history in order and nothing after now.
#[test]
fn the_story_survives_the_shortest_time_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("store");
    let clock = FixedClock::parse("2026-03-01T09:00:00+08:00").expect("clock");
    let now = clock.0.with_timezone(&Utc);
    let mut settings = Settings::default();
    settings.disputes.limits.ordinary_days = 1;
    settings.disputes.limits.complex_days = 1;
    let service = Service::new(store, Arc::new(clock), settings);
    let summary = crate::load_demo(&service).expect("demo loads");
    assert!(summary.disputes >= 60, "{summary:?}");
    for d in service.store().all::<Dispute>() {
        let d = d.expect("dispute");
        assert!(
            d.history.windows(2).all(|w| w[0].at <= w[1].at),
            "{}",
            d.title
        );
        assert!(d.history.iter().all(|h| h.at <= now), "{}", d.title);
        for s in &d.sessions {
            assert!(d.accepted_on.is_some_and(|a| s.date >= a), "{}", d.title);
        }
        if let Some(r) = &d.resolution {
            assert!(d.accepted_on.is_some_and(|a| r.date >= a), "{}", d.title);
        }
    }
}

/// Today reads the register once for a chief's alerts and approvals together; what it
/// shows is exactly what the two reads gave, in both scopes, and an officer gets the
/// alerts with no approvals.
#[test]
fn todays_inbox_is_the_alerts_and_approvals_of_one_register_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = demo_service(dir.path());
    let chief = service.login("chief", DEMO_PASSWORD).expect("chief");
    let approvals = service.approvals(&chief).expect("approvals");
    assert!(
        approvals.len() >= 2,
        "the demo has approvals: {approvals:?}"
    );
    for mine in [false, true] {
        let inbox = service.today_inbox(&chief, mine).expect("inbox");
        assert_eq!(
            inbox.alerts,
            service.dispute_alerts(&chief, mine).expect("alerts"),
            "mine: {mine}"
        );
        assert_eq!(inbox.approvals, approvals);
    }
    let all = service.today_inbox(&chief, false).expect("inbox").alerts;
    let own = service.today_inbox(&chief, true).expect("inbox").alerts;
    assert!(own.len() < all.len(), "the chief's own disputes are fewer");
    let officer = service.login("officer", DEMO_PASSWORD).expect("officer");
    let inbox = service.today_inbox(&officer, true).expect("inbox");
    assert_eq!(
        inbox.alerts,
        service.dispute_alerts(&officer, true).expect("alerts")
    );
    assert!(inbox.approvals.is_empty());
}

/// Today's screen, read on two threads, is what each of its lists reads alone, for every
/// role that has a Today and both scopes; the chief's many watch-list alerts take their
/// levels from the flag rows, as the flags themselves say.
#[test]
fn todays_screen_is_what_each_of_its_lists_reads() {
    use beatbook_service::Scope;
    let dir = tempfile::tempdir().expect("tempdir");
    let service = demo_service(dir.path());
    for user in ["chief", "officer"] {
        let session = service.login(user, DEMO_PASSWORD).expect(user);
        for scope in [Scope::Mine, Scope::Station] {
            let screen = service.today_screen(&session, scope).expect("today");
            assert!(!screen.list.rows.is_empty(), "{user} {scope:?}");
            assert_eq!(
                screen.list,
                service.today_list(&session, scope).expect("list")
            );
            let inbox = service
                .today_inbox(&session, scope == Scope::Mine)
                .expect("inbox");
            assert_eq!(screen.inbox, inbox);
            assert_eq!(
                screen.findings,
                service.today_findings(&session).expect("findings")
            );
            assert_eq!(
                screen.watch_alerts,
                service.watch_alerts(&session).expect("alerts")
            );
            assert_eq!(
                screen.conflicts,
                service.conflicts_to_decide(&session).expect("conflicts")
            );
        }
        let alerts = service.watch_alerts(&session).expect("alerts");
        for row in &alerts {
            let flag = service.store().flag_of(row.alert.person).expect("flag");
            let level = flag.filter(|f| f.is_active()).map(|f| f.level);
            assert_eq!(row.level, level, "{}", row.person_name);
        }
    }
}
