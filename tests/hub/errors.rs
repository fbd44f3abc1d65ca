//! Every error a person can meet with the hub is told in their language without debug
//! text, and the terminal keeps working offline: hub unreachable, wrong credential, a hub
//! set up by a newer beatbook, an enrolment for another station.

use crate::common::create_person;
use crate::common::hub::{service_in, TestHub};
use beatbook::hub::{Credential, HubAddress};
use beatbook::i18n::{Lang, Localize};
use beatbook::service::{JoinAs, ServiceError};

/// Both languages of an error, checked for debug text.
fn told(e: &ServiceError) -> (String, String) {
    let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
    for text in [&zh, &en] {
        for bad in [
            "Error {", "Os {", "os error", "Db(", "Kind(", "SqlState", "panicked",
        ] {
            assert!(!text.contains(bad), "debug text {bad:?} in {text}");
        }
    }
    (zh, en)
}

#[test]
fn an_unreachable_hub_is_offline_and_the_terminal_keeps_working() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let a1 = hub.terminal(JoinAs::Station("CG".into()));
    // The hub moves away: the terminal's link points at a socket folder with no server.
    let link = a1.dir.path().join("hub.toml");
    let text = std::fs::read_to_string(&link).expect("hub.toml");
    let gone = tempfile::tempdir().expect("tempdir");
    let moved = text
        .split('\n')
        .map(|line| {
            if line.starts_with("address") {
                format!(
                    "address = \"host={} dbname={}\"",
                    gone.path().display(),
                    hub.db
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&link, moved).expect("rewrite hub.toml");
    let officer = a1.login("officer");
    let err = a1.service.sync_now(&mut |_| {}).expect_err("no hub there");
    let (zh, en) = told(&err);
    assert!(
        zh.contains("连不上分局服务器") && zh.contains("离线"),
        "{zh}"
    );
    assert!(
        en.contains("cannot be reached") && en.contains("offline"),
        "{en}"
    );
    let status = a1.service.sync_status();
    assert!(
        status.offline && status.failing_since.is_some(),
        "{status:?}"
    );
    // Work goes on and waits for the hub.
    create_person(&a1.service, &officer, "离线新增", "南门社区");
    assert_eq!(a1.service.sync_status().waiting, 1);
}

#[test]
fn a_wrong_credential_a_newer_hub_and_another_stations_enrolment_are_refused_plainly() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let service = service_in(dir.path());
    let cred = hub.enrol(&JoinAs::Station("CG".into()));

    let wrong = Credential {
        role: cred.role.clone(),
        secret: "wrong".into(),
    };
    let err = service
        .join_hub(
            &hub.address,
            &wrong,
            &JoinAs::Station("CG".into()),
            &mut |_| {},
        )
        .expect_err("wrong secret");
    let (zh, en) = told(&err);
    assert!(zh.contains("拒绝了本终端的凭据"), "{zh}");
    assert!(en.contains("refused this terminal's credential"), "{en}");

    let err = service
        .join_hub(
            &hub.address,
            &cred,
            &JoinAs::Station("QS".into()),
            &mut |_| {},
        )
        .expect_err("enrolled for CG");
    let (zh, en) = told(&err);
    assert!(zh.contains("CG") && zh.contains("QS"), "{zh}");
    assert!(en.contains("for a terminal of CG, not QS"), "{en}");
    assert!(!dir.path().join("hub.toml").exists(), "nothing saved");

    hub.sql()
        .execute(
            "UPDATE hub_meta SET value = '99' WHERE key = 'schema_version'",
            &[],
        )
        .expect("newer hub");
    let err = service
        .join_hub(
            &hub.address,
            &cred,
            &JoinAs::Station("CG".into()),
            &mut |_| {},
        )
        .expect_err("newer hub");
    let (zh, en) = told(&err);
    assert!(zh.contains("较新的 beatbook") && zh.contains("99"), "{zh}");
    assert!(en.contains("newer beatbook") && en.contains("99"), "{en}");

    let bad = HubAddress::parse("host=/tmp").expect_err("no database");
    assert!(bad.localize(Lang::En).contains("not understood"));
}

#[test]
fn join_and_sync_from_the_command_line_tell_what_they_did() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let data = tempfile::tempdir().expect("tempdir");
    let enrol = data.path().join("cg.enrol");
    let out = crate::common::bin::ok(
        crate::common::bin::beatbook(data.path())
            .args(["hub", "add-terminal"])
            .arg(hub.admin.to_string())
            .args(["--station", "CG", "--out"])
            .arg(&enrol),
    );
    let text = crate::common::bin::text(&out.stdout);
    assert!(text.contains("Enrolled terminal"), "{text}");
    let secret = std::fs::read_to_string(&enrol).expect("enrolment file");
    assert!(
        !text.contains(secret.trim()),
        "the secret is not printed with --out"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&enrol)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let folder = data.path().join("terminal");
    let out = crate::common::bin::ok(
        crate::common::bin::beatbook(&folder)
            .args(["hub", "join"])
            .arg(hub.address.to_string())
            .args(["--station", "CG", "--credential"])
            .arg(&enrol),
    );
    let text = crate::common::bin::text(&out.stdout);
    assert!(
        text.contains("Joined the hub") && text.contains("received"),
        "{text}"
    );
    let secret_file = folder.join("hub.secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The secret is in hub.secret only: not in hub.toml, the log or the audit log.
    let toml = std::fs::read_to_string(folder.join("hub.toml")).expect("hub.toml");
    let log = std::fs::read_to_string(folder.join("beatbook.log")).unwrap_or_default();
    let secret = secret
        .trim()
        .split_once('.')
        .expect("role.secret")
        .1
        .to_string();
    assert!(!toml.contains(&secret) && !log.contains(&secret));
    let out = crate::common::bin::ok(crate::common::bin::beatbook(&folder).arg("sync"));
    let text = crate::common::bin::text(&out.stdout);
    assert!(
        text.contains("Synced: 0 sent, 0 received, 0 still waiting"),
        "{text}"
    );
    let out = crate::common::bin::ok(
        crate::common::bin::beatbook(&folder).args(["--lang", "zh", "hub", "status"]),
    );
    let text = crate::common::bin::text(&out.stdout);
    assert!(text.contains("待发送改动：0 条"), "{text}");
    // An administrator's password written into the address is not logged either.
    let with_password = format!("{} password=admin-pw-123", hub.admin);
    let out = crate::common::bin::run(crate::common::bin::beatbook(&folder).args([
        "hub",
        "init",
        &with_password,
    ]));
    assert!(!out.status.success(), "the hub exists already");
    let log = std::fs::read_to_string(folder.join("beatbook.log")).expect("log");
    assert!(log.contains("hub"), "the command is logged");
    assert!(!log.contains("admin-pw-123"), "a password in the log");
    let store = beatbook::store::Store::open(&folder.join("store")).expect("store");
    for entry in store.audit_entries() {
        let entry = format!("{:?}", entry.expect("entry"));
        assert!(!entry.contains(&secret), "secret in the audit log");
    }
}

/// Over the network the hub must show a certificate from the bureau's CA: a terminal
/// joins with the right CA, is refused plainly with another CA's (nothing sent), and
/// cannot reach it without one.
#[test]
fn a_hub_over_the_network_needs_the_bureaus_certificate() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let (tcp, ca, other) = match (
        std::env::var("BEATBOOK_TEST_PG_TCP"),
        std::env::var("BEATBOOK_TEST_PG_CA"),
        std::env::var("BEATBOOK_TEST_PG_OTHER_CA"),
    ) {
        (Ok(tcp), Ok(ca), Ok(other)) => (tcp, ca, other),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "the TLS test needs .ci/postgres start --tls (BEATBOOK_TEST_PG_TCP)"
            );
            return;
        }
    };
    let url = format!("{tcp} dbname={}", hub.db);
    let cg = JoinAs::Station("CG".into());
    let cred = hub.enrol(&cg);
    let dir = tempfile::tempdir().expect("tempdir");
    let service = service_in(dir.path());

    let plain = HubAddress::parse(&url).expect("address");
    let err = service
        .join_hub(&plain, &cred, &cg, &mut |_| {})
        .expect_err("no CA");
    let (zh, en) = told(&err);
    assert!(zh.contains("--ca") && en.contains("--ca"), "{en}");

    let forged = plain.clone().with_ca(std::path::Path::new(&other));
    let err = service
        .join_hub(&forged, &cred, &cg, &mut |_| {})
        .expect_err("another CA");
    let (zh, en) = told(&err);
    assert!(zh.contains("证书不对"), "{zh}");
    assert!(en.contains("certificate does not match"), "{en}");
    assert!(!dir.path().join("hub.toml").exists(), "nothing saved");

    let right = plain.with_ca(std::path::Path::new(&ca));
    let summary = service
        .join_hub(&right, &cred, &cg, &mut |_| {})
        .expect("joined over TLS");
    assert!(summary.pulled > 0);
    // The link keeps its own copy of the CA: later rounds check the hub the same way.
    assert!(dir.path().join("hub-ca.pem").exists());
    service
        .sync_now(&mut |_| {})
        .expect("a later round over TLS");
}

/// A data folder whose change log is not the one the hub took this terminal's changes
/// from (an older copy brought back, or a second folder on the same enrolment) is refused
/// before anything is sent: the hub never answers one record's change with another's.
#[test]
fn an_older_copy_of_a_terminal_is_refused_not_mixed_up() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let a1 = hub.terminal(JoinAs::Station("CG".into()));
    let officer = a1.login("officer");
    // The copy is taken now, before these changes reach the hub.
    let copy = tempfile::tempdir().expect("tempdir");
    a1.service.store().flush().expect("flush");
    copy_folder(a1.dir.path(), copy.path());
    for n in 0..3 {
        create_person(&a1.service, &officer, &format!("原件{n}"), "南门社区");
    }
    a1.sync();
    let older = service_in(copy.path());
    let session = older
        .login_ready("officer", beatbook::demo::DEMO_PASSWORD)
        .expect("login");
    for n in 0..3 {
        create_person(&older, &session, &format!("副本{n}"), "北街社区");
    }
    let err = older.sync_now(&mut |_| {}).expect_err("the copy diverged");
    let (zh, en) = told(&err);
    assert!(zh.contains("对不上"), "{zh}");
    assert!(en.contains("does not match this data folder"), "{en}");
    let copies: i64 = hub
        .sql()
        .query_one(
            "SELECT count(*) FROM records WHERE body->>'name' LIKE '副本%'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(copies, 0, "nothing of the copy was taken");
}

/// Copies a data folder whose store is open (sled's files are consistent after a flush).
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
