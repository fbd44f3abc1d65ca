//! The machinery the layered dictionary files share (`disputes.toml`, `watch.toml`,
//! `findings.toml`): the
//! shipped file first, the bureau's file over it, each value remembering the file it came
//! from so that an error names that file and line.

use super::error::line_of_key;
use super::{line_of, ConfigError};
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Where a value came from, to turn its span into `file:line`.
#[derive(Clone, Copy)]
pub(super) struct Src<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Src<'_> {
    pub fn at(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.path, Some(line_of(self.text, span.start)), message)
    }

    /// An error about a whole list or table, located at its first `[[name]]`/`[name]`
    /// header or `name =` line.
    pub fn at_name(&self, name: &str, message: impl Into<String>) -> ConfigError {
        let line = self
            .text
            .lines()
            .position(|l| {
                let l = l.trim();
                l == format!("[[{name}]]") || l == format!("[{name}]")
            })
            .map(|i| i + 1)
            .or_else(|| line_of_key(self.text, name));
        ConfigError::new(self.path, line, message)
    }
}

/// One parsed file.
pub(super) struct Layer<'a, R> {
    pub src: Src<'a>,
    pub raw: R,
}

impl<'a, R: DeserializeOwned> Layer<'a, R> {
    pub fn parse(path: &'a Path, text: &'a str) -> Result<Layer<'a, R>, ConfigError> {
        let raw: R = toml::from_str(text).map_err(|e| ConfigError::toml(path, text, &e))?;
        Ok(Layer {
            src: Src { path, text },
            raw,
        })
    }
}

/// A dictionary file with compiled-in defaults that a bureau's file may extend or
/// replace. Each implements how its layers combine; loading is the same for all.
pub(super) trait Dictionary: Sized {
    /// The file as TOML reads it.
    type Raw: DeserializeOwned;
    /// The name error messages give the shipped defaults.
    const SHIPPED_PATH: &'static str;
    /// The shipped defaults, compiled in.
    const SHIPPED_TEXT: &'static str;

    /// Combines the layers, shipped first, and checks the result.
    fn build(layers: Vec<Layer<'_, Self::Raw>>) -> Result<Self, ConfigError>;
}

/// The embedded defaults of `D`.
pub(super) fn shipped<D: Dictionary>() -> Result<D, ConfigError> {
    D::build(vec![Layer::parse(
        Path::new(D::SHIPPED_PATH),
        D::SHIPPED_TEXT,
    )?])
}

/// The defaults of `D`, then `user_file` if it exists.
pub(super) fn load<D: Dictionary>(user_file: &Path) -> Result<D, ConfigError> {
    match super::read_optional(user_file)? {
        Some(text) => with_user_text(user_file, &text),
        None => shipped(),
    }
}

/// The defaults of `D` with `text` layered on top as if read from `path`.
pub(super) fn with_user_text<D: Dictionary>(path: &Path, text: &str) -> Result<D, ConfigError> {
    let shipped = Layer::parse(Path::new(D::SHIPPED_PATH), D::SHIPPED_TEXT)?;
    let user = Layer::parse(path, text)?;
    D::build(vec![shipped, user])
}

/// A value together with the file it came from.
pub(super) struct Sourced<'a, T> {
    pub src: Src<'a>,
    pub value: T,
}

/// The value of the last layer that names it: a whole list, or a single key.
pub(super) fn last_named<'a, R, T>(
    layers: &mut [Layer<'a, R>],
    take: impl Fn(&mut R) -> Option<T>,
) -> Option<Sourced<'a, T>> {
    layers.iter_mut().rev().find_map(|layer| {
        take(&mut layer.raw).map(|value| Sourced {
            src: layer.src,
            value,
        })
    })
}

/// A label: trimmed, not empty.
pub(super) fn label(
    src: Src<'_>,
    value: Spanned<String>,
    what: &str,
) -> Result<String, ConfigError> {
    let span = value.span();
    let text = value.into_inner().trim().to_string();
    if text.is_empty() {
        Err(src.at(span, format!("{what}: empty label")))
    } else {
        Ok(text)
    }
}

/// A code stored in records: trimmed, not empty, at most 32 characters, from a safe
/// alphabet (records keep codes, so a bureau renaming a label changes no record).
pub(super) fn code(
    src: Src<'_>,
    value: Spanned<String>,
    what: &str,
    allowed: fn(char) -> bool,
    alphabet: &str,
) -> Result<(String, Range<usize>), ConfigError> {
    let span = value.span();
    let text = value.into_inner().trim().to_string();
    if text.is_empty() {
        return Err(src.at(span, format!("{what}: empty code")));
    }
    if text.chars().count() > 32 {
        return Err(src.at(span, format!("{what} '{text}': longer than 32 characters")));
    }
    if !text.chars().all(allowed) {
        return Err(src.at(span, format!("{what} '{text}': use only {alphabet}")));
    }
    Ok((text, span))
}

/// Lower-case snake_case codes.
pub(super) fn snake_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
}

pub(super) const SNAKE_ALPHABET: &str = "lower-case letters, digits and _";

/// The error for a value the shipped defaults of `shipped_path` should have named.
pub(super) fn lacking(shipped_path: &str, what: &str) -> ConfigError {
    ConfigError::new(
        Path::new(shipped_path),
        None,
        format!("the shipped defaults lack {what}"),
    )
}

/// A number within `min..=max`, or an error at the line that wrote it.
pub(super) fn bounded(
    setting: &Sourced<'_, Spanned<u32>>,
    key: &str,
    min: u32,
    max: u32,
    unit: &str,
) -> Result<u32, ConfigError> {
    let v = *setting.value.get_ref();
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(setting.src.at(
            setting.value.span(),
            format!("{key} = {v}: must be {min} to {max} {unit}"),
        ))
    }
}

/// Refuses an empty list (`[[table]]` of `noun`s): a dictionary needs at least one entry.
pub(super) fn non_empty<T>(
    list: &Sourced<'_, Vec<T>>,
    table: &str,
    noun: &str,
) -> Result<(), ConfigError> {
    if list.value.is_empty() {
        return Err(list.src.at_name(
            table,
            format!("the {noun} list is empty: name at least one"),
        ));
    }
    Ok(())
}

/// The codes a dictionary list allows: which characters, and how to name them in an error.
#[derive(Clone, Copy)]
pub(super) struct Alphabet {
    pub allowed: fn(char) -> bool,
    pub name: &'static str,
}

/// Lower-case snake_case codes.
pub(super) const SNAKE: Alphabet = Alphabet {
    allowed: snake_char,
    name: SNAKE_ALPHABET,
};

/// A list entry as the file writes it: a code and its two labels (subcategories,
/// problem types).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub code: Spanned<String>,
    pub zh: Spanned<String>,
    pub en: Spanned<String>,
}

/// A checked code with its labels, and the spans they were written at (for checks that
/// compare entries, such as two names that answer to the same text).
pub(super) struct Entry {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub code_span: Range<usize>,
    pub zh_span: Range<usize>,
    pub en_span: Range<usize>,
}

impl Entry {
    /// What error messages call the entry, e.g. `category '03'`.
    pub fn what(&self, noun: &str) -> String {
        format!("{noun} '{}'", self.code)
    }
}

/// Checks one entry of a list of `noun`s: its code (in `alphabet`, not yet in `seen`; a
/// repeat is refused with `within`, e.g. ` in category '03'`, appended) and its labels.
#[allow(clippy::too_many_arguments)]
pub(super) fn entry(
    src: Src<'_>,
    code_value: Spanned<String>,
    zh: Spanned<String>,
    en: Spanned<String>,
    noun: &str,
    alphabet: Alphabet,
    seen: &mut std::collections::BTreeSet<String>,
    within: &str,
) -> Result<Entry, ConfigError> {
    let (code_text, code_span) = code(
        src,
        code_value,
        &format!("{noun} code"),
        alphabet.allowed,
        alphabet.name,
    )?;
    if !seen.insert(code_text.clone()) {
        return Err(src.at(
            code_span,
            format!("{noun} code '{code_text}' is used twice{within}"),
        ));
    }
    let what = format!("{noun} '{code_text}'");
    let (zh_span, en_span) = (zh.span(), en.span());
    let zh = label(src, zh, &format!("{what} zh"))?;
    let en = label(src, en, &format!("{what} en"))?;
    Ok(Entry {
        code: code_text,
        zh,
        en,
        code_span,
        zh_span,
        en_span,
    })
}
