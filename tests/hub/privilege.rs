//! Least privilege at the hub itself: a terminal's credential used directly with `psql`
//! (no beatbook in between) reads nothing of another station's cases and cannot write
//! them; a bureau terminal's credential cannot change a dispute; no terminal can widen
//! its own rights; a wrong secret is refused.

use crate::common::hub::{station_id, TestHub};
use beatbook::hub::Credential;
use beatbook::service::JoinAs;

#[test]
fn a_station_credential_with_psql_reads_and_writes_only_its_station() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let bureau = hub.terminal(JoinAs::Bureau);
    let store = bureau.service.store();
    let (cg, qs) = (station_id(store, "CG"), station_id(store, "QS"));
    let cg_terminal = hub.enrol(&JoinAs::Station("CG".into()));
    let count = |cred: &Credential, table: &str, station: &str| {
        let (ok, out, err) = hub.psql(
            cred,
            &format!(
                "SELECT count(*) FROM {table} WHERE station = '{station}' \
                 AND kind NOT IN ('station', 'officer')"
            ),
        );
        assert!(ok, "psql count on {table}: {err}");
        out.parse::<u64>().expect("a count")
    };
    // Its own station's cases, none of another's: in the heads and in the change feed.
    assert!(count(&cg_terminal, "records", &cg) > 0);
    assert_eq!(count(&cg_terminal, "records", &qs), 0);
    assert_eq!(count(&cg_terminal, "changes", &qs), 0);
    assert!(
        count(&bureau.credential, "records", &qs) > 0,
        "the bureau reads every station"
    );

    // Writing another station's rows: invisible to UPDATE, refused on INSERT, no DELETE.
    let (ok, out, _) = hub.psql(
        &cg_terminal,
        &format!("UPDATE records SET revision = revision + 1 WHERE station = '{qs}'"),
    );
    assert!(ok);
    assert_eq!(out, "UPDATE 0", "UPDATE touched nothing");
    let qs_revisions: i64 = hub
        .sql()
        .query_one(
            "SELECT sum(revision)::bigint FROM records WHERE station = $1",
            &[&qs],
        )
        .expect("sum")
        .get(0);
    let (ok, _, err) = hub.psql(
        &cg_terminal,
        &format!(
            "INSERT INTO records (id, kind, station, revision, body, hub_seq, terminal) \
             VALUES ('forged', 'person', '{qs}', 1, '{{}}', 0, session_user)"
        ),
    );
    assert!(!ok, "inserting a QS row must fail");
    assert!(err.contains("row-level security"), "{err}");
    let (ok, _, err) = hub.psql(&cg_terminal, "DELETE FROM records");
    assert!(!ok && err.contains("permission denied"), "{err}");
    let after: i64 = hub
        .sql()
        .query_one(
            "SELECT sum(revision)::bigint FROM records WHERE station = $1",
            &[&qs],
        )
        .expect("sum")
        .get(0);
    assert_eq!(after, qs_revisions, "QS rows unchanged");

    // No terminal widens its own rights.
    let (ok, _, err) = hub.psql(&cg_terminal, "UPDATE terminals SET scope = 'bureau'");
    assert!(!ok && err.contains("permission denied"), "{err}");
    let (ok, _, _) = hub.psql(&cg_terminal, "SELECT count(*) FROM terminals");
    assert!(ok);

    // A wrong secret is refused by the server.
    let wrong = Credential {
        role: cg_terminal.role.clone(),
        secret: "not-the-secret".into(),
    };
    let (ok, _, err) = hub.psql(&wrong, "SELECT 1");
    assert!(!ok, "a wrong secret must be refused");
    assert!(err.contains("password authentication failed"), "{err}");
}

#[test]
fn a_bureau_credential_reads_all_but_cannot_change_a_dispute() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let bureau = hub.enrol(&JoinAs::Bureau);
    let before: i64 = hub
        .sql()
        .query_one(
            "SELECT sum(revision)::bigint FROM records WHERE kind = 'dispute'",
            &[],
        )
        .expect("sum")
        .get(0);
    let (ok, out, err) = hub.psql(
        &bureau,
        "WITH changed AS (UPDATE records SET revision = revision + 1 \
         WHERE kind = 'dispute' RETURNING 1) SELECT count(*) FROM changed",
    );
    assert!(ok, "{err}");
    assert_eq!(out, "0", "no dispute row is writable by a bureau terminal");
    let (ok, _, err) = hub.psql(
        &bureau,
        "INSERT INTO records (id, kind, station, revision, body, hub_seq, terminal) \
         SELECT 'forged', 'dispute', station, 1, body, 0, session_user FROM records \
         WHERE kind = 'dispute' LIMIT 1",
    );
    assert!(!ok && err.contains("row-level security"), "{err}");
    let after: i64 = hub
        .sql()
        .query_one(
            "SELECT sum(revision)::bigint FROM records WHERE kind = 'dispute'",
            &[],
        )
        .expect("sum")
        .get(0);
    assert_eq!(before, after);
}

#[test]
fn a_terminal_of_one_hub_cannot_connect_to_another_hub_on_the_same_server() {
    let (Some(one), Some(other)) = (TestHub::with_demo(), TestHub::new()) else {
        return;
    };
    let cred = one.enrol(&JoinAs::Bureau);
    let (ok, _, _) = one.psql(&cred, "SELECT 1");
    assert!(ok);
    let (ok, _, err) = other.psql(&cred, "SELECT count(*) FROM records");
    assert!(!ok, "connected to another hub's database");
    assert!(err.contains("permission denied"), "{err}");
}
