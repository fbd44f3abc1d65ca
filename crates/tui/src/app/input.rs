//! Keys, pasted text and the idle tick: editing keys go to the focused text input, the
//! rest become [`Action`]s through the keymap.

use super::{App, Message, Overlay, Screen};
use crate::keymap::{Key, Lookup};
use crate::screens::{form, residents};
use crate::text::T;
use crate::widgets::form::Edit;
use beatbook_i18n::{Lang, Localize};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

impl App<'_> {
    /// Whether a form holds something typed that quitting would lose (a half-typed
    /// login loses nothing worth asking about).
    pub(super) fn has_unsaved_input(&self) -> bool {
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
            self.after_step();
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
            self.after_step();
        }
        self.follow_sync();
    }

    /// With a hub: reads where the terminal stands for the status bar, tells a new sync
    /// problem once, and reads the visible list again when a pull wrote records — not under
    /// an open form or record, which stay as the officer left them until closed.
    pub(crate) fn follow_sync(&mut self) {
        let status = self.service.sync_status();
        if !status.joined {
            self.sync = None;
            return;
        }
        let told = self.sync.as_ref().and_then(|s| s.problem.clone());
        if let Some(problem) = &status.problem {
            if told.as_ref() != Some(problem) && !status.offline {
                self.message = Some(super::Message {
                    kind: super::MessageKind::Error,
                    text: problem.clone(),
                });
            }
        }
        self.sync = Some(status);
        let seq = self.service.change_seq();
        if seq != self.seen_change_seq && self.overlays.is_empty() && self.session.is_some() {
            self.seen_change_seq = seq;
            self.reload_screen();
            self.after_step();
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
            (None, Screen::Login(login)) => {
                let (edit, n) = login.form.paste_cleaned(text);
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
                if let Some(session) = &self.session {
                    if let Err(e) = r.apply_text(self.service, session) {
                        self.message = Some(Message::error(&e));
                    }
                }
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
            residents::list::after_typing(self);
        }
        if edit == Edit::QueryChanged {
            self.refresh_picker();
            self.after_step();
        }
    }

    /// Gives an editing key to the focused text input; true if it took it.
    fn edit_text(&mut self, ev: &KeyEvent, key: &Key) -> bool {
        let edit = match (self.overlays.last_mut(), &mut self.screen) {
            (Some(Overlay::Form(f)), _) => f.form.edit(ev, key),
            (None, Screen::Login(login)) => login.form.edit(ev, key),
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
                    if let Some(session) = &self.session {
                        if let Err(e) = r.apply_text(self.service, session) {
                            self.message = Some(Message::error(&e));
                        }
                    }
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
                form::after_edit(self);
                residents::list::after_typing(self);
                true
            }
            Edit::QueryChanged => {
                self.refresh_picker();
                true
            }
        }
    }

    /// Looks persons up again for the focused picker.
    pub(crate) fn refresh_picker(&mut self) {
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
                crate::widgets::form::PICKER_ROWS,
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
}
