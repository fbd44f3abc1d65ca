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

/// After this long the notice says why: the first open after an update migrates the
/// store (a minute or more for a whole bureau), and an officer must not think it hung.
const SLOW_OPEN: Duration = Duration::from_secs(5);

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
        terminal.draw(|frame| draw(&early, started.elapsed(), frame))?;
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

fn draw(early: &Early, waited: Duration, frame: &mut ratatui::Frame) {
    let [body, message, _status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    login::draw_form(early.lang, false, &early.login, frame, body);
    let text = if waited >= SLOW_OPEN {
        T::StillOpeningAfterUpdate
    } else if early.submitted.is_some() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn notice(lang: Lang, waited: Duration) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        terminal
            .draw(|frame| draw(&Early::new(lang), waited, frame))
            .expect("draw");
        let buffer = terminal.backend().buffer();
        (0..buffer.area.width)
            .filter_map(|x| buffer.cell((x, 22)).map(|c| c.symbol().to_string()))
            .collect()
    }

    /// A migration keeps the store opening for a minute or more: after a few seconds the
    /// notice says so, whole at 80 columns, in both languages.
    #[test]
    fn a_long_open_says_why() {
        let quick = notice(Lang::En, Duration::from_secs(1));
        assert!(quick.contains("Opening the data"), "{quick}");
        assert!(notice(Lang::En, SLOW_OPEN)
            .contains("after an update the first start takes minutes for a bureau"));
        // A wide character's second cell reads as a space.
        let zh = notice(Lang::Zh, SLOW_OPEN).replace(' ', "");
        assert!(
            zh.contains("更新后首次打开需整理数据，全局数据约需几分钟"),
            "{zh}"
        );
    }
}
