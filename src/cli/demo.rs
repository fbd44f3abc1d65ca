//! `beatbook demo`: loads the fictional county bureau and prints the accounts to log in
//! with.

use super::output::outln;
use super::{print_accounts, Context, Failure};
use crate::cli::text::Cli;
use crate::store::space;
use std::time::Instant;

pub(crate) fn run(ctx: &Context) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    // An already set-up store is refused by the service with its own message first.
    if service.store().is_empty() {
        space::ensure_free(&ctx.paths.store_dir(), space::DEMO_BYTES)
            .map_err(|e| Failure::store(&e, ctx.lang))?;
    }
    let started = Instant::now();
    let summary = crate::demo::load_demo(&service).map_err(|e| Failure::service(&e, ctx.lang))?;
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    outln!(
        "{}",
        ctx.say(
            Cli::DemoDone,
            &[
                &summary.stations,
                &summary.officers,
                &summary.persons,
                &summary.visits,
                &secs
            ]
        )
    );
    outln!(
        "{}",
        ctx.say(Cli::DemoWatch, &[&summary.flags, &summary.alerts])
    );
    print_accounts(ctx, &summary.accounts);
    outln!(
        "{}",
        ctx.say(Cli::DataFolder, &[&ctx.paths.data_dir.display()])
    );
    Ok(())
}
