//! The watch-list dictionary and rhythms a bureau may edit: categories of key persons
//! (with the locally worded sub-lists), how often each level is visited and reviewed, and
//! the alert thresholds (GLOSSARY.md, Watch list, Visits).
//!
//! The defaults ship inside the binary (`defaults/watch.toml`). A user file layered on top
//! names only what it changes, as `disputes.toml` does: `[[categories]]` replaces the
//! shipped list as a whole (half a dictionary merged into another would leave codes
//! nobody chose), while `[rhythm]`, `[review]` and `[alerts]` change only the keys they
//! name, so a bureau that visits red persons every 5 days writes one line.
//!
//! Everything is checked when the file is loaded, so a typo stops the program at start-up
//! with `file:line: problem` instead of silently leaving a red person unvisited for a
//! quarter, or sending an imported row to the wrong category.

use super::layered::{
    bounded, entry, lacking, last_named, non_empty, RawEntry, Sourced, Src, SNAKE,
};
use super::ConfigError;
use beatbook_i18n::Lang;
use beatbook_model::RiskLevel;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The shipped defaults, compiled in.
const SHIPPED_TEXT: &str = include_str!("../../defaults/watch.toml");

/// The name error messages give the shipped defaults.
pub const SHIPPED_PATH: &str = "defaults/watch.toml";

/// A kind within a watch-list category (e.g. 失业失意 among the six-loss persons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchSubcategory {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A category of the watch-list dictionary. A person may carry several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchCategory {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Other words spreadsheets use for this category (刑释人员, 社矫 …), for import.
    /// Never shown; the labels are.
    pub aliases: Vec<String>,
    /// The sub-list (the "six-loss" persons' kinds: wording is local).
    pub subcategories: Vec<WatchSubcategory>,
}

/// A number of days per level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WatchRhythm {
    pub red_days: u32,
    pub orange_days: u32,
    pub yellow_days: u32,
    pub blue_days: u32,
}

/// The whole watch-list configuration, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchConfig {
    pub categories: Vec<WatchCategory>,
    /// Days between visits, per level.
    pub rhythm: WatchRhythm,
    /// Days from adding (or the last review) to the next review, per level.
    pub review_days: WatchRhythm,
    /// Missed visits in a row that raise an alert (default 2).
    pub missed_in_a_row_alert: u32,
    /// Disputes within this many days that make "a person with 2+ disputes" (default 365).
    pub repeat_dispute_window_days: u32,
}

impl WatchRhythm {
    /// The days for `level`.
    pub fn days(&self, level: RiskLevel) -> u32 {
        match level {
            RiskLevel::Red => self.red_days,
            RiskLevel::Orange => self.orange_days,
            RiskLevel::Yellow => self.yellow_days,
            RiskLevel::Blue => self.blue_days,
        }
    }
}

impl WatchSubcategory {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// Whether `key` (see [`label_key`]) names this kind by code or label.
    fn answers_to(&self, key: &str) -> bool {
        [&self.code, &self.zh, &self.en]
            .into_iter()
            .any(|t| label_key(t) == key)
    }
}

impl WatchCategory {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// The kind with `code`, if this category has it.
    pub fn subcategory(&self, code: &str) -> Option<&WatchSubcategory> {
        self.subcategories.iter().find(|s| s.code == code)
    }

    /// The kind named by `text`: its code, zh or en label, matched as
    /// [`WatchConfig::category_by_label`] matches.
    pub fn subcategory_by_label(&self, text: &str) -> Option<&WatchSubcategory> {
        let key = label_key(text);
        if key.is_empty() {
            return None;
        }
        self.subcategories.iter().find(|s| s.answers_to(&key))
    }

    /// Whether `key` (see [`label_key`]) names this category by code, label or alias.
    fn answers_to(&self, key: &str) -> bool {
        [&self.code, &self.zh, &self.en]
            .into_iter()
            .chain(self.aliases.iter())
            .any(|t| label_key(t) == key)
    }
}

dictionary!(WatchConfig);

impl WatchConfig {
    /// The category with `code`.
    pub fn category(&self, code: &str) -> Option<&WatchCategory> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// Finds a category by code, zh or en label, or an alias (spreadsheets write 涉稳,
    /// 刑满释放人员, 社区矫正对象 …), ignoring spaces, case, full-width forms, `-`/`_` and a
    /// trailing 人员/对象. Failing those, a subcategory label that only one category has
    /// names its category (a roster that writes 留守儿童 in the category column means the
    /// at-risk minors). Loading guarantees no two categories answer to the same text.
    pub fn category_by_label(&self, text: &str) -> Option<&WatchCategory> {
        self.classify(text).map(|(category, _)| category)
    }

    /// Like [`WatchConfig::category_by_label`], and also the subcategory when `text`
    /// named one (so an import keeps 留守儿童 rather than only 重点青少年).
    pub fn classify(&self, text: &str) -> Option<(&WatchCategory, Option<&WatchSubcategory>)> {
        let key = label_key(text);
        if key.is_empty() {
            return None;
        }
        if let Some(category) = self.categories.iter().find(|c| c.answers_to(&key)) {
            return Some((category, None));
        }
        let mut found = self.categories.iter().filter_map(|c| {
            c.subcategories
                .iter()
                .find(|s| s.answers_to(&key))
                .map(|s| (c, Some(s)))
        });
        let first = found.next()?;
        // Two categories with a kind of that name: guessing would file the person wrongly.
        match found.next() {
            None => Some(first),
            Some(_) => None,
        }
    }

    /// Days between visits of a person flagged `level`.
    pub fn visit_every_days(&self, level: RiskLevel) -> u32 {
        self.rhythm.days(level)
    }

    /// Days from adding a flag at `level` (or its last review) to the next review.
    pub fn review_every_days(&self, level: RiskLevel) -> u32 {
        self.review_days.days(level)
    }
}

/// The form of a label that matching compares: full-width ASCII folded to half-width,
/// lower case, without spaces, `-` and `_`, and without one trailing 人员 or 对象 (rosters
/// write 刑满释放人员 for 刑满释放 and 社区矫正对象 for 社区矫正).
pub fn label_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            // Full-width ASCII (ＡＢＣ１２３（）) sits 0xFEE0 above the half-width forms.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect();
    for suffix in ["人员", "对象"] {
        if let Some(stem) = folded.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    folded
}

// ---------------------------------------------------------------------------------------
// Raw file shapes. Every value that can be wrong on its own carries its span, so an error
// points at the line that holds it. (The helpers are `config::layered`'s, shared with
// `config::disputes` and `config::findings`.)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    categories: Option<Vec<RawCategory>>,
    rhythm: Option<RawLevels>,
    review: Option<RawLevels>,
    alerts: Option<RawAlerts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    code: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    subcategories: Vec<RawEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevels {
    red_days: Option<Spanned<u32>>,
    orange_days: Option<Spanned<u32>>,
    yellow_days: Option<Spanned<u32>>,
    blue_days: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlerts {
    missed_in_a_row: Option<Spanned<u32>>,
    repeat_dispute_window_days: Option<Spanned<u32>>,
}

/// A number and the file and span it was written at.
type Setting<'a> = Sourced<'a, Spanned<u32>>;

/// Whether a value comes from the shipped defaults (errors then point at the user's value).
fn is_shipped(src: &Src<'_>) -> bool {
    src.path == Path::new(SHIPPED_PATH)
}

fn build(mut layers: Vec<Layer<'_>>) -> Result<WatchConfig, ConfigError> {
    let missing = |what: &str| lacking(SHIPPED_PATH, what);

    let categories = last_named(&mut layers, |r| r.categories.take())
        .ok_or_else(|| missing("[[categories]]"))?;
    let categories = check_categories(categories)?;

    let rhythm = levels(&mut layers, "rhythm", 366, |r| r.rhythm.as_mut(), &missing)?;
    let review_days = levels(&mut layers, "review", 730, |r| r.review.as_mut(), &missing)?;

    let missed = last_named(&mut layers, |r| {
        r.alerts.as_mut().and_then(|a| a.missed_in_a_row.take())
    })
    .ok_or_else(|| missing("alerts.missed_in_a_row"))?;
    let window = last_named(&mut layers, |r| {
        r.alerts
            .as_mut()
            .and_then(|a| a.repeat_dispute_window_days.take())
    })
    .ok_or_else(|| missing("alerts.repeat_dispute_window_days"))?;

    Ok(WatchConfig {
        categories,
        rhythm,
        review_days,
        missed_in_a_row_alert: bounded(&missed, "missed_in_a_row", 1, 10, "visits")?,
        repeat_dispute_window_days: bounded(
            &window,
            "repeat_dispute_window_days",
            1,
            3660,
            "days",
        )?,
    })
}

/// One per-level table (`[rhythm]` or `[review]`), each key from the last layer naming
/// it, every value within `1..=max`, and a higher level never given more days than a
/// lower one: a red person seen less often than a blue one is a typo, not a policy.
fn levels<'a>(
    layers: &mut [Layer<'a>],
    table: &str,
    max: u32,
    section: fn(&mut RawFile) -> Option<&mut RawLevels>,
    missing: &dyn Fn(&str) -> ConfigError,
) -> Result<WatchRhythm, ConfigError> {
    let mut take = |key: &str,
                    field: fn(&mut RawLevels) -> &mut Option<Spanned<u32>>|
     -> Result<(Setting<'a>, u32), ConfigError> {
        let days = last_named(layers, |r| section(r).and_then(|s| field(s).take()))
            .ok_or_else(|| missing(&format!("{table}.{key}")))?;
        let value = bounded(&days, key, 1, max, "days")?;
        Ok((days, value))
    };
    // Highest level first, the order the ordering check walks.
    let red = take("red_days", |s| &mut s.red_days)?;
    let orange = take("orange_days", |s| &mut s.orange_days)?;
    let yellow = take("yellow_days", |s| &mut s.yellow_days)?;
    let blue = take("blue_days", |s| &mut s.blue_days)?;
    let named = [
        ("red_days", &red),
        ("orange_days", &orange),
        ("yellow_days", &yellow),
        ("blue_days", &blue),
    ];
    for pair in named.windows(2) {
        let [(high_key, (high, high_days)), (low_key, (low, low_days))] = pair else {
            continue;
        };
        if high_days > low_days {
            // Blame the value the user wrote, not the shipped one it clashes with.
            let at = if is_shipped(&high.src) { low } else { high };
            return Err(at.src.at(
                at.value.span(),
                format!(
                    "[{table}] {high_key} ({high_days}) is longer than {low_key} ({low_days}): a higher level is never given more days than a lower one"
                ),
            ));
        }
    }
    Ok(WatchRhythm {
        red_days: red.1,
        orange_days: orange.1,
        yellow_days: yellow.1,
        blue_days: blue.1,
    })
}

/// Checks the category list. Besides codes and labels, no two categories may answer to
/// the same text (code, label or alias, compared as [`label_key`] compares), and no two
/// kinds of one category either: an import must never have to guess.
fn check_categories(
    list: Sourced<'_, Vec<RawCategory>>,
) -> Result<Vec<WatchCategory>, ConfigError> {
    non_empty(&list, "categories", "category")?;
    let src = list.src;
    let mut codes = BTreeSet::new();
    // Matching key → the category that answers to it.
    let mut owners = Owners::default();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let category = entry(
            src, raw.code, raw.zh, raw.en, "category", SNAKE, &mut codes, "",
        )?;
        let what = category.what("category");
        let mut names: Vec<(String, Range<usize>)> = vec![
            (category.code.clone(), category.code_span.clone()),
            (category.zh.clone(), category.zh_span.clone()),
            (category.en.clone(), category.en_span.clone()),
        ];
        let mut aliases: Vec<String> = Vec::with_capacity(raw.aliases.len());
        for alias in raw.aliases {
            let alias_span = alias.span();
            let text = alias.into_inner().trim().to_string();
            if label_key(&text).is_empty() {
                return Err(src.at(alias_span, format!("{what}: empty alias")));
            }
            if !aliases.contains(&text) {
                aliases.push(text.clone());
            }
            names.push((text, alias_span));
        }
        for (name, name_span) in names {
            // Labels of only spaces/dashes were refused above; nothing to match then.
            if let Some(owner) = owners.claim(&name, &category.code) {
                return Err(src.at(
                    name_span,
                    format!(
                        "{what}: '{name}' also names category '{owner}'; an imported row could not tell them apart"
                    ),
                ));
            }
        }
        let subcategories = check_subcategories(src, raw.subcategories, &category.code)?;
        out.push(WatchCategory {
            code: category.code,
            zh: category.zh,
            en: category.en,
            aliases,
            subcategories,
        });
    }
    Ok(out)
}

fn check_subcategories(
    src: Src<'_>,
    list: Vec<RawEntry>,
    category: &str,
) -> Result<Vec<WatchSubcategory>, ConfigError> {
    let within = format!(" in category '{category}'");
    let mut codes = BTreeSet::new();
    let mut owners = Owners::default();
    let mut out = Vec::with_capacity(list.len());
    for raw in list {
        let sub = entry(
            src,
            raw.code,
            raw.zh,
            raw.en,
            "subcategory",
            SNAKE,
            &mut codes,
            &within,
        )?;
        let what = sub.what("subcategory");
        for (name, name_span) in [
            (&sub.code, &sub.code_span),
            (&sub.zh, &sub.zh_span),
            (&sub.en, &sub.en_span),
        ] {
            if let Some(owner) = owners.claim(name, &sub.code) {
                return Err(src.at(
                    name_span.clone(),
                    format!(
                        "{what}: '{name}' also names subcategory '{owner}' of category '{category}'"
                    ),
                ));
            }
        }
        out.push(WatchSubcategory {
            code: sub.code,
            zh: sub.zh,
            en: sub.en,
        });
    }
    Ok(out)
}

/// Which entry each matching key (see [`label_key`]) answers to, to refuse two entries
/// of one list that the same text would name.
#[derive(Default)]
struct Owners(BTreeMap<String, String>);

impl Owners {
    /// Records that `name` names `code`; the other code it already names, if any. A name
    /// with an empty key names nothing.
    fn claim(&mut self, name: &str, code: &str) -> Option<String> {
        let key = label_key(name);
        if key.is_empty() {
            return None;
        }
        match self.0.get(&key) {
            Some(owner) if owner != code => Some(owner.clone()),
            Some(_) => None,
            None => {
                self.0.insert(key, code.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
