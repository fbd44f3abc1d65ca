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
use super::layered::{code, label, last_named, snake_char, Sourced, Src, SNAKE_ALPHABET};
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

impl DisputeConfig {
    /// The embedded defaults.
    pub fn shipped() -> Result<DisputeConfig, ConfigError> {
        super::layered::shipped()
    }

    /// The defaults, then `user_file` if it exists (see the module comment for what a
    /// user file replaces).
    pub fn load(user_file: &Path) -> Result<DisputeConfig, ConfigError> {
        super::layered::load(user_file)
    }

    /// The defaults with `text` layered on top as if read from `path` (tests, and callers
    /// that already hold the file's text).
    pub fn with_user_text(path: &Path, text: &str) -> Result<DisputeConfig, ConfigError> {
        super::layered::with_user_text(path, text)
    }

    /// The category with `code`.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
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
    subcategories: Vec<RawSubcategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubcategory {
    code: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
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

/// One parsed file of this config.
type Layer<'a> = super::layered::Layer<'a, RawFile>;

/// Merges the layers (shipped first) and checks the result.
impl super::layered::Dictionary for DisputeConfig {
    type Raw = RawFile;
    const SHIPPED_PATH: &'static str = SHIPPED_PATH;
    const SHIPPED_TEXT: &'static str = SHIPPED_TEXT;

    fn build(layers: Vec<Layer<'_>>) -> Result<DisputeConfig, ConfigError> {
        build(layers)
    }
}

fn build<'a>(mut layers: Vec<Layer<'a>>) -> Result<DisputeConfig, ConfigError> {
    let shipped = layers
        .first()
        .map(|l| l.src)
        .ok_or_else(|| ConfigError::new(Path::new(SHIPPED_PATH), None, "no configuration"))?;
    let missing = |what: &str| {
        ConfigError::new(
            shipped.path,
            None,
            format!("the shipped defaults lack {what}"),
        )
    };

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
                .map(|f| (f.src, f.value))
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
        let shipped_complex = complex.0.path == Path::new(SHIPPED_PATH);
        let (src, value) = if shipped_complex { &ordinary } else { &complex };
        return Err(src.at(
            value.span(),
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

/// A limit within `min..=max`.
fn bounded(
    (src, value): &(Src<'_>, Spanned<u32>),
    key: &str,
    min: u32,
    max: u32,
    unit: &str,
) -> Result<u32, ConfigError> {
    let v = *value.get_ref();
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(src.at(
            value.span(),
            format!("{key} = {v}: must be {min} to {max} {unit}"),
        ))
    }
}

fn category_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

const CATEGORY_ALPHABET: &str = "letters, digits, - and _";

fn check_categories(list: Sourced<'_, Vec<RawCategory>>) -> Result<Vec<Category>, ConfigError> {
    let src = list.src;
    if list.value.is_empty() {
        return Err(src.at_name(
            "categories",
            "the category list is empty: name at least one",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let (code_text, span) = code(
            src,
            raw.code,
            "category code",
            category_char,
            CATEGORY_ALPHABET,
        )?;
        if !seen.insert(code_text.clone()) {
            return Err(src.at(span, format!("category code '{code_text}' is used twice")));
        }
        let what = format!("category '{code_text}'");
        let zh = label(src, raw.zh, &format!("{what} zh"))?;
        let en = label(src, raw.en, &format!("{what} en"))?;
        let mut sub_seen = BTreeSet::new();
        let mut subcategories = Vec::with_capacity(raw.subcategories.len());
        for sub in raw.subcategories {
            let (sub_code, span) = code(
                src,
                sub.code,
                "subcategory code",
                category_char,
                CATEGORY_ALPHABET,
            )?;
            if !sub_seen.insert(sub_code.clone()) {
                return Err(src.at(
                    span,
                    format!(
                        "subcategory code '{sub_code}' is used twice in category '{code_text}'"
                    ),
                ));
            }
            let what = format!("subcategory '{sub_code}'");
            subcategories.push(Subcategory {
                zh: label(src, sub.zh, &format!("{what} zh"))?,
                en: label(src, sub.en, &format!("{what} en"))?,
                code: sub_code,
            });
        }
        out.push(Category {
            code: code_text,
            zh,
            en,
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
mod tests {
    use super::*;

    fn user(text: &str) -> Result<DisputeConfig, ConfigError> {
        DisputeConfig::with_user_text(Path::new("/etc/beatbook/disputes.toml"), text)
    }

    #[test]
    fn shipped_parses_with_the_domain_defaults() {
        let c = DisputeConfig::shipped().expect("shipped defaults are valid");
        let codes: Vec<&str> = c.categories.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            ["01", "02", "03", "04", "05", "06", "07", "08", "09", "99"]
        );
        let land = c.category("03").expect("03");
        assert_eq!(land.zh, "土地及资源权属");
        assert_eq!(
            land.subcategory("0302").map(|s| s.zh.as_str()),
            Some("宅基地")
        );
        assert_eq!(c.category("01").map(|c| c.subcategories.len()), Some(4));
        assert_eq!(c.category("05").map(|c| c.subcategories.len()), Some(1));
        assert_eq!(c.category("08").map(|c| c.subcategories.len()), Some(2));
        assert_eq!(c.indicators.len(), 13);
        for code in implied::ALL {
            assert!(c.computes(code), "{code} computed");
        }
        assert_eq!(c.tickable().count(), 10);
        assert!(!c.computes("weapons"));
        assert_eq!(c.rhythm.days_after_resolution, [1, 3, 7, 30]);
        assert_eq!(c.rhythm.high_risk_every_days, Some(7));
        assert_eq!(
            c.limits,
            TimeLimits {
                ordinary_days: 5,
                complex_days: 15,
                feedback_hours: 24,
                high_risk_contact_days: 3,
                recurrence_window_days: 365,
            }
        );
        assert_eq!(
            c.rule("weapons_or_threats").map(|r| r.level),
            Some(RiskLevel::Red)
        );
        // Every indicator is named by at least one rule, so none is decoration.
        for i in &c.indicators {
            assert!(
                c.rules
                    .iter()
                    .any(|r| r.any_of.contains(&i.code) || r.all_of.contains(&i.code)),
                "{} in no rule",
                i.code
            );
        }
        assert_eq!(
            c.indicator("alcohol").map(|i| i.label(Lang::Zh)),
            Some("酗酒")
        );
    }

    #[test]
    fn missing_user_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("disputes.toml");
        assert_eq!(DisputeConfig::load(&path), DisputeConfig::shipped());
        std::fs::write(&path, "[limits]\nordinary_days = 7\n").expect("write");
        let c = DisputeConfig::load(&path).expect("loads");
        assert_eq!(c.limits.ordinary_days, 7);
    }

    #[test]
    fn user_file_replaces_only_what_it_names() {
        let shipped = DisputeConfig::shipped().expect("shipped");
        let c = user(
            "[limits]\ncomplex_days = 20\n\n[[categories]]\ncode = \"A1\"\nzh = \"山林\"\nen = \"forest\"\n",
        )
        .expect("loads");
        // The named list is replaced whole…
        assert_eq!(c.categories.len(), 1);
        assert!(c.category("01").is_none());
        assert_eq!(c.category("A1").map(|c| c.en.as_str()), Some("forest"));
        // …the named key alone changes…
        assert_eq!(c.limits.complex_days, 20);
        assert_eq!(c.limits.ordinary_days, 5);
        // …and what is not named stays.
        assert_eq!(c.indicators, shipped.indicators);
        assert_eq!(c.rules, shipped.rules);
        assert_eq!(c.rhythm, shipped.rhythm);

        let c = user("[rhythm]\nhigh_risk_every_days = 0\n").expect("loads");
        assert_eq!(c.rhythm.high_risk_every_days, None);
        assert_eq!(c.rhythm.days_after_resolution, [1, 3, 7, 30]);
        let c = user("[rhythm]\ndays_after_resolution = [14, 2]\n").expect("loads");
        assert_eq!(c.rhythm.days_after_resolution, [2, 14]);

        // Rules alone replaced, against the shipped indicators; an implied indicator
        // left out of a replaced list is no longer computed.
        let c = user(concat!(
            "[[indicators]]\ncode = \"weapons\"\nzh = \"凶器\"\nen = \"weapons\"\n",
            "[[indicators]]\ncode = \"watch_list\"\nzh = \"重点人员\"\nen = \"watch list\"\nimplied = true\n",
            "[[rules]]\nid = \"w\"\nzh = \"凶器\"\nen = \"weapons\"\nlevel = \"红\"\nany_of = [\"weapons\"]\n",
        ))
        .expect("loads");
        assert_eq!(c.rules.len(), 1);
        assert_eq!(c.rules[0].level, RiskLevel::Red);
        assert!(c.computes("watch_list"));
        assert!(!c.computes("repeat_party"));
    }

    /// Each bad input is refused with the user file's name, the line of the problem and
    /// words that say what is wrong.
    #[test]
    fn bad_input_names_file_and_line() {
        const RULE: &str = "[[rules]]\nid = \"r\"\nzh = \"规则\"\nen = \"rule\"\n";
        const IND: &str = "[[indicators]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\n";
        let cases: Vec<(String, usize, &str)> = vec![
            ("[limits\nordinary_days = 5\n".into(), 1, ""),
            ("[limits]\nordinary_dayz = 5\n".into(), 2, "ordinary_dayz"),
            ("[limit]\nordinary_days = 5\n".into(), 1, "limit"),
            ("[limits]\nordinary_days = 0\n".into(), 2, "ordinary_days = 0"),
            ("[limits]\n\nfeedback_hours = 1000\n".into(), 3, "feedback_hours"),
            ("[limits]\nordinary_days = -3\n".into(), 2, ""),
            ("[limits]\nhigh_risk_contact_days = 0\n".into(), 2, "high_risk_contact_days"),
            ("[limits]\nrecurrence_window_days = 99999\n".into(), 2, "recurrence_window_days"),
            ("[limits]\ncomplex_days = 3\n".into(), 2, "shorter"),
            ("[limits]\n\nordinary_days = 20\n".into(), 3, "shorter"),
            ("[limits]\nordinary_days = 9\ncomplex_days = 8\n".into(), 3, "shorter"),
            ("[rhythm]\ndays_after_resolution = []\n".into(), 2, "empty"),
            ("[rhythm]\ndays_after_resolution = [\n  1,\n  0,\n]\n".into(), 4, "day 0"),
            ("[rhythm]\ndays_after_resolution = [1, 3, 3]\n".into(), 2, "twice"),
            ("[rhythm]\nhigh_risk_every_days = 400\n".into(), 2, "high_risk_every_days"),
            (format!("{RULE}level = \"purple\"\nany_of = [\"weapons\"]\n"), 5, "unknown level 'purple'"),
            (format!("{RULE}level = \"red\"\nany_of = [\"weapon\"]\n"), 6, "unknown indicator 'weapon'"),
            (format!("{RULE}level = \"red\"\nall_of = [\"weapons\",\n  \"drunk\"]\n"), 7, "unknown indicator 'drunk'"),
            (format!("{RULE}level = \"red\"\n"), 2, "no condition"),
            (format!("{RULE}level = \"red\"\nmin_count = 0\n"), 6, "min_count"),
            (format!("{RULE}level = \"red\"\nmin_count = 99\n"), 6, "min_count"),
            (format!("{RULE}level = \"red\"\nmin_count = 2\n{RULE}level = \"red\"\nmin_count = 3\n"), 8, "'r' is used twice"),
            (format!("{RULE}level = \"red\"\nany_of = [\"weapons\"]\nthen = \"call\"\n"), 7, "then"),
            ("[[rules]]\nid = \"r\"\nzh = \" \"\nen = \"x\"\nlevel = \"red\"\nmin_count = 1\n".into(), 3, "empty label"),
            ("[[rules]]\nid = \"Bad Id\"\nzh = \"x\"\nen = \"x\"\nlevel = \"red\"\nmin_count = 1\n".into(), 2, "lower-case"),
            (format!("{IND}{IND}"), 6, "'a' is used twice"),
            (format!("{IND}implied = true\n"), 5, "only watch_list"),
            ("[[indicators]]\ncode = \"watch_list\"\nzh = \"重点\"\nen = \"w\"\n".into(), 2, "implied = true"),
            ("[[indicators]]\ncode = \"a\"\nzh = \"甲\"\nen = \"\"\n".into(), 4, "empty label"),
            ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\n\n[[categories]]\ncode = \"01\"\nzh = \"b\"\nen = \"b\"\n".into(), 7, "'01' is used twice"),
            ("[[categories]]\ncode = \"01\"\nzh = \"\"\nen = \"a\"\n".into(), 3, "empty label"),
            ("[[categories]]\ncode = \"0 1\"\nzh = \"a\"\nen = \"a\"\n".into(), 2, "letters, digits"),
            ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\nsubcategories = [\n  { code = \"x\", zh = \"x\", en = \"x\" },\n  { code = \"x\", zh = \"y\", en = \"y\" },\n]\n".into(), 7, "'x' is used twice"),
            ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\nsubcategories = [\n  { code = \"x\", zh = \"x\", en = \"x\", fr = \"x\" },\n]\n".into(), 6, "fr"),
            ("[[categories]]\ncode = \"01\"\nen = \"a\"\n".into(), 1, "zh"),
            ("categories = []\n".into(), 1, "empty"),
        ];
        for (text, line, words) in cases {
            let e = user(&text).expect_err(&text);
            assert_eq!(e.line, Some(line), "line of {text:?}: {e}");
            assert!(
                e.to_string().starts_with("/etc/beatbook/disputes.toml:"),
                "{e}"
            );
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }

    #[test]
    fn replaced_indicators_break_shipped_rules_with_a_pointer() {
        // Dropping an indicator the shipped rules use blames the user's list (the thing to
        // fix) and quotes the shipped rule.
        let e =
            user("# mine\n[[indicators]]\ncode = \"weapons\"\nzh = \"凶器\"\nen = \"weapons\"\n")
                .expect_err("shipped rules name dropped indicators");
        assert_eq!(e.file, Path::new("/etc/beatbook/disputes.toml"));
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains(SHIPPED_PATH), "{e}");
        assert!(e.message.contains("violence_threat"), "{e}");
        assert!(e.message.contains("replace [[rules]]"), "{e}");
    }

    #[test]
    fn unreadable_user_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the file should be cannot be read as text.
        let e = DisputeConfig::load(dir.path()).expect_err("directory");
        assert_eq!(e.line, None);
    }
}
