//! The follow-up visits of a resolved dispute: planning them, counting and cancelling
//! the open ones, and what a visit made means for its dispute.

use super::*;

impl Service {
    /// A follow-up visit of a dispute: subject the dispute and its first party, covering
    /// every party (who was met is recorded when it is done).
    pub(crate) fn dispute_visit(
        &self,
        session: &Session,
        d: &Dispute,
        due: NaiveDate,
        n: usize,
    ) -> Visit {
        let days = (due - d.resolution.as_ref().map_or(due, |r| r.date)).num_days();
        let meta = Meta::new(d.meta.station, self.now_utc(), session.officer);
        Visit::dispute_follow_up(meta, d, due, days, n)
    }

    /// The dispute's still-owed visits, cancelled with `reason`.
    pub(crate) fn cancel_open_follow_ups(
        &self,
        session: &Session,
        d: &Dispute,
        reason: &str,
    ) -> Result<Vec<Visit>, ServiceError> {
        let now = self.now_utc();
        Ok(self
            .dispute_visits(d)?
            .into_iter()
            .filter(Visit::is_open)
            .map(|mut v| {
                v.status = VisitStatus::Cancelled;
                v.status_reason = reason.to_string();
                v.history.push(
                    VisitChange::new(now, session.officer, VisitChangeKind::Cancelled)
                        .reason(reason.to_string()),
                );
                v
            })
            .collect())
    }

    /// Every visit about a dispute, by due date (through the dispute's visit index).
    pub(crate) fn dispute_visits(&self, d: &Dispute) -> Result<Vec<Visit>, ServiceError> {
        let mut out = Vec::new();
        for summary in self.store.dispute_visit_summaries(d.meta.id)? {
            if let Some(v) = self.store.get::<Visit>(summary.id)? {
                out.push(v);
            }
        }
        out.sort_by_key(|v| (v.due, v.meta.id));
        Ok(out)
    }

    /// How many of a dispute's visits are still owed (index only).
    /// Counts what stands between a resolved dispute and closing: visits still owed, and
    /// missed visits nobody followed up (a miss is not a visit made; it needs a retry that
    /// is made, or cancelled with a reason).
    pub(crate) fn open_follow_ups(&self, dispute: Id) -> Result<usize, ServiceError> {
        self.open_follow_ups_up_to(dispute, usize::MAX)
    }

    /// [`Service::open_follow_ups`], counted only up to `enough`: the register asks of
    /// every resolved dispute whether any is open, and one owed visit answers that
    /// without reading a missed visit.
    pub(crate) fn open_follow_ups_up_to(
        &self,
        dispute: Id,
        enough: usize,
    ) -> Result<usize, ServiceError> {
        let visits = self.store.dispute_visit_statuses(dispute)?;
        // Owed visits first: the index says so, no visit is read.
        let mut open = visits
            .iter()
            .filter(|(_, status)| *status == VisitStatus::Scheduled)
            .count();
        for (id, _) in visits
            .iter()
            .filter(|(_, status)| *status == VisitStatus::Missed)
        {
            if open >= enough {
                break;
            }
            let retried = self
                .store
                .get::<Visit>(*id)?
                .is_some_and(|full| full.next_visit.is_some());
            if !retried {
                open += 1;
            }
        }
        Ok(open.min(enough))
    }

    /// Called inside a visit save: the dispute a visit belongs to learns of the contact,
    /// moves to following-up, and red/orange ones get their next weekly visit once the
    /// plan is used up. Returns the records to write with the visit.
    pub(crate) fn dispute_after_visit(
        &self,
        session: &Session,
        visit: &Visit,
        next_visit_planned: bool,
    ) -> Result<Vec<AnyRecord>, ServiceError> {
        let Some(id) = visit.subject.dispute else {
            return Ok(Vec::new());
        };
        let Some(mut d) = self.store.get::<Dispute>(id)? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<AnyRecord> = Vec::new();
        let today = self.today();
        if visit.status == VisitStatus::Done {
            d.last_contact = d.last_contact.max(Some(today));
            let next = beatbook_core::rules::disputes::follow_up_started(d.status);
            Self::push_status(&mut d, session, self.now_utc(), next, String::new());
        }
        let others_open = self
            .store
            .dispute_visit_summaries(d.meta.id)?
            .iter()
            .any(|v| v.status == VisitStatus::Scheduled && v.id != visit.meta.id);
        if d.risk.is_high() && d.status.is_open() && !others_open && !next_visit_planned {
            if let Some(due) = beatbook_core::rules::schedule::next_high_risk_visit(
                today,
                &self.dispute_config().rhythm,
            ) {
                out.push(self.dispute_visit(session, &d, due, 0).into());
            }
        }
        out.insert(0, d.into());
        Ok(out)
    }
}
