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

mod desk;
mod follow_ups;
mod history;
use follow_ups::cancel;

mod fill;
mod ledger;
pub(crate) use desk::{random_dispute, Desk, Picking};
use fill::{yuan_words, Fill};

mod steps;
pub(crate) use history::{ahead, back, random_history};
pub(crate) use ledger::Ledger;
use steps::step_date;
pub(crate) use steps::Step;

/// Rolling weekly visits of a red/orange dispute replayed at most: enough for the weeks a
/// demo or seed dispute stays open after its plan, without looping on odd rhythms.
const MAX_ROLLING: usize = 12;

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
