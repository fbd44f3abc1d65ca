use super::*;
use FlagAction::*;
use RiskLevel::{Blue, Orange, Red, Yellow};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn config() -> WatchConfig {
    WatchConfig::shipped().expect("shipped")
}

#[test]
fn approvals_for_every_level_change_and_role() {
    // Exactly these need the chief: red lowered by anyone but the chief.
    const CHIEF_MUST: &[(RiskLevel, RiskLevel, Role)] = &[
        (Red, Orange, Role::Officer),
        (Red, Yellow, Role::Officer),
        (Red, Blue, Role::Officer),
        (Red, Orange, Role::Supervisor),
        (Red, Yellow, Role::Supervisor),
        (Red, Blue, Role::Supervisor),
        (Red, Orange, Role::Admin),
        (Red, Yellow, Role::Admin),
        (Red, Blue, Role::Admin),
    ];
    let mut must = 0;
    for from in RiskLevel::ALL {
        for to in RiskLevel::ALL {
            for role in Role::ALL {
                let want = if CHIEF_MUST.contains(&(from, to, role)) {
                    must += 1;
                    Approval::ChiefMust
                } else {
                    Approval::NotNeeded
                };
                assert_eq!(
                    approval_for_level_change(from, to, role),
                    want,
                    "{from:?} → {to:?} by {role:?}"
                );
            }
        }
    }
    assert_eq!(must, CHIEF_MUST.len());
}

#[test]
fn approvals_for_every_removal_and_role() {
    let cases = [
        (Red, Role::Officer, Approval::ChiefMust),
        (Red, Role::Chief, Approval::NotNeeded),
        (Red, Role::Supervisor, Approval::ChiefMust),
        (Red, Role::Admin, Approval::ChiefMust),
        (Orange, Role::Officer, Approval::NotNeeded),
        (Orange, Role::Chief, Approval::NotNeeded),
        (Orange, Role::Supervisor, Approval::NotNeeded),
        (Orange, Role::Admin, Approval::NotNeeded),
        (Yellow, Role::Officer, Approval::NotNeeded),
        (Yellow, Role::Chief, Approval::NotNeeded),
        (Yellow, Role::Supervisor, Approval::NotNeeded),
        (Yellow, Role::Admin, Approval::NotNeeded),
        (Blue, Role::Officer, Approval::NotNeeded),
        (Blue, Role::Chief, Approval::NotNeeded),
        (Blue, Role::Supervisor, Approval::NotNeeded),
        (Blue, Role::Admin, Approval::NotNeeded),
    ];
    assert_eq!(cases.len(), RiskLevel::ALL.len() * Role::ALL.len());
    for (level, role, want) in cases {
        assert_eq!(
            approval_for_removal(level, role),
            want,
            "{level:?} {role:?}"
        );
    }
}

#[test]
fn roles() {
    let cases: &[(Role, &[FlagAction])] = &[
        (Role::Chief, &FlagAction::ALL),
        (
            Role::Officer,
            &[
                Add,
                ChangeLevel,
                ChangeDetails,
                RequestRemoval,
                Review,
                Acknowledge,
            ],
        ),
        (Role::Supervisor, &[]),
        (Role::Admin, &[]),
    ];
    for (role, may) in cases {
        for action in FlagAction::ALL {
            assert_eq!(
                role_may(*role, action),
                may.contains(&action),
                "{role:?} {action:?}"
            );
        }
    }
    let with_reason: Vec<_> = FlagAction::ALL
        .into_iter()
        .filter(|a| a.needs_reason())
        .collect();
    assert_eq!(with_reason, [ChangeLevel, RequestRemoval]);
}

fn flag(level: RiskLevel, active: bool, pending: bool) -> FlagState {
    FlagState {
        level,
        active,
        pending,
    }
}

#[test]
fn level_change_checks_in_order() {
    use WatchRefusal::*;
    let ok = flag(Red, true, false);
    let cases = [
        (Role::Officer, ok, Blue, "稳定", Ok(Approval::ChiefMust)),
        (Role::Chief, ok, Blue, "稳定", Ok(Approval::NotNeeded)),
        (
            Role::Officer,
            flag(Yellow, true, false),
            Red,
            "扬言报复",
            Ok(Approval::NotNeeded),
        ),
        (
            Role::Officer,
            flag(Orange, true, false),
            Blue,
            "稳定",
            Ok(Approval::NotNeeded),
        ),
        (Role::Officer, ok, Blue, " \t", Err(ReasonRequired)),
        (Role::Officer, ok, Red, "", Err(SameLevel)),
        (
            Role::Officer,
            flag(Red, true, true),
            Red,
            "",
            Err(PendingExists),
        ),
        (
            Role::Chief,
            flag(Red, true, true),
            Blue,
            "x",
            Err(PendingExists),
        ),
        (
            Role::Officer,
            flag(Red, false, true),
            Red,
            "",
            Err(NotActive),
        ),
        (
            Role::Supervisor,
            flag(Red, false, true),
            Red,
            "",
            Err(RoleMayNot {
                action: ChangeLevel,
                role: Role::Supervisor,
            }),
        ),
    ];
    for (role, state, to, reason, want) in cases {
        assert_eq!(
            check_level_change(role, state, to, reason),
            want,
            "{role:?} {state:?} → {to:?} {reason:?}"
        );
    }
}

#[test]
fn removal_and_decision_checks() {
    use WatchRefusal::*;
    let cases = [
        (
            Role::Officer,
            flag(Red, true, false),
            "迁出",
            Ok(Approval::ChiefMust),
        ),
        (
            Role::Chief,
            flag(Red, true, false),
            "迁出",
            Ok(Approval::NotNeeded),
        ),
        (
            Role::Officer,
            flag(Blue, true, false),
            "迁出",
            Ok(Approval::NotNeeded),
        ),
        (
            Role::Officer,
            flag(Blue, true, false),
            "",
            Err(ReasonRequired),
        ),
        (
            Role::Officer,
            flag(Red, true, true),
            "迁出",
            Err(PendingExists),
        ),
        (Role::Chief, flag(Red, false, false), "迁出", Err(NotActive)),
        (
            Role::Admin,
            flag(Blue, true, false),
            "迁出",
            Err(RoleMayNot {
                action: RequestRemoval,
                role: Role::Admin,
            }),
        ),
    ];
    for (role, state, reason, want) in cases {
        assert_eq!(
            check_removal(role, state, reason),
            want,
            "{role:?} {state:?}"
        );
    }
    let cases = [
        (Role::Chief, flag(Red, true, true), Ok(())),
        (Role::Chief, flag(Red, true, false), Err(NothingPending)),
        (Role::Chief, flag(Red, false, true), Err(NotActive)),
        (
            Role::Officer,
            flag(Red, true, true),
            Err(RoleMayNot {
                action: Decide,
                role: Role::Officer,
            }),
        ),
    ];
    for (role, state, want) in cases {
        assert_eq!(check_decision(role, state), want, "{role:?} {state:?}");
    }
}

#[test]
fn refusals_in_both_languages() {
    let r = WatchRefusal::RoleMayNot {
        action: Decide,
        role: Role::Officer,
    };
    assert_eq!(
        r.localize(Lang::En),
        "not allowed: an officer may not approve or reject a request; ask the chief."
    );
    assert_eq!(
        r.localize(Lang::Zh),
        "无权限：民警不能审批申请，请所长处理。"
    );
    assert_eq!(r.to_string(), r.localize(Lang::En));
    let cases = [
        (Role::Chief, "所长", "a chief may not"),
        (
            Role::Supervisor,
            "法制监督",
            "supervisors read the watch list",
        ),
        (
            Role::Admin,
            "管理员",
            "administrators do not handle the watch list",
        ),
    ];
    for (role, zh, en) in cases {
        let r = WatchRefusal::RoleMayNot { action: Add, role };
        assert!(r.localize(Lang::En).contains(en), "{r}");
        let z = r.localize(Lang::Zh);
        assert!(z.contains(zh) && z.contains("列管人员"), "{z}");
    }
    let others = [
        (WatchRefusal::ReasonRequired, "原因", "reason"),
        (WatchRefusal::SameLevel, "等级", "level"),
        (WatchRefusal::PendingExists, "审批", "waiting"),
        (WatchRefusal::NothingPending, "审批", "no request"),
        (WatchRefusal::NotActive, "撤销", "removed"),
    ];
    for (r, zh, en) in others {
        assert!(r.localize(Lang::Zh).contains(zh), "{:?}", r);
        assert!(r.localize(Lang::En).contains(en), "{r}");
        assert!(r.localize(Lang::En).is_ascii());
        let e: &dyn std::error::Error = &r;
        assert_eq!(e.to_string(), r.localize(Lang::En));
    }
    for a in FlagAction::ALL {
        assert!(!a.localize(Lang::Zh).is_empty());
        assert!(a.localize(Lang::En).is_ascii());
    }
}

#[test]
fn next_visit_by_level_from_last_contact_or_added() {
    let c = config();
    let added = d(2028, 1, 2);
    let cases = [
        // (level, last contact, today, due)
        (Red, None, d(2028, 1, 2), d(2028, 1, 9)),
        (Orange, None, d(2028, 1, 2), d(2028, 1, 16)),
        (Yellow, None, d(2028, 1, 2), d(2028, 2, 1)),
        (Blue, None, d(2028, 1, 2), d(2028, 4, 1)),
        (Red, Some(d(2027, 12, 25)), d(2027, 12, 25), d(2028, 1, 1)),
        (Red, Some(d(2028, 2, 22)), d(2028, 2, 22), d(2028, 2, 29)),
        (Orange, Some(d(2028, 2, 15)), d(2028, 2, 16), d(2028, 2, 29)),
        (Yellow, Some(d(2028, 2, 1)), d(2028, 2, 1), d(2028, 3, 2)),
        (Yellow, Some(d(2027, 2, 1)), d(2027, 2, 1), d(2027, 3, 3)),
        (Blue, Some(d(2027, 11, 5)), d(2027, 11, 5), d(2028, 2, 3)),
        // The contact wins over the day added, even when it came first.
        (Blue, Some(d(2027, 12, 1)), d(2028, 1, 2), d(2028, 2, 29)),
        // Never before today: overdue rhythms are owed today.
        (Red, None, d(2028, 1, 10), d(2028, 1, 10)),
        (Red, Some(d(2028, 1, 20)), d(2028, 3, 1), d(2028, 3, 1)),
        (Blue, Some(d(2027, 1, 1)), d(2028, 1, 2), d(2028, 1, 2)),
        // Exactly on the rhythm day: that day.
        (Red, Some(d(2028, 1, 20)), d(2028, 1, 27), d(2028, 1, 27)),
        // A contact dated after today (clock skew) still counts from the contact.
        (Red, Some(d(2028, 1, 20)), d(2028, 1, 5), d(2028, 1, 27)),
    ];
    for (level, last, today, want) in cases {
        assert_eq!(
            next_visit_due(level, last, added, today, &c),
            want,
            "{level:?} {last:?} {today}"
        );
    }
    // The end of the calendar saturates instead of panicking.
    assert_eq!(
        next_visit_due(Blue, Some(NaiveDate::MAX), added, added, &c),
        NaiveDate::MAX
    );
}

#[test]
fn a_changed_rhythm_moves_the_visit() {
    let mut c = config();
    c.rhythm.red_days = 5;
    assert_eq!(
        next_visit_due(Red, None, d(2028, 2, 26), d(2028, 2, 26), &c),
        d(2028, 3, 2)
    );
}

#[test]
fn reviews_across_month_ends_and_leap_years() {
    let c = config();
    let cases = [
        (Red, d(2028, 1, 31), d(2028, 3, 1)),
        (Red, d(2027, 1, 31), d(2027, 3, 2)),
        (Red, d(2028, 1, 30), d(2028, 2, 29)),
        (Orange, d(2027, 12, 31), d(2028, 2, 29)),
        (Yellow, d(2028, 2, 29), d(2028, 5, 29)),
        (Yellow, d(2027, 11, 30), d(2028, 2, 28)),
        (Blue, d(2027, 9, 1), d(2028, 2, 28)),
        (Blue, d(2028, 8, 31), d(2029, 2, 27)),
        (Blue, NaiveDate::MAX, NaiveDate::MAX),
    ];
    for (level, from, want) in cases {
        assert_eq!(next_review(level, from, &c), want, "{level:?} {from}");
    }
}

#[test]
fn review_due_and_overdue() {
    let review = d(2028, 2, 29);
    let cases = [
        (d(2028, 2, 1), false, None),
        (d(2028, 2, 28), false, None),
        (d(2028, 2, 29), true, None),
        (d(2028, 3, 1), true, Some(1)),
        (d(2028, 3, 31), true, Some(31)),
        (d(2029, 2, 28), true, Some(365)),
    ];
    for (today, due, overdue) in cases {
        assert_eq!(review_due(review, today), due, "{today}");
        assert_eq!(review_overdue(review, today), overdue, "{today}");
    }
    assert_eq!(review_overdue(d(2026, 12, 31), d(2027, 1, 2)), Some(2));
    assert_eq!(review_overdue(NaiveDate::MAX, NaiveDate::MIN), None);
}

#[test]
fn missed_visits_in_a_row() {
    let c = config();
    // (outcome missed?, count after, alert now) applied in sequence from 0.
    let steps = [
        (true, 1, false),
        (false, 0, false),
        (true, 1, false),
        (true, 2, true),
        (true, 3, false),
        (true, 4, false),
        (false, 0, false),
        (true, 1, false),
        (true, 2, true),
    ];
    let mut count = 0;
    for (i, (missed, want_count, want_alert)) in steps.into_iter().enumerate() {
        let (n, alert) = after_visit(count, missed, &c);
        assert_eq!((n, alert), (want_count, want_alert), "step {i}");
        count = n;
    }
    let mut one = config();
    one.missed_in_a_row_alert = 1;
    assert_eq!(after_visit(0, true, &one), (1, true));
    assert_eq!(after_visit(1, true, &one), (2, false));
    let mut three = config();
    three.missed_in_a_row_alert = 3;
    assert_eq!(after_visit(1, true, &three), (2, false));
    assert_eq!(after_visit(2, true, &three), (3, true));
    // Saturates instead of wrapping round to an alert.
    assert_eq!(after_visit(u32::MAX, true, &c), (u32::MAX, false));
    assert_eq!(after_visit(u32::MAX, false, &c), (0, false));
}

#[test]
fn repeat_dispute_window_edges() {
    let c = config();
    let today = d(2026, 3, 1);
    let edge = d(2025, 3, 1); // 365 days back
    let cases: Vec<(Vec<NaiveDate>, bool)> = vec![
        (vec![], false),
        (vec![today], false),
        (vec![today, today], true),
        (vec![edge, today], true),
        (vec![d(2025, 2, 28), today], false),
        (vec![edge, edge], true),
        (vec![d(2025, 6, 1), d(2025, 9, 1)], true),
        (vec![d(2024, 1, 1), d(2025, 1, 1), d(2025, 12, 1)], false),
        (vec![d(2024, 1, 1), d(2025, 12, 1), d(2026, 2, 28)], true),
        // Dated after today (clock skew, a typo): outside the window.
        (vec![today, d(2026, 3, 2)], false),
    ];
    for (dates, want) in cases {
        assert_eq!(repeat_disputes(&dates, today, &c), want, "{dates:?}");
    }
    // Across a leap day: 365 days before 2028-03-01 is 2027-03-02.
    let today = d(2028, 3, 1);
    assert!(repeat_disputes(&[d(2027, 3, 2), today], today, &c));
    assert!(!repeat_disputes(&[d(2027, 3, 1), today], today, &c));
    let mut short = config();
    short.repeat_dispute_window_days = 30;
    assert!(repeat_disputes(&[d(2028, 1, 31), today], today, &short));
    assert!(!repeat_disputes(&[d(2028, 1, 30), today], today, &short));
    assert!(repeat_disputes(
        &[NaiveDate::MIN, NaiveDate::MIN],
        NaiveDate::MIN,
        &c
    ));
}
