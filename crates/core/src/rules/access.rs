//! Least privilege (GLOSSARY.md, Roles). These predicates are the single source of truth;
//! the service refuses whatever they refuse, whatever the screen shows.

use beatbook_model::{Id, Role, Visit};

/// The part of a logged-in session the rules look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub officer: Id,
    pub role: Role,
    pub station: Id,
}

/// Whether the principal may read case data (persons, visits, …) of `station`.
pub fn can_read_station(p: &Principal, station: Id) -> bool {
    match p.role {
        Role::Officer | Role::Chief => p.station == station,
        Role::Supervisor => true,
        Role::Admin => false,
    }
}

/// Whether the principal may create or change records (persons, visits) of `station`.
pub fn can_write_station(p: &Principal, station: Id) -> bool {
    matches!(p.role, Role::Officer | Role::Chief) && p.station == station
}

/// Whether the principal may record the outcome of, reschedule or cancel `visit`:
/// the assigned officer, or the chief of the visit's station.
pub fn can_change_visit(p: &Principal, visit: &Visit) -> bool {
    may_change_visit_of(p, visit.meta.station, visit.assigned_to)
}

/// [`can_change_visit`] for a visit known by its station and assigned officer only.
pub fn may_change_visit_of(p: &Principal, station: Id, assigned_to: Id) -> bool {
    match p.role {
        Role::Chief => p.station == station,
        Role::Officer => p.station == station && assigned_to == p.officer,
        Role::Supervisor | Role::Admin => false,
    }
}

/// Whether the principal may assign a visit of its station to `assignee` (an officer of
/// that station): chiefs assign anyone, officers only themselves.
pub fn can_assign_visit(p: &Principal, assignee: Id) -> bool {
    match p.role {
        Role::Chief => true,
        Role::Officer => assignee == p.officer,
        Role::Supervisor | Role::Admin => false,
    }
}

/// Whether the principal manages stations and accounts.
pub fn can_manage_accounts(p: &Principal) -> bool {
    p.role == Role::Admin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(role: Role, station: Id) -> Principal {
        Principal {
            officer: Id::new(),
            role,
            station,
        }
    }

    #[test]
    fn roles_and_stations() {
        let a = Id::new();
        let b = Id::new();
        assert!(can_read_station(&p(Role::Officer, a), a));
        assert!(!can_read_station(&p(Role::Officer, a), b));
        assert!(!can_read_station(&p(Role::Chief, a), b));
        assert!(can_read_station(&p(Role::Supervisor, a), b));
        assert!(!can_read_station(&p(Role::Admin, a), a));
        assert!(can_write_station(&p(Role::Chief, a), a));
        assert!(!can_write_station(&p(Role::Supervisor, a), a));
        assert!(!can_write_station(&p(Role::Admin, a), a));
    }
}
