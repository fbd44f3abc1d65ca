//! Changing a flag once it is on the list: its level (and with it the rolling visits),
//! removal, the chief's decision on a pending change, and the periodic review.

use super::*;

impl Service {
    /// Applies a level change now: history, and the rolling visits re-planned from the
    /// last contact by the new level's rhythm.
    pub(crate) fn apply_level(
        &self,
        session: &Session,
        flag: &mut WatchFlag,
        to: RiskLevel,
        reason: &str,
        kind: FlagChangeKind,
    ) -> Result<Vec<Visit>, ServiceError> {
        let now = self.now_utc();
        let today = self.today();
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind,
            from_level: Some(flag.level),
            to_level: Some(to),
            reason: reason.to_string(),
        });
        flag.level = to;
        // Deciding a new level is a review: the next one falls due by the new level's
        // interval rather than the old one's.
        flag.next_review = next_review(to, today, self.watch_config());
        let mut visits = self.cancelled(
            session,
            self.open_watch_visits(flag.person)?,
            "等级调整，重新安排回访",
        );
        let due = next_visit_due(
            to,
            flag.last_contact,
            flag.added_on,
            today,
            self.watch_config(),
        );
        visits.push(self.watch_visit(session, flag, due));
        Ok(visits)
    }

    /// Changes a flag's level. Lowering a red flag waits for the chief unless the chief
    /// does it; a reason is always required.
    pub fn change_flag_level(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        to: RiskLevel,
        reason: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::ChangeLevel)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        if flag.level == to {
            return Err(WatchRefusal::SameLevel.into());
        }
        if flag.pending.is_some() {
            return Err(WatchRefusal::PendingExists.into());
        }
        let now = self.now_utc();
        let visits = match approval_for_level_change(flag.level, to, session.role) {
            Approval::ChiefMust => {
                flag.pending = Some(PendingChange {
                    to_level: Some(to),
                    reason: reason.clone(),
                    requested_by: session.officer,
                    requested_at: now,
                });
                flag.history.push(FlagChange {
                    at: now,
                    by: session.officer,
                    kind: FlagChangeKind::LoweringRequested,
                    from_level: Some(flag.level),
                    to_level: Some(to),
                    reason,
                });
                Vec::new()
            }
            Approval::NotNeeded => self.apply_level(
                session,
                &mut flag,
                to,
                &reason,
                FlagChangeKind::LevelChanged,
            )?,
        };
        self.save_flag(session, "watch.level", flag, visits)
    }

    /// Removes a person from the watch list (a red flag waits for the chief unless the
    /// chief does it); their rolling visits are cancelled with the reason.
    pub fn remove_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::RequestRemoval)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        if flag.pending.is_some() {
            return Err(WatchRefusal::PendingExists.into());
        }
        let now = self.now_utc();
        let visits = match approval_for_removal(flag.level, session.role) {
            Approval::ChiefMust => {
                flag.pending = Some(PendingChange {
                    to_level: None,
                    reason: reason.clone(),
                    requested_by: session.officer,
                    requested_at: now,
                });
                flag.history.push(FlagChange {
                    at: now,
                    by: session.officer,
                    kind: FlagChangeKind::RemovalRequested,
                    from_level: Some(flag.level),
                    to_level: None,
                    reason,
                });
                Vec::new()
            }
            Approval::NotNeeded => self.apply_removal(session, &mut flag, &reason)?,
        };
        self.save_flag(session, "watch.remove", flag, visits)
    }

    pub(crate) fn apply_removal(
        &self,
        session: &Session,
        flag: &mut WatchFlag,
        reason: &str,
    ) -> Result<Vec<Visit>, ServiceError> {
        flag.status = FlagStatus::Removed;
        flag.history.push(FlagChange {
            at: self.now_utc(),
            by: session.officer,
            kind: FlagChangeKind::Removed,
            from_level: Some(flag.level),
            to_level: None,
            reason: reason.to_string(),
        });
        Ok(self.cancelled(
            session,
            self.open_watch_visits(flag.person)?,
            &format!("撤销列管：{reason}"),
        ))
    }

    /// The chief approves or rejects the pending removal or lowering.
    pub fn decide_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        approve: bool,
        remarks: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::Decide)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, !approve, true)?;
        let Some(pending) = flag.pending.take() else {
            return Err(WatchRefusal::NothingPending.into());
        };
        let now = self.now_utc();
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind: if approve {
                FlagChangeKind::Approved
            } else {
                FlagChangeKind::Rejected
            },
            from_level: Some(flag.level),
            to_level: pending.to_level,
            reason: remarks,
        });
        let visits = match (approve, pending.to_level) {
            (false, _) => Vec::new(),
            (true, Some(to)) => self.apply_level(
                session,
                &mut flag,
                to,
                &pending.reason,
                FlagChangeKind::LevelChanged,
            )?,
            (true, None) => self.apply_removal(session, &mut flag, &pending.reason)?,
        };
        self.save_flag(session, "watch.decide", flag, visits)
    }

    /// Records a review: the next one falls due by the level's interval.
    pub fn review_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        remarks: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::Review)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, false, true)?;
        let today = self.today();
        flag.next_review = next_review(flag.level, today, self.watch_config());
        flag.history.push(FlagChange {
            at: self.now_utc(),
            by: session.officer,
            kind: FlagChangeKind::Reviewed,
            from_level: None,
            to_level: None,
            reason: remarks,
        });
        self.save_flag(session, "watch.review", flag, Vec::new())
    }
}
