//! The chief's inbox: everything that waits for the chief's decision, in one list on
//! Today. Before it, a red flag waiting to be lowered was visible only inside the
//! person's screen, so a chief who did not open that person never saw it.

use super::{Service, ServiceError, Session};
use beatbook_model::{FlagStatus, Id, RiskLevel, Role};
use chrono::NaiveDate;

/// What waits for the chief.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovalKind {
    /// A flag's responsible officer asked to lower it to `to`.
    FlagLowering { from: RiskLevel, to: RiskLevel },
    /// A flag's responsible officer asked to take the person off the list.
    FlagRemoval { level: RiskLevel },
    /// An officer asked for more days to mediate.
    Extension { days: u32 },
    /// A resolved dispute with every follow-up made: the chief may close it.
    Closable,
}

/// What Today shows of the register: its dispute alerts and, for a chief, the approvals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TodayInbox {
    pub alerts: Vec<super::DisputeAlert>,
    pub approvals: Vec<ApprovalRow>,
}

/// The record an inbox line opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApprovalTarget {
    /// The person screen (where the flag is decided).
    Person(Id),
    /// The dispute detail (where the extension is decided or the dispute closed).
    Dispute(Id),
}

/// One line of the chief's inbox, names resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRow {
    pub kind: ApprovalKind,
    pub target: ApprovalTarget,
    /// The person's name or the dispute's title.
    pub title: String,
    /// Why it was asked (empty for a closable dispute).
    pub reason: String,
    /// Who asked (the officer in charge for a closable dispute).
    pub requested_by: String,
    /// When it was asked, local date (None for a closable dispute).
    pub since: Option<NaiveDate>,
}

impl Service {
    /// The chief's pending approvals in the chief's own station: flag lowerings and
    /// removals, extension requests, and disputes ready to close; oldest request first,
    /// closable disputes last. Refused to every other role: only a chief decides these.
    pub fn approvals(&self, session: &Session) -> Result<Vec<ApprovalRow>, ServiceError> {
        self.authorize(session)?;
        if session.role != Role::Chief {
            return Err(ServiceError::Forbidden(super::Forbidden::ChiefOnly));
        }
        let register = self.open_register_unnamed(session)?;
        self.approvals_with(session, &register)
    }

    /// The dispute alerts Today shows (of `session`'s own disputes only when
    /// `mine_only`) and, for a chief, the approvals, from one read of the register: a
    /// chief's login read it twice, once for each (issue 16).
    pub fn today_inbox(
        &self,
        session: &Session,
        mine_only: bool,
    ) -> Result<TodayInbox, ServiceError> {
        self.authorize(session)?;
        if session.role != Role::Chief {
            return Ok(TodayInbox {
                alerts: self.dispute_alerts(session, mine_only)?,
                approvals: Vec::new(),
            });
        }
        let register = self.open_register_unnamed(session)?;
        let alerts = self.alerts_of(
            session,
            register
                .iter()
                .filter(|r| !mine_only || r.summary.assigned_to == session.officer),
        );
        let approvals = self.approvals_with(session, &register)?;
        Ok(TodayInbox { alerts, approvals })
    }

    /// The open disputes of the register as Today reads them: every officer's, deadline
    /// first, parties not named.
    fn open_register_unnamed(
        &self,
        session: &Session,
    ) -> Result<Vec<super::disputes::RegisterRow>, ServiceError> {
        self.register_rows(
            session,
            &super::RegisterFilter::default(),
            super::RegisterSort::Deadline,
            super::disputes::Parties::Unnamed,
        )
    }

    /// The chief's approvals, the disputes' taken from `register` (the station's open
    /// disputes, already read): flag changes and extension requests oldest first,
    /// closable disputes last.
    fn approvals_with(
        &self,
        session: &Session,
        register: &[super::disputes::RegisterRow],
    ) -> Result<Vec<ApprovalRow>, ServiceError> {
        let station = session.station;
        let offset = *self.now().offset();
        let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&offset).date_naive();
        let mut names = super::names::Names::default();
        let mut name_of = |service: &Service, id: Id| -> String {
            names
                .officer_known(service, id)
                .unwrap_or_else(|| "?".into())
        };
        let mut rows = Vec::new();
        // The flag index row says whether a change waits; only those flags are read.
        for row in self.store.station_flag_marks(station, FlagStatus::Active)? {
            if !row.pending {
                continue;
            }
            let Some(flag) = self.store.flag_of(row.person)? else {
                continue;
            };
            let Some(pending) = &flag.pending else {
                continue;
            };
            let kind = match pending.to_level {
                Some(to) => ApprovalKind::FlagLowering {
                    from: flag.level,
                    to,
                },
                None => ApprovalKind::FlagRemoval { level: flag.level },
            };
            rows.push(ApprovalRow {
                kind,
                target: ApprovalTarget::Person(flag.person),
                title: self.person_summary(station, flag.person)?.name,
                reason: pending.reason.clone(),
                requested_by: name_of(self, pending.requested_by),
                since: Some(local(pending.requested_at)),
            });
        }
        let mut closable = Vec::new();
        for row in register {
            let s = &row.summary;
            if s.station != station {
                continue;
            }
            if s.extension_pending {
                let dispute = self.store.get::<beatbook_model::Dispute>(s.id)?;
                if let Some(ext) = dispute.as_ref().and_then(|d| d.pending_extension()) {
                    rows.push(ApprovalRow {
                        kind: ApprovalKind::Extension { days: ext.days },
                        target: ApprovalTarget::Dispute(s.id),
                        title: s.title.clone(),
                        reason: ext.reason.clone(),
                        requested_by: name_of(self, ext.requested_by),
                        since: Some(local(ext.requested_at)),
                    });
                }
            }
            if row.closable {
                closable.push(ApprovalRow {
                    kind: ApprovalKind::Closable,
                    target: ApprovalTarget::Dispute(s.id),
                    title: s.title.clone(),
                    reason: String::new(),
                    requested_by: row.officer_name.clone(),
                    since: None,
                });
            }
        }
        rows.sort_by_key(|r| r.since);
        rows.extend(closable);
        Ok(rows)
    }
}
