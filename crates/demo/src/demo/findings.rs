//! The demo's supervision findings (执法巡查): a handful against 城关派出所, one in every
//! state and one overdue, so that `chief` and `officer` find findings to answer on Today
//! and `supervisor` finds some to judge in the findings list.

use crate::loader::Loader;
use beatbook_model::{
    Finding, FindingChange, FindingChangeKind, FindingStatus, FlagStatus, Id, Meta, TargetKind,
    Visit, VisitStatus,
};
use beatbook_service::ServiceError;
use beatbook_store::{Actor, Change, Write};
use chrono::{Days, NaiveDate};

/// One scripted finding: target kind, problem code, description, days ago it was found,
/// deadline in days from today (negative: past), and the steps after it
/// (kind, days ago, by whom, text).
struct Script {
    target: TargetKind,
    problem: &'static str,
    description: &'static str,
    found_days_ago: u64,
    deadline_in: i64,
    steps: &'static [(FindingChangeKind, u64, Who, &'static str)],
}

#[derive(Clone, Copy)]
enum Who {
    Supervisor,
    Chief,
    Officer,
}

const SCRIPTS: &[Script] = &[
    Script {
        target: TargetKind::Dispute,
        problem: "deadline_missed",
        description: "调解期限已过仍未化解，卷内无延期审批记录。",
        found_days_ago: 18,
        deadline_in: -3,
        steps: &[],
    },
    Script {
        target: TargetKind::Dispute,
        problem: "record_incomplete",
        description: "调解笔录缺少当事人签名，协议内容未入卷。",
        found_days_ago: 20,
        deadline_in: 4,
        steps: &[
            (
                FindingChangeKind::Rectified,
                10,
                Who::Chief,
                "已补充笔录签名并附协议复印件。",
            ),
            (
                FindingChangeKind::Returned,
                6,
                Who::Supervisor,
                "协议复印件未加盖调解委员会印章，请补正。",
            ),
        ],
    },
    Script {
        target: TargetKind::Visit,
        problem: "visit_not_made",
        description: "应访未访，且未记录未访原因和补访安排。",
        found_days_ago: 3,
        deadline_in: 7,
        steps: &[],
    },
    Script {
        target: TargetKind::Flag,
        problem: "watch_review_late",
        description: "重点人员未按期评估，列管等级依据未更新。",
        found_days_ago: 12,
        deadline_in: 3,
        steps: &[(
            FindingChangeKind::Rectified,
            2,
            Who::Officer,
            "已完成评估，补充了近期走访情况。",
        )],
    },
    Script {
        target: TargetKind::Dispute,
        problem: "wrong_procedure",
        description: "受理后未在24小时内向报告人反馈。",
        found_days_ago: 40,
        deadline_in: -25,
        steps: &[
            (
                FindingChangeKind::Rectified,
                30,
                Who::Officer,
                "已补反馈并登记反馈时间，组织全所学习受理程序。",
            ),
            (
                FindingChangeKind::Accepted,
                28,
                Who::Supervisor,
                "整改到位。",
            ),
        ],
    },
];

impl Loader<'_> {
    /// Writes the scripted findings against `station` (one commit). Targets are taken
    /// from what the demo already saved there; a script whose kind of target the station
    /// lacks is skipped.
    pub(super) fn demo_findings(&self, station: Id) -> Result<usize, ServiceError> {
        let today = self.today();
        let who = |name: &str| -> Result<(Id, String), ServiceError> {
            Ok(match self.store.officer_by_username(name)? {
                Some(o) => (o.meta.id, o.username),
                None => (Id::SYSTEM, "system".into()),
            })
        };
        let supervisor = who("supervisor")?;
        let chief = who("chief")?;
        let officer = who("officer")?;
        let disputes = self.store.station_disputes(station, &[])?;
        // The station's missed visits, latest due last. The visit indexes hold owed visits
        // only; the demo's few hundred visits are read whole.
        let mut visits = Vec::new();
        for visit in self.store.all::<Visit>() {
            let visit = visit?;
            if visit.meta.station == station
                && visit.status == VisitStatus::Missed
                && visit.due <= today
            {
                visits.push(visit);
            }
        }
        visits.sort_by_key(|v| (v.due, v.meta.id));
        let flags = self.store.station_flags(station, FlagStatus::Active)?;
        let mut next_dispute = disputes.iter();
        let mut change =
            Change::new("demo.findings", &Actor::system(), self.now_utc()).station(station);
        for script in SCRIPTS {
            let (target_id, label) = match script.target {
                TargetKind::Dispute => match next_dispute.next() {
                    Some(d) => (d.id, d.title.clone()),
                    None => continue,
                },
                TargetKind::Visit => match visits.last() {
                    Some(v) => {
                        let name = match v.subject.person {
                            Some(p) => self.person_name(station, p)?,
                            None => String::new(),
                        };
                        (
                            v.meta.id,
                            format!("{name} {} {}", v.due.format("%m-%d"), v.purpose),
                        )
                    }
                    None => continue,
                },
                TargetKind::Flag => match flags.first() {
                    Some(f) => (f.id, self.person_name(station, f.person)?),
                    None => continue,
                },
            };
            let day = |ago: u64| today.checked_sub_days(Days::new(ago)).unwrap_or(today);
            let found = day(script.found_days_ago);
            let deadline = if script.deadline_in < 0 {
                day(script.deadline_in.unsigned_abs())
            } else {
                today
                    .checked_add_days(Days::new(script.deadline_in.unsigned_abs()))
                    .unwrap_or(NaiveDate::MAX)
            };
            let step = |kind, on: NaiveDate, by: &(Id, String), text: &str| FindingChange {
                at: self.local_time(on, 10, 0),
                on,
                by: by.0,
                by_name: by.1.clone(),
                kind,
                text: text.to_string(),
            };
            let mut finding = Finding {
                meta: Meta::new(station, self.local_time(found, 10, 0), supervisor.0),
                target: script.target,
                target_id,
                target_label: label,
                problem: script.problem.to_string(),
                description: script.description.to_string(),
                deadline,
                status: FindingStatus::Open,
                opened_on: found,
                rectification: None,
                history: vec![step(
                    FindingChangeKind::Opened,
                    found,
                    &supervisor,
                    script.description,
                )],
            };
            for (kind, ago, by, text) in script.steps {
                let by = match by {
                    Who::Supervisor => &supervisor,
                    Who::Chief => &chief,
                    Who::Officer => &officer,
                };
                finding.history.push(step(*kind, day(*ago), by, text));
                finding.status = match kind {
                    FindingChangeKind::Rectified => {
                        finding.rectification = Some(text.to_string());
                        FindingStatus::Rectified
                    }
                    FindingChangeKind::Accepted => FindingStatus::Accepted,
                    FindingChangeKind::Returned => FindingStatus::Returned,
                    FindingChangeKind::Opened => FindingStatus::Open,
                };
            }
            change.writes.push(Write::Put(Box::new(finding.into())));
        }
        let n = change.writes.len();
        if n > 0 {
            self.store.commit(&change)?;
        }
        Ok(n)
    }
}
