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

/// Store opens to time: each one is a full open with migrations and lock.
const OPEN_RUNS: usize = 5;

pub(crate) fn run(ctx: &Context, args: &BenchArgs) -> Result<(), Failure> {
    let runs = args.runs.max(1);
    let store = bench_store_open(ctx)?;
    let service = Arc::new(Service::new(
        store,
        Arc::clone(&ctx.clock),
        ctx.settings.clone(),
    ));
    let password = std::env::var("BEATBOOK_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string());
    let session = service.login(&args.user, &password).map_err(|e| {
        Failure::new(ctx.say(Cli::BenchLogin, &[&args.user, &e.localize(ctx.lang)]))
    })?;
    if args.wants("today") {
        for (name, scope) in [
            ("today_station", Scope::Station),
            ("today_mine", Scope::Mine),
        ] {
            bench_today(&service, &session, name, scope, runs);
        }
    }
    if args.wants("visit_done") {
        bench_visit_done(&service, &session, runs);
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
    if args.wants("audit") || args.wants("backup") {
        bench_audit_and_backup(&service, supervisor.as_ref());
    }
    if args.wants("store_size") {
        match service.store().size_on_disk() {
            Ok(bytes) => emit(json!({"name": "store_size_bytes", "n": bytes, "ms": 0})),
            Err(e) => skipped("store_size_bytes", &e.to_string()),
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
        let (svc, sess) = (Arc::clone(&service), session.clone());
        bounded("dispute_register", runs, budget, move || {
            svc.dispute_register(&sess, &RegisterFilter::default(), RegisterSort::Risk)
                .map(|rows| rows.len())
                .map_err(|e| e.to_string())
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

/// Imports a generated roster of `rows` persons (valid ID numbers, every category and
/// level, the bench user as responsible officer) into the user's station, once, and
/// reports the time and rows per second. Only on demo or seeded stores: the roster's
/// persons stay in the store. A second import of the same file is timed too (it must
/// change nothing).
/// Imports a generated roster into a scratch demo store in the temporary folder (removed
/// afterwards), then re-runs it: the benchmarked store itself never grows, so repeated
/// bench runs measure the same data.
fn bench_import(ctx: &Context, rows: usize) {
    const NAME: &str = "import_100k";
    if rows == 0 {
        return skipped(NAME, "--import-rows 0");
    }
    let scratch =
        std::env::temp_dir().join(format!("beatbook-bench-import-{}", std::process::id()));
    let result = import_into_scratch(ctx, &scratch, rows);
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = result {
        skipped(NAME, &e);
    }
}

fn import_into_scratch(
    ctx: &Context,
    scratch: &std::path::Path,
    rows: usize,
) -> Result<(), String> {
    const NAME: &str = "import_100k";
    let store = Store::open(scratch).map_err(|e| e.to_string())?;
    let service = Service::new(store, Arc::clone(&ctx.clock), ctx.settings.clone());
    crate::demo::load_demo(&service).map_err(|e| e.to_string())?;
    let user = "officer";
    let session = service
        .login(user, DEMO_PASSWORD)
        .map_err(|e| e.to_string())?;
    let bytes = roster_csv(rows, user);
    let options = crate::service::ImportOptions::default();
    let started = Instant::now();
    let report = service.import_persons(&session, &bytes, options, &mut |_, _| {});
    let took = started.elapsed();
    let report = match report {
        Ok(r) if r.written || r.unchanged == rows => r,
        Ok(r) => {
            return Err(format!(
                "nothing written: {} rows rejected",
                r.rejected.len()
            ))
        }
        Err(e) => return Err(e.to_string()),
    };
    let secs = took.as_secs_f64().max(1e-9);
    emit(json!({
        "name": NAME,
        "n": rows,
        "ms": ms(took),
        "rows_per_s": (rows as f64 / secs).round(),
        "created": report.created,
        "flagged": report.flagged,
        "bytes": bytes.len(),
    }));
    let started = Instant::now();
    match service.import_persons(&session, &bytes, options, &mut |_, _| {}) {
        Ok(r) => emit(json!({
            "name": "import_100k_rerun",
            "n": rows,
            "ms": ms(started.elapsed()),
            "created": r.created,
            "unchanged": r.unchanged,
            "flagged": r.flagged,
            "changed": r.changed,
        })),
        Err(e) => skipped("import_100k_rerun", &e.to_string()),
    }
    Ok(())
}

/// A UTF-8 roster of `rows` distinct persons as Excel would save it: Chinese headers,
/// valid 18-character ID numbers (born 1925–1940, so they meet no seeded person), every
/// category and level in turn, `officer` responsible.
fn roster_csv(rows: usize, officer: &str) -> Vec<u8> {
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: &[&str] = &["伟", "芳", "秀英", "敏", "静", "强", "磊", "军", "洋", "勇"];
    const VILLAGES: &[&str] = &["东街村", "西河村", "南坡村", "北山村", "石桥村"];
    const CATEGORIES: &[&str] = &[
        "stability",
        "six_loss",
        "mental",
        "drugs",
        "released",
        "correction",
        "youth",
        "petition",
        "other",
    ];
    const LEVELS: &[&str] = &["红", "橙", "黄", "蓝"];
    let start = chrono::NaiveDate::from_ymd_opt(1925, 1, 1).unwrap_or_default();
    let mut out = String::with_capacity(rows * 120);
    out.push_str("姓名,性别,出生日期,身份证号,联系电话,村（社区）,类别,等级,列管依据,责任民警\n");
    for i in 0..rows {
        let seq = (i % 999 + 1) as u32;
        let born = start + chrono::Days::new((i / 999) as u64 * 53);
        let id = resident_id("430521", born, seq);
        let gender = if seq % 2 == 1 { "男" } else { "女" };
        out.push_str(&format!(
            "{}{}{},{gender},{},{id},139{:08},{},{},{},导入测试{i},{officer}\n",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / 10) % GIVEN.len()],
            GIVEN[(i / 100) % GIVEN.len()],
            born.format("%Y-%m-%d"),
            i,
            VILLAGES[i % VILLAGES.len()],
            CATEGORIES[i % CATEGORIES.len()],
            LEVELS[i % LEVELS.len()],
        ));
    }
    out.into_bytes()
}

/// An 18-character resident ID number (GB 11643-1999) with its check character.
fn resident_id(address: &str, born: chrono::NaiveDate, seq: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("{address}{}{seq:03}", born.format("%Y%m%d"));
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = CHECK[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// As many results as the person picker shows.
const SEARCH_LIMIT: usize = crate::tui::widgets::form::PICKER_ROWS;

/// Runs of `fzf` per query at most: each is a process reading the whole names file.
const FZF_RUNS: usize = 5;

/// Keystrokes officers type when picking a person: a surname, a full common name, a given
/// name character, full pinyin, a pinyin prefix, initials, pinyin mixed with initials, a
/// polyphonic surname under its other reading (曾 ceng), and the ends of an ID and a phone
/// number of a person of the station.
fn search_queries(service: &Service, session: &Session) -> Vec<String> {
    let mut queries: Vec<String> = [
        "王", "张伟", "伟", "zhangwei", "zhang", "zw", "wangf", "ceng",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    let store = service.store();
    let person = store
        .station_person_ids(session.station())
        .take(200)
        .filter_map(Result::ok)
        .filter_map(|id| store.get::<Person>(id).ok().flatten())
        .find(|p| p.id_number.is_some() && p.phone.is_some());
    if let Some(p) = person {
        let tail = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            chars[chars.len().saturating_sub(4)..]
                .iter()
                .collect::<String>()
        };
        if let Some(id) = &p.id_number {
            queries.push(tail(id.as_str()));
        }
        if let Some(phone) = &p.phone {
            queries.push(tail(phone.as_str()));
        }
    }
    queries
}

/// Per-query medians and the median over all keystrokes.
struct SearchTimes {
    all: Vec<Duration>,
    per_query: BTreeMap<String, Vec<Duration>>,
}

impl SearchTimes {
    fn new() -> SearchTimes {
        SearchTimes {
            all: Vec::new(),
            per_query: BTreeMap::new(),
        }
    }

    fn add(&mut self, query: &str, d: Duration) {
        self.all.push(d);
        self.per_query.entry(query.to_string()).or_default().push(d);
    }

    fn line(&self, name: &str, n: usize) -> serde_json::Value {
        let mut line = timed(name, n, &self.all);
        let per: BTreeMap<&String, f64> = self
            .per_query
            .iter()
            .map(|(q, t)| (q, ms(median(t))))
            .collect();
        line["queries"] = json!(self.per_query.len());
        line["per_query_ms"] = json!(per);
        line
    }
}

/// Search keystrokes over the user's station. The very first search builds the name
/// index of every person in the store; that is reported on its own as
/// `search_index_build` (build plus one query), then the keystrokes are timed.
fn bench_search_station(service: &Service, session: &Session, queries: &[String], runs: usize) {
    const NAME: &str = "search_station";
    let persons = service.store().count(Kind::Person);
    let started = Instant::now();
    if let Err(e) = service.search_persons(session, "王", SEARCH_LIMIT, false) {
        skipped("search_index_build", &e.to_string());
        skipped(NAME, &e.to_string());
        return;
    }
    emit(timed("search_index_build", persons, &[started.elapsed()]));
    let in_station = service
        .store()
        .station_person_ids(session.station())
        .count();
    let mut times = SearchTimes::new();
    for _ in 0..runs {
        for q in queries {
            let started = Instant::now();
            if let Err(e) = service.search_persons(session, q, SEARCH_LIMIT, false) {
                skipped(NAME, &e.to_string());
                return;
            }
            times.add(q, started.elapsed());
        }
    }
    emit(times.line(NAME, in_station));
}

/// The same keystrokes as the supervisor over every station (`wide`).
fn bench_search_all(
    service: &Service,
    supervisor: &Session,
    queries: &[String],
    runs: usize,
) -> Option<Duration> {
    const NAME: &str = "search_all";
    let persons = service.store().count(Kind::Person);
    let mut times = SearchTimes::new();
    for _ in 0..runs {
        for q in queries {
            let started = Instant::now();
            if let Err(e) = service.search_persons(supervisor, q, SEARCH_LIMIT, true) {
                skipped(NAME, &e.to_string());
                return None;
            }
            times.add(q, started.elapsed());
        }
    }
    emit(times.line(NAME, persons));
    Some(median(&times.all))
}

/// `fzf --filter QUERY < names` for the same queries over a file of every person's name,
/// one per line — what a generic fuzzy finder costs on the same data, process start and
/// reading included — and the ratio of beatbook's all-stations search to it.
fn bench_fzf(service: &Service, queries: &[String], runs: usize, search_all: Option<Duration>) {
    const NAME: &str = "fzf_filter_all";
    const RATIO: &str = "search_vs_fzf_ratio";
    let installed = Command::new("fzf")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        skipped(NAME, "fzf is not installed");
        skipped(RATIO, "fzf is not installed");
        return;
    }
    let file =
        std::env::temp_dir().join(format!("beatbook-bench-names-{}.txt", std::process::id()));
    let written = (|| -> std::io::Result<usize> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
        let mut n = 0;
        for p in service.store().all::<Person>() {
            let p = p.map_err(std::io::Error::other)?;
            writeln!(out, "{}", p.name)?;
            n += 1;
        }
        out.flush()?;
        Ok(n)
    })();
    let names = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&file);
            skipped(NAME, &e.to_string());
            skipped(RATIO, &e.to_string());
            return;
        }
    };
    let mut times = SearchTimes::new();
    let mut failure = None;
    'runs: for _ in 0..runs.min(FZF_RUNS) {
        for q in queries {
            let input = match std::fs::File::open(&file) {
                Ok(f) => f,
                Err(e) => {
                    failure = Some(e.to_string());
                    break 'runs;
                }
            };
            let started = Instant::now();
            // Exit status 1 only means "no match".
            let status = Command::new("fzf")
                .args(["--filter", q])
                .stdin(input)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let took = started.elapsed();
            match status {
                Ok(s) if s.code().is_some_and(|c| c <= 1) => times.add(q, took),
                Ok(s) => {
                    failure = Some(format!("fzf exited with {s}"));
                    break 'runs;
                }
                Err(e) => {
                    failure = Some(e.to_string());
                    break 'runs;
                }
            }
        }
    }
    let _ = std::fs::remove_file(&file);
    if let Some(why) = failure {
        skipped(NAME, &why);
        skipped(RATIO, &why);
        return;
    }
    emit(times.line(NAME, names));
    let fzf = median(&times.all);
    match search_all {
        Some(search) if !fzf.is_zero() => emit(json!({
            "name": RATIO,
            "n": queries.len(),
            "ms": 0,
            "search_all_ms": ms(search),
            "fzf_ms": ms(fzf),
            "ratio": (search.as_secs_f64() / fzf.as_secs_f64() * 10_000.0).round() / 10_000.0,
        })),
        _ => skipped(RATIO, "no search_all measurement"),
    }
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

/// Runs `work` up to `runs` times on a worker thread and reports the times, stopping once
/// `budget` is spent. A run that has not finished by then is abandoned (the process ends
/// after the last scenario), so the line says how many runs fitted, or that not even one
/// did. `work` returns the `n` of the line.
fn bounded(
    name: &str,
    runs: usize,
    budget: Duration,
    work: impl FnMut() -> Result<usize, String> + Send + 'static,
) {
    emit(bounded_line(name, runs, budget, work));
}

fn bounded_line(
    name: &str,
    runs: usize,
    budget: Duration,
    mut work: impl FnMut() -> Result<usize, String> + Send + 'static,
) -> serde_json::Value {
    let (tx, rx) = mpsc::channel::<Result<(usize, Duration), String>>();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_worker = Arc::clone(&stop);
    std::thread::spawn(move || {
        for _ in 0..runs {
            if stop_worker.load(Ordering::Relaxed) {
                return;
            }
            let started = Instant::now();
            let result = work().map(|n| (n, started.elapsed()));
            let failed = result.is_err();
            if tx.send(result).is_err() || failed {
                return;
            }
        }
    });
    let deadline = Instant::now() + budget;
    let mut times = Vec::with_capacity(runs);
    let mut n = 0;
    while times.len() < runs {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok((rows, took))) => {
                n = rows;
                times.push(took);
            }
            Ok(Err(e)) => return skipped_line(name, &e),
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::Relaxed);
    if times.is_empty() {
        return skipped_line(
            name,
            &format!(
                "one run takes longer than the budget of {} s",
                budget.as_secs_f64()
            ),
        );
    }
    let mut line = timed(name, n, &times);
    if times.len() < runs {
        line["stopped"] = json!(format!("time budget of {} s", budget.as_secs_f64()));
    }
    line
}

/// Demo or seeded data: writing scenarios may add records.
fn synthetic(service: &Service) -> bool {
    let store = service.store();
    store.has_flag(Flag::Demo).unwrap_or(false) || store.has_flag(Flag::Seeded).unwrap_or(false)
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
    if !synthetic(service) {
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
        met: None,
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

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The measurement line: median and slowest of `times`.
fn timed(name: &str, n: usize, times: &[Duration]) -> serde_json::Value {
    let max = times.iter().max().copied().unwrap_or_default();
    json!({
        "name": name,
        "n": n,
        "ms": ms(median(times)),
        "max_ms": ms(max),
        "runs": times.len(),
    })
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

fn skipped(name: &str, why: &str) {
    emit(skipped_line(name, why));
}

fn skipped_line(name: &str, why: &str) -> serde_json::Value {
    json!({"name": name, "n": 0, "ms": null, "skipped": why})
}

fn emit(line: serde_json::Value) {
    outln!("{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_runs_report_what_fitted_in_the_budget() {
        let line = bounded_line("fast", 3, Duration::from_secs(5), || Ok(7));
        assert_eq!(line["runs"], 3);
        assert_eq!(line["n"], 7);
        assert!(line["ms"].is_number());

        let line = bounded_line("slow", 3, Duration::from_millis(30), || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(1)
        });
        assert!(line["ms"].is_null(), "{line}");
        assert!(line["skipped"]
            .as_str()
            .is_some_and(|s| s.contains("budget")));

        let mut calls = 0;
        let line = bounded_line("slower", 5, Duration::from_millis(300), move || {
            calls += 1;
            if calls > 1 {
                std::thread::sleep(Duration::from_millis(2000));
            }
            Ok(1)
        });
        assert_eq!(line["runs"], 1, "{line}");
        assert!(line["stopped"].is_string(), "{line}");

        let line = bounded_line("failing", 3, Duration::from_secs(5), || Err("no".into()));
        assert_eq!(line["skipped"], "no");
    }

    #[test]
    fn the_median_is_the_middle_run() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(&[]), Duration::ZERO);
    }
}
