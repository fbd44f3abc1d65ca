//! Drawing Today: the title with the scope and counts, the sections, one line per visit or alert.

use super::*;
use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, fit_keeping, share};
use crate::widgets::selection::screenful;
use beatbook_core::rules::visits::Urgency;
use beatbook_i18n::{Lang, Localize};
use beatbook_service::{
    AlertKind, ApprovalKind, ApprovalRow, DisputeAlert, FindingRow, Scope, TodayRow, TodayView,
};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// "overdue 3 d", "today", "in 2 d".
pub fn when_label(row: &TodayRow, lang: Lang) -> String {
    match row.urgency {
        Urgency::Overdue => T::DaysLate.fill(lang, &[&row.days_overdue]),
        Urgency::DueToday => T::TodayCount.get(lang).to_string(),
        Urgency::Upcoming => T::InDays.fill(lang, &[&row.days_until]),
    }
}

/// What a watch-list alert says.
pub fn alert_reason_text(reason: &beatbook_model::AlertReason, lang: Lang) -> String {
    use beatbook_model::AlertReason;
    match reason {
        AlertReason::WatchedPartyInDispute { title, .. } => {
            T::WatchedInDispute.fill(lang, &[title])
        }
        AlertReason::RepeatDisputes { count } => T::RepeatDisputesAlert.fill(lang, &[count]),
        AlertReason::MissedVisits { count } => T::MissedVisitsAlert.fill(lang, &[count]),
        AlertReason::ReviewOverdue { due } => {
            T::ReviewOverdueAlert.fill(lang, &[&due.format("%Y-%m-%d")])
        }
    }
}

/// What a dispute alert says, and its colour.
fn alert_text(alert: &DisputeAlert, lang: Lang) -> (String, Style) {
    match alert.kind {
        AlertKind::DeadlineOverdue { days } => (
            T::DeadlineOverdueDays.fill(lang, &[&days]),
            theme::overdue(),
        ),
        AlertKind::DeadlineSoon => (
            T::DeadlineWithin24h.get(lang).to_string(),
            theme::due_today(),
        ),
        AlertKind::FeedbackDue => (T::FeedbackOwed.get(lang).to_string(), theme::due_today()),
        AlertKind::NoContact { days } => (T::NoContactDays.fill(lang, &[&days]), theme::overdue()),
        AlertKind::ExtensionPending => (
            T::ExtensionToDecide.get(lang).to_string(),
            theme::focused_label(),
        ),
        AlertKind::Closable => (T::Closable.get(lang).to_string(), theme::success()),
    }
}

/// What a finding line says in the "when" column, and its colour: late, waiting for the
/// supervisor, or the date to rectify by.
fn finding_text(row: &FindingRow, lang: Lang) -> (String, Style) {
    if row.overdue {
        (
            crate::screens::findings::list::deadline_text(row, lang),
            theme::overdue(),
        )
    } else if row.finding.status == beatbook_model::FindingStatus::Rectified {
        (T::ToAccept.get(lang).to_string(), theme::focused_label())
    } else {
        (
            T::RectifyByDate.fill(lang, &[&row.finding.deadline.format("%m-%d")]),
            theme::due_today(),
        )
    }
}

fn urgency_style(u: Urgency) -> Style {
    match u {
        Urgency::Overdue => theme::overdue(),
        Urgency::DueToday => theme::due_today(),
        Urgency::Upcoming => theme::upcoming(),
    }
}

/// A section's heading: its name and how many records it holds (all of them, also
/// those folded behind "+N more").
fn section_title(section: Section, count: usize, lang: Lang) -> (String, Style) {
    let (name, style) = match section {
        Section::Findings => (T::FindingsSection.get(lang), theme::overdue()),
        Section::Disputes => (T::DisputeAlerts.get(lang), theme::overdue()),
        Section::Watch => (T::WatchAlertsSection.get(lang), theme::overdue()),
        Section::Inbox => (T::InboxSection.get(lang), theme::focused_label()),
        Section::Overdue => (T::Overdue.get(lang), urgency_style(Urgency::Overdue)),
        Section::DueToday => (T::DueToday.get(lang), urgency_style(Urgency::DueToday)),
        Section::Upcoming => (T::ComingDays.get(lang), urgency_style(Urgency::Upcoming)),
    };
    (
        format!("{name} ({count})"),
        style.add_modifier(Modifier::BOLD),
    )
}

/// Draws the list.
pub fn draw(app: &App, state: &TodayState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let filter_rows = u16::from(state.filtering || !state.filter.value().is_empty());
    let [title_area, table_area, filter_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(filter_rows),
    ])
    .areas(area);
    draw_title(app, state, frame, title_area);
    let Some(view) = &state.view else {
        return;
    };
    if state.item_count() == 0 {
        let text = if view.rows.is_empty() {
            T::NothingOwedPressNToSchedule.get(lang)
        } else {
            T::NoVisitMatchesTheFilterEsc.get(lang)
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(text, theme::dim()))).centered(),
            Rect {
                y: table_area.y + 2,
                height: 1,
                ..table_area
            },
        );
    } else {
        draw_table(app, state, view, frame, table_area);
    }
    if filter_rows > 0 {
        crate::screens::draw_filter_line(frame, filter_area, &state.filter, state.filtering, lang);
    }
}

fn draw_title(app: &App, state: &TodayState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut spans = vec![
        Span::styled(format!(" {} ", T::Today.get(lang)), theme::title()),
        Span::styled(
            format!("[{}] ", state.scope.localize(lang)),
            theme::focused_label(),
        ),
    ];
    // The counts, each with its rank: on a narrow terminal the least urgent ones are left
    // out whole rather than the line cut in the middle of the chief's approvals (at 80
    // columns in English a busy station's "to approve 120" showed as "to ap").
    let mut counts: Vec<(u8, String, Style)> = Vec::new();
    if let Some(view) = &state.view {
        counts.push((
            0,
            format!(
                "{} {}",
                T::OverdueCount.get(lang),
                view.count(Urgency::Overdue)
            ),
            theme::overdue(),
        ));
        counts.push((
            4,
            format!(
                "{} {}",
                T::TodayCount.get(lang),
                view.count(Urgency::DueToday)
            ),
            theme::due_today(),
        ));
        let days = (view.until - view.today).num_days();
        let coming = T::NextDaysCount.fill(lang, &[&days, &view.count(Urgency::Upcoming)]);
        counts.push((5, coming, theme::upcoming()));
    }
    // Open supervision findings and the chief's approvals stay in sight even when the
    // list is scrolled past them.
    let count = |section: Section| {
        state
            .alerts
            .iter()
            .filter(|a| a.section() == section)
            .count()
    };
    let findings = count(Section::Findings);
    if findings > 0 {
        counts.push((
            2,
            T::FindingsCount.fill(lang, &[&findings]),
            theme::overdue().add_modifier(Modifier::BOLD),
        ));
    }
    if state.conflicts > 0 {
        let key = app
            .keymap
            .key_for(crate::keymap::Mode::Today, crate::action::Action::Conflicts)
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        counts.push((
            3,
            format!("{}{key}", T::ConflictsCount.fill(lang, &[&state.conflicts])),
            theme::overdue().add_modifier(Modifier::BOLD),
        ));
    }
    let approvals = count(Section::Inbox);
    if approvals > 0 {
        counts.push((
            1,
            T::InboxCount.fill(lang, &[&approvals]),
            theme::focused_label().add_modifier(Modifier::BOLD),
        ));
    }
    let fixed: usize = spans.iter().map(|s| s.content.width()).sum();
    let kept = fitting_counts(
        counts.iter().map(|(rank, text, _)| (*rank, text.width())),
        usize::from(area.width).saturating_sub(fixed),
    );
    for (i, ((_, text, style), _)) in counts
        .into_iter()
        .zip(kept)
        .filter(|(_, keep)| *keep)
        .enumerate()
    {
        let gap = if i == 0 { "" } else { COUNT_GAP };
        spans.push(Span::styled(format!("{gap}{text}"), style));
    }
    let key = |action| app.keymap.key_for(Mode::Today, action).unwrap_or_default();
    // The key hints go last and whole: a hint cut in half is worse than none (the help
    // lists every key), so on a narrow terminal the ones that do not fit are left out.
    let mut used: usize = spans.iter().map(|s| s.content.width()).sum();
    for (gap, action, label) in [
        ("   ", Action::ToggleScope, T::Scope.get(lang)),
        ("  ", Action::NextSection, T::SectionJump.get(lang)),
    ] {
        let hint = format!("{gap}{} {label}", key(action));
        if used + hint.width() > usize::from(area.width) {
            break;
        }
        used += hint.width();
        spans.push(Span::styled(hint, theme::hint()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// Between two counts of the title line.
const COUNT_GAP: &str = "  ";

/// Which of the title line's counts (rank, display width; rank 0 the most urgent) fit in
/// `room` columns, each after a [`COUNT_GAP`] but the first: the most urgent first, each
/// kept whole or left out. In the counts' own order.
fn fitting_counts(counts: impl Iterator<Item = (u8, usize)>, room: usize) -> Vec<bool> {
    let counts: Vec<(u8, usize)> = counts.collect();
    let mut by_rank: Vec<usize> = (0..counts.len()).collect();
    by_rank.sort_by_key(|&i| counts[i].0);
    let mut kept = vec![false; counts.len()];
    let mut used = 0;
    for i in by_rank {
        let width = counts[i].1 + if used == 0 { 0 } else { COUNT_GAP.len() };
        if used + width <= room {
            used += width;
            kept[i] = true;
        }
    }
    kept
}

/// The widths of Today's columns for a terminal `total` columns wide.
struct Widths {
    when: usize,
    village: usize,
    purpose: usize,
    method: bool,
    station: bool,
}

/// Display columns of the person's name: four Chinese characters (欧阳娜娜).
const NAME_W: usize = 8;
const OFFICER_W: usize = 8;
const METHOD_W: usize = 10;
const STATION_W: usize = 12;

impl Widths {
    fn new(total: usize, lang: Lang, bureau: bool) -> Widths {
        let when = if lang == Lang::Zh { 8 } else { 9 };
        let method = total >= 100;
        // Fixed: due, when, name, officer, [method], [station]; flexible: village, purpose.
        let mut fixed = vec![5, when, NAME_W, OFFICER_W];
        if method {
            fixed.push(METHOD_W);
        }
        if bureau {
            fixed.push(STATION_W);
        }
        let flex = share(total, &fixed, &[1, 2]);
        Widths {
            when,
            village: flex.first().copied().unwrap_or(0),
            purpose: flex.get(1).copied().unwrap_or(0),
            method,
            station: bureau,
        }
    }
}

fn draw_table(app: &App, state: &TodayState, view: &TodayView, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let w = Widths::new(usize::from(area.width), lang, view.scope == Scope::Bureau);
    let mut head = vec![
        (T::DueColumn.get(lang).to_string(), 5),
        (T::When.get(lang).to_string(), w.when),
        (T::NameColumn.get(lang).to_string(), NAME_W),
        (T::VillageColumn.get(lang).to_string(), w.village),
        (T::Purpose.get(lang).to_string(), w.purpose),
        (T::OfficerColumn.get(lang).to_string(), OFFICER_W),
    ];
    if w.method {
        head.push((T::Method.get(lang).to_string(), METHOD_W));
    }
    if w.station {
        head.push((T::Station.get(lang).to_string(), STATION_W));
    }
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );

    // What the list shows, in order, before any of it is formatted: a chief's Today can
    // hold thousands of rows, and only the screenful around the selection is drawn.
    let mut plan = Vec::with_capacity(state.items.len() + state.sections.len());
    let mut selected_display = None;
    let mut sections = state.sections.iter().peekable();
    for (pos, item) in state.items.iter().enumerate() {
        if let Some(span) = sections.next_if(|s| s.start == pos) {
            plan.push(Entry::Heading(span.section, span.count));
        }
        if pos == state.selected {
            selected_display = Some(plan.len());
        }
        plan.push(Entry::Item(*item));
    }
    let (shown, selected_display) = screenful(selected_display, plan.len(), list_area.height);
    let mut items = Vec::with_capacity(shown.len());
    for entry in &plan[shown] {
        items.push(match entry {
            Entry::Heading(section, count) => {
                let (text, style) = section_title(*section, *count, lang);
                ListItem::new(Line::from(Span::styled(text, style)))
            }
            Entry::Item(Item::Alert(i)) => match state.alerts.get(*i) {
                Some(alert) => alert_item(app, alert, &w),
                None => ListItem::new(""),
            },
            Entry::Item(Item::Toggle {
                hidden, expanded, ..
            }) => {
                let text = if *expanded {
                    T::ShowFewer.get(lang).to_string()
                } else {
                    T::MoreRows.fill(lang, &[hidden])
                };
                ListItem::new(Line::from(vec![
                    Span::raw("      "),
                    Span::styled(text, theme::hint()),
                ]))
            }
            Entry::Item(Item::Visit(i)) => match view.rows.get(*i) {
                Some(row) => visit_item(row, view, &w, lang),
                None => ListItem::new(""),
            },
        });
    }
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected_display);
    frame.render_stateful_widget(list, list_area, &mut list_state);
}

/// One line of Today's list, before it is formatted.
enum Entry {
    Heading(Section, usize),
    Item(Item),
}

/// The line of one owed visit: name and village in columns of their own, so that they
/// line up whatever the length of the name; a follow-up's day stays visible in a
/// purpose too long for its column.
fn visit_item<'a>(row: &TodayRow, view: &TodayView, w: &Widths, lang: Lang) -> ListItem<'a> {
    let base = if row.mine || view.scope == Scope::Mine {
        Style::default()
    } else {
        theme::dim()
    };
    let mut rest = vec![
        fit(&row.person_name, NAME_W),
        fit(&row.village, w.village),
        fit_keeping(&row.purpose, &row.purpose_keep, w.purpose),
        fit(&row.officer_name, OFFICER_W),
    ];
    if w.method {
        rest.push(fit(&row.method.localize(lang), METHOD_W));
    }
    if w.station {
        rest.push(fit(&row.station_name, STATION_W));
    }
    ListItem::new(Line::from(vec![
        Span::styled(format!("{} ", row.due.format("%m-%d")), base),
        Span::styled(
            format!("{} ", fit(&when_label(row, lang), w.when)),
            urgency_style(row.urgency),
        ),
        Span::styled(rest.join(" "), base),
    ]))
}

/// What a chief's approval line says, and its colour.
fn approval_text(row: &ApprovalRow, lang: Lang) -> (String, Style) {
    match row.kind {
        ApprovalKind::FlagLowering { to, .. } => (
            T::ApprovalLowering.fill(lang, &[&to.localize(lang)]),
            theme::focused_label(),
        ),
        ApprovalKind::FlagRemoval { .. } => (
            T::ApprovalRemoval.get(lang).to_string(),
            theme::focused_label(),
        ),
        ApprovalKind::Extension { days } => (
            T::ApprovalExtension.fill(lang, &[&days]),
            theme::focused_label(),
        ),
        ApprovalKind::Closable => (T::Closable.get(lang).to_string(), theme::success()),
    }
}

/// The line of one alert: it spans the "when", name and village columns; the title
/// takes the purpose's.
fn alert_item<'a>(app: &App, alert: &TodayAlert, w: &Widths) -> ListItem<'a> {
    let lang = app.lang;
    let (level, what, style, title, officer, mine) = match alert {
        TodayAlert::Finding(f) => {
            let (what, style) = finding_text(f, lang);
            let problem = app
                .service
                .settings()
                .findings
                .problem_label(&f.finding.problem, lang);
            (
                None,
                what,
                style,
                format!(
                    "{problem}{}{}",
                    lang.pick("：", ": "),
                    f.finding.target_label
                ),
                // The officer column names the officer who answers for it (the station
                // only when nobody does).
                if f.officer_name.is_empty() {
                    f.station_name.clone()
                } else {
                    f.officer_name.clone()
                },
                true,
            )
        }
        TodayAlert::Dispute(a) => {
            let (what, style) = alert_text(a, lang);
            (
                Some(a.risk),
                what,
                style,
                a.title.clone(),
                a.officer_name.clone(),
                a.mine,
            )
        }
        TodayAlert::Watch(a) => (
            a.level,
            alert_reason_text(&a.alert.reason, lang),
            theme::overdue(),
            a.person_name.clone(),
            a.officer_name.clone(),
            app.session
                .as_ref()
                .is_some_and(|s| s.officer() == a.alert.officer),
        ),
        TodayAlert::Approval(r) => {
            let (what, style) = approval_text(r, lang);
            let level = match r.kind {
                ApprovalKind::FlagLowering { from, .. } => Some(from),
                ApprovalKind::FlagRemoval { level } => Some(level),
                _ => None,
            };
            let title = if r.reason.is_empty() {
                r.title.clone()
            } else {
                format!("{}{}{}", r.title, lang.pick("：", ": "), r.reason)
            };
            (level, what, style, title, r.requested_by.clone(), true)
        }
    };
    let base = if mine { Style::default() } else { theme::dim() };
    let level_text = level
        .map(|l| crate::screens::disputes::register::risk_short(l, lang))
        .unwrap_or("");
    let level_style = level
        .map(crate::screens::disputes::register::risk_style)
        .unwrap_or_default();
    let what_w = w.when + 1 + NAME_W + 1 + w.village;
    ListItem::new(Line::from(vec![
        Span::styled(fit(level_text, 2), level_style),
        Span::raw("    "),
        Span::styled(fit(&what, what_w), style),
        Span::raw(" "),
        Span::styled(
            fit_columns(&[(title, w.purpose), (officer, OFFICER_W)]),
            base,
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::fitting_counts;

    /// A busy chief's line in English at 80 columns: overdue, today, next 7 days,
    /// findings and approvals did not fit, and "to approve 120" was cut to "to ap".
    #[test]
    fn the_least_urgent_counts_give_way_whole() {
        // (rank, width) in the line's order: overdue, today, next days, findings, approvals.
        let counts = [(0, 12), (4, 9), (5, 13), (2, 10), (1, 14)];
        let room = 80 - 23; // " Today " and "[whole station] "
        let kept = fitting_counts(counts.into_iter(), room);
        assert_eq!(kept, vec![true, true, false, true, true]);
        let used: usize = counts
            .iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|((_, w), _)| w + 2)
            .sum::<usize>()
            - 2;
        assert!(used <= room, "{used} > {room}");
        // Everything fits on a wide terminal; nothing at all on none.
        assert!(fitting_counts(counts.into_iter(), 120).iter().all(|k| *k));
        assert!(fitting_counts(counts.into_iter(), 0).iter().all(|k| !*k));
    }
}
