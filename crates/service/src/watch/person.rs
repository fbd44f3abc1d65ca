//! The person screen: a listed (or any readable) person with flag, disputes, visits
//! and alerts, and the audited reveal of the unmasked ID number and phone.

use super::*;

impl Service {
    /// Everything about a person the session may read: profile (masked), flag with its
    /// history, disputes, visits, open alerts.
    pub fn person_detail(&self, session: &Session, id: Id) -> Result<PersonDetail, ServiceError> {
        self.authorize(session)?;
        let person = self.readable::<Person>(session, id)?;
        let flag = self.store.flag_of(id)?;
        let flag_officer = match &flag {
            Some(f) => match self.store.get::<Officer>(f.responsible)? {
                Some(o) => o.display_name,
                None => "?".into(),
            },
            None => String::new(),
        };
        let overview = self.person_overview(session, id)?;
        let mut visits = Vec::new();
        for s in self.store.person_visit_summaries(id)? {
            if let Some(v) = self.store.get::<Visit>(s.id)? {
                visits.push(v);
            }
        }
        visits.sort_by_key(|v| std::cmp::Reverse((v.due, v.meta.id)));
        let alerts = self
            .store
            .station_alerts(person.meta.station, true)?
            .into_iter()
            .filter(|a| a.person == id)
            .collect();
        Ok(PersonDetail {
            card: PersonCard::from(&person),
            notes: person.notes.clone(),
            flag,
            flag_officer,
            disputes: overview.disputes,
            visits,
            alerts,
        })
    }

    /// The unmasked ID number and phone of one person, for someone allowed to read them;
    /// every reveal is written to the audit log (who, when, whose).
    pub fn reveal_person(&self, session: &Session, id: Id) -> Result<Revealed, ServiceError> {
        self.authorize(session)?;
        let person = self.readable::<Person>(session, id)?;
        let change = self
            .change(session, "person.reveal")
            .station(person.meta.station)
            .detail(format!("revealed ID number and phone of person {id}"));
        self.store.commit(&change)?;
        Ok(Revealed {
            id_number: person.id_number.map(String::from).unwrap_or_default(),
            phone: person.phone.map(String::from).unwrap_or_default(),
        })
    }
}
