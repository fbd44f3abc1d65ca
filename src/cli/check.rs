//! `beatbook check [--repair]`: every index against a full scan of the records, and the
//! whole audit chain, and every watch-list flag's copy of its person against the person.
//! `--repair` rebuilds the indexes from the records and copies the persons onto stale
//! flags (both audited); a broken audit chain cannot be repaired, only reported.

use super::output::outln;
use super::{Context, Failure};
use crate::cli::text::Cli;
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
    // What the entries take is summed on a second thread while the checks read.
    let (report, sizes) = std::thread::scope(|scope| {
        let sizes = scope.spawn(|| service.store().tree_sizes());
        (service.check_store(), sizes.join())
    });
    let report = report.map_err(fail)?;
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
        let name = index_label(m.index, ctx.lang);
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
    match sizes {
        Ok(Ok(sizes)) => tell_space(ctx, &sizes),
        // The space line is advice; a store that cannot be summed was reported above.
        Ok(Err(e)) => tracing::warn!("check: store sizes not read: {e}"),
        Err(_) => tracing::warn!("check: store sizes not read"),
    }
    if audit_ok && indexes_ok && flags_ok {
        Ok(())
    } else {
        Err(Failure::new(ctx.say(Cli::CheckFailed, &[])))
    }
}

/// Says how much disk the store takes for its entries and, when compacting would give
/// back a worthwhile amount, how to.
fn tell_space(ctx: &Context, sizes: &[crate::store::TreeSize]) {
    let entries: u64 = sizes.iter().map(|t| t.key_bytes + t.value_bytes).sum();
    let on_disk = crate::store::folder_size(&ctx.paths.store_dir());
    outln!("{}", space_line(ctx, on_disk, entries));
    if crate::store::space::compaction_worthwhile(on_disk, entries) {
        outln!("{}", ctx.say(Cli::CheckCompactHint, &[]));
    }
}

/// "space: N MB on disk for M MB of entries (R×)", for `check` and `backup`.
pub(super) fn space_line(ctx: &Context, on_disk: u64, entries: u64) -> String {
    let mb = |bytes: u64| bytes.div_ceil(1 << 20);
    let ratio = format!("{:.1}", on_disk as f64 / entries.max(1) as f64);
    ctx.say(Cli::CheckSpace, &[&mb(on_disk), &mb(entries), &ratio])
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

/// What an index serves, in words a person reads in `check`'s findings (not the
/// index's name in the code).
fn index_label(index: crate::store::Index, lang: crate::i18n::Lang) -> &'static str {
    use crate::store::Index::*;
    let (zh, en) = match index {
        OfficerByUsername => ("账号（按用户名）", "accounts by username"),
        PersonByIdNumber => ("人员（按身份证号）", "persons by ID number"),
        PersonByStation => ("人员（按派出所）", "persons by station"),
        VisitByStation => (
            "回访（按派出所、状态和日期）",
            "visits by station, status and date",
        ),
        VisitByOfficer => (
            "回访（按民警、状态和日期）",
            "visits by officer, status and date",
        ),
        DisputeByStation => ("纠纷（按派出所和状态）", "disputes by station and status"),
        DisputeByParty => ("纠纷（按当事人）", "disputes by party"),
        VisitByDispute => ("纠纷的回访", "follow-up visits of disputes"),
        VisitByPerson => ("人员的回访", "visits by person"),
        FlagByPerson => ("重点人员列管（按人员）", "watch-list flags by person"),
        FlagByStation => (
            "重点人员列管（按派出所和状态）",
            "watch-list flags by station and status",
        ),
        AlertByStation => ("提醒（按派出所）", "alerts by station"),
        FindingByStation => (
            "巡查问题（按派出所和状态）",
            "supervision findings by station and status",
        ),
        FindingByTarget => (
            "巡查问题（按所涉记录）",
            "supervision findings by the record concerned",
        ),
        DisputeEventByStation => (
            "纠纷变动（月报统计用）",
            "dispute events (for the monthly statistics)",
        ),
        FlagEventByStation => (
            "列管变动（月报统计用）",
            "watch-list events (for the monthly statistics)",
        ),
        DisputeTrendByStation => ("纠纷趋势统计", "dispute trend tallies"),
        VisitTallyByStation => ("回访统计", "visit tallies"),
    };
    lang.pick(zh, en)
}

#[cfg(test)]
mod tests {
    use super::index_label;
    use crate::i18n::Lang;
    use crate::store::Index;

    /// `check` named a broken index by its Rust name ("PersonByIdNumber") before.
    #[test]
    fn indexes_are_named_in_words_of_the_chosen_language() {
        for index in [
            Index::OfficerByUsername,
            Index::PersonByIdNumber,
            Index::VisitTallyByStation,
        ] {
            let debug = format!("{index:?}");
            for lang in [Lang::Zh, Lang::En] {
                assert!(!index_label(index, lang).contains(&debug));
            }
            assert!(index_label(index, Lang::Zh).chars().any(|c| c > '\u{2e80}'));
        }
    }
}
