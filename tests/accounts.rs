//! Account management by the administrator: each use case, each refusal (non-admin
//! callers, last administrator, duplicates, short passwords, stale screens), and what
//! the officers concerned see at login afterwards. Real sled store, real argon2 hashes.

use crate::common;

use beatbook::i18n::{Lang, Localize};
use beatbook::model::{Field, PersonDraft, Role, ValidationError};
use beatbook::service::{AccountStatus, Forbidden, NewOfficer, ServiceError, Session};
use beatbook::store::{Index, Kind, StoreError};
use chrono::Duration;
use common::{
    assert_audit_ok, assert_indexes_ok, audit, audit_after, first_login, refusal,
    refused_without_writes, Bureau, PASSWORD,
};

const TEMPORARY: &str = "temp-pass-77";

fn account(b: &Bureau, session: &Session) -> beatbook::model::Officer {
    b.store()
        .get::<beatbook::model::Officer>(session.officer())
        .expect("readable")
        .expect("account exists")
}

fn new_account(b: &Bureau, username: &str, role: Role) -> NewOfficer {
    NewOfficer {
        station: b.station_a.meta.id,
        username: username.into(),
        display_name: "新同事".into(),
        role,
        password: TEMPORARY.into(),
    }
}

#[test]
fn only_an_administrator_manages_accounts() {
    let b = Bureau::new();
    let target = account(&b, &b.officer_a2);
    let (id, rev) = (target.meta.id, target.meta.revision);
    for s in [&b.officer_a, &b.chief_a, &b.supervisor, &b.chief_b] {
        let who = s.username().to_string();
        let expect_forbidden = |what: &str, e: ServiceError| {
            assert!(
                matches!(e, ServiceError::Forbidden(Forbidden::AdminOnly)),
                "{who} {what}: {e:?}"
            );
        };
        expect_forbidden(
            "station",
            refused_without_writes(&b, "station", || {
                b.service.create_station(s, "东山派出所", "DS")
            }),
        );
        expect_forbidden(
            "account",
            refused_without_writes(&b, "account", || {
                b.service
                    .create_officer(s, &new_account(&b, "x.y", Role::Officer))
            }),
        );
        expect_forbidden(
            "role",
            refused_without_writes(&b, "role", || {
                b.service.change_role(s, id, rev, Role::Chief)
            }),
        );
        expect_forbidden(
            "station",
            refused_without_writes(&b, "move", || {
                b.service.change_station(s, id, rev, b.station_b.meta.id)
            }),
        );
        expect_forbidden(
            "disable",
            refused_without_writes(&b, "disable", || {
                b.service.set_account_active(s, id, rev, false)
            }),
        );
        expect_forbidden(
            "reset",
            refused_without_writes(&b, "reset", || {
                b.service.reset_password(s, id, rev, TEMPORARY, TEMPORARY)
            }),
        );
        expect_forbidden(
            "unlock",
            refused_without_writes(&b, "unlock", || b.service.unlock_account(s, id, rev)),
        );
        expect_forbidden(
            "overview",
            refusal("overview", b.service.accounts_overview(s)),
        );
    }
    // The refusal says who may, in both languages.
    let e = ServiceError::Forbidden(Forbidden::AdminOnly);
    assert!(e.localize(Lang::Zh).contains("管理员"));
    assert!(e.localize(Lang::En).contains("administrator"));
}

#[test]
fn administrators_edit_no_case_data() {
    let b = Bureau::new();
    let e = refused_without_writes(&b, "admin creates a person", || {
        b.service.create_person(
            &b.admin,
            &PersonDraft {
                name: "王五".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
    });
    assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    let e = refused_without_writes(&b, "admin schedules a visit", || {
        b.service.schedule_visit(
            &b.admin,
            &beatbook::service::NewVisitForm {
                person: Some(b.person_a.meta.id),
                due: "+2".into(),
                method: beatbook::model::VisitMethod::Phone,
                purpose: "回访".into(),
                assigned_to: None,
                notes: String::new(),
                dispute: None,
            },
        )
    });
    assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
}

#[test]
fn stations_need_a_unique_name_and_code() {
    let b = Bureau::new();
    let before = audit(b.store()).len();
    let s = b
        .service
        .create_station(&b.admin, " 东山派出所 ", "DS")
        .expect("created");
    assert_eq!((s.name.as_str(), s.code.as_str()), ("东山派出所", "DS"));
    let entries = audit_after(b.store(), before);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "station.create");
    assert_eq!(entries[0].actor, b.admin.officer());
    assert_eq!(entries[0].record, Some(s.meta.id));

    let e = refused_without_writes(&b, "code taken (other case)", || {
        b.service.create_station(&b.admin, "北山派出所", "cg")
    });
    assert!(matches!(e, ServiceError::StationCodeTaken(_)), "{e:?}");
    assert_eq!(e.field(), Some(Field::StationCode));
    assert!(e.localize(Lang::Zh).contains("已被使用"));
    let e = refused_without_writes(&b, "name taken", || {
        b.service.create_station(&b.admin, "河西派出所", "HX2")
    });
    assert!(matches!(e, ServiceError::StationNameTaken(_)), "{e:?}");
    assert_eq!(e.field(), Some(Field::StationName));
    let e = refused_without_writes(&b, "no code", || {
        b.service.create_station(&b.admin, "北山派出所", "  ")
    });
    assert_eq!(e.field(), Some(Field::StationCode));
    let e = refused_without_writes(&b, "no name", || {
        b.service.create_station(&b.admin, "", "BS")
    });
    assert!(
        matches!(
            e,
            ServiceError::Invalid(ValidationError::Required(Field::StationName))
        ),
        "{e:?}"
    );
    let listed = b.service.accounts_overview(&b.admin).expect("overview");
    assert!(listed
        .iter()
        .any(|s| s.station.code == "DS" && s.accounts.is_empty()));
    assert_audit_ok(b.store());
}

#[test]
fn a_new_account_must_change_its_password_at_first_login() {
    let b = Bureau::new();
    let before = audit(b.store()).len();
    let created = b
        .service
        .create_officer(&b.admin, &new_account(&b, "Zhou.Xin", Role::Chief))
        .expect("created");
    assert_eq!(created.username, "zhou.xin");
    assert!(created.must_change_password);
    let entries = audit_after(b.store(), before);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "account.create");
    assert_eq!(entries[0].station, Some(b.station_a.meta.id));

    // Duplicate usernames (after normalising) and short passwords are refused.
    let e = refused_without_writes(&b, "taken username", || {
        b.service
            .create_officer(&b.admin, &new_account(&b, " ZHOU.xin ", Role::Officer))
    });
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Duplicate {
                index: Index::OfficerByUsername,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(e.field(), Some(Field::Username));
    let mut short = new_account(&b, "short.pw", Role::Officer);
    short.password = "1234567".into();
    let e = refused_without_writes(&b, "seven characters", || {
        b.service.create_officer(&b.admin, &short)
    });
    assert_eq!(e.field(), Some(Field::Password), "{}", e.localize(Lang::En));
    let mut bad = new_account(&b, "王警官", Role::Officer);
    bad.password = TEMPORARY.into();
    let e = refused_without_writes(&b, "username characters", || {
        b.service.create_officer(&b.admin, &bad)
    });
    assert_eq!(e.field(), Some(Field::Username));

    // First login: the session says a change is due; the change is checked.
    let mut s = b.service.login("zhou.xin", TEMPORARY).expect("logs in");
    assert!(s.must_change_password());
    assert_eq!(s.role(), Role::Chief);
    check_forced_change(&b, &mut s, TEMPORARY);
}

/// The forced change refuses short, repeated-mismatch and unchanged passwords, then
/// accepts a good one; the next login is an ordinary one.
fn check_forced_change(b: &Bureau, s: &mut Session, temporary: &str) {
    // Until it is changed, the session is served nothing else — in the service, not
    // only behind the screens' form.
    if s.role() != Role::Admin {
        let e = refused_without_writes(b, "work before the change", || {
            b.service.create_person(
                s,
                &PersonDraft {
                    name: "王五".into(),
                    village: "东关村".into(),
                    ..Default::default()
                },
            )
        });
        assert!(matches!(e, ServiceError::PasswordChangeRequired), "{e:?}");
        assert!(
            matches!(
                b.service.today_list(s, beatbook::service::Scope::Mine),
                Err(ServiceError::PasswordChangeRequired)
            ),
            "reads are refused too"
        );
    }
    let e = refused_without_writes(b, "too short", || {
        b.service.change_password(s, temporary, "short", "short")
    });
    assert!(
        matches!(
            e,
            ServiceError::Invalid(ValidationError::PasswordTooShort { min: 8 })
        ),
        "{e:?}"
    );
    let e = refused_without_writes(b, "same as temporary", || {
        b.service
            .change_password(s, temporary, temporary, temporary)
    });
    assert!(matches!(e, ServiceError::PasswordUnchanged), "{e:?}");
    assert_eq!(e.field(), Some(Field::Password));
    assert!(e.localize(Lang::Zh).contains("临时"));
    let e = refused_without_writes(b, "mismatch", || {
        b.service
            .change_password(s, temporary, "new-secret-1", "new-secret-2")
    });
    assert_eq!(e.field(), Some(Field::PasswordAgain));
    let e = refused_without_writes(b, "wrong current", || {
        b.service
            .change_password(s, "not-the-one", "new-secret-1", "new-secret-1")
    });
    assert!(matches!(e, ServiceError::WrongCurrentPassword), "{e:?}");
    assert!(s.must_change_password(), "still due after refusals");
    b.service
        .change_password(s, temporary, "new-secret-1", "new-secret-1")
        .expect("changed");
    assert!(!s.must_change_password());
    if s.role() != Role::Admin {
        b.service
            .today_list(s, beatbook::service::Scope::Mine)
            .expect("the changed session works");
    }
    let again = b
        .service
        .login(s.username(), "new-secret-1")
        .expect("logs in with the new password");
    assert!(!again.must_change_password());
    let e = refusal(
        "temporary no longer works",
        b.service.login(s.username(), temporary),
    );
    assert!(matches!(e, ServiceError::WrongPassword { .. }), "{e:?}");
}

#[test]
fn reset_sets_a_temporary_password_that_must_be_changed() {
    let b = Bureau::new();
    let o = account(&b, &b.officer_a);
    let (id, rev) = (o.meta.id, o.meta.revision);
    let e = refused_without_writes(&b, "short temporary", || {
        b.service.reset_password(&b.admin, id, rev, "abc", "abc")
    });
    assert_eq!(e.field(), Some(Field::Password));
    let e = refused_without_writes(&b, "mismatch", || {
        b.service
            .reset_password(&b.admin, id, rev, TEMPORARY, "temp-pass-78")
    });
    assert_eq!(e.field(), Some(Field::PasswordAgain));
    let before = audit(b.store()).len();
    let reset = b
        .service
        .reset_password(&b.admin, id, rev, TEMPORARY, TEMPORARY)
        .expect("reset");
    assert!(reset.must_change_password);
    assert!(reset.password_hash.is_empty(), "the hash never leaves");
    let entries = audit_after(b.store(), before);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "account.password_reset");
    assert_eq!(entries[0].record, Some(id));

    // The old password is gone; the temporary one logs in and forces a change.
    let e = refusal("old password", b.service.login("wang.a", PASSWORD));
    assert!(matches!(e, ServiceError::WrongPassword { .. }), "{e:?}");
    let mut s = b
        .service
        .login("wang.a", TEMPORARY)
        .expect("temporary works");
    assert!(s.must_change_password());
    // Outside the screens (command-line export, report, import) the temporary password
    // opens nothing until it is changed.
    let e = refusal(
        "temporary password on the command line",
        b.service.login_ready("wang.a", TEMPORARY),
    );
    assert!(matches!(e, ServiceError::PasswordChangeRequired), "{e:?}");
    assert!(e.localize(Lang::Zh).contains("修改密码"));
    check_forced_change(&b, &mut s, TEMPORARY);
    let ready = b
        .service
        .login_ready("wang.a", "new-secret-1")
        .expect("changed password works everywhere");
    assert!(!ready.must_change_password());

    // A stale screen (old revision) is refused.
    let e = refused_without_writes(&b, "stale revision", || {
        b.service
            .reset_password(&b.admin, id, rev, TEMPORARY, TEMPORARY)
    });
    assert!(
        matches!(
            e,
            ServiceError::Store(StoreError::Conflict {
                kind: Kind::Officer,
                ..
            })
        ),
        "{e:?}"
    );
    no_password_in_audit(&b, &[TEMPORARY, PASSWORD, "new-secret-1"]);
}

fn no_password_in_audit(b: &Bureau, passwords: &[&str]) {
    for entry in audit(b.store()) {
        for p in passwords {
            assert!(!entry.detail.contains(p), "password in audit: {entry:?}");
        }
        assert!(
            !entry.detail.contains("$argon2"),
            "hash in audit: {entry:?}"
        );
    }
}

#[test]
fn disabled_accounts_cannot_log_in_until_re_enabled() {
    let b = Bureau::new();
    let o = account(&b, &b.officer_a2);
    let before = audit(b.store()).len();
    let off = b
        .service
        .set_account_active(&b.admin, o.meta.id, o.meta.revision, false)
        .expect("disabled");
    assert!(!off.active);
    let entries = audit_after(b.store(), before);
    assert_eq!(entries[0].action, "account.disable");
    let e = refusal("disabled login", b.service.login("li.a", PASSWORD));
    assert!(matches!(e, ServiceError::AccountDisabled), "{e:?}");
    assert!(e.localize(Lang::Zh).contains("停用"));
    let last = audit(b.store()).pop().expect("entry");
    assert_eq!(last.action, "login.refused_disabled");
    // Disabling twice changes nothing.
    let e = refused_without_writes(&b, "already disabled", || {
        b.service
            .set_account_active(&b.admin, off.meta.id, off.meta.revision, false)
    });
    assert!(matches!(e, ServiceError::NothingToChange), "{e:?}");
    let overview = b.service.accounts_overview(&b.admin).expect("overview");
    let row = overview
        .iter()
        .flat_map(|s| &s.accounts)
        .find(|r| r.officer.meta.id == off.meta.id)
        .expect("listed");
    assert_eq!(row.statuses(), vec![AccountStatus::Disabled]);
    let on = b
        .service
        .set_account_active(&b.admin, off.meta.id, off.meta.revision, true)
        .expect("re-enabled");
    assert!(on.active);
    assert_eq!(
        audit(b.store()).pop().expect("entry").action,
        "account.enable"
    );
    b.service.login("li.a", PASSWORD).expect("logs in again");
    assert_audit_ok(b.store());
}

#[test]
fn the_last_active_administrator_cannot_be_removed() {
    let b = Bureau::new();
    let me = account(&b, &b.admin);
    let e = refused_without_writes(&b, "demote the only admin", || {
        b.service
            .change_role(&b.admin, me.meta.id, me.meta.revision, Role::Chief)
    });
    assert!(matches!(e, ServiceError::LastAdmin), "{e:?}");
    assert!(e.localize(Lang::Zh).contains("管理员"));
    assert!(e.localize(Lang::En).contains("administrator"));
    let e = refused_without_writes(&b, "disable oneself, the only admin", || {
        b.service
            .set_account_active(&b.admin, me.meta.id, me.meta.revision, false)
    });
    assert!(matches!(e, ServiceError::LastAdmin), "{e:?}");

    // A second administrator, disabled, does not count.
    b.service
        .create_officer(&b.admin, &new_account(&b, "admin2", Role::Admin))
        .expect("second admin");
    let admin2 = first_login(&b.service, "admin2", TEMPORARY, "admin2-pass");
    let a2 = account(&b, &admin2);
    let a2 = b
        .service
        .set_account_active(&b.admin, a2.meta.id, a2.meta.revision, false)
        .expect("the second admin may be disabled");
    let e = refused_without_writes(&b, "only active admin", || {
        b.service
            .change_role(&b.admin, me.meta.id, me.meta.revision, Role::Officer)
    });
    assert!(matches!(e, ServiceError::LastAdmin), "{e:?}");

    // With the second one active again, the first may step down or disable itself ...
    b.service
        .set_account_active(&b.admin, a2.meta.id, a2.meta.revision, true)
        .expect("re-enabled");
    let me = b
        .service
        .set_account_active(&b.admin, me.meta.id, me.meta.revision, false)
        .expect("an admin may disable itself when another remains");
    let admin2 = b.service.login("admin2", "admin2-pass").expect("admin2");
    // ... and then the second is the last one.
    let a2 = account(&b, &admin2);
    let e = refused_without_writes(&b, "now admin2 is the last", || {
        b.service
            .set_account_active(&admin2, a2.meta.id, a2.meta.revision, false)
    });
    assert!(matches!(e, ServiceError::LastAdmin), "{e:?}");
    // Changing roles of others stays possible; the same role is nothing to change.
    let e = refused_without_writes(&b, "same role", || {
        b.service
            .change_role(&admin2, a2.meta.id, a2.meta.revision, Role::Admin)
    });
    assert!(matches!(e, ServiceError::NothingToChange), "{e:?}");
    b.service
        .set_account_active(&admin2, me.meta.id, me.meta.revision, true)
        .expect("first admin back");
    assert_audit_ok(b.store());
}

#[test]
fn roles_and_stations_change_and_the_next_login_follows() {
    let b = Bureau::new();
    let o = account(&b, &b.officer_a2);
    let before = audit(b.store()).len();
    let o = b
        .service
        .change_role(&b.admin, o.meta.id, o.meta.revision, Role::Chief)
        .expect("promoted");
    let o = b
        .service
        .change_station(&b.admin, o.meta.id, o.meta.revision, b.station_b.meta.id)
        .expect("moved");
    let entries = audit_after(b.store(), before);
    let actions: Vec<_> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["account.role", "account.station"]);
    assert!(entries[0].detail.contains("li.a"), "{:?}", entries[0]);
    assert!(entries[1].detail.contains("河西派出所"), "{:?}", entries[1]);
    assert_eq!(entries[1].station, Some(b.station_b.meta.id));
    let s = b.service.login("li.a", PASSWORD).expect("login");
    assert_eq!(s.role(), Role::Chief);
    assert_eq!(s.station(), b.station_b.meta.id);
    assert_eq!(s.station_name(), "河西派出所");

    let e = refused_without_writes(&b, "same station", || {
        b.service
            .change_station(&b.admin, o.meta.id, o.meta.revision, b.station_b.meta.id)
    });
    assert!(matches!(e, ServiceError::NothingToChange), "{e:?}");
    let e = refused_without_writes(&b, "unknown station", || {
        b.service.change_station(
            &b.admin,
            o.meta.id,
            o.meta.revision,
            beatbook::model::Id::new(),
        )
    });
    assert!(matches!(e, ServiceError::NotFound(Kind::Station)), "{e:?}");
    let e = refused_without_writes(&b, "unknown account", || {
        b.service
            .change_role(&b.admin, beatbook::model::Id::new(), 1, Role::Officer)
    });
    assert!(matches!(e, ServiceError::NotFound(Kind::Officer)), "{e:?}");
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn unlock_lifts_a_lockout_at_once() {
    let b = Bureau::new();
    for _ in 0..5 {
        let _ = b.service.login("chen.b", "wrong-password");
    }
    let e = refusal("locked", b.service.login("chen.b", PASSWORD));
    assert!(matches!(e, ServiceError::Locked { .. }), "{e:?}");
    let overview = b.service.accounts_overview(&b.admin).expect("overview");
    let row = overview
        .iter()
        .flat_map(|s| &s.accounts)
        .find(|r| r.officer.username == "chen.b")
        .expect("listed")
        .clone();
    assert!(row.locked);
    assert_eq!(
        row.statuses(),
        vec![AccountStatus::Active, AccountStatus::Locked]
    );
    assert!(
        row.officer.password_hash.is_empty(),
        "the list carries no hash"
    );
    let o = account(&b, &b.officer_b);
    let before = audit(b.store()).len();
    b.service
        .unlock_account(&b.admin, o.meta.id, o.meta.revision)
        .expect("unlocked");
    assert_eq!(audit_after(b.store(), before)[0].action, "account.unlock");
    b.service
        .login("chen.b", PASSWORD)
        .expect("logs in at once after the unlock");
    let o = account(&b, &b.officer_b);
    let e = refused_without_writes(&b, "nothing to unlock", || {
        b.service
            .unlock_account(&b.admin, o.meta.id, o.meta.revision)
    });
    assert!(matches!(e, ServiceError::NothingToChange), "{e:?}");

    // A reset also lifts a lockout (the usual reason an officer calls the admin).
    for _ in 0..5 {
        let _ = b.service.login("chen.b", "wrong-password");
    }
    let o = account(&b, &b.officer_b);
    assert!(o.locked_until.is_some());
    b.service
        .reset_password(&b.admin, o.meta.id, o.meta.revision, TEMPORARY, TEMPORARY)
        .expect("reset");
    let s = b
        .service
        .login("chen.b", TEMPORARY)
        .expect("in after reset");
    assert!(s.must_change_password());
    // A lock that ran out by itself needs no unlock either.
    for _ in 0..5 {
        let _ = b.service.login("sun.chief", "wrong-password");
    }
    b.clock.advance(Duration::minutes(16));
    b.service
        .login("sun.chief", PASSWORD)
        .expect("lock expired");
    assert_audit_ok(b.store());
}
