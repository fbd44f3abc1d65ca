//! Each screen and overlay: its state, how it reacts to actions, how it is drawn.

pub mod admin;
pub mod detail;
pub mod forms;
pub mod help;
pub mod login;
pub mod setup;
pub mod today;

use super::app::{App, Confirm, MessageKind, Overlay, Screen};
use super::keymap::Mode;
use super::theme;
use super::widgets::popup::centered;
use crate::i18n::{Lang, Localize};
use chrono::Datelike;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draws the screen, then the overlays bottom to top, then the message and status lines.
pub fn draw(app: &App, frame: &mut Frame) {
    let [body, message, status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    match &app.screen {
        Screen::Setup => setup::draw(app, frame, body),
        Screen::Login(form) => login::draw(app, form, frame, body),
        Screen::Today(state) => today::draw(app, state, frame, body),
        Screen::Admin(state) => admin::draw(app, state, frame, body),
    }
    for overlay in &app.overlays {
        match overlay {
            Overlay::Detail(d) => detail::draw(app, d, frame, body),
            Overlay::Form(f) => {
                let hints = form_hints(app);
                f.form.render(frame, body, app.lang, &hints);
            }
            Overlay::Confirm(c) => draw_confirm(app, *c, frame, body),
            Overlay::Help(h) => help::draw(app, h, frame, body),
        }
    }
    draw_message(app, frame, message);
    draw_status(app, frame, status);
}

/// "Tab/Shift-Tab: move · Ctrl-s: save · Esc: cancel", from the keymap.
pub fn form_hints(app: &App) -> String {
    use super::action::Action;
    let lang = app.lang;
    let k = |a| app.keymap.key_for(Mode::Form, a).unwrap_or_default();
    format!(
        "{}/{} {} | {} {} | {} {}",
        k(Action::NextField),
        k(Action::PrevField),
        lang.pick("切换", "move"),
        k(Action::Save),
        lang.pick("保存", "save"),
        k(Action::Cancel),
        lang.pick("取消", "cancel"),
    )
}

fn draw_confirm(app: &App, question: Confirm, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let text = match question {
        Confirm::DiscardForm => lang.pick("放弃已输入的内容吗？", "Discard what you typed?"),
        Confirm::Quit => lang.pick(
            "表单中有未保存的内容。仍要退出吗？",
            "A form holds unsaved input. Quit anyway?",
        ),
    };
    let keys = lang.pick(
        "y/Enter 是    n/Esc 否（继续编辑）",
        "y/Enter yes    n/Esc no (keep editing)",
    );
    let width = (text.width().max(keys.width()) + 6) as u16;
    let popup = centered(area, width, 6);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::error())
        .title(Span::styled(
            format!(" {} ", lang.pick("确认", "Confirm")),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(""),
            Line::from(Span::styled(text, theme::title())),
            Line::from(Span::styled(keys, theme::hint())),
        ])
        .centered()
        .wrap(Wrap { trim: true }),
        inner,
    );
}

fn draw_message(app: &App, frame: &mut Frame, area: Rect) {
    let Some(msg) = &app.message else {
        return;
    };
    let style = match msg.kind {
        MessageKind::Info => theme::dim(),
        MessageKind::Success => theme::success(),
        MessageKind::Error => theme::error(),
    };
    frame.render_widget(
        Line::from(Span::styled(format!(" {}", msg.text.get(app.lang)), style)),
        area,
    );
}

/// Weekday name for the status bar.
pub fn weekday(date: chrono::NaiveDate, lang: Lang) -> &'static str {
    let i = date.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let today = app.service.today();
    let mut left = vec![Span::raw(" beatbook ")];
    if let Some(s) = &app.session {
        left.push(Span::raw(format!(
            "| {} | {} | {} ",
            s.display_name(),
            s.station_name(),
            s.role().localize(lang)
        )));
    }
    left.push(Span::raw(format!(
        "| {} {} ",
        today.format("%Y-%m-%d"),
        weekday(today, lang)
    )));
    if app.service.is_demo() {
        left.push(Span::styled(
            format!(" {} ", lang.pick("演示数据 DEMO DATA", "DEMO DATA")),
            theme::demo_badge(),
        ));
    }
    let help_key = app
        .keymap
        .key_for(app.mode(), super::action::Action::Help)
        .unwrap_or_default();
    let right = format!("{help_key} {} ", lang.pick("帮助", "help"));
    let used: usize = left.iter().map(|s| s.content.width()).sum();
    let pad = usize::from(area.width).saturating_sub(used + right.width());
    left.push(Span::raw(" ".repeat(pad)));
    left.push(Span::raw(right));
    frame.render_widget(
        Paragraph::new(Line::from(left)).style(theme::status_bar()),
        area,
    );
}
