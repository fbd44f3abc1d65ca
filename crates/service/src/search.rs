//! Finding persons to pick: an in-memory name index (search::PersonIndex) that follows
//! the store's change log.
//!
//! The index remembers the change-log sequence it reflects; before every search it reads
//! the persons written since (one counter read when nothing changed). So every write that
//! adds or changes a person reaches the search — a profile edit, an inline creation, an
//! import, the demo data loaded on the first run, and later data arriving from the hub —
//! without each write path having to remember to tell the index.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use beatbook_core::search::PersonIndex;
use beatbook_model::{Id, Person, PersonSearchKeys, Role};
use beatbook_store::{Kind, StoreError};
use std::collections::BTreeSet;

/// Past this many change-log entries to read, building the index anew is cheaper than
/// catching up entry by entry (a large import or the demo data).
const REBUILD_AFTER_CHANGES: u64 = 50_000;

/// The person index, the stations it holds and how far into the change log it is current.
#[derive(Debug, Default)]
pub(super) struct PersonSearch {
    index: PersonIndex,
    /// The stations whose persons it holds; `None`: every station (a supervisor's wide
    /// search). An officer's terminal holds only the station's persons: a fifth of the
    /// memory and the build time of the whole bureau's (issue 16).
    stations: Option<BTreeSet<Id>>,
    /// The change-log sequence the index reflects.
    through: u64,
}

impl PersonSearch {
    /// Whether the index holds the persons of every station in `wanted`.
    fn covers(&self, wanted: Option<&[Id]>) -> bool {
        match (&self.stations, wanted) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(held), Some(wanted)) => wanted.iter().all(|s| held.contains(s)),
        }
    }

    /// Whether a person of `station` belongs in the index.
    fn holds(&self, station: Id) -> bool {
        self.stations
            .as_ref()
            .map_or(true, |s| s.contains(&station))
    }
}

impl Service {
    /// Runs `f` on the person index, brought up to date with the store first and holding
    /// at least the persons of `stations` (`None`: all).
    fn with_person_index<R>(
        &self,
        stations: Option<&[Id]>,
        f: impl FnOnce(&PersonIndex) -> R,
    ) -> Result<R, ServiceError> {
        let mut guard = self.persons.lock().map_err(|_| ServiceError::Poisoned)?;
        let head = self.store.last_change_seq()?;
        let wanted = match guard.as_ref() {
            None => Some(stations.map(|s| s.iter().copied().collect::<BTreeSet<Id>>())),
            Some(search) if !search.covers(stations) => {
                // Widen to what it held and what is asked now.
                Some(match (&search.stations, stations) {
                    (Some(held), Some(more)) => {
                        let mut all = held.clone();
                        all.extend(more.iter().copied());
                        Some(all)
                    }
                    _ => None,
                })
            }
            Some(search) if head.saturating_sub(search.through) > REBUILD_AFTER_CHANGES => {
                Some(search.stations.clone())
            }
            Some(_) => None,
        };
        if let Some(wanted) = wanted {
            *guard = Some(self.build_person_index(head, wanted)?);
        }
        let Some(search) = guard.as_mut() else {
            return Err(ServiceError::Poisoned);
        };
        if search.through < head {
            self.catch_up(search)?;
        }
        Ok(f(&search.index))
    }

    /// The persons of `stations` (`None`: every person of the store), indexed as of
    /// change-log sequence `head` (read before the scan: persons written during it are
    /// read again by the next catch-up, which is harmless).
    fn build_person_index(
        &self,
        head: u64,
        stations: Option<BTreeSet<Id>>,
    ) -> Result<PersonSearch, ServiceError> {
        // From the persons-by-station index, which carries each person's search keys:
        // reading the records instead pulled nearly every person page of the bureau
        // into the cache for one station's persons (issue 16).
        let mut index = PersonIndex::new();
        let mut add = |keys: Result<PersonSearchKeys, StoreError>| -> Result<(), ServiceError> {
            let keys = keys?;
            if !keys.merged {
                index.upsert_keys(&keys);
            }
            Ok(())
        };
        match &stations {
            None => self.store.person_search_keys(None).try_for_each(&mut add)?,
            Some(stations) => {
                for station in stations {
                    self.store
                        .person_search_keys(Some(*station))
                        .try_for_each(&mut add)?;
                }
            }
        }
        Ok(PersonSearch {
            index,
            stations,
            through: head,
        })
    }

    /// Applies the person writes logged since the index was last current; a person who
    /// moved to a station the index does not hold leaves it.
    fn catch_up(&self, search: &mut PersonSearch) -> Result<(), ServiceError> {
        for entry in self.store.changes_since(search.through) {
            let entry = entry?;
            if entry.kind == Kind::Person {
                match self.store.get::<Person>(entry.id)? {
                    Some(person) if !entry.deleted && search.holds(person.meta.station) => {
                        search.index.upsert(&person)
                    }
                    _ => search.index.remove(entry.id),
                }
            }
            search.through = entry.seq;
        }
        Ok(())
    }

    /// Builds the person index for what `session` may search, if it is not built yet, so
    /// that the first search does not wait for it (0.2 s for a station of 40,000 persons,
    /// 0.9 s for a bureau of 200,000). The screens call it on a background thread after
    /// a login. An officer or chief gets the station's persons; a supervisor every
    /// station's; an administrator, who searches no case data, nothing.
    pub fn prepare_person_search(&self, session: &Session) -> Result<(), ServiceError> {
        self.authorize(session)?;
        let own = [session.station];
        match session.role {
            Role::Admin => Ok(()),
            Role::Supervisor => self.with_person_index(None, |_| ()),
            Role::Officer | Role::Chief => self.with_person_index(Some(&own), |_| ()),
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
        let stations: Option<&[beatbook_model::Id]> = if wide && session.role == Role::Supervisor {
            None
        } else {
            Some(&own)
        };
        let hits =
            self.with_person_index(stations, |index| index.search(query, stations, limit))?;
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
