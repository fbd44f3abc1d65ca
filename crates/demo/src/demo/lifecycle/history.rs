//! Random dispute histories: a plausible sequence of workflow steps on past days.

use super::*;

/// A random history ending in `status` today: when it was reported and what happened
/// since. Open mediation starts within the last two weeks (so some deadlines are overdue,
/// some due today, most running); follow-ups within the last month; closed and handed
/// over ones reach back `reach_days`.
pub(crate) fn random_history(
    rng: &mut Rng,
    today: NaiveDate,
    status: DisputeStatus,
    reach_days: u64,
) -> (NaiveDate, Vec<Step>) {
    use DisputeStatus as S;
    let reach = reach_days.max(60);
    let accept = |rng: &mut Rng, a: NaiveDate| Step::Accept {
        on: a,
        feedback: a < back(today, 1) || rng.u32(0..100) < 60,
    };
    // Sessions between acceptance and `end`, the last one on `end` with `last`.
    let sessions = |rng: &mut Rng, a: NaiveDate, end: NaiveDate, last: SessionResult| {
        let mut out = Vec::new();
        let span = (end - a).num_days().max(0) as u64;
        if span >= 2 && rng.bool() {
            let mid = ahead(a, rng.u64(0..span));
            out.push(Step::Session {
                on: mid,
                result: if rng.bool() {
                    SessionResult::NoAgreement
                } else {
                    SessionResult::PartialAgreement
                },
            });
        }
        out.push(Step::Session {
            on: end,
            result: last,
        });
        out
    };
    match status {
        S::Reported => (back(today, rng.u64(0..=2)), Vec::new()),
        S::Accepted => {
            let a = back(today, rng.u64(0..=7));
            (back(a, rng.u64(0..=1)), vec![accept(rng, a)])
        }
        S::Mediating => {
            let a = back(today, rng.u64(1..=12));
            let mut steps = vec![accept(rng, a)];
            let last = ahead(a, rng.u64(0..=(today - a).num_days().max(0) as u64));
            steps.extend(sessions(rng, a, last, SessionResult::NoAgreement));
            if rng.u32(0..100) < 20 {
                let approve = match rng.u32(0..10) {
                    0..=4 => Some(true),
                    5..=6 => Some(false),
                    _ => None,
                };
                steps.push(Step::Extension {
                    on: last,
                    days: *one(rng, &[5, 7, 10, 15]),
                    approve,
                });
            }
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Resolved | S::FollowingUp => {
            let resolved = if status == S::Resolved {
                back(today, rng.u64(0..=1))
            } else {
                back(today, rng.u64(2..=28))
            };
            let a = back(resolved, rng.u64(0..=8));
            let mut steps = vec![accept(rng, a)];
            steps.extend(sessions(rng, a, resolved, SessionResult::Agreement));
            steps.push(Step::Resolve {
                on: resolved,
                leave_owed: usize::from(rng.u32(0..100) < 12),
            });
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Closed | S::Reopened => {
            let (lo, hi) = if status == S::Reopened {
                (45, 150)
            } else {
                (45, reach)
            };
            let resolved = back(today, rng.u64(lo..=hi));
            let a = back(resolved, rng.u64(0..=8));
            let mut steps = vec![accept(rng, a)];
            steps.extend(sessions(rng, a, resolved, SessionResult::Agreement));
            steps.push(Step::Resolve {
                on: resolved,
                leave_owed: 0,
            });
            let closed = ahead(resolved, 31 + rng.u64(0..=10)).min(back(today, 3));
            steps.push(Step::Close { on: closed });
            if status == S::Reopened {
                steps.push(Step::Reopen {
                    on: back(today, rng.u64(0..=2)),
                });
            }
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Referred | S::Escalated => {
            let a = back(today, rng.u64(3..=reach));
            let mut steps = vec![accept(rng, a)];
            let handed = ahead(a, rng.u64(1..=8)).min(today);
            if rng.bool() {
                steps.extend(sessions(rng, a, handed, SessionResult::NoAgreement));
            }
            steps.push(Step::HandOver {
                on: handed,
                escalate: status == S::Escalated,
            });
            (back(a, rng.u64(0..=1)), steps)
        }
    }
}

/// `date` moved back `days`, saturating.
pub(crate) fn back(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

/// `date` moved forward `days`, saturating.
pub(crate) fn ahead(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}
