//! `beatbook backup FILE` and `beatbook restore FILE --user ADMIN [--force] [--key FILE]`:
//! an archive of the whole store signed with the bureau key, and the way back from one
//! that never leaves a half-written store (the store module builds and verifies the new
//! one beside the old before swapping) and is an administrator's audited act.

use super::output::{errln, outln};
use super::{Context, Failure};
use crate::cli::text::Cli;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub(crate) struct BackupArgs {
    /// The archive to write (written to FILE.tmp first, then renamed)
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RestoreArgs {
    /// An archive written by `beatbook backup`
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Replace a data folder that already holds data (it is kept aside, not deleted)
    #[arg(long)]
    force: bool,
    /// An administrator: of the data being replaced, or of the backup when the folder is
    /// empty (password from BEATBOOK_PASSWORD or asked)
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// A copy of the bureau key the backup was signed with (keys/archive.key of the
    /// original data folder), to restore on another machine
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Restore a backup that carries no signature (from an older beatbook); audited
    #[arg(long)]
    accept_unsigned: bool,
    /// Restore although the bureau hub holds later changes of this terminal than the
    /// backup (without it, beatbook asks): the terminal then pulls them back
    #[arg(long)]
    older: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CompactArgs {
    /// An administrator of the store (password from BEATBOOK_PASSWORD or asked)
    #[arg(long, value_name = "USER")]
    user: Option<String>,
}

pub(crate) fn backup(ctx: &Context, args: &BackupArgs) -> Result<(), Failure> {
    let store_bytes = crate::store::folder_size(&ctx.paths.store_dir());
    let estimate = store_bytes / crate::store::space::STORE_BYTES_PER_ARCHIVE_BYTE;
    crate::store::ensure_free(&args.file, estimate).map_err(|e| Failure::store(&e, ctx.lang))?;
    let service = ctx.open_service()?;
    let started = Instant::now();
    let by = format!("command line ({})", super::export::os_user());
    let summary = service
        .backup_unattended(&args.file, &by)
        .map_err(|e| Failure::service(&e, ctx.lang))?;
    if summary.leftover_removed {
        let mut tmp = args.file.as_os_str().to_owned();
        tmp.push(".tmp");
        errln!(
            "{}",
            ctx.say(Cli::LeftoverRemoved, &[&PathBuf::from(tmp).display()])
        );
    }
    let mb = format!("{:.1}", summary.bytes as f64 / 1_048_576.0);
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    outln!(
        "{}",
        ctx.say(
            Cli::BackupDone,
            &[
                &args.file.display(),
                &summary.header.trees.len(),
                &summary.header.total_entries(),
                &summary.header.audit_entries(),
                &mb,
                &secs
            ]
        )
    );
    match &summary.header.key_id {
        Some(id) => {
            let key = crate::store::keys_dir_of(&ctx.paths.store_dir()).join("archive.key");
            outln!("{}", ctx.say(Cli::BackupSigned, &[id, &key.display()]));
        }
        None => errln!("{}", ctx.say(Cli::BackupUnsigned, &[])),
    }
    // The backup has just read every entry: the routine backup is where an administrator
    // learns that a compaction is due, without the second full read `check` makes.
    if summary.compaction_worthwhile() {
        outln!(
            "{}",
            super::check::space_line(ctx, summary.store_bytes, summary.entry_bytes)
        );
        outln!("{}", ctx.say(Cli::CheckCompactHint, &[]));
    }
    Ok(())
}

pub(crate) fn restore(ctx: &Context, args: &RestoreArgs) -> Result<(), Failure> {
    let Some(user) = &args.user else {
        return Err(Failure::usage(ctx.say(Cli::RestoreNeedsUser, &[])));
    };
    let password = super::export::password_for(ctx, user)?;
    let store_dir = ctx.paths.store_dir();
    let archive_bytes = std::fs::metadata(&args.file).map_or(0, |m| m.len());
    let estimate = archive_bytes.saturating_mul(crate::store::space::BYTES_PER_ARCHIVE_BYTE);
    crate::store::ensure_free(&store_dir, estimate).map_err(|e| Failure::store(&e, ctx.lang))?;
    let older = match crate::service::check_archive_with_hub(&store_dir, &args.file)
        .map_err(|e| Failure::service(&e, ctx.lang))?
    {
        crate::service::ArchiveAgainstHub::Older {
            hub_entries,
            archive_entries,
            pushed_at,
        } => {
            let at = pushed_at
                .with_timezone(ctx.clock.now().offset())
                .format("%Y-%m-%d %H:%M")
                .to_string();
            errln!(
                "{}",
                ctx.say(
                    Cli::RestoreOlderThanHub,
                    &[&archive_entries, &at, &hub_entries]
                )
            );
            if !args.older && !ask_yes(&ctx.say(Cli::RestoreOlderAsk, &[])) {
                return Err(Failure::usage(ctx.say(Cli::RestoreOlderRefused, &[])));
            }
            true
        }
        crate::service::ArchiveAgainstHub::Unreachable(problem) => {
            errln!(
                "{}",
                ctx.say(Cli::RestoreHubUnchecked, &[&problem.get(ctx.lang)])
            );
            false
        }
        _ => false,
    };
    let request = crate::service::RestoreRequest {
        archive: &args.file,
        store_dir: &store_dir,
        force: args.force,
        accept_unsigned: args.accept_unsigned,
        key_file: args.key.as_deref(),
        username: user,
        password: &password,
    };
    let outcome =
        crate::service::restore_archive(&request, ctx.clock.clone(), ctx.settings.clone())
            .map_err(|e| Failure::service(&e, ctx.lang))?;
    let made = outcome
        .header
        .created_at
        .with_timezone(ctx.clock.now().offset())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    outln!(
        "{}",
        ctx.say(
            Cli::RestoreDone,
            &[
                &made,
                &outcome.header.total_entries(),
                &outcome.header.audit_entries()
            ]
        )
    );
    if let Some(aside) = &outcome.replaced {
        outln!("{}", ctx.say(Cli::RestoreReplaced, &[&aside.display()]));
    }
    match &outcome.header.key_id {
        Some(id) => outln!("{}", ctx.say(Cli::RestoreSigned, &[id])),
        None => outln!("{}", ctx.say(Cli::RestoreUnsignedAccepted, &[])),
    }
    if outcome.key_installed {
        let key = crate::store::keys_dir_of(&store_dir).join("archive.key");
        outln!("{}", ctx.say(Cli::RestoreKeyInstalled, &[&key.display()]));
    }
    if older {
        // Behind the hub's record now: take its place there and pull back what it lacks.
        let service = ctx.open_service()?;
        let started = Instant::now();
        let summary = service
            .rejoin_hub(&mut |_| {})
            .map_err(|e| Failure::service(&e, ctx.lang))?;
        outln!("{}", ctx.say(Cli::RestoreRejoined, &[&summary.pulled]));
        super::hub::tell_summary(ctx, &summary, started);
    }
    Ok(())
}

/// `beatbook compact --user ADMIN`: the store written anew through its own archive, which
/// stays in the data folder as a backup of the store as it was.
pub(crate) fn compact(ctx: &Context, args: &CompactArgs) -> Result<(), Failure> {
    let Some(user) = &args.user else {
        return Err(Failure::usage(ctx.say(Cli::CompactNeedsUser, &[])));
    };
    let password = super::export::password_for(ctx, user)?;
    let store_dir = ctx.paths.store_dir();
    let stamp = ctx.clock.now().format("%Y%m%dT%H%M%S").to_string();
    // Never over an earlier compaction's backup (a clock held still by BEATBOOK_NOW).
    let mut archive = ctx.paths.data_dir.join(format!("compact-{stamp}.bbk"));
    for n in 2.. {
        if !archive.exists() {
            break;
        }
        archive = ctx.paths.data_dir.join(format!("compact-{stamp}-{n}.bbk"));
    }
    let store_bytes = crate::store::folder_size(&store_dir);
    // The archive, then the new store beside the old one (at most the old one's size).
    let estimate = store_bytes / crate::store::space::STORE_BYTES_PER_ARCHIVE_BYTE + store_bytes;
    crate::store::ensure_free(&store_dir, estimate).map_err(|e| Failure::store(&e, ctx.lang))?;
    let started = Instant::now();
    let request = crate::service::CompactRequest {
        store_dir: &store_dir,
        archive: &archive,
        username: user,
        password: &password,
    };
    let done = crate::service::compact_store(&request, ctx.clock.clone(), ctx.settings.clone())
        .map_err(|e| Failure::service(&e, ctx.lang))?;
    let mb = |bytes: u64| format!("{:.1}", bytes as f64 / 1_048_576.0);
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    outln!(
        "{}",
        ctx.say(
            Cli::CompactDone,
            &[
                &mb(done.bytes_before),
                &mb(done.bytes_after),
                &done.entries,
                &secs
            ]
        )
    );
    outln!(
        "{}",
        ctx.say(Cli::CompactArchiveKept, &[&done.archive.display()])
    );
    if let Some(aside) = &done.left_aside {
        errln!("{}", ctx.say(Cli::CompactLeftAside, &[&aside.display()]));
    }
    Ok(())
}

/// Asks a yes/no question on the terminal; no terminal to ask (a script) is a no.
fn ask_yes(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return false;
    }
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好"
    )
}
