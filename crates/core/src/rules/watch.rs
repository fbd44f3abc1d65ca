//! The watch list of key persons (GLOSSARY.md, Watch list, Visits): who may change
//! a flag, which changes wait for the chief, when a flagged person is next visited and
//! reviewed, and when missed visits or repeated disputes raise an alert.
//!
//! Station scope is checked by [`super::access`]; this module answers only "may this role
//! ever do this", "does this change need the chief" and the dates. All date arithmetic is
//! checked: a date past chrono's range saturates at the last representable date instead
//! of panicking, which in practice means "never" for a register kept by people.

use crate::config::WatchConfig;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{RiskLevel, Role};
use chrono::{Days, NaiveDate};
use std::fmt;

/// Something done to a watch-list flag that a role may be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagAction {
    /// 列管: put a person on the watch list.
    Add,
    /// Raise or lower the level.
    ChangeLevel,
    /// Categories, reason/basis, source, responsible officer.
    ChangeDetails,
    /// 撤销列管: take the person off the list (a red flag waits for the chief).
    RequestRemoval,
    /// The chief approves or rejects a pending removal or lowering.
    Decide,
    /// 定期评估: confirm the level on the review date, which sets the next one.
    Review,
    /// Acknowledge an alert (missed visits, a new dispute, an overdue review).
    Acknowledge,
}

impl FlagAction {
    pub const ALL: [FlagAction; 7] = [
        FlagAction::Add,
        FlagAction::ChangeLevel,
        FlagAction::ChangeDetails,
        FlagAction::RequestRemoval,
        FlagAction::Decide,
        FlagAction::Review,
        FlagAction::Acknowledge,
    ];

    /// Whether the action must say why (changing a level or removing a flag requires a
    /// reason, so the history can answer "why is this person no longer red").
    pub fn needs_reason(self) -> bool {
        matches!(self, FlagAction::ChangeLevel | FlagAction::RequestRemoval)
    }
}

impl Localize for FlagAction {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FlagAction::Add => ("列管人员", "flag a person"),
            FlagAction::ChangeLevel => ("调整等级", "change the level"),
            FlagAction::ChangeDetails => ("修改列管信息", "change a flag's details"),
            FlagAction::RequestRemoval => ("撤销列管", "remove a flag"),
            FlagAction::Decide => ("审批申请", "approve or reject a request"),
            FlagAction::Review => ("定期评估", "review a flag"),
            FlagAction::Acknowledge => ("确认预警", "acknowledge an alert"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// What a change needs before it takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Approval {
    /// It applies at once.
    NotNeeded,
    /// It stays pending until the chief approves or rejects it.
    ChiefMust,
}

/// Lowering a red flag (to any lower level) needs the chief's approval unless the chief
/// does it: red means one-case-one-plan with the chief involved, so the chief decides when
/// that ends. Raising a level, or changing a level below red, applies at once — erring
/// towards more attention needs nobody's leave.
pub fn approval_for_level_change(from: RiskLevel, to: RiskLevel, role: Role) -> Approval {
    if from == RiskLevel::Red && to < RiskLevel::Red && role != Role::Chief {
        Approval::ChiefMust
    } else {
        Approval::NotNeeded
    }
}

/// Removing a red flag needs the chief's approval unless the chief does it (for the reason
/// lowering one does, above); any other removal applies at once.
pub fn approval_for_removal(level: RiskLevel, role: Role) -> Approval {
    if level == RiskLevel::Red && role != Role::Chief {
        Approval::ChiefMust
    } else {
        Approval::NotNeeded
    }
}

/// Whether `role` may ever perform `action` (the station check is separate). Officers do
/// the daily work on their station's list; deciding a pending request is the chief's
/// approval; supervisors only read and administrators never touch case data.
pub fn role_may(role: Role, action: FlagAction) -> bool {
    match role {
        Role::Chief => true,
        Role::Officer => action != FlagAction::Decide,
        Role::Supervisor | Role::Admin => false,
    }
}

/// Why a change to a flag was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchRefusal {
    /// The role may never do this.
    RoleMayNot { action: FlagAction, role: Role },
    /// Changing a level or removing a flag must say why.
    ReasonRequired,
    /// A level change to the level the flag already has.
    SameLevel,
    /// A removal or lowering already waits for the chief; decide it first.
    PendingExists,
    /// A decision, but nothing waits for one.
    NothingPending,
    /// The flag was removed; it is history now.
    NotActive,
}

impl Localize for WatchRefusal {
    fn localize(&self, lang: Lang) -> String {
        match *self {
            WatchRefusal::RoleMayNot { action, role } => {
                let what = action.localize(lang);
                match (role, lang) {
                    (Role::Officer, Lang::Zh) => format!("无权限：民警不能{what}，请所长处理。"),
                    (Role::Officer, Lang::En) => {
                        format!("not allowed: an officer may not {what}; ask the chief.")
                    }
                    // Chiefs may do everything today; kept so a narrower policy reads well.
                    (Role::Chief, Lang::Zh) => format!("无权限：所长不能{what}。"),
                    (Role::Chief, Lang::En) => format!("not allowed: a chief may not {what}."),
                    (Role::Supervisor, Lang::Zh) => {
                        format!("无权限：法制监督只能查看重点人员，不能{what}。")
                    }
                    (Role::Supervisor, Lang::En) => format!(
                        "not allowed: supervisors read the watch list but may not {what}."
                    ),
                    (Role::Admin, Lang::Zh) => {
                        format!("无权限：管理员不处理重点人员，不能{what}。")
                    }
                    (Role::Admin, Lang::En) => format!(
                        "not allowed: administrators do not handle the watch list and may not {what}."
                    ),
                }
            }
            WatchRefusal::ReasonRequired => lang
                .pick(
                    "请填写原因：调整等级或撤销列管必须说明理由。",
                    "a reason is required: say why the level changes or the flag is removed.",
                )
                .to_string(),
            WatchRefusal::SameLevel => lang
                .pick(
                    "等级未变：请选择与当前不同的等级。",
                    "the level is unchanged: choose a level other than the current one.",
                )
                .to_string(),
            WatchRefusal::PendingExists => lang
                .pick(
                    "已有申请等待所长审批，请先审批该申请。",
                    "a request is already waiting for the chief: it must be decided first.",
                )
                .to_string(),
            WatchRefusal::NothingPending => lang
                .pick(
                    "没有等待审批的申请。",
                    "there is no request waiting for a decision.",
                )
                .to_string(),
            WatchRefusal::NotActive => lang
                .pick(
                    "该列管已撤销，不能再修改。",
                    "this flag has been removed and can no longer be changed.",
                )
                .to_string(),
        }
    }
}

impl fmt::Display for WatchRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for WatchRefusal {}

/// Whether `reason` says anything (blank or whitespace-only is no reason).
pub fn reason_given(reason: &str) -> bool {
    !reason.trim().is_empty()
}

/// The state of a flag that the checks below need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagState {
    pub level: RiskLevel,
    /// Not removed.
    pub active: bool,
    /// A removal or lowering waits for the chief.
    pub pending: bool,
}

/// The role first (a supervisor should hear "not your job", not "same level"), then the
/// flag's state.
fn check_common(role: Role, action: FlagAction, flag: FlagState) -> Result<(), WatchRefusal> {
    if !role_may(role, action) {
        return Err(WatchRefusal::RoleMayNot { action, role });
    }
    if !flag.active {
        return Err(WatchRefusal::NotActive);
    }
    Ok(())
}

/// Every check of a level change at once, in the order a person should hear them: role,
/// removed flag, pending request, same level, missing reason. Then what the change needs.
pub fn check_level_change(
    role: Role,
    flag: FlagState,
    to: RiskLevel,
    reason: &str,
) -> Result<Approval, WatchRefusal> {
    check_common(role, FlagAction::ChangeLevel, flag)?;
    if flag.pending {
        return Err(WatchRefusal::PendingExists);
    }
    if flag.level == to {
        return Err(WatchRefusal::SameLevel);
    }
    if !reason_given(reason) {
        return Err(WatchRefusal::ReasonRequired);
    }
    Ok(approval_for_level_change(flag.level, to, role))
}

/// Every check of a removal at once (role, removed flag, pending request, missing reason),
/// then what it needs.
pub fn check_removal(role: Role, flag: FlagState, reason: &str) -> Result<Approval, WatchRefusal> {
    check_common(role, FlagAction::RequestRemoval, flag)?;
    if flag.pending {
        return Err(WatchRefusal::PendingExists);
    }
    if !reason_given(reason) {
        return Err(WatchRefusal::ReasonRequired);
    }
    Ok(approval_for_removal(flag.level, role))
}

/// Whether `role` may approve or reject now: only the chief, only while a request waits.
pub fn check_decision(role: Role, flag: FlagState) -> Result<(), WatchRefusal> {
    check_common(role, FlagAction::Decide, flag)?;
    if !flag.pending {
        return Err(WatchRefusal::NothingPending);
    }
    Ok(())
}

/// `date` plus `days`, saturating at the last representable date.
fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The next visit of a flagged person: from the last contact (or the day the flag was
/// added, when there was none) by the level's rhythm, never before today — a visit owed
/// since last week is owed today, and the rolling schedule always has one visit ahead.
pub fn next_visit_due(
    level: RiskLevel,
    last_contact: Option<NaiveDate>,
    added_on: NaiveDate,
    today: NaiveDate,
    config: &WatchConfig,
) -> NaiveDate {
    let from = last_contact.unwrap_or(added_on);
    add_days(from, config.visit_every_days(level)).max(today)
}

/// The next review of a flag at `level`, counted from the day it was added or last
/// reviewed (`from`).
pub fn next_review(level: RiskLevel, from: NaiveDate, config: &WatchConfig) -> NaiveDate {
    add_days(from, config.review_every_days(level))
}

/// Whether the review is due (on or after its date), for the Today list.
pub fn review_due(next_review: NaiveDate, today: NaiveDate) -> bool {
    today >= next_review
}

/// Days past the review date (at least 1); `None` on or before it — a review due today is
/// due, not yet overdue.
pub fn review_overdue(next_review: NaiveDate, today: NaiveDate) -> Option<i64> {
    let days = (today - next_review).num_days();
    (days > 0).then_some(days)
}

/// After a visit outcome: the new count of missed visits in a row and whether that count
/// raises the alert now. A visit done resets the count; the alert fires exactly when the
/// count reaches the threshold, so a third miss does not alert a second time (the first
/// alert stands until acknowledged). Cancelled visits neither count nor reset: do not
/// call this for them.
pub fn after_visit(missed_in_a_row: u32, missed: bool, config: &WatchConfig) -> (u32, bool) {
    if missed {
        let count = missed_in_a_row.saturating_add(1);
        (count, count == config.missed_in_a_row_alert)
    } else {
        (0, false)
    }
}

/// A person is a repeat party when they have at least 2 disputes reported within the
/// window ending today: on or after `today - repeat_dispute_window_days` and not after
/// today (the same bounds as the disputes' recurrence window, so 365 days back counts).
/// Dates are one per dispute; two disputes on one day are two.
pub fn repeat_disputes(
    dispute_dates: &[NaiveDate],
    today: NaiveDate,
    config: &WatchConfig,
) -> bool {
    let since = today
        .checked_sub_days(Days::new(u64::from(config.repeat_dispute_window_days)))
        .unwrap_or(NaiveDate::MIN);
    dispute_dates
        .iter()
        .filter(|d| (since..=today).contains(*d))
        .nth(1)
        .is_some()
}

#[cfg(test)]
mod tests;
