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

use super::layered::{code, label, last_named, snake_char, Sourced, Src, SNAKE_ALPHABET};
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

impl WatchConfig {
    /// The embedded defaults.
    pub fn shipped() -> Result<WatchConfig, ConfigError> {
        super::layered::shipped()
    }

    /// The defaults, then `user_file` if it exists (see the module comment for what a
    /// user file replaces).
    pub fn load(user_file: &Path) -> Result<WatchConfig, ConfigError> {
        super::layered::load(user_file)
    }

    /// The defaults with `text` layered on top as if read from `path` (tests, and callers
    /// that already hold the file's text).
    pub fn with_user_text(path: &Path, text: &str) -> Result<WatchConfig, ConfigError> {
        super::layered::with_user_text(path, text)
    }

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
// points at the line that holds it. (The helpers mirror `config::disputes`, whose own are
// private to it.)
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
    subcategories: Vec<RawSubcategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubcategory {
    code: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
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

/// One parsed file of this config.
type Layer<'a> = super::layered::Layer<'a, RawFile>;

/// Merges the layers (shipped first) and checks the result.
impl super::layered::Dictionary for WatchConfig {
    type Raw = RawFile;
    const SHIPPED_PATH: &'static str = SHIPPED_PATH;
    const SHIPPED_TEXT: &'static str = SHIPPED_TEXT;

    fn build(layers: Vec<Layer<'_>>) -> Result<WatchConfig, ConfigError> {
        build(layers)
    }
}

fn build(mut layers: Vec<Layer<'_>>) -> Result<WatchConfig, ConfigError> {
    let missing = |what: &str| {
        ConfigError::new(
            Path::new(SHIPPED_PATH),
            None,
            format!("the shipped defaults lack {what}"),
        )
    };

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

/// A number within `min..=max`.
fn bounded(
    days: &Setting<'_>,
    key: &str,
    min: u32,
    max: u32,
    unit: &str,
) -> Result<u32, ConfigError> {
    let v = *days.value.get_ref();
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(days.src.at(
            days.value.span(),
            format!("{key} = {v}: must be {min} to {max} {unit}"),
        ))
    }
}

/// Checks the category list. Besides codes and labels, no two categories may answer to
/// the same text (code, label or alias, compared as [`label_key`] compares), and no two
/// kinds of one category either: an import must never have to guess.
fn check_categories(
    list: Sourced<'_, Vec<RawCategory>>,
) -> Result<Vec<WatchCategory>, ConfigError> {
    let src = list.src;
    if list.value.is_empty() {
        return Err(src.at_name(
            "categories",
            "the category list is empty: name at least one",
        ));
    }
    let mut codes = BTreeSet::new();
    // Matching key → the category that answers to it.
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let (code_text, span) = code(src, raw.code, "category code", snake_char, SNAKE_ALPHABET)?;
        if !codes.insert(code_text.clone()) {
            return Err(src.at(span, format!("category code '{code_text}' is used twice")));
        }
        let what = format!("category '{code_text}'");
        let zh_span = raw.zh.span();
        let en_span = raw.en.span();
        let zh = label(src, raw.zh, &format!("{what} zh"))?;
        let en = label(src, raw.en, &format!("{what} en"))?;
        let mut names: Vec<(String, Range<usize>)> = vec![
            (code_text.clone(), span),
            (zh.clone(), zh_span),
            (en.clone(), en_span),
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
            let key = label_key(&name);
            if key.is_empty() {
                // Labels of only spaces/dashes were refused above; nothing to match here.
                continue;
            }
            match owners.get(&key) {
                Some(owner) if *owner != code_text => {
                    return Err(src.at(
                        name_span,
                        format!(
                            "{what}: '{name}' also names category '{owner}'; an imported row could not tell them apart"
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    owners.insert(key, code_text.clone());
                }
            }
        }
        let subcategories = check_subcategories(src, raw.subcategories, &code_text)?;
        out.push(WatchCategory {
            code: code_text,
            zh,
            en,
            aliases,
            subcategories,
        });
    }
    Ok(out)
}

fn check_subcategories(
    src: Src<'_>,
    list: Vec<RawSubcategory>,
    category: &str,
) -> Result<Vec<WatchSubcategory>, ConfigError> {
    let mut codes = BTreeSet::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(list.len());
    for sub in list {
        let (sub_code, span) = code(
            src,
            sub.code,
            "subcategory code",
            snake_char,
            SNAKE_ALPHABET,
        )?;
        if !codes.insert(sub_code.clone()) {
            return Err(src.at(
                span,
                format!("subcategory code '{sub_code}' is used twice in category '{category}'"),
            ));
        }
        let what = format!("subcategory '{sub_code}'");
        let zh_span = sub.zh.span();
        let en_span = sub.en.span();
        let zh = label(src, sub.zh, &format!("{what} zh"))?;
        let en = label(src, sub.en, &format!("{what} en"))?;
        for (name, name_span) in [(&sub_code, span), (&zh, zh_span), (&en, en_span)] {
            let key = label_key(name);
            match owners.get(&key) {
                Some(owner) if *owner != sub_code => {
                    return Err(src.at(
                        name_span,
                        format!(
                            "{what}: '{name}' also names subcategory '{owner}' of category '{category}'"
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    owners.insert(key, sub_code.clone());
                }
            }
        }
        out.push(WatchSubcategory {
            code: sub_code,
            zh,
            en,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Result<WatchConfig, ConfigError> {
        WatchConfig::with_user_text(Path::new("/etc/beatbook/watch.toml"), text)
    }

    fn shipped() -> WatchConfig {
        WatchConfig::shipped().expect("shipped defaults are valid")
    }

    #[test]
    fn shipped_parses_with_the_domain_defaults() {
        let c = shipped();
        let codes: Vec<&str> = c.categories.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "stability",
                "six_loss",
                "mental",
                "drugs",
                "released",
                "correction",
                "youth",
                "petition",
                "other"
            ]
        );
        let six = c.category("six_loss").expect("six_loss");
        assert_eq!(six.zh, "六失人员");
        let kinds: Vec<&str> = six.subcategories.iter().map(|s| s.zh.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "失业失意",
                "失婚失恋",
                "失学失管",
                "失亲失独",
                "失财失利",
                "失德失信"
            ]
        );
        let youth = c.category("youth").expect("youth");
        let kinds: Vec<&str> = youth.subcategories.iter().map(|s| s.zh.as_str()).collect();
        assert_eq!(kinds, ["闲散", "不良行为", "留守儿童", "服刑人员子女"]);
        assert_eq!(
            youth.subcategory("left_behind").map(|s| s.label(Lang::En)),
            Some("left-behind children")
        );
        assert_eq!(
            c.category("mental").map(|c| c.label(Lang::Zh)),
            Some("严重精神障碍（易肇事肇祸）")
        );
        for category in &c.categories {
            assert!(category.en.is_ascii(), "{}", category.en);
            for sub in &category.subcategories {
                assert!(sub.en.is_ascii(), "{}", sub.en);
            }
        }
        assert_eq!(
            c.rhythm,
            WatchRhythm {
                red_days: 7,
                orange_days: 14,
                yellow_days: 30,
                blue_days: 90
            }
        );
        assert_eq!(
            c.review_days,
            WatchRhythm {
                red_days: 30,
                orange_days: 60,
                yellow_days: 90,
                blue_days: 180
            }
        );
        assert_eq!(c.missed_in_a_row_alert, 2);
        assert_eq!(c.repeat_dispute_window_days, 365);
    }

    #[test]
    fn rhythms_per_level() {
        let c = shipped();
        let cases = [
            (RiskLevel::Red, 7, 30),
            (RiskLevel::Orange, 14, 60),
            (RiskLevel::Yellow, 30, 90),
            (RiskLevel::Blue, 90, 180),
        ];
        for (level, visit, review) in cases {
            assert_eq!(c.visit_every_days(level), visit, "{level:?}");
            assert_eq!(c.review_every_days(level), review, "{level:?}");
        }
    }

    #[test]
    fn category_by_label_finds_codes_labels_and_aliases() {
        let c = shipped();
        let cases = [
            // Codes and labels, as written and loosely.
            ("stability", Some("stability")),
            ("Six_Loss", Some("six_loss")),
            ("涉稳", Some("stability")),
            ("  涉 稳 ", Some("stability")),
            ("stability-related", Some("stability")),
            ("Stability Related", Some("stability")),
            ("ＳＴＡＢＩＬＩＴＹ", Some("stability")),
            ("六失人员", Some("six_loss")),
            ("严重精神障碍（易肇事肇祸）", Some("mental")),
            ("严重精神障碍(易肇事肇祸)", Some("mental")),
            ("community correction", Some("correction")),
            ("其他", Some("other")),
            // A trailing 人员/对象 is ignored.
            ("刑满释放人员", Some("released")),
            ("社区矫正对象", Some("correction")),
            ("社区矫正人员", Some("correction")),
            ("涉稳人员", Some("stability")),
            ("涉毒人员", Some("drugs")),
            ("重点上访人员", Some("petition")),
            ("六失", Some("six_loss")),
            // Aliases.
            ("刑释解教人员", Some("released")),
            ("社矫", Some("correction")),
            ("社区服刑人员", Some("correction")),
            ("吸毒人员", Some("drugs")),
            ("肇事肇祸精神病人", Some("mental")),
            ("严重精神障碍患者", Some("mental")),
            ("重点信访人员", Some("petition")),
            ("其它", Some("other")),
            // A kind names its category.
            ("留守儿童", Some("youth")),
            ("失业失意", Some("six_loss")),
            ("children of inmates", Some("youth")),
            // Nothing.
            ("", None),
            ("   ", None),
            ("人员", None),
            ("涉", None),
            ("stabilit", None),
            ("重点人员", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                c.category_by_label(text).map(|c| c.code.as_str()),
                want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn classify_keeps_the_kind() {
        let c = shipped();
        let got = c
            .classify("服刑人员子女")
            .map(|(c, s)| (c.code.as_str(), s.map(|s| s.code.as_str())));
        assert_eq!(got, Some(("youth", Some("inmates_children"))));
        let got = c
            .classify("重点青少年")
            .map(|(c, s)| (c.code.as_str(), s.map(|s| s.code.as_str())));
        assert_eq!(got, Some(("youth", None)));
        let six = c.category("six_loss").expect("six_loss");
        assert_eq!(
            six.subcategory_by_label(" 失婚失恋 ")
                .map(|s| s.code.as_str()),
            Some("love")
        );
        assert_eq!(
            six.subcategory_by_label("MONEY").map(|s| s.code.as_str()),
            Some("money")
        );
        assert!(six.subcategory_by_label("留守儿童").is_none());
        assert!(six.subcategory_by_label("").is_none());
        // A kind two categories share names neither: the import must ask.
        let c = user(concat!(
            "[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\nsubcategories = [{ code = \"x\", zh = \"其他\", en = \"other\" }]\n",
            "[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"b\"\nsubcategories = [{ code = \"x\", zh = \"其他\", en = \"other\" }]\n",
        ))
        .expect("loads");
        assert!(c.category_by_label("其他").is_none());
        assert_eq!(
            c.category_by_label("乙").map(|c| c.code.as_str()),
            Some("b")
        );
    }

    #[test]
    fn label_keys() {
        let cases = [
            ("涉稳", "涉稳"),
            ("刑满释放人员", "刑满释放"),
            ("社区矫正对象", "社区矫正"),
            ("人员", "人员"),
            ("Six-Loss", "sixloss"),
            ("six_loss", "sixloss"),
            ("ＡＢＣ　１２３", "abc123"),
            ("（易肇事肇祸）", "(易肇事肇祸)"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(label_key(text), want, "{text:?}");
        }
    }

    #[test]
    fn missing_user_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("watch.toml");
        assert_eq!(WatchConfig::load(&path), WatchConfig::shipped());
        std::fs::write(&path, "[rhythm]\nred_days = 5\n").expect("write");
        let c = WatchConfig::load(&path).expect("loads");
        assert_eq!(c.rhythm.red_days, 5);
        assert_eq!(c.rhythm.orange_days, 14);
    }

    #[test]
    fn user_file_replaces_only_what_it_names() {
        let shipped = shipped();
        let c = user(
            "[review]\nblue_days = 365\n\n[[categories]]\ncode = \"gangs\"\nzh = \"涉黑涉恶\"\nen = \"organised crime\"\naliases = [\"涉恶\"]\n",
        )
        .expect("loads");
        // The named list is replaced whole…
        assert_eq!(c.categories.len(), 1);
        assert!(c.category("stability").is_none());
        assert!(c.category_by_label("涉稳").is_none());
        assert_eq!(
            c.category_by_label("涉恶").map(|c| c.code.as_str()),
            Some("gangs")
        );
        assert_eq!(c.category("gangs").map(|c| c.subcategories.len()), Some(0));
        // …the named key alone changes…
        assert_eq!(c.review_days.blue_days, 365);
        assert_eq!(c.review_days.red_days, 30);
        // …and what is not named stays.
        assert_eq!(c.rhythm, shipped.rhythm);
        assert_eq!(c.missed_in_a_row_alert, 2);
        assert_eq!(c.repeat_dispute_window_days, 365);

        let c = user("[alerts]\nmissed_in_a_row = 3\n").expect("loads");
        assert_eq!(c.missed_in_a_row_alert, 3);
        assert_eq!(c.repeat_dispute_window_days, 365);
        assert_eq!(c.categories, shipped.categories);
        assert_eq!(c.review_days, shipped.review_days);

        // Levels may share a rhythm, and every key can move together.
        let c = user("[rhythm]\nred_days = 7\norange_days = 7\nyellow_days = 7\nblue_days = 7\n")
            .expect("loads");
        assert_eq!(c.visit_every_days(RiskLevel::Blue), 7);
        let c = user("[rhythm]\nblue_days = 30\n").expect("loads");
        assert_eq!(c.visit_every_days(RiskLevel::Blue), 30);

        // An empty user file changes nothing.
        assert_eq!(user("# nothing yet\n").ok(), Some(shipped));
    }

    /// Each bad input is refused with the user file's name, the line of the problem and
    /// words that say what is wrong.
    #[test]
    fn bad_input_names_file_and_line() {
        const CAT: &str = "[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\n";
        let cases: Vec<(String, usize, &str)> = vec![
            ("[rhythm\nred_days = 7\n".into(), 1, ""),
            ("[rhythm]\nred_dayz = 7\n".into(), 2, "red_dayz"),
            ("[rhythms]\nred_days = 7\n".into(), 1, "rhythms"),
            ("[alerts]\n\nmissed = 2\n".into(), 3, "missed"),
            ("colour = \"red\"\n".into(), 1, "colour"),
            ("[rhythm]\nred_days = 0\n".into(), 2, "red_days = 0"),
            ("[rhythm]\n\nblue_days = 400\n".into(), 3, "blue_days = 400"),
            ("[rhythm]\nred_days = -7\n".into(), 2, ""),
            ("[rhythm]\nred_days = \"weekly\"\n".into(), 2, ""),
            ("[review]\norange_days = 0\n".into(), 2, "orange_days = 0"),
            ("[review]\nblue_days = 1000\n".into(), 2, "blue_days = 1000"),
            ("[alerts]\nmissed_in_a_row = 0\n".into(), 2, "missed_in_a_row = 0"),
            ("[alerts]\nmissed_in_a_row = 11\n".into(), 2, "missed_in_a_row"),
            ("[alerts]\nrepeat_dispute_window_days = 0\n".into(), 2, "repeat_dispute_window_days"),
            // Order of levels: blame what the user wrote.
            ("[rhythm]\nred_days = 20\n".into(), 2, "red_days (20) is longer than orange_days (14)"),
            ("[rhythm]\nyellow_days = 100\n".into(), 2, "yellow_days (100) is longer than blue_days (90)"),
            ("[rhythm]\n\nyellow_days = 10\n".into(), 3, "orange_days (14) is longer than yellow_days (10)"),
            ("[review]\nred_days = 40\norange_days = 35\n".into(), 2, "[review] red_days (40)"),
            // Categories.
            (format!("{CAT}{CAT}"), 6, "'a' is used twice"),
            ("[[categories]]\ncode = \"A\"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "lower-case"),
            ("[[categories]]\ncode = \"a-b\"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "lower-case"),
            ("[[categories]]\ncode = \" \"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "empty code"),
            (format!("[[categories]]\ncode = \"{}\"\nzh = \"甲\"\nen = \"a\"\n", "a".repeat(33)), 2, "longer than 32"),
            ("[[categories]]\ncode = \"a\"\nzh = \"\"\nen = \"a\"\n".into(), 3, "empty label"),
            ("[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \" \"\n".into(), 4, "empty label"),
            ("[[categories]]\ncode = \"a\"\nen = \"a\"\n".into(), 1, "zh"),
            ("[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\nlevel = \"red\"\n".into(), 5, "level"),
            (format!("{CAT}aliases = [\"乙\", \"\"]\n"), 5, "empty alias"),
            (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"甲人员\"\nen = \"b\"\n"), 7, "'甲人员' also names category 'a'"),
            (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"b\"\naliases = [\n  \"丙\",\n  \"A\",\n]\n"), 11, "'A' also names category 'a'"),
            (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"A\"\n"), 8, "also names category 'a'"),
            (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\" }},\n  {{ code = \"x\", zh = \"丑\", en = \"y\" }},\n]\n"), 7, "'x' is used twice in category 'a'"),
            (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\" }},\n  {{ code = \"y\", zh = \"子\", en = \"y\" }},\n]\n"), 7, "also names subcategory 'x'"),
            (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\", fr = \"x\" }},\n]\n"), 6, "fr"),
            (format!("{CAT}subcategories = [\n  {{ code = \"X\", zh = \"子\", en = \"x\" }},\n]\n"), 6, "lower-case"),
            (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"\", en = \"x\" }},\n]\n"), 6, "empty label"),
            ("categories = []\n".into(), 1, "empty"),
        ];
        for (text, line, words) in cases {
            let e = user(&text).expect_err(&text);
            assert_eq!(e.line, Some(line), "line of {text:?}: {e}");
            assert!(
                e.to_string().starts_with("/etc/beatbook/watch.toml:"),
                "{e}"
            );
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }

    #[test]
    fn unreadable_user_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the file should be cannot be read as text.
        let e = WatchConfig::load(dir.path()).expect_err("directory");
        assert_eq!(e.line, None);
    }
}
