//! `paper.toml`: the wording of printed papers (headings, labels, legal clauses, the
//! agreement number, the register's columns) and the fonts to print with. Shipped
//! defaults, then the bureau's file, which names only the texts it changes; an unknown
//! key, an empty text or a brace word the text does not offer is refused with file and
//! line.

use super::{line_of, read_optional, ConfigError};
use beatbook_i18n::{Bi, Lang};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

const SHIPPED_TEXT: &str = include_str!("../../defaults/paper.toml");
/// How error messages name the shipped defaults.
pub const SHIPPED_PATH: &str = "defaults/paper.toml";

/// The sections of texts, in file order.
const SECTIONS: [&str; 5] = ["common", "agreement", "visit", "register", "report"];

/// What a register column holds.
pub const REGISTER_KEYS: [&str; 11] = [
    "no",
    "reported_on",
    "category",
    "parties",
    "summary",
    "risk",
    "status",
    "resolution",
    "officer",
    "village",
    "number",
];

/// The wording and fonts of printed papers.
#[derive(Clone, Debug, PartialEq)]
pub struct PaperConfig {
    /// `section.key` → both languages.
    texts: BTreeMap<String, Bi>,
    pub register_columns: Vec<RegisterColumn>,
    /// Font files to try before the shipped font: `PATH` or `PATH#N`, relative paths
    /// already made absolute against the folder of the file that named them.
    pub fonts: Vec<String>,
}

/// One column of the printed register.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterColumn {
    pub key: String,
    pub title: Bi,
    pub weight: f32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    fonts: Option<RawFonts>,
    #[serde(default)]
    common: BTreeMap<String, Spanned<RawText>>,
    #[serde(default)]
    agreement: BTreeMap<String, Spanned<RawText>>,
    #[serde(default)]
    visit: BTreeMap<String, Spanned<RawText>>,
    #[serde(default)]
    register: BTreeMap<String, Spanned<RawText>>,
    #[serde(default)]
    report: BTreeMap<String, Spanned<RawText>>,
    #[serde(default)]
    register_column: Option<Spanned<Vec<RawColumn>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFonts {
    #[serde(default)]
    files: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    zh: Option<String>,
    en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    key: String,
    zh: String,
    en: String,
    #[serde(default = "one")]
    weight: f32,
}

fn one() -> f32 {
    1.0
}

impl RawFile {
    fn section(&self, name: &str) -> &BTreeMap<String, Spanned<RawText>> {
        match name {
            "common" => &self.common,
            "agreement" => &self.agreement,
            "visit" => &self.visit,
            "register" => &self.register,
            _ => &self.report,
        }
    }
}

/// The `{words}` a text fills in.
fn brace_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

impl PaperConfig {
    /// The shipped defaults (tested: a failure is a build mistake).
    pub fn shipped() -> Result<PaperConfig, ConfigError> {
        PaperConfig::build(Path::new(SHIPPED_PATH), SHIPPED_TEXT, None)
    }

    /// The defaults, then `user_file` if it exists.
    pub fn load(user_file: &Path) -> Result<PaperConfig, ConfigError> {
        match read_optional(user_file)? {
            Some(text) => PaperConfig::with_user_text(user_file, &text),
            None => PaperConfig::shipped(),
        }
    }

    /// The defaults with `text` over them as if read from `path`.
    pub fn with_user_text(path: &Path, text: &str) -> Result<PaperConfig, ConfigError> {
        let shipped = PaperConfig::shipped()?;
        PaperConfig::build(path, text, Some(shipped))
    }

    fn build(
        path: &Path,
        text: &str,
        base: Option<PaperConfig>,
    ) -> Result<PaperConfig, ConfigError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| ConfigError::toml(path, text, &e))?;
        let at = |span: std::ops::Range<usize>, message: String| {
            ConfigError::new(path, Some(line_of(text, span.start)), message)
        };
        let mut config = base.unwrap_or(PaperConfig {
            texts: BTreeMap::new(),
            register_columns: Vec::new(),
            fonts: Vec::new(),
        });
        let shipped_layer = config.texts.is_empty();
        for section in SECTIONS {
            for (key, value) in raw.section(section) {
                let span = value.span();
                let value = value.get_ref();
                let full = format!("{section}.{key}");
                let allowed: Vec<String> = match config.texts.get(&full) {
                    Some(old) => brace_words(&old.zh)
                        .into_iter()
                        .chain(brace_words(&old.en))
                        .map(str::to_string)
                        .collect(),
                    None if shipped_layer => Vec::new(),
                    None => return Err(at(span, format!("{full}: no such text"))),
                };
                let mut entry = config.texts.get(&full).cloned().unwrap_or_default();
                for (lang, given) in [("zh", &value.zh), ("en", &value.en)] {
                    let Some(given) = given else {
                        if shipped_layer {
                            return Err(at(span.clone(), format!("{full}: {lang} is missing")));
                        }
                        continue;
                    };
                    if given.trim().is_empty() {
                        return Err(at(span.clone(), format!("{full}.{lang}: empty text")));
                    }
                    if !shipped_layer {
                        if let Some(word) = brace_words(given)
                            .into_iter()
                            .find(|w| !allowed.iter().any(|a| a == w))
                        {
                            return Err(at(
                                span.clone(),
                                format!(
                                    "{full}.{lang}: {{{word}}} is not filled in here (offered: {})",
                                    allowed
                                        .iter()
                                        .map(|a| format!("{{{a}}}"))
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                ),
                            ));
                        }
                    }
                    if full == "agreement.number" && !brace_words(given).contains(&"n") {
                        return Err(at(
                            span.clone(),
                            format!("{full}.{lang}: the number needs {{n}}"),
                        ));
                    }
                    match lang {
                        "zh" => entry.zh = given.clone(),
                        _ => entry.en = given.clone(),
                    }
                }
                config.texts.insert(full, entry);
            }
        }
        if let Some(columns) = &raw.register_column {
            let span = columns.span();
            let mut out = Vec::new();
            for c in columns.get_ref() {
                if !REGISTER_KEYS.contains(&c.key.as_str()) {
                    return Err(at(
                        span.clone(),
                        format!(
                            "register_column: key = \"{}\" is not one of {}",
                            c.key,
                            REGISTER_KEYS.join(", ")
                        ),
                    ));
                }
                if !(c.weight > 0.0 && c.weight <= 20.0) {
                    return Err(at(
                        span.clone(),
                        format!(
                            "register_column {}: weight must be above 0 and at most 20",
                            c.key
                        ),
                    ));
                }
                out.push(RegisterColumn {
                    key: c.key.clone(),
                    title: Bi::new(c.zh.trim(), c.en.trim()),
                    weight: c.weight,
                });
            }
            if out.is_empty() {
                return Err(at(span, "register_column: at least one column".into()));
            }
            config.register_columns = out;
        }
        if let Some(fonts) = &raw.fonts {
            let folder = path.parent().unwrap_or(Path::new(""));
            config.fonts = fonts
                .files
                .iter()
                .filter(|f| !f.trim().is_empty())
                .map(|f| {
                    let f = f.trim();
                    if Path::new(f.split('#').next().unwrap_or(f)).is_absolute() {
                        f.to_string()
                    } else {
                        PathBuf::from(folder).join(f).display().to_string()
                    }
                })
                .collect();
        }
        Ok(config)
    }

    /// The text `section.key` in `lang`, e.g. `text("agreement.title", Lang::Zh)`. A key
    /// the shipped file lacks is a programming mistake: its name is printed instead,
    /// which a test catches.
    pub fn text(&self, key: &str, lang: Lang) -> String {
        self.texts
            .get(key)
            .map(|b| b.get(lang).to_string())
            .unwrap_or_else(|| format!("[{key}]"))
    }

    /// The text `key` with its `{words}` filled in.
    pub fn fill(&self, key: &str, lang: Lang, values: &[(&str, &str)]) -> String {
        let mut out = self.text(key, lang);
        for (word, value) in values {
            out = out.replace(&format!("{{{word}}}"), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_texts_parse_and_fill_in() {
        let c = PaperConfig::shipped().expect("shipped");
        assert_eq!(c.text("agreement.title", Lang::Zh), "人民调解协议书");
        assert_eq!(
            c.fill(
                "agreement.number",
                Lang::Zh,
                &[("year", "2026"), ("station", "城关"), ("n", "17")]
            ),
            "（2026）城关调字第 17 号"
        );
        assert_eq!(c.register_columns.len(), 9);
        assert!(c.fonts.is_empty());
    }

    #[test]
    fn a_bureau_changes_one_language_of_one_text_and_keeps_the_rest() {
        let c = PaperConfig::with_user_text(
            Path::new("/etc/beatbook/paper.toml"),
            "[agreement]\ncommittee = { zh = \"城关镇人民调解委员会\" }\n[fonts]\nfiles = [\"fonts/simfang.ttf\", \"/f/noto.ttc#2\"]\n",
        )
        .expect("valid");
        assert_eq!(
            c.text("agreement.committee", Lang::Zh),
            "城关镇人民调解委员会"
        );
        assert_eq!(
            c.text("agreement.committee", Lang::En),
            "People's Mediation Committee at {station_name}"
        );
        assert_eq!(c.text("agreement.title", Lang::Zh), "人民调解协议书");
        assert_eq!(
            c.fonts,
            vec!["/etc/beatbook/fonts/simfang.ttf", "/f/noto.ttc#2"]
        );
    }

    #[test]
    fn mistakes_are_named_with_file_and_line() {
        let path = Path::new("paper.toml");
        let cases = [
            ("[agreement]\n\ntitel = { zh = \"x\" }\n", 3, "no such text"),
            ("[agreement]\ntitle = { zh = \"  \" }\n", 2, "empty text"),
            (
                "[agreement]\nnumber = { zh = \"第 {no} 号\" }\n",
                2,
                "{no} is not filled in here",
            ),
            ("[visit]\n\n\nparty = { zh = 3 }\n", 4, "invalid type"),
            (
                "[[register_column]]\nkey = \"colour\"\nzh = \"颜色\"\nen = \"c\"\n",
                1,
                "not one of",
            ),
        ];
        for (text, line, says) in cases {
            let err = PaperConfig::with_user_text(path, text).expect_err(text);
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.message.contains(says), "{text}: {err}");
            assert_eq!(err.file, path);
        }
    }
}
