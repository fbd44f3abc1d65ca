//! A made dispute's follow-up visits: planned from the resolution, made or missed on
//! past days, rolling on while a high-risk dispute stays open.

use super::*;

impl<'s> Maker<'s> {
    /// The follow-up visits scheduled on resolution at `at`: those due before today made
    /// (now and then missed once and tried again two days later), the last `leave_owed`
    /// of them still owed; then, for a red/orange dispute left with nothing owed, the
    /// rolling weekly visits the service adds after each one.
    pub(super) fn follow_ups(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        d: &mut Dispute,
        times: &mut Times,
        fill: &Fill,
        made: &FollowUps,
    ) -> Vec<Visit> {
        let FollowUps {
            plan,
            leave_owed,
            horizon,
            at,
        } = *made;
        let rhythm = &self.config().rhythm;
        let resolved_on = d.resolution.as_ref().map_or(self.today, |r| r.date);
        let past = plan.iter().filter(|due| **due < self.today).count();
        let make_until = past.saturating_sub(leave_owed);
        let planned = plan.len();
        let (station, officer) = (d.meta.station, d.assigned_to);
        // The dispute as it stands when its follow-ups are planned (`made` changes `d`).
        let planned_for = d.clone();
        let scheduled = |ids: &mut IdSeq, due: NaiveDate, n: usize, at: DateTime<Utc>| {
            let days = (due - resolved_on).num_days();
            let mut meta = Meta::new(station, at, officer);
            meta.id = ids.next();
            Visit::dispute_follow_up(meta, &planned_for, due, days, n)
        };
        let mut plan: Vec<(NaiveDate, usize)> = plan
            .iter()
            .enumerate()
            .map(|(i, due)| (*due, i + 1))
            .collect();
        let mut out: Vec<Visit> = Vec::new();
        let mut i = 0;
        while i < plan.len() {
            let (due, n) = plan[i];
            // Rolling visits are scheduled when the one before is made.
            let scheduled_at = match out.last().and_then(|v| v.completed_at) {
                Some(prev) if i >= planned => prev,
                _ => at,
            };
            let mut visit = scheduled(ids, due, n, scheduled_at);
            let make = if i < planned {
                i < make_until
            } else {
                due < horizon
            };
            if make {
                if rng.u32(0..100) < 7 {
                    // Missed once, tried again two days later (made if that lies before
                    // today, else still owed).
                    let when = times.at(self.service, rng, due);
                    let reason = one(rng, MISSED_REASONS).to_string();
                    visit.status = VisitStatus::Missed;
                    visit.status_reason = reason.clone();
                    visit.completed_at = Some(when);
                    visit
                        .history
                        .push(change(when, officer, VisitChangeKind::Missed, &reason));
                    let retry_due = ahead(due, 2);
                    let mut retry = scheduled(ids, retry_due, n, when);
                    retry.previous_visit = Some(visit.meta.id);
                    visit.next_visit = Some(retry.meta.id);
                    out.push(visit);
                    visit = retry;
                }
                if visit.due < self.today {
                    self.made(rng, times, d, fill, &mut visit);
                }
            }
            out.push(visit);
            i += 1;
            let open = out.iter().any(Visit::is_open);
            let rolling = plan.len() - planned;
            if i == plan.len()
                && !open
                && d.risk.is_high()
                && d.status.is_open()
                && rolling < MAX_ROLLING
            {
                let last = out.iter().filter_map(|v| v.completed_at).max();
                let from = last.map_or(resolved_on, |t| self.local_date(t));
                if let Some(next) = next_high_risk_visit(from, rhythm) {
                    plan.push((next, 0));
                }
            }
        }
        out
    }

    /// Marks `visit` made on its due day, with the dispute learning of the contact.
    pub(super) fn made(
        &self,
        rng: &mut Rng,
        times: &mut Times,
        d: &mut Dispute,
        fill: &Fill,
        visit: &mut Visit,
    ) {
        let when = times.at(self.service, rng, visit.due);
        let outcome = *weighted(
            rng,
            &[
                (VisitOutcome::Stable, 68),
                (VisitOutcome::Improved, 27),
                (VisitOutcome::Worsened, 5),
            ],
        );
        visit.status = VisitStatus::Done;
        visit.outcome = Some(outcome);
        visit.method = if rng.u32(0..100) < 25 {
            VisitMethod::Phone
        } else {
            VisitMethod::InPerson
        };
        visit.agreement_honoured = Some(outcome != VisitOutcome::Worsened);
        visit.notes = if outcome == VisitOutcome::Worsened {
            fill.apply(one::<&str>(rng, NOT_HONOURED))
        } else {
            one(rng, DISPUTE_NOTES).to_string()
        };
        // In person the officer meets every party; a call reaches the one phoned.
        visit.met = Some(if visit.method == VisitMethod::InPerson {
            visit.persons()
        } else {
            visit.subject.person.into_iter().collect()
        });
        visit.completed_at = Some(when);
        visit
            .history
            .push(change(when, visit.assigned_to, VisitChangeKind::Done, ""));
        d.last_contact = d.last_contact.max(Some(self.local_date(when)));
        let next = follow_up_started(d.status);
        push(d, when, visit.assigned_to, next, String::new());
    }
}

pub(crate) fn change(
    at: DateTime<Utc>,
    by: Id,
    kind: VisitChangeKind,
    reason: &str,
) -> VisitChange {
    VisitChange {
        at,
        by,
        kind,
        from_due: None,
        to_due: None,
        reason: reason.to_string(),
    }
}

pub(crate) fn cancel(v: &mut Visit, at: DateTime<Utc>, by: Id, reason: &str) {
    v.status = VisitStatus::Cancelled;
    v.status_reason = reason.to_string();
    v.history
        .push(change(at, by, VisitChangeKind::Cancelled, reason));
}
