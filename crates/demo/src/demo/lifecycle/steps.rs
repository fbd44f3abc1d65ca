//! The steps a demo dispute's history is written in, and the day each falls on.

use super::*;

/// Something that happened to a dispute on a past day. Steps the workflow refuses from
/// the status reached are skipped, so a plan can never write an impossible history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Accepted; `feedback`: the reporting party was told within the day.
    Accept {
        on: NaiveDate,
        feedback: bool,
    },
    Session {
        on: NaiveDate,
        result: SessionResult,
    },
    /// An extension requested; `approve`: the chief's decision the day after, if made.
    Extension {
        on: NaiveDate,
        days: u32,
        approve: Option<bool>,
    },
    /// Resolved with an agreement; follow-up visits scheduled. Visits due before today
    /// are made, except the last `leave_owed` of them (overdue).
    Resolve {
        on: NaiveDate,
        leave_owed: usize,
    },
    /// Closed by the chief: only when no follow-up is owed.
    Close {
        on: NaiveDate,
    },
    HandOver {
        on: NaiveDate,
        escalate: bool,
    },
    Reopen {
        on: NaiveDate,
    },
}

impl Step {
    /// The same step on another day.
    pub(crate) fn on(self, day: NaiveDate) -> Step {
        match self {
            Step::Accept { feedback, .. } => Step::Accept { on: day, feedback },
            Step::Session { result, .. } => Step::Session { on: day, result },
            Step::Extension { days, approve, .. } => Step::Extension {
                on: day,
                days,
                approve,
            },
            Step::Resolve { leave_owed, .. } => Step::Resolve {
                on: day,
                leave_owed,
            },
            Step::Close { .. } => Step::Close { on: day },
            Step::HandOver { escalate, .. } => Step::HandOver { on: day, escalate },
            Step::Reopen { .. } => Step::Reopen { on: day },
        }
    }
}

/// The day of a step.
pub(crate) fn step_date(step: &Step) -> NaiveDate {
    match *step {
        Step::Accept { on, .. }
        | Step::Session { on, .. }
        | Step::Extension { on, .. }
        | Step::Resolve { on, .. }
        | Step::Close { on }
        | Step::HandOver { on, .. }
        | Step::Reopen { on } => on,
    }
}
