//! The dispute dictionary and rule tables a bureau may edit: categories, risk indicators,
//! risk rules, the follow-up rhythm and the time limits (GLOSSARY.md, Disputes, Risk,
//! Visits, Time limits).
//!
//! The defaults ship inside the binary (`defaults/disputes.toml`). A user file layered on
//! top names only what it changes: a list it names (`[[categories]]`, `[[indicators]]`,
//! `[[rules]]`) replaces the shipped list as a whole — half a rule table merged into
//! another would be impossible to reason about — while `[limits]` and `[rhythm]` change
//! only the keys they name, so a bureau that wants 7-day mediation writes one line.
//!
//! Everything is checked when the file is loaded, so a typo stops the program at start-up
//! with `file:line: problem` instead of silently mis-rating a dangerous dispute later.

use super::error::line_of;
use super::layered::{
    bounded, code, entry, label, lacking, last_named, non_empty, snake_char, Alphabet, RawEntry,
    Sourced, Src, SNAKE_ALPHABET,
};
use super::ConfigError;
use beatbook_i18n::Lang;
use beatbook_model::RiskLevel;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The shipped defaults, compiled in.
const SHIPPED_TEXT: &str = include_str!("../../defaults/disputes.toml");

/// The name error messages give the shipped defaults.
pub const SHIPPED_PATH: &str = "defaults/disputes.toml";

/// Indicator codes computed from the data on every save rather than ticked by hand. The
/// service sets them; the configuration may only label them (or leave them out).
pub mod implied {
    /// A party is on the watch list.
    pub const WATCH_LIST: &str = "watch_list";
    /// The same parties share another dispute within the recurrence window.
    pub const REPEAT_PARTIES: &str = "repeat_parties";
    /// A party is in two or more disputes within the recurrence window (one with other
    /// parties: the same parties again is [`REPEAT_PARTIES`], and one fact counts once).
    pub const REPEAT_PARTY: &str = "repeat_party";
    /// All of them, for validation and pick lists.
    pub const ALL: [&str; 3] = [WATCH_LIST, REPEAT_PARTIES, REPEAT_PARTY];
}

/// A sub-category of a dispute category (e.g. 宅基地 under 03).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subcategory {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A dispute category of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub subcategories: Vec<Subcategory>,
}

/// A risk indicator: something an officer ticks, or the data implies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Computed from data, never ticked by hand.
    pub implied: bool,
}

/// One row of the risk rule table. It fires when every condition it names holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RiskRule {
    pub id: String,
    /// The reason as shown on the dispute, e.g. 提及凶器或扬言实施暴力.
    pub zh: String,
    pub en: String,
    pub level: RiskLevel,
    /// At least one of these indicators is present (no condition when empty).
    pub any_of: Vec<String>,
    /// Every one of these indicators is present (no condition when empty).
    pub all_of: Vec<String>,
    /// Fires when at least this many indicators (any codes) are present.
    pub min_count: Option<usize>,
}

/// When follow-up visits fall after a dispute is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpRhythm {
    /// Days after the day of resolution, sorted ascending, no day twice.
    pub days_after_resolution: Vec<u32>,
    /// Red/orange: also every N days until closed.
    pub high_risk_every_days: Option<u32>,
}

/// The clocks of a dispute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeLimits {
    /// Mediation deadline of an ordinary dispute, days after acceptance.
    pub ordinary_days: u32,
    /// Mediation deadline of a complex dispute, days after acceptance.
    pub complex_days: u32,
    /// Feedback to the reporting party, hours after acceptance.
    pub feedback_hours: u32,
    /// Red/orange disputes with no visit or session for this many days raise an alert.
    pub high_risk_contact_days: u32,
    /// "Recent" for repeated-dispute checks and the duplicate guard.
    pub recurrence_window_days: u32,
}

/// The whole dispute configuration, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeConfig {
    pub categories: Vec<Category>,
    pub indicators: Vec<Indicator>,
    pub rules: Vec<RiskRule>,
    pub rhythm: FollowUpRhythm,
    pub limits: TimeLimits,
}

impl Subcategory {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl Category {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// The sub-category with `code`, if this category has it.
    pub fn subcategory(&self, code: &str) -> Option<&Subcategory> {
        self.subcategories.iter().find(|s| s.code == code)
    }
}

impl Indicator {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl RiskRule {
    /// The reason in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

dictionary!(DisputeConfig);

impl DisputeConfig {
    /// The category with `code`.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The label of category `code` in `lang`; the code itself when the dictionary no
    /// longer has it.
    pub fn category_label(&self, code: &str, lang: Lang) -> String {
        match self.category(code) {
            Some(c) => lang.pick(&c.zh, &c.en).to_string(),
            None => code.to_string(),
        }
    }

    /// The indicator with `code`.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The rule with `id` (to label the fired rules stored on a dispute).
    pub fn rule(&self, id: &str) -> Option<&RiskRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Whether the service should compute the implied indicator `code` (one of
    /// [`implied::ALL`]): a bureau turns one off by leaving it out of its list.
    pub fn computes(&self, code: &str) -> bool {
        self.indicator(code).is_some_and(|i| i.implied)
    }

    /// The indicators an officer ticks on the form (the implied ones are computed).
    pub fn tickable(&self) -> impl Iterator<Item = &Indicator> + '_ {
        self.indicators.iter().filter(|i| !i.implied)
    }
}

// ---------------------------------------------------------------------------------------
// Raw file shapes. Every value that can be wrong on its own carries its span, so an error
// points at the line that holds it.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    categories: Option<Vec<RawCategory>>,
    indicators: Option<Vec<RawIndicator>>,
    rules: Option<Vec<RawRule>>,
    rhythm: Option<RawRhythm>,
    limits: Option<RawLimits>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    code: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    subcategories: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    implied: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
    level: Spanned<String>,
    #[serde(default)]
    any_of: Vec<Spanned<String>>,
    #[serde(default)]
    all_of: Vec<Spanned<String>>,
    #[serde(default)]
    min_count: Option<Spanned<usize>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRhythm {
    days_after_resolution: Option<Spanned<Vec<Spanned<u32>>>>,
    high_risk_every_days: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    ordinary_days: Option<Spanned<u32>>,
    complex_days: Option<Spanned<u32>>,
    feedback_hours: Option<Spanned<u32>>,
    high_risk_contact_days: Option<Spanned<u32>>,
    recurrence_window_days: Option<Spanned<u32>>,
}

fn build<'a>(mut layers: Vec<Layer<'a>>) -> Result<DisputeConfig, ConfigError> {
    let missing = |what: &str| lacking(SHIPPED_PATH, what);

    let categories = last_named(&mut layers, |r| r.categories.take())
        .ok_or_else(|| missing("[[categories]]"))?;
    let indicators = last_named(&mut layers, |r| r.indicators.take())
        .ok_or_else(|| missing("[[indicators]]"))?;
    let rules = last_named(&mut layers, |r| r.rules.take()).ok_or_else(|| missing("[[rules]]"))?;

    let categories = check_categories(categories)?;
    let indicator_src = indicators.src;
    let indicators = check_indicators(indicators)?;
    let rules = check_rules(rules, &indicators, indicator_src)?;

    let limit =
        |layers: &mut [Layer<'a>], key: &str, get: fn(&mut RawLimits) -> Option<Spanned<u32>>| {
            last_named(layers, |r| r.limits.as_mut().and_then(get))
                .ok_or_else(|| missing(&format!("limits.{key}")))
        };
    let ordinary = limit(&mut layers, "ordinary_days", |l| l.ordinary_days.take())?;
    let complex = limit(&mut layers, "complex_days", |l| l.complex_days.take())?;
    let feedback = limit(&mut layers, "feedback_hours", |l| l.feedback_hours.take())?;
    let contact = limit(&mut layers, "high_risk_contact_days", |l| {
        l.high_risk_contact_days.take()
    })?;
    let window = limit(&mut layers, "recurrence_window_days", |l| {
        l.recurrence_window_days.take()
    })?;
    let limits = TimeLimits {
        ordinary_days: bounded(&ordinary, "ordinary_days", 1, 90, "days")?,
        complex_days: bounded(&complex, "complex_days", 1, 180, "days")?,
        feedback_hours: bounded(&feedback, "feedback_hours", 1, 168, "hours")?,
        high_risk_contact_days: bounded(&contact, "high_risk_contact_days", 1, 60, "days")?,
        recurrence_window_days: bounded(&window, "recurrence_window_days", 1, 3660, "days")?,
    };
    if limits.complex_days < limits.ordinary_days {
        // Blame the value the user wrote, not the shipped one it clashes with.
        let shipped_complex = complex.src.path == Path::new(SHIPPED_PATH);
        let at = if shipped_complex { &ordinary } else { &complex };
        return Err(at.src.at(
            at.value.span(),
            format!(
                "complex_days ({}) is shorter than ordinary_days ({}): complex disputes get at least as long",
                limits.complex_days, limits.ordinary_days
            ),
        ));
    }

    let days = last_named(&mut layers, |r| {
        r.rhythm
            .as_mut()
            .and_then(|h| h.days_after_resolution.take())
    })
    .ok_or_else(|| missing("rhythm.days_after_resolution"))?;
    let every = last_named(&mut layers, |r| {
        r.rhythm
            .as_mut()
            .and_then(|h| h.high_risk_every_days.take())
    })
    .ok_or_else(|| missing("rhythm.high_risk_every_days"))?;
    let rhythm = check_rhythm(days, every)?;

    Ok(DisputeConfig {
        categories,
        indicators,
        rules,
        rhythm,
        limits,
    })
}

/// Category codes: letters, digits, `-` and `_` (bureaus number them, e.g. 03 and 0302).
const CATEGORY: Alphabet = Alphabet {
    allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
    name: "letters, digits, - and _",
};

fn check_categories(list: Sourced<'_, Vec<RawCategory>>) -> Result<Vec<Category>, ConfigError> {
    non_empty(&list, "categories", "category")?;
    let src = list.src;
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let category = entry(
            src, raw.code, raw.zh, raw.en, "category", CATEGORY, &mut seen, "",
        )?;
        let within = format!(" in category '{}'", category.code);
        let mut sub_seen = BTreeSet::new();
        let mut subcategories = Vec::with_capacity(raw.subcategories.len());
        for sub in raw.subcategories {
            let sub = entry(
                src,
                sub.code,
                sub.zh,
                sub.en,
                "subcategory",
                CATEGORY,
                &mut sub_seen,
                &within,
            )?;
            subcategories.push(Subcategory {
                code: sub.code,
                zh: sub.zh,
                en: sub.en,
            });
        }
        out.push(Category {
            code: category.code,
            zh: category.zh,
            en: category.en,
            subcategories,
        });
    }
    Ok(out)
}

fn check_indicators(list: Sourced<'_, Vec<RawIndicator>>) -> Result<Vec<Indicator>, ConfigError> {
    let src = list.src;
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let (code_text, span) = code(src, raw.code, "indicator code", snake_char, SNAKE_ALPHABET)?;
        if !seen.insert(code_text.clone()) {
            return Err(src.at(span, format!("indicator code '{code_text}' is used twice")));
        }
        let reserved = implied::ALL.contains(&code_text.as_str());
        let implied = raw.implied.as_ref().is_some_and(|i| *i.get_ref());
        if implied && !reserved {
            let span = raw.implied.map(|i| i.span()).unwrap_or(span);
            return Err(src.at(
                span,
                format!(
                    "indicator '{code_text}': only {} are computed from the data; remove `implied = true`",
                    implied::ALL.join(", ")
                ),
            ));
        }
        if reserved && !implied {
            return Err(src.at(
                span,
                format!(
                    "indicator '{code_text}' is computed from the data: add `implied = true` (or leave it out to stop computing it)"
                ),
            ));
        }
        let what = format!("indicator '{code_text}'");
        out.push(Indicator {
            zh: label(src, raw.zh, &format!("{what} zh"))?,
            en: label(src, raw.en, &format!("{what} en"))?,
            code: code_text,
            implied,
        });
    }
    Ok(out)
}

fn check_rules(
    list: Sourced<'_, Vec<RawRule>>,
    indicators: &[Indicator],
    indicator_src: Src<'_>,
) -> Result<Vec<RiskRule>, ConfigError> {
    let src = list.src;
    let known: BTreeSet<&str> = indicators.iter().map(|i| i.code.as_str()).collect();
    // When the user replaced the indicators but kept the shipped rules, the fix belongs in
    // the user's file: blame its indicator list, quoting the shipped rule.
    let blame_indicators = indicator_src.path != src.path && src.path == Path::new(SHIPPED_PATH);
    let fail = |span: Range<usize>, message: String| -> ConfigError {
        if blame_indicators {
            indicator_src.at_name(
                "indicators",
                format!(
                    "this indicator list does not fit the shipped rules: {message} (at {}:{}); keep the indicator or replace [[rules]] too",
                    src.path.display(),
                    line_of(src.text, span.start)
                ),
            )
        } else {
            src.at(span, message)
        }
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let (id, span) = code(src, raw.id, "rule id", snake_char, SNAKE_ALPHABET)?;
        if !seen.insert(id.clone()) {
            return Err(src.at(span, format!("rule id '{id}' is used twice")));
        }
        let what = format!("rule '{id}'");
        let zh = label(src, raw.zh, &format!("{what} zh"))?;
        let en = label(src, raw.en, &format!("{what} en"))?;
        let level = RiskLevel::parse(raw.level.get_ref()).ok_or_else(|| {
            src.at(
                raw.level.span(),
                format!(
                    "{what}: unknown level '{}'; levels are: red, orange, yellow, blue",
                    raw.level.get_ref()
                ),
            )
        })?;
        let names = |list: Vec<Spanned<String>>, key: &str| -> Result<Vec<String>, ConfigError> {
            let mut codes = Vec::with_capacity(list.len());
            for item in list {
                let c = item.get_ref().trim();
                if !known.contains(c) {
                    return Err(fail(
                        item.span(),
                        format!(
                            "{what}: {key} names unknown indicator '{c}'; indicators are: {}",
                            indicators
                                .iter()
                                .map(|i| i.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                if !codes.iter().any(|k: &String| k == c) {
                    codes.push(c.to_string());
                }
            }
            Ok(codes)
        };
        let any_of = names(raw.any_of, "any_of")?;
        let all_of = names(raw.all_of, "all_of")?;
        let min_count = match raw.min_count {
            None => None,
            Some(n) => {
                let v = *n.get_ref();
                if v == 0 || v > indicators.len() {
                    return Err(fail(
                        n.span(),
                        format!(
                            "{what}: min_count = {v} must be 1 to {} (the number of indicators)",
                            indicators.len()
                        ),
                    ));
                }
                Some(v)
            }
        };
        if any_of.is_empty() && all_of.is_empty() && min_count.is_none() {
            return Err(src.at(
                span,
                format!("{what} names no condition: give any_of, all_of or min_count"),
            ));
        }
        out.push(RiskRule {
            id,
            zh,
            en,
            level,
            any_of,
            all_of,
            min_count,
        });
    }
    Ok(out)
}

fn check_rhythm(
    days: Sourced<'_, Spanned<Vec<Spanned<u32>>>>,
    every: Sourced<'_, Spanned<u32>>,
) -> Result<FollowUpRhythm, ConfigError> {
    let src = days.src;
    let list_span = days.value.span();
    let mut out: Vec<u32> = Vec::new();
    for day in days.value.into_inner() {
        let d = *day.get_ref();
        if !(1..=366).contains(&d) {
            return Err(src.at(
                day.span(),
                format!("days_after_resolution: day {d} must be 1 to 366"),
            ));
        }
        if out.contains(&d) {
            return Err(src.at(
                day.span(),
                format!("days_after_resolution: day {d} is listed twice"),
            ));
        }
        out.push(d);
    }
    if out.is_empty() {
        return Err(src.at(
            list_span,
            "days_after_resolution is empty: name at least one day (e.g. [1, 3, 7, 30])",
        ));
    }
    out.sort_unstable();
    let n = *every.value.get_ref();
    let high_risk_every_days = match n {
        0 => None,
        1..=90 => Some(n),
        _ => {
            return Err(every.src.at(
                every.value.span(),
                format!("high_risk_every_days = {n}: must be 1 to 90 days, or 0 for none"),
            ))
        }
    };
    Ok(FollowUpRhythm {
        days_after_resolution: out,
        high_risk_every_days,
    })
}

#[cfg(test)]
mod tests;
