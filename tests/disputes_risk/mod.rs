//! Escalation risk through the service: each ticked indicator gives the level the shipped
//! rule table says and the fired rules are stored; the indicators the data implies
//! (repeated disputes) are computed on every save; codes and categories outside the
//! dictionary — shipped or customised — are refused with the field named and nothing
//! written; the duplicate guard finds disputes the same parties already share.

use crate::common;

use beatbook::config::{DisputeConfig, Settings};
use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Dispute, DisputeStatus, Field, Id, Person, RiskLevel, ValidationError};
use beatbook::service::{Forbidden, ServiceError};
use beatbook::store::Kind;
use chrono::Duration;
use common::disputes::{fresh_pair, fresh_person, land_draft, register, reload, resolve_form};
use common::{assert_indexes_ok, at, create_person, start_time, Bureau};
use std::path::Path;
use RiskLevel::{Blue, Orange, Red, Yellow};

mod dictionary;
mod duplicates;
mod levels;

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The refusal of a registration that must be refused, with nothing written.
fn refused_register(b: &Bureau, draft: &beatbook::model::DisputeDraft) -> ServiceError {
    let before = b.snapshot();
    let e = match b.service.register_dispute(&b.officer_a, draft, None, None) {
        Ok(d) => panic!("expected a refusal, registered {d:?}"),
        Err(e) => e,
    };
    assert_eq!(b.snapshot(), before, "nothing written");
    e
}

/// Asserts an "unknown choice" refusal naming `field` and the input, in both languages.
fn assert_unknown(e: &ServiceError, field: Field, input: &str) {
    match e {
        ServiceError::Invalid(ValidationError::UnknownChoice { field: f, input: i }) => {
            assert_eq!((*f, i.as_str()), (field, input), "{e:?}");
        }
        other => panic!("expected unknown {field:?} '{input}', got {other:?}"),
    }
    assert_eq!(e.field(), Some(field));
    let zh = e.localize(Lang::Zh);
    let en = e.localize(Lang::En);
    assert!(zh.contains(&field.localize(Lang::Zh)), "{zh}");
    assert!(zh.contains(input) && zh.contains("不在可选范围内"), "{zh}");
    assert!(en.contains(&field.localize(Lang::En)), "{en}");
    assert!(
        en.contains(&format!("'{input}'")) && en.contains("not one of the choices"),
        "{en}"
    );
}
