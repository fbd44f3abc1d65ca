//! `beatbook report`: the monthly report of a station or the bureau, as Markdown or CSV,
//! on standard output or into a file (written to `FILE.tmp`, then renamed).

use super::output::{errln, out};
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::report::{Format, Month};
use crate::service::ServiceError;
use std::io::Write;
use std::path::PathBuf;

/// Years a report may cover: beatbook holds no records before 2000, and a year past 2100
/// is a typo (`20266-11`), not a month to count.
const REPORT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Md,
    Csv,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The month, e.g. 2026-11 (this month or an earlier one)
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    /// One station, by code or name; without it, every station ranked by overdue items
    #[arg(long, value_name = "CODE")]
    station: Option<String>,
    /// md (Markdown) or csv (one figure a line, for spreadsheets)
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Write to FILE instead of standard output (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Report as this account (chief: own station; supervisor: any, or the bureau),
    /// password from BEATBOOK_PASSWORD or asked; without it, the data folder's own report
    #[arg(long, value_name = "USER")]
    user: Option<String>,
}

pub(crate) fn run(ctx: &Context, args: &ReportArgs) -> Result<(), Failure> {
    let month = Month::parse(&args.month)
        .ok_or_else(|| Failure::usage(ctx.say(Cli::ReportBadMonth, &[&args.month])))?;
    if !REPORT_YEARS.contains(&month.year()) {
        return Err(Failure::usage(
            ctx.say(Cli::ReportMonthYear, &[&args.month.trim()]),
        ));
    }
    let format = match args.format {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Csv => Format::Csv,
    };
    let service = ctx.open_service()?;
    let station = station_arg(ctx, &service, args.station.as_deref())?;
    let text = match &args.user {
        Some(user) => {
            let password = match std::env::var("BEATBOOK_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(ctx.say(Cli::PasswordPrompt, &[user]))
                    .map_err(|e| Failure::new(ctx.say(Cli::PasswordUnreadable, &[&e])))?,
            };
            let session = service.login_ready(user, &password).map_err(|e| {
                Failure::new(ctx.say(Cli::ImportLogin, &[user, &e.localize(ctx.lang)]))
            })?;
            service.monthly_report(&session, station, month, format, ctx.lang)
        }
        None => service.monthly_report_of_folder(station, month, format, ctx.lang),
    }
    .map_err(|e| match e {
        ServiceError::UnknownStation(_) => Failure::usage(e.localize(ctx.lang)),
        e => Failure::service(&e, ctx.lang),
    })?;
    match &args.out {
        None => out!("{text}"),
        Some(path) if path.as_os_str() == "-" => out!("{text}"),
        Some(path) => {
            let mut staged = super::export::stage_output(ctx, path)?;
            let written = staged
                .file()
                .map_err(|e| e.localize(ctx.lang))
                .and_then(|f| f.write_all(text.as_bytes()).map_err(|e| e.to_string()));
            if let Err(e) = written {
                staged.abandon();
                return Err(Failure::new(
                    ctx.say(Cli::CannotWrite, &[&path.display(), &e]),
                ));
            }
            staged
                .commit()
                .map_err(|e| Failure::new(e.localize(ctx.lang)))?;
            errln!("{}", ctx.say(Cli::ExportWritten, &[&path.display()]));
        }
    }
    Ok(())
}

/// The station `--station` names (code or name), or None without it; an unknown one is a
/// usage error (exit 2).
pub(crate) fn station_arg(
    ctx: &Context,
    service: &crate::service::Service,
    station: Option<&str>,
) -> Result<Option<crate::model::Id>, Failure> {
    let Some(s) = station else {
        return Ok(None);
    };
    let found = service
        .station_by_code_or_name(s)
        .map_err(|e| Failure::usage(e.localize(ctx.lang)))?;
    Ok(Some(found.meta.id))
}
