//! A real PostgreSQL hub for the tests: one fresh database per test on the throw-away
//! cluster `.ci/run` starts (`.ci/postgres`), found through `BEATBOOK_TEST_PG`. Under CI a
//! missing server fails the test loudly; elsewhere the hub tests are skipped with a note.
//!
//! Terminals are real data folders with real sled stores, joined with real enrolments.

use beatbook::config::Settings;
use beatbook::hub::{Credential, HubAddress, RoundSummary, Scope};
use beatbook::service::{FixedClock, JoinAs, Service, Session};
use beatbook::store::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

/// The connection of the test cluster's superuser, as `key=value` pairs.
fn server() -> Option<Vec<(String, String)>> {
    match std::env::var("BEATBOOK_TEST_PG") {
        Ok(text) if !text.trim().is_empty() => Some(
            text.split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "BEATBOOK_TEST_PG is not set: the hub tests need the PostgreSQL server that \
                 .ci/run starts (.ci/postgres start). They never skip under CI."
            );
            eprintln!(
                "hub test skipped: BEATBOOK_TEST_PG not set (eval \"$(.ci/postgres start)\")"
            );
            None
        }
    }
}

fn conninfo(pairs: &[(String, String)], dbname: &str, with_user: bool) -> String {
    let mut out: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "dbname" && (with_user || k != "user"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    out.push(format!("dbname={dbname}"));
    out.join(" ")
}

/// The stopped clock of the demo and of every terminal.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-25T09:00:00+08:00").expect("now")
}

pub fn service_in(dir: &std::path::Path) -> Service {
    let store = Store::open(&dir.join("store")).expect("store opens");
    Service::new(store, Arc::new(FixedClock(now())), Settings::default())
}

/// One hub: a database of its own on the test cluster, dropped at the end.
pub struct TestHub {
    server: Vec<(String, String)>,
    pub db: String,
    /// The superuser's address of this database (`hub init`, `add-terminal`).
    pub admin: HubAddress,
    /// The address terminals use (no user: each has its own role).
    pub address: HubAddress,
}

impl TestHub {
    /// An empty database (no hub yet); None when skipped outside CI.
    pub fn empty() -> Option<TestHub> {
        Some(TestHub::empty_on(server()?))
    }

    /// An empty database on the given server.
    pub fn empty_on(server: Vec<(String, String)>) -> TestHub {
        let db = format!("bbt_{}", fastrand::u64(..)).to_lowercase();
        let mut client = postgres_admin(&server, "postgres");
        client
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create test database");
        let admin = HubAddress::parse(&conninfo(&server, &db, true)).expect("admin address");
        let address = HubAddress::parse(&conninfo(&server, &db, false)).expect("address");
        TestHub {
            server,
            db,
            admin,
            address,
        }
    }

    /// A hub set up by `hub init`.
    pub fn new() -> Option<TestHub> {
        let hub = TestHub::empty()?;
        beatbook::hub::init(&hub.admin).expect("hub init");
        Some(hub)
    }

    /// A hub holding the demo bureau, uploaded as the bureau's data from before the hub.
    pub fn with_demo() -> Option<TestHub> {
        let hub = TestHub::new()?;
        hub.upload_demo();
        Some(hub)
    }

    pub fn upload_demo(&self) {
        let (_dir, source) = crate::common::demo();
        beatbook::hub::upload(&self.admin, source.store(), &mut |_| {}).expect("upload demo");
    }

    pub fn enrol(&self, scope: &JoinAs) -> Credential {
        let scope = match scope {
            JoinAs::Station(code) => Scope::Station { code: code.clone() },
            JoinAs::Bureau => Scope::Bureau,
        };
        beatbook::hub::add_terminal(&self.admin, &scope, "test")
            .expect("add terminal")
            .credential
    }

    /// A new, empty terminal joined to this hub (its first round done).
    pub fn terminal(&self, join_as: JoinAs) -> Terminal {
        let credential = self.enrol(&join_as);
        let dir = tempfile::tempdir().expect("tempdir");
        let service = service_in(dir.path());
        service
            .join_hub(&self.address, &credential, &join_as, &mut |_| {})
            .expect("join");
        Terminal {
            dir,
            service,
            credential,
        }
    }

    /// The superuser's connection to this hub's database (to look at what it holds).
    pub fn sql(&self) -> postgres::Client {
        postgres_admin(&self.server, &self.db)
    }

    /// Runs `psql` as a terminal (its role and secret, the secret in the environment as
    /// psql takes it) and returns (exit success, stdout, stderr).
    pub fn psql(&self, credential: &Credential, sql: &str) -> (bool, String, String) {
        let bin = std::env::var("BEATBOOK_TEST_PG_BIN")
            .map(|b| PathBuf::from(b).join("psql"))
            .unwrap_or_else(|_| PathBuf::from("psql"));
        let bin = if bin.exists() {
            bin
        } else {
            PathBuf::from("psql")
        };
        let out = std::process::Command::new(bin)
            .arg(conninfo(&self.server, &self.db, false) + &format!(" user={}", credential.role))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .env("PGPASSWORD", &credential.secret)
            .output()
            .expect("psql runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )
    }
}

impl Drop for TestHub {
    fn drop(&mut self) {
        let mut client = postgres_admin(&self.server, "postgres");
        let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db));
    }
}

fn postgres_admin(server: &[(String, String)], db: &str) -> postgres::Client {
    postgres::Client::connect(&conninfo(server, db, true), postgres::NoTls)
        .expect("connect to the test cluster as its superuser")
}

/// A terminal: a data folder with its store, joined to a hub.
pub struct Terminal {
    pub dir: TempDir,
    pub service: Service,
    pub credential: Credential,
}

impl Terminal {
    pub fn sync(&self) -> RoundSummary {
        self.service.sync_now(&mut |_| {}).expect("sync round")
    }

    pub fn login(&self, username: &str) -> Session {
        self.service
            .login_ready(username, beatbook::demo::DEMO_PASSWORD)
            .unwrap_or_else(|e| panic!("{username} logs in: {e}"))
    }

    /// Every record this terminal holds whose station is in `stations` (all when
    /// empty), id → JSON.
    pub fn records(&self, stations: &[&str]) -> BTreeMap<String, String> {
        records_of(self.service.store(), stations)
    }
}

/// Every record of a store (stations and accounts always; others when their station is
/// in `stations`, or all when it is empty), id → JSON.
pub fn records_of(store: &Store, stations: &[&str]) -> BTreeMap<String, String> {
    use beatbook::model::*;
    let mut out = BTreeMap::new();
    let keep =
        |station: &Id| stations.is_empty() || stations.contains(&station.to_string().as_str());
    macro_rules! all {
        ($t:ty, $always:expr) => {
            for r in store.all::<$t>() {
                let r = r.expect("record reads");
                if $always || keep(&r.meta.station) {
                    out.insert(
                        r.meta.id.to_string(),
                        serde_json::to_string(&r).expect("json"),
                    );
                }
            }
        };
    }
    all!(Station, true);
    all!(Officer, true);
    all!(Person, false);
    all!(Visit, false);
    all!(Dispute, false);
    all!(WatchFlag, false);
    all!(Alert, false);
    all!(Finding, false);
    out
}

/// The id of the demo station with `code`, as text.
pub fn station_id(store: &Store, code: &str) -> String {
    store
        .all::<beatbook::model::Station>()
        .map(|s| s.expect("station"))
        .find(|s| s.code == code)
        .map(|s| s.meta.id.to_string())
        .unwrap_or_else(|| panic!("station {code}"))
}

/// A PostgreSQL cluster of one test's own (`.ci/postgres start`), for a test that restarts
/// its server; stopped and removed at the end. None when skipped outside CI.
pub struct PrivateCluster {
    pub server: Vec<(String, String)>,
    dir: String,
    bin: String,
}

impl PrivateCluster {
    pub fn start() -> Option<PrivateCluster> {
        server()?;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres");
        let out = std::process::Command::new(script)
            .arg("start")
            .output()
            .expect(".ci/postgres runs");
        assert!(
            out.status.success(),
            ".ci/postgres start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .map(|v| v.trim_matches('\'').to_string())
                .unwrap_or_else(|| panic!("{name} in {text}"))
        };
        let conn = value("BEATBOOK_TEST_PG");
        Some(PrivateCluster {
            server: conn
                .split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            dir: value("BEATBOOK_TEST_PG_DIR"),
            bin: value("BEATBOOK_TEST_PG_BIN"),
        })
    }

    /// Stops the server at once (connections cut, as in a crash) and starts it again.
    pub fn restart(&self) {
        let pg_ctl = format!("{}/pg_ctl", self.bin);
        let data = format!("{}/data", self.dir);
        let mut cmd = if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--", &pg_ctl]);
            c
        } else {
            std::process::Command::new(&pg_ctl)
        };
        let status = cmd
            .args(["-D", &data, "-m", "immediate", "-w", "-t", "60", "restart"])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("pg_ctl runs");
        assert!(status.success(), "pg_ctl restart");
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres");
        let _ = std::process::Command::new(script)
            .args(["stop", &self.dir])
            .status();
    }
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        unsafe { libc::getuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}
