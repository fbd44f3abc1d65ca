//! Seed and bench: generated data over stations, never written into a real store.

use super::*;

#[test]
fn seed_with_disputes_spreads_them_over_stations_with_their_visits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args([
        "seed",
        "--persons",
        "300",
        "--visits",
        "200",
        "--disputes",
        "120",
    ]));
    assert!(
        text(&out.stdout).contains("120 disputes"),
        "{}",
        text(&out.stdout)
    );
    let lines = export_lines(dir.path());
    let disputes = checked_disputes(&lines);
    assert_eq!(disputes.len(), 120);
    let stations: std::collections::HashSet<&str> = disputes
        .iter()
        .filter_map(|d| d["meta"]["station"].as_str())
        .collect();
    assert_eq!(stations.len(), 5);
    let statuses: std::collections::HashSet<&str> = disputes
        .iter()
        .filter_map(|d| d["status"].as_str())
        .collect();
    assert!(statuses.len() >= 6, "{statuses:?}");
    // Person visits as asked; dispute follow-ups on top.
    let visits = lines.iter().filter(|l| l["kind"] == "visit");
    let (of_disputes, of_persons): (Vec<&Value>, Vec<&Value>) =
        visits.partition(|v| v["subject"]["dispute"].is_string());
    assert_eq!(of_persons.len(), 200);
    assert!(!of_disputes.is_empty());

    // A second seed adds disputes between the persons already there.
    ok(beatbook(dir.path()).args(["seed", "--disputes", "10"]));
    assert_eq!(checked_disputes(&export_lines(dir.path())).len(), 130);
}

#[test]
fn seed_small_then_counts_in_export_and_bench_prints_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args([
        "seed",
        "--persons",
        "500",
        "--visits",
        "2000",
        "--disputes",
        "100",
    ]));
    assert!(text(&out.stdout).contains("demo1234"), "accounts printed");
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "station"), 5);
    assert_eq!(count(&lines, "person"), 500);
    assert_eq!(count(&lines, "dispute"), 100);
    let person_visits = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["subject"]["dispute"].is_null())
        .count();
    assert_eq!(person_visits, 2000);

    let out = ok(beatbook(dir.path()).args(["bench", "--runs", "3", "--import-rows", "50"]));
    let bench: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("bench line is JSON"))
        .collect();
    let names: Vec<&str> = bench.iter().filter_map(|l| l["name"].as_str()).collect();
    for want in [
        "store_open",
        "today_station",
        "today_mine",
        "visit_done_durable",
        "fsync_floor",
        "search_index_build",
        "search_station",
        "search_all",
        "fzf_filter_all",
        "search_vs_fzf_ratio",
        "dispute_save_durable",
        "store_size_bytes",
        "tui_redraw",
        "dispute_detail",
        "dispute_register",
        "dispute_alerts",
        "residents_open",
        "residents_search",
        "approvals",
        "watch_list_open",
        "watch_filter_keystroke",
        "import_100k",
        "import_100k_rerun",
    ] {
        assert!(names.contains(&want), "{want} missing: {names:?}");
    }
    for line in &bench {
        assert!(line["n"].is_u64(), "{line}");
        assert!(
            line["ms"].is_number() || line["skipped"].is_string(),
            "{line}"
        );
    }
    // fzf may be missing on the machine; everything else is measured on a seeded store.
    for line in bench.iter().filter(|l| {
        !matches!(
            l["name"].as_str(),
            Some("fzf_filter_all" | "search_vs_fzf_ratio")
        )
    }) {
        assert!(
            line["ms"].is_number(),
            "a seeded store is benchmarked: {line}"
        );
    }
    let search = bench
        .iter()
        .find(|l| l["name"] == "search_station")
        .expect("line");
    assert_eq!(search["queries"], 10, "{search}");
    // The benchmark's disputes were saved like any other.
    let after = export_lines(dir.path());
    assert_eq!(count(&after, "dispute"), 103);
    // The import benchmark imported its roster of 50 persons, each flagged, into a
    // scratch store: the benchmarked store does not grow from one run to the next.
    let import = bench
        .iter()
        .find(|l| l["name"] == "import_100k")
        .expect("line");
    assert_eq!(import["created"], 50, "{import}");
    assert_eq!(import["flagged"], 50, "{import}");
    assert_eq!(count(&after, "person"), 500);
    assert_eq!(count(&after, "flag"), 0);
}

#[test]
fn bench_never_writes_into_a_real_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "城关派出所", "--admin", "admin"]));
    let out = ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["bench", "--user", "admin", "--runs", "2"]));
    let said = text(&out.stdout);
    assert!(said.contains("store is not demo/seeded data"), "{said}");
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "visit"), 0);
    assert_eq!(count(&lines, "dispute"), 0);

    // Nor does seed mix synthetic data into it.
    let err = refused(&run(beatbook(dir.path()).args(["seed", "--persons", "5"])));
    assert!(err.contains("already set up"), "{err}");
    assert_eq!(count(&export_lines(dir.path()), "person"), 0);
}

#[test]
fn seed_watch_flags_persons_with_rolling_visits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args(["seed", "--persons", "100", "--watch", "40"]));
    assert!(
        text(&out.stdout).contains("40 persons flagged"),
        "{}",
        text(&out.stdout)
    );
    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "flag"), 40);
    let stations: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter(|l| l["kind"] == "flag")
        .filter_map(|l| l["meta"]["station"].as_str())
        .collect();
    assert_eq!(stations.len(), 5);
    let owed = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["status"] == "scheduled")
        .count();
    assert_eq!(owed, 40, "one owed visit per flag");
}
