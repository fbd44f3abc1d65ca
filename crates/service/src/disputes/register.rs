//! The dispute register (the station's list of disputes, filtered and sorted) and
//! the alerts on it.

use super::*;
use std::cmp::Reverse;
use std::collections::HashSet;

impl Service {
    /// The register: a station's disputes (a supervisor's: every station's), filtered and
    /// sorted, from the index entries alone.
    pub fn dispute_register(
        &self,
        session: &Session,
        filter: &RegisterFilter,
        sort: RegisterSort,
    ) -> Result<Vec<RegisterRow>, ServiceError> {
        // The gate is passed here too, as every public use case does (register_rows
        // passes it again for its crate-internal callers).
        self.authorize(session)?;
        self.register_rows(session, filter, sort, Parties::Named)
    }

    /// [`Service::dispute_register`] without the parties' names (`party_names` empty): a
    /// screen names the rows it shows with [`Service::register_party_names`], so opening a
    /// register of thousands of disputes reads the names of the screenful on show, not one
    /// index entry per party of every row (issue 16).
    pub fn dispute_register_unnamed(
        &self,
        session: &Session,
        filter: &RegisterFilter,
        sort: RegisterSort,
    ) -> Result<Vec<RegisterRow>, ServiceError> {
        self.authorize(session)?;
        self.register_rows(session, filter, sort, Parties::Unnamed)
    }

    /// The names of the parties of register rows, by person. Refused for a row of a
    /// station the session may not read; a party registered at another station is named
    /// only if one of the disputes it is party to is readable.
    pub fn register_party_names<'a>(
        &self,
        session: &Session,
        rows: impl IntoIterator<Item = &'a DisputeSummary>,
    ) -> Result<HashMap<Id, String>, ServiceError> {
        self.authorize(session)?;
        let p = session.principal();
        let mut wanted: Vec<(Id, Id)> = Vec::new();
        for row in rows {
            crate::reading::check_readable(session, row.station)?;
            wanted.extend(row.parties.iter().map(|party| (row.station, *party)));
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut names = HashMap::with_capacity(wanted.len());
        for (station, person) in wanted {
            if names.contains_key(&person) {
                continue;
            }
            let name = match self.store.person_summary(station, person)? {
                Some(summary) => summary.name,
                None => {
                    let party_to_readable = self
                        .store
                        .person_disputes(person)?
                        .iter()
                        .any(|d| access::can_read_station(&p, d.station));
                    match self.store.get::<Person>(person)? {
                        Some(found) if party_to_readable => found.name,
                        _ => "?".into(),
                    }
                }
            };
            names.insert(person, name);
        }
        Ok(names)
    }

    /// The register's rows; with [`Parties::Unnamed`] the party names are not looked up
    /// (one read per party: Today's alerts and the chief's approvals show none, and a
    /// login paid for them twice, issue 16).
    pub(crate) fn register_rows(
        &self,
        session: &Session,
        filter: &RegisterFilter,
        sort: RegisterSort,
        parties: Parties,
    ) -> Result<Vec<RegisterRow>, ServiceError> {
        self.authorize(session)?;
        let stations: Vec<Id> = match session.role {
            Role::Supervisor => self.stations()?.into_iter().map(|s| s.meta.id).collect(),
            Role::Admin => return Err(ServiceError::Forbidden(Forbidden::NoCaseData)),
            _ => vec![session.station],
        };
        let statuses: Vec<DisputeStatus> = match (filter.status, filter.all_statuses) {
            (Some(s), _) => vec![s],
            (None, true) => Vec::new(),
            (None, false) => DisputeStatus::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .collect(),
        };
        let now_local = self.now().naive_local();
        let query = filter.text.trim();
        let mut officers: HashMap<Id, String> = HashMap::new();
        let mut rows = Vec::new();
        for station in stations {
            // The filters that need no name first, so that nothing is read for a row
            // they drop.
            let summaries: Vec<(DisputeSummary, Option<DeadlineState>)> = self
                .store
                .station_disputes(station, &statuses)?
                .into_iter()
                .filter(|s| {
                    !(filter.category.as_ref().is_some_and(|c| *c != s.category)
                        || filter.min_risk.is_some_and(|r| s.risk < r)
                        || filter.officer.is_some_and(|o| o != s.assigned_to))
                })
                .map(|s| {
                    let deadline = s
                        .deadline
                        .filter(|_| s.status.mediation_running())
                        .map(|dl| deadline_state(dl, now_local));
                    (s, deadline)
                })
                .filter(|(_, deadline)| {
                    !filter.overdue_only || matches!(deadline, Some(DeadlineState::Overdue { .. }))
                })
                .collect();
            // Which disputes may be closed is read (one index range per resolved
            // dispute) on a second thread while this one reads every party's name.
            let (closable, persons) = std::thread::scope(|scope| {
                let closable = scope.spawn(|| self.closable_of(summaries.iter().map(|(s, _)| s)));
                let found = match parties {
                    Parties::Named => self.person_summaries(
                        summaries
                            .iter()
                            .flat_map(|(s, _)| s.parties.iter().map(|p| (s.station, *p))),
                    ),
                    Parties::Unnamed => Ok(HashMap::new()),
                };
                (crate::joined(closable), found)
            });
            let (closable, persons) = (closable?, persons?);
            for (s, deadline) in summaries {
                // Empty when unnamed: no party was read.
                let party_names: Vec<String> = s
                    .parties
                    .iter()
                    .filter_map(|p| persons.get(p).map(|person| person.name.clone()))
                    .collect();
                if !query.is_empty()
                    && !beatbook_core::search::text_matches(query, &s.title)
                    && !beatbook_core::search::text_matches(query, &s.village)
                    && !party_names
                        .iter()
                        .any(|n| beatbook_core::search::text_matches(query, n))
                {
                    continue;
                }
                let officer_name = officers
                    .entry(s.assigned_to)
                    .or_insert_with(|| match self.store.get::<Officer>(s.assigned_to) {
                        Ok(Some(o)) => o.display_name,
                        _ => "?".into(),
                    })
                    .clone();
                rows.push(RegisterRow {
                    closable: closable.contains(&s.id),
                    deadline,
                    party_names,
                    officer_name,
                    summary: s,
                });
            }
        }
        sort_rows(&mut rows, sort);
        Ok(rows)
    }

    /// The resolved/following-up disputes among `summaries` whose follow-ups are all
    /// made, read in the order of the dispute index (neighbouring disputes share its
    /// pages).
    fn closable_of<'a>(
        &self,
        summaries: impl Iterator<Item = &'a DisputeSummary>,
    ) -> Result<HashSet<Id>, ServiceError> {
        let mut candidates: Vec<(Id, DisputeStatus)> = summaries
            .filter(|s| {
                matches!(
                    s.status,
                    DisputeStatus::Resolved | DisputeStatus::FollowingUp
                )
            })
            .map(|s| (s.id, s.status))
            .collect();
        candidates.sort_unstable_by_key(|(id, _)| *id);
        let mut out = HashSet::new();
        for (id, status) in candidates {
            if is_closable(status, self.open_follow_ups_up_to(id, 1)?) {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// Dispute matters Today must show: deadlines overdue or within 24 h, feedback owed,
    /// red/orange disputes without contact, pending extensions and closable disputes (for
    /// the chief).
    pub fn dispute_alerts(
        &self,
        session: &Session,
        mine_only: bool,
    ) -> Result<Vec<DisputeAlert>, ServiceError> {
        self.authorize(session)?;
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        let filter = RegisterFilter {
            officer: mine_only.then_some(session.officer),
            ..Default::default()
        };
        let rows =
            self.register_rows(session, &filter, RegisterSort::Deadline, Parties::Unnamed)?;
        Ok(self.alerts_of(session, &rows))
    }

    /// The alerts of register rows already read and filtered (see
    /// [`Service::dispute_alerts`]).
    pub(crate) fn alerts_of<'a>(
        &self,
        session: &Session,
        rows: impl IntoIterator<Item = &'a RegisterRow>,
    ) -> Vec<DisputeAlert> {
        let today = self.today();
        let now = self.now_utc();
        let limits = &self.dispute_config().limits;
        let chief = session.role == Role::Chief;
        let mut alerts = Vec::new();
        for row in rows {
            let s = &row.summary;
            let mut push = |kind| {
                alerts.push(DisputeAlert {
                    dispute: s.id,
                    title: s.title.clone(),
                    risk: s.risk,
                    kind,
                    officer_name: row.officer_name.clone(),
                    mine: s.assigned_to == session.officer,
                })
            };
            match row.deadline {
                Some(DeadlineState::Overdue { days }) => push(AlertKind::DeadlineOverdue { days }),
                Some(DeadlineState::DueWithin24h) => push(AlertKind::DeadlineSoon),
                _ => {}
            }
            if s.feedback_due
                .is_some_and(|due| due <= now + chrono::Duration::hours(24))
                && !s.feedback_given
            {
                push(AlertKind::FeedbackDue);
            }
            let reference = s.accepted_on.unwrap_or(s.reported_on);
            // Once resolved, the follow-up plan sets the contact rhythm (and overdue
            // visits show on Today); before that, red/orange need contact every few days.
            let before_resolution = s.status.is_open()
                && !matches!(
                    s.status,
                    DisputeStatus::Resolved | DisputeStatus::FollowingUp
                );
            if before_resolution
                && needs_contact_alert(s.risk, s.last_contact, reference, today, limits)
            {
                let since = s.last_contact.unwrap_or(reference);
                push(AlertKind::NoContact {
                    days: (today - since).num_days(),
                });
            }
            if chief && s.extension_pending {
                push(AlertKind::ExtensionPending);
            }
            if chief && row.closable {
                push(AlertKind::Closable);
            }
        }
        alerts
    }
}

pub(crate) fn sort_rows(rows: &mut [RegisterRow], sort: RegisterSort) {
    // Every key ends with the dispute id, so no two are equal. The small keys are sorted
    // and each wide row moved once into place: sorting the rows themselves moved them
    // about a dozen times each (15 % of the chief's register, issue 16).
    let deadline = |r: &RegisterRow| r.summary.deadline.unwrap_or(NaiveDate::MAX);
    match sort {
        RegisterSort::Risk => {
            rows.sort_by_cached_key(|r| (Reverse(r.summary.risk), deadline(r), r.summary.id))
        }
        RegisterSort::Deadline => {
            rows.sort_by_cached_key(|r| (deadline(r), Reverse(r.summary.risk), r.summary.id))
        }
        RegisterSort::Reported => {
            rows.sort_by_cached_key(|r| (Reverse(r.summary.reported_on), Reverse(r.summary.id)))
        }
    }
}

/// Whether register rows carry their parties' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parties {
    Named,
    Unnamed,
}
