//! Supervision findings (GLOSSARY.md, Findings; supervisors change findings and nothing
//! else): who may record, answer, accept or return one, which step is allowed from which
//! status, and the monthly counts the reports use.
//!
//! The bureau supervises the stations, so the roles are split on purpose: only a
//! supervisor records a finding and judges the answer (a station must not mark its own
//! homework), and only the station that owns the record answers (a supervisor cannot
//! answer for it). Station scope is checked in the service with [`may_answer_for`].

use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Finding, FindingChangeKind, FindingStatus, Id, Role};
use chrono::NaiveDate;

/// Something done to a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingAction {
    /// Record a finding (supervisor).
    Create,
    /// Answer with the rectification (the station's chief or officers).
    Rectify,
    /// Accept the rectification: the finding is closed (supervisor).
    Accept,
    /// Return the rectification with a reason: back to the station (supervisor).
    Return,
}

impl FindingAction {
    pub const ALL: [FindingAction; 4] = [
        FindingAction::Create,
        FindingAction::Rectify,
        FindingAction::Accept,
        FindingAction::Return,
    ];
}

impl Localize for FindingAction {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FindingAction::Create => ("记录巡查问题", "record a supervision finding"),
            FindingAction::Rectify => ("答复整改", "answer a finding"),
            FindingAction::Accept => ("验收整改", "accept a rectification"),
            FindingAction::Return => ("退回整改", "return a rectification"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Whether `role` may ever take `action` (the station check is separate).
pub fn role_may(role: Role, action: FindingAction) -> bool {
    match action {
        FindingAction::Create | FindingAction::Accept | FindingAction::Return => {
            role == Role::Supervisor
        }
        FindingAction::Rectify => matches!(role, Role::Officer | Role::Chief),
    }
}

/// Whether an officer or chief of `station` may answer a finding owned by `owner`.
pub fn may_answer_for(station: Id, owner: Id) -> bool {
    station == owner
}

/// Why a step on a finding was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingRefusal {
    /// The role may never take this step.
    RoleMayNot { action: FindingAction, role: Role },
    /// The step does not apply in the finding's status.
    WrongStatus {
        action: FindingAction,
        status: FindingStatus,
    },
}

impl std::fmt::Display for FindingRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for FindingRefusal {}

impl Localize for FindingRefusal {
    fn localize(&self, lang: Lang) -> String {
        match *self {
            FindingRefusal::RoleMayNot { action, role } => {
                let what = action.localize(lang);
                let who = role.localize(lang);
                let next = match action {
                    FindingAction::Rectify => lang.pick(
                        "由该派出所的所长或民警答复。",
                        "the station's chief or officers answer it.",
                    ),
                    _ => lang.pick("由法制监督人员处理。", "a supervisor does this."),
                };
                match lang {
                    Lang::Zh => format!("无权限：{who}不能{what}，{next}"),
                    Lang::En => format!(
                        "not allowed: a {} may not {what}; {next}",
                        who.to_lowercase()
                    ),
                }
            }
            FindingRefusal::WrongStatus { action, status } => {
                let what = action.localize(lang);
                let s = status.localize(lang);
                match lang {
                    Lang::Zh => format!("该问题当前为「{s}」，不能{what}。"),
                    Lang::En => format!("the finding is {s}; you cannot {what} now."),
                }
            }
        }
    }
}

/// The status after `action` from `status`, or why not: open/returned → rectified →
/// accepted or returned. An accepted finding is closed for good.
pub fn next_status(
    status: FindingStatus,
    action: FindingAction,
) -> Result<FindingStatus, FindingRefusal> {
    let refuse = Err(FindingRefusal::WrongStatus { action, status });
    match (action, status) {
        (FindingAction::Rectify, FindingStatus::Open | FindingStatus::Returned) => {
            Ok(FindingStatus::Rectified)
        }
        (FindingAction::Accept, FindingStatus::Rectified) => Ok(FindingStatus::Accepted),
        (FindingAction::Return, FindingStatus::Rectified) => Ok(FindingStatus::Returned),
        _ => refuse,
    }
}

/// The history step an action writes.
pub fn change_kind(action: FindingAction) -> FindingChangeKind {
    match action {
        FindingAction::Create => FindingChangeKind::Opened,
        FindingAction::Rectify => FindingChangeKind::Rectified,
        FindingAction::Accept => FindingChangeKind::Accepted,
        FindingAction::Return => FindingChangeKind::Returned,
    }
}

/// A month's findings figures for a station (or the bureau), for statistics and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingCounts {
    /// Findings recorded in the month.
    pub opened: usize,
    /// Rectifications the stations answered in the month (each answer counts).
    pub rectified: usize,
    /// Rectifications accepted in the month (findings closed).
    pub accepted: usize,
    /// Rectifications returned in the month.
    pub returned: usize,
    /// At the month's end (or today, for the running month): findings the station still
    /// owed past their deadline.
    pub overdue: usize,
    /// At the same day: findings not yet accepted (open, returned or awaiting acceptance).
    pub unresolved: usize,
}

/// Counts `findings` (with their history) for the month `first..=last`; the state-at-end
/// figures are taken on `last`, or on `today` while the month is running.
pub fn count_month(
    findings: &[Finding],
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> FindingCounts {
    let as_of = last.min(today);
    let in_month = |d: NaiveDate| first <= d && d <= last;
    let mut c = FindingCounts::default();
    for f in findings {
        if in_month(f.opened_on) {
            c.opened += 1;
        }
        for step in f.history.iter().filter(|s| in_month(s.on)) {
            match step.kind {
                FindingChangeKind::Rectified => c.rectified += 1,
                FindingChangeKind::Accepted => c.accepted += 1,
                FindingChangeKind::Returned => c.returned += 1,
                FindingChangeKind::Opened => {}
            }
        }
        match f.status_on(as_of) {
            None | Some(FindingStatus::Accepted) => {}
            Some(status) => {
                c.unresolved += 1;
                if status.awaits_station() && as_of > f.deadline {
                    c.overdue += 1;
                }
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        use FindingAction::*;
        for action in FindingAction::ALL {
            assert!(!role_may(Role::Admin, action));
        }
        assert!(role_may(Role::Supervisor, Create));
        assert!(!role_may(Role::Chief, Create));
        assert!(!role_may(Role::Officer, Create));
        assert!(role_may(Role::Officer, Rectify));
        assert!(role_may(Role::Chief, Rectify));
        assert!(!role_may(Role::Supervisor, Rectify));
        assert!(!role_may(Role::Officer, Accept));
        assert!(!role_may(Role::Chief, Return));
    }

    #[test]
    fn transitions() {
        use FindingAction::*;
        use FindingStatus::*;
        assert_eq!(next_status(Open, Rectify), Ok(Rectified));
        assert_eq!(next_status(Returned, Rectify), Ok(Rectified));
        assert_eq!(next_status(Rectified, Accept), Ok(Accepted));
        assert_eq!(next_status(Rectified, Return), Ok(Returned));
        for action in [Rectify, Accept, Return] {
            assert!(next_status(Accepted, action).is_err(), "{action:?}");
        }
        assert!(next_status(Open, Accept).is_err());
        assert!(next_status(Rectified, Rectify).is_err());
    }
}
