//! `beatbook seed`: synthetic bulk data for benchmarks, with progress on stderr.

use super::output::{errln, outln};
use super::{print_accounts, Context, Failure};
use crate::cli::text::Cli;
use crate::demo::{SeedProgress, SeedSpec};
use crate::store::space;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub(crate) struct SeedArgs {
    /// Persons to add
    #[arg(long, value_name = "N", default_value_t = 0)]
    persons: usize,

    /// Visits to add (spread over the new persons, or the existing ones when --persons is 0)
    #[arg(long, value_name = "N", default_value_t = 0)]
    visits: usize,

    /// Disputes to add, between the new persons (or the existing ones when --persons is 0);
    /// their follow-up visits come on top of --visits
    #[arg(long, value_name = "N", default_value_t = 0)]
    disputes: usize,

    /// Persons to put on the watch list (among the new persons, or the existing ones when
    /// --persons is 0), over every level and category; their rolling visits (one owed
    /// each) come on top of --visits
    #[arg(long, value_name = "N", default_value_t = 0)]
    watch: usize,
}

/// Progress lines at most this often, so a terminal or CI log is not flooded.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

pub(crate) fn run(ctx: &Context, args: &SeedArgs) -> Result<(), Failure> {
    // A dispute brings its parties' follow-up visits; a listed person a rolling visit.
    let records = args.persons + args.visits + args.disputes * 4 + args.watch * 2;
    let estimate = (records as u64).saturating_mul(space::BYTES_PER_RECORD);
    space::ensure_free(&ctx.paths.store_dir(), estimate)
        .map_err(|e| Failure::store(&e, ctx.lang))?;
    let service = ctx.open_service()?;
    let spec = SeedSpec {
        persons: args.persons,
        visits: args.visits,
        disputes: args.disputes,
        watch: args.watch,
    };
    errln!(
        "{}",
        ctx.say(
            Cli::SeedStart,
            &[&spec.persons, &spec.visits, &spec.disputes]
        )
    );
    let started = Instant::now();
    let mut last = Instant::now();
    let mut progress = |p: SeedProgress| {
        if last.elapsed() >= PROGRESS_EVERY || p.written == p.total {
            last = Instant::now();
            let secs = format!("{:.0}", started.elapsed().as_secs_f64());
            errln!(
                "{}",
                ctx.say(Cli::SeedProgress, &[&p.written, &p.total, &secs])
            );
        }
    };
    let summary = crate::demo::seed(&service, &spec, &mut progress)
        .map_err(|e| Failure::service(&e, ctx.lang))?;
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    if summary.created_stations > 0 {
        outln!(
            "{}",
            ctx.say(Cli::SeedCreatedStations, &[&summary.created_stations])
        );
        print_accounts(ctx, &summary.accounts);
    }
    let bytes = service
        .store()
        .size_on_disk()
        .map_err(|e| Failure::store(&e, ctx.lang))?;
    let mb = format!("{:.0}", bytes as f64 / 1_048_576.0);
    outln!(
        "{}",
        ctx.say(
            Cli::SeedDone,
            &[
                &summary.persons,
                &summary.visits,
                &summary.disputes,
                &summary.dispute_visits,
                &secs,
                &mb
            ]
        )
    );
    if summary.flags > 0 {
        outln!(
            "{}",
            ctx.say(Cli::SeedWatch, &[&summary.flags, &summary.watch_visits])
        );
    }
    tracing::info!(
        persons = summary.persons,
        visits = summary.visits,
        disputes = summary.disputes,
        dispute_visits = summary.dispute_visits,
        secs = %secs,
        "seed finished"
    );
    Ok(())
}
