//! The whole app as one state machine: keys become [`Action`]s through the keymap, the
//! state reacts by calling the service, and `draw` is a pure function of the state
//! (ratatui's Elm-style template). Tests drive it by replaying keys into [`App::on_key`]
//! and drawing onto a `TestBackend`.

use super::action::Action;
use super::keymap::{Key, Keymap, Lookup, Mode};
use super::screens::created::{show_created, RecordList};
use super::screens::{
    admin, audit, detail, dispute, dispute_forms, finding, findings, forms, help, login, person,
    register, residents, setup, statistics, today, watch,
};
use super::widgets::form::{Edit, Form};
use crate::text::T;
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_service::{Service, ServiceError, Session};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
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
    Setup,
    Login(Form),
    Today(today::TodayState),
    /// The dispute register.
    Register(register::RegisterState),
    /// The watch list of key persons.
    Watch(watch::WatchState),
    /// Administrators: stations and accounts.
    Admin(admin::AdminState),
    /// Supervision findings (all stations for a supervisor, its own for a station).
    Findings(findings::FindingsState),
    /// Chiefs and supervisors: the audit log.
    Audit(Box<audit::AuditState>),
    /// Chiefs and supervisors: the month's statistics.
    Statistics(statistics::StatisticsState),
    /// issue 10 — the resident register.
    Residents(Box<residents::ResidentsState>),
}

/// Boxes drawn over the screen; the top one gets the keys.
#[derive(Debug)]
pub enum Overlay {
    Detail(Box<detail::DetailState>),
    Form(Box<forms::FormState>),
    Confirm(Confirm),
    Help(help::HelpState),
    Dispute(Box<dispute::DisputeState>),
    Person(Box<person::PersonState>),
    Guard(Box<dispute_forms::GuardState>),
    Finding(Box<finding::FindingState>),
}

/// A yes/no question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Close the top form and lose what was typed.
    DiscardForm,
    /// Quit although a form holds input.
    Quit,
    /// An administrator's account action that cannot be taken back silently.
    Admin(admin::AdminConfirm),
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
    quit: bool,
}

impl<'s> App<'s> {
    /// The app at start: set-up on an empty store, else the login screen.
    pub fn new(service: &'s Service, lang: Lang, keymap: Keymap) -> App<'s> {
        let screen = if service.needs_setup() {
            Screen::Setup
        } else {
            Screen::Login(login::form())
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
            quit: false,
        }
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
                Screen::Setup => Mode::Setup,
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
                Screen::Today(_) => Mode::Today,
            },
        }
    }

    /// After a successful login: the screen that fits the role.
    pub(super) fn enter_session(&mut self, session: Session) {
        let must_change = session.must_change_password();
        self.overlays.clear();
        if must_change {
            // The service serves such a session nothing but the password change: an
            // empty Today waits behind the form, and the change enters the session anew.
            self.screen = Screen::Today(today::TodayState::new(
                self.service.views(&session).start_scope,
            ));
            self.session = Some(session);
            self.overlays
                .push(Overlay::Form(Box::new(forms::change_password())));
            return;
        }
        let views = self.service.views(&session);
        self.screen = if views.admin {
            Screen::Admin(admin::AdminState::load(self.service, &session))
        } else {
            Screen::Today(today::TodayState::new(views.start_scope))
        };
        self.session = Some(session);
        self.reload_today();
        self.end_revoked_session();
    }

    /// Reads the Today list again (after every save, and on refresh).
    pub(super) fn reload_today(&mut self) {
        // Every save path calls this one: the resident register under an overlay (a
        // person opened from it and edited, flagged, …) follows the same saves.
        if matches!(self.screen, Screen::Residents(_)) {
            residents::reload(self, None);
            return;
        }
        let (Some(session), Screen::Today(state)) = (&self.session, &mut self.screen) else {
            return;
        };
        if let Err(e) = state.reload(self.service, session) {
            self.message = Some(Message::error(&e));
        }
    }

    /// Reads the dispute register again (after saves and filter changes).
    pub(super) fn reload_register(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Register(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Dispute(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the watch list again.
    pub(super) fn reload_watch(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Watch(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Flag(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the findings list again.
    pub(super) fn reload_findings(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Findings(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Finding(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the list `list` picks out of the current screen (none: another screen is
    /// up), then selects the record of kind `created` made since, if any.
    fn reload_list<L: RecordList>(
        &mut self,
        list: impl FnOnce(&mut Screen) -> Option<&mut L>,
        created: impl Fn(Created) -> Option<beatbook_model::Id>,
    ) {
        let (Some(session), Some(state)) = (&self.session, list(&mut self.screen)) else {
            return;
        };
        let new = take_created(&mut self.created, created);
        let result = state.read(self.service, session).and_then(|()| match new {
            Some(id) => show_created(state, self.service, session, id),
            None => Ok(false),
        });
        self.after_reload(result);
    }

    /// Reports a list read: a refusal replaces the message; filters cleared to show a new
    /// record are said after the save's message, so the officer knows why the list changed.
    fn after_reload(&mut self, result: Result<bool, ServiceError>) {
        match result {
            Err(e) => self.message = Some(Message::error(&e)),
            Ok(true) => {
                let note = T::FiltersClearedToShowIt.bi();
                self.message = Some(match self.message.take() {
                    Some(m) => Message {
                        kind: m.kind,
                        text: Bi::new(m.text.zh + &note.zh, m.text.en + &note.en),
                    },
                    None => Message::info(note),
                });
            }
            Ok(false) => {}
        }
    }

    /// Shows a refusal from the service.
    pub(super) fn fail(&mut self, e: &ServiceError) {
        self.message = Some(Message::error(e));
    }

    /// Whether a form holds something typed that quitting would lose (a half-typed
    /// login loses nothing worth asking about).
    fn has_unsaved_input(&self) -> bool {
        self.overlays.iter().any(|o| match o {
            Overlay::Form(f) => f.form.is_dirty(),
            _ => false,
        })
    }

    /// Handles one terminal key event.
    pub fn on_key(&mut self, ev: KeyEvent) {
        if ev.kind != KeyEventKind::Press {
            return;
        }
        let Some(key) = Key::from_event(&ev) else {
            return;
        };
        let mode = self.mode();
        if mode.takes_text() && self.edit_text(&ev, &key) {
            self.end_revoked_session();
            return;
        }
        match self.keymap.feed(mode, key) {
            Lookup::Action(action) => self.update(action),
            Lookup::Pending | Lookup::None => {}
        }
    }

    /// Called when the terminal has been idle a while: once the date moves on (a terminal
    /// left open past midnight), Today is read again so nothing due slips by unseen.
    pub fn on_tick(&mut self) {
        let stale = match &self.screen {
            Screen::Today(t) => t
                .view
                .as_ref()
                .is_some_and(|v| v.today != self.service.today()),
            _ => false,
        };
        if stale && self.overlays.is_empty() {
            self.reload_today();
            self.end_revoked_session();
        }
    }

    /// Handles pasted text (bracketed paste).
    pub fn on_paste(&mut self, text: &str) {
        // Filters are one line: line breaks and tabs become spaces, other control
        // characters go (a form field cleans by its own kind, below).
        let (line, mut removed) = crate::widgets::form_input::clean_input(text, false);
        let edit = match (self.overlays.last_mut(), &mut self.screen) {
            (Some(Overlay::Form(f)), _) => {
                let (edit, n) = f.form.paste_cleaned(text);
                removed = n;
                edit
            }
            (None, Screen::Login(form)) => {
                let (edit, n) = form.paste_cleaned(text);
                removed = n;
                edit
            }
            (None, Screen::Today(t)) if t.filtering => {
                t.filter.insert_str(&line);
                t.apply_filter();
                Edit::Handled
            }
            (None, Screen::Register(r)) if r.filtering => {
                r.text.insert_str(&line);
                r.apply_text();
                Edit::Handled
            }
            (None, Screen::Watch(w)) if w.filtering => {
                w.text.insert_str(&line);
                w.apply_text();
                Edit::Handled
            }
            (None, Screen::Audit(a)) if a.filtering => {
                a.text.insert_str(&line);
                Edit::Handled
            }
            (None, Screen::Residents(r)) if r.filtering => {
                r.text.insert_str(&line);
                Edit::Handled
            }
            _ => Edit::NotHandled,
        };
        if removed > 0 && edit != Edit::NotHandled {
            let say = |lang| beatbook_i18n::fill(T::ControlCharsRemoved.get(lang), &[&removed]);
            self.message = Some(Message::info(beatbook_i18n::Bi::new(
                say(Lang::Zh),
                say(Lang::En),
            )));
        }
        if edit == Edit::Handled {
            residents::after_typing(self);
        }
        if edit == Edit::QueryChanged {
            self.refresh_picker();
            self.end_revoked_session();
        }
    }

    /// Gives an editing key to the focused text input; true if it took it.
    fn edit_text(&mut self, ev: &KeyEvent, key: &Key) -> bool {
        let edit = match (self.overlays.last_mut(), &mut self.screen) {
            (Some(Overlay::Form(f)), _) => f.form.edit(ev, key),
            (None, Screen::Login(form)) => form.edit(ev, key),
            (None, Screen::Today(t)) if t.filtering => {
                if t.filter.handle_key(ev, key) {
                    t.apply_filter();
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            (None, Screen::Register(r)) if r.filtering => {
                if r.text.handle_key(ev, key) {
                    r.apply_text();
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            (None, Screen::Watch(w)) if w.filtering => {
                if w.text.handle_key(ev, key) {
                    w.apply_text();
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            // The audit filter is applied on Enter: each page read costs more than a
            // keystroke should.
            (None, Screen::Audit(a)) if a.filtering => {
                if a.text.handle_key(ev, key) {
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            (None, Screen::Residents(r)) if r.filtering => {
                if r.text.handle_key(ev, key) {
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            _ => Edit::NotHandled,
        };
        match edit {
            Edit::NotHandled => false,
            Edit::Handled => {
                forms::after_edit(self);
                residents::after_typing(self);
                true
            }
            Edit::QueryChanged => {
                self.refresh_picker();
                true
            }
        }
    }

    /// Looks persons up again for the focused picker.
    pub(super) fn refresh_picker(&mut self) {
        let (Some(session), Some(Overlay::Form(f))) = (&self.session, self.overlays.last_mut())
        else {
            return;
        };
        if let Some(picker) = f.form.focused_picker_mut() {
            let query = picker.query.value().to_string();
            let wide = picker.wide;
            if query.trim().is_empty() {
                picker.results.clear();
                return;
            }
            match self.service.search_persons(
                session,
                &query,
                super::widgets::form::PICKER_ROWS,
                wide,
            ) {
                Ok(results) => {
                    picker.results = results;
                    picker.highlighted = 0;
                }
                Err(e) => f.form.error = Some(e.localize(self.lang)),
            }
        }
    }

    /// Reacts to an action in the current mode; if a service call on the way found the
    /// account changed since login, the session ends there.
    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.end_revoked_session();
    }

    fn dispatch(&mut self, action: Action) {
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
        match self.mode() {
            Mode::Help => help::update(self, action),
            Mode::Confirm => self.update_confirm(action),
            Mode::Form => forms::update(self, action),
            Mode::Detail => detail::update(self, action),
            Mode::Setup => setup::update(self, action),
            Mode::Login => login::update(self, action),
            Mode::Today | Mode::Filter | Mode::Register | Mode::Watch | Mode::Audit => {
                match &self.screen {
                    Screen::Admin(_) => admin::update(self, action),
                    Screen::Audit(_) => audit::update(self, action),
                    Screen::Register(_) => register::update(self, action),
                    Screen::Watch(_) => watch::update(self, action),
                    Screen::Residents(_) => residents::update(self, action),
                    _ => today::update(self, action),
                }
            }
            Mode::Admin => admin::update(self, action),
            Mode::Statistics => statistics::update(self, action),
            Mode::Residents => residents::update(self, action),
            Mode::Dispute => dispute::update(self, action),
            Mode::Person => person::update(self, action),
            Mode::Guard => dispute_forms::update_guard(self, action),
            Mode::Findings => findings::update(self, action),
            Mode::Finding => finding::update(self, action),
            Mode::Global => {}
        }
    }

    fn update_confirm(&mut self, action: Action) {
        let Some(Overlay::Confirm(question)) = self.overlays.last() else {
            return;
        };
        let question = *question;
        match action {
            Action::Yes => {
                self.overlays.pop();
                match question {
                    Confirm::Quit => self.quit = true,
                    Confirm::Admin(c) => admin::confirmed(self, c),
                    Confirm::DiscardForm => {
                        if matches!(self.overlays.last(), Some(Overlay::Form(_))) {
                            self.overlays.pop();
                        }
                    }
                }
            }
            Action::No | Action::Back | Action::Cancel => {
                self.overlays.pop();
            }
            _ => {}
        }
    }

    /// Logs out: back to the login screen.
    pub(super) fn logout(&mut self) {
        self.session = None;
        self.created.clear();
        self.overlays.clear();
        self.screen = Screen::Login(login::form());
        self.message = Some(Message::info(T::LoggedOut.bi()));
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

    /// Draws the whole app.
    pub fn draw(&self, frame: &mut Frame) {
        super::screens::draw(self, frame);
        super::widgets::scrub::scrub(frame.buffer_mut());
    }
}

/// Takes the new record of one kind out of the waiting ones (the newest if several).
fn take_created(
    created: &mut Vec<Created>,
    kind: impl Fn(Created) -> Option<beatbook_model::Id>,
) -> Option<beatbook_model::Id> {
    let at = created.iter().rposition(|c| kind(*c).is_some())?;
    let id = kind(created.remove(at));
    created.retain(|c| kind(*c).is_none());
    id
}

#[cfg(test)]
mod created_tests {
    use super::{take_created, Created};
    use beatbook_model::Id;

    #[test]
    fn a_list_takes_only_its_kind_and_the_newest_of_it() {
        let (d1, d2, f) = (Id::new(), Id::new(), Id::new());
        let mut waiting = vec![
            Created::Dispute(d1),
            Created::Finding(f),
            Created::Dispute(d2),
        ];
        let dispute = |c| match c {
            Created::Dispute(id) => Some(id),
            _ => None,
        };
        assert_eq!(take_created(&mut waiting, dispute), Some(d2));
        assert_eq!(
            waiting,
            vec![Created::Finding(f)],
            "older disputes are dropped"
        );
        assert_eq!(take_created(&mut waiting, dispute), None);
        let flag = |c| match c {
            Created::Flag(id) => Some(id),
            _ => None,
        };
        assert_eq!(take_created(&mut waiting, flag), None);
        assert_eq!(waiting, vec![Created::Finding(f)], "other kinds wait");
    }
}
