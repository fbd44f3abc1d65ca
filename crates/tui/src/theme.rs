//! Colours and emphasis, in one place so screens stay consistent.

use ratatui::style::{Color, Modifier, Style};

pub fn border() -> Style {
    Style::default().fg(Color::Gray)
}
pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn label() -> Style {
    Style::default().fg(Color::Gray)
}
pub fn focused_label() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}
pub fn input() -> Style {
    Style::default().add_modifier(Modifier::UNDERLINED)
}
pub fn focused_input() -> Style {
    Style::default().bg(Color::DarkGray).fg(Color::White)
}
pub fn hint() -> Style {
    Style::default().fg(Color::DarkGray)
}
pub fn dim() -> Style {
    Style::default().fg(Color::Gray)
}
pub fn selected() -> Style {
    Style::default().bg(Color::Blue).fg(Color::White)
}
pub fn error() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn success() -> Style {
    Style::default().fg(Color::Green)
}
pub fn overdue() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn due_today() -> Style {
    Style::default().fg(Color::Yellow)
}
pub fn upcoming() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn status_bar() -> Style {
    Style::default().bg(Color::Blue).fg(Color::White)
}
pub fn demo_badge() -> Style {
    Style::default()
        .bg(Color::Magenta)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn header() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}
