//! `beatbook import persons FILE.csv`: a key-person roster from Excel into the station,
//! as a logged-in officer or chief (roles apply to imports as to the screens).

use super::output::{errln, outln};
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::report::csv_cell;
use crate::service::{ImportOptions, ImportReport};
use crate::store::space;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    what: ImportWhat,
}

#[derive(Debug, clap::Subcommand)]
enum ImportWhat {
    /// Persons (with watch-list categories and levels) from a CSV roster (UTF-8 or GBK)
    Persons(PersonsArgs),
}

#[derive(Debug, clap::Args)]
struct PersonsArgs {
    /// The CSV file (Excel: Save As → CSV)
    file: PathBuf,
    /// Account to import as (password from BEATBOOK_PASSWORD or asked)
    #[arg(long, value_name = "USER")]
    user: String,
    /// Station to import into: must be the user's own (name or code)
    #[arg(long, value_name = "S")]
    station: Option<String>,
    /// Check everything and report, write nothing
    #[arg(long)]
    dry_run: bool,
    /// Import the good rows even if some are rejected
    #[arg(long)]
    partial: bool,
}

/// How many problems are printed; the report file has all of them.
const SHOWN: usize = 20;

pub(crate) fn run(ctx: &Context, args: &ImportArgs) -> Result<(), Failure> {
    let ImportWhat::Persons(a) = &args.what;
    let bytes = std::fs::read(&a.file)
        .map_err(|e| Failure::new(ctx.say(Cli::ImportUnreadable, &[&a.file.display(), &e])))?;
    if !a.dry_run {
        let estimate = (bytes.len() as u64).saturating_mul(space::BYTES_PER_IMPORT_BYTE);
        space::ensure_free(&ctx.paths.store_dir(), estimate)
            .map_err(|e| Failure::store(&e, ctx.lang))?;
    }
    let service = ctx.open_service()?;
    let password = match std::env::var("BEATBOOK_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(ctx.say(Cli::PasswordPrompt, &[&a.user]))
            .map_err(|e| Failure::new(ctx.say(Cli::PasswordUnreadable, &[&e])))?,
    };
    let session = service
        .login_ready(&a.user, &password)
        .map_err(|e| Failure::new(ctx.say(Cli::ImportLogin, &[&a.user, &e.localize(ctx.lang)])))?;
    if let Some(station) = &a.station {
        let own = service
            .stations()
            .map_err(|e| Failure::service(&e, ctx.lang))?
            .into_iter()
            .find(|s| s.meta.id == session.station());
        let matches = own.as_ref().is_some_and(|s| {
            s.name == station.trim() || s.code.eq_ignore_ascii_case(station.trim())
        });
        if !matches {
            return Err(Failure::new(
                ctx.say(Cli::ImportOtherStation, &[&session.station_name()]),
            ));
        }
    }
    let bar = indicatif::ProgressBar::new(0).with_message(ctx.say(Cli::ImportProgress, &[]));
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}") {
        bar.set_style(style);
    }
    let options = ImportOptions {
        dry_run: a.dry_run,
        partial: a.partial,
    };
    let report = service
        .import_persons(&session, &bytes, options, &mut |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .map_err(|e| Failure::service(&e, ctx.lang));
    bar.finish_and_clear();
    let report = report?;
    print_report(ctx, &a.file, &report);
    if !report.rejected.is_empty() {
        let path = report_path(&a.file);
        write_rejected(ctx, &path, &report)?;
        errln!("{}", ctx.say(Cli::ImportReportWritten, &[&path.display()]));
    }
    if a.dry_run {
        outln!("{}", ctx.say(Cli::ImportDryRun, &[]));
        Ok(())
    } else if report.written && report.changed == 0 {
        outln!("{}", ctx.say(Cli::ImportNothingToChange, &[]));
        Ok(())
    } else if report.written {
        outln!("{}", ctx.say(Cli::ImportDone, &[]));
        Ok(())
    } else {
        Err(Failure::new(ctx.say(Cli::ImportNothingWritten, &[])))
    }
}

fn print_report(ctx: &Context, file: &Path, r: &ImportReport) {
    outln!(
        "{}",
        ctx.say(
            Cli::ImportSummary,
            &[
                &file.display(),
                &r.encoding,
                &r.rows,
                &r.created,
                &r.completed,
                &r.unchanged,
                &r.flagged,
                &r.conflicts.len(),
                &r.rejected_rows(),
            ],
        )
    );
    for c in r.conflicts.iter().take(SHOWN) {
        outln!(
            "{}",
            ctx.say(
                Cli::ImportConflictLine,
                &[
                    &c.line,
                    &c.name,
                    &c.field.localize(ctx.lang),
                    &c.on_record.localize(ctx.lang),
                    &c.in_file.localize(ctx.lang)
                ],
            )
        );
    }
    for p in r.rejected.iter().take(SHOWN) {
        let column = p
            .column
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        outln!(
            "{}",
            ctx.say(
                Cli::ImportRejectedLine,
                &[&p.line, &column, &p.problem.localize(ctx.lang)]
            )
        );
    }
    let more = r.rejected.len().saturating_sub(SHOWN);
    if more > 0 {
        outln!("{}", ctx.say(Cli::ImportMoreRejected, &[&more]));
    }
}

/// `roster.csv` → `roster.rejected.csv`, beside it.
fn report_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!("{stem}.rejected.csv"))
}

/// Every rejected row: line, column, problem (in the user's language), UTF-8 with a BOM so
/// Excel opens it right.
fn write_rejected(ctx: &Context, path: &Path, r: &ImportReport) -> Result<(), Failure> {
    let fail = |e: &dyn std::fmt::Display| {
        Failure::new(ctx.say(Cli::ImportUnreadable, &[&path.display(), e]))
    };
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let head = match ctx.lang {
            crate::i18n::Lang::Zh => ["行号", "列", "问题"],
            crate::i18n::Lang::En => ["line", "column", "problem"],
        };
        w.write_record(head).map_err(|e| fail(&e))?;
        // The column names and problems quote the file's own cells: made safe for the
        // spreadsheet the officer opens this in, and for a terminal that shows the file
        // (control and bidi characters written visibly).
        for p in &r.rejected {
            let cells = [
                p.line.to_string(),
                p.column.clone().unwrap_or_default(),
                p.problem.localize(ctx.lang),
            ];
            w.write_record(
                cells
                    .iter()
                    .map(|c| csv_cell(&crate::model::text::visible(c)).into_owned()),
            )
            .map_err(|e| fail(&e))?;
        }
        w.flush().map_err(|e| fail(&e))?;
    }
    std::fs::write(path, out).map_err(|e| fail(&e))
}

/// Tells the user, once, that opening the store undid an import a kill had interrupted
/// (see [`crate::store::ImportJournal`]).
pub(crate) fn tell_undone_import(
    ctx: &Context,
    store: &crate::store::Store,
    tell: &mut Vec<String>,
) {
    match store.take_undone_import() {
        Ok(Some(u)) => {
            let started = u
                .started
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S");
            tell.push(ctx.say(
                Cli::ImportUndone,
                &[&u.rows, &u.actor_name, &started, &u.records],
            ));
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("the notice of an undone import could not be read: {e}"),
    }
}
