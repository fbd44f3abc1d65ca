//! The person-search benchmarks: the station picker, the search across stations, and a
//! fuzzy-finder baseline to compare them with.

use super::*;

/// As many results as the person picker shows.
pub(crate) const SEARCH_LIMIT: usize = crate::tui::widgets::form::PICKER_ROWS;

/// Runs of `fzf` per query at most: each is a process reading the whole names file.
pub(crate) const FZF_RUNS: usize = 5;

/// Keystrokes officers type when picking a person: a surname, a full common name, a given
/// name character, full pinyin, a pinyin prefix, initials, pinyin mixed with initials, a
/// polyphonic surname under its other reading (曾 ceng), and the ends of an ID and a phone
/// number of a person of the station.
pub(crate) fn search_queries(service: &Service, session: &Session) -> Vec<String> {
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
pub(crate) struct SearchTimes {
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
pub(crate) fn bench_search_station(
    service: &Service,
    session: &Session,
    queries: &[String],
    runs: usize,
) {
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
pub(crate) fn bench_search_all(
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
pub(crate) fn bench_fzf(
    service: &Service,
    queries: &[String],
    runs: usize,
    search_all: Option<Duration>,
) {
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
