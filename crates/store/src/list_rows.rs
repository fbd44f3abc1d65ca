//! Index payloads that lists decode by the thousand on every open, in fixed binary
//! layouts rather than JSON (parsing ULID strings, dates and field names dominated the
//! time the watch list took to open):
//!
//! - the watch list's row of a flag (flags by station and status): person(16) |
//!   station(16) | responsible(16) | level(1) | pending(1) | next_review(4, days from CE)
//!   | last_contact(4, days from CE, or `NONE`) | categories: count(1), then each
//!   length(1) | UTF-8 | the flag's copy of the person, laid out as a person's summary
//!   (the list shows it without reading the person);
//! - a person's summary (persons by station): birth year(4, or `NONE`) | name length(2) |
//!   name | village length(2) | village | masked ID length(1) | masked ID (0: none); the
//!   persons-by-station entry follows it with what the person search needs: merged(1) |
//!   ID number length(1) | ID number | phone length(1) | phone (0: none);
//! - a visit's summary (every visit index): due(4, days from CE) | revision(8) |
//!   station(16) | assigned to(16) | method(1) | status(1) | has person(1) | person(16,
//!   zeros when none) | purpose (UTF-8, the rest). The person sits at a fixed offset so
//!   the watch list's scan of owed visits reads it without decoding anything else;
//! - a dispute's register row (disputes by station and by party): see
//!   [`dispute_summary`].

mod dispute_summary;
pub(super) use dispute_summary::{decode_dispute_summary, encode_dispute_summary};

use super::records::FlagMark;
use super::records::{PersonSummary, VisitSummary};
use beatbook_model::{
    FlagPerson, FlagRow, Id, Person, PersonSearchKeys, RiskLevel, VisitMethod, VisitStatus,
};
use chrono::{Datelike, NaiveDate};

/// No last contact.
const NONE: i32 = i32::MIN;

fn level_of(code: u8) -> Option<RiskLevel> {
    RiskLevel::ALL.get(usize::from(code)).copied()
}

/// Encodes a row. Category codes longer than 255 bytes, or more than 255 of them, are cut
/// (dictionary codes are short ASCII words).
pub(super) fn encode_flag_row(row: &FlagRow) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + row.categories.len() * 16);
    out.extend_from_slice(&row.person.to_bytes());
    out.extend_from_slice(&row.station.to_bytes());
    out.extend_from_slice(&row.responsible.to_bytes());
    out.push(u8::try_from(row.level.rank()).unwrap_or(u8::MAX));
    out.push(u8::from(row.pending));
    out.extend_from_slice(&row.next_review.num_days_from_ce().to_be_bytes());
    let last = row.last_contact.map_or(NONE, |d| d.num_days_from_ce());
    out.extend_from_slice(&last.to_be_bytes());
    let categories: Vec<&[u8]> = row
        .categories
        .iter()
        .take(usize::from(u8::MAX))
        .map(|c| &c.as_bytes()[..c.len().min(usize::from(u8::MAX))])
        .collect();
    out.push(u8::try_from(categories.len()).unwrap_or(u8::MAX));
    for c in categories {
        out.push(u8::try_from(c.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(c);
    }
    let p = &row.listed_as;
    write_person(
        &mut out,
        (&p.name, &p.village, p.birth_year, p.masked_id.as_deref()),
    );
    out
}

/// The fixed fields at the front of a flag's row (person, station, responsible officer,
/// level, pending, next review), read without decoding the rest: the chief's approvals
/// and the watch-list alerts look at these for every flag of a station, and decoding
/// whole rows (names, categories) was most of their time (issue 16).
pub(super) fn decode_flag_mark(id: Id, value: &[u8]) -> Option<FlagMark> {
    read_flag_mark(id, &mut Reader { value, at: 0 })
}

/// Reads the fixed fields at the front of a flag's row.
fn read_flag_mark(id: Id, reader: &mut Reader) -> Option<FlagMark> {
    let person = Id::from_slice(reader.take(16)?)?;
    let station = Id::from_slice(reader.take(16)?)?;
    let responsible = Id::from_slice(reader.take(16)?)?;
    let level = level_of(*reader.take(1)?.first()?)?;
    let pending = *reader.take(1)?.first()? != 0;
    let day = i32::from_be_bytes(reader.take(4)?.try_into().ok()?);
    let next_review = NaiveDate::from_num_days_from_ce_opt(day)?;
    Some(FlagMark {
        id,
        person,
        station,
        responsible,
        level,
        pending,
        next_review,
    })
}

/// Decodes a row; `None` when the bytes are not a row (a damaged index).
pub(super) fn decode_flag_row(id: Id, value: &[u8]) -> Option<FlagRow> {
    let mut reader = Reader { value, at: 0 };
    let mark = read_flag_mark(id, &mut reader)?;
    let last = i32::from_be_bytes(reader.take(4)?.try_into().ok()?);
    let last_contact = if last == NONE {
        None
    } else {
        Some(NaiveDate::from_num_days_from_ce_opt(last)?)
    };
    let count = *reader.take(1)?.first()?;
    let mut categories = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let len = *reader.take(1)?.first()?;
        let text = std::str::from_utf8(reader.take(usize::from(len))?).ok()?;
        categories.push(text.to_string());
    }
    let (name, village, birth_year, masked_id) = read_person(&mut reader)?;
    if reader.at != value.len() {
        return None;
    }
    Some(FlagRow {
        id,
        person: mark.person,
        station: mark.station,
        categories,
        level: mark.level,
        responsible: mark.responsible,
        next_review: mark.next_review,
        last_contact,
        pending: mark.pending,
        listed_as: FlagPerson {
            name,
            village,
            birth_year,
            masked_id,
        },
    })
}

/// Reads consecutive parts of a payload; `None` past its end.
struct Reader<'a> {
    value: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let part = self.value.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(part)
    }

    fn text(&mut self, len: usize) -> Option<String> {
        std::str::from_utf8(self.take(len)?)
            .ok()
            .map(str::to_string)
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub(super) fn encode_person_summary(p: &PersonSummary) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + p.name.len() + p.village.len() + 18);
    write_person(
        &mut out,
        (&p.name, &p.village, p.birth_year, p.masked_id.as_deref()),
    );
    out
}

/// A person's entry in the persons-by-station index: the summary (what lists show), then
/// what the person search needs (see the module doc).
pub(super) fn encode_person_entry(person: &Person) -> Vec<u8> {
    let mut out = encode_person_summary(&PersonSummary::of(person));
    out.push(u8::from(person.merged_into.is_some()));
    let id_number = person.id_number.as_ref().map_or("", |n| n.as_str());
    let phone = person.phone.as_ref().map_or("", |p| p.as_str());
    for number in [id_number, phone] {
        let number = cut(number, usize::from(u8::MAX));
        out.push(u8::try_from(number.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(number.as_bytes());
    }
    out
}

pub(super) fn decode_person_summary(value: &[u8]) -> Option<PersonSummary> {
    let mut r = Reader { value, at: 0 };
    let (name, village, birth_year, masked_id) = read_person(&mut r)?;
    Some(PersonSummary {
        name,
        village,
        birth_year,
        masked_id,
    })
}

/// The search keys of a persons-by-station entry of `person` at `station` (`None` when
/// the bytes are damaged, or written before schema 11 without them).
pub(super) fn decode_person_search(
    station: Id,
    person: Id,
    value: &[u8],
) -> Option<PersonSearchKeys> {
    let mut r = Reader { value, at: 0 };
    let (name, village, _, _) = read_person(&mut r)?;
    let merged = match *r.take(1)?.first()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let mut number = || -> Option<String> {
        let len = *r.take(1)?.first()?;
        r.text(usize::from(len))
    };
    let id_number = number()?;
    let phone = number()?;
    (r.at == value.len()).then_some(PersonSearchKeys {
        id: person,
        station,
        name,
        village,
        id_number,
        phone,
        merged,
    })
}

/// Name, village, birth year and masked ID number, as a person's summary and a flag's
/// copy of its person both carry them.
type PersonParts = (String, String, Option<i32>, Option<String>);

/// Appends the person layout (see the module doc) of (name, village, birth year, masked
/// ID).
fn write_person(
    out: &mut Vec<u8>,
    (name, village, year, masked): (&str, &str, Option<i32>, Option<&str>),
) {
    let name = cut(name, usize::from(u16::MAX));
    let village = cut(village, usize::from(u16::MAX));
    let masked = cut(masked.unwrap_or(""), usize::from(u8::MAX));
    out.extend_from_slice(&year.unwrap_or(NONE).to_be_bytes());
    for part in [name, village] {
        out.extend_from_slice(&u16::try_from(part.len()).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.push(u8::try_from(masked.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(masked.as_bytes());
}

fn read_person(r: &mut Reader) -> Option<PersonParts> {
    let year = i32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let text16 = |r: &mut Reader| -> Option<String> {
        let len = u16::from_be_bytes(r.take(2)?.try_into().ok()?);
        r.text(usize::from(len))
    };
    let name = text16(r)?;
    let village = text16(r)?;
    let masked_len = *r.take(1)?.first()?;
    let masked = r.text(usize::from(masked_len))?;
    Some((
        name,
        village,
        (year != NONE).then_some(year),
        (!masked.is_empty()).then_some(masked),
    ))
}

fn method_code(method: VisitMethod) -> u8 {
    match method {
        VisitMethod::InPerson => 0,
        VisitMethod::Phone => 1,
        VisitMethod::Messaging => 2,
        VisitMethod::AtStation => 3,
    }
}

/// Where a visit summary's status byte sits.
const VISIT_STATUS_AT: usize = 45;
/// Where a visit summary's "has person" byte sits; the person's 16 bytes follow it.
const VISIT_PERSON_AT: usize = VISIT_STATUS_AT + 1;
/// Where a visit summary's purpose starts.
const VISIT_PURPOSE_AT: usize = VISIT_PERSON_AT + 17;

pub(super) fn encode_visit_summary(v: &VisitSummary) -> Vec<u8> {
    let mut out = Vec::with_capacity(VISIT_PURPOSE_AT + v.purpose.len());
    out.extend_from_slice(&v.due.num_days_from_ce().to_be_bytes());
    out.extend_from_slice(&v.revision.to_be_bytes());
    out.extend_from_slice(&v.station.to_bytes());
    out.extend_from_slice(&v.assigned_to.to_bytes());
    out.push(method_code(v.method));
    out.push(v.status.code());
    out.push(u8::from(v.person.is_some()));
    out.extend_from_slice(&v.person.map_or([0; 16], Id::to_bytes));
    out.extend_from_slice(v.purpose.as_bytes());
    out
}

pub(super) fn decode_visit_summary(id: Id, value: &[u8]) -> Option<VisitSummary> {
    let mut r = Reader { value, at: 0 };
    let due =
        NaiveDate::from_num_days_from_ce_opt(i32::from_be_bytes(r.take(4)?.try_into().ok()?))?;
    let revision = u64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let station = Id::from_slice(r.take(16)?)?;
    let assigned_to = Id::from_slice(r.take(16)?)?;
    let method_byte = *r.take(1)?.first()?;
    let method = VisitMethod::ALL
        .into_iter()
        .find(|m| method_code(*m) == method_byte)?;
    r.take(1)?;
    let status = visit_status(value)?;
    let person = visit_person(value)?;
    let purpose = std::str::from_utf8(value.get(VISIT_PURPOSE_AT..)?)
        .ok()?
        .to_string();
    Some(VisitSummary {
        id,
        due,
        revision,
        station,
        person,
        assigned_to,
        method,
        purpose,
        status,
    })
}

/// The status of a visit summary alone (`None` when the bytes are damaged).
pub(super) fn visit_status(value: &[u8]) -> Option<VisitStatus> {
    let code = *value.get(VISIT_STATUS_AT)?;
    VisitStatus::ALL.into_iter().find(|s| s.code() == code)
}

/// The due date and station of a visit summary if it is scheduled (`Some(None)` when it
/// is not; `None` when the bytes are damaged), without decoding the rest.
pub(super) fn visit_owed_at(value: &[u8]) -> Option<Option<(NaiveDate, Id)>> {
    if visit_status(value)? != VisitStatus::Scheduled {
        return Some(None);
    }
    let days = i32::from_be_bytes(value.get(..4)?.try_into().ok()?);
    let due = NaiveDate::from_num_days_from_ce_opt(days)?;
    let station = Id::from_slice(value.get(12..28)?)?;
    Some(Some((due, station)))
}

/// The person of a visit summary alone (`None` when the bytes are damaged; `Some(None)`
/// for a visit without one).
pub(super) fn visit_person(value: &[u8]) -> Option<Option<Id>> {
    let has = *value.get(VISIT_PERSON_AT)?;
    let bytes = value.get(VISIT_PERSON_AT + 1..VISIT_PURPOSE_AT)?;
    match has {
        0 => Some(None),
        1 => Id::from_slice(bytes).map(Some),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(last_contact: Option<NaiveDate>, categories: &[&str]) -> FlagRow {
        FlagRow {
            id: Id::new(),
            person: Id::new(),
            station: Id::new(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            level: RiskLevel::Orange,
            responsible: Id::new(),
            next_review: NaiveDate::from_ymd_opt(2027, 2, 28).expect("date"),
            last_contact,
            pending: true,
            listed_as: FlagPerson {
                name: "欧阳娜娜".into(),
                village: "北岭村".into(),
                birth_year: Some(1985),
                masked_id: Some("110105********002X".into()),
            },
        }
    }

    #[test]
    fn rows_round_trip() {
        for r in [
            row(None, &[]),
            row(
                NaiveDate::from_ymd_opt(2024, 2, 29),
                &["stability", "six_loss"],
            ),
            row(NaiveDate::from_ymd_opt(1, 1, 1), &["涉稳"]),
        ] {
            assert_eq!(decode_flag_row(r.id, &encode_flag_row(&r)), Some(r));
        }
        let mut unnamed = row(None, &["drugs"]);
        unnamed.listed_as = FlagPerson::default();
        assert_eq!(
            decode_flag_row(unnamed.id, &encode_flag_row(&unnamed)),
            Some(unnamed)
        );
        for level in RiskLevel::ALL {
            let mut r = row(None, &["drugs"]);
            r.level = level;
            r.pending = false;
            assert_eq!(decode_flag_row(r.id, &encode_flag_row(&r)), Some(r));
        }
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let r = row(None, &["stability"]);
        let bytes = encode_flag_row(&r);
        for cut in 0..bytes.len() {
            assert_eq!(decode_flag_row(r.id, &bytes[..cut]), None, "cut at {cut}");
        }
        let mut bad_level = bytes.clone();
        bad_level[48] = 9;
        assert_eq!(decode_flag_row(r.id, &bad_level), None);
    }

    #[test]
    fn a_flag_rows_fixed_fields_read_alone_match_the_whole_row() {
        for (last, categories) in [(None, vec![]), (Some(2026), vec!["stability", "debt"])] {
            let last = last.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 9));
            let mut r = row(last, &categories);
            r.pending = categories.is_empty();
            let bytes = encode_flag_row(&r);
            let mark = decode_flag_mark(r.id, &bytes).expect("mark");
            assert_eq!(
                (mark.id, mark.person, mark.station, mark.responsible),
                (r.id, r.person, r.station, r.responsible)
            );
            assert_eq!(
                (mark.level, mark.pending, mark.next_review),
                (r.level, r.pending, r.next_review)
            );
            for cut in 0..54 {
                assert_eq!(decode_flag_mark(r.id, &bytes[..cut]), None, "cut at {cut}");
            }
        }
    }

    #[test]
    fn person_summaries_round_trip_and_refuse_damage() {
        let full = PersonSummary {
            name: "欧阳娜娜".into(),
            village: "北岭村".into(),
            birth_year: Some(1985),
            masked_id: Some("110105********002X".into()),
        };
        let bare = PersonSummary {
            name: "张三".into(),
            ..PersonSummary::default()
        };
        for p in [full.clone(), bare] {
            assert_eq!(decode_person_summary(&encode_person_summary(&p)), Some(p));
        }
        let bytes = encode_person_summary(&full);
        for cut in 0..bytes.len() {
            assert_eq!(decode_person_summary(&bytes[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn person_entries_carry_summary_and_search_keys_and_refuse_damage() {
        let draft = beatbook_model::PersonDraft {
            name: "欧阳娜娜".into(),
            id_number: "110105198501010020".into(),
            phone: "13912345678".into(),
            village: "北岭村".into(),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let valid = draft.validate(today).expect("valid");
        let meta = beatbook_model::Meta::new(Id::new(), chrono::Utc::now(), Id::new());
        let mut person = Person::new(meta, valid);
        for merged in [false, true] {
            person.merged_into = merged.then(Id::new);
            let bytes = encode_person_entry(&person);
            let keys = decode_person_search(person.meta.station, person.meta.id, &bytes);
            assert!(
                keys == Some(PersonSearchKeys::of(&person)),
                "merged {merged}"
            );
            assert!(keys.is_some_and(|k| k.merged == merged
                && k.id_number == "110105198501010020"
                && k.phone.ends_with("5678")));
            assert_eq!(
                decode_person_summary(&bytes),
                Some(PersonSummary::of(&person)),
                "lists read the summary at the front as before"
            );
            for cut in 0..bytes.len() {
                let station = person.meta.station;
                assert!(decode_person_search(station, person.meta.id, &bytes[..cut]).is_none());
            }
        }
        // A schema-10 entry (summary only) has no search keys: the migration rebuilds it.
        let old = encode_person_summary(&PersonSummary::of(&person));
        assert!(decode_person_search(Id::new(), Id::new(), &old).is_none());
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(cut("张三丰", 4), "张");
        assert_eq!(cut("abc", 10), "abc");
    }

    #[test]
    fn visit_summaries_round_trip_and_refuse_damage() {
        for (person, purpose) in [(Some(Id::new()), "重点人员定期走访（红）"), (None, "")]
        {
            for method in VisitMethod::ALL {
                for status in VisitStatus::ALL {
                    let v = VisitSummary {
                        id: Id::new(),
                        due: NaiveDate::from_ymd_opt(2028, 2, 29).expect("date"),
                        revision: 7,
                        station: Id::new(),
                        person,
                        assigned_to: Id::new(),
                        method,
                        purpose: purpose.into(),
                        status,
                    };
                    let bytes = encode_visit_summary(&v);
                    assert_eq!(visit_person(&bytes), Some(person));
                    assert_eq!(visit_status(&bytes), Some(status));
                    let owed = (status == VisitStatus::Scheduled).then_some((v.due, v.station));
                    assert_eq!(visit_owed_at(&bytes), Some(owed));
                    assert_eq!(decode_visit_summary(v.id, &bytes), Some(v));
                }
            }
        }
        let v = VisitSummary {
            id: Id::new(),
            due: NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
            revision: 0,
            station: Id::new(),
            person: Some(Id::new()),
            assigned_to: Id::new(),
            method: VisitMethod::Phone,
            purpose: String::new(),
            status: VisitStatus::Scheduled,
        };
        let bytes = encode_visit_summary(&v);
        for cut in 0..bytes.len() {
            assert_eq!(
                decode_visit_summary(v.id, &bytes[..cut]),
                None,
                "cut at {cut}"
            );
        }
    }
}
