//! Restoring a backup on a terminal of a hub: an archive older than the hub's record of
//! the terminal is told, asked about (a script without `--older` is refused and nothing
//! changes), and once restored the terminal pulls back what it lacks — its own changes
//! made after the backup included — and goes on syncing without a gap.

use super::{cg_person, edit_notes};
use crate::common::assert_indexes_ok;
use crate::common::bin::{beatbook, ok, run, text};
use crate::common::hub::{service_in, station_id, Terminal, TestHub};
use beatbook::model::Person;
use beatbook::service::{check_archive_with_hub, ArchiveAgainstHub, JoinAs};

fn cg() -> JoinAs {
    JoinAs::Station("CG".into())
}

fn notes_of(service: &beatbook::service::Service, id: beatbook::model::Id) -> String {
    let p: Person = service.store().get(id).expect("read").expect("person");
    p.notes
}

#[test]
fn an_older_backup_is_asked_about_and_the_terminal_pulls_back_what_it_lacks() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let t1 = hub.terminal(cg());
    let t2 = hub.terminal(cg());
    let officer = t1.login("officer");
    let x = cg_person(&t1, 4);
    let archive = t1.dir.path().join("before.bbk");
    t1.service
        .backup_unattended(&archive, "test")
        .expect("backup");
    // After the backup: a change that reaches the hub.
    edit_notes(&t1, &officer, x.meta.id, "备份之后的改动");
    t1.sync();
    let store_dir = t1.dir.path().join("store");
    match check_archive_with_hub(&store_dir, &archive).expect("checked") {
        ArchiveAgainstHub::Older {
            hub_entries,
            archive_entries,
            ..
        } => assert!(hub_entries > archive_entries),
        other => panic!("not told older: {other:?}"),
    }
    let Terminal { dir, service, .. } = t1;
    drop(service);

    // A script (no terminal to ask) without --older: refused, nothing replaced.
    let out = run(beatbook(dir.path())
        .args(["restore", "--force", "--accept-unsigned", "--user", "admin"])
        .arg(&archive)
        .env("BEATBOOK_PASSWORD", "demo1234"));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("older than the hub's record"), "{said}");
    assert!(said.contains("--older"), "{said}");
    {
        let service = service_in(dir.path());
        assert_eq!(notes_of(&service, x.meta.id), "备份之后的改动");
    }

    // With --older: restored, and the change made after the backup comes back.
    let out = ok(beatbook(dir.path())
        .args([
            "restore",
            "--force",
            "--older",
            "--accept-unsigned",
            "--user",
            "admin",
        ])
        .arg(&archive)
        .env("BEATBOOK_PASSWORD", "demo1234"));
    let said = text(&out.stdout);
    assert!(said.contains("Back in step with the hub"), "{said}");
    let t1 = service_in(dir.path());
    assert_eq!(notes_of(&t1, x.meta.id), "备份之后的改动");
    assert_indexes_ok(t1.store());

    // It goes on: a new change is taken by the hub (no gap) and reaches the colleague.
    let officer = t1.login_ready("officer", "demo1234").expect("login");
    let (mut draft, revision) = t1.person_draft(&officer, x.meta.id).expect("draft");
    draft.notes = "恢复之后的改动".into();
    t1.update_person(&officer, x.meta.id, revision, &draft)
        .expect("saved");
    let round = t1.sync_now(&mut |_| {}).expect("round after the restore");
    assert_eq!(round.conflicts, 0, "{round:?}");
    t2.sync();
    assert_eq!(notes_of(&t2.service, x.meta.id), "恢复之后的改动");
    let cg_id = station_id(t2.service.store(), "CG");
    assert_eq!(
        crate::common::hub::records_of(t1.store(), &[cg_id.as_str()]),
        t2.records(&[cg_id.as_str()])
    );
    // A backup made now holds everything the hub has of the terminal.
    let fresh = dir.path().join("now.bbk");
    t1.backup_unattended(&fresh, "test").expect("backup");
    t1.sync_now(&mut |_| {}).expect("round");
    assert_eq!(
        check_archive_with_hub(&dir.path().join("store"), &fresh).expect("checked"),
        ArchiveAgainstHub::Current
    );
}
