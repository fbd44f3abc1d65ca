//! Conflicts from the hub, for the person who decides them.
//!
//! A version the hub did not take is kept whole beside the hub's (see the store's sync
//! state). Here a session reads them field by field, as its role allows, and decides:
//! keep the version kept aside, keep the hub's, or take some fields of each. The decision
//! is a change on top of the record as this terminal holds it (the hub's head after a
//! round), audited like any other, and closes the conflict here at once and on every
//! terminal of the station after the next rounds.
//!
//! Who: the station's chief decides its case records, an administrator accounts and
//! stations; supervisors read every station's. A workflow clash (the two versions
//! disagree on the record's status) is decided by keeping one version whole: each was a
//! state the workflow allowed, a mixture of them need not be.

use crate::names::Names;
use crate::{Forbidden, Service, ServiceError, Session};
use beatbook_core::rules::access;
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_model::{Field, Id, Kind, Phone, ResidentId, Role};
use beatbook_store::{AnyRecord, Change, ConflictReason, SyncConflict, Write};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeSet;

/// One side of a conflict: who changed the record last on that side, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictSide {
    /// The side holds the record (false: that side deleted it).
    pub present: bool,
    pub changed_by: String,
    pub changed_at: Option<DateTime<Utc>>,
}

/// One field on which the two versions differ, as a person reads it (ID numbers and
/// phones masked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDifference {
    /// The stored field's name: what a field-by-field decision names.
    pub name: String,
    pub label: Bi,
    pub kept: Bi,
    pub hub: Bi,
    /// Changed on both sides since their common version (as the hub found it): a true
    /// clash; the other differences are one side's change the other did not see.
    pub clash: bool,
    /// A list records only append to: both sides' items are kept whatever is decided.
    pub united: bool,
}

/// A conflict as the conflicts screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictView {
    /// What a decision names.
    pub key: String,
    pub kind: Kind,
    pub record: Id,
    /// The record's name (a person's name, a dispute's title…).
    pub title: String,
    pub station: String,
    pub reason: ConflictReason,
    /// The terminal whose version was kept aside (None: this one).
    pub terminal: Option<String>,
    pub at: DateTime<Utc>,
    /// The version kept aside.
    pub kept: ConflictSide,
    /// The hub's version (what every terminal holds now).
    pub hub: ConflictSide,
    pub fields: Vec<FieldDifference>,
    /// The versions disagree on the workflow status: keep one whole.
    pub workflow: bool,
    /// This session may decide it (else it reads it).
    pub may_decide: bool,
}

/// How a conflict is decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// The version kept aside, whole.
    Kept,
    /// The hub's version stands.
    Hub,
    /// These fields from the version kept aside, the rest as the hub has them.
    Fields(BTreeSet<String>),
}

impl ConflictChoice {
    fn resolution(&self) -> &'static str {
        match self {
            ConflictChoice::Kept => "kept",
            ConflictChoice::Hub => "hub",
            ConflictChoice::Fields(_) => "fields",
        }
    }
}

impl Service {
    /// The conflicts this session may read, oldest first.
    pub fn conflicts(&self, session: &Session) -> Result<Vec<ConflictView>, ServiceError> {
        let principal = &self.authorize(session)?;
        let mut names = Names::default();
        let mut out = Vec::new();
        for conflict in self.store.sync_conflicts()? {
            let station = station_of(&conflict);
            if may_read(session, principal, conflict.kind, station) {
                out.push(self.conflict_view(session, principal, &conflict, &mut names)?);
            }
        }
        Ok(out)
    }

    /// How many conflicts wait for this session's decision (the chief's count on Today).
    pub fn conflicts_to_decide(&self, session: &Session) -> Result<usize, ServiceError> {
        let principal = self.authorize(session)?;
        // Counted on each Today reload: who may decide, without building the views.
        Ok(self
            .store
            .sync_conflicts()?
            .iter()
            .filter(|c| {
                let station = station_of(c);
                may_read(session, &principal, c.kind, station)
                    && decide_refusal(session, &principal, c.kind, station).is_none()
            })
            .count())
    }

    /// Decides the conflict `key` as `choice`. Refused when this session may not decide
    /// it, when a workflow clash is mixed field by field, or when it was decided
    /// meanwhile. Returns nothing: the screens reload.
    pub fn resolve_conflict(
        &self,
        session: &Session,
        key: &str,
        choice: &ConflictChoice,
    ) -> Result<(), ServiceError> {
        let principal = self.authorize(session)?;
        let Some(conflict) = self.store.sync_conflict(key)? else {
            return Err(ServiceError::ConflictDecided);
        };
        let station = station_of(&conflict);
        if !may_read(session, &principal, conflict.kind, station) {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        if let Some(refusal) = decide_refusal(session, &principal, conflict.kind, station) {
            return Err(ServiceError::Forbidden(refusal));
        }
        let current = self.store.get_any(conflict.kind, conflict.id)?;
        let current_json = current.as_ref().map(AnyRecord::to_json).transpose()?;
        // The fields the two versions differed in when the conflict arrived: what the
        // decision is about (an edit made here since, in another field, is left alone).
        let differing: Vec<String> =
            differing_fields(conflict.mine.as_ref(), conflict.theirs.as_ref())
                .into_iter()
                .filter(|f| !is_append_only(f))
                .collect();
        let choice = match choice {
            ConflictChoice::Fields(f) if f.is_empty() => ConflictChoice::Hub,
            ConflictChoice::Fields(f) if differing.iter().all(|d| f.contains(d)) => {
                ConflictChoice::Kept
            }
            other => other.clone(),
        };
        if let ConflictChoice::Fields(_) = &choice {
            if differing.iter().any(|f| f == "status") {
                return Err(ServiceError::ConflictWholeOnly);
            }
            if conflict.mine.is_none() || current.is_none() {
                return Err(ServiceError::ConflictWholeOnly);
            }
        }
        if conflict.reason != ConflictReason::Revision && choice != ConflictChoice::Hub {
            // The hub would refuse it again (not this station's to write), or this store
            // cannot hold it beside another record: only the version that stands is kept.
            return Err(ServiceError::ConflictWholeOnly);
        }
        let detail = format!(
            "{} {} {}",
            conflict.kind.name(),
            conflict.id,
            choice.resolution()
        );
        let mut change = Change::new("conflict.resolve", &session.actor(), self.now_utc())
            .detail(detail)
            .station(station.unwrap_or(session.station));
        // The record as decided: the version chosen (or the hub's with the marked fields
        // of the version kept aside), every appended item of both sides kept.
        let workflow = differing.iter().any(|f| f == "status");
        let decided = match (&choice, &conflict.mine) {
            (ConflictChoice::Hub, _) => current_json.clone(),
            // The set-aside version's values where the two versions differed, over the
            // record as it is now: what was changed here since the conflict arrived stays.
            // A workflow clash takes the version whole (a state the workflow allowed).
            (ConflictChoice::Kept, Some(mine)) if current_json.is_some() && !workflow => {
                Some(overlay(current_json.clone(), mine, differing.iter()))
            }
            (ConflictChoice::Kept, Some(mine)) => Some(mine.clone()),
            (ConflictChoice::Kept, None) => {
                if let Some(current) = &current {
                    change.writes.push(Write::Delete {
                        kind: conflict.kind,
                        id: conflict.id,
                        revision: current.meta().revision,
                    });
                }
                None
            }
            (ConflictChoice::Fields(fields), Some(mine)) => {
                Some(overlay(current_json.clone(), mine, fields.iter()))
            }
            (ConflictChoice::Fields(_), None) => None,
        };
        if let Some(mut decided) = decided {
            for side in [conflict.mine.as_ref(), current_json.as_ref()]
                .into_iter()
                .flatten()
            {
                keep_appended(&mut decided, side);
            }
            // On top of the record as held here: its bookkeeping, the decided content.
            let mut record = AnyRecord::from_json(conflict.kind, &fix_meta(decided, &current))?;
            record.meta_mut().revision = current.as_ref().map_or(0, |c| c.meta().revision);
            if Some(&record.to_json()?) != current_json.as_ref() || current.is_none() {
                change.writes.push(Write::Put(Box::new(record)));
            }
        }
        self.store
            .resolve_conflict(key, &change, choice.resolution())
            .map_err(|e| match e {
                beatbook_store::StoreError::Conflict { .. } => ServiceError::ConflictDecided,
                other => other.into(),
            })?;
        Ok(())
    }

    fn conflict_view(
        &self,
        session: &Session,
        principal: &beatbook_core::rules::access::Principal,
        conflict: &SyncConflict,
        names: &mut Names,
    ) -> Result<ConflictView, ServiceError> {
        let station = station_of(conflict);
        let side = |body: Option<&Value>, names: &mut Names| ConflictSide {
            present: body.is_some(),
            changed_by: body
                .and_then(|b| b.pointer("/meta/changed_by"))
                .and_then(|v| serde_json::from_value::<Id>(v.clone()).ok())
                .map(|id| names.officer(self, id))
                .unwrap_or_default(),
            changed_at: body
                .and_then(|b| b.pointer("/meta/updated_at"))
                .and_then(|v| serde_json::from_value::<DateTime<Utc>>(v.clone()).ok()),
        };
        // The fields the versions differed in, each shown beside its value as the record
        // stands here now (the hub's version, or an edit made since the conflict arrived):
        // a decision never overwrites a value it did not show.
        let standing = match self.store.get_any(conflict.kind, conflict.id)? {
            Some(record) => Some(record.to_json()?),
            None => conflict.theirs.clone(),
        };
        let differing = differing_fields(conflict.mine.as_ref(), conflict.theirs.as_ref());
        let fields = differing
            .iter()
            .map(|name| FieldDifference {
                name: name.clone(),
                label: label_of(name),
                kept: shown(
                    conflict.kind,
                    name,
                    conflict.mine.as_ref().and_then(|b| b.get(name)),
                ),
                hub: shown(
                    conflict.kind,
                    name,
                    standing.as_ref().and_then(|b| b.get(name)),
                ),
                clash: conflict.fields.contains(name) && !is_append_only(name),
                united: is_append_only(name),
            })
            .collect();
        let body = standing.as_ref().or(conflict.mine.as_ref());
        let title = body.map(title_of).unwrap_or_default();
        Ok(ConflictView {
            key: conflict.key.clone(),
            kind: conflict.kind,
            record: conflict.id,
            title,
            station: station.map(|s| names.station(self, s)).unwrap_or_default(),
            reason: conflict.reason,
            terminal: conflict.terminal.clone(),
            at: conflict.at,
            kept: side(conflict.mine.as_ref(), names),
            hub: side(standing.as_ref(), names),
            workflow: differing.iter().any(|f| f == "status"),
            fields,
            may_decide: decide_refusal(session, principal, conflict.kind, station).is_none(),
        })
    }
}

/// The station whose record it is (either side's bookkeeping says).
fn station_of(conflict: &SyncConflict) -> Option<Id> {
    [conflict.theirs.as_ref(), conflict.mine.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|b| b.pointer("/meta/station"))
        .and_then(|v| serde_json::from_value::<Id>(v.clone()).ok())
}

fn is_account_data(kind: Kind) -> bool {
    matches!(kind, Kind::Officer | Kind::Station)
}

fn may_read(
    session: &Session,
    principal: &access::Principal,
    kind: Kind,
    station: Option<Id>,
) -> bool {
    if is_account_data(kind) {
        return session.role == Role::Admin;
    }
    session.role != Role::Admin && station.is_some_and(|s| access::can_read_station(principal, s))
}

/// Why this session may not decide a conflict on a record of `kind` at `station`.
fn decide_refusal(
    session: &Session,
    principal: &access::Principal,
    kind: Kind,
    station: Option<Id>,
) -> Option<Forbidden> {
    if is_account_data(kind) {
        return (session.role != Role::Admin).then_some(Forbidden::AdminOnly);
    }
    match session.role {
        Role::Chief if station.is_some_and(|s| access::can_write_station(principal, s)) => None,
        Role::Chief => Some(Forbidden::OtherStation),
        Role::Supervisor => Some(Forbidden::ReadOnlyRole(Role::Supervisor)),
        _ => Some(Forbidden::ChiefOnly),
    }
}

/// `current` with `fields` taken from `mine` (append-only lists are united separately).
fn overlay<'a>(
    current: Option<Value>,
    mine: &Value,
    fields: impl Iterator<Item = &'a String>,
) -> Value {
    let mut merged = current.unwrap_or(Value::Null);
    if let (Some(out), Some(mine)) = (merged.as_object_mut(), mine.as_object()) {
        for field in fields.filter(|f| !is_append_only(f)) {
            match mine.get(field) {
                Some(v) => out.insert(field.clone(), v.clone()),
                None => out.remove(field),
            };
        }
    }
    merged
}

fn is_append_only(field: &str) -> bool {
    beatbook_hub::merge::APPEND_ONLY.contains(&field)
}

/// Adds to `decided`'s append-only lists the items only `side` holds.
fn keep_appended(decided: &mut Value, side: &Value) {
    for field in beatbook_hub::merge::APPEND_ONLY {
        let (Some(Value::Array(ours)), Some(Value::Array(theirs))) =
            (decided.get(*field), side.get(*field))
        else {
            continue;
        };
        let united = beatbook_hub::merge::unite(ours, theirs);
        decided[*field] = Value::Array(united);
    }
}

/// The content fields (not the bookkeeping) on which two versions differ, sorted.
fn differing_fields(a: Option<&Value>, b: Option<&Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let a = a.and_then(Value::as_object).unwrap_or(&empty);
    let b = b.and_then(Value::as_object).unwrap_or(&empty);
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| k.as_str() != "meta")
        .filter(|k| a.get(*k).unwrap_or(&Value::Null) != b.get(*k).unwrap_or(&Value::Null))
        .cloned()
        .collect()
}

/// The decided JSON with the bookkeeping of the record held here (or the version's own
/// when this store has none).
fn fix_meta(mut taken: Value, current: &Option<AnyRecord>) -> Value {
    if let (Some(current), Some(obj)) = (current, taken.as_object_mut()) {
        if let Ok(Value::Object(mut whole)) = current.to_json() {
            if let Some(meta) = whole.remove("meta") {
                obj.insert("meta".into(), meta);
            }
        }
    }
    taken
}

/// A value as a person reads it, in both languages: text as it is, nothing as "—", ID
/// numbers and phones masked, a status, level, gender or method as its word, a list as
/// its length, anything else as compact JSON.
fn shown(kind: Kind, field: &str, value: Option<&Value>) -> Bi {
    fn word<T: serde::de::DeserializeOwned + Localize>(value: &Value) -> Option<Bi> {
        serde_json::from_value::<T>(value.clone())
            .ok()
            .map(|v| Bi::of(&v))
    }
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Bi::new("—", "—");
    };
    let as_word = match (kind, field) {
        (Kind::Visit, "status") => word::<beatbook_model::VisitStatus>(value),
        (Kind::Visit, "method") => word::<beatbook_model::VisitMethod>(value),
        (Kind::Dispute, "status") => word::<beatbook_model::DisputeStatus>(value),
        (Kind::Finding, "status") => word::<beatbook_model::FindingStatus>(value),
        (_, "level" | "risk") => word::<beatbook_model::RiskLevel>(value),
        (_, "gender") => word::<beatbook_model::Gender>(value),
        _ => None,
    };
    if let Some(bi) = as_word {
        return bi;
    }
    let text = shown_text(field, value);
    Bi::new(text.clone(), text)
}

/// [`shown`] for values that are not words.
fn shown_text(field: &str, value: &Value) -> String {
    match field {
        "id_number" => serde_json::from_value::<ResidentId>(value.clone())
            .map(|id| id.masked())
            .unwrap_or_else(|_| "***".into()),
        "phone" => serde_json::from_value::<Phone>(value.clone())
            .map(|p| p.masked())
            .unwrap_or_else(|_| "***".into()),
        _ => match value {
            Value::String(s) => s.clone(),
            Value::Array(items) => format!("[{}]", items.len()),
            other => other.to_string(),
        },
    }
}

/// A record's name for the list: a person's name, a dispute's title, the person a flag
/// lists, a visit's purpose.
fn title_of(body: &Value) -> String {
    [
        "/name",
        "/title",
        "/listed_as/name",
        "/purpose",
        "/display_name",
        "/description",
    ]
    .iter()
    .find_map(|k| body.pointer(k).and_then(Value::as_str))
    .filter(|s| !s.is_empty())
    .unwrap_or("")
    .to_string()
}

/// The label of a stored field in both languages: the form's label where it has one.
fn label_of(name: &str) -> Bi {
    let field = match name {
        "name" => Some(Field::Name),
        "gender" => Some(Field::Gender),
        "birth_date" => Some(Field::BirthDate),
        "id_number" => Some(Field::IdNumber),
        "phone" => Some(Field::Phone),
        "address" => Some(Field::Address),
        "village" => Some(Field::Village),
        "notes" => Some(Field::Notes),
        "ethnicity" => Some(Field::Ethnicity),
        "occupation" => Some(Field::Occupation),
        "purpose" => Some(Field::Purpose),
        "status_reason" => Some(Field::Reason),
        "due" => Some(Field::DueDate),
        "method" => Some(Field::Method),
        "outcome" => Some(Field::Outcome),
        "agreement_honoured" => Some(Field::Agreement),
        "assigned_to" => Some(Field::Officer),
        "title" => Some(Field::Title),
        "category" => Some(Field::Category),
        "subcategory" => Some(Field::Subcategory),
        "place" => Some(Field::Place),
        "happened_on" => Some(Field::HappenedOn),
        "accepted_on" => Some(Field::AcceptedOn),
        "source" => Some(Field::Source),
        "scale" => Some(Field::Scale),
        "people_involved" => Some(Field::PeopleInvolved),
        "amount_fen" => Some(Field::Amount),
        "description" => Some(Field::Description),
        "parties" => Some(Field::Parties),
        "complexity" => Some(Field::Complexity),
        "level" => Some(Field::Level),
        "basis" => Some(Field::Basis),
        "next_review" => Some(Field::NextReview),
        "display_name" => Some(Field::DisplayName),
        "username" => Some(Field::Username),
        "role" => Some(Field::Role),
        _ => None,
    };
    if let Some(field) = field {
        return Bi::of(&field);
    }
    let (zh, en) = match name {
        "status" => ("状态", "Status"),
        "history" => ("变更记录", "History"),
        "timeline" => ("时间线", "Timeline"),
        "sessions" => ("调解记录", "Mediation sessions"),
        "active" => ("启用", "Active"),
        "agreement_paper" => (
            "调解协议书（编号、履行方式）",
            "Agreement paper (number, performance)",
        ),
        _ => (name, name),
    };
    Bi::new(zh, en)
}

/// Why a conflict reached a person, in both languages.
impl Localize for ConflictReasonText {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self.0 {
            ConflictReason::Revision => {
                ("两台终端都改了这条记录", "changed on two terminals at once")
            }
            ConflictReason::NotPermitted => (
                "汇总库拒收：本所无权修改这条记录",
                "refused by the hub: this station may not change the record",
            ),
            ConflictReason::Duplicate => (
                "与本机另一条记录重复（身份证号或用户名）",
                "duplicates another record here (ID number or username)",
            ),
        };
        lang.pick(zh, en).to_string()
    }
}

/// [`ConflictReason`] told to a person.
pub struct ConflictReasonText(pub ConflictReason);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_content_fields_that_differ_are_listed() {
        let a = json!({"meta": {"revision": 3}, "name": "张三", "notes": "a", "village": "东村"});
        let b = json!({"meta": {"revision": 4}, "name": "张三", "notes": "b"});
        assert_eq!(
            differing_fields(Some(&a), Some(&b)),
            vec!["notes".to_string(), "village".to_string()]
        );
        assert_eq!(differing_fields(Some(&a), Some(&a)), Vec::<String>::new());
    }

    #[test]
    fn personal_numbers_are_masked_words_are_words_and_nothing_reads_as_a_dash() {
        let shown_id = shown(
            Kind::Person,
            "id_number",
            Some(&json!("110101199003077777")),
        );
        assert!(!shown_id.zh.contains("199003077"), "{shown_id:?}");
        assert_eq!(shown(Kind::Person, "notes", None).zh, "—");
        assert_eq!(shown(Kind::Person, "notes", Some(&Value::Null)).en, "—");
        assert_eq!(
            shown(Kind::Dispute, "parties", Some(&json!([1, 2]))).zh,
            "[2]"
        );
        let done = shown(Kind::Visit, "status", Some(&json!("done")));
        assert_ne!(done.zh, "done");
        assert_ne!(done.zh, done.en);
    }

    #[test]
    fn every_field_has_a_label_in_both_languages() {
        let label = label_of("notes");
        assert_ne!(label.zh, label.en);
        assert_eq!(label_of("status").zh, "状态");
    }
}
