//! `beatbook export`: every record as JSON Lines, the portable backup.
//!
//! To a file, the export is written to `FILE.tmp`, synced, then renamed: a failed or
//! interrupted export never leaves a half-written backup under the real name, and an
//! older backup of that name survives until the new one is complete.

use super::output::errln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::service::{ExportSummary, ServiceError};
use crate::store::{outfile, Kind};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// Write to FILE instead of standard output (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Export only what this account may read, audited under it (password from
    /// BEATBOOK_PASSWORD or asked); without it, the full backup of the data folder
    #[arg(long, value_name = "USER")]
    user: Option<String>,
}

pub(crate) fn run(ctx: &Context, args: &ExportArgs) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    let by = format!("command line ({})", os_user());
    let session = match &args.user {
        Some(user) => {
            let password = password_for(ctx, user)?;
            Some(service.login_ready(user, &password).map_err(|e| {
                Failure::new(ctx.say(Cli::ImportLogin, &[user, &e.localize(ctx.lang)]))
            })?)
        }
        None => None,
    };
    let export = |out: &mut dyn std::io::Write| match &session {
        Some(s) => service.export_jsonl_as(s, out),
        None => service.export_jsonl(out, &by),
    };
    // `--out -` is standard output, as without `--out`.
    let out_file = args.out.as_ref().filter(|p| p.as_os_str() != "-");
    let summary = match out_file {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            match export(&mut out).and_then(|s| out.flush().map(|()| s).map_err(Into::into)) {
                Ok(summary) => summary,
                // The reader took what it wanted (`| head`): nothing more to say.
                Err(ServiceError::Io(e)) if super::output::is_closed_pipe(&e) => {
                    super::output::stdout_error(&e);
                    return Ok(());
                }
                Err(e) => return Err(Failure::new(e.localize(ctx.lang))),
            }
        }
        Some(path) => to_file(ctx, path, &export)?,
    };
    let count = |kind: Kind| {
        summary
            .counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    };
    errln!(
        "{}",
        ctx.say(
            Cli::ExportDone,
            &[
                &summary.total(),
                &count(Kind::Station),
                &count(Kind::Officer),
                &count(Kind::Person),
                &count(Kind::Visit)
            ]
        )
    );
    if let Some(path) = out_file {
        errln!("{}", ctx.say(Cli::ExportWritten, &[&path.display()]));
    }
    Ok(())
}

fn to_file(
    ctx: &Context,
    path: &Path,
    export: &dyn Fn(&mut dyn std::io::Write) -> Result<ExportSummary, crate::service::ServiceError>,
) -> Result<ExportSummary, Failure> {
    let mut staged = stage_output(ctx, path)?;
    let failed =
        |message: String| Failure::new(ctx.say(Cli::ExportFailed, &[&message, &path.display()]));
    let written = match staged.file() {
        Ok(file) => {
            let mut out = BufWriter::new(file);
            export(&mut out)
                .map_err(|e| e.localize(ctx.lang))
                .and_then(|s| out.flush().map(|()| s).map_err(|e| e.to_string()))
        }
        Err(e) => Err(e.localize(ctx.lang)),
    };
    match written {
        Ok(summary) => {
            staged.commit().map_err(|e| failed(e.localize(ctx.lang)))?;
            Ok(summary)
        }
        Err(message) => {
            staged.abandon();
            Err(failed(message))
        }
    }
}

/// Opens `path` for a whole-or-nothing write (see [`crate::store::outfile`]); a leftover
/// of an interrupted run is removed and said so.
pub(crate) fn stage_output(ctx: &Context, path: &Path) -> Result<outfile::Staged, Failure> {
    let staged = outfile::stage(path).map_err(|e| Failure::new(e.localize(ctx.lang)))?;
    if staged.leftover_removed {
        errln!(
            "{}",
            ctx.say(Cli::LeftoverRemoved, &[&staged.tmp_path().display()])
        );
    }
    Ok(staged)
}

/// The password of `user`: `BEATBOOK_PASSWORD` (scripts, tests) or asked without echo.
pub(crate) fn password_for(ctx: &Context, user: &str) -> Result<String, Failure> {
    match std::env::var("BEATBOOK_PASSWORD") {
        Ok(p) => Ok(p),
        Err(_) => rpassword::prompt_password(ctx.say(Cli::PasswordPrompt, &[&user]))
            .map_err(|e| Failure::new(ctx.say(Cli::PasswordUnreadable, &[&e]))),
    }
}

/// Who ran the export, for the audit log.
pub(crate) fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
