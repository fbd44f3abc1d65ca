//! The import benchmark: a synthetic roster imported into a scratch copy of the store.

use super::*;
use crate::store::TreeSize;
use std::time::Duration;

/// Imports a generated roster of `rows` persons (valid ID numbers, every category and
/// level) into a scratch demo store in the temporary folder (removed afterwards), reports
/// the time and rows per second, then sled's floor for the same entries and a re-run of
/// the same file (which must change nothing): the benchmarked store itself never grows,
/// so repeated bench runs measure the same data.
pub(crate) fn bench_import(ctx: &Context, rows: usize) {
    const NAME: &str = "import_100k";
    if rows == 0 {
        return skipped(NAME, "--import-rows 0");
    }
    let scratch =
        std::env::temp_dir().join(format!("beatbook-bench-import-{}", std::process::id()));
    let result = import_into_scratch(ctx, &scratch, rows);
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = result {
        skipped(NAME, &e);
    }
}

pub(crate) fn import_into_scratch(
    ctx: &Context,
    scratch: &std::path::Path,
    rows: usize,
) -> Result<(), String> {
    const NAME: &str = "import_100k";
    let store = Store::open(scratch).map_err(|e| e.to_string())?;
    let service = Service::new(store, Arc::clone(&ctx.clock), ctx.settings.clone());
    crate::demo::load_demo(&service).map_err(|e| e.to_string())?;
    let user = "officer";
    let session = service
        .login(user, DEMO_PASSWORD)
        .map_err(|e| e.to_string())?;
    let bytes = roster_csv(rows, user);
    let options = crate::service::ImportOptions::default();
    let before = service.store().tree_sizes().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = service.import_persons(&session, &bytes, options, &mut |_, _| {});
    let took = started.elapsed();
    let report = match report {
        Ok(r) if r.written || r.unchanged == rows => r,
        Ok(r) => {
            return Err(format!(
                "nothing written: {} rows rejected",
                r.rejected.len()
            ))
        }
        Err(e) => return Err(e.to_string()),
    };
    let secs = took.as_secs_f64().max(1e-9);
    emit(json!({
        "name": NAME,
        "n": rows,
        "ms": ms(took),
        "rows_per_s": (rows as f64 / secs).round(),
        "created": report.created,
        "flagged": report.flagged,
        "bytes": bytes.len(),
    }));
    let after = service.store().tree_sizes().map_err(|e| e.to_string())?;
    engine_floor_of(
        &scratch.with_extension("floor"),
        &grown(&before, &after),
        report.changed,
        took,
    );
    let started = Instant::now();
    match service.import_persons(&session, &bytes, options, &mut |_, _| {}) {
        Ok(r) => emit(json!({
            "name": "import_100k_rerun",
            "n": rows,
            "ms": ms(started.elapsed()),
            "created": r.created,
            "unchanged": r.unchanged,
            "flagged": r.flagged,
            "changed": r.changed,
        })),
        Err(e) => skipped("import_100k_rerun", &e.to_string()),
    }
    Ok(())
}

/// What each tree gained between two readings of [`Store::tree_sizes`].
fn grown(before: &[TreeSize], after: &[TreeSize]) -> Vec<TreeSize> {
    after
        .iter()
        .map(|a| {
            let b = before.iter().find(|b| b.name == a.name);
            let was = |f: fn(&TreeSize) -> u64| b.map_or(0, f);
            TreeSize {
                name: a.name.clone(),
                entries: a.entries.saturating_sub(was(|t| t.entries)),
                key_bytes: a.key_bytes.saturating_sub(was(|t| t.key_bytes)),
                value_bytes: a.value_bytes.saturating_sub(was(|t| t.value_bytes)),
            }
        })
        .collect()
}

/// Times sled alone writing what the import added (see [`crate::store::engine_floor`])
/// in a scratch folder `dir` (removed afterwards), in transactions of as many entries as
/// the import's held (its records per transaction, times the entries each of its
/// `records` brought), and reports it beside the import's time: the share of the import
/// that is beatbook's own work.
fn engine_floor_of(dir: &std::path::Path, shape: &[TreeSize], records: usize, import: Duration) {
    const NAME: &str = "import_engine_floor";
    let entries: u64 = shape.iter().map(|t| t.entries).sum();
    let per_transaction = crate::service::IMPORT_CHUNK as u64 * entries / records.max(1) as u64;
    let floor = crate::store::engine_floor(dir, shape, per_transaction as usize);
    let _ = std::fs::remove_dir_all(dir);
    match floor {
        Ok(floor) => emit(json!({
            "name": NAME,
            "n": entries,
            "ms": ms(floor),
            "import_ms": ms(import),
            "import_over_floor": (import.as_secs_f64() / floor.as_secs_f64().max(1e-9) * 100.0).round() / 100.0,
        })),
        Err(e) => skipped(NAME, &e.to_string()),
    }
}

/// A UTF-8 roster of `rows` distinct persons as Excel would save it: Chinese headers,
/// valid 18-character ID numbers (born 1925–1940, so they meet no seeded person), every
/// category and level in turn, `officer` responsible.
pub(crate) fn roster_csv(rows: usize, officer: &str) -> Vec<u8> {
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: &[&str] = &["伟", "芳", "秀英", "敏", "静", "强", "磊", "军", "洋", "勇"];
    const VILLAGES: &[&str] = &["东街村", "西河村", "南坡村", "北山村", "石桥村"];
    const LEVELS: &[&str] = &["红", "橙", "黄", "蓝"];
    // The shipped dictionary's categories (the scratch store runs on the defaults).
    let categories: Vec<String> = crate::config::WatchConfig::shipped()
        .map(|c| c.categories.into_iter().map(|c| c.code).collect())
        .unwrap_or_else(|_| vec!["other".to_string()]);
    let start = chrono::NaiveDate::from_ymd_opt(1925, 1, 1).unwrap_or_default();
    let mut out = String::with_capacity(rows * 120);
    out.push_str("姓名,性别,出生日期,身份证号,联系电话,村（社区）,类别,等级,列管依据,责任民警\n");
    for i in 0..rows {
        let seq = (i % 999 + 1) as u32;
        let born = start + chrono::Days::new((i / 999) as u64 * 53);
        let id = resident_id("430521", born, seq);
        let gender = if seq % 2 == 1 { "男" } else { "女" };
        out.push_str(&format!(
            "{}{}{},{gender},{},{id},139{:08},{},{},{},导入测试{i},{officer}\n",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / 10) % GIVEN.len()],
            GIVEN[(i / 100) % GIVEN.len()],
            born.format("%Y-%m-%d"),
            i,
            VILLAGES[i % VILLAGES.len()],
            categories[i % categories.len()],
            LEVELS[i % LEVELS.len()],
        ));
    }
    out.into_bytes()
}

/// An 18-character resident ID number (GB 11643-1999) with its check character.
pub(crate) fn resident_id(address: &str, born: chrono::NaiveDate, seq: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("{address}{}{seq:03}", born.format("%Y%m%d"));
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = CHECK[(sum % 11) as usize] as char;
    format!("{body}{check}")
}
