//! Which records exist, how they are encoded, and which index entries each implies.

use super::keys;
use super::StoreError;
use beatbook_model::{
    Alert, Dispute, Finding, Id, Meta, Officer, Person, Station, Visit, WatchFlag,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use beatbook_model::Kind;

/// Where each kind of record lives in sled: its tree and its place among the store's trees.
pub(crate) trait KindTree {
    fn position(self) -> usize;
    fn tree_name(self) -> &'static str;
}

impl KindTree for Kind {
    fn position(self) -> usize {
        self as usize
    }

    fn tree_name(self) -> &'static str {
        match self {
            Kind::Station => "stations",
            Kind::Officer => "officers",
            Kind::Person => "persons",
            Kind::Visit => "visits",
            Kind::Dispute => "disputes",
            Kind::Flag => "flags",
            Kind::Alert => "alerts",
            Kind::Finding => "findings",
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
    /// station | person id, carrying the person's list summary and search keys: Today's
    /// names and the login's person search are read from this alone.
    PersonByStation,
    /// station | status | due | visit id, for **owed** (scheduled) visits only: Today's
    /// list is one range scan of this. A visit done, missed or cancelled leaves it (a
    /// person's or a dispute's history reads [`Index::VisitByPerson`] or
    /// [`Index::VisitByDispute`], the month's counts the tally), which keeps it to the
    /// visits owed, not every visit ever made.
    VisitByStation,
    /// assigned officer | status | due | visit id, for owed visits only, like
    /// [`Index::VisitByStation`]: "mine" is one range scan of this.
    VisitByOfficer,
    /// station | status | dispute id, carrying a summary: the register and Today's
    /// deadlines are read from this alone.
    DisputeByStation,
    /// person | dispute id, carrying the dispute's station, status, date and parties:
    /// repeated-dispute indicators and the duplicate guard read this.
    DisputeByParty,
    /// dispute | visit id, carrying the visit summary: a dispute's follow-ups.
    VisitByDispute,
    /// person | visit id, carrying the visit summary: a person's visit history and the
    /// watch list's rolling visits.
    VisitByPerson,
    /// person → flag id (unique: one flag per person).
    FlagByPerson,
    /// station | status | flag id, carrying a watch-list row.
    FlagByStation,
    /// station | open (0) or acknowledged (1) | alert id, carrying the alert.
    AlertByStation,
    /// station | status | finding id, carrying the finding without its history: Today's
    /// open findings and the supervisor's list are read from this alone.
    FindingByStation,
    /// target record id | finding id, carrying the same row: a dispute, visit or flag
    /// shows its findings.
    FindingByTarget,
    /// station | instant | dispute id | seq, carrying a [`super::DisputeEvent`]: the
    /// monthly statistics read one time range (status changes and deadlines).
    DisputeEventByStation,
    /// station | instant | flag id | seq, carrying a [`super::FlagEvent`]: watch-list
    /// counts at a month's end and the month's changes.
    FlagEventByStation,
    /// station | UTC hour → disputes received and resolved in that hour, summed over all
    /// disputes (a tally, see [`Index::is_tally`]): the statistics' 12-month trend reads
    /// about 9,000 counters instead of every status change of a year (70,000 at a busy
    /// station).
    DisputeTrendByStation,
    /// station | due date | assigned officer | status → visits (a tally): the month's
    /// visits owed, made and missed per officer without reading each visit.
    VisitTallyByStation,
}

impl Index {
    pub const ALL: [Index; 18] = [
        Index::OfficerByUsername,
        Index::PersonByIdNumber,
        Index::PersonByStation,
        Index::VisitByStation,
        Index::VisitByOfficer,
        Index::DisputeByStation,
        Index::DisputeByParty,
        Index::VisitByDispute,
        Index::VisitByPerson,
        Index::FlagByPerson,
        Index::FlagByStation,
        Index::AlertByStation,
        Index::FindingByStation,
        Index::FindingByTarget,
        Index::DisputeEventByStation,
        Index::FlagEventByStation,
        Index::DisputeTrendByStation,
        Index::VisitTallyByStation,
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
            Index::DisputeByStation => "idx_dispute_station_status",
            Index::DisputeByParty => "idx_dispute_party",
            Index::VisitByDispute => "idx_visit_dispute",
            Index::VisitByPerson => "idx_visit_person",
            Index::FlagByPerson => "idx_flag_person",
            Index::FlagByStation => "idx_flag_station_status",
            Index::AlertByStation => "idx_alert_station_open",
            Index::FindingByStation => "idx_finding_station_status",
            Index::FindingByTarget => "idx_finding_target",
            Index::DisputeEventByStation => "idx_dispute_event_station_time",
            Index::FlagEventByStation => "idx_flag_event_station_time",
            Index::DisputeTrendByStation => "tally_dispute_trend_station_hour",
            Index::VisitTallyByStation => "tally_visit_station_due_officer_status",
        }
    }

    /// The kind of record whose entries fill this index.
    pub fn source(self) -> Kind {
        match self {
            Index::OfficerByUsername => Kind::Officer,
            Index::PersonByIdNumber | Index::PersonByStation => Kind::Person,
            Index::VisitByStation
            | Index::VisitByOfficer
            | Index::VisitByDispute
            | Index::VisitByPerson
            | Index::VisitTallyByStation => Kind::Visit,
            Index::DisputeByStation
            | Index::DisputeByParty
            | Index::DisputeEventByStation
            | Index::DisputeTrendByStation => Kind::Dispute,
            Index::FlagByPerson | Index::FlagByStation | Index::FlagEventByStation => Kind::Flag,
            Index::AlertByStation => Kind::Alert,
            Index::FindingByStation | Index::FindingByTarget => Kind::Finding,
        }
    }

    /// Unique indexes map a value to one record id and refuse a second one.
    pub fn is_unique(self) -> bool {
        matches!(
            self,
            Index::OfficerByUsername | Index::PersonByIdNumber | Index::FlagByPerson
        )
    }

    /// For a grouped index ([`super::index_groups`]), how many leading bytes of an entry's
    /// key name its group: the sled key under which it is stored with its neighbours.
    /// The visits of a person or a dispute are grouped by owner (about ten and four
    /// each); dispute events by station and a 4.7-hour slice of time (the top five bytes
    /// of the instant), so a month's statistics read a few hundred groups.
    pub fn group_len(self) -> Option<usize> {
        match self {
            Index::VisitByPerson | Index::VisitByDispute => Some(16),
            Index::DisputeEventByStation => Some(16 + 5),
            _ => None,
        }
    }

    /// Tallies do not hold one entry per record: an entry's payload is a row of counters
    /// (big-endian u32 each) and the stored value under a key is their sum over every
    /// record implying that key. Writes add a record's new entries and subtract its old
    /// ones; checks and rebuilds sum them from the records like any other index.
    pub fn is_tally(self) -> bool {
        matches!(
            self,
            Index::DisputeTrendByStation | Index::VisitTallyByStation
        )
    }
}

/// One index key a record implies, with its payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: Index,
    pub key: Vec<u8>,
    /// What the entry carries besides its key: a summary of the record, so hot lists
    /// are built from the index alone. Unique indexes carry the record id instead.
    pub payload: Vec<u8>,
}

impl IndexEntry {
    fn new(index: Index, key: Vec<u8>) -> IndexEntry {
        IndexEntry {
            index,
            key,
            payload: Vec::new(),
        }
    }

    /// The bytes stored under the key.
    pub(super) fn stored_value(&self, id: beatbook_model::Id) -> Vec<u8> {
        if self.index.is_unique() {
            id.to_bytes().to_vec()
        } else {
            self.payload.clone()
        }
    }
}

/// What a visit index entry carries: enough to list the visit without reading it.
/// Stored in a compact binary layout (see `list_rows`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitSummary {
    /// Filled from the key when read.
    pub id: beatbook_model::Id,
    pub due: chrono::NaiveDate,
    pub revision: u64,
    pub station: beatbook_model::Id,
    pub person: Option<beatbook_model::Id>,
    pub assigned_to: beatbook_model::Id,
    pub method: beatbook_model::VisitMethod,
    pub purpose: String,
    pub status: beatbook_model::VisitStatus,
}

impl VisitSummary {
    fn of(v: &Visit) -> VisitSummary {
        VisitSummary {
            id: v.meta.id,
            due: v.due,
            revision: v.meta.revision,
            station: v.meta.station,
            person: v.subject.person,
            assigned_to: v.assigned_to,
            method: v.method,
            purpose: v.purpose.clone(),
            status: v.status,
        }
    }

    /// Decodes an entry of `index` (its due date is inside the payload too).
    pub(super) fn decode(
        index: Index,
        id: beatbook_model::Id,
        bytes: &[u8],
    ) -> Result<VisitSummary, StoreError> {
        super::list_rows::decode_visit_summary(id, bytes).ok_or(StoreError::CorruptIndex { index })
    }
}

/// What a (station, person) index entry carries: the name and village lists show, and
/// the birth year and masked ID number that tell namesakes apart — the same fields a
/// watch-list flag keeps of its person, so one type and one mapping
/// ([`beatbook_model::FlagPerson::of`]) serve both. Stored in a compact binary layout (see
/// `list_rows`); the ID number is already masked, never the full one.
pub type PersonSummary = beatbook_model::FlagPerson;

/// The fixed fields of a flag's list row (see [`super::Store::station_flag_marks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagMark {
    pub id: Id,
    pub person: Id,
    pub station: Id,
    /// The officer responsible for the person.
    pub responsible: Id,
    pub level: beatbook_model::RiskLevel,
    /// A change of level or a removal waits for the chief.
    pub pending: bool,
    pub next_review: chrono::NaiveDate,
}

impl FlagMark {
    pub fn of(flag: &WatchFlag) -> FlagMark {
        FlagMark {
            id: flag.meta.id,
            person: flag.person,
            station: flag.meta.station,
            responsible: flag.responsible,
            level: flag.level,
            pending: flag.pending.is_some(),
            next_review: flag.next_review,
        }
    }
}

/// Reads a (station, person) index entry's payload.
pub(super) fn person_summary_from(bytes: &[u8]) -> Result<PersonSummary, StoreError> {
    super::list_rows::decode_person_summary(bytes).ok_or(StoreError::CorruptIndex {
        index: Index::PersonByStation,
    })
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
        vec![IndexEntry::new(
            Index::OfficerByUsername,
            self.username.as_bytes().to_vec(),
        )]
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
            payload: super::list_rows::encode_person_entry(self),
        }];
        if let Some(number) = &self.id_number {
            entries.push(IndexEntry::new(
                Index::PersonByIdNumber,
                number.as_str().as_bytes().to_vec(),
            ));
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
        let payload = super::list_rows::encode_visit_summary(&VisitSummary::of(self));
        let mut entries = Vec::with_capacity(6);
        if self.status == beatbook_model::VisitStatus::Scheduled {
            entries.push(IndexEntry {
                index: Index::VisitByStation,
                key: keys::visit_key(self.meta.station, self.status, self.due, self.meta.id),
                payload: payload.clone(),
            });
            entries.push(IndexEntry {
                index: Index::VisitByOfficer,
                key: keys::visit_key(self.assigned_to, self.status, self.due, self.meta.id),
                payload: payload.clone(),
            });
        }
        if let Some(dispute) = self.subject.dispute {
            entries.push(IndexEntry {
                index: Index::VisitByDispute,
                key: keys::owned_key(dispute, self.meta.id),
                payload: payload.clone(),
            });
        }
        // Under every person it covers: a follow-up for all parties of a dispute is on
        // each party's screen, not only the first one's.
        for person in self.persons() {
            entries.push(IndexEntry {
                index: Index::VisitByPerson,
                key: keys::owned_key(person, self.meta.id),
                payload: payload.clone(),
            });
        }
        entries.push(super::tally::visit_entry(self));
        entries
    }
}

pub use beatbook_model::DisputeSummary;

/// Reads a dispute index entry (by station or by party): its payload, with the id from
/// the key.
pub(super) fn dispute_summary_from(
    index: Index,
    id: Id,
    bytes: &[u8],
) -> Result<DisputeSummary, StoreError> {
    super::list_rows::decode_dispute_summary(id, bytes).ok_or(StoreError::CorruptIndex { index })
}

impl Record for Dispute {
    const KIND: Kind = Kind::Dispute;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        let summary = super::list_rows::encode_dispute_summary(&DisputeSummary::of(self));
        let mut entries = vec![IndexEntry {
            index: Index::DisputeByStation,
            key: keys::status_key(self.meta.station, self.status.code(), self.meta.id),
            payload: summary.clone(),
        }];
        for person in self.party_ids() {
            entries.push(IndexEntry {
                index: Index::DisputeByParty,
                key: keys::owned_key(person, self.meta.id),
                payload: summary.clone(),
            });
        }
        entries.extend(super::events::dispute_entries(self));
        entries.extend(super::tally::dispute_trend_entries(self));
        entries
    }
}

impl Record for WatchFlag {
    const KIND: Kind = Kind::Flag;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut entries = vec![
            IndexEntry::new(Index::FlagByPerson, self.person.to_bytes().to_vec()),
            IndexEntry {
                index: Index::FlagByStation,
                key: keys::status_key(self.meta.station, self.status.code(), self.meta.id),
                payload: super::list_rows::encode_flag_row(&beatbook_model::FlagRow::of(self)),
            },
        ];
        entries.extend(super::events::flag_entries(self));
        entries
    }
}

impl Record for Alert {
    const KIND: Kind = Kind::Alert;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![IndexEntry {
            index: Index::AlertByStation,
            key: keys::status_key(self.meta.station, u8::from(!self.is_open()), self.meta.id),
            payload: encode(self).unwrap_or_default(),
        }]
    }
}

impl Record for Finding {
    const KIND: Kind = Kind::Finding;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut row = self.clone();
        // Lists need no history; keep index entries small.
        row.history.clear();
        let payload = encode(&row).unwrap_or_default();
        vec![
            IndexEntry {
                index: Index::FindingByStation,
                key: keys::status_key(self.meta.station, self.status.code(), self.meta.id),
                payload: payload.clone(),
            },
            IndexEntry {
                index: Index::FindingByTarget,
                key: keys::owned_key(self.target_id, self.meta.id),
                payload,
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
    Dispute(Box<Dispute>),
    Flag(Box<WatchFlag>),
    Alert(Box<Alert>),
    Finding(Box<Finding>),
}

macro_rules! any_record_dispatch {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            AnyRecord::Station($r) => $e,
            AnyRecord::Officer($r) => $e,
            AnyRecord::Person($r) => $e,
            AnyRecord::Visit($r) => $e,
            AnyRecord::Dispute($r) => $e,
            AnyRecord::Flag($r) => $e,
            AnyRecord::Alert($r) => $e,
            AnyRecord::Finding($r) => $e,
        }
    };
}

impl AnyRecord {
    pub fn kind(&self) -> Kind {
        match self {
            AnyRecord::Station(_) => Kind::Station,
            AnyRecord::Officer(_) => Kind::Officer,
            AnyRecord::Person(_) => Kind::Person,
            AnyRecord::Visit(_) => Kind::Visit,
            AnyRecord::Dispute(_) => Kind::Dispute,
            AnyRecord::Flag(_) => Kind::Flag,
            AnyRecord::Alert(_) => Kind::Alert,
            AnyRecord::Finding(_) => Kind::Finding,
        }
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
    /// The record as stored: its JSON, compressed for the kinds that have a dictionary
    /// ([`super::record_bytes`]).
    pub(super) fn encode(&self) -> Result<Vec<u8>, StoreError> {
        let json = any_record_dispatch!(self, r => encode(r))?;
        Ok(super::record_bytes::pack(self.kind(), json))
    }
    /// The record as the hub and the conflict screens see it: its stored JSON.
    pub fn to_json(&self) -> Result<serde_json::Value, StoreError> {
        any_record_dispatch!(self, r => serde_json::to_value(r))
            .map_err(|e| StoreError::Corrupt(format!("encode: {e}")))
    }

    /// A record of `kind` from its JSON (a version kept aside, a decided merge): refused
    /// as corrupt unless it is a whole, well-formed record of that kind.
    pub fn from_json(kind: Kind, value: &serde_json::Value) -> Result<AnyRecord, StoreError> {
        let bytes =
            serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(format!("encode: {e}")))?;
        AnyRecord::decode(kind, &bytes)
    }

    pub(super) fn decode(kind: Kind, bytes: &[u8]) -> Result<AnyRecord, StoreError> {
        Ok(match kind {
            Kind::Station => AnyRecord::Station(decode(bytes)?),
            Kind::Officer => AnyRecord::Officer(decode(bytes)?),
            Kind::Person => AnyRecord::Person(decode(bytes)?),
            Kind::Visit => AnyRecord::Visit(decode(bytes)?),
            Kind::Dispute => AnyRecord::Dispute(Box::new(decode(bytes)?)),
            Kind::Flag => AnyRecord::Flag(Box::new(decode(bytes)?)),
            Kind::Alert => AnyRecord::Alert(Box::new(decode(bytes)?)),
            Kind::Finding => AnyRecord::Finding(Box::new(decode(bytes)?)),
        })
    }
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

macro_rules! into_any_boxed {
    ($($t:ident => $v:ident),*) => {$(
        impl From<$t> for AnyRecord {
            fn from(r: $t) -> AnyRecord {
                AnyRecord::$v(Box::new(r))
            }
        }
    )*};
}
into_any_boxed!(Dispute => Dispute, WatchFlag => Flag, Alert => Alert, Finding => Finding);

/// Records are JSON: tolerant of added fields (`#[serde(default)]`), which keeps most
/// schema changes free of migrations. They are stored compressed ([`AnyRecord::encode`]).
pub(super) fn encode<T: Serialize>(record: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(record).map_err(|e| StoreError::Corrupt(format!("encode: {e}")))
}

/// A record from its stored bytes, compressed or JSON ([`super::record_bytes`]).
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let json = super::record_bytes::json_of(bytes)?;
    serde_json::from_slice(&json).map_err(|e| StoreError::Corrupt(format!("decode: {e}")))
}
