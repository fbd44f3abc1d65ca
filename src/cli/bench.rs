//! `beatbook bench`: times the paths an officer waits on, on the current store, and prints
//! one JSON line per measurement: `{"name":…,"n":…,"ms":…}` (median of `runs`, plus the
//! slowest run as `max_ms`). Timing is measured here, never asserted in tests.
//!
//! Writing scenarios run only on demo or seeded stores: benchmark visits and disputes must
//! never land in a real station's records.
//!
//! Person search is timed per keystroke over the user's station and, as the supervisor,
//! over every station, and compared with `fzf --filter` over a file of the same names
//! (skipped when fzf is not installed). Scenarios whose cost grows with the station's
//! data (dispute detail, register, alerts) run last, each on a worker thread within a time
//! budget: a slow path is reported as such instead of holding the whole run hostage.

use super::output::outln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::demo::DEMO_PASSWORD;
use crate::i18n::{Lang, Localize};
use crate::model::{DisputeDraft, Id, Party, PartyRole, Person, Role, VisitMethod, VisitOutcome};
use crate::service::{
    DoneForm, NewVisitForm, RegisterFilter, RegisterSort, Scope, Service, Session,
};
use crate::store::{Flag, Kind, Store};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

pub(crate) mod hub;
mod import;
mod print;
mod search;
mod sqlite;
mod start;
mod timing;
use import::bench_import;
use search::{bench_fzf, bench_search_all, bench_search_station, search_queries};
use timing::{bounded, emit, median, memory_line, ms, skipped, timed};

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// Account to log in as (password from BEATBOOK_PASSWORD, default demo1234)
    #[arg(long, value_name = "USER", default_value = "officer")]
    user: String,

    /// Runs per timed scenario (the median is reported)
    #[arg(long, value_name = "N", default_value_t = 20)]
    runs: usize,

    /// Seconds a scenario that grows with the data may take before it is stopped
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    budget: u64,

    /// Rows of the generated roster the import benchmark imports (0: skip it). The
    /// persons stay in the (demo or seeded) store.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    import_rows: usize,

    /// Run only the scenario groups whose name starts with one of these (e.g. `--only
    /// statistics --only watch`); all when none is given
    #[arg(long, value_name = "NAME")]
    only: Vec<String>,
}

impl BenchArgs {
    /// Whether the group `name` (the prefix of its scenarios' names) is to run.
    fn wants(&self, name: &str) -> bool {
        self.only.is_empty()
            || self
                .only
                .iter()
                .any(|o| name.starts_with(o.as_str()) || o.starts_with(name))
    }
}

pub(crate) fn run(ctx: &Context, args: &BenchArgs) -> Result<(), Failure> {
    let runs = args.runs.max(1);
    let store = start::bench_store_open(ctx)?;
    let service = Arc::new(Service::new(
        store,
        Arc::clone(&ctx.clock),
        ctx.settings.clone(),
    ));
    let password = std::env::var("BEATBOOK_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string());
    if args.wants("login") {
        start::bench_login(&service, &args.user, &password, ctx.lang);
    }
    let session = service.login(&args.user, &password).map_err(|e| {
        Failure::new(ctx.say(Cli::BenchLogin, &[&args.user, &e.localize(ctx.lang)]))
    })?;
    let sqlite = args.only.iter().any(|o| o == "sqlite");
    let mut today_median = None;
    if args.wants("today") || sqlite {
        for (name, scope) in [
            ("today_station", Scope::Station),
            ("today_mine", Scope::Mine),
        ] {
            let m = bench_today(&service, &session, name, scope, runs);
            if scope == Scope::Station {
                today_median = m;
            }
        }
    }
    let mut save_median = None;
    if args.wants("visit_done") || sqlite {
        save_median = bench_visit_done(&service, &session, runs);
    }
    if sqlite {
        // Only when asked: it writes the whole store as SQL and loads it into SQLite.
        sqlite::bench_sqlite(&service, &session, runs, today_median, save_median);
    }
    if args.wants("visit_done") || args.wants("fsync_floor") {
        bench_fsync_floor(&ctx.paths.data_dir, runs);
    }
    let supervisor = service.login("supervisor", &password).ok();
    if args.wants("search") || args.wants("fzf") {
        let queries = search_queries(&service, &session);
        bench_search_station(&service, &session, &queries, runs);
        let all = match &supervisor {
            Some(s) => bench_search_all(&service, s, &queries, runs),
            None => {
                skipped(
                    "search_all",
                    "no supervisor account with the bench password",
                );
                None
            }
        };
        bench_fzf(&service, &queries, runs, all);
    }
    if args.wants("dispute_save") {
        bench_dispute_save(&service, &session, runs);
    }
    if args.wants("store_size") {
        match service.store().size_on_disk() {
            Ok(bytes) => emit(json!({"name": "store_size_bytes", "n": bytes, "ms": 0})),
            Err(e) => skipped("store_size_bytes", &e.to_string()),
        }
    }
    if args.only.iter().any(|o| o == "store_split") {
        // Where the bytes go, tree by tree (issue 16): only when asked, it reads it all.
        match service.store().tree_sizes() {
            Ok(trees) => {
                for t in trees {
                    emit(
                        json!({"name": "store_split", "tree": t.name, "n": t.entries,
                        "key_bytes": t.key_bytes, "value_bytes": t.value_bytes, "ms": 0}),
                    );
                }
            }
            Err(e) => skipped("store_split", &e.to_string()),
        }
    }
    if args.wants("tui_redraw") {
        match crate::tui::bench_redraw(&service, &session, ctx.lang) {
            Ok((rows, median)) => {
                emit(json!({"name": "tui_redraw", "n": rows, "ms": ms(median), "runs": 50}))
            }
            Err(e) => skipped("tui_redraw", &e.to_string()),
        }
    }
    let budget = Duration::from_secs(args.budget.max(1));
    if args.wants("watch") {
        bench_watch(&service, &session, runs);
    }
    if args.wants("statistics") || args.wants("report") {
        bench_statistics(&service, &password, runs);
    }
    if args.wants("dispute_detail") {
        bench_dispute_detail(&service, &session, runs, budget);
    }
    if args.wants("dispute_register") {
        // As the screen opens it: the rows, and the names of the parties around the
        // selection.
        let (svc, sess) = (Arc::clone(&service), session.clone());
        bounded("dispute_register", runs, budget, move || {
            crate::tui::bench_register_open(&svc, &sess).map_err(|e| e.to_string())
        });
        // Every row named at once, as the command line and the first filter need them.
        let (svc, sess) = (Arc::clone(&service), session.clone());
        bounded("dispute_register_named", runs, budget, move || {
            svc.dispute_register(&sess, &RegisterFilter::default(), RegisterSort::Risk)
                .map(|rows| rows.len())
                .map_err(|e| e.to_string())
        });
        let (svc, sess) = (Arc::clone(&service), session.clone());
        bounded("register_first_filter", runs, budget, move || {
            crate::tui::bench_register_first_filter(&svc, &sess, "王").map_err(|e| e.to_string())
        });
    }
    if args.wants("dispute_alerts") {
        let (svc, sess) = (Arc::clone(&service), session.clone());
        bounded("dispute_alerts", runs, budget, move || {
            svc.dispute_alerts(&sess, false)
                .map(|alerts| alerts.len())
                .map_err(|e| e.to_string())
        });
    }
    if args.wants("residents") {
        // The resident register as it opens (the whole station) and one search keystroke.
        for (name, query) in [("residents_open", ""), ("residents_search", "王")] {
            let (svc, sess) = (Arc::clone(&service), session.clone());
            bounded(name, runs, budget, move || {
                svc.residents(&sess, query)
                    .map(|rows| rows.len())
                    .map_err(|e| e.to_string())
            });
        }
    }
    if args.wants("approvals") {
        // The chief's approvals on Today, as the demo account `chief` (only a chief has
        // them), whoever the bench runs as.
        match service.login("chief", &password) {
            Ok(chief) => {
                let svc = Arc::clone(&service);
                bounded("approvals", runs, budget, move || {
                    svc.approvals(&chief)
                        .map(|rows| rows.len())
                        .map_err(|e| e.localize(Lang::En))
                });
            }
            Err(_) => skipped("approvals", "no chief account with the bench password"),
        }
    }
    if args.wants("print") {
        print::bench_print(&service, &session, &ctx.paths.data_dir, runs);
    }
    // Last of the screens' scenarios: after reading the whole store (1.8 M audit entries,
    // every tree for the archive) every list timed in the same process stayed slower, run
    // after run (at full size the watch list 27 against 9 ms, the bureau statistics 82
    // against 41 ms), even with a cache holding it all. A terminal reads it all in its
    // own `backup` or `audit verify` process, or in an administrator's session, never
    // before an officer's lists.
    if args.wants("audit") || args.wants("backup") {
        bench_audit_and_backup(&service, supervisor.as_ref());
    }
    memory_line();
    if !args.wants("import") {
        return Ok(());
    }
    bench_import(ctx, args.import_rows);
    Ok(())
}

/// The statistics screen for the current month: a station as its chief sees it
/// (`statistics_station`), every station as a supervisor sees it (`statistics_bureau`),
/// and the bureau's Markdown report (`report`, `n` bytes). Needs the demo accounts
/// `chief` and `supervisor`.
fn bench_statistics(service: &Service, password: &str, runs: usize) {
    let month = crate::report::Month::of(service.today());
    let Ok(chief) = service.login("chief", password) else {
        skipped(
            "statistics_station",
            "no chief account with the bench password",
        );
        return;
    };
    let mut times = Vec::with_capacity(runs);
    let mut disputes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        match service.station_statistics(&chief, chief.station(), month) {
            Ok(r) => disputes = r.stats.disputes.total.received as usize,
            Err(e) => return skipped("statistics_station", &e.to_string()),
        }
        times.push(started.elapsed());
    }
    emit(timed("statistics_station", disputes, &times));
    let Ok(supervisor) = service.login("supervisor", password) else {
        skipped(
            "statistics_bureau",
            "no supervisor account with the bench password",
        );
        return;
    };
    let mut times = Vec::with_capacity(runs);
    let mut stations = 0;
    for _ in 0..runs {
        let started = Instant::now();
        match service.bureau_statistics(&supervisor, month) {
            Ok(r) => stations = r.ranked.len(),
            Err(e) => return skipped("statistics_bureau", &e.to_string()),
        }
        times.push(started.elapsed());
    }
    emit(timed("statistics_bureau", stations, &times));
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        match service.monthly_report(
            &supervisor,
            None,
            month,
            crate::report::Format::Markdown,
            crate::i18n::Lang::Zh,
        ) {
            Ok(text) => bytes = text.len(),
            Err(e) => return skipped("report", &e.to_string()),
        }
        times.push(started.elapsed());
    }
    emit(timed("report", bytes, &times));
}

/// Keystrokes typed into the watch list's filter: a surname growing into a full name, in
/// characters and pinyin, initials, and a village.
const WATCH_QUERIES: &[&str] = &["王", "王秀", "w", "wa", "wan", "wang", "zw", "村"];

/// The watch list of the user's station as the screen opens it (median of `runs`), then
/// the screen's per-keystroke filter over those rows in memory, as
/// `tui::screens::watch::WatchState::apply_text` does it (match on name or village, the
/// kept rows copied out).
fn bench_watch(service: &Service, session: &Session, runs: usize) {
    let filter = crate::service::WatchFilter::default();
    let mut times = Vec::with_capacity(runs);
    let mut rows = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        match service.watch_list(session, &filter) {
            Ok(r) => rows = r,
            Err(e) => return skipped("watch_list_open", &e.to_string()),
        }
        times.push(started.elapsed());
    }
    emit(timed("watch_list_open", rows.len(), &times));
    // The watch screen's own filter: rows prepared once per load, then each keystroke.
    let n = rows.len();
    let mut state = crate::tui::screens::watch::WatchState::default();
    state.set_rows(rows);
    let mut times = Vec::with_capacity(runs * WATCH_QUERIES.len());
    let mut kept = 0;
    for _ in 0..runs {
        for query in WATCH_QUERIES {
            let started = Instant::now();
            state.set_text(query);
            times.push(started.elapsed());
            kept = kept.max(state.rows.len());
        }
    }
    let mut line = timed("watch_filter_keystroke", n, &times);
    line["queries"] = json!(WATCH_QUERIES.len());
    line["most_kept"] = json!(kept);
    emit(line);
}

/// Registers disputes between two existing persons of the user's station, each a durable
/// write (risk assessed, indexes, audit, flush). Only on demo or seeded stores.
fn bench_dispute_save(service: &Service, session: &Session, runs: usize) {
    const NAME: &str = "dispute_save_durable";
    if !synthetic(service) {
        return skipped(NAME, "store is not demo/seeded data");
    }
    if !matches!(session.role(), Role::Officer | Role::Chief) {
        return skipped(
            NAME,
            "user cannot register disputes (not an officer or chief)",
        );
    }
    let persons: Vec<Id> = service
        .store()
        .station_person_ids(session.station())
        .take(2 * runs)
        .filter_map(Result::ok)
        .collect();
    if persons.len() < 2 {
        return skipped(NAME, "fewer than two persons in the user's station");
    }
    let category = service
        .settings()
        .disputes
        .categories
        .first()
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let a = persons[(2 * i) % persons.len()];
        let b = persons[(2 * i + 1) % persons.len()];
        let draft = DisputeDraft {
            title: "基准测试纠纷 (beatbook bench)".into(),
            category: category.clone(),
            description: "beatbook bench".into(),
            parties: vec![
                Party {
                    person: a,
                    role: PartyRole::Applicant,
                },
                Party {
                    person: b,
                    role: PartyRole::Respondent,
                },
            ],
            ..Default::default()
        };
        let started = Instant::now();
        if let Err(e) = service.register_dispute(session, &draft, None, None) {
            return skipped(NAME, &e.to_string());
        }
        times.push(started.elapsed());
    }
    emit(timed(NAME, times.len(), &times));
}

/// Opens the detail of disputes of the user's station, spread over the register.
fn bench_dispute_detail(service: &Arc<Service>, session: &Session, runs: usize, budget: Duration) {
    const NAME: &str = "dispute_detail";
    let ids: Vec<Id> = match service.store().station_disputes(session.station(), &[]) {
        Ok(rows) => rows.into_iter().map(|r| r.id).collect(),
        Err(e) => return skipped(NAME, &e.to_string()),
    };
    if ids.is_empty() {
        return skipped(NAME, "no dispute in the user's station");
    }
    let n = ids.len();
    let step = (n / runs).max(1);
    let picked: Vec<Id> = ids.into_iter().step_by(step).take(runs).collect();
    let (svc, sess) = (Arc::clone(service), session.clone());
    let mut next = 0;
    bounded(NAME, picked.len(), budget, move || {
        let id = picked[next % picked.len()];
        next += 1;
        svc.dispute_detail(&sess, id)
            .map(|_| n)
            .map_err(|e| e.to_string())
    });
}

/// Demo or seeded data: writing scenarios may add records.
fn synthetic(service: &Service) -> bool {
    let store = service.store();
    store.has_flag(Flag::Demo).unwrap_or(false) || store.has_flag(Flag::Seeded).unwrap_or(false)
}

/// Times Today and returns its median (the `sqlite` comparison divides by it).
fn bench_today(
    service: &Service,
    session: &Session,
    name: &str,
    scope: Scope,
    runs: usize,
) -> Option<Duration> {
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        match service.today_list(session, scope) {
            Ok(view) => rows = view.rows.len(),
            Err(e) => {
                skipped(name, &e.to_string());
                return None;
            }
        }
        times.push(started.elapsed());
    }
    emit(timed(name, rows, &times));
    Some(median(&times))
}

/// Records visits done, each a durable write (transaction + flush). The visits are
/// scheduled first (untimed) for a person of the user's station, due today. Returns the
/// median (the `sqlite` comparison divides by it).
fn bench_visit_done(service: &Service, session: &Session, runs: usize) -> Option<Duration> {
    const NAME: &str = "visit_done_durable";
    let store = service.store();
    if !synthetic(service) {
        return skip(NAME, "store is not demo/seeded data");
    }
    if !matches!(session.role(), Role::Officer | Role::Chief) {
        return skip(NAME, "user cannot record visits (not an officer or chief)");
    }
    let person: Option<Id> = store
        .station_person_ids(session.station())
        .next()
        .and_then(Result::ok);
    let Some(person) = person else {
        return skip(NAME, "no person in the user's station");
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
            Err(e) => return skip(NAME, &e.to_string()),
        }
    }
    let done = DoneForm {
        outcome: Some(VisitOutcome::Stable),
        method: VisitMethod::Phone,
        agreement_honoured: None,
        notes: "beatbook bench".into(),
        next_due: String::new(),
        met: None,
    };
    let mut times = Vec::with_capacity(runs);
    for v in &visits {
        let started = Instant::now();
        if let Err(e) = service.record_visit_done(session, v.meta.id, v.meta.revision, &done) {
            return skip(NAME, &e.to_string());
        }
        times.push(started.elapsed());
    }
    emit(timed(NAME, times.len(), &times));
    Some(median(&times))
}

/// Reports a skipped scenario and gives no median.
fn skip(name: &str, why: &str) -> Option<Duration> {
    skipped(name, why);
    None
}

/// What a durable write costs at least on this disk: append a few bytes to a file in the
/// data folder and `fdatasync` it, as the store does after each commit. Set beside
/// `visit_done_durable`, it shows how much of a save is the disk and how much is beatbook.
fn bench_fsync_floor(data_dir: &std::path::Path, runs: usize) {
    const NAME: &str = "fsync_floor";
    let path = data_dir.join(format!(".bench-fsync-{}.tmp", std::process::id()));
    let measured = (|| -> std::io::Result<Vec<Duration>> {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)?;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            file.write_all(&[b'x'; 256])?;
            file.sync_data()?;
            times.push(started.elapsed());
        }
        Ok(times)
    })();
    let _ = std::fs::remove_file(&path);
    match measured {
        Ok(times) => emit(timed(NAME, times.len(), &times)),
        Err(e) => skipped(NAME, &e.to_string()),
    }
}

/// The whole-store operations, once each (they take seconds): `audit_verify` (n =
/// entries), the audit viewer's first page as a supervisor, unfiltered and with a filter
/// that matches nothing (`audit_page`, `audit_page_narrow`: the scan limit bounds it), and
/// `backup` to a temporary file in the data folder (n = archive bytes; the file is removed).
fn bench_audit_and_backup(service: &Service, supervisor: Option<&crate::service::Session>) {
    let started = Instant::now();
    match service.verify_audit() {
        Ok(Ok(n)) => {
            emit(json!({"name": "audit_verify", "n": n, "ms": ms(started.elapsed()), "runs": 1}))
        }
        Ok(Err(p)) => skipped("audit_verify", &format!("chain broken at {}", p.seq())),
        Err(e) => skipped("audit_verify", &e.to_string()),
    }
    if let Some(s) = supervisor {
        for (name, filter) in [
            ("audit_page", crate::service::AuditFilter::default()),
            (
                "audit_page_narrow",
                crate::service::AuditFilter {
                    officer: "nobody-by-this-name".into(),
                    ..Default::default()
                },
            ),
        ] {
            let started = Instant::now();
            match service.audit_page(s, &filter, None) {
                Ok(page) => emit(
                    json!({"name": name, "n": page.rows.len(), "scanned": page.scanned, "ms": ms(started.elapsed()), "runs": 1}),
                ),
                Err(e) => skipped(name, &e.to_string()),
            }
        }
    }
    let file = service.store().path().with_extension("bench-backup.bbk");
    let started = Instant::now();
    match service.backup_unattended(&file, "bench") {
        Ok(summary) => emit(json!({
            "name": "backup",
            "n": summary.bytes,
            "entries": summary.header.total_entries(),
            "ms": ms(started.elapsed()),
            "runs": 1,
        })),
        Err(e) => skipped("backup", &e.to_string()),
    }
    let _ = std::fs::remove_file(&file);
}
