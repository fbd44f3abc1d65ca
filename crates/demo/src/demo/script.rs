//! The first station's disputes, told so that each demo account finds its work on the
//! first login: the `officer` has deadlines overdue and due within 24 hours, feedback owed,
//! a red dispute without contact, follow-ups made and owed (one overdue), a dispute ready
//! to close and a recurrence between the same neighbours; the `chief` has an extension to
//! decide and deadlines of their own; referred, escalated, closed and reopened disputes
//! complete the statuses, and the cases cover every category.
//!
//! Dates are days before "today" and follow the configured time limits, so the deadlines
//! land where the story wants them whatever a bureau's `disputes.toml` says.

use super::lifecycle::{back, Step};
use beatbook_core::config::TimeLimits;
use beatbook_model::SessionResult;
use chrono::NaiveDate;

/// One dispute of the first station's story.
pub(crate) struct Script {
    /// Part of the case's title (see `cases::CASES`).
    pub case: &'static str,
    /// Who it is assigned to (a username of the first station).
    pub who: &'static str,
    pub ticked: &'static [&'static str],
    pub complex: bool,
    pub reported: NaiveDate,
    pub steps: Vec<Step>,
    /// The script (by position) whose parties quarrel again: a recurrence.
    pub recurs: Option<usize>,
}

/// The story, relative to `t` (today).
pub(crate) fn first_station(t: NaiveDate, limits: &TimeLimits) -> Vec<Script> {
    let ord = u64::from(limits.ordinary_days);
    let cpx = u64::from(limits.complex_days);
    let d = |days: u64| back(t, days);
    let accept = |on: NaiveDate| Step::Accept { on, feedback: true };
    let session = |on: NaiveDate, result: SessionResult| Step::Session { on, result };
    let agreed = |on: NaiveDate| Step::Session {
        on,
        result: SessionResult::Agreement,
    };
    let resolve = |on: NaiveDate, leave_owed: usize| Step::Resolve { on, leave_owed };
    use SessionResult::{NoAgreement, PartialAgreement};
    vec![
        // 0: the old quarrel the recurrence (9) goes back to; closed long ago.
        Script {
            case: "占道堆放杂物",
            who: "officer",
            ticked: &[],
            complex: false,
            reported: d(200),
            steps: vec![
                accept(d(200)),
                agreed(d(199)),
                resolve(d(199), 0),
                Step::Close { on: d(160) },
            ],
            recurs: None,
        },
        // 1: red, mediation deadline two days overdue, no contact for days.
        Script {
            case: "宅基地边界",
            who: "officer",
            ticked: &["weapons", "violence_threat"],
            complex: false,
            reported: d(ord + 3),
            steps: vec![accept(d(ord + 2)), session(d(ord + 1), NoAgreement)],
            recurs: None,
        },
        // 2: orange group wage dispute, deadline today.
        Script {
            case: "拖欠工资",
            who: "officer",
            ticked: &["group", "petition_threat", "large_amount"],
            complex: false,
            reported: d(ord + 1),
            steps: vec![accept(d(ord))],
            recurs: None,
        },
        // 3: accepted this morning, feedback to the reporting party still owed.
        Script {
            case: "邻里噪音",
            who: "officer",
            ticked: &[],
            complex: false,
            reported: t,
            steps: vec![Step::Accept {
                on: t,
                feedback: false,
            }],
            recurs: None,
        },
        // 4: complex, extension request waiting for the chief.
        Script {
            case: "借款未还",
            who: "officer",
            ticked: &["large_amount"],
            complex: true,
            reported: d(cpx.saturating_sub(1)),
            steps: vec![
                accept(d(cpx.saturating_sub(2))),
                session(d(cpx.saturating_sub(4)), PartialAgreement),
                session(d(3), NoAgreement),
                Step::Extension {
                    on: d(1),
                    days: 10,
                    approve: None,
                },
            ],
            recurs: None,
        },
        // 5: following up: day 1, 3 and 7 made, day 30 owed.
        Script {
            case: "交通事故",
            who: "officer",
            ticked: &["large_amount"],
            complex: true,
            reported: d(17),
            steps: vec![
                accept(d(16)),
                session(d(12), PartialAgreement),
                agreed(d(10)),
                resolve(d(10), 0),
            ],
            recurs: None,
        },
        // 6: resolved yesterday: the day-1 visit is due today.
        Script {
            case: "房屋漏水",
            who: "officer",
            ticked: &[],
            complex: false,
            reported: d(5),
            steps: vec![accept(d(4)), agreed(d(1)), resolve(d(1), 0)],
            recurs: None,
        },
        // 7: following up with the day-7 visit overdue.
        Script {
            case: "土地承包",
            who: "officer",
            ticked: &[],
            complex: false,
            reported: d(15),
            steps: vec![accept(d(14)), agreed(d(9)), resolve(d(9), 1)],
            recurs: None,
        },
        // 8: every follow-up made: the chief may close it.
        Script {
            case: "排水沟",
            who: "officer",
            ticked: &[],
            complex: false,
            reported: d(41),
            steps: vec![accept(d(40)), agreed(d(35)), resolve(d(35), 0)],
            recurs: None,
        },
        // 9: the same neighbours again within the year: implied repeat indicators,
        // with prior violence red.
        Script {
            case: "占道堆放杂物",
            who: "officer",
            ticked: &["prior_violence"],
            complex: false,
            reported: d(4),
            steps: vec![accept(d(3)), session(d(1), NoAgreement)],
            recurs: Some(0),
        },
        // 10: red threat of self-harm, reported yesterday, not yet accepted.
        Script {
            case: "拆迁安置",
            who: "officer",
            ticked: &["self_harm_threat"],
            complex: true,
            reported: d(1),
            steps: Vec::new(),
            recurs: None,
        },
        // 11: the chief's own: orange, one day overdue.
        Script {
            case: "赡养老人",
            who: "chief",
            ticked: &["prior_violence"],
            complex: false,
            reported: d(ord + 2),
            steps: vec![
                accept(d(ord + 1)),
                session(d(ord.saturating_sub(1)), NoAgreement),
            ],
            recurs: None,
        },
        // 12: the chief's own, deadline today.
        Script {
            case: "装修合同",
            who: "chief",
            ticked: &[],
            complex: false,
            reported: d(ord),
            steps: vec![accept(d(ord))],
            recurs: None,
        },
        // 13: closed with its evaluation.
        Script {
            case: "婚后财产",
            who: "cg.zhaolei",
            ticked: &["alcohol"],
            complex: true,
            reported: d(82),
            steps: vec![
                accept(d(81)),
                session(d(76), NoAgreement),
                agreed(d(70)),
                resolve(d(70), 0),
                Step::Close { on: d(38) },
            ],
            recurs: None,
        },
        // 14: referred to the court.
        Script {
            case: "合伙经营",
            who: "cg.sunli",
            ticked: &["large_amount"],
            complex: true,
            reported: d(21),
            steps: vec![
                accept(d(20)),
                session(d(18), NoAgreement),
                Step::HandOver {
                    on: d(15),
                    escalate: false,
                },
            ],
            recurs: None,
        },
        // 15: escalated to a case.
        Script {
            case: "家庭暴力",
            who: "cg.zhaolei",
            ticked: &["prior_violence", "alcohol", "minors"],
            complex: false,
            reported: d(12),
            steps: vec![
                accept(d(12)),
                Step::HandOver {
                    on: d(11),
                    escalate: true,
                },
            ],
            recurs: None,
        },
        // 16: closed, then flared up again (复发).
        Script {
            case: "犬只伤人",
            who: "cg.sunli",
            ticked: &[],
            complex: false,
            reported: d(62),
            steps: vec![
                accept(d(61)),
                agreed(d(60)),
                resolve(d(60), 0),
                Step::Close { on: d(25) },
                Step::Reopen { on: d(2) },
            ],
            recurs: None,
        },
        // 17: red, extension approved by the chief.
        Script {
            case: "灌溉用水",
            who: "cg.zhaolei",
            ticked: &["weapons"],
            complex: true,
            reported: d(cpx + 2),
            steps: vec![
                accept(d(cpx + 1)),
                session(d(10), NoAgreement),
                Step::Extension {
                    on: d(3),
                    days: 7,
                    approve: Some(true),
                },
            ],
            recurs: None,
        },
        // 18: closed long ago.
        Script {
            case: "网络言语侮辱",
            who: "chief",
            ticked: &[],
            complex: false,
            reported: d(101),
            steps: vec![
                accept(d(100)),
                agreed(d(95)),
                resolve(d(95), 0),
                Step::Close { on: d(60) },
            ],
            recurs: None,
        },
        // 19: orange, extension rejected.
        Script {
            case: "诊所医疗",
            who: "cg.sunli",
            ticked: &["group", "petition_threat"],
            complex: true,
            reported: d(7),
            steps: vec![
                accept(d(6)),
                session(d(2), PartialAgreement),
                Step::Extension {
                    on: d(1),
                    days: 7,
                    approve: Some(false),
                },
            ],
            recurs: None,
        },
    ]
}
