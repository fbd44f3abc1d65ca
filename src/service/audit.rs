//! Reading the audit log (chiefs their own station, supervisors every station), checking
//! the store, and backups: the use cases behind the audit viewer, `beatbook audit verify`,
//! `beatbook check` and `beatbook backup`.

use super::{Forbidden, Service, ServiceError, Session};
use crate::model::{Id, Role};
use crate::store::{
    Actor, ArchiveError, ArchiveSummary, AuditEntry, AuditProblem, Change, IndexMismatch,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::path::{Path, PathBuf};

/// Matching entries shown per page of the viewer.
pub const AUDIT_PAGE: usize = 50;

/// Entries read per page at most, matching or not: a narrow filter over a million
/// entries answers in a fraction of a second with what it found so far, and the viewer
/// offers to read on from there.
pub const AUDIT_SCAN_LIMIT: usize = 20_000;

/// What the viewer asks for. Empty texts match everything; texts match case-insensitively
/// anywhere in the field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Username of whoever acted.
    pub officer: String,
    /// Record kind (`person`, `visit` …), record id, or any text of the detail.
    pub record: String,
    /// Action, e.g. `person.reveal`, `export`, `visit.done`.
    pub action: String,
    /// Local dates, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Supervisors may narrow to one station; chiefs are always held to their own.
    pub station: Option<Id>,
}

/// One entry as the viewer shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub entry: AuditEntry,
    /// When it happened, in the terminal's local time.
    pub at: DateTime<FixedOffset>,
    pub station_name: String,
}

/// One page, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Where to read on (pass as `below` for the next page); None when the log is done.
    pub next_below: Option<u64>,
    /// How many entries were read to fill the page.
    pub scanned: usize,
}

/// What `check` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// Ok(entries) when the chain verifies.
    pub audit: Result<u64, AuditProblem>,
    pub indexes: Vec<IndexMismatch>,
    /// Flags whose copy of their person (what the watch list shows) differs from the
    /// person: a write path that forgot to refresh it.
    pub stale_flags: usize,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.audit.is_ok() && self.indexes.is_empty() && self.stale_flags == 0
    }
}

impl AuditFilter {
    fn matches(&self, e: &AuditEntry, at: &DateTime<FixedOffset>) -> bool {
        let has = |hay: &str, needle: &str| {
            needle.is_empty() || hay.to_lowercase().contains(&needle.trim().to_lowercase())
        };
        let date = at.date_naive();
        let record_text = format!(
            "{} {} {}",
            e.kind.map(|k| format!("{k:?}")).unwrap_or_default(),
            e.record.map(|id| id.to_string()).unwrap_or_default(),
            e.detail
        );
        self.station.map_or(true, |s| e.station == Some(s))
            && self.from.map_or(true, |d| date >= d)
            && self.to.map_or(true, |d| date <= d)
            && has(&e.actor_name, &self.officer)
            && has(&e.action, &self.action)
            && has(&record_text, &self.record)
    }
}

impl Service {
    /// A page of the audit log, newest first, from below sequence number `below` (the
    /// newest when None). Chiefs see only entries of their own station, supervisors every
    /// station; officers and administrators are refused.
    pub fn audit_page(
        &self,
        session: &Session,
        filter: &AuditFilter,
        below: Option<u64>,
    ) -> Result<AuditPage, ServiceError> {
        self.authorize(session)?;
        let mut filter = filter.clone();
        match session.role() {
            Role::Chief => filter.station = Some(session.station()),
            Role::Supervisor => {}
            Role::Officer | Role::Admin => {
                return Err(ServiceError::Forbidden(Forbidden::AuditLog))
            }
        }
        let offset = *self.now().offset();
        let mut page = AuditPage::default();
        let mut names = std::collections::HashMap::new();
        for item in self.store.audit_newest_first(below) {
            let entry = item?;
            page.scanned += 1;
            let at = entry.at.with_timezone(&offset);
            // The log is written in time order: once below the first day asked for,
            // nothing older can match.
            if filter.from.is_some_and(|d| at.date_naive() < d) {
                page.next_below = None;
                return Ok(page);
            }
            page.next_below = Some(entry.seq);
            if filter.matches(&entry, &at) {
                let station_name = match entry.station {
                    Some(s) => names
                        .entry(s)
                        .or_insert_with(|| self.station_name(s))
                        .clone(),
                    None => String::new(),
                };
                page.rows.push(AuditRow {
                    entry,
                    at,
                    station_name,
                });
                if page.rows.len() == AUDIT_PAGE {
                    break;
                }
            }
            if page.scanned == AUDIT_SCAN_LIMIT {
                break;
            }
        }
        if page.next_below == Some(1) {
            page.next_below = None;
        }
        if page.rows.len() < AUDIT_PAGE && page.scanned < AUDIT_SCAN_LIMIT {
            page.next_below = None;
        }
        Ok(page)
    }

    /// Checks the whole audit chain (streaming; `beatbook audit verify`).
    pub fn verify_audit(&self) -> Result<Result<u64, AuditProblem>, ServiceError> {
        Ok(self.store.verify_audit()?)
    }

    /// The entry with sequence number `seq`, to name it when the chain breaks there
    /// (None when it is missing or unreadable).
    pub fn audit_entry(&self, seq: u64) -> Option<AuditEntry> {
        match self.store.audit_newest_first(Some(seq + 1)).next() {
            Some(Ok(e)) if e.seq == seq => Some(e),
            _ => None,
        }
    }

    /// `beatbook check`: the audit chain and every index against the records.
    pub fn check_store(&self) -> Result<CheckReport, ServiceError> {
        Ok(CheckReport {
            audit: self.store.verify_audit()?,
            indexes: self.store.check_indexes()?,
            stale_flags: self.store.stale_flag_copies()?.len(),
        })
    }

    /// `beatbook check --repair`: copies every person onto their flag where the copy
    /// differs (audited as a system change; `by` says who ran it). Returns how many flags
    /// were refreshed.
    pub fn repair_flag_copies(&self, by: &str) -> Result<usize, ServiceError> {
        let n = self
            .store
            .refresh_flag_copies("store.repair_flag_copies", self.now_utc())?;
        let change = Change::new("store.repair_flag_copies", &Actor::system(), self.now_utc())
            .detail(format!(
                "{n} flags' copies of their persons refreshed by {by}"
            ));
        self.store.commit(&change)?;
        Ok(n)
    }

    /// `beatbook check --repair`: rebuilds the indexes that disagree with the records and
    /// records it in the audit log (`by` says who ran it). The search index is dropped to
    /// be rebuilt.
    pub fn repair_indexes(
        &self,
        by: &str,
        mismatched: &[crate::store::Index],
    ) -> Result<(), ServiceError> {
        self.store.rebuild_these_indexes(mismatched)?;
        if let Ok(mut index) = self.persons.lock() {
            *index = None;
        }
        let names: Vec<String> = mismatched.iter().map(|i| format!("{i:?}")).collect();
        let change =
            Change::new("store.repair_indexes", &Actor::system(), self.now_utc()).detail(format!(
                "indexes rebuilt from the records by {by}: {}",
                names.join(", ")
            ));
        self.store.commit(&change)?;
        Ok(())
    }

    /// Where the admin screen suggests writing a backup: `backups/beatbook-YYYYMMDD-HHMM.bbk`
    /// in the data folder (beside the store), stamped with the service clock so two
    /// backups on different days never overwrite each other.
    pub fn default_backup_path(&self) -> PathBuf {
        let store = self.store.path();
        let data = store.parent().unwrap_or(store);
        let name = format!("beatbook-{}.bbk", self.now().format("%Y%m%d-%H%M"));
        data.join("backups").join(name)
    }

    /// Writes a backup archive of the whole store while this process owns it (the admin
    /// screen). Administrators only; audited.
    pub fn backup_to(
        &self,
        session: &Session,
        path: &Path,
    ) -> Result<ArchiveSummary, ServiceError> {
        self.authorize(session)?;
        if session.role() != Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::AdminOnly));
        }
        // The suggested path lies in a `backups` folder that may not exist yet.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| ArchiveError::Io {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
        let summary = self.store.backup_to_file(path, self.now_utc())?;
        let change = self.change(session, "backup").detail(format!(
            "backup to {}: {} entries, {} bytes",
            path.display(),
            summary.header.total_entries(),
            summary.bytes
        ));
        self.store.commit(&change)?;
        Ok(summary)
    }

    /// The command-line backup (no session: whoever can read the data folder holds the
    /// store anyway); audited with `by`.
    pub fn backup_unattended(&self, path: &Path, by: &str) -> Result<ArchiveSummary, ServiceError> {
        let summary = self.store.backup_to_file(path, self.now_utc())?;
        let change = Change::new("backup", &Actor::system(), self.now_utc()).detail(format!(
            "backup by {by} to {}: {} entries, {} bytes",
            path.display(),
            summary.header.total_entries(),
            summary.bytes
        ));
        self.store.commit(&change)?;
        Ok(summary)
    }
}
