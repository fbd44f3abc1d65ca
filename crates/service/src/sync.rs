//! The bureau hub from the service's side: joining one, a round on demand
//! (`beatbook sync`), the background rounds the app runs, and where the terminal stands
//! (for the status bar).
//!
//! A data folder that has not joined a hub is the embedded default: nothing here runs.
//! The hub's files (`hub.toml`, `hub.secret`) live in the data folder beside the store.

use crate::{Service, ServiceError};
use beatbook_hub::folder::{self, HubLink};
use beatbook_hub::{Credential, HubAddress, HubError, Progress, RoundSummary, Session};
use beatbook_i18n::Bi;
use beatbook_store::{Store, SyncConflict};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Where the terminal stands with its hub.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// This data folder has joined a hub.
    pub joined: bool,
    /// A round is running now.
    pub running: bool,
    /// The end of the last round that completed.
    pub last_ok: Option<DateTime<Utc>>,
    /// Since when rounds fail (the first failure after the last success).
    pub failing_since: Option<DateTime<Utc>>,
    /// Whether the last failure means the hub was out of reach (rather than a refusal).
    pub offline: bool,
    /// The last failure, in both languages.
    pub problem: Option<Bi>,
    /// This terminal's changes the hub does not have yet.
    pub waiting: u64,
    /// Versions kept aside, waiting for a person.
    pub conflicts: usize,
    /// Changes the hub merged by themselves with another terminal's (different fields of
    /// one record) since this program started: nothing waits for a person.
    pub merged: usize,
}

/// The state rounds report into, shared by the service and its background worker.
#[derive(Debug, Default)]
pub(crate) struct SyncState {
    status: Mutex<SyncStatus>,
    /// Held for the whole of a round: a backup waits for it (the archive reads the trees
    /// one after the other and must see no write in between).
    pub(crate) round: Mutex<()>,
}

/// The local audit chain against the hub's record of it (the head this terminal pushed
/// last): a chain rewritten and re-hashed verifies by itself, but not against that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubAuditCheck {
    /// This folder has not joined a hub.
    NotJoined,
    /// The hub has no record yet (nothing pushed).
    NotRecorded,
    /// Compared with the head the hub recorded at `pushed_at`.
    Checked {
        check: beatbook_store::HeadCheck,
        pushed_at: DateTime<Utc>,
    },
    /// The hub could not be reached now; when the chain was last checked against it.
    Unreachable {
        problem: Bi,
        last_checked: Option<DateTime<Utc>>,
    },
}

/// A backup archive against the hub's record of this terminal, asked before a restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveAgainstHub {
    /// The data folder has not joined a hub.
    NotJoined,
    /// The hub has no record of this terminal yet.
    NotRecorded,
    /// The archive holds everything the hub has of this terminal.
    Current,
    /// The hub holds later changes of this terminal than the archive: restoring it, the
    /// terminal pulls them back (audit entries: the hub's record, the archive's).
    Older {
        hub_entries: u64,
        archive_entries: u64,
        pushed_at: DateTime<Utc>,
    },
    /// The hub could not be asked now.
    Unreachable(Bi),
}

/// Checks `archive` against the hub the data folder holding `store_dir` has joined.
pub fn check_archive_with_hub(
    store_dir: &std::path::Path,
    archive: &std::path::Path,
) -> Result<ArchiveAgainstHub, ServiceError> {
    let folder = store_dir.parent().unwrap_or(store_dir);
    let Some((_, address, credential)) = folder::load(folder)? else {
        return Ok(ArchiveAgainstHub::NotJoined);
    };
    let header = beatbook_store::verify_archive(archive)?;
    match Session::open(&address, &credential).and_then(|mut s| s.recorded_audit_head()) {
        Ok(None) => Ok(ArchiveAgainstHub::NotRecorded),
        Ok(Some(head)) if head.seq > header.audit_entries() => Ok(ArchiveAgainstHub::Older {
            hub_entries: head.seq,
            archive_entries: header.audit_entries(),
            pushed_at: head.at,
        }),
        Ok(Some(_)) => Ok(ArchiveAgainstHub::Current),
        Err(e) if e.is_offline() => Ok(ArchiveAgainstHub::Unreachable(Bi::of(&e))),
        Err(e) => Err(e.into()),
    }
}

/// How a folder joins a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinAs {
    /// A terminal of the station with this code.
    Station(String),
    /// A bureau (supervisor) terminal.
    Bureau,
}

impl Service {
    /// The data folder the hub's files live in (the store's parent folder).
    fn hub_folder(&self) -> PathBuf {
        let store = self.store.path();
        store.parent().unwrap_or(store).to_path_buf()
    }

    /// The hub this folder has joined, if any.
    pub fn hub_link(&self) -> Result<Option<HubLink>, ServiceError> {
        Ok(folder::load(&self.hub_folder())?.map(|(link, _, _)| link))
    }

    /// Joins the hub at `address` with an enrolment secret, checks that the enrolment is
    /// the one asked for, saves the link (the secret private to its user) and runs the
    /// first round: a folder with data of its own uploads it, a new one pulls its station.
    pub fn join_hub(
        &self,
        address: &HubAddress,
        credential: &Credential,
        join_as: &JoinAs,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RoundSummary, ServiceError> {
        let mut session = Session::open(address, credential)?;
        // The code of the station the enrolment serves (empty: a bureau terminal).
        let enrolled = session.station_code()?.unwrap_or_default();
        let asked = match join_as {
            JoinAs::Station(code) => code.as_str(),
            JoinAs::Bureau => "",
        };
        if !enrolled.eq_ignore_ascii_case(asked) {
            return Err(ServiceError::HubEnrolment {
                asked: asked.to_string(),
                enrolled,
            });
        }
        let code = enrolled;
        if session.holds_demo()? {
            self.store.set_flag(beatbook_store::Flag::Demo)?;
        }
        drop(session);
        let link = HubLink {
            address: address.to_string(),
            terminal: credential.role.clone(),
            station: code,
            interval_secs: folder::DEFAULT_INTERVAL_SECS,
            ca_file: None,
        };
        let link = folder::save(&self.hub_folder(), &link, address, credential)?;
        tracing::info!(terminal = %link.terminal, hub = %link.address, "joined the hub");
        self.sync_now(progress)
    }

    /// One round now: push the outbox, pull what is new. The status follows.
    pub fn sync_now(
        &self,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RoundSummary, ServiceError> {
        let Some((_, address, credential)) = folder::load(&self.hub_folder())? else {
            return Err(HubError::NotJoined.into());
        };
        Ok(run_round(
            &self.store,
            &self.sync,
            &address,
            &credential,
            progress,
        )?)
    }

    /// Where the terminal stands: the last round's outcome, what waits, what conflicts.
    /// Reads two counters of the store; never touches the network.
    pub fn sync_status(&self) -> SyncStatus {
        let mut status = lock(&self.sync.status).clone();
        if !status.joined {
            status.joined = self.hub_folder().join("hub.toml").exists();
        }
        if status.joined {
            status.waiting = self.store.sync_waiting().unwrap_or(status.waiting);
            status.conflicts = self.store.sync_conflict_count();
        }
        status
    }

    /// Waits for a running round to end and holds off the next while the guard lives.
    pub(crate) fn sync_paused(&self) -> std::sync::MutexGuard<'_, ()> {
        lock(&self.sync.round)
    }

    /// The store's newest change-log sequence: it moves when anything is written, by
    /// this terminal or pulled from the hub (the app reloads its list when it does).
    pub fn change_seq(&self) -> u64 {
        self.store.last_change_seq().unwrap_or(0)
    }

    /// Checks the local audit chain against the hub's record of this terminal's head.
    pub fn check_audit_with_hub(&self) -> Result<HubAuditCheck, ServiceError> {
        let Some((_, address, credential)) = folder::load(&self.hub_folder())? else {
            return Ok(HubAuditCheck::NotJoined);
        };
        let recorded =
            Session::open(&address, &credential).and_then(|mut s| s.recorded_audit_head());
        match recorded {
            Ok(None) => Ok(HubAuditCheck::NotRecorded),
            Ok(Some(head)) => {
                let check = self.store.check_head(head.seq, head.hash)?;
                self.store.record_audit_checked(Utc::now())?;
                Ok(HubAuditCheck::Checked {
                    check,
                    pushed_at: head.at,
                })
            }
            Err(e) if e.is_offline() => Ok(HubAuditCheck::Unreachable {
                problem: Bi::of(&e),
                last_checked: self.store.audit_checked_at()?,
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// After restoring a backup older than the hub's record of this terminal: the store
    /// takes its place behind the hub's record and a round pulls back what it lacks (its
    /// own later changes included).
    pub fn rejoin_hub(
        &self,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RoundSummary, ServiceError> {
        let Some((_, address, credential)) = folder::load(&self.hub_folder())? else {
            return Err(HubError::NotJoined.into());
        };
        let recorded = Session::open(&address, &credential)?.recorded_audit_head()?;
        if let Some(head) = recorded {
            self.store.prepare_rejoin(head.last_seq)?;
        }
        self.sync_now(progress)
    }

    /// Versions kept aside by sync, both sides whole, oldest first.
    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>, ServiceError> {
        Ok(self.store.sync_conflicts()?)
    }

    /// Starts background rounds every `interval` of the folder's link (None when the
    /// folder has not joined a hub). The worker stops when the handle is dropped.
    pub fn start_sync_worker(&self) -> Result<Option<SyncWorker>, ServiceError> {
        let Some((link, address, credential)) = folder::load(&self.hub_folder())? else {
            return Ok(None);
        };
        lock(&self.sync.status).joined = true;
        let store = self.store.second_handle();
        let state = Arc::clone(&self.sync);
        let stop = Arc::new(AtomicBool::new(false));
        let (wake, woken) = mpsc::channel::<()>();
        let interval = Duration::from_secs(link.interval_secs.max(1));
        let stop_flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("beatbook-sync".into())
            .spawn(move || {
                while !stop_flag.load(Ordering::Relaxed) {
                    let _ = run_round(&store, &state, &address, &credential, &mut |_| {});
                    match woken.recv_timeout(interval) {
                        Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
            })
            .map_err(ServiceError::Io)?;
        Ok(Some(SyncWorker {
            stop,
            wake: Some(wake),
            thread: Some(thread),
        }))
    }
}

/// The app's background sync. Dropping it stops the worker after its current round.
pub struct SyncWorker {
    stop: Arc<AtomicBool>,
    wake: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts a round now (after a save, say) instead of at the next interval.
    pub fn wake(&self) {
        if let Some(wake) = &self.wake {
            let _ = wake.send(());
        }
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Closing the channel ends the wait at once.
        self.wake.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One round against the store, the status updated before and after.
fn run_round(
    store: &Store,
    state: &SyncState,
    address: &HubAddress,
    credential: &Credential,
    progress: &mut dyn FnMut(Progress),
) -> Result<RoundSummary, HubError> {
    let _round = lock(&state.round);
    {
        let mut status = lock(&state.status);
        status.joined = true;
        status.running = true;
    }
    let result = Session::open(address, credential).and_then(|mut s| s.round(store, progress));
    let now = Utc::now();
    let mut status = lock(&state.status);
    status.running = false;
    match &result {
        Ok(summary) => {
            status.last_ok = Some(now);
            status.failing_since = None;
            status.offline = false;
            status.problem = None;
            status.waiting = summary.waiting;
            status.merged += summary.merged;
        }
        Err(e) => {
            tracing::warn!("sync round failed: {e}");
            status.failing_since.get_or_insert(now);
            status.offline = e.is_offline();
            status.problem = Some(Bi::of(e));
        }
    }
    result
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
