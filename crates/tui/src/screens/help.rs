//! The help overlay, generated from the keymap so it cannot drift from the bindings.

use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::screens::effect::Effect;
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct HelpState {
    /// The mode whose keys are listed (the one under the overlay).
    pub mode: Mode,
    pub scroll: u16,
}

impl HelpState {
    pub fn new(mode: Mode) -> HelpState {
        HelpState { mode, scroll: 0 }
    }
}

impl HelpState {
    /// Scrolls, or closes the overlay; needs nothing from the app.
    pub fn update(&mut self, action: Action) -> Effect {
        match action {
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Back | Action::Cancel | Action::Help => return Effect::Close,
            _ => {}
        }
        Effect::None
    }
}

fn mode_title(mode: Mode, lang: beatbook_i18n::Lang) -> &'static str {
    match mode {
        Mode::Global => T::Everywhere.get(lang),
        Mode::Setup => T::FirstRun.get(lang),
        Mode::Login => T::Login.get(lang),
        Mode::Today => T::Today.get(lang),
        Mode::Filter => T::Filter.get(lang),
        Mode::Detail => T::VisitDetail.get(lang),
        Mode::Form => T::Forms.get(lang),
        Mode::Confirm => T::Confirm.get(lang),
        Mode::Help => T::Help.get(lang),
        Mode::Register => T::DisputeRegister.get(lang),
        Mode::Dispute => T::DisputeDetailTitle.get(lang),
        Mode::Person => T::PersonCardTitle.get(lang),
        Mode::Guard => T::DuplicateGuardTitle.get(lang),
        Mode::Watch => T::WatchList.get(lang),
        Mode::Findings | Mode::Finding => T::FindingsTitle.get(lang),
        Mode::Conflicts => T::ConflictsTitle.get(lang),
        Mode::Audit => T::AuditLog.get(lang),
        Mode::Admin => T::StationsAndAccounts.get(lang),
        Mode::Statistics => beatbook_i18n::report::R::Statistics.get(lang),
        Mode::Residents => T::ResidentsTitle.get(lang),
    }
}

pub fn draw(app: &App, state: &HelpState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut lines = Vec::new();
    for mode in [state.mode, Mode::Global] {
        let bindings: Vec<(String, String)> = app
            .keymap
            .help_bindings(mode)
            .filter(|_| true)
            .map(|b| (b.keys_label(), b.describe(lang)))
            .collect();
        let bindings: Vec<_> = if mode == Mode::Global {
            bindings
        } else {
            // help_bindings(mode) includes globals; list those once, under their own title.
            let global: Vec<_> = app
                .keymap
                .help_bindings(Mode::Global)
                .map(|b| b.keys_label())
                .collect();
            bindings
                .into_iter()
                .filter(|(k, _)| !global.contains(k))
                .collect()
        };
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            mode_title(mode, lang),
            theme::header(),
        )));
        // Group keys bound to the same description on one line: "j / ↓  Move down".
        let mut grouped: Vec<(String, String)> = Vec::new();
        for (keys, desc) in bindings {
            match grouped.iter_mut().find(|(_, d)| *d == desc) {
                Some((k, _)) => {
                    k.push_str(" / ");
                    k.push_str(&keys);
                }
                None => grouped.push((keys, desc)),
            }
        }
        let key_w = grouped
            .iter()
            .map(|(k, _)| k.width())
            .max()
            .unwrap_or(0)
            .min(28);
        for (keys, desc) in grouped {
            let pad = " ".repeat(key_w.saturating_sub(keys.width()));
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys}{pad}  "), theme::focused_label()),
                Span::raw(desc),
            ]));
        }
        lines.push(Line::from(""));
    }
    if state.mode.takes_text() {
        lines.push(Line::from(Span::styled(
            T::InTextFieldsLeftRightMove.get(lang),
            theme::hint(),
        )));
    }
    let popup = centered(area, 84, area.height);
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(
            format!(" {} — {} ", T::Help.get(lang), mode_title(state.mode, lang)),
            theme::title(),
        ))
        .title_bottom(Span::styled(
            format!(" Esc {} | j/k {} ", T::Close.get(lang), T::Scroll.get(lang)),
            theme::hint(),
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((state.scroll, 0)),
        popup,
    );
}
