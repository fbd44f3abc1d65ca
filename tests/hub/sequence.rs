//! Hub sequences become visible in order: while several terminals push at once, a reader
//! that follows `hub_seq > cursor` (as every pull does) never passes over a sequence that
//! commits later. Sequences handed out by a plain SQL sequence would fail this: a push
//! holding number 10 can commit after one holding 11, and a reader that saw 11 moves its
//! cursor past 10 for good.

use crate::common::create_person;
use crate::common::hub::{service_in, TestHub};
use beatbook::service::JoinAs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[test]
fn a_reader_following_the_cursor_never_skips_a_sequence() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let start: i64 = hub
        .sql()
        .query_one("SELECT hub_seq FROM hub_counter", &[])
        .expect("counter")
        .get(0);
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let done = Arc::clone(&done);
        let mut sql = hub.sql();
        std::thread::spawn(move || {
            let mut cursor = start;
            let mut seen = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let rows = sql
                    .query(
                        "SELECT hub_seq FROM changes WHERE hub_seq > $1 ORDER BY hub_seq",
                        &[&cursor],
                    )
                    .expect("read");
                for row in rows {
                    let seq: i64 = row.get(0);
                    seen.push(seq);
                    cursor = seq;
                }
                if finished {
                    return seen;
                }
            }
        })
    };
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let credential = hub.enrol(&JoinAs::Station("CG".into()));
            let address = hub.address.clone();
            std::thread::spawn(move || {
                let dir = tempfile::tempdir().expect("tempdir");
                let service = service_in(dir.path());
                service
                    .join_hub(
                        &address,
                        &credential,
                        &JoinAs::Station("CG".into()),
                        &mut |_| {},
                    )
                    .expect("join");
                let session = service
                    .login_ready("officer", beatbook::demo::DEMO_PASSWORD)
                    .expect("login");
                for round in 0..12 {
                    for n in 0..3 {
                        create_person(
                            &service,
                            &session,
                            &format!("并发{w}号{round}{n}"),
                            "南门社区",
                        );
                    }
                    service.sync_now(&mut |_| {}).expect("sync");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader.join().expect("reader");
    let all: Vec<i64> = hub
        .sql()
        .query(
            "SELECT hub_seq FROM changes WHERE hub_seq > $1 ORDER BY hub_seq",
            &[&start],
        )
        .expect("all")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        all.len(),
        4 * 12 * 3,
        "every pushed change has a hub sequence"
    );
    assert_eq!(
        seen, all,
        "the reader saw every sequence, in order, none skipped"
    );
    let dense: Vec<i64> = (start + 1..=start + all.len() as i64).collect();
    assert_eq!(all, dense, "sequences are dense");
}
