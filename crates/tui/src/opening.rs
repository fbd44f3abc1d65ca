//! The first second: the login screen is up at once while the store opens behind it.
//!
//! sled's start grows with the store (about half a second for a whole bureau, issue 16),
//! so the store opens on its own thread and the officer types the username and password
//! meanwhile. A login submitted before the store is open waits for it and then goes
//! ahead exactly as if it had been submitted afterwards. When the store opens at once
//! (a first run, a small station) nothing of this shows: the app starts directly.

use crate::action::Action;
use crate::keymap::{Key, Keymap, Lookup, Mode};
use crate::screens::login::{self, LoginState};
use crate::text::T;
use crate::theme;
use crate::widgets::form::Edit;
use beatbook_i18n::Lang;
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use std::time::{Duration, Instant};

/// How long the store may take before the login screen is shown without it: below this
/// the app starts directly on its first screen (set-up or login), without a flash.
pub(crate) const QUICK_OPEN: Duration = Duration::from_millis(120);

/// How often the screen looks whether the store is open yet.
const POLL: Duration = Duration::from_millis(25);

/// What the officer did while the store was opening.
#[derive(Debug)]
pub struct Early {
    pub login: LoginState,
    pub lang: Lang,
    /// The key that submitted the login (Enter or the save key), to be given to the
    /// login screen once the store is open.
    pub submitted: Option<Action>,
    pub quit: bool,
}

impl Early {
    pub fn new(lang: Lang) -> Early {
        Early {
            login: LoginState::new(),
            lang,
            submitted: None,
            quit: false,
        }
    }
}

/// Shows the login screen and takes keys until `opened()` says the store is open (or the
/// user quits: the caller still waits for the open to finish before closing it).
pub fn type_while_opening(
    terminal: &mut ratatui::DefaultTerminal,
    lang: Lang,
    keymap: &mut Keymap,
    opened: impl Fn() -> bool,
) -> anyhow::Result<Early> {
    let mut early = Early::new(lang);
    let started = Instant::now();
    while !opened() && !early.quit {
        terminal.draw(|frame| draw(&early, frame))?;
        if !event::poll(POLL)? {
            continue;
        }
        match event::read()? {
            Event::Key(ev) => early.on_key(keymap, ev),
            Event::Paste(text) => early.on_paste(&text),
            _ => {}
        }
    }
    tracing::info!(
        waited_ms = started.elapsed().as_millis() as u64,
        "store opened behind the login screen"
    );
    Ok(early)
}

impl Early {
    /// One key on the early login screen: editing keys go to the form, moves move, the
    /// submit is remembered (and the form then takes nothing more), quit quits;
    /// everything else waits for the app.
    pub fn on_key(&mut self, keymap: &mut Keymap, ev: KeyEvent) {
        if ev.kind != KeyEventKind::Press {
            return;
        }
        let Some(key) = Key::from_event(&ev) else {
            return;
        };
        let form = &mut self.login.form;
        if self.submitted.is_none() && form.edit(&ev, &key) != Edit::NotHandled {
            return;
        }
        let Lookup::Action(action) = keymap.feed(Mode::Login, key) else {
            return;
        };
        match action {
            Action::Quit | Action::ForceQuit => self.quit = true,
            Action::SwitchLang => self.lang = self.lang.toggled(),
            _ if self.submitted.is_some() => {}
            Action::NextField | Action::Down => form.next_field(),
            Action::PrevField | Action::Up => form.prev_field(),
            Action::Submit if !form.on_last_field() => form.next_field(),
            Action::Submit | Action::Save => self.submitted = Some(action),
            _ => {}
        }
    }

    /// Pasted text, into the focused field (until the login is submitted).
    pub fn on_paste(&mut self, text: &str) {
        if self.submitted.is_none() {
            self.login.form.paste_cleaned(text);
        }
    }
}

fn draw(early: &Early, frame: &mut ratatui::Frame) {
    let [body, message, _status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    login::draw_form(early.lang, false, &early.login, frame, body);
    let text = if early.submitted.is_some() {
        T::LoggingInOnceOpen
    } else {
        T::OpeningData
    };
    frame.render_widget(
        Line::from(Span::styled(
            format!(" {}", text.get(early.lang)),
            theme::dim(),
        )),
        message,
    );
}
