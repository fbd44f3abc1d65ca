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
//! The station's chief merges; officers see the list and ask the chief.

use crate::reading::check_writable;
use crate::{Forbidden, Service, ServiceError, Session};
use beatbook_model::{Id, MergedPerson, Person, ResidentId, Role, Visit};
use beatbook_store::Write;
use std::collections::HashMap;

/// Why two persons may be one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateReason {
    SameIdNumber,
    SameNameAndBirthDate,
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
        if keep == other {
            return Err(ServiceError::MergeSamePerson);
        }
        let mut kept = self.record::<Person>(keep)?;
        let mut gone = self.record::<Person>(other)?;
        check_writable(session, kept.meta.station)?;
        check_writable(session, gone.meta.station)?;
        if kept.merged_into.is_some() || gone.merged_into.is_some() {
            return Err(ServiceError::MergeAlreadyMerged);
        }
        let flag_kept = self.store.flag_of(keep)?;
        let flag_gone = self.store.flag_of(other)?;
        if flag_kept.is_some() && flag_gone.is_some() {
            return Err(ServiceError::MergeBothFlagged);
        }
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
