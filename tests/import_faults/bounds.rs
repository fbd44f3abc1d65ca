//! Configured numbers and `report --month` years stay within their bounds.

use super::*;

/// `config.toml` numbers outside their range are refused naming the file, the line and
/// the allowed range (a huge `lock_minutes` was accepted and overflowed the lock's end).
#[test]
fn configured_numbers_out_of_range_are_refused_with_file_line_and_range() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    let config = data.join("config-home").join("beatbook");
    std::fs::create_dir_all(&config).expect("mkdir");
    for (text_of_file, range) in [
        (
            "[login]\nlock_minutes = 9999999999999\n",
            "1 to 1440 minutes",
        ),
        ("[login]\nmax_failures = 5000\n", "1 to 100"),
    ] {
        std::fs::write(config.join("config.toml"), text_of_file).expect("write");
        let out = run(beatbook(&data, "en_US.UTF-8").arg("check"));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text_of_file}: {stderr}");
        assert!(
            stderr.contains("config.toml:2:") && stderr.contains(range),
            "{text_of_file}: {stderr}"
        );
    }
}

/// `report --month` takes years 2000 to 2100 only, with a message saying so.
#[test]
fn report_month_years_are_2000_to_2100() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    for month in ["1999-12", "2101-01", "0001-01", "9999-12"] {
        let out = run(beatbook(&data, "en_US.UTF-8").args(["report", "--month", month]));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{month}: {stderr}");
        assert!(stderr.contains("2000 to 2100"), "{month}: {stderr}");
        let out = run(beatbook(&data, "zh_CN.UTF-8").args(["report", "--month", month]));
        assert!(
            text(&out.stderr).contains("2000 年至 2100 年"),
            "{month}: {}",
            text(&out.stderr)
        );
    }
    ok(beatbook(&data, "en_US.UTF-8").args(["report", "--month", "2000-01"]));
}
