//! End-to-end: the real `beatbook` binary in a pseudo-terminal. An officer flags the person
//! of their most overdue visit red, records that visit done, sees the weekly visit on
//! Today, and `export` shows the flag and the new visit.

use crate::common;

use common::tty::{of_kind, E2e};
use std::path::Path;

/// The person of the officer's most overdue visit (the first row of Today): id and name.
fn first_row_person(
    lines: &[serde_json::Value],
    path_hint: &Path,
) -> (serde_json::Value, String, String) {
    let officer = of_kind(lines, "officer")
        .into_iter()
        .find(|o| o["username"] == "officer")
        .expect("demo account `officer`")["meta"]["id"]
        .clone();
    let mut owed: Vec<_> = of_kind(lines, "visit")
        .into_iter()
        .filter(|v| v["status"] == "scheduled" && v["assigned_to"] == officer)
        .collect();
    owed.sort_by_key(|v| v["due"].as_str().unwrap_or_default().to_string());
    let first = owed.first().expect("the officer owes visits");
    assert_ne!(
        owed.get(1).map(|v| &v["due"]),
        Some(&first["due"]),
        "the demo's most overdue visit must be unique ({})",
        path_hint.display()
    );
    let person = first["subject"]["person"].clone();
    let record = of_kind(lines, "person")
        .into_iter()
        .find(|p| p["meta"]["id"] == person)
        .expect("the person");
    let name = record["name"].as_str().expect("name").to_string();
    let id_number = record["id_number"]
        .as_str()
        .expect("the demo person has an ID number")
        .to_string();
    (person, name, id_number)
}

#[test]
fn officer_flags_a_person_red_and_the_weekly_visit_follows_the_one_made() {
    let d = E2e::with_demo();
    let before = d.export();
    let (person, name, full_id) = first_row_person(&before, &d.data);
    assert_eq!(full_id.len(), 18);
    let masked_id = format!("{}********{}", &full_id[..6], &full_id[14..]);
    let owed_before: Vec<_> = of_kind(&before, "visit")
        .into_iter()
        .filter(|v| v["subject"]["person"] == person && v["status"] == "scheduled")
        .collect();
    assert_eq!(
        owed_before.len(),
        1,
        "{name} owes one visit: {owed_before:#?}"
    );
    let first_visit = owed_before[0]["meta"]["id"].clone();
    assert!(
        of_kind(&before, "flag")
            .iter()
            .all(|f| f["person"] != person || f["status"] != "active"),
        "{name} is not on the watch list yet"
    );

    let mut tty = d.tty("zh", 100, 40);
    tty.wait_for("登录");
    tty.press("officer<Tab>");
    tty.press("demo1234<Enter>");
    tty.wait_for("今日回访");
    tty.wait_for(&name);
    // The visit, then its person.
    tty.press("<Enter>");
    tty.wait_for("回访详情");
    tty.send("p");
    tty.wait_for("未列为重点人员");
    // Personal data masked on the person screen.
    tty.wait_for(&masked_id);
    let screen = tty.contents();
    assert!(!screen.contains(&full_id), "ID number unmasked:\n{screen}");
    // Flag red: the first category, level 1 (red), a basis.
    tty.send("f");
    tty.wait_for("列为重点人员");
    tty.send(" ");
    tty.press("<Tab>");
    tty.send("1");
    tty.press("<Tab>");
    tty.send("多次扬言报复邻居");
    tty.press("<C-s>");
    tty.wait_for("已列为重点人员（红）");
    // Back to Today.
    tty.press("<Esc>");
    tty.press("<Esc>");
    tty.wait_for("今日回访");
    tty.wait_for(&name);
    // The owed visit done (first row): outcome stable, no date typed.
    tty.send("d");
    tty.wait_for("记录已访");
    tty.press("<Right>"); // 情况稳定
    tty.wait_for("情况稳定");
    tty.press("<C-s>");
    tty.wait_for(&format!("已记录：{name} 已访"));
    // The weekly visit, a week after the one made today, is on Today.
    tty.wait_for("12-02");
    tty.wait_for("重点人员定期走访（红）");
    let screen = tty.contents();
    let row = screen
        .lines()
        // The demo has other red flags of the officer's: the row of this person.
        .find(|l| l.contains("重点人员定期走访（红）") && l.contains(&name))
        .unwrap_or_default();
    assert!(
        row.contains(&name) && row.contains("12-02"),
        "the weekly visit's row names {name} and 12-02:\n{screen}"
    );
    tty.quit();

    let after = d.export();
    let flags: Vec<_> = of_kind(&after, "flag")
        .into_iter()
        .filter(|f| f["person"] == person)
        .collect();
    assert_eq!(flags.len(), 1, "{flags:#?}");
    let flag = flags[0];
    assert_eq!(flag["level"], "red");
    assert_eq!(flag["status"], "active");
    assert_eq!(flag["basis"], "多次扬言报复邻居");
    assert_eq!(flag["added_on"], "2026-11-25");
    assert_eq!(flag["last_contact"], "2026-11-25");
    assert_eq!(flag["history"][0]["kind"], "added");
    let visits: Vec<_> = of_kind(&after, "visit")
        .into_iter()
        .filter(|v| v["subject"]["person"] == person)
        .collect();
    let done = visits
        .iter()
        .find(|v| v["meta"]["id"] == first_visit)
        .expect("the visit made");
    assert_eq!(done["status"], "done");
    assert_eq!(done["outcome"], "stable");
    let owed: Vec<_> = visits
        .iter()
        .filter(|v| v["status"] == "scheduled")
        .collect();
    assert_eq!(owed.len(), 1, "exactly one visit owed: {owed:#?}");
    assert_eq!(owed[0]["due"], "2026-12-02");
    assert_eq!(owed[0]["subject"]["dispute"], serde_json::Value::Null);
    assert_eq!(owed[0]["assigned_to"], done["assigned_to"]);
    assert_eq!(owed[0]["purpose"], "重点人员定期走访（红）");
}
