//! Keymaps in yazi's format: one table per mode, each binding
//! `{ on = ["g", "g"], run = "top", desc = "Go to top", desc_zh = "到顶部" }`.
//!
//! Layers: the shipped base (`default` or `vim`, compiled in from `keymaps/`), then a
//! `--keymap PATH` file, then the user's `keymap.toml` in the config dir. A later layer
//! overrides only the key sequences it names (`run = "noop"` unbinds one). Errors name the
//! file, the line and what is wrong. The help overlay is generated from the result, so it
//! cannot drift from the bindings.

use crate::action::Action;
use beatbook_core::config::ConfigError;
use beatbook_i18n::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod key;

pub use key::Key;

/// The shipped keymaps, by name.
const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// Where keys are read: each screen state has its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Consulted after the current mode's table in every mode but text entry.
    Global,
    Setup,
    Login,
    Today,
    Filter,
    Detail,
    Form,
    Confirm,
    Help,
    Register,
    Dispute,
    Person,
    Guard,
    Watch,
    /// The month's statistics (chiefs, supervisors).
    Statistics,
    /// The administrator's stations and accounts.
    Admin,
    /// The audit viewer.
    Audit,
    /// The supervisor's list of supervision findings.
    Findings,
    /// One finding with its history, over the current screen.
    Finding,
    /// issue 10 — the resident register (persons of the station).
    Residents,
    /// issue 14 — conflicts from the hub.
    Conflicts,
}

impl Mode {
    pub const ALL: [Mode; 21] = [
        Mode::Global,
        Mode::Setup,
        Mode::Login,
        Mode::Today,
        Mode::Filter,
        Mode::Detail,
        Mode::Form,
        Mode::Confirm,
        Mode::Help,
        Mode::Register,
        Mode::Dispute,
        Mode::Person,
        Mode::Guard,
        Mode::Watch,
        Mode::Findings,
        Mode::Finding,
        Mode::Audit,
        Mode::Admin,
        Mode::Statistics,
        Mode::Residents,
        Mode::Conflicts,
    ];

    fn table_name(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Setup => "setup",
            Mode::Login => "login",
            Mode::Today => "today",
            Mode::Filter => "filter",
            Mode::Detail => "detail",
            Mode::Form => "form",
            Mode::Confirm => "confirm",
            Mode::Help => "help",
            Mode::Register => "register",
            Mode::Dispute => "dispute",
            Mode::Person => "person",
            Mode::Guard => "guard",
            Mode::Watch => "watch",
            Mode::Findings => "findings",
            Mode::Finding => "finding",
            Mode::Audit => "audit",
            Mode::Admin => "admin",
            Mode::Statistics => "statistics",
            Mode::Residents => "residents",
            Mode::Conflicts => "conflicts",
        }
    }

    fn from_table_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.table_name() == name)
    }

    /// Text-entry modes take printable keys as input, so global single-key bindings must
    /// not fire there.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Login | Mode::Filter | Mode::Form)
    }
}

/// One resolved binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    desc_en: Option<String>,
    desc_zh: Option<String>,
}

impl Binding {
    /// The help text in `lang`: the keymap's own description, else the action's.
    pub fn describe(&self, lang: Lang) -> String {
        let own = match lang {
            Lang::Zh => self.desc_zh.as_ref().or(self.desc_en.as_ref()),
            Lang::En => self.desc_en.as_ref(),
        };
        own.cloned()
            .unwrap_or_else(|| self.action.describe(lang).to_string())
    }

    /// `g g`, `Ctrl-s`, …
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The result of feeding one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The key starts a longer sequence: wait for the next one.
    Pending,
    None,
}

/// The resolved keymap.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    tables: BTreeMap<Mode, Vec<Binding>>,
    pending: Vec<Key>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    keymap: Vec<toml::Spanned<RawBinding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: OnKeys,
    run: String,
    #[serde(default)]
    desc: Option<String>,
    #[serde(default)]
    desc_zh: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OnKeys {
    One(String),
    Seq(Vec<String>),
}

impl Keymap {
    /// Builds the keymap: the base named by `choice` (a shipped name or a file path, which
    /// is layered over `default`), then the user file if it exists.
    pub fn load(choice: Option<&str>, user_file: Option<&Path>) -> Result<Keymap, ConfigError> {
        let mut keymap = Keymap::default();
        let choice = choice.unwrap_or("default");
        match SHIPPED.iter().find(|(name, _)| *name == choice) {
            Some((name, text)) => {
                if *name != "default" {
                    keymap.layer(&shipped_path("default"), shipped_text("default"))?;
                }
                keymap.layer(&shipped_path(name), text)?;
            }
            None => {
                let path = PathBuf::from(choice);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    ConfigError::new(
                        &path,
                        None,
                        format!("cannot read keymap ({e}); shipped keymaps are: default, vim"),
                    )
                })?;
                keymap.layer(&shipped_path("default"), shipped_text("default"))?;
                keymap.layer(&path, &text)?;
            }
        }
        if let Some(user) = user_file {
            if let Some(text) = beatbook_core::config::read_optional(user)? {
                keymap.layer(user, &text)?;
            }
        }
        Ok(keymap)
    }

    /// The shipped default keymap alone (tests, benchmarks).
    pub fn shipped_default() -> Result<Keymap, ConfigError> {
        Keymap::load(None, None)
    }

    /// Adds one file's bindings over what is there.
    fn layer(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let tables: BTreeMap<String, toml::Spanned<RawTable>> =
            toml::from_str(text).map_err(|e| ConfigError::toml(path, text, &e))?;
        for (name, table) in tables {
            let line = beatbook_core::config::line_of_table(text, &name);
            let mode = Mode::from_table_name(&name).ok_or_else(|| {
                ConfigError::new(
                    path,
                    line,
                    format!(
                        "unknown mode [{name}]; modes are: {}",
                        Mode::ALL.map(Mode::table_name).join(", ")
                    ),
                )
            })?;
            for spanned in table.into_inner().keymap {
                let line = Some(beatbook_core::config::line_of(text, spanned.span().start));
                let raw = spanned.into_inner();
                let action = Action::from_name(raw.run.trim()).ok_or_else(|| {
                    ConfigError::new(
                        path,
                        line,
                        format!(
                            "unknown action '{}'; actions are: {}",
                            raw.run,
                            Action::ALL
                                .iter()
                                .map(|a| a.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?;
                let names = match raw.on {
                    OnKeys::One(s) => vec![s],
                    OnKeys::Seq(v) => v,
                };
                if names.is_empty() {
                    return Err(ConfigError::new(path, line, "`on` names no key"));
                }
                let keys = names
                    .iter()
                    .map(|k| Key::parse(k))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| ConfigError::new(path, line, e))?;
                let bindings = self.tables.entry(mode).or_default();
                bindings.retain(|b| b.keys != keys);
                if action != Action::Noop {
                    bindings.push(Binding {
                        keys,
                        action,
                        desc_en: raw.desc,
                        desc_zh: raw.desc_zh,
                    });
                }
            }
        }
        Ok(())
    }

    /// Feeds one key in `mode`; handles multi-key sequences. Global bindings apply in
    /// every mode, after the mode's own (single printable keys excepted in text modes).
    pub fn feed(&mut self, mode: Mode, key: Key) -> Lookup {
        self.pending.push(key);
        let mut any_prefix = false;
        for table in [mode, Mode::Global] {
            let Some(bindings) = self.tables.get(&table) else {
                continue;
            };
            for b in bindings {
                if table == Mode::Global
                    && mode.takes_text()
                    && b.keys.len() == 1
                    && b.keys[0].typed_char().is_some()
                {
                    continue;
                }
                if b.keys == self.pending {
                    self.pending.clear();
                    return Lookup::Action(b.action);
                }
                if b.keys.len() > self.pending.len() && b.keys.starts_with(&self.pending) {
                    any_prefix = true;
                }
            }
        }
        if any_prefix
            && !(mode.takes_text() && self.pending.len() == 1 && key.typed_char().is_some())
        {
            return Lookup::Pending;
        }
        let had_prefix = self.pending.len() > 1;
        self.pending.clear();
        if had_prefix {
            // An abandoned sequence: read the last key on its own.
            return self.feed(mode, key);
        }
        Lookup::None
    }

    /// Forgets a half-typed sequence (on mode changes).
    pub fn reset(&mut self) {
        self.pending.clear();
    }

    /// Bindings shown by the help overlay for `mode`: the mode's own, then global ones.
    pub fn help(&self, mode: Mode) -> Vec<(String, String)> {
        self.help_bindings(mode)
            .map(|b| (b.keys_label(), b.describe(Lang::En)))
            .collect()
    }

    /// Bindings of `mode` then the global ones.
    pub fn help_bindings(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        let own = self.tables.get(&mode).into_iter().flatten();
        let global = if mode == Mode::Global {
            None
        } else {
            self.tables.get(&Mode::Global)
        };
        own.chain(global.into_iter().flatten())
    }

    /// The first key label bound to `action` in `mode` (or globally), for on-screen hints.
    pub fn key_for(&self, mode: Mode, action: Action) -> Option<String> {
        self.help_bindings(mode)
            .find(|b| b.action == action)
            .map(Binding::keys_label)
    }
}

fn shipped_path(name: &str) -> PathBuf {
    PathBuf::from(format!("keymaps/{name}.toml"))
}

fn shipped_text(name: &str) -> &'static str {
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn ev(code: KeyCode, mods: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, mods)).expect("key")
    }

    #[test]
    fn shipped_keymaps_load() {
        let k = Keymap::load(None, None).expect("default loads");
        assert!(k.key_for(Mode::Today, Action::VisitDone).is_some());
        Keymap::load(Some("vim"), None).expect("vim loads");
    }

    #[test]
    fn key_notation() {
        assert_eq!(
            Key::parse("<C-s>"),
            Ok(ev(KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Key::parse("<S-Tab>"),
            Ok(ev(KeyCode::BackTab, KeyModifiers::SHIFT))
        );
        assert_eq!(
            Key::parse("G"),
            Ok(ev(KeyCode::Char('G'), KeyModifiers::SHIFT))
        );
        assert_eq!(
            Key::parse("<F2>"),
            Ok(ev(KeyCode::F(2), KeyModifiers::NONE))
        );
        assert!(Key::parse("<Hyper-x>").is_err());
        assert!(Key::parse("<F13>").is_err());
    }

    #[test]
    fn sequences_and_fallback() {
        let dir = tempfile::tempdir().expect("tempdir");
        let user = dir.path().join("keymap.toml");
        std::fs::write(
            &user,
            "[today]\nkeymap = [ { on = [\"g\", \"g\"], run = \"top\" }, { on = \"x\", run = \"noop\" } ]\n",
        )
        .expect("write");
        let mut k = Keymap::load(None, Some(&user)).expect("loads");
        let g = ev(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(k.feed(Mode::Today, g), Lookup::Pending);
        assert_eq!(k.feed(Mode::Today, g), Lookup::Action(Action::Top));
        // x was unbound by the user file; F3 still marks missed.
        assert_eq!(
            k.feed(Mode::Today, ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Lookup::None
        );
        assert_eq!(
            k.feed(Mode::Today, ev(KeyCode::F(3), KeyModifiers::NONE)),
            Lookup::Action(Action::VisitMissed)
        );
        // g then j: the abandoned sequence falls back to j alone.
        assert_eq!(k.feed(Mode::Today, g), Lookup::Pending);
        assert_eq!(
            k.feed(Mode::Today, ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Lookup::Action(Action::Down)
        );
    }

    #[test]
    fn printable_global_keys_do_not_fire_in_text_modes() {
        let mut k = Keymap::shipped_default().expect("loads");
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(k.feed(Mode::Form, q), Lookup::None);
        assert_eq!(k.feed(Mode::Today, q), Lookup::Action(Action::Quit));
    }

    #[test]
    fn bad_files_name_line_and_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "[today]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"k\", run = \"fly\" },\n]\n",
        )
        .expect("write");
        let e = Keymap::load(Some(path.to_str().expect("utf8")), None).expect_err("unknown action");
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("fly"), "{e}");
        std::fs::write(
            &path,
            "[today]\nkeymap = [ { on = \"<Hyper-j>\", run = \"down\" } ]\n",
        )
        .expect("write");
        let e = Keymap::load(Some(path.to_str().expect("utf8")), None).expect_err("bad key");
        assert_eq!(e.line, Some(2));
        std::fs::write(&path, "[today\nkeymap = []\n").expect("write");
        let e = Keymap::load(Some(path.to_str().expect("utf8")), None).expect_err("unparsable");
        assert_eq!(e.line, Some(1));
        std::fs::write(&path, "[todya]\nkeymap = []\n").expect("write");
        let e = Keymap::load(Some(path.to_str().expect("utf8")), None).expect_err("unknown mode");
        assert_eq!(e.line, Some(1));
        let e = Keymap::load(Some("/nonexistent/keymap.toml"), None).expect_err("missing");
        assert!(e.message.contains("default, vim"), "{e}");
    }
}
