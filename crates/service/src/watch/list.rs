//! The watch list: one row per flag the session may see, filtered, with the
//! responsible officer and the next visit owed.

use super::*;

impl Service {
    /// The watch list of the session's station (a supervisor: every station).
    pub fn watch_list(
        &self,
        session: &Session,
        filter: &WatchFilter,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        self.authorize(session)?;
        let stations: Vec<Id> = match session.role {
            Role::Supervisor => self.stations()?.into_iter().map(|s| s.meta.id).collect(),
            Role::Admin => return Err(ServiceError::Forbidden(Forbidden::NoCaseData)),
            _ => vec![session.station],
        };
        let today = self.today();
        let mut rows = Vec::new();
        for station in stations {
            let more = self.station_watch_rows(station, filter, today)?;
            if rows.is_empty() {
                rows = more;
            } else {
                rows.extend(more);
            }
        }
        // Highest level first, then longest without contact, then by flag id (every key
        // distinct). The small keys are sorted and the wide rows moved once into place.
        let mut order: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(at, r)| {
                let since = r.days_since_contact.unwrap_or(i64::MAX);
                (std::cmp::Reverse((r.flag.level, since)), r.flag.id, at)
            })
            .collect();
        order.sort_unstable();
        let mut slots: Vec<Option<WatchRow>> = rows.into_iter().map(Some).collect();
        let rows = order
            .into_iter()
            .filter_map(|(_, _, at)| slots.get_mut(at).and_then(Option::take))
            .collect();
        Ok(rows)
    }

    /// One station's rows. Opening the list is dominated by index reads: the station's
    /// owed visits are read on one thread while this one reads the flags, whose index
    /// rows carry the person's name, village, birth year and masked ID (no person is
    /// read).
    pub(crate) fn station_watch_rows(
        &self,
        station: Id,
        filter: &WatchFilter,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        // The scan of the station's owed visits starts at once, beside the flags; once
        // their number is known it is bounded to a few entries per flag (a station can
        // owe tens of thousands of visits), or stopped when there are few flags. The
        // persons it did not reach are asked for one by one.
        let limit = std::sync::atomic::AtomicUsize::new(usize::MAX);
        let (owed, listed) = std::thread::scope(|scope| {
            let owed = scope.spawn(|| self.store.next_owed_by_person(station, &limit));
            let listed = self.filtered_flags(station, filter).and_then(|flags| {
                let reads = if flags.len() < SCAN_OWED_FROM {
                    0
                } else {
                    flags.len().saturating_mul(OWED_READS_PER_FLAG)
                };
                limit.store(reads, std::sync::atomic::Ordering::Relaxed);
                self.rows_with_officers(flags, &filter.text, today)
            });
            (crate::joined(owed), listed)
        });
        let owed = owed?;
        // In place: the wide rows move only when some are dropped.
        let mut rows = listed?;
        for row in &mut rows {
            row.next_visit = match owed.next_owed(row.flag.person) {
                Some(known) => known,
                None => self.store.next_owed_of(station, row.flag.person)?,
            };
        }
        if filter.overdue_only {
            rows.retain(|row| {
                row.review_overdue.is_some() || row.next_visit.is_some_and(|d| d < today)
            });
        }
        Ok(rows)
    }

    /// [`Self::listed_rows`] of `flags`, with the responsible officers' names read once.
    pub(crate) fn rows_with_officers(
        &self,
        flags: Vec<FlagRow>,
        text: &str,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        let mut officers: std::collections::HashMap<Id, String> = std::collections::HashMap::new();
        for flag in &flags {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                officers.entry(flag.responsible)
            {
                slot.insert(match self.store.get::<Officer>(flag.responsible)? {
                    Some(o) => o.display_name,
                    None => "?".into(),
                });
            }
        }
        self.listed_rows(flags, &officers, text, today)
    }

    /// A station's active flags of the filter's category, level and officer.
    pub(crate) fn filtered_flags(
        &self,
        station: Id,
        filter: &WatchFilter,
    ) -> Result<Vec<FlagRow>, ServiceError> {
        Ok(self
            .store
            .station_flags(station, FlagStatus::Active)?
            .into_iter()
            .filter(|flag| {
                !(filter
                    .category
                    .as_ref()
                    .is_some_and(|c| !flag.categories.contains(c))
                    || filter.level.is_some_and(|l| flag.level != l)
                    || filter.officer.is_some_and(|o| o != flag.responsible))
            })
            .collect())
    }

    /// The rows of `flags` whose person's name or village matches `text`, with their
    /// responsible officer's name, without their next owed visit (the caller adds it).
    pub(crate) fn listed_rows(
        &self,
        flags: Vec<FlagRow>,
        officers: &std::collections::HashMap<Id, String>,
        text: &str,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        let query = text.trim();
        let mut rows = Vec::with_capacity(flags.len());
        for mut flag in flags {
            let person = &flag.listed_as;
            if !query.is_empty()
                && !beatbook_core::search::text_matches(query, &person.name)
                && !beatbook_core::search::text_matches(query, &person.village)
            {
                continue;
            }
            let officer_name = officers
                .get(&flag.responsible)
                .cloned()
                .unwrap_or_else(|| "?".into());
            // The copy's fields move into the row's own (see `WatchRow::flag`).
            let person = std::mem::take(&mut flag.listed_as);
            rows.push(WatchRow {
                days_since_contact: flag.last_contact.map(|d| (today - d).num_days()),
                next_visit: None,
                review_overdue: review_overdue(flag.next_review, today),
                person_name: person.name,
                village: person.village,
                birth_year: person.birth_year,
                masked_id: person.masked_id,
                officer_name,
                flag,
            });
        }
        Ok(rows)
    }
}

/// From this many flags on, the watch list reads the station's owed visits in one scan
/// (in due order, so it reaches most flagged persons early); below it, each flagged
/// person's own visits.
pub(crate) const SCAN_OWED_FROM: usize = 500;

/// How many of the station's owed visits the scan may read per flag before the persons
/// it has not reached are asked for one by one. Flagged persons owe their rolling visit
/// within weeks, so a scan in due order reaches nearly all of them early; the rest of a
/// busy station's owed visits (dispute follow-ups, far ahead) need not be read. Measured
/// at bureau scale (4,181 flags, about 100,000 owed visits): 16 per flag left the list
/// at 38–44 ms, 4 brought it to 16–27 ms.
pub(crate) const OWED_READS_PER_FLAG: usize = 4;
