//! The 人民调解协议书 (People's Mediation Law, Arts. 28–29, 31, 33): the parties'
//! particulars, the facts and matters in dispute, the agreed terms, the manner and
//! deadline of performance, the copies, and lines for every signature and the seal.
//!
//! What the records lack (a party's ethnicity or occupation, how the terms are
//! performed) is asked before printing ([`Service::agreement_ask`]) and saved with the
//! records ([`Service::complete_agreement`]), so that a reprint says the same. The number
//! is given on first completion, per station and year, and kept on the dispute.

use super::{paper_date, Composed};
use crate::names::Names;
use crate::reading::{check_revision, check_writable};
use crate::{Service, ServiceError, Session};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{
    AgreementPaper, Dispute, DisputeStatus, Field, Gender, Id, MediationSession, Party, PartyRole,
    Person, SessionResult,
};
use beatbook_paper::Block;
use beatbook_store::Kind;
use chrono::Datelike;

/// What the agreement of a dispute still needs, for the form that asks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementAsk {
    pub dispute: Id,
    pub revision: u64,
    pub title: String,
    pub parties: Vec<PartyAsk>,
    /// As recorded (empty when never printed).
    pub manner: String,
    pub due: String,
    /// The number, once given.
    pub number: Option<String>,
}

/// One party and the particulars the agreement needs that its record lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyAsk {
    pub person: Id,
    pub revision: u64,
    pub name: String,
    pub role: PartyRole,
    /// In the order the form asks them.
    pub missing: Vec<Field>,
}

impl AgreementAsk {
    /// Nothing left to ask: the agreement can be printed as it is.
    pub fn complete(&self) -> bool {
        self.parties.iter().all(|p| p.missing.is_empty()) && !self.manner.trim().is_empty()
    }
}

/// The answers of the form: how and by when the terms are performed, and per party the
/// missing particulars as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgreementAnswers {
    pub manner: String,
    pub due: String,
    pub parties: Vec<(Id, Vec<(Field, String)>)>,
}

/// The particulars the agreement prints for each party, in the form's order.
const PARTICULARS: [Field; 6] = [
    Field::Gender,
    Field::Ethnicity,
    Field::BirthDate,
    Field::Occupation,
    Field::Address,
    Field::Phone,
];

fn missing_of(p: &Person) -> Vec<Field> {
    PARTICULARS
        .into_iter()
        .filter(|f| match f {
            Field::Gender => p.gender == Gender::Unknown,
            Field::Ethnicity => p.ethnicity.trim().is_empty(),
            Field::BirthDate => p.birth_date.is_none(),
            Field::Occupation => p.occupation.trim().is_empty(),
            Field::Address => p.address.trim().is_empty(),
            _ => p.phone.is_none(),
        })
        .collect()
}

impl Service {
    /// The dispute's agreement session: the last one that reached (partial) agreement.
    fn agreement_session(d: &Dispute) -> Result<&MediationSession, ServiceError> {
        d.sessions
            .iter()
            .rev()
            .find(|s| {
                matches!(
                    s.result,
                    SessionResult::Agreement | SessionResult::PartialAgreement
                )
            })
            .ok_or(ServiceError::NoAgreement)
    }

    /// What the agreement of dispute `id` still needs. Printing an agreement writes its
    /// number on the dispute, so only the station's own staff may.
    pub fn agreement_ask(&self, session: &Session, id: Id) -> Result<AgreementAsk, ServiceError> {
        self.authorize(session)?;
        Ok(self.agreement_state(session, id)?.1)
    }

    /// The dispute of an agreement the session may print, and what it still needs.
    fn agreement_state(
        &self,
        session: &Session,
        id: Id,
    ) -> Result<(Dispute, AgreementAsk), ServiceError> {
        self.authorize(session)?;
        let d = self.readable::<Dispute>(session, id)?;
        check_writable(session, d.meta.station)?;
        Self::agreement_session(&d)?;
        let mut parties = Vec::new();
        for Party { person, role } in &d.parties {
            let p = self.record::<Person>(*person)?;
            parties.push(PartyAsk {
                person: *person,
                revision: p.meta.revision,
                name: p.name.clone(),
                role: *role,
                missing: missing_of(&p),
            });
        }
        let paper = d.agreement_paper.as_ref();
        let ask = AgreementAsk {
            dispute: id,
            revision: d.meta.revision,
            title: d.title.clone(),
            parties,
            manner: paper.map(|a| a.manner.clone()).unwrap_or_default(),
            due: paper
                .and_then(|a| a.due)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            number: paper.map(|a| self.agreement_number(&d, a, Lang::Zh)),
        };
        Ok((d, ask))
    }

    /// Saves the answers: each party's particulars on the person record, how and by when
    /// the terms are performed on the dispute (with its number, given now if it has none),
    /// all in one audited commit. Every answer is checked first; nothing is saved when
    /// one is wrong.
    pub fn complete_agreement(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        answers: &AgreementAnswers,
    ) -> Result<AgreementAsk, ServiceError> {
        self.authorize(session)?;
        let mut d = self.readable::<Dispute>(session, id)?;
        check_writable(session, d.meta.station)?;
        check_revision(&d, revision)?;
        Self::agreement_session(&d)?;
        let manner = beatbook_model::text::clean(
            Field::Manner,
            &answers.manner,
            beatbook_model::text::limits::NOTES,
            true,
            true,
        )?;
        let today = self.today();
        let due =
            beatbook_model::dates::parse_optional_date(Field::PerformBy, &answers.due, today)?;
        let mut persons = Vec::new();
        for (person, values) in &answers.parties {
            if !d.party_ids().any(|p| p == *person) {
                return Err(ServiceError::NotFound(Kind::Person));
            }
            let mut p = self.record::<Person>(*person)?;
            let mut draft = crate::persons::draft_of(&p);
            for (field, value) in values {
                let value = value.trim().to_string();
                match field {
                    Field::Gender => draft.gender = value,
                    Field::Ethnicity => draft.ethnicity = value,
                    Field::BirthDate => draft.birth_date = value,
                    Field::Occupation => draft.occupation = value,
                    Field::Address => draft.address = value,
                    Field::Phone => draft.phone = value,
                    _ => continue,
                }
            }
            let valid = draft.validate(today)?;
            p.apply(valid);
            persons.push(p);
        }
        let paper = match d.agreement_paper.take() {
            Some(mut a) => {
                a.manner = manner;
                a.due = due;
                a
            }
            None => {
                let year = today.year();
                AgreementPaper {
                    year,
                    number: self.next_agreement_number(d.meta.station, year)?,
                    manner,
                    due,
                }
            }
        };
        d.agreement_paper = Some(paper);
        let mut change = self
            .change(session, "dispute.agreement")
            .station(d.meta.station)
            .detail(d.title.clone())
            .put(d);
        for p in persons {
            change = change.put(p);
        }
        self.store.commit(&change)?;
        self.agreement_ask(session, id)
    }

    /// One more than the highest number given to an agreement of `station` in `year`:
    /// read from the disputes that can have one (agreement reached), which the hub
    /// carries to every terminal of the station.
    fn next_agreement_number(&self, station: Id, year: i32) -> Result<u32, ServiceError> {
        let statuses = [
            DisputeStatus::Mediating,
            DisputeStatus::Resolved,
            DisputeStatus::FollowingUp,
            DisputeStatus::Closed,
            DisputeStatus::Reopened,
            DisputeStatus::Referred,
            DisputeStatus::Escalated,
        ];
        let mut highest = 0;
        for s in self.store.station_disputes(station, &statuses)? {
            if let Some(d) = self.store.get::<Dispute>(s.id)? {
                if let Some(a) = d.agreement_paper.filter(|a| a.year == year) {
                    highest = highest.max(a.number);
                }
            }
        }
        Ok(highest + 1)
    }

    /// The agreement's number as the template writes it, e.g. （2026）城关调字第 17 号.
    pub(super) fn agreement_number(&self, d: &Dispute, a: &AgreementPaper, lang: Lang) -> String {
        let (_, short) = self.station_names(d.meta.station);
        self.paper_text(
            "agreement.number",
            lang,
            &[
                ("year", &a.year.to_string()),
                ("station", &short),
                ("n", &a.number.to_string()),
            ],
        )
    }

    /// The agreement as blocks. Refused while anything is missing (the form asks it).
    pub(super) fn agreement_paper(
        &self,
        session: &Session,
        id: Id,
        lang: Lang,
    ) -> Result<Composed, ServiceError> {
        let (d, ask) = self.agreement_state(session, id)?;
        let (Some(paper), true) = (d.agreement_paper.as_ref(), ask.complete()) else {
            return Err(ServiceError::AgreementIncomplete {
                parties: ask
                    .parties
                    .iter()
                    .filter(|p| !p.missing.is_empty())
                    .map(|p| (p.name.clone(), p.missing.clone()))
                    .collect(),
                manner: ask.manner.trim().is_empty(),
            });
        };
        let agreed = Self::agreement_session(&d)?;
        let t = |key: &str, values: &[(&str, &str)]| self.paper_text(key, lang, values);
        let (station_name, short) = self.station_names(d.meta.station);
        let number = self.agreement_number(&d, paper, lang);
        let committee = t(
            "agreement.committee",
            &[("station_name", &station_name), ("station", &short)],
        );
        let mut blocks = vec![
            Block::Title(t("agreement.title", &[])),
            Block::Right(number.clone()),
            Block::Labeled {
                label: String::new(),
                text: t("agreement.committee_line", &[("committee", &committee)]),
            },
            Block::Heading(t("agreement.parties", &[])),
        ];
        let today = self.today();
        let mut sign_rows = Vec::new();
        for Party { person, role } in &d.parties {
            let p = self.record::<Person>(*person)?;
            let age = p
                .birth_date
                .and_then(|b| today.years_since(b))
                .map(|y| t("agreement.age", &[("years", &y.to_string())]))
                .unwrap_or_default();
            let role_text = role.localize(lang);
            blocks.push(Block::Paragraph(t(
                "agreement.party",
                &[
                    ("role", &role_text),
                    ("name", &p.name),
                    ("gender", &p.gender.localize(lang)),
                    ("ethnicity", &p.ethnicity),
                    ("age", &age),
                    ("occupation", &p.occupation),
                    ("address", &p.address),
                    ("phone", p.phone.as_ref().map(|x| x.as_str()).unwrap_or("")),
                    (
                        "id",
                        p.id_number
                            .as_ref()
                            .map(|x| x.as_str())
                            .unwrap_or(lang.pick("（未登记）", "(none)")),
                    ),
                ],
            )));
            sign_rows.push(t("agreement.sign_party", &[("role", &role_text)]));
        }
        let facts = if d.description.trim().is_empty() {
            d.title.clone()
        } else {
            d.description.clone()
        };
        blocks.push(Block::Heading(t("agreement.facts", &[])));
        blocks.push(Block::Paragraph(facts));
        blocks.push(Block::Heading(t("agreement.terms", &[])));
        blocks.push(Block::Paragraph(agreed.agreement.clone()));
        blocks.push(Block::Heading(t("agreement.performance", &[])));
        let due = paper
            .due
            .map(|d| paper_date(d, lang))
            .unwrap_or_else(|| lang.pick("协议生效后", "taking effect").to_string());
        blocks.push(Block::Paragraph(t(
            "agreement.performance_text",
            &[
                ("manner", paper.manner.trim_end_matches(['。', '.'])),
                ("due", &due),
            ],
        )));
        let copies = (d.parties.len() + 1).to_string();
        blocks.push(Block::Gap(6.0));
        blocks.push(Block::Paragraph(t(
            "agreement.copies",
            &[("copies", &copies)],
        )));
        blocks.push(Block::Paragraph(t("agreement.effect", &[])));
        blocks.push(Block::Paragraph(t("agreement.confirmation", &[])));
        blocks.push(Block::Gap(10.0));
        let mut names = Names::default();
        let mediator = names.officer(self, d.assigned_to);
        let recorder = names.officer(self, agreed.recorded_by);
        sign_rows.push(t("agreement.sign_mediator", &[("name", &mediator)]));
        sign_rows.push(t("agreement.sign_recorder", &[("name", &recorder)]));
        blocks.push(Block::Signatures {
            rows: sign_rows,
            date: t("common.date_line", &[]),
        });
        blocks.push(Block::Seal {
            text: t("agreement.seal", &[]),
            date: t(
                "agreement.made_on",
                &[("date", &paper_date(agreed.date, lang))],
            ),
        });
        Ok(Composed {
            paper: self.paper(
                format!("{} {number}", t("agreement.title", &[])),
                blocks,
                lang,
                false,
            ),
            station: d.meta.station,
            audit: format!("agreement of dispute {id} {number} (full ID numbers)"),
            number: Some(number),
        })
    }
}
