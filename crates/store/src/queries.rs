//! Reads through the indexes: the lists the service shows (visits due, a station's
//! disputes, flags, alerts, findings, events and tallies), never a scan of a whole kind.

use super::*;

impl Store {
    /// The owed (scheduled) visits of a station due on or before `until` (and on or after
    /// `from`, when given), in due-date order — read through the (station, status, due)
    /// index, which holds owed visits only (see [`Index::VisitByStation`]).
    pub fn station_visits(
        &self,
        station: Id,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        self.visits_in_range(Index::VisitByStation, station, from, until)
    }

    /// The owed (scheduled) visits assigned to one officer, due within `from..=until`:
    /// the officer index holds no others (see [`Index::VisitByOfficer`]).
    pub fn officer_visits(
        &self,
        officer: Id,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        self.visits_in_range(Index::VisitByOfficer, officer, from, until)
    }

    fn visits_in_range(
        &self,
        index: Index,
        owner: Id,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        let (start, end) = keys::visit_range(owner, VisitStatus::Scheduled, from, until);
        let tree = self.index_tree(index);
        let visits = self.kind_tree(Kind::Visit);
        let mut out = Vec::new();
        for item in tree.range(start..end) {
            let (key, _) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            match visits.get(id.to_bytes())? {
                Some(bytes) => out.push(records::decode::<Visit>(&bytes)?),
                None => return Err(StoreError::CorruptIndex { index }),
            }
        }
        Ok(out)
    }

    /// Like [`Store::station_visits`] or [`Store::officer_visits`] (by `index`), but
    /// returns the summaries kept in the index entries: no visit record is read or
    /// decoded, which keeps Today fast however long its list.
    pub fn visit_summaries(
        &self,
        index: Index,
        owner: Id,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<VisitSummary>, StoreError> {
        if !matches!(index, Index::VisitByStation | Index::VisitByOfficer) {
            return Err(StoreError::CorruptIndex { index });
        }
        let (start, end) = keys::visit_range(owner, VisitStatus::Scheduled, from, until);
        let mut out = Vec::new();
        for item in self.index_tree(index).range(start..end) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(VisitSummary::decode(index, id, &value)?);
        }
        Ok(out)
    }

    /// Each person's earliest scheduled visit at a station, from one range read of the
    /// station's owed visits that decodes only the person (the due date is in the key,
    /// and keys run in due order, so the first one seen per person is the earliest).
    ///
    /// The read stops once it has passed `limit` entries (read at every entry, so the
    /// caller may lower it while the scan runs; 0 stops it): a station owes tens of
    /// thousands of visits, and a list of a few thousand flags must not pay for all of
    /// them. The persons it reached are exact; for the others [`OwedScan::complete`]
    /// says whether they owe nothing or must be asked for one by one.
    pub fn next_owed_by_person(
        &self,
        station: Id,
        limit: &std::sync::atomic::AtomicUsize,
    ) -> Result<OwedScan, StoreError> {
        let index = Index::VisitByStation;
        let (start, end) = keys::visit_range(station, VisitStatus::Scheduled, None, NaiveDate::MAX);
        let mut earliest = std::collections::HashMap::new();
        for (read, item) in self.index_tree(index).range(start..end).enumerate() {
            if read >= limit.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(OwedScan {
                    earliest,
                    complete: false,
                });
            }
            let (key, value) = item?;
            let person =
                list_rows::visit_person(&value).ok_or(StoreError::CorruptIndex { index })?;
            if let Some(person) = person {
                let due = keys::visit_key_due(&key).ok_or(StoreError::CorruptIndex { index })?;
                earliest.entry(person).or_insert(due);
            }
        }
        Ok(OwedScan {
            earliest,
            complete: true,
        })
    }

    /// A person's earliest scheduled visit at a station, from the person's own visits:
    /// only each entry's due date, station and status are read (the watch list asks this
    /// of every flagged person its scan of owed visits did not reach).
    pub fn next_owed_of(&self, station: Id, person: Id) -> Result<Option<NaiveDate>, StoreError> {
        let index = Index::VisitByPerson;
        let mut earliest: Option<NaiveDate> = None;
        self.index_prefix(index, &person.to_bytes(), |_, value| {
            let owed = list_rows::visit_owed_at(value).ok_or(StoreError::CorruptIndex { index })?;
            if let Some((due, _)) = owed.filter(|(_, at)| *at == station) {
                earliest = Some(earliest.map_or(due, |e| e.min(due)));
            }
            Ok(())
        })?;
        Ok(earliest)
    }

    /// Register rows of a station's disputes in the given statuses (all when empty), from
    /// the (station, status) index alone.
    pub fn station_disputes(
        &self,
        station: Id,
        statuses: &[beatbook_model::DisputeStatus],
    ) -> Result<Vec<DisputeSummary>, StoreError> {
        let index = Index::DisputeByStation;
        let tree = self.index_tree(index);
        let mut out = Vec::new();
        let mut read = |prefix: Vec<u8>| -> Result<(), StoreError> {
            for item in tree.scan_prefix(prefix) {
                let (key, value) = item?;
                let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
                out.push(records::dispute_summary_from(index, id, &value)?);
            }
            Ok(())
        };
        if statuses.is_empty() {
            read(station.to_bytes().to_vec())?;
        } else {
            for status in statuses {
                let mut prefix = station.to_bytes().to_vec();
                prefix.push(status.code());
                read(prefix)?;
            }
        }
        Ok(out)
    }

    /// The visits about a dispute, as summaries.
    pub fn dispute_visit_summaries(&self, dispute: Id) -> Result<Vec<VisitSummary>, StoreError> {
        self.summaries_under(Index::VisitByDispute, dispute)
    }

    /// The id and status of each visit about a dispute, from its index entries without
    /// decoding the rest (the register asks this of every resolved dispute).
    pub fn dispute_visit_statuses(
        &self,
        dispute: Id,
    ) -> Result<Vec<(Id, VisitStatus)>, StoreError> {
        let index = Index::VisitByDispute;
        let mut out = Vec::new();
        self.index_prefix(index, &dispute.to_bytes(), |key, value| {
            let id = keys::trailing_id(key).ok_or(StoreError::CorruptIndex { index })?;
            let status =
                list_rows::visit_status(value).ok_or(StoreError::CorruptIndex { index })?;
            out.push((id, status));
            Ok(())
        })?;
        Ok(out)
    }

    /// The visits about a person (summaries, any status).
    pub fn person_visit_summaries(&self, person: Id) -> Result<Vec<VisitSummary>, StoreError> {
        self.summaries_under(Index::VisitByPerson, person)
    }

    /// The active or removed flags of a station, as list rows (history left out).
    pub fn station_flags(
        &self,
        station: Id,
        status: beatbook_model::FlagStatus,
    ) -> Result<Vec<beatbook_model::FlagRow>, StoreError> {
        self.station_flag_rows(station, status, list_rows::decode_flag_row)
    }

    /// The active or removed flags of a station, only the fixed fields of their rows
    /// ([`FlagMark`]): for the lists that look at every flag but show few.
    pub fn station_flag_marks(
        &self,
        station: Id,
        status: beatbook_model::FlagStatus,
    ) -> Result<Vec<FlagMark>, StoreError> {
        self.station_flag_rows(station, status, list_rows::decode_flag_mark)
    }

    /// The flag rows of a station with a status, each decoded by `decode` from its flag
    /// id and row bytes (`None`: damaged).
    fn station_flag_rows<T>(
        &self,
        station: Id,
        status: beatbook_model::FlagStatus,
        decode: fn(Id, &[u8]) -> Option<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut prefix = station.to_bytes().to_vec();
        prefix.push(status.code());
        let index = Index::FlagByStation;
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(prefix) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(decode(id, &value).ok_or(StoreError::CorruptIndex { index })?);
        }
        Ok(out)
    }

    /// The flag on a person, if any (active or removed).
    pub fn flag_of(&self, person: Id) -> Result<Option<beatbook_model::WatchFlag>, StoreError> {
        self.by_unique(Index::FlagByPerson, &person.to_bytes())
    }

    /// A station's alerts, open ones or acknowledged ones.
    pub fn station_alerts(
        &self,
        station: Id,
        open: bool,
    ) -> Result<Vec<beatbook_model::Alert>, StoreError> {
        let mut prefix = station.to_bytes().to_vec();
        prefix.push(u8::from(!open));
        self.payloads_under(Index::AlertByStation, prefix)
    }

    /// A station's findings in the given statuses (all when empty), as list rows (history
    /// left out), from the (station, status) index alone.
    pub fn station_findings(
        &self,
        station: Id,
        statuses: &[beatbook_model::FindingStatus],
    ) -> Result<Vec<beatbook_model::Finding>, StoreError> {
        if statuses.is_empty() {
            return self.payloads_under(Index::FindingByStation, station.to_bytes().to_vec());
        }
        let mut out = Vec::new();
        for status in statuses {
            let mut prefix = station.to_bytes().to_vec();
            prefix.push(status.code());
            out.extend(self.payloads_under(Index::FindingByStation, prefix)?);
        }
        Ok(out)
    }

    /// A station's dispute events (status changes, and deadlines keyed at 00:00 UTC of
    /// their date) with `from <= at < until`, in time order: one range of the
    /// (station, time) event index.
    pub fn station_dispute_events(
        &self,
        station: Id,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DisputeEvent>, StoreError> {
        let (start, end) = events::range(station, from, until);
        self.decoded_range(
            Index::DisputeEventByStation,
            start,
            end,
            events::decode_dispute_event,
        )
    }

    /// A station's disputes received and resolved per UTC hour, for the hours starting
    /// within `from..until` (rounded down to the hour), in time order: (hour's start,
    /// received, resolved). Hours with neither are absent.
    pub fn station_dispute_trend(
        &self,
        station: Id,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, u32, u32)>, StoreError> {
        let (start, end) = tally::trend_range(station, from, until);
        self.decoded_range(
            Index::DisputeTrendByStation,
            start,
            end,
            tally::decode_trend,
        )
    }

    /// A station's visits due within `first..=last`, counted per (due date, assigned
    /// officer, status) from the visit tally, in date order.
    pub fn station_visit_counts(
        &self,
        station: Id,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Id, VisitStatus, u32)>, StoreError> {
        let (start, end) = tally::visit_range(station, first, last);
        self.decoded_range(Index::VisitTallyByStation, start, end, tally::decode_visit)
    }

    /// Every entry of `index` with a key in `start..end`, decoded from key and value, in
    /// key order.
    pub(crate) fn decoded_range<T>(
        &self,
        index: Index,
        start: Vec<u8>,
        end: Vec<u8>,
        decode: fn(&[u8], &[u8]) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        self.index_range(index, &start, &end, |key, value| {
            out.push(decode(key, value)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Feeds `f` every entry of `index` whose key starts with `prefix`, in key order, the
    /// entries of a grouped index taken out of their groups ([`index_groups`]).
    pub(crate) fn index_prefix(
        &self,
        index: Index,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tree = self.raw_index_tree(index);
        let Some(group_len) = index.group_len() else {
            for item in tree.scan_prefix(prefix) {
                let (key, value) = item?;
                f(&key, &value)?;
            }
            return Ok(());
        };
        if let Some(group) = prefix.get(..group_len) {
            // One group holds every such key (a person's or a dispute's visits): read it
            // by its key. A range would also step on to the key after the group, often
            // on the next page (Today reads the follow-ups of every resolved dispute of
            // the station this way, issue 16).
            let stored = tree
                .get(group)?
                .map(|value| Ok((sled::IVec::from(group), value)));
            return index_groups::expand(index, stored.into_iter(), |k| k.starts_with(prefix), f);
        }
        let groups = tree.scan_prefix(prefix);
        index_groups::expand(index, groups, |key| key.starts_with(prefix), f)
    }

    /// Feeds `f` every entry of `index` with a key in `start..end`, in key order, the
    /// entries of a grouped index taken out of their groups: the groups that may hold
    /// such keys are read, and their members outside the range skipped.
    pub(crate) fn index_range(
        &self,
        index: Index,
        start: &[u8],
        end: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use std::ops::Bound;
        let tree = self.raw_index_tree(index);
        let Some(group_len) = index.group_len() else {
            for item in tree.range(start..end) {
                let (key, value) = item?;
                f(&key, &value)?;
            }
            return Ok(());
        };
        let first = start[..start.len().min(group_len)].to_vec();
        // A group key is `group_len` bytes: the groups holding keys below `end` are those
        // before it, and the one it starts with when it is longer than a group.
        let last = if end.len() > group_len {
            Bound::Included(end[..group_len].to_vec())
        } else {
            Bound::Excluded(end.to_vec())
        };
        let groups = tree.range::<Vec<u8>, _>((Bound::Included(first), last));
        index_groups::expand(index, groups, |key| key >= start && key < end, f)
    }

    /// The findings about one dispute, visit or flag, as list rows.
    pub fn target_findings(&self, target: Id) -> Result<Vec<beatbook_model::Finding>, StoreError> {
        self.payloads_under(Index::FindingByTarget, target.to_bytes().to_vec())
    }

    /// A station's watch-list events (listed, level changed, removed) before `until`, in
    /// time order.
    pub fn station_flag_events(
        &self,
        station: Id,
        until: DateTime<Utc>,
    ) -> Result<Vec<FlagEvent>, StoreError> {
        let (start, end) = events::range(station, DateTime::<Utc>::MIN_UTC, until);
        self.decoded_range(
            Index::FlagEventByStation,
            start,
            end,
            events::decode_flag_event,
        )
    }

    /// Decodes every payload under a key prefix of an index.
    pub(crate) fn payloads_under<T: serde::de::DeserializeOwned>(
        &self,
        index: Index,
        prefix: Vec<u8>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(prefix) {
            let (_, value) = item?;
            out.push(records::decode(&value)?);
        }
        Ok(out)
    }

    /// Visit summaries under an owner prefix, ids filled from the keys.
    pub(crate) fn summaries_under(
        &self,
        index: Index,
        owner: Id,
    ) -> Result<Vec<VisitSummary>, StoreError> {
        let mut out = Vec::new();
        self.index_prefix(index, &owner.to_bytes(), |key, value| {
            let id = keys::trailing_id(key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(VisitSummary::decode(index, id, value)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every dispute a person is party to, as register rows (any station).
    pub fn person_disputes(&self, person: Id) -> Result<Vec<DisputeSummary>, StoreError> {
        let index = Index::DisputeByParty;
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(person.to_bytes()) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(records::dispute_summary_from(index, id, &value)?);
        }
        Ok(out)
    }

    /// A person's name and village from the (station, person) index entry, without
    /// reading the person record.
    pub fn person_summary(
        &self,
        station: Id,
        person: Id,
    ) -> Result<Option<PersonSummary>, StoreError> {
        match self
            .index_tree(Index::PersonByStation)
            .get(keys::owned_key(station, person))?
        {
            Some(v) => Ok(Some(records::person_summary_from(&v)?)),
            None => Ok(None),
        }
    }

    /// Ids of the persons of a station, in creation order.
    pub fn station_person_ids(
        &self,
        station: Id,
    ) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        self.index_tree(Index::PersonByStation)
            .scan_prefix(station.to_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                keys::trailing_id(&k).ok_or(StoreError::CorruptIndex {
                    index: Index::PersonByStation,
                })
            })
    }

    /// What the person search needs of the persons of `station` (`None`: of every
    /// station), merged ones included (marked), from the persons-by-station index alone:
    /// one range of it, not a read of each person record.
    pub fn person_search_keys(
        &self,
        station: Option<Id>,
    ) -> impl Iterator<Item = Result<PersonSearchKeys, StoreError>> + '_ {
        let tree = self.index_tree(Index::PersonByStation);
        let entries = match station {
            Some(station) => tree.scan_prefix(station.to_bytes()),
            None => tree.iter(),
        };
        entries.map(|entry| {
            let (key, value) = entry?;
            let corrupt = || StoreError::CorruptIndex {
                index: Index::PersonByStation,
            };
            let station = key.get(..16).and_then(Id::from_slice).ok_or_else(corrupt)?;
            let person = keys::trailing_id(&key).ok_or_else(corrupt)?;
            list_rows::decode_person_search(station, person, &value).ok_or_else(corrupt)
        })
    }

    /// The person holding an ID number, if any.
    pub fn person_by_id_number(&self, number: &ResidentId) -> Result<Option<Person>, StoreError> {
        self.by_unique(Index::PersonByIdNumber, number.as_str().as_bytes())
    }

    /// The officer with a username, if any.
    pub fn officer_by_username(&self, username: &str) -> Result<Option<Officer>, StoreError> {
        self.by_unique(Index::OfficerByUsername, username.as_bytes())
    }

    pub(crate) fn by_unique<T: Record>(
        &self,
        index: Index,
        key: &[u8],
    ) -> Result<Option<T>, StoreError> {
        match self.index_tree(index).get(key)? {
            Some(id) => {
                let id = Id::from_slice(&id).ok_or(StoreError::CorruptIndex { index })?;
                self.get(id)
            }
            None => Ok(None),
        }
    }
}

/// What [`Store::next_owed_by_person`] read: the earliest owed visit of every person it
/// reached, and whether it read them all.
#[derive(Debug, Default)]
pub struct OwedScan {
    /// Each person's earliest scheduled visit at the station, among those read.
    pub earliest: std::collections::HashMap<Id, NaiveDate>,
    /// Whether every owed visit of the station was read: then a person absent from
    /// [`OwedScan::earliest`] owes none.
    pub complete: bool,
}

impl OwedScan {
    /// The person's earliest owed visit: `Some(answer)` when the scan knows it, `None`
    /// when the scan stopped before reaching the person's visits (if any).
    pub fn next_owed(&self, person: Id) -> Option<Option<NaiveDate>> {
        match self.earliest.get(&person) {
            Some(due) => Some(Some(*due)),
            None if self.complete => Some(None),
            None => None,
        }
    }
}
