//! `beatbook check [--repair]`: every index against a full scan of the records, and the
//! whole audit chain, and every watch-list flag's copy of its person against the person.
//! `--repair` rebuilds the indexes from the records and copies the persons onto stale
//! flags (both audited); a broken audit chain cannot be repaired, only reported.

use super::output::outln;
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
            outln!("{}", ctx.say(Cli::CheckAuditOk, &[n]));
            true
        }
        Err(problem) => {
            outln!("{}", problem.localize(ctx.lang));
            outln!(
                "{}",
                super::audit::describe_entry(ctx, &service, problem.seq())
            );
            false
        }
    };
    let mut indexes_ok = report.indexes.is_empty();
    if indexes_ok {
        outln!("{}", ctx.say(Cli::CheckIndexesOk, &[]));
    }
    for m in &report.indexes {
        let name = format!("{:?}", m.index);
        outln!(
            "{}",
            ctx.say(Cli::CheckIndexBad, &[&name, &m.stray, &m.missing])
        );
    }
    if !indexes_ok {
        if args.repair {
            let by = format!("command line ({})", super::export::os_user());
            let mismatched: Vec<_> = report.indexes.iter().map(|m| m.index).collect();
            service.repair_indexes(&by, &mismatched).map_err(fail)?;
            indexes_ok = service.check_store().map_err(fail)?.indexes.is_empty();
            if indexes_ok {
                outln!("{}", ctx.say(Cli::CheckRepaired, &[]));
            }
        } else {
            outln!("{}", ctx.say(Cli::CheckRepairHint, &[]));
        }
    }
    let flags_ok = check_flag_copies(ctx, &service, args, report.stale_flags)?;
    if audit_ok && indexes_ok && flags_ok {
        Ok(())
    } else {
        Err(Failure::new(ctx.say(Cli::CheckFailed, &[])))
    }
}

/// Reports flags whose copy of their person is stale and, with `--repair`, refreshes
/// them. Returns whether the copies agree (after the repair, if one ran).
fn check_flag_copies(
    ctx: &Context,
    service: &crate::service::Service,
    args: &CheckArgs,
    stale: usize,
) -> Result<bool, Failure> {
    let fail = |e: crate::service::ServiceError| Failure::service(&e, ctx.lang);
    if stale == 0 {
        outln!("{}", ctx.say(Cli::CheckFlagsOk, &[]));
        return Ok(true);
    }
    outln!("{}", ctx.say(Cli::CheckFlagsStale, &[&stale]));
    if !args.repair {
        outln!("{}", ctx.say(Cli::CheckFlagsRepairHint, &[]));
        return Ok(false);
    }
    let by = format!("command line ({})", super::export::os_user());
    let refreshed = service.repair_flag_copies(&by).map_err(fail)?;
    let ok = service.check_store().map_err(fail)?.stale_flags == 0;
    if ok {
        outln!("{}", ctx.say(Cli::CheckFlagsRepaired, &[&refreshed]));
    }
    Ok(ok)
}
