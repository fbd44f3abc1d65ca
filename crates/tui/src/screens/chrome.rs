//! The frame around every screen: the screen itself, the overlays stacked on it, the
//! message line and the status bar. Kept apart from the screens so that each screen only
//! draws its own area and the frame is drawn the same way whatever is up.

use crate::action::Action;
use crate::app::{App, Confirm, MessageKind, Overlay, Screen};
use crate::keymap::Mode;
use crate::screens::{
    admin, audit, disputes, findings, help, login, residents, setup, statistics, visits, watch,
};
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use beatbook_i18n::Localize;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
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
        Screen::Setup(_) => setup::draw(app, frame, body),
        Screen::Login(state) => login::draw(app, state, frame, body),
        Screen::Today(state) => visits::today::draw(app, state, frame, body),
        Screen::Register(state) => disputes::register::draw(app, state, frame, body),
        Screen::Watch(state) => watch::list::draw(app, state, frame, body),
        Screen::Admin(state) => admin::list::draw(app, state, frame, body),
        Screen::Findings(state) => findings::list::draw(app, state, frame, body),
        Screen::Audit(state) => audit::draw(app, state, frame, body),
        Screen::Statistics(state) => statistics::draw(app, state, frame, body),
        Screen::Residents(state) => residents::list::draw(app, state, frame, body),
        Screen::Conflicts(state) => super::conflicts::draw(app, state, frame, body),
    }
    for overlay in &app.overlays {
        match overlay {
            Overlay::Detail(d) => visits::detail::draw(app, d, frame, body),
            Overlay::Form(f) => {
                let hints = form_hints(app);
                f.form
                    .render_dated(frame, body, app.lang, &hints, Some(app.service.today()));
            }
            Overlay::Confirm(c) => draw_confirm(app, *c, frame, body),
            Overlay::Help(h) => help::draw(app, h, frame, body),
            Overlay::Dispute(d) => disputes::detail::draw(app, d, frame, body),
            Overlay::Person(p) => watch::person::draw(app, p, frame, body),
            Overlay::Guard(g) => disputes::guard::draw(app, g, frame, body),
            Overlay::Finding(f) => findings::detail::draw(app, f, frame, body),
        }
    }
    draw_message(app, frame, message);
    draw_status(app, frame, status);
}

/// "Tab/Shift-Tab: move · Ctrl-s: save · Esc: cancel", from the keymap.
pub fn form_hints(app: &App) -> String {
    use Action;
    let lang = app.lang;
    let k = |a| app.keymap.key_for(Mode::Form, a).unwrap_or_default();
    // A check list (a dispute's risk indicators) is ticked with Space: say so while
    // one has the focus, or nobody finds out.
    let ticking = matches!(
        app.overlays.last(),
        Some(Overlay::Form(f)) if matches!(
            f.form.focused().map(|field| &field.input),
            Some(crate::widgets::form::Input::Checks(_))
        )
    );
    let tick = if ticking {
        format!("{} | ", T::SpaceTicks.get(lang))
    } else {
        String::new()
    };
    format!(
        "{tick}{}/{} {} | {} {} | {} {}",
        k(Action::NextField),
        k(Action::PrevField),
        T::Move.get(lang),
        k(Action::Save),
        T::Save.get(lang),
        k(Action::Cancel),
        T::Cancel.get(lang),
    )
}

fn draw_confirm(app: &App, question: Confirm, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let text = match question {
        Confirm::DiscardForm => T::DiscardWhatYouTyped.get(lang).to_string(),
        Confirm::Quit => T::AFormHoldsUnsavedInputQuit.get(lang).to_string(),
        Confirm::Admin(c) => admin::list::confirm_text(app, c, lang),
        Confirm::Conflict(d) => super::conflicts::confirm_text(app, d, lang),
    };
    let keys = T::YEnterYesNEscNo.get(lang);
    let width = (text.width().max(keys.width()) + 6) as u16;
    let popup = centered(area, width, 6);
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::error())
        .title(Span::styled(
            format!(" {} ", T::Confirm.get(lang)),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(""),
            Line::from(Span::styled(text.as_str(), theme::title())),
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

fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let today = app.service.today();
    let help_key = app
        .keymap
        .key_for(app.mode(), Action::Help)
        .unwrap_or_default();
    let right = format!("{help_key} {} ", T::HelpHint.get(lang));
    let badge = app
        .service
        .is_demo()
        .then(|| format!(" {} ", T::DemoDataBadge.get(lang)));
    let badge_w = badge.as_ref().map_or(0, |b| b.width());
    let sync = app
        .sync
        .as_ref()
        .map(|s| sync_segment(s, chrono::Utc::now(), lang));
    let sync_w = sync.as_ref().map_or(0, |(text, _)| text.width());
    let badge_w = badge_w + sync_w;
    let width = usize::from(area.width);
    // The help hint stays: the left part gives way first (the weekday, then the
    // station's name, cut with `…`, then the officer's), never the hint.
    let room = width.saturating_sub(right.width() + badge_w);
    let date = today.format("%Y-%m-%d").to_string();
    let day = super::weekday(today, lang);
    let text = match &app.session {
        Some(s) => status_left(
            s.display_name(),
            s.station_name(),
            &s.role().localize(lang),
            &date,
            day,
            room,
        ),
        None => {
            let full = format!(" beatbook | {date} {day} ");
            if full.width() <= room {
                full
            } else {
                format!(" beatbook | {date} ")
            }
        }
    };
    let mut left = vec![Span::raw(text)];
    if let Some((text, style)) = sync {
        left.push(Span::styled(text, style));
    }
    if let Some(b) = badge {
        left.push(Span::styled(b, theme::demo_badge()));
    }
    let used: usize = left.iter().map(|s| s.content.width()).sum();
    if used + right.width() <= width {
        let pad = width - used - right.width();
        left.push(Span::raw(" ".repeat(pad)));
        left.push(Span::raw(right));
    }
    frame.render_widget(
        Paragraph::new(Line::from(left)).style(theme::status_bar()),
        area,
    );
}

/// Where the terminal stands with its hub, short enough for 80 columns beside the rest:
/// syncing / synced N min ago / offline since HH:MM, then what waits and what clashes.
/// The style warns when something needs a person (a conflict, a refusal).
pub(crate) fn sync_segment(
    status: &beatbook_service::SyncStatus,
    now: chrono::DateTime<chrono::Utc>,
    lang: beatbook_i18n::Lang,
) -> (String, ratatui::style::Style) {
    let mut parts = Vec::new();
    if status.running {
        parts.push(T::SyncRunning.get(lang).to_string());
    } else if let Some(since) = status.failing_since {
        let local = since
            .with_timezone(&chrono::Local)
            .format("%H:%M")
            .to_string();
        let text = if status.offline {
            T::SyncOfflineSince
        } else {
            T::SyncFailingSince
        };
        parts.push(text.fill(lang, &[&local]));
    } else if let Some(ok) = status.last_ok {
        let minutes = (now - ok).num_minutes().max(0);
        parts.push(if minutes == 0 {
            T::SyncedJustNow.get(lang).to_string()
        } else {
            T::SyncedMinutesAgo.fill(lang, &[&minutes])
        });
    } else {
        parts.push(T::SyncNotYet.get(lang).to_string());
    }
    if status.waiting > 0 {
        parts.push(T::SyncWaiting.fill(lang, &[&status.waiting]));
    }
    if status.conflicts > 0 {
        parts.push(T::SyncConflicts.fill(lang, &[&status.conflicts]));
    }
    let style = if status.conflicts > 0 || (status.failing_since.is_some() && !status.offline) {
        theme::demo_badge()
    } else {
        theme::status_bar()
    };
    (format!(" {} ", parts.join(" ")), style)
}

/// The status bar's left part in at most `room` columns: whole when it fits, else
/// without the weekday, then with the station's and at last the officer's name cut
/// (marked `…`) down to a few columns each.
fn status_left(
    name: &str,
    station: &str,
    role: &str,
    date: &str,
    day: &str,
    room: usize,
) -> String {
    use crate::widgets::columns::fit;
    let line = |name: &str, station: &str, day: &str| {
        let day = if day.is_empty() {
            String::new()
        } else {
            format!(" {day}")
        };
        format!(" beatbook | {name} | {station} | {role} | {date}{day} ")
    };
    let full = line(name, station, day);
    if full.width() <= room {
        return full;
    }
    let no_day = line(name, station, "");
    if no_day.width() <= room {
        return no_day;
    }
    let over = no_day.width() - room;
    let station_w = station.width();
    let station_min = station_w.min(5);
    if station_w - station_min >= over {
        return line(name, fit(station, station_w - over).trim_end(), "");
    }
    let station = fit(station, station_min);
    let over = over - (station_w - station_min);
    let name_w = name.width();
    let name_min = name_w.min(5);
    let name = if name_w - name_min >= over {
        fit(name, name_w - over)
    } else {
        fit(name, name_min)
    };
    line(name.trim_end(), station.trim_end(), "")
}

#[cfg(test)]
mod tests {
    use super::{status_left, sync_segment};
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn the_status_line_gives_way_weekday_first_then_the_station_cut_with_an_ellipsis() {
        let full = status_left("王志强", "城关派出所", "民警", "2026-11-25", "周三", 80);
        assert!(full.ends_with("2026-11-25 周三 "), "{full}");
        let no_day = status_left("王志强", "城关派出所", "民警", "2026-11-25", "周三", 52);
        assert!(
            !no_day.contains("周三") && no_day.contains("城关派出所"),
            "{no_day}"
        );
        let cut = status_left(
            "周明（法制大队）",
            "城关经济技术开发区派出所",
            "法制监督",
            "2026-11-25",
            "周三",
            56,
        );
        assert!(cut.width() <= 56, "{cut} ({})", cut.width());
        assert!(cut.contains('…'), "{cut}");
        assert!(cut.contains("2026-11-25"), "{cut}");
    }

    #[test]
    fn the_sync_segment_says_offline_waiting_and_conflicts_in_both_languages() {
        use beatbook_i18n::Lang;
        use beatbook_service::SyncStatus;
        let now = chrono::Utc::now();
        let offline = SyncStatus {
            joined: true,
            failing_since: Some(now - chrono::Duration::minutes(90)),
            offline: true,
            waiting: 12,
            conflicts: 2,
            ..SyncStatus::default()
        };
        let (en, _) = sync_segment(&offline, now, Lang::En);
        assert!(
            en.contains("offline since") && en.contains("12 waiting") && en.contains("2 conflicts"),
            "{en}"
        );
        let (zh, _) = sync_segment(&offline, now, Lang::Zh);
        assert!(
            zh.contains("起离线") && zh.contains("待发12") && zh.contains("冲突2"),
            "{zh}"
        );
        assert!(zh.width() <= 28, "{zh} is {} columns", zh.width());
        let synced = SyncStatus {
            joined: true,
            last_ok: Some(now - chrono::Duration::minutes(7)),
            ..SyncStatus::default()
        };
        assert_eq!(sync_segment(&synced, now, Lang::En).0, " synced 7 min ago ");
        assert_eq!(sync_segment(&synced, now, Lang::Zh).0, " 7 分钟前同步 ");
    }
}
