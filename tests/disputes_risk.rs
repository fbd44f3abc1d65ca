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

#[test]
fn each_ticked_indicator_gives_the_level_of_the_shipped_table() {
    let b = Bureau::new();
    let s = &b.service;
    let o = &b.officer_a;
    let one = |code| -> (&'static [&'static str], RiskLevel, &'static [&'static str]) {
        match code {
            "violence_threat" => (&["violence_threat"], Red, &["weapons_or_threats"]),
            "self_harm_threat" => (&["self_harm_threat"], Red, &["self_harm"]),
            "weapons" => (&["weapons"], Red, &["weapons_or_threats"]),
            "prior_violence" => (&["prior_violence"], Orange, &["violent_history"]),
            "alcohol" => (&["alcohol"], Yellow, &["alcohol_or_minors"]),
            "mental_disorder" => (&["mental_disorder"], Orange, &["mental_illness"]),
            "minors" => (&["minors"], Yellow, &["alcohol_or_minors"]),
            "group" => (&["group"], Yellow, &["group_or_petition"]),
            "petition_threat" => (&["petition_threat"], Yellow, &["group_or_petition"]),
            "large_amount" => (&["large_amount"], Yellow, &["large_sum"]),
            other => panic!("no expectation for the shipped indicator {other}"),
        }
    };
    // Every indicator an officer can tick has a case.
    let mut cases: Vec<(&[&str], RiskLevel, &[&str])> = s
        .settings()
        .disputes
        .tickable()
        .map(|i| one(i.code.as_str()))
        .collect();
    assert_eq!(cases.len(), 10);
    cases.extend([
        (&[][..], Blue, &[][..]),
        (
            &["prior_violence", "alcohol"][..],
            Red,
            &["violence_drinking", "violent_history", "alcohol_or_minors"][..],
        ),
        (
            &["group", "petition_threat"][..],
            Orange,
            &["group_petition", "group_or_petition"][..],
        ),
        (
            &["alcohol", "minors", "large_amount"][..],
            Orange,
            &["three_indicators", "large_sum", "alcohol_or_minors"][..],
        ),
        (
            &[
                "alcohol",
                "minors",
                "large_amount",
                "group",
                "mental_disorder",
            ][..],
            Red,
            &[
                "five_indicators",
                "mental_illness",
                "three_indicators",
                "group_or_petition",
                "large_sum",
                "alcohol_or_minors",
            ][..],
        ),
    ]);
    for (ticked, level, fired) in cases {
        // Fresh parties: no implied indicator muddles the case.
        let (p, q) = fresh_pair(&b, o);
        let d = register(s, o, "风险测试", &[&p, &q], ticked);
        let stored = reload(&b, &d);
        assert_eq!(stored.risk, level, "{ticked:?}");
        assert_eq!(stored.fired_rules, codes(fired), "{ticked:?}");
        assert!(stored.implied_indicators.is_empty(), "{ticked:?}");
        let mut want = codes(ticked);
        want.sort();
        assert_eq!(stored.indicators, want);
        // The register row carries the level; the detail says why, in both languages.
        let detail = s.dispute_detail(o, d.meta.id).expect("detail");
        assert_eq!(detail.rule_labels.len(), fired.len());
        for (label, id) in detail.rule_labels.iter().zip(fired) {
            let rule = s.settings().disputes.rule(id).expect("shipped rule");
            assert!(label.zh.starts_with(&rule.zh), "{label:?}");
            assert!(
                label.zh.contains(&level_of(rule.level, Lang::Zh)),
                "{label:?}"
            );
            assert!(label.en.starts_with(&rule.en), "{label:?}");
        }
        let summary = beatbook::model::DisputeSummary::of(&stored);
        assert_eq!(summary.risk, level);
    }

    // Editing re-assesses: a weapon mentioned later makes a blue dispute red, and back.
    let (p, q) = fresh_pair(&b, o);
    let d = register(s, o, "后来提及凶器", &[&p, &q], &[]);
    assert_eq!(d.risk, Blue);
    let d = s
        .edit_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &land_draft("后来提及凶器", &[&p, &q], &["weapons"]),
        )
        .expect("edit");
    assert_eq!(
        (d.risk, d.fired_rules.clone()),
        (Red, codes(&["weapons_or_threats"]))
    );
    let d = s
        .edit_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &land_draft("后来提及凶器", &[&p, &q], &[]),
        )
        .expect("edit back");
    assert_eq!((d.risk, d.fired_rules.len()), (Blue, 0));
    assert_indexes_ok(b.store());
}

fn level_of(level: RiskLevel, lang: Lang) -> String {
    level.localize(lang)
}

#[test]
fn repeated_disputes_are_implied_within_twelve_months_only() {
    let t0 = at(2025, 11, 25, 9, 0);
    let b = Bureau::new_at(t0);
    let s = &b.service;
    let o = &b.officer_a;
    let people: Vec<Person> = (0..11).map(|_| fresh_person(&b, o)).collect();
    let p = |i: usize| &people[i];

    // The first disputes, at t0.
    register(s, o, "第一次争执", &[p(0), p(1)], &[]);
    register(s, o, "去年的纠纷（365 天）", &[p(3), p(4)], &[]);
    register(s, o, "去年的纠纷（366 天）", &[p(5), p(6)], &[]);
    register(s, o, "十三个月前的纠纷", &[p(7), p(8)], &[]);

    // 30 days later the same two parties again: repeat_parties (one fact, counted once:
    // not also repeat_party); with prior violence ticked, the red rule for violence
    // between repeat parties fires — and not "three indicators at once".
    b.clock.set(t0 + Duration::days(30));
    let again = register(s, o, "再次争执", &[p(1), p(0)], &["prior_violence"]);
    assert_eq!(again.implied_indicators, codes(&["repeat_parties"]));
    assert_eq!(again.indicators, codes(&["prior_violence"]));
    assert_eq!(again.risk, Red);
    assert_eq!(
        again.fired_rules,
        codes(&["violence_recurring", "violent_history", "recurring"])
    );
    let detail = s.dispute_detail(o, again.meta.id).expect("detail");
    let labels: Vec<&str> = detail
        .indicator_labels
        .iter()
        .map(|l| l.zh.as_str())
        .collect();
    assert_eq!(labels, ["双方曾发生暴力冲突", "同一双方反复发生纠纷"]);

    // One of them with somebody else: the party is in another dispute.
    let other = register(s, o, "与他人争执", &[p(0), p(2)], &[]);
    assert_eq!(other.implied_indicators, codes(&["repeat_party"]));
    assert_eq!(
        (other.risk, other.fired_rules.clone()),
        (Yellow, codes(&["recurring"]))
    );

    // The window is 365 days: the same parties a year later count, a day more does not,
    // and thirteen months later nothing is implied at all.
    b.clock.set(t0 + Duration::days(365));
    let d = register(s, o, "一年后", &[p(3), p(4)], &[]);
    assert_eq!(d.implied_indicators, codes(&["repeat_parties"]));
    assert_eq!(
        (d.risk, d.fired_rules.clone()),
        (Yellow, codes(&["recurring"]))
    );
    b.clock.set(t0 + Duration::days(366));
    let d = register(s, o, "一年零一天后", &[p(5), p(6)], &[]);
    assert!(
        d.implied_indicators.is_empty(),
        "{:?}",
        d.implied_indicators
    );
    assert_eq!(d.risk, Blue);
    b.clock.set(at(2026, 12, 25, 9, 0));
    let d = register(s, o, "十三个月后", &[p(7), p(8)], &[]);
    assert!(
        d.implied_indicators.is_empty(),
        "{:?}",
        d.implied_indicators
    );
    assert_eq!((d.risk, d.fired_rules.len()), (Blue, 0));

    // Every save assesses again: an edit that brings in a party of a recent dispute
    // makes the indicator appear, one that brings both parties the stronger one.
    b.clock.set(t0 + Duration::days(40));
    let d = register(s, o, "新纠纷", &[p(9), p(10)], &[]);
    assert!(d.implied_indicators.is_empty());
    let d = s
        .edit_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &land_draft("新纠纷", &[p(9), p(2)], &[]),
        )
        .expect("edit");
    assert_eq!(d.implied_indicators, codes(&["repeat_party"]));
    let d = s
        .edit_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &land_draft("新纠纷", &[p(0), p(1)], &[]),
        )
        .expect("edit");
    // p0 and p1 quarrelled twice, and p0 also with p2: both facts, both indicators.
    assert_eq!(
        d.implied_indicators,
        codes(&["repeat_parties", "repeat_party"])
    );
    assert_eq!(
        (d.risk, d.fired_rules.clone()),
        (Yellow, codes(&["recurring"]))
    );
    assert_indexes_ok(b.store());
}

#[test]
fn codes_and_categories_outside_the_dictionary_are_refused() {
    let b = Bureau::new();
    let (p, q) = fresh_pair(&b, &b.officer_a);
    let ok = land_draft("宅基地纠纷", &[&p, &q], &[]);

    let mut d = ok.clone();
    d.indicators = codes(&["knife"]);
    assert_unknown(&refused_register(&b, &d), Field::Indicators, "knife");
    // Implied indicators are computed, never ticked.
    for implied in ["repeat_parties", "repeat_party", "watch_list"] {
        d.indicators = codes(&["weapons", implied]);
        assert_unknown(&refused_register(&b, &d), Field::Indicators, implied);
    }
    let mut d = ok.clone();
    d.category = "42".into();
    d.subcategory.clear();
    assert_unknown(&refused_register(&b, &d), Field::Category, "42");
    let mut d = ok.clone();
    d.subcategory = "0399".into();
    assert_unknown(&refused_register(&b, &d), Field::Subcategory, "0399");
    // A sub-category of another category.
    d.subcategory = "0101".into();
    assert_unknown(&refused_register(&b, &d), Field::Subcategory, "0101");

    // Editing with an unknown code changes nothing either.
    let saved = b
        .service
        .register_dispute(&b.officer_a, &ok, None, None)
        .expect("valid draft");
    let before = b.snapshot();
    let mut d = ok.clone();
    d.indicators = codes(&["weapons", "gun"]);
    let e = b
        .service
        .edit_dispute(&b.officer_a, saved.meta.id, saved.meta.revision, &d)
        .expect_err("unknown code");
    assert_unknown(&e, Field::Indicators, "gun");
    assert_eq!(b.snapshot(), before);
    assert_eq!(reload(&b, &saved), saved);
}

/// A bureau's own dictionary: two categories, a knife indicator, one implied indicator
/// (repeat_party left out, so it must not be computed), and its own rules.
const CUSTOM: &str = r#"# 本局纠纷字典
[limits]
ordinary_days = 7

[[categories]]
code = "A1"
zh = "山林"
en = "forests"

[[categories]]
code = "B2"
zh = "水利"
en = "water"
subcategories = [{ code = "B201", zh = "灌溉", en = "irrigation" }]

[[indicators]]
code = "knife"
zh = "持刀"
en = "knife"

[[indicators]]
code = "repeat_parties"
zh = "同一双方反复纠纷"
en = "the same parties again"
implied = true

[[rules]]
id = "knife_rule"
zh = "持刀"
en = "knife"
level = "orange"
any_of = ["knife"]

[[rules]]
id = "again"
zh = "同一双方反复纠纷"
en = "the same parties again"
level = "red"
any_of = ["repeat_parties"]

[[rules]]
id = "two_at_once"
zh = "两项以上"
en = "two or more"
level = "red"
min_count = 2
"#;

#[test]
fn a_customised_dictionary_replaces_categories_indicators_and_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("disputes.toml");
    std::fs::write(&file, CUSTOM).expect("write");
    let custom = DisputeConfig::load(&file).expect("custom dictionary loads");
    assert_eq!(
        custom,
        DisputeConfig::with_user_text(Path::new(&file), CUSTOM).expect("same from text")
    );
    let b = Bureau::with_settings(
        start_time(),
        Settings {
            disputes: custom,
            ..Settings::default()
        },
    );
    let s = &b.service;
    let o = &b.officer_a;
    let (p1, p2) = fresh_pair(&b, o);
    let p3 = fresh_person(&b, o);
    let forest = |title: &str, parties: &[&Person], ticked: &[&str]| {
        let mut d = land_draft(title, parties, ticked);
        d.category = "A1".into();
        d.subcategory.clear();
        d
    };

    // The shipped categories and codes are gone.
    let e = refused_register(&b, &land_draft("宅基地纠纷", &[&p1, &p2], &[]));
    assert_unknown(&e, Field::Category, "03");
    let e = refused_register(&b, &forest("凶器", &[&p1, &p2], &["weapons"]));
    assert_unknown(&e, Field::Indicators, "weapons");
    let mut d = forest("灌溉", &[&p1, &p2], &[]);
    d.category = "B2".into();
    d.subcategory = "0302".into();
    assert_unknown(&refused_register(&b, &d), Field::Subcategory, "0302");

    // The bureau's own ones work, with its own rules and limits.
    let d1 = s
        .register_dispute(o, &forest("持刀砍树", &[&p1, &p2], &["knife"]), None, None)
        .expect("custom category and indicator");
    assert_eq!(
        (d1.risk, d1.fired_rules.clone()),
        (Orange, codes(&["knife_rule"]))
    );
    let d1 = s
        .accept_dispute(o, d1.meta.id, d1.meta.revision)
        .expect("accept");
    assert_eq!(
        d1.mediation_deadline,
        Some(common::date(2026, 12, 2)),
        "7 ordinary days"
    );
    let mut irrigation = forest("灌溉用水", &[&p2, &p3], &[]);
    irrigation.category = "B2".into();
    irrigation.subcategory = "B201".into();
    assert!(s.register_dispute(o, &irrigation, None, None).is_ok());

    // repeat_party is not in this dictionary: a party in another dispute implies
    // nothing, and nothing uncomputed counts towards "two or more".
    let d = s
        .register_dispute(o, &forest("又持刀", &[&p1, &p3], &["knife"]), None, None)
        .expect("register");
    assert!(
        d.implied_indicators.is_empty(),
        "repeat_party is not configured: {:?}",
        d.implied_indicators
    );
    assert_eq!(
        (d.risk, d.fired_rules.clone()),
        (Orange, codes(&["knife_rule"]))
    );
    // The same two parties again: the one implied indicator it keeps.
    let d = s
        .register_dispute(o, &forest("再次争执", &[&p2, &p1], &[]), None, None)
        .expect("register");
    assert_eq!(d.implied_indicators, codes(&["repeat_parties"]));
    assert_eq!((d.risk, d.fired_rules.clone()), (Red, codes(&["again"])));
    let detail = s.dispute_detail(o, d.meta.id).expect("detail");
    assert_eq!(detail.indicator_labels[0].en, "the same parties again");
    assert_eq!(detail.rule_labels[0].zh, "同一双方反复纠纷（红）");
}

#[test]
fn the_duplicate_guard_finds_open_and_recent_disputes_of_the_same_parties() {
    let t0 = at(2025, 11, 25, 9, 0);
    let b = Bureau::new_at(t0);
    let s = &b.service;
    let o = &b.officer_a;
    let people: Vec<Person> = (0..7).map(|_| fresh_person(&b, o)).collect();
    let id = |i: usize| people[i].meta.id;
    let p = |i: usize| &people[i];
    let ids = |list: &[&Dispute]| -> Vec<Id> { list.iter().map(|d| d.meta.id).collect() };
    let found = |who, parties: &[Id]| -> Vec<Id> {
        s.similar_disputes(who, parties)
            .expect("similar")
            .into_iter()
            .map(|d| d.id)
            .collect()
    };

    // An open dispute of p0 and p1, and one closed the same day between p2 and p3.
    let open = register(s, o, "地界争执", &[p(0), p(1)], &[]);
    let closed = close_now(&b, register(s, o, "已办结的争执", &[p(2), p(3)], &[]));
    assert_eq!(closed.status, DisputeStatus::Closed);

    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&open]));
    assert_eq!(found(o, &[id(1), id(0), id(4)]), ids(&[&open]));
    assert!(
        found(o, &[id(0), id(4)]).is_empty(),
        "one shared party is not enough"
    );
    assert!(found(o, &[id(0)]).is_empty());
    assert_eq!(found(o, &[id(2), id(3)]), ids(&[&closed]), "recent");
    // Station scope: another station's officer is shown nothing, the supervisor all.
    assert!(found(&b.officer_b, &[id(0), id(1)]).is_empty());
    assert!(found(&b.chief_b, &[id(2), id(3)]).is_empty());
    assert_eq!(found(&b.supervisor, &[id(0), id(1)]), ids(&[&open]));

    // Registering as a recurrence links the new record to the old one.
    b.clock.set(t0 + Duration::days(20));
    let n = b.snapshot();
    let again = s
        .register_dispute(
            o,
            &land_draft("再次因地界争执", &[p(0), p(1)], &[]),
            None,
            Some(open.meta.id),
        )
        .expect("register as recurrence");
    assert_eq!(again.recurrence_of, Some(open.meta.id));
    assert_eq!(reload(&b, &again).recurrence_of, Some(open.meta.id));
    assert_eq!(b.snapshot().disputes, n.disputes + 1);
    // Newest first.
    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&again, &open]));
    let overview = s.person_overview(o, id(0)).expect("person card");
    assert_eq!(
        overview.disputes.iter().map(|d| d.id).collect::<Vec<_>>(),
        ids(&[&again, &open])
    );

    // Linking to a dispute that does not exist, or that the officer may not read, is
    // refused and writes nothing.
    let before = b.snapshot();
    let e = s
        .register_dispute(
            o,
            &land_draft("错误关联", &[p(4), p(5)], &[]),
            None,
            Some(Id::new()),
        )
        .expect_err("unknown dispute");
    assert!(matches!(e, ServiceError::NotFound(Kind::Dispute)), "{e:?}");
    let (x, y) = (
        create_person(s, &b.officer_b, "河西甲", "河西村"),
        create_person(s, &b.officer_b, "河西乙", "河西村"),
    );
    let before_b = b.snapshot();
    let e = s
        .register_dispute(
            &b.officer_b,
            &land_draft("跨所关联", &[&x, &y], &[]),
            None,
            Some(open.meta.id),
        )
        .expect_err("other station's dispute");
    assert!(
        matches!(e, ServiceError::Forbidden(Forbidden::OtherStation)),
        "{e:?}"
    );
    assert_eq!(b.snapshot(), before_b);
    assert_eq!(before.disputes, before_b.disputes);

    // Thirteen months on: the closed one is no longer recent, the open one still shows.
    b.clock.set(at(2026, 12, 26, 9, 0));
    assert!(found(o, &[id(2), id(3)]).is_empty());
    assert_eq!(found(o, &[id(0), id(1)]), ids(&[&again, &open]));
    // A dispute closed eleven months ago between p5 and p6 is recent.
    b.clock.set(at(2026, 1, 26, 9, 0));
    let recent = close_now(&b, register(s, o, "十一个月前办结", &[p(5), p(6)], &[]));
    b.clock.set(at(2026, 12, 26, 9, 0));
    assert_eq!(found(o, &[id(6), id(5)]), ids(&[&recent]));
}

/// Accepts, resolves, cancels the follow-ups and closes (chief) at the clock's time.
fn close_now(b: &Bureau, d: Dispute) -> Dispute {
    let s = &b.service;
    let o = &b.officer_a;
    let d = s
        .accept_dispute(o, d.meta.id, d.meta.revision)
        .expect("accept");
    let (d, visits) = s
        .resolve_dispute(o, d.meta.id, d.meta.revision, &resolve_form("today"))
        .expect("resolve");
    for v in visits {
        let v = b
            .store()
            .get::<beatbook::model::Visit>(v.meta.id)
            .expect("readable")
            .expect("visit");
        s.cancel_visit(o, v.meta.id, v.meta.revision, "当事人已和解")
            .expect("cancel");
    }
    s.close_dispute(&b.chief_a, d.meta.id, d.meta.revision, "")
        .expect("close")
}

#[test]
fn a_watch_listed_party_is_implied_while_the_flag_is_active() {
    let b = Bureau::new();
    let s = &b.service;
    let o = &b.officer_a;
    let (p, q) = fresh_pair(&b, o);
    let flag = s
        .flag_person(
            o,
            p.meta.id,
            &beatbook::service::FlagForm {
                categories: codes(&["released"]),
                level: Some(Yellow),
                basis: "刑满释放，列管帮教".into(),
                ..Default::default()
            },
        )
        .expect("flagged");
    let d = register(s, o, "刑满释放人员与邻居纠纷", &[&p, &q], &[]);
    assert_eq!(d.implied_indicators, codes(&["watch_list"]));
    assert_eq!(
        (d.risk, d.fired_rules.clone()),
        (Orange, codes(&["watch_listed"]))
    );
    // Another dispute of the same person, with someone else and a weapon mentioned:
    // three indicators at once.
    let d = register(s, o, "扬言持刀", &[&fresh_person(&b, o), &p], &["weapons"]);
    assert_eq!(d.implied_indicators, codes(&["repeat_party", "watch_list"]));
    assert_eq!(d.risk, Red);
    assert_eq!(
        d.fired_rules,
        codes(&[
            "weapons_or_threats",
            "watch_listed",
            "three_indicators",
            "recurring"
        ])
    );
    // Nobody else's dispute is affected.
    let (x, y) = fresh_pair(&b, o);
    assert!(register(s, o, "无关纠纷", &[&x, &y], &[])
        .implied_indicators
        .is_empty());
    // Off the watch list: the next save no longer implies it.
    s.remove_flag(o, flag.meta.id, flag.meta.revision, "帮教期满")
        .expect("yellow flag removed by the officer");
    let d = s
        .edit_dispute(
            o,
            d.meta.id,
            d.meta.revision,
            &land_draft("扬言持刀", &[&x, &p], &["weapons"]),
        )
        .expect("edit");
    assert_eq!(d.implied_indicators, codes(&["repeat_party"]));
    assert_eq!(d.fired_rules, codes(&["weapons_or_threats", "recurring"]));
}
