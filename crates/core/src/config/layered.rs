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
