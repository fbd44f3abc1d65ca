//! The login screen.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::text::T;
use crate::theme;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::Localize;
use beatbook_model::Field;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Username and password.
pub fn form() -> Form {
    Form::new(
        T::BeatbookLogin.bi(),
        vec![
            FormField::text(Field::Username, "", true),
            FormField::secret(Field::Password),
        ],
    )
}

pub fn update(app: &mut App, action: Action) {
    let Screen::Login(form) = &mut app.screen else {
        return;
    };
    match action {
        Action::NextField | Action::Down => form.next_field(),
        Action::PrevField | Action::Up => form.prev_field(),
        Action::Submit if !form.on_last_field() => form.next_field(),
        Action::Submit | Action::Save => {
            let username = form.text(Field::Username);
            let password = form.text(Field::Password);
            if username.trim().is_empty() {
                form.error = Some(
                    beatbook_model::ValidationError::Required(Field::Username).localize(app.lang),
                );
                form.focus_field(Field::Username);
                return;
            }
            match app.service.login(&username, &password) {
                Ok(session) => {
                    app.message = Some(Message::success(
                        T::Welcome.bi_fill(&[&session.display_name()]),
                    ));
                    app.enter_session(session);
                }
                // Every refusal leaves the username as typed, clears the password and
                // puts the cursor there: an unknown username is told and handled exactly
                // like a wrong password, so the screen does not reveal which usernames
                // exist (Shift+Tab goes back to a mistyped username).
                Err(e) => {
                    if let Screen::Login(form) = &mut app.screen {
                        form.error = Some(e.localize(app.lang));
                        form.fields[1] = FormField::secret(Field::Password);
                        form.focus_field(Field::Password);
                    }
                }
            }
        }
        _ => {}
    }
}

pub fn draw(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
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
    form.render(frame, area, lang, &hints);
    if app.service.is_demo() && area.height > 14 {
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
