//! Saving the dispute forms: what each calls in the service, and what the screen does after.

use super::*;
use crate::app::{App, Created, Message, Overlay};
use crate::screens::disputes::detail as dispute;
use crate::screens::disputes::guard::GuardState;
use crate::text::T;
use crate::widgets::form::Form;
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{
    Complexity, DisputeDraft, DisputeScale, DisputeSource, Field, Id, Party, PersonDraft,
    SessionResult,
};
use beatbook_service::{HandoverForm, ResolveForm, ServiceError, SessionForm};

/// The duplicate guard answered (its box already closed): saves the register form under
/// it, as a recurrence of `link` or, with None, as a new case.
pub fn save_registered(app: &mut App, link: Option<Id>) {
    let Some(Overlay::Form(f)) = app.overlays.last_mut() else {
        return;
    };
    if let Purpose::Dispute(DisputePurpose::Register { recurrence_of, .. }) = &mut f.purpose {
        *recurrence_of = Some(link);
    }
    if let Purpose::Dispute(p) = f.purpose.clone() {
        save(app, p);
    }
}

/// Saves a dispute form.
pub fn save(app: &mut App, purpose: DisputePurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    let service = app.service;
    let text = |f| form.text(f);
    // A dispute just registered: the register selects it (see `Created`).
    let mut created = None;
    let result: Result<Bi, ServiceError> = match &purpose {
        DisputePurpose::Register {
            officers,
            recurrence_of,
        } => {
            let draft = draft_of(app, &form);
            if recurrence_of.is_none() {
                let parties: Vec<Id> = draft.parties.iter().map(|p| p.person).collect();
                match service.similar_disputes(&session, &parties) {
                    Ok(similar) if !similar.is_empty() => {
                        app.overlays
                            .push(Overlay::Guard(Box::new(GuardState { similar })));
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => return show_error(app, &e),
                }
            }
            let assigned = form
                .choice(Field::Officer)
                .and_then(|i| officers.get(i))
                .map(|o| o.id);
            service
                .register_dispute(&session, &draft, assigned, recurrence_of.flatten())
                .map(|d| {
                    created = Some(Created::Dispute(d.meta.id));
                    T::DisputeRegistered.bi_fill(&[&d.title, &d.risk.localize(app.lang)])
                })
        }
        DisputePurpose::Edit { id, revision } => {
            let draft = draft_of(app, &form);
            service
                .edit_dispute(&session, *id, *revision, &draft)
                .map(|_| T::Saved.bi())
        }
        DisputePurpose::Session { id, revision } => service
            .record_session(
                &session,
                *id,
                *revision,
                &SessionForm {
                    date: text(Field::SessionDate),
                    participants: text(Field::Participants),
                    method: text(Field::SessionMethod),
                    result: form
                        .choice(Field::SessionResult)
                        .and_then(|i| SessionResult::ALL.get(i).copied()),
                    agreement: text(Field::AgreementText),
                    notes: text(Field::Notes),
                },
            )
            .map(|_| T::SessionRecorded.bi()),
        DisputePurpose::Resolve { id, revision } => service
            .resolve_dispute(
                &session,
                *id,
                *revision,
                &ResolveForm {
                    date: text(Field::ResolutionDate),
                    method: text(Field::ResolutionMethod),
                    success: form.choice(Field::Success) != Some(1),
                    how: text(Field::How),
                },
            )
            .map(|(_, visits)| {
                let first = visits
                    .first()
                    .map(|v| v.due.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                T::ResolvedWithVisits.bi_fill(&[&visits.len(), &first])
            }),
        DisputePurpose::Handover {
            id,
            revision,
            escalate,
        } => service
            .hand_over_dispute(
                &session,
                *id,
                *revision,
                *escalate,
                &HandoverForm {
                    to: text(Field::HandoverTo),
                    reference: text(Field::Reference),
                    date: text(Field::HandoverDate),
                    reason: text(Field::Reason),
                },
            )
            .map(|_| T::Saved.bi()),
        DisputePurpose::Reopen { id, revision } => service
            .reopen_dispute(&session, *id, *revision, &text(Field::Reason))
            .map(|_| T::Reopened.bi()),
        DisputePurpose::RequestExtension { id, revision } => service
            .request_extension(
                &session,
                *id,
                *revision,
                &text(Field::Days),
                &text(Field::Reason),
            )
            .map(|_| T::ExtensionRequested.bi()),
        DisputePurpose::DecideExtension { id, revision } => match form.choice(Field::Decision) {
            None => Err(beatbook_model::ValidationError::Required(Field::Decision).into()),
            Some(i) => service
                .decide_extension(&session, *id, *revision, i == 0, &text(Field::Remarks))
                .map(|_| T::Saved.bi()),
        },
        DisputePurpose::Close { id, revision } => service
            .close_dispute(&session, *id, *revision, &text(Field::Remarks))
            .map(|_| T::DisputeClosed.bi()),
        DisputePurpose::NewParty => {
            let gender = match form.choice(Field::Gender) {
                Some(1) => "男",
                Some(2) => "女",
                _ => "",
            };
            let draft = PersonDraft {
                name: text(Field::Name),
                gender: gender.into(),
                birth_date: text(Field::BirthDate),
                id_number: text(Field::IdNumber),
                phone: text(Field::Phone),
                address: text(Field::Address),
                village: text(Field::Village),
                ..PersonDraft::default()
            };
            match service.create_person(&session, &draft) {
                Ok(person) => {
                    app.overlays.pop();
                    if let Some(Overlay::Form(f)) = app.overlays.last_mut() {
                        if let Some(list) = f.form.focused_parties_mut() {
                            list.add(beatbook_service::PersonCard::from(&person));
                        }
                    }
                    app.message = Some(Message::success(T::PersonCreated.bi_fill(&[&person.name])));
                    return;
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(message) => {
            app.overlays.pop();
            app.message = Some(Message::success(message));
            app.created.extend(created);
            if matches!(app.overlays.last(), Some(Overlay::Dispute(_))) {
                dispute::refresh(app);
            }
            app.reload_register();
            app.reload_today();
        }
        Err(e) => show_error(app, &e),
    }
}

/// After a direct action (no form): message, detail and lists read again.
pub(super) fn finish(app: &mut App, result: Result<Bi, ServiceError>) {
    match result {
        Ok(message) => {
            app.message = Some(Message::success(message));
            dispute::refresh(app);
            app.reload_register();
            app.reload_today();
        }
        Err(e) => app.fail(&e),
    }
}

fn show_error(app: &mut App, e: &ServiceError) {
    let lang = app.lang;
    let field = e.field();
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        state.form.error = Some(e.localize(lang));
        if let Some(f) = field {
            state.form.focus_field(f);
        }
    }
}

/// The draft a register form holds.
fn draft_of(app: &App, form: &Form) -> DisputeDraft {
    let config = &app.service.settings().disputes;
    let category = form
        .choice(Field::Category)
        .and_then(|i| config.categories.get(i));
    let subcategory = match (category, form.choice(Field::Subcategory)) {
        (Some(c), Some(i)) if i > 0 => c.subcategories.get(i - 1).map(|s| s.code.clone()),
        _ => None,
    };
    DisputeDraft {
        title: form.text(Field::Title),
        category: category.map(|c| c.code.clone()).unwrap_or_default(),
        subcategory: subcategory.unwrap_or_default(),
        village: form.text(Field::Village),
        place: form.text(Field::Place),
        happened_on: form.text(Field::HappenedOn),
        source: form
            .choice(Field::Source)
            .and_then(|i| DisputeSource::ALL.get(i).copied())
            .unwrap_or_default(),
        scale: form
            .choice(Field::Scale)
            .and_then(|i| DisputeScale::ALL.get(i).copied())
            .unwrap_or_default(),
        people_involved: form.text(Field::PeopleInvolved),
        amount: form.text(Field::Amount),
        description: form.text(Field::Description),
        parties: form
            .parties(Field::Parties)
            .into_iter()
            .map(|(card, role)| Party {
                person: card.id,
                role,
            })
            .collect(),
        complexity: if form.choice(Field::Complexity) == Some(1) {
            Complexity::Complex
        } else {
            Complexity::Ordinary
        },
        indicators: form.checked(Field::Indicators),
    }
}
