//! The resident register (every person of a station, not only those on the watch list
//! or party to a dispute), the station's list of villages, and the particulars of an
//! account (police number and phone).
//!
//! Station scoping follows the roles: officers and chiefs work on their own station, a
//! supervisor reads every station (searching), an administrator sees no case data but
//! keeps the stations' village lists and the accounts' particulars.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use crate::reading::check_revision;
use beatbook_core::rules::access;
use beatbook_model::{Id, Officer, Person, RiskLevel, Role, Station};
use beatbook_store::{AnyRecord, Kind};

/// How many matches a typed search shows in the register (the best ones).
pub const RESIDENT_SEARCH_LIMIT: usize = 500;

/// One person as the resident register lists them (ID number and phone masked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentRow {
    pub card: PersonCard,
    /// The level when the person is on the watch list (an active flag).
    pub flag: Option<RiskLevel>,
    /// Disputes the person is party to that are still open and readable.
    pub open_disputes: usize,
}

/// An account's particulars as the administrator types them: unchecked text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountParticulars {
    pub police_number: String,
    pub phone: String,
}

/// A station's account as its chief sees it: phone masked, no login details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationAccount {
    pub id: Id,
    pub display_name: String,
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub police_number: String,
    pub masked_phone: String,
}

impl Service {
    /// The resident register. With an empty `query`, every person of the session's
    /// station by village, then name; with a query, the person search's best matches
    /// (name, pinyin, initials, ID or phone tail, village), best first — a supervisor's
    /// search covers every station. Administrators see no case data.
    pub fn residents(
        &self,
        session: &Session,
        query: &str,
    ) -> Result<Vec<ResidentRow>, ServiceError> {
        let principal = self.authorize(session)?;
        if session.role() == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        let cards: Vec<PersonCard> = if query.trim().is_empty() {
            let mut cards = Vec::new();
            for id in self.store.station_person_ids(session.station()) {
                match self.store.get::<Person>(id?)? {
                    Some(p) if p.merged_into.is_some() => {}
                    Some(p) => cards.push(PersonCard::from(&p)),
                    None => return Err(ServiceError::NotFound(Kind::Person)),
                }
            }
            // Grouped by village as the officer walks the beat; namesakes by birth year.
            cards.sort_by(|a, b| {
                (a.village.is_empty(), &a.village, &a.name, a.birth_year).cmp(&(
                    b.village.is_empty(),
                    &b.village,
                    &b.name,
                    b.birth_year,
                ))
            });
            cards
        } else {
            let wide = session.role() == Role::Supervisor;
            self.search_persons(session, query, RESIDENT_SEARCH_LIMIT, wide)?
        };
        let mut rows = Vec::with_capacity(cards.len());
        for card in cards {
            let flag = self
                .store
                .flag_of(card.id)?
                .filter(|f| f.is_active())
                .map(|f| f.level);
            let open_disputes = self
                .store
                .person_disputes(card.id)?
                .iter()
                .filter(|d| d.status.is_open() && access::can_read_station(&principal, d.station))
                .count();
            rows.push(ResidentRow {
                card,
                flag,
                open_disputes,
            });
        }
        Ok(rows)
    }

    /// The villages of the session's station, for the forms' suggestions. Empty for a
    /// station that has none listed yet (free text is always allowed).
    pub fn station_villages(&self, session: &Session) -> Result<Vec<String>, ServiceError> {
        self.authorize(session)?;
        Ok(self
            .store
            .get::<Station>(session.station())?
            .map(|s| s.villages)
            .unwrap_or_default())
    }

    /// A station as stored, for the village editor (its revision guards the save).
    pub fn station_record(&self, session: &Session, id: Id) -> Result<Station, ServiceError> {
        let principal = self.authorize(session)?;
        if !access::can_read_station(&principal, id) && session.role() != Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        self.store
            .get::<Station>(id)?
            .ok_or(ServiceError::NotFound(Kind::Station))
    }

    /// Replaces a station's list of villages and communities. An administrator may edit
    /// any station's; a chief only the own station's; nobody else.
    pub fn set_station_villages(
        &self,
        session: &Session,
        station: Id,
        revision: u64,
        villages: &[String],
    ) -> Result<Station, ServiceError> {
        self.authorize(session)?;
        match session.role() {
            Role::Admin => {}
            Role::Chief if session.station() == station => {}
            Role::Chief => return Err(ServiceError::Forbidden(Forbidden::OtherStation)),
            Role::Officer | Role::Supervisor => {
                return Err(ServiceError::Forbidden(Forbidden::ChiefOnly))
            }
        }
        let mut s = self
            .store
            .get::<Station>(station)?
            .ok_or(ServiceError::NotFound(Kind::Station))?;
        check_revision(&s, revision)?;
        let villages = Station::validate_villages(villages)?;
        if villages == s.villages {
            return Err(ServiceError::NothingToChange);
        }
        let detail = format!("{}: {}", s.name, villages.join("、"));
        s.villages = villages;
        let change = self
            .change(session, "station.villages")
            .station(station)
            .detail(detail)
            .put(s);
        match self.store.commit(&change)?.into_iter().next() {
            Some(AnyRecord::Station(s)) => Ok(s),
            _ => Err(ServiceError::NotFound(Kind::Station)),
        }
    }

    /// Sets an account's police number and phone (administrators only). Both are
    /// checked first; a refusal changes nothing.
    pub fn set_account_particulars(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
        particulars: &AccountParticulars,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        let police_number = Officer::validate_police_number(&particulars.police_number)?;
        let phone = Officer::validate_phone(&particulars.phone)?;
        if o.police_number == police_number && o.phone == phone {
            return Err(ServiceError::NothingToChange);
        }
        o.police_number = police_number;
        o.phone = phone;
        // The phone itself stays out of the audit detail: the trail is read widely.
        let detail = format!("{}: police number {}", o.username, o.police_number);
        self.save_account(session, "account.particulars", detail, o)
    }

    /// The accounts of the chief's own station with police number and masked phone.
    pub fn station_accounts(&self, session: &Session) -> Result<Vec<StationAccount>, ServiceError> {
        self.authorize(session)?;
        if session.role() != Role::Chief {
            return Err(ServiceError::Forbidden(Forbidden::ChiefOnly));
        }
        let mut out = Vec::new();
        for o in self.store.all::<Officer>() {
            let o = o?;
            if o.meta.station == session.station() {
                out.push(StationAccount {
                    id: o.meta.id,
                    display_name: o.display_name.clone(),
                    username: o.username.clone(),
                    role: o.role,
                    active: o.active,
                    police_number: o.police_number.clone(),
                    masked_phone: o
                        .phone
                        .as_ref()
                        .map(beatbook_model::Phone::masked)
                        .unwrap_or_default(),
                });
            }
        }
        out.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(out)
    }
}
