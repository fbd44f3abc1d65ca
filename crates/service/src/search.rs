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
use beatbook_model::{Person, Role};
use beatbook_store::Kind;

/// Past this many change-log entries to read, building the index anew is cheaper than
/// catching up entry by entry (a large import or the demo data).
const REBUILD_AFTER_CHANGES: u64 = 50_000;

/// The person index and how far into the change log it is current.
#[derive(Debug, Default)]
pub(super) struct PersonSearch {
    index: PersonIndex,
    /// The change-log sequence the index reflects.
    through: u64,
}

impl Service {
    /// Runs `f` on the person index, brought up to date with the store first.
    fn with_person_index<R>(&self, f: impl FnOnce(&PersonIndex) -> R) -> Result<R, ServiceError> {
        let mut guard = self.persons.lock().map_err(|_| ServiceError::Poisoned)?;
        let head = self.store.last_change_seq()?;
        let stale = match guard.as_ref() {
            None => true,
            Some(search) => head.saturating_sub(search.through) > REBUILD_AFTER_CHANGES,
        };
        if stale {
            *guard = Some(self.build_person_index(head)?);
        }
        let Some(search) = guard.as_mut() else {
            return Err(ServiceError::Poisoned);
        };
        if search.through < head {
            self.catch_up(search)?;
        }
        Ok(f(&search.index))
    }

    /// Every person of the store, indexed as of change-log sequence `head` (read before
    /// the scan: persons written during it are read again by the next catch-up, which is
    /// harmless).
    fn build_person_index(&self, head: u64) -> Result<PersonSearch, ServiceError> {
        let mut index = PersonIndex::new();
        for person in self.store.all::<Person>() {
            index.upsert(&person?);
        }
        Ok(PersonSearch {
            index,
            through: head,
        })
    }

    /// Applies the person writes logged since the index was last current.
    fn catch_up(&self, search: &mut PersonSearch) -> Result<(), ServiceError> {
        for entry in self.store.changes_since(search.through) {
            let entry = entry?;
            if entry.kind == Kind::Person {
                match self.store.get::<Person>(entry.id)? {
                    Some(person) if !entry.deleted => search.index.upsert(&person),
                    _ => search.index.remove(entry.id),
                }
            }
            search.through = entry.seq;
        }
        Ok(())
    }

    /// Builds the person index now if it is not built yet, so that the first search
    /// does not wait for it (0.9 s over 200,000 persons). The screens call it on a
    /// background thread as they start; it reads the store and serves nothing, so it
    /// takes no session.
    pub fn prepare_person_search(&self) -> Result<(), ServiceError> {
        self.with_person_index(|_| ())
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
