//! `beatbook export`: every record as JSON Lines, the portable backup.
//!
//! To a file, the export is written to `FILE.tmp`, synced, then renamed: a failed or
//! interrupted export never leaves a half-written backup under the real name, and an
//! older backup of that name survives until the new one is complete.

use super::output::errln;
use super::{Context, Failure};
use crate::i18n::cli::Cli;
use crate::i18n::Localize;
use crate::service::{ExportSummary, ServiceError};
use crate::store::Kind;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// Write to FILE instead of standard output
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
            let password = match std::env::var("BEATBOOK_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(ctx.say(Cli::PasswordPrompt, &[user]))
                    .map_err(|e| Failure::new(ctx.say(Cli::PasswordUnreadable, &[&e])))?,
            };
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
    let summary = match &args.out {
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
    if let Some(path) = &args.out {
        errln!("{}", ctx.say(Cli::ExportWritten, &[&path.display()]));
    }
    Ok(())
}

fn to_file(
    ctx: &Context,
    path: &Path,
    export: &dyn Fn(&mut dyn std::io::Write) -> Result<ExportSummary, crate::service::ServiceError>,
) -> Result<ExportSummary, Failure> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp)
        .map_err(|e| Failure::new(ctx.say(Cli::CannotWrite, &[&tmp.display(), &e])))?;
    let failed = |message: String| {
        let _ = std::fs::remove_file(&tmp);
        Failure::new(ctx.say(Cli::ExportFailed, &[&message, &path.display()]))
    };
    let mut out = BufWriter::new(file);
    let summary = match export(&mut out) {
        Ok(s) => s,
        Err(e) => return Err(failed(e.localize(ctx.lang))),
    };
    let written = out
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        return Err(failed(e.to_string()));
    }
    sync_parent(path);
    Ok(summary)
}

/// Makes the rename itself durable (best effort; not every platform can sync a folder).
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

/// Who ran the export, for the audit log.
pub(crate) fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
