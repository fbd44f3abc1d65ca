//! The watch list: flagging key persons, their levels and reviews, the rolling visits
//! their level demands, the chief's approvals, alerts, and revealing personal data.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use crate::reading::{check_revision, check_writable};
use beatbook_core::config::watch::WatchConfig;
use beatbook_core::rules::access;
use beatbook_core::rules::watch::{
    after_visit, approval_for_level_change, approval_for_removal, next_review, next_visit_due,
    repeat_disputes, review_overdue, role_may, Approval, FlagAction, WatchRefusal,
};
use beatbook_i18n::Localize;
use beatbook_model::dates::parse_optional_date;
use beatbook_model::text::{clean, limits};
use beatbook_model::{
    Alert, AlertReason, Field, FlagChange, FlagChangeKind, FlagRow, FlagStatus, Id, Meta, Officer,
    PendingChange, Person, RiskLevel, Role, ValidationError, Visit, VisitChange, VisitChangeKind,
    VisitStatus, VisitSubject, WatchFlag,
};
use beatbook_store::{AnyRecord, Change, DisputeSummary, Kind, Write};
use chrono::NaiveDate;

mod alerts;
mod changes;
mod list;
mod person;

/// The flag form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagForm {
    pub categories: Vec<String>,
    pub subcategories: Vec<String>,
    pub level: Option<RiskLevel>,
    pub basis: String,
    pub source: String,
    /// None: the logged-in officer.
    pub responsible: Option<Id>,
    /// Empty: from the level's review interval.
    pub next_review: String,
}

/// One row of the watch list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchRow {
    /// The flag's list row; its copy of the person (`listed_as`) is moved out into the
    /// fields below (one allocation fewer per field and row) and left empty here.
    pub flag: FlagRow,
    pub person_name: String,
    pub village: String,
    /// Birth year and masked ID number: many people share a name.
    pub birth_year: Option<i32>,
    pub masked_id: Option<String>,
    pub officer_name: String,
    /// Days since the last visit made (None: never visited).
    pub days_since_contact: Option<i64>,
    pub next_visit: Option<NaiveDate>,
    pub review_overdue: Option<i64>,
}

/// Which flags the watch list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchFilter {
    pub category: Option<String>,
    pub level: Option<RiskLevel>,
    pub officer: Option<Id>,
    /// Only flags whose visit or review is overdue.
    pub overdue_only: bool,
    pub text: String,
}

/// Everything the person screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonDetail {
    pub card: PersonCard,
    pub notes: String,
    pub flag: Option<WatchFlag>,
    pub flag_officer: String,
    pub disputes: Vec<DisputeSummary>,
    /// Every visit about the person, newest due first.
    pub visits: Vec<Visit>,
    pub alerts: Vec<Alert>,
}

/// The unmasked personal data, for the one person it was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revealed {
    pub id_number: String,
    pub phone: String,
}

/// An alert with names, for Today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRow {
    pub alert: Alert,
    pub person_name: String,
    pub officer_name: String,
    /// The person's watch level, when they are on the list.
    pub level: Option<RiskLevel>,
}

impl Service {
    fn watch_config(&self) -> &WatchConfig {
        &self.settings.watch
    }

    /// Refuses what the role may not do to flags, and other stations.
    fn check_flag_action(
        &self,
        session: &Session,
        station: Id,
        action: FlagAction,
    ) -> Result<(), ServiceError> {
        check_writable(session, station)?;
        if !role_may(session.role, action) {
            return Err(WatchRefusal::RoleMayNot {
                action,
                role: session.role,
            }
            .into());
        }
        Ok(())
    }

    /// A flag at the revision the screen showed.
    fn flag_for(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        action: FlagAction,
    ) -> Result<WatchFlag, ServiceError> {
        let flag = self.record::<WatchFlag>(id)?;
        self.check_flag_action(session, flag.meta.station, action)?;
        check_revision(&flag, revision)?;
        if !flag.is_active() {
            return Err(WatchRefusal::NotActive.into());
        }
        Ok(flag)
    }

    fn check_categories(&self, form: &FlagForm) -> Result<(), ServiceError> {
        if form.categories.is_empty() {
            return Err(ValidationError::Required(Field::WatchCategories).into());
        }
        for code in &form.categories {
            if self.watch_config().category(code).is_none() {
                return Err(ValidationError::UnknownChoice {
                    field: Field::WatchCategories,
                    input: code.clone(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// A rolling watch visit for a person.
    pub(super) fn watch_visit(&self, session: &Session, flag: &WatchFlag, due: NaiveDate) -> Visit {
        let meta = Meta::new(flag.meta.station, self.now_utc(), session.officer);
        let subject = VisitSubject {
            person: Some(flag.person),
            dispute: None,
        };
        let purpose = format!(
            "重点人员定期走访（{}）",
            flag.level.localize(beatbook_i18n::Lang::Zh)
        );
        Visit::planned(meta, subject, flag.responsible, due, purpose).with_rolling(true)
    }

    /// The person's owed rolling visits (scheduled by the level's rhythm). Visits an
    /// officer arranged by hand and dispute follow-ups are not among them: level changes
    /// and removal leave those alone.
    fn open_watch_visits(&self, person: Id) -> Result<Vec<Visit>, ServiceError> {
        Ok(self
            .open_person_visits(person)?
            .into_iter()
            .filter(|v| v.rolling)
            .collect())
    }

    /// The person's owed visits that are not dispute follow-ups, earliest first.
    fn open_person_visits(&self, person: Id) -> Result<Vec<Visit>, ServiceError> {
        let mut out = Vec::new();
        for s in self.store.person_visit_summaries(person)? {
            if s.status == VisitStatus::Scheduled {
                if let Some(v) = self.store.get::<Visit>(s.id)? {
                    if v.subject.dispute.is_none() {
                        out.push(v);
                    }
                }
            }
        }
        out.sort_by_key(|v| (v.due, v.meta.id));
        Ok(out)
    }

    /// Cancels `visits` with `reason`, for the same change.
    fn cancelled(&self, session: &Session, visits: Vec<Visit>, reason: &str) -> Vec<Visit> {
        let now = self.now_utc();
        visits
            .into_iter()
            .map(|mut v| {
                v.status = VisitStatus::Cancelled;
                v.status_reason = reason.to_string();
                v.history.push(
                    VisitChange::new(now, session.officer, VisitChangeKind::Cancelled)
                        .reason(reason),
                );
                v
            })
            .collect()
    }

    /// Puts a person of the session's station on the watch list (or back on it) and
    /// schedules the first rolling visit.
    pub fn flag_person(
        &self,
        session: &Session,
        person: Id,
        form: &FlagForm,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        self.check_flag_action(session, session.station, FlagAction::Add)?;
        let p = self
            .store
            .get::<Person>(person)?
            .ok_or(ServiceError::NotFound(Kind::Person))?;
        if p.meta.station != session.station {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        self.check_categories(form)?;
        let level = form.level.ok_or(ValidationError::Required(Field::Level))?;
        let basis = clean(Field::Basis, &form.basis, limits::NOTES, true, true)?;
        let source = clean(Field::Source, &form.source, limits::SHORT, false, false)?;
        let responsible = form.responsible.unwrap_or(session.officer);
        if !access::can_assign_visit(&session.principal(), responsible) {
            return Err(ServiceError::Forbidden(Forbidden::AssignOthers));
        }
        self.check_assignee(session, responsible)?;
        let today = self.today();
        let review = match parse_optional_date(Field::NextReview, &form.next_review, today)? {
            Some(d) if d < today => {
                return Err(ValidationError::DateInPast {
                    field: Field::NextReview,
                }
                .into())
            }
            Some(d) => d,
            None => next_review(level, today, self.watch_config()),
        };
        let now = self.now_utc();
        let existing = self.store.flag_of(person)?;
        if existing.as_ref().is_some_and(WatchFlag::is_active) {
            return Err(ServiceError::AlreadyFlagged);
        }
        let mut flag = match existing {
            Some(old) => old,
            None => WatchFlag {
                meta: Meta::new(session.station, now, session.officer),
                person,
                categories: Vec::new(),
                subcategories: Vec::new(),
                level,
                basis: String::new(),
                source: String::new(),
                responsible,
                added_on: today,
                next_review: review,
                status: FlagStatus::Active,
                pending: None,
                last_contact: None,
                missed_in_a_row: 0,
                history: Vec::new(),
                listed_as: beatbook_model::FlagPerson::default(),
            },
        };
        flag.list_person_from(&p);
        flag.categories = form.categories.clone();
        flag.subcategories = form.subcategories.clone();
        flag.level = level;
        flag.basis = basis.clone();
        flag.source = source;
        flag.responsible = responsible;
        flag.added_on = today;
        flag.next_review = review;
        flag.status = FlagStatus::Active;
        flag.pending = None;
        flag.missed_in_a_row = 0;
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind: FlagChangeKind::Added,
            from_level: None,
            to_level: Some(level),
            reason: basis,
        });
        // The next visit must exist: the earliest visit already owed to the person (not a
        // dispute follow-up) serves and becomes the first rolling one; otherwise the
        // level's rhythm sets the first.
        let owed = self.open_person_visits(person)?;
        let first_visit = if owed.iter().any(|v| v.rolling) {
            None
        } else if let Some(mut serving) = owed.into_iter().next() {
            serving.rolling = true;
            Some(serving)
        } else {
            let due = next_visit_due(level, flag.last_contact, today, today, self.watch_config());
            Some(self.watch_visit(session, &flag, due))
        };
        let mut change = self
            .change(session, "watch.flag")
            .detail(format!(
                "{} listed ({})",
                p.name,
                level.localize(beatbook_i18n::Lang::En)
            ))
            .put(flag);
        if let Some(visit) = first_visit {
            change = change.put(visit);
        }
        self.single_flag(self.store.commit(&change)?)
    }

    fn single_flag(&self, saved: Vec<AnyRecord>) -> Result<WatchFlag, ServiceError> {
        saved
            .into_iter()
            .find_map(|r| match r {
                AnyRecord::Flag(f) => Some(*f),
                _ => None,
            })
            .ok_or(ServiceError::NotFound(Kind::Flag))
    }

    fn save_flag(
        &self,
        session: &Session,
        action: &str,
        flag: WatchFlag,
        visits: Vec<Visit>,
    ) -> Result<WatchFlag, ServiceError> {
        let mut change = self
            .change(session, action)
            .station(flag.meta.station)
            .put(flag);
        for v in visits {
            change = change.put(v);
        }
        self.single_flag(self.store.commit(&change)?)
    }
}
