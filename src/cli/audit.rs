//! `beatbook audit verify`: walks the whole hash chain of the audit log and names the
//! first entry that does not verify. Exit 1 when the chain is broken.

use super::output::outln;
use super::{Context, Failure};
use crate::i18n::cli::Cli;
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
            Ok(())
        }
        Err(problem) => {
            outln!("{}", problem.localize(ctx.lang));
            outln!("{}", describe_entry(ctx, &service, problem.seq()));
            Err(Failure::new(ctx.say(Cli::AuditBroken, &[])))
        }
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
