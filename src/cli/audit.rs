//! `beatbook audit verify`: walks the whole hash chain of the audit log and names the
//! first entry that does not verify, then compares the chain with the head recorded
//! outside the store (a chain rewritten and re-hashed verifies by itself, but not against
//! that). Exit 1 when the chain is broken or rewritten.

use super::output::outln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub(crate) struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain of the audit log
    Verify,
}

pub(crate) fn run(ctx: &Context, args: &AuditArgs) -> Result<(), Failure> {
    match args.command {
        AuditCommand::Verify => verify(ctx),
    }
}

fn verify(ctx: &Context) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    let started = Instant::now();
    let result = service
        .verify_audit()
        .map_err(|e| Failure::service(&e, ctx.lang))?;
    match result {
        Ok(n) => {
            let secs = format!("{:.1}", started.elapsed().as_secs_f64());
            outln!("{}", ctx.say(Cli::AuditIntact, &[&n, &secs]));
            let local = recorded_head(ctx, &service);
            let hub = hub_head(ctx, &service);
            local.and(hub)
        }
        Err(problem) => {
            outln!("{}", problem.localize(ctx.lang));
            outln!("{}", describe_entry(ctx, &service, problem.seq()));
            Err(Failure::new(ctx.say(Cli::AuditBroken, &[])))
        }
    }
}

/// Compares the chain (which verified by itself) with the head kept in the keys folder.
fn recorded_head(ctx: &Context, service: &crate::service::Service) -> Result<(), Failure> {
    use crate::store::HeadCheck;
    let check = service
        .store()
        .check_recorded_head()
        .map_err(|e| Failure::store(&e, ctx.lang))?;
    let head_file = crate::store::keys_dir_of(service.store().path()).join("audit.head");
    let warning = match check {
        HeadCheck::Matches { recorded } => {
            outln!("{}", ctx.say(Cli::AuditHeadMatches, &[&recorded]));
            return Ok(());
        }
        HeadCheck::NotKept => return Ok(()),
        HeadCheck::Missing => ctx.say(Cli::AuditHeadMissing, &[&head_file.display()]),
        HeadCheck::Shorter { recorded, present } => {
            ctx.say(Cli::AuditHeadShorter, &[&present, &recorded])
        }
        HeadCheck::Differs { recorded } => {
            let w = ctx.say(Cli::AuditHeadDiffers, &[&recorded]);
            outln!("{w}");
            outln!("{}", describe_entry(ctx, service, recorded));
            return Err(Failure::new(ctx.say(Cli::AuditBroken, &[])));
        }
    };
    outln!("{warning}");
    Err(Failure::new(ctx.say(Cli::AuditBroken, &[])))
}

/// With a hub: compares the chain with the head the hub recorded at this terminal's last
/// push (a chain rewritten and re-hashed, with the head file outside the store rewritten
/// too, still differs from what the hub holds). An unreachable hub is said, with when the
/// chain was last checked against it, and is no failure.
fn hub_head(ctx: &Context, service: &crate::service::Service) -> Result<(), Failure> {
    use crate::service::HubAuditCheck;
    use crate::store::HeadCheck;
    let check = service
        .check_audit_with_hub()
        .map_err(|e| Failure::service(&e, ctx.lang))?;
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(service.now().offset())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    match check {
        HubAuditCheck::NotJoined => Ok(()),
        HubAuditCheck::NotRecorded => {
            outln!("{}", ctx.say(Cli::AuditHubNotRecorded, &[]));
            Ok(())
        }
        HubAuditCheck::Unreachable {
            problem,
            last_checked,
        } => {
            let when = last_checked
                .map(local)
                .unwrap_or_else(|| ctx.say(Cli::AuditHubNever, &[]));
            outln!("{}", problem.get(ctx.lang));
            outln!("{}", ctx.say(Cli::AuditHubUnreachable, &[&when]));
            Ok(())
        }
        HubAuditCheck::Checked { check, pushed_at } => match check {
            HeadCheck::Matches { recorded } => {
                outln!(
                    "{}",
                    ctx.say(Cli::AuditHubMatches, &[&recorded, &local(pushed_at)])
                );
                Ok(())
            }
            HeadCheck::Shorter { recorded, present } => {
                outln!(
                    "{}",
                    ctx.say(
                        Cli::AuditHubShorter,
                        &[&present, &recorded, &local(pushed_at)]
                    )
                );
                Err(Failure::new(ctx.say(Cli::AuditBroken, &[])))
            }
            // check_head answers only Matches, Shorter or Differs.
            HeadCheck::Differs { .. } | HeadCheck::Missing | HeadCheck::NotKept => {
                let recorded = match check {
                    HeadCheck::Differs { recorded } => recorded,
                    _ => 0,
                };
                outln!(
                    "{}",
                    ctx.say(Cli::AuditHubDiffers, &[&recorded, &local(pushed_at)])
                );
                outln!("{}", describe_entry(ctx, service, recorded));
                Err(Failure::new(ctx.say(Cli::AuditBroken, &[])))
            }
        },
    }
}

/// Names an entry by sequence number, time (local), actor and action.
pub(crate) fn describe_entry(ctx: &Context, service: &crate::service::Service, seq: u64) -> String {
    match service.audit_entry(seq) {
        Some(e) => {
            let at =
                e.at.with_timezone(service.now().offset())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
            ctx.say(Cli::AuditFirstBad, &[&seq, &at, &e.actor_name, &e.action])
        }
        None => ctx.say(Cli::AuditBadUnreadable, &[&seq]),
    }
}
