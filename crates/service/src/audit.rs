//! Reading the audit log (chiefs their own station, supervisors every station), checking
//! the store, and backups: the use cases behind the audit viewer, `beatbook audit verify`,
//! `beatbook check` and `beatbook backup`.

use super::{Forbidden, Service, ServiceError, Session};
use beatbook_i18n::audit::action_label;
use beatbook_i18n::Lang;
use beatbook_model::{Alert, Dispute, Finding, Id, Officer, Person, Role, Visit, WatchFlag};
use beatbook_store::{
    Actor, ArchiveError, ArchiveSummary, AuditEntry, AuditProblem, Change, IndexMismatch, Kind,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::HashMap;
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
    /// Action, e.g. `person.reveal`, `export`, `visit.done`, or its name in either
    /// language (查看身份证号, revealed).
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
    /// The display name of whoever acted (empty for the system or an unknown account):
    /// shown with the username, "王志强 (wang)".
    pub actor_display: String,
    /// Whom or what the entry is about, by name: the person of a reveal or a visit, the
    /// title of a dispute, the name of an account (empty when there is none).
    pub subject: String,
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
    /// Everything but the record text: cheap, checked before any name is looked up.
    fn matches_frame(&self, e: &AuditEntry, at: &DateTime<FixedOffset>, actor: &str) -> bool {
        let date = at.date_naive();
        self.station.map_or(true, |s| e.station == Some(s))
            && self.from.map_or(true, |d| date >= d)
            && self.to.map_or(true, |d| date <= d)
            && (has(&e.actor_name, &self.officer) || has(actor, &self.officer))
            && (has(&e.action, &self.action)
                || has(&action_label(&e.action, Lang::Zh), &self.action)
                || has(&action_label(&e.action, Lang::En), &self.action))
    }

    /// The record text: its kind, id, detail and the subject's name (so `/张三` finds
    /// the reveal of 张三's ID).
    fn matches_record(&self, e: &AuditEntry, subject: &str) -> bool {
        if self.record.trim().is_empty() {
            return true;
        }
        let record_text = format!(
            "{} {} {} {}",
            e.kind.map(|k| format!("{k:?}")).unwrap_or_default(),
            e.record.map(|id| id.to_string()).unwrap_or_default(),
            e.detail,
            subject
        );
        has(&record_text, &self.record)
    }
}

/// Whether `needle` (trimmed, any case) is in `hay`; an empty needle matches.
fn has(hay: &str, needle: &str) -> bool {
    let needle = needle.trim();
    needle.is_empty() || hay.to_lowercase().contains(&needle.to_lowercase())
}

/// The record an entry is about: its own, or for a reveal (which writes no record) the
/// person named in its detail.
fn subject_of(e: &AuditEntry) -> Option<(Kind, Id)> {
    if let (Some(k), Some(id)) = (e.kind, e.record) {
        return Some((k, id));
    }
    if e.action == "person.reveal" {
        let id = e.detail.rsplit(' ').next()?.parse::<Id>().ok()?;
        return Some((Kind::Person, id));
    }
    None
}

/// Names looked up while reading one page, each once: a page of reveals by one officer
/// reads the officer's record once, not fifty times.
#[derive(Default)]
struct Names {
    common: super::names::Names,
    subjects: HashMap<Id, String>,
}

impl Names {
    fn station(&mut self, service: &Service, id: Id) -> String {
        self.common.station(service, id)
    }

    /// The actor's display name, "" for the system or an account that is gone (the
    /// viewer then shows the username the entry holds).
    fn actor(&mut self, service: &Service, id: Id) -> String {
        self.common.officer_known(service, id).unwrap_or_default()
    }

    fn subject(&mut self, service: &Service, kind: Kind, id: Id) -> String {
        if let Some(name) = self.subjects.get(&id) {
            return name.clone();
        }
        let name = match kind {
            Kind::Person => self.person(service, id),
            Kind::Dispute => match service.store.get::<Dispute>(id) {
                Ok(Some(d)) => d.title,
                _ => String::new(),
            },
            Kind::Visit => match service.store.get::<Visit>(id) {
                Ok(Some(v)) => match v.subject.person {
                    Some(p) => self.person(service, p),
                    None => match v.subject.dispute {
                        Some(d) => self.subject(service, Kind::Dispute, d),
                        None => String::new(),
                    },
                },
                _ => String::new(),
            },
            Kind::Flag => match service.store.get::<WatchFlag>(id) {
                Ok(Some(f)) => self.person(service, f.person),
                _ => String::new(),
            },
            Kind::Alert => match service.store.get::<Alert>(id) {
                Ok(Some(a)) => self.person(service, a.person),
                _ => String::new(),
            },
            Kind::Finding => match service.store.get::<Finding>(id) {
                Ok(Some(f)) => f.target_label,
                _ => String::new(),
            },
            Kind::Officer => match service.store.get::<Officer>(id) {
                Ok(Some(o)) => format!("{} ({})", o.display_name, o.username),
                _ => String::new(),
            },
            Kind::Station => self.station(service, id),
        };
        self.subjects.insert(id, name.clone());
        name
    }

    fn person(&mut self, service: &Service, id: Id) -> String {
        if let Some(name) = self.subjects.get(&id) {
            return name.clone();
        }
        let name = match service.store.get::<Person>(id) {
            Ok(Some(p)) => p.name,
            _ => String::new(),
        };
        self.subjects.insert(id, name.clone());
        name
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
        let mut names = Names::default();
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
            let actor_display = match entry.actor {
                id if id == Id::SYSTEM => String::new(),
                id => names.actor(self, id),
            };
            if filter.matches_frame(&entry, &at, &actor_display) {
                let subject = match subject_of(&entry) {
                    Some((kind, id)) => names.subject(self, kind, id),
                    None => String::new(),
                };
                if !filter.matches_record(&entry, &subject) {
                    if page.scanned == AUDIT_SCAN_LIMIT {
                        break;
                    }
                    continue;
                }
                let station_name = match entry.station {
                    Some(s) => names.station(self, s),
                    None => String::new(),
                };
                page.rows.push(AuditRow {
                    entry,
                    at,
                    station_name,
                    actor_display,
                    subject,
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
        mismatched: &[beatbook_store::Index],
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
            std::fs::create_dir_all(dir).map_err(|e| ArchiveError::io(dir, e))?;
        }
        // No sync round writes while the trees are read one after the other.
        let _no_round = self.sync_paused();
        let summary =
            self.store
                .backup_to_file(path, self.now_utc(), self.bureau_key()?.as_ref())?;
        let change = self.change(session, "backup").detail(format!(
            "backup to {}: {} entries, {} bytes",
            path.display(),
            summary.header.total_entries(),
            summary.bytes
        ));
        self.store.commit(&change)?;
        Ok(summary)
    }

    /// The key archives are signed with: the data folder's (created on its first open by
    /// the command line and the TUI); None for a store opened outside a data folder.
    fn bureau_key(&self) -> Result<Option<beatbook_store::BureauKey>, ServiceError> {
        beatbook_store::folder_key(self.store.path())
            .map_err(|e| ServiceError::Archive(ArchiveError::Key(e)))
    }

    /// The command-line backup (no session: whoever can read the data folder holds the
    /// store anyway); audited with `by`.
    pub fn backup_unattended(&self, path: &Path, by: &str) -> Result<ArchiveSummary, ServiceError> {
        // No sync round writes while the trees are read one after the other.
        let _no_round = self.sync_paused();
        let summary =
            self.store
                .backup_to_file(path, self.now_utc(), self.bureau_key()?.as_ref())?;
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
