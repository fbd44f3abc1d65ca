//! `bench --only sqlite`: the same persons and visits loaded into SQLite (the `sqlite3`
//! command, optional like fzf), and the same Today query and durable save timed there, so
//! one run prints beatbook's figures, SQLite's and their ratio (issue 16).
//!
//! SQLite gets what a careful schema would have: each record's JSON beside the columns
//! the query needs, an index on (station, status, due) — plain — and one that also holds
//! the person, so the query reads no table row (covering); WAL with `synchronous=FULL`
//! for the saves. Times are SQLite's own (`.timer on`, "real", to the millisecond),
//! without process start. A durable save takes less than a millisecond, which the shell's
//! timer printed as 0.000 (and the ratio as 0): the saves are timed [`SAVES_PER_LINE`] to
//! a line, each still its own transaction, and the line's time divided among them. `n` is
//! the station's owed visits, `rows` what the query returns.

use super::*;
use crate::model::{Visit, VisitStatus};
use std::path::{Path, PathBuf};

/// Durable saves timed together on one line of the shell (which times a line, to the
/// millisecond): fifty saves of about 0.2 ms take about 10 ms.
const SAVES_PER_LINE: usize = 50;

/// Where the SQL and the database go: a scratch folder removed afterwards.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn bench_sqlite(
    service: &Service,
    session: &Session,
    runs: usize,
    today: Option<Duration>,
    save: Option<Duration>,
) {
    const NAME: &str = "sqlite";
    match Command::new("sqlite3").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return skipped(NAME, "sqlite3 is not installed"),
    }
    let dir = std::env::temp_dir().join(format!("beatbook-sqlite-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return skipped(NAME, &e.to_string());
    }
    let scratch = Scratch(dir);
    let db = scratch.0.join("same.db");
    let started = Instant::now();
    let load = scratch.0.join("load.sql");
    let keep = runs.max(1) * SAVES_PER_LINE;
    let (rows, owed, saved) = match write_load_sql(service, session, &load, keep) {
        Ok(x) => x,
        Err(e) => return skipped(NAME, &e),
    };
    if let Err(e) = sqlite_file(&db, &load) {
        return skipped(NAME, &e);
    }
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    emit(json!({"name": "sqlite_load", "n": rows, "ms": ms(started.elapsed()), "bytes": size}));
    let until = service.today() + chrono::Days::new(7);
    let station = sql_text(&session.station().to_string());
    let query = |columns: &str| {
        format!(
            "SELECT {columns} FROM visits v JOIN persons p ON p.id = v.person \
             WHERE v.station = {station} AND v.status = 'scheduled' AND v.due <= '{until}' \
             ORDER BY v.due;"
        )
    };
    // Plain: the visit's JSON is read from the table; covering: only index columns.
    let plain = query("v.body, p.name");
    let covering = query("v.id, v.due, v.person, p.name");
    for (name, sql, index) in [
        (
            "sqlite_today_plain",
            &plain,
            "CREATE INDEX IF NOT EXISTS v_due ON visits(station, status, due);",
        ),
        (
            "sqlite_today_covering",
            &covering,
            "CREATE INDEX IF NOT EXISTS v_cover ON visits(station, status, due, person, id);",
        ),
    ] {
        // One statement a line: the shell times each line it reads.
        let script = format!(".timer on\n{}", format!("{sql}\n").repeat(runs.max(1)));
        match sqlite_timed(&db, index, &script) {
            Ok(times) => {
                let mut line = timed(name, owed, &times);
                line["rows"] = json!(count_rows(&db, sql));
                if let Some(ours) = today {
                    line["beatbook_ms"] = json!(ms(ours));
                    line["ratio_beatbook_to_sqlite"] = json!(ratio(ours, median(&times)));
                }
                emit(line);
            }
            Err(e) => skipped(name, &e),
        }
    }
    // Durable saves: one visit marked done per transaction, WAL, synchronous=FULL.
    if saved.is_empty() {
        return skipped("sqlite_save_durable", "no scheduled visit in the station");
    }
    let setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
    let (script, per_line) = save_script(&saved);
    match sqlite_timed(&db, setup, &script) {
        Ok(lines) => {
            let times = per_save(&lines, per_line);
            let mut line = timed("sqlite_save_durable", times.len(), &times);
            line["saves_per_timing"] = json!(per_line);
            if let Some(ours) = save {
                line["beatbook_ms"] = json!(ms(ours));
                line["ratio_beatbook_to_sqlite"] = json!(ratio(ours, median(&times)));
            }
            emit(line);
        }
        Err(e) => skipped("sqlite_save_durable", &e),
    }
}

/// The durable saves as a shell script: each visit of `ids` marked done in its own
/// transaction, up to [`SAVES_PER_LINE`] to a line; returns the script and how many saves
/// each timed line holds (fewer when few visits are owed).
fn save_script(ids: &[String]) -> (String, usize) {
    let per_line = SAVES_PER_LINE.min(ids.len()).max(1);
    let mut script = String::from(".timer on\n");
    for line in ids.chunks(per_line).filter(|line| line.len() == per_line) {
        for id in line {
            script.push_str(&format!(
                "UPDATE visits SET status = 'done', body = json_set(body, '$.status', 'done') WHERE id = {};",
                sql_text(id)
            ));
        }
        script.push('\n');
    }
    (script, per_line)
}

/// The time of one save from each timed line of `per_line` saves.
fn per_save(lines: &[Duration], per_line: usize) -> Vec<Duration> {
    let per_line = u32::try_from(per_line.max(1)).unwrap_or(u32::MAX);
    lines.iter().map(|line| *line / per_line).collect()
}

/// How many rows `sql` returns (untimed), to set beside Today's row count.
fn count_rows(db: &Path, sql: &str) -> Option<u64> {
    let counted = format!("SELECT count(*) FROM ({});", sql.trim_end_matches(';'));
    let out = Command::new("sqlite3").arg(db).arg(counted).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn ratio(ours: Duration, theirs: Duration) -> f64 {
    let theirs = theirs.as_secs_f64();
    if theirs == 0.0 {
        return 0.0;
    }
    (ours.as_secs_f64() / theirs * 100.0).round() / 100.0
}

/// A SQL string literal.
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Writes every person and visit of the store as SQL (one transaction); returns the
/// records written, how many visits the station owes, and the ids of the first `keep`
/// of them (the saves mark them done).
fn write_load_sql(
    service: &Service,
    session: &Session,
    path: &Path,
    keep: usize,
) -> Result<(usize, usize, Vec<String>), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    let mut write = |s: &str| out.write_all(s.as_bytes()).map_err(|e| e.to_string());
    write(
        "PRAGMA journal_mode=WAL;\nBEGIN;\n\
         CREATE TABLE persons(id TEXT PRIMARY KEY, station TEXT, name TEXT, village TEXT, body TEXT);\n\
         CREATE TABLE visits(id TEXT PRIMARY KEY, station TEXT, person TEXT, assigned_to TEXT, status TEXT, due TEXT, body TEXT);\n",
    )?;
    let mut rows = 0;
    for p in service.store().all::<Person>() {
        let p = p.map_err(|e| e.to_string())?;
        let body = serde_json::to_string(&p).map_err(|e| e.to_string())?;
        write(&format!(
            "INSERT INTO persons VALUES({},{},{},{},{});\n",
            sql_text(&p.meta.id.to_string()),
            sql_text(&p.meta.station.to_string()),
            sql_text(&p.name),
            sql_text(&p.village),
            sql_text(&body)
        ))?;
        rows += 1;
    }
    let mut owed = 0;
    let mut kept = Vec::new();
    for v in service.store().all::<Visit>() {
        let v = v.map_err(|e| e.to_string())?;
        let body = serde_json::to_string(&v).map_err(|e| e.to_string())?;
        let status = match v.status {
            VisitStatus::Scheduled => "scheduled",
            VisitStatus::Done => "done",
            VisitStatus::Missed => "missed",
            VisitStatus::Cancelled => "cancelled",
        };
        if v.status == VisitStatus::Scheduled && v.meta.station == session.station() {
            owed += 1;
            if kept.len() < keep {
                kept.push(v.meta.id.to_string());
            }
        }
        write(&format!(
            "INSERT INTO visits VALUES({},{},{},{},'{status}','{}',{});\n",
            sql_text(&v.meta.id.to_string()),
            sql_text(&v.meta.station.to_string()),
            sql_text(&v.subject.person.map(|p| p.to_string()).unwrap_or_default()),
            sql_text(&v.assigned_to.to_string()),
            v.due,
            sql_text(&body)
        ))?;
        rows += 1;
    }
    write("COMMIT;\n")?;
    out.flush().map_err(|e| e.to_string())?;
    Ok((rows, owed, kept))
}

/// Runs a SQL file into the database.
fn sqlite_file(db: &Path, sql: &Path) -> Result<(), String> {
    let file = std::fs::File::open(sql).map_err(|e| e.to_string())?;
    let out = Command::new("sqlite3")
        .arg(db)
        .stdin(file)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Runs `setup` (untimed), then `script` with `.timer on`; returns each statement's real
/// time as SQLite reports it.
fn sqlite_timed(db: &Path, setup: &str, script: &str) -> Result<Vec<Duration>, String> {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(format!("{setup}\n{script}\n").as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let times: Vec<Duration> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: real "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map(Duration::from_secs_f64)
        .collect();
    if times.is_empty() {
        return Err("sqlite3 printed no timings".into());
    }
    Ok(times)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One save takes less than the shell's millisecond: timed alone it read as zero and
    /// the ratio came out 0. Timed fifty to a line, each is still its own transaction.
    #[test]
    fn saves_are_timed_many_to_a_line_and_divided() {
        let ids: Vec<String> = (0..120).map(|i| format!("v{i}")).collect();
        let (script, per_line) = save_script(&ids);
        assert_eq!(per_line, SAVES_PER_LINE);
        let lines: Vec<&str> = script.lines().skip(1).collect();
        assert_eq!(lines.len(), 2, "only whole lines are timed");
        for line in &lines {
            assert_eq!(line.matches("UPDATE visits").count(), SAVES_PER_LINE);
            assert!(!line.contains("BEGIN"), "each save commits on its own");
        }
        let times = per_save(&[Duration::from_millis(11)], per_line);
        assert_eq!(times, vec![Duration::from_micros(220)]);
        let (few, per_line) = save_script(&ids[..3]);
        assert_eq!((few.lines().count(), per_line), (2, 3));
    }
}
