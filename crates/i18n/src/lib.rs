//! Strings shown to people, in Chinese and English.
//!
//! Every user-visible text lives either in a front end's table (the screens' in the tui
//! crate, the command line's in the `beatbook` crate, the reports' in [`report`]) or in the
//! `Localize` impl of the error/enum it belongs to, so that a translation can never
//! be forgotten silently: adding a key without both languages does not compile.

pub mod audit;
pub mod io;
pub mod report;
pub mod table;

use std::fmt;

/// The language of the person at the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// 简体中文.
    Zh,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Parses a `--lang` value or a locale string such as `zh_CN.UTF-8`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.is_empty() {
            return None;
        }
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") || tag == "c" || tag == "posix" || tag.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the language: an explicit choice (`--lang` / `BEATBOOK_LANG`) wins, then the
    /// locale from `LANG`: Chinese for `zh_*`, English otherwise.
    pub fn choose(explicit: Option<&str>, locale: Option<&str>) -> Lang {
        if let Some(lang) = explicit.and_then(Lang::from_tag) {
            return lang;
        }
        match locale.map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// Picks between the two spellings of one message.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The other language (for the in-app language switch).
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        })
    }
}

/// Something that can be told to a person in either language: errors, enum labels.
pub trait Localize {
    /// The text in `lang`.
    fn localize(&self, lang: Lang) -> String;
}

/// A text held in both languages, for labels built from data (choices, titles) that must
/// follow a language switch while a form is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bi {
    pub zh: String,
    pub en: String,
}

impl Bi {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bi {
        Bi {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Both spellings of something localizable.
    pub fn of(item: &dyn Localize) -> Bi {
        Bi::new(item.localize(Lang::Zh), item.localize(Lang::En))
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// Fills `{}` placeholders of a table string in order.
pub fn fill(template: &str, args: &[&dyn fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(pos) = rest.find("{}") {
        out.push_str(&rest[..pos]);
        match args.next() {
            Some(arg) => out.push_str(&arg.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_follows_flag_then_locale() {
        assert_eq!(Lang::choose(Some("zh"), Some("en_US.UTF-8")), Lang::Zh);
        assert_eq!(Lang::choose(None, Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::choose(None, Some("de_DE.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(Some("klingon"), Some("zh_TW")), Lang::Zh);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(fill("{} of {}", &[&1, &"two"]), "1 of two");
        assert_eq!(fill("no args {}", &[]), "no args {}");
    }
}
