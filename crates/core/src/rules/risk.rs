//! Escalation risk (GLOSSARY.md, Risk): the bureau's rule table turns the
//! indicators present on a dispute into a four-colour level, and remembers which rules
//! fired so the detail screen can say why. Nothing here is weighted or hidden: a rule
//! fires or it does not, and the level is the highest level of the rules that fired.

use crate::config::RiskRule;
use beatbook_model::RiskLevel;
use std::collections::BTreeSet;

/// The outcome of applying the rule table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RiskAssessment {
    /// The highest level among the fired rules; blue when none fired.
    pub level: RiskLevel,
    /// Ids of the rules that fired, in table order.
    pub fired: Vec<String>,
}

/// Whether `rule` fires for the set of indicator codes `present`: every condition the rule
/// names must hold (at least one of `any_of`, all of `all_of`, at least `min_count`
/// codes). A rule that names no condition never fires (configuration refuses such rules;
/// this keeps a hand-built one harmless).
pub fn fires(rule: &RiskRule, present: &BTreeSet<&str>) -> bool {
    let named = !rule.any_of.is_empty() || !rule.all_of.is_empty() || rule.min_count.is_some();
    let any = rule.any_of.is_empty() || rule.any_of.iter().any(|c| present.contains(c.as_str()));
    let all = rule.all_of.iter().all(|c| present.contains(c.as_str()));
    let count = match rule.min_count {
        Some(n) => present.len() >= n,
        None => true,
    };
    named && any && all && count
}

/// Applies `rules` to the indicator codes of a dispute (ticked and implied together).
/// A code listed twice counts once. Every distinct code counts towards `min_count`, so the
/// caller passes only codes the configuration knows.
pub fn assess(indicators: &[String], rules: &[RiskRule]) -> RiskAssessment {
    let present: BTreeSet<&str> = indicators.iter().map(String::as_str).collect();
    let mut out = RiskAssessment::default();
    for rule in rules.iter().filter(|r| fires(r, &present)) {
        out.level = out.level.max(rule.level);
        out.fired.push(rule.id.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::disputes::implied;
    use crate::config::DisputeConfig;

    fn shipped_rules() -> Vec<RiskRule> {
        DisputeConfig::shipped().expect("shipped").rules
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn rule(
        id: &str,
        level: RiskLevel,
        any: &[&str],
        all: &[&str],
        min: Option<usize>,
    ) -> RiskRule {
        RiskRule {
            id: id.into(),
            zh: id.into(),
            en: id.into(),
            level,
            any_of: codes(any),
            all_of: codes(all),
            min_count: min,
        }
    }

    #[test]
    fn each_indicator_alone_with_the_shipped_table() {
        use RiskLevel::*;
        let rules = shipped_rules();
        let cases: &[(&str, RiskLevel, &[&str])] = &[
            ("violence_threat", Red, &["weapons_or_threats"]),
            ("self_harm_threat", Red, &["self_harm"]),
            ("weapons", Red, &["weapons_or_threats"]),
            ("prior_violence", Orange, &["violent_history"]),
            (implied::REPEAT_PARTIES, Yellow, &["recurring"]),
            (implied::REPEAT_PARTY, Yellow, &["recurring"]),
            (implied::WATCH_LIST, Orange, &["watch_listed"]),
            ("alcohol", Yellow, &["alcohol_or_minors"]),
            ("mental_disorder", Orange, &["mental_illness"]),
            ("minors", Yellow, &["alcohol_or_minors"]),
            ("group", Yellow, &["group_or_petition"]),
            ("petition_threat", Yellow, &["group_or_petition"]),
            ("large_amount", Yellow, &["large_sum"]),
        ];
        let config = DisputeConfig::shipped().expect("shipped");
        assert_eq!(
            cases.len(),
            config.indicators.len(),
            "every indicator has a case"
        );
        for (code, level, fired) in cases {
            assert!(config.indicator(code).is_some(), "{code} is shipped");
            let got = assess(&codes(&[code]), &rules);
            assert_eq!(got.level, *level, "{code}");
            assert_eq!(got.fired, codes(fired), "{code}");
        }
    }

    #[test]
    fn combinations_with_the_shipped_table() {
        use RiskLevel::*;
        let rules = shipped_rules();
        let cases: &[(&[&str], RiskLevel, &[&str])] = &[
            (&[], Blue, &[]),
            (
                &["prior_violence", implied::REPEAT_PARTIES],
                Red,
                &["violence_recurring", "violent_history", "recurring"],
            ),
            (
                &["alcohol", "prior_violence"],
                Red,
                &["violence_drinking", "violent_history", "alcohol_or_minors"],
            ),
            (
                &["group", "petition_threat"],
                Orange,
                &["group_petition", "group_or_petition"],
            ),
            (
                &["large_amount", "minors", implied::REPEAT_PARTY],
                Orange,
                &[
                    "three_indicators",
                    "large_sum",
                    "recurring",
                    "alcohol_or_minors",
                ],
            ),
            (
                &[
                    "group",
                    "petition_threat",
                    "large_amount",
                    "minors",
                    implied::REPEAT_PARTY,
                ],
                Red,
                &[
                    "five_indicators",
                    "group_petition",
                    "three_indicators",
                    "group_or_petition",
                    "large_sum",
                    "recurring",
                    "alcohol_or_minors",
                ],
            ),
            (
                &["weapons", implied::WATCH_LIST],
                Red,
                &["weapons_or_threats", "watch_listed"],
            ),
            // Duplicates count once: two distinct codes are not three.
            (
                &["large_amount", "large_amount", "minors"],
                Yellow,
                &["large_sum", "alcohol_or_minors"],
            ),
        ];
        for (present, level, fired) in cases {
            let got = assess(&codes(present), &rules);
            assert_eq!(got.level, *level, "{present:?}");
            assert_eq!(got.fired, codes(fired), "{present:?}");
        }
    }

    #[test]
    fn each_rule_kind_of_condition() {
        use RiskLevel::*;
        let rules = vec![
            rule("any", Yellow, &["a", "b"], &[], None),
            rule("all", Orange, &[], &["a", "b"], None),
            rule("count", Orange, &[], &[], Some(3)),
            rule("mixed", Red, &["c"], &["a"], Some(3)),
            rule("none", Red, &[], &[], None),
        ];
        let cases: &[(&[&str], RiskLevel, &[&str])] = &[
            (&[], Blue, &[]),
            (&["z"], Blue, &[]),
            (&["b"], Yellow, &["any"]),
            (&["a", "b"], Orange, &["any", "all"]),
            (&["x", "y", "z"], Orange, &["count"]),
            (&["a", "c"], Yellow, &["any"]),
            (&["a", "c", "z"], Red, &["any", "count", "mixed"]),
            (&["c", "y", "z"], Orange, &["count"]),
            (&["a", "a", "c"], Yellow, &["any"]),
        ];
        for (present, level, fired) in cases {
            let got = assess(&codes(present), &rules);
            assert_eq!(got.level, *level, "{present:?}");
            assert_eq!(got.fired, codes(fired), "{present:?}");
        }
    }

    #[test]
    fn highest_level_wins_whatever_the_table_order() {
        let rules = vec![
            rule("low", RiskLevel::Yellow, &["a"], &[], None),
            rule("high", RiskLevel::Red, &["a"], &[], None),
            rule("mid", RiskLevel::Orange, &["a"], &[], None),
        ];
        let got = assess(&codes(&["a"]), &rules);
        assert_eq!(got.level, RiskLevel::Red);
        assert_eq!(got.fired, codes(&["low", "high", "mid"]));
        assert_eq!(assess(&codes(&["a"]), &[]), RiskAssessment::default());
    }
}
