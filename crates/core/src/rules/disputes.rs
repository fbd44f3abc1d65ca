//! The dispute workflow (GLOSSARY.md, Disputes) and who may move it.
//!
//! `reported → accepted → mediating → resolved → following-up → closed`, with `referred`
//! and `escalated` as exits and `reopened` (复发) when a resolved dispute flares up again.
//! One table below says from which statuses each action is allowed and where it leads, so
//! the screens (which keys to offer), the service (what to refuse) and the tests read the
//! same truth. Station scope and "own visits" are checked by [`super::access`]; this
//! module answers only "may this role ever do this" and "does this status allow it".

use beatbook_i18n::{Lang, Localize};
use beatbook_model::{DisputeStatus, Role};
use std::fmt;

use DisputeStatus::{
    Accepted, Closed, Escalated, FollowingUp, Mediating, Referred, Reopened, Reported, Resolved,
};

/// Something done to a dispute that the workflow or the role may refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisputeAction {
    /// 受理: the station takes the dispute on; the clocks start.
    Accept,
    /// Record a mediation session.
    RecordSession,
    Resolve,
    /// 办结: the chief closes a resolved dispute once the follow-ups are done.
    Close,
    /// Hand over to a mediation committee, judicial office, court or department.
    Refer,
    /// A criminal or administrative case is opened.
    Escalate,
    /// 复发: a resolved or closed dispute flares up again.
    Reopen,
    /// 申请延期 of the mediation deadline.
    RequestExtension,
    /// The chief approves or rejects an extension request.
    DecideExtension,
    /// Change the record's details (parties, description, indicators …).
    Edit,
    /// Feedback given to the reporting party.
    RecordFeedback,
    /// The closing evaluation.
    Evaluate,
}

impl DisputeAction {
    pub const ALL: [DisputeAction; 12] = [
        DisputeAction::Accept,
        DisputeAction::RecordSession,
        DisputeAction::Resolve,
        DisputeAction::Close,
        DisputeAction::Refer,
        DisputeAction::Escalate,
        DisputeAction::Reopen,
        DisputeAction::RequestExtension,
        DisputeAction::DecideExtension,
        DisputeAction::Edit,
        DisputeAction::RecordFeedback,
        DisputeAction::Evaluate,
    ];

    /// The statuses this action is allowed from, in workflow order.
    pub fn allowed_from(self) -> &'static [DisputeStatus] {
        /// Still the station's business.
        const OPEN: &[DisputeStatus] = &[
            Reported,
            Accepted,
            Mediating,
            Resolved,
            FollowingUp,
            Reopened,
        ];
        /// The mediation clock runs.
        const MEDIATION: &[DisputeStatus] = &[Accepted, Mediating, Reopened];
        /// Resolved at least once and not reopened.
        const AFTER_RESOLUTION: &[DisputeStatus] = &[Resolved, FollowingUp, Closed];
        match self {
            DisputeAction::Accept => &[Reported],
            DisputeAction::RecordSession | DisputeAction::Resolve => MEDIATION,
            DisputeAction::Close => &[Resolved, FollowingUp],
            DisputeAction::Refer => &[Reported, Accepted, Mediating, Reopened],
            DisputeAction::Escalate => &[
                Reported,
                Accepted,
                Mediating,
                Resolved,
                FollowingUp,
                Reopened,
            ],
            DisputeAction::Reopen | DisputeAction::Evaluate => AFTER_RESOLUTION,
            DisputeAction::RequestExtension | DisputeAction::DecideExtension => MEDIATION,
            DisputeAction::Edit | DisputeAction::RecordFeedback => OPEN,
        }
    }

    /// Where the action leads from `from` (assumed allowed); `None` for actions that leave
    /// the status as it is.
    fn leads_to(self) -> Option<DisputeStatus> {
        match self {
            DisputeAction::Accept => Some(Accepted),
            DisputeAction::RecordSession => Some(Mediating),
            DisputeAction::Resolve => Some(Resolved),
            DisputeAction::Close => Some(Closed),
            DisputeAction::Refer => Some(Referred),
            DisputeAction::Escalate => Some(Escalated),
            DisputeAction::Reopen => Some(Reopened),
            DisputeAction::RequestExtension
            | DisputeAction::DecideExtension
            | DisputeAction::Edit
            | DisputeAction::RecordFeedback
            | DisputeAction::Evaluate => None,
        }
    }

    /// Whether the action changes the status (and so writes a status-history line).
    pub fn changes_status(self) -> bool {
        self.leads_to().is_some()
    }
}

impl Localize for DisputeAction {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            DisputeAction::Accept => ("受理", "accept"),
            DisputeAction::RecordSession => ("记录调解", "record a mediation session"),
            DisputeAction::Resolve => ("化解", "resolve"),
            DisputeAction::Close => ("办结", "close"),
            DisputeAction::Refer => ("移交", "refer"),
            DisputeAction::Escalate => ("转为案件", "escalate to a case"),
            DisputeAction::Reopen => ("登记复发", "reopen"),
            DisputeAction::RequestExtension => ("申请延期", "request an extension"),
            DisputeAction::DecideExtension => ("审批延期", "decide an extension"),
            DisputeAction::Edit => ("编辑", "edit"),
            DisputeAction::RecordFeedback => ("记录反馈", "record feedback"),
            DisputeAction::Evaluate => ("评价", "evaluate"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Why an action on a dispute was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The workflow does not allow the action from this status.
    WrongState {
        action: DisputeAction,
        status: DisputeStatus,
    },
    /// The role may never do this.
    RoleMayNot { action: DisputeAction, role: Role },
}

impl Localize for Refusal {
    fn localize(&self, lang: Lang) -> String {
        match *self {
            Refusal::WrongState { action, status } => {
                let allowed: Vec<String> = action
                    .allowed_from()
                    .iter()
                    .map(|s| s.localize(lang))
                    .collect();
                match lang {
                    Lang::Zh => format!(
                        "不能{}：纠纷当前状态为“{}”，只有“{}”状态下才可以。",
                        action.localize(lang),
                        status.localize(lang),
                        allowed.join("”“")
                    ),
                    Lang::En => format!(
                        "cannot {}: the dispute is {}; this is possible only when it is {}.",
                        action.localize(lang),
                        status.localize(lang),
                        or_list(&allowed)
                    ),
                }
            }
            Refusal::RoleMayNot { action, role } => {
                let what = action.localize(lang);
                match (role, lang) {
                    (Role::Officer, Lang::Zh) => {
                        format!("无权限：民警不能{what}纠纷，请所长处理。")
                    }
                    (Role::Officer, Lang::En) => {
                        format!("not allowed: an officer may not {what}; ask the chief.")
                    }
                    // Chiefs may do everything today; kept so a narrower policy reads well.
                    (Role::Chief, Lang::Zh) => format!("无权限：所长不能{what}纠纷。"),
                    (Role::Chief, Lang::En) => format!("not allowed: a chief may not {what}."),
                    (Role::Supervisor, Lang::Zh) => {
                        format!("无权限：法制监督只能查看纠纷，不能{what}。")
                    }
                    (Role::Supervisor, Lang::En) => {
                        format!("not allowed: supervisors read disputes but may not {what}.")
                    }
                    (Role::Admin, Lang::Zh) => {
                        format!("无权限：管理员不处理纠纷，不能{what}。")
                    }
                    (Role::Admin, Lang::En) => format!(
                        "not allowed: administrators do not handle disputes and may not {what}."
                    ),
                }
            }
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for Refusal {}

/// The status after `action`, or why the workflow refuses it from `status`.
pub fn next_status(status: DisputeStatus, action: DisputeAction) -> Result<DisputeStatus, Refusal> {
    if action.allowed_from().contains(&status) {
        Ok(action.leads_to().unwrap_or(status))
    } else {
        Err(Refusal::WrongState { action, status })
    }
}

/// Whether `role` may ever perform `action` (the station check is separate). Officers do
/// the daily work; closing and deciding extensions are the chief's approvals; supervisors
/// only read and administrators never touch case data.
pub fn role_may(role: Role, action: DisputeAction) -> bool {
    match role {
        Role::Chief => true,
        Role::Officer => !matches!(
            action,
            DisputeAction::Close | DisputeAction::DecideExtension
        ),
        Role::Supervisor | Role::Admin => false,
    }
}

/// Both checks at once, role first (a supervisor should hear "not your job", not "wrong
/// state"): the status after `action`, or the refusal to show.
pub fn check(
    role: Role,
    status: DisputeStatus,
    action: DisputeAction,
) -> Result<DisputeStatus, Refusal> {
    if !role_may(role, action) {
        return Err(Refusal::RoleMayNot { action, role });
    }
    next_status(status, action)
}

/// The actions `role` can take on a dispute in `status`, for offering keys on the detail
/// screen.
pub fn available(role: Role, status: DisputeStatus) -> Vec<DisputeAction> {
    DisputeAction::ALL
        .into_iter()
        .filter(|a| check(role, status, *a).is_ok())
        .collect()
}

/// The service moves a resolved dispute to following-up when its first follow-up visit is
/// done; other statuses stay as they are.
pub fn follow_up_started(status: DisputeStatus) -> DisputeStatus {
    match status {
        Resolved => FollowingUp,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DisputeAction::*;

    /// The one table is [`DisputeAction::allowed_from`] with [`DisputeAction::leads_to`];
    /// this checks that everything else derives from it rather than restating it: for
    /// every role, status and action, `available` offers exactly what `role_may` and the
    /// table allow, `check` and `next_status` accept exactly those (leading where the
    /// table says, or staying put), and refuse every other pair with the right reason.
    #[test]
    fn every_pair_the_table_allows_is_accepted_and_every_other_refused() {
        for role in Role::ALL {
            for status in DisputeStatus::ALL {
                let offered = available(role, status);
                for action in DisputeAction::ALL {
                    let in_table = action.allowed_from().contains(&status);
                    let to = action.leads_to().unwrap_or(status);
                    let case = format!("{role:?} {action:?} from {status:?}");
                    assert_eq!(
                        offered.contains(&action),
                        in_table && role_may(role, action),
                        "{case}"
                    );
                    if in_table {
                        assert_eq!(next_status(status, action), Ok(to), "{case}");
                    } else {
                        let refusal = Refusal::WrongState { action, status };
                        assert_eq!(next_status(status, action), Err(refusal), "{case}");
                    }
                    let want = if !role_may(role, action) {
                        Err(Refusal::RoleMayNot { action, role })
                    } else {
                        next_status(status, action)
                    };
                    assert_eq!(check(role, status, action), want, "{case}");
                }
            }
        }
    }

    /// The table's shape: each list is in workflow order without repeats, an action
    /// that changes the status never "changes" it to where it already is, and every
    /// status is reachable from a new report.
    #[test]
    fn the_table_is_ordered_and_every_status_reachable() {
        let order = |s: &DisputeStatus| DisputeStatus::ALL.iter().position(|x| x == s);
        for action in DisputeAction::ALL {
            let from = action.allowed_from();
            assert!(!from.is_empty(), "{action:?} allowed from nowhere");
            assert!(
                from.windows(2).all(|w| order(&w[0]) < order(&w[1])),
                "{action:?}: {from:?}"
            );
            if let Some(to) = action.leads_to() {
                // Recording a session keeps a dispute in mediation: the one exception.
                let stays = from.iter().filter(|s| **s == to).count();
                assert!(
                    stays == 0 || (action == RecordSession && to == Mediating),
                    "{action:?} leads back to {to:?}"
                );
            }
        }
        let mut reached = vec![Reported];
        let mut i = 0;
        while let Some(status) = reached.get(i).copied() {
            // An action, or the first follow-up visit done (the service's own move).
            let moves = DisputeAction::ALL
                .into_iter()
                .filter_map(|a| next_status(status, a).ok())
                .chain([follow_up_started(status)]);
            for to in moves {
                if !reached.contains(&to) {
                    reached.push(to);
                }
            }
            i += 1;
        }
        for status in DisputeStatus::ALL {
            assert!(reached.contains(&status), "{status:?} unreachable");
        }
        // The ordinary life of a dispute, step by step.
        let mut status = Reported;
        for action in [Accept, RecordSession, Resolve, Close] {
            status = check(Role::Chief, status, action).expect("ordinary path");
        }
        assert_eq!(status, Closed);
    }

    #[test]
    fn exits_are_final_except_reopening_a_closed_dispute() {
        for status in [Referred, Escalated] {
            assert!(DisputeAction::ALL
                .iter()
                .all(|a| next_status(status, *a).is_err()));
        }
        let from_closed: Vec<_> = DisputeAction::ALL
            .into_iter()
            .filter(|a| next_status(Closed, *a).is_ok())
            .collect();
        assert_eq!(from_closed, [Reopen, Evaluate]);
    }

    #[test]
    fn roles() {
        let cases: &[(Role, &[DisputeAction])] = &[
            (Role::Chief, &DisputeAction::ALL),
            (
                Role::Officer,
                &[
                    Accept,
                    RecordSession,
                    Resolve,
                    Refer,
                    Escalate,
                    Reopen,
                    RequestExtension,
                    Edit,
                    RecordFeedback,
                    Evaluate,
                ],
            ),
            (Role::Supervisor, &[]),
            (Role::Admin, &[]),
        ];
        for (role, may) in cases {
            for action in DisputeAction::ALL {
                assert_eq!(
                    role_may(*role, action),
                    may.contains(&action),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn check_refuses_role_before_state() {
        assert_eq!(
            check(Role::Officer, Resolved, Close),
            Err(Refusal::RoleMayNot {
                action: Close,
                role: Role::Officer
            })
        );
        assert_eq!(
            check(Role::Supervisor, Closed, Accept),
            Err(Refusal::RoleMayNot {
                action: Accept,
                role: Role::Supervisor
            })
        );
        assert_eq!(
            check(Role::Chief, Mediating, Close),
            Err(Refusal::WrongState {
                action: Close,
                status: Mediating
            })
        );
        assert_eq!(check(Role::Chief, FollowingUp, Close), Ok(Closed));
        assert_eq!(check(Role::Officer, Reported, Accept), Ok(Accepted));
    }

    #[test]
    fn available_actions() {
        assert_eq!(
            available(Role::Officer, Reported),
            [Accept, Refer, Escalate, Edit, RecordFeedback]
        );
        assert_eq!(
            available(Role::Chief, Resolved),
            [Close, Escalate, Reopen, Edit, RecordFeedback, Evaluate]
        );
        assert!(available(Role::Admin, Mediating).is_empty());
        assert!(available(Role::Chief, Referred).is_empty());
    }

    #[test]
    fn follow_up_moves_only_resolved() {
        for status in DisputeStatus::ALL {
            let want = if status == Resolved {
                FollowingUp
            } else {
                status
            };
            assert_eq!(follow_up_started(status), want);
        }
    }

    #[test]
    fn status_changing_actions() {
        let changing: Vec<_> = DisputeAction::ALL
            .into_iter()
            .filter(|a| a.changes_status())
            .collect();
        assert_eq!(
            changing,
            [
                Accept,
                RecordSession,
                Resolve,
                Close,
                Refer,
                Escalate,
                Reopen
            ]
        );
    }

    #[test]
    fn refusals_name_action_and_status_or_role() {
        let wrong = Refusal::WrongState {
            action: Close,
            status: Mediating,
        };
        assert_eq!(
            wrong.localize(Lang::En),
            "cannot close: the dispute is mediating; this is possible only when it is resolved or following up."
        );
        assert_eq!(
            wrong.localize(Lang::Zh),
            "不能办结：纠纷当前状态为“调解中”，只有“已化解”“回访中”状态下才可以。"
        );
        assert_eq!(wrong.to_string(), wrong.localize(Lang::En));
        let escalate = Refusal::WrongState {
            action: Escalate,
            status: Closed,
        };
        assert!(escalate
            .localize(Lang::En)
            .ends_with("reported, accepted, mediating, resolved, following up or reopened."));
        let cases = [
            (
                Role::Officer,
                "民警",
                "an officer may not decide an extension; ask the chief",
                DecideExtension,
            ),
            (
                Role::Supervisor,
                "法制监督",
                "supervisors read disputes but may not accept",
                Accept,
            ),
            (
                Role::Admin,
                "管理员",
                "administrators do not handle disputes and may not edit",
                Edit,
            ),
        ];
        for (role, zh, en, action) in cases {
            let r = Refusal::RoleMayNot { action, role };
            assert!(
                r.localize(Lang::En).contains(en),
                "{}",
                r.localize(Lang::En)
            );
            let z = r.localize(Lang::Zh);
            assert!(
                z.contains(zh) && z.contains(&action.localize(Lang::Zh)),
                "{z}"
            );
        }
    }

    #[test]
    fn every_action_has_both_labels() {
        for a in DisputeAction::ALL {
            assert!(!a.localize(Lang::Zh).is_empty());
            assert!(a.localize(Lang::En).is_ascii());
        }
    }
}
