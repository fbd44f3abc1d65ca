//! The today list: the visits owed and overdue in the session's scope, with the
//! person each is about.

use super::*;

impl Service {
    /// The follow-up list: every owed visit due up to `today + window`, overdue first.
    /// Reads only the (owner, status, due) indexes: cost grows with the list, not with
    /// the station's history.
    pub fn today_list(&self, session: &Session, scope: Scope) -> Result<TodayView, ServiceError> {
        let p = self.authorize(session)?;
        let today = self.today();
        let until = window_end(today, self.settings.today_window_days);
        let visits = match scope {
            Scope::Mine => {
                if session.role == Role::Admin {
                    return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
                }
                self.store
                    .visit_summaries(Index::VisitByOfficer, session.officer, None, until)?
            }
            Scope::Station => {
                if !access::can_read_station(&p, session.station) {
                    return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
                }
                self.store
                    .visit_summaries(Index::VisitByStation, session.station, None, until)?
            }
            Scope::Bureau => {
                if session.role != Role::Supervisor {
                    return Err(ServiceError::Forbidden(Forbidden::BureauView));
                }
                let mut all = Vec::new();
                for station in self.stations()? {
                    all.extend(self.store.visit_summaries(
                        Index::VisitByStation,
                        station.meta.id,
                        None,
                        until,
                    )?);
                }
                all
            }
        };
        let persons =
            self.person_summaries(visits.iter().filter_map(|v| Some((v.station, v.person?))))?;
        let mut names = crate::names::Names::default();
        let mut rows = Vec::with_capacity(visits.len());
        for v in visits {
            let person = v.person.and_then(|pid| persons.get(&pid).cloned());
            let (person_name, village) = person.map(|p| (p.name, p.village)).unwrap_or_default();
            rows.push(TodayRow {
                visit: v.id,
                revision: v.revision,
                due: v.due,
                urgency: urgency(v.due, today),
                days_overdue: days_overdue(v.due, today),
                days_until: (v.due - today).num_days().max(0),
                person_name,
                village,
                purpose_keep: follow_up_day(&v.purpose).to_string(),
                purpose: v.purpose,
                method: v.method,
                officer_name: names.officer(self, v.assigned_to),
                station_name: names.station(self, v.station),
                mine: v.assigned_to == session.officer,
                may_change: access::may_change_visit_of(&p, v.station, v.assigned_to),
            });
        }
        // Index order is by due date already; keep it stable and deterministic.
        rows.sort_by_key(|r| (r.due, r.visit));
        Ok(TodayView {
            today,
            until,
            scope,
            rows,
        })
    }

    /// The summaries of the persons named by (station, person) pairs, read in key order:
    /// one station's persons sit side by side in the index, so reading them sorted
    /// touches each index page once instead of once per row in list order. Today's rows
    /// are about thousands of persons: unsorted, the first Today after opening read
    /// 5,000 index pages from disk (issue 16); the register's parties likewise.
    pub(crate) fn person_summaries(
        &self,
        wanted: impl IntoIterator<Item = (Id, Id)>,
    ) -> Result<HashMap<Id, PersonSummary>, ServiceError> {
        let mut wanted: Vec<(Id, Id)> = wanted.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut out = HashMap::with_capacity(wanted.len());
        for (station, person) in wanted {
            if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(person) {
                slot.insert(self.person_summary(station, person)?);
            }
        }
        Ok(out)
    }

    /// Name and village of a person for a list row: from the station's person index
    /// entry, or (for a person of another station) from the record itself.
    pub(crate) fn person_summary(
        &self,
        station: Id,
        person: Id,
    ) -> Result<PersonSummary, ServiceError> {
        if let Some(summary) = self.store.person_summary(station, person)? {
            return Ok(summary);
        }
        Ok(match self.store.get::<Person>(person)? {
            Some(p) => PersonSummary::of(&p),
            None => PersonSummary {
                name: "?".into(),
                ..PersonSummary::default()
            },
        })
    }
}
