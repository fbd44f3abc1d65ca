//! The follow-up list and everything an officer records about a visit.

use super::{Forbidden, Service, ServiceError, Session};
use crate::reading::check_revision;
use beatbook_core::rules::access;
use beatbook_core::rules::visits::{days_overdue, urgency, window_end, Urgency};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::dates::{parse_date_input, parse_optional_date};
use beatbook_model::text::{clean, limits};
use beatbook_model::{
    Field, Id, Meta, Officer, Person, Role, ValidationError, Visit, VisitChange, VisitChangeKind,
    VisitMethod, VisitOutcome, VisitStatus, VisitSubject,
};
use beatbook_store::{AnyRecord, Index, Kind, PersonSummary};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

mod schedule;
mod today;

/// Whose visits Today lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Visits assigned to the logged-in officer.
    Mine,
    /// All visits of the officer's station.
    Station,
    /// All stations (supervisors).
    Bureau,
}

impl Localize for Scope {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Scope::Mine => ("我的", "mine"),
            Scope::Station => ("全所", "whole station"),
            Scope::Bureau => ("全局", "all stations"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// One line of the Today list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodayRow {
    pub visit: Id,
    /// The revision the row was read at; changes are refused if the visit moved on since.
    pub revision: u64,
    pub due: NaiveDate,
    pub urgency: Urgency,
    pub days_overdue: i64,
    /// Days until due (0 when due or overdue).
    pub days_until: i64,
    pub person_name: String,
    pub village: String,
    pub purpose: String,
    /// The part of `purpose` that must stay visible when the column is too narrow for
    /// all of it (a dispute follow-up's "第7天"); empty when nothing in particular.
    pub purpose_keep: String,
    pub method: VisitMethod,
    pub officer_name: String,
    pub station_name: String,
    /// Assigned to the logged-in officer.
    pub mine: bool,
    /// The logged-in officer may record this visit.
    pub may_change: bool,
}

/// The Today list: overdue, due today, and the coming days, most urgent first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodayView {
    pub today: NaiveDate,
    pub until: NaiveDate,
    pub scope: Scope,
    pub rows: Vec<TodayRow>,
}

impl TodayView {
    /// How many rows fall in a bucket.
    pub fn count(&self, u: Urgency) -> usize {
        self.rows.iter().filter(|r| r.urgency == u).count()
    }
}

/// One line of a visit's history, with the officer's name resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitHistoryLine {
    pub at: DateTime<Utc>,
    pub by_name: String,
    pub kind: VisitChangeKind,
    pub from_due: Option<NaiveDate>,
    pub to_due: Option<NaiveDate>,
    pub reason: String,
}

/// Everything the visit detail screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitDetail {
    pub visit: Visit,
    pub person: Option<super::PersonCard>,
    pub officer_name: String,
    pub station_name: String,
    pub history: Vec<VisitHistoryLine>,
    pub may_change: bool,
    /// Due date of the visit scheduled after this one, if any.
    pub next_due: Option<NaiveDate>,
    /// Who recorded the visit done, missed or cancelled, and when (from its history).
    pub recorded: Option<(String, DateTime<Utc>)>,
    /// The persons a follow-up covers, each with whether they were met (empty for a visit
    /// to one person).
    pub parties: Vec<(super::PersonCard, bool)>,
}

/// The "visit done" form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoneForm {
    pub outcome: Option<VisitOutcome>,
    pub method: VisitMethod,
    pub agreement_honoured: Option<bool>,
    pub notes: String,
    /// Optional date of the next visit (`2026-12-02`, `+7`, …): scheduled on save.
    pub next_due: String,
    /// Who was met, of the persons the visit covers. `None`: not asked (a visit to one
    /// person: that person). Asked on a follow-up covering several parties; each one met
    /// counts as contact with that person.
    pub met: Option<Vec<Id>>,
}

/// The "visit missed" form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MissedForm {
    pub reason: String,
    /// Optional date to try again: scheduled on save.
    pub next_due: String,
}

/// The reschedule form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RescheduleForm {
    pub new_due: String,
    pub reason: String,
}

/// The "schedule a visit" form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewVisitForm {
    pub person: Option<Id>,
    pub due: String,
    pub method: VisitMethod,
    pub purpose: String,
    /// None: the logged-in officer.
    pub assigned_to: Option<Id>,
    pub notes: String,
    /// The dispute the visit is about, if any (same station).
    pub dispute: Option<Id>,
}

/// An officer who can be assigned a visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficerOption {
    pub id: Id,
    pub display_name: String,
    pub role: Role,
}

/// What a visit save wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitSaved {
    pub visit: Visit,
    /// The follow-up visit scheduled by the same save.
    pub next: Option<Visit>,
}

impl Service {
    /// Reads a still-owed visit the session may change, at the revision the screen showed.
    fn changeable_visit(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Visit, ServiceError> {
        let visit = self.readable::<Visit>(session, id)?;
        let p = session.principal();
        if !access::can_change_visit(&p, &visit) {
            return Err(ServiceError::Forbidden(match session.role {
                Role::Supervisor | Role::Admin => Forbidden::ReadOnlyRole(session.role),
                _ if visit.meta.station != session.station => Forbidden::OtherStation,
                _ => Forbidden::NotAssigned,
            }));
        }
        check_revision(&visit, revision)?;
        if !visit.is_open() {
            return Err(ServiceError::VisitNotOpen(visit.status));
        }
        Ok(visit)
    }

    /// Everything about one visit.
    pub fn visit_detail(&self, session: &Session, id: Id) -> Result<VisitDetail, ServiceError> {
        self.authorize(session)?;
        let visit = self.readable::<Visit>(session, id)?;
        let mut names = super::names::Names::default();
        let person = match visit.subject.person {
            Some(pid) => self
                .store
                .get::<Person>(pid)?
                .map(|p| super::PersonCard::from(&p)),
            None => None,
        };
        let history = visit
            .history
            .iter()
            .map(|h| VisitHistoryLine {
                at: h.at,
                by_name: names.officer(self, h.by),
                kind: h.kind,
                from_due: h.from_due,
                to_due: h.to_due,
                reason: h.reason.clone(),
            })
            .collect();
        let next_due = match visit.next_visit {
            Some(next) => self.store.get::<Visit>(next)?.map(|v| v.due),
            None => None,
        };
        let recorded = visit
            .history
            .iter()
            .rev()
            .find(|h| {
                matches!(
                    h.kind,
                    VisitChangeKind::Done | VisitChangeKind::Missed | VisitChangeKind::Cancelled
                )
            })
            .map(|h| (names.officer(self, h.by), h.at));
        let mut parties = Vec::new();
        if !visit.parties.is_empty() {
            let met = visit.contacted();
            for pid in visit.persons() {
                if let Some(p) = self.store.get::<Person>(pid)? {
                    parties.push((super::PersonCard::from(&p), met.contains(&pid)));
                }
            }
        }
        Ok(VisitDetail {
            recorded,
            parties,
            may_change: access::can_change_visit(&session.principal(), &visit),
            officer_name: names.officer(self, visit.assigned_to),
            station_name: names.station(self, visit.meta.station),
            person,
            history,
            next_due,
            visit,
        })
    }

    /// A follow-up of `visit` (same subject, officer, method and purpose) due on `due`.
    fn follow_up(&self, session: &Session, visit: &Visit, due: NaiveDate) -> Visit {
        let meta = Meta::new(visit.meta.station, self.now_utc(), session.officer);
        Visit::planned(
            meta,
            visit.subject,
            visit.assigned_to,
            due,
            visit.purpose.clone(),
        )
        .with_method(visit.method)
        .following(visit.meta.id)
        // A date the officer gives for the next rolling visit keeps it rolling.
        .with_rolling(visit.rolling)
        // A follow-up covers the same parties; who was met is recorded again.
        .with_parties(visit.parties.clone())
    }

    /// Parses an optional next-visit date, which must not lie in the past.
    fn next_visit_date(&self, input: &str) -> Result<Option<NaiveDate>, ServiceError> {
        let today = self.today();
        let next = parse_optional_date(Field::NextVisit, input, today)?;
        if next.is_some_and(|d| d < today) {
            return Err(ValidationError::DateInPast {
                field: Field::NextVisit,
            }
            .into());
        }
        Ok(next)
    }

    /// Saves a closed-out visit and, when asked, its follow-up, in one transaction.
    fn save_with_follow_up(
        &self,
        session: &Session,
        action: &str,
        mut visit: Visit,
        next_due: Option<NaiveDate>,
    ) -> Result<VisitSaved, ServiceError> {
        let next = next_due.map(|due| self.follow_up(session, &visit, due));
        visit.next_visit = next.as_ref().map(|n| n.meta.id);
        let mut related = self.dispute_after_visit(session, &visit, next.is_some())?;
        // Each person the visit reached (or, when missed, was owed to) updates their own
        // watch-list flag; a party not met on a done visit is left as it was.
        for person in watch_persons(&visit) {
            related.extend(self.watch_after_visit(session, &visit, person, next.is_some())?);
        }
        let mut change = self
            .change(session, action)
            .station(visit.meta.station)
            .detail(format!("visit due {}", visit.due))
            .put(visit);
        if let Some(next) = next {
            change = change.put(next);
        }
        for record in related {
            change
                .writes
                .push(beatbook_store::Write::Put(Box::new(record)));
        }
        let mut saved = self
            .store
            .commit(&change)?
            .into_iter()
            .filter_map(|r| match r {
                AnyRecord::Visit(v) => Some(v),
                _ => None,
            });
        let visit = saved.next().ok_or(ServiceError::NotFound(Kind::Visit))?;
        Ok(VisitSaved {
            visit,
            next: saved.next(),
        })
    }

    /// Records a visit as done, with its outcome; schedules the next visit when a date is
    /// given.
    pub fn record_visit_done(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &DoneForm,
    ) -> Result<VisitSaved, ServiceError> {
        self.authorize(session)?;
        let mut visit = self.changeable_visit(session, id, revision)?;
        let outcome = form
            .outcome
            .ok_or(ValidationError::Required(Field::Outcome))?;
        let notes = clean(Field::Notes, &form.notes, limits::NOTES, false, true)?;
        let next_due = self.next_visit_date(&form.next_due)?;
        let met = match &form.met {
            None => None,
            Some(met) => Some(met_of(&visit, met, outcome)?),
        };
        let now = self.now_utc();
        visit.met = met;
        visit.status = VisitStatus::Done;
        visit.outcome = Some(outcome);
        visit.method = form.method;
        visit.agreement_honoured = form.agreement_honoured;
        visit.notes = notes;
        visit.completed_at = Some(now);
        visit.history.push(VisitChange::new(
            now,
            session.officer,
            VisitChangeKind::Done,
        ));
        self.save_with_follow_up(session, "visit.done", visit, next_due)
    }

    /// Records that a visit could not be made; schedules another try when a date is given.
    pub fn record_visit_missed(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &MissedForm,
    ) -> Result<VisitSaved, ServiceError> {
        self.authorize(session)?;
        let mut visit = self.changeable_visit(session, id, revision)?;
        let reason = clean(Field::Reason, &form.reason, limits::NOTES, false, true)?;
        let next_due = self.next_visit_date(&form.next_due)?;
        let now = self.now_utc();
        visit.status = VisitStatus::Missed;
        visit.status_reason = reason.clone();
        visit.completed_at = Some(now);
        visit.history.push(VisitChange {
            at: now,
            by: session.officer,
            kind: VisitChangeKind::Missed,
            from_due: None,
            to_due: None,
            reason,
        });
        self.save_with_follow_up(session, "visit.missed", visit, next_due)
    }

    /// Moves a visit to another day; a reason is required.
    pub fn reschedule_visit(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &RescheduleForm,
    ) -> Result<Visit, ServiceError> {
        self.authorize(session)?;
        let mut visit = self.changeable_visit(session, id, revision)?;
        let today = self.today();
        let new_due = parse_date_input(Field::DueDate, &form.new_due, today)?;
        if new_due < today {
            return Err(ValidationError::DateInPast {
                field: Field::DueDate,
            }
            .into());
        }
        if new_due == visit.due {
            return Err(ServiceError::SameDate);
        }
        let reason = clean(Field::Reason, &form.reason, limits::SHORT * 2, true, false)?;
        let now = self.now_utc();
        visit.history.push(
            VisitChange::new(now, session.officer, VisitChangeKind::Rescheduled)
                .dates(Some(visit.due), Some(new_due))
                .reason(reason.clone()),
        );
        let detail = format!("visit moved from {} to {new_due}: {reason}", visit.due);
        visit.due = new_due;
        visit.status_reason = reason;
        let change = self
            .change(session, "visit.reschedule")
            .station(visit.meta.station)
            .detail(detail)
            .put(visit);
        self.single_visit(self.store.commit(&change)?)
    }

    /// Cancels an owed visit; a reason is required.
    pub fn cancel_visit(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<Visit, ServiceError> {
        self.authorize(session)?;
        let mut visit = self.changeable_visit(session, id, revision)?;
        let reason = clean(Field::Reason, reason, limits::SHORT * 2, true, false)?;
        let now = self.now_utc();
        visit.status = VisitStatus::Cancelled;
        visit.status_reason = reason.clone();
        visit.history.push(
            VisitChange::new(now, session.officer, VisitChangeKind::Cancelled)
                .reason(reason.clone()),
        );
        let change = self
            .change(session, "visit.cancel")
            .station(visit.meta.station)
            .detail(reason)
            .put(visit);
        self.single_visit(self.store.commit(&change)?)
    }

    fn single_visit(&self, saved: Vec<AnyRecord>) -> Result<Visit, ServiceError> {
        match saved.into_iter().next() {
            Some(AnyRecord::Visit(v)) => Ok(v),
            _ => Err(ServiceError::NotFound(Kind::Visit)),
        }
    }
}

/// The day of a dispute follow-up ("第7天") in a purpose the dispute workflow or the
/// demo wrote ("<title>：化解后第7天回访（1）", "宅基地纠纷调解后回访（第3天）"): the
/// last "第<digits>天" in it, or "" when there is none.
fn follow_up_day(purpose: &str) -> &str {
    for (at, _) in purpose.rmatch_indices('第') {
        let rest = &purpose[at + '第'.len_utf8()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with('天') {
            return &purpose[at..at + '第'.len_utf8() + digits + '天'.len_utf8()];
        }
    }
    ""
}

/// The persons whose watch-list flag a closed-out visit updates: on a done visit, those
/// met; on a missed one, everyone it was owed to.
fn watch_persons(visit: &Visit) -> Vec<Id> {
    match visit.status {
        VisitStatus::Missed => visit.persons(),
        _ => visit.contacted(),
    }
}

/// Checks a "met" answer against the visit: only persons the visit covers, each once,
/// and somebody unless nobody was reached.
fn met_of(visit: &Visit, met: &[Id], outcome: VisitOutcome) -> Result<Vec<Id>, ServiceError> {
    let covered = visit.persons();
    let mut out: Vec<Id> = Vec::with_capacity(met.len());
    for id in met {
        if !covered.contains(id) {
            return Err(ValidationError::UnknownChoice {
                field: Field::Met,
                input: id.to_string(),
            }
            .into());
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    if out.is_empty() && outcome != VisitOutcome::NotReached {
        return Err(ValidationError::Required(Field::Met).into());
    }
    Ok(out)
}

#[cfg(test)]
mod follow_up_day_tests {
    #[test]
    fn finds_the_day_of_a_follow_up_only() {
        assert_eq!(
            super::follow_up_day("宅基地纠纷：化解后第7天回访（1）"),
            "第7天"
        );
        assert_eq!(
            super::follow_up_day("宅基地纠纷调解后回访（第30天）"),
            "第30天"
        );
        assert_eq!(super::follow_up_day("重点人员定期走访"), "");
        assert_eq!(super::follow_up_day("第一天回访"), "");
    }
}
