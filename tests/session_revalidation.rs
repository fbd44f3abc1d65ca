//! A session is re-checked against the stored account at every use: an administrator's
//! change (disable, role, station, password reset) takes effect at the officer's next
//! action, not at their next login. Each case: the stale session is refused with
//! `SessionRevoked` for reads and writes and writes nothing; a fresh login gets the new
//! rights; sessions of other officers keep working. Plus the TUI's reaction and a check
//! that no public use case taking a session skips the gate. Real sled store, real argon2.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Officer, PersonDraft, Role};
use beatbook::report::Month;
use beatbook::service::{Forbidden, Scope, ServiceError, Session};
use common::tui::{app, message, press};
use common::{create_person, first_login, Bureau, PASSWORD};
use std::fmt::Debug;
use std::path::Path;

const TEMPORARY: &str = "temp-pass-77";

fn account(b: &Bureau, session: &Session) -> Officer {
    b.store()
        .get::<Officer>(session.officer())
        .expect("readable")
        .expect("account exists")
}

fn draft(name: &str) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        id_number: common::fresh_resident_id(),
        phone: "13812345678".into(),
        address: "东关村1号".into(),
        village: "东关村".into(),
        ..Default::default()
    }
}

/// Expects `SessionRevoked` from `call` and checks that nothing at all was written.
fn revoked<T: Debug>(b: &Bureau, what: &str, call: impl FnOnce() -> Result<T, ServiceError>) {
    let before = b.snapshot();
    match call() {
        Ok(v) => panic!("{what}: expected the session to be refused, got {v:?}"),
        Err(ServiceError::SessionRevoked) => {}
        Err(e) => panic!("{what}: expected SessionRevoked, got {e:?}"),
    }
    assert_eq!(
        b.snapshot(),
        before,
        "{what}: a refused session writes nothing"
    );
}

/// A read and a write by `s` are both refused, and the session says so.
fn read_and_write_refused(b: &Bureau, s: &Session) {
    revoked(b, "today list", || b.service.today_list(s, Scope::Mine));
    revoked(b, "person card", || {
        b.service.person_card(s, b.person_a.meta.id)
    });
    revoked(b, "new person", || {
        b.service.create_person(s, &draft("王小二"))
    });
    assert!(s.is_revoked());
}

#[test]
fn a_disabled_officer_is_refused_at_the_next_action_and_stays_out() {
    let b = Bureau::new();
    let s = b.officer_a.clone();
    b.service
        .today_list(&s, Scope::Mine)
        .expect("works before the change");
    let o = account(&b, &s);
    let o = b
        .service
        .set_account_active(&b.admin, o.meta.id, o.meta.revision, false)
        .expect("disabled");
    read_and_write_refused(&b, &s);
    // The original (not only the clone the calls were made with) knows it too.
    assert!(b.officer_a.is_revoked());

    let e = ServiceError::SessionRevoked;
    assert_eq!(
        e.localize(Lang::Zh),
        "账号已被停用或权限已变更，请重新登录。"
    );
    assert_eq!(
        e.localize(Lang::En),
        "Your account was disabled or its rights changed; please log in again."
    );

    // Enabled again, the old session still does not come back: a new login is needed.
    b.service
        .set_account_active(&b.admin, o.meta.id, o.meta.revision, true)
        .expect("enabled");
    revoked(&b, "after re-enabling", || {
        b.service.today_list(&s, Scope::Mine)
    });
    let fresh = b.service.login("wang.a", PASSWORD).expect("logs in again");
    create_person(&b.service, &fresh, "王小二", "东关村");
}

#[test]
fn a_promoted_officer_must_log_in_again_to_get_the_chiefs_rights() {
    let b = Bureau::new();
    let s = b.officer_a2.clone();
    let o = account(&b, &s);
    b.service
        .change_role(&b.admin, o.meta.id, o.meta.revision, Role::Chief)
        .expect("promoted");
    read_and_write_refused(&b, &s);
    revoked(&b, "statistics", || b.service.statistics_stations(&s));

    let chief = b.service.login("li.a", PASSWORD).expect("login as chief");
    assert_eq!(chief.role(), Role::Chief);
    b.service
        .station_statistics(
            &chief,
            b.station_a.meta.id,
            Month::new(2026, 11).expect("month"),
        )
        .expect("a chief reads the station's statistics");
}

#[test]
fn a_demoted_chief_loses_the_chiefs_rights_at_once() {
    let b = Bureau::new();
    let s = b.chief_a.clone();
    let month = Month::new(2026, 11).expect("month");
    b.service
        .station_statistics(&s, b.station_a.meta.id, month)
        .expect("a chief reads statistics");
    let o = account(&b, &s);
    b.service
        .change_role(&b.admin, o.meta.id, o.meta.revision, Role::Officer)
        .expect("demoted");
    revoked(&b, "statistics as former chief", || {
        b.service.station_statistics(&s, b.station_a.meta.id, month)
    });
    read_and_write_refused(&b, &s);

    let officer = b.service.login("zhao.chief", PASSWORD).expect("login");
    match b
        .service
        .station_statistics(&officer, b.station_a.meta.id, month)
    {
        Err(ServiceError::Forbidden(Forbidden::StatisticsRole(Role::Officer))) => {}
        other => panic!("an officer reads no statistics: {other:?}"),
    }
    b.service
        .today_list(&officer, Scope::Mine)
        .expect("an officer's own work goes on");
}

#[test]
fn a_transferred_officer_works_for_the_new_station_only_after_a_new_login() {
    let b = Bureau::new();
    let s = b.officer_b.clone();
    b.service
        .person_card(&s, b.person_b.meta.id)
        .expect("own station's person");
    let o = account(&b, &s);
    b.service
        .change_station(&b.admin, o.meta.id, o.meta.revision, b.station_a.meta.id)
        .expect("moved");
    revoked(&b, "old station's person", || {
        b.service.person_card(&s, b.person_b.meta.id)
    });
    revoked(&b, "new person at the old station", || {
        b.service.create_person(&s, &draft("陈小明"))
    });

    let moved = b.service.login("chen.b", PASSWORD).expect("login");
    assert_eq!(moved.station(), b.station_a.meta.id);
    b.service
        .person_card(&moved, b.person_a.meta.id)
        .expect("the new station's person");
    match b.service.person_card(&moved, b.person_b.meta.id) {
        Err(ServiceError::Forbidden(Forbidden::OtherStation)) => {}
        other => panic!("the old station is closed now: {other:?}"),
    }
    let p = create_person(&b.service, &moved, "陈小明", "东关村");
    assert_eq!(p.meta.station, b.station_a.meta.id);
}

#[test]
fn a_password_reset_ends_the_running_session_and_the_temporary_one_must_be_changed() {
    let b = Bureau::new();
    let mut s = b.officer_a.clone();
    let o = account(&b, &s);
    b.service
        .reset_password(&b.admin, o.meta.id, o.meta.revision, TEMPORARY, TEMPORARY)
        .expect("reset");
    read_and_write_refused(&b, &s);
    revoked(&b, "own password change with the old session", || {
        b.service
            .change_password(&mut s, PASSWORD, "new-secret-1", "new-secret-1")
    });

    // The login path still works for a session that must change its password.
    let fresh = first_login(&b.service, "wang.a", TEMPORARY, "new-secret-1");
    assert!(!fresh.must_change_password());
    b.service
        .today_list(&fresh, Scope::Mine)
        .expect("works after the change");
}

#[test]
fn changing_ones_own_password_ends_the_other_sessions_of_the_account() {
    let b = Bureau::new();
    let other = b.officer_a.clone();
    let mut here = b.service.login("wang.a", PASSWORD).expect("second login");
    b.service
        .change_password(&mut here, PASSWORD, "new-secret-1", "new-secret-1")
        .expect("changed");
    b.service
        .today_list(&here, Scope::Mine)
        .expect("the session that changed it goes on");
    create_person(&b.service, &here, "王小二", "东关村");
    revoked(&b, "the other session", || {
        b.service.today_list(&other, Scope::Mine)
    });
}

#[test]
fn an_administrator_who_demotes_themselves_loses_the_admin_screen_at_once() {
    let b = Bureau::new();
    // A second administrator, so the first may step down.
    let a2 = account(&b, &b.officer_a2);
    b.service
        .change_role(&b.admin, a2.meta.id, a2.meta.revision, Role::Admin)
        .expect("second admin");
    let me = account(&b, &b.admin);
    b.service
        .change_role(&b.admin, me.meta.id, me.meta.revision, Role::Chief)
        .expect("steps down");
    revoked(&b, "accounts after stepping down", || {
        b.service.accounts_overview(&b.admin)
    });
    let a2_session = b.service.login("li.a", PASSWORD).expect("second admin");
    b.service
        .accounts_overview(&a2_session)
        .expect("the other administrator goes on");
}

#[test]
fn sessions_of_unaffected_officers_keep_working() {
    let b = Bureau::new();
    for s in [&b.officer_a, &b.chief_b] {
        let o = account(&b, s);
        b.service
            .set_account_active(&b.admin, o.meta.id, o.meta.revision, false)
            .expect("disabled");
    }
    let o = account(&b, &b.officer_a2);
    b.service
        .change_role(&b.admin, o.meta.id, o.meta.revision, Role::Chief)
        .expect("promoted");
    for s in [&b.chief_a, &b.officer_b, &b.supervisor] {
        b.service
            .today_list(s, Scope::Station)
            .unwrap_or_else(|e| panic!("{}: {e}", s.username()));
        assert!(!s.is_revoked());
    }
    create_person(&b.service, &b.officer_b, "陈小明", "河西村");
    b.service
        .statistics_stations(&b.chief_a)
        .expect("the chief's statistics");
    b.service
        .accounts_overview(&b.admin)
        .expect("the admin goes on");
}

#[test]
fn the_tui_returns_to_the_login_with_the_message() {
    let b = Bureau::new();
    let mut app = app(&b.service, Lang::En, &b.officer_a);
    assert!(app.session().is_some());
    let o = account(&b, &b.officer_a);
    b.service
        .set_account_active(&b.admin, o.meta.id, o.meta.revision, false)
        .expect("disabled");
    press(&mut app, "<F5>");
    assert!(app.session().is_none(), "the session ended");
    assert_eq!(app.mode(), beatbook::tui::keymap::Mode::Login);
    assert_eq!(
        message(&app, Lang::En),
        "Your account was disabled or its rights changed; please log in again."
    );
}

/// Every public use case that takes a session passes the gate first: a new use case
/// that forgets it fails here rather than quietly serving stale rights.
#[test]
fn every_public_use_case_with_a_session_passes_the_gate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/service/src");
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (name, sig, body) in public_methods(&text) {
            let takes_session = sig.contains(": &Session") || sig.contains(": &mut Session");
            // `authorize` is the gate itself.
            if !takes_session || name == "authorize" {
                continue;
            }
            checked += 1;
            // Administrators' use cases pass it inside `require_admin`.
            let gated = [
                "self.authorize(",
                "self.authorize_password_change(",
                "self.require_admin(",
                "self.account_to_change(",
            ]
            .iter()
            .any(|g| body.contains(g));
            if !gated {
                missing.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(checked > 50, "the scan found the use cases ({checked})");
    assert!(
        missing.is_empty(),
        "use cases without the gate: {missing:#?}"
    );
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// `(name, signature, body)` of each `pub fn` at impl level (four spaces in, as rustfmt
/// lays them out), the body running to the closing brace at the same indentation.
fn public_methods(text: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(rest) = lines[i].strip_prefix("    pub fn ") else {
            i += 1;
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut sig = String::new();
        while i < lines.len() {
            sig.push_str(lines[i]);
            i += 1;
            if sig.trim_end().ends_with('{') {
                break;
            }
        }
        let mut body = String::new();
        while i < lines.len() && lines[i] != "    }" {
            body.push_str(lines[i]);
            body.push('\n');
            i += 1;
        }
        out.push((name, sig, body));
    }
    out
}
