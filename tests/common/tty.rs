//! The real `beatbook` binary in a pseudo-terminal, its screen parsed as a terminal would
//! (vt100): the end-to-end tests drive it by keys and read it back. [`E2e`] is their one
//! launcher: the folders of a run, the binary started on them (in a terminal or as a
//! command) and what `export` then says.

use super::bin::BIN;
use super::tui::parse_keys;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The fixed time every end-to-end run starts at (`BEATBOOK_NOW`).
pub const NOW: &str = "2026-11-25T09:00:00+08:00";

/// One end-to-end run: a data folder (not created here: `demo` or the first run makes it)
/// and a config folder, empty unless the test writes to it, given as `XDG_CONFIG_HOME`
/// so that no keymap or settings of the developer's leak in.
pub struct E2e {
    _tmp: tempfile::TempDir,
    pub data: PathBuf,
    pub config: PathBuf,
}

impl E2e {
    pub fn new() -> E2e {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let config = tmp.path().join("config");
        std::fs::create_dir_all(&config).expect("config dir");
        E2e {
            _tmp: tmp,
            data,
            config,
        }
    }

    /// The environment of every start: the fixed time, the run's config folder, and
    /// none of the caller's language or data folder (`None`: removed).
    fn env(&self) -> [(&'static str, Option<&OsStr>); 4] {
        [
            ("BEATBOOK_NOW", Some(OsStr::new(NOW))),
            ("XDG_CONFIG_HOME", Some(self.config.as_os_str())),
            ("BEATBOOK_LANG", None),
            ("BEATBOOK_DATA", None),
        ]
    }

    /// A run whose data folder holds the demo bureau (`demo`, which loads the same data
    /// in every language).
    pub fn with_demo() -> E2e {
        let run = E2e::new();
        let demo = run
            .command()
            .args(["--lang", "en", "demo"])
            .output()
            .expect("demo");
        assert!(
            demo.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&demo.stderr)
        );
        run
    }

    /// `beatbook --data DATA`, to run a command on the run's folders.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("--data").arg(&self.data);
        for (name, value) in self.env() {
            match value {
                Some(value) => cmd.env(name, value),
                None => cmd.env_remove(name),
            };
        }
        cmd
    }

    /// The app on a `cols`×`rows` terminal, in `lang`.
    pub fn tty(&self, lang: &str, cols: u16, rows: u16) -> Tty {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--data");
        cmd.arg(&self.data);
        cmd.arg("--lang");
        cmd.arg(lang);
        for (name, value) in self.env() {
            match value {
                Some(value) => cmd.env(name, value),
                None => cmd.env_remove(name),
            }
        }
        Tty::spawn(cmd, cols, rows)
    }

    /// Every record a full `export` prints, one JSON value each.
    pub fn export(&self) -> Vec<Value> {
        let out = self.command().arg("export").output().expect("export runs");
        assert!(
            out.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

/// The exported records of one kind (`"visit"`, `"person"`, …).
pub fn of_kind<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|l| l["kind"] == kind).collect()
}

/// A running app and its screen.
pub struct Tty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tty {
    /// Starts `cmd` on a `cols`×`rows` terminal (TERM is set here).
    pub fn spawn(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Tty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("parser").process(&buf[..n]);
            }
        });
        Tty {
            screen,
            writer,
            child,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen shows `text`, or fails with the screen as it is.
    pub fn wait_for(&self, text: &str) {
        self.wait_step("waiting", text);
    }

    /// Like [`Tty::wait_for`], naming the step on failure. With `SHOW_SCREENS` set,
    /// prints every screen it waited for.
    pub fn wait_step(&self, step: &str, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.contents().contains(text) {
                if std::env::var_os("SHOW_SCREENS").is_some() {
                    eprintln!("==== {step}\n{}", self.contents());
                }
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{step}: the screen never showed {text:?}:\n{}",
            self.contents()
        );
    }

    /// Whether the screen shows `text` within a short while (for optional screens).
    pub fn shows_soon(&self, text: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(1500) {
            if self.contents().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Presses Tab (next list) until the list headed `title` shows.
    pub fn tab_to(&mut self, step: &str, title: &str) {
        for _ in 0..4 {
            self.send("\t");
            if self.shows_soon(title) {
                return;
            }
        }
        self.wait_step(step, title);
    }

    /// Presses the keys of a key string (`"officer<Tab>demo1234<Enter>"`, read as
    /// [`parse_keys`] reads it for the in-process tests), sent as the bytes a terminal
    /// sends for them. One write, except that an Esc is written alone: it must not run
    /// into the next key as an escape sequence.
    pub fn press(&mut self, keys: &str) {
        let mut pending = String::new();
        for ev in parse_keys(keys) {
            if ev.code == KeyCode::Esc {
                if !pending.is_empty() {
                    self.send(&std::mem::take(&mut pending));
                }
                self.send("\x1b");
            } else {
                pending.push_str(&terminal_bytes(&ev));
            }
        }
        if !pending.is_empty() {
            self.send(&pending);
        }
    }

    /// Writes `bytes` as they are (text typed, or raw terminal input).
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Give the app a moment: a lone Esc must not merge with the next key.
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Presses `q` (quit, from a list) and insists the app ends successfully.
    pub fn quit(&mut self) {
        self.send("q");
        assert!(
            self.wait_exit(),
            "app did not quit cleanly:\n{}",
            self.contents()
        );
    }

    /// Waits for the app to end; true when it ended successfully.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        false
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        // A failed step must not leave the app running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// What an xterm sends for a key: the character, a control byte for Ctrl with a letter,
/// an escape sequence for the named keys. Panics on a key with no such bytes here.
fn terminal_bytes(ev: &KeyEvent) -> String {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match ev.code {
        KeyCode::Char(c) if ctrl && c.is_ascii_alphabetic() => {
            char::from(c.to_ascii_lowercase() as u8 & 0x1f).to_string()
        }
        _ if ctrl => panic!("no terminal bytes for Ctrl with {:?}", ev.code),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "\t".into(),
        KeyCode::BackTab => "\x1b[Z".into(),
        KeyCode::Enter => "\r".into(),
        KeyCode::Esc => "\x1b".into(),
        KeyCode::Backspace => "\x7f".into(),
        KeyCode::Delete => "\x1b[3~".into(),
        KeyCode::Up => "\x1b[A".into(),
        KeyCode::Down => "\x1b[B".into(),
        KeyCode::Right => "\x1b[C".into(),
        KeyCode::Left => "\x1b[D".into(),
        KeyCode::Home => "\x1b[H".into(),
        KeyCode::End => "\x1b[F".into(),
        KeyCode::PageUp => "\x1b[5~".into(),
        KeyCode::PageDown => "\x1b[6~".into(),
        KeyCode::F(n @ 1..=4) => format!("\x1bO{}", char::from(b'P' + n - 1)),
        KeyCode::F(n) => {
            let code = [15, 17, 18, 19, 20, 21, 23, 24][usize::from(n) - 5];
            format!("\x1b[{code}~")
        }
        other => panic!("no terminal bytes for {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(keys: &str) -> String {
        parse_keys(keys).iter().map(terminal_bytes).collect()
    }

    #[test]
    fn key_strings_become_the_bytes_a_terminal_sends() {
        assert_eq!(bytes("officer<Tab>pw<Enter>"), "officer\tpw\r");
        assert_eq!(bytes("<C-s><C-n><Esc>"), "\x13\x0e\x1b");
        assert_eq!(bytes("<Right><Left><Up><Down>"), "\x1b[C\x1b[D\x1b[A\x1b[B");
        assert_eq!(
            bytes("<S-Tab><F1><F5><F12>"),
            "\x1b[Z\x1bOP\x1b[15~\x1b[24~"
        );
        assert_eq!(bytes("张<lt>"), "张<");
    }
}
