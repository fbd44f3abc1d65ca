//! Shared fixtures for the store and service tests: a small bureau with two stations,
//! real accounts (argon2 hashes), persons with valid resident ID numbers and visits, all
//! made through the service on a real sled store in a temp dir.
//!
//! Password hashing costs tens of milliseconds, so a test builds its bureau once and makes
//! all its assertions against it.

#![allow(dead_code)]

pub mod bin;
pub mod crash;
pub mod disputes;
pub mod hub;
pub mod raw;
pub mod service;
pub mod tty;
pub mod tui;
pub mod watch;

pub use service::{open_service, schedule, PASSWORD};

use beatbook::config::Settings;
use beatbook::model::resident_id::check_char;
use beatbook::model::{Person, PersonDraft, Role, Station, Visit};
use beatbook::service::{
    Clock, FirstStation, FixedClock, ImportOptions, ImportReport, NewOfficer, Service,
    ServiceError, Session,
};
use beatbook::store::{AuditEntry, ChangeLogEntry, Kind, Store};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use std::fmt::Debug;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

/// The initial password the fixture's administrator gives new accounts; each account
/// replaces it with [`PASSWORD`] at its first login, as a real officer must.
pub const FIRST_PASSWORD: &str = "initial-pass-1";

/// A new account's first login: logs in with the initial (or reset) password and
/// chooses `password`, which clears the forced change.
pub fn first_login(service: &Service, username: &str, initial: &str, password: &str) -> Session {
    let mut session = service
        .login(username, initial)
        .unwrap_or_else(|e| panic!("{username} first login: {e}"));
    assert!(
        session.must_change_password(),
        "{username} must change first"
    );
    service
        .change_password(&mut session, initial, password, password)
        .unwrap_or_else(|e| panic!("{username} first password change: {e}"));
    session
}

/// 2026-11-25 09:00 in China (+08:00): "today" of the fixtures.
pub fn start_time() -> DateTime<FixedOffset> {
    at(2026, 11, 25, 9, 0)
}

/// A local instant at +08:00.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .expect("+08:00")
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid test instant")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// A clock the test moves by hand (lockout expiry, days passing).
#[derive(Debug)]
pub struct TestClock(Mutex<DateTime<FixedOffset>>);

impl TestClock {
    pub fn new(start: DateTime<FixedOffset>) -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }

    pub fn set(&self, to: DateTime<FixedOffset>) {
        *self.0.lock().expect("clock lock") = to;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().expect("clock lock")
    }
}

/// The demo bureau (`load_demo`) in a fresh store, its clock stopped at 2026-11-25 09:00
/// in China; the folder goes with it.
pub fn demo() -> (TempDir, Service) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let now = DateTime::parse_from_rfc3339("2026-11-25T09:00:00+08:00").expect("now");
    let service = Service::new(store, Arc::new(FixedClock(now)), Settings::default());
    beatbook::demo::load_demo(&service).expect("demo loads");
    (dir, service)
}

/// The demo bureau grown by the synthetic seed (`spec`) in a fresh store, its clock
/// stopped at [`start_time`]; the folder goes with it. For lists longer than the demo's.
pub fn seeded_demo(spec: &beatbook::demo::SeedSpec) -> (TempDir, Service) {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = open_service(dir.path(), Arc::new(FixedClock(start_time())));
    beatbook::demo::load_demo(&service).expect("demo loads");
    beatbook::demo::seed(&service, spec, &mut |_| {}).expect("seed");
    (dir, service)
}

/// A valid 18-character resident ID number: Beijing Xicheng address code, the given birth
/// date, a 3-digit sequence (odd: male, even: female) and the GB 11643 check character.
pub fn resident_id(birth: NaiveDate, seq: u16) -> String {
    let mut s = format!("110102{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let c = check_char(s.as_bytes()).expect("17 digits");
    s.push(c);
    s
}

static NEXT_ID_NUMBER: AtomicU32 = AtomicU32::new(0);

/// A resident ID number no other call in this test binary returns.
pub fn fresh_resident_id() -> String {
    let n = NEXT_ID_NUMBER.fetch_add(1, Ordering::Relaxed);
    let birth = date(1950, 1, 1) + Duration::days(i64::from(n % 20_000));
    // Unique birth date per call (for n < 20,000); the sequence alternates the gender.
    resident_id(birth, (10 + n % 50) as u16)
}

/// Two stations with accounts in each, logged in, one person per station.
pub struct Bureau {
    pub dir: TempDir,
    pub clock: Arc<TestClock>,
    pub service: Service,
    pub station_a: Station,
    pub station_b: Station,
    pub admin: Session,
    /// Officer of station A.
    pub officer_a: Session,
    /// A second officer of station A (the colleague).
    pub officer_a2: Session,
    pub chief_a: Session,
    pub officer_b: Session,
    pub chief_b: Session,
    /// Supervisor, registered at station A, reads all stations.
    pub supervisor: Session,
    /// A person of station A.
    pub person_a: Person,
    /// A person of station B.
    pub person_b: Person,
}

impl Bureau {
    /// Builds the bureau at [`start_time`].
    pub fn new() -> Bureau {
        Bureau::new_at(start_time())
    }

    /// Builds the bureau with the clock at `start`.
    pub fn new_at(start: DateTime<FixedOffset>) -> Bureau {
        Bureau::with_settings(start, Settings::default())
    }

    /// Builds the bureau with the clock at `start` and `settings` (e.g. a customised
    /// dispute dictionary).
    pub fn with_settings(start: DateTime<FixedOffset>, settings: Settings) -> Bureau {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = TestClock::new(start);
        let store = Store::open(dir.path()).expect("store opens");
        let service = Service::new(store, clock.clone(), settings);
        let (station_a, _admin) = service
            .set_up_first_station(&FirstStation {
                station_name: "城关派出所".into(),
                station_code: "CG".into(),
                admin_username: "admin".into(),
                admin_display_name: "管理员".into(),
                password: PASSWORD.into(),
                password_again: PASSWORD.into(),
            })
            .expect("first station set up");
        let admin = service.login("admin", PASSWORD).expect("admin logs in");
        let station_b = service
            .create_station(&admin, "河西派出所", "HX")
            .expect("second station");
        let accounts = [
            ("wang.a", "王建国", Role::Officer, station_a.meta.id),
            ("li.a", "李卫东", Role::Officer, station_a.meta.id),
            ("zhao.chief", "赵所长", Role::Chief, station_a.meta.id),
            ("chen.b", "陈晓明", Role::Officer, station_b.meta.id),
            ("sun.chief", "孙所长", Role::Chief, station_b.meta.id),
            ("fa.zhi", "刘法制", Role::Supervisor, station_a.meta.id),
        ];
        for (username, display_name, role, station) in accounts {
            service
                .create_officer(
                    &admin,
                    &NewOfficer {
                        station,
                        username: username.into(),
                        display_name: display_name.into(),
                        role,
                        password: FIRST_PASSWORD.into(),
                    },
                )
                .unwrap_or_else(|e| panic!("account {username}: {e}"));
            first_login(&service, username, FIRST_PASSWORD, PASSWORD);
        }
        let login = |u: &str| {
            service
                .login(u, PASSWORD)
                .unwrap_or_else(|e| panic!("{u} logs in: {e}"))
        };
        let officer_a = login("wang.a");
        let officer_a2 = login("li.a");
        let chief_a = login("zhao.chief");
        let officer_b = login("chen.b");
        let chief_b = login("sun.chief");
        let supervisor = login("fa.zhi");
        let person_a = create_person(&service, &officer_a, "张三丰", "东关村");
        let person_b = create_person(&service, &officer_b, "李秀英", "河西村");
        Bureau {
            dir,
            clock,
            service,
            station_a,
            station_b,
            admin,
            officer_a,
            officer_a2,
            chief_a,
            officer_b,
            chief_b,
            supervisor,
            person_a,
            person_b,
        }
    }

    pub fn store(&self) -> &Store {
        self.service.store()
    }

    /// Closes the store and reopens it with another clock (e.g. a [`FixedClock`] days
    /// later). Sessions stay valid: they are the officers' identities, not connections.
    pub fn reopen_with(mut self, clock: Arc<dyn Clock>) -> Bureau {
        let path = self.dir.path().to_path_buf();
        drop(self.service);
        self.service = open_service(&path, clock);
        self
    }

    /// Reopens the store with a clock stopped at `instant`.
    pub fn reopen_fixed(self, instant: DateTime<FixedOffset>) -> Bureau {
        self.reopen_with(Arc::new(FixedClock(instant)))
    }

    /// Schedules a visit to `person` for the session's officer, due as typed (`+3`, a date).
    pub fn visit(&self, session: &Session, person: &Person, due: &str) -> Visit {
        schedule(&self.service, session, person.meta.id, due, None)
    }

    /// Counts of what the store holds, to show that a refused call wrote nothing.
    pub fn snapshot(&self) -> Snapshot {
        snapshot(self.store())
    }
}

impl Default for Bureau {
    fn default() -> Self {
        Bureau::new()
    }
}

/// The password of [`one_station`]'s officers after their first login.
pub const STATION_PASSWORD: &str = "pass1234";

/// One station as the TUI snapshot tests set it up (their screens show these names).
pub struct OneStation {
    pub dir: TempDir,
    pub service: Service,
    pub clock: Arc<TestClock>,
}

/// 城关派出所 in a store in `dir/store`, the clock at `start`: the administrator `admin`
/// (password `admin1234`), the officer `wang` 王建国 and the chief `zhao` 赵所长, both past
/// their first login with [`STATION_PASSWORD`]. No one is left logged in.
pub fn one_station(start: DateTime<FixedOffset>) -> OneStation {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = TestClock::new(start);
    let service = Service::new(store, clock.clone(), Settings::default());
    let (station, _) = service
        .set_up_first_station(&FirstStation {
            station_name: "城关派出所".into(),
            station_code: "CG".into(),
            admin_username: "admin".into(),
            admin_display_name: "管理员".into(),
            password: "admin1234".into(),
            password_again: "admin1234".into(),
        })
        .expect("setup");
    let admin = service.login("admin", "admin1234").expect("admin login");
    for (user, name, role) in [
        ("wang", "王建国", Role::Officer),
        ("zhao", "赵所长", Role::Chief),
    ] {
        service
            .create_officer(
                &admin,
                &NewOfficer {
                    station: station.meta.id,
                    username: user.into(),
                    display_name: name.into(),
                    role,
                    password: "first1234".into(),
                },
            )
            .expect("officer");
        // A new account must replace its initial password at the first login.
        let mut first = service.login(user, "first1234").expect("first login");
        service
            .change_password(&mut first, "first1234", STATION_PASSWORD, STATION_PASSWORD)
            .expect("first password change");
    }
    OneStation {
        dir,
        service,
        clock,
    }
}

/// Creates a person with a fresh valid ID number in the session's station.
pub fn create_person(service: &Service, session: &Session, name: &str, village: &str) -> Person {
    service
        .create_person(
            session,
            &PersonDraft {
                name: name.into(),
                id_number: fresh_resident_id(),
                phone: "13812345678".into(),
                address: format!("{village}1号"),
                village: village.into(),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("person {name}: {e}"))
}

/// Imports a spreadsheet (`import persons`) as station A's officer, with no progress
/// shown; the file must be readable.
pub fn import(b: &Bureau, bytes: &[u8], options: ImportOptions) -> ImportReport {
    b.service
        .import_persons(&b.officer_a, bytes, options, &mut |_, _| {})
        .expect("file readable")
}

/// The refusal of a call that must be refused (fails naming `what` if it went through).
pub fn refusal<T: Debug>(what: &str, r: Result<T, ServiceError>) -> ServiceError {
    match r {
        Ok(v) => panic!("{what}: expected a refusal, got {v:?}"),
        Err(e) => e,
    }
}

/// Runs `call`, expects a refusal and checks that nothing at all reached the store.
pub fn refused_without_writes<T: Debug>(
    b: &Bureau,
    what: &str,
    call: impl FnOnce() -> Result<T, ServiceError>,
) -> ServiceError {
    let before = b.snapshot();
    let e = refusal(what, call());
    assert_eq!(
        b.snapshot(),
        before,
        "{what}: a refused call writes nothing"
    );
    e
}

/// A resident ID number: the 17 digits of `body` and the GB 11643 check character,
/// computed here by the standard's weights (independently of beatbook's own check).
pub fn id_number(body: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// Record, audit and change-log counts of a store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub stations: usize,
    pub officers: usize,
    pub persons: usize,
    pub visits: usize,
    pub disputes: usize,
    pub audit: usize,
    pub changes: usize,
}

pub fn snapshot(store: &Store) -> Snapshot {
    Snapshot {
        stations: store.count(Kind::Station),
        officers: store.count(Kind::Officer),
        persons: store.count(Kind::Person),
        visits: store.count(Kind::Visit),
        disputes: store.count(Kind::Dispute),
        audit: store.audit_entries().count(),
        changes: store.changes_since(0).count(),
    }
}

/// Every audit entry, in order.
pub fn audit(store: &Store) -> Vec<AuditEntry> {
    store
        .audit_entries()
        .collect::<Result<Vec<_>, _>>()
        .expect("audit entries readable")
}

/// Every change-log entry, in order.
pub fn changes(store: &Store) -> Vec<ChangeLogEntry> {
    store
        .changes_since(0)
        .collect::<Result<Vec<_>, _>>()
        .expect("change log readable")
}

/// The audit entries after the first `skip`.
pub fn audit_after(store: &Store, skip: usize) -> Vec<AuditEntry> {
    audit(store).into_iter().skip(skip).collect()
}

/// Asserts that the whole audit chain verifies and covers every entry.
pub fn assert_audit_ok(store: &Store) {
    let n = store.audit_entries().count() as u64;
    match store.verify_audit().expect("audit readable") {
        Ok(verified) => assert_eq!(verified, n, "every audit entry verified"),
        Err(problem) => panic!("audit chain broken: {problem:?}"),
    }
}

/// Asserts that every index equals what a full scan implies.
pub fn assert_indexes_ok(store: &Store) {
    let problems = store.check_indexes().expect("indexes readable");
    assert!(problems.is_empty(), "index mismatches: {problems:?}");
}
