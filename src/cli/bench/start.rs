//! The start: `store_open` (a full open with migrations and lock) and `login_to_today`
//! (the first login after it, as the TUI does it).

use super::timing::{emit, ms, skipped, timed};
use super::{Context, Failure};
use crate::i18n::{Lang, Localize};
use crate::service::Service;
use crate::store::{Kind, Store};
use serde_json::json;
use std::time::Instant;

/// Store opens to time: each one is a full open with migrations and lock.
const OPEN_RUNS: usize = 5;

/// Times opening the store: the CLI's own handle is dropped first, so every open is a
/// real one (lock, tree opening, migration check). Returns the last open store.
pub(super) fn bench_store_open(ctx: &Context) -> Result<Store, Failure> {
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

/// Times the password check and the login's own writes and sweeps (`login_ms`), then the
/// first screen built with everything it reads (Today, its alerts and approvals). Run
/// first, on the store just opened: sled's page cache is cold, as at a real start.
pub(super) fn bench_login(service: &Service, user: &str, password: &str, lang: Lang) {
    let started = Instant::now();
    let session = match service.login(user, password) {
        Ok(session) => session,
        Err(e) => return skipped("login_to_today", &e.localize(lang)),
    };
    let login = started.elapsed();
    match crate::tui::bench_first_screen(service, &session, lang) {
        Ok(rows) => emit(json!({
            "name": "login_to_today",
            "n": rows,
            "ms": ms(started.elapsed()),
            "login_ms": ms(login),
            "runs": 1,
        })),
        Err(e) => skipped("login_to_today", &e.to_string()),
    }
}
