//! Login lockout after wrong passwords, and the first-run setup.

use super::*;

fn login_err(b: &Bureau, user: &str, password: &str) -> ServiceError {
    refusal(user, b.service.login(user, password))
}

fn officer_record(b: &Bureau, username: &str) -> Officer {
    b.store()
        .officer_by_username(username)
        .expect("lookup")
        .expect("account exists")
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let b = Bureau::new();
    let user = "wang.a";
    let id = b.officer_a.officer();
    let audit_before = b.snapshot().audit;

    for left in [4, 3, 2, 1] {
        match login_err(&b, user, "wrong-password") {
            ServiceError::WrongPassword { tries_left } => assert_eq!(tries_left, left),
            other => panic!("expected WrongPassword, got {other:?}"),
        }
        b.clock.advance(Duration::seconds(10));
    }
    assert_eq!(officer_record(&b, user).failed_logins, 4);
    let wrong = ServiceError::WrongPassword { tries_left: 1 };
    // Told like an unknown username: the words must not reveal that the account exists.
    assert!(wrong.localize(Lang::Zh).contains("用户名或密码错误"));
    assert!(wrong
        .localize(Lang::En)
        .contains("wrong username or password"));

    match login_err(&b, user, "wrong-password") {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 15),
        other => panic!("the 5th failure locks, got {other:?}"),
    }
    let locked_at = b.service.now_utc();
    assert_eq!(
        officer_record(&b, user).locked_until,
        Some(locked_at + Duration::minutes(15))
    );
    // The right password is refused while locked, with the time left (rounded up).
    b.clock.advance(Duration::seconds(30));
    match login_err(&b, user, PASSWORD) {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 15),
        other => panic!("locked account refused, got {other:?}"),
    }
    b.clock.advance(Duration::minutes(5));
    let e = login_err(&b, user, PASSWORD);
    match e {
        ServiceError::Locked { minutes_left } => assert_eq!(minutes_left, 10),
        ref other => panic!("still locked, got {other:?}"),
    }
    assert!(e.localize(Lang::En).contains("10 min"));
    assert!(e.localize(Lang::Zh).contains("10 分钟"));
    // Other accounts are not affected.
    b.service
        .login("li.a", PASSWORD)
        .expect("a colleague logs in meanwhile");
    // Still locked one second before the end.
    b.clock
        .advance(Duration::minutes(9) + Duration::seconds(29));
    assert!(matches!(
        login_err(&b, user, PASSWORD),
        ServiceError::Locked { minutes_left: 1 }
    ));
    // 15 minutes after the lock: the right password works and the count is reset.
    b.clock.advance(Duration::seconds(1));
    assert_eq!(b.service.now_utc(), locked_at + Duration::minutes(15));
    let session = b.service.login(user, PASSWORD).expect("lock expired");
    assert_eq!(session.officer(), id);
    let o = officer_record(&b, user);
    assert_eq!(o.failed_logins, 0);
    assert_eq!(o.locked_until, None);
    match login_err(&b, user, "wrong-again") {
        ServiceError::WrongPassword { tries_left } => assert_eq!(tries_left, 4, "count reset"),
        other => panic!("expected WrongPassword, got {other:?}"),
    }

    // Unknown users are refused by name.
    match login_err(&b, "nobody", PASSWORD) {
        ServiceError::UnknownUser(name) => assert_eq!(name, "nobody"),
        other => panic!("expected UnknownUser, got {other:?}"),
    }

    // Every failure, the lock, the refusals and the logins are audited.
    let entries = audit_after(b.store(), audit_before);
    let mine: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor == id)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        mine,
        vec![
            "login.failed",
            "login.failed",
            "login.failed",
            "login.failed",
            "login.locked",
            "login.refused_locked",
            "login.refused_locked",
            "login.refused_locked",
            "login",
            "login.failed",
        ]
    );
    let lock = entries
        .iter()
        .find(|e| e.action == "login.locked")
        .expect("lock audited");
    assert_eq!(lock.record, Some(id), "the lock is written on the account");
    assert_eq!(lock.actor_name, user);
    assert_eq!(lock.station, Some(b.station_a.meta.id));
    let unknown = entries
        .iter()
        .find(|e| e.action == "login.unknown_user")
        .expect("unknown user audited");
    assert!(unknown.detail.contains("nobody"));
    assert_audit_ok(b.store());
    assert_indexes_ok(b.store());
}

#[test]
fn first_run_setup_refuses_bad_input_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = common::open_service(
        dir.path(),
        std::sync::Arc::new(beatbook::service::FixedClock(common::start_time())),
    );
    assert!(service.needs_setup());
    let good = beatbook::service::FirstStation {
        station_name: "城关派出所".into(),
        station_code: "CG".into(),
        admin_username: "admin".into(),
        admin_display_name: String::new(),
        password: PASSWORD.into(),
        password_again: PASSWORD.into(),
    };
    let cases: Vec<(&str, beatbook::service::FirstStation, Field)> = vec![
        (
            "passwords differ",
            beatbook::service::FirstStation {
                password_again: "something-else".into(),
                ..good.clone()
            },
            Field::PasswordAgain,
        ),
        (
            "short password",
            beatbook::service::FirstStation {
                password: "short".into(),
                password_again: "short".into(),
                ..good.clone()
            },
            Field::Password,
        ),
        (
            "Chinese username",
            beatbook::service::FirstStation {
                admin_username: "王警官".into(),
                ..good.clone()
            },
            Field::Username,
        ),
        (
            "empty station name",
            beatbook::service::FirstStation {
                station_name: " ".into(),
                ..good.clone()
            },
            Field::StationName,
        ),
    ];
    for (what, form, field) in cases {
        let e = refusal(what, service.set_up_first_station(&form));
        assert_eq!(e.field(), Some(field), "{what}: {e:?}");
        assert!(service.needs_setup(), "{what}: nothing written");
        assert_eq!(service.store().audit_entries().count(), 0, "{what}");
    }
    let (station, admin) = service.set_up_first_station(&good).expect("set up");
    assert!(!service.needs_setup());
    assert_eq!(admin.meta.station, station.meta.id);
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(
        admin.display_name, "admin",
        "display name defaults to the username"
    );
    let entries = common::audit(service.store());
    assert_eq!(entries.len(), 2, "one entry per record written");
    assert!(entries
        .iter()
        .all(|e| e.action == "setup.first_station" && e.actor == beatbook::model::Id::SYSTEM));
    let session = service.login("admin", PASSWORD).expect("admin logs in");
    assert_eq!(session.station(), station.meta.id);
    assert_audit_ok(service.store());
}
