//! The administrator's screen driven by keys: creating an account through the form (a
//! refused save keeps the input), confirmations for disabling and resetting, the
//! last-admin refusal, the forced password change of the new account at its first
//! login, and snapshots of the screen in zh and en at 80×24 and 120×40.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{Officer, Role};
use beatbook::tui::app::App;
use common::tui::{ctrl, key, login, message, press, screen, type_str};
use common::{Bureau, PASSWORD};
use ratatui::crossterm::event::KeyCode;

const TEMPORARY: &str = "temp-pass-77";

fn officer(b: &Bureau, username: &str) -> Officer {
    b.store()
        .officer_by_username(username)
        .expect("readable")
        .unwrap_or_else(|| panic!("{username} exists"))
}

/// Moves the selection down `n` rows from the top.
fn select_row(app: &mut App, n: usize) {
    key(app, KeyCode::Home);
    for _ in 0..n {
        key(app, KeyCode::Char('j'));
    }
}

// Rows of the fixture (accounts by username under each station):
// 0 城关派出所, 1 admin, 2 fa.zhi, 3 li.a, 4 wang.a, 5 zhao.chief, 6 河西派出所, 7 chen.b,
// 8 sun.chief.
const ROW_ADMIN: usize = 1;
const ROW_LI_A: usize = 3;
const ROW_CHEN_B: usize = 7;

#[test]
fn admin_screen_snapshots_in_both_languages_and_sizes() {
    let b = Bureau::new();
    // One of each status: locked, disabled, must change.
    for _ in 0..5 {
        let _ = b.service.login("chen.b", "wrong-password");
    }
    let li = officer(&b, "li.a");
    b.service
        .set_account_active(&b.admin, li.meta.id, li.meta.revision, false)
        .expect("disabled");
    let wang = officer(&b, "wang.a");
    b.service
        .reset_password(
            &b.admin,
            wang.meta.id,
            wang.meta.revision,
            TEMPORARY,
            TEMPORARY,
        )
        .expect("reset");
    for lang in [Lang::Zh, Lang::En] {
        let app = login(&b.service, lang, "admin", PASSWORD);
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert!(s.contains("chen.b") && s.contains("河西派出所"), "{s}");
            insta::assert_snapshot!(format!("admin_{lang}_{w}x{h}"), s);
        }
    }
}

#[test]
fn create_an_account_by_keys_then_its_first_login_forces_a_change() {
    let b = Bureau::new();
    let mut app = login(&b.service, Lang::En, "admin", PASSWORD);
    // On the first station's heading, n opens the form with that station chosen.
    select_row(&mut app, 0);
    key(&mut app, KeyCode::Char('n'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Create an account"), "{s}");
    press(&mut app, "zhou.xin<Tab>周鑫<Tab>");
    type_str(&mut app, "2"); // chief
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right); // the second station
    press(&mut app, "<Tab>short<Tab>short<C-s>");
    // Refused: the form stays with what was typed and says why.
    let s = screen(&app, 80, 24);
    assert!(s.contains("at least 8"), "{s}");
    assert!(
        s.contains("zhou.xin") && s.contains("周鑫"),
        "input kept: {s}"
    );
    assert!(b
        .store()
        .officer_by_username("zhou.xin")
        .expect("read")
        .is_none());
    // The focus is on the password: clear and retype both.
    ctrl(&mut app, 'u');
    type_str(&mut app, TEMPORARY);
    press(&mut app, "<Tab><C-u>");
    type_str(&mut app, TEMPORARY);
    ctrl(&mut app, 's');
    assert!(
        message(&app, Lang::En).contains("Created account zhou.xin"),
        "{:?}",
        app.message()
    );
    let created = officer(&b, "zhou.xin");
    assert_eq!(created.role, Role::Chief);
    assert_eq!(created.meta.station, b.station_b.meta.id);
    assert!(created.must_change_password);
    let s = screen(&app, 80, 24);
    assert!(s.contains("zhou.xin") && s.contains("must change"), "{s}");

    // A duplicate username is refused in the form, focus on the username.
    press(&mut app, "nzhou.xin<Tab>另一个");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    type_str(&mut app, TEMPORARY);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, TEMPORARY);
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("taken"), "{s}");
    key(&mut app, KeyCode::Esc); // asks: discard what was typed?
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.mode(), beatbook::tui::keymap::Mode::Admin);

    // First login of the new account: the password change cannot be skipped.
    ctrl(&mut app, 'l');
    let mut app = login(&b.service, Lang::Zh, "zhou.xin", TEMPORARY);
    assert_eq!(app.mode(), beatbook::tui::keymap::Mode::Form);
    let s = screen(&app, 80, 24);
    assert!(s.contains("请设置新密码"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(
        app.session().is_none(),
        "leaving the forced change logs out"
    );
    assert!(message(&app, Lang::Zh).contains("新密码"));
    let mut app = login(&b.service, Lang::Zh, "zhou.xin", TEMPORARY);
    type_str(&mut app, TEMPORARY);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, TEMPORARY);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, TEMPORARY);
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("不能与当前"),
        "the temporary one is refused: {s}"
    );
    for _ in 0..2 {
        press(&mut app, "<C-u>zhou-own-pass<Tab>");
    }
    // Back on the current password field after the wrap; save from anywhere.
    ctrl(&mut app, 's');
    assert!(
        message(&app, Lang::Zh).contains("密码已更改"),
        "{:?}",
        app.message()
    );
    assert!(!officer(&b, "zhou.xin").must_change_password);
    // The changed session enters Today and reads it (the service served it nothing
    // before the change).
    assert_eq!(app.mode(), beatbook::tui::keymap::Mode::Today);
    assert!(app.session().is_some_and(|s| !s.must_change_password()));
    let s = screen(&app, 80, 24);
    assert!(s.contains("今日"), "{s}");
    b.service
        .login("zhou.xin", "zhou-own-pass")
        .expect("the new password works");
}

#[test]
fn disable_and_reset_ask_first_and_the_last_admin_stays() {
    let b = Bureau::new();
    let mut app = login(&b.service, Lang::Zh, "admin", PASSWORD);
    // An action on a station heading asks for an account.
    select_row(&mut app, 0);
    key(&mut app, KeyCode::Char('d'));
    assert!(message(&app, Lang::Zh).contains("请先选中一个账号"));

    // Disable li.a: asked first; "no" changes nothing, "yes" disables.
    select_row(&mut app, ROW_LI_A);
    key(&mut app, KeyCode::F(4));
    let s = screen(&app, 80, 24);
    assert!(s.contains("停用账号 li.a"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(officer(&b, "li.a").active);
    press(&mut app, "dy");
    assert!(!officer(&b, "li.a").active);
    assert!(message(&app, Lang::Zh).contains("已停用账号 li.a"));
    let e = b.service.login("li.a", PASSWORD).expect_err("disabled");
    assert!(matches!(
        e,
        beatbook::service::ServiceError::AccountDisabled
    ));
    // The selection stayed on li.a: d again re-enables.
    key(&mut app, KeyCode::Char('d'));
    assert!(screen(&app, 80, 24).contains("重新启用账号 li.a"));
    key(&mut app, KeyCode::Enter);
    assert!(officer(&b, "li.a").active);

    // Reset chen.b's password: confirm, then the temporary password twice.
    select_row(&mut app, ROW_CHEN_B);
    key(&mut app, KeyCode::Char('p'));
    assert!(screen(&app, 80, 24).contains("重置 chen.b"));
    key(&mut app, KeyCode::Char('y'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("设置临时密码") && s.contains("chen.b"), "{s}");
    type_str(&mut app, TEMPORARY);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, TEMPORARY);
    ctrl(&mut app, 's');
    assert!(officer(&b, "chen.b").must_change_password);
    let s = b
        .service
        .login("chen.b", TEMPORARY)
        .expect("temporary works");
    assert!(s.must_change_password());

    // Role: chen.b becomes a chief through the role picker.
    press(&mut app, "r<Right><C-s>");
    assert_eq!(officer(&b, "chen.b").role, Role::Chief);
    assert!(message(&app, Lang::Zh).contains("所长"));

    // Unlock: a locked account, u, and it logs in at once.
    for _ in 0..5 {
        let _ = b.service.login("sun.chief", "wrong-password");
    }
    key(&mut app, KeyCode::F(5));
    select_row(&mut app, ROW_CHEN_B + 1);
    assert!(screen(&app, 80, 24).contains("锁定"));
    key(&mut app, KeyCode::Char('u'));
    b.service.login("sun.chief", PASSWORD).expect("unlocked");

    // The only administrator cannot disable itself: the refusal is shown, nothing saved.
    select_row(&mut app, ROW_ADMIN);
    press(&mut app, "dy");
    assert!(
        message(&app, Lang::Zh).contains("至少保留一名在岗管理员"),
        "{:?}",
        app.message()
    );
    assert!(officer(&b, "admin").active);
    // Nor change its own role away from administrator.
    press(&mut app, "r1<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("至少保留一名在岗管理员"), "{s}");
    assert_eq!(officer(&b, "admin").role, Role::Admin);
    common::assert_audit_ok(b.store());
}

#[test]
fn new_station_by_keys_and_help_lists_the_admin_keys() {
    let b = Bureau::new();
    let mut app = login(&b.service, Lang::En, "admin", PASSWORD);
    press(&mut app, "<F7>东山派出所<Tab>hx<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("already used"), "{s}");
    press(&mut app, "<C-u>DS<C-s>");
    assert!(message(&app, Lang::En).contains("Created station 东山派出所 (DS)"));
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("东山派出所") && s.contains("no accounts yet"),
        "{s}"
    );
    key(&mut app, KeyCode::F(1));
    let s = screen(&app, 120, 40);
    for needle in ["Create an account", "Reset the password", "Unlock", "F8"] {
        assert!(s.contains(needle), "help lists {needle}: {s}");
    }
}

/// The form's one field as drawn: the text after the label on the screen.
fn screen_has(app: &App, needle: &str) -> bool {
    screen(app, 120, 40).contains(needle)
}

#[test]
fn backup_by_keys_writes_a_verified_archive_and_says_where() {
    let b = Bureau::new();
    let out = tempfile::tempdir().expect("tempdir");
    let mut app = login(&b.service, Lang::En, "admin", PASSWORD);

    // The form suggests a dated file in the data folder's `backups` folder.
    key(&mut app, KeyCode::Char('b'));
    assert!(
        screen_has(&app, "backups/beatbook-20261125-0900.bbk"),
        "{}",
        screen(&app, 120, 40)
    );
    // Esc leaves without writing anything.
    key(&mut app, KeyCode::Esc);
    assert!(!screen_has(&app, "Back up the whole store"));

    // An empty path is refused in the form, which stays open.
    press(&mut app, "<F9><C-u><C-s>");
    assert!(screen_has(&app, "Back up the whole store"));
    assert!(
        message(&app, Lang::En).contains("Backup file"),
        "{:?}",
        app.message()
    );

    // A folder that cannot be written is told in both languages; nothing is left there.
    let blocked = out.path().join("not-a-folder");
    std::fs::write(&blocked, b"x").expect("file");
    type_str(&mut app, &blocked.join("b.bbk").display().to_string());
    ctrl(&mut app, 's');
    assert!(
        message(&app, Lang::En).contains("cannot read or write"),
        "{:?}",
        app.message()
    );
    assert!(
        message(&app, Lang::Zh).contains("无法读写"),
        "{:?}",
        app.message()
    );

    // A writable path: written, verified, audited, and the status line says where.
    let file = out.path().join("station").join("now.bbk");
    ctrl(&mut app, 'u');
    type_str(&mut app, &file.display().to_string());
    ctrl(&mut app, 's');
    let said = message(&app, Lang::En);
    assert!(
        said.contains("Backup written to") && said.contains("now.bbk"),
        "{said}"
    );
    assert!(message(&app, Lang::Zh).contains("备份已写入"));
    assert!(!screen_has(&app, "Back up the whole store"), "form closed");
    let header = beatbook::store::verify_archive(&file).expect("the archive verifies");
    assert!(
        said.contains(&format!("{} entries", header.total_entries())),
        "{said}"
    );
    assert!(header.audit_entries() > 0);
    let last = common::audit(b.store()).pop().expect("entry");
    assert_eq!(
        (last.action.as_str(), last.actor_name.as_str()),
        ("backup", "admin")
    );
    common::assert_audit_ok(b.store());
}
