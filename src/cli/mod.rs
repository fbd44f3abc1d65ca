//! The command line: global options, logging, settings and store opening, then one
//! subcommand per file. Without a subcommand, the terminal interface starts.
//!
//! Everything a person reads here comes from the `i18n::cli` table (or a `Localize`
//! impl) in the chosen language; diagnostics go to the log file in the data folder, never
//! to the terminal. Exit codes: 0 success, 1 a refused or failed operation, 2 bad usage or
//! configuration.

mod audit;
mod backup;
mod bench;
mod check;
mod demo;
mod export;
mod hub;
mod import;
mod init;
mod memory;
mod output;
mod print;
mod private;
mod report;
mod seed;
pub mod text;
mod usage;

use crate::cli::text::Cli;
use crate::config::{Paths, Settings};
use crate::i18n::{Lang, Localize};
use crate::service::{Clock, FixedClock, Service, ServiceError, SystemClock};
use crate::store::{Store, StoreError};
use crate::tui;
use clap::{Parser, Subcommand};
use output::{errln, outln};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

/// beatbook — disputes, watch list and follow-up visits for community police stations.
///
/// Without a subcommand, opens the terminal interface (the first run offers demo data or
/// setting up the first station).
#[derive(Debug, Parser)]
#[command(name = "beatbook", version)]
struct Args {
    /// Data folder holding the store and the log [default: the platform data folder]
    #[arg(long, global = true, env = "BEATBOOK_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

    /// Language of screens and messages: zh or en [default: from LANG]
    #[arg(long, global = true, env = "BEATBOOK_LANG", value_name = "zh|en")]
    lang: Option<String>,

    /// Keymap: a shipped one (default, vim) or a TOML file
    #[arg(long, global = true, value_name = "NAME|PATH")]
    keymap: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Set up the first station and its administrator
    Init(init::InitArgs),
    /// Fill an empty store with a fictional county bureau to try beatbook out
    Demo,
    /// Write every record as JSON Lines: the portable backup
    Export(export::ExportArgs),
    /// Add synthetic bulk data for benchmarks
    Seed(seed::SeedArgs),
    /// Run the benchmark scenarios on the current store (JSON lines)
    Bench(bench::BenchArgs),
    /// Import a roster from a spreadsheet (CSV, UTF-8 or GBK)
    Import(import::ImportArgs),
    /// The audit log: `audit verify` checks its whole hash chain
    Audit(audit::AuditArgs),
    /// Write a checksummed archive of the whole store
    Backup(backup::BackupArgs),
    /// Replace the store by an archive, verified first; the old data is kept aside
    Restore(backup::RestoreArgs),
    /// Rewrite the store compactly, giving the space it no longer uses back to the disk: verified, audited
    Compact(backup::CompactArgs),
    /// Verify indexes against records and the audit chain (--repair rebuilds indexes)
    Check(check::CheckArgs),
    /// The monthly report of a station or the bureau (Markdown or CSV)
    Report(report::ReportArgs),
    /// Print a paper as PDF: agreement, visit record, register, monthly report
    Print(print::PrintArgs),
    /// The bureau hub (PostgreSQL): init, add-terminal, join, status
    Hub(hub::HubArgs),
    /// One sync round with the hub this folder joined: push changes, pull new ones
    Sync,
}

/// Why the command failed, already in the user's language, and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A refused or failed operation (exit 1).
    pub(crate) fn new(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Bad usage or configuration (exit 2).
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    pub(crate) fn service(e: &ServiceError, lang: Lang) -> Failure {
        tracing::warn!("refused: {e}");
        Failure::new(e.localize(lang))
    }

    pub(crate) fn store(e: &StoreError, lang: Lang) -> Failure {
        tracing::warn!("store: {e}");
        Failure::new(e.localize(lang))
    }
}

/// What every subcommand needs: where things are, the language, settings and clock.
pub(crate) struct Context {
    pub paths: Paths,
    pub lang: Lang,
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
}

impl Context {
    /// Opens the store of the data folder; a folder in use or unwritable is told plainly.
    pub(crate) fn open_store(&self) -> Result<Store, Failure> {
        let mut tell = Vec::new();
        let store = self.open_store_telling(&mut tell);
        print_notices(&tell);
        store
    }

    /// Like [`Context::open_store`], leaving what must be told in `tell`.
    fn open_store_telling(&self, tell: &mut Vec<String>) -> Result<Store, Failure> {
        let store =
            Store::open(&self.paths.store_dir()).map_err(|e| Failure::store(&e, self.lang))?;
        init::ensure_bureau_key(self, &store, tell)?;
        Ok(store)
    }

    pub(crate) fn open_service(&self) -> Result<Service, Failure> {
        let mut tell = Vec::new();
        let service = self.open_service_telling(&mut tell);
        print_notices(&tell);
        service
    }

    /// Like [`Context::open_service`], leaving what must be told in `tell`: the TUI opens
    /// the store behind its login screen and says it once the terminal is given back.
    fn open_service_telling(&self, tell: &mut Vec<String>) -> Result<Service, Failure> {
        let store = self.open_store_telling(tell)?;
        import::tell_undone_import(self, &store, tell);
        Ok(Service::new(
            store,
            Arc::clone(&self.clock),
            self.settings.clone(),
        ))
    }

    /// A table text in the chosen language, placeholders filled.
    pub(crate) fn say(&self, text: Cli, args: &[&dyn std::fmt::Display]) -> String {
        text.fill(self.lang, args)
    }
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args = match Args::try_parse_from(&raw) {
        Ok(args) => args,
        Err(e) => return usage_error(&e, usage::early_lang(&raw)),
    };
    let locale = std::env::var("LANG").ok();
    let lang = Lang::choose(args.lang.as_deref(), locale.as_deref());
    if let Some(tag) = args.lang.as_deref() {
        if Lang::from_tag(tag).is_none() {
            errln!("{}", Cli::UnknownLang.fill(lang, &[&tag]));
        }
    }
    match run(args, lang).and_then(|()| output_complete(lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            errln!("{}{}", Cli::ErrorPrefix.get(lang), failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// A command line clap refused, or `--help` / `--version`. English keeps clap's own
/// text; under zh a usage error is told in Chinese (exit 2) and the English help is
/// followed by a Chinese line pointing to the README.
fn usage_error(e: &clap::Error, lang: Lang) -> ExitCode {
    if lang == Lang::En {
        // clap prints (a closed pipe is swallowed) and picks the exit code.
        e.exit()
    }
    if usage::is_help_or_version(e) {
        if let Err(err) = e.print() {
            output::stdout_error(&err);
        }
        if e.kind() == clap::error::ErrorKind::DisplayHelp {
            outln!();
            outln!("{}", Cli::HelpInChinese.get(lang));
        }
        return ExitCode::SUCCESS;
    }
    errln!("{}{}", Cli::ErrorPrefix.get(lang), usage::describe(e, lang));
    ExitCode::from(2)
}

/// A command whose output could not be written (other than to a reader that closed the
/// pipe) has not done what it said, even if its work was saved.
fn output_complete(lang: Lang) -> Result<(), Failure> {
    match output::failure() {
        Some(e) => Err(Failure::new(Cli::OutputFailed.fill(lang, &[&e]))),
        None => Ok(()),
    }
}

fn run(args: Args, lang: Lang) -> Result<(), Failure> {
    private::restrict_new_files();
    let paths = Paths::resolve(args.data.as_deref());
    let tightened = private::tighten_own_entries(&paths.data_dir);
    init_logging(&paths);
    match tightened {
        Ok(entries) => {
            for (path, mode) in entries {
                let path = path.display();
                tracing::warn!("{path} was mode {mode:o}; now private");
                errln!(
                    "{}",
                    Cli::FolderTightened.fill(lang, &[&path, &format!("{mode:o}")])
                );
            }
        }
        Err(e) => tracing::warn!("data folder permissions not checked: {e}"),
    }
    tracing::info!(
        command = ?args.command,
        data = %paths.data_dir.display(),
        "beatbook {} starting",
        env!("CARGO_PKG_VERSION")
    );
    let settings = Settings::load_all(&paths)
        .map_err(|e| Failure::usage(Cli::ConfigError.fill(lang, &[&e])))?;
    let clock = clock_from_env(lang)?;
    let ctx = Context {
        paths,
        lang,
        settings,
        clock,
    };
    let result = match args.command {
        None => run_tui(&ctx, args.keymap),
        Some(Command::Init(a)) => init::run(&ctx, &a),
        Some(Command::Demo) => demo::run(&ctx),
        Some(Command::Export(a)) => export::run(&ctx, &a),
        Some(Command::Seed(a)) => seed::run(&ctx, &a),
        Some(Command::Bench(a)) => bench::run(&ctx, &a),
        Some(Command::Import(a)) => import::run(&ctx, &a),
        Some(Command::Audit(a)) => audit::run(&ctx, &a),
        Some(Command::Backup(a)) => backup::backup(&ctx, &a),
        Some(Command::Restore(a)) => backup::restore(&ctx, &a),
        Some(Command::Compact(a)) => backup::compact(&ctx, &a),
        Some(Command::Check(a)) => check::run(&ctx, &a),
        Some(Command::Report(a)) => report::run(&ctx, &a),
        Some(Command::Print(a)) => print::run(&ctx, &a),
        Some(Command::Hub(a)) => hub::run(&ctx, &a),
        Some(Command::Sync) => hub::sync(&ctx),
    };
    if let Err(f) = &result {
        tracing::error!("failed: {}", f.message);
    }
    result
}

fn run_tui(ctx: &Context, keymap: Option<String>) -> Result<(), Failure> {
    let keymap = tui::load_keymap(keymap.as_deref(), &ctx.paths)
        .map_err(|e| Failure::usage(Cli::ConfigError.fill(ctx.lang, &[&e])))?;
    // The store opens behind the login screen (see `tui::opening`); what opening it had
    // to tell is said once the terminal is given back.
    let mut tell = Vec::new();
    memory::one_heap();
    let open = || {
        let service = ctx.open_service_telling(&mut tell)?;
        // Still behind the login screen: the first write's cost is paid here.
        if let Err(e) = service.store().settle() {
            tracing::warn!("store not settled after opening: {e}");
        }
        Ok(service)
    };
    let ended = tui::run(open, ctx.lang, keymap);
    print_notices(&tell);
    ended.map_err(|e| {
        tracing::error!("tui: {e:#}");
        Failure::new(ctx.say(Cli::TuiFailed, &[&format!("{e:#}")]))
    })?
}

/// Says on standard error what opening the store had to tell.
fn print_notices(tell: &[String]) {
    for line in tell {
        output::errln!("{line}");
    }
}

/// `BEATBOOK_NOW` (hidden, for demos and tests) stops the clock at a given instant.
fn clock_from_env(lang: Lang) -> Result<Arc<dyn Clock>, Failure> {
    match std::env::var("BEATBOOK_NOW") {
        Ok(s) if !s.trim().is_empty() => match FixedClock::parse(&s) {
            Some(clock) => {
                tracing::info!("clock fixed at {} (BEATBOOK_NOW)", clock.0);
                Ok(Arc::new(clock))
            }
            None => Err(Failure::usage(Cli::BadNow.fill(lang, &[&s]))),
        },
        _ => Ok(Arc::new(SystemClock)),
    }
}

/// Sends `tracing` output to the log file in the data folder. When the folder cannot be
/// written, logging is skipped: opening the store reports that problem in plain words.
fn init_logging(paths: &Paths) {
    if std::fs::create_dir_all(&paths.data_dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(paths.log_file())
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BEATBOOK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(QuietLog(file)))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}

/// The log file, written on a best-effort basis: a log line that cannot be written (a
/// full disk) is dropped rather than reported, because tracing would report it on
/// standard error in its own English words, over the command's message that says what
/// happened and what to do.
struct QuietLog(std::fs::File);

impl std::io::Write for QuietLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// Pads `s` with spaces to `width` terminal columns (Chinese characters take two).
pub(crate) fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Prints the well-known accounts after `demo` or `seed` created them.
pub(crate) fn print_accounts(ctx: &Context, accounts: &[crate::demo::DemoAccount]) {
    outln!(
        "{}",
        ctx.say(Cli::AccountsHeader, &[&crate::demo::DEMO_PASSWORD])
    );
    for a in accounts {
        outln!(
            "  {}{}{}  {}",
            pad(&a.username, 12),
            pad(&a.role.localize(ctx.lang), 12),
            pad(&a.display_name, 22),
            a.station_name
        );
    }
}
