//! Timing and reporting: runs bounded by a budget, medians, and the JSON lines the
//! benchmarks print.

use super::*;

/// Runs `work` up to `runs` times on a worker thread and reports the times, stopping once
/// `budget` is spent. A run that has not finished by then is abandoned (the process ends
/// after the last scenario), so the line says how many runs fitted, or that not even one
/// did. `work` returns the `n` of the line.
pub(crate) fn bounded(
    name: &str,
    runs: usize,
    budget: Duration,
    work: impl FnMut() -> Result<usize, String> + Send + 'static,
) {
    emit(bounded_line(name, runs, budget, work));
}

pub(crate) fn bounded_line(
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

pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

pub(crate) fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The measurement line: median and slowest of `times`.
pub(crate) fn timed(name: &str, n: usize, times: &[Duration]) -> serde_json::Value {
    let max = times.iter().max().copied().unwrap_or_default();
    json!({
        "name": name,
        "n": n,
        "ms": ms(median(times)),
        "max_ms": ms(max),
        "runs": times.len(),
    })
}

pub(crate) fn skipped(name: &str, why: &str) {
    emit(skipped_line(name, why));
}

pub(crate) fn skipped_line(name: &str, why: &str) -> serde_json::Value {
    json!({"name": name, "n": 0, "ms": null, "skipped": why})
}

pub(crate) fn emit(line: serde_json::Value) {
    outln!("{line}");
}

/// The process's resident memory now and at its peak (Linux `/proc/self/status`), after
/// the scenarios that load lists, the search index and sled's cache: what a terminal
/// holding the same store would need.
pub(crate) fn memory_line() {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return skipped("memory", "no /proc/self/status");
    };
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    emit(
        json!({"name": "memory_rss_mb", "n": kb("VmRSS:").unwrap_or(0) / 1024,
        "peak_mb": kb("VmHWM:").unwrap_or(0) / 1024, "ms": 0}),
    );
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
