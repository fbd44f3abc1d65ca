//! Levels: ticked indicators per the shipped table; implied repeats and watch-listed parties.

use super::*;

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
