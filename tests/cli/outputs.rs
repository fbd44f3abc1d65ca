//! Files in and out: export, import, closed pipes, permissions, links, CSV formulas.

use super::*;

#[test]
fn export_to_a_file_is_complete_or_absent() {
    let dir = demo_folder();
    let file = dir.path().join("backup.jsonl");
    let out = ok(beatbook(dir.path()).args(["export", "--out"]).arg(&file));
    assert!(text(&out.stderr).contains("Exported"), "counts on stderr");
    assert!(out.stdout.is_empty(), "nothing on stdout with --out");
    let written = std::fs::read_to_string(&file).expect("backup written");
    assert_eq!(written.lines().count(), export_lines(dir.path()).len());
    assert!(!dir.path().join("backup.jsonl.tmp").exists());

    let nowhere = dir.path().join("no-such-folder").join("backup.jsonl");
    refused(&run(beatbook(dir.path())
        .args(["export", "--out"])
        .arg(&nowhere)));
    assert!(!nowhere.exists());
}

fn roster(rows: usize) -> String {
    const GIVEN: [&str; 12] = [
        "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "杰", "娟", "涛",
    ];
    let mut csv = String::from("姓名,身份证号,联系电话,类别,等级,责任民警\n");
    for i in 0..rows {
        let id = id_number(&format!(
            "4305211931{:02}{:02}{:03}",
            1 + i % 12,
            1 + i % 28,
            11 + 2 * i
        ));
        let level = ["红", "橙", "黄", "蓝"][i % 4];
        csv.push_str(&format!(
            "段{}{},{id},1390000{i:04},涉毒,{level},officer\n",
            GIVEN[i % 12],
            GIVEN[(i / 12) % 12]
        ));
    }
    csv
}

#[test]
fn import_persons_end_to_end_is_idempotent_and_reports_bad_rows() {
    let dir = demo_folder();
    let before = export_lines(dir.path());
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, roster(12)).expect("write roster");
    let import = |path: &Path| {
        let mut cmd = beatbook(dir.path());
        cmd.env("BEATBOOK_PASSWORD", "demo1234")
            .args(["import", "persons"])
            .arg(path)
            .args(["--user", "officer"]);
        cmd
    };
    ok(&mut import(&file));
    let after = export_lines(dir.path());
    assert_eq!(count(&after, "person"), count(&before, "person") + 12);
    assert_eq!(count(&after, "flag"), count(&before, "flag") + 12);
    run(&mut import(&file));
    let again = export_lines(dir.path());
    for kind in ["person", "flag", "visit", "alert"] {
        assert_eq!(count(&again, kind), count(&after, kind), "{kind} changed");
    }
    let bad = dir.path().join("bad.csv");
    let mut text_bad = roster(3);
    text_bad.push_str("坏行,430521193101010010,,涉毒,紫,officer\n");
    std::fs::write(&bad, text_bad).expect("write bad roster");
    refused(&run(&mut import(&bad)));
    assert!(dir.path().join("bad.rejected.csv").exists());
    assert_eq!(
        count(&export_lines(dir.path()), "person"),
        count(&after, "person")
    );
}

/// Asserts the command ended as its work did (success), quietly: no panic, exit 0.
fn quietly_ok(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{what} panicked: {err}");
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {err}",
        out.status
    );
}

/// Every command that prints keeps going when its reader leaves: the work is done and
/// the exit code says so (an import saved, then reported failure before).
#[test]
fn output_to_a_closed_pipe_ends_quietly_after_the_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    quietly_ok(
        &with_closed_stdout(beatbook(dir.path()).arg("demo")),
        "demo",
    );
    assert!(
        count(&export_lines(dir.path()), "person") > 0,
        "demo loaded despite the closed pipe"
    );
    for args in [
        vec!["check"],
        vec!["audit", "verify"],
        vec!["report", "--month", "2026-11"],
        vec!["report", "--month", "2026-11", "--format", "csv"],
        vec!["export"],
        vec![
            "bench",
            "--runs",
            "1",
            "--import-rows",
            "0",
            "--only",
            "today",
        ],
    ] {
        let out = with_closed_stdout(beatbook(dir.path()).args(&args));
        quietly_ok(&out, &args.join(" "));
    }
    let before = count(&export_lines(dir.path()), "person");
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, roster(5)).expect("write roster");
    let out = with_closed_stdout(
        beatbook(dir.path())
            .env("BEATBOOK_PASSWORD", "demo1234")
            .args(["import", "persons"])
            .arg(&file)
            .args(["--user", "officer"]),
    );
    quietly_ok(&out, "import");
    assert_eq!(count(&export_lines(dir.path()), "person"), before + 5);
}

/// The store, the log, backups, exports and reports hold personal data: another account
/// on the station PC must not read them. A data folder found open to others is closed
/// and the user told.
#[cfg(unix)]
#[test]
fn files_beatbook_creates_are_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }
    fn assert_private_tree(path: &Path) {
        assert_eq!(
            mode(path) & 0o077,
            0,
            "{} is {:o}",
            path.display(),
            mode(path)
        );
        if path.is_dir() {
            for entry in std::fs::read_dir(path).expect("read dir") {
                assert_private_tree(&entry.expect("entry").path());
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // The temp dir itself is private; open it up so that only beatbook's own modes count.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data = dir.path().join("data");
    ok(beatbook(&data).arg("demo"));
    assert_eq!(mode(&data), 0o700);
    assert_private_tree(&data);
    let backup = dir.path().join("demo.bbk");
    ok(beatbook(&data).arg("backup").arg(&backup));
    let export = dir.path().join("demo.jsonl");
    ok(beatbook(&data).arg("export").arg("--out").arg(&export));
    let report = dir.path().join("report.md");
    ok(beatbook(&data)
        .args(["report", "--month", "2026-11", "--out"])
        .arg(&report));
    for file in [&backup, &export, &report] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    // A store an earlier version left open is closed and the user told; the data folder
    // itself (it may be one the user shares) is left as it is.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let store = data.join("store");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = ok(beatbook(&data).arg("check"));
    assert!(
        text(&out.stderr).contains("now private"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(mode(&store), 0o700);
    assert_eq!(mode(&data), 0o755);
}

/// Outputs are written only as plain files: a link, a pipe or a folder where the file
/// should go is refused and left as it was (the rename replaced them, `/dev/null`
/// included when run as root); a `FILE.tmp` left by a killed run is removed and said so.
#[cfg(unix)]
#[test]
fn outputs_refuse_links_pipes_and_folders_and_clean_up_leftovers() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    ok(beatbook(&data).arg("demo"));
    let outside = dir.path().join("elsewhere.txt");
    std::fs::write(&outside, "keep me").expect("outside");
    let link = dir.path().join("export.jsonl");
    std::os::unix::fs::symlink(&outside, &link).expect("symlink");
    let fifo = dir.path().join("report.md");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let folder = dir.path().join("backup.bbk");
    std::fs::create_dir(&folder).expect("folder");
    for (args, target) in [
        (vec!["export", "--out"], &link),
        (vec!["report", "--month", "2026-11", "--out"], &fifo),
        (vec!["backup"], &folder),
    ] {
        let err = refused(&run(beatbook(&data).args(&args).arg(target)));
        assert!(err.contains("not a plain file"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "keep me");
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    assert!(std::fs::symlink_metadata(&fifo)
        .expect("fifo")
        .file_type()
        .is_fifo());
    assert!(folder.is_dir());
    // `-` is standard output.
    let out = ok(beatbook(&data).args(["report", "--month", "2026-11", "--out", "-"]));
    assert!(!text(&out.stdout).trim().is_empty());

    let archive = dir.path().join("b.bbk");
    let leftover = dir.path().join("b.bbk.tmp");
    std::fs::write(&leftover, "half an archive").expect("leftover");
    let out = ok(beatbook(&data).arg("backup").arg(&archive));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
    assert!(!leftover.exists());
    assert!(archive.is_file());
}

/// Every cell of a CSV report is safe to open in a spreadsheet: a station (or officer,
/// or category) named like a formula is written as text, never as `=…` that Excel would
/// run; the screens keep the name as typed.
#[test]
fn csv_reports_never_start_a_spreadsheet_formula() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "=HYPERLINK(\"http://x\",\"y\")";
    ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args([
            "init",
            "--station",
            name,
            "--admin",
            "Admin",
            "--code",
            "CG",
        ]));
    let out = ok(beatbook(dir.path()).args(["report", "--month", "2026-11", "--format", "csv"]));
    let report = text(&out.stdout);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(report.trim_start_matches('\u{feff}').as_bytes());
    let mut station_cells = 0;
    for record in reader.records() {
        for cell in record.expect("a CSV record").iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "formula cell in the report: {cell:?}");
            station_cells += usize::from(cell == format!("'{name}"));
        }
    }
    assert!(
        station_cells > 0,
        "the station is named in the report:\n{report}"
    );
}
