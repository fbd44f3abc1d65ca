//! Synthetic persons and their visits.

use super::*;

impl Loader<'_> {
    /// Writes the persons, spread evenly over the stations. Returns the persons visits can
    /// be made to (those of stations with officers); when no person is asked for, the
    /// existing persons of such stations. Each target learns its persons (the new ones, or
    /// the existing ones when none is asked for) as dispute parties.
    pub(super) fn seed_persons(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        bulk: &mut Bulk,
        targets: &mut [Target],
        spec: &SeedSpec,
        empty: bool,
    ) -> Result<Vec<(Id, usize)>, ServiceError> {
        let mut visitable = Vec::new();
        if targets.is_empty() {
            return Ok(visitable);
        }
        let today = self.today();
        let now = self.now_utc();
        let mut id_numbers = IdNumbers::default();
        let store = &self.store;
        let mut taken = |number: &str| {
            !empty
                && ResidentId::parse(number)
                    .ok()
                    .and_then(|id| store.person_by_id_number(&id).ok().flatten())
                    .is_some()
        };
        for i in 0..spec.persons {
            let t = i % targets.len();
            let target = &mut targets[t];
            let gender = if rng.bool() {
                Gender::Male
            } else {
                Gender::Female
            };
            let birth = birth_date(rng, today, 18, 85);
            let village = one(rng, &target.villages).clone();
            let mut meta = Meta::new(target.id, now, Id::SYSTEM);
            meta.id = ids.next();
            if !target.officers.is_empty() {
                visitable.push((meta.id, t));
            }
            let full_name = name(rng, gender);
            if spec.disputes > 0 {
                target.people.push((meta.id, mou(&full_name)));
            }
            bulk.push(Person {
                meta,
                name: full_name,
                gender,
                birth_date: Some(birth),
                id_number: id_numbers.make(rng, birth, gender, &mut taken),
                phone: phone(rng),
                address: address(rng, &village),
                village,
                notes: String::new(),
                ethnicity: String::new(),
                occupation: String::new(),
                merged_into: None,
                held_id_number: None,
                merged: Vec::new(),
                merge_request: None,
            })?;
        }
        if spec.persons == 0 {
            for (t, target) in targets.iter_mut().enumerate() {
                if target.officers.is_empty() {
                    continue;
                }
                for id in self.store.station_person_ids(target.id) {
                    let id = id?;
                    visitable.push((id, t));
                    if spec.disputes > 0 {
                        if let Some(p) = self.store.person_summary(target.id, id)? {
                            target.people.push((id, mou(&p.name)));
                        }
                    }
                }
            }
        }
        Ok(visitable)
    }

    /// One synthetic visit: three in four in the past year (done or missed), one in a
    /// hundred overdue, the rest owed over the coming year.
    pub(crate) fn seed_visit(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        station: Id,
        officer: Id,
        person: Id,
    ) -> Visit {
        let today = self.today();
        let now = self.now_utc();
        let roll = rng.u32(0..1000);
        let (due, status) = match roll {
            0..=749 => {
                let due = days_from(today, -rng.i64(1..=365));
                let status = if rng.u32(0..100) < 85 {
                    VisitStatus::Done
                } else {
                    VisitStatus::Missed
                };
                (due, status)
            }
            750..=759 => (days_from(today, -rng.i64(1..=30)), VisitStatus::Scheduled),
            _ => (days_from(today, rng.i64(0..365)), VisitStatus::Scheduled),
        };
        let scheduled_at = self.local_time(days_from(due, -14), 9, 0).min(now);
        let mut recorded = None;
        let mut completed_at: Option<DateTime<Utc>> = None;
        let (mut outcome, mut notes, mut reason) = (None, String::new(), String::new());
        match status {
            VisitStatus::Done => {
                outcome = Some(if rng.u32(0..10) < 7 {
                    VisitOutcome::Stable
                } else {
                    VisitOutcome::Improved
                });
                notes = one(rng, DONE_NOTES).to_string();
            }
            VisitStatus::Missed => reason = "电话关机，联系不上".to_string(),
            _ => {}
        }
        if status != VisitStatus::Scheduled {
            let at = self.local_time(due, 10, rng.u32(0..60)).min(now);
            completed_at = Some(at);
            recorded = Some(VisitChange {
                at,
                by: officer,
                kind: if status == VisitStatus::Done {
                    VisitChangeKind::Done
                } else {
                    VisitChangeKind::Missed
                },
                from_due: None,
                to_due: None,
                reason: reason.clone(),
            });
        }
        let mut meta = Meta::new(station, scheduled_at, officer);
        meta.id = ids.next();
        let subject = VisitSubject {
            person: Some(person),
            dispute: None,
        };
        let purpose = one(rng, RHYTHMS).purpose;
        let mut visit = Visit::planned(meta, subject, officer, due, purpose);
        visit.history.extend(recorded);
        visit.status = status;
        visit.outcome = outcome;
        visit.notes = notes;
        visit.completed_at = completed_at;
        visit.status_reason = reason;
        visit
    }
}

/// `date` moved by `days` (negative: back), saturating at the calendar's ends.
pub(crate) fn days_from(date: NaiveDate, days: i64) -> NaiveDate {
    let n = Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    };
    moved.unwrap_or(date)
}
