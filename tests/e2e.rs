//! End-to-end: the real `beatbook` binary in a pseudo-terminal, driven by keys, checked on
//! screen (through a vt100 parser) and in the store afterwards (through `export`).

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-25T09:00:00+08:00";

fn beatbook(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beatbook"));
    cmd.arg("--data")
        .arg(data)
        .env("BEATBOOK_NOW", NOW)
        .env_remove("BEATBOOK_LANG")
        .env_remove("BEATBOOK_DATA");
    cmd
}

/// The app running in a pseudo-terminal, its screen parsed as a terminal would.
struct Tty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tty {
    fn start(data: &Path, lang: &str, cols: u16, rows: u16) -> Tty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_beatbook"));
        cmd.arg("--data");
        cmd.arg(data);
        cmd.arg("--lang");
        cmd.arg(lang);
        cmd.env("BEATBOOK_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("BEATBOOK_LANG");
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

    fn contents(&self) -> String {
        self.screen.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen shows `text` (or fails with the screen as it is).
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("screen never showed {text:?}:\n{}", self.contents());
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Give the app a moment: a lone Esc must not merge with the next key.
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_exit(&mut self) -> bool {
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

fn export(data: &Path) -> Vec<serde_json::Value> {
    let out = beatbook(data).arg("export").output().expect("export runs");
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

fn visits(lines: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    lines.iter().filter(|l| l["kind"] == "visit").collect()
}

#[test]
fn officer_records_the_first_visit_done_and_export_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = beatbook(&data)
        .args(["--lang", "en", "demo"])
        .output()
        .expect("demo");
    assert!(
        demo.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let before = export(&data);
    let done_before: Vec<String> = visits(&before)
        .iter()
        .filter(|v| v["status"] == "done")
        .map(|v| v["meta"]["id"].to_string())
        .collect();

    let mut tty = Tty::start(&data, "zh", 100, 30);
    tty.wait_for("登录");
    tty.send("officer\t");
    tty.send("demo1234\r");
    tty.wait_for("今日回访");
    tty.wait_for("超期未访");
    tty.send("d");
    tty.wait_for("记录已访");
    tty.send("\x1b[C"); // Right: outcome 情况稳定
    tty.wait_for("情况稳定");
    tty.send("\t\t\t"); // method, agreement, notes
    tty.send("双方情绪平稳");
    tty.send("\t+7");
    tty.send("\x13"); // Ctrl-S
    tty.wait_for("已记录");
    tty.wait_for("下次回访 2026-12-02");

    // While the app holds the folder, a second beatbook is told so, in plain words.
    let second = beatbook(&data)
        .args(["--lang", "en", "export"])
        .output()
        .expect("second");
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("in use by another beatbook"), "{err}");

    tty.send("q");
    assert!(
        tty.wait_exit(),
        "app did not quit cleanly:\n{}",
        tty.contents()
    );

    let after = export(&data);
    let all = visits(&after);
    let newly_done: Vec<_> = all
        .iter()
        .filter(|v| v["status"] == "done" && !done_before.contains(&v["meta"]["id"].to_string()))
        .collect();
    assert_eq!(newly_done.len(), 1, "exactly one visit recorded done");
    let done = newly_done[0];
    assert_eq!(done["outcome"], "stable");
    assert_eq!(done["notes"], "双方情绪平稳");
    let next_id = &done["next_visit"];
    let next = all
        .iter()
        .find(|v| &v["meta"]["id"] == next_id)
        .expect("the next visit is in the export");
    assert_eq!(next["status"], "scheduled");
    assert_eq!(next["due"], "2026-12-02");
    assert_eq!(next["subject"], done["subject"]);
    assert!(
        after.iter().all(|l| l.get("password_hash").is_none()),
        "export must not carry password hashes"
    );
}

#[test]
fn wrong_password_then_lockout_message_in_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = beatbook(&data).arg("demo").output().expect("demo");
    assert!(demo.status.success());
    let mut tty = Tty::start(&data, "en", 80, 24);
    tty.wait_for("beatbook login");
    tty.send("officer\twrong-one\r");
    tty.wait_for("wrong password");
    for _ in 0..4 {
        tty.send("wrong-one\r");
    }
    tty.wait_for("locked");
    tty.send("\x1b"); // Esc quits from the login screen
    assert!(tty.wait_exit(), "{}", tty.contents());
}
