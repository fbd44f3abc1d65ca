//! Which records exist, how they are encoded, and which index entries each implies.

use super::keys;
use super::StoreError;
use crate::model::{Meta, Officer, Person, Station, Visit};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The kinds of record, one sled tree each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Station,
    Officer,
    Person,
    Visit,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Station, Kind::Officer, Kind::Person, Kind::Visit];

    pub(super) fn position(self) -> usize {
        self as usize
    }

    pub(super) fn tree_name(self) -> &'static str {
        match self {
            Kind::Station => "stations",
            Kind::Officer => "officers",
            Kind::Person => "persons",
            Kind::Visit => "visits",
        }
    }

    /// The `kind` field of export lines.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Station => "station",
            Kind::Officer => "officer",
            Kind::Person => "person",
            Kind::Visit => "visit",
        }
    }
}

/// The secondary indexes, one sled tree each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Index {
    /// username → officer id (unique).
    OfficerByUsername,
    /// resident ID number → person id (unique).
    PersonByIdNumber,
    /// station | person id.
    PersonByStation,
    /// station | status | due | visit id — Today's list is one range scan of this.
    VisitByStation,
    /// assigned officer | status | due | visit id — "mine" is one range scan of this.
    VisitByOfficer,
}

impl Index {
    pub const ALL: [Index; 5] = [
        Index::OfficerByUsername,
        Index::PersonByIdNumber,
        Index::PersonByStation,
        Index::VisitByStation,
        Index::VisitByOfficer,
    ];

    pub(super) fn position(self) -> usize {
        self as usize
    }

    pub(super) fn tree_name(self) -> &'static str {
        match self {
            Index::OfficerByUsername => "idx_officer_username",
            Index::PersonByIdNumber => "idx_person_id_number",
            Index::PersonByStation => "idx_person_station",
            Index::VisitByStation => "idx_visit_station_status_due",
            Index::VisitByOfficer => "idx_visit_officer_status_due",
        }
    }

    /// Unique indexes map a value to one record id and refuse a second one.
    pub fn is_unique(self) -> bool {
        matches!(self, Index::OfficerByUsername | Index::PersonByIdNumber)
    }
}

/// One index key a record implies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: Index,
    pub key: Vec<u8>,
}

/// A storable record type.
pub trait Record: Serialize + DeserializeOwned + Clone + Into<AnyRecord> {
    const KIND: Kind;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    /// The index keys this record must have, derived from its fields only.
    fn index_entries(&self) -> Vec<IndexEntry>;
}

impl Record for Station {
    const KIND: Kind = Kind::Station;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        Vec::new()
    }
}

impl Record for Officer {
    const KIND: Kind = Kind::Officer;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![IndexEntry {
            index: Index::OfficerByUsername,
            key: self.username.as_bytes().to_vec(),
        }]
    }
}

impl Record for Person {
    const KIND: Kind = Kind::Person;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut entries = vec![IndexEntry {
            index: Index::PersonByStation,
            key: keys::owned_key(self.meta.station, self.meta.id),
        }];
        if let Some(number) = &self.id_number {
            entries.push(IndexEntry {
                index: Index::PersonByIdNumber,
                key: number.as_str().as_bytes().to_vec(),
            });
        }
        entries
    }
}

impl Record for Visit {
    const KIND: Kind = Kind::Visit;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![
            IndexEntry {
                index: Index::VisitByStation,
                key: keys::visit_key(self.meta.station, self.status, self.due, self.meta.id),
            },
            IndexEntry {
                index: Index::VisitByOfficer,
                key: keys::visit_key(self.assigned_to, self.status, self.due, self.meta.id),
            },
        ]
    }
}

/// Any record, for transactions that write several kinds and for export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnyRecord {
    Station(Station),
    Officer(Officer),
    Person(Person),
    Visit(Visit),
}

macro_rules! any_record_dispatch {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            AnyRecord::Station($r) => $e,
            AnyRecord::Officer($r) => $e,
            AnyRecord::Person($r) => $e,
            AnyRecord::Visit($r) => $e,
        }
    };
}

impl AnyRecord {
    pub fn kind(&self) -> Kind {
        any_record_dispatch!(self, r => kind_of(r))
    }
    pub fn meta(&self) -> &Meta {
        any_record_dispatch!(self, r => r.meta())
    }
    pub fn meta_mut(&mut self) -> &mut Meta {
        any_record_dispatch!(self, r => r.meta_mut())
    }
    pub fn index_entries(&self) -> Vec<IndexEntry> {
        any_record_dispatch!(self, r => r.index_entries())
    }
    pub(super) fn encode(&self) -> Result<Vec<u8>, StoreError> {
        any_record_dispatch!(self, r => encode(r))
    }
    pub(super) fn decode(kind: Kind, bytes: &[u8]) -> Result<AnyRecord, StoreError> {
        Ok(match kind {
            Kind::Station => AnyRecord::Station(decode(bytes)?),
            Kind::Officer => AnyRecord::Officer(decode(bytes)?),
            Kind::Person => AnyRecord::Person(decode(bytes)?),
            Kind::Visit => AnyRecord::Visit(decode(bytes)?),
        })
    }
}

fn kind_of<T: Record>(_: &T) -> Kind {
    T::KIND
}

macro_rules! into_any {
    ($($t:ident),*) => {$(
        impl From<$t> for AnyRecord {
            fn from(r: $t) -> AnyRecord {
                AnyRecord::$t(r)
            }
        }
    )*};
}
into_any!(Station, Officer, Person, Visit);

/// Records are stored as JSON: readable in a pinch, and tolerant of added fields
/// (`#[serde(default)]`), which keeps most schema changes free of migrations.
pub(super) fn encode<T: Serialize>(record: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(record).map_err(|e| StoreError::Corrupt(format!("encode: {e}")))
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("decode: {e}")))
}
