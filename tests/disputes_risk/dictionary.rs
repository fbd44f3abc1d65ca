//! Codes and categories outside the dictionary, shipped or customised, are refused.

use super::*;

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
