//! The dispute workflow's steps on behalf of a session: accept, feedback, mediation
//! sessions, resolution, hand-over, reopening, extensions and closing. Each reads the
//! dispute for its action ([`Service::dispute_for`]) and saves it with one status line.

use super::*;

impl Service {
    /// Accepts a reported dispute: the mediation deadline (ordinary or complex) and the
    /// 24-hour feedback deadline start now.
    pub fn accept_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Accept)?;
        let now = self.now_utc();
        let today = self.today();
        let limits = &self.dispute_config().limits;
        d.accepted_on = Some(today);
        d.mediation_deadline = Some(mediation_deadline(today, d.complexity, limits));
        d.feedback_due = Some(feedback_due(now, limits));
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.accept", d, Vec::new(), String::new())
    }

    /// Records that the reporting party was given feedback.
    pub fn record_feedback(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) = self.dispute_for(session, id, revision, DisputeAction::RecordFeedback)?;
        if d.feedback_given.is_some() {
            return Err(ServiceError::FeedbackAlreadyGiven);
        }
        d.feedback_given = Some(self.now_utc());
        self.save_dispute(session, "dispute.feedback", d, Vec::new(), String::new())
    }

    /// Adds a mediation session; the dispute is then being mediated.
    pub fn record_session(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &SessionForm,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) =
            self.dispute_for(session, id, revision, DisputeAction::RecordSession)?;
        let today = self.today();
        let date = parse_date_input(Field::SessionDate, &form.date, today)?;
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::SessionDate,
            }
            .into());
        }
        if d.accepted_on.is_some_and(|a| date < a) {
            return Err(ValidationError::DateBefore {
                field: Field::SessionDate,
                other: Field::AcceptedOn,
            }
            .into());
        }
        let result = form
            .result
            .ok_or(ValidationError::Required(Field::SessionResult))?;
        let now = self.now_utc();
        d.sessions.push(MediationSession {
            date,
            participants: clean(
                Field::Participants,
                &form.participants,
                limits::ADDRESS,
                true,
                false,
            )?,
            method: clean(
                Field::SessionMethod,
                &form.method,
                limits::SHORT,
                false,
                false,
            )?,
            result,
            agreement: clean(
                Field::AgreementText,
                &form.agreement,
                limits::NOTES,
                false,
                true,
            )?,
            notes: clean(Field::Notes, &form.notes, limits::NOTES, false, true)?,
            recorded_by: session.officer,
            recorded_at: now,
        });
        d.last_contact = d.last_contact.max(Some(date));
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.session", d, Vec::new(), String::new())
    }

    /// Resolves a dispute and schedules its follow-up visits from the configured rhythm
    /// (more often for red and orange ones), assigned to the dispute's officer.
    pub fn resolve_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &ResolveForm,
    ) -> Result<(Dispute, Vec<Visit>), ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Resolve)?;
        let today = self.today();
        let date = parse_date_input(Field::ResolutionDate, &form.date, today)?;
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::ResolutionDate,
            }
            .into());
        }
        if let Some(accepted) = d.accepted_on {
            if date < accepted {
                return Err(ValidationError::DateBefore {
                    field: Field::ResolutionDate,
                    other: Field::AcceptedOn,
                }
                .into());
            }
        }
        let now = self.now_utc();
        d.resolution = Some(Resolution {
            date,
            method: clean(
                Field::ResolutionMethod,
                &form.method,
                limits::SHORT,
                true,
                false,
            )?,
            officer: session.officer,
            success: form.success,
            how: clean(Field::How, &form.how, limits::NOTES, true, true)?,
        });
        Self::push_status(&mut d, session, now, next, String::new());
        let plan = follow_up_dates(date, d.risk, &self.dispute_config().rhythm);
        let visits: Vec<Visit> = plan
            .into_iter()
            .filter(|due| *due >= today)
            .enumerate()
            .map(|(n, due)| self.dispute_visit(session, &d, due, n + 1))
            .collect();
        let count = visits.len();
        let mut change = self
            .change(session, "dispute.resolve")
            .station(d.meta.station)
            .detail(format!("resolved; {count} follow-up visits scheduled"))
            .put(d);
        for v in visits {
            change = change.put(v);
        }
        // Return the records as stored (revision, timestamps), not the drafts: a caller
        // acting on a returned visit must not meet a revision conflict.
        let mut saved = None;
        let mut planned = Vec::with_capacity(count);
        for record in self.store.commit(&change)? {
            match record {
                AnyRecord::Dispute(d) => saved = Some(*d),
                AnyRecord::Visit(v) => planned.push(v),
                _ => {}
            }
        }
        let saved = saved.ok_or(ServiceError::NotFound(Kind::Dispute))?;
        Ok((saved, planned))
    }

    /// Hands a dispute to another body (referral) or opens a case (escalation).
    pub fn hand_over_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        escalate: bool,
        form: &HandoverForm,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let action = if escalate {
            DisputeAction::Escalate
        } else {
            DisputeAction::Refer
        };
        let (mut d, next) = self.dispute_for(session, id, revision, action)?;
        let today = self.today();
        let date = parse_date_input(Field::HandoverDate, &form.date, today)?;
        // Like sessions and resolutions: a handover is recorded once it happened.
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::HandoverDate,
            }
            .into());
        }
        let now = self.now_utc();
        d.handover = Some(Handover {
            to: clean(Field::HandoverTo, &form.to, limits::SHORT, true, false)?,
            reference: clean(
                Field::Reference,
                &form.reference,
                limits::SHORT,
                false,
                false,
            )?,
            date,
        });
        let reason = clean(Field::Reason, &form.reason, limits::NOTES, false, true)?;
        Self::push_status(&mut d, session, now, next, reason);
        let cancelled = self.cancel_open_follow_ups(session, &d, "纠纷已移交/转案件")?;
        self.save_dispute(
            session,
            if escalate {
                "dispute.escalate"
            } else {
                "dispute.refer"
            },
            d,
            cancelled,
            String::new(),
        )
    }

    /// A resolved dispute flares up again (复发): mediation starts over.
    pub fn reopen_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Reopen)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        let now = self.now_utc();
        let today = self.today();
        Self::push_status(&mut d, session, now, next, reason);
        d.mediation_deadline = Some(mediation_deadline(
            today,
            d.complexity,
            &self.dispute_config().limits,
        ));
        self.assess_risk(&mut d)?;
        // The old plan belonged to the old resolution; the next resolution plans anew.
        let cancelled = self.cancel_open_follow_ups(session, &d, "纠纷复发，重新调解")?;
        self.save_dispute(session, "dispute.reopen", d, cancelled, String::new())
    }

    /// Asks the chief for more days to mediate.
    pub fn request_extension(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        days: &str,
        reason: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) =
            self.dispute_for(session, id, revision, DisputeAction::RequestExtension)?;
        if d.pending_extension().is_some() {
            return Err(ServiceError::ExtensionPending);
        }
        let days = parse_days(days)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        d.extensions.push(Extension {
            requested_at: self.now_utc(),
            requested_by: session.officer,
            days,
            reason,
            decision: None,
        });
        self.save_dispute(
            session,
            "dispute.extension_request",
            d,
            Vec::new(),
            String::new(),
        )
    }

    /// The chief approves (deadline moves) or rejects the pending extension request.
    pub fn decide_extension(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        approve: bool,
        remarks: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) = self.dispute_for(session, id, revision, DisputeAction::DecideExtension)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, !approve, true)?;
        let now = self.now_utc();
        let Some(ext) = d.extensions.iter_mut().rev().find(|e| e.decision.is_none()) else {
            return Err(ServiceError::NoExtensionPending);
        };
        ext.decision = Some(ExtensionDecision {
            approved: approve,
            by: session.officer,
            at: now,
            remarks,
        });
        if approve {
            let days = u64::from(ext.days);
            d.mediation_deadline = d
                .mediation_deadline
                .and_then(|dl| dl.checked_add_days(Days::new(days)));
        }
        self.save_dispute(
            session,
            "dispute.extension_decision",
            d,
            Vec::new(),
            String::new(),
        )
    }

    /// Closes a resolved dispute (chief): every follow-up visit must be done or cancelled.
    pub fn close_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        remarks: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Close)?;
        let open = self.open_follow_ups(d.meta.id)?;
        if open > 0 {
            return Err(ServiceError::OpenFollowUps(open));
        }
        let now = self.now_utc();
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, false, true)?;
        d.evaluation = Some(Evaluation {
            date: self.today(),
            remarks,
        });
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.close", d, Vec::new(), String::new())
    }
}

pub(crate) fn parse_days(input: &str) -> Result<u32, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::Required(Field::Days));
    }
    // 0 is not "negative" and 91 is a whole number: say what is allowed.
    match s.parse::<i64>() {
        Ok(n) if (1..=90).contains(&n) => Ok(n as u32),
        Ok(_) => Err(ValidationError::OutOfRange {
            field: Field::Days,
            min: 1,
            max: 90,
        }),
        Err(_) => Err(ValidationError::InvalidNumber {
            field: Field::Days,
            input: s.to_string(),
        }),
    }
}
