use super::*;
use crate::{Field, ValidationError};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

fn two_parties() -> Vec<Party> {
    vec![
        Party {
            person: Id::new(),
            role: PartyRole::Applicant,
        },
        Party {
            person: Id::new(),
            role: PartyRole::Respondent,
        },
    ]
}

#[test]
fn amounts() {
    let f = Field::Amount;
    assert_eq!(parse_amount(f, ""), Ok(None));
    assert_eq!(parse_amount(f, "12000"), Ok(Some(1_200_000)));
    assert_eq!(parse_amount(f, "12,000.50元"), Ok(Some(1_200_050)));
    assert_eq!(parse_amount(f, "1.5万"), Ok(Some(1_500_000)));
    assert_eq!(parse_amount(f, "０.０１"), Ok(Some(1)));
    assert_eq!(
        parse_amount(f, "-5"),
        Err(ValidationError::Negative { field: f })
    );
    assert!(parse_amount(f, "abc").is_err());
    assert!(parse_amount(f, "1.2.3").is_err());
    assert!(parse_amount(f, "99999999999999999999").is_err());
}

#[test]
fn parties_and_dates() {
    let mut d = DisputeDraft {
        title: "宅基地边界纠纷".into(),
        category: "03".into(),
        parties: two_parties(),
        ..Default::default()
    };
    let v = d.validate(today()).expect("valid");
    assert_eq!(v.people_involved, 2);
    d.parties.truncate(1);
    assert_eq!(d.validate(today()), Err(ValidationError::TooFewParties));
    let p = d.parties[0];
    d.parties.push(p);
    assert_eq!(d.validate(today()), Err(ValidationError::PartyTwice));
    d.parties = two_parties();
    d.happened_on = "2026-12-01".into();
    assert!(matches!(
        d.validate(today()),
        Err(ValidationError::DateInFuture { .. })
    ));
    d.happened_on = String::new();
    d.people_involved = "-3".into();
    assert!(matches!(
        d.validate(today()),
        Err(ValidationError::Negative { .. })
    ));
    d.people_involved = "many".into();
    assert!(matches!(
        d.validate(today()),
        Err(ValidationError::InvalidNumber { .. })
    ));
}
