//! The administrator's account work: stations, accounts, roles, disabling, password
//! resets and unlocking.
//!
//! Every use case here is refused to anyone but an administrator, writes one audited
//! store commit, and never puts a password (or its hash) into the audit detail. One rule
//! holds across them all: the bureau always keeps at least one active administrator, or
//! nobody could manage accounts any more.

use super::super::{Forbidden, Service, ServiceError, Session};
use super::{hash_password, NewOfficer};
use crate::reading::check_revision;
use beatbook_core::rules::access;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Field, Id, Officer, Role, Station, ValidationError};
use beatbook_store::{AnyRecord, Kind};

/// A station with its accounts, for the administrator's screen.
#[derive(Clone, Debug)]
pub struct StationAccounts {
    pub station: Station,
    pub accounts: Vec<AccountRow>,
}

/// One account as the administrator's list shows it. The password hash is cleared.
#[derive(Clone, Debug)]
pub struct AccountRow {
    pub officer: Officer,
    /// Locked by wrong passwords at the time the list was read.
    pub locked: bool,
}

/// What the status column says about an account; several may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    Disabled,
    Locked,
    /// A new or reset password must be replaced at the next login.
    MustChange,
}

impl Localize for AccountStatus {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            AccountStatus::Active => ("在岗", "active"),
            AccountStatus::Disabled => ("停用", "disabled"),
            AccountStatus::Locked => ("锁定", "locked"),
            AccountStatus::MustChange => ("待改密", "must change"),
        };
        lang.pick(zh, en).to_string()
    }
}

impl AccountRow {
    /// Disabled or active first, then locked and must-change when they apply.
    pub fn statuses(&self) -> Vec<AccountStatus> {
        let mut out = vec![if self.officer.active {
            AccountStatus::Active
        } else {
            AccountStatus::Disabled
        }];
        if self.locked {
            out.push(AccountStatus::Locked);
        }
        if self.officer.must_change_password {
            out.push(AccountStatus::MustChange);
        }
        out
    }
}

/// Whether an account counts towards "at least one active administrator".
fn is_active_admin(o: &Officer) -> bool {
    o.role == Role::Admin && o.active
}

impl Service {
    /// Refuses anyone but an administrator — one whose account still is one (the
    /// session gate runs first: an administrator demoted or disabled since login has
    /// lost these rights already).
    fn require_admin(&self, session: &Session) -> Result<(), ServiceError> {
        if access::can_manage_accounts(&self.authorize(session)?) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(Forbidden::AdminOnly))
        }
    }

    /// Creates a station (administrators only). The code is required here and unique
    /// (ignoring case), as is the name: reports and ids shown to people use them.
    pub fn create_station(
        &self,
        session: &Session,
        name: &str,
        code: &str,
    ) -> Result<Station, ServiceError> {
        self.require_admin(session)?;
        let (name, code) = Station::validate_name(name, code)?;
        if code.is_empty() {
            return Err(ValidationError::Required(Field::StationCode).into());
        }
        for s in self.stations()? {
            if s.code.eq_ignore_ascii_case(&code) {
                return Err(ServiceError::StationCodeTaken(code));
            }
            if s.name == name {
                return Err(ServiceError::StationNameTaken(name));
            }
        }
        let station = self.new_station_record(name, code, Vec::new());
        let change = self
            .change(session, "station.create")
            .detail(format!("{} ({})", station.name, station.code))
            .put(station);
        match self.store.commit(&change)?.into_iter().next() {
            Some(AnyRecord::Station(s)) => Ok(s),
            _ => Err(ServiceError::NotFound(Kind::Station)),
        }
    }

    /// Creates an account (administrators only). The initial password is the
    /// administrator's to hand over, so the officer must replace it at the first login.
    pub fn create_officer(
        &self,
        session: &Session,
        new: &NewOfficer,
    ) -> Result<Officer, ServiceError> {
        // Gated here too, so the gate stays visible at every use case's door.
        self.require_admin(session)?;
        self.create_officer_with(session, new, &super::super::AccountParticulars::default())
    }

    /// [`Service::create_officer`] with the account's police number and phone, checked
    /// and saved in the same commit.
    pub fn create_officer_with(
        &self,
        session: &Session,
        new: &NewOfficer,
        particulars: &super::super::AccountParticulars,
    ) -> Result<Officer, ServiceError> {
        self.require_admin(session)?;
        if self.store.get::<Station>(new.station)?.is_none() {
            return Err(ServiceError::NotFound(Kind::Station));
        }
        let mut officer = self.new_officer_record(new, session.officer)?;
        officer.police_number = Officer::validate_police_number(&particulars.police_number)?;
        officer.phone = Officer::validate_phone(&particulars.phone)?;
        officer.must_change_password = true;
        let change = self
            .change(session, "account.create")
            .station(new.station)
            .detail(format!(
                "{} ({})",
                officer.username,
                officer.role.localize(Lang::En)
            ))
            .put(officer);
        match self.store.commit(&change)?.into_iter().next() {
            Some(AnyRecord::Officer(o)) => Ok(o),
            _ => Err(ServiceError::NotFound(Kind::Officer)),
        }
    }

    /// Stations (in creation order) with their accounts (by username), for the
    /// administrator's screen.
    pub fn accounts_overview(
        &self,
        session: &Session,
    ) -> Result<Vec<StationAccounts>, ServiceError> {
        self.require_admin(session)?;
        let now = self.now_utc();
        let policy = self.settings.lockout;
        let officers = self.store.all::<Officer>().collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .stations()?
            .into_iter()
            .map(|station| {
                let mut accounts: Vec<AccountRow> = officers
                    .iter()
                    .filter(|o| o.meta.station == station.meta.id)
                    .map(|o| {
                        let mut officer = o.clone();
                        officer.password_hash.clear();
                        AccountRow {
                            locked: policy.time_left(o.locked_until, now).is_some(),
                            officer,
                        }
                    })
                    .collect();
                // By username: the administrator looks accounts up by login name.
                accounts.sort_by(|a, b| a.officer.username.cmp(&b.officer.username));
                StationAccounts { station, accounts }
            })
            .collect())
    }

    /// Gives an account another role. Taking the administrator role away from the last
    /// active administrator is refused.
    pub fn change_role(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
        role: Role,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        if o.role == role {
            return Err(ServiceError::NothingToChange);
        }
        if is_active_admin(&o) && role != Role::Admin {
            self.keep_an_admin(o.meta.id)?;
        }
        let detail = format!(
            "{}: {} -> {}",
            o.username,
            o.role.localize(Lang::En),
            role.localize(Lang::En)
        );
        o.role = role;
        self.save_account(session, "account.role", detail, o)
    }

    /// Moves an account to another station (a transfer). Its past records stay where
    /// they were made.
    pub fn change_station(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
        station: Id,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        let Some(to) = self.store.get::<Station>(station)? else {
            return Err(ServiceError::NotFound(Kind::Station));
        };
        if o.meta.station == station {
            return Err(ServiceError::NothingToChange);
        }
        let detail = format!(
            "{}: {} -> {}",
            o.username,
            self.station_name(o.meta.station),
            to.name
        );
        o.meta.station = station;
        self.save_account(session, "account.station", detail, o)
    }

    /// Disables an account (it stays for the record, but cannot log in) or enables it
    /// again. Disabling the last active administrator — oneself included — is refused.
    pub fn set_account_active(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
        active: bool,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        if o.active == active {
            return Err(ServiceError::NothingToChange);
        }
        if !active && is_active_admin(&o) {
            self.keep_an_admin(o.meta.id)?;
        }
        o.active = active;
        let action = if active {
            "account.enable"
        } else {
            "account.disable"
        };
        let detail = o.username.clone();
        self.save_account(session, action, detail, o)
    }

    /// Sets a temporary password the administrator hands over; the officer must choose
    /// a new one at the next login. Also lifts a lockout, which is usually why the
    /// officer asked. The password itself is never audited.
    pub fn reset_password(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
        temporary: &str,
        again: &str,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        Officer::validate_new_password(temporary, Some(again))?;
        o.password_hash = hash_password(temporary)?;
        o.must_change_password = true;
        o.failed_logins = 0;
        o.locked_until = None;
        let detail = format!("{}: temporary password set, must change", o.username);
        self.save_account(session, "account.password_reset", detail, o)
    }

    /// Lifts a lockout after too many wrong passwords (and forgets earlier failures).
    pub fn unlock_account(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
    ) -> Result<Officer, ServiceError> {
        let mut o = self.account_to_change(session, officer, revision)?;
        if o.failed_logins == 0 && o.locked_until.is_none() {
            return Err(ServiceError::NothingToChange);
        }
        o.failed_logins = 0;
        o.locked_until = None;
        let detail = o.username.clone();
        self.save_account(session, "account.unlock", detail, o)
    }

    /// The account as stored, after the admin check and the revision check (the screen
    /// may show an older state than someone else just saved).
    pub(crate) fn account_to_change(
        &self,
        session: &Session,
        officer: Id,
        revision: u64,
    ) -> Result<Officer, ServiceError> {
        self.require_admin(session)?;
        let o = self
            .store
            .get::<Officer>(officer)?
            .ok_or(ServiceError::NotFound(Kind::Officer))?;
        check_revision(&o, revision)?;
        Ok(o)
    }

    /// Refuses when `leaving` is the only active administrator.
    fn keep_an_admin(&self, leaving: Id) -> Result<(), ServiceError> {
        for o in self.store.all::<Officer>() {
            let o = o?;
            if o.meta.id != leaving && is_active_admin(&o) {
                return Ok(());
            }
        }
        Err(ServiceError::LastAdmin)
    }

    /// One audited commit of a changed account; the returned copy has no hash.
    pub(crate) fn save_account(
        &self,
        session: &Session,
        action: &str,
        detail: String,
        officer: Officer,
    ) -> Result<Officer, ServiceError> {
        let change = self
            .change(session, action)
            .station(officer.meta.station)
            .detail(detail)
            .put(officer);
        match self.store.commit(&change)?.into_iter().next() {
            Some(AnyRecord::Officer(mut o)) => {
                o.password_hash.clear();
                Ok(o)
            }
            _ => Err(ServiceError::NotFound(Kind::Officer)),
        }
    }
}
