//! First run on an empty store: load demo data or create the first station.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::keymap::Mode;
use crate::screens::effect::{Effect, Open};
use crate::screens::login::LoginState;
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use beatbook_service::Service;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// The first-run screen (it holds nothing of its own).
#[derive(Debug, Default)]
pub struct SetupState;

impl SetupState {
    /// Loads the demo bureau, or opens the first station's form; there is no session
    /// yet, so it reads the service only.
    pub fn update(&mut self, service: &Service, action: Action) -> Effect {
        match action {
            Action::LoadDemo => match beatbook_demo::load_demo(service) {
                Ok(_) => Effect::Then(vec![
                    Effect::Show(Box::new(Screen::Login(LoginState::new()))),
                    Effect::Message(Message::success(T::DemoDataLoadedLogInAs.bi())),
                ]),
                Err(e) => Effect::Message(Message::error(&e)),
            },
            Action::CreateStation => Effect::Open(Open::CreateStation),
            _ => Effect::None,
        }
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let k = |a| app.keymap.key_for(Mode::Setup, a).unwrap_or_default();
    let folder = app.service.data_folder().display().to_string();
    let lines = vec![
        Line::from(Span::styled(T::WelcomeToBeatbook.get(lang), theme::title())),
        Line::from(""),
        Line::from(T::TheDataFolderIsEmptyChoose.get(lang)),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!("  [{}]  ", k(Action::LoadDemo)),
                theme::focused_label(),
            ),
            Span::raw(T::LoadDemoDataAFictionalCounty.get(lang)),
        ]),
        Line::from(vec![
            Span::styled(
                format!("  [{}]  ", k(Action::CreateStation)),
                theme::focused_label(),
            ),
            Span::raw(T::CreateTheFirstStationAndIts.get(lang)),
        ]),
        Line::from(""),
        Line::from(Span::styled(
            format!("{} {folder}", T::DataFolder.get(lang)),
            theme::hint(),
        )),
        Line::from(Span::styled(
            format!(
                "{} {}",
                k(Action::Quit),
                crate::action::Action::Quit.describe(lang)
            ),
            theme::hint(),
        )),
    ];
    let popup = centered(area, 84, 13);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
