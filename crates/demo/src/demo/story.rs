//! Why people are visited and what officers wrote down: the visit rhythms (GLOSSARY.md,
//! Visits) turned into chains of visits (done or missed in the past weeks, one still
//! owed), with notes in the register an officer would use.

use super::people::{one, weighted};
use beatbook_model::{VisitMethod, VisitOutcome, VisitStatus};
use chrono::{Days, NaiveDate};
use fastrand::Rng;

/// A reason to visit someone regularly.
pub(crate) struct Rhythm {
    pub purpose: &'static str,
    pub every_days: u32,
    /// Age range of the people it concerns.
    pub ages: (u32, u32),
    /// What the person record says about them.
    pub person_notes: &'static [&'static str],
    /// The watch-list category of the people it concerns (`defaults/watch.toml`).
    pub category: &'static str,
}

pub(crate) const RHYTHMS: &[Rhythm] = &[
    Rhythm {
        category: "stability",
        purpose: "重点人员定期走访",
        every_days: 14,
        ages: (25, 65),
        person_notes: &[
            "涉稳重点人员，橙色管控，每两周走访一次。",
            "因土地征收补偿问题多次到县里反映，需稳控。",
            "曾扬言报复邻居，黄色关注。",
        ],
    },
    Rhythm {
        category: "correction",
        purpose: "社区矫正人员走访",
        every_days: 7,
        ages: (20, 55),
        person_notes: &[
            "社区矫正对象（缓刑），矫正期两年，由司法所共同管理。",
            "社区矫正对象，判处管制一年，需每周报到。",
        ],
    },
    Rhythm {
        category: "mental",
        purpose: "严重精神障碍患者随访",
        every_days: 14,
        ages: (22, 70),
        person_notes: &[
            "精神分裂症，监护人为其母，需按时服药。",
            "双相情感障碍，曾有肇事记录，监护人为其兄。",
        ],
    },
    Rhythm {
        category: "released",
        purpose: "刑满释放人员帮教回访",
        every_days: 30,
        ages: (25, 60),
        person_notes: &[
            "因盗窃罪服刑三年，去年刑满释放，在家务农。",
            "因故意伤害罪服刑，刑满释放后在县城务工。",
        ],
    },
    Rhythm {
        category: "drugs",
        purpose: "涉毒人员定期见面",
        every_days: 30,
        ages: (20, 50),
        person_notes: &[
            "社区康复人员，需定期尿检。",
            "戒毒所解除强制隔离戒毒后回村。",
        ],
    },
    Rhythm {
        category: "youth",
        purpose: "重点青少年关爱走访",
        every_days: 14,
        ages: (13, 17),
        person_notes: &[
            "留守儿童，父母在外务工，与祖母同住。",
            "已辍学，常在网吧逗留，与社会闲散人员来往。",
        ],
    },
    Rhythm {
        category: "petition",
        purpose: "重点信访人员稳控走访",
        every_days: 7,
        ages: (40, 75),
        person_notes: &["因宅基地纠纷多次信访，扬言进京上访。"],
    },
    Rhythm {
        category: "other",
        purpose: "独居老人安全走访",
        every_days: 30,
        ages: (70, 88),
        person_notes: &["独居，子女在外地，防范电信诈骗重点对象。"],
    },
];

pub(crate) const DONE_NOTES: &[&str] = &[
    "本人在家，情绪稳定，近期在县城打零工。",
    "与家属交谈，家属反映其近况良好，按时服药。",
    "走访邻居和村干部，反映其近期无异常。",
    "电话联系本人，表示生活正常，无新的诉求。",
    "告知近期注意事项，本人签收了告知书。",
    "家庭经济困难，已联系村委会协助申请临时救助。",
    "本人在外地务工，视频通话确认在岗。",
    "与网格员一同走访，了解其思想动态，无异常。",
];

pub(crate) const DISPUTE_NOTES: &[&str] = &[
    "双方按调解协议履行，未再发生争执。",
    "协议按约履行中，申请人表示满意。",
    "电话回访申请人，表示已无异议。",
    "与村调解员一同回访，双方关系缓和。",
    "协议约定的事项已落实，双方均认可。",
];

pub(crate) const WORSENED_NOTES: &[&str] = &[
    "本人情绪激动，言语中有过激表述，已做疏导，报所长关注。",
    "近期饮酒较多，与家人发生争吵，需增加走访频次。",
    "对方未按期支付剩余款项，申请人不满，已督促履行。",
];

pub(crate) const MISSED_REASONS: &[&str] = &[
    "本人外出务工，家中无人",
    "电话关机，联系不上",
    "临时出警，未能按时走访",
    "本人在外地就医",
    "家属称其外出，未见到本人",
];

pub(crate) const RESCHEDULE_REASONS: &[&str] = &[
    "本人外出，约定改期",
    "汛期值班，顺延走访",
    "与司法所协调后统一时间",
];

/// One visit of a chain, before it gets ids and an officer.
pub(crate) struct Planned {
    pub due: NaiveDate,
    pub status: VisitStatus,
    pub purpose: String,
    pub method: VisitMethod,
    pub outcome: Option<VisitOutcome>,
    pub notes: String,
    /// Miss or reschedule reason.
    pub reason: String,
    pub agreement_honoured: Option<bool>,
    /// For an owed visit that was moved once: the original due date.
    pub rescheduled_from: Option<NaiveDate>,
}

/// Why the demo registers a resident.
pub(crate) enum Topic<'a> {
    /// Visited on a rhythm (watch list, community correction …).
    Rhythm(&'a Rhythm),
    /// A party to disputes (the follow-up visits come with the dispute records).
    Party,
}

/// How far back the demo's history reaches.
pub(crate) const HISTORY_DAYS: u64 = 56;

fn method(rng: &mut Rng) -> VisitMethod {
    *weighted(
        rng,
        &[
            (VisitMethod::InPerson, 70),
            (VisitMethod::Phone, 20),
            (VisitMethod::Messaging, 7),
            (VisitMethod::AtStation, 3),
        ],
    )
}

/// When a chain's owed visit falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    /// That many days overdue.
    Overdue(u64),
    Today,
    /// In the coming weeks: within one rhythm period, so the chain's previous visit is
    /// in the past.
    Upcoming,
}

/// Some overdue, some due today, most in the coming weeks.
pub(crate) fn pick_when(rng: &mut Rng) -> When {
    match rng.u32(0..100) {
        0..=11 => When::Overdue(rng.u64(1..=12)),
        12..=21 => When::Today,
        _ => When::Upcoming,
    }
}

/// The visits of a rhythm, ending with the one still owed. Earlier links lie in the past
/// (up to [`HISTORY_DAYS`] back) and are done or missed.
pub(crate) fn chain(rng: &mut Rng, rhythm: &Rhythm, today: NaiveDate, when: When) -> Vec<Planned> {
    let oldest = today - Days::new(HISTORY_DAYS);
    let period = u64::from(rhythm.every_days);
    let mut due = match when {
        When::Overdue(days) => today - Days::new(days),
        When::Today => today,
        When::Upcoming => today + Days::new(rng.u64(1..period.max(2))),
    };
    let mut dues: Vec<NaiveDate> = Vec::new();
    while due >= oldest {
        dues.push(due);
        match due.checked_sub_days(Days::new(period)) {
            Some(d) => due = d,
            None => break,
        }
    }
    dues.reverse();
    let last = dues.len().saturating_sub(1);
    dues.into_iter()
        .enumerate()
        .map(|(i, due)| {
            let purpose = rhythm.purpose.to_string();
            if i == last {
                owed(rng, due, purpose, today)
            } else {
                past(rng, due, purpose)
            }
        })
        .collect()
}

fn owed(rng: &mut Rng, due: NaiveDate, purpose: String, today: NaiveDate) -> Planned {
    let moved = due >= today && rng.u32(0..100) < 10;
    Planned {
        due,
        status: VisitStatus::Scheduled,
        purpose,
        method: method(rng),
        outcome: None,
        notes: String::new(),
        reason: if moved {
            one(rng, RESCHEDULE_REASONS).to_string()
        } else {
            String::new()
        },
        agreement_honoured: None,
        rescheduled_from: moved.then(|| due - Days::new(rng.u64(2..6))),
    }
}

fn past(rng: &mut Rng, due: NaiveDate, purpose: String) -> Planned {
    let roll = rng.u32(0..100);
    let (status, outcome, notes, reason) = if roll < 12 {
        let reason = one(rng, MISSED_REASONS).to_string();
        (VisitStatus::Missed, None, String::new(), reason)
    } else {
        let outcome = *weighted(
            rng,
            &[
                (VisitOutcome::Stable, 62),
                (VisitOutcome::Improved, 28),
                (VisitOutcome::Worsened, 7),
                (VisitOutcome::NotReached, 3),
            ],
        );
        let notes = match outcome {
            VisitOutcome::Worsened => one(rng, WORSENED_NOTES),
            VisitOutcome::NotReached => "上门未见到本人，已留联系卡，请其回电。",
            _ => one(rng, DONE_NOTES),
        };
        (
            VisitStatus::Done,
            Some(outcome),
            notes.to_string(),
            String::new(),
        )
    };
    Planned {
        due,
        status,
        purpose,
        method: method(rng),
        outcome,
        notes,
        reason,
        agreement_honoured: None,
        rescheduled_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_end_with_the_owed_visit_and_keep_the_past_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let mut rng = Rng::with_seed(3);
        for i in 0..300 {
            let when = pick_when(&mut rng);
            let visits = chain(&mut rng, &RHYTHMS[i % RHYTHMS.len()], today, when);
            let (owed, past) = visits.split_last().expect("at least the owed visit");
            assert_eq!(owed.status, VisitStatus::Scheduled);
            match when {
                When::Overdue(days) => assert_eq!((today - owed.due).num_days(), days as i64),
                When::Today => assert_eq!(owed.due, today),
                When::Upcoming => assert!(owed.due > today),
            }
            for v in past {
                assert!(v.due < today, "{} not before {today}", v.due);
                assert_ne!(v.status, VisitStatus::Scheduled);
            }
            assert!(visits.windows(2).all(|w| w[0].due < w[1].due));
        }
    }
}
