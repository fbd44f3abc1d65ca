//! Possible duplicate persons and merging them.
//!
//! Terminals that were offline at once register the same resident twice. With the same
//! ID number the second one pulled cannot take the number (it is unique here): the store
//! keeps it aside on the record (`held_id_number`) and the pair is listed here; the same
//! name and birth date is listed too. A merge moves everything that refers to the
//! duplicate — dispute parties, visits, the watch-list flag, alerts — to the person kept,
//! keeps the duplicate's particulars in the kept person's `merged` list, and leaves the
//! duplicate as a record that says where it went. It is one audited change, and like any
//! other it reaches every terminal with the next rounds.
//!
//! The station's chief merges. An officer who finds two records of one resident asks
//! for the merge (`request_merge`); the request is listed here with the others until
//! the chief merges the pair or turns the request down.

use crate::reading::check_writable;
use crate::{Forbidden, Service, ServiceError, Session};
use beatbook_model::{Id, MergedPerson, Person, ResidentId, Role, Visit};
use beatbook_store::Write;
use std::collections::HashMap;

/// Why two persons may be one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DuplicateReason {
    SameIdNumber,
    SameNameAndBirthDate,
    /// An officer asked for the merge (their name, their note); `first` is the record
    /// they would keep.
    Requested {
        by: String,
        note: String,
    },
}

/// What an officer's "same person" did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The chief's: merged at once.
    Merged(Box<Person>),
    /// An officer's: waits for the chief.
    Requested,
}

/// One side of a possible duplicate, as a list shows it (ID number masked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateSide {
    pub id: Id,
    pub name: String,
    pub birth_date: Option<chrono::NaiveDate>,
    pub masked_id: String,
    pub village: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Two persons of the station that may be one resident; `first` is the older record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicatePair {
    pub first: DuplicateSide,
    pub second: DuplicateSide,
    pub reason: DuplicateReason,
}

impl Service {
    /// The possible duplicates among the persons of the session's station.
    pub fn possible_duplicates(
        &self,
        session: &Session,
    ) -> Result<Vec<DuplicatePair>, ServiceError> {
        self.authorize(session)?;
        if !matches!(session.role, Role::Officer | Role::Chief) {
            return Ok(Vec::new());
        }
        let mut persons = Vec::new();
        for id in self.store.station_person_ids(session.station) {
            if let Some(p) = self.store.get::<Person>(id?)? {
                if p.merged_into.is_none() {
                    persons.push(p);
                }
            }
        }
        let mut pairs = Vec::new();
        let mut paired: Vec<(Id, Id)> = Vec::new();
        let by_id: HashMap<Id, &Person> = persons.iter().map(|p| (p.meta.id, p)).collect();
        let mut names = crate::names::Names::default();
        for p in &persons {
            let Some(request) = &p.merge_request else {
                continue;
            };
            if let Some(other) = by_id.get(&request.duplicate) {
                paired.push(order(p.meta.id, other.meta.id));
                pairs.push(DuplicatePair {
                    first: side(p),
                    second: side(other),
                    reason: DuplicateReason::Requested {
                        by: names.officer(self, request.by),
                        note: request.note.clone(),
                    },
                });
            }
        }
        let mut push = |a: &Person, b: &Person, reason, pairs: &mut Vec<DuplicatePair>| {
            let (first, second) = if a.meta.id <= b.meta.id {
                (a, b)
            } else {
                (b, a)
            };
            let key = (first.meta.id, second.meta.id);
            if !paired.contains(&key) {
                paired.push(key);
                pairs.push(DuplicatePair {
                    first: side(first),
                    second: side(second),
                    reason,
                });
            }
        };
        let by_number: HashMap<&ResidentId, &Person> = persons
            .iter()
            .filter_map(|p| p.id_number.as_ref().map(|n| (n, p)))
            .collect();
        for p in &persons {
            if let Some(other) = p.held_id_number.as_ref().and_then(|n| by_number.get(n)) {
                push(p, other, DuplicateReason::SameIdNumber, &mut pairs);
            }
        }
        let mut by_name: HashMap<(String, chrono::NaiveDate), Vec<&Person>> = HashMap::new();
        for p in &persons {
            if let Some(birth) = p.birth_date {
                by_name.entry((p.name.clone(), birth)).or_default().push(p);
            }
        }
        for group in by_name.values() {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    push(a, b, DuplicateReason::SameNameAndBirthDate, &mut pairs);
                }
            }
        }
        pairs.sort_by_key(|p| (p.first.created_at, p.first.id));
        Ok(pairs)
    }

    /// An officer (or the chief) found that `other` is the same resident as `keep`: the
    /// chief's merges at once, an officer's waits for the chief on the list of possible
    /// duplicates. Checked as a merge would be.
    pub fn request_merge(
        &self,
        session: &Session,
        keep: Id,
        other: Id,
        note: &str,
    ) -> Result<MergeOutcome, ServiceError> {
        self.authorize(session)?;
        if session.role == Role::Chief {
            return Ok(MergeOutcome::Merged(Box::new(
                self.merge_persons(session, keep, other)?,
            )));
        }
        if session.role != Role::Officer {
            return Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(
                session.role,
            )));
        }
        let mut kept = self.mergeable(session, keep, other)?.0;
        kept.merge_request = Some(beatbook_model::MergeRequest {
            duplicate: other,
            by: session.officer,
            at: self.now_utc(),
            note: note.trim().to_string(),
        });
        let change = self
            .change(session, "person.merge_request")
            .detail(format!("{} {other} → {keep}", kept.name))
            .put(kept);
        self.store.commit(&change)?;
        Ok(MergeOutcome::Requested)
    }

    /// The chief turns down an officer's request to merge into `keep`.
    pub fn dismiss_merge_request(&self, session: &Session, keep: Id) -> Result<(), ServiceError> {
        self.authorize(session)?;
        if session.role != Role::Chief {
            return Err(ServiceError::Forbidden(Forbidden::ChiefOnly));
        }
        let mut kept = self.record::<Person>(keep)?;
        check_writable(session, kept.meta.station)?;
        let Some(request) = kept.merge_request.take() else {
            return Ok(());
        };
        let change = self
            .change(session, "person.merge_dismissed")
            .detail(format!("{} {} → {keep}", kept.name, request.duplicate))
            .put(kept);
        self.store.commit(&change)?;
        Ok(())
    }

    /// The two persons of a merge, read and checked: the session may write both, they
    /// differ, neither was merged already, and not both are on the watch list.
    fn mergeable(
        &self,
        session: &Session,
        keep: Id,
        other: Id,
    ) -> Result<(Person, Person), ServiceError> {
        if keep == other {
            return Err(ServiceError::MergeSamePerson);
        }
        let kept = self.record::<Person>(keep)?;
        let gone = self.record::<Person>(other)?;
        check_writable(session, kept.meta.station)?;
        check_writable(session, gone.meta.station)?;
        if kept.merged_into.is_some() || gone.merged_into.is_some() {
            return Err(ServiceError::MergeAlreadyMerged);
        }
        if self.store.flag_of(keep)?.is_some() && self.store.flag_of(other)?.is_some() {
            return Err(ServiceError::MergeBothFlagged);
        }
        Ok((kept, gone))
    }

    /// Merges `other` into `keep`: every dispute party, visit, flag and alert of `other`
    /// moves to `keep`, `other`'s particulars are kept in `keep`'s `merged` list, and
    /// `other` stays as a record that points to `keep`. The station's chief only.
    pub fn merge_persons(
        &self,
        session: &Session,
        keep: Id,
        other: Id,
    ) -> Result<Person, ServiceError> {
        self.authorize(session)?;
        if session.role != Role::Chief {
            return Err(ServiceError::Forbidden(Forbidden::ChiefOnly));
        }
        let (mut kept, mut gone) = self.mergeable(session, keep, other)?;
        let flag_kept = self.store.flag_of(keep)?;
        let flag_gone = self.store.flag_of(other)?;
        // A request either way is answered by the merge.
        kept.merge_request = None;
        gone.merge_request = None;
        let now = self.now_utc();
        let gone_number = gone.id_number.clone().or(gone.held_id_number.clone());
        kept.merged.push(MergedPerson {
            id: other,
            name: gone.name.clone(),
            birth_date: gone.birth_date,
            id_number: gone_number.clone(),
            phone: gone.phone.clone(),
            address: gone.address.clone(),
            village: gone.village.clone(),
            notes: gone.notes.clone(),
            at: now,
            by: session.officer,
        });
        // The kept person keeps its number, else takes the one it held aside (the pair's)
        // or the duplicate's; the duplicate gives it up in the same change, first.
        if kept.id_number.is_none() {
            kept.id_number = kept.held_id_number.take().or_else(|| gone_number.clone());
        }
        if kept.held_id_number.is_some()
            && (kept.held_id_number == gone_number || kept.held_id_number == kept.id_number)
        {
            kept.held_id_number = None;
        }
        if kept.phone.is_none() {
            kept.phone = gone.phone.clone();
        }
        gone.merged_into = Some(keep);
        gone.id_number = None;
        gone.held_id_number = None;
        let mut change = self
            .change(session, "person.merge")
            .detail(format!("{} {other} → {keep}", gone.name));
        change.writes.push(Write::Put(Box::new(gone.into())));
        for summary in self.store.person_disputes(other)? {
            let Some(mut dispute) = self.store.get::<beatbook_model::Dispute>(summary.id)? else {
                continue;
            };
            let had_keep = dispute.parties.iter().any(|p| p.person == keep);
            for party in &mut dispute.parties {
                if party.person == other {
                    party.person = keep;
                }
            }
            if had_keep {
                // The same resident twice among the parties: once is enough.
                let mut seen = false;
                dispute.parties.retain(|p| {
                    if p.person != keep {
                        return true;
                    }
                    !std::mem::replace(&mut seen, true)
                });
            }
            change.writes.push(Write::Put(Box::new(dispute.into())));
        }
        for summary in self.store.person_visit_summaries(other)? {
            let Some(mut visit) = self.store.get::<Visit>(summary.id)? else {
                continue;
            };
            repoint_visit(&mut visit, other, keep);
            change.writes.push(Write::Put(Box::new(visit.into())));
        }
        if let Some(mut flag) = flag_gone {
            flag.person = keep;
            flag.list_person_from(&kept);
            change.writes.push(Write::Put(Box::new(flag.into())));
        } else if let Some(mut flag) = flag_kept {
            if flag.list_person_from(&kept) {
                change.writes.push(Write::Put(Box::new(flag.into())));
            }
        }
        for open in [true, false] {
            for alert in self.store.station_alerts(kept.meta.station, open)? {
                if alert.person == other {
                    if let Some(mut alert) =
                        self.store.get::<beatbook_model::Alert>(alert.meta.id)?
                    {
                        alert.person = keep;
                        change.writes.push(Write::Put(Box::new(alert.into())));
                    }
                }
            }
        }
        change.writes.push(Write::Put(Box::new(kept.into())));
        let saved = self.store.commit(&change)?;
        match saved.into_iter().last() {
            Some(beatbook_store::AnyRecord::Person(p)) => Ok(p),
            _ => Err(ServiceError::NotFound(beatbook_model::Kind::Person)),
        }
    }
}

/// A pair's key whichever way round it is named.
fn order(a: Id, b: Id) -> (Id, Id) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn repoint_visit(visit: &mut Visit, from: Id, to: Id) {
    if visit.subject.person == Some(from) {
        visit.subject.person = Some(to);
    }
    let mut parties = Vec::with_capacity(visit.parties.len());
    for p in visit.parties.drain(..) {
        let p = if p == from { to } else { p };
        if !parties.contains(&p) {
            parties.push(p);
        }
    }
    visit.parties = parties;
    if let Some(met) = &mut visit.met {
        let mut out = Vec::with_capacity(met.len());
        for p in met.drain(..) {
            let p = if p == from { to } else { p };
            if !out.contains(&p) {
                out.push(p);
            }
        }
        *met = out;
    }
}

fn side(p: &Person) -> DuplicateSide {
    DuplicateSide {
        id: p.meta.id,
        name: p.name.clone(),
        birth_date: p.birth_date,
        masked_id: p
            .id_number
            .as_ref()
            .or(p.held_id_number.as_ref())
            .map(ResidentId::masked)
            .unwrap_or_default(),
        village: p.village.clone(),
        created_at: p.meta.created_at,
    }
}
