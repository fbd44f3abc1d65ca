//! Dispute records built in bulk, as the register's use cases would have left them.
//!
//! `demo` and `seed` cannot call `register_dispute`, `accept_dispute` … one by one: each
//! is a durable transaction stamped "now" by a logged-in session, so a month of history
//! would all happen this morning and a large seed would take hours. Instead a dispute is
//! described by its [`Draft`] and the [`Step`]s it went through on past dates, and
//! [`Maker::make`] replays the steps with the same rules the service applies — workflow
//! table, mediation and feedback clocks from `rules::schedule`, risk from
//! `rules::risk::assess` over the ticked and implied indicators, follow-up visits from the
//! rhythm on resolution (subject the dispute and its first party), `following_up` on the
//! first visit made, `last_contact` from sessions and visits — and yields the records for
//! the batched writer.

use super::cases::{
    Case, CASES, ESCALATIONS, EVALUATIONS, EXTENSION_REASONS, EXTENSION_REJECTED, MEDIATORS,
    NOT_HONOURED, NO_AGREEMENT, PARTIAL, REFERRAL_REASONS, REOPEN_REASONS, RESOLUTION_METHODS,
    SESSION_METHODS,
};
use super::people::{one, weighted};
use super::story::{DISPUTE_NOTES, MISSED_REASONS};
use super::IdSeq;
use crate::loader::Loader;
use beatbook_core::config::disputes::implied;
use beatbook_core::config::DisputeConfig;
use beatbook_core::rules::disputes::{follow_up_started, next_status, DisputeAction};
use beatbook_core::rules::risk::assess;
use beatbook_core::rules::schedule::{
    extended_deadline, feedback_due, follow_up_dates, mediation_deadline, next_high_risk_visit,
};
use beatbook_model::{
    Complexity, Dispute, DisputeStatus, Evaluation, Extension, ExtensionDecision, Handover, Id,
    MediationSession, Meta, Party, PartyRole, Resolution, SessionResult, StatusChange,
    ValidDispute, Visit, VisitChange, VisitChangeKind, VisitMethod, VisitOutcome, VisitStatus,
};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};
use fastrand::Rng;
use std::collections::{BTreeSet, HashMap};

/// Rolling weekly visits of a red/orange dispute replayed at most: enough for the weeks a
/// demo or seed dispute stays open after its plan, without looping on odd rhythms.
const MAX_ROLLING: usize = 12;

/// The disputes written so far, by party: what the implied indicators are computed from.
/// Mirrors the service's check on save (the same parties in another dispute within the
/// recurrence window; a party in another one), counting only disputes reported up to the
/// day of the check, as they were when that dispute was saved.
#[derive(Default)]
pub(crate) struct Ledger {
    reported: Vec<NaiveDate>,
    parties: Vec<Vec<Id>>,
    by_person: HashMap<Id, Vec<usize>>,
    /// Persons on the watch list (the `watch_list` implied indicator).
    pub watched: std::collections::HashSet<Id>,
}

impl Ledger {
    /// Implied indicator codes for a dispute of `parties` checked on `on`, limited to the
    /// ones the configuration computes.
    pub fn implied(&self, parties: &[Id], on: NaiveDate, config: &DisputeConfig) -> Vec<String> {
        let window = u64::from(config.limits.recurrence_window_days);
        let since = on
            .checked_sub_days(Days::new(window))
            .unwrap_or(NaiveDate::MIN);
        let mine: BTreeSet<Id> = parties.iter().copied().collect();
        let mut out = BTreeSet::new();
        for person in &mine {
            let others = self
                .by_person
                .get(person)
                .into_iter()
                .flatten()
                .filter(|i| (since..=on).contains(&self.reported[**i]));
            if self.watched.contains(person) {
                out.insert(implied::WATCH_LIST);
            }
            for i in others {
                out.insert(implied::REPEAT_PARTY);
                if self.parties[*i].iter().filter(|p| mine.contains(p)).count() >= 2 {
                    out.insert(implied::REPEAT_PARTIES);
                }
            }
        }
        out.into_iter()
            .filter(|c| config.computes(c))
            .map(str::to_string)
            .collect()
    }

    /// Records a dispute written.
    pub fn add(&mut self, parties: &[Id], reported_on: NaiveDate) {
        let i = self.reported.len();
        self.reported.push(reported_on);
        self.parties.push(parties.to_vec());
        for p in parties {
            self.by_person.entry(*p).or_default().push(i);
        }
    }
}

/// A dispute as first registered.
pub(crate) struct Draft<'c> {
    pub case: &'c Case,
    pub station: Id,
    /// The station's town (城关 for 城关派出所), for referral bodies.
    pub town: String,
    /// The station's code, for case numbers.
    pub code: String,
    pub village: String,
    /// Persons with their record names (张某); applicant first, respondent second.
    pub parties: Vec<(Id, String)>,
    pub officer: Id,
    /// Who decides extensions and closes.
    pub chief: Id,
    pub reported_on: NaiveDate,
    pub ticked: Vec<String>,
    pub complexity: Complexity,
    pub recurrence_of: Option<Id>,
}

/// Something that happened to a dispute on a past day. Steps the workflow refuses from
/// the status reached are skipped, so a plan can never write an impossible history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Accepted; `feedback`: the reporting party was told within the day.
    Accept {
        on: NaiveDate,
        feedback: bool,
    },
    Session {
        on: NaiveDate,
        result: SessionResult,
    },
    /// An extension requested; `approve`: the chief's decision the day after, if made.
    Extension {
        on: NaiveDate,
        days: u32,
        approve: Option<bool>,
    },
    /// Resolved with an agreement; follow-up visits scheduled. Visits due before today
    /// are made, except the last `leave_owed` of them (overdue).
    Resolve {
        on: NaiveDate,
        leave_owed: usize,
    },
    /// Closed by the chief: only when no follow-up is owed.
    Close {
        on: NaiveDate,
    },
    HandOver {
        on: NaiveDate,
        escalate: bool,
    },
    Reopen {
        on: NaiveDate,
    },
}

impl Step {
    /// The same step on another day.
    fn on(self, day: NaiveDate) -> Step {
        match self {
            Step::Accept { feedback, .. } => Step::Accept { on: day, feedback },
            Step::Session { result, .. } => Step::Session { on: day, result },
            Step::Extension { days, approve, .. } => Step::Extension {
                on: day,
                days,
                approve,
            },
            Step::Resolve { leave_owed, .. } => Step::Resolve {
                on: day,
                leave_owed,
            },
            Step::Close { .. } => Step::Close { on: day },
            Step::HandOver { escalate, .. } => Step::HandOver { on: day, escalate },
            Step::Reopen { .. } => Step::Reopen { on: day },
        }
    }
}

/// The day of a step.
fn step_date(step: &Step) -> NaiveDate {
    match *step {
        Step::Accept { on, .. }
        | Step::Session { on, .. }
        | Step::Extension { on, .. }
        | Step::Resolve { on, .. }
        | Step::Close { on }
        | Step::HandOver { on, .. }
        | Step::Reopen { on } => on,
    }
}

/// A dispute and the visits it brought.
pub(crate) struct Built {
    pub dispute: Dispute,
    pub visits: Vec<Visit>,
}

/// The follow-up visits a resolution scheduled, and how far they were made.
#[derive(Clone, Copy)]
struct FollowUps<'p> {
    plan: &'p [NaiveDate],
    /// Past-due planned visits still owed, counted from the last.
    leave_owed: usize,
    /// Rolling visits are made before this day (closing, handing over, reopening or today).
    horizon: NaiveDate,
    /// When the resolution scheduled them.
    at: DateTime<Utc>,
}

/// Replays dispute histories for one bulk load.
pub(crate) struct Maker<'s> {
    service: &'s Loader<'s>,
    today: NaiveDate,
    now: DateTime<Utc>,
    pub ledger: Ledger,
    /// Serial of the reference numbers handed out.
    serial: u32,
}

/// Filling of a case's placeholders for one dispute.
struct Fill {
    pairs: Vec<(&'static str, String)>,
}

impl Fill {
    fn apply(&self, template: &str) -> String {
        let mut s = template.to_string();
        for (key, value) in &self.pairs {
            if s.contains(key) {
                s = s.replace(key, value);
            }
        }
        s
    }
}

/// An amount as records write it: `3.5万` from ten thousand yuan up, plain below.
fn yuan_words(yuan: u64) -> String {
    if yuan >= 10_000 {
        let wan = format!("{:.2}", yuan as f64 / 10_000.0);
        let wan = wan.trim_end_matches('0').trim_end_matches('.');
        format!("{wan}万")
    } else {
        yuan.to_string()
    }
}

/// Keeps a dispute's timestamps in order and never in the future.
struct Times {
    last: DateTime<Utc>,
    now: DateTime<Utc>,
}

impl Times {
    fn at(&mut self, service: &Loader<'_>, rng: &mut Rng, date: NaiveDate) -> DateTime<Utc> {
        let t = service
            .local_time(date, rng.u32(8..18), rng.u32(0..60))
            .max(self.last)
            .min(self.now);
        self.last = t;
        t
    }
}

impl<'s> Maker<'s> {
    pub fn new(service: &'s Loader<'s>) -> Maker<'s> {
        Maker {
            service,
            today: service.today(),
            now: service.now_utc(),
            ledger: Ledger::default(),
            serial: 0,
        }
    }

    fn config(&self) -> &'s DisputeConfig {
        &self.service.settings().disputes
    }

    /// Ticked indicators the configuration knows as tickable, sorted, each once (what
    /// the form would have accepted).
    pub fn tickable(&self, codes: &[&str]) -> Vec<String> {
        let config = self.config();
        let mut out: Vec<String> = codes
            .iter()
            .filter(|c| config.indicator(c).is_some_and(|i| !i.implied))
            .map(|c| c.to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The indicators of a case that come up this time, by their chances.
    pub fn roll_indicators(&self, rng: &mut Rng, case: &Case) -> Vec<String> {
        let codes: Vec<&str> = case
            .indicators
            .iter()
            .filter(|(_, chance)| rng.u32(0..100) < *chance)
            .map(|(c, _)| *c)
            .collect();
        self.tickable(&codes)
    }

    /// The category and sub-category codes to store: the case's when the configured
    /// dictionary has them, else its first category (a bureau may have replaced the list).
    fn category(&self, case: &Case) -> (String, String) {
        let config = self.config();
        match config.category(case.category) {
            Some(c) => {
                let known = c.subcategories.iter().any(|s| s.code == case.subcategory);
                let sub = if known {
                    case.subcategory.to_string()
                } else {
                    String::new()
                };
                (c.code.clone(), sub)
            }
            None => (
                config
                    .categories
                    .first()
                    .map(|c| c.code.clone())
                    .unwrap_or_else(|| case.category.to_string()),
                String::new(),
            ),
        }
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.service.now().timezone())
            .date_naive()
    }

    /// Builds a dispute that went through `steps`, and its follow-up visits; adds it to
    /// the ledger.
    pub fn make(&mut self, rng: &mut Rng, ids: &mut IdSeq, draft: &Draft, steps: &[Step]) -> Built {
        let config = self.config();
        let limits = &config.limits;
        let case = draft.case;
        let mut times = Times {
            last: DateTime::<Utc>::MIN_UTC,
            now: self.now,
        };
        let party_ids: Vec<Id> = draft.parties.iter().map(|(id, _)| *id).collect();
        let name = |i: usize| {
            draft
                .parties
                .get(i)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let crowd = rng.u32(case.crowd.0..=case.crowd.1.max(case.crowd.0));
        let people_involved = draft.parties.len() as u32 + crowd;
        let amount = (case.amount.1 > 0).then(|| {
            let yuan = rng.u64(case.amount.0..=case.amount.1.max(case.amount.0));
            // Rounded as people state sums: to the hundred, or the thousand when large.
            if yuan >= 10_000 {
                yuan / 1000 * 1000
            } else {
                yuan / 100 * 100
            }
        });
        let third = if draft.parties.len() > 2 {
            name(2)
        } else {
            "邻居".to_string()
        };
        let fill = Fill {
            pairs: vec![
                ("{a}", name(0)),
                ("{b}", name(1)),
                ("{c}", third),
                ("{v}", draft.village.clone()),
                ("{amt}", amount.map(yuan_words).unwrap_or_default()),
                ("{n}", people_involved.saturating_sub(1).to_string()),
                ("{town}", draft.town.clone()),
                ("{code}", draft.code.clone()),
                ("{y}", self.today.year().to_string()),
            ],
        };
        let (category, subcategory) = self.category(case);
        let reported_at = times.at(self.service, rng, draft.reported_on);
        let mut meta = Meta::new(draft.station, reported_at, draft.officer);
        meta.id = ids.next();
        let reported = ValidDispute {
            title: fill.apply(case.title),
            category,
            subcategory,
            village: draft.village.clone(),
            place: fill.apply(case.place),
            happened_on: draft.reported_on.checked_sub_days(Days::new(rng.u64(0..3))),
            source: case.source,
            scale: case.scale,
            people_involved,
            amount_fen: amount.map(|y| y * 100),
            description: fill.apply(case.description),
            parties: draft
                .parties
                .iter()
                .enumerate()
                .map(|(i, (person, _))| Party {
                    person: *person,
                    role: match i {
                        0 => PartyRole::Applicant,
                        1 => PartyRole::Respondent,
                        _ => PartyRole::Other,
                    },
                })
                .collect(),
            complexity: draft.complexity,
            indicators: draft.ticked.clone(),
        };
        let mut d = Dispute::reported(
            meta,
            reported,
            draft.officer,
            draft.reported_on,
            draft.recurrence_of,
        );
        self.assess(&mut d, draft.reported_on);
        let mut visits: Vec<Visit> = Vec::new();
        let mut floor = draft.reported_on;
        for (k, step) in steps.iter().enumerate() {
            let action = match step {
                Step::Accept { .. } => DisputeAction::Accept,
                Step::Session { .. } => DisputeAction::RecordSession,
                Step::Extension { .. } => DisputeAction::RequestExtension,
                Step::Resolve { .. } => DisputeAction::Resolve,
                Step::Close { .. } => DisputeAction::Close,
                Step::HandOver { escalate: true, .. } => DisputeAction::Escalate,
                Step::HandOver { .. } => DisputeAction::Refer,
                Step::Reopen { .. } => DisputeAction::Reopen,
            };
            let Ok(next) = next_status(d.status, action) else {
                continue;
            };
            // A plan's dates never go back before an earlier step nor past today (odd
            // time limits in a bureau's configuration can squeeze a scripted story).
            let on = step_date(step).max(floor).min(self.today);
            floor = on;
            match step.on(on) {
                Step::Accept { on, feedback } => {
                    let at = times.at(self.service, rng, on);
                    d.accepted_on = Some(on);
                    d.mediation_deadline = Some(mediation_deadline(on, d.complexity, limits));
                    d.feedback_due = Some(feedback_due(at, limits));
                    d.feedback_given =
                        feedback.then(|| (at + TimeDelta::hours(rng.i64(1..20))).min(self.now));
                    push(&mut d, at, draft.officer, next, String::new());
                }
                Step::Session { on, result } => {
                    let at = times.at(self.service, rng, on);
                    let notes = match result {
                        SessionResult::Agreement => String::new(),
                        SessionResult::PartialAgreement => fill.apply(one::<&str>(rng, PARTIAL)),
                        SessionResult::NoAgreement => fill.apply(one::<&str>(rng, NO_AGREEMENT)),
                    };
                    d.sessions.push(MediationSession {
                        date: on,
                        participants: format!("{}、{}，{}", name(0), name(1), one(rng, MEDIATORS)),
                        method: one(rng, SESSION_METHODS).to_string(),
                        result,
                        agreement: if result == SessionResult::Agreement {
                            fill.apply(case.agreement)
                        } else {
                            String::new()
                        },
                        notes,
                        recorded_by: draft.officer,
                        recorded_at: at,
                    });
                    d.last_contact = d.last_contact.max(Some(on));
                    push(&mut d, at, draft.officer, next, String::new());
                }
                Step::Extension { on, days, approve } => {
                    if d.pending_extension().is_some() {
                        continue;
                    }
                    let at = times.at(self.service, rng, on);
                    let decision = approve.map(|approved| {
                        let day = on.succ_opt().unwrap_or(on).min(self.today);
                        ExtensionDecision {
                            approved,
                            by: draft.chief,
                            at: times.at(self.service, rng, day),
                            remarks: if approved {
                                String::new()
                            } else {
                                EXTENSION_REJECTED.to_string()
                            },
                        }
                    });
                    if decision.as_ref().is_some_and(|x| x.approved) {
                        d.mediation_deadline =
                            d.mediation_deadline.map(|dl| extended_deadline(dl, days));
                    }
                    d.extensions.push(Extension {
                        requested_at: at,
                        requested_by: draft.officer,
                        days,
                        reason: fill.apply(one::<&str>(rng, EXTENSION_REASONS)),
                        decision,
                    });
                }
                Step::Resolve { on, leave_owed } => {
                    let at = times.at(self.service, rng, on);
                    d.resolution = Some(Resolution {
                        date: on,
                        method: one(rng, RESOLUTION_METHODS).to_string(),
                        officer: draft.officer,
                        success: true,
                        how: fill.apply(case.agreement),
                    });
                    push(&mut d, at, draft.officer, next, String::new());
                    let plan: Vec<NaiveDate> = follow_up_dates(on, d.risk, &config.rhythm)
                        .into_iter()
                        .filter(|due| *due >= on)
                        .collect();
                    // Visits stop being made when the dispute is closed or handed over.
                    let horizon = steps[k + 1..]
                        .iter()
                        .find_map(|s| match *s {
                            Step::Close { on }
                            | Step::HandOver { on, .. }
                            | Step::Reopen { on } => Some(on),
                            _ => None,
                        })
                        .unwrap_or(self.today)
                        .clamp(on, self.today.max(on));
                    let made = FollowUps {
                        plan: &plan,
                        leave_owed,
                        horizon,
                        at,
                    };
                    visits.extend(self.follow_ups(rng, ids, &mut d, &mut times, &fill, &made));
                }
                Step::Close { on } => {
                    // Red and orange disputes are visited weekly as long as they are open:
                    // the chief stops the rolling visit owed when closing.
                    let high = d.risk.is_high();
                    if visits.iter().any(|v| v.is_open() && (!high || v.due < on)) {
                        continue;
                    }
                    let at = times.at(self.service, rng, on);
                    for v in visits.iter_mut().filter(|v| v.is_open()) {
                        cancel(v, at, draft.chief, "风险已消除，经所长批准停止回访");
                    }
                    d.evaluation = Some(Evaluation {
                        date: self.local_date(at),
                        remarks: one(rng, EVALUATIONS).to_string(),
                    });
                    push(&mut d, at, draft.chief, next, String::new());
                }
                Step::HandOver { on, escalate } => {
                    let at = times.at(self.service, rng, on);
                    self.serial += 1;
                    let no = format!("{:04}", self.serial);
                    let (to, reference, reason) = if escalate {
                        let (to, reference, reason) = *one(rng, ESCALATIONS);
                        (to, reference, reason)
                    } else {
                        (
                            case.referral.0,
                            case.referral.1,
                            *one(rng, REFERRAL_REASONS),
                        )
                    };
                    d.handover = Some(Handover {
                        to: fill.apply(to),
                        reference: fill.apply(reference).replace("{no}", &no),
                        date: on,
                    });
                    for v in visits.iter_mut().filter(|v| v.is_open()) {
                        cancel(v, at, draft.officer, "纠纷已移交/转案件");
                    }
                    push(&mut d, at, draft.officer, next, fill.apply(reason));
                }
                Step::Reopen { on } => {
                    let at = times.at(self.service, rng, on);
                    push(
                        &mut d,
                        at,
                        draft.officer,
                        next,
                        fill.apply(one::<&str>(rng, REOPEN_REASONS)),
                    );
                    d.mediation_deadline = Some(mediation_deadline(on, d.complexity, limits));
                    self.assess(&mut d, on);
                }
            }
        }
        self.ledger.add(&party_ids, draft.reported_on);
        Built { dispute: d, visits }
    }

    /// Implied indicators and risk as the service computes them on a save on `on`.
    fn assess(&self, d: &mut Dispute, on: NaiveDate) {
        let config = self.config();
        let parties: Vec<Id> = d.party_ids().collect();
        d.implied_indicators = self.ledger.implied(&parties, on, config);
        let all: Vec<String> = d
            .indicators
            .iter()
            .chain(d.implied_indicators.iter())
            .cloned()
            .collect();
        let a = assess(&all, &config.rules);
        d.risk = a.level;
        d.fired_rules = a.fired;
    }

    /// The follow-up visits scheduled on resolution at `at`: those due before today made
    /// (now and then missed once and tried again two days later), the last `leave_owed`
    /// of them still owed; then, for a red/orange dispute left with nothing owed, the
    /// rolling weekly visits the service adds after each one.
    fn follow_ups(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        d: &mut Dispute,
        times: &mut Times,
        fill: &Fill,
        made: &FollowUps,
    ) -> Vec<Visit> {
        let FollowUps {
            plan,
            leave_owed,
            horizon,
            at,
        } = *made;
        let rhythm = &self.config().rhythm;
        let resolved_on = d.resolution.as_ref().map_or(self.today, |r| r.date);
        let past = plan.iter().filter(|due| **due < self.today).count();
        let make_until = past.saturating_sub(leave_owed);
        let planned = plan.len();
        let (station, officer) = (d.meta.station, d.assigned_to);
        // The dispute as it stands when its follow-ups are planned (`made` changes `d`).
        let planned_for = d.clone();
        let scheduled = |ids: &mut IdSeq, due: NaiveDate, n: usize, at: DateTime<Utc>| {
            let days = (due - resolved_on).num_days();
            let mut meta = Meta::new(station, at, officer);
            meta.id = ids.next();
            Visit::dispute_follow_up(meta, &planned_for, due, days, n)
        };
        let mut plan: Vec<(NaiveDate, usize)> = plan
            .iter()
            .enumerate()
            .map(|(i, due)| (*due, i + 1))
            .collect();
        let mut out: Vec<Visit> = Vec::new();
        let mut i = 0;
        while i < plan.len() {
            let (due, n) = plan[i];
            // Rolling visits are scheduled when the one before is made.
            let scheduled_at = match out.last().and_then(|v| v.completed_at) {
                Some(prev) if i >= planned => prev,
                _ => at,
            };
            let mut visit = scheduled(ids, due, n, scheduled_at);
            let make = if i < planned {
                i < make_until
            } else {
                due < horizon
            };
            if make {
                if rng.u32(0..100) < 7 {
                    // Missed once, tried again two days later (made if that lies before
                    // today, else still owed).
                    let when = times.at(self.service, rng, due);
                    let reason = one(rng, MISSED_REASONS).to_string();
                    visit.status = VisitStatus::Missed;
                    visit.status_reason = reason.clone();
                    visit.completed_at = Some(when);
                    visit
                        .history
                        .push(change(when, officer, VisitChangeKind::Missed, &reason));
                    let retry_due = ahead(due, 2);
                    let mut retry = scheduled(ids, retry_due, n, when);
                    retry.previous_visit = Some(visit.meta.id);
                    visit.next_visit = Some(retry.meta.id);
                    out.push(visit);
                    visit = retry;
                }
                if visit.due < self.today {
                    self.made(rng, times, d, fill, &mut visit);
                }
            }
            out.push(visit);
            i += 1;
            let open = out.iter().any(Visit::is_open);
            let rolling = plan.len() - planned;
            if i == plan.len()
                && !open
                && d.risk.is_high()
                && d.status.is_open()
                && rolling < MAX_ROLLING
            {
                let last = out.iter().filter_map(|v| v.completed_at).max();
                let from = last.map_or(resolved_on, |t| self.local_date(t));
                if let Some(next) = next_high_risk_visit(from, rhythm) {
                    plan.push((next, 0));
                }
            }
        }
        out
    }

    /// Marks `visit` made on its due day, with the dispute learning of the contact.
    fn made(
        &self,
        rng: &mut Rng,
        times: &mut Times,
        d: &mut Dispute,
        fill: &Fill,
        visit: &mut Visit,
    ) {
        let when = times.at(self.service, rng, visit.due);
        let outcome = *weighted(
            rng,
            &[
                (VisitOutcome::Stable, 68),
                (VisitOutcome::Improved, 27),
                (VisitOutcome::Worsened, 5),
            ],
        );
        visit.status = VisitStatus::Done;
        visit.outcome = Some(outcome);
        visit.method = if rng.u32(0..100) < 25 {
            VisitMethod::Phone
        } else {
            VisitMethod::InPerson
        };
        visit.agreement_honoured = Some(outcome != VisitOutcome::Worsened);
        visit.notes = if outcome == VisitOutcome::Worsened {
            fill.apply(one::<&str>(rng, NOT_HONOURED))
        } else {
            one(rng, DISPUTE_NOTES).to_string()
        };
        // In person the officer meets every party; a call reaches the one phoned.
        visit.met = Some(if visit.method == VisitMethod::InPerson {
            visit.persons()
        } else {
            visit.subject.person.into_iter().collect()
        });
        visit.completed_at = Some(when);
        visit
            .history
            .push(change(when, visit.assigned_to, VisitChangeKind::Done, ""));
        d.last_contact = d.last_contact.max(Some(self.local_date(when)));
        let next = follow_up_started(d.status);
        push(d, when, visit.assigned_to, next, String::new());
    }
}

fn change(at: DateTime<Utc>, by: Id, kind: VisitChangeKind, reason: &str) -> VisitChange {
    VisitChange {
        at,
        by,
        kind,
        from_due: None,
        to_due: None,
        reason: reason.to_string(),
    }
}

fn cancel(v: &mut Visit, at: DateTime<Utc>, by: Id, reason: &str) {
    v.status = VisitStatus::Cancelled;
    v.status_reason = reason.to_string();
    v.history
        .push(change(at, by, VisitChangeKind::Cancelled, reason));
}

/// A status change with its history line (none when the status stays).
fn push(d: &mut Dispute, at: DateTime<Utc>, by: Id, to: DisputeStatus, reason: String) {
    if d.status != to {
        d.history.push(StatusChange {
            at,
            by,
            from: Some(d.status),
            to,
            reason,
        });
        d.status = to;
    }
}

/// `date` moved back `days`, saturating.
pub(crate) fn back(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

/// `date` moved forward `days`, saturating.
pub(crate) fn ahead(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// A random history ending in `status` today: when it was reported and what happened
/// since. Open mediation starts within the last two weeks (so some deadlines are overdue,
/// some due today, most running); follow-ups within the last month; closed and handed
/// over ones reach back `reach_days`.
pub(crate) fn random_history(
    rng: &mut Rng,
    today: NaiveDate,
    status: DisputeStatus,
    reach_days: u64,
) -> (NaiveDate, Vec<Step>) {
    use DisputeStatus as S;
    let reach = reach_days.max(60);
    let accept = |rng: &mut Rng, a: NaiveDate| Step::Accept {
        on: a,
        feedback: a < back(today, 1) || rng.u32(0..100) < 60,
    };
    // Sessions between acceptance and `end`, the last one on `end` with `last`.
    let sessions = |rng: &mut Rng, a: NaiveDate, end: NaiveDate, last: SessionResult| {
        let mut out = Vec::new();
        let span = (end - a).num_days().max(0) as u64;
        if span >= 2 && rng.bool() {
            let mid = ahead(a, rng.u64(0..span));
            out.push(Step::Session {
                on: mid,
                result: if rng.bool() {
                    SessionResult::NoAgreement
                } else {
                    SessionResult::PartialAgreement
                },
            });
        }
        out.push(Step::Session {
            on: end,
            result: last,
        });
        out
    };
    match status {
        S::Reported => (back(today, rng.u64(0..=2)), Vec::new()),
        S::Accepted => {
            let a = back(today, rng.u64(0..=7));
            (back(a, rng.u64(0..=1)), vec![accept(rng, a)])
        }
        S::Mediating => {
            let a = back(today, rng.u64(1..=12));
            let mut steps = vec![accept(rng, a)];
            let last = ahead(a, rng.u64(0..=(today - a).num_days().max(0) as u64));
            steps.extend(sessions(rng, a, last, SessionResult::NoAgreement));
            if rng.u32(0..100) < 20 {
                let approve = match rng.u32(0..10) {
                    0..=4 => Some(true),
                    5..=6 => Some(false),
                    _ => None,
                };
                steps.push(Step::Extension {
                    on: last,
                    days: *one(rng, &[5, 7, 10, 15]),
                    approve,
                });
            }
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Resolved | S::FollowingUp => {
            let resolved = if status == S::Resolved {
                back(today, rng.u64(0..=1))
            } else {
                back(today, rng.u64(2..=28))
            };
            let a = back(resolved, rng.u64(0..=8));
            let mut steps = vec![accept(rng, a)];
            steps.extend(sessions(rng, a, resolved, SessionResult::Agreement));
            steps.push(Step::Resolve {
                on: resolved,
                leave_owed: usize::from(rng.u32(0..100) < 12),
            });
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Closed | S::Reopened => {
            let (lo, hi) = if status == S::Reopened {
                (45, 150)
            } else {
                (45, reach)
            };
            let resolved = back(today, rng.u64(lo..=hi));
            let a = back(resolved, rng.u64(0..=8));
            let mut steps = vec![accept(rng, a)];
            steps.extend(sessions(rng, a, resolved, SessionResult::Agreement));
            steps.push(Step::Resolve {
                on: resolved,
                leave_owed: 0,
            });
            let closed = ahead(resolved, 31 + rng.u64(0..=10)).min(back(today, 3));
            steps.push(Step::Close { on: closed });
            if status == S::Reopened {
                steps.push(Step::Reopen {
                    on: back(today, rng.u64(0..=2)),
                });
            }
            (back(a, rng.u64(0..=1)), steps)
        }
        S::Referred | S::Escalated => {
            let a = back(today, rng.u64(3..=reach));
            let mut steps = vec![accept(rng, a)];
            let handed = ahead(a, rng.u64(1..=8)).min(today);
            if rng.bool() {
                steps.extend(sessions(rng, a, handed, SessionResult::NoAgreement));
            }
            steps.push(Step::HandOver {
                on: handed,
                escalate: status == S::Escalated,
            });
            (back(a, rng.u64(0..=1)), steps)
        }
    }
}

/// A dispute registered at a station, for later recurrences between the same parties.
#[derive(Clone)]
pub(crate) struct Earlier {
    pub id: Id,
    pub parties: Vec<(Id, String)>,
    pub reported_on: NaiveDate,
    pub village: String,
}

/// How a desk picks parties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Picking {
    /// Each person in turn (the demo: few repeats besides the deliberate ones).
    InTurn,
    /// At random (seed: people meet in several disputes, as in a busy station).
    AtRandom,
}

/// A station as disputes are registered at it.
pub(crate) struct Desk {
    pub station: Id,
    pub town: String,
    pub code: String,
    pub villages: Vec<String>,
    /// Officers disputes are assigned to, with their share.
    pub officers: Vec<(Id, u32)>,
    pub chief: Id,
    /// Persons disputes can be between, with their record names (张某).
    pub people: Vec<(Id, String)>,
    pub earlier: Vec<Earlier>,
    picking: Picking,
    turn: usize,
    /// Case order: every kind once before any twice, so small stations cover every
    /// category.
    cases: Vec<usize>,
    next_case: usize,
}

impl Desk {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rng: &mut Rng,
        station: Id,
        name: &str,
        code: &str,
        villages: Vec<String>,
        officers: Vec<(Id, u32)>,
        chief: Id,
        people: Vec<(Id, String)>,
        picking: Picking,
    ) -> Desk {
        let mut cases: Vec<usize> = (0..CASES.len()).collect();
        rng.shuffle(&mut cases);
        Desk {
            station,
            town: name.trim_end_matches("派出所").to_string(),
            code: code.to_string(),
            villages: if villages.is_empty() {
                vec![name.to_string()]
            } else {
                villages
            },
            officers,
            chief,
            people,
            earlier: Vec::new(),
            picking,
            turn: 0,
            cases,
            next_case: 0,
        }
    }

    /// `n` different persons, or `None` when the station has fewer.
    pub fn pick(&mut self, rng: &mut Rng, n: usize) -> Option<Vec<(Id, String)>> {
        let len = self.people.len();
        if len < n {
            return None;
        }
        let mut out: Vec<(Id, String)> = Vec::with_capacity(n);
        let mut tries = 0;
        while out.len() < n && tries < 8 * n + 8 {
            tries += 1;
            let i = match self.picking {
                Picking::InTurn => {
                    self.turn = (self.turn + 1) % len;
                    self.turn
                }
                Picking::AtRandom => rng.usize(0..len),
            };
            let p = &self.people[i];
            if !out.iter().any(|q| q.0 == p.0) {
                out.push(p.clone());
            }
        }
        (out.len() == n).then_some(out)
    }

    /// The next kind of dispute.
    pub fn case(&mut self) -> &'static Case {
        let i = self.cases.get(self.next_case).copied().unwrap_or(0);
        self.next_case = (self.next_case + 1) % self.cases.len().max(1);
        &CASES[i % CASES.len()]
    }

    /// A village of the station where such a case happens (any when none suits).
    pub fn village_for(&self, rng: &mut Rng, case: &Case) -> String {
        let suiting: Vec<&String> = self
            .villages
            .iter()
            .filter(|v| case.setting.suits(v))
            .collect();
        if suiting.is_empty() {
            one(rng, &self.villages).clone()
        } else {
            (*one(rng, &suiting)).clone()
        }
    }

    fn officer(&self, rng: &mut Rng) -> Id {
        if self.officers.is_empty() {
            return self.chief;
        }
        *weighted(rng, &self.officers)
    }

    /// A recent earlier dispute (reported before `on`, within the window) to recur.
    fn recurring(&self, rng: &mut Rng, on: NaiveDate, window: u64) -> Option<Earlier> {
        if self.earlier.is_empty() {
            return None;
        }
        (0..4).find_map(|_| {
            let e = &self.earlier[rng.usize(0..self.earlier.len())];
            (e.reported_on < on && (on - e.reported_on).num_days() as u64 <= window)
                .then(|| e.clone())
        })
    }

    /// Remembers a dispute written here.
    pub fn register(&mut self, d: &Dispute, parties: Vec<(Id, String)>) {
        self.earlier.push(Earlier {
            id: d.meta.id,
            parties,
            reported_on: d.reported_on,
            village: d.village.clone(),
        });
    }
}

/// A random dispute of `desk` ending in a status drawn from `weights` today: parties from
/// the station (now and then the same ones as an earlier dispute, linked as a recurrence),
/// the next kind of case, indicators by the case's chances. `None` when the station has
/// fewer than two persons.
pub(crate) fn random_dispute(
    maker: &mut Maker,
    rng: &mut Rng,
    ids: &mut IdSeq,
    desk: &mut Desk,
    weights: &[(DisputeStatus, u32)],
    reach_days: u64,
) -> Option<Built> {
    let window = u64::from(maker.config().limits.recurrence_window_days);
    let status = *weighted(rng, weights);
    let (reported, steps) = random_history(rng, maker.today, status, reach_days);
    let recurrence = if rng.u32(0..100) < 12 {
        desk.recurring(rng, reported, window.saturating_sub(30))
    } else {
        None
    };
    let case = desk.case();
    let parties = match &recurrence {
        Some(e) => e.parties.clone(),
        None => {
            let n = if rng.u32(0..100) < 15 { 3 } else { 2 };
            desk.pick(rng, n).or_else(|| desk.pick(rng, 2))?
        }
    };
    let mut ticked = maker.roll_indicators(rng, case);
    if recurrence.is_some() && rng.bool() {
        ticked.extend(maker.tickable(&["prior_violence"]));
        ticked.sort();
        ticked.dedup();
    }
    let recurrence = recurrence.filter(|e| e.reported_on < reported);
    let village = match &recurrence {
        Some(e) => e.village.clone(),
        None => desk.village_for(rng, case),
    };
    let draft = Draft {
        case,
        station: desk.station,
        town: desk.town.clone(),
        code: desk.code.clone(),
        village,
        parties: parties.clone(),
        officer: desk.officer(rng),
        chief: desk.chief,
        reported_on: reported,
        ticked,
        complexity: if rng.u32(0..100) < case.complex {
            Complexity::Complex
        } else {
            Complexity::Ordinary
        },
        recurrence_of: recurrence.map(|e| e.id),
    };
    let built = maker.make(rng, ids, &draft, &steps);
    desk.register(&built.dispute, parties);
    Some(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_like_records() {
        assert_eq!(yuan_words(3500), "3500");
        assert_eq!(yuan_words(35_000), "3.5万");
        assert_eq!(yuan_words(120_000), "12万");
        assert_eq!(yuan_words(123_400), "12.34万");
    }

    #[test]
    fn the_ledger_implies_repeats_within_the_window_only() {
        let config = DisputeConfig::shipped().expect("shipped");
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        let (a, b, c) = (Id::new(), Id::new(), Id::new());
        let mut ledger = Ledger::default();
        assert!(ledger.implied(&[a, b], day(6, 1), &config).is_empty());
        ledger.add(&[a, b], day(6, 1));
        assert_eq!(
            ledger.implied(&[a, b], day(11, 1), &config),
            vec!["repeat_parties".to_string(), "repeat_party".to_string()]
        );
        assert_eq!(
            ledger.implied(&[a, c], day(11, 1), &config),
            vec!["repeat_party".to_string()]
        );
        // Not yet reported on the day of the check, or outside the window.
        assert!(ledger.implied(&[a, b], day(5, 1), &config).is_empty());
        let next_year = NaiveDate::from_ymd_opt(2027, 7, 1).expect("date");
        assert!(ledger.implied(&[a, b], next_year, &config).is_empty());
    }

    #[test]
    fn random_histories_stay_in_the_past_and_in_order() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let mut rng = Rng::with_seed(9);
        for status in DisputeStatus::ALL {
            for _ in 0..200 {
                let (reported, steps) = random_history(&mut rng, today, status, 700);
                assert!(reported <= today);
                let mut last = reported;
                for step in &steps {
                    let on = step_date(step);
                    assert!(on >= last && on <= today, "{status:?}: {steps:?}");
                    last = on;
                }
            }
        }
    }
}
