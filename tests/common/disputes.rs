//! Dispute fixtures: drafts, parties and the forms of the workflow, all through the
//! service on the real store of a [`super::Bureau`].

use super::{create_person, Bureau};
use beatbook::model::{
    Dispute, DisputeDraft, DisputeStatus, Party, PartyRole, Person, SessionResult, Visit,
    VisitOutcome, VisitStatus,
};
use beatbook::service::{DoneForm, HandoverForm, ResolveForm, Service, Session, SessionForm};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT_PERSON: AtomicU32 = AtomicU32::new(0);

/// Surnames and given names for fixture persons that no search test looks for.
const SURNAMES: [&str; 8] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
];
const GIVEN: [&str; 6] = ["一", "二", "四", "五", "七", "九"];

/// A person of the session's station with a name no other call returns.
pub fn fresh_person(b: &Bureau, session: &Session) -> Person {
    let n = NEXT_PERSON.fetch_add(1, Ordering::Relaxed) as usize;
    let name = format!(
        "{}{}{}",
        SURNAMES[n % SURNAMES.len()],
        GIVEN[(n / SURNAMES.len()) % GIVEN.len()],
        GIVEN[(n / (SURNAMES.len() * GIVEN.len())) % GIVEN.len()]
    );
    create_person(&b.service, session, &name, "东关村")
}

/// Two fresh persons of the session's station.
pub fn fresh_pair(b: &Bureau, session: &Session) -> (Person, Person) {
    (fresh_person(b, session), fresh_person(b, session))
}

/// Parties in the order given: applicant, respondent, then others.
pub fn parties(persons: &[&Person]) -> Vec<Party> {
    persons
        .iter()
        .enumerate()
        .map(|(i, p)| Party {
            person: p.meta.id,
            role: match i {
                0 => PartyRole::Applicant,
                1 => PartyRole::Respondent,
                _ => PartyRole::Other,
            },
        })
        .collect()
}

/// A land dispute (category 03, homestead plots) between `persons`.
pub fn land_draft(title: &str, persons: &[&Person], indicators: &[&str]) -> DisputeDraft {
    DisputeDraft {
        title: title.into(),
        category: "03".into(),
        subcategory: "0302".into(),
        village: "东关村".into(),
        place: "东关村三组".into(),
        happened_on: String::new(),
        people_involved: String::new(),
        amount: "12000".into(),
        description: "两户因宅基地边界发生争执".into(),
        parties: parties(persons),
        indicators: indicators.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// Registers a land dispute through the service.
pub fn register(
    service: &Service,
    session: &Session,
    title: &str,
    persons: &[&Person],
    indicators: &[&str],
) -> Dispute {
    service
        .register_dispute(session, &land_draft(title, persons, indicators), None, None)
        .unwrap_or_else(|e| panic!("register {title}: {e}"))
}

/// A mediation session on `date` that reached an agreement.
pub fn session_form(date: &str) -> SessionForm {
    SessionForm {
        date: date.into(),
        participants: "双方当事人、村调解员".into(),
        method: "当面调解".into(),
        result: Some(SessionResult::Agreement),
        agreement: "以原界桩为准".into(),
        notes: String::new(),
    }
}

/// A successful resolution on `date`.
pub fn resolve_form(date: &str) -> ResolveForm {
    ResolveForm {
        date: date.into(),
        method: "当场调解".into(),
        success: true,
        how: "双方签订协议，重新埋设界桩".into(),
    }
}

/// A handover to `to` with a reference number.
pub fn handover_form(to: &str, reference: &str, date: &str, reason: &str) -> HandoverForm {
    HandoverForm {
        to: to.into(),
        reference: reference.into(),
        date: date.into(),
        reason: reason.into(),
    }
}

/// A visit found stable.
pub fn done_form() -> DoneForm {
    DoneForm {
        outcome: Some(VisitOutcome::Stable),
        agreement_honoured: Some(true),
        notes: "协议履行良好".into(),
        ..Default::default()
    }
}

/// Reads a dispute back from the store.
pub fn reload(b: &Bureau, d: &Dispute) -> Dispute {
    b.store()
        .get::<Dispute>(d.meta.id)
        .expect("store readable")
        .expect("dispute exists")
}

/// Every visit about a dispute, by due date.
pub fn visits_of(b: &Bureau, d: &Dispute) -> Vec<Visit> {
    let mut out: Vec<Visit> = b
        .store()
        .all::<Visit>()
        .map(|v| v.expect("visit readable"))
        .filter(|v| v.subject.dispute == Some(d.meta.id))
        .collect();
    out.sort_by_key(|v| (v.due, v.meta.id));
    out
}

/// The still-owed visits about a dispute.
pub fn open_visits_of(b: &Bureau, d: &Dispute) -> Vec<Visit> {
    visits_of(b, d)
        .into_iter()
        .filter(|v| v.status == VisitStatus::Scheduled)
        .collect()
}

/// The statuses of a dispute's history, in order.
pub fn history_statuses(d: &Dispute) -> Vec<(Option<DisputeStatus>, DisputeStatus)> {
    d.history.iter().map(|h| (h.from, h.to)).collect()
}
