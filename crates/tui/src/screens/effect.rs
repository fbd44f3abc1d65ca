//! What a screen asks of the app after handling an action (ratatui's component pattern:
//! `update(action) -> Effect`). A screen that returns an [`Effect`] changes only its own
//! state; the app, which owns the session, the overlays and the message line, carries
//! the effect out in one place (`apply` in `app/apply.rs`). This keeps a screen's
//! reaction testable on its state alone and keeps "what happens after a save / a switch
//! / a logout" from being written once per screen.

use crate::action::Action;
use crate::app::{Confirm, Message, Screen};
use crate::screens::admin::list::AdminConfirm;
use crate::screens::residents::forms::AfterCreate;
use crate::screens::visits::forms::VisitTarget;
use beatbook_i18n::Lang;
use beatbook_model::{Id, Officer, TargetKind};
use beatbook_service::{DisputeDetail, PersonDetail, Service, Session};
use std::path::PathBuf;

/// What a screen may read while it handles an action.
pub struct Ctx<'a> {
    pub service: &'a Service,
    pub session: &'a Session,
    pub lang: Lang,
}

/// What the app does after a screen handled an action.
#[must_use]
#[derive(Debug)]
pub enum Effect {
    /// Nothing beyond the screen's own state.
    None,
    /// Read the visible screen again (selecting a record just created, if it is listed).
    Reload,
    /// Say something on the message line.
    Message(Message),
    /// Close the overlay on top.
    Close,
    /// Put `Screen` up in place of the current one, then read it.
    Show(Box<Screen>),
    /// Go to the next list of the cycle ([`crate::screens::cycle::switch_view`]).
    SwitchView,
    /// End the session.
    Logout,
    /// A login succeeded: the screen that fits the role.
    EnterSession(Box<Session>),
    /// Open another area's overlay or form, which reads its record through the app.
    Open(Open),
    /// The visit detail's next/previous: step Today's selection under it and show that
    /// visit instead (only when the detail is the one overlay, opened from Today).
    StepToday(isize),
    /// The dispute detail's next/previous over the register under it, from `shown`.
    StepRegister { shown: Id, delta: isize },
    /// The duplicate guard answered: save the dispute form under it, linked as a
    /// recurrence of the dispute given (None: a new case).
    SaveRegistered(Option<Id>),
    /// An administrator confirmed an account action.
    AdminConfirmed(AdminConfirm),
    /// Close the form under the confirm box (its input is discarded).
    DiscardForm,
    /// Leave the app.
    Quit,
    /// Save the form on top (the form dispatcher, [`crate::screens::form`], calls the
    /// area's save).
    SaveForm,
    /// Look persons up again for the focused picker of the form on top.
    RefreshPicker,
    /// Carry out a confirmed decision on the conflict shown.
    DecideConflict(crate::screens::conflicts::ConflictDecision),
    /// Ask a yes/no question over the top.
    Ask(Confirm),
    /// Several effects, in order (a refresh reads, then says so).
    Then(Vec<Effect>),
}

/// An overlay or form a component asks the app to open: the app reads the record (or
/// the choices a form offers) and puts it on top.
#[derive(Debug)]
pub enum Open {
    /// First run: the first station and administrator.
    CreateStation,
    /// The visit detail.
    Visit(Id),
    /// The dispute detail.
    Dispute(Id),
    /// The person screen.
    Person(Id),
    /// The finding detail.
    Finding(Id),
    /// The finding detail, then a step on it (from Today's alert), if it could be read.
    FindingAnd(Id, Action),
    /// A step on a visit (done, missed, reschedule, cancel).
    VisitForm(Action, VisitTarget),
    /// Schedule a visit.
    NewVisit,
    /// Record a supervision finding on a record.
    NewFinding {
        kind: TargetKind,
        id: Id,
        label: String,
    },
    /// A step on a finding (rectify, accept, return).
    FindingStep {
        action: Action,
        id: Id,
        revision: u64,
        subtitle: String,
    },
    /// A workflow step on a dispute.
    DisputeAction(Action, Box<DisputeDetail>),
    /// A watch-list step on a person.
    WatchAction(Action, Box<PersonDetail>),
    /// Register a dispute.
    RegisterDispute,
    /// Administrators: a new station.
    NewStation,
    /// Administrators: a new account (the stations to choose from, one preselected).
    NewAccount {
        stations: Vec<(Id, String)>,
        preselect: Option<Id>,
    },
    /// Administrators: an account's role.
    Role(Box<Officer>),
    /// Administrators: an account's station, among the stations given.
    AccountStation(Box<Officer>, Vec<(Id, String)>),
    /// Administrators: a backup, to the path suggested.
    Backup(PathBuf),
    /// issue 10 — a station's villages.
    Villages(Id),
    /// issue 10 — an account's particulars.
    Particulars(Box<Officer>),
    /// issue 10 — a new resident (the name typed so far), and where it goes once saved.
    NewPerson { name: String, then: AfterCreate },
    /// A new party, from the dispute form's list of parties.
    NewParty,
    /// issue 10 — a resident's profile.
    EditPerson(Id),
    /// issue 10 — the station's accounts.
    StationAccounts,
    /// issue 15 — the form that prints a paper of the record shown or highlighted.
    Print(crate::screens::print::PrintTarget),
}

/// The components that need no store answer an action with an effect and nothing else:
/// what they ask for is checked here on their state alone.
#[cfg(test)]
mod tests {
    use super::Effect;
    use crate::action::Action;
    use crate::app::Confirm;
    use crate::screens::disputes::guard::GuardState;
    use crate::screens::form::{change_password, create_station};
    use beatbook_i18n::Lang;

    #[test]
    fn a_confirm_box_closes_before_it_carries_the_answer_out() {
        let yes = Confirm::Quit.update(Action::Yes);
        assert!(
            matches!(&yes, Effect::Then(e) if matches!(e[..], [Effect::Close, Effect::Quit])),
            "{yes:?}"
        );
        let yes = Confirm::DiscardForm.update(Action::Yes);
        assert!(
            matches!(&yes, Effect::Then(e) if matches!(e[..], [Effect::Close, Effect::DiscardForm])),
            "{yes:?}"
        );
        for no in [Action::No, Action::Back, Action::Cancel] {
            assert!(matches!(Confirm::Quit.update(no), Effect::Close));
        }
        assert!(matches!(Confirm::Quit.update(Action::Down), Effect::None));
    }

    #[test]
    fn a_form_asks_before_losing_what_was_typed_and_saves_through_the_app() {
        let mut form = create_station();
        assert!(matches!(
            form.update(None, Lang::En, Action::Cancel),
            Effect::Close
        ));
        let _ = form.form.paste_cleaned("派出所");
        assert!(matches!(
            form.update(None, Lang::En, Action::Cancel),
            Effect::Ask(Confirm::DiscardForm)
        ));
        assert!(matches!(
            form.update(None, Lang::En, Action::Submit),
            Effect::None
        ));
        assert_eq!(
            form.form.focus, 1,
            "Enter on a field that is not the last moves on"
        );
        assert!(matches!(
            form.update(None, Lang::En, Action::Save),
            Effect::SaveForm
        ));
        // Without a session nothing forces the change: cancelling only closes.
        assert!(matches!(
            change_password().update(None, Lang::En, Action::Cancel),
            Effect::Close
        ));
    }

    #[test]
    fn the_duplicate_guard_with_nothing_similar_links_nothing_and_opens_nothing() {
        let mut guard = GuardState {
            similar: Vec::new(),
        };
        let link = guard.update(Action::LinkRecurrence);
        assert!(
            matches!(&link, Effect::Then(e) if matches!(e[..], [Effect::Close, Effect::SaveRegistered(None)])),
            "{link:?}"
        );
        let open = guard.update(Action::OpenExisting);
        assert!(
            matches!(&open, Effect::Then(e) if matches!(e[..], [Effect::Close, Effect::Close])),
            "{open:?}"
        );
        assert!(matches!(guard.update(Action::Cancel), Effect::Close));
    }
}
