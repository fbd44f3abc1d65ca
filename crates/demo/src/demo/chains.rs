//! A demo person and the chain of visits planned for them, linked previous/next, with
//! the history of who scheduled and recorded each.

use super::*;

impl Loader<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn demo_person(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        id_numbers: &mut IdNumbers,
        plan: &StationPlan,
        station: Id,
        topic: &Option<Topic>,
    ) -> Result<Person, ServiceError> {
        let today = self.today();
        let (ages, notes) = match topic {
            Some(Topic::Rhythm(r)) => (r.ages, one(rng, r.person_notes).to_string()),
            Some(Topic::Party) => ((20, 75), String::new()),
            None => ((18, 82), String::new()),
        };
        let gender = if rng.u32(0..100) < 56 {
            Gender::Male
        } else {
            Gender::Female
        };
        let birth = birth_date(rng, today, ages.0, ages.1);
        let village = one(rng, plan.villages).to_string();
        let id_number = if rng.u32(0..100) < 96 {
            id_numbers.make(rng, birth, gender, &mut |_| false)
        } else {
            None
        };
        let adult = ages.0 >= 18;
        let phone = if rng.u32(0..100) < if adult { 92 } else { 35 } {
            phone(rng)
        } else {
            None
        };
        let created = self.now_utc() - TimeDelta::days(rng.i64(70..900));
        let mut meta = Meta::new(station, created, Id::SYSTEM);
        meta.id = ids.next();
        Ok(Person {
            meta,
            name: name(rng, gender),
            gender,
            birth_date: Some(birth),
            id_number,
            phone,
            address: address(rng, &village),
            village,
            notes,
            ethnicity: String::new(),
            occupation: String::new(),
            merged_into: None,
            held_id_number: None,
            merged: Vec::new(),
            merge_request: None,
        })
    }

    /// The visit records of a planned chain, linked previous/next, with a history that
    /// says who scheduled and recorded each.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn chain_records(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        station: Id,
        officer: Id,
        person: Id,
        person_created: DateTime<Utc>,
        planned: &[Planned],
    ) -> Vec<Visit> {
        let now = self.now_utc();
        let visit_ids: Vec<Id> = planned.iter().map(|_| ids.next()).collect();
        let first_scheduled = planned
            .first()
            .map(|p| self.local_time(p.due - Days::new(14), 9, 0))
            .unwrap_or(now)
            .max(person_created);
        let mut scheduled_at = first_scheduled.min(now);
        let mut out = Vec::with_capacity(planned.len());
        for (i, p) in planned.iter().enumerate() {
            let mut meta = Meta::new(station, scheduled_at, officer);
            meta.id = visit_ids[i];
            let original_due = p.rescheduled_from.unwrap_or(p.due);
            let subject = VisitSubject {
                person: Some(person),
                dispute: None,
            };
            // Planned for the original date; a reschedule below moves it.
            let planned = Visit::planned(meta, subject, officer, original_due, p.purpose.clone());
            let mut history = planned.history.clone();
            let mut completed_at = None;
            match p.status {
                VisitStatus::Done | VisitStatus::Missed => {
                    let at = self
                        .local_time(p.due, rng.u32(9..18), rng.u32(0..60))
                        .max(scheduled_at)
                        .min(now);
                    completed_at = Some(at);
                    history.push(VisitChange {
                        at,
                        by: officer,
                        kind: if p.status == VisitStatus::Done {
                            VisitChangeKind::Done
                        } else {
                            VisitChangeKind::Missed
                        },
                        from_due: None,
                        to_due: None,
                        reason: p.reason.clone(),
                    });
                }
                _ => {
                    if let Some(from) = p.rescheduled_from {
                        history.push(VisitChange {
                            at: (scheduled_at + TimeDelta::hours(20)).min(now),
                            by: officer,
                            kind: VisitChangeKind::Rescheduled,
                            from_due: Some(from),
                            to_due: Some(p.due),
                            reason: p.reason.clone(),
                        });
                    }
                }
            }
            out.push(Visit {
                due: p.due,
                method: p.method,
                status: p.status,
                outcome: p.outcome,
                agreement_honoured: p.agreement_honoured,
                notes: p.notes.clone(),
                completed_at,
                status_reason: p.reason.clone(),
                next_visit: visit_ids.get(i + 1).copied(),
                previous_visit: i.checked_sub(1).map(|j| visit_ids[j]),
                history,
                ..planned
            });
            if let Some(at) = completed_at {
                scheduled_at = at;
            }
        }
        out
    }
}
