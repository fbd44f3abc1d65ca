//! Bad input to the dispute register: each refused with a message that names the field in
//! Chinese and English, and nothing half-written (records, audit entries and change-log
//! entries counted before and after). Broken dictionary files name file, line and problem.

use crate::common;

use beatbook::config::DisputeConfig;
use beatbook::i18n::{Lang, Localize};
use beatbook::model::{DisputeDraft, Field, SessionResult, ValidationError};
use beatbook::service::{ResolveForm, ServiceError, SessionForm};
use chrono::Duration;
use common::disputes::{fresh_pair, land_draft, parties, register, reload, session_form};
use common::{assert_audit_ok, assert_indexes_ok, Bureau};

/// The validation error of a refusal.
fn invalid(e: &ServiceError) -> &ValidationError {
    match e {
        ServiceError::Invalid(v) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_bad_registration_is_refused_with_a_clear_message_and_nothing_written() {
    let b = Bureau::new();
    let o = &b.officer_a;
    let (p, q) = fresh_pair(&b, o);
    let good = land_draft("宅基地边界纠纷", &[&p, &q], &[]);
    type Tweak = Box<dyn Fn(&mut DisputeDraft)>;
    // (what, tweak, field, words in zh, words in en)
    let cases: Vec<(&str, Tweak, Field, &str, &str)> = vec![
        (
            "one party",
            Box::new(|d| d.parties.truncate(1)),
            Field::Parties,
            "纠纷至少要有两名当事人",
            "a dispute needs at least two parties",
        ),
        (
            "no party",
            Box::new(|d| d.parties.clear()),
            Field::Parties,
            "至少要有两名当事人",
            "at least two parties",
        ),
        (
            "a party twice",
            Box::new(|d| {
                let first = d.parties[0].person;
                d.parties[1].person = first;
            }),
            Field::Parties,
            "同一人被重复列为当事人",
            "the same person is listed twice as a party",
        ),
        (
            "negative amount",
            Box::new(|d| d.amount = "-500".into()),
            Field::Amount,
            "涉及金额（元）不能为负数",
            "Amount (yuan) cannot be negative",
        ),
        (
            "full-width negative amount",
            Box::new(|d| d.amount = "－５００元".into()),
            Field::Amount,
            "不能为负数",
            "cannot be negative",
        ),
        (
            "amount abc",
            Box::new(|d| d.amount = "abc".into()),
            Field::Amount,
            "涉及金额（元）「abc」不是有效金额",
            "Amount (yuan) 'abc' is not an amount",
        ),
        (
            "amount 1.2.3",
            Box::new(|d| d.amount = "1.2.3".into()),
            Field::Amount,
            "不是有效金额",
            "is not an amount",
        ),
        (
            "happened in the future",
            Box::new(|d| d.happened_on = "2026-12-01".into()),
            Field::HappenedOn,
            "发生日期不能晚于今天",
            "Date happened cannot lie in the future",
        ),
        (
            "happened tomorrow",
            Box::new(|d| d.happened_on = "+1".into()),
            Field::HappenedOn,
            "发生日期不能晚于今天",
            "cannot lie in the future",
        ),
        (
            "no such day",
            Box::new(|d| d.happened_on = "2026-02-30".into()),
            Field::HappenedOn,
            "发生日期「2026-02-30」不是有效日期",
            "Date happened '2026-02-30' is not a valid date",
        ),
        (
            "unknown category",
            Box::new(|d| {
                d.category = "42".into();
                d.subcategory.clear();
            }),
            Field::Category,
            "类别「42」不在可选范围内",
            "Category '42' is not one of the choices",
        ),
        (
            "no category",
            Box::new(|d| {
                d.category = " ".into();
                d.subcategory.clear();
            }),
            Field::Category,
            "请填写类别",
            "Category is required",
        ),
        (
            "no title",
            Box::new(|d| d.title = "   ".into()),
            Field::Title,
            "请填写纠纷名称",
            "Title is required",
        ),
        (
            "negative people",
            Box::new(|d| d.people_involved = "-3".into()),
            Field::PeopleInvolved,
            "涉及人数不能为负数",
            "People involved cannot be negative",
        ),
        (
            "people 'many'",
            Box::new(|d| d.people_involved = "many".into()),
            Field::PeopleInvolved,
            "涉及人数「many」不是整数",
            "People involved 'many' is not a whole number",
        ),
    ];
    for (what, tweak, field, zh, en) in cases {
        let mut draft = good.clone();
        tweak(&mut draft);
        let before = b.snapshot();
        let e = b
            .service
            .register_dispute(o, &draft, None, None)
            .map(|d| panic!("{what}: registered {d:?}"))
            .unwrap_err();
        assert_eq!(e.field(), Some(field), "{what}: {e:?}");
        let (got_zh, got_en) = (e.localize(Lang::Zh), e.localize(Lang::En));
        assert!(got_zh.contains(zh), "{what}: {got_zh}");
        assert!(got_en.contains(en), "{what}: {got_en}");
        assert_eq!(b.snapshot(), before, "{what}: nothing written");
    }

    // The same draft, corrected, registers; amounts are kept exactly, in fen.
    let mut draft = good.clone();
    draft.amount = "1.5万".into();
    draft.happened_on = "2026-11-20".into();
    let d = b
        .service
        .register_dispute(o, &draft, None, None)
        .expect("valid");
    assert_eq!(d.amount_fen, Some(1_500_000));
    assert_eq!(d.amount_yuan().as_deref(), Some("15000"));
    assert_eq!(d.people_involved, 2, "the parties at least");

    // An edit that breaks a rule changes nothing.
    let before = b.snapshot();
    let mut bad = good.clone();
    bad.parties = parties(&[&p]);
    let e = b
        .service
        .edit_dispute(o, d.meta.id, d.meta.revision, &bad)
        .expect_err("one party");
    assert_eq!(invalid(&e), &ValidationError::TooFewParties);
    assert_eq!(b.snapshot(), before);
    assert_eq!(reload(&b, &d), d);
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn session_and_resolution_dates_cannot_precede_acceptance() {
    let b = Bureau::new();
    let s = &b.service;
    let o = &b.officer_a;
    let (p, q) = fresh_pair(&b, o);
    let d = register(s, o, "债务纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(o, d.meta.id, d.meta.revision)
        .expect("accept on 2026-11-25");
    b.clock.advance(Duration::days(2));
    let before = b.snapshot();

    // Resolution dated before the acceptance: the message names both dates.
    for date in ["2026-11-24", "-3", "11-20"] {
        let e = s
            .resolve_dispute(
                o,
                d.meta.id,
                d.meta.revision,
                &ResolveForm {
                    date: date.into(),
                    method: "当场调解".into(),
                    success: true,
                    how: "双方和解".into(),
                },
            )
            .map(|r| panic!("{date}: resolved {r:?}"))
            .unwrap_err();
        assert_eq!(
            invalid(&e),
            &ValidationError::DateBefore {
                field: Field::ResolutionDate,
                other: Field::AcceptedOn
            },
            "{date}"
        );
        assert_eq!(e.localize(Lang::Zh), "化解日期不能早于受理日期");
        assert_eq!(
            e.localize(Lang::En),
            "Resolution date cannot lie before the date accepted"
        );
    }
    // A mediation session too.
    let e = s
        .record_session(o, d.meta.id, d.meta.revision, &session_form("2026-11-24"))
        .expect_err("session before acceptance");
    assert_eq!(e.localize(Lang::Zh), "调解日期不能早于受理日期");
    assert_eq!(
        e.localize(Lang::En),
        "Session date cannot lie before the date accepted"
    );

    // Other bad resolution and session input, each naming its field.
    let resolve = |form: ResolveForm| {
        s.resolve_dispute(o, d.meta.id, d.meta.revision, &form)
            .map(|r| panic!("resolved {r:?}"))
            .unwrap_err()
    };
    let good = ResolveForm {
        date: "today".into(),
        method: "当场调解".into(),
        success: true,
        how: "双方和解".into(),
    };
    let cases = [
        (
            ResolveForm {
                date: "+1".into(),
                ..good.clone()
            },
            Field::ResolutionDate,
            "化解日期不能晚于今天",
        ),
        (
            ResolveForm {
                date: "2026-13-01".into(),
                ..good.clone()
            },
            Field::ResolutionDate,
            "不是有效日期",
        ),
        (
            ResolveForm {
                method: " ".into(),
                ..good.clone()
            },
            Field::ResolutionMethod,
            "请填写化解方式",
        ),
        (
            ResolveForm {
                how: String::new(),
                ..good.clone()
            },
            Field::How,
            "请填写化解情况",
        ),
    ];
    for (form, field, zh) in cases {
        let e = resolve(form);
        assert_eq!(e.field(), Some(field), "{e:?}");
        assert!(
            e.localize(Lang::Zh).contains(zh),
            "{}",
            e.localize(Lang::Zh)
        );
    }
    let no_result = SessionForm {
        result: None,
        ..session_form("today")
    };
    let e = s
        .record_session(o, d.meta.id, d.meta.revision, &no_result)
        .expect_err("no result");
    assert_eq!(e.field(), Some(Field::SessionResult));
    let no_people = SessionForm {
        participants: " ".into(),
        result: Some(SessionResult::NoAgreement),
        ..session_form("today")
    };
    let e = s
        .record_session(o, d.meta.id, d.meta.revision, &no_people)
        .expect_err("no participants");
    assert_eq!(e.field(), Some(Field::Participants));

    // Nothing was written: no visit scheduled, the dispute as it was.
    assert_eq!(b.snapshot(), before);
    assert_eq!(reload(&b, &d), d);

    // On the day of acceptance it is fine.
    let (resolved, visits) = s
        .resolve_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &ResolveForm {
                date: "2026-11-25".into(),
                ..good
            },
        )
        .expect("resolved on the day of acceptance");
    assert_eq!(
        resolved.resolution.map(|r| r.date),
        Some(common::date(2026, 11, 25))
    );
    // Day 1 already lies in the past on 11-27: the visits still owed are planned.
    assert_eq!(
        visits.iter().map(|v| v.due).collect::<Vec<_>>(),
        [
            common::date(2026, 11, 28),
            common::date(2026, 12, 2),
            common::date(2026, 12, 25)
        ]
    );
}

#[test]
fn a_broken_dictionary_file_names_file_line_and_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("disputes.toml");
    // (text, line, words)
    let cases: &[(&str, usize, &str)] = &[
        ("[limits\nordinary_days = 5\n", 1, ""),
        ("# 时限\n[limits]\nordinary_dayz = 7\n", 3, "ordinary_dayz"),
        ("[limits]\ncomplex_days = 0\n", 2, "complex_days = 0"),
        (
            "[[rules]]\nid = \"knife\"\nzh = \"刀\"\nen = \"knife\"\nlevel = \"purple\"\nany_of = [\"weapons\"]\n",
            5,
            "unknown level 'purple'",
        ),
        (
            "[[rules]]\nid = \"knife\"\nzh = \"刀\"\nen = \"knife\"\nlevel = \"red\"\n\nany_of = [\"weapon\"]\n",
            7,
            "unknown indicator 'weapon'",
        ),
        (
            "[[categories]]\ncode = \"03\"\nzh = \"土地\"\nen = \"land\"\n\n[[categories]]\ncode = \"03\"\nzh = \"山林\"\nen = \"forest\"\n",
            7,
            "'03' is used twice",
        ),
        ("categories = []\n", 1, "empty"),
        (
            "[[indicators]]\ncode = \"knife\"\nzh = \"刀\"\nen = \"knife\"\nimplied = true\n",
            5,
            "only watch_list",
        ),
        (
            "[rhythm]\ndays_after_resolution = [1, 3, 3]\n",
            2,
            "twice",
        ),
    ];
    for (text, line, words) in cases {
        std::fs::write(&path, text).expect("write");
        let e = DisputeConfig::load(&path).expect_err(text);
        assert_eq!(e.file, path, "{text:?}");
        assert_eq!(e.line, Some(*line), "{text:?}: {e}");
        assert!(e.message.contains(words), "{text:?}: {e}");
        assert!(
            e.to_string()
                .starts_with(&format!("{}:{line}: ", path.display())),
            "{e}"
        );
    }
    // A file that is fine loads; no file gives the shipped defaults.
    std::fs::write(&path, "[limits]\nordinary_days = 7\n").expect("write");
    assert_eq!(
        DisputeConfig::load(&path).map(|c| c.limits.ordinary_days),
        Ok(7)
    );
    std::fs::remove_file(&path).expect("remove");
    assert_eq!(DisputeConfig::load(&path), DisputeConfig::shipped());
}
