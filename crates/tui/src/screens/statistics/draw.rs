//! Drawing the statistics: the sections stacked and scrolled, the bar chart, the tables, the sparkline and the ranking.

use super::*;
use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::theme;
use crate::widgets::columns::{fit, fit_right};
use beatbook_core::report::{self, Labels, StationStats};
use beatbook_i18n::report::R;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::RiskLevel;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// One block of the screen: its height and how to draw it.
enum Section<'a> {
    /// Key figures beside the bar chart of disputes by category.
    Disputes(&'a StationStats),
    Visits(&'a StationStats, bool),
    Watch(&'a StationStats),
    Trend(&'a StationStats),
    Ranking(&'a [StationStats]),
}

impl Section<'_> {
    fn height(&self) -> u16 {
        let n = |len: usize| u16::try_from(len).unwrap_or(u16::MAX);
        match self {
            Section::Disputes(_) => 12,
            Section::Visits(s, _) => {
                n(s.visits.per_officer.len()).min(12) + 4 + u16::from(s.partial)
            }
            Section::Watch(s) => n(s.watch.by_category.len()) + 5,
            Section::Trend(_) => 6,
            Section::Ranking(r) => n(r.len()) + 4,
        }
    }
}

pub fn draw(app: &App, state: &StatisticsState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let [title_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let (stats, labels, ranked): (
        Option<&StationStats>,
        Option<&Labels>,
        Option<&[StationStats]>,
    ) = match &state.loaded {
        Some(Loaded::Station(r)) => (Some(&r.stats), Some(&r.labels), None),
        Some(Loaded::Bureau(r)) => (Some(&r.total), Some(&r.labels), Some(&r.ranked)),
        None => (None, None, None),
    };
    draw_title(app, state, stats, frame, title_area);
    let (Some(stats), Some(labels)) = (stats, labels) else {
        return;
    };
    let mut sections = Vec::new();
    if let Some(r) = ranked {
        sections.push(Section::Ranking(r));
    }
    sections.push(Section::Disputes(stats));
    sections.push(Section::Visits(stats, ranked.is_some()));
    sections.push(Section::Watch(stats));
    sections.push(Section::Trend(stats));
    let first = state.scroll.min(sections.len().saturating_sub(1));
    let mut y = body.y;
    let bottom = body.y + body.height;
    for section in sections.iter().skip(first) {
        if y >= bottom {
            break;
        }
        let h = section.height().min(bottom - y);
        let rect = Rect {
            y,
            height: h,
            ..body
        };
        match section {
            Section::Disputes(s) => draw_disputes(s, labels, lang, frame, rect),
            Section::Visits(s, bureau) => {
                draw_visits(s, labels, ranked, *bureau, lang, frame, rect)
            }
            Section::Watch(s) => draw_watch(s, labels, lang, frame, rect),
            Section::Trend(s) => draw_trend(s, lang, frame, rect),
            Section::Ranking(r) => draw_ranking(r, lang, frame, rect),
        }
        y += h;
    }
}

fn draw_title(
    app: &App,
    state: &StatisticsState,
    stats: Option<&StationStats>,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.lang;
    let name = match state.station {
        Some(id) => state
            .stations
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        None => R::Bureau.get(lang).to_string(),
    };
    let month = match lang {
        Lang::Zh => format!("{}年{}月", state.month.year(), state.month.month()),
        Lang::En => state.month.to_string(),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", R::Statistics.get(lang)), theme::title()),
        Span::styled(format!("{name} · {month} "), theme::focused_label()),
    ];
    if let Some(s) = stats {
        if s.partial {
            spans.push(Span::styled(
                format!("{} ", R::ToDate.fill(lang, &[&s.today])),
                theme::dim(),
            ));
        }
        if s.is_zero_report() && state.station.is_some() {
            spans.push(Span::styled(
                format!("{} ", R::ZeroReportShort.get(lang)),
                theme::overdue(),
            ));
        }
    }
    let k = |a| app.keymap.key_for(Mode::Statistics, a).unwrap_or_default();
    spans.push(Span::styled(
        format!(
            " {}/{} {} {} {} {} {}",
            k(Action::PrevMonth),
            k(Action::NextMonth),
            R::MonthCol.get(lang),
            k(Action::WriteReport),
            R::WriteReportHint.get(lang),
            k(Action::Help),
            crate::text::T::KeysHint.get(lang),
        ),
        theme::hint(),
    ));
    frame.render_widget(Line::from(spans), area);
}

fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::TOP)
        .border_style(theme::border())
        .title(Span::styled(format!(" {title} "), theme::title()))
}

fn draw_disputes(s: &StationStats, labels: &Labels, lang: Lang, frame: &mut Frame, area: Rect) {
    let outer = block(R::Disputes.get(lang).to_string());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [figures_area, chart_area] =
        Layout::horizontal([Constraint::Length(38), Constraint::Min(20)]).areas(inner);
    let t = &s.disputes.total;
    let line = |label: R, value: String, style: Style| {
        Line::from(vec![
            Span::styled(fit(label.get(lang), 26), theme::label()),
            Span::styled(fit_right(&value, 10), style),
        ])
    };
    let mut lines = vec![
        line(R::Received, t.received.to_string(), Style::default()),
        line(R::Resolved, t.resolved.to_string(), theme::success()),
        line(R::Referred, t.referred.to_string(), Style::default()),
        line(R::Escalated, t.escalated.to_string(), Style::default()),
        line(R::Reopened, t.reopened.to_string(), Style::default()),
        line(
            R::ResolutionRate,
            report::percent(s.disputes.resolution_rate()),
            theme::focused_label(),
        ),
        line(
            R::MedianDays,
            report::days(lang, s.disputes.median_days()),
            Style::default(),
        ),
        line(
            R::OverdueShort,
            t.overdue.to_string(),
            if t.overdue > 0 {
                theme::overdue()
            } else {
                Style::default()
            },
        ),
    ];
    // Supervision findings of the month as new / rectified / overdue.
    let f = s.findings;
    lines.push(line(
        R::FindingsShort,
        format!("{}/{}/{}", f.opened, f.rectified, f.overdue),
        if f.overdue > 0 {
            theme::overdue()
        } else {
            Style::default()
        },
    ));
    if s.is_zero_report() {
        lines.push(Line::from(Span::styled(
            R::ZeroReportShort.get(lang),
            theme::overdue(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), figures_area);
    // One bar per category (received), labelled by code to stay narrow; the legend below
    // names the tallest.
    let bars: Vec<Bar> = s
        .disputes
        .by_category
        .iter()
        .map(|c| {
            Bar::default()
                .value(u64::from(c.received))
                .label(Line::from(c.category.clone()))
        })
        .collect();
    let [chart, legend] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(chart_area);
    let n = u16::try_from(bars.len().max(1)).unwrap_or(1);
    let width = (chart.width.saturating_sub(n) / n).clamp(1, 5);
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(width)
            .bar_gap(1)
            .bar_style(theme::focused_label())
            .value_style(theme::title()),
        chart,
    );
    let top = s
        .disputes
        .by_category
        .iter()
        .filter(|c| c.received > 0)
        .max_by_key(|c| c.received)
        .map(|c| {
            format!(
                "{} {} = {}",
                R::Received.get(lang),
                c.category,
                report::dispute_category(labels, lang, &c.category)
            )
        })
        .unwrap_or_default();
    frame.render_widget(
        Line::from(Span::styled(
            fit(&top, usize::from(legend.width)),
            theme::dim(),
        )),
        legend,
    );
}

fn rate_style(rate: Option<f64>) -> Style {
    match rate {
        Some(r) if r < 0.8 => theme::overdue(),
        Some(_) => theme::success(),
        None => theme::dim(),
    }
}

fn draw_visits(
    s: &StationStats,
    labels: &Labels,
    ranked: Option<&[StationStats]>,
    bureau: bool,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
) {
    let outer = block(R::Visits.get(lang).to_string());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let who = if bureau { R::Station } else { R::Officer };
    let w = 8;
    // Mid-month the owed figure runs to today: the month's total stands beside it.
    let partial = s.partial;
    let month_col = |text: &str| if partial { col(text, w) } else { String::new() };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{}{}{}{}",
            fit(who.get(lang), 16),
            col(R::Owed.get(lang), w),
            month_col(R::MonthTotal.get(lang)),
            col(R::Made.get(lang), w),
            col(R::MissedCol.get(lang), w),
            col(R::Pending.get(lang), w),
            col(R::VisitRate.get(lang), 12),
        ),
        theme::header(),
    ))];
    let row = |name: String, v: &report::OfficerVisits| {
        Line::from(vec![
            Span::raw(format!(
                "{}{}{}{}{}{}",
                fit(&name, 16),
                col(&v.owed.to_string(), w),
                month_col(&v.month_total.to_string()),
                col(&v.made.to_string(), w),
                col(&v.missed.to_string(), w),
                col(&v.pending.to_string(), w),
            )),
            Span::styled(col(&report::percent(v.rate()), 12), rate_style(v.rate())),
        ])
    };
    let rows = usize::from(inner.height.saturating_sub(2));
    for v in s.visits.per_officer.iter().take(rows) {
        let name = match ranked {
            Some(list) => list
                .iter()
                .find(|st| st.station == v.officer)
                .map(|st| st.station_name.clone())
                .unwrap_or_default(),
            None => labels.officer(v.officer),
        };
        lines.push(row(name, v));
    }
    lines.push(row(R::Total.get(lang).to_string(), &s.visits.total));
    if partial {
        lines.push(Line::from(Span::styled(
            R::OwedToDate.fill(lang, &[&s.visits.total.owed, &s.visits.total.month_total]),
            theme::dim(),
        )));
    }
    if s.visits.total.owed == 0 {
        lines.push(Line::from(Span::styled(
            R::NoVisitsOwed.get(lang),
            theme::dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_watch(s: &StationStats, labels: &Labels, lang: Lang, frame: &mut Frame, area: Rect) {
    let outer = block(R::WatchList.get(lang).to_string());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let w = 7;
    let mut head = fit(R::Category.get(lang), 24);
    for l in RiskLevel::DESCENDING {
        head.push_str(&col(&l.localize(lang), w));
    }
    head.push_str(&col(R::Total.get(lang), w + 2));
    let mut lines = vec![Line::from(Span::styled(head, theme::header()))];
    let row = |name: String, n: &[u32; 4]| {
        let mut text = fit(&name, 24);
        for l in RiskLevel::DESCENDING {
            text.push_str(&col(&n[l.rank()].to_string(), w));
        }
        text.push_str(&col(&n.iter().sum::<u32>().to_string(), w + 2));
        Line::from(text)
    };
    for (code, n) in &s.watch.by_category {
        lines.push(row(report::watch_category(labels, lang, code), n));
    }
    lines.push(row(
        format!("{} ({})", R::Persons.get(lang), R::Total.get(lang)),
        &s.watch.by_level,
    ));
    let c = s.watch.changes;
    lines.push(Line::from(Span::styled(
        R::WatchChanges.fill(lang, &[&c.added, &c.removed, &c.raised, &c.lowered]),
        theme::focused_label(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_trend(s: &StationStats, lang: Lang, frame: &mut Frame, area: Rect) {
    let outer = block(R::Trend.get(lang).to_string());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let first = s
        .trend
        .first()
        .map(|p| p.month.to_string())
        .unwrap_or_default();
    let last = s
        .trend
        .last()
        .map(|p| p.month.to_string())
        .unwrap_or_default();
    for (rect, label, data) in [
        (
            left,
            R::Received,
            s.trend
                .iter()
                .map(|p| u64::from(p.received))
                .collect::<Vec<u64>>(),
        ),
        (
            right,
            R::Resolved,
            s.trend
                .iter()
                .map(|p| u64::from(p.resolved))
                .collect::<Vec<u64>>(),
        ),
    ] {
        let [head, spark] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(rect);
        let max = data.iter().max().copied().unwrap_or(0);
        let now = data.last().copied().unwrap_or(0);
        frame.render_widget(
            Line::from(Span::styled(
                fit(
                    &format!(
                        "{} {first}~{last}  {}",
                        label.get(lang),
                        R::TrendFigures.fill(lang, &[&max, &now])
                    ),
                    usize::from(head.width),
                ),
                theme::label(),
            )),
            head,
        );
        // Each month gets two columns so twelve months read as a trend, not a blur.
        let wide: Vec<u64> = data.iter().flat_map(|v| [*v, *v]).collect();
        frame.render_widget(
            Sparkline::default()
                .data(&wide)
                .style(theme::focused_label()),
            spark,
        );
    }
}

fn draw_ranking(ranked: &[StationStats], lang: Lang, frame: &mut Frame, area: Rect) {
    let outer = block(R::Ranking.get(lang).to_string());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    // Each column as wide as its heading (plus a gap), at least as wide as its figures.
    let width = |label: R, min: usize| min.max(label.get(lang).width() + 2);
    let items_w = width(R::OverdueItems, 10);
    let received_w = width(R::Received, 8);
    let rate_w = width(R::ResolutionRate, 8);
    let overdue_w = width(R::OverdueShort, 8);
    let visits_w = width(R::VisitRate, 10);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{}{}{}{}",
            fit(R::Rank.get(lang), 5),
            fit(R::Station.get(lang), 14),
            col(R::OverdueItems.get(lang), items_w),
            col(R::Received.get(lang), received_w),
            col(R::ResolutionRate.get(lang), rate_w),
            col(R::OverdueShort.get(lang), overdue_w),
            col(R::VisitRate.get(lang), visits_w),
        ),
        theme::header(),
    ))];
    for (i, s) in ranked.iter().enumerate() {
        let items = s.overdue_items();
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{}{}",
                fit(&(i + 1).to_string(), 5),
                fit(&s.station_name, 14)
            )),
            Span::styled(
                col(&items.to_string(), items_w),
                if items > 0 {
                    theme::overdue()
                } else {
                    theme::success()
                },
            ),
            Span::raw(format!(
                "{}{}{}",
                col(&s.disputes.total.received.to_string(), received_w),
                col(&report::percent(s.disputes.resolution_rate()), rate_w),
                col(&s.disputes.total.overdue.to_string(), overdue_w),
            )),
            Span::styled(
                col(&report::percent(s.visits.total.rate()), visits_w),
                rate_style(s.visits.total.rate()),
            ),
        ]));
    }
    lines.push(Line::from(Span::styled(
        R::OverdueItemsNote.get(lang),
        theme::dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}
