//! Configuration errors that point at the file, line and problem.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a configuration or keymap file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: &Path, line: Option<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    pub fn io(file: &Path, e: &std::io::Error) -> ConfigError {
        use beatbook_i18n::{io::IoReason, Lang, Localize};
        // Configuration problems are told in English, like the TOML parser's own.
        let reason = IoReason(e).localize(Lang::En);
        ConfigError::new(file, None, format!("cannot read: {reason}"))
    }

    /// From a TOML parse/deserialise error, with its span turned into a line number.
    pub fn toml(file: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
        let line = e.span().map(|s| line_of(text, s.start));
        ConfigError::new(file, line, e.message().trim().to_string())
    }

    /// A value that parsed but is not allowed; the line is that of the first `key =`.
    pub fn value(file: &Path, text: &str, key: &str, problem: &str) -> ConfigError {
        let line = line_of_key(text, key);
        ConfigError::new(file, line, format!("{key}: {problem}"))
    }
}

/// The text of an optional user file: `None` when it does not exist (the defaults apply),
/// an error naming the file when it exists but cannot be read.
pub fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::io(path, &e)),
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// 1-based line of a `[table]` header.
pub fn line_of_table(text: &str, table: &str) -> Option<usize> {
    let header = format!("[{table}]");
    text.lines().position(|l| l.trim() == header).map(|i| i + 1)
}

/// 1-based line of the first line assigning `key`.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}
