//! Drawing the conflicts screen: the list (conflicts, then possible duplicates) on top,
//! the highlighted line below — a conflict field by field, side by side from 100 columns
//! and stacked below, or the two records of a possible duplicate.

use super::{record_label, ConflictsState};
use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, share, wrap_parts};
use crate::widgets::selection::screenful;
use beatbook_i18n::{Lang, Localize};
use beatbook_service::{
    ConflictReasonText, ConflictSide, ConflictView, DuplicatePair, DuplicateReason, FieldDifference,
};
use chrono::FixedOffset;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

fn kind_label(view: &ConflictView, lang: Lang) -> String {
    view.kind.label(lang).to_string()
}

/// The key hints under the screen, from the keymap (so they follow a user's rebinding).
fn hints(app: &App, state: &ConflictsState, lang: Lang) -> Vec<String> {
    let pairs: &[(Action, T)] = match state.selected_duplicate().map(|d| &d.reason) {
        _ if state.is_empty() => &[(Action::Back, T::Back)],
        Some(DuplicateReason::Requested { .. }) => &[
            (Action::MergeFirst, T::DuplicateHintFirst),
            (Action::MergeSecond, T::DuplicateHintSecond),
            (Action::DismissRequest, T::DuplicateHintDismiss),
            (Action::Back, T::Back),
        ],
        Some(_) => &[
            (Action::MergeFirst, T::DuplicateHintFirst),
            (Action::MergeSecond, T::DuplicateHintSecond),
            (Action::Back, T::Back),
        ],
        None => &[
            (Action::KeepKept, T::ConflictHintKept),
            (Action::KeepHub, T::ConflictHintHub),
            (Action::NextField, T::ConflictHintField),
            (Action::ToggleField, T::ConflictHintToggle),
            (Action::Save, T::ConflictHintSave),
            (Action::Back, T::Back),
        ],
    };
    pairs
        .iter()
        .filter_map(|(a, label)| {
            let key = app.keymap.key_for(Mode::Conflicts, *a)?;
            Some(format!("{key} {}", label.get(lang)))
        })
        .collect()
}

/// A time in the terminal's own time zone (the service's clock, as every screen shows it).
pub(super) fn when(at: Option<chrono::DateTime<chrono::Utc>>, zone: &FixedOffset) -> String {
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
    let hint_lines = wrap_parts(&hints(app, state, lang), " | ", width);
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
            Span::styled(
                if state.merged > 0 {
                    T::ConflictsMerged.fill(lang, &[&state.merged])
                } else {
                    String::new()
                },
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
            duplicate_reason(&d.reason, lang),
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
                f.kept.get(lang).replace('\n', " "),
                f.hub.get(lang).replace('\n', " "),
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
                    &format!(
                        "    {}{colon}{}",
                        label.get(lang),
                        value.get(lang).replace('\n', " ")
                    ),
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

fn duplicate_reason(reason: &DuplicateReason, lang: Lang) -> String {
    match reason {
        DuplicateReason::SameIdNumber => T::DuplicateSameId.get(lang).to_string(),
        DuplicateReason::SameNameAndBirthDate => T::DuplicateSameName.get(lang).to_string(),
        DuplicateReason::Requested { by, .. } => T::DuplicateRequested.fill(lang, &[by]),
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
    if let DuplicateReason::Requested { by, note } = &pair.reason {
        let note = if note.is_empty() {
            String::new()
        } else {
            format!("：{note}")
        };
        lines.push(Line::from(Span::styled(
            format!(" {}{note}", T::DuplicateRequested.fill(lang, &[by])),
            theme::focused_label(),
        )));
    }
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
