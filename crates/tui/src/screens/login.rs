//! The login screen.

use crate::action::Action;
use crate::app::{App, Message};
use crate::screens::effect::Effect;
use crate::text::T;
use crate::theme;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::Field;
use beatbook_service::Service;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The login screen: username and password.
#[derive(Debug)]
pub struct LoginState {
    pub form: Form,
}

impl Default for LoginState {
    fn default() -> Self {
        LoginState::new()
    }
}

impl LoginState {
    pub fn new() -> LoginState {
        LoginState {
            form: Form::new(
                T::BeatbookLogin.bi(),
                vec![
                    FormField::text(Field::Username, "", true),
                    FormField::secret(Field::Password),
                ],
            ),
        }
    }

    /// Moves between the fields and logs in; there is no session yet, so it reads the
    /// service and the language only.
    pub fn update(&mut self, service: &Service, lang: Lang, action: Action) -> Effect {
        let form = &mut self.form;
        match action {
            Action::NextField | Action::Down => form.next_field(),
            Action::PrevField | Action::Up => form.prev_field(),
            Action::Submit if !form.on_last_field() => form.next_field(),
            Action::Submit | Action::Save => {
                let username = form.text(Field::Username);
                let password = form.text(Field::Password);
                if username.trim().is_empty() {
                    form.error = Some(
                        beatbook_model::ValidationError::Required(Field::Username).localize(lang),
                    );
                    form.focus_field(Field::Username);
                    return Effect::None;
                }
                match service.login(&username, &password) {
                    Ok(session) => {
                        return Effect::Then(vec![
                            Effect::Message(Message::success(
                                T::Welcome.bi_fill(&[&session.display_name()]),
                            )),
                            Effect::EnterSession(Box::new(session)),
                        ]);
                    }
                    // Every refusal leaves the username as typed, clears the password and
                    // puts the cursor there: an unknown username is told and handled
                    // exactly like a wrong password, so the screen does not reveal which
                    // usernames exist (Shift+Tab goes back to a mistyped username).
                    Err(e) => {
                        form.error = Some(e.localize(lang));
                        form.fields[1] = FormField::secret(Field::Password);
                        form.focus_field(Field::Password);
                    }
                }
            }
            _ => {}
        }
        Effect::None
    }
}

pub fn draw(app: &App, state: &LoginState, frame: &mut Frame, area: Rect) {
    draw_form(app.lang, app.service.is_demo(), state, frame, area);
}

/// The login screen without the app around it: also drawn while the store is still
/// opening (see [`crate::opening`]), when there is no service to ask yet.
pub fn draw_form(lang: Lang, demo: bool, state: &LoginState, frame: &mut Frame, area: Rect) {
    let hints = format!(
        "Tab {} | Enter {} | Esc {}",
        T::Move.get(lang),
        T::LogIn.get(lang),
        T::Quit.get(lang)
    );
    let banner = vec![
        Line::from(Span::styled("beatbook", theme::title())),
        Line::from(Span::styled(
            T::DisputesWatchListFollowUpVisits.get(lang),
            theme::dim(),
        )),
    ];
    frame.render_widget(
        Paragraph::new(banner).centered(),
        Rect {
            y: area.y + 1,
            height: 2.min(area.height),
            ..area
        },
    );
    state.form.render(frame, area, lang, &hints);
    if demo && area.height > 14 {
        let tip = T::DemoAccountsOfficerChiefSupervisorAdmin.get(lang);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(tip, theme::hint()))).centered(),
            Rect {
                y: area.bottom().saturating_sub(2),
                height: 1,
                ..area
            },
        );
    }
}
