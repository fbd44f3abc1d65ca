//! The visit detail overlay: who, why, when, and what happened so far.

use crate::action::Action;
use crate::app::{App, Message};
use crate::keymap::Mode;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::print::PrintTarget;
use crate::screens::visits::forms;
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use crate::widgets::wrap::wrap_lines;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::{ServiceError, VisitDetail};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct DetailState {
    pub detail: VisitDetail,
}

/// Opens the detail of a visit over the current screen, as the app does for an [`Open::Visit`]
/// (tests and benchmarks start here).
pub fn open(app: &mut App, id: Id) {
    app.apply(Effect::Open(Open::Visit(id)));
}

impl DetailState {
    /// Reads a visit's detail.
    pub fn load(ctx: &Ctx, id: Id) -> Result<DetailState, ServiceError> {
        let detail = ctx.service.visit_detail(ctx.session, id)?;
        Ok(DetailState { detail })
    }

    /// The visit as the visit forms need it.
    fn target(&self) -> forms::VisitTarget {
        let d = &self.detail;
        forms::VisitTarget {
            visit: d.visit.meta.id,
            revision: d.visit.meta.revision,
            person_name: d
                .person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            due: d.visit.due,
            may_change: d.may_change && d.visit.is_open(),
            method: d.visit.method,
        }
    }

    pub fn update(&mut self, _ctx: &Ctx, action: Action) -> Effect {
        let d = &self.detail;
        match action {
            Action::Back | Action::Cancel => Effect::Close,
            Action::OpenParty => match d.person.as_ref() {
                Some(p) => Effect::Open(Open::Person(p.id)),
                None => Effect::None,
            },
            Action::Down => Effect::StepToday(1),
            Action::Up => Effect::StepToday(-1),
            Action::VisitDone
            | Action::VisitMissed
            | Action::VisitReschedule
            | Action::VisitCancel => {
                if !d.visit.is_open() {
                    return Effect::Message(Message::info(T::ThisVisitIsAlreadyClosed.bi()));
                }
                Effect::Open(Open::VisitForm(action, self.target()))
            }
            Action::Print => Effect::Open(Open::Print(PrintTarget::Visit(d.visit.meta.id))),
            Action::FindingNew => {
                let v = &d.visit;
                let name = d.person.as_ref().map(|p| p.name.clone());
                let label = format!(
                    "{} {} {}",
                    name.unwrap_or_default(),
                    v.due.format("%m-%d"),
                    v.purpose
                );
                Effect::Open(Open::NewFinding {
                    kind: beatbook_model::TargetKind::Visit,
                    id: v.meta.id,
                    label,
                })
            }
            _ => Effect::None,
        }
    }
}

pub fn draw(app: &App, state: &DetailState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let d = &state.detail;
    let v = &d.visit;
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(p) = &d.person {
        rows.push((
            T::Person.get(lang).to_string(),
            crate::widgets::form::person_summary(p, lang),
        ));
        if !p.masked_phone.is_empty() {
            rows.push((T::Phone.get(lang).to_string(), p.masked_phone.clone()));
        }
        if !p.address.is_empty() {
            rows.push((T::Address.get(lang).to_string(), p.address.clone()));
        }
    }
    rows.push((T::Purpose.get(lang).to_string(), v.purpose.clone()));
    if !d.parties.is_empty() {
        rows.push((
            T::FollowUpParties.get(lang).to_string(),
            covered_parties(d, lang),
        ));
    }
    rows.push((
        T::Due.get(lang).to_string(),
        format!(
            "{} {}",
            v.due.format("%Y-%m-%d"),
            crate::screens::weekday(v.due, lang)
        ),
    ));
    rows.push((T::Method.get(lang).to_string(), v.method.localize(lang)));
    rows.push((T::Status.get(lang).to_string(), v.status.localize(lang)));
    if let Some(o) = v.outcome {
        rows.push((T::Outcome.get(lang).to_string(), o.localize(lang)));
    }
    if let Some(h) = v.agreement_honoured {
        rows.push((
            T::AgreementKept.get(lang).to_string(),
            if h {
                T::Yes.get(lang).to_string()
            } else {
                T::No.get(lang).to_string()
            },
        ));
    }
    if !v.notes.is_empty() {
        rows.push((T::Notes.get(lang).to_string(), v.notes.clone()));
    }
    if !v.status_reason.is_empty() {
        rows.push((T::Reason.get(lang).to_string(), v.status_reason.clone()));
    }
    if let Some(next) = d.next_due {
        rows.push((
            T::NextVisit.get(lang).to_string(),
            next.format("%Y-%m-%d").to_string(),
        ));
    }
    if let Some((by, at)) = &d.recorded {
        let local = at.with_timezone(&app.service.now().timezone());
        rows.push((
            T::RecordedBy.get(lang).to_string(),
            format!("{by}  {}", local.format("%Y-%m-%d %H:%M")),
        ));
    }
    rows.push((
        T::Officer.get(lang).to_string(),
        format!("{}  {}", d.officer_name, d.station_name),
    ));

    let label_w = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(l, value)| {
            let pad = " ".repeat(label_w.saturating_sub(l.width()));
            Line::from(vec![
                Span::styled(format!(" {pad}{l}  "), theme::label()),
                Span::raw(value),
            ])
        })
        .collect();
    lines.push(Line::from(Span::styled(
        format!(" {}", T::History.get(lang)),
        theme::header(),
    )));
    let mut history: Vec<Line> = Vec::new();
    for h in &d.history {
        let local = h.at.with_timezone(&app.service.now().timezone());
        let mut text = format!(
            " {}  {}  {}",
            local.format("%m-%d %H:%M"),
            h.by_name,
            h.kind.localize(lang)
        );
        if let (Some(from), Some(to)) = (h.from_due, h.to_due) {
            text.push_str(&format!(
                " {} > {}",
                from.format("%m-%d"),
                to.format("%m-%d")
            ));
        } else if let Some(to) = h.to_due {
            text.push_str(&format!(" {}", to.format("%m-%d")));
        }
        if !h.reason.is_empty() {
            text.push_str(&format!("：{}", h.reason));
        }
        history.push(Line::from(Span::styled(text, theme::dim())));
    }
    let hint = if d.may_change && v.is_open() {
        let k = |a| app.keymap.key_for(Mode::Detail, a).unwrap_or_default();
        format!(
            " {} {} | {} {} | {} {} | {} {} | {} {}",
            k(Action::VisitDone),
            T::Done.get(lang),
            k(Action::VisitMissed),
            T::Missed.get(lang),
            k(Action::VisitReschedule),
            T::Reschedule.get(lang),
            k(Action::VisitCancel),
            T::Cancel.get(lang),
            k(Action::Back),
            T::Back.get(lang),
        )
    } else {
        format!(" Esc {}", T::Back.get(lang))
    };
    // Wrapped here so the rows are counted: when the history does not fit, its oldest
    // lines give way to a "… N earlier" line, so the newest entries and the key hints
    // always show.
    let width = usize::from(centered(area, 78, 1).width.saturating_sub(2));
    let mut lines = wrap_lines(lines, width);
    let history = wrap_lines(history, width);
    let wanted = u16::try_from(lines.len() + history.len() + 3).unwrap_or(u16::MAX);
    let popup = centered(area, 78, wanted.min(area.height.saturating_sub(1)).max(8));
    let room = usize::from(popup.height.saturating_sub(3)).saturating_sub(lines.len());
    if history.len() > room {
        let keep = room.saturating_sub(1);
        let earlier = history.len() - keep;
        lines.push(Line::from(Span::styled(
            format!(" … {}", T::EarlierEntries.fill(lang, &[&earlier])),
            theme::dim(),
        )));
        lines.extend(history.into_iter().skip(earlier));
    } else {
        lines.extend(history);
    }
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(
            format!(" {} ", T::Visit.get(lang)),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(
        Line::from(Span::styled(hint, theme::hint())),
        Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        },
    );
}

/// The parties a follow-up covers; once it is done, each marked met or not met.
fn covered_parties(d: &VisitDetail, lang: beatbook_i18n::Lang) -> String {
    let done = d.visit.status == beatbook_model::VisitStatus::Done;
    d.parties
        .iter()
        .map(|(card, met)| {
            if !done {
                card.name.clone()
            } else {
                let mark = if *met { T::MetMark } else { T::NotMetMark };
                match lang {
                    beatbook_i18n::Lang::Zh => format!("{}（{}）", card.name, mark.get(lang)),
                    beatbook_i18n::Lang::En => format!("{} ({})", card.name, mark.get(lang)),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(T::ListSep.get(lang))
}
