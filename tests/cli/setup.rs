//! Set-up, and the clear messages for a bad folder, language, configuration or keymap.

use super::*;

#[test]
fn init_sets_up_once_and_refuses_a_second_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args([
            "init",
            "--station",
            "城关派出所",
            "--admin",
            "Admin",
            "--code",
            "CG",
        ]));
    let said = text(&out.stdout);
    assert!(
        said.contains("城关派出所") && said.contains("admin"),
        "{said}"
    );

    let again = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "secret-pass-1")
        .args(["init", "--station", "其他派出所", "--admin", "other"]));
    let err = refused(&again);
    assert!(err.contains("already set up"), "{err}");

    let lines = export_lines(dir.path());
    assert_eq!(count(&lines, "station"), 1);
    assert_eq!(count(&lines, "officer"), 1);
}

#[test]
fn init_refuses_a_short_password_and_a_bad_username_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "short")
        .args([
            "--lang",
            "zh",
            "init",
            "--station",
            "城关派出所",
            "--admin",
            "admin",
        ]));
    let err = refused(&out);
    assert!(err.contains("错误"), "{err}");
    let out = run(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "long-enough-1")
        .args(["init", "--station", "城关派出所", "--admin", "王警官"]));
    refused(&out);
    assert!(export_lines(dir.path()).is_empty(), "nothing half-written");
}

#[test]
fn unknown_language_falls_back_to_the_locale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).args(["--lang", "klingon", "demo"]));
    let err = text(&out.stderr);
    assert!(err.contains("unsupported language 'klingon'"), "{err}");
    assert!(text(&out.stdout).contains("Demo data loaded"));

    let out = run(beatbook(dir.path())
        .env("LANG", "zh_CN.UTF-8")
        .env("BEATBOOK_LANG", "xx")
        .arg("demo"));
    let err = refused(&out);
    assert!(err.contains("不支持的语言"), "{err}");
    assert!(err.contains("数据已初始化"), "{err}");
}

#[test]
fn unwritable_data_folder_is_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"not a folder").expect("write");
    let out = run(beatbook(&file.join("data"))
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("cannot write the data folder"), "{err}");
}

#[test]
fn a_folder_in_use_is_told_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let held = beatbook::store::Store::open(&dir.path().join("store")).expect("open in-process");
    let out = run(beatbook(dir.path()).arg("export"));
    let err = refused(&out);
    assert!(err.contains("in use by another beatbook"), "{err}");
    let out = run(beatbook(dir.path()).args(["--lang", "zh", "demo"]));
    let err = refused(&out);
    assert!(err.contains("正被另一个 beatbook 使用"), "{err}");
    drop(held);
    ok(beatbook(dir.path()).arg("export"));
}

#[test]
fn configuration_and_clock_errors_name_the_problem_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config-home").join("beatbook");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        "[today]\nwindow_days = 7\n[login]\nmax_failure = 3\n",
    )
    .expect("write config");
    let out = run(beatbook(dir.path()).arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("config.toml:4"), "{err}");
    std::fs::remove_file(config.join("config.toml")).expect("remove");

    let out = run(beatbook(dir.path())
        .env("BEATBOOK_NOW", "yesterday")
        .arg("export"));
    let err = refused(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("BEATBOOK_NOW"), "{err}");
}

#[test]
fn a_broken_keymap_names_file_line_and_problem_before_anything_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keymap = dir.path().join("mine.toml");
    std::fs::write(
        &keymap,
        "[today]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"<Hyper-k>\", run = \"up\" },\n]\n",
    )
    .expect("write");
    let out = run(beatbook(&dir.path().join("data"))
        .args(["--lang", "en", "--keymap"])
        .arg(&keymap));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("mine.toml:4"), "{err}");
    assert!(err.contains("Hyper-k"), "{err}");
    // Nothing was opened: the store folder was not even created.
    assert!(!dir.path().join("data").join("store").exists());

    let out = run(beatbook(&dir.path().join("data")).args([
        "--lang",
        "zh",
        "--keymap",
        "no-such-keymap",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("default, vim"));
}
