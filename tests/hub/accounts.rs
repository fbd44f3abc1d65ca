//! Accounts travel with sync: an account disabled at the bureau is refused on a station
//! terminal after that terminal's next sync, and a password changed on one terminal logs
//! in on the station's other terminals after they sync.

use crate::common::hub::TestHub;
use beatbook::demo::DEMO_PASSWORD;
use beatbook::model::Officer;
use beatbook::service::{JoinAs, ServiceError};

#[test]
fn a_disabled_account_is_refused_everywhere_after_sync() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let bureau = hub.terminal(JoinAs::Bureau);
    let a1 = hub.terminal(JoinAs::Station("CG".into()));
    let admin = bureau.login("admin");
    let sunli = bureau
        .service
        .store()
        .officer_by_username("cg.sunli")
        .expect("read")
        .expect("cg.sunli");
    bureau
        .service
        .set_account_active(&admin, sunli.meta.id, sunli.meta.revision, false)
        .expect("disabled");
    // Until the station terminal syncs, it does not know.
    assert!(a1.service.login_ready("cg.sunli", DEMO_PASSWORD).is_ok());
    bureau.sync();
    a1.sync();
    match a1.service.login_ready("cg.sunli", DEMO_PASSWORD) {
        Err(ServiceError::AccountDisabled) => {}
        other => panic!("expected AccountDisabled, got {other:?}"),
    }
    let stored: Officer = a1
        .service
        .store()
        .get(sunli.meta.id)
        .expect("read")
        .expect("officer");
    assert!(!stored.active);
}

#[test]
fn a_password_changed_on_one_terminal_works_on_the_other_after_sync() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let a1 = hub.terminal(JoinAs::Station("CG".into()));
    let a2 = hub.terminal(JoinAs::Station("CG".into()));
    let mut session = a1.login("cg.zhaolei");
    a1.service
        .change_password(
            &mut session,
            DEMO_PASSWORD,
            "new-pass-2026",
            "new-pass-2026",
        )
        .expect("password changed");
    a1.sync();
    a2.sync();
    assert!(a2
        .service
        .login_ready("cg.zhaolei", "new-pass-2026")
        .is_ok());
    assert!(matches!(
        a2.service.login_ready("cg.zhaolei", DEMO_PASSWORD),
        Err(ServiceError::WrongPassword { .. })
    ));
}
