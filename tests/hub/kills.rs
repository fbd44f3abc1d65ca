//! `beatbook sync` killed (SIGKILL) at random points of push and pull, 24 times, and the
//! hub's server restarted in the middle of a round: every later round completes, no change
//! reaches the hub twice, none is lost, and both terminals end equal and intact.

use crate::common::bin::beatbook;
use crate::common::hub::{records_of, service_in, station_id, PrivateCluster, TestHub};
use crate::common::{assert_audit_ok, assert_indexes_ok, create_person};
use beatbook::service::JoinAs;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Persons made offline per spurt, and spurts after the first.
const PER_SPURT: usize = 250;
const MAX_SPURTS: usize = 60;

/// Starts `beatbook sync` on `folder`, kills it after `after`; returns whether it had
/// already ended by itself.
pub(super) fn sync_killed_after(folder: &Path, after: Duration) -> bool {
    let mut child = beatbook(folder)
        .arg("sync")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sync starts");
    std::thread::sleep(after);
    let ended = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    let _ = child.wait();
    ended
}

/// Runs a whole `beatbook sync` on `folder`, which must complete; returns what it said.
pub(super) fn sync_to_the_end(folder: &Path) -> String {
    let out = beatbook(folder).arg("sync").output().expect("sync runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "a whole round must complete: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn kills_during_push_and_pull_and_a_hub_restart_lose_nothing_and_repeat_nothing() {
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let hub = TestHub::empty_on(cluster.server.clone());
    beatbook::hub::init(&hub.admin).expect("init");
    hub.upload_demo();
    let seed = fastrand::u64(..);
    eprintln!("kill test seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);

    let (a, b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let cg = JoinAs::Station("CG".into());
    for folder in [a.path(), b.path()] {
        let service = service_in(folder);
        let cred = hub.enrol(&cg);
        service
            .join_hub(&hub.address, &cred, &cg, &mut |_| {})
            .expect("join");
    }
    // Terminal A works offline in spurts; each spurt is pushed by a `sync` killed at a
    // random point, and terminal B pulls by a `sync` killed at a random point. The first
    // spurt is synced whole, to time a round.
    let spurt = |n: usize| {
        let service = service_in(a.path());
        let officer = service
            .login_ready("officer", beatbook::demo::DEMO_PASSWORD)
            .expect("login");
        for i in 0..PER_SPURT {
            create_person(&service, &officer, &format!("批量{n}-{i}"), "南门社区");
        }
    };
    spurt(0);
    let timed = std::time::Instant::now();
    sync_to_the_end(a.path());
    let push_time = timed.elapsed();
    let timed = std::time::Instant::now();
    sync_to_the_end(b.path());
    let pull_time = timed.elapsed();
    eprintln!("a whole round: push {push_time:?}, pull {pull_time:?}");
    let somewhere_in = |rng: &mut fastrand::Rng, whole: Duration| {
        let ms = whole.as_millis().max(20) as u64;
        Duration::from_millis(rng.u64(ms / 10..ms * 4 / 5))
    };
    let mut kills = 0;
    let mut spurts = 0;
    // Until 24 rounds died mid-way (a kill can come after a short round has ended).
    while kills < 24 && spurts < MAX_SPURTS {
        spurts += 1;
        let n = spurts;
        spurt(n);
        if n == 4 {
            // The hub's server stops dead under a running round and comes back.
            let mut child = beatbook(a.path())
                .arg("sync")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("sync starts");
            std::thread::sleep(somewhere_in(&mut rng, push_time));
            cluster.restart();
            let _ = child.wait();
        } else if !sync_killed_after(a.path(), somewhere_in(&mut rng, push_time)) {
            kills += 1;
        }
        if !sync_killed_after(b.path(), somewhere_in(&mut rng, pull_time)) {
            kills += 1;
        }
    }
    sync_to_the_end(a.path());
    sync_to_the_end(b.path());
    sync_to_the_end(a.path());
    assert!(kills >= 20, "only {kills} rounds were killed mid-way");
    eprintln!("{kills} rounds killed mid-way over {spurts} spurts");

    // Nothing twice at the hub, nothing lost, nothing in conflict.
    let mut sql = hub.sql();
    let twice: i64 = sql
        .query_one(
            "SELECT count(*) FROM (SELECT id, revision FROM changes WHERE outcome = 'applied' \
             GROUP BY id, revision HAVING count(*) > 1) t",
            &[],
        )
        .expect("twice")
        .get(0);
    assert_eq!(twice, 0, "a change was applied twice");
    let conflicts: i64 = sql
        .query_one("SELECT count(*) FROM conflicts", &[])
        .expect("conflicts")
        .get(0);
    assert_eq!(conflicts, 0);
    let (sa, sb) = (service_in(a.path()), service_in(b.path()));
    let cg_id = station_id(sa.store(), "CG");
    let (ra, rb) = (
        records_of(sa.store(), &[cg_id.as_str()]),
        records_of(sb.store(), &[cg_id.as_str()]),
    );
    assert_eq!(ra.len(), rb.len());
    assert_eq!(ra, rb, "both terminals hold the same records");
    let at_hub: i64 = sql
        .query_one(
            "SELECT count(*) FROM records WHERE kind = 'person' AND body->>'name' LIKE '批量%'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(
        at_hub as usize,
        PER_SPURT * (spurts + 1),
        "every person reached the hub once"
    );
    for s in [&sa, &sb] {
        assert_indexes_ok(s.store());
        assert_audit_ok(s.store());
        assert_eq!(s.sync_status().waiting, 0);
    }
}
