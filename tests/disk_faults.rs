//! A full disk and damaged sled files, on the real binary: a write on a full disk fails
//! with "disk full: free N MB on …" in the chosen language and keeps everything saved
//! before; the store opens once space is back (sled 0.34 left an empty
//! `snap.*.generating` that made every later open fail with "Read corrupted data");
//! large writes are refused early when they cannot fit; `restore --force` replaces a
//! store sled refuses to open.
//!
//! The full disks are real: a small tmpfs mounted in a private mount namespace
//! (`unshare -m`), so nothing leaks to the machine and it vanishes with the namespace.
//! Each scenario is one shell script run in that namespace; every command's stdout,
//! stderr and exit code are written to a folder on the host disk and checked here.
//! Without the right to mount (not root, or a container that forbids it) the tests fail
//! under CI and are skipped with a reason elsewhere.

use crate::common;
use crate::common::bin::{beatbook, ok, text, BIN};

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// Rows of the roster the tests import.
const ROSTER_ROWS: usize = 300;

/// A roster of [`ROSTER_ROWS`] new persons that imports cleanly into a seeded store.
fn roster() -> String {
    let mut csv = String::from("name,gender,birth_date,id_number,village\n");
    let surnames: Vec<char> = "王李张刘陈杨黄赵吴周".chars().collect();
    let given: Vec<char> = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平".chars().collect();
    for i in 0..ROSTER_ROWS {
        let birth = common::date(1960, 1, 1) + chrono::Duration::days(i as i64);
        let id = common::resident_id(birth, 101);
        let name: String = [
            surnames[i % surnames.len()],
            given[(i / surnames.len()) % given.len()],
            given[(i / 7) % given.len()],
        ]
        .iter()
        .collect();
        csv.push_str(&format!(
            "{name},男,{},{id},东街\n",
            birth.format("%Y-%m-%d")
        ));
    }
    csv
}

/// Record ids of a full export (JSON Lines).
fn exported_ids(jsonl: &str) -> BTreeSet<String> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("export line is JSON");
            v["meta"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("no meta.id in {l}"))
                .to_string()
        })
        .collect()
}

/// What a person must never read: Rust or sled debug text, a panic.
fn assert_plain(stderr: &str, what: &str) {
    for bad in [
        "panicked",
        "Os {",
        "code: 28",
        "StorageFull",
        "backtrace",
        "Io(",
        "Sled(",
        "DiskFull",
        "Read corrupted data",
        "os error",
        "tracing-subscriber",
    ] {
        assert!(
            !stderr.contains(bad),
            "{what}: debug text {bad:?} in {stderr}"
        );
    }
}

/// The `unshare` flags that give this process a private mount namespace in which it may
/// mount a tmpfs: `-m` as root, `-r -m` (a user namespace, mapped to root) otherwise.
/// None when neither works here.
fn unshare_flags() -> Result<&'static [&'static str], String> {
    static FLAGS: std::sync::OnceLock<Result<&'static [&'static str], String>> =
        std::sync::OnceLock::new();
    FLAGS
        .get_or_init(|| {
            let mut reasons = Vec::new();
            for flags in [&["-m"][..], &["-r", "-m"][..]] {
                let dir = tempfile::tempdir().expect("tempdir");
                let probe = Command::new("unshare")
                    .args(flags)
                    .args(["sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$1\""])
                    .arg("probe")
                    .arg(dir.path())
                    .output();
                match probe {
                    Ok(out) if out.status.success() => return Ok(flags),
                    Ok(out) => reasons.push(format!(
                        "unshare {} + mount failed: {}",
                        flags.join(" "),
                        text(&out.stderr).trim()
                    )),
                    Err(e) => reasons.push(format!("unshare cannot run: {e}")),
                }
            }
            Err(reasons.join("; "))
        })
        .clone()
}

/// Whether this machine lets the test mount a tmpfs in a private mount namespace. Under
/// CI it must; elsewhere the test is skipped with the reason printed.
fn can_mount(test: &str) -> bool {
    let Err(reason) = unshare_flags() else {
        return true;
    };
    let message = format!(
        "{test}: a small disk is needed (root, or user namespaces, with unshare/mount): {reason}"
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("SKIPPED {message}");
    false
}

/// A scenario on a tmpfs of `size_kb` mounted at `$M` in a private mount namespace. The
/// script's `step NAME [ENV=…] cmd…` runs a command and keeps its stdout, stderr and
/// exit code in the host folder `$O` as NAME.out, NAME.err, NAME.rc; `fill KB` fills
/// the disk up to KB kilobytes left free (`$M/filler`).
struct SmallDisk {
    mount: tempfile::TempDir,
    out: tempfile::TempDir,
}

impl SmallDisk {
    fn run(size_kb: u64, script: &str) -> SmallDisk {
        let mount = tempfile::tempdir().expect("mount point");
        let out = tempfile::tempdir().expect("output folder");
        // On the host disk (an import writes its rejected rows beside the roster).
        let roster_path = out.path().join("roster.csv");
        std::fs::write(&roster_path, roster()).expect("roster");
        let prelude = format!(
            r#"set -u
mount -t tmpfs -o size={size_kb}k tmpfs "$M"
step() {{ n=$1; shift; env "$@" >"$O/$n.out" 2>"$O/$n.err"; echo $? >"$O/$n.rc"; }}
fill() {{ av=$(df -k --output=avail "$M" | tail -1); n=$((av - $1)); [ $n -gt 0 ] && dd if=/dev/zero of="$M/filler" bs=1k count=$n 2>/dev/null; true; }}
"#
        );
        let flags = unshare_flags().expect("checked by can_mount");
        let status = Command::new("unshare")
            .args(flags)
            .args(["sh", "-c"])
            .arg(format!("{prelude}{script}"))
            .env("M", mount.path())
            .env("O", out.path())
            .env("B", BIN)
            .env("ROSTER", &roster_path)
            .env("BEATBOOK_NOW", "2026-11-25T09:00:00+08:00")
            .env("LANG", "en_US.UTF-8")
            .env("XDG_CONFIG_HOME", out.path().join("config-home"))
            .env_remove("BEATBOOK_LANG")
            .env_remove("BEATBOOK_DATA")
            .env_remove("BEATBOOK_SKIP_SPACE_CHECK")
            .status()
            .expect("unshare runs");
        assert!(status.success(), "the scenario script failed: {status}");
        SmallDisk { mount, out }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.out.path().join(name)
    }

    fn stdout(&self, step: &str) -> String {
        std::fs::read_to_string(self.file(&format!("{step}.out")))
            .unwrap_or_else(|e| panic!("{step}.out: {e}"))
    }

    fn stderr(&self, step: &str) -> String {
        std::fs::read_to_string(self.file(&format!("{step}.err")))
            .unwrap_or_else(|e| panic!("{step}.err: {e}"))
    }

    fn code(&self, step: &str) -> i32 {
        std::fs::read_to_string(self.file(&format!("{step}.rc")))
            .unwrap_or_else(|e| panic!("{step}.rc: {e}"))
            .trim()
            .parse()
            .expect("exit code")
    }

    fn assert_ok(&self, step: &str) {
        assert_eq!(
            self.code(step),
            0,
            "{step} failed: {}\n{}",
            self.stdout(step),
            self.stderr(step)
        );
    }
}

/// How a writing command on a (nearly) full disk ended: it did its work, or it failed
/// with exit 1 and the disk-full message in its language. Returns whether it failed.
fn ended_cleanly(disk: &SmallDisk, step: &str, zh: bool) -> bool {
    let err = disk.stderr(step);
    assert_plain(&err, step);
    match disk.code(step) {
        0 => false,
        1 => {
            let said = if zh {
                err.contains("磁盘已满：请在") && err.contains("MB 空间")
            } else {
                err.contains("disk full: free ") && err.contains(" MB on ")
            };
            assert!(said, "{step}: not the disk-full message: {err}");
            true
        }
        other => panic!("{step}: exit {other}: {err}"),
    }
}

/// (a) Writing commands run into a disk that fills up during the write (the early check
/// is skipped so the write itself hits ENOSPC), at several fill levels. Each fails with
/// the disk-full message or succeeds; once the filler is removed, the store opens, checks
/// clean, and every record exported before is still there.
#[test]
fn a_full_disk_fails_cleanly_and_the_store_opens_once_space_is_back() {
    if !can_mount("full disk") {
        return;
    }
    // The archive a restore unpacks, made on the host disk.
    let host = tempfile::tempdir().expect("tempdir");
    ok(beatbook(host.path()).args(["seed", "--persons", "300"]));
    let archive = host.path().join("b.bbk");
    ok(beatbook(host.path()).arg("backup").arg(&archive));
    // The host's bureau key signed it: restoring elsewhere names a copy of it.
    let key = host
        .path()
        .join("keys")
        .join("archive.key")
        .display()
        .to_string();

    let levels_kb = [0u64, 64, 256, 1024, 2048, 4096];
    let mut survived = 0;
    let mut failures = 0;
    for left in levels_kb {
        let disk = SmallDisk::run(
            16 * 1024,
            &format!(
                r#"D="$M/d"; E="$M/e"
step seed0 BEATBOOK_DATA="$D" "$B" --lang en seed --persons 100
step before BEATBOOK_DATA="$D" "$B" export
fill {left}
step seed BEATBOOK_SKIP_SPACE_CHECK=1 BEATBOOK_DATA="$D" "$B" --lang en seed --persons 2000
step import BEATBOOK_SKIP_SPACE_CHECK=1 BEATBOOK_PASSWORD=demo1234 BEATBOOK_DATA="$D" "$B" --lang zh import persons "$ROSTER" --user officer --partial
step demo BEATBOOK_SKIP_SPACE_CHECK=1 BEATBOOK_DATA="$E" "$B" --lang en demo
step backup BEATBOOK_SKIP_SPACE_CHECK=1 BEATBOOK_DATA="$D" "$B" --lang en backup "$M/x.bbk"
step restore BEATBOOK_SKIP_SPACE_CHECK=1 BEATBOOK_PASSWORD=demo1234 BEATBOOK_DATA="$E" "$B" --lang zh restore "{archive}" --force --user admin --key "{key}"
ls "$D/store" >"$O/leftovers.txt"
ls -a "$E" "$M" >"$O/e_files.txt" 2>&1
rm -f "$M/filler"
step check BEATBOOK_DATA="$D" "$B" --lang en check
step after BEATBOOK_DATA="$D" "$B" export
step check_e BEATBOOK_DATA="$E" "$B" --lang en check
"#,
                archive = archive.display(),
                key = key
            ),
        );
        disk.assert_ok("seed0");
        disk.assert_ok("before");
        let mut failed_here = 0;
        let mut saved = Vec::new();
        for (step, zh) in [
            ("seed", false),
            ("import", true),
            ("demo", false),
            ("backup", false),
            ("restore", true),
        ] {
            if ended_cleanly(&disk, step, zh) {
                failed_here += 1;
            } else {
                saved.push(step);
            }
        }
        failures += failed_here;
        disk.assert_ok("check");
        disk.assert_ok("after");
        disk.assert_ok("check_e");
        let e_files = std::fs::read_to_string(disk.file("e_files.txt")).unwrap_or_default();
        assert!(
            !e_files.contains(".restoring")
                && !e_files.contains(".restored")
                && !e_files.contains("x.bbk.tmp"),
            "a failed restore or backup left its work behind: {e_files}"
        );
        let before = exported_ids(&disk.stdout("before"));
        let after = exported_ids(&disk.stdout("after"));
        // What a command said it saved is there too.
        let added: usize = saved
            .iter()
            .map(|step| match *step {
                "seed" => 2000,
                "import" => ROSTER_ROWS,
                _ => 0,
            })
            .sum();
        assert!(
            after.len() >= before.len() + added,
            "{left} KB left: {saved:?} said done, but {} records before and {} after; import said: {} {}",
            before.len(),
            after.len(),
            disk.stdout("import"),
            disk.stderr("import"),
        );
        let lost: Vec<_> = before.difference(&after).collect();
        assert!(
            lost.is_empty(),
            "{left} KB left: records lost after the full disk: {lost:?}"
        );
        survived += 1;
        eprintln!(
            "{left} KB left: {failed_here} of 5 commands refused with disk full, done: {saved:?}; {} records before, {} after; store files then: {}",
            before.len(),
            after.len(),
            std::fs::read_to_string(disk.file("leftovers.txt"))
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        drop(disk.mount);
    }
    eprintln!("disk-full runs survived: {survived} of {}", levels_kb.len());
    assert!(
        failures >= levels_kb.len(),
        "the disk never filled up: the test proves nothing ({failures} failures)"
    );
}

/// (b) The file a full disk leaves: an empty (or cut short) `snap.*.generating` that
/// sorts after the real snapshot. The store opens, checks clean and exports everything.
#[test]
fn a_leftover_snapshot_being_generated_does_not_lock_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path()).args(["seed", "--persons", "50"]));
    let before = exported_ids(&text(&ok(beatbook(dir.path()).arg("export")).stdout));
    let store = dir.path().join("store");
    std::fs::write(store.join("snap.FFFFFFFFFFFFFFF0.generating"), b"").expect("empty snap");
    // A cut-short copy of a real snapshot, as when the disk filled half way.
    let real = std::fs::read_dir(&store)
        .expect("store")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
                && p.metadata().is_ok_and(|m| m.len() > 100)
        });
    if let Some(real) = real {
        let bytes = std::fs::read(&real).expect("snapshot");
        std::fs::write(
            store.join("snap.FFFFFFFFFFFFFFF1.generating"),
            &bytes[..bytes.len() / 2],
        )
        .expect("half snap");
    }
    let check = beatbook(dir.path()).arg("check").output().expect("runs");
    assert!(
        check.status.success(),
        "the store does not open: {}",
        text(&check.stderr)
    );
    let after = exported_ids(&text(&ok(beatbook(dir.path()).arg("export")).stdout));
    assert_eq!(before, after);
    let left: Vec<_> = std::fs::read_dir(&store)
        .expect("store")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".generating"))
        .collect();
    assert!(left.is_empty(), "unreadable snapshots left: {left:?}");
}

/// (c) Large writes that cannot fit are refused before anything is written: backup,
/// restore, import, seed and demo, in zh and en; the store is untouched and no partial
/// file is left.
#[test]
fn large_writes_are_refused_early_when_space_is_short() {
    if !can_mount("space check") {
        return;
    }
    // The archive to restore, made on the host disk.
    let host = tempfile::tempdir().expect("tempdir");
    ok(beatbook(host.path()).args(["seed", "--persons", "200"]));
    let archive = host.path().join("b.bbk");
    ok(beatbook(host.path()).args(["backup"]).arg(&archive));
    let key = host
        .path()
        .join("keys")
        .join("archive.key")
        .display()
        .to_string();

    let disk = SmallDisk::run(
        16 * 1024,
        &format!(
            r#"D="$M/d"
step seed0 BEATBOOK_DATA="$D" "$B" --lang en seed --persons 100
step before BEATBOOK_DATA="$D" "$B" export
fill 1024
step backup BEATBOOK_DATA="$D" "$B" --lang en backup "$M/b.bbk"
step restore BEATBOOK_PASSWORD=demo1234 BEATBOOK_DATA="$D" "$B" --lang zh restore "{archive}" --force --user admin --key "{key}"
step import BEATBOOK_PASSWORD=demo1234 BEATBOOK_DATA="$D" "$B" --lang en import persons "$ROSTER" --user officer --partial
step seed BEATBOOK_DATA="$D" "$B" --lang zh seed --persons 2000
step demo BEATBOOK_DATA="$M/e" "$B" --lang en demo
ls -a "$M" "$D" >"$O/files.txt"
rm -f "$M/filler"
step after BEATBOOK_DATA="$D" "$B" export
"#,
            archive = archive.display(),
            key = key
        ),
    );
    disk.assert_ok("seed0");
    for (step, zh) in [
        ("backup", false),
        ("restore", true),
        ("import", false),
        ("seed", true),
        ("demo", false),
    ] {
        let err = disk.stderr(step);
        assert_plain(&err, step);
        assert_eq!(disk.code(step), 1, "{step} was not refused: {err}");
        let said = if zh {
            err.contains("磁盘空间不足：请在") && err.contains("尚未写入任何内容")
        } else {
            err.contains("disk full: free ") && err.contains("Nothing was written")
        };
        assert!(said, "{step}: not the early refusal: {err}");
    }
    let files = std::fs::read_to_string(disk.file("files.txt")).expect("listing");
    for absent in [
        "b.bbk",
        "store.restoring",
        "store.restored",
        "store.replaced",
    ] {
        assert!(!files.contains(absent), "{absent} was written: {files}");
    }
    disk.assert_ok("after");
    assert_eq!(
        exported_ids(&disk.stdout("before")),
        exported_ids(&disk.stdout("after")),
        "the store changed"
    );
}

/// (e) A store sled refuses to open (its `conf` overwritten): every command says which
/// folder and how to get the data back, without sled's text; `restore --force` sets the
/// damaged store aside without opening it and brings the backup in.
#[test]
fn restore_force_replaces_a_store_sled_refuses_to_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(beatbook(dir.path()).args(["seed", "--persons", "30"]));
    let archive = dir.path().join("keep.bbk");
    ok(beatbook(dir.path()).arg("backup").arg(&archive));
    let before = exported_ids(&text(&ok(beatbook(dir.path()).arg("export")).stdout));
    let store = dir.path().join("store");
    std::fs::write(store.join("conf"), b"this is not a sled configuration\n").expect("damage");
    for (args, zh) in [(&["check"][..], false), (&["export"][..], true)] {
        let out = beatbook(dir.path())
            .args(["--lang", if zh { "zh" } else { "en" }])
            .args(args)
            .output()
            .expect("runs");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_plain(&err, "unreadable store");
        assert!(err.contains(&store.display().to_string()), "{err}");
        assert!(err.contains("beatbook restore"), "{err}");
        assert!(
            err.contains(if zh { "无法读取" } else { "cannot be read" }),
            "{err}"
        );
    }
    // Nobody of the unreadable store can be asked: the archive's administrator restores.
    let out = ok(beatbook(dir.path())
        .env("BEATBOOK_PASSWORD", "demo1234")
        .args(["restore", "--force", "--user", "admin"])
        .arg(&archive));
    assert!(
        text(&out.stdout).contains("replaced"),
        "{}",
        text(&out.stdout)
    );
    let after = exported_ids(&text(&ok(beatbook(dir.path()).arg("export")).stdout));
    assert_eq!(before, after);
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("data folder")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("store.replaced-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the damaged store is kept aside");
    assert!(
        aside[0].path().join("conf").exists(),
        "kept aside as it was"
    );
}

/// (e) The disk fills up while a terminal pulls from the hub: `sync` fails with the
/// disk-full message in plain words, and once space is back the next round completes, the
/// store checks clean and the terminal holds what the other terminal made.
#[test]
fn a_full_disk_during_a_pull_is_told_and_the_next_round_completes() {
    let Some(hub) = common::hub::TestHub::with_demo() else {
        return;
    };
    if !can_mount("full disk during pull") {
        return;
    }
    let cg = beatbook::service::JoinAs::Station("CG".into());
    let a1 = hub.terminal(cg.clone());
    let a2 = hub.terminal(cg);
    let officer = a2.login("officer");
    // Enough to pull that it cannot fit in the space sled's files already hold free
    // (segments it reuses): some 800 × 4.5 kB of notes, twice (record and change).
    let notes = "邻里纠纷回访记录".repeat(190);
    for n in 0..800 {
        a2.service
            .create_person(
                &officer,
                &beatbook::model::PersonDraft {
                    name: format!("满盘{n}"),
                    id_number: common::fresh_resident_id(),
                    village: "南门社区".into(),
                    address: "南门社区1号".into(),
                    notes: notes.clone(),
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("person {n}: {e}"));
    }
    a2.sync();
    a1.service.store().flush().expect("flush");
    let folder = a1.dir.path().to_path_buf();
    drop(a1.service);
    let disk = SmallDisk::run(
        64 * 1024,
        &format!(
            r#"cp -a "{folder}" "$M/t"
du -sk "$M/t" > "$O/size.txt"
fill 300
step pull "$B" --data "$M/t" sync
rm -f "$M/filler"
step again "$B" --data "$M/t" sync
step check "$B" --data "$M/t" check
cp -a "$M/t" "$O/t"
"#,
            folder = folder.display()
        ),
    );
    let failed = ended_cleanly(&disk, "pull", false);
    assert!(
        failed,
        "the pull should have run out of space: {} (terminal folder before: {} kB)",
        disk.stdout("pull"),
        std::fs::read_to_string(disk.file("size.txt")).unwrap_or_default()
    );
    disk.assert_ok("again");
    disk.assert_ok("check");
    let after = common::hub::service_in(&disk.file("t"));
    let station = common::hub::station_id(after.store(), "CG");
    assert_eq!(
        common::hub::records_of(after.store(), &[station.as_str()]),
        a2.records(&[station.as_str()]),
        "after the full disk, the terminal holds what the other one made"
    );
    assert_eq!(after.sync_status().waiting, 0);
}
