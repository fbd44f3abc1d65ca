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

mod draw;

pub use draw::draw;

use crate::action::Action;
use crate::app::{App, Confirm, Message, Screen};
use crate::screens::effect::{Ctx, Effect};
use crate::text::T;
use crate::widgets::selection::{navigate, reselect};
use beatbook_i18n::Lang;
use beatbook_service::{
    ConflictChoice, ConflictView, DuplicatePair, DuplicateReason, Service, ServiceError, Session,
};
use draw::when;
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
    /// An officer's merge request: turned down.
    DismissRequest,
}

#[derive(Debug, Default)]
pub struct ConflictsState {
    pub rows: Vec<ConflictView>,
    /// Edits the hub merged by themselves since the program started (said in the title).
    pub merged: usize,
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
        self.merged = service.sync_status().merged;
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
                Action::DismissRequest => match self.selected_duplicate().map(|d| &d.reason) {
                    Some(DuplicateReason::Requested { .. }) => {
                        merge(ConflictDecision::DismissRequest)
                    }
                    _ => Effect::Message(Message::info(T::DuplicateNotRequested.bi())),
                },
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
            let done = match decision {
                ConflictDecision::MergeIntoFirst => ctx
                    .service
                    .merge_persons(ctx.session, pair.first.id, pair.second.id)
                    .map(|_| T::DuplicateMerged),
                ConflictDecision::MergeIntoSecond => ctx
                    .service
                    .merge_persons(ctx.session, pair.second.id, pair.first.id)
                    .map(|_| T::DuplicateMerged),
                ConflictDecision::DismissRequest => ctx
                    .service
                    .dismiss_merge_request(ctx.session, pair.first.id)
                    .map(|_| T::DuplicateDismissed),
                _ => return Effect::None,
            };
            let message = match done {
                Ok(text) => Message::success(text.bi()),
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
            ConflictDecision::MergeIntoFirst
            | ConflictDecision::MergeIntoSecond
            | ConflictDecision::DismissRequest => {
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
            if decision == ConflictDecision::DismissRequest {
                return T::ConfirmDismissRequest.fill(lang, &[&pair.first.name]);
            }
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
        ConflictDecision::MergeIntoFirst
        | ConflictDecision::MergeIntoSecond
        | ConflictDecision::DismissRequest => String::new(),
        ConflictDecision::Fields => {
            let n = match &app.screen {
                Screen::Conflicts(s) => s.marked.len(),
                _ => 0,
            };
            T::ConfirmKeepFields.fill(lang, &[&n, &title])
        }
    }
}

pub(super) fn record_label(view: &ConflictView) -> String {
    if view.title.is_empty() {
        view.kind.name().to_string()
    } else {
        view.title.clone()
    }
}
