//! Set-up, login and accounts.

mod admin;

pub use admin::{AccountRow, AccountStatus, StationAccounts};

use super::{Service, ServiceError, Session};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use beatbook_model::{Id, Meta, Officer, Role, Station};
use beatbook_store::{Actor, Change};

/// The first-run form: the first station and its administrator.
#[derive(Clone, Debug, Default)]
pub struct FirstStation {
    pub station_name: String,
    pub station_code: String,
    pub admin_username: String,
    pub admin_display_name: String,
    pub password: String,
    pub password_again: String,
}

/// An account to create (admin only, or by the system for demo data).
#[derive(Clone, Debug)]
pub struct NewOfficer {
    pub station: Id,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// An argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Hashing(e.to_string()))
}

/// A hash of a password nobody knows, with the same parameters as every account's. A
/// login for an unknown username is checked against it, so that it takes as long as a
/// wrong password for a real account: timing does not tell which usernames exist.
/// The hash is a fixed random string in the cost parameters new hashes get (not computed
/// here: hashing it first would make the first unknown-user check twice as slow, and a
/// command-line login is the first of its process).
pub(super) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let p = argon2::Params::default();
        format!(
            "$argon2id$v=19$m={},t={},p={}$mkPZlrTJjWri5zvlgnYtCw$FXPuAY5C+fQ45DK9fLP6+ogTDgCdflWkvuUCJX7EuCE",
            p.m_cost(),
            p.t_cost(),
            p.p_cost()
        )
    })
}

pub(super) fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Service {
    /// First run: creates the first station and its administrator. Refused once any
    /// station exists.
    pub fn set_up_first_station(
        &self,
        form: &FirstStation,
    ) -> Result<(Station, Officer), ServiceError> {
        if !self.store.is_empty() {
            return Err(ServiceError::AlreadySetUp);
        }
        let (name, code) = Station::validate_name(&form.station_name, &form.station_code)?;
        let username = Officer::validate_username(&form.admin_username)?;
        let display = if form.admin_display_name.trim().is_empty() {
            username.clone()
        } else {
            Officer::validate_display_name(&form.admin_display_name)?
        };
        Officer::validate_new_password(&form.password, Some(&form.password_again))?;
        let now = self.now_utc();
        let station = self.new_station_record(name, code, Vec::new());
        let admin = Officer {
            meta: Meta::new(station.meta.id, now, Id::SYSTEM),
            username,
            display_name: display,
            role: Role::Admin,
            active: true,
            password_hash: hash_password(&form.password)?,
            failed_logins: 0,
            locked_until: None,
            must_change_password: false,
            police_number: String::new(),
            phone: None,
        };
        let change = Change::new("setup.first_station", &Actor::system(), now)
            .station(station.meta.id)
            .detail(format!(
                "station {} with administrator {}",
                station.name, admin.username
            ))
            .put(station)
            .put(admin);
        let saved = self.store.commit(&change)?;
        let mut station = None;
        let mut admin = None;
        for record in saved {
            match record {
                beatbook_store::AnyRecord::Station(s) => station = Some(s),
                beatbook_store::AnyRecord::Officer(o) => admin = Some(o),
                _ => {}
            }
        }
        station.zip(admin).ok_or(ServiceError::NotSetUp)
    }

    /// A station record, not yet saved.
    pub fn new_station_record(&self, name: String, code: String, villages: Vec<String>) -> Station {
        let now = self.now_utc();
        let mut meta = Meta::new(Id::SYSTEM, now, Id::SYSTEM);
        meta.station = meta.id;
        Station {
            meta,
            name,
            code,
            villages,
        }
    }

    /// An officer record with a hashed password, not yet saved.
    pub(crate) fn new_officer_record(
        &self,
        new: &NewOfficer,
        by: Id,
    ) -> Result<Officer, ServiceError> {
        let username = Officer::validate_username(&new.username)?;
        let display_name = Officer::validate_display_name(&new.display_name)?;
        Officer::validate_new_password(&new.password, None)?;
        Ok(Officer {
            meta: Meta::new(new.station, self.now_utc(), by),
            username,
            display_name,
            role: new.role,
            active: true,
            password_hash: hash_password(&new.password)?,
            failed_logins: 0,
            locked_until: None,
            must_change_password: false,
            police_number: String::new(),
            phone: None,
        })
    }

    /// Checks a username and password. Five wrong passwords in a row lock the account for
    /// fifteen minutes (configurable); failures, locks and logins are audited.
    ///
    /// An unknown username and a wrong password are told alike ("wrong username or
    /// password") and take alike long (the dummy hash), so that nobody learns which
    /// usernames exist by trying. The audit keeps what was typed, cut and made visible
    /// (`model::text::quoted`): a 100,000-character or escape-laden "username" must
    /// neither bloat the log nor drive the terminal of whoever reads it.
    pub fn login(&self, username: &str, password: &str) -> Result<Session, ServiceError> {
        let name = username.trim().to_lowercase();
        let Some(mut officer) = self.store.officer_by_username(&name)? else {
            verify_password(dummy_hash(), password);
            let shown = beatbook_model::text::quoted(&name);
            let change = Change::new("login.unknown_user", &Actor::system(), self.now_utc())
                .detail(format!("login attempt for unknown user {shown}"));
            self.store.commit(&change)?;
            return Err(ServiceError::UnknownUser(shown));
        };
        let now = self.now_utc();
        let actor = Actor {
            id: officer.meta.id,
            name: officer.username.clone(),
        };
        let policy = self.settings.lockout;
        if let Some(left) = policy.time_left(officer.locked_until, now) {
            let change =
                Change::new("login.refused_locked", &actor, now).station(officer.meta.station);
            self.store.commit(&change)?;
            return Err(ServiceError::Locked {
                minutes_left: (left.num_seconds() + 59) / 60,
            });
        }
        if !officer.active {
            let change =
                Change::new("login.refused_disabled", &actor, now).station(officer.meta.station);
            self.store.commit(&change)?;
            return Err(ServiceError::AccountDisabled);
        }
        if !verify_password(&officer.password_hash, password) {
            let after = policy.after_failure(officer.failed_logins, now);
            officer.failed_logins = after.failures;
            officer.locked_until = after.locked_until;
            let action = if after.locked_until.is_some() {
                "login.locked"
            } else {
                "login.failed"
            };
            let change = Change::new(action, &actor, now)
                .station(officer.meta.station)
                .put(officer);
            self.store.commit(&change)?;
            return Err(match after.locked_until {
                Some(_) => ServiceError::Locked {
                    minutes_left: policy.lock_minutes,
                },
                None => ServiceError::WrongPassword {
                    tries_left: after.tries_left,
                },
            });
        }
        let mut change = Change::new("login", &actor, now).station(officer.meta.station);
        if officer.failed_logins != 0 || officer.locked_until.is_some() {
            officer.failed_logins = 0;
            officer.locked_until = None;
            change = change.put(officer.clone());
        }
        self.store.commit(&change)?;
        let session = Session {
            credential: super::session::credential_of(&officer.password_hash),
            revoked: Default::default(),
            officer: officer.meta.id,
            username: officer.username,
            display_name: officer.display_name,
            role: officer.role,
            station: officer.meta.station,
            station_name: self.station_name(officer.meta.station),
            must_change_password: officer.must_change_password,
        };
        // Overdue reviews become alerts now; a failure here must not keep anyone out.
        if let Err(e) = self.sweep_review_alerts(&session) {
            tracing::warn!("review alerts not raised at login: {e}");
        }
        Ok(session)
    }

    /// Logs in for work outside the screens (command-line export, report, import): an
    /// account that must still replace a temporary password (new or reset) gets no
    /// session here; the change happens at the screens' login, which asks for it first.
    pub fn login_ready(&self, username: &str, password: &str) -> Result<Session, ServiceError> {
        let session = self.login(username, password)?;
        if session.must_change_password {
            return Err(ServiceError::PasswordChangeRequired);
        }
        Ok(session)
    }

    /// Changes the session's own password (also clears a forced change). Open to a
    /// session that must still change its password — this is how it stops having to —
    /// but not to one whose account changed since login: a reset elsewhere means the
    /// officer must log in with the temporary password first.
    pub fn change_password(
        &self,
        session: &mut Session,
        current: &str,
        new: &str,
        again: &str,
    ) -> Result<(), ServiceError> {
        self.authorize_password_change(session)?;
        let mut officer = self
            .store
            .get::<Officer>(session.officer)?
            .ok_or(ServiceError::NotFound(beatbook_store::Kind::Officer))?;
        if !verify_password(&officer.password_hash, current) {
            return Err(ServiceError::WrongCurrentPassword);
        }
        Officer::validate_new_password(new, Some(again))?;
        if new == current {
            return Err(ServiceError::PasswordUnchanged);
        }
        officer.password_hash = hash_password(new)?;
        officer.must_change_password = false;
        // The session follows its own change; any other session of the account does
        // not, and is refused at its next action.
        let credential = super::session::credential_of(&officer.password_hash);
        let change = self
            .change(session, "account.password_changed")
            .put(officer);
        self.store.commit(&change)?;
        session.must_change_password = false;
        session.credential = credential;
        Ok(())
    }

    /// All stations (for pick lists and the supervisor's view).
    pub fn stations(&self) -> Result<Vec<Station>, ServiceError> {
        Ok(self.store.all::<Station>().collect::<Result<Vec<_>, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dummy must parse and cost what a real hash costs, or an unknown username would
    /// answer faster than a wrong password (a parse failure returns at once).
    #[test]
    fn the_dummy_hash_is_a_real_hash_of_the_default_cost() {
        let dummy = PasswordHash::new(dummy_hash()).expect("dummy parses");
        let real_hash = hash_password("some password").expect("hash");
        let real = PasswordHash::new(&real_hash).expect("real parses");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        assert!(!verify_password(dummy_hash(), "some password"));
    }
}
