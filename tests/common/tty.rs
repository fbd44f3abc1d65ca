//! The real `beatbook` binary in a pseudo-terminal, its screen parsed as a terminal would
//! (vt100): the end-to-end tests drive it by keys and read it back.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Give the app a moment: a lone Esc must not merge with the next key.
        std::thread::sleep(Duration::from_millis(100));
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
