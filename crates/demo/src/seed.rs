//! `beatbook seed`: synthetic bulk data for benchmarks, and the batched writer that demo
//! loading shares.
//!
//! Speed comes from batching: thousands of records per sled transaction and one flush at
//! the end, instead of a transaction and a flush per record. Every record still gets its
//! index entries, audit entry and change-log entry, so a seeded store is as consistent as
//! one typed in by hand.

use super::demo::{
    address, birth_date, mou, name, one, phone, pick_level, random_dispute, DemoAccount, Desk,
    IdNumbers, IdSeq, Listed, Maker, Picking, Twist, DEMO_PASSWORD, DONE_NOTES, RHYTHMS, STATIONS,
    WATCH_CASES, WELL_KNOWN_ACCOUNTS,
};
use crate::loader::Loader;
use beatbook_model::{
    Dispute, DisputeStatus, FlagPerson, Gender, Id, Meta, Officer, Person, ResidentId, RiskLevel,
    Role, Station, Visit, VisitChange, VisitChangeKind, VisitOutcome, VisitStatus, VisitSubject,
};
use beatbook_service::ServiceError;
use beatbook_store::{Flag, Kind};
use chrono::{DateTime, Days, NaiveDate, Utc};
use fastrand::Rng;
use std::collections::HashMap;

mod persons;
use crate::bulk::Bulk;

/// Stations `seed` creates on an empty store (the first ones of the demo bureau, with
/// the same accounts).
const SEED_STATIONS: usize = 5;

/// The random seed of `seed`: the same command gives the same data.
const SEED_SEED: u64 = 0xB0_0C5EED;

/// How much synthetic data to add.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedSpec {
    pub persons: usize,
    /// Visits to persons on watch-list rhythms. Dispute follow-up visits come on top.
    pub visits: usize,
    /// Disputes, with the follow-up visits their history brought.
    pub disputes: usize,
    /// Watch-list flags, each with its rolling visits (on top of `visits`).
    pub watch: usize,
}

/// Where seeded disputes stand today: like a station's register over two years, mostly
/// closed, some in mediation or follow-up, some handed over.
const SEED_STATUSES: &[(DisputeStatus, u32)] = &[
    (DisputeStatus::Reported, 3),
    (DisputeStatus::Accepted, 4),
    (DisputeStatus::Mediating, 8),
    (DisputeStatus::Resolved, 2),
    (DisputeStatus::FollowingUp, 8),
    (DisputeStatus::Closed, 60),
    (DisputeStatus::Referred, 8),
    (DisputeStatus::Escalated, 3),
    (DisputeStatus::Reopened, 4),
];

/// How far back seeded disputes reach, in days.
const SEED_REACH_DAYS: u64 = 730;

/// Records per seeded flag on average (the flag and its visits), for the progress
/// estimate only.
const WATCH_RECORDS: usize = 4;

/// Follow-up visits per seeded dispute on average, for the progress estimate only.
const VISITS_PER_DISPUTE: usize = 4;

/// Reported after each batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedProgress {
    pub written: usize,
    pub total: usize,
}

/// What `seed` wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedSummary {
    /// Stations created (only on an empty store).
    pub created_stations: usize,
    /// Accounts created on an empty store (the well-known ones, password
    /// [`DEMO_PASSWORD`]); empty otherwise.
    pub accounts: Vec<DemoAccount>,
    pub persons: usize,
    /// Visits to persons on rhythms (as asked).
    pub visits: usize,
    pub disputes: usize,
    /// Follow-up visits of the disputes, on top of `visits`.
    pub dispute_visits: usize,
    /// Watch-list flags.
    pub flags: usize,
    /// Rolling visits of the flags, on top of `visits`.
    pub watch_visits: usize,
}

/// A station seeded data can go to.
struct Target {
    id: Id,
    name: String,
    code: String,
    villages: Vec<String>,
    /// Active officers and chiefs: who visits are assigned to.
    officers: Vec<Id>,
    /// The active chief, who decides extensions and closes disputes.
    chief: Option<Id>,
    /// Persons disputes can be between, with their record names (张某).
    people: Vec<(Id, String)>,
}

impl Loader<'_> {
    /// Adds `spec.persons` synthetic persons and `spec.visits` visits. On an empty store it
    /// first creates five stations and the demo accounts; otherwise it spreads the data
    /// over the existing stations and their officers. Only an empty, demo or seeded store
    /// is accepted ([`ServiceError::AlreadySetUp`] otherwise): synthetic data must never
    /// mix with a real station's records. Marks the store as seeded.
    pub fn seed(
        &self,
        spec: &SeedSpec,
        progress: &mut dyn FnMut(SeedProgress),
    ) -> Result<SeedSummary, ServiceError> {
        let empty = Kind::ALL.iter().all(|k| self.store.count(*k) == 0);
        if !empty && !self.store.has_flag(Flag::Demo)? && !self.store.has_flag(Flag::Seeded)? {
            return Err(ServiceError::AlreadySetUp);
        }
        // Same command on the same store, same data; a second seed differs from the first.
        let mut rng = Rng::with_seed(SEED_SEED ^ self.store.count(Kind::Person) as u64);
        let mut ids = IdSeq::new();
        let created: usize = if empty {
            STATIONS[..SEED_STATIONS]
                .iter()
                .map(|s| 1 + s.officers.len())
                .sum()
        } else {
            0
        };
        // An estimate: how many visits the disputes bring is known only once written.
        let total = created
            + spec.persons
            + spec.visits
            + spec.watch * WATCH_RECORDS
            + spec.disputes * (1 + VISITS_PER_DISPUTE);
        let mut report = |written: usize| {
            progress(SeedProgress {
                written,
                total: total.max(written + 1),
            })
        };
        let mut bulk = Bulk::new(self, "seed", &mut report);
        let mut summary = SeedSummary::default();
        let mut targets = if empty {
            self.seed_stations(&mut ids, &mut bulk, &mut summary)?
        } else {
            self.existing_targets()?
        };
        let persons =
            self.seed_persons(&mut rng, &mut ids, &mut bulk, &mut targets, spec, empty)?;
        summary.persons = spec.persons;
        if !persons.is_empty() {
            for _ in 0..spec.visits {
                let (person, t) = *one(&mut rng, &persons);
                let target = &targets[t];
                let officer = *one(&mut rng, &target.officers);
                bulk.push(self.seed_visit(&mut rng, &mut ids, target.id, officer, person))?;
                summary.visits += 1;
            }
        }
        self.seed_watch(
            &mut rng,
            &mut ids,
            &mut bulk,
            &targets,
            &persons,
            spec,
            &mut summary,
        )?;
        self.seed_disputes(&mut rng, &mut ids, &mut bulk, targets, spec, &mut summary)?;
        let written = bulk.finish()?;
        progress(SeedProgress {
            written,
            total: written,
        });
        self.store.set_flag(Flag::Seeded)?;
        tracing::info!(
            persons = summary.persons,
            visits = summary.visits,
            disputes = summary.disputes,
            dispute_visits = summary.dispute_visits,
            "synthetic data seeded"
        );
        Ok(summary)
    }

    /// Puts `spec.watch` of `persons` on the watch list (fewer when there are not that
    /// many unflagged ones), in turn over the stations, each with the rolling visits of its
    /// level and the alerts those imply. Levels and categories cover every kind.
    #[allow(clippy::too_many_arguments)]
    fn seed_watch(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        bulk: &mut Bulk,
        targets: &[Target],
        persons: &[(Id, usize)],
        spec: &SeedSpec,
        summary: &mut SeedSummary,
    ) -> Result<(), ServiceError> {
        if spec.watch == 0 || targets.is_empty() {
            return Ok(());
        }
        let mut by_target: Vec<Vec<Id>> = vec![Vec::new(); targets.len()];
        for (person, t) in persons {
            by_target[*t].push(*person);
        }
        for list in &mut by_target {
            rng.shuffle(list);
        }
        let check_existing = self.store.count(Kind::Flag) > 0;
        // The persons just made are read back for the flag's copy of them (one mapping,
        // `FlagPerson::of`): the batch still pending is written first.
        bulk.commit()?;
        let mut made = vec![0usize; targets.len()];
        let mut levels: Vec<Vec<RiskLevel>> = vec![Vec::new(); targets.len()];
        let back = chrono::TimeDelta::days(365);
        let mut t = 0;
        while summary.flags < spec.watch && by_target.iter().any(|l| !l.is_empty()) {
            t = (t + 1) % targets.len();
            let target = &targets[t];
            let Some(person) = by_target[t].pop() else {
                continue;
            };
            if target.officers.is_empty()
                || (check_existing && self.store.flag_of(person)?.is_some())
            {
                continue;
            }
            let Some(listed_as) = self
                .store
                .get::<Person>(person)?
                .map(|p| FlagPerson::of(&p))
            else {
                continue;
            };
            let officer = *one(rng, &target.officers);
            let level = pick_level(rng, &levels[t], false);
            if levels[t].len() < 4 && !levels[t].contains(&level) {
                levels[t].push(level);
            }
            let case = made[t] % WATCH_CASES.len();
            let twist = Twist {
                missed_twice: rng.u32(0..100) < 3,
                review_overdue: rng.u32(0..100) < 4,
                pending: rng.u32(0..100) < 10,
                when: None,
            };
            let Listed {
                flag,
                visits,
                alerts,
            } = self.listed(
                rng,
                ids,
                (target.id, officer),
                (person, self.now_utc() - back, listed_as),
                case,
                level,
                twist,
            );
            made[t] += 1;
            bulk.push(flag)?;
            summary.flags += 1;
            for v in visits {
                bulk.push(v)?;
                summary.watch_visits += 1;
            }
            for a in alerts {
                bulk.push(a)?;
            }
        }
        Ok(())
    }

    /// Writes `spec.disputes` disputes spread evenly over the stations that have officers
    /// and at least two persons, each with the follow-up visits its history brought.
    /// Implied indicators count the disputes already in the store too.
    fn seed_disputes(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        bulk: &mut Bulk,
        targets: Vec<Target>,
        spec: &SeedSpec,
        summary: &mut SeedSummary,
    ) -> Result<(), ServiceError> {
        if spec.disputes == 0 {
            return Ok(());
        }
        let mut maker = Maker::new(self);
        if self.store.count(Kind::Dispute) > 0 {
            for d in self.store.all::<Dispute>() {
                let d = d?;
                let parties: Vec<Id> = d.party_ids().collect();
                maker.ledger.add(&parties, d.reported_on);
            }
        }
        let mut desks: Vec<Desk> = targets
            .into_iter()
            .filter(|t| !t.officers.is_empty() && t.people.len() >= 2)
            .map(|t| {
                let chief = t.chief.or_else(|| t.officers.first().copied());
                Desk::new(
                    rng,
                    t.id,
                    &t.name,
                    &t.code,
                    t.villages,
                    t.officers.iter().map(|o| (*o, 1)).collect(),
                    chief.unwrap_or(Id::SYSTEM),
                    t.people,
                    Picking::AtRandom,
                )
            })
            .collect();
        if desks.is_empty() {
            return Ok(());
        }
        for i in 0..spec.disputes {
            let n = desks.len();
            let desk = &mut desks[i % n];
            let Some(built) =
                random_dispute(&mut maker, rng, ids, desk, SEED_STATUSES, SEED_REACH_DAYS)
            else {
                continue;
            };
            bulk.push(built.dispute)?;
            summary.disputes += 1;
            for v in built.visits {
                bulk.push(v)?;
                summary.dispute_visits += 1;
            }
        }
        Ok(())
    }

    /// Creates the first demo stations and their accounts in an empty store.
    fn seed_stations(
        &self,
        ids: &mut IdSeq,
        bulk: &mut Bulk,
        summary: &mut SeedSummary,
    ) -> Result<Vec<Target>, ServiceError> {
        let hash = beatbook_service::hash_password(DEMO_PASSWORD)?;
        let mut targets = Vec::new();
        for plan in &STATIONS[..SEED_STATIONS] {
            let station = self.plan_station(ids, plan);
            let mut target = Target {
                id: station.meta.id,
                name: station.name.clone(),
                code: station.code.clone(),
                villages: station.villages.clone(),
                officers: Vec::new(),
                chief: None,
                people: Vec::new(),
            };
            bulk.push(station)?;
            summary.created_stations += 1;
            for o in plan.officers {
                let officer = self.plan_officer(ids, target.id, o, &hash);
                if matches!(o.role, Role::Officer | Role::Chief) {
                    target.officers.push(officer.meta.id);
                }
                if o.role == Role::Chief {
                    target.chief = Some(officer.meta.id);
                }
                if WELL_KNOWN_ACCOUNTS.contains(&o.username) {
                    summary.accounts.push(DemoAccount {
                        username: o.username.to_string(),
                        display_name: o.display_name.to_string(),
                        role: o.role,
                        station_name: plan.name.to_string(),
                    });
                }
                bulk.push(officer)?;
            }
            targets.push(target);
        }
        Ok(targets)
    }

    /// The stations of a non-empty store with their active officers.
    fn existing_targets(&self) -> Result<Vec<Target>, ServiceError> {
        let mut officers: HashMap<Id, Vec<Id>> = HashMap::new();
        let mut chiefs: HashMap<Id, Id> = HashMap::new();
        for officer in self.store.all::<Officer>() {
            let o = officer?;
            if o.active && matches!(o.role, Role::Officer | Role::Chief) {
                officers.entry(o.meta.station).or_default().push(o.meta.id);
            }
            if o.active && o.role == Role::Chief {
                chiefs.entry(o.meta.station).or_insert(o.meta.id);
            }
        }
        let mut targets = Vec::new();
        for station in self.store.all::<Station>() {
            let s = station?;
            let villages = if s.villages.is_empty() {
                vec![s.name.clone()]
            } else {
                s.villages.clone()
            };
            targets.push(Target {
                id: s.meta.id,
                chief: chiefs.get(&s.meta.id).copied(),
                name: s.name,
                code: s.code,
                villages,
                officers: officers.remove(&s.meta.id).unwrap_or_default(),
                people: Vec::new(),
            });
        }
        Ok(targets)
    }
}
