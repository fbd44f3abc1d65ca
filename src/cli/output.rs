//! Standard output and error for the commands, safe against a reader that went away.
//!
//! `beatbook check | head -1` closes the pipe after one line. Rust's `println!` panics on
//! the next write (exit 101), and a command whose work was already done — an import
//! saved, a check run — then looked failed. Here a closed pipe only ends the output:
//! the rest has nobody to read it, and the command's exit code says how its work went.
//! Any other write error (a full disk behind `> file`) is remembered and makes the
//! command fail at the end, since the output it promised is not all there.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Set once standard output's reader is gone: later lines are not even formatted.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set once standard error's reader is gone.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error that was not a closed pipe.
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Which stream a write goes to.
#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

/// Writes `args` (plus a newline when `newline`) to standard output.
pub(crate) fn write_out(args: fmt::Arguments<'_>, newline: bool) {
    write_to(Stream::Out, args, newline);
}

/// Writes `args` and a newline to standard error.
pub(crate) fn write_err(args: fmt::Arguments<'_>) {
    write_to(Stream::Err, args, true);
}

fn write_to(stream: Stream, args: fmt::Arguments<'_>, newline: bool) {
    let closed = match stream {
        Stream::Out => &STDOUT_CLOSED,
        Stream::Err => &STDERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let result = match stream {
        Stream::Out => write_line(&mut io::stdout().lock(), args, newline),
        Stream::Err => write_line(&mut io::stderr().lock(), args, newline),
    };
    if let Err(e) = result {
        note_error(&e, closed);
    }
}

/// Every line is made [visible](crate::model::text::visible_multiline) on its way out:
/// a message quoting a name or a cell from a file, a report, a bench line — none can
/// carry an escape sequence or a bidi override to the terminal. (Lines and tabs stay;
/// the `\uXXXX` form keeps a JSON line valid JSON.)
fn write_line(w: &mut dyn Write, args: fmt::Arguments<'_>, newline: bool) -> io::Result<()> {
    let text = args
        .as_str()
        .map(std::borrow::Cow::Borrowed)
        .unwrap_or_else(|| std::borrow::Cow::Owned(args.to_string()));
    w.write_all(crate::model::text::visible_multiline(&text).as_bytes())?;
    if newline {
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// Records a write error of standard output: a closed pipe closes the stream quietly,
/// anything else is kept for [`failure`].
pub(crate) fn stdout_error(e: &io::Error) {
    note_error(e, &STDOUT_CLOSED);
}

/// Whether `e` is a reader that went away.
pub(crate) fn is_closed_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

fn note_error(e: &io::Error, closed: &AtomicBool) {
    closed.store(true, Ordering::Relaxed);
    if is_closed_pipe(e) {
        return;
    }
    tracing::warn!("output: {e}");
    if let Ok(mut failed) = FAILED.lock() {
        failed.get_or_insert_with(|| e.to_string());
    }
}

/// The first output error that was not a closed pipe, if any.
pub(crate) fn failure() -> Option<String> {
    FAILED.lock().ok().and_then(|f| f.clone())
}

/// `println!` for the commands: a closed pipe ends the output quietly.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*), true) };
}

/// `print!` for the commands.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*), false) };
}

/// `eprintln!` for the commands.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::write_err(format_args!($($arg)*)) };
}

pub(crate) use {errln, out, outln};
