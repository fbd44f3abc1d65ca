//! The audit viewer (chiefs: their station; supervisors: every station): newest first,
//! read a page at a time from the service, so it opens at once on a log of a million
//! entries; moving past the last row reads the next page. Actions, officers and the
//! subject of each entry are shown by name in the reader's language (the service resolves
//! the names). The filter line takes `by:NAME action:ACTION from:DATE to:DATE` and free
//! text for the subject (name, title, kind, id or detail); Enter on a row shows the whole
//! entry.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::screens::effect::{Ctx, Effect};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, share};
use crate::widgets::popup::centered;
use crate::widgets::selection::{navigate, reselect, screenful};
use crate::widgets::text_field::TextField;
use beatbook_i18n::audit::{action_label, detail_text};
use beatbook_i18n::Lang;
use beatbook_service::{AuditFilter, AuditRow, Service, ServiceError, Session};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct AuditState {
    pub filter: AuditFilter,
    pub rows: Vec<AuditRow>,
    /// Where the next page starts; None when the log (or the filter's range) is done.
    pub next_below: Option<u64>,
    pub selected: usize,
    pub text: TextField,
    pub filtering: bool,
    /// The selected entry is shown whole.
    pub detail: bool,
    /// A date in the filter line that is not a date.
    pub bad_filter: bool,
}

impl AuditState {
    /// Reads the first page for the current filter, keeping the selected entry (by its
    /// sequence number) if the filter still lists it, else the newest entry. An entry on a
    /// later page is read up to again: the officer had scrolled that far already.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.rows.get(self.selected).map(|r| r.entry.seq);
        let page = service.audit_page(session, &self.filter, None)?;
        self.rows = page.rows;
        self.next_below = page.next_below;
        if let Some(seq) = keep {
            // Newest first: once a row older than the kept one is read, it is not listed.
            while self.next_below.is_some() && self.rows.last().is_some_and(|r| r.entry.seq > seq) {
                self.load_more(service, session)?;
            }
        }
        self.selected = reselect(self.rows.iter().map(|r| r.entry.seq), keep.as_ref());
        self.detail = false;
        Ok(())
    }

    /// Appends the next page, if there is one.
    pub fn load_more(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let Some(below) = self.next_below else {
            return Ok(());
        };
        let page = service.audit_page(session, &self.filter, Some(below))?;
        self.rows.extend(page.rows);
        self.next_below = page.next_below;
        Ok(())
    }

    /// Turns the filter line into the filter: `by:` (`民警:`), `action:` (`操作:`),
    /// `from:` (`从:`), `to:` (`到:`); any other word is looked for in the record.
    pub fn apply_text(&mut self) {
        let mut filter = AuditFilter::default();
        let mut record = Vec::new();
        self.bad_filter = false;
        for word in self.text.value().split_whitespace() {
            let (key, value) = word
                .split_once(':')
                .or_else(|| word.split_once('：'))
                .unwrap_or(("", word));
            let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            match key {
                "by" | "民警" => filter.officer = value.to_string(),
                "action" | "操作" => filter.action = value.to_string(),
                "from" | "从" => {
                    filter.from = date(value);
                    self.bad_filter |= filter.from.is_none();
                }
                "to" | "到" => {
                    filter.to = date(value);
                    self.bad_filter |= filter.to.is_none();
                }
                _ => record.push(word),
            }
        }
        filter.record = record.join(" ");
        self.filter = filter;
    }
}

/// Opens the viewer as [`AuditState::open`] asks (the screen cycle, tests).
pub fn open(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let ctx = Ctx {
        service: app.service,
        session,
        lang: app.lang,
    };
    let effect = AuditState::open(&ctx);
    app.apply(effect);
}

impl AuditState {
    /// The viewer on its first page in place of the current screen (from Today, or the
    /// screen cycle), for a role that may read the log.
    pub fn open(ctx: &Ctx) -> Effect {
        let mut state = AuditState::default();
        match state.reload(ctx.service, ctx.session) {
            Ok(()) => Effect::Show(Box::new(Screen::Audit(Box::new(state)))),
            Err(e) => Effect::Message(Message::error(&e)),
        }
    }

    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        update(self, ctx, action)
    }
}

fn update(state: &mut AuditState, ctx: &Ctx, action: Action) -> Effect {
    let (service, session) = (ctx.service, ctx.session);
    if state.detail {
        if matches!(action, Action::Back | Action::Open | Action::ClearFilter) {
            state.detail = false;
        }
        return Effect::None;
    }
    if let Some(selected) = navigate(state.selected, state.rows.len(), action) {
        state.selected = selected;
        let at_end = selected + 1 >= state.rows.len();
        let forward = matches!(action, Action::Down | Action::PageDown | Action::Bottom);
        if at_end && forward {
            if let Err(e) = state.load_more(service, session) {
                return Effect::Message(Message::error(&e));
            }
        }
        return Effect::None;
    }
    let mut reload = false;
    let effect = match action {
        Action::Filter => {
            state.filtering = true;
            Effect::None
        }
        Action::AcceptFilter => {
            state.filtering = false;
            state.apply_text();
            reload = true;
            Effect::None
        }
        Action::ClearFilter => {
            state.filtering = false;
            state.text = TextField::default();
            state.apply_text();
            reload = true;
            Effect::None
        }
        Action::Refresh => {
            reload = true;
            Effect::None
        }
        Action::Open if !state.rows.is_empty() => {
            state.detail = true;
            Effect::None
        }
        Action::Open => Effect::Message(Message::info(T::NoEntrySelected.bi())),
        Action::SwitchView | Action::Back => Effect::SwitchView,
        Action::Logout => Effect::Logout,
        _ => Effect::None,
    };
    // The audit list is read here rather than through the app: a page costs more than a
    // keystroke, so it is read only on the actions above, never on a plain switch back.
    if reload {
        if let Err(e) = state.reload(service, session) {
            return Effect::Message(Message::error(&e));
        }
    }
    effect
}

pub fn draw(app: &App, state: &AuditState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let [title, hint, table_area, filter] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let more = if state.next_below.is_some() {
        T::AuditMore.get(lang)
    } else {
        ""
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!(" {} ", T::AuditLog.get(lang)), theme::title()),
            Span::styled(
                beatbook_i18n::fill(T::AuditShown.get(lang), &[&state.rows.len(), &more]),
                theme::hint(),
            ),
        ]),
        title,
    );
    // The hint is cut with a mark where the terminal is narrower than it (80 columns).
    let hint_width = usize::from(hint.width);
    let hint_text = if state.bad_filter {
        Span::styled(fit(T::AuditBadDate.get(lang), hint_width), theme::error())
    } else {
        Span::styled(fit(T::AuditFilterHint.get(lang), hint_width), theme::hint())
    };
    frame.render_widget(Line::from(hint_text), hint);
    let total = usize::from(table_area.width);
    let fixed = [16, 16, if lang == Lang::Zh { 12 } else { 18 }];
    let flex = share(total, &fixed, &[2, 1]);
    let widths = [fixed[0], fixed[1], fixed[2], flex[0], flex[1]];
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(table_area);
    let head: Vec<(String, usize)> = [
        T::AuditTime,
        T::AuditActor,
        T::AuditAction,
        T::AuditSubject,
        T::Station,
    ]
    .iter()
    .zip(widths)
    .map(|(t, w)| (t.get(lang).to_string(), w))
    .collect();
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );
    let (shown, selected) = screenful(
        (!state.rows.is_empty()).then_some(state.selected),
        state.rows.len(),
        list_area.height,
    );
    let items: Vec<ListItem> = state.rows[shown]
        .iter()
        .map(|r| {
            let cols = [
                r.at.format("%Y-%m-%d %H:%M").to_string(),
                actor_label(r, lang),
                action_label(&r.entry.action, lang),
                subject_label(r, lang),
                r.station_name.clone(),
            ];
            let cols: Vec<(String, usize)> = cols.into_iter().zip(widths).collect();
            ListItem::new(Line::from(fit_columns(&cols)))
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut list_state);
    if state.rows.is_empty() {
        frame.render_widget(
            Span::styled(format!(" {}", T::AuditNothing.get(lang)), theme::dim()),
            Rect {
                height: 1,
                ..list_area
            },
        );
    }
    crate::screens::draw_filter_line(frame, filter, &state.text, state.filtering, lang);
    if state.detail {
        if let Some(row) = state.rows.get(state.selected) {
            draw_detail(row, lang, frame, area);
        }
    }
}

/// Whoever acted, by name with the username: "王志强 (wang)"; beatbook itself (demo data,
/// repairs, migrations) as "系统" / "system"; the username alone for an account that no
/// longer exists.
fn actor_label(r: &AuditRow, lang: Lang) -> String {
    if r.entry.actor == beatbook_model::Id::SYSTEM {
        T::SystemActor.get(lang).to_string()
    } else if r.actor_display.is_empty() || r.actor_display == r.entry.actor_name {
        r.entry.actor_name.clone()
    } else {
        format!("{} ({})", r.actor_display, r.entry.actor_name)
    }
}

/// Whom the entry is about: the subject's name, else the kind and the end of its id.
fn subject_label(r: &AuditRow, lang: Lang) -> String {
    match (r.entry.kind, r.entry.record) {
        _ if !r.subject.is_empty() => r.subject.clone(),
        (Some(k), Some(id)) => format!("{} {}", k.label(lang), short_id(&id.to_string())),
        _ => String::new(),
    }
}

/// The last characters of an id: enough to tell rows apart in a list.
fn short_id(id: &str) -> String {
    let start = id.len().saturating_sub(8);
    id.get(start..).unwrap_or(id).to_string()
}

fn draw_detail(row: &AuditRow, lang: Lang, frame: &mut Frame, area: Rect) {
    let e = &row.entry;
    let field = |label: T, value: String| {
        Line::from(vec![
            Span::styled(
                format!("{}{}", label.get(lang), lang.pick("：", ": ")),
                theme::focused_label(),
            ),
            Span::raw(value),
        ])
    };
    let lines = vec![
        field(T::AuditSeq, e.seq.to_string()),
        field(
            T::AuditTime,
            row.at.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        ),
        field(T::AuditActor, actor_label(row, lang)),
        field(
            T::AuditAction,
            format!("{} ({})", action_label(&e.action, lang), e.action),
        ),
        field(T::AuditSubject, row.subject.clone()),
        field(T::Station, row.station_name.clone()),
        field(
            T::AuditRecord,
            match (e.kind, e.record) {
                (Some(k), Some(id)) => format!(
                    "{} {id} r{}{}",
                    k.label(lang),
                    e.revision.unwrap_or(0),
                    if e.deleted {
                        T::AuditDeleted.get(lang)
                    } else {
                        ""
                    }
                ),
                _ => String::new(),
            },
        ),
        field(
            T::AuditDetail,
            detail_text(&e.action, &e.detail, &row.subject, lang),
        ),
        field(T::AuditHash, e.hash.clone()),
        field(T::AuditPrevHash, e.prev_hash.clone()),
    ];
    let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let popup = centered(area, area.width.saturating_sub(4).min(100), height);
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::title())
        .title(Span::styled(
            format!(" {} ", T::AuditEntry.get(lang)),
            theme::title(),
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
