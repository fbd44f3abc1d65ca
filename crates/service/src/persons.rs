//! Persons: creating them and showing them with personal data masked.

use super::{Forbidden, Service, ServiceError, Session};
use crate::reading::{check_revision, check_writable};
use beatbook_core::rules::access;
use beatbook_model::{Gender, Id, Meta, Person, PersonDraft, ValidPerson};
use beatbook_store::{AnyRecord, Change, Kind};

/// A person as lists and detail screens show them: ID number and phone masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonCard {
    pub id: Id,
    pub station: Id,
    pub name: String,
    pub gender: Gender,
    pub birth_year: Option<i32>,
    pub village: String,
    pub address: String,
    pub masked_id: String,
    pub masked_phone: String,
}

impl From<&Person> for PersonCard {
    fn from(p: &Person) -> PersonCard {
        PersonCard {
            id: p.meta.id,
            station: p.meta.station,
            name: p.name.clone(),
            gender: p.gender,
            birth_year: p.birth_year(),
            village: p.village.clone(),
            address: p.address.clone(),
            masked_id: p.masked_id(),
            masked_phone: p.masked_phone(),
        }
    }
}

impl Service {
    /// Creates a person in the session's station. A second person with the same ID number
    /// is refused, naming the one already registered.
    pub fn create_person(
        &self,
        session: &Session,
        draft: &PersonDraft,
    ) -> Result<Person, ServiceError> {
        self.authorize(session)?;
        if !access::can_write_station(&session.principal(), session.station) {
            return Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(
                session.role,
            )));
        }
        let valid = draft.validate(self.today())?;
        self.check_id_number_free(session, &valid, None)?;
        let meta = Meta::new(session.station, self.now_utc(), session.officer);
        let person = Person::new(meta, valid);
        let change = self
            .change(session, "person.create")
            .detail(person.name.clone())
            .put(person);
        self.commit_person(&change)
    }

    /// Refuses an ID number that belongs to another person than `this` (a new person:
    /// `None`), naming the one already registered only to someone allowed to read them.
    fn check_id_number_free(
        &self,
        session: &Session,
        valid: &ValidPerson,
        this: Option<Id>,
    ) -> Result<(), ServiceError> {
        let Some(number) = &valid.id_number else {
            return Ok(());
        };
        match self.store.person_by_id_number(number)? {
            Some(existing) if Some(existing.meta.id) != this => {
                if !access::can_read_station(&session.principal(), existing.meta.station) {
                    return Err(ServiceError::DuplicateIdNumberElsewhere);
                }
                Err(ServiceError::DuplicateIdNumber {
                    birth_year: existing.birth_year(),
                    name: existing.name,
                    village: existing.village,
                })
            }
            _ => Ok(()),
        }
    }

    /// Commits a change whose first record is a person, and returns the person as saved.
    fn commit_person(&self, change: &Change) -> Result<Person, ServiceError> {
        match self.store.commit(change)?.into_iter().next() {
            Some(AnyRecord::Person(p)) => Ok(p),
            _ => Err(ServiceError::NotFound(Kind::Person)),
        }
    }

    /// Changes a person's profile (same station, officer or chief); a new ID number must
    /// not belong to someone else.
    pub fn update_person(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        draft: &PersonDraft,
    ) -> Result<Person, ServiceError> {
        self.authorize(session)?;
        let mut person = self.record::<Person>(id)?;
        check_writable(session, person.meta.station)?;
        check_revision(&person, revision)?;
        let valid = draft.validate(self.today())?;
        self.check_id_number_free(session, &valid, Some(id))?;
        person.apply(valid);
        // The flag's copy of the person changes with the person, in the same commit.
        let flag = self
            .store
            .flag_of(id)?
            .and_then(|mut flag| flag.list_person_from(&person).then_some(flag));
        let mut change = self
            .change(session, "person.update")
            .detail(person.name.clone())
            .put(person);
        if let Some(flag) = flag {
            change = change.put(flag);
        }
        self.commit_person(&change)
    }

    /// A person as a draft, unmasked, for the edit form (reading it is audited like a
    /// reveal: the form shows the full ID number and phone).
    pub fn person_draft(
        &self,
        session: &Session,
        id: Id,
    ) -> Result<(PersonDraft, u64), ServiceError> {
        self.authorize(session)?;
        // Scoped and audited like a reveal: the form shows the full numbers.
        self.reveal_person(session, id)?;
        let p = self
            .store
            .get::<Person>(id)?
            .ok_or(ServiceError::NotFound(Kind::Person))?;
        Ok((draft_of(&p), p.meta.revision))
    }

    /// A person the session may read, masked.
    pub fn person_card(&self, session: &Session, id: Id) -> Result<PersonCard, ServiceError> {
        self.authorize(session)?;
        let person = self.readable::<Person>(session, id)?;
        Ok(PersonCard::from(&person))
    }
}

/// A person with the disputes they are party to (the person card).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonOverview {
    pub card: PersonCard,
    pub disputes: Vec<beatbook_store::DisputeSummary>,
}

impl Service {
    /// A person and their disputes (those the session may read), newest first.
    pub fn person_overview(
        &self,
        session: &Session,
        id: Id,
    ) -> Result<PersonOverview, ServiceError> {
        self.authorize(session)?;
        let card = self.person_card(session, id)?;
        let p = session.principal();
        let mut disputes: Vec<_> = self
            .store
            .person_disputes(id)?
            .into_iter()
            .filter(|d| access::can_read_station(&p, d.station))
            .collect();
        // Ids break ties: disputes reported on one day are listed newest registration first
        // (the index order alone would put them oldest first, or shuffle them).
        disputes.sort_by_key(|d| std::cmp::Reverse((d.reported_on, d.id)));
        Ok(PersonOverview { card, disputes })
    }
}

/// A person's stored values as a form types them: the base an edit (the profile form,
/// the agreement's missing particulars) changes.
pub(crate) fn draft_of(p: &Person) -> PersonDraft {
    PersonDraft {
        name: p.name.clone(),
        gender: match p.gender {
            Gender::Male => "男".into(),
            Gender::Female => "女".into(),
            Gender::Unknown => String::new(),
        },
        birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        id_number: p.id_number.clone().map(String::from).unwrap_or_default(),
        phone: p.phone.clone().map(String::from).unwrap_or_default(),
        address: p.address.clone(),
        village: p.village.clone(),
        notes: p.notes.clone(),
        ethnicity: p.ethnicity.clone(),
        occupation: p.occupation.clone(),
    }
}
