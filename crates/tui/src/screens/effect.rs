//! What a screen asks of the app after handling an action (ratatui's component pattern:
//! `update(action) -> Effect`). A screen that returns an [`Effect`] changes only its own
//! state; the app, which owns the session, the overlays and the message line, carries
//! the effect out in one place ([`crate::app::App`]'s `apply`). This keeps a screen's
//! reaction testable on its state alone and keeps "what happens after a save / a switch
//! / a logout" from being written once per screen.

use crate::app::{App, Message, Screen};
use beatbook_i18n::Lang;
use beatbook_service::{Service, Session};

/// What a screen may read while it handles an action.
pub struct Ctx<'a> {
    pub service: &'a Service,
    pub session: &'a Session,
    pub lang: Lang,
}

/// What the app does after a screen handled an action.
#[must_use]
pub enum Effect {
    /// Nothing beyond the screen's own state.
    None,
    /// Read the visible screen again (selecting a record just created, if it is listed).
    Reload,
    /// Say something on the message line.
    Message(Message),
    /// Close the overlay on top.
    Close,
    /// Put `Screen` up in place of the current one, then read it.
    Show(Box<Screen>),
    /// Go to the next list of the cycle ([`crate::screens::cycle::switch_view`]).
    SwitchView,
    /// End the session.
    Logout,
    /// Open another area's overlay or form, which reads its record through the app (the
    /// dispute of a row, a form that needs the station's officers).
    Open(Box<dyn FnOnce(&mut App)>),
    /// Several effects, in order (a refresh reads, then says so).
    Then(Vec<Effect>),
}

impl Effect {
    /// Opens what `open` opens, once the screen's state is no longer borrowed.
    pub fn open(open: impl FnOnce(&mut App) + 'static) -> Effect {
        Effect::Open(Box::new(open))
    }
}

impl App<'_> {
    /// Carries out what a screen asked for.
    pub(crate) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Reload => self.reload_screen(),
            Effect::Message(m) => self.message = Some(m),
            Effect::Close => {
                self.overlays.pop();
            }
            Effect::Show(screen) => {
                self.screen = *screen;
                self.reload_screen();
            }
            Effect::SwitchView => crate::screens::cycle::switch_view(self),
            Effect::Logout => self.logout(),
            Effect::Open(open) => open(self),
            Effect::Then(effects) => {
                for e in effects {
                    self.apply(e);
                }
            }
        }
    }
}
