//! End-to-end: the real `beatbook` binary in a pseudo-terminal registers a land dispute
//! between two Chinese-named parties (one picked by pinyin initials, one created inline),
//! accepts it, records a mediation session and resolves it; Today then lists the day-1
//! follow-up and `export` shows everything. Also: a broken `disputes.toml` stops the
//! program at start-up naming file, line and problem.

use crate::common;

use beatbook::demo::DEMO_PASSWORD;
use beatbook::model::Role;
use beatbook::service::{FixedClock, Service};
use beatbook::store::Store;
use common::tty::{of_kind, E2e, NOW};
use pinyin::ToPinyin;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

const TITLE: &str = "东关村宅基地边界纠纷";
const NEW_PARTY: &str = "欧阳春花";

/// Pinyin initials of a name (first reading of each character).
fn initials(name: &str) -> String {
    name.to_pinyin()
        .map(|p| p.map(|p| p.first_letter()).unwrap_or(""))
        .collect()
}

/// A demo person of the officer's station, not watch-listed, whose pinyin initials find
/// them first, as the party picker would: (name, id, initials).
fn person_found_by_initials(data: &Path, station: &str) -> (String, String, String) {
    let store = Store::open(&data.join("store")).expect("store opens");
    let service = Service::new(
        store,
        Arc::new(FixedClock::parse(NOW).expect("now")),
        beatbook::config::Settings::default(),
    );
    let officer = service
        .login("officer", DEMO_PASSWORD)
        .expect("officer logs in");
    assert_eq!(officer.role(), Role::Officer);
    assert_eq!(officer.station().to_string(), station);
    let candidates: Vec<beatbook::model::Person> = service
        .store()
        .all::<beatbook::model::Person>()
        .map(|p| p.expect("person"))
        .filter(|p| p.meta.station == officer.station() && p.name.chars().count() == 3)
        // Not a watch-listed person: their dispute would be orange with more follow-ups.
        .filter(|p| matches!(service.store().flag_of(p.meta.id), Ok(None)))
        .collect();
    for p in candidates {
        let q = initials(&p.name);
        if q.len() != 3 {
            continue;
        }
        let hits = service
            .search_persons(&officer, &q, 6, false)
            .expect("search");
        if hits.first().map(|c| c.id) == Some(p.meta.id)
            && hits.iter().filter(|c| c.name == p.name).count() == 1
        {
            return (p.name.clone(), p.meta.id.to_string(), q);
        }
    }
    panic!("no demo person of station 1 is found first by their initials");
}

#[test]
fn officer_registers_mediates_and_resolves_a_land_dispute_by_keyboard() {
    let run = E2e::with_demo();
    let before = run.export();
    let officer = of_kind(&before, "officer")
        .into_iter()
        .find(|o| o["username"] == "officer")
        .expect("demo officer")
        .clone();
    let officer_id = officer["meta"]["id"].as_str().expect("id").to_string();
    let station = officer["meta"]["station"].as_str().expect("station");
    let (picked, picked_id, typed) = person_found_by_initials(&run.data, station);

    let mut tty = run.tty("zh", 120, 40);
    tty.wait_step("login", "登录");
    tty.press("officer<Tab>");
    tty.press(&format!("{DEMO_PASSWORD}<Enter>"));
    tty.wait_step("Today after login", "今日回访");

    // Tab: the dispute register; n: the register form.
    tty.tab_to("register", "纠纷台账");
    tty.send("n");
    tty.wait_step("register form", "登记纠纷");
    tty.send(TITLE);
    tty.wait_step("title typed", TITLE);
    // Category: a ←/→ choice; 3 picks the third, 03 land.
    tty.press("<Tab>");
    tty.send("3");
    tty.wait_step("category 03", "03 土地及资源权属");
    // Sub-category left empty; then the parties.
    tty.press("<Tab>");
    tty.press("<Tab>");
    tty.send(&typed);
    tty.wait_step("picker shows the match", &picked);
    tty.press("<Enter>");
    tty.wait_step("first party added", &format!("{picked}（申请人）"));
    // A person not registered yet: typed, then Ctrl-N creates them inline.
    tty.send(NEW_PARTY);
    tty.wait_step("new name typed", NEW_PARTY);
    tty.press("<C-n>");
    tty.wait_step("person form", "新建人员");
    tty.press("<C-s>");
    tty.wait_step("person created", &format!("已新建人员 {NEW_PARTY}"));
    tty.wait_step("second party added", &format!("{NEW_PARTY}（被申请人）"));
    // Ctrl-S registers (if the duplicate guard asks, register as a new dispute).
    tty.press("<C-s>");
    if tty.shows_soon("可能重复登记") {
        tty.send("c");
    }
    tty.wait_step("registered", &format!("已登记：{TITLE}"));

    // The register lists it; filter the register down to it and open it.
    tty.send("/");
    tty.send(TITLE);
    tty.press("<Enter>"); // keep the filter
    tty.press("<Enter>");
    tty.wait_step("detail opens", "经过");
    tty.wait_step("detail shows the new party", NEW_PARTY);
    tty.wait_step("detail shows the picked party", &picked);

    // a: accept.
    tty.send("a");
    tty.wait_step("accepted", "已受理：调解期限");
    tty.wait_step("deadline shown", "2026-11-30");

    // s: a mediation session.
    tty.send("s");
    tty.wait_step("session form", "记录调解");
    tty.press("<Tab>"); // date: today, as filled in
    tty.send(&format!("{picked}、{NEW_PARTY}、村调解员"));
    tty.press("<Tab>");
    tty.send("当面调解");
    tty.press("<Tab>");
    tty.send("1"); // 达成协议
    tty.wait_step("result chosen", "达成协议");
    tty.press("<C-s>");
    tty.wait_step("session saved", "已记录调解");

    // v: resolve.
    tty.send("v");
    tty.wait_step("resolve form", "化解纠纷");
    tty.press("<Tab>"); // date: today
    tty.send("当场调解");
    tty.press("<Tab>");
    tty.press("<Tab>"); // successful: yes, as chosen
    tty.send("双方签订协议，重新埋设界桩");
    tty.press("<C-s>");
    tty.wait_step("resolved", "已化解。已安排 4 次回访，首次 2026-11-26");

    // Esc back to the register, Tab (through the other lists) to Today: the day-1
    // follow-up is listed.
    tty.press("<Esc>");
    tty.wait_step("back on the register", "纠纷台账");
    tty.tab_to("Today again", "今日回访");
    tty.send("/");
    tty.send(TITLE);
    tty.wait_step(
        "day-1 follow-up on Today",
        &format!("{TITLE}：化解后第1天回访"),
    );
    let screen = tty.contents();
    let line = screen
        .lines()
        .find(|l| l.contains("化解后第1天回访"))
        .expect("the follow-up line");
    assert!(
        line.contains(&picked),
        "its person is the first party: {line}"
    );
    assert!(
        line.trim_start().starts_with("11-26"),
        "due tomorrow: {line}"
    );
    tty.press("<Enter>"); // keep the filter, back to the list
    tty.quit();

    // export shows it all.
    let after = run.export();
    let disputes = of_kind(&after, "dispute");
    assert_eq!(disputes.len(), of_kind(&before, "dispute").len() + 1);
    let d = disputes
        .iter()
        .find(|d| d["title"] == TITLE)
        .expect("the dispute is exported");
    assert_eq!(d["status"], "resolved");
    assert_eq!(d["category"], "03");
    assert_eq!(d["assigned_to"], officer_id.as_str());
    assert_eq!(d["accepted_on"], "2026-11-25");
    assert_eq!(d["mediation_deadline"], "2026-11-30");
    let statuses: Vec<&str> = d["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["to"].as_str().expect("to"))
        .collect();
    assert_eq!(statuses, ["reported", "accepted", "mediating", "resolved"]);
    let sessions = d["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["result"], "agreement");
    assert_eq!(sessions[0]["method"], "当面调解");
    assert!(sessions[0]["participants"]
        .as_str()
        .expect("participants")
        .contains(NEW_PARTY));
    assert_eq!(d["resolution"]["method"], "当场调解");
    assert_eq!(d["resolution"]["how"], "双方签订协议，重新埋设界桩");
    assert_eq!(d["resolution"]["success"], true);
    assert_eq!(d["resolution"]["date"], "2026-11-25");
    // Parties: the picked demo person (applicant) and the person created inline.
    let parties = d["parties"].as_array().expect("parties");
    assert_eq!(parties.len(), 2);
    assert_eq!(parties[0]["person"], picked_id.as_str());
    assert_eq!(parties[0]["role"], "applicant");
    assert_eq!(parties[1]["role"], "respondent");
    let created = of_kind(&after, "person")
        .into_iter()
        .find(|p| p["meta"]["id"] == parties[1]["person"])
        .expect("the new party is exported");
    assert_eq!(created["name"], NEW_PARTY);
    assert_eq!(created["meta"]["station"], station);
    assert!(
        !of_kind(&before, "person")
            .iter()
            .any(|p| p["name"] == NEW_PARTY),
        "the new party did not exist before"
    );
    // The follow-up visits: day 1, 3, 7 and 30, the officer's, about the dispute.
    let id = &d["meta"]["id"];
    let mut follow_ups: Vec<&Value> = of_kind(&after, "visit")
        .into_iter()
        .filter(|v| &v["subject"]["dispute"] == id)
        .collect();
    follow_ups.sort_by_key(|v| v["due"].as_str().map(str::to_string));
    let dues: Vec<&str> = follow_ups
        .iter()
        .map(|v| v["due"].as_str().expect("due"))
        .collect();
    assert_eq!(
        dues,
        ["2026-11-26", "2026-11-28", "2026-12-02", "2026-12-25"]
    );
    for v in &follow_ups {
        assert_eq!(v["status"], "scheduled");
        assert_eq!(v["assigned_to"], officer_id.as_str());
        assert_eq!(v["subject"]["person"], picked_id.as_str());
        assert!(v["purpose"].as_str().expect("purpose").contains(TITLE));
    }
}

#[test]
fn a_broken_disputes_toml_stops_start_up_naming_file_and_line() {
    let run = E2e::new();
    let file = run.config.join("beatbook").join("disputes.toml");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("config dir");
    std::fs::write(
        &file,
        "# 本局风险规则\n[[rules]]\nid = \"knife\"\nzh = \"持刀\"\nen = \"knife\"\nlevel = \"crimson\"\nany_of = [\"weapons\"]\n",
    )
    .expect("write");
    let where_ = format!("{}:6:", file.display());
    for (args, lang) in [
        (&["--lang", "en", "export"][..], "en"),
        (&["--lang", "zh", "demo"][..], "zh"),
        // Without a command the TUI would start: the check comes first.
        (&["--lang", "en"][..], "en"),
    ] {
        let out = run.command().args(args).output().expect("runs");
        assert!(!out.status.success(), "{args:?} must refuse to start");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&where_), "{args:?} ({lang}): {err}");
        assert!(err.contains("unknown level 'crimson'"), "{args:?}: {err}");
    }
    // Nothing was set up with the broken rules.
    assert!(!run.data.join("store").exists(), "no store was created");
    // Fixed, the program starts.
    std::fs::write(&file, "[limits]\nordinary_days = 7\n").expect("write");
    let out = run
        .command()
        .args(["--lang", "en", "demo"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
