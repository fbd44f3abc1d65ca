//! Use cases on behalf of a logged-in [`Session`]: permissions, rules and audit are applied
//! here, whatever the screen shows. Every function is callable from a test without a
//! terminal and returns plain view data.

mod accounts;
mod audit;
mod clock;
mod conflicts;
mod disputes;
mod duplicates;
mod error;
mod export;
mod findings;
mod gate;
mod import;
mod inbox;
mod names;
mod permissions;
mod persons;
mod print;
mod reading;
mod residents;
mod restore;
mod search;
mod session;
mod statistics;
mod sync;
mod today_screen;
mod visits;
mod watch;

pub use accounts::{
    hash_password, AccountRow, AccountStatus, FirstStation, NewOfficer, StationAccounts,
};
pub use audit::{AuditFilter, AuditPage, AuditRow, CheckReport, AUDIT_PAGE, AUDIT_SCAN_LIMIT};
/// The steps [`DisputeActions`] and [`FlagActions`] name, as the rules define them.
pub use beatbook_core::rules::{disputes::DisputeAction, watch::FlagAction};
pub use clock::{Clock, FixedClock, SystemClock};
pub use conflicts::{
    ConflictChoice, ConflictReasonText, ConflictSide, ConflictView, FieldDifference,
};
pub use disputes::{
    AlertKind, DisputeAlert, DisputeDetail, DisputeLink, HandoverForm, RegisterFilter, RegisterRow,
    RegisterSort, ResolveForm, SessionForm, TimelineEntry,
};
pub use duplicates::{DuplicatePair, DuplicateReason, DuplicateSide, MergeOutcome};
pub use error::{Forbidden, ServiceError};
pub use export::ExportSummary;
pub use findings::{FindingDetail, FindingFilter, FindingRow, NewFinding};
pub use import::{ConflictValue, ImportConflict, ImportOptions, ImportReport, IMPORT_CHUNK};
pub use inbox::{ApprovalKind, ApprovalRow, ApprovalTarget, TodayInbox};
pub use permissions::{DisputeActions, FlagActions, Permission, Views};
pub use persons::{PersonCard, PersonOverview};
pub use print::{AgreementAnswers, AgreementAsk, PartyAsk, PrintKind, Printed};
pub use residents::{AccountParticulars, ResidentRow, StationAccount, RESIDENT_SEARCH_LIMIT};
pub use restore::{compact_store, restore_archive, CompactRequest, RestoreRequest};
pub use session::Session;
pub use statistics::{BureauReport, StationChoice, StationReport};
pub use sync::{
    check_archive_with_hub, ArchiveAgainstHub, HubAuditCheck, JoinAs, SyncStatus, SyncWorker,
};
pub use today_screen::TodayScreen;
pub use visits::{
    DoneForm, MissedForm, NewVisitForm, OfficerOption, RescheduleForm, Scope, TodayRow, TodayView,
    VisitDetail, VisitHistoryLine, VisitSaved,
};
pub use watch::{AlertRow, FlagForm, PersonDetail, Revealed, WatchFilter, WatchRow};

use beatbook_core::config::Settings;
use beatbook_model::Id;
use beatbook_store::{Change, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;

/// The application core: one open store, a clock and the settings.
pub struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    /// Built on first search, then brought up to date from the change log before each.
    persons: std::sync::Mutex<Option<search::PersonSearch>>,
    /// The hub rounds' shared state (idle when the folder has not joined a hub).
    sync: Arc<sync::SyncState>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Service {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Service {
        Service {
            store,
            clock,
            settings,
            persons: std::sync::Mutex::new(None),
            sync: Arc::default(),
        }
    }

    /// Local time now.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// Now, as stored.
    pub fn now_utc(&self) -> DateTime<Utc> {
        self.clock.now().with_timezone(&Utc)
    }

    /// The local date of the terminal.
    pub fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The store, for the command-line tools that work below the session level (bench,
    /// export, `audit verify`), the demo loader's bulk writes and tests. The screens never
    /// use it (`.ci/layering` fails on `.store()` in the tui crate): they ask the service.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A break in the tail of the audit chain found when the store opened, told to whoever
    /// opens the app (`beatbook audit verify` finds the first broken entry).
    pub fn audit_problem(&self) -> Option<&dyn beatbook_i18n::Localize> {
        self.store
            .audit_problem()
            .map(|p| p as &dyn beatbook_i18n::Localize)
    }

    /// The folder the data lives in, as the first-run screen names it.
    pub fn data_folder(&self) -> &std::path::Path {
        self.store.path()
    }

    /// True on first run: no station exists yet.
    pub fn needs_setup(&self) -> bool {
        self.store.is_empty()
    }

    /// Whether the store holds demo data.
    pub fn is_demo(&self) -> bool {
        self.store
            .has_flag(beatbook_store::Flag::Demo)
            .unwrap_or(false)
    }

    /// A change attributed to the session's officer, now.
    fn change(&self, session: &Session, action: &str) -> Change {
        Change::new(action, &session.actor(), self.now_utc()).station(session.station())
    }

    fn station_name(&self, id: Id) -> String {
        match self.store.get::<beatbook_model::Station>(id) {
            Ok(Some(s)) => s.name,
            _ => String::new(),
        }
    }
}

/// Waits for a scoped thread and passes its panic on, if it had one.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
