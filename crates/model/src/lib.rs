//! Domain types and their validation. No I/O: everything here is pure and testable alone.

pub mod dates;
mod dispute;
mod dispute_summary;
mod error;
mod finding;
mod ids;
mod kind;
mod meta;
mod officer;
mod person;
pub mod phone;
pub mod resident_id;
mod station;
pub mod text;
mod visit;
mod watch;

pub use dispute::{
    parse_amount, AgreementPaper, Complexity, Dispute, DisputeDraft, DisputeScale, DisputeSource,
    DisputeStatus, Evaluation, Extension, ExtensionDecision, Handover, MediationSession, Party,
    PartyRole, Resolution, RiskLevel, SessionResult, StatusChange, ValidDispute,
};
pub use dispute_summary::DisputeSummary;
pub use error::{Field, ValidationError};
pub use finding::{Finding, FindingChange, FindingChangeKind, FindingStatus, TargetKind};
pub use ids::Id;
pub use kind::Kind;
pub use meta::Meta;
pub use officer::{Officer, Role};
pub use person::{
    Gender, MergeRequest, MergedPerson, Person, PersonDraft, PersonSearchKeys, ValidPerson,
};
pub use phone::Phone;
pub use resident_id::ResidentId;
pub use station::Station;
pub use visit::{
    Visit, VisitChange, VisitChangeKind, VisitMethod, VisitOutcome, VisitStatus, VisitSubject,
};
pub use watch::{
    Alert, AlertReason, FlagChange, FlagChangeKind, FlagPerson, FlagRow, FlagStatus, PendingChange,
    WatchFlag,
};
