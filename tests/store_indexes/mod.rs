//! Store invariants under random write sequences: every index equals what a full scan of
//! the records implies, range queries through the indexes equal a filtered full scan, the
//! unique ID-number index refuses a second holder without writing anything, stale
//! revisions are refused, and every write leaves one audit entry (chain verified) and one
//! change-log entry in order.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Gender, Id, Meta, Person, ResidentId, Visit, VisitStatus, VisitSubject};
use beatbook::store::{Actor, AnyRecord, Change, Index, Kind, Store, StoreError, Write};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{assert_audit_ok, assert_indexes_ok, date, resident_id};
use proptest::prelude::*;
use std::collections::BTreeMap;

mod commits;
mod random_writes;

const STATIONS: usize = 3;
const OFFICERS: usize = 4;
const ID_POOL: usize = 5;

fn base_date() -> NaiveDate {
    date(2026, 11, 25)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
        .single()
        .expect("instant")
}

fn actor() -> Actor {
    Actor {
        id: Id::new(),
        name: "prop".into(),
    }
}

/// The fixed population a case draws from: station and officer ids and a small pool of ID
/// numbers, so that collisions happen often.
struct World {
    stations: Vec<Id>,
    officers: Vec<Id>,
    id_numbers: Vec<ResidentId>,
    actor: Actor,
}

impl World {
    fn new() -> World {
        World {
            stations: (0..STATIONS).map(|_| Id::new()).collect(),
            officers: (0..OFFICERS).map(|_| Id::new()).collect(),
            id_numbers: (0..ID_POOL)
                .map(|i| {
                    let s = resident_id(date(1960 + i as i32, 3, 1 + i as u32), 21 + i as u16);
                    ResidentId::parse(&s).expect("valid pool number")
                })
                .collect(),
            actor: actor(),
        }
    }

    fn person(&self, station: usize, id_number: Option<usize>) -> Person {
        Person {
            meta: Meta::new(self.stations[station], now(), self.actor.id),
            name: "测试人".into(),
            gender: Gender::Unknown,
            birth_date: None,
            id_number: id_number.map(|i| self.id_numbers[i].clone()),
            phone: None,
            address: String::new(),
            village: "东关村".into(),
            notes: String::new(),
            ethnicity: String::new(),
            occupation: String::new(),
            merged_into: None,
            held_id_number: None,
            merged: Vec::new(),
            merge_request: None,
        }
    }

    fn visit(
        &self,
        station: usize,
        officer: usize,
        due: i64,
        status: usize,
        person: Option<Id>,
    ) -> Visit {
        let mut visit = Visit::planned(
            Meta::new(self.stations[station], now(), self.actor.id),
            VisitSubject {
                person,
                dispute: None,
            },
            self.officers[officer],
            base_date() + Duration::days(due),
            "定期走访",
        );
        visit.status = VisitStatus::ALL[status];
        visit
    }

    fn change(&self) -> Change {
        Change::new("test.write", &self.actor, now())
    }
}
