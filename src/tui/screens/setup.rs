//! First run on an empty store: load demo data or create the first station.

use crate::i18n::Bi;
use crate::tui::action::Action;
use crate::tui::app::{App, Message, Overlay, Screen};
use crate::tui::keymap::Mode;
use crate::tui::screens::{forms, login};
use crate::tui::theme;
use crate::tui::widgets::popup::centered;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::LoadDemo => match app.service.load_demo() {
            Ok(_) => {
                app.screen = Screen::Login(login::form());
                app.message = Some(Message::success(Bi::new(
                    "演示数据已载入。用 officer / demo1234 登录（另有 chief、supervisor、admin）。",
                    "Demo data loaded. Log in as officer / demo1234 (also chief, supervisor, admin).",
                )));
            }
            Err(e) => app.message = Some(Message::error(&e)),
        },
        Action::CreateStation => app
            .overlays
            .push(Overlay::Form(Box::new(forms::create_station()))),
        _ => {}
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let k = |a| app.keymap.key_for(Mode::Setup, a).unwrap_or_default();
    let folder = app.service.store().path().display().to_string();
    let lines = vec![
        Line::from(Span::styled(
            lang.pick("欢迎使用 beatbook", "Welcome to beatbook"),
            theme::title(),
        )),
        Line::from(""),
        Line::from(lang.pick(
            "数据文件夹是空的。请选择：",
            "The data folder is empty. Choose:",
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!("  [{}]  ", k(Action::LoadDemo)),
                theme::focused_label(),
            ),
            Span::raw(lang.pick(
                "载入演示数据（虚构的青山县公安局，用于培训和试用）",
                "Load demo data (a fictional county bureau, for training and trying out)",
            )),
        ]),
        Line::from(vec![
            Span::styled(
                format!("  [{}]  ", k(Action::CreateStation)),
                theme::focused_label(),
            ),
            Span::raw(lang.pick(
                "创建第一个派出所和管理员（正式使用）",
                "Create the first station and its administrator (real use)",
            )),
        ]),
        Line::from(""),
        Line::from(Span::styled(
            format!("{} {folder}", lang.pick("数据文件夹：", "Data folder:")),
            theme::hint(),
        )),
        Line::from(Span::styled(
            format!(
                "{} {}",
                k(Action::Quit),
                crate::tui::action::Action::Quit.describe(lang)
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
