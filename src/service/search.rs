//! Finding persons to pick: an in-memory name index (search::PersonIndex) built once on
//! first use and kept current on every person write — never rebuilt per keystroke.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use crate::model::{Person, Role};
use crate::search::PersonIndex;
use crate::store::Kind;

impl Service {
    /// Runs `f` on the person index, building it from the store the first time.
    fn with_person_index<R>(
        &self,
        f: impl FnOnce(&mut PersonIndex) -> R,
    ) -> Result<R, ServiceError> {
        let mut guard = self.persons.lock().map_err(|_| ServiceError::Poisoned)?;
        if guard.is_none() {
            let mut index = PersonIndex::new();
            for person in self.store.all::<Person>() {
                index.upsert(&person?);
            }
            *guard = Some(index);
        }
        match guard.as_mut() {
            Some(index) => Ok(f(index)),
            None => Err(ServiceError::Poisoned),
        }
    }

    /// Builds the person index now if it is not built yet, so that the first search
    /// does not wait for it (0.9 s over 200,000 persons). The screens call it on a
    /// background thread as they start; it reads the store and serves nothing, so it
    /// takes no session.
    pub fn prepare_person_search(&self) -> Result<(), ServiceError> {
        self.with_person_index(|_| ())
    }

    /// Keeps the index current after a person was written (no-op until first built).
    pub(super) fn index_person(&self, person: &Person) {
        if let Ok(mut guard) = self.persons.lock() {
            if let Some(index) = guard.as_mut() {
                index.upsert(person);
            }
        }
    }

    /// Persons matching `query` (name, pinyin or initials, ID or phone tail, village),
    /// best first. Officers and chiefs search their station; `wide` lets a supervisor
    /// search every station.
    pub fn search_persons(
        &self,
        session: &Session,
        query: &str,
        limit: usize,
        wide: bool,
    ) -> Result<Vec<PersonCard>, ServiceError> {
        self.authorize(session)?;
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        let own = [session.station];
        let stations: Option<&[crate::model::Id]> = if wide && session.role == Role::Supervisor {
            None
        } else {
            Some(&own)
        };
        let hits = self.with_person_index(|index| index.search(query, stations, limit))?;
        let mut cards = Vec::with_capacity(hits.len());
        for hit in hits {
            match self.store.get::<Person>(hit.id)? {
                Some(p) => cards.push(PersonCard::from(&p)),
                None => return Err(ServiceError::NotFound(Kind::Person)),
            }
        }
        Ok(cards)
    }
}
