//! The visit forms: done, missed, reschedule, cancel, and scheduling a new visit — what
//! each asks and what saving it calls in the service.

use crate::action::Action;
use crate::app::{App, Message, Overlay, Screen};
use crate::screens::form::{close_saved, show_refusal, FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Checks, Form, FormField, Input};
use beatbook_i18n::Bi;
use beatbook_model::{Field, Id, VisitMethod, VisitOutcome};
use beatbook_service::{
    DoneForm, MissedForm, NewVisitForm, OfficerOption, RescheduleForm, ServiceError,
};
use chrono::NaiveDate;

/// What saving a visit form does.
#[derive(Clone, Debug)]
pub enum VisitPurpose {
    Done(VisitTarget),
    Missed(VisitTarget),
    Reschedule(VisitTarget),
    Cancel(VisitTarget),
    NewVisit {
        officers: Vec<OfficerOption>,
        /// The dispute the visit is about, when scheduled from a dispute.
        dispute: Option<Id>,
    },
}

fn push(app: &mut App, form: Form, purpose: VisitPurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Visit(purpose),
    })));
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
            label: None,
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
            VisitPurpose::Done(target.clone()),
        ),
        Action::VisitMissed => (
            Form::new(
                T::MarkVisitMissed.bi(),
                vec![
                    FormField::text(Field::Reason, "", false),
                    FormField::text(Field::NextVisit, "", false).with_hint(optional_date_hint()),
                ],
            ),
            VisitPurpose::Missed(target.clone()),
        ),
        Action::VisitReschedule => (
            Form::new(
                T::RescheduleVisit.bi(),
                vec![
                    FormField::text(Field::DueDate, "", true).with_hint(date_hint()),
                    FormField::text(Field::Reason, "", true),
                ],
            ),
            VisitPurpose::Reschedule(target.clone()),
        ),
        Action::VisitCancel => (
            Form::new(
                T::CancelVisit.bi(),
                vec![FormField::text(Field::Reason, "", true)],
            ),
            VisitPurpose::Cancel(target.clone()),
        ),
        _ => return,
    };
    push(app, form.with_subtitle(subtitle), purpose);
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
    push(
        app,
        Form::new(T::ScheduleAVisit.bi(), fields),
        VisitPurpose::NewVisit { officers, dispute },
    );
}

/// Index → `Option<bool>` for the "agreement honoured" choice.
fn agreement(choice: Option<usize>) -> Option<bool> {
    match choice {
        Some(1) => Some(true),
        Some(2) => Some(false),
        _ => None,
    }
}

/// Calls the service with what a visit form holds. On success the form closes and Today
/// reloads (selecting a newly scheduled visit); on refusal the form stays as typed.
pub fn save(app: &mut App, purpose: VisitPurpose) {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = &state.form;
    let service = app.service;
    let _lang = app.lang;
    // The visit a "schedule" save created: selected on Today afterwards.
    let mut created_visit: Option<beatbook_model::Id> = None;
    let result: Result<Message, ServiceError> = match (&purpose, &app.session) {
        (VisitPurpose::Done(t), Some(session)) => {
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
        (VisitPurpose::Missed(t), Some(session)) => service
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
        (VisitPurpose::Reschedule(t), Some(session)) => service
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
        (VisitPurpose::Cancel(t), Some(session)) => service
            .cancel_visit(session, t.visit, t.revision, &form.text(Field::Reason))
            .map(|_| Message::success(T::CancelledVisitTo.bi_fill(&[&t.person_name]))),
        (VisitPurpose::NewVisit { officers, dispute }, Some(session)) => {
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
        (_, None) => Err(ServiceError::NotSetUp),
    };
    match result {
        Ok(message) => {
            close_saved(app);
            app.message = Some(message);
            app.reload_today();
            // Select what was just scheduled, when Today lists it.
            if let (Some(id), Screen::Today(today)) = (created_visit, &mut app.screen) {
                today.select_visit(id);
            }
        }
        Err(e) => show_refusal(app, &e),
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
