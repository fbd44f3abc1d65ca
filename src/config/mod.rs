//! Where things live and the settings a bureau may change. Shipped defaults, overridden
//! by a user file that names only what it changes (helix-style layering); errors name the
//! file, line and key.

pub mod disputes;
mod error;
pub mod findings;
mod layered;
mod paths;
pub mod watch;

pub use disputes::{
    Category, DisputeConfig, FollowUpRhythm, Indicator, RiskRule, Subcategory, TimeLimits,
};
pub use error::{line_of, line_of_table, read_optional, ConfigError};
pub use findings::{FindingsConfig, ProblemType};
pub use paths::Paths;
pub use watch::{WatchCategory, WatchConfig, WatchRhythm, WatchSubcategory};

use crate::rules::lockout::LockoutPolicy;
use serde::Deserialize;
use std::path::Path;

/// Settings with their shipped defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
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

impl Default for Settings {
    fn default() -> Self {
        Settings {
            today_window_days: 7,
            lockout: LockoutPolicy::default(),
            disputes: shipped_disputes(),
            watch: shipped_watch(),
            findings: shipped_findings(),
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

impl Settings {
    /// Every setting: `config.toml` and `disputes.toml` of the configuration folder, each
    /// over its shipped defaults.
    pub fn load_all(paths: &Paths) -> Result<Settings, ConfigError> {
        let mut settings = Settings::load(&paths.settings_file())?;
        settings.disputes = DisputeConfig::load(&paths.disputes_file())?;
        settings.watch = WatchConfig::load(&paths.watch_file())?;
        settings.findings = FindingsConfig::load(&paths.findings_file())?;
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
            if days > 366 {
                return Err(ConfigError::value(
                    path,
                    &text,
                    "window_days",
                    "must be 0..=366",
                ));
            }
            settings.today_window_days = days;
        }
        if let Some(n) = file.login.max_failures {
            if n == 0 {
                return Err(ConfigError::value(
                    path,
                    &text,
                    "max_failures",
                    "must be at least 1",
                ));
            }
            settings.lockout.max_failures = n;
        }
        if let Some(m) = file.login.lock_minutes {
            if m <= 0 {
                return Err(ConfigError::value(
                    path,
                    &text,
                    "lock_minutes",
                    "must be at least 1",
                ));
            }
            settings.lockout.lock_minutes = m;
        }
        Ok(settings)
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
}
