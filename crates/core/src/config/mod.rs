//! Where things live and the settings a bureau may change. Shipped defaults, overridden
//! by a user file that names only what it changes (helix-style layering); errors name the
//! file, line and key.

/// Makes `$t` a layered dictionary (`disputes.toml`, `watch.toml`, `findings.toml`): the
/// invoking module defines `RawFile` (the file as TOML reads it), `SHIPPED_PATH`,
/// `SHIPPED_TEXT` and `fn build(layers)`; this gives the type the loading functions every
/// dictionary offers, each a call into [`layered`] — one source for their contract.
macro_rules! dictionary {
    ($t:ty) => {
        /// One parsed file of this dictionary.
        type Layer<'a> = super::layered::Layer<'a, RawFile>;

        /// Merges the layers (shipped first) and checks the result.
        impl super::layered::Dictionary for $t {
            type Raw = RawFile;
            const SHIPPED_PATH: &'static str = SHIPPED_PATH;
            const SHIPPED_TEXT: &'static str = SHIPPED_TEXT;

            fn build(layers: Vec<Layer<'_>>) -> Result<$t, ConfigError> {
                build(layers)
            }
        }

        impl $t {
            /// The embedded defaults.
            pub fn shipped() -> Result<$t, ConfigError> {
                super::layered::shipped()
            }

            /// The defaults, then `user_file` if it exists (see the module comment for
            /// what a user file replaces).
            pub fn load(user_file: &Path) -> Result<$t, ConfigError> {
                super::layered::load(user_file)
            }

            /// The defaults with `text` layered on top as if read from `path` (tests, and
            /// callers that already hold the file's text).
            pub fn with_user_text(path: &Path, text: &str) -> Result<$t, ConfigError> {
                super::layered::with_user_text(path, text)
            }
        }
    };
}

pub mod disputes;
mod error;
pub mod findings;
mod layered;
pub mod paper;
mod paths;
pub mod watch;

pub use disputes::{
    Category, DisputeConfig, FollowUpRhythm, Indicator, RiskRule, Subcategory, TimeLimits,
};
pub use error::{line_of, line_of_table, read_optional, ConfigError};
pub use findings::{FindingsConfig, ProblemType};
pub use paper::{PaperConfig, RegisterColumn};
pub use paths::Paths;
pub use watch::{WatchCategory, WatchConfig, WatchRhythm, WatchSubcategory};

use serde::Deserialize;
use std::path::Path;

/// Settings with their shipped defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// How many days ahead Today looks (after overdue and due-today visits).
    pub today_window_days: u32,
    pub lockout: LockoutPolicy,
    /// Dispute dictionaries, risk rules, rhythms and time limits (`disputes.toml`).
    pub disputes: DisputeConfig,
    /// Watch-list categories, visit rhythms and review intervals (`watch.toml`).
    pub watch: WatchConfig,
    /// Problem types of supervision findings (`findings.toml`).
    pub findings: FindingsConfig,
    /// The wording and fonts of printed papers (`paper.toml`).
    pub paper: PaperConfig,
}

/// The dispute defaults compiled into the binary. They are not user input: the tests of
/// `config::disputes` parse them, so a failure here is a build mistake.
fn shipped_disputes() -> DisputeConfig {
    DisputeConfig::shipped().expect("shipped dispute defaults parse") // ok: embedded, tested
}

/// The findings dictionary compiled into the binary (tested like the dispute ones).
fn shipped_findings() -> FindingsConfig {
    FindingsConfig::shipped().expect("shipped findings defaults parse") // ok: embedded, tested
}

/// The watch-list defaults compiled into the binary (tested like the dispute ones).
fn shipped_watch() -> WatchConfig {
    WatchConfig::shipped().expect("shipped watch defaults parse") // ok: embedded, tested
}

/// The paper wording compiled into the binary (tested like the dispute ones).
fn shipped_paper() -> PaperConfig {
    PaperConfig::shipped().expect("shipped paper defaults parse") // ok: embedded, tested
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            today_window_days: 7,
            lockout: LockoutPolicy::default(),
            disputes: shipped_disputes(),
            watch: shipped_watch(),
            findings: shipped_findings(),
            paper: shipped_paper(),
        }
    }
}

/// The user file's shape: every key optional, unknown keys refused (a typo must not be
/// silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    #[serde(default)]
    today: TodaySection,
    #[serde(default)]
    login: LoginSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TodaySection {
    window_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginSection {
    max_failures: Option<u32>,
    lock_minutes: Option<i64>,
}

/// Allowed values of a number in `config.toml`, with the unit the message names.
struct Bounds<T> {
    min: T,
    max: T,
    unit: &'static str,
}

/// Today looks at most a year ahead.
const WINDOW_DAYS: Bounds<u32> = Bounds {
    min: 0,
    max: 366,
    unit: "days",
};
/// At least one failed login locks; more than 100 would be no lock at all.
const MAX_FAILURES: Bounds<u32> = Bounds {
    min: 1,
    max: 100,
    unit: "failed logins",
};
/// A lock lasts a minute to a day: longer locks an officer out of a whole shift (and a
/// huge number used to overflow the lock's end time).
const LOCK_MINUTES: Bounds<i64> = Bounds {
    min: 1,
    max: 1440,
    unit: "minutes",
};

/// `value` when within `bounds`; else an error naming the file, the line of `key`, the
/// value and the allowed range, as the other configuration files' errors do.
fn within<T: PartialOrd + Copy + std::fmt::Display>(
    path: &Path,
    text: &str,
    key: &str,
    value: T,
    bounds: Bounds<T>,
) -> Result<T, ConfigError> {
    if value >= bounds.min && value <= bounds.max {
        return Ok(value);
    }
    Err(ConfigError::new(
        path,
        error::line_of_key(text, key),
        format!(
            "{key} = {value}: must be {} to {} {}",
            bounds.min, bounds.max, bounds.unit
        ),
    ))
}

impl Settings {
    /// Every setting: `config.toml`, `disputes.toml`, `watch.toml` and `findings.toml` of
    /// the configuration folder, each over its shipped defaults.
    pub fn load_all(paths: &Paths) -> Result<Settings, ConfigError> {
        let mut settings = Settings::load(&paths.settings_file())?;
        settings.disputes = DisputeConfig::load(&paths.disputes_file())?;
        settings.watch = WatchConfig::load(&paths.watch_file())?;
        settings.findings = FindingsConfig::load(&paths.findings_file())?;
        settings.paper = PaperConfig::load(&paths.paper_file())?;
        Ok(settings)
    }

    /// Defaults overridden by `path` when it exists.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let mut settings = Settings::default();
        let Some(text) = read_optional(path)? else {
            return Ok(settings);
        };
        let file: SettingsFile =
            toml::from_str(&text).map_err(|e| ConfigError::toml(path, &text, &e))?;
        if let Some(days) = file.today.window_days {
            settings.today_window_days = within(path, &text, "window_days", days, WINDOW_DAYS)?;
        }
        if let Some(n) = file.login.max_failures {
            settings.lockout.max_failures = within(path, &text, "max_failures", n, MAX_FAILURES)?;
        }
        if let Some(m) = file.login.lock_minutes {
            settings.lockout.lock_minutes = within(path, &text, "lock_minutes", m, LOCK_MINUTES)?;
        }
        Ok(settings)
    }
}

/// How many wrong passwords lock an account, and for how long (`[login]` in
/// `config.toml`); what a wrong password then does is `rules::lockout`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_minutes: i64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            lock_minutes: 15,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_file_overrides_only_what_it_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        assert_eq!(Settings::load(&path).ok(), Some(Settings::default()));
        std::fs::write(&path, "[today]\nwindow_days = 14\n").expect("write");
        let s = Settings::load(&path).expect("loads");
        assert_eq!(s.today_window_days, 14);
        assert_eq!(s.lockout, LockoutPolicy::default());
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[today]\nwindow_days = 14\n\n[login]\nmax_failure = 3\n",
        )
        .expect("write");
        let e = Settings::load(&path).expect_err("typo refused");
        assert_eq!(e.line, Some(5));
        assert!(e.to_string().contains("config.toml"), "{e}");
        std::fs::write(&path, "[login]\nlock_minutes = 0\n").expect("write");
        let e = Settings::load(&path).expect_err("zero refused");
        assert_eq!(e.line, Some(2));
    }

    /// Issue 11: every number of `config.toml` is bounded, and the error names the file,
    /// the line, the value and the allowed range.
    #[test]
    fn out_of_range_numbers_are_refused_with_the_allowed_range() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        for (text, line, range) in [
            (
                "[login]\nlock_minutes = 99999999999999\n",
                2,
                "1 to 1440 minutes",
            ),
            ("[login]\nlock_minutes = -5\n", 2, "1 to 1440 minutes"),
            (
                "[login]\n\nmax_failures = 1000\n",
                3,
                "1 to 100 failed logins",
            ),
            ("[login]\nmax_failures = 0\n", 2, "1 to 100 failed logins"),
            ("[today]\nwindow_days = 400\n", 2, "0 to 366 days"),
        ] {
            std::fs::write(&path, text).expect("write");
            let e = Settings::load(&path).expect_err(text);
            assert_eq!(e.line, Some(line), "{text}");
            let message = e.to_string();
            assert!(message.contains(range), "{text}: {message}");
            assert!(message.contains("config.toml"), "{message}");
        }
        std::fs::write(&path, "[login]\nlock_minutes = 1440\nmax_failures = 100\n").expect("write");
        let s = Settings::load(&path).expect("the largest allowed values load");
        assert_eq!(
            (s.lockout.lock_minutes, s.lockout.max_failures),
            (1440, 100)
        );
    }
}
