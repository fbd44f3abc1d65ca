//! Flags carry a copy of their person's listed fields (`WatchFlag::listed_as`) so the
//! watch list opens from the flag index alone. The service keeps the copy in step on every
//! write; this module finds copies that are not (`check`) and refreshes them (the schema 7
//! migration, which fills the copies of flags written before there were any, and
//! `check --repair`).

use super::{Actor, Change, Store, StoreError, Write};
use beatbook_model::{Id, Person, WatchFlag};
use chrono::{DateTime, Utc};

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
        let change = Change::new(action, &Actor::system(), at)
            .detail("flags' copies of their persons refreshed from the persons");
        let stale = self.all::<WatchFlag>().filter_map(|flag| {
            let mut flag = match flag {
                Ok(flag) => flag,
                Err(e) => return Some(Err(e)),
            };
            match self.get::<Person>(flag.person) {
                Ok(Some(person)) if flag.list_person_from(&person) => {
                    Some(Ok(Write::Put(Box::new(flag.into()))))
                }
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            }
        });
        self.commit_in_batches(change, stale)
    }
}
