//! The forms: what each asks, and what saving it calls in the service.

use crate::action::Action;
use crate::app::{App, Confirm, Message, Overlay, Screen};
use crate::text::T;
use crate::widgets::form::{Checks, Form, FormField, Input};
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{Field, Id, VisitMethod, VisitOutcome};
use beatbook_service::{
    DoneForm, FirstStation, MissedForm, NewVisitForm, OfficerOption, RescheduleForm, ServiceError,
};
use chrono::NaiveDate;

/// What saving the form does.
#[derive(Clone, Debug)]
pub enum Purpose {
    CreateStation,
    ChangePassword,
    Done(VisitTarget),
    Missed(VisitTarget),
    Reschedule(VisitTarget),
    Cancel(VisitTarget),
    NewVisit {
        officers: Vec<OfficerOption>,
        /// The dispute the visit is about, when scheduled from a dispute.
        dispute: Option<Id>,
    },
    Dispute(super::dispute_forms::DisputePurpose),
    Watch(super::watch_forms::WatchPurpose),
    Finding(super::finding_forms::FindingPurpose),
    Admin(super::admin_forms::AdminPurpose),
    /// issue 10 — persons, villages, account particulars.
    Person(super::person_forms::PersonPurpose),
}

/// An open form and what it is for.
#[derive(Clone, Debug)]
pub struct FormState {
    pub form: Form,
    pub purpose: Purpose,
}

/// The visit a form acts on, as the list or detail showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitTarget {
    pub visit: Id,
    pub revision: u64,
    pub person_name: String,
    pub due: NaiveDate,
    pub may_change: bool,
    pub method: VisitMethod,
}

fn date_hint() -> Bi {
    T::EG20261202Or.bi()
}

fn optional_date_hint() -> Bi {
    T::OptionalEG7.bi()
}

fn methods() -> Vec<Bi> {
    VisitMethod::ALL.iter().map(|m| Bi::of(m)).collect()
}

fn method_index(m: VisitMethod) -> Option<usize> {
    VisitMethod::ALL.iter().position(|x| *x == m)
}

/// The "met" choice of a follow-up covering several parties: Space ticks each one met.
/// Nobody is ticked to begin with, so the answer is the officer's, not a default.
fn met_field(app: &App, visit: Id) -> Option<FormField> {
    let session = app.session.as_ref()?;
    let detail = app.service.visit_detail(session, visit).ok()?;
    if detail.parties.len() < 2 {
        return None;
    }
    let options = detail
        .parties
        .iter()
        .map(|(card, _)| {
            (
                card.id.to_string(),
                Bi::new(card.name.clone(), card.name.clone()),
            )
        })
        .collect();
    Some(
        FormField {
            field: Field::Met,
            input: Input::Checks(Checks::new(options, &[])),
            required: false,
            hint: None,
        }
        .with_hint(T::MetHint.bi()),
    )
}

/// The persons ticked in the "met" choice; `None` when the form did not ask.
fn met_answer(form: &Form) -> Option<Vec<Id>> {
    let asked = form.fields.iter().any(|f| f.field == Field::Met);
    asked.then(|| {
        form.checked(Field::Met)
            .iter()
            .filter_map(|code| code.parse().ok())
            .collect()
    })
}

/// Opens the form for a list/detail action on a visit.
pub fn open_visit_form(app: &mut App, action: Action, target: &VisitTarget) {
    if !target.may_change {
        if let Some(session) = &app.session {
            app.message = Some(Message::error(&app.service.visit_change_refusal(session)));
        }
        return;
    }
    let subtitle = format!("{}  {}", target.person_name, target.due.format("%Y-%m-%d"));
    let (form, purpose) = match action {
        Action::VisitDone => (
            Form::new(
                T::RecordVisitDone.bi(),
                vec![
                    FormField::choice(
                        Field::Outcome,
                        VisitOutcome::ALL.iter().map(|o| Bi::of(o)).collect(),
                        None,
                        true,
                    ),
                    FormField::choice(Field::Method, methods(), method_index(target.method), true),
                    FormField::choice(
                        Field::Agreement,
                        vec![T::NA.bi(), T::Yes.bi(), T::No.bi()],
                        Some(0),
                        false,
                    ),
                    FormField::text(Field::Notes, "", false),
                    FormField::text(Field::NextVisit, "", false).with_hint(optional_date_hint()),
                ]
                .into_iter()
                .chain(met_field(app, target.visit))
                .collect(),
            ),
            Purpose::Done(target.clone()),
        ),
        Action::VisitMissed => (
            Form::new(
                T::MarkVisitMissed.bi(),
                vec![
                    FormField::text(Field::Reason, "", false),
                    FormField::text(Field::NextVisit, "", false).with_hint(optional_date_hint()),
                ],
            ),
            Purpose::Missed(target.clone()),
        ),
        Action::VisitReschedule => (
            Form::new(
                T::RescheduleVisit.bi(),
                vec![
                    FormField::text(Field::DueDate, "", true).with_hint(date_hint()),
                    FormField::text(Field::Reason, "", true),
                ],
            ),
            Purpose::Reschedule(target.clone()),
        ),
        Action::VisitCancel => (
            Form::new(
                T::CancelVisit.bi(),
                vec![FormField::text(Field::Reason, "", true)],
            ),
            Purpose::Cancel(target.clone()),
        ),
        _ => return,
    };
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form: form.with_subtitle(subtitle),
        purpose,
    })));
}

/// Opens the "schedule a visit" form; chiefs also choose the officer.
pub fn open_new_visit(app: &mut App) {
    open_new_visit_for(app, None, None);
}

/// Opens the "schedule a visit" form, with the person already picked and the dispute the
/// visit is about when it comes from a dispute.
pub fn open_new_visit_for(
    app: &mut App,
    person: Option<beatbook_service::PersonCard>,
    dispute: Option<Id>,
) {
    let Some(session) = &app.session else {
        return;
    };
    if let Err(e) = app
        .service
        .check_permission(session, beatbook_service::Permission::WriteCases)
    {
        app.fail(&e);
        return;
    }
    let officers = match app.service.station_officers(session) {
        Ok(o) => o,
        Err(e) => {
            app.fail(&e);
            return;
        }
    };
    let mut picker = FormField::picker(Field::Person);
    if let Input::Picker(p) = &mut picker.input {
        let key = app
            .keymap
            .key_for(crate::keymap::Mode::Form, Action::CreatePerson)
            .unwrap_or_default();
        p.create_hint = Some(T::PickerCreateHint.bi_fill(&[&key]));
        if let Some(card) = person {
            p.query.set_value(&card.name);
            p.chosen = Some(card);
        }
    }
    let mut fields = vec![
        picker,
        FormField::text(Field::DueDate, "", true).with_hint(date_hint()),
        FormField::choice(Field::Method, methods(), Some(0), true),
        FormField::text(Field::Purpose, "", true),
    ];
    if app.service.views(session).assign_others {
        let me = officers.iter().position(|o| o.id == session.officer());
        fields.push(FormField::choice(
            Field::Officer,
            officers
                .iter()
                .map(|o| Bi::new(o.display_name.clone(), o.display_name.clone()))
                .collect(),
            me,
            true,
        ));
    }
    fields.push(FormField::text(Field::Notes, "", false));
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form: Form::new(T::ScheduleAVisit.bi(), fields),
        purpose: Purpose::NewVisit { officers, dispute },
    })));
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

/// Reacts to form actions.
pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Form(state)) = app.overlays.last_mut() else {
        return;
    };
    let form = &mut state.form;
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
                app.message = Some(Message::info(if p.wide {
                    crate::text::T::SearchAllStations.bi()
                } else {
                    crate::text::T::SearchOwnStation.bi()
                }));
                app.refresh_picker();
            }
        }
        Action::CreatePerson if form.focused_parties_mut().is_some() => {
            super::dispute_forms::open_new_party(app);
        }
        // The person a visit is for, created without leaving the visit form (a new
        // station has nobody registered yet).
        Action::CreatePerson if matches!(state.purpose, Purpose::NewVisit { .. }) => {
            if let Some(name) = form
                .focused_picker_mut()
                .map(|p| p.query.value().to_string())
            {
                super::person_forms::open_new(
                    app,
                    &name,
                    super::person_forms::AfterCreate::VisitPicker,
                );
            }
        }
        Action::Submit if form.focused_parties_mut().is_some() => {
            if let Some(list) = form.focused_parties_mut() {
                if list.picker.query.value().trim().is_empty() {
                    form.next_field();
                } else if !list.add_highlighted() {
                    form.error = Some(crate::text::T::NobodyToAdd.get(app.lang).to_string());
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
                    return;
                }
            }
            if form.on_last_field() {
                save(app);
            } else {
                form.next_field();
            }
        }
        Action::Save => save(app),
        Action::Cancel | Action::Back
            if matches!(state.purpose, Purpose::ChangePassword)
                && app
                    .session
                    .as_ref()
                    .is_some_and(|s| s.must_change_password()) =>
        {
            // A forced change cannot be skipped: leaving it logs out.
            app.logout();
            app.message = Some(Message::info(T::MustChangePasswordFirst.bi()));
        }
        Action::Cancel | Action::Back => {
            if form.is_dirty() {
                app.overlays.push(Overlay::Confirm(Confirm::DiscardForm));
            } else {
                app.overlays.pop();
            }
        }
        _ => {}
    }
}

/// Index → `Option<bool>` for the "agreement honoured" choice.
fn agreement(choice: Option<usize>) -> Option<bool> {
    match choice {
        Some(1) => Some(true),
        Some(2) => Some(false),
        _ => None,
    }
}

/// Calls the service with what the form holds. On success the form closes and the list
/// reloads; on refusal the form stays as typed, with the message and the focus on the
/// field it names.
fn save(app: &mut App) {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    match &state.purpose {
        Purpose::Dispute(purpose) => {
            let purpose = purpose.clone();
            super::dispute_forms::save(app, purpose);
            return;
        }
        Purpose::Watch(purpose) => {
            let purpose = purpose.clone();
            super::watch_forms::save(app, purpose);
            return;
        }
        Purpose::Finding(purpose) => {
            let purpose = purpose.clone();
            super::finding_forms::save(app, purpose);
            return;
        }
        Purpose::Admin(purpose) => {
            let purpose = purpose.clone();
            super::admin_forms::save(app, purpose);
            return;
        }
        Purpose::Person(purpose) => {
            let purpose = purpose.clone();
            super::person_forms::save(app, purpose);
            return;
        }
        _ => {}
    }
    let form = &state.form;
    let service = app.service;
    let lang = app.lang;
    // A forced password change is the session's first step: once done, it enters anew.
    let forced_change = matches!(state.purpose, Purpose::ChangePassword)
        && app
            .session
            .as_ref()
            .is_some_and(|s| s.must_change_password());
    // The visit a "schedule" save created: selected on Today afterwards.
    let mut created_visit: Option<beatbook_model::Id> = None;
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
        (Purpose::Done(t), Some(session)) => {
            let outcome = form
                .choice(Field::Outcome)
                .and_then(|i| VisitOutcome::ALL.get(i).copied());
            let method = form
                .choice(Field::Method)
                .and_then(|i| VisitMethod::ALL.get(i).copied())
                .unwrap_or(t.method);
            service
                .record_visit_done(
                    session,
                    t.visit,
                    t.revision,
                    &DoneForm {
                        outcome,
                        method,
                        agreement_honoured: agreement(form.choice(Field::Agreement)),
                        notes: form.text(Field::Notes),
                        next_due: form.text(Field::NextVisit),
                        met: met_answer(form),
                    },
                )
                .map(|saved| done_message(&t.person_name, saved.next.as_ref().map(|n| n.due)))
        }
        (Purpose::Missed(t), Some(session)) => service
            .record_visit_missed(
                session,
                t.visit,
                t.revision,
                &MissedForm {
                    reason: form.text(Field::Reason),
                    next_due: form.text(Field::NextVisit),
                },
            )
            .map(|saved| {
                let next = saved.next.map(|n| n.due.format("%Y-%m-%d").to_string());
                Message::success(match next {
                    Some(d) => T::MarkedMissedNextTry.bi_fill(&[&t.person_name, &d]),
                    None => T::MarkedMissed.bi_fill(&[&t.person_name]),
                })
            }),
        (Purpose::Reschedule(t), Some(session)) => service
            .reschedule_visit(
                session,
                t.visit,
                t.revision,
                &RescheduleForm {
                    new_due: form.text(Field::DueDate),
                    reason: form.text(Field::Reason),
                },
            )
            .map(|v| {
                let d = v.due.format("%Y-%m-%d");
                Message::success(T::RescheduledTo.bi_fill(&[&t.person_name, &d]))
            }),
        (Purpose::Cancel(t), Some(session)) => service
            .cancel_visit(session, t.visit, t.revision, &form.text(Field::Reason))
            .map(|_| Message::success(T::CancelledVisitTo.bi_fill(&[&t.person_name]))),
        (Purpose::NewVisit { officers, dispute }, Some(session)) => {
            let assigned_to = form
                .choice(Field::Officer)
                .and_then(|i| officers.get(i))
                .map(|o| o.id);
            let method = form
                .choice(Field::Method)
                .and_then(|i| VisitMethod::ALL.get(i).copied())
                .unwrap_or_default();
            let person = form.picked(Field::Person).map(|p| (p.id, p.name.clone()));
            service
                .schedule_visit(
                    session,
                    &NewVisitForm {
                        person: person.as_ref().map(|p| p.0),
                        due: form.text(Field::DueDate),
                        method,
                        purpose: form.text(Field::Purpose),
                        assigned_to,
                        notes: form.text(Field::Notes),
                        dispute: *dispute,
                    },
                )
                .map(|v| {
                    created_visit = Some(v.meta.id);
                    let name = person.map(|p| p.1).unwrap_or_default();
                    let d = v.due.format("%Y-%m-%d");
                    Message::success(T::VisitScheduled.bi_fill(&[&d, &name]))
                })
        }
        (
            Purpose::Dispute(_)
            | Purpose::Watch(_)
            | Purpose::Finding(_)
            | Purpose::Admin(_)
            | Purpose::Person(_),
            _,
        )
        | (_, None) => Err(ServiceError::NotSetUp),
    };
    match result {
        Ok(message) => {
            let purpose = state.purpose.clone();
            app.overlays.pop();
            if matches!(app.overlays.last(), Some(Overlay::Detail(_))) {
                app.overlays.pop();
            }
            if matches!(app.overlays.last(), Some(Overlay::Dispute(_))) {
                super::dispute::refresh(app);
            }
            if matches!(app.overlays.last(), Some(Overlay::Person(_))) {
                super::person::refresh(app);
            }
            if forced_change {
                if let Some(session) = app.session.clone() {
                    app.enter_session(session);
                }
            }
            app.message = Some(message);
            if matches!(purpose, Purpose::CreateStation) {
                app.screen = Screen::Login(super::login::form());
            }
            app.reload_today();
            // Select what was just scheduled, when Today lists it.
            if let (Some(id), Screen::Today(today)) = (created_visit, &mut app.screen) {
                today.select_visit(id);
            }
        }
        Err(e) => {
            let field = e.field();
            if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
                state.form.error = Some(e.localize(lang));
                if let Some(f) = field {
                    state.form.focus_field(f);
                }
            }
        }
    }
}

fn done_message(name: &str, next: Option<NaiveDate>) -> Message {
    Message::success(match next {
        Some(d) => {
            let d = d.format("%Y-%m-%d");
            T::SavedDoneNext.bi_fill(&[&name, &d])
        }
        None => T::SavedDone.bi_fill(&[&name]),
    })
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
    super::dispute_forms::sync_subcategories(app, &mut form, None);
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        state.form = form;
    }
}
