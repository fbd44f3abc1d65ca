//! `beatbook bench`: times the paths an officer waits on, on the current store, and prints
//! one JSON line per measurement: `{"name":…,"n":…,"ms":…}` (median of `runs`, plus the
//! slowest run as `max_ms`). Timing is measured here, never asserted in tests.
//!
//! Writing scenarios run only on demo or seeded stores: benchmark visits must never land
//! in a real station's records.

use super::{Context, Failure};
use crate::i18n::cli::Cli;
use crate::i18n::Localize;
use crate::model::{Id, Role, VisitMethod, VisitOutcome};
use crate::service::{DoneForm, NewVisitForm, Scope, Service, Session, DEMO_PASSWORD};
use crate::store::{Flag, Kind, Store};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// Account to log in as (password from BEATBOOK_PASSWORD, default demo1234)
    #[arg(long, value_name = "USER", default_value = "officer")]
    user: String,

    /// Runs per timed scenario (the median is reported)
    #[arg(long, value_name = "N", default_value_t = 20)]
    runs: usize,
}

/// Store opens to time: each one is a full open with migrations and lock.
const OPEN_RUNS: usize = 5;

pub(crate) fn run(ctx: &Context, args: &BenchArgs) -> Result<(), Failure> {
    let runs = args.runs.max(1);
    let store = bench_store_open(ctx)?;
    let service = Service::new(store, Arc::clone(&ctx.clock), ctx.settings.clone());
    let password = std::env::var("BEATBOOK_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string());
    let session = service.login(&args.user, &password).map_err(|e| {
        Failure::new(ctx.say(Cli::BenchLogin, &[&args.user, &e.localize(ctx.lang)]))
    })?;
    for (name, scope) in [
        ("today_station", Scope::Station),
        ("today_mine", Scope::Mine),
    ] {
        bench_today(&service, &session, name, scope, runs);
    }
    bench_visit_done(&service, &session, runs);
    match service.store().size_on_disk() {
        Ok(bytes) => emit(json!({"name": "store_size_bytes", "n": bytes, "ms": 0})),
        Err(e) => skipped("store_size_bytes", &e.to_string()),
    }
    match crate::tui::bench_redraw(&service, &session, ctx.lang) {
        Ok((rows, median)) => {
            emit(json!({"name": "tui_redraw", "n": rows, "ms": ms(median), "runs": 50}))
        }
        Err(e) => skipped("tui_redraw", &e.to_string()),
    }
    Ok(())
}

/// Times opening the store: the CLI's own handle is dropped first, so every open is a
/// real one (lock, tree opening, migration check). Returns the last open store.
fn bench_store_open(ctx: &Context) -> Result<Store, Failure> {
    let store = ctx.open_store()?;
    let records: usize = Kind::ALL.iter().map(|k| store.count(*k)).sum();
    let mut last = Some(store);
    let mut times = Vec::with_capacity(OPEN_RUNS);
    for _ in 0..OPEN_RUNS {
        drop(last.take());
        let started = Instant::now();
        let store = ctx.open_store()?;
        times.push(started.elapsed());
        last = Some(store);
    }
    emit(timed("store_open", records, &times));
    last.map_or_else(|| ctx.open_store(), Ok)
}

fn bench_today(service: &Service, session: &Session, name: &str, scope: Scope, runs: usize) {
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        match service.today_list(session, scope) {
            Ok(view) => rows = view.rows.len(),
            Err(e) => return skipped(name, &e.to_string()),
        }
        times.push(started.elapsed());
    }
    emit(timed(name, rows, &times));
}

/// Records visits done, each a durable write (transaction + flush). The visits are
/// scheduled first (untimed) for a person of the user's station, due today.
fn bench_visit_done(service: &Service, session: &Session, runs: usize) {
    const NAME: &str = "visit_done_durable";
    let store = service.store();
    let synthetic = store.has_flag(Flag::Demo).unwrap_or(false)
        || store.has_flag(Flag::Seeded).unwrap_or(false);
    if !synthetic {
        return skipped(NAME, "store is not demo/seeded data");
    }
    if !matches!(session.role(), Role::Officer | Role::Chief) {
        return skipped(NAME, "user cannot record visits (not an officer or chief)");
    }
    let person: Option<Id> = store
        .station_person_ids(session.station())
        .next()
        .and_then(Result::ok);
    let Some(person) = person else {
        return skipped(NAME, "no person in the user's station");
    };
    let mut visits = Vec::with_capacity(runs);
    for _ in 0..runs {
        let form = NewVisitForm {
            dispute: None,
            person: Some(person),
            due: service.today().to_string(),
            method: VisitMethod::Phone,
            purpose: "基准测试 (beatbook bench)".into(),
            assigned_to: None,
            notes: String::new(),
        };
        match service.schedule_visit(session, &form) {
            Ok(v) => visits.push(v),
            Err(e) => return skipped(NAME, &e.to_string()),
        }
    }
    let done = DoneForm {
        outcome: Some(VisitOutcome::Stable),
        method: VisitMethod::Phone,
        agreement_honoured: None,
        notes: "beatbook bench".into(),
        next_due: String::new(),
    };
    let mut times = Vec::with_capacity(runs);
    for v in &visits {
        let started = Instant::now();
        if let Err(e) = service.record_visit_done(session, v.meta.id, v.meta.revision, &done) {
            return skipped(NAME, &e.to_string());
        }
        times.push(started.elapsed());
    }
    emit(timed(NAME, times.len(), &times));
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The measurement line: median and slowest of `times`.
fn timed(name: &str, n: usize, times: &[Duration]) -> serde_json::Value {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    let max = sorted.last().copied().unwrap_or_default();
    json!({
        "name": name,
        "n": n,
        "ms": ms(median),
        "max_ms": ms(max),
        "runs": times.len(),
    })
}

fn skipped(name: &str, why: &str) {
    emit(json!({"name": name, "n": 0, "ms": null, "skipped": why}));
}

fn emit(line: serde_json::Value) {
    println!("{line}");
}
