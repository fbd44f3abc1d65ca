//! Scheduling a visit by hand, and the officers it may be assigned to.

use super::*;

impl Service {
    /// Officers of the session's station who can be assigned visits.
    pub fn station_officers(&self, session: &Session) -> Result<Vec<OfficerOption>, ServiceError> {
        self.authorize(session)?;
        let mut out = Vec::new();
        for officer in self.store.all::<Officer>() {
            let o = officer?;
            if o.meta.station == session.station
                && o.active
                && matches!(o.role, Role::Officer | Role::Chief)
            {
                out.push(OfficerOption {
                    id: o.meta.id,
                    display_name: o.display_name,
                    role: o.role,
                });
            }
        }
        Ok(out)
    }

    /// Schedules a new visit to a person of the session's station.
    pub fn schedule_visit(
        &self,
        session: &Session,
        form: &NewVisitForm,
    ) -> Result<Visit, ServiceError> {
        let p = self.authorize(session)?;
        if !access::can_write_station(&p, session.station) {
            return Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(
                session.role,
            )));
        }
        let person_id = form
            .person
            .ok_or(ValidationError::Required(Field::Person))?;
        let person = self
            .store
            .get::<Person>(person_id)?
            .ok_or(ServiceError::NotFound(Kind::Person))?;
        if person.meta.station != session.station {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        let today = self.today();
        let due = parse_date_input(Field::DueDate, &form.due, today)?;
        if due < today {
            return Err(ValidationError::DateInPast {
                field: Field::DueDate,
            }
            .into());
        }
        let purpose = clean(Field::Purpose, &form.purpose, limits::SHORT, true, false)?;
        let notes = clean(Field::Notes, &form.notes, limits::NOTES, false, true)?;
        let assignee = form.assigned_to.unwrap_or(session.officer);
        if !access::can_assign_visit(&p, assignee) {
            return Err(ServiceError::Forbidden(Forbidden::AssignOthers));
        }
        match self.store.get::<Officer>(assignee)? {
            Some(o)
                if o.active
                    && o.meta.station == session.station
                    && matches!(o.role, Role::Officer | Role::Chief) => {}
            _ => return Err(ServiceError::BadAssignee),
        }
        if let Some(dispute) = form.dispute {
            match self.store.get::<beatbook_model::Dispute>(dispute)? {
                Some(d) if d.meta.station == session.station => {}
                Some(_) => return Err(ServiceError::Forbidden(Forbidden::OtherStation)),
                None => return Err(ServiceError::NotFound(Kind::Dispute)),
            }
        }
        let meta = Meta::new(session.station, self.now_utc(), session.officer);
        let subject = VisitSubject {
            person: Some(person_id),
            dispute: form.dispute,
        };
        let visit = Visit::planned(meta, subject, assignee, due, purpose)
            .with_method(form.method)
            .with_notes(notes);
        let change = self
            .change(session, "visit.schedule")
            .detail(format!("visit to {} due {due}", person.name))
            .put(visit);
        self.single_visit(self.store.commit(&change)?)
    }
}
