//! The folders beatbook uses.

use std::path::{Path, PathBuf};

/// Data and configuration locations for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// The data folder (`--data`, `BEATBOOK_DATA`, or the platform data dir).
    pub data_dir: PathBuf,
    /// Where user configuration (`config.toml`, `keymap.toml`) is read from.
    pub config_dir: PathBuf,
}

impl Paths {
    /// Resolves the folders; `data` is the explicit choice, if any.
    pub fn resolve(data: Option<&Path>) -> Paths {
        let dirs = directories::ProjectDirs::from("", "", "beatbook");
        let data_dir = match data {
            Some(d) => d.to_path_buf(),
            None => dirs
                .as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .unwrap_or_else(|| PathBuf::from("beatbook-data")),
        };
        let config_dir = dirs
            .as_ref()
            .map(|d| d.config_dir().to_path_buf())
            .unwrap_or_else(|| data_dir.join("config"));
        Paths {
            data_dir,
            config_dir,
        }
    }

    /// The sled store inside the data folder.
    pub fn store_dir(&self) -> PathBuf {
        self.data_dir.join("store")
    }

    /// The diagnostics log (never the terminal while the TUI owns it).
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("beatbook.log")
    }

    /// The user's settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The bureau's dispute dictionaries, risk rules and time limits.
    pub fn disputes_file(&self) -> PathBuf {
        self.config_dir.join("disputes.toml")
    }

    /// The bureau's watch-list categories, rhythms and review intervals.
    pub fn watch_file(&self) -> PathBuf {
        self.config_dir.join("watch.toml")
    }

    /// The bureau's problem types of supervision findings.
    pub fn findings_file(&self) -> PathBuf {
        self.config_dir.join("findings.toml")
    }

    /// The bureau's wording and fonts of printed papers.
    pub fn paper_file(&self) -> PathBuf {
        self.config_dir.join("paper.toml")
    }

    /// The user's keymap overrides.
    pub fn user_keymap_file(&self) -> PathBuf {
        self.config_dir.join("keymap.toml")
    }
}
