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
                self.store.visit_summaries(
                    Index::VisitByOfficer,
                    session.officer,
                    VisitStatus::Scheduled,
                    None,
                    until,
                )?
            }
            Scope::Station => {
                if !access::can_read_station(&p, session.station) {
                    return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
                }
                self.store.visit_summaries(
                    Index::VisitByStation,
                    session.station,
                    VisitStatus::Scheduled,
                    None,
                    until,
                )?
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
                        VisitStatus::Scheduled,
                        None,
                        until,
                    )?);
                }
                all
            }
        };
        let mut names = crate::names::Names::default();
        let mut persons: HashMap<Id, PersonSummary> = HashMap::new();
        let mut rows = Vec::with_capacity(visits.len());
        for v in visits {
            let person = match v.person {
                Some(pid) => match persons.get(&pid) {
                    Some(p) => Some(p.clone()),
                    None => {
                        let p = self.person_summary(v.station, pid)?;
                        persons.insert(pid, p.clone());
                        Some(p)
                    }
                },
                None => None,
            };
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
