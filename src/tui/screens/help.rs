//! The help overlay, generated from the keymap so it cannot drift from the bindings.

use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::Mode;
use crate::tui::theme;
use crate::tui::widgets::popup::centered;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
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

pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Help(state)) = app.overlays.last_mut() else {
        return;
    };
    match action {
        Action::Down => state.scroll = state.scroll.saturating_add(1),
        Action::Up => state.scroll = state.scroll.saturating_sub(1),
        Action::Back | Action::Cancel | Action::Help => {
            app.overlays.pop();
        }
        _ => {}
    }
}

fn mode_title(mode: Mode, lang: crate::i18n::Lang) -> &'static str {
    match mode {
        Mode::Global => lang.pick("全局", "Everywhere"),
        Mode::Setup => lang.pick("首次运行", "First run"),
        Mode::Login => lang.pick("登录", "Login"),
        Mode::Today => lang.pick("今日回访", "Today"),
        Mode::Filter => lang.pick("筛选", "Filter"),
        Mode::Detail => lang.pick("回访详情", "Visit detail"),
        Mode::Form => lang.pick("表单", "Forms"),
        Mode::Confirm => lang.pick("确认", "Confirm"),
        Mode::Help => lang.pick("帮助", "Help"),
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
            lang.pick(
                "输入框内：Left/Right 移动，Home/End，Backspace/Del 删除，Ctrl-W 删词，Ctrl-U 清空；选项栏：Left/Right 或空格切换，数字直选",
                "In text fields: Left/Right move, Home/End, Backspace/Del, Ctrl-W deletes a word, Ctrl-U clears; in choice fields: Left/Right or Space cycle, digits pick",
            ),
            theme::hint(),
        )));
    }
    let popup = centered(area, 84, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(
            format!(
                " {} — {} ",
                lang.pick("帮助", "Help"),
                mode_title(state.mode, lang)
            ),
            theme::title(),
        ))
        .title_bottom(Span::styled(
            format!(
                " Esc {} | j/k {} ",
                lang.pick("关闭", "close"),
                lang.pick("滚动", "scroll")
            ),
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
