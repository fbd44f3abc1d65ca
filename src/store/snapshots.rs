//! Flags carry a copy of their person's listed fields (`WatchFlag::listed_as`) so the
//! watch list opens from the flag index alone. The service keeps the copy in step on every
//! write; this module finds copies that are not (`check`) and refreshes them (the schema 7
//! migration, which fills the copies of flags written before there were any, and
//! `check --repair`).

use super::{Actor, Change, Store, StoreError, Write};
use crate::model::{Id, Person, WatchFlag};
use chrono::{DateTime, Utc};

/// Flag writes per transaction while refreshing (keeps each transaction small).
const REFRESH_BATCH: usize = 1000;

impl Store {
    /// The flags whose copy of their person differs from the person. A flag whose person
    /// is missing is not counted: there is nothing to copy.
    pub fn stale_flag_copies(&self) -> Result<Vec<Id>, StoreError> {
        let mut stale = Vec::new();
        for flag in self.all::<WatchFlag>() {
            let flag = flag?;
            if let Some(person) = self.get::<Person>(flag.person)? {
                if !flag.lists_person_as(&person) {
                    stale.push(flag.meta.id);
                }
            }
        }
        Ok(stale)
    }

    /// Copies every flag's person onto it where the copy differs, in batched commits
    /// audited as a system change named `action`, then flushes. Returns how many flags
    /// were written.
    pub fn refresh_flag_copies(
        &self,
        action: &str,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut refreshed = 0;
        let mut change = Change::new(action, &Actor::system(), at)
            .detail("flags' copies of their persons refreshed from the persons");
        for flag in self.all::<WatchFlag>() {
            let mut flag = flag?;
            let Some(person) = self.get::<Person>(flag.person)? else {
                continue;
            };
            if !flag.list_person_from(&person) {
                continue;
            }
            change.writes.push(Write::Put(Box::new(flag.into())));
            if change.writes.len() == REFRESH_BATCH {
                refreshed += change.writes.len();
                self.commit_unflushed(&change)?;
                change.writes.clear();
            }
        }
        if !change.writes.is_empty() {
            refreshed += change.writes.len();
            self.commit_unflushed(&change)?;
        }
        self.flush()?;
        Ok(refreshed)
    }
}
