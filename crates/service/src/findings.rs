//! Supervision findings (执法巡查) as use cases: a supervisor records a problem against a
//! dispute, visit or watch-list flag; the owning station answers with its rectification;
//! the supervisor accepts or returns it. Roles and steps come from
//! [`beatbook_core::rules::findings`]; every step is one audited commit.

use super::{Forbidden, Service, ServiceError, Session};
use crate::reading::check_revision;
use beatbook_core::rules::access;
use beatbook_core::rules::findings::{
    change_kind, count_month, may_answer_for, next_status, role_may, FindingAction, FindingCounts,
    FindingRefusal,
};
use beatbook_i18n::Localize;
use beatbook_model::text::{clean, limits};
use beatbook_model::{
    dates::parse_date_input, Dispute, Field, Finding, FindingChange, FindingStatus, Id, Meta,
    Officer, Role, TargetKind, ValidationError, Visit, WatchFlag,
};
use beatbook_store::{AnyRecord, Kind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the "record a finding" form holds, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFinding {
    pub target: TargetKind,
    pub target_id: Id,
    /// Problem type code; `None` when nothing was picked.
    pub problem: Option<String>,
    pub description: String,
    /// The rectification deadline as typed (`2026-12-10`, `+15`).
    pub deadline: String,
}

/// Which findings a list shows (all when left at the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingFilter {
    pub status: Option<FindingStatus>,
    /// Only findings the station owes past their deadline.
    pub overdue_only: bool,
}

/// A list line: the finding without its history, and what the list shows beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRow {
    pub finding: Finding,
    pub station_name: String,
    /// Display name of the officer answerable for the target (the dispute's or visit's
    /// officer, the flag's responsible one); empty when unknown.
    pub officer_name: String,
    pub overdue: bool,
    /// Days past the deadline (0 when not overdue).
    pub days_overdue: i64,
}

/// One finding with its history, the names of those who wrote it, and what the session
/// may do with it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingDetail {
    pub finding: Finding,
    pub station_name: String,
    pub overdue: bool,
    /// Display names of the history's authors, in history order.
    pub history_names: Vec<String>,
    pub may_rectify: bool,
    pub may_decide: bool,
}

impl Service {
    /// Refuses a role that may never take `action`.
    fn check_finding_role(
        &self,
        session: &Session,
        action: FindingAction,
    ) -> Result<(), ServiceError> {
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        if !role_may(session.role, action) {
            return Err(FindingRefusal::RoleMayNot {
                action,
                role: session.role,
            }
            .into());
        }
        Ok(())
    }

    /// The station owning a target record and what lists call it; unknown targets are
    /// refused by kind ("the dispute does not exist").
    fn finding_target(&self, kind: TargetKind, id: Id) -> Result<(Id, String), ServiceError> {
        Ok(match kind {
            TargetKind::Dispute => {
                let d = self
                    .store
                    .get::<Dispute>(id)?
                    .ok_or(ServiceError::NotFound(Kind::Dispute))?;
                (d.meta.station, d.title)
            }
            TargetKind::Visit => {
                let v = self
                    .store
                    .get::<Visit>(id)?
                    .ok_or(ServiceError::NotFound(Kind::Visit))?;
                let name = match v.subject.person {
                    Some(p) => self.person_summary(v.meta.station, p)?.name,
                    None => String::new(),
                };
                let label = match (name.is_empty(), v.purpose.is_empty()) {
                    (false, false) => format!("{name} {} {}", v.due.format("%m-%d"), v.purpose),
                    (false, true) => format!("{name} {}", v.due.format("%m-%d")),
                    _ => format!("{} {}", v.due.format("%m-%d"), v.purpose),
                };
                (v.meta.station, label)
            }
            TargetKind::Flag => {
                let f = self
                    .store
                    .get::<WatchFlag>(id)?
                    .ok_or(ServiceError::NotFound(Kind::Flag))?;
                let name = self.person_summary(f.meta.station, f.person)?.name;
                (f.meta.station, name)
            }
        })
    }

    /// Records a finding (supervisors only), audited under the target's station.
    pub fn create_finding(
        &self,
        session: &Session,
        form: &NewFinding,
    ) -> Result<Finding, ServiceError> {
        self.authorize(session)?;
        self.check_finding_role(session, FindingAction::Create)?;
        let problem = match form.problem.as_deref().map(str::trim) {
            None | Some("") => return Err(ValidationError::Required(Field::ProblemType).into()),
            Some(code) => self
                .settings
                .findings
                .problem(code)
                .ok_or_else(|| ValidationError::UnknownChoice {
                    field: Field::ProblemType,
                    input: code.to_string(),
                })?
                .code
                .clone(),
        };
        let description = clean(
            Field::Description,
            &form.description,
            limits::NOTES,
            true,
            true,
        )?;
        let today = self.today();
        let deadline = parse_date_input(Field::RectifyBy, &form.deadline, today)?;
        if deadline < today {
            return Err(ValidationError::DateInPast {
                field: Field::RectifyBy,
            }
            .into());
        }
        let (station, target_label) = self.finding_target(form.target, form.target_id)?;
        let now = self.now_utc();
        let finding = Finding {
            meta: Meta::new(station, now, session.officer),
            target: form.target,
            target_id: form.target_id,
            target_label,
            problem,
            description: description.clone(),
            deadline,
            status: FindingStatus::Open,
            opened_on: today,
            rectification: None,
            history: vec![FindingChange {
                at: now,
                on: today,
                by: session.officer,
                by_name: session.username.clone(),
                kind: change_kind(FindingAction::Create),
                text: description,
            }],
        };
        let change = self
            .change(session, "finding.create")
            .station(station)
            .detail(format!(
                "finding on {} {}: {}, rectify by {deadline}",
                form.target.localize(beatbook_i18n::Lang::En),
                form.target_id,
                finding.problem
            ))
            .put(finding);
        self.commit_finding(&change)
    }

    /// The station answers with its rectification (its chief or officers).
    pub fn rectify_finding(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        text: &str,
    ) -> Result<Finding, ServiceError> {
        self.authorize(session)?;
        self.finding_step(session, id, revision, FindingAction::Rectify, text)
    }

    /// The supervisor accepts the rectification; the finding is closed.
    pub fn accept_finding(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        remarks: &str,
    ) -> Result<Finding, ServiceError> {
        self.authorize(session)?;
        self.finding_step(session, id, revision, FindingAction::Accept, remarks)
    }

    /// The supervisor returns the rectification with a reason; the station owes it again.
    pub fn return_finding(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<Finding, ServiceError> {
        self.authorize(session)?;
        self.finding_step(session, id, revision, FindingAction::Return, reason)
    }

    fn finding_step(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        action: FindingAction,
        text: &str,
    ) -> Result<Finding, ServiceError> {
        self.check_finding_role(session, action)?;
        let mut finding = self
            .store
            .get::<Finding>(id)?
            .ok_or(ServiceError::NotFound(Kind::Finding))?;
        if action == FindingAction::Rectify
            && !may_answer_for(session.station, finding.meta.station)
        {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        let status = next_status(finding.status, action)?;
        check_revision(&finding, revision)?;
        let text = match action {
            FindingAction::Rectify => clean(Field::Rectification, text, limits::NOTES, true, true)?,
            FindingAction::Return => clean(Field::Reason, text, limits::NOTES, true, true)?,
            _ => clean(Field::Remarks, text, limits::NOTES, false, true)?,
        };
        if action == FindingAction::Rectify {
            finding.rectification = Some(text.clone());
        }
        finding.status = status;
        finding.history.push(FindingChange {
            at: self.now_utc(),
            on: self.today(),
            by: session.officer,
            by_name: session.username.clone(),
            kind: change_kind(action),
            text,
        });
        let name = match action {
            FindingAction::Create => "finding.create",
            FindingAction::Rectify => "finding.rectify",
            FindingAction::Accept => "finding.accept",
            FindingAction::Return => "finding.return",
        };
        let station = finding.meta.station;
        let change = self
            .change(session, name)
            .station(station)
            .detail(format!(
                "finding {id}: {}",
                status.localize(beatbook_i18n::Lang::En)
            ))
            .put(finding);
        self.commit_finding(&change)
    }

    fn commit_finding(&self, change: &beatbook_store::Change) -> Result<Finding, ServiceError> {
        self.store
            .commit(change)?
            .into_iter()
            .find_map(|r| match r {
                AnyRecord::Finding(f) => Some(*f),
                _ => None,
            })
            .ok_or(ServiceError::NotFound(Kind::Finding))
    }

    /// The stations a session reads findings of: `station` when given (refused if not
    /// readable), else every station it may read.
    fn finding_stations(
        &self,
        session: &Session,
        station: Option<Id>,
    ) -> Result<Vec<Id>, ServiceError> {
        let p = session.principal();
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        match station {
            Some(s) if access::can_read_station(&p, s) => Ok(vec![s]),
            Some(_) => Err(ServiceError::Forbidden(Forbidden::OtherStation)),
            None if session.role == Role::Supervisor => {
                Ok(self.stations()?.into_iter().map(|s| s.meta.id).collect())
            }
            None => Ok(vec![session.station]),
        }
    }

    fn finding_rows(
        &self,
        stations: &[Id],
        statuses: &[FindingStatus],
        filter: &FindingFilter,
    ) -> Result<Vec<FindingRow>, ServiceError> {
        let today = self.today();
        let mut names = super::names::Names::default();
        let mut rows = Vec::new();
        for &station in stations {
            for finding in self.store.station_findings(station, statuses)? {
                let overdue = finding.is_overdue(today);
                if filter.status.is_some_and(|s| s != finding.status)
                    || (filter.overdue_only && !overdue)
                {
                    continue;
                }
                let station_name = names.station(self, station);
                let officer_name = self.finding_officer(&finding, &mut names);
                rows.push(FindingRow {
                    officer_name,
                    days_overdue: if overdue {
                        (today - finding.deadline).num_days()
                    } else {
                        0
                    },
                    overdue,
                    station_name,
                    finding,
                });
            }
        }
        // Overdue first (longest overdue on top), then by deadline, then oldest first.
        rows.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(a.finding.deadline.cmp(&b.finding.deadline))
                .then(a.finding.meta.id.cmp(&b.finding.meta.id))
        });
        Ok(rows)
    }

    /// The display name of the officer answerable for a finding's target, each officer
    /// read once per list (`names`); empty when the target or officer is gone.
    fn finding_officer(&self, finding: &Finding, names: &mut super::names::Names) -> String {
        let id = match finding.target {
            TargetKind::Dispute => self
                .store
                .get::<beatbook_model::Dispute>(finding.target_id)
                .ok()
                .flatten()
                .map(|d| d.assigned_to),
            TargetKind::Visit => self
                .store
                .get::<beatbook_model::Visit>(finding.target_id)
                .ok()
                .flatten()
                .map(|v| v.assigned_to),
            TargetKind::Flag => self
                .store
                .get::<beatbook_model::WatchFlag>(finding.target_id)
                .ok()
                .flatten()
                .map(|f| f.responsible),
        };
        match id {
            Some(id) => names.officer_known(self, id).unwrap_or_default(),
            None => String::new(),
        }
    }

    /// Findings of `station` (None: every station the session reads — all of them for a
    /// supervisor, its own for a chief or officer), filtered; overdue first.
    pub fn station_findings(
        &self,
        session: &Session,
        station: Option<Id>,
        filter: &FindingFilter,
    ) -> Result<Vec<FindingRow>, ServiceError> {
        self.authorize(session)?;
        let stations = self.finding_stations(session, station)?;
        let statuses: Vec<FindingStatus> = filter.status.into_iter().collect();
        self.finding_rows(&stations, &statuses, filter)
    }

    /// What Today lists above the visits: for a chief or officer the findings their
    /// station owes (open or returned), overdue first; for a supervisor the answers
    /// waiting for acceptance, at every station.
    pub fn today_findings(&self, session: &Session) -> Result<Vec<FindingRow>, ServiceError> {
        self.authorize(session)?;
        match session.role {
            Role::Officer | Role::Chief => self.finding_rows(
                &[session.station],
                &[FindingStatus::Open, FindingStatus::Returned],
                &FindingFilter::default(),
            ),
            Role::Supervisor => {
                let stations = self.finding_stations(session, None)?;
                self.finding_rows(
                    &stations,
                    &[FindingStatus::Rectified],
                    &FindingFilter::default(),
                )
            }
            Role::Admin => Ok(Vec::new()),
        }
    }

    /// The findings about one dispute, visit or flag the session may read.
    pub fn target_findings(
        &self,
        session: &Session,
        target: Id,
    ) -> Result<Vec<FindingRow>, ServiceError> {
        let p = self.authorize(session)?;
        let today = self.today();
        let mut rows = Vec::new();
        for finding in self.store.target_findings(target)? {
            if !access::can_read_station(&p, finding.meta.station) {
                continue;
            }
            let overdue = finding.is_overdue(today);
            let officer_name = self.finding_officer(&finding, &mut super::names::Names::default());
            rows.push(FindingRow {
                officer_name,
                days_overdue: if overdue {
                    (today - finding.deadline).num_days()
                } else {
                    0
                },
                overdue,
                station_name: self.station_name(finding.meta.station),
                finding,
            });
        }
        Ok(rows)
    }

    /// One finding with its history, for someone who may read its station.
    pub fn finding_detail(&self, session: &Session, id: Id) -> Result<FindingDetail, ServiceError> {
        self.authorize(session)?;
        let finding = self.readable::<Finding>(session, id)?;
        let mut names: HashMap<Id, String> = HashMap::new();
        let mut history_names = Vec::with_capacity(finding.history.len());
        for step in &finding.history {
            let name = match names.get(&step.by) {
                Some(n) => n.clone(),
                None => {
                    let n = match self.store.get::<Officer>(step.by)? {
                        Some(o) => o.display_name,
                        None => step.by_name.clone(),
                    };
                    names.insert(step.by, n.clone());
                    n
                }
            };
            history_names.push(name);
        }
        let may_rectify = role_may(session.role, FindingAction::Rectify)
            && may_answer_for(session.station, finding.meta.station)
            && next_status(finding.status, FindingAction::Rectify).is_ok();
        let may_decide = role_may(session.role, FindingAction::Accept)
            && next_status(finding.status, FindingAction::Accept).is_ok();
        Ok(FindingDetail {
            station_name: self.station_name(finding.meta.station),
            overdue: finding.is_overdue(self.today()),
            history_names,
            may_rectify,
            may_decide,
            finding,
        })
    }

    /// The month's findings figures of `station` (None: every station the session reads),
    /// for statistics and the monthly report: recorded, answered, accepted, returned in
    /// the month, and overdue / unresolved at its end (today for the running month).
    /// Months use the terminal's local dates, as the findings' histories record them.
    pub fn findings_counts(
        &self,
        session: &Session,
        station: Option<Id>,
        year: i32,
        month: u32,
    ) -> Result<FindingCounts, ServiceError> {
        self.authorize(session)?;
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
            ValidationError::InvalidDate {
                field: Field::Month,
                input: format!("{year}-{month:02}"),
            }
        })?;
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX);
        let mut findings = Vec::new();
        for s in self.finding_stations(session, station)? {
            findings.extend(self.station_findings_in_full(s)?);
        }
        Ok(count_month(&findings, first, last, self.today()))
    }

    /// One station's finding counts for `first..=last`, for callers that checked the
    /// session's access already (the monthly statistics).
    pub(super) fn station_finding_counts(
        &self,
        station: Id,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<FindingCounts, ServiceError> {
        let findings = self.station_findings_in_full(station)?;
        Ok(count_month(&findings, first, last, self.today()))
    }

    /// Every finding of a station with its history (the index rows carry none; the
    /// counts need it).
    fn station_findings_in_full(&self, station: Id) -> Result<Vec<Finding>, ServiceError> {
        let mut findings = Vec::new();
        for row in self.store.station_findings(station, &[])? {
            if let Some(full) = self.store.get::<Finding>(row.meta.id)? {
                findings.push(full);
            }
        }
        Ok(findings)
    }
}
