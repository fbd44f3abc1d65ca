//! The whole app as one state machine: keys become [`Action`]s through the keymap, the
//! state reacts by calling the service, and `draw` is a pure function of the state
//! (ratatui's Elm-style template). Tests drive it by replaying keys into [`App::on_key`]
//! and drawing onto a `TestBackend`.

mod apply;
mod input;
mod reload;

use super::action::Action;
use super::keymap::{Keymap, Mode};
use super::screens::effect::{Ctx, Effect};
use super::screens::{
    admin, audit, conflicts, disputes, findings, form, help, login, residents, setup, statistics,
    visits, watch,
};
use crate::text::T;
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_service::{Service, ServiceError, Session};
use ratatui::Frame;

/// What the status line says after an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: Bi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Error,
}

impl Message {
    pub fn success(text: Bi) -> Message {
        Message {
            kind: MessageKind::Success,
            text,
        }
    }
    pub fn info(text: Bi) -> Message {
        Message {
            kind: MessageKind::Info,
            text,
        }
    }
    pub fn error(err: &dyn Localize) -> Message {
        Message {
            kind: MessageKind::Error,
            text: Bi::of(err),
        }
    }
}

/// The screen under any overlays.
#[derive(Debug)]
pub enum Screen {
    /// First run: load demo data or create the first station.
    Setup(setup::SetupState),
    Login(login::LoginState),
    Today(visits::today::TodayState),
    /// The dispute register.
    Register(disputes::register::RegisterState),
    /// The watch list of key persons.
    Watch(watch::list::WatchState),
    /// Administrators: stations and accounts.
    Admin(admin::list::AdminState),
    /// Supervision findings (all stations for a supervisor, its own for a station).
    Findings(findings::list::FindingsState),
    /// Chiefs and supervisors: the audit log.
    Audit(Box<audit::AuditState>),
    /// Chiefs and supervisors: the month's statistics.
    Statistics(statistics::StatisticsState),
    /// issue 10 — the resident register.
    Residents(Box<residents::list::ResidentsState>),
    /// issue 14 — conflicts from the hub, for the person who decides them.
    Conflicts(Box<conflicts::ConflictsState>),
}

/// Boxes drawn over the screen; the top one gets the keys.
#[derive(Debug)]
pub enum Overlay {
    Detail(Box<visits::detail::DetailState>),
    Form(Box<form::FormState>),
    Confirm(Confirm),
    Help(help::HelpState),
    Dispute(Box<disputes::detail::DisputeState>),
    Person(Box<watch::person::PersonState>),
    Guard(Box<disputes::guard::GuardState>),
    Finding(Box<findings::detail::FindingState>),
}

/// A yes/no question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Close the top form and lose what was typed.
    DiscardForm,
    /// Quit although a form holds input.
    Quit,
    /// An administrator's account action that cannot be taken back silently.
    Admin(admin::list::AdminConfirm),
    /// A decision on the conflict shown.
    Conflict(conflicts::ConflictDecision),
}

impl Confirm {
    /// Yes carries the answer out (the box closes first); no, back and cancel only close.
    pub fn update(&mut self, action: Action) -> Effect {
        match action {
            Action::Yes => Effect::Then(vec![
                Effect::Close,
                match *self {
                    Confirm::Quit => Effect::Quit,
                    Confirm::Admin(c) => Effect::AdminConfirmed(c),
                    Confirm::DiscardForm => Effect::DiscardForm,
                    Confirm::Conflict(d) => Effect::DecideConflict(d),
                },
            ]),
            Action::No | Action::Back | Action::Cancel => Effect::Close,
            _ => Effect::None,
        }
    }
}

/// A record just saved as new, waiting for the list that shows it to select it: the list
/// may be the screen under the form, or one the officer switches to later (a finding is
/// recorded over the register, then looked at on the findings list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Dispute(beatbook_model::Id),
    Flag(beatbook_model::Id),
    Finding(beatbook_model::Id),
}

/// The application state.
pub struct App<'s> {
    pub(super) service: &'s Service,
    pub(super) lang: Lang,
    pub(super) keymap: Keymap,
    pub(super) screen: Screen,
    pub(super) overlays: Vec<Overlay>,
    pub(super) session: Option<Session>,
    pub(super) message: Option<Message>,
    /// New records no list has selected yet (see [`Created`]).
    pub(super) created: Vec<Created>,
    /// Where the terminal stands with its hub, read on each tick (None: no hub).
    pub(super) sync: Option<beatbook_service::SyncStatus>,
    /// The store's change sequence the visible list reflects: when a pull moves it, the
    /// list is read again.
    pub(super) seen_change_seq: u64,
    /// Told of every login, so that the person search is prepared for it on a
    /// background thread (see [`crate::run`]); none in tests and benchmarks.
    logins: Option<std::sync::mpsc::Sender<Session>>,
    /// A login whose search is to be prepared once its first screen is drawn: building
    /// the index beside the first Today would slow the screen the officer waits for.
    search_due: Option<Session>,
    quit: bool,
}

impl<'s> App<'s> {
    /// The app at start: set-up on an empty store, else the login screen.
    pub fn new(service: &'s Service, lang: Lang, keymap: Keymap) -> App<'s> {
        let screen = if service.needs_setup() {
            Screen::Setup(setup::SetupState)
        } else {
            Screen::Login(login::LoginState::new())
        };
        App {
            service,
            lang,
            keymap,
            screen,
            overlays: Vec::new(),
            session: None,
            message: service.audit_problem().map(Message::error),
            created: Vec::new(),
            sync: None,
            seen_change_seq: service.change_seq(),
            logins: None,
            search_due: None,
            quit: false,
        }
    }

    /// The app once the store is open, taking over what was typed on the login screen
    /// while it opened (see [`crate::opening`]): a login already submitted goes ahead.
    pub fn after_opening(
        service: &'s Service,
        keymap: Keymap,
        early: crate::opening::Early,
        logins: Option<std::sync::mpsc::Sender<Session>>,
    ) -> App<'s> {
        let mut app = App::new(service, early.lang, keymap);
        app.logins = logins;
        if let Screen::Login(state) = &mut app.screen {
            *state = early.login;
            if let Some(action) = early.submitted {
                app.update(action);
            }
        }
        app
    }

    /// The app right after a login (benchmarks, tests that start on Today).
    pub fn logged_in(
        service: &'s Service,
        lang: Lang,
        keymap: Keymap,
        session: Session,
    ) -> App<'s> {
        let mut app = App::new(service, lang, keymap);
        app.enter_session(session);
        app
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// How many visits the Today list holds (0 off the Today screen).
    pub fn today_rows(&self) -> usize {
        match &self.screen {
            Screen::Today(t) => t.view.as_ref().map_or(0, |v| v.rows.len()),
            _ => 0,
        }
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Where keys are looked up now.
    pub fn mode(&self) -> Mode {
        match self.overlays.last() {
            Some(Overlay::Detail(_)) => Mode::Detail,
            Some(Overlay::Form(_)) => Mode::Form,
            Some(Overlay::Confirm(_)) => Mode::Confirm,
            Some(Overlay::Help(_)) => Mode::Help,
            Some(Overlay::Dispute(_)) => Mode::Dispute,
            Some(Overlay::Person(_)) => Mode::Person,
            Some(Overlay::Guard(_)) => Mode::Guard,
            Some(Overlay::Finding(_)) => Mode::Finding,
            None => match &self.screen {
                Screen::Setup(_) => Mode::Setup,
                Screen::Login(_) => Mode::Login,
                Screen::Today(t) if t.filtering => Mode::Filter,
                Screen::Register(r) if r.filtering => Mode::Filter,
                Screen::Register(_) => Mode::Register,
                Screen::Watch(w) if w.filtering => Mode::Filter,
                Screen::Watch(_) => Mode::Watch,
                Screen::Findings(_) => Mode::Findings,
                Screen::Audit(a) if a.filtering => Mode::Filter,
                Screen::Audit(_) => Mode::Audit,
                Screen::Statistics(_) => Mode::Statistics,
                Screen::Residents(r) if r.filtering => Mode::Filter,
                Screen::Residents(_) => Mode::Residents,
                Screen::Admin(_) => Mode::Admin,
                Screen::Conflicts(_) => Mode::Conflicts,
                Screen::Today(_) => Mode::Today,
            },
        }
    }

    /// After a successful login: the screen that fits the role.
    pub(crate) fn enter_session(&mut self, session: Session) {
        let must_change = session.must_change_password();
        self.overlays.clear();
        if must_change {
            // The service serves such a session nothing but the password change: an
            // empty Today waits behind the form, and the change enters the session anew.
            self.screen = Screen::Today(visits::today::TodayState::new(
                self.service.views(&session).start_scope,
            ));
            self.session = Some(session);
            self.overlays
                .push(Overlay::Form(Box::new(form::change_password())));
            return;
        }
        let views = self.service.views(&session);
        self.screen = if views.admin {
            Screen::Admin(admin::list::AdminState::load(self.service, &session))
        } else {
            Screen::Today(visits::today::TodayState::new(views.start_scope))
        };
        if self.logins.is_some() {
            self.search_due = Some(session.clone());
        }
        self.session = Some(session);
        self.reload_today();
        self.end_revoked_session();
    }

    /// Shows a refusal from the service.
    pub(crate) fn fail(&mut self, e: &ServiceError) {
        self.message = Some(Message::error(e));
    }

    /// Reacts to an action in the current mode; if a service call on the way found the
    /// account changed since login, the session ends there.
    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.after_step();
    }

    pub(super) fn dispatch(&mut self, action: Action) {
        match action {
            Action::Noop => return,
            Action::SwitchLang => {
                self.lang = self.lang.toggled();
                return;
            }
            Action::Help if self.mode() != Mode::Help => {
                self.overlays
                    .push(Overlay::Help(help::HelpState::new(self.mode())));
                return;
            }
            Action::Quit | Action::ForceQuit => {
                if matches!(self.overlays.last(), Some(Overlay::Confirm(Confirm::Quit))) {
                    self.quit = true;
                } else if self.has_unsaved_input() {
                    self.overlays.push(Overlay::Confirm(Confirm::Quit));
                } else {
                    self.quit = true;
                }
                return;
            }
            _ => {}
        }
        // One dispatch: whatever is on top gets the action (an overlay, else the screen).
        // Components change only their own state and say what the app should do next.
        let (service, lang) = (self.service, self.lang);
        let ctx = |session| Ctx {
            service,
            session,
            lang,
        };
        let effect = match (self.overlays.last_mut(), &mut self.screen, &self.session) {
            (Some(Overlay::Help(h)), _, _) => h.update(action),
            (Some(Overlay::Confirm(c)), _, _) => c.update(action),
            (Some(Overlay::Form(f)), _, session) => f.update(session.as_ref(), lang, action),
            (Some(Overlay::Detail(s)), _, Some(session)) => s.update(&ctx(session), action),
            (Some(Overlay::Dispute(s)), _, Some(session)) => s.update(&ctx(session), action),
            (Some(Overlay::Person(s)), _, Some(session)) => s.update(&ctx(session), action),
            (Some(Overlay::Guard(s)), _, _) => s.update(action),
            (Some(Overlay::Finding(s)), _, Some(session)) => s.update(&ctx(session), action),
            (Some(_), _, None) => return,
            (None, Screen::Register(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Watch(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Findings(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Today(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Residents(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Admin(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Statistics(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Audit(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Conflicts(s), Some(session)) => s.update(&ctx(session), action),
            (None, Screen::Setup(s), _) => s.update(service, action),
            (None, Screen::Login(s), _) => s.update(service, lang, action),
            (None, _, None) => return,
        };
        self.apply(effect);
    }

    /// Logs out: back to the login screen.
    pub(crate) fn logout(&mut self) {
        self.session = None;
        self.created.clear();
        self.overlays.clear();
        self.screen = Screen::Login(login::LoginState::new());
        self.message = Some(Message::info(T::LoggedOut.bi()));
    }

    /// What follows every step (a key, a paste, a tick that read something again): the
    /// register's rows near the selection get their parties' names, then a session the
    /// service found revoked ends.
    pub(crate) fn after_step(&mut self) {
        if let (Screen::Register(list), Some(session)) = (&mut self.screen, &self.session) {
            if let Err(e) = list.name_shown(self.service, session) {
                self.message = Some(Message::error(&e));
            }
        }
        self.end_revoked_session();
    }

    /// Back to the login screen once the service has refused the session because an
    /// administrator changed the account (see [`beatbook_service::Service::authorize`]).
    /// Checked after every step rather than at each of the screens' many error paths:
    /// whichever call was refused and however its screen shows errors, the revoked flag
    /// is on the session the app holds, so no screen can keep working with old rights.
    fn end_revoked_session(&mut self) {
        if self.session.as_ref().is_some_and(Session::is_revoked) {
            self.logout();
            self.message = Some(Message::error(&ServiceError::SessionRevoked));
        }
    }

    /// Called after each frame is drawn: starts what waits for the first screen of a
    /// login (preparing the person search for it).
    pub fn after_draw(&mut self) {
        if let (Some(session), Some(logins)) = (self.search_due.take(), &self.logins) {
            // The thread is gone only when the app is ending; nothing to prepare then.
            let _ = logins.send(session);
        }
    }

    /// Draws the whole app.
    pub fn draw(&self, frame: &mut Frame) {
        super::screens::draw(self, frame);
        super::widgets::scrub::scrub(frame.buffer_mut());
    }
}
