//! What a session may open and do, asked before the doing: which screens a role sees,
//! which keys a detail offers, whether a form is worth opening.
//!
//! The screens used to decide these themselves (`role == Chief`, the dispute workflow
//! table called from a form, a copy of the statistics check), so a rule changed in the
//! service could leave a screen offering what the service then refuses, or hiding what
//! it allows. Here every answer is built from the same predicates the use cases check
//! ([`beatbook_core::rules`]) and each refusal is the one the use case itself gives; the
//! tests below hold the two side by side. The use cases still check on their own: these
//! answers only decide what to offer, never what is allowed.
//!
//! Each question passes the gate first, like every use case: a session whose account
//! changed since login is offered nothing (and is revoked, so the screens log it out)
//! rather than the old rights. Past the gate the answers read nothing more: they depend
//! on the session's role and station and on the record the screen already holds.

use super::{DisputeDetail, Forbidden, PersonDetail, Scope, Service, ServiceError, Session};
use beatbook_core::rules::access;
use beatbook_core::rules::disputes::{self as workflow, DisputeAction};
use beatbook_core::rules::findings::{self, FindingAction, FindingRefusal};
use beatbook_core::rules::watch::{self, FlagAction, FlagState};
use beatbook_model::{Id, Role};

/// A screen, tab or ability that depends only on who is logged in, not on a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Case data at all: Today, the register, the watch list, residents, findings.
    CaseData,
    /// Create and change the case records of the own station (register a dispute,
    /// schedule a visit, flag a person).
    WriteCases,
    /// Assign the own station's work to another officer (the chief).
    AssignOthers,
    /// See every station at once: Today's bureau scope, the bureau statistics, the
    /// findings of one chosen station (supervisors).
    BureauWide,
    /// The chief's inbox of approvals.
    Approvals,
    /// The month's statistics.
    Statistics,
    /// The audit log.
    Audit,
    /// Stations and accounts (administrators).
    Admin,
    /// The village list of the own station.
    Villages,
    /// The own station's accounts with police numbers and phones.
    StationAccounts,
    /// Record a supervision finding.
    RecordFinding,
}

impl Permission {
    pub const ALL: [Permission; 11] = [
        Permission::CaseData,
        Permission::WriteCases,
        Permission::AssignOthers,
        Permission::BureauWide,
        Permission::Approvals,
        Permission::Statistics,
        Permission::Audit,
        Permission::Admin,
        Permission::Villages,
        Permission::StationAccounts,
        Permission::RecordFinding,
    ];
}

/// Which screens and abilities a session has, asked once when the screens are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Views {
    /// The administrator's screen is the first and only one (else Today).
    pub admin: bool,
    pub case_data: bool,
    pub write_cases: bool,
    pub assign_others: bool,
    pub bureau_wide: bool,
    pub approvals: bool,
    pub statistics: bool,
    pub audit: bool,
    pub villages: bool,
    pub station_accounts: bool,
    pub record_finding: bool,
    /// Whose visits Today lists first: officers their own, chiefs the station's,
    /// supervisors every station's.
    pub start_scope: Scope,
}

/// The workflow steps a session may take on one dispute now, in workflow order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisputeActions {
    /// Allowed by role, station and status, and by the dispute's own state (a close
    /// waits for the follow-ups, one extension request at a time, feedback once).
    pub workflow: Vec<DisputeAction>,
    /// A visit about this dispute may be scheduled.
    pub new_visit: bool,
}

impl DisputeActions {
    pub fn may(&self, action: DisputeAction) -> bool {
        self.workflow.contains(&action)
    }
}

/// What a session may do with one person's watch-list entry now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagActions {
    /// Flag steps allowed by role, station and the flag's state, in the order
    /// [`FlagAction::ALL`] lists them (acknowledging is [`FlagActions::acknowledge`]).
    pub flag: Vec<FlagAction>,
    /// The first alert about the person this session may acknowledge.
    pub acknowledge: Option<Id>,
    /// The person's profile may be edited.
    pub edit_profile: bool,
    /// A visit to the person may be scheduled.
    pub new_visit: bool,
}

impl FlagActions {
    pub fn may(&self, action: FlagAction) -> bool {
        self.flag.contains(&action)
    }
}

impl Service {
    /// Whether `session` has `permission`, with the refusal the use cases behind it give.
    pub fn check_permission(
        &self,
        session: &Session,
        permission: Permission,
    ) -> Result<(), ServiceError> {
        // A session that must still change its password may ask: its only use case is
        // the change, but the screens behind that form are built for its role.
        self.authorize_password_change(session)?;
        permits(session, permission)
    }

    /// Everything [`Service::check_permission`] answers for `session`, at once (nothing
    /// when the gate refuses the session).
    pub fn views(&self, session: &Session) -> Views {
        let open = self.authorize_password_change(session).is_ok();
        let has = |p| open && permits(session, p).is_ok();
        let (bureau_wide, assign_others) =
            (has(Permission::BureauWide), has(Permission::AssignOthers));
        Views {
            admin: has(Permission::Admin),
            case_data: has(Permission::CaseData),
            write_cases: has(Permission::WriteCases),
            assign_others,
            bureau_wide,
            approvals: has(Permission::Approvals),
            statistics: has(Permission::Statistics),
            audit: has(Permission::Audit),
            villages: has(Permission::Villages),
            station_accounts: has(Permission::StationAccounts),
            record_finding: has(Permission::RecordFinding),
            start_scope: match (bureau_wide, assign_others, session.role) {
                (true, _, _) => Scope::Bureau,
                (_, true, _) => Scope::Station,
                (_, _, Role::Officer) => Scope::Mine,
                // Administrators never see Today; the widest scope they would be refused.
                _ => Scope::Bureau,
            },
        }
    }

    /// The workflow steps `session` may take on the dispute of `detail` now (the detail
    /// the screen shows, so nothing is read again).
    pub fn dispute_actions(&self, session: &Session, detail: &DisputeDetail) -> DisputeActions {
        let d = &detail.dispute;
        if self.authorize(session).is_err()
            || !access::can_write_station(&session.principal(), d.meta.station)
        {
            return DisputeActions::default();
        }
        let pending = d.pending_extension().is_some();
        let workflow = workflow::available(session.role, d.status)
            .into_iter()
            .filter(|a| match a {
                DisputeAction::Close => detail.closable,
                DisputeAction::RequestExtension => !pending,
                DisputeAction::DecideExtension => pending,
                DisputeAction::RecordFeedback => {
                    d.feedback_due.is_some() && d.feedback_given.is_none()
                }
                _ => true,
            })
            .collect();
        DisputeActions {
            workflow,
            new_visit: d.status.is_open(),
        }
    }

    /// What `session` may do with the watch-list entry of the person in `detail` now.
    pub fn flag_actions(&self, session: &Session, detail: &PersonDetail) -> FlagActions {
        if self.authorize(session).is_err()
            || !access::can_write_station(&session.principal(), detail.card.station)
        {
            return FlagActions::default();
        }
        let role = session.role;
        let flag = match detail.flag.as_ref().filter(|f| f.is_active()) {
            None => vec![FlagAction::Add],
            Some(f) => {
                let state = FlagState {
                    level: f.level,
                    active: true,
                    pending: f.pending.is_some(),
                };
                let allowed = |action: FlagAction| match action {
                    // The reason and the new level are asked by the form: only the
                    // refusals that no answer there could lift count here.
                    FlagAction::ChangeLevel | FlagAction::RequestRemoval => {
                        watch::role_may(role, action) && !state.pending
                    }
                    FlagAction::Decide => watch::check_decision(role, state).is_ok(),
                    FlagAction::Review => watch::role_may(role, action),
                    FlagAction::Add | FlagAction::ChangeDetails | FlagAction::Acknowledge => false,
                };
                FlagAction::ALL
                    .into_iter()
                    .filter(|a| allowed(*a))
                    .collect()
            }
        };
        // Officers acknowledge their own alerts; the chief every alert of the station.
        let acknowledge = detail
            .alerts
            .iter()
            .find(|a| {
                watch::role_may(role, FlagAction::Acknowledge)
                    && (role == Role::Chief || a.officer == session.officer)
            })
            .map(|a| a.meta.id);
        FlagActions {
            flag,
            acknowledge,
            edit_profile: true,
            new_visit: true,
        }
    }

    /// The refusal of a visit change the screen already knows is not this session's to
    /// make (`may_change` false on a visit of the own station): read-only roles hear
    /// that, others that the visit is another officer's.
    pub fn visit_change_refusal(&self, session: &Session) -> ServiceError {
        if let Err(e) = self.authorize(session) {
            return e;
        }
        match permits(session, Permission::WriteCases) {
            Err(e) => e,
            Ok(()) => ServiceError::Forbidden(Forbidden::NotAssigned),
        }
    }
}

/// Whether `session` has `permission`, past the gate.
fn permits(session: &Session, permission: Permission) -> Result<(), ServiceError> {
    let role = session.role;
    let p = session.principal();
    let forbidden = |f| Err(ServiceError::Forbidden(f));
    match permission {
        Permission::CaseData if role == Role::Admin => forbidden(Forbidden::NoCaseData),
        Permission::WriteCases if !access::can_write_station(&p, session.station) => {
            forbidden(Forbidden::ReadOnlyRole(role))
        }
        // Someone other than the session's own officer: only a chief assigns them.
        Permission::AssignOthers if !access::can_assign_visit(&p, Id::SYSTEM) => {
            forbidden(Forbidden::AssignOthers)
        }
        Permission::BureauWide if role != Role::Supervisor => forbidden(Forbidden::BureauView),
        Permission::Approvals | Permission::StationAccounts if role != Role::Chief => {
            forbidden(Forbidden::ChiefOnly)
        }
        Permission::Villages if matches!(role, Role::Officer | Role::Supervisor) => {
            forbidden(Forbidden::ChiefOnly)
        }
        Permission::Statistics if matches!(role, Role::Officer | Role::Admin) => {
            forbidden(Forbidden::StatisticsRole(role))
        }
        Permission::Audit if matches!(role, Role::Officer | Role::Admin) => {
            forbidden(Forbidden::AuditLog)
        }
        Permission::Admin if !access::can_manage_accounts(&p) => forbidden(Forbidden::AdminOnly),
        Permission::RecordFinding if role == Role::Admin => forbidden(Forbidden::NoCaseData),
        Permission::RecordFinding if !findings::role_may(role, FindingAction::Create) => {
            Err(FindingRefusal::RoleMayNot {
                action: FindingAction::Create,
                role,
            }
            .into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Permission, Scope};
    use crate::{
        AuditFilter, FirstStation, FixedClock, NewFinding, NewOfficer, NewVisitForm,
        RegisterFilter, RegisterSort, Service, ServiceError, Session,
    };
    use beatbook_core::config::Settings;
    use beatbook_core::rules::findings::FindingRefusal;
    use beatbook_i18n::{Lang, Localize};
    use beatbook_model::{Id, Role, TargetKind};
    use beatbook_store::Store;
    use std::sync::Arc;

    const PASSWORD: &str = "demo1234";

    /// One station with an account of every role, each logged in and past the first
    /// password change.
    fn station() -> (tempfile::TempDir, Service, Id, Vec<Session>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let clock = FixedClock::parse("2026-11-25").expect("date");
        let service = Service::new(store, Arc::new(clock), Settings::default());
        let (station, _) = service
            .set_up_first_station(&FirstStation {
                station_name: "城关派出所".into(),
                station_code: "CG".into(),
                admin_username: "admin".into(),
                admin_display_name: String::new(),
                password: PASSWORD.into(),
                password_again: PASSWORD.into(),
            })
            .expect("first station");
        let admin = service
            .login_ready("admin", PASSWORD)
            .expect("admin logs in");
        let mut sessions = vec![admin.clone()];
        for (name, role) in [
            ("officer", Role::Officer),
            ("chief", Role::Chief),
            ("supervisor", Role::Supervisor),
        ] {
            let new = NewOfficer {
                station: station.meta.id,
                username: name.into(),
                display_name: name.into(),
                role,
                password: "first1234".into(),
            };
            service.create_officer(&admin, &new).expect("account");
            let mut session = service.login(name, "first1234").expect("logs in");
            service
                .change_password(&mut session, "first1234", PASSWORD, PASSWORD)
                .expect("password changed");
            sessions.push(service.login_ready(name, PASSWORD).expect("ready"));
        }
        (dir, service, station.meta.id, sessions)
    }

    /// What the use case behind `permission` answers `session`.
    fn use_case(
        service: &Service,
        session: &Session,
        station: Id,
        permission: Permission,
    ) -> Option<Result<(), ServiceError>> {
        fn done<T>(r: Result<T, ServiceError>) -> Option<Result<(), ServiceError>> {
            Some(r.map(|_| ()))
        }
        match permission {
            Permission::CaseData => done(service.dispute_register(
                session,
                &RegisterFilter::default(),
                RegisterSort::default(),
            )),
            Permission::WriteCases => {
                done(service.schedule_visit(session, &NewVisitForm::default()))
            }
            Permission::BureauWide => done(service.today_list(session, Scope::Bureau)),
            Permission::Approvals => done(service.approvals(session)),
            Permission::Statistics => done(service.statistics_stations(session)),
            Permission::Audit => done(service.audit_page(session, &AuditFilter::default(), None)),
            Permission::Admin => done(service.accounts_overview(session)),
            Permission::Villages => done(service.set_station_villages(session, station, 0, &[])),
            Permission::StationAccounts => done(service.station_accounts(session)),
            Permission::RecordFinding => done(service.create_finding(
                session,
                &NewFinding {
                    target: TargetKind::Dispute,
                    target_id: Id::new(),
                    problem: None,
                    description: String::new(),
                    deadline: String::new(),
                },
            )),
            // No use case asks this before a record is read (see the rules' own tests).
            Permission::AssignOthers => None,
        }
    }

    /// Whether a use case's error is a refusal of rights rather than of the input.
    fn is_refusal(e: &ServiceError) -> bool {
        matches!(
            e,
            ServiceError::Forbidden(_) | ServiceError::Finding(FindingRefusal::RoleMayNot { .. })
        )
    }

    #[test]
    fn every_permission_answers_what_its_use_case_answers() {
        let (_dir, service, station, sessions) = station();
        for session in &sessions {
            for permission in Permission::ALL {
                let Some(used) = use_case(&service, session, station, permission) else {
                    continue;
                };
                let asked = service.check_permission(session, permission);
                let role = session.role();
                match (asked, used) {
                    (Err(want), Err(got)) => assert_eq!(
                        want.localize(Lang::En),
                        got.localize(Lang::En),
                        "{role:?} {permission:?}"
                    ),
                    (Err(want), Ok(())) => {
                        panic!("{role:?} {permission:?}: said {want}, the use case allowed it")
                    }
                    (Ok(()), Err(got)) => assert!(
                        !is_refusal(&got),
                        "{role:?} {permission:?}: allowed, the use case refused: {got}"
                    ),
                    (Ok(()), Ok(())) => {}
                }
            }
        }
    }

    #[test]
    fn views_follow_the_roles() {
        let (_dir, service, _station, sessions) = station();
        let views = |role| {
            let s = sessions.iter().find(|s| s.role() == role).expect("role");
            service.views(s)
        };
        assert!(views(Role::Admin).admin && !views(Role::Admin).case_data);
        assert_eq!(views(Role::Officer).start_scope, Scope::Mine);
        assert_eq!(views(Role::Chief).start_scope, Scope::Station);
        assert_eq!(views(Role::Supervisor).start_scope, Scope::Bureau);
        assert!(views(Role::Chief).assign_others && !views(Role::Officer).assign_others);
        assert!(views(Role::Chief).statistics && !views(Role::Officer).statistics);
        assert!(views(Role::Supervisor).record_finding && !views(Role::Chief).record_finding);
    }
}
