//! Conflicts from the hub: versions of one record made on two terminals at once that the
//! hub could not merge by itself. The list on top, the highlighted conflict below, field
//! by field: the version kept aside beside the hub's (which every terminal holds now),
//! side by side where the terminal is wide enough and stacked where it is not.
//!
//! The chief decides (administrators for accounts and stations; supervisors read): keep
//! the version kept aside, keep the hub's, or mark fields to take from the version kept
//! aside and save. Every decision is asked once more and applies to the conflict shown.
//!
//! Below the conflicts, the station's possible duplicate persons (the same ID number, or
//! the same name and birth date, registered twice): the chief merges the pair into the
//! record chosen.

use crate::action::Action;
use crate::app::{App, Confirm, Message, Screen};
use crate::keymap::Mode;
use crate::screens::effect::{Ctx, Effect};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, share, wrap_parts};
use crate::widgets::selection::{navigate, reselect, screenful};
use beatbook_i18n::{Lang, Localize};
use beatbook_service::{
    ConflictChoice, ConflictReasonText, ConflictSide, ConflictView, DuplicatePair, DuplicateReason,
    FieldDifference, Service, ServiceError, Session,
};
use chrono::FixedOffset;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;
use std::collections::BTreeSet;

/// How the person at the terminal decided, asked once more before it is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictDecision {
    /// The version kept aside, whole.
    Kept,
    /// The hub's version stands.
    Hub,
    /// The marked fields from the version kept aside.
    Fields,
    /// A possible duplicate: merge the pair into its first (older) record.
    MergeIntoFirst,
    /// A possible duplicate: merge the pair into its second record.
    MergeIntoSecond,
}

#[derive(Debug, Default)]
pub struct ConflictsState {
    pub rows: Vec<ConflictView>,
    /// Listed after the conflicts.
    pub duplicates: Vec<DuplicatePair>,
    pub selected: usize,
    /// The field under the cursor in the selected conflict.
    pub field: usize,
    /// Fields of the selected conflict marked to be taken from the version kept aside.
    pub marked: BTreeSet<String>,
}

impl ConflictsState {
    /// The list in place of the current screen.
    pub fn open(ctx: &Ctx) -> Effect {
        let mut state = ConflictsState::default();
        match state.reload(ctx.service, ctx.session) {
            Ok(()) => Effect::Show(Box::new(Screen::Conflicts(Box::new(state)))),
            Err(e) => Effect::Message(Message::error(&e)),
        }
    }

    /// Reads the list again, keeping the selected conflict (and its marks) while it is
    /// still listed.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.selected_key();
        self.rows = service.conflicts(session)?;
        self.duplicates = service.possible_duplicates(session)?;
        self.selected = reselect(self.keys().into_iter(), keep.as_ref());
        if self.selected_key() != keep {
            self.marked.clear();
            self.field = 0;
        }
        let fields = self.selected_view().map_or(0, |c| c.fields.len());
        self.field = self.field.min(fields.saturating_sub(1));
        Ok(())
    }

    pub fn selected_view(&self) -> Option<&ConflictView> {
        self.rows.get(self.selected)
    }

    pub fn selected_duplicate(&self) -> Option<&DuplicatePair> {
        self.duplicates
            .get(self.selected.checked_sub(self.rows.len())?)
    }

    /// How many lines the list has: conflicts, then possible duplicates.
    pub fn len(&self) -> usize {
        self.rows.len() + self.duplicates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What identifies each line across a reload.
    fn keys(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|c| c.key.clone())
            .chain(
                self.duplicates
                    .iter()
                    .map(|d| format!("dup-{}-{}", d.first.id, d.second.id)),
            )
            .collect()
    }

    fn selected_key(&self) -> Option<String> {
        self.keys().get(self.selected).cloned()
    }

    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        if let Some(selected) = navigate(self.selected, self.len(), action) {
            if selected != self.selected {
                self.selected = selected;
                self.marked.clear();
                self.field = 0;
            }
            return Effect::None;
        }
        if self.selected_duplicate().is_some() {
            let chief = ctx.service.views(ctx.session).approvals;
            let merge = |decision| {
                if chief {
                    Effect::Ask(Confirm::Conflict(decision))
                } else {
                    Effect::Message(Message::info(T::DuplicateChiefMerges.bi()))
                }
            };
            return match action {
                Action::MergeFirst => merge(ConflictDecision::MergeIntoFirst),
                Action::MergeSecond => merge(ConflictDecision::MergeIntoSecond),
                Action::Back | Action::SwitchView => back(ctx),
                Action::Logout => Effect::Logout,
                Action::Refresh => self.refreshed(ctx),
                _ => Effect::None,
            };
        }
        let Some(view) = self.selected_view() else {
            return match action {
                Action::Back | Action::SwitchView => back(ctx),
                Action::Logout => Effect::Logout,
                Action::Refresh => self.refreshed(ctx),
                _ => Effect::None,
            };
        };
        let fields = view.fields.len();
        let decide = |decision| {
            if view.may_decide {
                Effect::Ask(Confirm::Conflict(decision))
            } else {
                Effect::Message(Message::info(T::ConflictReadOnly.bi()))
            }
        };
        match action {
            Action::NextField if fields > 0 => {
                self.field = (self.field + 1) % fields;
                Effect::None
            }
            Action::PrevField if fields > 0 => {
                self.field = (self.field + fields - 1) % fields;
                Effect::None
            }
            Action::ToggleField => {
                if view.workflow {
                    return Effect::Message(Message::info(T::ConflictWholeOnlyHint.bi()));
                }
                if view.fields.get(self.field).is_some_and(|f| f.united) {
                    return Effect::Message(Message::info(T::ConflictUnitedHint.bi()));
                }
                if let Some(name) = view.fields.get(self.field).map(|f| f.name.clone()) {
                    if !self.marked.remove(&name) {
                        self.marked.insert(name);
                    }
                }
                Effect::None
            }
            Action::KeepKept => decide(ConflictDecision::Kept),
            Action::KeepHub => decide(ConflictDecision::Hub),
            Action::Save if self.marked.is_empty() => {
                Effect::Message(Message::info(T::ConflictMarkFirst.bi()))
            }
            Action::Save => decide(ConflictDecision::Fields),
            Action::Refresh => self.refreshed(ctx),
            Action::Back | Action::SwitchView => back(ctx),
            Action::Logout => Effect::Logout,
            _ => Effect::None,
        }
    }

    fn refreshed(&mut self, ctx: &Ctx) -> Effect {
        match self.reload(ctx.service, ctx.session) {
            Ok(()) => Effect::None,
            Err(e) => Effect::Message(Message::error(&e)),
        }
    }

    /// Carries out a confirmed decision on the conflict shown, then reads the list again.
    pub fn decide(&mut self, ctx: &Ctx, decision: ConflictDecision) -> Effect {
        if let Some(pair) = self.selected_duplicate() {
            let (keep, other) = match decision {
                ConflictDecision::MergeIntoFirst => (pair.first.id, pair.second.id),
                ConflictDecision::MergeIntoSecond => (pair.second.id, pair.first.id),
                _ => return Effect::None,
            };
            let message = match ctx.service.merge_persons(ctx.session, keep, other) {
                Ok(_) => Message::success(T::DuplicateMerged.bi()),
                Err(e) => Message::error(&e),
            };
            if let Err(e) = self.reload(ctx.service, ctx.session) {
                return Effect::Message(Message::error(&e));
            }
            return Effect::Message(message);
        }
        let Some(view) = self.selected_view() else {
            return Effect::None;
        };
        let key = view.key.clone();
        let choice = match decision {
            ConflictDecision::Kept => ConflictChoice::Kept,
            ConflictDecision::Hub => ConflictChoice::Hub,
            ConflictDecision::Fields => ConflictChoice::Fields(self.marked.clone()),
            ConflictDecision::MergeIntoFirst | ConflictDecision::MergeIntoSecond => {
                return Effect::None;
            }
        };
        let done = ctx.service.resolve_conflict(ctx.session, &key, &choice);
        let message = match &done {
            Ok(()) => Message::success(T::ConflictDecided.bi()),
            Err(e) => Message::error(e),
        };
        // Decided here or elsewhere: either way the list is read again.
        if done.is_ok() || matches!(done, Err(ServiceError::ConflictDecided)) {
            self.marked.clear();
            self.field = 0;
            if let Err(e) = self.reload(ctx.service, ctx.session) {
                return Effect::Message(Message::error(&e));
            }
        }
        Effect::Message(message)
    }
}

/// Back where the list was opened from: Today, or the administrator's screen.
fn back(ctx: &Ctx) -> Effect {
    let views = ctx.service.views(ctx.session);
    if views.admin {
        let state = crate::screens::admin::list::AdminState::load(ctx.service, ctx.session);
        Effect::Show(Box::new(Screen::Admin(state)))
    } else {
        Effect::Show(Box::new(Screen::Today(
            crate::screens::visits::today::TodayState::new(views.start_scope),
        )))
    }
}

/// The question asked before a decision is carried out.
pub fn confirm_text(app: &App, decision: ConflictDecision, lang: Lang) -> String {
    if let Screen::Conflicts(s) = &app.screen {
        if let Some(pair) = s.selected_duplicate() {
            let (n, kept) = match decision {
                ConflictDecision::MergeIntoSecond => (2, &pair.second),
                _ => (1, &pair.first),
            };
            let zone = *app.service.now().offset();
            return T::ConfirmMerge
                .fill(lang, &[&n, &kept.name, &when(Some(kept.created_at), &zone)]);
        }
    }
    let title = match &app.screen {
        Screen::Conflicts(s) => s.selected_view().map(record_label).unwrap_or_default(),
        _ => String::new(),
    };
    match decision {
        ConflictDecision::Kept => T::ConfirmKeepKept.fill(lang, &[&title]),
        ConflictDecision::Hub => T::ConfirmKeepHub.fill(lang, &[&title]),
        ConflictDecision::MergeIntoFirst | ConflictDecision::MergeIntoSecond => String::new(),
        ConflictDecision::Fields => {
            let n = match &app.screen {
                Screen::Conflicts(s) => s.marked.len(),
                _ => 0,
            };
            T::ConfirmKeepFields.fill(lang, &[&n, &title])
        }
    }
}

fn record_label(view: &ConflictView) -> String {
    if view.title.is_empty() {
        view.kind.name().to_string()
    } else {
        view.title.clone()
    }
}

fn kind_label(view: &ConflictView, lang: Lang) -> String {
    view.kind.label(lang).to_string()
}

/// The key hints under the screen, from the keymap (so they follow a user's rebinding).
fn hints(app: &App, lang: Lang) -> Vec<String> {
    [
        (Action::KeepKept, T::ConflictHintKept),
        (Action::KeepHub, T::ConflictHintHub),
        (Action::NextField, T::ConflictHintField),
        (Action::ToggleField, T::ConflictHintToggle),
        (Action::Save, T::ConflictHintSave),
        (Action::Back, T::Back),
    ]
    .iter()
    .chain(&[
        (Action::MergeFirst, T::DuplicateHintFirst),
        (Action::MergeSecond, T::DuplicateHintSecond),
    ])
    .filter_map(|(a, label)| {
        let key = app.keymap.key_for(Mode::Conflicts, *a)?;
        Some(format!("{key} {}", label.get(lang)))
    })
    .collect()
}

/// A time in the terminal's own time zone (the service's clock, as every screen shows it).
fn when(at: Option<chrono::DateTime<chrono::Utc>>, zone: &FixedOffset) -> String {
    at.map(|t| t.with_timezone(zone).format("%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn side_label(side: &ConflictSide, lang: Lang, zone: &FixedOffset) -> String {
    if !side.present {
        return T::ConflictDeleted.get(lang).to_string();
    }
    format!("{} {}", side.changed_by, when(side.changed_at, zone))
}

pub fn draw(app: &App, state: &ConflictsState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let width = usize::from(area.width);
    let hint_lines = wrap_parts(&hints(app, lang), " | ", width);
    let list_height = (state.len().clamp(1, 5) + 1) as u16;
    let [title_area, list_area, detail_area, hint_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Min(3),
        Constraint::Length(hint_lines.len() as u16),
    ])
    .areas(area);
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!(" {} ", T::ConflictsTitle.get(lang)), theme::title()),
            Span::styled(
                T::ConflictsShown.fill(lang, &[&state.rows.len(), &state.duplicates.len()]),
                theme::hint(),
            ),
        ]),
        title_area,
    );
    let zone = *app.service.now().offset();
    draw_list(state, frame, list_area, lang, &zone);
    if let Some(view) = state.selected_view() {
        draw_detail(state, view, frame, detail_area, lang, &zone);
    } else if let Some(pair) = state.selected_duplicate() {
        draw_duplicate(pair, frame, detail_area, lang, &zone);
    }
    let hints: Vec<Line> = hint_lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme::hint())))
        .collect();
    frame.render_widget(Paragraph::new(hints), hint_area);
}

fn draw_list(
    state: &ConflictsState,
    frame: &mut Frame,
    area: Rect,
    lang: Lang,
    zone: &FixedOffset,
) {
    let [head_area, rows_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let fixed = [12, 8];
    let flex = share(usize::from(area.width), &fixed, &[3, 2, 3]);
    let widths = [fixed[0], fixed[1], flex[0], flex[1], flex[2]];
    let head: Vec<(String, usize)> = [
        T::AuditTime,
        T::ConflictKind,
        T::AuditRecord,
        T::Station,
        T::ConflictWhy,
    ]
    .iter()
    .zip(widths)
    .map(|(t, w)| (t.get(lang).to_string(), w))
    .collect();
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );
    if state.is_empty() {
        crate::screens::draw_empty_hint(frame, area, T::ConflictsNone.get(lang));
        return;
    }
    let (shown, selected) = screenful(Some(state.selected), state.len(), rows_area.height);
    let conflicts = state.rows.iter().map(|c| {
        [
            when(Some(c.at), zone),
            kind_label(c, lang),
            record_label(c),
            c.station.clone(),
            ConflictReasonText(c.reason).localize(lang),
        ]
    });
    let duplicates = state.duplicates.iter().map(|d| {
        [
            when(Some(d.second.created_at), zone),
            T::DuplicateKind.get(lang).to_string(),
            d.first.name.clone(),
            String::new(),
            duplicate_reason(d.reason, lang).to_string(),
        ]
    });
    let items: Vec<ListItem> = conflicts
        .chain(duplicates)
        .skip(shown.start)
        .take(shown.len())
        .map(|cols| {
            let cols: Vec<(String, usize)> = cols.into_iter().zip(widths).collect();
            ListItem::new(fit_columns(&cols))
        })
        .collect();
    let mut list_state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme::selected()),
        rows_area,
        &mut list_state,
    );
}

fn draw_detail(
    state: &ConflictsState,
    view: &ConflictView,
    frame: &mut Frame,
    area: Rect,
    lang: Lang,
    zone: &FixedOffset,
) {
    let width = usize::from(area.width);
    let colon = lang.pick("：", ": ");
    let from = match &view.terminal {
        Some(t) => T::ConflictFromTerminal.fill(lang, &[t]),
        None => T::ConflictFromHere.get(lang).to_string(),
    };
    let mut lines = vec![
        Line::from(Span::styled(
            fit(
                &format!(
                    " {}  {}{colon}{}  ·  {}{colon}{}",
                    record_label(view),
                    T::ConflictKept.get(lang),
                    side_label(&view.kept, lang, zone),
                    T::ConflictHub.get(lang),
                    side_label(&view.hub, lang, zone),
                ),
                width,
            ),
            theme::focused_label(),
        )),
        Line::from(Span::styled(fit(&format!(" {from}"), width), theme::hint())),
    ];
    if view.workflow {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", T::ConflictWholeOnlyHint.get(lang)), width),
            theme::overdue(),
        )));
    } else if !view.may_decide {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", T::ConflictReadOnly.get(lang)), width),
            theme::hint(),
        )));
    }
    let side_by_side = width >= 100;
    let mut header_len = lines.len();
    if side_by_side {
        let fixed = [2, 16, 14];
        let flex = share(width, &fixed, &[1, 1]);
        let widths = [fixed[0], fixed[1], flex[0], flex[1], fixed[2]];
        let head: Vec<(String, usize)> = [
            String::new(),
            T::ConflictFieldHead.get(lang).to_string(),
            T::ConflictKept.get(lang).to_string(),
            T::ConflictHub.get(lang).to_string(),
            T::ConflictTake.get(lang).to_string(),
        ]
        .into_iter()
        .zip(widths)
        .collect();
        lines.push(Line::from(Span::styled(
            fit_columns(&head),
            theme::header(),
        )));
        header_len = lines.len();
        for (i, f) in view.fields.iter().enumerate() {
            let cols: Vec<(String, usize)> = [
                if i == state.field { "▶" } else { "" }.to_string(),
                format!(
                    "{}{}",
                    f.label.get(lang),
                    if f.clash {
                        T::ConflictClashShort.get(lang)
                    } else {
                        ""
                    }
                ),
                f.kept.replace('\n', " "),
                f.hub.replace('\n', " "),
                take_label(state, f, lang),
            ]
            .into_iter()
            .zip(widths)
            .collect();
            lines.push(field_line(fit_columns(&cols), i == state.field, f.clash));
        }
    } else {
        for (i, f) in view.fields.iter().enumerate() {
            let cursor = if i == state.field { "▶" } else { " " };
            lines.push(field_line(
                fit(
                    &format!(
                        "{cursor} {}{}  [{}]",
                        f.label.get(lang),
                        if f.clash {
                            T::ConflictClash.get(lang)
                        } else {
                            ""
                        },
                        take_label(state, f, lang)
                    ),
                    width,
                ),
                i == state.field,
                f.clash,
            ));
            for (label, value) in [(T::ConflictKept, &f.kept), (T::ConflictHub, &f.hub)] {
                lines.push(Line::from(Span::raw(fit(
                    &format!("    {}{colon}{}", label.get(lang), value.replace('\n', " ")),
                    width,
                ))));
            }
        }
    }
    // The field under the cursor stays in sight below the heading lines.
    let mut rows = lines.split_off(header_len.min(lines.len()));
    let cursor_row = rows
        .iter()
        .position(|l| l.spans.first().is_some_and(|s| s.content.contains('▶')))
        .unwrap_or(0);
    let room = usize::from(area.height).saturating_sub(lines.len()).max(1);
    // Stacked fields take three lines: keep the cursor's two value lines in sight too.
    let tail = if side_by_side { 1 } else { 3 };
    let skip = (cursor_row + tail).saturating_sub(room);
    rows.drain(..skip.min(rows.len()));
    lines.extend(rows);
    let shown = lines;
    frame.render_widget(Paragraph::new(shown), area);
}

fn duplicate_reason(reason: DuplicateReason, lang: Lang) -> &'static str {
    match reason {
        DuplicateReason::SameIdNumber => T::DuplicateSameId.get(lang),
        DuplicateReason::SameNameAndBirthDate => T::DuplicateSameName.get(lang),
    }
}

/// The two records of a possible duplicate, one under the other (ID numbers masked).
fn draw_duplicate(
    pair: &DuplicatePair,
    frame: &mut Frame,
    area: Rect,
    lang: Lang,
    zone: &FixedOffset,
) {
    let width = usize::from(area.width);
    let mut lines = vec![Line::from(Span::styled(
        format!(" {}", T::DuplicateExplain.get(lang)),
        theme::hint(),
    ))];
    for (n, side) in [(1, &pair.first), (2, &pair.second)] {
        let birth = side
            .birth_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    " {n}  {}  {birth}  {}  {}  {}",
                    side.name,
                    side.masked_id,
                    side.village,
                    T::DuplicateRegistered.fill(lang, &[&when(Some(side.created_at), zone)])
                ),
                width,
            ),
            theme::input(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn take_label(state: &ConflictsState, field: &FieldDifference, lang: Lang) -> String {
    if field.united {
        T::ConflictUnited.get(lang).to_string()
    } else if state.marked.contains(&field.name) {
        T::ConflictKept.get(lang).to_string()
    } else {
        T::ConflictHub.get(lang).to_string()
    }
}

fn field_line(text: String, cursor: bool, clash: bool) -> Line<'static> {
    let style = match (cursor, clash) {
        (true, _) => theme::selected(),
        (false, true) => theme::overdue().add_modifier(Modifier::BOLD),
        (false, false) => theme::input(),
    };
    Line::from(Span::styled(text, style))
}
