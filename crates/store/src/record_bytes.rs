//! How a record is stored: its JSON, LZ4-compressed against a dictionary of its kind.
//!
//! Why: the records were 70 % of a bureau's stored bytes after schema 9 (visits alone
//! 1.35 GB of JSON, issue 16). A record of a few hundred bytes hardly compresses on its
//! own (its field names are the repetition), but against a dictionary of a few records
//! of its kind it does: measured on the full seed with the shipped dictionaries, visits
//! 3.6×, disputes 2.9×, flags 3.4×, persons 2.5×, at about 2 µs per record each way.
//!
//! The value is either JSON (it starts with `{`: what every store before this wrote, and
//! the kinds without a dictionary) or [`COMPRESSED`], the dictionary's id, the JSON's
//! length (u32 BE) and the LZ4 block. A record is compressed when it is next written, so
//! a store upgraded from an older version needs no rewrite.
//!
//! The dictionaries in `crates/store/dict/` are a few demo records of each kind. **A
//! dictionary, once shipped, never changes**: records written with it are read with it.
//! A better one is added under a new id.

use super::{Kind, StoreError};
use std::borrow::Cow;

/// First byte of a compressed record; JSON starts with `{`.
const COMPRESSED: u8 = 1;
const HEADER: usize = 1 + 1 + 4;
/// A record's JSON longer than this is not one beatbook wrote: the value is refused as
/// damaged rather than decompressed into a buffer its header asks for.
const MAX_JSON: usize = 16 << 20;

/// A shipped dictionary: its id in the stored value, the kind whose new records it
/// compresses, and its bytes.
struct Dictionary {
    id: u8,
    kind: Kind,
    bytes: &'static [u8],
}

/// Every dictionary. The kinds without one (stations, officers, alerts, findings: few
/// records) are stored as JSON.
const DICTIONARIES: [Dictionary; 4] = [
    Dictionary {
        id: 1,
        kind: Kind::Visit,
        bytes: include_bytes!("../dict/visit.v1"),
    },
    Dictionary {
        id: 2,
        kind: Kind::Person,
        bytes: include_bytes!("../dict/person.v1"),
    },
    Dictionary {
        id: 3,
        kind: Kind::Dispute,
        bytes: include_bytes!("../dict/dispute.v1"),
    },
    Dictionary {
        id: 4,
        kind: Kind::Flag,
        bytes: include_bytes!("../dict/flag.v1"),
    },
];

/// The dictionary new records of `kind` are written with.
fn dictionary_for(kind: Kind) -> Option<&'static Dictionary> {
    DICTIONARIES.iter().find(|d| d.kind == kind)
}

/// The dictionary a stored value names.
fn dictionary(id: u8) -> Option<&'static [u8]> {
    DICTIONARIES.iter().find(|d| d.id == id).map(|d| d.bytes)
}

/// The stored form of a record of `kind` whose JSON is `json`.
pub fn pack(kind: Kind, json: Vec<u8>) -> Vec<u8> {
    let Some(dict) = dictionary_for(kind) else {
        return json;
    };
    let Ok(len) = u32::try_from(json.len()) else {
        return json;
    };
    let packed = lz4_flex::block::compress_with_dict(&json, dict.bytes);
    let mut out = Vec::with_capacity(HEADER + packed.len());
    out.push(COMPRESSED);
    out.push(dict.id);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&packed);
    out
}

/// A stored record's JSON (borrowed when it is stored as JSON).
pub fn json_of(stored: &[u8]) -> Result<Cow<'_, [u8]>, StoreError> {
    if stored.first() != Some(&COMPRESSED) {
        return Ok(Cow::Borrowed(stored));
    }
    let damaged = || StoreError::Corrupt("record: damaged compressed value".into());
    let id = *stored.get(1).ok_or_else(damaged)?;
    let dict = dictionary(id)
        .ok_or_else(|| StoreError::Corrupt(format!("record: unknown dictionary {id}")))?;
    let len_bytes: [u8; 4] = stored
        .get(2..HEADER)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(damaged)?;
    let len = u32::from_be_bytes(len_bytes) as usize;
    super::lz4_exact::decompress_exact(&stored[HEADER..], len, MAX_JSON, dict)
        .map(Cow::Owned)
        .ok_or_else(damaged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dictionary_is_shipped_and_records_round_trip() {
        for kind in Kind::ALL {
            if let Some(dict) = dictionary_for(kind) {
                assert!(
                    dictionary(dict.id).is_some_and(|d| d.len() > 1000),
                    "{kind:?}"
                );
            }
            let json = br#"{"meta":{"id":"01M9087WW74QZ000000000000E"},"notes":"\u738b"}"#.to_vec();
            let stored = pack(kind, json.clone());
            assert_eq!(json_of(&stored).expect("reads").as_ref(), json.as_slice());
        }
    }

    #[test]
    fn a_visit_is_stored_in_a_fraction_of_its_json() {
        let json = r#"{"meta":{"id":"01M9087WW74QZ000000000000E","station":"01M9087WW74QZ0000000000000","created_at":"2026-09-28T02:47:00Z","updated_at":"2026-11-25T01:00:00Z","changed_by":"00000000000000000000000000","revision":1},"subject":{"person":"01M9087WW74QZ000000000000C","dispute":null},"assigned_to":"01M9087WW74QZ0000000000004","due":"2026-10-05","method":"in_person","purpose":"重点人员定期走访（红）","status":"done","outcome":"stable","agreement_honoured":null,"notes":"与家属交谈，家属反映其近况良好，按时服药。","completed_at":"2026-10-05T01:55:00Z","status_reason":""}"#.as_bytes().to_vec();
        let stored = pack(Kind::Visit, json.clone());
        assert!(
            stored.len() * 2 < json.len(),
            "{} of {}",
            stored.len(),
            json.len()
        );
    }

    #[test]
    fn json_is_read_as_it_is_and_damage_is_refused() {
        assert_eq!(json_of(b"{}").expect("json").as_ref(), b"{}");
        let stored = pack(Kind::Visit, r#"{"purpose":"回访"}"#.as_bytes().to_vec());
        let mut unknown = stored.clone();
        unknown[1] = 99;
        let mut huge = stored.clone();
        huge[2] = 0xff;
        let mut wrong_length = stored.clone();
        wrong_length[5] ^= 1;
        for damaged in [
            unknown,
            huge,
            wrong_length,
            stored[..stored.len() - 1].to_vec(),
            vec![COMPRESSED],
        ] {
            assert!(json_of(&damaged).is_err(), "{damaged:?}");
        }
    }
}
