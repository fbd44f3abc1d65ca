//! `beatbook hub bench URL`: the hub's speed on a real server, as JSON lines like
//! `beatbook bench`. Sets up a hub with the demo bureau in the (empty) database the
//! address names, then times
//! - a round with nothing to do (`hub.round_idle`),
//! - a round carrying 100 local changes (`hub.round_100`),
//! - many terminals pushing and pulling at once for a while (`hub.concurrent`: changes
//!   per second), and checks that every terminal of a station ends with the same records.
//!
//! Joining a station from a hub holding the full seed is measured with `hub init --upload`
//! and `hub join` on seeded data (see the issue note): it needs a store of 1.8 M records.

use super::timing::{emit, ms, timed};
use crate::demo::DEMO_PASSWORD;
use crate::service::{Service, Session};
use crate::store::Store;
use beatbook_hub::{Credential, HubAddress, Scope};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One benchmark terminal: a data folder of its own, joined.
struct Bench {
    _dir: tempfile::TempDir,
    service: Service,
    session: Session,
}

/// Runs the hub benchmarks against `address` (an empty database, as its owner).
pub(crate) fn run(
    address: &HubAddress,
    clock: Arc<dyn crate::service::Clock>,
    runs: usize,
    terminals: usize,
    seconds: u64,
) -> Result<(), String> {
    let fail = |e: beatbook_hub::HubError| e.to_string();
    beatbook_hub::init(address).map_err(fail)?;
    let source = tempfile::tempdir().map_err(|e| e.to_string())?;
    let demo = open(source.path(), &clock)?;
    crate::demo::load_demo(&demo).map_err(|e| e.to_string())?;
    beatbook_hub::upload(address, demo.store(), &mut |_| {}).map_err(fail)?;
    // Each station terminal works as an officer of its station.
    let stations: Vec<(String, String)> = demo
        .store()
        .all::<crate::model::Station>()
        .filter_map(Result::ok)
        .filter_map(|s| {
            let officer = demo
                .store()
                .all::<crate::model::Officer>()
                .filter_map(Result::ok)
                .find(|o| {
                    o.meta.station == s.meta.id
                        && o.active
                        && matches!(o.role, crate::model::Role::Officer)
                })?;
            Some((s.code.clone(), officer.username))
        })
        .collect();
    drop(demo);

    // Idle rounds and rounds of 100 changes, on one CG terminal.
    let one = join(address, &clock, "CG", "officer")?;
    let mut idle = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        one.service
            .sync_now(&mut |_| {})
            .map_err(|e| e.to_string())?;
        idle.push(started.elapsed());
    }
    emit(timed("hub.round_idle", 0, &idle));
    let mut hundred = Vec::with_capacity(runs);
    for r in 0..runs {
        for n in 0..100 {
            new_person(&one, &format!("基准{r}-{n}"))?;
        }
        let started = Instant::now();
        let summary = one
            .service
            .sync_now(&mut |_| {})
            .map_err(|e| e.to_string())?;
        hundred.push(started.elapsed());
        if summary.pushed != 100 {
            return Err(format!(
                "a round pushed {} changes, not 100",
                summary.pushed
            ));
        }
    }
    emit(timed("hub.round_100", 100, &hundred));
    drop(one);

    // Many terminals at once, spread over the stations.
    let stop = Arc::new(AtomicBool::new(false));
    let pushed = Arc::new(AtomicUsize::new(0));
    let pulled = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for t in 0..terminals {
        let (code, user) = stations[t % stations.len()].clone();
        let credential = enrol(address, &code)?;
        let (address, clock) = (address.clone(), Arc::clone(&clock));
        let (stop, pushed, pulled) = (Arc::clone(&stop), Arc::clone(&pushed), Arc::clone(&pulled));
        threads.push(std::thread::spawn(
            move || -> Result<(String, BTreeMap<String, u64>), String> {
                let b = join_with(&address, &clock, &code, &user, &credential)?;
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    for _ in 0..5 {
                        new_person(&b, &format!("并发{t}-{n}"))?;
                        n += 1;
                    }
                    let s = b.service.sync_now(&mut |_| {}).map_err(|e| e.to_string())?;
                    pushed.fetch_add(s.pushed, Ordering::Relaxed);
                    pulled.fetch_add(s.pulled, Ordering::Relaxed);
                }
                // Wait for the others to stop, then two last rounds to take in everything.
                std::thread::sleep(Duration::from_secs(2));
                for _ in 0..2 {
                    b.service.sync_now(&mut |_| {}).map_err(|e| e.to_string())?;
                    std::thread::sleep(Duration::from_secs(1));
                }
                let records = revisions(b.service.store(), &code);
                Ok((code, records))
            },
        ));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let mut by_station: BTreeMap<String, Vec<BTreeMap<String, u64>>> = BTreeMap::new();
    for t in threads {
        let (code, records) = t
            .join()
            .map_err(|_| "a terminal thread failed".to_string())??;
        by_station.entry(code).or_default().push(records);
    }
    let converged = by_station
        .values()
        .all(|copies| copies.windows(2).all(|w| w[0] == w[1]));
    let changes = pushed.load(Ordering::Relaxed);
    emit(json!({
        "name": "hub.concurrent",
        "terminals": terminals,
        "seconds": ms(elapsed) / 1000.0,
        "pushed": changes,
        "pulled": pulled.load(Ordering::Relaxed),
        "changes_per_s": (changes as f64 / elapsed.as_secs_f64()).round(),
        "converged": converged,
    }));
    if !converged {
        return Err("terminals of one station ended with different records".into());
    }
    Ok(())
}

fn open(dir: &std::path::Path, clock: &Arc<dyn crate::service::Clock>) -> Result<Service, String> {
    let store = Store::open(&dir.join("store")).map_err(|e| e.to_string())?;
    Ok(Service::new(
        store,
        Arc::clone(clock),
        crate::config::Settings::default(),
    ))
}

fn enrol(address: &HubAddress, code: &str) -> Result<Credential, String> {
    beatbook_hub::add_terminal(
        address,
        &Scope::Station {
            code: code.to_string(),
        },
        "bench",
    )
    .map(|e| e.credential)
    .map_err(|e| e.to_string())
}

fn join(
    address: &HubAddress,
    clock: &Arc<dyn crate::service::Clock>,
    code: &str,
    user: &str,
) -> Result<Bench, String> {
    let credential = enrol(address, code)?;
    join_with(address, clock, code, user, &credential)
}

fn join_with(
    address: &HubAddress,
    clock: &Arc<dyn crate::service::Clock>,
    code: &str,
    user: &str,
    credential: &Credential,
) -> Result<Bench, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let service = open(dir.path(), clock)?;
    service
        .join_hub(
            address,
            credential,
            &crate::service::JoinAs::Station(code.to_string()),
            &mut |_| {},
        )
        .map_err(|e| e.to_string())?;
    let session = service
        .login_ready(user, DEMO_PASSWORD)
        .map_err(|e| e.to_string())?;
    Ok(Bench {
        _dir: dir,
        service,
        session,
    })
}

fn new_person(b: &Bench, name: &str) -> Result<(), String> {
    b.service
        .create_person(
            &b.session,
            &crate::model::PersonDraft {
                name: name.into(),
                village: "基准村".into(),
                ..Default::default()
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Every record of the station `code` (and every station and account): id → revision.
fn revisions(store: &Store, code: &str) -> BTreeMap<String, u64> {
    let station = store
        .all::<crate::model::Station>()
        .filter_map(Result::ok)
        .find(|s| s.code == code)
        .map(|s| s.meta.id);
    let mut out = BTreeMap::new();
    for p in store.all::<crate::model::Person>().filter_map(Result::ok) {
        if Some(p.meta.station) == station {
            out.insert(p.meta.id.to_string(), p.meta.revision);
        }
    }
    for v in store.all::<crate::model::Visit>().filter_map(Result::ok) {
        if Some(v.meta.station) == station {
            out.insert(v.meta.id.to_string(), v.meta.revision);
        }
    }
    out
}
