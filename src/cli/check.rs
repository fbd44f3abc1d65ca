//! `beatbook check [--repair]`: every index against a full scan of the records, and the
//! whole audit chain. `--repair` rebuilds the indexes from the records (audited); a broken
//! audit chain cannot be repaired, only reported.

use super::{Context, Failure};
use crate::i18n::cli::Cli;
use crate::i18n::Localize;

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Rebuild every index from the records when one disagrees
    #[arg(long)]
    repair: bool,
}

pub(crate) fn run(ctx: &Context, args: &CheckArgs) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    let fail = |e: crate::service::ServiceError| Failure::service(&e, ctx.lang);
    let report = service.check_store().map_err(fail)?;
    let audit_ok = match &report.audit {
        Ok(n) => {
            println!("{}", ctx.say(Cli::CheckAuditOk, &[n]));
            true
        }
        Err(problem) => {
            println!("{}", problem.localize(ctx.lang));
            println!(
                "{}",
                super::audit::describe_entry(ctx, &service, problem.seq())
            );
            false
        }
    };
    let mut indexes_ok = report.indexes.is_empty();
    if indexes_ok {
        println!("{}", ctx.say(Cli::CheckIndexesOk, &[]));
    }
    for m in &report.indexes {
        let name = format!("{:?}", m.index);
        println!(
            "{}",
            ctx.say(Cli::CheckIndexBad, &[&name, &m.stray, &m.missing])
        );
    }
    if !indexes_ok {
        if args.repair {
            let by = format!("command line ({})", super::export::os_user());
            service
                .repair_indexes(&by, report.indexes.len())
                .map_err(fail)?;
            indexes_ok = service.check_store().map_err(fail)?.indexes.is_empty();
            if indexes_ok {
                println!("{}", ctx.say(Cli::CheckRepaired, &[]));
            }
        } else {
            println!("{}", ctx.say(Cli::CheckRepairHint, &[]));
        }
    }
    if audit_ok && indexes_ok {
        Ok(())
    } else {
        Err(Failure::new(ctx.say(Cli::CheckFailed, &[])))
    }
}
