//! End-to-end: the real `beatbook` binary in a pseudo-terminal, driven by keys, checked on
//! screen (through a vt100 parser) and in the store afterwards (through `export`).

use crate::common;

use common::tty::{of_kind, E2e};

#[test]
fn officer_records_the_first_visit_done_and_export_shows_it() {
    let run = E2e::with_demo();
    let before = run.export();
    let done_before: Vec<String> = of_kind(&before, "visit")
        .iter()
        .filter(|v| v["status"] == "done")
        .map(|v| v["meta"]["id"].to_string())
        .collect();

    let mut tty = run.tty("zh", 100, 30);
    tty.wait_for("登录");
    tty.press("officer<Tab>");
    tty.press("demo1234<Enter>");
    tty.wait_for("今日回访");
    tty.wait_for("超期未访");
    tty.send("d");
    tty.wait_for("记录已访");
    tty.press("<Right>"); // outcome 情况稳定
    tty.wait_for("情况稳定");
    tty.press("<Tab><Tab><Tab>"); // method, agreement, notes
    tty.send("双方情绪平稳");
    tty.press("<Tab>+7");
    tty.press("<C-s>");
    tty.wait_for("已记录");
    tty.wait_for("下次回访 2026-12-02");

    // While the app holds the folder, a second beatbook is told so, in plain words.
    let second = run
        .command()
        .args(["--lang", "en", "export"])
        .output()
        .expect("second");
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("in use by another beatbook"), "{err}");

    tty.quit();

    let after = run.export();
    let all = of_kind(&after, "visit");
    let newly_done: Vec<_> = all
        .iter()
        .filter(|v| v["status"] == "done" && !done_before.contains(&v["meta"]["id"].to_string()))
        .collect();
    assert_eq!(newly_done.len(), 1, "exactly one visit recorded done");
    let done = newly_done[0];
    assert_eq!(done["outcome"], "stable");
    assert_eq!(done["notes"], "双方情绪平稳");
    let next_id = &done["next_visit"];
    let next = all
        .iter()
        .find(|v| &v["meta"]["id"] == next_id)
        .expect("the next visit is in the export");
    assert_eq!(next["status"], "scheduled");
    assert_eq!(next["due"], "2026-12-02");
    assert_eq!(next["subject"], done["subject"]);
    assert!(
        after.iter().all(|l| l.get("password_hash").is_none()),
        "export must not carry password hashes"
    );
}

#[test]
fn wrong_password_then_lockout_message_in_english() {
    let run = E2e::with_demo();
    let mut tty = run.tty("en", 80, 24);
    tty.wait_for("beatbook login");
    tty.press("officer<Tab>wrong-one<Enter>");
    tty.wait_for("wrong username or password");
    for _ in 0..4 {
        tty.press("wrong-one<Enter>");
    }
    tty.wait_for("locked");
    tty.press("<Esc>"); // Esc quits from the login screen
    assert!(tty.wait_exit(), "{}", tty.contents());
}
