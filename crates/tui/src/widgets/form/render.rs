//! Drawing a form: the box, the labels, the values with their cursors, the picker results; wide characters counted in columns.

use super::*;
use crate::text::T;
use crate::theme;
use crate::widgets::form_input::{date_echo, is_date};
use crate::widgets::popup::centered;
use beatbook_i18n::{Lang, Localize};
use beatbook_service::PersonCard;
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

impl Form {
    /// Draws the form centred in `area`; scrolls when the fields do not fit.
    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang, hints: &str) {
        self.render_dated(frame, area, lang, hints, None);
    }

    /// Like [`Form::render`]; with `today`, each date field shows the weekday of what
    /// was typed (and resolves `+7`).
    pub fn render_dated(
        &self,
        frame: &mut Frame,
        area: Rect,
        lang: Lang,
        hints: &str,
        today: Option<NaiveDate>,
    ) {
        let subtitle_rows = u16::from(self.subtitle.is_some());
        let field_rows: u16 = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| f.height(i == self.focus))
            .sum();
        // Borders 2, blank line 1, error 2, hints 1.
        let chrome = 6 + subtitle_rows;
        let popup = centered(area, 78, field_rows + chrome);
        crate::widgets::popup::clear(frame, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::border())
            .title(Span::styled(
                format!(" {} ", self.title.get(lang)),
                theme::title(),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        if inner.height < 4 || inner.width < 10 {
            return;
        }
        let label_width = self
            .fields
            .iter()
            .map(|f| label_text(f, lang).width())
            .max()
            .unwrap_or(0)
            .min(usize::from(inner.width / 3)) as u16;
        let mut y = inner.y;
        if let Some(sub) = &self.subtitle {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled(sub.clone(), theme::dim()))),
                Rect::new(inner.x + 1, y, inner.width.saturating_sub(2), 1),
            );
            y += 1;
        }
        y += 1;
        let fields_bottom = inner.bottom().saturating_sub(3);
        let first = self.first_visible(fields_bottom.saturating_sub(y));
        for (i, f) in self.fields.iter().enumerate().skip(first) {
            let focused = i == self.focus;
            let h = f.height(focused);
            if y + h > fields_bottom {
                break;
            }
            let label_style = if focused {
                theme::focused_label()
            } else {
                theme::label()
            };
            let label = label_text(f, lang);
            let pad = usize::from(label_width).saturating_sub(label.width());
            frame.render_widget(
                Line::from(vec![
                    Span::raw(" ".repeat(pad)),
                    Span::styled(label, label_style),
                ]),
                Rect::new(inner.x + 1, y, label_width, 1),
            );
            let value_x = inner.x + 2 + label_width + 1;
            let value_w = inner.right().saturating_sub(value_x + 1);
            let rect = Rect::new(value_x, y, value_w, h);
            self.render_value(frame, f, rect, focused, lang);
            if let Input::Text(t) = &f.input {
                let echo = today
                    .filter(|_| is_date(f.field))
                    .and_then(|today| date_echo(f.field, t.value(), today, lang));
                if let Some(echo) = echo {
                    render_echo(frame, rect, t.value().width(), &echo);
                }
            }
            y += h;
        }
        let bottom = inner.bottom();
        if let Some(err) = &self.error {
            let area = Rect::new(
                inner.x + 1,
                bottom.saturating_sub(3),
                inner.width.saturating_sub(2),
                2,
            );
            frame.render_widget(
                Paragraph::new(Span::styled(err.clone(), theme::error())).wrap(Wrap { trim: true }),
                area,
            );
        }
        frame.render_widget(
            Line::from(Span::styled(hints.to_string(), theme::hint())),
            Rect::new(
                inner.x + 1,
                bottom.saturating_sub(1),
                inner.width.saturating_sub(2),
                1,
            ),
        );
    }

    /// Draws one field's value in `rect` (its height from [`FormField::height`]).
    fn render_value(
        &self,
        frame: &mut Frame,
        f: &FormField,
        rect: Rect,
        focused: bool,
        lang: Lang,
    ) {
        let line_rect = Rect { height: 1, ..rect };
        let value_style = if focused {
            theme::focused_input()
        } else {
            theme::input()
        };
        match &f.input {
            Input::Text(t) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                let hint_w = f
                    .hint
                    .as_ref()
                    .map(|h| h.get(lang).width() as u16 + 1)
                    .unwrap_or(0);
                let text_w = if t.value().is_empty() {
                    rect.width.saturating_sub(hint_w)
                } else {
                    rect.width
                };
                t.render(
                    frame,
                    Rect {
                        width: text_w,
                        ..line_rect
                    },
                    value_style,
                    focused,
                );
                if let (Some(h), true) = (&f.hint, t.value().is_empty()) {
                    let hx = rect.x + rect.width.saturating_sub(hint_w) + 1;
                    frame.render_widget(
                        Line::from(Span::styled(h.get(lang).to_string(), theme::hint())),
                        Rect::new(hx.min(rect.right()), rect.y, hint_w.min(rect.width), 1),
                    );
                }
            }
            Input::Suggest(s) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                let used = (s.text.value().width() as u16 + 2).min(rect.width);
                s.text.render(
                    frame,
                    Rect {
                        width: used,
                        ..line_rect
                    },
                    value_style,
                    focused,
                );
                if focused {
                    let matches = s.matches();
                    let text = if matches.is_empty() {
                        String::new()
                    } else {
                        format!("↓ {}", matches.join("  "))
                    };
                    let x = rect.x + used;
                    frame.render_widget(
                        Line::from(Span::styled(text, theme::hint())),
                        Rect::new(x, rect.y, rect.right().saturating_sub(x), 1),
                    );
                }
            }
            Input::Choice(c) => {
                let text = match c.selected.and_then(|s| c.options.get(s)) {
                    Some(opt) => format!("< {} >", opt.get(lang)),
                    None => format!("< {} >", T::ChooseLeftRight.get(lang)),
                };
                let numbers: String = if focused && c.options.len() <= 9 {
                    c.options
                        .iter()
                        .enumerate()
                        .map(|(n, o)| format!("{}={}", n + 1, o.get(lang)))
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    String::new()
                };
                // The digit hint takes what room is left, cut with a mark rather than
                // mid-word at the form's edge.
                let room = usize::from(line_rect.width).saturating_sub(text.width() + 2);
                let numbers = crate::widgets::columns::fit(&numbers, room)
                    .trim_end()
                    .to_string();
                let line = Line::from(vec![
                    Span::styled(text, value_style),
                    Span::raw("  "),
                    Span::styled(numbers, theme::hint()),
                ]);
                frame.render_widget(Paragraph::new(line), line_rect);
                if focused {
                    frame.set_cursor_position((rect.x, rect.y));
                }
            }
            Input::Checks(c) => {
                if !focused {
                    let chosen: Vec<&str> = c
                        .options
                        .iter()
                        .zip(&c.checked)
                        .filter(|(_, on)| **on)
                        .map(|((_, l), _)| l.get(lang))
                        .collect();
                    let text = if chosen.is_empty() {
                        T::NoneTicked.get(lang).to_string()
                    } else {
                        chosen.join(T::ListSep.get(lang))
                    };
                    frame.render_widget(Line::from(Span::styled(text, value_style)), line_rect);
                    return;
                }
                let col_w = rect.width / 2;
                for (n, ((_, label), on)) in c.options.iter().zip(&c.checked).enumerate() {
                    let x = rect.x + (n as u16 % 2) * col_w;
                    let y = rect.y + n as u16 / 2;
                    let mark = if *on { "[x] " } else { "[ ] " };
                    let style = if n == c.cursor {
                        theme::selected()
                    } else {
                        theme::dim()
                    };
                    frame.render_widget(
                        Line::from(Span::styled(format!("{mark}{}", label.get(lang)), style)),
                        Rect::new(x, y, col_w.saturating_sub(1), 1),
                    );
                    if n == c.cursor {
                        frame.set_cursor_position((x + 1, y));
                    }
                }
            }
            Input::Picker(p) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                match (&p.chosen, focused) {
                    (Some(card), false) => frame.render_widget(
                        Line::from(Span::styled(person_line(card, lang), value_style)),
                        line_rect,
                    ),
                    _ => p.query.render(frame, line_rect, value_style, focused),
                }
                if focused {
                    self.render_picker(
                        frame,
                        p,
                        Rect::new(rect.x, rect.y + 1, rect.width, PICKER_ROWS as u16),
                        lang,
                    );
                }
            }
            Input::Parties(list) => {
                let chosen: Vec<String> = list
                    .parties
                    .iter()
                    .map(|(c, r)| format!("{}（{}）", c.name, r.localize(lang)))
                    .collect();
                let summary = if chosen.is_empty() {
                    T::NoPartiesYet.get(lang).to_string()
                } else {
                    chosen.join(T::ListSep.get(lang))
                };
                frame.render_widget(Line::from(Span::styled(summary, theme::dim())), line_rect);
                if focused {
                    let query_rect = Rect::new(rect.x, rect.y + 1, rect.width, 1);
                    frame.render_widget(Paragraph::new("").style(value_style), query_rect);
                    list.picker
                        .query
                        .render(frame, query_rect, value_style, true);
                    self.render_picker(
                        frame,
                        &list.picker,
                        Rect::new(rect.x, rect.y + 2, rect.width, PICKER_ROWS as u16),
                        lang,
                    );
                }
            }
        }
    }

    fn render_picker(&self, frame: &mut Frame, p: &Picker, area: Rect, lang: Lang) {
        if p.results.is_empty() {
            let msg = match (&p.create_hint, p.query.value().trim().is_empty()) {
                (_, true) => T::TypeANamePinyinOrInitials.get(lang).to_string(),
                (Some(hint), false) => {
                    format!("{}  {}", T::NobodyMatches.get(lang), hint.get(lang))
                }
                (None, false) => T::NobodyMatches.get(lang).to_string(),
            };
            frame.render_widget(
                Line::from(Span::styled(msg, theme::hint())),
                Rect { height: 1, ..area },
            );
            return;
        }
        for (i, card) in p.results.iter().take(area.height as usize).enumerate() {
            let style = if i == p.highlighted {
                theme::selected()
            } else {
                theme::dim()
            };
            frame.render_widget(
                Line::from(Span::styled(person_line(card, lang), style)),
                Rect::new(area.x, area.y + i as u16, area.width, 1),
            );
        }
    }
}

/// Draws `echo` dimmed one column after a value `value_w` columns wide, when it fits.
fn render_echo(frame: &mut Frame, rect: Rect, value_w: usize, echo: &str) {
    let x = usize::from(rect.x) + value_w + 2;
    let right = usize::from(rect.right());
    if x + echo.width() > right {
        return;
    }
    let x = u16::try_from(x).unwrap_or(rect.right());
    let w = u16::try_from(echo.width()).unwrap_or(0);
    frame.render_widget(
        Line::from(Span::styled(echo.to_string(), theme::hint())),
        Rect::new(x, rect.y, w, 1),
    );
}

fn label_text(f: &FormField, lang: Lang) -> String {
    let mut s = match &f.label {
        Some(label) => label.get(lang).to_string(),
        None => f.field.localize(lang),
    };
    if f.required {
        s.push('*');
    }
    s
}

/// One person in a line of its own (a title, a field): name, sex, birth year, village and
/// masked ID, two spaces apart. Lists use [`person_line`], whose parts line up.
pub fn person_summary(card: &PersonCard, lang: Lang) -> String {
    let year = card
        .birth_year
        .map(|y| T::BornIn.fill(lang, &[&y]))
        .unwrap_or_default();
    [
        card.name.clone(),
        card.gender.localize(lang),
        year,
        card.village.clone(),
        card.masked_id.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("  ")
}

/// One line telling namesakes apart: name, gender, birth year, village, masked ID.
pub fn person_line(card: &PersonCard, lang: Lang) -> String {
    use crate::widgets::columns::fit;
    use unicode_width::UnicodeWidthStr;
    let year = card
        .birth_year
        .map(|y| T::BornIn.fill(lang, &[&y]))
        .unwrap_or_default();
    // Namesakes are told apart by what follows the name, so every part starts at the same
    // column on each card of a list (names of 2, 3 and 4 characters alike); a part longer
    // than its column is never cut, it only pushes the rest along.
    let gender_w = if lang == Lang::Zh { 4 } else { 7 };
    let parts = [
        (card.name.clone(), 8),
        (card.gender.localize(lang), gender_w),
        (year, 8),
        (card.village.clone(), 12),
    ];
    let mut line = String::new();
    for (text, width) in parts {
        line.push_str(&fit(&text, width.max(text.width())));
        line.push_str("  ");
    }
    line.push_str(&card.masked_id);
    line.trim_end().to_string()
}
