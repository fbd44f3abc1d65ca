//! The findings list (执法巡查问题): for a supervisor every station's findings, for a
//! station its own; filter by status, station and overdue; Enter opens one with its
//! history, where the supervisor accepts or returns and the station answers.

use crate::action::Action;
use crate::app::{App, Message};
use crate::keymap::Mode;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, share};
use crate::widgets::selection::{cycle, navigate, reselect, screenful};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{FindingStatus, Id};
use beatbook_service::{FindingFilter, FindingRow, Service, ServiceError, Session};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct FindingsState {
    pub rows: Vec<FindingRow>,
    pub filter: FindingFilter,
    /// One station only (supervisors); `None`: all the session reads.
    pub station: Option<Id>,
    /// The stations to cycle through, with their names (read once per load).
    pub stations: Vec<(Id, String)>,
    pub selected: usize,
}

impl FindingsState {
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        if service.views(session).bureau_wide && self.stations.is_empty() {
            self.stations = service
                .stations()?
                .into_iter()
                .map(|s| (s.meta.id, s.name))
                .collect();
        }
        let keep = self.selected_row().map(|r| r.finding.meta.id);
        self.rows = service.station_findings(session, self.station, &self.filter)?;
        self.selected = reselect(self.rows.iter().map(|r| r.finding.meta.id), keep.as_ref());
        Ok(())
    }

    pub fn selected_row(&self) -> Option<&FindingRow> {
        self.rows.get(self.selected)
    }
}

impl FindingsState {
    pub fn update(&mut self, _ctx: &Ctx, action: Action) -> Effect {
        if let Some(selected) = navigate(self.selected, self.rows.len(), action) {
            self.selected = selected;
            return Effect::None;
        }
        match action {
            Action::Open => match self.selected_row().map(|r| r.finding.meta.id) {
                Some(id) => Effect::Open(Open::Finding(id)),
                None => Effect::Message(Message::info(T::SelectAFinding.bi())),
            },
            Action::FilterStatus => {
                self.filter.status = cycle(&self.filter.status, &FindingStatus::ALL);
                Effect::Reload
            }
            Action::ToggleScope => {
                let ids: Vec<Id> = self.stations.iter().map(|(id, _)| *id).collect();
                self.station = cycle(&self.station, &ids);
                Effect::Reload
            }
            Action::FilterOverdue => {
                self.filter.overdue_only = !self.filter.overdue_only;
                Effect::Reload
            }
            Action::ClearFilter => {
                self.filter = FindingFilter::default();
                self.station = None;
                Effect::Reload
            }
            Action::Refresh => Effect::Then(vec![
                Effect::Reload,
                Effect::Message(Message::info(T::Refreshed.bi())),
            ]),
            Action::SwitchView => Effect::SwitchView,
            Action::Logout => Effect::Logout,
            _ => Effect::None,
        }
    }
}

/// A status in a list cell, coloured by who must act.
fn status_style(status: FindingStatus, overdue: bool) -> Style {
    match status {
        _ if overdue => theme::overdue(),
        FindingStatus::Open | FindingStatus::Returned => theme::due_today(),
        FindingStatus::Rectified => theme::focused_label(),
        FindingStatus::Accepted => theme::dim(),
    }
}

/// The deadline cell: "3 d late" when overdue, else the date.
pub fn deadline_text(row: &FindingRow, lang: Lang) -> String {
    if row.overdue {
        T::FindingLate.fill(lang, &[&row.days_overdue])
    } else {
        row.finding.deadline.format("%m-%d").to_string()
    }
}

pub fn draw(app: &App, state: &FindingsState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let [title_area, head_area, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let k = |a| app.keymap.key_for(Mode::Findings, a).unwrap_or_default();
    let status = state.filter.status.map_or_else(
        || T::EveryStatus.get(lang).to_string(),
        |s| s.localize(lang),
    );
    let station = state
        .station
        .and_then(|id| state.stations.iter().find(|(s, _)| *s == id))
        .map_or_else(|| T::AllStations.get(lang).to_string(), |(_, n)| n.clone());
    let mut title = vec![
        Span::styled(format!(" {} ", T::FindingsTitle.get(lang)), theme::title()),
        Span::styled(format!("({}) ", state.rows.len()), theme::dim()),
        Span::styled(format!("[{status}] "), theme::focused_label()),
    ];
    if !state.stations.is_empty() {
        title.push(Span::styled(
            format!("[{station}] "),
            theme::focused_label(),
        ));
    }
    if state.filter.overdue_only {
        title.push(Span::styled(
            format!("[{}] ", T::OnlyOverdue.get(lang)),
            theme::overdue(),
        ));
    }
    title.push(Span::styled(
        format!(
            "  {} {}  {} {}",
            k(Action::FilterStatus),
            T::StatusColumn.get(lang),
            k(Action::FilterOverdue),
            T::OnlyOverdue.get(lang)
        ),
        theme::hint(),
    ));
    frame.render_widget(Line::from(title), title_area);

    let total = usize::from(area.width);
    let show_station = state.station.is_none() && !state.stations.is_empty();
    // Fixed: deadline, status, [station]; flexible: target, problem.
    let status_w = if lang == Lang::Zh { 12 } else { 10 };
    // The officer answerable always; the station only where several are listed.
    let mut fixed = vec![if lang == Lang::Zh { 12 } else { 10 }, status_w, 8];
    if show_station {
        fixed.push(10);
    }
    let flex = share(total, &fixed, &[3, 2]);
    let (target_w, problem_w) = (flex[0], flex[1]);
    let mut head = vec![
        (T::RectifyByColumn.get(lang).to_string(), fixed[0]),
        (T::StatusColumn.get(lang).to_string(), status_w),
        (T::TargetColumn.get(lang).to_string(), target_w),
        (T::ProblemColumn.get(lang).to_string(), problem_w),
        (T::OfficerColumn.get(lang).to_string(), 8),
    ];
    if show_station {
        head.push((T::Station.get(lang).to_string(), 10));
    }
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );
    if state.rows.is_empty() {
        crate::screens::draw_empty_hint(frame, list_area, T::NoFindingMatches.get(lang));
        return;
    }
    let problems = &app.service.settings().findings;
    let (shown, selected) = screenful(Some(state.selected), state.rows.len(), list_area.height);
    let items: Vec<ListItem> = state.rows[shown]
        .iter()
        .map(|r| {
            let f = &r.finding;
            let style = status_style(f.status, r.overdue);
            let mut rest = vec![
                (
                    format!("{} {}", f.target.localize(lang), f.target_label),
                    target_w,
                ),
                (problems.problem_label(&f.problem, lang), problem_w),
                (r.officer_name.clone(), 8),
            ];
            if show_station {
                rest.push((r.station_name.clone(), 10));
            }
            ListItem::new(Line::from(vec![
                Span::styled(
                    format!("{} ", fit(&deadline_text(r, lang), fixed[0])),
                    style,
                ),
                Span::styled(
                    format!("{} ", fit(&f.status.localize(lang), status_w)),
                    style,
                ),
                Span::raw(fit_columns(&rest)),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut list_state);
}

impl crate::screens::created::RecordList for FindingsState {
    fn position_of(&self, id: Id) -> Option<usize> {
        self.rows.iter().position(|r| r.finding.meta.id == id)
    }

    fn select_at(&mut self, at: usize) {
        self.selected = at;
    }

    fn is_filtered(&self) -> bool {
        self.station.is_some() || self.filter != FindingFilter::default()
    }

    fn clear_filters(&mut self) {
        self.filter = FindingFilter::default();
        self.station = None;
    }

    fn read(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        self.reload(service, session)
    }
}
