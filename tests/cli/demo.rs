//! The demo bureau: persons, visits, disputes and watch list, exported in full.

use super::*;

#[test]
fn demo_loads_once_and_exports_every_kind_without_password_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(beatbook(dir.path()).arg("demo"));
    let said = text(&out.stdout);
    for account in ["admin", "chief", "officer", "supervisor", "demo1234"] {
        assert!(said.contains(account), "{account} missing from: {said}");
    }
    let err = refused(&run(beatbook(dir.path()).arg("demo")));
    assert!(err.contains("already set up"), "{err}");

    let raw = text(&ok(beatbook(dir.path()).arg("export")).stdout);
    assert!(
        !raw.contains("password_hash"),
        "hashes leaked into the export"
    );
    assert!(!raw.contains("$argon2"), "hashes leaked into the export");
    let lines: Vec<Value> = raw
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(lines.iter().all(|l| l["kind"].is_string()));
    assert!(count(&lines, "station") >= 5);
    assert!(count(&lines, "officer") >= 4 + 5);
    assert!(count(&lines, "person") >= 200);
    assert!(count(&lines, "visit") >= 300);
}

#[test]
fn demo_persons_have_valid_id_numbers_matching_gender_and_birth() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let mut checked = 0;
    for person in lines.iter().filter(|l| l["kind"] == "person") {
        let Some(number) = person["id_number"].as_str() else {
            continue;
        };
        let id = ResidentId::parse(number).expect("valid resident ID number");
        assert_eq!(number.len(), 18, "{number}");
        let gender = match person["gender"].as_str() {
            Some("male") => Gender::Male,
            Some("female") => Gender::Female,
            other => panic!("gender {other:?}"),
        };
        assert_eq!(id.gender(), gender, "{number}");
        assert_eq!(
            id.birth_date().map(|d| d.to_string()).as_deref(),
            person["birth_date"].as_str(),
            "{number}"
        );
        checked += 1;
    }
    assert!(checked >= 200, "only {checked} ID numbers");
}

#[test]
fn demo_officer_has_overdue_today_and_upcoming_visits() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let officer = lines
        .iter()
        .find(|l| l["kind"] == "officer" && l["username"] == "officer")
        .and_then(|o| o["meta"]["id"].as_str())
        .expect("the officer account")
        .to_string();
    let owed: Vec<&str> = lines
        .iter()
        .filter(|l| {
            l["kind"] == "visit"
                && l["assigned_to"] == officer.as_str()
                && l["status"] == "scheduled"
        })
        .filter_map(|l| l["due"].as_str())
        .collect();
    let today = "2026-11-25";
    assert!(owed.iter().any(|d| *d < today), "overdue: {owed:?}");
    assert!(owed.contains(&today), "today: {owed:?}");
    assert!(owed.iter().any(|d| *d > today), "upcoming: {owed:?}");
}

#[test]
fn demo_has_disputes_in_every_status_and_category_between_existing_persons() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let disputes = checked_disputes(&lines);
    let field = |name: &str| -> std::collections::HashSet<String> {
        disputes
            .iter()
            .filter_map(|d| d[name].as_str().map(str::to_string))
            .collect()
    };
    let statuses = field("status");
    for want in [
        "reported",
        "accepted",
        "mediating",
        "resolved",
        "following_up",
        "closed",
        "referred",
        "escalated",
        "reopened",
    ] {
        assert!(statuses.contains(want), "no {want} dispute: {statuses:?}");
    }
    let categories = field("category");
    for want in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "99"] {
        assert!(
            categories.contains(want),
            "no category {want}: {categories:?}"
        );
    }
    let risks = field("risk");
    assert!(
        risks.contains("red") && risks.contains("orange"),
        "{risks:?}"
    );
    assert!(disputes.iter().any(|d| d["recurrence_of"].is_string()));
    for d in &disputes {
        if matches!(d["status"].as_str(), Some("referred" | "escalated")) {
            let reference = d["handover"]["reference"].as_str().unwrap_or_default();
            assert!(!reference.is_empty() && !reference.contains('{'), "{d}");
        }
        for text in ["title", "description", "place"] {
            let t = d[text].as_str().unwrap_or_default();
            assert!(!t.is_empty() && !t.contains('{'), "{text}: {d}");
        }
    }
    let follow_ups = lines
        .iter()
        .filter(|l| l["kind"] == "visit" && l["subject"]["dispute"].is_string())
        .collect::<Vec<_>>();
    assert!(follow_ups.iter().any(|v| v["status"] == "done"));
    assert!(follow_ups.iter().any(|v| v["status"] == "scheduled"));
}

/// The demo's watch list: every level, at least five categories, open alerts for the
/// `officer` account, and one owed rolling visit per flagged person.
#[test]
fn demo_has_watch_listed_persons_with_alerts_and_owed_visits() {
    let dir = demo_folder();
    let lines = export_lines(dir.path());
    let flags: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "flag").collect();
    let levels: std::collections::BTreeSet<&str> =
        flags.iter().filter_map(|f| f["level"].as_str()).collect();
    assert_eq!(levels.len(), 4, "{levels:?}");
    let categories: std::collections::BTreeSet<&str> = flags
        .iter()
        .flat_map(|f| f["categories"].as_array().into_iter().flatten())
        .filter_map(|c| c.as_str())
        .collect();
    assert!(categories.len() >= 5, "{categories:?}");
    let officer = lines
        .iter()
        .find(|l| l["kind"] == "officer" && l["username"] == "officer")
        .and_then(|o| o["meta"]["id"].as_str())
        .expect("the officer account");
    let open_alerts = lines
        .iter()
        .filter(|l| l["kind"] == "alert" && l["officer"] == officer)
        .filter(|l| l["acknowledged_at"].is_null())
        .count();
    assert!(open_alerts >= 3, "officer's alerts: {open_alerts}");
    for f in &flags {
        let owed = lines
            .iter()
            .filter(|l| {
                l["kind"] == "visit"
                    && l["subject"]["person"] == f["person"]
                    && l["subject"]["dispute"].is_null()
                    && l["status"] == "scheduled"
            })
            .count();
        assert_eq!(owed, 1, "one owed rolling visit: {f}");
    }
}
