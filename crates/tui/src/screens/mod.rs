//! Each screen and overlay: its state, how it reacts to actions, how it is drawn. One
//! folder per area, with the same names in each: `list` (or the area's own name for the
//! first screen), `detail` (one record), `forms` (what its forms ask and save).

pub mod admin;
pub mod audit;
pub mod chrome;
pub mod conflicts;
pub mod created;
pub mod cycle;
pub mod disputes;
pub mod effect;
pub mod findings;
pub mod form;
pub mod help;
pub mod login;
pub mod print;
pub mod residents;
pub mod setup;
pub mod statistics;
pub mod visits;
pub mod watch;

pub use chrome::draw;

use crate::text::T;
use crate::theme;
use beatbook_i18n::Lang;
use chrono::Datelike;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Weekday name for the status bar.
pub fn weekday(date: chrono::NaiveDate, lang: Lang) -> &'static str {
    let day = match date.weekday() {
        chrono::Weekday::Mon => T::Monday,
        chrono::Weekday::Tue => T::Tuesday,
        chrono::Weekday::Wed => T::Wednesday,
        chrono::Weekday::Thu => T::Thursday,
        chrono::Weekday::Fri => T::Friday,
        chrono::Weekday::Sat => T::Saturday,
        chrono::Weekday::Sun => T::Sunday,
    };
    day.get(lang)
}

/// The dimmed line a list shows, centred under its head, when it has no rows.
pub fn draw_empty_hint(frame: &mut Frame, list_area: Rect, text: &str) {
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(text, theme::dim()))).centered(),
        Rect {
            y: list_area.y + 1,
            height: 1,
            ..list_area
        },
    );
}

/// The "Filter:" line under a list, with its text field (focused while typing).
pub fn draw_filter_line(
    frame: &mut Frame,
    area: Rect,
    field: &crate::widgets::text_field::TextField,
    active: bool,
    lang: Lang,
) {
    let label = format!(" {} ", T::FilterLabel.get(lang));
    let w = label.width() as u16;
    frame.render_widget(Span::styled(label, theme::focused_label()), area);
    let style = if active {
        theme::focused_input()
    } else {
        theme::input()
    };
    field.render(
        frame,
        Rect {
            x: area.x + w,
            width: area.width.saturating_sub(w),
            ..area
        },
        style,
        active,
    );
}
