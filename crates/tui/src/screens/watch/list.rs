//! The watch list: every flagged person of the station, highest level and longest without
//! contact first.

use crate::action::Action;
use crate::app::{App, Message};
use crate::keymap::Mode;
use crate::screens::disputes::register;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, share};
use crate::widgets::selection::{cycle, navigate, reselect, screenful};
use crate::widgets::text_field::TextField;
use beatbook_core::search::{FilterQuery, LazyRows};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Id, RiskLevel};
use beatbook_service::{Service, ServiceError, Session, WatchFilter, WatchRow};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::Frame;

/// From this width on, the list shows the masked ID number column.
const ID_COLUMN_FROM: usize = 110;
/// `110105********002X`.
const MASKED_ID_WIDTH: usize = 18;

/// A name of four Chinese characters, a space and the birth year.
const NAME_WIDTH: usize = 13;

#[derive(Debug, Default)]
pub struct WatchState {
    /// What the service returned for the filters other than the text.
    pub all_rows: Vec<WatchRow>,
    /// `all_rows` narrowed by the text filter, as shown.
    pub rows: Vec<WatchRow>,
    /// Name and village of each of `all_rows`, prepared at the first filter after a load.
    prepared: LazyRows,
    pub filter: WatchFilter,
    pub selected: usize,
    pub text: TextField,
    pub filtering: bool,
    pub mine_only: bool,
}

impl WatchState {
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        self.filter.officer = self.mine_only.then(|| session.officer());
        // The text filter is applied here: typing must not re-read the list on every key.
        self.filter.text.clear();
        let rows = service.watch_list(session, &self.filter)?;
        self.set_rows(rows);
        Ok(())
    }

    /// Takes a freshly read list and applies the current text (the rows are prepared
    /// for the text filter once, when it first filters, not per keystroke).
    pub fn set_rows(&mut self, rows: Vec<WatchRow>) {
        self.prepared.reset();
        self.all_rows = rows;
        self.apply_text();
    }

    /// Replaces the filter text, as typing does (benchmarks use this path).
    pub fn set_text(&mut self, text: &str) {
        self.text = TextField::new(text);
        self.apply_text();
    }

    /// Narrows the rows by the typed text (name or village; pinyin works).
    pub fn apply_text(&mut self) {
        let keep = self.rows.get(self.selected).map(|r| r.flag.id);
        let query = FilterQuery::parse(self.text.value().trim());
        let all = &self.all_rows;
        let passing = self.prepared.passing(&query, all.len(), |i| {
            [all[i].person_name.as_str(), all[i].village.as_str()]
        });
        self.rows = passing.into_iter().map(|i| all[i].clone()).collect();
        self.selected = reselect(self.rows.iter().map(|r| r.flag.id), keep.as_ref());
    }
}

impl WatchState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        update(self, ctx, action)
    }
}

fn update(state: &mut WatchState, ctx: &Ctx, action: Action) -> Effect {
    if let Some(selected) = navigate(state.selected, state.rows.len(), action) {
        state.selected = selected;
        return Effect::None;
    }
    match action {
        Action::Filter => {
            state.filtering = true;
            Effect::None
        }
        Action::AcceptFilter => {
            state.filtering = false;
            Effect::None
        }
        Action::ClearFilter => {
            state.filtering = false;
            state.text = TextField::default();
            state.filter = WatchFilter::default();
            state.mine_only = false;
            Effect::Reload
        }
        Action::FilterRisk => {
            state.filter.level = match state.filter.level {
                None => Some(RiskLevel::Red),
                Some(RiskLevel::Red) => Some(RiskLevel::Orange),
                Some(RiskLevel::Orange) => Some(RiskLevel::Yellow),
                Some(RiskLevel::Yellow) => Some(RiskLevel::Blue),
                Some(RiskLevel::Blue) => None,
            };
            Effect::Reload
        }
        Action::FilterCategory => {
            let codes: Vec<String> = ctx
                .service
                .settings()
                .watch
                .categories
                .iter()
                .map(|c| c.code.clone())
                .collect();
            state.filter.category = cycle(&state.filter.category, &codes);
            Effect::Reload
        }
        Action::FilterOverdue => {
            state.filter.overdue_only = !state.filter.overdue_only;
            Effect::Reload
        }
        Action::ToggleScope => {
            state.mine_only = !state.mine_only;
            Effect::Reload
        }
        Action::Refresh => Effect::Reload,
        Action::Open => match state.rows.get(state.selected).map(|r| r.flag.person) {
            Some(id) => Effect::Open(Open::Person(id)),
            None => Effect::Message(Message::info(T::NoPersonSelected.bi())),
        },
        Action::SwitchView => Effect::SwitchView,
        Action::Logout => Effect::Logout,
        _ => Effect::None,
    }
}

/// Category labels of a flag, joined.
pub fn category_labels(service: &Service, codes: &[String], lang: Lang) -> String {
    codes
        .iter()
        .map(|c| match service.settings().watch.category(c) {
            Some(cat) => cat.label(lang).to_string(),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(T::ListSep.get(lang))
}

pub fn draw(app: &App, state: &WatchState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let filter_rows = u16::from(state.filtering || !state.text.value().is_empty());
    let [title_area, head_area, list_area, filter_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(filter_rows),
    ])
    .areas(area);
    let mut spans = vec![
        Span::styled(format!(" {} ", T::WatchList.get(lang)), theme::title()),
        Span::styled(
            format!("{} {}  ", T::CountLabel.get(lang), state.rows.len()),
            theme::dim(),
        ),
    ];
    if let Some(l) = state.filter.level {
        spans.push(Span::styled(
            format!("{} ", l.localize(lang)),
            register::risk_style(l),
        ));
    }
    if let Some(c) = &state.filter.category {
        spans.push(Span::styled(
            format!(
                "{} ",
                category_labels(app.service, std::slice::from_ref(c), lang)
            ),
            theme::focused_label(),
        ));
    }
    if state.filter.overdue_only {
        spans.push(Span::styled(
            format!("{} ", T::OverdueOnly.get(lang)),
            theme::overdue(),
        ));
    }
    if state.mine_only {
        spans.push(Span::styled(
            format!("{} ", T::MineOnly.get(lang)),
            theme::focused_label(),
        ));
    }
    let help = app
        .keymap
        .key_for(Mode::Watch, Action::Help)
        .unwrap_or_default();
    spans.push(Span::styled(
        format!(" {help} {}", T::KeysHint.get(lang)),
        theme::hint(),
    ));
    frame.render_widget(Line::from(spans), title_area);

    let total = usize::from(area.width);
    // Wide terminals also show the masked ID number: namesakes are common, and the
    // birth year beside the name is not always enough.
    let show_id = total >= ID_COLUMN_FROM;
    let id_width = if show_id { MASKED_ID_WIDTH } else { 0 };
    // The name (four Chinese characters) and birth year are a column of their own, so
    // the villages after them line up whatever the name's length.
    let fixed: &[usize] = if show_id {
        &[2, NAME_WIDTH, 10, 10, 8, MASKED_ID_WIDTH]
    } else {
        &[2, NAME_WIDTH, 10, 10, 8]
    };
    let flex = share(total, fixed, &[2, 3]);
    let mut head = vec![
        fit(T::RiskShort.get(lang), 2),
        fit(T::WatchNameColumn.get(lang), NAME_WIDTH),
        fit(T::WatchVillageColumn.get(lang), flex[0]),
        fit(T::WatchCategoriesColumn.get(lang), flex[1]),
        fit(T::LastContactColumn.get(lang), 10),
        fit(T::NextVisitColumn.get(lang), 10),
        fit(T::OfficerColumn.get(lang), 8),
    ];
    if show_id {
        head.push(fit(T::IdNumberLabel.get(lang), id_width));
    }
    frame.render_widget(
        Line::from(Span::styled(head.join(" "), theme::header())),
        head_area,
    );
    if state.rows.is_empty() {
        crate::screens::draw_empty_hint(frame, list_area, T::NobodyListed.get(lang));
    }
    let today = app.service.today();
    let (shown, selected) = screenful(
        (!state.rows.is_empty()).then_some(state.selected),
        state.rows.len(),
        list_area.height,
    );
    let items: Vec<ListItem> = state.rows[shown]
        .iter()
        .map(|row| {
            let contact = match row.days_since_contact {
                Some(d) => T::DaysAgo.fill(lang, &[&d]),
                None => T::NeverVisited.get(lang).to_string(),
            };
            // The year only when it is not this one.
            let short = |d: chrono::NaiveDate| {
                if chrono::Datelike::year(&d) == chrono::Datelike::year(&today) {
                    d.format("%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d").to_string()
                }
            };
            let (next, next_style) = match row.next_visit {
                Some(d) if d < today => (short(d), theme::overdue()),
                Some(d) => (short(d), theme::dim()),
                None => ("-".into(), theme::dim()),
            };
            // The birth year tells namesakes apart; the review marker opens the
            // village cell so a narrow column cannot cut it off.
            let year = row.birth_year.map(|y| y.to_string()).unwrap_or_default();
            let name = format!("{} {}", fit(&row.person_name, 8), fit(&year, 4));
            let village = match row.review_overdue {
                Some(_) => format!("{} {}", T::ReviewDue.get(lang), row.village),
                None => row.village.clone(),
            };
            let mut spans = vec![
                Span::styled(
                    fit(register::risk_short(row.flag.level, lang), 2),
                    register::risk_style(row.flag.level),
                ),
                Span::raw(" "),
                Span::raw(name),
                Span::raw(" "),
                Span::raw(fit(&village, flex[0])),
                Span::raw(" "),
                Span::raw(fit(
                    &category_labels(app.service, &row.flag.categories, lang),
                    flex[1],
                )),
                Span::raw(" "),
                Span::raw(fit(&contact, 10)),
                Span::raw(" "),
                Span::styled(fit(&next, 10), next_style),
                Span::raw(" "),
                Span::raw(fit(&row.officer_name, 8)),
            ];
            if show_id {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    fit(row.masked_id.as_deref().unwrap_or("-"), id_width),
                    theme::dim(),
                ));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut ls = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut ls);
    if filter_rows > 0 {
        crate::screens::draw_filter_line(frame, filter_area, &state.text, state.filtering, lang);
    }
}

impl crate::screens::created::RecordList for WatchState {
    fn position_of(&self, id: Id) -> Option<usize> {
        self.rows.iter().position(|r| r.flag.id == id)
    }

    fn select_at(&mut self, at: usize) {
        self.selected = at;
    }

    fn is_filtered(&self) -> bool {
        !self.text.value().is_empty() || self.mine_only || self.filter != WatchFilter::default()
    }

    fn clear_filters(&mut self) {
        self.text = TextField::default();
        self.filtering = false;
        self.filter = WatchFilter::default();
        self.mine_only = false;
    }

    fn read(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        self.reload(service, session)
    }
}
