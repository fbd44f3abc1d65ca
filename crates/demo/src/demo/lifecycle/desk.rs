//! The station's desk of persons and earlier disputes that new demo disputes draw
//! their parties and recurrences from.

use super::*;

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
    pub(crate) picking: Picking,
    pub(crate) turn: usize,
    /// Case order: every kind once before any twice, so small stations cover every
    /// category.
    pub(crate) cases: Vec<usize>,
    pub(crate) next_case: usize,
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

    pub(crate) fn officer(&self, rng: &mut Rng) -> Id {
        if self.officers.is_empty() {
            return self.chief;
        }
        *weighted(rng, &self.officers)
    }

    /// A recent earlier dispute (reported before `on`, within the window) to recur.
    pub(crate) fn recurring(&self, rng: &mut Rng, on: NaiveDate, window: u64) -> Option<Earlier> {
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
