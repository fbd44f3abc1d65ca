//! The clocks of a dispute (GLOSSARY.md, Time limits, Visits): mediation deadline,
//! feedback to the reporting party, follow-up visits after resolution and the contact
//! alert for red and orange disputes.
//!
//! Dates are local calendar days; a deadline runs to the end of its day. All arithmetic is
//! checked: a date past chrono's range saturates at the last representable date instead
//! of panicking, which in practice means "never" for a register kept by people.

use crate::config::{FollowUpRhythm, TimeLimits};
use beatbook_model::{Complexity, RiskLevel};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// `date` plus `days`, saturating at the last representable date.
fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The mediation deadline (调解时限): `ordinary_days` or `complex_days` after the day of
/// acceptance, to the end of that day.
pub fn mediation_deadline(
    accepted_on: NaiveDate,
    complexity: Complexity,
    limits: &TimeLimits,
) -> NaiveDate {
    let days = match complexity {
        Complexity::Ordinary => limits.ordinary_days,
        Complexity::Complex => limits.complex_days,
    };
    add_days(accepted_on, days)
}

/// The deadline after the chief approved an extension of `days`.
pub fn extended_deadline(deadline: NaiveDate, days: u32) -> NaiveDate {
    add_days(deadline, days)
}

/// When feedback to the reporting party is due: `feedback_hours` after acceptance.
pub fn feedback_due(accepted_at: DateTime<Utc>, limits: &TimeLimits) -> DateTime<Utc> {
    TimeDelta::try_hours(i64::from(limits.feedback_hours))
        .and_then(|d| accepted_at.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The follow-up visit dates after resolution on `resolved_on`, sorted, no date twice:
/// the rhythm days, and for red/orange disputes also every `high_risk_every_days` up to
/// the last rhythm day. After that, [`next_high_risk_visit`] keeps a red/orange dispute
/// visited one visit at a time until it is closed.
pub fn follow_up_dates(
    resolved_on: NaiveDate,
    risk: RiskLevel,
    rhythm: &FollowUpRhythm,
) -> Vec<NaiveDate> {
    let mut offsets: Vec<u32> = rhythm.days_after_resolution.clone();
    let last = offsets.iter().copied().max().unwrap_or(0);
    if let Some(every) = high_risk_every(risk, rhythm) {
        // k ≤ last / every keeps k × every ≤ last: no overflow.
        offsets.extend((1..=last / every).map(|k| k * every));
    }
    offsets.sort_unstable();
    offsets.dedup();
    let mut dates: Vec<NaiveDate> = offsets
        .into_iter()
        .map(|d| add_days(resolved_on, d))
        .collect();
    // Saturated dates may collide at the end of the calendar.
    dates.dedup();
    dates
}

/// The extra-visit interval for `risk`, if the rhythm has one and the level needs it.
fn high_risk_every(risk: RiskLevel, rhythm: &FollowUpRhythm) -> Option<u32> {
    rhythm
        .high_risk_every_days
        .filter(|n| *n > 0 && risk.is_high())
}

/// The next rolling visit of a red/orange dispute once the planned visits are used up:
/// `high_risk_every_days` after the `last` visit. `None` when the rhythm has no such
/// visits. (Whether the dispute is red/orange and still open is the caller's check.)
pub fn next_high_risk_visit(last: NaiveDate, rhythm: &FollowUpRhythm) -> Option<NaiveDate> {
    let every = rhythm.high_risk_every_days.filter(|n| *n > 0)?;
    last.checked_add_days(Days::new(u64::from(every)))
}

/// Where a date deadline stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeadlineState {
    /// Past the deadline day by `days` (at least 1).
    Overdue { days: i64 },
    /// Less than 24 hours left: today is the deadline day.
    DueWithin24h,
    /// `days_left` whole days after today (at least 1).
    Running { days_left: i64 },
}

/// Where `deadline` stands at local time `now`. The deadline runs to the end of its day,
/// so less than 24 hours are left exactly when `now` falls on the deadline day.
pub fn deadline_state(deadline: NaiveDate, now: NaiveDateTime) -> DeadlineState {
    let days = (deadline - now.date()).num_days();
    match days {
        d if d < 0 => DeadlineState::Overdue { days: -d },
        0 => DeadlineState::DueWithin24h,
        d => DeadlineState::Running { days_left: d },
    }
}

/// Where the feedback to the reporting party stands, when it is still owed. Hours are
/// rounded up, so "1 hour" covers anything from a second to an hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedbackState {
    /// Past due by `hours` (at least 1).
    Overdue { hours: i64 },
    /// Less than 24 hours left (0 exactly at the due time).
    DueWithin24h { hours_left: i64 },
    /// 24 hours or more left (only when `feedback_hours` exceeds 24).
    Running { hours_left: i64 },
}

/// Hours in `d`, rounded up.
fn ceil_hours(d: TimeDelta) -> i64 {
    let secs = d.num_seconds();
    secs / 3600 + i64::from(secs % 3600 > 0)
}

/// Where feedback due at `due` stands at `now`; `None` once it was `given` (on time or
/// late — the record keeps both times).
pub fn feedback_state(
    due: DateTime<Utc>,
    given: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<FeedbackState> {
    if given.is_some() {
        return None;
    }
    let left = due.signed_duration_since(now);
    Some(if left < TimeDelta::zero() {
        FeedbackState::Overdue {
            hours: ceil_hours(-left),
        }
    } else if left < TimeDelta::hours(24) {
        FeedbackState::DueWithin24h {
            hours_left: ceil_hours(left),
        }
    } else {
        FeedbackState::Running {
            hours_left: ceil_hours(left),
        }
    })
}

/// Whether a red/orange dispute has gone `high_risk_contact_days` or more without a
/// follow-up visit or mediation session. `last_contact` is the latest of either;
/// `reference` (the date accepted, or reported if not yet accepted) stands in when there
/// was none. Whether the dispute is still open is the caller's check.
pub fn needs_contact_alert(
    risk: RiskLevel,
    last_contact: Option<NaiveDate>,
    reference: NaiveDate,
    today: NaiveDate,
    limits: &TimeLimits,
) -> bool {
    let since = last_contact.unwrap_or(reference);
    risk.is_high() && (today - since).num_days() >= i64::from(limits.high_risk_contact_days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn at(date: NaiveDate, h: u32, min: u32, s: u32) -> NaiveDateTime {
        date.and_time(NaiveTime::from_hms_opt(h, min, s).expect("time"))
    }

    fn utc(date: NaiveDate, h: u32, min: u32) -> DateTime<Utc> {
        at(date, h, min, 0).and_utc()
    }

    fn limits() -> TimeLimits {
        TimeLimits {
            ordinary_days: 5,
            complex_days: 15,
            feedback_hours: 24,
            high_risk_contact_days: 3,
            recurrence_window_days: 365,
        }
    }

    fn rhythm() -> FollowUpRhythm {
        FollowUpRhythm {
            days_after_resolution: vec![1, 3, 7, 30],
            high_risk_every_days: Some(7),
        }
    }

    #[test]
    fn shipped_values_match_these_tests() {
        let c = crate::config::DisputeConfig::shipped().expect("shipped");
        assert_eq!(c.limits, limits());
        assert_eq!(c.rhythm, rhythm());
    }

    #[test]
    fn mediation_deadlines_across_month_year_and_leap_days() {
        let one_day = TimeLimits {
            ordinary_days: 1,
            ..limits()
        };
        let cases = [
            (
                d(2026, 1, 28),
                Complexity::Ordinary,
                limits(),
                d(2026, 2, 2),
            ),
            (
                d(2026, 1, 31),
                Complexity::Complex,
                limits(),
                d(2026, 2, 15),
            ),
            (
                d(2026, 1, 31),
                Complexity::Ordinary,
                limits(),
                d(2026, 2, 5),
            ),
            (
                d(2027, 2, 25),
                Complexity::Ordinary,
                limits(),
                d(2027, 3, 2),
            ),
            (
                d(2028, 2, 25),
                Complexity::Ordinary,
                limits(),
                d(2028, 3, 1),
            ),
            (
                d(2028, 2, 28),
                Complexity::Ordinary,
                one_day.clone(),
                d(2028, 2, 29),
            ),
            (d(2027, 2, 28), Complexity::Ordinary, one_day, d(2027, 3, 1)),
            (
                d(2026, 12, 29),
                Complexity::Ordinary,
                limits(),
                d(2027, 1, 3),
            ),
            (
                d(2026, 12, 20),
                Complexity::Complex,
                limits(),
                d(2027, 1, 4),
            ),
            (d(2028, 2, 20), Complexity::Complex, limits(), d(2028, 3, 6)),
            (
                NaiveDate::MAX,
                Complexity::Complex,
                limits(),
                NaiveDate::MAX,
            ),
        ];
        for (accepted, complexity, limits, want) in cases {
            assert_eq!(
                mediation_deadline(accepted, complexity, &limits),
                want,
                "{accepted} {complexity:?}"
            );
        }
        assert_eq!(extended_deadline(d(2028, 2, 26), 3), d(2028, 2, 29));
        assert_eq!(extended_deadline(d(2026, 12, 31), 10), d(2027, 1, 10));
    }

    #[test]
    fn feedback_due_after_the_configured_hours() {
        let cases = [
            (utc(d(2026, 12, 31), 10, 0), 24, utc(d(2027, 1, 1), 10, 0)),
            (utc(d(2028, 2, 28), 23, 30), 24, utc(d(2028, 2, 29), 23, 30)),
            (utc(d(2027, 2, 28), 23, 30), 24, utc(d(2027, 3, 1), 23, 30)),
            (utc(d(2026, 1, 31), 20, 0), 48, utc(d(2026, 2, 2), 20, 0)),
        ];
        for (accepted, hours, want) in cases {
            let l = TimeLimits {
                feedback_hours: hours,
                ..limits()
            };
            assert_eq!(feedback_due(accepted, &l), want, "{accepted}");
        }
        assert_eq!(
            feedback_due(DateTime::<Utc>::MAX_UTC, &limits()),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn follow_up_dates_across_month_year_and_leap_days() {
        use RiskLevel::*;
        let cases: Vec<(NaiveDate, RiskLevel, Vec<NaiveDate>)> = vec![
            (
                d(2026, 1, 31),
                Blue,
                vec![d(2026, 2, 1), d(2026, 2, 3), d(2026, 2, 7), d(2026, 3, 2)],
            ),
            (
                d(2026, 1, 31),
                Yellow,
                vec![d(2026, 2, 1), d(2026, 2, 3), d(2026, 2, 7), d(2026, 3, 2)],
            ),
            (
                d(2026, 1, 31),
                Orange,
                vec![
                    d(2026, 2, 1),
                    d(2026, 2, 3),
                    d(2026, 2, 7),
                    d(2026, 2, 14),
                    d(2026, 2, 21),
                    d(2026, 2, 28),
                    d(2026, 3, 2),
                ],
            ),
            (
                d(2028, 1, 31),
                Blue,
                vec![d(2028, 2, 1), d(2028, 2, 3), d(2028, 2, 7), d(2028, 3, 1)],
            ),
            (
                d(2028, 2, 28),
                Red,
                vec![
                    d(2028, 2, 29),
                    d(2028, 3, 2),
                    d(2028, 3, 6),
                    d(2028, 3, 13),
                    d(2028, 3, 20),
                    d(2028, 3, 27),
                    d(2028, 3, 29),
                ],
            ),
            (
                d(2026, 12, 25),
                Blue,
                vec![
                    d(2026, 12, 26),
                    d(2026, 12, 28),
                    d(2027, 1, 1),
                    d(2027, 1, 24),
                ],
            ),
        ];
        for (resolved, risk, want) in cases {
            assert_eq!(
                follow_up_dates(resolved, risk, &rhythm()),
                want,
                "{resolved} {risk:?}"
            );
        }
    }

    #[test]
    fn follow_up_rhythm_variants() {
        let day0 = d(2026, 3, 1);
        // Weekly visits off: red gets the plain rhythm.
        let off = FollowUpRhythm {
            high_risk_every_days: None,
            ..rhythm()
        };
        assert_eq!(follow_up_dates(day0, RiskLevel::Red, &off).len(), 4);
        let zero = FollowUpRhythm {
            high_risk_every_days: Some(0),
            ..rhythm()
        };
        assert_eq!(follow_up_dates(day0, RiskLevel::Red, &zero).len(), 4);
        // Unsorted days and an interval that lands on rhythm days: sorted, no day twice.
        let odd = FollowUpRhythm {
            days_after_resolution: vec![6, 2],
            high_risk_every_days: Some(2),
        };
        assert_eq!(
            follow_up_dates(day0, RiskLevel::Orange, &odd),
            [d(2026, 3, 3), d(2026, 3, 5), d(2026, 3, 7)]
        );
        // An interval longer than the plan adds nothing inside it.
        let long = FollowUpRhythm {
            days_after_resolution: vec![1, 3],
            high_risk_every_days: Some(7),
        };
        assert_eq!(
            follow_up_dates(day0, RiskLevel::Red, &long),
            [d(2026, 3, 2), d(2026, 3, 4)]
        );
        let empty = FollowUpRhythm {
            days_after_resolution: vec![],
            high_risk_every_days: Some(7),
        };
        assert!(follow_up_dates(day0, RiskLevel::Red, &empty).is_empty());
        // The end of the calendar saturates instead of panicking.
        assert_eq!(
            follow_up_dates(NaiveDate::MAX, RiskLevel::Red, &rhythm()),
            [NaiveDate::MAX]
        );
    }

    #[test]
    fn rolling_high_risk_visit() {
        let cases = [
            (d(2028, 2, 26), Some(7), Some(d(2028, 3, 4))),
            (d(2027, 2, 26), Some(7), Some(d(2027, 3, 5))),
            (d(2026, 12, 28), Some(7), Some(d(2027, 1, 4))),
            (d(2026, 1, 31), Some(14), Some(d(2026, 2, 14))),
            (d(2026, 1, 31), Some(0), None),
            (d(2026, 1, 31), None, None),
            (NaiveDate::MAX, Some(7), None),
        ];
        for (last, every, want) in cases {
            let r = FollowUpRhythm {
                high_risk_every_days: every,
                ..rhythm()
            };
            assert_eq!(next_high_risk_visit(last, &r), want, "{last} {every:?}");
        }
    }

    #[test]
    fn deadline_states() {
        use DeadlineState::*;
        let deadline = d(2028, 2, 29);
        let cases = [
            (at(d(2028, 2, 26), 12, 0, 0), Running { days_left: 3 }),
            (at(d(2028, 2, 28), 0, 0, 0), Running { days_left: 1 }),
            // 24 h and a second left: not yet within 24 h.
            (at(d(2028, 2, 28), 23, 59, 59), Running { days_left: 1 }),
            (at(d(2028, 2, 29), 0, 0, 0), DueWithin24h),
            (at(d(2028, 2, 29), 23, 59, 59), DueWithin24h),
            (at(d(2028, 3, 1), 0, 0, 0), Overdue { days: 1 }),
            (at(d(2028, 3, 5), 9, 0, 0), Overdue { days: 5 }),
        ];
        for (now, want) in cases {
            assert_eq!(deadline_state(deadline, now), want, "{now}");
        }
        // Across a year end.
        assert_eq!(
            deadline_state(d(2026, 12, 31), at(d(2027, 1, 2), 8, 0, 0)),
            Overdue { days: 2 }
        );
        assert_eq!(
            deadline_state(d(2027, 1, 2), at(d(2026, 12, 31), 8, 0, 0)),
            Running { days_left: 2 }
        );
    }

    #[test]
    fn feedback_states() {
        use FeedbackState::*;
        let due = utc(d(2028, 2, 29), 10, 0);
        let secs = |n: i64| due + TimeDelta::seconds(n);
        let cases = [
            (secs(-48 * 3600), Running { hours_left: 48 }),
            (secs(-24 * 3600), Running { hours_left: 24 }),
            (secs(-24 * 3600 + 1), DueWithin24h { hours_left: 24 }),
            (secs(-3600), DueWithin24h { hours_left: 1 }),
            (secs(-1), DueWithin24h { hours_left: 1 }),
            (due, DueWithin24h { hours_left: 0 }),
            (secs(1), Overdue { hours: 1 }),
            (secs(3600), Overdue { hours: 1 }),
            (secs(3601), Overdue { hours: 2 }),
            (utc(d(2028, 3, 1), 10, 0), Overdue { hours: 24 }),
        ];
        for (now, want) in cases {
            assert_eq!(feedback_state(due, None, now), Some(want), "{now}");
        }
        assert_eq!(feedback_state(due, Some(secs(-60)), secs(10 * 3600)), None);
        assert_eq!(feedback_state(due, Some(secs(7200)), secs(10 * 3600)), None);
    }

    #[test]
    fn contact_alerts() {
        use RiskLevel::*;
        let accepted = d(2028, 2, 27);
        let cases = [
            // (risk, last contact, today, alert)
            (Red, None, d(2028, 2, 28), false),
            (Red, None, d(2028, 2, 29), false),
            (Red, None, d(2028, 3, 1), true),
            (Orange, None, d(2028, 3, 1), true),
            (Yellow, None, d(2028, 3, 31), false),
            (Blue, None, d(2028, 3, 31), false),
            (Red, Some(d(2028, 2, 29)), d(2028, 3, 2), false),
            (Red, Some(d(2028, 2, 29)), d(2028, 3, 3), true),
            (Orange, Some(d(2026, 12, 30)), d(2027, 1, 1), false),
            (Orange, Some(d(2026, 12, 30)), d(2027, 1, 2), true),
            // A contact dated after "today" (clock skew) raises nothing.
            (Red, Some(d(2028, 3, 9)), d(2028, 3, 1), false),
        ];
        for (risk, last, today, want) in cases {
            assert_eq!(
                needs_contact_alert(risk, last, accepted, today, &limits()),
                want,
                "{risk:?} {last:?} {today}"
            );
        }
        let one = TimeLimits {
            high_risk_contact_days: 1,
            ..limits()
        };
        assert!(needs_contact_alert(
            Red,
            None,
            accepted,
            d(2028, 2, 28),
            &one
        ));
    }
}
