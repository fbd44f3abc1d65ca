//! The form dispatcher: an open form, what saving it is for, and the keys every form
//! shares (moving between fields, pickers, save, cancel). What each area's forms ask and
//! save lives with the area (`visits::forms`, `disputes::forms`, …); the two forms of no
//! area (the first station, a password change) are here.

use crate::action::Action;
use crate::app::{App, Confirm, Message, Overlay, Screen};
use crate::screens::effect::{Effect, Open};
use crate::text::T;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::Field;
use beatbook_service::{FirstStation, ServiceError, Session};

/// What saving the form does.
#[derive(Clone, Debug)]
pub enum Purpose {
    CreateStation,
    ChangePassword,
    Visit(crate::screens::visits::forms::VisitPurpose),
    Dispute(crate::screens::disputes::forms::DisputePurpose),
    Watch(crate::screens::watch::forms::WatchPurpose),
    Finding(crate::screens::findings::forms::FindingPurpose),
    Admin(crate::screens::admin::forms::AdminPurpose),
    /// issue 10 — persons, villages, account particulars.
    Person(crate::screens::residents::forms::PersonPurpose),
    /// issue 15 — a paper to print (what it lacks, the period, the file).
    Print(crate::screens::print::PrintPurpose),
}

/// An open form and what it is for.
#[derive(Clone, Debug)]
pub struct FormState {
    pub form: Form,
    pub purpose: Purpose,
}

/// The forced password change after a reset.
pub fn change_password() -> FormState {
    FormState {
        form: Form::new(
            T::ChooseANewPassword.bi(),
            vec![
                FormField::secret(Field::CurrentPassword),
                FormField::secret(Field::Password),
                FormField::secret(Field::PasswordAgain),
            ],
        ),
        purpose: Purpose::ChangePassword,
    }
}

/// The first-run form: first station and administrator.
pub fn create_station() -> FormState {
    FormState {
        form: Form::new(
            T::CreateTheFirstStationAndAdministrator.bi(),
            vec![
                FormField::text(Field::StationName, "", true),
                FormField::text(Field::StationCode, "", false),
                FormField::text(Field::Username, "", true),
                FormField::text(Field::DisplayName, "", false),
                FormField::secret(Field::Password),
                FormField::secret(Field::PasswordAgain),
            ],
        ),
        purpose: Purpose::CreateStation,
    }
}

impl FormState {
    /// The keys every form shares: moving between fields, pickers and lists of parties,
    /// save and cancel. `session` is None on the first-run form (no one is logged in).
    pub fn update(&mut self, session: Option<&Session>, lang: Lang, action: Action) -> Effect {
        let form = &mut self.form;
        match action {
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::Down | Action::Up if form.focused_suggest_mut().is_some() => {
                if let Some(s) = form.focused_suggest_mut() {
                    if !s.step(action == Action::Down) {
                        if action == Action::Down {
                            form.next_field();
                        } else {
                            form.prev_field();
                        }
                    }
                }
            }
            Action::Down | Action::Up => {
                let delta: isize = if action == Action::Down { 1 } else { -1 };
                match form.focused_picker_mut() {
                    Some(p) if !p.results.is_empty() => {
                        let n = p.results.len() as isize;
                        p.highlighted = (p.highlighted as isize + delta).clamp(0, n - 1) as usize;
                    }
                    _ if delta > 0 => form.next_field(),
                    _ => form.prev_field(),
                }
            }
            Action::WidenSearch => {
                if let Some(p) = form.focused_picker_mut() {
                    p.wide = !p.wide;
                    let said = if p.wide {
                        T::SearchAllStations.bi()
                    } else {
                        T::SearchOwnStation.bi()
                    };
                    return Effect::Then(vec![
                        Effect::Message(Message::info(said)),
                        Effect::RefreshPicker,
                    ]);
                }
            }
            Action::CreatePerson if form.focused_parties_mut().is_some() => {
                return Effect::Open(Open::NewParty);
            }
            // The person a visit is for, created without leaving the visit form (a new
            // station has nobody registered yet).
            Action::CreatePerson
                if matches!(
                    self.purpose,
                    Purpose::Visit(crate::screens::visits::forms::VisitPurpose::NewVisit { .. })
                ) =>
            {
                if let Some(name) = form
                    .focused_picker_mut()
                    .map(|p| p.query.value().to_string())
                {
                    return Effect::Open(Open::NewPerson {
                        name,
                        then: crate::screens::residents::forms::AfterCreate::VisitPicker,
                    });
                }
            }
            Action::Submit if form.focused_parties_mut().is_some() => {
                if let Some(list) = form.focused_parties_mut() {
                    if list.picker.query.value().trim().is_empty() {
                        form.next_field();
                    } else if !list.add_highlighted() {
                        form.error = Some(T::NobodyToAdd.get(lang).to_string());
                    }
                }
            }
            Action::Submit => {
                if let Some(p) = form.focused_picker_mut() {
                    if p.chosen.is_none() {
                        if let Some(card) = p.results.get(p.highlighted).cloned() {
                            p.query.set_value(&card.name);
                            p.chosen = Some(card);
                            p.results.clear();
                        }
                        form.next_field();
                        return Effect::None;
                    }
                }
                if form.on_last_field() {
                    return Effect::SaveForm;
                }
                form.next_field();
            }
            Action::Save => return Effect::SaveForm,
            Action::Cancel | Action::Back
                if matches!(self.purpose, Purpose::ChangePassword)
                    && session.is_some_and(|s| s.must_change_password()) =>
            {
                // A forced change cannot be skipped: leaving it logs out.
                return Effect::Then(vec![
                    Effect::Logout,
                    Effect::Message(Message::info(T::MustChangePasswordFirst.bi())),
                ]);
            }
            Action::Cancel | Action::Back => {
                return if form.is_dirty() {
                    Effect::Ask(Confirm::DiscardForm)
                } else {
                    Effect::Close
                };
            }
            _ => {}
        }
        Effect::None
    }
}

/// Calls the service with what the form holds. On success the form closes and the list
/// reloads; on refusal the form stays as typed, with the message and the focus on the
/// field it names.
pub(crate) fn save(app: &mut App) {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    match &state.purpose {
        Purpose::Dispute(purpose) => {
            let purpose = purpose.clone();
            crate::screens::disputes::forms::save(app, purpose);
            return;
        }
        Purpose::Watch(purpose) => {
            let purpose = purpose.clone();
            crate::screens::watch::forms::save(app, purpose);
            return;
        }
        Purpose::Finding(purpose) => {
            let purpose = purpose.clone();
            crate::screens::findings::forms::save(app, purpose);
            return;
        }
        Purpose::Admin(purpose) => {
            let purpose = purpose.clone();
            crate::screens::admin::forms::save(app, purpose);
            return;
        }
        Purpose::Person(purpose) => {
            let purpose = purpose.clone();
            crate::screens::residents::forms::save(app, purpose);
            return;
        }
        Purpose::Visit(purpose) => {
            let purpose = purpose.clone();
            crate::screens::visits::forms::save(app, purpose);
            return;
        }
        Purpose::Print(purpose) => {
            let purpose = purpose.clone();
            crate::screens::print::save(app, purpose);
            return;
        }
        Purpose::CreateStation | Purpose::ChangePassword => {}
    }
    save_account(app);
}

/// Saves the first-run station or a password change.
fn save_account(app: &mut App) {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = &state.form;
    let service = app.service;
    let _lang = app.lang;
    // A forced password change is the session's first step: once done, it enters anew.
    let forced_change = matches!(state.purpose, Purpose::ChangePassword)
        && app
            .session
            .as_ref()
            .is_some_and(|s| s.must_change_password());
    let result: Result<Message, ServiceError> = match (&state.purpose, &app.session) {
        (Purpose::CreateStation, _) => service
            .set_up_first_station(&FirstStation {
                station_name: form.text(Field::StationName),
                station_code: form.text(Field::StationCode),
                admin_username: form.text(Field::Username),
                admin_display_name: form.text(Field::DisplayName),
                password: form.text(Field::Password),
                password_again: form.text(Field::PasswordAgain),
            })
            .map(|(station, admin)| {
                Message::success(T::CreatedStationLogIn.bi_fill(&[&station.name, &admin.username]))
            }),
        (Purpose::ChangePassword, Some(session)) => {
            let mut session = session.clone();
            let r = service.change_password(
                &mut session,
                &form.text(Field::CurrentPassword),
                &form.text(Field::Password),
                &form.text(Field::PasswordAgain),
            );
            if r.is_ok() {
                app.session = Some(session);
            }
            r.map(|()| Message::success(T::PasswordChanged.bi()))
        }
        _ => Err(ServiceError::NotSetUp),
    };
    match result {
        Ok(message) => {
            let purpose = state.purpose.clone();
            close_saved(app);
            if forced_change {
                if let Some(session) = app.session.clone() {
                    app.enter_session(session);
                }
            }
            app.message = Some(message);
            if matches!(purpose, Purpose::CreateStation) {
                app.screen = Screen::Login(crate::screens::login::LoginState::new());
            }
            app.reload_today();
        }
        Err(e) => show_refusal(app, &e),
    }
}

/// After a save the service accepted: the form closes, and so does a visit's detail
/// under it (the visit it showed has moved on); a dispute or person under it is read
/// again.
pub fn close_saved(app: &mut App) {
    app.overlays.pop();
    if matches!(app.overlays.last(), Some(Overlay::Detail(_))) {
        app.overlays.pop();
    }
    if matches!(app.overlays.last(), Some(Overlay::Dispute(_))) {
        crate::screens::disputes::detail::refresh(app);
    }
    if matches!(app.overlays.last(), Some(Overlay::Person(_))) {
        crate::screens::watch::person::refresh(app);
    }
}

/// A refused save: the form stays as typed, with the message and the focus on the
/// field it names.
pub fn show_refusal(app: &mut App, e: &ServiceError) {
    let field = e.field();
    let lang = app.lang;
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        state.form.error = Some(e.localize(lang));
        if let Some(f) = field {
            state.form.focus_field(f);
        }
    }
}

/// The language-independent part of a form's state used by tests.
pub fn form_error(app: &App) -> Option<String> {
    match app.overlays.last() {
        Some(Overlay::Form(f)) => f.form.error.clone(),
        _ => None,
    }
}

/// Called after every edit in a form: keeps dependent fields in step (the sub-category
/// choices follow the category).
pub fn after_edit(app: &mut App) {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let on_category = state.form.focused().map(|f| f.field) == Some(Field::Category);
    if !on_category || !matches!(state.purpose, Purpose::Dispute(_)) {
        return;
    }
    let mut form = state.form.clone();
    crate::screens::disputes::forms::sync_subcategories(app, &mut form, None);
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        state.form = form;
    }
}
