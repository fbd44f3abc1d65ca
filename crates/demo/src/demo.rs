//! `beatbook demo` and the first-run screen's "load demo data": a fictional county bureau
//! (青山县公安局) with stations, officers, a few hundred residents, their follow-up visits
//! and the disputes between them (every category and status, red ones, overdue ones,
//! recurrences), so that a newcomer can try every screen without typing data first.
//!
//! Deterministic (a fixed random seed) and relative to the service's clock: the same
//! `BEATBOOK_NOW` gives the same names, dates and notes, which keeps snapshots stable.

mod cases;
mod findings;
mod lifecycle;
mod people;
mod places;
mod script;
mod story;
mod watchlist;

pub(crate) use lifecycle::{random_dispute, Desk, Maker, Picking};
pub(crate) use people::{address, birth_date, mou, name, one, phone, IdNumbers};
pub(crate) use places::{OfficerPlan, StationPlan, STATIONS, WELL_KNOWN_ACCOUNTS};
pub(crate) use story::{DONE_NOTES, RHYTHMS};
pub(crate) use watchlist::{case_for, pick_level, Listed, Twist, WATCH_CASES};

use super::seed::Bulk;
use crate::loader::Loader;
use beatbook_model::{
    AlertReason, Complexity, DisputeStatus, FlagPerson, Gender, Id, Meta, Officer, Person,
    RiskLevel, Role, Station, Visit, VisitChange, VisitChangeKind, VisitStatus, VisitSubject,
};
use beatbook_service::ServiceError;
use beatbook_store::{Flag, Kind};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};
use fastrand::Rng;
use lifecycle::{Built, Draft};
use story::{chain, pick_when, Planned, Topic, When};

mod accounts;
mod chains;
use accounts::{demo_phone, demo_police_number, officer_named, weighted_officer};

/// The password of every demo (and seed) account. Printed after loading and shown on the
/// first-run screen: demo data is for trying beatbook out, never for real work.
pub const DEMO_PASSWORD: &str = "demo1234";

/// The random seed of the demo: same seed, same bureau.
const DEMO_SEED: u64 = 0x5EED_BEA7;

/// An account the demo created, for the summary printed afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub station_name: String,
}

/// What `load_demo` wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub stations: usize,
    pub officers: usize,
    pub persons: usize,
    /// Visits of every kind: watch-list rhythms and dispute follow-ups.
    pub visits: usize,
    pub disputes: usize,
    /// Persons on the watch list.
    pub flags: usize,
    /// Watch-list alerts still open (not acknowledged).
    pub alerts: usize,
    /// The well-known accounts (`admin`, `chief`, `officer`, `supervisor`), all with
    /// [`DEMO_PASSWORD`].
    pub accounts: Vec<DemoAccount>,
}

/// Ids that sort in creation order within one bulk load: a fresh id's time and random
/// prefix, then a counter. `Id::new()` alone would order records made in the same
/// millisecond randomly (stations would list out of order), and sequential keys are also
/// what sled appends fastest.
pub(crate) struct IdSeq {
    prefix: [u8; 8],
    counter: u64,
}

impl IdSeq {
    pub fn new() -> IdSeq {
        let mut prefix = [0u8; 8];
        prefix.copy_from_slice(&Id::new().to_bytes()[..8]);
        IdSeq { prefix, counter: 0 }
    }

    pub fn next(&mut self) -> Id {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.prefix);
        bytes[8..].copy_from_slice(&self.counter.to_be_bytes());
        self.counter += 1;
        Id::from_bytes(bytes)
    }
}

impl Loader<'_> {
    /// Fills an empty store with the demo bureau and marks it as demo data. Refused with
    /// [`ServiceError::AlreadySetUp`] when the store holds anything.
    pub fn load_demo(&self) -> Result<DemoSummary, ServiceError> {
        if Kind::ALL.iter().any(|k| self.store.count(*k) > 0) {
            return Err(ServiceError::AlreadySetUp);
        }
        let today = self.today();
        let mut rng = Rng::with_seed(DEMO_SEED);
        let mut ids = IdSeq::new();
        let mut id_numbers = IdNumbers::default();
        let hash = beatbook_service::hash_password(DEMO_PASSWORD)?;
        let mut summary = DemoSummary {
            stations: 0,
            officers: 0,
            persons: 0,
            visits: 0,
            disputes: 0,
            flags: 0,
            alerts: 0,
            accounts: Vec::new(),
        };
        let mut maker = Maker::new(self);
        let mut quiet = |_| {};
        let mut bulk = Bulk::new(self, "demo.load", &mut quiet);
        for (index, plan) in STATIONS.iter().enumerate() {
            let station = self.plan_station(&mut ids, plan);
            let station_id = station.meta.id;
            bulk.push(station)?;
            summary.stations += 1;
            let mut officers = Vec::new();
            let mut chief = None;
            for o in plan.officers {
                let officer = self.plan_officer(&mut ids, station_id, o, &hash);
                if o.role == Role::Chief {
                    chief = Some(officer.meta.id);
                }
                if WELL_KNOWN_ACCOUNTS.contains(&o.username) {
                    summary.accounts.push(DemoAccount {
                        username: o.username.to_string(),
                        display_name: o.display_name.to_string(),
                        role: o.role,
                        station_name: plan.name.to_string(),
                    });
                }
                if o.share > 0 {
                    officers.push((officer.meta.id, o.username, o.share));
                }
                bulk.push(officer)?;
                summary.officers += 1;
            }
            let mut forced = if index == 0 {
                // The `officer` account must find work in every bucket of Today.
                vec![
                    When::Upcoming,
                    When::Today,
                    When::Overdue(1),
                    When::Today,
                    When::Overdue(3),
                ]
            } else {
                Vec::new()
            };
            // The `officer` account finds watch-list work on Today: two misses in a row,
            // a review past its date, a red flag waiting for the chief.
            let mut twists = if index == 0 {
                vec![
                    Twist {
                        pending: true,
                        ..Twist::default()
                    },
                    Twist {
                        review_overdue: true,
                        when: Some(When::Upcoming),
                        ..Twist::default()
                    },
                    Twist {
                        missed_twice: true,
                        when: Some(When::Overdue(2)),
                        ..Twist::default()
                    },
                ]
            } else {
                Vec::new()
            };
            let mut flags: Vec<Listed> = Vec::new();
            // Dispute parties: adults, those registered as parties first.
            let mut parties: Vec<(Id, String)> = Vec::new();
            let mut party_created: Vec<DateTime<Utc>> = Vec::new();
            // The parties as a flag on them shows them (two of them are listed below).
            let mut party_listed_as: Vec<FlagPerson> = Vec::new();
            let mut bystanders: Vec<(Id, String)> = Vec::new();
            for _ in 0..plan.persons {
                let topic = pick_topic(&mut rng);
                let person = self.demo_person(
                    &mut rng,
                    &mut ids,
                    &mut id_numbers,
                    plan,
                    station_id,
                    &topic,
                )?;
                let person_id = person.meta.id;
                let created = person.meta.created_at;
                let listed_as = FlagPerson::of(&person);
                let adult = person
                    .birth_date
                    .is_some_and(|b| today.year() - b.year() >= 20);
                match (&topic, adult) {
                    (Some(Topic::Party), _) => {
                        parties.push((person_id, mou(&person.name)));
                        party_created.push(created);
                        party_listed_as.push(listed_as.clone());
                    }
                    (_, true) => bystanders.push((person_id, mou(&person.name))),
                    _ => {}
                }
                bulk.push(person)?;
                summary.persons += 1;
                let Some(Topic::Rhythm(rhythm)) = topic else {
                    continue;
                };
                // About one resident in seven is on the watch list, more at the first
                // station, and the first four cover every level; their visits follow the
                // level's rhythm.
                if flags.len() < 4 || rng.u32(0..100) < if index == 0 { 40 } else { 28 } {
                    let twist = twists.pop();
                    // Only the twists go to the `officer` account: its Today stays short
                    // enough to read on an 80×24 terminal.
                    let others: Vec<(Id, &str, u32)> = officers
                        .iter()
                        .filter(|o| o.1 != "officer")
                        .copied()
                        .collect();
                    let officer = match twist {
                        Some(_) => officer_named(&officers, "officer"),
                        None if others.is_empty() => weighted_officer(&mut rng, &officers),
                        None => weighted_officer(&mut rng, &others),
                    };
                    let Some(officer) = officer else { continue };
                    let level = match twist {
                        Some(t) if t.missed_twice || t.pending => RiskLevel::Red,
                        Some(t) if t.review_overdue => RiskLevel::Blue,
                        _ => {
                            let have: Vec<RiskLevel> = flags.iter().map(|l| l.flag.level).collect();
                            pick_level(&mut rng, &have, index == 0)
                        }
                    };
                    let mut twist = twist.unwrap_or_default();
                    // The `officer` account's most overdue visit stays the scripted one
                    // (three days), of someone not on the watch list.
                    if twist.when.is_none() && officer_named(&officers, "officer") == Some(officer)
                    {
                        twist.when = Some(When::Upcoming);
                    }
                    flags.push(self.listed(
                        &mut rng,
                        &mut ids,
                        (station_id, officer),
                        (person_id, created, listed_as),
                        case_for(rhythm.category),
                        level,
                        twist,
                    ));
                    continue;
                }
                let (officer, when) = match forced.pop() {
                    Some(when) => (officer_named(&officers, "officer"), when),
                    None => (weighted_officer(&mut rng, &officers), pick_when(&mut rng)),
                };
                let Some(officer) = officer else { continue };
                let planned = chain(&mut rng, rhythm, today, when);
                for visit in self.chain_records(
                    &mut rng, &mut ids, station_id, officer, person_id, created, &planned,
                ) {
                    bulk.push(visit)?;
                    summary.visits += 1;
                }
            }
            // Parties on the watch list: the two the first station's first dispute is
            // between (the desk picks in turn from the second), one flagged for the
            // `officer` account.
            if index == 0 {
                for (n, (((person, _), created), listed_as)) in parties
                    .iter()
                    .zip(&party_created)
                    .zip(&party_listed_as)
                    .skip(1)
                    .take(2)
                    .enumerate()
                {
                    let officer = match n {
                        0 => officer_named(&officers, "officer"),
                        _ => officers.iter().find(|o| o.1 != "officer").map(|o| o.0),
                    };
                    let Some(officer) = officer else {
                        break;
                    };
                    let case = if n == 0 { "stability" } else { "six_loss" };
                    flags.push(self.listed(
                        &mut rng,
                        &mut ids,
                        (station_id, officer),
                        (*person, *created, listed_as.clone()),
                        case_for(case),
                        RiskLevel::Orange,
                        Twist {
                            when: Some(When::Upcoming),
                            ..Twist::default()
                        },
                    ));
                }
            }
            maker
                .ledger
                .watched
                .extend(flags.iter().map(|l| l.flag.person));
            rng.shuffle(&mut bystanders);
            parties.extend(bystanders);
            let Some(chief) = chief.or_else(|| officers.first().map(|o| o.0)) else {
                continue;
            };
            let mut desk = Desk::new(
                &mut rng,
                station_id,
                plan.name,
                plan.code,
                plan.villages.iter().map(|v| v.to_string()).collect(),
                officers
                    .iter()
                    .map(|(id, _, share)| (*id, *share))
                    .collect(),
                chief,
                parties,
                Picking::InTurn,
            );
            let mut built = Vec::new();
            if index == 0 {
                built.extend(
                    self.scripted_disputes(&mut rng, &mut ids, &mut maker, &mut desk, &officers),
                );
            }
            let extra = if index == 0 { 6 } else { 10 };
            for _ in 0..extra {
                built.extend(random_dispute(
                    &mut maker,
                    &mut rng,
                    &mut ids,
                    &mut desk,
                    DEMO_STATUSES,
                    300,
                ));
            }
            let mut open_party_alert: std::collections::HashSet<Id> = Default::default();
            for Built { dispute, visits } in built {
                // A watch-listed party of a dispute still being handled raised an alert
                // when the dispute was saved.
                if !matches!(
                    dispute.status,
                    DisputeStatus::Closed | DisputeStatus::Referred | DisputeStatus::Escalated
                ) {
                    for party in dispute.party_ids() {
                        let Some(listed) = flags.iter_mut().find(|l| l.flag.person == party) else {
                            continue;
                        };
                        let mut alert = self.demo_alert(
                            &mut ids,
                            &listed.flag,
                            AlertReason::WatchedPartyInDispute {
                                dispute: dispute.meta.id,
                                title: dispute.title.clone(),
                            },
                            dispute.reported_on,
                        );
                        // One stays open per responsible officer; the others were seen
                        // to by that officer the day after.
                        if open_party_alert.contains(&listed.flag.responsible) {
                            alert.acknowledged_by = Some(listed.flag.responsible);
                            alert.acknowledged_at = Some(
                                self.local_time(dispute.reported_on + Days::new(1), 9, 30)
                                    .min(self.now_utc()),
                            );
                        }
                        if alert.is_open() {
                            open_party_alert.insert(listed.flag.responsible);
                        }
                        listed.alerts.push(alert);
                    }
                }
                bulk.push(dispute)?;
                summary.disputes += 1;
                for v in visits {
                    bulk.push(v)?;
                    summary.visits += 1;
                }
            }
            for Listed {
                flag,
                visits,
                alerts,
            } in flags
            {
                bulk.push(flag)?;
                summary.flags += 1;
                for v in visits {
                    bulk.push(v)?;
                    summary.visits += 1;
                }
                for a in alerts {
                    summary.alerts += usize::from(a.is_open());
                    bulk.push(a)?;
                }
            }
        }
        bulk.finish()?;
        // Findings go against the first station, where the well-known accounts work.
        if let Some(first) = self
            .stations()?
            .into_iter()
            .find(|s| Some(s.name.as_str()) == STATIONS.first().map(|p| p.name))
        {
            self.demo_findings(first.meta.id)?;
        }
        self.store.set_flag(Flag::Demo)?;
        tracing::info!(
            stations = summary.stations,
            persons = summary.persons,
            visits = summary.visits,
            disputes = summary.disputes,
            "demo data loaded"
        );
        Ok(summary)
    }

    /// A station of a plan, not yet saved.
    pub(crate) fn plan_station(&self, ids: &mut IdSeq, plan: &StationPlan) -> Station {
        let mut station = self.new_station_record(
            plan.name.to_string(),
            plan.code.to_string(),
            plan.villages.iter().map(|v| v.to_string()).collect(),
        );
        station.meta.id = ids.next();
        station.meta.station = station.meta.id;
        station
    }

    /// An account of a plan, not yet saved. All demo accounts share one published
    /// password, so one argon2 hash serves them all and loading stays instant.
    pub(crate) fn plan_officer(
        &self,
        ids: &mut IdSeq,
        station: Id,
        plan: &OfficerPlan,
        hash: &str,
    ) -> Officer {
        let mut meta = Meta::new(station, self.now_utc(), Id::SYSTEM);
        meta.id = ids.next();
        Officer {
            meta,
            username: plan.username.to_string(),
            display_name: plan.display_name.to_string(),
            role: plan.role,
            active: true,
            password_hash: hash.to_string(),
            failed_logins: 0,
            locked_until: None,
            must_change_password: false,
            police_number: demo_police_number(plan.username),
            phone: demo_phone(plan.username),
        }
    }

    /// `date` at `hour:minute` on the terminal's clock, as stored (UTC).
    pub(crate) fn local_time(&self, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
        let offset = *self.now().offset();
        date.and_hms_opt(hour, minute, 0)
            .and_then(|t| t.and_local_timezone(offset).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| self.now_utc())
    }
}

impl Loader<'_> {
    /// The first station's scripted disputes (see `script`), with parties from `desk`.
    fn scripted_disputes(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        maker: &mut Maker,
        desk: &mut Desk,
        officers: &[(Id, &str, u32)],
    ) -> Vec<Built> {
        let scripts = script::first_station(self.today(), &self.settings.disputes.limits);
        let mut out: Vec<Built> = Vec::new();
        let mut cast: Vec<Vec<(Id, String)>> = Vec::new();
        for script in scripts {
            let Some(case) = cases::CASES.iter().find(|c| c.title.contains(script.case)) else {
                continue;
            };
            let earlier = script.recurs.and_then(|i| out.get(i).zip(cast.get(i)));
            let parties = match earlier {
                Some((_, parties)) => parties.clone(),
                None => match desk.pick(rng, 2) {
                    Some(p) => p,
                    None => continue,
                },
            };
            let officer = officer_named(officers, script.who).unwrap_or(desk.chief);
            let draft = Draft {
                case,
                station: desk.station,
                town: desk.town.clone(),
                code: desk.code.clone(),
                village: match earlier {
                    Some((b, _)) => b.dispute.village.clone(),
                    None => desk.village_for(rng, case),
                },
                parties: parties.clone(),
                officer,
                chief: desk.chief,
                reported_on: script.reported,
                ticked: maker.tickable(script.ticked),
                complexity: if script.complex {
                    Complexity::Complex
                } else {
                    Complexity::Ordinary
                },
                recurrence_of: earlier.map(|(b, _)| b.dispute.meta.id),
            };
            let built = maker.make(rng, ids, &draft, &script.steps);
            desk.register(&built.dispute, parties.clone());
            out.push(built);
            cast.push(parties);
        }
        out
    }
}

/// Most residents have a reason to be in the records: a watch-list rhythm or disputes.
fn pick_topic(rng: &mut Rng) -> Option<Topic<'static>> {
    match rng.u32(0..100) {
        0..=44 => Some(Topic::Rhythm(one(rng, RHYTHMS))),
        45..=66 => Some(Topic::Party),
        _ => None,
    }
}

/// How the demo's random disputes end up: most closed or in follow-up, a steady share in
/// mediation, a few handed over.
const DEMO_STATUSES: &[(DisputeStatus, u32)] = &[
    (DisputeStatus::Reported, 6),
    (DisputeStatus::Accepted, 8),
    (DisputeStatus::Mediating, 16),
    (DisputeStatus::Resolved, 5),
    (DisputeStatus::FollowingUp, 14),
    (DisputeStatus::Closed, 30),
    (DisputeStatus::Referred, 8),
    (DisputeStatus::Escalated, 5),
    (DisputeStatus::Reopened, 5),
];

#[cfg(test)]
mod tests;
