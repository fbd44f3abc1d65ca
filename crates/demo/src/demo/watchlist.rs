//! Watch-list flags for the demo and `seed`: a flag with its history (listed, now and then
//! a lowering or removal waiting for the chief), the rolling visits its level demands (done
//! or missed in the past weeks, one owed), and the alerts those records imply (two misses
//! in a row, a review past its date), built in bulk like the disputes.

use super::people::{one, weighted};
use super::story::{chain, pick_when, When, MISSED_REASONS};
use super::IdSeq;
use crate::loader::Loader;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{
    Alert, AlertReason, FlagChange, FlagChangeKind, FlagPerson, FlagStatus, Id, Meta,
    PendingChange, RiskLevel, Visit, VisitStatus, WatchFlag,
};
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use fastrand::Rng;

/// Why people of one category are listed, and who listed them.
pub(crate) struct WatchCase {
    pub category: &'static str,
    pub subcategories: &'static [&'static str],
    pub bases: &'static [&'static str],
    pub sources: &'static [&'static str],
}

/// One case per default category (`defaults/watch.toml`).
pub(crate) const WATCH_CASES: &[WatchCase] = &[
    WatchCase {
        category: "stability",
        subcategories: &[],
        bases: &[
            "因征地补偿问题多次组织村民聚集，扬言到县政府讨说法。",
            "参与非法集资受损，多次串联其他受损群众。",
        ],
        sources: &["县局维稳办交办", "社区民警排查"],
    },
    WatchCase {
        category: "six_loss",
        subcategories: &["job", "love", "family", "money"],
        bases: &[
            "近期失业且离婚，情绪低落，曾在微信群发表轻生言论。",
            "经营失败负债累累，被多名债主催讨，情绪不稳。",
        ],
        sources: &["村委会报告", "网格员上报"],
    },
    WatchCase {
        category: "mental",
        subcategories: &[],
        bases: &[
            "经县精神卫生中心诊断为精神分裂症，曾有肇事记录。",
            "双相情感障碍，停药后曾持刀威胁家人。",
        ],
        sources: &["卫健部门推送", "派出所处警发现"],
    },
    WatchCase {
        category: "drugs",
        subcategories: &[],
        bases: &[
            "解除强制隔离戒毒后回村，处于社区康复期。",
            "有吸毒前科，社区戒毒期间需定期尿检。",
        ],
        sources: &["禁毒大队交办", "社区民警排查"],
    },
    WatchCase {
        category: "released",
        subcategories: &[],
        bases: &[
            "因盗窃罪服刑三年，今年刑满释放回村。",
            "因故意伤害罪服刑五年，刑满释放，无固定工作。",
        ],
        sources: &["监狱刑满释放通知书", "司法所衔接"],
    },
    WatchCase {
        category: "correction",
        subcategories: &[],
        bases: &[
            "判处有期徒刑一年缓刑两年，社区矫正期间。",
            "判处管制一年，由司法所与派出所共同管理。",
        ],
        sources: &["司法所衔接", "县法院判决书"],
    },
    WatchCase {
        category: "youth",
        subcategories: &["idle", "bad_behaviour", "left_behind", "inmates_children"],
        bases: &[
            "已辍学，常在网吧逗留，与社会闲散人员来往。",
            "留守儿童，父母在外务工，多次夜不归宿。",
        ],
        sources: &["学校报告", "村委会报告"],
    },
    WatchCase {
        category: "petition",
        subcategories: &[],
        bases: &[
            "因宅基地纠纷多次越级上访，扬言进京。",
            "对法院判决不服，长期重复信访。",
        ],
        sources: &["县信访局交办", "乡镇综治办通报"],
    },
    WatchCase {
        category: "other",
        subcategories: &[],
        bases: &["独居老人，多次接到诈骗电话，防范电信诈骗重点对象。"],
        sources: &["社区民警排查"],
    },
];

/// The watch case for a rhythm's category code (`other` when unknown).
pub(crate) fn case_for(category: &str) -> usize {
    WATCH_CASES
        .iter()
        .position(|c| c.category == category)
        .unwrap_or(WATCH_CASES.len() - 1)
}

/// What makes one flag worth showing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Twist {
    /// When the owed visit falls; None: at random.
    pub when: Option<When>,
    /// The last two visits were missed (an open alert).
    pub missed_twice: bool,
    /// The review date passed (an open alert).
    pub review_overdue: bool,
    /// A red flag's lowering (or removal) waits for the chief.
    pub pending: bool,
}

/// A listed person's records.
pub(crate) struct Listed {
    pub flag: WatchFlag,
    pub visits: Vec<Visit>,
    pub alerts: Vec<Alert>,
}

/// The level of a station's next flag, given the levels it has (`have`): first every
/// level missing, then mostly yellow and blue (more red and orange where `hot`).
pub(crate) fn pick_level(rng: &mut Rng, have: &[RiskLevel], hot: bool) -> RiskLevel {
    const CYCLE: [RiskLevel; 4] = [
        RiskLevel::Red,
        RiskLevel::Orange,
        RiskLevel::Yellow,
        RiskLevel::Blue,
    ];
    if let Some(level) = CYCLE.iter().find(|l| !have.contains(l)) {
        return *level;
    }
    let table: &[(RiskLevel, u32)] = if hot {
        &[
            (RiskLevel::Red, 25),
            (RiskLevel::Orange, 30),
            (RiskLevel::Yellow, 30),
            (RiskLevel::Blue, 15),
        ]
    } else {
        &[
            (RiskLevel::Red, 6),
            (RiskLevel::Orange, 18),
            (RiskLevel::Yellow, 40),
            (RiskLevel::Blue, 36),
        ]
    };
    *weighted(rng, table)
}

fn back(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

fn ahead(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

impl Loader<'_> {
    /// A person put on the watch list at `level` for `WATCH_CASES[case]`, visited by
    /// `officer` at the level's rhythm, with the records `twist` asks for. `listed_as` is
    /// the person as the flag must show them (`FlagPerson::of` the person written).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn listed(
        &self,
        rng: &mut Rng,
        ids: &mut IdSeq,
        (station, officer): (Id, Id),
        (person, person_created, listed_as): (Id, DateTime<Utc>, FlagPerson),
        case: usize,
        level: RiskLevel,
        twist: Twist,
    ) -> Listed {
        let config = &self.settings.watch;
        let today = self.today();
        let now = self.now_utc();
        let case = WATCH_CASES.get(case).unwrap_or(&WATCH_CASES[0]);
        let every = u64::from(config.visit_every_days(level));
        let review_every = u64::from(config.review_every_days(level));
        let rhythm = super::story::Rhythm {
            purpose: "",
            every_days: config.visit_every_days(level),
            ages: (0, 0),
            person_notes: &[],
            category: case.category,
        };
        let when = twist.when.unwrap_or_else(|| pick_when(rng));
        let mut planned = chain(rng, &rhythm, today, when);
        let purpose = format!("重点人员定期走访（{}）", level.localize(Lang::Zh));
        for p in &mut planned {
            p.purpose = purpose.clone();
        }
        let past = planned.len().saturating_sub(1);
        if twist.missed_twice && past >= 2 {
            for p in &mut planned[past - 2..past] {
                p.status = VisitStatus::Missed;
                p.outcome = None;
                p.notes = String::new();
                p.reason = one(rng, MISSED_REASONS).to_string();
            }
        }
        let missed = planned[..past]
            .iter()
            .rev()
            .take_while(|p| p.status == VisitStatus::Missed)
            .count() as u32;
        let first_due = planned.first().map(|p| p.due).unwrap_or(today);
        let owed_due = planned.last().map(|p| p.due).unwrap_or(today);
        let last_contact = planned[..past]
            .iter()
            .rev()
            .find(|p| p.status == VisitStatus::Done)
            .map(|p| p.due)
            .or_else(|| Some(back(owed_due, every).min(back(today, 1))));
        let created_on = person_created.date_naive();
        let added_on = back(first_due, every)
            .min(last_contact.unwrap_or(today))
            .max(created_on)
            .min(back(today, 1));
        let next_review = if twist.review_overdue {
            back(today, rng.u64(1..9))
        } else {
            ahead(today, rng.u64(1..=review_every.max(1)))
        };
        let basis = one(rng, case.bases).to_string();
        let mut categories = vec![case.category.to_string()];
        if rng.u32(0..100) < 12 && case.category != "stability" {
            categories.push("stability".to_string());
        }
        let subcategories = if case.subcategories.is_empty() {
            Vec::new()
        } else {
            vec![one(rng, case.subcategories).to_string()]
        };
        let added_at = self.local_time(added_on, 10, rng.u32(0..60)).min(now);
        let mut history = vec![FlagChange {
            at: added_at,
            by: officer,
            kind: FlagChangeKind::Added,
            from_level: None,
            to_level: Some(level),
            reason: basis.clone(),
        }];
        let pending = (twist.pending && level == RiskLevel::Red).then(|| {
            let removal = rng.u32(0..3) == 0;
            let at = (now - TimeDelta::hours(rng.i64(2..30))).max(added_at);
            let reason = if removal {
                "矫正期满，近三个月走访均稳定，申请撤销列管。"
            } else {
                "近两个月情绪稳定，按时服药，家属监护到位，申请降为橙色。"
            };
            let to_level = (!removal).then_some(RiskLevel::Orange);
            history.push(FlagChange {
                at,
                by: officer,
                kind: if removal {
                    FlagChangeKind::RemovalRequested
                } else {
                    FlagChangeKind::LoweringRequested
                },
                from_level: Some(level),
                to_level,
                reason: reason.to_string(),
            });
            PendingChange {
                to_level,
                reason: reason.to_string(),
                requested_by: officer,
                requested_at: at,
            }
        });
        let mut meta = Meta::new(station, added_at, officer);
        meta.id = ids.next();
        let flag = WatchFlag {
            meta,
            person,
            categories,
            subcategories,
            level,
            basis,
            source: one(rng, case.sources).to_string(),
            responsible: officer,
            added_on,
            next_review,
            status: FlagStatus::Active,
            pending,
            last_contact,
            missed_in_a_row: missed,
            history,
            listed_as,
        };
        let mut visits = self.chain_records(rng, ids, station, officer, person, added_at, &planned);
        for v in &mut visits {
            v.rolling = true;
        }
        let mut alerts = Vec::new();
        if missed >= config.missed_in_a_row_alert {
            let on = planned[past - 1].due;
            alerts.push(self.demo_alert(
                ids,
                &flag,
                AlertReason::MissedVisits { count: missed },
                on,
            ));
        }
        if next_review < today {
            alerts.push(self.demo_alert(
                ids,
                &flag,
                AlertReason::ReviewOverdue { due: next_review },
                ahead(next_review, 1),
            ));
        }
        Listed {
            flag,
            visits,
            alerts,
        }
    }

    /// An open alert about `flag` raised on `on`.
    pub(crate) fn demo_alert(
        &self,
        ids: &mut IdSeq,
        flag: &WatchFlag,
        reason: AlertReason,
        on: NaiveDate,
    ) -> Alert {
        let on = on.min(self.today());
        let mut meta = Meta::new(
            flag.meta.station,
            self.local_time(on, 18, 0).min(self.now_utc()),
            Id::SYSTEM,
        );
        meta.id = ids.next();
        Alert {
            meta,
            person: flag.person,
            reason,
            officer: flag.responsible,
            raised_on: on,
            acknowledged_by: None,
            acknowledged_at: None,
        }
    }
}
